#!/usr/bin/env bash
# End to end: `grader check --watch` checks, then checks again when a file of the repository
# changes (new folders included, .git, .grader and target left out, a burst of changes counted
# once), runs the measured pass only after clean fast checks, and ends on SIGINT with exit 130.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES=$T
repo=$T/carol
cp -R submissions/examples/correct "$repo"
printf '.venv/\nbuild-out/\n' >"$repo/.gitignore"
mkdir -p "$repo/.venv/lib"       # ignored by git and untracked: never watched
git -C "$repo" init -q -b main
git -C "$repo" add -A
git -C "$repo" -c user.name=Carol -c user.email=carol@example.org commit -qm "my work"

# start_watch ARGS...: starts grader check --watch ARGS on the repository in the background, with
# a watchdog that kills it after 300 s so that the test cannot hang (longer than any wait below:
# under a parallel test run a pass can take a while)
start_watch() {
	"$GRADER" check --watch "$@" --work "$T/w" "$repo" >"$T/wout" 2>"$T/werr" &
	wpid=$!
	(sleep 300; kill -KILL "$wpid" 2>/dev/null) &
	dog=$!
}
# summaries: how many summaries the watcher printed so far
summaries() { grep -c '^  report ' "$T/wout"; }
# wait_summaries N NAME [SECONDS]: waits (90 s unless told) for the Nth summary; says ok/not ok
wait_summaries() {
	local i
	for i in $(seq $((${3:-90} * 10))); do
		[ "$(summaries)" -ge "$1" ] && grep -q '^Watching ' <(tail -n 2 "$T/wout") && { ok "$2"; return 0; }
		sleep 0.1
	done
	fail "$2" "$(summaries) summaries after ${3:-90} s" "stdout: $(tail -c 800 "$T/wout")" "stderr: $(head -c 600 "$T/werr")"
	return 1
}
# still N NAME: after 1.5 s of waiting, there are still N summaries
still() {
	sleep 1.5
	if [ "$(summaries)" -eq "$1" ]; then ok "$2"; else fail "$2" "$(summaries) summaries, wanted $1" "$(tail -c 600 "$T/wout")"; fi
}
# stop NAME: SIGINT, then exit 130, a tidy message, no sanitizer report and no process left
stop() {
	kill -INT "$wpid"
	wait "$wpid"
	local rc=$?
	kill "$dog" 2>/dev/null; wait "$dog" 2>/dev/null
	if [ "$rc" -ne 130 ]; then fail "$1" "exit $rc, wanted 130" "$(tail -c 600 "$T/werr")"
	elif ! grep -q 'stopped watching' "$T/werr"; then fail "$1" "no tidy message" "$(cat "$T/werr")"
	elif grep -q Sanitizer "$T/werr"; then fail "$1" "$(grep -A20 Sanitizer "$T/werr" | head -30)"
	elif ps -eo pid=,args= | grep -F -- "$repo" | grep -v -e grep -e "^ *$$ " -q; then fail "$1" "processes left:" "$(ps -eo pid=,args= | grep -F -- "$repo" | grep -v grep)"
	else ok "$1"; fi
}

start_watch --no-perf --only ex1
wait_summaries 1 "the first check's summary appears"
if grep -q 'ch01-ex1 pass' "$T/wout"; then ok "the first check passes ex1"; else fail "the first check passes ex1" "$(cat "$T/wout")"; fi
still 1 "the check's own report does not trigger another check"

printf 'organisations: [\n' >"$repo/ex1/organisations.yaml"
wait_summaries 2 "a change to ex1/organisations.yaml brings a second summary"
if tail -n 12 "$T/wout" | grep -q 'ch01-ex1 fail' && grep -q '── ex1/organisations.yaml changed ──' "$T/wout"; then
	ok "the second summary says ex1 now fails, under a rule naming the file"
else fail "the second summary says ex1 now fails, under a rule naming the file" "$(tail -c 900 "$T/wout")"; fi

mkdir "$repo/notes"
wait_summaries 3 "a new folder is a change"
echo "draft" >"$repo/notes/todo.txt"
wait_summaries 4 "a file in a folder created while watching is a change"

mkdir -p "$repo/ex4/rust/target/debug" "$repo/.grader/x" "$repo/build-out/sub"
echo x >"$repo/ex4/rust/target/debug/out"
echo x >"$repo/.grader/x/y"
echo x >"$repo/.venv/lib/site.py"
echo x >"$repo/build-out/sub/o"
git -C "$repo" add notes >/dev/null
still 4 "target/, .grader/, .git/ and folders git ignores are left out"

for f in a b c d e; do echo "$f" >"$repo/notes/$f.txt"; done
wait_summaries 5 "a burst of changes brings a check"
still 5 "a burst of changes brings one check only"
stop "SIGINT ends the watch with exit 130, a tidy message and no process left"

# without --no-perf: the measured pass runs after clean fast checks only
git -C "$repo" checkout -q -- ex1/organisations.yaml
start_watch --only ex1
wait_summaries 2 "clean fast checks are followed by the measured pass"
if grep -q 'The fast checks pass: measuring speed and memory' "$T/wout"; then ok "the watcher says it goes on to measure"; else fail "the watcher says it goes on to measure" "$(cat "$T/wout")"; fi
printf 'organisations: [\n' >"$repo/ex1/organisations.yaml"
wait_summaries 3 "after a breaking change, only the fast pass runs"
if tail -n 6 "$T/wout" | grep -q 'Speed and memory are measured once the checks above pass'; then ok "the watcher says why it does not measure"; else fail "the watcher says why it does not measure" "$(tail -c 600 "$T/wout")"; fi
stop "SIGINT ends the second watch too"

# A pass that takes a while (exercise 4: a build, then its cases): changes during it bring one
# more pass once it ends, not one per change; SIGINT during a pass ends it at once, programs too.
git -C "$repo" checkout -q -- ex1/organisations.yaml
start_watch --no-perf --only ex4
sleep 1
echo one >"$repo/notes/during-1.txt"
sleep 0.2
echo two >"$repo/notes/during-2.txt"
wait_summaries 2 "changes made during a pass bring another pass when it ends" 240
still 2 "changes made during a pass bring one more pass, not one each"
echo three >"$repo/notes/during-3.txt"
for i in $(seq 100); do [ "$(grep -c '── notes/during-3.txt changed ──' "$T/wout")" -ge 1 ] && break; sleep 0.1; done
sleep 1
descendants() { local p; for p in $(ps -o pid= --ppid "$1"); do echo "$p"; descendants "$p"; done; }
# the pass runs one program after another: catch it while one runs (between two, it has none)
for i in $(seq 200); do
	kids=$(descendants "$wpid")
	[ -n "$kids" ] && break
	sleep 0.02
done
kill -INT "$wpid"
wait "$wpid"
rc=$?
kill "$dog" 2>/dev/null; wait "$dog" 2>/dev/null
# a process still there and not a zombie (a zombie has ended; who reaps it is the container's init).
# A killed program may take a moment to finish exiting on a loaded machine (state R with an empty
# command line while its memory is freed): one that survived is still there after 10 s.
for i in $(seq 100); do
	sleep 0.1
	left=""
	for p in $kids; do
		state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$p/status" 2>/dev/null)
		[ -n "$state" ] && [ "$state" != Z ] && left="$left $p:$state:$(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null | head -c 80)"
	done
	[ -z "$left" ] && break
done
if [ "$rc" -eq 130 ] && grep -q 'stopped during a check' "$T/werr" && [ -z "$left" ] && [ -n "$kids" ]; then
	ok "SIGINT during a pass ends it with exit 130, says so, and leaves none of its programs"
else fail "SIGINT during a pass ends it with exit 130, says so, and leaves none of its programs" "exit $rc; programs before: $(echo $kids); left:$left" "$(tail -c 400 "$T/werr")"; fi

run_grader check --watch --json "$repo"
expect "--watch with --json is a usage error" 2 'not --json'
run_grader grade --watch "$repo"
expect "grade has no --watch" 2 "--watch is for 'grader check'"
