/* build.c: cargo build in the rust-build sandbox, diagnostics for the learner, and the build
 * directory that no build can use to forge or poison another (see build.h). */
#include "build.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "fs.h"
#include "sha256.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

/* What the package copy leaves out: a committed target/ is never used. */
static const char *const package_skip[] = {"target", NULL};

/* Target directories kept besides the one in use: a learner going back and forth between two
 * trees rebuilds neither. */
#define KEEP_TARGETS 3
#define KEY_HEX SHA256_HEX /* a target directory is named by the hex digest of its key */
/* The deepest folder of a package the grader builds. */
#define MAX_DEPTH 200
/* The largest executable the grader copies out of a target directory. */
#define MAX_BINARY ((off_t)1 << 30)

/* An empty result: no strings, empty buffers. */
static void result_init(struct build_result *res)
{
	memset(res, 0, sizeof(*res));
	buf_init(&res->message);
	buf_init(&res->hint);
	buf_init(&res->rendered);
	buf_init(&res->log_tail);
}

void build_result_free(struct build_result *res)
{
	free(res->binary);
	free(res->binary_name);
	free(res->file);
	buf_free(&res->message);
	buf_free(&res->hint);
	buf_free(&res->rendered);
	buf_free(&res->log_tail);
	result_init(res);
}

/* ---- the staged tree's key ---- */

/* Every staged file gets this modification time: the key says the tree is the same, so cargo's
 * own check (a source newer than its outputs) must not rebuild it because a fresh clone gave the
 * files new times. */
static const struct timespec staged_time[2] = {{946684800, 0}, {946684800, 0}}; /* 2000-01-01 */

/* The key of a build: SHA-256 of the staged tree and of every build setting that is not in it. */
static int build_key(const char *work, const struct build_request *req, const char *config,
		     const char *bin_name, char key[KEY_HEX + 1])
{
	struct sha256 s;
	struct buf rel = BUF_INIT;
	int fd = open(work, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	sha256_init(&s);
	/* v1: the build's argv, the sandbox paths and the grader's config are part of the version */
	sha256_update(&s, "grader build key v1", 20);
	sha256_update(&s, req->registry ? req->registry : "", strlen(req->registry ? req->registry : "") + 1);
	sha256_update(&s, config, strlen(config) + 1);
	sha256_update(&s, bin_name, strlen(bin_name) + 1);
	rc = digest_tree(&s, fd, &rel, staged_time);
	close(fd);
	buf_free(&rel);
	if (rc == 0)
		sha256_final_hex(&s, key);
	return rc;
}

/* ---- the build directory ---- */

/* Removes whatever is at dir/name (a link is removed, never followed) and creates an empty
 * directory there. */
static int fresh_dir(const char *dir, const char *name, struct buf *path)
{
	fs_join(path, dir, name);
	if (fs_rmtree(path->data) < 0 || mkdir(path->data, 0755) < 0)
		return -1;
	return 0;
}

/* Makes the build directory ready: every entry that is rebuilt for each build is removed and
 * created anew, and anything else but targets/ is removed (a directory from an older layout
 * included). Sets the paths of the pieces. */
static int prepare_dir(const char *dir, struct buf *work, struct buf *home, struct buf *bin,
		       struct buf *targets, struct buf *err)
{
	struct buf p = BUF_INIT;
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (fs_mkdirs(dir) < 0 || lstat(dir, &st) < 0) {
		buf_printf(err, "cannot create the build directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		buf_printf(err, "the build directory %s is not a directory", dir);
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		buf_printf(err, "cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "targets"))
			continue;
		fs_join(&p, dir, e->d_name);
		if (fs_rmtree(p.data) < 0)
			rc = -1;
	}
	closedir(d);
	fs_join(targets, dir, "targets");
	if (rc == 0 && lstat(targets->data, &st) == 0 && !S_ISDIR(st.st_mode))
		rc = fs_rmtree(targets->data);
	if (rc == 0 && mkdir(targets->data, 0755) < 0 && errno != EEXIST)
		rc = -1;
	if (rc == 0 && (fresh_dir(dir, "work", work) < 0 || fresh_dir(dir, "home", home) < 0 ||
			fresh_dir(dir, "bin", bin) < 0))
		rc = -1;
	if (rc < 0)
		buf_printf(err, "cannot prepare the build directory %s: %s", dir, strerror(errno));
	buf_free(&p);
	return rc;
}

/* Creates a new file (never through a link) with these contents. */
static int write_new_file(const char *path, const char *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	ssize_t w = 0;

	if (fd < 0)
		return -1;
	while (len && (w = write(fd, data, len)) > 0)
		data += w, len -= (size_t)w;
	if (close(fd) < 0 || w < 0)
		return -1;
	return 0;
}

/* The grader's cargo config: crates-io replaced by the course's registry when there is one. */
static const char *cargo_config(const struct build_request *req)
{
	return req->registry ? "# written by the grader for this build: crates come from the course's registry\n"
			       "[source.crates-io]\nreplace-with = \"course-registry\"\n\n"
			       "[source.course-registry]\nlocal-registry = \"/registry\"\n"
			     : "# written by the grader for this build: nothing to configure\n";
}

static bool is_key(const char *name)
{
	if (strlen(name) != KEY_HEX)
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			return false;
	return true;
}

struct used_target {
	char key[KEY_HEX + 1];
	struct timespec used;
};

static int cmp_used(const void *a, const void *b)
{
	const struct used_target *x = a, *y = b;
	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? 1 : -1;
	if (x->used.tv_nsec != y->used.tv_nsec)
		return x->used.tv_nsec < y->used.tv_nsec ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Creates targets/KEY if it is new and stamps targets/KEY.used (a file no build can reach: the
 * builds see their own target directory only, so they cannot make theirs look recently used),
 * then removes every target directory but the KEEP_TARGETS most recently used, and anything in
 * targets/ that the grader did not put there. */
static int use_target(const char *targets, const char *key, struct buf *out)
{
	struct buf p = BUF_INIT, stamp = BUF_INIT;
	struct used_target *all = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = -1, fd;

	fs_join(out, targets, key);
	if (lstat(out->data, &st) == 0 && !S_ISDIR(st.st_mode) && fs_rmtree(out->data) < 0)
		goto out;
	if (mkdir(out->data, 0755) < 0 && errno != EEXIST)
		goto out;
	buf_printf(&stamp, "%s.used", out->data);
	fd = open(stamp.data, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	if (futimens(fd, NULL) < 0) {
		close(fd);
		goto out;
	}
	close(fd);
	rc = 0;
	d = opendir(targets);
	if (!d)
		goto out;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		bool stamp_name = len == KEY_HEX + 5 && !strcmp(e->d_name + KEY_HEX, ".used");
		char k[KEY_HEX + 1];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		fs_join(&p, targets, e->d_name);
		if (stamp_name) {
			memcpy(k, e->d_name, KEY_HEX);
			k[KEY_HEX] = '\0';
		}
		if (!(stamp_name ? is_key(k) : is_key(e->d_name)) ||
		    (!stamp_name && (lstat(p.data, &st) < 0 || !S_ISDIR(st.st_mode)))) {
			fs_rmtree(p.data);
			continue;
		}
		if (stamp_name)
			continue;
		if (n == cap)
			all = xreallocarray(all, cap = cap ? 2 * cap : 8, sizeof(*all));
		memcpy(all[n].key, e->d_name, KEY_HEX + 1);
		buf_reset(&stamp);
		buf_printf(&stamp, "%s.used", p.data);
		all[n].used = lstat(stamp.data, &st) == 0 && S_ISREG(st.st_mode) ? st.st_mtim
										 : (struct timespec){0};
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(all, n, sizeof(*all), cmp_used);
	for (size_t i = 0; i < n; i++) {
		if (i < KEEP_TARGETS || !strcmp(all[i].key, key))
			continue;
		fs_join(&p, targets, all[i].key);
		fs_rmtree(p.data);
		buf_puts(&p, ".used");
		fs_rmtree(p.data);
	}
out:
	free(all);
	buf_free(&p);
	buf_free(&stamp);
	return rc;
}

/* Copies the executable cargo built at <target>/release/<name> into bin/<name>, refusing anything
 * but a regular executable file reached without a link from inside the target directory. On a
 * refusal, says why in res->message. */
static int take_binary(const char *target, const char *name, const char *bin_dir, struct build_result *res)
{
	struct buf rel = BUF_INIT, dst = BUF_INIT;
	struct stat st;
	char chunk[65536];
	ssize_t got = 0;
	int tfd = -1, in = -1, out = -1, rc = -1;

	buf_printf(&rel, "release/%s", name);
	/* The target directory itself must not be a link either (fs_open_beneath trusts its folder). */
	tfd = open(target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tfd < 0) {
		buf_printf(&res->message, "cannot open the target directory %s: %s", target, strerror(errno));
		res->infra = true;
		goto out;
	}
	in = fs_open_beneath(target, rel.data, O_RDONLY); /* never blocks on a fifo */
	if (in < 0) {
		if (errno == ENOENT) {
			buf_printf(&res->message,
				   "cargo finished but there is no executable at target/%s", rel.data);
			buf_puts(&res->hint, "the grader runs target/release/<binary>: does .cargo/config.toml set build.target "
					     "or another output folder? remove it");
		} else if (errno == ELOOP || errno == EXDEV) {
			buf_printf(&res->message,
				   "refused: target/%s is (or goes through) a symbolic link; the grader runs "
				   "only the file cargo built there",
				   rel.data);
		} else {
			buf_printf(&res->message, "refused: target/%s cannot be opened: %s", rel.data,
				   strerror(errno));
		}
		goto out;
	}
	if (fstat(in, &st) < 0) {
		buf_printf(&res->message, "cannot inspect target/%s: %s", rel.data, strerror(errno));
		res->infra = true;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111) || st.st_size > MAX_BINARY) {
		buf_printf(&res->message, "refused: target/%s is not %s", rel.data,
			   !S_ISREG(st.st_mode)   ? "a regular file"
			   : !(st.st_mode & 0111) ? "executable"
						  : "of a plausible size (over 1 GiB)");
		goto out;
	}
	fs_join(&dst, bin_dir, name);
	out = open(dst.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
	if (out < 0) {
		buf_printf(&res->message, "cannot create %s: %s", dst.data, strerror(errno));
		res->infra = true;
		goto out;
	}
	while ((got = read(in, chunk, sizeof(chunk))) > 0) {
		for (ssize_t off = 0, w; off < got; off += w) {
			w = write(out, chunk + off, (size_t)(got - off));
			if (w < 0) {
				got = -1;
				break;
			}
		}
		if (got < 0)
			break;
	}
	if (got < 0 || close(out) < 0) {
		out = -1;
		buf_printf(&res->message, "cannot copy the executable to %s: %s", dst.data, strerror(errno));
		res->infra = true;
		goto out;
	}
	out = -1;
	res->binary = buf_detach(&dst);
	rc = 0;
out:
	if (out >= 0)
		close(out);
	if (in >= 0)
		close(in);
	if (tfd >= 0)
		close(tfd);
	buf_free(&rel);
	buf_free(&dst);
	return rc;
}

/* Runs one cargo command of the build and adds its cost to the result. Returns -1 when the
 * sandbox itself failed (then the result is an infrastructure error saying so). */
static int run_cargo(struct sandbox *sb, const struct sandbox_request *sreq, struct sandbox_result *run,
		     struct build_result *res)
{
	if (sandbox_run(sb, sreq, run) < 0 || run->verdict == SANDBOX_ERROR) {
		res->infra = true;
		buf_printf(&res->message, "the build sandbox failed: %s", run->message.data);
		return -1;
	}
	res->wall += run->wall;
	res->cpu += run->cpu;
	return 0;
}

/* Binary names the grader accepts: they become a file name and a `--bin` argument. */
static bool good_bin_name(const char *s)
{
	if (!s || !*s || strlen(s) > 100)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return false;
	return true;
}

/* A span's line or column: a number from 1 to INT_MAX, else 0 (unknown). A build script can write
 * a string, null or 1e300 there, and converting such a double to int is undefined. */
static int span_number(const cJSON *span, const char *key)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(span, key);
	double v = cJSON_IsNumber(n) ? n->valuedouble : 0;

	return v >= 1 && v <= INT_MAX ? (int)v : 0;
}

/* See build.h. A build script can write lines of its own to cargo's stdout: this text is the
 * learner's, good for showing diagnostics, never for choosing what runs. */
void build_read_messages(const char *out, size_t len, struct build_result *res)
{
	const char *s = out, *end = out + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		cJSON *j = cJSON_ParseWithLength(s, n);
		const char *reason = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "reason"));

		if (reason && !strcmp(reason, "compiler-message")) {
			cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
			const char *level = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "level"));
			if (level && !strcmp(level, "error")) {
				if (res->nerrors++ == 0) {
					const char *r = cJSON_GetStringValue(
						cJSON_GetObjectItemCaseSensitive(m, "rendered"));
					cJSON *span;
					buf_puts(&res->rendered, r ? r : "");
					cJSON_ArrayForEach(span, cJSON_GetObjectItemCaseSensitive(m, "spans"))
					{
						if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(span, "is_primary")))
							continue;
						res->file = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
									    span, "file_name"))
									    ?: "?");
						res->line = span_number(span, "line_start");
						res->column = span_number(span, "column_start");
						break;
					}
				}
			} else if (level && !strcmp(level, "warning")) {
				res->nwarnings++;
			}
		}
		cJSON_Delete(j);
		s += n + 1;
	}
}

/* A build that failed without a compiler error: explain the usual causes. */
static void explain_cargo_failure(const char *err, struct build_result *res)
{
	if (strstr(err, "could not find `Cargo.toml`") ||
	    strstr(err, "manifest path `/work/Cargo.toml` does not exist")) {
		buf_puts(&res->message, "there is no Cargo.toml in the package folder");
		buf_puts(&res->hint,
			 "point rust.package in ex4/exercise.yaml at the folder that holds Cargo.toml");
	} else if (strstr(err, "no matching package") || strstr(err, "offline") ||
		   strstr(err, "failed to get") || strstr(err, "failed to load source")) {
		buf_puts(&res->message,
			 "a dependency could not be found: the grader builds offline and cannot download crates");
		buf_puts(&res->hint, "run `cargo vendor` in your package, commit the vendor/ folder and add the "
				     "[source] lines it prints to .cargo/config.toml (see docs/building.md)");
	} else if (strstr(err, "no bin target named")) {
		buf_puts(&res->message, "the package has no binary target of the name rust.binary gives");
		buf_puts(&res->hint, "set rust.binary in ex4/exercise.yaml to the name of a [[bin]] of Cargo.toml "
				     "(or the package's name for src/main.rs)");
	} else if (strstr(err, "lock file") || strstr(err, "Cargo.lock")) {
		buf_puts(&res->message, "Cargo.lock does not match Cargo.toml and cannot be updated offline");
		buf_puts(&res->hint, "run `cargo build` once on your machine and commit the updated Cargo.lock");
	} else {
		/* cargo's own first error line says the most. */
		const char *e = strstr(err, "error:");
		buf_puts(&res->message, "cargo build failed");
		if (e) {
			size_t n = strcspn(e, "\n");
			buf_puts(&res->message, ": ");
			buf_append(&res->message, e, n > 300 ? 300 : n);
		}
		buf_puts(&res->hint,
			 "run `cargo build --release --offline` on your machine and fix what it reports");
	}
}

/* Finds the one binary target of the package without running any of its code: `cargo metadata
 * --no-deps` (which runs no build script and compiles nothing) in a sandbox of its own, the staged
 * package bound read-only at /work and the working directory at / (so that not even the
 * package's .cargo/config.toml is read). Sets *name, or says in `res` why there is none.
 * Returns 0 when a name was found. */
static int find_binary(struct sandbox *sb, const struct build_request *req, const char *work,
		       char **name, struct build_result *res)
{
	const char *argv[] = {"cargo",           "metadata",         "--no-deps",
			      "--offline",       "--format-version", "1",
			      "--manifest-path", "/work/Cargo.toml", NULL};
	const char *env[] = {"CARGO_HOME=/tmp/cargo-home", "CARGO_TARGET_DIR=/tmp/target", NULL};
	struct sandbox_bind bind = {.host = work, .inside = "/work"};
	struct sandbox_request sreq = {
		.profile = "rust-build", .argv = argv, .env = env, .binds = &bind, .nbinds = 1, .limits = req->limits};
	struct sandbox_result run = SANDBOX_RESULT_INIT;
	struct buf names = BUF_INIT;
	cJSON *j = NULL, *pkg, *root = NULL, *t;
	int nbins = 0, nlibs = 0, rc = -1;
	bool bad = false;

	if (run_cargo(sb, &sreq, &run, res) < 0)
		goto out;
	if (run.verdict != SANDBOX_OK) {
		res->verdict = sandbox_verdict_name(run.verdict);
		explain_cargo_failure(run.err.data, res);
		{
			struct text_safe tail;
			text_safe_tail_lines(run.err.data, run.err.len, 30, 4000, &tail);
			buf_puts(&res->log_tail, tail.data);
			text_safe_free(&tail);
		}
		goto out;
	}
	j = cJSON_ParseWithLength(run.out.data, run.out.len);
	cJSON_ArrayForEach(pkg, cJSON_GetObjectItemCaseSensitive(j, "packages"))
	{
		const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pkg, "manifest_path"));
		if (m && !strcmp(m, "/work/Cargo.toml"))
			root = pkg;
	}
	/* The root package's binaries; a virtual workspace: those of every member. */
	cJSON_ArrayForEach(pkg, cJSON_GetObjectItemCaseSensitive(j, "packages"))
	{
		if (root && pkg != root)
			continue;
		cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(pkg, "targets"))
		{
			const char *tname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "name"));
			cJSON *k;
			bool is_bin = false, is_lib = false;
			cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(t, "kind"))
			{
				const char *kind = cJSON_GetStringValue(k);
				is_bin |= kind && !strcmp(kind, "bin");
				is_lib |= kind && (!strcmp(kind, "lib") || !strcmp(kind, "rlib"));
			}
			nlibs += is_lib;
			if (!is_bin)
				continue;
			nbins++;
			if (!good_bin_name(tname)) {
				bad = true;
				continue;
			}
			buf_printf(&names, "%s%s", names.len ? ", " : "", tname);
			if (!*name)
				*name = xstrdup(tname);
		}
	}
	if (!j || !cJSON_GetObjectItemCaseSensitive(j, "packages")) {
		res->infra = true;
		buf_puts(&res->message, "cargo metadata printed no description of the package");
	} else if (bad) {
		buf_puts(&res->message, "a binary target's name has characters the grader does not accept "
					"(it takes letters, digits, '_' and '-')");
		buf_puts(&res->hint, "rename the [[bin]] in Cargo.toml");
	} else if (nbins == 0) {
		buf_puts(&res->message,
			 nlibs ? "the package has a library but no binary target: there is no program to run"
			       : "the package has no binary target: there is no program to run");
		buf_puts(&res->hint, "add src/main.rs (or a [[bin]] in Cargo.toml) with the program's main()");
	} else if (nbins > 1) {
		buf_printf(&res->message,
			   "the package has several binaries (%s) and the manifest does not say which to run",
			   names.data);
		buf_puts(&res->hint, "set rust.binary in ex4/exercise.yaml");
	} else if (*name) {
		rc = 0;
	}
	if (rc < 0) {
		free(*name);
		*name = NULL;
	}
out:
	cJSON_Delete(j);
	buf_free(&names);
	sandbox_result_free(&run);
	return rc;
}

/* Stages a build in req->dir: the package copied afresh into work/, an empty cargo home with an
 * empty config.toml for the grader's config (written to `cfg`, outside every writable bind) to be
 * mounted over. Returns 0, or -1 with the reason in `err` (not the learner's fault). */
static int stage(const struct build_request *req, const char *config, struct buf *work, struct buf *home,
		 struct buf *bin, struct buf *targets, struct buf *cfg, struct buf *err)
{
	struct buf mnt = BUF_INIT;
	int rc = -1;

	if (prepare_dir(req->dir, work, home, bin, targets, err) < 0)
		goto out;
	if (fs_copytree_except(req->package, work->data, package_skip) < 0) {
		buf_printf(err, "cannot copy the package %s into %s: %s", req->package, work->data,
			   strerror(errno));
		goto out;
	}
	/* The grader's config is a fresh file outside every writable bind, mounted read-only over an
	 * empty file in the fresh cargo home. */
	fs_join(cfg, req->dir, "cargo.toml");
	fs_join(&mnt, home->data, "config.toml");
	if (write_new_file(cfg->data, config, strlen(config), 0644) < 0 ||
	    write_new_file(mnt.data, "", 0, 0644) < 0) {
		buf_printf(err, "cannot write the cargo config %s: %s", cfg->data, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	buf_free(&mnt);
	return rc;
}

/* Runs `cargo build` for the binary `name` in the rust-build sandbox: the staged package at
 * /work, its own target directory at /target, the fresh cargo home with the grader's config over
 * its config.toml, the course registry (if any) read-only. Returns run_cargo()'s value. */
static int cargo_build(struct sandbox *sb, const struct build_request *req, const char *name,
		       const struct buf *work, const struct buf *home, const struct buf *cfg,
		       const struct buf *target, struct sandbox_result *run, struct build_result *res)
{
	struct sandbox_bind binds[4];
	const char *argv[10];
	const char *env[] = {"CARGO_HOME=/cargo-home", "CARGO_TARGET_DIR=/target",
			     "CARGO_TERM_COLOR=never", "CARGO_NET_OFFLINE=true",
			     "CARGO_INCREMENTAL=0",    NULL};
	struct sandbox_request sreq = {0};
	int argc = 0, nbinds = 0;

	argv[argc++] = "cargo";
	argv[argc++] = "build";
	argv[argc++] = "--release";
	argv[argc++] = "--offline";
	argv[argc++] = "--message-format=json";
	argv[argc++] = "--bin";
	argv[argc++] = name;
	argv[argc] = NULL;
	binds[nbinds++] = (struct sandbox_bind){.host = target->data, .inside = "/target", .writable = true};
	binds[nbinds++] = (struct sandbox_bind){.host = home->data, .inside = "/cargo-home", .writable = true};
	binds[nbinds++] = (struct sandbox_bind){.host = cfg->data, .inside = "/cargo-home/config.toml"};
	if (req->registry)
		binds[nbinds++] = (struct sandbox_bind){.host = req->registry, .inside = "/registry"};
	sreq.profile = "rust-build";
	sreq.argv = argv;
	sreq.workdir = work->data;
	sreq.env = env;
	sreq.limits = req->limits;
	sreq.binds = binds;
	sreq.nbinds = nbinds;
	return run_cargo(sb, &sreq, run, res);
}

/* Says why a build that ran did not succeed (a limit, a compile error, cargo's own failure), in
 * res->message and res->hint. Returns true when it failed, false when cargo built the binary. */
static bool judge_run(const struct sandbox_result *run, struct build_result *res)
{
	if (run->verdict == SANDBOX_TIME_LIMIT) {
		buf_printf(&res->message, "the build ran out of %s time (limit %.0f s)",
			   run->limit && !strcmp(run->limit, "cpu") ? "CPU" : "wall-clock", run->limit_value);
		buf_puts(&res->hint,
			 "a build script (build.rs) or a macro that never ends? builds must finish within the "
			 "limit (docs/submission.md, \"Limits\"); fewer or lighter dependencies build faster");
		return true;
	}
	if (run->verdict == SANDBOX_MEMORY_LIMIT || run->verdict == SANDBOX_OUTPUT_LIMIT) {
		uint64_t v = (uint64_t)run->limit_value;
		const char *what = run->verdict == SANDBOX_MEMORY_LIMIT        ? "memory"
				   : run->limit && !strcmp(run->limit, "file") ? "file size"
									       : "output";
		if (v >= (1ULL << 30) && v % (1ULL << 30) == 0)
			buf_printf(&res->message, "the build exceeded its %s limit of %llu GiB", what,
				   (unsigned long long)(v >> 30));
		else if (v >= (1ULL << 20) && v % (1ULL << 20) == 0)
			buf_printf(&res->message, "the build exceeded its %s limit of %llu MiB", what,
				   (unsigned long long)(v >> 20));
		else
			buf_printf(&res->message, "the build exceeded its %s limit of %llu bytes", what,
				   (unsigned long long)v);
		buf_puts(&res->hint, run->verdict == SANDBOX_MEMORY_LIMIT
					     ? "fewer or lighter dependencies, or less generic code, compile in less memory "
					       "(docs/submission.md, \"Limits\")"
					     : "silence what the build prints (a build.rs that prints in a loop?) "
					       "(docs/submission.md, \"Limits\")");
		return true;
	}
	if (run->verdict != SANDBOX_OK || res->nerrors) {
		if (res->nerrors)
			buf_printf(&res->message,
				   "the Rust port does not compile: %d error%s, the first at %s:%d:%d",
				   res->nerrors, res->nerrors == 1 ? "" : "s",
				   res->file ? res->file : "?", res->line, res->column);
		else
			explain_cargo_failure(run->err.data, res);
		if (res->nerrors)
			buf_puts(&res->hint,
				 "the compiler's own message is in the evidence (rendered); fix the first error first");
		return true;
	}
	return false;
}

int build_rust(struct sandbox *sb, const struct build_request *req, struct build_result *res)
{
	struct buf work = BUF_INIT, home = BUF_INIT, bin = BUF_INIT, targets = BUF_INIT,
		   target = BUF_INIT, cfg = BUF_INIT, err = BUF_INIT;
	struct sandbox_result run = SANDBOX_RESULT_INIT;
	const char *config = cargo_config(req);
	char key[KEY_HEX + 1];
	char *name = NULL;

	result_init(res);
	if (req->binary && !good_bin_name(req->binary)) {
		buf_puts(&res->message,
			 "rust.binary is not a name the grader accepts (letters, digits, '_' and '-')");
		buf_puts(&res->hint,
			 "set rust.binary in ex4/exercise.yaml to the name of a binary target of Cargo.toml");
		goto out;
	}
	if (stage(req, config, &work, &home, &bin, &targets, &cfg, &err) < 0)
		goto infra;
	if (req->binary)
		name = xstrdup(req->binary);
	else if (find_binary(sb, req, work.data, &name, res) < 0)
		goto out;
	if (build_key(work.data, req, config, name, key) < 0) {
		if (errno == ELOOP) {
			buf_printf(&res->message, "the package's folders nest more than %d deep", MAX_DEPTH);
			goto out;
		}
		buf_printf(&err, "cannot read the staged package %s: %s", work.data, strerror(errno));
		goto infra;
	}
	if (use_target(targets.data, key, &target) < 0) {
		buf_printf(&err, "cannot create the target directory %s: %s", target.data, strerror(errno));
		goto infra;
	}
	res->binary_name = xstrdup(name);
	if (cargo_build(sb, req, name, &work, &home, &cfg, &target, &run, res) < 0)
		goto out;
	res->verdict = sandbox_verdict_name(run.verdict);
	{
		struct text_safe tail;
		text_safe_tail_lines(run.err.data, run.err.len, 30, 4000, &tail);
		buf_puts(&res->log_tail, tail.data);
		text_safe_free(&tail);
	}
	build_read_messages(run.out.data, run.out.len, res);
	if (judge_run(&run, res))
		goto out;
	/* What runs is the file at the path the grader computes, never one named in cargo's output. */
	if (take_binary(target.data, name, bin.data, res) < 0)
		goto out;
	res->ok = true;
	buf_printf(&res->message, "built %s in %.1fs", name, res->wall);
	goto out;
infra:
	res->infra = true;
	buf_printf(&res->message, "%s", err.len ? err.data : "cannot prepare the build directory");
out:
	free(name);
	sandbox_result_free(&run);
	buf_free(&work);
	buf_free(&home);
	buf_free(&bin);
	buf_free(&targets);
	buf_free(&target);
	buf_free(&cfg);
	buf_free(&err);
	return 0;
}
