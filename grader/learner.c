/* learner.c: learner ids (see learner.h). */
#include "learner.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "sha256.h"

#include "banned.h"

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

const char *learner_id_problem(const char *id)
{
	size_t n;

	if (!id || !*id)
		return "is empty";
	n = strlen(id);
	if (n > LEARNER_ID_MAX)
		return "is longer than 64 characters";
	if (id[0] == '.')
		return "starts with '.'";
	if (id[0] == '_' || id[0] == '-')
		return "does not start with a letter or a digit";
	for (size_t i = 0; i < n; i++) {
		if (id[i] == '/')
			return "contains '/'";
		if (!id_char(id[i]))
			return "contains a character other than a letter, a digit, '.', '_' or '-'";
	}
	return NULL;
}

bool learner_id_same(const char *a, const char *b)
{
	return !strcasecmp(a, b);
}

void learner_id_quote(const char *id, struct buf *out)
{
	size_t i;

	for (i = 0; i < 100 && id[i]; i++) {
		unsigned char c = (unsigned char)id[i];
		if (c < 0x20 || c >= 0x7f || c == '\\' || c == '\'')
			buf_printf(out, "\\x%02x", c);
		else
			buf_append(out, &id[i], 1);
	}
	if (id[i])
		buf_puts(out, "...");
}

unsigned learner_shard(const char *id, unsigned n)
{
	struct sha256 s;
	char hex[SHA256_HEX + 1];
	uint64_t v = 0;

	sha256_init(&s);
	for (const char *p = id; *p; p++) {
		char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
		sha256_update(&s, &c, 1);
	}
	sha256_final_hex(&s, hex);
	for (int i = 0; i < 16; i++)
		v = v << 4 | (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
	return (unsigned)(v % (n ? n : 1));
}
