/* rjson.c: typed lookups in a written report (see rjson.h). */
#include <stdlib.h>
#include <string.h>

#include "views/rjson.h"
#include "banned.h"

const cJSON *rj_obj(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;

	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *rj_arr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;

	return cJSON_IsArray(v) ? v : NULL;
}

const char *rj_str(const cJSON *o, const char *key, const char *def)
{
	const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;

	/* cJSON_IsString(NULL) is false, which the analyzer cannot see inside the library.
	 * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : def;
}

double rj_num(const cJSON *o, const char *key, double def)
{
	const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;

	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): cJSON_IsNumber(NULL) is false */
	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

bool rj_bool(const cJSON *o, const char *key, bool def)
{
	const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

/* A position "FILE:LINE:COL" for `file` in `text` (a manifest or answer-file error says where):
 * sets line and column and returns 1, else 0. */
static int position_in(const char *text, const char *file, int *line, int *column)
{
	size_t n = strlen(file);

	for (const char *p = text ? strstr(text, file) : NULL; p; p = strstr(p + 1, file)) {
		char *end;
		long l, c;
		if (p[n] != ':')
			continue;
		l = strtol(p + n + 1, &end, 10);
		if (end == p + n + 1 || *end != ':' || l <= 0 || l > 1000000)
			continue;
		c = strtol(end + 1, &end, 10);
		if (c <= 0 || c > 1000000)
			continue;
		*line = (int)l;
		*column = (int)c;
		return 1;
	}
	return 0;
}

const char *rj_check_file(const cJSON *exercise, const cJSON *check, int *line, int *column)
{
	const cJSON *ev = rj_obj(check, "evidence");
	const char *file = rj_str(ev, "file", NULL);
	double l, c;

	*line = *column = 0;
	if (file) {
		l = rj_num(ev, "line", 0);
		c = rj_num(ev, "column", 0);
		*line = l >= 1 && l <= 1e6 ? (int)l : 0;
		*column = *line && c >= 1 && c <= 1e6 ? (int)c : 0;
		return file;
	}
	file = rj_str(exercise, "file", NULL);
	if (file && !position_in(rj_str(check, "message", NULL), file, line, column))
		position_in(rj_str(exercise, "message", NULL), file, line, column);
	return file;
}
