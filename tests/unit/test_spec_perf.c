/* test_spec_perf.c: the performance keys of an exercise spec that issue 11 added
 * (too_small_credit, precision): their defaults, their values and their ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "buf.h"
#include "fs.h"
#include "spec.h"

static struct spec_exercise *load(const char *perf_keys, struct buf *err)
{
	struct buf dir = BUF_INIT, path = BUF_INIT, text = BUF_INIT;
	struct spec_exercise *ex;

	assert_int_equal(fs_mkdtemp("/tmp", "grader-spec-perf-", &dir), 0);
	fs_join(&path, dir.data, "ex.yaml");
	buf_printf(&text, "id: x\ntitle: t\nkind: conversion\nmanifest: m.yaml\nperformance:\n  require_speedup: 2.0\n%s"
			  "rubric: {build: 1, performance: 2}\n", perf_keys);
	assert_int_equal(fs_write_atomic(path.data, text.data, text.len), 0);
	ex = spec_load_exercise(path.data, err);
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&text);
	return ex;
}

static void test_defaults_are_no_credit_and_no_precision(void **state)
{
	struct buf err = BUF_INIT;
	struct spec_exercise *ex = load("", &err);
	(void)state;

	if (!ex)
		fail_msg("%s", buf_str(&err));
	assert_true(ex->perf.too_small_credit == 0.0);
	assert_true(ex->perf.precision == 0.0);
	assert_true(ex->perf.inconclusive_credit == 0.5);
	spec_exercise_free(ex);
	buf_free(&err);
}

static void test_values_are_read(void **state)
{
	struct buf err = BUF_INIT;
	struct spec_exercise *ex = load("  too_small_credit: 0.25\n  precision: 0.05\n", &err);
	(void)state;

	if (!ex)
		fail_msg("%s", buf_str(&err));
	assert_true(ex->perf.too_small_credit == 0.25);
	assert_true(ex->perf.precision == 0.05);
	spec_exercise_free(ex);
	buf_free(&err);
}

static void test_out_of_range_values_are_refused(void **state)
{
	struct buf err = BUF_INIT;
	(void)state;

	assert_null(load("  too_small_credit: 1.5\n  precision: -0.1\n", &err));
	assert_non_null(strstr(buf_str(&err), "'too_small_credit' is 1.5, out of range [0, 1]"));
	assert_non_null(strstr(buf_str(&err), "'precision' is -0.1, out of range [0, 1]"));
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_no_credit_and_no_precision),
		cmocka_unit_test(test_values_are_read),
		cmocka_unit_test(test_out_of_range_values_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
