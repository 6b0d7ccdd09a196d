/* pair.c: a pair of programs, a Python original and a Rust port, as exercises 2 and 4 grade it:
 * the manifest, the build, differential runs, the benchmark input, speed, memory and scaling. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exercises/pair.h"
#include "fs.h"
#include "log.h"
#include "num.h"
#include "measure/scaling.h"
#include "measure/startup.h"
#include "measure/timing_lock.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"
void pair_block(struct pair *cv, const char *fmt, ...)
{
	va_list ap;

	if (cv->blocked.len)
		buf_puts(&cv->blocked, "; ");
	va_start(ap, fmt);
	buf_vprintf(&cv->blocked, fmt, ap);
	va_end(ap);
}

/* "ex4" + "/" + rel */
char *pair_rel_to_root(const struct pair *cv, const char *rel)
{
	struct buf b = BUF_INIT;

	fs_join(&b, cv->base.data, rel);
	return buf_detach(&b);
}

void pair_host_path(const struct pair *cv, const char *rel_root, struct buf *out)
{
	fs_join(out, cv->g->submission, rel_root);
}

/* `prefix` and why the two programs were not shown to agree into `out`: the first failed
 * prerequisite, or how they disagree. */
void pair_unproven_cause(const struct pair *cv, const char *prefix, struct buf *out)
{
	buf_puts(out, prefix);
	if (cv->unproven.len)
		buf_puts(out, cv->unproven.data);
	else if (cv->blocked.len)
		buf_puts(out, cv->blocked.data);
	else if (!cv->pair.rust_binary)
		buf_puts(out, "the Rust program did not build (see check build)");
	else
		buf_puts(out, "the two programs were not shown to agree (see check correctness)");
}

/* When the exercise's time budget is used up, marks `c` (may be NULL) skipped with the reason and
 * returns true: nothing more is run for it. */
bool pair_out_of_time(struct pair *cv, struct result_check *c)
{
	struct buf why = BUF_INIT;

	if (grade_time_left(cv->g, &why))
		return false;
	if (c)
		result_check_set(c, RESULT_SKIPPED, 0, "not run: %s", why.data);
	if (!cv->blocked.len)
		pair_block(cv, "%s", why.data);
	buf_free(&why);
	return true;
}

/* Counts a finished run in the grading's usage. */
void pair_account(const struct pair *cv, double wall)
{
	if (cv->g->usage) {
		cv->g->usage->runs++;
		cv->g->usage->run_seconds += wall;
	}
}

/* A limit in bytes as docs/submission.md writes it: "4 MiB", "1 GiB". */
const char *pair_limit_size(uint64_t bytes, char *out, unsigned size)
{
	if (bytes >= (1ULL << 30) && bytes % (1ULL << 30) == 0)
		snprintf(out, size, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= (1ULL << 20) && bytes % (1ULL << 20) == 0)
		snprintf(out, size, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		num_format_size(bytes, out, size);
	return out;
}

/* Puts what a run did in one line: "exited 0", "was killed by signal 11", "exceeded the CPU time
 * limit of 5 s". A limit is named with its value. */
void pair_describe_run(const struct sandbox_result *res, struct buf *out)
{
	char v[32];
	const char *lim = res->limit ? res->limit : "";

	switch (res->verdict) {
	case SANDBOX_OK:
		buf_puts(out, "exited 0");
		break;
	case SANDBOX_RUNTIME_ERROR:
		if (!strcmp(lim, "pids"))
			buf_printf(out, "started more than %.0f processes and threads at once (the process limit)",
				   res->limit_value);
		else if (res->signal)
			buf_printf(out, "was killed by signal %d", res->signal);
		else
			buf_printf(out, "exited with status %d", res->exit_code);
		break;
	case SANDBOX_TIME_LIMIT:
		buf_printf(out, "exceeded the %s time limit of %s", !strcmp(lim, "cpu") ? "CPU" : "wall-clock",
			   num_format_time(res->limit_value, v, sizeof(v)));
		break;
	case SANDBOX_MEMORY_LIMIT:
		buf_printf(out, "exceeded the memory limit of %s",
			   pair_limit_size((uint64_t)res->limit_value, v, sizeof(v)));
		break;
	case SANDBOX_OUTPUT_LIMIT:
		if (!strcmp(lim, "file"))
			buf_printf(out, "wrote a file larger than the file size limit of %s",
				   pair_limit_size((uint64_t)res->limit_value, v, sizeof(v)));
		else
			buf_printf(out, "wrote more than the output limit of %s (stdout and stderr together)",
				   pair_limit_size((uint64_t)res->limit_value, v, sizeof(v)));
		break;
	case SANDBOX_ERROR:
		buf_printf(out, "could not be run by the sandbox (%s)", res->message.data);
		break;
	}
}

/* Whether a run stopped on one of the limits of docs/submission.md, "Limits". */
static bool hit_limit(const struct sandbox_result *res)
{
	return res->verdict == SANDBOX_TIME_LIMIT || res->verdict == SANDBOX_MEMORY_LIMIT ||
	       res->verdict == SANDBOX_OUTPUT_LIMIT || (res->limit && !strcmp(res->limit, "pids"));
}

/* The fix for a run that hit a limit (`res`), appended to `why` as "; ...". */
void pair_limit_fix(const struct sandbox_result *res, struct buf *why)
{
	const char *lim = res->limit ? res->limit : "";
	const char *fix = res->verdict == SANDBOX_TIME_LIMIT ? "make the program faster or the input smaller"
			  : res->verdict == SANDBOX_MEMORY_LIMIT
				  ? "keep less in memory (stream the input) or use a smaller input"
			  : !strcmp(lim, "file")   ? "write smaller files, or use a smaller input"
			  : !strcmp(lim, "output") ? "print less (or use a smaller input)"
						   : "start fewer processes and threads";

	if (hit_limit(res))
		buf_printf(why, "; %s (every limit is in docs/submission.md, \"Limits\")", fix);
}

/* The last lines of stderr: a Python traceback or a Rust panic. */
void pair_stderr_tail(const struct sandbox_result *res, struct buf *out)
{
	struct text_safe t;

	text_safe_tail_lines(res->err.data, res->err.len, 8, 1200, &t);
	buf_puts(out, t.data);
	text_safe_free(&t);
}

/* Reads the output file `name` a program wrote in its run folder `dir` into `out`. Returns 1 when
 * read, 0 when the program wrote no such file, and -1 when the file is not one the grader reads (a
 * symbolic link, a path out of the folder, a fifo, a folder, too big): then `out` holds what it
 * is, for the message. Nothing a link points at is ever opened. */
static int read_output(const char *dir, const char *name, struct buf *out)
{
	if (fs_read_beneath(dir, name, 64u << 20, out) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	buf_reset(out);
	buf_puts(out, errno == ELOOP    ? "a symbolic link"
		      : errno == EXDEV  ? "a path outside its folder"
		      : errno == EISDIR ? "a folder"
		      : errno == EFBIG  ? "a file over 64 MiB"
					: "something else than a regular file");
	return -1;
}
/* The two runs ended differently (`py` exited 0 or with an error; `rs` ran): how, with the end
 * of their error output, into `why` and `ev` (may be NULL). */
static void status_differs(const struct sandbox_result *py, const struct sandbox_result *rs,
			   struct buf *why, struct result_ev *ev)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	pair_describe_run(py, &a);
	pair_describe_run(rs, &b);
	buf_printf(why, "the Python original %s but the Rust port %s", a.data, b.data);
	pair_limit_fix(rs, why);
	buf_reset(&b);
	pair_stderr_tail(rs, &b);
	if (b.len) {
		buf_printf(why, "; the Rust port's last error output:\n%s", b.data);
		if (strstr(b.data, "python") && (strstr(b.data, "No such file") || strstr(b.data, "NotFound")))
			buf_puts(why, "\n(the port tries to run Python: a port must do the work in Rust, and the Rust sandbox has no Python)");
	}
	if (py->verdict != SANDBOX_OK) {
		buf_reset(&a);
		pair_stderr_tail(py, &a);
		if (a.len)
			buf_printf(why, "\nthe Python original's last error output:\n%s", a.data);
	}
	if (ev) {
		result_ev_text(ev, "python_stderr_tail", py->err.data, py->err.len, PAIR_EXCERPT, true);
		result_ev_text(ev, "rust_stderr_tail", rs->err.data, rs->err.len, PAIR_EXCERPT, true);
	}
	buf_free(&a);
	buf_free(&b);
}

/* Whether both programs wrote the same standard output; if not, says how in `why` and `ev`. */
static bool stdout_agrees(const struct pair *cv, const struct sandbox_result *py,
			  const struct sandbox_result *rs, struct buf *why, struct result_ev *ev)
{
	struct outdiff_result c = {0};
	bool same = false;

	if (outdiff_outputs(&cv->cmp, py->out.data, py->out.len, rs->out.data, rs->out.len, &c) < 0) {
		buf_puts(why, "the outputs could not be compared (invalid comparison options)");
		return false;
	}
	if (!c.equal) {
		buf_printf(why, "standard output differs: %s", c.message ? c.message : "");
		if (ev) {
			result_ev_int(ev, "line", (long long)c.expected_line);
			result_ev_int(ev, "column", (long long)c.expected_column);
			result_ev_str(ev, "expected_excerpt", c.expected_excerpt);
			result_ev_str(ev, "actual_excerpt", c.actual_excerpt);
			if (c.json_path)
				result_ev_str(ev, "json_path", c.json_path);
			if (c.csv_column)
				result_ev_str(ev, "csv_column", c.csv_column);
		}
	} else
		same = true;
	outdiff_result_free(&c);
	return same;
}

/* Whether both programs wrote the same output files, those they were asked to write; if not,
 * says how in `why`. Both programs control their run folders: a file is read only when it is a
 * regular file reached without any symbolic link. */
static bool files_agree(const struct pair *cv, struct buf *why)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	for (size_t i = 0; i < cv->m->noutputs && !why->len; i++) {
		struct buf pd = BUF_INIT, rd = BUF_INIT;
		struct outdiff_result c = {0};
		const char *name = cv->m->outputs[i];
		int have_p, have_r;
		program_scratch(&cv->pair, PROGRAM_PYTHON, &pd);
		program_scratch(&cv->pair, PROGRAM_RUST, &rd);
		buf_reset(&a);
		buf_reset(&b);
		have_p = read_output(pd.data, name, &a);
		have_r = read_output(rd.data, name, &b);
		if (have_p < 0 || have_r < 0)
			buf_printf(why,
				   "the %s wrote %s as %s: output files must be regular files in the "
				   "program's folder",
				   have_r < 0 ? "Rust port" : "Python original", name,
				   buf_str(have_r < 0 ? &b : &a));
		else if (have_p && !have_r)
			buf_printf(why, "the Rust port did not write the output file %s", name);
		else if (!have_p && have_r)
			buf_printf(why, "the Rust port wrote %s but the Python original did not", name);
		else if (have_p && outdiff_outputs(&cv->cmp, a.data, a.len, b.data, b.len, &c) == 0 && !c.equal)
			buf_printf(why, "output file %s differs: %s", name, c.message ? c.message : "");
		outdiff_result_free(&c);
		buf_free(&pd);
		buf_free(&rd);
	}
	buf_free(&a);
	buf_free(&b);
	return !why->len;
}

int pair_judge_case(const struct pair *cv, const struct sandbox_result *py,
		    const struct sandbox_result *rs, struct buf *why, struct result_ev *ev)
{
	struct buf a = BUF_INIT;
	int same = 0;

	if (py->verdict != SANDBOX_OK && py->verdict != SANDBOX_RUNTIME_ERROR) {
		pair_describe_run(py, &a);
		buf_printf(why, "the Python original %s on this case, so there is nothing to compare with",
			   a.data);
		pair_limit_fix(py, why);
	} else if (rs->verdict == SANDBOX_ERROR)
		buf_printf(why, "the Rust port could not be run: %s", rs->message.data);
	else if (rs->verdict != py->verdict || rs->exit_code != py->exit_code || rs->signal != py->signal)
		status_differs(py, rs, why, ev);
	else
		same = stdout_agrees(cv, py, rs, why, ev) && files_agree(cv, why);
	buf_free(&a);
	return same;
}

/* Runs both programs on one input file and judges. Returns 1 same, 0 different, -1 infra. */
int pair_run(struct pair *cv, const char *input, struct buf *why, struct result_ev *ev,
	     struct sandbox_result *py, struct sandbox_result *rs)
{
	if (program_run(cv->g->sb, &cv->pair, PROGRAM_PYTHON, input, py) < 0 || py->verdict == SANDBOX_ERROR) {
		buf_printf(why, "the sandbox could not run the Python original: %s", py->message.data);
		return -1;
	}
	pair_account(cv, py->wall);
	if (program_run(cv->g->sb, &cv->pair, PROGRAM_RUST, input, rs) < 0) {
		buf_printf(why, "the sandbox could not run the Rust port: %s", rs->message.data);
		return -1;
	}
	pair_account(cv, rs->wall);
	return pair_judge_case(cv, py, rs, why, ev);
}
void pair_check_build(struct pair *cv, struct result_check *c)
{
	struct buf pkg = BUF_INIT, dir = BUF_INIT, reg = BUF_INIT, rel = BUF_INIT;
	struct build_request req = {0};
	struct result_ev *ev = result_check_ev(c);
	char *pkg_rel = pair_rel_to_root(cv, cv->m->rust_package);

	pair_host_path(cv, pkg_rel, &pkg);
	{
		/* The package is copied on the host: never through a link that could lead out. */
		int fd = fs_open_beneath(cv->g->submission, pkg_rel, O_RDONLY | O_DIRECTORY);
		if (fd < 0 && (errno == ELOOP || errno == EXDEV)) {
			result_check_set(c, RESULT_FAIL, 0,
					 "the Rust package folder %s is a symbolic link (or leads "
					 "through one): the grader builds only what is inside your repository",
					 pkg_rel);
			result_check_hint(c, "replace the link by the folder itself");
			goto out;
		}
		if (fd >= 0)
			close(fd);
	}
	if (!fs_is_dir(pkg.data)) {
		result_check_set(c, RESULT_FAIL, 0, "the Rust package folder %s does not exist", pkg_rel);
		result_check_hint(c, "set rust.package in %s to the folder that holds Cargo.toml",
				  cv->ex->manifest);
		goto out;
	}
	/* build-<id> held an older layout whose every file a build could replace: never reuse it. */
	fs_join(&dir, cv->g->workdir, "build-");
	buf_puts(&dir, cv->ex->id);
	fs_rmtree(dir.data);
	fs_join(&dir, cv->g->workdir, "cargo-");
	buf_puts(&dir, cv->ex->id);
	req.package = pkg.data;
	req.dir = dir.data;
	req.binary = cv->m->rust_binary;
	req.limits = cv->ex->build_limits;
	if (cv->ex->registry) {
		spec_resolve(cv->ex, cv->ex->registry, &reg);
		req.registry = reg.data;
	}
	build_rust(cv->g->sb, &req, &cv->build);
	pair_account(cv, cv->build.wall);
	result_ev_num(ev, "wall_seconds", cv->build.wall);
	result_ev_num(ev, "cpu_seconds", cv->build.cpu);
	result_ev_int(ev, "errors", cv->build.nerrors);
	result_ev_int(ev, "warnings", cv->build.nwarnings);
	if (cv->build.verdict)
		result_ev_str(ev, "verdict", cv->build.verdict);
	if (cv->build.file) {
		buf_printf(&rel, "%s/%s", pkg_rel, cv->build.file);
		result_ev_str(ev, "file", rel.data);
		result_ev_int(ev, "line", cv->build.line);
		result_ev_int(ev, "column", cv->build.column);
		result_ev_text(ev, "rendered", buf_str(&cv->build.rendered), cv->build.rendered.len, 4000, false);
	}
	if (cv->build.log_tail.len && !cv->build.ok)
		result_ev_str(ev, "log_tail", cv->build.log_tail.data);
	if (cv->build.infra) {
		result_check_set(c, RESULT_ERROR, 0, "%s", buf_str(&cv->build.message));
		result_error(cv->r, "build of %s: %s", pkg_rel, buf_str(&cv->build.message));
	} else if (!cv->build.ok) {
		if (cv->build.nerrors && cv->build.rendered.len)
			result_check_set(c, RESULT_FAIL, 0, "%s\n%s", buf_str(&cv->build.message),
					 cv->build.rendered.data);
		else
			result_check_set(c, RESULT_FAIL, 0, "%s", buf_str(&cv->build.message));
		if (cv->build.hint.len)
			result_check_hint(c, "%s", cv->build.hint.data);
	} else {
		result_check_set(c, RESULT_PASS, c->max_points, "%s", buf_str(&cv->build.message));
		cv->pair.rust_binary = cv->build.binary;
	}
out:
	if (!cv->pair.rust_binary)
		pair_block(cv, "%s (see check build)",
			   cv->build.infra ? "a sandbox error while building the Rust program"
					   : "the Rust program did not build");
	free(pkg_rel);
	buf_free(&pkg);
	buf_free(&dir);
	buf_free(&reg);
	buf_free(&rel);
}

/* Runs the generator once: `python3 SCRIPT SEED SIZE` in the Python sandbox, under the exercise's
 * limits (its output limit bounds what one generated input may hold). */
static int run_generator(struct pair *cv, const char *script, int seed, int size, struct sandbox_result *res)
{
	char seed_s[24], size_s[24];
	const char *args[] = {seed_s, size_s, NULL};

	snprintf(seed_s, sizeof(seed_s), "%d", seed);
	snprintf(size_s, sizeof(size_s), "%d", size);
	return program_run_python_tool(cv->g->sb, &cv->pair, script, args, res);
}

/* The largest size whose input fits in `limit` bytes, estimated from a run at an eighth of `size`
 * (the one that was too large), with a tenth to spare; 0 when it cannot be told. */
static long long generator_max_size(struct pair *cv, const char *script, int seed, int size, uint64_t limit)
{
	struct sandbox_result res = SANDBOX_RESULT_INIT;
	long long max = 0;
	int small = size / 8;

	if (small < 1 || !limit)
		return 0;
	if (run_generator(cv, script, seed, small, &res) == 0 && res.verdict == SANDBOX_OK && res.out_total > 0) {
		double m = (double)small * (double)limit / (double)res.out_total * 0.9;
		double p = pow(10.0, floor(log10(m)) - 1); /* two significant digits, rounded down */
		max = m >= 1 ? (long long)(floor(m / p) * p) : 0;
	}
	pair_account(cv, res.wall);
	sandbox_result_free(&res);
	return max;
}

/* Runs the generator for one seed into <workdir>/generated-<id>/seed-N-size-M.txt. `size_key` is
 * the manifest key that chose the size ("generator.size"), for the message when the input is too
 * large. Returns 0, or -1 (the generator failed) or -2 (the sandbox did) with the reason in `why`. */
int pair_generate(struct pair *cv, int seed, int size, const char *size_key, struct buf *path, struct buf *why)
{
	struct sandbox_result res = SANDBOX_RESULT_INIT;
	struct buf dir = BUF_INIT, name = BUF_INIT;
	char *script = pair_rel_to_root(cv, cv->m->generator);
	int rc = -1;

	if (run_generator(cv, script, seed, size, &res) < 0 || res.verdict == SANDBOX_ERROR) {
		buf_printf(why, "the sandbox could not run the generator: %s", res.message.data);
		rc = -2;
		goto out;
	}
	pair_account(cv, res.wall);
	if (res.verdict == SANDBOX_OUTPUT_LIMIT && res.limit && !strcmp(res.limit, "output") &&
	    cv->ex->limits.output) {
		char lim[32], t[48];
		long long max = generator_max_size(cv, script, seed, size, cv->ex->limits.output);
		pair_limit_size(cv->ex->limits.output, lim, sizeof(lim));
		buf_printf(why,
			   "the generator %s wrote more than %s with seed %d and size %d: %s is the most a "
			   "generated input may hold (this exercise's output limit; docs/submission.md, \"Limits\"); "
			   "make %s in %s smaller",
			   script, lim, seed, size, lim, size_key, cv->ex->manifest);
		if (max > 0)
			buf_printf(why, ": sizes up to about %lld fit", max);
		if (!strcmp(size_key, "benchmark.generate.size") && cv->ex->perf.enabled)
			buf_printf(why,
				   " (and the benchmark input must still be large enough for Python to run at least %s "
				   "of CPU time on it)",
				   num_format_time(cv->ex->perf.min_python_cpu, t, sizeof(t)));
		goto out;
	}
	if (res.verdict != SANDBOX_OK) {
		struct buf d = BUF_INIT;
		pair_describe_run(&res, &d);
		if (hit_limit(&res))
			buf_printf(&d,
				   ": make %s in %s smaller, or the generator lighter (every limit is in "
				   "docs/submission.md, \"Limits\")",
				   size_key, cv->ex->manifest);
		else {
			buf_puts(&d, ":\n");
			pair_stderr_tail(&res, &d);
		}
		buf_printf(why, "the generator %s with seed %d and size %d %s", script, seed, size, d.data);
		buf_free(&d);
		goto out;
	}
	/* One folder per exercise: exercises 2 and 4 may both generate seed 1. */
	fs_join(&dir, cv->g->workdir, "generated-");
	buf_puts(&dir, cv->ex->id);
	fs_mkdirs(dir.data);
	buf_printf(&name, "seed-%d-size-%d.txt", seed, size);
	fs_join(path, dir.data, name.data);
	if (fs_write_atomic(path->data, res.out.data, res.out.len) < 0) {
		buf_printf(why, "cannot write %s: %s", path->data, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(script);
	sandbox_result_free(&res);
	buf_free(&dir);
	buf_free(&name);
	return rc;
}

/* The runner the perf protocol calls: one run of one program on the benchmark input. */
struct perf_ctx {
	struct pair *cv;
	const char *input;
	struct buf failure;
};

static int perf_runner(void *p, enum program_which which, struct perf_sample *out)
{
	struct perf_ctx *pc = p;
	struct sandbox_result res = SANDBOX_RESULT_INIT;
	int rc = program_run(pc->cv->g->sb, &pc->cv->pair, which, pc->input, &res);

	memset(out, 0, sizeof(*out));
	if (rc < 0 || res.verdict == SANDBOX_ERROR) {
		buf_reset(&pc->failure);
		buf_printf(&pc->failure, "the sandbox failed: %s", res.message.data);
		sandbox_result_free(&res);
		return -1;
	}
	pair_account(pc->cv, res.wall);
	out->cpu = res.cpu;
	out->wall = res.wall;
	out->peak_memory = res.peak_memory;
	out->cgroup_peak = res.cgroup_peak;
	out->method = res.method; /* a static string */
	out->ok = res.verdict == SANDBOX_OK;
	if (!out->ok) {
		struct buf d = BUF_INIT;
		pair_describe_run(&res, &d);
		buf_reset(&pc->failure);
		buf_printf(&pc->failure, "the %s program %s on the benchmark input", program_name(which),
			   d.data);
		pair_limit_fix(&res, &pc->failure);
		pair_stderr_tail(&res, &d);
		buf_free(&d);
	}
	sandbox_result_free(&res);
	return 0;
}

/* The benchmark input into `input` (a host file) and how to name it into `name`: the manifest's
 * file, a generated input, or else `fallback` (exercise 4's largest case, or NULL). Returns 0, or -1
 * with the reason in `why`. */
int pair_bench_input(struct pair *cv, const struct pair_input *fallback, struct buf *input,
		     struct buf *name, struct buf *why)
{
	if (cv->m->bench_file) {
		char *rel = pair_rel_to_root(cv, cv->m->bench_file);
		pair_host_path(cv, rel, input);
		buf_puts(name, rel);
		if (!fs_is_file_beneath(cv->g->submission, rel))
			buf_printf(why, "the benchmark file %s does not exist (or is not a regular file)", rel);
		free(rel);
		return why->len ? -1 : 0;
	}
	if (cv->m->bench_size > 0) {
		buf_printf(name, "generated: seed %d, size %d", cv->m->bench_seed, cv->m->bench_size);
		return pair_generate(cv, cv->m->bench_seed, cv->m->bench_size, "benchmark.generate.size",
				     input, why);
	}
	if (fallback) {
		buf_puts(input, fallback->path);
		buf_printf(name, "%s (the largest case: the manifest names no benchmark)", fallback->name);
		return 0;
	}
	buf_printf(why, "%s names no benchmark input (benchmark.file or benchmark.generate)", cv->ex->manifest);
	return -1;
}

/* A warning in the report when a timed measurement (`what`) ran without the timing lock or beside
 * another timed run: its figures may be disturbed. */
static void warn_timing(struct pair *cv, const char *what, const struct timing_lock *tl)
{
	if ((tl->path && !tl->held) || tl->overlapped)
		result_warn(cv->r, "%s: the %s %s%s%s", cv->ex->id, what,
			    tl->overlapped ? "overlapped another timed run" : "ran without the timing lock",
			    tl->note.len ? ": " : "", buf_str(&tl->note));
}

/* After a timed measurement: the start-up runs into the usage, the start-up sentence into the
 * measurement's message (when a program's time is mostly start-up), the start-up figures and the
 * lock's record into the speed check's evidence (`speed` may be NULL), and a warning when the
 * measurement ran without the lock or beside another timed run. */
static void after_timing(struct pair *cv, const struct perf_config *cfg, const struct startup_result *su,
			 const struct timing_lock *tl, struct perf_outcome *out, struct result_check *speed)
{
	bool wall = cfg->metric == PERF_METRIC_WALL;
	const double *m = wall ? out->median_wall : out->median_cpu;
	struct buf note = BUF_INIT;

	if (cv->g->usage) {
		cv->g->usage->runs += su->sandbox_runs;
		cv->g->usage->run_seconds += su->run_seconds;
	}
	if (out->pairs > 0)
		startup_note(su, wall, m[PROGRAM_PYTHON], m[PROGRAM_RUST], &note);
	if (note.len)
		buf_printf(&out->message, "; %s", note.data);
	if (speed) {
		struct result_ev *ev = result_check_ev(speed);
		result_ev_attach(ev, "startup",
				 startup_json(su, wall, out->pairs > 0 ? m[PROGRAM_PYTHON] : 0,
					      out->pairs > 0 ? m[PROGRAM_RUST] : 0));
		result_ev_attach(ev, "timing_lock", timing_lock_json(tl));
	}
	warn_timing(cv, "speed measurement", tl);
	buf_free(&note);
}

/* The hint of a benchmark input too small to prove a speedup: the range of sizes that works, from
 * the size Python needs to reach min_python_cpu up to the one whose generated input still fits in
 * the output limit (the generator's message gives the same range from the other end). */
static void too_small_hint(const struct pair *cv, const char *input, const struct perf_outcome *out,
			   struct result_check *speed)
{
	struct stat st;
	char t[48], lim[32];
	long long want = 0, max = 0;

	num_format_time(cv->ex->perf.min_python_cpu, t, sizeof(t));
	if (cv->m->bench_file || cv->m->bench_size <= 0) {
		result_check_hint(speed,
				  "make the benchmark input in %s larger, about %.3gx (Python needs at least %s "
				  "of CPU time on it; the limits are in docs/submission.md, \"Limits\")",
				  cv->ex->manifest, out->input_scale > 0 ? out->input_scale : 10.0, t);
		return;
	}
	want = (long long)((double)cv->m->bench_size * (out->input_scale > 0 ? out->input_scale : 10.0));
	if (cv->ex->limits.output && stat(input, &st) == 0 && st.st_size > 0)
		max = (long long)((double)cv->m->bench_size * (double)cv->ex->limits.output /
				  (double)st.st_size * 0.9);
	pair_limit_size(cv->ex->limits.output, lim, sizeof(lim));
	if (!max)
		result_check_hint(speed,
				  "make benchmark.generate.size in %s larger: about %lld (Python needs at least %s "
				  "of CPU time on the benchmark input)",
				  cv->ex->manifest, want, t);
	else if (want <= max)
		result_check_hint(speed,
				  "make benchmark.generate.size in %s larger: about %lld, and at most about %lld "
				  "(Python needs at least %s of CPU time on the benchmark input, and a generated input "
				  "may hold at most %s: docs/submission.md, \"Limits\")",
				  cv->ex->manifest, want, max, t, lim);
	else
		result_check_hint(speed,
				  "no generated size works: Python would need about %lld to run %s of CPU time, "
				  "but a generated input may hold at most %s (about %lld); make Python do more work "
				  "per input byte, or give a benchmark file (benchmark.file) in %s (docs/submission.md, "
				  "\"Limits\")",
				  want, t, lim, max, cv->ex->manifest);
}

/* Whether the speed and memory checks are not measured, or cannot be: then marks them (either may
 * be NULL) and returns true. */
static bool speed_skipped(struct pair *cv, const char *input, const char *no_input, bool correct,
			  struct result_check *speed, struct result_check *mem)
{
	const char *skip = NULL;
	struct buf budget = BUF_INIT;

	if (!cv->pair.rust_binary || !correct) {
		pair_unproven_cause(cv, "not measured: ", &budget);
		skip = budget.data;
	} else if (cv->g->no_perf)
		skip = "not measured (--no-perf)";
	else if (grade_seconds_left(cv->g) < 1) {
		buf_printf(&budget, "not measured: %s is used up",
			   cv->g->deadline_what ? cv->g->deadline_what : "the time budget");
		skip = budget.data;
	}
	if (skip) {
		if (speed)
			result_check_set(speed, RESULT_SKIPPED, 0, "%s", skip);
		if (mem)
			result_check_set(mem, RESULT_SKIPPED, 0, "%s", skip);
		buf_free(&budget);
		return true;
	}
	if (!input) {
		if (speed)
			result_check_set(speed, RESULT_FAIL, 0, "cannot make the benchmark input: %s", no_input);
		if (mem) {
			/* The speed check carries the learner's fault; memory simply could not be measured. */
			result_check_set(mem, RESULT_SKIPPED, 0,
					 "not measured: the benchmark input could not be made (see check performance)");
			result_ev_str(result_check_ev(mem), "reason", "no_benchmark_input");
		}
		return true;
	}
	return false;
}

/* The protocol's configuration from the exercise's spec and what is left of its time budget. */
static void speed_config(const struct pair *cv, struct perf_config *cfg)
{
	const struct spec_perf *sp = &cv->ex->perf;

	perf_config_init(cfg);
	cfg->metric = sp->wall ? PERF_METRIC_WALL : PERF_METRIC_CPU;
	cfg->required_speedup = sp->enabled ? sp->require_speedup : 1.0;
	cfg->confidence = sp->enabled ? sp->confidence : 0.95;
	if (sp->enabled) {
		cfg->min_runs = sp->min_runs;
		cfg->max_runs = sp->max_runs;
		cfg->warmup_runs = sp->warmup;
		cfg->time_budget = sp->budget;
		if (grade_seconds_left(cv->g) < cfg->time_budget)
			cfg->time_budget = grade_seconds_left(cv->g);
		cfg->min_baseline_cpu = sp->min_python_cpu;
		cfg->pin_cpu = sp->pin_cpu;
		cfg->precision = sp->precision;
	}
	cfg->max_memory_ratio = cv->ex->memory.enabled ? cv->ex->memory.require_ratio : 0;
	cfg->progress = cv->g->progress;
}

/* Pins both programs on the same CPU, the highest one this grader may use. Returns it, or -1. */
static int pin_cpu(struct pair *cv)
{
	cpu_set_t mine;

	if (sched_getaffinity(0, sizeof(mine), &mine) == 0) {
		for (int c = CPU_SETSIZE - 1; c >= 0; c--) {
			if (CPU_ISSET(c, &mine)) {
				cv->pair.pin_cpu = true;
				cv->pair.cpu = c;
				return c;
			}
		}
	}
	return -1;
}

/* A baseline that mostly waits (sleeps, blocks) inflates a wall-time speedup; a learner who chose
 * their own original could slow it down on purpose. Says so in the outcome's message and in `ev`.
 * The margin, and the load average over the CPUs, keep a busy machine, where every wall time
 * stretches, from being taken for waiting. */
static void note_waiting(const struct perf_config *cfg, struct perf_outcome *out, struct result_ev *ev)
{
	double pw = out->median_wall[PROGRAM_PYTHON], pcpu = out->median_cpu[PROGRAM_PYTHON];
	char wbuf[48], cbuf[48];
	double load = out->load_start > out->load_end ? out->load_start : out->load_end;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double stretch = ncpu > 0 && load / (double)ncpu > 1 ? load / (double)ncpu : 1;

	if (out->pairs > 0 && pw > 2 * pcpu * stretch + 0.2) {
		result_ev_bool(ev, "python_waits", true);
		buf_printf(&out->message,
			   "; note: the Python original's wall time (%s) is far above its CPU time "
			   "(%s): it waits (sleeps or blocks) more than it computes%s",
			   num_format_time(pw, wbuf, sizeof(wbuf)), num_format_time(pcpu, cbuf, sizeof(cbuf)),
			   cfg->metric == PERF_METRIC_WALL
				   ? ", so a wall-time speedup overstates the port"
				   : "; the speedup is judged on CPU time, which waiting does not inflate");
	}
}

/* The speed check from the protocol's outcome (`pc` holds a failed run's reason). */
static void judge_speed(struct pair *cv, const struct perf_config *cfg, const struct perf_ctx *pc,
			const char *input, const char *bench_name, int pinned, struct perf_outcome *out,
			struct result_check *speed)
{
	const struct spec_perf *sp = &cv->ex->perf;
	struct result_ev *ev = result_check_ev(speed);

	result_ev_attach(ev, "measurement", perf_outcome_json(out));
	note_waiting(cfg, out, ev);
	if (pinned >= 0)
		result_ev_int(ev, "pinned_cpu", pinned);
	result_ev_str(ev, "benchmark_input", bench_name);
	switch (out->verdict) {
	case PERF_PASS:
		result_check_set(speed, RESULT_PASS, speed->max_points, "%s", buf_str(&out->message));
		break;
	case PERF_FAIL:
		result_check_set(speed, RESULT_FAIL, 0, "%s", buf_str(&out->message));
		result_check_hint(speed,
				  "profile the port (cargo build --release; avoid needless clones, "
				  "allocations and formatting in loops; buffer I/O with BufReader/BufWriter)");
		break;
	case PERF_INCONCLUSIVE:
		result_check_set(speed, RESULT_INCONCLUSIVE, speed->max_points * sp->inconclusive_credit,
				 "%s", buf_str(&out->message));
		break;
	case PERF_INVALID_INPUT:
		/* Not a fail: no verdict could be made. The spec says what that earns. */
		result_check_set(speed, RESULT_INCONCLUSIVE, speed->max_points * sp->too_small_credit,
				 "%s", buf_str(&out->message));
		result_ev_str(ev, "reason", "input_too_small");
		result_ev_num(ev, "input_scale", out->input_scale);
		too_small_hint(cv, input, out, speed);
		break;
	case PERF_ERROR:
		if (pc->failure.len && out->stop == PERF_STOP_RUN_FAILED)
			result_check_set(speed, RESULT_FAIL, 0, "%s", pc->failure.data);
		else {
			result_check_set(speed, RESULT_ERROR, 0, "%s",
					 pc->failure.len ? pc->failure.data : buf_str(&out->message));
			result_error(cv->r, "%s: performance measurement: %s", cv->ex->id,
				     pc->failure.len ? pc->failure.data : buf_str(&out->message));
		}
		break;
	}
}

/* The memory check from the protocol's outcome (`speed`, which may be NULL, carries a failed run). */
static void judge_memory(struct pair *cv, const struct perf_ctx *pc, const struct perf_outcome *out,
			 const struct result_check *speed, struct result_check *mem)
{
	struct result_ev *ev = result_check_ev(mem);
	char a[32], b[32], r[48], l[48];

	result_ev_int(ev, "python_peak_bytes", (long long)out->memory.max_peak[PROGRAM_PYTHON]);
	result_ev_int(ev, "rust_peak_bytes", (long long)out->memory.max_peak[PROGRAM_RUST]);
	result_ev_num(ev, "ratio", out->memory.ratio);
	result_ev_num(ev, "required_ratio", out->memory.limit);
	result_ev_bool(ev, "python_baseline_is_interpreter", out->memory.baseline_is_interpreter);
	num_format_size(out->memory.max_peak[PROGRAM_PYTHON], a, sizeof(a));
	num_format_size(out->memory.max_peak[PROGRAM_RUST], b, sizeof(b));
	num_format_sig(out->memory.ratio, 2, r, sizeof(r));
	num_format_sig(out->memory.limit, 3, l, sizeof(l));
	if (out->verdict == PERF_ERROR && out->stop != PERF_STOP_INPUT_TOO_SMALL &&
	    !out->memory.max_peak[PROGRAM_PYTHON]) {
		/* A failed run is the speed check's to judge; the grader's own breakage stays an error. */
		bool infra = out->stop == PERF_STOP_RUNNER_ERROR || (speed && speed->status == RESULT_ERROR);
		if (infra && !speed) {
			/* No speed check to carry the grader's own failure: this one does. */
			result_check_set(mem, RESULT_ERROR, 0, "not measured: %s",
					 pc->failure.len ? pc->failure.data : buf_str(&out->message));
			result_error(cv->r, "%s: memory measurement: %s", cv->ex->id, mem->message);
		} else if (infra)
			result_check_set(mem, RESULT_SKIPPED, 0,
					 "not measured: a sandbox error (see check performance)");
		else
			result_check_set(mem, RESULT_SKIPPED, 0, "not measured: %s (see check performance)",
					 pc->failure.len ? "a run on the benchmark input failed"
							 : "the measurement stopped");
		result_ev_str(ev, "reason", infra ? "measurement_error" : "run_failed");
	} else if (out->memory.verdict == PERF_MEMORY_PASS) {
		result_check_set(mem, RESULT_PASS, mem->max_points,
				 "peak memory: Rust %s, Python %s (ratio %s, at most %s allowed)%s", b,
				 a, r, l,
				 out->memory.baseline_is_interpreter ? "; the Python figure is mostly the interpreter itself"
								     : "");
	} else if (out->memory.verdict == PERF_MEMORY_FAIL) {
		result_check_set(mem, RESULT_FAIL, 0,
				 "peak memory: Rust %s, Python %s (ratio %s, at most %s allowed)", b, a, r, l);
		result_check_hint(mem, "stream the input instead of reading it all, and avoid keeping copies of the data");
	} else if (out->memory.max_peak[PROGRAM_PYTHON] && out->memory.max_peak[PROGRAM_RUST]) {
		result_check_set(mem, RESULT_SKIPPED, 0,
				 "not judged: the spec sets no memory requirement "
				 "(memory.require_ratio); peak memory: Rust %s, Python %s",
				 b, a);
	} else {
		result_check_set(
			mem, RESULT_SKIPPED, 0, "not measured: the sandbox reported no peak memory for %s",
			out->memory.max_peak[PROGRAM_PYTHON] ? "the Rust port" : "the Python original");
		result_ev_str(ev, "reason", "no_peak_measured");
	}
}

/* Measures speed and memory on the benchmark input `input` (NULL when it could not be made, with
 * the reason in `no_input`) and judges both checks (either may be NULL). The outcome stays in
 * `out` for the caller (exercise 2 checks its claims against it); the caller frees it. */
void pair_check_speed(struct pair *cv, const char *input, const char *bench_name, const char *no_input,
		      bool correct, struct result_check *speed, struct result_check *mem,
		      struct perf_outcome *out)
{
	struct perf_config cfg;
	struct perf_ctx pc = {.cv = cv, .input = input};
	struct timing_lock tl;
	struct startup_result su;
	int pinned = -1;

	memset(out, 0, sizeof(*out));
	out->verdict = PERF_ERROR;
	if (speed_skipped(cv, input, no_input, correct, speed, mem))
		return;
	speed_config(cv, &cfg);
	if (cfg.pin_cpu)
		pinned = pin_cpu(cv);
	/* Timed runs take turns across the machine (timing_lock.h); the start-up of trivial
	 * programs is measured under the same lock and limits (startup.h). */
	progress_stage(cv->g->progress, "measuring speed: taking the timing lock, timing start-up");
	timing_lock_begin(&tl, cv->g->timing_lock, cfg.time_budget > 0 ? cfg.time_budget : 600);
	startup_measure(cv->g->sb, &cv->pair, cv->g->cache_dir, &cv->ex->build_limits, 5, &su);
	cfg.interpreter_peak = su.python.ok ? su.python.peak_memory : 0;
	if (cfg.time_budget > grade_seconds_left(cv->g)) /* the wait and the start-up took some */
		cfg.time_budget = grade_seconds_left(cv->g) > 1 ? grade_seconds_left(cv->g) : 1;
	perf_measure(&cfg, perf_runner, &pc, out);
	timing_lock_end(&tl);
	cv->pair.pin_cpu = false;
	after_timing(cv, &cfg, &su, &tl, out, speed);
	if (speed)
		judge_speed(cv, &cfg, &pc, input, bench_name, pinned, out, speed);
	if (mem)
		judge_memory(cv, &pc, out, speed, mem);
	buf_free(&pc.failure);
	startup_result_free(&su);
	timing_lock_free(&tl);
}

enum { SCALE_NS = 5 }; /* the scaling check's inputs: the size-1 input, then the four sizes */

/* Whether the scaling check is not measured: then marks `c` skipped and returns true. */
static bool scaling_skipped(struct pair *cv, bool correct, struct result_check *c)
{
	struct buf why = BUF_INIT;
	const char *skip = NULL;

	if (!cv->pair.rust_binary || !correct) {
		pair_unproven_cause(cv, "not measured: ", &why);
		skip = why.data;
	} else if (cv->g->no_perf)
		skip = "not measured (--no-perf)";
	else if (!cv->m->generator || cv->m->bench_size <= 0)
		skip = "not measured: the manifest has no generator and generated benchmark (generator.script and "
		       "benchmark.generate), which make inputs of chosen sizes";
	else if (grade_seconds_left(cv->g) < 1) {
		buf_printf(&why, "not measured: %s is used up",
			   cv->g->deadline_what ? cv->g->deadline_what : "the time budget");
		skip = why.data;
	}
	if (skip) {
		result_check_set(c, RESULT_SKIPPED, 0, "%s", skip);
		buf_free(&why);
		return true;
	}
	return false;
}

/* One round of runs: each program (PROGRAM_PYTHON, then PROGRAM_RUST) once on each input, their
 * CPU times into t[p][i * stride + round]. Returns 0, or -1 with `c` set: a sandbox error, or a
 * run that failed (its description in `why`). */
static int scaling_round(struct pair *cv, struct result_check *c, const struct buf *path,
			 const int *size, double *const *t, size_t stride, int round, struct buf *why)
{
	static const enum program_which prog[2] = {PROGRAM_PYTHON, PROGRAM_RUST};

	for (int i = 0; i < SCALE_NS; i++) {
		for (int p = 0; p < 2; p++) {
			struct sandbox_result res = SANDBOX_RESULT_INIT;
			int rc = program_run(cv->g->sb, &cv->pair, prog[p], path[i].data, &res);
			if (rc < 0 || res.verdict == SANDBOX_ERROR) {
				result_check_set(c, RESULT_ERROR, 0, "the sandbox failed: %s",
						 res.message.data);
				result_error(cv->r, "%s: scaling measurement: the sandbox failed: %s",
					     cv->ex->id, res.message.data);
				sandbox_result_free(&res);
				return -1;
			}
			pair_account(cv, res.wall);
			if (res.verdict != SANDBOX_OK) {
				buf_reset(why);
				pair_describe_run(&res, why);
				buf_printf(why, " on the generated input of size %d", size[i]);
				pair_limit_fix(&res, why);
				result_check_set(c, RESULT_FAIL, 0, "the %s program %s",
						 program_name(prog[p]), why->data);
				sandbox_result_free(&res);
				return -1;
			}
			t[p][(size_t)i * stride + (size_t)round] = res.cpu;
			sandbox_result_free(&res);
		}
	}
	return 0;
}

/* The scaling measurement's evidence: the fit of each program, and the CPU times at each size. */
static void scaling_evidence(struct result_ev *ev, const struct scaling_outcome *o, const int *size,
			     double *const *t, size_t stride, int runs, int looks, double elapsed)
{
	result_ev_str(ev, "metric", "cpu");
	result_ev_str(ev, "method",
		      "fastest CPU time at each size less that on a size-1 input; least-squares "
		      "slope of log(time) on log(size); percentile bootstrap intervals");
	result_ev_str(ev, "verdict", scaling_verdict_name(o->verdict));
	result_ev_num(ev, "tolerance", o->tolerance);
	result_ev_num(ev, "confidence", o->confidence);
	result_ev_int(ev, "runs", runs);
	result_ev_int(ev, "looks", looks);
	result_ev_num(ev, "elapsed", elapsed);
	{
		double sz[SCALE_NS];
		char seed[24];
		for (int i = 0; i < SCALE_NS; i++)
			sz[i] = size[i];
		result_ev_nums(ev, "sizes", sz, SCALE_NS);
		snprintf(seed, sizeof(seed), "%llu", (unsigned long long)o->seed);
		result_ev_str(ev, "seed", seed);
	}
	if (o->verdict != SCALING_UNMEASURABLE) {
		result_ev_num(ev, "difference", o->diff);
		result_ev_num(ev, "difference_low", o->diff_low);
		result_ev_num(ev, "difference_high", o->diff_high);
	}
	for (int p = 0; p < 2; p++) {
		const struct scaling_fit *f = p == 0 ? &o->base : &o->cand;
		struct result_ev *pe = result_ev_obj(ev, p == 0 ? "python" : "rust");
		if (f->measurable) {
			result_ev_num(pe, "exponent", f->exponent);
			result_ev_num(pe, "low", f->low);
			result_ev_num(pe, "high", f->high);
		}
		result_ev_bool(pe, "measurable", f->measurable);
		result_ev_num(pe, "fixed_cost", f->fixed);
		result_ev_num(pe, "smallest_signal", f->signal);
		result_ev_num(pe, "noise", f->noise);
		result_ev_nums(pe, "min_cpu", f->level, SCALE_NS - 1);
		result_ev_nums(pe, "fixed_cpu", t[p], (size_t)runs);
		for (int i = 1; i < SCALE_NS; i++) {
			struct result_ev *se = result_ev_list_add(pe, "by_size");
			result_ev_int(se, "size", size[i]);
			result_ev_nums(se, "cpu", t[p] + (size_t)i * stride, (size_t)runs);
		}
	}
}

/* The scaling check's inputs: a size-1 input, then 1/8, 1/4, 1/2 and all of the benchmark size,
 * generated into `path`. Returns 0, or -1 with `c` set. */
static int scaling_inputs(struct pair *cv, struct result_check *c, int *size, struct buf *path)
{
	struct buf why = BUF_INIT;
	int rc = 0;

	size[0] = 1;
	for (int i = 1; i < SCALE_NS; i++)
		size[i] = cv->m->bench_size >> (SCALE_NS - 1 - i);
	if (size[1] < 2) {
		result_check_set(c, RESULT_INCONCLUSIVE, c->max_points * cv->ex->scaling.inconclusive_credit,
				 "the benchmark size %d is too small to take an eighth of it",
				 cv->m->bench_size);
		result_check_hint(c, "make benchmark.generate.size in %s larger", cv->ex->manifest);
		return -1;
	}
	progress_stage(cv->g->progress, "measuring scaling: generating inputs of 5 sizes");
	for (int i = 0; i < SCALE_NS && !rc; i++) {
		if (pair_generate(cv, cv->m->bench_seed, size[i], "benchmark.generate.size", &path[i], &why) < 0) {
			result_check_set(c, RESULT_SKIPPED, 0, "not measured: the generator failed at size %d: %s",
					 size[i], why.data);
			rc = -1;
		}
	}
	buf_free(&why);
	return rc;
}

/* The scaling check's verdict from the outcome; `why` holds its message. */
static void scaling_verdict(const struct spec_scaling *sp, const struct scaling_outcome *o,
			    const struct buf *why, struct result_check *c)
{
	switch (o->verdict) {
	case SCALING_PASS:
		result_check_set(c, RESULT_PASS, c->max_points, "%s", why->data);
		break;
	case SCALING_FAIL:
		result_check_set(c, RESULT_FAIL, 0, "%s", why->data);
		break;
	default:
		result_check_set(c, RESULT_INCONCLUSIVE, c->max_points * sp->inconclusive_credit, "%s",
				 why->data);
		break;
	}
	if (scaling_hint(o))
		result_check_hint(c, "%s", scaling_hint(o));
}

/* The CPU times of `runs` rounds at each size, for each program (t[p][i * runs + round], which
 * the caller frees), and the samples of scaling.h that read them. */
static void scaling_samples(const int *size, int runs, double **t, struct scaling_samples *s)
{
	t[0] = xcalloc((size_t)SCALE_NS * (size_t)runs, sizeof(double));
	t[1] = xcalloc((size_t)SCALE_NS * (size_t)runs, sizeof(double));
	for (int p = 0; p < 2; p++) {
		s[p].nsizes = SCALE_NS - 1;
		for (int i = 1; i < SCALE_NS; i++)
			s[p].size[i - 1] = size[i];
		s[p].stride = (size_t)runs;
		s[p].fixed = t[p];
		s[p].time = t[p] + runs;
	}
}

/* The scaling check: both programs' CPU time at 1/8, 1/4, 1/2 and all of the generated benchmark
 * size, less their fixed cost (measured on a size-1 input), fitted as n^k; the port's exponent
 * must not exceed the original's by more than the spec's tolerance (scaling.h judges). Rounds of
 * runs go through every size in turn, so that a drift of the machine's load spreads over all of
 * them. */
void pair_check_scaling(struct pair *cv, bool correct, struct result_check *c)
{
	const struct spec_scaling *sp = &cv->ex->scaling;
	struct result_ev *ev;
	struct buf why = BUF_INIT, path[SCALE_NS] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	double *t[2] = {NULL, NULL}, budget, start, round_time = 0, conf;
	int size[SCALE_NS], runs = sp->runs, done = 0, look1, looks = 0;
	struct timing_lock tl = {.fd = -1, .seq_fd = -1};
	bool timed = false;
	struct scaling_samples s[2] = {{0}, {0}};
	struct scaling_outcome o = {0};

	if (scaling_skipped(cv, correct, c))
		return;
	ev = result_check_ev(c);
	if (scaling_inputs(cv, c, size, path) < 0)
		goto out;
	scaling_samples(size, runs, t, s);
	budget = grade_seconds_left(cv->g) < sp->budget ? grade_seconds_left(cv->g) : sp->budget;
	/* Two looks, each at a Bonferroni-corrected confidence: after half the rounds (stopping when
	 * the verdict is clear) and after all of them. */
	look1 = (runs + 1) / 2 < 3 ? runs : (runs + 1) / 2;
	conf = look1 < runs ? 1 - (1 - sp->confidence) / 2 : sp->confidence;
	/* Timed runs take turns across the machine, as in pair_check_speed (timing_lock.h). */
	timing_lock_begin(&tl, cv->g->timing_lock, budget > 0 ? budget : 600);
	timed = true;
	start = grade_now();
	while (done < runs) {
		double round_start = grade_now();
		progress_count(cv->g->progress, "measuring scaling: round", done + 1, runs);
		/* After the first round, as many rounds as the budget holds (at least 3). */
		if (done == 1 && runs * round_time > budget) {
			runs = (int)(budget / round_time);
			if (runs < 3) {
				result_check_set(c, RESULT_SKIPPED, 0,
						 "not measured: one round of runs at the five sizes "
						 "took %.1f s; 3 rounds do not fit in the %.0f s this check may take",
						 round_time, budget);
				goto out;
			}
			look1 = runs;
			conf = sp->confidence;
		}
		if (done > 0 && !grade_time_left(cv->g, &why)) {
			result_check_set(c, RESULT_SKIPPED, 0, "not measured: %s", why.data);
			goto out;
		}
		if (scaling_round(cv, c, path, size, t, (size_t)sp->runs, done, &why) < 0)
			goto out;
		round_time = grade_now() - round_start;
		done++;
		if (done != look1 && done != runs)
			continue;
		looks++;
		s[0].runs = s[1].runs = (size_t)done;
		if (scaling_compare(&s[0], &s[1], sp->tolerance, conf, SCALING_DEFAULT_RESAMPLES,
				    0x6772616465722d73ULL /* "grader-s" */, &o) < 0) {
			result_check_set(c, RESULT_ERROR, 0, "cannot fit the exponents: %s", strerror(errno));
			result_error(cv->r, "%s: scaling: cannot fit the exponents: %s", cv->ex->id,
				     strerror(errno));
			goto out;
		}
		if (o.verdict == SCALING_PASS || o.verdict == SCALING_FAIL)
			break;
	}
	timing_lock_end(&tl);
	timed = false;
	result_ev_attach(ev, "timing_lock", timing_lock_json(&tl));
	warn_timing(cv, "scaling measurement", &tl);
	runs = done;
	scaling_evidence(ev, &o, size, t, (size_t)sp->runs, runs, looks, grade_now() - start);
	buf_reset(&why);
	scaling_message(&o, "Python", "your port", &why);
	buf_printf(&why, " (CPU time, %d runs at each of sizes %d to %d)", runs, size[1], size[SCALE_NS - 1]);
	scaling_verdict(sp, &o, &why, c);
out:
	if (timed)
		timing_lock_end(&tl);
	timing_lock_free(&tl);
	for (int i = 0; i < SCALE_NS; i++)
		buf_free(&path[i]);
	free(t[0]);
	free(t[1]);
	buf_free(&why);
}

/* Without a manifest nothing can be graded: the first check fails with the cause, and the others
 * (n in all, NULL entries left out), which could not run, are skipped naming it. */
void pair_not_graded(struct result_check **ck, int n, const char *manifest, const char *what)
{
	bool first = true;

	for (int i = 0; i < n; i++) {
		if (!ck[i])
			continue;
		if (first)
			result_check_set(ck[i], RESULT_FAIL, 0, "not graded: %s %s", manifest, what);
		else
			result_check_set(ck[i], RESULT_SKIPPED, 0, "not run: %s %s", manifest, what);
		first = false;
	}
}

/* Loads the exercise's manifest and sets up the pair of programs. Returns 0, or -1 when the
 * manifest is missing or has errors: then the exercise's message says so, the first check in `ck`
 * fails and the others are skipped (pair_not_graded). `doc` is where its format is documented. */
int pair_open(struct pair *cv, struct result_exercise *e, struct result_check **ck, int n,
	      bool comparison, const char *doc)
{
	const struct spec_exercise *ex = cv->ex;
	struct buf err = BUF_INIT;
	char *mdir;
	int rc = -1;

	if (!fs_exists_beneath(cv->g->submission, ex->manifest)) {
		buf_printf(&err, "%s not found: it says how to build and run your programs (see %s)",
			   ex->manifest, doc);
		result_set_str(&e->message, err.data);
		pair_not_graded(ck, n, ex->manifest, "is missing");
		goto out;
	}
	cv->m = spec_load_conversion_in(cv->g->submission, ex->manifest, ex, comparison, &err);
	if (!cv->m) {
		result_set_str(&e->message, err.data);
		pair_not_graded(ck, n, ex->manifest, "has errors (see the exercise's message)");
		goto out;
	}
	mdir = xstrdup(ex->manifest);
	buf_puts(&cv->base, dirname(mdir));
	free(mdir);
	if (ex->original) {
		/* The instructor fixed the script to convert: it comes from the spec, not the learner. */
		struct buf orig = BUF_INIT;
		char *full;
		spec_resolve(ex, ex->original, &orig);
		full = xstrdup(orig.data);
		cv->python_rel = xstrdup(strrchr(orig.data, '/') + 1);
		*strrchr(full, '/') = '\0';
		cv->python_dir = full;
		buf_free(&orig);
		if (cv->m->python_script)
			result_warn(cv->r, "%s: python.script in %s is ignored: this exercise converts the instructor's %s",
				    ex->id, ex->manifest, ex->original);
	} else {
		cv->python_rel = pair_rel_to_root(cv, cv->m->python_script);
	}
	fs_join(&cv->scratch, cv->g->workdir, "runs");
	fs_mkdirs(cv->scratch.data);
	cv->pair = (struct program_pair){
		.submission = cv->g->submission,
		.python_script = cv->python_rel,
		.python_dir = cv->python_dir,
		.args = cv->m->args,
		.nargs = cv->m->nargs,
		.stdin_input = cv->m->stdin_input,
		.limits = ex->limits,
		.scratch = cv->scratch.data,
	};
	cv->cmp.mode = cv->m->mode;
	cv->cmp.abs_tol = cv->m->abs;
	cv->cmp.rel_tol = cv->m->rel;
	cv->cmp.excerpt_bytes = 400;
	rc = 0;
out:
	buf_free(&err);
	return rc;
}

void pair_close(struct pair *cv)
{
	spec_conversion_free(cv->m);
	build_result_free(&cv->build);
	free(cv->python_rel);
	free(cv->python_dir);
	buf_free(&cv->base);
	buf_free(&cv->blocked);
	buf_free(&cv->unproven);
	/* The runs' folders hold what learner programs wrote: nothing of it outlives the exercise,
	 * unless GRADER_KEEP_RUNS is set (to inspect what a program left, in tests or a debugging). */
	if (cv->scratch.len && !getenv("GRADER_KEEP_RUNS"))
		fs_rmtree(cv->scratch.data);
	buf_free(&cv->scratch);
}

/* Adds the exercise's checks in order: the first two always (they gate everything else), the
 * others when the rubric scores them. */
void pair_add_checks(const struct spec_exercise *ex, struct result_exercise *e, const char *const *order,
		     const char *const *titles, struct result_check **ck)
{
	for (int i = 0; order[i]; i++)
		if (spec_points(ex, order[i]) > 0 || i < 2)
			ck[i] = result_check_add(e, order[i], titles[i], spec_points(ex, order[i]));
}
