/* fetch.c: fetch_run, which turns a source into a tree to grade (see fetch.h); libgit2's lifetime,
 * errors and warnings, and the JSON of a result. */
#include "fetch/internal.h"

#include <errno.h>
#include <git2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

/* ---- libgit2 lifetime ---------------------------------------------------------------------- */

static pthread_once_t git_once = PTHREAD_ONCE_INIT;
static int git_init_rc;

static void git_shutdown_at_exit(void)
{
	git_libgit2_shutdown();
}

static void git_init_once(void)
{
	git_init_rc = git_libgit2_init() < 0 ? -1 : 0;
	if (git_init_rc == 0) {
		git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
		atexit(git_shutdown_at_exit);
	}
}

int fetch_init(void)
{
	pthread_once(&git_once, git_init_once);
	return git_init_rc;
}

/* libgit2 1.5 may have no error to report: never dereference git_error_last() blindly. */
const char *libgit2_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message && *e->message ? e->message : "unknown libgit2 error";
}

/* ---- text hygiene -------------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is not valid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *clean_text(const char *s, size_t n, size_t max, const char *stop)
{
	struct buf b = BUF_INIT;
	size_t i = 0;

	while (i < n) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t len = utf8_len(u, n - i);

		if (stop && len == 1 && strchr(stop, *u))
			break;
		if (b.len + (len > 1 ? 6 : 3) > max)
			break;
		if (len == 0) {
			buf_puts(&b, "\xef\xbf\xbd");
			i++;
		} else if (len == 1 && (*u < 0x20 || *u == 0x7f)) {
			buf_puts(&b, " ");
			i++;
		} else {
			/* C1 controls and bidi characters are valid UTF-8: shown as escapes like every view. */
			text_visible(&b, (const char *)u, len, NULL);
			i += len;
		}
	}
	return buf_detach(&b);
}

/* ---- errors -------------------------------------------------------------------------------- */

/* Appends `text` redacted (fetch_redact) and cleaned (clean_text): names from a hostile tree and
 * libgit2 messages may hold any bytes, and messages go into JSON reports and terminals. */
static void append_clean(struct buf *out, const char *text)
{
	struct buf red = BUF_INIT;
	char *clean;

	fetch_redact(text, &red);
	clean = clean_text(red.data, red.len, 8192, NULL);
	buf_puts(out, clean);
	free(clean);
	buf_free(&red);
}

void set_error(struct fetch_result *res, enum fetch_error kind, const char *fmt, ...)
{
	struct buf raw = BUF_INIT;
	va_list ap;

	if (res->error != FETCH_OK)
		return; /* keep the first, most specific message */
	res->error = kind;
	va_start(ap, fmt);
	buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	buf_reset(&res->message);
	append_clean(&res->message, buf_str(&raw));
	buf_free(&raw);
}

void add_warning(struct fetch_result *res, const char *fmt, ...)
{
	struct buf raw = BUF_INIT, clean = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	append_clean(&clean, raw.data);
	buf_free(&raw);
	res->warnings = xreallocarray(res->warnings, res->nwarnings + 1, sizeof(*res->warnings));
	res->warnings[res->nwarnings++] = buf_detach(&clean);
}

enum error_class fetch_error_class(enum fetch_error e)
{
	switch (e) {
	case FETCH_OK:
		return ERROR_NONE;
	case FETCH_ERR_SOURCE:
	case FETCH_ERR_LIMIT:
	case FETCH_ERR_REFUSED:
		return ERROR_LEARNER;
	case FETCH_ERR_TIMEOUT:
	case FETCH_ERR_AUTH:
	case FETCH_ERR_NETWORK:
	case FETCH_ERR_INFRA:
		return ERROR_INFRA;
	}
	return ERROR_INFRA;
}

/* ---- fetch_run ----------------------------------------------------------------------------- */

static void fill_limits(const struct fetch_limits *in, struct fetch_limits *out)
{
	*out = *in;
	if (out->total_time <= 0)
		out->total_time = FETCH_DEFAULT_TOTAL_TIME;
	if (out->stall_time <= 0)
		out->stall_time = FETCH_DEFAULT_STALL_TIME;
	if (!out->transfer_bytes)
		out->transfer_bytes = FETCH_DEFAULT_TRANSFER_BYTES;
	if (!out->checkout_bytes)
		out->checkout_bytes = FETCH_DEFAULT_CHECKOUT_BYTES;
	if (!out->files)
		out->files = FETCH_DEFAULT_FILES;
	if (!out->file_bytes)
		out->file_bytes = FETCH_DEFAULT_FILE_BYTES;
	if (!out->memory_bytes)
		out->memory_bytes = FETCH_DEFAULT_MEMORY_BYTES;
}

static char *dup_redacted(const char *s)
{
	struct buf b = BUF_INIT;
	append_clean(&b, s);
	return buf_detach(&b);
}

/* A plain directory: graded in place, with nothing to record. */
static int fetch_directory(const struct fetch_request *req, const struct fetch_limits *lim,
			   const char *what, struct fetch_result *res)
{
	res->kind = FETCH_KIND_DIRECTORY;
	res->tree = fs_realpath(req->source);
	if (!res->tree) {
		set_error(res, FETCH_ERR_SOURCE, "%s: %s", what, strerror(errno));
		return -1;
	}
	if (req->ref || req->has_deadline) {
		set_error(res, FETCH_ERR_SOURCE, "%s: a plain directory (not a git repository) has no %s",
			  what, req->ref ? "refs for --ref" : "commit dates for --deadline");
		return -1;
	}
	/* graded in place: a link out of it would make a host file part of the submission */
	if (scan_tree(SCAN_SUBMISSION, res->tree, lim->files, what, NULL, res) < 0)
		return -1;
	res->plain_directory = true;
	add_warning(res,
		    "%s is a plain directory, not a git repository: graded as it is, with no "
		    "commit to record",
		    res->tree);
	return 0;
}

/* Makes the work directory, fetches a URL into <workdir>/repo.git (when `url`) or reads the local
 * repository `repo` (which it frees), and writes the chosen commit's tree to <workdir>/tree. On
 * failure the work directory is removed. */
static int fetch_commit_tree(const struct fetch_request *req, const struct fetch_limits *lim, bool url,
			     const char *what, git_repository *repo, struct fetch_result *res)
{
	struct buf work = BUF_INIT, gitdir = BUF_INIT, tree = BUF_INIT, hosts = BUF_INIT;
	struct transfer_out t = {0};
	git_oid tip, chosen;

	if (fs_mkdtemp(req->parent, "fetch-", &work) < 0) {
		set_error(res, FETCH_ERR_INFRA, "fetch: cannot create a work directory in %s: %s",
			  req->parent, strerror(errno));
		git_repository_free(repo);
		buf_free(&work);
		return -1;
	}
	res->workdir = fs_realpath(buf_str(&work));
	if (!res->workdir) {
		set_error(res, FETCH_ERR_INFRA, "fetch: %s: %s", buf_str(&work), strerror(errno));
		goto fail;
	}
	fs_join(&gitdir, res->workdir, "repo.git");
	fs_join(&tree, res->workdir, "tree");
	if (url) {
		token_hosts(req, &hosts);
		if (transfer(req, lim, req->source, buf_str(&gitdir), buf_str(&hosts), &t, res) < 0)
			goto fail;
		if (git_repository_open_bare(&repo, buf_str(&gitdir)) < 0) {
			set_error(res, FETCH_ERR_INFRA, "clone of %s: reopening %s: %s", what,
				  buf_str(&gitdir), libgit2_message());
			goto fail;
		}
	}
	if (resolve_ref(repo, req->ref, url ? buf_str(&t.head) : NULL, what, &tip, res) < 0 ||
	    apply_deadline(repo, &tip, req, what, &chosen, res) < 0 ||
	    materialise(repo, &chosen, lim, what, buf_str(&tree), res) < 0)
		goto fail;
	git_repository_free(repo);
	repo = NULL;
	if (url)
		fs_rmtree(buf_str(&gitdir)); /* the tree is all a grader needs; keep the disk free */
	res->tree = buf_detach(&tree);
	buf_free(&work);
	buf_free(&gitdir);
	buf_free(&hosts);
	buf_free(&t.head);
	return 0;
fail:
	git_repository_free(repo);
	fs_rmtree(res->workdir ? res->workdir : buf_str(&work));
	free(res->workdir);
	res->workdir = NULL;
	buf_free(&work);
	buf_free(&gitdir);
	buf_free(&tree);
	buf_free(&hosts);
	buf_free(&t.head);
	return -1;
}

int fetch_run(const struct fetch_request *req, struct fetch_result *res)
{
	struct fetch_limits lim;
	git_repository *repo = NULL;
	const char *what;
	int url;

	fill_limits(&req->limits, &lim);
	res->error = FETCH_OK;
	res->has_deadline = req->has_deadline;
	res->deadline = req->deadline;
	if (!req->source || !*req->source || !req->parent) {
		set_error(res, FETCH_ERR_SOURCE, "fetch: no source or no work directory given");
		return -1;
	}
	res->source = dup_redacted(req->source);
	what = res->source ? res->source : "source";
	if (fetch_init() < 0) {
		set_error(res, FETCH_ERR_INFRA, "libgit2 failed to initialise: %s", libgit2_message());
		return -1;
	}
	url = access(req->source, F_OK) == 0 ? 0 : classify_url(req->source);
	if (url < 0) {
		set_error(res, FETCH_ERR_SOURCE,
			  "%s: unsupported URL scheme (use https, http, ssh, git or "
			  "file URLs, or a local path)",
			  what);
		return -1;
	}
	if (!url && !fs_is_dir(req->source)) {
		set_error(res, FETCH_ERR_SOURCE, "%s: %s", what,
			  access(req->source, F_OK) == 0 ? "not a directory" : "no such directory or repository");
		return -1;
	}
	if (!url && git_repository_open_ext(&repo, req->source, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return fetch_directory(req, &lim, what, res);
	res->kind = url ? FETCH_KIND_URL : FETCH_KIND_REPOSITORY;
	if ((!url && check_self_contained(repo, req->source, what, res) < 0) ||
	    (url && has_scheme(req->source, "file") && check_file_url(req->source, what, res) < 0)) {
		git_repository_free(repo);
		return -1;
	}
	return fetch_commit_tree(req, &lim, url, what, repo, res);
}

void fetch_result_free(struct fetch_result *res)
{
	buf_free(&res->message);
	free(res->source);
	free(res->workdir);
	free(res->tree);
	free(res->ref);
	free_commit(&res->commit);
	for (size_t i = 0; i < res->nwarnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	res->source = res->workdir = res->tree = res->ref = NULL;
	res->warnings = NULL;
	res->nwarnings = 0;
}

static const char *error_name(enum fetch_error e)
{
	static const char *const names[] = {"ok",      "source", "limit",   "refused",
					    "timeout", "auth",   "network", "infra"};
	return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "unknown";
}

static cJSON *commit_json(const struct fetch_commit *c)
{
	cJSON *o = cJSON_CreateObject();
	char t1[40], t2[40];

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "author", c->author ? c->author : "");
	cJSON_AddStringToObject(o, "author_date",
				fetch_format_time(c->author_time, c->author_offset, t1, sizeof(t1)));
	cJSON_AddStringToObject(o, "date", fetch_format_time(c->time, c->offset, t2, sizeof(t2)));
	cJSON_AddStringToObject(o, "summary", c->summary ? c->summary : "");
	return o;
}

cJSON *fetch_result_to_json(const struct fetch_result *res)
{
	static const char *const kinds[] = {"url", "repository", "directory"};
	cJSON *o = cJSON_CreateObject(), *warn;
	char t[40];

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "source", res->source ? res->source : "");
	cJSON_AddStringToObject(o, "kind", kinds[res->kind]);
	if (res->error != FETCH_OK) {
		cJSON_AddStringToObject(o, "error", error_name(res->error));
		cJSON_AddStringToObject(o, "message", buf_str(&res->message));
		return o;
	}
	cJSON_AddStringToObject(o, "tree", res->tree ? res->tree : "");
	if (res->has_commit) {
		cJSON_AddItemToObject(o, "commit", commit_json(&res->commit));
		cJSON_AddStringToObject(o, "ref", res->ref ? res->ref : "");
	} else {
		cJSON_AddNullToObject(o, "commit");
	}
	if (res->has_deadline) {
		cJSON_AddStringToObject(o, "deadline", fetch_format_time(res->deadline, 0, t, sizeof(t)));
		cJSON_AddBoolToObject(o, "late", res->late);
		cJSON_AddBoolToObject(o, "graded_commit_late", res->graded_late);
		cJSON_AddNumberToObject(o, "later_commits", (double)res->later_commits);
		if (res->late) {
			cJSON_AddNumberToObject(o, "late_by_seconds", (double)res->late_by);
			cJSON_AddStringToObject(o, "newest_commit", res->newest_id);
		}
	}
	cJSON_AddNumberToObject(o, "files", (double)res->files);
	cJSON_AddNumberToObject(o, "bytes", (double)res->bytes);
	if (res->kind == FETCH_KIND_URL)
		cJSON_AddNumberToObject(o, "transfer_bytes", (double)res->transfer_bytes);
	warn = cJSON_AddArrayToObject(o, "warnings");
	for (size_t i = 0; warn && i < res->nwarnings; i++)
		cJSON_AddItemToArray(warn, cJSON_CreateString(res->warnings[i]));
	return o;
}
