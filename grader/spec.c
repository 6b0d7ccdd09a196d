/* spec.c: exercise specs, chapters and learner manifests from YAML (see spec.h). */
#include "spec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "fs.h"
#include "sources.h"
#include "xalloc.h"
#include "ydoc.h"
#include "banned.h"

static const char *const kinds[] = {"answers", "comparison", "conversion", NULL};

/* The checks each kind of exercise scores, in the order they are graded. */
static const char *const checks_answers[] = {"count", "fields", "sources", "verified", NULL};
static const char *const checks_comparison[] = {
	"build",   "runs", "performance", "memory", "speedup_claim", "memory_claim", "complexity_claim",
	"scaling", NULL};
static const char *const checks_conversion[] = {
	"build", "python", "cases", "correctness", "performance", "memory", "notes", "scaling", NULL};

static const char *const *kind_checks(enum spec_kind k)
{
	return k == SPEC_ANSWERS      ? checks_answers
	       : k == SPEC_COMPARISON ? checks_comparison
				      : checks_conversion;
}

const char *spec_kind_name(enum spec_kind k)
{
	return kinds[k];
}

static const char *const edge_keys[] = {"empty",     "one-line", "no-final-newline", "crlf", "long-line",
					"non-ascii", NULL};

const char *spec_edge_key(enum spec_edge e)
{
	return edge_keys[e];
}

/* The 'edge_inputs' key: `all` or `true` (every edge input), `false` or `none`, or a sequence of
 * edge input names. Each bad value is an error at its own line and column. */
static unsigned read_edge_inputs(struct yread *r, const struct ydoc_node *n)
{
	unsigned bits = 0;
	struct buf list = BUF_INIT;

	if (!n)
		return 0;
	for (size_t i = 0; edge_keys[i]; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", edge_keys[i]);
	if (n->type == YDOC_SCALAR && !n->quoted && (!strcmp(n->value, "all") || !strcmp(n->value, "true")))
		bits = SPEC_EDGE_ALL;
	else if (n->type == YDOC_SCALAR && !n->quoted &&
		 (!strcmp(n->value, "none") || !strcmp(n->value, "false")))
		bits = 0;
	else if (n->type != YDOC_SEQ)
		yread_error(r, n, "'edge_inputs' must be all, none, true, false or a list of: %s; not '%s'",
			    list.data, n->type == YDOC_SCALAR ? n->value : ydoc_type_name(n->type));
	for (size_t i = 0; n->type == YDOC_SEQ && i < n->n; i++) {
		const struct ydoc_node *it = n->items[i];
		bool known = false;
		for (size_t k = 0; it->type == YDOC_SCALAR && edge_keys[k]; k++)
			if (!strcmp(it->value, edge_keys[k])) {
				if (bits & (1u << k))
					yread_error(r, it, "edge input '%s' is named twice", it->value);
				bits |= 1u << k;
				known = true;
			}
		if (!known && it->type != YDOC_SCALAR)
			yread_error(r, it, "'edge_inputs' lists edge input names, not a %s",
				    ydoc_type_name(it->type));
		else if (!known) {
			const char *best = ydoc_closest(it->value, edge_keys);
			yread_error(r, it, "unknown edge input '%s'%s%s%s (expected one of: %s)",
				    it->value, best ? " (did you mean '" : "", best ? best : "",
				    best ? "'?)" : "", list.data);
		}
	}
	buf_free(&list);
	return bits;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A relative path that stays inside its base: no leading '/', no '..' component. */
static bool safe_relpath(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/')
		return false;
	while (*s) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return false;
		s += n;
		while (*s == '/')
			s++;
	}
	return true;
}

static char *read_path(struct yread *r, const struct ydoc_node *m, const char *key, const char *def)
{
	const char *v = yread_str(r, m, key, def);

	if (v && !safe_relpath(v)) {
		yread_error(r, ydoc_get(m, key),
			    "'%s' must be a relative path inside its folder, not '%s'", key, v);
		return NULL;
	}
	return dup_or_null(v);
}

static char **dup_strs(struct yread *r, const struct ydoc_node *m, const char *key, size_t *n)
{
	const char **v;
	char **out;

	*n = yread_strs(r, m, key, &v);
	if (!*n)
		return NULL;
	out = xcalloc(*n, sizeof(*out));
	for (size_t i = 0; i < *n; i++)
		out[i] = xstrdup(v[i]);
	free(v);
	return out;
}

static void read_limits(struct yread *r, const struct ydoc_node *m, const char *what, struct sandbox_limits *l)
{
	static const char *const keys[] = {"wall",   "cpu",       "memory",   "pids",
					   "output", "file_size", "tmp_size", NULL};
	if (!m)
		return;
	if (yread_map(r, m, what, keys, NULL) < 0 && m->type != YDOC_MAP)
		return;
	l->wall = yread_duration(r, m, "wall", 0.01, 3600, l->wall);
	l->cpu = yread_duration(r, m, "cpu", 0.01, 3600, l->cpu);
	l->memory = yread_size(r, m, "memory", 1 << 20, 64ULL << 30, l->memory);
	l->pids = (int)yread_int(r, m, "pids", 1, 4096, l->pids);
	l->output = yread_size(r, m, "output", 1024, 1ULL << 30, l->output);
	l->file_size = yread_size(r, m, "file_size", 1024, 64ULL << 30, l->file_size);
	l->tmp_size = yread_size(r, m, "tmp_size", 1 << 20, 64ULL << 30, l->tmp_size);
}

void spec_exercise_free(struct spec_exercise *e)
{
	if (!e)
		return;
	free(e->path);
	free(e->id);
	free(e->title);
	free(e->manifest);
	free(e->original);
	free(e->registry);
	free(e->hidden_cases);
	free(e->notes.file);
	free_strv(e->notes.sections, e->notes.nsections);
	free(e->answers.file);
	free(e->answers.list_key);
	free(e->answers.name_key);
	free_strv(e->answers.fields, e->answers.nfields);
	free(e->answers.url_key);
	free(e->answers.catalog);
	free_strv(e->answers.sentence_fields, e->answers.nsentence_fields);
	for (size_t i = 0; i < e->nrubric; i++)
		free(e->rubric[i].check);
	free(e->rubric);
	free_strv(e->requires, e->nrequires);
	free(e);
}

static void read_rubric(struct yread *r, const struct ydoc_node *m, struct spec_exercise *e)
{
	const char *const *allowed = kind_checks(e->kind);

	if (!m)
		return; /* reported as a missing required key */
	if (yread_map(r, m, "'rubric'", allowed, NULL) < 0)
		return;
	e->rubric = xcalloc(m->n ? m->n : 1, sizeof(*e->rubric));
	for (size_t i = 0; i < m->n; i++) {
		e->rubric[i].check = xstrdup(m->keys[i]);
		e->rubric[i].points = yread_double(r, m, m->keys[i], 0, 1000, 0);
		e->nrubric++;
	}
}

/* The 'scaling' section; the check is on when it is present or the rubric names the check. */
static void read_scaling(struct yread *r, const struct ydoc_node *root, struct spec_exercise *e)
{
	static const char *const keys[] = {"tolerance", "confidence",          "runs",
					   "budget",    "inconclusive_credit", NULL};
	const struct ydoc_node *n = ydoc_get(root, "scaling");
	struct spec_scaling *s = &e->scaling;

	*s = (struct spec_scaling){
		.tolerance = 0.3, .confidence = 0.95, .runs = 5, .budget = 60, .inconclusive_credit = 0.5};
	if (!n)
		return;
	s->enabled = true;
	yread_map(r, n, "'scaling'", keys, NULL);
	s->tolerance = yread_double(r, n, "tolerance", 0, 5, 0.3);
	s->confidence = yread_double(r, n, "confidence", 0.5, 0.999, 0.95);
	s->runs = (int)yread_int(r, n, "runs", 3, 100, 5);
	s->budget = yread_duration(r, n, "budget", 1, 3600, 60);
	s->inconclusive_credit = yread_double(r, n, "inconclusive_credit", 0, 1, 0.5);
}

/* A spec's 'compare' section (n, or NULL): the modes a manifest may choose and the loosest
 * tolerances; without it, exact and lines and no tolerance. */
static void read_spec_compare(struct yread *r, const struct ydoc_node *n, struct spec_exercise *e)
{
	static const char *const keys[] = {"modes", "max_abs", "max_rel", NULL};
	const char **modes;
	size_t k;

	e->allowed_modes = (1u << OUTDIFF_EXACT) | (1u << OUTDIFF_LINES);
	e->max_abs = 0;
	e->max_rel = 0;
	if (!n)
		return;
	yread_map(r, n, "'compare'", keys, NULL);
	k = yread_strs(r, n, "modes", &modes);
	if (k)
		e->allowed_modes = 0;
	for (size_t i = 0; i < k; i++) {
		enum outdiff_mode mode;
		if (outdiff_mode_parse(modes[i], &mode) < 0)
			yread_error(r, ydoc_get(n, "modes"),
				    "unknown compare mode '%s' (expected one of: " OUTDIFF_MODE_NAMES ")",
				    modes[i]);
		else
			e->allowed_modes |= 1u << mode;
	}
	free(modes);
	e->max_abs = yread_double(r, n, "max_abs", 0, 1, 0);
	e->max_rel = yread_double(r, n, "max_rel", 0, 1, 0);
}

/* A spec's 'performance' section (n, or NULL: the check is off). */
static void read_performance(struct yread *r, const struct ydoc_node *n, struct spec_perf *p)
{
	static const char *const keys[] = {
		"metric",           "require_speedup", "confidence",     "runs",
		"warmup",           "budget",          "min_python_cpu", "inconclusive_credit",
		"too_small_credit", "precision",       "pin_cpu",        NULL};
	static const char *const runs_keys[] = {"min", "max", NULL};
	static const char *const metrics[] = {"cpu", "wall", NULL};
	const struct ydoc_node *runs;

	if (!n)
		return;
	runs = ydoc_get(n, "runs");
	yread_map(r, n, "'performance'", keys, NULL);
	p->enabled = true;
	p->wall = yread_enum(r, n, "metric", metrics, 0) == 1;
	p->require_speedup = yread_double(r, n, "require_speedup", 0.01, 1000, 1.0);
	p->confidence = yread_double(r, n, "confidence", 0.5, 0.999, 0.95);
	p->min_runs = 10;
	p->max_runs = 40;
	if (runs) {
		yread_map(r, runs, "'performance.runs'", runs_keys, NULL);
		p->min_runs = (int)yread_int(r, runs, "min", 3, 1000, 10);
		p->max_runs = (int)yread_int(r, runs, "max", 3, 10000, 40);
		if (p->max_runs < p->min_runs)
			yread_error(r, runs, "'max' runs (%d) is smaller than 'min' runs (%d)",
				    p->max_runs, p->min_runs);
	}
	p->warmup = (int)yread_int(r, n, "warmup", 0, 100, 1);
	p->budget = yread_duration(r, n, "budget", 1, 3600, 120);
	p->min_python_cpu = yread_duration(r, n, "min_python_cpu", 0, 600, 0.2);
	p->inconclusive_credit = yread_double(r, n, "inconclusive_credit", 0, 1, 0.5);
	/* 0 by default: the learner chose the input, and a tiny one flatters a port (Python's
	 * start-up dominates), so credit for it would reward dodging the measurement. */
	p->too_small_credit = yread_double(r, n, "too_small_credit", 0, 1, 0);
	p->precision = yread_double(r, n, "precision", 0, 1, 0);
	p->pin_cpu = yread_bool(r, n, "pin_cpu", false);
}

static void read_conversion(struct yread *r, const struct ydoc_node *root, struct spec_exercise *e)
{
	static const char *const build_keys[] = {"limits", "registry", NULL};
	static const char *const cases_keys[] = {"min", "max", "hidden", "max_generated", NULL};
	static const char *const shrink_keys[] = {"max_runs", "budget", NULL};
	static const char *const mem_keys[] = {"require_ratio", NULL};
	static const char *const notes_keys[] = {
		"file", "min_words", "sections", "min_words_per_section", "min_names", NULL};
	static const char *const claims_keys[] = {"speedup_within",   "memory_within",     "loc_within",
						  "functions_within", "complexity_within", NULL};
	const struct ydoc_node *n;

	e->manifest = read_path(r, root, "manifest", NULL);
	e->original = read_path(r, root, "original", NULL);
	if (!e->manifest)
		yread_error(r, root, "a %s spec needs 'manifest' (e.g. ex4/exercise.yaml)", kinds[e->kind]);

	if ((n = ydoc_get(root, "build"))) {
		yread_map(r, n, "'build'", build_keys, NULL);
		read_limits(r, ydoc_get(n, "limits"), "'build.limits'", &e->build_limits);
		e->registry = read_path(r, n, "registry", NULL);
	}
	e->min_cases = 1;
	e->max_cases = 100;
	e->max_generated = 50;
	e->budget = yread_duration(r, root, "budget", 1, 86400, 600);
	if ((n = ydoc_get(root, "cases"))) {
		yread_map(r, n, "'cases'", cases_keys, NULL);
		e->min_cases = (int)yread_int(r, n, "min", 0, 1000, 1);
		e->max_cases = (int)yread_int(r, n, "max", 1, 10000, 100);
		if (e->max_cases < e->min_cases)
			yread_error(r, ydoc_get(n, "max"), "'max' (%d) is below 'min' (%d)",
				    e->max_cases, e->min_cases);
		e->hidden_cases = read_path(r, n, "hidden", NULL);
		e->max_generated = (int)yread_int(r, n, "max_generated", 0, 1000, 50);
	}
	read_spec_compare(r, ydoc_get(root, "compare"), e);
	e->shrink_max_runs = 200;
	e->shrink_budget = 60;
	if ((n = ydoc_get(root, "shrink"))) {
		yread_map(r, n, "'shrink'", shrink_keys, NULL);
		e->shrink_max_runs = (int)yread_int(r, n, "max_runs", 0, 100000, 200);
		e->shrink_budget = yread_duration(r, n, "budget", 0, 3600, 60);
	}
	read_performance(r, ydoc_get(root, "performance"), &e->perf);
	if ((n = ydoc_get(root, "memory"))) {
		yread_map(r, n, "'memory'", mem_keys, (const char *const[]){"require_ratio", NULL});
		e->memory.enabled = true;
		e->memory.require_ratio = yread_double(r, n, "require_ratio", 0.001, 1000, 1.0);
	}
	e->claims = (struct spec_claims){.speedup_within = 2.0,
					 .memory_within = 2.0,
					 .loc_within = 0.15,
					 .functions_within = 1,
					 .complexity_within = 0.2};
	if ((n = ydoc_get(root, "claims"))) {
		if (e->kind != SPEC_COMPARISON)
			yread_error(r, n, "'claims' applies only to a comparison exercise");
		yread_map(r, n, "'claims'", claims_keys, NULL);
		e->claims.speedup_within = yread_double(r, n, "speedup_within", 1, 100, 2.0);
		e->claims.memory_within = yread_double(r, n, "memory_within", 1, 100, 2.0);
		e->claims.loc_within = yread_double(r, n, "loc_within", 0, 1, 0.15);
		e->claims.functions_within = (int)yread_int(r, n, "functions_within", 0, 1000, 1);
		e->claims.complexity_within = yread_double(r, n, "complexity_within", 0, 1, 0.2);
	}
	read_scaling(r, root, e);
	if ((n = ydoc_get(root, "notes"))) {
		yread_map(r, n, "'notes'", notes_keys, (const char *const[]){"file", NULL});
		e->notes.file = read_path(r, n, "file", NULL);
		e->notes.min_words = (int)yread_int(r, n, "min_words", 0, 100000, 0);
		e->notes.sections = dup_strs(r, n, "sections", &e->notes.nsections);
		e->notes.min_words_per_section = (int)yread_int(r, n, "min_words_per_section", 0, 100000, 0);
		e->notes.min_names = (int)yread_int(r, n, "min_names", 0, 100, 0);
		if (e->notes.min_words_per_section && !e->notes.nsections)
			yread_error(r, ydoc_get(n, "min_words_per_section"),
				    "'min_words_per_section' needs 'sections': the headings whose words are counted");
	}
	if ((n = ydoc_get(root, "edge_inputs"))) {
		if (e->kind != SPEC_CONVERSION)
			yread_error(r, n, "'edge_inputs' applies only to a conversion exercise");
		e->edge_inputs = read_edge_inputs(r, n);
	}
}

static void read_answers(struct yread *r, const struct ydoc_node *root, struct spec_exercise *e)
{
	static const char *const keys[] = {
		"file",    "list",        "name",      "fields",          "url",
		"catalog", "min_entries", "sentences", "parent_distinct", NULL};
	static const char *const sentence_keys[] = {"fields", "min_words", NULL};
	const struct ydoc_node *sn;
	static const char *const req[] = {"file", "list", "name", "fields", NULL};
	const struct ydoc_node *n = ydoc_get(root, "answers");
	struct spec_answers *a = &e->answers;

	if (!n) {
		yread_error(r, root, "an answers spec needs an 'answers' section");
		return;
	}
	yread_map(r, n, "'answers'", keys, req);
	a->file = read_path(r, n, "file", NULL);
	a->list_key = dup_or_null(yread_str(r, n, "list", NULL));
	a->name_key = dup_or_null(yread_str(r, n, "name", NULL));
	a->fields = dup_strs(r, n, "fields", &a->nfields);
	a->url_key = dup_or_null(yread_str(r, n, "url", NULL));
	a->catalog = read_path(r, n, "catalog", NULL);
	a->min_entries = (int)yread_int(r, n, "min_entries", 1, 100, 3);
	a->parent_distinct = yread_bool(r, n, "parent_distinct", false);
	sn = ydoc_get(n, "sentences");
	if (sn && yread_map(r, sn, "'sentences'", sentence_keys, sentence_keys) == 0) {
		a->sentence_fields = dup_strs(r, sn, "fields", &a->nsentence_fields);
		a->min_words = (int)yread_int(r, sn, "min_words", 1, 200, 6);
		for (size_t i = 0; i < a->nsentence_fields; i++) {
			bool known = false;
			for (size_t f = 0; f < a->nfields; f++)
				known = known || !strcmp(a->fields[f], a->sentence_fields[i]);
			if (!known)
				yread_error(r, ydoc_get(sn, "fields"),
					    "'%s' is not one of the entry's fields", a->sentence_fields[i]);
		}
	}
}

/* An exercise spec from its document (freed here); `path` names it in messages and is where the
 * spec's relative paths start. */
static struct spec_exercise *exercise_from_doc(struct ydoc *doc, const char *path, struct buf *err)
{
	static const char *const keys[] = {
		"id",     "title",   "kind",   "manifest",    "original", "limits",      "build",
		"cases",  "compare", "shrink", "performance", "memory",   "scaling",     "notes",
		"claims", "answers", "rubric", "requires",    "budget",   "edge_inputs", NULL};
	static const char *const req[] = {"id", "title", "kind", "rubric", NULL};
	struct yread r = {.file = path, .errors = err};
	struct spec_exercise *e;
	int kind;

	if (!doc)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->path = xstrdup(path);
	if (yread_map(&r, doc->root, "the exercise spec", keys, req) < 0 &&
	    (!doc->root || doc->root->type != YDOC_MAP))
		goto out;
	e->id = dup_or_null(yread_str(&r, doc->root, "id", NULL));
	e->title = dup_or_null(yread_str(&r, doc->root, "title", NULL));
	kind = yread_enum(&r, doc->root, "kind", kinds, -1);
	if (kind < 0)
		goto out;
	e->kind = (enum spec_kind)kind;
	/* Safe defaults for every run; a spec tightens or loosens them. */
	e->limits = (struct sandbox_limits){.wall = 10,
					    .cpu = 5,
					    .memory = 512ULL << 20,
					    .output = 4ULL << 20,
					    .file_size = 16ULL << 20,
					    .tmp_size = 64ULL << 20,
					    .pids = 32};
	e->build_limits = (struct sandbox_limits){.wall = 300,
						  .cpu = 300,
						  .memory = 2ULL << 30,
						  .output = 4ULL << 20,
						  .file_size = 512ULL << 20,
						  .tmp_size = 256ULL << 20,
						  .pids = 256};
	read_limits(&r, ydoc_get(doc->root, "limits"), "'limits'", &e->limits);
	if (e->kind == SPEC_ANSWERS) {
		static const char *const conv_only[] = {
			"manifest", "original",    "build",       "cases",   "compare",
			"shrink",   "performance", "memory",      "scaling", "notes",
			"claims",   "budget",      "edge_inputs", NULL};
		for (size_t i = 0; conv_only[i]; i++)
			if (ydoc_get(doc->root, conv_only[i]))
				yread_error(&r, ydoc_get(doc->root, conv_only[i]),
					    "'%s' does not apply to an answers exercise", conv_only[i]);
		read_answers(&r, doc->root, e);
	} else {
		if (ydoc_get(doc->root, "answers"))
			yread_error(&r, ydoc_get(doc->root, "answers"),
				    "'answers' applies only to an answers exercise");
		read_conversion(&r, doc->root, e);
	}
	read_rubric(&r, ydoc_get(doc->root, "rubric"), e);
	if (e->kind != SPEC_ANSWERS && ydoc_get(ydoc_get(doc->root, "rubric"), "scaling"))
		e->scaling.enabled = true;
	e->requires = dup_strs(&r, doc->root, "requires", &e->nrequires);
	for (size_t i = 0; i < e->nrequires; i++) {
		const struct ydoc_node *rq = ydoc_get(doc->root, "requires");
		const struct ydoc_node *at = rq->type == YDOC_SEQ && i < rq->n ? rq->items[i] : rq;
		const char *const *checks = kind_checks(e->kind);
		bool known = false;
		for (size_t j = 0; checks[j]; j++)
			known = known || !strcmp(checks[j], e->requires[i]);
		if (!known) {
			const char *best = ydoc_closest(e->requires[i], checks);
			const char *article = e->kind == SPEC_ANSWERS ? "an" : "a";
			struct buf list = BUF_INIT;
			for (size_t j = 0; checks[j]; j++)
				buf_printf(&list, "%s%s", j ? ", " : "", checks[j]);
			if (best)
				yread_error(&r, at, "'requires' names '%s', which is not a check (did you mean '%s'? the checks of %s %s exercise: %s)",
					    e->requires[i], best, article, kinds[e->kind], list.data);
			else
				yread_error(&r, at, "'requires' names '%s', which is not a check (the checks of %s %s exercise: %s)",
					    e->requires[i], article, kinds[e->kind], list.data);
			buf_free(&list);
		} else if (spec_points(e, e->requires[i]) <= 0) {
			yread_error(&r, at, "required check '%s' is not scored in the rubric", e->requires[i]);
		}
	}
out:
	ydoc_free(doc);
	if (r.nerrors || !e->id) {
		spec_exercise_free(e);
		return NULL;
	}
	return e;
}

struct spec_exercise *spec_load_exercise(const char *path, struct buf *err)
{
	return exercise_from_doc(ydoc_load_file(path, err), path, err);
}

struct spec_exercise *spec_exercise_from_string(const char *path, const char *data, size_t len, struct buf *err)
{
	return exercise_from_doc(ydoc_load_string(path, data, len, err), path, err);
}

void spec_resolve(const struct spec_exercise *e, const char *rel, struct buf *out)
{
	struct buf dir = BUF_INIT;

	buf_puts(&dir, e->path);
	fs_join(out, dirname(dir.data), rel);
	buf_free(&dir);
}

double spec_points(const struct spec_exercise *e, const char *check)
{
	for (size_t i = 0; i < e->nrubric; i++)
		if (!strcmp(e->rubric[i].check, check))
			return e->rubric[i].points;
	return 0;
}

void spec_chapter_free(struct spec_chapter *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nexercises; i++)
		spec_exercise_free(c->exercises[i]);
	free(c->exercises);
	free_strv(c->similarity.starter, c->similarity.nstarter);
	free(c->dir);
	free(c->id);
	free(c->title);
	free(c);
}

/* Checks that a path named by a spec exists beside it. */
static void check_exists(struct yread *r, const char *dir, const char *rel, bool want_dir, const char *what)
{
	struct buf p = BUF_INIT;

	if (!rel)
		return;
	fs_join(&p, dir, rel);
	if (want_dir ? !fs_is_dir(p.data) : !fs_is_file(p.data))
		yread_error(r, NULL, "%s '%s' does not exist (looked for %s)", what, rel, p.data);
	buf_free(&p);
}

/* The `gradescope` section of a chapter (Gradescope's visibility names, docs/gradescope.md). */
static void read_gradescope(struct yread *r, const struct ydoc_node *n, struct spec_gradescope *g)
{
	static const char *const keys[] = {"hidden_visibility", NULL};
	static const char *const visibilities[] = {"hidden", "after_due_date", "after_published",
						   "visible", NULL};

	g->hidden_visibility = visibilities[2];
	if (!n)
		return;
	if (yread_map(r, n, "'gradescope'", keys, NULL) < 0 && n->type != YDOC_MAP)
		return;
	g->hidden_visibility = visibilities[yread_enum(r, n, "hidden_visibility", visibilities, 2)];
}

/* The `late` section of a chapter: the late policy (spec.h, struct spec_late). */
static void read_late(struct yread *r, const struct ydoc_node *n, struct spec_late *l)
{
	static const char *const keys[] = {"policy", "per_day", "max", NULL};
	static const char *const policies[] = {"last-before-deadline", "penalty", NULL};

	*l = (struct spec_late){false, 0.1, 1.0};
	if (!n)
		return;
	if (yread_map(r, n, "'late'", keys, NULL) < 0 && n->type != YDOC_MAP)
		return;
	l->penalty = yread_enum(r, n, "policy", policies, 0) == 1;
	l->per_day = yread_double(r, n, "per_day", 0, 1, 0.1);
	l->max = yread_double(r, n, "max", 0, 1, 1.0);
	if (!l->penalty && (ydoc_get(n, "per_day") || ydoc_get(n, "max")))
		yread_error(r, ydoc_get(n, "per_day") ? ydoc_get(n, "per_day") : ydoc_get(n, "max"),
			    "'per_day' and 'max' are for the 'penalty' policy");
}

/* The `similarity` section of a chapter: {threshold, starter: [paths]} (specs/README.md). */
static void read_similarity(struct yread *r, const char *dir, const struct ydoc_node *n,
			    struct spec_similarity *s)
{
	static const char *const keys[] = {"threshold", "starter", NULL};
	const struct ydoc_node *at;
	struct buf p = BUF_INIT;

	s->threshold = 0.5;
	if (!n)
		return;
	if (yread_map(r, n, "'similarity'", keys, NULL) < 0 && n->type != YDOC_MAP)
		return;
	s->threshold = yread_double(r, n, "threshold", 0, 1, 0.5);
	s->starter = dup_strs(r, n, "starter", &s->nstarter);
	at = ydoc_get(n, "starter");
	for (size_t i = 0; i < s->nstarter; i++) {
		if (!safe_relpath(s->starter[i])) {
			yread_error(r, at, "similarity starter '%s' must be a relative path inside the chapter's folder",
				    s->starter[i]);
			continue;
		}
		fs_join(&p, dir, s->starter[i]);
		if (!fs_is_file(p.data) && !fs_is_dir(p.data))
			yread_error(r, at, "similarity starter '%s' does not exist (looked for %s)",
				    s->starter[i], p.data);
	}
	buf_free(&p);
}

struct spec_chapter *spec_load_chapter(const char *dir, struct buf *err)
{
	static const char *const keys[] = {"id",     "title",      "pass_threshold",
					   "budget", "exercises",  "gradescope",
					   "late",   "similarity", NULL};
	static const char *const req[] = {"id", "title", "exercises", NULL};
	struct buf path = BUF_INIT, ex_path = BUF_INIT;
	struct spec_chapter *c = NULL;
	struct ydoc *doc;
	struct yread r = {.errors = err};
	const char **files = NULL;
	size_t nfiles;

	fs_join(&path, dir, "chapter.yaml");
	r.file = path.data;
	doc = ydoc_load_file(path.data, err);
	if (!doc)
		goto out;
	c = xcalloc(1, sizeof(*c));
	c->dir = xstrdup(dir);
	if (yread_map(&r, doc->root, "the chapter", keys, req) < 0 && (!doc->root || doc->root->type != YDOC_MAP))
		goto out;
	c->id = dup_or_null(yread_str(&r, doc->root, "id", NULL));
	c->title = dup_or_null(yread_str(&r, doc->root, "title", NULL));
	c->pass_threshold = yread_double(&r, doc->root, "pass_threshold", 0, 1, 0.6);
	c->budget = yread_duration(&r, doc->root, "budget", 1, 7 * 86400, 1800);
	read_gradescope(&r, ydoc_get(doc->root, "gradescope"), &c->gradescope);
	read_late(&r, ydoc_get(doc->root, "late"), &c->late);
	read_similarity(&r, dir, ydoc_get(doc->root, "similarity"), &c->similarity);
	nfiles = yread_strs(&r, doc->root, "exercises", &files);
	c->exercises = xcalloc(nfiles ? nfiles : 1, sizeof(*c->exercises));
	for (size_t i = 0; i < nfiles; i++) {
		struct spec_exercise *e;
		if (!safe_relpath(files[i])) {
			yread_error(&r, ydoc_get(doc->root, "exercises"),
				    "exercise spec '%s' must be a relative path", files[i]);
			continue;
		}
		fs_join(&ex_path, dir, files[i]);
		e = spec_load_exercise(ex_path.data, err);
		if (!e) {
			r.nerrors++;
			continue;
		}
		for (size_t j = 0; j < c->nexercises; j++)
			if (!strcmp(c->exercises[j]->id, e->id))
				yread_error(&r, NULL, "%s: exercise id '%s' is used twice", ex_path.data, e->id);
		if (e->kind == SPEC_ANSWERS)
			check_exists(&r, dir, e->answers.catalog, false, "catalog");
		check_exists(&r, dir, e->hidden_cases, true, "hidden cases folder");
		check_exists(&r, dir, e->original, false, "original Python script");
		check_exists(&r, dir, e->registry, true, "registry folder");
		c->exercises[c->nexercises++] = e;
	}
	if (!nfiles)
		yread_error(&r, ydoc_get(doc->root, "exercises"), "the chapter lists no exercises");
out:
	free(files);
	ydoc_free(doc);
	buf_free(&ex_path);
	buf_free(&path);
	if (c && (r.nerrors || !doc)) {
		spec_chapter_free(c);
		c = NULL;
	}
	return c;
}

void spec_conversion_free(struct spec_conversion *m)
{
	if (!m)
		return;
	free(m->path);
	free(m->python_script);
	free(m->rust_package);
	free(m->rust_binary);
	free_strv(m->args, m->nargs);
	free(m->cases);
	free_strv(m->outputs, m->noutputs);
	free(m->generator);
	free(m->bench_file);
	free(m->project);
	free(m);
}

static void read_program(struct yread *r, const struct ydoc_node *root, struct spec_conversion *m, bool comparison)
{
	static const char *const py_keys[] = {"script", "link", NULL};
	static const char *const rs_keys[] = {"package", "binary", "link", NULL};
	const struct ydoc_node *py = ydoc_get(root, "python"), *rs = ydoc_get(root, "rust");
	(void)comparison;

	if (py && yread_map(r, py, "'python'", py_keys, (const char *const[]){"script", NULL}) == 0)
		m->python_script = read_path(r, py, "script", NULL);
	if (rs && yread_map(r, rs, "'rust'", rs_keys, (const char *const[]){"package", NULL}) == 0) {
		m->rust_package = read_path(r, rs, "package", NULL);
		m->rust_binary = dup_or_null(yread_str(r, rs, "binary", NULL));
		if (m->rust_binary && (strchr(m->rust_binary, '/') || !*m->rust_binary))
			yread_error(r, ydoc_get(rs, "binary"), "'binary' must be a binary's name, not a path");
	}
}

/* A manifest's 'compare' section (n, or NULL: lines, no tolerance), checked against what the
 * exercise allows when `ex` is set. */
static void read_manifest_compare(struct yread *r, const struct ydoc_node *n,
				  const struct spec_exercise *ex, struct spec_conversion *m)
{
	static const char *const keys[] = {"mode", "abs", "rel", NULL};

	m->mode = OUTDIFF_LINES;
	if (!n)
		return;
	yread_map(r, n, "'compare'", keys, (const char *const[]){"mode", NULL});
	m->mode = (enum outdiff_mode)yread_enum(r, n, "mode", outdiff_mode_names, OUTDIFF_LINES);
	m->abs = yread_double(r, n, "abs", 0, 1e9, 0);
	m->rel = yread_double(r, n, "rel", 0, 1e9, 0);
	if (ex && !(ex->allowed_modes & (1u << m->mode))) {
		struct buf allowed = BUF_INIT;
		for (int i = 0; outdiff_mode_names[i]; i++)
			if (ex->allowed_modes & (1u << i))
				buf_printf(&allowed, "%s%s", allowed.len ? ", " : "", outdiff_mode_names[i]);
		yread_error(r, ydoc_get(n, "mode"),
			    "compare mode '%s' is not allowed for this exercise (allowed: %s)",
			    outdiff_mode_name(m->mode), buf_str(&allowed));
		buf_free(&allowed);
	}
	if (ex && m->abs > ex->max_abs)
		yread_error(r, ydoc_get(n, "abs"),
			    "'abs' tolerance %g is looser than this exercise allows (at most %g)",
			    m->abs, ex->max_abs);
	if (ex && m->rel > ex->max_rel)
		yread_error(r, ydoc_get(n, "rel"),
			    "'rel' tolerance %g is looser than this exercise allows (at most %g)",
			    m->rel, ex->max_rel);
}

/* A manifest's 'benchmark' section (n, or NULL): a file, or an input made by the generator
 * (which must be read before). */
static void read_benchmark(struct yread *r, const struct ydoc_node *n, struct spec_conversion *m)
{
	static const char *const keys[] = {"file", "generate", NULL};
	static const char *const gen_keys[] = {"seed", "size", NULL};
	const struct ydoc_node *g;

	if (!n)
		return;
	g = ydoc_get(n, "generate");
	yread_map(r, n, "'benchmark'", keys, NULL);
	m->bench_file = read_path(r, n, "file", NULL);
	if (g && yread_map(r, g, "'benchmark.generate'", gen_keys, (const char *const[]){"size", NULL}) == 0) {
		m->bench_seed = (int)yread_int(r, g, "seed", 0, 1000000000, 1);
		m->bench_size = (int)yread_int(r, g, "size", 1, 1000000000, 1);
		if (!m->generator && !m->bench_file)
			yread_error(r, g, "'benchmark.generate' needs a 'generator' to make the input");
	}
	if (!m->bench_file && !g)
		yread_error(r, n, "'benchmark' needs 'file' or 'generate'");
	if (m->bench_file && g)
		yread_error(r, n, "'benchmark' takes 'file' or 'generate', not both");
}

/* What only a comparison manifest has: 'project' (required) and the learner's 'claims'. */
static void read_project_claims(struct yread *r, const struct ydoc_node *root, struct spec_conversion *m)
{
	static const char *const keys[] = {"speedup",           "memory_ratio",     "python_loc",
					   "rust_loc",          "python_functions", "rust_functions",
					   "python_complexity", "rust_complexity",  NULL};
	const struct ydoc_node *n;

	m->project = dup_or_null(yread_str(r, root, "project", NULL));
	if (!m->project)
		yread_error(r, root, "the comparison manifest needs 'project' (what the pair implements)");
	if ((n = ydoc_get(root, "claims"))) {
		yread_map(r, n, "'claims'", keys, NULL);
		m->claim_speedup = yread_double(r, n, "speedup", 0.0001, 1e6, 0);
		m->claim_memory_ratio = yread_double(r, n, "memory_ratio", 0.0001, 1e6, 0);
		m->claim_python_loc = (int)yread_int(r, n, "python_loc", 1, 1000000, 0);
		m->claim_rust_loc = (int)yread_int(r, n, "rust_loc", 1, 1000000, 0);
		m->claim_python_functions = (int)yread_int(r, n, "python_functions", 0, 1000000, -1);
		m->claim_rust_functions = (int)yread_int(r, n, "rust_functions", 0, 1000000, -1);
		m->claim_python_complexity = (int)yread_int(r, n, "python_complexity", 1, 10000000, 0);
		m->claim_rust_complexity = (int)yread_int(r, n, "rust_complexity", 1, 10000000, 0);
	} else {
		m->claim_python_functions = m->claim_rust_functions = -1;
	}
}

/* Reads a loaded manifest (which it frees); `path` names it in messages. */
static struct spec_conversion *conversion_from_doc(struct ydoc *doc, const char *path,
						   const struct spec_exercise *ex, bool comparison,
						   struct buf *err)
{
	static const char *const keys4[] = {"python",  "rust",      "args",      "cases", "compare",
					    "outputs", "generator", "benchmark", NULL};
	static const char *const keys2[] = {"project",   "python", "rust",  "args",      "compare",
					    "benchmark", "claims", "notes", "generator", NULL};
	static const char *const req_own[] = {"python", "rust", NULL};
	static const char *const req_fixed[] = {"rust", NULL};
	const char *const *req = ex && ex->original ? req_fixed : req_own;
	static const char *const gen_keys[] = {"script", "seeds", "size", NULL};
	struct yread r = {.file = path, .errors = err};
	struct spec_conversion *m;
	const struct ydoc_node *n;

	if (!doc)
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->path = xstrdup(path);
	if (yread_map(&r, doc->root, comparison ? "the comparison manifest" : "the exercise manifest",
		      comparison ? keys2 : keys4, req) < 0 &&
	    (!doc->root || doc->root->type != YDOC_MAP))
		goto out;
	read_program(&r, doc->root, m, comparison);
	m->args = dup_strs(&r, doc->root, "args", &m->nargs);
	m->stdin_input = true;
	for (size_t i = 0; i < m->nargs; i++)
		if (strstr(m->args[i], "{input}"))
			m->stdin_input = false;
	m->cases = read_path(&r, doc->root, "cases", "cases");
	read_manifest_compare(&r, ydoc_get(doc->root, "compare"), ex, m);
	m->outputs = dup_strs(&r, doc->root, "outputs", &m->noutputs);
	for (size_t i = 0; i < m->noutputs; i++)
		if (!safe_relpath(m->outputs[i]))
			yread_error(&r, ydoc_get(doc->root, "outputs"),
				    "output file '%s' must be a relative path", m->outputs[i]);
	if ((n = ydoc_get(doc->root, "generator"))) {
		yread_map(&r, n, "'generator'", gen_keys, (const char *const[]){"script", NULL});
		m->generator = read_path(&r, n, "script", NULL);
		m->seeds = (int)yread_int(&r, n, "seeds", 0, 100000, 10);
		m->gen_size = (int)yread_int(&r, n, "size", 1, 100000000, 100);
		if (ex && m->seeds > ex->max_generated)
			yread_error(&r, ydoc_get(n, "seeds"),
				    "%d generated cases is more than this exercise allows (at most %d)",
				    m->seeds, ex->max_generated);
	}
	read_benchmark(&r, ydoc_get(doc->root, "benchmark"), m);
	if (comparison)
		read_project_claims(&r, doc->root, m);
out:
	ydoc_free(doc);
	if (r.nerrors) {
		spec_conversion_free(m);
		return NULL;
	}
	return m;
}

struct spec_conversion *spec_load_conversion(const char *path, const struct spec_exercise *ex,
					     bool comparison, struct buf *err)
{
	return conversion_from_doc(ydoc_load_file(path, err), path, ex, comparison, err);
}

struct spec_conversion *spec_conversion_from_string(const char *name, const char *data, size_t len,
						    const struct spec_exercise *ex, bool comparison,
						    struct buf *err)
{
	return conversion_from_doc(ydoc_load_string(name, data, len, err), name, ex, comparison, err);
}

struct spec_conversion *spec_load_conversion_in(const char *dir, const char *rel,
						const struct spec_exercise *ex, bool comparison,
						struct buf *err)
{
	return conversion_from_doc(ydoc_load_beneath(dir, rel, err), rel, ex, comparison, err);
}

int spec_check_answers(const char *path, const struct spec_exercise *ex, struct buf *err)
{
	const struct spec_answers *a = &ex->answers;
	struct yread r = {.file = path, .errors = err};
	struct ydoc *doc = ydoc_load_file(path, err);
	const struct ydoc_node *list;

	if (!doc)
		return 1;
	list = ydoc_get(doc->root, a->list_key);
	if (!doc->root || doc->root->type != YDOC_MAP || !list) {
		yread_error(&r, doc->root, "expected a map with the key '%s' holding a list of entries",
			    a->list_key);
	} else if (list->type != YDOC_SEQ) {
		yread_error(&r, list, "'%s' must be a list of entries, not a %s", a->list_key,
			    ydoc_type_name(list->type));
	} else {
		if ((int)list->n < a->min_entries)
			yread_error(&r, list, "%zu entr%s in '%s'; at least %d are needed", list->n,
				    list->n == 1 ? "y" : "ies", a->list_key, a->min_entries);
		for (size_t i = 0; i < list->n; i++) {
			const struct ydoc_node *e = list->items[i];
			if (e->type != YDOC_MAP) {
				yread_error(&r, e, "entry %zu must be a map with %s", i + 1, a->fields[0]);
				continue;
			}
			for (size_t f = 0; f < a->nfields; f++)
				if (!ydoc_filled(ydoc_get(e, a->fields[f])))
					yread_error(&r, e, "entry %zu has no '%s'", i + 1, a->fields[f]);
			if (a->url_key) {
				const struct ydoc_node *u = ydoc_get(e, a->url_key);
				struct buf why = BUF_INIT;
				if (u && u->type == YDOC_SCALAR && source_check(u->value, NULL, &why) < 0)
					yread_error(&r, u, "entry %zu: '%s': %s %s", i + 1, a->url_key,
						    u->value, why.data);
				buf_free(&why);
			}
		}
	}
	ydoc_free(doc);
	return r.nerrors;
}

static const struct spec_exercise *find_kind(const struct spec_chapter *c, enum spec_kind k, const char *file)
{
	for (size_t i = 0; c && i < c->nexercises; i++) {
		const struct spec_exercise *e = c->exercises[i];
		const char *f = e->kind == SPEC_ANSWERS ? e->answers.file : e->manifest;
		const char *base = f ? strrchr(f, '/') : NULL;
		base = base ? base + 1 : f;
		if (e->kind == k && base && !strcmp(base, file))
			return e;
	}
	return NULL;
}

/* Where `key` of the map `m` is written (the key itself), for messages; the map's place when
 * the key is absent. */
static struct ydoc_node key_at(const struct ydoc_node *m, const char *key)
{
	struct ydoc_node at = {.line = m ? m->line : 1, .col = m ? m->col : 1};

	for (size_t i = 0; m && m->type == YDOC_MAP && i < m->n; i++)
		if (!strcmp(m->keys[i], key)) {
			at.line = m->key_lines[i];
			at.col = m->key_cols[i];
		}
	return at;
}

/* A name in the folder of `rel` (beneath `root`) within two edits of rel's last part, or NULL;
 * malloc'ed. */
static char *closest_sibling(const char *root, const char *rel)
{
	struct buf dir = BUF_INIT;
	const char *slash = strrchr(rel, '/'), *name = slash ? slash + 1 : rel, *best;
	const char **names = NULL;
	size_t n = 0;
	char *found = NULL;
	struct dirent *d;
	DIR *dp;
	int fd;

	buf_append(&dir, rel, slash ? (size_t)(slash - rel) : 0);
	fd = dir.len ? fs_open_beneath(root, dir.data, O_RDONLY | O_DIRECTORY)
		     : open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	buf_free(&dir);
	if (fd < 0 || !(dp = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((d = readdir(dp)) && n < 1000) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		names = xreallocarray(names, n + 2, sizeof(*names));
		names[n] = xstrdup(d->d_name);
		names[++n] = NULL;
	}
	best = names ? ydoc_closest(name, names) : NULL;
	if (best)
		found = xstrdup(best);
	for (size_t i = 0; i < n; i++)
		free((char *)names[i]);
	free(names);
	closedir(dp);
	return found;
}

/* Records an error unless `rel` (a path relative to the submission `root`) is a folder (want_dir)
 * or a regular file there, reached without symbolic links, as the grader reads it. `key` and `at`
 * say where the manifest names it, `named` how. */
static void check_beneath(struct yread *r, const struct ydoc_node *at, const char *root, const char *rel,
			  bool want_dir, const char *key, const char *named)
{
	int fd = fs_open_beneath(root, rel, want_dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	struct stat st = {0};
	char *near;

	if (fd >= 0) {
		bool ok = fstat(fd, &st) == 0 && (want_dir || S_ISREG(st.st_mode));
		close(fd);
		if (!ok)
			yread_error(r, at, "'%s' names %s (%s in the submission), which is %s, not a file",
				    key, named, rel, S_ISDIR(st.st_mode) ? "a folder" : "a pipe or a device");
		return;
	}
	switch (errno) {
	case ENOENT:
		near = closest_sibling(root, rel);
		if (near)
			yread_error(r, at, "'%s' names %s (%s in the submission), which does not exist (did you mean '%s'?)",
				    key, named, rel, near);
		else
			yread_error(r, at, "'%s' names %s (%s in the submission), which does not exist",
				    key, named, rel);
		free(near);
		break;
	case ENOTDIR:
		yread_error(r, at, "'%s' names %s (%s in the submission), which is not a %s", key, named,
			    rel, want_dir ? "folder" : "file (a part of its path is a file)");
		break;
	case ELOOP:
	case EXDEV:
		yread_error(r, at,
			    "'%s' names %s (%s in the submission), which is a symbolic link or leads through one: "
			    "the grader reads only files inside your repository, never through links",
			    key, named, rel);
		break;
	default:
		yread_error(r, at, "'%s' names %s (%s in the submission): %s", key, named, rel, strerror(errno));
		break;
	}
}

/* `rel` of the manifest (relative to its folder `base`) as a path relative to the submission. */
static void manifest_rel(struct buf *out, const char *base, const char *rel)
{
	buf_reset(out);
	if (!*base || !strcmp(base, "."))
		buf_puts(out, rel);
	else
		fs_join(out, base, rel);
}

/* check_beneath() of the path that `key` of the map `node` names, when it names one. Leaves the
 * path (relative to the submission) in `rel` and the key's place in `at`. Returns 0 when the path
 * is there, 1 when not (an error recorded), -1 when the key names nothing. */
static int check_named(struct yread *r, const struct ydoc_node *node, const char *key, bool want_dir,
		       const char *what, const char *root, const char *base, struct buf *rel,
		       struct ydoc_node *at)
{
	const struct ydoc_node *v = ydoc_get(node, key);
	int before = r->nerrors;

	if (!v || v->type != YDOC_SCALAR)
		return -1;
	*at = key_at(node, key);
	manifest_rel(rel, base, v->value);
	check_beneath(r, at, root, rel->data, want_dir, key, what);
	return r->nerrors == before ? 0 : 1;
}

int spec_check_manifest_paths(const char *root, const char *shown, const struct spec_exercise *ex,
			      struct buf *err)
{
	struct yread r = {.file = shown, .errors = err};
	struct buf scratch = BUF_INIT, base = BUF_INIT, rel = BUF_INIT;
	struct ydoc *doc;
	const struct ydoc_node *m;
	struct ydoc_node at;

	if (!ex->manifest)
		return 0;
	doc = ydoc_load_beneath(root, ex->manifest, &scratch);
	if (!doc || !doc->root || doc->root->type != YDOC_MAP) {
		/* A manifest that does not load was reported as such; one that loads only through a
		 * link is refused by the grader. */
		if (!doc && (errno == ELOOP || errno == EXDEV))
			yread_error(&r, NULL,
				    "%s is a symbolic link or leads through one: the grader reads only files "
				    "inside your repository, never through links",
				    ex->manifest);
		goto out;
	}
	m = doc->root;
	buf_puts(&base, ex->manifest);
	{
		char *slash = strrchr(base.data, '/');
		buf_setlen(&base, slash ? (size_t)(slash - base.data) : 0);
	}
	if (!ex->original)
		check_named(&r, ydoc_get(m, "python"), "script", false, "the Python script", root,
			    base.data, &rel, &at);
	if (check_named(&r, ydoc_get(m, "rust"), "package", true, "the Rust package", root, base.data,
			&rel, &at) == 0) {
		size_t folder = rel.len;
		buf_puts(&rel, "/Cargo.toml");
		if (!fs_is_file_beneath(root, rel.data))
			yread_error(&r, &at,
				    "'package' names %s (%.*s in the submission), which has no Cargo.toml: "
				    "name the folder of your cargo project",
				    ydoc_get(ydoc_get(m, "rust"), "package")->value, (int)folder, rel.data);
	}
	if (ex->kind == SPEC_CONVERSION) {
		if (ydoc_get(m, "cases")) {
			check_named(&r, m, "cases", true, "the cases folder", root, base.data, &rel, &at);
		} else if (ex->min_cases > 0) {
			buf_reset(&rel);
			manifest_rel(&rel, base.data, "cases");
			if (!fs_exists_beneath(root, rel.data))
				yread_error(&r, m,
					    "no 'cases' folder: %s (the default when 'cases' is not given) does not exist, "
					    "and the exercise needs at least %d case%s",
					    rel.data, ex->min_cases, ex->min_cases == 1 ? "" : "s");
			else
				check_beneath(&r, m, root, rel.data, true, "cases", "the default cases folder");
		}
	}
	check_named(&r, ydoc_get(m, "generator"), "script", false, "the generator", root, base.data, &rel, &at);
	check_named(&r, ydoc_get(m, "benchmark"), "file", false, "the benchmark input", root, base.data,
		    &rel, &at);
	if (ex->kind == SPEC_CONVERSION && ex->notes.file && !fs_is_file_beneath(root, ex->notes.file)) {
		buf_reset(&rel);
		if (strcmp(root, "."))
			fs_join(&rel, root, ex->notes.file);
		else
			buf_puts(&rel, ex->notes.file);
		buf_printf(err, "%s: %s: exercise %s asks for your notes in this file\n", rel.data,
			   fs_exists_beneath(root, ex->notes.file) ? "not a regular file inside the submission (a link?)"
								   : "does not exist",
			   ex->id);
		r.nerrors++;
	}
out:
	ydoc_free(doc);
	buf_free(&scratch);
	buf_free(&base);
	buf_free(&rel);
	return r.nerrors;
}

/* Validates one learner file named by the chapter, relative to a submission root. */
static int validate_learner_file(const char *path, const struct spec_exercise *e, struct buf *done,
				 struct buf *err)
{
	int n = 0;

	if (e->kind == SPEC_ANSWERS) {
		n = spec_check_answers(path, e, err);
	} else {
		struct spec_conversion *m = spec_load_conversion(path, e, e->kind == SPEC_COMPARISON, err);
		n = m ? 0 : 1;
		spec_conversion_free(m);
	}
	buf_printf(done, "checked: %s (%s of %s)\n", path,
		   e->kind == SPEC_ANSWERS ? "answers" : "manifest", e->id);
	return n;
}

/* A chapter folder (`index` is its chapter.yaml): the chapter, its specs and their catalogs. */
static int validate_chapter(const char *path, const char *index, struct buf *done, struct buf *err)
{
	struct spec_chapter *c = spec_load_chapter(path, err);
	int n = c ? 0 : 1;

	for (size_t i = 0; c && i < c->nexercises; i++) {
		struct buf cat = BUF_INIT;
		buf_printf(done, "checked: %s\n", c->exercises[i]->path);
		if (c->exercises[i]->kind == SPEC_ANSWERS && c->exercises[i]->answers.catalog) {
			fs_join(&cat, c->dir, c->exercises[i]->answers.catalog);
			n += catalog_check(cat.data, err);
			buf_printf(done, "checked: %s\n", cat.data);
		}
		buf_free(&cat);
	}
	buf_printf(done, "checked: %s\n", index);
	spec_chapter_free(c);
	return n;
}

/* A submission folder: every learner file of the chapter that it has. */
static int validate_submission(const char *path, const struct spec_chapter *chapter, struct buf *done,
			       struct buf *err)
{
	struct buf p = BUF_INIT;
	int n = 0;

	if (!chapter) {
		buf_printf(err, "%s: a folder with no chapter.yaml; to check a submission, name the chapter's specs (--spec)\n",
			   path);
		return -1;
	}
	for (size_t i = 0; i < chapter->nexercises; i++) {
		const struct spec_exercise *e = chapter->exercises[i];
		const char *f = e->kind == SPEC_ANSWERS ? e->answers.file : e->manifest;
		fs_join(&p, path, f);
		if (fs_is_file(p.data)) {
			int bad = validate_learner_file(p.data, e, done, err);
			/* the paths it names, once it is valid itself */
			if (!bad && e->kind != SPEC_ANSWERS)
				bad = spec_check_manifest_paths(path, p.data, e, err);
			n += bad;
		} else
			buf_printf(done, "missing: %s (exercise %s)\n", p.data, e->id);
	}
	buf_free(&p);
	return n;
}

/* A learner file known by its name `base` (exercise.yaml, ...), checked against the chapter's
 * spec for it; in its place in a submission (.../ex4/exercise.yaml), the paths it names too. */
static int validate_learner_named(const char *path, const char *base, const struct spec_chapter *chapter,
				  struct buf *done, struct buf *err)
{
	static const struct {
		const char *file;
		enum spec_kind kind;
	} learner[] = {
		{"exercise.yaml", SPEC_CONVERSION},
		{"comparison.yaml", SPEC_COMPARISON},
		{"organisations.yaml", SPEC_ANSWERS},
		{"libraries.yaml", SPEC_ANSWERS},
	};
	int n;

	for (size_t i = 0; i < sizeof(learner) / sizeof(learner[0]); i++) {
		const struct spec_exercise *e;
		if (strcmp(base, learner[i].file))
			continue;
		e = find_kind(chapter, learner[i].kind, base);
		if (!e) {
			buf_printf(err, "%s: the chapter's specs name no exercise for a file called %s (use --spec)\n",
				   path, base);
			return 1;
		}
		n = validate_learner_file(path, e, done, err);
		if (!n && e->kind != SPEC_ANSWERS) {
			size_t lp = strlen(path), lm = strlen(e->manifest);
			struct buf root = BUF_INIT;
			if (lp == lm && !strcmp(path, e->manifest))
				buf_puts(&root, ".");
			else if (lp > lm && path[lp - lm - 1] == '/' && !strcmp(path + lp - lm, e->manifest))
				buf_append(&root, path, lp - lm - 1 ? lp - lm - 1 : 1);
			if (root.len)
				n = spec_check_manifest_paths(root.data, path, e, err);
			buf_free(&root);
		}
		return n;
	}
	buf_printf(err, "%s: not a file the grader knows (a chapter, exercise spec, catalog, exercise.yaml, comparison.yaml, organisations.yaml or libraries.yaml)\n",
		   path);
	return -1;
}

int spec_validate_path(const char *path, const struct spec_chapter *chapter, struct buf *done, struct buf *err)
{
	struct buf p = BUF_INIT, copy = BUF_INIT;
	struct ydoc *doc = NULL;
	const char *base;
	int n = -1;

	fs_join(&p, path, "chapter.yaml");
	if (fs_is_dir(path) && fs_is_file(p.data)) {
		n = validate_chapter(path, p.data, done, err);
		goto out;
	}
	if (fs_is_dir(path)) {
		n = validate_submission(path, chapter, done, err);
		goto out;
	}
	buf_puts(&copy, path);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!strcmp(base, "chapter.yaml")) {
		n = spec_validate_path(dirname(copy.data), chapter, done, err);
		goto out;
	}
	doc = ydoc_load_file(path, err);
	if (!doc) {
		n = 1;
		goto out;
	}
	if (!doc->root) {
		buf_printf(err, "%s:1:1: the file is empty\n", path);
		n = 1;
	} else if (ydoc_get(doc->root, "catalog")) {
		n = catalog_check(path, err);
		buf_printf(done, "checked: %s (catalog)\n", path);
	} else if (ydoc_get(doc->root, "kind") || ydoc_get(doc->root, "rubric")) {
		struct spec_exercise *e = spec_load_exercise(path, err);
		n = e ? 0 : 1;
		buf_printf(done, "checked: %s (exercise spec)\n", path);
		spec_exercise_free(e);
	} else {
		n = validate_learner_named(path, base, chapter, done, err);
	}
out:
	ydoc_free(doc);
	buf_free(&p);
	buf_free(&copy);
	return n;
}
