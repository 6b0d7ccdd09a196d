/* test_views_github.c: the GitHub Actions view: workflow commands escaped as the runner decodes
 * them, on the file each failed check concerns, and a Markdown step summary that learner text
 * cannot break out of. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fs.h"
#include "views/github.h"

#define REPORTS "tests/views/reports"

static cJSON *parse(const char *json)
{
	cJSON *r = cJSON_ParseWithLength(json, strlen(json));

	assert_non_null(r);
	return r;
}

static cJSON *load(const char *name)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	cJSON *r;

	buf_printf(&path, REPORTS "/%s", name);
	assert_int_equal(fs_read_file(path.data, 1 << 24, &text), 0);
	r = parse(text.data);
	buf_free(&path);
	buf_free(&text);
	return r;
}

/* The annotations of a report, malloc'ed. */
static char *annotations(const cJSON *r)
{
	struct buf out = BUF_INIT;

	assert_int_equal(view_github_annotations(r, &out), 0);
	return buf_detach(&out);
}

static char *summary(const cJSON *r)
{
	struct buf out = BUF_INIT;

	assert_int_equal(view_github_summary(r, &out), 0);
	return buf_detach(&out);
}

static void assert_annotations(const char *name, const char *want)
{
	cJSON *r = load(name);
	char *got = annotations(r);

	assert_string_equal(got, want);
	free(got);
	cJSON_Delete(r);
}

/* Lines of `s` that start with `prefix`. */
static int count_lines(const char *s, const char *prefix)
{
	int n = 0;

	for (const char *p = s; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncmp(p, prefix, strlen(prefix));
	return n;
}

/* Occurrences of `needle` in `s`. */
static int count_in(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_compile_error_is_an_error_on_the_line_that_does_not_compile(void **state)
{
	(void)state;
	assert_annotations("compile-error.json",
		"::warning title=submission::/work/main/submissions/examples/compile-error is a"
		" plain directory, not a git repository: graded as it is, with no commit to record"
		"\n"
		"::error file=ex4/rust/src/main.rs,line=37,col=27,title=ch01-ex4 build (0/5)::the"
		" Rust port does not compile: 1 error, the first at src/main.rs:37:27%0A"
		"error[E0597]: `word` does not live long enough%0A"
		"  --> src/main.rs:37:27%0A"
		"   |%0A"
		"33 |             let word = normalise(raw);%0A"
		"   |                 ---- binding `word` declared here%0A"
		"...%0A"
		"37 |             *counts.entry(word.as_str()).or_insert(0) += 1;%0A"
		"   |                           ^^^^ borrowed value does not live long enough%0A"
		"38 |         }%0A"
		"   |         - `word` dropped here while still borrowed%0A"
		"...%0A"
		"41 |     let mut ranked: Vec<(&str, usize)> = counts.iter().map(|(w, n)| (*w,"
		" *n)).collect();%0A"
		"   |                                          ------ borrow later used here%0A"
		"%0A"
		"%0A"
		"the compiler's own message is in the evidence (rendered); fix the first error first"
		"\n"
		"::notice title=grader::46.0/90.0 points (51%25), pass at 60%25: NOT PASSED"
		"\n");
}

static void test_edge_case_is_an_error_on_the_manifest(void **state)
{
	(void)state;
	assert_annotations("edge-case.json",
		"::warning title=submission::/work/main/submissions/examples/edge-case is a plain"
		" directory, not a git repository: graded as it is, with no commit to record"
		"\n"
		"::error file=ex4/exercise.yaml,title=ch01-ex4 correctness (15.8/20)::5 of 24 cases"
		" differ; first: case generated seed 2: standard output differs: line 11, column 5:"
		" expected \"11. Dune 8 1.50\" but got \"11. Zodiac 10 1.50\"%0A"
		"  expected: 11. Dune 8 1.50%0A"
		"  got:      11. Zodiac 10 1.50%0A"
		"                ^%0A"
		"the smallest input on which they still differ is ch01-ex4-repro-seed-2.txt (2"
		" lines) (beside the report, and in the evidence as minimal_input): run both"
		" programs on it"
		"\n"
		"::notice title=grader::66.8/90.0 points (74%25), pass at 60%25: NOT PASSED (a"
		" required check failed)"
		"\n");
}

static void test_panic_is_an_error_on_the_manifest(void **state)
{
	(void)state;
	assert_annotations("panic.json",
		"::warning title=submission::/work/main/submissions/examples/panic is a plain"
		" directory, not a git repository: graded as it is, with no commit to record"
		"\n"
		"::error file=ex4/exercise.yaml,title=ch01-ex4 correctness (13.3/20)::1 of 3 cases"
		" differ; first: case ex4/cases/missing_bmi.csv: the Python original exited 0 but"
		" the Rust port exited with status 101; the Rust port's last error output:%0A"
		"%0A"
		"thread 'main' (2) panicked at src/main.rs:20:59:%0A"
		"called `Result::unwrap()` on an `Err` value: ParseFloatError { kind: Empty }%0A"
		"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace%0A"
		"%0A"
		"run both programs on the case named above and compare their outputs"
		"\n"
		"::notice title=grader::64.3/90.0 points (71%25), pass at 60%25: NOT PASSED (a"
		" required check failed)"
		"\n");
}

static void test_correct_has_no_error_and_one_notice(void **state)
{
	(void)state;
	cJSON *r = load("correct.json");
	char *got = annotations(r);

	assert_int_equal(count_lines(got, "::error"), 0);
	assert_int_equal(count_lines(got, "::notice"), 1);
	assert_string_equal(got,
		"::warning title=submission::/work/main/submissions/examples/correct is a plain"
		" directory, not a git repository: graded as it is, with no commit to record"
		"\n"
		"::notice title=grader::90.0/90.0 points (100%25), pass at 60%25: PASSED"
		"\n");
	free(got);
	cJSON_Delete(r);
}

static bool is_failed(const cJSON *check)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(check, "status"));

	return s && (!strcmp(s, "fail") || !strcmp(s, "error"));
}

/* Every fixture: one ::error line per failed or erring check, each with its own title, and
 * nothing else that is an error (the fixtures have no report error and no submission error). */
static void test_every_failed_check_gives_exactly_one_error(void **state)
{
	(void)state;
	DIR *d = opendir(REPORTS);
	struct dirent *de;
	int fixtures = 0, all_failed = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		const cJSON *ex, *check;
		cJSON *r;
		char *got;
		int failed = 0;

		if (!strstr(de->d_name, ".json"))
			continue;
		r = load(de->d_name);
		got = annotations(r);
		cJSON_ArrayForEach(ex, cJSON_GetObjectItemCaseSensitive(r, "exercises"))
		{
			cJSON_ArrayForEach(check, cJSON_GetObjectItemCaseSensitive(ex, "checks"))
			{
				struct buf title = BUF_INIT;
				if (!is_failed(check))
					continue;
				buf_printf(&title, "title=%s %s (",
					   cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ex, "id")),
					   cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(check, "id")));
				assert_int_equal(count_in(got, title.data), 1);
				buf_free(&title);
				failed++;
			}
		}
		assert_int_equal(count_lines(got, "::error "), failed);
		assert_int_equal(count_lines(got, "::error"), failed);
		assert_int_equal(count_lines(got, "::notice title=grader::"), 1);
		all_failed += failed;
		fixtures++;
		free(got);
		cJSON_Delete(r);
	}
	closedir(d);
	assert_int_equal(fixtures, 7);
	assert_int_equal(all_failed, 4); /* compile-error, edge-case, panic, shells-out */
}

static void test_escapes_are_the_runners(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;

	assert_int_equal(view_github_escape_data(&b, "100% a\r\nb::c, d:e%0A"), 0);
	assert_string_equal(b.data, "100%25 a%0D%0Ab::c, d:e%250A");
	buf_reset(&b);
	assert_int_equal(view_github_escape_property(&b, "100% a\r\nb::c, d:e%0A"), 0);
	assert_string_equal(b.data, "100%25 a%0D%0Ab%3A%3Ac%2C d%3Ae%250A");
	buf_reset(&b);
	/* Everything else, UTF-8 included, is the runner's to show as it is. */
	assert_int_equal(view_github_escape_property(&b, "é=x y\t\"'<>"), 0);
	assert_string_equal(b.data, "é=x y\t\"'<>");
	buf_free(&b);
}

/* Hostile text everywhere a learner (or a damaged report) can put it. */
static const char crafted[] =
	"{\"learner\": \"<script>alert(1)</script>|`x`\","
	" \"score\": {\"points\": 13, \"max_points\": 20, \"pass_threshold\": 0.5, \"passed\": false},"
	" \"errors\": [\"sandbox: disk full\\n::error file=x::injected\"],"
	" \"submission\": {\"error\": \"100% refused: a,b\", \"warnings\": [\"3 files changed: a:b, c\"]},"
	" \"exercises\": [{\"id\": \"ex:1,x\", \"title\": \"T | <b>bold</b> & `code`\\nnext\","
	"   \"status\": \"fail\", \"points\": 0, \"max_points\": 10, \"file\": \"ex1/a.yaml\","
	"   \"checks\": ["
	"    {\"id\": \"ok\", \"status\": \"pass\", \"points\": 0, \"max_points\": 0, \"message\": \"fine\","
	"     \"hint\": null, \"evidence\": {}},"
	"    {\"id\": \"slow\", \"status\": \"inconclusive\", \"points\": 2.5, \"max_points\": 5,"
	"     \"message\": \"m\", \"hint\": null, \"evidence\": {}},"
	"    {\"id\": \"c%1\", \"status\": \"fail\", \"points\": 0, \"max_points\": 5,"
	"     \"message\": \"100% done\\r\\nnext:: line\", \"hint\": \"a,b:c\","
	"     \"evidence\": {\"file\": \"src/we:ird,name.rs\", \"line\": 3, \"column\": 4}},"
	"    {\"id\": \"later\", \"status\": \"skipped\", \"points\": 0, \"max_points\": 0,"
	"     \"message\": \"not run\", \"hint\": null, \"evidence\": {}}]}]}";

/* A report read from a file (grader show) may hold control characters the grader never writes:
 * none reaches the log, in the data or in a property; a tab is kept. */
static void test_control_characters_never_reach_the_log(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(view_github_escape_data(&b, "a\033[31mred\x01\x7f\tz"), 0);
	assert_string_equal(b.data, "a\xef\xbf\xbd[31mred\xef\xbf\xbd\xef\xbf\xbd\tz");
	buf_reset(&b);
	assert_int_equal(view_github_escape_property(&b, "f\033]0;x\x07.rs"), 0);
	assert_string_equal(b.data, "f\xef\xbf\xbd]0;x\xef\xbf\xbd.rs");
	buf_free(&b);
}

static void test_crafted_report_annotations_are_escaped(void **state)
{
	(void)state;
	cJSON *r = parse(crafted);
	char *got = annotations(r);

	assert_string_equal(got,
		"::error title=grader%3A infrastructure error::sandbox: disk full%0A::error file=x::injected\n"
		"::error title=submission not graded::100%25 refused: a,b\n"
		"::warning title=submission::3 files changed: a:b, c\n"
		"::warning file=ex1/a.yaml,title=ex%3A1%2Cx slow (2.5/5)::m\n"
		"::error file=src/we%3Aird%2Cname.rs,line=3,col=4,title=ex%3A1%2Cx c%251 (0/5)::"
		"100%25 done%0D%0Anext:: line%0Aa,b:c\n"
		"::notice title=grader::13.0/20.0 points (65%25), pass at 50%25: NOT PASSED (infrastructure error)\n");
	free(got);
	cJSON_Delete(r);
}

static void test_markdown_escape(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;

	assert_int_equal(view_github_escape_markdown(&b, "a\\|b *c* _d_ [e](f) ~g~ <h> & `i`\tj\r\nk\rl\x01m"), 0);
	assert_string_equal(b.data, "a\\\\\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\~g\\~ &lt;h&gt; &amp; &#96;i&#96; "
				    "j<br>k<br>l\xEF\xBF\xBDm");
	buf_reset(&b);
	assert_int_equal(view_github_escape_markdown(&b, "plain text, é: 1.5x"), 0);
	assert_string_equal(b.data, "plain text, é: 1.5x");
	buf_free(&b);
}

/* The number of unescaped pipes in a line: the cells of a table row, plus one. */
static int pipes(const char *line, size_t n)
{
	int k = 0;

	for (size_t i = 0; i < n; i++) {
		if (line[i] == '\\')
			i++;
		else
			k += line[i] == '|';
	}
	return k;
}

static void test_crafted_summary_keeps_learner_text_in_its_place(void **state)
{
	(void)state;
	cJSON *r = parse(crafted);
	char *got = summary(r);

	assert_true(!strncmp(got,
			     "## grader: &lt;script&gt;alert(1)&lt;/script&gt;\\|&#96;x&#96;, 13.0/20.0 points "
			     "(65%), pass at 50%: NOT PASSED (infrastructure error)\n\n",
			     strlen("## grader: &lt;script&gt;alert(1)&lt;/script&gt;\\|&#96;x&#96;, 13.0/20.0 points "
				    "(65%), pass at 50%: NOT PASSED (infrastructure error)\n\n")));
	assert_non_null(strstr(got, "### Errors and warnings\n\n"
				    "- infrastructure error (not your fault): sandbox: disk full<br>::error file=x::injected\n"
				    "- the submission could not be graded: 100% refused: a,b\n"
				    "- warning: 3 files changed: a:b, c\n\n"));
	assert_non_null(strstr(got, "\n| ex:1,x | T \\| &lt;b&gt;bold&lt;/b&gt; &amp; &#96;code&#96;<br>next | fail | 0/10 |\n"));
	/* The first thing to fix is the failed check, not the inconclusive one before it. */
	assert_non_null(strstr(got, "### ex:1,x: the first thing to fix\n\n"
				    "**c%1** (fail, 0/5) in src/we:ird,name.rs:3:4: 100% done\n\n"
				    "Hint: a,b:c\n\n"));
	assert_null(strstr(got, "**slow**"));
	/* No raw HTML but the line breaks, no code span, and every table row has its four cells. */
	for (const char *p = strchr(got, '<'); p; p = strchr(p + 1, '<'))
		assert_true(!strncmp(p, "<br>", 4));
	assert_null(strchr(got, '`'));
	for (const char *line = got; *line;) {
		size_t n = strcspn(line, "\n");
		if (line[0] == '|' && pipes(line, n) != 0)
			assert_int_equal(pipes(line, n), 5);
		line += n + (line[n] == '\n');
	}
	free(got);
	cJSON_Delete(r);
}

static void test_first_thing_to_fix_follows_the_report_order(void **state)
{
	(void)state;
	cJSON *r = parse("{\"exercises\": [{\"id\": \"e\", \"status\": \"partial\", \"points\": 1, \"max_points\": 9,"
			 " \"checks\": ["
			 "  {\"id\": \"a\", \"status\": \"pass\", \"points\": 1, \"max_points\": 1, \"message\": \"A\"},"
			 "  {\"id\": \"b\", \"status\": \"inconclusive\", \"points\": 0, \"max_points\": 4, \"message\": \"B\\nmore\"},"
			 "  {\"id\": \"c\", \"status\": \"partial\", \"points\": 0, \"max_points\": 4, \"message\": \"C\"}]},"
			 " {\"id\": \"f\", \"status\": \"fail\", \"points\": 0, \"max_points\": 9, \"message\": \"f.yaml:2:3: bad key\","
			 "  \"file\": \"f.yaml\", \"unmet_requirements\": [\"g\", \"h\"], \"checks\": ["
			 "  {\"id\": \"g\", \"status\": \"error\", \"points\": 0, \"max_points\": 5,"
			 "   \"message\": \"not graded: f.yaml has errors\", \"hint\": \"fix it\"},"
			 "  {\"id\": \"h\", \"status\": \"fail\", \"points\": 0, \"max_points\": 4, \"message\": \"H\"},"
			 "  {\"id\": \"i\", \"status\": \"fail\", \"points\": 0, \"max_points\": 0, \"message\": \"I\","
			 "   \"evidence\": {\"file\": \"g.rs\", \"line\": 5}}]},"
			 " {\"id\": \"p\", \"status\": \"pass\", \"points\": 1, \"max_points\": 2, \"checks\": []},"
			 " {\"id\": \"x\", \"status\": \"error\", \"points\": 0, \"max_points\": 7, \"file\": \"x.yaml\","
			 "  \"message\": \"x.yaml:4:1: broken\\nx.yaml:9:2: also\", \"checks\": ["
			 "  {\"id\": \"y\", \"status\": \"skipped\", \"points\": 0, \"max_points\": 7, \"message\": \"Y\"}]},"
			 " {\"id\": \"s\", \"status\": \"partial\", \"points\": 1, \"max_points\": 2, \"checks\": ["
			 "  {\"id\": \"m\", \"status\": \"skipped\", \"points\": 0, \"max_points\": 1, \"message\": \"not measured\"}]}]}");
	char *got = summary(r), *ann = annotations(r);

	assert_non_null(strstr(got, "### e: the first thing to fix\n\n**b** (inconclusive, 0/4): B\n\n"));
	assert_non_null(strstr(got, "### f: the first thing to fix\n\nThe exercise: f.yaml:2:3: bad key\n\n"
				    "Required and not passed: g, h.\n\n"
				    "**g** (error, 0/5) in f.yaml:2:3: not graded: f.yaml has errors\n\nHint: fix it\n\n"));
	assert_non_null(strstr(got, "### s: the first thing to fix\n\nNo check failed: 1 check was skipped or "
				    "awaits review; the first, **m**: not measured\n\n"));
	/* The exercise's own message goes with its first failed check, which says to see it. */
	assert_non_null(strstr(ann, "::error file=f.yaml,line=2,col=3,title=f g (0/5)::not graded: f.yaml has "
				    "errors%0Af.yaml:2:3: bad key%0Afix it\n"
				    "::error file=f.yaml,line=2,col=3,title=f h (0/4)::H\n"
				    "::error file=g.rs,line=5,title=f i (0/0)::I\n"));
	/* An exercise that could not be graded, with no failed check to carry its message. */
	assert_non_null(strstr(ann, "::error file=x.yaml,line=4,col=1,title=x (0/7)::x.yaml:4:1: broken%0Ax.yaml:9:2: also\n"));
	assert_int_equal(count_in(ann, "title=x "), 1);
	/* Points short of the maximum are something to fix, whatever the status says. */
	assert_non_null(strstr(got, "### p: the first thing to fix\n\nNo check failed.\n\n"));
	free(got);
	free(ann);
	cJSON_Delete(r);
}

static void test_summary_of_the_examples(void **state)
{
	(void)state;
	cJSON *r = load("compile-error.json");
	char *got = summary(r);

	assert_true(!strncmp(got, "## grader: compile-error, 46.0/90.0 points (51%), pass at 60%: NOT PASSED\n\n",
			     strlen("## grader: compile-error, 46.0/90.0 points (51%), pass at 60%: NOT PASSED\n\n")));
	assert_non_null(strstr(got, "| ch01-ex4 | Convert a Python script to Rust | partial | 6/40 |\n"));
	assert_non_null(strstr(got, "### ch01-ex4: the first thing to fix\n\n"
				    "Required and not passed: build, correctness.\n\n"
				    "**build** (fail, 0/5) in ex4/rust/src/main.rs:37:27: the Rust port does not compile: "
				    "1 error, the first at src/main.rs:37:27\n\n"
				    "Hint: the compiler's own message is in the evidence (rendered); fix the first error first\n\n"));
	assert_null(strstr(got, "E0597")); /* the message's first line only */
	assert_null(strstr(got, "ch01-ex1: the first")); /* passed in full */
	assert_null(strstr(got, "Speed and memory")); /* graded --no-perf */
	free(got);
	cJSON_Delete(r);

	r = load("correct.json");
	got = summary(r);
	assert_true(!strncmp(got, "## grader: correct, 90.0/90.0 points (100%), pass at 60%: PASSED\n\n",
			     strlen("## grader: correct, 90.0/90.0 points (100%), pass at 60%: PASSED\n\n")));
	assert_null(strstr(got, "the first thing to fix"));
	assert_non_null(strstr(got, "### Speed and memory\n\n"
				    "| exercise | Rust's speed-up (interval) | median CPU time, Python / Rust | peak memory, Python / Rust |\n"
				    "| --- | ---: | ---: | ---: |\n"
				    "| ch01-ex2 | 25.9x (25.0x to 27.2x) | 564 ms / 21.8 ms | 21.5 MiB / 4.8 MiB (ratio 0.22) |\n"
				    "| ch01-ex4 | 5.65x (4.21x to 7.93x) | 547 ms / 96.8 ms | 57.9 MiB / 19.7 MiB (ratio 0.34) |\n"));
	free(got);
	cJSON_Delete(r);
}

/* Reports that are older, damaged or not reports at all give what can be shown. */
static void test_damaged_reports_do_not_crash(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{}",
		"[]",
		"null",
		"\"report\"",
		"{\"score\": 1, \"exercises\": \"x\", \"errors\": {}, \"submission\": []}",
		"{\"score\": {\"points\": \"9\", \"passed\": 1}, \"learner\": 7, \"errors\": [1, null, \"e\"],"
		" \"submission\": {\"error\": 5, \"warnings\": [false]}}",
		"{\"exercises\": [null, 1, {}, {\"checks\": null}, {\"checks\": [null, 1, {},"
		" {\"status\": 5}, {\"status\": \"fail\", \"evidence\": [], \"points\": \"x\"},"
		" {\"status\": \"error\", \"evidence\": {\"file\": 3, \"line\": -4}},"
		" {\"status\": \"partial\", \"evidence\": {\"file\": \"f\", \"line\": 1e300, \"column\": 2}},"
		" {\"id\": \"performance\", \"status\": \"pass\", \"evidence\": {\"measurement\": {\"speedup\": {\"estimate\": 2}}}},"
		" {\"id\": \"memory\", \"status\": \"pass\", \"evidence\": {\"python_peak_bytes\": 1e300, \"rust_peak_bytes\": 1}}"
		"]}]}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *r = parse(bad[i]);
		char *ann = annotations(r), *sum = summary(r);
		const char *last = strstr(ann, "::notice title=grader::");

		assert_non_null(last);
		assert_string_equal(strchr(last, '\n'), "\n"); /* the last line */
		assert_true(!strncmp(sum, "## grader: ", 11));
		free(ann);
		free(sum);
		cJSON_Delete(r);
	}

	/* The damaged checks that failed are still told, with what is known of them. */
	cJSON *r = parse(bad[6]);
	char *ann = annotations(r), *sum = summary(r);
	assert_string_equal(ann, "::error title=exercise check (0/0)::failed\n"
				 "::error title=exercise check (0/0)::failed\n"
				 "::warning file=f,title=exercise check (0/0)::failed\n"
				 "::notice title=grader::0.0/0.0 points (0%25), pass at 0%25: NOT PASSED\n");
	assert_non_null(strstr(sum, "| ? |  | ? | 0/0 |\n"));
	assert_non_null(strstr(sum, "| ? | 2.00x | - | "));
	assert_non_null(strstr(sum, " GiB / 0 KiB |\n"));
	free(ann);
	free(sum);
	cJSON_Delete(r);

	ann = annotations(NULL);
	assert_string_equal(ann, "::notice title=grader::0.0/0.0 points (0%25), pass at 0%25: NOT PASSED\n");
	free(ann);
	sum = summary(NULL);
	assert_string_equal(sum, "## grader: unknown learner, 0.0/0.0 points (0%), pass at 0%: NOT PASSED\n\n"
				 "| exercise | title | status | points |\n| --- | --- | --- | ---: |\n\n");
	free(sum);
}

/* A buffer at its maximum gets nothing, not half a command or half a table. */
static void test_maximum_appends_nothing(void **state)
{
	(void)state;
	cJSON *r = load("compile-error.json");
	struct buf out = BUF_INIT_MAX(200);

	buf_puts(&out, "before\n");
	assert_int_equal(view_github_annotations(r, &out), -1);
	assert_string_equal(out.data, "before\n");
	assert_int_equal(view_github_summary(r, &out), -1);
	assert_string_equal(out.data, "before\n");
	buf_free(&out);
	cJSON_Delete(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile_error_is_an_error_on_the_line_that_does_not_compile),
		cmocka_unit_test(test_edge_case_is_an_error_on_the_manifest),
		cmocka_unit_test(test_panic_is_an_error_on_the_manifest),
		cmocka_unit_test(test_correct_has_no_error_and_one_notice),
		cmocka_unit_test(test_every_failed_check_gives_exactly_one_error),
		cmocka_unit_test(test_escapes_are_the_runners),
		cmocka_unit_test(test_control_characters_never_reach_the_log),
		cmocka_unit_test(test_crafted_report_annotations_are_escaped),
		cmocka_unit_test(test_markdown_escape),
		cmocka_unit_test(test_crafted_summary_keeps_learner_text_in_its_place),
		cmocka_unit_test(test_first_thing_to_fix_follows_the_report_order),
		cmocka_unit_test(test_summary_of_the_examples),
		cmocka_unit_test(test_damaged_reports_do_not_crash),
		cmocka_unit_test(test_maximum_appends_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
