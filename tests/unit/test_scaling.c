/* test_scaling.c: growth exponents fitted on synthetic run times of known shape (t = a + b n^k),
 * exactly without noise, within their intervals with seeded log-normal noise, the fixed-cost
 * correction, and the verdicts and messages built on them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "measure/scaling.h"
#include "spec.h"
#include "measure/stats.h"

#define RUNS 7
#define NSIZES 4

/* The four sizes the grader uses: 1/8, 1/4, 1/2 and 1 of a benchmark of `full`. */
static void sizes_of(double full, struct scaling_samples *s)
{
	s->nsizes = NSIZES;
	for (int i = 0; i < NSIZES; i++)
		s->size[i] = full / (double)(8 >> i);
}

enum shape { LINEAR, NLOGN, QUADRATIC };

static double work(enum shape sh, double n)
{
	return sh == LINEAR ? n : sh == NLOGN ? n * log(n) : n * n;
}

/* Fills `time` and `fixed` (RUNS runs each) for t = a + b * work(n), each run multiplied by a
 * log-normal factor of spread `sigma` (0: exact), and points `s` at them. b is set so that the
 * full size takes `full_time` seconds of work. */
static void make(struct scaling_samples *s, double *time, double *fixed, enum shape sh, double a,
		 double full_time, double sigma, struct stats_rng *rng)
{
	double b = full_time / work(sh, s->size[NSIZES - 1]);

	for (int i = 0; i < NSIZES; i++)
		for (int r = 0; r < RUNS; r++)
			time[i * RUNS + r] = (a + b * work(sh, s->size[i])) * (sigma ? exp(sigma * stats_rng_normal(rng)) : 1);
	for (int r = 0; r < RUNS; r++)
		fixed[r] = a * (sigma ? exp(sigma * stats_rng_normal(rng)) : 1);
	s->runs = RUNS;
	s->time = time;
	s->fixed = fixed;
}

static void test_slope_is_exact_on_powers(void **state)
{
	double x[5] = {1000, 2000, 4000, 8000, 16000}, y[5], k;
	(void)state;

	for (int p = 0; p < 3; p++) {
		double want = 0.5 + p * 0.75;
		for (int i = 0; i < 5; i++)
			y[i] = 3e-7 * pow(x[i], want);
		assert_int_equal(scaling_slope(x, y, 5, &k), 0);
		assert_true(fabs(k - want) < 1e-12);
	}
	/* No logarithm of 0, no slope through one x. */
	y[2] = 0;
	errno = 0;
	assert_int_equal(scaling_slope(x, y, 5, &k), -1);
	assert_int_equal(errno, EINVAL);
	y[2] = 1;
	x[1] = x[0];
	assert_int_equal(scaling_slope(x, y, 2, &k), -1);
	assert_int_equal(scaling_slope(x, y, 1, &k), -1);
}

static void test_exact_exponents_after_the_fixed_cost(void **state)
{
	double tb[NSIZES * RUNS], fb[RUNS], tc[NSIZES * RUNS], fc[RUNS];
	struct scaling_samples b = {0}, c = {0};
	struct scaling_outcome o;
	(void)state;

	sizes_of(80000, &b);
	sizes_of(80000, &c);
	/* A 20 ms start-up for Python, 1 ms for the port; noiseless. */
	make(&b, tb, fb, LINEAR, 0.020, 1.0, 0, NULL);
	make(&c, tc, fc, QUADRATIC, 0.001, 0.5, 0, NULL);
	assert_int_equal(scaling_compare(&b, &c, 0.3, 0.95, 500, 1, &o), 0);
	assert_true(fabs(o.base.exponent - 1) < 1e-9);
	assert_true(fabs(o.cand.exponent - 2) < 1e-9);
	assert_true(fabs(o.diff - 1) < 1e-9);
	/* Without noise every resample is the sample itself: the intervals are points. */
	assert_true(fabs(o.base.low - 1) < 1e-9 && fabs(o.base.high - 1) < 1e-9);
	assert_true(fabs(o.diff_low - 1) < 1e-9 && fabs(o.diff_high - 1) < 1e-9);
	assert_true(fabs(o.base.fixed - 0.020) < 1e-12);
	assert_int_equal(o.verdict, SCALING_FAIL);

	/* The same port judged against itself passes; a tolerance above the gap passes too. */
	assert_int_equal(scaling_compare(&c, &c, 0.3, 0.95, 500, 1, &o), 0);
	assert_int_equal(o.verdict, SCALING_PASS);
	assert_true(fabs(o.diff) < 1e-9);
	assert_int_equal(scaling_compare(&b, &c, 1.2, 0.95, 500, 1, &o), 0);
	assert_int_equal(o.verdict, SCALING_PASS);
	/* Just either side of the gap. */
	assert_int_equal(scaling_compare(&b, &c, 0.99, 0.95, 500, 1, &o), 0);
	assert_int_equal(o.verdict, SCALING_FAIL);
	assert_int_equal(scaling_compare(&b, &c, 1.01, 0.95, 500, 1, &o), 0);
	assert_int_equal(o.verdict, SCALING_PASS);
}

static void test_fixed_cost_flattens_the_exponent_unless_removed(void **state)
{
	double t[NSIZES * RUNS], f[RUNS];
	struct scaling_samples s = {0}, raw;
	struct scaling_outcome o;
	(void)state;

	/* A linear program whose work at the full size (60 ms) is 3x its start-up (20 ms): at an
	 * eighth of the size, start-up is more than half of the time. */
	sizes_of(40000, &s);
	make(&s, t, f, LINEAR, 0.020, 0.060, 0, NULL);
	raw = s;
	raw.fixed = NULL;
	assert_int_equal(scaling_compare(&raw, &raw, 0.3, 0.95, 200, 1, &o), 0);
	assert_true(o.base.exponent < 0.7); /* flattened: about 0.6 */
	assert_true(o.base.fixed == 0);
	assert_int_equal(scaling_compare(&s, &s, 0.3, 0.95, 200, 1, &o), 0);
	assert_true(fabs(o.base.exponent - 1) < 1e-9);
	assert_true(fabs(o.base.signal - 0.060 / 8) < 1e-12);
}

static void test_too_close_to_the_fixed_cost_is_unmeasurable(void **state)
{
	double tb[NSIZES * RUNS], fb[RUNS], tc[NSIZES * RUNS], fc[RUNS];
	struct scaling_samples b = {0}, c = {0};
	struct scaling_outcome o;
	struct stats_rng rng;
	struct buf msg = BUF_INIT;
	(void)state;

	stats_rng_seed(&rng, 7);
	sizes_of(80000, &b);
	sizes_of(80000, &c);
	make(&b, tb, fb, LINEAR, 0.020, 1.0, 0.02, &rng);
	/* The port's work at an eighth of the size (0.25 ms) is under its start-up's noise (5% of
	 * 20 ms): its exponent cannot be told. */
	make(&c, tc, fc, LINEAR, 0.020, 0.002, 0.05, &rng);
	assert_int_equal(scaling_compare(&b, &c, 0.3, 0.95, 1000, 1, &o), 0);
	assert_int_equal(o.verdict, SCALING_UNMEASURABLE);
	assert_true(o.base.measurable);
	assert_false(o.cand.measurable);
	scaling_message(&o, "Python", "your port", &msg);
	assert_non_null(strstr(msg.data, "cannot tell how your port grows"));
	assert_non_null(strstr(msg.data, "too close to its fixed cost"));
	assert_non_null(strstr(scaling_hint(&o), "benchmark.generate.size"));
	buf_free(&msg);

	/* A smallest size below the fixed cost is unmeasurable even without noise. */
	tc[0] = 0.0005;
	for (int r = 0; r < RUNS; r++)
		tc[r] = 0.0005, fc[r] = 0.001;
	assert_int_equal(scaling_compare(&b, &c, 0.3, 0.95, 1000, 1, &o), 0);
	assert_int_equal(o.verdict, SCALING_UNMEASURABLE);
	assert_true(isnan(o.cand.exponent));
}

/* Over many seeded trials with 3% noise: the verdicts of the three shapes against a linear
 * original, and how often the intervals hold the true exponents. */
static void test_verdicts_and_coverage_under_noise(void **state)
{
	double tb[NSIZES * RUNS], fb[RUNS], tc[NSIZES * RUNS], fc[RUNS];
	struct scaling_samples b = {0}, c = {0};
	struct scaling_outcome o;
	struct stats_rng rng;
	int covered = 0, trials = 60, verdicts[3][4] = {{0}};
	(void)state;

	stats_rng_seed(&rng, 2024);
	sizes_of(100000, &b);
	sizes_of(100000, &c);
	for (int t = 0; t < trials; t++) {
		for (int sh = LINEAR; sh <= QUADRATIC; sh++) {
			make(&b, tb, fb, LINEAR, 0.020, 1.2, 0.03, &rng);
			make(&c, tc, fc, (enum shape)sh, 0.001, 0.15, 0.03, &rng);
			assert_int_equal(scaling_compare(&b, &c, 0.3, 0.95, 1000, (uint64_t)t, &o), 0);
			verdicts[sh][o.verdict]++;
			if (sh == LINEAR)
				covered += o.base.low <= 1 && 1 <= o.base.high;
		}
	}
	/* n log n over an 8x span of sizes near 10^5 fits as about n^1.09: within 0.3 of linear. */
	assert_int_equal(verdicts[LINEAR][SCALING_PASS], trials);
	assert_int_equal(verdicts[NLOGN][SCALING_PASS], trials);
	assert_int_equal(verdicts[QUADRATIC][SCALING_FAIL], trials);
	/* A 95% interval from 7 runs per size: most trials hold the true exponent. */
	assert_true(covered >= trials * 8 / 10);
}

static void test_noisier_samples_widen_the_interval(void **state)
{
	double tb[NSIZES * RUNS], fb[RUNS];
	struct scaling_samples b = {0};
	struct scaling_outcome quiet, loud;
	struct stats_rng rng;
	(void)state;

	sizes_of(100000, &b);
	stats_rng_seed(&rng, 5);
	make(&b, tb, fb, LINEAR, 0.020, 1.0, 0.01, &rng);
	assert_int_equal(scaling_compare(&b, &b, 0.3, 0.95, 1000, 3, &quiet), 0);
	stats_rng_seed(&rng, 5);
	make(&b, tb, fb, LINEAR, 0.020, 1.0, 0.2, &rng);
	assert_int_equal(scaling_compare(&b, &b, 0.3, 0.95, 1000, 3, &loud), 0);
	assert_true(loud.base.high - loud.base.low > 3 * (quiet.base.high - quiet.base.low));
	/* The same samples and seed give the same interval. */
	assert_int_equal(scaling_compare(&b, &b, 0.3, 0.95, 1000, 3, &quiet), 0);
	assert_true(quiet.base.low == loud.base.low && quiet.base.high == loud.base.high);
}

static void test_an_unclear_difference_is_inconclusive(void **state)
{
	double tb[NSIZES * RUNS], fb[RUNS], tc[NSIZES * RUNS], fc[RUNS];
	struct scaling_samples b = {0}, c = {0};
	struct scaling_outcome o;
	struct stats_rng rng;
	(void)state;

	/* n log n against n with a tolerance near the gap (about 0.09) and 10% noise. */
	stats_rng_seed(&rng, 11);
	sizes_of(100000, &b);
	sizes_of(100000, &c);
	make(&b, tb, fb, LINEAR, 0.020, 1.0, 0.1, &rng);
	make(&c, tc, fc, NLOGN, 0.001, 0.2, 0.1, &rng);
	assert_int_equal(scaling_compare(&b, &c, 0.09, 0.95, 2000, 1, &o), 0);
	assert_int_equal(o.verdict, SCALING_INCONCLUSIVE);
	assert_true(o.diff_low < 0.09 && 0.09 < o.diff_high);
}

static void test_messages_and_hints(void **state)
{
	double tb[NSIZES * RUNS], fb[RUNS], tc[NSIZES * RUNS], fc[RUNS];
	struct scaling_samples b = {0}, c = {0};
	struct scaling_outcome o;
	struct buf msg = BUF_INIT;
	(void)state;

	sizes_of(80000, &b);
	sizes_of(80000, &c);
	make(&b, tb, fb, LINEAR, 0.020, 1.0, 0, NULL);
	make(&c, tc, fc, QUADRATIC, 0.001, 0.5, 0, NULL);
	assert_int_equal(scaling_compare(&b, &c, 0.3, 0.95, 200, 1, &o), 0);
	scaling_message(&o, "Python", "your port", &msg);
	assert_non_null(strstr(msg.data, "Python grows as n^1.00"));
	assert_non_null(strstr(msg.data, "your port as n^2.00"));
	assert_non_null(strstr(msg.data, "more than the 0.3 allowed"));
	assert_non_null(strstr(scaling_hint(&o), "a loop that searches a list"));
	assert_string_equal(scaling_verdict_name(o.verdict), "fail");

	make(&c, tc, fc, NLOGN, 0.001, 0.5, 0, NULL);
	assert_int_equal(scaling_compare(&b, &c, 0.05, 0.95, 200, 1, &o), 0);
	assert_int_equal(o.verdict, SCALING_FAIL);
	assert_non_null(strstr(scaling_hint(&o), "sort"));
	assert_null(strstr(scaling_hint(&o), "searches a list"));

	assert_int_equal(scaling_compare(&b, &c, 0.3, 0.95, 200, 1, &o), 0);
	assert_int_equal(o.verdict, SCALING_PASS);
	assert_null(scaling_hint(&o));
	buf_reset(&msg);
	scaling_message(&o, "Python", "your port", &msg);
	assert_non_null(strstr(msg.data, "within the 0.3 allowed"));
	buf_free(&msg);
}

/* Runs disturbed by a neighbour (1.6x CPU time), more often at the larger sizes: the fastest run
 * keeps the exponent where the median would bend it. */
static void test_bursts_of_interference_do_not_bend_the_exponent(void **state)
{
	double t[NSIZES * RUNS], f[RUNS];
	struct scaling_samples s = {0};
	struct scaling_outcome o;
	struct stats_rng rng;
	double med[NSIZES], y[NSIZES], k_median;
	(void)state;

	stats_rng_seed(&rng, 99);
	sizes_of(100000, &s);
	make(&s, t, f, LINEAR, 0.020, 1.0, 0.01, &rng);
	for (int i = 0; i < NSIZES; i++) {
		/* 1 of 7 runs disturbed at the smallest size, 3 of 7 at the largest. */
		for (int r = 0; r <= (i + 1) / 2 + (i == NSIZES - 1); r++)
			t[i * RUNS + RUNS - 1 - r] *= 1.6;
		stats_median(t + i * RUNS, RUNS, &med[i]);
		y[i] = med[i] - 0.020;
	}
	assert_int_equal(scaling_slope(s.size, y, NSIZES, &k_median), 0);
	assert_true(k_median > 1.1); /* what a median would report */
	assert_int_equal(scaling_compare(&s, &s, 0.3, 0.95, 1000, 1, &o), 0);
	assert_true(fabs(o.base.exponent - 1) < 0.03);
}

static void test_spec_section(void **state)
{
	struct buf err = BUF_INIT, dir = BUF_INIT, path = BUF_INIT;
	struct spec_exercise *e;
	static const char head[] = "id: x\ntitle: t\nkind: conversion\nmanifest: ex4/exercise.yaml\n";
	char text[512];
	(void)state;

	/* Chapter 1 reports the check without scoring it. */
	e = spec_load_exercise("specs/ch01/ex4.yaml", &err);
	assert_non_null(e);
	assert_true(e->scaling.enabled);
	assert_true(e->scaling.tolerance == 0.3 && e->scaling.confidence == 0.95);
	assert_int_equal(e->scaling.runs, 10);
	assert_true(e->scaling.budget == 120);
	assert_true(spec_points(e, "scaling") == 0);
	spec_exercise_free(e);

	assert_int_equal(fs_mkdtemp("/tmp", "grader-scaling-", &dir), 0);
	fs_join(&path, dir.data, "ex.yaml");
	/* Named in the rubric only: on, with the defaults. */
	snprintf(text, sizeof(text), "%srubric: {build: 1, scaling: 2}\n", head);
	assert_int_equal(fs_write_atomic(path.data, text, strlen(text)), 0);
	e = spec_load_exercise(path.data, &err);
	assert_non_null(e);
	assert_true(e->scaling.enabled && e->scaling.tolerance == 0.3 && e->scaling.runs == 5 && e->scaling.budget == 60);
	assert_true(spec_points(e, "scaling") == 2);
	spec_exercise_free(e);
	/* Neither: off. */
	snprintf(text, sizeof(text), "%srubric: {build: 1}\n", head);
	assert_int_equal(fs_write_atomic(path.data, text, strlen(text)), 0);
	e = spec_load_exercise(path.data, &err);
	assert_non_null(e);
	assert_false(e->scaling.enabled);
	spec_exercise_free(e);
	/* Every bad key is reported with its place. */
	snprintf(text, sizeof(text), "%sscaling: {tolerance: -1, runs: 2, colour: red}\nrubric: {build: 1}\n", head);
	assert_int_equal(fs_write_atomic(path.data, text, strlen(text)), 0);
	assert_null(spec_load_exercise(path.data, &err));
	assert_non_null(strstr(buf_str(&err), "'colour' is not a key of 'scaling'"));
	assert_non_null(strstr(buf_str(&err), "'tolerance' is -1"));
	assert_non_null(strstr(buf_str(&err), "'runs' is 2"));
	/* Not for an answers exercise. */
	buf_reset(&err);
	snprintf(text, sizeof(text), "id: x\ntitle: t\nkind: answers\nanswers: {file: a.yaml, list: l, name: n, "
		 "fields: [n]}\nscaling: {tolerance: 0.3}\nrubric: {count: 1}\n");
	assert_int_equal(fs_write_atomic(path.data, text, strlen(text)), 0);
	assert_null(spec_load_exercise(path.data, &err));
	assert_non_null(strstr(buf_str(&err), "'scaling' does not apply to an answers exercise"));
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&err);
}

static void test_rejects_bad_input(void **state)
{
	double t[NSIZES * RUNS], f[RUNS];
	struct scaling_samples s = {0}, bad;
	struct scaling_outcome o;
	(void)state;

	sizes_of(80000, &s);
	make(&s, t, f, LINEAR, 0.02, 1.0, 0, NULL);
	assert_int_equal(scaling_compare(&s, &s, 0.3, 0.95, 200, 1, &o), 0);
	bad = s;
	bad.nsizes = 2;
	errno = 0;
	assert_int_equal(scaling_compare(&bad, &s, 0.3, 0.95, 200, 1, &o), -1);
	assert_int_equal(errno, EINVAL);
	bad = s;
	bad.size[2] = bad.size[1]; /* sizes must increase */
	assert_int_equal(scaling_compare(&s, &bad, 0.3, 0.95, 200, 1, &o), -1);
	assert_int_equal(scaling_compare(&s, &s, 0.3, 1.0, 200, 1, &o), -1);
	assert_int_equal(scaling_compare(&s, &s, -0.1, 0.95, 200, 1, &o), -1);
	assert_int_equal(scaling_compare(&s, &s, 0.3, 0.95, 10, 1, &o), -1);
	t[3] = NAN;
	assert_int_equal(scaling_compare(&s, &s, 0.3, 0.95, 200, 1, &o), -1);
	t[3] = -1;
	assert_int_equal(scaling_compare(&s, &s, 0.3, 0.95, 200, 1, &o), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slope_is_exact_on_powers),
		cmocka_unit_test(test_exact_exponents_after_the_fixed_cost),
		cmocka_unit_test(test_fixed_cost_flattens_the_exponent_unless_removed),
		cmocka_unit_test(test_too_close_to_the_fixed_cost_is_unmeasurable),
		cmocka_unit_test(test_verdicts_and_coverage_under_noise),
		cmocka_unit_test(test_noisier_samples_widen_the_interval),
		cmocka_unit_test(test_an_unclear_difference_is_inconclusive),
		cmocka_unit_test(test_messages_and_hints),
		cmocka_unit_test(test_bursts_of_interference_do_not_bend_the_exponent),
		cmocka_unit_test(test_spec_section),
		cmocka_unit_test(test_rejects_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
