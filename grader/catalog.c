/* catalog.c: the chapter's catalogs and the class's decisions (see catalog.h). */
#include "catalog.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classcat.h"
#include "sources.h"
#include "text.h"
#include "xalloc.h"
#include "ydoc.h"
#include "banned.h"

static const char *const catalog_names[] = {"organisations", "crates", NULL};
static const char *const org_kinds[] = {"company", "foundation",  "lab", "product",
					"project", "public-body", NULL};
/* docs/catalogs.md lists these: the ML categories, then the general-purpose ones (ml: false). */
static const char *const ml_categories[] = {
	"classical-ml", "deep-learning", "tensors-linalg", "dataframes",
	"inference",    "nlp",           "vector-search",  NULL};
static const char *const other_categories[] = {"serialization",
					       "async",
					       "cli",
					       "web",
					       "networking",
					       "randomness",
					       "logging",
					       "errors",
					       "concurrency",
					       "parsing",
					       "testing",
					       "database",
					       "crypto",
					       "time",
					       "text",
					       "data-structures",
					       "utilities",
					       "compression",
					       "ffi",
					       "macros",
					       "os",
					       "graphics",
					       NULL};
/* Legal forms dropped from the end of a name, and "the" from its start. */
static const char *const legal_forms[] = {"inc",  "incorporated", "ltd", "limited", "llc", "llp", "gmbh",
					  "ag",   "sa",           "sas", "sarl",    "bv",  "nv",  "plc",
					  "corp", "corporation",  "co",  "company", "pty", "oy",  "ab",
					  "srl",  "spa",          "kk",  "pbc",     "se",  NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* The words of `name`: runs of letters and digits in lower case, at most `max`; returns how
 * many, each a malloc'ed string in `w`. */
static size_t words_of(const char *name, char **w, size_t max)
{
	size_t n = 0;
	const char *s = name;

	while (*s && n < max) {
		const char *start;
		while (*s && !isalnum((unsigned char)*s))
			s++;
		start = s;
		while (*s && isalnum((unsigned char)*s))
			s++;
		if (s > start) {
			char *word = xmemdupz(start, (size_t)(s - start));
			for (char *p = word; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			w[n++] = word;
		}
	}
	return n;
}

#define MAX_WORDS 32

/* The words that make a name's identity: without a leading "the" and trailing legal forms, as
 * long as one word is left. Returns the range [*first, n). */
static size_t identity_words(char **w, size_t n, size_t *first)
{
	/* Every caller passes words_of()'s count, and words_of() has filled w[0..n) first. */
	/* cppcheck-suppress uninitvar */
	*first = n > 1 && !strcmp(w[0], "the") ? 1 : 0;
	while (n - *first > 1 && in_list(legal_forms, w[n - 1]))
		free(w[--n]);
	return n;
}

static void free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
}

void catalog_normalise(const char *name, struct buf *out)
{
	char *w[MAX_WORDS];
	size_t first, n = identity_words(w, words_of(name ? name : "", w, MAX_WORDS), &first);

	buf_reset(out);
	for (size_t i = first; i < n; i++)
		buf_puts(out, w[i]);
	buf_str(out);
	free_words(w, n);
}

static void entry_free(struct catalog_entry *e)
{
	for (size_t i = 0; i < e->nkeys; i++)
		free(e->keys[i]);
	free(e->keys);
	for (size_t i = 0; i < e->ndomains; i++)
		free(e->domains[i]);
	free(e->domains);
	free(e->name);
	free(e->kind);
	free(e->category);
	free(e->uses);
	free(e->source);
	free(e->judged);
	free(e->reason);
	free(e->by);
}

void catalog_free(struct catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		entry_free(&c->entries[i]);
	free(c->entries);
	for (size_t i = 0; i < c->nlist_pages; i++)
		free(c->list_pages[i]);
	free(c->list_pages);
	free(c->name);
	free(c->file);
	free(c);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static struct catalog_entry *add_entry(struct catalog *c, const char *name)
{
	struct catalog_entry *e;

	c->entries = xreallocarray(c->entries, c->n + 1, sizeof(*c->entries));
	e = &c->entries[c->n++];
	*e = (struct catalog_entry){.name = xstrdup(name), .ml = true, .maintained = true};
	return e;
}

static void add_key(struct catalog_entry *e, const char *text)
{
	struct buf k = BUF_INIT;

	catalog_normalise(text, &k);
	if (k.len) {
		e->keys = xreallocarray(e->keys, e->nkeys + 1, sizeof(*e->keys));
		e->keys[e->nkeys++] = buf_detach(&k);
	}
	buf_free(&k);
}

static bool is_date(const char *s)
{
	static const char pat[] = "dddd-dd-dd";

	if (!s || strlen(s) != 10)
		return false;
	for (size_t i = 0; i < 10; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
			return false;
	return s[5] <= '1' && s[8] <= '3';
}

/* The entry whose key is `key`, other than `self`, or NULL. */
static const struct catalog_entry *owner_of(const struct catalog *c, const char *key,
					    const struct catalog_entry *self)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t k = 0; &c->entries[i] != self && k < c->entries[i].nkeys; k++)
			if (!strcmp(c->entries[i].keys[k], key))
				return &c->entries[i];
	return NULL;
}

/* Reads one entry of the chapter's catalog into `c`. */
static void read_entry(struct yread *r, const struct ydoc_node *n, struct catalog *c, bool crates,
		       const char *judged)
{
	static const char *const org_keys[] = {"name",   "aliases", "kind",   "domains",
					       "parent", "uses",    "source", NULL};
	static const char *const crate_keys[] = {"name",   "aliases", "category", "ml",     "maintained",
						 "judged", "domains", "uses",     "source", NULL};
	static const char *const org_req[] = {"name", "kind", "uses", "source", NULL};
	static const char *const crate_req[] = {"name", "category", "ml", "source", NULL};
	const char **aliases = NULL, **domains = NULL;
	const char *name, *src;
	size_t na, nd;
	struct catalog_entry *e;
	struct buf why = BUF_INIT;

	if (yread_map(r, n, "a catalog entry", crates ? crate_keys : org_keys, crates ? crate_req : org_req) < 0)
		return;
	name = yread_str(r, n, "name", NULL);
	if (!name || !*name)
		return;
	e = add_entry(c, name);
	add_key(e, name);
	if (!e->nkeys)
		yread_error(r, ydoc_get(n, "name"), "the name '%s' has no letter or digit", name);
	na = yread_strs(r, n, "aliases", &aliases);
	for (size_t i = 0; i < na; i++)
		add_key(e, aliases[i]);
	nd = yread_strs(r, n, "domains", &domains);
	for (size_t i = 0; i < nd; i++) {
		const char *d = domains[i];
		bool ok = strchr(d, '.') && !strchr(d, '/') &&
			  strspn(d, "abcdefghijklmnopqrstuvwxyz0123456789.-") == strlen(d);
		if (!ok) {
			yread_error(r, ydoc_get(n, "domains"),
				    "'%s' is not a host name (lower case, no scheme or path: 'pola.rs')", d);
			continue;
		}
		e->domains = xreallocarray(e->domains, e->ndomains + 1, sizeof(*e->domains));
		e->domains[e->ndomains++] = xstrdup(d);
	}
	src = yread_str(r, n, "source", NULL);
	if (src && source_check(src, NULL, &why) < 0)
		yread_error(r, ydoc_get(n, "source"), "the source %s %s", src, why.data);
	e->source = dup_or_null(src);
	e->uses = dup_or_null(yread_str(r, n, "uses", NULL));
	if (crates) {
		const char *cat = yread_str(r, n, "category", NULL);
		e->ml = yread_bool(r, n, "ml", true);
		if (cat && !in_list(e->ml ? ml_categories : other_categories, cat))
			yread_error(r, ydoc_get(n, "category"),
				    "category '%s' is not one of the %s categories of docs/catalogs.md",
				    cat, e->ml ? "ML" : "general-purpose (ml: false)");
		e->category = dup_or_null(yread_str(r, n, "category", NULL));
		e->maintained = yread_bool(r, n, "maintained", true);
		if (e->ml && !ydoc_get(n, "maintained"))
			yread_error(r, n, "an ML crate needs 'maintained' (true or false) and the date it was judged");
		e->judged = dup_or_null(yread_str(r, n, "judged", judged));
		if (ydoc_get(n, "judged") && !is_date(e->judged))
			yread_error(r, ydoc_get(n, "judged"), "'judged' must be a date, YYYY-MM-DD");
		if (e->ml && !e->judged)
			yread_error(r, n,
				    "an ML crate needs 'judged' (or the catalog's 'judged'): when its "
				    "maintenance was judged");
	} else {
		int kind = yread_enum(r, n, "kind", org_kinds, -1);
		e->kind = kind >= 0 ? xstrdup(org_kinds[kind]) : NULL;
	}
	free(aliases);
	free(domains);
	buf_free(&why);
}

/* Resolves the organisations' parents (by name) once every entry is read, and refuses a cycle. */
static void link_parents(struct yread *r, const struct ydoc_node *entries, struct catalog *c)
{
	size_t k = 0;

	for (size_t i = 0; i < entries->n && k < c->n; i++) {
		const struct ydoc_node *n = entries->items[i], *p = ydoc_get(n, "parent");
		const char *name = n->type == YDOC_MAP ? yread_str(r, n, "name", NULL) : NULL;
		struct buf key = BUF_INIT;
		const struct catalog_entry *parent;

		if (!name || !*name || strcmp(name, c->entries[k].name))
			continue;
		if (p && p->type == YDOC_SCALAR && *p->value) {
			catalog_normalise(p->value, &key);
			parent = owner_of(c, key.data, NULL);
			if (!parent || strcmp(parent->keys[0], key.data))
				yread_error(r, p, "the parent '%s' is not the name of an entry of this catalog",
					    p->value);
			else if (parent == &c->entries[k])
				yread_error(r, p, "'%s' cannot be its own parent", p->value);
			else
				c->entries[k].parent = parent;
		} else if (p && p->type != YDOC_SCALAR) {
			yread_error(r, p, "'parent' must be the name of another entry");
		}
		buf_free(&key);
		k++;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct catalog_entry *e = &c->entries[i];
		size_t steps = 0;
		while (e->parent && steps++ <= c->n)
			e = e->parent;
		if (steps > c->n) {
			yread_error(r, entries, "the parents of '%s' go round in a circle", c->entries[i].name);
			for (size_t j = 0; j < c->n; j++)
				c->entries[j].parent = NULL;
			break;
		}
	}
}

/* Refuses a name or alias that two entries share once normalised (an alias that is the entry's
 * own name again is harmless). */
static void check_unique(struct yread *r, const struct ydoc_node *entries, const struct catalog *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct catalog_entry *e = &c->entries[i];
		for (size_t k = 0; k < e->nkeys; k++) {
			const struct catalog_entry *o = owner_of(c, e->keys[k], e);
			if (o && o < e && k)
				yread_error(r, entries->items[i < entries->n ? i : 0],
					    "an alias of '%s' normalises to '%s', which already names '%s'",
					    e->name, e->keys[k], o->name);
			else if (o && o < e)
				yread_error(r, entries->items[i < entries->n ? i : 0],
					    "'%s' normalises to '%s', which already names '%s'", e->name,
					    e->keys[k], o->name);
		}
	}
}

/* Reads the chapter's catalog document into `c`. */
static void read_catalog(struct yread *r, const struct ydoc *doc, struct catalog *c)
{
	static const char *const top[] = {"catalog", "judged", "list_pages", "entries", NULL};
	static const char *const req[] = {"catalog", "entries", NULL};
	const struct ydoc_node *entries;
	const char **pages = NULL;
	const char *judged;
	int which;

	if (yread_map(r, doc->root, "the catalog", top, req) != 0)
		return;
	which = yread_enum(r, doc->root, "catalog", catalog_names, -1);
	if (which < 0)
		return;
	c->name = xstrdup(catalog_names[which]);
	judged = yread_str(r, doc->root, "judged", NULL);
	if (judged && !is_date(judged))
		yread_error(r, ydoc_get(doc->root, "judged"), "'judged' must be a date, YYYY-MM-DD");
	c->nlist_pages = yread_strs(r, doc->root, "list_pages", &pages);
	c->list_pages = c->nlist_pages ? xcalloc(c->nlist_pages, sizeof(*c->list_pages)) : NULL;
	for (size_t i = 0; i < c->nlist_pages; i++)
		c->list_pages[i] = xstrdup(pages[i]);
	free(pages);
	entries = ydoc_get(doc->root, "entries");
	if (entries->type != YDOC_SEQ || entries->n == 0) {
		yread_error(r, entries, "'entries' must be a non-empty list");
		return;
	}
	for (size_t i = 0; i < entries->n; i++)
		read_entry(r, entries->items[i], c, which == 1, judged);
	if (which == 0)
		link_parents(r, entries, c);
	check_unique(r, entries, c);
}

/* Adds the class's decisions on `c` (classcat.h) as entries of their own. */
static void add_decisions(struct catalog *c, const struct classcat *cls)
{
	for (size_t i = 0; i < cls->n; i++) {
		const struct classcat_decision *d = &cls->d[i];
		struct catalog_entry *e;
		if (strcmp(d->catalog, c->name))
			continue;
		e = add_entry(c, d->name);
		add_key(e, d->key ? d->key : d->name);
		e->origin = d->accepted ? CATALOG_ACCEPTED : CATALOG_REJECTED;
		e->reason = dup_or_null(d->reason);
		e->by = dup_or_null(d->by);
	}
}

struct catalog *catalog_load(const char *path, const char *class_path, struct buf *err)
{
	struct yread r = {.file = path, .errors = err};
	struct ydoc *doc = ydoc_load_file(path, err);
	struct catalog *c = xcalloc(1, sizeof(*c));
	const char *slash = strrchr(path, '/');

	c->file = xstrdup(slash ? slash + 1 : path);
	if (!doc) {
		catalog_free(c);
		return NULL;
	}
	read_catalog(&r, doc, c);
	ydoc_free(doc);
	if (!r.nerrors && class_path) {
		struct classcat *cls = classcat_load(class_path, err);
		if (cls)
			add_decisions(c, cls);
		else
			r.nerrors++;
		classcat_free(cls);
	}
	if (r.nerrors || !c->name) {
		catalog_free(c);
		return NULL;
	}
	return c;
}

int catalog_check(const char *path, struct buf *err)
{
	struct yread r = {.file = path, .errors = err};
	struct ydoc *doc = ydoc_load_file(path, err);
	struct catalog *c;

	if (!doc)
		return 1;
	c = xcalloc(1, sizeof(*c));
	read_catalog(&r, doc, c);
	ydoc_free(doc);
	catalog_free(c);
	return r.nerrors;
}

/* The entry whose name or alias is `key` (normalised); chapter entries before the class's. */
static const struct catalog_entry *find_key(const struct catalog *c, const char *key)
{
	if (!*key)
		return NULL;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->n; i++)
			for (size_t k = 0;
			     (c->entries[i].origin == CATALOG_CHAPTER) == !pass && k < c->entries[i].nkeys; k++)
				if (!strcmp(c->entries[i].keys[k], key))
					return &c->entries[i];
	return NULL;
}

const struct catalog_entry *catalog_find(const struct catalog *c, const char *name)
{
	struct buf key = BUF_INIT, outside = BUF_INIT;
	const struct catalog_entry *hit;
	const char *open = name ? strchr(name, '(') : NULL;

	catalog_normalise(name, &key);
	hit = find_key(c, key.data);
	while (!hit && open) {
		const char *close = strchr(open, ')');
		struct buf inner = BUF_INIT;
		if (!close)
			break;
		/* the name without its parenthesised part, then the part as an alias */
		buf_reset(&outside);
		buf_append(&outside, name, (size_t)(open - name));
		buf_puts(&outside, close + 1);
		catalog_normalise(outside.data, &key);
		hit = find_key(c, key.data);
		buf_append(&inner, open + 1, (size_t)(close - open - 1));
		if (!hit) {
			catalog_normalise(inner.data, &key);
			hit = find_key(c, key.data);
		}
		buf_free(&inner);
		open = strchr(close, '(');
	}
	buf_free(&key);
	buf_free(&outside);
	return hit;
}

const struct catalog_entry *catalog_suggest(const struct catalog *c, const char *name)
{
	struct buf key = BUF_INIT;
	const struct catalog_entry *best = NULL;
	size_t best_d = 99, allowed;
	char *w[MAX_WORDS];
	size_t first, nw;

	catalog_normalise(name, &key);
	allowed = key.len < 5 ? 0 : key.len < 9 ? 1 : 2;
	for (size_t i = 0; i < c->n && allowed; i++) {
		const struct catalog_entry *e = &c->entries[i];
		for (size_t k = 0; e->origin == CATALOG_CHAPTER && k < e->nkeys; k++) {
			size_t d = text_edit_distance(key.data, e->keys[k]);
			if (d > 0 && d <= allowed && d < best_d) {
				best_d = d;
				best = e;
			}
		}
	}
	/* Several words separated by spaces: an entry all of whose name's words are among them. */
	nw = strchr(name ? name : "", ' ') ? identity_words(w, words_of(name, w, MAX_WORDS), &first) : 0;
	for (size_t i = 0; !best && nw && i < c->n; i++) {
		const struct catalog_entry *e = &c->entries[i];
		char *ew[MAX_WORDS];
		size_t efirst, en = identity_words(ew, words_of(e->name, ew, MAX_WORDS), &efirst), have = 0;
		for (size_t j = efirst; j < en; j++)
			for (size_t q = first; q < nw; q++)
				if (!strcmp(ew[j], w[q]) && strlen(ew[j]) >= 3) {
					have++;
					break;
				}
		if (e->origin == CATALOG_CHAPTER && en > efirst && have == en - efirst &&
		    nw - first <= en - efirst + 2)
			best = e;
		free_words(ew, en);
	}
	if (nw)
		free_words(w, nw);
	buf_free(&key);
	return best;
}

const struct catalog_entry *catalog_top(const struct catalog_entry *e)
{
	while (e && e->parent)
		e = e->parent;
	return e;
}

bool catalog_host_related(const struct catalog_entry *e, const char *host)
{
	struct buf own = BUF_INIT, why = BUF_INIT;
	bool related = source_general_host(host);

	for (; e && !related; e = e->parent) {
		for (size_t i = 0; i < e->ndomains && !related; i++)
			related = source_host_within(host, e->domains[i]);
		if (!related && e->source && source_check(e->source, &own, &why) == 0)
			related = source_host_within(host, own.data);
	}
	buf_free(&own);
	buf_free(&why);
	return related;
}
