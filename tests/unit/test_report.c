/* test_report.c: the result model, its totals and statuses, and its JSON rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fs.h"
#include "report.h"
#include "result.h"

static struct result_report *sample(void)
{
	struct result_report *r = result_report_new("alice");
	struct result_exercise *e = result_exercise_add(r, "ch01-ex4", "port", "conversion");
	struct result_check *b = result_check_add(e, "build", "builds", 5);
	struct result_check *c = result_check_add(e, "correctness", "agrees", 20);
	struct result_ev *ev;
	double samples[] = {0.5, 0.25};

	r->pass_threshold = 0.6;
	result_check_set(b, RESULT_PASS, 5, "built");
	result_check_set(c, RESULT_FAIL, 15, "1 of 4 cases differ");
	result_check_hint(c, "look at case %d", 3);
	ev = result_check_ev(c);
	result_ev_nums(ev, "samples", samples, 2);
	/* invalid UTF-8 and a NUL from a hostile program's output */
	result_ev_text(ev, "stdout", "ok\xff\xfe\0end", 9, 100, false);
	result_ev_text(ev, "long", "0123456789", 10, 4, true);
	result_ev_str(result_ev_list_add(ev, "cases"), "name", "a");
	result_ev_str(result_ev_list_add(ev, "cases"), "name", "b");
	result_finish(r);
	return r;
}

static void test_totals_and_status(void **state)
{
	struct result_report *r = sample();
	(void)state;

	assert_true(result_points(r) == 20);
	assert_true(result_max_points(r) == 25);
	assert_true(result_passed(r)); /* 20/25 = 0.8 >= 0.6 */
	assert_int_equal(r->exercises[0]->status, RESULT_PARTIAL);
	r->pass_threshold = 0.9;
	assert_false(result_passed(r));
	r->pass_threshold = 0.6;
	result_exercise_unmet(r->exercises[0], "correctness");
	assert_false(result_passed(r)); /* a required check failed: points are not enough */
	free(r->exercises[0]->unmet[0]);
	free(r->exercises[0]->unmet);
	r->exercises[0]->unmet = NULL;
	r->exercises[0]->nunmet = 0;
	assert_true(result_passed(r));
	result_error(r, "sandbox broke");
	assert_false(result_passed(r)); /* an infrastructure error never passes */
	result_report_free(r);
}

static void test_points_are_clamped(void **state)
{
	struct result_report *r = result_report_new("x");
	struct result_exercise *e = result_exercise_add(r, "e", "t", "answers");
	struct result_check *c = result_check_add(e, "count", "t", 3);
	(void)state;

	result_check_set(c, RESULT_PASS, 99, "too many");
	assert_true(c->points == 3);
	result_check_set(c, RESULT_FAIL, -1, "negative");
	assert_true(c->points == 0);
	result_finish(r);
	assert_int_equal(e->status, RESULT_FAIL);
	result_report_free(r);
}

static void test_json_is_valid_and_sanitised(void **state)
{
	struct result_report *r = sample();
	struct buf json = BUF_INIT;
	cJSON *root, *check, *ev;
	const char *out;
	(void)state;

	assert_int_equal(report_to_json(r, &json), 0);
	root = cJSON_ParseWithLength(json.data, json.len);
	assert_non_null(root);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(root, "schema_version")->valueint, REPORT_SCHEMA_VERSION);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "score"), "passed")));
	check = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "exercises"), 0), "checks"), 1);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(check, "status")->valuestring, "fail");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(check, "hint")->valuestring, "look at case 3");
	ev = cJSON_GetObjectItemCaseSensitive(check, "evidence");
	out = cJSON_GetObjectItemCaseSensitive(ev, "stdout")->valuestring;
	assert_non_null(strstr(out, "\xEF\xBF\xBD"));  /* U+FFFD for the bad bytes */
	assert_non_null(strstr(out, "end"));           /* the NUL did not cut the string */
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ev, "long_truncated")));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "long")->valuestring, "6789");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ev, "cases")), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ev, "samples")), 2);
	cJSON_Delete(root);
	buf_free(&json);
	result_report_free(r);
}

static void test_write_is_atomic_and_reports_errors(void **state)
{
	struct result_report *r = sample();
	struct buf dir = BUF_INIT, path = BUF_INIT, err = BUF_INIT, data = BUF_INIT;
	(void)state;

	fs_mkdtemp("/tmp", "grader-report-", &dir);
	fs_join(&path, dir.data, "alice/report.json");
	assert_int_equal(report_write(r, path.data, &err), 0);
	assert_int_equal(fs_read_file(path.data, 1 << 20, &data), 0);
	assert_non_null(strstr(data.data, "\"learner\":\t\"alice\""));
	/* a path that cannot be written names itself */
	assert_int_equal(report_write(r, "/proc/version/report.json", &err), -1);
	assert_non_null(strstr(err.data, "/proc/version"));
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&err);
	buf_free(&data);
	result_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals_and_status),
		cmocka_unit_test(test_points_are_clamped),
		cmocka_unit_test(test_json_is_valid_and_sanitised),
		cmocka_unit_test(test_write_is_atomic_and_reports_errors),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
