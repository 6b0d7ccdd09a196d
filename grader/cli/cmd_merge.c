/* cmd_merge.c: `grader merge`: learners' reports into one grade sheet (CSV). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli/cli.h"
#include "fs.h"
#include "report.h"
#include "banned.h"

static void help(FILE *f)
{
	fprintf(f, "Usage: grader merge [--out FILE] PATH...\n\n"
		   "Writes one grade sheet (CSV) from learners' reports. A PATH is a report.json, or a\n"
		   "reports folder holding <learner>/report.json (as 'grader batch' leaves it).\n"
		   "Columns: learner, points, max_points, percent, passed, late, late_seconds, commit,\n"
		   "errors, then the points of each exercise. Rows are sorted by learner.\n\n"
		   "Options:\n"
		   "  -o, --out FILE   write the CSV to FILE (atomically) instead of standard output\n"
		   "  -h, --help       this help\n\n"
		   "Exit status: 0 when every report was read; 2 when a path is not a readable report\n"
		   "(the rows of the good ones are still written).\n");
}

int cli_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct buf csv = BUF_INIT, err = BUF_INIT;
	const char *out = NULL;
	int c, n, rc = EXIT_GRADE_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'h') {
			help(stdout);
			return EXIT_GRADE_OK;
		} else {
			help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "grader merge: name at least one report or reports folder\n\n");
		help(stderr);
		return EXIT_USAGE;
	}
	n = report_merge_csv(argv + optind, argc - optind, &csv, &err);
	fputs(err.data, stderr);
	if (n < 0)
		rc = EXIT_USAGE;
	if (out) {
		if (fs_write_atomic(out, csv.data, csv.len) < 0) {
			fprintf(stderr, "grader merge: cannot write %s: %s\n", out, strerror(errno));
			rc = EXIT_INFRA;
		}
	} else {
		fputs(csv.data, stdout);
	}
	buf_free(&csv);
	buf_free(&err);
	return rc;
}
