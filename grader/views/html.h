/* html.h: the report as self-contained HTML pages, one per learner and one per class.
 *
 * A page needs nothing outside itself: inline CSS, charts as inline SVG, no script, and a
 * Content-Security-Policy that forbids every request (so hostile text in a report could not load
 * anything even if it escaped). Every string from a report is escaped. The pages read the report
 * through rjson.h, so an older, newer or damaged report still gives a page. */
#ifndef GRADER_VIEWS_HTML_H
#define GRADER_VIEWS_HTML_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"

/* Appends one self-contained page for one learner's report (a parsed report.json) to `out`.
 * Returns 0, or -1 when `out` would pass its maximum (out is then as it was). */
int view_html(const cJSON *report, struct buf *out);

/* Appends one page for a class: reports[0..n) are parsed report.json trees (NULL entries are
 * skipped). Shows the score histogram, each check's failure rate, the measured speedups and the
 * learners. Returns as view_html(). */
int view_html_class(const cJSON *const *reports, size_t n, struct buf *out);
/* The same page with the analytics of `summary` (a tree of summary.h's summary_json(), or NULL
 * for none): each check's most common failure message, and the names the class cited. */
int view_html_class_summary(const cJSON *const *reports, size_t n, const cJSON *summary, struct buf *out);

#endif
