#!/usr/bin/env bash
# tests/run.sh: runs the grader's tests, suites in parallel, and ends with one line "N passed, N failed".
#   unit tests:   build/san/tests/test_*    (cmocka; each test case counts)
#   calibration:  build/san/calib/calib_*   (cmocka, timing real processes; run alone)
#   end to end:   tests/e2e/*.sh            (each prints "ok - NAME", "not ok - NAME" or
#                                            "skip - NAME # REASON" per case)
#   integrity:    tests/integrity/*.sh      (the same, each grading a hostile repository end to end)
# Usage: tests/run.sh [-j N] [--check] [PATTERN...]
#   -j N      runs N suites at a time (default $TEST_JOBS, else the number of CPUs), as prove -j.
#             A suite marked "test: serial" (a line "# test: serial" in a shell suite, "test: serial"
#             in a comment of a C suite's source) asserts figures a concurrent suite would disturb:
#             it runs alone, after the others.
#   --check   the fast tier only (make check): the unit tests that start no process and no sandbox.
#   PATTERN   runs only the suites whose file name contains one of the PATTERNs (sandbox.sh: that
#             suite alone; sandbox: every suite with sandbox in its name).
# Each suite's output is captured and printed whole, in a stable order (the parallel suites by name,
# then the serial ones by name), whatever order they end in; a failing suite shows its failures.
# Skipped cases are counted and named on a line "N skipped: ..."; the last line is always
# "N passed, N failed" alone (CI reads it).
set -u
cd "$(dirname "$0")/.." || exit 2
export GRADER_ROOT=$PWD
export GRADER=$PWD/build/san/grader         # the sanitizer build, so e2e runs catch leaks and UB
export GRADER_REL=$PWD/bin/grader
export HELPERS=$PWD/build/helpers
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}

jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
check_only=0 patterns=()
while [ $# -gt 0 ]; do
	case $1 in
	-j) jobs=${2:?-j needs a number}; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--check) check_only=1; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "tests/run.sh: unknown option $1 (see tests/run.sh --help)" >&2; exit 2 ;;
	*) patterns+=("$1"); shift ;;
	esac
done
case $jobs in '' | *[!0-9]* | 0) echo "tests/run.sh: -j wants a positive number, not '$jobs'" >&2; exit 2 ;; esac

# Unit tests that start real processes or a sandbox: not in the fast tier.
not_pure=" test_sandbox test_fetch "

log=$(mktemp -d /tmp/grader-tests.XXXXXX)
trap 'rm -rf "$log"' EXIT

# The suites' python3, the grader's and the suites' own: Debian's (tests/python_path.sh).
# GRADER_TEST_PYTHON=PATH picks another interpreter.
. tests/python_path.sh
use_python "$log" tests/run.sh
trap 'kill $(jobs -p) 2>/dev/null; exit 130' INT TERM # the suites running in the background
# Each suite's time, from the last run (else from tests/times.txt): the longest start first, so
# that no long suite ends alone.
times=build/test-times

# The suites: "kind name path" lines; kind is unit or sh.
suites=()
for t in build/san/tests/test_* build/san/calib/calib_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	[ $check_only -eq 1 ] && { [[ $t == */calib/* ]] || [[ $not_pure == *" $name "* ]]; } && continue
	suites+=("unit $name $t")
done
if [ $check_only -eq 0 ]; then
	for t in tests/e2e/*.sh tests/integrity/*.sh; do
		[ -f "$t" ] || continue
		case $(basename "$t") in lib.sh | repo.sh) continue ;; esac # the helpers the suites source
		suites+=("sh $(basename "$t" .sh) $t")
	done
fi

# source_of KIND NAME PATH: the file that may hold the suite's "test: serial" mark.
source_of() {
	case $1 in
	sh) echo "$3" ;;
	*) if [[ $3 == */calib/* ]]; then echo "tests/calib/$2.c"; else echo "tests/unit/$2.c"; fi ;;
	esac
}

parallel=() serial=()
for s in "${suites[@]}"; do
	read -r kind name path <<<"$s"
	if [ ${#patterns[@]} -gt 0 ]; then
		want=0
		for p in "${patterns[@]}"; do [[ $(basename "$path") == *"$p"* ]] && want=1; done
		[ $want -eq 1 ] || continue
	fi
	src=$(source_of "$kind" "$name" "$path")
	if [ -f "$src" ] && head -n 30 "$src" | grep -Eq '^[#/* ]*test: serial( |$)'; then
		serial+=("$s")
	else
		parallel+=("$s")
	fi
done

# run_suite KIND NAME PATH: runs one suite into $log/NAME.out; its status into $log/NAME.rc, its
# wall seconds into $log/NAME.time and its CPU seconds (user + system) into $log/NAME.cpu. Each
# suite has its own cache folder (the grader's default --work), so no two suites share a learner's
# work space.
run_suite() {
	local kind=$1 name=$2 path=$3 start rc
	start=$(date +%s.%N)
	mkdir -p "$log/$name.cache"
	if [ "$kind" = unit ]; then
		XDG_CACHE_HOME=$log/$name.cache "$path" >"$log/$name.out" 2>&1
	else
		XDG_CACHE_HOME=$log/$name.cache bash "$path" >"$log/$name.out" 2>&1
	fi
	rc=$?
	times >"$log/$name.times" # this subshell's children: the suite's CPU time, its second line
	rm -rf "$log/$name.cache"
	awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {printf "%.1f\n", a - b}' >"$log/$name.time"
	awk 'NR == 2 {n = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] } printf "%.1f\n", n}' \
		"$log/$name.times" >"$log/$name.cpu"
	echo $rc >"$log/$name.rc"
}

passed=0 failed=0
failures=() skipped=()
# report KIND NAME: prints one finished suite and adds up its cases.
report() {
	local kind=$1 name=$2 out=$log/$2.out rc p f k took line
	rc=$(cat "$log/$name.rc")
	took="$(cat "$log/$name.time")s, CPU $(cat "$log/$name.cpu")s"
	if [ "$kind" = unit ]; then
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n1)
		p=${p:-0} f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed or sanitizer report
		k=0
	else
		p=$(grep -c '^ok - ' "$out")
		f=$(grep -c '^not ok - ' "$out")
		k=$(grep -c '^skip - ' "$out")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $name exited $rc" >>"$out"; fi
		while IFS= read -r line; do skipped+=("$name: $line"); done < <(sed -n 's/^skip - \(.*\) # .*/\1/p' "$out")
	fi
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures+=("$name")
		echo "FAIL $name ($took)"
		if [ "$kind" = unit ]; then tail -n 40 "$out"; else grep -B2 -A12 '^not ok - ' "$out" | head -n 80; fi
	else
		echo "ok   $name ($p$([ "$k" -gt 0 ] && echo ", $k skipped"), $took)"
	fi
	grep '^skip - ' "$out" | sed 's/^/     /'
}

# run_all JOBS SUITE...: runs the suites JOBS at a time, longest first (by the last run's
# times), and reports each in the order given as soon as it and those before it are done.
run_all() {
	local n=$1 i next=0 running=0 name kind path
	shift
	local list=("$@") order=() done_=()
	[ ${#list[@]} -eq 0 ] && return
	# indices, longest first; a suite not timed yet counts as long
	mapfile -t order < <(for i in "${!list[@]}"; do
		read -r kind name path <<<"${list[$i]}"
		t=$(cat "$times" tests/times.txt 2>/dev/null | awk -v n="$name" '$1 == n {print $2; exit}')
		echo "${t:-9999} $i"
	done | sort -k1,1gr -k2,2n | awk '{print $2}')
	for i in "${order[@]}"; do
		while [ "$running" -ge "$n" ]; do
			wait -n
			running=$((running - 1))
			flush
		done
		read -r kind name path <<<"${list[$i]}"
		run_suite "$kind" "$name" "$path" &
		running=$((running + 1))
	done
	wait
	flush
}
# flush: reports the finished suites at the head of $list not reported yet.
flush() {
	while [ "$next" -lt ${#list[@]} ]; do
		read -r kind name path <<<"${list[$next]}"
		[ -f "$log/$name.rc" ] || return 0
		report "$kind" "$name"
		next=$((next + 1))
	done
}

start=$(date +%s.%N)
run_all "$jobs" "${parallel[@]}"
run_all 1 "${serial[@]}"

# the times of this run replace those of the same suites in the last
mkdir -p "$(dirname "$times")"
{
	for f in "$log"/*.time; do [ -f "$f" ] && echo "$(basename "$f" .time) $(cat "$f")"; done
	if [ -f "$times" ]; then
		awk 'NR == FNR {seen[$1] = 1; next} !($1 in seen)' <(for f in "$log"/*.time; do [ -f "$f" ] && basename "$f" .time; done) "$times"
	fi
} >"$log/times.new"
mv "$log/times.new" "$times"

cat "$log"/*.cpu 2>/dev/null | awk -v a="$(date +%s.%N)" -v b="$start" -v j="$jobs" -v n=${#parallel[@]} -v s=${#serial[@]} \
	'{c += $1} END {printf "time: %.0f s wall, %.0f s CPU in the suites (%d at a time, then %d alone)\n", a - b, c, n < j ? n : j, s}'
[ ${#failures[@]} -gt 0 ] && echo "failing suites: ${failures[*]}"
if [ ${#skipped[@]} -gt 0 ]; then
	line=${skipped[0]}
	for s in "${skipped[@]:1}"; do line+=", $s"; done
	echo "${#skipped[@]} skipped: $line"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
