/* summary.h: a class from its learners' written reports: the grade sheet (CSV), the class summary
 * (summary.json, reports/summary.schema.json describes it), the class page (views/html.h) and a
 * short text summary. `grader summary`, `grader merge` and the end of `grader batch` use it.
 *
 * Reports may come from several folders (the outputs of shards of one batch): they are merged, and
 * refused when they do not belong to one class graded one way: a learner present twice, different
 * `spec` ids, different `grader.version`s, or different `inputs.spec_digest`s (when both reports
 * record one). Older reports without `inputs`, `submission.graded_commit_late`, `later_commits`
 * or `score.penalty` are read; what they do not record is left empty on the sheet.
 *
 * Every string of a report is learner text: the sheet, the JSON and the page show it through
 * text_visible() (text.h), cut to a bounded length. The module prints nothing except where a
 * function is given a FILE. */
#ifndef GRADER_SUMMARY_H
#define GRADER_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"

struct overrides; /* overrides.h */

struct summary;

/* What summary_add() and summary_read() return. */
enum summary_status {
	SUMMARY_OK = 0,
	SUMMARY_BAD_FILE = 1, /* a path is not a readable report (the others are still added) */
	SUMMARY_REFUSED = 2,  /* a learner twice, or mixed spec ids, grader versions or spec digests */
};

/* An empty class; free it with summary_free(). */
struct summary *summary_new(void);
void summary_free(struct summary *s);

/* Adds one parsed report (a cJSON * tree of a report.json, passed as void *; the class takes it
 * and frees it in every case). `path` names it in messages; `fallback_learner` (may be NULL) is
 * the learner's id when the report has none (its folder's name). Returns SUMMARY_OK, or
 * SUMMARY_REFUSED with one line in `err` naming both reports and the differing values. */
enum summary_status summary_add(struct summary *s, void *report, const char *path,
				const char *fallback_learner, struct buf *err);

/* Reads the reports named: report.json files, or folders holding LEARNER/report.json (one level
 * down; symbolic links are not followed). Returns the worst status met, with one line per problem
 * in `err`; the readable, compatible reports are added in every case. */
enum summary_status summary_read(struct summary *s, char *const *paths, int npaths, struct buf *err);

/* The number of learners in the class. */
size_t summary_count(const struct summary *s);
/* The i-th report added (a cJSON * tree, borrowed; its evidence pruned to what a class needs: of
 * the research exercises' `entries`, the name, key and status), with the learner's id (raw, show
 * it through text_visible) in *learner when not NULL; NULL past the end. grader review reads the
 * class through it. */
const void *summary_report(const struct summary *s, size_t i, const char **learner);
/* Applies `ov` (overrides.h; borrowed, it must outlive `s`) to every report added from now on,
 * before it is kept: the sheet, summary.json and the page show the overridden points. */
void summary_set_overrides(struct summary *s, const struct overrides *ov);

/* Appends the grade sheet to `csv`: a header, then one row per learner sorted by learner id:
 * learner, points, max_points, percent, passed, reason, graded_commit_late, later_commits,
 * penalty, commit, options, errors, the points of each exercise (column: its id without the
 * "SPEC-" prefix) and of each check ("ex4.build"), and last `overridden`: the checks an instructor
 * overrode, space-separated ("ex1.verified"), or empty. Points are rounded to the rubric's precision
 * (the most decimals, at most 2, of any max_points in the class or of an overridden check's
 * points); a cell the report does not
 * record is empty. Text cells are one line (text_visible), cut at 512 bytes, start with an
 * apostrophe when a spreadsheet would take them for a formula (= + - @), and are quoted when they
 * hold a comma or a quote. Returns 0, or -1 when `csv` reached its maximum. */
int summary_csv(const struct summary *s, struct buf *csv);

/* The class summary (see reports/summary.schema.json) as a cJSON tree (void *; free it with
 * cJSON_Delete). */
void *summary_json(const struct summary *s);

/* Appends the class page (views/html.h's view_html_class with the analytics of `json`, a tree from
 * summary_json) to `out`. Returns 0, or -1 when `out` reached its maximum. */
int summary_html(const struct summary *s, const void *json, struct buf *out);

/* Prints a short text summary of `json` (a tree from summary_json) to `f`: the class size, how
 * many passed, and the five most failed checks with their most common message. */
void summary_print(const void *json, FILE *f);

/* The normalised form of a check's message by which failures are clustered, appended to `out`:
 * its first line, with every number that does not belong to a word ("line 11, column 5", "5 of
 * 24", "1.5x") made "N", every word holding a '/' (a path) made "PATH", runs of spaces made one,
 * at most 200 bytes; shown by text_visible. */
void summary_normalise(const char *message, struct buf *out);

/* What `grader summary` does, for `grader batch` to call at its end: reads `paths` as
 * summary_read(), writes OUT_DIR/grades.csv, OUT_DIR/summary.json and OUT_DIR/class.html
 * atomically (creating OUT_DIR), and prints summary_print() to `text` (may be NULL); `ov` (may be
 * NULL) is applied to every report as summary_set_overrides() says. Returns
 * ERROR_NONE; ERROR_CONFIG when a path is not a readable report or the reports were refused
 * (nothing is written when refused; the files are written from the good reports otherwise); or
 * ERROR_INFRA when a file cannot be written. The reasons are in `err`, one line each. */
enum error_class summary_write(char *const *paths, int npaths, const char *out_dir,
			       const struct overrides *ov, FILE *text, struct buf *err);

#endif
