/* inputs.h: what decides a grading's result, and the key that names it. Two gradings with the
 * same inputs give the same report (the measurements aside), so `grader batch` (and `grader grade
 * --reuse`) keep a report whose key matches instead of grading again. The inputs are: the
 * learner's id, source and ref; the graded commit (or a plain directory's digest); the grader's
 * executable; the chapter folder (specs, catalogs, hidden cases: specs may not name a path outside
 * it); the sandbox profiles; the versions of Python, rustc and cargo the sandbox binds; and the
 * options that change a grading (--no-perf, --only, --deadline, --extension); and the class
 * catalog (--class-catalog: the instructor's review decisions, docs/review.md). The late policy is
 * in the chapter folder. An overrides file (overrides.h) is NOT an input: it is applied to a kept
 * report without grading again, and recorded apart (result_inputs.overrides_digest). */
#ifndef GRADER_INPUTS_H
#define GRADER_INPUTS_H

#include <stdbool.h>

#include "buf.h"
#include "result.h"

struct inputs_request {
	const char *learner, *source, *ref; /* ref may be NULL */
	const char *commit;                 /* the graded commit id, or NULL for a plain directory: */
	const char *tree;                   /* the tree graded, digested when there is no commit */
	const char *spec_dir, *profiles_dir;
	const char *python, *rustc, *cargo; /* sandbox_toolchain(); NULL when not bound */
	bool no_perf;
	const char *only, *deadline, *extension; /* NULL when not given */
	const char *class_catalog; /* --class-catalog's file (its digest joins the key), or NULL */
};

/* Fills `out` (emptied first with result_inputs_free) from `q`, reading the grader's executable
 * (/proc/self/exe) and the folders. Returns 0, or -1 with the reason in `err` (`out` is then left
 * empty: the report has no key and is never reused). */
int inputs_take(const struct inputs_request *q, struct result_inputs *out, struct buf *err);

/* True when a written report (its JSON tree, a cJSON * from report_read(), may be NULL) may stand
 * for a grading with inputs `in`: its inputs.key equals in->key, and it has no infrastructure
 * error (a grading that failed on the grader's side is always done again). */
bool inputs_report_matches(const void *report, const struct result_inputs *in);

#endif
