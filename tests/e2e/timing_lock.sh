#!/usr/bin/env bash
# End to end: the machine-wide timing lock and the start-up of trivial programs, on real gradings
# of the bundled correct port (a small benchmark input, a short measurement). The lock's path is
# the test's own (GRADER_TIMING_LOCK), so nothing else on the machine takes turns with it.
#  - start-up: the trivial programs' figures are plausible (the Python one's peak is what
#    `grader run` measures for python3 on an empty script, within 20%), the trivial Rust program
#    is built once and reused by the next grading (its file is not rewritten), a port whose time is
#    mostly start-up gets the sentence saying so, and the net speedup is what the reported figures
#    give;
#  - the lock: a grading waits while the test holds it and records the wait; with a tiny wait bound
#    it measures anyway and says the lock was not held; a run that bumps the counter meanwhile is
#    recorded as an overlap; a symbolic link or a FIFO at the lock's path is not followed and does
#    not hang the grading.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
command -v flock >/dev/null || { fail "flock (util-linux) is installed" "not found"; exit 0; }

# A quick measurement: 3 runs each, no warm-up, any Python time; a benchmark of 20 rows; no
# scaling check (its rounds were most of each grading's time, and nothing here is about it).
cp -R specs/ch01 "$T/spec"
sed -i -e 's/^  runs: {min: 10, max: 40}/  runs: {min: 3, max: 3}/' -e 's/^  warmup: 1/  warmup: 0/' \
	-e 's/^  min_python_cpu: 200ms/  min_python_cpu: 1ms/' "$T/spec/ex4.yaml"
no_scaling "$T/spec/ex4.yaml"
cp -R submissions/examples/correct "$T/sub"
sed -i -e 's/generate: {seed: 7, size: 60000}/generate: {seed: 7, size: 20}/' -e 's/^  seeds: 20/  seeds: 2/' "$T/sub/ex4/exercise.yaml"
work=$T/work reports=$T/reports lock=$T/locks/timing.lock
mkdir -p "$T/locks"
export GRADER_TIMING_LOCK=$lock

# grade LEARNER: a grading in the background; its pid in $gpid.
grade_bg() {
	"$GRADER" grade "$T/sub" --learner "$1" --spec "$T/spec" --work "$work" --reports "$reports" --only ex4 \
		>"$T/out" 2>"$T/err" 9>&- &
	gpid=$!
}
grade() { grade_bg "$1"; wait "$gpid"; rc=$?; }
# py LEARNER EXPRESSION: evaluates an expression on the learner's speed check: `e` its evidence,
# `s` e["startup"], `l` e["timing_lock"], `m` e["measurement"], `r` the report, `k` the check.
py() {
	if python3 - "$reports/$1/report.json" "$2" >"$T/py.out" 2>&1 <<'PY'; then return 0; else return 1; fi
import json, sys
r = json.load(open(sys.argv[1]))
ex = [x for x in r["exercises"] if x["id"] == "ch01-ex4"][0]
k = [c for c in ex["checks"] if c["id"] == "performance"][0]
e = k["evidence"]
s, l, m = e.get("startup"), e.get("timing_lock"), e.get("measurement")
v = eval(sys.argv[2])
if not v:
    print("false:", sys.argv[2])
    print("check:", k["status"], k["message"])
    print("startup:", json.dumps(s), "\nlock:", json.dumps(l), "\nwarnings:", r["submission"].get("warnings"))
    sys.exit(1)
PY
}
assert() { # NAME LEARNER EXPRESSION
	if py "$2" "$3"; then ok "$1"; else fail "$1" "$(cat "$T/py.out")"; fi
}

# --- start-up -------------------------------------------------------------------------------------
grade first
expect "a grading with a short measurement runs" 0
assert "the lock was free: held, no wait, no overlap" first \
	'l["path"] == "'"$lock"'" and l["held"] and l["waited"] < 1 and l["overlapped"] is False and l["others"] == 0'
assert "the trivial programs' start-up is measured: Python and Rust, CPU, wall and peak, 5 runs" first \
	's["runs"] == 5 and all(s[p][f] > 0 for p in ("python", "rust") for f in ("cpu", "wall", "peak_memory"))'
assert "the trivial Rust program's start-up is plausible: above 0, below 25 ms of CPU, below Python's" first \
	'0 < s["rust"]["cpu"] < 0.025 and s["rust"]["cpu"] < s["python"]["cpu"] and s["rust"]["peak_memory"] < s["python"]["peak_memory"]'
assert "the first grading builds the trivial Rust program with the learner's toolchain" first \
	's["rust_cached"] is False and s["toolchain"].startswith("rustc ")'
assert "the Python start-up peak is the interpreter's peak given to the memory verdict" first \
	'm["memory"]["baseline_is_interpreter"] == (m["memory"]["max_peak"]["baseline"] < 2 * s["python"]["peak_memory"])'
# The same fact measured another way: grader run, python3 on an empty script, median of three.
: >"$T/empty.py"
peaks=()
for i in 1 2 3; do
	peaks+=("$("$GRADER" run --profile python-run --bind "$T/empty.py:/startup/empty.py" -- python3 /startup/empty.py |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["peak_memory"])')")
done
ref=$(printf '%s\n' "${peaks[@]}" | sort -n | sed -n 2p)
assert "the trivial Python's peak is within 20% of python3 on an empty script under grader run ($ref bytes)" first \
	'abs(s["python"]["peak_memory"] - '"${ref:-0}"') <= 0.2 * '"${ref:-1}"
assert "a port on a 20-row input is mostly start-up, and the message says so" first \
	'"Rust'"'"'s " in k["message"] and "is mostly process start-up (" in k["message"] and "give a larger input to measure the port" in k["message"] and m["median_cpu"]["candidate"] < 2 * s["rust"]["cpu"]'
assert "the net speedup is (Python - its start-up) / (Rust - its start-up), or none when the port is all start-up" first \
	'(lambda b, c, b0, c0: (s["net_speedup"] is None) if (b - b0 <= max(1e-4, b0 / 10) or c - c0 <= max(1e-4, c0 / 10)) else abs(s["net_speedup"] - (b - b0) / (c - c0)) < 1e-9 * s["net_speedup"])(m["median_cpu"]["baseline"], m["median_cpu"]["candidate"], s["python"]["cpu"], s["rust"]["cpu"])'
assert "the verdict stays on the measured ratio" first 'k["status"] in ("pass", "fail", "inconclusive") and m["verdict"] == k["status"]'
bin=$(ls "$work"/.grader/startup/rust-*/build/bin/grader_startup 2>/dev/null | head -1)
before=$(stat -c %Y.%i "$bin" 2>/dev/null)

grade second
expect "a second grading runs" 0
assert "the second grading reuses the trivial Rust program" second 's["rust_cached"] is True and s["rust"]["cpu"] > 0'
after=$(stat -c %Y.%i "$bin" 2>/dev/null)
n=$(ls -d "$work"/.grader/startup/rust-* | wc -l)
if [ -n "$before" ] && [ "$before" = "$after" ] && [ "$n" -eq 1 ]; then ok "the cached binary is not rebuilt (same file, one toolchain folder)"; else fail "the cached binary is not rebuilt (same file, one toolchain folder)" "before $before after $after, $n folders"; fi

# --- the lock -------------------------------------------------------------------------------------
# Held by the test (on its fd 9, which the graders do not inherit) until 2 s after the grader
# opened it (seen in /proc), then released.
exec 9>>"$lock"
flock 9
grade_bg waits
for _ in $(seq 1200); do
	ls -l "/proc/$gpid/fd" 2>/dev/null | grep -q -- "$lock\$" && break
	sleep 0.1
done
sleep 2
flock -u 9
wait "$gpid"; rc=$?
expect "a grading that had to wait for the lock runs" 0
assert "it waited about the 2 s the lock was held, then held it" waits 'l["held"] and 1.8 <= l["waited"] < 30 and l["overlapped"] is False'

flock 9
GRADER_TIMING_LOCK_WAIT=0.5 grade busy
flock -u 9
exec 9>&-
assert "with the lock held elsewhere past the wait bound, it measures anyway and says the lock was not held" busy \
	'not l["held"] and 0.4 <= l["waited"] < 5 and l["max_wait"] == 0.5 and "measured anyway" in l["note"] and m["pairs"] == 3 and any("ran without the timing lock" in w for w in r["submission"]["warnings"])'

# Another timed run elsewhere: the test bumps the counter beside the lock while the grading runs.
( while :; do flock "$lock.seq" sh -c 'n=$(cat "$1" 2>/dev/null); echo $(( ${n:-0} + 1 )) >"$1"' sh "$lock.seq"; sleep 0.2; done ) &
bumper=$!
grade overlap
kill "$bumper"; wait "$bumper" 2>/dev/null
assert "a timed run that overlapped another is recorded as such, with a warning" overlap \
	'l["held"] and l["overlapped"] is True and l["others"] >= 1 and any("overlapped another timed run" in w for w in r["submission"]["warnings"])'
grade alone
assert "and a grading alone is not" alone 'l["overlapped"] is False and not any("overlapped" in w for w in r["submission"]["warnings"])'

# Another user's traps at the shared path: a symbolic link, a FIFO.
rm -f "$lock" "$lock.seq"
ln -s "$T/elsewhere" "$lock"
timeout 600 "$GRADER" grade "$T/sub" --learner link --spec "$T/spec" --work "$work" --reports "$reports" --only ex4 >"$T/out" 2>"$T/err"
rc=$?
expect "a symbolic link at the lock's path does not stop the grading" 0
assert "the link is not followed: not held, and the report says why" link 'not l["held"] and "symbolic link" in l["note"]'
if [ ! -e "$T/elsewhere" ]; then ok "nothing is created where the link points"; else fail "nothing is created where the link points" "$(ls -l "$T/elsewhere")"; fi
rm -f "$lock"
mkfifo "$lock"
timeout 600 "$GRADER" grade "$T/sub" --learner fifo --spec "$T/spec" --work "$work" --reports "$reports" --only ex4 >"$T/out" 2>"$T/err"
rc=$?
expect "a FIFO at the lock's path does not hang the grading" 0
assert "the FIFO is refused: not held, not a regular file" fifo 'not l["held"] and "not a regular file" in l["note"]'
