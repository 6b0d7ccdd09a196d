/* num.h: bounded parsing of numbers and units. Every function reads the whole string (no leading
 * or trailing junk, no overflow) and returns 0, or -1 leaving *out untouched. */
#ifndef GRADER_NUM_H
#define GRADER_NUM_H

#include <stdint.h>

/* A decimal integer in [min, max]. */
int num_parse_int(const char *s, long long min, long long max, long long *out);
/* A finite decimal or exponent number ("1e-3", "0.5", "2"). */
int num_parse_double(const char *s, double *out);
/* A duration: a number and a unit among ns, us, ms, s, m, h, d ("250ms", "1.5s", "2m", "2d"); the result in
 * seconds. A bare number is refused: a spec must say its unit. */
int num_parse_duration(const char *s, double *seconds);
/* A size: an integer number and a unit among B, KiB, MiB, GiB, kB, MB, GB ("512MiB"). A bare number
 * is refused. */
int num_parse_size(const char *s, uint64_t *bytes);
/* Formats for messages: "1.50s", "512MiB". Returns `out`. */
const char *num_format_duration(double seconds, char *out, unsigned size);
const char *num_format_size(uint64_t bytes, char *out, unsigned size);

/* Numbers for people (JSON keeps the raw double). Each returns `out`.
 * num_format_sig: `v` with at most `sig` (1..15) significant digits, never in exponent form and
 * never rounding digits before the point ("1000", "12.3", "0.0123", "84"); trailing zeros after
 * the point are dropped. Non-finite values and magnitudes of 1e15 and above fall back to "%g". */
const char *num_format_sig(double v, int sig, char *out, unsigned size);
/* A ratio such as a speedup or a memory ratio, with an "x": two significant digits ("12x",
 * "3.1x", "1000x", "0.32x"), three between 0.9 and 1.1 so that 1.04 does not read "1x". */
const char *num_format_ratio(double r, char *out, unsigned size);
/* A speedup (baseline time / candidate time) as people say it: "12x faster" at or above 1, and
 * below 1 the inverse, "3.1x slower" (for 0.32), so a ratio below 1 never reads "0.32x as fast". */
const char *num_format_speed(double speedup, char *out, unsigned size);
/* A duration with a space and three significant digits: "84 ms", "1.65 s", "250 us", "12.5 s". */
const char *num_format_time(double seconds, char *out, unsigned size);

#endif
