/* test_views_html.c: unit tests of views/html.c and views/svg.c: the pages of the example reports,
 * the first difference marked, the charts, escaping of hostile text, the buffer's maximum and the
 * class page. With VIEWS_OUT=DIR it also writes every page there (NAME.html, hostile.html,
 * class.html) for tests/e2e/views_html.sh to open in Chromium; VIEWS_PORT is the port the hostile
 * report's links name (a server the suite watches). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "fs.h"
#include "views/html.h"
#include "views_fixtures.h"

#define NFIX (sizeof(fixture_names) / sizeof(fixture_names[0]) - 1)

/* Writes a page under $VIEWS_OUT when it is set. */
static void keep(const char *name, const struct buf *page)
{
	const char *dir = getenv("VIEWS_OUT");
	struct buf path = BUF_INIT;

	if (!dir || !*dir)
		return;
	buf_printf(&path, "%s/%s.html", dir, name);
	assert_int_equal(fs_write_atomic(path.data, page->data, page->len), 0);
	buf_free(&path);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* What every page must be: self-contained, no script, nothing that fetches, tags balanced. */
static void assert_page(const char *p)
{
	assert_non_null(strstr(p, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
				  "style-src 'unsafe-inline'; img-src data:\">"));
	assert_null(strstr(p, "<script"));
	assert_null(strstr(p, "<link"));
	assert_null(strstr(p, "<img"));
	assert_null(strstr(p, " src=\""));
	/* one style sheet, ours, in the head, and it fetches nothing */
	assert_int_equal(count(p, "<style>"), 1);
	assert_true(strstr(p, "<style>") < strstr(p, "</head>"));
	assert_null(memmem(strstr(p, "<style>"), (size_t)(strstr(p, "</style>") - strstr(p, "<style>")), "url(", 4));
	for (const char *h = strstr(p, " href=\""); h; h = strstr(h + 1, " href=\""))
		assert_int_equal(h[7], '#'); /* links within the page only */
	assert_int_equal(count(p, "<svg"), count(p, "</svg>"));
	assert_int_equal(count(p, "<title"), count(p, "</title>"));
	assert_int_equal(count(p, "<details>"), count(p, "</details>"));
	assert_int_equal(count(p, "<mark>"), count(p, "</mark>"));
	assert_int_equal(count(p, "<table>"), count(p, "</table>"));
	assert_non_null(strstr(p, "</html>\n"));
}

static void test_every_example_report_gives_a_page(void **state)
{
	(void)state;
	for (size_t i = 0; i < NFIX; i++) {
		cJSON *r = fixture_load(fixture_names[i]), *ex, *c;
		struct buf page = BUF_INIT, want = BUF_INIT;

		assert_int_equal(view_html(r, &page), 0);
		assert_page(page.data);
		buf_printf(&want, "<h1>%s</h1>", cJSON_GetObjectItem(r, "learner")->valuestring);
		assert_non_null(strstr(page.data, want.data));
		assert_non_null(strstr(page.data, cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "score"),
										   "passed"))
							  ? "PASSED</span>"
							  : "NOT PASSED</span>"));
		cJSON_ArrayForEach(ex, cJSON_GetObjectItem(r, "exercises"))
			cJSON_ArrayForEach(c, cJSON_GetObjectItem(ex, "checks"))
		{
			buf_reset(&want);
			buf_printf(&want, "<code>%s</code>", cJSON_GetObjectItem(c, "id")->valuestring);
			assert_non_null(strstr(page.data, want.data));
		}
		keep(fixture_names[i], &page);
		buf_free(&page);
		buf_free(&want);
		cJSON_Delete(r);
	}
}

static void test_score_and_verdict(void **state)
{
	cJSON *r = fixture_load("edge-case");
	struct buf page = BUF_INIT;

	(void)state;
	assert_int_equal(view_html(r, &page), 0);
	assert_non_null(strstr(page.data, "NOT PASSED</span> <strong>score 66.83 / 90</strong> (74.3%; 60% needed"));
	assert_non_null(strstr(page.data, "<dt>Commit</dt><dd>none recorded</dd>"));
	assert_non_null(strstr(page.data, "Requirements not met: <code>correctness</code>"));
	/* the one check that did not pass (skipped ones aside) heads the page, linked to its place */
	assert_int_equal(count(page.data, "<ul class=\"todo\">\n<li>"), 1);
	assert_int_equal(count(page.data, "</a>: "), 1);
	assert_non_null(strstr(page.data, "<a href=\"#ex4-c4\">ch01-ex4 &rsaquo; correctness</a>: 5 of 24 cases "
					  "differ; first: case generated seed 2: standard output differs: line 11, column 5: "
					  "expected &quot;11. Dune 8 1.50&quot; but got &quot;11. Zodiac 10 1.50&quot;</li>"));
	assert_non_null(strstr(page.data, "<li class=\"check\" id=\"ex4-c4\"><h3><span class=\"badge st-fail\">"));
	buf_free(&page);
	cJSON_Delete(r);

	/* a page where everything passed has no such list */
	r = fixture_load("correct");
	assert_int_equal(view_html(r, &page), 0);
	assert_null(strstr(page.data, "Needs attention"));
	buf_free(&page);
	cJSON_Delete(r);
}

static void test_first_difference_is_marked(void **state)
{
	cJSON *r = fixture_load("edge-case");
	struct buf page = BUF_INIT;

	(void)state;
	assert_int_equal(view_html(r, &page), 0);
	/* the first different case only (seed 2), not seed 5's */
	assert_int_equal(count(page.data, "class=\"diff\""), 1);
	assert_non_null(strstr(page.data, "case <strong>generated seed 2</strong>, line 11, column 5"));
	assert_non_null(strstr(page.data, "<span>expected</span><code>11. <mark>Dune 8 1.50</mark></code>"));
	assert_non_null(strstr(page.data, "<span>got</span><code>11. <mark>Zodiac 10 1.50</mark></code>"));
	buf_free(&page);
	cJSON_Delete(r);
}

/* A minimal report with one correctness check whose first different case has these excerpts. */
static cJSON *difference_report(const char *expected, const char *actual)
{
	cJSON *r = cJSON_Parse("{\"learner\":\"x\",\"exercises\":[{\"id\":\"e\",\"checks\":[{\"id\":\"correctness\","
			       "\"status\":\"fail\",\"evidence\":{\"cases\":[{\"name\":\"a\",\"result\":\"same\"},"
			       "{\"name\":\"b\",\"result\":\"different\"}]}}]}]}");
	cJSON *ex = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "exercises"), 0);
	cJSON *check = cJSON_GetArrayItem(cJSON_GetObjectItem(ex, "checks"), 0);
	cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(check, "evidence"), "cases");

	c = cJSON_GetArrayItem(c, 1);
	cJSON_AddStringToObject(c, "expected_excerpt", expected);
	cJSON_AddStringToObject(c, "actual_excerpt", actual);
	return r;
}

static void test_mark_never_splits_a_character(void **state)
{
	/* é is C3 A9, è is C3 A8: they differ in their second byte */
	cJSON *r = difference_report("caf\xc3\xa9 <au> lait", "caf\xc3\xa8 <au> lait");
	struct buf page = BUF_INIT;

	(void)state;
	assert_int_equal(view_html(r, &page), 0);
	assert_non_null(strstr(page.data, "<code>caf<mark>\xc3\xa9 &lt;au&gt; lait</mark></code>"));
	assert_non_null(strstr(page.data, "<code>caf<mark>\xc3\xa8 &lt;au&gt; lait</mark></code>"));
	buf_free(&page);
	cJSON_Delete(r);

	/* one line is the other's beginning: the shorter one says where it ends */
	r = difference_report("abc", "abcdef");
	assert_int_equal(view_html(r, &page), 0);
	assert_non_null(strstr(page.data, "<code>abc<mark>(line ends here)</mark></code>"));
	assert_non_null(strstr(page.data, "<code>abc<mark>def</mark></code>"));
	buf_free(&page);
	cJSON_Delete(r);
}

static void test_measurements_are_charted(void **state)
{
	cJSON *r = fixture_load("correct");
	struct buf page = BUF_INIT;

	(void)state;
	assert_int_equal(view_html(r, &page), 0);
	/* ex2 and ex4: runs, speedup, memory */
	assert_int_equal(count(page.data, "<svg "), 6);
	assert_int_equal(count(page.data, "role=\"img\" aria-labelledby="), 6);
	assert_int_equal(count(page.data, "<desc id="), 6);
	assert_int_equal(count(page.data, "<title id=\"chart"), 6);
	assert_non_null(strstr(page.data, "Python median 564 ms</text>"));
	assert_non_null(strstr(page.data, "Rust median 21.8 ms</text>"));
	assert_non_null(strstr(page.data, "CPU time of each of 22 runs"));
	assert_non_null(strstr(page.data, "required 1x</text>"));
	assert_non_null(strstr(page.data, "required 2x</text>"));
	assert_non_null(strstr(page.data, "estimate 25.9x (25x to 27.2x)</text>"));
	assert_non_null(strstr(page.data, "required: 2x, met."));
	assert_non_null(strstr(page.data, "Peak memory: Python 21.5 MiB, Rust 4.75 MiB"));
	assert_non_null(strstr(page.data, "limit for Rust 57.9 MiB</text>"));
	/* a report graded without measurements has no chart */
	cJSON_Delete(r);
	buf_reset(&page);
	r = fixture_load("edge-case");
	assert_int_equal(view_html(r, &page), 0);
	assert_null(strstr(page.data, "<svg"));
	buf_free(&page);
	cJSON_Delete(r);
}

static void test_required_speedup_read_from_an_older_message(void **state)
{
	cJSON *r = fixture_load("correct");
	cJSON *ex = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "exercises"), 3);
	cJSON *perf = NULL, *c;
	struct buf page = BUF_INIT;

	(void)state;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ex, "checks")) if (strcmp(cJSON_GetObjectItem(c, "id")->valuestring,
									    "performance") == 0) perf = c;
	assert_non_null(perf);
	cJSON_DeleteItemFromObject(cJSON_GetObjectItem(cJSON_GetObjectItem(perf, "evidence"), "measurement"),
				   "required_speedup");
	assert_int_equal(view_html(r, &page), 0);
	assert_non_null(strstr(page.data, "required 2x</text>"));
	buf_free(&page);
	cJSON_Delete(r);
}

#define HOSTILE                                                                                           \
	"<script>alert(1)</script> <img src=\"http://127.0.0.1:%s/img\"> "                                \
	"<link rel=\"stylesheet\" href=\"http://127.0.0.1:%s/css\"> <style>body{background:url(http://127.0.0.1:" \
	"%s/bg)}</style> %%s %%n :: ]]> \" ' &amp; a\r\nb, c: d\x01"

/* The correct report with hostile text in every kind of place a view writes: learner, ids,
 * titles, message, hint, excerpts, evidence keys and values. */
static cJSON *hostile_page_report(const char *port)
{
	cJSON *r = fixture_load("correct"), *ex, *c, *ev;
	struct buf h = BUF_INIT;

	buf_printf(&h, HOSTILE, port, port, port);
	cJSON_ReplaceItemInObject(r, "learner", cJSON_CreateString(h.data));
	ex = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "exercises"), 3);
	cJSON_ReplaceItemInObject(ex, "title", cJSON_CreateString(h.data));
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ex, "checks"))
	{
		if (strcmp(cJSON_GetObjectItem(c, "id")->valuestring, "correctness") != 0)
			continue;
		cJSON_ReplaceItemInObject(c, "message", cJSON_CreateString(h.data));
		cJSON_ReplaceItemInObject(c, "hint", cJSON_CreateString(h.data));
		cJSON_ReplaceItemInObject(c, "status", cJSON_CreateString(h.data));
		ev = cJSON_GetObjectItem(c, "evidence");
		cJSON_AddStringToObject(ev, h.data, h.data);
		c = cJSON_GetArrayItem(cJSON_GetObjectItem(ev, "cases"), 0);
		cJSON_ReplaceItemInObject(c, "result", cJSON_CreateString("different"));
		cJSON_ReplaceItemInObject(c, "name", cJSON_CreateString(h.data));
		cJSON_AddStringToObject(c, "expected_excerpt", h.data);
		cJSON_AddStringToObject(c, "actual_excerpt", "<script>alert(2)</script>");
		break;
	}
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(ex, "checks"), 0), "id",
				  cJSON_CreateString(h.data));
	buf_free(&h);
	return r;
}

static void test_hostile_text_is_escaped(void **state)
{
	const char *port = getenv("VIEWS_PORT");
	cJSON *r = hostile_page_report(port && *port ? port : "9");
	struct buf page = BUF_INIT;

	(void)state;
	assert_int_equal(view_html(r, &page), 0);
	assert_page(page.data);
	assert_null(strstr(page.data, "<style>body"));
	assert_null(strstr(page.data, "\x01"));
	assert_non_null(strstr(page.data, "<h1>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=&quot;http://"));
	assert_non_null(strstr(page.data, "%s %n :: ]]&gt; &quot; &#39; &amp;amp; a\r\nb, c: d\xef\xbf\xbd"));
	assert_non_null(strstr(page.data, "<code>&lt;script&gt;alert(<mark>2)&lt;/script&gt;</mark></code>"));
	/* in the page's title too */
	assert_non_null(strstr(page.data, "<title>Report: &lt;script&gt;"));
	keep("hostile", &page);
	buf_free(&page);
	cJSON_Delete(r);
}

static void test_buffer_maximum(void **state)
{
	cJSON *r = fixture_load("correct");
	const cJSON *all[1] = {r};
	struct buf page = BUF_INIT_MAX(20000);

	(void)state;
	buf_puts(&page, "kept");
	assert_int_equal(view_html(r, &page), -1);
	assert_string_equal(page.data, "kept");
	assert_int_equal(view_html_class(all, 1, &page), 0); /* a smaller page fits */
	page.max = page.len + 100;
	assert_int_equal(view_html_class(all, 1, &page), -1);
	buf_free(&page);
	cJSON_Delete(r);
}

static void test_damaged_reports_still_give_a_page(void **state)
{
	static const char *const damaged[] = {
		"{}",
		"[]",
		"{\"learner\":7,\"score\":\"high\",\"exercises\":{\"a\":1}}",
		"{\"exercises\":[7,{\"checks\":[null,{\"evidence\":{\"cases\":[{\"result\":\"different\"}],"
		"\"measurement\":{\"samples\":[{\"cpu\":-1},{\"cpu\":1e300}],\"speedup\":{\"estimate\":1e300,"
		"\"low\":-5,\"high\":0}}},\"python_peak_bytes\":1}]}]}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
		cJSON *r = cJSON_Parse(damaged[i]);
		const cJSON *all[2] = {r, NULL};
		struct buf page = BUF_INIT;

		assert_int_equal(view_html(r, &page), 0);
		assert_page(page.data);
		buf_reset(&page);
		assert_int_equal(view_html_class(all, 2, &page), 0);
		assert_page(page.data);
		buf_free(&page);
		cJSON_Delete(r);
	}
}

static void test_class_page(void **state)
{
	cJSON *r[NFIX + 1];
	const cJSON *all[NFIX + 1];
	struct buf page = BUF_INIT;
	const char *rate1, *rate2, *rate3;

	(void)state;
	for (size_t i = 0; i < NFIX; i++)
		all[i] = r[i] = fixture_load(fixture_names[i]);
	assert_int_equal(view_html_class(all, NFIX, &page), 0);
	assert_page(page.data);
	assert_non_null(strstr(page.data, "<strong>7 learners</strong>, 3 passed, 4 did not pass."));
	/* the histogram: 0.51, 0.57 | 0.71, 0.74, 0.79, 0.79 | 1.0 */
	assert_non_null(strstr(page.data, "50-60%: 2, 60-70%: 0, 70-80%: 4, 80-90%: 0, 90-100%: 1. Pass threshold: 60%."));
	/* failure rates, highest first: correctness 3 of 6 graded, then build 1 of 7, then 0% */
	rate1 = strstr(page.data, "<code>correctness</code></td><td class=\"num\">3 / 6</td><td class=\"num\">50%</td>");
	rate2 = strstr(page.data, "<code>build</code></td><td class=\"num\">1 / 7</td><td class=\"num\">14%</td>");
	rate3 = strstr(page.data, "0 / 7</td>");
	assert_non_null(rate1);
	assert_non_null(rate2);
	assert_non_null(rate3);
	assert_true(rate1 < rate2 && rate2 < rate3);
	/* the speedups: only correct.json was measured */
	assert_non_null(strstr(page.data, "ch01-ex2: 1 measured, required 1x (25.9x). ch01-ex4: 1 measured, required 2x (5.65x)."));
	assert_non_null(strstr(page.data, "<title>correct: 25.9x</title>"));
	/* the learners */
	assert_non_null(strstr(page.data, "<tr><td>edge-case</td><td class=\"num\">66.83 / 90</td><td class=\"num\">74.3</td>"
					  "<td><span class=\"badge st-fail\">\xe2\x9c\x97 NOT PASSED</span>"));
	keep("class", &page);
	buf_free(&page);

	/* a hostile learner name on the class page */
	r[NFIX] = hostile_page_report("9");
	all[NFIX] = r[NFIX];
	assert_int_equal(view_html_class(all, NFIX + 1, &page), 0);
	assert_page(page.data);
	assert_non_null(strstr(page.data, "<title>&lt;script&gt;alert(1)"));
	buf_free(&page);
	for (size_t i = 0; i <= NFIX; i++)
		cJSON_Delete(r[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_example_report_gives_a_page),
		cmocka_unit_test(test_score_and_verdict),
		cmocka_unit_test(test_first_difference_is_marked),
		cmocka_unit_test(test_mark_never_splits_a_character),
		cmocka_unit_test(test_measurements_are_charted),
		cmocka_unit_test(test_required_speedup_read_from_an_older_message),
		cmocka_unit_test(test_hostile_text_is_escaped),
		cmocka_unit_test(test_buffer_maximum),
		cmocka_unit_test(test_damaged_reports_still_give_a_page),
		cmocka_unit_test(test_class_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
