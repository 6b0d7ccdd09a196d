# tests/e2e/lib.sh: helpers for end-to-end tests; source it. Each check prints "ok - NAME" or
# "not ok - NAME" with what went wrong, and the script goes on; a check that cannot be made here
# prints "skip - NAME # REASON" (tests/run.sh counts and lists it, never as a pass).
# A suite whose figures a concurrent suite would disturb (timing or CPU under a known load, a
# calibration) has a line "# test: serial" near its top: tests/run.sh then runs it alone.
set -u
: "${GRADER:?run through tests/run.sh}"
T=$(mktemp -d /tmp/grader-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok - $1"; }
fail() { echo "not ok - $1"; shift; for l in "$@"; do echo "    $l"; done; }
# skip NAME REASON: the check NAME was not made here, because of REASON (say what is missing).
skip() { echo "skip - $1 # $2"; }

# run_grader ARGS...: runs the grader, leaving stdout in $T/out, stderr in $T/err, status in $rc.
run_grader() { "$GRADER" "$@" >"$T/out" 2>"$T/err"; rc=$?; }

# expect NAME STATUS [REGEX_ON_STDERR_OR_STDOUT]: checks the last run_grader: its exit status, the
# regex, and no sanitizer report in its stderr.
expect() {
	local name=$1 want=$2 re=${3:-}
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, wanted $want" "stdout: $(head -c 600 "$T/out")" "stderr: $(head -c 600 "$T/err")"
	elif [ -n "$re" ] && ! grep -Eq -- "$re" "$T/out" "$T/err"; then
		fail "$name" "output does not match /$re/" "stdout: $(head -c 600 "$T/out")" "stderr: $(head -c 600 "$T/err")"
	elif grep -q 'Sanitizer' "$T/err"; then
		fail "$name" "sanitizer report:" "$(grep -A20 Sanitizer "$T/err" | head -30)"
	else
		ok "$name"
	fi
}

# check_exercise NAME REPORT EXERCISE-ID PYTHON-EXPRESSION: evaluates an assertion on a report:
# `r` the report, `ex` the exercise, `c` its checks by id. On failure, prints every check.
check_exercise() {
	local name=$1 report=$2 id=$3 expr=$4
	if python3 - "$report" "$id" "$expr" <<'PY' >"$T/py.out" 2>&1; then ok "$name"; else fail "$name" "$(cat "$T/py.out")"; fi
import json, sys
r = json.load(open(sys.argv[1]))
ex = [e for e in r["exercises"] if e["id"] == sys.argv[2]][0]
c = {k["id"]: k for k in ex["checks"]}
ok = eval(sys.argv[3])
if not ok:
    print("assertion failed:", sys.argv[3])
    print(" exercise:", ex["status"], ex["points"], "/", ex["max_points"], ex.get("message"))
    for k in ex["checks"]:
        print(" ", k["id"], k["status"], k["points"], (k["message"] or "")[:300])
    sys.exit(1)
PY
}

# no_scaling SPEC.yaml: takes the scaling check out of a copy of an exercise spec (its `scaling:`
# section and its rubric line), for suites that measure speed and memory and assert nothing about
# scaling: its rounds are most of a measured grading's time. Fails the suite if nothing matched.
# no_edges SPEC: the exercise spec without the standard edge inputs (for suites about something
# else whose fixtures a 1 MiB line or an empty input would slow down or stop).
no_edges() {
	sed -i 's/^edge_inputs: .*/edge_inputs: none/' "$1"
	if ! grep -q '^edge_inputs: none$' "$1"; then fail "no_edges $1" "$(grep -n edge_inputs "$1")"; exit 1; fi
}

no_scaling() {
	sed -i -e '/^scaling:$/,/^[^ ]/{/^scaling:$/d;/^ /d;/^$/d}' -e '/^  scaling: [0-9]/d' "$1"
	if grep -q 'scaling' "$1"; then fail "no_scaling $1" "$(grep -n scaling "$1")"; exit 1; fi
}

# class_sheet OUTDIR PATH...: merges reports folders (PATH: LEARNER/report.json folders, several
# for shards) into the class's summary in OUTDIR (grades.csv, summary.json, class.html), with the
# sanitizer build; sets $rc. The suites that grade a class in shards (slurm, ci_class) compare the
# sheets made by this one line.
class_sheet() {
	"$GRADER" summary --out "$1" "${@:2}" >"$T/out" 2>"$T/err"
	rc=$?
}

# same_sheet NAME WANT.csv GOT.csv: checks that two grade sheets have the same columns and the same
# rows, by learner, leaving out columns that differ between two gradings of the same work (times
# and durations); passes only when both have at least one row.
same_sheet() {
	if /usr/bin/python3 - "$2" "$3" >"$T/py.out" 2>&1 <<'PY'; then ok "$1"; else fail "$1" "$(cat "$T/py.out")"; fi
import csv, re, sys
volatile = re.compile(r"duration|elapsed|started|finished|graded_at|timestamp|wall|run_seconds")
def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows, f"{path} is empty"
    head = rows[0]
    assert head[0] == "learner", f"{path}: first column {head[0]!r}"
    keep = [i for i, h in enumerate(head) if not volatile.search(h)]
    body = {}
    for r in rows[1:]:
        assert r[0] not in body, f"{path}: learner {r[0]} twice"
        body[r[0]] = [r[i] if i < len(r) else None for i in keep]
    return [head[i] for i in keep], body
wh, want = load(sys.argv[1])
gh, got = load(sys.argv[2])
assert wh == gh, f"columns differ:\n want {wh}\n got  {gh}"
assert want, "no learner in the sheet"
bad = [f"{k}: want {want.get(k)}\n   got  {got.get(k)}" for k in sorted(set(want) | set(got)) if want.get(k) != got.get(k)]
assert not bad, "rows differ:\n " + "\n ".join(bad)
print(len(want), "learners,", len(wh), "columns")
PY
}
