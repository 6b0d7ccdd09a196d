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
	check("\xC2\x9B" "1m", 4, FFFD "1m");
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
		assert_true(t.len + 3 >= budget || !t.truncated); /* a character is at most 4 bytes */
		assert_true(t.omitted <= n);
		assert_int_equal(t.truncated, t.omitted > 0);
		text_safe_free(&t);
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
