/* timing_lock.h: timed runs take turns across the whole machine, and each measurement records
 * whether it really ran alone.
 *
 * The lock is an flock on one file shared by every grader of every user of the machine (by
 * default /run/lock/grader-timing.lock; see timing_lock_path). Beside it, <lock>.seq holds a
 * counter that every timed run bumps, under a short flock of its own, when it starts and when it
 * ends: a measurement that finds at its end another value than the one it left at its start
 * overlapped another timed run, whether or not anyone held the lock.
 *
 * The path is shared with other users, so nothing there is trusted: the files are opened without
 * following a symbolic link and without blocking (a FIFO planted there cannot hang the grader),
 * must be regular files, and are created world-writable only when absent (an existing file of
 * another user is opened without O_CREAT, which fs.protected_regular would refuse). Another user
 * can hold the lock forever: the wait is bounded, and then the measurement runs anyway, recorded
 * as not held. A file that cannot be opened is recorded the same way, never fatal. */
#ifndef GRADER_TIMING_LOCK_H
#define GRADER_TIMING_LOCK_H

#include <stdbool.h>

#include "buf.h"

/* Environment variables: the lock's path ("off" for no lock), and the longest wait in seconds
 * (overrides the caller's bound). */
#define TIMING_LOCK_ENV "GRADER_TIMING_LOCK"
#define TIMING_LOCK_WAIT_ENV "GRADER_TIMING_LOCK_WAIT"

struct timing_lock {
	char *path;      /* NULL: no lock wanted */
	int fd, seq_fd;  /* -1 when not open */
	double max_wait; /* seconds the begin call would wait at most */
	double waited;   /* seconds it waited */
	bool held;       /* the lock was held over the measurement */
	bool counted;    /* the counter could be read at both ends: `overlapped` means something */
	bool overlapped; /* another timed run started or ended during this one */
	long others;     /* how many such starts and ends */
	long seq;        /* the counter's value this run left at its start */
	struct buf note; /* why the lock was not held or the counter not read, else empty */
};

/* The lock's path into `out`: $GRADER_TIMING_LOCK when set (empty when it is "off"), else
 * /run/lock/grader-timing.lock when /run/lock is a writable folder, else
 * $XDG_RUNTIME_DIR/grader-timing.lock, else /tmp/grader-timing.lock. */
void timing_lock_path(struct buf *out);

/* Takes the lock at `path` (NULL or "": none), waiting at most `max_wait` seconds (or
 * $GRADER_TIMING_LOCK_WAIT), and bumps the counter. Never fails: whatever went wrong is in
 * t->held and t->note, and the caller measures anyway. */
void timing_lock_begin(struct timing_lock *t, const char *path, double max_wait);
/* Reads the counter (setting overlapped and others), bumps it, releases the lock and closes the
 * files. The fields stay readable until timing_lock_free. */
void timing_lock_end(struct timing_lock *t);
void timing_lock_free(struct timing_lock *t);

/* The record as a JSON object (a cJSON item, the caller owns it; NULL when out of memory): path,
 * max_wait, waited, held, overlapped (null when the counter could not be read), others, note. */
void *timing_lock_json(const struct timing_lock *t);

#endif
