/* result.c: the result model (see result.h). Evidence trees are cJSON objects underneath. */
#include "result.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

/* A copy of s, or NULL for NULL. */
static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void result_set_str(char **slot, const char *s)
{
	free(*slot);
	*slot = dup_or_null(s);
}

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vformat(const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	if (buf_vprintf(&b, fmt, ap) < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

struct result_report *result_report_new(const char *learner)
{
	struct result_report *r = xcalloc(1, sizeof(*r));

	r->learner = dup_or_null(learner);
	return r;
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void check_free(struct result_check *c)
{
	free(c->id);
	free(c->title);
	free(c->message);
	free(c->hint);
	cJSON_Delete((cJSON *)c->evidence);
	result_override_free(c->override);
	free(c);
}

void result_override_free(struct result_override *o)
{
	if (!o)
		return;
	free(o->original_message);
	free(o->reason);
	free(o->by);
	free(o->when);
	free(o);
}

void result_report_free(struct result_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nexercises; i++) {
		struct result_exercise *e = r->exercises[i];
		for (size_t j = 0; j < e->nchecks; j++)
			check_free(e->checks[j]);
		free(e->checks);
		free_strs(e->unmet, e->nunmet);
		free(e->id);
		free(e->title);
		free(e->kind);
		free(e->file);
		free(e->message);
		free(e);
	}
	free(r->exercises);
	free(r->learner);
	free(r->spec_id);
	free(r->started_at);
	free(r->submission.source);
	free(r->submission.kind);
	free(r->submission.commit);
	free(r->submission.author);
	free(r->submission.date);
	free(r->submission.ref);
	free(r->submission.deadline);
	free(r->submission.error);
	free(r->submission.branch);
	free(r->submission.upstream);
	free_strs(r->submission.warnings, r->submission.nwarnings);
	free_strs(r->errors, r->nerrors);
	result_inputs_free(&r->inputs);
	free(r->penalty_reason);
	free(r);
}

/* Appends p to a growable array of pointers. */
static void push(void ***arr, size_t *n, void *p)
{
	void **a = xreallocarray(*arr, *n + 1, sizeof(*a));

	a[(*n)++] = p;
	*arr = a;
}

struct result_exercise *result_exercise_add(struct result_report *r, const char *id, const char *title,
					    const char *kind)
{
	struct result_exercise *e = xcalloc(1, sizeof(*e));

	e->id = dup_or_null(id);
	e->title = dup_or_null(title);
	e->kind = dup_or_null(kind);
	e->status = RESULT_SKIPPED;
	push((void ***)&r->exercises, &r->nexercises, e);
	return e;
}

struct result_check *result_check_add(struct result_exercise *e, const char *id, const char *title, double max_points)
{
	struct result_check *c = xcalloc(1, sizeof(*c));

	c->id = dup_or_null(id);
	c->title = dup_or_null(title);
	c->max_points = max_points;
	c->status = RESULT_SKIPPED;
	push((void ***)&e->checks, &e->nchecks, c);
	return c;
}

void result_check_set(struct result_check *c, enum result_status st, double points, const char *fmt, ...)
{
	va_list ap;

	c->status = st;
	c->points = points < 0 ? 0 : points > c->max_points ? c->max_points : points;
	free(c->message);
	va_start(ap, fmt);
	c->message = vformat(fmt, ap);
	va_end(ap);
}

void result_check_hint(struct result_check *c, const char *fmt, ...)
{
	va_list ap;

	free(c->hint);
	va_start(ap, fmt);
	c->hint = vformat(fmt, ap);
	va_end(ap);
}

struct result_check *result_check_find(const struct result_exercise *e, const char *id)
{
	for (size_t i = 0; i < e->nchecks; i++)
		if (!strcmp(e->checks[i]->id, id))
			return e->checks[i];
	return NULL;
}

void result_exercise_unmet(struct result_exercise *e, const char *id)
{
	push((void ***)&e->unmet, &e->nunmet, xstrdup(id));
}

void result_warn(struct result_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (s)
		push((void ***)&r->submission.warnings, &r->submission.nwarnings, s);
}

void result_error(struct result_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (s)
		push((void ***)&r->errors, &r->nerrors, s);
}

void result_finish(struct result_report *r)
{
	for (size_t i = 0; i < r->nexercises; i++) {
		struct result_exercise *e = r->exercises[i];
		bool any_error = false, any_review = false, any_incon = false, all_pass = true, any_run = false;

		e->points = e->max_points = 0;
		for (size_t j = 0; j < e->nchecks; j++) {
			struct result_check *c = e->checks[j];
			e->points += c->points;
			e->max_points += c->max_points;
			any_error |= c->status == RESULT_ERROR;
			/* A check worth no points informs (the spec chose not to score it): it never
			 * changes the exercise's status, unless the grader itself failed at it. */
			if (c->max_points <= 0 && c->status != RESULT_ERROR)
				continue;
			any_review |= c->status == RESULT_REVIEW;
			any_incon |= c->status == RESULT_INCONCLUSIVE;
			if (c->status != RESULT_SKIPPED)
				any_run = true;
			if (c->status != RESULT_PASS)
				all_pass = false;
		}
		if (any_error)
			e->status = RESULT_ERROR;
		else if (!any_run)
			e->status = RESULT_SKIPPED;
		else if (all_pass)
			e->status = RESULT_PASS;
		else if (any_review)
			e->status = RESULT_REVIEW;
		else if (e->points <= 0)
			e->status = RESULT_FAIL;
		else if (any_incon && e->points >= e->max_points)
			e->status = RESULT_INCONCLUSIVE;
		else
			e->status = RESULT_PARTIAL;
	}
}

double result_raw_points(const struct result_report *r)
{
	double p = 0;
	for (size_t i = 0; i < r->nexercises; i++)
		p += r->exercises[i]->points;
	return p;
}

double result_points(const struct result_report *r)
{
	return result_raw_points(r) * (1 - r->penalty);
}

void result_inputs_free(struct result_inputs *in)
{
	char **s[] = {&in->key,
		      &in->submission,
		      &in->grader_digest,
		      &in->spec_digest,
		      &in->profiles_digest,
		      &in->python,
		      &in->rustc,
		      &in->cargo,
		      &in->only,
		      &in->deadline,
		      &in->extension,
		      &in->class_catalog_digest,
		      &in->overrides_digest};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		free(*s[i]);
		*s[i] = NULL;
	}
	in->no_perf = false;
}

double result_max_points(const struct result_report *r)
{
	double p = 0;
	for (size_t i = 0; i < r->nexercises; i++)
		p += r->exercises[i]->max_points;
	return p;
}

bool result_passed(const struct result_report *r)
{
	double max = result_max_points(r);

	if (r->nerrors)
		return false;
	for (size_t i = 0; i < r->nexercises; i++)
		if (r->exercises[i]->nunmet)
			return false;
	return max > 0 && result_points(r) + 1e-9 >= r->pass_threshold * max;
}

const char *result_status_name(enum result_status s)
{
	static const char *const names[] = {"pass",   "fail",    "partial", "inconclusive",
					    "review", "skipped", "error"};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "error";
}

int result_status_parse(const char *name, enum result_status *out)
{
	for (int s = RESULT_PASS; s <= RESULT_ERROR; s++)
		if (name && !strcmp(name, result_status_name((enum result_status)s))) {
			*out = (enum result_status)s;
			return 0;
		}
	return -1;
}

/* ---- evidence ---- */

struct result_ev *result_check_ev(struct result_check *c)
{
	if (!c->evidence)
		c->evidence = (struct result_ev *)cJSON_CreateObject();
	return c->evidence;
}

static cJSON *J(struct result_ev *ev)
{
	return (cJSON *)ev;
}

static void replace(struct result_ev *ev, const char *key, cJSON *item)
{
	if (!ev || !item) {
		cJSON_Delete(item);
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(J(ev), key))
		cJSON_ReplaceItemInObjectCaseSensitive(J(ev), key, item);
	else if (!cJSON_AddItemToObject(J(ev), key, item))
		cJSON_Delete(item);
}

void result_ev_str(struct result_ev *ev, const char *key, const char *value)
{
	if (!value) {
		replace(ev, key, cJSON_CreateNull());
		return;
	}
	result_ev_text(ev, key, value, strlen(value), (size_t)1 << 20, false);
}

void result_ev_num(struct result_ev *ev, const char *key, double value)
{
	replace(ev, key, cJSON_CreateNumber(value));
}

void result_ev_int(struct result_ev *ev, const char *key, long long value)
{
	replace(ev, key, cJSON_CreateNumber((double)value));
}

void result_ev_bool(struct result_ev *ev, const char *key, bool value)
{
	replace(ev, key, cJSON_CreateBool(value));
}

void result_ev_nums(struct result_ev *ev, const char *key, const double *values, size_t n)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < n; i++) {
		cJSON *x = cJSON_CreateNumber(values[i]);
		if (!x || !cJSON_AddItemToArray(arr, x)) {
			cJSON_Delete(x);
			break;
		}
	}
	replace(ev, key, arr);
}

void result_ev_text(struct result_ev *ev, const char *key, const char *data, size_t len, size_t max, bool tail)
{
	struct text_safe t;

	text_safe(data, len, max, tail ? TEXT_KEEP_TAIL : TEXT_KEEP_HEAD, &t);
	replace(ev, key, cJSON_CreateString(t.data));
	if (t.truncated) {
		struct buf k = BUF_INIT;
		buf_printf(&k, "%s_truncated", key);
		replace(ev, k.data, cJSON_CreateTrue());
		buf_free(&k);
	}
	text_safe_free(&t);
}

void result_ev_attach(struct result_ev *ev, const char *key, void *json)
{
	replace(ev, key, (cJSON *)json);
}

struct result_ev *result_ev_obj(struct result_ev *ev, const char *key)
{
	cJSON *o;

	if (!ev)
		return NULL;
	o = cJSON_GetObjectItemCaseSensitive(J(ev), key);
	if (cJSON_IsObject(o))
		return (struct result_ev *)o;
	o = cJSON_CreateObject();
	replace(ev, key, o);
	return (struct result_ev *)cJSON_GetObjectItemCaseSensitive(J(ev), key);
}

struct result_ev *result_ev_list_add(struct result_ev *ev, const char *key)
{
	cJSON *arr, *o;

	if (!ev)
		return NULL;
	arr = cJSON_GetObjectItemCaseSensitive(J(ev), key);
	if (!cJSON_IsArray(arr)) {
		replace(ev, key, cJSON_CreateArray());
		arr = cJSON_GetObjectItemCaseSensitive(J(ev), key);
		if (!arr)
			return NULL;
	}
	o = cJSON_CreateObject();
	if (!o || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return (struct result_ev *)o;
}

void *result_ev_json(const struct result_ev *ev)
{
	return (void *)ev;
}
