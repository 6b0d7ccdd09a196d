/* test_conversion.c: unit tests of the judging logic of exercises 2 and 4 (pair.h, conversion.h,
 * comparison.h): a case's verdict from two runs, the causes a skipped check names, and the score
 * of the correctness check. No program is run: the runs are made up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "exercises/comparison.h"
#include "exercises/conversion.h"
#include "exercises/pair.h"
#include "result.h"
#include "sandbox/sandbox.h"
#include "spec.h"

/* A pair that compares standard output exactly and asks for no output files. */
struct fixture {
	struct spec_conversion m;
	struct pair cv;
	struct sandbox_result py, rs;
	struct buf why;
};

static void fixture_init(struct fixture *f)
{
	static const struct buf empty = BUF_INIT;

	memset(f, 0, sizeof(*f));
	f->cv.base = f->cv.scratch = f->cv.blocked = f->cv.unproven = empty;
	f->py.out = f->py.err = f->py.message = f->rs.out = f->rs.err = f->rs.message = empty;
	f->why = empty;
	f->cv.m = &f->m;
	f->cv.cmp.mode = OUTDIFF_EXACT;
	f->cv.pair.rust_binary = "/port/x";
	f->py.verdict = f->rs.verdict = SANDBOX_OK;
	f->py.exit_code = f->rs.exit_code = 0;
}

static void fixture_free(struct fixture *f)
{
	sandbox_result_free(&f->py);
	sandbox_result_free(&f->rs);
	buf_free(&f->why);
	buf_free(&f->cv.blocked);
	buf_free(&f->cv.unproven);
}

static int judge(struct fixture *f, struct result_ev *ev)
{
	return pair_judge_case(&f->cv, &f->py, &f->rs, &f->why, ev);
}

static void assert_contains(const char *s, const char *part)
{
	if (!s || !strstr(s, part))
		fail_msg("\"%s\" does not contain \"%s\"", s ? s : "(null)", part);
}

static void test_same_output_agrees(void **state)
{
	struct fixture f;
	(void)state;

	fixture_init(&f);
	buf_puts(&f.py.out, "a,1\nb,2\n");
	buf_puts(&f.rs.out, "a,1\nb,2\n");
	assert_int_equal(judge(&f, NULL), 1);
	assert_int_equal(f.why.len, 0);
	/* The same failure (status and output) is agreement too: a port reproduces its original. */
	f.py.verdict = f.rs.verdict = SANDBOX_RUNTIME_ERROR;
	f.py.exit_code = f.rs.exit_code = 2;
	assert_int_equal(judge(&f, NULL), 1);
	fixture_free(&f);
}

static void test_different_output_is_shown(void **state)
{
	struct fixture f;
	struct result_report *r = result_report_new("t");
	struct result_exercise *e = result_exercise_add(r, "ex4", "ex4", "conversion");
	struct result_check *c = result_check_add(e, "correctness", "t", 1);
	struct result_ev *ev = result_check_ev(c);
	cJSON *j;
	(void)state;

	fixture_init(&f);
	buf_puts(&f.py.out, "a,1\nb,2\n");
	buf_puts(&f.rs.out, "a,1\nb,3\n");
	assert_int_equal(judge(&f, ev), 0);
	assert_contains(f.why.data, "standard output differs: ");
	j = result_ev_json(ev); /* the evidence's own tree */
	assert_non_null(j);
	assert_int_equal((int)cJSON_GetObjectItem(j, "line")->valuedouble, 2);
	assert_non_null(cJSON_GetObjectItem(j, "expected_excerpt"));
	assert_non_null(cJSON_GetObjectItem(j, "actual_excerpt"));
	fixture_free(&f);
	result_report_free(r);
}

static void test_python_failure_leaves_nothing_to_compare(void **state)
{
	struct fixture f;
	(void)state;

	fixture_init(&f);
	f.py.verdict = SANDBOX_TIME_LIMIT;
	f.py.limit = "cpu";
	f.py.limit_value = 5;
	f.py.exit_code = -1;
	f.py.signal = 9;
	assert_int_equal(judge(&f, NULL), 0);
	assert_contains(f.why.data, "the Python original exceeded the CPU time limit of ");
	assert_contains(f.why.data, "on this case, so there is nothing to compare with");
	assert_contains(f.why.data, "; make the program faster or the input smaller");
	fixture_free(&f);
}

static void test_rust_crash_names_its_stderr(void **state)
{
	struct fixture f;
	(void)state;

	fixture_init(&f);
	f.rs.verdict = SANDBOX_RUNTIME_ERROR;
	f.rs.exit_code = -1;
	f.rs.signal = 11;
	buf_puts(&f.rs.err, "thread 'main' panicked at src/main.rs:3:5\n");
	assert_int_equal(judge(&f, NULL), 0);
	assert_contains(f.why.data, "the Python original exited 0 but the Rust port was killed by signal 11");
	assert_contains(f.why.data, "; the Rust port's last error output:\nthread 'main' panicked");
	/* A crash is not a limit: no limit's fix is offered. */
	assert_null(strstr(f.why.data, "docs/submission.md"));
	fixture_free(&f);

	fixture_init(&f);
	f.rs.verdict = SANDBOX_RUNTIME_ERROR;
	f.rs.exit_code = 101;
	assert_int_equal(judge(&f, NULL), 0);
	assert_contains(f.why.data, "but the Rust port exited with status 101");
	fixture_free(&f);
}

static void test_rust_limits_name_the_fix(void **state)
{
	struct fixture f;
	(void)state;

	fixture_init(&f);
	f.rs.verdict = SANDBOX_TIME_LIMIT;
	f.rs.limit = "wall";
	f.rs.limit_value = 10;
	f.rs.exit_code = -1;
	assert_int_equal(judge(&f, NULL), 0);
	assert_contains(f.why.data, "but the Rust port exceeded the wall-clock time limit of ");
	assert_contains(f.why.data, "; make the program faster or the input smaller (every limit is in "
				    "docs/submission.md, \"Limits\")");
	fixture_free(&f);

	fixture_init(&f);
	f.rs.verdict = SANDBOX_MEMORY_LIMIT;
	f.rs.limit_value = 256.0 * 1024 * 1024;
	f.rs.exit_code = -1;
	assert_int_equal(judge(&f, NULL), 0);
	assert_contains(f.why.data, "but the Rust port exceeded the memory limit of 256 MiB; keep less in memory");
	fixture_free(&f);

	fixture_init(&f);
	f.rs.verdict = SANDBOX_OUTPUT_LIMIT;
	f.rs.limit = "output";
	f.rs.limit_value = 4.0 * 1024 * 1024;
	f.rs.exit_code = -1;
	assert_int_equal(judge(&f, NULL), 0);
	assert_contains(f.why.data, "wrote more than the output limit of 4 MiB (stdout and stderr together); "
				    "print less");
	fixture_free(&f);

	fixture_init(&f);
	f.rs.verdict = SANDBOX_RUNTIME_ERROR;
	f.rs.limit = "pids";
	f.rs.limit_value = 64;
	f.rs.exit_code = 1;
	assert_int_equal(judge(&f, NULL), 0);
	assert_contains(f.why.data, "started more than 64 processes and threads at once (the process limit); "
				    "start fewer processes and threads");
	fixture_free(&f);
}

static void test_rust_sandbox_error(void **state)
{
	struct fixture f;
	(void)state;

	fixture_init(&f);
	f.rs.verdict = SANDBOX_ERROR;
	buf_puts(&f.rs.message, "cannot create the cgroup");
	assert_int_equal(judge(&f, NULL), 0);
	assert_string_equal(f.why.data, "the Rust port could not be run: cannot create the cgroup");
	fixture_free(&f);
}

/* The first cause wins: why the programs disagree, else why they could not run, else the build. */
static void test_unproven_cause_names_the_first_failed_prerequisite(void **state)
{
	struct fixture f;
	struct buf out = BUF_INIT;
	(void)state;

	fixture_init(&f);
	pair_unproven_cause(&f.cv, "not measured: ", &out);
	assert_string_equal(out.data, "not measured: the two programs were not shown to agree (see check correctness)");
	buf_reset(&out);
	f.cv.pair.rust_binary = NULL;
	pair_unproven_cause(&f.cv, "not run: ", &out);
	assert_string_equal(out.data, "not run: the Rust program did not build (see check build)");
	buf_reset(&out);
	pair_block(&f.cv, "the Python script %s does not exist (see check python)", "ex4/x.py");
	pair_block(&f.cv, "the generator failed (see check cases)");
	pair_unproven_cause(&f.cv, "not measured: ", &out);
	assert_string_equal(out.data, "not measured: the Python script ex4/x.py does not exist (see check python); "
				      "the generator failed (see check cases)");
	buf_reset(&out);
	buf_puts(&f.cv.unproven, "the programs disagree on case a.csv (see check correctness)");
	pair_unproven_cause(&f.cv, "not measured: ", &out);
	assert_string_equal(out.data, "not measured: the programs disagree on case a.csv (see check correctness)");
	buf_free(&out);
	fixture_free(&f);
}

static void test_not_graded_fails_the_first_and_skips_the_rest(void **state)
{
	struct result_report *r = result_report_new("t");
	struct result_exercise *e = result_exercise_add(r, "ex4", "ex4", "conversion");
	struct result_check *ck[CONVERSION_CHECK_COUNT] = {0};
	(void)state;

	ck[CONVERSION_BUILD] = result_check_add(e, "build", "t", 2);
	ck[CONVERSION_PYTHON] = result_check_add(e, "python", "t", 1);
	ck[CONVERSION_MEMORY] = result_check_add(e, "memory", "t", 1);
	ck[CONVERSION_NOTES] = result_check_add(e, "notes", "t", 1);
	pair_not_graded(ck, CONVERSION_NOTES, "ex4/manifest.yaml", "is missing");
	assert_int_equal(ck[CONVERSION_BUILD]->status, RESULT_FAIL);
	assert_string_equal(ck[CONVERSION_BUILD]->message, "not graded: ex4/manifest.yaml is missing");
	assert_int_equal(ck[CONVERSION_PYTHON]->status, RESULT_SKIPPED);
	assert_string_equal(ck[CONVERSION_PYTHON]->message, "not run: ex4/manifest.yaml is missing");
	assert_int_equal(ck[CONVERSION_MEMORY]->status, RESULT_SKIPPED);
	assert_true(ck[CONVERSION_BUILD]->points == 0 && ck[CONVERSION_MEMORY]->points == 0);
	/* Beyond n: untouched (the notes need no manifest). */
	assert_null(ck[CONVERSION_NOTES]->message);
	result_report_free(r);
}

static void test_claim_unmeasured_names_the_check_it_depends_on(void **state)
{
	struct result_report *r = result_report_new("t");
	struct result_exercise *e = result_exercise_add(r, "ex2", "ex2", "comparison");
	struct result_check *speed = result_check_add(e, "performance", "t", 2);
	struct result_check *c = result_check_add(e, "speedup_claim", "t", 1);
	(void)state;

	comparison_claim_unmeasured(NULL, c);
	assert_int_equal(c->status, RESULT_SKIPPED);
	assert_string_equal(c->message, "not measured: this exercise does not measure it");
	result_check_set(speed, RESULT_SKIPPED, 0, "not measured (--no-perf)");
	comparison_claim_unmeasured(speed, c);
	assert_string_equal(c->message, "not measured (--no-perf)");
	result_check_set(speed, RESULT_ERROR, 0, "the sandbox failed: x");
	comparison_claim_unmeasured(speed, c);
	assert_string_equal(c->message, "not measured: a sandbox error (see check performance)");
	result_check_set(speed, RESULT_FAIL, 0, "cannot make the benchmark input: y");
	comparison_claim_unmeasured(speed, c);
	assert_string_equal(c->message, "not measured: cannot make the benchmark input: y (see check performance)");
	assert_int_equal(c->status, RESULT_SKIPPED);
	assert_true(c->points == 0);
	result_report_free(r);
}

/* The correctness check's score: the share of all cases that agreed. */
static void test_correctness_score(void **state)
{
	struct result_report *r = result_report_new("t");
	struct result_exercise *e = result_exercise_add(r, "ex4", "ex4", "conversion");
	struct result_check *c = result_check_add(e, "correctness", "t", 4);
	struct buf unproven = BUF_INIT;
	struct conversion_tally t = {.total = 8, .passed = 8, .budget = "", .first = "", .first_name = "",
				     .repro = ""};
	(void)state;

	assert_true(conversion_correctness_verdict(&t, c, &unproven));
	assert_int_equal(c->status, RESULT_PASS);
	assert_true(c->points == 4);
	assert_string_equal(c->message, "the Rust port agrees with the Python original on all 8 cases");
	assert_int_equal(unproven.len, 0);

	t.passed = 6;
	t.first = "case b.csv: standard output differs: x";
	t.first_name = "b.csv";
	assert_false(conversion_correctness_verdict(&t, c, &unproven));
	assert_int_equal(c->status, RESULT_FAIL);
	assert_true(c->points == 3);
	assert_string_equal(c->message, "2 of 8 cases differ; first: case b.csv: standard output differs: x");
	assert_string_equal(c->hint, "run both programs on the case named above and compare their outputs");
	assert_string_equal(unproven.data, "the programs disagree on case b.csv (see check correctness)");

	buf_reset(&unproven);
	t.repro = "ex4-minimal.txt";
	assert_false(conversion_correctness_verdict(&t, c, &unproven));
	assert_contains(c->hint, "the smallest input on which they still differ is ex4-minimal.txt");

	/* Out of time after 4 cases that all agreed: partial, and the unrun cases earn nothing. */
	buf_reset(&unproven);
	t.passed = 4;
	t.unrun = 4;
	t.budget = "the exercise's time budget of 60 s is used up";
	assert_false(conversion_correctness_verdict(&t, c, &unproven));
	assert_int_equal(c->status, RESULT_PARTIAL);
	assert_true(c->points == 2);
	assert_string_equal(c->message, "4 of 8 cases were not run: the exercise's time budget of 60 s is used up; "
					"4 of the 4 that ran agree");
	assert_string_equal(unproven.data, "4 of 8 cases were not run (see check correctness)");

	buf_reset(&unproven);
	t.passed = 3;
	assert_false(conversion_correctness_verdict(&t, c, &unproven));
	assert_int_equal(c->status, RESULT_FAIL);
	assert_contains(c->message, "3 of the 4 that ran agree; first difference: case b.csv");

	/* A sandbox failure is the grader's: no points, an error. */
	buf_reset(&unproven);
	t.infra = true;
	assert_false(conversion_correctness_verdict(&t, c, &unproven));
	assert_int_equal(c->status, RESULT_ERROR);
	assert_true(c->points == 0);
	assert_string_equal(unproven.data, "a sandbox error while running the cases (see check correctness)");
	buf_free(&unproven);
	result_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_output_agrees),
		cmocka_unit_test(test_different_output_is_shown),
		cmocka_unit_test(test_python_failure_leaves_nothing_to_compare),
		cmocka_unit_test(test_rust_crash_names_its_stderr),
		cmocka_unit_test(test_rust_limits_name_the_fix),
		cmocka_unit_test(test_rust_sandbox_error),
		cmocka_unit_test(test_unproven_cause_names_the_first_failed_prerequisite),
		cmocka_unit_test(test_not_graded_fails_the_first_and_skips_the_rest),
		cmocka_unit_test(test_claim_unmeasured_names_the_check_it_depends_on),
		cmocka_unit_test(test_correctness_score),
	};
	return cmocka_run_group_tests_name("conversion", tests, NULL, NULL);
}
