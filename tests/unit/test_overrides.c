/* test_overrides.c: unit tests of overrides.c and classcat.c: loading and checking overrides.yaml
 * against the chapter (file:line:col), applying an override to a report as the grader totals it
 * (exercise status, required checks, penalty, threshold), keeping the original, idempotence and
 * undoing; the class catalog's round trip through its writer and its refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "classcat.h"
#include "fs.h"
#include "overrides.h"
#include "report.h"
#include "result.h"
#include "spec.h"

static struct buf tmpdir;
static struct spec_chapter *chapter;

static int setup(void **state)
{
	struct buf err = BUF_INIT;

	(void)state;
	chapter = spec_load_chapter("specs/ch01", &err);
	if (!chapter)
		fprintf(stderr, "%s", err.data);
	buf_free(&err);
	return chapter && fs_mkdtemp("/tmp", "grader-overrides-", &tmpdir) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	spec_chapter_free(chapter);
	fs_rmtree(tmpdir.data);
	buf_free(&tmpdir);
	return 0;
}

/* Writes `text` to a file of the temp folder; its path goes to `path`. */
static void put_file(const char *name, const char *text, struct buf *path)
{
	buf_reset(path);
	fs_join(path, tmpdir.data, name);
	assert_int_equal(fs_write_atomic(path->data, text, strlen(text)), 0);
}

/* A report of learner bob: ex1 with count (pass 3/3) and verified (review 4/6), ex4 with build
 * (fail 0/10, required by the spec) and correctness (pass 20/20); threshold 0.6, penalty p. */
static struct result_report *report(double penalty)
{
	struct result_report *r = result_report_new("bob");
	struct result_exercise *e1 = result_exercise_add(r, "ch01-ex1", "orgs", "answers");
	struct result_exercise *e4 = result_exercise_add(r, "ch01-ex4", "port", "conversion");

	result_check_set(result_check_add(e1, "count", NULL, 3), RESULT_PASS, 3, "3 entries");
	result_check_set(result_check_add(e1, "verified", NULL, 6), RESULT_REVIEW, 4, "Candle Labs waits");
	result_check_set(result_check_add(e4, "build", NULL, 10), RESULT_FAIL, 0, "does not build");
	result_check_set(result_check_add(e4, "correctness", NULL, 20), RESULT_PASS, 20, "all agree");
	result_exercise_unmet(e4, "build");
	r->pass_threshold = 0.6;
	r->penalty = penalty;
	result_set_str(&r->inputs.key, "k");
	result_finish(r);
	return r;
}

static struct overrides *load(const char *text, struct buf *err)
{
	struct buf path = BUF_INIT;
	struct overrides *ov;

	put_file("overrides.yaml", text, &path);
	ov = overrides_load(path.data, chapter, err);
	buf_free(&path);
	return ov;
}

static void test_bad_overrides_are_named_by_line_and_column(void **state)
{
	struct buf err = BUF_INIT;

	(void)state;
	assert_null(load("overrides:\n"
			 "  - learner: bob\n"
			 "    exercise: ex9\n"
			 "    check: verified\n"
			 "    points: 1\n"
			 "    reason: r\n"
			 "    by: prof\n"
			 "    when: 2026-12-01\n"
			 "  - learner: bob\n"
			 "    exercise: ex1\n"
			 "    check: verifed\n"
			 "    status: pass\n"
			 "    reason: r\n"
			 "    by: prof\n"
			 "    when: yesterday\n"
			 "  - learner: bob\n"
			 "    exercise: ch01-ex1\n"
			 "    check: verified\n"
			 "    points: 7\n"
			 "    status: great\n"
			 "    reason: r\n"
			 "    by: prof\n"
			 "    when: 2026-12-01T10:00:00Z\n"
			 "  - {learner: bob, exercise: ex1, check: count, by: prof, when: 2026-12-01, points: 1}\n",
			 &err));
	assert_non_null(strstr(err.data, "overrides.yaml:3:15: 'ex9' is not an exercise of ch01"));
	assert_non_null(strstr(err.data, ":11:12: 'verifed' is not a scored check of ch01-ex1 (did you mean 'verified'?)"));
	assert_non_null(strstr(err.data, ":15:11: 'when' must be a date"));
	assert_non_null(strstr(err.data, ":24:5: an override is missing the required key 'reason'")); /* the fourth has none */
	assert_non_null(strstr(err.data, ":19:13: 'points' is 7, out of range [0, 6]"));
	assert_non_null(strstr(err.data, ":20:13:")); /* status great */
	buf_free(&err);
}

static const char *const raise_bob = "overrides:\n"
				     "  - learner: bob\n"
				     "    exercise: ex1\n"
				     "    check: verified\n"
				     "    points: 6\n"
				     "    reason: checked by hand\n"
				     "    by: prof\n"
				     "    when: 2026-12-01\n"
				     "  - learner: alice\n"
				     "    exercise: ex1\n"
				     "    check: count\n"
				     "    status: fail\n"
				     "    reason: copied\n"
				     "    by: prof\n"
				     "    when: 2026-12-01\n";

static void test_points_override_totals_again_and_keeps_the_original(void **state)
{
	struct buf err = BUF_INIT;
	struct overrides *ov = load(raise_bob, &err);
	struct result_report *r = report(0.1);
	struct result_check *v = r->exercises[0]->checks[1];
	bool changed = false;

	(void)state;
	assert_non_null(ov);
	assert_int_equal(overrides_count(ov), 2);
	assert_int_equal(r->exercises[0]->status, RESULT_REVIEW);
	assert_int_equal(overrides_apply(ov, r, &changed), 1); /* alice's is not bob's */
	assert_true(changed);
	assert_int_equal(v->status, RESULT_PASS); /* points only: all of them is a pass */
	assert_true(v->points == 6);
	assert_non_null(v->override);
	assert_int_equal(v->override->original_status, RESULT_REVIEW);
	assert_true(v->override->original_points == 4);
	assert_string_equal(v->override->original_message, "Candle Labs waits");
	assert_non_null(strstr(v->message, "Overridden by prof on 2026-12-01: checked by hand"));
	/* the exercise and the report totalled as result_finish does, penalty included */
	assert_int_equal(r->exercises[0]->status, RESULT_PASS);
	assert_true(r->exercises[0]->points == 9);
	assert_true(result_raw_points(r) == 29);
	assert_true(result_points(r) > 26.09 && result_points(r) < 26.11);
	assert_false(result_passed(r)); /* build is required and still fails */
	assert_string_equal(r->inputs.overrides_digest, overrides_digest(ov));
	/* again: the same report (from the original, not from the override) */
	assert_int_equal(overrides_apply(ov, r, &changed), 1);
	assert_false(changed);
	assert_int_equal(v->override->original_status, RESULT_REVIEW);
	assert_string_equal(v->override->original_message, "Candle Labs waits");
	result_report_free(r);
	overrides_free(ov);
	buf_free(&err);
}

static void test_required_check_overridden_to_pass_lets_the_report_pass(void **state)
{
	struct buf err = BUF_INIT;
	struct overrides *ov = load("overrides:\n"
				    "  - {learner: bob, exercise: ex4, check: build, status: pass, reason: built by hand,"
				    " by: prof, when: 2026-12-01}\n",
				    &err);
	struct overrides *none = overrides_none(chapter);
	struct result_report *r = report(0);
	bool changed;

	(void)state;
	assert_non_null(ov);
	assert_false(result_passed(r));
	overrides_apply(ov, r, NULL);
	assert_int_equal(r->exercises[1]->nunmet, 0);
	assert_true(r->exercises[1]->checks[0]->points == 10); /* status pass: all the points */
	assert_true(result_passed(r));
	/* no overrides any more: the grader's own verdict is back, required check included */
	overrides_apply(none, r, &changed);
	assert_true(changed);
	assert_null(r->exercises[1]->checks[0]->override);
	assert_int_equal(r->exercises[1]->checks[0]->status, RESULT_FAIL);
	assert_string_equal(r->exercises[1]->checks[0]->message, "does not build");
	assert_int_equal(r->exercises[1]->nunmet, 1);
	assert_false(result_passed(r));
	assert_null(r->inputs.overrides_digest);
	result_report_free(r);
	overrides_free(ov);
	overrides_free(none);
	buf_free(&err);
}

static void test_tree_keeps_the_rest_of_the_report(void **state)
{
	struct buf err = BUF_INIT;
	struct overrides *ov = load(raise_bob, &err);
	struct result_report *r = report(0);
	cJSON *tree = report_tree(r), *ver, *c;

	(void)state;
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(tree, "grader"), "version",
					       cJSON_CreateString("0.0.1-old"));
	assert_int_equal(overrides_apply_tree(ov, tree), 1);
	ver = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(tree, "grader"), "version");
	assert_string_equal(ver->valuestring, "0.0.1-old");
	assert_true(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(tree, "score"), "points")
			    ->valuedouble == 29);
	c = cJSON_GetArrayItem(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(tree, "exercises"), 0),
						 "checks"),
		1);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(c, "status")->valuestring, "pass");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(
				    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "override"), "original"),
				    "status")
				    ->valuestring,
			    "review");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(tree, "inputs"),
							     "overrides_digest")
				    ->valuestring,
			    overrides_digest(ov));
	cJSON_Delete(tree);
	result_report_free(r);
	overrides_free(ov);
	buf_free(&err);
}

static void test_class_catalog_round_trip_and_refusals(void **state)
{
	static const char *const cats[] = {"organisations", "crates", NULL};
	struct buf err = BUF_INIT, path = BUF_INIT, text = BUF_INIT;
	struct classcat *cc = classcat_new(), *back;
	const struct classcat_decision *d;

	(void)state;
	assert_int_equal(classcat_decide(cc, "organisations", true, "Candle \"Labs\"\n", "candlelabs", "alice",
					 "2026-12-01T10:00:00Z", NULL, &err),
			 0);
	assert_int_equal(classcat_decide(cc, "organisations", false, "yes", "yes", "alice", "2026-12-01", "a word", &err),
			 0);
	assert_int_equal(classcat_decide(cc, "organisations", false, "Candle Labs", "candlelabs", "bob", "2026-12-02",
					 "no", &err),
			 -1);
	assert_non_null(strstr(err.data, "already accepted"));
	fs_join(&path, tmpdir.data, "class.yaml");
	assert_int_equal(classcat_write(cc, cats, path.data, &err), 0);
	back = classcat_load(path.data, &err);
	assert_non_null(back);
	assert_int_equal(back->n, 2);
	d = classcat_find(back, "organisations", "candlelabs");
	assert_non_null(d);
	assert_true(d->accepted);
	assert_string_equal(d->name, "Candle \"Labs\"\n");
	d = classcat_find(back, "organisations", "yes");
	assert_non_null(d);
	assert_false(d->accepted);
	assert_string_equal(d->name, "yes"); /* quoted: not read as a boolean */
	assert_null(classcat_find(back, "crates", "candlelabs"));
	assert_int_equal(fs_read_file(path.data, 1 << 20, &text), 0);
	assert_non_null(strstr(text.data, "crates:\n  accepted: []\n  rejected: []\n"));
	classcat_free(back);

	buf_reset(&err);
	put_file("bad.yaml",
		 "organisations:\n"
		 "  accepted:\n"
		 "    - {name: A, key: a, by: x, when: 2026-12-01}\n"
		 "  rejected:\n"
		 "    - {name: A, key: a, by: x, when: 2026-12-01, reason: r}\n"
		 "    - {name: B, key: B b, by: x, when: 2026-13-01}\n"
		 "    - {name: C, key: c, by: x, when: 2026-12-01}\n",
		 &path);
	assert_null(classcat_load(path.data, &err));
	assert_non_null(strstr(err.data, "bad.yaml:5:7: 'A' (key a) is decided twice in organisations"));
	assert_non_null(strstr(err.data, "bad.yaml:6:22: 'key' must be a normalised name"));
	assert_non_null(strstr(err.data, "bad.yaml:6:"));
	assert_non_null(strstr(err.data, "'when' must be a date"));
	assert_non_null(strstr(err.data, "bad.yaml:7:7: a rejection needs a 'reason'"));
	classcat_free(cc);
	buf_free(&err);
	buf_free(&path);
	buf_free(&text);
}

static void test_when(void **state)
{
	(void)state;
	assert_true(classcat_when_ok("2026-12-01"));
	assert_true(classcat_when_ok("2026-12-01T10:00:00Z"));
	assert_true(classcat_when_ok("2026-12-01T10:00:00+01:00"));
	assert_false(classcat_when_ok("2026-12-01T10:00Z"));
	assert_false(classcat_when_ok("2026-1-01"));
	assert_false(classcat_when_ok("2026-12-32"));
	assert_false(classcat_when_ok("yesterday"));
	assert_false(classcat_when_ok(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_overrides_are_named_by_line_and_column),
		cmocka_unit_test(test_points_override_totals_again_and_keeps_the_original),
		cmocka_unit_test(test_required_check_overridden_to_pass_lets_the_report_pass),
		cmocka_unit_test(test_tree_keeps_the_rest_of_the_report),
		cmocka_unit_test(test_class_catalog_round_trip_and_refusals),
		cmocka_unit_test(test_when),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
