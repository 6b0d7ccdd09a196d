/* review.h: the class's review queue (`grader review`, docs/review.md): the answers of the research
 * exercises (1 and 3) that the chapter's catalogs do not know, gathered from every learner's report
 * (the `verified` check's evidence entries with status "review") and grouped by exercise and
 * normalised name, so that an instructor decides once per name; the entries with status
 * "suggested" (a near miss of a catalog name: the learner must fix it) are gathered apart. The
 * decisions go to the class catalog (classcat.h).
 *
 * Every string of a group is the report's (learner text): print it through text_visible(), as
 * review_print() does. Nothing here prints but review_print(). */
#ifndef GRADER_REVIEW_H
#define GRADER_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "classcat.h"
#include "spec.h"
#include "summary.h"

struct review_group {
	char *exercise;   /* the exercise's id ("ch01-ex1") */
	char *catalog;    /* its catalog's `catalog:` name ("organisations") */
	char *key;        /* the normalised name (the entry's `key`, else catalog_normalise(name)) */
	char *suggestion; /* suggested groups: the catalog name the grader suggested, or NULL */
	char **spellings; /* the names as the learners wrote them, distinct, first seen first */
	size_t nspellings;
	char **learners; /* distinct, sorted */
	size_t nlearners;
};

struct review {
	struct review_group *review; /* awaiting a decision: most learners first, then by key */
	size_t nreview;
	struct review_group *suggested; /* the learners must fix these */
	size_t nsuggested;
};

/* The `catalog:` name of an answers exercise's catalog file (else the file's name without
 * .yaml), into `out`. */
void review_catalog_name(const struct spec_exercise *ex, struct buf *out);

/* Gathers the queue of the class `s` (its reports' research exercises, the chapter `ch` saying
 * which catalog each uses; an exercise the chapter does not know is named by its id). Never NULL;
 * free with review_free. */
struct review *review_collect(const struct summary *s, const struct spec_chapter *ch);
void review_free(struct review *rv);

/* Prints the queue for a person: each group as "Candle Labs — 14 learners (alice, bob, …) [ex1]"
 * with its key and spellings; a name the class catalog `cc` (may be NULL) already decided is shown
 * under "Decided" with the decision, unless `hide_decided`. Then the suggested ones. */
void review_print(const struct review *rv, const struct classcat *cc, bool hide_decided, FILE *f);
/* The queue as JSON (a cJSON * tree, free with cJSON_Delete): {"review": [...], "suggested":
 * [...]}, each group {exercise, catalog, key, name, spellings, learners, count, decision}. */
void *review_json(const struct review *rv, const struct classcat *cc);

/* The groups that `what` (a key, or a name that normalises to one) names, among those awaiting
 * review, or, with `anywhere`, the suggested ones too. Appends their indexes (into rv->review, and
 * rv->nreview + i for suggested group i) to `idx` (at most `max`); returns how many. */
size_t review_find(const struct review *rv, const char *what, bool anywhere, size_t *idx, size_t max);
/* The group of index `i` as review_find() numbers them. */
const struct review_group *review_group_at(const struct review *rv, size_t i);

#endif
