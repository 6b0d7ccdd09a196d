/* report.h: the result model as JSON (reports/schema.json describes it) and as a terminal summary.
 * The only module that writes JSON. */
#ifndef GRADER_REPORT_H
#define GRADER_REPORT_H

#include <stdio.h>

#include "buf.h"
#include "result.h"

#define REPORT_SCHEMA_VERSION 1

/* Renders the report as indented JSON into `out`. Returns 0 or -1 (out of memory). */
int report_to_json(const struct result_report *r, struct buf *out);
/* Writes the JSON report to `path` atomically (temp file + rename), creating missing parent
 * directories. On failure returns -1 and puts the reason, naming the path, in `err`. */
int report_write(const struct result_report *r, const char *path, struct buf *err);
/* A human summary: one line per exercise, one per check that did not pass, the total. */
void report_print_summary(const struct result_report *r, FILE *f, bool color);

#endif
