#!/usr/bin/env bash
# End to end: `grader check` says which commits the remote does not have (from the
# remote-tracking branch, without network), since the instructor grades the remote.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES=$T
export GIT_AUTHOR_NAME=Bob GIT_AUTHOR_EMAIL=bob@example.org GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@example.org
git init -q --bare -b main "$T/origin.git"
git clone -q "$T/origin.git" "$T/bob" 2>/dev/null
repo=$T/bob
cp -R submissions/examples/correct/. "$repo/"
git -C "$repo" add -A && git -C "$repo" commit -qm "my work" && git -C "$repo" push -q origin main 2>/dev/null

# check_push NAME PYTHON-EXPRESSION: runs grader check --only ex1 in the clone, then evaluates the
# expression on `p` (the report's submission.push) and `w` (its warnings, one string)
check_push() {
	(cd "$repo" && "$GRADER" check --only ex1 --work "$T/w") >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne 0 ] || grep -q Sanitizer "$T/err"; then fail "$1" "exit $rc" "$(head -c 600 "$T/err")"; return; fi
	if python3 - "$repo/.grader/report.json" "$2" <<'PY' >"$T/py.out" 2>&1; then ok "$1"; else fail "$1" "$(cat "$T/py.out")"; fi
import json, sys
s = json.load(open(sys.argv[1]))["submission"]
p, w = s.get("push"), "\n".join(s["warnings"])
if not eval(sys.argv[2]):
    print("assertion failed:", sys.argv[2]); print("push:", p); print("warnings:", w); sys.exit(1)
PY
}

check_push "a pushed branch gets no warning about pushing" \
	'p == {"branch": "main", "upstream": "origin/main", "detached": False, "ahead": 0, "behind": 0} and "push" not in w'
echo one >>"$repo/ex4/NOTES.md" && git -C "$repo" commit -qam "one more"
check_push "one commit ahead: singular" \
	'p["ahead"] == 1 and "1 commit is not pushed to origin/main: the instructor will not see it" in w'
echo two >>"$repo/ex4/NOTES.md" && git -C "$repo" commit -qam "and another"
check_push "two commits ahead: the warning names 2 and origin/main" \
	'p["ahead"] == 2 and "2 commits are not pushed to origin/main: the instructor will not see them" in w'
if grep -q "2 commits are not pushed to origin/main" "$T/out"; then ok "the terminal summary shows the unpushed warning"; else fail "the terminal summary shows the unpushed warning" "$(cat "$T/out")"; fi
mkdir -p "$T/dest"
run_grader fetch --status "$repo" "$T/dest"
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; w=json.load(open(sys.argv[1]))["worktree"]; assert (w["branch"], w["upstream"], w["ahead"], w["behind"], w["detached"]) == ("main", "origin/main", 2, 0, False), w' "$T/out" 2>"$T/py.out"; then
	ok "grader fetch --status reports the branch, its upstream and the commits ahead"
else fail "grader fetch --status reports the branch, its upstream and the commits ahead" "exit $rc" "$(cat "$T/py.out")" "$(head -c 600 "$T/out")" "$(head -c 300 "$T/err")"; fi
git -C "$repo" push -q origin main 2>/dev/null
check_push "after git push: no warning" 'p["ahead"] == 0 and "not pushed" not in w'
git -C "$repo" reset -q --hard HEAD~1
check_push "behind the upstream: says so" \
	'p["behind"] == 1 and p["ahead"] == 0 and "origin/main has 1 commit that your branch does not" in w'
git -C "$repo" reset -q --hard origin/main
git -C "$repo" switch -q -c feature
check_push "a branch without upstream, with a remote: not pushed" \
	'p["upstream"] is None and p["branch"] == "feature" and "your branch feature is not pushed to origin" in w and "git push -u origin feature" in w'
git -C "$repo" switch -q --detach main
check_push "detached HEAD: says so" 'p["detached"] is True and p["branch"] is None and "HEAD is detached" in w'
git -C "$repo" switch -q main
check_push "back on main: pushed, no warning" 'p["ahead"] == 0 and "push" not in w'
if /usr/bin/python3 - reports/schema.json "$repo/.grader/report.json" <<'PY' >"$T/schema.out" 2>&1; then ok "the check's report with its push record follows reports/schema.json"; else fail "the check's report with its push record follows reports/schema.json" "$(cat "$T/schema.out")"; fi
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY
