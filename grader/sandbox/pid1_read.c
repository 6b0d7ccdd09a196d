/* pid1_read.c: reads grader-pid1's lines (see pid1_read.h and pid1_proto.h). */
#include "sandbox/pid1_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/pid1_proto.h"

/* The number after " KEY" in a line (the key a whole word: "user_us=" is not "self_user_us="). */
static uint64_t field(const char *line, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = strstr(line, key); p; p = strstr(p + 1, key))
		if (p > line && p[-1] == ' ')
			return strtoull(p + len, NULL, 10);
	return 0;
}

/* One complete line, NUL-terminated in place of its newline. */
static void read_line(const char *line, struct pid1_report *r)
{
	if (!strcmp(line, PID1_READY)) {
		r->ready = true;
	} else if (!strncmp(line, PID1_SAMPLE " ", strlen(PID1_SAMPLE " "))) {
		r->live_cpu_us = field(line, PID1_CPU_US);
		r->tree_kb = field(line, PID1_TREE_KB);
		r->tasks = (long)field(line, PID1_TASKS);
	} else if (!strncmp(line, PID1_FINAL " ", strlen(PID1_FINAL " "))) {
		const char *k = strstr(line, PID1_KILLED);
		const char *why = k ? k + strlen(PID1_KILLED) : "";
		r->final_seen = true;
		r->status = (int)field(line, PID1_STATUS);
		r->main_done = field(line, PID1_DONE) != 0;
		r->user_us = field(line, PID1_USER_US);
		r->sys_us = field(line, PID1_SYS_US);
		r->maxrss_kb = field(line, PID1_MAXRSS_KB);
		r->self_kb = field(line, PID1_SELF_KB);
		r->tree_kb = field(line, PID1_TREE_KB);
		r->tasks = (long)field(line, PID1_TASKS);
		r->self_user_us = field(line, PID1_SELF_USER_US);
		r->self_sys_us = field(line, PID1_SELF_SYS_US);
		snprintf(r->killed, sizeof(r->killed), "%.*s", (int)strcspn(why, " \n"), why);
	}
}

void pid1_read(struct buf *pending, const char *chunk, size_t n, struct pid1_report *r)
{
	char *start, *nl;
	size_t used = 0;

	if (n)
		buf_append(pending, chunk, n);
	start = pending->data;
	while (used < pending->len && (nl = memchr(start, '\n', pending->len - used))) {
		*nl = '\0';
		read_line(start, r);
		used += (size_t)(nl - start) + 1;
		start = nl + 1;
	}
	if (used) {
		size_t rest = pending->len - used;
		memmove(pending->data, pending->data + used, rest);
		buf_setlen(pending, rest);
	}
	if (pending->len > PID1_READ_MAX_PENDING)
		buf_reset(pending);
}
