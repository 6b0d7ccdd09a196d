/* scan.c: trees on disk: the scan of a plain directory graded in place and of a local
 * repository's git directory, for links that leave them, pipes and devices. */
#include "fetch/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fs.h"
#include "banned.h"

#define MAX_GITDIR_ENTRIES 1000000 /* entries of a local repository's git directory scanned */

/* ---- trees on disk: plain directories and git directories ---------------------------------- */

struct scan {
	enum scan_mode mode;
	int rootfd;
	const char *root; /* real path of the directory scanned */
	const char *what; /* how messages name the source */
	uint64_t max, entries;
	int depth;
	struct buf path; /* of the current entry, relative to root */
	struct fetch_result *res;
	git_repository *repo; /* when set (grader check): skip what it ignores and does not track */
	git_index *index;
};

/* Whether the entry at s->path is ignored by the repository and not tracked: never part of a
 * commit, so never in what the instructor grades (a Python virtualenv's links to /usr/bin). */
static bool ignored_untracked(struct scan *s, bool dir)
{
	int ignored = 0;
	size_t pos;

	if (!s->repo || git_ignore_path_is_ignored(&ignored, s->repo, buf_str(&s->path)) < 0 || !ignored)
		return false;
	if (!s->index) /* no index to tell what is tracked: scan it */
		return false;
	if (!dir)
		return git_index_get_bypath(s->index, buf_str(&s->path), 0) == NULL;
	{
		struct buf prefix = BUF_INIT;
		bool tracked;
		buf_printf(&prefix, "%s/", buf_str(&s->path));
		tracked = git_index_find_prefix(&pos, s->index, buf_str(&prefix)) == 0;
		buf_free(&prefix);
		return !tracked;
	}
}

/* 1: `rel` (relative to rootfd) resolves beneath rootfd, following every link; 0: it does not
 * resolve (errno says why: EXDEV it leaves, ELOOP a loop, ENOENT/ENOTDIR dangling); -1: openat2 is
 * not available here. */
static int resolve_beneath(int rootfd, const char *rel)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};

	for (int tries = 0; tries < 16; tries++) {
		long fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
		if (fd >= 0) {
			close((int)fd);
			return 1;
		}
		if (errno == ENOSYS || errno == EPERM)
			return -1;
		if (errno != EAGAIN && errno != EINTR)
			return 0;
	}
	return 0;
}

/* The same without openat2: the real path of root/rel must be root or beneath it. */
static int resolve_realpath(const char *root, const char *rel)
{
	struct buf full = BUF_INIT;
	char *real;
	size_t n = strlen(root);
	int rc;

	fs_join(&full, root, rel);
	real = realpath(buf_str(&full), NULL);
	buf_free(&full);
	if (!real)
		return 0;
	rc = !strncmp(real, root, n) && (real[n] == '\0' || real[n] == '/' || !strcmp(root, "/"));
	free(real);
	if (!rc)
		errno = EXDEV;
	return rc;
}

static int scan_link(struct scan *s, int dirfd, const char *name)
{
	char target[MAX_LINK_BYTES + 1];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	const char *why;
	int r;

	if (n < 0) {
		set_error(s->res, FETCH_ERR_INFRA, "%s: reading the link '%s': %s", s->what,
			  buf_str(&s->path), strerror(errno));
		return -1;
	}
	target[n] = '\0';
	if (s->mode == SCAN_GITDIR) {
		set_error(s->res, FETCH_ERR_REFUSED,
			  "%s: '%s' in the git directory %s is a symbolic link to "
			  "'%.200s'; the grader refuses links in a repository's git directory (they borrow "
			  "another repository's objects or refs)",
			  s->what, buf_str(&s->path), s->root, target);
		return -1;
	}
	if ((size_t)n == sizeof(target) - 1) {
		set_error(s->res, FETCH_ERR_REFUSED, "%s: symbolic link '%s' has a target longer than %d bytes",
			  s->what, buf_str(&s->path), MAX_LINK_BYTES);
		return -1;
	}
	if (target[0] == '/')
		goto outside;
	r = resolve_beneath(s->rootfd, buf_str(&s->path));
	if (r < 0)
		r = resolve_realpath(s->root, buf_str(&s->path));
	if (r > 0)
		return 0;
	switch (errno) {
	case ENOENT:
	case ENOTDIR:
		/* Dangling: nothing is reachable through it now; refuse it still if its text climbs out. */
		if (!link_leaves(buf_str(&s->path), target, (size_t)n, false))
			return 0;
		goto outside;
	case EXDEV:
		goto outside;
	case ELOOP:
		why = "a loop of symbolic links";
		break;
	default:
		why = strerror(errno);
		break;
	}
	set_error(s->res, FETCH_ERR_REFUSED,
		  "%s: the symbolic link '%s' -> '%.200s' cannot be resolved "
		  "(%s); the grader refuses it",
		  s->what, buf_str(&s->path), target, why);
	return -1;
outside:
	set_error(s->res, FETCH_ERR_REFUSED,
		  "%s: '%s' is a symbolic link to '%.200s', outside the "
		  "submission; the grader refuses it (put the file itself in the submission instead)",
		  s->what, buf_str(&s->path), target);
	return -1;
}

static int scan_dir(struct scan *s, int fd);

/* Scans the entry `name` of the directory `d`, at s->path; `cargo` when `d` holds a Cargo.toml. */
static int scan_entry(struct scan *s, DIR *d, const char *name, bool cargo)
{
	struct stat st;
	int sub;

	if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT) /* removed since readdir: nothing to refuse */
			return 0;
		set_error(s->res, FETCH_ERR_INFRA, "%s: '%s': %s", s->what, buf_str(&s->path), strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) && ignored_untracked(s, S_ISDIR(st.st_mode)))
		return 0; /* not the learner's submission: skipped */
	if (S_ISLNK(st.st_mode))
		return scan_link(s, dirfd(d), name);
	if (S_ISDIR(st.st_mode)) {
		bool skip = s->mode == SCAN_SUBMISSION
				    ? !strcmp(name, ".git") || (cargo && !strcmp(name, "target"))
				    : s->depth == 1 && !strcmp(name, "hooks"); /* never read */
		if (skip)
			return 0;
		sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			set_error(s->res, FETCH_ERR_INFRA, "%s: opening '%s': %s", s->what,
				  buf_str(&s->path), strerror(errno));
			return -1;
		}
		return scan_dir(s, sub);
	}
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		/* reading a pipe blocks forever; a device is not a file of the learner's */
		set_error(s->res, FETCH_ERR_REFUSED, "%s: '%s' is a %s, not a file; the grader refuses it",
			  s->what, buf_str(&s->path), S_ISFIFO(st.st_mode) ? "named pipe" : "device");
		return -1;
	}
	return 0;
}

/* Scans the directory `fd` (which it closes) and what it holds. */
static int scan_dir(struct scan *s, int fd)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	bool cargo;
	int rc = 0;

	if (++s->depth > MAX_DEPTH) {
		close(fd);
		set_error(s->res, FETCH_ERR_REFUSED, "%s: directories nested deeper than %d under '%.200s'",
			  s->what, MAX_DEPTH, buf_str(&s->path));
		return -1;
	}
	d = fdopendir(fd);
	if (!d) {
		set_error(s->res, FETCH_ERR_INFRA, "%s: reading '%s': %s", s->what,
			  s->path.len ? buf_str(&s->path) : ".", strerror(errno));
		close(fd);
		return -1;
	}
	/* cargo's build folder beside a Cargo.toml is the learner's build output, not the submission */
	cargo = s->mode == SCAN_SUBMISSION && fstatat(dirfd(d), "Cargo.toml", &st, AT_SYMLINK_NOFOLLOW) == 0;
	while (rc == 0) {
		size_t saved;
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				set_error(s->res, FETCH_ERR_INFRA, "%s: reading '%s': %s", s->what,
					  s->path.len ? buf_str(&s->path) : ".", strerror(errno));
				rc = -1;
			}
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		saved = s->path.len;
		if (s->path.len)
			buf_puts(&s->path, "/");
		buf_puts(&s->path, de->d_name);
		if (s->path.len > MAX_PATH_BYTES) {
			set_error(s->res, FETCH_ERR_REFUSED, "%s: a path longer than %d bytes under '%.200s'",
				  s->what, MAX_PATH_BYTES, buf_str(&s->path));
			rc = -1;
			break;
		}
		if (++s->entries > s->max) {
			set_error(s->res, FETCH_ERR_LIMIT,
				  "%s: more than %llu files and directories (file count "
				  "limit)",
				  s->what, (unsigned long long)s->max);
			rc = -1;
			break;
		}
		rc = scan_entry(s, d, de->d_name, cargo);
		if (rc == 0)
			buf_setlen(&s->path, saved);
	}
	closedir(d);
	s->depth--;
	return rc;
}

int scan_tree(enum scan_mode mode, const char *root, uint64_t max, const char *what,
	      git_repository *repo, struct fetch_result *res)
{
	struct scan s = {
		.mode = mode, .root = root, .what = what, .max = max, .res = res, .repo = repo, .path = BUF_INIT};
	int fd, rc;

	if (repo && git_repository_index(&s.index, repo) < 0)
		s.index = NULL;
	s.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.rootfd < 0) {
		set_error(res, FETCH_ERR_SOURCE, "%s: %s: %s", what, root, strerror(errno));
		git_index_free(s.index);
		return -1;
	}
	fd = dup(s.rootfd);
	if (fd < 0) {
		set_error(res, FETCH_ERR_INFRA, "%s: %s", what, strerror(errno));
		close(s.rootfd);
		git_index_free(s.index);
		return -1;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	rc = scan_dir(&s, fd);
	close(s.rootfd);
	buf_free(&s.path);
	git_index_free(s.index);
	return rc;
}

enum fetch_error fetch_scan_directory(const char *dir, uint64_t max_entries, bool skip_ignored, struct buf *message)
{
	struct fetch_result res = {.message = BUF_INIT};
	char *real = fs_realpath(dir), *workdir = NULL;
	git_repository *repo = NULL;
	enum fetch_error e;

	if (!real) {
		buf_printf(message, "%s: %s", dir, strerror(errno));
		return FETCH_ERR_SOURCE;
	}
	if (fetch_init() < 0) {
		buf_printf(message, "libgit2 failed to initialise: %s", libgit2_message());
		free(real);
		return FETCH_ERR_INFRA;
	}
	/* only when `dir` is the repository's working tree: then paths relative to it are the
	 * repository's own */
	if (skip_ignored && git_repository_open_ext(&repo, real, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0 &&
	    (git_repository_is_bare(repo) || !git_repository_workdir(repo) ||
	     !(workdir = fs_realpath(git_repository_workdir(repo))) || strcmp(workdir, real))) {
		git_repository_free(repo);
		repo = NULL;
	}
	res.error = FETCH_OK;
	scan_tree(SCAN_SUBMISSION, real, max_entries ? max_entries : FETCH_DEFAULT_FILES, real, repo, &res);
	e = res.error;
	if (e != FETCH_OK)
		buf_puts(message, buf_str(&res.message));
	fetch_result_free(&res);
	git_repository_free(repo);
	free(workdir);
	free(real);
	return e;
}

/* True when `path` is `root` or beneath it (both real paths). */
static bool path_inside(const char *root, const char *path)
{
	size_t n = strlen(root);
	return path && !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/' || !strcmp(root, "/"));
}

/* A local repository must be self-contained. libgit2 reads other repositories' objects through
 * objects/info/alternates, through a .git file or a worktree's commondir that point elsewhere,
 * and through symbolic links in the git directory; any of them grades a commit that is not in the
 * repository named, without a word. `source` is the path as given (a working tree or a bare
 * repository). */
int check_self_contained(git_repository *repo, const char *source, const char *what, struct fetch_result *res)
{
	char *root = fs_realpath(source), *gitdir = NULL, *common = NULL;
	struct buf alt = BUF_INIT;
	struct stat st;
	int rc = -1;

	if (!root) {
		set_error(res, FETCH_ERR_SOURCE, "%s: %s", what, strerror(errno));
		return -1;
	}
	gitdir = fs_realpath(git_repository_path(repo));
	common = fs_realpath(git_repository_commondir(repo));
	if (!gitdir || !common) {
		set_error(res, FETCH_ERR_SOURCE, "%s: its git directory cannot be resolved: %s", what,
			  strerror(errno));
		goto out;
	}
	if (!path_inside(root, gitdir)) {
		set_error(res, FETCH_ERR_REFUSED,
			  "%s: its git directory is %s, outside it (a .git file or link "
			  "that points elsewhere); the grader reads only the repository it is given",
			  what, gitdir);
		goto out;
	}
	if (!path_inside(root, common)) {
		set_error(res, FETCH_ERR_REFUSED,
			  "%s: it is a worktree whose objects are in %s, outside it; "
			  "the grader reads only the repository it is given (name the main repository)",
			  what, common);
		goto out;
	}
	fs_join(&alt, common, "objects/info/alternates");
	if (lstat(buf_str(&alt), &st) == 0) {
		set_error(res, FETCH_ERR_REFUSED,
			  "%s: %s borrows objects from other repositories; the grader "
			  "refuses alternates (run 'git repack -a -d' and delete that file, or push the repository "
			  "and grade its URL)",
			  what, buf_str(&alt));
		goto out;
	}
	if (scan_tree(SCAN_GITDIR, common, MAX_GITDIR_ENTRIES, what, NULL, res) < 0 ||
	    (strcmp(gitdir, common) && scan_tree(SCAN_GITDIR, gitdir, MAX_GITDIR_ENTRIES, what, NULL, res) < 0))
		goto out;
	rc = 0;
out:
	free(root);
	free(gitdir);
	free(common);
	buf_free(&alt);
	return rc;
}
