/* test_views_model.c: a written report turned back into the result model (views/model.h), as
 * `grader show` does for its text view: every example's report, rendered again from the model,
 * is the same JSON; a damaged report still gives a model. Run from the repository's root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fs.h"
#include "report.h"
#include "views/model.h"

static cJSON *parse_file(const char *path)
{
	struct buf text = BUF_INIT;
	cJSON *tree;

	assert_int_equal(fs_read_file(path, 64 << 20, &text), 0);
	tree = cJSON_ParseWithLength(text.data, text.len);
	buf_free(&text);
	assert_non_null(tree);
	return tree;
}

/* Whether two trees are equal, numbers within 2e-6: the report rounds to 6 decimals, and the
 * figures it derives (grader_seconds = duration - run_seconds) from rounded ones may differ in the
 * last of them. Members in the same order. */
static bool same(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;

	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return a->valuedouble - b->valuedouble < 2e-6 && b->valuedouble - a->valuedouble < 2e-6;
	if (!cJSON_IsArray(a) && !cJSON_IsObject(a))
		return cJSON_Compare(a, b, true);
	if ((a->type & 0xff) != (b->type & 0xff))
		return false;
	for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
		if ((x->string || y->string) && (!x->string || !y->string || strcmp(x->string, y->string)))
			return false;
		else if (!same(x, y))
			return false;
	return !x && !y;
}

/* The report written from the model of a report is that report, for every example. */
static void test_examples_round_trip(void **state)
{
	glob_t g;

	(void)state;
	assert_int_equal(glob("tests/views/reports/*.json", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 7);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		cJSON *want = parse_file(g.gl_pathv[i]), *got;
		struct result_report *r = view_model_from_json(want);
		struct buf json = BUF_INIT;

		assert_int_equal(report_to_json(r, &json), 0);
		got = cJSON_ParseWithLength(json.data, json.len);
		assert_non_null(got);
		/* the grader's version is the one that writes again; all else must be as read */
		cJSON_ReplaceItemInObjectCaseSensitive(got, "grader", cJSON_Duplicate(cJSON_GetObjectItem(want, "grader"), 1));
		if (!same(want, got)) {
			/* the whole rendering, for a diff: cmocka cuts a long message */
			FILE *f = fopen("build/test_views_model.json", "w");
			if (f) {
				fputs(json.data, f);
				fclose(f);
			}
			fail_msg("%s: the report written again from its model differs (it is in "
				 "build/test_views_model.json)",
				 g.gl_pathv[i]);
		}
		cJSON_Delete(want);
		cJSON_Delete(got);
		result_report_free(r);
		buf_free(&json);
	}
	globfree(&g);
}

/* A report with missing and mistyped fields (another version, a damaged file) still gives a
 * model, with the fields it could read. */
static void test_damaged_report_gives_a_model(void **state)
{
	const char *text = "{\"learner\": 7, \"exercises\": [{\"id\": \"ch01-ex4\", \"status\": \"bogus\", "
			   "\"checks\": [{\"id\": \"build\", \"status\": \"fail\", \"points\": \"x\", \"evidence\": [1]},"
			   " 3, {\"status\": \"pass\"}]}, \"x\"], \"submission\": {\"warnings\": [1, \"w\"]}}";
	cJSON *tree = cJSON_Parse(text);
	struct result_report *r;

	(void)state;
	assert_non_null(tree);
	r = view_model_from_json(tree);
	assert_null(r->learner);
	assert_int_equal(r->nexercises, 1);
	assert_int_equal(r->exercises[0]->status, RESULT_ERROR); /* an unknown status is not a pass */
	assert_int_equal(r->exercises[0]->nchecks, 2);
	assert_string_equal(r->exercises[0]->checks[0]->id, "build");
	assert_int_equal(r->exercises[0]->checks[0]->status, RESULT_FAIL);
	assert_string_equal(r->exercises[0]->checks[1]->id, "?");
	assert_int_equal(r->submission.nwarnings, 1);
	assert_string_equal(r->submission.warnings[0], "w");
	result_report_free(r);
	r = view_model_from_json(NULL);
	assert_int_equal(r->nexercises, 0);
	result_report_free(r);
	cJSON_Delete(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_round_trip),
		cmocka_unit_test(test_damaged_report_gives_a_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
