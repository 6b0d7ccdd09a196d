/* test_ydoc.c: the YAML tree loader and typed readers, on good and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ydoc.h"

static struct ydoc *load(const char *text, struct buf *err)
{
	return ydoc_load_string("t.yaml", text, strlen(text), err);
}

static void expect_error(const char *text, size_t len, const char *needle)
{
	struct buf err = BUF_INIT;
	struct ydoc *d = ydoc_load_string("t.yaml", text, len, &err);

	assert_null(d);
	if (!strstr(buf_str(&err), needle))
		fail_msg("error '%s' does not contain '%s'", buf_str(&err), needle);
	buf_free(&err);
}

static void test_loads_tree_with_positions(void **state)
{
	struct buf err = BUF_INIT;
	struct ydoc *d = load("id: ex4\nlimits:\n  wall: 10s\nlist: [a, 'b']\n", &err);
	const struct ydoc_node *limits, *list;
	(void)state;

	assert_non_null(d);
	assert_int_equal(d->root->type, YDOC_MAP);
	assert_string_equal(ydoc_get(d->root, "id")->value, "ex4");
	limits = ydoc_get(d->root, "limits");
	assert_int_equal(limits->type, YDOC_MAP);
	assert_int_equal(ydoc_get(limits, "wall")->line, 3);
	assert_int_equal(ydoc_get(limits, "wall")->col, 9);
	list = ydoc_get(d->root, "list");
	assert_int_equal(list->n, 2);
	assert_false(list->items[0]->quoted);
	assert_true(list->items[1]->quoted);
	assert_null(ydoc_get(d->root, "missing"));
	ydoc_free(d);
	buf_free(&err);
}

static void test_syntax_error_has_position(void **state)
{
	(void)state;
	expect_error("a: [1, 2\nb: 3\n", 13, "t.yaml:");
	expect_error("a: b: c\n", 8, "t.yaml:1:5:");
}

static void test_duplicate_key_refused(void **state)
{
	(void)state;
	expect_error("a: 1\nb: 2\na: 3\n", 14, "t.yaml:3:1: duplicate key 'a' (first at line 1, column 1)");
}

static void test_anchors_and_alias_bomb_refused(void **state)
{
	const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
			   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
	(void)state;
	expect_error(bomb, strlen(bomb), "anchors (&a) are not allowed");
	expect_error("a: *x\n", 6, "t.yaml:1:4:");
}

static void test_deep_nesting_refused(void **state)
{
	struct buf deep = BUF_INIT;
	(void)state;
	for (int i = 0; i < 10000; i++)
		buf_puts(&deep, "[");
	expect_error(deep.data, deep.len, "nesting deeper than");
	buf_free(&deep);
}

static void test_hostile_bytes(void **state)
{
	static const char binary[] = "\x7f" "ELF\x02\x01\x01\x00\x00\x00";
	static const char latin1[] = "name: caf\xe9\n";
	(void)state;
	expect_error(binary, sizeof(binary) - 1, "t.yaml:1:");
	expect_error(latin1, sizeof(latin1) - 1, "UTF-8");
	expect_error("a:\n\tb: 1\n", 8, "tabs are not allowed");
	expect_error("a: 1\n---\nb: 2\n", 14, "only one YAML document");
}

static void test_size_cap(void **state)
{
	size_t n = YDOC_MAX_BYTES + 1;
	char *big = malloc(n);
	(void)state;
	assert_non_null(big);
	memset(big, '#', n);
	expect_error(big, n, "larger than");
	free(big);
}

static void test_empty_document(void **state)
{
	struct buf err = BUF_INIT;
	struct ydoc *d = load("", &err);
	(void)state;
	assert_non_null(d);
	assert_null(d->root);
	ydoc_free(d);
	buf_free(&err);
}

static void test_unknown_key_suggests(void **state)
{
	static const char *const allowed[] = {"wall", "cpu", "memory", NULL};
	static const char *const required[] = {"wall", NULL};
	struct buf err = BUF_INIT, rerr = BUF_INIT;
	struct ydoc *d = load("memroy: 1MiB\nfoo: 2\n", &err);
	struct yread r = {.file = "t.yaml", .errors = &rerr};
	(void)state;

	assert_non_null(d);
	assert_int_equal(yread_map(&r, d->root, "'limits'", allowed, required), -1);
	assert_non_null(strstr(buf_str(&rerr), "t.yaml:1:1: 'memroy' is not a key of 'limits' (did you mean 'memory'?)"));
	assert_non_null(strstr(buf_str(&rerr), "t.yaml:2:1: 'foo' is not a key of 'limits' (expected one of: wall, cpu, memory)"));
	assert_non_null(strstr(buf_str(&rerr), "missing the required key 'wall'"));
	assert_int_equal(r.nerrors, 3);
	ydoc_free(d);
	buf_free(&err);
	buf_free(&rerr);
}

static void test_closest_within_two_edits(void **state)
{
	static const char *const checks[] = {"build", "python", "cases", "correctness", NULL};
	(void)state;
	assert_string_equal(ydoc_closest("case", checks), "cases");
	assert_string_equal(ydoc_closest("corectness", checks), "correctness");
	assert_string_equal(ydoc_closest("biuld", checks), "build");
	assert_null(ydoc_closest("speed", checks));
	assert_null(ydoc_closest("x", NULL));
}

static void test_typed_readers(void **state)
{
	static const char *const modes[] = {"exact", "lines", "numeric", NULL};
	struct buf err = BUF_INIT, rerr = BUF_INIT;
	struct ydoc *d = load("n: 5\nbig: 500\nx: 0.25\nt: 250ms\nbad_t: 10\nm: 512MiB\nb: yes\n"
			      "mode: numerc\nl: [a, b]\ns: [a, [b]]\nq: \"7\"\n", &err);
	struct yread r = {.file = "t.yaml", .errors = &rerr};
	const char **strs;
	size_t n;
	(void)state;

	assert_non_null(d);
	assert_int_equal(yread_int(&r, d->root, "n", 0, 10, -1), 5);
	assert_int_equal(yread_int(&r, d->root, "big", 0, 10, -1), -1);
	assert_non_null(strstr(buf_str(&rerr), "'big' is 500, out of range [0, 10]"));
	assert_true(yread_double(&r, d->root, "x", 0, 1, 0) == 0.25);
	assert_true(yread_duration(&r, d->root, "t", 0, 60, 0) == 0.25);
	assert_true(yread_duration(&r, d->root, "bad_t", 0, 60, 1.5) == 1.5);
	assert_non_null(strstr(buf_str(&rerr), "t.yaml:5:8: 'bad_t' must be a duration with a unit"));
	assert_true(yread_size(&r, d->root, "m", 0, UINT64_MAX, 0) == 512ULL << 20);
	assert_true(yread_bool(&r, d->root, "b", false) == false);
	assert_non_null(strstr(buf_str(&rerr), "'b' must be true or false, not 'yes'"));
	assert_int_equal(yread_enum(&r, d->root, "mode", modes, -1), -1);
	assert_non_null(strstr(buf_str(&rerr), "unknown mode 'numerc' (did you mean 'numeric'?"));
	n = yread_strs(&r, d->root, "l", &strs);
	assert_int_equal(n, 2);
	assert_string_equal(strs[1], "b");
	free(strs);
	assert_int_equal(yread_strs(&r, d->root, "s", &strs), 0);
	assert_int_equal(yread_int(&r, d->root, "absent", 0, 10, 7), 7);
	assert_string_equal(yread_str(&r, d->root, "q", NULL), "7");
	assert_int_equal(r.nerrors, 5);
	ydoc_free(d);
	buf_free(&err);
	buf_free(&rerr);
}

/* Found by fuzz_spec: a manifest's `args: []` leaked the empty array yread_strs() gave with its
 * count 0 (the callers free only what they count). tests/fuzz/regressions/spec/ keeps the input. */
static void test_strs_empty_list_is_null(void **state)
{
	static const char text[] = "e: []\n";
	struct buf err = BUF_INIT;
	struct ydoc *d = ydoc_load_string("e.yaml", text, strlen(text), &err);
	struct yread r = {.file = "e.yaml", .errors = &err};
	const char **strs = (const char **)&r; /* anything but NULL */
	(void)state;

	assert_non_null(d);
	assert_int_equal(yread_strs(&r, d->root, "e", &strs), 0);
	assert_null(strs);
	assert_int_equal(r.nerrors, 0);
	ydoc_free(d);
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_tree_with_positions),
		cmocka_unit_test(test_syntax_error_has_position),
		cmocka_unit_test(test_duplicate_key_refused),
		cmocka_unit_test(test_anchors_and_alias_bomb_refused),
		cmocka_unit_test(test_deep_nesting_refused),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_unknown_key_suggests),
		cmocka_unit_test(test_typed_readers),
		cmocka_unit_test(test_strs_empty_list_is_null),
		cmocka_unit_test(test_closest_within_two_edits),
	};
	return cmocka_run_group_tests_name("ydoc", tests, NULL, NULL);
}
