/* cmd_version.c: `grader version`: the grader's version and those of the libraries it runs with. */
#include <cjson/cJSON.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "cli/cli.h"
#include "fs.h"
#include "version.h"
#include "banned.h"

/* bwrap is a program, not a library: ask it. It is trusted system software, run directly. */
static void bwrap_version(struct buf *out)
{
	char *path = fs_which("bwrap");
	FILE *p;
	char line[128] = "";

	if (!path) {
		buf_puts(out, "not found");
		return;
	}
	free(path);
	/* A fixed command line, found through PATH as every bwrap the grader starts.
	 * NOLINTNEXTLINE(cert-env33-c) */
	p = popen("bwrap --version 2>/dev/null", "r");
	if (p && fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		buf_puts(out, strncmp(line, "bubblewrap ", 11) ? line : line + 11);
	} else {
		buf_puts(out, "unknown");
	}
	if (p)
		pclose(p);
}

int cli_version(int argc, char **argv)
{
	int major, minor, rev;
	struct buf bw = BUF_INIT;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: grader version\n\nPrints the grader's version and the versions of libgit2,\n"
		       "libyaml, cJSON and bubblewrap that it finds at run time.\n\n%s",
		       cli_exit_help);
		return EXIT_GRADE_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "grader version: unexpected argument '%s'\n", argv[1]);
		return EXIT_USAGE;
	}
	git_libgit2_version(&major, &minor, &rev);
	bwrap_version(&bw);
	printf("grader %s\nlibgit2 %d.%d.%d\nlibyaml %s\ncJSON %s\nbubblewrap %s\n", GRADER_VERSION,
	       major, minor, rev, yaml_get_version_string(), cJSON_Version(), bw.data);
	buf_free(&bw);
	return EXIT_GRADE_OK;
}
