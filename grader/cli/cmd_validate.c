/* cmd_validate.c: `grader validate`: checks specs, catalogs, manifests and answers files. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "classcat.h"
#include "cli/cli.h"
#include "fs.h"
#include "overrides.h"
#include "spec.h"
#include "text.h"
#include "ydoc.h"
#include "banned.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: grader validate [--spec DIR] [--quiet] PATH...\n\n"
		"Checks grader files and says exactly what is wrong, as FILE:LINE:COLUMN: message.\n"
		"A PATH may be:\n"
		"  a chapter folder (specs/ch01) or its chapter.yaml: every exercise spec and catalog;\n"
		"  one exercise spec (specs/ch01/ex4.yaml) or catalog (specs/ch01/catalog/crates.yaml);\n"
		"  a learner's file: ex4/exercise.yaml, ex2/comparison.yaml, ex1/organisations.yaml,\n"
		"  ex3/libraries.yaml (checked against the chapter's limits);\n"
		"  an instructor's overrides file (overrides:, checked against the chapter's\n"
		"  exercises and rubrics) or class catalog ('grader review'; docs/review.md);\n"
		"  a submission folder: every learner file the chapter names, and every path the\n"
		"  manifests name (scripts, the cargo project, cases, generator, benchmark file,\n"
		"  notes): there, inside the folder, and reached without symbolic links, as the\n"
		"  grader will read them. A manifest named in its place in a submission\n"
		"  (.../ex4/exercise.yaml) gets the same path checks.\n\n"
		"Options:\n"
		"  --spec DIR   the chapter whose limits learner files must respect\n"
		"               (default: specs/ch01 in the grader's data directory)\n"
		"  --quiet      print errors only\n"
		"  -h, --help   this help\n\n%s",
		cli_exit_help);
}

/* Prints newline-separated messages, each as one visible line (see text_visible). */
static void print_lines(const struct buf *msgs, FILE *f)
{
	const char *p = buf_str(msgs), *end = p + msgs->len;
	struct buf line = BUF_INIT;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		buf_reset(&line);
		text_visible(&line, p, n, NULL);
		fprintf(f, "%s\n", line.data);
		p += n + 1;
	}
	buf_free(&line);
}

/* What a YAML file of the instructor's review is, by its top level: an overrides file
 * (`overrides:`), a class catalog (catalogs whose values hold `accepted:` or `rejected:`), or
 * neither (0). */
static int review_kind(const char *path)
{
	struct buf err = BUF_INIT;
	struct ydoc *doc;
	int kind = 0;

	if (!fs_is_file(path))
		return 0;
	doc = ydoc_load_file(path, &err);
	if (doc && doc->root && doc->root->type == YDOC_MAP) {
		if (ydoc_get(doc->root, "overrides"))
			kind = 1;
		for (size_t i = 0; !kind && i < doc->root->n; i++)
			if (ydoc_get(doc->root->items[i], "accepted") || ydoc_get(doc->root->items[i], "rejected"))
				kind = 2;
	}
	ydoc_free(doc);
	buf_free(&err);
	return kind;
}

/* Checks an overrides file (against the chapter) or a class catalog (docs/review.md). Returns the
 * number of errors, or -2 when `path` is neither. */
static int validate_review_file(const char *path, const struct spec_chapter *chapter, struct buf *done,
				struct buf *err)
{
	int kind = review_kind(path), before = 0;

	for (const char *p = buf_str(err); *p; p++)
		before += *p == '\n';
	if (kind == 1) {
		struct overrides *ov = overrides_load(path, chapter, err);
		buf_printf(done, "checked: %s (overrides, %zu)\n", path, overrides_count(ov));
		overrides_free(ov);
	} else if (kind == 2) {
		struct classcat *cc = classcat_load(path, err);
		buf_printf(done, "checked: %s (class catalog, %zu decision%s)\n", path, cc ? cc->n : 0,
			   cc && cc->n == 1 ? "" : "s");
		classcat_free(cc);
	} else {
		return -2;
	}
	for (const char *p = buf_str(err); *p; p++)
		before -= *p == '\n';
	return -before;
}

int cli_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{"spec", required_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct buf spec_dir = BUF_INIT, done = BUF_INIT, err = BUF_INIT, data = BUF_INIT;
	struct spec_chapter *chapter = NULL;
	int c, quiet = 0, errors = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:qh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			buf_reset(&spec_dir);
			buf_puts(&spec_dir, optarg);
			break;
		case 'q':
			quiet = 1;
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
		fprintf(stderr, "grader validate: name at least one PATH (e.g. specs/ch01)\n\n");
		help(stderr);
		return EXIT_USAGE;
	}
	if (!spec_dir.len && cli_data_dir(&data) == 0)
		fs_join(&spec_dir, data.data, "specs/ch01");
	/* The chapter is needed only for learner files: a broken one is reported when it is named
	 * itself, or as a note when a learner file needed it. */
	if (spec_dir.len) {
		struct buf chapter_err = BUF_INIT;
		chapter = spec_load_chapter(spec_dir.data, &chapter_err);
		buf_free(&chapter_err);
	}
	for (int i = optind; i < argc; i++) {
		if (!fs_is_dir(argv[i]) && !fs_is_file(argv[i])) {
			buf_printf(&err, "%s: no such file or folder\n", argv[i]);
			errors++;
			continue;
		}
		if ((rc = validate_review_file(argv[i], chapter, &done, &err)) == -2)
			rc = spec_validate_path(argv[i], chapter, &done, &err);
		errors += rc < 0 ? 1 : rc;
	}
	if (errors && !chapter && spec_dir.len)
		buf_printf(&err, "note: the chapter specs in %s did not load; run 'grader validate %s' to see why\n",
			   spec_dir.data, spec_dir.data);
	/* Count what was said, not the files: one bad file may have many errors. */
	if (errors) {
		int lines = 0;
		for (const char *p = err.data; *p; p++)
			lines += *p == '\n';
		errors = lines > errors ? lines : errors;
	}
	/* Messages quote the learner's files (keys, values): shown as a view, one line each. */
	if (!quiet)
		print_lines(&done, stdout);
	print_lines(&err, stderr);
	if (!quiet || errors)
		printf("%d error%s\n", errors, errors == 1 ? "" : "s");
	spec_chapter_free(chapter);
	buf_free(&spec_dir);
	buf_free(&done);
	buf_free(&err);
	buf_free(&data);
	return errors ? EXIT_USAGE : EXIT_GRADE_OK;
}
