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

/* Lines of code of both programs against the claimed counts; half the points each. */
static void check_complexity_claim(struct pair *cv, struct result_check *c)
{
	struct result_ev *ev = result_check_ev(c);
	struct claims_loc py = {0}, rs = {0};
	struct buf path = BUF_INIT, src = BUF_INIT, msg = BUF_INIT;
	char *pkg = pair_rel_to_root(cv, cv->m->rust_package);
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
	    claims_count_loc(path.data, PROGRAM_PYTHON, &py) < 0)
		py = (struct claims_loc){0};
	fs_join(&src, pkg, "src");
	pair_host_path(cv, src.data, &path);
	if (!beneath_exists_dir(cv->g->submission, src.data) ||
	    claims_count_loc(path.data, PROGRAM_RUST, &rs) < 0)
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
		result_check_hint(c,
				  "count the lines of %s and of every .rs file under %s (wc -l, or lines of code "
				  "without blanks and comments) and put them in claims.python_loc and claims.rust_loc",
				  cv->python_rel, src.data);
	free(pkg);
	buf_free(&path);
	buf_free(&src);
	buf_free(&msg);
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
		[COMPARISON_COMPLEXITY_CLAIM] = "the claimed lines of code match the grader's count",
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
