/* fuzz.h: what the libFuzzer harnesses (tests/fuzz/fuzz_*.c) share: the repository's root, to find
 * the chapter's specs and catalogs wherever the harness is started, and a check that stops the
 * run with a message (a crash libFuzzer keeps) when a promise of an interface does not hold.
 * Header only, static functions: each harness is one translation unit. */
#ifndef GRADER_FUZZ_H
#define GRADER_FUZZ_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run (libFuzzer saves the input) when `cond` is false. */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: promise broken: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The repository: $GRADER_ROOT, else three levels above the harness (build/fuzz/bin/NAME). */
__attribute__((unused)) static const char *fuzz_root(void)
{
	static char root[PATH_MAX];
	const char *env = getenv("GRADER_ROOT");

	if (root[0])
		return root;
	if (env && *env) {
		snprintf(root, sizeof(root), "%s", env);
	} else {
		ssize_t n = readlink("/proc/self/exe", root, sizeof(root) - 1);
		if (n <= 0) {
			fprintf(stderr, "fuzz: cannot find the repository: set GRADER_ROOT\n");
			exit(2);
		}
		root[n] = '\0';
		for (int up = 0; up < 4; up++) {
			char *slash = strrchr(root, '/');
			if (slash)
				*slash = '\0';
		}
	}
	return root;
}

/* ROOT/rel into `out`, which the caller frees; exits when the file is not there. */
__attribute__((unused)) static void fuzz_path(struct buf *out, const char *rel)
{
	buf_reset(out);
	buf_printf(out, "%s/%s", fuzz_root(), rel);
	if (access(out->data, R_OK) != 0) {
		fprintf(stderr, "fuzz: %s is missing (GRADER_ROOT=%s)\n", out->data, fuzz_root());
		exit(2);
	}
}

#endif
