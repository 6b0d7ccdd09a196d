/* answers.h: the research exercises (1 and 3): a learner's list of organisations or crates,
 * checked for count (distinct entries by identity), completeness (descriptions in sentences),
 * sources (sources.h) and matched against the chapter's catalog and the class's decisions
 * (catalog.h). */
#ifndef GRADER_ANSWERS_H
#define GRADER_ANSWERS_H

#include "grade.h"

/* Grades a research exercise (1 or 3) into `e` (already added to the report). */
void grade_answers(const struct grade_ctx *g, const struct spec_exercise *ex, struct result_exercise *e,
		   struct result_report *r);

#endif
