/* test_pid1_read.c: the reader of grader-pid1's lines (grader/sandbox/pid1_read.h), fed as poll()
 * delivers them. tests/fuzz/fuzz_pid1.c fuzzes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sandbox/pid1_read.h"

static const char final_line[] = "final status=256 done=1 user_us=20000 sys_us=5000 maxrss_kb=4100 "
				 "self_kb=900 tree_kb=4096 tasks=3 self_user_us=300 self_sys_us=200 "
				 "killed=memory\n";

static void test_lines_cut_anywhere(void **state)
{
	char stream[512];
	(void)state;

	snprintf(stream, sizeof(stream), "ready\nsample cpu_us=12000 tree_kb=2048 tasks=1\n%s", final_line);
	for (size_t cut = 0; cut <= strlen(stream); cut++) {
		struct pid1_report r = {0};
		struct buf pending = BUF_INIT;
		pid1_read(&pending, stream, cut, &r);
		pid1_read(&pending, stream + cut, strlen(stream) - cut, &r);
		assert_true(r.ready);
		assert_true(r.final_seen);
		assert_true(r.main_done);
		assert_int_equal(r.status, 256);
		assert_int_equal(r.live_cpu_us, 12000);
		assert_int_equal(r.user_us, 20000);
		assert_int_equal(r.sys_us, 5000);
		assert_int_equal(r.maxrss_kb, 4100);
		assert_int_equal(r.self_kb, 900);
		assert_int_equal(r.tree_kb, 4096); /* the final line's, after the sample's */
		assert_int_equal(r.tasks, 3);
		assert_int_equal(r.self_user_us, 300);
		assert_int_equal(r.self_sys_us, 200);
		assert_string_equal(r.killed, "memory");
		assert_int_equal(pending.len, 0);
		buf_free(&pending);
	}
}

static void test_partial_and_foreign_lines(void **state)
{
	struct pid1_report r = {0};
	struct buf pending = BUF_INIT;
	char big[PID1_READ_MAX_PENDING + 10];
	(void)state;

	/* A field is a whole word: self_user_us= is not user_us=; an unknown line changes nothing. */
	pid1_read(&pending, "final self_user_us=7 killed=averyveryverylongreason\nhello tasks=9\nsample cpu_",
		  77, &r);
	assert_true(r.final_seen);
	assert_int_equal(r.user_us, 0);
	assert_int_equal(r.self_user_us, 7);
	assert_string_equal(r.killed, "averyveryverylo"); /* cut to fit */
	assert_int_equal(r.tasks, 0);
	assert_string_equal(pending.data, "sample cpu_");
	pid1_read(&pending, "us=5\n", 5, &r);
	assert_int_equal(r.live_cpu_us, 5);
	/* A line longer than any of the measurer's is dropped, not kept growing. */
	memset(big, 'x', sizeof(big));
	pid1_read(&pending, big, sizeof(big), &r);
	assert_int_equal(pending.len, 0);
	buf_free(&pending);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_cut_anywhere),
		cmocka_unit_test(test_partial_and_foreign_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
