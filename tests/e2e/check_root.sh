#!/usr/bin/env bash
# End to end: `grader check` run from a folder inside the repository checks the repository's root
# (found as git finds it) and writes its report there, never in the subfolder; outside any
# repository it checks the folder itself; `grader grade` never climbs out of the folder it names.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
# discovery stops above $T, as git does with this variable, whatever holds the temp folder
export GIT_CEILING_DIRECTORIES=$T
repo=$T/alice
cp -R submissions/examples/correct "$repo"
git -C "$repo" init -q -b main
git -C "$repo" add -A
git -C "$repo" -c user.name=Alice -c user.email=alice@example.org commit -qm "my work"
real=$(cd "$repo" && pwd -P)

# no_leftover NAME DIR: DIR holds no .grader folder
no_leftover() {
	if [ -e "$2/.grader" ]; then fail "$1" "$2/.grader exists"; else ok "$1"; fi
}
# report_source NAME REPORT WANT: the report's submission source is WANT, nothing changed
report_source() {
	if python3 - "$2" "$3" <<'PY' >"$T/py.out" 2>&1; then ok "$1"; else fail "$1" "$(cat "$T/py.out")"; fi
import json, sys
r = json.load(open(sys.argv[1]))
s = r["submission"]
assert s["source"] == sys.argv[2], s
assert s["kind"] == "worktree", s
assert not any("changed since your last commit" in w for w in s["warnings"]), s["warnings"]
ex = [e for e in r["exercises"] if e["id"].endswith("ex1")][0]
assert ex["status"] == "pass", ex
PY
}

(cd "$repo/ex4" && "$GRADER" check --only ex1 --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "check from ex4/ checks the repository's root" 0 "checking the repository at $real"
report_source "the report from ex4/ names the root and ex1 passes" "$repo/.grader/report.json" "$real"
no_leftover "check from ex4/ leaves no ex4/.grader" "$repo/ex4"
if git -C "$repo" status --porcelain | grep -q .; then
	fail "check from ex4/ leaves git status clean (.grader/ ignores itself)" "$(git -C "$repo" status --porcelain)"
else ok "check from ex4/ leaves git status clean (.grader/ ignores itself)"; fi

rm -rf "$repo/.grader"
(cd "$T" && "$GRADER" check alice/ex4/cases --only ex1 --work w2 --reports rep) >"$T/out" 2>"$T/err"
rc=$?
expect "check of a nested folder given as a relative path checks the root" 0 "checking the repository at $real"
report_source "relative --reports gets the root's report" "$T/rep/alice/report.json" "$real"
no_leftover "the nested folder has no .grader" "$repo/ex4/cases"
no_leftover "with --reports, the root has no .grader either" "$repo"

(cd "$repo/ex4/cases" && "$GRADER" check ../.. --only ex1 --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "check of the root itself runs" 0 'report'
if grep -q "checking the repository at" "$T/err"; then fail "check of the root does not announce the root" "$(cat "$T/err")"; else ok "check of the root does not announce the root"; fi
report_source "check of ../.. from a nested folder names the root" "$repo/.grader/report.json" "$real"

# a linked worktree: its root is the worktree's folder, not the main repository's
rm -rf "$repo/.grader"
git -C "$repo" worktree add -q "$T/alice-wt" 2>/dev/null
(cd "$T/alice-wt/ex1" && "$GRADER" check --only ex1 --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "check inside a linked worktree checks the worktree's root" 0 "checking the repository at $(cd "$T/alice-wt" && pwd -P)"
no_leftover "the linked worktree's ex1 has no .grader" "$T/alice-wt/ex1"
no_leftover "the main repository gets no report from its worktree's check" "$repo"

# outside any repository: the folder itself, as before, with the warning
cp -R submissions/examples/correct "$T/plain"
(cd "$T/plain/ex4" && "$GRADER" check --only ex1 --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "check outside a repository checks the folder given, with a warning" 1 'is not a git repository'
if [ -f "$T/plain/ex4/.grader/report.json" ] && [ ! -e "$T/plain/.grader" ]; then ok "outside a repository the report goes to the folder given"
else fail "outside a repository the report goes to the folder given" "$(ls -a "$T/plain" "$T/plain/ex4")"; fi

# grader grade names exactly what it grades: a plain folder inside a repository is that folder
run_grader grade "$repo/ex1" --only ex1 --reports "$T/gr" --work "$T/w" --learner sub
if python3 - "$T/gr/sub/report.json" "$(cd "$repo/ex1" && pwd -P)" <<'PY' >"$T/py.out" 2>&1; then ok "grade of a folder inside a repository does not climb to the repository"; else fail "grade of a folder inside a repository does not climb to the repository" "rc $rc" "$(cat "$T/py.out")" "$(head -c 400 "$T/err")"; fi
import json, sys
s = json.load(open(sys.argv[1]))["submission"]
assert s["kind"] == "directory", s
assert s["commit"] is None, s
PY

# A submission kept in a folder of a bigger repository (as submissions/examples/* in the grader's
# own): the folder holds the chapter's files itself, so it is what is checked.
mkdir -p "$T/course"
cp -R submissions/examples/correct "$T/course/alice"
git -C "$T/course" init -q -b main && git -C "$T/course" add -A &&
	git -C "$T/course" -c user.name=I -c user.email=i@example.org commit -qm course
(cd "$T/course/alice" && "$GRADER" check --only ex1 --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "a folder that holds the chapter's files is checked itself" 0 'report'
if grep -q "checking the repository at" "$T/err" || [ -e "$T/course/.grader" ] || [ ! -f "$T/course/alice/.grader/report.json" ]; then
	fail "a submission folder inside a bigger repository keeps its report" "$(cat "$T/err")" "$(ls -a "$T/course" "$T/course/alice")"
else ok "a submission folder inside a bigger repository keeps its report"; fi
(cd "$T/course/alice/ex4" && "$GRADER" check --only ex1 --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "from its ex4/, the nearest folder that holds a submission is checked" 0 "checking the submission at $(cd "$T/course/alice" && pwd -P)$"
if grep -q "changed since your last commit" "$T/out"; then fail "a nested submission's .grader is not a change" "$(cat "$T/out")"; else ok "a nested submission's .grader is not a change"; fi
no_leftover "and its ex4/ has no .grader" "$T/course/alice/ex4"
