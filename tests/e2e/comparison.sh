#!/usr/bin/env bash
# End to end: exercise 2, the learner's own Python/Rust pair: built, run once on the benchmark
# input, measured, and the learner's claims (speedup, memory ratio, lines of code, functions,
# complexity) set against the grader's own figures. Runs the sanitizer build of the grader.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
work=$T/work reports=$T/reports

grade2() { # DIR LEARNER [EXTRA ARGS]
	local dir=$1 learner=$2
	shift 2
	run_grader grade "$dir" --learner "$learner" --work "$work" --reports "$reports" --only ex2 "$@"
	if grep -q Sanitizer "$T/err"; then fail "$learner: no sanitizer report" "$(grep -A20 Sanitizer "$T/err" | head -30)"; fi
}
# check NAME LEARNER PYTHON-EXPRESSION: an assertion on the learner's ex2 (see check_exercise).
check() { check_exercise "$1" "$reports/$2/report.json" ch01-ex2 "$3"; }
# A copy of the correct example's ex2 to edit.
copy() { rm -rf "$T/$1"; mkdir -p "$T/$1"; cp -r submissions/examples/correct/ex2 "$T/$1/"; }
claims() { # LEARNER SPEEDUP MEMORY PY_LOC RS_LOC
	sed -i -e "s/^  speedup: .*/  speedup: $2/" -e "s/^  memory_ratio: .*/  memory_ratio: $3/" \
		-e "s/^  python_loc: .*/  python_loc: $4/" -e "s/^  rust_loc: .*/  rust_loc: $5/" "$T/$1/ex2/comparison.yaml"
}

grade2 submissions/examples/correct correct
expect "the correct example's pair and claims pass" 0 'ch01-ex2 pass'
check "correct: every check passes with full points" correct \
	'all(k["status"] == "pass" for k in ex["checks"]) and ex["points"] == ex["max_points"] == 20'
check "correct: the measured speedup keeps its interval and samples" correct \
	'c["performance"]["evidence"]["measurement"]["speedup"]["low"] > 10 and len(c["performance"]["evidence"]["measurement"]["samples"]) >= 20'
check "correct: the speedup claim's evidence holds the claim and the accepted range" correct \
	'(lambda e: e["claimed"] == 32 and e["accepted_low"] <= 32 <= e["accepted_high"] and abs(e["accepted_low"] * 2 - e["measured_low"]) < 1e-9)(c["speedup_claim"]["evidence"])'
check "correct: counted by tokens: 34 and 49 lines of code of 43 and 53, one function each, complexity 16 and 10" correct \
	'(lambda e: (e["python"]["lines"], e["python"]["sloc"], e["python"]["functions"], e["python"]["complexity"]) == (43, 34, 1, 16) and (e["rust"]["lines"], e["rust"]["sloc"], e["rust"]["functions"], e["rust"]["complexity"]) == (53, 49, 1, 10) and e["rust"]["files"] == 1 and len(e["figures"]) == 6 and all(f["consistent"] for f in e["figures"]))(c["complexity_claim"]["evidence"])'
check "correct: the evidence names the method and the most complex functions" correct \
	'(lambda e: "docstrings" in e["method_sloc"] and "1 + decision points" in e["method_complexity"] and e["python"]["most_complex"] == [{"file": "ex2/python/kmeans.py", "line": 9, "name": "main", "complexity": 14}] and e["rust"]["most_complex"][0]["file"] == "ex2/rust/src/main.rs" and e["functions_within"] == 1 and e["complexity_within"] == 0.2)(c["complexity_claim"]["evidence"])'
expect "the summary shows the lines of code claimed and counted" 0 'complexity_claim: pass  you claimed 34 lines of Python and 49 of Rust; counted 34 and 49'

copy wrong-claims
claims wrong-claims 500.0 0.01 34 200
grade2 "$T/wrong-claims" wrong-claims
check "inflated claims fail, each naming the grader's own figure" wrong-claims \
	'c["speedup_claim"]["status"] == "fail" and "claimed 500x, but the grader measured" in c["speedup_claim"]["message"] and c["memory_claim"]["status"] == "fail" and "0.01" in c["memory_claim"]["message"]'
check "a wrong Rust line count loses its sixth of the complexity points, named with the grader's count" wrong-claims \
	'abs(c["complexity_claim"]["points"] - 2 * 5 / 6) < 0.01 and c["complexity_claim"]["message"].startswith("rust_loc: you claim 200, the grader counts 49 (") and "consistent: python_loc 34 (counted 34)" in c["complexity_claim"]["message"]'
check "wrong claims leave the measured checks alone" wrong-claims \
	'all(c[k]["status"] == "pass" for k in ("build", "runs", "performance", "memory"))'

# Two more Rust functions than claimed: the figure that is off is named with the functions counted.
copy wrong-functions
cat >>"$T/wrong-functions/ex2/rust/src/main.rs" <<'RS'

#[allow(dead_code)]
fn parse(s: &str) -> f64 { s.trim().parse().unwrap_or(0.0) }
#[allow(dead_code)]
fn norm(x: f64, y: f64) -> f64 { (x * x + y * y).sqrt() }
RS
grade2 "$T/wrong-functions" wrong-functions --no-perf
check "a wrong function count fails naming the figure, the claim, the count and the functions" wrong-functions \
	'c["complexity_claim"]["status"] == "fail" and c["complexity_claim"]["message"].startswith("rust_functions: you claim 1, the grader counts 3 (fn main, fn parse, fn norm); consistent: python_loc 34 (counted 34), rust_loc 49 (counted 53)") and abs(c["complexity_claim"]["points"] - 2 * 5 / 6) < 0.01'

copy no-claims
sed -i '/^claims:/,$d' "$T/no-claims/ex2/comparison.yaml"
grade2 "$T/no-claims" no-claims
check "missing claims fail with a hint that names the key" no-claims \
	'c["speedup_claim"]["message"] == "no speedup claimed" and "claims.speedup" in c["speedup_claim"]["hint"] and c["memory_claim"]["status"] == "fail" and c["complexity_claim"]["points"] == 0'

copy vendored-rs
mkdir -p "$T/vendored-rs/ex2/rust/vendor/big/src"
seq 1 5000 | sed 's/.*/fn f&() {}/' >"$T/vendored-rs/ex2/rust/vendor/big/src/lib.rs"
grade2 "$T/vendored-rs" vendored-rs --no-perf
expect "the summary says how many points --no-perf left unmeasured" 1 '10\.0 of the 20\.0 points are in skipped checks \(not run, or not measured with --no-perf\)'
check "only src/ is counted: a vendored crate's code is not the learner's" vendored-rs \
	'c["complexity_claim"]["status"] == "pass" and c["complexity_claim"]["evidence"]["rust"]["lines"] == 53'
check "--no-perf skips the speed and memory checks and the claims on them" vendored-rs \
	'all(c[k]["status"] == "skipped" for k in ("performance", "memory", "speedup_claim", "memory_claim"))'

copy disagree
sed -i 's/println!("/println!("x/' "$T/disagree/ex2/rust/src/main.rs"
grade2 "$T/disagree" disagree
check "programs that disagree on the benchmark input fail 'runs', with the place" disagree \
	'c["runs"]["status"] == "fail" and "line 1" in c["runs"]["message"] and c["performance"]["status"] == "skipped" and c["speedup_claim"]["status"] == "skipped"'

copy broken
echo 'fn broken( {' >>"$T/broken/ex2/rust/src/main.rs"
grade2 "$T/broken" broken --no-perf
check "a Rust program that does not build: build fails with the compiler's position, runs is skipped" broken \
	'c["build"]["status"] == "fail" and c["build"]["evidence"]["line"] > 0 and c["runs"]["status"] == "skipped"'

mkdir -p "$T/nomanifest/ex2"
grade2 "$T/nomanifest" nomanifest
check "no comparison.yaml: one check fails, the others are skipped naming the file, and the message names it" nomanifest \
	'ex["status"] == "fail" and [k["status"] for k in ex["checks"]][0] == "fail" and all(k["status"] == "skipped" and k["message"] == "not run: ex2/comparison.yaml is missing" for k in ex["checks"][1:]) and "ex2/comparison.yaml not found" in ex["message"]'
