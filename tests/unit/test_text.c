/* test_text.c: unit tests of text.c: hostile bytes become safe UTF-8 within a byte budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define FFFD "\xEF\xBF\xBD"
#define PIC_NUL "\xE2\x90\x80"

/* The characters that reorder or break text unseen, which no view may show raw. */
static int is_bidi(long cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Checks that s[0..n) is valid UTF-8 with no NUL, no C0 control except \t \n and \r before \n. */
static void assert_safe(const char *s, size_t n)
{
	size_t pos = 0;
	long cp;

	assert_int_equal(s[n], '\0');
	while (pos < n) {
		size_t k = text_decode(s + pos, n - pos, &cp);

		assert_true(cp >= 0);
		assert_true(cp != 0 && cp != 0x1B && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F));
		assert_false(is_bidi(cp));
		if (cp < 0x20)
			assert_true(cp == '\t' || cp == '\n' || (cp == '\r' && pos + 1 < n && s[pos + 1] == '\n'));
		pos += k;
	}
}

static void check(const char *in, size_t len, const char *want)
{
	struct text_safe t;

	assert_int_equal(text_safe(in, len, 1 << 20, TEXT_KEEP_HEAD, &t), 0);
	assert_string_equal(t.data, want);
	assert_int_equal(t.len, strlen(want));
	assert_false(t.truncated);
	assert_safe(t.data, t.len);
	text_safe_free(&t);
}

static void test_valid_utf8_is_unchanged(void **state)
{
	(void)state;
	const char *s = "plain ASCII\tand é, ∑, 😀, \xF4\x8F\xBF\xBF (U+10FFFF)\r\nnext\n";
	struct text_safe t;

	assert_int_equal(text_safe(s, strlen(s), 1000, TEXT_KEEP_HEAD, &t), 0);
	assert_memory_equal(t.data, s, strlen(s));
	assert_false(t.had_invalid || t.had_nul || t.had_control || t.truncated);
	assert_int_equal(t.omitted, 0);
	text_safe_free(&t);
}

static void test_invalid_sequences_become_fffd(void **state)
{
	(void)state;
	struct text_safe t;

	check("a\xC0\xAF" "b", 4, "a" FFFD FFFD "b");          /* overlong '/' (C0 is never valid) */
	check("a\xE0\x80\xAF" "b", 5, "a" FFFD FFFD FFFD "b");  /* overlong 3-byte: E0 80 invalid */
	check("\xF0\x80\x80\x80", 4, FFFD FFFD FFFD FFFD);     /* overlong 4-byte */
	check("\xED\xA0\x80", 3, FFFD FFFD FFFD);              /* surrogate U+D800 */
	check("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD);     /* above U+10FFFF */
	check("\xE2\x82" "x", 3, FFFD "x");                    /* truncated, one maximal subpart */
	check("x\xF0\x9F\x98", 4, "x" FFFD);                   /* cut short at the end */
	check("\x80\xBF", 2, FFFD FFFD);                       /* stray continuation bytes */
	check("\xFF\xFE", 2, FFFD FFFD);
	assert_int_equal(text_safe("a\xFF", 2, 100, TEXT_KEEP_HEAD, &t), 0);
	assert_true(t.had_invalid);
	assert_false(t.had_nul);
	text_safe_free(&t);
}

static void test_nul_becomes_symbol_and_is_reported(void **state)
{
	(void)state;
	struct text_safe t;

	assert_int_equal(text_safe("a\0b\0", 4, 100, TEXT_KEEP_HEAD, &t), 0);
	assert_string_equal(t.data, "a" PIC_NUL "b" PIC_NUL);
	assert_int_equal(t.len, 8);
	assert_true(t.had_nul);
	assert_false(t.had_invalid);
	text_safe_free(&t);
}

static void test_controls_cannot_reach_the_terminal(void **state)
{
	(void)state;
	/* ESC [ 2 J clears a screen; a lone CR overwrites a line; 0xC2 0x9B is the C1 CSI. */
	check("\x1B[2Jx", 5, "\xE2\x90\x9B[2Jx");
	check("ok\rFAKE", 7, "ok\xE2\x90\x8D" "FAKE");
	check("line\r\n", 6, "line\r\n");
	check("\x7F", 1, "\xE2\x90\xA1");
	check("\xC2\x9B" "1m", 4, "\\u009b1m");
	check("\r", 1, "\xE2\x90\x8D");
}

static void test_head_truncation_cuts_between_characters(void **state)
{
	(void)state;
	struct text_safe t;
	const char *s = "ab\xE2\x82\xAC" "cd"; /* "ab€cd", € is 3 bytes */

	assert_int_equal(text_safe(s, 7, 4, TEXT_KEEP_HEAD, &t), 0);
	assert_string_equal(t.data, "ab");
	assert_true(t.truncated);
	assert_int_equal(t.omitted, 5);
	text_safe_free(&t);
	assert_int_equal(text_safe(s, 7, 5, TEXT_KEEP_HEAD, &t), 0);
	assert_string_equal(t.data, "ab\xE2\x82\xAC");
	assert_int_equal(t.omitted, 2);
	text_safe_free(&t);
	assert_int_equal(text_safe(s, 7, 7, TEXT_KEEP_HEAD, &t), 0);
	assert_false(t.truncated);
	text_safe_free(&t);
	assert_int_equal(text_safe(s, 7, 0, TEXT_KEEP_HEAD, &t), 0);
	assert_string_equal(t.data, "");
	assert_true(t.truncated);
	text_safe_free(&t);
}

static void test_tail_truncation_keeps_the_end(void **state)
{
	(void)state;
	struct text_safe t;
	const char *s = "ab\xE2\x82\xAC" "cd";

	assert_int_equal(text_safe(s, 7, 4, TEXT_KEEP_TAIL, &t), 0);
	assert_string_equal(t.data, "cd");
	assert_true(t.truncated);
	assert_int_equal(t.omitted, 5);
	text_safe_free(&t);
	assert_int_equal(text_safe(s, 7, 5, TEXT_KEEP_TAIL, &t), 0);
	assert_string_equal(t.data, "\xE2\x82\xAC" "cd");
	text_safe_free(&t);
	/* Expansion counts against the budget: 4 NULs become 12 bytes. */
	assert_int_equal(text_safe("\0\0\0\0", 4, 7, TEXT_KEEP_TAIL, &t), 0);
	assert_string_equal(t.data, PIC_NUL PIC_NUL);
	assert_int_equal(t.omitted, 2);
	assert_true(t.had_nul);
	text_safe_free(&t);
}

static void test_flags_cover_the_part_left_out(void **state)
{
	(void)state;
	struct text_safe t;

	assert_int_equal(text_safe("\0\xFF\x1B" "abc", 6, 3, TEXT_KEEP_TAIL, &t), 0);
	assert_string_equal(t.data, "abc");
	assert_true(t.had_nul && t.had_invalid && t.had_control && t.truncated);
	text_safe_free(&t);
}

static void test_tail_lines_of_a_traceback(void **state)
{
	(void)state;
	struct text_safe t;
	const char *tb = "Traceback (most recent call last):\n  File \"x.py\", line 3\n"
			 "    1/0\nZeroDivisionError: division by zero\n";

	assert_int_equal(text_safe_tail_lines(tb, strlen(tb), 2, 1000, &t), 0);
	assert_string_equal(t.data, "    1/0\nZeroDivisionError: division by zero\n");
	assert_true(t.truncated);
	assert_int_equal(t.omitted, strlen(tb) - t.len);
	text_safe_free(&t);
	assert_int_equal(text_safe_tail_lines(tb, strlen(tb), 10, 1000, &t), 0);
	assert_string_equal(t.data, tb);
	assert_false(t.truncated);
	text_safe_free(&t);
	/* Without a final newline the last partial line counts as a line. */
	assert_int_equal(text_safe_tail_lines("a\nb\nc", 5, 1, 1000, &t), 0);
	assert_string_equal(t.data, "c");
	text_safe_free(&t);
	/* The byte budget applies after the line count. */
	assert_int_equal(text_safe_tail_lines("aaaa\nbbbb\n", 10, 2, 3, &t), 0);
	assert_string_equal(t.data, "bb\n");
	assert_int_equal(t.omitted, 7);
	text_safe_free(&t);
	assert_int_equal(text_safe_tail_lines("abc", 3, 0, 100, &t), 0);
	assert_string_equal(t.data, "");
	assert_true(t.truncated);
	text_safe_free(&t);
	assert_int_equal(text_safe_tail_lines(NULL, 0, 5, 100, &t), 0);
	assert_string_equal(t.data, "");
	assert_false(t.truncated);
	text_safe_free(&t);
}

/* Every byte string of length 1 to 3 (and many random longer ones) comes out safe, within the
 * budget, and with `omitted` consistent. */
static void test_all_short_byte_strings_come_out_safe(void **state)
{
	(void)state;
	unsigned char b[64];
	struct text_safe t;
	unsigned seed = 12345;

	for (unsigned v = 0; v < (1u << 24); v += 7) {
		size_t n = 1 + v % 3;

		b[0] = (unsigned char)(v >> 16);
		b[1] = (unsigned char)(v >> 8);
		b[2] = (unsigned char)v;
		assert_int_equal(text_safe((char *)b, n, 100, TEXT_KEEP_HEAD, &t), 0);
		assert_safe(t.data, t.len);
		assert_false(t.truncated);
		text_safe_free(&t);
	}
	for (int i = 0; i < 20000; i++) {
		size_t n = 1 + (size_t)(i % 64), budget = (size_t)(i % 40);

		for (size_t k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			b[k] = (unsigned char)(seed >> 16);
		}
		assert_int_equal(text_safe((char *)b, n, budget, i % 2 ? TEXT_KEEP_TAIL : TEXT_KEEP_HEAD, &t), 0);
		assert_safe(t.data, t.len);
		assert_true(t.len <= budget);
		assert_true(t.len + 5 >= budget || !t.truncated); /* a unit is at most 6 bytes (\u009b) */
		assert_true(t.omitted <= n);
		assert_int_equal(t.truncated, t.omitted > 0);
		text_safe_free(&t);
	}
}

/* text_safe() shows the characters without a control picture as text_visible() escapes them. */
static void test_safe_escapes_c1_and_bidi(void **state)
{
	(void)state;
	check("a\xE2\x80\xAE" "b", 5, "a\\u202eb");        /* RIGHT-TO-LEFT OVERRIDE */
	check("\xE2\x81\xA6x\xE2\x81\xA9", 7, "\\u2066x\\u2069"); /* an isolate */
	check("\xE2\x80\x8F\xD8\x9C", 5, "\\u200f\\u061c");  /* RLM, ARABIC LETTER MARK */
	check("\xE2\x80\xA8", 3, "\\u2028");                /* LINE SEPARATOR */
	check("\xC2\x80\xC2\x9F\xC2\xA0", 6, "\\u0080\\u009f\xC2\xA0"); /* C1 ends at U+009F */
	check("\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5", 9, "\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5");
}

/* Checks text_visible(in[0..len), prefix) against `want`, appended after existing text. */
static void vis(const char *in, size_t len, const char *prefix, const char *want)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "<");
	assert_int_equal(text_visible(&b, in, len, prefix), 0);
	assert_int_equal(b.len, strlen(want) + 1);
	assert_string_equal(b.data + 1, want);
	buf_free(&b);
}

static void test_visible_escapes_terminal_controls(void **state)
{
	(void)state;
	/* OSC (retitle), CSI (clear, colour), in both contexts */
	vis("\x1B]0;pwned\x07", 10, NULL, "\\x1b]0;pwned\\x07");
	vis("\x1B[2J\x1B[1;32mtotal", 16, "| ", "\\x1b[2J\\x1b[1;32mtotal");
	vis("a\0b", 3, NULL, "a\\x00b");
	vis("\x7F\x01\x1F\x0B\x0C", 5, "", "\\x7f\\x01\\x1f\\x0b\\x0c");
	/* C1: a raw byte (invalid UTF-8) is a byte escape, the UTF-8 of U+009B a code point */
	vis("\x9B" "1m", 3, NULL, "\\x9b1m");
	vis("\xC2\x9B" "1m", 4, NULL, "\\u009b1m");
	vis("\xC2\x80\xC2\x9F\xC2\xA0", 6, "", "\\u0080\\u009f\xC2\xA0");
	/* other invalid UTF-8: every byte of the bad sequence */
	vis("\xE2\x82" "x", 3, NULL, "\\xe2\\x82x");
	vis("x\xF0\x9F\x98", 4, "", "x\\xf0\\x9f\\x98");
	vis("\xC0\xAF\xFF", 3, NULL, "\\xc0\\xaf\\xff");
	vis("\xED\xA0\x80", 3, NULL, "\\xed\\xa0\\x80"); /* a surrogate */
}

static void test_visible_escapes_bidi(void **state)
{
	static const struct {
		const char *utf8, *want;
	} cases[] = {
		{"\xD8\x9C", "\\u061c"},     {"\xE2\x80\x8E", "\\u200e"}, {"\xE2\x80\x8F", "\\u200f"},
		{"\xE2\x80\xA8", "\\u2028"}, {"\xE2\x80\xA9", "\\u2029"}, {"\xE2\x80\xAA", "\\u202a"},
		{"\xE2\x80\xAB", "\\u202b"}, {"\xE2\x80\xAC", "\\u202c"}, {"\xE2\x80\xAD", "\\u202d"},
		{"\xE2\x80\xAE", "\\u202e"}, {"\xE2\x81\xA6", "\\u2066"}, {"\xE2\x81\xA7", "\\u2067"},
		{"\xE2\x81\xA8", "\\u2068"}, {"\xE2\x81\xA9", "\\u2069"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vis(cases[i].utf8, strlen(cases[i].utf8), NULL, cases[i].want);
		vis(cases[i].utf8, strlen(cases[i].utf8), "  | ", cases[i].want);
	}
	/* "PASSED" spelled backwards behind an override stays in the order it was written */
	vis("DESSAP\xE2\x80\xAE", 9, NULL, "DESSAP\\u202e");
	/* the neighbours are ordinary characters: ZWJ, NNBSP, U+2065, U+206A, U+061B */
	vis("\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA\xD8\x9B", 14, NULL,
	    "\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA\xD8\x9B");
}

/* One line: a line feed cannot start a line of its own (a fake verdict). Several lines: each
 * continuation starts with the caller's prefix. */
static void test_visible_line_contexts(void **state)
{
	(void)state;
	vis("x\n  total    90.0/90.0 PASSED", 29, NULL, "x\\n  total    90.0/90.0 PASSED");
	vis("a\tb\r\nc\rd", 8, NULL, "a\\tb\\r\\nc\\rd");
	vis("x\n  total    90.0/90.0 PASSED", 29, "    | ", "x\n    |   total    90.0/90.0 PASSED");
	vis("a\tb\r\nc\rd\r", 9, "| ", "a\tb\r\n| c\\rd\\r");
	vis("a\nb\n", 4, "", "a\nb\n");
	vis("a\n\nb", 4, "> ", "a\n> \n> b");
}

static void test_visible_keeps_ordinary_text(void **state)
{
	const char *s = "plain ASCII, é, ∑, 😀, \xF4\x8F\xBF\xBF, a\\x1b written out, \xE2\x90\x9B (a picture)";
	(void)state;
	vis(s, strlen(s), NULL, s);
	vis(s, strlen(s), "", s);
	vis(NULL, 0, NULL, "");
}

static void test_visible_stops_at_the_buffer_limit(void **state)
{
	struct buf b = BUF_INIT_MAX(8);
	(void)state;
	assert_int_equal(text_visible(&b, "\x1B\x1B\x1B", 3, NULL), -1); /* 12 bytes do not fit */
	assert_true(b.len <= 8);
	buf_free(&b);
}

/* Random bytes come out valid UTF-8 with nothing a terminal obeys, in both contexts. */
static void test_visible_random_bytes_come_out_safe(void **state)
{
	unsigned char in[48];
	unsigned seed = 777;
	(void)state;

	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(i % 48);
		const char *prefix = i % 2 ? NULL : "  | ";
		struct buf b = BUF_INIT;
		size_t pos = 0;
		long cp;

		for (size_t k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			in[k] = (unsigned char)(seed >> 16);
			if (i % 3 == 0 && in[k] >= 0x80) /* make valid UTF-8 of C1 and bidi more likely */
				in[k] = (unsigned char)("\xC2\x9B\xE2\x80\xAE\x81\xA6"[k % 7]);
		}
		assert_int_equal(text_visible(&b, (char *)in, n, prefix), 0);
		while (pos < b.len) {
			size_t k = text_decode(b.data + pos, b.len - pos, &cp);
			assert_true(cp >= 0);
			assert_true(cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F));
			assert_false(is_bidi(cp));
			if (cp < 0x20) {
				assert_non_null(prefix);
				assert_true(cp == '\t' || cp == '\n' || (cp == '\r' && b.data[pos + 1] == '\n'));
			}
			pos += k;
		}
		buf_free(&b);
	}
}

static void test_decode_reports_code_points(void **state)
{
	(void)state;
	long cp;

	assert_int_equal(text_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(text_decode("\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(text_decode("\xE2\x82", 2, &cp), 2);
	assert_int_equal(cp, -1);
}

static void test_word_count(void **state)
{
	(void)state;
	assert_int_equal(text_count_words("", 0), 0);
	assert_int_equal(text_count_words("  \n\t ", 5), 0);
	assert_int_equal(text_count_words("Hello, world! 42 times.", 23), 4);
	assert_int_equal(text_count_words("don't stop", 10), 3);
	assert_int_equal(text_count_words("l'élève a 3 ans", strlen("l'élève a 3 ans")), 5);
	assert_int_equal(text_count_words("a\xE2\x80\x94" "b", 5), 2); /* em dash separates */
	assert_int_equal(text_count_words("a\xFF" "b\0c", 5), 3);        /* invalid byte, NUL */
	assert_int_equal(text_count_words("x_y-z", 5), 3);
	assert_int_equal(text_count_words("Привет мир", strlen("Привет мир")), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_utf8_is_unchanged),
		cmocka_unit_test(test_invalid_sequences_become_fffd),
		cmocka_unit_test(test_safe_escapes_c1_and_bidi),
		cmocka_unit_test(test_visible_escapes_terminal_controls),
		cmocka_unit_test(test_visible_escapes_bidi),
		cmocka_unit_test(test_visible_line_contexts),
		cmocka_unit_test(test_visible_keeps_ordinary_text),
		cmocka_unit_test(test_visible_stops_at_the_buffer_limit),
		cmocka_unit_test(test_visible_random_bytes_come_out_safe),
		cmocka_unit_test(test_nul_becomes_symbol_and_is_reported),
		cmocka_unit_test(test_controls_cannot_reach_the_terminal),
		cmocka_unit_test(test_head_truncation_cuts_between_characters),
		cmocka_unit_test(test_tail_truncation_keeps_the_end),
		cmocka_unit_test(test_flags_cover_the_part_left_out),
		cmocka_unit_test(test_tail_lines_of_a_traceback),
		cmocka_unit_test(test_all_short_byte_strings_come_out_safe),
		cmocka_unit_test(test_decode_reports_code_points),
		cmocka_unit_test(test_word_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
