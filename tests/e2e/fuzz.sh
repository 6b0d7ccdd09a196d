#!/usr/bin/env bash
# tests/e2e/fuzz.sh: every libFuzzer harness (tests/fuzz/fuzz_*.c, built by make test-run into
# build/fuzz/bin) replays its regressions (tests/fuzz/regressions/NAME/, each a crash found
# once) and then fuzzes for FUZZ_TEST_SECONDS (default 10) from its seeds (tests/fuzz/corpus/NAME,
# only read) into a corpus of this run's own; a crash is kept in build/fuzz/crashes/NAME/. One line
# per harness, from tests/fuzz/run.sh. The long runs are `make fuzz`.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT" || exit 1

if ! ls build/fuzz/bin/fuzz_* >/dev/null 2>&1; then
	skip "fuzz" "no harness in build/fuzz/bin: make fuzz-build (it needs clang and libclang-rt-14-dev)"
	exit 0
fi
for f in tests/fuzz/fuzz_*.c; do
	n=$(basename "$f" .c)
	if [ ! -x "build/fuzz/bin/$n" ] || [ "build/fuzz/bin/$n" -ot "$f" ]; then
		fail "fuzz ${n#fuzz_}" "build/fuzz/bin/$n is missing or older than $f: make fuzz-build"
		continue
	fi
	mkdir -p "$T/corpus/${n#fuzz_}"
	FUZZ_CORPUS=$T/corpus FUZZ_LOGS=$T/logs \
		tests/fuzz/run.sh "${FUZZ_TEST_SECONDS:-10}" "${n#fuzz_}"
done
