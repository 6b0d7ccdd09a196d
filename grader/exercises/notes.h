/* notes.h: checks a learner's written notes (ex4/NOTES.md): present, long enough, with the
 * sections the spec names as Markdown headings, each long enough, and speaking of the learner's
 * own port: naming at least `min_names` of its files, functions or types (docs/submission.md,
 * "Notes"). The functions below other than notes_check work on text in memory and are pure. */
#ifndef GRADER_NOTES_H
#define GRADER_NOTES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "result.h"
#include "spec.h"

#define NOTES_MAX_NAMES 1000         /* names collected from the sources, at most */
#define NOTES_MAX_SOURCES 200        /* source files read, at most */
#define NOTES_MAX_SOURCE (256 << 10) /* bytes read of each source file, at most */

/* The names of a submission's code that notes may mention: file names ("main.rs",
 * "featreport.py") and the names Rust's `fn`, `struct`, `enum`, `trait`, `type` and Python's
 * `def`, `class` define, each once, in the order found. Free with notes_names_free. */
struct notes_names {
	char **v;
	size_t n;
};
void notes_names_free(struct notes_names *names);

/* Adds the file name `file` (its last component) and the names defined in `text` (`len` bytes of
 * a Rust source when `rust`, else Python) to `names`, up to NOTES_MAX_NAMES; names of fewer than
 * 3 characters are left out. */
void notes_names_from_source(const char *file, const char *text, size_t len, bool rust,
			     struct notes_names *names);

/* Whether a name counts wherever it stands as a whole word: it holds '_', '.', a digit or an
 * upper-case letter after its first character (parse_row, main.rs, FeatReport). Any other name is
 * an ordinary word too (main, mean, Stats), and counts only in backticks or right before '('. */
bool notes_name_distinct(const char *name);

/* Which of `names` the notes `text` mention (as notes_name_distinct says), each once, in the
 * order of `names`, into `found` (a list of names separated by ", "). Returns their count. Work
 * is O(len log len + names log len). */
size_t notes_mentions(const char *text, size_t len, const struct notes_names *names, struct buf *found);

/* The words of the section whose Markdown heading contains `heading` (case ignored): from the
 * line after that heading to the next heading of the same or a higher level. Lines in fenced
 * code blocks are no headings. Returns -1 when no heading contains it. */
long notes_section_words(const char *text, size_t len, const char *heading);

/* Fills check `c` from the notes file under `submission`. The points are shared equally among
 * the parts the spec asks for: the total words, the sections present (in proportion), the words
 * of each section (in proportion to the sections long enough; when min_words_per_section is set)
 * and the names of the learner's code (when min_names is set), collected from the .rs and .py
 * files beneath the notes' folder (target/, vendor/ and dot folders left out; NOTES_MAX_*). */
void notes_check(const char *submission, const struct spec_notes *spec, struct result_check *c);

#endif
