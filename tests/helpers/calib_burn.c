/* calib_burn.c: calibration workload: burns SECONDS of CPU time in total, spread evenly over NPROC
 * processes (the caller and NPROC-1 children), then prints the CPU time it really used
 * (user+sys of itself and its reaped children) as "cpu=SECONDS". Usage: calib_burn SECONDS NPROC */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void burn(double seconds)
{
	volatile unsigned long x = 0;

	while (cpu_now() < seconds)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i * 2654435761u;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	double total, share;
	int n;
	struct rusage self, kids;

	if (argc != 3 || (total = strtod(argv[1], NULL)) < 0 || (n = (int)strtol(argv[2], NULL, 10)) < 1) {
		fprintf(stderr, "usage: calib_burn SECONDS NPROC\n");
		return 2;
	}
	share = total / n;
	for (int i = 1; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			burn(share);
			_exit(0);
		}
	}
	burn(share);
	while (wait(NULL) > 0)
		;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	printf("cpu=%.6f\n", tv(self.ru_utime) + tv(self.ru_stime) + tv(kids.ru_utime) + tv(kids.ru_stime));
	return 0;
}
