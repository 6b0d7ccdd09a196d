/* gradescope.h: a written report (reports/schema.json) as a Gradescope autograder's
 * results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/); docs/gradescope.md
 * says how a course runs the grader on Gradescope. */
#ifndef GRADER_VIEWS_GRADESCOPE_H
#define GRADER_VIEWS_GRADESCOPE_H

#include <cjson/cJSON.h>

#include "buf.h"

struct gradescope_options {
	/* When students see the results of the hidden cases: "hidden", "after_due_date",
	 * "after_published" or "visible" (Gradescope's visibility names; the chapter spec's
	 * `gradescope.hidden_visibility`). NULL: "after_published". Any other value counts as
	 * "hidden", the one that shows nothing. */
	const char *hidden_visibility;
};

/* Appends results.json for the report to `out` (indented JSON, a final line feed):
 *
 * - "score": the report's score.points; "execution_time": its duration in whole seconds;
 *   "output": one paragraph on one line (the points, pass or not, each exercise's points, the
 *   unmet requirements, the submission's error and the grader's errors); "visibility":
 *   "visible"; "stdout_visibility": "hidden" (the grader's own output may name hidden cases);
 *   every format "text", since Gradescope renders the top-level output as HTML by default and
 *   learner text must not become markup.
 * - "tests": one per check, in report order, named "EXERCISE-ID CHECK-ID: TITLE" on one line,
 *   with "score" (points), "max_score" (max_points), "status" ("passed" only when the check
 *   passed, else "failed"), "output" (message, hint, and the first differing case's expected and
 *   actual excerpts when the evidence has them and the message does not quote them) and
 *   "visibility": "visible".
 * - A check whose evidence lists cases with "origin": "hidden" gets a second test, "EXERCISE-ID
 *   CHECK-ID (hidden cases)", 0 out of 0 points (so the total is unchanged), with how many hidden
 *   cases agree and how each other one failed, visible as `o->hidden_visibility` says. Its
 *   visible test then tells only of the cases students can see (its points and status still
 *   count the hidden cases: they are the check's).
 *
 * Text from the report is made valid UTF-8 with control characters shown as symbols (text.h,
 * text_safe()). Numbers are rounded to 2 decimals. `o` may be NULL (the defaults). Returns 0, or
 * -1 when `out` reaches its maximum (nothing appended) or cJSON cannot allocate. */
int view_gradescope(const cJSON *report, const struct gradescope_options *o, struct buf *out);

#endif
