/* test_edges.c: unit tests of exercise 4's standard edge inputs (edges.h): each one derived from a
 * learner's first case, a CSV-like case keeping its header, and the inputs that cannot be made
 * (binary case, no text field, the same as the case). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "exercises/edges.h"
#include "spec.h"

static const char csv[] = "name,stars\nDune,5\nHeat,3\n";

/* Makes edge `e` from `src`; returns edge_make's result, the input in *out, the reason in *why. */
static int make(enum spec_edge e, const char *src, size_t len, size_t long_bytes, struct buf *out,
		struct buf *why)
{
	buf_reset(why);
	return edge_make(e, src, len, long_bytes, out, why);
}

static void test_simple_edges(void **state)
{
	struct buf out = BUF_INIT, why = BUF_INIT;

	(void)state;
	assert_int_equal(make(SPEC_EDGE_EMPTY, csv, strlen(csv), 1000, &out, &why), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(make(SPEC_EDGE_ONE_LINE, csv, strlen(csv), 1000, &out, &why), 0);
	assert_string_equal(out.data, "name,stars\n"); /* the header alone */
	assert_int_equal(make(SPEC_EDGE_NO_FINAL_NEWLINE, csv, strlen(csv), 1000, &out, &why), 0);
	assert_string_equal(out.data, "name,stars\nDune,5\nHeat,3");
	assert_int_equal(make(SPEC_EDGE_CRLF, csv, strlen(csv), 1000, &out, &why), 0);
	assert_string_equal(out.data, "name,stars\r\nDune,5\r\nHeat,3\r\n");
	/* a CRLF case: no final newline takes off both bytes, and CRLF is the case itself */
	assert_int_equal(make(SPEC_EDGE_NO_FINAL_NEWLINE, "a\r\nb\r\n", 6, 1000, &out, &why), 0);
	assert_string_equal(out.data, "a\r\nb");
	assert_int_equal(make(SPEC_EDGE_CRLF, "a\r\nb\r\n", 6, 1000, &out, &why), -1);
	assert_string_equal(why.data, "it is your first case itself");
	/* an empty first case: the empty input is that case */
	assert_int_equal(make(SPEC_EDGE_EMPTY, "", 0, 1000, &out, &why), -1);
	/* no case at all: only the empty input can be made */
	assert_int_equal(make(SPEC_EDGE_EMPTY, NULL, 0, 1000, &out, &why), 0);
	assert_int_equal(make(SPEC_EDGE_ONE_LINE, NULL, 0, 1000, &out, &why), -1);
	assert_string_equal(why.data, "you have no case to derive it from");
	buf_free(&out);
	buf_free(&why);
}

static void test_long_line(void **state)
{
	struct buf out = BUF_INIT, why = BUF_INIT;
	const char *nl;

	(void)state;
	/* CSV-like: the header kept, the first text field repeated, the columns unchanged */
	assert_int_equal(make(SPEC_EDGE_LONG_LINE, csv, strlen(csv), 1000, &out, &why), 0);
	assert_true(!strncmp(out.data, "name,stars\nDuneDune", 19));
	nl = strchr(out.data + 11, '\n');
	assert_non_null(nl);
	assert_int_equal(nl[1], '\0');             /* one line after the header */
	assert_true(nl - (out.data + 11) <= 1000); /* within the size asked */
	assert_true(nl - (out.data + 11) > 990);   /* and near it */
	assert_true(!strncmp(nl - 2, ",5", 2));    /* the other field kept */
	/* text: the whole line repeated with spaces */
	assert_int_equal(make(SPEC_EDGE_LONG_LINE, "the cat sat\nmore\n", 17, 100, &out, &why), 0);
	assert_true(!strncmp(out.data, "the cat sat the cat sat ", 24));
	assert_true(out.len <= 101 && out.len > 80);
	/* blank lines only */
	assert_int_equal(make(SPEC_EDGE_LONG_LINE, "\n\n", 2, 100, &out, &why), -1);
	buf_free(&out);
	buf_free(&why);
}

static void test_non_ascii(void **state)
{
	struct buf out = BUF_INIT, why = BUF_INIT;

	(void)state;
	assert_int_equal(make(SPEC_EDGE_NON_ASCII, csv, strlen(csv), 1000, &out, &why), 0);
	/* the header untouched, each word of letters given UTF-8 letters, numbers untouched */
	assert_true(!strncmp(out.data, "name,stars\nDune", 15));
	assert_true(edge_is_text(out.data, out.len));
	assert_true(out.len > strlen(csv));
	assert_non_null(strstr(out.data, ",5\n"));
	assert_non_null(strstr(out.data, ",3\n"));
	/* the same word gets the same letters */
	assert_int_equal(make(SPEC_EDGE_NON_ASCII, "a,b\nDune,1\nDune,2\n", 18, 1000, &out, &why), 0);
	{
		const char *l2 = strchr(out.data, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
		assert_int_equal(strchr(l2, ',') - l2, strchr(l3, ',') - l3);
		assert_memory_equal(l2, l3, (size_t)(strchr(l2, ',') - l2));
	}
	/* numbers only: nothing to put letters in; "nan" and "1e5" are numbers */
	assert_int_equal(make(SPEC_EDGE_NON_ASCII, "x,y\n1.5,nan\n-2,1e5\n", 19, 1000, &out, &why), -1);
	assert_non_null(strstr(why.data, "no word of letters"));
	buf_free(&out);
	buf_free(&why);
}

static void test_text_and_header(void **state)
{
	struct buf out = BUF_INIT, why = BUF_INIT;

	(void)state;
	assert_true(edge_is_text("caf\xc3\xa9 \xf0\x9f\xa6\x80\n", 11));
	assert_false(edge_is_text("a\0b", 3));
	assert_false(edge_is_text("\xc3", 1));         /* cut short */
	assert_false(edge_is_text("\xc0\xaf", 2));     /* overlong */
	assert_false(edge_is_text("\xed\xa0\x80", 3)); /* a surrogate */
	assert_true(edge_has_header(csv, strlen(csv)));
	assert_false(edge_has_header("one,line\n", 9));
	assert_false(edge_has_header("plain text\nmore text\n", 21));
	/* a binary first case: only the empty input */
	assert_int_equal(make(SPEC_EDGE_CRLF, "a\0b\n", 4, 100, &out, &why), -1);
	assert_non_null(strstr(why.data, "not text"));
	assert_int_equal(make(SPEC_EDGE_EMPTY, "a\0b\n", 4, 100, &out, &why), 0);
	assert_string_equal(edge_title(SPEC_EDGE_EMPTY), "empty input");
	assert_string_equal(spec_edge_key(SPEC_EDGE_NON_ASCII), "non-ascii");
	buf_free(&out);
	buf_free(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_edges),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_non_ascii),
		cmocka_unit_test(test_text_and_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
