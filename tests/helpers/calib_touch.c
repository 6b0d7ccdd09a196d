/* calib_touch.c: calibration workload: touches MIB mebibytes in total, spread evenly over NPROC
 * processes (the caller and NPROC-1 children) that all hold their memory at the same time for
 * HOLD_MS milliseconds, then exit. Prints "touched_mib=N". With MIB 0 it is the baseline of the
 * same tree. Usage: calib_touch MIB NPROC HOLD_MS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *touch(size_t bytes)
{
	char *p = bytes ? malloc(bytes) : NULL;

	for (size_t i = 0; p && i < bytes; i += 4096)
		p[i] = (char)(i | 1);
	return p;
}

int main(int argc, char **argv)
{
	long mib, n, hold;
	int ready[2], go[2];
	size_t share;
	char *mem, c;
	struct timespec ts;

	if (argc != 4 || (mib = strtol(argv[1], NULL, 10)) < 0 || (n = strtol(argv[2], NULL, 10)) < 1 ||
	    (hold = strtol(argv[3], NULL, 10)) < 0) {
		fprintf(stderr, "usage: calib_touch MIB NPROC HOLD_MS\n");
		return 2;
	}
	share = (size_t)mib * (1u << 20) / (size_t)n;
	if (pipe(ready) < 0 || pipe(go) < 0)
		return 1;
	for (long i = 1; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			close(go[1]);
			mem = touch(share);
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			if (read(go[0], &c, 1) < 0) /* EOF when the parent is done holding */
				_exit(1);
			_exit(mem || !share ? 0 : 1);
		}
	}
	close(go[0]);
	mem = touch(share);
	for (long i = 1; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			return 1;
	ts.tv_sec = hold / 1000;
	ts.tv_nsec = (hold % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	close(go[1]);
	while (wait(NULL) > 0)
		;
	printf("touched_mib=%ld\n", mib);
	return mem || !share ? 0 : 1;
}
