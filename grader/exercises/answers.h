/* answers.h: the research exercises (1 and 3): a learner's list of organisations or crates,
 * checked for count, completeness and sources, and matched against the chapter's catalog. */
#ifndef GRADER_ANSWERS_H
#define GRADER_ANSWERS_H

#include "grade.h"

/* Normalises a name for matching: lower case, letters and digits only ("Hugging Face" and
 * "hugging-face" both give "huggingface"). Writes into `out`. */
void answers_normalise(const char *name, struct buf *out);

/* Grades a research exercise (1 or 3) into `e` (already added to the report). */
void grade_answers(const struct grade_ctx *g, const struct spec_exercise *ex, struct result_exercise *e,
		   struct result_report *r);

#endif
