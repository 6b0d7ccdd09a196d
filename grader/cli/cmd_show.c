/* cmd_show.c: `grader show`: the views of reports already written (views.h), and a class page. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "cli/cli.h"
#include "fs.h"
#include "learner.h"
#include "report.h"
#include "views/html.h"
#include "views/rjson.h"
#include "views/views.h"
#include "xalloc.h"
#include "banned.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: grader show [OPTIONS] REPORT...\n\n"
		"Shows reports already written, in the views --format names, without grading again.\n"
		"A REPORT is a report.json or a folder holding one. With several reports, each\n"
		"learner's file views go to OUT/LEARNER/, and --format html also writes a class page,\n"
		"OUT/class.html (score histogram, failure rate of each check, measured speedups).\n\n"
		"Options:\n"
		"  --format LIST      comma-separated views (default: text):\n"
		"                       text        the summary 'grader grade' prints (standard output)\n"
		"                       json        the report (standard output; OUT/report.json with --out)\n"
		"                       github      GitHub Actions annotations (standard output), and a\n"
		"                                   Markdown summary appended to $GITHUB_STEP_SUMMARY\n"
		"                                   (OUT/summary.md when that is not set)\n"
		"                       junit       OUT/junit.xml: a testsuite per exercise, a testcase per check\n"
		"                       gradescope  OUT/results.json in Gradescope's autograder format\n"
		"                       html        OUT/report.html: one self-contained page\n"
		"  --out DIR          where the file views go (required for junit, gradescope, html)\n"
		"  --hidden-visibility V  gradescope: visibility of hidden cases' results (hidden,\n"
		"                     after_due_date, after_published, visible; default after_published)\n"
		"  -h, --help         this help\n\n"
		"Colour only on a terminal, and never when NO_COLOR is set.\n\n"
		"Exit status: 0 every view was made; 2 usage error, or a REPORT that is not a readable\n"
		"report; 3 a view could not be written.\n");
}

/* Reads REPORT (a file, or a folder's report.json); NULL after a message. */
static cJSON *load(const char *arg)
{
	struct buf path = BUF_INIT, err = BUF_INIT;
	cJSON *tree;

	if (fs_is_dir(arg))
		fs_join(&path, arg, "report.json");
	else
		buf_puts(&path, arg);
	tree = report_read(path.data, &err);
	if (!tree)
		fprintf(stderr, "grader show: %s", err.data);
	buf_free(&path);
	buf_free(&err);
	return tree;
}

/* Writes the class page OUT/class.html from the reports. */
static int class_page(cJSON **trees, size_t n, const char *out)
{
	struct buf page = BUF_INIT, path = BUF_INIT;
	int rc = 0;

	fs_join(&path, out, "class.html");
	if (view_html_class((const cJSON *const *)trees, n, &page) < 0 || fs_mkdirs(out) < 0 ||
	    fs_write_atomic(path.data, page.data, page.len) < 0) {
		fprintf(stderr, "grader show: %s: cannot write the class page: %s\n", path.data,
			strerror(errno));
		rc = -1;
	}
	buf_free(&page);
	buf_free(&path);
	return rc;
}

int cli_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"out", required_argument, NULL, 'o'},
		{"hidden-visibility", required_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct views_options vo = {0};
	struct buf err = BUF_INIT;
	cJSON **trees = NULL;
	size_t n = 0;
	int c, rc = EXIT_USAGE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		unsigned set;
		switch (c) {
		case 'f':
			if (views_parse(optarg, &set, &err) < 0) {
				fprintf(stderr, "grader show: --format: %s\n", err.data);
				goto out;
			}
			vo.set |= set;
			break;
		case 'o':
			vo.out_dir = optarg;
			break;
		case 'V':
			if (strcmp(optarg, "hidden") && strcmp(optarg, "after_due_date") &&
			    strcmp(optarg, "after_published") && strcmp(optarg, "visible")) {
				fprintf(stderr,
					"grader show: --hidden-visibility '%s' is not one of hidden, "
					"after_due_date, after_published, visible\n",
					optarg);
				goto out;
			}
			vo.hidden_visibility = optarg;
			break;
		case 'h':
			help(stdout);
			rc = EXIT_GRADE_OK;
			goto out;
		default:
			help(stderr);
			goto out;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "grader show: name at least one report (a report.json or its folder)\n\n");
		help(stderr);
		goto out;
	}
	if (!vo.set)
		vo.set = 1u << VIEW_TEXT;
	if (views_check(&vo, &err) < 0) {
		fprintf(stderr, "grader show: %s\n", err.data);
		goto out;
	}
	trees = xcalloc((size_t)(argc - optind), sizeof(*trees));
	for (int i = optind; i < argc; i++) {
		if (!(trees[n] = load(argv[i])))
			goto out;
		n++;
	}
	vo.color = cli_color(stdout);
	rc = EXIT_GRADE_OK;
	for (size_t i = 0; i < n; i++) {
		struct views_options one = vo;
		struct buf dir = BUF_INIT;
		const char *learner = rj_str(trees[i], "learner", NULL);
		if (n > 1 && vo.out_dir) {
			/* a learner id from a file is checked before it names a folder */
			fs_join(&dir, vo.out_dir, learner && !learner_id_problem(learner) ? learner : "unnamed");
			one.out_dir = dir.data;
		}
		buf_reset(&err);
		if (views_write(trees[i], &one, stdout, &err) < 0) {
			fputs(err.data, stderr);
			rc = EXIT_INFRA;
		}
		buf_free(&dir);
	}
	if (n > 1 && vo.out_dir && (vo.set & (1u << VIEW_HTML)) && class_page(trees, n, vo.out_dir) < 0)
		rc = EXIT_INFRA;
out:
	for (size_t i = 0; i < n; i++)
		cJSON_Delete(trees[i]);
	free(trees);
	buf_free(&err);
	return rc;
}
