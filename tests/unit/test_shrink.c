/* test_shrink.c: unit tests of shrink.c with synthetic predicates: minimality, kept header,
 * call and time bounds, abort, and the cache that never repeats a call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "shrink.h"

enum rule {
	ALL_OF,     /* fails when every line of `needles` is present (as a whole line) */
	AT_LEAST_K, /* fails when the input has at least k lines */
	ALWAYS,     /* always fails, even when empty */
};

struct probe {
	enum rule rule;
	const char *needles[8];
	size_t k;
	const char *header;   /* when set, every candidate must start with it */
	char **seen;          /* every candidate the predicate was called with */
	size_t nseen;
	double now;           /* a fake clock, advanced by `tick` per call */
	double tick;
	size_t abort_at;      /* return -7 on this call (1-based), 0 for never */
	long sleep_ns;
};

static int has_line(const char *in, size_t len, const char *line)
{
	size_t n = strlen(line), pos = 0;

	while (pos < len) {
		const char *nl = memchr(in + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - in) : len;

		if (end - pos == n && !memcmp(in + pos, line, n))
			return 1;
		pos = end + 1;
	}
	return 0;
}

static size_t count_lines(const char *in, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (in[i] == '\n')
			n++;
	return n + (len && in[len - 1] != '\n');
}

/* The rule alone, without bookkeeping: also used to check results. */
static int rule_fails(const struct probe *p, const char *in, size_t len)
{
	switch (p->rule) {
	case ALL_OF:
		for (size_t i = 0; i < 8 && p->needles[i]; i++)
			if (!has_line(in, len, p->needles[i]))
				return 0;
		return 1;
	case AT_LEAST_K:
		return count_lines(in, len) >= p->k;
	case ALWAYS:
		return 1;
	}
	return 0;
}

static int still_fails(void *ctx, const char *in, size_t len)
{
	struct probe *p = ctx;

	assert_int_equal(in[len], '\0');
	for (size_t i = 0; i < p->nseen; i++)
		if (strlen(p->seen[i]) == len && !memcmp(p->seen[i], in, len))
			fail_msg("predicate called twice on the same %zu bytes", len);
	p->seen = realloc(p->seen, (p->nseen + 1) * sizeof(*p->seen));
	p->seen[p->nseen] = strndup(in, len);
	p->nseen++;
	if (p->header)
		assert_memory_equal(in, p->header, strlen(p->header));
	p->now += p->tick;
	if (p->sleep_ns) {
		struct timespec ts = {0, p->sleep_ns};

		nanosleep(&ts, NULL);
	}
	if (p->abort_at && p->nseen == p->abort_at)
		return -7;
	return rule_fails(p, in, len);
}

static double fake_clock(void *ctx)
{
	return ((struct probe *)ctx)->now;
}

static void probe_free(struct probe *p)
{
	for (size_t i = 0; i < p->nseen; i++)
		free(p->seen[i]);
	free(p->seen);
	p->seen = NULL;
	p->nseen = 0;
}

/* "line 0\nline 1\n..." with some lines replaced. */
static char *make_input(size_t n, const char *const *special, const size_t *at, size_t nspecial)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		const char *s = NULL;

		for (size_t k = 0; k < nspecial; k++)
			/* Callers set at[0..nspecial). */
			/* cppcheck-suppress uninitvar */
			if (at[k] == i)
				s = special[k];
		if (s)
			buf_printf(&b, "%s\n", s);
		else
			buf_printf(&b, "line %zu\n", i);
	}
	return buf_detach(&b);
}

/* Removing any one line of the result (past the kept ones) makes the rule pass. */
static void assert_one_minimal(const struct probe *p, const struct shrink_result *r, size_t keep)
{
	size_t pos = 0, line = 0;

	while (pos < r->len) {
		const char *nl = memchr(r->input + pos, '\n', r->len - pos);
		size_t end = nl ? (size_t)(nl - r->input) + 1 : r->len;

		if (line >= keep) {
			char *without = malloc(r->len + 1);

			memcpy(without, r->input, pos);
			memcpy(without + pos, r->input + end, r->len - end);
			if (rule_fails(p, without, r->len - (end - pos)))
				fail_msg("still fails without line %zu of \"%s\"", line + 1, r->input);
			free(without);
		}
		pos = end;
		line++;
	}
}

static void test_two_needles_shrink_to_two_lines(void **state)
{
	(void)state;
	const char *sp[] = {"needle X", "needle Y"};
	size_t at[] = {17, 63};
	char *in = make_input(100, sp, at, 2);
	struct probe p = {.rule = ALL_OF, .needles = {"needle X", "needle Y"}};
	struct shrink_result r;

	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, NULL, &r), 0);
	assert_string_equal(r.input, "needle X\nneedle Y\n");
	assert_int_equal(r.len, strlen(r.input));
	assert_int_equal(r.lines, 2);
	assert_int_equal(r.status, SHRINK_MINIMAL);
	assert_int_equal(r.calls, p.nseen);
	assert_true(r.calls > 0 && r.calls < 200);
	assert_true(r.cache_hits > 0); /* with two chunks, the complements are the chunks again */
	for (size_t i = 0; i < p.nseen; i++)
		assert_string_not_equal(p.seen[i], in); /* the caller's failing input is not re-run */
	assert_one_minimal(&p, &r, 0);
	assert_string_equal(shrink_status_name(r.status), "minimal");
	shrink_result_free(&r);
	probe_free(&p);
	free(in);
}

/* Against many random sets of needed lines, and against "at least k lines", the result is
 * exactly what is needed and 1-minimal. */
static void test_results_are_exactly_the_needed_lines(void **state)
{
	(void)state;
	unsigned seed = 99;
	char names[4][16];

	for (int round = 0; round < 40; round++) {
		size_t n = 1 + (size_t)(round * 13 % 90), k = 1 + (size_t)round % 4, at[4];
		const char *sp[4];
		struct probe p = {.rule = ALL_OF};
		struct shrink_result r;
		struct buf want = BUF_INIT;
		char *in;

		if (k > n)
			k = n;
		for (size_t i = 0; i < k; i++) {
			seed = seed * 1103515245u + 12345u;
			at[i] = i * n / k + (seed >> 16) % (n / k); /* distinct and ascending */
			snprintf(names[i], sizeof(names[i]), "need %zu", i);
			sp[i] = p.needles[i] = names[i];
			buf_printf(&want, "%s\n", names[i]);
		}
		in = make_input(n, sp, at, k);
		assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, NULL, &r), 0);
		assert_string_equal(r.input, buf_str(&want));
		assert_int_equal(r.status, SHRINK_MINIMAL);
		assert_one_minimal(&p, &r, 0);
		shrink_result_free(&r);
		probe_free(&p);
		buf_free(&want);
		free(in);
	}
	for (size_t kk = 1; kk <= 9; kk += 4) {
		char *in = make_input(50, NULL, NULL, 0);
		struct probe p = {.rule = AT_LEAST_K, .k = kk};
		struct shrink_result r;

		assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, NULL, &r), 0);
		assert_int_equal(r.lines, kk);
		assert_int_equal(count_lines(r.input, r.len), kk);
		assert_one_minimal(&p, &r, 0);
		shrink_result_free(&r);
		probe_free(&p);
		free(in);
	}
}

static void test_failing_on_empty_input_shrinks_to_nothing(void **state)
{
	(void)state;
	char *in = make_input(10, NULL, NULL, 0);
	struct probe p = {.rule = ALWAYS};
	struct shrink_result r;

	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, NULL, &r), 0);
	assert_string_equal(r.input, "");
	assert_int_equal(r.lines, 0);
	assert_int_equal(r.status, SHRINK_MINIMAL);
	shrink_result_free(&r);
	probe_free(&p);
	free(in);
	/* Nothing to shrink: no call at all. */
	assert_int_equal(shrink_lines(NULL, 0, still_fails, &p, NULL, &r), 0);
	assert_int_equal(r.calls, 0);
	assert_string_equal(r.input, "");
	assert_int_equal(r.status, SHRINK_MINIMAL);
	shrink_result_free(&r);
}

static void test_last_line_without_newline(void **state)
{
	(void)state;
	const char *in = "a\nb\nc\nlast";
	struct probe p = {.rule = ALL_OF, .needles = {"last"}};
	struct shrink_result r;

	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, NULL, &r), 0);
	assert_string_equal(r.input, "last");
	assert_int_equal(r.lines, 1);
	shrink_result_free(&r);
	probe_free(&p);
}

static void test_header_is_kept(void **state)
{
	(void)state;
	const char *sp[] = {"name,score", "bob,-1"};
	size_t at[] = {0, 31};
	char *in = make_input(60, sp, at, 2);
	struct probe p = {.rule = ALL_OF, .needles = {"bob,-1"}, .header = "name,score\n"};
	struct shrink_options o = {.keep_lines = 1};
	struct shrink_result r;

	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, &o, &r), 0);
	assert_string_equal(r.input, "name,score\nbob,-1\n");
	assert_int_equal(r.lines, 2);
	assert_int_equal(r.status, SHRINK_MINIMAL);
	assert_one_minimal(&p, &r, 1);
	shrink_result_free(&r);
	probe_free(&p);
	/* Even when the failure does not need any data row, the header stays. */
	p = (struct probe){.rule = ALWAYS, .header = "name,score\n"};
	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, &o, &r), 0);
	assert_string_equal(r.input, "name,score\n");
	shrink_result_free(&r);
	probe_free(&p);
	/* Keeping more lines than there are leaves the input as it is, with no call. */
	o.keep_lines = 1000;
	p = (struct probe){.rule = ALWAYS};
	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, &o, &r), 0);
	assert_string_equal(r.input, in);
	assert_int_equal(r.calls, 0);
	shrink_result_free(&r);
	free(in);
}

static void test_cache_never_repeats_a_candidate(void **state)
{
	(void)state;
	/* Equal lines give equal candidates through different index sets: "a\n" from line 1 and
	 * "a\n" from line 2 are one candidate, so two calls are enough ("a\na\n" fails, "a\n"
	 * passes) and every other candidate comes from the cache. */
	const char *in = "a\na\na\na\n";
	struct probe p = {.rule = AT_LEAST_K, .k = 2};
	struct shrink_result r;

	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, NULL, &r), 0);
	assert_string_equal(r.input, "a\na\n");
	assert_int_equal(r.status, SHRINK_MINIMAL);
	assert_int_equal(r.calls, 2);
	assert_int_equal(p.nseen, 2); /* still_fails also fails the test on a repeated input */
	assert_true(r.cache_hits >= 3);
	shrink_result_free(&r);
	probe_free(&p);
}

static void test_call_limit(void **state)
{
	(void)state;
	const char *sp[] = {"X", "Y", "Z"};
	size_t at[] = {5, 50, 150};
	char *in = make_input(200, sp, at, 3);
	struct probe p = {.rule = ALL_OF, .needles = {"X", "Y", "Z"}};
	struct shrink_options o = {.max_calls = 6};
	struct shrink_result r;

	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, &o, &r), 0);
	assert_int_equal(r.status, SHRINK_CALL_LIMIT);
	assert_int_equal(r.calls, 6);
	assert_int_equal(p.nseen, 6);
	assert_true(rule_fails(&p, r.input, r.len)); /* still a failing input */
	assert_true(r.len <= strlen(in));
	assert_string_equal(shrink_status_name(r.status), "call limit");
	shrink_result_free(&r);
	probe_free(&p);
	free(in);
}

static void test_time_limit_with_a_fake_clock(void **state)
{
	(void)state;
	char *in = make_input(100, NULL, NULL, 0);
	struct probe p = {.rule = AT_LEAST_K, .k = 3, .tick = 1.0, .now = 1000.0};
	struct shrink_options o = {.max_seconds = 3.5, .clock = fake_clock};
	struct shrink_result r;

	/* Calls start at t = 0, 1, 2, 3 (seconds after the start); at 4 >= 3.5 none starts. */
	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, &o, &r), 0);
	assert_int_equal(r.status, SHRINK_TIME_LIMIT);
	assert_int_equal(r.calls, 4);
	assert_true(rule_fails(&p, r.input, r.len));
	shrink_result_free(&r);
	probe_free(&p);
	free(in);
}

static void test_time_limit_with_the_real_clock(void **state)
{
	(void)state;
	char *in = make_input(100, NULL, NULL, 0);
	struct probe p = {.rule = AT_LEAST_K, .k = 3, .sleep_ns = 3000000};
	struct shrink_options o = {.max_seconds = 0.002};
	struct shrink_result r;

	/* Each call sleeps 3 ms, so no second call can start within 2 ms. */
	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, &o, &r), 0);
	assert_int_equal(r.status, SHRINK_TIME_LIMIT);
	assert_true(r.calls <= 1);
	shrink_result_free(&r);
	probe_free(&p);
	free(in);
}

static void test_predicate_error_aborts_with_best_so_far(void **state)
{
	(void)state;
	const char *sp[] = {"X"};
	size_t at[] = {3};
	char *in = make_input(64, sp, at, 1);
	struct probe p = {.rule = ALL_OF, .needles = {"X"}, .abort_at = 4};
	struct shrink_result r;

	assert_int_equal(shrink_lines(in, strlen(in), still_fails, &p, NULL, &r), -1);
	assert_int_equal(r.status, SHRINK_ABORTED);
	assert_int_equal(r.error, -7);
	assert_int_equal(r.calls, 4);
	assert_non_null(r.input);
	assert_true(rule_fails(&p, r.input, r.len));
	assert_true(r.len < strlen(in)); /* the first calls already halved it */
	shrink_result_free(&r);
	probe_free(&p);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_needles_shrink_to_two_lines),
		cmocka_unit_test(test_results_are_exactly_the_needed_lines),
		cmocka_unit_test(test_failing_on_empty_input_shrinks_to_nothing),
		cmocka_unit_test(test_last_line_without_newline),
		cmocka_unit_test(test_header_is_kept),
		cmocka_unit_test(test_cache_never_repeats_a_candidate),
		cmocka_unit_test(test_call_limit),
		cmocka_unit_test(test_time_limit_with_a_fake_clock),
		cmocka_unit_test(test_time_limit_with_the_real_clock),
		cmocka_unit_test(test_predicate_error_aborts_with_best_so_far),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
