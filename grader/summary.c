/* summary.c: a class from its learners' reports: grade sheet, summary.json, class page, text. */
#include "summary.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"
#include "overrides.h"
#include "report.h"
#include "similarity.h"
#include "text.h"
#include "views/html.h"
#include "views/simhtml.h"
#include "views/rjson.h"
#include "xalloc.h"
#include "banned.h"

#define CELL_MAX 512    /* bytes of learner text in a cell of the sheet */
#define MESSAGE_MAX 300 /* bytes of a message shown in summary.json */
#define NAME_MAX_ 200   /* bytes of a cited name */
#define TOP_MESSAGES 3  /* message clusters kept per check */

struct entry {
	char *path;    /* the report file, as given */
	char *learner; /* the learner's id, raw */
	cJSON *r;      /* the report, its evidence pruned to what a class needs */
};

struct summary {
	struct entry *e;
	size_t n;
	const struct overrides *ov; /* applied to every report added; NULL: none */
};

struct summary *summary_new(void)
{
	return xcalloc(1, sizeof(struct summary));
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].path);
		free(s->e[i].learner);
		cJSON_Delete(s->e[i].r);
	}
	free(s->e);
	free(s);
}

size_t summary_count(const struct summary *s)
{
	return s->n;
}

void summary_set_overrides(struct summary *s, const struct overrides *ov)
{
	s->ov = ov;
}

const void *summary_report(const struct summary *s, size_t i, const char **learner)
{
	if (i >= s->n)
		return NULL;
	if (learner)
		*learner = s->e[i].learner;
	return s->e[i].r;
}

/* ---- showing learner text ---- */

/* Appends at most `max` bytes of `s` (cut at a character's start) through text_visible, on one
 * line, with "..." when cut. */
static void visible(struct buf *out, const char *s, size_t max)
{
	size_t len = s ? strlen(s) : 0;
	bool cut = len > max;

	if (cut) {
		len = max;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	text_visible(out, s, len, NULL);
	if (cut)
		buf_puts(out, "...");
}

/* The first line of `s` ("" for NULL), as a new string. */
static char *first_line(const char *s)
{
	if (!s)
		return xstrdup("");
	return xstrndup(s, strcspn(s, "\n"));
}

static void add_visible(cJSON *o, const char *key, const char *s, size_t max)
{
	struct buf v = BUF_INIT;

	if (!s) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	visible(&v, s, max);
	cJSON_AddStringToObject(o, key, v.data);
	buf_free(&v);
}

/* A cell of the sheet: see summary_csv() in summary.h. */
static void csv_cell(struct buf *b, const char *s)
{
	struct buf v = BUF_INIT;
	const char *t;

	buf_puts(b, ",");
	if (s && s[0] && strchr("=+-@", s[0]))
		buf_puts(&v, "'");
	visible(&v, s, CELL_MAX);
	t = v.data;
	if (!strpbrk(t, ",\"")) {
		buf_puts(b, t);
	} else {
		buf_puts(b, "\"");
		for (; *t; t++) {
			if (*t == '"')
				buf_puts(b, "\"");
			buf_append(b, t, 1);
		}
		buf_puts(b, "\"");
	}
	buf_free(&v);
}

/* ---- adding reports ---- */

/* A copy of the evidence members a class uses: the measured speedup, the memory ratio, the cited
 * entries' names and statuses. A report's samples and outputs can be megabytes; a class of 400
 * keeps only these. */
static cJSON *prune_evidence(const cJSON *ev)
{
	cJSON *out = cJSON_CreateObject(), *entries;
	const cJSON *m = rj_obj(ev, "measurement"), *x;

	if (m) {
		cJSON *mm = cJSON_AddObjectToObject(out, "measurement");
		if ((x = rj_obj(m, "speedup")))
			cJSON_AddItemToObject(mm, "speedup", cJSON_Duplicate(x, 1));
		if (rj_num(m, "required_speedup", 0) > 0)
			cJSON_AddNumberToObject(mm, "required_speedup", rj_num(m, "required_speedup", 0));
	}
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(ev, "ratio")))
		cJSON_AddNumberToObject(out, "ratio", rj_num(ev, "ratio", 0));
	if (rj_arr(ev, "entries")) {
		entries = cJSON_AddArrayToObject(out, "entries");
		cJSON_ArrayForEach(x, rj_arr(ev, "entries"))
		{
			cJSON *e = cJSON_CreateObject();
			if (rj_str(x, "name", NULL))
				cJSON_AddStringToObject(e, "name", rj_str(x, "name", ""));
			if (rj_str(x, "status", NULL))
				cJSON_AddStringToObject(e, "status", rj_str(x, "status", ""));
			if (rj_str(x, "key", NULL))
				cJSON_AddStringToObject(e, "key", rj_str(x, "key", ""));
			if (rj_str(x, "catalog_name", NULL))
				cJSON_AddStringToObject(e, "catalog_name", rj_str(x, "catalog_name", ""));
			if (rj_str(x, "suggestion", NULL))
				cJSON_AddStringToObject(e, "suggestion", rj_str(x, "suggestion", ""));
			cJSON_AddItemToArray(entries, e);
		}
	}
	return out;
}

static void prune(cJSON *r)
{
	cJSON *ex, *c;

	cJSON_ArrayForEach(ex, cJSON_GetObjectItemCaseSensitive(r, "exercises"))
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(ex, "checks"))
	{
		if (cJSON_IsObject(c) && cJSON_GetObjectItemCaseSensitive(c, "evidence"))
			cJSON_ReplaceItemInObjectCaseSensitive(
				c, "evidence", prune_evidence(cJSON_GetObjectItemCaseSensitive(c, "evidence")));
	}
}

/* Refuses `r` (from `path`) when its value at `what` differs from the first report's. */
static int differs(const struct entry *first, const char *a, const char *path, const char *b,
		   const char *what, struct buf *err)
{
	if ((a && b && strcmp(a, b) == 0) || (!a && !b))
		return 0;
	buf_printf(err, "mixed %s: '", what);
	visible(err, a ? a : "(none)", 80);
	buf_puts(err, "' in ");
	visible(err, first->path, 300);
	buf_puts(err, ", '");
	visible(err, b ? b : "(none)", 80);
	buf_puts(err, "' in ");
	visible(err, path, 300);
	buf_puts(err, ": a summary is of one class graded one way (regrade with one grader and spec)\n");
	return 1;
}

enum summary_status summary_add(struct summary *s, void *report, const char *path,
				const char *fallback_learner, struct buf *err)
{
	cJSON *r = report;
	const char *learner = rj_str(r, "learner", NULL);

	if (!learner)
		learner = fallback_learner ? fallback_learner : path;
	if (s->n) {
		const struct entry *f = &s->e[0];
		const char *da = rj_str(rj_obj(f->r, "inputs"), "spec_digest", NULL);
		const char *db = rj_str(rj_obj(r, "inputs"), "spec_digest", NULL);
		if (differs(f, rj_str(f->r, "spec", NULL), path, rj_str(r, "spec", NULL), "spec ids", err) ||
		    differs(f, rj_str(rj_obj(f->r, "grader"), "version", NULL), path,
			    rj_str(rj_obj(r, "grader"), "version", NULL), "grader versions", err) ||
		    (da && db && differs(f, da, path, db, "spec digests", err))) {
			cJSON_Delete(r);
			return SUMMARY_REFUSED;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->e[i].learner, learner) != 0)
			continue;
		buf_puts(err, "learner '");
		visible(err, learner, 200);
		buf_puts(err, "' is in both ");
		visible(err, s->e[i].path, 300);
		buf_puts(err, " and ");
		visible(err, path, 300);
		buf_puts(err, " (shards that overlap?)\n");
		cJSON_Delete(r);
		return SUMMARY_REFUSED;
	}
	if (s->ov)
		overrides_apply_tree(s->ov, r);
	prune(r);
	s->e = xreallocarray(s->e, s->n + 1, sizeof(*s->e));
	s->e[s->n++] = (struct entry){xstrdup(path), xstrdup(learner), r};
	return SUMMARY_OK;
}

static int name_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum summary_status add_file(struct summary *s, const char *path, const char *fallback, struct buf *err)
{
	cJSON *r = report_read(path, err);

	if (!r)
		return SUMMARY_BAD_FILE;
	return summary_add(s, r, path, fallback, err);
}

/* A folder's LEARNER/report.json, in name order; entries that are symbolic links are skipped. */
static enum summary_status add_folder(struct summary *s, const char *dir, struct buf *err)
{
	enum summary_status worst = SUMMARY_OK, st;
	struct buf p = BUF_INIT;
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		visible(err, dir, 300);
		buf_printf(err, ": cannot read: %s\n", strerror(errno));
		return SUMMARY_BAD_FILE;
	}
	while ((e = readdir(d))) {
		struct stat st1, st2;
		if (e->d_name[0] == '.')
			continue;
		fs_join(&p, dir, e->d_name);
		if (lstat(p.data, &st1) != 0 || !S_ISDIR(st1.st_mode))
			continue;
		buf_puts(&p, "/report.json");
		if (lstat(p.data, &st2) != 0 || !S_ISREG(st2.st_mode))
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_order);
	for (size_t i = 0; i < n; i++) {
		fs_join(&p, dir, names[i]);
		buf_puts(&p, "/report.json");
		if (worst != SUMMARY_REFUSED && (st = add_file(s, p.data, names[i], err)) > worst)
			worst = st;
		free(names[i]);
	}
	free(names);
	buf_free(&p);
	return worst;
}

enum summary_status summary_read(struct summary *s, char *const *paths, int npaths, struct buf *err)
{
	enum summary_status worst = SUMMARY_OK, st;

	for (int i = 0; i < npaths && worst != SUMMARY_REFUSED; i++) {
		st = fs_is_dir(paths[i]) ? add_folder(s, paths[i], err) : add_file(s, paths[i], NULL, err);
		if (st > worst)
			worst = st;
	}
	return worst;
}

/* ---- the grade sheet ---- */

static int decimals_of(double v)
{
	double k = 1;

	/* NOLINTNEXTLINE(cert-flp30-c): the int d counts the loop; k only follows it */
	for (int d = 0; d < 2; d++, k *= 10)
		if (fabs(v * k - round(v * k)) < 1e-6)
			return d;
	return 2;
}

/* The rubric's precision: the most decimals of any max_points in the class, at most 2. */
static int rubric_decimals(const struct summary *s)
{
	int d = 0, x;

	for (size_t i = 0; i < s->n; i++) {
		const cJSON *ex, *c;
		if ((x = decimals_of(rj_num(rj_obj(s->e[i].r, "score"), "max_points", 0))) > d)
			d = x;
		cJSON_ArrayForEach(ex, rj_arr(s->e[i].r, "exercises"))
		{
			if ((x = decimals_of(rj_num(ex, "max_points", 0))) > d)
				d = x;
			cJSON_ArrayForEach(c, rj_arr(ex, "checks"))
			{
				if ((x = decimals_of(rj_num(c, "max_points", 0))) > d)
					d = x;
				/* an instructor's points (overrides.h) are shown as given: 5.5 is not 6 */
				if (rj_obj(c, "override") && (x = decimals_of(rj_num(c, "points", 0))) > d)
					d = x;
			}
		}
	}
	return d;
}

/* A number rounded to `d` decimals; nothing for a number the report does not hold. */
static void num_cell(struct buf *b, const cJSON *v, int d)
{
	double x, k = pow(10, d);

	buf_puts(b, ",");
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return;
	x = round(v->valuedouble * k) / k;
	if (x == 0)
		x = 0; /* no "-0" */
	buf_printf(b, "%.*f", d, x);
}

static const cJSON *find_id(const cJSON *arr, const char *id)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, arr) if (strcmp(rj_str(x, "id", ""), id) == 0) return x;
	return NULL;
}

/* An exercise's id without the "SPEC-" prefix ("ch01-ex4" -> "ex4"). */
static const char *short_id(const char *id, const char *spec)
{
	size_t n = spec ? strlen(spec) : 0;

	return n && strncmp(id, spec, n) == 0 && id[n] == '-' && id[n + 1] ? id + n + 1 : id;
}

static bool mentions_no_perf(const cJSON *r)
{
	const cJSON *ex, *c;

	cJSON_ArrayForEach(ex, rj_arr(r, "exercises")) cJSON_ArrayForEach(
		c, rj_arr(ex, "checks")) if (strstr(rj_str(c, "message", ""), "(--no-perf)")) return true;
	return false;
}

/* The grading options of a report, "no-perf; only=ex4; deadline=...; extension=..." ("" when
 * none). A report without `inputs` (an older grader) says no-perf by its skipped checks. Raw. */
static void options_of(const cJSON *r, struct buf *b)
{
	const cJSON *o = rj_obj(rj_obj(r, "inputs"), "options");
	static const char *const keys[] = {"only", "deadline", "extension"};

	if (o ? rj_bool(o, "no_perf", false) : mentions_no_perf(r))
		buf_puts(b, "no-perf");
	for (size_t i = 0; o && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (rj_str(o, keys[i], NULL))
			buf_printf(b, "%s%s=%s", b->len ? "; " : "", keys[i], rj_str(o, keys[i], ""));
}

/* The checks of the exercises that did not meet a requirement, "ex4.correctness, ...". Raw. */
static void unmet_of(const cJSON *r, const char *spec, struct buf *b)
{
	const cJSON *ex, *u;

	cJSON_ArrayForEach(ex, rj_arr(r, "exercises")) cJSON_ArrayForEach(u, rj_arr(ex, "unmet_requirements"))
	{
		if (cJSON_IsString(u))
			buf_printf(b, "%s%s.%s", b->len ? ", " : "",
				   short_id(rj_str(ex, "id", "?"), spec), u->valuestring);
	}
}

/* Why the learner passed or did not, as summary.h says. Raw (the caller shows it). */
static void reason_of(const cJSON *r, struct buf *b)
{
	const cJSON *score = rj_obj(r, "score"), *pen = rj_obj(score, "penalty");
	const char *sub_err = rj_str(rj_obj(r, "submission"), "error", NULL);
	const cJSON *errors = rj_arr(r, "errors");
	double max = rj_num(score, "max_points", 0),
	       pct = max > 0 ? 100 * rj_num(score, "points", 0) / max : 0;
	double th = 100 * rj_num(score, "pass_threshold", -1);
	struct buf unmet = BUF_INIT;
	char *line;

	if (sub_err) {
		line = first_line(sub_err);
		buf_printf(b, "not graded: %s", line);
		free(line);
		return;
	}
	if (cJSON_GetArraySize(errors) > 0) {
		line = first_line(cJSON_GetStringValue(cJSON_GetArrayItem(errors, 0)));
		buf_printf(b, "infrastructure error: %s", line);
		free(line);
		return;
	}
	unmet_of(r, rj_str(r, "spec", NULL), &unmet);
	if (th < 0)
		buf_printf(b, "%.1f%%", pct);
	else
		buf_printf(b, "%.1f%% %s %g%% threshold", pct, pct + 1e-9 >= th ? ">=" : "<", th);
	if (unmet.len)
		buf_printf(b, "%s required check failed: %s", pct + 1e-9 >= th ? ", but" : ";", unmet.data);
	if (pen && rj_num(pen, "points", 0) > 0)
		buf_printf(b, "; late penalty of %g points (%s)", rj_num(pen, "points", 0),
			   rj_str(pen, "reason", "late"));
	buf_free(&unmet);
}

/* The class's columns: each exercise (check == NULL), then each check, in the order they first
 * appear. The strings belong to the reports. */
struct column {
	const char *ex, *check;
};

static size_t columns_of(const struct summary *s, struct column **out)
{
	struct column *cols = NULL;
	size_t n = 0, nex;

	for (int pass = 0; pass < 2; pass++) {
		nex = n;
		for (size_t i = 0; i < s->n; i++) {
			const cJSON *ex, *c;
			cJSON_ArrayForEach(ex, rj_arr(s->e[i].r, "exercises"))
			{
				const char *eid = rj_str(ex, "id", NULL);
				const cJSON *checks = pass ? rj_arr(ex, "checks") : NULL;
				if (!eid)
					continue;
				cJSON_ArrayForEach(c, checks)
				{
					const char *cid = rj_str(c, "id", NULL);
					size_t k = nex;
					if (!cid)
						continue;
					while (k < n && (strcmp(cols[k].ex, eid) || strcmp(cols[k].check, cid)))
						k++;
					if (k == n) {
						/* after the exercise's last check so far, so checks stay grouped */
						size_t at = n;
						for (size_t j = nex; j < n; j++)
							if (strcmp(cols[j].ex, eid) == 0)
								at = j + 1;
						cols = xreallocarray(cols, n + 1, sizeof(*cols));
						memmove(cols + at + 1, cols + at, (n - at) * sizeof(*cols));
						cols[at] = (struct column){eid, cid};
						n++;
					}
				}
				if (!pass) {
					size_t k = 0;
					while (k < n && strcmp(cols[k].ex, eid))
						k++;
					if (k == n) {
						cols = xreallocarray(cols, n + 1, sizeof(*cols));
						cols[n++] = (struct column){eid, NULL};
					}
				}
			}
		}
	}
	*out = cols;
	return n;
}

static int entry_order(const void *a, const void *b)
{
	return strcmp((*(struct entry *const *)a)->learner, (*(struct entry *const *)b)->learner);
}

/* The entries sorted by learner (pointers into s->e; free the array). */
static struct entry **sorted_entries(const struct summary *s)
{
	struct entry **v = xcalloc(s->n ? s->n : 1, sizeof(*v));

	for (size_t i = 0; i < s->n; i++)
		v[i] = &s->e[i];
	if (s->n)
		qsort(v, s->n, sizeof(*v), entry_order);
	return v;
}

/* The checks an instructor overrode (overrides.h), "ex1.verified ex3.sources", or "". */
static void overridden_of(const cJSON *r, struct buf *b)
{
	const cJSON *ex, *c;
	const char *spec = rj_str(r, "spec", NULL);

	cJSON_ArrayForEach(ex, rj_arr(r, "exercises")) cJSON_ArrayForEach(c, rj_arr(ex, "checks"))
	{
		if (!rj_obj(c, "override"))
			continue;
		buf_printf(b, "%s%s.%s", b->len ? " " : "", short_id(rj_str(ex, "id", "?"), spec),
			   rj_str(c, "id", "?"));
	}
}

static void sheet_row(struct buf *csv, const struct entry *e, const struct column *cols, size_t ncols, int d)
{
	const cJSON *r = e->r, *score = rj_obj(r, "score"), *sub = rj_obj(r, "submission"), *x;
	struct buf t = BUF_INIT;
	double max = rj_num(score, "max_points", 0);

	buf_puts(&t, e->learner);
	csv_cell(csv, t.data); /* the row's first cell: summary_csv drops its separator */
	num_cell(csv, cJSON_GetObjectItemCaseSensitive(score, "points"), d);
	num_cell(csv, cJSON_GetObjectItemCaseSensitive(score, "max_points"), d);
	if (max > 0)
		buf_printf(csv, ",%.1f", 100 * rj_num(score, "points", 0) / max);
	else
		buf_puts(csv, ",");
	buf_printf(csv, ",%s", rj_bool(score, "passed", false) ? "yes" : "no");
	buf_reset(&t);
	reason_of(r, &t);
	csv_cell(csv, t.data);
	x = cJSON_GetObjectItemCaseSensitive(sub, "graded_commit_late");
	buf_printf(csv, ",%s", cJSON_IsBool(x) ? (cJSON_IsTrue(x) ? "yes" : "no") : "");
	x = cJSON_GetObjectItemCaseSensitive(sub, "later_commits");
	if (cJSON_IsNumber(x))
		buf_printf(csv, ",%.0f", x->valuedouble);
	else
		buf_puts(csv, ",");
	x = cJSON_GetObjectItemCaseSensitive(score, "penalty");
	if (cJSON_IsNull(x))
		buf_puts(csv, ",0");
	else
		num_cell(csv, cJSON_GetObjectItemCaseSensitive(x, "points"), d);
	csv_cell(csv, rj_str(sub, "commit", NULL));
	buf_reset(&t);
	options_of(r, &t);
	csv_cell(csv, t.data);
	buf_printf(csv, ",%d", cJSON_GetArraySize(rj_arr(r, "errors")));
	for (size_t k = 0; k < ncols; k++) {
		const cJSON *ex = find_id(rj_arr(r, "exercises"), cols[k].ex);
		if (cols[k].check)
			ex = find_id(rj_arr(ex, "checks"), cols[k].check);
		num_cell(csv, ex ? cJSON_GetObjectItemCaseSensitive(ex, "points") : NULL, d);
	}
	buf_reset(&t);
	overridden_of(r, &t);
	csv_cell(csv, t.data);
	buf_puts(csv, "\n");
	buf_free(&t);
}

int summary_csv(const struct summary *s, struct buf *csv)
{
	struct column *cols = NULL;
	size_t ncols = columns_of(s, &cols);
	struct entry **v = sorted_entries(s);
	const char *spec = s->n ? rj_str(s->e[0].r, "spec", NULL) : NULL;
	struct buf name = BUF_INIT, row = BUF_INIT;
	int d = rubric_decimals(s), rc = 0;

	buf_puts(&row, "learner,points,max_points,percent,passed,reason,graded_commit_late,later_commits,"
		       "penalty,commit,options,errors");
	for (size_t k = 0; k < ncols; k++) {
		buf_reset(&name);
		buf_puts(&name, short_id(cols[k].ex, spec));
		if (cols[k].check)
			buf_printf(&name, ".%s", cols[k].check);
		csv_cell(&row, name.data);
	}
	buf_puts(&row, ",overridden\n");
	rc |= buf_append(csv, row.data, row.len);
	for (size_t i = 0; i < s->n && rc == 0; i++) {
		buf_reset(&row);
		sheet_row(&row, v[i], cols, ncols, d);
		/* csv_cell starts every cell with a separator; a row's first cell has none */
		rc |= buf_append(csv, row.data + 1, row.len - 1);
	}
	free(cols);
	free(v);
	buf_free(&name);
	buf_free(&row);
	return rc ? -1 : 0;
}

/* ---- clustering messages ---- */

void summary_normalise(const char *message, struct buf *out)
{
	struct buf t = BUF_INIT;
	char *line = first_line(message);
	const char *p = line;

	while (*p) {
		size_t w = strcspn(p, " \t\r");
		if (w == 0) {
			p++;
			continue;
		}
		if (t.len)
			buf_puts(&t, " ");
		if (memchr(p, '/', w)) {
			/* a path, perhaps with a position or punctuation after it: keep the trailing ':' */
			buf_puts(&t, "PATH");
			if (p[w - 1] == ':' || p[w - 1] == ',' || p[w - 1] == ';')
				buf_append(&t, p + w - 1, 1);
		} else {
			for (size_t i = 0; i < w; i++) {
				bool in_word = i > 0 && (isalnum((unsigned char)p[i - 1]) || p[i - 1] == '_');
				if (isdigit((unsigned char)p[i]) && !in_word) {
					buf_puts(&t, "N");
					while (i + 1 < w && isdigit((unsigned char)p[i + 1]))
						i++;
				} else {
					buf_append(&t, p + i, 1);
				}
			}
		}
		p += w;
	}
	visible(out, t.data, 200);
	buf_free(&t);
	free(line);
}

/* ---- the class summary ---- */

/* A count by key: message clusters, options, versions, cited names. */
struct tally {
	char *key, *shown;
	size_t count, review, verified, last;
};

struct tallies {
	struct tally *t;
	size_t n;
};

/* The tally of `key`, made when new. Of the texts a key is shown by, the least (strcmp) is kept,
 * so that the summary does not depend on the order the reports were read in (shards). */
static struct tally *tally_get(struct tallies *ts, const char *key, const char *shown)
{
	for (size_t i = 0; i < ts->n; i++) {
		if (strcmp(ts->t[i].key, key) != 0)
			continue;
		if (strcmp(shown, ts->t[i].shown) < 0) {
			free(ts->t[i].shown);
			ts->t[i].shown = xstrdup(shown);
		}
		return &ts->t[i];
	}
	ts->t = xreallocarray(ts->t, ts->n + 1, sizeof(*ts->t));
	ts->t[ts->n] = (struct tally){xstrdup(key), xstrdup(shown), 0, 0, 0, 0};
	return &ts->t[ts->n++];
}

static void tallies_free(struct tallies *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		free(ts->t[i].key);
		free(ts->t[i].shown);
	}
	free(ts->t);
	ts->t = NULL;
	ts->n = 0;
}

static int by_count(const void *pa, const void *pb)
{
	const struct tally *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->key, b->key);
}

static void sort_tallies(struct tallies *ts)
{
	if (ts->n)
		qsort(ts->t, ts->n, sizeof(*ts->t), by_count);
}

/* [{"<label>": shown, "learners": count}], most frequent first. */
static cJSON *tallies_json(struct tallies *ts, const char *label)
{
	cJSON *a = cJSON_CreateArray();

	sort_tallies(ts);
	for (size_t i = 0; i < ts->n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, label, ts->t[i].shown);
		cJSON_AddNumberToObject(o, "learners", (double)ts->t[i].count);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static bool is_failure(const char *status)
{
	return strcmp(status, "fail") == 0 || strcmp(status, "partial") == 0 || strcmp(status, "error") == 0;
}

static int dbl_order(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/* The q-quantile of sorted v[0..n) (linear interpolation between order statistics). */
static double quantile(const double *v, size_t n, double q)
{
	double h = q * (double)(n - 1);
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

struct sample {
	double v;
	const char *learner;
};

static int sample_order(const void *pa, const void *pb)
{
	const struct sample *a = pa, *b = pb;

	return a->v < b->v ? -1 : a->v > b->v ? 1 : strcmp(a->learner, b->learner);
}

/* {"exercise", "count", "min", "q1", "median", "q3", "max", "values": [{"learner", "value"}]} */
static cJSON *distribution(const char *ex, struct sample *v, size_t n)
{
	cJSON *o = cJSON_CreateObject(), *vals;
	double *x = xcalloc(n ? n : 1, sizeof(*x));
	static const char *const names[] = {"min", "q1", "median", "q3", "max"};

	qsort(v, n, sizeof(*v), sample_order);
	for (size_t i = 0; i < n; i++)
		x[i] = v[i].v;
	add_visible(o, "exercise", ex, 100);
	cJSON_AddNumberToObject(o, "count", (double)n);
	for (int k = 0; k < 5; k++)
		cJSON_AddNumberToObject(o, names[k], quantile(x, n, k / 4.0));
	vals = cJSON_AddArrayToObject(o, "values");
	for (size_t i = 0; i < n; i++) {
		cJSON *e = cJSON_CreateObject();
		add_visible(e, "learner", v[i].learner, 200);
		cJSON_AddNumberToObject(e, "value", v[i].v);
		cJSON_AddItemToArray(vals, e);
	}
	free(x);
	return o;
}

/* The distributions of one measured figure per exercise: the speedup estimate of each
 * `performance` check (evidence.measurement.speedup.estimate) or the ratio of each `memory`
 * check (evidence.ratio), where measured. */
static cJSON *distributions(const struct summary *s, bool memory)
{
	cJSON *a = cJSON_CreateArray();
	struct column *cols = NULL;
	size_t ncols = columns_of(s, &cols);
	struct sample *v = xcalloc(s->n ? s->n : 1, sizeof(*v));

	for (size_t k = 0; k < ncols; k++) {
		size_t n = 0;
		if (cols[k].check)
			continue;
		for (size_t i = 0; i < s->n; i++) {
			const cJSON *ex = find_id(rj_arr(s->e[i].r, "exercises"), cols[k].ex);
			const cJSON *c = find_id(rj_arr(ex, "checks"), memory ? "memory" : "performance");
			const cJSON *ev = rj_obj(c, "evidence");
			double x = memory ? rj_num(ev, "ratio", 0)
					  : rj_num(rj_obj(rj_obj(ev, "measurement"), "speedup"), "estimate", 0);
			if (!c || strcmp(rj_str(c, "status", "skipped"), "skipped") == 0 || !(x > 0) ||
			    !isfinite(x))
				continue;
			v[n++] = (struct sample){x, s->e[i].learner};
		}
		if (n)
			cJSON_AddItemToArray(a, distribution(cols[k].ex, v, n));
	}
	free(v);
	free(cols);
	return a;
}

/* Every check: how many learners it was graded for, failed (fail, partial, error) and skipped,
 * and the most common first lines of the failures' messages. */
static cJSON *checks_json(const struct summary *s, struct column *cols, size_t ncols)
{
	cJSON *a = cJSON_CreateArray();
	struct buf key = BUF_INIT, shown = BUF_INIT;

	for (size_t k = 0; k < ncols; k++) {
		struct tallies msgs = {0};
		size_t graded = 0, failed = 0, skipped = 0;
		const char *title = NULL;
		cJSON *o, *m;
		if (!cols[k].check)
			continue;
		for (size_t i = 0; i < s->n; i++) {
			const cJSON *c =
				find_id(rj_arr(find_id(rj_arr(s->e[i].r, "exercises"), cols[k].ex), "checks"),
					cols[k].check);
			const char *st = rj_str(c, "status", "skipped");
			if (!c)
				continue;
			if (!title)
				title = rj_str(c, "title", NULL);
			if (strcmp(st, "skipped") == 0) {
				skipped++;
				continue;
			}
			graded++;
			if (!is_failure(st))
				continue;
			failed++;
			buf_reset(&key);
			buf_reset(&shown);
			summary_normalise(rj_str(c, "message", ""), &key);
			{
				char *line = first_line(rj_str(c, "message", ""));
				visible(&shown, line, MESSAGE_MAX);
				free(line);
			}
			tally_get(&msgs, key.data, shown.data)->count++;
		}
		o = cJSON_CreateObject();
		add_visible(o, "exercise", cols[k].ex, 100);
		add_visible(o, "check", cols[k].check, 100);
		add_visible(o, "title", title, 200);
		cJSON_AddNumberToObject(o, "graded", (double)graded);
		cJSON_AddNumberToObject(o, "failed", (double)failed);
		cJSON_AddNumberToObject(o, "skipped", (double)skipped);
		cJSON_AddNumberToObject(o, "message_clusters", (double)msgs.n);
		m = cJSON_AddArrayToObject(o, "messages");
		sort_tallies(&msgs);
		for (size_t j = 0; j < msgs.n && j < TOP_MESSAGES; j++) {
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "normalised", msgs.t[j].key);
			cJSON_AddStringToObject(e, "example", msgs.t[j].shown);
			cJSON_AddNumberToObject(e, "learners", (double)msgs.t[j].count);
			cJSON_AddItemToArray(m, e);
		}
		tallies_free(&msgs);
		cJSON_AddItemToArray(a, o);
	}
	buf_free(&key);
	buf_free(&shown);
	return a;
}

/* The names each exercise's learners cited (the entries of its `verified` check): per name, how
 * many learners cited it, how many of them it was verified for, and how many await review. */
static cJSON *cited_json(const struct summary *s, struct column *cols, size_t ncols)
{
	cJSON *a = cJSON_CreateArray();
	struct buf key = BUF_INIT, shown = BUF_INIT;

	for (size_t k = 0; k < ncols; k++) {
		struct tallies names = {0};
		const char *title = NULL;
		size_t learners = 0;
		cJSON *o, *arr;
		if (!cols[k].check || strcmp(cols[k].check, "verified") != 0)
			continue;
		for (size_t i = 0; i < s->n; i++) {
			const cJSON *ex = find_id(rj_arr(s->e[i].r, "exercises"), cols[k].ex);
			const cJSON *c = find_id(rj_arr(ex, "checks"), "verified"), *e;
			const cJSON *entries = rj_arr(rj_obj(c, "evidence"), "entries");
			if (!entries)
				continue;
			learners++;
			if (!title)
				title = rj_str(ex, "title", NULL);
			cJSON_ArrayForEach(e, entries)
			{
				/* one row per identity: the catalog's name for a known entry, and the
				 * normalised name (`key`) for the others (older reports: the name) */
				const char *name = rj_str(e, "catalog_name", rj_str(e, "name", NULL));
				const char *st = rj_str(e, "status", ""), *id = rj_str(e, "key", NULL);
				struct tally *t;
				if (!name || !strcmp(st, "duplicate"))
					continue;
				buf_reset(&shown);
				visible(&shown, name, NAME_MAX_);
				buf_reset(&key);
				if (id)
					visible(&key, id, NAME_MAX_);
				for (size_t j = 0; !id && j < shown.len; j++)
					buf_printf(&key, "%c", tolower((unsigned char)shown.data[j]));
				t = tally_get(&names, key.data, shown.data);
				if (t->last == i + 1)
					continue; /* a learner counts once per name */
				t->last = i + 1;
				t->count++;
				t->review += strcmp(st, "review") == 0;
				t->verified += strcmp(st, "verified") == 0 || strcmp(st, "accepted") == 0;
			}
		}
		if (!learners)
			continue;
		o = cJSON_CreateObject();
		add_visible(o, "exercise", cols[k].ex, 100);
		add_visible(o, "title", title, 200);
		cJSON_AddNumberToObject(o, "learners", (double)learners);
		arr = cJSON_AddArrayToObject(o, "names");
		sort_tallies(&names);
		for (size_t j = 0; j < names.n; j++) {
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "name", names.t[j].shown);
			cJSON_AddNumberToObject(e, "learners", (double)names.t[j].count);
			cJSON_AddNumberToObject(e, "verified", (double)names.t[j].verified);
			cJSON_AddNumberToObject(e, "review", (double)names.t[j].review);
			cJSON_AddItemToArray(arr, e);
		}
		tallies_free(&names);
		cJSON_AddItemToArray(a, o);
	}
	buf_free(&key);
	buf_free(&shown);
	return a;
}

/* The class: how many learners passed, and why the others did not; the distribution of percents
 * among the graded. */
static cJSON *class_json(const struct summary *s)
{
	cJSON *o = cJSON_CreateObject(), *pc, *hist;
	size_t passed = 0, below = 0, unmet = 0, not_graded = 0, errors = 0, n = 0;
	size_t bins[10] = {0};
	double *pct = xcalloc(s->n ? s->n : 1, sizeof(*pct)), sum = 0, th = -1;

	for (size_t i = 0; i < s->n; i++) {
		const cJSON *r = s->e[i].r, *score = rj_obj(r, "score");
		double max = rj_num(score, "max_points", 0),
		       p = max > 0 ? 100 * rj_num(score, "points", 0) / max : 0;
		if (th < 0)
			th = rj_num(score, "pass_threshold", -1);
		if (rj_str(rj_obj(r, "submission"), "error", NULL)) {
			not_graded++;
			continue;
		}
		if (cJSON_GetArraySize(rj_arr(r, "errors")) > 0)
			errors++;
		else if (rj_bool(score, "passed", false))
			passed++;
		else if (p + 1e-9 >= 100 * rj_num(score, "pass_threshold", 0))
			unmet++;
		else
			below++;
		pct[n++] = p;
		bins[p >= 100 ? 9 : p <= 0 ? 0 : (size_t)(p / 10)]++;
	}
	cJSON_AddNumberToObject(o, "count", (double)s->n);
	cJSON_AddNumberToObject(o, "passed", (double)passed);
	cJSON_AddNumberToObject(o, "below_threshold", (double)below);
	cJSON_AddNumberToObject(o, "requirement_failed", (double)unmet);
	cJSON_AddNumberToObject(o, "not_graded", (double)not_graded);
	cJSON_AddNumberToObject(o, "errors", (double)errors);
	if (th >= 0)
		cJSON_AddNumberToObject(o, "pass_threshold", th);
	else
		cJSON_AddNullToObject(o, "pass_threshold");
	pc = cJSON_AddObjectToObject(o, "percent");
	cJSON_AddNumberToObject(pc, "graded", (double)n);
	if (n) {
		qsort(pct, n, sizeof(*pct), dbl_order);
		for (size_t i = 0; i < n; i++)
			sum += pct[i]; /* in sorted order: shards give the same mean to the last bit */
		cJSON_AddNumberToObject(pc, "mean", sum / (double)n);
		cJSON_AddNumberToObject(pc, "median", quantile(pct, n, 0.5));
		cJSON_AddNumberToObject(pc, "min", pct[0]);
		cJSON_AddNumberToObject(pc, "max", pct[n - 1]);
	} else {
		cJSON_AddNullToObject(pc, "mean");
		cJSON_AddNullToObject(pc, "median");
		cJSON_AddNullToObject(pc, "min");
		cJSON_AddNullToObject(pc, "max");
	}
	hist = cJSON_AddArrayToObject(pc, "histogram");
	for (int b = 0; b < 10; b++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "from", b * 10);
		cJSON_AddNumberToObject(e, "to", b * 10 + 10);
		cJSON_AddNumberToObject(e, "learners", (double)bins[b]);
		cJSON_AddItemToArray(hist, e);
	}
	free(pct);
	return o;
}

/* The options the class was graded with and the versions it was graded by, each with its count. */
static void inputs_json(const struct summary *s, cJSON *j)
{
	static const char *const tools[] = {"rustc", "cargo", "python"};
	struct tallies opts = {0}, tool = {0};
	struct buf raw = BUF_INIT, shown = BUF_INIT;
	cJSON *tc;

	for (size_t i = 0; i < s->n; i++) {
		buf_reset(&raw);
		buf_reset(&shown);
		options_of(s->e[i].r, &raw);
		visible(&shown, raw.data, CELL_MAX);
		tally_get(&opts, shown.data, shown.data)->count++;
	}
	cJSON_AddItemToObject(j, "options", tallies_json(&opts, "options"));
	tc = cJSON_AddObjectToObject(j, "toolchain");
	for (size_t t = 0; t < sizeof(tools) / sizeof(tools[0]); t++) {
		for (size_t i = 0; i < s->n; i++) {
			const char *v =
				rj_str(rj_obj(rj_obj(s->e[i].r, "inputs"), "toolchain"), tools[t], NULL);
			buf_reset(&shown);
			visible(&shown, v ? v : "(not recorded)", 200);
			tally_get(&tool, shown.data, shown.data)->count++;
		}
		cJSON_AddItemToObject(tc, tools[t], tallies_json(&tool, "version"));
		tallies_free(&tool);
	}
	tallies_free(&opts);
	buf_free(&raw);
	buf_free(&shown);
}

/* The pairs of learners whose ports look alike (similarity.h), from the fingerprints beside each
 * report; null when no learner has any (reports of an older grader). */
static void add_similarity(cJSON *j, const struct summary *s)
{
	char **dirs = xcalloc(s->n ? s->n : 1, sizeof(*dirs));
	struct buf err = BUF_INIT;
	void *sim = NULL;
	int n = 0;

	for (size_t i = 0; i < s->n; i++) {
		const char *slash = strrchr(s->e[i].path, '/');
		dirs[n++] = slash ? xstrndup(s->e[i].path, (size_t)(slash - s->e[i].path)) : xstrdup(".");
	}
	if (n > 0 && similarity_class(dirs, n, -1, &sim, &err) > 0 && sim)
		cJSON_AddItemToObject(j, "similarity", sim);
	else {
		cJSON_Delete(sim);
		cJSON_AddNullToObject(j, "similarity");
	}
	for (int i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	buf_free(&err);
}

void *summary_json(const struct summary *s)
{
	cJSON *j = cJSON_CreateObject();
	const cJSON *first = s->n ? s->e[0].r : NULL;
	const char *digest = NULL;
	struct column *cols = NULL;
	size_t ncols = columns_of(s, &cols);

	cJSON_AddNumberToObject(j, "schema_version", 1);
	add_visible(j, "spec", rj_str(first, "spec", NULL), 100);
	add_visible(j, "grader_version", rj_str(rj_obj(first, "grader"), "version", NULL), 100);
	for (size_t i = 0; i < s->n && !digest; i++)
		digest = rj_str(rj_obj(s->e[i].r, "inputs"), "spec_digest", NULL);
	add_visible(j, "spec_digest", digest, 200);
	cJSON_AddNumberToObject(j, "rubric_decimals", rubric_decimals(s));
	cJSON_AddItemToObject(j, "class", class_json(s));
	inputs_json(s, j);
	cJSON_AddItemToObject(j, "checks", checks_json(s, cols, ncols));
	cJSON_AddItemToObject(j, "speedups", distributions(s, false));
	cJSON_AddItemToObject(j, "memory_ratios", distributions(s, true));
	cJSON_AddItemToObject(j, "cited", cited_json(s, cols, ncols));
	add_similarity(j, s);
	free(cols);
	return j;
}

int summary_html(const struct summary *s, const void *json, struct buf *out)
{
	const cJSON **trees = xcalloc(s->n ? s->n : 1, sizeof(*trees));
	struct entry **v = sorted_entries(s);
	int rc;

	for (size_t i = 0; i < s->n; i++)
		trees[i] = v[i]->r;
	rc = view_html_class_summary(trees, s->n, json, out);
	free(trees);
	free(v);
	return rc;
}

static int by_failed(const void *pa, const void *pb)
{
	double a = rj_num(*(const cJSON *const *)pa, "failed", 0),
	       b = rj_num(*(const cJSON *const *)pb, "failed", 0);

	return a > b ? -1 : a < b;
}

void summary_print(const void *json, FILE *f)
{
	const cJSON *j = json, *cl = rj_obj(j, "class"), *c;
	const cJSON **v = NULL;
	size_t n = 0, shown = 0;

	fprintf(f,
		"%.0f learners (spec %s): %.0f passed, %.0f below the threshold, %.0f failed a required check, "
		"%.0f not graded, %.0f with infrastructure errors\n",
		rj_num(cl, "count", 0), rj_str(j, "spec", "?"), rj_num(cl, "passed", 0),
		rj_num(cl, "below_threshold", 0), rj_num(cl, "requirement_failed", 0),
		rj_num(cl, "not_graded", 0), rj_num(cl, "errors", 0));
	cJSON_ArrayForEach(c, rj_arr(j, "options"))
	{
		if (rj_str(c, "options", "")[0])
			fprintf(f, "graded with %s: %.0f learners\n", rj_str(c, "options", ""),
				rj_num(c, "learners", 0));
	}
	cJSON_ArrayForEach(c, rj_arr(j, "checks"))
	{
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = c;
	}
	if (n)
		qsort(v, n, sizeof(*v), by_failed); /* stable enough: ties keep no promised order */
	for (size_t i = 0; i < n && shown < 5; i++) {
		const cJSON *m = cJSON_GetArrayItem(rj_arr(v[i], "messages"), 0);
		if (!(rj_num(v[i], "failed", 0) > 0))
			continue;
		if (!shown++)
			fputs("most failed checks:\n", f);
		fprintf(f, "  %s.%s: %.0f of %.0f failed",
			short_id(rj_str(v[i], "exercise", "?"), rj_str(j, "spec", NULL)),
			rj_str(v[i], "check", "?"), rj_num(v[i], "failed", 0), rj_num(v[i], "graded", 0));
		if (m) {
			/* summary.json's text is visible already; cut it for a terminal's line */
			const char *ex = rj_str(m, "example", "");
			size_t len = strlen(ex);
			if (len > 120) {
				len = 120;
				while (len > 0 && ((unsigned char)ex[len] & 0xC0) == 0x80)
					len--;
			}
			fprintf(f, "; most often (%.0f): %.*s%s", rj_num(m, "learners", 0), (int)len, ex,
				len < strlen(ex) ? "..." : "");
		}
		fputs("\n", f);
	}
	free(v);
	if (rj_obj(j, "similarity")) {
		const cJSON *sim = rj_obj(j, "similarity");
		fprintf(f, "similar ports: %.0f pair%s of %.0f at or above %.2f",
			rj_num(sim, "pairs_above_threshold", 0),
			rj_num(sim, "pairs_above_threshold", 0) == 1 ? "" : "s",
			rj_num(sim, "pairs_compared", 0), rj_num(sim, "threshold", 0));
		fputs(cJSON_GetArraySize(rj_arr(sim, "pairs")) ? " (similarity.html shows where)\n" : "\n", f);
	}
}

/* ---- writing ---- */

static int write_one(const char *dir, const char *name, const struct buf *data, struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = 0;

	fs_join(&path, dir, name);
	if (fs_write_atomic(path.data, data->data, data->len) < 0) {
		visible(err, path.data, 300);
		buf_printf(err, ": cannot write: %s\n", strerror(errno));
		rc = -1;
	}
	buf_free(&path);
	return rc;
}

enum error_class summary_write(char *const *paths, int npaths, const char *out_dir,
			       const struct overrides *ov, FILE *text, struct buf *err)
{
	struct summary *s = summary_new();
	enum summary_status st;
	struct buf csv = BUF_INIT, json = BUF_INIT, page = BUF_INIT, sim = BUF_INIT;
	enum error_class rc;
	cJSON *j = NULL;
	char *printed;

	summary_set_overrides(s, ov);
	st = summary_read(s, paths, npaths, err);
	rc = st == SUMMARY_OK ? ERROR_NONE : ERROR_CONFIG;
	if (st == SUMMARY_REFUSED)
		goto out;
	if (!s->n) {
		buf_puts(err, "no report found in ");
		for (int i = 0; i < npaths; i++) {
			visible(err, paths[i], 300);
			buf_puts(err, i + 1 < npaths ? ", " : "");
		}
		buf_puts(err, " (a report.json, or a folder holding LEARNER/report.json)\n");
		rc = ERROR_CONFIG;
		goto out;
	}
	j = summary_json(s);
	printed = cJSON_Print(j);
	if (!printed || summary_csv(s, &csv) < 0 || summary_html(s, j, &page) < 0) {
		buf_puts(err, "the class is too large for its summary\n");
		free(printed);
		rc = ERROR_INFRA;
		goto out;
	}
	buf_puts(&json, printed);
	buf_puts(&json, "\n");
	free(printed);
	if (fs_mkdirs(out_dir) < 0) {
		visible(err, out_dir, 300);
		buf_printf(err, ": cannot create: %s\n", strerror(errno));
		rc = ERROR_INFRA;
		goto out;
	}
	if (rj_obj(j, "similarity") && view_similarity_html(rj_obj(j, "similarity"), &sim) < 0) {
		buf_puts(err, "the class is too large for its similarity page\n");
		rc = ERROR_INFRA;
		goto out;
	}
	if (write_one(out_dir, "grades.csv", &csv, err) < 0 ||
	    write_one(out_dir, "summary.json", &json, err) < 0 ||
	    write_one(out_dir, "class.html", &page, err) < 0 ||
	    (sim.len && write_one(out_dir, "similarity.html", &sim, err) < 0)) {
		rc = ERROR_INFRA;
		goto out;
	}
	if (text)
		summary_print(j, text);
out:
	cJSON_Delete(j);
	summary_free(s);
	buf_free(&csv);
	buf_free(&json);
	buf_free(&page);
	buf_free(&sim);
	return rc;
}
