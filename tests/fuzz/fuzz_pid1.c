/* fuzz_pid1.c: the reader of grader-pid1's lines (pid1_read.h), fed in chunks as poll() delivers
 * them: the first byte seeds the chunk sizes, the rest is the stream. The same stream read whole
 * must give the same figures (a line cut between two reads is still one line). */
#include "fuzz.h"

#include "sandbox/pid1_read.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pid1_report whole = {0}, parts = {0};
	struct buf pw = BUF_INIT, pp = BUF_INIT;
	unsigned seed;
	size_t at = 0;

	if (size < 1)
		return 0;
	seed = data[0];
	data++;
	size--;
	pid1_read(&pw, (const char *)data, size, &whole);
	while (at < size) {
		size_t n;
		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 16) % 64;
		if (n > size - at)
			n = size - at;
		pid1_read(&pp, (const char *)data + at, n, &parts);
		FUZZ_ASSERT(pp.len <= PID1_READ_MAX_PENDING);
		at += n;
	}
	FUZZ_ASSERT(memchr(parts.killed, '\0', sizeof(parts.killed)));
	if (size <= PID1_READ_MAX_PENDING) { /* beyond it, where the cut falls decides what is dropped */
		FUZZ_ASSERT(whole.ready == parts.ready && whole.final_seen == parts.final_seen);
		FUZZ_ASSERT(whole.status == parts.status && whole.main_done == parts.main_done);
		FUZZ_ASSERT(whole.user_us == parts.user_us && whole.sys_us == parts.sys_us);
		FUZZ_ASSERT(whole.tree_kb == parts.tree_kb && whole.tasks == parts.tasks);
		FUZZ_ASSERT(whole.live_cpu_us == parts.live_cpu_us);
		FUZZ_ASSERT(!strcmp(whole.killed, parts.killed));
		FUZZ_ASSERT(pw.len == pp.len && !memcmp(pw.data, pp.data, pw.len));
	}
	buf_free(&pw);
	buf_free(&pp);
	return 0;
}
