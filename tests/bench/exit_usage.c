/* tests/bench/exit_usage.c: an LD_PRELOAD library for tests/bench/batch.sh that records a
 * process's own peak memory when it exits, which no parent can read afterwards (the kernel frees
 * the memory map before the parent may wait; wait4's ru_maxrss is the maximum over the whole
 * process tree, children included).
 *
 * With BENCH_EXIT_USAGE=PATH in the environment, the process that loads it first removes
 * BENCH_EXIT_USAGE and LD_PRELOAD from its environment (so the programs it starts are not
 * measured), and at exit (exit() or a return from main, not _exit() or a signal) writes to PATH
 * one line: "VmHWM_kB VmPeak_kB open_fds", read from /proc/self. Errors are silent: a missing or
 * empty PATH tells the bench that the figure is missing. Build:
 *   cc -std=c11 -D_GNU_SOURCE -O2 -shared -fPIC -o exit_usage.so exit_usage.c */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char out_path[4096];

static long status_kb(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void __attribute__((constructor)) exit_usage_start(void)
{
	const char *p = getenv("BENCH_EXIT_USAGE");

	if (!p || strlen(p) >= sizeof(out_path))
		return;
	strcpy(out_path, p);
	unsetenv("BENCH_EXIT_USAGE");
	unsetenv("LD_PRELOAD");
}

static void __attribute__((destructor)) exit_usage_end(void)
{
	char status[8192];
	size_t len = 0;
	long fds = 0;
	FILE *f;
	DIR *d;

	if (!out_path[0])
		return;
	f = fopen("/proc/self/status", "r");
	if (!f)
		return;
	len = fread(status, 1, sizeof(status) - 1, f);
	fclose(f);
	status[len] = '\0';
	d = opendir("/proc/self/fd");
	if (d) {
		for (struct dirent *e; (e = readdir(d));)
			if (e->d_name[0] != '.')
				fds++;
		closedir(d);
		fds--; /* the directory stream's own descriptor */
	}
	f = fopen(out_path, "w");
	if (!f)
		return;
	fprintf(f, "%ld %ld %ld\n", status_kb(status, "VmHWM:"), status_kb(status, "VmPeak:"), fds);
	fclose(f);
}
