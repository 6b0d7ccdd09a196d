/* classcat.h: the class catalog, the instructor's decisions on answers of exercises 1 and 3 that the
 * chapter's catalogs do not know (docs/review.md). `grader review` writes it; a grading given
 * --class-catalog FILE reads it (grade_ctx.class_catalog), so that an accepted name is verified and
 * a rejected one earns nothing. The format (fixed by issue 16):
 *
 *   organisations:              # a chapter catalog's `catalog:` name
 *     accepted:
 *       - {name: Candle Labs, key: candlelabs, by: alice, when: 2026-12-01T10:00:00Z, reason: "..."}
 *     rejected:
 *       - {name: My Blog, key: myblog, by: alice, when: 2026-12-01T10:00:00Z, reason: "..."}
 *   crates: {accepted: [], rejected: []}
 *
 * `name` is the first spelling the class gave, `key` its normalised form (catalog_normalise), which
 * is what matching uses; `by` and `when` (a date or an ISO 8601 time) are required, `reason` is
 * optional for an acceptance and required for a rejection. A key is decided at most once per
 * catalog. Every string of a decision is the module's own copy; nothing here prints. */
#ifndef GRADER_CLASSCAT_H
#define GRADER_CLASSCAT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct classcat_decision {
	char *catalog; /* "organisations", "crates" */
	bool accepted; /* false: rejected */
	char *name, *key, *by, *when;
	char *reason; /* may be NULL for an acceptance */
};

struct classcat {
	struct classcat_decision *d; /* in file order (catalogs, then accepted before rejected) */
	size_t n;
};

/* An empty catalog (free with classcat_free). */
struct classcat *classcat_new(void);
/* Loads and checks a class catalog file. Returns NULL with "file:line:col: message" lines in `err`
 * for every problem (a missing file, YAML errors, an unknown key, a missing field, a bad `when`, a
 * key decided twice or both accepted and rejected). */
struct classcat *classcat_load(const char *path, struct buf *err);
/* Frees the catalog (NULL allowed). */
void classcat_free(struct classcat *c);
/* The decision on `key` in catalog `catalog`, or NULL (borrowed). */
const struct classcat_decision *classcat_find(const struct classcat *c, const char *catalog, const char *key);
/* Records a decision (the strings are copied; reason may be NULL). A key already decided the same
 * way is replaced (the newer decision's by/when/reason); one decided the other way is refused:
 * returns -1 with the reason in `err`. Returns 0. */
int classcat_decide(struct classcat *c, const char *catalog, bool accepted, const char *name,
		    const char *key, const char *by, const char *when, const char *reason, struct buf *err);
/* Removes the decision on `key` in `catalog`, if any (grader review --force, to change one). */
void classcat_undecide(struct classcat *c, const char *catalog, const char *key);
/* Writes the catalog as YAML (libyaml's emitter) to `path` atomically (fs_write_atomic), every
 * catalog named in `catalogs` (NULL-terminated, may be NULL) present even when it has no decision.
 * Returns 0, or -1 with the reason, naming the path, in `err`. */
int classcat_write(const struct classcat *c, const char *const *catalogs, const char *path, struct buf *err);

/* True for a date (2026-12-01) or an ISO 8601 time with seconds and Z or an offset
 * (2026-12-01T10:00:00Z, 2026-12-01T11:00:00+01:00): what `when` takes here and in overrides. */
bool classcat_when_ok(const char *s);
/* The current time in UTC as ISO 8601 ("2026-12-01T10:00:00Z") into out (at least 21 bytes). */
void classcat_now(char *out, size_t size);

#endif
