/* grader-pid1.c: the measuring init that the sandbox runs as PID 1 inside bubblewrap's namespaces.
 *
 * Built as a small static program (no shared libraries to bind, a tiny resident set that a child
 * inherits as its ru_maxrss floor). It starts the program, reaps every process of the namespace
 * (orphans come to PID 1), kills whatever is left when the program's main process ends, and writes
 * one line of figures to RESULT_FD:
 *
 *   final status=S user_us=U sys_us=Y maxrss_kb=M self_kb=H sampled_kb=P tasks=T killed=WHY
 *
 * With GO_FD >= 0 it first writes "ready" to RESULT_FD and waits for one byte on GO_FD before it
 * starts the program: the grader moves it into the run's cgroups in between, so that bubblewrap's
 * set-up stays outside the measured cgroup and everything the program does is inside it.
 *
 * `maxrss_kb` is the largest ru_maxrss of any reaped process; `self_kb` is this program's own
 * high-water mark, which every child inherits as a floor (so a maxrss at or below it says
 * nothing). With SAMPLE_MS > 0 it also samples, every SAMPLE_MS, the proportional set size of
 * all processes (the tree's memory without counting shared pages twice), their CPU time and their
 * task count, writes "sample ..." lines, and enforces CPU_MS, MEM_BYTES and PIDS itself (the
 * fallback when cgroups are unavailable).
 *
 * CPU time without cgroups. RUSAGE_CHILDREN of PID 1 holds every process that was waited for by
 * its parent, up a chain of waits to PID 1; a process whose parent ignores SIGCHLD (or set
 * SA_NOCLDWAIT) is reaped by the kernel and its time reaches no one. So the samples also remember,
 * for every process seen (keyed by pid and start time, so a reused pid is another process), the
 * last figure of its own CPU time (utime+stime of its thread group, or the nanosecond run time of
 * its main thread when that is larger); a process that vanishes keeps its last figure, and this
 * process samples its own zombie children once more just before it reaps them. Both sums are
 * lower bounds of the true CPU time of the tree; `user_us`/`sys_us` report the larger. The sum
 * of samples misses, for each process that nobody waited for, what it ran after its last sample
 * (at most SAMPLE_MS each): a tree of many auto-reaped processes each shorter than SAMPLE_MS can
 * hide CPU time from this fallback, not from the cgroup method. SIGUSR1 from outside the namespace (the grader) ends the
 * run early with a final line; from inside it is ignored. The measurer is not dumpable, so the
 * program (same uid, no capabilities) can neither ptrace it nor open its /proc files to forge
 * figures.
 *
 * Usage: grader-pid1 RESULT_FD GO_FD SAMPLE_MS CPU_MS MEM_BYTES PIDS -- COMMAND ARGS...
 *        (GO_FD -1: start at once)
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
	uint64_t cpu_us;   /* best lower bound of the tree's CPU time so far (see the top comment) */
	long tasks;        /* threads of live processes */
};

/* The last figure of one process's own CPU time. */
struct proc_cpu {
	long pid;
	uint64_t start;         /* start time in clock ticks: tells a reused pid from the old one */
	uint64_t user_us, sys_us;
};

/* Processes seen by the previous sample (sorted by pid), this sample's, and the sum of the last
 * figures of every process that has vanished since the run began. */
static struct proc_cpu *prev, *cur;
static size_t nprev, ncur, cap_prev, cap_cur;
static uint64_t dead_user_us, dead_sys_us;

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

/* Figures of one process from /proc/PID/stat (times in clock ticks). */
struct stat_line {
	uint64_t utime, stime, cutime, cstime, start;
	long threads;
};

static int stat_of(const char *pid, struct stat_line *st)
{
	char path[300], text[1024], *p, *save = NULL;
	int field = 2;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (read_small(path, text, sizeof(text)) < 0)
		return -1;
	p = strrchr(text, ')'); /* the command name may hold spaces and parentheses */
	if (!p)
		return -1;
	memset(st, 0, sizeof(*st));
	st->threads = 1;
	for (char *tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		uint64_t v = strtoull(tok, NULL, 10);
		switch (++field) {
		case 14: st->utime = v; break;
		case 15: st->stime = v; break;
		case 16: st->cutime = v; break;
		case 17: st->cstime = v; break;
		case 20: st->threads = strtol(tok, NULL, 10); break;
		case 22: st->start = v; break;
		default: break;
		}
	}
	return 0;
}

/* Nanoseconds the main thread of a process has run (first field of /proc/PID/schedstat): finer
 * than the clock ticks of /proc/PID/stat. 0 when unavailable. */
static uint64_t sched_ns_of(const char *pid)
{
	char path[300], text[128];

	snprintf(path, sizeof(path), "/proc/%s/schedstat", pid);
	if (read_small(path, text, sizeof(text)) < 0)
		return 0;
	return strtoull(text, NULL, 10);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct proc_cpu *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static struct proc_cpu *find_cur(long pid)
{
	size_t lo = 0, hi = ncur;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cur[mid].pid == pid)
			return &cur[mid];
		if (cur[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void take_sample(struct sample *s, uint64_t reaped_us)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t tick_us = 1000000 / (uint64_t)(hz > 0 ? hz : 100), waited_us = reaped_us;
	uint64_t own_us = 0;
	struct proc_cpu *swap;
	size_t cap_swap;

	memset(s, 0, sizeof(*s));
	if (!d)
		return;
	ncur = 0;
	while ((e = readdir(d))) {
		struct stat_line st;
		struct proc_cpu pc;
		uint64_t ticks_us, run_us;

		if (e->d_name[0] < '1' || e->d_name[0] > '9' || !strcmp(e->d_name, "1"))
			continue;
		if (stat_of(e->d_name, &st) < 0)
			continue;
		s->tasks += st.threads;
		s->pss_kb += pss_of(e->d_name);
		waited_us += (st.utime + st.stime + st.cutime + st.cstime) * tick_us;
		pc.pid = strtol(e->d_name, NULL, 10);
		pc.start = st.start;
		pc.user_us = st.utime * tick_us;
		pc.sys_us = st.stime * tick_us;
		ticks_us = pc.user_us + pc.sys_us;
		run_us = sched_ns_of(e->d_name) / 1000; /* the main thread only: a lower bound too */
		if (run_us > ticks_us)
			pc.user_us += run_us - ticks_us; /* the ticks' rounding: mostly user time */
		if (ncur == cap_cur) {
			size_t cap = cap_cur ? cap_cur * 2 : 256;
			struct proc_cpu *v = realloc(cur, cap * sizeof(*v));
			if (!v)
				break;
			cur = v;
			cap_cur = cap;
		}
		cur[ncur++] = pc;
	}
	closedir(d);
	qsort(cur, ncur, sizeof(*cur), cmp_pid);
	/* A process of the last sample that is gone keeps its last figure; one still here never
	 * goes below it. */
	for (size_t i = 0; i < nprev; i++) {
		struct proc_cpu *now = find_cur(prev[i].pid);
		if (!now || now->start != prev[i].start) {
			dead_user_us += prev[i].user_us;
			dead_sys_us += prev[i].sys_us;
			continue;
		}
		if (now->user_us < prev[i].user_us)
			now->user_us = prev[i].user_us;
		if (now->sys_us < prev[i].sys_us)
			now->sys_us = prev[i].sys_us;
	}
	for (size_t i = 0; i < ncur; i++)
		own_us += cur[i].user_us + cur[i].sys_us;
	swap = prev;
	prev = cur;
	cur = swap;
	cap_swap = cap_prev;
	cap_prev = cap_cur;
	cap_cur = cap_swap;
	nprev = ncur;
	ncur = 0;
	own_us += dead_user_us + dead_sys_us;
	s->cpu_us = own_us > waited_us ? own_us : waited_us;
}

/* The sum of the last figures of every process seen by the samples, user and system. */
static void sampled_cpu(uint64_t *user_us, uint64_t *sys_us)
{
	*user_us = dead_user_us;
	*sys_us = dead_sys_us;
	for (size_t i = 0; i < nprev; i++) {
		*user_us += prev[i].user_us;
		*sys_us += prev[i].sys_us;
	}
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

static uint64_t children_us(void)
{
	struct rusage cr;

	getrusage(RUSAGE_CHILDREN, &cr);
	return tv_us(cr.ru_utime) + tv_us(cr.ru_stime);
}

/* Reaps every child that has ended. With sampling on, first samples once more (when the last
 * sample is older than 1 ms) so that the zombies' final figures are in the samples. */
static void reap(pid_t main_pid, int *main_status, int *main_done, uint64_t sample_ms,
		 struct sample *s, struct timespec *last)
{
	siginfo_t info;
	int st;
	pid_t w;

	memset(&info, 0, sizeof(info));
	if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0 || info.si_pid == 0)
		return;
	if (sample_ms) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - last->tv_sec) * 1000000000L + (now.tv_nsec - last->tv_nsec) > 1000000L) {
			take_sample(s, children_us());
			*last = now;
		}
	}
	while ((w = waitpid(-1, &st, WNOHANG | __WALL)) > 0)
		if (w == main_pid) {
			*main_status = st;
			*main_done = 1;
		}
}

/* Parses GO_FD: a descriptor number, or -1 for none. */
static int parse_fd(const char *s, int *fd)
{
	uint64_t v;

	if (!strcmp(s, "-1")) {
		*fd = -1;
		return 0;
	}
	if (parse_u64(s, &v) || v > 65535)
		return -1;
	*fd = (int)v;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t sample_ms, cpu_ms, mem_bytes, pids, user_us, sys_us, s_user, s_sys;
	int rfd, go_fd, main_status = 0, main_done = 0, st;
	const char *killed = "none";
	sigset_t set, old;
	pid_t child;
	struct sample s, peak = {0, 0, 0};
	struct rusage ru;
	struct timespec last = {0, 0};
	char line[512];
	uint64_t self_kb;

	if (argc == 2 && !strcmp(argv[1], "--probe")) {
		put_line(1, "ok\n");
		return 0;
	}
	if (argc < 9 || strcmp(argv[7], "--") || parse_fd(argv[1], &rfd) || rfd < 0 ||
	    parse_fd(argv[2], &go_fd) || parse_u64(argv[3], &sample_ms) ||
	    parse_u64(argv[4], &cpu_ms) || parse_u64(argv[5], &mem_bytes) || parse_u64(argv[6], &pids)) {
		put_line(2, "usage: grader-pid1 RESULT_FD GO_FD SAMPLE_MS CPU_MS MEM_BYTES PIDS -- CMD...\n");
		return 125;
	}
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

	if (go_fd >= 0) {
		char go;
		ssize_t n;

		put_line(rfd, "ready\n");
		while ((n = read(go_fd, &go, 1)) < 0 && errno == EINTR)
			;
		close(go_fd);
		if (n != 1)
			return 125; /* the grader gave up on this run */
	}

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
		execvp(argv[8], argv + 8);
		snprintf(line, sizeof(line), "grader-pid1: cannot run '%s': %s\n", argv[8],
			 strerror(errno));
		put_line(2, line);
		_exit(127);
	}

	for (;;) {
		struct timespec ts;
		siginfo_t info;
		int sig;

		reap(child, &main_status, &main_done, sample_ms, &s, &last);
		if (main_done)
			break;
		if (sample_ms) {
			take_sample(&s, children_us());
			clock_gettime(CLOCK_MONOTONIC, &last);
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
	/* The last figures of what is still running, before it is killed. */
	if (sample_ms)
		take_sample(&s, children_us());
	/* As PID 1 of the namespace, kill(-1) reaches every other process in it. */
	kill(-1, SIGKILL);
	while (waitpid(-1, &st, __WALL) > 0 || errno == EINTR)
		;
	getrusage(RUSAGE_CHILDREN, &ru);
	user_us = tv_us(ru.ru_utime);
	sys_us = tv_us(ru.ru_stime);
	sampled_cpu(&s_user, &s_sys);
	if (s_user + s_sys > user_us + sys_us) {
		/* some of the tree was reaped by the kernel, unseen by any wait */
		user_us = s_user;
		sys_us = s_sys;
	}
	snprintf(line, sizeof(line),
		 "final status=%d done=%d user_us=%llu sys_us=%llu maxrss_kb=%ld self_kb=%llu "
		 "sampled_kb=%llu tasks=%ld killed=%s\n",
		 main_status, main_done, (unsigned long long)user_us, (unsigned long long)sys_us,
		 ru.ru_maxrss, (unsigned long long)self_kb, (unsigned long long)peak.pss_kb, peak.tasks,
		 killed);
	put_line(rfd, line);
	return 0;
}
