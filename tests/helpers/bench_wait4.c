/* bench_wait4: runs a command N times outside any sandbox and prints, per run, one JSON line with
 * its CPU time (user + system, from wait4()), wall time, peak resident set (ru_maxrss), exit
 * status and the bytes it wrote on standard output. The bare reference that tests/bench/pairs.sh
 * compares the grader's measurements with.
 *
 *   bench_wait4 N [--stdin FILE] -- COMMAND [ARGS...]
 *
 * Standard output is read through a pipe and discarded (as the grader reads it), standard error
 * goes to /dev/null, standard input is FILE or /dev/null. The helper itself is small, so the
 * ru_maxrss its children inherit across fork and exec is far below any program measured here.
 * Exit status: 0 when every run exited 0; 1 when a run failed; 2 on a usage or system error. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

/* One run; returns 0 when it exited 0, 1 when it failed, -1 on a system error. */
static int run_once(int index, const char *stdin_path, char **argv)
{
	int out[2];
	if (pipe(out) < 0) {
		fprintf(stderr, "bench_wait4: pipe: %s\n", strerror(errno));
		return -1;
	}
	double start = now();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench_wait4: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
		int err = open("/dev/null", O_WRONLY);
		if (in < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err, 2) < 0)
			_exit(126);
		close(out[0]);
		close(out[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	char chunk[65536];
	long long bytes = 0;
	for (;;) {
		ssize_t n = read(out[0], chunk, sizeof(chunk));
		if (n > 0)
			bytes += n;
		else if (n == 0 || errno != EINTR)
			break;
	}
	close(out[0]);
	int status;
	struct rusage ru;
	pid_t w;
	do
		w = wait4(pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	double wall = now() - start;
	if (w < 0) {
		fprintf(stderr, "bench_wait4: wait4: %s\n", strerror(errno));
		return -1;
	}
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	printf("{\"run\": %d, \"cpu\": %.6f, \"user\": %.6f, \"sys\": %.6f, \"wall\": %.6f, "
	       "\"maxrss_bytes\": %lld, \"exit\": %d, \"signal\": %d, \"stdout_bytes\": %lld}\n",
	       index, tv(ru.ru_utime) + tv(ru.ru_stime), tv(ru.ru_utime), tv(ru.ru_stime), wall,
	       (long long)ru.ru_maxrss * 1024, code, sig, bytes);
	fflush(stdout);
	return code == 0 && sig == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *stdin_path = NULL;
	int i = 1;
	char *end;
	if (argc < 4)
		goto usage;
	errno = 0;
	long n = strtol(argv[i++], &end, 10);
	if (errno || *end || n < 1 || n > 100000)
		goto usage;
	if (strcmp(argv[i], "--stdin") == 0) {
		if (i + 1 >= argc)
			goto usage;
		stdin_path = argv[i + 1];
		i += 2;
	}
	if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc)
		goto usage;
	i++;
	int failed = 0;
	for (long k = 0; k < n; k++) {
		int rc = run_once((int)k, stdin_path, argv + i);
		if (rc < 0)
			return 2;
		failed |= rc;
	}
	return failed ? 1 : 0;
usage:
	fprintf(stderr, "usage: bench_wait4 N [--stdin FILE] -- COMMAND [ARGS...]\n");
	return 2;
}
