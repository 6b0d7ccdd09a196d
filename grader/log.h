/* log.h: messages for the person running the grader, on standard error.
 * Errors and warnings always print; `log_info` prints only when `verbose` is set by the caller.
 * The only state is an optional hook around each message (log_set_hook).
 *
 * Each message is one line "grader: [error: |warning: ]MESSAGE". The formatted message may hold
 * learner text: it is shown through text_visible() on one line (control characters, C1, bidi
 * characters, invalid bytes, and line feeds and tabs as escapes such as \x1b, \u202e, \n; see
 * text.h), and cut after 4095 bytes with " [cut]". Trailing line feeds are dropped. */
#ifndef GRADER_LOG_H
#define GRADER_LOG_H

#include <stdbool.h>

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(bool verbose, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Calls `hook(arg, false)` before each message is written and `hook(arg, true)` after it, until
 * it is set again (NULL: no hook). A command that shows a status line on standard error
 * (progress.h: progress_log_hook) uses it so that a message never ends up glued to that line.
 * One hook for the process: set it from the main thread, around a single grading. */
void log_set_hook(void (*hook)(void *arg, bool after), void *arg);

#endif
