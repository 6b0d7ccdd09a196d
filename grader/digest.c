/* digest.c: SHA-256 digests of folders (see digest.h). */
#include "digest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"
#include "banned.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Feeds one file or link of hash_tree() (its big buffers kept off the recursion's frames). */
static __attribute__((noinline)) int hash_leaf(struct sha256 *s, int dfd, const char *name,
					       const struct stat *st, const struct buf *rel,
					       const struct timespec *set_times)
{
	char chunk[65536];
	ssize_t got;
	int f, len, rc = 0;

	if (S_ISLNK(st->st_mode)) {
		got = readlinkat(dfd, name, chunk, sizeof(chunk));
		sha256_update(s, "l", 1);
		sha256_update(s, rel->data, rel->len + 1);
		if (got < 0)
			return -1;
		sha256_update(s, chunk, (size_t)got);
		sha256_update(s, "", 1);
		return 0;
	}
	len = snprintf(chunk, sizeof(chunk), "%c %lld", st->st_mode & 0111 ? 'x' : '-', (long long)st->st_size);
	sha256_update(s, "f", 1);
	sha256_update(s, rel->data, rel->len + 1);
	sha256_update(s, chunk, (size_t)len + 1);
	f = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (f < 0)
		return -1;
	while ((got = read(f, chunk, sizeof(chunk))) > 0)
		sha256_update(s, chunk, (size_t)got);
	if (got < 0 || (set_times && futimens(f, set_times) < 0))
		rc = -1;
	close(f);
	return rc;
}

/* Feeds a directory tree into the hash without following links: for each entry in name order its
 * kind, path, and contents (files: executable bit, size and bytes; links: their text). Sets the
 * times of every regular file to `set_times` when it is not NULL. */
static int hash_tree(struct sha256 *s, int dfd, struct buf *rel, int depth, const struct timespec *set_times)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d;
	struct dirent *e;
	int rc = 0, fd = dup(dfd);

	if (depth > DIGEST_MAX_DEPTH) {
		if (fd >= 0)
			close(fd);
		errno = ELOOP;
		return -1;
	}
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap)
			names = xreallocarray(names, cap = cap ? 2 * cap : 32, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		size_t keep = rel->len;
		struct stat st;

		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -1;
			break;
		}
		buf_puts(rel, "/");
		buf_puts(rel, names[i]);
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			sha256_update(s, "d", 1);
			sha256_update(s, rel->data, rel->len + 1);
			rc = sub < 0 ? -1 : hash_tree(s, sub, rel, depth + 1, set_times);
			if (sub >= 0)
				close(sub);
		} else if (S_ISLNK(st.st_mode) || S_ISREG(st.st_mode)) {
			rc = hash_leaf(s, dfd, names[i], &st, rel, set_times);
		}
		/* devices, fifos and sockets are never staged */
		buf_setlen(rel, keep);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int digest_tree(struct sha256 *s, int dfd, struct buf *rel, const struct timespec set_times[2])
{
	return hash_tree(s, dfd, rel, 0, set_times);
}

int digest_path(const char *path, char hex[SHA256_HEX + 1])
{
	struct sha256 s;
	struct buf rel = BUF_INIT;
	struct stat st;
	int fd, rc = 0;

	sha256_init(&s);
	if (stat(path, &st) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		sha256_update(&s, "missing", 8);
	} else if (S_ISDIR(st.st_mode)) {
		if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			return -1;
		sha256_update(&s, "tree", 5);
		rc = hash_tree(&s, fd, &rel, 0, NULL);
		close(fd);
	} else {
		char chunk[65536];
		ssize_t got;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return -1;
		sha256_update(&s, "file", 5);
		while ((got = read(fd, chunk, sizeof(chunk))) > 0)
			sha256_update(&s, chunk, (size_t)got);
		if (got < 0)
			rc = -1;
		close(fd);
	}
	buf_free(&rel);
	if (rc == 0)
		sha256_final_hex(&s, hex);
	return rc;
}
