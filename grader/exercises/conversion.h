/* conversion.h: exercise 4, the Rust port of a Python script, graded by differential runs on the
 * learner's, hidden and generated cases, then speed, memory, scaling and notes (pair.h runs the
 * programs). */
#ifndef GRADER_CONVERSION_H
#define GRADER_CONVERSION_H

#include "grade.h"

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

/* Grades exercise 4 into `e` (already added to the report). */
void grade_conversion(const struct grade_ctx *g, const struct spec_exercise *ex,
		      struct result_exercise *e, struct result_report *r);

#endif
