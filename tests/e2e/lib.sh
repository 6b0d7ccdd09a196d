# tests/e2e/lib.sh: helpers for end-to-end tests; source it. Each check prints "ok - NAME" or
# "not ok - NAME" with what went wrong, and the script goes on.
set -u
: "${GRADER:?run through tests/run.sh}"
T=$(mktemp -d /tmp/grader-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok - $1"; }
fail() { echo "not ok - $1"; shift; for l in "$@"; do echo "    $l"; done; }

# run_grader ARGS...: runs the grader, leaving stdout in $T/out, stderr in $T/err, status in $rc.
run_grader() { "$GRADER" "$@" >"$T/out" 2>"$T/err"; rc=$?; }

# expect NAME STATUS [REGEX_ON_STDERR_OR_STDOUT]: checks the last run_grader.
expect() {
	local name=$1 want=$2 re=${3:-}
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, wanted $want" "stdout: $(head -c 600 "$T/out")" "stderr: $(head -c 600 "$T/err")"
	elif [ -n "$re" ] && ! grep -Eq -- "$re" "$T/out" "$T/err"; then
		fail "$name" "output does not match /$re/" "stdout: $(head -c 600 "$T/out")" "stderr: $(head -c 600 "$T/err")"
	elif grep -q 'Sanitizer' "$T/err"; then
		fail "$name" "sanitizer report:" "$(grep -A20 Sanitizer "$T/err" | head -30)"
	else
		ok "$name"
	fi
}
