/* test_notes.c: unit tests of the notes check's pure parts (notes.h): the names a source defines,
 * which of them notes mention (whole words, plain words only in backticks or before '('), and the
 * words of a section; then notes_check on notes files written to a temporary submission. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exercises/notes.h"
#include "fs.h"
#include "result.h"
#include "spec.h"

static bool has(const struct notes_names *n, const char *name)
{
	for (size_t i = 0; i < n->n; i++)
		if (!strcmp(n->v[i], name))
			return true;
	return false;
}

static void test_names_from_source(void **state)
{
	static const char rs[] = "struct FeatReport { n: usize }\n"
				 "pub(crate) fn parse_row(s: &str) {}\n"
				 "enum Kind { A }\ntrait Summary {}\ntype Row = Vec<f64>;\n"
				 "fn main() {}\nfn go() {}\n"        /* "go": too short */
				 "let fnord = 1; // fnx is no fn\n"; /* "fnord" is no keyword */
	static const char py[] = "class Stats:\n    def mean(self):\n        pass\ndef\tread_csv(p):\n";
	struct notes_names n = {0};

	(void)state;
	notes_names_from_source("src/main.rs", rs, strlen(rs), true, &n);
	assert_true(has(&n, "main.rs"));
	assert_true(has(&n, "FeatReport") && has(&n, "parse_row") && has(&n, "Kind"));
	assert_true(has(&n, "Summary") && has(&n, "Row") && has(&n, "main"));
	assert_false(has(&n, "go"));
	assert_false(has(&n, "fnord") || has(&n, "is"));
	notes_names_from_source("featreport.py", py, strlen(py), false, &n);
	assert_true(has(&n, "featreport.py") && has(&n, "Stats") && has(&n, "mean") && has(&n, "read_csv"));
	/* a file name with a control byte is never collected */
	notes_names_from_source("x\x1b[2J.rs", "", 0, true, &n);
	assert_false(has(&n, "x\x1b[2J.rs"));
	notes_names_free(&n);
}

static void test_mentions(void **state)
{
	static const char src[] = "fn main() {}\nfn parse_row() {}\nstruct Stats;\nfn mean() {}\n";
	struct notes_names n = {0};
	struct buf found = BUF_INIT;
	const char *t;

	(void)state;

	notes_names_from_source("main.rs", src, strlen(src), true, &n);
	assert_true(notes_name_distinct("parse_row") && notes_name_distinct("main.rs") &&
		    notes_name_distinct("FeatReport") && !notes_name_distinct("Stats") &&
		    !notes_name_distinct("mean"));
	/* plain words in prose do not count */
	t = "The main problem was the mean of Stats over rows.";
	assert_int_equal(notes_mentions(t, strlen(t), &n, &found), 0);
	/* a file name at the end of a sentence, a name before '(', a name in backticks */
	buf_reset(&found);
	t = "I started in main.rs. Then mean() was slow, so `Stats` keeps sums; see parse_row's loop.";
	assert_int_equal(notes_mentions(t, strlen(t), &n, &found), 4);
	assert_string_equal(found.data, "main.rs, parse_row, Stats, mean");
	/* a part of a dotted path counts: `self.mean` */
	buf_reset(&found);
	t = "It calls self.mean( on each row.";
	assert_int_equal(notes_mentions(t, strlen(t), &n, &found), 1);
	/* a longer word that contains a name is not the name */
	buf_reset(&found);
	t = "parse_rows and xmain.rs are other things";
	assert_int_equal(notes_mentions(t, strlen(t), &n, &found), 0);
	notes_names_free(&n);
	buf_free(&found);
}

static void test_section_words(void **state)
{
	static const char md[] = "# Porting\nintro words here\n## Challenges\none two three\n"
				 "### Sub part\nfour five\n```\n# not a heading\n```\n"
				 "## Solutions\nsix seven\n";

	(void)state;
	/* up to the next heading of the same level: subsections and code blocks included */
	assert_int_equal(notes_section_words(md, strlen(md), "challenges"), 3 + 2 + 2 + 3);
	assert_int_equal(notes_section_words(md, strlen(md), "Solutions"), 2);
	assert_int_equal(notes_section_words(md, strlen(md), "Results"), -1);
	/* "#Solutions" is no Markdown heading, nor "# x" in a code block */
	assert_int_equal(notes_section_words("#Solutions\na b\n", 15, "Solutions"), -1);
	assert_int_equal(notes_section_words("```\n# Solutions\n```\n", 20, "Solutions"), -1);
}

/* notes_check on a submission with a Rust source and the notes `text`. */
static void check(const char *text, struct result_check **out, struct result_report **r)
{
	static char dir[64];
	struct buf p = BUF_INIT;
	char s1[] = "Challenges", s2[] = "Solutions", file[] = "ex4/NOTES.md";
	char *sections[] = {s1, s2};
	struct spec_notes spec = {.file = file,
				  .min_words = 10,
				  .sections = sections,
				  .nsections = 2,
				  .min_words_per_section = 5,
				  .min_names = 1};
	struct result_exercise *e;

	strcpy(dir, "/tmp/test-notes.XXXXXX");
	assert_non_null(mkdtemp(dir));
	fs_join(&p, dir, "ex4/rust/src");
	assert_int_equal(fs_mkdirs(p.data), 0);
	buf_puts(&p, "/main.rs");
	assert_int_equal(fs_write_atomic(p.data, "fn parse_row() {}\n", 18), 0);
	buf_reset(&p);
	fs_join(&p, dir, "ex4/NOTES.md");
	assert_int_equal(fs_write_atomic(p.data, text, strlen(text)), 0);
	*r = result_report_new("t");
	e = result_exercise_add(*r, "ex4", "ex4", "ex4");
	*out = result_check_add(e, "notes", "notes", 4);
	notes_check(dir, &spec, *out);
	fs_rmtree(dir);
	buf_free(&p);
}

static void test_check(void **state)
{
	struct result_check *c;
	struct result_report *r;

	(void)state;
	check("## Challenges\nThe parse_row function had to read empty fields.\n## Solutions\nI return an "
	      "Option from it now.\n",
	      &c, &r);
	assert_int_equal(c->status, RESULT_PASS);
	assert_true(c->points == 4);
	result_report_free(r);
	/* a thin section is named; no name of the code: said, with examples of names */
	check("## Challenges\nReading the input was hard because of the empty fields.\n## Solutions\nFixed it.\n",
	      &c, &r);
	assert_int_equal(c->status, RESULT_PARTIAL);
	assert_non_null(strstr(c->message, "section 'Solutions' has 2 words, at least 5 wanted"));
	assert_non_null(strstr(
		c->message, "names none of your port's files, functions or types (such as main.rs, parse_row)"));
	/* each part a quarter: words 1, sections 1, section words 1 of 2 sections, names 0 */
	assert_true(c->points > 2.49 && c->points < 2.51);
	result_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_from_source),
		cmocka_unit_test(test_mentions),
		cmocka_unit_test(test_section_words),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
