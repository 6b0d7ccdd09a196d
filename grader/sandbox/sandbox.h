/* sandbox.h: runs one untrusted program under bubblewrap with limits, and measures it.
 *
 * Nothing else in the grader knows bwrap's flags or cgroup files. A `struct sandbox` belongs to one
 * worker (one thread or process): it holds the loaded profiles and the per-worker cgroups that are
 * reused from run to run (their counters are reset before each run). Two workers never share one.
 *
 * Failures are split as isolate does: the program's own (time, memory, output, exit status,
 * signal) are verdicts in `struct sandbox_result`; the sandbox's own (bwrap could not start, a
 * profile is broken) are SANDBOX_ERROR with a message, never blamed on the learner.
 *
 * Identity: when the grader is root, programs run as uid and gid 65534 (nobody/nogroup) on the
 * host, never as root. sandbox_run() itself gives the work directory and the writable binds to
 * that uid before each run (recursively, symbolic links not followed) and clears set-user-ID and
 * set-group-ID bits there after it, so callers need not care; read-only binds are readable
 * whatever their owner and mode (see docs/sandbox.md). When not root, programs run as the
 * grader's own user and nothing is chowned.
 *
 * CPU time: with cgroups, the cgroup's own figure, which counts every process of the tree
 * (children reaped by the kernel included) and nothing of bubblewrap's set-up, minus the PID-1
 * measurer's own sampling; in the fallback, the larger of the measurer's RUSAGE_CHILDREN and its
 * per-process samples (docs/sandbox.md).
 *
 * Peak memory: one definition in both methods, measured by the PID-1 measurer. For one process,
 * its peak resident set, every page it maps whoever loaded it first (ru_maxrss, what
 * `/usr/bin/time -v` reports); for a tree, its resident pages at the sampled peak with each page
 * counted once, as near as /proc tells (grader/sandbox/grader-pid1.c, docs/performance.md). With
 * cgroups, the cgroup's own peak (what the memory limit is enforced on) is a second figure. */
#ifndef GRADER_SANDBOX_H
#define GRADER_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

enum sandbox_verdict {
	SANDBOX_OK,            /* exited with status 0 within every limit */
	SANDBOX_TIME_LIMIT,    /* cpu or wall limit; `limit` says which */
	SANDBOX_MEMORY_LIMIT,  /* peak memory reached the limit or the kernel's OOM killer struck */
	SANDBOX_OUTPUT_LIMIT,  /* stdout+stderr or a written file exceeded its limit */
	SANDBOX_RUNTIME_ERROR, /* non-zero exit status or killed by a signal */
	SANDBOX_ERROR,         /* the sandbox itself failed: infrastructure, not the program */
};

/* Limits of one run. A zero field means "the profile's default". */
struct sandbox_limits {
	double wall;        /* seconds of wall-clock time */
	double cpu;         /* seconds of user+system CPU time of the whole process tree */
	uint64_t memory;    /* bytes: with cgroups, of the cgroup's peak (tmpfs files count too);
			     * in the fallback, of the measurer's sampled tree figure */
	uint64_t output;    /* bytes of stdout+stderr kept; more is an output_limit verdict */
	uint64_t file_size; /* bytes of one file the program writes (RLIMIT_FSIZE) */
	uint64_t tmp_size;  /* bytes of the private /tmp tmpfs */
	int pids;           /* processes and threads alive at once */
};

/* A host path made visible inside the sandbox. */
struct sandbox_bind {
	const char *host;   /* absolute path on the host */
	const char *inside; /* absolute path inside the sandbox */
	bool writable;
};

struct sandbox_request {
	const char *profile;     /* name of a profile in the profiles directory, e.g. "rust-run" */
	const char *const *argv; /* NULL-terminated; argv[0] resolved inside the sandbox */
	const char *workdir;     /* host scratch directory, bound writable at /work and the cwd;
				       * as root, chowned to the sandbox's uid before the run */
	const struct sandbox_bind *binds; /* extra binds (e.g. the submission read-only at /submission) */
	int nbinds;
	const char *const *env;       /* extra "NAME=value" entries added to the profile's fresh env */
	const char *stdin_path;       /* host file fed as stdin; NULL means /dev/null */
	struct sandbox_limits limits; /* overrides of the profile's limits */
	bool pin_cpu;                 /* run the whole tree on one CPU only (timed runs) ... */
	int cpu;                      /* ... this one (0-based) */
};

struct sandbox_result {
	enum sandbox_verdict verdict;
	const char *limit;    /* for TIME_LIMIT: "cpu" or "wall"; for OUTPUT_LIMIT: "output" or "file";
				 * "pids" with RUNTIME_ERROR when the process limit stopped it */
	double limit_value;   /* the limit that was hit, in its unit: seconds (cpu, wall), bytes
				 * (memory, output, file) or a count (pids); 0 for any other verdict */
	int exit_code;        /* when it exited normally, else -1 */
	int signal;           /* the signal that killed it, else 0 */
	double cpu;           /* seconds, user+system, whole tree */
	double user, sys;     /* seconds */
	double wall;          /* seconds */
	uint64_t peak_memory; /* bytes, whole tree, the same definition in every method (above) */
	uint64_t cgroup_peak; /* bytes: the memory cgroup's peak (what the memory limit is enforced on); 0 without cgroups */
	const char *method; /* how cpu and memory were measured, e.g. "cgroup-v1", "cgroup-v2", "rusage-pid1" */
	bool oom_killed;
	struct buf out, err; /* captured stdout and stderr, at most limits.output bytes together */
	bool out_truncated, err_truncated;
	struct buf message; /* for SANDBOX_ERROR: what failed; otherwise a short human summary */
	uint64_t out_total, err_total; /* bytes the program wrote to stdout/stderr, kept or not */
	int tasks_peak; /* most processes+threads alive at once in the measurer's samples (every
				 * 10 ms, both methods); 0 when no sample saw the program */
};

/* An empty result, as a declaration's initialiser, for a result that a path may free or read
 * before sandbox_run() fills it. */
/* clang-format off */
#define SANDBOX_RESULT_INIT {.exit_code = -1, .out = BUF_INIT, .err = BUF_INIT, .message = BUF_INIT}
/* clang-format on */

/* Options of sandbox_open_with(). A zeroed struct means what sandbox_open() does. */
struct sandbox_options {
	/* Measure with the fallback (the PID-1 measurer's rusage and samples) even where cgroups
	 * could be created. The environment variable GRADER_SANDBOX_METHOD=rusage-pid1 does the
	 * same for sandbox_open(). */
	bool no_cgroups;
	/* Path of the static measuring init `grader-pid1`. NULL means $GRADER_PID1, else the file
	 * `grader-pid1` beside the running executable. */
	const char *pid1;
};

/* Opens a sandbox for one worker, loading every profile in `profiles_dir` (sandboxes/NAME.yaml).
 * `state_dir` is a directory private to this worker for its scratch state. Returns NULL and puts
 * the reason in `err` when bwrap is missing, user namespaces are forbidden or a profile is invalid;
 * *cls (when not NULL) then says whose fault it is: ERROR_CONFIG for an invalid profile or
 * GRADER_SANDBOX_METHOD, ERROR_INFRA for the rest (error.h). */
struct sandbox *sandbox_open(const char *profiles_dir, const char *state_dir, enum error_class *cls,
			     struct buf *err);
/* sandbox_open() with options (NULL is the same as a zeroed struct). */
struct sandbox *sandbox_open_with(const char *profiles_dir, const char *state_dir,
				  const struct sandbox_options *opt, enum error_class *cls, struct buf *err);
/* How this sandbox measures: "cgroup-v1", "cgroup-v2" or "rusage-pid1". For the fallback, *why
 * (when not NULL) gets the reason cgroups are not used; otherwise "". */
const char *sandbox_method(const struct sandbox *sb, const char **why);
/* Whether a profile of that name was loaded. */
/* What the tools the profiles bind say of their versions, one line each ("3.11.2 (main, …)",
 * "rustc 1.95.0 (…)", "cargo 1.95.0 (…)"), or NULL for a tool no profile uses or that was not
 * found. Borrowed from `sb`. */
void sandbox_toolchain(const struct sandbox *sb, const char **python, const char **rustc, const char **cargo);
/* The same versions as a sandbox opened now would find, for profiles that bind both tools,
 * without opening one (no bwrap, no profiles): three strings to free, each NULL when the tool is
 * not found. `grader batch` takes them once for its workers' reuse decision (session.h). */
void sandbox_probe_toolchain(char **python, char **rustc, char **cargo);
bool sandbox_has_profile(const struct sandbox *sb, const char *name);
/* Runs one program. Returns 0 when the run happened (whatever its verdict, including
 * SANDBOX_ERROR with `res->message` set); -1 only on a programming error (bad request). Either
 * way `res` is overwritten first (free an earlier result before) and its buffers `out`, `err` and
 * `message` are initialised (buf_init): their `data` is never NULL afterwards. */
int sandbox_run(struct sandbox *sb, const struct sandbox_request *req, struct sandbox_result *res);
/* Frees the buffers of a result (the struct itself is the caller's). */
void sandbox_result_free(struct sandbox_result *res);
/* Removes the worker's cgroups and frees everything. NULL is fine. */
void sandbox_close(struct sandbox *sb);
/* "ok", "time_limit", … as written in reports. */
const char *sandbox_verdict_name(enum sandbox_verdict v);

#endif
