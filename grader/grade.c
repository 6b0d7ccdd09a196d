/* grade.c: grades a submission, exercise by exercise, by kind (see grade.h). */
#include "grade.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
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

void grade_submission(const struct grade_ctx *g, struct result_report *r)
{
	for (size_t i = 0; i < g->chapter->nexercises; i++) {
		const struct spec_exercise *ex = g->chapter->exercises[i];
		struct result_exercise *e;

		if (!selected(g->only, ex->id))
			continue;
		e = result_exercise_add(r, ex->id, ex->title, spec_kind_name(ex->kind));
		if (!e) {
			result_error(r, "out of memory");
			break;
		}
		log_info(g->verbose, "grading %s: %s", ex->id, ex->title);
		by_kind[ex->kind](g, ex, e, r);
		for (size_t j = 0; j < ex->nrequires; j++) {
			struct result_check *c = result_check_find(e, ex->requires[j]);
			if (!c || c->status != RESULT_PASS)
				result_exercise_unmet(e, ex->requires[j]);
		}
	}
	result_finish(r);
}
