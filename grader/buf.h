/* buf.h: a growable byte buffer with a hard maximum size, for every string built at run time.
 *
 * As git's strbuf: `data` is never NULL and always NUL-terminated, so it can be used as a C string
 * when it holds text, but may contain NUL bytes itself: use `len`. An empty buffer that owns no
 * memory points `data` at a shared empty string (buf_slopbuf) that is never written or freed;
 * never free() or keep `data` yourself, take it with buf_detach(), and shorten it with
 * buf_setlen() rather than by writing a NUL into `data`.
 *
 * Memory never runs out for a buffer: growing it uses xrealloc (xalloc.h), which ends the process
 * instead. The only error an append returns is the buffer's hard maximum: a buffer that would grow
 * past `max` fails instead (returns -1, errno = EFBIG) and keeps what it had. So an append to a
 * buffer that cannot reach its maximum (paths, messages, anything small) needs no check.
 *
 * Start every buffer with BUF_INIT, BUF_INIT_MAX(m) or buf_init(). A zeroed struct (`= {0}`,
 * calloc) is tolerated as an empty buffer with the default maximum (its `data` is NULL until the
 * first call below that changes the buffer; buf_str() gives "" meanwhile), but is not the way. */
#ifndef GRADER_BUF_H
#define GRADER_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BUF_DEFAULT_MAX ((size_t)1 << 30) /* 1 GiB */

struct buf {
	char *data; /* never NULL after BUF_INIT / buf_init(); "" when empty */
	size_t len; /* bytes used, not counting the terminating NUL */
	size_t cap; /* bytes allocated; 0 while `data` is buf_slopbuf */
	size_t max; /* 0 means BUF_DEFAULT_MAX */
};

/* The shared empty string of every buffer that owns no memory. */
extern char buf_slopbuf[];

/* clang-format would spread these one-line initialisers over four lines each. */
/* clang-format off */
#define BUF_INIT { .data = buf_slopbuf }
/* An empty buffer that never grows past `m` bytes (0: BUF_DEFAULT_MAX). */
#define BUF_INIT_MAX(m) { .data = buf_slopbuf, .max = (m) }
/* clang-format on */

/* Makes `b` an empty buffer with the default maximum (as `struct buf b = BUF_INIT`). */
void buf_init(struct buf *b);
/* Appends n bytes. Returns 0, or -1 with errno EFBIG when `max` would be passed (nothing
 * appended). */
int buf_append(struct buf *b, const void *data, size_t n);
/* Appends a C string. */
int buf_puts(struct buf *b, const char *s);
/* Appends formatted text; a result longer than printf can count (INT_MAX) counts as the maximum. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);
/* Cuts the contents to their first `len` bytes (a larger `len` changes nothing) and keeps them
 * NUL-terminated. */
void buf_setlen(struct buf *b, size_t len);
/* Returns the contents as a C string: `data`, or "" for a zeroed struct; never NULL. */
const char *buf_str(const struct buf *b);
/* Hands the malloc'ed contents to the caller (never NULL: an empty buffer gives a malloc'ed "")
 * and leaves the buffer empty, as after buf_init() but with its `max` kept. */
char *buf_detach(struct buf *b);
/* Frees the memory; the buffer is empty (`data` is "") and reusable afterwards, `max` kept. */
void buf_free(struct buf *b);

#endif
