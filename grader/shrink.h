/* shrink.h: delta debugging (Zeller's ddmin) over the lines of a failing input, to hand a learner
 * the smallest input on which their port still fails.
 *
 * The caller supplies a predicate that runs the programs on a candidate input and says whether it
 * still fails the same way. ddmin first tries to keep only one of n chunks of the lines, then to
 * drop one chunk, and doubles n when neither fails, until every chunk is a single line: the result
 * is then 1-minimal (removing any one line makes the failure go away). A candidate is the kept
 * lines in their original order, each with its own line ending. Every candidate tested is
 * remembered by a 128-bit hash of its bytes and its length, so the predicate is never called twice
 * on the same bytes (two different lines that are equal give equal candidates, which counts).
 * Bounds on the number of calls and on wall time (CLOCK_MONOTONIC) end the search early with the
 * smallest failing input found so far. */
#ifndef GRADER_SHRINK_H
#define GRADER_SHRINK_H

#include <stddef.h>

#define SHRINK_DEFAULT_MAX_CALLS 200
#define SHRINK_DEFAULT_MAX_SECONDS 60.0

struct shrink_options {
	size_t max_calls;   /* most predicate calls; 0 means SHRINK_DEFAULT_MAX_CALLS */
	double max_seconds; /* wall time after which no new call starts; 0 means the default. A call
			     * that has started runs to its end: bound it in the predicate. */
	size_t keep_lines;  /* leading lines kept in every candidate (a CSV header), 0 for none */
	/* Seconds on any monotonic scale, given the predicate's ctx; NULL reads CLOCK_MONOTONIC.
	 * Tests use it to make time bounds deterministic. */
	double (*clock)(void *ctx);
};

enum shrink_status {
	SHRINK_MINIMAL,    /* 1-minimal: removing any one (not kept) line passes */
	SHRINK_CALL_LIMIT, /* stopped by max_calls */
	SHRINK_TIME_LIMIT, /* stopped by max_seconds */
	SHRINK_ABORTED,    /* the predicate returned an error */
};

struct shrink_result {
	char *input;       /* malloc'ed, NUL-terminated; the smallest failing input found */
	size_t len;        /* its length in bytes */
	size_t lines;      /* its number of lines, kept ones included */
	size_t calls;      /* predicate calls made */
	size_t cache_hits; /* candidates answered from the cache instead of a call */
	enum shrink_status status;
	int error; /* SHRINK_ABORTED: the predicate's negative value */
};

/* Shrinks `len` bytes of `input`, which the caller has seen fail (it is not tested again).
 * `still_fails(ctx, candidate, candidate_len)` returns 1 when the candidate still fails the same
 * way, 0 when it does not, and a negative value to abort (e.g. the sandbox broke); the candidate
 * is NUL-terminated and valid only during the call. `opt` may be NULL for the defaults. Returns 0
 * with *out filled, or -1 when the search was aborted: *out then holds the smallest failing input
 * found before, with status SHRINK_ABORTED. Free *out with shrink_result_free() in both cases. */
int shrink_lines(const char *input, size_t len, int (*still_fails)(void *ctx, const char *input, size_t len),
		 void *ctx, const struct shrink_options *opt, struct shrink_result *out);

/* Frees the input of a result and clears it; safe on a cleared result. */
void shrink_result_free(struct shrink_result *res);

/* "minimal", "call limit", "time limit" or "aborted", for reports. */
const char *shrink_status_name(enum shrink_status status);

#endif
