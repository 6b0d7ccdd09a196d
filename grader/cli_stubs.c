/* cli_stubs.c: temporary placeholders, removed as each command lands. */
#include <stdio.h>
#include "cli.h"
#define STUB(fn, name) int fn(int argc, char **argv) { (void)argc; (void)argv; \
	fprintf(stderr, "grader %s: under construction\n", name); return EXIT_USAGE; }
STUB(cli_batch, "batch")
STUB(cli_merge, "merge")
