/* report.c: the result model as JSON and as a terminal summary (see report.h). */
#include "report.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "version.h"
#include "banned.h"

/* Adds a string member, or null. The model's strings come from the grader or were sanitised on
 * the way in; paths and messages are still passed through the evidence sanitiser for safety. */
static void add_str(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_num(cJSON *o, const char *key, double v)
{
	/* Round to what a person reads; avoids 12.000000000000002 in reports. */
	cJSON_AddNumberToObject(o, key, round(v * 1e6) / 1e6);
}

static cJSON *strs(char **v, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
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
	ev = c->evidence ? cJSON_Duplicate((cJSON *)result_ev_json(c->evidence), 1) : cJSON_CreateObject();
	if (ev)
		cJSON_AddItemToObject(o, "evidence", ev);
	return o;
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
	add_num(g, "grader_fraction", r->duration > 0 && r->duration > r->run_seconds
					   ? (r->duration - r->run_seconds) / r->duration : 0);
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
	cJSON_AddItemToObject(sub, "warnings", strs(r->submission.warnings, r->submission.nwarnings));
	add_str(sub, "error", r->submission.error);

	score = cJSON_AddObjectToObject(root, "score");
	add_num(score, "points", points);
	add_num(score, "max_points", max);
	add_num(score, "fraction", max > 0 ? points / max : 0);
	add_num(score, "pass_threshold", r->pass_threshold);
	cJSON_AddBoolToObject(score, "passed", result_passed(r));

	exs = cJSON_AddArrayToObject(root, "exercises");
	for (size_t i = 0; i < r->nexercises; i++) {
		const struct result_exercise *e = r->exercises[i];
		cJSON *eo = cJSON_CreateObject(), *checks;
		if (!eo)
			break;
		add_str(eo, "id", e->id);
		add_str(eo, "title", e->title);
		add_str(eo, "kind", e->kind);
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
	if (dir.data && strchr(dir.data, '/')) {
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

void report_print_summary(const struct result_report *r, FILE *f, bool color)
{
	const char *reset = color ? "\033[0m" : "";
	double points = result_points(r), max = result_max_points(r), skipped = 0;

	for (size_t i = 0; i < r->nexercises; i++)
		for (size_t j = 0; j < r->exercises[i]->nchecks; j++)
			if (r->exercises[i]->checks[j]->status == RESULT_SKIPPED)
				skipped += r->exercises[i]->checks[j]->max_points;
	fprintf(f, "%s", r->learner ? r->learner : "submission");
	if (r->submission.commit)
		fprintf(f, " @ %.12s", r->submission.commit);
	fprintf(f, "\n");
	for (size_t i = 0; i < r->submission.nwarnings; i++)
		fprintf(f, "  warning: %s\n", r->submission.warnings[i]);
	if (r->submission.error)
		fprintf(f, "  %snot graded%s: %s\n", paint(RESULT_FAIL, color), reset, r->submission.error);
	for (size_t i = 0; i < r->nexercises; i++) {
		const struct result_exercise *e = r->exercises[i];
		fprintf(f, "  %-8s %s%-12s%s %5.1f/%-5.1f %s\n", e->id, paint(e->status, color),
			result_status_name(e->status), reset, e->points, e->max_points, e->title);
		if (e->message)
			fprintf(f, "           %s\n", e->message);
		for (size_t j = 0; j < e->nunmet; j++)
			fprintf(f, "           required to pass: %s%s%s\n", paint(RESULT_FAIL, color), e->unmet[j], reset);
		for (size_t j = 0; j < e->nchecks; j++) {
			const struct result_check *c = e->checks[j];
			if (c->status == RESULT_PASS)
				continue;
			fprintf(f, "           - %s: %s%s%s %s\n", c->id, paint(c->status, color),
				result_status_name(c->status), reset, c->message ? c->message : "");
			if (c->hint)
				fprintf(f, "             hint: %s\n", c->hint);
		}
	}
	for (size_t i = 0; i < r->nerrors; i++)
		fprintf(f, "  error: %s\n", r->errors[i]);
	fprintf(f, "  total    %.1f/%.1f (%.0f%%, pass at %.0f%%): %s\n", points, max,
		max > 0 ? 100 * points / max : 0, 100 * r->pass_threshold,
		result_passed(r) ? "PASSED"
		: r->nerrors ? "NOT GRADED (infrastructure error)"
		: points + 1e-9 >= r->pass_threshold * max ? "NOT PASSED (a required check failed)"
		: "BELOW THRESHOLD");
	if (skipped > 0)
		fprintf(f, "           %.1f of the %.1f points are in skipped checks (not run, or not measured with "
			   "--no-perf): they count as 0 here\n", skipped, max);
}

/* ---- reading reports back, for the grade sheet ---- */

/* Quotes a CSV field when it needs it (RFC 4180). */
static void csv_field(struct buf *b, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\n\r")) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"')
			buf_puts(b, "\"");
		buf_append(b, s, 1);
	}
	buf_puts(b, "\"");
}

static int merge_one(const char *path, struct buf *csv, struct buf *header, struct buf *err)
{
	struct buf text = BUF_INIT, row = BUF_INIT, cols = BUF_INIT;
	cJSON *r = NULL, *score, *sub, *ex;
	const char *learner;
	double points, max;
	char num[64];
	int rc = -1;

	if (fs_read_file(path, 64u << 20, &text) < 0) {
		buf_printf(err, "%s: cannot read: %s\n", path, strerror(errno));
		goto out;
	}
	r = cJSON_ParseWithLength(buf_str(&text), text.len);
	score = cJSON_GetObjectItemCaseSensitive(r, "score");
	sub = cJSON_GetObjectItemCaseSensitive(r, "submission");
	learner = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "learner"));
	if (!r || !cJSON_IsObject(score) || !learner ||
	    cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "schema_version")) != REPORT_SCHEMA_VERSION) {
		buf_printf(err, "%s: not a grader report of schema version %d\n", path, REPORT_SCHEMA_VERSION);
		goto out;
	}
	points = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(score, "points"));
	max = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(score, "max_points"));
	csv_field(&row, learner);
	snprintf(num, sizeof(num), ",%g,%g,%.1f,%s,%s,%g,", points, max, max > 0 ? 100 * points / max : 0,
		 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(score, "passed")) ? "yes" : "no",
		 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sub, "late")) ? "yes" : "no",
		 cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(sub, "late_seconds")));
	buf_puts(&row, num);
	csv_field(&row, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sub, "commit")));
	snprintf(num, sizeof(num), ",%d", cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "errors")));
	buf_puts(&row, num);
	cJSON_ArrayForEach(ex, cJSON_GetObjectItemCaseSensitive(r, "exercises"))
	{
		snprintf(num, sizeof(num), ",%g", cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ex, "points")));
		buf_puts(&row, num);
		buf_puts(&cols, ",");
		csv_field(&cols, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ex, "id")));
	}
	if (!header->len) {
		buf_puts(header, "learner,points,max_points,percent,passed,late,late_seconds,commit,errors");
		buf_puts(header, buf_str(&cols));
		buf_puts(header, "\n");
	} else if (header->len < cols.len + 1 ||
		   strncmp(header->data + header->len - 1 - cols.len, buf_str(&cols), cols.len)) {
		buf_printf(err, "%s: its exercises (%s) differ from the other reports'\n", path, cols.data + 1);
		goto out;
	}
	buf_puts(csv, row.data);
	buf_puts(csv, "\n");
	rc = 0;
out:
	cJSON_Delete(r);
	buf_free(&text);
	buf_free(&row);
	buf_free(&cols);
	return rc;
}

static int name_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int report_merge_csv(char *const *paths, int npaths, struct buf *csv, struct buf *err)
{
	struct buf header = BUF_INIT, rows = BUF_INIT, p = BUF_INIT;
	int read = 0, bad = 0;

	for (int i = 0; i < npaths; i++) {
		if (fs_is_dir(paths[i])) {
			DIR *d = opendir(paths[i]);
			struct dirent *e;
			char **names = NULL;
			size_t n = 0;
			while (d && (e = readdir(d))) {
				char **nv;
				if (e->d_name[0] == '.')
					continue;
				fs_join(&p, paths[i], e->d_name);
				buf_puts(&p, "/report.json");
				if (!fs_is_file(p.data))
					continue;
				nv = realloc(names, (n + 1) * sizeof(*nv));
				if (!nv)
					break;
				names = nv;
				names[n++] = strdup(p.data);
			}
			if (d)
				closedir(d);
			else {
				buf_printf(err, "%s: cannot read: %s\n", paths[i], strerror(errno));
				bad++;
			}
			qsort(names, n, sizeof(*names), name_order);
			for (size_t j = 0; j < n; j++) {
				if (merge_one(names[j], &rows, &header, err) == 0)
					read++;
				else
					bad++;
				free(names[j]);
			}
			free(names);
		} else if (merge_one(paths[i], &rows, &header, err) == 0) {
			read++;
		} else {
			bad++;
		}
	}
	buf_puts(csv, buf_str(&header));
	buf_puts(csv, buf_str(&rows));
	buf_free(&header);
	buf_free(&rows);
	buf_free(&p);
	return bad ? -1 : read;
}
