/* calib_reaped.c: calibration workload whose CPU time reaches no parent's rusage. Ignores SIGCHLD,
 * so the kernel reaps its children, and burns SECONDS of CPU time in total spread evenly over
 * NPROC processes: its children (MODE "ignore") or its grandchildren through a double fork whose
 * middle process exits at once (MODE "double"). Each burner reports its own CPU time through a
 * pipe; the parent prints the sum with its own as "cpu=SECONDS".
 * Usage: calib_reaped SECONDS NPROC ignore|double */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void burn_and_report(double seconds, int fd)
{
	volatile unsigned long x = 0;
	char line[64];
	int len;

	while (cpu_now() < seconds)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i * 2654435761u;
	len = snprintf(line, sizeof(line), "%.6f\n", cpu_now());
	if (write(fd, line, (size_t)len) != len)
		_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	double total, share, sum = 0;
	int n, fds[2], dbl;
	FILE *in;
	char line[64];

	if (argc != 4 || (total = strtod(argv[1], NULL)) < 0 || (n = (int)strtol(argv[2], NULL, 10)) < 1 ||
	    (strcmp(argv[3], "ignore") && strcmp(argv[3], "double"))) {
		fprintf(stderr, "usage: calib_reaped SECONDS NPROC ignore|double\n");
		return 2;
	}
	dbl = !strcmp(argv[3], "double");
	share = total / n;
	signal(SIGCHLD, SIG_IGN);
	if (pipe(fds) < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			close(fds[0]);
			if (dbl) {
				pid_t g = fork();
				if (g < 0)
					_exit(1);
				if (g > 0)
					_exit(0); /* the grandchild is an orphan now */
			}
			burn_and_report(share, fds[1]);
		}
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	for (int i = 0; in && i < n && fgets(line, sizeof(line), in); i++)
		sum += strtod(line, NULL);
	printf("cpu=%.6f\n", sum + cpu_now());
	return 0;
}
