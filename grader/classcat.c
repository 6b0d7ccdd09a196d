/* classcat.c: the class catalog of review decisions (see classcat.h). */
#include "classcat.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#include "fs.h"
#include "xalloc.h"
#include "ydoc.h"
#include "banned.h"

struct classcat *classcat_new(void)
{
	return xcalloc(1, sizeof(struct classcat));
}

static void decision_free(struct classcat_decision *d)
{
	free(d->catalog);
	free(d->name);
	free(d->key);
	free(d->by);
	free(d->when);
	free(d->reason);
}

void classcat_free(struct classcat *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		decision_free(&c->d[i]);
	free(c->d);
	free(c);
}

/* The number of the two digits at s (checked by digits()). */
static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Digits at s[0..n). */
static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool classcat_when_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int mo, d, h, mi, se;

	if (n < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return false;
	mo = two(s + 5);
	d = two(s + 8);
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	if (n == 10)
		return true;
	if (n < 20 || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
	    s[16] != ':' || !digits(s + 17, 2))
		return false;
	h = two(s + 11);
	mi = two(s + 14);
	se = two(s + 17);
	if (h > 23 || mi > 59 || se > 60)
		return false;
	s += 19;
	if (!strcmp(s, "Z"))
		return true;
	return strlen(s) == 6 && (s[0] == '+' || s[0] == '-') && digits(s + 1, 2) && s[3] == ':' &&
	       digits(s + 4, 2);
}

void classcat_now(char *out, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

const struct classcat_decision *classcat_find(const struct classcat *c, const char *catalog, const char *key)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (!strcmp(c->d[i].catalog, catalog) && !strcmp(c->d[i].key, key))
			return &c->d[i];
	return NULL;
}

int classcat_decide(struct classcat *c, const char *catalog, bool accepted, const char *name,
		    const char *key, const char *by, const char *when, const char *reason, struct buf *err)
{
	struct classcat_decision *d = (struct classcat_decision *)classcat_find(c, catalog, key);

	if (d && d->accepted != accepted) {
		buf_printf(err, "'%s' (%s) is already %s in %s by %s on %s: it cannot be %s too", name,
			   key, d->accepted ? "accepted" : "rejected", catalog, d->by, d->when,
			   accepted ? "accepted" : "rejected");
		return -1;
	}
	if (d) { /* the same decision again: the first spelling, the newer author, date and reason */
		char *keep = d->name;
		d->name = NULL;
		decision_free(d);
		d->name = keep;
	} else {
		c->d = xreallocarray(c->d, c->n + 1, sizeof(*c->d));
		d = &c->d[c->n++];
		d->name = xstrdup(name);
	}
	d->catalog = xstrdup(catalog);
	d->accepted = accepted;
	d->key = xstrdup(key);
	d->by = xstrdup(by);
	d->when = xstrdup(when);
	d->reason = dup_or_null(reason);
	return 0;
}

void classcat_undecide(struct classcat *c, const char *catalog, const char *key)
{
	struct classcat_decision *d = (struct classcat_decision *)classcat_find(c, catalog, key);

	if (!d)
		return;
	decision_free(d);
	memmove(d, d + 1, (size_t)(c->d + c->n - (d + 1)) * sizeof(*d));
	c->n--;
}

/* ---- loading ---- */

/* One list (accepted or rejected) of catalog `catalog`. */
static void load_list(struct yread *r, struct classcat *c, const char *catalog,
		      const struct ydoc_node *list, bool accepted)
{
	static const char *const allowed[] = {"name", "key", "by", "when", "reason", NULL};
	static const char *const required[] = {"name", "key", "by", "when", NULL};

	if (!list || (list->type == YDOC_SCALAR && list->len == 0))
		return; /* `accepted:` left empty */
	if (list->type != YDOC_SEQ) {
		yread_error(r, list, "'%s' must be a list of decisions, not a %s",
			    accepted ? "accepted" : "rejected", ydoc_type_name(list->type));
		return;
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct ydoc_node *m = list->items[i];
		const char *name, *key, *by, *when, *reason;
		const struct classcat_decision *old;
		int before = r->nerrors;

		if (yread_map(r, m, "a decision", allowed, required) != 0 || r->nerrors > before)
			continue;
		name = yread_str(r, m, "name", "");
		key = yread_str(r, m, "key", "");
		by = yread_str(r, m, "by", "");
		when = yread_str(r, m, "when", "");
		reason = yread_str(r, m, "reason", NULL);
		if (r->nerrors > before)
			continue;
		if (!*name || !*key || !*by)
			yread_error(r, m, "a decision needs a non-empty name, key and by");
		if (*key && strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789") != strlen(key))
			yread_error(r, ydoc_get(m, "key"),
				    "'key' must be a normalised name (lower-case letters and digits), not '%s'",
				    key);
		if (!classcat_when_ok(when))
			yread_error(r, ydoc_get(m, "when"),
				    "'when' must be a date (2026-12-01) or an ISO 8601 time (2026-12-01T10:00:00Z), not '%s'",
				    when);
		if (!accepted && (!reason || !*reason))
			yread_error(r, m, "a rejection needs a 'reason' (the learners see it)");
		if (r->nerrors > before)
			continue;
		if ((old = classcat_find(c, catalog, key))) {
			yread_error(r, m, "'%s' (key %s) is decided twice in %s: already %s as '%s'", name,
				    key, catalog, old->accepted ? "accepted" : "rejected", old->name);
			continue;
		}
		classcat_decide(c, catalog, accepted, name, key, by, when, reason, NULL);
	}
}

struct classcat *classcat_load(const char *path, struct buf *err)
{
	static const char *const lists[] = {"accepted", "rejected", NULL};
	struct ydoc *doc = ydoc_load_file(path, err);
	struct yread r = {path, err, 0};
	struct classcat *c;

	if (!doc)
		return NULL;
	c = classcat_new();
	if (doc->root && doc->root->type != YDOC_MAP) {
		yread_error(&r, doc->root,
			    "a class catalog is a map of catalogs (organisations:, crates:), not a %s",
			    ydoc_type_name(doc->root->type));
	} else if (doc->root) {
		for (size_t i = 0; i < doc->root->n; i++) {
			const char *name = doc->root->keys[i];
			const struct ydoc_node *v = doc->root->items[i];
			if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(name)) {
				struct ydoc_node at = {.line = doc->root->key_lines[i],
						       .col = doc->root->key_cols[i]};
				yread_error(&r, &at, "'%s' is not a catalog name (a chapter catalog's `catalog:`, e.g. organisations)",
					    name);
				continue;
			}
			if (v->type == YDOC_SCALAR && v->len == 0)
				continue;
			if (yread_map(&r, v, name, lists, NULL) != 0)
				continue;
			load_list(&r, c, name, ydoc_get(v, "accepted"), true);
			load_list(&r, c, name, ydoc_get(v, "rejected"), false);
		}
	}
	ydoc_free(doc);
	if (r.nerrors) {
		classcat_free(c);
		return NULL;
	}
	return c;
}

/* ---- writing ---- */

static int to_buf(void *data, unsigned char *bytes, size_t size)
{
	return buf_append(data, bytes, size) == 0;
}

/* Emits a scalar: double-quoted (learner text: never read back as a number, a date or null), or
 * plain. Returns libyaml's 1 or 0. */
static int scalar(yaml_emitter_t *em, const char *s, bool quoted)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
					  quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE))
		return 0;
	return yaml_emitter_emit(em, &ev);
}

static int start(yaml_emitter_t *em, bool seq, bool flow)
{
	yaml_event_t ev;

	if (seq ? !yaml_sequence_start_event_initialize(
			  &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE)
		: !yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE))
		return 0;
	return yaml_emitter_emit(em, &ev);
}

static int end(yaml_emitter_t *em, bool seq)
{
	yaml_event_t ev;

	if (seq ? !yaml_sequence_end_event_initialize(&ev) : !yaml_mapping_end_event_initialize(&ev))
		return 0;
	return yaml_emitter_emit(em, &ev);
}

/* The decisions of one list. */
static int emit_list(yaml_emitter_t *em, const struct classcat *c, const char *catalog, bool accepted)
{
	size_t count = 0;
	int ok;

	for (size_t i = 0; i < c->n; i++)
		count += !strcmp(c->d[i].catalog, catalog) && c->d[i].accepted == accepted;
	ok = scalar(em, accepted ? "accepted" : "rejected", false) && start(em, true, count == 0);
	for (size_t i = 0; ok && i < c->n; i++) {
		const struct classcat_decision *d = &c->d[i];
		if (strcmp(d->catalog, catalog) || d->accepted != accepted)
			continue;
		ok = start(em, false, false) && scalar(em, "name", false) && scalar(em, d->name, true) &&
		     scalar(em, "key", false) && scalar(em, d->key, true) && scalar(em, "by", false) &&
		     scalar(em, d->by, true) && scalar(em, "when", false) && scalar(em, d->when, false);
		if (ok && d->reason)
			ok = scalar(em, "reason", false) && scalar(em, d->reason, true);
		ok = ok && end(em, false);
	}
	return ok && end(em, true);
}

/* Whether `name` is among the first `n` catalogs of the decisions or of `catalogs`. */
static bool seen(const char *name, const struct classcat *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c->d[i].catalog, name))
			return true;
	return false;
}

int classcat_write(const struct classcat *c, const char *const *catalogs, const char *path, struct buf *err)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	struct buf out = BUF_INIT;
	const char **names = NULL;
	size_t nnames = 0;
	int ok, rc = -1;

	/* the catalogs named first, then any other the decisions use, each once */
	for (size_t i = 0; catalogs && catalogs[i]; i++) {
		names = xreallocarray(names, nnames + 1, sizeof(*names));
		names[nnames++] = catalogs[i];
	}
	for (size_t i = 0; i < c->n; i++) {
		bool dup = seen(c->d[i].catalog, c, i);
		for (size_t k = 0; !dup && k < nnames; k++)
			dup = !strcmp(names[k], c->d[i].catalog);
		if (!dup) {
			names = xreallocarray(names, nnames + 1, sizeof(*names));
			names[nnames++] = c->d[i].catalog;
		}
	}
	buf_puts(&out, "# The class's decisions on answers that are not in the chapter's catalogs (grader review).\n"
		       "# Regrade with: grader batch ROSTER --class-catalog THIS_FILE (docs/review.md).\n");
	if (!yaml_emitter_initialize(&em)) {
		buf_printf(err, "%s: cannot start the YAML writer", path);
		free(names);
		buf_free(&out);
		return -1;
	}
	yaml_emitter_set_output(&em, to_buf, &out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&em, &ev) &&
	     yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
	     yaml_emitter_emit(&em, &ev) && start(&em, false, false);
	for (size_t i = 0; ok && i < nnames; i++)
		ok = scalar(&em, names[i], false) && start(&em, false, false) &&
		     emit_list(&em, c, names[i], true) && emit_list(&em, c, names[i], false) &&
		     end(&em, false);
	ok = ok && end(&em, false) && yaml_document_end_event_initialize(&ev, 1) &&
	     yaml_emitter_emit(&em, &ev) && yaml_stream_end_event_initialize(&ev) &&
	     yaml_emitter_emit(&em, &ev) && yaml_emitter_flush(&em);
	if (!ok)
		buf_printf(err, "%s: cannot write the class catalog as YAML: %s", path,
			   em.problem ? em.problem : "out of memory");
	else if (fs_write_atomic(path, out.data, out.len) < 0)
		buf_printf(err, "%s: cannot write: %s", path, strerror(errno));
	else
		rc = 0;
	yaml_emitter_delete(&em);
	free(names);
	buf_free(&out);
	return rc;
}
