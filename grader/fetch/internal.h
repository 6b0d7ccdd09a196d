/* internal.h: private to grader/fetch/: what the files of the fetch module share with each other.
 * Nothing outside grader/fetch/ includes it; the interface is fetch.h.
 *
 * The files: fetch.c (fetch_run, libgit2's lifetime, errors and warnings, the JSON of a result),
 * source.c (URLs, token hosts, redaction, ssh known hosts, the check of a file:// URL),
 * transfer.c (the network transfer: its child process and the parent that watches it),
 * commits.c (commits, refs, the deadline, dates), tree.c (writing a commit's tree),
 * scan.c (trees on disk: plain directories and git directories), worktree.c (grader check: the
 * learner's working tree). */
#ifndef GRADER_FETCH_INTERNAL_H
#define GRADER_FETCH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "buf.h"
#include "fetch/fetch.h"

#define MAX_PATH_BYTES 4096 /* longest path written into a tree */
#define MAX_DEPTH 128       /* deepest directory nesting written */
#define MAX_LINK_BYTES 4096 /* longest symbolic link target */

/* ---- fetch.c ---- */

/* Initialises libgit2 once per process (see fetch.h). Returns 0, or -1 when it failed. */
int fetch_init(void);

/* libgit2's last error message; never NULL ("unknown libgit2 error" when libgit2 1.5 has none).
 * Read it only right after a failure. */
const char *libgit2_message(void);

/* A malloc'ed copy of at most `max` bytes of `s` (n bytes) that is valid UTF-8 without control
 * characters (invalid bytes become U+FFFD, controls a space), cut at the first of the `stop`
 * characters when `stop` is given; never NULL. */
char *clean_text(const char *s, size_t n, size_t max, const char *stop);

/* Sets res->error to `kind` and res->message to the formatted message, redacted (fetch_redact)
 * and cleaned (clean_text), unless an error is already set: the first, most specific message is
 * kept. */
void set_error(struct fetch_result *res, enum fetch_error kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends a warning to res->warnings, redacted and cleaned. */
void add_warning(struct fetch_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- source.c ---- */

/* True when the URL `s` starts with "<scheme>://". */
bool has_scheme(const char *s, const char *scheme);

/* 1: a URL we accept; 0: not a URL; -1: a URL with a scheme we refuse (ext::, fd::, ftp://). */
int classify_url(const char *s);

/* Sets `out` to the host of a URL (lower-case as given), or "" for scp-like syntax without one. */
void url_host(const char *url, struct buf *out);

/* The port of a URL: the one given, else the scheme's (443, 80), else 22. */
int url_port(const char *url);

/* True for a literal loopback address only: a name like "127.example.org" can resolve anywhere. */
bool is_loopback(const char *host);

/* Whether `host` is in `list` (comma-separated, lower case), ignoring case. */
bool host_listed(const char *list, const char *host);

/* Sets `out` (a buffer without a maximum) to the token hosts of `req` and of GRADER_TOKEN_HOSTS,
 * as one comma-separated list in lower case. */
void token_hosts(const struct fetch_request *req, struct buf *out);

/* Whether the ssh host key `key` of `host`:`port` is listed in $GRADER_SSH_KNOWN_HOSTS, or else
 * in ~/.ssh/known_hosts or /etc/ssh/ssh_known_hosts: KNOWN; CHANGED when a file lists the host
 * with other keys only (`file` is set to the first such file); UNKNOWN when none lists it. */
enum hostkey_verdict { HOSTKEY_KNOWN, HOSTKEY_CHANGED, HOSTKEY_UNKNOWN };
enum hostkey_verdict ssh_host_known(const char *host, int port, const unsigned char *key, size_t keylen,
				    struct buf *file);

/* Refuses (-1, res set) a file:// URL whose repository on this host is not self-contained
 * (check_self_contained). `what` names the source in messages. */
int check_file_url(const char *url, const char *what, struct fetch_result *res);

/* ---- transfer.c ---- */

/* What a network transfer learnt besides the objects. */
struct transfer_out {
	bool has_head;
	struct buf head; /* the remote's default branch ("" when it has none); the caller frees it */
	uint64_t bytes;  /* bytes received */
};

/* Fetches every branch and tag of `url` into a new bare repository at `gitdir`, in a child
 * process it kills at the limits `lim` (total time, stall time, bytes). `hosts` are the token
 * hosts (token_hosts). Returns 0, or -1 with res set; res->transfer_bytes is set either way once
 * the child ran to its end. */
int transfer(const struct fetch_request *req, const struct fetch_limits *lim, const char *url,
	     const char *gitdir, const char *hosts, struct transfer_out *t, struct fetch_result *res);

/* ---- commits.c ---- */

/* Fills `out` from `c`, author and summary cleaned (free them with free_commit). */
void fill_commit(struct fetch_commit *out, const git_commit *c);
void free_commit(struct fetch_commit *c);

/* Finds the commit `ref` names (NULL: `default_ref`, or HEAD when that is NULL too), sets `oid`
 * and res->ref. Returns 0, or -1 with res set (FETCH_ERR_SOURCE). */
int resolve_ref(git_repository *repo, const char *ref, const char *default_ref, const char *what,
		git_oid *oid, struct fetch_result *res);

/* Sets `chosen` to the newest commit reachable from `tip` dated at or before req's deadline
 * (`tip` itself without a deadline), and res->late and its fields from the newest commit after
 * it. Returns 0, or -1 with res set. */
int apply_deadline(git_repository *repo, const git_oid *tip, const struct fetch_request *req,
		   const char *what, git_oid *chosen, struct fetch_result *res);

/* ---- tree.c ---- */

/* Writes the tree of the commit `commit_id` into the new directory `dest`, after checking every
 * entry against the limits `lim`; fills res->commit, files, bytes and the warnings. Returns 0,
 * or -1 with res set. */
int materialise(git_repository *repo, const git_oid *commit_id, const struct fetch_limits *lim,
		const char *what, const char *dest, struct fetch_result *res);

/* True when the relative link `target` (len bytes), found at `linkpath` (relative to the tree's
 * root), names something outside the tree, read as text: absolute, or with more ".." than the
 * link's depth, or (when `git_too`) through a ".git" component. */
bool link_leaves(const char *linkpath, const char *target, size_t len, bool git_too);

/* ---- scan.c ---- */

/* Scans a directory on disk before anything reads it. In a plain directory (graded in place) a
 * symbolic link may stay inside; in a git directory there may be none: a link there (an object, a
 * pack, a ref) borrows another repository's content. */
enum scan_mode { SCAN_SUBMISSION, SCAN_GITDIR };

/* Scans the directory `root` (a real path) in `mode`; at most `max` entries. With `repo` (whose
 * working tree is `root`), what it ignores and does not track is skipped. Returns 0, or -1 with
 * res set. */
int scan_tree(enum scan_mode mode, const char *root, uint64_t max, const char *what,
	      git_repository *repo, struct fetch_result *res);

/* Refuses (-1, res set) a local repository that is not self-contained: alternates, a git
 * directory or common directory outside `source` (the path as given), links in its git
 * directory. */
int check_self_contained(git_repository *repo, const char *source, const char *what, struct fetch_result *res);

#endif
