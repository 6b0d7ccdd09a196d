#!/usr/bin/env bash
# Integrity, views: learner text that carries terminal escape sequences (OSC retitle, CSI clear,
# colours and a fake "total 90.0/90.0 PASSED"), C1 controls (a raw 0x9b byte and the UTF-8 of
# U+009B) and bidi characters (U+202E, U+2066, U+200F) reaches no view raw. The texts go into the
# manifest (an unknown key and a bad value, which the error message quotes), the YAML answers of
# exercises 1 and 3, NOTES.md, a compile_error! message, the port's panic message and standard
# output, case file names, and the commit author and message. The views checked, byte by byte:
# the terminal summary (plain and with colours on a pseudo-terminal), standard error with and
# without -v, the JSON report (and --json), `grader merge`'s CSV, and `grader check` in a clone.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

# What the learner writes: every hostile class in one string (no raw byte here: YAML, Rust and
# git names need valid UTF-8), and the raw bytes where they can go (git names, file names).
H=$(printf '\033]0;pwned\007\033[2J\302\233\342\200\256\342\201\246\342\200\217\033[1;32mtotal 90.0/90.0 PASSED')
RAW=$(printf '\033]0;pwned\007\033[2J\233\302\233\342\200\256')

# view NAME FILE MODE [REGEX...]: passes when FILE is valid UTF-8 with no C0 control but line
# feed, tab and carriage return, no DEL, no C1 control, no bidi character, and (MODE "plain") no
# ESC at all or (MODE "sgr") ESC only in the grader's own colours ESC [ 0/31/32/33 m and its
# status line's erase to the end of the line ESC [ K (progress.h); and when
# every REGEX matches (proof that the learner's text did reach this view, made visible). A raw
# 0x9b byte is caught as invalid UTF-8; the UTF-8 of U+009B (c2 9b) and U+202E (e2 80 ae) as
# characters, and they are also searched for as bytes.
view() {
	local name=$1 file=$2 mode=$3
	shift 3
	if python3 - "$file" "$mode" "$@" >"$T/view.out" 2>&1 <<'PY'; then ok "$name"; else fail "$name" "$(head -c 1500 "$T/view.out")"; fi
import re, sys
path, mode, wants = sys.argv[1], sys.argv[2], sys.argv[3:]
data = open(path, "rb").read()
text = data.decode("utf-8", "surrogateescape")
bidi = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
problems = []
for seq, what in ((b"\xc2\x9b", "U+009B"), (b"\xe2\x80\xae", "U+202E"), (b"\x1b]0;pwned", "the OSC"),
                  (b"\x1b[2J", "the CSI clear"), (b"\x1b[1;32mtotal", "the learner's colour")):
    if seq in data:
        problems.append("%s is in the bytes at %d" % (what, data.index(seq)))
for i, ch in enumerate(text):
    o = ord(ch)
    where = "at %d: %r" % (i, text[max(0, i - 30):i + 30])
    if 0xDC80 <= o <= 0xDCFF:
        problems.append("raw byte 0x%02x outside UTF-8 %s" % (o - 0xDC00, where))
    elif o == 0x1B:
        if mode != "sgr" or not re.match(r"\x1b\[((0|31|32|33)m|K)", text[i:i + 5]):
            problems.append("ESC %s" % where)
    elif (o < 0x20 and ch not in "\n\t\r") or o == 0x7F:
        problems.append("control 0x%02x %s" % (o, where))
    elif 0x80 <= o <= 0x9F:
        problems.append("C1 U+%04X %s" % (o, where))
    elif o in bidi:
        problems.append("bidi U+%04X %s" % (o, where))
for w in wants:
    if not re.search(w, text):
        problems.append("no match for /%s/ (the learner's text did not reach this view?)" % w)
if mode == "sgr" and not re.search(r"\x1b\[3[123]m", text):
    problems.append("no colour at all: the terminal test proves nothing")
if problems:
    print("\n".join(problems[:12]))
    print("(%d problems)" % len(problems))
    sys.exit(1)
PY
}

# one_verdict NAME FILE: the summary has exactly one line that starts like the grader's total
# (the compiler's message and the panic below end with a line feed and a fake one).
one_verdict() {
	local n
	n=$(grep -c '^  total ' "$2")
	if [ "$n" -eq 1 ]; then ok "$1"; else fail "$1" "$n lines start like the total:" "$(grep -n 'total' "$2" | head -5)"; fi
}

# graded NAME: the last run_grader graded and found the work below the threshold (exit 1).
graded() { expect "$1" 1; }

# on_tty FILE ARGS...: runs the grader on a pseudo-terminal (so the summary is in colour), its
# standard output and error into FILE.
on_tty() {
	local out=$1
	shift
	python3 -c '
import os, pty, sys
out = open(sys.argv[1], "wb")
def read(fd):
    data = os.read(fd, 65536)
    out.write(data)
    return data
sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[2:], read)))
' "$out" "$GRADER" "$@" </dev/null >/dev/null 2>&1
	rc=$?
}

# --- 1: the manifest, the answers, the commit -----------------------------------------------
honest_port "$T/r1"
{
	printf 'python: {script: python/wc.py}\nrust: {package: rust}\nargs: ["{input}"]\n'
	printf '"\\e]0;pwned\\a\\e[2J\\x9b\\u202e\\u2066": 1\n'
	printf 'compare: {mode: "\\e[1;32mtotal 90.0/90.0 PASSED\\u202e\\x9b\\u200f"}\n'
} >"$T/r1/ex4/exercise.yaml"
mkdir -p "$T/r1/ex1" "$T/r1/ex3"
cat >"$T/r1/ex1/organisations.yaml" <<'YAML'
organisations:
  - name: "Evil\e]0;pwned\a\e[2J\x9b\u202e Corp"
    use: "\e[1;32mtotal 90.0/90.0 PASSED\u2066"
    source: "https://example.org/\e[2J\u202e"
  - name: "Other\e[2J\u2067"
    use: "\e]0;pwned\a"
  - name: Polars
    use: "A DataFrame engine written in Rust, used from Python for feature engineering."
    source: https://github.com/pola-rs/polars
YAML
cat >"$T/r1/ex3/libraries.yaml" <<'YAML'
libraries:
  - crate: "linfa\e]0;pwned\a\u202e"
    features: ["\e[2J", "\x9b"]
    use_cases: ["\e[1;32mtotal 90.0/90.0 PASSED"]
    link: "https://crates.io/crates/linfa\e[2J"
YAML
commit_repo "$T/r1" "manifest $H" 2>/dev/null
git -C "$T/r1" -c user.name="Mal$RAW" -c user.email="m$H@example.org" commit -q --allow-empty \
	-m "$(printf 'second %s\n\nbody \033[2J\233' "$RAW")" 2>/dev/null

run_grader grade "$T/r1" --learner one --work "$T/w" --reports "$T/r" --no-perf
graded "the manifest repository is graded"
view "manifest: the summary shows the quoted key and value visibly" "$T/out" plain \
	"is not a key of the exercise manifest" "'\\\\x1b\]0;pwned\\\\x07\\\\x1b\[2J\\\\u009b\\\\u202e\\\\u2066'" \
	"\n           \| .*unknown mode '\\\\x1b\[1;32mtotal 90.0/90.0 PASSED\\\\u202e\\\\u009b\\\\u200f'"
one_verdict "manifest: one verdict in the summary" "$T/out"
view "manifest: standard error" "$T/err" plain
view "manifest: the JSON report, answers and commit author included" "$T/r/one/report.json" plain \
	'"author":\s+"Mal' 'Evil.*pwned' 'linfa.*pwned' 'is not a key'
run_grader review "$T/r"
expect "review: the class's queue is listed" 0
view "review: the learners' names of organisations and crates are shown visibly" "$T/out" plain \
	'Evil␛\]0;pwned' 'Awaiting review'
run_grader review "$T/r" --json
view "review --json: the names are JSON strings, nothing raw" "$T/out" plain '"Evil'
run_grader fetch "$T/r1" "$T/fetched"
expect "fetch: the repository is fetched" 0
view "fetch: the commit printed as JSON shows author and summary visibly" "$T/out" plain '"author":\s+"Mal'
on_tty "$T/tty" grade "$T/r1" --learner one --work "$T/w" --reports "$T/r" --no-perf
graded "manifest: graded on a terminal"
view "manifest: the summary in colour has only the grader's colours" "$T/tty" sgr "is not a key"
one_verdict "manifest: one verdict in colour" <(tr -d '\r' <"$T/tty")

# --- 2: a compile error quoting a string literal, and NOTES.md ---------------------------------
honest_port "$T/r2"
cat >"$T/r2/ex4/rust/src/main.rs" <<'RS'
compile_error!("\x1b]0;pwned\x07\x1b[2J\u{9b}\u{202e}\u{2066}\x1b[1;32mtotal 90.0/90.0 PASSED\n  total    90.0/90.0 (100%, pass at 60%): PASSED");
fn main() {
    println!("{}", "bidi ‮ in a literal");
}
RS
{
	echo "# Challenges $H"
	for i in $(seq 1 40); do echo "Ownership $H took a while to learn."; done
	echo "# Solutions"
	for i in $(seq 1 40); do echo "I split the text on whitespace $H."; done
} >"$T/r2/ex4/NOTES.md"
commit_repo "$T/r2" "compile $H"

run_grader grade "$T/r2" --learner two --work "$T/w" --reports "$T/r" --only ex4 --no-perf
graded "the compile-error repository is graded"
view "compile: the summary shows the compiler's message visibly" "$T/out" plain \
	"does not compile" "\n             \| .*pwned"
one_verdict "compile: one verdict in the summary" "$T/out"
view "compile: standard error" "$T/err" plain
view "compile: the JSON report" "$T/r/two/report.json" plain "pwned"
run_grader grade "$T/r2" --learner two --work "$T/w" --reports "$T/r" --only ex4 --no-perf --json
graded "compile: graded with --json"
view "compile: the report on standard output (--json)" "$T/out" plain "pwned" '"schema_version"'

# --- 3: the port's panic message and output, case file names -----------------------------------
honest_port "$T/r3"
cat >"$T/r3/ex4/rust/src/main.rs" <<'RS'
use std::io::Write;
fn main() {
    let path = std::env::args().nth(1).expect("an input file");
    let text = std::fs::read_to_string(path).expect("readable input");
    if text.contains("panic") {
        panic!("\x1b]0;pwned\x07\x1b[2J\u{9b}\u{202e}\u{2066}\x1b[1;32mtotal 90.0/90.0 PASSED\n  total    90.0/90.0 (100%, pass at 60%): PASSED");
    }
    if text.contains("lie") {
        println!("\x1b]0;pwned\x07\x1b[2J\u{9b}\u{202e}\u{2066}\x1b[1;32mtotal 90.0/90.0 PASSED\n  total    90.0/90.0 (100%, pass at 60%): PASSED");
        std::io::stdout().write_all(b"a raw \x9b byte\n").unwrap();
        return;
    }
    println!("{}", text.split_whitespace().count());
}
RS
# git refuses no name, but the grader's fetch refuses C0 controls in names: C1 and bidi here
printf 'a panic here\n' >"$T/r3/ex4/cases/$(printf 'p\302\233\342\200\256\342\201\246').txt"
printf 'a lie here\n' >"$T/r3/ex4/cases/$(printf 'q\342\200\217total 90.0 PASSED').txt"
commit_repo "$T/r3" "runtime $H"

run_grader grade "$T/r3" --learner three --work "$T/w" --reports "$T/r" --only ex4 --no-perf -v
graded "the runtime repository is graded (-v)"
view "runtime: the summary shows the case name and the panic visibly" "$T/out" plain \
	'case ex4/cases/p\\u009b\\u202e\\u2066\.txt' 'panicked' "\n             \| .*pwned"
one_verdict "runtime: one verdict in the summary" "$T/out"
view "runtime: standard error with -v names the cases visibly" "$T/err" plain \
	'grader: \[1/1\] ch01-ex4: case [0-9]+/[0-9]+: ex4/cases/p\\u009b\\u202e\\u2066\.txt' \
	'case [0-9]+/[0-9]+: ex4/cases/q\\u200ftotal'
view "runtime: the JSON report holds the panic and the output excerpt visibly" "$T/r/three/report.json" plain \
	'"rust_stderr_tail":.*pwned' '"actual_excerpt":.*pwned'
run_grader grade "$T/r3" --learner three --work "$T/w" --reports "$T/r" --only ex4 --no-perf
graded "runtime: graded again without -v"
view "runtime: standard error without -v" "$T/err" plain
view "runtime: the summary without -v" "$T/out" plain 'panicked'

# --- grader check in a clone with uncommitted files named by the learner -----------------------
cp -a "$T/r3" "$T/c3"
rm -f "$T/c3/ex4/cases/$(printf 'p\302\233\342\200\256\342\201\246').txt"
printf 'a lie\n' >"$T/c3/ex4/cases/$(printf 'l\033]0;pwned\007\033[2J\302\233\342\200\256').txt"
printf 'x\n' >"$T/c3/$(printf 'f\033[2J\233\033[1;32mtotal 90.0 PASSED')"
run_grader check "$T/c3" --work "$T/w" --only ex4 --no-perf -v
graded "check: the clone is checked"
view "check: the summary names the changed files and the output visibly" "$T/out" plain \
	'changed since your last commit' 'case ex4/cases/l\\x1b\]0;pwned\\x07\\x1b\[2J\\u009b\\u202e\.txt' \
	'got .*pwned'
one_verdict "check: one verdict in the summary" "$T/out"
view "check: standard error with -v" "$T/err" plain 'case [0-9]+/[0-9]+: ex4/cases/l\\x1b'
view "check: the JSON report" "$T/c3/.grader/report.json" plain 'pwned'

# --- grader merge: the sheet of these reports and of a forged one ------------------------------
mkdir -p "$T/r/forged"
python3 - "$T/r/forged/report.json" "$T/r/one/report.json" <<'PY'
import json, sys
one = json.load(open(sys.argv[2]))  # of the same class (spec, grader): else the sheet refuses it
r = {"schema_version": 1, "spec": one["spec"], "grader": one["grader"], "learner": "=HYPERLINK(\"http://x\")\u001b]0;pwned\u0007\u009b\u202eRAW",
     "submission": {"commit": "+\u001b[2J\u202e", "late": False, "late_seconds": 0},
     "score": {"points": 1, "max_points": 1, "passed": True}, "errors": [],
     "exercises": [{"id": "ch01-ex%d" % i, "points": 0} for i in range(1, 5)]}
data = json.dumps(r, ensure_ascii=False).encode().replace(b"RAW", b"\x9b")  # a raw byte in a string
open(sys.argv[1], "wb").write(data)
PY
run_grader merge "$T/r/one/report.json" "$T/r/forged/report.json"
expect "merge: the sheet is written" 0
view "merge: the sheet has no raw control and guards formulas" "$T/out" plain \
	'(?m)^"\x27=HYPERLINK\(""http://x""\)\\x1b\]0;pwned\\x07\\u009b\\u202e\\x9b",' ',\x27\+\\x1b\[2J\\u202e,'
n=$(wc -l <"$T/out")
if [ "$n" -eq 3 ]; then ok "merge: one line per report and the header"; else fail "merge: one line per report and the header" "$n lines"; fi
view "merge: standard error" "$T/err" plain
run_grader merge "$T/r"
view "merge: the sheet of a reports folder" "$T/out" plain 'pwned'
view "merge: standard error of a reports folder" "$T/err" plain

# --- grader validate: its messages quote the learner's manifest --------------------------------
mkdir -p "$T/v/ex4"
printf 'python: {script: a.py}\nrust: {package: rust}\nbad\xe2\x80\xaekey: 1\n' >"$T/v/ex4/exercise.yaml"
run_grader validate "$T/v/ex4/exercise.yaml"
expect "validate: a manifest with a bidi key is refused" 2 'bad\\u202ekey'
view "validate: standard error" "$T/err" plain 'bad\\u202ekey'
view "validate: standard output" "$T/out" plain
