/* edges.h: the standard edge inputs of exercise 4 (specs/README.md, "Edge inputs"): an empty
 * input, one line, no final newline, CRLF line ends, a very long line and non-ASCII UTF-8 text,
 * each derived from the learner's first case, so that it has the shape their program reads (a
 * CSV-like case keeps its header). Pure functions on bytes: no file, no process. */
#ifndef GRADER_EDGES_H
#define GRADER_EDGES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "spec.h"

#define EDGE_LONG_LINE_BYTES ((size_t)1 << 20) /* the long line's length, at most */

/* How an edge input is named in a report: "empty input", "one line", "no final newline", "CRLF
 * line ends", "a very long line", "non-ASCII text". */
const char *edge_title(enum spec_edge e);

/* True when `src` is text a line-oriented program reads: no NUL byte, valid UTF-8. */
bool edge_is_text(const char *src, size_t len);

/* True when the case's first line is a header: the case has at least two lines and its first line
 * holds a comma, a semicolon or a tab. */
bool edge_has_header(const char *src, size_t len);

/* Makes edge input `e` from the learner's first case `src` (`len` bytes; NULL for none) into
 * `out` (reset first). `long_bytes` is the length of the long line. Returns 0, or -1 when this
 * input cannot be made from that case, with why in `why` ("your first case has no word of letters
 * to put UTF-8 letters in"), or when it would be the case itself ("it is your first case itself":
 * that input is already run). */
int edge_make(enum spec_edge e, const char *src, size_t len, size_t long_bytes, struct buf *out,
	      struct buf *why);

#endif
