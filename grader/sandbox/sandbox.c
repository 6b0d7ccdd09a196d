/* sandbox.c: runs untrusted programs under bubblewrap with limits; measures them with per-worker
 * cgroups, or with the PID-1 measurer (grader-pid1) where cgroups cannot be created. This file
 * opens and closes a sandbox (the public API but sandbox_run, which is in run.c); see internal.h
 * for the other files of grader/sandbox/. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs.h"
#include "sandbox/internal.h"
#include "sandbox/pid1_proto.h"
#include "xalloc.h"
#include "banned.h"

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
		if (fs_is_file(p.data)) {
			char *real = fs_realpath(p.data);
			free(self);
			buf_free(&p);
			return real;
		}
	}
	free(self);
	buf_free(&p);
	return NULL;
}

/* Whether AppArmor forbids unprivileged user namespaces here (Ubuntu 24.04 and later): then bwrap
 * fails with "setting up uid map: Permission denied" or "No permissions to create a new
 * namespace", and the generic advice would leave the user guessing which of the causes it is.
 * *path gets the file read: the sysctl's, or $GRADER_APPARMOR_USERNS_FILE (for tests only: no
 * test can set the real sysctl). */
static bool apparmor_restricts_userns(const char **path)
{
	const char *env = getenv("GRADER_APPARMOR_USERNS_FILE");
	struct buf val = BUF_INIT;
	bool on;

	*path = env && *env ? env : "/proc/sys/kernel/apparmor_restrict_unprivileged_userns";
	on = fs_read_file(*path, 64, &val) == 0 && (!strcmp(val.data, "1\n") || !strcmp(val.data, "1"));
	buf_free(&val);
	return on;
}

/* Runs `grader-pid1 --probe` in a minimal sandbox: proves that bwrap can create namespaces. */
static int probe(const struct sandbox *sb, struct buf *err)
{
	struct stage st = {.idmap_fd = sb->idmap_fd};
	const char *src = sb->drop ? stage_add(&st, sb->pid1, true) : sb->pid1;
	const char *argv[] = {
		sb->bwrap, "--unshare-all", "--unshare-user", "--die-with-parent", "--ro-bind",
		src,       PID1_INSIDE,     PID1_INSIDE,      PID1_PROBE,          NULL};
	int fds[2], status = -1;
	pid_t pid;
	struct buf out = BUF_INIT;
	char chunk[1024];
	const char *aa_file;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC) < 0) {
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
	if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && !strcmp(out.data, PID1_PROBE_OK)) {
		buf_free(&out);
		return 0;
	}
	while (out.len && (out.data[out.len - 1] == '\n' || out.data[out.len - 1] == ' '))
		buf_setlen(&out, out.len - 1);
	if (apparmor_restricts_userns(&aa_file)) {
		buf_printf(err,
			   "bubblewrap cannot create a sandbox here (%s): %s\n"
			   "  AppArmor forbids unprivileged user namespaces on this host (%s reads 1, "
			   "as on Ubuntu 24.04 and later). Either allow them:\n"
			   "    sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0\n"
			   "  or give %s an AppArmor profile that grants `userns,` (docs/ci.md has one: "
			   "/etc/apparmor.d/bwrap, then sudo apparmor_parser -r /etc/apparmor.d/bwrap).\n",
			   sb->bwrap, out.len ? out.data : "no output", aa_file, sb->bwrap);
		buf_free(&out);
		return -1;
	}
	buf_printf(err,
		   "bubblewrap cannot create a sandbox here (%s): %s\n"
		   "  The grader needs unprivileged user namespaces: check that "
		   "/proc/sys/user/max_user_namespaces is above 0, that kernel.unprivileged_userns_clone "
		   "is 1 where it exists, and on Ubuntu 24.04 and later that AppArmor allows bwrap "
		   "(kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile for "
		   "/usr/bin/bwrap). See docs/sandbox.md.\n",
		   sb->bwrap, out.len ? out.data : "no output");
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
	struct sandbox *sb = xcalloc(1, sizeof(*sb));
	const char *method = getenv("GRADER_SANDBOX_METHOD");
	enum error_class fault = ERROR_INFRA;

	buf_init(&sb->py_why);
	buf_init(&sb->rust_why);
	buf_init(&sb->no_cgroup_why);
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
		buf_puts(&sb->no_cgroup_why,
			 "the fallback was asked for (GRADER_SANDBOX_METHOD=rusage-pid1 or an option)");
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
		*why = sb->use_cgroups ? "" : sb->no_cgroup_why.data;
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
	free(sb->py_version);
	free(sb->rustc_version);
	free(sb->cargo_version);
	buf_free(&sb->py_why);
	buf_free(&sb->rust_why);
	buf_free(&sb->no_cgroup_why);
	free(sb);
}

const char *sandbox_verdict_name(enum sandbox_verdict v)
{
	switch (v) {
	case SANDBOX_OK:
		return "ok";
	case SANDBOX_TIME_LIMIT:
		return "time_limit";
	case SANDBOX_MEMORY_LIMIT:
		return "memory_limit";
	case SANDBOX_OUTPUT_LIMIT:
		return "output_limit";
	case SANDBOX_RUNTIME_ERROR:
		return "runtime_error";
	case SANDBOX_ERROR:
		return "sandbox_error";
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

void sandbox_probe_toolchain(char **python, char **rustc, char **cargo)
{
	struct sandbox *sb = xcalloc(1, sizeof(*sb));

	buf_init(&sb->py_why);
	buf_init(&sb->rust_why);
	find_python(sb);
	find_rust(sb);
	*python = sb->py_version;
	*rustc = sb->rustc_version;
	*cargo = sb->cargo_version;
	sb->py_version = sb->rustc_version = sb->cargo_version = NULL;
	free(sb->py_prefix);
	free(sb->py_bindir);
	free(sb->py_prefix2);
	free(sb->rust_sysroot);
	buf_free(&sb->py_why);
	buf_free(&sb->rust_why);
	free(sb);
}

void sandbox_toolchain(const struct sandbox *sb, const char **python, const char **rustc, const char **cargo)
{
	*python = sb->py_version;
	*rustc = sb->rustc_version;
	*cargo = sb->cargo_version;
}

bool sandbox_has_profile(const struct sandbox *sb, const char *name)
{
	return sb && find_profile(sb, name);
}
