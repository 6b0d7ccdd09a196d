#!/usr/bin/env bash
# Integrity: a learner id names the learner's report and work folders, so an id that is not
# already a safe name is refused, never rewritten ("teamA/bob" and "teamB/bob" used to share one
# folder and one report), two rows with the same id are refused, and no id can name the grader's
# own files (they live in WORK/.grader; ids never start with a dot). A timing lock that cannot be
# used is recorded, and the measurement runs anyway.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

honest_port "$T/port" && commit_repo "$T/port"
nothing_graded() { # NAME
	if [ ! -e "$T/r" ] && [ ! -e "$T/w" ]; then ok "$1"; else fail "$1" "$(find "$T/r" "$T/w" -maxdepth 2 2>/dev/null | head)"; fi
}

# --- rosters -------------------------------------------------------------------------------------
printf 'learner,source\nteamA/bob,%s\nteamB/bob,%s\n' "$T/port" "$T/port" >"$T/teams.csv"
run_grader batch --no-perf --only ex4 --reports "$T/r" --work "$T/w" "$T/teams.csv"
expect "teamA/bob is refused, naming the roster, the row and the id" 2 "teams.csv:2: learner id 'teamA/bob' is refused: it contains '/'"
expect "teamB/bob is refused too" 2 "teams.csv:3: learner id 'teamB/bob' is refused"
nothing_graded "a refused roster grades nobody"

printf 'learner,source\nbob,%s\nalice,%s\nbob,%s\n' "$T/port" "$T/port" "$T/port" >"$T/dup.csv"
run_grader batch --no-perf --only ex4 --reports "$T/r" --work "$T/w" "$T/dup.csv"
expect "two rows with the same id are refused, naming both rows" 2 "dup.csv:4: learner 'bob' is listed twice \(first on line 2\)"
printf 'learner,source\nBob,%s\nbob,%s\n' "$T/port" "$T/port" >"$T/case.csv"
run_grader batch --no-perf --only ex4 --reports "$T/r" --work "$T/w" "$T/case.csv"
expect "ids that differ only in case are the same id" 2 "case.csv:3: learner 'bob' is listed twice \(first on line 2 as 'Bob'"

printf 'learner,source\n.timing.lock,%s\n' "$T/port" >"$T/lock.csv"
run_grader batch --no-perf --only ex4 --reports "$T/r" --work "$T/w" "$T/lock.csv"
expect "an id that names the grader's own files (.timing.lock) is refused" 2 "lock.csv:2: learner id '.timing.lock' is refused: it starts with '.'"
nothing_graded "nothing is created for it"

{
	echo 'learner,source'
	for id in .. . -rf ' bob' 'bob ' 'a b' "$(printf 'esc\033[31m')" "$(printf 'x%.0s' $(seq 1 65))" '.grader'; do
		echo "$id,$T/port"
	done
} >"$T/bad.csv"
run_grader batch --no-perf --only ex4 --reports "$T/r" --work "$T/w" "$T/bad.csv"
expect "unsafe ids are each named and refused" 2 "bad.csv:10: learner id '.grader' is refused"
if [ "$(grep -c 'is refused' "$T/err")" -eq 9 ] && ! grep -q $'\033' "$T/err"; then
	ok "every unsafe id is refused, and a terminal escape in one is not echoed raw"
else
	fail "every unsafe id is refused, and a terminal escape in one is not echoed raw" "$(cat -v "$T/err")"
fi

# Safe ids are graded into folders of their own; a source that looks like an option stays a source.
printf 'learner,source\nteamA-bob,%s\nteamB.bob,%s\neve,--work=%s\n' "$T/port" "$T/port" "$T/stolen" >"$T/ok.csv"
run_grader batch --no-perf --only ex4 --reports "$T/r" --work "$T/w" "$T/ok.csv"
expect "safe ids are graded (a source that looks like an option is the learner's error)" 0 '^3 learners: .*, 0 with errors;'
if [ -f "$T/r/teamA-bob/report.json" ] && [ -f "$T/r/teamB.bob/report.json" ] && [ -d "$T/w/teamA-bob" ] && [ -d "$T/w/teamB.bob" ] &&
	[ "$(report_field "$T/r/teamA-bob/report.json" 'r["learner"]')" = teamA-bob ]; then
	ok "each learner has its own report and work folder, under its own id"
else
	fail "each learner has its own report and work folder, under its own id" "$(ls -a "$T/r" "$T/w")"
fi
if [ ! -e "$T/stolen" ] && [ "$(report_field "$T/r/eve/report.json" '"no such directory" in (r["submission"]["error"] or "")')" = True ]; then
	ok "a source '--work=...' is a source, not an option of the learner's grading"
else
	fail "a source '--work=...' is a source, not an option of the learner's grading" "$(head -c 800 "$T/r/eve/report.json")"
fi
if [ -d "$T/w/.grader" ] && [ ! -e "$T/w/.timing.lock" ]; then
	ok "the grader's own files are in WORK/.grader"
else
	fail "the grader's own files are in WORK/.grader" "$(ls -a "$T/w")"
fi
rm -rf "$T/r" "$T/w"

# --- grade --learner -------------------------------------------------------------------------------
for id in teamA/bob .timing.lock .. 'a b'; do
	run_grader grade "$T/port" --learner "$id" --work "$T/w" --reports "$T/r" --only ex4 --no-perf
	expect "grade --learner '$id' is refused" 2 "--learner '$id' is refused"
done
nothing_graded "a refused --learner creates nothing"

# Without --learner the id is derived from the source (the user typed none), and is a safe one.
cp -R "$T/port" "$T/.hidden"
run_grader grade "$T/.hidden" --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "an id derived from the source is made safe" 0
if [ -f "$T/r/hidden/report.json" ] && [ ! -e "$T/r/.hidden" ]; then ok "the derived id is 'hidden', not '.hidden'"; else fail "the derived id is 'hidden', not '.hidden'" "$(ls -a "$T/r")"; fi

# --- the timing lock ---------------------------------------------------------------------------------
# The lock is shared by the machine's graders (docs/performance.md): one that cannot be used (here
# a folder where the lock file goes) would let any local user stop every grading, so the
# measurement runs anyway and the report says the lock was not held.
mkdir -p "$T/wl/timing.lock"
GRADER_TIMING_LOCK=$T/wl/timing.lock run_grader grade "$T/port" --learner timed --work "$T/wl" --reports "$T/rl" --only ex4
if [ "$rc" -ne 3 ]; then ok "a timing lock that cannot be used is no infrastructure error"; else fail "a timing lock that cannot be used is no infrastructure error" "$(head -c 600 "$T/err")"; fi
check_exercise "the speed check is measured, and records that the lock was not held, and why" "$T/rl/timed/report.json" ch01-ex4 \
	'c["performance"]["status"] != "error" and not c["performance"]["evidence"]["timing_lock"]["held"] and "timing.lock" in c["performance"]["evidence"]["timing_lock"]["note"] and any("without the timing lock" in w for w in r["submission"]["warnings"]) and not r["errors"]'
