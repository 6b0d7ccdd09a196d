/* internal.h: private to grader/sandbox/ and not an interface: the types and functions that the
 * sandbox's files (sandbox.c, run.c, profile.c, cgroup.c, uid.c, hostcmd.c, strv.c) share. Nothing
 * outside grader/sandbox/ includes it; the sandbox's interface is sandbox.h. */
#ifndef GRADER_SANDBOX_INTERNAL_H
#define GRADER_SANDBOX_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "sandbox/sandbox.h"

#define PID1_INSIDE "/.grader-pid1" /* where the measurer is bound in every sandbox */
/* As root, the uid and gid every sandboxed program runs as on the host (nobody/nogroup). */
#define SANDBOX_UID 65534
#define SANDBOX_GID 65534
/* Where the forked child, as root and in a mount namespace of its own, mounts the bind sources
 * that the sandbox's uid may not reach on the host (see struct stage). bwrap mounts its own tmpfs
 * over /tmp and finds these under its old root. */
#define STAGE_DIR "/tmp"

/* A growable NULL-terminated vector of malloc'ed strings (argv, envp). */
struct strv {
	char **v;
	size_t n, cap;
};

/* A sandbox profile, loaded from sandboxes/NAME.yaml (profile.c). */
struct profile {
	char *name;
	char **ro; /* host paths bound read-only at the same place; must exist */
	size_t nro;
	char **ro_try; /* the same, skipped when missing */
	size_t nro_try;
	struct strv env; /* "NAME=value" */
	bool python, rust, proc, dev;
	struct sandbox_limits limits;
};

/* This worker's cgroups (cgroup.c). */
struct cgroups {
	char *mem, *pids, *cpu, *kill; /* this worker's directories; kill is a v2 dir with cgroup.kill */
	int mem_version, cpu_version;  /* 1 or 2 */
	int procs_fd[4];               /* open cgroup.procs files: cg_enter writes the measurer in */
	int nprocs;
	uint64_t set_mem, set_pids; /* limits currently written, to skip rewriting them */
};

/* One worker's sandbox (sandbox.h): opened and closed in sandbox.c, used by run.c. */
struct sandbox {
	struct profile *profiles;
	size_t nprofiles;
	char *bwrap, *pid1;
	char *py_prefix, *py_bindir, *py_prefix2; /* base_prefix, dirname(executable), venv prefix */
	char *rust_sysroot;
	char *py_version, *rustc_version, *cargo_version; /* what each says of its version, one line */
	struct buf py_why, rust_why;                      /* why a tool was not found */
	bool use_cgroups;
	struct buf no_cgroup_why;
	struct cgroups cg;
	int netns_fd; /* this worker's empty network namespace, or -1 (see make_netns) */
	bool drop;    /* root: programs run as SANDBOX_UID, bind sources are staged */
	int idmap_fd; /* see make_idmap_userns, or -1 */
};

/* ---- strv.c: string vectors ---- */

/* Appends a copy of `str`. */
void strv_push(struct strv *s, const char *str);
/* Appends a formatted string. */
__attribute__((format(printf, 2, 3))) void strv_pushf(struct strv *s, const char *fmt, ...);
/* Sets NAME=value in an environment vector, replacing an earlier entry of the same name. */
void strv_setenv(struct strv *s, const char *entry);
/* Frees every string and the vector, and zeroes it. */
void strv_free(struct strv *s);

/* ---- uid.c: the sandbox's uid (when the grader is root) ---- */

/* Bind sources of one run, as root: the child opens each (it may sit under /root, mode 700, or a
 * temporary directory of mode 700), mounts a tmpfs at STAGE_DIR in a mount namespace of its own
 * and binds each source at STAGE_DIR/sN, where the sandbox's uid can reach it, before it drops
 * root and runs bwrap. Nothing on the host is loosened; the staging mounts die with bwrap. All
 * strings and the fd array are allocated before the fork. */
struct stage {
	const char **host;
	bool *ro;
	struct strv inside; /* STAGE_DIR/sN */
	int *fd;            /* in the child: a detached copy of the source (open_tree) */
	size_t n, cap;
	int idmap_fd; /* a user namespace mapping uid/gid 0 to the sandbox's, or -1 */
};

/* Adds a source; returns where bwrap finds it (a string of st->inside). */
const char *stage_add(struct stage *st, const char *host, bool ro);
/* Frees the staged sources and resets `st` (idmap_fd to -1; the fd itself is the sandbox's). */
void stage_free(struct stage *st);
/* A user namespace whose only mapping is uid 0 and gid 0 to the sandbox's uid and gid (an fd of
 * it, for idmapped read-only binds), or -1 when the kernel cannot (the binds are then plain). */
int make_idmap_userns(void);
/* In a forked child, as root: stages `st` (NULL: nothing to stage) in a private mount namespace,
 * then takes the sandbox's uid and gid. Only system calls. Returns -1 with errno set. */
int drop_to_sandbox_user(struct stage *st);
/* Before a run as root: gives the sandbox's uid what the run may write (`dir`, recursively).
 * Returns -1 with the reason in `why`. */
int own_for_sandbox(const char *dir, struct buf *why);
/* After a run: clears set-user-ID and set-group-ID bits under `dir`. */
void strip_setid(const char *dir);

/* ---- hostcmd.c: host commands (python3, rustc), run once at open, outside any sandbox ---- */

/* Fills sb->py_prefix, py_bindir, py_prefix2 and py_version, or says in sb->py_why why not. */
void find_python(struct sandbox *sb);
/* Fills sb->rust_sysroot, rustc_version and cargo_version (`SYSROOT/bin/rustc -V` and
 * `cargo -V`, the toolchain's own binaries, not rustup's proxies), or says in sb->rust_why why not. */
void find_rust(struct sandbox *sb);

/* ---- profile.c: sandbox profiles (sandboxes/NAME.yaml) ---- */

/* Loads every NAME.yaml of `dir` into sb->profiles, sorted by name. Returns -1 with the errors
 * (file:line:column: …) appended to `err`; what was loaded is then still freed by
 * sandbox_close. */
int load_profiles(struct sandbox *sb, const char *dir, struct buf *err);
/* Frees what a profile holds (not the struct). */
void profile_free(struct profile *p);
/* The profile of that name, or NULL (also for a NULL name). */
const struct profile *find_profile(const struct sandbox *sb, const char *name);

/* ---- cgroup.c: this worker's cgroups (v1, v2 or hybrid) ---- */

/* Figures read around one run. */
struct cg_snap {
	uint64_t usage_us, user_us, sys_us, oom_kills;
};

/* Creates this worker's cgroups beneath the grader's own, or beneath $GRADER_CGROUP (a cgroup v2
 * directory delegated to the grader's user) when set. Returns -1 with the reason in `why`. */
int cg_open(struct cgroups *cg, const struct sandbox *sb, struct buf *why);
/* Kills what is left in the cgroups, removes them and frees `cg`. */
void cg_close(struct cgroups *cg);
/* Kills every process in the worker's cgroups and waits (up to 2 s) until they are gone. */
void cg_kill_all(struct cgroups *cg);
/* Writes cgroup.kill (when there is a v2 directory with one) and returns at once. */
void cg_kill(const struct cgroups *cg);
/* Moves a process (the measurer, by its pid here) into every cgroup of the worker. Returns -1
 * with the reason in `why`. */
int cg_enter(struct cgroups *cg, pid_t pid, struct buf *why);
/* Sets the limits and resets the peak before a run. Returns an fd to read memory.peak from (v2)
 * or -1 (v1); -2 when it fails, with the reason in `why`. */
int cg_prepare(struct cgroups *cg, const struct sandbox_limits *l, struct buf *why);
/* Reads the CPU and OOM counters. */
void cg_snapshot(const struct cgroups *cg, struct cg_snap *s);
/* The CPU time used in the cgroup so far, in microseconds. */
uint64_t cg_cpu_usage(const struct cgroups *cg);
/* The memory peak since cg_prepare, in bytes (`peak_fd` is what it returned). */
uint64_t cg_peak(const struct cgroups *cg, int peak_fd);

#endif
