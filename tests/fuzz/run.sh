#!/usr/bin/env bash
# tests/fuzz/run.sh: runs the libFuzzer harnesses (build/fuzz/bin/fuzz_NAME, made by `make
# fuzz-build`), one after the other, each for SECONDS.
# Usage: tests/fuzz/run.sh SECONDS [NAME...]      (NAME: spec, answers, ...; default: all)
# The harnesses are taken from $FUZZ_BIN (default build/fuzz/bin).
# For each harness it first replays tests/fuzz/regressions/NAME/ (every crash found so far), then
# fuzzes from the seeds of tests/fuzz/corpus/NAME/ (read only) and what earlier runs kept in
# $FUZZ_CORPUS/NAME (default build/fuzz/corpus/NAME; new inputs go there), with the input size
# that harness needs. A crash is written to $FUZZ_CRASHES/NAME/ (default build/fuzz/crashes)
# and libFuzzer's log to $FUZZ_LOGS/NAME.log (default build/fuzz/logs). Prints one line per
# harness, "ok - fuzz NAME: ..." with libFuzzer's figures or "not ok - fuzz NAME ..." with the
# end of the log, and exits 1 when any harness crashed, 2 on a usage error.
set -u
cd "$(dirname "$0")/../.." || exit 2
export GRADER_ROOT=$PWD
seconds=${1:?usage: tests/fuzz/run.sh SECONDS [NAME...]}
shift
case $seconds in '' | *[!0-9]* | 0) echo "tests/fuzz/run.sh: SECONDS must be a positive number, not '$seconds'" >&2; exit 2 ;; esac
corpus=${FUZZ_CORPUS:-build/fuzz/corpus}
crashes=${FUZZ_CRASHES:-build/fuzz/crashes}
logs=${FUZZ_LOGS:-build/fuzz/logs}
# libFuzzer and the sanitizers decide; the suites' exit codes (tests/run.sh) would hide a crash.
unset ASAN_OPTIONS UBSAN_OPTIONS
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The longest input each harness is given: a few times the largest real file of its kind.
max_len() {
	case $1 in
	spec | answers | complexity) echo 16384 ;;
	outdiff | cargo) echo 8192 ;;
	pid1) echo 4096 ;;
	num) echo 64 ;;
	*) echo 4096 ;;
	esac
}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		n=$(basename "$f" .c)
		names+=("${n#fuzz_}")
	done
fi
failed=0
for n in "${names[@]}"; do
	bin=${FUZZ_BIN:-build/fuzz/bin}/fuzz_$n
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz $n # $bin is missing: make fuzz-build"
		failed=1
		continue
	fi
	mkdir -p "$corpus/$n" "$crashes/$n" "$logs"
	log=$logs/$n.log
	: >"$log"
	regress=(tests/fuzz/regressions/$n/*)
	if [ -e "${regress[0]}" ] && ! "$bin" "${regress[@]}" >>"$log" 2>&1; then
		echo "not ok - fuzz $n: a regression input crashes again"
		tail -n 30 "$log" | sed 's/^/    /'
		failed=1
		continue
	fi
	seeds=()
	[ -d tests/fuzz/corpus/$n ] && seeds=(tests/fuzz/corpus/$n)
	"$bin" -max_total_time="$seconds" -max_len="$(max_len "$n")" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$crashes/$n/" "$corpus/$n" "${seeds[@]}" >>"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	units=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
	if [ $rc -ne 0 ]; then
		echo "not ok - fuzz $n: exit $rc after ${runs:-?} runs; the input is in $crashes/$n/ (log: $log)"
		grep -E -m1 -A12 'ERROR: |runtime error|promise broken|deadly signal' "$log" | sed 's/^/    /'
		failed=1
	else
		echo "ok - fuzz $n: ${runs:-?} runs in ${seconds}s (${speed:-?}/s), cov ${cov:-?} ft ${ft:-?}, corpus ${units:-?}"
	fi
done
exit $failed
