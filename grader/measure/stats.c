/* stats.c: medians, quantiles, a seeded PRNG and the bootstrap interval of a ratio (see stats.h). */
#include "measure/stats.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void stats_rng_seed(struct stats_rng *rng, uint64_t seed)
{
	uint64_t x = seed;

	/* splitmix64 never yields four zero words in a row, the one state xoshiro cannot leave. */
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t stats_rng_next(struct stats_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double stats_rng_uniform(struct stats_rng *rng)
{
	return (double)(stats_rng_next(rng) >> 11) * 0x1.0p-53;
}

uint64_t stats_rng_below(struct stats_rng *rng, uint64_t n)
{
	/* Lemire's multiply-and-reject: unbiased, and rarely loops. */
	unsigned __int128 m = (unsigned __int128)stats_rng_next(rng) * n;
	uint64_t lo = (uint64_t)m;

	if (lo < n) {
		uint64_t threshold = (0 - n) % n;
		while (lo < threshold) {
			m = (unsigned __int128)stats_rng_next(rng) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double stats_rng_normal(struct stats_rng *rng)
{
	double u1, u2;

	do
		u1 = stats_rng_uniform(rng);
	while (u1 <= 0.0);
	u2 = stats_rng_uniform(rng);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static bool all_finite(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return false;
	return true;
}

static int check_sample(const double *x, size_t n, size_t min_n)
{
	if (!x || n < min_n || n == 0 || !all_finite(x, n)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A sorted malloc'ed copy. */
static double *sorted_copy(const double *x, size_t n)
{
	double *c = xreallocarray(NULL, n, sizeof(*c));

	memcpy(c, x, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	return c;
}

static double quantile_sorted(const double *s, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return s[n - 1];
	return s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]);
}

int stats_quantile(const double *x, size_t n, double p, double *out)
{
	double *s;

	if (check_sample(x, n, 1) < 0 || !(p >= 0.0 && p <= 1.0)) {
		errno = EINVAL;
		return -1;
	}
	s = sorted_copy(x, n);
	*out = quantile_sorted(s, n, p);
	free(s);
	return 0;
}

int stats_median(const double *x, size_t n, double *out)
{
	return stats_quantile(x, n, 0.5, out);
}

int stats_mean(const double *x, size_t n, double *out)
{
	double sum = 0.0;

	if (check_sample(x, n, 1) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	*out = sum / (double)n;
	return 0;
}

int stats_stddev(const double *x, size_t n, double *out)
{
	double mean, ss = 0.0;

	if (check_sample(x, n, 2) < 0 || stats_mean(x, n, &mean) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	*out = sqrt(ss / (double)(n - 1));
	return 0;
}

int stats_cv(const double *x, size_t n, double *out)
{
	double mean, sd;

	if (stats_stddev(x, n, &sd) < 0 || stats_mean(x, n, &mean) < 0)
		return -1;
	if (!(mean > 0.0)) {
		errno = EINVAL;
		return -1;
	}
	*out = sd / mean;
	return 0;
}

/* Rearranges a[0..n) so that a[k] holds the value it would hold if sorted, with nothing greater
 * before it and nothing smaller after it (Hoare's selection). */
static void select_kth(double *a, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

	while (hi > lo) {
		double pivot = a[lo + (hi - lo) / 2];
		ptrdiff_t i = lo, j = hi;

		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				double t = a[i];
				a[i++] = a[j];
				a[j--] = t;
			}
		}
		if (kk <= j)
			hi = j;
		else if (kk >= i)
			lo = i;
		else
			return; /* a[j+1 .. i-1] all equal the pivot, and k is among them */
	}
}

/* The median of a scratch array (reordered). */
static double median_inplace(double *a, size_t n)
{
	size_t mid = n / 2;
	double upper, lower;

	select_kth(a, n, mid);
	upper = a[mid];
	if (n % 2)
		return upper;
	/* The lower middle value is the largest of the elements left of mid. */
	lower = a[0];
	for (size_t i = 1; i < mid; i++)
		if (a[i] > lower)
			lower = a[i];
	return (lower + upper) / 2.0;
}

static double resampled_median(struct stats_rng *rng, const double *x, size_t n, double *scratch)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = x[stats_rng_below(rng, n)];
	return median_inplace(scratch, n);
}

static bool all_positive(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(x[i] > 0.0))
			return false;
	return true;
}

int stats_ratio_ci(const double *base, size_t nb, const double *cand, size_t nc, double confidence,
		   int resamples, uint64_t seed, struct stats_interval *out)
{
	struct stats_rng rng;
	double *ratios = NULL, *scratch = NULL, mb, mc, alpha;
	int rc = -1;

	if (check_sample(base, nb, 1) < 0 || check_sample(cand, nc, 1) < 0 || !all_positive(base, nb) ||
	    !all_positive(cand, nc) || !(confidence > 0.0 && confidence < 1.0) || resamples < 100 || !out) {
		errno = EINVAL;
		return -1;
	}
	ratios = xreallocarray(NULL, (size_t)resamples, sizeof(*ratios));
	scratch = xreallocarray(NULL, nb > nc ? nb : nc, sizeof(*scratch));
	if (stats_median(base, nb, &mb) < 0 || stats_median(cand, nc, &mc) < 0)
		goto out;

	stats_rng_seed(&rng, seed);
	for (int b = 0; b < resamples; b++) {
		double rb = resampled_median(&rng, base, nb, scratch);
		double rcand = resampled_median(&rng, cand, nc, scratch);
		ratios[b] = rb / rcand;
	}
	qsort(ratios, (size_t)resamples, sizeof(*ratios), cmp_double);
	alpha = 1.0 - confidence;
	out->estimate = mb / mc;
	out->low = quantile_sorted(ratios, (size_t)resamples, alpha / 2.0);
	out->high = quantile_sorted(ratios, (size_t)resamples, 1.0 - alpha / 2.0);
	out->confidence = confidence;
	out->resamples = resamples;
	out->seed = seed;
	rc = 0;
out:
	free(ratios);
	free(scratch);
	return rc;
}

enum stats_verdict stats_decide(const struct stats_interval *ci, double required)
{
	if (ci->low > required)
		return STATS_PASS;
	if (ci->high < required)
		return STATS_FAIL;
	return STATS_UNDECIDED;
}

const char *stats_verdict_name(enum stats_verdict v)
{
	switch (v) {
	case STATS_PASS:
		return "pass";
	case STATS_FAIL:
		return "fail";
	case STATS_UNDECIDED:
		break;
	}
	return "undecided";
}
