/* test_views_junit.c: the JUnit XML view on every example report and on a hostile one. With
 * GRADER_VIEWS_OUT=DIR it also writes each document to DIR/junit-NAME.xml (and the hostile report
 * to DIR/report-hostile.json), which tests/e2e/views_junit.sh parses with Python's xml.etree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "views/junit.h"
#include "views_fixtures.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The value of attribute `name` in the first element that starts with `tag` (e.g. "<testsuites"). */
static int attr_int(const char *doc, const char *tag, const char *name)
{
	const char *p = strstr(doc, tag), *end;
	char pat[64];

	assert_non_null(p);
	end = strchr(p, '>');
	snprintf(pat, sizeof(pat), " %s=\"", name);
	p = strstr(p, pat);
	assert_true(p && p < end);
	return (int)strtol(p + strlen(pat), NULL, 10);
}

/* Nothing XML 1.0 forbids: no control byte but TAB and LF, no "]]>" in text, no CDATA. */
static void assert_clean(const struct buf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];
		if (c < 0x20 && c != '\t' && c != '\n')
			fail_msg("control byte 0x%02x at offset %zu", c, i);
	}
	assert_null(strstr(b->data, "]]>"));
	assert_null(strstr(b->data, "<![CDATA["));
}

static void render(const char *name, const cJSON *report, struct buf *out)
{
	struct buf file = BUF_INIT;

	assert_int_equal(view_junit(report, out), 0);
	buf_printf(&file, "junit-%s.xml", name);
	assert_int_equal(fixture_write(file.data, out->data, out->len), 0);
	buf_free(&file);
}

static void test_every_fixture(void **state)
{
	(void)state;
	for (int i = 0; fixture_names[i]; i++) {
		cJSON *r = fixture_load(fixture_names[i]);
		struct buf out = BUF_INIT;
		int fails;

		assert_non_null(r);
		render(fixture_names[i], r, &out);
		assert_clean(&out);
		assert_true(!strncmp(out.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ",
				      strlen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ")));
		assert_int_equal(count(out.data, "<testcase "), count_status(r, NULL));
		assert_int_equal(count(out.data, "<testsuite "), 4);
		fails = count_status(r, "fail") + count_status(r, "partial") + count_status(r, "inconclusive") +
			count_status(r, "review");
		assert_int_equal(attr_int(out.data, "<testsuites", "tests"), count_status(r, NULL));
		assert_int_equal(attr_int(out.data, "<testsuites", "failures"), fails);
		assert_int_equal(attr_int(out.data, "<testsuites", "errors"), count_status(r, "error"));
		assert_int_equal(count(out.data, "<failure "), fails);
		assert_int_equal(count(out.data, "<skipped "), count_status(r, "skipped"));
		assert_non_null(strstr(out.data, " timestamp=\"2026-"));
		assert_null(strstr(out.data, "name=\"grader\""));
		cJSON_Delete(r);
		buf_free(&out);
	}
}

static void test_statuses_and_points(void **state)
{
	cJSON *r = fixture_load("compile-error");
	struct buf out = BUF_INIT;
	(void)state;

	render("compile-error", r, &out);
	/* ch01-ex4's build failed: a failure of type "fail" with the compiler's place in its evidence. */
	assert_non_null(strstr(out.data, "<testcase classname=\"ch01-ex4\" name=\"build\">\n      <failure message=\""));
	assert_non_null(strstr(out.data, "type=\"fail\">"));
	assert_non_null(strstr(out.data, "\n\nevidence:\n{\n\t&quot;wall_seconds&quot;:\t"));
	assert_non_null(strstr(out.data, "<system-out>points: 0/5</system-out>"));
	assert_non_null(strstr(out.data, "<skipped message=\"not measured (--no-perf)\"/>"));
	assert_non_null(strstr(out.data, "<system-out>points: 6/40, status: partial\nunmet requirements: build, correctness</system-out>"));
	assert_non_null(strstr(out.data, "<testsuites name=\"compile-error: ch01\" tests=\"23\" failures=\"1\" errors=\"0\" time=\"0.850\">"));
	cJSON_Delete(r);
	buf_reset(&out);

	r = fixture_load("edge-case");
	render("edge-case", r, &out);
	assert_non_null(strstr(out.data, "<system-out>points: 15.83/20</system-out>"));
	assert_non_null(strstr(out.data, "<system-out>points: 26.83/40, status: partial\n"));
	cJSON_Delete(r);
	buf_free(&out);
}

static void test_hostile_report_is_escaped(void **state)
{
	cJSON *r = hostile_report();
	struct buf out = BUF_INIT;
	char *json;
	(void)state;

	assert_non_null(r);
	json = cJSON_Print(r);
	assert_int_equal(fixture_write("report-hostile.json", json, strlen(json)), 0);
	cJSON_free(json);
	render("hostile", r, &out);
	assert_clean(&out);
	assert_null(strstr(out.data, "<script>"));
	assert_null(strstr(out.data, "<b>"));
	/* In an attribute: every special character an entity, CR LF TAB as character references. */
	assert_non_null(strstr(out.data, "message=\"&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; 100% %s %n :: "
					 "]]&gt; &quot;quoted&quot; &apos;single&apos; a,b;c: d&#13;&#10;::error "
					 "file=x::owned&#9;TAB &amp; &amp;amp; \xEF\xBF\xBD\xEF\xBF\xBD[2J\x7f end\""));
	/* In text: LF and TAB kept, CR as a reference (a parser would drop it). */
	assert_non_null(strstr(out.data, ">&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; 100% %s %n :: ]]&gt; "
					 "&quot;quoted&quot; &apos;single&apos; a,b;c: d&#13;\n::error file=x::owned\tTAB"));
	assert_non_null(strstr(out.data, "<testsuites name=\"eve&lt;&amp;&gt;&quot;&apos;: ch01\""));
	/* The report's own errors: a suite of their own, one error testcase each. */
	assert_non_null(strstr(out.data, "<testsuite name=\"grader\" tests=\"3\" failures=\"0\" errors=\"3\" skipped=\"0\""));
	assert_non_null(strstr(out.data, "<testcase classname=\"grader\" name=\"submission\">\n      <error message=\"&lt;script&gt;"));
	assert_non_null(strstr(out.data, "<testcase classname=\"grader\" name=\"infrastructure error 2\">\n      <error message=\"disk full\" type=\"infrastructure\">disk full</error>"));
	assert_int_equal(attr_int(out.data, "<testsuites", "errors"), 3);
	assert_int_equal(attr_int(out.data, "<testsuites", "tests"), count_status(r, NULL) + 3);
	/* The hidden case's message is in the evidence, as the report has it: JUnit is for staff. */
	assert_non_null(strstr(out.data, "&quot;message&quot;:\t&quot;HIDDEN-SECRET the Rust port crashed"));
	cJSON_Delete(r);
	buf_free(&out);
}

static void test_odd_values(void **state)
{
	const char *doc = "{\"learner\": \"x\", \"duration_seconds\": -3, \"exercises\": [{\"id\": \"e\","
			  " \"time\": {\"seconds\": 1e300}, \"points\": \"many\", \"checks\": [{\"id\": \"c\","
			  " \"status\": \"brand-new\", \"points\": 1.005, \"max_points\": 2, \"evidence\": []},"
			  " {\"status\": \"error\"}, 7]}], \"errors\": [3, \"boom\"]}";
	cJSON *r = cJSON_Parse(doc);
	struct buf out = BUF_INIT;
	(void)state;

	/* A status this view does not know is not a pass; missing fields get defaults; numbers the
	 * schema's time pattern cannot carry are clamped. */
	render("odd", r, &out);
	assert_non_null(strstr(out.data, "<failure message=\"brand-new\" type=\"brand-new\">"));
	assert_non_null(strstr(out.data, "<testcase classname=\"e\" name=\"?\">\n      <error message=\"error\" type=\"error\">"));
	assert_non_null(strstr(out.data, "time=\"1000000000.000\""));
	assert_non_null(strstr(out.data, "<testsuites name=\"x: ?\" tests=\"4\" failures=\"2\" errors=\"2\" time=\"0.000\">"));
	assert_non_null(strstr(out.data, "<system-out>points: 0/0, status: ?</system-out>"));
	cJSON_Delete(r);
	buf_free(&out);
}

static void test_buffer_maximum(void **state)
{
	cJSON *r = fixture_load("correct");
	struct buf out = BUF_INIT_MAX(1024), all = BUF_INIT;
	(void)state;

	assert_int_equal(view_junit(r, &out), -1);
	assert_true(out.len <= 1024);
	assert_int_equal(view_junit(r, &all), 0);
	assert_true(all.len > 1024);
	cJSON_Delete(r);
	buf_free(&out);
	buf_free(&all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fixture),
		cmocka_unit_test(test_statuses_and_points),
		cmocka_unit_test(test_hostile_report_is_escaped),
		cmocka_unit_test(test_odd_values),
		cmocka_unit_test(test_buffer_maximum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
