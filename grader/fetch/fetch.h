/* fetch.h: turns what a user names (a URL, a local repository or a plain directory) into a tree
 * to grade at one recorded commit, without ever running anything from the repository.
 *
 * How it works. A network source (https, http, ssh, git or file URL, or scp-like user@host:path)
 * is fetched by libgit2 into a fresh bare repository, in a child process that the caller's
 * process can kill: libgit2 1.5 has no socket timeouts, so the total time and stall limits are
 * enforced from outside, from progress messages the child sends over a pipe. A local repository
 * is read in place (its objects only; nothing of its configuration, hooks or filters is used),
 * and only when it is self-contained: objects/info/alternates, a .git file or a worktree's common
 * directory outside it, or any symbolic link in its git directory (hooks/ aside) would let libgit2
 * read another repository's commits, so they are refused (FETCH_ERR_REFUSED); a file:// URL gets
 * the same check, since libgit2's local transport opens that repository on this host. A plain
 * directory is graded in place, after fetch_scan_directory found no link that leaves it.
 * The chosen commit is then written out by fetch itself, not by libgit2's checkout: blobs are
 * written byte for byte (no filters, no LFS smudge, no attributes), every path component is
 * checked (no "", ".", "..", "/" or any case of ".git"), files are created with O_EXCL|O_NOFOLLOW
 * under directory descriptors, symbolic links become plain files holding their target (refused
 * when the target is absolute or leaves the tree), submodules become empty directories. The caps
 * on file count, one file's size and total size are checked over the whole tree before the
 * first byte is written, so an oversized repository is refused early.
 *
 * libgit2 is initialised by fetch itself, once per process (pthread_once), and shut down by an
 * atexit handler; owner validation is turned off then (GIT_OPT_SET_OWNER_VALIDATION), because
 * the grader reads learners' repositories that other users own and never runs their config.
 *
 * Credentials go only to the hosts the instructor lists (the request's token_hosts, and the
 * comma-separated GRADER_TOKEN_HOSTS): a source is learner-supplied, and a server the learner runs
 * would otherwise receive them. When the environment variable GRADER_GIT_TOKEN is set, its value is
 * given as the password of a user-pass credential (user name: the URL's, else GRADER_GIT_USER,
 * else "x-access-token") to a listed host that asks, over https (or ssh), or over plain http only
 * when the host is a literal loopback address (for tests), and only to the host of the URL (not to
 * a host a redirect leads to). It is offered twice at most (one retry). The ssh agent's keys are
 * offered to listed hosts only, too. A host that is not listed and asks for credentials makes the
 * fetch fail with FETCH_ERR_SOURCE (the submission is not readable as given, and no credential
 * left the grader); so does a listed host that asks over plain http. An unlisted ssh server is
 * FETCH_ERR_AUTH instead: every ssh clone needs a key, so the instructor has a host to list. The token never appears in a
 * message, a result or a report: every message fetch builds is scrubbed of it. ssh servers' host
 * keys must be listed (plain host names, not hashed) in $GRADER_SSH_KNOWN_HOSTS, or else
 * ~/.ssh/known_hosts or /etc/ssh/ssh_known_hosts. https certificates are verified by libgit2 and
 * never overridden. */
#ifndef GRADER_FETCH_H
#define GRADER_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "error.h"

/* The name of the environment variable that holds the token for private repositories. */
#define FETCH_TOKEN_ENV "GRADER_GIT_TOKEN"
/* The environment variable that lists the hosts credentials may go to ("host1,host2"). */
#define FETCH_TOKEN_HOSTS_ENV "GRADER_TOKEN_HOSTS"

/* Default limits (see struct fetch_limits). */
#define FETCH_DEFAULT_TOTAL_TIME 300.0              /* seconds for a network transfer */
#define FETCH_DEFAULT_STALL_TIME 30.0               /* seconds without progress */
#define FETCH_DEFAULT_TRANSFER_BYTES (256ull << 20) /* bytes received from the network */
#define FETCH_DEFAULT_CHECKOUT_BYTES (256ull << 20) /* bytes of all checked-out files */
#define FETCH_DEFAULT_FILES 20000ull                /* files, links and directories */
#define FETCH_DEFAULT_FILE_BYTES (50ull << 20)      /* bytes of one file */
#define FETCH_DEFAULT_MEMORY_BYTES (1ull << 30)     /* memory of the transfer child */

/* For tests only: when set (to anything), the transfer child leaves libgit2's bound on the size
 * of an object a delta produces unset, so that its address-space limit alone is exercised, as
 * with a libgit2 1.5 that lacks the option (see fetch_limits.memory_bytes). */
#define FETCH_NO_OBJECT_CAP_ENV "GRADER_FETCH_NO_OBJECT_CAP"

/* Limits of one fetch. A zero field means the default above. */
struct fetch_limits {
	/* The time limits and the transfer limit apply to network (and file://) transfers; the
	 * others to every checkout, and are checked before anything is written. */
	double total_time;       /* network transfer: wall-clock seconds in all */
	double stall_time;       /* network transfer: seconds without any progress */
	uint64_t transfer_bytes; /* network transfer: bytes received */
	uint64_t checkout_bytes; /* sum of the sizes of the files written */
	uint64_t files;          /* number of tree entries written: files, links, directories */
	uint64_t file_bytes;     /* size of one file */
	/* network transfer: memory the transfer child may add to what it holds when it starts.
	 * libgit2 resolves every delta of the pack it receives, and a pack of a few hundred bytes
	 * can hold a delta that expands to gigabytes, so the child runs under an address-space
	 * limit (RLIMIT_AS: its size at start plus this; not in a sanitizer build, which reserves
	 * terabytes of address space), with libgit2's mmap windows, object count (1 per KiB) and,
	 * where Debian's libgit2 has the option, the size of one unpacked object (a quarter) bounded
	 * from it. Running out is the learner's error (FETCH_ERR_LIMIT, "memory limit"). */
	uint64_t memory_bytes;
};

/* How a network transfer's child process starts. EXEC re-executes the running program as
 * `/proc/self/exe fetch --transfer-child …` (see fetch_transfer_child_main), so the child starts
 * with a clean libgit2 even when other threads of the caller use libgit2; only the grader itself
 * can do that. FORK forks without exec: for other programs (unit tests), and only safe when no
 * other thread of the caller is inside libgit2 at the time. AUTO (the zero value) picks EXEC when
 * the running executable's file name starts with "grader", FORK otherwise. */
enum fetch_transfer_mode {
	FETCH_TRANSFER_AUTO,
	FETCH_TRANSFER_EXEC,
	FETCH_TRANSFER_FORK,
};

struct fetch_request {
	const char *source; /* URL, local repository or plain directory */
	const char *ref;    /* branch, tag, full ref name or commit id; NULL: the default branch */
	bool has_deadline;
	int64_t deadline;   /* seconds since the epoch (see fetch_parse_deadline) */
	bool grade_tip;     /* with a deadline: grade the ref's newest commit even when it is dated
			     * after the deadline (a late policy with a penalty), instead of the newest
			     * commit dated at or before it */
	const char *parent; /* existing directory where fetch creates its fresh work directory */
	struct fetch_limits limits;
	enum fetch_transfer_mode transfer;
	/* Hosts that credentials may go to (see Credentials above), besides those listed in
	 * GRADER_TOKEN_HOSTS. Host names or literal addresses, without a port; case is ignored. */
	const char *const *token_hosts;
	size_t ntoken_hosts;
};

enum fetch_kind {
	FETCH_KIND_URL,        /* fetched over the network (or file://) */
	FETCH_KIND_REPOSITORY, /* a local repository, read in place */
	FETCH_KIND_DIRECTORY,  /* a plain directory, graded in place: no commit */
};

/* Why a fetch failed. SOURCE, LIMIT and REFUSED are about what the learner submitted (or where
 * the caller said it is); TIMEOUT, AUTH, NETWORK and INFRA are not the learner's doing. */
enum fetch_error {
	FETCH_OK,
	FETCH_ERR_SOURCE,  /* no such source, ref or commit; empty repository; deadline before all;
			    * credentials asked for by a host that is not a token host, or over http */
	FETCH_ERR_LIMIT,   /* the repository is too big: transfer, memory to unpack it, checkout,
			    * file count, file size */
	FETCH_ERR_REFUSED, /* hostile content refused (escaping path or symlink, bad entry, named
			    * pipe, alternates or other borrowing of another repository's objects) */
	FETCH_ERR_TIMEOUT, /* the network transfer hit the total time or the stall limit */
	FETCH_ERR_AUTH,    /* a token host wants credentials we lack, or rejected them */
	FETCH_ERR_NETWORK, /* connection refused, certificate, protocol error */
	FETCH_ERR_INFRA,   /* our side: disk, memory, fork */
};

/* Whose fault a failed fetch is (error.h): SOURCE, LIMIT and REFUSED are the learner's
 * (ERROR_LEARNER); TIMEOUT, AUTH, NETWORK and INFRA are the machine's or the network's
 * (ERROR_INFRA); FETCH_OK is ERROR_NONE. */
enum error_class fetch_error_class(enum fetch_error e);

/* One commit as recorded in a report. Strings are valid UTF-8 without control characters. */
struct fetch_commit {
	char id[41];         /* hex object id */
	char *author;        /* "Name <email>" */
	int64_t author_time; /* seconds since the epoch */
	int author_offset;   /* minutes east of UTC */
	int64_t time;        /* committer date, seconds since the epoch */
	int offset;          /* committer's offset, minutes east of UTC */
	char *summary;       /* first line of the message, at most 200 bytes */
};

struct fetch_result {
	enum fetch_error error; /* FETCH_OK on success */
	struct buf message;     /* on failure: what failed, e.g. "clone of <url>: <libgit2 message>" */
	enum fetch_kind kind;
	char *source;    /* the source as given, any password in a URL replaced by "***" */
	char *workdir;   /* the fresh directory fetch made; the caller removes it (fs_rmtree).
				  * NULL for a plain directory. */
	char *tree;      /* the tree to grade: <workdir>/tree, or the directory's real path */
	bool has_commit; /* false for a plain directory */
	struct fetch_commit commit;
	char *ref;         /* the full ref the commit came from ("refs/heads/main"), or the commit
				  * id when --ref named a commit */
	bool has_deadline; /* copied from the request */
	int64_t deadline;
	bool late;                 /* commits dated after the deadline exist on the ref */
	int64_t late_by;           /* seconds from the deadline to the newest such commit */
	bool graded_late;          /* the graded commit itself is dated after the deadline */
	int64_t graded_late_by;    /* seconds from the deadline to the graded commit's date */
	long later_commits;        /* commits dated after the deadline and not graded (0 with
				    * grade_tip: the newest commit is graded) */
	char newest_id[41];        /* that newest commit, when late */
	uint64_t files, bytes;     /* files and links written to `tree`, and their bytes */
	uint64_t transfer_bytes;   /* bytes received over the network */
	bool plain_directory;      /* warning: graded in place, no commit to record */
	bool submodules;           /* warning: submodules present (not fetched) */
	bool lfs_pointers;         /* warning: Git LFS pointer files found (not smudged) */
	bool symlinks_neutralised; /* warning: symbolic links written as plain files */
	char **warnings;           /* human-readable warnings, one sentence each */
	size_t nwarnings;
};

/* Fetches `req->source` and fills `res` (which the caller zeroes first and frees with
 * fetch_result_free). Returns 0 on success, -1 on failure with res->error and res->message set;
 * on failure the work directory is already removed. Each call makes its own fresh work directory
 * (`<parent>/fetch-XXXXXX`), so concurrent fetches never share one. */
int fetch_run(const struct fetch_request *req, struct fetch_result *res);

/* Frees what a result holds (not the struct itself); does not remove the work directory. */
void fetch_result_free(struct fetch_result *res);

/* The result as a JSON object for reports: source, kind, commit, ref, late, warnings, or error.
 * Returns NULL when memory runs out. */
cJSON *fetch_result_to_json(const struct fetch_result *res);

/* Parses an ISO 8601 date-time with an offset, "2026-12-01T23:59:00+01:00" (also "Z", "+0100",
 * fractional seconds, a space instead of "T"). An offset is required: a deadline without one is
 * ambiguous. Returns 0 and the seconds since the epoch, or -1. */
int fetch_parse_deadline(const char *s, int64_t *out);

/* Formats `t` at `offset_min` minutes east of UTC as "2026-12-01T23:59:00+01:00" into `out`
 * (at least 26 bytes). Returns `out`. */
const char *fetch_format_time(int64_t t, int offset_min, char *out, unsigned size);

/* What a learner's working tree holds that the instructor's fetch would not (see grader check). */
struct fetch_status {
	bool has_head; /* false when the repository has no commit yet */
	struct fetch_commit head;
	size_t changed; /* files modified, added, deleted or renamed since HEAD, plus untracked
				 * files that are not ignored */
	char **paths;   /* their names, sorted; at most 200 (changed counts them all) */
	size_t npaths;
	/* Where HEAD's commits stand against the remote, from the refs on disk (no network: as of
	 * the learner's last fetch or push). */
	bool detached;        /* HEAD is not on a branch */
	char *branch;         /* HEAD's branch ("main"); NULL when detached */
	char *upstream;       /* its upstream ("origin/main"); NULL when it has none, or when the
				 * remote-tracking branch does not exist (never pushed or fetched) */
	size_t ahead, behind; /* commits HEAD has that the upstream lacks, and the reverse */
	char *remote;         /* when there is no upstream: a remote to push to ("origin" when it
				 * exists, else the first one); NULL when there is none */
	struct buf message;   /* on failure: what failed */
};

/* Finds the working tree of the git repository that contains `path`, as git does (libgit2's
 * git_repository_discover: upwards from `path`, not across file systems, stopping at the folders
 * of $GIT_CEILING_DIRECTORIES; a `.git` file is followed as libgit2 does, so a linked worktree's
 * root is the worktree's folder). For `grader check` only, on the learner's own machine: `grade`
 * never climbs (fetch_run opens exactly the path it is given). Returns 1 with `*root` set to the
 * working tree's real path (free it), 0 when `path` is inside no repository or only in a bare one
 * (then `*root` is NULL and `message` says why), -1 when libgit2 or `path` fails (`message`). */
int fetch_discover_root(const char *path, char **root, struct buf *message);

/* What git ignores in a learner's working tree, for grader check --watch: opened on the root of a
 * working tree (NULL when `workdir` is not one, or on failure). fetch_ignore_dir() is true for a
 * folder `rel` (relative to the root) that git ignores and that holds no tracked file (a .venv,
 * build output): never in a commit, so not worth watching. The index is re-read when it changed. */
struct fetch_ignore;
struct fetch_ignore *fetch_ignore_open(const char *workdir);
bool fetch_ignore_dir(struct fetch_ignore *ig, const char *rel);
void fetch_ignore_close(struct fetch_ignore *ig);

/* Fills `st` (zeroed by the caller; free it with fetch_status_free) for the repository that
 * contains `path`. Returns 0, or -1 with st->message set (e.g. not a git repository). */
int fetch_worktree_status(const char *path, struct fetch_status *st);
void fetch_status_free(struct fetch_status *st);

/* Scans the directory `dir`, which is about to be graded in place (fetch_run does it for a plain
 * directory, grader check for the learner's working tree, with `skip_ignored`: then, when `dir` is
 * the working tree of a git repository, what it ignores and does not track is skipped, as it is
 * never in a commit the instructor grades), and refuses (FETCH_ERR_REFUSED) a
 * symbolic link whose target is absolute or that resolves, physically and following chains,
 * outside the real path of `dir` (a dangling link whose text climbs out too), a link that loops,
 * and named pipes and devices. Links that stay inside are fine. It skips `.git` folders and the
 * `target` folder beside a Cargo.toml (cargo's build output), and stops with FETCH_ERR_LIMIT past
 * `max_entries` entries (0: FETCH_DEFAULT_FILES) or directories nested deeper than 128. Returns
 * FETCH_OK, or the error with a message in `message` that names the link and its target. This is
 * the up-front refusal with a message; it does not make later reads safe against a tree that
 * changes afterwards (those open files beneath the submission). */
enum fetch_error fetch_scan_directory(const char *dir, uint64_t max_entries, bool skip_ignored,
				      struct buf *message);

/* The child side of a network transfer, run as `grader fetch --transfer-child URL GITDIR BYTES
 * MEMORY HOSTS` (BYTES: the transfer limit, MEMORY: the memory limit, HOSTS: the token hosts,
 * comma-separated) with the progress pipe on descriptor 3;
 * cli_fetch calls it. Returns the exit status. */
int fetch_transfer_child_main(int argc, char **argv);

/* True when `known_hosts` (the text of an OpenSSH known_hosts file) lists `key` (the raw host key
 * blob, as base64-decoded from such a file) for `host` ("host" or "[host]:port" when port is not
 * 22). Hashed host names are not supported. Exposed for tests. */
bool fetch_known_hosts_match(const char *known_hosts, const char *host, int port,
			     const unsigned char *key, size_t keylen);

/* The same lookup with the reason: 1 when `key` is listed for the host, 0 when the host is listed
 * with other keys only (a changed key, or a server that is not the one it claims), -1 when the
 * host is not listed. Exposed for tests. */
int fetch_known_hosts_lookup(const char *known_hosts, const char *host, int port,
			     const unsigned char *key, size_t keylen);

/* Copies `in` into `out` with every password of a URL ("https://user:pass@host") replaced by
 * "***", and every occurrence of the token from GRADER_GIT_TOKEN too. Returns 0, or -1 (errno
 * EFBIG) when `out` has a maximum (buf.h) that the text would pass. Exposed for tests. */
int fetch_redact(const char *in, struct buf *out);

#endif
