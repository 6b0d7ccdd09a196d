/* calib_perf.c: the speed and memory protocol (measure/perf.h) calibrated against real processes:
 * pairs of one workload (build/helpers/perf_work) doing k times the work, pairs with known memory
 * peaks, directly and through the sandbox. The protocol's logic is tested against a simulated
 * runner in tests/unit/test_perf.c.
 * test: serial (CPU-time ratios under a known load: tests/run.sh runs it alone) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "measure/perf.h"
#include "sandbox/sandbox.h"
#include "measure/stats.h"

extern char **environ;

/* ---- real processes --------------------------------------------------------------------- */

/* Runs build/helpers/perf_work through build/helpers/perf_launch, which measures it with wait4()
 * from a small process (see perf_launch.c for why not from this one). */
struct proc {
	char launcher[4096], work[4096];
	char units[2][16], mib[2][16];
	bool with_mib;
};

static int proc_run(void *ctx, enum program_which p, struct perf_sample *out)
{
	struct proc *pr = ctx;
	char *argv[6] = {pr->launcher, pr->work, pr->units[p], pr->with_mib ? pr->mib[p] : NULL, NULL, NULL};
	posix_spawn_file_actions_t fa;
	int pipefd[2], status, rc = -1;
	char line[256];
	ssize_t n, got = 0;
	pid_t pid;
	double cpu, wall, rss;
	int st;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	if (posix_spawn(&pid, pr->launcher, &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	while ((n = read(pipefd[0], line + got, sizeof(line) - 1 - (size_t)got)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			got += n;
	line[got] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    sscanf(line, "%lf %lf %lf %d", &cpu, &wall, &rss, &st) == 4) {
		out->cpu = cpu;
		out->wall = wall;
		out->peak_memory = (uint64_t)rss;
		out->ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
		rc = 0;
	}
	return rc;
}

static void proc_init(struct proc *pr, long base_units, long cand_units)
{
	const char *dir = getenv("HELPERS");

	memset(pr, 0, sizeof(*pr));
	if (!dir)
		dir = "build/helpers";
	snprintf(pr->launcher, sizeof(pr->launcher), "%s/perf_launch", dir);
	snprintf(pr->work, sizeof(pr->work), "%s/perf_work", dir);
	if (access(pr->launcher, X_OK) != 0 || access(pr->work, X_OK) != 0)
		fail_msg("helpers missing in %s (run make test-run)", dir);
	snprintf(pr->units[PROGRAM_PYTHON], 16, "%ld", base_units);
	snprintf(pr->units[PROGRAM_RUST], 16, "%ld", cand_units);
}

/* Candidate units: about 20 ms of CPU; the baseline does k times as many. */
#define CAL_UNITS 20

static enum perf_verdict calibrated(double k, double required, double confidence, struct perf_outcome *o)
{
	struct perf_config cfg;
	struct proc pr;

	proc_init(&pr, lround(k * CAL_UNITS), CAL_UNITS);
	perf_config_init(&cfg);
	cfg.required_speedup = required;
	cfg.confidence = confidence;
	cfg.min_baseline_cpu = 0.010; /* the workloads are kept short for the test suite's sake */
	cfg.min_runs = 10;
	cfg.max_runs = 30;
	cfg.warmup_runs = 1;
	assert_int_equal(perf_measure(&cfg, proc_run, &pr, o), 0);
	print_message("k=%.1f required %.2f: %s after %d pairs, speedup %.3f [%.3f, %.3f]\n", k, required,
		      perf_verdict_name(o->verdict), o->pairs, o->interval.estimate, o->interval.low,
		      o->interval.high);
	return o->verdict;
}

static void check_calibrated(double k)
{
	struct perf_outcome o;
	enum perf_verdict v;

	assert_int_equal(calibrated(k, k / 1.5, 0.95, &o), PERF_PASS);
	perf_outcome_free(&o);
	assert_int_equal(calibrated(k, k * 1.5, 0.95, &o), PERF_FAIL);
	perf_outcome_free(&o);
	/* At required = k: the true CPU ratio is (k*W + s) / (W + s) for a start-up cost s, a hair
	 * under k when k > 1 and exactly 1 when k = 1. Never pass; fail only where the truth is below.
	 * For k = 1 any decided verdict is wrong, and at the default 95% that happens by design in up
	 * to 5% of protocols (about 2.6% measured in simulation: see
	 * test_repeated_looks_keep_wrong_verdicts_rare, which checks that rate). A test that fails
	 * one run in 40 proves nothing, so this one case asks for 99.9%. */
	v = calibrated(k, k, k == 1.0 ? 0.999 : 0.95, &o);
	assert_int_not_equal(v, PERF_PASS);
	if (k == 1.0)
		assert_int_equal(v, PERF_INCONCLUSIVE);
	else
		assert_true(v == PERF_INCONCLUSIVE || v == PERF_FAIL);
	assert_true(v != PERF_FAIL || o.interval.high < k);
	perf_outcome_free(&o);
}

static void test_calibrated_k1(void **state)
{
	(void)state;
	check_calibrated(1.0);
}

static void test_calibrated_k1_5(void **state)
{
	(void)state;
	check_calibrated(1.5);
}

static void test_calibrated_k2(void **state)
{
	(void)state;
	check_calibrated(2.0);
}

static void test_calibrated_k4(void **state)
{
	(void)state;
	check_calibrated(4.0);
}

static void test_memory_pair_with_known_peaks(void **state)
{
	struct perf_config cfg;
	struct perf_outcome o;
	struct proc pr;
	(void)state;

	/* Python touches 200 MiB, Rust 50 MiB: the ratio must be 0.25 within 5%. */
	proc_init(&pr, 20, 20);
	pr.with_mib = true;
	snprintf(pr.mib[PROGRAM_PYTHON], 16, "%d", 200);
	snprintf(pr.mib[PROGRAM_RUST], 16, "%d", 50);
	perf_config_init(&cfg);
	cfg.required_speedup = 0.5;
	cfg.min_baseline_cpu = 0.010;
	cfg.min_runs = 3;
	cfg.max_runs = 3;
	cfg.warmup_runs = 0;
	cfg.max_memory_ratio = 0.3;
	assert_int_equal(perf_measure(&cfg, proc_run, &pr, &o), 0);
	print_message("memory: baseline %llu bytes, candidate %llu bytes, ratio %.4f\n",
		      (unsigned long long)o.memory.max_peak[0], (unsigned long long)o.memory.max_peak[1],
		      o.memory.ratio);
	assert_true(fabs(o.memory.ratio / 0.25 - 1.0) < 0.05);
	assert_true(o.memory.max_peak[PROGRAM_PYTHON] >= (uint64_t)200 << 20);
	assert_true(o.memory.max_peak[PROGRAM_PYTHON] < (uint64_t)210 << 20);
	assert_int_equal(o.memory.verdict, PERF_MEMORY_PASS);
	assert_false(o.memory.baseline_is_interpreter);
	perf_outcome_free(&o);
}

/* ---- through the sandbox: the measurement the grader really uses --------------------------- */

struct sbrun {
	struct sandbox *sb;
	const char *workdir, *helpers;
	const char *argv[2][4];
	uint64_t memory_limit;
};

static int sb_run(void *ctx, enum program_which p, struct perf_sample *out)
{
	struct sbrun *r = ctx;
	struct sandbox_bind b = {.host = r->helpers, .inside = "/helpers", .writable = false};
	struct sandbox_request req = {.profile = "rust-run", .argv = r->argv[p], .binds = &b, .nbinds = 1,
				      .workdir = r->workdir};
	struct sandbox_result res;

	req.limits.memory = r->memory_limit;
	if (sandbox_run(r->sb, &req, &res) < 0) {
		print_message("sandbox_run refused the request: %s\n", buf_str(&res.message));
		sandbox_result_free(&res);
		return -1;
	}
	if (res.verdict != SANDBOX_OK)
		print_message("sandbox run: %s: %s\n", sandbox_verdict_name(res.verdict), buf_str(&res.message));
	out->cpu = res.cpu;
	out->wall = res.wall;
	out->peak_memory = res.peak_memory;
	out->ok = res.verdict == SANDBOX_OK;
	sandbox_result_free(&res);
	return 0;
}

/* Opens the default sandbox (cgroups where possible, else the PID-1 measurer) for the tests. */
static struct sandbox *sb_open(struct buf *tmp, struct buf *profiles, struct buf *pid1)
{
	const char *root = getenv("GRADER_ROOT");
	struct sandbox_options opt = {0};
	struct buf err = BUF_INIT;
	struct sandbox *sb;

	if (!root)
		root = ".";
	buf_printf(profiles, "%s/sandboxes", root);
	buf_printf(pid1, "%s/bin/grader-pid1", root);
	opt.pid1 = buf_str(pid1);
	assert_int_equal(fs_mkdtemp("/tmp", "test-perf-", tmp), 0);
	sb = sandbox_open_with(buf_str(profiles), NULL, &opt, NULL, &err);
	if (!sb)
		fail_msg("sandbox_open: %s", buf_str(&err));
	print_message("sandbox method: %s\n", sandbox_method(sb, NULL));
	buf_free(&err);
	return sb;
}

static void test_memory_pair_through_the_sandbox(void **state)
{
	struct buf tmp = BUF_INIT, profiles = BUF_INIT, pid1 = BUF_INIT;
	char *helpers = fs_realpath(getenv("HELPERS") ? getenv("HELPERS") : "build/helpers");
	struct perf_config cfg;
	struct perf_outcome o;
	struct sbrun r = {0};
	(void)state;

	assert_non_null(helpers); /* a bind needs an absolute host path */
	r.sb = sb_open(&tmp, &profiles, &pid1);
	r.workdir = buf_str(&tmp);
	r.helpers = helpers;
	r.memory_limit = (uint64_t)512 << 20;
	r.argv[PROGRAM_PYTHON][0] = r.argv[PROGRAM_RUST][0] = "/helpers/perf_work";
	r.argv[PROGRAM_PYTHON][1] = r.argv[PROGRAM_RUST][1] = "20";
	r.argv[PROGRAM_PYTHON][2] = "200";
	r.argv[PROGRAM_RUST][2] = "50";
	perf_config_init(&cfg);
	cfg.required_speedup = 0.5;
	cfg.min_baseline_cpu = 0.010;
	cfg.min_runs = cfg.max_runs = 3;
	cfg.warmup_runs = 0;
	cfg.max_memory_ratio = 0.3;
	assert_int_equal(perf_measure(&cfg, sb_run, &r, &o), 0);
	print_message("sandbox memory: baseline %llu bytes, candidate %llu bytes, ratio %.4f\n",
		      (unsigned long long)o.memory.max_peak[0], (unsigned long long)o.memory.max_peak[1],
		      o.memory.ratio);
	assert_int_not_equal(o.verdict, PERF_ERROR);
	assert_true(fabs(o.memory.ratio / 0.25 - 1.0) < 0.05);
	assert_true(o.memory.max_peak[PROGRAM_PYTHON] >= (uint64_t)200 << 20);
	assert_int_equal(o.memory.verdict, PERF_MEMORY_PASS);
	perf_outcome_free(&o);
	sandbox_close(r.sb);
	free(helpers);
	fs_rmtree(buf_str(&tmp));
	buf_free(&tmp);
	buf_free(&profiles);
	buf_free(&pid1);
}

static void test_calibrated_pair_through_the_sandbox(void **state)
{
	struct buf tmp = BUF_INIT, profiles = BUF_INIT, pid1 = BUF_INIT;
	char *helpers = fs_realpath(getenv("HELPERS") ? getenv("HELPERS") : "build/helpers");
	const double required[] = {2.0 / 1.5, 2.0 * 1.5};
	const enum perf_verdict want[] = {PERF_PASS, PERF_FAIL};
	struct perf_config cfg;
	struct sbrun r = {0};
	(void)state;

	assert_non_null(helpers);
	r.sb = sb_open(&tmp, &profiles, &pid1);
	r.workdir = buf_str(&tmp);
	r.helpers = helpers;
	r.argv[PROGRAM_PYTHON][0] = r.argv[PROGRAM_RUST][0] = "/helpers/perf_work";
	r.argv[PROGRAM_PYTHON][1] = "80";
	r.argv[PROGRAM_RUST][1] = "40";
	for (int i = 0; i < 2; i++) {
		struct perf_outcome o;

		perf_config_init(&cfg);
		cfg.required_speedup = required[i];
		cfg.min_baseline_cpu = 0.010;
		cfg.min_runs = 10;
		cfg.max_runs = 20;
		assert_int_equal(perf_measure(&cfg, sb_run, &r, &o), 0);
		print_message("sandbox k=2 required %.2f: %s after %d pairs, speedup %.3f [%.3f, %.3f]\n",
			      required[i], perf_verdict_name(o.verdict), o.pairs, o.interval.estimate,
			      o.interval.low, o.interval.high);
		assert_int_equal(o.verdict, want[i]);
		perf_outcome_free(&o);
	}
	sandbox_close(r.sb);
	free(helpers);
	fs_rmtree(buf_str(&tmp));
	buf_free(&tmp);
	buf_free(&profiles);
	buf_free(&pid1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calibrated_k1),
		cmocka_unit_test(test_calibrated_k1_5),
		cmocka_unit_test(test_calibrated_k2),
		cmocka_unit_test(test_calibrated_k4),
		cmocka_unit_test(test_memory_pair_with_known_peaks),
		cmocka_unit_test(test_memory_pair_through_the_sandbox),
		cmocka_unit_test(test_calibrated_pair_through_the_sandbox),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
