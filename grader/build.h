/* build.h: builds a learner's cargo project with `cargo build --release --offline` inside the
 * rust-build sandbox, and turns the compiler's diagnostics into something a learner can act on.
 *
 * Everything a build can write is learner-controlled, so nothing it leaves is trusted later:
 *  - The package is copied afresh into <dir>/work for every build (bound writable at /work),
 *    every file's time set to a fixed one; the cargo home <dir>/home is recreated empty for
 *    every build (bound writable at /cargo-home), with the grader's own config (the course
 *    registry, when the spec has one) written to <dir>/cargo.toml and mounted read-only over
 *    /cargo-home/config.toml. Crates come from the package's own vendor/ (with the
 *    .cargo/config.toml that `cargo vendor` prints) or from that registry, bound read-only at
 *    /registry. Build scripts and proc macros run inside the sandbox.
 *  - cargo's target directory is <dir>/targets/KEY, KEY the SHA-256 of the staged tree and of
 *    the build settings, bound writable at /target and only into builds of that very tree: one
 *    tree's build cannot leave outputs for another. The three most recently used are kept, so a
 *    regrade of an unchanged tree (even from a fresh clone) recompiles nothing.
 *  - What runs is the binary target of the package at <target>/release/<name>, the name taken
 *    from req->binary or, without it, from `cargo metadata --no-deps` run in a sandbox of its own
 *    before the build (it runs none of the package's code). It is opened beneath the target
 *    directory with no `..` and no symbolic link, must be a regular executable file, and is
 *    copied to <dir>/bin/<name>, a folder no sandbox can write. cargo's JSON messages (which a
 *    build script can write to) serve only for diagnostics.
 * <dir> itself is never bound into a sandbox; the grader writes into it only entries it has just
 * removed (without following links) and recreated. */
#ifndef GRADER_BUILD_H
#define GRADER_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "sandbox/sandbox.h"

struct build_request {
	const char *package;  /* host path of the cargo project (holds Cargo.toml) */
	const char *dir;      /* host build directory kept per submission and exercise, owned by
				    * the grader (see above for what is in it) */
	const char *binary;   /* the [[bin]] to build ([A-Za-z0-9_-]+); NULL: the package's only one */
	const char *registry; /* host path of a local registry, or NULL */
	struct sandbox_limits limits;
};

struct build_result {
	bool ok;
	bool infra;   /* the sandbox failed: not the learner's fault */
	char *binary; /* host path of the grader's copy of the executable, when ok */
	char *binary_name;
	struct buf message; /* one sentence for the learner */
	struct buf hint;    /* what to do, or empty */
	/* the first compiler error, when there is one */
	int nerrors, nwarnings;
	char *file; /* relative to the package */
	int line, column;
	struct buf rendered; /* the compiler's own rendering of the first error */
	struct buf log_tail; /* the tail of cargo's stderr */
	double wall, cpu;    /* of the build's sandbox runs (cargo metadata and cargo build) */
	const char *verdict; /* the sandbox verdict's name */
};

/* Builds. Returns 0 when a result (success or a learner's failure or infra) is in `res`, which is
 * overwritten: its buffers start empty (buf_init). */
int build_rust(struct sandbox *sb, const struct build_request *req, struct build_result *res);
/* Reads cargo's --message-format=json output (`len` bytes, one JSON message a line; other lines
 * are skipped) into `res`: the counts of errors and warnings, and the first error's rendering,
 * file, line and column. Used by build_rust(); a pure function of the bytes. */
void build_read_messages(const char *out, size_t len, struct build_result *res);
/* Frees what `res` holds and leaves it empty, as build_rust() starts it. */
void build_result_free(struct build_result *res);

#endif
