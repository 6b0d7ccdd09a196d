/* comparison.c: exercise 2, the learner's own pair of programs: build, one run on the benchmark
 * input, speed and memory, and the learner's claims against the grader's figures. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exercises/claims.h"
#include "exercises/comparison.h"
#include "exercises/pair.h"
#include "fs.h"
#include "num.h"
#include "banned.h"

/* Whether `rel` beneath `dir` is a folder reached without any link. */
static bool beneath_exists_dir(const char *dir, const char *rel)
{
	int fd = fs_open_beneath(dir, rel, O_RDONLY | O_DIRECTORY);

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/* ---- exercise 2: the learner's own pair, measured, and their claims checked ---- */

void comparison_claim_unmeasured(const struct result_check *measured, struct result_check *c)
{
	if (!measured)
		result_check_set(c, RESULT_SKIPPED, 0, "not measured: this exercise does not measure it");
	else if (measured->status == RESULT_SKIPPED && measured->message &&
		 !strncmp(measured->message, "not ", 4))
		result_check_set(c, RESULT_SKIPPED, 0, "%s", measured->message);
	else if (measured->status == RESULT_ERROR)
		result_check_set(c, RESULT_SKIPPED, 0, "not measured: a sandbox error (see check %s)",
				 measured->id);
	else
		result_check_set(c, RESULT_SKIPPED, 0, "not measured: %s (see check %s)",
				 measured->message ? measured->message : "no figure", measured->id);
}

/* The speedup claim against the measured interval. */
static void check_speedup_claim(struct pair *cv, const struct result_check *speed,
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
		comparison_claim_unmeasured(speed, c);
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
		result_check_hint(c,
				  "measure again on the benchmark input of %s (CPU time, several runs, median) "
				  "and report what you measure",
				  cv->ex->manifest);
	}
}

static void check_memory_claim(struct pair *cv, const struct result_check *mem,
			       const struct perf_outcome *po, struct result_check *c)
{
	struct result_ev *ev = result_check_ev(c);
	double claim = cv->m->claim_memory_ratio, f = cv->ex->claims.memory_within, ratio = po->memory.ratio;
	char cl[48], ms[48], fs[48];

	if (!claim) {
		result_check_set(c, RESULT_FAIL, 0, "no memory ratio claimed");
		result_check_hint(c,
				  "put the ratio you measured (Rust peak memory / Python peak memory) in "
				  "claims.memory_ratio of %s",
				  cv->ex->manifest);
		return;
	}
	result_ev_num(ev, "claimed", claim);
	if (!(ratio > 0) || (mem && (mem->status == RESULT_SKIPPED || mem->status == RESULT_ERROR))) {
		comparison_claim_unmeasured(mem, c);
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

/* ---- the complexity claim: lines of code, functions and complexity, counted ---- */

enum figure_kind { FIGURE_LOC, FIGURE_FUNCTIONS, FIGURE_COMPLEXITY };

struct figure {
	const char *key; /* as in the manifest's claims */
	enum figure_kind kind;
	long long claim; /* < 0: not claimed */
	int lang;        /* 0 Python, 1 Rust */
};

static const char *const method_sloc =
	"source lines of code: lines with at least one code token; blank lines, comments and Python docstrings are not counted";
static const char *const method_functions =
	"Python def and async def, Rust fn items with a body (methods and nested ones included; lambdas, closures "
	"and fn pointer types are not functions)";
static const char *const method_complexity =
	"the sum over functions of 1 + decision points (Python: if, elif, for, while, except, and, or, and match "
	"cases after the first; Rust: if, while, for, &&, ||, ?, and match arms after the first), plus 1 + the "
	"decisions outside every function when there are any";

static long long figure_count(const struct figure *f, const struct claims_code *m)
{
	return f->kind == FIGURE_LOC         ? m->sloc
	       : f->kind == FIGURE_FUNCTIONS ? m->functions
					     : m->complexity;
}

static bool figure_consistent(const struct figure *f, const struct claims_code *m, const struct spec_claims *t)
{
	if (f->claim < 0 || m->files == 0)
		return false;
	switch (f->kind) {
	case FIGURE_LOC:
		return claims_near(f->claim, m->sloc, t->loc_within, 2);
	case FIGURE_FUNCTIONS:
		return claims_functions_consistent(f->claim, m->functions, t->functions_within);
	case FIGURE_COMPLEXITY:
		return claims_near(f->claim, m->complexity, t->complexity_within, 1);
	}
	return false;
}

/* "def main, def parse, …" or "fn main 10, fn parse 6, …": the functions that make a figure. */
static void put_functions(struct buf *b, const struct claims_fn *fns, size_t n, size_t shown_max,
			  long long total, int lang, bool with_cc)
{
	size_t shown = n < shown_max ? n : shown_max;

	if (total == 0) {
		buf_puts(b, "no function");
		return;
	}
	for (size_t i = 0; i < shown; i++) {
		buf_printf(b, "%s%s %s", i ? ", " : "", lang ? "fn" : "def", fns[i].name);
		if (with_cc)
			buf_printf(b, " %ld", fns[i].cc);
	}
	if ((long long)shown < total)
		buf_puts(b, shown ? ", …" : "…");
}

static void put_figure_off(struct buf *b, const struct figure *f, const struct claims_code *m, const char *where)
{
	static const char *const unit[] = {"lines of code", "functions", "of total complexity"};
	long long count = figure_count(f, m);

	if (f->claim < 0) {
		buf_printf(b, "%s: not claimed (the grader counts %lld %s)", f->key, count, unit[f->kind]);
		return;
	}
	if (m->files == 0) {
		buf_printf(b, "%s: you claim %lld, but the grader found no %s file to count in %s",
			   f->key, f->claim, f->lang ? ".rs" : ".py", where);
		return;
	}
	buf_printf(b, "%s: you claim %lld, the grader counts %lld (", f->key, f->claim, count);
	if (f->kind == FIGURE_LOC)
		buf_printf(b, "lines with code, without blank lines, comments%s; %lld lines in all",
			   f->lang ? "" : " and docstrings", m->lines);
	else if (f->kind == FIGURE_FUNCTIONS)
		put_functions(b, m->first, m->nfirst, 5, m->functions, f->lang, false);
	else
		put_functions(b, m->top, m->ntop, 3, m->functions, f->lang, true);
	if (f->kind == FIGURE_COMPLEXITY && m->top_level > 0)
		buf_printf(b, "; top level %lld", m->top_level);
	buf_puts(b, ")");
}

static void figures_evidence(struct result_ev *le, const struct claims_code *m, const char *counted)
{
	result_ev_str(le, "counted", counted);
	result_ev_int(le, "files", m->files);
	if (m->capped)
		result_ev_bool(le, "capped", true);
	result_ev_int(le, "lines", m->lines);
	result_ev_int(le, "sloc", m->sloc);
	result_ev_int(le, "functions", m->functions);
	result_ev_int(le, "complexity", m->complexity);
	result_ev_int(le, "top_level_complexity", m->top_level);
	for (size_t i = 0; i < m->ntop; i++) {
		struct result_ev *t = result_ev_list_add(le, "most_complex");
		struct buf file = BUF_INIT;

		if (*m->top[i].file)
			fs_join(&file, counted, m->top[i].file);
		else
			buf_puts(&file, counted);
		result_ev_str(t, "file", file.data);
		result_ev_int(t, "line", m->top[i].line);
		result_ev_str(t, "name", m->top[i].name);
		result_ev_int(t, "complexity", m->top[i].cc);
		buf_free(&file);
	}
}

/* Lines of code, functions and complexity of both programs against the claimed figures: the
 * points are shared among the figures judged (both line counts always, the others when claimed). */
static void check_complexity_claim(struct pair *cv, struct result_check *c)
{
	struct result_ev *ev = result_check_ev(c), *le[2];
	struct claims_code m[2] = {{0}};
	struct buf path = BUF_INIT, src = BUF_INIT, off = BUF_INIT, good_list = BUF_INIT;
	char *pkg = pair_rel_to_root(cv, cv->m->rust_package);
	const struct spec_claims *t = &cv->ex->claims;
	const struct spec_conversion *mf = cv->m;
	const struct figure all[] = {
		{"python_loc", FIGURE_LOC, mf->claim_python_loc > 0 ? mf->claim_python_loc : -1, 0},
		{"rust_loc", FIGURE_LOC, mf->claim_rust_loc > 0 ? mf->claim_rust_loc : -1, 1},
		{"python_functions", FIGURE_FUNCTIONS, mf->claim_python_functions, 0},
		{"rust_functions", FIGURE_FUNCTIONS, mf->claim_rust_functions, 1},
		{"python_complexity", FIGURE_COMPLEXITY,
		 mf->claim_python_complexity > 0 ? mf->claim_python_complexity : -1, 0},
		{"rust_complexity", FIGURE_COMPLEXITY,
		 mf->claim_rust_complexity > 0 ? mf->claim_rust_complexity : -1, 1},
	};
	const char *where[2];
	int judged = 0, good = 0, nbad = 0;
	bool lang_ok[2] = {true, true};

	/* Only what is in the submission is counted, reached without links (claims_count_code does
	 * not follow links inside the folders it walks). */
	program_python_paths(&cv->pair, NULL, &path);
	if ((!cv->python_dir && !fs_is_file_beneath(cv->g->submission, cv->python_rel)) ||
	    claims_count_code(path.data, PROGRAM_PYTHON, &m[0]) < 0)
		claims_code_free(&m[0]);
	fs_join(&src, pkg, "src");
	pair_host_path(cv, src.data, &path);
	if (!beneath_exists_dir(cv->g->submission, src.data) ||
	    claims_count_code(path.data, PROGRAM_RUST, &m[1]) < 0)
		claims_code_free(&m[1]);
	where[0] = cv->python_rel;
	where[1] = src.data;
	result_ev_str(ev, "method_sloc", method_sloc);
	result_ev_str(ev, "method_functions", method_functions);
	result_ev_str(ev, "method_complexity", method_complexity);
	result_ev_num(ev, "loc_within", t->loc_within);
	result_ev_int(ev, "functions_within", t->functions_within);
	result_ev_num(ev, "complexity_within", t->complexity_within);
	for (int i = 0; i < 2; i++) {
		le[i] = result_ev_obj(ev, i ? "rust" : "python");
		figures_evidence(le[i], &m[i], where[i]);
	}
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const struct figure *f = &all[i];
		const struct claims_code *mc = &m[f->lang];
		struct result_ev *fe;
		bool ok;

		if (f->kind != FIGURE_LOC && f->claim < 0)
			continue;
		ok = figure_consistent(f, mc, t);
		judged++;
		good += ok;
		lang_ok[f->lang] = lang_ok[f->lang] && ok;
		fe = result_ev_list_add(ev, "figures");
		result_ev_str(fe, "figure", f->key);
		if (f->claim >= 0)
			result_ev_int(fe, "claimed", f->claim);
		result_ev_int(fe, "counted", figure_count(f, mc));
		result_ev_bool(fe, "consistent", ok);
		if (f->claim >= 0) /* kept beside the counts, as the terminal summary reads them */
			result_ev_int(le[f->lang],
				      f->kind == FIGURE_LOC         ? "claimed"
				      : f->kind == FIGURE_FUNCTIONS ? "claimed_functions"
								    : "claimed_complexity",
				      f->claim);
		if (ok) {
			buf_printf(&good_list, "%s%s %lld (counted %lld)", good_list.len ? ", " : "",
				   f->key, f->claim, figure_count(f, mc));
		} else {
			if (nbad++)
				buf_puts(&off, "; ");
			put_figure_off(&off, f, mc, where[f->lang]);
		}
	}
	for (int i = 0; i < 2; i++)
		result_ev_bool(le[i], "consistent", lang_ok[i]);
	if (good == judged) {
		result_check_set(c, RESULT_PASS, c->max_points,
				 "every claim matches the grader's counts: %s", good_list.data);
	} else {
		result_check_set(c, RESULT_FAIL, c->max_points * good / judged, "%s%s%s", off.data,
				 good ? "; consistent: " : "", good_list.data);
		result_check_hint(c,
				  "count as the grader does (docs/submission.md, \"How the grader counts\"): lines with "
				  "code of %s and of every .rs file under %s, functions, and their complexity; put them in "
				  "the claims of %s",
				  cv->python_rel, src.data, cv->ex->manifest);
	}
	free(pkg);
	claims_code_free(&m[0]);
	claims_code_free(&m[1]);
	buf_free(&path);
	buf_free(&src);
	buf_free(&off);
	buf_free(&good_list);
}

/* Both programs on the benchmark input, once: they must run and agree. */
static void check_runs(struct pair *cv, const char *input, const char *name, const char *no_input,
		       struct result_check *c, bool *ok)
{
	struct sandbox_result py = SANDBOX_RESULT_INIT, rs = SANDBOX_RESULT_INIT;
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
		pair_unproven_cause(cv, "not run: ", &why);
		result_check_set(c, RESULT_SKIPPED, 0, "%s", why.data);
		buf_free(&why);
		return;
	}
	if (!input) {
		result_check_set(c, RESULT_FAIL, 0, "cannot make the benchmark input: %s", no_input);
		buf_puts(&cv->unproven, "the benchmark input could not be made (see check runs)");
		return;
	}
	if (pair_out_of_time(cv, c)) {
		buf_puts(&cv->unproven, cv->blocked.data);
		return;
	}
	result_ev_str(ev, "benchmark_input", name);
	result_ev_str(ev, "compare_mode", outdiff_mode_name(cv->cmp.mode));
	progress_stage(cv->g->progress, "running both programs on the benchmark input");
	rc = pair_run(cv, input, &why, ev, &py, &rs);
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
	static const char *const order[COMPARISON_CHECK_COUNT + 1] = {
		[COMPARISON_BUILD] = "build",
		[COMPARISON_RUNS] = "runs",
		[COMPARISON_PERFORMANCE] = "performance",
		[COMPARISON_MEMORY] = "memory",
		[COMPARISON_SPEEDUP_CLAIM] = "speedup_claim",
		[COMPARISON_MEMORY_CLAIM] = "memory_claim",
		[COMPARISON_COMPLEXITY_CLAIM] = "complexity_claim",
		[COMPARISON_SCALING] = "scaling",
	};
	static const char *const titles[COMPARISON_CHECK_COUNT] = {
		[COMPARISON_BUILD] = "the Rust program builds offline",
		[COMPARISON_RUNS] = "both programs run on the benchmark input and agree",
		[COMPARISON_PERFORMANCE] = "the Rust program is faster",
		[COMPARISON_MEMORY] = "the Rust program uses less memory",
		[COMPARISON_SPEEDUP_CLAIM] = "the claimed speedup matches the grader's measurement",
		[COMPARISON_MEMORY_CLAIM] = "the claimed memory ratio matches the grader's measurement",
		[COMPARISON_COMPLEXITY_CLAIM] =
			"the claimed lines of code, functions and complexity match the grader's counts",
		[COMPARISON_SCALING] = "the Rust program's cost grows with input size no faster than the Python's",
	};
	struct result_check *ck[COMPARISON_CHECK_COUNT] = {0};
	struct pair cv = {.g = g, .ex = ex, .r = r};
	struct buf input = BUF_INIT, name = BUF_INIT, why = BUF_INIT;
	struct perf_outcome po = {.message = BUF_INIT};
	bool have = false, agree = false;

	pair_add_checks(ex, e, order, titles, ck);
	if (!ck[COMPARISON_SCALING] && ex->scaling.enabled) /* reported even when it scores 0 points */
		ck[COMPARISON_SCALING] =
			result_check_add(e, order[COMPARISON_SCALING], titles[COMPARISON_SCALING], 0);
	if (pair_open(&cv, e, ck, COMPARISON_CHECK_COUNT, true, "docs/submission.md") < 0)
		goto out;
	progress_stage(g->progress, "building the Rust program");
	if (!pair_out_of_time(&cv, ck[COMPARISON_BUILD]))
		pair_check_build(&cv, ck[COMPARISON_BUILD]);
	if (cv.pair.rust_binary)
		have = pair_bench_input(&cv, NULL, &input, &name, &why) == 0;
	check_runs(&cv, have ? input.data : NULL, name.data, why.data, ck[COMPARISON_RUNS], &agree);
	pair_check_speed(&cv, have ? input.data : NULL, name.data, why.data, agree,
			 ck[COMPARISON_PERFORMANCE], ck[COMPARISON_MEMORY], &po);
	if (ck[COMPARISON_SPEEDUP_CLAIM])
		check_speedup_claim(&cv, ck[COMPARISON_PERFORMANCE], &po, ck[COMPARISON_SPEEDUP_CLAIM]);
	if (ck[COMPARISON_MEMORY_CLAIM])
		check_memory_claim(&cv, ck[COMPARISON_MEMORY], &po, ck[COMPARISON_MEMORY_CLAIM]);
	if (ck[COMPARISON_COMPLEXITY_CLAIM])
		check_complexity_claim(&cv, ck[COMPARISON_COMPLEXITY_CLAIM]);
	if (ck[COMPARISON_SCALING])
		pair_check_scaling(&cv, agree, ck[COMPARISON_SCALING]);
out:
	perf_outcome_free(&po);
	buf_free(&input);
	buf_free(&name);
	buf_free(&why);
	pair_close(&cv);
}
