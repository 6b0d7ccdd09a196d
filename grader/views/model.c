/* model.c: a written report back into the result model (see model.h). */
#include <string.h>

#include "views/model.h"
#include "views/rjson.h"
#include "xalloc.h"
#include "banned.h"

/* A status by its name; an unknown one is an error. */
static enum result_status status_of(const char *name)
{
	enum result_status s;
	return result_status_parse(name, &s) == 0 ? s : RESULT_ERROR;
}

/* Copies the strings of array `key` of `o` into *list. */
static void strings(const cJSON *o, const char *key, char ***list, size_t *n)
{
	const cJSON *a = rj_arr(o, key), *it;
	size_t k = 0;

	*list = NULL;
	*n = 0;
	if (!a || cJSON_GetArraySize(a) <= 0)
		return;
	*list = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(char *));
	cJSON_ArrayForEach(it, a) if (cJSON_IsString(it) && it->valuestring)(*list)[k++] =
		xstrdup(it->valuestring);
	*n = k;
}

static void load_check(struct result_exercise *e, const cJSON *co)
{
	struct result_check *c = result_check_add(e, rj_str(co, "id", "?"), rj_str(co, "title", NULL),
						  rj_num(co, "max_points", 0));
	const cJSON *ev = rj_obj(co, "evidence"), *it;

	c->status = status_of(rj_str(co, "status", NULL));
	c->points = rj_num(co, "points", 0);
	result_set_str(&c->message, rj_str(co, "message", NULL));
	result_set_str(&c->hint, rj_str(co, "hint", NULL));
	if (rj_obj(co, "override")) {
		const cJSON *oo = rj_obj(co, "override"), *orig = rj_obj(oo, "original");
		struct result_override *ov = xcalloc(1, sizeof(*ov));
		ov->original_status = status_of(rj_str(orig, "status", NULL));
		ov->original_points = rj_num(orig, "points", 0);
		result_set_str(&ov->original_message, rj_str(orig, "message", NULL));
		result_set_str(&ov->reason, rj_str(oo, "reason", NULL));
		result_set_str(&ov->by, rj_str(oo, "by", NULL));
		result_set_str(&ov->when, rj_str(oo, "when", NULL));
		c->override = ov;
	}
	if (ev && cJSON_GetArraySize(ev) > 0) {
		struct result_ev *mine = result_check_ev(c);
		cJSON_ArrayForEach(it, ev) if (it->string)
			result_ev_attach(mine, it->string, cJSON_Duplicate(it, 1));
	}
}

static void load_exercise(struct result_report *r, const cJSON *eo)
{
	struct result_exercise *e = result_exercise_add(r, rj_str(eo, "id", "?"), rj_str(eo, "title", NULL),
							rj_str(eo, "kind", NULL));
	const cJSON *t = rj_obj(eo, "time"), *checks = rj_arr(eo, "checks"), *co;

	result_set_str(&e->file, rj_str(eo, "file", NULL));
	e->status = status_of(rj_str(eo, "status", NULL));
	e->points = rj_num(eo, "points", 0);
	e->max_points = rj_num(eo, "max_points", 0);
	result_set_str(&e->message, rj_str(eo, "message", NULL));
	strings(eo, "unmet_requirements", &e->unmet, &e->nunmet);
	e->seconds = rj_num(t, "seconds", 0);
	e->budget_seconds = rj_num(t, "budget_seconds", 0);
	e->out_of_time = rj_bool(t, "budget_exhausted", false);
	cJSON_ArrayForEach(co, checks) if (cJSON_IsObject(co)) load_check(e, co);
}

/* The report's "inputs", when it has them (result.h, struct result_inputs). */
static void load_inputs(struct result_inputs *in, const cJSON *o)
{
	const cJSON *t = rj_obj(o, "toolchain"), *opt = rj_obj(o, "options");

	if (!rj_str(o, "key", NULL))
		return;
	result_set_str(&in->key, rj_str(o, "key", NULL));
	result_set_str(&in->submission, rj_str(o, "submission", NULL));
	result_set_str(&in->grader_digest, rj_str(o, "grader_digest", NULL));
	result_set_str(&in->spec_digest, rj_str(o, "spec_digest", NULL));
	result_set_str(&in->profiles_digest, rj_str(o, "profiles_digest", NULL));
	result_set_str(&in->python, rj_str(t, "python", NULL));
	result_set_str(&in->rustc, rj_str(t, "rustc", NULL));
	result_set_str(&in->cargo, rj_str(t, "cargo", NULL));
	in->no_perf = rj_bool(opt, "no_perf", false);
	result_set_str(&in->only, rj_str(opt, "only", NULL));
	result_set_str(&in->deadline, rj_str(opt, "deadline", NULL));
	result_set_str(&in->extension, rj_str(opt, "extension", NULL));
	result_set_str(&in->class_catalog_digest, rj_str(o, "class_catalog_digest", NULL));
	result_set_str(&in->overrides_digest, rj_str(o, "overrides_digest", NULL));
}

struct result_report *view_model_from_json(const cJSON *report)
{
	struct result_report *r = result_report_new(rj_str(report, "learner", NULL));
	const cJSON *sub = rj_obj(report, "submission"), *push = rj_obj(sub, "push");
	const cJSON *timing = rj_obj(report, "timing"), *score = rj_obj(report, "score"), *eo;

	result_set_str(&r->spec_id, rj_str(report, "spec", NULL));
	result_set_str(&r->started_at, rj_str(report, "started_at", NULL));
	r->duration = rj_num(report, "duration_seconds", 0);
	r->runs = (long)rj_num(timing, "runs", 0);
	r->run_seconds = rj_num(timing, "run_seconds", 0);
	r->budget_seconds = rj_num(timing, "budget_seconds", 0);
	r->pass_threshold = rj_num(score, "pass_threshold", 0);
	result_set_str(&r->submission.source, rj_str(sub, "source", NULL));
	result_set_str(&r->submission.kind, rj_str(sub, "kind", NULL));
	result_set_str(&r->submission.commit, rj_str(sub, "commit", NULL));
	result_set_str(&r->submission.author, rj_str(sub, "author", NULL));
	result_set_str(&r->submission.date, rj_str(sub, "date", NULL));
	result_set_str(&r->submission.ref, rj_str(sub, "ref", NULL));
	result_set_str(&r->submission.error, rj_str(sub, "error", NULL));
	r->submission.late = rj_bool(sub, "late", false);
	r->submission.late_seconds = rj_num(sub, "late_seconds", 0);
	result_set_str(&r->submission.deadline, rj_str(sub, "deadline", NULL));
	r->submission.graded_commit_late = rj_bool(sub, "graded_commit_late", false);
	r->submission.later_commits = (long)rj_num(sub, "later_commits", 0);
	if (rj_obj(score, "penalty")) {
		r->penalty = rj_num(rj_obj(score, "penalty"), "fraction", 0);
		result_set_str(&r->penalty_reason, rj_str(rj_obj(score, "penalty"), "reason", NULL));
	}
	load_inputs(&r->inputs, rj_obj(report, "inputs"));
	strings(sub, "warnings", &r->submission.warnings, &r->submission.nwarnings);
	if (push) {
		r->submission.has_push = true;
		result_set_str(&r->submission.branch, rj_str(push, "branch", NULL));
		result_set_str(&r->submission.upstream, rj_str(push, "upstream", NULL));
		r->submission.detached = rj_bool(push, "detached", false);
		r->submission.ahead = (long)rj_num(push, "ahead", 0);
		r->submission.behind = (long)rj_num(push, "behind", 0);
	}
	cJSON_ArrayForEach(eo, rj_arr(report, "exercises")) if (cJSON_IsObject(eo)) load_exercise(r, eo);
	strings(report, "errors", &r->errors, &r->nerrors);
	return r;
}
