/* conversion.c: exercise 4, the Rust port of a Python script: differential runs on the learner's,
 * hidden and generated cases, minimal reproducers of a difference, speed, memory, scaling, notes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exercises/conversion.h"
#include "exercises/edges.h"
#include "exercises/notes.h"
#include "exercises/pair.h"
#include "fs.h"
#include "shrink.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

#define PAIR_EXCERPT 2000 /* bytes of output kept per excerpt in a report */

/* One input the two programs are run on. */
struct kase {
	char *name;         /* as shown to people: "cases/empty.csv", "generated seed 7", "hidden 3" */
	char *path;         /* host file */
	const char *origin; /* "learner", "hidden", "generated", "edge" */
	int seed;
	int edge; /* enum spec_edge of an edge input; -1 otherwise */
};

struct cases {
	struct kase *v;
	size_t n;
	struct buf edge_notes; /* "edge: KEY dropped: why\n" for each edge input not made */
};

/* The largest case into `out`, which it returns; NULL when there are no cases. */
static const struct pair_input *cases_largest(const struct cases *cs, struct pair_input *out)
{
	size_t best = 0;
	off_t best_size = -1;

	if (!cs->n)
		return NULL;
	for (size_t i = 0; i < cs->n; i++) {
		struct stat st;
		if (cs->v[i].edge >= 0) /* a standard edge input is no benchmark */
			continue;
		if (stat(cs->v[i].path, &st) == 0 && st.st_size > best_size) {
			best_size = st.st_size;
			best = i;
		}
	}
	out->path = cs->v[best].path;
	out->name = cs->v[best].name;
	return out;
}

static void cases_free(struct cases *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].path);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
	buf_free(&c->edge_notes);
}

static void cases_add(struct cases *c, const char *name, const char *path, const char *origin, int seed)
{
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	c->v[c->n] = (struct kase){xstrdup(name), xstrdup(path), origin, seed, -1};
	c->n++;
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
		if (e->d_name[0] == '.' || fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode) && links)
			(*links)++;
		if (!S_ISREG(st.st_mode))
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
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

/* ---- shrinking a failing generated case ---- */

struct shrink_ctx {
	struct pair *cv;
	struct buf file;
	int runs;
};

static int still_fails(void *p, const char *input, size_t len)
{
	struct shrink_ctx *s = p;
	struct sandbox_result py = SANDBOX_RESULT_INIT, rs = SANDBOX_RESULT_INIT;
	struct buf why = BUF_INIT;
	int rc;

	if (fs_write_atomic(s->file.data, input, len) < 0)
		return -1;
	s->runs++;
	rc = pair_run(s->cv, s->file.data, &why, NULL, &py, &rs);
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
static void shrink_case(struct pair *cv, const struct kase *k, struct result_ev *ev, struct buf *file)
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
	shrink_lines(input.data, input.len, still_fails, &s, &opt, &res);
	if (!res.input)
		goto out;
	result_ev_int(ev, "shrink_runs", (long long)res.calls);
	result_ev_str(ev, "shrink_status", shrink_status_name(res.status));
	result_ev_int(ev, "original_lines", count_lines(input.data, input.len));
	result_ev_int(ev, "minimal_lines", (long long)res.lines);
	result_ev_text(ev, "minimal_input", res.input, res.len, 8192, false);
	{
		/* What the two programs do on the minimal input: the learner's starting point. */
		struct sandbox_result py = SANDBOX_RESULT_INIT, rs = SANDBOX_RESULT_INIT;
		struct buf why = BUF_INIT;
		if (fs_write_atomic(s.file.data, res.input, res.len) == 0 &&
		    pair_run(cv, s.file.data, &why, NULL, &py, &rs) == 0)
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

static void check_python(struct pair *cv, struct result_check *c)
{
	static const char code[] = "import sys\n"
				   "p = sys.argv[1]\n"
				   "compile(open(p, 'rb').read(), p, 'exec')\n";
	struct buf script = BUF_INIT, inside = BUF_INIT, scratch = BUF_INIT, tail = BUF_INIT;
	struct sandbox_result res = SANDBOX_RESULT_INIT;
	struct sandbox_bind binds[2] = {{.host = cv->g->submission, .inside = "/submission"},
					{.host = cv->pair.python_dir, .inside = "/original"}};
	const char *argv[] = {"python3", "-c", code, NULL, NULL};
	struct sandbox_request req = {0};

	program_python_paths(&cv->pair, &inside, &script);
	if (!fs_is_file(script.data)) {
		if (cv->python_dir) {
			/* The spec's `original:`, the instructor's script: not the learner's fault. */
			result_check_set(c, RESULT_ERROR, 0,
					 "the instructor's original %s is missing from the spec's "
					 "folder",
					 cv->ex->original);
			result_error(cv->r, "%s: the spec's original %s does not exist", cv->ex->id,
				     cv->ex->original);
			pair_block(cv, "the instructor's original %s is missing (see check python)",
				   cv->ex->original);
		} else {
			result_check_set(c, RESULT_FAIL, 0, "the Python script %s does not exist", cv->python_rel);
			result_check_hint(c, "set python.script in %s to your original script's path",
					  cv->ex->manifest);
			pair_block(cv, "the Python script %s does not exist (see check python)", cv->python_rel);
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
		result_check_set(c, RESULT_ERROR, 0, "the Python sandbox failed: %s", res.message.data);
		result_error(cv->r, "python sandbox: %s", res.message.data);
		pair_block(cv, "a sandbox error while checking the Python original (see check python)");
		goto out;
	}
	pair_account(cv, res.wall);
	if (res.verdict != SANDBOX_OK) {
		pair_stderr_tail(&res, &tail);
		result_check_set(c, RESULT_FAIL, 0, "%s does not compile:\n%s", cv->python_rel, tail.data);
		result_ev_text(result_check_ev(c), "stderr", res.err.data, res.err.len, PAIR_EXCERPT, true);
		result_check_hint(c, "the original must be valid Python 3: run `python3 %s` yourself",
				  cv->python_rel);
		pair_block(cv, "the Python original %s does not compile (see check python)", cv->python_rel);
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

/* The generated cases, seeds 1 to the manifest's, added to `cs`. A generator that fails stops
 * them: the cases check `c` (may be NULL) says how, and the pair is blocked. */
static void generate_cases(struct pair *cv, struct cases *cs, struct result_check *c)
{
	struct buf why = BUF_INIT, path = BUF_INIT, name = BUF_INIT;
	int grc;

	for (int seed = 1; cv->m->generator && seed <= cv->m->seeds; seed++) {
		buf_reset(&why);
		if (!grade_time_left(cv->g, &why)) {
			result_warn(cv->r, "%s: generated cases %d to %d were not made: %s", cv->ex->id,
				    seed, cv->m->seeds, why.data);
			break;
		}
		progress_count(cv->g->progress, "generating cases: seed", seed, cv->m->seeds);
		if ((grc = pair_generate(cv, seed, cv->m->gen_size, "generator.size", &path, &why)) == -2) {
			result_error(cv->r, "%s: %s", cv->ex->id, why.data);
			pair_block(cv, "a sandbox error while running the generator (see the report's errors)");
			break;
		} else if (grc < 0) {
			/* The generator is the learner's: the cases check says how it failed, and the
			 * correctness check, which needs its inputs, is not run. */
			if (c) {
				char *was = xstrdup(c->message ? c->message : "");
				result_check_set(c, RESULT_FAIL, 0, "%s%s the generator failed: %s", was,
						 c->status == RESULT_PASS ? ", but" : "; and", why.data);
				free(was);
				if (!strstr(why.data, "\"Limits\"")) /* a limit's message says the fix */
					result_check_hint(c,
							  "run `python3 %s %d %d` in %s yourself: it must exit 0 and print one "
							  "input",
							  cv->m->generator, seed, cv->m->gen_size,
							  buf_str(&cv->base));
				pair_block(cv, "the generator failed (see check cases)");
			} else {
				pair_block(cv, "the generator failed: %s", why.data);
			}
			break;
		}
		buf_reset(&name);
		buf_printf(&name, "generated seed %d", seed);
		cases_add(cs, name.data, path.data, "generated", seed);
	}
	buf_free(&why);
	buf_free(&path);
	buf_free(&name);
}

/* The standard edge inputs the spec turns on (edges.h), derived from the learner's first case,
 * written into <workdir>/edge-<id>/ and added to `cs` with origin "edge". One that cannot be made
 * is noted in cs->edge_notes. */
static void add_edge_cases(struct pair *cv, struct cases *cs)
{
	const struct kase *found = NULL;
	char *first = NULL; /* the first case's name: cases_add moves cs->v */
	struct buf src = BUF_INIT, in = BUF_INIT, why = BUF_INIT, dir = BUF_INIT, path = BUF_INIT,
		   name = BUF_INIT;
	size_t long_bytes = EDGE_LONG_LINE_BYTES;
	const struct sandbox_limits *l = &cv->ex->limits;

	if (!cv->ex->edge_inputs)
		return;
	for (size_t i = 0; i < cs->n && !found; i++)
		if (!strcmp(cs->v[i].origin, "learner"))
			found = &cs->v[i];
	if (!found) {
		buf_puts(&cs->edge_notes,
			 "edge inputs not run: you have no case of your own to derive them from\n");
		return;
	}
	first = xstrdup(found->name);
	if (fs_read_file(found->path, 16u << 20, &src) < 0) {
		buf_printf(&cs->edge_notes, "edge inputs not run: your first case %s could not be read (%s)\n",
			   first, errno == EFBIG ? "over 16 MiB" : strerror(errno));
		goto out;
	}
	/* The long line stays well within what a run may print or write, should a program echo it. */
	if (l->output && l->output / 4 < long_bytes)
		long_bytes = (size_t)(l->output / 4);
	if (l->file_size && l->file_size / 4 < long_bytes)
		long_bytes = (size_t)(l->file_size / 4);
	fs_join(&dir, cv->g->workdir, "edge-");
	buf_puts(&dir, cv->ex->id);
	fs_rmtree(dir.data);
	fs_mkdirs(dir.data);
	for (int e = 0; e < SPEC_EDGE_COUNT; e++) {
		if (!(cv->ex->edge_inputs & (1u << e)))
			continue;
		buf_reset(&why);
		if (edge_make((enum spec_edge)e, src.data, src.len, long_bytes, &in, &why) < 0) {
			buf_printf(&cs->edge_notes, "edge: %s dropped: %s%s%s%s\n",
				   spec_edge_key((enum spec_edge)e), why.data,
				   strstr(why.data, "first case itself") ? " (" : "",
				   strstr(why.data, "first case itself") ? first : "",
				   strstr(why.data, "first case itself") ? ")" : "");
			continue;
		}
		if (e == SPEC_EDGE_EMPTY) {
			/* An empty case of the learner's own is the same input: it is run already. */
			const struct kase *same = NULL;
			for (size_t i = 0; i < cs->n && !same; i++) {
				struct stat st;
				if (!strcmp(cs->v[i].origin, "learner") &&
				    stat(cs->v[i].path, &st) == 0 && !st.st_size)
					same = &cs->v[i];
			}
			if (same) {
				buf_printf(&cs->edge_notes,
					   "edge: empty dropped: your case %s is empty already\n", same->name);
				continue;
			}
		}
		buf_reset(&path);
		buf_printf(&path, "%s/%s.txt", dir.data, spec_edge_key((enum spec_edge)e));
		if (fs_write_atomic(path.data, in.data ? in.data : "", in.len) < 0) {
			result_error(cv->r, "%s: cannot write the edge input %s: %s", cv->ex->id,
				     path.data, strerror(errno));
			continue;
		}
		buf_reset(&name);
		buf_printf(&name, "edge: %s", edge_title((enum spec_edge)e));
		cases_add(cs, name.data, path.data, "edge", 0);
		cs->v[cs->n - 1].edge = e;
	}
out:
	free(first);
	buf_free(&src);
	buf_free(&in);
	buf_free(&why);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&name);
}

/* How a run that failed ended, in a few words: "exit 1", "killed by signal 9", or the limit. */
static void short_run(const struct sandbox_result *res, struct buf *out)
{
	if (res->verdict == SANDBOX_RUNTIME_ERROR && res->signal)
		buf_printf(out, "killed by signal %d", res->signal);
	else if (res->verdict == SANDBOX_RUNTIME_ERROR && !(res->limit && !strcmp(res->limit, "pids")))
		buf_printf(out, "exit %d", res->exit_code);
	else
		pair_describe_run(res, out);
}

/* Writes an edge input on which the programs differ beside the report, as
 * <id>-edge-<key>.txt, whose name goes into the evidence and `file` (may be NULL). */
static void keep_edge_input(struct pair *cv, const struct kase *k, struct result_ev *ce, struct buf *file)
{
	struct buf in = BUF_INIT, name = BUF_INIT, out = BUF_INIT;

	if (!cv->g->report_dir || fs_read_file(k->path, 16u << 20, &in) < 0)
		goto out;
	buf_printf(&name, "%s-edge-%s.txt", cv->ex->id, spec_edge_key((enum spec_edge)k->edge));
	fs_join(&out, cv->g->report_dir, name.data);
	if (fs_mkdirs(cv->g->report_dir) == 0 && fs_write_atomic(out.data, in.data ? in.data : "", in.len) == 0) {
		result_ev_str(ce, "input_file", name.data);
		if (file)
			buf_puts(file, name.data);
	}
out:
	buf_free(&in);
	buf_free(&name);
	buf_free(&out);
}

static void collect_cases(struct pair *cv, struct cases *cs, struct result_check *c)
{
	struct buf dir = BUF_INIT;
	char *rel = pair_rel_to_root(cv, cv->m->cases);
	int n, links = 0;
	bool dir_is_link = false;

	n = add_case_dir(cs, cv->g->submission, rel, rel, "learner", &links);
	if (n < 0 && errno == ELOOP)
		dir_is_link = true;
	if (n > cv->ex->max_cases) {
		/* More cases than the spec runs: the first ones by name are kept. */
		result_warn(cv->r, "%s: %d cases in %s; only the first %d (by name) are run, the most this exercise allows",
			    cv->ex->id, n, rel, cv->ex->max_cases);
		for (size_t i = (size_t)cv->ex->max_cases; i < cs->n; i++) {
			/* Cases were added (n > max_cases >= 1), so cs->v is set; the analyzer loses that
			 * across add_case_dir(). NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
			free(cs->v[i].name);
			free(cs->v[i].path);
		}
		cs->n = (size_t)cv->ex->max_cases;
		if (c)
			result_ev_int(result_check_ev(c), "max", cv->ex->max_cases);
	}
	if (links)
		result_warn(cv->r, "%s: %d symbolic link%s in %s left out: a case must be a regular file",
			    cv->ex->id, links, links == 1 ? "" : "s", rel);
	if (c) {
		result_ev_int(result_check_ev(c), "learner_cases", n < 0 ? 0 : n);
		result_ev_int(result_check_ev(c), "min", cv->ex->min_cases);
		if (n < 0 && dir_is_link)
			result_check_set(c, RESULT_FAIL, 0,
					 "the cases folder %s is a symbolic link (or leads through "
					 "one): the grader reads only what is inside your repository",
					 rel);
		else if (n < 0)
			result_check_set(c, RESULT_FAIL, 0, "the cases folder %s does not exist", rel);
		else if (n < cv->ex->min_cases)
			result_check_set(c, RESULT_FAIL, 0, "%d case%s in %s; at least %d are needed", n,
					 n == 1 ? "" : "s", rel, cv->ex->min_cases);
		else
			result_check_set(c, RESULT_PASS, c->max_points, "%d cases in %s", n, rel);
		if (n < cv->ex->min_cases)
			result_check_hint(c,
					  "add input files to %s, one case per file, including edge cases "
					  "(empty input, one row, unusual values)",
					  rel);
	}
	if (cv->ex->hidden_cases) {
		spec_resolve(cv->ex, cv->ex->hidden_cases, &dir);
		add_case_dir(cs, dir.data, ".", "hidden", "hidden", NULL);
	}
	generate_cases(cv, cs, c);
	add_edge_cases(cv, cs);
	free(rel);
	buf_free(&dir);
}

/* A hidden case's difference, said without its input or outputs: how the runs ended, or that the
 * outputs differ. */
static void hide_case(const struct sandbox_result *py, const struct sandbox_result *rs, struct buf *why)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	pair_describe_run(py, &a);
	pair_describe_run(rs, &b);
	buf_reset(why);
	if (py->verdict != rs->verdict || py->exit_code != rs->exit_code || py->signal != rs->signal) {
		buf_printf(why, "the Python original %s but the Rust port %s", a.data, b.data);
		pair_limit_fix(rs, why);
	} else
		buf_puts(why, "the outputs differ (a hidden case: its input and outputs are not shown)");
	buf_free(&a);
	buf_free(&b);
}

/* What running the cases collects for the verdict. */
struct case_bufs {
	struct buf first, first_name, repro, edge_file;
	struct buf dropped; /* "edge: KEY dropped: why\n" for each edge input the original fails on */
};

/* Runs case `i` and adds it to the tally and to the check's evidence `ce`; a first difference of
 * a generated case is shrunk to a reproducer (b->repro). An edge input on which the Python
 * original fails is dropped (t->dropped), never held against the port; one on which the programs
 * differ is written beside the report (b->edge_file for the first). */
static void run_case(struct pair *cv, const struct cases *cs, size_t i, struct result_ev *ce,
		     struct conversion_tally *t, struct case_bufs *b)
{
	const struct kase *k = &cs->v[i];
	struct sandbox_result py = SANDBOX_RESULT_INIT, rs = SANDBOX_RESULT_INIT;
	struct buf why = BUF_INIT;
	bool hidden = !strcmp(k->origin, "hidden");
	int rc;

	progress_item(cv->g->progress, "case", (long)i + 1, (long)cs->n, k->name);
	result_ev_str(ce, "name", k->name);
	result_ev_str(ce, "origin", k->origin);
	rc = pair_run(cv, k->path, &why, hidden ? NULL : ce, &py, &rs);
	if (rc == 0 && hidden)
		hide_case(&py, &rs, &why);
	if (k->edge >= 0) {
		result_ev_str(ce, "edge", spec_edge_key((enum spec_edge)k->edge));
		if (rc >= 0 && py.verdict != SANDBOX_OK) {
			/* Not an input this program takes: its original does not handle it either. */
			struct buf how = BUF_INIT;
			short_run(&py, &how);
			buf_printf(&b->dropped, "edge: %s dropped: the Python original fails on it (%s)\n",
				   spec_edge_key((enum spec_edge)k->edge), how.data);
			result_ev_str(ce, "python", sandbox_verdict_name(py.verdict));
			result_ev_str(ce, "rust", sandbox_verdict_name(rs.verdict));
			result_ev_str(ce, "result", "dropped");
			result_ev_str(ce, "message", how.data);
			t->dropped++;
			buf_free(&how);
			goto out;
		}
	}
	result_ev_str(ce, "python", sandbox_verdict_name(py.verdict));
	result_ev_str(ce, "rust", sandbox_verdict_name(rs.verdict));
	result_ev_num(ce, "python_cpu", py.cpu);
	result_ev_num(ce, "rust_cpu", rs.cpu);
	if (rc < 0) {
		t->infra = true;
		result_ev_str(ce, "result", "error");
		result_error(cv->r, "%s: case %s: %s", cv->ex->id, k->name, why.data);
	} else if (rc == 1) {
		t->passed++;
		result_ev_str(ce, "result", "same");
	} else {
		result_ev_str(ce, "result", "different");
		result_ev_text(ce, "message", why.data, why.len, 4000, false);
		if (k->edge >= 0)
			keep_edge_input(cv, k, ce, b->first.len ? NULL : &b->edge_file);
		if (!b->first.len) {
			buf_printf(&b->first, "case %s: %s", k->name, why.data);
			buf_puts(&b->first_name, k->name);
		}
		if (!t->shrunk && !strcmp(k->origin, "generated") && cv->ex->shrink_max_runs > 0) {
			t->shrunk = true;
			progress_stage(cv->g->progress, "shrinking case %s to a small reproducer", k->name);
			shrink_case(cv, k, ce, &b->repro);
		}
	}
out:
	sandbox_result_free(&py);
	sandbox_result_free(&rs);
	buf_free(&why);
}

bool conversion_correctness_verdict(const struct conversion_tally *t, struct result_check *c, struct buf *unproven)
{
	if (t->unrun && !t->infra) {
		/* A case that did not run did not pass: the points are for the cases that agreed. */
		bool any_failed = t->passed < t->total - t->unrun;
		result_check_set(c, any_failed ? RESULT_FAIL : RESULT_PARTIAL,
				 c->max_points * (double)t->passed / (double)t->total,
				 "%zu of %zu cases were not run: %s; %zu of the %zu that ran agree%s%s",
				 t->unrun, t->total, t->budget, t->passed, t->total - t->unrun,
				 any_failed ? "; first difference: " : "", any_failed ? t->first : "");
		result_check_hint(c, "make both programs faster on your cases (each case's run counts against the "
				     "budget), or use fewer, smaller cases");
		buf_printf(unproven, "%zu of %zu cases were not run (see check correctness)", t->unrun, t->total);
	} else if (t->infra) {
		result_check_set(c, RESULT_ERROR, 0,
				 "the sandbox failed while running the cases; see the report's errors");
		buf_puts(unproven, "a sandbox error while running the cases (see check correctness)");
	} else if (t->passed == t->total) {
		result_check_set(c, RESULT_PASS, c->max_points,
				 "the Rust port agrees with the Python original on all %zu cases", t->total);
		return true;
	} else {
		result_check_set(c, RESULT_FAIL, c->max_points * (double)t->passed / (double)t->total,
				 "%zu of %zu cases differ; first: %s", t->total - t->passed, t->total,
				 t->first);
		buf_printf(unproven, "the programs disagree on case %s (see check correctness)", t->first_name);
		if (t->edge_file && t->edge_file[0])
			result_check_hint(c,
					  "%s is one of the grader's standard edge inputs (docs/submission.md, \"Edge "
					  "inputs\"); it is written beside the report as %s: run both programs on it",
					  t->first_name, t->edge_file);
		else if (t->repro && t->repro[0])
			result_check_hint(c,
					  "the smallest input on which they still differ is %s (beside the report, and "
					  "in the evidence as minimal_input): run both programs on it",
					  t->repro);
		else
			result_check_hint(c, "run both programs on the case named above and compare their outputs");
	}
	return false;
}

/* Adds each line of `notes` ("edge: KEY dropped: why") to the evidence list edge_dropped. */
static void edge_notes_ev(struct result_ev *ev, const struct buf *notes)
{
	const char *p = notes->data;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		struct buf line = BUF_INIT;
		buf_append(&line, p, nl ? (size_t)(nl - p) : strlen(p));
		result_ev_str(result_ev_list_add(ev, "edge_dropped"), "note", line.data);
		buf_free(&line);
		p = nl ? nl + 1 : NULL;
	}
}

static void check_correctness(struct pair *cv, struct cases *cs, struct result_check *c, bool *all_ok)
{
	struct result_ev *ev = result_check_ev(c);
	struct conversion_tally t = {.total = cs->n};
	struct case_bufs b = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	struct buf budget = BUF_INIT;

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
	for (size_t i = 0; i < cs->n && !t.infra; i++) {
		struct result_ev *ce = result_ev_list_add(ev, "cases");

		if (!budget.len && !grade_time_left(cv->g, &budget))
			t.unrun = cs->n - i;
		if (t.unrun) {
			result_ev_str(ce, "name", cs->v[i].name);
			result_ev_str(ce, "origin", cs->v[i].origin);
			result_ev_str(ce, "result", "skipped");
			continue;
		}
		run_case(cv, cs, i, ce, &t, &b);
	}
	/* A dropped edge input is no case: it neither agrees nor differs. */
	t.total = cs->n - t.dropped;
	buf_puts(&cs->edge_notes, buf_str(&b.dropped));
	edge_notes_ev(ev, &cs->edge_notes);
	result_ev_int(ev, "passed", (long long)t.passed);
	result_ev_int(ev, "total", (long long)t.total);
	result_ev_int(ev, "not_run", (long long)t.unrun);
	if (cv->ex->edge_inputs)
		result_ev_int(ev, "edge_dropped_count", (long long)t.dropped);
	t.budget = budget.data;
	t.first = b.first.data;
	t.first_name = b.first_name.data;
	t.repro = b.repro.data;
	t.edge_file = b.edge_file.data;
	*all_ok = conversion_correctness_verdict(&t, c, &cv->unproven);
	buf_free(&b.first);
	buf_free(&b.first_name);
	buf_free(&b.repro);
	buf_free(&b.edge_file);
	buf_free(&b.dropped);
	buf_free(&budget);
}

void grade_conversion(const struct grade_ctx *g, const struct spec_exercise *ex,
		      struct result_exercise *e, struct result_report *r)
{
	static const char *const order[CONVERSION_CHECK_COUNT + 1] = {
		[CONVERSION_BUILD] = "build",
		[CONVERSION_PYTHON] = "python",
		[CONVERSION_CASES] = "cases",
		[CONVERSION_CORRECTNESS] = "correctness",
		[CONVERSION_PERFORMANCE] = "performance",
		[CONVERSION_MEMORY] = "memory",
		[CONVERSION_NOTES] = "notes",
		[CONVERSION_SCALING] = "scaling",
	};
	static const char *const titles[CONVERSION_CHECK_COUNT] = {
		[CONVERSION_BUILD] = "the Rust port builds offline",
		[CONVERSION_PYTHON] = "the Python original compiles",
		[CONVERSION_CASES] = "enough cases of the learner's own",
		[CONVERSION_CORRECTNESS] = "the port's outputs match the original's",
		[CONVERSION_PERFORMANCE] = "the port is faster than the original",
		[CONVERSION_MEMORY] = "the port uses less memory than the original",
		[CONVERSION_NOTES] = "notes on the challenges and solutions",
		[CONVERSION_SCALING] = "the port's cost grows with input size no faster than the original's",
	};
	struct result_check *ck[CONVERSION_CHECK_COUNT] = {0};
	struct pair cv = {.g = g, .ex = ex, .r = r};
	struct cases cs = {0};
	bool correct = false;

	pair_add_checks(ex, e, order, titles, ck);
	if (!ck[CONVERSION_SCALING] && ex->scaling.enabled) /* reported even when it scores 0 points */
		ck[CONVERSION_SCALING] =
			result_check_add(e, order[CONVERSION_SCALING], titles[CONVERSION_SCALING], 0);
	if (ck[CONVERSION_NOTES] && ex->notes.file)
		notes_check(g->submission, &ex->notes, ck[CONVERSION_NOTES]);
	/* The notes need no manifest; the checks before them do (scaling says so below). */
	if (pair_open(&cv, e, ck, CONVERSION_NOTES, false, "docs/manifest-ex4.md") < 0) {
		const struct result_check *mem = ck[CONVERSION_MEMORY];
		if (ck[CONVERSION_SCALING])
			result_check_set(ck[CONVERSION_SCALING], RESULT_SKIPPED, 0, "%s",
					 mem && mem->message ? mem->message
							     : "not run: the manifest is missing or has errors");
		goto out;
	}

	progress_stage(g->progress, "checking the Python original");
	if (!pair_out_of_time(&cv, ck[CONVERSION_PYTHON]))
		check_python(&cv, ck[CONVERSION_PYTHON]);
	progress_stage(g->progress, "building the Rust port");
	if (!pair_out_of_time(&cv, ck[CONVERSION_BUILD]))
		pair_check_build(&cv, ck[CONVERSION_BUILD]);
	collect_cases(&cv, &cs, ck[CONVERSION_CASES]);
	if (ck[CONVERSION_CORRECTNESS])
		check_correctness(&cv, &cs, ck[CONVERSION_CORRECTNESS], &correct);
	if (ck[CONVERSION_PERFORMANCE] || ck[CONVERSION_MEMORY]) {
		struct buf input = BUF_INIT, name = BUF_INIT, why = BUF_INIT;
		struct perf_outcome po;
		struct pair_input largest;
		bool have = correct && !g->no_perf &&
			    pair_bench_input(&cv, cases_largest(&cs, &largest), &input, &name, &why) == 0;
		pair_check_speed(&cv, have ? input.data : NULL, name.data, why.data, correct,
				 ck[CONVERSION_PERFORMANCE], ck[CONVERSION_MEMORY], &po);
		perf_outcome_free(&po);
		buf_free(&input);
		buf_free(&name);
		buf_free(&why);
	}
	if (ck[CONVERSION_SCALING])
		pair_check_scaling(&cv, correct, ck[CONVERSION_SCALING]);
out:
	cases_free(&cs);
	pair_close(&cv);
}
