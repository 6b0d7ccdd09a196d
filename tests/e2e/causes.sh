#!/usr/bin/env bash
# End to end: one cause, one message (issue 12). When the build, the Python original or the
# generator fails, or the two programs disagree, the checks that depend on it are `skipped`, never
# run, and their message names that cause; the cause itself fails once. A run that hits a limit
# says the limit's value (the one docs/submission.md's Limits table gives) and the fix. Crafted
# submissions (copies of the correct example with one thing broken), graded with --no-perf.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
work=$T/work reports=$T/reports

grade() { # DIR LEARNER EXERCISE
	run_grader grade "$1" --learner "$2" --work "$work" --reports "$reports" --only "$3" --no-perf
	if grep -q Sanitizer "$T/err"; then fail "$2: no sanitizer report" "$(grep -A20 Sanitizer "$T/err" | head -30)"; fi
}
check4() { check_exercise "$1" "$reports/$2/report.json" ch01-ex4 "$3"; }
check2() { check_exercise "$1" "$reports/$2/report.json" ch01-ex2 "$3"; }
copy() { rm -rf "$T/$1"; mkdir -p "$T/$1"; cp -r "submissions/examples/correct/$2" "$T/$1/"; }
# doc_limit ROW COLUMN: a cell of the Limits table in docs/submission.md (column 1: exercise 2).
doc_limit() {
	awk -F'|' -v row="$1" -v col="$2" '{ gsub(/^ +| +$/, "", $2) } $2 == row { v = $(col + 2); gsub(/^ +| +$/, "", v); print v }' docs/submission.md
}
out2=$(doc_limit "Output of one run (stdout and stderr together)" 1)
out4=$(doc_limit "Output of one run (stdout and stderr together)" 2)
[ "$out2" = "4 MiB" ] && [ "$out4" = "16 MiB" ] || fail "the Limits table gives the output limits" "got '$out2' and '$out4'"

# 1. The issue's case: a wrong path to the Python script. One failing check says so; every check
#    that needs the original is skipped naming it; no case runs and no reproducer is searched.
copy badpy ex4
sed -i 's#script: python/featreport.py#script: python/featreprt.py#' "$T/badpy/ex4/exercise.yaml"
grade "$T/badpy" badpy ex4
expect "a wrong Python script path: graded below the threshold" 1 'python: fail the Python script ex4/python/featreprt.py does not exist'
check4 "a wrong Python script path fails the python check only; its dependents are skipped naming it" badpy \
	'[k["id"] for k in ex["checks"] if k["status"] == "fail"] == ["python"] and all(c[k]["status"] == "skipped" and "the Python script ex4/python/featreprt.py does not exist (see check python)" in c[k]["message"] for k in ("correctness", "performance", "memory", "scaling"))'
check4 "no case ran: the correctness check has no case evidence and there is no reproducer" badpy \
	'"cases" not in c["correctness"]["evidence"] and not __import__("glob").glob(sys.argv[1].rsplit("/", 1)[0] + "/*repro*")'
check4 "the skipped required check still keeps the exercise from passing" badpy \
	'ex["status"] != "pass" and "correctness" in ex.get("unmet_requirements", [])'
n=$(grep -c 'featreprt' "$T/out")
[ "$n" -le 6 ] && ! grep -q 'cases differ\|0 lines' "$T/out" && ok "the summary never reports a case failure or a reproducer for a missing script" ||
	fail "the summary never reports a case failure or a reproducer for a missing script" "$(cat "$T/out")"

# 2. A port that does not compile: the cases are not run, the measurements name the build.
grade submissions/examples/compile-error compile-error ex4
check4 "a build failure: correctness and the measurements are skipped, naming the build" compile-error \
	'c["build"]["status"] == "fail" and all(c[k]["status"] == "skipped" and "did not build (see check build)" in c[k]["message"] for k in ("correctness", "performance", "memory"))'

# 3. Programs that disagree: the measurements are skipped naming the first case that differs.
grade submissions/examples/edge-case edge-case ex4
check4 "programs that disagree: speed and memory are skipped naming the case, not run" edge-case \
	'c["correctness"]["status"] == "fail" and all(c[k]["status"] == "skipped" and __import__("re").search(r"not measured: the programs disagree on case generated seed [0-9]+ \(see check correctness\)", c[k]["message"]) for k in ("performance", "memory"))'

# 4. A generator whose input is over the output limit: the cases check fails with the limit's
#    value, the key to change and a size that fits; correctness is not run.
copy biggen ex4
sed -i 's/^  size: 200$/  size: 500000/' "$T/biggen/ex4/exercise.yaml"
grep -q 'size: 500000' "$T/biggen/ex4/exercise.yaml" || fail "the big generator's manifest is made" "no size: 500000"
grade "$T/biggen" biggen ex4
check4 "a generator over the output limit: the cases check names the limit ($out4), the key and a size that fits" biggen \
	'c["cases"]["status"] == "fail" and __import__("re").search(r"the generator ex4/gen/make_case.py wrote more than '"$out4"' with seed 1 and size 500000: '"$out4"' is the most a generated input may hold .*docs/submission.md, \"Limits\".*make generator.size in ex4/exercise.yaml smaller: sizes up to about [0-9]+ fit", c["cases"]["message"])'
check4 "... and correctness is skipped naming the generator" biggen \
	'c["correctness"]["status"] == "skipped" and c["correctness"]["message"] == "not run: the generator failed (see check cases)"'
fits=$(python3 -c 'import json, re, sys; r = json.load(open(sys.argv[1])); ex = r["exercises"][0]; print(re.search(r"sizes up to about ([0-9]+)", [k for k in ex["checks"] if k["id"] == "cases"][0]["message"])[1])' "$reports/biggen/report.json" 2>/dev/null)
bytes=$(python3 submissions/examples/correct/ex4/gen/make_case.py 1 "${fits:-0}" | wc -c)
[ -n "$fits" ] && [ "$bytes" -lt $((16 << 20)) ] && [ "$fits" -ge 200 ] && ok "the size the message suggests ($fits) fits: $bytes bytes" ||
	fail "the size the message suggests fits" "size '${fits}' gives $bytes bytes"

# 5. The Python original over the output limit on one case: the limit, the fix and the Limits
#    section are named.
copy bigout ex4
sed -i 's/^import sys$/import sys\nif len(sys.argv) > 1 and "sensors_edge" in sys.argv[1]:\n    sys.stdout.write("x" * (17 << 20))\n    sys.exit(0)/' "$T/bigout/ex4/python/featreport.py"
grep -q '17 << 20' "$T/bigout/ex4/python/featreport.py" || fail "the loud original is made" "no write in featreport.py"
sed -i '/^generator:/,/^  size:/d' "$T/bigout/ex4/exercise.yaml"
sed -i 's/^  generate: .*/  file: cases\/iris_sample.csv/' "$T/bigout/ex4/exercise.yaml"
grade "$T/bigout" bigout ex4
check4 "an original over the output limit: the case names the limit ($out4) and the fix" bigout \
	'c["correctness"]["status"] == "fail" and "case ex4/cases/sensors_edge.csv: the Python original wrote more than the output limit of '"$out4"' (stdout and stderr together) on this case, so there is nothing to compare with; print less (or use a smaller input) (every limit is in docs/submission.md, \"Limits\")" in c["correctness"]["message"]'

# 6. Exercise 2: a benchmark input over the output limit. The runs check names the limit, the
#    size that fits and the 200 ms minimum; the measurements and claims are skipped naming it.
copy bigbench ex2
sed -i 's/^benchmark: .*/benchmark: {generate: {seed: 1, size: 500000}}/' "$T/bigbench/ex2/comparison.yaml"
grade "$T/bigbench" bigbench ex2
check2 "an ex2 benchmark over the output limit: the range from both ends ($out2, 200 ms) in one message" bigbench \
	'c["runs"]["status"] == "fail" and all(s in c["runs"]["message"] for s in ("wrote more than '"$out2"' with seed 1 and size 500000", "make benchmark.generate.size in ex2/comparison.yaml smaller: sizes up to about", "at least 200 ms of CPU time"))'
check2 "... and every measurement and claim is skipped, naming the benchmark input" bigbench \
	'all(c[k]["status"] == "skipped" and "the benchmark input could not be made (see check runs)" in c[k]["message"] for k in ("performance", "memory", "speedup_claim", "memory_claim"))'
fits=$(python3 -c 'import json, re, sys; r = json.load(open(sys.argv[1])); ex = r["exercises"][0]; print(re.search(r"sizes up to about ([0-9]+)", [k for k in ex["checks"] if k["id"] == "runs"][0]["message"])[1])' "$reports/bigbench/report.json" 2>/dev/null)
bytes=$(python3 submissions/examples/correct/ex2/gen/points.py 1 "${fits:-0}" | wc -c)
[ -n "$fits" ] && [ "$bytes" -lt $((4 << 20)) ] && [ "$fits" -ge 100000 ] && ok "the ex2 size the message suggests ($fits) fits and holds the example's own size" ||
	fail "the ex2 size the message suggests fits" "size '${fits}' gives $bytes bytes"

# 7. Exercise 2 with a wrong Python path: the runs check says so; nothing is measured.
copy badpy2 ex2
sed -i 's#script: python/kmeans.py#script: python/kmean.py#' "$T/badpy2/ex2/comparison.yaml"
grade "$T/badpy2" badpy2 ex2
check2 "an ex2 wrong Python path: runs fails once, its dependents are skipped naming it" badpy2 \
	'c["runs"]["status"] == "fail" and c["runs"]["message"] == "the Python script ex2/python/kmean.py does not exist" and all(c[k]["status"] == "skipped" and "the Python script ex2/python/kmean.py does not exist (see check runs)" in c[k]["message"] for k in ("performance", "memory", "speedup_claim", "memory_claim"))'
