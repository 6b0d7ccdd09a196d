/* test_claims.c: unit tests of claims.c: counting the code of a file or a tree (lines, functions,
 * complexity), and judging exercise 2's claims. */
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

static void test_python_file_counted_by_tokens(void **state)
{
	struct buf dir = BUF_INIT, p = BUF_INIT;
	struct claims_code m = {0};
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
			      "x = '#not a comment' if sys.argv else ''\n"
			      "print(x)");
	fs_join(&p, dir.data, "a.py");
	assert_int_equal(claims_count_code(p.data, PROGRAM_PYTHON, &m), 0);
	assert_int_equal(m.files, 1);
	assert_int_equal(m.lines, 8);
	assert_int_equal(m.sloc, 3);
	assert_int_equal(m.functions, 0);
	assert_int_equal(m.complexity, 2); /* the top level: 1 + one if */
	assert_int_equal(m.top_level, 2);
	claims_code_free(&m);
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&p);
}

static void test_rust_tree_in_name_order_without_links_or_vendor(void **state)
{
	struct buf dir = BUF_INIT, sub = BUF_INIT, link = BUF_INIT, vendor = BUF_INIT;
	struct claims_code m = {0};
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
	put(sub.data, "mod.rs", "pub fn f(a: bool, b: bool) -> bool { if a && b { a } else { b } }\n"
				"pub fn g() {}\n");
	put(sub.data, "notes.txt", "fn not_rust() {}\n");
	put(dir.data, "a.rs", "fn first() { for _ in 0..1 {} }\n");
	/* A vendored crate and a build folder are not the learner's code. */
	fs_join(&vendor, dir.data, "vendor");
	assert_int_equal(fs_mkdirs(vendor.data), 0);
	put(vendor.data, "big.rs", "fn vendored() {}\n");
	fs_join(&vendor, dir.data, "target");
	assert_int_equal(fs_mkdirs(vendor.data), 0);
	put(vendor.data, "gen.rs", "fn generated() {}\n");
	/* A symbolic link to a big host file must not be followed. */
	fs_join(&link, dir.data, "evil.rs");
	assert_int_equal(symlink("/etc/services", link.data), 0);
	assert_int_equal(claims_count_code(dir.data, PROGRAM_RUST, &m), 0);
	assert_int_equal(m.files, 3);
	assert_int_equal(m.lines, 10);
	assert_int_equal(m.sloc, 6);
	assert_int_equal(m.functions, 4);
	assert_int_equal(m.complexity, 2 + 1 + 3 + 1);
	/* in name order: a.rs, main.rs, model/mod.rs */
	assert_int_equal(m.nfirst, 4);
	assert_string_equal(m.first[0].name, "first");
	assert_string_equal(m.first[0].file, "a.rs");
	assert_string_equal(m.first[1].name, "main");
	assert_string_equal(m.first[2].file, "model/mod.rs");
	assert_int_equal(m.first[2].line, 1);
	/* the most complex first; ties in file order */
	assert_int_equal(m.ntop, 4);
	assert_string_equal(m.top[0].name, "f");
	assert_int_equal(m.top[0].cc, 3);
	assert_string_equal(m.top[1].name, "first");
	assert_string_equal(m.top[2].name, "main");
	assert_string_equal(m.top[3].name, "g");
	claims_code_free(&m);
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&sub);
	buf_free(&link);
	buf_free(&vendor);
}

static void test_top_keeps_the_ten_most_complex(void **state)
{
	struct buf dir = BUF_INIT, src = BUF_INIT, p = BUF_INIT;
	struct claims_code m = {0};
	(void)state;

	assert_int_equal(fs_mkdtemp("/tmp", "claims-", &dir), 0);
	/* f0 has complexity 1, f1 2, ... f14 15 */
	for (int i = 0; i < 15; i++) {
		buf_printf(&src, "def f%d(x):\n", i);
		for (int k = 0; k < i; k++)
			buf_puts(&src, "    if x: pass\n");
	}
	put(dir.data, "many.py", src.data);
	fs_join(&p, dir.data, "many.py");
	assert_int_equal(claims_count_code(p.data, PROGRAM_PYTHON, &m), 0);
	assert_int_equal(m.functions, 15);
	assert_int_equal(m.complexity, 15 * 16 / 2);
	assert_int_equal(m.ntop, CLAIMS_TOP);
	for (size_t i = 0; i < CLAIMS_TOP; i++)
		assert_int_equal(m.top[i].cc, 15 - (long)i);
	assert_string_equal(m.top[0].name, "f14");
	assert_string_equal(m.top[0].file, "");
	assert_int_equal(m.nfirst, CLAIMS_FIRST);
	assert_string_equal(m.first[CLAIMS_FIRST - 1].name, "f7");
	claims_code_free(&m);
	fs_rmtree(dir.data);
	buf_free(&dir);
	buf_free(&src);
	buf_free(&p);
}

static void test_missing_path_is_an_error(void **state)
{
	struct claims_code m = {0};
	(void)state;

	errno = 0;
	assert_int_equal(claims_count_code("/nonexistent/claims/src", PROGRAM_RUST, &m), -1);
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

static void test_count_claims(void **state)
{
	(void)state;

	/* Lines of code, 15% of 49 = 7.35: 41.65 to 56.35. */
	assert_true(claims_near(49, 49, 0.15, 2));
	assert_true(claims_near(42, 49, 0.15, 2));
	assert_true(claims_near(56, 49, 0.15, 2));
	assert_false(claims_near(41, 49, 0.15, 2));
	assert_false(claims_near(57, 49, 0.15, 2));
	assert_false(claims_near(0, 49, 0.15, 2));
	/* Tiny programs: at least the floor of slack each side. */
	assert_true(claims_near(1, 3, 0, 2));
	assert_true(claims_near(5, 3, 0, 2));
	assert_false(claims_near(6, 3, 0, 2));
	/* Complexity, 20% of 16 = 3.2; and the floor of 1 for a small count. */
	assert_true(claims_near(19, 16, 0.2, 1));
	assert_false(claims_near(20, 16, 0.2, 1));
	assert_true(claims_near(3, 2, 0.2, 1));
	assert_false(claims_near(4, 2, 0.2, 1));
	/* Nothing counted: nothing is consistent. */
	assert_false(claims_near(1, 0, 0.15, 2));
	/* Functions: within an absolute count; 0 is a claim. */
	assert_true(claims_functions_consistent(3, 4, 1));
	assert_true(claims_functions_consistent(5, 4, 1));
	assert_false(claims_functions_consistent(6, 4, 1));
	assert_false(claims_functions_consistent(3, 7, 1));
	assert_true(claims_functions_consistent(0, 0, 0));
	assert_false(claims_functions_consistent(0, 1, 0));
	assert_false(claims_functions_consistent(-1, 0, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_file_counted_by_tokens),
		cmocka_unit_test(test_rust_tree_in_name_order_without_links_or_vendor),
		cmocka_unit_test(test_top_keeps_the_ten_most_complex),
		cmocka_unit_test(test_missing_path_is_an_error),
		cmocka_unit_test(test_ratio_claims),
		cmocka_unit_test(test_count_claims),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
