/* report.c: the result model as JSON and as a terminal summary (see report.h). */
#include "report.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <libgen.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "num.h"
#include "text.h"
#include "version.h"
#include "xalloc.h"
#include "banned.h"

/* Every string of the report is stored as text_visible() shows it, keeping line feeds and tabs
 * (which cJSON escapes as \n and \t): cJSON escapes the other C0 controls as \u00XX, which
 * `jq -r` turns back into raw bytes, and it copies C1 controls, bidi characters and invalid UTF-8
 * through raw. So a report shown with cat or jq -r carries no control character of the learner's,
 * and it is always valid UTF-8. Returns a string item, or NULL when the visible text would pass a
 * buffer's maximum (buf.h) or cJSON runs out of memory. */
static cJSON *json_string(const char *s)
{
	struct buf b = BUF_INIT;
	cJSON *item = NULL;

	if (text_visible(&b, s, strlen(s), "") == 0)
		item = cJSON_CreateString(b.data);
	buf_free(&b);
	return item;
}

/* Replaces the cJSON-allocated string *slot by its visible form when that differs. `is_const`
 * is the key's cJSON_StringIsConst flag (such a key is not ours to free). */
static void make_visible(char **slot, bool is_const)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(*slot);
	char *copy;

	if (text_visible(&b, *slot, n, "") == 0 && (b.len != n || memcmp(b.data, *slot, n))) {
		copy = cJSON_malloc(b.len + 1);
		if (copy) {
			memcpy(copy, b.data, b.len + 1);
			if (!is_const)
				cJSON_free(*slot);
			*slot = copy;
		}
	}
	buf_free(&b);
}

/* Makes every key and string value of a tree (evidence, which other modules build and may
 * attach raw) visible as json_string() does. */
static void visible_tree(cJSON *item)
{
	for (; item; item = item->next) {
		if (item->string) {
			make_visible(&item->string, item->type & cJSON_StringIsConst);
			item->type &= ~cJSON_StringIsConst;
		}
		if (cJSON_IsString(item) && item->valuestring && !(item->type & cJSON_IsReference))
			make_visible(&item->valuestring, false);
		if (item->child)
			visible_tree(item->child);
	}
}

/* Adds a string member, or null. */
static void add_str(cJSON *o, const char *key, const char *s)
{
	cJSON *item = s ? json_string(s) : cJSON_CreateNull();

	if (!item || !cJSON_AddItemToObject(o, key, item))
		cJSON_Delete(item);
}

static void add_num(cJSON *o, const char *key, double v)
{
	/* Round to what a person reads; avoids 12.000000000000002 in reports. */
	cJSON_AddNumberToObject(o, key, round(v * 1e6) / 1e6);
}

static cJSON *strs(char **v, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < n; i++) {
		cJSON *item = json_string(v[i]);
		if (!item || !cJSON_AddItemToArray(a, item))
			cJSON_Delete(item);
	}
	return a;
}

static cJSON *check_json(const struct result_check *c)
{
	cJSON *o = cJSON_CreateObject(), *ev;

	if (!o)
		return NULL;
	add_str(o, "id", c->id);
	add_str(o, "title", c->title);
	add_str(o, "status", result_status_name(c->status));
	add_num(o, "points", c->points);
	add_num(o, "max_points", c->max_points);
	add_str(o, "message", c->message);
	add_str(o, "hint", c->hint);
	if (c->override) {
		const struct result_override *ov = c->override;
		cJSON *oo = cJSON_AddObjectToObject(o, "override"),
		      *orig = cJSON_AddObjectToObject(oo, "original");
		add_str(orig, "status", result_status_name(ov->original_status));
		add_num(orig, "points", ov->original_points);
		add_str(orig, "message", ov->original_message);
		add_str(oo, "status", result_status_name(c->status));
		add_num(oo, "points", c->points);
		add_str(oo, "reason", ov->reason);
		add_str(oo, "by", ov->by);
		add_str(oo, "when", ov->when);
	}
	ev = c->evidence ? cJSON_Duplicate((cJSON *)result_ev_json(c->evidence), 1) : cJSON_CreateObject();
	visible_tree(ev);
	if (ev && !cJSON_AddItemToObject(o, "evidence", ev))
		cJSON_Delete(ev);
	return o;
}

/* The report's "inputs" (result.h, struct result_inputs). */
static void add_inputs(cJSON *root, const struct result_inputs *in)
{
	cJSON *o = cJSON_AddObjectToObject(root, "inputs"), *t, *opt;

	add_str(o, "key", in->key);
	add_str(o, "submission", in->submission);
	add_str(o, "grader_digest", in->grader_digest);
	add_str(o, "spec_digest", in->spec_digest);
	add_str(o, "profiles_digest", in->profiles_digest);
	t = cJSON_AddObjectToObject(o, "toolchain");
	add_str(t, "python", in->python);
	add_str(t, "rustc", in->rustc);
	add_str(t, "cargo", in->cargo);
	opt = cJSON_AddObjectToObject(o, "options");
	cJSON_AddBoolToObject(opt, "no_perf", in->no_perf);
	add_str(opt, "only", in->only);
	add_str(opt, "deadline", in->deadline);
	add_str(opt, "extension", in->extension);
	add_str(o, "class_catalog_digest", in->class_catalog_digest);
	add_str(o, "overrides_digest", in->overrides_digest);
}

static cJSON *report_json(const struct result_report *r)
{
	cJSON *root = cJSON_CreateObject(), *sub, *score, *exs, *g;
	double points = result_points(r), max = result_max_points(r);

	if (!root)
		return NULL;
	cJSON_AddNumberToObject(root, "schema_version", REPORT_SCHEMA_VERSION);
	g = cJSON_AddObjectToObject(root, "grader");
	add_str(g, "version", GRADER_VERSION);
	add_str(root, "learner", r->learner);
	add_str(root, "spec", r->spec_id);
	add_str(root, "started_at", r->started_at);
	add_num(root, "duration_seconds", r->duration);
	g = cJSON_AddObjectToObject(root, "timing");
	cJSON_AddNumberToObject(g, "runs", (double)r->runs);
	add_num(g, "run_seconds", r->run_seconds);
	add_num(g, "grader_seconds", r->duration > r->run_seconds ? r->duration - r->run_seconds : 0);
	add_num(g, "grader_fraction",
		r->duration > 0 && r->duration > r->run_seconds ? (r->duration - r->run_seconds) / r->duration
								: 0);
	add_num(g, "budget_seconds", r->budget_seconds);

	sub = cJSON_AddObjectToObject(root, "submission");
	add_str(sub, "source", r->submission.source);
	add_str(sub, "kind", r->submission.kind);
	add_str(sub, "commit", r->submission.commit);
	add_str(sub, "author", r->submission.author);
	add_str(sub, "date", r->submission.date);
	add_str(sub, "ref", r->submission.ref);
	cJSON_AddBoolToObject(sub, "late", r->submission.late);
	add_num(sub, "late_seconds", r->submission.late_seconds);
	add_str(sub, "deadline", r->submission.deadline);
	cJSON_AddBoolToObject(sub, "graded_commit_late", r->submission.graded_commit_late);
	add_num(sub, "later_commits", (double)r->submission.later_commits);
	cJSON_AddItemToObject(sub, "warnings", strs(r->submission.warnings, r->submission.nwarnings));
	if (r->submission.has_push) {
		cJSON *push = cJSON_AddObjectToObject(sub, "push");
		add_str(push, "branch", r->submission.branch);
		add_str(push, "upstream", r->submission.upstream);
		cJSON_AddBoolToObject(push, "detached", r->submission.detached);
		add_num(push, "ahead", (double)r->submission.ahead);
		add_num(push, "behind", (double)r->submission.behind);
	}
	add_str(sub, "error", r->submission.error);

	score = cJSON_AddObjectToObject(root, "score");
	add_num(score, "points", points);
	add_num(score, "raw_points", result_raw_points(r));
	if (r->penalty > 0) {
		cJSON *pen = cJSON_AddObjectToObject(score, "penalty");
		add_num(pen, "fraction", r->penalty);
		add_num(pen, "points", result_raw_points(r) - points);
		add_str(pen, "reason", r->penalty_reason);
	} else {
		cJSON_AddNullToObject(score, "penalty");
	}
	add_num(score, "max_points", max);
	add_num(score, "fraction", max > 0 ? points / max : 0);
	add_num(score, "pass_threshold", r->pass_threshold);
	cJSON_AddBoolToObject(score, "passed", result_passed(r));

	if (r->inputs.key)
		add_inputs(root, &r->inputs);
	exs = cJSON_AddArrayToObject(root, "exercises");
	for (size_t i = 0; i < r->nexercises; i++) {
		const struct result_exercise *e = r->exercises[i];
		cJSON *eo = cJSON_CreateObject(), *checks;
		if (!eo)
			break;
		add_str(eo, "id", e->id);
		add_str(eo, "title", e->title);
		add_str(eo, "kind", e->kind);
		if (e->file)
			add_str(eo, "file", e->file);
		add_str(eo, "status", result_status_name(e->status));
		add_num(eo, "points", e->points);
		add_num(eo, "max_points", e->max_points);
		add_str(eo, "message", e->message);
		cJSON_AddItemToObject(eo, "unmet_requirements", strs(e->unmet, e->nunmet));
		{
			cJSON *t = cJSON_AddObjectToObject(eo, "time");
			add_num(t, "seconds", e->seconds);
			add_num(t, "budget_seconds", e->budget_seconds);
			cJSON_AddBoolToObject(t, "budget_exhausted", e->out_of_time);
		}
		checks = cJSON_AddArrayToObject(eo, "checks");
		for (size_t j = 0; j < e->nchecks; j++)
			cJSON_AddItemToArray(checks, check_json(e->checks[j]));
		cJSON_AddItemToArray(exs, eo);
	}
	cJSON_AddItemToObject(root, "errors", strs(r->errors, r->nerrors));
	return root;
}

void *report_tree(const struct result_report *r)
{
	return report_json(r);
}

int report_to_json(const struct result_report *r, struct buf *out)
{
	cJSON *root = report_json(r);
	char *text;
	int rc;

	if (!root)
		return -1;
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return -1;
	rc = buf_puts(out, text);
	if (rc == 0)
		rc = buf_puts(out, "\n");
	cJSON_free(text);
	return rc;
}

int report_write(const struct result_report *r, const char *path, struct buf *err)
{
	struct buf json = BUF_INIT, dir = BUF_INIT;
	int rc = -1;

	if (report_to_json(r, &json) < 0) {
		buf_printf(err, "%s: out of memory while rendering the report", path);
		goto out;
	}
	buf_puts(&dir, path);
	if (strchr(dir.data, '/')) {
		char *d = dirname(dir.data);
		if (fs_mkdirs(d) < 0) {
			buf_printf(err, "%s: cannot create directory: %s", d, strerror(errno));
			goto out;
		}
	}
	if (fs_write_atomic(path, json.data, json.len) < 0) {
		buf_printf(err, "%s: cannot write the report: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	buf_free(&json);
	buf_free(&dir);
	return rc;
}

static const char *paint(enum result_status s, bool color)
{
	if (!color)
		return "";
	switch (s) {
	case RESULT_PASS:
		return "\033[32m";
	case RESULT_FAIL:
	case RESULT_ERROR:
		return "\033[31m";
	default:
		return "\033[33m";
	}
}

/* Appends visible text `v` (text_visible()'s output with line feeds and tabs kept) to `out` with
 * `cont` after each line feed and each tab expanded to spaces up to the next multiple of 8
 * columns, counted from the start of the line in the text, not of the terminal's line. A tab
 * left as it is would jump to the terminal's own stop, which the prefix shifts: a compiler's
 * message or an output excerpt indented with tabs would lose its alignment. */
static int expand_lines(struct buf *out, const char *v, const char *cont)
{
	size_t col = 0;

	for (; *v; v++) {
		if (*v == '\r' && v[1] == '\n') {
			continue; /* a CRLF's CR, which text_visible() keeps */
		} else if (*v == '\n') {
			if (buf_puts(out, "\n") < 0 || buf_puts(out, cont) < 0)
				return -1;
			col = 0;
		} else if (*v == '\t') {
			do {
				if (buf_puts(out, " ") < 0)
					return -1;
			} while (++col % 8);
		} else {
			if (buf_append(out, v, 1) < 0)
				return -1;
			col += ((unsigned char)*v & 0xC0) != 0x80; /* characters, not bytes */
		}
	}
	return 0;
}

/* Prints learner text (any string of the model may hold some) as text_visible() shows it: on one
 * line when `cont` is NULL, else with `cont` starting each continuation line, so that no line of
 * the learner's can start where the grader's own lines do (a fake "total ... PASSED"); there the
 * lines keep their indentation, tabs included (see expand_lines). At most `max` bytes of `s` are
 * shown; trailing line feeds are dropped. Returns the columns printed (in bytes, which is what
 * padding of ids needs). */
static size_t put(FILE *f, const char *s, size_t max, const char *cont)
{
	struct buf b = BUF_INIT, e = BUF_INIT;
	size_t len = s ? strnlen(s, max) : 0, n = 0;

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (text_visible(&b, s, len, cont ? "" : NULL) == 0 && (!cont || expand_lines(&e, b.data, cont) == 0)) {
		fputs(cont ? e.data : b.data, f);
		n = cont ? e.len : b.len;
	} else {
		fputs("(too long to show)", f);
	}
	buf_free(&b);
	buf_free(&e);
	return n;
}

/* ---- the figures of a passing check, read from its evidence ---- */

/* The member at a dotted path ("measurement.speedup.estimate") of an evidence tree, or NULL. */
static const cJSON *ev_at(const cJSON *o, const char *path)
{
	char key[64];

	while (o && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = cJSON_GetObjectItemCaseSensitive(o, key);
		path += n + (path[n] == '.');
	}
	return o;
}

/* True when the member at `path` is a finite number; sets *v. */
static bool ev_num(const cJSON *o, const char *path, double *v)
{
	const cJSON *it = ev_at(o, path);

	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
		return false;
	*v = it->valuedouble;
	return true;
}

static void put_mib(struct buf *b, double bytes)
{
	char n[32];

	buf_printf(b, "%s MiB",
		   num_format_sig(bytes / (1024.0 * 1024.0), bytes >= 10 * 1024.0 * 1024.0 ? 2 : 3, n,
				  sizeof(n)));
}

/* "Rust is 6x as fast (5.1x–7x)", or "Rust is 3.1x slower (ratio 0.28x–0.36x)" below 1. */
static void put_speed(struct buf *b, double est, double lo, double hi, bool interval)
{
	char x[32], y[32];

	if (est >= 1)
		buf_printf(b, "Rust is %s as fast", num_format_ratio(est, x, sizeof(x)));
	else
		buf_printf(b, "Rust is %s", num_format_speed(est, x, sizeof(x)));
	if (interval) {
		buf_printf(b, " (%s%s", est >= 1 ? "" : "ratio ", num_format_ratio(lo, x, sizeof(x)));
		buf_printf(b, "\u2013%s)", num_format_ratio(hi, y, sizeof(y)));
	}
}

/* Appends to `b` the figures a check measured, on one line, read from the evidence its grader
 * left (the keys are listed in docs/report.md); appends nothing for a check without figures.
 * The figures are recognised by their keys, not by the check's id, so that exercise 2 and 4 share
 * them. */
static void check_figures(const struct result_check *c, struct buf *b)
{
	const cJSON *ev = c->evidence ? result_ev_json(c->evidence) : NULL;
	double est, lo, hi, x, y, z, w;
	char n1[32], n2[32];

	if (!ev)
		return;
	if (ev_num(ev, "measurement.speedup.estimate", &est) &&
	    ev_num(ev, "measurement.speedup.low", &lo) && ev_num(ev, "measurement.speedup.high", &hi)) {
		const char *metric = cJSON_GetStringValue(ev_at(ev, "measurement.metric"));
		bool wall = metric && !strcmp(metric, "wall");

		put_speed(b, est, lo, hi, true);
		if (ev_num(ev, wall ? "measurement.median_wall.candidate" : "measurement.median_cpu.candidate",
			   &x) &&
		    ev_num(ev, wall ? "measurement.median_wall.baseline" : "measurement.median_cpu.baseline", &y))
			buf_printf(b, ", %s time %s vs %s", wall ? "wall" : "CPU",
				   num_format_time(x, n1, sizeof(n1)), num_format_time(y, n2, sizeof(n2)));
	} else if (ev_num(ev, "rust_peak_bytes", &x) && ev_num(ev, "python_peak_bytes", &y)) {
		buf_puts(b, "peak memory ");
		put_mib(b, x);
		buf_puts(b, " (Rust) vs ");
		put_mib(b, y);
		buf_puts(b, " (Python)");
	} else if (ev_num(ev, "rust.exponent", &x) && ev_num(ev, "python.exponent", &y)) {
		buf_printf(b, "time grows as n^%s for Rust, ", num_format_sig(x, 2, n1, sizeof(n1)));
		buf_printf(b, "n^%s for Python", num_format_sig(y, 2, n1, sizeof(n1)));
	} else if (ev_num(ev, "claimed", &x) && ev_num(ev, "measured", &est) &&
		   ev_num(ev, "measured_low", &lo) && ev_num(ev, "measured_high", &hi)) {
		buf_printf(b, "you claimed %s; measured ", num_format_ratio(x, n1, sizeof(n1)));
		buf_printf(b, "%s (%s", num_format_ratio(est, n1, sizeof(n1)),
			   num_format_ratio(lo, n2, sizeof(n2)));
		buf_printf(b, "\u2013%s)", num_format_ratio(hi, n1, sizeof(n1)));
	} else if (ev_num(ev, "claimed", &x) && ev_num(ev, "measured", &y)) {
		buf_printf(b, "you claimed a memory ratio of %s; ", num_format_sig(x, 3, n1, sizeof(n1)));
		buf_printf(b, "measured %s", num_format_sig(y, 3, n1, sizeof(n1)));
	} else if (ev_num(ev, "python.claimed", &x) && ev_num(ev, "rust.claimed", &z) &&
		   ((ev_num(ev, "python.sloc", &y) && ev_num(ev, "rust.sloc", &w)) ||
		    (ev_num(ev, "python.lines", &y) && ev_num(ev, "rust.lines", &w)))) {
		/* sloc since the tokenizers (complexity.c); lines in older reports */
		buf_printf(b, "you claimed %.0f lines of Python and %.0f of Rust; counted %.0f and %.0f",
			   x, z, y, w);
	} else if (ev_num(ev, "passed", &x) && ev_num(ev, "total", &y) && y > 0) {
		const char *mode = cJSON_GetStringValue(ev_at(ev, "compare_mode"));

		if (x == y)
			buf_printf(b, "all %.0f cases agree", y);
		else
			buf_printf(b, "%.0f of %.0f cases agree", x, y);
		if (mode)
			buf_printf(b, " (compare: %s)", mode);
	}
}

/* A check an instructor overrode (overrides.h): its verdict now, then the grader's own and the
 * override's reason, author and date, each shown as learner text would be. */
static void put_override(FILE *f, const struct result_check *c, bool color)
{
	const struct result_override *ov = c->override;
	const char *reset = color ? "\033[0m" : "";

	fputs("           - ", f);
	put(f, c->id, SIZE_MAX, NULL);
	fprintf(f, ": %s%s%s %.1f/%.1f (overridden; the grader gave %s %.1f) ", paint(c->status, color),
		result_status_name(c->status), reset, c->points, c->max_points,
		result_status_name(ov->original_status), ov->original_points);
	put(f, c->message, SIZE_MAX, "             | ");
	fputs("\n             override: ", f);
	put(f, ov->reason, SIZE_MAX, "               | ");
	fputs(" (", f);
	put(f, ov->by, 200, NULL);
	fputs(", ", f);
	put(f, ov->when, 64, NULL);
	fputs(")\n", f);
}

/* One line naming the checks of `e` that passed and have no figures to show: "passed: build,
 * python, cases". */
static void put_passed(FILE *f, const struct result_exercise *e)
{
	size_t shown = 0;

	for (size_t j = 0; j < e->nchecks; j++) {
		const struct result_check *c = e->checks[j];
		struct buf fig = BUF_INIT;

		if (c->status == RESULT_PASS)
			check_figures(c, &fig);
		if (c->status == RESULT_PASS && !fig.len && !c->override) {
			fputs(shown++ ? ", " : "           passed: ", f);
			put(f, c->id, SIZE_MAX, NULL);
		}
		buf_free(&fig);
	}
	if (shown)
		fputs("\n", f);
}

void report_print_summary(const struct result_report *r, FILE *f, bool color)
{
	const char *reset = color ? "\033[0m" : "";
	double points = result_points(r), max = result_max_points(r), skipped = 0;

	for (size_t i = 0; i < r->nexercises; i++)
		for (size_t j = 0; j < r->exercises[i]->nchecks; j++)
			if (r->exercises[i]->checks[j]->status == RESULT_SKIPPED)
				skipped += r->exercises[i]->checks[j]->max_points;
	put(f, r->learner ? r->learner : "submission", SIZE_MAX, NULL);
	if (r->submission.commit) {
		fputs(" @ ", f);
		put(f, r->submission.commit, 12, NULL);
	}
	fputs("\n", f);
	for (size_t i = 0; i < r->submission.nwarnings; i++) {
		fputs("  warning: ", f);
		put(f, r->submission.warnings[i], SIZE_MAX, "    | ");
		fputs("\n", f);
	}
	if (r->submission.error) {
		fprintf(f, "  %snot graded%s: ", paint(RESULT_FAIL, color), reset);
		put(f, r->submission.error, SIZE_MAX, "    | ");
		fputs("\n", f);
	}
	for (size_t i = 0; i < r->nexercises; i++) {
		const struct result_exercise *e = r->exercises[i];
		fputs("  ", f);
		for (size_t w = put(f, e->id, SIZE_MAX, NULL); w < 8; w++)
			fputc(' ', f);
		fprintf(f, " %s%-12s%s %5.1f/%-5.1f ", paint(e->status, color),
			result_status_name(e->status), reset, e->points, e->max_points);
		put(f, e->title, SIZE_MAX, NULL);
		fputs("\n", f);
		if (e->message) {
			fputs("           ", f);
			put(f, e->message, SIZE_MAX, "           | ");
			fputs("\n", f);
		}
		for (size_t j = 0; j < e->nunmet; j++) {
			fprintf(f, "           required to pass: %s", paint(RESULT_FAIL, color));
			put(f, e->unmet[j], SIZE_MAX, NULL);
			fprintf(f, "%s\n", reset);
		}
		for (size_t j = 0; j < e->nchecks; j++) {
			const struct result_check *c = e->checks[j];
			if (c->override) {
				put_override(f, c, color);
				continue;
			}
			if (c->status == RESULT_PASS) {
				struct buf fig = BUF_INIT;
				check_figures(c, &fig);
				if (fig.len) {
					fputs("           - ", f);
					put(f, c->id, SIZE_MAX, NULL);
					fprintf(f, ": %s%s%s  ", paint(c->status, color),
						result_status_name(c->status), reset);
					put(f, fig.data, SIZE_MAX, NULL);
					fputs("\n", f);
				}
				buf_free(&fig);
				continue;
			}
			fputs("           - ", f);
			put(f, c->id, SIZE_MAX, NULL);
			fprintf(f, ": %s%s%s ", paint(c->status, color), result_status_name(c->status), reset);
			put(f, c->message, SIZE_MAX, "             | ");
			fputs("\n", f);
			if (c->hint) {
				fputs("             hint: ", f);
				put(f, c->hint, SIZE_MAX, "               | ");
				fputs("\n", f);
			}
		}
		put_passed(f, e);
	}
	for (size_t i = 0; i < r->nerrors; i++) {
		fputs("  error: ", f);
		put(f, r->errors[i], SIZE_MAX, "    | ");
		fputs("\n", f);
	}
	if (r->penalty > 0) {
		fprintf(f, "  late     -%.1f points (%.0f%% of %.1f): ", result_raw_points(r) - points,
			100 * r->penalty, result_raw_points(r));
		put(f, r->penalty_reason ? r->penalty_reason : "late policy", SIZE_MAX, NULL);
		fputs("\n", f);
	}
	fprintf(f, "  total    %.1f/%.1f (%.0f%%, pass at %.0f%%): %s\n", points, max,
		max > 0 ? 100 * points / max : 0, 100 * r->pass_threshold,
		result_passed(r)                           ? "PASSED"
		: r->nerrors                               ? "NOT GRADED (infrastructure error)"
		: points + 1e-9 >= r->pass_threshold * max ? "NOT PASSED (a required check failed)"
							   : "BELOW THRESHOLD");
	if (skipped > 0)
		fprintf(f,
			"           %.1f of the %.1f points are in skipped checks (not run, or not measured with "
			"--no-perf): they count as 0 here\n",
			skipped, max);
}

/* ---- reading reports back (grader show, grader summary) ---- */

/* Appends a path to a message (a folder's entries may be named by anyone). */
static void err_path(struct buf *err, const char *path)
{
	text_visible(err, path, strlen(path), NULL);
}

void *report_read(const char *path, struct buf *err)
{
	struct buf text = BUF_INIT;
	cJSON *r = NULL;

	if (fs_read_file(path, 64u << 20, &text) < 0) {
		err_path(err, path);
		buf_printf(err, ": cannot read: %s\n", strerror(errno));
		goto out;
	}
	r = cJSON_ParseWithLength(text.data, text.len);
	if (!cJSON_IsObject(r) || cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "schema_version")) !=
					  REPORT_SCHEMA_VERSION) {
		err_path(err, path);
		buf_printf(err, ": not a grader report of schema version %d\n", REPORT_SCHEMA_VERSION);
		cJSON_Delete(r);
		r = NULL;
	}
out:
	buf_free(&text);
	return r;
}
