/* conversion.c: a pair of programs, Python and Rust. Exercise 4, the Rust port of a Python
 * script: build, differential runs on the learner's, hidden and generated cases, minimal
 * reproducers, speed and memory, notes. Exercise 2, the learner's own pair: build, one run on the
 * benchmark input, speed and memory, and the learner's claims against the grader's figures. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libgen.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "exercises/claims.h"
#include "outdiff.h"
#include "fs.h"
#include "grade.h"
#include "log.h"
#include "num.h"
#include "exercises/notes.h"
#include "measure/perf.h"
#include "program.h"
#include "measure/scaling.h"
#include "shrink.h"
#include "measure/startup.h"
#include "text.h"
#include "measure/timing_lock.h"
#include "banned.h"

#define EXCERPT 2000 /* bytes of output kept per excerpt in a report */

/* One input the two programs are run on. */
struct kase {
	char *name;    /* as shown to people: "cases/empty.csv", "generated seed 7", "hidden 3" */
	char *path;    /* host file */
	const char *origin; /* "learner", "hidden", "generated" */
	int seed;
};

struct cases {
	struct kase *v;
	size_t n;
};

static void cases_free(struct cases *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].path);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

static int cases_add(struct cases *c, const char *name, const char *path, const char *origin, int seed)
{
	struct kase *v = realloc(c->v, (c->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	c->v = v;
	v[c->n] = (struct kase){strdup(name), strdup(path), origin, seed};
	c->n++;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every regular file of the folder `rel` beneath `base` (sorted by name) as a case. Neither
 * the folder nor a case may be a symbolic link: links are counted in *links and left out. Returns
 * the count, or -1 when the folder cannot be read (errno ELOOP when it is a link). */
static int add_case_dir(struct cases *c, const char *base, const char *rel, const char *label,
			const char *origin, int *links)
{
	int fd = fs_open_beneath(base, rel, O_RDONLY | O_DIRECTORY);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	struct buf path = BUF_INIT, name = BUF_INIT, dir = BUF_INIT;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		struct stat st;
		char **nv;
		if (e->d_name[0] == '.' || fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode) && links)
			(*links)++;
		if (!S_ISREG(st.st_mode))
			continue;
		nv = realloc(names, (n + 1) * sizeof(*nv));
		if (!nv)
			break;
		names = nv;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	fs_join(&dir, base, rel);
	for (size_t i = 0; i < n; i++) {
		fs_join(&path, dir.data, names[i]);
		buf_reset(&name);
		/* A hidden case is not named by its file: the name could give it away. */
		if (!strcmp(origin, "hidden"))
			buf_printf(&name, "hidden case %zu", i + 1);
		else
			buf_printf(&name, "%s/%s", label, names[i]);
		cases_add(c, name.data, path.data, origin, 0);
		free(names[i]);
	}
	free(names);
	buf_free(&path);
	buf_free(&name);
	buf_free(&dir);
	return (int)n;
}

/* Everything one exercise-4 grading carries around. */
struct conv {
	const struct grade_ctx *g;
	const struct spec_exercise *ex;
	struct spec_conversion *m;
	struct buf base;          /* the manifest's folder, relative to the submission: "ex4" */
	struct program_pair pair;
	char *python_rel;         /* the script, relative to the submission (or to python_dir) */
	char *python_dir;         /* host folder of the instructor's original, or NULL */
	struct build_result build;
	struct outdiff_options cmp;
	struct result_report *r;
	struct buf scratch;       /* <workdir>/runs: the runs' scratch directories */
	/* One cause, one message: a check whose prerequisite failed is skipped and names that
	 * failure, phrased to follow "not run: " or "not measured: ", instead of running and failing
	 * with a second message. */
	struct buf blocked;       /* why the two programs cannot be run at all (the build, the Python
				   * original, the generator, the time budget); "" when they can */
	struct buf unproven;      /* why the programs were not shown to agree (blocked, or they
				   * disagree, or a sandbox error); "" when they agree */
};

/* Adds a cause to cv->blocked ("; " between two). */
static void block(struct conv *cv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void block(struct conv *cv, const char *fmt, ...)
{
	va_list ap;

	if (cv->blocked.len)
		buf_puts(&cv->blocked, "; ");
	va_start(ap, fmt);
	buf_vprintf(&cv->blocked, fmt, ap);
	va_end(ap);
}

/* "ex4" + "/" + rel */
static char *rel_to_root(const struct conv *cv, const char *rel)
{
	struct buf b = BUF_INIT;

	fs_join(&b, cv->base.data, rel);
	return buf_detach(&b);
}

static void host_path(const struct conv *cv, const char *rel_root, struct buf *out)
{
	fs_join(out, cv->g->submission, rel_root);
}

/* Whether `rel` beneath `dir` is a folder reached without any link. */
static bool beneath_exists_dir(const char *dir, const char *rel)
{
	int fd = fs_open_beneath(dir, rel, O_RDONLY | O_DIRECTORY);

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/* `prefix` and why the two programs were not shown to agree into `out`: the first failed
 * prerequisite, or how they disagree. */
static void unproven_cause(const struct conv *cv, const char *prefix, struct buf *out)
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
static bool out_of_time(struct conv *cv, struct result_check *c)
{
	struct buf why = BUF_INIT;

	if (grade_time_left(cv->g, &why))
		return false;
	if (c)
		result_check_set(c, RESULT_SKIPPED, 0, "not run: %s", why.data);
	if (!cv->blocked.len)
		block(cv, "%s", why.data);
	buf_free(&why);
	return true;
}

/* Counts a finished run in the grading's usage. */
static void account(const struct conv *cv, double wall)
{
	if (cv->g->usage) {
		cv->g->usage->runs++;
		cv->g->usage->run_seconds += wall;
	}
}

/* A limit in bytes as docs/submission.md writes it: "4 MiB", "1 GiB". */
static const char *limit_size(uint64_t bytes, char *out, unsigned size)
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
static void describe_run(const struct sandbox_result *res, struct buf *out)
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
		buf_printf(out, "exceeded the memory limit of %s", limit_size((uint64_t)res->limit_value, v, sizeof(v)));
		break;
	case SANDBOX_OUTPUT_LIMIT:
		if (!strcmp(lim, "file"))
			buf_printf(out, "wrote a file larger than the file size limit of %s",
				   limit_size((uint64_t)res->limit_value, v, sizeof(v)));
		else
			buf_printf(out, "wrote more than the output limit of %s (stdout and stderr together)",
				   limit_size((uint64_t)res->limit_value, v, sizeof(v)));
		break;
	case SANDBOX_ERROR:
		buf_printf(out, "could not be run by the sandbox (%s)", buf_str(&res->message));
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
static void limit_fix(const struct sandbox_result *res, struct buf *why)
{
	const char *lim = res->limit ? res->limit : "";
	const char *fix = res->verdict == SANDBOX_TIME_LIMIT ? "make the program faster or the input smaller"
			  : res->verdict == SANDBOX_MEMORY_LIMIT ? "keep less in memory (stream the input) or use a smaller input"
			  : !strcmp(lim, "file") ? "write smaller files, or use a smaller input"
			  : !strcmp(lim, "output") ? "print less (or use a smaller input)"
			  : "start fewer processes and threads";

	if (hit_limit(res))
		buf_printf(why, "; %s (every limit is in docs/submission.md, \"Limits\")", fix);
}

/* The last lines of stderr: a Python traceback or a Rust panic. */
static void stderr_tail(const struct sandbox_result *res, struct buf *out)
{
	struct text_safe t = {0};

	if (text_safe_tail_lines(buf_str(&res->err), res->err.len, 8, 1200, &t) == 0 && t.data)
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
	buf_puts(out, errno == ELOOP ? "a symbolic link" : errno == EXDEV ? "a path outside its folder"
		      : errno == EISDIR ? "a folder" : errno == EFBIG ? "a file over 64 MiB" : "something else than a regular file");
	return -1;
}
/* Compares the two runs of one case. Returns 1 when they agree, 0 when not (with a message for
 * the learner in `why` and details in `ev`, which may be NULL). */
static int judge_case(const struct conv *cv, const struct sandbox_result *py,
		      const struct sandbox_result *rs, struct buf *why, struct result_ev *ev)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int same = 0;

	if (py->verdict != SANDBOX_OK && py->verdict != SANDBOX_RUNTIME_ERROR) {
		describe_run(py, &a);
		buf_printf(why, "the Python original %s on this case, so there is nothing to compare with", a.data);
		limit_fix(py, why);
		goto out;
	}
	if (rs->verdict == SANDBOX_ERROR) {
		buf_printf(why, "the Rust port could not be run: %s", buf_str(&rs->message));
		goto out;
	}
	if (rs->verdict != py->verdict || rs->exit_code != py->exit_code || rs->signal != py->signal) {
		describe_run(py, &a);
		describe_run(rs, &b);
		buf_printf(why, "the Python original %s but the Rust port %s", a.data, b.data);
		limit_fix(rs, why);
		buf_reset(&b);
		stderr_tail(rs, &b);
		if (b.len) {
			buf_printf(why, "; the Rust port's last error output:\n%s", b.data);
			if (strstr(b.data, "python") && (strstr(b.data, "No such file") || strstr(b.data, "NotFound")))
				buf_puts(why, "\n(the port tries to run Python: a port must do the work in Rust, and the Rust sandbox has no Python)");
		}
		if (py->verdict != SANDBOX_OK) {
			buf_reset(&a);
			stderr_tail(py, &a);
			if (a.len)
				buf_printf(why, "\nthe Python original's last error output:\n%s", a.data);
		}
		if (ev) {
			result_ev_text(ev, "python_stderr_tail", buf_str(&py->err), py->err.len, EXCERPT, true);
			result_ev_text(ev, "rust_stderr_tail", buf_str(&rs->err), rs->err.len, EXCERPT, true);
		}
		goto out;
	}
	{
		struct outdiff_result c = {0};
		if (outdiff_outputs(&cv->cmp, buf_str(&py->out), py->out.len, buf_str(&rs->out), rs->out.len, &c) < 0) {
			buf_puts(why, "the outputs could not be compared (out of memory)");
			goto out;
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
			outdiff_result_free(&c);
			goto out;
		}
		outdiff_result_free(&c);
	}
	/* Output files both programs were asked to write. Both programs control their run folders:
	 * a file is read only when it is a regular file reached without any symbolic link. */
	for (size_t i = 0; i < cv->m->noutputs; i++) {
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
			buf_printf(why, "the %s wrote %s as %s: output files must be regular files in the "
				   "program's folder", have_r < 0 ? "Rust port" : "Python original", name,
				   buf_str(have_r < 0 ? &b : &a));
		else if (have_p && !have_r)
			buf_printf(why, "the Rust port did not write the output file %s", name);
		else if (!have_p && have_r)
			buf_printf(why, "the Rust port wrote %s but the Python original did not", name);
		else if (have_p && outdiff_outputs(&cv->cmp, buf_str(&a), a.len, buf_str(&b), b.len, &c) == 0 && !c.equal)
			buf_printf(why, "output file %s differs: %s", name, c.message ? c.message : "");
		outdiff_result_free(&c);
		buf_free(&pd);
		buf_free(&rd);
		if (why->len)
			goto out;
	}
	same = 1;
out:
	buf_free(&a);
	buf_free(&b);
	return same;
}

/* Runs both programs on one input file and judges. Returns 1 same, 0 different, -1 infra. */
static int run_pair(struct conv *cv, const char *input, struct buf *why, struct result_ev *ev,
		    struct sandbox_result *py, struct sandbox_result *rs)
{
	if (program_run(cv->g->sb, &cv->pair, PROGRAM_PYTHON, input, py) < 0 || py->verdict == SANDBOX_ERROR) {
		buf_printf(why, "the sandbox could not run the Python original: %s", buf_str(&py->message));
		return -1;
	}
	account(cv, py->wall);
	if (program_run(cv->g->sb, &cv->pair, PROGRAM_RUST, input, rs) < 0) {
		buf_printf(why, "the sandbox could not run the Rust port: %s", buf_str(&rs->message));
		return -1;
	}
	account(cv, rs->wall);
	return judge_case(cv, py, rs, why, ev);
}

/* ---- shrinking a failing generated case ---- */

struct shrink_ctx {
	struct conv *cv;
	struct buf file;
	int runs;
};

static int still_fails(void *p, const char *input, size_t len)
{
	struct shrink_ctx *s = p;
	struct sandbox_result py = {0}, rs = {0};
	struct buf why = BUF_INIT;
	int rc;

	if (fs_write_atomic(s->file.data, input, len) < 0)
		return -1;
	s->runs++;
	rc = run_pair(s->cv, s->file.data, &why, NULL, &py, &rs);
	/* A candidate on which the Python original itself fails is not a valid input. */
	if (rc == 0 && py.verdict != SANDBOX_OK && py.verdict != SANDBOX_RUNTIME_ERROR)
		rc = 1;
	sandbox_result_free(&py);
	sandbox_result_free(&rs);
	buf_free(&why);
	return rc < 0 ? -1 : rc == 0 ? 1 : 0;
}

static long long count_lines(const char *s, size_t len)
{
	long long n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n + (len && s[len - 1] != '\n');
}

/* Shrinks the input of a failing case, writes it beside the report, and records it. */
static void shrink_case(struct conv *cv, const struct kase *k, struct result_ev *ev, struct buf *file)
{
	struct buf input = BUF_INIT, dir = BUF_INIT, out = BUF_INIT, name = BUF_INIT;
	struct shrink_ctx s = {.cv = cv};
	struct shrink_options opt = {0};
	struct shrink_result res = {0};
	const char *base = strrchr(k->path, '/');

	if (fs_read_file(k->path, 16u << 20, &input) < 0)
		goto out;
	fs_join(&dir, cv->g->workdir, "shrink");
	fs_mkdirs(dir.data);
	fs_join(&s.file, dir.data, base ? base + 1 : k->path);
	opt.max_calls = (size_t)cv->ex->shrink_max_runs;
	opt.max_seconds = cv->ex->shrink_budget;
	if (grade_seconds_left(cv->g) < opt.max_seconds)
		opt.max_seconds = grade_seconds_left(cv->g) > 0 ? grade_seconds_left(cv->g) : 0;
	shrink_lines(buf_str(&input), input.len, still_fails, &s, &opt, &res);
	if (!res.input)
		goto out;
	result_ev_int(ev, "shrink_runs", (long long)res.calls);
	result_ev_str(ev, "shrink_status", shrink_status_name(res.status));
	result_ev_int(ev, "original_lines", count_lines(buf_str(&input), input.len));
	result_ev_int(ev, "minimal_lines", (long long)res.lines);
	result_ev_text(ev, "minimal_input", res.input, res.len, 8192, false);
	{
		/* What the two programs do on the minimal input: the learner's starting point. */
		struct sandbox_result py = {0}, rs = {0};
		struct buf why = BUF_INIT;
		if (fs_write_atomic(s.file.data, res.input, res.len) == 0 &&
		    run_pair(cv, s.file.data, &why, NULL, &py, &rs) == 0)
			result_ev_text(ev, "minimal_message", why.data, why.len, 4000, false);
		sandbox_result_free(&py);
		sandbox_result_free(&rs);
		buf_free(&why);
	}
	if (cv->g->report_dir) {
		buf_printf(&name, "%s-repro-seed-%d.txt", cv->ex->id, k->seed);
		fs_join(&out, cv->g->report_dir, name.data);
		if (fs_mkdirs(cv->g->report_dir) == 0 && fs_write_atomic(out.data, res.input, res.len) == 0) {
			result_ev_str(ev, "minimal_input_file", name.data);
			buf_printf(file, "%s (%zu line%s)", name.data, res.lines, res.lines == 1 ? "" : "s");
		}
	}
out:
	shrink_result_free(&res);
	buf_free(&input);
	buf_free(&dir);
	buf_free(&out);
	buf_free(&name);
	buf_free(&s.file);
}

/* ---- the checks ---- */

static void check_python(struct conv *cv, struct result_check *c)
{
	static const char code[] = "import sys\n"
				   "p = sys.argv[1]\n"
				   "compile(open(p, 'rb').read(), p, 'exec')\n";
	struct buf script = BUF_INIT, inside = BUF_INIT, scratch = BUF_INIT, tail = BUF_INIT;
	struct sandbox_result res = {0};
	struct sandbox_bind binds[2] = {{.host = cv->g->submission, .inside = "/submission"},
					{.host = cv->pair.python_dir, .inside = "/original"}};
	const char *argv[] = {"python3", "-c", code, NULL, NULL};
	struct sandbox_request req = {0};

	program_python_paths(&cv->pair, &inside, &script);
	if (!fs_is_file(script.data)) {
		if (cv->python_dir) {
			/* The spec's `original:`, the instructor's script: not the learner's fault. */
			result_check_set(c, RESULT_ERROR, 0, "the instructor's original %s is missing from the spec's "
					 "folder", cv->ex->original);
			result_error(cv->r, "%s: the spec's original %s does not exist", cv->ex->id, cv->ex->original);
			block(cv, "the instructor's original %s is missing (see check python)", cv->ex->original);
		} else {
			result_check_set(c, RESULT_FAIL, 0, "the Python script %s does not exist", cv->python_rel);
			result_check_hint(c, "set python.script in %s to your original script's path", cv->ex->manifest);
			block(cv, "the Python script %s does not exist (see check python)", cv->python_rel);
		}
		goto out;
	}
	argv[3] = inside.data;
	fs_join(&scratch, cv->pair.scratch, "pycheck");
	fs_rmtree(scratch.data);
	fs_mkdirs(scratch.data);
	req.profile = "python-run";
	req.argv = argv;
	req.workdir = scratch.data;
	req.binds = binds;
	req.nbinds = cv->pair.python_dir ? 2 : 1;
	req.limits = cv->ex->limits;
	if (sandbox_run(cv->g->sb, &req, &res) < 0 || res.verdict == SANDBOX_ERROR) {
		result_check_set(c, RESULT_ERROR, 0, "the Python sandbox failed: %s", buf_str(&res.message));
		result_error(cv->r, "python sandbox: %s", buf_str(&res.message));
		block(cv, "a sandbox error while checking the Python original (see check python)");
		goto out;
	}
	account(cv, res.wall);
	if (res.verdict != SANDBOX_OK) {
		stderr_tail(&res, &tail);
		result_check_set(c, RESULT_FAIL, 0, "%s does not compile:\n%s", cv->python_rel, tail.data ? tail.data : "");
		result_ev_text(result_check_ev(c), "stderr", buf_str(&res.err), res.err.len, EXCERPT, true);
		result_check_hint(c, "the original must be valid Python 3: run `python3 %s` yourself", cv->python_rel);
		block(cv, "the Python original %s does not compile (see check python)", cv->python_rel);
		goto out;
	}
	result_check_set(c, RESULT_PASS, c->max_points, "%s compiles", cv->python_rel);
out:
	sandbox_result_free(&res);
	buf_free(&script);
	buf_free(&inside);
	buf_free(&scratch);
	buf_free(&tail);
}

static void check_build(struct conv *cv, struct result_check *c)
{
	struct buf pkg = BUF_INIT, dir = BUF_INIT, reg = BUF_INIT, rel = BUF_INIT;
	struct build_request req = {0};
	struct result_ev *ev = result_check_ev(c);
	char *pkg_rel = rel_to_root(cv, cv->m->rust_package);

	host_path(cv, pkg_rel, &pkg);
	{
		/* The package is copied on the host: never through a link that could lead out. */
		int fd = fs_open_beneath(cv->g->submission, pkg_rel, O_RDONLY | O_DIRECTORY);
		if (fd < 0 && (errno == ELOOP || errno == EXDEV)) {
			result_check_set(c, RESULT_FAIL, 0, "the Rust package folder %s is a symbolic link (or leads "
					 "through one): the grader builds only what is inside your repository", pkg_rel);
			result_check_hint(c, "replace the link by the folder itself");
			goto out;
		}
		if (fd >= 0)
			close(fd);
	}
	if (!fs_is_dir(pkg.data)) {
		result_check_set(c, RESULT_FAIL, 0, "the Rust package folder %s does not exist", pkg_rel);
		result_check_hint(c, "set rust.package in %s to the folder that holds Cargo.toml", cv->ex->manifest);
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
	account(cv, cv->build.wall);
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
			result_check_set(c, RESULT_FAIL, 0, "%s\n%s", buf_str(&cv->build.message), cv->build.rendered.data);
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
		block(cv, "%s (see check build)", cv->build.infra ? "a sandbox error while building the Rust program"
				: "the Rust program did not build");
	free(pkg_rel);
	buf_free(&pkg);
	buf_free(&dir);
	buf_free(&reg);
	buf_free(&rel);
}

/* Runs the generator once: `python3 SCRIPT SEED SIZE` in the Python sandbox, under the exercise's
 * limits (its output limit bounds what one generated input may hold). */
static int run_generator(struct conv *cv, const char *script, int seed, int size, struct sandbox_result *res)
{
	char seed_s[24], size_s[24];
	const char *args[] = {seed_s, size_s, NULL};

	snprintf(seed_s, sizeof(seed_s), "%d", seed);
	snprintf(size_s, sizeof(size_s), "%d", size);
	return program_run_python_tool(cv->g->sb, &cv->pair, script, args, res);
}

/* The largest size whose input fits in `limit` bytes, estimated from a run at an eighth of `size`
 * (the one that was too large), with a tenth to spare; 0 when it cannot be told. */
static long long generator_max_size(struct conv *cv, const char *script, int seed, int size, uint64_t limit)
{
	struct sandbox_result res = {0};
	long long max = 0;
	int small = size / 8;

	if (small < 1 || !limit)
		return 0;
	if (run_generator(cv, script, seed, small, &res) == 0 && res.verdict == SANDBOX_OK && res.out_total > 0) {
		double m = (double)small * (double)limit / (double)res.out_total * 0.9;
		double p = pow(10.0, floor(log10(m)) - 1); /* two significant digits, rounded down */
		max = m >= 1 ? (long long)(floor(m / p) * p) : 0;
	}
	account(cv, res.wall);
	sandbox_result_free(&res);
	return max;
}

/* Runs the generator for one seed into <workdir>/generated-<id>/seed-N-size-M.txt. `size_key` is
 * the manifest key that chose the size ("generator.size"), for the message when the input is too
 * large. Returns 0, or -1 (the generator failed) or -2 (the sandbox did) with the reason in `why`. */
static int generate(struct conv *cv, int seed, int size, const char *size_key, struct buf *path, struct buf *why)
{
	struct sandbox_result res = {0};
	struct buf dir = BUF_INIT, name = BUF_INIT;
	char *script = rel_to_root(cv, cv->m->generator);
	int rc = -1;

	if (run_generator(cv, script, seed, size, &res) < 0 || res.verdict == SANDBOX_ERROR) {
		buf_printf(why, "the sandbox could not run the generator: %s", buf_str(&res.message));
		rc = -2;
		goto out;
	}
	account(cv, res.wall);
	if (res.verdict == SANDBOX_OUTPUT_LIMIT && res.limit && !strcmp(res.limit, "output") && cv->ex->limits.output) {
		char lim[32], t[48];
		long long max = generator_max_size(cv, script, seed, size, cv->ex->limits.output);
		limit_size(cv->ex->limits.output, lim, sizeof(lim));
		buf_printf(why, "the generator %s wrote more than %s with seed %d and size %d: %s is the most a "
			   "generated input may hold (this exercise's output limit; docs/submission.md, \"Limits\"); "
			   "make %s in %s smaller", script, lim, seed, size, lim, size_key, cv->ex->manifest);
		if (max > 0)
			buf_printf(why, ": sizes up to about %lld fit", max);
		if (!strcmp(size_key, "benchmark.generate.size") && cv->ex->perf.enabled)
			buf_printf(why, " (and the benchmark input must still be large enough for Python to run at least %s "
				   "of CPU time on it)", num_format_time(cv->ex->perf.min_python_cpu, t, sizeof(t)));
		goto out;
	}
	if (res.verdict != SANDBOX_OK) {
		struct buf d = BUF_INIT;
		describe_run(&res, &d);
		if (hit_limit(&res))
			buf_printf(&d, ": make %s in %s smaller, or the generator lighter (every limit is in "
				   "docs/submission.md, \"Limits\")", size_key, cv->ex->manifest);
		else {
			buf_puts(&d, ":\n");
			stderr_tail(&res, &d);
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
	if (fs_write_atomic(path->data, buf_str(&res.out), res.out.len) < 0) {
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

static void collect_cases(struct conv *cv, struct cases *cs, struct result_check *c)
{
	struct buf dir = BUF_INIT, why = BUF_INIT, path = BUF_INIT, name = BUF_INIT;
	char *rel = rel_to_root(cv, cv->m->cases);
	int n, links = 0, grc;
	bool dir_is_link = false;

	n = add_case_dir(cs, cv->g->submission, rel, rel, "learner", &links);
	if (n < 0 && errno == ELOOP)
		dir_is_link = true;
	if (n > cv->ex->max_cases) {
		/* More cases than the spec runs: the first ones by name are kept. */
		result_warn(cv->r, "%s: %d cases in %s; only the first %d (by name) are run, the most this exercise allows",
			    cv->ex->id, n, rel, cv->ex->max_cases);
		for (size_t i = (size_t)cv->ex->max_cases; i < cs->n; i++) {
			free(cs->v[i].name);
			free(cs->v[i].path);
		}
		cs->n = (size_t)cv->ex->max_cases;
		if (c)
			result_ev_int(result_check_ev(c), "max", cv->ex->max_cases);
	}
	if (links)
		result_warn(cv->r, "%s: %d symbolic link%s in %s left out: a case must be a regular file", cv->ex->id,
			    links, links == 1 ? "" : "s", rel);
	if (c) {
		result_ev_int(result_check_ev(c), "learner_cases", n < 0 ? 0 : n);
		result_ev_int(result_check_ev(c), "min", cv->ex->min_cases);
		if (n < 0 && dir_is_link)
			result_check_set(c, RESULT_FAIL, 0, "the cases folder %s is a symbolic link (or leads through "
					 "one): the grader reads only what is inside your repository", rel);
		else if (n < 0)
			result_check_set(c, RESULT_FAIL, 0, "the cases folder %s does not exist", rel);
		else if (n < cv->ex->min_cases)
			result_check_set(c, RESULT_FAIL, 0, "%d case%s in %s; at least %d are needed", n,
					 n == 1 ? "" : "s", rel, cv->ex->min_cases);
		else
			result_check_set(c, RESULT_PASS, c->max_points, "%d cases in %s", n, rel);
		if (n < cv->ex->min_cases)
			result_check_hint(c, "add input files to %s, one case per file, including edge cases "
					     "(empty input, one row, unusual values)", rel);
	}
	if (cv->ex->hidden_cases) {
		spec_resolve(cv->ex, cv->ex->hidden_cases, &dir);
		add_case_dir(cs, dir.data, ".", "hidden", "hidden", NULL);
	}
	for (int seed = 1; cv->m->generator && seed <= cv->m->seeds; seed++) {
		buf_reset(&why);
		if (!grade_time_left(cv->g, &why)) {
			result_warn(cv->r, "%s: generated cases %d to %d were not made: %s", cv->ex->id, seed,
				    cv->m->seeds, why.data);
			break;
		}
		progress_count(cv->g->progress, "generating cases: seed", seed, cv->m->seeds);
		if ((grc = generate(cv, seed, cv->m->gen_size, "generator.size", &path, &why)) == -2) {
			result_error(cv->r, "%s: %s", cv->ex->id, why.data);
			block(cv, "a sandbox error while running the generator (see the report's errors)");
			break;
		} else if (grc < 0) {
			/* The generator is the learner's: the cases check says how it failed, and the
			 * correctness check, which needs its inputs, is not run. */
			if (c) {
				char *was = strdup(c->message ? c->message : "");
				result_check_set(c, RESULT_FAIL, 0, "%s%s the generator failed: %s", was ? was : "",
						 c->status == RESULT_PASS ? ", but" : "; and", why.data);
				free(was);
				if (!strstr(why.data, "\"Limits\"")) /* a limit's message says the fix */
					result_check_hint(c, "run `python3 %s %d %d` in %s yourself: it must exit 0 and print one "
							     "input",
						  cv->m->generator, seed, cv->m->gen_size, buf_str(&cv->base));
				block(cv, "the generator failed (see check cases)");
			} else {
				block(cv, "the generator failed: %s", why.data);
			}
			break;
		}
		buf_reset(&name);
		buf_printf(&name, "generated seed %d", seed);
		cases_add(cs, name.data, path.data, "generated", seed);
	}
	free(rel);
	buf_free(&dir);
	buf_free(&why);
	buf_free(&path);
	buf_free(&name);
}

static void check_correctness(struct conv *cv, struct cases *cs, struct result_check *c, bool *all_ok)
{
	struct result_ev *ev = result_check_ev(c);
	size_t passed = 0, judged = 0, failed_shown = 0;
	struct buf first = BUF_INIT, first_name = BUF_INIT, repro = BUF_INIT, budget = BUF_INIT;
	bool infra = false, shrunk = false;
	size_t unrun = 0;

	*all_ok = false;
	if (cv->blocked.len || !cv->pair.rust_binary) {
		/* The build, the Python original or the generator failed: that check says so, once. */
		result_check_set(c, RESULT_SKIPPED, 0, "not run: %s",
				 cv->blocked.len ? cv->blocked.data : "the Rust program did not build");
		buf_puts(&cv->unproven, c->message + strlen("not run: "));
		return;
	}
	if (cs->n == 0) {
		result_check_set(c, RESULT_FAIL, 0, "there are no cases to run");
		buf_puts(&cv->unproven, "there are no cases to run (see check correctness)");
		return;
	}
	result_ev_str(ev, "compare_mode", outdiff_mode_name(cv->cmp.mode));
	result_ev_num(ev, "abs_tolerance", cv->cmp.abs_tol);
	result_ev_num(ev, "rel_tolerance", cv->cmp.rel_tol);
	for (size_t i = 0; i < cs->n && !infra; i++) {
		struct kase *k = &cs->v[i];
		struct sandbox_result py = {0}, rs = {0};
		struct buf why = BUF_INIT;
		struct result_ev *ce = result_ev_list_add(ev, "cases");
		bool hidden;
		int rc;

		if (!budget.len && !grade_time_left(cv->g, &budget))
			unrun = cs->n - i;
		if (unrun) {
			result_ev_str(ce, "name", k->name);
			result_ev_str(ce, "origin", k->origin);
			result_ev_str(ce, "result", "skipped");
			buf_free(&why);
			continue;
		}

		progress_item(cv->g->progress, "case", (long)i + 1, (long)cs->n, k->name);
		result_ev_str(ce, "name", k->name);
		result_ev_str(ce, "origin", k->origin);
		hidden = !strcmp(k->origin, "hidden");
		rc = run_pair(cv, k->path, &why, hidden ? NULL : ce, &py, &rs);
		if (rc == 0 && hidden) {
			/* Say how a hidden case failed, not what its input or outputs hold. */
			struct buf a = BUF_INIT, b = BUF_INIT;
			describe_run(&py, &a);
			describe_run(&rs, &b);
			buf_reset(&why);
			if (py.verdict != rs.verdict || py.exit_code != rs.exit_code || py.signal != rs.signal)
			{
				buf_printf(&why, "the Python original %s but the Rust port %s", a.data, b.data);
				limit_fix(&rs, &why);
			} else
				buf_puts(&why, "the outputs differ (a hidden case: its input and outputs are not shown)");
			buf_free(&a);
			buf_free(&b);
		}
		result_ev_str(ce, "python", sandbox_verdict_name(py.verdict));
		result_ev_str(ce, "rust", sandbox_verdict_name(rs.verdict));
		result_ev_num(ce, "python_cpu", py.cpu);
		result_ev_num(ce, "rust_cpu", rs.cpu);
		if (rc < 0) {
			infra = true;
			result_ev_str(ce, "result", "error");
			result_error(cv->r, "%s: case %s: %s", cv->ex->id, k->name, why.data);
		} else {
			judged++;
			if (rc == 1) {
				passed++;
				result_ev_str(ce, "result", "same");
			} else {
				result_ev_str(ce, "result", "different");
				result_ev_text(ce, "message", why.data, why.len, 4000, false);
				if (failed_shown++ == 0) {
					buf_printf(&first, "case %s: %s", k->name, why.data);
					buf_puts(&first_name, k->name);
				}
				if (!shrunk && !strcmp(k->origin, "generated") && cv->ex->shrink_max_runs > 0) {
					shrunk = true;
					progress_stage(cv->g->progress, "shrinking case %s to a small reproducer", k->name);
					shrink_case(cv, k, ce, &repro);
				}
			}
		}
		sandbox_result_free(&py);
		sandbox_result_free(&rs);
		buf_free(&why);
	}
	result_ev_int(ev, "passed", (long long)passed);
	result_ev_int(ev, "total", (long long)cs->n);
	result_ev_int(ev, "not_run", (long long)unrun);
	if (unrun && !infra) {
		/* A case that did not run did not pass: the points are for the cases that agreed. */
		bool any_failed = passed < cs->n - unrun;
		result_check_set(c, any_failed ? RESULT_FAIL : RESULT_PARTIAL, c->max_points * (double)passed / (double)cs->n,
				 "%zu of %zu cases were not run: %s; %zu of the %zu that ran agree%s%s", unrun, cs->n,
				 budget.data, passed, cs->n - unrun, any_failed ? "; first difference: " : "",
				 any_failed ? first.data : "");
		result_check_hint(c, "make both programs faster on your cases (each case's run counts against the "
				     "budget), or use fewer, smaller cases");
		buf_printf(&cv->unproven, "%zu of %zu cases were not run (see check correctness)", unrun, cs->n);
	} else if (infra) {
		result_check_set(c, RESULT_ERROR, 0, "the sandbox failed while running the cases; see the report's errors");
		buf_puts(&cv->unproven, "a sandbox error while running the cases (see check correctness)");
	} else if (passed == cs->n) {
		*all_ok = true;
		result_check_set(c, RESULT_PASS, c->max_points, "the Rust port agrees with the Python original on all %zu cases",
				 cs->n);
	} else {
		result_check_set(c, RESULT_FAIL, c->max_points * (double)passed / (double)cs->n,
				 "%zu of %zu cases differ; first: %s", cs->n - passed, cs->n, first.data);
		buf_printf(&cv->unproven, "the programs disagree on case %s (see check correctness)", first_name.data);
		if (repro.len)
			result_check_hint(c, "the smallest input on which they still differ is %s (beside the report, and "
					     "in the evidence as minimal_input): run both programs on it", repro.data);
		else
			result_check_hint(c, "run both programs on the case named above and compare their outputs");
	}
	(void)judged;
	buf_free(&first);
	buf_free(&first_name);
	buf_free(&repro);
	buf_free(&budget);
}

/* The runner the perf protocol calls: one run of one program on the benchmark input. */
struct perf_ctx {
	struct conv *cv;
	const char *input;
	struct buf failure;
};

static int perf_runner(void *p, enum perf_program program, struct perf_sample *out)
{
	struct perf_ctx *pc = p;
	struct sandbox_result res = {0};
	enum program_which which = program == PERF_BASELINE ? PROGRAM_PYTHON : PROGRAM_RUST;
	int rc = program_run(pc->cv->g->sb, &pc->cv->pair, which, pc->input, &res);

	memset(out, 0, sizeof(*out));
	if (rc < 0 || res.verdict == SANDBOX_ERROR) {
		buf_reset(&pc->failure);
		buf_printf(&pc->failure, "the sandbox failed: %s", buf_str(&res.message));
		sandbox_result_free(&res);
		return -1;
	}
	account(pc->cv, res.wall);
	out->cpu = res.cpu;
	out->wall = res.wall;
	out->peak_memory = res.peak_memory;
	out->cgroup_peak = res.cgroup_peak;
	out->method = res.method; /* a static string */
	out->ok = res.verdict == SANDBOX_OK;
	if (!out->ok) {
		struct buf d = BUF_INIT;
		describe_run(&res, &d);
		buf_reset(&pc->failure);
		buf_printf(&pc->failure, "the %s program %s on the benchmark input", program_name(which), d.data);
		limit_fix(&res, &pc->failure);
		stderr_tail(&res, &d);
		buf_free(&d);
	}
	sandbox_result_free(&res);
	return 0;
}

/* The benchmark input into `input` (a host file) and how to name it into `name`: the manifest's
 * file, a generated input, or else the largest case. Returns 0, or -1 with the reason in `why`. */
static int bench_input(struct conv *cv, const struct cases *cs, struct buf *input, struct buf *name,
		       struct buf *why)
{
	if (cv->m->bench_file) {
		char *rel = rel_to_root(cv, cv->m->bench_file);
		host_path(cv, rel, input);
		buf_puts(name, rel);
		if (!fs_is_file_beneath(cv->g->submission, rel))
			buf_printf(why, "the benchmark file %s does not exist (or is not a regular file)", rel);
		free(rel);
		return why->len ? -1 : 0;
	}
	if (cv->m->bench_size > 0) {
		buf_printf(name, "generated: seed %d, size %d", cv->m->bench_seed, cv->m->bench_size);
		return generate(cv, cv->m->bench_seed, cv->m->bench_size, "benchmark.generate.size", input, why);
	}
	if (cs && cs->n) {
		size_t best = 0;
		off_t best_size = -1;
		for (size_t i = 0; i < cs->n; i++) {
			struct stat st;
			if (stat(cs->v[i].path, &st) == 0 && st.st_size > best_size) {
				best_size = st.st_size;
				best = i;
			}
		}
		buf_puts(input, cs->v[best].path);
		buf_printf(name, "%s (the largest case: the manifest names no benchmark)", cs->v[best].name);
		return 0;
	}
	buf_printf(why, "%s names no benchmark input (benchmark.file or benchmark.generate)", cv->ex->manifest);
	return -1;
}

/* A warning in the report when a timed measurement (`what`) ran without the timing lock or beside
 * another timed run: its figures may be disturbed. */
static void warn_timing(struct conv *cv, const char *what, const struct timing_lock *tl)
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
static void after_timing(struct conv *cv, const struct perf_config *cfg, const struct startup_result *su,
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
		startup_note(su, wall, m[PERF_BASELINE], m[PERF_CANDIDATE], &note);
	if (note.len)
		buf_printf(&out->message, "; %s", note.data);
	if (speed) {
		struct result_ev *ev = result_check_ev(speed);
		result_ev_attach(ev, "startup", startup_json(su, wall, out->pairs > 0 ? m[PERF_BASELINE] : 0,
							     out->pairs > 0 ? m[PERF_CANDIDATE] : 0));
		result_ev_attach(ev, "timing_lock", timing_lock_json(tl));
	}
	warn_timing(cv, "speed measurement", tl);
	buf_free(&note);
}

/* The hint of a benchmark input too small to prove a speedup: the range of sizes that works, from
 * the size Python needs to reach min_python_cpu up to the one whose generated input still fits in
 * the output limit (the generator's message gives the same range from the other end). */
static void too_small_hint(const struct conv *cv, const char *input, const struct perf_outcome *out,
			   struct result_check *speed)
{
	struct stat st;
	char t[48], lim[32];
	long long want = 0, max = 0;

	num_format_time(cv->ex->perf.min_python_cpu, t, sizeof(t));
	if (cv->m->bench_file || cv->m->bench_size <= 0) {
		result_check_hint(speed, "make the benchmark input in %s larger, about %.3gx (Python needs at least %s "
				     "of CPU time on it; the limits are in docs/submission.md, \"Limits\")",
				  cv->ex->manifest, out->input_scale > 0 ? out->input_scale : 10.0, t);
		return;
	}
	want = (long long)((double)cv->m->bench_size * (out->input_scale > 0 ? out->input_scale : 10.0));
	if (cv->ex->limits.output && stat(input, &st) == 0 && st.st_size > 0)
		max = (long long)((double)cv->m->bench_size * (double)cv->ex->limits.output / (double)st.st_size * 0.9);
	limit_size(cv->ex->limits.output, lim, sizeof(lim));
	if (!max)
		result_check_hint(speed, "make benchmark.generate.size in %s larger: about %lld (Python needs at least %s "
				     "of CPU time on the benchmark input)", cv->ex->manifest, want, t);
	else if (want <= max)
		result_check_hint(speed, "make benchmark.generate.size in %s larger: about %lld, and at most about %lld "
				     "(Python needs at least %s of CPU time on the benchmark input, and a generated input "
				     "may hold at most %s: docs/submission.md, \"Limits\")", cv->ex->manifest, want, max, t, lim);
	else
		result_check_hint(speed, "no generated size works: Python would need about %lld to run %s of CPU time, "
				     "but a generated input may hold at most %s (about %lld); make Python do more work "
				     "per input byte, or give a benchmark file (benchmark.file) in %s (docs/submission.md, "
				     "\"Limits\")", want, t, lim, max, cv->ex->manifest);
}

/* Measures speed and memory on the benchmark input `input` (NULL when it could not be made, with
 * the reason in `no_input`) and judges both checks (either may be NULL). The outcome stays in
 * `out` for the caller (exercise 2 checks its claims against it); the caller frees it. */
static void check_speed(struct conv *cv, const char *input, const char *bench_name, const char *no_input,
			bool correct, struct result_check *speed, struct result_check *mem,
			struct perf_outcome *out)
{
	const struct spec_perf *sp = &cv->ex->perf;
	struct perf_config cfg;
	struct perf_ctx pc = {.cv = cv};
	struct timing_lock tl;
	struct startup_result su;
	int pinned = -1;
	const char *skip = NULL;
	struct buf budget = BUF_INIT;

	memset(out, 0, sizeof(*out));
	out->verdict = PERF_ERROR;
	if (!cv->pair.rust_binary || !correct) {
		unproven_cause(cv, "not measured: ", &budget);
		skip = budget.data;
	} else if (cv->g->no_perf)
		skip = "not measured (--no-perf)";
	else if (grade_seconds_left(cv->g) < 1) {
		buf_printf(&budget, "not measured: %s is used up", cv->g->deadline_what ? cv->g->deadline_what : "the time budget");
		skip = budget.data;
	}
	if (skip) {
		if (speed)
			result_check_set(speed, RESULT_SKIPPED, 0, "%s", skip);
		if (mem)
			result_check_set(mem, RESULT_SKIPPED, 0, "%s", skip);
		buf_free(&budget);
		return;
	}
	if (!input) {
		if (speed)
			result_check_set(speed, RESULT_FAIL, 0, "cannot make the benchmark input: %s", no_input);
		if (mem) {
			/* The speed check carries the learner's fault; memory simply could not be measured. */
			result_check_set(mem, RESULT_SKIPPED, 0, "not measured: the benchmark input could not be made (see check performance)");
			result_ev_str(result_check_ev(mem), "reason", "no_benchmark_input");
		}
		return;
	}
	perf_config_init(&cfg);
	cfg.metric = sp->wall ? PERF_METRIC_WALL : PERF_METRIC_CPU;
	cfg.required_speedup = sp->enabled ? sp->require_speedup : 1.0;
	cfg.confidence = sp->enabled ? sp->confidence : 0.95;
	if (sp->enabled) {
		cfg.min_runs = sp->min_runs;
		cfg.max_runs = sp->max_runs;
		cfg.warmup_runs = sp->warmup;
		cfg.time_budget = sp->budget;
		if (grade_seconds_left(cv->g) < cfg.time_budget)
			cfg.time_budget = grade_seconds_left(cv->g);
		cfg.min_baseline_cpu = sp->min_python_cpu;
		cfg.pin_cpu = sp->pin_cpu;
		cfg.precision = sp->precision;
	}
	cfg.max_memory_ratio = cv->ex->memory.enabled ? cv->ex->memory.require_ratio : 0;
	pc.input = input;
	cfg.progress = cv->g->progress;
	if (cfg.pin_cpu) {
		/* Both programs on the same CPU: the highest one this grader may use. */
		cpu_set_t mine;
		if (sched_getaffinity(0, sizeof(mine), &mine) == 0) {
			for (int c = CPU_SETSIZE - 1; c >= 0; c--) {
				if (CPU_ISSET(c, &mine)) {
					cv->pair.pin_cpu = true;
					cv->pair.cpu = pinned = c;
					break;
				}
			}
		}
	}
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
	if (speed) {
		struct result_ev *ev = result_check_ev(speed);
		double pw = out->median_wall[PERF_BASELINE], pcpu = out->median_cpu[PERF_BASELINE];
		char wbuf[48], cbuf[48];
		result_ev_attach(ev, "measurement", perf_outcome_json(out));
		/* A baseline that mostly waits (sleeps, blocks) inflates a wall-time speedup; a learner
		 * who chose their own original could slow it down on purpose. Say so. The margin, and
		 * the load average over the CPUs, keep a busy machine, where every wall time stretches,
		 * from being taken for waiting. */
		double load = out->load_start > out->load_end ? out->load_start : out->load_end;
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		double stretch = ncpu > 0 && load / (double)ncpu > 1 ? load / (double)ncpu : 1;
		if (out->pairs > 0 && pw > 2 * pcpu * stretch + 0.2) {
			result_ev_bool(ev, "python_waits", true);
			buf_printf(&out->message, "; note: the Python original's wall time (%s) is far above its CPU time "
				   "(%s): it waits (sleeps or blocks) more than it computes%s",
				   num_format_time(pw, wbuf, sizeof(wbuf)), num_format_time(pcpu, cbuf, sizeof(cbuf)),
				   cfg.metric == PERF_METRIC_WALL ? ", so a wall-time speedup overstates the port"
								  : "; the speedup is judged on CPU time, which waiting does not inflate");
		}
		if (pinned >= 0)
			result_ev_int(ev, "pinned_cpu", pinned);
		result_ev_str(ev, "benchmark_input", bench_name);
		switch (out->verdict) {
		case PERF_PASS:
			result_check_set(speed, RESULT_PASS, speed->max_points, "%s", buf_str(&out->message));
			break;
		case PERF_FAIL:
			result_check_set(speed, RESULT_FAIL, 0, "%s", buf_str(&out->message));
			result_check_hint(speed, "profile the port (cargo build --release; avoid needless clones, "
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
			if (pc.failure.len && out->stop == PERF_STOP_RUN_FAILED)
				result_check_set(speed, RESULT_FAIL, 0, "%s", pc.failure.data);
			else {
				result_check_set(speed, RESULT_ERROR, 0, "%s", pc.failure.len ? pc.failure.data : buf_str(&out->message));
				result_error(cv->r, "%s: performance measurement: %s", cv->ex->id,
					     pc.failure.len ? pc.failure.data : buf_str(&out->message));
			}
			break;
		}
	}
	if (mem) {
		struct result_ev *ev = result_check_ev(mem);
		char a[32], b[32], r[48], l[48];
		result_ev_int(ev, "python_peak_bytes", (long long)out->memory.max_peak[PERF_BASELINE]);
		result_ev_int(ev, "rust_peak_bytes", (long long)out->memory.max_peak[PERF_CANDIDATE]);
		result_ev_num(ev, "ratio", out->memory.ratio);
		result_ev_num(ev, "required_ratio", out->memory.limit);
		result_ev_bool(ev, "python_baseline_is_interpreter", out->memory.baseline_is_interpreter);
		num_format_size(out->memory.max_peak[PERF_BASELINE], a, sizeof(a));
		num_format_size(out->memory.max_peak[PERF_CANDIDATE], b, sizeof(b));
		num_format_sig(out->memory.ratio, 2, r, sizeof(r));
		num_format_sig(out->memory.limit, 3, l, sizeof(l));
		if (out->verdict == PERF_ERROR && out->stop != PERF_STOP_INPUT_TOO_SMALL && !out->memory.max_peak[PERF_BASELINE]) {
			/* A failed run is the speed check's to judge; the grader's own breakage stays an error. */
			bool infra = out->stop == PERF_STOP_RUNNER_ERROR || (speed && speed->status == RESULT_ERROR);
			if (infra && !speed) {
				/* No speed check to carry the grader's own failure: this one does. */
				result_check_set(mem, RESULT_ERROR, 0, "not measured: %s",
						 pc.failure.len ? pc.failure.data : buf_str(&out->message));
				result_error(cv->r, "%s: memory measurement: %s", cv->ex->id, mem->message);
			} else if (infra)
				result_check_set(mem, RESULT_SKIPPED, 0, "not measured: a sandbox error (see check performance)");
			else
				result_check_set(mem, RESULT_SKIPPED, 0, "not measured: %s (see check performance)",
						 pc.failure.len ? "a run on the benchmark input failed" : "the measurement stopped");
			result_ev_str(ev, "reason", infra ? "measurement_error" : "run_failed");
		} else if (out->memory.verdict == PERF_MEMORY_PASS) {
			result_check_set(mem, RESULT_PASS, mem->max_points,
					 "peak memory: Rust %s, Python %s (ratio %s, at most %s allowed)%s", b, a, r, l,
					 out->memory.baseline_is_interpreter ? "; the Python figure is mostly the interpreter itself" : "");
		} else if (out->memory.verdict == PERF_MEMORY_FAIL) {
			result_check_set(mem, RESULT_FAIL, 0, "peak memory: Rust %s, Python %s (ratio %s, at most %s allowed)",
					 b, a, r, l);
			result_check_hint(mem, "stream the input instead of reading it all, and avoid keeping copies of the data");
		} else if (out->memory.max_peak[PERF_BASELINE] && out->memory.max_peak[PERF_CANDIDATE]) {
			result_check_set(mem, RESULT_SKIPPED, 0, "not judged: the spec sets no memory requirement "
					 "(memory.require_ratio); peak memory: Rust %s, Python %s", b, a);
		} else {
			result_check_set(mem, RESULT_SKIPPED, 0, "not measured: the sandbox reported no peak memory for %s",
					 out->memory.max_peak[PERF_BASELINE] ? "the Rust port" : "the Python original");
			result_ev_str(ev, "reason", "no_peak_measured");
		}
	}
	buf_free(&pc.failure);
	buf_free(&budget);
	startup_result_free(&su);
	timing_lock_free(&tl);
}

/* The scaling check: both programs' CPU time at 1/8, 1/4, 1/2 and all of the generated benchmark
 * size, less their fixed cost (measured on a size-1 input), fitted as n^k; the port's exponent
 * must not exceed the original's by more than the spec's tolerance (scaling.h judges). Rounds of
 * runs go through every size in turn, so that a drift of the machine's load spreads over all of
 * them. */
static void check_scaling(struct conv *cv, bool correct, struct result_check *c)
{
	enum { NS = 5 }; /* the size-1 input, then the four sizes */
	const struct spec_scaling *sp = &cv->ex->scaling;
	static const enum program_which prog[2] = {PROGRAM_PYTHON, PROGRAM_RUST};
	struct result_ev *ev;
	struct buf why = BUF_INIT, path[NS] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	double *t[2] = {NULL, NULL}, budget, start, round_time = 0, conf;
	int size[NS], runs = sp->runs, done = 0, look1, looks = 0;
	struct timing_lock tl = {.fd = -1, .seq_fd = -1};
	bool timed = false;
	struct scaling_samples s[2] = {{0}, {0}};
	struct scaling_outcome o;
	const char *skip = NULL;

	if (!cv->pair.rust_binary || !correct) {
		unproven_cause(cv, "not measured: ", &why);
		skip = why.data;
	} else if (cv->g->no_perf)
		skip = "not measured (--no-perf)";
	else if (!cv->m->generator || cv->m->bench_size <= 0)
		skip = "not measured: the manifest has no generator and generated benchmark (generator.script and "
		       "benchmark.generate), which make inputs of chosen sizes";
	else if (grade_seconds_left(cv->g) < 1) {
		buf_printf(&why, "not measured: %s is used up", cv->g->deadline_what ? cv->g->deadline_what : "the time budget");
		skip = why.data;
	}
	if (skip) {
		result_check_set(c, RESULT_SKIPPED, 0, "%s", skip);
		buf_free(&why);
		return;
	}
	ev = result_check_ev(c);
	size[0] = 1;
	for (int i = 1; i < NS; i++)
		size[i] = cv->m->bench_size >> (NS - 1 - i);
	if (size[1] < 2) {
		result_check_set(c, RESULT_INCONCLUSIVE, c->max_points * sp->inconclusive_credit,
				 "the benchmark size %d is too small to take an eighth of it", cv->m->bench_size);
		result_check_hint(c, "make benchmark.generate.size in %s larger", cv->ex->manifest);
		return;
	}
	progress_stage(cv->g->progress, "measuring scaling: generating inputs of 5 sizes");
	for (int i = 0; i < NS; i++) {
		if (generate(cv, cv->m->bench_seed, size[i], "benchmark.generate.size", &path[i], &why) < 0) {
			result_check_set(c, RESULT_SKIPPED, 0, "not measured: the generator failed at size %d: %s", size[i], why.data);
			goto out;
		}
	}
	t[0] = calloc((size_t)(NS * runs), sizeof(double));
	t[1] = calloc((size_t)(NS * runs), sizeof(double));
	if (!t[0] || !t[1]) {
		result_check_set(c, RESULT_ERROR, 0, "out of memory");
		goto out;
	}
	budget = grade_seconds_left(cv->g) < sp->budget ? grade_seconds_left(cv->g) : sp->budget;
	/* Two looks, each at a Bonferroni-corrected confidence: after half the rounds (stopping when
	 * the verdict is clear) and after all of them. */
	look1 = (runs + 1) / 2 < 3 ? runs : (runs + 1) / 2;
	conf = look1 < runs ? 1 - (1 - sp->confidence) / 2 : sp->confidence;
	for (int p = 0; p < 2; p++) {
		s[p].nsizes = NS - 1;
		for (int i = 1; i < NS; i++)
			s[p].size[i - 1] = size[i];
		s[p].stride = (size_t)sp->runs;
		s[p].fixed = t[p];
		s[p].time = t[p] + sp->runs;
	}
	/* Timed runs take turns across the machine, as in check_speed (timing_lock.h). */
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
				result_check_set(c, RESULT_SKIPPED, 0, "not measured: one round of runs at the five sizes "
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
		for (int i = 0; i < NS; i++) {
			for (int p = 0; p < 2; p++) {
				struct sandbox_result res = {0};
				int rc = program_run(cv->g->sb, &cv->pair, prog[p], path[i].data, &res);
				if (rc < 0 || res.verdict == SANDBOX_ERROR) {
					result_check_set(c, RESULT_ERROR, 0, "the sandbox failed: %s", buf_str(&res.message));
					result_error(cv->r, "%s: scaling measurement: the sandbox failed: %s", cv->ex->id,
						     buf_str(&res.message));
					sandbox_result_free(&res);
					goto out;
				}
				account(cv, res.wall);
				if (res.verdict != SANDBOX_OK) {
					buf_reset(&why);
					describe_run(&res, &why);
					buf_printf(&why, " on the generated input of size %d", size[i]);
					limit_fix(&res, &why);
					result_check_set(c, RESULT_FAIL, 0, "the %s program %s", program_name(prog[p]), why.data);
					sandbox_result_free(&res);
					goto out;
				}
				t[p][i * (size_t)sp->runs + (size_t)done] = res.cpu;
				sandbox_result_free(&res);
			}
		}
		round_time = grade_now() - round_start;
		done++;
		if (done != look1 && done != runs)
			continue;
		looks++;
		s[0].runs = s[1].runs = (size_t)done;
		if (scaling_compare(&s[0], &s[1], sp->tolerance, conf, SCALING_DEFAULT_RESAMPLES,
				    0x6772616465722d73ULL /* "grader-s" */, &o) < 0) {
			result_check_set(c, RESULT_ERROR, 0, "cannot fit the exponents: %s", strerror(errno));
			result_error(cv->r, "%s: scaling: cannot fit the exponents: %s", cv->ex->id, strerror(errno));
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
	result_ev_str(ev, "metric", "cpu");
	result_ev_str(ev, "method", "fastest CPU time at each size less that on a size-1 input; least-squares "
		      "slope of log(time) on log(size); percentile bootstrap intervals");
	result_ev_str(ev, "verdict", scaling_verdict_name(o.verdict));
	result_ev_num(ev, "tolerance", o.tolerance);
	result_ev_num(ev, "confidence", o.confidence);
	result_ev_int(ev, "runs", runs);
	result_ev_int(ev, "looks", looks);
	result_ev_num(ev, "elapsed", grade_now() - start);
	{
		double sz[NS];
		char seed[24];
		for (int i = 0; i < NS; i++)
			sz[i] = size[i];
		result_ev_nums(ev, "sizes", sz, NS);
		snprintf(seed, sizeof(seed), "%llu", (unsigned long long)o.seed);
		result_ev_str(ev, "seed", seed);
	}
	if (o.verdict != SCALING_UNMEASURABLE) {
		result_ev_num(ev, "difference", o.diff);
		result_ev_num(ev, "difference_low", o.diff_low);
		result_ev_num(ev, "difference_high", o.diff_high);
	}
	for (int p = 0; p < 2; p++) {
		const struct scaling_fit *f = p == 0 ? &o.base : &o.cand;
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
		result_ev_nums(pe, "min_cpu", f->level, NS - 1);
		result_ev_nums(pe, "fixed_cpu", t[p], (size_t)runs);
		for (int i = 1; i < NS; i++) {
			struct result_ev *se = result_ev_list_add(pe, "by_size");
			result_ev_int(se, "size", size[i]);
			result_ev_nums(se, "cpu", t[p] + i * sp->runs, (size_t)runs);
		}
	}
	buf_reset(&why);
	scaling_message(&o, "Python", "your port", &why);
	buf_printf(&why, " (CPU time, %d runs at each of sizes %d to %d)", runs, size[1], size[NS - 1]);
	switch (o.verdict) {
	case SCALING_PASS:
		result_check_set(c, RESULT_PASS, c->max_points, "%s", why.data);
		break;
	case SCALING_FAIL:
		result_check_set(c, RESULT_FAIL, 0, "%s", why.data);
		break;
	default:
		result_check_set(c, RESULT_INCONCLUSIVE, c->max_points * sp->inconclusive_credit, "%s", why.data);
		break;
	}
	if (scaling_hint(&o))
		result_check_hint(c, "%s", scaling_hint(&o));
out:
	if (timed)
		timing_lock_end(&tl);
	timing_lock_free(&tl);
	for (int i = 0; i < NS; i++)
		buf_free(&path[i]);
	free(t[0]);
	free(t[1]);
	buf_free(&why);
}

/* Without a manifest nothing can be graded: the first check fails with the cause, and the others
 * (n in all, NULL entries left out), which could not run, are skipped naming it. */
static void not_graded(struct result_check **ck, int n, const char *manifest, const char *what)
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
 * fails and the others are skipped (not_graded). `doc` is where its format is documented. */
static int conv_open(struct conv *cv, struct result_exercise *e, struct result_check **ck, int n,
		     bool comparison, const char *doc)
{
	const struct spec_exercise *ex = cv->ex;
	struct buf err = BUF_INIT;
	char *mdir;
	int rc = -1;

	if (!fs_exists_beneath(cv->g->submission, ex->manifest)) {
		buf_printf(&err, "%s not found: it says how to build and run your programs (see %s)", ex->manifest, doc);
		result_set_str(&e->message, err.data);
		not_graded(ck, n, ex->manifest, "is missing");
		goto out;
	}
	cv->m = spec_load_conversion_in(cv->g->submission, ex->manifest, ex, comparison, &err);
	if (!cv->m) {
		result_set_str(&e->message, err.data);
		not_graded(ck, n, ex->manifest, "has errors (see the exercise's message)");
		goto out;
	}
	mdir = strdup(ex->manifest);
	buf_puts(&cv->base, dirname(mdir));
	free(mdir);
	if (ex->original) {
		/* The instructor fixed the script to convert: it comes from the spec, not the learner. */
		struct buf orig = BUF_INIT;
		char *full;
		spec_resolve(ex, ex->original, &orig);
		full = strdup(orig.data);
		cv->python_rel = strdup(strrchr(orig.data, '/') + 1);
		*strrchr(full, '/') = '\0';
		cv->python_dir = full;
		buf_free(&orig);
		if (cv->m->python_script)
			result_warn(cv->r, "%s: python.script in %s is ignored: this exercise converts the instructor's %s",
				    ex->id, ex->manifest, ex->original);
	} else {
		cv->python_rel = rel_to_root(cv, cv->m->python_script);
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

static void conv_close(struct conv *cv)
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
static void add_checks(const struct spec_exercise *ex, struct result_exercise *e, const char *const *order,
		       const char *const *titles, struct result_check **ck)
{
	for (int i = 0; order[i]; i++)
		if (spec_points(ex, order[i]) > 0 || i < 2)
			ck[i] = result_check_add(e, order[i], titles[i], spec_points(ex, order[i]));
}

void grade_conversion(const struct grade_ctx *g, const struct spec_exercise *ex,
		      struct result_exercise *e, struct result_report *r)
{
	static const char *const order[] = {"build", "python", "cases", "correctness", "performance",
					    "memory", "notes", "scaling", NULL};
	static const char *const titles[] = {
		"the Rust port builds offline", "the Python original compiles",
		"enough cases of the learner's own", "the port's outputs match the original's",
		"the port is faster than the original", "the port uses less memory than the original",
		"notes on the challenges and solutions",
		"the port's cost grows with input size no faster than the original's",
	};
	struct result_check *ck[8] = {0};
	struct conv cv = {.g = g, .ex = ex, .r = r};
	struct cases cs = {0};
	bool correct = false;

	add_checks(ex, e, order, titles, ck);
	if (!ck[7] && ex->scaling.enabled) /* reported even when it scores 0 points */
		ck[7] = result_check_add(e, order[7], titles[7], 0);
	if (ck[6] && ex->notes.file)
		notes_check(g->submission, &ex->notes, ck[6]);
	if (conv_open(&cv, e, ck, 6, false, "docs/manifest-ex4.md") < 0) {
		if (ck[7])
			result_check_set(ck[7], RESULT_SKIPPED, 0, "%s", ck[5] && ck[5]->message ? ck[5]->message
										: "not run: the manifest is missing or has errors");
		goto out;
	}

	progress_stage(g->progress, "checking the Python original");
	if (!out_of_time(&cv, ck[1]))
		check_python(&cv, ck[1]);
	progress_stage(g->progress, "building the Rust port");
	if (!out_of_time(&cv, ck[0]))
		check_build(&cv, ck[0]);
	collect_cases(&cv, &cs, ck[2]);
	if (ck[3])
		check_correctness(&cv, &cs, ck[3], &correct);
	if (ck[4] || ck[5]) {
		struct buf input = BUF_INIT, name = BUF_INIT, why = BUF_INIT;
		struct perf_outcome po;
		bool have = correct && !g->no_perf && bench_input(&cv, &cs, &input, &name, &why) == 0;
		check_speed(&cv, have ? input.data : NULL, name.data, why.data, correct, ck[4], ck[5], &po);
		perf_outcome_free(&po);
		buf_free(&input);
		buf_free(&name);
		buf_free(&why);
	}
	if (ck[7])
		check_scaling(&cv, correct, ck[7]);
out:
	cases_free(&cs);
	conv_close(&cv);
}

/* ---- exercise 2: the learner's own pair, measured, and their claims checked ---- */

/* A claim that cannot be judged because the grader's own figure is missing: skipped, naming why
 * `measured` (the check that measures it; may be NULL) has no figure. */
static void claim_unmeasured(const struct result_check *measured, struct result_check *c)
{
	if (!measured)
		result_check_set(c, RESULT_SKIPPED, 0, "not measured: this exercise does not measure it");
	else if (measured->status == RESULT_SKIPPED && measured->message && !strncmp(measured->message, "not ", 4))
		result_check_set(c, RESULT_SKIPPED, 0, "%s", measured->message);
	else if (measured->status == RESULT_ERROR)
		result_check_set(c, RESULT_SKIPPED, 0, "not measured: a sandbox error (see check %s)", measured->id);
	else
		result_check_set(c, RESULT_SKIPPED, 0, "not measured: %s (see check %s)",
				 measured->message ? measured->message : "no figure", measured->id);
}

/* The speedup claim against the measured interval. */
static void check_speedup_claim(struct conv *cv, const struct result_check *speed,
				const struct perf_outcome *po, struct result_check *c)
{
	struct result_ev *ev = result_check_ev(c);
	double claim = cv->m->claim_speedup, f = cv->ex->claims.speedup_within;
	char cl[48], est[48], lo[48], hi[48], fs[48];

	if (!claim) {
		result_check_set(c, RESULT_FAIL, 0, "no speedup claimed");
		result_check_hint(c, "put the speedup you measured (Python time / Rust time) in claims.speedup of %s",
				  cv->ex->manifest);
		return;
	}
	result_ev_num(ev, "claimed", claim);
	if (!po->has_interval || (speed && (speed->status == RESULT_SKIPPED || speed->status == RESULT_ERROR))) {
		claim_unmeasured(speed, c);
		return;
	}
	result_ev_num(ev, "measured", po->interval.estimate);
	result_ev_num(ev, "measured_low", po->interval.low);
	result_ev_num(ev, "measured_high", po->interval.high);
	result_ev_num(ev, "accepted_low", po->interval.low / f);
	result_ev_num(ev, "accepted_high", po->interval.high * f);
	num_format_ratio(claim, cl, sizeof(cl));
	num_format_ratio(po->interval.estimate, est, sizeof(est));
	num_format_sig(po->interval.low, 3, lo, sizeof(lo));
	num_format_sig(po->interval.high, 3, hi, sizeof(hi));
	num_format_sig(f, 3, fs, sizeof(fs));
	if (claims_ratio_consistent(claim, po->interval.low, po->interval.high, f)) {
		result_check_set(c, RESULT_PASS, c->max_points,
				 "claimed %s; the grader measured %s (%sx to %sx): consistent within a factor %s",
				 cl, est, lo, hi, fs);
	} else {
		result_check_set(c, RESULT_FAIL, 0,
				 "claimed %s, but the grader measured %s (%sx to %sx): more than a factor %s apart",
				 cl, est, lo, hi, fs);
		result_check_hint(c, "measure again on the benchmark input of %s (CPU time, several runs, median) "
				     "and report what you measure", cv->ex->manifest);
	}
}

static void check_memory_claim(struct conv *cv, const struct result_check *mem,
			       const struct perf_outcome *po, struct result_check *c)
{
	struct result_ev *ev = result_check_ev(c);
	double claim = cv->m->claim_memory_ratio, f = cv->ex->claims.memory_within, ratio = po->memory.ratio;
	char cl[48], ms[48], fs[48];

	if (!claim) {
		result_check_set(c, RESULT_FAIL, 0, "no memory ratio claimed");
		result_check_hint(c, "put the ratio you measured (Rust peak memory / Python peak memory) in "
				     "claims.memory_ratio of %s", cv->ex->manifest);
		return;
	}
	result_ev_num(ev, "claimed", claim);
	if (!(ratio > 0) || (mem && (mem->status == RESULT_SKIPPED || mem->status == RESULT_ERROR))) {
		claim_unmeasured(mem, c);
		return;
	}
	result_ev_num(ev, "measured", ratio);
	result_ev_num(ev, "accepted_low", ratio / f);
	result_ev_num(ev, "accepted_high", ratio * f);
	num_format_sig(claim, 3, cl, sizeof(cl));
	num_format_sig(ratio, 3, ms, sizeof(ms));
	num_format_sig(f, 3, fs, sizeof(fs));
	if (claims_ratio_consistent(claim, ratio, ratio, f)) {
		result_check_set(c, RESULT_PASS, c->max_points,
				 "claimed a memory ratio of %s; the grader measured %s: consistent within a factor %s",
				 cl, ms, fs);
	} else {
		result_check_set(c, RESULT_FAIL, 0,
				 "claimed a memory ratio of %s, but the grader measured %s: more than a factor %s apart",
				 cl, ms, fs);
		result_check_hint(c, "compare the peak resident memory of both programs (e.g. /usr/bin/time -v, "
				     "\"Maximum resident set size\") on the benchmark input");
	}
}

/* Lines of code of both programs against the claimed counts; half the points each. */
static void check_complexity_claim(struct conv *cv, struct result_check *c)
{
	struct result_ev *ev = result_check_ev(c);
	struct claims_loc py = {0}, rs = {0};
	struct buf path = BUF_INIT, src = BUF_INIT, msg = BUF_INIT;
	char *pkg = rel_to_root(cv, cv->m->rust_package);
	double tol = cv->ex->claims.loc_within;
	int good = 0;
	const struct {
		const char *lang;
		long long claim;
		const struct claims_loc *m;
	} v[2] = {{"Python", cv->m->claim_python_loc, &py}, {"Rust", cv->m->claim_rust_loc, &rs}};

	/* Only what is in the submission is counted, reached without links (claims_count_loc does not
	 * follow links inside the folders it walks). */
	program_python_paths(&cv->pair, NULL, &path);
	if ((!cv->python_dir && !fs_is_file_beneath(cv->g->submission, cv->python_rel)) ||
	    claims_count_loc(path.data, CLAIMS_PYTHON, &py) < 0)
		py = (struct claims_loc){0};
	fs_join(&src, pkg, "src");
	host_path(cv, src.data, &path);
	if (!beneath_exists_dir(cv->g->submission, src.data) || claims_count_loc(path.data, CLAIMS_RUST, &rs) < 0)
		rs = (struct claims_loc){0};
	for (int i = 0; i < 2; i++) {
		struct result_ev *le = result_ev_obj(ev, i == 0 ? "python" : "rust");
		bool ok = claims_loc_consistent(v[i].claim, v[i].m, tol);
		result_ev_str(le, "counted", i == 0 ? cv->python_rel : src.data);
		result_ev_int(le, "files", v[i].m->files);
		result_ev_int(le, "lines", v[i].m->lines);
		result_ev_int(le, "code_lines", v[i].m->code);
		if (v[i].claim)
			result_ev_int(le, "claimed", v[i].claim);
		result_ev_bool(le, "consistent", ok);
		good += ok;
		if (msg.len)
			buf_puts(&msg, "; ");
		if (!v[i].claim)
			buf_printf(&msg, "%s: no line count claimed (the grader counts %lld lines, %lld of code)",
				   v[i].lang, v[i].m->lines, v[i].m->code);
		else
			buf_printf(&msg, "%s: claimed %lld lines, the grader counts %lld lines, %lld of code (%s)",
				   v[i].lang, v[i].claim, v[i].m->lines, v[i].m->code,
				   ok ? "consistent" : "inconsistent");
	}
	result_ev_num(ev, "tolerance", tol);
	result_check_set(c, good == 2 ? RESULT_PASS : RESULT_FAIL, c->max_points * good / 2.0, "%s", msg.data);
	if (good < 2)
		result_check_hint(c, "count the lines of %s and of every .rs file under %s (wc -l, or lines of code "
				     "without blanks and comments) and put them in claims.python_loc and claims.rust_loc",
				  cv->python_rel, src.data);
	free(pkg);
	buf_free(&path);
	buf_free(&src);
	buf_free(&msg);
}

/* Both programs on the benchmark input, once: they must run and agree. */
static void check_runs(struct conv *cv, const char *input, const char *name, const char *no_input,
		       struct result_check *c, bool *ok)
{
	struct sandbox_result py = {0}, rs = {0};
	struct buf why = BUF_INIT;
	struct result_ev *ev = result_check_ev(c);
	int rc;

	*ok = false;
	if (!cv->python_dir && !fs_is_file_beneath(cv->g->submission, cv->python_rel)) {
		/* Before the build's outcome: it is a cause of its own, and nothing can run without it. */
		result_check_set(c, RESULT_FAIL, 0, "the Python script %s does not exist", cv->python_rel);
		result_check_hint(c, "set python.script in %s to your Python program's path", cv->ex->manifest);
		buf_printf(&cv->unproven, "the Python script %s does not exist (see check runs)", cv->python_rel);
		return;
	}
	if (!cv->pair.rust_binary) {
		unproven_cause(cv, "not run: ", &why);
		result_check_set(c, RESULT_SKIPPED, 0, "%s", why.data);
		buf_free(&why);
		return;
	}
	if (!input) {
		result_check_set(c, RESULT_FAIL, 0, "cannot make the benchmark input: %s", no_input);
		buf_puts(&cv->unproven, "the benchmark input could not be made (see check runs)");
		return;
	}
	if (out_of_time(cv, c)) {
		buf_puts(&cv->unproven, cv->blocked.data);
		return;
	}
	result_ev_str(ev, "benchmark_input", name);
	result_ev_str(ev, "compare_mode", outdiff_mode_name(cv->cmp.mode));
	progress_stage(cv->g->progress, "running both programs on the benchmark input");
	rc = run_pair(cv, input, &why, ev, &py, &rs);
	result_ev_str(ev, "python", sandbox_verdict_name(py.verdict));
	result_ev_str(ev, "rust", sandbox_verdict_name(rs.verdict));
	if (rc < 0) {
		result_check_set(c, RESULT_ERROR, 0, "%s", why.data);
		result_error(cv->r, "%s: %s", cv->ex->id, why.data);
		buf_puts(&cv->unproven, "a sandbox error (see check runs)");
	} else if (rc == 1) {
		*ok = true;
		result_check_set(c, RESULT_PASS, c->max_points,
				 "both programs run on the benchmark input (%s) and agree", name);
	} else {
		result_check_set(c, RESULT_FAIL, 0, "on the benchmark input (%s): %s", name, why.data);
		result_check_hint(c, "the two programs must compute the same thing: run both on the benchmark input "
				     "and compare their outputs");
		buf_puts(&cv->unproven, "the programs disagree on the benchmark input (see check runs)");
	}
	sandbox_result_free(&py);
	sandbox_result_free(&rs);
	buf_free(&why);
}

void grade_comparison(const struct grade_ctx *g, const struct spec_exercise *ex,
		      struct result_exercise *e, struct result_report *r)
{
	static const char *const order[] = {"build", "runs", "performance", "memory", "speedup_claim",
					    "memory_claim", "complexity_claim", "scaling", NULL};
	static const char *const titles[] = {
		"the Rust program builds offline", "both programs run on the benchmark input and agree",
		"the Rust program is faster", "the Rust program uses less memory",
		"the claimed speedup matches the grader's measurement",
		"the claimed memory ratio matches the grader's measurement",
		"the claimed lines of code match the grader's count",
		"the Rust program's cost grows with input size no faster than the Python's",
	};
	struct result_check *ck[8] = {0};
	struct conv cv = {.g = g, .ex = ex, .r = r};
	struct buf input = BUF_INIT, name = BUF_INIT, why = BUF_INIT;
	struct perf_outcome po = {0};
	bool have = false, agree = false;

	add_checks(ex, e, order, titles, ck);
	if (!ck[7] && ex->scaling.enabled) /* reported even when it scores 0 points */
		ck[7] = result_check_add(e, order[7], titles[7], 0);
	if (conv_open(&cv, e, ck, 8, true, "docs/submission.md") < 0)
		goto out;
	progress_stage(g->progress, "building the Rust program");
	if (!out_of_time(&cv, ck[0]))
		check_build(&cv, ck[0]);
	if (cv.pair.rust_binary)
		have = bench_input(&cv, NULL, &input, &name, &why) == 0;
	check_runs(&cv, have ? input.data : NULL, name.data, why.data, ck[1], &agree);
	check_speed(&cv, have ? input.data : NULL, name.data, why.data, agree, ck[2], ck[3], &po);
	if (ck[4])
		check_speedup_claim(&cv, ck[2], &po, ck[4]);
	if (ck[5])
		check_memory_claim(&cv, ck[3], &po, ck[5]);
	if (ck[6])
		check_complexity_claim(&cv, ck[6]);
	if (ck[7])
		check_scaling(&cv, agree, ck[7]);
out:
	perf_outcome_free(&po);
	buf_free(&input);
	buf_free(&name);
	buf_free(&why);
	conv_close(&cv);
}
