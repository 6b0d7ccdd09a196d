/* catalog.h: the chapter's catalogs of organisations and crates (the YAML files of specs/CHAPTER/catalog,
 * documented in docs/catalogs.md), extended by the class's review decisions (docs/review.md), and
 * how a name a learner writes resolves to an entry. */
#ifndef GRADER_CATALOG_H
#define GRADER_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum catalog_origin {
	CATALOG_CHAPTER,  /* the chapter's catalog */
	CATALOG_ACCEPTED, /* accepted by the class's instructor */
	CATALOG_REJECTED, /* rejected by the class's instructor */
};

struct catalog_entry {
	char *name;
	char **keys; /* the normalised name, then the normalised aliases */
	size_t nkeys;
	char **domains; /* hosts that belong to the entry */
	size_t ndomains;
	char *kind, *category, *uses, *source, *judged; /* NULL when absent */
	bool ml, maintained;
	const struct catalog_entry *parent; /* organisations: the one it is part of, or NULL */
	enum catalog_origin origin;
	char *reason, *by; /* a class decision's reason and author, or NULL */
};

struct catalog {
	char *name; /* "organisations" or "crates" */
	char *file; /* the catalog file's last part, e.g. "organisations.yaml" */
	struct catalog_entry *entries;
	size_t n;
	char **list_pages; /* links to lists of entries, which are no source (`list_pages:`) */
	size_t nlist_pages;
};

/* Loads the catalog at `path` and, when `class_path` is not NULL, the decisions of the class's
 * catalog file on it (classcat.h). Returns NULL with "file:line:col: message" lines in `err` when either is
 * invalid (catalog_check's errors). Free with catalog_free. */
struct catalog *catalog_load(const char *path, const char *class_path, struct buf *err);
void catalog_free(struct catalog *c);

/* Checks the catalog file at `path`: known keys, unique names and aliases once normalised, https
 * sources that sources.h accepts, kinds and categories from docs/catalogs.md, parents that are
 * entries of the file without a cycle, dates. Returns the number of errors, each appended to `err`. */
int catalog_check(const char *path, struct buf *err);

/* The identity of a name, for matching: lower case, letters and digits only, without a leading
 * "the" or trailing legal forms ("Hugging Face, Inc." and "huggingface" both give "huggingface").
 * Writes into `out`. */
void catalog_normalise(const char *name, struct buf *out);

/* The entry `name` is by its name or an alias, normalised; a part in parentheses is also tried on
 * its own, and the name without it ("Polars (pola.rs)"). NULL when none. */
const struct catalog_entry *catalog_find(const struct catalog *c, const char *name);

/* The entry `name` probably means when it is not one: within one edit (names of 5 to 8
 * characters) or two (longer), or, for a name of several words, one that contains every word of
 * an entry's name and at most two more ("Polars DataFrame" for Polars). NULL when none. */
const struct catalog_entry *catalog_suggest(const struct catalog *c, const char *name);

/* The outermost entry that `e` is part of (itself when it has no parent). */
const struct catalog_entry *catalog_top(const struct catalog_entry *e);

/* True when a source on `host` may concern `e`: a host of its domains or of its catalog source,
 * or of an entry it is part of, or a general host (sources.h). */
bool catalog_host_related(const struct catalog_entry *e, const char *host);

#endif
