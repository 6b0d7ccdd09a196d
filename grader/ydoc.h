/* ydoc.h: YAML files as a small tree of maps, sequences and scalars, plus typed readers that turn
 * mistakes into "file:line:col: message" errors.
 *
 * libyaml's event API does the parsing. This module adds what libyaml 0.2.5 lacks for untrusted
 * input: a size cap before parsing, a depth cap, refusal of anchors and aliases (no alias bombs),
 * refusal of duplicate keys, and 1-based marks on every node. Keys of maps are plain strings.
 * Scalars keep their bytes and length (they may contain NUL) and whether they were quoted. */
#ifndef GRADER_YDOC_H
#define GRADER_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define YDOC_MAX_BYTES ((size_t)1 << 20) /* 1 MiB: larger files are refused before parsing */
#define YDOC_MAX_DEPTH 32
#define YDOC_MAX_NODES 100000

enum ydoc_type { YDOC_SCALAR, YDOC_MAP, YDOC_SEQ };

struct ydoc_node {
	enum ydoc_type type;
	int line, col; /* 1-based position of the node's start */
	/* YDOC_SCALAR */
	char *value; /* NUL-terminated copy; may contain NUL before `len` */
	size_t len;
	bool quoted; /* written '…' or "…" or as a block scalar: always a string */
	/* YDOC_MAP: keys[i] → items[i]; YDOC_SEQ: items[i] */
	char **keys;
	int *key_lines, *key_cols;
	struct ydoc_node **items;
	size_t n;
};

struct ydoc {
	char *file;             /* the name used in messages */
	struct ydoc_node *root; /* NULL for an empty document */
};

/* Loads one YAML document from a file (a second document in the stream is an error). Returns NULL
 * and appends "file:line:col: message" to `err` on any error, including a missing file, a file
 * over YDOC_MAX_BYTES, invalid UTF-8, syntax errors, anchors/aliases, duplicate keys, or nesting
 * deeper than YDOC_MAX_DEPTH. */
struct ydoc *ydoc_load_file(const char *path, struct buf *err);
/* The same for a file a learner placed: `rel` beneath the folder `dir`, reached without any
 * symbolic link (see fs_open_beneath); messages name `rel`. */
struct ydoc *ydoc_load_beneath(const char *dir, const char *rel, struct buf *err);
/* The same from memory; `name` is used in messages. */
struct ydoc *ydoc_load_string(const char *name, const char *data, size_t len, struct buf *err);
void ydoc_free(struct ydoc *doc);

/* The value of `key` in a map node, or NULL (also when `map` is NULL or not a map). */
const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key);
/* True for a scalar that is not blank, or a non-empty sequence of such scalars. */
bool ydoc_filled(const struct ydoc_node *v);
/* The choice (NULL-terminated list) closest to `word` by edit distance, when it is within two
 * edits (a typo), else NULL: what "did you mean" suggests. */
const char *ydoc_closest(const char *word, const char *const *choices);
/* "map", "sequence" or "scalar". */
const char *ydoc_type_name(enum ydoc_type t);

/* A typed reader of one document: collects every error (not just the first) into `errors`, one
 * per line, each "file:line:col: message". Pass it to the yread_* functions below. */
struct yread {
	const char *file;
	struct buf *errors;
	int nerrors;
};

/* Records an error at a node (or at line 1, column 1 when node is NULL). */
void yread_error(struct yread *r, const struct ydoc_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Checks that `node` is a map whose keys are all in `allowed` (NULL-terminated) and that every key
 * in `required` (NULL-terminated, may be NULL) is present. Unknown keys get a "did you mean"
 * suggestion. `what` names the map in messages ("limits", "the spec"). Returns 0 if all is well. */
int yread_map(struct yread *r, const struct ydoc_node *node, const char *what,
	      const char *const *allowed, const char *const *required);

/* Typed getters of `key` in map `m`. When the key is absent they return `def` (or leave *out as
 * is) without an error; when it is present with the wrong type or out of range they record an
 * error naming the key, what was expected and what was found, and return the default. The
 * returned strings point into the document. */
const char *yread_str(struct yread *r, const struct ydoc_node *m, const char *key, const char *def);
long long yread_int(struct yread *r, const struct ydoc_node *m, const char *key, long long min,
		    long long max, long long def);
double yread_double(struct yread *r, const struct ydoc_node *m, const char *key, double min, double max,
		    double def);
bool yread_bool(struct yread *r, const struct ydoc_node *m, const char *key, bool def);
double yread_duration(struct yread *r, const struct ydoc_node *m, const char *key, double min,
		      double max, double def);
uint64_t yread_size(struct yread *r, const struct ydoc_node *m, const char *key, uint64_t min,
		    uint64_t max, uint64_t def);
/* A scalar that must be one of `choices` (NULL-terminated); returns its index, or `def`. */
int yread_enum(struct yread *r, const struct ydoc_node *m, const char *key, const char *const *choices, int def);
/* A sequence of scalars (or one scalar, taken as a sequence of one). Returns the count and points
 * *out at a malloc'ed array of pointers into the document (free it with free()); 0 and NULL when
 * absent, empty or wrong. */
size_t yread_strs(struct yread *r, const struct ydoc_node *m, const char *key, const char ***out);

#endif
