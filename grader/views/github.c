/* github.c: a written report as GitHub Actions annotations and a step summary (see github.h). */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "views/github.h"
#include "views/rjson.h"
#include "banned.h"

/* ---- escapes ---- */

/* The runner's escapes: `%`, CR and LF always, and in a property value also `:` and `,`. */
static int escape_command(struct buf *out, const char *s, bool property)
{
	int rc = 0;

	for (; s && *s; s++) {
		if (*s == '%')
			rc |= buf_puts(out, "%25");
		else if (*s == '\r')
			rc |= buf_puts(out, "%0D");
		else if (*s == '\n')
			rc |= buf_puts(out, "%0A");
		else if (property && *s == ':')
			rc |= buf_puts(out, "%3A");
		else if (property && *s == ',')
			rc |= buf_puts(out, "%2C");
		/* a report read from a file may hold what the grader never writes: no escape sequence
		 * reaches a terminal or a CI log */
		else if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			rc |= buf_puts(out, "\xef\xbf\xbd");
		else
			rc |= buf_append(out, s, 1);
	}
	return rc ? -1 : 0;
}

int view_github_escape_data(struct buf *out, const char *s)
{
	return escape_command(out, s, false);
}

int view_github_escape_property(struct buf *out, const char *s)
{
	return escape_command(out, s, true);
}

/* view_github_escape_markdown() of the first `n` bytes of `s`. */
static int escape_markdown_n(struct buf *out, const char *s, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\\':
		case '|':
		case '*':
		case '_':
		case '[':
		case ']':
		case '~':
			rc |= buf_printf(out, "\\%c", c);
			break;
		case '&':
			rc |= buf_puts(out, "&amp;");
			break;
		case '<':
			rc |= buf_puts(out, "&lt;");
			break;
		case '>':
			rc |= buf_puts(out, "&gt;");
			break;
		case '`':
			rc |= buf_puts(out, "&#96;");
			break;
		case '\t':
			rc |= buf_puts(out, " ");
			break;
		case '\r':
			/* CRLF is one line break; a lone CR is one too, which HTML would not show. */
			if (i + 1 == n || s[i + 1] != '\n')
				rc |= buf_puts(out, "<br>");
			break;
		case '\n':
			rc |= buf_puts(out, "<br>");
			break;
		default:
			/* A damaged report's other controls: shown as the replacement character. */
			if (c < 0x20 || c == 0x7f)
				rc |= buf_puts(out, "\xEF\xBF\xBD");
			else
				rc |= buf_append(out, s + i, 1);
		}
	}
	return rc ? -1 : 0;
}

int view_github_escape_markdown(struct buf *out, const char *s)
{
	return escape_markdown_n(out, s ? s : "", s ? strlen(s) : 0);
}

/* ---- numbers ---- */

/* Points as the learner reads them: 5, 15.8 (one decimal, none when it is .0). */
static void put_points(struct buf *b, double p)
{
	if (!isfinite(p))
		p = 0;
	if (fabs(p - round(p)) < 0.05)
		buf_printf(b, "%.0f", round(p));
	else
		buf_printf(b, "%.1f", p);
}

/* A duration in seconds, with three significant figures in the unit that suits it. */
static void put_seconds(struct buf *b, double s)
{
	double ms = s * 1000;

	if (s >= 1)
		buf_printf(b, "%.2f s", s);
	else if (ms >= 100)
		buf_printf(b, "%.0f ms", ms);
	else if (ms >= 10)
		buf_printf(b, "%.1f ms", ms);
	else
		buf_printf(b, "%.2f ms", ms);
}

/* A ratio such as a speed-up, with about three significant figures: 0.52, 5.65, 25.0, 131. */
static void put_ratio(struct buf *b, double x)
{
	if (x >= 100)
		buf_printf(b, "%.0f", x);
	else if (x >= 10)
		buf_printf(b, "%.1f", x);
	else
		buf_printf(b, "%.2f", x);
}

static void put_bytes(struct buf *b, double n)
{
	if (n >= 1024.0 * 1024 * 1024)
		buf_printf(b, "%.2f GiB", n / (1024.0 * 1024 * 1024));
	else if (n >= 1024.0 * 1024)
		buf_printf(b, "%.1f MiB", n / (1024.0 * 1024));
	else
		buf_printf(b, "%.0f KiB", n / 1024.0);
}

/* ---- what the report says ---- */

static bool status_is(const cJSON *o, const char *a, const char *b)
{
	const char *s = rj_str(o, "status", "");

	return !strcmp(s, a) || (b && !strcmp(s, b));
}

static bool is_failed(const cJSON *check)
{
	return status_is(check, "fail", "error");
}

static bool is_doubtful(const cJSON *check)
{
	return status_is(check, "partial", "inconclusive");
}

/* The verdict of the whole report, as the terminal summary words it. */
static const char *verdict(const cJSON *report)
{
	const cJSON *score = rj_obj(report, "score");
	const cJSON *errors = rj_arr(report, "errors");
	double points = rj_num(score, "points", 0), max = rj_num(score, "max_points", 0);

	if (rj_bool(score, "passed", false))
		return "PASSED";
	if (cJSON_GetArraySize(errors) > 0)
		return "NOT PASSED (infrastructure error)";
	if (max > 0 && points + 1e-9 >= rj_num(score, "pass_threshold", 1) * max)
		return "NOT PASSED (a required check failed)";
	return "NOT PASSED";
}

/* "71.0/90.0 points (79%), pass at 60%: PASSED" */
static void put_total(struct buf *b, const cJSON *report)
{
	const cJSON *score = rj_obj(report, "score");
	double points = rj_num(score, "points", 0), max = rj_num(score, "max_points", 0);

	buf_printf(b, "%.1f/%.1f points (%.0f%%), pass at %.0f%%: %s", points, max,
		   max > 0 ? 100 * points / max : 0, 100 * rj_num(score, "pass_threshold", 0),
		   verdict(report));
}

/* ---- annotations ---- */

/* Appends one workflow command line to `b`. `file` may be NULL; `line` and `col` are 0 when
 * unknown. */
static void put_command(struct buf *b, const char *cmd, const char *file, int line, int col,
			const char *title, const char *message)
{
	const char *sep = " ";

	buf_printf(b, "::%s", cmd);
	if (file) {
		buf_puts(b, " file=");
		view_github_escape_property(b, file);
		if (line > 0)
			buf_printf(b, ",line=%d", line);
		if (line > 0 && col > 0)
			buf_printf(b, ",col=%d", col);
		sep = ",";
	}
	if (title) {
		buf_printf(b, "%stitle=", sep);
		view_github_escape_property(b, title);
	}
	buf_puts(b, "::");
	view_github_escape_data(b, message);
	buf_puts(b, "\n");
}

/* Joins the non-NULL parts with line feeds into `b` (emptied first). */
static void join_lines(struct buf *b, const char *a, const char *c, const char *d)
{
	const char *parts[] = {a, c, d};

	buf_reset(b);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (b->len)
			buf_puts(b, "\n");
		buf_puts(b, parts[i]);
	}
}

static void annotate_exercise(struct buf *b, const cJSON *ex)
{
	const char *id = rj_str(ex, "id", "exercise");
	const char *ex_message = rj_str(ex, "message", NULL);
	const cJSON *check;
	struct buf title = BUF_INIT, msg = BUF_INIT;
	bool told = false; /* the exercise's own message was given with a check */
	int line, col;
	const char *file;

	cJSON_ArrayForEach(check, rj_arr(ex, "checks"))
	{
		bool failed = is_failed(check);
		if (!failed && !is_doubtful(check) && !status_is(check, "review", NULL))
			continue;
		file = rj_check_file(ex, check, &line, &col);
		buf_reset(&title);
		buf_printf(&title, "%s %s (", id, rj_str(check, "id", "check"));
		put_points(&title, rj_num(check, "points", 0));
		buf_puts(&title, "/");
		put_points(&title, rj_num(check, "max_points", 0));
		buf_puts(&title, ")");
		/* A check that failed because the exercise could not be graded ("see the exercise's
		 * message") carries that message, which says what to fix. */
		join_lines(&msg, rj_str(check, "message", NULL), failed && !told ? ex_message : NULL,
			   rj_str(check, "hint", NULL));
		told |= failed;
		put_command(b, failed ? "error" : "warning", file, line, col, title.data,
			    msg.len ? msg.data : rj_str(check, "title", "failed"));
	}
	if (!told && ex_message && status_is(ex, "fail", "error")) {
		file = rj_check_file(ex, NULL, &line, &col); /* the exercise's file */
		buf_reset(&title);
		buf_printf(&title, "%s (", id);
		put_points(&title, rj_num(ex, "points", 0));
		buf_puts(&title, "/");
		put_points(&title, rj_num(ex, "max_points", 0));
		buf_puts(&title, ")");
		put_command(b, "error", file, line, col, title.data, ex_message);
	}
	buf_free(&title);
	buf_free(&msg);
}

/* One command per string of the array `key` of `o`. */
static void annotate_strings(struct buf *b, const cJSON *o, const char *key, const char *cmd, const char *title)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, rj_arr(o, key))
	{
		if (cJSON_IsString(s) && s->valuestring)
			put_command(b, cmd, NULL, 0, 0, title, s->valuestring);
	}
}

int view_github_annotations(const cJSON *report, struct buf *out)
{
	const cJSON *sub = rj_obj(report, "submission");
	const cJSON *ex;
	struct buf b = BUF_INIT, total = BUF_INIT;
	int rc;

	annotate_strings(&b, report, "errors", "error", "grader: infrastructure error");
	if (rj_str(sub, "error", NULL))
		put_command(&b, "error", NULL, 0, 0, "submission not graded", rj_str(sub, "error", NULL));
	annotate_strings(&b, sub, "warnings", "warning", "submission");
	cJSON_ArrayForEach(ex, rj_arr(report, "exercises"))
	{
		annotate_exercise(&b, ex);
	}
	put_total(&total, report);
	put_command(&b, "notice", NULL, 0, 0, "grader", total.data);
	rc = buf_append(out, b.data, b.len);
	buf_free(&b);
	buf_free(&total);
	return rc;
}

/* ---- step summary ---- */

/* The first line of `s` (a compiler's message goes on for pages), escaped for Markdown. */
static void put_first_line(struct buf *b, const char *s)
{
	size_t n = s ? strcspn(s, "\n") : 0;

	if (n && s[n - 1] == '\r')
		n--;
	escape_markdown_n(b, s ? s : "", n);
}

/* "15.8/20" */
static void put_score_of(struct buf *b, const cJSON *o)
{
	put_points(b, rj_num(o, "points", 0));
	buf_puts(b, "/");
	put_points(b, rj_num(o, "max_points", 0));
}

static void summary_table(struct buf *b, const cJSON *report)
{
	const cJSON *ex;

	buf_puts(b, "| exercise | title | status | points |\n| --- | --- | --- | ---: |\n");
	cJSON_ArrayForEach(ex, rj_arr(report, "exercises"))
	{
		buf_puts(b, "| ");
		view_github_escape_markdown(b, rj_str(ex, "id", "?"));
		buf_puts(b, " | ");
		view_github_escape_markdown(b, rj_str(ex, "title", ""));
		buf_puts(b, " | ");
		view_github_escape_markdown(b, rj_str(ex, "status", "?"));
		buf_puts(b, " | ");
		put_score_of(b, ex);
		buf_puts(b, " |\n");
	}
}

/* The first check of `ex`, in the report's order (the spec's), that fails or errs, else the first
 * partial or inconclusive one, else NULL. */
static const cJSON *first_to_fix(const cJSON *ex)
{
	const cJSON *check, *doubtful = NULL;

	cJSON_ArrayForEach(check, rj_arr(ex, "checks"))
	{
		if (is_failed(check))
			return check;
		if (!doubtful && is_doubtful(check))
			doubtful = check;
	}
	return doubtful;
}

/* Why an exercise with nothing to fix still lost points: its checks that were not run. */
static void put_not_run(struct buf *b, const cJSON *ex)
{
	const cJSON *check, *first = NULL;
	int n = 0;

	cJSON_ArrayForEach(check, rj_arr(ex, "checks"))
	{
		if (status_is(check, "skipped", "review") && !first)
			first = check;
		n += status_is(check, "skipped", "review");
	}
	if (!first) {
		buf_puts(b, "No check failed.\n\n");
		return;
	}
	buf_printf(b, "No check failed: %d %s skipped or %s review; the first, **", n,
		   n == 1 ? "check was" : "checks were", n == 1 ? "awaits" : "await");
	view_github_escape_markdown(b, rj_str(first, "id", "?"));
	buf_puts(b, "**: ");
	put_first_line(b, rj_str(first, "message", ""));
	buf_puts(b, "\n\n");
}

static void summary_fix(struct buf *b, const cJSON *ex)
{
	const cJSON *check = first_to_fix(ex), *req = rj_arr(ex, "unmet_requirements"), *s;
	const char *msg = rj_str(ex, "message", NULL), *file, *hint;
	int line, col, n = 0;

	buf_puts(b, "### ");
	view_github_escape_markdown(b, rj_str(ex, "id", "?"));
	buf_puts(b, ": the first thing to fix\n\n");
	if (msg) {
		buf_puts(b, "The exercise: ");
		put_first_line(b, msg);
		buf_puts(b, "\n\n");
	}
	cJSON_ArrayForEach(s, req)
	{
		if (!cJSON_IsString(s) || !s->valuestring)
			continue;
		buf_puts(b, n++ ? ", " : "Required and not passed: ");
		view_github_escape_markdown(b, s->valuestring);
	}
	if (n)
		buf_puts(b, ".\n\n");
	if (!check) {
		put_not_run(b, ex);
		return;
	}
	buf_puts(b, "**");
	view_github_escape_markdown(b, rj_str(check, "id", "?"));
	buf_puts(b, "** (");
	view_github_escape_markdown(b, rj_str(check, "status", "?"));
	buf_puts(b, ", ");
	put_score_of(b, check);
	buf_puts(b, ")");
	file = rj_check_file(ex, check, &line, &col);
	if (file) {
		buf_puts(b, " in ");
		view_github_escape_markdown(b, file);
		if (line > 0)
			buf_printf(b, ":%d", line);
		if (line > 0 && col > 0)
			buf_printf(b, ":%d", col);
	}
	buf_puts(b, ": ");
	put_first_line(b, rj_str(check, "message", rj_str(check, "title", "")));
	buf_puts(b, "\n\n");
	hint = rj_str(check, "hint", NULL);
	if (hint) {
		buf_puts(b, "Hint: ");
		view_github_escape_markdown(b, hint);
		buf_puts(b, "\n\n");
	}
}

/* The exercise's measured checks' evidence, NULL when not measured. */
static const cJSON *measured_speed(const cJSON *ex)
{
	const cJSON *check;

	cJSON_ArrayForEach(check, rj_arr(ex, "checks"))
	{
		const cJSON *m = rj_obj(rj_obj(check, "evidence"), "measurement");
		if (!strcmp(rj_str(check, "id", ""), "performance") &&
		    rj_num(rj_obj(m, "speedup"), "estimate", -1) > 0)
			return m;
	}
	return NULL;
}

static const cJSON *measured_memory(const cJSON *ex)
{
	const cJSON *check;

	cJSON_ArrayForEach(check, rj_arr(ex, "checks"))
	{
		const cJSON *ev = rj_obj(check, "evidence");
		if (!strcmp(rj_str(check, "id", ""), "memory") &&
		    rj_num(ev, "python_peak_bytes", -1) > 0 && rj_num(ev, "rust_peak_bytes", -1) > 0)
			return ev;
	}
	return NULL;
}

static void summary_speed_row(struct buf *b, const cJSON *ex, const cJSON *speed, const cJSON *mem)
{
	const cJSON *sp = rj_obj(speed, "speedup"), *cpu = rj_obj(speed, "median_cpu");

	buf_puts(b, "| ");
	view_github_escape_markdown(b, rj_str(ex, "id", "?"));
	buf_puts(b, " | ");
	if (speed) {
		put_ratio(b, rj_num(sp, "estimate", 0));
		buf_puts(b, "x");
		if (rj_num(sp, "low", -1) > 0 && rj_num(sp, "high", -1) > 0) {
			buf_puts(b, " (");
			put_ratio(b, rj_num(sp, "low", 0));
			buf_puts(b, "x to ");
			put_ratio(b, rj_num(sp, "high", 0));
			buf_puts(b, "x)");
		}
	} else {
		buf_puts(b, "-");
	}
	buf_puts(b, " | ");
	if (rj_num(cpu, "baseline", -1) >= 0 && rj_num(cpu, "candidate", -1) >= 0) {
		put_seconds(b, rj_num(cpu, "baseline", 0));
		buf_puts(b, " / ");
		put_seconds(b, rj_num(cpu, "candidate", 0));
	} else {
		buf_puts(b, "-");
	}
	buf_puts(b, " | ");
	if (mem) {
		put_bytes(b, rj_num(mem, "python_peak_bytes", 0));
		buf_puts(b, " / ");
		put_bytes(b, rj_num(mem, "rust_peak_bytes", 0));
		if (rj_num(mem, "ratio", -1) >= 0)
			buf_printf(b, " (ratio %.2f)", rj_num(mem, "ratio", 0));
	} else {
		buf_puts(b, "-");
	}
	buf_puts(b, " |\n");
}

static void summary_speed(struct buf *b, const cJSON *report)
{
	const cJSON *ex;
	bool any = false;

	cJSON_ArrayForEach(ex, rj_arr(report, "exercises"))
	{
		const cJSON *speed = measured_speed(ex), *mem = measured_memory(ex);
		if (!speed && !mem)
			continue;
		if (!any)
			buf_puts(b, "### Speed and memory\n\n"
				    "| exercise | Rust's speed-up (interval) | median CPU time, Python / Rust "
				    "| peak memory, Python / Rust |\n| --- | ---: | ---: | ---: |\n");
		any = true;
		summary_speed_row(b, ex, speed, mem);
	}
	if (any)
		buf_puts(b, "\n");
}

/* Each string of the array `key` of `o` as a list item after `label`. */
static int summary_list(struct buf *b, const cJSON *o, const char *key, const char *label)
{
	const cJSON *s;
	int n = 0;

	cJSON_ArrayForEach(s, rj_arr(o, key))
	{
		if (!cJSON_IsString(s) || !s->valuestring)
			continue;
		buf_printf(b, "- %s: ", label);
		view_github_escape_markdown(b, s->valuestring);
		buf_puts(b, "\n");
		n++;
	}
	return n;
}

static void summary_problems(struct buf *b, const cJSON *report)
{
	const cJSON *sub = rj_obj(report, "submission");
	struct buf list = BUF_INIT;
	int n = summary_list(&list, report, "errors", "infrastructure error (not your fault)");

	if (rj_str(sub, "error", NULL)) {
		buf_puts(&list, "- the submission could not be graded: ");
		view_github_escape_markdown(&list, rj_str(sub, "error", NULL));
		buf_puts(&list, "\n");
		n++;
	}
	n += summary_list(&list, sub, "warnings", "warning");
	if (n)
		buf_printf(b, "### Errors and warnings\n\n%s\n", list.data);
	buf_free(&list);
}

int view_github_summary(const cJSON *report, struct buf *out)
{
	const cJSON *ex;
	struct buf b = BUF_INIT;
	int rc;

	buf_puts(&b, "## grader: ");
	view_github_escape_markdown(&b, rj_str(report, "learner", "unknown learner"));
	buf_puts(&b, ", ");
	put_total(&b, report);
	buf_puts(&b, "\n\n");
	summary_problems(&b, report);
	summary_table(&b, report);
	buf_puts(&b, "\n");
	cJSON_ArrayForEach(ex, rj_arr(report, "exercises"))
	{
		if (!status_is(ex, "pass", NULL) || rj_num(ex, "points", 0) + 1e-9 < rj_num(ex, "max_points", 0))
			summary_fix(&b, ex);
	}
	summary_speed(&b, report);
	rc = buf_append(out, b.data, b.len);
	buf_free(&b);
	return rc;
}
