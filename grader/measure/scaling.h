/* scaling.h: how a program's cost grows with the size of its input. The exponent k of t = a + b n^k
 * fitted on timed runs at a few sizes, with a bootstrap confidence interval, and the verdict that
 * sets a port's exponent against its original's. Pure functions: no I/O, no sandbox, no global
 * state; the grader's runs feed them (exercises/pair.c), tests feed them synthetic samples.
 *
 * Each size's time is the fastest of its runs (SCALING_QUANTILE 0): other processes on the machine
 * (shared caches, a busy sibling hyperthread) only ever add CPU time, in bursts that can take most
 * of the runs of a long program; the fastest run follows the program's own cost where the median
 * (or a quartile) jumps between a quiet and a disturbed level.
 *
 * The fixed cost a (process start-up, imports) flattens a fitted exponent toward 0 when the
 * smallest size's time is mostly start-up. It is measured on a minimal input and its level is
 * subtracted from each size's level before the logarithms are taken: log(level_i - fixed) against
 * log(size_i), least squares. */
#ifndef GRADER_SCALING_H
#define GRADER_SCALING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SCALING_MAX_SIZES 8
#define SCALING_DEFAULT_RESAMPLES 2000
#define SCALING_QUANTILE 0.0 /* of each size's runs: the fastest */

/* One program's timed runs: `runs` runs at each of `nsizes` sizes, and `runs` runs on the minimal
 * input. Times are seconds, finite and >= 0. */
struct scaling_samples {
	size_t nsizes; /* 3 .. SCALING_MAX_SIZES, increasing sizes */
	double size[SCALING_MAX_SIZES];
	size_t runs;         /* at least 1 */
	size_t stride;       /* from one size's runs to the next in time[]; 0: runs */
	const double *time;  /* time[i * stride + r]: run r at size i */
	const double *fixed; /* fixed[r]: run r on the minimal input; NULL: no correction */
};

/* One program's fit. */
struct scaling_fit {
	double exponent;                 /* the slope fitted on the samples themselves */
	double low, high;                /* its bootstrap percentile interval */
	double fixed;                    /* the fixed cost that was subtracted (its level; 0 without) */
	double level[SCALING_MAX_SIZES]; /* each size's level (fastest run), before the subtraction */
	double signal;                   /* the smallest size's level minus the fixed cost */
	double noise;                    /* the spread (1.4826 x MAD) of the smallest size's and the
					* fixed runs, whichever is larger */
	bool measurable;                 /* false: the smallest size's time is too close to the fixed
					* cost to measure (see scaling_compare) */
};

enum scaling_verdict {
	SCALING_PASS,         /* the whole interval of the difference lies below the tolerance */
	SCALING_FAIL,         /* ... wholly above it */
	SCALING_INCONCLUSIVE, /* the tolerance lies inside it */
	SCALING_UNMEASURABLE, /* a program's smallest size is too close to its fixed cost */
};

struct scaling_outcome {
	struct scaling_fit base, cand;    /* the original's and the port's fits */
	double diff, diff_low, diff_high; /* cand.exponent - base.exponent and its interval */
	double tolerance, confidence;
	int resamples;
	uint64_t seed;
	enum scaling_verdict verdict;
};

/* Fits both programs and judges the port (`cand`) against the original (`base`): each bootstrap
 * resample redraws every size's runs and the fixed runs of both programs with replacement
 * (a generator seeded with `seed`, so the figures can be recomputed) and refits both slopes; the
 * intervals are the (1-c)/2 and (1+c)/2 quantiles. Verdict: FAIL when diff_low > tolerance, PASS
 * when diff_high < tolerance, INCONCLUSIVE otherwise. UNMEASURABLE when either program's smallest
 * size is too close to its fixed cost: its signal is below its noise or below a tenth of its
 * fixed cost, or more than (1-c)/2 of the resamples leave a size's time at or below the fixed cost
 * (no logarithm; the slope could be anything). Returns 0, or -1 with errno EINVAL (bad samples or
 * parameters). */
int scaling_compare(const struct scaling_samples *base, const struct scaling_samples *cand, double tolerance,
		    double confidence, int resamples, uint64_t seed, struct scaling_outcome *out);

/* The least-squares slope of log(y) against log(x) over n >= 2 points (every x and y > 0, the x
 * not all equal) into *slope. Returns 0, or -1 with errno EINVAL. */
int scaling_slope(const double *x, const double *y, size_t n, double *slope);

/* One sentence for a person: both exponents with their intervals and the verdict's reason, e.g.
 * "Python grows as n^1.02 (0.98 to 1.06), your port as n^1.97 (1.91 to 2.03): 0.95 above the
 * original's, more than the 0.3 allowed". `base_name` and `cand_name` name the programs. */
void scaling_message(const struct scaling_outcome *o, const char *base_name, const char *cand_name,
		     struct buf *out);
/* The usual causes of a port that grows faster than its original, worded for the size of the
 * excess (about n^2 for n: a search in a loop; about n log n: sorting or ordered maps). */
const char *scaling_hint(const struct scaling_outcome *o);
/* "pass", "fail", "inconclusive" or "unmeasurable". */
const char *scaling_verdict_name(enum scaling_verdict v);

#endif
