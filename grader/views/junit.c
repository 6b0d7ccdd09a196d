/* junit.c: a written report as JUnit XML (see junit.h). */
#include "views/junit.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "views/rjson.h"
#include "banned.h"

/* Where the document goes; the first append that hits the buffer's maximum sets rc to -1 and
 * the rest are still tried (each fails the same way), so callers check once at the end. */
struct xw {
	struct buf *out;
	int rc;
};

enum outcome { OUT_PASS, OUT_FAILURE, OUT_ERROR, OUT_SKIPPED };

static void put(struct xw *w, const char *s)
{
	if (buf_puts(w->out, s) < 0)
		w->rc = -1;
}

static void put_n(struct xw *w, const char *s, size_t n)
{
	if (buf_append(w->out, s, n) < 0)
		w->rc = -1;
}

/* Appends `s` escaped for XML 1.0 text, or for a double-quoted attribute value when `attr`. */
static void esc(struct xw *w, const char *s, bool attr)
{
	size_t n = s ? strlen(s) : 0, i = 0;

	while (i < n) {
		long cp;
		size_t k = text_decode(s + i, n - i, &cp);
		const char *rep = NULL;

		if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF ||
		    (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r'))
			rep = "\xEF\xBF\xBD"; /* U+FFFD: XML 1.0 has no way to carry these at all */
		else if (cp == '&')
			rep = "&amp;";
		else if (cp == '<')
			rep = "&lt;";
		else if (cp == '>')
			rep = "&gt;";
		else if (cp == '"')
			rep = "&quot;";
		else if (cp == '\'')
			rep = "&apos;";
		else if (cp == '\r')
			rep = "&#13;"; /* a parser would turn a raw CR (or CRLF) into LF */
		else if (attr && cp == '\t')
			rep = "&#9;"; /* attribute normalisation would make these spaces */
		else if (attr && cp == '\n')
			rep = "&#10;";
		if (rep)
			put(w, rep);
		else
			put_n(w, s + i, k);
		i += k;
	}
}

/* ` name="value"`, escaped. */
static void attr(struct xw *w, const char *name, const char *value)
{
	put(w, " ");
	put(w, name);
	put(w, "=\"");
	esc(w, value, true);
	put(w, "\"");
}

static void attr_int(struct xw *w, const char *name, int v)
{
	char num[24];

	snprintf(num, sizeof(num), "%d", v);
	attr(w, name, num);
}

/* A time as the schema's SUREFIRE_TIME wants it: digits and a decimal point, never negative,
 * never in exponent form. */
static void attr_time(struct xw *w, const char *name, double seconds)
{
	char num[40];

	if (!isfinite(seconds) || seconds < 0)
		seconds = 0;
	if (seconds > 1e9)
		seconds = 1e9;
	snprintf(num, sizeof(num), "%.3f", seconds);
	attr(w, name, num);
}

/* Points as people write them: at most two decimals, no trailing zeros ("13.33", "5"). */
static const char *fmt_points(double v, char *out, size_t size)
{
	char *dot;
	size_t n;

	if (!isfinite(v) || v < 0 || v > 1e12)
		v = 0;
	snprintf(out, size, "%.2f", v);
	dot = strchr(out, '.');
	if (dot) {
		n = strlen(out);
		while (n > 0 && out[n - 1] == '0')
			out[--n] = '\0';
		if (out[n - 1] == '.')
			out[n - 1] = '\0';
	}
	return out;
}

static enum outcome outcome_of(const char *status)
{
	if (!strcmp(status, "pass"))
		return OUT_PASS;
	if (!strcmp(status, "error"))
		return OUT_ERROR;
	if (!strcmp(status, "skipped"))
		return OUT_SKIPPED;
	/* fail, partial, inconclusive, review, and whatever a newer report may add: not a pass,
	 * so it must not be counted as one. */
	return OUT_FAILURE;
}

/* The text of a failure or error: what happened, what to do, and what the verdict rests on. */
static void failure_text(struct xw *w, const cJSON *check)
{
	const char *message = rj_str(check, "message", NULL);
	const char *hint = rj_str(check, "hint", NULL);
	const cJSON *ev = rj_obj(check, "evidence");
	char *json;

	if (message)
		esc(w, message, false);
	if (hint) {
		put(w, message ? "\n\nhint: " : "hint: ");
		esc(w, hint, false);
	}
	if (ev && ev->child) {
		json = cJSON_Print(ev);
		if (!json) {
			w->rc = -1;
			return;
		}
		put(w, message || hint ? "\n\nevidence:\n" : "evidence:\n");
		esc(w, json, false);
		cJSON_free(json);
	}
}

static void write_check(struct xw *w, const char *exercise_id, const cJSON *check)
{
	const char *id = rj_str(check, "id", "?");
	const char *status = rj_str(check, "status", "?");
	const char *message = rj_str(check, "message", NULL);
	enum outcome o = outcome_of(status);
	char p[40], m[40];

	put(w, "    <testcase");
	attr(w, "classname", exercise_id);
	attr(w, "name", id);
	put(w, ">\n");
	if (o == OUT_FAILURE || o == OUT_ERROR) {
		put(w, o == OUT_ERROR ? "      <error" : "      <failure");
		attr(w, "message", message ? message : rj_str(check, "title", status));
		attr(w, "type", status);
		put(w, ">");
		failure_text(w, check);
		put(w, o == OUT_ERROR ? "</error>\n" : "</failure>\n");
	} else if (o == OUT_SKIPPED) {
		put(w, "      <skipped");
		attr(w, "message", message ? message : "skipped");
		put(w, "/>\n");
	}
	put(w, "      <system-out>points: ");
	put(w, fmt_points(rj_num(check, "points", 0), p, sizeof(p)));
	put(w, "/");
	put(w, fmt_points(rj_num(check, "max_points", 0), m, sizeof(m)));
	put(w, "</system-out>\n    </testcase>\n");
}

/* The counts of a suite's testcases by outcome. */
struct counts {
	int tests, failures, errors, skipped;
};

static void count_check(struct counts *c, const cJSON *check)
{
	enum outcome o = outcome_of(rj_str(check, "status", "?"));

	c->tests++;
	c->failures += o == OUT_FAILURE;
	c->errors += o == OUT_ERROR;
	c->skipped += o == OUT_SKIPPED;
}

static void suite_open(struct xw *w, const char *name, const struct counts *c, double seconds, const char *timestamp)
{
	put(w, "  <testsuite");
	attr(w, "name", name);
	attr_int(w, "tests", c->tests);
	attr_int(w, "failures", c->failures);
	attr_int(w, "errors", c->errors);
	attr_int(w, "skipped", c->skipped);
	attr_time(w, "time", seconds);
	if (timestamp)
		attr(w, "timestamp", timestamp);
	put(w, ">\n");
}

static void write_exercise(struct xw *w, const cJSON *ex, const char *timestamp, struct counts *total)
{
	const char *id = rj_str(ex, "id", "?");
	const cJSON *checks = rj_arr(ex, "checks"), *check, *req;
	const char *message = rj_str(ex, "message", NULL);
	struct counts c = {0};
	char p[40], m[40];
	bool first = true;

	cJSON_ArrayForEach(check, checks) count_check(&c, check);
	suite_open(w, id, &c, rj_num(rj_obj(ex, "time"), "seconds", 0), timestamp);
	cJSON_ArrayForEach(check, checks) write_check(w, id, check);
	put(w, "    <system-out>points: ");
	put(w, fmt_points(rj_num(ex, "points", 0), p, sizeof(p)));
	put(w, "/");
	put(w, fmt_points(rj_num(ex, "max_points", 0), m, sizeof(m)));
	put(w, ", status: ");
	esc(w, rj_str(ex, "status", "?"), false);
	if (message) {
		put(w, "\n");
		esc(w, message, false);
	}
	cJSON_ArrayForEach(req, rj_arr(ex, "unmet_requirements"))
	{
		if (!cJSON_IsString(req))
			continue;
		put(w, first ? "\nunmet requirements: " : ", ");
		esc(w, req->valuestring, false);
		first = false;
	}
	put(w, "</system-out>\n  </testsuite>\n");
	total->tests += c.tests;
	total->failures += c.failures;
	total->errors += c.errors;
	total->skipped += c.skipped;
}

static void error_case(struct xw *w, const char *name, const char *type, const char *message)
{
	put(w, "    <testcase classname=\"grader\"");
	attr(w, "name", name);
	put(w, ">\n      <error");
	attr(w, "message", message);
	attr(w, "type", type);
	put(w, ">");
	esc(w, message, false);
	put(w, "</error>\n    </testcase>\n");
}

/* The report's own errors, which belong to no exercise: the submission's error (it could not be
 * graded at all) and the grader's infrastructure errors. */
static void write_grader_suite(struct xw *w, const cJSON *report, const char *timestamp, struct counts *total)
{
	const char *sub_error = rj_str(rj_obj(report, "submission"), "error", NULL);
	const cJSON *errors = rj_arr(report, "errors"), *e;
	struct counts c = {0};
	char name[48];
	int i = 0;

	c.errors = sub_error ? 1 : 0;
	cJSON_ArrayForEach(e, errors) c.errors += cJSON_IsString(e);
	c.tests = c.errors;
	if (!c.tests)
		return;
	suite_open(w, "grader", &c, 0, timestamp);
	if (sub_error)
		error_case(w, "submission", "submission", sub_error);
	cJSON_ArrayForEach(e, errors)
	{
		if (!cJSON_IsString(e))
			continue;
		snprintf(name, sizeof(name), "infrastructure error %d", ++i);
		error_case(w, name, "infrastructure", e->valuestring);
	}
	put(w, "  </testsuite>\n");
	total->tests += c.tests;
	total->errors += c.errors;
}

int view_junit(const cJSON *report, struct buf *out)
{
	struct xw w = {.out = out};
	struct buf body = BUF_INIT_MAX(out->max), name = BUF_INIT;
	struct xw bw = {.out = &body};
	const char *timestamp = rj_str(report, "started_at", NULL);
	const cJSON *ex;
	struct counts total = {0};

	/* The root carries the totals, so the suites are written first, into their own buffer. */
	cJSON_ArrayForEach(ex, rj_arr(report, "exercises")) write_exercise(&bw, ex, timestamp, &total);
	write_grader_suite(&bw, report, timestamp, &total);
	buf_printf(&name, "%s: %s", rj_str(report, "learner", "?"), rj_str(report, "spec", "?"));
	put(&w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	attr(&w, "name", name.data);
	attr_int(&w, "tests", total.tests);
	attr_int(&w, "failures", total.failures);
	attr_int(&w, "errors", total.errors);
	attr_time(&w, "time", rj_num(report, "duration_seconds", 0));
	put(&w, ">\n");
	put_n(&w, body.data, body.len);
	put(&w, "</testsuites>\n");
	buf_free(&body);
	buf_free(&name);
	return w.rc < 0 || bw.rc < 0 ? -1 : 0;
}
