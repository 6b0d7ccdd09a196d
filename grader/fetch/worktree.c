/* worktree.c: grader check: the learner's working tree (its root, its status against HEAD and the
 * upstream, what git ignores). */
#include "fetch/internal.h"

#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_STATUS_PATHS 200

/* ---- grader check: the learner's working tree ---------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int fetch_discover_root(const char *path, char **root, struct buf *message)
{
	git_buf found = GIT_BUF_INIT;
	git_repository *repo = NULL;
	const char *ceiling = getenv("GIT_CEILING_DIRECTORIES");
	int rc;

	*root = NULL;
	if (fetch_init() < 0) {
		buf_printf(message, "libgit2 failed to initialise: %s", libgit2_message());
		return -1;
	}
	rc = git_repository_discover(&found, path, 0, ceiling && *ceiling ? ceiling : NULL);
	if (rc == GIT_ENOTFOUND) {
		buf_printf(message, "no git repository contains %s", path);
		return 0;
	}
	if (rc < 0) {
		buf_printf(message, "%s: %s", path, libgit2_message());
		return -1;
	}
	rc = git_repository_open(&repo, found.ptr);
	if (rc < 0) {
		buf_printf(message, "%s: %s", found.ptr, libgit2_message());
		rc = -1;
	} else if (git_repository_is_bare(repo) || !git_repository_workdir(repo)) {
		buf_printf(message, "%s is in the bare repository %s, which has no working tree", path,
			   found.ptr);
		rc = 0;
	} else if (!(*root = fs_realpath(git_repository_workdir(repo)))) {
		buf_printf(message, "%s: %s", git_repository_workdir(repo), strerror(errno));
		rc = -1;
	} else {
		rc = 1;
	}
	git_repository_free(repo);
	git_buf_dispose(&found);
	return rc;
}

/* The value of `key` in `cfg`, or NULL. */
static char *config_string(git_config *cfg, const char *key)
{
	git_buf b = GIT_BUF_INIT;
	char *v = NULL;

	if (git_config_get_string_buf(&b, cfg, key) == 0 && b.ptr)
		v = xstrdup(b.ptr);
	git_buf_dispose(&b);
	return v;
}

/* Where HEAD stands against its upstream (see struct fetch_status): local refs only.
 * The upstream is read from branch.NAME.remote and branch.NAME.merge and mapped to its
 * remote-tracking branch with git's default refspec (refs/heads/X of remote R is
 * refs/remotes/R/X). Not git_branch_upstream nor git_remote_list: in libgit2 1.5 their regular
 * expressions leak pcre2 match data on every call. */
static void push_status(git_repository *repo, git_reference *head, struct fetch_status *st)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct buf key = BUF_INIT, tracking = BUF_INIT;
	const char *name = git_reference_shorthand(head);
	char *remote = NULL, *merge = NULL;
	git_oid up;

	st->branch = clean_text(name, strlen(name), MAX_PATH_BYTES, NULL);
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return;
	buf_printf(&key, "branch.%s.remote", name);
	remote = config_string(cfg, key.data);
	buf_reset(&key);
	buf_printf(&key, "branch.%s.merge", name);
	merge = config_string(cfg, key.data);
	if (remote && merge && !strncmp(merge, "refs/heads/", 11)) {
		if (!strcmp(remote, "."))
			buf_puts(&tracking, merge);
		else
			buf_printf(&tracking, "refs/remotes/%s/%s", remote, merge + 11);
	}
	if (tracking.len && git_reference_name_to_id(&up, repo, tracking.data) == 0) {
		const git_oid *a = git_reference_target(head);
		const char *shown = tracking.data + (strcmp(remote, ".") ? 13 : 11);
		st->upstream = clean_text(shown, strlen(shown), MAX_PATH_BYTES, NULL);
		if (a && git_graph_ahead_behind(&st->ahead, &st->behind, repo, a, &up) < 0)
			st->ahead = st->behind = 0;
		goto out;
	}
	/* The remotes are the config's remote.NAME.url entries. */
	if (git_config_iterator_new(&it, cfg) == 0) {
		while (git_config_next(&e, it) == 0) {
			size_t n = strlen(e->name);
			if (strncmp(e->name, "remote.", 7) || n < 12 || strcmp(e->name + n - 4, ".url"))
				continue;
			/* the first remote, unless "origin" comes later */
			if (st->remote &&
			    (!strcmp(st->remote, "origin") || n != 17 || strncmp(e->name + 7, "origin", 6)))
				continue;
			free(st->remote);
			st->remote = clean_text(e->name + 7, n - 11, MAX_PATH_BYTES, NULL);
		}
	}
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
	buf_free(&key);
	buf_free(&tracking);
	free(remote);
	free(merge);
}

int fetch_worktree_status(const char *path, struct fetch_status *st)
{
	git_repository *repo = NULL;
	git_status_list *list = NULL;
	git_status_options so;
	git_reference *head = NULL;
	const char *ceiling;
	int rc = -1;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	if (fetch_init() < 0) {
		buf_printf(&st->message, "libgit2 failed to initialise: %s", libgit2_message());
		return -1;
	}
	ceiling = getenv("GIT_CEILING_DIRECTORIES");
	if (git_repository_open_ext(&repo, path, 0, ceiling && *ceiling ? ceiling : NULL) < 0) {
		buf_printf(&st->message, "%s: not inside a git repository (%s)", path, libgit2_message());
		return -1;
	}
	if (git_repository_is_bare(repo)) {
		buf_printf(&st->message, "%s: a bare repository has no working tree", path);
		goto out;
	}
	if (git_repository_head(&head, repo) == 0) {
		git_commit *c;
		if (git_commit_lookup(&c, repo, git_reference_target(head)) == 0) {
			fill_commit(&st->head, c);
			st->has_head = true;
			git_commit_free(c);
		}
		if (git_reference_is_branch(head))
			push_status(repo, head, st);
	}
	st->detached = git_repository_head_detached(repo) == 1;
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY;
	if (git_status_list_new(&list, repo, &so) < 0) {
		buf_printf(&st->message, "%s: status: %s", path, libgit2_message());
		goto out;
	}
	for (size_t i = 0, n = git_status_list_entrycount(list); i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		const char *p;
		if (e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED) || !d)
			continue;
		p = d->new_file.path ? d->new_file.path : d->old_file.path;
		st->changed++;
		if (st->npaths < MAX_STATUS_PATHS && p) {
			st->paths = xreallocarray(st->paths, st->npaths + 1, sizeof(*st->paths));
			st->paths[st->npaths++] = clean_text(p, strlen(p), MAX_PATH_BYTES, NULL);
		}
	}
	if (st->npaths)
		qsort(st->paths, st->npaths, sizeof(*st->paths), cmp_str);
	rc = 0;
out:
	git_status_list_free(list);
	git_reference_free(head);
	git_repository_free(repo);
	return rc;
}

struct fetch_ignore {
	git_repository *repo;
	git_index *index;
};

struct fetch_ignore *fetch_ignore_open(const char *workdir)
{
	struct fetch_ignore *ig;

	if (fetch_init() < 0)
		return NULL;
	ig = xcalloc(1, sizeof(*ig));
	if (git_repository_open_ext(&ig->repo, workdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_is_bare(ig->repo) || git_repository_index(&ig->index, ig->repo) < 0) {
		fetch_ignore_close(ig);
		return NULL;
	}
	return ig;
}

bool fetch_ignore_dir(struct fetch_ignore *ig, const char *rel)
{
	struct buf prefix = BUF_INIT;
	int ignored = 0;
	size_t pos;
	bool tracked;

	if (!ig || !*rel || git_ignore_path_is_ignored(&ignored, ig->repo, rel) < 0 || !ignored)
		return false;
	git_index_read(ig->index, 0); /* only when it changed on disk */
	buf_printf(&prefix, "%s/", rel);
	tracked = git_index_find_prefix(&pos, ig->index, buf_str(&prefix)) == 0;
	buf_free(&prefix);
	return !tracked;
}

void fetch_ignore_close(struct fetch_ignore *ig)
{
	if (!ig)
		return;
	git_index_free(ig->index);
	git_repository_free(ig->repo);
	free(ig);
}

void fetch_status_free(struct fetch_status *st)
{
	for (size_t i = 0; i < st->npaths; i++)
		free(st->paths[i]);
	free(st->paths);
	st->paths = NULL;
	st->npaths = 0;
	free_commit(&st->head);
	free(st->branch);
	free(st->upstream);
	free(st->remote);
	st->branch = st->upstream = st->remote = NULL;
	buf_free(&st->message);
}
