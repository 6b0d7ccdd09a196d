/* conversion.h: exercise 4, the Rust port of a Python script, graded by differential runs on the
 * learner's, hidden and generated cases, then speed, memory, scaling and notes (pair.h runs the
 * programs). */
#ifndef GRADER_CONVERSION_H
#define GRADER_CONVERSION_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "grade.h"
#include "result.h"

/* Exercise 4's checks, in the report's order. */
enum conversion_check {
	CONVERSION_BUILD,
	CONVERSION_PYTHON,
	CONVERSION_CASES,
	CONVERSION_CORRECTNESS,
	CONVERSION_PERFORMANCE,
	CONVERSION_MEMORY,
	CONVERSION_NOTES,
	CONVERSION_SCALING,
	CONVERSION_CHECK_COUNT
};

/* What running exercise 4's cases came to. */
struct conversion_tally {
	size_t total;           /* cases */
	size_t passed;          /* cases on which the two programs agreed */
	size_t unrun;           /* cases not run: the time budget ran out (why in `budget`) */
	size_t dropped;         /* edge inputs the Python original fails on: not counted in total */
	bool infra;             /* the sandbox failed on a case: the rest were not run */
	bool shrunk;            /* a generated case was shrunk to a reproducer */
	const char *budget;     /* why cases were not run */
	const char *first;      /* "case NAME: why" of the first difference; "" when none */
	const char *first_name; /* that case's name */
	const char *repro;      /* the minimal reproducer's file; "" or NULL when none */
	const char *edge_file;  /* the first difference's edge input, written beside the report; "" or
				 * NULL when that case is no edge input */
};

/* Judges the correctness check `c` from the tally: its status, its points (max_points times the
 * share of all cases that agreed; cases not run do not count as agreeing), message and hint. When
 * the programs were not shown to agree, says why in `unproven` ("... (see check correctness)").
 * Returns whether every case agreed. */
bool conversion_correctness_verdict(const struct conversion_tally *t, struct result_check *c,
				    struct buf *unproven);

/* Grades exercise 4 into `e` (already added to the report). */
void grade_conversion(const struct grade_ctx *g, const struct spec_exercise *ex,
		      struct result_exercise *e, struct result_report *r);

#endif
