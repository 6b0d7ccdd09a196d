/* report.h: the result model as JSON (reports/schema.json describes it) and as a terminal summary.
 * The report file is written here only. cJSON is also used, and only, by: result.c and the
 * modules that build their own evidence tree for it (fetch/fetch.c, measure/perf.c, startup.c,
 * timing_lock.c); the modules that must parse JSON they are given (outdiff.c: a learner's JSON
 * output; build.c: cargo's messages and metadata; summary.c and cli/cmd_batch.c: written
 * reports; the views under views/, which read a written report's tree, and cli/cmd_grade.c and
 * cli/cmd_show.c, which parse it for them); the commands that print a record as JSON
 * (cli/cmd_run.c, cli/cmd_fetch.c; cli/cmd_version.c only asks for its version); and the
 * fingerprints of `grader similarity` (fingerprint.c writes them, similarity.c reads and compares
 * them, views/simhtml.c and cli/cmd_similarity.c show the result).
 *
 * cJSON allocates with malloc and returns NULL when that fails, so the library keeps its checks
 * after cJSON calls (a program that links libgrader.a, such as a unit test, may leave cJSON's
 * allocator as it is). The grader binary installs xmalloc (xalloc.h) as cJSON's allocator first
 * thing in cli/main.c: there cJSON never runs out of memory, it ends the process as xmalloc does.
 *
 * Any string of the model may hold learner text (file names, manifest keys, compiler and program
 * output, commit authors). Every view shows it through text_visible() (see text.h): the summary,
 * the JSON report and the grade sheet never carry a raw control character, C1 control, bidi
 * character or invalid UTF-8 byte of the learner's; the model itself keeps the text as given. */
#ifndef GRADER_REPORT_H
#define GRADER_REPORT_H

#include <stdio.h>

#include "buf.h"
#include "result.h"

#define REPORT_SCHEMA_VERSION 1

/* Renders the report as indented JSON into `out`. Every string (evidence keys and values
 * included) is stored as text_visible() shows it with line feeds and tabs kept, so that the file,
 * and what `jq -r` prints from it, carries no control character but line feed and tab. Returns 0
 * or -1 (cJSON ran out of memory, which the grader binary never sees (above), or `out` reached its
 * maximum, buf.h). */
int report_to_json(const struct result_report *r, struct buf *out);
/* The same report as a JSON tree (a cJSON *, passed as void *; free it with cJSON_Delete), for the
 * views (views/views.h), or NULL when cJSON ran out of memory. */
void *report_tree(const struct result_report *r);
/* Writes the JSON report to `path` atomically (temp file + rename), creating missing parent
 * directories. On failure returns -1 and puts the reason, naming the path, in `err`. */
int report_write(const struct result_report *r, const char *path, struct buf *err);
/* A human summary: one line per exercise; under it one per check that did not pass (its message
 * and hint), one per passing check that measured something (its figures, read from the evidence:
 * "- performance: pass  Rust is 12x as fast (11x–13x), CPU time 65 ms vs 754 ms"), and one naming
 * the other passing checks ("passed: build, python"); then the total. Ids, titles, the learner and
 * the commit are shown on one line; a message, hint, warning or error of several lines continues
 * on lines that start with its indentation and "| ", keeping the lines' own indentation (tabs
 * become spaces), so that no line of learner text can pass for one of the summary's own. With
 * `color`, the only escape sequences are the grader's SGR colours (ESC [ 0/31/32/33 m). */
void report_print_summary(const struct result_report *r, FILE *f, bool color);

/* Reads a written report (a report.json file, at most 64 MiB) and returns its JSON tree (a
 * cJSON *, passed as void * so that callers need not know cJSON; free it with cJSON_Delete), or
 * NULL with one line in `err` naming the path (shown by text_visible): it cannot be read, or it is
 * not a JSON object of this REPORT_SCHEMA_VERSION. */
void *report_read(const char *path, struct buf *err);

#endif
