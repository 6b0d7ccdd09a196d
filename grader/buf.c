/* buf.c: growable byte buffer with a hard maximum (see buf.h). */
#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"
#include "banned.h"

/* Never written: a buffer writes only into memory it allocated (cap > 0). */
char buf_slopbuf[1];

void buf_init(struct buf *b)
{
	b->data = buf_slopbuf;
	b->len = b->cap = b->max = 0;
}

static size_t buf_max(const struct buf *b)
{
	return b->max ? b->max : BUF_DEFAULT_MAX;
}

static int buf_grow(struct buf *b, size_t extra)
{
	size_t want, cap;

	if (extra > buf_max(b) || b->len > buf_max(b) - extra) {
		errno = EFBIG;
		return -1;
	}
	want = b->len + extra + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > ((size_t)-1) / 2 ? want : cap * 2;
	/* Without memory of its own (cap 0) the buffer is empty: data is buf_slopbuf or NULL. */
	b->data = xrealloc(b->cap ? b->data : NULL, cap);
	if (!b->cap)
		b->data[0] = '\0';
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) { /* EOVERFLOW: more than INT_MAX bytes */
		errno = EFBIG;
		return -1;
	}
	if (buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
	else
		b->data = buf_slopbuf;
}

void buf_setlen(struct buf *b, size_t len)
{
	if (len >= b->len) {
		if (!b->data)
			b->data = buf_slopbuf;
		return;
	}
	b->len = len;
	b->data[len] = '\0'; /* len < b->len: the buffer owns its memory */
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : buf_slopbuf;
}

char *buf_detach(struct buf *b)
{
	char *p = b->cap ? b->data : xstrdup("");

	b->data = buf_slopbuf;
	b->len = b->cap = 0;
	return p;
}

void buf_free(struct buf *b)
{
	if (b->cap)
		free(b->data);
	b->data = buf_slopbuf;
	b->len = b->cap = 0;
}
