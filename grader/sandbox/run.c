/* run.c: one run of a program in the sandbox: bwrap's command line, the forked child, and the
 * loop that waits for the run, enforces its limits, reads the measurer's lines and decides the
 * verdict (sandbox_run). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs.h"
#include "num.h"
#include "sandbox/internal.h"
#include "sandbox/pid1_proto.h"
#include "sandbox/pid1_read.h"
#include "text.h"
#include "banned.h"

/* The sampling period of the PID-1 measurer (peak memory, tasks; the fallback's CPU time and
 * limits too). */
#define SAMPLE_MS 10
#define CPU_POLL_MS 20 /* how often cgroup CPU time is checked against the limit */
#define KILL_GRACE 1.0 /* seconds the measurer gets to report after a requested stop */

/* a - b, or 0 when b is larger. */
static uint64_t sub_floor(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* Adds a read-only bind of a host path at the same place; a symbolic link is recreated as one.
 * Returns 1 when the path is missing. */
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
		strv_push(a, "--symlink");
		strv_push(a, target);
		strv_push(a, path);
		return 0;
	}
	strv_push(a, "--ro-bind");
	strv_push(a, path);
	strv_push(a, path);
	return 0;
}

static bool safe_inside(const char *p)
{
	return p && p[0] == '/' && strcmp(p, "/") && !strstr(p, "/..") && !strchr(p, '\n') &&
	       strcmp(p, PID1_INSIDE) && strncmp(p, "/proc", 5) && strcmp(p, "/dev");
}

/* One run: what the child needs (made before the fork), the channels, and what the grader learns
 * from bwrap and the measurer while it waits. */
struct run_state {
	struct sandbox_limits lim;
	const char *workdir;
	struct strv argv, env; /* bwrap's command line and the program's environment */
	struct stage st;       /* the bind sources to stage when the sandbox drops root */
	int stdin_fd;
	int out_p[2], err_p[2]; /* the program's stdout and stderr */
	int json_p[2];          /* bwrap's --json-status-fd */
	int res_p[2];           /* the measurer's lines (pid1_proto.h) */
	int exec_p[2];          /* the child's errno when it could not start bwrap */
	int go_p[2];            /* with cgroups: the measurer's go, once it is moved into them */
	int peak_fd;            /* memory.peak (cgroup v2), or -1 */
	struct cg_snap before;  /* the cgroups' counters before the run */
	double start, deadline, next_cpu_check;
	pid_t bwrap;
	int wst;   /* bwrap's wait status */
	int pidfd; /* of the measurer, from bwrap's child-pid; -1 until known */
	long child_pid;
	bool exit_code_seen;
	struct buf json, res; /* bwrap's status and the measurer's lines (partial last line kept) */
	struct pid1_report m; /* the measurer's latest figures (pid1_read.h) */
	bool moved; /* the measurer waits for the go (m.ready); the grader moved it into the cgroups */
	bool setup_error; /* the move failed: `why` says why */
	struct buf why;   /* the reason of a failure of the grader's own during the run */
	/* why the grader stopped the run */
	const char *stopped; /* NULL, "wall", "cpu", "output", "setup" */
	double stop_time;
};

static void parse_json(struct run_state *rs)
{
	const char *p = strstr(rs->json.data, "\"child-pid\"");

	if (p && !rs->child_pid) {
		p = strchr(p, ':');
		if (p)
			rs->child_pid = strtol(p + 1, NULL, 10);
		if (rs->child_pid > 0)
			rs->pidfd = (int)syscall(SYS_pidfd_open, (pid_t)rs->child_pid, 0);
	}
	if (strstr(rs->json.data, "\"exit-code\""))
		rs->exit_code_seen = true;
}

/* Stops a run: with cgroups, kills the whole group and bwrap at once; without, asks the measurer
 * to kill the tree and report (and kills bwrap when it does not within KILL_GRACE). */
static void stop_run(struct sandbox *sb, struct run_state *rs, const char *why)
{
	if (!rs->stopped) {
		rs->stopped = why;
		rs->stop_time = clock_now();
	}
	if (sb->use_cgroups) {
		cg_kill(&sb->cg);
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
		/* -1 in both, so that the caller's clean-up closes neither a second time (the number
		 * may already belong to another file) */
		if (fds[0] >= 0)
			close(fds[0]);
		if (fds[1] >= 0)
			close(fds[1]);
		fds[0] = fds[1] = -1;
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
static void add_bind(struct strv *a, struct stage *st, const char *host, const char *inside, bool writable)
{
	const char *src = st ? stage_add(st, host, !writable) : host;

	strv_push(a, writable ? "--bind" : "--ro-bind");
	strv_push(a, src);
	strv_push(a, inside);
}

/* Checks that the tools the profile needs were found at open. */
static int check_tools(const struct sandbox *sb, const struct profile *p, struct sandbox_result *res)
{
	if (p->python && !sb->py_prefix) {
		sandbox_error(res, "profile %s needs Python, which was not found: %s", p->name,
			      sb->py_why.data);
		return -1;
	}
	if (p->rust && !sb->rust_sysroot) {
		sandbox_error(res, "profile %s needs a Rust toolchain, which was not found: %s", p->name,
			      sb->rust_why.data);
		return -1;
	}
	return 0;
}

/* bwrap itself, then its namespaces, session, capabilities and host name. */
static void push_isolation(const struct sandbox *sb, struct strv *a)
{
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
}

/* The profile's file system: its read-only binds, its tools, /proc and /dev. Returns -1 (the
 * error in `res`) when a path it requires is missing. */
static int push_profile_fs(const struct sandbox *sb, const struct profile *p, struct stage *st,
			   struct strv *a, struct sandbox_result *res)
{
	for (size_t i = 0; i < p->nro; i++) {
		int r = add_ro(a, p->ro[i]);
		if (r > 0) {
			sandbox_error(res, "profile %s: the path '%s' it binds does not exist on this host",
				      p->name, p->ro[i]);
			return -1;
		}
	}
	for (size_t i = 0; i < p->nro_try; i++)
		add_ro(a, p->ro_try[i]);
	/* The tools are realpaths (no symbolic links), possibly under /root. */
	if (p->python) {
		add_bind(a, st, sb->py_prefix, sb->py_prefix, false);
		if (sb->py_prefix2)
			add_bind(a, st, sb->py_prefix2, sb->py_prefix2, false);
		if (strncmp(sb->py_bindir, sb->py_prefix, strlen(sb->py_prefix)))
			add_bind(a, st, sb->py_bindir, sb->py_bindir, false);
	}
	if (p->rust)
		add_bind(a, st, sb->rust_sysroot, sb->rust_sysroot, false);
	if (p->proc) {
		strv_push(a, "--proc");
		strv_push(a, "/proc");
	}
	if (p->dev) {
		strv_push(a, "--dev");
		strv_push(a, "/dev");
	}
	return 0;
}

/* The run's private /tmp. It comes before every bind: bwrap mounts in the order given, so a tool
 * whose prefix lies under the host's /tmp (a virtual environment or a toolchain there) is bound
 * on top of it rather than hidden by it. */
static void push_tmp(const struct sandbox_limits *l, struct strv *a)
{
	strv_push(a, "--size");
	strv_pushf(a, "%llu", (unsigned long long)l->tmp_size);
	strv_push(a, "--perms");
	strv_push(a, "1777");
	strv_push(a, "--tmpfs");
	strv_push(a, "/tmp");
}

/* The run's own binds: the work directory, the request's binds and the measurer. */
static void push_run_fs(const struct sandbox *sb, const struct sandbox_request *req, struct stage *st,
			struct strv *a)
{
	if (req->workdir) {
		add_bind(a, st, req->workdir, "/work", true);
		strv_push(a, "--chdir");
		strv_push(a, "/work");
	} else {
		strv_push(a, "--chdir");
		strv_push(a, "/");
	}
	for (int i = 0; i < req->nbinds; i++)
		add_bind(a, st, req->binds[i].host, req->binds[i].inside, req->binds[i].writable);
	add_bind(a, st, sb->pid1, PID1_INSIDE, false);
}

/* bwrap's status descriptor, then the measurer's command line (pid1_proto.h) with the program's
 * after its "--". */
static void push_measurer(const struct sandbox *sb, const struct sandbox_request *req,
			  const struct run_state *rs, struct strv *a)
{
	const struct sandbox_limits *l = &rs->lim;

	strv_push(a, "--json-status-fd");
	strv_pushf(a, "%d", rs->json_p[1]);
	strv_push(a, PID1_INSIDE);
	strv_pushf(a, "%d", rs->res_p[1]);
	strv_pushf(a, "%d", rs->go_p[0]);
	strv_pushf(a, "%d", SAMPLE_MS); /* peak memory is sampled in both methods */
	strv_pushf(a, "%llu", sb->use_cgroups ? 0ULL : (unsigned long long)ceil(l->cpu * 1000));
	strv_pushf(a, "%llu", sb->use_cgroups ? 0ULL : (unsigned long long)l->memory);
	strv_pushf(a, "%d", sb->use_cgroups ? 0 : l->pids);
	strv_push(a, "--");
	for (size_t i = 0; req->argv[i]; i++)
		strv_push(a, req->argv[i]);
}

/* The environment of bwrap itself is the program's: nothing of the grader's leaks in, not even
 * through /proc/1/environ. */
static void build_env(const struct sandbox *sb, const struct profile *p,
		      const struct sandbox_request *req, struct strv *env)
{
	struct buf path = BUF_INIT;

	buf_puts(&path, "PATH=");
	if (p->python)
		buf_printf(&path, "%s:", sb->py_bindir);
	if (p->rust)
		buf_printf(&path, "%s/bin:", sb->rust_sysroot);
	buf_puts(&path, "/usr/local/bin:/usr/bin:/bin");
	strv_push(env, path.data);
	strv_push(env, req->workdir ? "HOME=/work" : "HOME=/tmp");
	strv_push(env, "TMPDIR=/tmp");
	strv_push(env, "LANG=C.UTF-8");
	for (size_t i = 0; i < p->env.n; i++)
		strv_setenv(env, p->env.v[i]);
	for (size_t i = 0; req->env && req->env[i]; i++)
		strv_setenv(env, req->env[i]);
	buf_free(&path);
}

/* Builds bwrap's argument vector and the program's environment into rs->argv and rs->env. When
 * the sandbox drops root, rs->st collects the sources to stage. With cgroups, the measurer waits
 * on rs->go_p[0] before it starts the program (the grader moves it into them first). */
static int build_command(struct sandbox *sb, const struct profile *p, const struct sandbox_request *req,
			 struct run_state *rs, struct sandbox_result *res)
{
	struct stage *st = sb->drop ? &rs->st : NULL;
	struct strv *a = &rs->argv;

	if (check_tools(sb, p, res) < 0)
		return -1;
	push_isolation(sb, a);
	push_tmp(&rs->lim, a);
	if (push_profile_fs(sb, p, st, a, res) < 0)
		return -1;
	push_run_fs(sb, req, st, a);
	push_measurer(sb, req, rs, a);
	build_env(sb, p, req, &rs->env);
	return 0;
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
		if (req->cpu < 0 || req->cpu >= CPU_SETSIZE ||
		    sched_getaffinity(0, sizeof(mine), &mine) < 0 || !CPU_ISSET(req->cpu, &mine)) {
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
static bool keep_output(struct sandbox_result *res, bool is_err, const char *data, size_t n, uint64_t budget)
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
			   : !res->limit                        ? 0
			   : !strcmp(res->limit, "cpu")         ? l->cpu
			   : !strcmp(res->limit, "wall")        ? l->wall
			   : !strcmp(res->limit, "output")      ? (double)l->output
			   : !strcmp(res->limit, "file")        ? (double)l->file_size
			   : !strcmp(res->limit, "pids")        ? l->pids
								: 0;

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
			text_safe_tail_lines(res->err.data, res->err.len, 5, 800, &t);
			buf_printf(&res->message, "; stderr ends with:\n%s", t.data);
			text_safe_free(&t);
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
	int st = rs->m.status;
	/* the figure the memory limit is enforced on: the cgroup's, or the measurer's samples' */
	uint64_t enforced_peak = sb->use_cgroups ? res->cgroup_peak : res->peak_memory;

	if (rs->m.main_done) {
		if (WIFEXITED(st)) {
			res->exit_code = WEXITSTATUS(st);
		} else if (WIFSIGNALED(st)) {
			res->signal = WTERMSIG(st);
		}
	}
	if (rs->stopped && !strcmp(rs->stopped, "output")) {
		res->verdict = SANDBOX_OUTPUT_LIMIT;
		res->limit = "output";
	} else if ((rs->stopped && !strcmp(rs->stopped, "cpu")) || !strcmp(rs->m.killed, PID1_KILLED_CPU) ||
		   res->cpu >= l->cpu || res->signal == SIGXCPU) {
		res->verdict = SANDBOX_TIME_LIMIT;
		res->limit = "cpu";
	} else if (rs->stopped && !strcmp(rs->stopped, "wall")) {
		res->verdict = SANDBOX_TIME_LIMIT;
		res->limit = "wall";
	} else if (res->oom_killed || !strcmp(rs->m.killed, PID1_KILLED_MEMORY) ||
		   (res->signal == SIGKILL && enforced_peak + ((uint64_t)1 << 20) >= l->memory)) {
		res->verdict = SANDBOX_MEMORY_LIMIT;
	} else if (res->signal == SIGXFSZ ||
		   ((res->exit_code > 0 || res->signal) && file_at_limit(rs->workdir, l->file_size))) {
		res->verdict = SANDBOX_OUTPUT_LIMIT;
		res->limit = "file";
	} else if (!strcmp(rs->m.killed, PID1_KILLED_PIDS)) {
		res->verdict = SANDBOX_RUNTIME_ERROR;
		res->limit = "pids";
	} else if (!rs->m.main_done) {
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

/* What the forked child needs, all of it made before the fork (as git's struct child_process). */
struct child_setup {
	const struct sandbox_limits *lim;
	const cpu_set_t *cpus;        /* the CPU the run is pinned to, or NULL */
	struct stage *st;             /* as root, the bind sources to stage; else NULL */
	int stdin_fd, out_fd, err_fd; /* become the program's 0, 1 and 2 */
	int json_fd, res_fd;          /* bwrap's status and the measurer's lines: left open at exec */
	int go_fd;                    /* the measurer's go (left open too), or -1 */
	int exec_fd;                  /* gets errno when the child fails before bwrap runs */
	char **argv, **envp;          /* bwrap's */
};

/* The forked child: joins the worker's network namespace, sets the per-process limits, as root
 * stages the binds and takes the sandbox's uid, and runs bwrap. It does not join the cgroups:
 * the grader moves the measurer into them once bwrap's set-up is over. Only async-signal-safe
 * calls: the grader may have other threads. */
__attribute__((noreturn)) static void child(const struct sandbox *sb, const struct child_setup *cs)
{
	const struct sandbox_limits *l = cs->lim;
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
	if (cs->cpus && sched_setaffinity(0, sizeof(*cs->cpus), cs->cpus) < 0)
		goto fail;
	if (sb->netns_fd >= 0 && setns(sb->netns_fd, CLONE_NEWNET) < 0)
		goto fail;
	setrlimit(RLIMIT_FSIZE, &fsize);
	setrlimit(RLIMIT_CORE, &core);
	setrlimit(RLIMIT_CPU, &cpu);
	if (sb->drop) {
		if (drop_to_sandbox_user(cs->st) < 0)
			goto fail;
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a change of uid cleared it */
	}
	if (dup2(cs->stdin_fd, 0) < 0 || dup2(cs->out_fd, 1) < 0 || dup2(cs->err_fd, 2) < 0)
		goto fail;
	/* Everything else is closed at exec, except the two status pipes for bwrap and the measurer. */
	if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0)
		for (int fd = 3; fd < 1024; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(cs->json_fd, F_SETFD, 0);
	fcntl(cs->res_fd, F_SETFD, 0);
	if (cs->go_fd >= 0)
		fcntl(cs->go_fd, F_SETFD, 0);
	fcntl(cs->exec_fd, F_SETFD, FD_CLOEXEC);
	execve(cs->argv[0], cs->argv, cs->envp);
fail:
	e = errno;
	if (write(cs->exec_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static void run_init(struct run_state *rs, const struct sandbox *sb, const struct profile *p,
		     const struct sandbox_request *req)
{
	int *fds[] = {rs->out_p, rs->err_p, rs->json_p, rs->res_p, rs->exec_p, rs->go_p};

	memset(rs, 0, sizeof(*rs));
	buf_init(&rs->json);
	buf_init(&rs->res);
	buf_init(&rs->why);
	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++)
		fds[i][0] = fds[i][1] = -1;
	rs->stdin_fd = -1;
	rs->peak_fd = -1;
	rs->pidfd = -1;
	rs->st.idmap_fd = sb->idmap_fd;
	rs->lim = p->limits;
	rs->workdir = req->workdir;
	merge_limits(&rs->lim, &req->limits);
}

static void run_free(struct run_state *rs)
{
	close_fd(&rs->stdin_fd);
	for (int i = 0; i < 2; i++) {
		close_fd(&rs->out_p[i]);
		close_fd(&rs->err_p[i]);
		close_fd(&rs->json_p[i]);
		close_fd(&rs->res_p[i]);
		close_fd(&rs->exec_p[i]);
		close_fd(&rs->go_p[i]);
	}
	stage_free(&rs->st);
	close_fd(&rs->peak_fd);
	close_fd(&rs->pidfd);
	buf_free(&rs->json);
	buf_free(&rs->res);
	buf_free(&rs->why);
	strv_free(&rs->argv);
	strv_free(&rs->env);
}

/* As root, before a run: what the run may write belongs to the sandbox's uid (the build
 * directory, say, is reused from grading to grading and may hold files of an older grader's). */
static int own_writable(const struct sandbox_request *req, struct buf *why)
{
	if (req->workdir && own_for_sandbox(req->workdir, why) < 0)
		return -1;
	for (int i = 0; i < req->nbinds; i++)
		if (req->binds[i].writable && own_for_sandbox(req->binds[i].host, why) < 0)
			return -1;
	return 0;
}

/* As root, after a run: no set-user-ID or set-group-ID file where it could write. */
static void strip_writable(const struct sandbox_request *req)
{
	if (req->workdir)
		strip_setid(req->workdir);
	for (int i = 0; i < req->nbinds; i++)
		if (req->binds[i].writable)
			strip_setid(req->binds[i].host);
}

/* Opens the program's input and the channels, builds the command, and readies what the run may
 * write and the cgroups. Returns -1 with the error in `res`. */
static int run_prepare(struct sandbox *sb, const struct profile *p, const struct sandbox_request *req,
		       struct run_state *rs, struct sandbox_result *res)
{
	rs->stdin_fd = open(req->stdin_path ? req->stdin_path : "/dev/null", O_RDONLY | O_CLOEXEC);
	if (rs->stdin_fd < 0) {
		sandbox_error(res, "cannot open the input file '%s': %s",
			      req->stdin_path ? req->stdin_path : "/dev/null", strerror(errno));
		return -1;
	}
	if (open_pipe(rs->out_p) < 0 || open_pipe(rs->err_p) < 0 || open_pipe(rs->json_p) < 0 ||
	    open_pipe(rs->res_p) < 0 || open_pipe(rs->exec_p) < 0 ||
	    (sb->use_cgroups && open_channel(rs->go_p, true) < 0)) {
		sandbox_error(res, "cannot create pipes: %s", strerror(errno));
		return -1;
	}
	if (build_command(sb, p, req, rs, res) < 0)
		return -1;
	if (sb->drop && own_writable(req, &rs->why) < 0) {
		sandbox_error(res, "%s", rs->why.data);
		return -1;
	}
	if (sb->use_cgroups) {
		rs->peak_fd = cg_prepare(&sb->cg, &rs->lim, &rs->why);
		if (rs->peak_fd == -2) {
			sandbox_error(res, "%s", rs->why.data);
			rs->peak_fd = -1;
			return -1;
		}
		cg_snapshot(&sb->cg, &rs->before);
	}
	return 0;
}

/* Forks the child, which starts bwrap, and waits until bwrap is exec'd. Returns -1 with the error
 * in `res`. */
static int run_start(struct sandbox *sb, const struct sandbox_request *req, struct run_state *rs,
		     struct sandbox_result *res)
{
	cpu_set_t cpus;
	struct child_setup cs = {
		.lim = &rs->lim,
		/* cpus is filled below, before the fork. */
		/* cppcheck-suppress uninitvar */
		.cpus = req->pin_cpu ? &cpus : NULL,
		.st = sb->drop ? &rs->st : NULL,
		.stdin_fd = rs->stdin_fd,
		.out_fd = rs->out_p[1],
		.err_fd = rs->err_p[1],
		.json_fd = rs->json_p[1],
		.res_fd = rs->res_p[1],
		.go_fd = rs->go_p[0],
		.exec_fd = rs->exec_p[1],
		.argv = rs->argv.v,
		.envp = rs->env.v,
	};
	int child_errno = 0;
	ssize_t n;

	if (req->pin_cpu) {
		CPU_ZERO(&cpus);
		CPU_SET(req->cpu, &cpus);
	}
	rs->start = clock_now();
	rs->bwrap = fork();
	if (rs->bwrap < 0) {
		sandbox_error(res, "fork failed: %s", strerror(errno));
		return -1;
	}
	if (rs->bwrap == 0)
		child(sb, &cs);
	close_fd(&rs->out_p[1]);
	close_fd(&rs->err_p[1]);
	close_fd(&rs->json_p[1]);
	close_fd(&rs->res_p[1]);
	close_fd(&rs->exec_p[1]);
	close_fd(&rs->go_p[0]);
	close_fd(&rs->stdin_fd);
	while ((n = read(rs->exec_p[0], &child_errno, sizeof(child_errno))) < 0 && errno == EINTR)
		;
	if (n == sizeof(child_errno)) {
		while (waitpid(rs->bwrap, &rs->wst, 0) < 0 && errno == EINTR)
			;
		sandbox_error(res, "cannot set up or start %s%s: %s", sb->bwrap,
			      sb->drop ? " as the sandbox's uid (staging its binds)" : "",
			      strerror(child_errno));
		return -1;
	}
	rs->deadline = rs->start + rs->lim.wall;
	rs->next_cpu_check = rs->start + CPU_POLL_MS / 1000.0;
	return 0;
}

/* Enforces the wall and CPU limits and the grace after a stop. Returns how long poll may wait
 * (ms), or -1 when the waiting must end. */
static int run_timers(struct sandbox *sb, struct run_state *rs, double now)
{
	double wake;
	int timeout;

	if (!rs->stopped && now >= rs->deadline)
		stop_run(sb, rs, "wall");
	if (!rs->stopped && sb->use_cgroups && now >= rs->next_cpu_check) {
		if (cg_cpu_usage(&sb->cg) - rs->before.usage_us >= (uint64_t)(rs->lim.cpu * 1e6))
			stop_run(sb, rs, "cpu");
		rs->next_cpu_check = now + CPU_POLL_MS / 1000.0;
	}
	if (rs->stopped && now >= rs->stop_time + KILL_GRACE)
		kill(rs->bwrap, SIGKILL);
	if (rs->stopped && now >= rs->stop_time + KILL_GRACE + 5.0)
		return -1; /* something outside the sandbox holds a pipe: stop waiting for it */
	wake = rs->stopped ? rs->stop_time + KILL_GRACE : rs->deadline;
	if (sb->use_cgroups && !rs->stopped && rs->next_cpu_check < wake)
		wake = rs->next_cpu_check;
	if (rs->stopped && now >= rs->stop_time + KILL_GRACE)
		wake = rs->stop_time + KILL_GRACE + 5.0;
	timeout = (int)ceil((wake - now) * 1000);
	return timeout < 1 ? 1 : timeout;
}

/* Takes what channel `i` gave: the program's stdout (0) or stderr (1), bwrap's status (2) or the
 * measurer's lines (3). */
static void take_input(struct sandbox *sb, struct run_state *rs, struct sandbox_result *res, int i,
		       const char *chunk, size_t n)
{
	if (i < 2) {
		if (keep_output(res, i == 1, chunk, n, rs->lim.output) && !rs->stopped)
			stop_run(sb, rs, "output");
	} else if (i == 2) {
		if (rs->json.len < 65536)
			buf_append(&rs->json, chunk, n);
		parse_json(rs);
	} else {
		pid1_read(&rs->res, chunk, n, &rs->m);
	}
}

/* Once bwrap's set-up is over and the measurer waits: moves it into the cgroups and gives it the
 * go. From then on, everything the run does is counted in the cgroups, and nothing of bwrap's. */
static void send_go(struct sandbox *sb, struct run_state *rs)
{
	if (!rs->m.ready || rs->moved || rs->child_pid <= 0 || rs->go_p[1] < 0 || rs->stopped)
		return;
	rs->moved = true;
	if (cg_enter(&sb->cg, (pid_t)rs->child_pid, &rs->why) < 0) {
		stop_run(sb, rs, "setup");
		rs->setup_error = true;
	} else if (send(rs->go_p[1], PID1_GO, 1, MSG_NOSIGNAL) != 1) {
		stop_run(sb, rs, "setup");
		buf_printf(&rs->why, "cannot start the measurer: %s", strerror(errno));
		rs->setup_error = true;
	}
	close_fd(&rs->go_p[1]);
}

/* Reads the program's output and the status channels until they are all closed (or the grace
 * after a stop is over), enforcing the limits; then reaps bwrap. */
static void run_wait(struct sandbox *sb, struct run_state *rs, struct sandbox_result *res)
{
	for (;;) {
		struct pollfd pf[4];
		int *fds[4] = {&rs->out_p[0], &rs->err_p[0], &rs->json_p[0], &rs->res_p[0]};
		int nfd = 0, map[4], timeout;

		for (int i = 0; i < 4; i++)
			if (*fds[i] >= 0) {
				pf[nfd].fd = *fds[i];
				pf[nfd].events = POLLIN;
				map[nfd++] = i;
			}
		if (!nfd)
			break;
		timeout = run_timers(sb, rs, clock_now());
		if (timeout < 0)
			break;
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
			take_input(sb, rs, res, i, chunk, (size_t)n);
		}
		send_go(sb, rs);
	}
	close_fd(&rs->go_p[1]); /* a measurer still waiting for the go gives up */
	if (rs->stopped || !rs->exit_code_seen)
		kill(rs->bwrap, SIGKILL); /* bwrap is done or must be: never wait on it unbounded */
	while (waitpid(rs->bwrap, &rs->wst, 0) < 0 && errno == EINTR)
		;
	res->wall = clock_now() - rs->start;
}

/* The run's figures: peak memory from the measurer; CPU time from the cgroups, or from the
 * measurer without them. */
static void run_measure(struct sandbox *sb, struct run_state *rs, struct sandbox_result *res)
{
	/* Peak memory, the same in both methods (see grader-pid1.c): the highest sampled tree
	 * figure, or the largest single process's ru_maxrss when higher (exact for one process, and
	 * it catches a peak between samples); a maxrss at or below the measurer's own says nothing.
	 * When the measurer was killed before its final line, its last sample's figure. */
	res->peak_memory = rs->m.tree_kb * 1024;
	if (rs->m.maxrss_kb > rs->m.self_kb && rs->m.maxrss_kb > rs->m.tree_kb)
		res->peak_memory = rs->m.maxrss_kb * 1024;
	res->tasks_peak = (int)rs->m.tasks;
	if (sb->use_cgroups) {
		const struct cg_snap *before = &rs->before;
		struct cg_snap after;
		uint64_t usage_us, user_us, sys_us;

		cg_kill_all(&sb->cg);
		cg_snapshot(&sb->cg, &after);
		/* The cgroup's own figure counts every process of the tree, including those the
		 * kernel reaped because their parent ignored SIGCHLD, whose rusage reaches no
		 * parent; bwrap's set-up is not in it (the measurer entered the cgroups after it).
		 * The measurer's own sampling is in it, and is taken out. */
		usage_us = sub_floor(after.usage_us - before->usage_us, rs->m.self_user_us + rs->m.self_sys_us);
		user_us = sub_floor(after.user_us - before->user_us, rs->m.self_user_us);
		sys_us = sub_floor(after.sys_us - before->sys_us, rs->m.self_sys_us);
		res->cpu = (double)usage_us / 1e6;
		res->user = (double)user_us / 1e6;
		res->sys = (double)sys_us / 1e6;
		res->cgroup_peak = cg_peak(&sb->cg, rs->peak_fd);
		res->oom_killed = after.oom_kills > before->oom_kills;
	} else {
		res->user = (double)rs->m.user_us / 1e6;
		res->sys = (double)rs->m.sys_us / 1e6;
		res->cpu = res->user + res->sys;
		if (!rs->m.final_seen && rs->m.live_cpu_us)
			res->cpu = (double)rs->m.live_cpu_us / 1e6; /* the measurer was killed: last sample */
	}
}

/* The end of a run that happened: a failure of the sandbox's own, or the program's verdict. */
static void run_judge(struct sandbox *sb, const struct profile *p, struct run_state *rs,
		      struct sandbox_result *res)
{
	if (rs->setup_error) {
		sandbox_error(res, "%s", rs->why.data);
		return;
	}
	if (!rs->exit_code_seen && !rs->stopped) {
		struct text_safe t;
		text_safe_tail_lines(res->err.data, res->err.len, 10, 2000, &t);
		sandbox_error(res, "bubblewrap could not set up the sandbox (profile %s): %s", p->name,
			      t.len ? t.data : "no message");
		text_safe_free(&t);
		return;
	}
	if (!rs->m.final_seen && !rs->stopped) {
		sandbox_error(res,
			      "the sandbox's measuring process ended without a report "
			      "(bwrap exit status %d)",
			      WIFEXITED(rs->wst) ? WEXITSTATUS(rs->wst) : -1);
		return;
	}
	decide(sb, rs, res);
}

int sandbox_run(struct sandbox *sb, const struct sandbox_request *req, struct sandbox_result *res)
{
	const struct profile *p;
	struct run_state rs;

	memset(res, 0, sizeof(*res));
	buf_init(&res->out);
	buf_init(&res->err);
	buf_init(&res->message);
	res->exit_code = -1;
	res->method = sb && sb->use_cgroups ? sandbox_method(sb, NULL) : "rusage-pid1";
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
	run_init(&rs, sb, p, req);
	if (run_prepare(sb, p, req, &rs, res) == 0 && run_start(sb, req, &rs, res) == 0) {
		run_wait(sb, &rs, res);
		run_measure(sb, &rs, res);
		if (sb->drop)
			strip_writable(req);
		run_judge(sb, p, &rs, res);
	}
	run_free(&rs);
	return 0;
}
