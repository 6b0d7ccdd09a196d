/* test_build.c: build_read_messages(), cargo's --message-format=json output as the grader reads it
 * (a build script can print any line there: tests/fuzz/fuzz_cargo.c fuzzes it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "build.h"

static void read_all(const char *text, struct build_result *res)
{
	memset(res, 0, sizeof(*res));
	build_read_messages(text, strlen(text), res);
}

static void test_first_error_and_counts(void **state)
{
	struct build_result res;
	(void)state;

	read_all("{\"reason\":\"compiler-artifact\"}\n"
		 "not json: a build script's own line\n"
		 "{\"reason\":\"compiler-message\",\"message\":{\"level\":\"warning\",\"rendered\":\"w\"}}\n"
		 "{\"reason\":\"compiler-message\",\"message\":{\"level\":\"error\",\"rendered\":\"error[E0597]\","
		 "\"spans\":[{\"is_primary\":false,\"file_name\":\"src/lib.rs\",\"line_start\":1,\"column_start\":1},"
		 "{\"is_primary\":true,\"file_name\":\"src/main.rs\",\"line_start\":37,\"column_start\":27}]}}\n"
		 "{\"reason\":\"compiler-message\",\"message\":{\"level\":\"error\",\"rendered\":\"second\"}}",
		 &res);
	assert_int_equal(res.nerrors, 2);
	assert_int_equal(res.nwarnings, 1);
	assert_string_equal(res.rendered.data, "error[E0597]");
	assert_string_equal(res.file, "src/main.rs");
	assert_int_equal(res.line, 37);
	assert_int_equal(res.column, 27);
	build_result_free(&res);
}

/* Found by fuzz_cargo: a position that is not a number an int holds was converted to int anyway
 * (undefined: NaN for a string, 1e300). Now it reads 0, unknown; tests/fuzz/regressions/cargo/
 * keeps the fuzzer's input. */
static void test_position_not_an_int(void **state)
{
	static const char *const values[][2] = {
		{"\"37\"", "1e300"}, {"null", "-1e300"}, {"-5", "2147483648"}, {"true", "0.5"}};
	(void)state;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct build_result res;
		char line[300];
		snprintf(line, sizeof(line),
			 "{\"reason\":\"compiler-message\",\"message\":{\"level\":\"error\",\"spans\":[{\"is_primary\":"
			 "true,\"file_name\":\"src/main.rs\",\"line_start\":%s,\"column_start\":%s}]}}\n",
			 values[i][0], values[i][1]);
		read_all(line, &res);
		assert_int_equal(res.nerrors, 1);
		assert_string_equal(res.file, "src/main.rs");
		assert_int_equal(res.line, 0);
		assert_int_equal(res.column, 0);
		build_result_free(&res);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_error_and_counts),
		cmocka_unit_test(test_position_not_an_int),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
