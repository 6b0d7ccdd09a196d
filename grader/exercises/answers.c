/* answers.c: exercises 1 and 3, research answers checked against catalogs (see answers.h). */
#include "exercises/answers.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "fs.h"
#include "sources.h"
#include "text.h"
#include "xalloc.h"
#include "ydoc.h"
#include "banned.h"

#define NAMED_MAX 5     /* entries named in one message; the others are counted */
#define MAX_ENTRIES 200 /* entries judged: a list longer than any honest answer is cut here */

enum entry_status {
	ST_UNNAMED,   /* no name: only its fields and source are judged */
	ST_VERIFIED,  /* in the chapter's catalog */
	ST_ACCEPTED,  /* accepted by the class's review */
	ST_REVIEW,    /* unknown: waits for an instructor */
	ST_SUGGESTED, /* unknown, but close to an entry: the learner should fix it */
	ST_NOT_ML,    /* a general-purpose crate */
	ST_REJECTED,  /* rejected by the class's review */
	ST_DUPLICATE, /* the same as an earlier entry */
};
static const char *const status_names[] = {"unnamed",   "verified", "accepted", "review",
					   "suggested", "not-ml",   "rejected", "duplicate"};

enum source_state { SRC_OK, SRC_REVIEW, SRC_REFUSED };
static const char *const source_names[] = {"ok", "review", "refused"};

/* What one entry of the learner's list came to. */
struct entry {
	const struct ydoc_node *node;
	const char *name; /* NULL when it has none */
	char *key; /* its identity: the catalog entry (or the one it is part of) or its own name */
	const struct catalog_entry *hit, *suggestion;
	enum entry_status status;
	size_t dup_of;
	enum source_state source;
	struct buf source_why; /* why the source is refused or in review */
	struct buf lacking;    /* what its fields lack; empty when complete */
};

struct answers {
	const struct spec_answers *a;
	const struct catalog *cat; /* NULL when it could not be read */
	struct entry *e;
	size_t n;
};

static const char *scalar(const struct ydoc_node *e, const char *key)
{
	const struct ydoc_node *v = e && e->type == YDOC_MAP ? ydoc_get(e, key) : NULL;
	return v && v->type == YDOC_SCALAR ? v->value : NULL;
}

/* A field's text: a scalar, or the items of a list joined by ". ". */
static void field_text(const struct ydoc_node *e, const char *key, struct buf *out)
{
	const struct ydoc_node *v = e && e->type == YDOC_MAP ? ydoc_get(e, key) : NULL;

	buf_reset(out);
	if (v && v->type == YDOC_SCALAR)
		buf_puts(out, v->value);
	for (size_t i = 0; v && v->type == YDOC_SEQ && i < v->n; i++)
		if (v->items[i]->type == YDOC_SCALAR)
			buf_printf(out, "%s%s", out->len ? ". " : "", v->items[i]->value);
	buf_str(out);
}

/* Letters and digits of `s` in lower case: two texts that differ only in case, spacing and
 * punctuation are the same text. */
static void plain(const char *s, struct buf *out)
{
	buf_reset(out);
	for (; s && *s; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			buf_append(out, &(char){(char)tolower((unsigned char)*s)}, 1);
	buf_str(out);
}

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

/* Appends `s` in quotes, cut to `max` bytes at a character boundary. */
static void put_quoted(struct buf *b, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	buf_printf(b, "\"%.*s%s\"", (int)n, s, n < strlen(s) ? "…" : "");
}

/* A list of named problems: "; " between items, at most NAMED_MAX named, then "and N more". */
struct named {
	struct buf b, past; /* the message; what is written past NAMED_MAX (dropped) */
	size_t count;
};

#define NAMED_INIT                    \
	{                             \
		BUF_INIT, BUF_INIT, 0 \
	}

static struct buf *named_next(struct named *l)
{
	if (l->count++ >= NAMED_MAX) {
		buf_reset(&l->past);
		return &l->past;
	}
	if (l->b.len)
		buf_puts(&l->b, "; ");
	return &l->b;
}

static const char *named_end(struct named *l)
{
	if (l->count > NAMED_MAX)
		buf_printf(&l->b, "; and %zu more", l->count - NAMED_MAX);
	return buf_str(&l->b);
}

static void named_free(struct named *l)
{
	buf_free(&l->b);
	buf_free(&l->past);
}

/* What is wrong with field `key` of entry `i` as a description in a sentence, into `why` (left
 * empty when nothing is): too few words, the name again, another field's text, or the same text
 * as an earlier entry's. */
static void sentence_problem(const struct answers *s, size_t i, const char *key, struct buf *why)
{
	const struct spec_answers *a = s->a;
	const struct entry *e = &s->e[i];
	struct buf text = BUF_INIT, p = BUF_INIT, other = BUF_INIT, other_p = BUF_INIT;
	size_t words;

	field_text(e->node, key, &text);
	words = text_count_words(text.data, text.len);
	plain(text.data, &p);
	plain(e->name, &other);
	if (!strcmp(p.data, other.data)) {
		buf_printf(why, "'%s' only repeats the name", key);
	} else if ((int)words < a->min_words) {
		buf_printf(why, "'%s' has %zu word%s (", key, words, words == 1 ? "" : "s");
		put_quoted(why, text.data, 40);
		buf_printf(why, "): describe it in a sentence of at least %d words", a->min_words);
	}
	for (size_t g = 0; g < a->nfields && !why->len; g++) {
		if (!strcmp(a->fields[g], key))
			continue;
		field_text(e->node, a->fields[g], &other);
		plain(other.data, &other_p);
		if (other_p.len && !strcmp(other_p.data, p.data))
			buf_printf(why, "'%s' repeats '%s'", key, a->fields[g]);
	}
	for (size_t j = 0; j < i && !why->len; j++) {
		field_text(s->e[j].node, key, &other);
		plain(other.data, &other_p);
		if (!strcmp(other_p.data, p.data)) {
			buf_printf(why, "'%s' is the same text as ", key);
			put_entry(why, j, s->e[j].name);
			buf_puts(why, "'s: describe each entry in its own words");
		}
	}
	buf_free(&text);
	buf_free(&p);
	buf_free(&other);
	buf_free(&other_p);
}

/* Entry `i`'s fields: present, and those that describe it in sentences (sentence_problem). */
static void judge_fields_of(const struct answers *s, size_t i)
{
	const struct spec_answers *a = s->a;
	struct entry *e = &s->e[i];
	struct buf why = BUF_INIT;

	if (e->node->type != YDOC_MAP) {
		buf_puts(&e->lacking, "is not a map of fields");
		return;
	}
	for (size_t f = 0; f < a->nfields; f++)
		if (!ydoc_filled(ydoc_get(e->node, a->fields[f])))
			buf_printf(&e->lacking, "%s%s", e->lacking.len ? ", " : "lacks ", a->fields[f]);
	for (size_t f = 0; f < a->nsentence_fields; f++) {
		if (!ydoc_filled(ydoc_get(e->node, a->sentence_fields[f])))
			continue;
		buf_reset(&why);
		sentence_problem(s, i, a->sentence_fields[f], &why);
		if (why.len)
			buf_printf(&e->lacking, "%s%s", e->lacking.len ? ", " : "", why.data);
	}
	buf_free(&why);
}

/* Entry `i`'s source: refused, related to the entry, or to be checked by an instructor. */
static void judge_source_of(const struct answers *s, size_t i)
{
	const struct spec_answers *a = s->a;
	struct entry *e = &s->e[i];
	const char *url = scalar(e->node, a->url_key);
	struct buf host = BUF_INIT;
	size_t n = url ? strlen(url) : 0;

	e->source = SRC_REFUSED;
	if (source_check(url, &host, &e->source_why) < 0)
		goto out;
	for (size_t p = 0; s->cat && p < s->cat->nlist_pages; p++) {
		size_t pn = strlen(s->cat->list_pages[p]);
		/* url is not NULL here: source_check() (another file) refuses a NULL url.
		 * NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
		if (!strncasecmp(url, s->cat->list_pages[p], pn)) {
			buf_printf(&e->source_why, "is a list of many entries (%s), not a source about this one",
				   s->cat->list_pages[p]);
			goto out;
		}
	}
	if (s->cat && n > strlen(s->cat->file) + 9 && !strcmp(url + n - strlen(s->cat->file), s->cat->file) &&
	    !strncmp(url + n - strlen(s->cat->file) - 9, "/catalog/", 9)) {
		buf_puts(&e->source_why, "is the course's own catalog: cite a source about the entry itself");
		goto out;
	}
	e->source = SRC_OK;
	if (e->hit && e->hit->origin == CATALOG_CHAPTER && !catalog_host_related(e->hit, host.data)) {
		e->source = SRC_REVIEW;
		buf_printf(&e->source_why,
			   "cites a page on %s, which the catalog does not know as %s's or as a code, "
			   "paper or news site: an instructor will check it",
			   host.data, e->hit->name);
	}
out:
	buf_free(&host);
}

/* Entry `i` against the catalog, and against the entries before it. */
static void judge_identity_of(const struct answers *s, size_t i)
{
	struct entry *e = &s->e[i];
	struct buf key = BUF_INIT;

	if (!e->name || !*e->name) {
		e->status = ST_UNNAMED;
		return;
	}
	e->hit = s->cat ? catalog_find(s->cat, e->name) : NULL;
	if (e->hit) {
		const struct catalog_entry *who = s->a->parent_distinct ? e->hit : catalog_top(e->hit);
		e->key = xstrdup(who->keys[0]);
		e->status = e->hit->origin == CATALOG_REJECTED   ? ST_REJECTED
			    : e->hit->origin == CATALOG_ACCEPTED ? ST_ACCEPTED
			    : !e->hit->ml                        ? ST_NOT_ML
								 : ST_VERIFIED;
	} else {
		catalog_normalise(e->name, &key);
		e->key = buf_detach(&key);
		e->suggestion = s->cat ? catalog_suggest(s->cat, e->name) : NULL;
		e->status = e->suggestion ? ST_SUGGESTED : ST_REVIEW;
	}
	for (size_t j = 0; j < i && *e->key; j++)
		if (s->e[j].key && s->e[j].status != ST_DUPLICATE && !strcmp(s->e[j].key, e->key)) {
			e->status = ST_DUPLICATE;
			e->dup_of = j;
			break;
		}
	buf_free(&key);
}

/* True for an entry that counts towards the list: named, distinct, and an ML library when the
 * catalog is of crates, and not rejected. */
static bool counts(const struct entry *e)
{
	return e->status == ST_VERIFIED || e->status == ST_ACCEPTED || e->status == ST_REVIEW ||
	       e->status == ST_SUGGESTED;
}

/* Why entry `i` does not count, appended to `b`. */
static void put_exclusion(struct buf *b, const struct answers *s, size_t i)
{
	const struct entry *e = &s->e[i], *first = &s->e[e->dup_of];

	put_entry(b, i, e->name);
	if (e->status == ST_DUPLICATE && e->hit && first->hit && e->hit != first->hit) {
		buf_puts(b, " is the same organisation as ");
		put_entry(b, e->dup_of, first->name);
		buf_printf(b, " (both are %s)", catalog_top(e->hit)->name);
	} else if (e->status == ST_DUPLICATE) {
		buf_puts(b, " is ");
		put_entry(b, e->dup_of, first->name);
		buf_puts(b, " again");
	} else if (e->status == ST_NOT_ML) {
		buf_printf(b, " is a general-purpose crate (%s), not an ML library",
			   e->hit->category ? e->hit->category : "not ML");
	} else if (e->status == ST_REJECTED) {
		buf_printf(b, " was rejected in the course's review%s%s", e->hit->reason ? ": " : "",
			   e->hit->reason ? e->hit->reason : "");
	}
}

/* The entry's evidence in the verified check. */
static void put_evidence(const struct answers *s, size_t i, struct result_ev *list)
{
	const struct entry *e = &s->e[i];
	struct result_ev *ev = result_ev_list_add(list, "entries");

	result_ev_str(ev, "name", e->name);
	if (e->key)
		result_ev_str(ev, "key", e->key);
	result_ev_str(ev, "status", status_names[e->status]);
	if (e->status == ST_DUPLICATE)
		result_ev_int(ev, "duplicate_of", (long long)e->dup_of + 1);
	if (e->suggestion)
		result_ev_str(ev, "suggestion", e->suggestion->name);
	if (e->hit) {
		result_ev_str(ev, "catalog_name", e->hit->name);
		if (e->hit->source)
			result_ev_str(ev, "catalog_source", e->hit->source);
		if (e->hit->parent)
			result_ev_str(ev, "part_of", catalog_top(e->hit)->name);
		if (e->status == ST_NOT_ML)
			result_ev_str(ev, "note",
				      "not an ML library itself (a general-purpose crate used around ML)");
		else if (!e->hit->maintained)
			result_ev_str(ev, "note", "no longer maintained: prefer an active alternative");
	}
	if (s->a->url_key) {
		result_ev_str(ev, "source", source_names[e->source]);
		if (e->source_why.len)
			result_ev_str(ev, "source_reason", e->source_why.data);
	}
	if (e->lacking.len)
		result_ev_str(ev, "fields", e->lacking.data);
}

static void judge_count(const struct answers *s, struct result_check *c)
{
	const struct spec_answers *a = s->a;
	struct named out = NAMED_INIT;
	size_t distinct = 0, needed = (size_t)a->min_entries;

	for (size_t i = 0; i < s->n; i++) {
		if (counts(&s->e[i]))
			distinct++;
		else if (s->e[i].status != ST_UNNAMED)
			put_exclusion(named_next(&out), s, i);
	}
	named_end(&out);
	result_ev_int(result_check_ev(c), "distinct", (long long)distinct);
	result_ev_int(result_check_ev(c), "required", a->min_entries);
	if (distinct >= needed)
		result_check_set(c, RESULT_PASS, c->max_points, "%zu distinct entries%s%s%s", distinct,
				 out.b.len ? " (not counted: " : "", out.b.data ? out.b.data : "",
				 out.b.len ? ")" : "");
	else
		result_check_set(c, RESULT_FAIL, c->max_points * (double)distinct / (double)needed,
				 "%zu distinct entr%s; at least %d are needed%s%s", distinct,
				 distinct == 1 ? "y" : "ies", a->min_entries, out.b.len ? ": " : "",
				 buf_str(&out.b));
	if (distinct < needed && out.b.len)
		result_check_hint(c, "each entry must be a different %s", a->name_key);
	named_free(&out);
}

static void judge_fields(const struct answers *s, struct result_check *c)
{
	const struct spec_answers *a = s->a;
	struct named out = NAMED_INIT;
	struct buf hint = BUF_INIT;
	size_t complete = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct buf *b;
		if (!s->e[i].lacking.len) {
			complete++;
			continue;
		}
		b = named_next(&out);
		put_entry(b, i, s->e[i].name);
		buf_printf(b, " %s", s->e[i].lacking.data);
	}
	named_end(&out);
	if (s->n && complete == s->n) {
		result_check_set(c, RESULT_PASS, c->max_points, "every entry is complete");
	} else {
		result_check_set(c, complete ? RESULT_PARTIAL : RESULT_FAIL,
				 s->n ? c->max_points * (double)complete / (double)s->n : 0, "%s",
				 s->n ? out.b.data : "the list has no entries");
		for (size_t f = 0; f < a->nfields; f++)
			buf_printf(&hint, "%s%s", f ? ", " : "each entry needs: ", a->fields[f]);
		if (a->nsentence_fields)
			buf_printf(&hint, "; %s in a sentence of at least %d words, in your own words",
				   a->nsentence_fields == 1 ? a->sentence_fields[0] : "the descriptions",
				   a->min_words);
		result_check_hint(c, "%s", hint.data);
	}
	buf_free(&hint);
	named_free(&out);
}

static void judge_sources(const struct answers *s, struct result_check *c)
{
	const struct spec_answers *a = s->a;
	struct named refused = NAMED_INIT, review = NAMED_INIT;
	double credit = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct entry *e = &s->e[i];
		struct buf *b;
		const char *url = scalar(e->node, a->url_key);
		if (e->source == SRC_OK) {
			credit += 1;
			continue;
		}
		credit += e->source == SRC_REVIEW ? 0.5 : 0;
		b = named_next(e->source == SRC_REVIEW ? &review : &refused);
		put_entry(b, i, e->name);
		if (e->source == SRC_REFUSED && url && *url) {
			buf_puts(b, ": ");
			put_quoted(b, url, 80);
			buf_printf(b, " %s", e->source_why.data);
		} else if (e->source == SRC_REFUSED) {
			buf_printf(b, " gives no '%s'", a->url_key);
		} else {
			buf_printf(b, " %s", e->source_why.data);
		}
	}
	named_end(&refused);
	named_end(&review);
	if (s->n && credit == (double)s->n)
		result_check_set(c, RESULT_PASS, c->max_points, "every entry cites a source");
	else if (!s->n)
		result_check_set(c, RESULT_FAIL, 0, "the list has no entries");
	else
		result_check_set(c,
				 !refused.count ? RESULT_REVIEW
				 : credit > 0   ? RESULT_PARTIAL
						: RESULT_FAIL,
				 c->max_points * credit / (double)s->n, "%s%s%s", buf_str(&refused.b),
				 refused.b.len && review.b.len ? "; " : "", buf_str(&review.b));
	if (refused.count)
		result_check_hint(c,
				  "give each entry's '%s' as the https address of a page that supports it "
				  "(its repository, documentation or an article about it)",
				  a->url_key);
	named_free(&refused);
	named_free(&review);
}

static int by_credit_desc(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a < b) - (a > b);
}

static void judge_verified(const struct answers *s, struct result_check *c, const struct buf *cat_err)
{
	const struct spec_answers *a = s->a;
	struct named out = NAMED_INIT, notes = NAMED_INIT;
	size_t needed = (size_t)a->min_entries, nc = 0, known = 0, pending = 0;
	double *credit = xcalloc(s->n + 1, sizeof(*credit)), total = 0;

	if (!s->cat) {
		size_t n = strcspn(buf_str((struct buf *)cat_err), "\n");
		result_check_set(c, RESULT_ERROR, 0, "the catalog %s could not be read: %.*s",
				 a->catalog ? a->catalog : "(none)", (int)n, buf_str((struct buf *)cat_err));
		free(credit);
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct entry *e = &s->e[i];
		struct buf *b;
		if (e->status == ST_VERIFIED || e->status == ST_ACCEPTED) {
			credit[nc++] = 1;
			known++;
			if (!e->hit->maintained) {
				b = named_next(&notes);
				buf_printf(b, "%s is no longer maintained", e->hit->name);
			}
			continue;
		}
		if (e->status == ST_REVIEW) {
			credit[nc++] = 0.5;
			pending++;
		} else if (e->status == ST_SUGGESTED) {
			credit[nc++] = 0;
		}
		if (e->status == ST_DUPLICATE || e->status == ST_UNNAMED)
			continue;
		b = named_next(&out);
		if (e->status == ST_SUGGESTED) {
			put_quoted(b, e->name, 60);
			buf_printf(b, " (entry %zu) is not in the catalog: did you mean '%s'?", i + 1,
				   e->suggestion->name);
		} else if (e->status == ST_REVIEW) {
			put_entry(b, i, e->name);
			buf_puts(b, " is not in the course catalog: it waits for an instructor's review");
		} else {
			put_exclusion(b, s, i);
		}
	}
	named_end(&out);
	named_end(&notes);
	qsort(credit, nc, sizeof(*credit), by_credit_desc);
	for (size_t i = 0; i < nc && i < needed; i++)
		total += credit[i];
	result_ev_int(result_check_ev(c), "verified", (long long)known);
	result_ev_int(result_check_ev(c), "review", (long long)pending);
	if (total >= (double)needed)
		result_check_set(c, RESULT_PASS, c->max_points, "%zu entr%s match the catalog%s%s%s",
				 known, known == 1 ? "y" : "ies", notes.b.len ? " (note: " : "",
				 buf_str(&notes.b), notes.b.len ? ")" : "");
	else
		result_check_set(c,
				 pending     ? RESULT_REVIEW
				 : total > 0 ? RESULT_PARTIAL
					     : RESULT_FAIL,
				 c->max_points * total / (double)needed,
				 "%zu of the %zu entries needed match the catalog%s%s",
				 known < needed ? known : needed, needed, out.b.len ? ": " : "",
				 buf_str(&out.b));
	if (c->status != RESULT_PASS)
		result_check_hint(c,
				  "write each entry's '%s' as the catalog does (its name or a common alias); an "
				  "instructor reviews the ones it does not know",
				  a->name_key);
	free(credit);
	named_free(&out);
	named_free(&notes);
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
	struct result_check *sources =
		result_check_add(e, "sources", "every entry cites a source", spec_points(ex, "sources"));
	struct result_check *verified = result_check_add(e, "verified", "entries match the course catalog",
							 spec_points(ex, "verified"));
	struct buf err = BUF_INIT, cat_path = BUF_INIT, msg = BUF_INIT;
	struct ydoc *doc = NULL;
	struct catalog *cat = NULL;
	const struct ydoc_node *list;
	struct answers s = {.a = a};

	(void)r;
	progress_stage(g->progress, "checking %s against the catalog", a->file);
	list = load_list(g, a, &doc, &msg);
	if (!list) {
		result_check_set(count, RESULT_FAIL, 0, "%s", msg.data);
		result_check_hint(count, "write %s as described in the exercise (see docs/submission.md)",
				  a->file);
		result_check_set(fields, RESULT_FAIL, 0, "not graded: %s", msg.data);
		result_check_set(sources, RESULT_FAIL, 0, "not graded: %s", msg.data);
		result_check_set(verified, RESULT_FAIL, 0, "not graded: %s", msg.data);
		goto out;
	}
	if (a->catalog) {
		spec_resolve(ex, a->catalog, &cat_path);
		cat = catalog_load(cat_path.data, g->class_catalog, &err);
	} else {
		buf_puts(&err, "the spec names no catalog");
	}
	s.cat = cat;
	s.n = list->n < MAX_ENTRIES ? list->n : MAX_ENTRIES;
	s.e = xcalloc(s.n + 1, sizeof(*s.e));
	for (size_t i = 0; i < s.n; i++) {
		s.e[i] = (struct entry){.node = list->items[i],
					.name = scalar(list->items[i], a->name_key),
					.source_why = BUF_INIT,
					.lacking = BUF_INIT};
		judge_identity_of(&s, i);
		judge_fields_of(&s, i);
		if (a->url_key)
			judge_source_of(&s, i);
		put_evidence(&s, i, result_check_ev(verified));
	}
	judge_count(&s, count);
	if (list->n > s.n)
		result_check_hint(count, "%s lists %zu entries: only the first %d are read", a->file,
				  list->n, MAX_ENTRIES);
	judge_fields(&s, fields);
	if (a->url_key)
		judge_sources(&s, sources);
	else
		result_check_set(sources, RESULT_PASS, sources->max_points, "no source is asked for");
	judge_verified(&s, verified, &err);
out:
	for (size_t i = 0; i < s.n; i++) {
		free(s.e[i].key);
		buf_free(&s.e[i].source_why);
		buf_free(&s.e[i].lacking);
	}
	free(s.e);
	ydoc_free(doc);
	catalog_free(cat);
	buf_free(&err);
	buf_free(&cat_path);
	buf_free(&msg);
}
