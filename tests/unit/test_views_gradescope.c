/* test_views_gradescope.c: the Gradescope results.json view on every example report and on a
 * hostile one with hidden cases. With GRADER_VIEWS_OUT=DIR it also writes each document to
 * DIR/gradescope-NAME.json, which tests/e2e/views_junit.sh checks with Python's json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "views/gradescope.h"
#include "views_fixtures.h"

/* Renders the report, writes it for the shell suite, and parses it back. */
static cJSON *render(const char *name, const cJSON *report, const char *hidden_visibility)
{
	struct gradescope_options o = {.hidden_visibility = hidden_visibility};
	struct buf out = BUF_INIT, file = BUF_INIT;
	cJSON *doc;

	assert_int_equal(view_gradescope(report, &o, &out), 0);
	assert_true(out.len > 0 && out.data[out.len - 1] == '\n');
	buf_printf(&file, "gradescope-%s.json", name);
	assert_int_equal(fixture_write(file.data, out.data, out.len), 0);
	doc = cJSON_ParseWithLength(out.data, out.len);
	assert_non_null(doc);
	buf_free(&out);
	buf_free(&file);
	return doc;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const cJSON *test_named(const cJSON *doc, const char *prefix)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "tests"))
	{
		if (!strncmp(str(t, "name"), prefix, strlen(prefix)))
			return t;
	}
	fail_msg("no test named %s...", prefix);
	return NULL;
}

static void test_every_fixture(void **state)
{
	(void)state;
	for (int i = 0; fixture_names[i]; i++) {
		cJSON *r = fixture_load(fixture_names[i]), *doc;
		const cJSON *t, *score = cJSON_GetObjectItemCaseSensitive(r, "score");
		double sum = 0;
		int n = 0;

		assert_non_null(r);
		doc = render(fixture_names[i], r, NULL);
		assert_true(fabs(num(doc, "score") - round(num(score, "points") * 100) / 100) < 1e-9);
		assert_string_equal(str(doc, "output_format"), "text");
		assert_string_equal(str(doc, "visibility"), "visible");
		assert_string_equal(str(doc, "stdout_visibility"), "hidden");
		assert_non_null(strstr(str(doc, "output"), ", chapter ch01: "));
		cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "tests"))
		{
			n++;
			sum += num(t, "score");
			assert_true(num(t, "score") <= num(t, "max_score"));
			assert_true(!strcmp(str(t, "status"), "passed") || !strcmp(str(t, "status"), "failed"));
			assert_string_equal(str(t, "visibility"), "visible");
			assert_string_equal(str(t, "output_format"), "text");
			assert_non_null(strstr(str(t, "name"), "ch01-ex"));
		}
		/* No fixture has hidden cases: one test per check, and they add up to the score. */
		assert_int_equal(n, count_status(r, NULL));
		assert_true(fabs(sum - num(doc, "score")) <= 0.01 * n);
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "tests")), n);
		cJSON_Delete(doc);
		cJSON_Delete(r);
	}
}

static void test_tests_say_what_happened(void **state)
{
	cJSON *r = fixture_load("edge-case"), *doc;
	const cJSON *t;
	(void)state;

	doc = render("edge-case", r, NULL);
	t = test_named(doc, "ch01-ex4 correctness: the port's outputs match the original's");
	assert_true(num(t, "score") == 15.83);
	assert_true(num(t, "max_score") == 20);
	assert_string_equal(str(t, "status"), "failed");
	assert_non_null(strstr(str(t, "output"), "5 of 24 cases differ; first: case generated seed 2"));
	assert_non_null(strstr(str(t, "output"), "\n\nHint: "));
	/* The message quotes the excerpts already: they are not repeated. */
	assert_null(strstr(str(t, "output"), "First difference"));
	t = test_named(doc, "ch01-ex1 count");
	assert_string_equal(str(t, "status"), "passed");
	assert_true(num(doc, "score") == 66.83);
	assert_non_null(strstr(str(doc, "output"), "edge-case, chapter ch01: 66.83 of 90 points (74%; 60% passes): not passed. "
						   "Exercises: ch01-ex1 15/15, ch01-ex2 10/20, ch01-ex3 15/15, ch01-ex4 26.83/40."));
	assert_true(num(doc, "execution_time") >= 0);
	cJSON_Delete(doc);
	cJSON_Delete(r);
}

static void test_hidden_cases_have_their_own_test(void **state)
{
	cJSON *r = hostile_report(), *doc;
	const cJSON *t, *h;
	(void)state;

	assert_non_null(r);
	doc = render("hostile", r, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "tests")), count_status(r, NULL) + 1);
	t = test_named(doc, "ch01-ex4 correctness: ");
	h = test_named(doc, "ch01-ex4 correctness (hidden cases)");
	/* The visible test keeps the points; it tells of the visible cases only. */
	assert_true(num(t, "score") == 13.33);
	assert_null(strstr(str(t, "output"), "HIDDEN-SECRET"));
	assert_null(strstr(str(t, "output"), "hidden case 2"));
	assert_non_null(strstr(str(t, "output"), "Of the 4 cases you can see, 2 agree. First difference: case "
						 "ex4/cases/missing_bmi.csv: the Python original exited 0"));
	assert_non_null(strstr(str(t, "output"), "The hidden cases are in a test of their own."));
	/* The visible case with excerpts that its message does not quote. */
	assert_non_null(strstr(str(t, "output"), "\n\nFirst difference, case generated seed 3, line 2, column 7:\nexpected: <script>"));
	assert_non_null(strstr(str(t, "output"), "\nactual:   ]]><b>bold</b>"));
	assert_string_equal(str(t, "visibility"), "visible");
	/* The hidden test: 0 of 0 points, the default visibility, each hidden failure told. */
	assert_true(num(h, "score") == 0 && num(h, "max_score") == 0);
	assert_string_equal(str(h, "status"), "failed");
	assert_string_equal(str(h, "visibility"), "after_published");
	assert_string_equal(str(h, "output"), "1 of 2 hidden cases agree.\nhidden case 2: HIDDEN-SECRET the Rust port crashed on the instructor's input");
	cJSON_Delete(doc);

	doc = render("hostile-after-due", r, "after_due_date");
	assert_string_equal(str(test_named(doc, "ch01-ex4 correctness (hidden cases)"), "visibility"), "after_due_date");
	cJSON_Delete(doc);
	/* A value Gradescope does not know shows nothing rather than everything. */
	doc = render("hostile-bogus", r, "visble");
	assert_string_equal(str(test_named(doc, "ch01-ex4 correctness (hidden cases)"), "visibility"), "hidden");
	cJSON_Delete(doc);
	cJSON_Delete(r);
}

static void test_hostile_text_stays_text(void **state)
{
	cJSON *r = hostile_report(), *doc;
	const cJSON *t;
	const char *out;
	(void)state;

	doc = render("hostile", r, "hidden");
	/* Markup stays literal (every format is "text"); CR, ESC and the other C0 controls of a
	 * damaged report become visible pictures; tab and line feed stay. */
	assert_string_equal(str(doc, "test_output_format"), "text");
	assert_string_equal(str(doc, "test_name_format"), "text");
	t = test_named(doc, "ch01-ex1 count: <script>");
	assert_string_equal(str(t, "name_format"), "text");
	out = str(t, "output");
	assert_non_null(strstr(out, "<script>alert('x')</script> 100% %s %n :: ]]> \"quoted\" 'single' a,b;c: d\r\n::error file=x::owned\tTAB & &amp; \xE2\x90\x81\xE2\x90\x9B[2J\xE2\x90\xA1 end"));
	assert_non_null(strstr(out, "\n\nHint: <script>"));
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "tests"))
	{
		for (const char *p = str(t, "output"); *p; p++)
			assert_false((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' && !(*p == '\r' && p[1] == '\n'));
		assert_null(strpbrk(str(t, "name"), "\x1b\r\n\t"));
	}
	out = str(doc, "output");
	/* The summary is one paragraph, whatever the learner wrote. */
	assert_null(strpbrk(out, "\r\n\t"));
	assert_non_null(strstr(out, "eve<&>\"'"));
	assert_non_null(strstr(out, " The submission could not be graded: <script>"));
	assert_non_null(strstr(out, " The grader itself failed (2 errors, not your fault; your instructor has the report): <script>"));
	assert_non_null(strstr(out, " ch01-ex4 requires check correctness to pass."));
	cJSON_Delete(doc);
	cJSON_Delete(r);
}

static void test_odd_values_and_maximum(void **state)
{
	const char *text = "{\"score\": {\"points\": 1e400, \"fraction\": \"x\"}, \"duration_seconds\": -1, \"exercises\": "
			   "[{\"checks\": [{\"points\": 2.345, \"max_points\": 3, \"status\": \"pass\", \"evidence\": "
			   "{\"cases\": [7, {\"origin\": \"hidden\"}]}}, 5]}, 3], \"errors\": [4]}";
	cJSON *r = cJSON_Parse(text), *doc;
	const cJSON *t;
	struct buf small = BUF_INIT_MAX(64);
	(void)state;

	assert_non_null(r);
	doc = render("odd", r, NULL);
	assert_true(num(doc, "score") == 0);
	assert_true(num(doc, "execution_time") == 0);
	t = test_named(doc, "? ?");
	assert_true(num(t, "score") == 2.35 || num(t, "score") == 2.34);
	assert_string_equal(str(t, "status"), "passed");
	assert_string_equal(str(test_named(doc, "? ? (hidden cases)"), "output"), "0 of 1 hidden case agree.\n?: ?");
	assert_null(strstr(str(doc, "output"), "grader itself failed"));
	cJSON_Delete(doc);

	assert_int_equal(view_gradescope(r, NULL, &small), -1);
	assert_int_equal(small.len, 0);
	cJSON_Delete(r);
	buf_free(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fixture),
		cmocka_unit_test(test_tests_say_what_happened),
		cmocka_unit_test(test_hidden_cases_have_their_own_test),
		cmocka_unit_test(test_hostile_text_stays_text),
		cmocka_unit_test(test_odd_values_and_maximum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
