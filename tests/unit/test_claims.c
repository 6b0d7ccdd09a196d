/* test_claims.c: unit tests of claims.c: counting lines of code, and judging exercise 2's claims. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "exercises/claims.h"
#include "fs.h"

static void put(const char *dir, const char *name, const char *text)
{
	struct buf p = BUF_INIT;

	fs_join(&p, dir, name);
	assert_int_equal(fs_write_atomic(p.data, text, strlen(text)), 0);
	buf_free(&p);
}

static void test_python_lines_and_code_lines(void **state)
{
	struct buf dir = BUF_INIT, p = BUF_INIT;
	struct claims_loc m = {0};
	(void)state;

	assert_int_equal(fs_mkdtemp("/tmp", "claims-", &dir), 0);
	/* 8 physical lines: 2 blank, 2 comments (one indented), a docstring and 3 statements; the
	 * last line has no newline. */
	put(dir.data, "a.py", "#!/usr/bin/env python3\n"
			      "\"\"\"Docstring.\"\"\"\n"
			      "\n"
			      "import sys\n"
			      "   # indented comment\n"
			      "\t\n"
			      "x = '#not a comment'\n"
			      "print(x)");
	fs_join(&p, dir.data, "a.py");
	assert_int_equal(claims_count_loc(p.data, PROGRAM_PYTHON, &m), 0);
	assert_int_equal(m.files, 1);
	assert_int_equal(m.lines, 8);
	assert_int_equal(m.code, 4);
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&p);
}

static void test_rust_tree_with_comments_and_no_symlinks(void **state)
{
	struct buf dir = BUF_INIT, sub = BUF_INIT, link = BUF_INIT;
	struct claims_loc m = {0};
	(void)state;

	assert_int_equal(fs_mkdtemp("/tmp", "claims-", &dir), 0);
	put(dir.data, "main.rs", "// line comment\n"
				 "/* a block\n"
				 "   comment */\n"
				 "fn main() {\n"
				 "    /* inline */ let url = \"http://x\"; // trailing\n"
				 "\n"
				 "}\n");
	fs_join(&sub, dir.data, "model");
	assert_int_equal(fs_mkdirs(sub.data), 0);
	put(sub.data, "mod.rs", "pub fn f() {}\n");
	put(sub.data, "notes.txt", "not rust\nat all\n");
	/* A symbolic link to a big host file must not be followed. */
	fs_join(&link, dir.data, "evil.rs");
	assert_int_equal(symlink("/etc/services", link.data), 0);
	assert_int_equal(claims_count_loc(dir.data, PROGRAM_RUST, &m), 0);
	assert_int_equal(m.files, 2);
	assert_int_equal(m.lines, 8);
	assert_int_equal(m.code, 4);
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&sub);
	buf_free(&link);
}

static void test_missing_path_is_an_error(void **state)
{
	struct claims_loc m = {0};
	(void)state;

	errno = 0;
	assert_int_equal(claims_count_loc("/nonexistent/claims/src", PROGRAM_RUST, &m), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(m.lines, 0);
}

static void test_ratio_claims(void **state)
{
	(void)state;
	/* Measured 55.7x to 59.4x, factor 2: 27.85 to 118.8 are consistent. */
	assert_true(claims_ratio_consistent(65, 55.7, 59.4, 2));
	assert_true(claims_ratio_consistent(28, 55.7, 59.4, 2));
	assert_true(claims_ratio_consistent(118, 55.7, 59.4, 2));
	assert_false(claims_ratio_consistent(27, 55.7, 59.4, 2));
	assert_false(claims_ratio_consistent(120, 55.7, 59.4, 2));
	/* A single figure, factor 2. */
	assert_true(claims_ratio_consistent(0.14, 0.26, 0.26, 2));
	assert_false(claims_ratio_consistent(0.12, 0.26, 0.26, 2));
	/* Nonsense never passes. */
	assert_false(claims_ratio_consistent(0, 1, 2, 2));
	assert_false(claims_ratio_consistent(-3, 1, 2, 2));
	assert_false(claims_ratio_consistent(1.5, 0, 2, 2));
	assert_false(claims_ratio_consistent(1.5, 2, 1, 2));
	assert_false(claims_ratio_consistent(1.0 / 0.0, 1, 2, 2));
}

static void test_loc_claims(void **state)
{
	struct claims_loc m = {.lines = 53, .code = 49, .files = 1};
	struct claims_loc tiny = {.lines = 5, .code = 3, .files = 1};
	(void)state;

	/* 15%: 41.65 to 60.95. */
	assert_true(claims_loc_consistent(53, &m, 0.15));
	assert_true(claims_loc_consistent(49, &m, 0.15));
	assert_true(claims_loc_consistent(42, &m, 0.15));
	assert_true(claims_loc_consistent(60, &m, 0.15));
	assert_false(claims_loc_consistent(41, &m, 0.15));
	assert_false(claims_loc_consistent(61, &m, 0.15));
	assert_false(claims_loc_consistent(0, &m, 0.15));
	/* Tiny programs: at least 2 lines of slack each side. */
	assert_true(claims_loc_consistent(1, &tiny, 0));
	assert_true(claims_loc_consistent(7, &tiny, 0));
	assert_false(claims_loc_consistent(8, &tiny, 0));
	/* Nothing counted: nothing is consistent. */
	assert_false(claims_loc_consistent(1, &(struct claims_loc){0}, 0.15));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_lines_and_code_lines),
		cmocka_unit_test(test_rust_tree_with_comments_and_no_symlinks),
		cmocka_unit_test(test_missing_path_is_an_error),
		cmocka_unit_test(test_ratio_claims),
		cmocka_unit_test(test_loc_claims),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
