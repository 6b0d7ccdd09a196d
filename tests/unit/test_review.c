/* test_review.c: unit tests of review.c: the class's queue gathered from reports (the `verified`
 * check's entries awaiting review, by exercise and key, most learners first, spellings and learners
 * distinct, a missing key made by catalog_normalise), the near misses apart, finding a group by key
 * or spelling, and the JSON with the class catalog's decisions. */
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
#include "classcat.h"
#include "review.h"
#include "spec.h"
#include "summary.h"

static struct spec_chapter *chapter;

static int setup(void **state)
{
	struct buf err = BUF_INIT;

	(void)state;
	chapter = spec_load_chapter("specs/ch01", &err);
	buf_free(&err);
	return chapter ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	spec_chapter_free(chapter);
	return 0;
}

/* A report of `learner` whose ex1 (and, when `crates` is set, ex3) verified check has the entries
 * "name|status|key" (key may be left out). */
static cJSON *report(const char *learner, const char *const *orgs, const char *const *crates)
{
	cJSON *r = cJSON_CreateObject(), *exs = cJSON_AddArrayToObject(r, "exercises");
	const char *const *lists[2] = {orgs, crates};
	const char *ids[2] = {"ch01-ex1", "ch01-ex3"};

	cJSON_AddNumberToObject(r, "schema_version", 1);
	cJSON_AddStringToObject(r, "learner", learner);
	cJSON_AddStringToObject(r, "spec", "ch01");
	for (int k = 0; k < 2; k++) {
		cJSON *ex, *c, *entries;
		if (!lists[k])
			continue;
		ex = cJSON_CreateObject();
		cJSON_AddStringToObject(ex, "id", ids[k]);
		cJSON_AddStringToObject(ex, "kind", "answers");
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "id", "verified");
		entries = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c, "evidence"), "entries");
		for (size_t i = 0; lists[k][i]; i++) {
			char name[64], status[32], key[64] = "";
			cJSON *e = cJSON_CreateObject();
			assert_true(sscanf(lists[k][i], "%63[^|]|%31[^|]|%63s", name, status, key) >= 2);
			cJSON_AddStringToObject(e, "name", name);
			cJSON_AddStringToObject(e, "status", status);
			if (*key && strcmp(status, "suggested"))
				cJSON_AddStringToObject(e, "key", key);
			else if (*key)
				cJSON_AddStringToObject(e, "suggestion", key);
			cJSON_AddItemToArray(entries, e);
		}
		cJSON_AddItemToArray(cJSON_AddArrayToObject(ex, "checks"), c);
		cJSON_AddItemToArray(exs, ex);
	}
	return r;
}

static struct summary *klass(void)
{
	static const char *const a[] = {"Hugging Face|verified|huggingface", "Candle Labs|review|candlelabs",
					"My Blog|review|myblog", NULL};
	static const char *const b[] = {"candle labs|review|candlelabs", "Candle Labs|review|candlelabs", NULL};
	static const char *const c[] = {"Candle-Labs|review", NULL}; /* no key: normalised here */
	static const char *const c3[] = {"linfaa|suggested|linfa", "candlelabs|review|candlelabs", NULL};
	struct summary *s = summary_new();
	struct buf err = BUF_INIT;

	assert_int_equal(summary_add(s, report("alice", a, NULL), "a", NULL, &err), SUMMARY_OK);
	assert_int_equal(summary_add(s, report("bob", b, NULL), "b", NULL, &err), SUMMARY_OK);
	assert_int_equal(summary_add(s, report("carol\x1b[31m", c, c3), "c", NULL, &err), SUMMARY_OK);
	buf_free(&err);
	return s;
}

static void test_groups_by_exercise_and_key(void **state)
{
	struct summary *s = klass();
	struct review *rv = review_collect(s, chapter);
	const struct review_group *g;

	(void)state;
	assert_int_equal(rv->nreview, 3); /* Candle Labs of ex1, My Blog, Candle Labs of ex3 */
	g = &rv->review[0];
	assert_string_equal(g->exercise, "ch01-ex1");
	assert_string_equal(g->catalog, "organisations");
	assert_string_equal(g->key, "candlelabs");
	assert_int_equal(g->nlearners, 3);
	assert_string_equal(g->learners[0], "alice");
	assert_string_equal(g->learners[2], "carol\x1b[31m"); /* raw here; shown escaped */
	assert_int_equal(g->nspellings, 3);
	assert_string_equal(g->spellings[0], "Candle Labs");
	assert_string_equal(g->spellings[1], "candle labs");
	assert_string_equal(g->spellings[2], "Candle-Labs");
	/* one learner each: by key, then exercise */
	assert_string_equal(rv->review[1].key, "candlelabs");
	assert_string_equal(rv->review[1].catalog, "crates");
	assert_string_equal(rv->review[2].key, "myblog");
	assert_int_equal(rv->nsuggested, 1);
	assert_string_equal(rv->suggested[0].suggestion, "linfa");
	review_free(rv);
	summary_free(s);
}

static void test_find_by_key_or_spelling(void **state)
{
	struct summary *s = klass();
	struct review *rv = review_collect(s, chapter);
	size_t idx[8];

	(void)state;
	assert_int_equal(review_find(rv, "candlelabs", false, idx, 8), 2);
	assert_int_equal(review_find(rv, "Candle Labs", false, idx, 8), 2);
	assert_int_equal(review_find(rv, "My Blog", false, idx, 8), 1);
	assert_string_equal(review_group_at(rv, idx[0])->key, "myblog");
	assert_int_equal(review_find(rv, "linfaa", false, idx, 8), 0); /* a near miss is not for review */
	assert_int_equal(review_find(rv, "linfaa", true, idx, 8), 1);
	assert_int_equal(review_find(rv, "Qdrant", true, idx, 8), 0);
	review_free(rv);
	summary_free(s);
}

static void test_json_and_decisions(void **state)
{
	struct summary *s = klass();
	struct review *rv = review_collect(s, chapter);
	struct classcat *cc = classcat_new();
	struct buf err = BUF_INIT;
	cJSON *j, *g, *learners;
	char *text;
	FILE *f;

	(void)state;
	assert_int_equal(classcat_decide(cc, "organisations", false, "My Blog", "myblog", "prof", "2026-12-01",
					 "a blog", &err),
			 0);
	j = review_json(rv, cc);
	g = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "review"), 0);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(g, "count")->valueint, 3);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(g, "decision")));
	learners = cJSON_GetObjectItemCaseSensitive(g, "learners");
	assert_null(strchr(cJSON_GetArrayItem(learners, 2)->valuestring, '\x1b')); /* escaped */
	g = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "review"), 2);
	assert_string_equal(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g, "decision"), "verdict")->valuestring,
		"rejected");
	cJSON_Delete(j);
	/* the text: decided names apart, no raw escape of a learner's */
	f = tmpfile();
	review_print(rv, cc, false, f);
	rewind(f);
	text = calloc(1, 8192);
	assert_true(fread(text, 1, 8191, f) > 0);
	assert_non_null(strstr(text, "Awaiting review: 2 names\n  Candle Labs \u2014 3 learners (alice, bob, carol"));
	assert_non_null(strstr(text, "REJECTED by prof on 2026-12-01: a blog"));
	assert_null(strchr(text, '\x1b'));
	fclose(f);
	free(text);
	classcat_free(cc);
	review_free(rv);
	summary_free(s);
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_by_exercise_and_key),
		cmocka_unit_test(test_find_by_key_or_spelling),
		cmocka_unit_test(test_json_and_decisions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
