/* cli.h: the subcommands of `grader`, one function each (argv[0] is the subcommand's name), the
 * exit statuses every subcommand shares, and what `grade` and `check` share. */
#ifndef GRADER_CLI_H
#define GRADER_CLI_H

#include "error.h"

enum {
	EXIT_GRADE_OK = 0,    /* success; for grade/check: at or above the pass threshold */
	EXIT_GRADE_BELOW = 1, /* graded below the pass threshold */
	EXIT_USAGE = 2,       /* bad command line, spec or manifest */
	EXIT_INFRA = 3,       /* infrastructure: sandbox unavailable, clone failed, disk full */
};

/* The exit status for a failure of that class (error.h): ERROR_NONE 0, ERROR_LEARNER 1 (as for a
 * submission graded below the threshold), ERROR_CONFIG 2, ERROR_INFRA 3. The one place that maps
 * classes to statuses. */
int cli_exit_status(enum error_class cls);

/* The exit-status paragraph every --help ends with. */
extern const char cli_exit_help[];

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"

/* Finds the grader's data directory (the one holding specs/ and sandboxes/): $GRADER_DATA, else
 * the source tree the binary was built in (bin/.. or build/san/../..), else the installed
 * PREFIX/share/grader beside the binary. Puts it in `out`; returns 0, or -1 when none exists. */
int cli_data_dir(struct buf *out);

/* What `grader grade` and `grader check` share (cmd_grade.c). The strings are borrowed from argv
 * (or from the caller, after cli_grade_absolute_paths). */
struct cli_grade_opts {
	bool check;         /* grader check */
	const char *source; /* as given: SOURCE, or check's DIR */
	const char *root;   /* grader check: the folder checked, a real path (cmd_check.c) */
	const char *spec;
	const char *profiles;
	const char *ref;
	const char *deadline;
	const char *extension; /* --extension: added to --deadline for this learner */
	const char *learner;
	const char *reports;
	const char *work;
	const char *only;
	const char *class_catalog; /* --class-catalog FILE (classcat.h), made absolute */
	const char *overrides;     /* --overrides FILE (overrides.h), grade only */
	const char *token_hosts[32];
	size_t ntoken_hosts;
	const char *out;  /* --out: the folder of the file views (views.h) */
	unsigned formats; /* --format (views.h's set); 0: text, or json with --json */
	bool no_perf, verbose, quiet, json;
	bool reuse; /* --reuse: keep a report whose inputs are unchanged (inputs.h) */
	bool watch; /* grader check --watch */
};

/* Parses grade's or check's options (o->check says which) from argv, leaving optind at the first
 * operand. Returns 0, 1 for --help, or -1 after a message (a usage error). */
int cli_grade_parse(int argc, char **argv, struct cli_grade_opts *o);
/* Makes --work, --reports, --spec and --profiles absolute; `owned` gets the new strings (NULL
 * where none was made) for the caller to free. Returns -1 after a message when the current
 * directory cannot be known. */
int cli_grade_absolute_paths(struct cli_grade_opts *o, char *owned[4]);
/* Whether a summary printed to `f` may use colour: on a terminal, and NO_COLOR unset or empty. */
bool cli_color(FILE *f);
/* The default --work: $XDG_CACHE_HOME/grader, ~/.cache/grader, else /tmp/grader-UID. */
void cli_default_work(struct buf *out);
/* Grades once (session.h) as `o` says, and prints the summary or, with --json, the report on
 * standard output. Returns the exit status. `clean` (may be NULL) is set when a report was made:
 * whether no check failed or erred and the submission was graded (check --watch's fast pass). */
int cli_grade_once(const struct cli_grade_opts *o, bool *clean);

int cli_grade(int argc, char **argv);    /* grade: a submission by URL, repository or directory */
int cli_check(int argc, char **argv);    /* check: a learner's self-check of their working tree */
int cli_batch(int argc, char **argv);    /* batch: a whole class from a roster */
int cli_merge(int argc, char **argv);    /* merge: reports into one class grade sheet */
int cli_summary(int argc, char **argv);  /* summary: a class's grade sheet, summary and page */
int cli_review(int argc, char **argv);   /* review: the class's answers awaiting review */
int cli_validate(int argc, char **argv); /* validate: specs, profiles and manifests */
int cli_run(int argc, char **argv);      /* run: one command in a sandbox profile, result as JSON */
int cli_version(int argc, char **argv);  /* version: the grader's and its libraries' versions */
int cli_fetch(int argc, char **argv);    /* fetch: materialise what would be graded, print its record */
int cli_show(int argc, char **argv);     /* show: the views of written reports */
int cli_similarity(int argc, char **argv); /* similarity: learners whose ports are alike */

#endif
