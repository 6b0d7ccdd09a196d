/* svg.h: the HTML views' markup writer and their inline SVG charts (measurements of one report,
 * distributions over a class). Every chart has a <title> and a <desc>, and text labels for what
 * its colours show, so that it reads without colour; every string is escaped. */
#ifndef GRADER_VIEWS_SVG_H
#define GRADER_VIEWS_SVG_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"

/* A page being written: appends go to `b` until one fails at the buffer's maximum, then `err` is
 * -1 and nothing more is appended (so a page is never cut in the middle and then resumed). `ids`
 * numbers the charts, whose <title> and <desc> need ids unique in the page. */
struct svg_out {
	struct buf *b;
	int err;
	int ids;
};

void svg_puts(struct svg_out *o, const char *s);
void svg_printf(struct svg_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s escaped for HTML and SVG text and attribute values (& < > " '); control characters
 * other than TAB, LF and CR (which HTML reads as LF) become U+FFFD. NULL appends nothing. */
void svg_esc(struct svg_out *o, const char *s);
void svg_esc_n(struct svg_out *o, const char *s, size_t n);

/* A duration in seconds as "564 ms" or "1.23 s"; a byte count as "21.5 MiB"; a ratio as "26x".
 * Each writes into `dst` (at least 32 bytes) and returns it. */
const char *svg_fmt_secs(char *dst, size_t n, double s);
const char *svg_fmt_bytes(char *dst, size_t n, double bytes);
const char *svg_fmt_times(char *dst, size_t n, double x);

/* The CPU (or wall, as measurement.metric says) time of every run of a performance check's
 * `measurement`, in order, one mark shape per program, warm-ups hollow, with each program's
 * median. Nothing when there are no samples. */
void svg_runs(struct svg_out *o, const cJSON *measurement);
/* A speedup's estimate and interval (measurement.speedup) against `required` (<= 0: unknown). */
void svg_speedup(struct svg_out *o, const cJSON *speedup, double required);
/* A memory check's evidence: Python's and Rust's peak as bars, and the limit for Rust when
 * required_ratio is there. Nothing without both peaks. */
void svg_memory(struct svg_out *o, const cJSON *evidence);
/* A histogram of `n` score fractions (0..1) in tenths, with the pass threshold (< 0: none). */
void svg_histogram(struct svg_out *o, const double *fractions, size_t n, double threshold);

/* One measured value of a strip plot: which row, its value (> 0), and whose it is. */
struct svg_point {
	size_t row;
	double value;
	const char *label;
};
/* A strip (dot) plot on a log axis of speedups: one row per name, each with its required speedup
 * (<= 0: unknown), the points placed on their rows. */
void svg_strip(struct svg_out *o, const char *const *rows, const double *required, size_t nrows,
	       const struct svg_point *pts, size_t npts);

#endif
