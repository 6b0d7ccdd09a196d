/* test_sandbox.c: unit tests of the sandbox (grader/sandbox/): profile errors, bad requests,
 * verdicts, and that one worker's reused cgroup (and the fallback) measure each run afresh. Needs
 * bwrap, bin/grader-pid1 and build/helpers (tests/run.sh sets GRADER_ROOT and HELPERS). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "sandbox/sandbox.h"

#define MiB ((uint64_t)1 << 20)

static struct buf root_dir, pid1, profiles, helpers, tmp;

static int setup(void **state)
{
	const char *root = getenv("GRADER_ROOT"), *h = getenv("HELPERS");

	(void)state;
	if (!root || !h) {
		fprintf(stderr, "run through tests/run.sh (GRADER_ROOT and HELPERS unset)\n");
		return -1;
	}
	buf_puts(&root_dir, root);
	buf_printf(&pid1, "%s/bin/grader-pid1", root);
	buf_printf(&profiles, "%s/sandboxes", root);
	buf_puts(&helpers, h);
	return fs_mkdtemp("/tmp", "test-sandbox-", &tmp);
}

static int teardown(void **state)
{
	(void)state;
	fs_rmtree(buf_str(&tmp));
	buf_free(&root_dir);
	buf_free(&pid1);
	buf_free(&profiles);
	buf_free(&helpers);
	buf_free(&tmp);
	return 0;
}

static struct sandbox *open_sb(const char *dir, bool fallback, struct buf *err)
{
	struct sandbox_options o = {.no_cgroups = fallback, .pid1 = buf_str(&pid1)};

	return sandbox_open_with(dir, NULL, &o, NULL, err);
}

/* Opens a fallback sandbox on a fresh folder `dir` holding one profile "p" (written at `path`)
 * that sees the system read-only: enough to run /bin/true. */
static struct sandbox *open_p(struct buf *dir, struct buf *path, struct buf *err)
{
	static const char yaml[] = "ro: [/usr, /lib, /lib64, /bin]\n";

	assert_int_equal(fs_mkdtemp(buf_str(&tmp), "prof-", dir), 0);
	buf_printf(path, "%s/p.yaml", buf_str(dir));
	assert_int_equal(fs_write_atomic(buf_str(path), yaml, strlen(yaml)), 0);
	return open_sb(buf_str(dir), true, err);
}

/* Writes one profile file into a fresh directory and tries to open it; returns the error text. */
static char *open_error(const char *yaml)
{
	struct buf dir = BUF_INIT, path = BUF_INIT, err = BUF_INIT;
	struct sandbox *sb;
	char *msg;

	assert_int_equal(fs_mkdtemp(buf_str(&tmp), "prof-", &dir), 0);
	buf_printf(&path, "%s/broken.yaml", buf_str(&dir));
	assert_int_equal(fs_write_atomic(buf_str(&path), yaml, strlen(yaml)), 0);
	sb = open_sb(buf_str(&dir), true, &err);
	assert_null(sb);
	msg = buf_detach(&err);
	buf_free(&dir);
	buf_free(&path);
	return msg;
}

static void test_verdict_names(void **state)
{
	(void)state;
	assert_string_equal(sandbox_verdict_name(SANDBOX_OK), "ok");
	assert_string_equal(sandbox_verdict_name(SANDBOX_TIME_LIMIT), "time_limit");
	assert_string_equal(sandbox_verdict_name(SANDBOX_MEMORY_LIMIT), "memory_limit");
	assert_string_equal(sandbox_verdict_name(SANDBOX_OUTPUT_LIMIT), "output_limit");
	assert_string_equal(sandbox_verdict_name(SANDBOX_RUNTIME_ERROR), "runtime_error");
	assert_string_equal(sandbox_verdict_name(SANDBOX_ERROR), "sandbox_error");
}

static void test_profile_errors_are_located(void **state)
{
	char *m;

	(void)state;
	m = open_error("ro: [/usr]\nlimts:\n  wall: 2s\n");
	assert_non_null(strstr(m, "broken.yaml:2:1:"));
	assert_non_null(strstr(m, "limts"));
	free(m);
	m = open_error("ro: [/usr]\nlimits:\n  wall: 2\n");
	assert_non_null(strstr(m, "broken.yaml:3:"));
	assert_non_null(strstr(m, "wall"));
	free(m);
	m = open_error("ro:\n  - usr/lib\n");
	assert_non_null(strstr(m, "broken.yaml:2:"));
	assert_non_null(strstr(m, "absolute path"));
	free(m);
	m = open_error("tools: [perl]\n");
	assert_non_null(strstr(m, "unknown tool 'perl'"));
	free(m);
	m = open_error("env:\n  BAD-NAME: x\n");
	assert_non_null(strstr(m, "BAD-NAME"));
	free(m);
	m = open_error("- just\n- a list\n");
	assert_non_null(strstr(m, "must be a map"));
	free(m);
}

static void test_missing_profiles_dir(void **state)
{
	struct buf err = BUF_INIT;

	(void)state;
	assert_null(open_sb("/nonexistent/profiles-dir", true, &err));
	assert_non_null(strstr(buf_str(&err), "/nonexistent/profiles-dir"));
	buf_free(&err);
}

static void test_bad_requests(void **state)
{
	struct buf err = BUF_INIT;
	struct sandbox *sb = open_sb(buf_str(&profiles), true, &err);
	struct sandbox_result res;
	const char *argv[] = {"/bin/true", NULL}, *noargv[] = {NULL};
	struct sandbox_bind bad = {.host = "/usr", .inside = "/proc/self", .writable = false};
	struct sandbox_request req = {.profile = "python-run", .argv = noargv};

	(void)state;
	assert_non_null(sb);
	assert_int_equal(sandbox_run(sb, &req, &res), -1);
	assert_int_equal(res.verdict, SANDBOX_ERROR);
	sandbox_result_free(&res);
	req.argv = argv;
	req.workdir = "/nonexistent/workdir";
	assert_int_equal(sandbox_run(sb, &req, &res), -1);
	assert_non_null(strstr(buf_str(&res.message), "/nonexistent/workdir"));
	sandbox_result_free(&res);
	req.workdir = NULL;
	req.binds = &bad;
	req.nbinds = 1;
	assert_int_equal(sandbox_run(sb, &req, &res), -1);
	assert_non_null(strstr(buf_str(&res.message), "/proc/self"));
	sandbox_result_free(&res);
	req.nbinds = 0;
	req.profile = "no-such-profile";
	assert_int_equal(sandbox_run(sb, &req, &res), 0);
	assert_int_equal(res.verdict, SANDBOX_ERROR);
	assert_non_null(strstr(buf_str(&res.message), "no-such-profile"));
	sandbox_result_free(&res);
	sandbox_close(sb);
	buf_free(&err);
}

/* A profile whose bind source is missing is the sandbox's fault, never the program's. */
/* The open file descriptors of this process: the count, and (in `high`) the highest number. */
static int count_fds(int *high)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	*high = -1;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		n++;
		if (fd > *high)
			*high = fd;
	}
	closedir(d);
	return n;
}

/* Out of file descriptors at every point a run opens one (the input, each pipe and its copy
 * above 2, the child's): the run fails as the sandbox's error, and leaves no descriptor open. */
static void test_out_of_descriptors_fails_cleanly(void **state)
{
	struct buf dir = BUF_INIT, path = BUF_INIT, err = BUF_INIT;
	struct sandbox *sb;
	const char *argv[] = {"/bin/true", NULL};
	struct sandbox_request req = {.profile = "p", .argv = argv};
	struct sandbox_result res;
	struct rlimit old, low;
	int high, before, after, errors = 0, fill[256];
	size_t nfill = 0;
	bool ran = false;

	(void)state;
	sb = open_p(&dir, &path, &err);
	assert_non_null(sb);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	/* fill the holes below the highest descriptor, so that a limit of high + 1 + extra leaves
	 * exactly `extra` free */
	count_fds(&high);
	for (int fd; (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) {
		if (fd > high) {
			close(fd);
			break;
		}
		assert_true(nfill < sizeof(fill) / sizeof(fill[0]));
		fill[nfill++] = fd;
	}
	before = count_fds(&high);
	for (rlim_t extra = 0; extra < 64 && !ran; extra++) {
		int rc;
		low = old;
		low.rlim_cur = (rlim_t)high + 1 + extra;
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
		rc = sandbox_run(sb, &req, &res);
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
		if (res.verdict == SANDBOX_OK) {
			ran = true;
		} else {
			assert_int_equal(res.verdict, SANDBOX_ERROR);
			assert_int_equal(rc, 0);
			assert_true(res.message.len > 0);
			errors++;
		}
		sandbox_result_free(&res);
		after = count_fds(&high);
		assert_int_equal(after, before);
	}
	for (size_t i = 0; i < nfill; i++)
		close(fill[i]);
	assert_true(ran);         /* enough descriptors in the end */
	assert_true(errors >= 3); /* and the grader's own failing points on the way */
	sandbox_close(sb);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&err);
}

static void test_setup_failure_is_sandbox_error(void **state)
{
	struct buf dir = BUF_INIT, path = BUF_INIT, err = BUF_INIT;
	struct sandbox *sb;
	struct sandbox_result res;
	const char *argv[] = {"/bin/true", NULL};
	struct sandbox_request req = {.profile = "p", .argv = argv};

	(void)state;
	sb = open_p(&dir, &path, &err);
	assert_non_null(sb);
	assert_int_equal(sandbox_run(sb, &req, &res), 0);
	assert_int_equal(res.verdict, SANDBOX_OK);
	sandbox_result_free(&res);
	/* the request binds a host path that vanishes after the check: bwrap itself fails */
	buf_reset(&path);
	buf_printf(&path, "%s/vanishing", buf_str(&dir));
	assert_int_equal(mkdir(buf_str(&path), 0755), 0);
	{
		struct sandbox_bind b = {.host = buf_str(&path), .inside = "/x/y", .writable = false};
		req.binds = &b;
		req.nbinds = 1;
		/* a bind onto a path under a read-only bind cannot be created: bwrap's setup fails */
		b.inside = "/usr/lib/no-such-dir-for-test/x";
		assert_int_equal(sandbox_run(sb, &req, &res), 0);
		assert_int_equal(res.verdict, SANDBOX_ERROR);
		assert_non_null(strstr(buf_str(&res.message), "bubblewrap could not set up"));
		sandbox_result_free(&res);
	}
	sandbox_close(sb);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&err);
}

static void run_helper(struct sandbox *sb, const char *const *argv, struct sandbox_result *res)
{
	struct sandbox_bind b = {.host = buf_str(&helpers), .inside = "/helpers", .writable = false};
	struct sandbox_request req = {.profile = "rust-run", .argv = argv, .binds = &b, .nbinds = 1,
				      .workdir = buf_str(&tmp)};

	assert_int_equal(sandbox_run(sb, &req, res), 0);
	if (res->verdict != SANDBOX_OK)
		fprintf(stderr, "%s: %s\n", argv[0], buf_str(&res->message));
	assert_int_equal(res->verdict, SANDBOX_OK);
}

/* One worker, many runs: each run's figures are its own, not the sum or max of earlier ones. */
static void check_fresh_figures(bool fallback)
{
	struct buf err = BUF_INIT;
	struct sandbox *sb = open_sb(buf_str(&profiles), fallback, &err);
	struct sandbox_result res;
	/* held 300 ms: the tree is read fully at least every 40 ms while it changes, and a loaded
	 * machine may delay the measurer's wake-ups */
	const char *big[] = {"/helpers/calib_touch", "200", "2", "300", NULL};
	const char *idle[] = {"/helpers/calib_touch", "0", "2", "300", NULL};
	const char *burn[] = {"/helpers/calib_burn", "0.5", "1", NULL};
	const char *noburn[] = {"/helpers/calib_burn", "0", "1", NULL};
	/* SIGCHLD ignored: the kernel reaps the burners, their rusage reaches no parent */
	const char *reaped[] = {"/helpers/calib_reaped", "0.6", "3", "ignore", NULL};

	if (!sb)
		fprintf(stderr, "%s", buf_str(&err));
	assert_non_null(sb);
	assert_string_equal(sandbox_method(sb, NULL), fallback ? "rusage-pid1" : "cgroup-v1");
	for (int round = 0; round < 2; round++) {
		run_helper(sb, big, &res);
		assert_true(res.peak_memory >= 200 * MiB);
		assert_true(res.peak_memory < 215 * MiB);
		/* the measurer samples in both methods: it saw both processes; the cgroup's own
		 * peak is a second figure, there only with cgroups */
		assert_int_equal(res.tasks_peak, 2);
		if (fallback)
			assert_true(res.cgroup_peak == 0);
		else
			assert_true(res.cgroup_peak >= 200 * MiB && res.cgroup_peak < 215 * MiB);
		sandbox_result_free(&res);
		run_helper(sb, idle, &res);
		assert_true(res.peak_memory < 16 * MiB);
		assert_true(res.cgroup_peak < 16 * MiB);
		sandbox_result_free(&res);
		run_helper(sb, burn, &res);
		assert_true(res.cpu >= 0.5 && res.cpu < 0.6);
		sandbox_result_free(&res);
		run_helper(sb, noburn, &res);
		assert_true(res.cpu < 0.1);
		sandbox_result_free(&res);
		run_helper(sb, reaped, &res);
		assert_true(res.cpu >= 0.57 && res.cpu < 0.66);
		sandbox_result_free(&res);
	}
	sandbox_close(sb);
	buf_free(&err);
}

static void test_fresh_figures_cgroup(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip(); /* cgroups may not be creatable without root */
		return;
	}
	check_fresh_figures(false);
}

static void test_fresh_figures_fallback(void **state)
{
	(void)state;
	check_fresh_figures(true);
}

/* The memory limit holds for the tree, not only for each process: two processes of 100 MiB each
 * under a 150 MiB limit. With cgroups the kernel enforces it (its OOM killer kills one of them;
 * when that is the child, calib_touch's parent waits for it until the wall limit: the verdict
 * depends on the kernel's choice, the OOM kill does not); in the fallback the measurer does, on
 * its tree figure, and kills the whole tree (docs/sandbox.md). */
static void check_tree_memory_limit(bool fallback)
{
	struct buf err = BUF_INIT;
	struct sandbox *sb = open_sb(buf_str(&profiles), fallback, &err);
	struct sandbox_result res;
	const char *argv[] = {"/helpers/calib_touch", "200", "2", "1000", NULL};
	struct sandbox_bind b = {.host = buf_str(&helpers), .inside = "/helpers", .writable = false};
	struct sandbox_request req = {.profile = "rust-run", .argv = argv, .binds = &b, .nbinds = 1,
				      .workdir = buf_str(&tmp),
				      .limits = {.memory = 150 * MiB, .cpu = 8, .wall = 10}};

	assert_non_null(sb);
	assert_int_equal(sandbox_run(sb, &req, &res), 0);
	if (fallback ? res.verdict != SANDBOX_MEMORY_LIMIT : !res.oom_killed)
		fprintf(stderr, "verdict %s (limit %s, cpu %.2f s, wall %.2f s, peak %llu, "
			"cgroup peak %llu): %s\n",
			sandbox_verdict_name(res.verdict), res.limit ? res.limit : "-", res.cpu, res.wall,
			(unsigned long long)res.peak_memory, (unsigned long long)res.cgroup_peak,
			buf_str(&res.message));
	/* unlimited, it would end with status 0 */
	if (fallback)
		assert_int_equal(res.verdict, SANDBOX_MEMORY_LIMIT);
	else
		assert_true(res.oom_killed);
	sandbox_result_free(&res);
	sandbox_close(sb);
	buf_free(&err);
}

static void test_tree_memory_limit_cgroup(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	check_tree_memory_limit(false);
}

static void test_tree_memory_limit_fallback(void **state)
{
	(void)state;
	check_tree_memory_limit(true);
}

static void test_exit_signal_stdin_env(void **state)
{
	struct buf err = BUF_INIT, in = BUF_INIT;
	struct sandbox *sb = open_sb(buf_str(&profiles), false, &err);
	struct sandbox_result res;
	const char *exit3[] = {"sh", "-c", "exit 3", NULL};
	const char *segv[] = {"sh", "-c", "kill -SEGV $$", NULL};
	const char *cat[] = {"sh", "-c", "cat; echo \"[$FOO][${GRADER_TEST_SECRET:-}]\"", NULL};
	const char *env[] = {"FOO=bar", NULL};
	struct sandbox_request req = {.profile = "python-run", .argv = exit3, .workdir = buf_str(&tmp)};

	(void)state;
	assert_non_null(sb);
	assert_int_equal(sandbox_run(sb, &req, &res), 0);
	assert_int_equal(res.verdict, SANDBOX_RUNTIME_ERROR);
	assert_int_equal(res.exit_code, 3);
	sandbox_result_free(&res);
	req.argv = segv;
	assert_int_equal(sandbox_run(sb, &req, &res), 0);
	assert_int_equal(res.verdict, SANDBOX_RUNTIME_ERROR);
	assert_int_equal(res.signal, 11);
	assert_int_equal(res.exit_code, -1);
	sandbox_result_free(&res);
	buf_printf(&in, "%s/stdin.txt", buf_str(&tmp));
	assert_int_equal(fs_write_atomic(buf_str(&in), "line one\n", 9), 0);
	setenv("GRADER_TEST_SECRET", "leaked", 1);
	req.argv = cat;
	req.env = env;
	req.stdin_path = buf_str(&in);
	assert_int_equal(sandbox_run(sb, &req, &res), 0);
	assert_int_equal(res.verdict, SANDBOX_OK);
	assert_string_equal(buf_str(&res.out), "line one\n[bar][]\n");
	sandbox_result_free(&res);
	unsetenv("GRADER_TEST_SECRET");
	sandbox_close(sb);
	buf_free(&in);
	buf_free(&err);
}

/* Runs of one worker share its network namespace (as root): a listener a run leaves behind, even
 * in a detached daemon, must be gone for the next run, whose loopback still works. */
/* As root: the program runs as uid 65534 on the host, what it makes is 65534's, a set-user-ID
 * bit it sets does not survive the run, and a root-owned work directory is given to it. */
static void test_runs_as_nobody_when_root(void **state)
{
	struct buf err = BUF_INIT, work = BUF_INIT, path = BUF_INIT;
	struct sandbox *sb;
	struct sandbox_result res;
	const char *argv[] = {"sh", "-c", "id -u; echo x > made; cp /bin/true suid; chmod 4755 suid", NULL};
	struct sandbox_request req = {.profile = "python-run", .argv = argv};
	struct stat st;

	(void)state;
	if (geteuid() != 0) {
		skip(); /* not root: the program runs as the grader's user, nothing changes */
		return;
	}
	sb = open_sb(buf_str(&profiles), false, &err);
	assert_non_null(sb);
	assert_int_equal(fs_mkdtemp(buf_str(&tmp), "work-", &work), 0); /* mode 700, root's */
	req.workdir = buf_str(&work);
	assert_int_equal(sandbox_run(sb, &req, &res), 0);
	assert_int_equal(res.verdict, SANDBOX_OK);
	assert_string_equal(buf_str(&res.out), "65534\n");
	sandbox_result_free(&res);
	fs_join(&path, buf_str(&work), "made");
	assert_int_equal(lstat(buf_str(&path), &st), 0);
	assert_int_equal(st.st_uid, 65534);
	fs_join(&path, buf_str(&work), "suid");
	assert_int_equal(lstat(buf_str(&path), &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_mode & (S_ISUID | S_ISGID), 0);
	sandbox_close(sb);
	buf_free(&err);
	buf_free(&work);
	buf_free(&path);
}

static void test_network_state_does_not_outlive_a_run(void **state)
{
	struct buf err = BUF_INIT;
	struct sandbox *sb = open_sb(buf_str(&profiles), false, &err);
	struct sandbox_result res;
	const char *leave[] = {"python3", "-c",
		"import os, socket, time\n"
		"s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
		"s.bind(('127.0.0.1', 47123)); s.listen()\n"
		"if os.fork() == 0:\n"
		"    os.setsid()\n"
		"    if os.fork() == 0:\n"
		"        time.sleep(60)\n"
		"    os._exit(0)\n"
		"print('listening')\n", NULL};
	const char *probe[] = {"python3", "-c",
		"import socket\n"
		"try:\n"
		"    socket.create_connection(('127.0.0.1', 47123), timeout=2); print('LEFT OVER')\n"
		"except ConnectionRefusedError:\n"
		"    print('refused')\n"
		"t = socket.socket(); t.bind(('127.0.0.1', 0)); t.listen()\n"
		"socket.create_connection(t.getsockname(), timeout=2); print('loopback')\n", NULL};
	struct sandbox_request req = {.profile = "python-run", .argv = leave, .workdir = buf_str(&tmp)};

	(void)state;
	assert_non_null(sb);
	assert_int_equal(sandbox_run(sb, &req, &res), 0);
	assert_int_equal(res.verdict, SANDBOX_OK);
	assert_string_equal(buf_str(&res.out), "listening\n");
	sandbox_result_free(&res);
	req.argv = probe;
	assert_int_equal(sandbox_run(sb, &req, &res), 0);
	assert_int_equal(res.verdict, SANDBOX_OK);
	assert_string_equal(buf_str(&res.out), "refused\nloopback\n");
	sandbox_result_free(&res);
	sandbox_close(sb);
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_names),
		cmocka_unit_test(test_profile_errors_are_located),
		cmocka_unit_test(test_missing_profiles_dir),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_setup_failure_is_sandbox_error),
		cmocka_unit_test(test_out_of_descriptors_fails_cleanly),
		cmocka_unit_test(test_fresh_figures_cgroup),
		cmocka_unit_test(test_fresh_figures_fallback),
		cmocka_unit_test(test_tree_memory_limit_cgroup),
		cmocka_unit_test(test_tree_memory_limit_fallback),
		cmocka_unit_test(test_exit_signal_stdin_env),
		cmocka_unit_test(test_runs_as_nobody_when_root),
		cmocka_unit_test(test_network_state_does_not_outlive_a_run),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
