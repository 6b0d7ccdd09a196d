/* startup.h: what process start-up costs in the sandbox, measured on trivial programs of each
 * kind, so that a speed measurement can say how much of a short run is start-up.
 *
 * Python: python3 on an empty script, run as program_run runs the learner's script. Rust: a
 * std-only `fn main() {}` built with the learner's toolchain in the rust-build sandbox (by
 * build_rust, like a port) and run in the rust-run profile. The trivial Rust program is built once
 * per toolchain and kept in the grader's cache folder (<cache>/startup/rust-<key>, the key a hash
 * of `rustc -vV` as the build sandbox reports it); nothing of a learner's is in it, so every
 * grading may reuse it. */
#ifndef GRADER_STARTUP_H
#define GRADER_STARTUP_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "program.h"
#include "sandbox/sandbox.h"

/* Medians over the measured runs of one trivial program. */
struct startup_figure {
	bool ok;              /* measured (every run succeeded) */
	double cpu, wall;     /* seconds */
	uint64_t peak_memory; /* bytes */
};

struct startup_result {
	struct startup_figure python, rust;
	int runs;           /* measured runs of each, after one warm-up each */
	char *toolchain;    /* the first line of `rustc -vV`, or NULL */
	bool rust_cached;   /* the trivial Rust program came from the cache (no build) */
	int sandbox_runs;   /* sandboxed runs made (probe, build, timed runs) ... */
	double run_seconds; /* ... and their wall time */
	struct buf note;    /* why a figure is missing, else empty */
};

/* Measures both start-ups: one warm-up of each, then `runs` runs of each, interleaved, with the
 * pair's limits and CPU pinning. `cache` is the grader's own folder (NULL: nothing is measured);
 * `build_limits` those of the learner's build. Always fills `out` (free it with
 * startup_result_free); a figure that could not be measured has ok false and the reason in note. */
void startup_measure(struct sandbox *sb, const struct program_pair *pair, const char *cache,
		     const struct sandbox_limits *build_limits, int runs, struct startup_result *out);
void startup_result_free(struct startup_result *s);

/* The speedup without start-up, (base - base_start) / (cand - cand_start), into *net. Returns
 * false, with no figure, when either difference is not above a tenth of its start-up (nor above
 * 100 us): that program's time is all start-up. */
bool startup_net_speedup(double base, double base_start, double cand, double cand_start, double *net);

/* The sentence for a measurement's message when a program's median time (python, rust; of the
 * metric: CPU, or wall when `wall`) is below twice its start-up, e.g. "Rust's 2.1ms is mostly
 * process start-up (1.2ms): give a larger input to measure the port"; both programs' sentences
 * joined by "; ". Empty when neither is. */
void startup_note(const struct startup_result *s, bool wall, double python, double rust, struct buf *out);

/* The evidence (a cJSON object the caller owns, NULL when out of memory): python and rust
 * {cpu, wall, peak_memory} (null when not measured), runs, toolchain, rust_cached, metric,
 * net_speedup (null when there is no figure), and note. */
void *startup_json(const struct startup_result *s, bool wall, double python, double rust);

#endif
