/* pair.h: the machinery exercises 2 and 4 share for a pair of programs, a Python original and a
 * Rust port: opening the exercise's manifest, building the port, running both on an input and
 * judging whether they agree, the benchmark input, and measuring speed, memory and scaling. The
 * checks here fill a `struct result_check` each; the exercises (conversion.h, comparison.h) say
 * which checks they have and in what order. */
#ifndef GRADER_PAIR_H
#define GRADER_PAIR_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "build.h"
#include "grade.h"
#include "measure/perf.h"
#include "outdiff.h"
#include "program.h"
#include "result.h"
#include "sandbox/sandbox.h"
#include "spec.h"

#define PAIR_EXCERPT 2000 /* bytes of output kept per excerpt in a report */

/* Everything one grading of a pair carries around. Set g, ex and r, zero the rest, then
 * pair_open; pair_close frees what it owns. */
struct pair {
	const struct grade_ctx *g;
	const struct spec_exercise *ex;
	struct spec_conversion *m;
	struct buf base; /* the manifest's folder, relative to the submission: "ex4" */
	struct program_pair pair;
	char *python_rel; /* the script, relative to the submission (or to python_dir) */
	char *python_dir; /* host folder of the instructor's original, or NULL */
	struct build_result build;
	struct outdiff_options cmp;
	struct result_report *r;
	struct buf scratch; /* <workdir>/runs: the runs' scratch directories */
	/* One cause, one message: a check whose prerequisite failed is skipped and names that
	 * failure, phrased to follow "not run: " or "not measured: ", instead of running and failing
	 * with a second message. */
	struct buf blocked;  /* why the two programs cannot be run at all (the build, the Python
				   * original, the generator, the time budget); "" when they can */
	struct buf unproven; /* why the programs were not shown to agree (blocked, or they
				   * disagree, or a sandbox error); "" when they agree */
};

/* An input file on the host and how it is named in messages. */
struct pair_input {
	const char *path;
	const char *name;
};

/* ---- opening and closing ---- */

/* Adds the exercise's checks in order into `ck` (indexed as `order`, NULL-terminated, and
 * `titles`): the first two always (they gate everything else), the others when the rubric scores
 * them. */
void pair_add_checks(const struct spec_exercise *ex, struct result_exercise *e, const char *const *order,
		     const char *const *titles, struct result_check **ck);
/* Without a manifest nothing can be graded: the first of ck[0..n-1] fails with "not graded:
 * <manifest> <what>", and the others (NULL entries left out), which could not run, are skipped
 * with "not run: <manifest> <what>". */
void pair_not_graded(struct result_check **ck, int n, const char *manifest, const char *what);
/* Loads the exercise's manifest (`comparison`: exercise 2's format) and sets up the pair of
 * programs. Returns 0, or -1 when the manifest is missing or has errors: then the exercise's
 * message says so and ck[0..n-1] are marked with pair_not_graded. `doc` is where its format is
 * documented. */
int pair_open(struct pair *cv, struct result_exercise *e, struct result_check **ck, int n,
	      bool comparison, const char *doc);
/* Frees what the pair owns and removes the runs' folders (unless GRADER_KEEP_RUNS is set). */
void pair_close(struct pair *cv);

/* ---- paths, causes, the time budget ---- */

/* The manifest's folder + "/" + rel, relative to the submission; the caller frees it. */
char *pair_rel_to_root(const struct pair *cv, const char *rel);
/* The host path of `rel_root` (relative to the submission) into `out`. */
void pair_host_path(const struct pair *cv, const char *rel_root, struct buf *out);
/* Adds a cause to cv->blocked ("; " between two). */
void pair_block(struct pair *cv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* `prefix` and why the two programs were not shown to agree into `out`: cv->unproven, else
 * cv->blocked, else the build ("(see check build)"), else "(see check correctness)". */
void pair_unproven_cause(const struct pair *cv, const char *prefix, struct buf *out);
/* When the exercise's time budget is used up, marks `c` (may be NULL) skipped with the reason,
 * blocks the pair with it, and returns true: nothing more is run for it. */
bool pair_out_of_time(struct pair *cv, struct result_check *c);
/* Counts a finished run of `wall` seconds in the grading's usage. */
void pair_account(const struct pair *cv, double wall);

/* ---- describing a run ---- */

/* A limit in bytes as docs/submission.md writes it: "4 MiB", "1 GiB". Returns `out`. */
const char *pair_limit_size(uint64_t bytes, char *out, unsigned size);
/* Puts what a run did in one line: "exited 0", "was killed by signal 11", "exceeded the CPU time
 * limit of 5 s". A limit is named with its value. */
void pair_describe_run(const struct sandbox_result *res, struct buf *out);
/* When `res` hit one of the limits of docs/submission.md, appends its fix to `why` as "; ...". */
void pair_limit_fix(const struct sandbox_result *res, struct buf *why);
/* The last lines of a run's stderr (a Python traceback or a Rust panic), made safe to show. */
void pair_stderr_tail(const struct sandbox_result *res, struct buf *out);

/* ---- running and judging ---- */

/* Compares the two runs of one case (both have run, in the pair's scratch folders, whose output
 * files it reads). Returns 1 when they agree, 0 when not, with a message for the learner in `why`
 * (empty on entry) and details in `ev` (may be NULL). */
int pair_judge_case(const struct pair *cv, const struct sandbox_result *py,
		    const struct sandbox_result *rs, struct buf *why, struct result_ev *ev);
/* Runs both programs on one input file and judges. Returns 1 same, 0 different, -1 when the
 * sandbox failed (the reason in `why`). The caller frees `py` and `rs`. */
int pair_run(struct pair *cv, const char *input, struct buf *why, struct result_ev *ev,
	     struct sandbox_result *py, struct sandbox_result *rs);

/* ---- the shared checks ---- */

/* Builds the Rust package offline into c; on success sets cv->pair.rust_binary, else blocks. */
void pair_check_build(struct pair *cv, struct result_check *c);
/* Runs the manifest's generator for one seed and size into <workdir>/generated-<id>/, the file's
 * path into `path`. `size_key` is the manifest key that chose the size, for messages. Returns 0,
 * or -1 (the generator failed) or -2 (the sandbox did) with the reason in `why`. */
int pair_generate(struct pair *cv, int seed, int size, const char *size_key, struct buf *path, struct buf *why);
/* The benchmark input into `input` (a host file) and how to name it into `name`: the manifest's
 * file, a generated input, or else `fallback` (may be NULL). Returns 0, or -1 with the reason in
 * `why`. */
int pair_bench_input(struct pair *cv, const struct pair_input *fallback, struct buf *input,
		     struct buf *name, struct buf *why);
/* Measures speed and memory on the benchmark input `input` (NULL when it could not be made, with
 * the reason in `no_input`) and judges both checks (either may be NULL); skipped when the programs
 * were not shown to agree (`correct`). The outcome stays in `out`; the caller frees it. */
void pair_check_speed(struct pair *cv, const char *input, const char *bench_name, const char *no_input,
		      bool correct, struct result_check *speed, struct result_check *mem,
		      struct perf_outcome *out);
/* The scaling check (scaling.h): both programs' CPU time over generated sizes, fitted as n^k. */
void pair_check_scaling(struct pair *cv, bool correct, struct result_check *c);

#endif
