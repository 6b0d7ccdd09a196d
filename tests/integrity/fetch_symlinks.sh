#!/usr/bin/env bash
# Integrity: a submission graded in place (a plain directory, or the working tree under
# `grader check`) cannot make a host file part of itself through a symbolic link. A link whose
# target is absolute, or that resolves (physically, following chains) outside the submission, is
# refused with a message naming the link and its target; the planted secret appears in no report,
# summary or message. Links that stay inside are fine.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

SECRET="host-secret-$RANDOM$RANDOM"
mkdir -p "$T/host"
for f in a.txt b.txt c.txt; do echo "$SECRET $SECRET" >"$T/host/$f"; done
echo "# Challenges $SECRET" >"$T/host/notes.md"

n=0
# plain NAME: a fresh honest plain directory in $D
plain() { n=$((n + 1)); D=$T/plain.$n; honest_port "$D"; }
grade_dir() { run_grader grade "$D" --learner "$1" --work "$T/w" --reports "$T/r" --only ex4 --no-perf; }
refused() { # NAME LEARNER REGEX
	expect "$1" 1 "$3"
	if [ "$(report_field "$T/r/$2/report.json" 'bool(r["submission"]["error"]) and not r["errors"] and not r["exercises"]')" = True ]; then
		ok "$1: the learner's error in the report, nothing graded"
	else
		fail "$1: the learner's error in the report, nothing graded" "$(head -c 1000 "$T/r/$2/report.json")"
	fi
	no_secret "$1: the secret is in no report, summary or message" "$SECRET" "$T/r/$2" "$T/out" "$T/err"
}

# --- plain directories ---------------------------------------------------------------------------
plain && rm -rf "$D/ex4/cases" && ln -s "$T/host" "$D/ex4/cases"
grade_dir cases
refused "a cases folder linked to a host folder is refused" cases "'ex4/cases' is a symbolic link to '$T/host', outside the submission"

plain && rm "$D/ex4/NOTES.md" && ln -s "$T/host/notes.md" "$D/ex4/NOTES.md"
grade_dir notes
refused "NOTES.md linked to a host file is refused" notes "'ex4/NOTES.md' is a symbolic link to '$T/host/notes.md'"

plain && ln -s ../../../host/a.txt "$D/ex4/cases/d.txt"
grade_dir dotdot
refused "a relative link that climbs out is refused" dotdot "'ex4/cases/d.txt' is a symbolic link to '../../../host/a.txt'"

# A chain: ex4/up -> .. stays inside (it is the root), and ex4/cases/d.txt -> ../up/../host/a.txt
# read as text stays inside too (ex4/host/a.txt); resolved, through ex4/up, it is $T/host/a.txt.
plain && ln -s .. "$D/ex4/up" && ln -s ../up/../host/a.txt "$D/ex4/cases/d.txt"
grade_dir chain
refused "a chain of links that leaves through another link is refused" chain "'ex4/cases/d.txt' is a symbolic link to '../up/../host/a.txt'"

plain && ln -s "$D/ex4/cases/a.txt" "$D/ex4/cases/d.txt"
grade_dir absinside
refused "an absolute link is refused even when it points inside" absinside "'ex4/cases/d.txt' is a symbolic link to '$D/ex4/cases/a.txt'"

plain && mkfifo "$D/ex4/cases/d.txt"
grade_dir fifo
refused "a named pipe (a read that never ends) is refused" fifo "'ex4/cases/d.txt' is a named pipe"

# Links that stay inside, directly or through a chain, are fine; so is a dangling one that does.
# (Not in cases/: the programs read a case inside the sandbox, where such a link did not resolve
# when this test was written; that is the sandbox's business, not the scan's.)
plain && ln -s ../ex4/cases "$D/ex4/alias" && ln -s alias/b.txt "$D/ex4/e.txt" && ln -s nowhere/x "$D/ex4/dangling"
grade_dir inside
expect "links that stay inside are graded" 0
check_exercise "links that stay inside: the port is graded as usual" "$T/r/inside/report.json" ch01-ex4 \
	'c["build"]["status"] == "pass" and c["correctness"]["status"] == "pass"'

# The scan is bounded: past the file count limit the directory is refused, not walked forever.
plain && mkdir "$D/many" && (cd "$D/many" && seq 1 20001 | xargs touch)
grade_dir many
expect "a plain directory past the file count limit is refused" 1 "more than 20000 files and directories \(file count limit\)"

# --- grader check, in the learner's clone -----------------------------------------------------------
C=$T/clone
honest_port "$C" && commit_repo "$C"
rm "$C/ex4/NOTES.md" && ln -s "$T/host/notes.md" "$C/ex4/NOTES.md"
(cd "$C" && "$GRADER" check --only ex4 --no-perf --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "grader check refuses a link to a host file in the working tree" 1 "'ex4/NOTES.md' is a symbolic link to '$T/host/notes.md', outside the submission"
no_secret "grader check: the secret is in no report, summary or message" "$SECRET" "$C/.grader" "$T/out" "$T/err"
rm "$C/ex4/NOTES.md" && git -C "$C" checkout -q -- ex4/NOTES.md
rm -rf "$C/ex4/cases" && ln -s ../../host "$C/ex4/cases"
(cd "$C" && "$GRADER" check --only ex4 --no-perf --work "$T/w" --reports "$T/rc") >"$T/out" 2>"$T/err"
rc=$?
expect "grader check refuses a cases folder that climbs out" 1 "'ex4/cases' is a symbolic link to '../../host'"
no_secret "grader check (cases): the secret is in no report, summary or message" "$SECRET" "$T/rc" "$T/out" "$T/err"
# Inside links, and the repository's own .git and cargo's target folder, are not refused.
rm "$C/ex4/cases" && git -C "$C" checkout -q -- ex4/cases
ln -s cases/a.txt "$C/ex4/sample.txt"
mkdir -p "$C/ex4/rust/target/debug" && ln -s "$T/host/a.txt" "$C/ex4/rust/target/debug/stale-link"
ln -s "$T/host" "$C/.git/not-read"
# what git ignores and does not track is never in a commit: a virtualenv's links are not refused
mkdir -p "$C/ex4/python/.venv/bin" && ln -s /usr/bin/python3 "$C/ex4/python/.venv/bin/python"
echo .venv/ >"$C/.gitignore" && git -C "$C" add .gitignore && git -C "$C" -c user.name=L -c user.email=l@e commit -qm ignore
(cd "$C" && "$GRADER" check --only ex4 --no-perf --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "grader check grades a tree whose links stay inside (.git, cargo's target folder and ignored files are not scanned)" 0 'ch01-ex4'
# ... but an ignored path that is tracked is part of the commit, and is scanned
ln -s "$T/host/notes.md" "$C/ex4/python/.venv/notes.md" && git -C "$C" add -f ex4/python/.venv/notes.md
(cd "$C" && "$GRADER" check --only ex4 --no-perf --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "grader check refuses a link that is ignored but tracked" 1 "'ex4/python/.venv/notes.md' is a symbolic link to '$T/host/notes.md'"
# The check's own report folder: a link there would have the report written wherever it points.
rm -rf "$C/.grader" && mkdir "$T/elsewhere" && ln -s "$T/elsewhere" "$C/.grader"
(cd "$C" && "$GRADER" check --only ex4 --no-perf --work "$T/w") >"$T/out" 2>"$T/err"
rc=$?
expect "grader check writes no report through a link in place of .grader" 2 "\.grader is not a folder \(a symbolic link\?\)"
if [ -z "$(ls -A "$T/elsewhere")" ]; then ok "nothing was written where the link points"; else fail "nothing was written where the link points" "$(ls -A "$T/elsewhere")"; fi
