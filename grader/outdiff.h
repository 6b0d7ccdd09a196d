/* outdiff.h: compares the output of the Python original ("expected") with the Rust port's
 * ("actual") and, when they differ, says where and how, in words a learner can act on.
 *
 * The comparison is a pure function of the two byte strings and the options: no files, no
 * processes, no state. Work is near-linear in the size of the outputs (sorting lines for
 * `unordered-lines`, object keys for `json`) and memory is linear with a small factor, whatever
 * the bytes are; outputs should still be capped by the caller (a run's output limit). Every string
 * in a result is valid UTF-8 without NUL or terminal controls (see text.h), ready for a report. */
#ifndef GRADER_OUTDIFF_H
#define GRADER_OUTDIFF_H

#include <stdbool.h>
#include <stddef.h>

enum outdiff_mode {
	OUTDIFF_EXACT,   /* byte for byte */
	OUTDIFF_LINES,   /* lines; trailing whitespace, CR before LF and one final newline ignored */
	OUTDIFF_TOKENS,  /* whitespace-separated tokens */
	OUTDIFF_NUMERIC, /* tokens; numbers equal within the tolerances */
	OUTDIFF_UNORDERED_LINES, /* the multiset of lines, normalised as for OUTDIFF_LINES */
	OUTDIFF_JSON,            /* one JSON value each; key order ignored; numbers within tolerance */
	OUTDIFF_CSV,             /* RFC 4180; same header, rows, columns; numbers within tolerance */
};

/* The name of each mode ("unordered-lines"), indexed by enum outdiff_mode and ended by NULL: the
 * names a spec and a manifest accept. */
extern const char *const outdiff_mode_names[];

/* The valid mode names, comma separated, for error messages:
 * "exact, lines, tokens, numeric, unordered-lines, json, csv". */
#define OUTDIFF_MODE_NAMES "exact, lines, tokens, numeric, unordered-lines, json, csv"

/* Sets *mode from its name (exactly as in OUTDIFF_MODE_NAMES). Returns 0, or -1 for an unknown
 * name, leaving *mode untouched; the caller's message should list OUTDIFF_MODE_NAMES. */
int outdiff_mode_parse(const char *name, enum outdiff_mode *mode);

/* Returns the name of a mode ("unordered-lines"), or "?" for a value outside the enum. */
const char *outdiff_mode_name(enum outdiff_mode mode);

/* Parses a tolerance: a finite number >= 0 written as a decimal or with an exponent ("1e-9",
 * "0.001", "0"). Returns 0, or -1 leaving *out untouched. */
int outdiff_tolerance_parse(const char *s, double *out);

/* Default number of bytes of each excerpt, and the most that can be asked for. */
#define OUTDIFF_EXCERPT_DEFAULT 120
#define OUTDIFF_EXCERPT_MAX 4096

struct outdiff_options {
	enum outdiff_mode mode;
	/* Two numbers a and b are equal when |a-b| <= abs_tol or |a-b| <= rel_tol * max(|a|,|b|).
	 * Both must be finite and >= 0; 0 and 0 ask for equal values. NaN equals NaN, an infinity
	 * equals only the same infinity, -0 equals 0. Used by numeric, json and csv. */
	double abs_tol;
	double rel_tol;
	size_t excerpt_bytes; /* bytes per excerpt; 0 means OUTDIFF_EXCERPT_DEFAULT; capped at MAX */
};

/* What kind of difference was found first. */
enum outdiff_diff {
	OUTDIFF_SAME = 0,
	OUTDIFF_DIFF_CONTENT,     /* a byte, line, token, value or cell differs */
	OUTDIFF_DIFF_MISSING,     /* the actual output lacks lines, tokens or rows that are expected */
	OUTDIFF_DIFF_EXTRA,       /* the actual output has more lines, tokens or rows */
	OUTDIFF_DIFF_TYPE,        /* a number against a word, JSON types, CSV column types */
	OUTDIFF_DIFF_SHAPE,       /* CSV header or column count, JSON array length or object keys */
	OUTDIFF_INVALID_EXPECTED, /* the expected output is not valid JSON or CSV */
	OUTDIFF_INVALID_ACTUAL,   /* the actual output is not valid JSON or CSV */
};

/* The outcome of a comparison. When `equal` is false, `message` and both excerpts are set
 * (an excerpt is "" when that output has nothing at the place, e.g. a missing line); positions
 * are 1-based and 0 where they do not apply (no such place in that output, or a json value, which
 * is located by `json_path` instead). All strings are malloc'ed and owned by the result. */
struct outdiff_result {
	bool equal;
	enum outdiff_diff kind;
	size_t expected_line, expected_column; /* column counts characters, not bytes */
	size_t actual_line, actual_column;
	size_t csv_row;         /* csv: record number, the header being row 1; 0 otherwise */
	char *csv_column;       /* csv: the column's name from the expected header, or NULL */
	char *json_path;        /* json: where the values differ, e.g. "$.scores[3].value", or NULL */
	char *expected_excerpt; /* the expected output around the difference, <= excerpt_bytes */
	char *actual_excerpt;   /* the actual output around the difference, <= excerpt_bytes */
	char *message;          /* one sentence, e.g. "line 7, column 12: expected 0.3333333333 but
				 * got 0.3333 (difference 3.3e-05 > tolerance abs 1e-09, rel 1e-06)";
				 * for a difference inside a line (exact, lines, tokens, numeric) it
				 * goes on with the two lines and a caret, each line starting with
				 * two spaces (see docs/compare.md); the first line is the sentence */
};

/* Compares `expected` (elen bytes) with `actual` (alen bytes) as `opt` says and fills *res (which
 * need not be initialised). Either pointer may be NULL when its length is 0. Outputs that are not
 * valid JSON or CSV in those modes are a difference (OUTDIFF_INVALID_*), not an error. Returns 0,
 * or -1 when the options are invalid (errno EINVAL; *res is then empty). Free with outdiff_result_free() in both cases. */
int outdiff_outputs(const struct outdiff_options *opt, const char *expected, size_t elen,
		    const char *actual, size_t alen, struct outdiff_result *res);

/* Frees the strings of a result and clears it; safe on a cleared or already freed result. */
void outdiff_result_free(struct outdiff_result *res);

#endif
