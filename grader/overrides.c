/* overrides.c: an instructor's overrides of checks, loaded, checked and applied (see overrides.h). */
#include "overrides.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classcat.h"
#include "digest.h"
#include "report.h"
#include "views/model.h"
#include "xalloc.h"
#include "ydoc.h"
#include "banned.h"

struct entry {
	char *learner, *exercise, *check; /* exercise: the spec's id */
	bool has_status, has_points;
	enum result_status status;
	double points;
	char *reason, *by, *when;
};

/* An exercise's required checks (the spec's `requires`), for unmet_requirements. */
struct required {
	char *exercise;
	char **checks;
	size_t n;
};

struct overrides {
	bool none; /* overrides_none(): no file */
	char digest[SHA256_HEX + 1];
	struct entry *e;
	size_t n;
	struct required *req;
	size_t nreq;
};

void overrides_free(struct overrides *ov)
{
	if (!ov)
		return;
	for (size_t i = 0; i < ov->n; i++) {
		struct entry *e = &ov->e[i];
		free(e->learner);
		free(e->exercise);
		free(e->check);
		free(e->reason);
		free(e->by);
		free(e->when);
	}
	for (size_t i = 0; i < ov->nreq; i++) {
		for (size_t j = 0; j < ov->req[i].n; j++)
			free(ov->req[i].checks[j]);
		free(ov->req[i].checks);
		free(ov->req[i].exercise);
	}
	free(ov->req);
	free(ov->e);
	free(ov);
}

size_t overrides_count(const struct overrides *ov)
{
	return ov ? ov->n : 0;
}

const char *overrides_digest(const struct overrides *ov)
{
	return ov && !ov->none ? ov->digest : NULL;
}

/* The chapter's exercise named `name`: its id, or the part after the last '-' ("ex1"). */
static const struct spec_exercise *find_exercise(const struct spec_chapter *ch, const char *name)
{
	for (size_t i = 0; i < ch->nexercises; i++) {
		const char *id = ch->exercises[i]->id, *dash = strrchr(id, '-');
		if (!strcmp(id, name) || (dash && !strcmp(dash + 1, name)))
			return ch->exercises[i];
	}
	return NULL;
}

/* "a, b, c" of the exercises' short names, or of an exercise's rubric checks. */
static void list_exercises(const struct spec_chapter *ch, struct buf *b)
{
	for (size_t i = 0; i < ch->nexercises; i++)
		buf_printf(b, "%s%s", i ? ", " : "", ch->exercises[i]->id);
}

static void check_entry(struct yread *r, struct overrides *ov, const struct ydoc_node *m,
			const struct spec_chapter *ch)
{
	static const char *const allowed[] = {"learner", "exercise", "check", "points", "status",
					      "reason",  "by",       "when",  NULL};
	static const char *const required[] = {"learner", "exercise", "check", "reason",
					       "by",      "when",     NULL};
	const char *statuses[RESULT_ERROR + 2] = {NULL}; /* the report's names, result.h */
	const struct spec_exercise *ex;
	const char *learner, *exercise, *check, *reason, *by, *when;
	double max;
	int before = r->nerrors, st;
	struct entry e = {0};

	for (int i = RESULT_PASS; i <= RESULT_ERROR; i++)
		statuses[i] = result_status_name((enum result_status)i);
	if (yread_map(r, m, "an override", allowed, required) != 0 || r->nerrors > before)
		return;
	learner = yread_str(r, m, "learner", "");
	exercise = yread_str(r, m, "exercise", "");
	check = yread_str(r, m, "check", "");
	reason = yread_str(r, m, "reason", "");
	by = yread_str(r, m, "by", "");
	when = yread_str(r, m, "when", "");
	if (r->nerrors > before)
		return;
	if (!*learner)
		yread_error(r, ydoc_get(m, "learner"), "'learner' must name a learner");
	if (!*reason)
		yread_error(r, ydoc_get(m, "reason"), "'reason' must say why (the learner sees it)");
	if (!*by)
		yread_error(r, ydoc_get(m, "by"), "'by' must name who decided");
	if (!classcat_when_ok(when))
		yread_error(r, ydoc_get(m, "when"),
			    "'when' must be a date (2026-12-01) or an ISO 8601 time (2026-12-01T10:00:00Z), not '%s'",
			    when);
	if (!ydoc_get(m, "points") && !ydoc_get(m, "status"))
		yread_error(r, m, "an override gives 'points', 'status' or both");
	ex = find_exercise(ch, exercise);
	if (!ex) {
		struct buf list = BUF_INIT;
		list_exercises(ch, &list);
		yread_error(r, ydoc_get(m, "exercise"),
			    "'%s' is not an exercise of %s (its exercises: %s, or ex1...)", exercise,
			    ch->id, list.data);
		buf_free(&list);
		return;
	}
	max = spec_points(ex, check);
	if (max <= 0) {
		const char **names = xcalloc(ex->nrubric + 1, sizeof(*names));
		const char *best;
		struct buf list = BUF_INIT;
		for (size_t i = 0; i < ex->nrubric; i++) {
			names[i] = ex->rubric[i].check;
			buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
		}
		best = ydoc_closest(check, names);
		if (best)
			yread_error(r, ydoc_get(m, "check"),
				    "'%s' is not a scored check of %s (did you mean '%s'?)", check,
				    ex->id, best);
		else
			yread_error(r, ydoc_get(m, "check"), "'%s' is not a scored check of %s (its checks: %s)",
				    check, ex->id, list.data);
		free(names);
		buf_free(&list);
		return;
	}
	if (ydoc_get(m, "points")) {
		e.has_points = true;
		e.points = yread_double(r, m, "points", 0, max, 0);
	}
	if (ydoc_get(m, "status")) {
		st = yread_enum(r, m, "status", statuses, -1);
		e.has_status = st >= 0;
		e.status = st >= 0 ? (enum result_status)st : RESULT_PASS;
	}
	if (r->nerrors > before)
		return;
	for (size_t i = 0; i < ov->n; i++)
		if (!strcmp(ov->e[i].learner, learner) && !strcmp(ov->e[i].exercise, ex->id) &&
		    !strcmp(ov->e[i].check, check)) {
			yread_error(r, m, "learner %s's %s check of %s is overridden twice", learner,
				    check, ex->id);
			return;
		}
	e.learner = xstrdup(learner);
	e.exercise = xstrdup(ex->id);
	e.check = xstrdup(check);
	e.reason = xstrdup(reason);
	e.by = xstrdup(by);
	e.when = xstrdup(when);
	ov->e = xreallocarray(ov->e, ov->n + 1, sizeof(*ov->e));
	ov->e[ov->n++] = e;
}

/* Keeps the chapter's required checks, exercise by exercise. */
static void take_required(struct overrides *ov, const struct spec_chapter *ch)
{
	ov->req = xcalloc(ch->nexercises ? ch->nexercises : 1, sizeof(*ov->req));
	for (size_t i = 0; i < ch->nexercises; i++) {
		const struct spec_exercise *ex = ch->exercises[i];
		struct required *q = &ov->req[ov->nreq++];
		q->exercise = xstrdup(ex->id);
		q->checks = xcalloc(ex->nrequires ? ex->nrequires : 1, sizeof(*q->checks));
		for (size_t j = 0; j < ex->nrequires; j++)
			q->checks[q->n++] = xstrdup(ex->requires[j]);
	}
}

struct overrides *overrides_none(const struct spec_chapter *ch)
{
	struct overrides *ov = xcalloc(1, sizeof(*ov));

	ov->none = true;
	take_required(ov, ch);
	return ov;
}

struct overrides *overrides_load(const char *path, const struct spec_chapter *ch, struct buf *err)
{
	static const char *const top[] = {"overrides", NULL};
	struct ydoc *doc;
	struct yread r = {path, err, 0};
	struct overrides *ov;
	const struct ydoc_node *list;

	if (!ch) {
		buf_printf(err, "%s: overrides are checked against the chapter's specs, which did not load\n",
			   path);
		return NULL;
	}
	if (!(doc = ydoc_load_file(path, err)))
		return NULL;
	ov = xcalloc(1, sizeof(*ov));
	if (digest_path(path, ov->digest) < 0) {
		buf_printf(err, "%s: cannot read: %s\n", path, strerror(errno));
		r.nerrors++;
	} else if (yread_map(&r, doc->root, "an overrides file", top, top) == 0) {
		list = ydoc_get(doc->root, "overrides");
		if (list->type == YDOC_SEQ) {
			for (size_t i = 0; i < list->n; i++)
				check_entry(&r, ov, list->items[i], ch);
		} else if (!(list->type == YDOC_SCALAR && list->len == 0)) {
			yread_error(&r, list, "'overrides' must be a list of overrides, not a %s",
				    ydoc_type_name(list->type));
		}
	}
	ydoc_free(doc);
	if (r.nerrors) {
		overrides_free(ov);
		return NULL;
	}
	take_required(ov, ch);
	return ov;
}

/* ---- applying ---- */

static void undo(struct result_check *c)
{
	struct result_override *o = c->override;

	c->status = o->original_status;
	c->points = o->original_points;
	free(c->message);
	c->message = o->original_message;
	o->original_message = NULL;
	result_override_free(o);
	c->override = NULL;
}

static void apply_one(const struct entry *e, struct result_check *c)
{
	struct result_override *o = xcalloc(1, sizeof(*o));
	enum result_status st;
	double pts;
	char was[64];

	o->original_status = c->status;
	o->original_points = c->points;
	o->original_message = c->message;
	o->reason = xstrdup(e->reason);
	o->by = xstrdup(e->by);
	o->when = xstrdup(e->when);
	if (e->has_points)
		pts = e->points;
	else if (e->has_status && e->status == RESULT_PASS)
		pts = c->max_points;
	else if (e->has_status && e->status == RESULT_FAIL)
		pts = 0;
	else
		pts = c->points;
	pts = pts < 0 ? 0 : pts > c->max_points ? c->max_points : pts;
	st = e->has_status          ? e->status
	     : pts >= c->max_points ? RESULT_PASS
	     : pts <= 0             ? RESULT_FAIL
				    : RESULT_PARTIAL;
	snprintf(was, sizeof(was), "%s, %g of %g points", result_status_name(c->status), c->points, c->max_points);
	c->message = NULL;
	result_check_set(c, st, pts, "Overridden by %s on %s: %s (the grader's verdict: %s: %s)", e->by,
			 e->when, e->reason, was, o->original_message ? o->original_message : "no message");
	c->override = o;
}

/* The spec's required checks of exercise `id`, or NULL. */
static const struct required *required_of(const struct overrides *ov, const char *id)
{
	for (size_t i = 0; ov && i < ov->nreq; i++)
		if (!strcmp(ov->req[i].exercise, id))
			return &ov->req[i];
	return NULL;
}

/* A fingerprint of the checks' verdicts, to say whether anything changed. */
static void verdicts(const struct result_report *r, struct buf *b)
{
	for (size_t i = 0; i < r->nexercises; i++)
		for (size_t j = 0; j < r->exercises[i]->nchecks; j++) {
			const struct result_check *c = r->exercises[i]->checks[j];
			buf_printf(b, "%s/%s %d %.6f %s|%s|%s|%s\n", r->exercises[i]->id, c->id,
				   (int)c->status, c->points, c->override ? "o" : "-",
				   c->override ? c->override->reason : "",
				   c->override ? c->override->by : "", c->override ? c->override->when : "");
		}
}

/* Whether `r` has an override to undo or one of `ov` to apply. */
static bool concerns(const struct overrides *ov, const struct result_report *r)
{
	for (size_t i = 0; i < r->nexercises; i++)
		for (size_t j = 0; j < r->exercises[i]->nchecks; j++)
			if (r->exercises[i]->checks[j]->override)
				return true;
	for (size_t i = 0; ov && r->learner && i < ov->n; i++)
		if (!strcmp(ov->e[i].learner, r->learner))
			return true;
	return false;
}

size_t overrides_apply(const struct overrides *ov, struct result_report *r, bool *changed)
{
	struct buf before = BUF_INIT, after = BUF_INIT;
	const char *digest = overrides_digest(ov);
	bool digest_changed = false;
	size_t applied = 0;

	if (r->inputs.key && ((digest == NULL) != (r->inputs.overrides_digest == NULL) ||
			      (digest && strcmp(digest, r->inputs.overrides_digest)))) {
		result_set_str(&r->inputs.overrides_digest, digest);
		digest_changed = true;
	}
	if (!concerns(ov, r)) {
		if (changed)
			*changed = digest_changed;
		return 0;
	}
	verdicts(r, &before);
	for (size_t i = 0; i < r->nexercises; i++) {
		struct result_exercise *e = r->exercises[i];
		const struct required *q;
		bool touched = false;

		for (size_t j = 0; j < e->nchecks; j++)
			if (e->checks[j]->override) {
				undo(e->checks[j]);
				touched = true;
			}
		for (size_t k = 0; ov && r->learner && k < ov->n; k++) {
			struct result_check *c;
			if (strcmp(ov->e[k].learner, r->learner) || strcmp(ov->e[k].exercise, e->id) ||
			    !(c = result_check_find(e, ov->e[k].check)))
				continue;
			apply_one(&ov->e[k], c);
			applied++;
			touched = true;
		}
		/* the required checks as grade_submission (grade.c) decides them */
		if (touched && (q = required_of(ov, e->id))) {
			for (size_t j = 0; j < e->nunmet; j++)
				free(e->unmet[j]);
			e->nunmet = 0;
			for (size_t j = 0; j < q->n; j++) {
				const struct result_check *c = result_check_find(e, q->checks[j]);
				if (!c || c->status != RESULT_PASS)
					result_exercise_unmet(e, q->checks[j]);
			}
		}
	}
	result_finish(r);
	verdicts(r, &after);
	if (changed)
		*changed = digest_changed || before.len != after.len ||
			   memcmp(before.data, after.data, before.len);
	buf_free(&before);
	buf_free(&after);
	return applied;
}

size_t overrides_apply_tree(const struct overrides *ov, void *report)
{
	cJSON *tree = report, *fresh, *inputs;
	struct result_report *r;
	size_t applied;
	bool changed = false;

	r = view_model_from_json(tree);
	applied = overrides_apply(ov, r, &changed);
	if (changed && (fresh = report_tree(r))) {
		static const char *const keys[] = {"score", "exercises"};
		for (size_t i = 0; i < 2; i++) {
			cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(fresh, keys[i]);
			if (item && !cJSON_ReplaceItemInObjectCaseSensitive(tree, keys[i], item))
				cJSON_Delete(item);
		}
		inputs = cJSON_GetObjectItemCaseSensitive(tree, "inputs");
		if (cJSON_IsObject(inputs)) {
			cJSON *d = r->inputs.overrides_digest ? cJSON_CreateString(r->inputs.overrides_digest)
							      : cJSON_CreateNull();
			if (cJSON_GetObjectItemCaseSensitive(inputs, "overrides_digest"))
				cJSON_ReplaceItemInObjectCaseSensitive(inputs, "overrides_digest", d);
			else
				cJSON_AddItemToObject(inputs, "overrides_digest", d);
		}
		cJSON_Delete(fresh);
	}
	result_report_free(r);
	return applied;
}
