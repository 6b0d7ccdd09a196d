/* learner.h: learner ids. An id names the learner's report folder (REPORTS/ID) and work folder
 * (WORK/ID), so it must be a safe file name on its own, never rewritten into one: two ids that
 * became the same name would share a folder and a report.
 *
 * A safe id is 1 to LEARNER_ID_MAX characters from [A-Za-z0-9._-], starting with a letter or a
 * digit. So it has no '/', is never "." or "..", and never starts with a dot: the grader keeps its
 * own files in dot-folders (WORK/.grader), where no learner id can reach. */
#ifndef GRADER_LEARNER_H
#define GRADER_LEARNER_H

#include <stdbool.h>

#include "buf.h"

#define LEARNER_ID_MAX 64

/* What a safe id is, in one sentence, for messages. */
#define LEARNER_ID_RULE \
	"an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or a digit"

/* NULL when `id` is a safe id, else a short reason ("contains '/'", "starts with '.'"). */
const char *learner_id_problem(const char *id);

/* True when `a` and `b` would name the same folder on a case-insensitive file system. */
bool learner_id_same(const char *a, const char *b);

/* Appends `id` as it may be shown in a message: printable ASCII as is, other bytes as \xNN, at
 * most 100 bytes of it. An id that was refused can hold anything, a terminal escape included. */
void learner_id_quote(const char *id, struct buf *out);

/* The shard (0 to n-1) a learner belongs to when a class is graded in `n` parts (grader batch
 * --shard): the first 8 bytes of the SHA-256 of the id in lower case, modulo `n`. It depends on
 * the id alone, so the same learner is in the same shard whatever the roster's order, on every
 * machine; ids that learner_id_same() holds equal share a shard. `n` must be at least 1. */
unsigned learner_shard(const char *id, unsigned n);

#endif
