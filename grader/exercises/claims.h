/* claims.h: exercise 2's claims (speedup, memory ratio, lines of code) set against the grader's
 * own figures. A learner measured on their machine and counted with their tool; the grader
 * measures on its own and counts its way, so a claim is judged consistent within a tolerance,
 * never by equality. */
#ifndef GRADER_CLAIMS_H
#define GRADER_CLAIMS_H

#include <stdbool.h>

#include "program_which.h"

/* Lines of a program: `lines` physical lines (what `wc -l` counts, plus an unterminated last
 * line), `code` lines that hold code: not blank and not only a comment (Python: `#`; Rust: `//`
 * and block comments; a Python docstring counts as code). */
struct claims_loc {
	long long lines, code;
	int files;
};

/* Counts the lines of a file, or of every `.py` / `.rs` file under a directory (symbolic links are
 * not followed; at most 1000 files of at most 4 MiB each). Adds to `out`. Returns 0, or -1 with
 * errno set when `path` cannot be read. */
int claims_count_loc(const char *path, enum program_which lang, struct claims_loc *out);

/* A claimed ratio (a speedup, or a memory ratio) against the grader's figure, an interval
 * [low, high] (low == high for a single figure): consistent when the claim lies within
 * [low / factor, high * factor]. `factor` >= 1. */
bool claims_ratio_consistent(double claim, double low, double high, double factor);

/* A claimed line count against the grader's: consistent when it lies within
 * [code * (1 - tol), lines * (1 + tol)], widened to at least 2 lines on each side, so that both
 * a count of physical lines and one of code lines are accepted. */
bool claims_loc_consistent(long long claim, const struct claims_loc *m, double tol);

#endif
