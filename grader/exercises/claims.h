/* claims.h: exercise 2's claims (speedup, memory ratio, lines of code, functions, complexity) set
 * against the grader's own figures. A learner measured on their machine and counted with their
 * tool; the grader measures on its own and counts its way (exercises/complexity.h says how), so a
 * claim is judged consistent within a tolerance, never by equality. */
#ifndef GRADER_CLAIMS_H
#define GRADER_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>

#include "program_which.h"

#define CLAIMS_TOP 10  /* most complex functions kept */
#define CLAIMS_FIRST 8 /* first functions kept, in file order, to name them in a message */

/* One function: `file` relative to the counted path ("" when that path is the file itself),
 * `name` as safe text (text.h) of at most 64 bytes; both malloc'ed, owned by the claims_code. */
struct claims_fn {
	char *file, *name;
	long line, cc;
};

/* What the grader counts of a program (see complexity.h for the rules). */
struct claims_code {
	int files;
	bool capped; /* files were left out: more than 1000 of them, or more than 64 MiB in all */
	long long lines, sloc, functions, complexity; /* physical lines, SLOC, functions, total cc */
	long long top_level;              /* the part of `complexity` from code outside every function */
	struct claims_fn top[CLAIMS_TOP]; /* highest complexity first; ties in file order */
	size_t ntop;
	struct claims_fn first[CLAIMS_FIRST]; /* the first functions in file order */
	size_t nfirst;
};

/* Counts a file, or every `.py` / `.rs` file under a directory, in name order (symbolic links are
 * not followed; folders named vendor, target, __pycache__, node_modules or starting with a dot are
 * left out; at most 1000 files of at most 4 MiB each, 64 MiB in all, 16 folders deep). Adds to
 * `out` (start it zeroed; free it with claims_code_free()). Returns 0, or -1 with errno set when
 * `path` cannot be read. */
int claims_count_code(const char *path, enum program_which lang, struct claims_code *out);
void claims_code_free(struct claims_code *c);

/* A claimed ratio (a speedup, or a memory ratio) against the grader's figure, an interval
 * [low, high] (low == high for a single figure): consistent when the claim lies within
 * [low / factor, high * factor]. `factor` >= 1. */
bool claims_ratio_consistent(double claim, double low, double high, double factor);

/* A claimed count (lines of code, total complexity) against the grader's `count` > 0: consistent
 * when it differs by at most `tol` (a fraction) of the count, and never by less than `floor`
 * (lines of code: 2; complexity: 1) so that tiny programs are not judged to the unit. */
bool claims_near(long long claim, long long count, double tol, long long floor);

/* A claimed number of functions against the grader's: consistent within `within` functions. A
 * claim of 0 is a claim (a script without functions). */
bool claims_functions_consistent(long long claim, long long count, long long within);

#endif
