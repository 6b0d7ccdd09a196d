/* views.h: the views of one report, each made from the report's JSON by its own module (text:
 * report.h's summary; json: the report itself; github.h, junit.h, gradescope.h, html.h), and
 * where each goes: standard output (text, json without --out, github's workflow commands), or a
 * file in the output folder (json: report.json, junit: junit.xml, gradescope: results.json, html:
 * report.html), written through a temporary file and a rename. github also appends its Markdown
 * summary to the file $GITHUB_STEP_SUMMARY names, when it is set, or writes summary.md to the
 * output folder when it is not. */
#ifndef GRADER_VIEWS_H
#define GRADER_VIEWS_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "buf.h"

enum view_format {
	VIEW_TEXT,
	VIEW_JSON,
	VIEW_JUNIT,
	VIEW_GITHUB,
	VIEW_GRADESCOPE,
	VIEW_HTML,
	VIEW_NFORMATS
};

/* "text", "json", ... */
extern const char *const view_format_names[VIEW_NFORMATS];

/* Parses a comma-separated list of format names into a set (bit 1 << format). Returns 0, or -1
 * with the reason in `err` (an unknown or empty name, naming the known ones). */
int views_parse(const char *list, unsigned *set, struct buf *err);

struct views_options {
	unsigned set;                  /* the views to make */
	const char *out_dir;           /* --out, or NULL: the file views go beside the report */
	const char *report_dir;        /* the folder of report.json (when out_dir is NULL) */
	bool color;                    /* text: the summary may use colour */
	const char *hidden_visibility; /* gradescope: the visibility of hidden cases, or NULL */
	const char *report_path;       /* text: the "report" line under the summary, or NULL */
};

/* Checks that the views can go where `o` says: at most one view on standard output besides
 * github's (json without --out and text cannot both be there), and a folder for the file views.
 * Returns 0, or -1 with the reason in `err` (a usage error). */
int views_check(const struct views_options *o, struct buf *err);

/* Makes the views of `report` (its JSON tree) in `o->set`, to `out` (standard output) and to
 * files. Returns 0, or -1 with the reasons in `err` (one line per view that could not be written,
 * naming the file); the views that could be written are. */
int views_write(const cJSON *report, const struct views_options *o, FILE *out, struct buf *err);

#endif
