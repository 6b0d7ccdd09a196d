#!/usr/bin/env bash
# End to end: the views of a report (grader/views/views.h) through the command line. Every view
# of every example submission's report from `grader show` (tests/views/reports/: JSON against the
# schema, JUnit parsed by a real XML parser, Gradescope's fields, GitHub's annotations against
# expected lines, the HTML page written), the same views from a real grading with --format and
# --out, the text view of a written report equal to what the grading printed, colour only on a
# terminal and never with NO_COLOR, and usage errors for impossible combinations.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
fx=tests/views/reports
all=text,json,junit,github,gradescope,html

# --- every view of every example's report, from grader show --------------------------------
for f in "$fx"/*.json; do
	name=$(basename "$f" .json)
	out=$T/show/$name
	GITHUB_STEP_SUMMARY= run_grader show --format junit,github,gradescope,html --out "$out" "$f"
	expect "show $name: junit, github, gradescope and html are made" 0
	cp "$T/out" "$out/annotations.txt" 2>/dev/null
	run_grader show --format json --out "$out" "$f"
	expect "show $name: json is written to --out" 0
done
if python3 - "$fx" "$T/show" "$GRADER_ROOT/reports/schema.json" <<'PY' >"$T/py.out" 2>&1; then ok "every view of every example is well formed and says what its report says"; else fail "every view of every example is well formed and says what its report says" "$(cat "$T/py.out")"; fi
import glob, json, os, sys
import xml.etree.ElementTree as ET
import jsonschema
fx, show, schema = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
bad = []
for f in sorted(glob.glob(fx + "/*.json")):
    name = os.path.basename(f)[:-5]
    d = os.path.join(show, name)
    r = json.load(open(f))
    # json: the same report, valid against the schema
    j = json.load(open(d + "/report.json"))
    if j != r: bad.append(f"{name}: report.json differs from the report shown")
    jsonschema.validate(j, schema)
    checks = [(e["id"], c) for e in r["exercises"] for c in e["checks"]]
    # junit: parses; one testcase per check, failures and skips where the report has them
    root = ET.parse(d + "/junit.xml").getroot()
    cases = root.findall(".//testcase")
    mine = [c for c in cases if c.get("classname") != "grader"]
    if len(mine) != len(checks): bad.append(f"{name}: {len(mine)} testcases for {len(checks)} checks")
    for (eid, c), tc in zip(checks, mine):
        if (tc.get("classname"), tc.get("name")) != (eid, c["id"]):
            bad.append(f"{name}: testcase {tc.get('classname')}/{tc.get('name')} where {eid}/{c['id']} was expected"); break
        want = {"pass": None, "skipped": "skipped", "error": "error"}.get(c["status"], "failure")
        got = [x.tag for x in tc if x.tag in ("failure", "error", "skipped")]
        if got != ([want] if want else []): bad.append(f"{name}: {eid}/{c['id']} ({c['status']}) has {got}")
    for s in root.findall("testsuite"):
        if int(s.get("tests")) != len(s.findall("testcase")): bad.append(f"{name}: suite {s.get('name')} counts {s.get('tests')} tests")
    # gradescope: Gradescope's fields and types, the report's score
    g = json.load(open(d + "/results.json"))
    if abs(g["score"] - r["score"]["points"]) > 0.01: bad.append(f"{name}: gradescope score {g['score']} for {r['score']['points']}")
    visible = [t for t in g["tests"] if t.get("max_score", 0) > 0 or "hidden" not in t["name"]]
    if len(visible) < len(checks): bad.append(f"{name}: {len(g['tests'])} gradescope tests for {len(checks)} checks")
    for t in g["tests"]:
        if not isinstance(t.get("name"), str) or not isinstance(t.get("score"), (int, float)) or t.get("status") not in ("passed", "failed") \
           or t.get("visibility", "visible") not in ("hidden", "after_due_date", "after_published", "visible"):
            bad.append(f"{name}: gradescope test {t}"); break
    # github: one ::error per failing check, on the file it concerns
    ann = open(d + "/annotations.txt").read().splitlines()
    errors = [a for a in ann if a.startswith("::error")]
    failing = [c for _, c in checks if c["status"] in ("fail", "error")]
    if len(errors) != len(failing) + len(r["errors"]) + (1 if r["submission"].get("error") else 0):
        bad.append(f"{name}: {len(errors)} ::error lines for {len(failing)} failing checks")
    if not any(a.startswith("::notice") for a in ann): bad.append(f"{name}: no ::notice with the total")
    if not os.path.exists(d + "/summary.md"): bad.append(f"{name}: no summary.md without $GITHUB_STEP_SUMMARY")
    # html: one page that names the learner and every check
    page = open(d + "/report.html").read()
    for _, c in checks:
        if c["id"] not in page: bad.append(f"{name}: the page does not name check {c['id']}"); break
    if "<script" in page.lower(): bad.append(f"{name}: the page has a script")
ce = open(show + "/compile-error/annotations.txt").read()
if "::error file=ex4/rust/src/main.rs,line=37,col=27," not in ce:
    bad.append("compile-error: no annotation on ex4/rust/src/main.rs line 37 column 27:\n" + ce)
assert not bad, "\n".join(bad)
PY

# --- the same views from a real grading --------------------------------------------------------
run_grader grade submissions/examples/compile-error --no-perf --only ex4 --learner ce --work "$T/work" \
	--reports "$T/reports" --format text,github,junit,gradescope,html --out "$T/views"
expect "grade --format with every view but json: exit status of the grading (below the threshold)" 1 '^::error file=ex4/rust/src/main\.rs,line=37,col=27,'
expect "grade --format text,github: the summary and the annotations both on standard output" 1 '^  ch01-ex4 partial +6\.0/40\.0'
for v in junit.xml results.json report.html summary.md; do
	if [ -s "$T/views/$v" ]; then ok "grade --out writes $v"; else fail "grade --out writes $v" "$(ls -la "$T/views")"; fi
done
if [ -s "$T/reports/ce/report.json" ]; then ok "the report is written where it always is"; else fail "the report is written where it always is" "$(ls -R "$T/reports")"; fi
mkdir -p "$T/gh"
: >"$T/gh/summary.md"
GITHUB_STEP_SUMMARY=$T/gh/summary.md run_grader show --format github "$T/reports/ce/report.json"
GITHUB_STEP_SUMMARY=$T/gh/summary.md run_grader show --format github "$T/reports/ce/report.json"
if [ "$(grep -c 'ch01-ex4' "$T/gh/summary.md")" -ge 2 ]; then ok "\$GITHUB_STEP_SUMMARY is appended to, not replaced"; else fail "\$GITHUB_STEP_SUMMARY is appended to, not replaced" "$(cat "$T/gh/summary.md")"; fi

# the text view of a written report is what the grading printed
run_grader grade submissions/examples/panic --no-perf --only ex4 --learner pn --work "$T/work" --reports "$T/reports"
expect "grade prints its summary" 1 'ch01-ex4'
cp "$T/out" "$T/graded.txt"
run_grader show "$T/reports/pn"
expect "show prints a written report's summary" 0 'ch01-ex4'
if diff <(grep -v '^  report ' "$T/graded.txt") "$T/out" >"$T/diff"; then ok "show's summary of a report is the one its grading printed"; else fail "show's summary of a report is the one its grading printed" "$(head -20 "$T/diff")"; fi
run_grader grade submissions/examples/panic --no-perf --only ex4 --learner pn --work "$T/work" --reports "$T/reports" --json
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" 2>/dev/null && [ "$rc" -eq 1 ]; then ok "--json still prints the report alone on standard output"; else fail "--json still prints the report alone on standard output" "exit $rc" "$(head -c 300 "$T/out")"; fi

# colour: only on a terminal, never with NO_COLOR
if command -v script >/dev/null 2>&1; then
	script -qec "$GRADER show $T/reports/pn" /dev/null >"$T/tty.out" 2>&1
	NO_COLOR=1 script -qec "$GRADER show $T/reports/pn" /dev/null >"$T/nocolor.out" 2>&1
	"$GRADER" show "$T/reports/pn" >"$T/pipe.out" 2>&1
	if grep -q $'\033\[' "$T/tty.out"; then ok "a terminal gets colour"; else fail "a terminal gets colour" "$(head -5 "$T/tty.out")"; fi
	if ! grep -q $'\033\[' "$T/nocolor.out" && grep -q 'ch01-ex4' "$T/nocolor.out"; then ok "NO_COLOR turns colour off on a terminal"; else fail "NO_COLOR turns colour off on a terminal" "$(head -5 "$T/nocolor.out" | cat -v)"; fi
	if ! grep -q $'\033\[' "$T/pipe.out"; then ok "a pipe gets no colour"; else fail "a pipe gets no colour" "$(head -5 "$T/pipe.out" | cat -v)"; fi
else
	skip "colour on a terminal" "script(1) is missing (util-linux)"
fi

# --- usage errors ------------------------------------------------------------------------------------
run_grader show --format text,xml "$fx/correct.json"
expect "an unknown format is a usage error that lists the known ones" 2 "unknown format 'xml' \(known: text, json, junit, github, gradescope, html\)"
run_grader show --format junit "$fx/correct.json"
expect "a file view without --out is a usage error" 2 'give --out DIR'
run_grader show --format json,text "$fx/correct.json"
expect "json and text on one standard output is a usage error" 2 'share standard output'
run_grader grade submissions/examples/panic --format json,text --learner x --work "$T/work" --reports "$T/reports"
expect "grade refuses json and text on one standard output before grading" 2 'share standard output'
printf '{"not": "a report"}' >"$T/bad.json"
run_grader show "$T/bad.json"
expect "a JSON file that is not a report is refused, named" 2 "bad.json: not a grader report"
run_grader show "$T/missing.json"
expect "a missing report is refused, named" 2 "missing.json: cannot read"

# --- several reports: one folder per learner, and a class page ---------------------------------
run_grader show --format html,junit --out "$T/class" "$fx"/*.json
expect "show of several reports" 0
n=$(ls "$T/class"/*/report.html 2>/dev/null | wc -l)
if [ "$n" -eq "$(ls "$fx"/*.json | wc -l)" ] && [ -s "$T/class/class.html" ]; then ok "several reports: a page per learner in OUT/LEARNER and OUT/class.html"; else fail "several reports: a page per learner in OUT/LEARNER and OUT/class.html" "$(ls -R "$T/class" | head -30)"; fi
