/* program_which.h: which of a pair's two programs: the Python original or its Rust port. One enum
 * for the runner (program.h), the code counter (exercises/complexity.h) and the speed and memory
 * protocol (measure/perf.h), which calls them the baseline and the candidate. */
#ifndef GRADER_PROGRAM_WHICH_H
#define GRADER_PROGRAM_WHICH_H

enum program_which {
	PROGRAM_PYTHON = 0, /* the original; perf's baseline */
	PROGRAM_RUST = 1,   /* the port; perf's candidate, the program under test */
};

#endif
