/* digest.h: SHA-256 digests of whole folders, for keys that say "nothing here changed": a build's
 * target directory (build.c) and a grading's inputs (inputs.c). A tree's digest covers, for each
 * entry in name order, its kind, its path below the root, and its contents (files: executable
 * bit, size and bytes; symbolic links: their text, never followed). Devices, fifos and sockets
 * are left out. */
#ifndef GRADER_DIGEST_H
#define GRADER_DIGEST_H

#include <time.h>

#include "buf.h"
#include "sha256.h"

#define DIGEST_MAX_DEPTH 200 /* folders nested deeper fail with ELOOP */

/* Feeds the tree under the open directory `dfd` into `s`; `rel` holds the path of `dfd` below the
 * root ("" at the root) and is restored on return. When `set_times` is not NULL every regular
 * file's times are set to it on the way. Returns 0, or -1 with errno set. */
int digest_tree(struct sha256 *s, int dfd, struct buf *rel, const struct timespec set_times[2]);

/* The digest of `path` as 64 hex digits: a folder's tree as above, a regular file's kind and
 * bytes, a missing path's name only (so that a spec naming a file that does not exist still has a
 * key, and creating the file changes it). A link at `path` itself is followed (the user named
 * it); links below it are not. Returns 0, or -1 with errno set. */
int digest_path(const char *path, char hex[SHA256_HEX + 1]);

#endif
