#!/usr/bin/env bash
# End to end: `grader check` and `grader grade` say what they are doing on standard error (a
# status line rewritten in place on a terminal, plain lines otherwise or with -v, nothing with
# --quiet), and never on standard output.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

SUB=submissions/examples/correct
N=29 # its cases: 3 of its own, 20 generated, the 6 standard edge inputs
# has FILE REGEX: whether the file has a line matching the extended regex
has() { grep -Eq -- "$2" "$1"; }
# check NAME COMMAND...: ok when the command succeeds
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name" "stdout: $(head -c 600 "$T/out")" "stderr: $(head -c 1500 "$T/err")"; fi
}
no_controls() { ! grep -q $'[\r\x1b]' "$1"; }

# Not a terminal: plain lines on stderr, one per stage, counts without one line per case.
run_grader check "$SUB" --only ex4 --no-perf --work "$T/w" --reports "$T/r1"
expect "check to a file" 0
check "stderr names the exercise" has "$T/err" '^grader: \[1/1\] ch01-ex4: Convert a Python script to Rust$'
check "stderr says it builds the port" has "$T/err" '^grader: \[1/1\] ch01-ex4: building the Rust port$'
check "stderr says it checks the original" has "$T/err" '^grader: \[1/1\] ch01-ex4: checking the Python original$'
check "stderr counts the cases" has "$T/err" "^grader: \\[1/1\\] ch01-ex4: case 1/$N: ex4/cases/"
check "stderr counts the generated cases" has "$T/err" '^grader: \[1/1\] ch01-ex4: generating cases: seed 1/20$'
check "plain progress has no terminal controls" no_controls "$T/err"
cases=$(grep -c ": case [0-9]*/$N: " "$T/err")
check "plain progress is not one line per case ($cases lines for $N cases)" test "$cases" -lt $N
check "no progress on stdout" bash -c '! grep -q "^grader: \[" "$1" && grep -q "total" "$1"' _ "$T/out"

# --json: stdout is the report and nothing else; the progress is still on stderr.
run_grader check "$SUB" --only ex4 --no-perf --json --work "$T/w" --reports "$T/r2"
expect "check --json" 0
check "--json stdout parses as one JSON document" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out"
check "--json progress stays on stderr" has "$T/err" ": case 1/$N: "

# --quiet: no progress at all.
run_grader check "$SUB" --only ex4 --no-perf --quiet --work "$T/w" --reports "$T/r3"
expect "check --quiet" 0
check "--quiet stderr has no progress" bash -c '! grep -q "^grader: \[" "$1"' _ "$T/err"

# grade of a folder: the fetch stage, then an answers exercise.
run_grader grade "$SUB" --learner p --only ex1 --work "$T/w" --reports "$T/r4"
expect "grade to a file" 0
check "grade says what it fetches" has "$T/err" "^grader: fetching .*$SUB\$"
check "grade names the answers it checks" has "$T/err" \
	'^grader: \[1/1\] ch01-ex1: checking ex1/organisations\.yaml against the catalog$'

# A terminal on stderr (stdout to a file): one status line rewritten in place, cut to the
# terminal's width, erased at the end; with -v, plain lines instead.
on_tty() {
	python3 - "$T/tty" "$@" <<'PY'
import fcntl, os, struct, subprocess, sys, termios
out = sys.argv[1]
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 30, 0, 0))
env = dict(os.environ, TERM="xterm")
with open(out + ".stdout", "wb") as so:
    p = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=so, stderr=slave, env=env)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
open(out + ".stderr", "wb").write(data)
sys.exit(p.wait())
PY
}
on_tty "$GRADER" check "$SUB" --only ex4 --no-perf --work "$T/w" --reports "$T/r5"
rc=$?
check "check on a terminal exits 0" test "$rc" -eq 0
check "the status line is rewritten in place" \
	python3 - "$T/tty.stderr" "$N" <<'PY'
import re, sys
s = open(sys.argv[1], "rb").read().decode()
draws = re.findall(r"\r([^\r\x1b]*)\x1b\[K", s)
assert "\n" not in s.replace("\r\n", ""), "a plain line on the terminal: %r" % s[:300]
assert any(d.startswith("[1/1] ch01-ex4: case ") for d in draws), draws[:10]
# cut to 29 of the 30 columns
assert "[1/1] ch01-ex4: building the " in draws, draws[:10]
assert max(len(d) for d in draws) == 29, max(draws, key=len)
# every case is shown in place
assert sum(1 for d in draws if re.fullmatch(r"\[1/1\] ch01-ex4: case \d+/%s.*" % sys.argv[2], d)) == int(sys.argv[2]), draws
assert s.endswith("\r\x1b[K"), "not erased at the end: %r" % s[-40:]
PY
check "the terminal's stdout has the summary and no progress" \
	bash -c 'grep -q "total" "$1" && ! grep -q $'"'"'[\r\x1b]'"'"' "$1" && ! grep -q "ch01-ex4: case" "$1"' _ "$T/tty.stdout"
on_tty "$GRADER" check "$SUB" --only ex4 --no-perf -v --work "$T/w" --reports "$T/r6"
check "-v on a terminal: plain lines" \
	bash -c 'grep -q "^grader: \[1/1\] ch01-ex4: building the Rust port" "$1" && ! grep -q $'"'"'\x1b'"'"' "$1"' _ "$T/tty.stderr"
cases=$(grep -c "^grader: \\[1/1\\] ch01-ex4: case [0-9]*/$N: " "$T/tty.stderr")
check "-v names every case ($cases lines for $N cases)" test "$cases" -eq $N
on_tty "$GRADER" check "$SUB" --only ex4 --no-perf --quiet --work "$T/w" --reports "$T/r7"
check "--quiet on a terminal: nothing" test ! -s "$T/tty.stderr"

# With the speed measurement: its runs are counted, throttled to a few lines. (3 timed runs and 3
# scaling rounds: what is tested is how they are counted, not what they measure.)
cp -R specs/ch01 "$T/light"
sed -i -e 's/^  runs: {min: 10, max: 40}/  runs: {min: 3, max: 3}/' -e 's/^  runs: 10 .*/  runs: 3/' "$T/light/ex4.yaml"
grep -q '^  runs: {min: 3, max: 3}' "$T/light/ex4.yaml" && grep -q '^  runs: 3$' "$T/light/ex4.yaml" || fail "the light spec is made" "$(grep -n runs "$T/light/ex4.yaml")"
run_grader check "$SUB" --only ex4 --spec "$T/light" --work "$T/w" --reports "$T/r8"
expect "check with the speed measurement" 0
check "stderr counts the timed runs" has "$T/err" '^grader: \[1/1\] ch01-ex4: measuring speed and memory: run 1/[0-9]+$'
check "stderr counts the scaling rounds" has "$T/err" '^grader: \[1/1\] ch01-ex4: measuring scaling: round 1/[0-9]+$'
