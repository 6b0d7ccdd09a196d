/* test_timing.c: the arithmetic and the wording of start-up (startup.h) on known figures, and the
 * timing lock (timing_lock.h) on files the test prepares: a lock held by another open file waits
 * the bound and is not held, a counter bumped meanwhile is an overlap, a link or a FIFO at the
 * path is refused without blocking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fs.h"
#include "measure/startup.h"
#include "measure/timing_lock.h"

static void test_net_speedup_subtracts_each_start_up(void **state)
{
	double net = 0;
	(void)state;

	/* Python 120 ms with 20 ms of start-up, Rust 6 ms with 1 ms: 100 / 5 = 20, not 20 / 1. */
	assert_true(startup_net_speedup(0.120, 0.020, 0.006, 0.001, &net));
	assert_true(fabs(net - 20.0) < 1e-9);
	assert_true(startup_net_speedup(1.0, 0.0, 0.5, 0.0, &net));
	assert_true(fabs(net - 2.0) < 1e-9);
}

static void test_net_speedup_none_when_all_start_up(void **state)
{
	double net = -1;
	(void)state;

	assert_false(startup_net_speedup(0.120, 0.020, 0.0010, 0.0010, &net)); /* Rust: nothing left */
	assert_false(startup_net_speedup(0.120, 0.020, 0.0009, 0.0010, &net)); /* below its start-up */
	assert_false(startup_net_speedup(0.120, 0.020, 0.00105, 0.0010, &net)); /* a twentieth of it */
	assert_false(startup_net_speedup(0.021, 0.020, 0.006, 0.001, &net));   /* Python likewise */
	assert_true(net == -1);
	/* A tenth of its start-up and 100 us above it: a figure. */
	assert_true(startup_net_speedup(0.120, 0.020, 0.0013, 0.0010, &net));
}

static void test_note_says_which_program_is_mostly_start_up(void **state)
{
	struct startup_result s = {.python = {.ok = true, .cpu = 0.015, .wall = 0.030},
				   .rust = {.ok = true, .cpu = 0.0012, .wall = 0.004}};
	struct buf b = BUF_INIT;
	(void)state;

	startup_note(&s, false, 0.250, 0.0021, &b);
	assert_string_equal(buf_str(&b), "Rust's 2.1ms is mostly process start-up (1.2ms): give a larger input to measure the port");
	buf_reset(&b);
	startup_note(&s, false, 0.025, 0.0021, &b);
	assert_string_equal(buf_str(&b), "Python's 25.0ms is mostly process start-up (15.0ms): give a larger input to measure the "
					 "original; Rust's 2.1ms is mostly process start-up (1.2ms): give a larger input to "
					 "measure the port");
	buf_reset(&b);
	startup_note(&s, false, 0.250, 0.0024, &b); /* twice its start-up: not mostly */
	assert_int_equal(b.len, 0);
	startup_note(&s, true, 0.250, 0.0050, &b); /* wall: 5 ms against 4 ms */
	assert_non_null(strstr(buf_str(&b), "Rust's 5.0ms is mostly process start-up (4.0ms)"));
	buf_reset(&b);
	s.rust.ok = false; /* not measured: nothing to say */
	startup_note(&s, false, 0.250, 0.0021, &b);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void test_json_carries_the_figures_and_the_net_speedup(void **state)
{
	struct startup_result s = {.python = {.ok = true, .cpu = 0.020, .wall = 0.030, .peak_memory = 9 << 20},
				   .rust = {.ok = true, .cpu = 0.001, .wall = 0.002, .peak_memory = 1 << 20},
				   .runs = 5};
	cJSON *o;
	(void)state;

	o = startup_json(&s, false, 0.120, 0.006);
	assert_true(fabs(cJSON_GetObjectItem(o, "net_speedup")->valuedouble - 20.0) < 1e-9);
	assert_true(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "python"), "peak_memory")->valuedouble == 9 << 20);
	assert_int_equal(cJSON_GetObjectItem(o, "runs")->valueint, 5);
	cJSON_Delete(o);
	o = startup_json(&s, false, 0.120, 0.00105);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "net_speedup")));
	cJSON_Delete(o);
	s.rust.ok = false;
	o = startup_json(&s, false, 0.120, 0.006);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "rust")) && cJSON_IsNull(cJSON_GetObjectItem(o, "net_speedup")));
	cJSON_Delete(o);
}

static char dir[] = "/tmp/test-timing.XXXXXX";

static void path_in(struct buf *b, const char *name)
{
	buf_reset(b);
	fs_join(b, dir, name);
}

static void test_lock_alone_is_held_and_not_overlapped(void **state)
{
	struct timing_lock t;
	struct buf p = BUF_INIT, seq = BUF_INIT;
	struct stat st;
	(void)state;

	path_in(&p, "alone.lock");
	timing_lock_begin(&t, p.data, 5);
	assert_true(t.held);
	assert_true(t.waited < 1);
	timing_lock_end(&t);
	assert_true(t.counted);
	assert_false(t.overlapped);
	/* Created for every user to take turns on. */
	assert_int_equal(stat(p.data, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666);
	buf_printf(&seq, "%s.seq", p.data);
	assert_int_equal(stat(seq.data, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666);
	timing_lock_free(&t);
	buf_free(&p);
	buf_free(&seq);
}

static void test_lock_held_elsewhere_waits_the_bound(void **state)
{
	struct timing_lock t;
	struct buf p = BUF_INIT;
	int fd;
	(void)state;

	path_in(&p, "held.lock");
	fd = open(p.data, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	timing_lock_begin(&t, p.data, 0.3);
	assert_false(t.held);
	assert_true(t.waited >= 0.3 && t.waited < 5);
	assert_non_null(strstr(buf_str(&t.note), "measured anyway"));
	timing_lock_end(&t);
	timing_lock_free(&t);
	close(fd);
	buf_free(&p);
}

static void test_counter_bumped_meanwhile_is_an_overlap(void **state)
{
	struct timing_lock a, b;
	struct buf p = BUF_INIT;
	cJSON *o;
	(void)state;

	path_in(&p, "overlap.lock");
	timing_lock_begin(&a, p.data, 5);
	timing_lock_begin(&b, p.data, 0); /* another run, without the lock, starts and ends */
	assert_false(b.held);
	timing_lock_end(&b);
	timing_lock_end(&a);
	assert_true(a.overlapped);
	assert_int_equal(a.others, 2);
	assert_false(b.overlapped); /* nothing started or ended inside b's own run */
	o = timing_lock_json(&a);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "overlapped")));
	cJSON_Delete(o);
	timing_lock_free(&a);
	timing_lock_free(&b);
	buf_free(&p);
}

static void test_link_and_fifo_are_refused(void **state)
{
	struct timing_lock t;
	struct buf p = BUF_INIT, target = BUF_INIT;
	(void)state;

	path_in(&target, "target");
	path_in(&p, "link.lock");
	assert_int_equal(symlink(target.data, p.data), 0);
	timing_lock_begin(&t, p.data, 0.1);
	assert_false(t.held);
	assert_non_null(strstr(buf_str(&t.note), "symbolic link"));
	assert_int_equal(access(target.data, F_OK), -1);
	timing_lock_end(&t);
	timing_lock_free(&t);
	path_in(&p, "fifo.lock");
	assert_int_equal(mkfifo(p.data, 0666), 0);
	timing_lock_begin(&t, p.data, 0.1); /* would block forever in a plain open */
	assert_false(t.held);
	assert_non_null(strstr(buf_str(&t.note), "not a regular file"));
	timing_lock_end(&t);
	timing_lock_free(&t);
	buf_free(&p);
	buf_free(&target);
}

static void test_no_path_no_lock(void **state)
{
	struct timing_lock t;
	(void)state;

	timing_lock_begin(&t, NULL, 5);
	assert_false(t.held);
	assert_null(t.path);
	timing_lock_end(&t);
	assert_false(t.counted);
	timing_lock_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_net_speedup_subtracts_each_start_up),
		cmocka_unit_test(test_net_speedup_none_when_all_start_up),
		cmocka_unit_test(test_note_says_which_program_is_mostly_start_up),
		cmocka_unit_test(test_json_carries_the_figures_and_the_net_speedup),
		cmocka_unit_test(test_lock_alone_is_held_and_not_overlapped),
		cmocka_unit_test(test_lock_held_elsewhere_waits_the_bound),
		cmocka_unit_test(test_counter_bumped_meanwhile_is_an_overlap),
		cmocka_unit_test(test_link_and_fifo_are_refused),
		cmocka_unit_test(test_no_path_no_lock),
	};
	int rc;

	if (!mkdtemp(dir))
		return 1;
	unsetenv(TIMING_LOCK_WAIT_ENV);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	fs_rmtree(dir);
	return rc;
}
