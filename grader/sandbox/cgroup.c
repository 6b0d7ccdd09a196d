/* cgroup.c: this worker's cgroups (v1, v2 or the hybrid of both): finding the grader's own,
 * creating the worker's beneath them, setting limits, reading CPU time and peaks around a run. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "sandbox/internal.h"
#include "banned.h"

/* ---- small file helpers for cgroup files ---- */

static int write_str(const char *dir, const char *file, const char *val)
{
	struct buf p = BUF_INIT;
	int fd, rc = -1, saved;

	fs_join(&p, dir, file);
	fd = open(p.data, O_WRONLY | O_CLOEXEC);
	buf_free(&p);
	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) == (ssize_t)strlen(val))
		rc = 0;
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static int read_str(const char *dir, const char *file, struct buf *out)
{
	struct buf p = BUF_INIT;
	int rc;

	buf_reset(out);
	fs_join(&p, dir, file);
	rc = fs_read_file(p.data, 1 << 16, out);
	buf_free(&p);
	return rc;
}

/* The number after "key " at the start of a line of a flat-keyed file (cpu.stat, memory.events). */
static int read_key(const char *dir, const char *file, const char *key, uint64_t *out)
{
	struct buf b = BUF_INIT;
	const char *p;
	size_t kl = strlen(key);
	int rc = -1;

	if (read_str(dir, file, &b) == 0)
		for (p = b.data; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
			if (!strncmp(p, key, kl) && p[kl] == ' ') {
				*out = strtoull(p + kl + 1, NULL, 10);
				rc = 0;
				break;
			}
	buf_free(&b);
	return rc;
}

static int read_u64(const char *dir, const char *file, uint64_t *out)
{
	struct buf b = BUF_INIT;
	int rc = -1;

	if (read_str(dir, file, &b) == 0 && b.len) {
		*out = strtoull(b.data, NULL, 10);
		rc = 0;
	}
	buf_free(&b);
	return rc;
}

static int write_u64(const char *dir, const char *file, uint64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return write_str(dir, file, num);
}

/* ---- the worker's cgroups ---- */

struct mountinfo {
	char *v1_mem, *v1_pids, *v1_cpuacct, *v2; /* directories of this process's own cgroups */
};

/* The directory of this process's own cgroup in a hierarchy mounted at `mnt` whose mount root is
 * `mroot`, given the path from /proc/self/cgroup. */
static char *own_dir(const char *mnt, const char *mroot, const char *path)
{
	struct buf b = BUF_INIT;
	size_t rl = strlen(mroot);

	if (strcmp(mroot, "/") && !strncmp(path, mroot, rl) && (path[rl] == '/' || !path[rl]))
		path += rl;
	buf_printf(&b, "%s%s", mnt, !strcmp(path, "/") ? "" : path);
	return buf_detach(&b);
}

static bool has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, word, wl) && (p[wl] == ',' || !p[wl]))
			return true;
	return false;
}

static void find_cgroup_dirs(struct mountinfo *mi)
{
	struct buf cg = BUF_INIT, mnt = BUF_INIT;

	memset(mi, 0, sizeof(*mi));
	if (fs_read_file("/proc/self/cgroup", 1 << 16, &cg) < 0 ||
	    fs_read_file("/proc/self/mountinfo", 1 << 22, &mnt) < 0)
		goto out;
	for (char *line = mnt.data; line && *line;) {
		char *next = strchr(line, '\n');
		char root[1024], point[1024], fstype[64], super[1024];
		const char *dash;

		if (next)
			*next++ = '\0';
		dash = strstr(line, " - ");
		if (dash && sscanf(line, "%*s %*s %*s %1023s %1023s", root, point) == 2 &&
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, super) == 2) {
			/* match this mount's controllers with our line of /proc/self/cgroup */
			for (char *c = cg.data; c && *c; c = strchr(c, '\n') ? strchr(c, '\n') + 1 : NULL) {
				char ctrls[256], path[1024];
				if (sscanf(c, "%*[^:]:%255[^:]:%1023[^\n]", ctrls, path) != 2) {
					if (!strcmp(fstype, "cgroup2") && !strncmp(c, "0::", 3) && !mi->v2) {
						char p2[1024];
						if (sscanf(c, "0::%1023[^\n]", p2) == 1)
							mi->v2 = own_dir(point, root, p2);
					}
					continue;
				}
				if (strcmp(fstype, "cgroup"))
					continue;
				if (has_word(ctrls, "memory") && has_word(super, "memory") && !mi->v1_mem)
					mi->v1_mem = own_dir(point, root, path);
				if (has_word(ctrls, "pids") && has_word(super, "pids") && !mi->v1_pids)
					mi->v1_pids = own_dir(point, root, path);
				if (has_word(ctrls, "cpuacct") && has_word(super, "cpuacct") && !mi->v1_cpuacct)
					mi->v1_cpuacct = own_dir(point, root, path);
			}
		}
		line = next;
	}
out:
	buf_free(&cg);
	buf_free(&mnt);
}

static char *make_child(const char *parent, const char *name, struct buf *why)
{
	struct buf p = BUF_INIT;

	buf_printf(&p, "%s/%s", parent, name);
	if (mkdir(p.data, 0755) < 0 && !(errno == EEXIST && rmdir(p.data) == 0 && mkdir(p.data, 0755) == 0)) {
		buf_printf(why, "cannot create cgroup %s: %s", p.data, strerror(errno));
		buf_free(&p);
		return NULL;
	}
	return buf_detach(&p);
}

static bool cg_has(const char *dir, const char *file)
{
	struct buf p = BUF_INIT;
	bool yes;

	fs_join(&p, dir, file);
	yes = access(p.data, F_OK) == 0;
	buf_free(&p);
	return yes;
}

/* Kills every process in the worker's cgroups and waits (up to 2 s) until they are gone. */
void cg_kill_all(struct cgroups *cg)
{
	const char *dir = cg->pids ? cg->pids : cg->mem;
	double until = clock_now() + 2.0;

	for (int round = 0; dir; round++) {
		struct buf procs = BUF_INIT;
		bool any = false;

		if (cg->kill)
			write_str(cg->kill, "cgroup.kill", "1");
		if (read_str(dir, "cgroup.procs", &procs) < 0) {
			buf_free(&procs);
			return;
		}
		for (char *p = procs.data; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
			long pid = strtol(p, NULL, 10);
			if (pid > 0) {
				kill((pid_t)pid, SIGKILL);
				any = true;
			}
		}
		buf_free(&procs);
		if (!any || clock_now() > until)
			return;
		usleep(round < 10 ? 200 : 5000);
	}
}

void cg_kill(const struct cgroups *cg)
{
	if (cg->kill)
		write_str(cg->kill, "cgroup.kill", "1");
}

void cg_close(struct cgroups *cg)
{
	char *dirs[] = {cg->mem, cg->pids, cg->cpu, cg->kill};

	if (cg->mem || cg->pids)
		cg_kill_all(cg);
	for (int i = 0; i < cg->nprocs; i++)
		close(cg->procs_fd[i]);
	for (size_t i = 0; i < 4; i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= dirs[j] && dirs[i] && !strcmp(dirs[i], dirs[j]);
		if (dirs[i] && !dup)
			rmdir(dirs[i]);
	}
	free(cg->mem);
	if (cg->pids != cg->mem)
		free(cg->pids);
	if (cg->cpu != cg->mem && cg->cpu != cg->pids)
		free(cg->cpu);
	if (cg->kill != cg->mem && cg->kill != cg->pids && cg->kill != cg->cpu)
		free(cg->kill);
	memset(cg, 0, sizeof(*cg));
}

static int add_procs_fd(struct cgroups *cg, const char *dir, struct buf *why)
{
	struct buf p = BUF_INIT;
	int fd;

	fs_join(&p, dir, "cgroup.procs");
	fd = open(p.data, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(why, "cannot open %s: %s", p.data, strerror(errno));
		buf_free(&p);
		return -1;
	}
	buf_free(&p);
	cg->procs_fd[cg->nprocs++] = fd;
	return 0;
}

/* Moves a process (the measurer, by its pid here) into every cgroup of the worker. */
int cg_enter(struct cgroups *cg, pid_t pid, struct buf *why)
{
	char num[32];
	int len = snprintf(num, sizeof(num), "%d", (int)pid);

	for (int i = 0; i < cg->nprocs; i++)
		if (write(cg->procs_fd[i], num, (size_t)len) != len) {
			buf_printf(why, "cannot move the sandbox's measurer (pid %d) into its cgroups: %s",
				   (int)pid, strerror(errno));
			return -1;
		}
	return 0;
}

/* Removes the empty cgroups that a grader which died (killed, crashed) left beneath `parent`:
 * those named grader-PID-… whose PID no longer exists here. A cgroup that still holds processes
 * is left alone (rmdir refuses it): a parent such as the root of a v1 hierarchy may be shared
 * with other PID namespaces, whose processes are not ours to kill. */
static void cg_reap_stale(const char *parent)
{
	DIR *d;
	struct dirent *e;
	struct buf p = BUF_INIT;

	if (!parent || !(d = opendir(parent)))
		return;
	while ((e = readdir(d))) {
		int pid;
		unsigned long tag;
		/* The folders here are graders' own (grader-PID-TAG, cgroup.c); a name that does not
		 * parse is left alone. NOLINTNEXTLINE(cert-err34-c) */
		if (sscanf(e->d_name, "grader-%d-%lx", &pid, &tag) != 2 || pid <= 0 ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		fs_join(&p, parent, e->d_name);
		rmdir(p.data);
	}
	closedir(d);
	buf_free(&p);
}

/* Whether the directory `dir` is `top` or lies beneath it (both resolved). */
static bool beneath(const char *dir, const char *top)
{
	char *d = dir ? fs_realpath(dir) : NULL, *t = fs_realpath(top);
	size_t tl = t ? strlen(t) : 0;
	bool yes = d && t && !strncmp(d, t, tl) && (d[tl] == '/' || !d[tl]);

	free(d);
	free(t);
	return yes;
}

/* Whether a space-separated list of controllers (cgroup.controllers) holds `name`. */
static bool has_ctl(const char *list, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = list; p && *p; p += strcspn(p, " \n"), p += strspn(p, " \n"))
		if (!strncmp(p, name, nl) && (!p[nl] || p[nl] == ' ' || p[nl] == '\n'))
			return true;
	return false;
}

/* Pure cgroup v2: the worker's one cgroup beneath `parent`, with the memory and pids controllers
 * (and cpu where there is one: cpu.stat is there without it). They are enabled for the parent's
 * children one at a time, which the kernel refuses when the parent holds processes of its own:
 * a delegated cgroup must then be named with GRADER_CGROUP (docs/sandbox.md). Leaves cg->mem
 * NULL with the reason in `why` when it cannot. */
static void open_v2(struct cgroups *cg, const char *parent, const char *name, struct buf *why)
{
	static const char *const ctls[] = {"+memory", "+pids", "+cpu"};
	struct buf ctl = BUF_INIT;
	int enable_errno = 0;

	if (read_str(parent, "cgroup.controllers", &ctl) < 0) {
		buf_printf(why, "%s is not a cgroup v2 directory (no cgroup.controllers)", parent);
		buf_free(&ctl);
		return;
	}
	if (!has_ctl(ctl.data, "memory") || !has_ctl(ctl.data, "pids")) {
		while (ctl.len && ctl.data[ctl.len - 1] == '\n')
			buf_setlen(&ctl, ctl.len - 1);
		buf_printf(why, "the cgroup %s offers no memory or pids controller (cgroup.controllers: '%s')",
			   parent, ctl.data);
		buf_free(&ctl);
		return;
	}
	buf_free(&ctl);
	for (size_t i = 0; i < sizeof(ctls) / sizeof(*ctls); i++) {
		int rc = write_str(parent, "cgroup.subtree_control", ctls[i]);
		if (rc < 0 && i < 2 && !enable_errno) /* memory and pids are needed; cpu is optional */
			enable_errno = errno;
	}
	cg->mem = make_child(parent, name, why);
	if (cg->mem && (!cg_has(cg->mem, "memory.max") || !cg_has(cg->mem, "pids.max"))) {
		buf_printf(why, "the memory and pids controllers are not enabled in %s/cgroup.subtree_control (%s): the grader's cgroup must be delegated and hold no processes of its own, or GRADER_CGROUP must name such a cgroup",
			   parent, enable_errno ? strerror(enable_errno) : "not written");
		rmdir(cg->mem);
		free(cg->mem);
		cg->mem = NULL;
	}
	if (cg->mem) {
		cg->pids = cg->cpu = cg->kill = cg->mem;
		cg->mem_version = cg->cpu_version = 2;
	}
}

/* Creates this worker's cgroups beneath the grader's own, or beneath $GRADER_CGROUP (a delegated
 * cgroup v2 directory) when set. Returns -1 with the reason in `why`. */
int cg_open(struct cgroups *cg, const struct sandbox *sb, struct buf *why)
{
	const char *given = getenv("GRADER_CGROUP");
	struct mountinfo mi;
	char name[64];
	int rc = -1;

	memset(cg, 0, sizeof(*cg));
	snprintf(name, sizeof(name), "grader-%d-%lx", (int)getpid(), (unsigned long)(uintptr_t)sb);
	find_cgroup_dirs(&mi);
	cg_reap_stale(given && *given ? given : NULL);
	cg_reap_stale(mi.v1_mem);
	cg_reap_stale(mi.v1_pids);
	cg_reap_stale(mi.v1_cpuacct);
	cg_reap_stale(mi.v2);
	if (given && *given) {
		/* only the cgroup named: its failure is reported, not replaced by another hierarchy */
		if (geteuid() != 0 && !beneath(mi.v2, given))
			buf_printf(why, "GRADER_CGROUP=%s: the grader's own cgroup (%s) is not inside it, and a user may move the sandbox's processes only between cgroups below one whose cgroup.procs it may write",
				   given, mi.v2 ? mi.v2 : "none in cgroup v2");
		else
			open_v2(cg, given, name, why);
		goto given_only;
	}
	if (mi.v2 && cg_has(mi.v2, "cgroup.controllers")) {
		struct buf ctl = BUF_INIT;
		read_str(mi.v2, "cgroup.controllers", &ctl);
		if (has_ctl(ctl.data, "memory") && has_ctl(ctl.data, "pids"))
			open_v2(cg, mi.v2, name, why); /* pure v2 */
		buf_free(&ctl);
	}
	if (!cg->mem && mi.v1_mem) {
		buf_reset(why);
		cg->mem = make_child(mi.v1_mem, name, why);
		cg->mem_version = 1;
		if (cg->mem && mi.v1_pids)
			cg->pids = make_child(mi.v1_pids, name, why);
		if (cg->mem && mi.v2 && cg_has(mi.v2, "cgroup.procs")) {
			/* hybrid: the v2 hierarchy gives cpu.stat and cgroup.kill without controllers */
			cg->cpu = make_child(mi.v2, name, why);
			if (cg->cpu && !cg_has(cg->cpu, "cpu.stat")) {
				rmdir(cg->cpu);
				free(cg->cpu);
				cg->cpu = NULL;
			}
			if (cg->cpu) {
				cg->cpu_version = 2;
				if (cg_has(cg->cpu, "cgroup.kill"))
					cg->kill = cg->cpu;
			}
		}
		if (cg->mem && !cg->cpu && mi.v1_cpuacct) {
			cg->cpu = make_child(mi.v1_cpuacct, name, why);
			cg->cpu_version = 1;
		}
	}
given_only:
	if (!cg->mem && !why->len)
		buf_puts(why, "no cgroup hierarchy with a memory controller is mounted");
	if (!cg->mem || !cg->pids || !cg->cpu) {
		if (cg->mem && !why->len)
			buf_puts(why, "no pids controller or no CPU accounting cgroup");
		goto out;
	}
	if (add_procs_fd(cg, cg->mem, why) < 0 || (cg->pids != cg->mem && add_procs_fd(cg, cg->pids, why) < 0) ||
	    (cg->cpu != cg->mem && add_procs_fd(cg, cg->cpu, why) < 0))
		goto out;
	buf_reset(why);
	rc = 0;
out:
	if (rc < 0)
		cg_close(cg);
	free(mi.v1_mem);
	free(mi.v1_pids);
	free(mi.v1_cpuacct);
	free(mi.v2);
	return rc;
}

void cg_snapshot(const struct cgroups *cg, struct cg_snap *s)
{
	memset(s, 0, sizeof(*s));
	if (cg->cpu_version == 2) {
		read_key(cg->cpu, "cpu.stat", "usage_usec", &s->usage_us);
		read_key(cg->cpu, "cpu.stat", "user_usec", &s->user_us);
		read_key(cg->cpu, "cpu.stat", "system_usec", &s->sys_us);
	} else {
		uint64_t ns = 0, ut = 0, st = 0;
		long hz = sysconf(_SC_CLK_TCK);
		read_u64(cg->cpu, "cpuacct.usage", &ns);
		read_key(cg->cpu, "cpuacct.stat", "user", &ut);
		read_key(cg->cpu, "cpuacct.stat", "system", &st);
		s->usage_us = ns / 1000;
		s->user_us = ut * 1000000 / (uint64_t)(hz > 0 ? hz : 100);
		s->sys_us = st * 1000000 / (uint64_t)(hz > 0 ? hz : 100);
	}
	if (cg->mem_version == 2)
		read_key(cg->mem, "memory.events", "oom_kill", &s->oom_kills);
	else
		read_key(cg->mem, "memory.oom_control", "oom_kill", &s->oom_kills);
}

uint64_t cg_cpu_usage(const struct cgroups *cg)
{
	uint64_t v = 0;

	if (cg->cpu_version == 2)
		read_key(cg->cpu, "cpu.stat", "usage_usec", &v);
	else if (read_u64(cg->cpu, "cpuacct.usage", &v) == 0)
		v /= 1000;
	return v;
}

/* Sets the limits and resets the peak before a run. Returns an fd to read memory.peak from (v2)
 * or -1 (v1); -2 when it fails, with the reason in `why`. */
int cg_prepare(struct cgroups *cg, const struct sandbox_limits *l, struct buf *why)
{
	int peak_fd = -1;

	cg_kill_all(cg); /* a previous run's process may not be left in it */
	if (cg->mem_version == 1) {
		/* Drop page cache charged by earlier runs, so it does not count in this run's peak;
		 * it costs about 0.7 ms, so only when there is enough of it to matter. */
		uint64_t usage = 0;
		if (read_u64(cg->mem, "memory.usage_in_bytes", &usage) < 0 || usage > (1u << 20))
			write_str(cg->mem, "memory.force_empty", "0");
		if (cg->set_mem != l->memory) {
			bool memsw = cg_has(cg->mem, "memory.memsw.limit_in_bytes");
			if (memsw)
				write_str(cg->mem, "memory.memsw.limit_in_bytes", "-1");
			if (write_u64(cg->mem, "memory.limit_in_bytes", l->memory) < 0 ||
			    (memsw && write_u64(cg->mem, "memory.memsw.limit_in_bytes", l->memory) < 0)) {
				buf_printf(why, "cannot set the memory limit in %s: %s", cg->mem,
					   strerror(errno));
				return -2;
			}
			cg->set_mem = l->memory;
		}
		if (write_str(cg->mem, "memory.max_usage_in_bytes", "0") < 0) {
			buf_printf(why, "cannot reset the memory peak in %s: %s", cg->mem, strerror(errno));
			return -2;
		}
	} else {
		struct buf p = BUF_INIT;
		if (cg->set_mem != l->memory) {
			write_str(cg->mem, "memory.swap.max", "0");
			if (write_u64(cg->mem, "memory.max", l->memory) < 0) {
				buf_printf(why, "cannot set memory.max in %s: %s", cg->mem, strerror(errno));
				return -2;
			}
			cg->set_mem = l->memory;
		}
		fs_join(&p, cg->mem, "memory.peak");
		peak_fd = open(p.data, O_RDWR | O_CLOEXEC);
		buf_free(&p);
		if (peak_fd < 0 || write(peak_fd, "reset\n", 6) != 6) {
			buf_printf(why, "cannot reset %s/memory.peak (needs Linux 6.12 or later)", cg->mem);
			if (peak_fd >= 0)
				close(peak_fd);
			return -2;
		}
	}
	if (cg->set_pids != (uint64_t)l->pids) {
		if (write_u64(cg->pids, "pids.max", (uint64_t)l->pids) < 0) {
			buf_printf(why, "cannot set pids.max in %s: %s", cg->pids, strerror(errno));
			if (peak_fd >= 0)
				close(peak_fd);
			return -2;
		}
		cg->set_pids = (uint64_t)l->pids;
	}
	return peak_fd;
}

uint64_t cg_peak(const struct cgroups *cg, int peak_fd)
{
	uint64_t v = 0;

	if (cg->mem_version == 1) {
		read_u64(cg->mem, "memory.max_usage_in_bytes", &v);
	} else if (peak_fd >= 0) {
		char num[32];
		ssize_t n = pread(peak_fd, num, sizeof(num) - 1, 0);
		if (n > 0) {
			num[n] = '\0';
			v = strtoull(num, NULL, 10);
		}
	}
	return v;
}
