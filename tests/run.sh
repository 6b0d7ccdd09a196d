#!/usr/bin/env bash
# tests/run.sh: runs every test of the grader and ends with one line "N passed, N failed".
#   unit tests:  build/san/tests/test_*   (cmocka; each test case counts)
#   end to end:  tests/e2e/*.sh           (each prints "ok - NAME" or "not ok - NAME" per case)
#   integrity:   tests/integrity/*.sh     (the same, each grading a hostile repository end to end)
# Usage: tests/run.sh [PATTERN]   runs only the suites whose file name contains PATTERN.
set -u
cd "$(dirname "$0")/.." || exit 2
export GRADER_ROOT=$PWD
export GRADER=$PWD/build/san/grader         # the sanitizer build, so e2e runs catch leaks and UB
export GRADER_REL=$PWD/bin/grader
export HELPERS=$PWD/build/helpers
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
pattern=${1:-}
passed=0 failed=0
failures=()
log=$(mktemp -d /tmp/grader-tests.XXXXXX)
trap 'rm -rf "$log"' EXIT

for t in build/san/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	[ -n "$pattern" ] && [[ $name != *"$pattern"* ]] && continue
	out=$log/$name.out
	"$t" >"$out" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n1)
	p=${p:-0} f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # crashed or sanitizer report
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$f" -ne 0 ]; then failures+=("$name"); echo "FAIL $name (exit $rc)"; tail -n 40 "$out"; else echo "ok   $name ($p)"; fi
done

for t in tests/e2e/*.sh tests/integrity/*.sh; do
	[ -f "$t" ] || continue
	case $(basename "$t") in lib.sh | repo.sh) continue ;; esac  # the helpers the suites source
	name=$(basename "$t" .sh)
	[ -n "$pattern" ] && [[ $name != *"$pattern"* ]] && continue
	out=$log/$name.out
	bash "$t" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok - ' "$out")
	f=$(grep -c '^not ok - ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $name exited $rc" >>"$out"; fi
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$f" -ne 0 ]; then failures+=("$name"); echo "FAIL $name"; grep -B2 -A12 '^not ok - ' "$out" | head -n 80; else echo "ok   $name ($p)"; fi
done

[ ${#failures[@]} -gt 0 ] && echo "failing suites: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
