/* similarity.h: which learners' ports are alike, from the fingerprints each grading left beside
 * its report (REPORTS/LEARNER/fingerprints.json, fingerprint.h): what `grader similarity` prints
 * and writes, and what a class summary embeds. docs/similarity.md explains the method.
 *
 * Each pair of learners is compared language by language (Rust, Python): the score of a language
 * is the number of distinct fingerprints the two share over the number of distinct fingerprints of
 * the smaller side (containment, so that a copy padded with code of its own is still found); a
 * side with fewer than SIMILARITY_MIN_PRINTS is too small to judge and gets no score. A pair's
 * score is its highest language score; pairs at or above the threshold are listed with their
 * matching regions: runs of shared fingerprints in the same order on both sides, as
 * file:first-last lines on each side. */
#ifndef GRADER_SIMILARITY_H
#define GRADER_SIMILARITY_H

#include <stdio.h>

#include "buf.h"

#define SIMILARITY_SCHEMA_VERSION 1
#define SIMILARITY_MIN_PRINTS 10  /* distinct fingerprints a side needs to be scored */
#define SIMILARITY_MAX_REGIONS 50 /* regions listed per pair and language, the largest first */
/* Pairs listed, the highest scores first: a class built on one template can put every pair above
 * the threshold (n^2 / 2 of them). */
#define SIMILARITY_MAX_PAIRS 200
#define SIMILARITY_DEFAULT_THRESHOLD 0.5

/* Compares every pair of learners found in the folders dirs[0..ndirs) (reports folders holding
 * LEARNER/fingerprints.json, several for a class graded in shards; or a learner's folder itself).
 * `threshold` in [0, 1], or negative for the one the fingerprints carry (the chapter's
 * `similarity.threshold`; the lowest when they differ; SIMILARITY_DEFAULT_THRESHOLD when none).
 *
 * Sets *json_out to the result as a cJSON tree (passed as void *, as report_read does; free it
 * with cJSON_Delete; reports/similarity.schema.json describes it), made from every file that
 * could be read. Returns the number of learners read, or -1 with one line per problem in `err`,
 * each naming the path: a PATH that is not a folder, a fingerprints.json that cannot be read or
 * is not one of this version and method, a learner found in two folders, no fingerprints at all.
 * Every pair at or above the threshold is counted (pairs_above_threshold); the SIMILARITY_MAX_PAIRS
 * highest are listed with their regions, so that memory and output stay bounded.
 * A learner folder with a report.json and no fingerprints.json (graded by an older grader, or
 * not graded) is not an error: the result lists it under without_fingerprints. */
int similarity_class(char *const *dirs, int ndirs, double threshold, void **json_out, struct buf *err);

/* Prints the result of similarity_class as text: one line of totals, then each pair at or above
 * the threshold with its scores and its regions. Learner text is shown by text_visible(). */
void similarity_print(const void *json, FILE *f);

#endif
