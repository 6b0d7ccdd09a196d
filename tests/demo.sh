#!/usr/bin/env bash
# tests/demo.sh (make demo): grades every bundled example submission in submissions/examples/
# with the real grader, sandboxes and all, and prints each summary and a table at the end.
# Reports go to reports/<example>/report.json; builds are kept in build/demo-work for fast reruns.
set -u
cd "$(dirname "$0")/.." || exit 2
grader=$PWD/bin/grader
work=$PWD/build/demo-work
mkdir -p "$work"
table=""
for dir in submissions/examples/*/; do
	name=$(basename "$dir")
	echo "=============================================================== $name"
	"$grader" grade "$dir" --learner "$name" --reports reports --work "$work" 2>&1 | grep -v '^grader: warning: '
	rc=${PIPESTATUS[0]}
	score=$(python3 -c "import json,sys; r=json.load(open('reports/$name/report.json')); s=r['score']; print('%.1f/%.1f' % (s['points'], s['max_points']))" 2>/dev/null || echo "?")
	table+=$(printf '%-16s exit %d  %s' "$name" "$rc" "$score")$'\n'
done
echo "=============================================================== summary"
printf '%s' "$table"
echo "(exit 0: passed, 1: below the pass threshold, 3: infrastructure error; reports in reports/)"
