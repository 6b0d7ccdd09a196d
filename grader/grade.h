/* grade.h: grades one submission against a chapter's specs, exercise by exercise, into the
 * result model. A table maps each exercise kind to the function that grades it. Everything a
 * grading needs is in `struct grade_ctx`: no global state, so workers can grade in parallel. */
#ifndef GRADER_GRADE_H
#define GRADER_GRADE_H

#include <stdbool.h>

#include "progress.h"
#include "result.h"
#include "sandbox/sandbox.h"
#include "spec.h"

/* What the programs' runs cost, so that a report can say how much of its time was the grader's. */
struct grade_usage {
	long runs;          /* sandboxed runs made (builds, checks, cases, generators, timings) */
	double run_seconds; /* their wall time as the sandbox measured it */
};

struct grade_ctx {
	const struct spec_chapter *chapter;
	const char *submission; /* host path of the tree to grade (read-only to programs) */
	const char *workdir;    /* host directory private to this learner: builds, scratch runs */
	const char *report_dir; /* where the report and its companion files (reproducers) go */
	struct sandbox *sb;     /* this worker's sandbox */
	const char *only; /* grade only this exercise id (or its short name, e.g. ex4); NULL: all */
	bool no_perf;     /* skip the speed and memory measurements (fast self-checks) */
	bool verbose;     /* more detail on stderr */
	struct progress *progress; /* what the grading is doing, as it goes (progress.h); NULL: silent */
	struct grade_usage *usage; /* accumulated by the graders; may be NULL */
	const char *timing_lock;   /* the file that timed runs lock so that graders of the whole machine
				  * never measure at the same time (timing_lock.h); NULL or "": none */
	const char *cache_dir;     /* the grader's own folder for what no learner controls (the trivial
				  * programs of startup.h); NULL: none */
	const char *class_catalog; /* the class's catalog file (the instructor's review decisions,
				  * extending the chapter's catalogs; see docs/review.md); NULL: none */
	/* Set by grade_submission for each exercise: the monotonic time (seconds, see
	 * grade_now) when its time budget runs out (the exercise's or the learner's, whichever comes
	 * first; 0 = none), and which budget that is, for messages. */
	double deadline;
	const char *deadline_what;
};

/* Monotonic seconds. */
double grade_now(void);
/* Whether the exercise may still start a run. When its time budget is used up, returns false and
 * puts the reason in `why` (e.g. "the exercise's time budget of 600 s is used up"). */
bool grade_time_left(const struct grade_ctx *g, struct buf *why);
/* Seconds left before the deadline (a large number when there is none). */
double grade_seconds_left(const struct grade_ctx *g);

/* Grades every exercise of the chapter (or `only`) into `r`, then totals it (result_finish).
 * Learners' mistakes become check results; infrastructure failures become report errors. */
void grade_submission(const struct grade_ctx *g, struct result_report *r);

#endif
