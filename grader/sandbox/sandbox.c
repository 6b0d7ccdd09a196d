/* sandbox.c: runs untrusted programs under bubblewrap with limits; measures them with per-worker
 * cgroups, or with the PID-1 measurer (grader-pid1) where cgroups cannot be created. */
#include <dirent.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "num.h"
#include "sandbox/sandbox.h"
#include "text.h"
#include "ydoc.h"
#include "banned.h"

#define PID1_INSIDE "/.grader-pid1"
#define SAMPLE_MS 10       /* sampling period of the PID-1 measurer (peak memory, tasks; the
			    * fallback's CPU time and limits too) */
#define CPU_POLL_MS 20     /* how often cgroup CPU time is checked against the limit */
#define KILL_GRACE 1.0     /* seconds the measurer gets to report after a requested stop */
#define HOST_CMD_TIMEOUT 60.0
/* As root, the uid and gid every sandboxed program runs as on the host (nobody/nogroup). */
#define SANDBOX_UID 65534
#define SANDBOX_GID 65534
/* Where the forked child, as root and in a mount namespace of its own, mounts the bind sources
 * that the sandbox's uid may not reach on the host (see struct stage). bwrap mounts its own tmpfs
 * over /tmp and finds these under its old root. */
#define STAGE_DIR "/tmp"

static const struct sandbox_limits default_limits = {
	.wall = 10.0,
	.cpu = 5.0,
	.memory = (uint64_t)512 << 20,
	.output = (uint64_t)1 << 20,
	.file_size = (uint64_t)64 << 20,
	.tmp_size = (uint64_t)64 << 20,
	.pids = 64,
};

/* A growable NULL-terminated vector of malloc'ed strings (argv, envp). */
struct strv {
	char **v;
	size_t n, cap;
};

struct profile {
	char *name;
	char **ro;        /* host paths bound read-only at the same place; must exist */
	size_t nro;
	char **ro_try;    /* the same, skipped when missing */
	size_t nro_try;
	struct strv env;  /* "NAME=value" */
	bool python, rust, proc, dev;
	struct sandbox_limits limits;
};

struct cgroups {
	char *mem, *pids, *cpu, *kill; /* this worker's directories; kill is a v2 dir with cgroup.kill */
	int mem_version, cpu_version;  /* 1 or 2 */
	int procs_fd[4];               /* open cgroup.procs files the child writes "0" into */
	int nprocs;
	uint64_t set_mem, set_pids;    /* limits currently written, to skip rewriting them */
};

struct sandbox {
	struct profile *profiles;
	size_t nprofiles;
	char *bwrap, *pid1;
	char *py_prefix, *py_bindir, *py_prefix2; /* base_prefix, dirname(executable), venv prefix */
	char *rust_sysroot;
	struct buf py_why, rust_why;  /* why a tool was not found */
	bool use_cgroups;
	struct buf no_cgroup_why;
	struct cgroups cg;
	int netns_fd;                 /* this worker's empty network namespace, or -1 (see make_netns) */
	bool drop;                    /* root: programs run as SANDBOX_UID, bind sources are staged */
	int idmap_fd;                 /* see make_idmap_userns, or -1 */
};

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int strv_push(struct strv *s, const char *str)
{
	char *copy;

	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		char **v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	copy = strdup(str);
	if (!copy)
		return -1;
	s->v[s->n++] = copy;
	s->v[s->n] = NULL;
	return 0;
}

__attribute__((format(printf, 2, 3))) static int strv_pushf(struct strv *s, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!rc)
		rc = strv_push(s, buf_str(&b));
	buf_free(&b);
	return rc;
}

/* Sets NAME=value in an environment vector, replacing an earlier entry of the same name. */
static int strv_setenv(struct strv *s, const char *entry)
{
	size_t nl = strcspn(entry, "=");

	for (size_t i = 0; i < s->n; i++)
		if (!strncmp(s->v[i], entry, nl + 1)) {
			char *copy = strdup(entry);
			if (!copy)
				return -1;
			free(s->v[i]);
			s->v[i] = copy;
			return 0;
		}
	return strv_push(s, entry);
}

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- the sandbox's uid (when the grader is root) ---- */

/* Bind sources of one run, as root: the child opens each (it may sit under /root, mode 700, or a
 * temporary directory of mode 700), mounts a tmpfs at STAGE_DIR in a mount namespace of its own
 * and binds each source at STAGE_DIR/sN, where the sandbox's uid can reach it, before it drops
 * root and runs bwrap. Nothing on the host is loosened; the staging mounts die with bwrap. All
 * strings and the fd array are allocated before the fork. */
struct stage {
	const char **host;
	bool *ro;
	struct strv inside; /* STAGE_DIR/sN */
	int *fd;            /* in the child: a detached copy of the source (open_tree) */
	size_t n, cap;
	int idmap_fd;       /* a user namespace mapping uid/gid 0 to the sandbox's, or -1 */
};

/* Adds a source; returns where bwrap finds it, or NULL when out of memory. */
static const char *stage_add(struct stage *st, const char *host, bool ro)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 8;
		const char **h = realloc(st->host, cap * sizeof(*h));
		bool *r;
		int *fd;
		if (!h)
			return NULL;
		st->host = h;
		r = realloc(st->ro, cap * sizeof(*r));
		if (!r)
			return NULL;
		st->ro = r;
		fd = realloc(st->fd, cap * sizeof(*fd));
		if (!fd)
			return NULL;
		st->fd = fd;
		st->cap = cap;
	}
	if (strv_pushf(&st->inside, STAGE_DIR "/s%zu", st->n) < 0)
		return NULL;
	st->host[st->n] = host;
	st->ro[st->n] = ro;
	st->fd[st->n] = -1;
	return st->inside.v[st->n++];
}

static void stage_free(struct stage *st)
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
static int make_idmap_userns(void)
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
		if (write_whole(buf_str(&p), map, (size_t)n) == 0) {
			n = snprintf(map, sizeof(map), "0 %d 1\n", SANDBOX_GID);
			buf_reset(&p);
			buf_printf(&p, "/proc/%d/gid_map", (int)pid);
			if (write_whole(buf_str(&p), map, (size_t)n) == 0) {
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
static int drop_to_sandbox_user(struct stage *st)
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
				if (st->idmap_fd >= 0 &&
				    mount_setattr(st->fd[i], "", AT_EMPTY_PATH | AT_RECURSIVE, &idmap,
						  sizeof(idmap)) == 0)
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
static int own_for_sandbox(const char *dir, struct buf *why)
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
static void strip_setid(const char *dir)
{
	nftw(dir, strip_one, 16, FTW_PHYS | FTW_MOUNT);
}

/* ---- small file helpers for cgroup files ---- */

static int write_str(const char *dir, const char *file, const char *val)
{
	struct buf p = BUF_INIT;
	int fd, rc = -1, saved;

	if (fs_join(&p, dir, file) < 0)
		return -1;
	fd = open(buf_str(&p), O_WRONLY | O_CLOEXEC);
	buf_free(&p);
	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) == (ssize_t)strlen(val))
		rc = 0;
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static int read_str(const char *dir, const char *file, struct buf *out)
{
	struct buf p = BUF_INIT;
	int rc;

	buf_reset(out);
	if (fs_join(&p, dir, file) < 0)
		return -1;
	rc = fs_read_file(buf_str(&p), 1 << 16, out);
	buf_free(&p);
	return rc;
}

/* The number after "key " at the start of a line of a flat-keyed file (cpu.stat, memory.events). */
static int read_key(const char *dir, const char *file, const char *key, uint64_t *out)
{
	struct buf b = BUF_INIT;
	const char *p;
	size_t kl = strlen(key);
	int rc = -1;

	if (read_str(dir, file, &b) == 0)
		for (p = buf_str(&b); p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
			if (!strncmp(p, key, kl) && p[kl] == ' ') {
				*out = strtoull(p + kl + 1, NULL, 10);
				rc = 0;
				break;
			}
	buf_free(&b);
	return rc;
}

static int read_u64(const char *dir, const char *file, uint64_t *out)
{
	struct buf b = BUF_INIT;
	int rc = -1;

	if (read_str(dir, file, &b) == 0 && b.len) {
		*out = strtoull(buf_str(&b), NULL, 10);
		rc = 0;
	}
	buf_free(&b);
	return rc;
}

static int write_u64(const char *dir, const char *file, uint64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return write_str(dir, file, num);
}

/* ---- host commands (python3, rustc), run once at open, outside any sandbox ---- */

/* Runs a trusted host command and appends its stdout to `out`. Returns its exit status, or -1. */
static int host_capture(const char *const *argv, struct buf *out)
{
	int fds[2], status = -1;
	pid_t pid;
	double deadline = now_mono() + HOST_CMD_TIMEOUT;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		dup2(fds[1], 1);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 2);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd p = {.fd = fds[0], .events = POLLIN};
		char chunk[4096];
		ssize_t n;
		int left = (int)((deadline - now_mono()) * 1000);

		if (left <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&p, 1, left) < 0 && errno != EINTR)
			break;
		n = read(fds[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf_append(out, chunk, (size_t)n) < 0)
			break;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *line_at(const char *text, int index)
{
	const char *p = text;

	for (int i = 0; i < index && p; i++)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	if (!p || !*p)
		return NULL;
	return strndup(p, strcspn(p, "\n"));
}

static void find_python(struct sandbox *sb)
{
	const char *py = getenv("GRADER_PYTHON");
	const char *argv[] = {py && *py ? py : "python3", "-c",
			      "import sys\nprint(sys.executable)\nprint(sys.base_prefix)\nprint(sys.prefix)",
			      NULL};
	struct buf out = BUF_INIT;
	char *exe = NULL, *base = NULL, *prefix = NULL, *real;

	if (host_capture(argv, &out) != 0) {
		buf_printf(&sb->py_why, "'%s' could not be run to find the Python interpreter", argv[0]);
		goto out;
	}
	exe = line_at(buf_str(&out), 0);
	base = line_at(buf_str(&out), 1);
	prefix = line_at(buf_str(&out), 2);
	if (!exe || !base || !prefix || exe[0] != '/' || base[0] != '/') {
		buf_printf(&sb->py_why, "'%s' did not report sys.executable and sys.base_prefix", argv[0]);
		goto out;
	}
	real = fs_realpath(exe);
	if (real) {
		char *slash = strrchr(real, '/');
		*slash = '\0';
		sb->py_bindir = strdup(*real ? real : "/");
		free(real);
	}
	sb->py_prefix = fs_realpath(base);
	if (strcmp(prefix, base))
		sb->py_prefix2 = fs_realpath(prefix);
	if (!sb->py_prefix || !sb->py_bindir)
		buf_printf(&sb->py_why, "the Python prefix '%s' does not resolve", base);
out:
	free(exe);
	free(base);
	free(prefix);
	buf_free(&out);
}

static void find_rust(struct sandbox *sb)
{
	const char *rustc = getenv("GRADER_RUSTC"), *cargo_home = getenv("CARGO_HOME"),
		   *home = getenv("HOME");
	const char *argv[] = {rustc && *rustc ? rustc : "rustc", "--print", "sysroot", NULL};
	struct buf out = BUF_INIT, cargo = BUF_INIT, alt[2] = {BUF_INIT, BUF_INIT};
	char *root = NULL;
	int rc = host_capture(argv, &out);

	/* rustup puts its proxies in ~/.cargo/bin, which a CI job's PATH may lack. */
	if (!(rustc && *rustc)) {
		if (cargo_home && *cargo_home)
			fs_join(&alt[0], cargo_home, "bin/rustc");
		if (home && *home)
			fs_join(&alt[1], home, ".cargo/bin/rustc");
		for (int i = 0; i < 2 && rc != 0; i++) {
			if (!alt[i].len || access(alt[i].data, X_OK) != 0)
				continue;
			argv[0] = alt[i].data;
			buf_reset(&out);
			rc = host_capture(argv, &out);
		}
	}
	if (rc != 0 || !(root = line_at(buf_str(&out), 0)) || root[0] != '/') {
		buf_printf(&sb->rust_why, "'%s --print sysroot' failed: no Rust toolchain found", argv[0]);
		goto out;
	}
	sb->rust_sysroot = fs_realpath(root);
	fs_join(&cargo, sb->rust_sysroot ? sb->rust_sysroot : root, "bin/cargo");
	if (!sb->rust_sysroot || !fs_is_file(buf_str(&cargo))) {
		buf_printf(&sb->rust_why, "the Rust sysroot '%s' has no bin/cargo", root);
		free(sb->rust_sysroot);
		sb->rust_sysroot = NULL;
	}
out:
	free(root);
	buf_free(&out);
	buf_free(&cargo);
	buf_free(&alt[0]);
	buf_free(&alt[1]);
}

/* ---- profiles ---- */

static char **dup_strs(const char **src, size_t n)
{
	char **v = calloc(n ? n : 1, sizeof(*v));

	for (size_t i = 0; v && i < n; i++)
		if (!(v[i] = strdup(src[i]))) {
			free_strs(v, i);
			return NULL;
		}
	return v;
}

static void profile_free(struct profile *p)
{
	free(p->name);
	free_strs(p->ro, p->nro);
	free_strs(p->ro_try, p->nro_try);
	strv_free(&p->env);
}

static int check_paths(struct yread *r, const struct ydoc_node *m, const char *key,
		       const char **v, size_t n)
{
	const struct ydoc_node *list = ydoc_get(m, key);

	for (size_t i = 0; i < n; i++)
		if (v[i][0] != '/' || strstr(v[i], "/..") || strchr(v[i], '\n') || !strcmp(v[i], "/")) {
			yread_error(r, list && list->type == YDOC_SEQ ? list->items[i] : list,
				    "'%s': '%s' must be an absolute path other than '/' without '..'",
				    key, v[i]);
			return -1;
		}
	return 0;
}

static int load_profile(struct profile *p, const char *path, const char *name, struct buf *err)
{
	static const char *const keys[] = {"description", "tools", "ro", "ro-optional", "proc", "dev",
					   "env", "limits", NULL};
	static const char *const limit_keys[] = {"wall", "cpu", "memory", "output", "file-size",
						 "tmp-size", "pids", NULL};
	struct ydoc *doc = ydoc_load_file(path, err);
	struct yread r = {.file = path, .errors = err, .nerrors = 0};
	const struct ydoc_node *root, *lim, *env;
	const char **tools = NULL, **ro = NULL, **ro_try = NULL;
	size_t ntools, nro, nro_try;

	memset(p, 0, sizeof(*p));
	if (!doc)
		return -1;
	root = doc->root;
	if (!root || root->type != YDOC_MAP) {
		yread_error(&r, root, "a sandbox profile must be a map of settings");
		ydoc_free(doc);
		return -1;
	}
	yread_map(&r, root, "the profile", keys, NULL);
	p->name = strdup(name);
	ntools = yread_strs(&r, root, "tools", &tools);
	for (size_t i = 0; i < ntools; i++) {
		if (!strcmp(tools[i], "python"))
			p->python = true;
		else if (!strcmp(tools[i], "rust"))
			p->rust = true;
		else
			yread_error(&r, ydoc_get(root, "tools"),
				    "unknown tool '%s' (expected one of: python, rust)", tools[i]);
	}
	nro = yread_strs(&r, root, "ro", &ro);
	nro_try = yread_strs(&r, root, "ro-optional", &ro_try);
	check_paths(&r, root, "ro", ro, nro);
	check_paths(&r, root, "ro-optional", ro_try, nro_try);
	p->ro = dup_strs(ro, nro);
	p->nro = nro;
	p->ro_try = dup_strs(ro_try, nro_try);
	p->nro_try = nro_try;
	p->proc = yread_bool(&r, root, "proc", true);
	p->dev = yread_bool(&r, root, "dev", true);
	env = ydoc_get(root, "env");
	if (env && env->type != YDOC_MAP) {
		yread_error(&r, env, "'env' must be a map of NAME: value");
	} else if (env) {
		for (size_t i = 0; i < env->n; i++) {
			const struct ydoc_node *v = env->items[i];
			const char *k = env->keys[i];
			if (!*k || strchr(k, '=') || k[strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")]) {
				yread_error(&r, v, "env: '%s' is not a valid variable name", k);
				continue;
			}
			if (v->type != YDOC_SCALAR || strlen(v->value) != v->len) {
				yread_error(&r, v, "env: the value of '%s' must be a string", k);
				continue;
			}
			strv_pushf(&p->env, "%s=%s", k, v->value);
		}
	}
	p->limits = default_limits;
	lim = ydoc_get(root, "limits");
	if (lim && yread_map(&r, lim, "limits", limit_keys, NULL) == 0) {
		struct sandbox_limits *l = &p->limits;
		l->wall = yread_duration(&r, lim, "wall", 0.001, 86400, l->wall);
		l->cpu = yread_duration(&r, lim, "cpu", 0.001, 86400, l->cpu);
		l->memory = yread_size(&r, lim, "memory", (uint64_t)4 << 20, (uint64_t)1 << 40, l->memory);
		l->output = yread_size(&r, lim, "output", 1, (uint64_t)1 << 30, l->output);
		l->file_size = yread_size(&r, lim, "file-size", 1, (uint64_t)1 << 40, l->file_size);
		l->tmp_size = yread_size(&r, lim, "tmp-size", (uint64_t)1 << 20, (uint64_t)1 << 40, l->tmp_size);
		l->pids = (int)yread_int(&r, lim, "pids", 1, 100000, l->pids);
	}
	free(tools);
	free(ro);
	free(ro_try);
	ydoc_free(doc);
	if (!p->name || !p->ro || !p->ro_try) {
		buf_printf(err, "%s: out of memory\n", path);
		return -1;
	}
	return r.nerrors ? -1 : 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_profiles(struct sandbox *sb, const char *dir, struct buf *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct strv names = {0};
	int rc = 0;

	if (!d) {
		buf_printf(err, "%s: cannot open the sandbox profiles directory: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] != '.' && len > 5 && !strcmp(e->d_name + len - 5, ".yaml"))
			strv_push(&names, e->d_name);
	}
	closedir(d);
	if (!names.n) {
		buf_printf(err, "%s: no sandbox profiles (NAME.yaml) found\n", dir);
		strv_free(&names);
		return -1;
	}
	qsort(names.v, names.n, sizeof(*names.v), cmp_names);
	sb->profiles = calloc(names.n, sizeof(*sb->profiles));
	for (size_t i = 0; sb->profiles && i < names.n; i++) {
		struct buf path = BUF_INIT;
		size_t len = strlen(names.v[i]);
		names.v[i][len - 5] = '\0';
		buf_printf(&path, "%s/%s.yaml", dir, names.v[i]);
		if (load_profile(&sb->profiles[sb->nprofiles], buf_str(&path), names.v[i], err) < 0)
			rc = -1;
		sb->nprofiles++;
		buf_free(&path);
	}
	if (!sb->profiles)
		rc = -1;
	strv_free(&names);
	return rc;
}

static const struct profile *find_profile(const struct sandbox *sb, const char *name)
{
	for (size_t i = 0; name && i < sb->nprofiles; i++)
		if (!strcmp(sb->profiles[i].name, name))
			return &sb->profiles[i];
	return NULL;
}

bool sandbox_has_profile(const struct sandbox *sb, const char *name)
{
	return sb && find_profile(sb, name);
}

/* ---- cgroups ---- */

struct mountinfo {
	char *v1_mem, *v1_pids, *v1_cpuacct, *v2; /* directories of this process's own cgroups */
};

/* The directory of this process's own cgroup in a hierarchy mounted at `mnt` whose mount root is
 * `mroot`, given the path from /proc/self/cgroup. */
static char *own_dir(const char *mnt, const char *mroot, const char *path)
{
	struct buf b = BUF_INIT;
	size_t rl = strlen(mroot);

	if (strcmp(mroot, "/") && !strncmp(path, mroot, rl) && (path[rl] == '/' || !path[rl]))
		path += rl;
	buf_printf(&b, "%s%s", mnt, !strcmp(path, "/") ? "" : path);
	return buf_detach(&b);
}

static bool has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, word, wl) && (p[wl] == ',' || !p[wl]))
			return true;
	return false;
}

static void find_cgroup_dirs(struct mountinfo *mi)
{
	struct buf cg = BUF_INIT, mnt = BUF_INIT;

	memset(mi, 0, sizeof(*mi));
	if (fs_read_file("/proc/self/cgroup", 1 << 16, &cg) < 0 ||
	    fs_read_file("/proc/self/mountinfo", 1 << 22, &mnt) < 0)
		goto out;
	for (char *line = mnt.data; line && *line;) {
		char *next = strchr(line, '\n');
		char root[1024], point[1024], fstype[64], super[1024];
		const char *dash;

		if (next)
			*next++ = '\0';
		dash = strstr(line, " - ");
		if (dash && sscanf(line, "%*s %*s %*s %1023s %1023s", root, point) == 2 &&
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, super) == 2) {
			/* match this mount's controllers with our line of /proc/self/cgroup */
			for (char *c = cg.data; c && *c; c = strchr(c, '\n') ? strchr(c, '\n') + 1 : NULL) {
				char ctrls[256], path[1024];
				if (sscanf(c, "%*[^:]:%255[^:]:%1023[^\n]", ctrls, path) != 2) {
					if (!strcmp(fstype, "cgroup2") && !strncmp(c, "0::", 3) && !mi->v2) {
						char p2[1024];
						if (sscanf(c, "0::%1023[^\n]", p2) == 1)
							mi->v2 = own_dir(point, root, p2);
					}
					continue;
				}
				if (strcmp(fstype, "cgroup"))
					continue;
				if (has_word(ctrls, "memory") && has_word(super, "memory") && !mi->v1_mem)
					mi->v1_mem = own_dir(point, root, path);
				if (has_word(ctrls, "pids") && has_word(super, "pids") && !mi->v1_pids)
					mi->v1_pids = own_dir(point, root, path);
				if (has_word(ctrls, "cpuacct") && has_word(super, "cpuacct") && !mi->v1_cpuacct)
					mi->v1_cpuacct = own_dir(point, root, path);
			}
		}
		line = next;
	}
out:
	buf_free(&cg);
	buf_free(&mnt);
}

static char *make_child(const char *parent, const char *name, struct buf *why)
{
	struct buf p = BUF_INIT;

	buf_printf(&p, "%s/%s", parent, name);
	if (mkdir(buf_str(&p), 0755) < 0 && !(errno == EEXIST && rmdir(buf_str(&p)) == 0 &&
					       mkdir(buf_str(&p), 0755) == 0)) {
		buf_printf(why, "cannot create cgroup %s: %s", buf_str(&p), strerror(errno));
		buf_free(&p);
		return NULL;
	}
	return buf_detach(&p);
}

static bool cg_has(const char *dir, const char *file)
{
	struct buf p = BUF_INIT;
	bool yes;

	fs_join(&p, dir, file);
	yes = access(buf_str(&p), F_OK) == 0;
	buf_free(&p);
	return yes;
}

/* Kills every process in the worker's cgroups and waits (up to 2 s) until they are gone. */
static void cg_kill_all(struct cgroups *cg)
{
	const char *dir = cg->pids ? cg->pids : cg->mem;
	double until = now_mono() + 2.0;

	for (int round = 0; dir; round++) {
		struct buf procs = BUF_INIT;
		bool any = false;

		if (cg->kill)
			write_str(cg->kill, "cgroup.kill", "1");
		if (read_str(dir, "cgroup.procs", &procs) < 0) {
			buf_free(&procs);
			return;
		}
		for (char *p = procs.data; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
			long pid = strtol(p, NULL, 10);
			if (pid > 0) {
				kill((pid_t)pid, SIGKILL);
				any = true;
			}
		}
		buf_free(&procs);
		if (!any || now_mono() > until)
			return;
		usleep(round < 10 ? 200 : 5000);
	}
}

static void cg_close(struct cgroups *cg)
{
	char *dirs[] = {cg->mem, cg->pids, cg->cpu, cg->kill};

	if (cg->mem || cg->pids)
		cg_kill_all(cg);
	for (int i = 0; i < cg->nprocs; i++)
		close(cg->procs_fd[i]);
	for (size_t i = 0; i < 4; i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= dirs[j] && dirs[i] && !strcmp(dirs[i], dirs[j]);
		if (dirs[i] && !dup)
			rmdir(dirs[i]);
	}
	free(cg->mem);
	if (cg->pids != cg->mem)
		free(cg->pids);
	if (cg->cpu != cg->mem && cg->cpu != cg->pids)
		free(cg->cpu);
	if (cg->kill != cg->mem && cg->kill != cg->pids && cg->kill != cg->cpu)
		free(cg->kill);
	memset(cg, 0, sizeof(*cg));
}

static int add_procs_fd(struct cgroups *cg, const char *dir, struct buf *why)
{
	struct buf p = BUF_INIT;
	int fd;

	fs_join(&p, dir, "cgroup.procs");
	fd = open(buf_str(&p), O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(why, "cannot open %s: %s", buf_str(&p), strerror(errno));
		buf_free(&p);
		return -1;
	}
	buf_free(&p);
	cg->procs_fd[cg->nprocs++] = fd;
	return 0;
}

/* Moves a process (the measurer, by its pid here) into every cgroup of the worker. */
static int cg_enter(struct cgroups *cg, pid_t pid, struct buf *why)
{
	char num[32];
	int len = snprintf(num, sizeof(num), "%d", (int)pid);

	for (int i = 0; i < cg->nprocs; i++)
		if (write(cg->procs_fd[i], num, (size_t)len) != len) {
			buf_printf(why, "cannot move the sandbox's measurer (pid %d) into its cgroups: %s",
				   (int)pid, strerror(errno));
			return -1;
		}
	return 0;
}

/* Removes the empty cgroups that a grader which died (killed, crashed) left beneath `parent`:
 * those named grader-PID-… whose PID no longer exists here. A cgroup that still holds processes
 * is left alone (rmdir refuses it): a parent such as the root of a v1 hierarchy may be shared
 * with other PID namespaces, whose processes are not ours to kill. */
static void cg_reap_stale(const char *parent)
{
	DIR *d;
	struct dirent *e;
	struct buf p = BUF_INIT;

	if (!parent || !(d = opendir(parent)))
		return;
	while ((e = readdir(d))) {
		int pid;
		unsigned long tag;
		if (sscanf(e->d_name, "grader-%d-%lx", &pid, &tag) != 2 || pid <= 0 ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		fs_join(&p, parent, e->d_name);
		rmdir(p.data);
	}
	closedir(d);
	buf_free(&p);
}

/* Creates this worker's cgroups beneath the grader's own. Returns -1 with the reason in `why`. */
static int cg_open(struct cgroups *cg, const struct sandbox *sb, struct buf *why)
{
	struct mountinfo mi;
	char name[64];
	int rc = -1;

	memset(cg, 0, sizeof(*cg));
	snprintf(name, sizeof(name), "grader-%d-%lx", (int)getpid(), (unsigned long)(uintptr_t)sb);
	find_cgroup_dirs(&mi);
	cg_reap_stale(mi.v1_mem);
	cg_reap_stale(mi.v1_pids);
	cg_reap_stale(mi.v1_cpuacct);
	cg_reap_stale(mi.v2);
	if (mi.v2 && cg_has(mi.v2, "cgroup.controllers")) {
		struct buf ctl = BUF_INIT;
		read_str(mi.v2, "cgroup.controllers", &ctl);
		if (strstr(buf_str(&ctl), "memory") && strstr(buf_str(&ctl), "pids")) {
			/* pure v2: the controllers must be enabled for our children */
			write_str(mi.v2, "cgroup.subtree_control", "+memory +pids +cpu");
			cg->mem = make_child(mi.v2, name, why);
			if (cg->mem && (!cg_has(cg->mem, "memory.max") || !cg_has(cg->mem, "pids.max"))) {
				buf_printf(why, "the memory and pids controllers are not enabled in %s/cgroup.subtree_control (the grader's cgroup must be delegated and hold no processes of its own)", mi.v2);
				rmdir(cg->mem);
				free(cg->mem);
				cg->mem = NULL;
			}
			if (cg->mem) {
				cg->pids = cg->cpu = cg->kill = cg->mem;
				cg->mem_version = cg->cpu_version = 2;
			}
		}
		buf_free(&ctl);
	}
	if (!cg->mem && mi.v1_mem) {
		buf_reset(why);
		cg->mem = make_child(mi.v1_mem, name, why);
		cg->mem_version = 1;
		if (cg->mem && mi.v1_pids)
			cg->pids = make_child(mi.v1_pids, name, why);
		if (cg->mem && mi.v2 && cg_has(mi.v2, "cgroup.procs")) {
			/* hybrid: the v2 hierarchy gives cpu.stat and cgroup.kill without controllers */
			cg->cpu = make_child(mi.v2, name, why);
			if (cg->cpu && !cg_has(cg->cpu, "cpu.stat")) {
				rmdir(cg->cpu);
				free(cg->cpu);
				cg->cpu = NULL;
			}
			if (cg->cpu) {
				cg->cpu_version = 2;
				if (cg_has(cg->cpu, "cgroup.kill"))
					cg->kill = cg->cpu;
			}
		}
		if (cg->mem && !cg->cpu && mi.v1_cpuacct) {
			cg->cpu = make_child(mi.v1_cpuacct, name, why);
			cg->cpu_version = 1;
		}
	}
	if (!cg->mem && !why->len)
		buf_puts(why, "no cgroup hierarchy with a memory controller is mounted");
	if (!cg->mem || !cg->pids || !cg->cpu) {
		if (cg->mem && !why->len)
			buf_puts(why, "no pids controller or no CPU accounting cgroup");
		goto out;
	}
	if (add_procs_fd(cg, cg->mem, why) < 0 ||
	    (cg->pids != cg->mem && add_procs_fd(cg, cg->pids, why) < 0) ||
	    (cg->cpu != cg->mem && add_procs_fd(cg, cg->cpu, why) < 0))
		goto out;
	buf_reset(why);
	rc = 0;
out:
	if (rc < 0)
		cg_close(cg);
	free(mi.v1_mem);
	free(mi.v1_pids);
	free(mi.v1_cpuacct);
	free(mi.v2);
	return rc;
}

/* Figures read around one run. */
struct cg_snap {
	uint64_t usage_us, user_us, sys_us, oom_kills;
};

static void cg_snapshot(const struct cgroups *cg, struct cg_snap *s)
{
	memset(s, 0, sizeof(*s));
	if (cg->cpu_version == 2) {
		read_key(cg->cpu, "cpu.stat", "usage_usec", &s->usage_us);
		read_key(cg->cpu, "cpu.stat", "user_usec", &s->user_us);
		read_key(cg->cpu, "cpu.stat", "system_usec", &s->sys_us);
	} else {
		uint64_t ns = 0, ut = 0, st = 0;
		long hz = sysconf(_SC_CLK_TCK);
		read_u64(cg->cpu, "cpuacct.usage", &ns);
		read_key(cg->cpu, "cpuacct.stat", "user", &ut);
		read_key(cg->cpu, "cpuacct.stat", "system", &st);
		s->usage_us = ns / 1000;
		s->user_us = ut * 1000000 / (uint64_t)(hz > 0 ? hz : 100);
		s->sys_us = st * 1000000 / (uint64_t)(hz > 0 ? hz : 100);
	}
	if (cg->mem_version == 2)
		read_key(cg->mem, "memory.events", "oom_kill", &s->oom_kills);
	else
		read_key(cg->mem, "memory.oom_control", "oom_kill", &s->oom_kills);
}

static uint64_t cg_cpu_usage(const struct cgroups *cg)
{
	uint64_t v = 0;

	if (cg->cpu_version == 2)
		read_key(cg->cpu, "cpu.stat", "usage_usec", &v);
	else if (read_u64(cg->cpu, "cpuacct.usage", &v) == 0)
		v /= 1000;
	return v;
}

/* Sets the limits and resets the peak before a run. Returns an fd to read memory.peak from (v2)
 * or -1 (v1, or when it fails; *failed is set then). */
static int cg_prepare(struct cgroups *cg, const struct sandbox_limits *l, struct buf *why)
{
	int peak_fd = -1;

	cg_kill_all(cg); /* a previous run's process may not be left in it */
	if (cg->mem_version == 1) {
		/* Drop page cache charged by earlier runs, so it does not count in this run's peak;
		 * it costs about 0.7 ms, so only when there is enough of it to matter. */
		uint64_t usage = 0;
		if (read_u64(cg->mem, "memory.usage_in_bytes", &usage) < 0 || usage > (1u << 20))
			write_str(cg->mem, "memory.force_empty", "0");
		if (cg->set_mem != l->memory) {
			bool memsw = cg_has(cg->mem, "memory.memsw.limit_in_bytes");
			if (memsw)
				write_str(cg->mem, "memory.memsw.limit_in_bytes", "-1");
			if (write_u64(cg->mem, "memory.limit_in_bytes", l->memory) < 0 ||
			    (memsw && write_u64(cg->mem, "memory.memsw.limit_in_bytes", l->memory) < 0)) {
				buf_printf(why, "cannot set the memory limit in %s: %s", cg->mem, strerror(errno));
				return -2;
			}
			cg->set_mem = l->memory;
		}
		if (write_str(cg->mem, "memory.max_usage_in_bytes", "0") < 0) {
			buf_printf(why, "cannot reset the memory peak in %s: %s", cg->mem, strerror(errno));
			return -2;
		}
	} else {
		struct buf p = BUF_INIT;
		if (cg->set_mem != l->memory) {
			write_str(cg->mem, "memory.swap.max", "0");
			if (write_u64(cg->mem, "memory.max", l->memory) < 0) {
				buf_printf(why, "cannot set memory.max in %s: %s", cg->mem, strerror(errno));
				return -2;
			}
			cg->set_mem = l->memory;
		}
		fs_join(&p, cg->mem, "memory.peak");
		peak_fd = open(buf_str(&p), O_RDWR | O_CLOEXEC);
		buf_free(&p);
		if (peak_fd < 0 || write(peak_fd, "reset\n", 6) != 6) {
			buf_printf(why, "cannot reset %s/memory.peak (needs Linux 6.12 or later)", cg->mem);
			if (peak_fd >= 0)
				close(peak_fd);
			return -2;
		}
	}
	if (cg->set_pids != (uint64_t)l->pids) {
		if (write_u64(cg->pids, "pids.max", (uint64_t)l->pids) < 0) {
			buf_printf(why, "cannot set pids.max in %s: %s", cg->pids, strerror(errno));
			if (peak_fd >= 0)
				close(peak_fd);
			return -2;
		}
		cg->set_pids = (uint64_t)l->pids;
	}
	return peak_fd;
}

/* a - b, or 0 when b is larger. */
static uint64_t sub_floor(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static uint64_t cg_peak(const struct cgroups *cg, int peak_fd)
{
	uint64_t v = 0;

	if (cg->mem_version == 1) {
		read_u64(cg->mem, "memory.max_usage_in_bytes", &v);
	} else if (peak_fd >= 0) {
		char num[32];
		ssize_t n = pread(peak_fd, num, sizeof(num) - 1, 0);
		if (n > 0) {
			num[n] = '\0';
			v = strtoull(num, NULL, 10);
		}
	}
	return v;
}

/* ---- open / close ---- */

static char *find_pid1(const struct sandbox_options *opt)
{
	const char *env = getenv("GRADER_PID1");
	char *self, *slash;
	struct buf p = BUF_INIT;

	if (opt && opt->pid1)
		return fs_realpath(opt->pid1);
	if (env && *env)
		return fs_realpath(env);
	self = fs_realpath("/proc/self/exe");
	if (!self)
		return NULL;
	slash = strrchr(self, '/');
	*slash = '\0';
	/* installed beside the grader; in the source tree, bin/ beside build/san/ (sanitizer build) */
	for (int i = 0; i < 2; i++) {
		buf_reset(&p);
		buf_printf(&p, i ? "%s/../../bin/grader-pid1" : "%s/grader-pid1", self);
		if (fs_is_file(buf_str(&p))) {
			char *real = fs_realpath(buf_str(&p));
			free(self);
			buf_free(&p);
			return real;
		}
	}
	free(self);
	buf_free(&p);
	return NULL;
}

/* Runs `grader-pid1 --probe` in a minimal sandbox: proves that bwrap can create namespaces. */
static int probe(const struct sandbox *sb, struct buf *err)
{
	struct stage st = {.idmap_fd = sb->idmap_fd};
	const char *src = sb->drop ? stage_add(&st, sb->pid1, true) : sb->pid1;
	const char *argv[] = {sb->bwrap, "--unshare-all", "--unshare-user", "--die-with-parent",
			      "--ro-bind", src, PID1_INSIDE, PID1_INSIDE, "--probe", NULL};
	int fds[2], status = -1;
	pid_t pid;
	struct buf out = BUF_INIT;
	char chunk[1024];
	ssize_t n;

	if (!src || pipe2(fds, O_CLOEXEC) < 0) {
		stage_free(&st);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		if (sb->drop && drop_to_sandbox_user(&st) < 0) {
			static const char msg[] = "cannot take the sandbox's uid or stage its binds";
			if (write(1, msg, sizeof(msg) - 1) < 0)
				_exit(127);
			_exit(127);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	stage_free(&st);
	close(fds[1]);
	while (pid > 0 && ((n = read(fds[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0 && out.len < 4096)
			buf_append(&out, chunk, (size_t)n);
	close(fds[0]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && !strcmp(buf_str(&out), "ok\n")) {
		buf_free(&out);
		return 0;
	}
	buf_printf(err, "bubblewrap cannot create a sandbox here (%s): %s\n"
		   "  The grader needs unprivileged user namespaces: check that "
		   "/proc/sys/user/max_user_namespaces is above 0, that kernel.unprivileged_userns_clone "
		   "is 1 where it exists, and on Ubuntu 24.04 and later that AppArmor allows bwrap "
		   "(kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile for "
		   "/usr/bin/bwrap). See docs/sandbox.md.\n",
		   sb->bwrap, out.len ? buf_str(&out) : "no output");
	buf_free(&out);
	return -1;
}

/* An empty network namespace (only a loopback interface) for this worker's runs to join, so
 * that bwrap need not make a new one for each run: that costs about 0.9 ms a run here. A run
 * cannot leave anything in it (every process of a run dies with the run, and its sockets with
 * them), and no run's program holds a capability over it (it belongs to the grader's user
 * namespace, the program is in bwrap's). Needs CAP_SYS_ADMIN: returns -1 otherwise, and runs
 * then get bwrap's own --unshare-net. */
static int make_netns(void)
{
	int ready[2], fd = -1;
	char c;
	pid_t pid;

	if (geteuid() != 0 || pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	if (pid == 0) {
		struct ifreq ifr;
		int sock;
		close(ready[0]);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		/* Loopback up, as bwrap's --unshare-net leaves it. */
		sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.ifr_name, "lo", 3);
		if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
			_exit(1);
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) == 1) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	close(ready[0]);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return fd;
}

struct sandbox *sandbox_open_with(const char *profiles_dir, const char *state_dir,
				  const struct sandbox_options *opt, enum error_class *cls, struct buf *err)
{
	struct sandbox *sb = calloc(1, sizeof(*sb));
	const char *method = getenv("GRADER_SANDBOX_METHOD");
	enum error_class fault = ERROR_INFRA;

	if (!sb) {
		buf_puts(err, "out of memory\n");
		if (cls)
			*cls = ERROR_INFRA;
		return NULL;
	}
	sb->netns_fd = -1;
	sb->idmap_fd = -1;
	if (state_dir && fs_mkdirs(state_dir) < 0) {
		buf_printf(err, "%s: cannot create the sandbox state directory: %s\n", state_dir,
			   strerror(errno));
		goto fail;
	}
	sb->bwrap = fs_which("bwrap");
	if (!sb->bwrap) {
		buf_puts(err, "bwrap (bubblewrap) is not installed or not on PATH: "
			      "install the Debian package 'bubblewrap'\n");
		goto fail;
	}
	sb->pid1 = find_pid1(opt);
	if (!sb->pid1) {
		buf_puts(err, "grader-pid1 (the sandbox's measuring init) was not found beside the grader "
			      "executable nor in $GRADER_PID1: run 'make' (it builds bin/grader-pid1)\n");
		goto fail;
	}
	if (load_profiles(sb, profiles_dir, err) < 0) {
		fault = ERROR_CONFIG;
		goto fail;
	}
	sb->drop = geteuid() == 0;
	if (sb->drop)
		sb->idmap_fd = make_idmap_userns();
	if (probe(sb, err) < 0)
		goto fail;
	for (size_t i = 0; i < sb->nprofiles; i++) {
		if (sb->profiles[i].python && !sb->py_prefix && !sb->py_why.len)
			find_python(sb);
		if (sb->profiles[i].rust && !sb->rust_sysroot && !sb->rust_why.len)
			find_rust(sb);
	}
	if ((opt && opt->no_cgroups) || (method && !strcmp(method, "rusage-pid1"))) {
		buf_puts(&sb->no_cgroup_why, "the fallback was asked for (GRADER_SANDBOX_METHOD=rusage-pid1 or an option)");
	} else if (method && *method && strcmp(method, "cgroup")) {
		buf_printf(err, "GRADER_SANDBOX_METHOD='%s' is not one of: cgroup, rusage-pid1\n", method);
		fault = ERROR_CONFIG;
		goto fail;
	} else if (cg_open(&sb->cg, sb, &sb->no_cgroup_why) == 0) {
		sb->use_cgroups = true;
	}
	sb->netns_fd = make_netns();
	if (cls)
		*cls = ERROR_NONE;
	return sb;
fail:
	if (cls)
		*cls = fault;
	sandbox_close(sb);
	return NULL;
}

struct sandbox *sandbox_open(const char *profiles_dir, const char *state_dir, enum error_class *cls,
			     struct buf *err)
{
	return sandbox_open_with(profiles_dir, state_dir, NULL, cls, err);
}

const char *sandbox_method(const struct sandbox *sb, const char **why)
{
	if (why)
		*why = sb->use_cgroups ? "" : buf_str(&sb->no_cgroup_why);
	if (!sb->use_cgroups)
		return "rusage-pid1";
	return sb->cg.mem_version == 2 ? "cgroup-v2" : "cgroup-v1";
}

void sandbox_close(struct sandbox *sb)
{
	if (!sb)
		return;
	if (sb->use_cgroups)
		cg_close(&sb->cg);
	if (sb->netns_fd >= 0)
		close(sb->netns_fd);
	if (sb->idmap_fd >= 0)
		close(sb->idmap_fd);
	for (size_t i = 0; i < sb->nprofiles; i++)
		profile_free(&sb->profiles[i]);
	free(sb->profiles);
	free(sb->bwrap);
	free(sb->pid1);
	free(sb->py_prefix);
	free(sb->py_prefix2);
	free(sb->py_bindir);
	free(sb->rust_sysroot);
	buf_free(&sb->py_why);
	buf_free(&sb->rust_why);
	buf_free(&sb->no_cgroup_why);
	free(sb);
}

const char *sandbox_verdict_name(enum sandbox_verdict v)
{
	switch (v) {
	case SANDBOX_OK: return "ok";
	case SANDBOX_TIME_LIMIT: return "time_limit";
	case SANDBOX_MEMORY_LIMIT: return "memory_limit";
	case SANDBOX_OUTPUT_LIMIT: return "output_limit";
	case SANDBOX_RUNTIME_ERROR: return "runtime_error";
	case SANDBOX_ERROR: return "sandbox_error";
	}
	return "unknown";
}

void sandbox_result_free(struct sandbox_result *res)
{
	if (!res)
		return;
	buf_free(&res->out);
	buf_free(&res->err);
	buf_free(&res->message);
}

/* ---- one run ---- */

/* Adds a read-only bind of a host path at the same place; a symbolic link is recreated as one.
 * Returns 1 when the path is missing, -1 on memory failure. */
static int add_ro(struct strv *a, const char *path)
{
	struct stat st;
	char target[4096];
	ssize_t n;

	if (lstat(path, &st) < 0)
		return 1;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return 1;
		target[n] = '\0';
		return strv_push(a, "--symlink") || strv_push(a, target) || strv_push(a, path) ? -1 : 0;
	}
	return strv_push(a, "--ro-bind") || strv_push(a, path) || strv_push(a, path) ? -1 : 0;
}

static bool safe_inside(const char *p)
{
	return p && p[0] == '/' && strcmp(p, "/") && !strstr(p, "/..") && !strchr(p, '\n') &&
	       strcmp(p, PID1_INSIDE) && strncmp(p, "/proc", 5) && strcmp(p, "/dev");
}

struct run_state {
	struct sandbox_limits lim;
	pid_t bwrap;
	int pidfd;              /* of the measurer, from bwrap's child-pid; -1 until known */
	long child_pid;
	bool exit_code_seen;
	struct buf json, res;   /* bwrap's status and the measurer's lines (partial last line kept) */
	/* the measurer's latest figures */
	bool final_seen, main_done;
	bool ready, moved;      /* the measurer waits for the go; the grader moved it into the cgroups */
	bool setup_error;       /* the move failed: `why` of sandbox_run says why */
	int status;
	uint64_t user_us, sys_us, maxrss_kb, self_kb, tree_kb, live_cpu_us;
	uint64_t self_user_us, self_sys_us; /* the measurer's own CPU time since the go */
	long tasks;
	char killed[16];
	/* why the grader stopped the run */
	const char *stopped;    /* NULL, "wall", "cpu", "output" */
	const char *workdir;
	double stop_time;
};

static void parse_json(struct run_state *rs)
{
	const char *p = strstr(buf_str(&rs->json), "\"child-pid\"");

	if (p && !rs->child_pid) {
		p = strchr(p, ':');
		if (p)
			rs->child_pid = strtol(p + 1, NULL, 10);
		if (rs->child_pid > 0)
			rs->pidfd = (int)syscall(SYS_pidfd_open, (pid_t)rs->child_pid, 0);
	}
	if (strstr(buf_str(&rs->json), "\"exit-code\""))
		rs->exit_code_seen = true;
}

/* The number after " KEY" in a line (the key a whole word: "user_us=" is not "self_user_us="). */
static uint64_t field(const char *line, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = strstr(line, key); p; p = strstr(p + 1, key))
		if (p > line && p[-1] == ' ')
			return strtoull(p + len, NULL, 10);
	return 0;
}

/* Parses the complete lines the measurer wrote and drops them from the buffer. */
static void parse_res(struct run_state *rs)
{
	char *start = rs->res.data, *nl;
	size_t used = 0;

	while (start && (nl = memchr(start, '\n', rs->res.len - used))) {
		*nl = '\0';
		if (!strcmp(start, "ready")) {
			rs->ready = true;
		} else if (!strncmp(start, "sample ", 7)) {
			rs->live_cpu_us = field(start, "cpu_us=");
			rs->tree_kb = field(start, "tree_kb=");
			rs->tasks = (long)field(start, "tasks=");
		} else if (!strncmp(start, "final ", 6)) {
			const char *k = strstr(start, "killed=");
			rs->final_seen = true;
			rs->status = (int)field(start, "status=");
			rs->main_done = field(start, "done=") != 0;
			rs->user_us = field(start, "user_us=");
			rs->sys_us = field(start, "sys_us=");
			rs->maxrss_kb = field(start, "maxrss_kb=");
			rs->self_kb = field(start, "self_kb=");
			rs->tree_kb = field(start, "tree_kb=");
			rs->tasks = (long)field(start, "tasks=");
			rs->self_user_us = field(start, "self_user_us=");
			rs->self_sys_us = field(start, "self_sys_us=");
			snprintf(rs->killed, sizeof(rs->killed), "%.*s", (int)strcspn(k ? k + 7 : "", " \n"),
				 k ? k + 7 : "");
		}
		used += (size_t)(nl - start) + 1;
		start = nl + 1;
	}
	if (used) {
		size_t rest = rs->res.len - used;
		memmove(rs->res.data, rs->res.data + used, rest);
		rs->res.len = rest;
		rs->res.data[rest] = '\0';
	}
}

/* Stops a run: with cgroups, kills the whole group and bwrap at once; without, asks the measurer
 * to kill the tree and report (and kills bwrap when it does not within KILL_GRACE). */
static void stop_run(struct sandbox *sb, struct run_state *rs, const char *why)
{
	if (!rs->stopped) {
		rs->stopped = why;
		rs->stop_time = now_mono();
	}
	if (sb->use_cgroups) {
		if (sb->cg.kill)
			write_str(sb->cg.kill, "cgroup.kill", "1");
		kill(rs->bwrap, SIGKILL);
	} else if (rs->pidfd >= 0) {
		syscall(SYS_pidfd_send_signal, rs->pidfd, SIGUSR1, NULL, 0);
	} else {
		kill(rs->bwrap, SIGKILL);
	}
}

/* A pipe, or with `sock` a stream socket pair (whose writer can use MSG_NOSIGNAL: a peer that
 * died must not raise SIGPIPE in the grader). */
static int open_channel(int fds[2], bool sock)
{
	int tmp[2];

	if (sock ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, tmp) < 0 : pipe2(tmp, O_CLOEXEC) < 0)
		return -1;
	/* keep them above stdin/stdout/stderr so that dup2 in the child cannot clobber them */
	fds[0] = fcntl(tmp[0], F_DUPFD_CLOEXEC, 3);
	fds[1] = fcntl(tmp[1], F_DUPFD_CLOEXEC, 3);
	close(tmp[0]);
	close(tmp[1]);
	if (fds[0] < 0 || fds[1] < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		if (fds[1] >= 0)
			close(fds[1]);
		return -1;
	}
	return 0;
}

static int open_pipe(int fds[2])
{
	return open_channel(fds, false);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void sandbox_error(struct sandbox_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sandbox_error(struct sandbox_result *res, const char *fmt, ...)
{
	va_list ap;

	res->verdict = SANDBOX_ERROR;
	buf_reset(&res->message);
	va_start(ap, fmt);
	buf_vprintf(&res->message, fmt, ap);
	va_end(ap);
}

static void merge_limits(struct sandbox_limits *l, const struct sandbox_limits *over)
{
	if (over->wall > 0)
		l->wall = over->wall;
	if (over->cpu > 0)
		l->cpu = over->cpu;
	if (over->memory)
		l->memory = over->memory;
	if (over->output)
		l->output = over->output;
	if (over->file_size)
		l->file_size = over->file_size;
	if (over->tmp_size)
		l->tmp_size = over->tmp_size;
	if (over->pids > 0)
		l->pids = over->pids;
}

/* Adds "--bind"/"--ro-bind" of a host path chosen by the grader (a tool, the measurer, the work
 * directory, a request's bind): staged when the sandbox drops root (see struct stage). */
static int add_bind(struct strv *a, struct stage *st, const char *host, const char *inside,
		    bool writable)
{
	const char *src = st ? stage_add(st, host, !writable) : host;

	if (!src)
		return -1;
	return strv_push(a, writable ? "--bind" : "--ro-bind") || strv_push(a, src) ||
			       strv_push(a, inside)
		       ? -1
		       : 0;
}

/* Builds bwrap's argument vector and the program's environment. `st` is NULL, or collects the
 * sources to stage when the sandbox drops root. `go_fd` is -1, or the descriptor the measurer
 * waits on before it starts the program (cgroups: the grader moves it into them first). */
static int build_command(struct sandbox *sb, const struct profile *p,
			 const struct sandbox_request *req, const struct sandbox_limits *l,
			 int json_fd, int res_fd, int go_fd, struct stage *st, struct strv *a,
			 struct strv *env, struct sandbox_result *res)
{
	struct buf path = BUF_INIT;
	int rc = -1, bad = 0;

	if (p->python && !sb->py_prefix) {
		sandbox_error(res, "profile %s needs Python, which was not found: %s", p->name,
			      buf_str(&sb->py_why));
		return -1;
	}
	if (p->rust && !sb->rust_sysroot) {
		sandbox_error(res, "profile %s needs a Rust toolchain, which was not found: %s", p->name,
			      buf_str(&sb->rust_why));
		return -1;
	}
	strv_push(a, sb->bwrap);
	if (sb->netns_fd >= 0) {
		/* --unshare-all but the network: the child joins the worker's empty one first. */
		strv_push(a, "--unshare-ipc");
		strv_push(a, "--unshare-pid");
		strv_push(a, "--unshare-uts");
		strv_push(a, "--unshare-cgroup-try");
	} else {
		strv_push(a, "--unshare-all");
	}
	strv_push(a, "--unshare-user");
	strv_push(a, "--disable-userns");
	strv_push(a, "--die-with-parent");
	strv_push(a, "--new-session");
	strv_push(a, "--as-pid-1");
	strv_push(a, "--cap-drop");
	strv_push(a, "ALL");
	strv_push(a, "--hostname");
	strv_push(a, "sandbox");
	for (size_t i = 0; i < p->nro; i++) {
		int r = add_ro(a, p->ro[i]);
		if (r > 0) {
			sandbox_error(res, "profile %s: the path '%s' it binds does not exist on this host",
				      p->name, p->ro[i]);
			goto out;
		}
	}
	for (size_t i = 0; i < p->nro_try; i++)
		add_ro(a, p->ro_try[i]);
	/* The tools are realpaths (no symbolic links), possibly under /root. */
	if (p->python) {
		bad |= add_bind(a, st, sb->py_prefix, sb->py_prefix, false);
		if (sb->py_prefix2)
			bad |= add_bind(a, st, sb->py_prefix2, sb->py_prefix2, false);
		if (strncmp(sb->py_bindir, sb->py_prefix, strlen(sb->py_prefix)))
			bad |= add_bind(a, st, sb->py_bindir, sb->py_bindir, false);
	}
	if (p->rust)
		bad |= add_bind(a, st, sb->rust_sysroot, sb->rust_sysroot, false);
	if (p->proc) {
		strv_push(a, "--proc");
		strv_push(a, "/proc");
	}
	if (p->dev) {
		strv_push(a, "--dev");
		strv_push(a, "/dev");
	}
	strv_push(a, "--size");
	strv_pushf(a, "%llu", (unsigned long long)l->tmp_size);
	strv_push(a, "--perms");
	strv_push(a, "1777");
	strv_push(a, "--tmpfs");
	strv_push(a, "/tmp");
	if (req->workdir) {
		bad |= add_bind(a, st, req->workdir, "/work", true);
		strv_push(a, "--chdir");
		strv_push(a, "/work");
	} else {
		strv_push(a, "--chdir");
		strv_push(a, "/");
	}
	for (int i = 0; i < req->nbinds; i++)
		bad |= add_bind(a, st, req->binds[i].host, req->binds[i].inside, req->binds[i].writable);
	bad |= add_bind(a, st, sb->pid1, PID1_INSIDE, false);
	strv_push(a, "--json-status-fd");
	strv_pushf(a, "%d", json_fd);
	strv_push(a, PID1_INSIDE);
	strv_pushf(a, "%d", res_fd);
	strv_pushf(a, "%d", go_fd);
	strv_pushf(a, "%d", SAMPLE_MS); /* peak memory is sampled in both methods */
	strv_pushf(a, "%llu", sb->use_cgroups ? 0ULL : (unsigned long long)ceil(l->cpu * 1000));
	strv_pushf(a, "%llu", sb->use_cgroups ? 0ULL : (unsigned long long)l->memory);
	strv_pushf(a, "%d", sb->use_cgroups ? 0 : l->pids);
	strv_push(a, "--");
	for (size_t i = 0; req->argv[i]; i++)
		strv_push(a, req->argv[i]);

	/* The environment of bwrap itself is the program's: nothing of the grader's leaks in, not
	 * even through /proc/1/environ. */
	buf_puts(&path, "PATH=");
	if (p->python)
		buf_printf(&path, "%s:", sb->py_bindir);
	if (p->rust)
		buf_printf(&path, "%s/bin:", sb->rust_sysroot);
	buf_puts(&path, "/usr/local/bin:/usr/bin:/bin");
	strv_push(env, buf_str(&path));
	strv_push(env, req->workdir ? "HOME=/work" : "HOME=/tmp");
	strv_push(env, "TMPDIR=/tmp");
	strv_push(env, "LANG=C.UTF-8");
	for (size_t i = 0; i < p->env.n; i++)
		strv_setenv(env, p->env.v[i]);
	for (size_t i = 0; req->env && req->env[i]; i++)
		strv_setenv(env, req->env[i]);
	if (!a->v || !env->v || a->n < 10 || bad) {
		sandbox_error(res, "out of memory building the sandbox command");
		goto out;
	}
	rc = 0;
out:
	buf_free(&path);
	return rc;
}

/* Checks a request; a bad one is the caller's programming error. */
static int check_request(const struct sandbox_request *req, struct sandbox_result *res)
{
	if (!req->argv || !req->argv[0] || !req->argv[0][0]) {
		sandbox_error(res, "bad request: no command");
		return -1;
	}
	if (req->workdir && !fs_is_dir(req->workdir)) {
		sandbox_error(res, "bad request: the work directory '%s' does not exist", req->workdir);
		return -1;
	}
	for (int i = 0; i < req->nbinds; i++) {
		const struct sandbox_bind *b = &req->binds[i];
		if (!b->host || b->host[0] != '/' || access(b->host, F_OK) < 0) {
			sandbox_error(res, "bad request: bind source '%s' is not an existing absolute path",
				      b->host ? b->host : "(null)");
			return -1;
		}
		if (!safe_inside(b->inside) || (req->workdir && !strcmp(b->inside, "/work"))) {
			sandbox_error(res, "bad request: bind target '%s' is not allowed",
				      b->inside ? b->inside : "(null)");
			return -1;
		}
	}
	if (req->pin_cpu) {
		cpu_set_t mine;
		if (req->cpu < 0 || req->cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof(mine), &mine) < 0 ||
		    !CPU_ISSET(req->cpu, &mine)) {
			sandbox_error(res, "bad request: CPU %d is not one the grader may run on", req->cpu);
			return -1;
		}
	}
	for (size_t i = 0; req->env && req->env[i]; i++) {
		const char *e = req->env[i];
		if (!strchr(e, '=') || e[0] == '=' || strchr(e, '\n')) {
			sandbox_error(res, "bad request: environment entry '%s' is not NAME=value", e);
			return -1;
		}
	}
	return 0;
}

/* Appends program output to a result, within the shared budget. Returns true when over it. */
static bool keep_output(struct sandbox_result *res, bool is_err, const char *data, size_t n,
			uint64_t budget)
{
	struct buf *b = is_err ? &res->err : &res->out;
	uint64_t kept = res->out.len + res->err.len;
	size_t room = kept >= budget ? 0 : (size_t)(budget - kept);

	*(is_err ? &res->err_total : &res->out_total) += n;
	if (n > room) {
		buf_append(b, data, room);
		*(is_err ? &res->err_truncated : &res->out_truncated) = true;
		return true;
	}
	buf_append(b, data, n);
	return false;
}

static void summarize(struct sandbox_result *res, const struct sandbox_limits *l)
{
	char a[32], b[32];

	res->limit_value = res->verdict == SANDBOX_MEMORY_LIMIT ? (double)l->memory
			   : !res->limit ? 0
			   : !strcmp(res->limit, "cpu") ? l->cpu
			   : !strcmp(res->limit, "wall") ? l->wall
			   : !strcmp(res->limit, "output") ? (double)l->output
			   : !strcmp(res->limit, "file") ? (double)l->file_size
			   : !strcmp(res->limit, "pids") ? l->pids : 0;

	buf_reset(&res->message);
	switch (res->verdict) {
	case SANDBOX_OK:
		buf_puts(&res->message, "exited with status 0");
		break;
	case SANDBOX_TIME_LIMIT:
		if (!strcmp(res->limit, "cpu"))
			buf_printf(&res->message, "CPU time limit of %s exceeded (used %s)",
				   num_format_duration(l->cpu, a, sizeof(a)),
				   num_format_duration(res->cpu, b, sizeof(b)));
		else
			buf_printf(&res->message, "wall time limit of %s exceeded",
				   num_format_duration(l->wall, a, sizeof(a)));
		break;
	case SANDBOX_MEMORY_LIMIT:
		buf_printf(&res->message, "memory limit of %s exceeded%s",
			   num_format_size(l->memory, a, sizeof(a)),
			   res->oom_killed ? " (killed by the out-of-memory killer)" : "");
		break;
	case SANDBOX_OUTPUT_LIMIT:
		if (!strcmp(res->limit, "file"))
			buf_printf(&res->message, "a file grew past the limit of %s",
				   num_format_size(l->file_size, a, sizeof(a)));
		else
			buf_printf(&res->message, "stdout+stderr exceeded the limit of %s",
				   num_format_size(l->output, a, sizeof(a)));
		break;
	case SANDBOX_RUNTIME_ERROR:
		if (res->limit && !strcmp(res->limit, "pids"))
			buf_printf(&res->message, "more than %d processes and threads at once", l->pids);
		else if (res->signal)
			buf_printf(&res->message, "killed by signal %d (%s)", res->signal,
				   sigabbrev_np(res->signal) ? sigabbrev_np(res->signal) : "?");
		else
			buf_printf(&res->message, "exited with status %d", res->exit_code);
		if (res->err.len) {
			struct text_safe t;
			if (text_safe_tail_lines(res->err.data, res->err.len, 5, 800, &t) == 0) {
				buf_printf(&res->message, "; stderr ends with:\n%s", t.data);
				text_safe_free(&t);
			}
		}
		break;
	case SANDBOX_ERROR:
		break;
	}
}

/* nftw has no user pointer: the walk's state lives in the callback's thread-local variables. */
static _Thread_local uint64_t walk_limit;
static _Thread_local long walk_budget;

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)path;
	(void)f;
	if (--walk_budget < 0)
		return 2;
	return type == FTW_F && (uint64_t)st->st_size >= walk_limit ? 1 : 0;
}

/* Whether the program left a file of at least `size` bytes in the work directory: the trace of
 * RLIMIT_FSIZE for a program that ignores SIGXFSZ (Python does) and only saw EFBIG. */
static bool file_at_limit(const char *workdir, uint64_t size)
{
	walk_limit = size;
	walk_budget = 100000;
	return workdir && nftw(workdir, walk_one, 16, FTW_PHYS | FTW_MOUNT) == 1;
}

static void decide(struct sandbox *sb, struct run_state *rs, struct sandbox_result *res)
{
	const struct sandbox_limits *l = &rs->lim;
	int st = rs->status;
	/* the figure the memory limit is enforced on: the cgroup's, or the measurer's samples' */
	uint64_t enforced_peak = sb->use_cgroups ? res->cgroup_peak : res->peak_memory;

	if (rs->main_done) {
		if (WIFEXITED(st)) {
			res->exit_code = WEXITSTATUS(st);
		} else if (WIFSIGNALED(st)) {
			res->signal = WTERMSIG(st);
		}
	}
	if (rs->stopped && !strcmp(rs->stopped, "output")) {
		res->verdict = SANDBOX_OUTPUT_LIMIT;
		res->limit = "output";
	} else if ((rs->stopped && !strcmp(rs->stopped, "cpu")) || !strcmp(rs->killed, "cpu") ||
		   res->cpu >= l->cpu || res->signal == SIGXCPU) {
		res->verdict = SANDBOX_TIME_LIMIT;
		res->limit = "cpu";
	} else if (rs->stopped && !strcmp(rs->stopped, "wall")) {
		res->verdict = SANDBOX_TIME_LIMIT;
		res->limit = "wall";
	} else if (res->oom_killed || !strcmp(rs->killed, "memory") ||
		   (res->signal == SIGKILL && enforced_peak + ((uint64_t)1 << 20) >= l->memory)) {
		res->verdict = SANDBOX_MEMORY_LIMIT;
	} else if (res->signal == SIGXFSZ ||
		   ((res->exit_code > 0 || res->signal) && file_at_limit(rs->workdir, l->file_size))) {
		res->verdict = SANDBOX_OUTPUT_LIMIT;
		res->limit = "file";
	} else if (!strcmp(rs->killed, "pids")) {
		res->verdict = SANDBOX_RUNTIME_ERROR;
		res->limit = "pids";
	} else if (!rs->main_done) {
		res->verdict = SANDBOX_RUNTIME_ERROR; /* e.g. the program signalled its own init */
		res->signal = SIGKILL;
	} else if (res->exit_code != 0 || res->signal) {
		res->verdict = SANDBOX_RUNTIME_ERROR;
	} else {
		res->verdict = SANDBOX_OK;
	}
	summarize(res, l);
}

static rlim_t l_to_rlim(uint64_t v)
{
	return v ? (rlim_t)v : RLIM_INFINITY;
}

/* The forked child: joins the worker's network namespace, sets the per-process limits, as root
 * stages the binds and takes the sandbox's uid, and runs bwrap. It does not join the cgroups:
 * the grader moves the measurer into them once bwrap's set-up is over. Only async-signal-safe
 * calls: the grader may have other threads. */
__attribute__((noreturn)) static void child(const struct sandbox *sb, const struct sandbox_limits *l,
					    const cpu_set_t *cpus, struct stage *st, int stdin_fd,
					    int out_fd, int err_fd, int json_fd, int res_fd, int go_fd,
					    int exec_fd, char **argv, char **envp)
{
	sigset_t none;
	struct rlimit fsize = {l_to_rlim(l->file_size), l_to_rlim(l->file_size)};
	struct rlimit core = {0, 0};
	rlim_t cpu_s = (rlim_t)ceil(l->cpu) + 1;
	struct rlimit cpu = {cpu_s, cpu_s + 1};
	int e;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Inherited by bwrap, the measurer and the whole tree. */
	if (cpus && sched_setaffinity(0, sizeof(*cpus), cpus) < 0)
		goto fail;
	if (sb->netns_fd >= 0 && setns(sb->netns_fd, CLONE_NEWNET) < 0)
		goto fail;
	setrlimit(RLIMIT_FSIZE, &fsize);
	setrlimit(RLIMIT_CORE, &core);
	setrlimit(RLIMIT_CPU, &cpu);
	if (sb->drop) {
		if (drop_to_sandbox_user(st) < 0)
			goto fail;
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a change of uid cleared it */
	}
	if (dup2(stdin_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		goto fail;
	/* Everything else is closed at exec, except the two status pipes for bwrap and the measurer. */
	if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0)
		for (int fd = 3; fd < 1024; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(json_fd, F_SETFD, 0);
	fcntl(res_fd, F_SETFD, 0);
	if (go_fd >= 0)
		fcntl(go_fd, F_SETFD, 0);
	fcntl(exec_fd, F_SETFD, FD_CLOEXEC);
	execve(argv[0], argv, envp);
fail:
	e = errno;
	if (write(exec_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int sandbox_run(struct sandbox *sb, const struct sandbox_request *req, struct sandbox_result *res)
{
	const struct profile *p;
	struct run_state rs;
	struct strv a = {0}, env = {0};
	int out_p[2] = {-1, -1}, err_p[2] = {-1, -1}, json_p[2] = {-1, -1}, res_p[2] = {-1, -1};
	int exec_p[2] = {-1, -1}, go_p[2] = {-1, -1}, stdin_fd = -1, peak_fd = -1, ret = 0, wst = 0;
	struct stage st = {.idmap_fd = sb->idmap_fd};
	struct cg_snap before, after;
	double start, deadline, next_cpu_check;
	struct buf why = BUF_INIT;
	cpu_set_t cpus;

	memset(res, 0, sizeof(*res));
	res->exit_code = -1;
	res->method = sb && sb->use_cgroups ? sandbox_method(sb, NULL) : "rusage-pid1";
	memset(&rs, 0, sizeof(rs));
	rs.pidfd = -1;
	if (!sb || !req || check_request(req, res) < 0) {
		if (!res->message.len)
			sandbox_error(res, "bad request");
		return -1;
	}
	p = find_profile(sb, req->profile);
	if (!p) {
		sandbox_error(res, "unknown sandbox profile '%s'", req->profile ? req->profile : "(null)");
		return 0;
	}
	rs.lim = p->limits;
	rs.workdir = req->workdir;
	merge_limits(&rs.lim, &req->limits);

	stdin_fd = open(req->stdin_path ? req->stdin_path : "/dev/null", O_RDONLY | O_CLOEXEC);
	if (stdin_fd < 0) {
		sandbox_error(res, "cannot open the input file '%s': %s",
			      req->stdin_path ? req->stdin_path : "/dev/null", strerror(errno));
		goto out;
	}
	if (open_pipe(out_p) < 0 || open_pipe(err_p) < 0 || open_pipe(json_p) < 0 ||
	    open_pipe(res_p) < 0 || open_pipe(exec_p) < 0 ||
	    (sb->use_cgroups && open_channel(go_p, true) < 0)) {
		sandbox_error(res, "cannot create pipes: %s", strerror(errno));
		goto out;
	}
	if (build_command(sb, p, req, &rs.lim, json_p[1], res_p[1], go_p[0], sb->drop ? &st : NULL,
			  &a, &env, res) < 0)
		goto out;
	if (sb->drop) {
		/* what the run may write belongs to the sandbox's uid (the build directory, say, is
		 * reused from grading to grading and may hold files of an older grader's) */
		if (req->workdir && own_for_sandbox(req->workdir, &why) < 0) {
			sandbox_error(res, "%s", buf_str(&why));
			goto out;
		}
		for (int i = 0; i < req->nbinds; i++)
			if (req->binds[i].writable && own_for_sandbox(req->binds[i].host, &why) < 0) {
				sandbox_error(res, "%s", buf_str(&why));
				goto out;
			}
	}
	if (sb->use_cgroups) {
		peak_fd = cg_prepare(&sb->cg, &rs.lim, &why);
		if (peak_fd == -2) {
			sandbox_error(res, "%s", buf_str(&why));
			peak_fd = -1;
			goto out;
		}
		cg_snapshot(&sb->cg, &before);
	}

	if (req->pin_cpu) {
		CPU_ZERO(&cpus);
		CPU_SET(req->cpu, &cpus);
	}
	start = now_mono();
	rs.bwrap = fork();
	if (rs.bwrap < 0) {
		sandbox_error(res, "fork failed: %s", strerror(errno));
		goto out;
	}
	if (rs.bwrap == 0)
		child(sb, &rs.lim, req->pin_cpu ? &cpus : NULL, sb->drop ? &st : NULL, stdin_fd,
		      out_p[1], err_p[1], json_p[1], res_p[1], go_p[0], exec_p[1], a.v, env.v);
	close_fd(&out_p[1]);
	close_fd(&err_p[1]);
	close_fd(&json_p[1]);
	close_fd(&res_p[1]);
	close_fd(&exec_p[1]);
	close_fd(&go_p[0]);
	close_fd(&stdin_fd);
	{
		int child_errno = 0;
		ssize_t n;
		while ((n = read(exec_p[0], &child_errno, sizeof(child_errno))) < 0 && errno == EINTR)
			;
		if (n == sizeof(child_errno)) {
			while (waitpid(rs.bwrap, &wst, 0) < 0 && errno == EINTR)
				;
			sandbox_error(res, "cannot set up or start %s%s: %s", sb->bwrap,
				      sb->drop ? " as the sandbox's uid (staging its binds)" : "",
				      strerror(child_errno));
			goto out;
		}
	}
	deadline = start + rs.lim.wall;
	next_cpu_check = start + CPU_POLL_MS / 1000.0;
	for (;;) {
		struct pollfd pf[4];
		int *fds[4] = {&out_p[0], &err_p[0], &json_p[0], &res_p[0]};
		int nfd = 0, map[4], timeout;
		double now = now_mono(), wake;

		for (int i = 0; i < 4; i++)
			if (*fds[i] >= 0) {
				pf[nfd].fd = *fds[i];
				pf[nfd].events = POLLIN;
				map[nfd++] = i;
			}
		if (!nfd)
			break;
		if (!rs.stopped && now >= deadline)
			stop_run(sb, &rs, "wall");
		if (!rs.stopped && sb->use_cgroups && now >= next_cpu_check) {
			if (cg_cpu_usage(&sb->cg) - before.usage_us >= (uint64_t)(rs.lim.cpu * 1e6))
				stop_run(sb, &rs, "cpu");
			next_cpu_check = now + CPU_POLL_MS / 1000.0;
		}
		if (rs.stopped && now >= rs.stop_time + KILL_GRACE)
			kill(rs.bwrap, SIGKILL);
		if (rs.stopped && now >= rs.stop_time + KILL_GRACE + 5.0)
			break; /* something outside the sandbox holds a pipe: stop waiting for it */
		wake = rs.stopped ? rs.stop_time + KILL_GRACE : deadline;
		if (sb->use_cgroups && !rs.stopped && next_cpu_check < wake)
			wake = next_cpu_check;
		if (rs.stopped && now >= rs.stop_time + KILL_GRACE)
			wake = rs.stop_time + KILL_GRACE + 5.0;
		timeout = (int)ceil((wake - now) * 1000);
		if (timeout < 1)
			timeout = 1;
		if (poll(pf, (nfds_t)nfd, timeout) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int k = 0; k < nfd; k++) {
			char chunk[65536];
			int i = map[k];
			ssize_t n;

			if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(*fds[i], chunk, sizeof(chunk));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				close_fd(fds[i]);
				continue;
			}
			if (i < 2) {
				if (keep_output(res, i == 1, chunk, (size_t)n, rs.lim.output) && !rs.stopped)
					stop_run(sb, &rs, "output");
			} else if (i == 2) {
				if (rs.json.len < 65536)
					buf_append(&rs.json, chunk, (size_t)n);
				parse_json(&rs);
			} else {
				buf_append(&rs.res, chunk, (size_t)n);
				parse_res(&rs);
				if (rs.res.len > 65536)
					buf_reset(&rs.res); /* no line is that long: not the measurer */
			}
		}
		if (rs.ready && !rs.moved && rs.child_pid > 0 && go_p[1] >= 0 && !rs.stopped) {
			/* bwrap's set-up is over and the measurer waits: from here on, everything
			 * the run does is counted in the cgroups, and nothing of bwrap's */
			rs.moved = true;
			if (cg_enter(&sb->cg, (pid_t)rs.child_pid, &why) < 0) {
				stop_run(sb, &rs, "setup");
				rs.setup_error = true;
			} else if (send(go_p[1], "g", 1, MSG_NOSIGNAL) != 1) {
				stop_run(sb, &rs, "setup");
				buf_printf(&why, "cannot start the measurer: %s", strerror(errno));
				rs.setup_error = true;
			}
			close_fd(&go_p[1]);
		}
	}
	close_fd(&go_p[1]); /* a measurer still waiting for the go gives up */
	if (rs.stopped || !rs.exit_code_seen)
		kill(rs.bwrap, SIGKILL); /* bwrap is done or must be: never wait on it unbounded */
	while (waitpid(rs.bwrap, &wst, 0) < 0 && errno == EINTR)
		;
	res->wall = now_mono() - start;

	/* Peak memory, the same in both methods (see grader-pid1.c): the highest sampled tree
	 * figure, or the largest single process's ru_maxrss when higher (exact for one process, and
	 * it catches a peak between samples); a maxrss at or below the measurer's own says nothing.
	 * When the measurer was killed before its final line, its last sample's figure. */
	res->peak_memory = rs.tree_kb * 1024;
	if (rs.maxrss_kb > rs.self_kb && rs.maxrss_kb > rs.tree_kb)
		res->peak_memory = rs.maxrss_kb * 1024;
	res->tasks_peak = (int)rs.tasks;
	if (sb->use_cgroups) {
		uint64_t usage_us, user_us, sys_us;

		cg_kill_all(&sb->cg);
		cg_snapshot(&sb->cg, &after);
		/* The cgroup's own figure counts every process of the tree, including those the
		 * kernel reaped because their parent ignored SIGCHLD, whose rusage reaches no
		 * parent; bwrap's set-up is not in it (the measurer entered the cgroups after it).
		 * The measurer's own sampling is in it, and is taken out. */
		usage_us = sub_floor(after.usage_us - before.usage_us, rs.self_user_us + rs.self_sys_us);
		user_us = sub_floor(after.user_us - before.user_us, rs.self_user_us);
		sys_us = sub_floor(after.sys_us - before.sys_us, rs.self_sys_us);
		res->cpu = (double)usage_us / 1e6;
		res->user = (double)user_us / 1e6;
		res->sys = (double)sys_us / 1e6;
		res->cgroup_peak = cg_peak(&sb->cg, peak_fd);
		res->oom_killed = after.oom_kills > before.oom_kills;
	} else {
		res->user = (double)rs.user_us / 1e6;
		res->sys = (double)rs.sys_us / 1e6;
		res->cpu = res->user + res->sys;
		if (!rs.final_seen && rs.live_cpu_us)
			res->cpu = (double)rs.live_cpu_us / 1e6; /* the measurer was killed: last sample */
	}
	if (sb->drop) {
		if (req->workdir)
			strip_setid(req->workdir);
		for (int i = 0; i < req->nbinds; i++)
			if (req->binds[i].writable)
				strip_setid(req->binds[i].host);
	}
	if (rs.setup_error) {
		sandbox_error(res, "%s", buf_str(&why));
		goto out;
	}
	if (!rs.exit_code_seen && !rs.stopped) {
		struct text_safe t;
		text_safe_tail_lines(res->err.data ? res->err.data : "", res->err.len, 10, 2000, &t);
		sandbox_error(res, "bubblewrap could not set up the sandbox (profile %s): %s", p->name,
			      t.data && *t.data ? t.data : "no message");
		text_safe_free(&t);
		goto out;
	}
	if (!rs.final_seen && !rs.stopped) {
		sandbox_error(res, "the sandbox's measuring process ended without a report "
				   "(bwrap exit status %d)", WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
		goto out;
	}
	decide(sb, &rs, res);
out:
	close_fd(&stdin_fd);
	for (int i = 0; i < 2; i++) {
		close_fd(&out_p[i]);
		close_fd(&err_p[i]);
		close_fd(&json_p[i]);
		close_fd(&res_p[i]);
		close_fd(&exec_p[i]);
		close_fd(&go_p[i]);
	}
	stage_free(&st);
	close_fd(&peak_fd);
	close_fd(&rs.pidfd);
	buf_free(&rs.json);
	buf_free(&rs.res);
	buf_free(&why);
	strv_free(&a);
	strv_free(&env);
	return ret;
}
