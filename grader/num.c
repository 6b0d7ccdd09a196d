/* num.c: bounded number and unit parsing (see num.h). */
#include "num.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

int num_parse_int(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int num_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	/* strtod also takes hex floats, "inf" and "nan": a spec wants none of them. */
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789+-.eE", *p))
			return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* Splits "12.5ms" into the number part and the unit part. */
static int split_unit(const char *s, char *num, size_t nsize, const char **unit)
{
	size_t i = 0;

	if (!s)
		return -1;
	while (s[i] && (isdigit((unsigned char)s[i]) || s[i] == '.'))
		i++;
	if (i == 0 || i >= nsize || !s[i])
		return -1;
	memcpy(num, s, i);
	num[i] = '\0';
	*unit = s + i;
	return 0;
}

int num_parse_duration(const char *s, double *seconds)
{
	static const struct {
		const char *name;
		double scale;
	} units[] = {
		{"ns", 1e-9}, {"us", 1e-6},  {"ms", 1e-3},   {"s", 1.0},
		{"m", 60.0},  {"h", 3600.0}, {"d", 86400.0},
	};
	char num[64];
	const char *unit;
	double v;

	if (split_unit(s, num, sizeof(num), &unit) < 0 || num_parse_double(num, &v) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcmp(unit, units[i].name)) {
			*seconds = v * units[i].scale;
			return 0;
		}
	}
	return -1;
}

int num_parse_size(const char *s, uint64_t *bytes)
{
	static const struct {
		const char *name;
		uint64_t scale;
	} units[] = {
		{"B", 1},     {"KiB", 1ULL << 10}, {"MiB", 1ULL << 20}, {"GiB", 1ULL << 30},
		{"kB", 1000}, {"MB", 1000000},     {"GB", 1000000000},
	};
	char num[64];
	const char *unit;
	long long v;

	if (split_unit(s, num, sizeof(num), &unit) < 0 || num_parse_int(num, 0, 1LL << 50, &v) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcmp(unit, units[i].name)) {
			if ((uint64_t)v > UINT64_MAX / units[i].scale)
				return -1;
			*bytes = (uint64_t)v * units[i].scale;
			return 0;
		}
	}
	return -1;
}

const char *num_format_duration(double seconds, char *out, unsigned size)
{
	if (seconds < 1e-3)
		snprintf(out, size, "%.0fus", seconds * 1e6);
	else if (seconds < 1.0)
		snprintf(out, size, "%.1fms", seconds * 1e3);
	else
		snprintf(out, size, "%.2fs", seconds);
	return out;
}

const char *num_format_size(uint64_t bytes, char *out, unsigned size)
{
	if (bytes >= (1ULL << 30) && bytes % (1ULL << 30) == 0)
		snprintf(out, size, "%lluGiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= (1ULL << 20))
		snprintf(out, size, "%.1fMiB", (double)bytes / (1 << 20));
	else if (bytes >= (1ULL << 10))
		snprintf(out, size, "%.1fKiB", (double)bytes / (1 << 10));
	else
		snprintf(out, size, "%lluB", (unsigned long long)bytes);
	return out;
}

const char *num_format_sig(double v, int sig, char *out, unsigned size)
{
	int decimals;

	if (!size)
		return out;
	if (sig < 1)
		sig = 1;
	if (sig > 15)
		sig = 15;
	if (!isfinite(v) || fabs(v) >= 1e15) {
		snprintf(out, size, "%g", v);
		return out;
	}
	if (v == 0.0) {
		snprintf(out, size, "0");
		return out;
	}
	decimals = sig - 1 - (int)floor(log10(fabs(v)));
	if (decimals < 0)
		decimals = 0;
	snprintf(out, size, "%.*f", decimals, v);
	/* Rounding may carry into a new leading digit (9.96 at two digits is "10.0"): one digit too
	 * many after the point, which the trimming below removes when it is a zero. */
	if (strchr(out, '.')) {
		size_t n = strlen(out);
		while (n > 0 && out[n - 1] == '0')
			out[--n] = '\0';
		if (n > 0 && out[n - 1] == '.')
			out[--n] = '\0';
	}
	if (!strcmp(out, "-0"))
		snprintf(out, size, "0");
	return out;
}

const char *num_format_ratio(double r, char *out, unsigned size)
{
	char n[48];

	num_format_sig(r, r > 0.9 && r < 1.1 ? 3 : 2, n, sizeof(n));
	snprintf(out, size, "%sx", n);
	return out;
}

const char *num_format_speed(double speedup, char *out, unsigned size)
{
	char r[64];

	if (speedup > 0.0 && speedup < 1.0)
		snprintf(out, size, "%s slower", num_format_ratio(1.0 / speedup, r, sizeof(r)));
	else
		snprintf(out, size, "%s faster", num_format_ratio(speedup, r, sizeof(r)));
	return out;
}

const char *num_format_time(double seconds, char *out, unsigned size)
{
	char n[48];

	/* The thresholds sit where three digits would round up to the next unit ("1000 ms"). */
	if (seconds < 0.9995 && seconds >= 0.9995e-3)
		snprintf(out, size, "%s ms", num_format_sig(seconds * 1e3, 3, n, sizeof(n)));
	else if (seconds < 0.9995e-3 && seconds > 0.0)
		snprintf(out, size, "%s us", num_format_sig(seconds * 1e6, 3, n, sizeof(n)));
	else
		snprintf(out, size, "%s s", num_format_sig(seconds, 3, n, sizeof(n)));
	return out;
}
