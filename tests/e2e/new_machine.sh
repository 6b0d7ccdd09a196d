#!/usr/bin/env bash
# End-to-end: the README's `make demo` on a new machine, and the demo's own check failing when it
# must. A `git clone` of this checkout's committed HEAD (uncommitted changes are NOT part of it:
# commit before trusting this test) into a temp folder, where no bin/ or build/ exists, then
# `make -j2 demo DEMO_FLAGS=--no-perf` there, with none of the parent's grader variables in the
# environment: it must build the grader itself, grade every example without an infrastructure
# error and find each grade as docs/examples.md documents it ("points with --no-perf", which
# leaves out the speed and memory checks and the claims measured by them; the build, cases,
# reproducer, notes, line-count claims, ex1 and ex3 are all still graded and compared). Then,
# in that clone, tests/demo.sh must exit non-zero with a MISMATCH line against a copy of the
# expectations with one grade altered, and with an ERROR line when the sandbox is unavailable.
. "$(dirname "$0")/lib.sh"

src=${GRADER_ROOT:?run through tests/run.sh}
clone=$T/clone
# The clone is a new machine's checkout: nothing of the parent's build or test run may leak in.
clean_env=(env -u GRADER -u GRADER_REL -u GRADER_ROOT -u HELPERS -u GRADER_PID1 -u GRADER_DATA
	-u GRADER_PROFILES -u GRADER_PYTHON -u GRADER_RUSTC -u GRADER_SANDBOX_METHOD
	-u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u DEMO_ONLY -u DEMO_EXPECT -u DEMO_FLAGS)

head=$(git -C "$src" rev-parse --verify -q HEAD) || {
	fail "new machine: $src is a git checkout" "this test clones the committed tree; run it from a git checkout"
	exit 0
}
if ! git clone -q "$src" "$clone" >"$T/clone.log" 2>&1 || ! git -C "$clone" checkout -q --detach "$head" >>"$T/clone.log" 2>&1; then
	fail "new machine: git clone of the checkout" "$(cat "$T/clone.log")"
	exit 0
fi
if [ ! -e "$clone/bin" ] && [ ! -e "$clone/build" ] && [ ! -e "$clone/reports/correct" ]; then
	ok "new machine: the clone of HEAD ($(git -C "$clone" rev-parse --short HEAD)) starts with no bin/, build/ or reports"
else
	fail "new machine: the clone of HEAD starts with no bin/, build/ or reports" "$(ls -a "$clone" "$clone/reports")"
fi

start=$SECONDS
(cd "$clone" && "${clean_env[@]}" make -j2 demo DEMO_FLAGS=--no-perf) >"$T/demo.out" 2>&1
rc=$?
took=$((SECONDS - start))
if [ "$rc" -eq 0 ] && grep -q '^make demo: OK: all 7 examples' "$T/demo.out"; then
	ok "new machine: make demo DEMO_FLAGS=--no-perf exits 0 in a fresh clone, every example as documented (${took}s)"
else
	fail "new machine: make demo DEMO_FLAGS=--no-perf exits 0 in a fresh clone (exit $rc, ${took}s)" \
		"$(grep -E 'error|Error|ERROR|MISMATCH|^make demo' "$T/demo.out" | head -20)" "$(tail -n 25 "$T/demo.out")"
fi
if [ -x "$clone/bin/grader" ] && [ -x "$clone/bin/grader-pid1" ]; then
	ok "new machine: the clone built its own bin/grader and bin/grader-pid1"
else
	fail "new machine: the clone built its own bin/grader and bin/grader-pid1" "$(ls -l "$clone/bin" 2>&1)"
fi

# Independently of demo.sh's own verdict: every example has a report, without an infrastructure error.
if python3 - "$clone" >"$T/py.out" 2>&1 <<'PY'; then ok "new machine: every example has a report without an infrastructure error"; else fail "new machine: every example has a report without an infrastructure error" "$(cat "$T/py.out")"; fi
import json, os, sys
root = sys.argv[1]
bad = []
names = sorted(os.listdir(os.path.join(root, "submissions/examples")))
for name in names:
    path = os.path.join(root, "reports", name, "report.json")
    if not os.path.exists(path):
        bad.append("%s: no report" % name)
        continue
    r = json.load(open(path))
    if r["errors"]:
        bad.append("%s: errors %s" % (name, r["errors"]))
    for ex in r["exercises"]:
        for c in ex["checks"]:
            if c["status"] == "error":
                bad.append("%s: %s %s error: %s" % (name, ex["id"], c["id"], c["message"]))
if len(names) != 7:
    bad.append("expected the 7 examples, found %s" % names)
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# demo.sh's check can fail: one expected grade altered (compile-error's, with --no-perf) must
# give a MISMATCH line and a non-zero exit.
python3 - "$clone/docs/examples.md" "$T/altered.md" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
out, n = re.subn(r"^(\| compile-error \| 1 \| [^|]+\| )([0-9.]+)", lambda m: m.group(1) + str(float(m.group(2)) + 7), text, count=1, flags=re.M)
assert n == 1, "no compile-error row in the expectations table"
open(sys.argv[2], "w").write(out)
PY
(cd "$clone" && "${clean_env[@]}" DEMO_ONLY=compile-error DEMO_EXPECT="$T/altered.md" tests/demo.sh --no-perf) >"$T/mm.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q '^compile-error .*MISMATCH' "$T/mm.out" && grep -q '^make demo: FAILED' "$T/mm.out"; then
	ok "demo: an example whose grade differs from the documented one fails the demo with a MISMATCH line"
else
	fail "demo: an example whose grade differs from the documented one fails the demo (exit $rc, wanted 1)" "$(tail -n 12 "$T/mm.out")"
fi

# An infrastructure error (here: the sandbox's init missing) fails the demo too, whatever the points.
(cd "$clone" && "${clean_env[@]}" GRADER_PID1=/nonexistent/grader-pid1 DEMO_ONLY=panic tests/demo.sh --no-perf) >"$T/infra.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q '^panic .*ERROR' "$T/infra.out" && grep -q '^make demo: FAILED.*1 infrastructure error' "$T/infra.out"; then
	ok "demo: an example that hits an infrastructure error fails the demo with an ERROR line"
else
	fail "demo: an example that hits an infrastructure error fails the demo (exit $rc, wanted 1)" "$(tail -n 12 "$T/infra.out")"
fi

# Usage errors are found before any grading.
(cd "$clone" && "${clean_env[@]}" DEMO_ONLY=no-such-example tests/demo.sh --no-perf) >"$T/u.out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "no-such-example" "$T/u.out"; then
	ok "demo: DEMO_ONLY naming an unknown example is a usage error (exit 2)"
else
	fail "demo: DEMO_ONLY naming an unknown example is a usage error (exit $rc, wanted 2)" "$(cat "$T/u.out")"
fi
grep -v '^| vendored |' "$clone/docs/examples.md" >"$T/norow.md"
(cd "$clone" && "${clean_env[@]}" DEMO_ONLY=vendored DEMO_EXPECT="$T/norow.md" tests/demo.sh) >"$T/n.out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "no row for vendored" "$T/n.out" && ! grep -q '=== vendored' "$T/n.out"; then
	ok "demo: an example missing from the expectations table stops the demo before any grading (exit 2)"
else
	fail "demo: an example missing from the expectations table stops the demo before grading (exit $rc, wanted 2)" "$(cat "$T/n.out")"
fi
