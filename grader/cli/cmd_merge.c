/* cmd_merge.c: `grader merge`: learners' reports into one grade sheet (CSV), summary.h's sheet. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli/cli.h"
#include "fs.h"
#include "summary.h"
#include "banned.h"

static void help(FILE *f)
{
	fprintf(f, "Usage: grader merge [--out FILE] PATH...\n\n"
		   "Writes one grade sheet (CSV) from learners' reports: the grades.csv of 'grader\n"
		   "summary' alone. A PATH is a report.json, or a reports folder holding\n"
		   "<learner>/report.json (as 'grader batch' leaves it); several folders (shards) are\n"
		   "merged. Columns: learner, points, max_points, percent, passed, reason,\n"
		   "graded_commit_late, later_commits, penalty, commit, options, errors, then the points\n"
		   "of each exercise and of each check (ex4.build), rounded to the rubric's precision.\n"
		   "Rows are sorted by learner; see 'grader summary --help' for the columns.\n\n"
		   "Options:\n"
		   "  -o, --out FILE   write the CSV to FILE (atomically) instead of standard output\n"
		   "  -h, --help       this help\n\n"
		   "Exit status: 0 when every report was read; 2 when a path is not a readable report\n"
		   "(the rows of the good ones are still written), or when the reports are refused: a\n"
		   "learner twice, or different spec ids, grader versions or spec digests (no sheet).\n");
}

int cli_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct buf csv = BUF_INIT, err = BUF_INIT;
	struct summary *s = NULL;
	enum summary_status st;
	const char *out = NULL;
	int c, rc = EXIT_GRADE_OK;

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
	s = summary_new();
	st = summary_read(s, argv + optind, argc - optind, &err);
	fputs(err.data, stderr);
	if (st != SUMMARY_OK)
		rc = EXIT_USAGE;
	if (st == SUMMARY_REFUSED)
		goto out;
	if (summary_csv(s, &csv) < 0) {
		fprintf(stderr, "grader merge: the grade sheet is too large\n");
		rc = EXIT_INFRA;
	} else if (out) {
		if (fs_write_atomic(out, csv.data, csv.len) < 0) {
			fprintf(stderr, "grader merge: cannot write %s: %s\n", out, strerror(errno));
			rc = EXIT_INFRA;
		}
	} else {
		fputs(csv.data, stdout);
	}
out:
	summary_free(s);
	buf_free(&csv);
	buf_free(&err);
	return rc;
}
