/* timing_lock.c: the machine-wide lock of timed runs and its overlap counter (see timing_lock.h). */
#include "measure/timing_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "fs.h"
#include "num.h"
#include "xalloc.h"
#include "banned.h"

#define LOCK_NAME "grader-timing.lock"

void timing_lock_path(struct buf *out)
{
	const char *env = getenv(TIMING_LOCK_ENV), *xdg = getenv("XDG_RUNTIME_DIR");

	if (env && *env) {
		if (strcmp(env, "off"))
			buf_puts(out, env);
		return;
	}
	if (fs_is_dir("/run/lock") && access("/run/lock", W_OK | X_OK) == 0)
		fs_join(out, "/run/lock", LOCK_NAME);
	else if (xdg && xdg[0] == '/' && fs_is_dir(xdg))
		fs_join(out, xdg, LOCK_NAME);
	else
		fs_join(out, "/tmp", LOCK_NAME);
}

/* Opens a file at a path other users may have prepared: no link followed, no blocking open of a
 * FIFO, a regular file only. An existing file is opened without O_CREAT (fs.protected_regular
 * refuses O_CREAT on another user's file in a sticky folder); an absent one is created
 * read-write for everyone, so that every user's grader can take turns on it. Returns the fd, or
 * -1 with the reason in `why`. */
static int open_shared(const char *path, struct buf *why)
{
	const int flags = O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	struct stat st;
	int fd = -1;

	for (int attempt = 0; attempt < 3 && fd < 0; attempt++) {
		fd = open(path, flags);
		if (fd < 0 && errno == EACCES) /* another user's file not writable to us: flock needs no more */
			fd = open(path, (flags & ~O_RDWR) | O_RDONLY);
		if (fd >= 0 || errno != ENOENT)
			break;
		fd = open(path, flags | O_CREAT | O_EXCL, 0666);
		if (fd >= 0)
			(void)fchmod(fd, 0666); /* past the umask */
		else if (errno != EEXIST)
			break;
	}
	if (fd < 0) {
		buf_printf(why, "cannot open %s: %s", path,
			   errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		buf_printf(why, "%s is not a regular file", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* flock that waits at most `max_wait` seconds (polling, so that a signal or another user
 * holding it forever cannot keep us). Returns 0 when held, -1 otherwise (errno EWOULDBLOCK when
 * the wait ran out). */
static int lock_within(int fd, double max_wait)
{
	double end = clock_now() + max_wait;
	struct timespec pause = {0, 20 * 1000 * 1000};

	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (clock_now() >= end) {
			errno = EWOULDBLOCK;
			return -1;
		}
		nanosleep(&pause, NULL);
	}
}

/* Reads the counter and stores value + 1, under a short lock of the counter file. Returns the
 * value read in *before, or -1 when the file could not be locked, read or written. Text that is
 * not a number counts as 0: the file is everyone's to write, so a value means nothing more than
 * "it changed". */
static int bump(int fd, long *before)
{
	char text[32], out[32];
	ssize_t n;
	long long v = 0;
	int rc = -1;

	if (lock_within(fd, 5) < 0)
		return -1;
	n = pread(fd, text, sizeof(text) - 1, 0);
	if (n >= 0) {
		text[n] = '\0';
		text[strcspn(text, "\n")] = '\0';
		if (num_parse_int(text, 0, 1000000000000LL, &v) < 0)
			v = 0;
		int len = snprintf(out, sizeof(out), "%lld\n", v + 1);
		if (ftruncate(fd, 0) == 0 && pwrite(fd, out, (size_t)len, 0) == len) {
			*before = (long)v;
			rc = 0;
		}
	}
	flock(fd, LOCK_UN);
	return rc;
}

void timing_lock_begin(struct timing_lock *t, const char *path, double max_wait)
{
	const char *env = getenv(TIMING_LOCK_WAIT_ENV);
	struct buf seq = BUF_INIT;
	double w;
	long before;
	double t0 = clock_now();

	memset(t, 0, sizeof(*t));
	t->fd = t->seq_fd = -1;
	t->max_wait = max_wait > 0 ? max_wait : 0;
	if (env && *env && num_parse_double(env, &w) == 0 && w >= 0)
		t->max_wait = w;
	if (!path || !*path)
		return;
	t->path = xstrdup(path);
	t->fd = open_shared(path, &t->note);
	if (t->fd >= 0) {
		if (lock_within(t->fd, t->max_wait) == 0)
			t->held = true;
		else if (errno == EWOULDBLOCK)
			buf_printf(&t->note, "another grader held %s for longer than the %.0f s this one waits: measured anyway",
				   path, t->max_wait);
		else
			buf_printf(&t->note, "cannot lock %s: %s", path, strerror(errno));
	}
	t->waited = clock_now() - t0;
	buf_printf(&seq, "%s.seq", path);
	t->seq_fd = open_shared(seq.data, &t->note);
	if (t->seq_fd >= 0 && bump(t->seq_fd, &before) == 0) {
		t->counted = true;
		t->seq = before + 1;
	} else if (t->seq_fd >= 0) {
		buf_printf(&t->note, "%scannot update the counter %s", t->note.len ? "; " : "", seq.data);
	}
	buf_free(&seq);
}

void timing_lock_end(struct timing_lock *t)
{
	long value;

	if (t->counted) {
		if (bump(t->seq_fd, &value) == 0) {
			t->overlapped = value != t->seq;
			t->others = value > t->seq ? value - t->seq : t->overlapped;
		} else {
			t->counted = false;
			buf_printf(&t->note, "%scannot read the counter beside %s at the end",
				   t->note.len ? "; " : "", t->path);
		}
	}
	if (t->seq_fd >= 0)
		close(t->seq_fd);
	if (t->fd >= 0)
		close(t->fd); /* releases the flock */
	t->seq_fd = t->fd = -1;
}

void timing_lock_free(struct timing_lock *t)
{
	if (t->seq_fd >= 0)
		close(t->seq_fd);
	if (t->fd >= 0)
		close(t->fd);
	free(t->path);
	buf_free(&t->note);
	memset(t, 0, sizeof(*t));
	t->fd = t->seq_fd = -1;
}

void *timing_lock_json(const struct timing_lock *t)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	if (t->path)
		cJSON_AddStringToObject(o, "path", t->path);
	else
		cJSON_AddNullToObject(o, "path");
	cJSON_AddNumberToObject(o, "max_wait", t->max_wait);
	cJSON_AddNumberToObject(o, "waited", t->waited);
	cJSON_AddBoolToObject(o, "held", t->held);
	if (t->counted)
		cJSON_AddBoolToObject(o, "overlapped", t->overlapped);
	else
		cJSON_AddNullToObject(o, "overlapped");
	cJSON_AddNumberToObject(o, "others", t->counted ? (double)t->others : 0);
	if (t->note.len)
		cJSON_AddStringToObject(o, "note", t->note.data);
	return o;
}
