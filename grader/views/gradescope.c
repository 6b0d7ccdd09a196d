/* gradescope.c: a written report as a Gradescope results.json (see gradescope.h). */
#include "views/gradescope.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "views/rjson.h"
#include "banned.h"

/* Learner text in a test's output is cut here: Gradescope shows it folded in a page. */
#define GS_TEXT_MAX ((size_t)256 << 10)
/* Hidden cases listed one by one in their test; the others are counted. */
#define GS_HIDDEN_LISTED 20

static const char *const visibilities[] = {"hidden", "after_due_date", "after_published", "visible", NULL};

/* Building the tree: the first cJSON allocation that fails sets `bad`, and the document is
 * not printed. */
struct gs {
	bool bad;
};

static double round2(double v)
{
	if (!isfinite(v) || v < 0 || v > 1e12)
		return 0;
	return round(v * 100) / 100;
}

static void add_num(struct gs *g, cJSON *o, const char *key, double v)
{
	if (!cJSON_AddNumberToObject(o, key, v))
		g->bad = true;
}

static void add_str(struct gs *g, cJSON *o, const char *key, const char *v)
{
	if (!cJSON_AddStringToObject(o, key, v))
		g->bad = true;
}

/* Adds text that came from the report, made valid UTF-8 without control characters other than
 * tab and line feed (a damaged report must not make an invalid results.json); on one line, as a
 * name or the summary paragraph, with spaces for those too. */
static void add_text(struct gs *g, cJSON *o, const char *key, const struct buf *text, bool one_line)
{
	struct text_safe t = {0};

	text_safe(text->data, text->len, GS_TEXT_MAX, TEXT_KEEP_HEAD, &t);
	for (size_t i = 0; one_line && i < t.len; i++)
		if (t.data[i] == '\n' || t.data[i] == '\t' || t.data[i] == '\r')
			t.data[i] = ' ';
	add_str(g, o, key, t.data);
	text_safe_free(&t);
}

/* Points as people write them: at most two decimals, no trailing zeros ("13.33", "5"). */
static void put_points(struct buf *b, double v)
{
	char num[40];
	size_t n;

	snprintf(num, sizeof(num), "%.2f", round2(v));
	n = strlen(num);
	while (num[n - 1] == '0')
		num[--n] = '\0';
	if (num[n - 1] == '.')
		num[--n] = '\0';
	buf_puts(b, num);
}

static bool is_hidden(const cJSON *kase)
{
	return !strcmp(rj_str(kase, "origin", ""), "hidden");
}

/* The expected and actual excerpts of the first visible case that has them, unless `b` quotes
 * them already. */
static void put_excerpts(struct buf *b, const cJSON *cases)
{
	const cJSON *k;

	cJSON_ArrayForEach(k, cases)
	{
		const char *exp = rj_str(k, "expected_excerpt", NULL), *act = rj_str(k, "actual_excerpt", NULL);
		double line = rj_num(k, "line", 0), col = rj_num(k, "column", 0);

		if (is_hidden(k) || (!exp && !act))
			continue;
		/* Most messages of an output difference quote both excerpts already. */
		if (exp && act && strstr(b->data, exp) && strstr(b->data, act))
			return;
		buf_printf(b, "\n\nFirst difference, case %s", rj_str(k, "name", "?"));
		if (line >= 1 && line <= 1e9)
			buf_printf(b, ", line %.0f", line);
		if (col >= 1 && col <= 1e9)
			buf_printf(b, ", column %.0f", col);
		buf_printf(b, ":\nexpected: %s\nactual:   %s", exp ? exp : "", act ? act : "");
		return;
	}
}

/* What a check with hidden cases tells in its visible test: only the cases students see. */
static void put_visible_cases(struct buf *b, const cJSON *cases)
{
	const cJSON *k, *first = NULL;
	int n = 0, same = 0;

	cJSON_ArrayForEach(k, cases)
	{
		const char *result = rj_str(k, "result", "");
		if (is_hidden(k))
			continue;
		n++;
		same += !strcmp(result, "same");
		if (!first && !strcmp(result, "different"))
			first = k;
	}
	if (!n) {
		buf_puts(b, "Every case of this check is hidden: their results are in a test of their own.");
		return;
	}
	buf_printf(b, "Of the %d case%s you can see, %d agree%s.", n, n == 1 ? "" : "s", same,
		   same == 1 ? "s" : "");
	if (first)
		buf_printf(b, " First difference: case %s: %s", rj_str(first, "name", "?"),
			   rj_str(first, "message", "the outputs differ"));
	buf_puts(b, " The hidden cases are in a test of their own.");
}

static const char *case_outcome(const cJSON *k)
{
	const char *result = rj_str(k, "result", "?");

	if (!strcmp(result, "different"))
		return rj_str(k, "message", "the outputs differ");
	if (!strcmp(result, "skipped"))
		return "not run (the time budget ran out)";
	if (!strcmp(result, "error"))
		return "the grader could not run it (not your fault)";
	return result;
}

/* The test of a check's hidden cases: 0 out of 0 points, so the total stays the report's. */
static void add_hidden_test(struct gs *g, cJSON *tests, const char *name, const cJSON *cases, const char *visibility)
{
	cJSON *t = cJSON_CreateObject();
	struct buf text = BUF_INIT, title = BUF_INIT;
	const cJSON *k;
	int n = 0, same = 0, listed = 0;

	if (!t || !cJSON_AddItemToArray(tests, t)) {
		cJSON_Delete(t);
		g->bad = true;
		return;
	}
	cJSON_ArrayForEach(k, cases)
	{
		if (!is_hidden(k))
			continue;
		n++;
		same += !strcmp(rj_str(k, "result", ""), "same");
	}
	buf_printf(&text, "%d of %d hidden case%s agree%s.", same, n, n == 1 ? "" : "s",
		   same == 1 && n == 1 ? "s" : "");
	cJSON_ArrayForEach(k, cases)
	{
		if (!is_hidden(k) || !strcmp(rj_str(k, "result", ""), "same"))
			continue;
		if (listed++ == GS_HIDDEN_LISTED) {
			buf_printf(&text, "\n... and %d more", n - same - GS_HIDDEN_LISTED);
			break;
		}
		buf_printf(&text, "\n%s: %s", rj_str(k, "name", "?"), case_outcome(k));
	}
	buf_printf(&title, "%s (hidden cases)", name);
	add_text(g, t, "name", &title, true);
	add_str(g, t, "name_format", "text");
	add_num(g, t, "score", 0);
	add_num(g, t, "max_score", 0);
	add_str(g, t, "status", same == n ? "passed" : "failed");
	add_text(g, t, "output", &text, false);
	add_str(g, t, "output_format", "text");
	add_str(g, t, "visibility", visibility);
	buf_free(&text);
	buf_free(&title);
}

static void add_check(struct gs *g, cJSON *tests, const char *exercise_id, const cJSON *check,
		      const char *hidden_visibility)
{
	cJSON *t = cJSON_CreateObject();
	const cJSON *cases = rj_arr(rj_obj(check, "evidence"), "cases"), *k;
	const char *title = rj_str(check, "title", NULL), *message = rj_str(check, "message", NULL);
	const char *hint = rj_str(check, "hint", NULL);
	struct buf base = BUF_INIT, name = BUF_INIT, text = BUF_INIT;
	bool hidden = false;

	if (!t || !cJSON_AddItemToArray(tests, t)) {
		cJSON_Delete(t);
		g->bad = true;
		return;
	}
	cJSON_ArrayForEach(k, cases) hidden = hidden || is_hidden(k);
	buf_printf(&base, "%s %s", exercise_id, rj_str(check, "id", "?"));
	buf_printf(&name, "%s%s%s", base.data, title ? ": " : "", title ? title : "");
	if (hidden)
		/* The check's message may tell of a hidden case: say only what the visible ones did. */
		put_visible_cases(&text, cases);
	else if (message)
		buf_puts(&text, message);
	if (hint)
		buf_printf(&text, "%sHint: %s", text.len ? "\n\n" : "", hint);
	put_excerpts(&text, cases);
	add_text(g, t, "name", &name, true);
	add_str(g, t, "name_format", "text");
	add_num(g, t, "score", round2(rj_num(check, "points", 0)));
	add_num(g, t, "max_score", round2(rj_num(check, "max_points", 0)));
	add_str(g, t, "status", !strcmp(rj_str(check, "status", ""), "pass") ? "passed" : "failed");
	add_text(g, t, "output", &text, false);
	add_str(g, t, "output_format", "text");
	add_str(g, t, "visibility", "visible");
	if (hidden)
		add_hidden_test(g, tests, base.data, cases, hidden_visibility);
	buf_free(&base);
	buf_free(&name);
	buf_free(&text);
}

/* The paragraph above the tests: the grade, each exercise's points, and what stopped grading. */
static void put_summary(struct buf *b, const cJSON *report)
{
	const cJSON *score = rj_obj(report, "score"), *sub = rj_obj(report, "submission");
	const cJSON *errors = rj_arr(report, "errors"), *ex, *e;
	const char *commit = rj_str(sub, "commit", NULL), *sub_error = rj_str(sub, "error", NULL);
	double fraction = rj_num(score, "fraction", 0), threshold = rj_num(score, "pass_threshold", 0);
	const char *first_error = "";
	int nerrors = 0;
	bool first = true;

	buf_printf(b, "%s, chapter %s", rj_str(report, "learner", "?"), rj_str(report, "spec", "?"));
	if (commit)
		buf_printf(b, ", commit %.12s", commit);
	buf_puts(b, ": ");
	put_points(b, rj_num(score, "points", 0));
	buf_puts(b, " of ");
	put_points(b, rj_num(score, "max_points", 0));
	buf_printf(b, " points (%.0f%%; %.0f%% passes): %s.", round(isfinite(fraction) ? fraction * 100 : 0),
		   round(isfinite(threshold) ? threshold * 100 : 0),
		   rj_bool(score, "passed", false) ? "passed" : "not passed");
	cJSON_ArrayForEach(ex, rj_arr(report, "exercises"))
	{
		buf_printf(b, "%s%s ", first ? " Exercises: " : ", ", rj_str(ex, "id", "?"));
		put_points(b, rj_num(ex, "points", 0));
		buf_puts(b, "/");
		put_points(b, rj_num(ex, "max_points", 0));
		first = false;
	}
	if (!first)
		buf_puts(b, ".");
	cJSON_ArrayForEach(ex, rj_arr(report, "exercises"))
	{
		cJSON_ArrayForEach(e, rj_arr(ex, "unmet_requirements"))
		{
			if (cJSON_IsString(e))
				buf_printf(b, " %s requires check %s to pass.", rj_str(ex, "id", "?"),
					   e->valuestring);
		}
	}
	if (sub_error)
		buf_printf(b, " The submission could not be graded: %s", sub_error);
	cJSON_ArrayForEach(e, errors)
	{
		if (!cJSON_IsString(e))
			continue;
		if (!nerrors++)
			first_error = e->valuestring;
	}
	if (nerrors)
		buf_printf(b, " The grader itself failed (%d error%s, not your fault; your instructor has the report): %s",
			   nerrors, nerrors == 1 ? "" : "s", first_error);
}

int view_gradescope(const cJSON *report, const struct gradescope_options *o, struct buf *out)
{
	const char *hidden_visibility = "after_published";
	cJSON *root = cJSON_CreateObject(), *tests;
	const cJSON *ex, *check;
	struct gs g = {0};
	struct buf summary = BUF_INIT;
	double seconds = rj_num(report, "duration_seconds", 0);
	char *json = NULL;
	int rc = -1;

	if (o && o->hidden_visibility) {
		hidden_visibility = "hidden";
		for (int i = 0; visibilities[i]; i++)
			if (!strcmp(o->hidden_visibility, visibilities[i]))
				hidden_visibility = visibilities[i];
	}
	if (!root)
		return -1;
	add_num(&g, root, "score", round2(rj_num(rj_obj(report, "score"), "points", 0)));
	add_num(&g, root, "execution_time",
		isfinite(seconds) && seconds > 0 && seconds < 1e9 ? round(seconds) : 0);
	put_summary(&summary, report);
	add_text(&g, root, "output", &summary, true);
	add_str(&g, root, "output_format", "text");
	add_str(&g, root, "test_output_format", "text");
	add_str(&g, root, "test_name_format", "text");
	add_str(&g, root, "visibility", "visible");
	add_str(&g, root, "stdout_visibility", "hidden");
	tests = cJSON_AddArrayToObject(root, "tests");
	if (!tests)
		g.bad = true;
	cJSON_ArrayForEach(ex, rj_arr(report, "exercises"))
	{
		cJSON_ArrayForEach(check, rj_arr(ex, "checks"))
		{
			if (!g.bad)
				add_check(&g, tests, rj_str(ex, "id", "?"), check, hidden_visibility);
		}
	}
	if (!g.bad)
		json = cJSON_Print(root);
	if (json) {
		size_t was = out->len;
		rc = buf_puts(out, json) < 0 || buf_puts(out, "\n") < 0 ? -1 : 0;
		if (rc < 0)
			buf_setlen(out, was);
	}
	cJSON_free(json);
	cJSON_Delete(root);
	buf_free(&summary);
	return rc;
}
