/* stats.h: the statistics behind speed verdicts: medians, quantiles, a seeded PRNG and a bootstrap
 * confidence interval for the ratio of two medians. Pure functions: no I/O, no global state.
 *
 * Every function that takes samples refuses an empty sample and non-finite values (returns -1 with
 * errno = EINVAL) rather than producing NaN. The caller's arrays are never reordered. */
#ifndef GRADER_STATS_H
#define GRADER_STATS_H

#include <stddef.h>
#include <stdint.h>

/* A xoshiro256** generator seeded through splitmix64. The same seed gives the same sequence on
 * every machine; rand() is never used. */
struct stats_rng {
	uint64_t s[4];
};

/* Seeds the generator; any seed (including 0) is valid. */
void stats_rng_seed(struct stats_rng *rng, uint64_t seed);
/* Returns the next 64 random bits. */
uint64_t stats_rng_next(struct stats_rng *rng);
/* Returns a uniform double in [0, 1), with 53 random bits. */
double stats_rng_uniform(struct stats_rng *rng);
/* Returns a uniform integer in [0, n) without modulo bias; n must be at least 1. */
uint64_t stats_rng_below(struct stats_rng *rng, uint64_t n);
/* Returns a standard normal deviate (Box-Muller; one of the pair is thrown away to keep the
 * generator's state the only state). */
double stats_rng_normal(struct stats_rng *rng);

/* Sets *out to the median of x[0..n) (the mean of the two middle values when n is even). */
int stats_median(const double *x, size_t n, double *out);
/* Sets *out to the p-quantile of x[0..n), p in [0, 1], interpolating linearly between order
 * statistics (Hyndman and Fan's type 7, the default of R and numpy). */
int stats_quantile(const double *x, size_t n, double p, double *out);
/* Sets *out to the arithmetic mean. */
int stats_mean(const double *x, size_t n, double *out);
/* Sets *out to the sample standard deviation (n - 1 in the denominator); needs n >= 2. */
int stats_stddev(const double *x, size_t n, double *out);
/* Sets *out to the coefficient of variation, stddev / mean; needs n >= 2 and a positive mean. */
int stats_cv(const double *x, size_t n, double *out);

/* A two-sided confidence interval for a ratio, with the point estimate it surrounds. */
struct stats_interval {
	double estimate;   /* median(baseline) / median(candidate) on the samples themselves */
	double low, high;  /* the interval's bounds */
	double confidence; /* e.g. 0.95 */
	int resamples;     /* bootstrap resamples drawn */
	uint64_t seed;     /* seed of the resampling, so that anyone can recompute the interval */
};

#define STATS_DEFAULT_RESAMPLES 2000

/* Computes the percentile-bootstrap interval of median(base) / median(cand) for two independent
 * samples: each resample draws nb values from `base` and nc from `cand` with replacement, and the
 * interval is the (1-c)/2 and (1+c)/2 quantiles of the resampled ratios. The resampling is driven
 * by a generator seeded with `seed`, so the same samples and seed give the same interval.
 * Every value must be finite and strictly positive (a ratio of times); confidence in (0, 1);
 * resamples >= 100. Returns 0, or -1 with errno set (EINVAL for bad input). */
int stats_ratio_ci(const double *base, size_t nb, const double *cand, size_t nc, double confidence,
		   int resamples, uint64_t seed, struct stats_interval *out);

enum stats_verdict {
	STATS_UNDECIDED, /* the required value lies inside the interval */
	STATS_PASS,      /* the whole interval lies above the required value */
	STATS_FAIL,      /* the whole interval lies below the required value */
};

/* Judges an interval against a required ratio: PASS when low > required, FAIL when
 * high < required, UNDECIDED otherwise. */
enum stats_verdict stats_decide(const struct stats_interval *ci, double required);
/* "pass", "fail" or "undecided". */
const char *stats_verdict_name(enum stats_verdict v);

#endif
