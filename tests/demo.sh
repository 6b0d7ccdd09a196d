#!/usr/bin/env bash
# tests/demo.sh (make demo): grades every bundled example submission in submissions/examples/
# with the real grader, sandboxes and all, prints each summary, then a table that sets each
# example's exit status and points against the grade docs/examples.md documents for it
# ("Expected grades"), and a verdict line. Exit status: 0 every example graded as documented;
# 1 an example hit an infrastructure error (grader exit 3, errors in its report, no report) or got
# another grade; 2 usage error, a missing binary or a malformed expectations table.
# Reports go to reports/<example>/report.json; builds are kept in build/demo-work for fast reruns.
#
#   tests/demo.sh [--no-perf]    --no-perf: grade without the speed and memory measurements (about
#                                a third of the time), against the table's "points with --no-perf"
#   DEMO_ONLY=correct,panic      grade only these examples
#   DEMO_EXPECT=FILE             read the expected grades from FILE instead of docs/examples.md
#   GRADER_TEST_PYTHON=PATH      the python3 the grader runs (default Debian's /usr/bin/python3,
#                                with which docs/examples.md's grades were measured)
set -u

usage() {
	echo "usage: tests/demo.sh [--no-perf]   (or: make demo [DEMO_FLAGS=--no-perf])"
	echo "environment: DEMO_ONLY=EXAMPLE,... grades only these; DEMO_EXPECT=FILE reads the expected grades from FILE"
}

# The whole script is in functions, read before anything runs: editing it during a demo is safe.
main() {
	local mode=perf expect name dir results work
	local -a flags=() examples=()
	for arg in "$@"; do
		case $arg in
		--no-perf) mode=no-perf flags=(--no-perf) ;;
		-h | --help) usage; return 0 ;;
		*) echo "tests/demo.sh: unknown option '$arg'" >&2; usage >&2; return 2 ;;
		esac
	done
	expect=$(realpath -m -- "${DEMO_EXPECT:-$(dirname "$0")/../docs/examples.md}")
	cd "$(dirname "$0")/.." || return 2
	for f in bin/grader bin/grader-pid1; do
		[ -x "$f" ] || { echo "tests/demo.sh: $f is missing: run 'make demo', which builds it" >&2; return 2; }
	done

	if [ -n "${DEMO_ONLY:-}" ]; then
		IFS=, read -ra examples <<<"$DEMO_ONLY"
		for name in "${examples[@]}"; do
			if [ -z "$name" ] || [ ! -d "submissions/examples/$name" ]; then
				echo "tests/demo.sh: DEMO_ONLY names '$name', which is not in submissions/examples/" \
					"(there: $(ls submissions/examples | tr '\n' ' '))" >&2
				return 2
			fi
		done
	else
		for dir in submissions/examples/*/; do examples+=("$(basename "$dir")"); done
	fi
	[ ${#examples[@]} -gt 0 ] || { echo "tests/demo.sh: no examples to grade" >&2; return 2; }
	# A malformed table or a missing row is found now, not after minutes of grading.
	python3 tests/demo_check.py table "$expect" "$mode" "${examples[@]}" || return 2

	work=$PWD/build/demo-work
	mkdir -p "$work" reports
	# The interpreter the documented grades were measured with (tests/python_path.sh).
	. tests/python_path.sh
	use_python "$work/python" tests/demo.sh
	results=$(mktemp /tmp/grader-demo.XXXXXX) || return 2
	for name in "${examples[@]}"; do
		echo "=============================================================== $name"
		rm -f "reports/$name/report.json" # so that a grading which writes none is seen
		# On a terminal the grader's status line stays on it (redrawn in place); elsewhere its
		# plain progress lines join the output, less the warnings that the summary repeats.
		if [ -t 2 ]; then
			bin/grader grade "submissions/examples/$name" --learner "$name" --reports reports \
				--work "$work" "${flags[@]}"
			echo "$name $?" >>"$results"
		else
			bin/grader grade "submissions/examples/$name" --learner "$name" --reports reports \
				--work "$work" "${flags[@]}" 2>&1 | grep -v '^grader: warning: '
			echo "$name ${PIPESTATUS[0]}" >>"$results"
		fi
	done
	echo "=============================================================== summary"
	python3 tests/demo_check.py verdict "$expect" "$mode" reports "$results"
	local rc=$?
	rm -f "$results"
	return $rc
}

main "$@"
exit
