/* num.h: bounded parsing of numbers and units. Every function reads the whole string (no leading
 * or trailing junk, no overflow) and returns 0, or -1 leaving *out untouched. */
#ifndef GRADER_NUM_H
#define GRADER_NUM_H

#include <stdint.h>

/* A decimal integer in [min, max]. */
int num_parse_int(const char *s, long long min, long long max, long long *out);
/* A finite decimal or exponent number ("1e-3", "0.5", "2"). */
int num_parse_double(const char *s, double *out);
/* A duration: a number and a unit among ns, us, ms, s, m, h ("250ms", "1.5s", "2m"); the result in
 * seconds. A bare number is refused: a spec must say its unit. */
int num_parse_duration(const char *s, double *seconds);
/* A size: an integer number and a unit among B, KiB, MiB, GiB, kB, MB, GB ("512MiB"). A bare number
 * is refused. */
int num_parse_size(const char *s, uint64_t *bytes);
/* Formats for messages: "1.50s", "512MiB". Returns `out`. */
const char *num_format_duration(double seconds, char *out, unsigned size);
const char *num_format_size(uint64_t bytes, char *out, unsigned size);

#endif
