/* grader-pid1.c: the measuring init that the sandbox runs as PID 1 inside bubblewrap's namespaces.
 *
 * Built as a small static program (no shared libraries to bind, a tiny resident set that a child
 * inherits as its ru_maxrss floor). It starts the program, reaps every process of the namespace
 * (orphans come to PID 1), kills whatever is left when the program's main process ends, and
 * reports its figures to the grader in lines on RESULT_FD. The command line and the lines are
 * documented in sandbox/pid1_proto.h, shared with the grader's reader (run.c).
 *
 * Memory. The peak of a single process is its ru_maxrss: every page it maps and has resident,
 * whoever loaded it first (the "Maximum resident set size" of `/usr/bin/time -v`). For a tree,
 * each sample (every SAMPLE_MS) takes a tree figure of the processes of the namespace but this
 * one: with one process, its resident set (/proc/PID/stat); with several, from
 * /proc/PID/smaps_rollup of each, the private pages of every process (Private_Clean +
 * Private_Dirty: mapped by that process only) + the shared pages (Rss - private) of the one
 * process that has the most. For a pool of workers forked from one interpreter that is the
 * interpreter's Rss plus what each worker made its own. Pages that two processes share but the
 * chosen one does not map are missed (a lower bound). smaps_rollup costs time in proportion to
 * the tree's size, so it is rationed (see tree_figure); samples in between take the largest
 * process's resident set, a lower bound too. The grader's figure is the larger of K and M (when
 * M > H): a single process's peak is exact, and a tree's peak between two samples is caught when
 * one process made it. With MEM_BYTES > 0 this measurer kills the tree when a sample's figure
 * reaches it (the fallback when cgroups are unavailable). Swapped-out pages are not counted (the
 * cgroups forbid swap).
 *
 * CPU time. Each sample also reads every process's CPU time and counts its tasks (threads); with
 * CPU_MS > 0 or PIDS > 0 it enforces those limits from the samples (the fallback). RUSAGE_CHILDREN
 * of PID 1 holds every process that was waited for by its parent, up a chain of waits to PID 1; a
 * process whose parent ignores SIGCHLD (or set SA_NOCLDWAIT) is reaped by the kernel and its time
 * reaches no one. So the samples also remember, for every process seen (keyed by pid and start
 * time, so a reused pid is another process), the last figure of its own CPU time (utime+stime of
 * its thread group, or the nanosecond run time of its main thread when that is larger); a process
 * that vanishes keeps its last figure, and this process samples its own zombie children once more
 * just before it reaps them. Both sums are lower bounds of the true CPU time of the tree;
 * `user_us`/`sys_us` report the larger. The sum of samples misses, for each process that nobody
 * waited for, what it ran after its last sample (at most SAMPLE_MS each): a tree of many
 * auto-reaped processes each shorter than SAMPLE_MS can hide CPU time from this fallback, not
 * from the cgroup method.
 *
 * SIGUSR1 from outside the namespace (the grader) ends the run early with a final line; from
 * inside it is ignored. The measurer is not dumpable, so the program (same uid, no capabilities)
 * can neither ptrace it nor open its /proc files to forge figures.
 *
 * Usage (see sandbox/pid1_proto.h):
 *        grader-pid1 RESULT_FD GO_FD SAMPLE_MS CPU_MS MEM_BYTES PIDS -- COMMAND ARGS...
 *        grader-pid1 --probe */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/pid1_proto.h"
#include "../banned.h"

struct sample {
	uint64_t tree_kb; /* the tree figure of live processes (see "Memory" in the top comment) */
	uint64_t cpu_us;  /* best lower bound of the tree's CPU time so far (see the top comment) */
	long tasks;       /* threads of live processes */
};

/* The last figure of one process's own CPU time. */
struct proc_cpu {
	long pid;
	uint64_t start; /* start time in clock ticks: tells a reused pid from the old one */
	uint64_t user_us, sys_us;
	uint64_t rss_kb; /* resident kB in this sample (/proc/PID/stat) */
};

/* Processes seen by the previous sample (sorted by pid), this sample's, and the sum of the last
 * figures of every process that has vanished since the run began. */
static struct proc_cpu *prev, *cur;
static size_t nprev, ncur, cap_prev, cap_cur;
static uint64_t dead_user_us, dead_sys_us;
/* The highest tree figure and task count of every sample taken. */
static struct sample peak;

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

/* The number after "\nKEY" in smaps_rollup text, in kB; 0 when absent. */
static uint64_t kb_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/* Resident and private (mapped by this process only) kB of one process, from smaps_rollup; 0 and
 * 0 when it is gone or has no memory. The kernel walks the process's page tables for it: about
 * 5 us per MiB resident here, so the samples ration it (see take_sample). */
static void mem_of(long pid, uint64_t *rss_kb, uint64_t *private_kb)
{
	char path[300], text[2048];

	*rss_kb = *private_kb = 0;
	snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", pid);
	if (read_small(path, text, sizeof(text)) < 0)
		return;
	*rss_kb = kb_after(text, "\nRss:");
	*private_kb = kb_after(text, "\nPrivate_Clean:") + kb_after(text, "\nPrivate_Dirty:");
	if (*private_kb > *rss_kb)
		*private_kb = *rss_kb;
}

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Figures of one process from /proc/PID/stat (times in clock ticks). */
struct stat_line {
	uint64_t utime, stime, cutime, cstime, start;
	uint64_t rss; /* resident pages: the kernel's counters, those ru_maxrss keeps the
				 * high-water mark of, cheap to read whatever the size */
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
		case 14:
			st->utime = v;
			break;
		case 15:
			st->stime = v;
			break;
		case 16:
			st->cutime = v;
			break;
		case 17:
			st->cstime = v;
			break;
		case 20:
			st->threads = strtol(tok, NULL, 10);
			break;
		case 22:
			st->start = v;
			break;
		case 24:
			st->rss = v;
			break;
		default:
			break;
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

/* The tree figure of the processes of this sample (`cur`). Each process's Rss alone is a lower
 * bound of the tree's resident pages counted once, and the exact figure for one process. With
 * several processes, a full figure reads smaps_rollup of each: every process's private pages plus
 * the shared pages of the one that has the most. Its cost grows with the tree's size (about 5 us
 * per resident MiB here), so it is taken only when it can tell something new: when the processes
 * or the sum of their resident sets changed (by over 256 kB) since the last one, or a second has
 * passed (a worker that writes to pages it shares changes no resident set); and at most at
 * 1/FULL_RATION of this measurer's CPU: after one that cost C of CPU time, the next waits
 * FULL_RATION * C, but never more than FULL_WAIT_MS (a peak that lasts longer is seen: a tree of
 * 200 MiB that grows is read fully every 25 ms or so; one of 1 GiB, every 40 ms at some 12% of
 * one CPU while it changes). */
#define FULL_RATION 20
#define FULL_WAIT_MS 40
static uint64_t tree_figure(void)
{
	static uint64_t next_full_ns, last_full_ns, full_sum_kb, full_figure_kb;
	static size_t full_n;
	uint64_t largest = 0, sum_kb = 0, private_kb = 0, most_shared_kb = 0, now, cpu0, diff, kept_kb;

	for (size_t i = 0; i < ncur; i++) {
		sum_kb += cur[i].rss_kb;
		if (cur[i].rss_kb > largest)
			largest = cur[i].rss_kb;
	}
	if (ncur < 2)
		return largest;
	/* the last full figure still holds for the same processes, not shrunk */
	if (last_full_ns && ncur == full_n && sum_kb + 256 >= full_sum_kb && full_figure_kb > largest)
		kept_kb = full_figure_kb;
	else
		kept_kb = largest;
	now = clock_ns(CLOCK_MONOTONIC);
	if (now < next_full_ns)
		return kept_kb;
	diff = sum_kb > full_sum_kb ? sum_kb - full_sum_kb : full_sum_kb - sum_kb;
	if (last_full_ns && ncur == full_n && diff <= 256 && now - last_full_ns < 1000000000u)
		return kept_kb; /* nothing new to see */
	cpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	for (size_t i = 0; i < ncur; i++) {
		uint64_t rss_kb, priv_kb;
		mem_of(cur[i].pid, &rss_kb, &priv_kb);
		private_kb += priv_kb;
		if (rss_kb - priv_kb > most_shared_kb)
			most_shared_kb = rss_kb - priv_kb;
	}
	cpu0 = FULL_RATION * (clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0);
	next_full_ns = now + (cpu0 < FULL_WAIT_MS * 1000000u ? cpu0 : FULL_WAIT_MS * 1000000u);
	last_full_ns = now;
	full_sum_kb = sum_kb;
	full_n = ncur;
	full_figure_kb = private_kb + most_shared_kb;
	return full_figure_kb > largest ? full_figure_kb : largest;
}

static void take_sample(struct sample *s, uint64_t reaped_us)
{
	static DIR *d; /* kept open from sample to sample, and read again from its start */
	struct dirent *e;
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t tick_us = 1000000 / (uint64_t)(hz > 0 ? hz : 100), waited_us = reaped_us;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t own_us = 0, page_kb = (uint64_t)(page > 0 ? page : 4096) / 1024;
	struct proc_cpu *swap;
	size_t cap_swap;

	memset(s, 0, sizeof(*s));
	if (!d)
		d = opendir("/proc");
	else
		rewinddir(d);
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
		pc.rss_kb = st.rss * page_kb;
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
	s->tree_kb = tree_figure();
	if (s->tree_kb > peak.tree_kb)
		peak.tree_kb = s->tree_kb;
	if (s->tasks > peak.tasks)
		peak.tasks = s->tasks;
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

static int64_t elapsed_ns(const struct timespec *from, const struct timespec *to)
{
	return (int64_t)(to->tv_sec - from->tv_sec) * 1000000000 + (to->tv_nsec - from->tv_nsec);
}

/* Reaps every child that has ended. With sampling on, first samples once more (when the last
 * sample is older than 1 ms) so that the zombies' final figures are in the samples. */
static void reap(pid_t main_pid, int *main_status, int *main_done, uint64_t sample_ms, struct sample *s,
		 struct timespec *last)
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
		if (elapsed_ns(last, &now) > 1000000) {
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

/* One run as this measurer sees it: its command line (sandbox/pid1_proto.h) and what it learns. */
struct run {
	int rfd;
	uint64_t sample_ms, cpu_ms, mem_bytes, pids;
	pid_t child; /* the program's main process */
	int main_status, main_done;
	const char *killed;   /* PID1_KILLED_* */
	struct sample s;      /* the latest sample */
	struct timespec last; /* when it was taken */
};

/* Whether the kernel counts RLIMIT_NPROC per user namespace (Linux 5.14 and later). Before, it
 * counted every process of the uid on the host: a limit fit for one run would fail the forks of
 * another run of the same uid (as root, every run is uid 65534). */
static bool nproc_per_userns(void)
{
	struct utsname u;
	unsigned long major, minor;
	char *end;

	if (uname(&u) < 0)
		return false;
	errno = 0;
	major = strtoul(u.release, &end, 10);
	if (errno || end == u.release || *end != '.')
		return false;
	minor = strtoul(end + 1, &end, 10);
	if (errno)
		return false;
	return major > 5 || (major == 5 && minor >= 14);
}

/* Forks the program (argv[0] and on) with default signal dispositions and no blocked signal.
 * With PIDS > 0 (the fallback: no cgroup's pids.max), the program gets RLIMIT_NPROC = PIDS + 1.
 * The kernel counts that limit per user namespace and uid (Linux 5.14 and later): here, the tasks
 * of this run's user namespace, this measurer included, and no other process of the host's user.
 * So a fork or thread bomb gets EAGAIN at PIDS tasks, as under a cgroup, instead of outrunning
 * the samples (a bomb of busy processes also starves this measurer of CPU). Returns its pid, or -1. */
static pid_t start_program(char **argv, uint64_t pids)
{
	pid_t child = fork();
	char line[512];

	if (child != 0)
		return child;
	if (pids && nproc_per_userns()) {
		struct rlimit nproc = {(rlim_t)pids + 1, (rlim_t)pids + 1};
		if (setrlimit(RLIMIT_NPROC, &nproc) < 0) {
			snprintf(line, sizeof(line), "grader-pid1: cannot limit the tasks to %llu: %s\n",
				 (unsigned long long)pids, strerror(errno));
			put_line(2, line);
			_exit(127);
		}
	}
	{
		struct sigaction dfl;
		sigset_t none;

		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		for (int sig = 1; sig < NSIG; sig++)
			sigaction(sig, &dfl, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
	}
	execvp(argv[0], argv);
	snprintf(line, sizeof(line), "grader-pid1: cannot run '%s': %s\n", argv[0], strerror(errno));
	put_line(2, line);
	_exit(127);
}

/* Takes a sample and reports it; returns true when it shows a limit this measurer enforces. */
static bool sample_and_check(struct run *r)
{
	char line[512];

	take_sample(&r->s, children_us());
	clock_gettime(CLOCK_MONOTONIC, &r->last);
	snprintf(line, sizeof(line), PID1_SAMPLE_FMT, (unsigned long long)r->s.cpu_us,
		 (unsigned long long)peak.tree_kb, peak.tasks);
	put_line(r->rfd, line);
	if (r->cpu_ms && r->s.cpu_us >= r->cpu_ms * 1000)
		r->killed = PID1_KILLED_CPU;
	else if (r->mem_bytes && r->s.tree_kb * 1024 >= r->mem_bytes)
		r->killed = PID1_KILLED_MEMORY;
	else if (r->pids && (uint64_t)r->s.tasks > r->pids)
		r->killed = PID1_KILLED_PIDS;
	return strcmp(r->killed, PID1_KILLED_NONE) != 0;
}

/* Waits for the program's main process to end, reaping and sampling, until it ends, a limit is
 * reached or the grader asks for a stop (SIGUSR1; `set` holds SIGCHLD and SIGUSR1, blocked). */
static void measure(struct run *r, const sigset_t *set)
{
	/* the first sample one period after the start: a program that ends sooner costs none */
	clock_gettime(CLOCK_MONOTONIC, &r->last);
	for (;;) {
		struct timespec ts, now;
		siginfo_t info;
		int64_t wait_ns;
		int sig;

		reap(r->child, &r->main_status, &r->main_done, r->sample_ms, &r->s, &r->last);
		if (r->main_done)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		wait_ns = r->sample_ms * 1000000 - elapsed_ns(&r->last, &now);
		if (r->sample_ms && wait_ns <= 0) {
			/* at most one sample per SAMPLE_MS, however often children end */
			if (sample_and_check(r))
				break;
			wait_ns = (int64_t)r->sample_ms * 1000000;
		}
		if (!r->sample_ms)
			wait_ns = 1000000000;
		ts.tv_sec = (time_t)(wait_ns / 1000000000);
		ts.tv_nsec = (long)(wait_ns % 1000000000);
		sig = sigtimedwait(set, &info, &ts);
		/* the grader is outside our PID namespace: its pid shows as 0 here */
		if (sig == SIGUSR1 && info.si_pid == 0) {
			r->killed = PID1_KILLED_REQUEST;
			break;
		}
	}
}

/* Takes the last figures, kills and reaps whatever is left and writes the final line. */
static void finish(struct run *r, uint64_t self_kb, const struct rusage *self_go)
{
	uint64_t user_us, sys_us, s_user, s_sys;
	struct rusage ru, self_end;
	char line[512];
	int st;

	/* The last figures of what is still running, before it is killed (unless the sample taken
	 * as the main process was reaped has them). */
	if (r->sample_ms) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!r->main_done || elapsed_ns(&r->last, &now) > 1000000)
			take_sample(&r->s, children_us());
	}
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
	getrusage(RUSAGE_SELF, &self_end);
	snprintf(line, sizeof(line), PID1_FINAL_FMT, r->main_status, r->main_done,
		 (unsigned long long)user_us, (unsigned long long)sys_us, ru.ru_maxrss,
		 (unsigned long long)self_kb, (unsigned long long)peak.tree_kb, peak.tasks,
		 (unsigned long long)(tv_us(self_end.ru_utime) - tv_us(self_go->ru_utime)),
		 (unsigned long long)(tv_us(self_end.ru_stime) - tv_us(self_go->ru_stime)), r->killed);
	put_line(r->rfd, line);
}

int main(int argc, char **argv)
{
	struct run r = {.killed = PID1_KILLED_NONE};
	int go_fd;
	sigset_t set;
	struct rusage self_go;
	uint64_t self_kb;

	if (argc == 2 && !strcmp(argv[1], PID1_PROBE)) {
		put_line(1, PID1_PROBE_OK);
		return 0;
	}
	if (argc < 9 || strcmp(argv[7], "--") || parse_fd(argv[1], &r.rfd) || r.rfd < 0 ||
	    parse_fd(argv[2], &go_fd) || parse_u64(argv[3], &r.sample_ms) || parse_u64(argv[4], &r.cpu_ms) ||
	    parse_u64(argv[5], &r.mem_bytes) || parse_u64(argv[6], &r.pids)) {
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
	sigprocmask(SIG_BLOCK, &set, NULL);
	self_kb = self_hwm_kb();

	if (go_fd >= 0) {
		char go;
		ssize_t n;

		put_line(r.rfd, PID1_READY_LINE);
		while ((n = read(go_fd, &go, 1)) < 0 && errno == EINTR)
			;
		close(go_fd);
		if (n != 1)
			return 125; /* the grader gave up on this run */
	}

	/* From here on this measurer's own CPU time is charged to the run's cgroup (when there is
	 * one): it is reported so that the grader can take it out. */
	getrusage(RUSAGE_SELF, &self_go);
	r.child = start_program(argv + 8, r.pids);
	if (r.child < 0) {
		put_line(2, "grader-pid1: fork failed\n");
		return 125;
	}
	measure(&r, &set);
	finish(&r, self_kb, &self_go);
	return 0;
}
