#!/usr/bin/env bash
# Integrity: one submission cannot hold a worker for long. 43 cases that each sleep 2 s took 88 s;
# the spec's time budgets (per exercise, per learner) and its maximum number of cases bound a
# grading, what is left is skipped with the reason, and the report says how much time was used.
# (Not serial: the cases sleep, and the bounds, 4 times the budget, hold beside a concurrent suite.)
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

honest_port "$T/slow"
printf 'import time\ntime.sleep(2)\n' >>"$T/slow/ex4/python/wc.py"
for i in $(seq 1 43); do printf 'case %d\n' "$i" >"$T/slow/ex4/cases/s$i.txt"; done
commit_repo "$T/slow"

# A chapter whose exercise 4 has a 10 s budget and runs at most 50 cases.
cp -R specs/ch01 "$T/spec"
sed -i 's/^budget: 10m .*/budget: 10s/; s/^  max: 100 .*/  max: 50/' "$T/spec/ex4.yaml"
no_edges "$T/spec/ex4.yaml" # the learner's cases are what the budgets are counted against
start=$(date +%s)
run_grader grade "$T/slow" --learner slow --spec "$T/spec" --work "$T/w" --reports "$T/r" --only ex4 --no-perf
took=$(($(date +%s) - start))
expect "a slow submission is graded" 1
if [ "$took" -lt 40 ]; then ok "the exercise's budget bounds the grading (${took}s for 46 cases of 2 s)"; else fail "the exercise's budget bounds the grading" "took ${took}s"; fi
check_exercise "the cases left are skipped with the budget named" "$T/r/slow/report.json" ch01-ex4 \
	'c["correctness"]["status"] == "partial" and c["correctness"]["evidence"]["not_run"] > 20 and "time budget of 10 s is used up" in c["correctness"]["message"] and c["correctness"]["points"] < c["correctness"]["max_points"] / 2'
check_exercise "the report says how much time was used" "$T/r/slow/report.json" ch01-ex4 \
	'ex["time"]["budget_exhausted"] and ex["time"]["budget_seconds"] == 10 and 10 <= ex["time"]["seconds"] < 40'

# The learner's budget (chapter) bounds the whole grading too, whichever comes first.
sed -i 's/^budget: 30m .*/budget: 5s/' "$T/spec/chapter.yaml"
run_grader grade "$T/slow" --learner slow2 --spec "$T/spec" --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "the learner's budget applies when it is the smaller" "$T/r/slow2/report.json" ch01-ex4 \
	'"learner'"'"'s time budget of 5 s" in c["correctness"]["message"] and ex["time"]["budget_seconds"] <= 5'

# More cases than the spec runs: the first ones by name are run, and the report says so.
honest_port "$T/many"
for i in $(seq 10 69); do printf 'w %d\n' "$i" >"$T/many/ex4/cases/m$i.txt"; done
commit_repo "$T/many"
run_grader grade "$T/many" --learner many --spec "$T/spec" --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "at most cases.max learner cases are run" "$T/r/many/report.json" ch01-ex4 \
	'c["correctness"]["evidence"]["total"] == 50 and any("only the first 50" in w for w in r["submission"]["warnings"])'

# Limits that no learner can lift: a spec that sets max below min is refused.
sed -i 's/^  max: 50/  max: 2/' "$T/spec/ex4.yaml"
run_grader validate "$T/spec"
expect "a spec whose cases.max is below cases.min is refused" 2 "'max' \(2\) is below 'min' \(3\)"
