/* error.h: whose fault a failure is, so that one place (cli_exit_status() in cli/cli.h) maps it to
 * the command's exit status. A module that can fail in more than one way returns the class with its
 * message; a learner's mistake inside a grading is never an error of this kind: it becomes a check
 * result. */
#ifndef GRADER_ERROR_H
#define GRADER_ERROR_H

enum error_class {
	ERROR_NONE = 0,
	ERROR_CONFIG,  /* what the person running the grader gave: the command line, a spec, a sandbox
			* profile; fixed by them */
	ERROR_LEARNER, /* what the learner submitted cannot be graded at all (no such repository,
			* ref or commit, too big, hostile content); the report records it as the
			* submission's error and the learner fixes it */
	ERROR_INFRA,   /* the machine or the network: no bubblewrap, no namespaces, disk full, a
			* remote that does not answer; nobody's mistake in the submission */
};

#endif
