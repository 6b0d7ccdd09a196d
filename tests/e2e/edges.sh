#!/usr/bin/env bash
# End to end: exercise 4's standard edge inputs and the notes about the learner's own port (issue
# 16), with labelled copies of the `correct` example: a port that panics on the empty input, which
# no case of the learner's is, fails correctness naming "edge: empty input" and the file written
# beside the report; a Python original that fails on CRLF line ends has that edge input dropped
# with a note, and the port is not blamed; notes that name no file, function or type of the
# submission, and notes with a thin section, are told so by name. Then `grader validate` on a spec
# with a bad edge input name. Runs the sanitizer build of the grader.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
work=$T/work reports=$T/reports

# copy NAME: a copy of the correct example's ex4 with 2 generated cases (enough for this suite).
copy() {
	rm -rf "${T:?}/$1" && mkdir -p "$T/$1" && cp -r submissions/examples/correct/ex4 "$T/$1/"
	sed -i 's/^  seeds: .*/  seeds: 2/' "$T/$1/ex4/exercise.yaml"
}
grade() { run_grader grade "$T/$1" --learner "$1" --work "$work" --reports "$reports" --only ex4 --no-perf; }
check() { check_exercise "$1" "$reports/$2/report.json" ch01-ex4 "$3"; }
edge_case() { echo "[x for x in c['correctness']['evidence']['cases'] if x.get('edge') == '$1'][0]"; }

# 1. A port that panics on an empty input; the learner's cases are all non-empty. Its notes have a
#    thin Solutions section (12 words) and name the port's code.
copy empty
sed -i 's/^fn main() -> ExitCode {$/fn main() -> ExitCode {\n    if std::fs::metadata(std::env::args().nth(1).unwrap_or_default()).map_or(false, |m| m.len() == 0) {\n        panic!("no header line");\n    }/' "$T/empty/ex4/rust/src/main.rs"
grep -q 'no header line' "$T/empty/ex4/rust/src/main.rs" || fail "the port that panics on empty input is made" "main.rs unchanged"
{
	echo "# Porting the feature report"
	echo "## Challenges"
	for i in 1 2 3 4; do
		echo "Python's float() accepts more than Rust's parse, so parse_number in main.rs checks the characters first, as the original does; trim_field strips the same blanks as Python's strip. Summation order matters for the last digit of a mean."
	done
	echo "## Solutions"
	echo "I compared both programs on every case until the outputs were identical."
} >"$T/empty/ex4/NOTES.md"
grade empty
expect "a port that panics on the empty input does not pass" 1 'required to pass: correctness'
check "the correctness check fails, naming the edge input and the panic" empty \
	'c["correctness"]["status"] == "fail" and "case edge: empty input: the Python original exited 0 but the Rust port exited with status 101" in c["correctness"]["message"] and "no header line" in c["correctness"]["message"]'
check "only the empty edge input differs; the learner's cases agree" empty \
	'[x["name"] for x in c["correctness"]["evidence"]["cases"] if x["result"] != "same"] == ["edge: empty input"] and all(x["result"] == "same" for x in c["correctness"]["evidence"]["cases"] if x["origin"] == "learner")'
check "the edge case has origin edge, its key, and the file written beside the report" empty \
	"(lambda x: x['origin'] == 'edge' and x['input_file'] == 'ch01-ex4-edge-empty.txt')($(edge_case empty))"
if [ -f "$reports/empty/ch01-ex4-edge-empty.txt" ] && [ ! -s "$reports/empty/ch01-ex4-edge-empty.txt" ]; then
	ok "the empty edge input is beside the report, empty"
else
	fail "the empty edge input is beside the report, empty" "$(ls -la "$reports/empty")"
fi
check "the hint says how to reproduce it" empty \
	'"edge: empty input is one of the grader'"'"'s standard edge inputs" in c["correctness"]["hint"] and "ch01-ex4-edge-empty.txt: run both programs on it" in c["correctness"]["hint"]'
check "the other edge inputs ran and agree (one line, no final newline, CRLF, long line, non-ASCII)" empty \
	'sorted(x["edge"] for x in c["correctness"]["evidence"]["cases"] if x["origin"] == "edge" and x["result"] == "same") == ["crlf", "long-line", "no-final-newline", "non-ascii", "one-line"]'
check "the points count the edge inputs as cases: 10 of 11 agree (3 own, 2 generated, 6 edge)" empty \
	'c["correctness"]["evidence"]["total"] == 11 and c["correctness"]["evidence"]["passed"] == 10 and abs(c["correctness"]["points"] - 20 * 10 / 11) < 0.01'
check "a thin section is named with its words and the minimum" empty \
	'c["notes"]["status"] == "partial" and "section '"'"'Solutions'"'"' has 12 words, at least 40 wanted" in c["notes"]["message"] and "names none" not in c["notes"]["message"]'
check "the notes evidence lists the names found and each section's words" empty \
	'all(n in c["notes"]["evidence"]["names_found"].split(", ") for n in ("main.rs", "parse_number", "trim_field")) and [(s["heading"], s["words"]) for s in c["notes"]["evidence"]["sections"]][1] == ("Solutions", 12)'
check "the thin section costs its share: 3 of 4 parts, in points" empty 'abs(c["notes"]["points"] - 3 * 0.75 - 0.75 / 2) < 0.01'

# 2. A Python original that fails on CRLF line ends (exit 1), and a port that does not: the CRLF
#    edge input is dropped with a note and the port passes. (The learner's CRLF case is taken out.)
#    Its notes are long enough but name nothing of the submission.
copy crlf
rm "$T/crlf/ex4/cases/sensors_edge.csv"
cp "$T/crlf/ex4/cases/iris_sample.csv" "$T/crlf/ex4/cases/iris_again.csv"
sed -i 's/^import sys$/import sys\nif len(sys.argv) > 1 and b"\\r" in open(sys.argv[1], "rb").read():\n    sys.exit(1)/' "$T/crlf/ex4/python/featreport.py"
grep -q 'sys.exit(1)' "$T/crlf/ex4/python/featreport.py" || fail "the original that fails on CRLF is made" "featreport.py unchanged"
{
	echo "# My port"
	echo "## Challenges"
	for i in 1 2 3; do
		echo "Numbers are read more strictly than the standard conversion would, and the order of additions changes the last digit of an average, so every sum had to follow the same order as the original script used."
	done
	echo "## Solutions"
	for i in 1 2 3; do
		echo "I compared the two programs on every case until their outputs were identical byte for byte, and then added cases with missing values and odd spacing to be sure nothing was left."
	done
} >"$T/crlf/ex4/NOTES.md"
grade crlf
expect "a port whose original fails on CRLF passes correctness" 0 'correctness: pass'
check "the CRLF edge input is dropped, with the note in the evidence" crlf \
	'"edge: crlf dropped: the Python original fails on it (exit 1)" in [d["note"] for d in c["correctness"]["evidence"]["edge_dropped"]]'
check "the dropped input is not counted: every other case agrees, full points" crlf \
	"c['correctness']['status'] == 'pass' and c['correctness']['points'] == 20 and $(edge_case crlf)['result'] == 'dropped' and c['correctness']['evidence']['edge_dropped_count'] == 1 and c['correctness']['evidence']['total'] == c['correctness']['evidence']['passed'] == len(c['correctness']['evidence']['cases']) - 1"
check "notes that name no file, function or type of the submission are told so, with names to use" crlf \
	'c["notes"]["status"] == "partial" and "names none of your port'"'"'s files, functions or types (such as " in c["notes"]["message"] and c["notes"]["evidence"]["names_found"] == "" and c["notes"]["evidence"]["names_known"] > 5 and "section" not in c["notes"]["message"].split(";", 1)[1]'

# 3. A bad edge input name in a spec: file, line and column, and the near name.
rm -rf "$T/spec" && cp -R specs/ch01 "$T/spec"
sed -i 's/^edge_inputs: .*/edge_inputs: [empty, crfl]/' "$T/spec/ex4.yaml"
line=$(grep -n '^edge_inputs:' "$T/spec/ex4.yaml" | cut -d: -f1)
run_grader validate "$T/spec"
expect "validate names a bad edge input at its line and column" 2 "ex4\.yaml:$line:22: unknown edge input 'crfl' \(did you mean 'crlf'\?\)"
sed -i 's/^edge_inputs: .*/edge_inputs: sometimes/' "$T/spec/ex4.yaml"
run_grader validate "$T/spec"
expect "validate refuses a value that is neither a list nor all/none" 2 "ex4\.yaml:$line:14: 'edge_inputs' must be all, none, true, false or a list of: empty, one-line, no-final-newline, crlf, long-line, non-ascii; not 'sometimes'"

# Every report written above follows reports/schema.json.
if /usr/bin/python3 - "$GRADER_ROOT/reports/schema.json" "$reports" <<'PY' >"$T/schema.out" 2>&1; then ok "every report validates against reports/schema.json"; else fail "every report validates against reports/schema.json" "$(cat "$T/schema.out")"; fi
import glob, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
files = glob.glob(sys.argv[2] + "/*/report.json")
assert len(files) == 2, files
for path in files:
    jsonschema.validate(json.load(open(path)), schema)
PY
