#!/usr/bin/env bash
# End to end: a class graded by `grader batch` is interrupted and resumed. A Ctrl-C or SIGTERM stops
# the gradings under way with a message and exit 130/143, leaving no temporary folder; kill -9 of
# the whole batch at random moments (10 of them) loses no finished report and leaves no half-written
# file; running the same command again grades only what is missing, and the result equals an
# uninterrupted run. A report is kept only while its inputs (commit, specs, options) are unchanged.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

ex=$GRADER_ROOT/submissions/examples
{
	echo "learner,source"
	for k in correct compile-error panic edge-case float-format shells-out; do echo "$k,$ex/$k"; done
} >"$T/roster.csv"
opts=(--no-perf --only ex4 -j 2)

# grades REPORTS: the grading outcome of every report in REPORTS, without what varies between two
# gradings of the same inputs (times, dates, measurements).
grades() {
	python3 - "$1" <<'PY'
import json, os, sys
root = sys.argv[1]
for learner in sorted(os.listdir(root)):
    with open(os.path.join(root, learner, "report.json")) as f:
        r = json.load(f)
    checks = [(e["id"], c["id"], c["status"], c["points"]) for e in r["exercises"] for c in e["checks"]]
    print(learner, r["score"]["points"], r["score"]["passed"], r["inputs"]["key"], checks)
PY
}

# leftovers DIR...: temporary files and folders a grading left (fetch-*, *.tmp.*).
leftovers() { find "$@" \( -name 'fetch-*' -o -name '*.tmp.*' \) -print 2>/dev/null; }

# The reference: one uninterrupted run.
run_grader batch "${opts[@]}" --reports "$T/ref" --work "$T/refwork" "$T/roster.csv"
expect "an uninterrupted batch grades the class" 0 '6 learners: 2 passed, [0-9] below the threshold, [0-9] failed a required check, 0 not graded, 0 with errors'
grades "$T/ref" >"$T/ref.txt"

# SIGTERM in the middle: a message, 143, nothing left behind, and the rest graded by a rerun.
"$GRADER" batch "${opts[@]}" --reports "$T/a" --work "$T/awork" "$T/roster.csv" >"$T/out" 2>"$T/err" &
pid=$!
for _ in $(seq 100); do [ -n "$(ls "$T/awork" 2>/dev/null | grep -v '^\.')" ] && break; sleep 0.05; done
sleep 0.5
kill -TERM "$pid"
wait "$pid"
rc=$?
sleep 0.3 # a sandbox dies with its grader (--die-with-parent): give the kernel a moment
stray=$(pgrep -af -- "$T/awork" | grep -v pgrep)
if [ -z "$stray" ]; then
	ok "SIGTERM ends the gradings under way: no grader, bwrap or learner program is left running"
else
	fail "SIGTERM ends the gradings under way: no grader, bwrap or learner program is left running" "$stray"
fi
if [ "$rc" -eq 143 ] && grep -Eq '^grader batch: interrupted: [0-5]/6 graded, run the same command to go on$' "$T/err" &&
	[ -z "$(leftovers "$T/a" "$T/awork")" ] && ! grep -q Sanitizer "$T/err"; then
	ok "SIGTERM stops the batch with a message and exit 143, and leaves no temporary folder"
else
	fail "SIGTERM stops the batch with a message and exit 143, and leaves no temporary folder" "rc=$rc" \
		"$(cat "$T/err")" "left: $(leftovers "$T/a" "$T/awork")"
fi
before=$(ls "$T/a" 2>/dev/null | wc -l)
run_grader batch "${opts[@]}" --reports "$T/a" --work "$T/awork" "$T/roster.csv"
kept=$(grep -c 'kept: nothing changed' "$T/out")
if [ "$rc" -eq 0 ] && [ "$kept" -eq "$before" ] && grades "$T/a" | cmp -s - "$T/ref.txt"; then
	ok "the rerun keeps the $before finished reports, grades the rest, and equals an uninterrupted run"
else
	fail "the rerun keeps the $before finished reports, grades the rest, and equals an uninterrupted run" \
		"rc=$rc kept=$kept before=$before" "$(cat "$T/out")" "$(grades "$T/a" | diff - "$T/ref.txt")"
fi

# kill -9 of the batch and all its workers at 10 random moments, then a run to the end.
seed=${GRADER_TEST_SEED:-$$}
RANDOM=$seed
bad=""
for i in $(seq 10); do
	delay=$(printf '0.%03d' $((RANDOM % 1000)))
	[ $((i % 3)) -eq 0 ] && delay=1.$((RANDOM % 10)) # some later, into builds and cases
	setsid "$GRADER" batch "${opts[@]}" --reports "$T/k" --work "$T/kwork" "$T/roster.csv" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 -- "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# every report there is whole
	for f in "$T"/k/*/report.json; do
		[ -e "$f" ] || continue
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null || bad="$bad kill $i (after ${delay}s): $f is not whole;"
	done
done
run_grader batch "${opts[@]}" --reports "$T/k" --work "$T/kwork" "$T/roster.csv"
if [ "$rc" -eq 0 ] && [ -z "$bad" ] && grades "$T/k" | cmp -s - "$T/ref.txt" && [ -z "$(leftovers "$T/k" "$T/kwork")" ]; then
	ok "after 10 kill -9 at random moments (seed $seed) no report is half-written, nothing is left, and the result equals an uninterrupted run"
else
	fail "after 10 kill -9 at random moments (seed $seed) no report is half-written, nothing is left, and the result equals an uninterrupted run" \
		"rc=$rc $bad" "$(grades "$T/k" | diff - "$T/ref.txt")" "left: $(leftovers "$T/k" "$T/kwork")"
fi

# Nothing changed: everyone kept, no grading.
run_grader batch "${opts[@]}" --reports "$T/a" --work "$T/awork" "$T/roster.csv"
expect "a rerun with nothing changed keeps every report" 0 '6 kept unchanged from an earlier run'
# grader grade --reuse alone (no toolchain hint: it opens the sandbox to decide) keeps it too,
# and grades again without --reuse.
run_grader grade --reuse --no-perf --only ex4 --learner correct --reports "$T/a" --work "$T/awork" "$ex/correct"
expect "grade --reuse keeps a report the batch made from the same inputs" 0 "kept .*/a/correct/report.json: it was made from the same inputs"
run_grader grade --no-perf --only ex4 --learner correct --reports "$T/a" --work "$T/awork" "$ex/correct"
if [ "$rc" -eq 0 ] && ! grep -q 'kept ' "$T/err"; then ok "grade without --reuse grades again"; else fail "grade without --reuse grades again" "$(cat "$T/err")"; fi

# A changed input is graded again: a spec (a copy with one more comment), an option, --regrade.
cp -r specs/ch01 "$T/spec"
run_grader batch "${opts[@]}" --spec "$T/spec" --reports "$T/s" --work "$T/awork" "$T/roster.csv"
run_grader batch "${opts[@]}" --spec "$T/spec" --reports "$T/s" --work "$T/awork" "$T/roster.csv"
expect "a copy of the specs gives reports of its own, kept on the next run" 0 '6 kept unchanged'
echo "# changed" >>"$T/spec/ex4.yaml"
run_grader batch "${opts[@]}" --spec "$T/spec" --reports "$T/s" --work "$T/awork" "$T/roster.csv"
expect "a change to a spec file grades everyone again" 0 '0 kept unchanged'
echo "# changed" >>"$T/spec/catalog/crates.yaml"
run_grader batch "${opts[@]}" --spec "$T/spec" --reports "$T/s" --work "$T/awork" "$T/roster.csv"
expect "a change to a catalog grades everyone again" 0 '0 kept unchanged'
run_grader batch --no-perf -j 2 --spec "$T/spec" --reports "$T/s" --work "$T/awork" "$T/roster.csv"
expect "another --only grades everyone again" 0 '0 kept unchanged'
run_grader batch --regrade --no-perf -j 2 --spec "$T/spec" --reports "$T/s" --work "$T/awork" "$T/roster.csv"
expect "--regrade grades everyone again" 0 '0 kept unchanged'

# A learner's new commit is graded again; the others are kept.
git init -q -b main "$T/repo"
cp -r "$ex/correct/." "$T/repo/"
git -C "$T/repo" add -A && git -C "$T/repo" -c user.name=L -c user.email=l@x commit -qm one
printf 'learner,source\nrepo,%s\ncorrect,%s\n' "$T/repo" "$ex/correct" >"$T/r2.csv"
run_grader batch "${opts[@]}" --reports "$T/g" --work "$T/gwork" "$T/r2.csv"
echo "# more" >>"$T/repo/ex4/NOTES.md"
git -C "$T/repo" -c user.name=L -c user.email=l@x commit -qam two
run_grader batch "${opts[@]}" --reports "$T/g" --work "$T/gwork" "$T/r2.csv"
if [ "$rc" -eq 0 ] && grep -q '^correct .*kept: nothing changed' "$T/out" && grep -q '^repo ' "$T/out" &&
	! grep -q '^repo .*kept' "$T/out"; then
	ok "a learner's new commit is graded again, the others are kept"
else
	fail "a learner's new commit is graded again, the others are kept" "$(cat "$T/out" "$T/err")"
fi

# The report records its inputs.
python3 - "$T/g/repo/report.json" "$(git -C "$T/repo" rev-parse HEAD)" >"$T/py" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
i = r["inputs"]
assert i["submission"] == sys.argv[2], i["submission"]
assert len(i["key"]) == 64 and len(i["spec_digest"]) == 64 and len(i["grader_digest"]) == 64
assert i["options"] == {"no_perf": True, "only": "ex4", "deadline": None, "extension": None}, i["options"]
assert i["toolchain"]["rustc"].startswith("rustc ") and i["toolchain"]["cargo"].startswith("cargo "), i["toolchain"]
PY
if [ $? -eq 0 ]; then ok "the report records its inputs: the commit, the digests, the options, the toolchain"; else fail "the report records its inputs" "$(cat "$T/py")"; fi
