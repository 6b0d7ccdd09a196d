/* log.h: messages for the person running the grader, on standard error.
 * Errors and warnings always print; `log_info` prints only when `verbose` is set by the caller,
 * so the module keeps no state of its own. */
#ifndef GRADER_LOG_H
#define GRADER_LOG_H

#include <stdbool.h>

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(bool verbose, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
