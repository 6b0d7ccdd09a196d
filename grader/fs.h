/* fs.h: paths and files: bounded reads, atomic writes, directory trees, temporary directories.
 * Every function returns 0 on success and -1 on failure with errno set, unless it says otherwise;
 * none prints anything: the caller names the path in its own message. */
#ifndef GRADER_FS_H
#define GRADER_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Reads a whole regular file into `out` (appending). Fails with EFBIG when it is larger than
 * `max` bytes, and with EISDIR/EINVAL when it is not a regular file. */
int fs_read_file(const char *path, size_t max, struct buf *out);
/* Opens `rel` (a relative path) beneath the directory `dir` without following any symbolic link,
 * in any component, and without leaving `dir`: "..", an absolute path or a link fails (EXDEV for
 * a path that leaves, ELOOP for a link). `dir` itself is trusted and opened as given. Uses openat2
 * (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS) where the kernel has it, else a
 * walk one component at a time with O_NOFOLLOW. `flags` are open(2)'s (O_RDONLY, O_DIRECTORY,
 * O_PATH); O_CLOEXEC and O_NOCTTY are added, and the open never blocks on a fifo. This is how the
 * grader reads every file a learner or a learner's program could have placed. Returns the fd. */
int fs_open_beneath(const char *dir, const char *rel, int flags);
/* fs_read_file() of `rel` opened with fs_open_beneath(): a regular file beneath `dir` reached
 * without any symbolic link (ELOOP, EXDEV, EINVAL for a fifo or device, EISDIR, EFBIG). */
int fs_read_beneath(const char *dir, const char *rel, size_t max, struct buf *out);
/* Whether anything is at `rel` beneath `dir`: false only when nothing is there (ENOENT, ENOTDIR).
 * A link or a path out counts as there, so that reading it says why it is refused rather than
 * "not found". */
bool fs_exists_beneath(const char *dir, const char *rel);
/* Whether `rel` is a regular file beneath `dir`, reached without any symbolic link. */
bool fs_is_file_beneath(const char *dir, const char *rel);
/* Writes `len` bytes to `path` atomically: a temporary file in the same directory, fsync, rename.
 * A reader sees either the old file or the whole new one. */
int fs_write_atomic(const char *path, const void *data, size_t len);
/* Creates a directory and its missing parents (mode 0755). Existing directories are fine. */
int fs_mkdirs(const char *path);
/* Removes a file or a whole directory tree without following symbolic links. A missing path is
 * not an error. */
int fs_rmtree(const char *path);
/* Creates a fresh private directory named `<parent>/<prefix>XXXXXX` and puts its path in `out`. */
int fs_mkdtemp(const char *parent, const char *prefix, struct buf *out);
/* Joins two path pieces with exactly one slash into `out` (replacing its contents). Always returns
 * 0 unless `out` has a maximum (buf.h) that the path would pass: a join into a buffer without one
 * needs no check. */
int fs_join(struct buf *out, const char *a, const char *b);
/* Copies a directory tree (regular files with their modification times, directories, symbolic
 * links as links; devices and fifos are left out). `dst` may exist already: files are then
 * created anew and an existing file of the same name is an error (EEXIST). */
int fs_copytree(const char *src, const char *dst);
/* The same, leaving out the top-level entries named in `skip` (NULL-terminated, may be NULL). */
int fs_copytree_except(const char *src, const char *dst, const char *const *skip);
bool fs_is_dir(const char *path);
bool fs_is_file(const char *path);
/* Returns a malloc'ed absolute, symlink-free path, or NULL. */
char *fs_realpath(const char *path);
/* Searches PATH for an executable named `name`; returns a malloc'ed real path or NULL. */
char *fs_which(const char *name);

#endif
