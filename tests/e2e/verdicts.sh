#!/usr/bin/env bash
# End to end: the speed verdicts of issue 11 through `grader grade` on exercise 2 (the learner's own
# pair): a port much slower than a short Python original fails with both times in the message; a
# fast port on a too short Python is inconclusive with reason input_too_small (never fail) and
# earns the spec's too_small_credit; a precision asked for keeps sampling and says whether it was
# reached; and (exercise 4) a port over its CPU limit on the benchmark only fails the speed check
# while the unmeasured memory check is skipped with its reason. Python's start-up alone costs
# about half a second of CPU here, so "too short" is made by the spec (min_python_cpu: 30s), not
# by a tiny input. Runs the sanitizer build of the grader.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
work=$T/work reports=$T/reports

grade2() { # DIR LEARNER SPEC
	run_grader grade "$1" --learner "$2" --spec "$3" --work "$work" --reports "$reports" --only ex2
	if grep -q Sanitizer "$T/err"; then fail "$2: no sanitizer report" "$(grep -A20 Sanitizer "$T/err" | head -30)"; fi
}
check() { check_exercise "$1" "$reports/$2/report.json" ch01-ex2 "$3"; }
copy() { rm -rf "$T/$1"; mkdir -p "$T/$1"; cp -r submissions/examples/correct/ex2 "$T/$1/"; }
# spec NAME SED-SCRIPT: a copy of the chapter's specs with ex2's performance keys edited.
spec() { rm -rf "$T/$1"; cp -R specs/ch01 "$T/$1"; sed -i "$2" "$T/$1/ex2.yaml"; }

# A short baseline: Python's ~0.5-1 s of CPU is below a 30 s minimum; few runs keep it quick.
spec short 's/^  min_python_cpu: .*/  min_python_cpu: 30s/; s/^  too_small_credit: .*/  too_small_credit: 0.5/; s/^  runs: {.*/  runs: {min: 5, max: 8}/'

# 1. A port about 3x slower than its original: 3e9 steps of busy work (about 2 s) before the real
#    work, on a small benchmark input. The interval lies wholly below 1x: fail, whatever Python's time.
copy slow
sed -i 's/^fn main() {$/fn main() {\n    let mut spin: u64 = 1;\n    for i in 0..3_000_000_000u64 {\n        spin = std::hint::black_box(spin ^ (spin << 13) ^ i);\n    }\n    if spin == 42 {\n        eprintln!("{}", spin);\n    }/' "$T/slow/ex2/rust/src/main.rs"
grep -q 'black_box' "$T/slow/ex2/rust/src/main.rs" || fail "the slow port is made" "main.rs has no busy loop"
sed -i 's/^benchmark: .*/benchmark: {generate: {seed: 1, size: 2000}}/' "$T/slow/ex2/comparison.yaml"
grade2 "$T/slow" slow "$T/short"
check "a port slower than a short original fails, both times and 'slower' in the message" slow \
	'c["runs"]["status"] == "pass" and c["performance"]["status"] == "fail" and c["performance"]["points"] == 0 and __import__("re").search(r"Rust took [0-9.]+ (s|ms) of CPU time, Python [0-9.]+ (s|ms) \(medians of [0-9]+ runs each\): the port is [0-9.]+x slower", c["performance"]["message"]) is not None'
check "the slow port's evidence: verdict fail, interval wholly below 1, a baseline below the minimum" slow \
	'(lambda m: m["verdict"] == "fail" and m["speedup"]["high"] < 1 and m["median_cpu"]["baseline"] < 30)(c["performance"]["evidence"]["measurement"])'
check "the slow port's message never says 'as fast' nor prints an exponent" slow \
	'"as fast" not in c["performance"]["message"] and "e+" not in c["performance"]["message"]'
check "each sample names its measurement method, and the measurement names it once" slow \
	'(lambda m: all(s.get("method") in ("cgroup-v1", "cgroup-v2", "rusage-pid1") for s in m["samples"]) and m["measured_by"] == m["samples"][0]["method"])(c["performance"]["evidence"]["measurement"])'

# 2. The correct (fast) port on the same too short baseline: inconclusive, reason input_too_small,
#    the spec's credit (half of 2 points), the speedup seen and the input size to aim for.
copy fast
grade2 "$T/fast" fast "$T/short"
check "a fast port on a too short baseline is inconclusive (input_too_small), not fail" fast \
	'c["performance"]["status"] == "inconclusive" and c["performance"]["evidence"]["reason"] == "input_too_small" and c["performance"]["evidence"]["measurement"]["verdict"] == "invalid_input"'
check "input_too_small earns too_small_credit of the points" fast \
	'c["performance"]["points"] == 1.0 and c["performance"]["max_points"] == 2'
check "the message gives both times, the speedup seen and how much larger an input to give" fast \
	'all(s in c["performance"]["message"] for s in ("benchmark input too small: Python ran", "of CPU time", "Rust took", "x faster", "give a larger input: about")) and c["performance"]["evidence"]["input_scale"] >= 20'
check "the hint gives the range of sizes: here none, the size Python needs being past what 4 MiB holds" fast \
	'__import__("re").search(r"no generated size works: Python would need about [0-9]+ to run 30 s of CPU time, but a generated input may hold at most 4 MiB \(about [0-9]+\)", c["performance"]["hint"]) is not None'
check "memory is still judged when the input is too small for speed" fast \
	'c["memory"]["status"] in ("pass", "fail") and c["memory"]["evidence"]["rust_peak_bytes"] > 0'

# 3. A precision no 8 runs can give: the verdict stands, sampling went to max runs, and both the
#    evidence and the message say the precision was not reached.
spec precise 's/^  precision: .*/  precision: 0.0001/; s/^  runs: {.*/  runs: {min: 5, max: 8}/'
grade2 submissions/examples/correct precise "$T/precise"
check "a precision out of reach: pass stands, 8 runs each, precision not reached, max_runs named" precise \
	'(lambda m: c["performance"]["status"] == "pass" and m["pairs"] == 8 and m["precision"]["target"] == 0.0001 and m["precision"]["reached"] is False and m["precision"]["ran_out"] == "max_runs")(c["performance"]["evidence"]["measurement"])'
check "the message says the precision was not reached" precise \
	'"short of the 0.01% asked: the maximum number of runs was reached first" in c["performance"]["message"]'

# 4. Exercise 4: a port right on every (small) case that exceeds its CPU limit on the large
#    benchmark input only (the cpu limit, or the wall limit first on a loaded machine). The speed
#    check fails with the run's fault; the memory check, which could not be measured, is skipped
#    with the reason (not failed, not an error).
rm -rf "$T/limit" && mkdir -p "$T/limit" && cp -r submissions/examples/correct/ex4 "$T/limit/"
sed -i 's/^fn main() -> ExitCode {$/fn main() -> ExitCode {\n    if std::fs::metadata(std::env::args().nth(1).unwrap_or_default()).map_or(false, |m| m.len() > 1_000_000) {\n        let mut spin: u64 = 1;\n        loop {\n            spin = std::hint::black_box(spin ^ (spin << 13));\n        }\n    }/' "$T/limit/ex4/rust/src/main.rs"
grep -q 'black_box' "$T/limit/ex4/rust/src/main.rs" || fail "the port that spins on large inputs is made" "main.rs has no busy loop"
rm -rf "$T/nosc" && cp -R specs/ch01 "$T/nosc" && no_scaling "$T/nosc/ex4.yaml" && no_edges "$T/nosc/ex4.yaml" # about speed and memory only
run_grader grade "$T/limit" --learner limit --spec "$T/nosc" --work "$work" --reports "$reports" --only ex4
check_exercise "a port over its time limit on the benchmark: speed fails, memory is skipped with the reason" "$reports/limit/report.json" ch01-ex4 \
	'c["correctness"]["status"] == "pass" and c["performance"]["status"] == "fail" and __import__("re").search(r"time limit of [0-9.]+ m?s on the benchmark input; make the program faster", c["performance"]["message"]) is not None and c["memory"]["status"] == "skipped" and c["memory"]["evidence"]["reason"] == "run_failed" and c["memory"]["message"].startswith("not measured: ")'

# Every report written above follows reports/schema.json.
if /usr/bin/python3 - "$GRADER_ROOT/reports/schema.json" "$reports" <<'PY' >"$T/schema.out" 2>&1; then ok "every report validates against reports/schema.json"; else fail "every report validates against reports/schema.json" "$(cat "$T/schema.out")"; fi
import glob, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
files = glob.glob(sys.argv[2] + "/*/report.json")
assert len(files) == 4, files
for f in files:
    jsonschema.validate(json.load(open(f)), schema)
PY
