/* pid1_read.h: the grader's side of grader-pid1's line protocol (pid1_proto.h): turns the bytes
 * the measurer wrote, as they arrive in chunks, into its latest figures. A pure function of the
 * bytes (no file, no process), so that it can be tested and fuzzed alone; run.c feeds it.
 * The bytes are untrusted: a program inside the sandbox cannot write to the measurer's channel,
 * but nothing here assumes the lines are well formed. Unknown lines are ignored, a missing field
 * reads 0, a number is taken as strtoull reads it. */
#ifndef GRADER_SANDBOX_PID1_READ_H
#define GRADER_SANDBOX_PID1_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Longest partial line kept between chunks: no line of the measurer is near this long. */
#define PID1_READ_MAX_PENDING 65536

/* The measurer's latest figures (pid1_proto.h says what each is). Start it zeroed. */
struct pid1_report {
	bool ready;      /* a `ready` line came */
	bool final_seen; /* a `final` line came: the fields below it are its */
	bool main_done;
	int status;
	uint64_t live_cpu_us; /* cpu_us= of the last `sample` */
	uint64_t user_us, sys_us, maxrss_kb, self_kb, tree_kb;
	uint64_t self_user_us, self_sys_us;
	long tasks;
	char killed[16]; /* the word after killed=, cut to fit; "" before a `final` line */
};

/* Appends `n` bytes of `chunk` to `pending` (the partial last line of earlier chunks), reads every
 * complete line into `r` and leaves only the partial last line in `pending`; a partial line longer
 * than PID1_READ_MAX_PENDING is dropped (it is not the measurer's). */
void pid1_read(struct buf *pending, const char *chunk, size_t n, struct pid1_report *r);

#endif
