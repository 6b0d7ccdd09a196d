/* grader-pid1.c: the measuring init that the sandbox runs as PID 1 inside bubblewrap's namespaces.
 *
 * Built as a small static program (no shared libraries to bind, a tiny resident set that a child
 * inherits as its ru_maxrss floor). It starts the program, reaps every process of the namespace
 * (orphans come to PID 1), kills whatever is left when the program's main process ends, and writes
 * one line of figures to RESULT_FD:
 *
 *   final status=S user_us=U sys_us=Y maxrss_kb=M self_kb=H sampled_kb=P tasks=T killed=WHY
 *
 * `maxrss_kb` is the largest ru_maxrss of any reaped process; `self_kb` is this program's own
 * high-water mark, which every child inherits as a floor (so a maxrss at or below it says
 * nothing). With SAMPLE_MS > 0 it also samples, every SAMPLE_MS, the proportional set size of
 * all processes (the tree's memory without counting shared pages twice), their CPU time and their
 * task count, writes "sample ..." lines, and enforces CPU_MS, MEM_BYTES and PIDS itself (the
 * fallback when cgroups are unavailable). SIGUSR1 from outside the namespace (the grader) ends the
 * run early with a final line; from inside it is ignored. The measurer is not dumpable, so the
 * program (same uid, no capabilities) can neither ptrace it nor open its /proc files to forge
 * figures.
 *
 * Usage: grader-pid1 RESULT_FD SAMPLE_MS CPU_MS MEM_BYTES PIDS -- COMMAND ARGS...
 *        grader-pid1 --probe        (prints "ok"; used to check that namespaces work) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../banned.h"

struct sample {
	uint64_t pss_kb;   /* sum of Pss over live processes */
	uint64_t cpu_us;   /* user+sys of live processes and of the children they reaped */
	long tasks;        /* threads of live processes */
};

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static void put_line(int fd, const char *line)
{
	size_t len = strlen(line), off = 0;

	while (off < len) {
		ssize_t n = write(fd, line + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

static int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t len = 0;

	if (fd < 0)
		return -1;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return 0;
}

/* Pss of one process in kB, from smaps_rollup; 0 when it is gone or has no memory. */
static uint64_t pss_of(const char *pid)
{
	char path[300], text[2048], *p;
	uint64_t kb = 0;

	snprintf(path, sizeof(path), "/proc/%s/smaps_rollup", pid);
	if (read_small(path, text, sizeof(text)) < 0)
		return 0;
	p = strstr(text, "\nPss:");
	if (p)
		kb = strtoull(p + 5, NULL, 10);
	return kb;
}

/* utime+stime+cutime+cstime (in clock ticks) and the thread count of one process. */
static int stat_of(const char *pid, uint64_t *ticks, long *threads)
{
	char path[300], text[1024], *p, *save = NULL;
	int field = 2;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (read_small(path, text, sizeof(text)) < 0)
		return -1;
	p = strrchr(text, ')'); /* the command name may hold spaces and parentheses */
	if (!p)
		return -1;
	*ticks = 0;
	*threads = 1;
	for (char *tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		field++;
		if (field >= 14 && field <= 17)
			*ticks += strtoull(tok, NULL, 10);
		else if (field == 20)
			*threads = strtol(tok, NULL, 10);
	}
	return 0;
}

static void take_sample(struct sample *s)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long hz = sysconf(_SC_CLK_TCK);

	memset(s, 0, sizeof(*s));
	if (!d)
		return;
	while ((e = readdir(d))) {
		uint64_t ticks;
		long threads;

		if (e->d_name[0] < '1' || e->d_name[0] > '9' || !strcmp(e->d_name, "1"))
			continue;
		if (stat_of(e->d_name, &ticks, &threads) < 0)
			continue;
		s->cpu_us += ticks * 1000000 / (uint64_t)(hz > 0 ? hz : 100);
		s->tasks += threads;
		s->pss_kb += pss_of(e->d_name);
	}
	closedir(d);
}

static uint64_t tv_us(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
}

static uint64_t self_hwm_kb(void)
{
	char text[4096], *p;

	if (read_small("/proc/self/status", text, sizeof(text)) < 0)
		return 0;
	p = strstr(text, "VmHWM:");
	return p ? strtoull(p + 6, NULL, 10) : 0;
}

static void reap(pid_t main_pid, int *main_status, int *main_done)
{
	int st;
	pid_t w;

	while ((w = waitpid(-1, &st, WNOHANG | __WALL)) > 0)
		if (w == main_pid) {
			*main_status = st;
			*main_done = 1;
		}
}

int main(int argc, char **argv)
{
	uint64_t fd64, sample_ms, cpu_ms, mem_bytes, pids;
	int rfd, main_status = 0, main_done = 0, st;
	const char *killed = "none";
	sigset_t set, old;
	pid_t child;
	struct sample s, peak = {0, 0, 0};
	struct rusage ru;
	char line[512];
	uint64_t self_kb;

	if (argc == 2 && !strcmp(argv[1], "--probe")) {
		put_line(1, "ok\n");
		return 0;
	}
	if (argc < 8 || strcmp(argv[6], "--") || parse_u64(argv[1], &fd64) || fd64 > 65535 ||
	    parse_u64(argv[2], &sample_ms) || parse_u64(argv[3], &cpu_ms) ||
	    parse_u64(argv[4], &mem_bytes) || parse_u64(argv[5], &pids)) {
		put_line(2, "usage: grader-pid1 RESULT_FD SAMPLE_MS CPU_MS MEM_BYTES PIDS -- CMD...\n");
		return 125;
	}
	rfd = (int)fd64;
	prctl(PR_SET_DUMPABLE, 0); /* reset for the program by its execve */
	/* Nothing but stdin, stdout and stderr may reach the program. */
	if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0)
		for (int fd = 3; fd < 1024; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	self_kb = self_hwm_kb();

	child = fork();
	if (child < 0) {
		put_line(2, "grader-pid1: fork failed\n");
		return 125;
	}
	if (child == 0) {
		struct sigaction dfl;

		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		for (int sig = 1; sig < NSIG; sig++)
			sigaction(sig, &dfl, NULL);
		sigemptyset(&old);
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(argv[7], argv + 7);
		snprintf(line, sizeof(line), "grader-pid1: cannot run '%s': %s\n", argv[7],
			 strerror(errno));
		put_line(2, line);
		_exit(127);
	}

	for (;;) {
		struct timespec ts;
		siginfo_t info;
		int sig;

		reap(child, &main_status, &main_done);
		if (main_done)
			break;
		if (sample_ms) {
			take_sample(&s);
			struct rusage cr;
			getrusage(RUSAGE_CHILDREN, &cr);
			s.cpu_us += tv_us(cr.ru_utime) + tv_us(cr.ru_stime);
			if (s.pss_kb > peak.pss_kb)
				peak.pss_kb = s.pss_kb;
			if (s.tasks > peak.tasks)
				peak.tasks = s.tasks;
			snprintf(line, sizeof(line), "sample cpu_us=%llu sampled_kb=%llu tasks=%ld\n",
				 (unsigned long long)s.cpu_us, (unsigned long long)peak.pss_kb, peak.tasks);
			put_line(rfd, line);
			if (cpu_ms && s.cpu_us >= cpu_ms * 1000)
				killed = "cpu";
			else if (mem_bytes && s.pss_kb * 1024 >= mem_bytes)
				killed = "memory";
			else if (pids && (uint64_t)s.tasks > pids)
				killed = "pids";
			if (strcmp(killed, "none"))
				break;
		}
		ts.tv_sec = sample_ms ? 0 : 1;
		ts.tv_nsec = sample_ms ? (long)(sample_ms % 1000) * 1000000L : 0;
		if (sample_ms >= 1000)
			ts.tv_sec = (time_t)(sample_ms / 1000);
		sig = sigtimedwait(&set, &info, &ts);
		/* the grader is outside our PID namespace: its pid shows as 0 here */
		if (sig == SIGUSR1 && info.si_pid == 0) {
			killed = "request";
			break;
		}
	}
	/* As PID 1 of the namespace, kill(-1) reaches every other process in it. */
	kill(-1, SIGKILL);
	while (waitpid(-1, &st, __WALL) > 0 || errno == EINTR)
		;
	getrusage(RUSAGE_CHILDREN, &ru);
	snprintf(line, sizeof(line),
		 "final status=%d done=%d user_us=%llu sys_us=%llu maxrss_kb=%ld self_kb=%llu "
		 "sampled_kb=%llu tasks=%ld killed=%s\n",
		 main_status, main_done, (unsigned long long)tv_us(ru.ru_utime),
		 (unsigned long long)tv_us(ru.ru_stime), ru.ru_maxrss, (unsigned long long)self_kb,
		 (unsigned long long)peak.pss_kb, peak.tasks, killed);
	put_line(rfd, line);
	return 0;
}
