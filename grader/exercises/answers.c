/* answers.c: exercises 1 and 3, research answers checked against catalogs (see answers.h). */
#include "exercises/answers.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "ydoc.h"
#include "banned.h"

void answers_normalise(const char *name, struct buf *out)
{
	buf_reset(out);
	for (const char *s = name; *s; s++)
		if (isalnum((unsigned char)*s))
			buf_append(out, &(char){(char)tolower((unsigned char)*s)}, 1);
}

/* The catalog entry that `name` matches by name or alias, or NULL. */
static const struct ydoc_node *catalog_match(const struct ydoc_node *entries, const char *name)
{
	struct buf want = BUF_INIT, have = BUF_INIT;
	const struct ydoc_node *hit = NULL;

	answers_normalise(name, &want);
	for (size_t i = 0; entries && entries->type == YDOC_SEQ && i < entries->n && !hit && want.len; i++) {
		const struct ydoc_node *e = entries->items[i], *n = ydoc_get(e, "name"),
				       *aliases = ydoc_get(e, "aliases");
		if (n && n->type == YDOC_SCALAR) {
			answers_normalise(n->value, &have);
			if (!strcmp(want.data, have.data))
				hit = e;
		}
		for (size_t j = 0; !hit && aliases && aliases->type == YDOC_SEQ && j < aliases->n; j++) {
			if (aliases->items[j]->type != YDOC_SCALAR)
				continue;
			answers_normalise(aliases->items[j]->value, &have);
			if (!strcmp(want.data, have.data))
				hit = e;
		}
	}
	buf_free(&want);
	buf_free(&have);
	return hit;
}

static const char *scalar(const struct ydoc_node *e, const char *key)
{
	const struct ydoc_node *v = ydoc_get(e, key);
	return v && v->type == YDOC_SCALAR ? v->value : NULL;
}

#define NAMED_MAX 5 /* entries named in one message; the others are counted */

/* Appends "entry N (name)" to a message, or "entry N" for an entry without a name; a long name
 * is cut. */
static void put_entry(struct buf *b, size_t i, const char *name)
{
	size_t n = name ? strlen(name) : 0;

	buf_printf(b, "entry %zu", i + 1);
	if (!n)
		return;
	if (n > 60) {
		n = 57;
		while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
			n--;
	}
	buf_printf(b, " (%.*s%s)", (int)n, name, n < strlen(name) ? "…" : "");
}

/* Starts the next item of a list of named entries in `b`: "; " between items, and nothing once
 * NAMED_MAX are named (the caller then only counts; see end_named). Returns false when the item
 * is not to be written. */
static bool next_named(struct buf *b, size_t *count)
{
	if ((*count)++ >= NAMED_MAX)
		return false;
	if (b->len)
		buf_puts(b, "; ");
	return true;
}

static void end_named(struct buf *b, size_t count)
{
	if (count > NAMED_MAX)
		buf_printf(b, "; and %zu more", count - NAMED_MAX);
}

/* Appends what is wrong with an entry's link `u` (spec_url_ok() refused it). */
static void put_url_problem(struct buf *b, const char *key, const char *u)
{
	int n = u && strlen(u) > 80 ? 77 : 80;
	const char *more = u && strlen(u) > 80 ? "…" : "";

	if (!u || !*u)
		buf_printf(b, " gives no '%s': add an https link that supports it", key);
	else if (!strncmp(u, "http://", 7))
		buf_printf(b, " cites %.*s%s: use an https link", n, u, more);
	else if (strncmp(u, "https://", 8))
		buf_printf(b, " gives '%.*s%s' as its '%s', which is not an https link", n, u, more, key);
	else
		buf_printf(b,
			   " cites %.*s%s, which is not a real page (a placeholder, or no host): link the "
			   "page that supports it",
			   n, u, more);
}

/* What the entries of a list came to, entry by entry: counts, and the named problems (at most
 * NAMED_MAX of each, see next_named). */
struct tally {
	const struct spec_answers *a;
	const struct ydoc_node *list, *entries; /* the learner's list; the catalog's entries or NULL */
	struct buf norm, seen, dups, incomplete, uncited, unknown, general;
	size_t ndups, nincomplete, nuncited, nunknown, ngeneral;
	size_t n, distinct, complete, cited, known, not_ml;
};

static void tally_free(struct tally *t)
{
	buf_free(&t->norm);
	buf_free(&t->seen);
	buf_free(&t->dups);
	buf_free(&t->incomplete);
	buf_free(&t->uncited);
	buf_free(&t->unknown);
	buf_free(&t->general);
}

/* Entry `i`'s fields and source. */
static void tally_fields(struct tally *t, size_t i, const struct ydoc_node *it, const char *name)
{
	const struct spec_answers *a = t->a;
	bool ok = it->type == YDOC_MAP;
	size_t lacking = 0;

	for (size_t f = 0; it->type == YDOC_MAP && f < a->nfields; f++) {
		if (ydoc_filled(ydoc_get(it, a->fields[f])))
			continue;
		ok = false;
		if (!lacking++ && next_named(&t->incomplete, &t->nincomplete)) {
			put_entry(&t->incomplete, i, name);
			buf_printf(&t->incomplete, " lacks %s", a->fields[f]);
		} else if (lacking > 1 && t->nincomplete <= NAMED_MAX) {
			buf_printf(&t->incomplete, ", %s", a->fields[f]);
		}
	}
	if (it->type != YDOC_MAP && next_named(&t->incomplete, &t->nincomplete)) {
		put_entry(&t->incomplete, i, NULL);
		buf_puts(&t->incomplete, " is not a map of fields");
	}
	t->complete += ok;
	if (a->url_key && spec_url_ok(scalar(it, a->url_key))) {
		t->cited++;
	} else if (a->url_key && next_named(&t->uncited, &t->nuncited)) {
		put_entry(&t->uncited, i, name);
		put_url_problem(&t->uncited, a->url_key, scalar(it, a->url_key));
	}
}

/* A new entry `name` (entry `i`) against the catalog. */
static void tally_match(struct tally *t, size_t i, const char *name, struct result_ev *ev)
{
	const struct ydoc_node *hit = catalog_match(t->entries, name);

	if (hit) {
		const char *ml = scalar(hit, "ml"), *maint = scalar(hit, "maintained");
		t->known++;
		result_ev_str(ev, "status", "verified");
		result_ev_str(ev, "catalog_source", scalar(hit, "source"));
		if (ml && !strcmp(ml, "false")) {
			t->not_ml++;
			if (next_named(&t->general, &t->ngeneral)) {
				put_entry(&t->general, i, name);
				buf_puts(&t->general, " is a general-purpose crate, not an ML library");
			}
			result_ev_str(ev, "note",
				      "not an ML library itself (a general-purpose crate used around ML)");
		} else if (maint && !strcmp(maint, "false")) {
			result_ev_str(ev, "note", "no longer maintained: prefer an active alternative");
		}
	} else {
		result_ev_str(ev, "status", "review");
		if (next_named(&t->unknown, &t->nunknown)) {
			put_entry(&t->unknown, i, name);
			buf_puts(&t->unknown, " is not in the course catalog");
		}
	}
}

/* Entry `i` repeats an earlier one (t->norm is its normalised name): names the first. */
static void tally_duplicate(struct tally *t, size_t i, const char *name)
{
	size_t first = 0;
	struct buf other = BUF_INIT;

	for (; first < i; first++) {
		const char *o = scalar(t->list->items[first], t->a->name_key);
		answers_normalise(o ? o : "", &other);
		buf_puts(&other, "\n");
		if (!strcmp(other.data, t->norm.data))
			break;
	}
	buf_free(&other);
	put_entry(&t->dups, i, name);
	buf_puts(&t->dups, " repeats ");
	put_entry(&t->dups, first, scalar(t->list->items[first], t->a->name_key));
}

/* Goes through the list, entry by entry, each into the verified check's evidence `vev`. */
static void tally_entries(struct tally *t, struct result_ev *vev)
{
	const struct spec_answers *a = t->a;

	t->n = t->list->n;
	buf_puts(&t->seen, "\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct ydoc_node *it = t->list->items[i];
		const char *name = scalar(it, a->name_key);
		struct result_ev *ev = result_ev_list_add(vev, "entries");

		tally_fields(t, i, it, name);
		result_ev_str(ev, "name", name);
		if (!name)
			continue;
		answers_normalise(name, &t->norm);
		buf_puts(&t->norm, "\n");
		if (!strstr(t->seen.data, t->norm.data)) {
			buf_printf(&t->seen, "%s", t->norm.data + 0);
			buf_puts(&t->seen, "\n");
			t->distinct++;
			tally_match(t, i, name, ev);
		} else {
			result_ev_str(ev, "status", "duplicate");
			if (next_named(&t->dups, &t->ndups))
				tally_duplicate(t, i, name);
		}
	}
	end_named(&t->dups, t->ndups);
	end_named(&t->incomplete, t->nincomplete);
	end_named(&t->uncited, t->nuncited);
	end_named(&t->unknown, t->nunknown);
	end_named(&t->general, t->ngeneral);
}

static void judge_count(const struct tally *t, struct result_check *count)
{
	const struct spec_answers *a = t->a;

	result_ev_int(result_check_ev(count), "distinct", (long long)t->distinct);
	result_ev_int(result_check_ev(count), "required", a->min_entries);
	if ((int)t->distinct >= a->min_entries)
		result_check_set(count, RESULT_PASS, count->max_points, "%zu distinct entries", t->distinct);
	else
		result_check_set(count, RESULT_FAIL, count->max_points * (double)t->distinct / a->min_entries,
				 "%zu distinct entr%s; at least %d are needed%s%s%s", t->distinct,
				 t->distinct == 1 ? "y" : "ies", a->min_entries, t->dups.len ? " (" : "",
				 buf_str(&t->dups), t->dups.len ? ")" : "");
}

static void judge_fields(const struct tally *t, struct result_check *fields)
{
	const struct spec_answers *a = t->a;
	size_t n = t->n;

	if (n && t->complete == n) {
		result_check_set(fields, RESULT_PASS, fields->max_points, "every entry has every field");
		return;
	}
	result_check_set(fields, t->complete ? RESULT_PARTIAL : RESULT_FAIL,
			 n ? fields->max_points * (double)t->complete / (double)n : 0, "%s",
			 n ? buf_str(&t->incomplete) : "the list has no entries");
	result_check_hint(fields, "each entry needs: %s", a->nfields ? a->fields[0] : "");
	for (size_t f = 1; f < a->nfields; f++) {
		char *h = fields->hint;
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s, %s", h, a->fields[f]);
		free(h);
		fields->hint = buf_detach(&b);
	}
}

static void judge_sources(const struct tally *t, struct result_check *sources)
{
	const struct spec_answers *a = t->a;
	size_t n = t->n;

	if (n && t->cited == n) {
		result_check_set(sources, RESULT_PASS, sources->max_points, "every entry cites an https source");
		return;
	}
	result_check_set(sources, t->cited ? RESULT_PARTIAL : RESULT_FAIL,
			 n ? sources->max_points * (double)t->cited / (double)n : 0, "%s",
			 n ? buf_str(&t->uncited) : "the list has no entries");
	result_check_hint(sources, "give each entry's '%s' as a real https:// link that supports it",
			  a->url_key ? a->url_key : "source");
}

static void judge_verified(const struct tally *t, struct result_check *verified)
{
	const struct spec_answers *a = t->a;
	/* Known entries earn full credit, unknown well-formed ones half until an instructor reviews. */
	size_t needed = (size_t)a->min_entries, counted = t->distinct < needed ? t->distinct : needed;
	size_t known = t->known, good = known - (t->not_ml < known ? t->not_ml : known);
	double credit = needed ? (double)(good < counted ? good : counted) / (double)needed : 0;
	double pending = needed && counted > good ? 0.5 * (double)(counted - good) / (double)needed : 0;

	if (!t->entries) {
		result_check_set(verified, RESULT_ERROR, 0, "the catalog %s could not be read",
				 a->catalog ? a->catalog : "(none)");
		return;
	}
	result_ev_int(result_check_ev(verified), "verified", (long long)known);
	result_ev_int(result_check_ev(verified), "not_ml", (long long)t->not_ml);
	if (good >= needed)
		result_check_set(verified, RESULT_PASS, verified->max_points,
				 "%zu entries match the catalog", known);
	else if (known < t->distinct)
		result_check_set(verified, RESULT_REVIEW, verified->max_points * (credit + pending),
				 "%s: %s wait%s for an instructor's review%s%s", t->unknown.data,
				 t->nunknown == 1 ? "it" : "they", t->nunknown == 1 ? "s" : "",
				 t->general.len ? "; " : "", buf_str(&t->general));
	else if (t->general.len)
		result_check_set(verified, RESULT_PARTIAL, verified->max_points * credit, "%s",
				 t->general.data);
	else
		result_check_set(verified, RESULT_PARTIAL, verified->max_points * credit,
				 "%zu entr%s match the catalog; %zu are needed", good,
				 good == 1 ? "y" : "ies", needed);
}

/* The learner's list from the answers file (into *doc, which the caller frees), or NULL with why
 * in `msg`. */
static const struct ydoc_node *load_list(const struct grade_ctx *g, const struct spec_answers *a,
					 struct ydoc **doc, struct buf *msg)
{
	struct buf err = BUF_INIT;
	const struct ydoc_node *list = NULL;

	if (!fs_exists_beneath(g->submission, a->file)) {
		buf_printf(msg, "%s not found", a->file);
		goto out;
	}
	*doc = ydoc_load_beneath(g->submission, a->file, &err);
	if (!*doc) {
		buf_printf(msg, "%s cannot be read: %s", a->file, err.data);
		goto out;
	}
	list = ydoc_get((*doc)->root, a->list_key);
	if (!list || list->type != YDOC_SEQ) {
		buf_printf(msg, "%s has no list '%s'", a->file, a->list_key);
		list = NULL;
	}
out:
	buf_free(&err);
	return list;
}

void grade_answers(const struct grade_ctx *g, const struct spec_exercise *ex, struct result_exercise *e,
		   struct result_report *r)
{
	const struct spec_answers *a = &ex->answers;
	struct result_check *count =
		result_check_add(e, "count", "enough distinct entries", spec_points(ex, "count"));
	struct result_check *fields =
		result_check_add(e, "fields", "every entry is complete", spec_points(ex, "fields"));
	struct result_check *sources = result_check_add(e, "sources", "every entry cites an https source",
							spec_points(ex, "sources"));
	struct result_check *verified = result_check_add(e, "verified", "entries match the course catalog",
							 spec_points(ex, "verified"));
	struct buf err = BUF_INIT, cat_path = BUF_INIT, msg = BUF_INIT;
	struct ydoc *doc = NULL, *cat = NULL;
	struct tally t = {.a = a,
			  .norm = BUF_INIT,
			  .seen = BUF_INIT,
			  .dups = BUF_INIT,
			  .incomplete = BUF_INIT,
			  .uncited = BUF_INIT,
			  .unknown = BUF_INIT,
			  .general = BUF_INIT};

	(void)r;
	progress_stage(g->progress, "checking %s against the catalog", a->file);
	t.list = load_list(g, a, &doc, &msg);
	if (!t.list) {
		result_check_set(count, RESULT_FAIL, 0, "%s", msg.data);
		result_check_hint(count, "write %s as described in the exercise (see docs/submission.md)",
				  a->file);
		result_check_set(fields, RESULT_FAIL, 0, "not graded: %s", msg.data);
		result_check_set(sources, RESULT_FAIL, 0, "not graded: %s", msg.data);
		result_check_set(verified, RESULT_FAIL, 0, "not graded: %s", msg.data);
		goto out;
	}
	spec_resolve(ex, a->catalog ? a->catalog : "", &cat_path);
	if (a->catalog && (cat = ydoc_load_file(cat_path.data, &err)))
		t.entries = ydoc_get(cat->root, "entries");
	tally_entries(&t, result_check_ev(verified));
	judge_count(&t, count);
	judge_fields(&t, fields);
	judge_sources(&t, sources);
	judge_verified(&t, verified);
out:
	ydoc_free(doc);
	ydoc_free(cat);
	buf_free(&err);
	buf_free(&cat_path);
	buf_free(&msg);
	tally_free(&t);
}
