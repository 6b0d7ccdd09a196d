/* simhtml.h: the result of `grader similarity` (similarity.h) as one self-contained HTML page, in
 * the manner of html.h: inline CSS, no script, a Content-Security-Policy that forbids every
 * request, every string escaped. */
#ifndef GRADER_VIEWS_SIMHTML_H
#define GRADER_VIEWS_SIMHTML_H

#include <cjson/cJSON.h>

#include "buf.h"

/* Appends the page for `sim` (similarity_class's tree: the pairs at or above the threshold, each
 * with its scores and its matching regions side by side) to `out`. Returns 0, or -1 when `out`
 * would pass its maximum (out is then as it was). */
int view_similarity_html(const cJSON *sim, struct buf *out);

#endif
