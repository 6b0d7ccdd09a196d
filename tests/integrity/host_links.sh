#!/usr/bin/env bash
# Integrity: the grader reads a learner's files without following links, even links that stay in
# the submission (a plain folder or `grader check` keeps real links; a fetched commit has none).
# A link is named in the message, its target is never read, and the grading goes on.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

secret="linked-secret-$$-$RANDOM"
honest_port "$T/sub"
mkdir -p "$T/sub/docs" "$T/sub/ex4/more"
mv "$T/sub/ex4/NOTES.md" "$T/sub/docs/notes.md"
printf '%s\n' "$secret" >>"$T/sub/docs/notes.md"
ln -s ../docs/notes.md "$T/sub/ex4/NOTES.md"                 # stays inside, still a link
printf 'two words %s\n' "$secret" >"$T/sub/ex4/more/x.txt"
ln -s ../more/x.txt "$T/sub/ex4/cases/linked.txt"            # a case that is a link
run_grader grade "$T/sub" --learner links --work "$T/w" --reports "$T/r" --only ex4 --no-perf
cp "$T/out" "$T/r/links.stdout"; cp "$T/err" "$T/r/links.stderr"
check_exercise "a NOTES.md that is a link is not read, and the message says why" "$T/r/links/report.json" ch01-ex4 \
	'c["notes"]["status"] == "fail" and "symbolic link" in c["notes"]["message"]'
check_exercise "a case that is a link is left out, with a warning" "$T/r/links/report.json" ch01-ex4 \
	'c["cases"]["evidence"]["learner_cases"] == 3 and any("symbolic link in ex4/cases left out" in w for w in r["submission"]["warnings"])'
no_secret "nothing a link points at reaches the report or the summary" "$secret" "$T/r"

# The manifest itself as a link: the exercise says so instead of reading it.
honest_port "$T/man"
mv "$T/man/ex4/exercise.yaml" "$T/man/ex4/real.yaml"
ln -s real.yaml "$T/man/ex4/exercise.yaml"
run_grader grade "$T/man" --learner man --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "a manifest that is a link is refused with a message" "$T/r/man/report.json" ch01-ex4 \
	'"symbolic link" in (ex["message"] or "") and c["build"]["status"] == "fail"'

# The cases folder as a link leads nowhere.
honest_port "$T/cdir"
mv "$T/cdir/ex4/cases" "$T/cdir/ex4/real-cases"
ln -s real-cases "$T/cdir/ex4/cases"
run_grader grade "$T/cdir" --learner cdir --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "a cases folder that is a link is refused with a message" "$T/r/cdir/report.json" ch01-ex4 \
	'c["cases"]["status"] == "fail" and "symbolic link" in c["cases"]["message"]'
