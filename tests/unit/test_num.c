/* test_num.c: the formatters of numbers for people (num_format_*). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "num.h"

static void test_sig_digits(void **state)
{
	char b[64];
	(void)state;

	assert_string_equal(num_format_sig(1000, 3, b, sizeof(b)), "1000");
	assert_string_equal(num_format_sig(1e6, 2, b, sizeof(b)), "1000000");
	assert_string_equal(num_format_sig(12.345, 3, b, sizeof(b)), "12.3");
	assert_string_equal(num_format_sig(12.345, 2, b, sizeof(b)), "12");
	assert_string_equal(num_format_sig(1234.6, 2, b, sizeof(b)), "1235"); /* the integer part stays */
	assert_string_equal(num_format_sig(0.012345, 3, b, sizeof(b)), "0.0123");
	assert_string_equal(num_format_sig(2.0, 3, b, sizeof(b)), "2");
	assert_string_equal(num_format_sig(2.50, 3, b, sizeof(b)), "2.5");
	assert_string_equal(num_format_sig(9.96, 2, b, sizeof(b)), "10"); /* a carry, not "10.0" */
	assert_string_equal(num_format_sig(0.0996, 2, b, sizeof(b)), "0.1");
	assert_string_equal(num_format_sig(0, 3, b, sizeof(b)), "0");
	assert_string_equal(num_format_sig(-0.0001, 1, b, sizeof(b)), "-0.0001");
	assert_string_equal(num_format_sig(-3.14159, 3, b, sizeof(b)), "-3.14");
	/* No exponent form below 1e15, "%g" above and for non-finite values. */
	assert_string_equal(num_format_sig(123456789012.0, 3, b, sizeof(b)), "123456789012");
	assert_string_equal(num_format_sig(2e20, 3, b, sizeof(b)), "2e+20");
	/* A small buffer truncates, never overflows. */
	assert_string_equal(num_format_sig(123456.0, 3, b, 4), "123");
}

static void test_ratio_and_speed(void **state)
{
	char b[64];
	(void)state;

	assert_string_equal(num_format_ratio(1000, b, sizeof(b)), "1000x");
	assert_string_equal(num_format_ratio(12.7, b, sizeof(b)), "13x");
	assert_string_equal(num_format_ratio(3.125, b, sizeof(b)), "3.1x");
	assert_string_equal(num_format_ratio(0.32, b, sizeof(b)), "0.32x");
	assert_string_equal(num_format_ratio(1.5, b, sizeof(b)), "1.5x");
	assert_string_equal(num_format_ratio(1.04, b, sizeof(b)), "1.04x"); /* not "1x" */
	assert_string_equal(num_format_ratio(0.97, b, sizeof(b)), "0.97x");
	assert_string_equal(num_format_speed(0.32, b, sizeof(b)), "3.1x slower");
	assert_string_equal(num_format_speed(84.0 / 1650.0, b, sizeof(b)), "20x slower");
	assert_string_equal(num_format_speed(11.4, b, sizeof(b)), "11x faster");
	assert_string_equal(num_format_speed(0.96, b, sizeof(b)), "1.04x slower");
	assert_string_equal(num_format_speed(1.0, b, sizeof(b)), "1x faster");
}

static void test_time(void **state)
{
	char b[64];
	(void)state;

	assert_string_equal(num_format_time(0.084, b, sizeof(b)), "84 ms");
	assert_string_equal(num_format_time(1.65, b, sizeof(b)), "1.65 s");
	assert_string_equal(num_format_time(0.2, b, sizeof(b)), "200 ms");
	assert_string_equal(num_format_time(0.00763, b, sizeof(b)), "7.63 ms");
	assert_string_equal(num_format_time(0.00025, b, sizeof(b)), "250 us");
	assert_string_equal(num_format_time(0.9999, b, sizeof(b)), "1 s"); /* not "1000 ms" */
	assert_string_equal(num_format_time(125.0, b, sizeof(b)), "125 s");
	assert_string_equal(num_format_time(0, b, sizeof(b)), "0 s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sig_digits),
		cmocka_unit_test(test_ratio_and_speed),
		cmocka_unit_test(test_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
