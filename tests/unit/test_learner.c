/* test_learner.c: what a safe learner id is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "learner.h"

static void test_safe_ids(void **state)
{
	static const char *const good[] = {
		"bob", "Bob", "b", "0", "alice.smith", "team_a-bob", "a..b", "bob.git", "x.", "A1-_.z", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", /* 64 */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (learner_id_problem(good[i]))
			fail_msg("'%s' was refused: %s", good[i], learner_id_problem(good[i]));
}

static void test_unsafe_ids(void **state)
{
	static const struct {
		const char *id, *why;
	} bad[] = {
		{"", "is empty"},
		{".", "starts with '.'"},
		{"..", "starts with '.'"},
		{".timing.lock", "starts with '.'"},
		{".grader", "starts with '.'"},
		{"-rf", "does not start with a letter or a digit"},
		{"_x", "does not start with a letter or a digit"},
		{"teamA/bob", "contains '/'"},
		{"a b", "contains a character"},
		{"bob\n", "contains a character"},
		{"b\xc3\xa9", "contains a character"},
		{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "longer than 64"}, /* 65 */
	};
	(void)state;
	assert_non_null(learner_id_problem(NULL));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = learner_id_problem(bad[i].id);
		if (!why || !strstr(why, bad[i].why))
			fail_msg("'%s': %s (wanted '%s')", bad[i].id, why ? why : "accepted", bad[i].why);
	}
}

static void test_same_and_quote(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	assert_true(learner_id_same("Bob", "bob"));
	assert_false(learner_id_same("bob", "bob2"));
	learner_id_quote("a\033[31m'\\b", &b);
	assert_string_equal(buf_str(&b), "a\\x1b[31m\\x27\\x5cb");
	buf_free(&b);
}

/* A learner's shard depends on the id alone (not on case), and 1000 ids spread over 4 shards
 * about evenly. The first value is SHA-256("alice") = 2bd806c9..., whose first 8 bytes modulo 7
 * were computed independently (python3: int("2bd806c97f0e00af", 16) % 7 == 1). */
static void test_shard(void **state)
{
	unsigned count[4] = {0};
	char id[16];

	(void)state;
	assert_int_equal(learner_shard("alice", 7), 1);
	assert_int_equal(learner_shard("Alice", 7), learner_shard("alice", 7));
	assert_int_equal(learner_shard("bob", 1), 0);
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof(id), "s%04d", i);
		count[learner_shard(id, 4)]++;
	}
	for (int i = 0; i < 4; i++) {
		assert_true(count[i] > 200);
		assert_true(count[i] < 300);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_ids),
		cmocka_unit_test(test_unsafe_ids),
		cmocka_unit_test(test_same_and_quote),
		cmocka_unit_test(test_shard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
