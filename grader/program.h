/* program.h: a learner's pair of programs (the Python original and the built Rust port) and how
 * to run either one on an input inside its sandbox profile.
 *
 * Inside the sandbox the submission is read-only at /submission (an instructor's original script
 * at /original), the Rust binary read-only at
 * /port/<name>, and each run gets a fresh, empty scratch directory as /work (its current
 * directory) holding a copy of the input under its own file name. `{input}` in the arguments
 * becomes /work/<input name>; without it the input is fed on standard input. */
#ifndef GRADER_PROGRAM_H
#define GRADER_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "program_which.h"
#include "sandbox/sandbox.h"

struct program_pair {
	const char *submission;    /* host path of the submission's root */
	const char *python_script; /* relative to python_dir, else to the submission's root */
	const char *python_dir;    /* host folder of an instructor's original, bound read-only at
				    * /original; NULL: the script is the learner's own */
	const char *rust_binary;   /* host path of the built binary; NULL when there is none */
	char *const *args;
	size_t nargs;
	bool stdin_input;
	struct sandbox_limits limits;
	const char *scratch; /* host directory for the runs' scratch directories */
	bool pin_cpu;        /* run on one CPU only (timed runs) ... */
	int cpu;             /* ... this one */
};

/* Runs one program on `input` (a host file; NULL for no input). The run's scratch directory is
 * <scratch>/<python|rust>, emptied first; it is left in place so the caller can read files the
 * program wrote (see program_scratch). Returns 0 when the sandbox ran (whatever the verdict) and
 * -1 for an internal failure, with the reason in res->message. Either way the buffers of `res`
 * are initialised, as sandbox_run() leaves them. */
int program_run(struct sandbox *sb, const struct program_pair *p, enum program_which which,
		const char *input, struct sandbox_result *res);
/* The host path of a program's scratch directory into `out`. */
void program_scratch(const struct program_pair *p, enum program_which which, struct buf *out);
/* "Python" or "Rust". */
const char *program_name(enum program_which which);

/* Where the Python script is inside the sandbox ("/submission/ex4/x.py" or "/original/x.py"),
 * and on the host. */
void program_python_paths(const struct program_pair *p, struct buf *inside, struct buf *host);

/* Runs a file of the grader's own as `which` would run: a Python script (host path, bound
 * read-only at /startup/<its name>) under python3, or an executable (bound at /port/<its name>),
 * in the same profile with the same binds, limits and CPU pinning as program_run, without input
 * or arguments, in the scratch directory <scratch>/startup. For measuring what a trivial program
 * costs; returns as program_run. */
int program_run_file(struct sandbox *sb, const struct program_pair *p, enum program_which which,
		     const char *file, struct sandbox_result *res);

/* Runs a Python helper of the submission (a case generator) in the Python sandbox with the given
 * arguments; its standard output is in res->out. */
int program_run_python_tool(struct sandbox *sb, const struct program_pair *p, const char *script,
			    const char *const *args, struct sandbox_result *res);

#endif
