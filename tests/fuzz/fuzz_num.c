/* fuzz_num.c: the number and unit parsers of num.h (durations, sizes, integers, decimals) and the
 * tolerance parser of outdiff.h, on one NUL-terminated string, then the formatters on what they
 * read. A parser that refuses leaves its output untouched; one that accepts gives a finite,
 * non-negative duration and a size that is a whole number of its unit. */
#include "fuzz.h"

#include <math.h>

#include "num.h"
#include "outdiff.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[64];
	long long i = -7;
	double d = -7, secs = -7, tol = -7;
	uint64_t bytes = 7;

	memcpy(s, data, size);
	s[size] = '\0';
	if (num_parse_int(s, -1000000, 1000000, &i) == 0)
		FUZZ_ASSERT(i >= -1000000 && i <= 1000000);
	else
		FUZZ_ASSERT(i == -7);
	if (num_parse_double(s, &d) == 0)
		FUZZ_ASSERT(isfinite(d));
	else
		FUZZ_ASSERT(d == -7);
	if (num_parse_duration(s, &secs) == 0) {
		FUZZ_ASSERT(isfinite(secs) && secs >= 0);
		num_format_duration(secs, out, sizeof(out));
		num_format_time(secs, out, sizeof(out));
	} else {
		FUZZ_ASSERT(secs == -7);
	}
	if (num_parse_size(s, &bytes) == 0)
		num_format_size(bytes, out, sizeof(out));
	else
		FUZZ_ASSERT(bytes == 7);
	if (outdiff_tolerance_parse(s, &tol) == 0)
		FUZZ_ASSERT(isfinite(tol) && tol >= 0);
	else
		FUZZ_ASSERT(tol == -7);
	for (int sig = 0; sig <= 16; sig += 4)
		num_format_sig(d, sig, out, sizeof(out));
	num_format_ratio(d, out, sizeof(out));
	num_format_speed(d, out, sizeof(out));
	num_format_time(d, out, sizeof(out));
	FUZZ_ASSERT(strlen(out) < sizeof(out));
	free(s);
	return 0;
}
