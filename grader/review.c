/* review.c: the class's review queue (see review.h). */
#include "review.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "text.h"
#include "views/rjson.h"
#include "xalloc.h"
#include "ydoc.h"
#include "banned.h"

#define LEARNERS_SHOWN 8 /* learners named on a group's line; the others are counted */

void review_catalog_name(const struct spec_exercise *ex, struct buf *out)
{
	struct buf path = BUF_INIT, err = BUF_INIT;
	struct ydoc *doc;
	const struct ydoc_node *n;
	const char *base, *dot;

	buf_reset(out);
	if (!ex->answers.catalog) {
		buf_puts(out, ex->id);
		return;
	}
	spec_resolve(ex, ex->answers.catalog, &path);
	doc = ydoc_load_file(path.data, &err);
	n = doc ? ydoc_get(doc->root, "catalog") : NULL;
	if (n && n->type == YDOC_SCALAR && n->len) {
		buf_puts(out, n->value);
	} else {
		base = strrchr(ex->answers.catalog, '/');
		base = base ? base + 1 : ex->answers.catalog;
		dot = strrchr(base, '.');
		buf_append(out, base, dot ? (size_t)(dot - base) : strlen(base));
	}
	ydoc_free(doc);
	buf_free(&path);
	buf_free(&err);
}

static void group_free(struct review_group *g)
{
	free(g->exercise);
	free(g->catalog);
	free(g->key);
	free(g->suggestion);
	for (size_t i = 0; i < g->nspellings; i++)
		free(g->spellings[i]);
	for (size_t i = 0; i < g->nlearners; i++)
		free(g->learners[i]);
	free(g->spellings);
	free(g->learners);
}

void review_free(struct review *rv)
{
	if (!rv)
		return;
	for (size_t i = 0; i < rv->nreview; i++)
		group_free(&rv->review[i]);
	for (size_t i = 0; i < rv->nsuggested; i++)
		group_free(&rv->suggested[i]);
	free(rv->review);
	free(rv->suggested);
	free(rv);
}

/* Adds `s` to a list of distinct strings. */
static void add_distinct(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

/* The group of (exercise, key) in a list, made when new. */
static struct review_group *group_of(struct review_group **v, size_t *n, const char *exercise,
				     const char *catalog, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].exercise, exercise) && !strcmp((*v)[i].key, key))
			return &(*v)[i];
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].exercise = xstrdup(exercise);
	(*v)[*n].catalog = xstrdup(catalog);
	(*v)[*n].key = xstrdup(key);
	return &(*v)[(*n)++];
}

static int str_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int group_order(const void *pa, const void *pb)
{
	const struct review_group *a = pa, *b = pb;
	int c;

	if (a->nlearners != b->nlearners)
		return a->nlearners > b->nlearners ? -1 : 1;
	if ((c = strcmp(a->key, b->key)))
		return c;
	return strcmp(a->exercise, b->exercise);
}

/* The catalog name of exercise `id` of the chapter, into `out` (the id when unknown). */
static void catalog_of(const struct spec_chapter *ch, const char *id, struct buf *out)
{
	for (size_t i = 0; ch && i < ch->nexercises; i++)
		if (!strcmp(ch->exercises[i]->id, id)) {
			review_catalog_name(ch->exercises[i], out);
			return;
		}
	buf_reset(out);
	buf_puts(out, id);
}

struct review *review_collect(const struct summary *s, const struct spec_chapter *ch)
{
	struct review *rv = xcalloc(1, sizeof(*rv));
	struct buf key = BUF_INIT, cat = BUF_INIT;
	const char *learner;
	const cJSON *r;

	for (size_t i = 0; (r = summary_report(s, i, &learner)); i++) {
		const cJSON *ex, *c, *en;
		cJSON_ArrayForEach(ex, rj_arr(r, "exercises"))
		{
			const char *eid = rj_str(ex, "id", NULL), *kind = rj_str(ex, "kind", NULL);
			if (!eid || !kind || strcmp(kind, "answers"))
				continue;
			catalog_of(ch, eid, &cat);
			cJSON_ArrayForEach(c, rj_arr(ex, "checks"))
			{
				if (strcmp(rj_str(c, "id", ""), "verified"))
					continue;
				cJSON_ArrayForEach(en, rj_arr(rj_obj(c, "evidence"), "entries"))
				{
					const char *st = rj_str(en, "status", ""),
						   *name = rj_str(en, "name", NULL);
					bool review = !strcmp(st, "review"),
					     suggested = !strcmp(st, "suggested");
					struct review_group *g;
					if (!name || !*name || (!review && !suggested))
						continue;
					buf_reset(&key);
					if (rj_str(en, "key", NULL) && *rj_str(en, "key", ""))
						buf_puts(&key, rj_str(en, "key", ""));
					else
						catalog_normalise(name, &key);
					if (!key.len)
						continue;
					g = review ? group_of(&rv->review, &rv->nreview, eid, cat.data, key.data)
						   : group_of(&rv->suggested, &rv->nsuggested, eid,
							      cat.data, key.data);
					if (suggested && !g->suggestion && rj_str(en, "suggestion", NULL))
						g->suggestion = xstrdup(rj_str(en, "suggestion", ""));
					add_distinct(&g->spellings, &g->nspellings, name);
					add_distinct(&g->learners, &g->nlearners, learner);
				}
			}
		}
	}
	for (size_t i = 0; i < rv->nreview; i++)
		qsort(rv->review[i].learners, rv->review[i].nlearners, sizeof(char *), str_order);
	for (size_t i = 0; i < rv->nsuggested; i++)
		qsort(rv->suggested[i].learners, rv->suggested[i].nlearners, sizeof(char *), str_order);
	if (rv->nreview)
		qsort(rv->review, rv->nreview, sizeof(*rv->review), group_order);
	if (rv->nsuggested)
		qsort(rv->suggested, rv->nsuggested, sizeof(*rv->suggested), group_order);
	buf_free(&key);
	buf_free(&cat);
	return rv;
}

/* ---- showing ---- */

static void put(FILE *f, const char *s)
{
	struct buf b = BUF_INIT;

	text_visible(&b, s, s ? strlen(s) : 0, NULL);
	fputs(b.data ? b.data : "", f);
	buf_free(&b);
}

static const char *short_id(const char *id)
{
	const char *dash = strrchr(id, '-');
	return dash ? dash + 1 : id;
}

/* "Candle Labs — 14 learners (alice, bob, …) [ex1]". */
static void put_group(FILE *f, const struct review_group *g)
{
	fputs("  ", f);
	put(f, g->spellings[0]);
	fprintf(f, " \u2014 %zu learner%s (", g->nlearners, g->nlearners == 1 ? "" : "s");
	for (size_t i = 0; i < g->nlearners && i < LEARNERS_SHOWN; i++) {
		fputs(i ? ", " : "", f);
		put(f, g->learners[i]);
	}
	if (g->nlearners > LEARNERS_SHOWN)
		fprintf(f, ", \u2026 %zu more", g->nlearners - LEARNERS_SHOWN);
	fputs(") [", f);
	put(f, short_id(g->exercise));
	fputs("]\n      key ", f);
	put(f, g->key);
	fputs(", catalog ", f);
	put(f, g->catalog);
	if (g->suggestion) {
		fputs(", did you mean '", f);
		put(f, g->suggestion);
		fputs("'?", f);
	}
	fputs("; spelt: ", f);
	for (size_t i = 0; i < g->nspellings; i++) {
		fputs(i ? ", \"" : "\"", f);
		put(f, g->spellings[i]);
		fputs("\"", f);
	}
	fputs("\n", f);
}

void review_print(const struct review *rv, const struct classcat *cc, bool hide_decided, FILE *f)
{
	size_t open = 0, decided = 0;

	for (size_t i = 0; i < rv->nreview; i++)
		*(classcat_find(cc, rv->review[i].catalog, rv->review[i].key) ? &decided : &open) += 1;
	fprintf(f, "Awaiting review: %zu name%s\n", open, open == 1 ? "" : "s");
	for (size_t i = 0; i < rv->nreview; i++)
		if (!classcat_find(cc, rv->review[i].catalog, rv->review[i].key))
			put_group(f, &rv->review[i]);
	if (decided && hide_decided) {
		fprintf(f, "Decided in the class catalog (hidden by --hide-decided): %zu name%s\n",
			decided, decided == 1 ? "" : "s");
	} else if (decided) {
		fprintf(f, "Decided in the class catalog, not yet regraded (grader batch ... --class-catalog FILE): %zu name%s\n",
			decided, decided == 1 ? "" : "s");
		for (size_t i = 0; i < rv->nreview; i++) {
			const struct review_group *g = &rv->review[i];
			const struct classcat_decision *d = classcat_find(cc, g->catalog, g->key);
			if (!d)
				continue;
			put_group(f, g);
			fprintf(f, "      %s by ", d->accepted ? "ACCEPTED" : "REJECTED");
			put(f, d->by);
			fputs(" on ", f);
			put(f, d->when);
			if (d->reason) {
				fputs(": ", f);
				put(f, d->reason);
			}
			fputs("\n", f);
		}
	}
	if (rv->nsuggested) {
		fprintf(f, "Near misses of catalog names (the learners must fix these; not for review): %zu\n",
			rv->nsuggested);
		for (size_t i = 0; i < rv->nsuggested; i++)
			put_group(f, &rv->suggested[i]);
	}
}

/* A string member made visible (text_visible), as the report's own are. */
static void add_visible(cJSON *o, const char *key, const char *s)
{
	struct buf b = BUF_INIT;

	if (!s) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	text_visible(&b, s, strlen(s), NULL);
	cJSON_AddStringToObject(o, key, b.data ? b.data : "");
	buf_free(&b);
}

static cJSON *groups_json(const struct review_group *v, size_t n, const struct classcat *cc)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < n; i++) {
		const struct review_group *g = &v[i];
		const struct classcat_decision *d = classcat_find(cc, g->catalog, g->key);
		cJSON *o = cJSON_CreateObject(), *sp, *le;
		if (!o)
			break;
		add_visible(o, "exercise", g->exercise);
		add_visible(o, "catalog", g->catalog);
		add_visible(o, "key", g->key);
		add_visible(o, "name", g->spellings[0]);
		if (g->suggestion)
			add_visible(o, "suggestion", g->suggestion);
		cJSON_AddNumberToObject(o, "count", (double)g->nlearners);
		sp = cJSON_AddArrayToObject(o, "spellings");
		for (size_t k = 0; sp && k < g->nspellings; k++) {
			struct buf b = BUF_INIT;
			text_visible(&b, g->spellings[k], strlen(g->spellings[k]), NULL);
			cJSON_AddItemToArray(sp, cJSON_CreateString(b.data ? b.data : ""));
			buf_free(&b);
		}
		le = cJSON_AddArrayToObject(o, "learners");
		for (size_t k = 0; le && k < g->nlearners; k++) {
			struct buf b = BUF_INIT;
			text_visible(&b, g->learners[k], strlen(g->learners[k]), NULL);
			cJSON_AddItemToArray(le, cJSON_CreateString(b.data ? b.data : ""));
			buf_free(&b);
		}
		if (d) {
			cJSON *dj = cJSON_AddObjectToObject(o, "decision");
			cJSON_AddStringToObject(dj, "verdict", d->accepted ? "accepted" : "rejected");
			add_visible(dj, "by", d->by);
			add_visible(dj, "when", d->when);
			add_visible(dj, "reason", d->reason);
		} else {
			cJSON_AddNullToObject(o, "decision");
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

void *review_json(const struct review *rv, const struct classcat *cc)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	cJSON_AddItemToObject(o, "review", groups_json(rv->review, rv->nreview, cc));
	cJSON_AddItemToObject(o, "suggested", groups_json(rv->suggested, rv->nsuggested, cc));
	return o;
}

/* ---- deciding ---- */

const struct review_group *review_group_at(const struct review *rv, size_t i)
{
	if (i < rv->nreview)
		return &rv->review[i];
	i -= rv->nreview;
	return i < rv->nsuggested ? &rv->suggested[i] : NULL;
}

static bool names(const struct review_group *g, const char *what, const char *norm)
{
	if (!strcmp(g->key, what) || (*norm && !strcmp(g->key, norm)))
		return true;
	for (size_t i = 0; i < g->nspellings; i++)
		if (!strcmp(g->spellings[i], what))
			return true;
	return false;
}

size_t review_find(const struct review *rv, const char *what, bool anywhere, size_t *idx, size_t max)
{
	struct buf norm = BUF_INIT;
	size_t n = 0;

	catalog_normalise(what, &norm);
	for (size_t i = 0; i < rv->nreview && n < max; i++)
		if (names(&rv->review[i], what, norm.data ? norm.data : ""))
			idx[n++] = i;
	for (size_t i = 0; anywhere && i < rv->nsuggested && n < max; i++)
		if (names(&rv->suggested[i], what, norm.data ? norm.data : ""))
			idx[n++] = rv->nreview + i;
	buf_free(&norm);
	return n;
}
