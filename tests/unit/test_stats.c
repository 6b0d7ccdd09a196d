/* test_stats.c: medians, quantiles, the seeded PRNG and the bootstrap interval of a ratio of
 * medians, checked against known values and against seeded simulations of known distributions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/stats.h"

/* n draws from a log-normal distribution with median `median` and log-scale spread `sigma`: the
 * shape of repeated run times (never negative, a longer right tail). */
static void lognormal(struct stats_rng *rng, double median, double sigma, double *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = median * exp(sigma * stats_rng_normal(rng));
}

static void test_rng_is_deterministic_per_seed(void **state)
{
	struct stats_rng a, b, c;
	int differ = 0;
	(void)state;

	stats_rng_seed(&a, 42);
	stats_rng_seed(&b, 42);
	stats_rng_seed(&c, 43);
	for (int i = 0; i < 1000; i++) {
		uint64_t x = stats_rng_next(&a);
		assert_true(x == stats_rng_next(&b));
		differ += x != stats_rng_next(&c);
	}
	assert_true(differ > 990);
	/* Seed 0 is valid: the state is not all zero, so the stream is not stuck at 0. */
	stats_rng_seed(&a, 0);
	assert_true(stats_rng_next(&a) != 0 || stats_rng_next(&a) != 0);
}

static void test_rng_below_is_uniform_and_in_range(void **state)
{
	struct stats_rng rng;
	int counts[10] = {0};
	const int draws = 100000;
	double chi2 = 0.0;
	(void)state;

	stats_rng_seed(&rng, 7);
	for (int i = 0; i < draws; i++) {
		uint64_t v = stats_rng_below(&rng, 10);
		assert_true(v < 10);
		counts[v]++;
	}
	for (int i = 0; i < 10; i++)
		chi2 += (counts[i] - draws / 10.0) * (counts[i] - draws / 10.0) / (draws / 10.0);
	/* 9 degrees of freedom: P(chi2 > 27.9) = 0.001. */
	assert_true(chi2 < 27.9);
	for (int i = 0; i < 1000; i++)
		assert_true(stats_rng_below(&rng, 1) == 0);
}

static void test_rng_uniform_and_normal_moments(void **state)
{
	struct stats_rng rng;
	double su = 0, sn = 0, sn2 = 0;
	const int n = 200000;
	(void)state;

	stats_rng_seed(&rng, 11);
	for (int i = 0; i < n; i++) {
		double u = stats_rng_uniform(&rng), z = stats_rng_normal(&rng);
		assert_true(u >= 0.0 && u < 1.0);
		su += u;
		sn += z;
		sn2 += z * z;
	}
	assert_true(fabs(su / n - 0.5) < 0.005);
	assert_true(fabs(sn / n) < 0.01);
	assert_true(fabs(sn2 / n - 1.0) < 0.02);
}

static void test_median_and_quantiles(void **state)
{
	const double odd[] = {5, 1, 4, 2, 3};
	const double even[] = {10, 40, 20, 30};
	double copy[4], m;
	(void)state;

	assert_int_equal(stats_median(odd, 5, &m), 0);
	assert_true(m == 3.0);
	memcpy(copy, even, sizeof(copy));
	assert_int_equal(stats_median(copy, 4, &m), 0);
	assert_true(m == 25.0);
	assert_memory_equal(copy, even, sizeof(copy)); /* the caller's order is kept */
	assert_int_equal(stats_quantile(even, 4, 0.0, &m), 0);
	assert_true(m == 10.0);
	assert_int_equal(stats_quantile(even, 4, 1.0, &m), 0);
	assert_true(m == 40.0);
	/* Type 7: h = 3 * 0.25 = 0.75, between 10 and 20. */
	assert_int_equal(stats_quantile(even, 4, 0.25, &m), 0);
	assert_true(fabs(m - 17.5) < 1e-12);
	assert_int_equal(stats_median(odd, 1, &m), 0);
	assert_true(m == 5.0);
}

static void test_rejects_empty_and_non_finite(void **state)
{
	const double bad[] = {1, NAN, 3};
	const double inf[] = {1, INFINITY};
	const double one[] = {1};
	double m = -7;
	(void)state;

	errno = 0;
	assert_int_equal(stats_median(one, 0, &m), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(stats_median(bad, 3, &m), -1);
	assert_int_equal(stats_mean(inf, 2, &m), -1);
	assert_int_equal(stats_quantile(one, 1, 1.5, &m), -1);
	assert_int_equal(stats_stddev(one, 1, &m), -1); /* needs two values */
	assert_true(m == -7); /* untouched */
}

static void test_mean_stddev_cv(void **state)
{
	const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
	const double zero[] = {0, 0, 0};
	double mean, sd, cv;
	(void)state;

	assert_int_equal(stats_mean(x, 8, &mean), 0);
	assert_true(mean == 5.0);
	assert_int_equal(stats_stddev(x, 8, &sd), 0);
	assert_true(fabs(sd - sqrt(32.0 / 7.0)) < 1e-12);
	assert_int_equal(stats_cv(x, 8, &cv), 0);
	assert_true(fabs(cv - sqrt(32.0 / 7.0) / 5.0) < 1e-12);
	assert_int_equal(stats_cv(zero, 3, &cv), -1);
}

static void test_ratio_ci_estimate_and_determinism(void **state)
{
	const double base[] = {3.0, 3.1, 2.9, 3.05, 2.95, 3.2, 2.8};
	const double cand[] = {1.0, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97};
	struct stats_interval a, b, c;
	(void)state;

	assert_int_equal(stats_ratio_ci(base, 7, cand, 7, 0.95, 2000, 99, &a), 0);
	assert_true(fabs(a.estimate - 3.0) < 1e-12);
	assert_true(a.low <= a.estimate && a.estimate <= a.high);
	assert_true(a.low > 2.7 && a.high < 3.3);
	assert_true(a.confidence == 0.95 && a.resamples == 2000 && a.seed == 99);
	assert_int_equal(stats_ratio_ci(base, 7, cand, 7, 0.95, 2000, 99, &b), 0);
	/* Same samples, same seed: the same interval, to the bit. */
	assert_true(a.low == b.low && a.high == b.high && a.estimate == b.estimate);
	/* A higher confidence never gives a narrower interval on the same resamples. */
	assert_int_equal(stats_ratio_ci(base, 7, cand, 7, 0.99, 2000, 99, &c), 0);
	assert_true(c.low <= a.low && c.high >= a.high);
}

static void test_ratio_ci_of_constant_samples_is_a_point(void **state)
{
	const double base[] = {2, 2, 2, 2}, cand[] = {0.5, 0.5, 0.5};
	struct stats_interval ci;
	(void)state;

	assert_int_equal(stats_ratio_ci(base, 4, cand, 3, 0.95, 500, 1, &ci), 0);
	assert_true(ci.estimate == 4.0 && ci.low == 4.0 && ci.high == 4.0);
}

static void test_ratio_ci_rejects_bad_input(void **state)
{
	const double ok[] = {1, 2}, zero[] = {1, 0}, neg[] = {-1, 2};
	struct stats_interval ci;
	(void)state;

	assert_int_equal(stats_ratio_ci(ok, 2, zero, 2, 0.95, 500, 1, &ci), -1);
	assert_int_equal(stats_ratio_ci(neg, 2, ok, 2, 0.95, 500, 1, &ci), -1);
	assert_int_equal(stats_ratio_ci(ok, 0, ok, 2, 0.95, 500, 1, &ci), -1);
	assert_int_equal(stats_ratio_ci(ok, 2, ok, 2, 1.0, 500, 1, &ci), -1);
	assert_int_equal(stats_ratio_ci(ok, 2, ok, 2, 0.95, 10, 1, &ci), -1);
	assert_int_equal(errno, EINVAL);
}

/* The share of seeded simulations whose 95% interval covers the true ratio of medians. */
static double coverage(double sigma, size_t n, int sims, double *mean_width)
{
	struct stats_rng rng;
	double base[64], cand[64], width = 0.0;
	int covered = 0;
	const double truth = 2.5;

	stats_rng_seed(&rng, 20240601u + n);
	for (int s = 0; s < sims; s++) {
		struct stats_interval ci;

		lognormal(&rng, truth * 0.040, sigma, base, n);
		lognormal(&rng, 0.040, sigma, cand, n);
		assert_int_equal(stats_ratio_ci(base, n, cand, n, 0.95, 1000, 1000u + (uint64_t)s, &ci), 0);
		covered += ci.low <= truth && truth <= ci.high;
		width += ci.high - ci.low;
	}
	*mean_width = width / sims;
	return (double)covered / sims;
}

static void test_ratio_ci_covers_the_true_ratio(void **state)
{
	double w10, w20, w40, c10, c20, c40;
	(void)state;

	c10 = coverage(0.03, 10, 300, &w10);
	c20 = coverage(0.03, 20, 300, &w20);
	c40 = coverage(0.03, 40, 300, &w40);
	print_message("coverage of nominal 95%%: n=10 %.3f, n=20 %.3f, n=40 %.3f; mean width %.4f %.4f %.4f\n",
		      c10, c20, c40, w10, w20, w40);
	/* The percentile bootstrap of a median runs a little below its nominal level on small samples
	 * (the resampled median takes few distinct values); a large share must still be covered, and
	 * the interval must not be absurdly wide either (coverage near 100%). */
	assert_true(c10 >= 0.88 && c10 <= 0.995);
	assert_true(c20 >= 0.90 && c20 <= 0.995);
	assert_true(c40 >= 0.90 && c40 <= 0.995);
	/* The width shrinks like 1/sqrt(n): four times the runs, about half the width. */
	assert_true(w20 < w10);
	assert_true(w40 < 0.7 * w10);
}

static void test_decide(void **state)
{
	struct stats_interval ci = {.estimate = 2.0, .low = 1.8, .high = 2.2, .confidence = 0.95};
	(void)state;

	assert_int_equal(stats_decide(&ci, 1.5), STATS_PASS);
	assert_int_equal(stats_decide(&ci, 2.5), STATS_FAIL);
	assert_int_equal(stats_decide(&ci, 2.0), STATS_UNDECIDED);
	assert_int_equal(stats_decide(&ci, 1.8), STATS_UNDECIDED); /* on the bound: not cleared */
	assert_int_equal(stats_decide(&ci, 2.2), STATS_UNDECIDED);
	assert_string_equal(stats_verdict_name(STATS_PASS), "pass");
	assert_string_equal(stats_verdict_name(STATS_FAIL), "fail");
	assert_string_equal(stats_verdict_name(STATS_UNDECIDED), "undecided");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng_is_deterministic_per_seed),
		cmocka_unit_test(test_rng_below_is_uniform_and_in_range),
		cmocka_unit_test(test_rng_uniform_and_normal_moments),
		cmocka_unit_test(test_median_and_quantiles),
		cmocka_unit_test(test_rejects_empty_and_non_finite),
		cmocka_unit_test(test_mean_stddev_cv),
		cmocka_unit_test(test_ratio_ci_estimate_and_determinism),
		cmocka_unit_test(test_ratio_ci_of_constant_samples_is_a_point),
		cmocka_unit_test(test_ratio_ci_rejects_bad_input),
		cmocka_unit_test(test_ratio_ci_covers_the_true_ratio),
		cmocka_unit_test(test_decide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
