/* pid1_proto.h: the protocol of grader-pid1, the measuring init that runs as PID 1 of every run:
 * its command line, and the lines it writes to the grader. Shared by grader-pid1.c (the writer, a
 * static program compiled on its own) and run.c (the reader), so that the two cannot drift: both
 * spell every word and field name with the macros below. Only macros: nothing to link.
 *
 * Command line (built by run.c, parsed by grader-pid1's main):
 *
 *   grader-pid1 RESULT_FD GO_FD SAMPLE_MS CPU_MS MEM_BYTES PIDS -- COMMAND ARGS...
 *       RESULT_FD  where the lines below go;
 *       GO_FD      -1: start COMMAND at once; otherwise first write `ready` and wait for one byte
 *                  (PID1_GO) on it;
 *       SAMPLE_MS  the sampling period (0: no samples);
 *       CPU_MS, MEM_BYTES, PIDS  limits this measurer enforces from its samples (the fallback
 *                  without cgroups), PIDS also as the program's RLIMIT_NPROC; 0: not enforced.
 *   grader-pid1 --probe
 *       prints "ok\n" on stdout: proves that bubblewrap could create the namespaces.
 *
 * Lines on RESULT_FD: one line each, a word, then fields " NAME=VALUE" (each after one space;
 * numbers in decimal). The reader finds a field by its name after a space, so no name may end
 * another ("user_us=" is not "self_user_us="), and it takes WHY up to the next space or newline.
 *
 *   ready
 *       only with GO_FD >= 0, before anything else: it now waits for one byte on GO_FD before it
 *       starts the program. The grader moves it into the run's cgroups in between, so that
 *       bubblewrap's set-up stays outside the measured cgroup and everything the program does
 *       (and this measurer's sampling) is inside it.
 *   sample cpu_us=C tree_kb=K tasks=T
 *       after every sample (SAMPLE_MS > 0): C the best lower bound of the tree's CPU time so far
 *       (see "CPU time" in grader-pid1.c), K the highest tree figure sampled so far, T the most
 *       tasks seen at once.
 *   final status=S done=D user_us=U sys_us=Y maxrss_kb=M self_kb=H tree_kb=K tasks=T
 *         self_user_us=SU self_sys_us=SY killed=WHY
 *       once, at the end (killed= last):
 *       S    the wait status of the program's main process (as waitpid gives it), when D is 1;
 *       D    1 when the main process ended by itself, 0 when it was killed by this measurer;
 *       U, Y microseconds of user and system CPU time of the tree (see "CPU time" in
 *            grader-pid1.c);
 *       M    the largest ru_maxrss (kB) of any process reaped (RUSAGE_CHILDREN of PID 1);
 *       H    this program's own high-water mark (kB) at start: every child inherits it as its
 *            ru_maxrss floor, so an M at or below H says nothing;
 *       K    the highest tree figure (kB) of the samples (see "Memory" in grader-pid1.c); 0
 *            without samples;
 *       T    the most processes+threads alive at once in a sample; 0 without samples;
 *       SU, SY  this measurer's own user and system CPU time (microseconds) since the go: it
 *            samples inside the run's cgroup, so the grader subtracts it from the cgroup's CPU;
 *       WHY  none, cpu, memory or pids (a limit this measurer enforced), or request (SIGUSR1
 *            from the grader).
 *
 * When the grader stopped a run and the measurer died before its final line, the grader takes
 * the CPU time and the tree figure of the last sample line. */
#ifndef GRADER_SANDBOX_PID1_PROTO_H
#define GRADER_SANDBOX_PID1_PROTO_H

/* the command line */
#define PID1_PROBE "--probe"
#define PID1_PROBE_OK "ok\n"
#define PID1_GO "g" /* the byte the grader sends on GO_FD */

/* the first word of each line */
#define PID1_READY "ready"
#define PID1_SAMPLE "sample"
#define PID1_FINAL "final"

/* field names, with their '=' */
#define PID1_STATUS "status="
#define PID1_DONE "done="
#define PID1_CPU_US "cpu_us="
#define PID1_USER_US "user_us="
#define PID1_SYS_US "sys_us="
#define PID1_MAXRSS_KB "maxrss_kb="
#define PID1_SELF_KB "self_kb="
#define PID1_TREE_KB "tree_kb="
#define PID1_TASKS "tasks="
#define PID1_SELF_USER_US "self_user_us="
#define PID1_SELF_SYS_US "self_sys_us="
#define PID1_KILLED "killed="

/* the values of killed= */
#define PID1_KILLED_NONE "none"
#define PID1_KILLED_CPU "cpu"
#define PID1_KILLED_MEMORY "memory"
#define PID1_KILLED_PIDS "pids"
#define PID1_KILLED_REQUEST "request"

/* The lines, as grader-pid1 formats them (its arguments in this order). */
#define PID1_READY_LINE PID1_READY "\n"
#define PID1_SAMPLE_FMT PID1_SAMPLE " " PID1_CPU_US "%llu " PID1_TREE_KB "%llu " PID1_TASKS "%ld\n"
#define PID1_FINAL_FMT                                                                                \
	PID1_FINAL " " PID1_STATUS "%d " PID1_DONE "%d " PID1_USER_US "%llu " PID1_SYS_US             \
		   "%llu " PID1_MAXRSS_KB "%ld " PID1_SELF_KB "%llu " PID1_TREE_KB "%llu " PID1_TASKS \
		   "%ld " PID1_SELF_USER_US "%llu " PID1_SELF_SYS_US "%llu " PID1_KILLED "%s\n"

#endif
