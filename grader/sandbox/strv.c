/* strv.c: growable NULL-terminated vectors of strings, for bwrap's argv and the program's envp. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/internal.h"
#include "banned.h"

int strv_push(struct strv *s, const char *str)
{
	char *copy;

	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		char **v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	copy = strdup(str);
	if (!copy)
		return -1;
	s->v[s->n++] = copy;
	s->v[s->n] = NULL;
	return 0;
}

int strv_pushf(struct strv *s, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!rc)
		rc = strv_push(s, buf_str(&b));
	buf_free(&b);
	return rc;
}

int strv_setenv(struct strv *s, const char *entry)
{
	size_t nl = strcspn(entry, "=");

	for (size_t i = 0; i < s->n; i++)
		if (!strncmp(s->v[i], entry, nl + 1)) {
			char *copy = strdup(entry);
			if (!copy)
				return -1;
			free(s->v[i]);
			s->v[i] = copy;
			return 0;
		}
	return strv_push(s, entry);
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
