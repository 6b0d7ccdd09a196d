/* github.h: a written report (reports/schema.json) as GitHub Actions shows it: workflow commands
 * that annotate the files a learner must fix, and a Markdown step summary.
 *
 * Both read only the report's JSON tree (through views/rjson.h), so a report read back from a
 * file, older, newer or damaged, gives what can be shown rather than a failure. Learner text is
 * escaped for where it goes: a workflow command's data and property values as GitHub's runner
 * decodes them, the summary for Markdown tables and the HTML GitHub renders in it. */
#ifndef GRADER_VIEWS_GITHUB_H
#define GRADER_VIEWS_GITHUB_H

#include <cjson/cJSON.h>

#include "buf.h"

/* Appends workflow commands, one per line, to `out`:
 * - `::error` for each check whose status is fail or error, `::warning` for partial,
 *   inconclusive and review (nothing for pass and skipped), with the file, line and column the
 *   check concerns when known (rj_check_file()), a title "EXERCISE CHECK (POINTS/MAX)" and the
 *   check's message then its hint; an exercise that failed with a message of its own but no
 *   failed check gets one `::error` on its file;
 * - `::error` for each infrastructure error and for the submission's error, `::warning` for each
 *   of the submission's warnings, without a file;
 * - last, `::notice title=grader::` with the total and the verdict.
 * Returns 0, or -1 when `out` would pass its maximum (then nothing is appended). */
int view_github_annotations(const cJSON *report, struct buf *out);

/* Appends a Markdown summary (for $GITHUB_STEP_SUMMARY) to `out`: a heading with the learner, the
 * score and PASSED or NOT PASSED; a table of the exercises; for each exercise not fully passed the
 * first thing to fix (its first failed check, else its first partial or inconclusive one, with
 * the message's first line and the hint); the measured speed and memory when the report has them;
 * the report's errors and the submission's warnings.
 * Returns 0, or -1 when `out` would pass its maximum (then nothing is appended). */
int view_github_summary(const cJSON *report, struct buf *out);

/* The escapes of a workflow command (as the runner's toolkit, command.ts, writes them), appended
 * to `out`: in the data part `%`, CR and LF become %25, %0D and %0A; in a property value `:` and
 * `,` also become %3A and %2C. Exposed for the tests. Return as buf_append(). */
int view_github_escape_data(struct buf *out, const char *s);
int view_github_escape_property(struct buf *out, const char *s);

/* The escapes of learner text in the Markdown summary, appended to `out`: Markdown's punctuation
 * (`\`, `|`, `*`, `_`, `[`, `]`, `~`) is backslash-escaped, `&`, `<`, `>` and the backtick become
 * HTML character references, a line break becomes <br>, a tab a space and any other control
 * character U+FFFD, so that the text stays inside its table cell or line and is shown, never
 * interpreted. Return as buf_append(). */
int view_github_escape_markdown(struct buf *out, const char *s);

#endif
