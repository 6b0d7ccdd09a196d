#!/usr/bin/env bash
# End to end: the command line as a user meets it: help, version, usage errors, exit statuses,
# an installed grader finding its data.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

run_grader
expect "no command is a usage error that lists the commands" 2 'Commands:'
run_grader frobnicate
expect "an unknown command is named" 2 "unknown command 'frobnicate'"
run_grader --help
expect "grader --help documents the exit statuses" 0 '3  infrastructure error'
for cmd in grade check batch merge validate run version; do
	run_grader $cmd --help
	expect "grader $cmd --help explains the command" 0 "Usage: grader $cmd"
done
run_grader version
if [ "$rc" -eq 0 ] && grep -q '^grader [0-9]' "$T/out" && grep -q '^libgit2 1\.' "$T/out" &&
	grep -q '^libyaml 0\.' "$T/out" && grep -q '^cJSON 1\.' "$T/out" && grep -q '^bubblewrap 0\.' "$T/out"; then
	ok "grader version names the grader, libgit2, libyaml, cJSON and bubblewrap"
else
	fail "grader version names the grader, libgit2, libyaml, cJSON and bubblewrap" "$(cat "$T/out" "$T/err")"
fi
run_grader grade
expect "grade without a source is a usage error" 2 'name exactly one SOURCE'
run_grader grade --bogus x
expect "an unknown option is a usage error" 2 'Usage: grader grade'
run_grader grade submissions/examples/correct --deadline tomorrow --reports "$T/r" --work "$T/w"
expect "a deadline without an offset is refused" 2 "not an ISO 8601 time with an offset"
run_grader grade "$T/nowhere" --reports "$T/r" --work "$T/w" --learner ghost
expect "a source that does not exist is graded as nothing (the learner's side), with a report" 1 'not graded: .*nowhere'
if [ -f "$T/r/ghost/report.json" ] && grep -q '"error":.*nowhere' "$T/r/ghost/report.json"; then ok "the failed fetch still leaves a report naming the error"; else fail "the failed fetch still leaves a report naming the error" "$(ls -R "$T/r" 2>&1)"; fi
run_grader grade git://127.0.0.1:9/none.git --reports "$T/r" --work "$T/w" --learner refused
expect "an unreachable server is an infrastructure error" 3 '127.0.0.1'
if grep -q '"errors": \[".*fetch' "$T/r/refused/report.json" 2>/dev/null || python3 -c "import json,sys; assert json.load(open('$T/r/refused/report.json'))['errors']" 2>/dev/null; then ok "an unreachable server is recorded in the report's errors"; else fail "an unreachable server is recorded in the report's errors" "$(cat "$T/r/refused/report.json" 2>&1 | head -30)"; fi
mkdir -p "$T/badspec" && printf 'id: x\n' >"$T/badspec/chapter.yaml"
run_grader grade submissions/examples/correct --spec "$T/badspec" --reports "$T/r" --work "$T/w"
expect "invalid specs stop grading with a usage error" 2 "chapter.yaml:1:1: the chapter is missing the required key 'title'"

# An installed grader finds its specs and profiles under PREFIX/share/grader.
make -s install PREFIX="$T/prefix" >"$T/install.log" 2>&1
if [ -x "$T/prefix/bin/grader" ] && (cd / && "$T/prefix/bin/grader" validate "$T/prefix/share/grader/specs/ch01" >"$T/out" 2>&1); then
	ok "make install PREFIX=… gives a grader that validates its installed specs"
else
	fail "make install PREFIX=… gives a grader that validates its installed specs" "$(cat "$T/install.log" "$T/out" 2>/dev/null | tail -20)"
fi
