/* hostcmd.c: finds the host's Python interpreter and Rust toolchain that the profiles' `tools`
 * bind into the sandbox, by running python3 and rustc once at open, outside any sandbox. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs.h"
#include "sandbox/internal.h"
#include "xalloc.h"
#include "banned.h"

#define HOST_CMD_TIMEOUT 60.0

/* Runs a trusted host command and appends its stdout to `out`. Returns its exit status, or -1. */
static int host_capture(const char *const *argv, struct buf *out)
{
	int fds[2], status = -1;
	pid_t pid;
	double deadline = clock_now() + HOST_CMD_TIMEOUT;

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
		int left = (int)((deadline - clock_now()) * 1000);

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
	return xstrndup(p, strcspn(p, "\n"));
}

void find_python(struct sandbox *sb)
{
	const char *py = getenv("GRADER_PYTHON");
	const char *argv[] = {py && *py ? py : "python3", "-c",
			      "import sys\nprint(sys.executable)\nprint(sys.base_prefix)\nprint(sys.prefix)\n"
			      "print(sys.version.replace('\\n', ' '))",
			      NULL};
	struct buf out = BUF_INIT;
	char *exe = NULL, *base = NULL, *prefix = NULL, *real;

	if (host_capture(argv, &out) != 0) {
		buf_printf(&sb->py_why, "'%s' could not be run to find the Python interpreter", argv[0]);
		goto out;
	}
	exe = line_at(out.data, 0);
	base = line_at(out.data, 1);
	prefix = line_at(out.data, 2);
	sb->py_version = line_at(out.data, 3);
	if (!exe || !base || !prefix || exe[0] != '/' || base[0] != '/') {
		buf_printf(&sb->py_why, "'%s' did not report sys.executable and sys.base_prefix", argv[0]);
		goto out;
	}
	real = fs_realpath(exe);
	if (real) {
		char *slash = strrchr(real, '/');
		*slash = '\0';
		sb->py_bindir = xstrdup(*real ? real : "/");
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

/* The first line `TOOL -V` prints, or NULL. */
static char *tool_version(const char *tool)
{
	const char *argv[] = {tool, "-V", NULL};
	struct buf out = BUF_INIT;
	char *line = host_capture(argv, &out) == 0 ? line_at(out.data, 0) : NULL;

	buf_free(&out);
	return line;
}

void find_rust(struct sandbox *sb)
{
	const char *rustc = getenv("GRADER_RUSTC"), *cargo_home = getenv("CARGO_HOME"), *home = getenv("HOME");
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
	if (rc != 0 || !(root = line_at(out.data, 0)) || root[0] != '/') {
		buf_printf(&sb->rust_why, "'%s --print sysroot' failed: no Rust toolchain found", argv[0]);
		goto out;
	}
	sb->rust_sysroot = fs_realpath(root);
	fs_join(&cargo, sb->rust_sysroot ? sb->rust_sysroot : root, "bin/cargo");
	if (!sb->rust_sysroot || !fs_is_file(cargo.data)) {
		buf_printf(&sb->rust_why, "the Rust sysroot '%s' has no bin/cargo", root);
		free(sb->rust_sysroot);
		sb->rust_sysroot = NULL;
		goto out;
	}
	sb->cargo_version = tool_version(cargo.data);
	buf_reset(&cargo);
	fs_join(&cargo, sb->rust_sysroot, "bin/rustc");
	sb->rustc_version = tool_version(cargo.data);
out:
	free(root);
	buf_free(&out);
	buf_free(&cargo);
	buf_free(&alt[0]);
	buf_free(&alt[1]);
}
