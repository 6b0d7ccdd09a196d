/* comparison.h: exercise 2, the learner's own Python and Rust programs: built, run once on the
 * benchmark input, measured, and the learner's claims (speedup, memory, lines) checked against the
 * grader's figures (claims.h judges them, pair.h runs the programs). */
#ifndef GRADER_COMPARISON_H
#define GRADER_COMPARISON_H

#include "grade.h"
#include "result.h"

/* Exercise 2's checks, in the report's order. */
enum comparison_check {
	COMPARISON_BUILD,
	COMPARISON_RUNS,
	COMPARISON_PERFORMANCE,
	COMPARISON_MEMORY,
	COMPARISON_SPEEDUP_CLAIM,
	COMPARISON_MEMORY_CLAIM,
	COMPARISON_COMPLEXITY_CLAIM,
	COMPARISON_SCALING,
	COMPARISON_CHECK_COUNT
};

/* A claim `c` that cannot be judged because the grader's own figure is missing: skipped, with
 * the message of `measured` (the check that measures it; NULL: this exercise does not measure it)
 * when that says "not ...", else naming it: "not measured: ... (see check <id>)". */
void comparison_claim_unmeasured(const struct result_check *measured, struct result_check *c);

/* Grades exercise 2 into `e` (already added to the report). */
void grade_comparison(const struct grade_ctx *g, const struct spec_exercise *ex,
		      struct result_exercise *e, struct result_report *r);

#endif
