/* build.h: builds a learner's cargo project with `cargo build --release --offline` inside the
 * rust-build sandbox, and turns the compiler's diagnostics into something a learner can act on.
 *
 * The package is copied into a build directory the caller keeps per submission (its target/ and
 * private CARGO_HOME stay between builds, so a rebuild of an unchanged package is incremental;
 * file times are preserved by the copy). Crates come only from the package's own vendor/ (with
 * the .cargo/config.toml that `cargo vendor` prints) or from a course-provided local registry
 * bound read-only at /registry. Build scripts and proc macros run inside the sandbox too. */
#ifndef GRADER_BUILD_H
#define GRADER_BUILD_H

#include <stdbool.h>

#include "buf.h"
#include "sandbox.h"

struct build_request {
	const char *package;       /* host path of the cargo project (holds Cargo.toml) */
	const char *dir;           /* host build directory kept per submission */
	const char *binary;        /* the [[bin]] to build; NULL: the package's only binary */
	const char *registry;      /* host path of a local registry, or NULL */
	struct sandbox_limits limits;
};

struct build_result {
	bool ok;
	bool infra;                /* the sandbox failed: not the learner's fault */
	char *binary;              /* host path of the built executable, when ok */
	char *binary_name;
	struct buf message;        /* one sentence for the learner */
	struct buf hint;           /* what to do, or empty */
	/* the first compiler error, when there is one */
	int nerrors, nwarnings;
	char *file;                /* relative to the package */
	int line, column;
	struct buf rendered;       /* the compiler's own rendering of the first error */
	struct buf log_tail;       /* the tail of cargo's stderr */
	double wall, cpu;          /* of the build */
	const char *verdict;       /* the sandbox verdict's name */
};

/* Builds. Returns 0 when a result (success or a learner's failure or infra) is in `res`. */
int build_rust(struct sandbox *sb, const struct build_request *req, struct build_result *res);
void build_result_free(struct build_result *res);

#endif
