/* test_inputs.c: a grading's key changes with each of its inputs and with nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fs.h"
#include "inputs.h"

static char *key_of(const struct inputs_request *q)
{
	struct result_inputs in = {0};
	struct buf err = BUF_INIT;
	char *key;

	assert_int_equal(inputs_take(q, &in, &err), 0);
	assert_non_null(in.key);
	assert_int_equal(strlen(in.key), 64);
	key = strdup(in.key);
	result_inputs_free(&in);
	buf_free(&err);
	return key;
}

static void test_key_follows_every_input(void **state)
{
	char dir[] = "/tmp/test-inputs-XXXXXX", *base, *k;
	struct buf spec = BUF_INIT, prof = BUF_INIT, tree = BUF_INIT;
	struct inputs_request q;

	(void)state;
	assert_non_null(mkdtemp(dir));
	fs_join(&spec, dir, "spec");
	fs_join(&prof, dir, "profiles");
	fs_join(&tree, dir, "tree");
	assert_int_equal(fs_mkdirs(spec.data), 0);
	assert_int_equal(fs_mkdirs(prof.data), 0);
	assert_int_equal(fs_mkdirs(tree.data), 0);
	q = (struct inputs_request){.learner = "ann",
				    .source = "/src/ann",
				    .commit = "0123abcd",
				    .tree = tree.data,
				    .spec_dir = spec.data,
				    .profiles_dir = prof.data,
				    .python = "3.11.2",
				    .rustc = "rustc 1.95.0",
				    .cargo = "cargo 1.95.0"};
	base = key_of(&q);
	k = key_of(&q);
	assert_string_equal(base, k); /* the same inputs, the same key */
	free(k);

#define CHANGED(field, value)                     \
	do {                                      \
		struct inputs_request c = q;      \
		c.field = value;                  \
		k = key_of(&c);                   \
		assert_string_not_equal(base, k); \
		free(k);                          \
	} while (0)
	CHANGED(learner, "ben");
	CHANGED(source, "/src/other");
	CHANGED(ref, "main");
	CHANGED(commit, "0123abce");
	CHANGED(commit, NULL); /* a plain folder: the tree's digest instead */
	CHANGED(python, "3.11.3");
	CHANGED(rustc, "rustc 1.96.0");
	CHANGED(cargo, NULL);
	CHANGED(no_perf, true);
	CHANGED(only, "ex4");
	CHANGED(deadline, "2026-12-01T12:00:00+00:00");
	CHANGED(extension, "2d");
#undef CHANGED
	/* a file in the spec folder, then one in the profiles folder */
	{
		struct buf f = BUF_INIT;
		fs_join(&f, spec.data, "catalog.yaml");
		assert_int_equal(fs_write_atomic(f.data, "x\n", 2), 0);
		k = key_of(&q);
		assert_string_not_equal(base, k);
		free(k);
		free(base);
		base = key_of(&q);
		fs_join(&f, prof.data, "rust-run.yaml");
		assert_int_equal(fs_write_atomic(f.data, "y\n", 2), 0);
		k = key_of(&q);
		assert_string_not_equal(base, k);
		free(k);
		buf_free(&f);
	}
	free(base);
	fs_rmtree(dir);
	buf_free(&spec);
	buf_free(&prof);
	buf_free(&tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_follows_every_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
