#!/usr/bin/env bash
# End to end: grading a small class from a roster with two workers, then the grade sheet.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

cat >"$T/roster.csv" <<CSV
learner,source
# the correct port and the one that does not compile
alice,$GRADER_ROOT/submissions/examples/correct
bob,$GRADER_ROOT/submissions/examples/compile-error
CSV
run_grader batch -j 2 --no-perf --only ex4 --reports "$T/reports" --work "$T/work" "$T/roster.csv"
expect "a roster is graded by parallel workers" 0 '2 learners: 1 passed, 1 below the threshold, 0 failed a required check, 0 not graded, 0 with errors'
if [ -f "$T/reports/grades.csv" ] && [ -f "$T/reports/summary.json" ] && [ -f "$T/reports/class.html" ] &&
	grep -q '^2 learners (spec ch01): 1 passed' "$T/out"; then
	ok "the batch ends with the class summary: grades.csv, summary.json and class.html in REPORTS"
else
	fail "the batch ends with the class summary: grades.csv, summary.json and class.html in REPORTS" "$(ls "$T/reports")" "$(cat "$T/out")"
fi
if [ -f "$T/reports/alice/report.json" ] && [ -f "$T/reports/bob/report.json" ] && [ -d "$T/work/alice" ] && [ -d "$T/work/bob" ]; then
	ok "each learner gets its own report and its own work directory"
else
	fail "each learner gets its own report and its own work directory" "$(ls -R "$T/reports" "$T/work" | head -20)"
fi
run_grader merge "$T/reports"
expect "merge writes a grade sheet" 0 '^learner,points,max_points,percent,passed,reason,graded_commit_late,later_commits,penalty,commit,options,errors,ex4,ex4.build,'
if grep -q '^alice,31,40,77.5,yes,77.5% >= 60% threshold,' "$T/out" && grep -q '^bob,[0-9]*,40,[0-9.]*,no,"[0-9.]*% < 60% threshold; required check failed: ex4.build' "$T/out"; then
	ok "the grade sheet has each learner's points, pass/fail and its reason"
else
	fail "the grade sheet has each learner's points, pass/fail and its reason" "$(cat "$T/out")"
fi
# the options the class was graded with are on every row (--only ex4 once reports record it)
if python3 - "$T/out" "$T/reports" <<'PY' >"$T/py.out" 2>&1; then ok "the grade sheet records --no-perf and the checks' points"; else fail "the grade sheet records --no-perf and the checks' points" "$(cat "$T/py.out")"; fi
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [r["learner"] for r in rows] == ["alice", "bob"]
for r in rows:
    report = json.load(open(sys.argv[2] + "/" + r["learner"] + "/report.json"))
    if "inputs" in report:
        assert r["options"] == "no-perf; only=ex4", r["options"]
    elif r["learner"] == "alice":  # an older report: its checks skipped '(--no-perf)' say so
        assert r["options"] == "no-perf", r["options"]
    assert r["ex4"] and r["ex4.build"] and r["ex4.correctness"], r
    assert "ex1" not in r, list(r)
assert rows[1]["ex4.build"] == "0"
PY
run_grader merge --out "$T/grades.csv" "$T/reports/alice/report.json"
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$T/grades.csv")" -eq 2 ]; then ok "merge --out writes one row per report"; else fail "merge --out writes one row per report" "rc=$rc" "$(cat "$T/grades.csv" 2>&1)"; fi
echo '{"not": "a report"}' >"$T/junk.json"
run_grader merge "$T/junk.json" "$T/reports/alice/report.json"
expect "a file that is not a report is named, the good rows are kept" 2 'junk.json: not a grader report'

printf 'learner,source\nalice,x\nalice,y\nbroken\n' >"$T/bad.csv"
run_grader batch "$T/bad.csv"
expect "a roster's duplicate learner is named with its line" 2 "bad.csv:3: learner 'alice' is listed twice"
run_grader batch "$T/bad.csv"
expect "a malformed roster line is named" 2 'bad.csv:4: expected 2 fields as the header names them'
printf 'id,url\n' >"$T/hdr.csv"
run_grader batch "$T/hdr.csv"
expect "a roster without the expected header is refused" 2 "the header names the columns learner,source\\[,ref\\]\\[,extension\\]; 'id' is not one of them"
