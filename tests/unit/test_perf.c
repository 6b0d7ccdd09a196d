/* test_perf.c: the speed and memory protocol against a simulated runner whose true ratio is
 * known exactly (order of runs, stopping rules, messages, error rates over many seeded
 * protocols). Its calibration against real processes is tests/calib/calib_perf.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "measure/perf.h"
#include "sandbox/sandbox.h"
#include "measure/stats.h"

extern char **environ;

/* ---- a simulated runner ---------------------------------------------------------------- */

struct fake {
	struct stats_rng rng;
	double median[2];   /* true median CPU seconds of each program */
	double sigma;       /* log-normal spread of run times */
	uint64_t peak[2];   /* bytes */
	int calls;
	int fail_at;        /* the call (1-based) whose run is not ok; 0 = none */
	int error_at;       /* the call whose runner returns -1; 0 = none */
	long sleep_ns;      /* wall time each run takes */
	const char *method[2]; /* what each program's runs say measured them */
	enum program_which order[1024];
};

static int fake_run(void *ctx, enum program_which p, struct perf_sample *out)
{
	struct fake *f = ctx;

	f->calls++;
	if (f->calls <= 1024)
		f->order[f->calls - 1] = p;
	if (f->calls == f->error_at)
		return -1;
	if (f->sleep_ns) {
		struct timespec ts = {0, f->sleep_ns};
		nanosleep(&ts, NULL);
	}
	out->cpu = f->median[p] * exp(f->sigma * stats_rng_normal(&f->rng));
	out->wall = out->cpu * 1.05;
	out->peak_memory = f->peak[p];
	out->ok = f->calls != f->fail_at;
	out->method = f->method[p];
	return 0;
}

static void fake_init(struct fake *f, uint64_t seed, double base, double cand, double sigma)
{
	memset(f, 0, sizeof(*f));
	stats_rng_seed(&f->rng, seed);
	f->median[PROGRAM_PYTHON] = base;
	f->median[PROGRAM_RUST] = cand;
	f->sigma = sigma;
}

static void small_config(struct perf_config *cfg, double required)
{
	perf_config_init(cfg);
	cfg->required_speedup = required;
	cfg->min_baseline_cpu = 0.01;
	cfg->resamples = 1000;
}

static void expect_message(const struct perf_outcome *o, const char *needle)
{
	if (!strstr(buf_str(&o->message), needle))
		fail_msg("message '%s' does not contain '%s'", buf_str(&o->message), needle);
}

static void test_config_defaults_and_checks(void **state)
{
	struct perf_config cfg;
	struct buf err = BUF_INIT;
	(void)state;

	perf_config_init(&cfg);
	assert_int_equal(cfg.metric, PERF_METRIC_CPU);
	assert_true(cfg.confidence == 0.95 && cfg.min_baseline_cpu == 0.2);
	assert_int_equal(perf_config_check(&cfg, &err), 0);
	cfg.max_runs = 5;
	assert_int_equal(perf_config_check(&cfg, &err), -1);
	assert_non_null(strstr(buf_str(&err), "max runs (5)"));
	buf_reset(&err);
	perf_config_init(&cfg);
	cfg.required_speedup = -2;
	assert_int_equal(perf_config_check(&cfg, &err), -1);
	assert_non_null(strstr(buf_str(&err), "required speedup"));
	buf_reset(&err);
	perf_config_init(&cfg);
	cfg.confidence = 1.0;
	assert_int_equal(perf_config_check(&cfg, &err), -1);
	assert_non_null(strstr(buf_str(&err), "confidence"));
	buf_free(&err);
}

static void test_look_schedule(void **state)
{
	int c[16];
	(void)state;

	assert_int_equal(perf_look_schedule(10, 40, c, 16), 4);
	assert_int_equal(c[0], 10);
	assert_int_equal(c[1], 15);
	assert_int_equal(c[2], 23);
	assert_int_equal(c[3], 40);
	assert_int_equal(perf_look_schedule(10, 10, c, 16), 1);
	assert_int_equal(c[0], 10);
	assert_int_equal(perf_look_schedule(10, 12, c, 16), 2);
	assert_int_equal(c[1], 12);
	/* Counts only grow, and the last is max. */
	int n = perf_look_schedule(3, 1000, c, 16);
	assert_true(n > 2 && n <= 16);
	for (int i = 1; i < n; i++)
		assert_true(c[i] > c[i - 1]);
	assert_int_equal(c[n - 1], 1000);
}

static void test_clear_speedup_passes_at_the_first_look(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 1, 0.300, 0.100, 0.02);
	small_config(&cfg, 2.0);
	cfg.warmup_runs = 2;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_PASS);
	assert_int_equal(o.stop, PERF_STOP_DECIDED);
	assert_int_equal(o.pairs, cfg.min_runs);
	assert_int_equal(o.looks, 1);
	assert_int_equal(o.nruns, 2 * (2 + cfg.min_runs));
	assert_true(o.has_interval && o.interval.low > 2.0 && o.interval.low <= 3.0 && o.interval.high >= 3.0);
	assert_true(fabs(o.look_confidence - (1 - 0.05 / 4)) < 1e-12);
	assert_true(o.interval.confidence == o.look_confidence);
	/* Warm-ups first, P R per round, and marked as such. */
	for (int i = 0; i < 4; i++) {
		assert_true(o.runs[i].warmup);
		assert_int_equal(o.runs[i].program, i % 2);
	}
	/* Then interleaved pairs in ABBA order: P R, R P, P R, ... */
	for (int pair = 0; pair < o.pairs; pair++) {
		const struct perf_run *r = &o.runs[4 + 2 * pair];
		assert_false(r[0].warmup);
		assert_int_equal(r[0].program, pair % 2 == 0 ? PROGRAM_PYTHON : PROGRAM_RUST);
		assert_int_equal(r[1].program, pair % 2 == 0 ? PROGRAM_RUST : PROGRAM_PYTHON);
	}
	assert_true(fabs(o.median_cpu[PROGRAM_PYTHON] - 0.3) < 0.03);
	expect_message(&o, "Rust took 100 ms of CPU time, Python 297 ms (medians of 10 runs each)");
	expect_message(&o, "the port is 3x faster (interval 2.9x to 3.1x faster at 98.8% confidence)");
	expect_message(&o, "above the required speedup of 2x");
	perf_outcome_free(&o);
}

static void test_clear_shortfall_fails(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 2, 0.300, 0.100, 0.02);
	small_config(&cfg, 4.0);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_FAIL);
	assert_true(o.interval.high < 4.0);
	expect_message(&o, "below the required speedup of 4x");
	perf_outcome_free(&o);
}

static void test_ratio_at_the_requirement_runs_to_max_then_inconclusive(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	/* No noise at all: every resample gives exactly 2, an interval that can never clear 2. */
	fake_init(&f, 3, 0.200, 0.100, 0.0);
	small_config(&cfg, 2.0);
	cfg.max_runs = 30;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_INCONCLUSIVE);
	assert_int_equal(o.stop, PERF_STOP_MAX_RUNS);
	assert_int_equal(o.pairs, 30);
	assert_int_equal(o.looks, o.planned_looks);
	assert_true(o.interval.low <= 2.0 && o.interval.high >= 2.0);
	expect_message(&o, "inconclusive");
	expect_message(&o, "contains the required speedup of 2x");
	perf_outcome_free(&o);
}

static void test_same_samples_give_the_same_outcome(void **state)
{
	struct perf_config cfg;
	struct perf_outcome a, b;
	struct fake f;
	(void)state;

	small_config(&cfg, 2.0);
	fake_init(&f, 4, 0.210, 0.100, 0.04);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &a), 0);
	fake_init(&f, 4, 0.210, 0.100, 0.04);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &b), 0);
	assert_int_equal(a.verdict, b.verdict);
	assert_int_equal(a.pairs, b.pairs);
	assert_true(a.interval.low == b.interval.low && a.interval.high == b.interval.high);
	perf_outcome_free(&a);
	perf_outcome_free(&b);
}

static void test_too_small_input_is_invalid_not_judged(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 5, 0.012, 0.001, 0.01);
	perf_config_init(&cfg);
	cfg.required_speedup = 2.0; /* 12x would pass: but it is noise-sized, so no verdict */
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_INVALID_INPUT);
	assert_int_equal(o.stop, PERF_STOP_INPUT_TOO_SMALL);
	assert_int_equal(o.pairs, cfg.min_runs);
	expect_message(&o, "benchmark input too small: Python ran 12 ms");
	expect_message(&o, "minimum of 200 ms");
	expect_message(&o, "give a larger input: about 30x this one");
	assert_true(o.input_scale == 30); /* 200 / 12 with a quarter more is 20.8, rounded up */
	perf_outcome_free(&o);
}

/* A port 11x faster than an 84 ms Python: the interval is wholly above the requirement, but the
 * baseline is too short to prove it. Never a pass, never a fail: invalid_input, with both times,
 * the speedup seen and the input size to aim for. */
static void test_fast_port_with_a_tiny_baseline_is_input_too_small(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	cJSON *j;
	(void)state;

	fake_init(&f, 11, 0.084, 0.0076, 0.02);
	perf_config_init(&cfg);
	cfg.required_speedup = 1.5;
	cfg.resamples = 1000;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_INVALID_INPUT);
	assert_int_equal(o.stop, PERF_STOP_INPUT_TOO_SMALL);
	assert_int_equal(o.pairs, cfg.min_runs); /* decided that it cannot be judged at the first look */
	assert_true(o.has_interval && o.interval.low > 1.5);
	assert_true(o.input_scale == 3); /* 200 / 84 * 1.25 = 2.98 */
	/* The runner draws around 84 ms and 7.6 ms; the seed makes the medians these. */
	expect_message(&o, "Python ran 83.9 ms of CPU time (median of 10 runs), below the minimum of 200 ms");
	expect_message(&o, "Rust took 7.64 ms");
	expect_message(&o, "the port is 11x faster");
	expect_message(&o, "about 3x this one");
	j = perf_outcome_json(&o);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "verdict")), "invalid_input");
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "input_scale")) == 3);
	cJSON_Delete(j);
	perf_outcome_free(&o);
}

/* A port 20x slower than an 84 ms Python (1.65 s): the interval is wholly below the requirement,
 * which a short baseline can show (its fixed costs flatter the port, never the other way): fail,
 * with both times and the slowdown in words. */
static void test_slow_port_with_a_tiny_baseline_fails(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 12, 0.084, 1.65, 0.02);
	perf_config_init(&cfg);
	cfg.required_speedup = 1.5;
	cfg.resamples = 1000;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_FAIL);
	assert_int_equal(o.stop, PERF_STOP_DECIDED);
	assert_true(o.interval.high < 1.0 / 15);
	expect_message(&o, "Rust took 1.66 s of CPU time, Python 83.7 ms"); /* drawn around 1.65 s, 84 ms */
	expect_message(&o, "the port is 20x slower (interval 19x to 20x slower");
	expect_message(&o, "below the required speedup of 1.5x");
	expect_message(&o, "Python's 83.7 ms is below the 200 ms needed to prove a speedup");
	assert_null(strstr(buf_str(&o.message), "as fast"));
	assert_null(strstr(buf_str(&o.message), "e+"));
	perf_outcome_free(&o);
}

/* On a tiny baseline, an interval below a requirement above 1 but above 1 itself does not fail:
 * a cost both programs pay could have pulled a faster port's ratio down to it. */
static void test_tiny_baseline_fails_only_a_port_slower_than_its_original(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 18, 0.084, 0.07, 0.02); /* 1.2x faster, 2x required */
	perf_config_init(&cfg);
	cfg.required_speedup = 2.0;
	cfg.resamples = 1000;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_INVALID_INPUT);
	assert_int_equal(o.pairs, cfg.max_runs); /* it went on: a fail could still have shown */
	assert_true(o.interval.high < 2.0 && o.interval.low > 1.0);
	expect_message(&o, "the port is 1.2x faster");
	perf_outcome_free(&o);

	/* The same requirement with a long enough baseline: fail. */
	fake_init(&f, 18, 0.84, 0.7, 0.02);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_FAIL);
	perf_outcome_free(&o);
}

/* Undecided on a tiny baseline: the protocol goes on to max_runs (a fail could still show), then
 * says the input is too small, not inconclusive and never fail. */
static void test_undecided_tiny_baseline_runs_on_then_is_input_too_small(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 13, 0.05, 0.05, 0.0); /* exactly 1x: an interval that never clears 1 */
	perf_config_init(&cfg);
	cfg.required_speedup = 1.0;
	cfg.resamples = 1000;
	cfg.max_runs = 23;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_INVALID_INPUT);
	assert_int_equal(o.stop, PERF_STOP_INPUT_TOO_SMALL);
	assert_int_equal(o.pairs, 23);
	assert_int_equal(o.looks, o.planned_looks);
	expect_message(&o, "about 5x this one"); /* 200 / 50 * 1.25 = 5 */
	perf_outcome_free(&o);
}

/* With a precision, sampling goes on after the verdict at the scheduled looks until the interval
 * is narrow enough; the verdict stays, and the interval only narrows. */
static void test_precision_keeps_sampling_until_reached(void **state)
{
	struct perf_config cfg;
	struct perf_outcome a, o;
	struct fake f;
	cJSON *j, *pr;
	(void)state;

	small_config(&cfg, 1.5);
	cfg.max_runs = 200;
	fake_init(&f, 14, 0.3, 0.1, 0.15);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &a), 0);
	assert_int_equal(a.verdict, PERF_PASS);
	assert_int_equal(a.pairs, cfg.min_runs);
	assert_true((a.interval.high - a.interval.low) / 2 / a.interval.estimate > 0.05);

	cfg.precision = 0.05;
	fake_init(&f, 14, 0.3, 0.1, 0.15);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_PASS);
	assert_int_equal(o.stop, PERF_STOP_DECIDED);
	assert_true(o.pairs > cfg.min_runs && o.pairs < cfg.max_runs);
	assert_true(o.looks > 1 && o.looks <= o.planned_looks);
	assert_true(o.precision.reached);
	assert_true(o.precision.half_width <= 0.05);
	assert_true(fabs(o.precision.half_width - (o.interval.high - o.interval.low) / 2 / o.interval.estimate) < 1e-12);
	/* The same first look decided it: the reported interval lies within the deciding one. */
	assert_true(o.interval.low >= a.interval.low && o.interval.high <= a.interval.high);
	assert_null(strstr(buf_str(&o.message), "short of"));
	j = perf_outcome_json(&o);
	pr = cJSON_GetObjectItemCaseSensitive(j, "precision");
	assert_non_null(pr);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pr, "reached")));
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(pr, "target")) == 0.05);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(pr, "ran_out")));
	cJSON_Delete(j);
	perf_outcome_free(&o);
	perf_outcome_free(&a);
}

static void test_precision_out_of_runs_or_time_is_reported(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	cJSON *j, *pr;
	(void)state;

	/* A precision no 40 runs can give: sampling goes to max_runs, and says so. */
	small_config(&cfg, 1.5);
	cfg.precision = 0.001;
	fake_init(&f, 15, 0.3, 0.1, 0.15);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_PASS);
	assert_int_equal(o.pairs, cfg.max_runs);
	assert_int_equal(o.looks, o.planned_looks);
	assert_false(o.precision.reached);
	assert_int_equal(o.precision.ran_out, PERF_STOP_MAX_RUNS);
	assert_true(o.precision.half_width > 0.001);
	expect_message(&o, "short of the 0.1% asked: the maximum number of runs was reached first");
	j = perf_outcome_json(&o);
	pr = cJSON_GetObjectItemCaseSensitive(j, "precision");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pr, "reached")));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pr, "ran_out")), "max_runs");
	cJSON_Delete(j);
	perf_outcome_free(&o);

	/* The same with a time budget that runs out first: the verdict stands, the budget is named. */
	cfg.max_runs = 1000;
	cfg.time_budget = 0.6;
	fake_init(&f, 15, 0.3, 0.1, 0.15);
	f.sleep_ns = 10 * 1000 * 1000;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_PASS);
	assert_true(o.pairs >= cfg.min_runs && o.pairs < 1000);
	assert_false(o.precision.reached);
	assert_int_equal(o.precision.ran_out, PERF_STOP_BUDGET);
	expect_message(&o, "the time budget ran out first");
	perf_outcome_free(&o);

	/* A failed port under a precision: the verdict stays fail. */
	cfg.time_budget = 0;
	cfg.max_runs = 40;
	cfg.precision = 0.03;
	fake_init(&f, 16, 0.1, 0.3, 0.15);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_FAIL);
	assert_true(o.interval.high < 1.5);
	perf_outcome_free(&o);
}

/* Each sample says how it was measured; the measurement says it once when all agree. */
static void test_samples_carry_their_measurement_method(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	cJSON *j;
	(void)state;

	small_config(&cfg, 2.0);
	fake_init(&f, 17, 0.3, 0.1, 0.02);
	f.method[0] = f.method[1] = "cgroup-v2";
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	j = perf_outcome_json(&o);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "measured_by")), "cgroup-v2");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "samples"), 3), "method")),
			    "cgroup-v2");
	cJSON_Delete(j);
	perf_outcome_free(&o);

	fake_init(&f, 17, 0.3, 0.1, 0.02);
	f.method[0] = "cgroup-v2";
	f.method[1] = "rusage-pid1";
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	j = perf_outcome_json(&o);
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "measured_by"));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "samples"), 1), "method")),
			    "rusage-pid1");
	cJSON_Delete(j);
	perf_outcome_free(&o);
}

static void test_failed_run_stops_with_an_error(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 6, 0.3, 0.1, 0.02);
	f.fail_at = 8; /* warm-ups P R, then P R, R P, P R: call 8 is the third measured run of R */
	small_config(&cfg, 2.0);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_ERROR);
	assert_int_equal(o.stop, PERF_STOP_RUN_FAILED);
	assert_int_equal(o.nruns, 8); /* the failed run is kept as evidence */
	assert_false(o.runs[7].sample.ok);
	expect_message(&o, "measured run 3 of Rust failed");
	perf_outcome_free(&o);

	fake_init(&f, 6, 0.3, 0.1, 0.02);
	f.error_at = 2;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_ERROR);
	assert_int_equal(o.stop, PERF_STOP_RUNNER_ERROR);
	expect_message(&o, "a warm-up run of Rust could not be started");
	perf_outcome_free(&o);
}

static void test_time_budget_stops_undecided(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 7, 0.2, 0.1, 0.05);
	f.sleep_ns = 10 * 1000 * 1000;
	small_config(&cfg, 2.0);
	cfg.max_runs = 100;
	cfg.time_budget = 0.5; /* about 20 pairs of 20 ms */
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_INCONCLUSIVE);
	assert_int_equal(o.stop, PERF_STOP_BUDGET);
	assert_true(o.pairs >= cfg.min_runs && o.pairs < 100);
	assert_true(o.looks <= o.planned_looks);
	expect_message(&o, "time budget ran out");
	perf_outcome_free(&o);

	/* A budget too short for even three pairs: inconclusive without an interval. */
	fake_init(&f, 7, 0.2, 0.1, 0.05);
	f.sleep_ns = 40 * 1000 * 1000;
	cfg.time_budget = 0.1;
	cfg.warmup_runs = 0;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_INCONCLUSIVE);
	assert_false(o.has_interval);
	expect_message(&o, "too few for an interval");
	perf_outcome_free(&o);
}

static void test_wall_metric_is_used_when_asked(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 8, 0.3, 0.1, 0.02);
	small_config(&cfg, 2.0);
	cfg.metric = PERF_METRIC_WALL;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.verdict, PERF_PASS);
	assert_int_equal(o.metric, PERF_METRIC_WALL);
	expect_message(&o, "wall-clock time");
	assert_true(fabs(o.median_wall[0] / o.median_cpu[0] - 1.05) < 1e-9);
	perf_outcome_free(&o);
}

static void test_memory_verdict_and_interpreter_flag(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	(void)state;

	fake_init(&f, 9, 0.3, 0.1, 0.02);
	f.peak[PROGRAM_PYTHON] = (uint64_t)200 << 20;
	f.peak[PROGRAM_RUST] = (uint64_t)50 << 20;
	small_config(&cfg, 2.0);
	cfg.max_memory_ratio = 0.5;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_true(o.memory.ratio == 0.25);
	assert_int_equal(o.memory.verdict, PERF_MEMORY_PASS);
	assert_false(o.memory.baseline_is_interpreter);
	assert_true(o.memory.max_peak[PROGRAM_PYTHON] == (uint64_t)200 << 20);
	assert_true(o.memory.median_peak[PROGRAM_RUST] == (uint64_t)50 << 20);
	perf_outcome_free(&o);

	cfg.max_memory_ratio = 0.2;
	fake_init(&f, 9, 0.3, 0.1, 0.02);
	f.peak[PROGRAM_PYTHON] = (uint64_t)200 << 20;
	f.peak[PROGRAM_RUST] = (uint64_t)50 << 20;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.memory.verdict, PERF_MEMORY_FAIL);
	perf_outcome_free(&o);

	/* A 10 MiB Python is mostly the interpreter: flagged, whatever the verdict. */
	fake_init(&f, 9, 0.3, 0.1, 0.02);
	f.peak[PROGRAM_PYTHON] = (uint64_t)10 << 20;
	f.peak[PROGRAM_RUST] = (uint64_t)2 << 20;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_true(o.memory.baseline_is_interpreter);
	perf_outcome_free(&o);
	/* With the interpreter's own peak known (9 MiB), 30 MiB is the program's, 17 MiB is not. */
	cfg.interpreter_peak = (uint64_t)9 << 20;
	fake_init(&f, 9, 0.3, 0.1, 0.02);
	f.peak[PROGRAM_PYTHON] = (uint64_t)30 << 20;
	f.peak[PROGRAM_RUST] = (uint64_t)2 << 20;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_false(o.memory.baseline_is_interpreter);
	perf_outcome_free(&o);
	fake_init(&f, 9, 0.3, 0.1, 0.02);
	f.peak[PROGRAM_PYTHON] = (uint64_t)17 << 20;
	f.peak[PROGRAM_RUST] = (uint64_t)2 << 20;
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_true(o.memory.baseline_is_interpreter);
	perf_outcome_free(&o);

	/* No peaks measured: no memory verdict, even with a limit. */
	fake_init(&f, 9, 0.3, 0.1, 0.02);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	assert_int_equal(o.memory.verdict, PERF_MEMORY_NOT_JUDGED);
	perf_outcome_free(&o);
}

static void test_json_keeps_all_the_evidence(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct fake f;
	cJSON *j, *samples, *sp;
	(void)state;

	fake_init(&f, 10, 0.3, 0.1, 0.02);
	f.peak[0] = 100;
	f.peak[1] = 50;
	small_config(&cfg, 2.0);
	assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
	j = perf_outcome_json(&o);
	assert_non_null(j);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "verdict")), "pass");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "metric")), "cpu");
	samples = cJSON_GetObjectItemCaseSensitive(j, "samples");
	assert_int_equal(cJSON_GetArraySize(samples), o.nruns);
	assert_true(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(samples, 2), "cpu")->valuedouble ==
		    o.runs[2].sample.cpu);
	sp = cJSON_GetObjectItemCaseSensitive(j, "speedup");
	assert_true(cJSON_GetObjectItemCaseSensitive(sp, "low")->valuedouble == o.interval.low);
	assert_non_null(cJSON_GetObjectItemCaseSensitive(j, "load"));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(j, "memory"));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(j, "seed"));
	assert_true(o.load_start >= 0 && o.load_end >= 0);
	cJSON_Delete(j);
	perf_outcome_free(&o);
}

/* Runs `sims` simulated protocols with a true ratio `truth` against `required`; counts verdicts. */
static void simulate(double truth, double required, double confidence, int sims, int counts[5], int *median_pairs)
{
	struct perf_config cfg;
	int pairs[400];

	assert_true(sims <= 400);
	memset(counts, 0, 5 * sizeof(int));
	small_config(&cfg, required);
	cfg.confidence = confidence;
	cfg.warmup_runs = 0;
	for (int s = 0; s < sims; s++) {
		struct perf_outcome o;
		struct fake f;

		fake_init(&f, 5000u + (uint64_t)s, 0.1 * truth, 0.1, 0.03);
		cfg.seed = 77u + (uint64_t)s;
		assert_int_equal(perf_measure(&cfg, fake_run, &f, &o), 0);
		counts[o.verdict]++;
		pairs[s] = o.pairs;
		perf_outcome_free(&o);
	}
	if (median_pairs) {
		double p[400], m;
		for (int s = 0; s < sims; s++)
			p[s] = pairs[s];
		stats_median(p, (size_t)sims, &m);
		*median_pairs = (int)m;
	}
}

static void test_repeated_looks_keep_wrong_verdicts_rare(void **state)
{
	int c[5], naive[5], power[5], mp;
	const int sims = 300;
	(void)state;

	/* True ratio exactly at the requirement: both pass and fail are wrong. */
	simulate(2.0, 2.0, 0.95, sims, c, NULL);
	/* The same looks, each at a plain 95%: what the correction protects against. */
	simulate(2.0, 2.0, 1 - 0.05 * 4, sims, naive, NULL);
	print_message("ratio = required, %d protocols: wrong %d (pass %d, fail %d) with the correction, "
		      "%d without\n", sims, c[PERF_PASS] + c[PERF_FAIL], c[PERF_PASS], c[PERF_FAIL],
		      naive[PERF_PASS] + naive[PERF_FAIL]);
	assert_true(c[PERF_PASS] + c[PERF_FAIL] <= sims * 5 / 100);
	assert_true(c[PERF_PASS] + c[PERF_FAIL] <= naive[PERF_PASS] + naive[PERF_FAIL]);

	/* 10% above or below the requirement with 3% noise: decided the right way, and early. */
	simulate(2.2, 2.0, 0.95, sims, power, &mp);
	print_message("ratio 1.1 x required: pass %d, inconclusive %d, fail %d; median pairs %d\n",
		      power[PERF_PASS], power[PERF_INCONCLUSIVE], power[PERF_FAIL], mp);
	assert_int_equal(power[PERF_FAIL], 0);
	assert_true(power[PERF_PASS] >= sims * 95 / 100);
	simulate(1.8, 2.0, 0.95, sims, power, &mp);
	print_message("ratio 0.9 x required: pass %d, inconclusive %d, fail %d; median pairs %d\n",
		      power[PERF_PASS], power[PERF_INCONCLUSIVE], power[PERF_FAIL], mp);
	assert_int_equal(power[PERF_PASS], 0);
	assert_true(power[PERF_FAIL] >= sims * 95 / 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_defaults_and_checks),
		cmocka_unit_test(test_look_schedule),
		cmocka_unit_test(test_clear_speedup_passes_at_the_first_look),
		cmocka_unit_test(test_clear_shortfall_fails),
		cmocka_unit_test(test_ratio_at_the_requirement_runs_to_max_then_inconclusive),
		cmocka_unit_test(test_same_samples_give_the_same_outcome),
		cmocka_unit_test(test_too_small_input_is_invalid_not_judged),
		cmocka_unit_test(test_fast_port_with_a_tiny_baseline_is_input_too_small),
		cmocka_unit_test(test_slow_port_with_a_tiny_baseline_fails),
		cmocka_unit_test(test_undecided_tiny_baseline_runs_on_then_is_input_too_small),
		cmocka_unit_test(test_tiny_baseline_fails_only_a_port_slower_than_its_original),
		cmocka_unit_test(test_precision_keeps_sampling_until_reached),
		cmocka_unit_test(test_precision_out_of_runs_or_time_is_reported),
		cmocka_unit_test(test_samples_carry_their_measurement_method),
		cmocka_unit_test(test_failed_run_stops_with_an_error),
		cmocka_unit_test(test_time_budget_stops_undecided),
		cmocka_unit_test(test_wall_metric_is_used_when_asked),
		cmocka_unit_test(test_memory_verdict_and_interpreter_flag),
		cmocka_unit_test(test_json_keeps_all_the_evidence),
		cmocka_unit_test(test_repeated_looks_keep_wrong_verdicts_rare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
