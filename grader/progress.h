/* progress.h: says what a grading is doing while it runs, on standard error, so that a check of
 * 15 to 25 seconds is not silent.
 *
 * A `struct progress` belongs to one grading and writes to one stream; there is no global state,
 * so that gradings in parallel never share one. Every function accepts NULL for the progress and
 * then does nothing: a caller that wants no progress (a library user, a test, `grader batch`'s
 * workers, which run with --quiet) passes NULL.
 *
 * Four modes:
 *   PROGRESS_TTY    one status line, rewritten in place: "\r", the text, then ESC [ K (erase to
 *                   the end of the line). The text is cut to one column less than the terminal's
 *                   width (TIOCGWINSZ on the stream's descriptor; 80 when that fails), so that it
 *                   never wraps. progress_clear() erases it before anything else is printed on
 *                   the same terminal, progress_done() at the end.
 *   PROGRESS_PLAIN  whole lines "grader: TEXT", for a log file: one when the stage changes,
 *                   and for counts one when the counted thing changes (the first case, the
 *                   first timed run) and then at most one a second, never one per run.
 *   PROGRESS_VERBOSE  as PLAIN (`-v`), and one line for every named item (each case, with its
 *                   file name); anonymous counts (timed runs) stay at most one a second.
 *   PROGRESS_OFF    nothing (`--quiet`).
 *
 * Every text shown goes through text_visible() on one line (text.h): a learner's file name in
 * it cannot move the cursor or start a line of its own. Nothing is ever written to standard
 * output by this module, so `--json` stays clean. */
#ifndef GRADER_PROGRESS_H
#define GRADER_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

enum progress_mode {
	PROGRESS_OFF,
	PROGRESS_PLAIN,
	PROGRESS_VERBOSE,
	PROGRESS_TTY,
};

struct progress;

/* The mode the command-line options and the stream call for: OFF with `quiet`, VERBOSE with
 * `verbose`, PLAIN when `f` is not a terminal (or TERM is "dumb"), else TTY. */
enum progress_mode progress_mode_for(FILE *f, bool quiet, bool verbose);

/* A progress that writes to `out` in `mode` (never NULL). Free with progress_free(). */
struct progress *progress_new(FILE *out, enum progress_mode mode);
/* Clears the status line (progress_done) and frees `p`. */
void progress_free(struct progress *p);

/* Starts exercise `index` (from 1) of `count`, `id`, titled `title` (may be NULL): shows
 * "[index/count] id: title", and puts "[index/count] id: " before every later stage and count
 * until the next exercise or progress_done(). */
void progress_exercise(struct progress *p, int index, int count, const char *id, const char *title);
/* Shows a new stage, formatted as by printf (e.g. "building the Rust port"), after the
 * exercise's prefix. */
void progress_stage(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows a count within the stage: "WHAT I/N" (e.g. "case 7/23"), or "WHAT I" when n <= 0. */
void progress_count(struct progress *p, const char *what, long i, long n);
/* Like progress_count() for a named item: "WHAT I/N: NAME" (e.g. "case 7/23: ex4/cases/a.txt").
 * `name` may be learner text (it is shown visibly, as everything here). */
void progress_item(struct progress *p, const char *what, long i, long n, const char *name);
/* Erases the status line from the terminal (TTY mode) so that a line can be printed on a clean
 * one; the next update, or progress_redraw(), shows it again. Other modes: nothing. */
void progress_clear(struct progress *p);
/* Shows the status line again after progress_clear(). */
void progress_redraw(struct progress *p);
/* The end of the grading: erases the status line and forgets the exercise. */
void progress_done(struct progress *p);

/* For log_set_hook() (log.h): clears the status line before a log message (`after` false) and
 * redraws it after (`after` true), so that a warning never ends up glued to it. `arg` is the
 * struct progress. */
void progress_log_hook(void *arg, bool after);

#endif
