/* startup.c: the start-up cost of trivial Python and Rust programs in the sandbox (see startup.h). */
#include "measure/startup.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "build.h"
#include "fs.h"
#include "num.h"
#include "sha256.h"
#include "measure/stats.h"
#include "xalloc.h"
#include "banned.h"

#define RUST_NAME "grader_startup"
#define MAX_RUNS 25

static const char cargo_toml[] = "[package]\nname = \"" RUST_NAME "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
				 "[dependencies]\n\n[profile.release]\n";
static const char main_rs[] = "fn main() {}\n";

__attribute__((format(printf, 2, 3))) static void note(struct startup_result *s, const char *fmt, ...)
{
	va_list ap;

	if (s->note.len)
		buf_puts(&s->note, "; ");
	va_start(ap, fmt);
	buf_vprintf(&s->note, fmt, ap);
	va_end(ap);
}

/* The toolchain as the build sandbox sees it: `rustc -vV`, its first line into s->toolchain and
 * a short hash of all of it into `key`. Returns 0, or -1 with the reason in s->note. */
static int toolchain_key(struct sandbox *sb, const struct program_pair *pair,
			 const struct sandbox_limits *limits, struct startup_result *s, struct buf *key)
{
	const char *argv[] = {"rustc", "-vV", NULL};
	struct sandbox_request req = {.profile = "rust-build", .argv = argv, .limits = *limits};
	struct sandbox_result res = {0};
	struct buf dir = BUF_INIT;
	struct sha256 h;
	char hex[SHA256_HEX + 1];
	int rc = -1;

	fs_join(&dir, pair->scratch, "startup-probe");
	if (fs_rmtree(dir.data) < 0 || fs_mkdirs(dir.data) < 0) {
		note(s, "cannot prepare %s: %s", dir.data, strerror(errno));
		goto out;
	}
	req.workdir = dir.data;
	s->sandbox_runs++;
	if (sandbox_run(sb, &req, &res) < 0 || res.verdict != SANDBOX_OK || !res.out.len) {
		note(s, "rustc -vV failed in the build sandbox: %s", buf_str(&res.message));
		goto out;
	}
	s->run_seconds += res.wall;
	s->toolchain = xstrndup(res.out.data, strcspn(res.out.data, "\n"));
	sha256_init(&h);
	sha256_update(&h, res.out.data, res.out.len);
	sha256_final_hex(&h, hex);
	buf_append(key, hex, 16);
	rc = 0;
out:
	sandbox_result_free(&res);
	fs_rmtree(dir.data);
	buf_free(&dir);
	return rc;
}

/* The trivial Rust program's host path into `bin`: from the cache, or built now. */
static int trivial_rust(struct sandbox *sb, const struct program_pair *pair, const char *cache,
			const struct sandbox_limits *limits, struct startup_result *s, struct buf *bin)
{
	struct buf key = BUF_INIT, dir = BUF_INIT, pkg = BUF_INIT, file = BUF_INIT, build = BUF_INIT;
	struct build_request req = {0};
	struct build_result res = {0};
	int rc = -1;

	if (toolchain_key(sb, pair, limits, s, &key) < 0)
		goto out;
	fs_join(&dir, cache, "startup/rust-");
	buf_puts(&dir, key.data);
	fs_join(&build, dir.data, "build");
	fs_join(bin, build.data, "bin/" RUST_NAME);
	if (fs_is_file(bin->data)) {
		s->rust_cached = true;
		rc = 0;
		goto out;
	}
	fs_join(&pkg, dir.data, "pkg");
	fs_join(&file, pkg.data, "src");
	if (fs_mkdirs(file.data) < 0) {
		note(s, "cannot create %s: %s", file.data, strerror(errno));
		goto out;
	}
	buf_reset(&file);
	fs_join(&file, pkg.data, "Cargo.toml");
	if (fs_write_atomic(file.data, cargo_toml, strlen(cargo_toml)) < 0) {
		note(s, "cannot write %s: %s", file.data, strerror(errno));
		goto out;
	}
	buf_reset(&file);
	fs_join(&file, pkg.data, "src/main.rs");
	if (fs_write_atomic(file.data, main_rs, strlen(main_rs)) < 0) {
		note(s, "cannot write %s: %s", file.data, strerror(errno));
		goto out;
	}
	req.package = pkg.data;
	req.dir = build.data;
	req.binary = RUST_NAME;
	req.limits = *limits;
	build_rust(sb, &req, &res);
	s->sandbox_runs += 2;
	s->run_seconds += res.wall;
	if (!res.ok || !res.binary) {
		note(s, "the trivial Rust program did not build: %s", buf_str(&res.message));
		goto out;
	}
	buf_reset(bin);
	buf_puts(bin, res.binary);
	rc = 0;
out:
	build_result_free(&res);
	buf_free(&key);
	buf_free(&dir);
	buf_free(&pkg);
	buf_free(&file);
	buf_free(&build);
	return rc;
}

/* The empty Python script in the cache folder into `script`. */
static int empty_script(const char *cache, struct startup_result *s, struct buf *script)
{
	struct buf dir = BUF_INIT;
	int rc = 0;

	fs_join(&dir, cache, "startup");
	fs_join(script, dir.data, "empty.py");
	if (!fs_is_file(script->data) && (fs_mkdirs(dir.data) < 0 || fs_write_atomic(script->data, "", 0) < 0)) {
		note(s, "cannot write %s: %s", script->data, strerror(errno));
		rc = -1;
	}
	buf_free(&dir);
	return rc;
}

struct samples {
	double cpu[MAX_RUNS], wall[MAX_RUNS], peak[MAX_RUNS];
	int n;
	bool failed;
};

static void run_once(struct sandbox *sb, const struct program_pair *pair, enum program_which which,
		     const char *file, bool keep, struct samples *x, struct startup_result *s)
{
	struct sandbox_result res = {0};

	if (x->failed)
		return;
	s->sandbox_runs++;
	if (program_run_file(sb, pair, which, file, &res) < 0 || res.verdict != SANDBOX_OK) {
		x->failed = true;
		note(s, "the trivial %s program did not run: %s", program_name(which),
		     res.message.len ? res.message.data : sandbox_verdict_name(res.verdict));
	} else if (keep && x->n < MAX_RUNS) {
		x->cpu[x->n] = res.cpu;
		x->wall[x->n] = res.wall;
		x->peak[x->n] = (double)res.peak_memory;
		x->n++;
	}
	s->run_seconds += res.wall;
	sandbox_result_free(&res);
}

static void summarize(const struct samples *x, struct startup_figure *f)
{
	double peak = 0;

	if (x->failed || !x->n)
		return;
	stats_median(x->cpu, (size_t)x->n, &f->cpu);
	stats_median(x->wall, (size_t)x->n, &f->wall);
	stats_median(x->peak, (size_t)x->n, &peak);
	f->peak_memory = (uint64_t)peak;
	f->ok = true;
}

void startup_measure(struct sandbox *sb, const struct program_pair *pair, const char *cache,
		     const struct sandbox_limits *build_limits, int runs, struct startup_result *out)
{
	struct buf script = BUF_INIT, bin = BUF_INIT;
	struct samples py = {0}, rs = {0};

	memset(out, 0, sizeof(*out));
	out->runs = runs < 1 ? 1 : runs > MAX_RUNS ? MAX_RUNS : runs;
	if (!cache) {
		note(out, "no cache folder to keep the trivial programs in");
		return;
	}
	py.failed = empty_script(cache, out, &script) < 0;
	rs.failed = trivial_rust(sb, pair, cache, build_limits, out, &bin) < 0;
	for (int i = 0; i <= out->runs; i++) {
		run_once(sb, pair, PROGRAM_PYTHON, script.data, i > 0, &py, out);
		run_once(sb, pair, PROGRAM_RUST, bin.data, i > 0, &rs, out);
	}
	summarize(&py, &out->python);
	summarize(&rs, &out->rust);
	buf_free(&script);
	buf_free(&bin);
}

void startup_result_free(struct startup_result *s)
{
	free(s->toolchain);
	buf_free(&s->note);
	memset(s, 0, sizeof(*s));
}

bool startup_net_speedup(double base, double base_start, double cand, double cand_start, double *net)
{
	double b = base - base_start, c = cand - cand_start;

	if (b <= 1e-4 || b <= base_start / 10 || c <= 1e-4 || c <= cand_start / 10)
		return false;
	*net = b / c;
	return true;
}

static void mostly(const char *name, double median, double start, const char *what, struct buf *out)
{
	char a[32], b[32];

	if (!(median > 0 && start > 0 && median < 2 * start))
		return;
	buf_printf(out, "%s%s's %s is mostly process start-up (%s): give a larger input to measure the %s",
		   out->len ? "; " : "", name, num_format_duration(median, a, sizeof(a)),
		   num_format_duration(start, b, sizeof(b)), what);
}

void startup_note(const struct startup_result *s, bool wall, double python, double rust, struct buf *out)
{
	if (s->python.ok)
		mostly("Python", python, wall ? s->python.wall : s->python.cpu, "original", out);
	if (s->rust.ok)
		mostly("Rust", rust, wall ? s->rust.wall : s->rust.cpu, "port", out);
}

static void add_figure(cJSON *o, const char *key, const struct startup_figure *f)
{
	cJSON *x;

	if (!f->ok) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	x = cJSON_AddObjectToObject(o, key);
	if (!x)
		return;
	cJSON_AddNumberToObject(x, "cpu", f->cpu);
	cJSON_AddNumberToObject(x, "wall", f->wall);
	cJSON_AddNumberToObject(x, "peak_memory", (double)f->peak_memory);
}

void *startup_json(const struct startup_result *s, bool wall, double python, double rust)
{
	cJSON *o = cJSON_CreateObject();
	double net;

	if (!o)
		return NULL;
	add_figure(o, "python", &s->python);
	add_figure(o, "rust", &s->rust);
	cJSON_AddNumberToObject(o, "runs", s->runs);
	if (s->toolchain)
		cJSON_AddStringToObject(o, "toolchain", s->toolchain);
	cJSON_AddBoolToObject(o, "rust_cached", s->rust_cached);
	cJSON_AddStringToObject(o, "metric", wall ? "wall" : "cpu");
	if (s->python.ok && s->rust.ok && python > 0 && rust > 0 &&
	    startup_net_speedup(python, wall ? s->python.wall : s->python.cpu, rust,
				wall ? s->rust.wall : s->rust.cpu, &net))
		cJSON_AddNumberToObject(o, "net_speedup", net);
	else
		cJSON_AddNullToObject(o, "net_speedup");
	if (s->note.len)
		cJSON_AddStringToObject(o, "note", s->note.data);
	return o;
}
