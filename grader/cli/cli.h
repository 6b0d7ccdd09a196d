/* cli.h: the subcommands of `grader`, one function each (argv[0] is the subcommand's name), and
 * the exit statuses every subcommand shares. */
#ifndef GRADER_CLI_H
#define GRADER_CLI_H

#include "error.h"

enum {
	EXIT_GRADE_OK = 0,   /* success; for grade/check: at or above the pass threshold */
	EXIT_GRADE_BELOW = 1, /* graded below the pass threshold */
	EXIT_USAGE = 2,      /* bad command line, spec or manifest */
	EXIT_INFRA = 3,      /* infrastructure: sandbox unavailable, clone failed, disk full */
};

/* The exit status for a failure of that class (error.h): ERROR_NONE 0, ERROR_LEARNER 1 (as for a
 * submission graded below the threshold), ERROR_CONFIG 2, ERROR_INFRA 3. The one place that maps
 * classes to statuses. */
int cli_exit_status(enum error_class cls);

/* The exit-status paragraph every --help ends with. */
extern const char cli_exit_help[];

#include "buf.h"

/* Finds the grader's data directory (the one holding specs/ and sandboxes/): $GRADER_DATA, else
 * the source tree the binary was built in (bin/.. or build/san/../..), else the installed
 * PREFIX/share/grader beside the binary. Puts it in `out`; returns 0, or -1 when none exists. */
int cli_data_dir(struct buf *out);

int cli_grade(int argc, char **argv);    /* grade: a submission by URL, repository or directory */
int cli_check(int argc, char **argv);    /* check: a learner's self-check of their working tree */
int cli_batch(int argc, char **argv);    /* batch: a whole class from a roster */
int cli_merge(int argc, char **argv);    /* merge: reports into one class grade sheet */
int cli_validate(int argc, char **argv); /* validate: specs, profiles and manifests */
int cli_run(int argc, char **argv);      /* run: one command in a sandbox profile, result as JSON */
int cli_version(int argc, char **argv);  /* version: the grader's and its libraries' versions */
int cli_fetch(int argc, char **argv);    /* fetch: materialise what would be graded, print its record */

#endif
