#!/usr/bin/env bash
# End to end: late work. A deadline with a learner's extension (the roster's `extension` column),
# the chapter's late policy (the default grades the newest commit before the deadline; `penalty`
# grades the newest commit and takes points for each day begun after it), and the sheet's columns
# graded_commit_late, later_commits and penalty. Also the batch's status line on a terminal.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

ex=$GRADER_ROOT/submissions/examples
# repo NAME: a repository with the correct example committed on 1 Dec 2026 at 10:00 UTC and two
# more commits, on 2 Dec at 12:00 (26 h later) and on 3 Dec at 12:00 (50 h later).
repo() {
	local r=$T/$1
	git init -q -b main "$r"
	cp -r "$ex/correct/." "$r/"
	git -C "$r" add -A
	GIT_COMMITTER_DATE=2026-12-01T10:00:00Z GIT_AUTHOR_DATE=2026-12-01T10:00:00Z \
		git -C "$r" -c user.name=L -c user.email=l@x commit -qm on-time
	for d in 2026-12-02T12:00:00Z 2026-12-03T12:00:00Z; do
		echo "late $d" >>"$r/ex4/NOTES.md"
		GIT_COMMITTER_DATE=$d GIT_AUTHOR_DATE=$d git -C "$r" -c user.name=L -c user.email=l@x commit -qam "$d"
	done
}
repo ann
repo ben
repo cid
printf 'learner,source,ref,extension\nann,%s,,\nben,%s,,30h\ncid,%s,main,3d\n' "$T/ann" "$T/ben" "$T/cid" >"$T/roster.csv"
deadline=2026-12-01T12:00:00Z
opts=(--no-perf --only ex4 --deadline "$deadline")

# sheet FILE LEARNER COLUMN: one cell of a grade sheet.
sheet() { python3 -c 'import csv,sys; print({r["learner"]: r for r in csv.DictReader(open(sys.argv[1]))}[sys.argv[2]][sys.argv[3]])' "$@"; }
commit_of() { git -C "$T/$1" rev-parse "main~$2"; }

# The default policy: the newest commit dated before each learner's deadline.
run_grader batch "${opts[@]}" --reports "$T/r" --work "$T/w" "$T/roster.csv"
expect "a batch with a deadline and extensions grades everyone" 0 '3 learners: 3 passed'
py=$(python3 - "$T/r" "$(commit_of ann 2)" "$(commit_of ben 1)" "$(commit_of cid 0)" <<'PY' 2>&1
import json, sys
root, ann, ben, cid = sys.argv[1:]
def rep(l): return json.load(open(f"{root}/{l}/report.json"))
a, b, c = rep("ann"), rep("ben"), rep("cid")
assert a["submission"]["commit"] == ann and a["submission"]["later_commits"] == 2, a["submission"]
assert a["submission"]["deadline"] == "2026-12-01T12:00:00+00:00", a["submission"]["deadline"]
assert not a["submission"]["graded_commit_late"] and a["submission"]["late"]
assert b["submission"]["commit"] == ben and b["submission"]["later_commits"] == 1, b["submission"]
assert b["submission"]["deadline"] == "2026-12-02T18:00:00+00:00", b["submission"]["deadline"]
assert b["inputs"]["options"]["extension"] == "30h" and b["inputs"]["options"]["deadline"] == "2026-12-01T12:00:00+00:00"
assert c["submission"]["commit"] == cid and c["submission"]["later_commits"] == 0 and not c["submission"]["late"]
for r in (a, b, c):
    assert r["score"]["penalty"] is None and r["score"]["points"] == r["score"]["raw_points"]
PY
)
if [ $? -eq 0 ]; then ok "each learner's deadline is the deadline plus the roster's extension; the newest commit before it is graded"; else fail "each learner's deadline is the deadline plus the roster's extension; the newest commit before it is graded" "$py"; fi
if [ "$(sheet "$T/r/grades.csv" ann graded_commit_late)" = no ] && [ "$(sheet "$T/r/grades.csv" ann later_commits)" = 2 ] &&
	[ "$(sheet "$T/r/grades.csv" ben later_commits)" = 1 ] && [ "$(sheet "$T/r/grades.csv" ann penalty)" = 0 ]; then
	ok "the sheet: graded_commit_late is no for work graded on time, later_commits counts what came after"
else
	fail "the sheet: graded_commit_late is no for work graded on time, later_commits counts what came after" "$(cat "$T/r/grades.csv")"
fi

# The penalty policy: the newest commit, 10% a day begun, at most 15%.
cp -r specs/ch01 "$T/spec"
printf 'late: {policy: penalty, per_day: 0.1, max: 0.15}\n' >>"$T/spec/chapter.yaml"
run_grader batch "${opts[@]}" --spec "$T/spec" --reports "$T/p" --work "$T/w" "$T/roster.csv"
expect "a batch under a penalty policy grades everyone" 0 '3 learners'
py=$(python3 - "$T/p" "$(commit_of ann 0)" <<'PY' 2>&1
import json, sys
root, tip = sys.argv[1:]
def rep(l): return json.load(open(f"{root}/{l}/report.json"))
a, b, c = rep("ann"), rep("ben"), rep("cid")
for r in (a, b, c):
    assert r["submission"]["commit"] == tip or r["learner"] != "ann"
    assert r["submission"]["later_commits"] == 0, r["submission"]
# ann: 48 h after the deadline -> 2 days begun, 20%, capped at 15%
s = a["score"]
assert a["submission"]["graded_commit_late"] and s["penalty"]["fraction"] == 0.15, s
assert abs(s["points"] - s["raw_points"] * 0.85) < 1e-6 and abs(s["penalty"]["points"] - s["raw_points"] * 0.15) < 1e-6, s
assert "2 days late" in s["penalty"]["reason"] and "at most 15%" in s["penalty"]["reason"], s["penalty"]["reason"]
# ben: deadline + 30 h = 2 Dec 18:00; the tip is 18 h after it: 1 day begun, 10%
assert b["score"]["penalty"]["fraction"] == 0.1 and "1 day late" in b["score"]["penalty"]["reason"], b["score"]
# cid: deadline + 3 d = 4 Dec 12:00; the tip is on time
assert not c["submission"]["graded_commit_late"] and c["score"]["penalty"] is None, c["score"]
PY
)
if [ $? -eq 0 ]; then ok "the penalty policy grades the newest commit and takes 10% a day begun, at most 15%"; else fail "the penalty policy grades the newest commit and takes 10% a day begun, at most 15%" "$py"; fi
if [ "$(sheet "$T/p/grades.csv" ann graded_commit_late)" = yes ] && [ "$(sheet "$T/p/grades.csv" cid graded_commit_late)" = no ] &&
	python3 -c 'import sys; assert float(sys.argv[1]) > 0' "$(sheet "$T/p/grades.csv" ann penalty)"; then
	ok "the sheet: graded_commit_late is yes only for a late graded commit, with its penalty"
else
	fail "the sheet: graded_commit_late is yes only for a late graded commit, with its penalty" "$(cat "$T/p/grades.csv")"
fi
run_grader grade --no-perf --only ex4 --deadline "$deadline" --spec "$T/spec" --reports "$T/g" --work "$T/w" "$T/ann"
expect "the summary of a penalised grading names the penalty" 0 'late +-[0-9.]+ points \(15% of [0-9.]+\): the graded commit is 2 days late'

# Bad extensions and policies are refused with where they are.
printf 'learner,source,extension\nann,%s,soon\n' "$T/ann" >"$T/bad.csv"
run_grader batch "${opts[@]}" "$T/bad.csv"
expect "a roster's bad extension is named with its line" 2 "bad.csv:2: extension 'soon' is not a duration"
run_grader grade --extension 2d "$T/ann"
expect "an extension without a deadline is refused" 2 'needs a --deadline'
sed -i 's/^late: .*/late: {policy: penalty, per_day: 2}/' "$T/spec/chapter.yaml"
run_grader validate "$T/spec"
expect "a late policy out of range is named with its line" 2 'chapter.yaml:[0-9]+:[0-9]+:.*per_day'

# The status line on a terminal: done/total, passed, time left; rewritten in place.
if command -v script >/dev/null; then
	script -qec "stty cols 150; '$GRADER' batch --regrade ${opts[*]} --reports '$T/r' --work '$T/w' '$T/roster.csv'" /dev/null >"$T/tty" 2>&1
	if grep -Eaq $'\r''1/3 done, [0-9]+s, about [0-9hms]+ left: 1 passed'$'\033' "$T/tty" &&
		grep -Eaq $'\r''3/3 done, [0-9]+s: 3 passed'$'\033' "$T/tty"; then
		ok "on a terminal, one status line shows done/total, the outcomes and the time left"
	else
		fail "on a terminal, one status line shows done/total, the outcomes and the time left" "$(tr '\r' '\n' <"$T/tty" | head -20)"
	fi
else
	skip "on a terminal, one status line shows done/total, the outcomes and the time left" "script(1) is not installed"
fi
