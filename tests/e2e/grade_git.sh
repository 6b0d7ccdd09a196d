#!/usr/bin/env bash
# End to end: grading a commit of a git repository (with a deadline), and a learner's self-check
# of a working tree with uncommitted changes.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
repo=$T/alice
cp -R submissions/examples/correct "$repo"
git -C "$repo" init -q -b main
git -C "$repo" add -A
GIT_AUTHOR_DATE=2026-11-30T12:00:00+01:00 GIT_COMMITTER_DATE=2026-11-30T12:00:00+01:00 \
	git -C "$repo" -c user.name=Alice -c user.email=alice@example.org commit -qm "my port"
first=$(git -C "$repo" rev-parse HEAD)
echo "late change" >>"$repo/ex4/NOTES.md"
GIT_AUTHOR_DATE=2026-12-02T09:00:00+01:00 GIT_COMMITTER_DATE=2026-12-02T09:00:00+01:00 \
	git -C "$repo" -c user.name=Alice -c user.email=alice@example.org commit -qam "after the deadline"

run_grader grade "$repo" --deadline 2026-12-01T23:59:00+01:00 --only ex4 --no-perf --reports "$T/r" --work "$T/w"
expect "a local repository is graded at the last commit before the deadline" 0 'ch01-ex4'
if python3 - "$T/r/alice/report.json" "$first" <<'PY'; then ok "the report records the commit, author, date and lateness"; else fail "the report records the commit, author, date and lateness" "$(head -c 800 "$T/r/alice/report.json")"; fi
import json, sys
s = json.load(open(sys.argv[1]))["submission"]
assert s["kind"] == "repository", s
assert s["commit"] == sys.argv[2], s
assert s["author"].startswith("Alice"), s
assert s["date"].startswith("2026-11-30T12:00:00"), s
assert s["late"] is True and abs(s["late_seconds"] - (9 * 3600 + 60)) < 2, s
PY

run_grader grade "$repo" --ref "$first" --only ex4 --no-perf --reports "$T/r2" --work "$T/w"
expect "--ref picks a commit" 0 'ch01-ex4'

# grader check: the working tree as it is, with a warning about what is not committed.
echo "draft" >"$repo/ex4/scratch.txt"
echo "more" >>"$repo/ex4/NOTES.md"
(cd "$repo" && "$GRADER" check --only ex4 --no-perf --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "grader check warns about files changed since the last commit" 0 '2 files changed since your last commit: the instructor will grade the commit, not these changes'
if [ -f "$repo/.grader/report.json" ]; then ok "grader check writes its report in the clone's .grader folder"; else fail "grader check writes its report in the clone's .grader folder" "$(ls -a "$repo")"; fi
(cd "$repo" && "$GRADER" check --only ex4 --no-perf --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "the check's own report folder is not counted as a change" 0 '2 files changed since your last commit'
git -C "$repo" add -A && git -C "$repo" -c user.name=Alice -c user.email=a@b.c commit -qm all
(cd "$repo" && "$GRADER" check --only ex4 --no-perf --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && ! grep -q 'changed since your last commit' "$T/out"; then ok "a clean working tree gets no warning"; else fail "a clean working tree gets no warning" "$(cat "$T/out")"; fi
