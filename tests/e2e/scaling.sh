#!/usr/bin/env bash
# End to end: the scaling check (exercise 4) on ports of known cost against a linear Python script
# (tests/e2e/scaling-fixtures): a linear port passes, an n log n port passes with the tolerance
# of 0.3, a quadratic port fails and the hint names a search in a loop; and the check is skipped,
# with its reason, under --no-perf or without a generator, and inconclusive when the sizes are too
# small to tell from start-up. One grading per case (tests/bench/scaling.sh repeats them 10 times).
# test: serial (fits exponents to CPU times: a concurrent suite widened the interval to inconclusive)
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
fx=tests/e2e/scaling-fixtures
started=$(date +%s)

# The chapter's spec with points on scaling and none on speed and memory: their measurement would
# take minutes and is not what is tested here.
cp -r specs/ch01 "$T/spec"
sed -i -e 's/^  performance: 5$/  performance: 0/' -e 's/^  memory: 4$/  memory: 0/' \
	-e 's/^  scaling: 0 .*/  scaling: 4/' "$T/spec/ex4.yaml"
no_edges "$T/spec/ex4.yaml" # a quadratic port's 1 MiB line would fail correctness, not scaling
if grep -q '^  scaling: 4$' "$T/spec/ex4.yaml" && grep -q '^  performance: 0$' "$T/spec/ex4.yaml"; then
	ok "the test spec scores scaling and not speed"
else
	fail "the test spec scores scaling and not speed" "$(tail -12 "$T/spec/ex4.yaml")"
fi

sub() { # NAME PORT: a submission with the fixture's ex4 and the port ports/PORT.rs
	rm -rf "$T/$1"
	mkdir -p "$T/$1"
	cp -r "$fx/ex4" "$T/$1/"
	cp "$fx/ports/$2.rs" "$T/$1/ex4/rust/src/main.rs"
}
grade4() { # NAME [EXTRA ARGS]; the spec is $SPEC, else $T/spec
	local name=$1
	shift
	run_grader grade "$T/$name" --learner "$name" --spec "${SPEC:-$T/spec}" --work "$T/work-$name" \
		--reports "$T/reports" --only ex4 "$@"
	if grep -q Sanitizer "$T/err"; then fail "$name: no sanitizer report" "$(grep -A20 Sanitizer "$T/err" | head -30)"; fi
}
check() { check_exercise "$1" "$T/reports/$2/report.json" ch01-ex4 "$3"; }

sub linear linear
grade4 linear
check "linear port of a linear script: scaling passes with its points" linear \
	'c["correctness"]["status"] == "pass" and c["scaling"]["status"] == "pass" and c["scaling"]["points"] == 4'
check "linear: both exponents near 1 after the fixed cost is taken off" linear \
	'(lambda e: 0.75 < e["python"]["exponent"] < 1.25 and 0.75 < e["rust"]["exponent"] < 1.25 and 0 < e["python"]["fixed_cost"] < e["python"]["min_cpu"][0] and e["sizes"] == [1, 3000, 6000, 12000, 24000])(c["scaling"]["evidence"])'
check "linear: the message gives both exponents" linear \
	'"Python grows as n^" in c["scaling"]["message"] and "your port as n^" in c["scaling"]["message"] and "within the 0.3 allowed" in c["scaling"]["message"]'

sub nlogn nlogn
grade4 nlogn
check "n log n port of a linear script passes with a tolerance of 0.3" nlogn \
	'c["scaling"]["status"] == "pass" and c["scaling"]["evidence"]["rust"]["exponent"] < 1.3'

sub quadratic quadratic
grade4 quadratic
check "quadratic port of a linear script fails, its exponent well above the original's" quadratic \
	'c["scaling"]["status"] == "fail" and c["scaling"]["points"] == 0 and c["scaling"]["evidence"]["difference_low"] > 0.3 and c["scaling"]["evidence"]["rust"]["exponent"] > 1.4'
check "quadratic: the hint names a loop that searches a list" quadratic \
	'"a loop that searches a list" in c["scaling"]["hint"] and "HashSet" in c["scaling"]["hint"] and "more than the 0.3 allowed" in c["scaling"]["message"]'

grade4 linear --no-perf
check "--no-perf skips the scaling check and says so" linear \
	'c["scaling"]["status"] == "skipped" and "--no-perf" in c["scaling"]["message"]'

sub nogen linear
python3 "$fx/ex4/gen/numbers.py" 3 2000 >"$T/nogen/ex4/cases/bench.txt"
sed -i -e '/^generator:/,/^  size:/d' -e 's/^  generate: .*/  file: cases\/bench.txt/' "$T/nogen/ex4/exercise.yaml"
grade4 nogen
check "without a generator the check is skipped with its reason" nogen \
	'c["correctness"]["status"] == "pass" and c["scaling"]["status"] == "skipped" and "no generator" in c["scaling"]["message"]'

# (3 rounds, one look: more would not help sizes this small.)
cp -r "$T/spec" "$T/spec3"
sed -i 's/^  runs: 10 .*/  runs: 3/' "$T/spec3/ex4.yaml"
sub tiny linear
sed -i 's/size: 24000}/size: 16}/' "$T/tiny/ex4/exercise.yaml"
SPEC=$T/spec3 grade4 tiny
check "sizes too small to tell from start-up are inconclusive, with the reason" tiny \
	'c["scaling"]["status"] == "inconclusive" and "too close to its fixed cost" in c["scaling"]["message"] and "benchmark.generate.size" in c["scaling"]["hint"]'

# The bundled spec reports the check without scoring it.
run_grader grade "$T/linear" --learner bundled --work "$T/work-linear" --reports "$T/reports" --only ex4 --no-perf
check "the chapter's spec lists scaling with 0 points" bundled \
	'c["scaling"]["max_points"] == 0 and c["scaling"]["status"] == "skipped" and ex["max_points"] == 40'
echo "# scaling.sh took $(($(date +%s) - started)) s"
