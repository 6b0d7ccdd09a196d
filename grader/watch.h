/* watch.h: waits for changes to the files of a folder tree (inotify), for `grader check --watch`.
 * It knows nothing of grading: a caller names the tree and what to leave out, and asks to wait.
 *
 * Every folder of the tree gets a watch, and a folder created (or moved in) later gets one too,
 * with everything already in it. A change is a file or folder created, written, deleted, moved or
 * given new permissions. Folders whose name the caller lists (".git", "target", ...) and absolute
 * paths it lists are never watched, nor are changes to entries with those names; neither are
 * editors' scratch files (names ending in "~", ".swp", ".swx", or "4913", which vim creates to
 * test a folder). Linux only. */
#ifndef GRADER_WATCH_H
#define GRADER_WATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct watch;

/* Says whether the folder `rel` (relative to the root) is to be left out, e.g. because git ignores it. */
typedef bool watch_skip_fn(const char *rel, void *arg);

/* Starts watching `root` (an absolute path) and every folder beneath it, except folders named as
 * one of `names` (NULL-terminated), the absolute paths of `paths` (NULL-terminated; either list
 * may be NULL), and folders for which `skip` (may be NULL) is true; changes to those folders
 * themselves are not changes either. Returns NULL with a message in `err` when inotify fails or
 * the system's limit of watches (fs.inotify.max_user_watches) is reached. */
struct watch *watch_open(const char *root, const char *const *names, const char *const *paths,
			 watch_skip_fn *skip, void *skip_arg, struct buf *err);

/* Waits until something in the tree changes and then nothing more changes for `quiet_ms`
 * milliseconds (so that an editor's save, or a `git checkout`, counts once). Changes made before
 * the call, since the previous one returned, count: a change during a grading pass makes the
 * next call return at once (after its quiet time), once however many changes there were.
 * Returns 1 after a change, with the last changed path relative to the root in `what` (when not
 * NULL); 0 when `*stop` became non-zero (a signal handler sets it; the wait returns on EINTR);
 * -1 with a message in `err` when inotify fails. */
int watch_wait(struct watch *w, int quiet_ms, volatile sig_atomic_t *stop, struct buf *what, struct buf *err);

/* Whether a change happened since the last watch_wait returned (without waiting): a caller that
 * is about to start a long task on files that changed meanwhile can wait instead. */
bool watch_pending(struct watch *w);

/* Stops watching and frees `w` (NULL is fine). */
void watch_close(struct watch *w);

#endif
