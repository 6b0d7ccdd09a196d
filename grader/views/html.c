/* html.c: the report as self-contained HTML pages (see html.h). */
#include <stdlib.h>
#include <string.h>

#include "views/html.h"
#include "views/rjson.h"
#include "views/svg.h"
#include "xalloc.h"
#include "banned.h"

/* Nothing may be fetched, whatever the page holds: no script, no frame, no remote style or image. */
#define CSP "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/* Readable from 390 px up: long words break, wide blocks scroll inside themselves, never the page. */
static const char css[] =
	"*{box-sizing:border-box}"
	"html{-webkit-text-size-adjust:100%}"
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;"
	"background:#fff;max-width:1100px;margin:0 auto;padding:12px 16px;overflow-wrap:anywhere}"
	"h1{font-size:1.5em;margin:.2em 0}"
	"h2{font-size:1.2em;margin:1.4em 0 .4em;padding-bottom:.2em;border-bottom:2px solid #ccc}"
	"h3{font-size:1em;margin:0;display:flex;flex-wrap:wrap;gap:.2em .6em;align-items:baseline}"
	"code,pre,.mono{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.9em}"
	".verdict{display:inline-block;font-weight:700;padding:.15em .6em;border:2px solid;border-radius:4px}"
	".verdict.ok{color:#0b5d1e;background:#e6f4ea}"
	".verdict.no{color:#8a1010;background:#fbe9e9}"
	"dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.15em 1em;margin:.6em 0}"
	"dl.meta dt{font-weight:600}dl.meta dd{margin:0}"
	".badge{display:inline-block;font-weight:700;font-size:.85em;padding:0 .45em;border:1px solid;"
	"border-radius:3px;white-space:nowrap;overflow-wrap:normal}"
	".badge.st-other{white-space:normal;overflow-wrap:anywhere}"
	".st-pass{color:#0b5d1e;background:#e6f4ea}"
	".st-fail,.st-error{color:#8a1010;background:#fbe9e9}"
	".st-partial{color:#6b4100;background:#fff1cc}"
	".st-skipped,.st-other{color:#444;background:#eee}"
	".st-inconclusive,.st-review{color:#3d2a7a;background:#eee8fb}"
	"ul.checks{padding:0;margin:0}"
	"li.check{list-style:none;border:1px solid #d4d4d4;border-radius:6px;padding:.5em .8em;margin:.6em 0}"
	".pts{margin-left:auto;font-variant-numeric:tabular-nums;white-space:nowrap}"
	".msg{white-space:pre-wrap;margin:.35em 0}"
	".hint{margin:.35em 0;padding-left:.6em;border-left:3px solid #8aa9c9}"
	".where{color:#444;font-size:.9em;margin:.2em 0}"
	"details{margin:.4em 0}summary{cursor:pointer;color:#1f4f7e}"
	"pre{overflow:auto;max-height:32em;background:#f6f6f6;padding:.5em;border-radius:4px;tab-size:2;"
	"margin:.3em 0;overflow-wrap:normal}"
	".diff{border-left:3px solid #c2571a;padding:.2em .6em;margin:.5em 0;background:#fffaf3}"
	".diff p{margin:.1em 0}"
	".dl{display:grid;grid-template-columns:5.5em minmax(0,1fr);align-items:baseline}"
	".dl code{white-space:pre-wrap;overflow-wrap:anywhere}"
	"mark{background:#ffd54f;color:#000;text-decoration:underline wavy #8a1010}"
	".wrap{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;margin:.4em 0}"
	"th,td{text-align:left;padding:.25em .7em;border-bottom:1px solid #ddd;vertical-align:top;overflow-wrap:normal}"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	/* a chart shrinks to the page down to where its labels stay legible, then scrolls */
	"figure.chart{margin:.6em 0}"
	".scroll{overflow-x:auto;max-width:600px}"
	"figure.chart svg{display:block;width:100%;min-width:330px;height:auto}"
	"figcaption{font-size:.85em;color:#444;max-width:600px}"
	"ul.todo{padding-left:1.2em}ul.todo li{margin:.3em 0}"
	".warn{color:#6b4100}.err{color:#8a1010;font-weight:600}";

static void page_open(struct svg_out *o, const char *title)
{
	svg_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"" CSP "\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	svg_esc(o, title);
	svg_printf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
}

static void page_close(struct svg_out *o)
{
	svg_puts(o, "</body>\n</html>\n");
}

/* A number of points as the report means it (66.833333 is 66.83). */
static void points(struct svg_out *o, double v)
{
	svg_printf(o, "%.4g", v);
}

/* "P / M": the points and maximum of a score, an exercise or a check. */
static void points_of(struct svg_out *o, const cJSON *x)
{
	points(o, rj_num(x, "points", 0));
	svg_puts(o, " / ");
	points(o, rj_num(x, "max_points", 0));
}

/* A status as a word with a sign, so that it reads without its colour. */
static void badge(struct svg_out *o, const char *status)
{
	static const char *const known[][2] = {
		{"pass", "\xe2\x9c\x93"},    {"fail", "\xe2\x9c\x97"},    {"error", "!"},
		{"partial", "\xe2\x97\x90"}, {"skipped", "\xe2\x80\x93"}, {"inconclusive", "?"},
		{"review", "\xe2\x80\xa6"},
	};
	const char *sign = "\xe2\x80\xa2", *cls = "other";

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (status && strcmp(status, known[i][0]) == 0)
			sign = known[i][1], cls = known[i][0];
	svg_printf(o, "<span class=\"badge st-%s\">%s&nbsp;", cls, sign);
	svg_esc(o, status ? status : "unknown");
	svg_puts(o, "</span>");
}

/* A definition list entry, the value escaped; nothing when the value is NULL. */
static void meta(struct svg_out *o, const char *name, const char *value, int code)
{
	if (!value)
		return;
	svg_printf(o, "<dt>%s</dt><dd>%s", name, code ? "<code>" : "");
	svg_esc(o, value);
	svg_printf(o, "%s</dd>\n", code ? "</code>" : "");
}

/* A list of the strings of `arr` under a heading, with class `cls`; nothing when empty. */
static void string_list(struct svg_out *o, const char *heading, const cJSON *arr, const char *cls)
{
	const cJSON *s;

	if (!cJSON_GetArraySize(arr))
		return;
	svg_printf(o, "<p class=\"%s\">%s</p><ul class=\"%s\">", cls, heading, cls);
	cJSON_ArrayForEach(s, arr)
	{
		svg_puts(o, "<li>");
		svg_esc(o, cJSON_IsString(s) ? s->valuestring : "(not a string)");
		svg_puts(o, "</li>");
	}
	svg_puts(o, "</ul>\n");
}

/* ---- one learner ---- */

static void header(struct svg_out *o, const cJSON *r)
{
	const cJSON *sub = rj_obj(r, "submission"), *score = rj_obj(r, "score");
	const char *commit = rj_str(sub, "commit", NULL);
	bool passed = rj_bool(score, "passed", false);
	double th = rj_num(score, "pass_threshold", -1);

	svg_puts(o, "<header><h1>");
	svg_esc(o, rj_str(r, "learner", "(unnamed learner)"));
	svg_printf(o, "</h1>\n<p><span class=\"verdict %s\">%s</span> ", passed ? "ok" : "no",
		   passed ? "\xe2\x9c\x93 PASSED" : "\xe2\x9c\x97 NOT PASSED");
	svg_puts(o, "<strong>score ");
	points_of(o, score);
	svg_printf(o, "</strong> (%.1f%%", rj_num(score, "fraction", 0) * 100);
	if (th >= 0)
		svg_printf(o, "; %.3g%% needed to pass", th * 100);
	svg_puts(o, ")</p>\n<dl class=\"meta\">\n");
	meta(o, "Spec", rj_str(r, "spec", NULL), 0);
	meta(o, "Commit", commit ? commit : "none recorded", commit != NULL);
	meta(o, "Ref", rj_str(sub, "ref", NULL), 1);
	meta(o, "Author", rj_str(sub, "author", NULL), 0);
	meta(o, "Commit date", rj_str(sub, "date", NULL), 0);
	meta(o, "Source", rj_str(sub, "source", NULL), 1);
	meta(o, "Graded at", rj_str(r, "started_at", NULL), 0);
	meta(o, "Grader", rj_str(rj_obj(r, "grader"), "version", NULL), 0);
	if (rj_bool(sub, "late", false))
		svg_printf(o, "<dt>Late</dt><dd class=\"warn\">yes, %.0f s after the deadline</dd>\n",
			   rj_num(sub, "late_seconds", 0));
	svg_puts(o, "</dl>\n");
	if (rj_str(sub, "error", NULL)) {
		svg_puts(o, "<p class=\"err\">Submission error: ");
		svg_esc(o, rj_str(sub, "error", NULL));
		svg_puts(o, "</p>\n");
	}
	string_list(o, "Warnings:", rj_arr(sub, "warnings"), "warn");
	string_list(o, "Errors of the grader (not the learner's fault; a report with errors does not pass):",
		    rj_arr(r, "errors"), "err");
	svg_puts(o, "</header>\n");
}

/* The table of exercises, each linking to its section. */
static void summary(struct svg_out *o, const cJSON *exercises)
{
	const cJSON *ex;
	int i = 0;

	if (!cJSON_GetArraySize(exercises))
		return;
	svg_puts(o, "<nav class=\"wrap\"><table><thead><tr><th>Exercise</th><th>Status</th>"
		    "<th class=\"num\">Points</th></tr></thead><tbody>\n");
	cJSON_ArrayForEach(ex, exercises)
	{
		svg_printf(o, "<tr><td><a href=\"#ex%d\">", ++i);
		svg_esc(o, rj_str(ex, "id", "?"));
		svg_puts(o, "</a> ");
		svg_esc(o, rj_str(ex, "title", ""));
		svg_puts(o, "</td><td>");
		badge(o, rj_str(ex, "status", NULL));
		svg_puts(o, "</td><td class=\"num\">");
		points_of(o, ex);
		svg_puts(o, "</td></tr>\n");
	}
	svg_puts(o, "</tbody></table></nav>\n");
}

/* The checks that did not pass (neither passed nor skipped), each linking to its place with the
 * first line of its message: what a learner reads first. */
static void attention(struct svg_out *o, const cJSON *exercises)
{
	const cJSON *ex, *c;
	int i = 0, n = 0;

	cJSON_ArrayForEach(ex, exercises)
	{
		int k = 0;
		i++;
		cJSON_ArrayForEach(c, rj_arr(ex, "checks"))
		{
			const char *st = rj_str(c, "status", ""), *msg = rj_str(c, "message", "");
			k++;
			if (strcmp(st, "pass") == 0 || strcmp(st, "skipped") == 0)
				continue;
			if (!n++)
				svg_puts(o, "<h2>Needs attention</h2>\n<ul class=\"todo\">\n");
			svg_puts(o, "<li>");
			badge(o, st);
			svg_printf(o, " <a href=\"#ex%d-c%d\">", i, k);
			svg_esc(o, rj_str(ex, "id", "?"));
			svg_puts(o, " &rsaquo; ");
			svg_esc(o, rj_str(c, "id", "?"));
			svg_puts(o, "</a>: ");
			svg_esc_n(o, msg, strcspn(msg, "\n"));
			svg_puts(o, "</li>\n");
		}
	}
	if (n)
		svg_puts(o, "</ul>\n");
}

/* Where two excerpts part: the byte offset of the first character that differs, moved back to
 * the start of a UTF-8 sequence so that a mark never splits a character. */
static size_t first_difference(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	while (i > 0 && ((unsigned char)a[i] & 0xc0) == 0x80)
		i--;
	return i;
}

static void diff_line(struct svg_out *o, const char *label, const char *s, size_t at)
{
	svg_printf(o, "<div class=\"dl\"><span>%s</span><code>", label);
	svg_esc_n(o, s, at);
	if (s[at]) {
		svg_puts(o, "<mark>");
		svg_esc(o, s + at);
		svg_puts(o, "</mark>");
	} else {
		svg_puts(o, "<mark>(line ends here)</mark>");
	}
	svg_puts(o, "</code></div>\n");
}

/* The first case of a correctness check whose outputs differ: both lines, marked from the first
 * character that differs. */
static void mismatch(struct svg_out *o, const cJSON *evidence)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, rj_arr(evidence, "cases"))
	{
		const char *exp = rj_str(c, "expected_excerpt", NULL), *act = rj_str(c, "actual_excerpt", NULL);
		size_t at;

		if (strcmp(rj_str(c, "result", ""), "different") != 0 || (!exp && !act))
			continue;
		exp = exp ? exp : "";
		act = act ? act : "";
		at = first_difference(exp, act);
		svg_puts(o, "<div class=\"diff\"><p>First difference: case <strong>");
		svg_esc(o, rj_str(c, "name", "?"));
		svg_puts(o, "</strong>");
		if (rj_num(c, "line", 0) >= 1)
			svg_printf(o, ", line %.0f", rj_num(c, "line", 0));
		if (rj_num(c, "column", 0) >= 1)
			svg_printf(o, ", column %.0f", rj_num(c, "column", 0));
		if (rj_str(c, "json_path", NULL)) {
			svg_puts(o, ", at <code>");
			svg_esc(o, rj_str(c, "json_path", NULL));
			svg_puts(o, "</code>");
		}
		if (rj_str(c, "csv_column", NULL)) {
			svg_puts(o, ", CSV column <code>");
			svg_esc(o, rj_str(c, "csv_column", NULL));
			svg_puts(o, "</code>");
		}
		svg_puts(o, " (marked: from the first character that differs)</p>\n");
		diff_line(o, "expected", exp, at);
		diff_line(o, "got", act, at);
		svg_puts(o, "</div>\n");
		return;
	}
}

/* The required speedup: the measurement's, else the number after "required speedup of " in the
 * check's message (an older report), else 0. */
static double required_speedup(const cJSON *check, const cJSON *measurement)
{
	static const char key[] = "required speedup of ";
	const char *msg = rj_str(check, "message", ""), *p = strstr(msg, key);
	double v = rj_num(measurement, "required_speedup", 0);

	if (v > 0 || !p)
		return v;
	v = strtod(p + strlen(key), NULL);
	return v > 0 && v < 1e12 ? v : 0;
}

static void evidence_json(struct svg_out *o, const cJSON *evidence)
{
	char *json;

	if (!cJSON_GetArraySize(evidence))
		return;
	json = cJSON_Print(evidence);
	svg_puts(o, "<details><summary>Evidence (JSON)</summary><pre>");
	svg_esc(o, json ? json : "(could not be printed)");
	svg_puts(o, "</pre></details>\n");
	cJSON_free(json);
}

static void check(struct svg_out *o, const cJSON *ex, const cJSON *c, int i, int k)
{
	const cJSON *ev = rj_obj(c, "evidence"), *m = rj_obj(ev, "measurement");
	const char *msg = rj_str(c, "message", NULL), *hint = rj_str(c, "hint", NULL);
	const char *status = rj_str(c, "status", "");
	int line, col;
	const char *file = rj_check_file(ex, c, &line, &col);

	svg_printf(o, "<li class=\"check\" id=\"ex%d-c%d\"><h3>", i, k);
	badge(o, rj_str(c, "status", NULL));
	svg_puts(o, "<code>");
	svg_esc(o, rj_str(c, "id", "?"));
	svg_puts(o, "</code> <span>");
	svg_esc(o, rj_str(c, "title", ""));
	svg_puts(o, "</span><span class=\"pts\">");
	points_of(o, c);
	svg_puts(o, " points</span></h3>\n");
	if (msg) {
		/* a message of several lines (a compiler's, a difference with its caret) keeps its columns */
		svg_printf(o, "<div class=\"msg%s\">", strchr(msg, '\n') ? " mono" : "");
		svg_esc(o, msg);
		svg_puts(o, "</div>\n");
	}
	if (hint) {
		svg_puts(o, "<p class=\"hint\"><strong>Hint:</strong> ");
		svg_esc(o, hint);
		svg_puts(o, "</p>\n");
	}
	if (file && line && strcmp(status, "pass") != 0) {
		svg_puts(o, "<p class=\"where\">At <code>");
		svg_esc(o, file);
		svg_printf(o, ":%d", line);
		if (col)
			svg_printf(o, ":%d", col);
		svg_puts(o, "</code></p>\n");
	}
	mismatch(o, ev);
	if (m) {
		svg_runs(o, m);
		svg_speedup(o, rj_obj(m, "speedup"), required_speedup(c, m));
	}
	svg_memory(o, ev);
	evidence_json(o, ev);
	svg_puts(o, "</li>\n");
}

static void exercise(struct svg_out *o, const cJSON *ex, int i)
{
	const cJSON *c, *unmet = rj_arr(ex, "unmet_requirements");
	int k = 0;

	svg_printf(o, "<section id=\"ex%d\"><h2>", i);
	svg_esc(o, rj_str(ex, "id", "?"));
	svg_puts(o, ": ");
	svg_esc(o, rj_str(ex, "title", ""));
	svg_puts(o, "</h2>\n<p>");
	badge(o, rj_str(ex, "status", NULL));
	svg_puts(o, " <strong>");
	points_of(o, ex);
	svg_puts(o, " points</strong>");
	if (rj_str(ex, "file", NULL)) {
		svg_puts(o, " &middot; <code>");
		svg_esc(o, rj_str(ex, "file", NULL));
		svg_puts(o, "</code>");
	}
	svg_puts(o, "</p>\n");
	if (rj_str(ex, "message", NULL)) {
		svg_puts(o, "<div class=\"msg\">");
		svg_esc(o, rj_str(ex, "message", NULL));
		svg_puts(o, "</div>\n");
	}
	if (cJSON_GetArraySize(unmet)) {
		const cJSON *u;
		int m = 0;
		svg_puts(o, "<p class=\"warn\">Requirements not met:");
		cJSON_ArrayForEach(u, unmet)
		{
			svg_puts(o, m++ ? ", <code>" : " <code>");
			svg_esc(o, cJSON_IsString(u) ? u->valuestring : "?");
			svg_puts(o, "</code>");
		}
		svg_puts(o, "</p>\n");
	}
	svg_puts(o, "<ul class=\"checks\">\n");
	cJSON_ArrayForEach(c, rj_arr(ex, "checks")) check(o, ex, c, i, ++k);
	svg_puts(o, "</ul></section>\n");
}

int view_html(const cJSON *report, struct buf *out)
{
	struct svg_out o = {.b = out};
	size_t start = out->len;
	struct buf title = BUF_INIT;
	const cJSON *ex;
	int i = 0;

	buf_printf(&title, "Report: %s", rj_str(report, "learner", "(unnamed learner)"));
	page_open(&o, title.data);
	buf_free(&title);
	svg_puts(&o, "<main>\n");
	header(&o, report);
	summary(&o, rj_arr(report, "exercises"));
	attention(&o, rj_arr(report, "exercises"));
	cJSON_ArrayForEach(ex, rj_arr(report, "exercises")) exercise(&o, ex, ++i);
	svg_puts(&o, "</main>\n");
	page_close(&o);
	if (o.err)
		buf_setlen(out, start);
	return o.err;
}

/* ---- a class ---- */

/* One check of one exercise across the class. The strings belong to the reports. */
struct rate {
	const char *ex, *id;
	size_t failed, total;
};

static int is_failure(const char *status)
{
	return strcmp(status, "fail") == 0 || strcmp(status, "partial") == 0 || strcmp(status, "error") == 0;
}

static int by_rate(const void *pa, const void *pb)
{
	const struct rate *a = pa, *b = pb;
	/* failed/total against failed/total, in integers: no rounding decides the order */
	unsigned long long l = (unsigned long long)a->failed * b->total;
	unsigned long long r = (unsigned long long)b->failed * a->total;
	int c;

	if (l != r)
		return l > r ? -1 : 1;
	if (a->failed != b->failed)
		return a->failed > b->failed ? -1 : 1;
	c = strcmp(a->ex, b->ex);
	return c ? c : strcmp(a->id, b->id);
}

/* Every check's failures: a check counts where it was graded (not skipped), and fails as `fail`,
 * `partial` or `error`. */
/* The class summary's entry for a check (summary.h's "checks"), or NULL. */
static const cJSON *summary_check(const cJSON *summary, const char *ex, const char *id)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, rj_arr(summary, "checks"))
	{
		if (strcmp(rj_str(c, "exercise", ""), ex) == 0 && strcmp(rj_str(c, "check", ""), id) == 0)
			return c;
	}
	return NULL;
}

static void failure_rates(struct svg_out *o, const cJSON *const *reports, size_t n, const cJSON *summary)
{
	struct rate *rates = NULL;
	size_t nr = 0;

	for (size_t i = 0; i < n; i++) {
		const cJSON *ex, *c;
		cJSON_ArrayForEach(ex, rj_arr(reports[i], "exercises"))
			cJSON_ArrayForEach(c, rj_arr(ex, "checks"))
		{
			const char *eid = rj_str(ex, "id", "?"), *cid = rj_str(c, "id", "?");
			const char *st = rj_str(c, "status", "");
			size_t k = 0;
			if (strcmp(st, "skipped") == 0)
				continue;
			while (k < nr && (strcmp(rates[k].ex, eid) != 0 || strcmp(rates[k].id, cid) != 0))
				k++;
			if (k == nr) {
				rates = xreallocarray(rates, nr + 1, sizeof(*rates));
				rates[nr++] = (struct rate){eid, cid, 0, 0};
			}
			rates[k].total++;
			rates[k].failed += is_failure(st) != 0;
		}
	}
	svg_puts(o, "<h2>Failure rate of each check</h2>\n<p>A check counts where it was graded (not "
		    "skipped); it fails when its status is fail, partial or error. Highest rate first.</p>\n");
	if (nr)
		qsort(rates, nr, sizeof(*rates), by_rate);
	svg_puts(o, "<div class=\"wrap\"><table><thead><tr><th>Exercise</th><th>Check</th>"
		    "<th class=\"num\">Failed / graded</th><th class=\"num\">Rate</th>");
	if (summary)
		svg_puts(o, "<th>Most common message (learners)</th>");
	svg_puts(o, "</tr></thead><tbody>\n");
	for (size_t k = 0; k < nr; k++) {
		svg_puts(o, "<tr><td>");
		svg_esc(o, rates[k].ex);
		svg_puts(o, "</td><td><code>");
		svg_esc(o, rates[k].id);
		svg_printf(o, "</code></td><td class=\"num\">%zu / %zu</td><td class=\"num\">%.0f%%</td>",
			   rates[k].failed, rates[k].total,
			   100.0 * (double)rates[k].failed / (double)rates[k].total);
		if (summary) {
			const cJSON *sc = summary_check(summary, rates[k].ex, rates[k].id);
			const cJSON *m = cJSON_GetArrayItem(rj_arr(sc, "messages"), 0);
			svg_puts(o, "<td>");
			if (m) {
				svg_esc(o, rj_str(m, "example", ""));
				svg_printf(o, " (%.0f)", rj_num(m, "learners", 0));
			}
			svg_puts(o, "</td>");
		}
		svg_puts(o, "</tr>\n");
	}
	svg_puts(o, "</tbody></table></div>\n");
	free(rates);
}

/* The measured speedups, one row per exercise that has a measured performance check. */
static void speedups(struct svg_out *o, const cJSON *const *reports, size_t n)
{
	const char **rows = NULL;
	double *req = NULL;
	struct svg_point *pts = NULL;
	size_t nrows = 0, npts = 0;

	for (size_t i = 0; i < n; i++) {
		const cJSON *ex, *c;
		cJSON_ArrayForEach(ex, rj_arr(reports[i], "exercises"))
			cJSON_ArrayForEach(c, rj_arr(ex, "checks"))
		{
			const cJSON *m = rj_obj(rj_obj(c, "evidence"), "measurement");
			double est = rj_num(rj_obj(m, "speedup"), "estimate", 0);
			const char *eid = rj_str(ex, "id", "?");
			size_t r = 0;
			if (!(est > 0))
				continue;
			while (r < nrows && strcmp(rows[r], eid) != 0)
				r++;
			if (r == nrows) {
				rows = xreallocarray(rows, nrows + 1, sizeof(*rows));
				req = xreallocarray(req, nrows + 1, sizeof(*req));
				rows[nrows] = eid;
				req[nrows++] = 0;
			}
			if (!(req[r] > 0))
				req[r] = required_speedup(c, m);
			pts = xreallocarray(pts, npts + 1, sizeof(*pts));
			pts[npts++] = (struct svg_point){r, est, rj_str(reports[i], "learner", "?")};
		}
	}
	svg_puts(o, "<h2>Measured speedups</h2>\n");
	if (npts)
		svg_strip(o, rows, req, nrows, pts, npts);
	else
		svg_puts(o, "<p>No report has a measured speedup (graded with --no-perf?).</p>\n");
	free(rows);
	free(req);
	free(pts);
}

static void learners(struct svg_out *o, const cJSON *const *reports, size_t n)
{
	svg_puts(o, "<h2>Learners</h2>\n<div class=\"wrap\"><table><thead><tr><th>Learner</th>"
		    "<th class=\"num\">Score</th><th class=\"num\">%</th><th>Result</th><th>Commit</th>"
		    "</tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const cJSON *score = rj_obj(reports[i], "score");
		const char *commit = rj_str(rj_obj(reports[i], "submission"), "commit", NULL);
		bool passed = rj_bool(score, "passed", false);
		svg_puts(o, "<tr><td>");
		svg_esc(o, rj_str(reports[i], "learner", "(unnamed)"));
		svg_puts(o, "</td><td class=\"num\">");
		points_of(o, score);
		svg_printf(o, "</td><td class=\"num\">%.1f</td><td><span class=\"badge st-%s\">%s</span></td><td>",
			   rj_num(score, "fraction", 0) * 100, passed ? "pass" : "fail",
			   passed ? "\xe2\x9c\x93 PASSED" : "\xe2\x9c\x97 NOT PASSED");
		if (commit) {
			svg_puts(o, "<code>");
			svg_esc_n(o, commit, strnlen(commit, 12));
			svg_puts(o, "</code>");
		} else {
			svg_puts(o, "none");
		}
		svg_puts(o, "</td></tr>\n");
	}
	svg_puts(o, "</tbody></table></div>\n");
}

/* What the class cited (summary.h's "cited"): per exercise, each name with how many learners
 * cited it and how many of those await review. */
static void cited(struct svg_out *o, const cJSON *summary)
{
	const cJSON *g, *e;

	cJSON_ArrayForEach(g, rj_arr(summary, "cited"))
	{
		svg_puts(o, "<h2>Cited in ");
		svg_esc(o, rj_str(g, "exercise", "?"));
		svg_puts(o, ": ");
		svg_esc(o, rj_str(g, "title", ""));
		svg_puts(o, "</h2>\n<div class=\"wrap\"><table><thead><tr><th>Name</th><th class=\"num\">Learners</th>"
			    "<th class=\"num\">Verified</th><th class=\"num\">Awaiting review</th></tr></thead><tbody>\n");
		cJSON_ArrayForEach(e, rj_arr(g, "names"))
		{
			svg_puts(o, "<tr><td>");
			svg_esc(o, rj_str(e, "name", ""));
			svg_printf(o, "</td><td class=\"num\">%.0f</td><td class=\"num\">%.0f</td><td class=\"num\">%.0f</td></tr>\n",
				   rj_num(e, "learners", 0), rj_num(e, "verified", 0), rj_num(e, "review", 0));
		}
		svg_puts(o, "</tbody></table></div>\n");
	}
}

int view_html_class(const cJSON *const *reports, size_t n, struct buf *out)
{
	return view_html_class_summary(reports, n, NULL, out);
}

int view_html_class_summary(const cJSON *const *reports, size_t n, const cJSON *summary, struct buf *out)
{
	struct svg_out o = {.b = out};
	size_t start = out->len, m = 0, passed = 0;
	const cJSON **rs = xcalloc(n ? n : 1, sizeof(*rs));
	double *fractions = xcalloc(n ? n : 1, sizeof(*fractions)), th = -1;

	for (size_t i = 0; i < n; i++) {
		const cJSON *score = rj_obj(reports[i], "score");
		if (!reports[i])
			continue;
		rs[m] = reports[i];
		fractions[m++] = rj_num(score, "fraction", 0);
		passed += rj_bool(score, "passed", false);
		if (th < 0)
			th = rj_num(score, "pass_threshold", -1);
	}
	page_open(&o, "Class report");
	svg_printf(&o,
		   "<main>\n<header><h1>Class report</h1>\n<p><strong>%zu learners</strong>, %zu passed, "
		   "%zu did not pass.</p></header>\n<h2>Scores</h2>\n",
		   m, passed, m - passed);
	svg_histogram(&o, fractions, m, th);
	failure_rates(&o, rs, m, summary);
	speedups(&o, rs, m);
	cited(&o, summary);
	learners(&o, rs, m);
	svg_puts(&o, "</main>\n");
	page_close(&o);
	free(rs);
	free(fractions);
	if (o.err)
		buf_setlen(out, start);
	return o.err;
}
