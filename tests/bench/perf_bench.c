/* perf_bench.c: driver of tests/bench/perf.sh: runs perf_measure REPS times on a calibrated pair
 * (build/helpers/perf_work doing BASE units against CAND units) and prints one JSON object per
 * repetition, one per line. Measures through the sandbox (the grader's own measurement), or with
 * the small wait4() launcher when the sandbox cannot be opened.
 * Usage: perf_bench ROOT HELPERS REPS BASE CAND REQUIRED */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "num.h"
#include "measure/perf.h"
#include "sandbox/sandbox.h"

extern char **environ;

struct bench {
	struct sandbox *sb;
	const char *helpers, *workdir;
	char launcher[4096], work[4096];
	const char *units[2];
};

static int run_sandbox(struct bench *b, enum program_which p, struct perf_sample *out)
{
	const char *argv[] = {"/helpers/perf_work", b->units[p], NULL};
	struct sandbox_bind bind = {.host = b->helpers, .inside = "/helpers", .writable = false};
	struct sandbox_request req = {.profile = "rust-run", .argv = argv, .binds = &bind, .nbinds = 1,
				      .workdir = b->workdir};
	struct sandbox_result res;

	if (sandbox_run(b->sb, &req, &res) < 0) {
		sandbox_result_free(&res);
		return -1;
	}
	out->cpu = res.cpu;
	out->wall = res.wall;
	out->peak_memory = res.peak_memory;
	out->ok = res.verdict == SANDBOX_OK;
	sandbox_result_free(&res);
	return 0;
}

static int run_launcher(struct bench *b, enum program_which p, struct perf_sample *out)
{
	char *argv[] = {b->launcher, b->work, (char *)b->units[p], NULL};
	posix_spawn_file_actions_t fa;
	char line[256];
	ssize_t n, got = 0;
	int fds[2], status, st;
	double rss;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	n = posix_spawn(&pid, b->launcher, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (n != 0) {
		close(fds[0]);
		return -1;
	}
	while ((n = read(fds[0], line + got, sizeof(line) - 1 - (size_t)got)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			got += n;
	line[got] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (sscanf(line, "%lf %lf %lf %d", &out->cpu, &out->wall, &rss, &st) != 4)
		return -1;
	out->peak_memory = (uint64_t)rss;
	out->ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	return 0;
}

static int run(void *ctx, enum program_which p, struct perf_sample *out)
{
	struct bench *b = ctx;

	return b->sb ? run_sandbox(b, p, out) : run_launcher(b, p, out);
}

int main(int argc, char **argv)
{
	struct buf err = BUF_INIT, tmp = BUF_INIT, profiles = BUF_INIT, pid1 = BUF_INIT;
	struct sandbox_options opt = {0};
	struct bench b = {0};
	long long reps;
	double required;
	char *helpers;

	if (argc != 7 || num_parse_int(argv[3], 1, 1000, &reps) < 0 ||
	    num_parse_double(argv[6], &required) < 0) {
		fprintf(stderr, "usage: perf_bench ROOT HELPERS REPS BASE CAND REQUIRED\n");
		return 2;
	}
	helpers = fs_realpath(argv[2]);
	if (!helpers || fs_mkdtemp("/tmp", "perf-bench-", &tmp) < 0) {
		fprintf(stderr, "perf_bench: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	buf_printf(&profiles, "%s/sandboxes", argv[1]);
	buf_printf(&pid1, "%s/bin/grader-pid1", argv[1]);
	opt.pid1 = buf_str(&pid1);
	b.sb = sandbox_open_with(buf_str(&profiles), NULL, &opt, NULL, &err);
	if (!b.sb)
		fprintf(stderr, "perf_bench: no sandbox (%s); measuring with perf_launch\n", buf_str(&err));
	b.helpers = helpers;
	b.workdir = buf_str(&tmp);
	snprintf(b.launcher, sizeof(b.launcher), "%s/perf_launch", helpers);
	snprintf(b.work, sizeof(b.work), "%s/perf_work", helpers);
	b.units[PROGRAM_PYTHON] = argv[4];
	b.units[PROGRAM_RUST] = argv[5];
	for (long long i = 0; i < reps; i++) {
		struct perf_config cfg;
		struct perf_outcome o;

		perf_config_init(&cfg);
		cfg.required_speedup = required;
		perf_measure(&cfg, run, &b, &o);
		printf("{\"method\": \"%s\", \"verdict\": \"%s\", \"stop\": \"%s\", \"pairs\": %d, \"estimate\": %.6f, "
		       "\"low\": %.6f, \"high\": %.6f, \"median_cpu_baseline\": %.6f, \"median_cpu_candidate\": %.6f, "
		       "\"load_start\": %.2f, \"load_end\": %.2f, \"elapsed\": %.3f}\n",
		       b.sb ? sandbox_method(b.sb, NULL) : "rusage-launcher", perf_verdict_name(o.verdict),
		       perf_stop_name(o.stop), o.pairs, o.interval.estimate, o.interval.low, o.interval.high,
		       o.median_cpu[0], o.median_cpu[1], o.load_start, o.load_end, o.elapsed);
		fflush(stdout);
		if (o.verdict == PERF_ERROR)
			fprintf(stderr, "perf_bench: %s\n", buf_str(&o.message));
		perf_outcome_free(&o);
	}
	sandbox_close(b.sb);
	fs_rmtree(buf_str(&tmp));
	free(helpers);
	buf_free(&err);
	buf_free(&tmp);
	buf_free(&profiles);
	buf_free(&pid1);
	return 0;
}
