/* rjson.h: reading a written report (reports/schema.json) as the views do: typed lookups that
 * return a default instead of failing, for a report that may come from a file (grader show) and
 * so be older, newer or damaged. Knows the report's shape, nothing of grading. */
#ifndef GRADER_VIEWS_RJSON_H
#define GRADER_VIEWS_RJSON_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/* The member `key` of object `o` when it has that type, else NULL (o may be NULL). */
const cJSON *rj_obj(const cJSON *o, const char *key);
const cJSON *rj_arr(const cJSON *o, const char *key);
/* The string member `key`, else `def` (which may be NULL). */
const char *rj_str(const cJSON *o, const char *key, const char *def);
/* The number member `key`, else `def`. */
double rj_num(const cJSON *o, const char *key, double def);
/* The boolean member `key`, else `def`. */
bool rj_bool(const cJSON *o, const char *key, bool def);

/* The file a check concerns, as a path from the submission's root (e.g. "ex4/rust/src/main.rs"),
 * with its line and column when known (0 otherwise): the evidence's file/line/column when
 * present, else the file the check reads by its id and the exercise's (ex1/organisations.yaml,
 * ex4/NOTES.md, ex4/exercise.yaml, ...), else NULL. */
const char *rj_check_file(const cJSON *exercise, const cJSON *check, int *line, int *column);

#endif
