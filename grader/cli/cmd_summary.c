/* cmd_summary.c: `grader summary`: a class's grade sheet, summary.json and class page (summary.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli/cli.h"
#include "fs.h"
#include "overrides.h"
#include "spec.h"
#include "summary.h"
#include "banned.h"

static void help(FILE *f)
{
	fprintf(f, "Usage: grader summary [--out DIR] [--overrides FILE [--spec DIR]] PATH...\n\n"
		   "Summarises a class from its learners' reports. A PATH is a report.json, or a reports\n"
		   "folder holding <learner>/report.json (as 'grader batch' leaves it); several folders\n"
		   "(the outputs of shards of one batch) are merged. Writes, each atomically:\n"
		   "  DIR/grades.csv    the grade sheet: one row per learner (sorted) with learner, points,\n"
		   "                    max_points, percent, passed, reason, graded_commit_late,\n"
		   "                    later_commits, penalty, commit, options, errors, then the points of\n"
		   "                    each exercise and of each check (ex4.build), rounded to the rubric's\n"
		   "                    precision; an empty cell is a field the report does not record;\n"
		   "                    last, overridden: the checks an instructor overrode (ex1.verified)\n"
		   "  DIR/summary.json  the class: pass counts and percent distribution, per check the\n"
		   "                    failures and their most common messages, measured speedups and\n"
		   "                    memory ratios, the names cited (reports/summary.schema.json)\n"
		   "  DIR/class.html    the class page\n"
		   "and prints the class size, how many passed, and the five most failed checks.\n\n"
		   "Refuses (exit 2) a learner present twice, and reports of different spec ids, grader\n"
		   "versions or spec digests: one summary is of one class graded one way.\n\n"
		   "Options:\n"
		   "  -o, --out DIR    where the files go (default: the first PATH when it is a folder,\n"
		   "                   so 'grader summary reports/' leaves them in reports/)\n"
		   "  --overrides FILE an instructor's overrides of checks (docs/review.md), applied\n"
		   "                   to every report as it is read (the report files are not changed;\n"
		   "                   'grader batch --overrides' writes them into the reports)\n"
		   "  --spec DIR       the chapter the overrides are checked against (default:\n"
		   "                   specs/ch01 of the grader's data)\n"
		   "  -h, --help       this help\n\n"
		   "Exit status: 0 every report was read and every file written; 2 usage error, a PATH\n"
		   "that is not a readable report (the files are still written from the others), or\n"
		   "reports refused as above (nothing written); 3 a file could not be written.\n");
}

/* --overrides, checked against the chapter (--spec, or the grader's data). NULL after the
 * messages. */
static struct overrides *load_overrides(const char *file, const char *spec)
{
	struct buf err = BUF_INIT, dir = BUF_INIT, data = BUF_INIT;
	struct spec_chapter *ch = NULL;
	struct overrides *ov = NULL;

	if (spec)
		buf_puts(&dir, spec);
	else if (cli_data_dir(&data) == 0)
		fs_join(&dir, data.data, "specs/ch01");
	if (!dir.len || !(ch = spec_load_chapter(dir.data, &err)))
		fprintf(stderr, "%sgrader summary: --overrides needs the chapter's specs (--spec DIR), which did not load\n",
			err.data);
	else if (!(ov = overrides_load(file, ch, &err)))
		fprintf(stderr, "%sgrader summary: --overrides %s is not a valid overrides file (docs/review.md)\n",
			err.data, file);
	spec_chapter_free(ch);
	buf_free(&err);
	buf_free(&dir);
	buf_free(&data);
	return ov;
}

int cli_summary(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"overrides", required_argument, NULL, 'V'},
		{"spec", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct buf err = BUF_INIT;
	const char *out = NULL, *ov_file = NULL, *spec = NULL;
	struct overrides *ov = NULL;
	enum error_class cls;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:s:h", opts, NULL)) != -1) {
		if (c == 'o') {
			out = optarg;
		} else if (c == 'V') {
			ov_file = optarg;
		} else if (c == 's') {
			spec = optarg;
		} else if (c == 'h') {
			help(stdout);
			return EXIT_GRADE_OK;
		} else {
			help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "grader summary: name at least one report or reports folder\n\n");
		help(stderr);
		return EXIT_USAGE;
	}
	if (!out && fs_is_dir(argv[optind]))
		out = argv[optind];
	if (!out) {
		fprintf(stderr, "grader summary: %s is not a folder: say where the files go with --out DIR\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (ov_file && !(ov = load_overrides(ov_file, spec)))
		return EXIT_USAGE;
	cls = summary_write(argv + optind, argc - optind, out, ov, stdout, &err);
	overrides_free(ov);
	if (err.len) {
		/* every line of err names its path through text_visible (summary.h) */
		for (const char *p = err.data; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			fprintf(stderr, "grader summary: %.*s\n", (int)n, p);
			p += n + (nl != NULL);
		}
	}
	buf_free(&err);
	return cli_exit_status(cls);
}
