/* model.h: a written report (its JSON) turned back into the result model (result.h), for the views
 * that render the model rather than the JSON: the terminal summary of `grader show`. */
#ifndef GRADER_VIEWS_MODEL_H
#define GRADER_VIEWS_MODEL_H

#include <cjson/cJSON.h>

#include "result.h"

/* The report as a model: every field the report writer (report.h) writes, evidence copied whole.
 * Statuses and points are taken as written, not derived again. A missing or mistyped field is
 * left empty (a report from another version of the grader still shows). Never NULL; free with
 * result_report_free(). */
struct result_report *view_model_from_json(const cJSON *report);

#endif
