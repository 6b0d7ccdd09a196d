#!/usr/bin/env bash
# End to end: relative --work, --reports, --spec and --profiles work from any current directory
# (the sandbox binds absolute paths only; a relative --work used to fail every grading after its
# build with "bind source ... is not an existing absolute path").
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
. tests/integrity/repo.sh

honest_port "$T/here/sub"
cp -R specs/ch01 "$T/here/spec"
cp -R sandboxes "$T/here/profiles"
cd "$T/here" || exit 2
run_grader grade sub --learner rel --work w --reports r --spec spec --profiles profiles --only ex4 --no-perf
expect "grade with relative --work, --reports, --spec and --profiles" 0
check_exercise "... builds and agrees" "$T/here/r/rel/report.json" ch01-ex4 \
	'c["build"]["status"] == "pass" and c["correctness"]["status"] == "pass" and not r["errors"]'
run_grader check sub --work w2 --reports r2 --spec spec --only ex4 --no-perf
expect "check with relative --work and --reports" 0
check_exercise "... builds and agrees" "$T/here/r2/sub/report.json" ch01-ex4 \
	'c["build"]["status"] == "pass" and c["correctness"]["status"] == "pass" and not r["errors"]'
