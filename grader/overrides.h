/* overrides.h: an instructor's overrides of single checks (overrides.yaml, docs/review.md):
 *
 *   overrides:
 *     - learner: alice           # a learner id (one that is in no report is fine)
 *       exercise: ex1            # the exercise's id (ch01-ex1) or its short name (ex1)
 *       check: verified          # a check the exercise's rubric scores
 *       points: 3                # 0 to the check's points, and/or
 *       status: pass             # pass, fail, partial, inconclusive, review, skipped, error
 *       reason: "checked by hand: Candle Labs uses Rust"   # required
 *       by: bob                  # required
 *       when: 2026-12-01         # required: a date or an ISO 8601 time
 *
 * Given a status only, the points follow it (pass: all, fail: none, otherwise as graded); given
 * points only, the status does (all: pass, none: fail, else partial). Applying replaces the
 * check's status and points, annotates its message, keeps the grader's verdict in the check's
 * `override.original`, and totals the exercise and the report again as the grader does
 * (result_finish, the chapter's required checks): the penalty, the threshold and `passed` follow.
 * Applying is idempotent: an override already in a report is first undone from its `original`, so
 * a report always carries exactly the overrides of the file applied last (none: the grader's own
 * verdicts). No sandbox ever runs for it. Nothing here prints. */
#ifndef GRADER_OVERRIDES_H
#define GRADER_OVERRIDES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "result.h"
#include "sha256.h"
#include "spec.h"

struct overrides;

/* Loads and checks `path` against the chapter (exercise and check ids, the points' range). Returns
 * NULL with "file:line:col: message" lines in `err` for every problem. Free with overrides_free. */
struct overrides *overrides_load(const char *path, const struct spec_chapter *chapter, struct buf *err);
/* No overrides, for a grading given none: applying it undoes those a kept report carries (it knows
 * the chapter's required checks to total the report again). */
struct overrides *overrides_none(const struct spec_chapter *chapter);
void overrides_free(struct overrides *ov);
/* The number of overrides in the file. */
size_t overrides_count(const struct overrides *ov);
/* SHA-256 of the file as loaded, 64 hex digits (borrowed): the report's inputs.overrides_digest;
 * NULL for overrides_none() or NULL. */
const char *overrides_digest(const struct overrides *ov);

/* Applies `ov` (NULL or overrides_none(): none, which only undoes the overrides a report carries;
 * with NULL the required checks are not looked at again) to the model `r`,
 * and sets r->inputs.overrides_digest when the report has inputs. Returns the number of checks
 * overridden now; *changed (may be NULL) says whether any check's verdict or the recorded digest
 * differs from before. */
size_t overrides_apply(const struct overrides *ov, struct result_report *r, bool *changed);
/* The same on a written report's JSON tree (a cJSON * as report_read() gives): its exercises and
 * score are replaced by those of the model overrides_apply() made; nothing else of it changes
 * (the grader version it records included). A report with no override to undo and none to apply
 * is left as it is. Returns the number of checks overridden. */
size_t overrides_apply_tree(const struct overrides *ov, void *report);

#endif
