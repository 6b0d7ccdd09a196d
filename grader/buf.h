/* buf.h: a growable byte buffer with a hard maximum size, for every string built at run time.
 *
 * The data is always NUL-terminated (so it can be used as a C string when it holds text), but
 * may contain NUL bytes itself: use `len`. A buffer that would grow past `max` fails instead
 * (returns -1, errno = EFBIG) and keeps what it had. A zeroed struct is a valid empty buffer
 * with the default maximum (BUF_DEFAULT_MAX). */
#ifndef GRADER_BUF_H
#define GRADER_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BUF_DEFAULT_MAX ((size_t)1 << 30) /* 1 GiB */

struct buf {
	char *data;  /* NULL until the first append */
	size_t len;  /* bytes used, not counting the terminating NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* 0 means BUF_DEFAULT_MAX */
};

#define BUF_INIT {0}

/* Appends n bytes. Returns 0, or -1 when memory or the maximum runs out (nothing appended). */
int buf_append(struct buf *b, const void *data, size_t n);
/* Appends a C string. */
int buf_puts(struct buf *b, const char *s);
/* Appends formatted text. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);
/* Returns the contents as a C string ("" for an empty buffer, never NULL). */
const char *buf_str(const struct buf *b);
/* Hands the malloc'ed contents to the caller (never NULL; "" duplicated when empty, or NULL on
 * allocation failure) and leaves the buffer empty. */
char *buf_detach(struct buf *b);
/* Frees the memory; the buffer is empty and reusable afterwards. */
void buf_free(struct buf *b);

#endif
