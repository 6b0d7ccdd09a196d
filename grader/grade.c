/* grade.c: grades a submission, exercise by exercise, by kind (see grade.h). */
#include "grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "exercises/answers.h"
#include "exercises/comparison.h"
#include "exercises/conversion.h"
#include "banned.h"

typedef void grade_fn(const struct grade_ctx *g, const struct spec_exercise *ex,
		      struct result_exercise *e, struct result_report *r);

static grade_fn *const by_kind[] = {
	[SPEC_ANSWERS] = grade_answers,
	[SPEC_COMPARISON] = grade_comparison,
	[SPEC_CONVERSION] = grade_conversion,
};

/* "ch01-ex4" matches --only ch01-ex4 and --only ex4. */
static bool selected(const char *only, const char *id)
{
	const char *dash;

	if (!only)
		return true;
	if (!strcmp(only, id))
		return true;
	dash = strrchr(id, '-');
	return dash && !strcmp(only, dash + 1);
}

double grade_now(void)
{
	return clock_now();
}

double grade_seconds_left(const struct grade_ctx *g)
{
	return g->deadline > 0 ? g->deadline - grade_now() : 1e12;
}

bool grade_time_left(const struct grade_ctx *g, struct buf *why)
{
	if (grade_seconds_left(g) > 0)
		return true;
	if (why)
		buf_printf(why, "%s is used up", g->deadline_what ? g->deadline_what : "the time budget");
	return false;
}

void grade_submission(const struct grade_ctx *g, struct result_report *r)
{
	double start = grade_now();
	char learner_what[96];
	int nselected = 0, at = 0;

	snprintf(learner_what, sizeof(learner_what), "the learner's time budget of %.0f s (chapter)",
		 g->chapter->budget);
	r->budget_seconds = g->chapter->budget;
	for (size_t i = 0; i < g->chapter->nexercises; i++)
		nselected += selected(g->only, g->chapter->exercises[i]->id);
	for (size_t i = 0; i < g->chapter->nexercises; i++) {
		const struct spec_exercise *ex = g->chapter->exercises[i];
		struct result_exercise *e;
		struct grade_ctx gx = *g;
		char ex_what[96];
		double t0 = grade_now(), learner_end = g->chapter->budget > 0 ? start + g->chapter->budget : 0;

		if (!selected(g->only, ex->id))
			continue;
		e = result_exercise_add(r, ex->id, ex->title, spec_kind_name(ex->kind));
		result_set_str(&e->file, ex->manifest ? ex->manifest : ex->answers.file);
		progress_exercise(g->progress, ++at, nselected, ex->id, ex->title);
		/* The budget that runs out first bounds this exercise. */
		snprintf(ex_what, sizeof(ex_what), "the exercise's time budget of %.0f s", ex->budget);
		gx.deadline = learner_end;
		gx.deadline_what = learner_what;
		if (ex->budget > 0 && (!learner_end || t0 + ex->budget < learner_end)) {
			gx.deadline = t0 + ex->budget;
			gx.deadline_what = ex_what;
		}
		e->budget_seconds = gx.deadline > 0 ? gx.deadline - t0 : 0;
		by_kind[ex->kind](&gx, ex, e, r);
		e->seconds = grade_now() - t0;
		e->out_of_time = gx.deadline > 0 && grade_now() > gx.deadline;
		for (size_t j = 0; j < ex->nrequires; j++) {
			struct result_check *c = result_check_find(e, ex->requires[j]);
			if (!c || c->status != RESULT_PASS)
				result_exercise_unmet(e, ex->requires[j]);
		}
	}
	result_finish(r);
}
