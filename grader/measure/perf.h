/* perf.h: the protocol that measures a baseline (the Python original) against a candidate (the
 * learner's Rust port) and decides speed and memory verdicts that hold up to noise.
 *
 * The module knows nothing of sandboxes or processes: the caller gives a runner callback that
 * runs one program once and reports what it cost. The protocol is:
 *   1. warm-up runs of each program (recorded, never judged);
 *   2. measured runs interleaved baseline, candidate, baseline, candidate, ... so that drift of
 *      the machine (frequency, caches, a neighbour) hits both alike;
 *   3. at fixed "looks" (after min_runs pairs, then about 1.5 times more each look, up to
 *      max_runs) the speedup median(baseline) / median(candidate) gets a bootstrap confidence
 *      interval; the verdict is `pass` when the whole interval is above the required speedup,
 *      `fail` when it is wholly below, and otherwise the protocol adds pairs up to the next look;
 *   4. when max_runs or the time budget is reached undecided, the verdict is `inconclusive`.
 * Each look's interval has confidence 1 - (1 - confidence) / looks (Bonferroni over the fixed
 * schedule), so that the chance of any wrong verdict over all looks stays below 1 - confidence.
 * A baseline shorter than min_baseline_cpu cannot prove a speedup: an interval wholly above the
 * requirement then gives `invalid_input`, never `pass`; but an interval wholly below both the
 * requirement and 1 still gives `fail` (costs both programs pay pull the ratio towards 1, never
 * across it, and the baseline's own start-up only flatters the candidate); anything else on such
 * a baseline ends `invalid_input`.
 * With a precision, the protocol goes on after the verdict, at the remaining looks of the same
 * schedule, until the interval's half-width relative to the estimate is at most the precision;
 * the verdict stays the one first decided, and the interval reported is the intersection of the
 * intervals from the deciding look on (all of them hold together at the family-wise confidence).
 * docs/performance.md explains the choices for instructors and learners. */
#ifndef GRADER_PERF_H
#define GRADER_PERF_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "program_which.h"
#include "progress.h"
#include "measure/stats.h"

enum perf_metric {
	PERF_METRIC_CPU = 0, /* user+system CPU seconds of the whole process tree (the default) */
	PERF_METRIC_WALL,    /* wall-clock seconds */
};

/* What one run of one program cost. */
struct perf_sample {
	double cpu;           /* seconds of user+system CPU time of the whole process tree */
	double wall;          /* seconds of wall-clock time */
	uint64_t peak_memory; /* bytes of peak memory of the whole tree; 0 when not measured */
	uint64_t cgroup_peak; /* bytes: the memory cgroup's own peak (what a memory limit is enforced
			       * on; docs/performance.md, Memory); 0 without cgroups */
	bool ok;              /* the run succeeded (exit status 0 within its limits) */
	const char *method;   /* how the runner measured it, a static string ("cgroup-v2"), or NULL */
};

/* Runs `program` once and fills `out`. Returns 0 when the run happened (out->ok says whether it
 * succeeded) and -1 when the runner itself failed. Either a failed run or -1 stops the
 * measurement: its outcome is PERF_ERROR, and the caller, who knows the details of the run
 * (kept in its own `ctx`), reports them. */
typedef int perf_run_fn(void *ctx, enum program_which program, struct perf_sample *out);

struct perf_config {
	enum perf_metric metric;
	double required_speedup;   /* the speedup median(baseline)/median(candidate) to prove; > 0 */
	double confidence;         /* of the verdict over all looks together, e.g. 0.95 */
	int min_runs;              /* measured runs of each program before the first look (>= 3) */
	int max_runs;              /* measured runs of each program at most (>= min_runs) */
	int warmup_runs;           /* unjudged runs of each program first (>= 0) */
	double time_budget;        /* seconds of wall time for the whole measurement; 0 = no budget */
	double min_baseline_cpu;   /* seconds: a shorter baseline cannot pass (see the top comment) */
	double max_memory_ratio;   /* peak(candidate)/peak(baseline) allowed; 0 = no memory verdict */
	uint64_t interpreter_peak; /* bytes: the bare interpreter's own peak if known, else 0 */
	uint64_t seed;             /* of the bootstrap resampling */
	int resamples;             /* bootstrap resamples per look */
	bool pin_cpu;     /* ask the runner to pin both programs to one CPU (the runner's job) */
	double precision; /* after a verdict, sample on until (high - low) / 2 / estimate is at
				   * most this, within max_runs and the budget; 0 = stop at the verdict */
	const char *baseline_name;  /* for messages: "Python" */
	const char *candidate_name; /* for messages: "Rust" */
	struct progress *progress;  /* shows "measuring speed and memory: run I/max_runs" as the runs go
				     * (progress.h); NULL: nothing */
};

/* Fills `cfg` with the defaults: CPU metric, required speedup 1, confidence 0.95, 10 to 40
 * runs, 1 warm-up, a 120 s budget, a 200 ms minimum baseline, no memory verdict, a fixed seed,
 * STATS_DEFAULT_RESAMPLES resamples, no pinning, no precision, "Python" and "Rust". */
void perf_config_init(struct perf_config *cfg);
/* Checks a configuration; returns 0, or -1 with what is wrong in `err`. */
int perf_config_check(const struct perf_config *cfg, struct buf *err);

enum perf_verdict {
	PERF_PASS,          /* the whole interval is above the required speedup */
	PERF_FAIL,          /* the whole interval is below it */
	PERF_INCONCLUSIVE,  /* runs or time ran out with the required speedup inside the interval */
	PERF_INVALID_INPUT, /* the baseline ran too briefly to prove a speedup, and the interval did
			     * not show the candidate too slow; the input must grow */
	PERF_ERROR,         /* a run failed or the runner broke; no verdict */
};

enum perf_stop {
	PERF_STOP_DECIDED,  /* an interval cleared the required speedup */
	PERF_STOP_MAX_RUNS, /* max_runs reached undecided */
	PERF_STOP_BUDGET,   /* the time budget ran out undecided */
	PERF_STOP_INPUT_TOO_SMALL,
	PERF_STOP_RUN_FAILED,   /* a run was not ok */
	PERF_STOP_RUNNER_ERROR, /* the runner returned -1 */
};

enum perf_memory_verdict {
	PERF_MEMORY_NOT_JUDGED, /* no memory requirement, or no peak was measured */
	PERF_MEMORY_PASS,       /* max peak(candidate) / max peak(baseline) <= the allowed ratio */
	PERF_MEMORY_FAIL,
};

/* One run, in the order it happened. */
struct perf_run {
	enum program_which program;
	bool warmup;
	struct perf_sample sample;
};

/* Memory over the measured runs (warm-ups excluded). */
struct perf_memory {
	uint64_t max_peak[2]; /* indexed by enum program_which */
	uint64_t median_peak[2];
	double ratio; /* max_peak[PROGRAM_RUST] / max_peak[PROGRAM_PYTHON]; 0 when not measured */
	double limit; /* the configured max_memory_ratio */
	enum perf_memory_verdict verdict;
	bool baseline_is_interpreter; /* the baseline's peak is mostly the interpreter's own */
};

/* The precision asked for after the verdict, and what came of it. */
struct perf_precision {
	double target;          /* the configured precision; 0 = none asked */
	double half_width;      /* (high - low) / 2 / estimate of the reported interval; 0 without one */
	bool reached;           /* half_width <= target */
	enum perf_stop ran_out; /* when not reached: PERF_STOP_MAX_RUNS, PERF_STOP_BUDGET, or
				 * PERF_STOP_DECIDED when two looks' intervals were disjoint */
};

struct perf_outcome {
	enum perf_verdict verdict;
	enum perf_stop stop;
	enum perf_metric metric;
	double required_speedup;
	double confidence;      /* family-wise, as configured */
	double look_confidence; /* of each look's interval */
	int planned_looks;      /* looks in the schedule */
	int looks;              /* looks taken */
	int resamples;          /* bootstrap resamples per look: the configured count, raised so that
				   * at least 20 resampled ratios lie beyond each bound */
	int pairs;              /* measured runs of each program */
	struct perf_run *runs;  /* every run (warm-ups included), in order */
	int nruns;
	double median_cpu[2], median_wall[2]; /* by program, over measured runs */
	struct stats_interval interval;       /* of the last look; valid when has_interval */
	bool has_interval;
	struct perf_memory memory;
	struct perf_precision precision;
	double input_scale;          /* with PERF_INVALID_INPUT: how many times larger an input should be
				   * (from the baseline's time per input unit, with a margin); else 0 */
	double load_start, load_end; /* 1-minute load average */
	double elapsed;              /* seconds of wall time of the whole measurement */
	uint64_t seed;
	struct buf message; /* one or two sentences for people: what was decided and why */
};

/* Runs the protocol. Returns 0 when a verdict (any of them, including PERF_ERROR for a failed
 * run) is in `out`, and -1 for an invalid configuration or samples that stats.h refuses (message
 * in out->message). Either way `out` is overwritten first, its `message` initialised (never
 * NULL), and the caller frees it with perf_outcome_free. */
int perf_measure(const struct perf_config *cfg, perf_run_fn *run, void *ctx, struct perf_outcome *out);
/* Frees what an outcome owns (the struct itself is the caller's). */
void perf_outcome_free(struct perf_outcome *out);
/* The outcome with all its evidence as a JSON object (the caller owns it), or NULL when out of
 * memory. Keys: verdict, stop, metric, method (the statistical method), measured_by (the runs'
 * measurement method when every run that names one names the same), required_speedup,
 * confidence, look_confidence, looks, planned_looks, pairs, speedup {estimate, low, high,
 * resamples, seed}, precision {target, reached, half_width, ran_out} (when a precision was
 * asked), input_scale (with invalid_input), medians, samples [{program, warmup, cpu, wall,
 * peak_memory, cgroup_peak (when measured), ok, method}], memory {...}, load {start, end}, elapsed, message. */
cJSON *perf_outcome_json(const struct perf_outcome *out);

/* Names as written in reports: "pass", "inconclusive", "invalid_input", ...; "decided",
 * "max_runs", "budget", ...; "cpu" or "wall"; "baseline" or "candidate". */
const char *perf_verdict_name(enum perf_verdict v);
const char *perf_stop_name(enum perf_stop s);
const char *perf_metric_name(enum perf_metric m);
const char *perf_program_name(enum program_which p);
const char *perf_memory_verdict_name(enum perf_memory_verdict v);

/* The run counts (measured runs of each program) at which the protocol looks, for min and max
 * runs: min, then ceil(previous * 1.5), ..., then max (a step to max shorter than a fifth of a
 * normal one is folded into the look at max). E.g. 10..40 gives 10, 15, 23, 40. Writes at most
 * `cap` counts into `counts` and returns how many there are in all. */
int perf_look_schedule(int min_runs, int max_runs, int *counts, int cap);

#endif
