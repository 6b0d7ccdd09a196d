#!/usr/bin/env bash
# tests/lint.sh: the static analysis of `make lint`. cppcheck over grader/ and the tests' C sources,
# clang-tidy (.clang-tidy) over grader/, with the compile flags the Makefile gives in LINT_CFLAGS.
# Prints every finding as FILE:LINE:COL: ... and ends with one line of counts and times; exits 1
# on any finding, 2 when a tool is missing (make lint installs them: LINT_PKGS in the Makefile).
# Usage: tests/lint.sh [cppcheck] [clang-tidy]   (both when none is named)
#   LINT_JOBS=N   files analysed at a time (default: the number of CPUs)
# A false positive is suppressed where it is, with a comment saying why: /* NOLINT(check): why */
# for clang-tidy, // cppcheck-suppress ID on the line before for cppcheck. tests/lint/ holds the
# cppcheck configuration of the libraries' macros and the suppressions that hold everywhere.
set -u
cd "$(dirname "$0")/.." || exit 2
: "${LINT_CFLAGS:?run through make lint (it passes the compile flags)}"
jobs=${LINT_JOBS:-$(nproc 2>/dev/null || echo 1)}
tools=("$@")
[ ${#tools[@]} -eq 0 ] && tools=(cppcheck clang-tidy)
for t in "${tools[@]}"; do
	case $t in cppcheck | clang-tidy) ;; *) echo "tests/lint.sh: unknown tool '$t' (cppcheck, clang-tidy)" >&2; exit 2 ;; esac
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "tests/lint.sh: $t is not installed (make lint installs it; or: apt-get install $t)" >&2
		exit 2
	fi
done

out=$(mktemp -d /tmp/grader-lint.XXXXXX)
trap 'rm -rf "$out"' EXIT
read -r -a cflags <<<"$LINT_CFLAGS"
mapfile -t srcs < <(ls grader/*.c grader/*/*.c)
status=0 summary=()

# cppcheck reads no system header (its std, posix and gnu configurations stand for libc, and
# tests/lint/cppcheck.cfg for the libraries' macros): only the flags' -D and the project's -I.
run_cppcheck() {
	local defs=() f start n
	for f in "${cflags[@]}"; do
		case $f in -D*) defs+=("$f") ;; -I/*) ;; -I*) defs+=("$f") ;; esac
	done
	start=$(date +%s.%N)
	cppcheck -j"$jobs" --quiet --std=c11 --enable=warning,performance,portability --inline-suppr \
		--library=posix,gnu --library=tests/lint/cppcheck.cfg --suppressions-list=tests/lint/cppcheck.supp \
		--error-exitcode=1 --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
		"${defs[@]}" grader tests/unit tests/calib tests/helpers >"$out/cppcheck" 2>&1
	[ $? -ne 0 ] && status=1
	cat "$out/cppcheck"
	n=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: ' "$out/cppcheck")
	[ "$n" -gt 0 ] && status=1
	summary+=("cppcheck $n finding(s) in $(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {printf "%.0f", a - b}') s")
}

# clang-tidy, one process per file, LINT_JOBS at a time; each file's findings are printed whole,
# in the order of the file names.
run_clang_tidy() {
	local start n rc=0
	start=$(date +%s.%N)
	mkdir -p "$out/tidy"
	printf '%s\n' "${srcs[@]}" | xargs -P "$jobs" -I{} sh -c \
		'f=$1; shift; clang-tidy --quiet "$f" -- "$@" >"$0/$(echo "$f" | tr / _).out" 2>&1' \
		"$out/tidy" {} "${cflags[@]}" || rc=1
	cat "$out"/tidy/*.out | grep -v -E '^[0-9]+ (warning|error)s? (generated|treated as errors)\.$|^Error while processing '
	n=$(cat "$out"/tidy/*.out | grep -cE '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ')
	[ "$n" -gt 0 ] || [ $rc -ne 0 ] && status=1
	summary+=("clang-tidy $n finding(s) in $(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {printf "%.0f", a - b}') s (${#srcs[@]} files, $jobs at a time)")
}

for t in "${tools[@]}"; do
	case $t in
	cppcheck) run_cppcheck ;;
	clang-tidy) run_clang_tidy ;;
	esac
done
line="lint: ${summary[0]}"
for s in "${summary[@]:1}"; do line+=", $s"; done
echo "$line"
exit $status
