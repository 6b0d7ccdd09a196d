/* cmd_similarity.c: `grader similarity`: which learners' ports are alike (similarity.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "cli/cli.h"
#include "fs.h"
#include "num.h"
#include "similarity.h"
#include "views/simhtml.h"
#include "banned.h"

enum { FMT_TEXT = 1, FMT_JSON = 2, FMT_HTML = 4 };

static void help(FILE *f)
{
	fprintf(f,
		"Usage: grader similarity [OPTIONS] PATH...\n\n"
		"Finds learners whose ports are alike, from the fingerprints each grading wrote beside\n"
		"its report (REPORTS/LEARNER/fingerprints.json): normalised tokens of every .rs and .py\n"
		"file, so renaming, reformatting and reordering do not hide a copy, with the code given\n"
		"to everyone (the chapter's similarity.starter, an exercise's original) left out. A PATH\n"
		"is a reports folder (several for a class graded in shards) or one learner's folder.\n"
		"Every pair is compared; a pair's score is the share of the smaller side's fingerprints\n"
		"the other has too (per language, the higher one). Pairs at or above the threshold are\n"
		"listed with their matching regions (file:first-last lines on both sides).\n"
		"docs/similarity.md says how it works and what it cannot catch.\n\n"
		"Options:\n"
		"  --threshold X   report pairs scoring X (0 to 1) or more (default: the chapter's\n"
		"                  similarity.threshold recorded in the fingerprints, else 0.5)\n"
		"  --format LIST   comma-separated: text (standard output), json (OUT/similarity.json,\n"
		"                  or standard output without --out), html (OUT/similarity.html);\n"
		"                  default: text, and with --out text,json,html\n"
		"  -o, --out DIR   where similarity.json and similarity.html go (written atomically)\n"
		"  -h, --help      this help\n\n"
		"Exit status: 0 done (whether or not a pair was found); 2 usage error, or a PATH or a\n"
		"fingerprints.json that cannot be read (named; the others are still compared);\n"
		"3 an output file cannot be written.\n");
}

static int parse_formats(const char *list, unsigned *set)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 4 && !strncmp(p, "text", 4))
			*set |= FMT_TEXT;
		else if (n == 4 && !strncmp(p, "json", 4))
			*set |= FMT_JSON;
		else if (n == 4 && !strncmp(p, "html", 4))
			*set |= FMT_HTML;
		else {
			fprintf(stderr, "grader similarity: --format: '%.*s' is not one of text, json, html\n",
				(int)n, p);
			return -1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return *set ? 0 : -1;
}

static int write_out(const char *dir, const char *name, const char *data, size_t len)
{
	struct buf path = BUF_INIT;
	int rc = 0;

	fs_join(&path, dir, name);
	if (fs_mkdirs(dir) < 0 || fs_write_atomic(path.data, data, len) < 0) {
		fprintf(stderr, "grader similarity: cannot write %s: %s\n", path.data, strerror(errno));
		rc = -1;
	}
	buf_free(&path);
	return rc;
}

int cli_similarity(int argc, char **argv)
{
	static const struct option opts[] = {
		{"threshold", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct buf err = BUF_INIT;
	const char *out = NULL;
	unsigned set = 0;
	double threshold = -1;
	void *tree = NULL;
	int c, n, rc = EXIT_USAGE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (num_parse_double(optarg, &threshold) < 0 || !(threshold >= 0 && threshold <= 1)) {
				fprintf(stderr, "grader similarity: --threshold '%s' is not a number from 0 to 1\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'f':
			if (parse_formats(optarg, &set) < 0)
				return EXIT_USAGE;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			help(stdout);
			return EXIT_GRADE_OK;
		default:
			help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "grader similarity: name at least one reports folder\n\n");
		help(stderr);
		return EXIT_USAGE;
	}
	if (!set)
		set = out ? FMT_TEXT | FMT_JSON | FMT_HTML : FMT_TEXT;
	if ((set & FMT_HTML) && !out) {
		fprintf(stderr, "grader similarity: --format html needs --out DIR\n");
		return EXIT_USAGE;
	}
	if ((set & FMT_JSON) && (set & FMT_TEXT) && !out) {
		fprintf(stderr, "grader similarity: text and json cannot both go to standard output: add --out DIR\n");
		return EXIT_USAGE;
	}
	n = similarity_class(argv + optind, argc - optind, threshold, &tree, &err);
	if (err.len)
		fprintf(stderr, "grader similarity: %s", err.data);
	rc = n < 0 ? EXIT_USAGE : EXIT_GRADE_OK;
	if (set & FMT_TEXT)
		similarity_print(tree, stdout);
	if (set & FMT_JSON) {
		char *json = cJSON_Print(tree);
		if (!out)
			printf("%s\n", json);
		else if (write_out(out, "similarity.json", json, strlen(json)) < 0)
			rc = EXIT_INFRA;
		cJSON_free(json);
	}
	if (set & FMT_HTML) {
		struct buf page = BUF_INIT;
		if (view_similarity_html(tree, &page) < 0 ||
		    write_out(out, "similarity.html", page.data, page.len) < 0)
			rc = EXIT_INFRA;
		buf_free(&page);
	}
	cJSON_Delete(tree);
	buf_free(&err);
	return rc;
}
