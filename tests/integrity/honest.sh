#!/usr/bin/env bash
# Integrity, the control: the honest port every hostile test starts from is built, agrees with its
# original and passes, graded from a committed repository. Without it a hostile test that "fails
# to pass" proves nothing.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

honest_port "$T/repo"
commit_repo "$T/repo"
run_grader grade "$T/repo" --learner honest --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "the honest port is graded" 0
check_exercise "the honest port builds and agrees" "$T/r/honest/report.json" ch01-ex4 \
	'c["build"]["status"] == "pass" and c["correctness"]["status"] == "pass"'
