/* watch.c: inotify over a folder tree, with new folders added as they appear (see watch.h). */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "xalloc.h"
#include "banned.h"

#define WATCH_MASK                                                                          \
	(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | \
	 IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
#define WATCH_MAX_DIRS 20000 /* folders; a learner's repository has tens */
#define WATCH_MAX_DEPTH 128
#define WATCH_TICK_MS 200 /* how often an idle wait looks at the stop flag */

struct watched {
	int wd;    /* -1: free slot */
	char *rel; /* path relative to the root, "" for the root */
};

struct watch {
	int fd;
	char *root;
	const char *const *names, *const *paths;
	watch_skip_fn *skip;
	void *skip_arg;
	struct watched *dirs;
	size_t ndirs, live;
	bool changed;    /* a change was read and not yet returned by watch_wait */
	struct buf what; /* the last changed path */
};

static bool scratch_name(const char *name)
{
	size_t n = strlen(name);

	return (n && name[n - 1] == '~') || !strcmp(name, "4913") ||
	       (n > 4 && (!strcmp(name + n - 4, ".swp") || !strcmp(name + n - 4, ".swx")));
}

static bool skipped_name(const struct watch *w, const char *name)
{
	for (const char *const *p = w->names; p && *p; p++)
		if (!strcmp(*p, name))
			return true;
	return false;
}

static bool skipped_path(const struct watch *w, const char *abs)
{
	for (const char *const *p = w->paths; p && *p; p++)
		if (!strcmp(*p, abs))
			return true;
	return false;
}

static struct watched *find(struct watch *w, int wd)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

/* Watches the folder `rel` (relative to the root) and every folder beneath it. */
static int add_tree(struct watch *w, const char *rel, int depth, struct buf *err)
{
	struct buf abs = BUF_INIT, child = BUF_INIT;
	struct watched *slot;
	struct dirent *d;
	DIR *dir = NULL;
	int wd, rc = -1;

	if (*rel)
		fs_join(&abs, w->root, rel);
	else
		buf_puts(&abs, w->root);
	if (depth > WATCH_MAX_DEPTH || skipped_path(w, abs.data) ||
	    (*rel && w->skip && w->skip(rel, w->skip_arg))) {
		rc = 0;
		goto out;
	}
	wd = inotify_add_watch(w->fd, abs.data, WATCH_MASK);
	if (wd < 0) {
		/* gone already, or not a folder (a link): nothing to watch */
		if (errno == ENOENT || errno == ENOTDIR || errno == EACCES) {
			rc = 0;
		} else if (errno == ENOSPC) {
			buf_printf(err,
				   "cannot watch %s: the system's limit of inotify watches is reached "
				   "(raise fs.inotify.max_user_watches)",
				   abs.data);
		} else {
			buf_printf(err, "cannot watch %s: %s", abs.data, strerror(errno));
		}
		goto out;
	}
	slot = find(w, wd);
	if (!slot) {
		if (w->live >= WATCH_MAX_DIRS) {
			buf_printf(err, "cannot watch %s: more than %d folders", w->root, WATCH_MAX_DIRS);
			goto out;
		}
		for (size_t i = 0; i < w->ndirs && !slot; i++)
			if (w->dirs[i].wd < 0)
				slot = &w->dirs[i];
		if (!slot) {
			w->dirs = xreallocarray(w->dirs, w->ndirs + 1, sizeof(*w->dirs));
			slot = &w->dirs[w->ndirs++];
		}
		slot->rel = NULL;
		w->live++;
	}
	slot->wd = wd;
	free(slot->rel);
	slot->rel = xstrdup(rel);
	dir = opendir(abs.data);
	if (!dir) {
		rc = 0;
		goto out;
	}
	while ((d = readdir(dir))) {
		bool is_dir = d->d_type == DT_DIR;
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") || skipped_name(w, d->d_name))
			continue;
		if (d->d_type == DT_UNKNOWN) {
			struct stat st;
			is_dir = fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				 S_ISDIR(st.st_mode);
		}
		if (!is_dir)
			continue;
		buf_reset(&child);
		if (*rel)
			fs_join(&child, rel, d->d_name);
		else
			buf_puts(&child, d->d_name);
		if (add_tree(w, child.data, depth + 1, err) < 0)
			goto out;
	}
	rc = 0;
out:
	if (dir)
		closedir(dir);
	buf_free(&abs);
	buf_free(&child);
	return rc;
}

struct watch *watch_open(const char *root, const char *const *names, const char *const *paths,
			 watch_skip_fn *skip, void *skip_arg, struct buf *err)
{
	struct watch *w = xcalloc(1, sizeof(*w));

	w->root = xstrdup(root);
	buf_init(&w->what);
	w->names = names;
	w->paths = paths;
	w->skip = skip;
	w->skip_arg = skip_arg;
	w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (w->fd < 0) {
		buf_printf(err, "inotify: %s", strerror(errno));
		watch_close(w);
		return NULL;
	}
	if (add_tree(w, "", 0, err) < 0) {
		watch_close(w);
		return NULL;
	}
	return w;
}

/* Reads the pending events. Returns 1 when one of them is a change worth a new check (then
 * w->changed is set and the last such path is in w->what), 0 when none is, -1 on error. */
static int read_events(struct watch *w, struct buf *err)
{
	struct buf *what = &w->what;
	char data[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct buf rel = BUF_INIT, abs = BUF_INIT;
	int changed = 0;

	for (;;) {
		ssize_t n = read(w->fd, data, sizeof(data));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			buf_printf(err, "inotify: %s", n < 0 ? strerror(errno) : "end of events");
			changed = -1;
			break;
		}
		for (char *p = data; p < data + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			struct watched *dir = ev->wd >= 0 ? find(w, ev->wd) : NULL;
			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* events were lost: count it as a change, and watch any new folder */
				if (changed == 0)
					changed = 1;
				if (add_tree(w, "", 0, err) < 0) {
					changed = -1;
					break;
				}
				continue;
			}
			if (ev->mask & IN_IGNORED) {
				if (dir) {
					dir->wd = -1;
					free(dir->rel);
					dir->rel = NULL;
					w->live--;
				}
				continue;
			}
			if (!dir || !ev->len || skipped_name(w, ev->name) || scratch_name(ev->name))
				continue;
			buf_reset(&rel);
			if (*dir->rel)
				fs_join(&rel, dir->rel, ev->name);
			else
				buf_puts(&rel, ev->name);
			buf_reset(&abs);
			fs_join(&abs, w->root, rel.data);
			if (skipped_path(w, abs.data) ||
			    ((ev->mask & IN_ISDIR) && w->skip && w->skip(rel.data, w->skip_arg)))
				continue;
			if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
			    add_tree(w, rel.data, 1, err) < 0) {
				changed = -1;
				break;
			}
			if (changed == 0)
				changed = 1;
			/* the last one: an editor's save often ends by renaming a temporary file */
			buf_reset(what);
			buf_puts(what, rel.data);
			w->changed = true;
		}
		if (changed < 0)
			break;
	}
	buf_free(&rel);
	buf_free(&abs);
	return changed;
}

bool watch_pending(struct watch *w)
{
	struct buf err = BUF_INIT;

	read_events(w, &err); /* an error shows again in the next wait */
	buf_free(&err);
	return w->changed;
}

int watch_wait(struct watch *w, int quiet_ms, volatile sig_atomic_t *stop, struct buf *what, struct buf *err)
{
	bool changed = w->changed;
	int quiet_left = quiet_ms;

	for (;;) {
		struct pollfd p = {.fd = w->fd, .events = POLLIN};
		int wait = changed && quiet_left < WATCH_TICK_MS ? quiet_left : WATCH_TICK_MS, n;

		if (stop && *stop)
			return 0;
		n = poll(&p, 1, wait);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_printf(err, "poll: %s", strerror(errno));
			return -1;
		}
		if (n == 0) {
			if (changed && (quiet_left -= wait) <= 0) {
				if (what) {
					buf_reset(what);
					buf_puts(what, w->what.data);
				}
				buf_reset(&w->what);
				w->changed = false;
				return 1;
			}
			continue;
		}
		switch (read_events(w, err)) {
		case -1:
			return -1;
		case 1:
			changed = true;
			quiet_left = quiet_ms;
			break;
		default:
			break;
		}
	}
}

void watch_close(struct watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i].rel);
	free(w->dirs);
	buf_free(&w->what);
	free(w->root);
	free(w);
}
