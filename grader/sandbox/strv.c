/* strv.c: growable NULL-terminated vectors of strings, for bwrap's argv and the program's envp. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/internal.h"
#include "xalloc.h"
#include "banned.h"

void strv_push(struct strv *s, const char *str)
{
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = xstrdup(str);
	s->v[s->n] = NULL;
}

void strv_pushf(struct strv *s, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	strv_push(s, b.data);
	buf_free(&b);
}

void strv_setenv(struct strv *s, const char *entry)
{
	size_t nl = strcspn(entry, "=");

	for (size_t i = 0; i < s->n; i++)
		if (!strncmp(s->v[i], entry, nl + 1)) {
			free(s->v[i]);
			s->v[i] = xstrdup(entry);
			return;
		}
	strv_push(s, entry);
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
