#!/usr/bin/env bash
# tests/bench/sandbox.sh: the sandbox's added wall time per run. Pairs of (a trivial program run
# in the rust-run profile by one worker that reuses its cgroups) and (the same program run bare,
# fork+exec+wait), interleaved, for each measuring method; the median of the per-pair
# differences is the overhead. Writes build/bench/sandbox.json. Target: <= 5 ms on 2 cores.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p build/bench
cat >build/bench/sandbox_bench.c <<'C'
/* Built by tests/bench/sandbox.sh: times sandboxed vs bare runs of one program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "buf.h"
#include "sandbox/sandbox.h"
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }
int main(int argc, char **argv)
{
	int pairs = (int)strtol(argv[3], NULL, 10);
	struct sandbox_options o = {.no_cgroups = !strcmp(argv[2], "rusage-pid1")};
	struct buf err = BUF_INIT;
	struct sandbox *sb = sandbox_open_with(argv[1], NULL, &o, NULL, &err);
	const char *prog[] = {argv[4], NULL}, *inside[] = {"/bench/true", NULL};
	struct sandbox_bind bind = {.host = argv[5], .inside = "/bench", .writable = false};
	struct sandbox_request req = {.profile = "rust-run", .argv = inside, .binds = &bind, .nbinds = 1};
	double *d = calloc(pairs, sizeof(*d)), *s = calloc(pairs, sizeof(*s)), *b = calloc(pairs, sizeof(*b));
	if (!sb) { fprintf(stderr, "%s", buf_str(&err)); return 1; }
	for (int i = -5; i < pairs; i++) {  /* 5 warm-up pairs */
		struct sandbox_result r;
		double t0 = now(), t1, t2;
		if (sandbox_run(sb, &req, &r) || r.verdict != SANDBOX_OK) { fprintf(stderr, "run failed: %s\n", buf_str(&r.message)); return 1; }
		sandbox_result_free(&r);
		t1 = now();
		pid_t pid = fork();
		if (pid == 0) { execv(argv[4], (char **)prog); _exit(127); }
		waitpid(pid, NULL, 0);
		t2 = now();
		if (i >= 0) { s[i] = t1 - t0; b[i] = t2 - t1; d[i] = s[i] - b[i]; }
	}
	qsort(d, pairs, sizeof(*d), cmp); qsort(s, pairs, sizeof(*s), cmp); qsort(b, pairs, sizeof(*b), cmp);
	printf("{\"method\": \"%s\", \"pairs\": %d, \"median_sandboxed_ms\": %.3f, \"median_bare_ms\": %.3f, "
	       "\"median_overhead_ms\": %.3f, \"p10_overhead_ms\": %.3f, \"p90_overhead_ms\": %.3f}",
	       sandbox_method(sb, NULL), pairs, s[pairs / 2] * 1e3, b[pairs / 2] * 1e3, d[pairs / 2] * 1e3,
	       d[pairs / 10] * 1e3, d[pairs * 9 / 10] * 1e3);
	sandbox_close(sb);
	buf_free(&err);
	return 0;
}
C
make --no-print-directory -s build/rel/libgrader.a || exit 1
cc -std=c11 -D_GNU_SOURCE -O2 -Igrader $(pkg-config --cflags yaml-0.1 libgit2 libcjson) \
	-o build/bench/sandbox_bench build/bench/sandbox_bench.c build/rel/libgrader.a \
	$(pkg-config --libs yaml-0.1 libgit2 libcjson) -lm
cat >build/bench/true.c <<'C'
int main(void) { return 0; }
C
cc -O2 -o build/bench/true build/bench/true.c
pairs=${BENCH_PAIRS:-100}
export GRADER_PID1=$PWD/bin/grader-pid1
cg=$(build/bench/sandbox_bench sandboxes cgroup "$pairs" "$PWD/build/bench/true" "$PWD/build/bench")
fb=$(build/bench/sandbox_bench sandboxes rusage-pid1 "$pairs" "$PWD/build/bench/true" "$PWD/build/bench")
printf '{"program": "a trivial C binary (return 0) in the rust-run profile", "target_overhead_ms": 5,\n "cgroup": %s,\n "fallback": %s}\n' "$cg" "$fb" >build/bench/sandbox.json
cat build/bench/sandbox.json
