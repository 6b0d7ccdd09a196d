/* test_answers.c: research answers (exercises 1 and 3) against a catalog, and the notes check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "exercises/answers.h"
#include "buf.h"
#include "catalog.h"
#include "fs.h"
#include "exercises/notes.h"
#include "result.h"
#include "spec.h"

static struct buf dir;

static int setup(void **state)
{
	(void)state;
	return fs_mkdtemp("/tmp", "grader-answers-", &dir);
}

static int teardown(void **state)
{
	(void)state;
	fs_rmtree(dir.data);
	buf_free(&dir);
	return 0;
}

static void put(const char *rel, const char *text)
{
	struct buf p = BUF_INIT;
	fs_join(&p, dir.data, rel);
	{
		char *slash = strrchr(p.data, '/');
		*slash = '\0';
		fs_mkdirs(p.data);
		*slash = '/';
	}
	assert_int_equal(fs_write_atomic(p.data, text, strlen(text)), 0);
	buf_free(&p);
}

static struct result_check *find(struct result_exercise *e, const char *id)
{
	struct result_check *c = result_check_find(e, id);
	assert_non_null(c);
	return c;
}

static void test_normalise(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	catalog_normalise("Hugging-Face, Inc.", &b);
	assert_string_equal(b.data, "huggingface");
	catalog_normalise("The Apache Software Foundation", &b);
	assert_string_equal(b.data, "apachesoftwarefoundation");
	catalog_normalise("Inc", &b); /* a legal form alone is the name */
	assert_string_equal(b.data, "inc");
	catalog_normalise("  ", &b);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void run_ex3(const char *libraries, struct result_report **out)
{
	struct buf err = BUF_INIT;
	struct spec_exercise *ex = spec_load_exercise("specs/ch01/ex3.yaml", &err);
	struct result_report *r = result_report_new("t");
	struct grade_ctx g = {.submission = dir.data};
	struct result_exercise *e = result_exercise_add(r, ex->id, ex->title, "answers");

	put("ex3/libraries.yaml", libraries);
	grade_answers(&g, ex, e, r);
	result_finish(r);
	spec_exercise_free(ex);
	buf_free(&err);
	*out = r;
}

static void test_catalog_matching(void **state)
{
	struct result_report *r;
	struct result_exercise *e;
	(void)state;

	run_ex3("libraries:\n"
		"  - {crate: Linfa, features: [a b c d e], use_cases: [f g h i j], link: 'https://crates.io/crates/linfa'}\n"
		"  - {crate: candle, features: [a b c d f], use_cases: [f g h i k], link: 'https://github.com/huggingface/candle'}\n"
		"  - {crate: SmartCore, features: [a b c d g], use_cases: [f g h i l], link: 'https://crates.io/crates/smartcore'}\n",
		&r);
	e = r->exercises[0];
	assert_int_equal(find(e, "count")->status, RESULT_PASS);
	assert_int_equal(find(e, "verified")->status, RESULT_PASS); /* alias and case ignored */
	assert_true(e->points == e->max_points);
	result_report_free(r);
}

static void test_unknown_duplicate_and_not_ml(void **state)
{
	struct result_report *r;
	struct result_exercise *e;
	(void)state;

	run_ex3("libraries:\n"
		"  - {crate: linfa, features: [a b c d e], use_cases: [f g h i j], link: 'https://crates.io/crates/linfa'}\n"
		"  - {crate: LINFA, features: [a b c d h], use_cases: [f g h i k], link: 'https://crates.io/crates/linfa'}\n"
		"  - {crate: serde, features: [a b c d f], use_cases: [f g h i l], link: 'https://crates.io/crates/serde'}\n"
		"  - {crate: my-own-ml, features: [a b c d g], use_cases: [], link: 'http://example.com'}\n",
		&r);
	e = r->exercises[0];
	/* linfa twice counts once; serde is no ML library; my-own-ml waits for review */
	assert_int_equal(find(e, "count")->status, RESULT_FAIL);
	assert_string_equal(find(e, "count")->message,
			    "2 distinct entries; at least 3 are needed: entry 2 (LINFA) is entry 1 (linfa) again; "
			    "entry 3 (serde) is a general-purpose crate (serialization), not an ML library");
	assert_int_equal(find(e, "fields")->status, RESULT_PARTIAL);
	assert_int_equal(find(e, "sources")->status, RESULT_PARTIAL);
	assert_int_equal(find(e, "verified")->status, RESULT_REVIEW);
	assert_true(find(e, "verified")->points > 0 &&
		    find(e, "verified")->points < find(e, "verified")->max_points);
	/* every message that counts names its entries, by index and name */
	assert_string_equal(find(e, "fields")->message, "entry 4 (my-own-ml) lacks use_cases");
	assert_string_equal(find(e, "sources")->message,
			    "entry 4 (my-own-ml): \"http://example.com\" is not https: use the https address of the page");
	assert_string_equal(find(e, "verified")->message,
			    "1 of the 3 entries needed match the catalog: entry 3 (serde) is a general-purpose crate "
			    "(serialization), not an ML library; entry 4 (my-own-ml) is not in the course catalog: it "
			    "waits for an instructor's review");
	result_report_free(r);
}

static void test_counts_name_the_entries(void **state)
{
	struct result_report *r;
	struct result_exercise *e;
	(void)state;

	run_ex3("libraries:\n"
		"  - {crate: linfa, features: [a b c d e], use_cases: [f g h i j], link: 'https://crates.io/crates/linfa'}\n"
		"  - {crate: Linfa, link: 'https://example.com/linfa'}\n"
		"  - {crate: ndarray, features: [a b c d f], use_cases: [f g h i k], link: 'crates.io/crates/ndarray'}\n"
		"  - [not, a, map]\n"
		"  - {crate: smartcore, features: [a b c d g], use_cases: [f g h i l]}\n",
		&r);
	e = r->exercises[0];
	assert_string_equal(find(e, "fields")->message,
			    "entry 2 (Linfa) lacks features, use_cases; "
			    "entry 4 is not a map of fields; entry 5 (smartcore) lacks link");
	assert_string_equal(find(e, "sources")->message,
			    "entry 2 (Linfa): \"https://example.com/linfa\" is a placeholder, not a real page; entry 3 "
			    "(ndarray): \"crates.io/crates/ndarray\" is not an https link; entry 4 gives no 'link'; "
			    "entry 5 (smartcore) gives no 'link'");
	assert_string_equal(find(e, "count")->message,
			    "3 distinct entries (not counted: entry 2 (Linfa) is entry 1 (linfa) again)");
	result_report_free(r);

	/* too few: the duplicates are named; past 5 entries the rest are counted */
	run_ex3("libraries:\n"
		"  - {crate: linfa, features: [a b c d e], use_cases: [b], link: 'http://a.io/1'}\n"
		"  - {crate: LINFA, features: [a b c d e], use_cases: [b], link: 'http://a.io/2'}\n"
		"  - {crate: li-nfa, features: [a b c d e], use_cases: [b], link: 'http://a.io/3'}\n"
		"  - {crate: linfa, features: [a b c d e], use_cases: [b], link: 'http://a.io/4'}\n"
		"  - {crate: linfa, features: [a b c d e], use_cases: [b], link: 'http://a.io/5'}\n"
		"  - {crate: linfa, features: [a b c d e], use_cases: [b], link: 'http://a.io/6'}\n"
		"  - {crate: linfa, features: [a b c d e], use_cases: [b], link: 'http://a.io/7'}\n",
		&r);
	e = r->exercises[0];
	assert_string_equal(find(e, "count")->message,
			    "1 distinct entry; at least 3 are needed: entry 2 (LINFA) is entry 1 (linfa) again; entry 3 "
			    "(li-nfa) is entry 1 (linfa) again; entry 4 (linfa) is entry 1 (linfa) again; entry 5 (linfa) "
			    "is entry 1 (linfa) again; entry 6 (linfa) is entry 1 (linfa) again; and 1 more");
	assert_non_null(strstr(
		find(e, "sources")->message,
		"entry 5 (linfa): \"http://a.io/5\" is not https: use the https address of the page; and 2 more"));
	/* "b" alone is no description: named with its word count */
	assert_non_null(strstr(find(e, "fields")->message, "entry 1 (linfa) 'use_cases' has 1 word (\"b\")"));
	result_report_free(r);
}

static void test_missing_file(void **state)
{
	struct buf err = BUF_INIT;
	struct spec_exercise *ex = spec_load_exercise("specs/ch01/ex1.yaml", &err);
	struct result_report *r = result_report_new("t");
	struct grade_ctx g = {.submission = "/nonexistent"};
	struct result_exercise *e = result_exercise_add(r, ex->id, ex->title, "answers");
	(void)state;

	grade_answers(&g, ex, e, r);
	result_finish(r);
	assert_int_equal(e->status, RESULT_FAIL);
	assert_non_null(strstr(find(e, "count")->message, "ex1/organisations.yaml not found"));
	spec_exercise_free(ex);
	buf_free(&err);
	result_report_free(r);
}

static void test_notes(void **state)
{
	char challenges[] = "Challenges", solutions[] = "Solutions", file[] = "ex4/NOTES.md",
	     missing[] = "ex4/MISSING.md";
	char *sections[] = {challenges, solutions};
	struct spec_notes spec = {.file = file, .min_words = 10, .sections = sections, .nsections = 2};
	struct result_report *r = result_report_new("t");
	struct result_exercise *e = result_exercise_add(r, "x", "x", "conversion");
	struct result_check *c = result_check_add(e, "notes", "notes", 4);
	(void)state;

	put("ex4/NOTES.md", "# Notes\n## Challenges\nOwnership of the rows was hard to get right at first.\n");
	notes_check(dir.data, &spec, c);
	assert_int_equal(c->status, RESULT_PARTIAL);
	assert_true(c->points == 3); /* length 2 + one of two sections 1 */
	assert_non_null(strstr(c->message, "'Solutions'"));
	put("ex4/NOTES.md",
	    "## Challenges\nOwnership of the rows was hard.\n## solutions\nI cloned less and borrowed more.\n");
	notes_check(dir.data, &spec, c);
	assert_int_equal(c->status, RESULT_PASS);
	spec.file = missing;
	notes_check(dir.data, &spec, c);
	assert_int_equal(c->status, RESULT_FAIL);
	assert_non_null(strstr(c->message, "not found"));
	result_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_catalog_matching),
		cmocka_unit_test(test_unknown_duplicate_and_not_ml),
		cmocka_unit_test(test_counts_name_the_entries),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_notes),
	};
	return cmocka_run_group_tests_name("answers", tests, setup, teardown);
}
