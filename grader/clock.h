/* clock.h: seconds on the monotonic clock, for durations and deadlines inside one process (never a
 * date: it has no epoch that means anything outside the process). */
#ifndef GRADER_CLOCK_H
#define GRADER_CLOCK_H

/* Seconds on CLOCK_MONOTONIC, with nanosecond resolution. */
double clock_now(void);

#endif
