/* perf_launch: measures one run of a program for the perf tests: `perf_launch PROG ARGS...` runs
 * PROG as its child, waits for it with wait4() and prints one line "CPU WALL MAXRSS STATUS":
 * user+system seconds, wall seconds, peak resident bytes and the raw wait status.
 *
 * Why a launcher: ru_maxrss is inherited at fork and exec, so a child of the (large, sanitized)
 * test process would report at least the test's own peak. This launcher is tiny, so its child's
 * ru_maxrss is the child's own. Exits 0 when it measured a run, 1 when it could not. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid, w;

	if (argc < 2) {
		fprintf(stderr, "usage: perf_launch PROG ARGS...\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("perf_launch: fork");
		return 1;
	}
	if (pid == 0) {
		execv(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	do
		w = wait4(pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	if (w < 0) {
		perror("perf_launch: wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.9f %.9f %lld %d\n",
	       (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
		       ru.ru_stime.tv_usec * 1e-6,
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9,
	       (long long)ru.ru_maxrss * 1024, status);
	return 0;
}
