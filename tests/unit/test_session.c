/* test_session.c: one grading's outcome where no program runs: a source that cannot be fetched is
 * the submission's error in a written report, and a working tree's .grader that is a link is the
 * caller's error with no report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "session.h"
#include "spec.h"
#include "xalloc.h"

struct world {
	char dir[64];
	struct buf work, reports, tree;
	struct spec_chapter *chapter;
};

static int setup(void **state)
{
	struct world *w = xcalloc(1, sizeof(*w));
	struct buf err = BUF_INIT;

	buf_init(&w->work);
	buf_init(&w->reports);
	buf_init(&w->tree);

	snprintf(w->dir, sizeof(w->dir), "/tmp/grader-session.XXXXXX");
	if (!mkdtemp(w->dir))
		return -1;
	fs_join(&w->work, w->dir, "work");
	fs_join(&w->reports, w->dir, "reports");
	fs_join(&w->tree, w->dir, "tree");
	w->chapter = spec_load_chapter("specs/ch01", &err);
	buf_free(&err);
	*state = w;
	return w->chapter ? 0 : -1;
}

static int teardown(void **state)
{
	struct world *w = *state;

	fs_rmtree(w->dir);
	spec_chapter_free(w->chapter);
	buf_free(&w->work);
	buf_free(&w->reports);
	buf_free(&w->tree);
	free(w);
	return 0;
}

static void test_missing_source_is_the_submissions_error(void **state)
{
	struct world *w = *state;
	struct buf missing = BUF_INIT, expect = BUF_INIT;
	struct session_options o = {.chapter = w->chapter, .profiles = "sandboxes", .learner = "ada",
				    .work = w->work.data, .reports = w->reports.data, .no_perf = true};
	struct session_outcome out = {0};

	fs_join(&missing, w->dir, "nowhere");
	o.source = missing.data;
	assert_int_equal(session_run(&o, &out), 0);
	assert_int_equal(out.error, ERROR_NONE);
	assert_non_null(out.report);
	assert_non_null(out.report->submission.error); /* the learner's: graded as nothing */
	assert_int_equal(out.report->nerrors, 0);
	assert_int_equal(out.report->nexercises, 0);
	buf_printf(&expect, "%s/ada/report.json", w->reports.data);
	assert_string_equal(out.report_path, expect.data);
	assert_int_equal(access(out.report_path, F_OK), 0);
	session_outcome_free(&out);
	buf_free(&missing);
	buf_free(&expect);
}

static void test_worktree_report_link_is_refused(void **state)
{
	struct world *w = *state;
	struct buf link = BUF_INIT;
	struct session_options o = {.chapter = w->chapter, .profiles = "sandboxes", .learner = "bob",
				    .work = w->work.data, .source = w->tree.data,
				    .worktree = w->tree.data, .no_perf = true};
	struct session_outcome out = {0};

	assert_int_equal(fs_mkdirs(w->tree.data), 0);
	fs_join(&link, w->tree.data, ".grader");
	assert_int_equal(symlink("/tmp", link.data), 0);
	assert_int_equal(session_run(&o, &out), -1);
	assert_int_equal(out.error, ERROR_CONFIG);
	assert_null(out.report);
	session_outcome_free(&out);
	buf_free(&link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing_source_is_the_submissions_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worktree_report_link_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
