/* test_summary.c: unit tests of summary.c on the example reports of tests/views/reports, changed
 * by each test: the grade sheet's cells, the rubric's precision, the pass reasons, the new report
 * fields (inputs, graded_commit_late, later_commits, penalty) and their absence, the refusals,
 * the clustering of messages, the distributions and the cited names. */
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
#include "fs.h"
#include "summary.h"
#include "views_fixtures.h"

/* The row of `learner` in a sheet (up to its line feed), as a new string; fails when missing. */
static char *row_of(const char *csv, const char *learner)
{
	size_t n = strlen(learner);

	for (const char *p = csv; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, learner, n) == 0 && p[n] == ',')
			return strndup(p, strcspn(p, "\n"));
	fail_msg("no row for %s in:\n%s", learner, csv);
	return NULL;
}

/* The end of the cell at `p` (a quoted cell's doubled quotes included). */
static const char *cell_end(const char *p)
{
	if (*p != '"')
		return p + strcspn(p, ",");
	for (p++; *p; p++)
		if (*p == '"' && *++p != '"')
			break;
	return p;
}

/* The cell `col` (0-based) of a row, as written (quotes kept). */
static char *cell(const char *row, int col)
{
	const char *p = row;

	for (int i = 0; i < col; i++) {
		p = cell_end(p);
		assert_int_equal(*p, ',');
		p++;
	}
	return strndup(p, (size_t)(cell_end(p) - p));
}

static void assert_cell(const char *row, int col, const char *want)
{
	char *c = cell(row, col);

	if (strcmp(c, want) != 0)
		fail_msg("cell %d of '%s' is '%s', not '%s'", col, row, c, want);
	free(c);
}

static cJSON *score_of(cJSON *r)
{
	return cJSON_GetObjectItemCaseSensitive(r, "score");
}

static cJSON *check_of(cJSON *r, const char *ex, const char *id)
{
	return find_id(cJSON_GetObjectItemCaseSensitive(
			       find_id(cJSON_GetObjectItemCaseSensitive(r, "exercises"), ex), "checks"),
		       id);
}

static void set_num(cJSON *o, const char *key, double v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	cJSON_AddNumberToObject(o, key, v);
}

static void add(struct summary *s, cJSON *r, const char *path)
{
	struct buf err = BUF_INIT;

	if (summary_add(s, r, path, NULL, &err) != SUMMARY_OK)
		fail_msg("%s refused: %s", path, err.data);
	buf_free(&err);
}

static void sheet(struct summary *s, struct buf *csv)
{
	buf_reset(csv);
	assert_int_equal(summary_csv(s, csv), 0);
}

/* Takes out what a report records of the deadline, for a test to set its own. */
static void forget_deadline(cJSON *r)
{
	cJSON *sub = cJSON_GetObjectItemCaseSensitive(r, "submission");

	cJSON_DeleteItemFromObjectCaseSensitive(sub, "graded_commit_late");
	cJSON_DeleteItemFromObjectCaseSensitive(sub, "later_commits");
	cJSON_DeleteItemFromObjectCaseSensitive(score_of(r), "penalty");
}

/* Columns: learner 0, points 1, max_points 2, percent 3, passed 4, reason 5, graded_commit_late 6,
 * later_commits 7, penalty 8, commit 9, options 10, errors 11, ex1 12. */
static void test_sheet_rows_say_what_they_mean(void **state)
{
	struct summary *s = summary_new();
	struct buf csv = BUF_INIT;
	cJSON *correct = fixture_load("correct"), *edge = fixture_load("edge-case"),
	      *comp = fixture_load("compile-error");
	cJSON *panic = fixture_load("panic"), *vend = fixture_load("vendored"), *sub, *in, *opt, *pen;
	char *row;
	(void)state;

	/* as reports of a grader that recorded nothing of a deadline; the cases below set their own */
	forget_deadline(correct);
	forget_deadline(edge);
	forget_deadline(comp);
	forget_deadline(panic);
	forget_deadline(vend);
	/* correct: a report of the new format, graded on time with later commits, and a penalty */
	sub = cJSON_GetObjectItemCaseSensitive(correct, "submission");
	cJSON_AddBoolToObject(sub, "graded_commit_late", false);
	cJSON_AddNumberToObject(sub, "later_commits", 2);
	set_str(sub, "commit", "0123456789abcdef");
	in = cJSON_AddObjectToObject(correct, "inputs");
	cJSON_AddStringToObject(in, "spec_digest", "abc");
	opt = cJSON_AddObjectToObject(in, "options");
	cJSON_AddBoolToObject(opt, "no_perf", true);
	cJSON_AddStringToObject(opt, "only", "ex4");
	cJSON_AddNullToObject(opt, "deadline");
	pen = cJSON_AddObjectToObject(score_of(correct), "penalty");
	cJSON_AddNumberToObject(pen, "fraction", 0.1);
	cJSON_AddNumberToObject(pen, "points", 9);
	cJSON_AddStringToObject(pen, "reason", "1 day late");
	set_num(score_of(correct), "points", 81);
	/* vendored: late graded commit, no penalty */
	sub = cJSON_GetObjectItemCaseSensitive(vend, "submission");
	cJSON_AddBoolToObject(sub, "graded_commit_late", true);
	cJSON_AddNumberToObject(sub, "later_commits", 0);
	cJSON_AddNullToObject(score_of(vend), "penalty");
	/* panic: not graded at all; compile-error: an infrastructure error */
	set_str(cJSON_GetObjectItemCaseSensitive(panic, "submission"), "error",
		"clone failed: no such repository\nmore");
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(comp, "errors"),
			     cJSON_CreateString("sandbox: no bwrap"));
	add(s, correct, "a/correct/report.json");
	add(s, edge, "a/edge-case/report.json");
	add(s, comp, "b/compile-error/report.json");
	add(s, panic, "b/panic/report.json");
	add(s, vend, "b/vendored/report.json");
	assert_int_equal(summary_count(s), 5);
	sheet(s, &csv);

	assert_int_equal(strncmp(csv.data,
				 "learner,points,max_points,percent,passed,reason,graded_commit_late,later_commits,"
				 "penalty,commit,options,errors,ex1,ex2,ex3,ex4,ex1.count,",
				 134),
			 0);
	/* sorted by learner */
	assert_true(strstr(csv.data, "\ncompile-error,") < strstr(csv.data, "\ncorrect,"));
	assert_true(strstr(csv.data, "\npanic,") < strstr(csv.data, "\nvendored,"));

	row = row_of(csv.data, "correct");
	assert_cell(row, 1, "81");
	assert_cell(row, 2, "90");
	assert_cell(row, 3, "90.0");
	assert_cell(row, 4, "yes");
	assert_cell(row, 5, "90.0% >= 60% threshold; late penalty of 9 points (1 day late)");
	assert_cell(row, 6, "no"); /* graded on time although later commits exist */
	assert_cell(row, 7, "2");
	assert_cell(row, 8, "9");
	assert_cell(row, 9, "0123456789abcdef");
	assert_cell(row, 10, "no-perf; only=ex4");
	assert_cell(row, 11, "0");
	free(row);

	/* whole-point rubric: 66.833333 prints as 67, the percent from the points before rounding */
	row = row_of(csv.data, "edge-case");
	assert_cell(row, 1, "67");
	assert_cell(row, 3, "74.3");
	assert_cell(row, 4, "no");
	assert_cell(row, 5, "\"74.3% >= 60% threshold, but required check failed: ex4.correctness\"");
	assert_cell(row, 6, ""); /* an older report does not say */
	assert_cell(row, 7, "");
	assert_cell(row, 8, "");
	assert_cell(row, 10, "no-perf"); /* an older report: its skipped checks say so */
	assert_null(strstr(row, ".8333"));
	free(row);

	row = row_of(csv.data, "panic");
	assert_cell(row, 5, "not graded: clone failed: no such repository");
	free(row);
	row = row_of(csv.data, "compile-error");
	assert_cell(row, 5, "infrastructure error: sandbox: no bwrap");
	assert_cell(row, 11, "1");
	free(row);
	row = row_of(csv.data, "vendored");
	assert_cell(row, 5, "78.9% >= 60% threshold");
	assert_cell(row, 6, "yes");
	assert_cell(row, 7, "0");
	assert_cell(row, 8, "0");
	free(row);

	summary_free(s);
	buf_free(&csv);
}

/* A rubric with a half point gives one decimal; the precision is capped at 2. */
static void test_sheet_rounds_to_the_rubric(void **state)
{
	struct summary *s = summary_new();
	struct buf csv = BUF_INIT;
	cJSON *edge = fixture_load("edge-case"), *correct = fixture_load("correct");
	char *row;
	(void)state;

	set_num(check_of(correct, "ch01-ex4", "notes"), "max_points", 2.5);
	add(s, edge, "edge.json");
	add(s, correct, "correct.json");
	sheet(s, &csv);
	row = row_of(csv.data, "edge-case");
	assert_cell(row, 1, "66.8");
	assert_cell(row, 2, "90.0");
	free(row);
	summary_free(s);

	s = summary_new();
	edge = fixture_load("edge-case");
	set_num(check_of(edge, "ch01-ex4", "notes"), "max_points", 1.0 / 3);
	add(s, edge, "edge.json");
	sheet(s, &csv);
	row = row_of(csv.data, "edge-case");
	assert_cell(row, 1, "66.83");
	free(row);
	summary_free(s);
	buf_free(&csv);
}

static void refused(cJSON *second, const char *want)
{
	struct summary *s = summary_new();
	struct buf err = BUF_INIT;

	add(s, fixture_load("correct"), "shard1/correct/report.json");
	assert_int_equal(summary_add(s, second, "shard2/x/report.json", NULL, &err), SUMMARY_REFUSED);
	assert_int_equal(summary_count(s), 1);
	if (!strstr(err.data, want) || !strstr(err.data, "shard1/correct/report.json") ||
	    !strstr(err.data, "shard2/x/report.json"))
		fail_msg("'%s' does not say '%s' naming both reports", err.data, want);
	summary_free(s);
	buf_free(&err);
}

static void test_mixed_classes_are_refused(void **state)
{
	cJSON *r;
	(void)state;

	r = fixture_load("panic");
	set_str(cJSON_GetObjectItemCaseSensitive(r, "grader"), "version", "9.9.9");
	refused(r, "mixed grader versions: '0.1.0' in ");
	r = fixture_load("panic");
	set_str(r, "spec", "ch02");
	refused(r, "mixed spec ids: 'ch01' in ");
	r = fixture_load("correct"); /* the same learner in two shards */
	refused(r, "learner 'correct' is in both ");
	{
		struct summary *s = summary_new();
		struct buf err = BUF_INIT;
		cJSON *a = fixture_load("correct"), *b = fixture_load("panic"), *c = fixture_load("edge-case");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(a, "inputs"), "spec_digest", "aaaa");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(b, "inputs"), "spec_digest", "bbbb");
		add(s, a, "a.json");
		add(s, c, "c.json"); /* no digest recorded: not refused */
		assert_int_equal(summary_add(s, b, "b.json", NULL, &err), SUMMARY_REFUSED);
		assert_non_null(strstr(err.data, "mixed spec digests: 'aaaa' in a.json, 'bbbb' in b.json"));
		summary_free(s);
		buf_free(&err);
	}
}

static void normalised(const char *msg, const char *want)
{
	struct buf b = BUF_INIT;

	summary_normalise(msg, &b);
	assert_string_equal(b.data, want);
	buf_free(&b);
}

static void test_messages_cluster_by_normalised_text(void **state)
{
	(void)state;
	normalised("5 of 24 cases differ; first: case generated seed 2: standard output differs: line 11, column 5: "
		   "expected",
		   "N of N cases differ; first: case generated seed N: standard output differs: line N, column N: "
		   "expected");
	normalised("the Rust port does not compile: 1 error, the first at src/main.rs:37:27\nerror[E0597]: x",
		   "the Rust port does not compile: N error, the first at PATH");
	normalised("1 of 3 cases differ; first: case ex4/cases/missing_bmi.csv: the Python original exited 0",
		   "N of N cases differ; first: case PATH: the Python original exited N");
	normalised("ratio 1.5x  with   spaces\tand E0597 x86", "ratio N.Nx with spaces and E0597 x86");
	normalised("\x1b[2J bell\x07", "\\x1b[NJ bell\\x07"); /* shown visibly */
	{
		/* at most 200 bytes */
		char big[1000];
		struct buf b = BUF_INIT;
		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		summary_normalise(big, &b);
		assert_true(b.len <= 203);
		buf_free(&b);
	}
}

static const cJSON *json_check(const cJSON *j, const char *ex, const char *id)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(j, "checks"))
	{
		if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "exercise")), ex) &&
		    !strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "check")), id))
			return c;
	}
	fail_msg("no check %s.%s", ex, id);
	return NULL;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

/* The JSON summary on the seven examples: counts, a check's failures and their clusters. */
static void test_summary_json_counts_and_clusters(void **state)
{
	struct summary *s = summary_new();
	cJSON *j, *r;
	const cJSON *cl, *c, *m;
	char path[64];
	(void)state;

	for (int i = 0; fixture_names[i]; i++) {
		snprintf(path, sizeof(path), "%s.json", fixture_names[i]);
		add(s, fixture_load(fixture_names[i]), path);
	}
	/* an eighth learner failing correctness like panic, with other numbers and another path */
	r = fixture_load("panic");
	set_str(r, "learner", "panic2");
	set_str(check_of(r, "ch01-ex4", "correctness"), "message",
		"2 of 7 cases differ; first: case ex4/cases/other.csv: the Python original exited 0 but the Rust "
		"port exited with status 101; the Rust port's last error output:\nthread 'main' panicked");
	add(s, r, "panic2.json");
	j = summary_json(s);
	cl = cJSON_GetObjectItemCaseSensitive(j, "class");
	assert_int_equal(num(cl, "count"), 8);
	assert_int_equal(num(cl, "passed"), 3);
	assert_int_equal(num(cl, "below_threshold"), 2);    /* compile-error 51.1, shells-out 56.7 */
	assert_int_equal(num(cl, "requirement_failed"), 3); /* edge-case and the two panics */
	assert_int_equal(num(cl, "not_graded"), 0);
	c = json_check(j, "ch01-ex4", "correctness");
	assert_int_equal(num(c, "failed"), 4);
	assert_int_equal(num(c, "graded"), 7); /* compile-error's was skipped */
	assert_int_equal(num(c, "skipped"), 1);
	assert_int_equal(num(c, "message_clusters"), 2);
	m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "messages"), 0);
	assert_int_equal(num(m, "learners"), 3); /* panic, panic2, shells-out */
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "normalised")),
			    "N of N cases differ; first: case PATH: the Python original exited N but the Rust port "
			    "exited with status N; the Rust port's last error output:");
	c = json_check(j, "ch01-ex1", "count");
	assert_int_equal(num(c, "failed"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "messages")), 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "similarity")));
	cJSON_Delete(j);
	summary_free(s);
}

/* Speedups and memory ratios: only measured checks count; quartiles of the values. */
static void test_distributions_of_measurements(void **state)
{
	struct summary *s = summary_new();
	static const double speedups[] = {2, 4, 10, 30};
	const cJSON *d, *v;
	cJSON *j;
	(void)state;

	for (int i = 0; i < 4; i++) {
		cJSON *r = fixture_load("correct");
		char name[16];
		snprintf(name, sizeof(name), "l%d", i);
		set_str(r, "learner", name);
		set_num(cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(
					cJSON_GetObjectItemCaseSensitive(
						check_of(r, "ch01-ex4", "performance"), "evidence"),
					"measurement"),
				"speedup"),
			"estimate", speedups[3 - i]);
		add(s, r, name);
	}
	add(s, fixture_load("panic"), "panic"); /* --no-perf: nothing measured */
	j = summary_json(s);
	d = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "speedups"), 1);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "exercise")), "ch01-ex4");
	assert_int_equal(num(d, "count"), 4);
	assert_true(num(d, "min") == 2 && num(d, "max") == 30);
	assert_true(num(d, "median") == 7);
	assert_true(num(d, "q1") == 3.5 && num(d, "q3") == 15);
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(d, "values"), 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "learner")), "l3");
	d = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "memory_ratios"), 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "exercise")), "ch01-ex2");
	assert_int_equal(num(d, "count"), 4);
	assert_true(num(d, "min") > 0.22 && num(d, "max") < 0.23);
	cJSON_Delete(j);
	summary_free(s);
}

/* Cited names: per name, learners citing it once each, verified and awaiting review. */
static void test_cited_names(void **state)
{
	struct summary *s = summary_new();
	cJSON *a = fixture_load("correct"), *b = fixture_load("panic"), *j, *entries, *e;
	const cJSON *g, *n;
	(void)state;

	entries = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(check_of(b, "ch01-ex1", "verified"), "evidence"), "entries");
	while (cJSON_GetArraySize(entries))
		cJSON_DeleteItemFromArray(entries, 0);
	for (int i = 0; i < 2; i++) { /* cited twice: counted once; one row per identity (`key`) */
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", i ? "polars" : "Polars (pola.rs)");
		cJSON_AddStringToObject(e, "key", "polars");
		cJSON_AddStringToObject(e, "status", i ? "review" : "verified");
		cJSON_AddItemToArray(entries, e);
	}
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "name", "Acme \x1b[2J");
	cJSON_AddStringToObject(e, "status", "review");
	cJSON_AddItemToArray(entries, e);
	add(s, a, "a");
	add(s, b, "b");
	j = summary_json(s);
	g = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "cited"), 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "exercise")), "ch01-ex1");
	assert_int_equal(num(g, "learners"), 2);
	n = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(g, "names"), 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(n, "name")), "Polars");
	assert_int_equal(num(n, "learners"), 2);
	assert_int_equal(num(n, "verified"), 2);
	assert_int_equal(num(n, "review"), 0);
	cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(g, "names"))
	{
		assert_null(strchr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(n, "name")), 0x1b));
	}
	g = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "cited"), 1);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "exercise")), "ch01-ex3");
	cJSON_Delete(j);
	summary_free(s);
}

/* The class page carries the analytics, escaped. */
static void test_class_page_has_the_analytics(void **state)
{
	struct summary *s = summary_new();
	struct buf page = BUF_INIT;
	cJSON *r = fixture_load("panic"), *j;
	(void)state;

	set_str(check_of(r, "ch01-ex4", "correctness"), "message", "<b>bold</b> at line 3");
	add(s, r, "p");
	add(s, fixture_load("correct"), "c");
	j = summary_json(s);
	assert_int_equal(summary_html(s, j, &page), 0);
	assert_non_null(strstr(page.data, "Most common message"));
	assert_non_null(strstr(page.data, "&lt;b&gt;bold&lt;/b&gt; at line 3 (1)"));
	assert_null(strstr(page.data, "<b>bold"));
	assert_non_null(strstr(page.data, "Awaiting review"));
	assert_non_null(strstr(page.data, "Tracel AI"));
	cJSON_Delete(j);
	summary_free(s);
	buf_free(&page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheet_rows_say_what_they_mean),
		cmocka_unit_test(test_sheet_rounds_to_the_rubric),
		cmocka_unit_test(test_mixed_classes_are_refused),
		cmocka_unit_test(test_messages_cluster_by_normalised_text),
		cmocka_unit_test(test_summary_json_counts_and_clusters),
		cmocka_unit_test(test_distributions_of_measurements),
		cmocka_unit_test(test_cited_names),
		cmocka_unit_test(test_class_page_has_the_analytics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
