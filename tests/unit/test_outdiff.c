/* test_outdiff.c: unit tests of outdiff.c: every mode, its equivalences, where a difference is
 * reported, and bounded safe results on hostile and large outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outdiff.h"
#include "text.h"

static struct outdiff_result R;

static const struct outdiff_result *cmp_tol(enum outdiff_mode mode, const char *e, size_t elen,
					    const char *a, size_t alen, double abs_tol, double rel_tol)
{
	struct outdiff_options o = {.mode = mode, .abs_tol = abs_tol, .rel_tol = rel_tol};

	outdiff_result_free(&R);
	assert_int_equal(outdiff_outputs(&o, e, elen, a, alen, &R), 0);
	if (!R.equal) {
		assert_non_null(R.message);
		assert_non_null(R.expected_excerpt);
		assert_non_null(R.actual_excerpt);
		assert_int_not_equal(R.kind, OUTDIFF_SAME);
	} else {
		assert_int_equal(R.kind, OUTDIFF_SAME);
		assert_null(R.message);
	}
	return &R;
}

static const struct outdiff_result *cmp(enum outdiff_mode mode, const char *e, const char *a)
{
	return cmp_tol(mode, e, strlen(e), a, strlen(a), 1e-9, 1e-6);
}

static int same(enum outdiff_mode mode, const char *e, const char *a)
{
	return cmp(mode, e, a)->equal;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

/* The first line of a message: its sentence, without the lines shown under it. */
static const char *sentence(const char *msg)
{
	static char line[4096];
	size_t n = strcspn(msg, "\n");

	assert_true(n < sizeof(line));
	memcpy(line, msg, n);
	line[n] = '\0';
	return line;
}

static int teardown(void **state)
{
	(void)state;
	outdiff_result_free(&R);
	return 0;
}

/* A string is safe when it is valid UTF-8 without NUL, ESC, DEL or C1 controls. */
static void assert_safe(const char *s)
{
	size_t n = strlen(s), pos = 0;
	long cp;

	while (pos < n) {
		pos += text_decode(s + pos, n - pos, &cp);
		assert_true(cp > 0 && cp != 0x1B && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F));
	}
}

static void assert_result_safe(const struct outdiff_result *r, size_t excerpt_max)
{
	if (r->equal)
		return;
	assert_safe(r->message);
	assert_safe(r->expected_excerpt);
	assert_safe(r->actual_excerpt);
	assert_true(strlen(r->message) <= 4096);
	assert_true(strlen(r->expected_excerpt) <= excerpt_max);
	assert_true(strlen(r->actual_excerpt) <= excerpt_max);
	if (r->json_path)
		assert_safe(r->json_path);
	if (r->csv_column)
		assert_safe(r->csv_column);
}

/* ---- names and options ---- */

static void test_mode_names_parse_and_list(void **state)
{
	(void)state;
	enum outdiff_mode m = OUTDIFF_EXACT;
	const char *names[] = {"exact", "lines", "tokens", "numeric", "unordered-lines", "json", "csv"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(outdiff_mode_parse(names[i], &m), 0);
		assert_int_equal(m, (enum outdiff_mode)i);
		assert_string_equal(outdiff_mode_name(m), names[i]);
		assert_contains(OUTDIFF_MODE_NAMES, names[i]);
		assert_string_equal(outdiff_mode_names[i], names[i]);
	}
	assert_null(outdiff_mode_names[sizeof(names) / sizeof(names[0])]);
	m = OUTDIFF_CSV;
	assert_int_equal(outdiff_mode_parse("numerc", &m), -1);
	assert_int_equal(outdiff_mode_parse("Exact", &m), -1);
	assert_int_equal(outdiff_mode_parse("", &m), -1);
	assert_int_equal(outdiff_mode_parse(NULL, &m), -1);
	assert_int_equal(m, OUTDIFF_CSV);
	assert_string_equal(outdiff_mode_name((enum outdiff_mode)99), "?");
}

static void test_tolerance_parse(void **state)
{
	(void)state;
	double v = 7;

	assert_int_equal(outdiff_tolerance_parse("1e-9", &v), 0);
	assert_true(v == 1e-9);
	assert_int_equal(outdiff_tolerance_parse("0.001", &v), 0);
	assert_true(v == 0.001);
	assert_int_equal(outdiff_tolerance_parse("0", &v), 0);
	assert_true(v == 0);
	v = 7;
	assert_int_equal(outdiff_tolerance_parse("-1e-3", &v), -1);
	assert_int_equal(outdiff_tolerance_parse("nan", &v), -1);
	assert_int_equal(outdiff_tolerance_parse("inf", &v), -1);
	assert_int_equal(outdiff_tolerance_parse("1e-3x", &v), -1);
	assert_int_equal(outdiff_tolerance_parse("", &v), -1);
	assert_true(v == 7);
}

static void test_invalid_options_are_refused(void **state)
{
	(void)state;
	struct outdiff_options o = {.mode = OUTDIFF_NUMERIC, .abs_tol = -1};
	struct outdiff_result r;

	assert_int_equal(outdiff_outputs(&o, "1", 1, "1", 1, &r), -1);
	outdiff_result_free(&r);
	o.abs_tol = 0;
	o.rel_tol = 0.0 / 0.0;
	assert_int_equal(outdiff_outputs(&o, "1", 1, "1", 1, &r), -1);
	outdiff_result_free(&r);
	o.rel_tol = 0;
	o.mode = (enum outdiff_mode)42;
	assert_int_equal(outdiff_outputs(&o, "1", 1, "1", 1, &r), -1);
	outdiff_result_free(&r);
}

/* ---- exact ---- */

static void test_exact(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	assert_true(same(OUTDIFF_EXACT, "", ""));
	assert_true(cmp_tol(OUTDIFF_EXACT, NULL, 0, NULL, 0, 0, 0)->equal);
	assert_true(same(OUTDIFF_EXACT, "a\nb\n", "a\nb\n"));
	r = cmp(OUTDIFF_EXACT, "one\ntwo three\n", "one\ntwo thrEe\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_CONTENT);
	assert_int_equal(r->expected_line, 2);
	assert_int_equal(r->expected_column, 8);
	assert_int_equal(r->actual_line, 2);
	assert_int_equal(r->actual_column, 8);
	assert_string_equal(r->expected_excerpt, "two three");
	assert_string_equal(r->actual_excerpt, "two thrEe");
	/* the lines in full, never the rest of the output from the difference on */
	assert_string_equal(r->message, "line 2, column 8: expected \"two three\" but got \"two thrEe\"\n"
					"  expected: two three\n"
					"  got:      two thrEe\n"
					"                   ^");
	/* Columns count characters, and a difference inside a character points at its start. */
	r = cmp(OUTDIFF_EXACT, "é=é", "é=è");
	assert_int_equal(r->expected_column, 3);
	r = cmp(OUTDIFF_EXACT, "abc", "abcd");
	assert_int_equal(r->kind, OUTDIFF_DIFF_EXTRA);
	assert_int_equal(r->expected_line, 0);
	assert_int_equal(r->actual_column, 4);
	assert_string_equal(r->expected_excerpt, "");
	r = cmp(OUTDIFF_EXACT, "abc\n", "abc");
	assert_int_equal(r->kind, OUTDIFF_DIFF_MISSING);
	assert_contains(r->message, "the output ends here, expected \"\\n\"");
	assert_contains(r->message, "only line endings or trailing whitespace differ");
	r = cmp(OUTDIFF_EXACT, "a\nb\n", "a\r\nb\r\n");
	assert_contains(r->message, "line 1, column 2");
	assert_contains(r->message, "only line endings");
}

/* ---- lines ---- */

static void test_lines_normalisation(void **state)
{
	(void)state;
	assert_true(same(OUTDIFF_LINES, "a\nb\n", "a\nb"));
	assert_true(same(OUTDIFF_LINES, "a\nb\n", "a  \r\nb\t\r\n"));
	assert_true(same(OUTDIFF_LINES, "", "\n"));
	assert_true(same(OUTDIFF_LINES, "", "\r\n"));
	assert_true(same(OUTDIFF_LINES, "x \n", "x"));
	assert_false(same(OUTDIFF_LINES, "a\n", "a\n\n"));   /* only one final newline is ignored */
	assert_false(same(OUTDIFF_LINES, " a", "a"));         /* leading whitespace counts */
	assert_false(same(OUTDIFF_LINES, "a b", "a  b"));
	assert_false(same(OUTDIFF_LINES, "", " x"));
}

static void test_lines_report_where(void **state)
{
	(void)state;
	const struct outdiff_result *r;
	char e[256] = "", a[256] = "";

	r = cmp(OUTDIFF_LINES, "first\nsecond line\r\nthird\n", "first\nsecond LINE\nthird\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_CONTENT);
	assert_int_equal(r->expected_line, 2);
	assert_int_equal(r->expected_column, 8);
	assert_int_equal(r->actual_line, 2);
	assert_string_equal(r->expected_excerpt, "second line");
	assert_string_equal(r->message, "line 2, column 8: expected \"second line\" but got \"second LINE\"\n"
					"  expected: second line\n"
					"  got:      second LINE\n"
					"                   ^");
	for (int i = 1; i <= 11; i++) {
		char l[32];

		snprintf(l, sizeof(l), "row %d\n", i);
		strncat(e, l, sizeof(e) - strlen(e) - 1);
		if (i <= 10)
			strncat(a, l, sizeof(a) - strlen(a) - 1);
	}
	r = cmp(OUTDIFF_LINES, e, a);
	assert_int_equal(r->kind, OUTDIFF_DIFF_MISSING);
	assert_string_equal(r->message, "the output has 10 lines, expected 11: missing line 11: \"row 11\"");
	assert_int_equal(r->expected_line, 11);
	assert_int_equal(r->actual_line, 0);
	assert_string_equal(r->actual_excerpt, "");
	r = cmp(OUTDIFF_LINES, a, e);
	assert_int_equal(r->kind, OUTDIFF_DIFF_EXTRA);
	assert_string_equal(r->message, "the output has 11 lines, expected 10: extra line 11: \"row 11\"");
	assert_int_equal(r->actual_line, 11);
	r = cmp(OUTDIFF_LINES, "x\n", "");
	assert_string_equal(r->message, "the output has 0 lines, expected 1: missing line 1: \"x\"");
}

/* ---- tokens and numeric ---- */

static void test_tokens(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	assert_true(same(OUTDIFF_TOKENS, "a b\nc", "  a\tb c \n\n"));
	assert_false(same(OUTDIFF_TOKENS, "1.0", "1"));
	r = cmp(OUTDIFF_TOKENS, "alpha beta\ngamma delta\n", "alpha beta gamma  DELTA");
	assert_int_equal(r->expected_line, 2);
	assert_int_equal(r->expected_column, 7);
	assert_int_equal(r->actual_line, 1);
	assert_int_equal(r->actual_column, 19);
	/* a caret under each line when the columns differ */
	assert_string_equal(r->message, "line 2, column 7 (line 1, column 19 of the output): expected "
					"\"delta\" but got \"DELTA\"\n"
					"  expected: gamma delta\n"
					"                  ^\n"
					"  got:      alpha beta gamma  DELTA\n"
					"                              ^");
	r = cmp(OUTDIFF_TOKENS, "a b c", "a b");
	assert_int_equal(r->kind, OUTDIFF_DIFF_MISSING);
	assert_string_equal(r->message, "the output has 2 tokens, expected 3: missing \"c\" at line 1, "
					"column 5 of the expected output");
	r = cmp(OUTDIFF_TOKENS, "a", "a\nb c");
	assert_int_equal(r->kind, OUTDIFF_DIFF_EXTRA);
	assert_string_equal(r->message, "the output has 3 tokens, expected 1: extra \"b\" at line 2, "
					"column 1 of the output");
}

static void test_numeric_equivalences(void **state)
{
	(void)state;
	static const char *const equal[][2] = {
		{"1e-3", "0.001"}, {"1.0", "1"},     {"nan", "NaN"},     {"NaN", "nan"},
		{"inf", "inf"},    {"-inf", "-inf"}, {"-0.0", "0.0"},    {"-0", "0"},
		{"1E3", "1000"},   {"+2", "2"},      {"inf", "Infinity"}, {"5.", "5"},
		{".5", "0.5"},     {"1e400", "inf"}, {"word", "word"},   {"0.30000000000000004", "0.3"},
	};
	static const char *const differ[][2] = {
		{"inf", "-inf"}, {"inf", "1e308"},  {"nan", "0"},   {"1", "one"},   {"nan", "nanx"},
		{"0x10", "16"},  {"1e", "1"},       {"1", "2"},     {"-inf", "inf"}, {"Word", "word"},
		{"1.5", "1,5"},  {"1_000", "1000"}, {"--1", "1"},   {"e5", "1e5"},  {".", "0"},
	};

	for (size_t i = 0; i < sizeof(equal) / sizeof(equal[0]); i++)
		if (!same(OUTDIFF_NUMERIC, equal[i][0], equal[i][1]))
			fail_msg("%s should equal %s: %s", equal[i][0], equal[i][1], R.message);
	for (size_t i = 0; i < sizeof(differ) / sizeof(differ[0]); i++) {
		if (same(OUTDIFF_NUMERIC, differ[i][0], differ[i][1]))
			fail_msg("%s should differ from %s", differ[i][0], differ[i][1]);
		if (same(OUTDIFF_NUMERIC, differ[i][1], differ[i][0]))
			fail_msg("%s should differ from %s", differ[i][1], differ[i][0]);
	}
}

static void test_numeric_tolerance(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	/* The absolute bound, the relative bound, and just past both. */
	assert_true(cmp_tol(OUTDIFF_NUMERIC, "1.0", 3, "1.05", 4, 0.1, 0)->equal);
	assert_false(cmp_tol(OUTDIFF_NUMERIC, "1.0", 3, "1.2", 3, 0.1, 0)->equal);
	assert_true(cmp_tol(OUTDIFF_NUMERIC, "1000.0", 6, "1001", 4, 0, 1e-3)->equal);
	assert_false(cmp_tol(OUTDIFF_NUMERIC, "1000.0", 6, "1002", 4, 0, 1e-3)->equal);
	/* Two integers are counts or ids: equal only when they are, whatever the tolerance. */
	assert_false(cmp_tol(OUTDIFF_NUMERIC, "1000", 4, "1001", 4, 0, 1e-3)->equal);
	assert_non_null(strstr(cmp_tol(OUTDIFF_NUMERIC, "1000000", 7, "1000001", 7, 1, 1e-6)->message,
			       "(integers are compared exactly)"));
	assert_true(cmp_tol(OUTDIFF_NUMERIC, "007", 3, "+7", 2, 0, 0)->equal);
	assert_true(cmp_tol(OUTDIFF_NUMERIC, "-0", 2, "0", 1, 0, 0)->equal);
	assert_false(cmp_tol(OUTDIFF_NUMERIC, "9007199254740993", 16, "9007199254740992", 16, 0, 0)->equal);
	assert_false(cmp_tol(OUTDIFF_NUMERIC, "0", 1, "1e-300", 6, 0, 0.5)->equal);
	assert_true(cmp_tol(OUTDIFF_NUMERIC, "1e308", 5, "-1e308", 6, 0, 3)->equal);
	assert_false(cmp_tol(OUTDIFF_NUMERIC, "1e308", 5, "-1e308", 6, 1e300, 0.5)->equal);
	/* The message of the issue, to the letter. */
	r = cmp(OUTDIFF_NUMERIC, "mean 0.3333333333", "mean 0.3333");
	assert_int_equal(r->kind, OUTDIFF_DIFF_CONTENT);
	assert_string_equal(sentence(r->message), "line 1, column 6: expected 0.3333333333 but got 0.3333 "
					"(difference 3.3e-05 > tolerance abs 1e-09, rel 1e-06)");
	r = cmp(OUTDIFF_NUMERIC, "x\n  1.5\n", "x\n  one");
	assert_int_equal(r->kind, OUTDIFF_DIFF_TYPE);
	assert_string_equal(sentence(r->message), "line 2, column 3: expected the number 1.5 but got the text \"one\"");
	r = cmp(OUTDIFF_NUMERIC, "nan", "0.5");
	assert_string_equal(sentence(r->message), "line 1, column 1: expected nan but got 0.5");
}

/* ---- unordered lines ---- */

static void test_unordered_lines(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	assert_true(same(OUTDIFF_UNORDERED_LINES, "b\na\nc\n", "c\r\na  \nb"));
	assert_true(same(OUTDIFF_UNORDERED_LINES, "", ""));
	assert_false(same(OUTDIFF_UNORDERED_LINES, "a\na\nb\n", "a\nb\nb\n"));
	r = cmp(OUTDIFF_UNORDERED_LINES, "x\ny\nz\ny\n", "y\nx\nz\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_MISSING);
	assert_int_equal(r->expected_line, 4);
	assert_string_equal(r->expected_excerpt, "y");
	assert_string_equal(r->message, "the output has 3 lines, expected 4; line 4 of the expected output, "
					"\"y\", appears 2 times in the expected output but 1 in the output");
	r = cmp(OUTDIFF_UNORDERED_LINES, "a\nb\nc\n", "c\nB\na\n");
	assert_string_equal(r->message, "line 2 of the expected output, \"b\", is not in the output, which "
					"has line 2, \"B\", instead");
	r = cmp(OUTDIFF_UNORDERED_LINES, "a\n", "a\nq\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_EXTRA);
	assert_int_equal(r->actual_line, 2);
	assert_contains(r->message, "line 2 of the output, \"q\", is not in the expected output");
}

static void test_unordered_lines_many(void **state)
{
	(void)state;
	size_t n = 200000, cap = n * 12;
	char *e = malloc(cap), *a = malloc(cap);
	size_t el = 0, al = 0;

	/* Lines 0..n-1 in order against a permutation of them (i * 7919 mod n, n coprime to 7919). */
	for (size_t i = 0; i < n; i++) {
		el += (size_t)snprintf(e + el, cap - el, "%zu\n", i);
		al += (size_t)snprintf(a + al, cap - al, "%zu\n", (i * 7919) % n);
	}
	assert_true(cmp_tol(OUTDIFF_UNORDERED_LINES, e, el, a, al, 0, 0)->equal);
	a[al - 2] = a[al - 2] == '9' ? '8' : '9';
	assert_false(cmp_tol(OUTDIFF_UNORDERED_LINES, e, el, a, al, 0, 0)->equal);
	assert_int_equal(R.actual_line, 0);
	assert_true(R.expected_line > 0);
	free(e);
	free(a);
}

/* ---- json ---- */

static void test_json_structural(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	assert_true(same(OUTDIFF_JSON, "{\"a\": 1, \"b\": [1, 2, {\"c\": null}]}",
			 "\n{ \"b\":[1,2.0,{\"c\":null}],\"a\":1.0000000001 }\n"));
	assert_true(same(OUTDIFF_JSON, "[]", " [ ] "));
	assert_true(same(OUTDIFF_JSON, "\"\\u00e9\"", "\"é\""));
	assert_false(same(OUTDIFF_JSON, "[1, 2]", "[2, 1]"));
	assert_false(same(OUTDIFF_JSON, "{\"A\": 1}", "{\"a\": 1}"));
	r = cmp(OUTDIFF_JSON, "{\"scores\": [{\"value\": 1}, {\"value\": 2}, {\"value\": 3}, {\"value\": 0.5}]}",
		"{\"scores\": [{\"value\": 1}, {\"value\": 2}, {\"value\": 3}, {\"value\": 0.6}]}");
	assert_int_equal(r->kind, OUTDIFF_DIFF_CONTENT);
	assert_string_equal(r->json_path, "$.scores[3].value");
	assert_string_equal(r->expected_excerpt, "0.5");
	assert_string_equal(r->actual_excerpt, "0.6");
	assert_string_equal(r->message, "at $.scores[3].value: expected 0.5 but got 0.6 "
					"(difference 0.1 > tolerance abs 1e-09, rel 1e-06)");
	assert_int_equal(r->expected_line, 0);
	r = cmp(OUTDIFF_JSON, "{\"a b\": {\"n\": 1}}", "{\"a b\": {\"n\": \"1\"}}");
	assert_int_equal(r->kind, OUTDIFF_DIFF_TYPE);
	assert_string_equal(r->json_path, "$[\"a b\"].n");
	assert_string_equal(r->message, "at $[\"a b\"].n: expected a number (1) but got a string (\"1\")");
	r = cmp(OUTDIFF_JSON, "{\"ok\": true}", "{\"ok\": false}");
	assert_string_equal(r->message, "at $.ok: expected true but got false");
	r = cmp(OUTDIFF_JSON, "[\"x\"]", "[\"y\"]");
	assert_string_equal(r->message, "at $[0]: expected \"x\" but got \"y\"");
	r = cmp(OUTDIFF_JSON, "{\"v\": [1, 2, 3]}", "{\"v\": [1, 2]}");
	assert_int_equal(r->kind, OUTDIFF_DIFF_SHAPE);
	assert_string_equal(r->message, "at $.v: expected an array of 3 elements but got 2");
	r = cmp(OUTDIFF_JSON, "{\"score\": 1, \"n\": 2}", "{\"n\": 2, \"scroe\": 1}");
	assert_string_equal(r->message, "at $: the key \"score\" is missing from the output, which has "
					"the key \"scroe\" instead");
	r = cmp(OUTDIFF_JSON, "{\"n\": 2}", "{\"n\": 2, \"debug\": 1}");
	assert_string_equal(r->message, "at $: the output has the key \"debug\", which the expected "
					"output does not have");
	r = cmp(OUTDIFF_JSON, "{\"n\": 2}", "{\"n\": 2, \"n\": 3}");
	assert_int_equal(r->kind, OUTDIFF_DIFF_SHAPE);
	assert_contains(r->message, "the output has the key \"n\" twice");
}

static void test_json_invalid_sides(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	r = cmp(OUTDIFF_JSON, "{\"a\": 1}", "{\"a\": 1,\n  \"b\": }");
	assert_int_equal(r->kind, OUTDIFF_INVALID_ACTUAL);
	assert_int_equal(r->actual_line, 2);
	assert_int_equal(r->actual_column, 8);
	assert_int_equal(r->expected_line, 0);
	assert_contains(r->message, "the output is not valid JSON: error at line 2, column 8");
	r = cmp(OUTDIFF_JSON, "[1, NaN]", "[1, null]");
	assert_int_equal(r->kind, OUTDIFF_INVALID_EXPECTED);
	assert_contains(r->message, "the expected output is not valid JSON");
	assert_contains(r->message, "NaN and Infinity are not JSON");
	r = cmp(OUTDIFF_JSON, "1", "1 2");
	assert_int_equal(r->kind, OUTDIFF_INVALID_ACTUAL);
	assert_contains(r->message, "column 3 (text after the JSON value)");
	r = cmp(OUTDIFF_JSON, "1", "  \n");
	assert_string_equal(r->message, "the output is not valid JSON: it is empty");
	/* Bytes after a NUL are not ignored: the length is the length. */
	r = cmp_tol(OUTDIFF_JSON, "1", 1, "1\0garbage", 9, 0, 0);
	assert_int_equal(r->kind, OUTDIFF_INVALID_ACTUAL);
	assert_result_safe(r, OUTDIFF_EXCERPT_DEFAULT);
}

static void test_json_big_objects_and_deep_nesting(void **state)
{
	(void)state;
	size_t n = 20000, cap = n * 32 + 16, el = 0, al = 0;
	char *e = malloc(cap), *a = malloc(cap);

	/* Keys in opposite orders; the lookup must not be quadratic (20000^2 would be slow but we
	 * assert only the result) and must find the one different value. */
	el += (size_t)snprintf(e + el, cap - el, "{");
	al += (size_t)snprintf(a + al, cap - al, "{");
	for (size_t i = 0; i < n; i++) {
		el += (size_t)snprintf(e + el, cap - el, "%s\"k%zu\": %zu", i ? "," : "", i, i);
		al += (size_t)snprintf(a + al, cap - al, "%s\"k%zu\": %zu", i ? "," : "", n - 1 - i,
				       n - 1 - i == 12345 ? (size_t)7 : n - 1 - i);
	}
	el += (size_t)snprintf(e + el, cap - el, "}");
	al += (size_t)snprintf(a + al, cap - al, "}");
	assert_true(cmp_tol(OUTDIFF_JSON, e, el, e, el, 0, 0)->equal);
	assert_false(cmp_tol(OUTDIFF_JSON, e, el, a, al, 0, 0)->equal);
	assert_string_equal(R.json_path, "$.k12345");
	free(e);
	free(a);

	/* 900 levels of nesting are compared; 5000 are refused by cJSON's limit, not a crash. */
	{
		size_t depth = 900, len = 0;
		char *d = malloc(2 * 5000 + 8);

		for (size_t i = 0; i < depth; i++)
			d[len++] = '[';
		d[len++] = '1';
		for (size_t i = 0; i < depth; i++)
			d[len++] = ']';
		assert_true(cmp_tol(OUTDIFF_JSON, d, len, d, len, 0, 0)->equal);
		d[depth] = '2';
		assert_false(cmp_tol(OUTDIFF_JSON, "[[1]]", 5, d, len, 0, 0)->equal);
		assert_int_equal(R.kind, OUTDIFF_DIFF_TYPE);
		len = 0;
		for (size_t i = 0; i < 5000; i++)
			d[len++] = '[';
		for (size_t i = 0; i < 5000; i++)
			d[len++] = ']';
		assert_int_equal(cmp_tol(OUTDIFF_JSON, "[]", 2, d, len, 0, 0)->kind, OUTDIFF_INVALID_ACTUAL);
		free(d);
	}
}

static void test_json_long_path_is_bounded(void **state)
{
	(void)state;
	size_t depth = 800, len = 0;
	char *e = malloc(depth * 80 + 16), *a;
	const char *key = "\"a very long key name with spaces, quotes \\\" and \\u001b escapes\"";

	for (size_t i = 0; i < depth; i++)
		len += (size_t)snprintf(e + len, 200, "{%s:", key);
	len += (size_t)snprintf(e + len, 10, "1");
	for (size_t i = 0; i < depth; i++)
		e[len++] = '}';
	a = malloc(len + 1);
	memcpy(a, e, len);
	a[len - depth - 1] = '2';
	assert_false(cmp_tol(OUTDIFF_JSON, e, len, a, len, 0, 0)->equal);
	assert_true(strlen(R.json_path) <= 420);
	assert_contains(R.json_path, "…");
	assert_result_safe(&R, OUTDIFF_EXCERPT_DEFAULT);
	free(e);
	free(a);
}

/* ---- csv ---- */

static void test_csv_equal(void **state)
{
	(void)state;
	assert_true(same(OUTDIFF_CSV, "name,score\nann,0.5\nbob,1\n", "name,score\r\n\"ann\",5e-1\r\nbob,1.0"));
	assert_true(same(OUTDIFF_CSV, "t,n\n\"a, \"\"quoted\"\"\nline\",1\n", "t,n\n\"a, \"\"quoted\"\"\nline\",1.0000000001\n"));
	assert_true(same(OUTDIFF_CSV, "", ""));
	assert_true(same(OUTDIFF_CSV, "a,b\n,\n", "a,b\n\"\",\"\"\n"));
	assert_false(same(OUTDIFF_CSV, "a\n\"x\"\n", "a\n\"x \"\n"));
}

static void test_csv_differences(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	r = cmp(OUTDIFF_CSV, "name,score\nann,0.5\nbob,0.25\n", "name,score\nann,0.5\nbob,0.26\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_CONTENT);
	assert_int_equal(r->csv_row, 3);
	assert_string_equal(r->csv_column, "score");
	assert_int_equal(r->expected_line, 3);
	assert_int_equal(r->expected_column, 5);
	assert_string_equal(r->expected_excerpt, "bob,0.25");
	assert_string_equal(r->message, "row 3, column \"score\" (line 3, column 5): expected 0.25 but got "
					"0.26 (difference 0.01 > tolerance abs 1e-09, rel 1e-06)");
	r = cmp(OUTDIFF_CSV, "name,score\n", "name,Score\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_SHAPE);
	assert_string_equal(r->message, "header, column 2: expected \"score\" but got \"Score\"");
	r = cmp(OUTDIFF_CSV, "a,b\n1,2\n3,4\n", "a,b\n1,2\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_MISSING);
	assert_string_equal(r->message, "the output has 2 rows, expected 3: missing row 3: \"3,4\"");
	r = cmp(OUTDIFF_CSV, "a,b\n1,2\n", "a,b\n1,2\n5,6\n7,8\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_EXTRA);
	assert_string_equal(r->message, "the output has 4 rows, expected 2: extra row 3: \"5,6\"");
	r = cmp(OUTDIFF_CSV, "a,b\n1,2\n3,4\n", "a,b\n1,2\n3,4,5\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_SHAPE);
	assert_string_equal(r->message, "row 3 (line 3): the output has 3 columns, expected 2");
	r = cmp(OUTDIFF_CSV, "a,b,c\n", "a,b\n");
	assert_string_equal(r->message, "the header of the output has 2 columns, expected 3");
	r = cmp(OUTDIFF_CSV, "id,word\n1,x\n2,y\n", "id,word\n1,x\n2,z\n");
	assert_string_equal(r->message, "row 3, column \"word\" (line 3, column 3): expected \"y\" but got \"z\"");
}

static void test_csv_column_types(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	/* A cell differs at row 2, but the cause is a column of text where numbers are expected. */
	r = cmp(OUTDIFF_CSV, "k,v\na,1\nb,2\nc,3\n", "k,v\na,1.5\nb,2\nc,n/a\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_TYPE);
	assert_int_equal(r->csv_row, 4);
	assert_string_equal(r->csv_column, "v");
	assert_int_equal(r->actual_line, 4);
	assert_string_equal(r->message, "column \"v\" holds numbers in the expected output but text in the "
					"output (row 4: \"n/a\")");
	r = cmp(OUTDIFF_CSV, "k,v\na,x\n", "k,v\na,7\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_TYPE);
	assert_contains(r->message, "holds numbers in the output but text in the expected output (row 2: \"x\")");
	/* Empty cells do not make a column text. */
	assert_true(same(OUTDIFF_CSV, "k,v\na,\nb,2\n", "k,v\na,\nb,2.0\n"));
}

static void test_csv_invalid(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	r = cmp(OUTDIFF_CSV, "a,b\n1,2\n", "a,b\n1,\"2\n");
	assert_int_equal(r->kind, OUTDIFF_INVALID_ACTUAL);
	assert_int_equal(r->actual_line, 2);
	assert_int_equal(r->actual_column, 3);
	assert_string_equal(r->message, "the output is not valid CSV: line 2, column 3: a quoted field is never closed");
	r = cmp(OUTDIFF_CSV, "a,\"b\"x\n", "a,b\n");
	assert_int_equal(r->kind, OUTDIFF_INVALID_EXPECTED);
	assert_contains(r->message, "line 1, column 6: text follows the closing quote");
}

/* ---- hostile and large outputs ---- */

static void test_hostile_bytes_give_safe_results(void **state)
{
	(void)state;
	const char e[] = "ok\n\x1b[31mred\xff\xfe\0tail\n";
	const char a[] = "ok\n\x1b[31mred\xff\xfe\0TAIL\n";

	for (int m = OUTDIFF_EXACT; m <= OUTDIFF_CSV; m++) {
		cmp_tol((enum outdiff_mode)m, e, sizeof(e) - 1, a, sizeof(a) - 1, 0, 0);
		if (m != OUTDIFF_JSON)
			assert_false(R.equal);
		assert_result_safe(&R, OUTDIFF_EXCERPT_DEFAULT);
	}
	cmp_tol(OUTDIFF_LINES, e, sizeof(e) - 1, a, sizeof(a) - 1, 0, 0);
	assert_int_equal(R.expected_line, 2);
	assert_int_equal(R.expected_column, 12); /* after ESC [ 3 1 m r e d FF FE NUL: 11 characters */
}

/* Characters (not bytes) of s before p. */
static size_t count_chars_to(const char *s, const char *p)
{
	size_t k = 0;

	for (; s < p; s++)
		k += ((unsigned char)*s & 0xC0) != 0x80;
	return k;
}

/* ---- the lines under a message ---- */

static void test_difference_shows_lines_and_caret(void **state)
{
	(void)state;
	const struct outdiff_result *r;
	char e[1200], a[1200];
	const char *x, *caret;

	/* Columns count characters: the caret is under the "è", after two 2-byte characters. */
	r = cmp(OUTDIFF_LINES, "ok\nça é=é\n", "ok\nça é=è\n");
	assert_int_equal(r->expected_column, 6);
	assert_contains(r->message, "\n  expected: ça é=é\n  got:      ça é=è\n                 ^");
	/* A tab is shown as "→" in both lines and takes one column, like the caret counts it. */
	r = cmp(OUTDIFF_LINES, "a\tb\tc", "a\tb\tC");
	assert_string_equal(r->message, "line 1, column 5: expected \"a\\tb\\tc\" but got \"a\\tb\\tC\"\n"
					"  expected: a→b→c\n"
					"  got:      a→b→C\n"
					"                ^");
	/* A control character shows as its picture; the caret still counts one column for it. */
	r = cmp(OUTDIFF_EXACT, "\x1b[1mX", "\x1b[1mY");
	assert_contains(r->message, "\n  expected: ␛[1mX\n  got:      ␛[1mY\n                ^");
	/* A difference at the end of the shorter line puts the caret just after it. */
	r = cmp(OUTDIFF_LINES, "abc\n", "abcd\n");
	assert_contains(r->message, "\n  expected: abc\n  got:      abcd\n               ^");
	/* A long line is cut to 200 characters centred on the difference, "…" on each cut side. */
	memset(e, 'a', 1000);
	memcpy(e + 500, "0123456789", 10);
	e[1000] = '\0';
	memcpy(a, e, 1001);
	a[505] = '#';
	r = cmp(OUTDIFF_LINES, e, a);
	assert_int_equal(r->expected_column, 506);
	assert_string_equal(sentence(r->message), "line 1, column 506: the lines differ");
	x = strstr(r->message, "\n  got:      ") + 13;
	assert_int_equal(count_chars_to(x, strchr(x, '\n')), 202); /* 200 and two "…" */
	assert_true(!strncmp(x, "…", strlen("…")));
	assert_true(!strncmp(strchr(x, '\n') - strlen("…"), "…", strlen("…")));
	assert_int_equal(count_chars_to(x, strchr(x, '#')), 101);
	caret = strrchr(r->message, '\n') + 1;
	assert_int_equal(strlen(caret), 12 + 101 + 1);
	assert_int_equal(caret[12 + 101], '^');
	/* A missing or extra line is named whole; json and csv keep their own places. */
	r = cmp(OUTDIFF_LINES, "a\nb\n", "a\n");
	assert_null(strchr(r->message, '\n'));
}

static void test_whitespace_only_names_the_mode(void **state)
{
	(void)state;
	const struct outdiff_result *r;

	/* exact: line endings and trailing spaces are what `lines` ignores */
	r = cmp(OUTDIFF_EXACT, "a\nb\n", "a\r\nb \r\n");
	assert_contains(r->message, "(only line endings or trailing whitespace differ: `compare: lines` would "
				    "accept this output)");
	/* exact and lines: runs of spaces and blank lines are what `tokens` ignores */
	r = cmp(OUTDIFF_EXACT, "a b\n", "a  b\n");
	assert_contains(sentence(r->message), "(only whitespace differs, in runs of spaces or blank lines: "
					      "`compare: tokens` would accept this output)");
	r = cmp(OUTDIFF_LINES, "a b\nc\n", "a  b\nc\n");
	assert_contains(sentence(r->message), "`compare: tokens` would accept this output");
	assert_contains(r->message, "\n  expected: a b\n  got:      a  b\n              ^");
	r = cmp(OUTDIFF_LINES, "a\n", "a\n\n\n");
	assert_int_equal(r->kind, OUTDIFF_DIFF_EXTRA);
	assert_contains(r->message, "`compare: tokens` would accept this output");
	/* no hint when more than whitespace differs, or when the mode already ignores it */
	r = cmp(OUTDIFF_LINES, "a b\n", "a  c\n");
	assert_null(strstr(r->message, "would accept"));
	r = cmp(OUTDIFF_NUMERIC, "a 1\n", "b 1\n");
	assert_null(strstr(r->message, "would accept"));
}

static void test_large_outputs_give_bounded_results(void **state)
{
	(void)state;
	size_t n = 4 << 20;
	char *e = malloc(n), *a = malloc(n);
	struct outdiff_options o = {.mode = OUTDIFF_LINES, .excerpt_bytes = 50};

	/* One 4 MiB line that differs near its end. */
	memset(e, 'x', n);
	memcpy(a, e, n);
	a[n - 10] = 'y';
	for (int m = OUTDIFF_EXACT; m <= OUTDIFF_CSV; m++) {
		o.mode = (enum outdiff_mode)m;
		outdiff_result_free(&R);
		assert_int_equal(outdiff_outputs(&o, e, n, a, n, &R), 0);
		if (m != OUTDIFF_JSON)
			assert_false(R.equal);
		assert_result_safe(&R, 50);
		assert_true(strlen(R.message) < 1000); /* the sentence and two lines of 200 characters */
	}
	o.mode = OUTDIFF_LINES;
	outdiff_result_free(&R);
	assert_int_equal(outdiff_outputs(&o, e, n, a, n, &R), 0);
	assert_int_equal(R.expected_column, n - 9);
	assert_contains(R.expected_excerpt, "xxxxxxxxxx");
	assert_contains(R.actual_excerpt, "y");
	/* a long line is shown around the difference, with "…" where it is cut */
	assert_string_equal(sentence(R.message), "line 1, column 4194295: the lines differ");
	assert_contains(R.message, "\n  expected: …xxxx");
	assert_contains(R.message, "xxxxxxxxx\n  got:      …xxxx");
	assert_contains(R.message, "xyxxxxxxxxx\n"); /* the end of the line, not cut */
	{
		const char *got = strstr(R.message, "  got:      "), *caret = strrchr(R.message, '\n') + 1;
		/* the caret is under the y: columns count characters ("…" is one) */
		size_t ycol = count_chars_to(got, strchr(got, 'y'));
		assert_int_equal(strlen(caret), ycol + 1);
		assert_int_equal(caret[ycol], '^');
	}
	/* A different excerpt size is honoured, up to the maximum. */
	o.excerpt_bytes = 1 << 20;
	outdiff_result_free(&R);
	assert_int_equal(outdiff_outputs(&o, e, n, a, n, &R), 0);
	assert_true(strlen(R.expected_excerpt) <= OUTDIFF_EXCERPT_MAX);
	assert_true(strlen(R.expected_excerpt) > 1000);
	free(e);
	free(a);
}

/* A CSV of 200000 columns and one of 200000 rows: equal to themselves, and a change in the last
 * cell is found and named. (Quadratic work here would take minutes, not milliseconds.) */
static void test_wide_and_long_csv(void **state)
{
	(void)state;
	size_t n = 200000, cap = n * 24 + 64, l = 0;
	char *w = malloc(cap), *t = malloc(cap);

	for (size_t i = 0; i < n; i++)
		l += (size_t)snprintf(w + l, cap - l, "%sc%zu", i ? "," : "", i);
	l += (size_t)snprintf(w + l, cap - l, "\n");
	assert_true(cmp_tol(OUTDIFF_CSV, w, l, w, l, 0, 0)->equal);
	l = (size_t)snprintf(t, cap, "id,value\n");
	for (size_t i = 0; i < n; i++)
		l += (size_t)snprintf(t + l, cap - l, "%zu,%zu.5\n", i, i);
	memcpy(w, t, l);
	w[l - 3] = '6';
	assert_true(cmp_tol(OUTDIFF_CSV, t, l, t, l, 0, 0)->equal);
	assert_false(cmp_tol(OUTDIFF_CSV, t, l, w, l, 0, 0)->equal);
	assert_int_equal(R.csv_row, n + 1);
	assert_string_equal(R.csv_column, "value");
	assert_int_equal(R.expected_line, n + 1);
	free(w);
	free(t);
}

/* Random bytes in every mode: no crash, safe results, and every output equals itself. */
static void test_random_inputs(void **state)
{
	(void)state;
	static const char alphabet[] = "ab1.5e-\n\r\t ,\"{}[]:0\xc3\xa9\xff\x1b\\nN";
	unsigned seed = 7;
	char e[96], a[96];

	for (int i = 0; i < 6000; i++) {
		size_t el = (size_t)(i % 90), al = (size_t)((i * 7) % 90);
		enum outdiff_mode m = (enum outdiff_mode)(i % 7);

		for (size_t k = 0; k < el; k++) {
			seed = seed * 1103515245u + 12345u;
			e[k] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		/* e[0..el) is set just above. */
		/* cppcheck-suppress uninitvar */
		memcpy(a, e, el < al ? el : al);
		for (size_t k = el < al ? el : al; k < al; k++) {
			seed = seed * 1103515245u + 12345u;
			a[k] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (al && i % 3 == 0)
			a[(seed >> 8) % al] ^= 1;
		cmp_tol(m, e, el, a, al, 1e-9, 1e-6);
		assert_result_safe(&R, OUTDIFF_EXCERPT_DEFAULT);
		cmp_tol(m, e, el, e, el, 0, 0);
		assert_true(R.equal || R.kind == OUTDIFF_INVALID_EXPECTED);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_mode_names_parse_and_list, teardown),
		cmocka_unit_test_teardown(test_tolerance_parse, teardown),
		cmocka_unit_test_teardown(test_invalid_options_are_refused, teardown),
		cmocka_unit_test_teardown(test_exact, teardown),
		cmocka_unit_test_teardown(test_lines_normalisation, teardown),
		cmocka_unit_test_teardown(test_lines_report_where, teardown),
		cmocka_unit_test_teardown(test_tokens, teardown),
		cmocka_unit_test_teardown(test_numeric_equivalences, teardown),
		cmocka_unit_test_teardown(test_numeric_tolerance, teardown),
		cmocka_unit_test_teardown(test_unordered_lines, teardown),
		cmocka_unit_test_teardown(test_unordered_lines_many, teardown),
		cmocka_unit_test_teardown(test_json_structural, teardown),
		cmocka_unit_test_teardown(test_json_invalid_sides, teardown),
		cmocka_unit_test_teardown(test_json_big_objects_and_deep_nesting, teardown),
		cmocka_unit_test_teardown(test_json_long_path_is_bounded, teardown),
		cmocka_unit_test_teardown(test_csv_equal, teardown),
		cmocka_unit_test_teardown(test_csv_differences, teardown),
		cmocka_unit_test_teardown(test_csv_column_types, teardown),
		cmocka_unit_test_teardown(test_csv_invalid, teardown),
		cmocka_unit_test_teardown(test_hostile_bytes_give_safe_results, teardown),
		cmocka_unit_test_teardown(test_difference_shows_lines_and_caret, teardown),
		cmocka_unit_test_teardown(test_whitespace_only_names_the_mode, teardown),
		cmocka_unit_test_teardown(test_large_outputs_give_bounded_results, teardown),
		cmocka_unit_test_teardown(test_wide_and_long_csv, teardown),
		cmocka_unit_test_teardown(test_random_inputs, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
