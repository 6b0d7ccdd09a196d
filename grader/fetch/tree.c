/* tree.c: writes a commit's tree to disk by itself (no libgit2 checkout): checked names, caps
 * applied before the first byte, links neutralised. */
#include "fetch/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "num.h"
#include "banned.h"

#define MAX_LISTED 5 /* paths named in one warning */

/* ---- writing a tree ------------------------------------------------------------------------ */

struct walk {
	git_repository *repo;
	git_odb *odb;
	const struct fetch_limits *lim;
	struct fetch_result *res;
	const char *what;
	struct buf path; /* of the current entry, relative to the tree */
	uint64_t entries, bytes;
	int depth;
	size_t nlinks, nlfs, nsub;
	struct buf links, lfs, subs; /* the first few names of each, comma-separated */
};

/* Refuses names that could escape the tree or reach a repository's metadata on any filesystem. */
static const char *bad_name(const char *name)
{
	static const char *const git_names[] = {".git", "git~1"};

	if (!*name)
		return "an empty name";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "a '.' or '..' component";
	if (strchr(name, '/'))
		return "a '/' inside a name";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "a control character in a name";
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(git_names[i]);
		/* ".git", ".GIT", and the forms Windows and macOS treat as the same (".git.", ".git ") */
		if (!strncasecmp(name, git_names[i], n) && name[n + strspn(name + n, ". ")] == '\0')
			return "a '.git' component (in any case)";
	}
	return NULL;
}

static void note(struct buf *list, size_t *count, const char *path)
{
	if ((*count)++ < MAX_LISTED)
		buf_printf(list, "%s%s", list->len ? ", " : "", path);
}

static int push_name(struct walk *w, const char *name, size_t *saved)
{
	*saved = w->path.len;
	if (w->path.len)
		buf_puts(&w->path, "/");
	buf_puts(&w->path, name);
	if (w->path.len > MAX_PATH_BYTES) {
		set_error(w->res, FETCH_ERR_REFUSED, "%s: a path longer than %d bytes under '%.200s'",
			  w->what, MAX_PATH_BYTES, buf_str(&w->path));
		return -1;
	}
	return 0;
}

static void pop_name(struct walk *w, size_t saved)
{
	buf_setlen(&w->path, saved);
}

bool link_leaves(const char *linkpath, const char *target, size_t len, bool git_too)
{
	int depth = 0;
	const char *p = target, *end = target + len;

	if (len == 0 || memchr(target, '\0', len) || target[0] == '/')
		return true;
	for (const char *c = linkpath; c && *c; c++) /* the link's own directory depth */
		depth += *c == '/';
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n = slash ? (size_t)(slash - p) : (size_t)(end - p);
		if (n == 2 && !memcmp(p, "..", 2)) {
			if (--depth < 0)
				return true;
		} else if (git_too && n == 4 && !strncasecmp(p, ".git", 4)) {
			return true;
		} else if (n && !(n == 1 && *p == '.')) {
			depth++;
		}
		p += n + (slash ? 1 : 0);
	}
	return false;
}

static int check_link_target(struct walk *w, const char *target, size_t len)
{
	if (!link_leaves(w->path.data, target, len, true))
		return 0;
	set_error(w->res, FETCH_ERR_REFUSED,
		  "%s: '%s' is a symbolic link to '%.*s', outside the tree; "
		  "the grader refuses it (commit the file itself instead)",
		  w->what, buf_str(&w->path), (int)(len > 200 ? 200 : len), target);
	return -1;
}

/* The checks of a file or link entry `e` (at w->path): a blob within the size caps, and a link
 * whose target stays in the tree. */
static int check_blob(struct walk *w, const git_tree_entry *e, git_filemode_t mode)
{
	char sz[32], sz2[32];
	git_object_t type;
	git_blob *b;
	size_t len = 0;
	int rc;

	if (git_odb_read_header(&len, &type, w->odb, git_tree_entry_id(e)) < 0 || type != GIT_OBJECT_BLOB) {
		set_error(w->res, FETCH_ERR_SOURCE, "%s: file '%s': missing or not a blob", w->what,
			  buf_str(&w->path));
		return -1;
	}
	if (len > w->lim->file_bytes) {
		set_error(w->res, FETCH_ERR_LIMIT, "%s: file '%s' is %s, more than %s (file size limit)",
			  w->what, buf_str(&w->path), num_format_size(len, sz, sizeof(sz)),
			  num_format_size(w->lim->file_bytes, sz2, sizeof(sz2)));
		return -1;
	}
	w->bytes += len;
	if (w->bytes > w->lim->checkout_bytes) {
		set_error(w->res, FETCH_ERR_LIMIT, "%s: more than %s of files (checkout size limit)",
			  w->what, num_format_size(w->lim->checkout_bytes, sz, sizeof(sz)));
		return -1;
	}
	if (mode != GIT_FILEMODE_LINK)
		return 0;
	if (len > MAX_LINK_BYTES) {
		set_error(w->res, FETCH_ERR_REFUSED, "%s: symbolic link '%s' has a %zu-byte target",
			  w->what, buf_str(&w->path), len);
		return -1;
	}
	if (git_blob_lookup(&b, w->repo, git_tree_entry_id(e)) < 0) {
		set_error(w->res, FETCH_ERR_SOURCE, "%s: link '%s': %s", w->what, buf_str(&w->path),
			  libgit2_message());
		return -1;
	}
	rc = check_link_target(w, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return rc;
}

/* First pass: validates every name and mode and applies the caps, writing nothing. */
static int check_tree(struct walk *w, const git_tree *tree)
{
	size_t count = git_tree_entrycount(tree);

	if (++w->depth > MAX_DEPTH) {
		set_error(w->res, FETCH_ERR_REFUSED, "%s: directories nested deeper than %d under '%.200s'",
			  w->what, MAX_DEPTH, buf_str(&w->path));
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e), *why;
		git_filemode_t mode = git_tree_entry_filemode(e);
		size_t saved;
		int rc = 0;

		if (push_name(w, name, &saved) < 0)
			return -1;
		if ((why = bad_name(name))) {
			set_error(w->res, FETCH_ERR_REFUSED,
				  "%s: the tree entry '%.200s' has %s; the grader "
				  "refuses it",
				  w->what, buf_str(&w->path), why);
			return -1;
		}
		if (++w->entries > w->lim->files) {
			set_error(w->res, FETCH_ERR_LIMIT,
				  "%s: more than %llu files and directories (file count "
				  "limit)",
				  w->what, (unsigned long long)w->lim->files);
			return -1;
		}
		switch (mode) {
		case GIT_FILEMODE_TREE: {
			git_tree *sub;
			if (git_tree_lookup(&sub, w->repo, git_tree_entry_id(e)) < 0) {
				set_error(w->res, FETCH_ERR_SOURCE, "%s: directory '%s': %s", w->what,
					  buf_str(&w->path), libgit2_message());
				return -1;
			}
			rc = check_tree(w, sub);
			git_tree_free(sub);
			break;
		}
		case GIT_FILEMODE_BLOB:
		case GIT_FILEMODE_BLOB_EXECUTABLE:
		case GIT_FILEMODE_LINK:
			rc = check_blob(w, e, mode);
			break;
		case GIT_FILEMODE_COMMIT:
			break;
		default:
			set_error(w->res, FETCH_ERR_REFUSED, "%s: '%s' has an unknown file mode %o",
				  w->what, buf_str(&w->path), (unsigned)git_tree_entry_filemode_raw(e));
			return -1;
		}
		if (rc < 0)
			return -1;
		pop_name(w, saved);
	}
	w->depth--;
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static bool is_lfs_pointer(const char *data, size_t len)
{
	static const char magic[] = "version https://git-lfs.github.com/spec/";
	return len < 1024 && len >= sizeof(magic) - 1 && !memcmp(data, magic, sizeof(magic) - 1);
}

static int write_file(struct walk *w, int dirfd, const char *name, const git_oid *id, mode_t mode, bool link)
{
	git_blob *b;
	const char *data;
	size_t len;
	int fd, rc;

	if (git_blob_lookup(&b, w->repo, id) < 0) {
		set_error(w->res, FETCH_ERR_SOURCE, "%s: file '%s': %s", w->what, buf_str(&w->path),
			  libgit2_message());
		return -1;
	}
	data = git_blob_rawcontent(b);
	len = (size_t)git_blob_rawsize(b);
	if (link)
		note(&w->links, &w->nlinks, buf_str(&w->path));
	else if (is_lfs_pointer(data, len))
		note(&w->lfs, &w->nlfs, buf_str(&w->path));
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		set_error(w->res, errno == EEXIST ? FETCH_ERR_REFUSED : FETCH_ERR_INFRA,
			  "%s: writing '%s': %s", w->what, buf_str(&w->path),
			  errno == EEXIST ? "the tree names it twice" : strerror(errno));
		git_blob_free(b);
		return -1;
	}
	rc = write_all(fd, data, len);
	if (close(fd) < 0)
		rc = -1;
	git_blob_free(b);
	if (rc < 0) {
		set_error(w->res, FETCH_ERR_INFRA, "%s: writing '%s': %s", w->what, buf_str(&w->path),
			  strerror(errno));
		return -1;
	}
	w->res->files++;
	w->res->bytes += len;
	return 0;
}

/* Second pass: writes the checked tree under the directory `dirfd`. */
static int write_tree(struct walk *w, int dirfd, const git_tree *tree)
{
	size_t count = git_tree_entrycount(tree);

	for (size_t i = 0; i < count; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t mode = git_tree_entry_filemode(e);
		size_t saved;
		int rc = 0;

		if (push_name(w, name, &saved) < 0)
			return -1;
		if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT) {
			if (mkdirat(dirfd, name, 0755) < 0) {
				set_error(w->res, errno == EEXIST ? FETCH_ERR_REFUSED : FETCH_ERR_INFRA,
					  "%s: creating directory '%s': %s", w->what, buf_str(&w->path),
					  errno == EEXIST ? "the tree names it twice" : strerror(errno));
				return -1;
			}
			if (mode == GIT_FILEMODE_COMMIT) {
				note(&w->subs, &w->nsub, buf_str(&w->path));
			} else {
				git_tree *sub;
				int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (fd < 0 || git_tree_lookup(&sub, w->repo, git_tree_entry_id(e)) < 0) {
					set_error(w->res, FETCH_ERR_INFRA, "%s: opening directory '%s': %s",
						  w->what, buf_str(&w->path),
						  fd < 0 ? strerror(errno) : libgit2_message());
					if (fd >= 0)
						close(fd);
					return -1;
				}
				rc = write_tree(w, fd, sub);
				git_tree_free(sub);
				close(fd);
			}
		} else {
			rc = write_file(w, dirfd, name, git_tree_entry_id(e),
					mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644,
					mode == GIT_FILEMODE_LINK);
		}
		if (rc < 0)
			return -1;
		pop_name(w, saved);
	}
	return 0;
}

int materialise(git_repository *repo, const git_oid *commit_id, const struct fetch_limits *lim,
		const char *what, const char *dest, struct fetch_result *res)
{
	struct walk w = {.repo = repo, .lim = lim, .res = res, .what = what, .path = BUF_INIT};
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int dirfd = -1, rc = -1;

	if (git_commit_lookup(&commit, repo, commit_id) < 0 || git_commit_tree(&tree, commit) < 0 ||
	    git_repository_odb(&w.odb, repo) < 0) {
		set_error(res, FETCH_ERR_SOURCE, "%s: commit %s: %s", what, git_oid_tostr_s(commit_id),
			  libgit2_message());
		goto out;
	}
	fill_commit(&res->commit, commit);
	res->has_commit = true;
	if (check_tree(&w, tree) < 0)
		goto out;
	if (mkdir(dest, 0755) < 0 || (dirfd = open(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		set_error(res, FETCH_ERR_INFRA, "%s: creating %s: %s", what, dest, strerror(errno));
		goto out;
	}
	buf_reset(&w.path);
	if (write_tree(&w, dirfd, tree) < 0)
		goto out;
	if (git_tree_entry_byname(tree, ".gitmodules") || w.nsub) {
		res->submodules = true;
		add_warning(res, "submodules present%s%s%s: they are not fetched, their directories are empty",
			    w.nsub ? " (" : "", buf_str(&w.subs),
			    w.nsub > MAX_LISTED ? ", ...)"
			    : w.nsub            ? ")"
						: "");
	}
	if (w.nlfs) {
		res->lfs_pointers = true;
		add_warning(res,
			    "%zu Git LFS pointer file%s found (%s%s): the grader sees the pointers, not "
			    "the large files",
			    w.nlfs, w.nlfs == 1 ? "" : "s", buf_str(&w.lfs),
			    w.nlfs > MAX_LISTED ? ", ..." : "");
	}
	if (w.nlinks) {
		res->symlinks_neutralised = true;
		add_warning(res, "%zu symbolic link%s written as plain files holding the target (%s%s)",
			    w.nlinks, w.nlinks == 1 ? "" : "s", buf_str(&w.links),
			    w.nlinks > MAX_LISTED ? ", ..." : "");
	}
	rc = 0;
out:
	if (dirfd >= 0)
		close(dirfd);
	git_odb_free(w.odb);
	git_tree_free(tree);
	git_commit_free(commit);
	buf_free(&w.path);
	buf_free(&w.links);
	buf_free(&w.lfs);
	buf_free(&w.subs);
	return rc;
}
