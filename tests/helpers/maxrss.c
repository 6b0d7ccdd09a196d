/* maxrss.c: runs a program and prints its peak resident set as the kernel keeps it, the figure
 * `/usr/bin/time -v` reports as "Maximum resident set size": the ru_maxrss that wait4() returns
 * for the child, in kB, on stderr as "maxrss_kb=N". Used by tests/e2e/sandbox_calib.sh where
 * /usr/bin/time is missing. This program is small: a child's ru_maxrss is at least the resident
 * set of the process it was forked from. Exits with the program's status (125 when it could not
 * run it). Usage: maxrss PROGRAM ARGS... */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	pid_t pid;
	int st;

	if (argc < 2) {
		fprintf(stderr, "usage: maxrss PROGRAM ARGS...\n");
		return 125;
	}
	pid = fork();
	if (pid < 0) {
		perror("maxrss: fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("maxrss: exec");
		_exit(125);
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("maxrss: wait4");
		return 125;
	}
	fprintf(stderr, "maxrss_kb=%ld\n", ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 125;
}
