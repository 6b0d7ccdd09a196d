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

/* Reads the reports named (report.json files, or folders searched one level down for
 * <learner>/report.json) and appends a grade sheet as CSV to `csv`: one row per learner with
 * learner, points, max_points, percent, passed, late, late_seconds, commit, errors, then each
 * exercise's points in chapter order. Returns the number of reports read, or -1 with the reasons
 * (one line per bad file: path and what is wrong) in `err`; rows of good files are still added. */
int report_merge_csv(char *const *paths, int npaths, struct buf *csv, struct buf *err);

#endif
