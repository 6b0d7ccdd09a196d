/* uid.c: the sandbox's uid when the grader is root: staging the bind sources where that uid can
 * reach them, the idmapped user namespace of read-only binds, dropping root in the forked child,
 * and handing the writable folders to that uid and back. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "xalloc.h"
#include "banned.h"

const char *stage_add(struct stage *st, const char *host, bool ro)
{
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 8;
		st->host = xreallocarray(st->host, st->cap, sizeof(*st->host));
		st->ro = xreallocarray(st->ro, st->cap, sizeof(*st->ro));
		st->fd = xreallocarray(st->fd, st->cap, sizeof(*st->fd));
	}
	strv_pushf(&st->inside, STAGE_DIR "/s%zu", st->n);
	st->host[st->n] = host;
	st->ro[st->n] = ro;
	st->fd[st->n] = -1;
	return st->inside.v[st->n++];
}

void stage_free(struct stage *st)
{
	free(st->host);
	free(st->ro);
	free(st->fd);
	strv_free(&st->inside);
	memset(st, 0, sizeof(*st));
	st->idmap_fd = -1;
}

static int write_whole(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = -1;

	if (fd < 0)
		return -1;
	if (write(fd, data, len) == (ssize_t)len)
		rc = 0;
	close(fd);
	return rc;
}

/* A user namespace whose only mapping is uid 0 and gid 0 to the sandbox's uid and gid: an
 * idmapped mount through it shows root's files as the sandbox uid's, so a read-only bind of a
 * directory of mode 700 that the grader made (a temporary folder, say) stays readable in the
 * sandbox. Read-only: the sandbox cannot use that ownership to change anything. -1 when the
 * kernel cannot (the binds are then plain). */
int make_idmap_userns(void)
{
	int ready[2], fd = -1;
	char c, path[64];
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	if (pid == 0) {
		close(ready[0]);
		if (unshare(CLONE_NEWUSER) < 0 || write(ready[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) == 1) {
		char map[64];
		int n = snprintf(map, sizeof(map), "0 %d 1\n", SANDBOX_UID);
		struct buf p = BUF_INIT;
		buf_printf(&p, "/proc/%d/uid_map", (int)pid);
		if (write_whole(p.data, map, (size_t)n) == 0) {
			n = snprintf(map, sizeof(map), "0 %d 1\n", SANDBOX_GID);
			buf_reset(&p);
			buf_printf(&p, "/proc/%d/gid_map", (int)pid);
			if (write_whole(p.data, map, (size_t)n) == 0) {
				snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
				fd = open(path, O_RDONLY | O_CLOEXEC);
			}
		}
		buf_free(&p);
	}
	close(ready[0]);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return fd;
}

/* In a forked child, as root: a private mount namespace with every staged source bound under
 * STAGE_DIR (nosuid, nodev), then the sandbox's uid and gid with no supplementary groups. Only
 * system calls: the grader may have other threads. Returns -1 with errno set. */
int drop_to_sandbox_user(struct stage *st)
{
	if (st) {
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
			return -1;
		/* detached copies, taken before the tmpfs hides a source that lies under STAGE_DIR */
		for (size_t i = 0; i < st->n; i++) {
			struct mount_attr attr = {.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};

			st->fd[i] = open_tree(AT_FDCWD, st->host[i],
					      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
			if (st->fd[i] < 0)
				return -1;
			if (st->ro[i]) {
				struct mount_attr idmap = attr;
				idmap.attr_set |= MOUNT_ATTR_RDONLY | MOUNT_ATTR_IDMAP;
				idmap.userns_fd = (__u64)st->idmap_fd;
				attr.attr_set |= MOUNT_ATTR_RDONLY;
				if (st->idmap_fd >= 0 && mount_setattr(st->fd[i], "", AT_EMPTY_PATH | AT_RECURSIVE,
								       &idmap, sizeof(idmap)) == 0)
					continue;
			}
			/* not idmapped: a file system that cannot, or a writable bind */
			if (mount_setattr(st->fd[i], "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
				return -1;
		}
		if (mount("tmpfs", STAGE_DIR, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k") < 0)
			return -1;
		for (size_t i = 0; i < st->n; i++) {
			struct stat sb;
			const char *dst = st->inside.v[i];
			int f;

			if (fstat(st->fd[i], &sb) < 0)
				return -1;
			if (S_ISDIR(sb.st_mode)) {
				if (mkdir(dst, 0755) < 0)
					return -1;
			} else {
				if ((f = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
					return -1;
				close(f);
			}
			if (move_mount(st->fd[i], "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH) < 0)
				return -1;
			close(st->fd[i]);
		}
	}
	/* raw system calls: only this thread exists in the child, and glibc's wrappers would try
	 * to signal the parent's other threads */
	if (syscall(SYS_setgroups, 0, NULL) < 0 ||
	    syscall(SYS_setresgid, SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) < 0 ||
	    syscall(SYS_setresuid, SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) < 0)
		return -1;
	return 0;
}

/* nftw has no user pointer: the walks' state lives in thread-local variables. */
static _Thread_local int own_failed;

static int own_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)type;
	(void)f;
	if ((st->st_uid != SANDBOX_UID || st->st_gid != SANDBOX_GID) &&
	    lchown(path, SANDBOX_UID, SANDBOX_GID) < 0)
		own_failed = errno;
	return 0;
}

static int strip_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)f;
	(void)type;
	if ((S_ISREG(st->st_mode) || S_ISDIR(st->st_mode)) && (st->st_mode & (S_ISUID | S_ISGID)))
		chmod(path, st->st_mode & (S_ISDIR(st->st_mode) ? 01777 : 0777));
	return 0;
}

/* Before a run as root: gives the sandbox's uid what the run may write (the work directory and
 * writable binds, recursively, not following symbolic links nor crossing mounts). No program of
 * the sandbox is alive then, so nothing can swap a path under the walk. */
int own_for_sandbox(const char *dir, struct buf *why)
{
	own_failed = 0;
	if (nftw(dir, own_one, 16, FTW_PHYS | FTW_MOUNT) != 0 || own_failed) {
		buf_printf(why, "cannot give %s to the sandbox's uid %d: %s", dir, SANDBOX_UID,
			   strerror(own_failed ? own_failed : errno));
		return -1;
	}
	return 0;
}

/* After a run: no set-user-ID or set-group-ID file is left where the program could write (the
 * binds are nosuid, but a later consumer of the folder may not be). */
void strip_setid(const char *dir)
{
	nftw(dir, strip_one, 16, FTW_PHYS | FTW_MOUNT);
}
