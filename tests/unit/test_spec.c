/* test_spec.c: chapters, exercise specs, learner manifests and answers files. Run from the
 * repository root (tests/run.sh does), since it loads the real chapter-1 specs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fs.h"
#include "catalog.h"
#include "spec.h"

static struct buf tmpdir;

static int setup(void **state)
{
	(void)state;
	return fs_mkdtemp("/tmp", "grader-spec-", &tmpdir);
}

static int teardown(void **state)
{
	(void)state;
	fs_rmtree(tmpdir.data);
	buf_free(&tmpdir);
	return 0;
}

static const char *write_file(const char *name, const char *text)
{
	static struct buf p;
	buf_free(&p);
	fs_join(&p, tmpdir.data, name);
	assert_int_equal(fs_write_atomic(p.data, text, strlen(text)), 0);
	return p.data;
}

static void test_real_chapter_loads(void **state)
{
	struct buf err = BUF_INIT;
	struct spec_chapter *c = spec_load_chapter("specs/ch01", &err);
	const struct spec_exercise *ex4;
	(void)state;

	if (!c)
		fail_msg("%s", buf_str(&err));
	assert_int_equal(c->nexercises, 4);
	ex4 = c->exercises[3];
	assert_string_equal(ex4->id, "ch01-ex4");
	assert_int_equal(ex4->kind, SPEC_CONVERSION);
	assert_true(ex4->limits.memory == 512ULL << 20);
	assert_true(ex4->perf.enabled && ex4->perf.require_speedup == 2.0);
	assert_true(spec_points(ex4, "correctness") == 20);
	assert_true(spec_points(ex4, "nonexistent") == 0);
	assert_int_equal(c->exercises[0]->kind, SPEC_ANSWERS);
	assert_string_equal(c->exercises[0]->answers.list_key, "organisations");
	assert_string_equal(c->gradescope.hidden_visibility, "after_published");
	spec_chapter_free(c);
	buf_free(&err);
}

static void test_manifest_policy(void **state)
{
	struct buf err = BUF_INIT;
	struct spec_exercise *ex = spec_load_exercise("specs/ch01/ex4.yaml", &err);
	struct spec_conversion *m;
	const char *path;
	(void)state;

	assert_non_null(ex);
	path = write_file("exercise.yaml", "python: {script: py/a.py}\nrust: {package: rs}\n"
					   "args: ['{input}', '--fast']\ncompare: {mode: numeric, abs: 1e-9}\n");
	m = spec_load_conversion(path, ex, false, &err);
	if (!m)
		fail_msg("%s", buf_str(&err));
	assert_false(m->stdin_input);
	assert_int_equal(m->nargs, 2);
	assert_int_equal(m->mode, OUTDIFF_NUMERIC);
	assert_string_equal(m->cases, "cases");
	spec_conversion_free(m);

	path = write_file("exercise.yaml", "python: {script: a.py}\nrust: {package: rs}\n"
					   "compare: {mode: numeric, abs: 0.5}\n");
	assert_null(spec_load_conversion(path, ex, false, &err));
	assert_non_null(strstr(buf_str(&err), "'abs' tolerance 0.5 is looser than this exercise allows (at most 1e-06)"));

	buf_reset(&err);
	path = write_file("exercise.yaml", "python: {script: ../../etc/passwd}\nrust: {package: /abs}\n");
	assert_null(spec_load_conversion(path, ex, false, &err));
	assert_non_null(strstr(buf_str(&err), "'script' must be a relative path inside its folder"));
	assert_non_null(strstr(buf_str(&err), "'package' must be a relative path"));

	buf_reset(&err);
	path = write_file("exercise.yaml", "python: {script: a.py}\nrust: {package: rs}\n"
					   "generator: {script: g.py, seeds: 5000}\n");
	assert_null(spec_load_conversion(path, ex, false, &err));
	assert_non_null(strstr(buf_str(&err), "5000 generated cases is more than this exercise allows (at most 50)"));

	buf_reset(&err);
	path = write_file("exercise.yaml", "python: {script: a.py}\nrust: {package: rs}\nbenchmark: {}\n");
	assert_null(spec_load_conversion(path, ex, false, &err));
	assert_non_null(strstr(buf_str(&err), "'benchmark' needs 'file' or 'generate'"));
	spec_exercise_free(ex);
	buf_free(&err);
}

static void test_exercise_spec_errors_are_all_reported(void **state)
{
	struct buf err = BUF_INIT;
	const char *path = write_file("bad.yaml", "id: x\ntitle: t\nkind: conversion\nmanifest: m.yaml\n"
						  "limits: {wall: 10s, memroy: 1GiB, pids: 0}\n"
						  "compare: {modes: [exact, fuzzy]}\nrubric: {build: 1, speed: 2}\n");
	(void)state;

	assert_null(spec_load_exercise(path, &err));
	assert_non_null(strstr(buf_str(&err), "bad.yaml:5:21: 'memroy' is not a key of 'limits' (did you mean 'memory'?)"));
	assert_non_null(strstr(buf_str(&err), "'pids' is 0, out of range [1, 4096]"));
	assert_non_null(strstr(buf_str(&err), "unknown compare mode 'fuzzy'"));
	assert_non_null(strstr(buf_str(&err), "'speed' is not a key of 'rubric'"));
	buf_free(&err);
}

/* The spec and the manifest name modes as outdiff_mode_names[] does; the messages list them. */
static void test_compare_modes(void **state)
{
	struct buf err = BUF_INIT;
	const char *path = write_file("modes.yaml", "id: x\ntitle: t\nkind: conversion\nmanifest: m.yaml\n"
						    "compare: {modes: [lines, json]}\nrubric: {build: 1}\n");
	struct spec_exercise *ex = spec_load_exercise(path, &err);
	struct spec_conversion *m;
	(void)state;

	if (!ex)
		fail_msg("%s", buf_str(&err));
	assert_int_equal(ex->allowed_modes, (1u << OUTDIFF_LINES) | (1u << OUTDIFF_JSON));
	path = write_file("exercise.yaml", "python: {script: a.py}\nrust: {package: rs}\ncompare: {mode: json}\n");
	m = spec_load_conversion(path, ex, false, &err);
	if (!m)
		fail_msg("%s", buf_str(&err));
	assert_int_equal(m->mode, OUTDIFF_JSON);
	spec_conversion_free(m);

	path = write_file("exercise.yaml", "python: {script: a.py}\nrust: {package: rs}\n");
	m = spec_load_conversion(path, ex, false, &err);
	assert_non_null(m);
	assert_int_equal(m->mode, OUTDIFF_LINES);
	spec_conversion_free(m);

	path = write_file("exercise.yaml", "python: {script: a.py}\nrust: {package: rs}\ncompare: {mode: csv}\n");
	assert_null(spec_load_conversion(path, ex, false, &err));
	assert_non_null(strstr(buf_str(&err), "exercise.yaml:3:17: compare mode 'csv' is not allowed for this "
					      "exercise (allowed: lines, json)\n"));

	buf_reset(&err);
	path = write_file("exercise.yaml", "python: {script: a.py}\nrust: {package: rs}\ncompare: {mode: linez}\n");
	assert_null(spec_load_conversion(path, ex, false, &err));
	assert_non_null(strstr(buf_str(&err), "unknown mode 'linez' (did you mean 'lines'? expected one of: exact, "
					      "lines, tokens, numeric, unordered-lines, json, csv)\n"));
	spec_exercise_free(ex);

	buf_reset(&err);
	path = write_file("modes.yaml", "id: x\ntitle: t\nkind: conversion\nmanifest: m.yaml\n"
					"compare: {modes: [fuzzy]}\nrubric: {build: 1}\n");
	assert_null(spec_load_exercise(path, &err));
	assert_non_null(strstr(buf_str(&err), "unknown compare mode 'fuzzy' (expected one of: exact, lines, tokens, "
					      "numeric, unordered-lines, json, csv)\n"));
	buf_free(&err);
}

static void test_answers_check(void **state)
{
	struct buf err = BUF_INIT;
	struct spec_exercise *ex = spec_load_exercise("specs/ch01/ex1.yaml", &err);
	const char *path;
	(void)state;

	assert_non_null(ex);
	path = write_file("organisations.yaml",
			  "organisations:\n"
			  "  - {name: A, use: 'x y z', source: 'https://a.org/x'}\n"
			  "  - {name: B, use: '', source: 'http://b.org'}\n");
	assert_int_equal(spec_check_answers(path, ex, &err), 3);
	assert_non_null(strstr(buf_str(&err), "2 entries in 'organisations'; at least 3 are needed"));
	assert_non_null(strstr(buf_str(&err), "entry 2 has no 'use'"));
	assert_non_null(strstr(buf_str(&err), "entry 2: 'source': http://b.org is not https"));
	spec_exercise_free(ex);
	buf_free(&err);
}

static void test_catalogs(void **state)
{
	struct buf err = BUF_INIT;
	const char *path;
	(void)state;

	assert_int_equal(catalog_check("specs/ch01/catalog/crates.yaml", &err), 0);
	assert_int_equal(catalog_check("specs/ch01/catalog/organisations.yaml", &err), 0);
	path = write_file("cat.yaml", "catalog: crates\njudged: 2026-12-01\nentries:\n"
				      "  - {name: a-b, category: nlp, ml: true, maintained: true, source: 'https://x.org/a'}\n"
				      "  - {name: A_B, category: nlp, ml: true, maintained: true, source: 'ftp://x'}\n");
	assert_int_equal(catalog_check(path, &err), 2);
	assert_non_null(strstr(buf_str(&err), "cat.yaml:5:68: the source ftp://x is not an https link"));
	assert_non_null(strstr(buf_str(&err), "cat.yaml:5:5: 'A_B' normalises to 'ab', which already names 'a-b'"));
	buf_free(&err);
}

/* The chapter's `gradescope` section: a visibility Gradescope knows, else an error that says
 * where and what would be right. */
static void test_chapter_gradescope(void **state)
{
	struct buf err = BUF_INIT, dir = BUF_INIT;
	struct spec_chapter *c;
	const char *path;
	(void)state;

	fs_join(&dir, tmpdir.data, "ch");
	assert_int_equal(fs_copytree("specs/ch01", dir.data), 0);
	/* Without the section: the default, the visibility that shows hidden results last. */
	path = write_file("ch/chapter.yaml", "id: ch\ntitle: t\nexercises: [ex1.yaml]\n");
	c = spec_load_chapter(dir.data, &err);
	if (!c)
		fail_msg("%s", buf_str(&err));
	assert_string_equal(c->gradescope.hidden_visibility, "after_published");
	spec_chapter_free(c);

	path = write_file("ch/chapter.yaml", "id: ch\ntitle: t\nexercises: [ex1.yaml]\n"
					     "gradescope: {hidden_visibility: after_due_date}\n");
	c = spec_load_chapter(dir.data, &err);
	if (!c)
		fail_msg("%s", buf_str(&err));
	assert_string_equal(c->gradescope.hidden_visibility, "after_due_date");
	spec_chapter_free(c);

	path = write_file("ch/chapter.yaml", "id: ch\ntitle: t\nexercises: [ex1.yaml]\n"
					     "gradescope:\n  hidden_visibility: visble\n  hide: yes\n");
	assert_null(spec_load_chapter(dir.data, &err));
	assert_non_null(strstr(buf_str(&err), "chapter.yaml:5:22: unknown hidden_visibility 'visble' (did you "
					      "mean 'visible'? expected one of: hidden, after_due_date, "
					      "after_published, visible)\n"));
	assert_non_null(strstr(buf_str(&err), "chapter.yaml:6:3: 'hide' is not a key of 'gradescope' (expected one of: "
					      "hidden_visibility)\n"));
	assert_non_null(strstr(buf_str(&err), path));

	buf_reset(&err);
	write_file("ch/chapter.yaml", "id: ch\ntitle: t\nexercises: [ex1.yaml]\ngradescope: after_published\n");
	assert_null(spec_load_chapter(dir.data, &err));
	assert_non_null(strstr(buf_str(&err), "chapter.yaml:4:13: 'gradescope' must be a map of keys to values, not a scalar\n"));
	buf_free(&err);
	buf_free(&dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_chapter_loads),
		cmocka_unit_test(test_manifest_policy),
		cmocka_unit_test(test_exercise_spec_errors_are_all_reported),
		cmocka_unit_test(test_compare_modes),
		cmocka_unit_test(test_answers_check),
		cmocka_unit_test(test_catalogs),
		cmocka_unit_test(test_chapter_gradescope),
	};
	return cmocka_run_group_tests_name("spec", tests, setup, teardown);
}
