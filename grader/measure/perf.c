/* perf.c: the speed and memory measurement protocol over a caller's runner (see perf.h). */
#include "measure/perf.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clock.h"
#include "num.h"
#include "progress.h"
#include "xalloc.h"
#include "banned.h"

/* Above this many bytes a baseline is not "mostly the interpreter" when the interpreter's own peak
 * is unknown (the grader measures it before a speed measurement, see startup.h): a bare python3
 * 3.11 peaks near 13 MiB by the sandbox's definition of peak memory (docs/performance.md). */
#define PERF_INTERPRETER_GUESS ((uint64_t)20 << 20)
/* Below this a CPU or wall median is clamped, so that a ratio never divides by zero. */
#define PERF_TIME_FLOOR 1e-6
/* Each look after the first comes at about this many times the previous count of runs. */
#define PERF_LOOK_GROWTH 1.5
#define PERF_MAX_LOOKS 64
/* Resampled ratios kept beyond each bound of an interval, at the least. */
#define PERF_MIN_TAIL 20.0

void perf_config_init(struct perf_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->metric = PERF_METRIC_CPU;
	cfg->required_speedup = 1.0;
	cfg->confidence = 0.95;
	cfg->min_runs = 10;
	cfg->max_runs = 40;
	cfg->warmup_runs = 1;
	cfg->time_budget = 120.0;
	cfg->min_baseline_cpu = 0.2;
	cfg->max_memory_ratio = 0.0;
	cfg->interpreter_peak = 0;
	cfg->seed = 0x6772616465722d31ULL; /* "grader-1" */
	cfg->resamples = STATS_DEFAULT_RESAMPLES;
	cfg->pin_cpu = false;
	cfg->baseline_name = "Python";
	cfg->candidate_name = "Rust";
}

/* A number for a configuration error: up to six significant digits, no exponent. */
#define NUM(v) num_format_sig((v), 6, (char[48]){0}, 48)

int perf_config_check(const struct perf_config *cfg, struct buf *err)
{
	if (cfg->metric != PERF_METRIC_CPU && cfg->metric != PERF_METRIC_WALL)
		return buf_printf(err, "perf: unknown metric %d", (int)cfg->metric), -1;
	if (!(cfg->required_speedup > 0.0) || !isfinite(cfg->required_speedup))
		return buf_printf(err, "perf: required speedup must be a positive number, not %s",
				  NUM(cfg->required_speedup)),
		       -1;
	if (!(cfg->confidence >= 0.5 && cfg->confidence < 1.0))
		return buf_printf(err, "perf: confidence must be in [0.5, 1), not %s", NUM(cfg->confidence)),
		       -1;
	if (cfg->min_runs < 3 || cfg->min_runs > 100000)
		return buf_printf(err, "perf: min runs must be at least 3, not %d", cfg->min_runs), -1;
	if (cfg->max_runs < cfg->min_runs || cfg->max_runs > 100000)
		return buf_printf(err, "perf: max runs (%d) must be at least min runs (%d) and at most 100000",
				  cfg->max_runs, cfg->min_runs),
		       -1;
	if (cfg->warmup_runs < 0 || cfg->warmup_runs > 1000)
		return buf_printf(err, "perf: warm-up runs must be in [0, 1000], not %d", cfg->warmup_runs), -1;
	if (!(cfg->time_budget >= 0.0) || !isfinite(cfg->time_budget))
		return buf_printf(err, "perf: time budget must be 0 (none) or positive, not %s",
				  NUM(cfg->time_budget)),
		       -1;
	if (!(cfg->min_baseline_cpu >= 0.0) || !isfinite(cfg->min_baseline_cpu))
		return buf_printf(err, "perf: minimum baseline CPU time must be >= 0, not %s",
				  NUM(cfg->min_baseline_cpu)),
		       -1;
	if (!(cfg->max_memory_ratio >= 0.0) || !isfinite(cfg->max_memory_ratio))
		return buf_printf(err, "perf: memory ratio limit must be 0 (none) or positive, not %s",
				  NUM(cfg->max_memory_ratio)),
		       -1;
	if (!(cfg->precision >= 0.0 && cfg->precision < 10.0))
		return buf_printf(err, "perf: precision must be 0 (none) or a fraction such as 0.05, not %s",
				  NUM(cfg->precision)),
		       -1;
	if (cfg->resamples < 100 || cfg->resamples > 1000000)
		return buf_printf(err, "perf: resamples must be in [100, 1000000], not %d", cfg->resamples), -1;
	return 0;
}

#undef NUM

int perf_look_schedule(int min_runs, int max_runs, int *counts, int cap)
{
	int n = 0, cur = min_runs;

	if (min_runs < 1 || max_runs < min_runs)
		return 0;
	if (cap > 0)
		counts[0] = cur;
	n = 1;
	while (cur < max_runs) {
		double next = ceil((double)cur * PERF_LOOK_GROWTH);

		/* A last step much shorter than the others buys little: fold it into the final look. */
		if (next >= (double)max_runs || (double)max_runs < next * 1.2)
			cur = max_runs;
		else
			cur = (int)next;
		if (n < cap)
			counts[n] = cur;
		n++;
	}
	return n;
}

static double load_1min(void)
{
	double l[1];

	return getloadavg(l, 1) == 1 ? l[0] : -1.0;
}

static const char *program_label(const struct perf_config *cfg, enum program_which p)
{
	const char *s = p == PROGRAM_PYTHON ? cfg->baseline_name : cfg->candidate_name;

	return s ? s : perf_program_name(p);
}

static double metric_of(const struct perf_sample *s, enum perf_metric m)
{
	double v = m == PERF_METRIC_WALL ? s->wall : s->cpu;

	return v > PERF_TIME_FLOOR ? v : PERF_TIME_FLOOR;
}

/* Measured values of one program for one field, in run order. */
struct series {
	double *v;
	size_t n;
};

enum field { FIELD_METRIC, FIELD_CPU, FIELD_WALL, FIELD_PEAK };

static void collect(const struct perf_outcome *o, enum program_which p, enum field f, struct series *s)
{
	s->n = 0;
	s->v = xreallocarray(NULL, (size_t)(o->nruns ? o->nruns : 1), sizeof(*s->v));
	for (int i = 0; i < o->nruns; i++) {
		const struct perf_run *r = &o->runs[i];
		double x;

		if (r->warmup || r->program != p)
			continue;
		switch (f) {
		case FIELD_METRIC:
			x = metric_of(&r->sample, o->metric);
			break;
		case FIELD_CPU:
			x = r->sample.cpu;
			break;
		case FIELD_WALL:
			x = r->sample.wall;
			break;
		default:
			x = (double)r->sample.peak_memory;
			break;
		}
		s->v[s->n++] = isfinite(x) && x >= 0.0 ? x : 0.0;
	}
}

static int median_of(const struct perf_outcome *o, enum program_which p, enum field f, double *out)
{
	struct series s;
	int rc = 0;

	*out = 0.0;
	collect(o, p, f, &s);
	if (s.n && stats_median(s.v, s.n, out) < 0)
		rc = -1;
	free(s.v);
	return rc;
}

static int update_medians(struct perf_outcome *o)
{
	for (int p = 0; p < 2; p++)
		if (median_of(o, (enum program_which)p, FIELD_CPU, &o->median_cpu[p]) < 0 ||
		    median_of(o, (enum program_which)p, FIELD_WALL, &o->median_wall[p]) < 0)
			return -1;
	return 0;
}

static int look(struct perf_outcome *o, const struct perf_config *cfg)
{
	struct series b, c;
	int rc = -1;

	collect(o, PROGRAM_PYTHON, FIELD_METRIC, &b);
	collect(o, PROGRAM_RUST, FIELD_METRIC, &c);
	if (stats_ratio_ci(b.v, b.n, c.v, c.n, o->look_confidence, o->resamples, cfg->seed, &o->interval) == 0) {
		o->has_interval = true;
		o->looks++;
		rc = 0;
	}
	free(b.v);
	free(c.v);
	return rc;
}

static void record(struct perf_outcome *o, int *cap, enum program_which p, bool warmup,
		   const struct perf_sample *s)
{
	if (o->nruns == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		o->runs = xreallocarray(o->runs, (size_t)*cap, sizeof(*o->runs));
	}
	o->runs[o->nruns].program = p;
	o->runs[o->nruns].warmup = warmup;
	o->runs[o->nruns].sample = *s;
	o->nruns++;
}

/* Runs one program once and records it; returns 0, or -1 with the outcome set to PERF_ERROR. */
static int run_once(struct perf_outcome *o, const struct perf_config *cfg, int *cap, perf_run_fn *run,
		    void *ctx, enum program_which p, bool warmup)
{
	struct perf_sample s;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = run(ctx, p, &s);
	if (rc == 0)
		record(o, cap, p, warmup, &s);
	if (rc == 0 && s.ok)
		return 0;
	o->verdict = PERF_ERROR;
	o->stop = rc == 0 ? PERF_STOP_RUN_FAILED : PERF_STOP_RUNNER_ERROR;
	buf_reset(&o->message);
	if (warmup)
		buf_printf(&o->message, "measurement stopped: a warm-up run of %s %s",
			   program_label(cfg, p), rc == 0 ? "failed" : "could not be started by the runner");
	else
		buf_printf(&o->message, "measurement stopped: measured run %d of %s %s", o->pairs + 1,
			   program_label(cfg, p), rc == 0 ? "failed" : "could not be started by the runner");
	return -1;
}

static void judge_memory(struct perf_outcome *o, const struct perf_config *cfg)
{
	struct perf_memory *m = &o->memory;

	m->limit = cfg->max_memory_ratio;
	for (int p = 0; p < 2; p++) {
		struct series s;
		double med = 0.0;

		collect(o, (enum program_which)p, FIELD_PEAK, &s);
		for (size_t i = 0; i < s.n; i++)
			if ((uint64_t)s.v[i] > m->max_peak[p])
				m->max_peak[p] = (uint64_t)s.v[i];
		if (s.n && stats_median(s.v, s.n, &med) == 0)
			m->median_peak[p] = (uint64_t)med;
		free(s.v);
	}
	if (!m->max_peak[PROGRAM_PYTHON] || !m->max_peak[PROGRAM_RUST])
		return;
	m->ratio = (double)m->max_peak[PROGRAM_RUST] / (double)m->max_peak[PROGRAM_PYTHON];
	if (cfg->interpreter_peak)
		m->baseline_is_interpreter = m->max_peak[PROGRAM_PYTHON] < 2 * cfg->interpreter_peak;
	else
		m->baseline_is_interpreter = m->max_peak[PROGRAM_PYTHON] < PERF_INTERPRETER_GUESS;
	if (cfg->max_memory_ratio > 0.0)
		m->verdict = m->ratio <= cfg->max_memory_ratio ? PERF_MEMORY_PASS : PERF_MEMORY_FAIL;
}

/* How many times larger an input should be for the baseline to reach `want` seconds, when it now
 * takes `got`: the ratio with a quarter more (the baseline's start-up does not grow with the input),
 * rounded up to 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten. 0 when `got` is no time at all. */
static double input_scale(double got, double want)
{
	static const double steps[] = {1, 1.5, 2, 3, 4, 5, 6, 8, 10};
	double x, p;

	if (!(got > PERF_TIME_FLOOR))
		return 0.0;
	x = want / got * 1.25;
	p = pow(10.0, floor(log10(x)));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] * p >= x * (1 - 1e-9))
			return steps[i] * p;
	return 10 * p;
}

/* "2.7x to 3.1x faster", "19x to 21x slower", "1.2x slower to 1.3x faster": two significant
 * digits, more (up to four) while the two bounds would read the same. */
static void put_interval(struct buf *m, double low, double high)
{
	bool slower = high < 1.0, mixed = low < 1.0 && high >= 1.0;
	double a = slower ? 1.0 / high : low, b = slower ? 1.0 / low : high;
	char x[48], y[48];

	for (int sig = 2; sig <= 4; sig++) {
		num_format_sig(mixed ? 1.0 / a : a, sig, x, sizeof(x));
		num_format_sig(b, sig, y, sizeof(y));
		if (strcmp(x, y))
			break;
	}
	if (mixed)
		buf_printf(m, "%sx slower to %sx faster", x, y);
	else
		buf_printf(m, "%sx to %sx %s", x, y, slower ? "slower" : "faster");
}

/* "Rust took 1.65 s of CPU time, Python 84 ms (medians of 10 runs each)" */
static void put_times(struct buf *m, const struct perf_outcome *o, const struct perf_config *cfg)
{
	const double *med = o->metric == PERF_METRIC_WALL ? o->median_wall : o->median_cpu;
	char a[48], b[48];

	buf_printf(m, "%s took %s of %s, %s %s (medians of %d runs each)",
		   program_label(cfg, PROGRAM_RUST), num_format_time(med[PROGRAM_RUST], a, sizeof(a)),
		   o->metric == PERF_METRIC_WALL ? "wall-clock time" : "CPU time",
		   program_label(cfg, PROGRAM_PYTHON),
		   num_format_time(med[PROGRAM_PYTHON], b, sizeof(b)), o->pairs);
}

static void describe(struct perf_outcome *o, const struct perf_config *cfg)
{
	const struct stats_interval *ci = &o->interval;
	const char *b = program_label(cfg, PROGRAM_PYTHON);
	char speed[64], req[48], t1[48], t2[48];
	struct buf *m = &o->message;

	num_format_speed(ci->estimate, speed, sizeof(speed));
	num_format_ratio(cfg->required_speedup, req, sizeof(req));
	buf_reset(m);
	switch (o->verdict) {
	case PERF_PASS:
	case PERF_FAIL:
		put_times(m, o, cfg);
		buf_printf(m, ": the port is %s (interval ", speed);
		put_interval(m, ci->low, ci->high);
		buf_printf(m, " at %.1f%% confidence), %s the required speedup of %s",
			   100.0 * ci->confidence, o->verdict == PERF_PASS ? "above" : "below", req);
		if (o->verdict == PERF_FAIL && o->median_cpu[PROGRAM_PYTHON] < cfg->min_baseline_cpu)
			buf_printf(m,
				   " (%s's %s is below the %s needed to prove a speedup, but enough to show "
				   "that the port is slower than the original)",
				   b, num_format_time(o->median_cpu[PROGRAM_PYTHON], t1, sizeof(t1)),
				   num_format_time(cfg->min_baseline_cpu, t2, sizeof(t2)));
		break;
	case PERF_INCONCLUSIVE:
		if (o->has_interval) {
			buf_puts(m, "inconclusive: ");
			put_times(m, o, cfg);
			buf_printf(m, ": the port is %s, but the interval (", speed);
			put_interval(m, ci->low, ci->high);
			buf_printf(m, " at %.1f%% confidence) contains the required speedup of %s; %s",
				   100.0 * ci->confidence, req,
				   o->stop == PERF_STOP_BUDGET ? "the time budget ran out"
							       : "the maximum number of runs was reached");
		} else
			buf_printf(m,
				   "inconclusive: the time budget of %s ran out after %d runs of each program, "
				   "too few for an interval; raise the budget or shrink the input",
				   num_format_time(cfg->time_budget, t1, sizeof(t1)), o->pairs);
		break;
	case PERF_INVALID_INPUT:
		buf_printf(m,
			   "benchmark input too small: %s ran %s of CPU time (median of %d runs), below the "
			   "minimum of %s that can prove a speedup",
			   b, num_format_time(o->median_cpu[PROGRAM_PYTHON], t1, sizeof(t1)), o->pairs,
			   num_format_time(cfg->min_baseline_cpu, t2, sizeof(t2)));
		if (o->has_interval) {
			buf_printf(m, "; %s took %s (the port is %s, interval ",
				   program_label(cfg, PROGRAM_RUST),
				   num_format_time(o->median_cpu[PROGRAM_RUST], t1, sizeof(t1)), speed);
			put_interval(m, ci->low, ci->high);
			buf_puts(m, ")");
		}
		if (o->input_scale > 0.0) {
			char x[48];
			buf_printf(m, "; give a larger input: about %s this one",
				   num_format_ratio(o->input_scale, x, sizeof(x)));
		} else
			buf_puts(m, "; give a much larger input");
		break;
	case PERF_ERROR:
		return; /* set where the run failed */
	}
	if (o->precision.target > 0.0 && !o->precision.reached && o->has_interval &&
	    (o->verdict == PERF_PASS || o->verdict == PERF_FAIL))
		buf_printf(m, "; the interval is within %s%% of the estimate, short of the %s%% asked: %s first",
			   num_format_sig(100.0 * o->precision.half_width, 2, t1, sizeof(t1)),
			   num_format_sig(100.0 * o->precision.target, 2, t2, sizeof(t2)),
			   o->precision.ran_out == PERF_STOP_BUDGET ? "the time budget ran out"
			   : o->precision.ran_out == PERF_STOP_DECIDED
				   ? "two looks' intervals disagreed (a rare event "
				     "the confidence allows)"
				   : "the maximum number of runs was reached");
}

/* After a decided look: the interval's relative half-width against the precision asked. Returns
 * true when sampling can stop for the precision's sake (reached, or none asked); `ran_out` is
 * what stops it otherwise, should this be the last look. */
static bool set_precision(struct perf_outcome *o, const struct perf_config *cfg, enum perf_stop ran_out)
{
	struct perf_precision *p = &o->precision;
	const struct stats_interval *ci = &o->interval;

	p->half_width = ci->estimate > 0.0 ? (ci->high - ci->low) / 2.0 / ci->estimate : 0.0;
	p->reached = cfg->precision > 0.0 && p->half_width <= cfg->precision;
	p->ran_out = ran_out;
	return cfg->precision <= 0.0 || p->reached;
}

/* The next scheduled look after `pairs` runs, or max_runs. */
static int next_look(const int *sched, int nsched, int pairs)
{
	for (int i = 0; i < nsched; i++)
		if (sched[i] > pairs)
			return sched[i];
	return sched[nsched - 1];
}

/* Checks the configuration and sets the outcome's fixed fields; the look schedule into `sched`.
 * Returns the number of looks, or -1 with the outcome an error. */
static int outcome_start(const struct perf_config *cfg, struct perf_outcome *out, int *sched)
{
	int nsched;

	memset(out, 0, sizeof(*out));
	buf_init(&out->message);
	if (perf_config_check(cfg, &out->message) < 0) {
		out->verdict = PERF_ERROR;
		return -1;
	}
	nsched = perf_look_schedule(cfg->min_runs, cfg->max_runs, sched, PERF_MAX_LOOKS);
	if (nsched > PERF_MAX_LOOKS) {
		out->verdict = PERF_ERROR;
		buf_printf(&out->message, "perf: %d looks between %d and %d runs: too many", nsched,
			   cfg->min_runs, cfg->max_runs);
		return -1;
	}
	out->metric = cfg->metric;
	out->required_speedup = cfg->required_speedup;
	out->confidence = cfg->confidence;
	out->planned_looks = nsched;
	out->look_confidence = 1.0 - (1.0 - cfg->confidence) / nsched;
	/* A bound is a quantile of the resampled ratios: keep PERF_MIN_TAIL of them beyond each bound,
	 * or a strict per-look confidence would rest on the few most extreme resamples. */
	out->resamples = cfg->resamples;
	if ((double)out->resamples * (1.0 - out->look_confidence) / 2.0 < PERF_MIN_TAIL)
		out->resamples = (int)fmin(ceil(PERF_MIN_TAIL * 2.0 / (1.0 - out->look_confidence)), 1e6);
	out->seed = cfg->seed;
	out->precision.target = cfg->precision;
	out->verdict = PERF_INCONCLUSIVE;
	out->stop = PERF_STOP_MAX_RUNS;
	out->load_start = load_1min();
	return nsched;
}

/* Measured pairs until there are `target` (alternating which program opens a pair, so that
 * neither always runs on a cache warmed by the other), or until the next would overrun the time
 * budget (*budget_out). *pair_time is the mean time of a pair so far. Returns run_once's < 0. */
static int run_pairs(struct perf_outcome *out, const struct perf_config *cfg, int *cap, perf_run_fn *run,
		     void *ctx, int target, double t0, double *pair_time, bool *budget_out)
{
	int rc;

	while (out->pairs < target) {
		double start = clock_now();

		/* Stop before a pair that would overrun the budget, judging by the pairs so far. */
		if (cfg->time_budget > 0.0 && start - t0 + *pair_time > cfg->time_budget) {
			*budget_out = true;
			break;
		}
		progress_count(cfg->progress, "measuring speed and memory: run", out->pairs + 1, cfg->max_runs);
		for (int k = 0; k < 2; k++) {
			enum program_which p = (out->pairs + k) % 2 == 0 ? PROGRAM_PYTHON : PROGRAM_RUST;
			if ((rc = run_once(out, cfg, cap, run, ctx, p, false)) < 0)
				return rc;
		}
		out->pairs++;
		*pair_time = (*pair_time * (out->pairs - 1) + (clock_now() - start)) / out->pairs;
	}
	return 0;
}

/* The verdict at a look before any (`too_small`: the baseline ran too briefly to prove a speedup);
 * sets *decided on a pass or a fail. */
static void first_verdict(struct perf_outcome *out, const struct perf_config *cfg, bool too_small, bool *decided)
{
	switch (stats_decide(&out->interval, cfg->required_speedup)) {
	case STATS_PASS:
		/* A baseline this short cannot prove a speedup: its fixed costs flatter
		 * the candidate. */
		if (too_small) {
			out->verdict = PERF_INVALID_INPUT;
			out->stop = PERF_STOP_INPUT_TOO_SMALL;
		} else {
			out->verdict = PERF_PASS;
			out->stop = PERF_STOP_DECIDED;
			*decided = true;
		}
		break;
	case STATS_FAIL:
		/* On a too short baseline, only a port slower than its original fails: a
		 * cost both programs pay pulls the ratio towards 1 but never across it, and
		 * Python's own start-up only flatters the port; below a requirement above
		 * 1, a faster port could be the start-up's doing (docs/performance.md). */
		if (too_small && out->interval.high >= 1.0)
			break;
		out->verdict = PERF_FAIL;
		out->stop = PERF_STOP_DECIDED;
		*decided = true;
		break;
	case STATS_UNDECIDED:
		break;
	}
}

/* A look after the verdict: every look's interval holds together with the others at the
 * family-wise confidence, so their intersection does too; it stays on the verdict's side. Returns
 * true when the intervals are disjoint (the rare event the confidence allows): then the outcome
 * keeps `kept`, the intersection so far, and no more is sampled ("decided" as ran_out). */
static bool narrow(struct perf_outcome *out, const struct perf_config *cfg, const struct stats_interval *kept)
{
	double lo = fmax(out->interval.low, kept->low), hi = fmin(out->interval.high, kept->high);

	if (lo > hi) {
		out->interval = *kept;
		set_precision(out, cfg, PERF_STOP_DECIDED);
		return true;
	}
	out->interval.low = lo;
	out->interval.high = hi;
	return false;
}

int perf_measure(const struct perf_config *cfg, perf_run_fn *run, void *ctx, struct perf_outcome *out)
{
	int sched[PERF_MAX_LOOKS], nsched, cap = 0, rc;
	double t0, pair_time = 0.0;
	bool decided = false, too_small = false;
	struct stats_interval kept;

	if ((nsched = outcome_start(cfg, out, sched)) < 0)
		return -1;
	t0 = clock_now();

	for (int i = 0; i < cfg->warmup_runs; i++) {
		progress_count(cfg->progress, "measuring speed and memory: warm-up run", i + 1, cfg->warmup_runs);
		for (int p = 0; p < 2; p++)
			if ((rc = run_once(out, cfg, &cap, run, ctx, (enum program_which)p, true)) < 0)
				goto done;
	}

	for (;;) {
		int target = next_look(sched, nsched, out->pairs);
		bool budget_out = false;

		if ((rc = run_pairs(out, cfg, &cap, run, ctx, target, t0, &pair_time, &budget_out)) < 0)
			goto done;
		if (update_medians(out) < 0) {
			rc = -2;
			goto done;
		}
		/* The budget ran out before the first look: judge what there is, if anything. */
		if (budget_out && out->pairs < 3 && !decided) {
			out->stop = PERF_STOP_BUDGET;
			break;
		}
		too_small = out->median_cpu[PROGRAM_PYTHON] < cfg->min_baseline_cpu;
		/* This look takes the place of the scheduled one: the number of looks never exceeds the
		 * schedule that the per-look confidence was set for. */
		if (decided)
			kept = out->interval;
		if (look(out, cfg) < 0) {
			rc = -2;
			goto done;
		}
		if (decided) {
			if (narrow(out, cfg, &kept))
				break;
		} else {
			first_verdict(out, cfg, too_small, &decided);
			if (out->verdict == PERF_INVALID_INPUT)
				break;
		}
		if (decided) {
			if (set_precision(out, cfg, budget_out ? PERF_STOP_BUDGET : PERF_STOP_MAX_RUNS) ||
			    budget_out || out->pairs >= cfg->max_runs)
				break;
			continue;
		}
		if (budget_out || out->pairs >= cfg->max_runs) {
			out->stop = budget_out ? PERF_STOP_BUDGET : PERF_STOP_MAX_RUNS;
			/* Undecided on a too short baseline: the input, not the port, is what to fix. */
			if (too_small) {
				out->verdict = PERF_INVALID_INPUT;
				out->stop = PERF_STOP_INPUT_TOO_SMALL;
			}
			break;
		}
	}
	if (out->verdict == PERF_INVALID_INPUT)
		out->input_scale = input_scale(out->median_cpu[PROGRAM_PYTHON], cfg->min_baseline_cpu);
	rc = 0;
done:
	out->elapsed = clock_now() - t0;
	out->load_end = load_1min();
	if (rc == -2) {
		out->verdict = PERF_ERROR;
		buf_reset(&out->message);
		/* Not memory (it never runs out, see xalloc.h): stats.h refused the samples, e.g. a
		 * metric of 0, which has no ratio. */
		buf_puts(&out->message,
			 "perf: the medians or the ratio's interval could not be computed from the runs");
		return -1;
	}
	if (update_medians(out) < 0)
		return -1;
	if (out->verdict != PERF_ERROR) {
		judge_memory(out, cfg);
		describe(out, cfg);
	}
	return 0;
}

void perf_outcome_free(struct perf_outcome *out)
{
	free(out->runs);
	out->runs = NULL;
	out->nruns = 0;
	buf_free(&out->message);
}

const char *perf_verdict_name(enum perf_verdict v)
{
	switch (v) {
	case PERF_PASS:
		return "pass";
	case PERF_FAIL:
		return "fail";
	case PERF_INCONCLUSIVE:
		return "inconclusive";
	case PERF_INVALID_INPUT:
		return "invalid_input";
	case PERF_ERROR:
		break;
	}
	return "error";
}

const char *perf_stop_name(enum perf_stop s)
{
	switch (s) {
	case PERF_STOP_DECIDED:
		return "decided";
	case PERF_STOP_MAX_RUNS:
		return "max_runs";
	case PERF_STOP_BUDGET:
		return "budget";
	case PERF_STOP_INPUT_TOO_SMALL:
		return "input_too_small";
	case PERF_STOP_RUN_FAILED:
		return "run_failed";
	case PERF_STOP_RUNNER_ERROR:
		break;
	}
	return "runner_error";
}

const char *perf_metric_name(enum perf_metric m)
{
	return m == PERF_METRIC_WALL ? "wall" : "cpu";
}

const char *perf_program_name(enum program_which p)
{
	return p == PROGRAM_PYTHON ? "baseline" : "candidate";
}

const char *perf_memory_verdict_name(enum perf_memory_verdict v)
{
	switch (v) {
	case PERF_MEMORY_PASS:
		return "pass";
	case PERF_MEMORY_FAIL:
		return "fail";
	case PERF_MEMORY_NOT_JUDGED:
		break;
	}
	return "not_judged";
}

static cJSON *by_program(double baseline, double candidate)
{
	cJSON *o = cJSON_CreateObject();

	if (o && (!cJSON_AddNumberToObject(o, "baseline", baseline) ||
		  !cJSON_AddNumberToObject(o, "candidate", candidate))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static bool add_obj(cJSON *parent, const char *key, cJSON *child)
{
	if (!child)
		return false;
	if (!cJSON_AddItemToObject(parent, key, child)) {
		cJSON_Delete(child); /* AddItemToObject does not free on failure */
		return false;
	}
	return true;
}

static cJSON *memory_json(const struct perf_memory *m)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;

	ok = ok && add_obj(o, "max_peak", by_program((double)m->max_peak[0], (double)m->max_peak[1]));
	ok = ok &&
	     add_obj(o, "median_peak", by_program((double)m->median_peak[0], (double)m->median_peak[1]));
	ok = ok && cJSON_AddNumberToObject(o, "ratio", m->ratio);
	ok = ok && cJSON_AddNumberToObject(o, "limit", m->limit);
	ok = ok && cJSON_AddStringToObject(o, "verdict", perf_memory_verdict_name(m->verdict));
	ok = ok && cJSON_AddBoolToObject(o, "baseline_is_interpreter", m->baseline_is_interpreter);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *samples_json(const struct perf_outcome *out)
{
	cJSON *a = cJSON_CreateArray();

	if (!a)
		return NULL;
	for (int i = 0; i < out->nruns; i++) {
		const struct perf_run *r = &out->runs[i];
		cJSON *s = cJSON_CreateObject();
		bool ok = s != NULL;

		ok = ok && cJSON_AddStringToObject(s, "program", perf_program_name(r->program));
		ok = ok && cJSON_AddBoolToObject(s, "warmup", r->warmup);
		ok = ok && cJSON_AddNumberToObject(s, "cpu", r->sample.cpu);
		ok = ok && cJSON_AddNumberToObject(s, "wall", r->sample.wall);
		ok = ok && cJSON_AddNumberToObject(s, "peak_memory", (double)r->sample.peak_memory);
		if (r->sample.cgroup_peak)
			ok = ok && cJSON_AddNumberToObject(s, "cgroup_peak", (double)r->sample.cgroup_peak);
		ok = ok && cJSON_AddBoolToObject(s, "ok", r->sample.ok);
		if (r->sample.method)
			ok = ok && cJSON_AddStringToObject(s, "method", r->sample.method);
		if (!ok || !cJSON_AddItemToArray(a, s)) {
			cJSON_Delete(s);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

/* The measurement method every run that names one agrees on, or NULL (none named, or several). */
static const char *common_method(const struct perf_outcome *out)
{
	const char *m = NULL;

	for (int i = 0; i < out->nruns; i++) {
		const char *r = out->runs[i].sample.method;
		if (!r)
			continue;
		if (m && strcmp(m, r))
			return NULL;
		m = r;
	}
	return m;
}

cJSON *perf_outcome_json(const struct perf_outcome *out)
{
	cJSON *o = cJSON_CreateObject(), *sp;
	bool ok = o != NULL;
	const char *measured_by = common_method(out);

	ok = ok && cJSON_AddStringToObject(o, "verdict", perf_verdict_name(out->verdict));
	ok = ok && cJSON_AddStringToObject(o, "stop", perf_stop_name(out->stop));
	ok = ok && cJSON_AddStringToObject(o, "metric", perf_metric_name(out->metric));
	ok = ok && cJSON_AddStringToObject(o, "method",
					   "interleaved runs; ratio of medians; percentile bootstrap interval; "
					   "Bonferroni-corrected fixed schedule of looks");
	if (measured_by)
		ok = ok && cJSON_AddStringToObject(o, "measured_by", measured_by);
	ok = ok && cJSON_AddNumberToObject(o, "required_speedup", out->required_speedup);
	ok = ok && cJSON_AddNumberToObject(o, "confidence", out->confidence);
	ok = ok && cJSON_AddNumberToObject(o, "look_confidence", out->look_confidence);
	ok = ok && cJSON_AddNumberToObject(o, "looks", out->looks);
	ok = ok && cJSON_AddNumberToObject(o, "planned_looks", out->planned_looks);
	ok = ok && cJSON_AddNumberToObject(o, "pairs", out->pairs);
	if (ok && out->has_interval) {
		sp = cJSON_AddObjectToObject(o, "speedup");
		ok = sp && cJSON_AddNumberToObject(sp, "estimate", out->interval.estimate) &&
		     cJSON_AddNumberToObject(sp, "low", out->interval.low) &&
		     cJSON_AddNumberToObject(sp, "high", out->interval.high) &&
		     cJSON_AddNumberToObject(sp, "confidence", out->interval.confidence) &&
		     cJSON_AddNumberToObject(sp, "resamples", out->interval.resamples);
	}
	if (ok && out->precision.target > 0.0) {
		cJSON *pr = cJSON_AddObjectToObject(o, "precision");
		ok = pr && cJSON_AddNumberToObject(pr, "target", out->precision.target) &&
		     cJSON_AddBoolToObject(pr, "reached", out->precision.reached) &&
		     cJSON_AddNumberToObject(pr, "half_width", out->precision.half_width);
		if (ok)
			ok = out->precision.reached
				     ? cJSON_AddNullToObject(pr, "ran_out") != NULL
				     : cJSON_AddStringToObject(pr, "ran_out",
							       perf_stop_name(out->precision.ran_out)) != NULL;
	}
	if (ok && out->verdict == PERF_INVALID_INPUT)
		ok = cJSON_AddNumberToObject(o, "input_scale", out->input_scale) != NULL;
	/* The seed as a string: a double cannot hold every 64-bit seed exactly. */
	if (ok) {
		char seed[24];
		snprintf(seed, sizeof(seed), "%llu", (unsigned long long)out->seed);
		ok = cJSON_AddStringToObject(o, "seed", seed) != NULL;
	}
	ok = ok && add_obj(o, "median_cpu", by_program(out->median_cpu[0], out->median_cpu[1]));
	ok = ok && add_obj(o, "median_wall", by_program(out->median_wall[0], out->median_wall[1]));
	ok = ok && add_obj(o, "samples", samples_json(out));
	ok = ok && add_obj(o, "memory", memory_json(&out->memory));
	if (ok) {
		cJSON *load = cJSON_AddObjectToObject(o, "load");
		ok = load && cJSON_AddNumberToObject(load, "start", out->load_start) &&
		     cJSON_AddNumberToObject(load, "end", out->load_end);
	}
	ok = ok && cJSON_AddNumberToObject(o, "elapsed", out->elapsed);
	ok = ok && cJSON_AddStringToObject(o, "message", buf_str(&out->message));
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
