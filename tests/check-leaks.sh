#!/usr/bin/env bash
# tests/check-leaks.sh (make check-leaks): runs the release grader, bin/grader, under valgrind
# memcheck over a representative set of commands, and fails on any memory error or any leak
# (definite or indirect; memory still reachable at exit, as libgit2's global state, is not one).
# make test's suites already run the ASan+LSan build (build/san/grader, detect_leaks=1, a leak
# exits 99 and fails its suite); this is the same promise for the binary users run, under
# another tool, on the commands whose memory matters most.
#
# The commands: validate (the chapter, each example submission), grade --only ex1 and
# --only ex3 of every example (which open the sandbox and write reports and fingerprints), show
# in every view, summary, merge, review and similarity of the class so graded. valgrind follows
# the grader only (--trace-children=no): bwrap and what it runs are not under it.
# Valgrind 3.19 (Debian 12) does not know open_tree, mount_setattr and openat2: as root, the
# sandbox's forked child (still under valgrind until it execs bwrap) cannot stage its binds,
# so the gradings run as an unprivileged user (setpriv, uid and gid 65534), the path a
# non-root instructor takes; and GRADER_NO_OPENAT2=1 takes fs.c's fallback from the start.
# No build or run of a learner's program is graded here (that needs a Rust toolchain the
# unprivileged user can reach): make test grades them with the ASan+LSan build.
# Prints "ok - NAME" or "not ok - NAME" with valgrind's report per command, and a last line
# "leaks: N commands clean, N failed (S s)". Exit status 0 when all are clean, else 1; 2 when
# valgrind, setpriv (as root) or the grader is missing.
set -u
cd "$(dirname "$0")/.." || exit 2
G=$PWD/bin/grader
command -v valgrind >/dev/null 2>&1 || { echo "tests/check-leaks.sh: valgrind is not installed (make check-leaks installs it)" >&2; exit 2; }
for f in bin/grader bin/grader-pid1; do
	[ -x "$f" ] || { echo "tests/check-leaks.sh: $f is missing: run 'make check-leaks', which builds it" >&2; exit 2; }
done
T=$(mktemp -d /tmp/grader-leaks.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
mkdir -m 1777 "$T/rw" # what the gradings write, as whichever user they run
export XDG_CACHE_HOME=$T/rw/cache HOME=$T/rw NO_COLOR=1 GRADER_NO_OPENAT2=1
as_user=()
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 || { echo "tests/check-leaks.sh: setpriv (util-linux) is missing" >&2; exit 2; }
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
unset GITHUB_STEP_SUMMARY
. tests/python_path.sh
use_python "$T/python" tests/check-leaks.sh

VG=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=97
	--trace-children=no --child-silent-after-fork=yes --num-callers=30)
clean=0 failed=0 n=0
start=$(date +%s)

# leak NAME STATUSES [--as-user] ARGS...: runs `grader ARGS` under memcheck (as the unprivileged
# user with --as-user, when root); passes when valgrind reports no error (its reports are the
# lines "==PID== ...") and the grader exits with one of STATUSES ("0", "0 1"), so that a command
# that failed before doing its work is seen.
leak() {
	local name=$1 want=$2 rc
	local -a pre=()
	shift 2
	[ "${1:-}" = --as-user ] && { pre=("${as_user[@]}"); shift; }
	n=$((n + 1))
	"${pre[@]}" "${VG[@]}" --log-file="$T/rw/vg.$n" "$G" "$@" >"$T/out.$n" 2>"$T/err.$n"
	rc=$?
	if grep -q '^==[0-9]*==' "$T/rw/vg.$n" || [ $rc -eq 97 ]; then
		echo "not ok - $name (valgrind: exit $rc)"
		grep '^==[0-9]*==' "$T/rw/vg.$n" | sed 's/^/    /' | head -n 60
		failed=$((failed + 1))
	elif [[ " $want " != *" $rc "* ]]; then
		echo "not ok - $name (exit $rc, wanted $want)"
		tail -n 5 "$T/err.$n" | sed 's/^/    /'
		failed=$((failed + 1))
	else
		echo "ok - $name"
		clean=$((clean + 1))
	fi
}

examples=()
for d in submissions/examples/*/; do examples+=("$(basename "$d")"); done

leak "validate specs/ch01" 0 validate specs/ch01
for e in "${examples[@]}"; do
	# an example with a broken manifest is refused (2): what matters here is memory
	want=0
	bin/grader validate --quiet "submissions/examples/$e" >/dev/null 2>&1 || want=$?
	leak "validate $e" "$want" validate "submissions/examples/$e"
done
# A grading exits 0 or 1 (reached the pass threshold or not: the example's grade is
# docs/examples.md's business); 2 or 3 would be an error.
for ex in ex1 ex3; do
	for e in "${examples[@]}"; do
		leak "grade --only $ex $e" "0 1" --as-user grade "submissions/examples/$e" --learner "$e" \
			--only "$ex" --reports "$T/rw/$ex" --work "$T/rw/work"
	done
done

V=tests/views/reports
leak "show text" 0 show "$V"/*.json
leak "show json" 0 show --format json "$V/correct.json"
leak "show github" 0 show --format github --out "$T/views-gh" "$V/panic.json"
leak "show html,junit,gradescope (a class)" 0 show --format html,junit,gradescope --out "$T/views" "$V"/*.json
leak "summary (ex1 of every example)" 0 summary --out "$T/summary" "$T/rw/ex1"
leak "merge (ex3 of every example)" 0 merge --out "$T/grades.csv" "$T/rw/ex3"
leak "review (ex1)" 0 review "$T/rw/ex1"
leak "review --json (ex3)" 0 review --json "$T/rw/ex3"
leak "similarity (ex1 gradings' fingerprints)" 0 similarity --out "$T/similarity" "$T/rw/ex1"

echo "leaks: $clean commands clean, $failed failed ($(($(date +%s) - start)) s)"
[ "$failed" -eq 0 ] && [ "$clean" -gt 0 ]
