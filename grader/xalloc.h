/* xalloc.h: allocation that never fails, as git's wrapper.c has it (xmalloc, xstrdup, ...).
 *
 * None of these returns NULL. When the memory runs out they print "grader: out of memory (N
 * bytes)" on standard error and end the process with status 3 (XALLOC_EXIT_STATUS, the
 * infrastructure status of cli/cli.h: the machine failed, not the submission or the spec). A
 * library function therefore has no out-of-memory path of its own: its errors are real ones.
 * Memory from these functions is released with free(). */
#ifndef GRADER_XALLOC_H
#define GRADER_XALLOC_H

#include <stddef.h>

/* ERROR_INFRA's exit status (cli_exit_status() in cli/cli.h), which the library cannot include. */
#define XALLOC_EXIT_STATUS 3

/* malloc(n); n == 0 still gives a unique pointer to free. */
void *xmalloc(size_t n);
/* calloc(n, size): zeroed, with the multiplication checked for overflow. */
void *xcalloc(size_t n, size_t size);
/* realloc(p, n); n == 0 still gives a pointer to free. */
void *xrealloc(void *p, size_t n);
/* realloc(p, n * size) with the multiplication checked for overflow (an overflow is reported as
 * running out of memory), as reallocarray(3). */
void *xreallocarray(void *p, size_t n, size_t size);
/* strdup(s); s must not be NULL. */
char *xstrdup(const char *s);
/* A copy of the n bytes at p (which may hold NUL bytes) with a NUL after them. */
char *xmemdupz(const void *p, size_t n);
/* The first n bytes of s (fewer if s ends before), NUL-terminated; s must not be NULL. */
char *xstrndup(const char *s, size_t n);

#endif
