/* fingerprint.h: token fingerprints of Rust and Python sources, for `grader similarity`
 * (similarity.h; docs/similarity.md says how it works and what it cannot catch).
 *
 * A source is cut into tokens with comments, layout and docstrings dropped, every identifier
 * (lifetimes and labels too) made "V", every number "N", every string or char literal "S";
 * keywords and operators are kept. So renaming and reformatting change nothing. Every run of
 * FINGERPRINT_K tokens of one file is hashed (53 bits, exact in a JSON number), and winnowing keeps
 * the smallest hash of every FINGERPRINT_WINDOW consecutive ones (Schleimer, Wilkerson and Aiken,
 * 2003, the method of MOSS): two files that share a run of FINGERPRINT_K + FINGERPRINT_WINDOW - 1
 * tokens or more always share a fingerprint, and reordering functions loses only the runs that
 * straddle a boundary.
 *
 * A submission is hostile: the walk opens nothing through a symbolic link, skips hidden folders,
 * vendor/, target/, __pycache__/ and node_modules/, and files over FINGERPRINT_MAX_FILE bytes, with
 * a NUL byte or invalid UTF-8 (each named in the file's `skipped` list), and stops at caps of files,
 * tokens and fingerprints. */
#ifndef GRADER_FINGERPRINT_H
#define GRADER_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "spec.h"

#define FINGERPRINT_K 12                         /* tokens per hashed run */
#define FINGERPRINT_WINDOW 8                     /* hashes per winnowing window */
#define FINGERPRINT_MAX_FILE ((size_t)256 << 10) /* bytes: larger sources are skipped */
#define FINGERPRINT_MAX_FILES 2000               /* source files per submission */
#define FINGERPRINT_MAX_TOKENS 500000            /* tokens per submission and language */
#define FINGERPRINT_HASH_BITS 53
#define FINGERPRINTS_SCHEMA_VERSION 1

enum fp_lang { FP_RUST, FP_PYTHON, FP_NLANGS };

/* "rust", "python". */
extern const char *const fp_lang_names[FP_NLANGS];

/* One token: its kind's code (the same text always gives the same code) and its 1-based line. */
struct fp_token {
	uint32_t code;
	int line;
};

/* Cuts `len` bytes of source into tokens, appended to *toks (a malloc'ed array of *ntoks, grown
 * with xreallocarray; start with NULL and 0), at most `max` tokens in all. Never fails: any byte
 * sequence gives some tokens. `text`, when not NULL, gets the tokens' normal forms separated by
 * spaces (what the unit tests read). */
void fp_tokenize(enum fp_lang lang, const char *src, size_t len, struct fp_token **toks, size_t *ntoks,
		 size_t max, struct buf *text);

/* One fingerprint: a k-gram's hash, the file it is in (an index into the set's files) and the
 * lines of its first and last tokens. */
struct fp_print {
	uint64_t hash;
	int file;
	int line, last;
};

/* Winnows the tokens of one file: appends to *out (of *nout, grown with xreallocarray) the
 * fingerprints of toks[0..n), each with file index `file`. A file of fewer than FINGERPRINT_K
 * tokens has none. With `all` set every k-gram's hash is kept (what code given to everyone is
 * removed with). */
void fp_winnow(const struct fp_token *toks, size_t n, int file, int all, struct fp_print **out, size_t *nout);

/* The fingerprints of one language of one tree. */
struct fp_set {
	char **files; /* relative paths, as text_visible() shows them on one line */
	size_t nfiles;
	size_t ntokens;
	struct fp_print *prints;
	size_t nprints;
};

/* What a walk of a tree found: a set per language, and the files it left out with why. */
struct fp_tree {
	struct fp_set lang[FP_NLANGS];
	char **skipped; /* "path: reason", the path as text_visible() shows it on one line */
	size_t nskipped;
};

/* Walks `dir` (a folder or a single file) and fingerprints its .rs and .py files in name order.
 * With `all` set, every k-gram is kept (see fp_winnow). Returns 0, or -1 with the reason in `err`
 * when `dir` itself cannot be opened. Free with fp_tree_free (also after a failure). */
int fp_tree_scan(const char *dir, int all, struct fp_tree *t, struct buf *err);
void fp_tree_free(struct fp_tree *t);

/* Takes the submission's fingerprints at grading time and writes REPORT_DIR/fingerprints.json
 * (reports/fingerprints.schema.json) atomically: the .rs and .py files of `tree` without the
 * k-grams of the code given to everyone (the chapter's similarity.starter and every exercise's
 * `original`), with the chapter's threshold. Never fails a grading: a problem is logged as a
 * warning (log.h) and -1 returned, else 0. */
int fingerprint_submission(const struct spec_chapter *chapter, const char *learner, const char *tree,
			   const char *report_dir);

#endif
