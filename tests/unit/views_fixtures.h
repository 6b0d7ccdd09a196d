/* views_fixtures.h: what the views' unit tests share: the example reports of tests/views/reports,
 * a crafted hostile report, and writing a view's output where tests/e2e/views_junit.sh reads it
 * ($GRADER_VIEWS_OUT, when set). Included by one test file each; run from the repository root. */
#ifndef GRADER_TESTS_VIEWS_FIXTURES_H
#define GRADER_TESTS_VIEWS_FIXTURES_H

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fs.h"

static const char *const fixture_names[] = {"compile-error", "correct",    "edge-case", "float-format",
					    "panic",         "shells-out", "vendored",  NULL};

/* Learner text at its worst: markup, format directives, the CDATA end, quotes of both kinds,
 * CR, LF and TAB, CSV and annotation separators, and (as a damaged report might hold) C0
 * controls that no report should carry. */
static const char hostile_text[] = "<script>alert('x')</script> 100% %s %n :: ]]> \"quoted\" 'single' a,b;c: d\r\n"
				   "::error file=x::owned\tTAB & &amp; \x01\x1b[2J\x7f end";
/* What only the hidden test may tell. */
static const char hidden_secret[] = "HIDDEN-SECRET the Rust port crashed on the instructor's input";

/* The example report NAME ("correct") from $GRADER_ROOT (else the current folder), parsed; fails
 * the test when it cannot be read or parsed. */
static inline cJSON *fixture_load(const char *name)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	const char *root = getenv("GRADER_ROOT");
	cJSON *r;

	buf_printf(&path, "%s/tests/views/reports/%s.json", root ? root : ".", name);
	if (fs_read_file(path.data, 1 << 24, &text) != 0)
		fail_msg("cannot read %s (run through tests/run.sh)", path.data);
	r = cJSON_ParseWithLength(text.data, text.len);
	assert_non_null(r);
	buf_free(&path);
	buf_free(&text);
	return r;
}

static inline void set_str(cJSON *o, const char *key, const char *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	cJSON_AddStringToObject(o, key, v);
}

static inline cJSON *find_id(const cJSON *arr, const char *id)
{
	cJSON *x;

	cJSON_ArrayForEach(x, arr)
	{
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, "id");
		if (cJSON_IsString(v) && !strcmp(v->valuestring, id))
			return x;
	}
	return NULL;
}

static inline cJSON *add_case(cJSON *cases, const char *name, const char *origin, const char *result)
{
	cJSON *k = cJSON_CreateObject();

	cJSON_AddStringToObject(k, "name", name);
	cJSON_AddStringToObject(k, "origin", origin);
	cJSON_AddStringToObject(k, "result", result);
	cJSON_AddItemToArray(cases, k);
	return k;
}

/* panic.json with hostile text in every message, hint, id the views show, the exercise message,
 * the submission's error and two report errors; and in ex4's correctness, two hidden cases (one
 * differs, its message a secret), a visible case whose excerpts are hostile, and a check message
 * that names the hidden case (as the grader's does when the first difference is hidden). */
static inline cJSON *hostile_report(void)
{
	cJSON *r = fixture_load("panic"), *ex, *check, *errors, *ev, *cases, *k;

	if (!r)
		return NULL;
	set_str(r, "learner", "eve<&>\"'");
	cJSON_ArrayForEach(ex, cJSON_GetObjectItemCaseSensitive(r, "exercises"))
	{
		set_str(ex, "message", hostile_text);
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(ex, "unmet_requirements"),
				     cJSON_CreateString(hostile_text));
		cJSON_ArrayForEach(check, cJSON_GetObjectItemCaseSensitive(ex, "checks"))
		{
			set_str(check, "message", hostile_text);
			set_str(check, "hint", hostile_text);
			set_str(check, "title", hostile_text);
		}
	}
	ex = find_id(cJSON_GetObjectItemCaseSensitive(r, "exercises"), "ch01-ex4");
	check = find_id(cJSON_GetObjectItemCaseSensitive(ex, "checks"), "correctness");
	set_str(check, "message", "2 of 5 cases differ; first: case hidden case 2: HIDDEN-SECRET the Rust port "
				  "crashed on the instructor's input");
	ev = cJSON_GetObjectItemCaseSensitive(check, "evidence");
	set_str(ev, "note", hostile_text);
	cases = cJSON_GetObjectItemCaseSensitive(ev, "cases");
	add_case(cases, "hidden case 1", "hidden", "same");
	k = add_case(cases, "hidden case 2", "hidden", "different");
	cJSON_AddStringToObject(k, "message", hidden_secret);
	k = add_case(cases, "generated seed 3", "generated", "different");
	cJSON_AddStringToObject(k, "message", "standard output differs");
	cJSON_AddNumberToObject(k, "line", 2);
	cJSON_AddNumberToObject(k, "column", 7);
	cJSON_AddStringToObject(k, "expected_excerpt", hostile_text);
	cJSON_AddStringToObject(k, "actual_excerpt", "]]><b>bold</b>");
	set_str(cJSON_GetObjectItemCaseSensitive(r, "submission"), "error", hostile_text);
	errors = cJSON_GetObjectItemCaseSensitive(r, "errors");
	cJSON_AddItemToArray(errors, cJSON_CreateString(hostile_text));
	cJSON_AddItemToArray(errors, cJSON_CreateString("disk full"));
	return r;
}

/* Writes `text` to $GRADER_VIEWS_OUT/NAME when that is set (tests/e2e/views_junit.sh parses it). */
static inline int fixture_write(const char *name, const char *text, size_t len)
{
	const char *dir = getenv("GRADER_VIEWS_OUT");
	struct buf path = BUF_INIT;
	int rc;

	if (!dir || !*dir)
		return 0;
	fs_join(&path, dir, name);
	rc = fs_write_atomic(path.data, text, len);
	buf_free(&path);
	return rc;
}

/* Counts of a report's checks by status (and of its exercises' checks in all). */
static inline int count_status(const cJSON *report, const char *status)
{
	const cJSON *ex, *check;
	int n = 0;

	cJSON_ArrayForEach(ex, cJSON_GetObjectItemCaseSensitive(report, "exercises"))
	{
		cJSON_ArrayForEach(check, cJSON_GetObjectItemCaseSensitive(ex, "checks"))
		{
			const cJSON *s = cJSON_GetObjectItemCaseSensitive(check, "status");
			n += !status || (cJSON_IsString(s) && !strcmp(s->valuestring, status));
		}
	}
	return n;
}

#endif
