/* build.c: cargo build in the rust-build sandbox, diagnostics for the learner (see build.h). */
#include "build.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "text.h"
#include "banned.h"

/* Entries of the build directory that belong to the grader, never copied from the package. */
static const char *const grader_owned[] = {"target", ".grader-cargo-home", NULL};

void build_result_free(struct build_result *res)
{
	free(res->binary);
	free(res->binary_name);
	free(res->file);
	buf_free(&res->message);
	buf_free(&res->hint);
	buf_free(&res->rendered);
	buf_free(&res->log_tail);
	memset(res, 0, sizeof(*res));
}

/* Empties the build directory except the grader's own entries, then copies the package in. */
static int stage_package(const char *package, const char *dir, struct buf *err)
{
	struct buf p = BUF_INIT;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (fs_mkdirs(dir) < 0) {
		buf_printf(err, "cannot create the build directory %s: %s", dir, strerror(errno));
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		buf_printf(err, "cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		bool keep = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
		for (size_t i = 0; grader_owned[i]; i++)
			keep |= !strcmp(e->d_name, grader_owned[i]);
		if (keep)
			continue;
		fs_join(&p, dir, e->d_name);
		if (fs_rmtree(p.data) < 0)
			rc = -1;
	}
	closedir(d);
	if (rc == 0 && fs_copytree_except(package, dir, grader_owned) < 0)
		rc = -1;
	if (rc < 0)
		buf_printf(err, "cannot copy the package %s into %s: %s", package, dir, strerror(errno));
	buf_free(&p);
	return rc;
}

/* Writes CARGO_HOME/config.toml that points crates-io at the course's local registry. */
static int write_registry_config(const char *home, struct buf *err)
{
	static const char cfg[] = "# written by the grader: crates come from the course's registry\n"
				  "[source.crates-io]\nreplace-with = \"course-registry\"\n\n"
				  "[source.course-registry]\nlocal-registry = \"/registry\"\n";
	struct buf p = BUF_INIT;
	int rc;

	fs_join(&p, home, "config.toml");
	rc = fs_write_atomic(p.data, cfg, sizeof(cfg) - 1);
	if (rc < 0)
		buf_printf(err, "cannot write %s: %s", p.data, strerror(errno));
	buf_free(&p);
	return rc;
}

/* Reads cargo's --message-format=json lines: the first error, counts, and the binaries built. */
static void read_messages(const char *out, size_t len, const char *want_bin, struct build_result *res,
			  char **exe, int *nbins)
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
					const char *r = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "rendered"));
					cJSON *span;
					buf_puts(&res->rendered, r ? r : "");
					cJSON_ArrayForEach(span, cJSON_GetObjectItemCaseSensitive(m, "spans"))
					{
						if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(span, "is_primary")))
							continue;
						res->file = strdup(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(span, "file_name")) ?: "?");
						res->line = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(span, "line_start"));
						res->column = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(span, "column_start"));
						break;
					}
				}
			} else if (level && !strcmp(level, "warning")) {
				res->nwarnings++;
			}
		} else if (reason && !strcmp(reason, "compiler-artifact")) {
			cJSON *target = cJSON_GetObjectItemCaseSensitive(j, "target");
			cJSON *kinds = cJSON_GetObjectItemCaseSensitive(target, "kind"), *k;
			const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(target, "name"));
			const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "executable"));
			bool is_bin = false;
			cJSON_ArrayForEach(k, kinds)
				is_bin |= cJSON_GetStringValue(k) && !strcmp(cJSON_GetStringValue(k), "bin");
			if (is_bin && path && name && (!want_bin || !strcmp(want_bin, name))) {
				(*nbins)++;
				free(*exe);
				*exe = strdup(path);
				free(res->binary_name);
				res->binary_name = strdup(name);
			}
		}
		cJSON_Delete(j);
		s += n + 1;
	}
}

/* A build that failed without a compiler error: explain the usual causes. */
static void explain_cargo_failure(const char *err, struct build_result *res)
{
	if (strstr(err, "could not find `Cargo.toml`")) {
		buf_puts(&res->message, "there is no Cargo.toml in the package folder");
		buf_puts(&res->hint, "point rust.package in ex4/exercise.yaml at the folder that holds Cargo.toml");
	} else if (strstr(err, "no matching package") || strstr(err, "offline") ||
		   strstr(err, "failed to get") || strstr(err, "failed to load source")) {
		buf_puts(&res->message, "a dependency could not be found: the grader builds offline and cannot download crates");
		buf_puts(&res->hint, "run `cargo vendor` in your package, commit the vendor/ folder and add the "
				     "[source] lines it prints to .cargo/config.toml (see docs/building.md)");
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
		buf_puts(&res->hint, "run `cargo build --release --offline` on your machine and fix what it reports");
	}
}

int build_rust(struct sandbox *sb, const struct build_request *req, struct build_result *res)
{
	struct buf home = BUF_INIT, err = BUF_INIT, exe_host = BUF_INIT;
	struct sandbox_result run = {0};
	struct sandbox_bind bind;
	const char *argv[10];
	const char *env[] = {"CARGO_HOME=/work/.grader-cargo-home", "CARGO_TARGET_DIR=/work/target",
			     "CARGO_TERM_COLOR=never", "CARGO_NET_OFFLINE=true", "CARGO_INCREMENTAL=0",
			     NULL};
	struct sandbox_request sreq = {0};
	char *exe = NULL;
	int argc = 0, nbins = 0;

	memset(res, 0, sizeof(*res));
	fs_join(&home, req->dir, ".grader-cargo-home");
	if (stage_package(req->package, req->dir, &err) < 0 || fs_mkdirs(home.data) < 0 ||
	    (req->registry && write_registry_config(home.data, &err) < 0)) {
		res->infra = true;
		buf_printf(&res->message, "%s", err.len ? err.data : "cannot prepare the build directory");
		goto out;
	}
	argv[argc++] = "cargo";
	argv[argc++] = "build";
	argv[argc++] = "--release";
	argv[argc++] = "--offline";
	argv[argc++] = "--message-format=json";
	if (req->binary) {
		argv[argc++] = "--bin";
		argv[argc++] = req->binary;
	}
	argv[argc] = NULL;
	sreq.profile = "rust-build";
	sreq.argv = argv;
	sreq.workdir = req->dir;
	sreq.env = env;
	sreq.limits = req->limits;
	if (req->registry) {
		bind = (struct sandbox_bind){.host = req->registry, .inside = "/registry"};
		sreq.binds = &bind;
		sreq.nbinds = 1;
	}
	if (sandbox_run(sb, &sreq, &run) < 0 || run.verdict == SANDBOX_ERROR) {
		res->infra = true;
		buf_printf(&res->message, "the build sandbox failed: %s", buf_str(&run.message));
		goto out;
	}
	res->wall = run.wall;
	res->cpu = run.cpu;
	res->verdict = sandbox_verdict_name(run.verdict);
	{
		struct text_safe tail = {0};
		if (text_safe_tail_lines(buf_str(&run.err), run.err.len, 30, 4000, &tail) == 0)
			buf_puts(&res->log_tail, tail.data ? tail.data : "");
		text_safe_free(&tail);
	}
	read_messages(buf_str(&run.out), run.out.len, req->binary, res, &exe, &nbins);
	if (run.verdict == SANDBOX_TIME_LIMIT) {
		buf_printf(&res->message, "the build ran out of %s time (limit %.0fs)", run.limit ? run.limit : "",
			   run.limit && !strcmp(run.limit, "cpu") ? req->limits.cpu : req->limits.wall);
		buf_puts(&res->hint, "a build script (build.rs) or a macro that never ends? builds must finish within the limit");
		goto out;
	}
	if (run.verdict == SANDBOX_MEMORY_LIMIT || run.verdict == SANDBOX_OUTPUT_LIMIT) {
		buf_printf(&res->message, "the build exceeded its %s limit",
			   run.verdict == SANDBOX_MEMORY_LIMIT ? "memory" : "output");
		goto out;
	}
	if (run.verdict != SANDBOX_OK || res->nerrors) {
		if (res->nerrors)
			buf_printf(&res->message, "the Rust port does not compile: %d error%s, the first at %s:%d:%d",
				   res->nerrors, res->nerrors == 1 ? "" : "s", res->file ? res->file : "?",
				   res->line, res->column);
		else
			explain_cargo_failure(buf_str(&run.err), res);
		if (res->nerrors)
			buf_puts(&res->hint, "the compiler's own message is in the evidence (rendered); fix the first error first");
		goto out;
	}
	if (nbins == 0 || !exe) {
		buf_puts(&res->message, req->binary ? "the build produced no binary of that name"
						    : "the package builds no binary (is there a src/main.rs?)");
		buf_puts(&res->hint, "name the binary to run in rust.binary of ex4/exercise.yaml");
		goto out;
	}
	if (nbins > 1 && !req->binary) {
		buf_puts(&res->message, "the package builds several binaries and the manifest does not say which to run");
		buf_puts(&res->hint, "set rust.binary in ex4/exercise.yaml");
		goto out;
	}
	/* cargo reports the path inside the sandbox: /work/target/… is <dir>/target/… on the host. */
	if (strncmp(exe, "/work/", 6)) {
		buf_printf(&res->message, "cargo reported an unexpected executable path %s", exe);
		res->infra = true;
		goto out;
	}
	fs_join(&exe_host, req->dir, exe + 6);
	res->binary = buf_detach(&exe_host);
	res->ok = true;
	buf_printf(&res->message, "built %s in %.1fs", res->binary_name, res->wall);
out:
	free(exe);
	sandbox_result_free(&run);
	buf_free(&home);
	buf_free(&err);
	buf_free(&exe_host);
	return 0;
}
