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
			if (!strcmp(want.data, buf_str(&have)))
				hit = e;
		}
		for (size_t j = 0; !hit && aliases && aliases->type == YDOC_SEQ && j < aliases->n; j++) {
			if (aliases->items[j]->type != YDOC_SCALAR)
				continue;
			answers_normalise(aliases->items[j]->value, &have);
			if (!strcmp(want.data, buf_str(&have)))
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
		buf_printf(b, " cites %.*s%s, which is not a real page (a placeholder, or no host): link the "
			      "page that supports it", n, u, more);
}

void grade_answers(const struct grade_ctx *g, const struct spec_exercise *ex,
		   struct result_exercise *e, struct result_report *r)
{
	const struct spec_answers *a = &ex->answers;
	struct result_check *count = result_check_add(e, "count", "enough distinct entries", spec_points(ex, "count"));
	struct result_check *fields = result_check_add(e, "fields", "every entry is complete", spec_points(ex, "fields"));
	struct result_check *sources = result_check_add(e, "sources", "every entry cites an https source", spec_points(ex, "sources"));
	struct result_check *verified = result_check_add(e, "verified", "entries match the course catalog", spec_points(ex, "verified"));
	struct buf err = BUF_INIT, cat_path = BUF_INIT, norm = BUF_INIT, seen = BUF_INIT,
		   msg = BUF_INIT, dups = BUF_INIT, incomplete = BUF_INIT, uncited = BUF_INIT,
		   unknown = BUF_INIT, general = BUF_INIT;
	size_t ndups = 0, nincomplete = 0, nuncited = 0, nunknown = 0, ngeneral = 0;
	struct ydoc *doc = NULL, *cat = NULL;
	const struct ydoc_node *list, *entries = NULL;
	size_t n, distinct = 0, complete = 0, cited = 0, known = 0, not_ml = 0;

	(void)r;
	progress_stage(g->progress, "checking %s against the catalog", a->file);
	if (!fs_exists_beneath(g->submission, a->file)) {
		buf_printf(&msg, "%s not found", a->file);
		goto missing;
	}
	doc = ydoc_load_beneath(g->submission, a->file, &err);
	if (!doc) {
		buf_printf(&msg, "%s cannot be read: %s", a->file, buf_str(&err));
		goto missing;
	}
	list = ydoc_get(doc->root, a->list_key);
	if (!list || list->type != YDOC_SEQ) {
		buf_printf(&msg, "%s has no list '%s'", a->file, a->list_key);
		goto missing;
	}
	spec_resolve(ex, a->catalog ? a->catalog : "", &cat_path);
	buf_reset(&err);
	if (a->catalog && (cat = ydoc_load_file(cat_path.data, &err)))
		entries = ydoc_get(cat->root, "entries");
	n = list->n;
	buf_puts(&seen, "\n");
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *it = list->items[i];
		const char *name = scalar(it, a->name_key);
		const struct ydoc_node *hit;
		struct result_ev *ev = result_ev_list_add(result_check_ev(verified), "entries");
		bool ok = it->type == YDOC_MAP;
		size_t lacking = 0;

		for (size_t f = 0; it->type == YDOC_MAP && f < a->nfields; f++) {
			if (ydoc_filled(ydoc_get(it, a->fields[f])))
				continue;
			ok = false;
			if (!lacking++ && next_named(&incomplete, &nincomplete)) {
				put_entry(&incomplete, i, name);
				buf_printf(&incomplete, " lacks %s", a->fields[f]);
			} else if (lacking > 1 && nincomplete <= NAMED_MAX) {
				buf_printf(&incomplete, ", %s", a->fields[f]);
			}
		}
		if (it->type != YDOC_MAP && next_named(&incomplete, &nincomplete)) {
			put_entry(&incomplete, i, NULL);
			buf_puts(&incomplete, " is not a map of fields");
		}
		complete += ok;
		if (a->url_key && spec_url_ok(scalar(it, a->url_key))) {
			cited++;
		} else if (a->url_key && next_named(&uncited, &nuncited)) {
			put_entry(&uncited, i, name);
			put_url_problem(&uncited, a->url_key, scalar(it, a->url_key));
		}
		result_ev_str(ev, "name", name);
		if (!name)
			continue;
		answers_normalise(name, &norm);
		buf_puts(&norm, "\n");
		if (!strstr(seen.data, norm.data)) {
			buf_printf(&seen, "%s", norm.data + 0);
			buf_puts(&seen, "\n");
			distinct++;
			hit = catalog_match(entries, name);
			if (hit) {
				const char *ml = scalar(hit, "ml"), *maint = scalar(hit, "maintained");
				known++;
				result_ev_str(ev, "status", "verified");
				result_ev_str(ev, "catalog_source", scalar(hit, "source"));
				if (ml && !strcmp(ml, "false")) {
					not_ml++;
					if (next_named(&general, &ngeneral)) {
						put_entry(&general, i, name);
						buf_puts(&general, " is a general-purpose crate, not an ML library");
					}
					result_ev_str(ev, "note", "not an ML library itself (a general-purpose crate used around ML)");
				} else if (maint && !strcmp(maint, "false")) {
					result_ev_str(ev, "note", "no longer maintained: prefer an active alternative");
				}
			} else {
				result_ev_str(ev, "status", "review");
				if (next_named(&unknown, &nunknown)) {
					put_entry(&unknown, i, name);
					buf_puts(&unknown, " is not in the course catalog");
				}
			}
		} else {
			result_ev_str(ev, "status", "duplicate");
			if (next_named(&dups, &ndups)) {
				size_t first = 0;
				struct buf other = BUF_INIT;
				for (; first < i; first++) {
					const char *o = scalar(list->items[first], a->name_key);
					answers_normalise(o ? o : "", &other);
					buf_puts(&other, "\n");
					if (!strcmp(buf_str(&other), norm.data))
						break;
				}
				buf_free(&other);
				put_entry(&dups, i, name);
				buf_puts(&dups, " repeats ");
				put_entry(&dups, first, scalar(list->items[first], a->name_key));
			}
		}
	}
	end_named(&dups, ndups);
	end_named(&incomplete, nincomplete);
	end_named(&uncited, nuncited);
	end_named(&unknown, nunknown);
	end_named(&general, ngeneral);
	result_ev_int(result_check_ev(count), "distinct", (long long)distinct);
	result_ev_int(result_check_ev(count), "required", a->min_entries);
	if ((int)distinct >= a->min_entries)
		result_check_set(count, RESULT_PASS, count->max_points, "%zu distinct entries", distinct);
	else
		result_check_set(count, RESULT_FAIL, count->max_points * (double)distinct / a->min_entries,
				 "%zu distinct entr%s; at least %d are needed%s%s%s", distinct, distinct == 1 ? "y" : "ies",
				 a->min_entries, dups.len ? " (" : "", buf_str(&dups), dups.len ? ")" : "");
	if (n && complete == n)
		result_check_set(fields, RESULT_PASS, fields->max_points, "every entry has every field");
	else {
		result_check_set(fields, complete ? RESULT_PARTIAL : RESULT_FAIL,
				 n ? fields->max_points * (double)complete / (double)n : 0,
				 "%s", n ? buf_str(&incomplete) : "the list has no entries");
		result_check_hint(fields, "each entry needs: %s", a->nfields ? a->fields[0] : "");
		for (size_t f = 1; f < a->nfields; f++) {
			char *h = fields->hint;
			struct buf b = BUF_INIT;
			buf_printf(&b, "%s, %s", h, a->fields[f]);
			free(h);
			fields->hint = buf_detach(&b);
		}
	}
	if (n && cited == n)
		result_check_set(sources, RESULT_PASS, sources->max_points, "every entry cites an https source");
	else {
		result_check_set(sources, cited ? RESULT_PARTIAL : RESULT_FAIL,
				 n ? sources->max_points * (double)cited / (double)n : 0,
				 "%s", n ? buf_str(&uncited) : "the list has no entries");
		result_check_hint(sources, "give each entry's '%s' as a real https:// link that supports it", a->url_key ? a->url_key : "source");
	}
	if (!entries) {
		result_check_set(verified, RESULT_ERROR, 0, "the catalog %s could not be read", a->catalog ? a->catalog : "(none)");
	} else {
		/* Known entries earn full credit, unknown well-formed ones half until an instructor reviews. */
		size_t needed = (size_t)a->min_entries, counted = distinct < needed ? distinct : needed;
		size_t good = known - (not_ml < known ? not_ml : known);
		double credit = needed ? (double)(good < counted ? good : counted) / (double)needed : 0;
		double pending = needed && counted > good ? 0.5 * (double)(counted - good) / (double)needed : 0;
		result_ev_int(result_check_ev(verified), "verified", (long long)known);
		result_ev_int(result_check_ev(verified), "not_ml", (long long)not_ml);
		if (good >= needed)
			result_check_set(verified, RESULT_PASS, verified->max_points, "%zu entries match the catalog", known);
		else if (known < distinct)
			result_check_set(verified, RESULT_REVIEW, verified->max_points * (credit + pending),
					 "%s: %s wait%s for an instructor's review%s%s", unknown.data,
					 nunknown == 1 ? "it" : "they", nunknown == 1 ? "s" : "", general.len ? "; " : "",
					 buf_str(&general));
		else if (general.len)
			result_check_set(verified, RESULT_PARTIAL, verified->max_points * credit, "%s", general.data);
		else
			result_check_set(verified, RESULT_PARTIAL, verified->max_points * credit,
					 "%zu entr%s match the catalog; %zu are needed", good, good == 1 ? "y" : "ies", needed);
	}
	goto out;
missing:
	result_check_set(count, RESULT_FAIL, 0, "%s", msg.data);
	result_check_hint(count, "write %s as described in the exercise (see docs/submission.md)", a->file);
	result_check_set(fields, RESULT_FAIL, 0, "not graded: %s", msg.data);
	result_check_set(sources, RESULT_FAIL, 0, "not graded: %s", msg.data);
	result_check_set(verified, RESULT_FAIL, 0, "not graded: %s", msg.data);
out:
	ydoc_free(doc);
	ydoc_free(cat);
	buf_free(&err);
	buf_free(&cat_path);
	buf_free(&norm);
	buf_free(&seen);
	buf_free(&msg);
	buf_free(&dups);
	buf_free(&incomplete);
	buf_free(&uncited);
	buf_free(&unknown);
	buf_free(&general);
}
