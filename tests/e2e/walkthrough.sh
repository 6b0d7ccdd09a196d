#!/usr/bin/env bash
# End to end: the learner's walkthrough of docs/submission.md ("From an empty repository to a
# passing check") is true. Every block marked ```sh walkthrough exit=N [expect="REGEX"] is run in
# order, in one shell, in an empty folder, with `grader` (the sanitizer build) on the PATH and its
# work space in the test's folder; each must end with exit status N and print something REGEX
# matches. A block that does not stops the walk: the steps after it depend on it.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

# The blocks, one file each, and their expectations (N TAB REGEX) in $T/steps.
if ! /usr/bin/python3 - docs/submission.md "$T" <<'PY' >"$T/extract.out" 2>&1; then
import re, shlex, sys
doc, out = open(sys.argv[1]).read(), sys.argv[2]
blocks = re.findall(r"^```sh walkthrough([^\n]*)\n(.*?)^```$", doc, re.S | re.M)
assert len(blocks) >= 5, f"only {len(blocks)} walkthrough blocks in {sys.argv[1]}"
with open(f"{out}/steps", "w") as steps:
    for i, (info, body) in enumerate(blocks, 1):
        attrs = dict(a.split("=", 1) for a in shlex.split(info))
        assert "exit" in attrs, f"block {i} gives no exit status: {info!r}"
        open(f"{out}/step-{i}.sh", "w").write(body)
        steps.write(f"{i}\t{attrs['exit']}\t{attrs.get('expect', '')}\n")
PY
	fail "the walkthrough's blocks are extracted" "$(cat "$T/extract.out")"
	exit 0
fi
ok "the walkthrough has $(wc -l <"$T/steps") blocks, each with its exit status"

mkdir -p "$T/bin" "$T/walk" "$T/cache"
ln -s "$GRADER" "$T/bin/grader"
export PATH="$T/bin:$PATH" XDG_CACHE_HOME="$T/cache" GRADER_SRC="$GRADER_ROOT"
export GIT_AUTHOR_NAME=Learner GIT_AUTHOR_EMAIL=learner@example.org GIT_COMMITTER_NAME=Learner \
	GIT_COMMITTER_EMAIL=learner@example.org GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
cd "$T/walk"
while IFS=$'\t' read -r i want expect; do
	first=$(head -n1 "$T/step-$i.sh")
	# Sourced, so that `cd` and variables carry over to the next block, as in a learner's shell.
	. "$T/step-$i.sh" >"$T/out-$i" 2>&1 </dev/null
	got=$?
	name="walkthrough step $i ($first) exits $want${expect:+ and prints /$expect/}"
	if [ "$got" -ne "$want" ]; then
		fail "$name" "exit $got" "$(tail -n 30 "$T/out-$i")"
		break
	elif [ -n "$expect" ] && ! /usr/bin/python3 -c 'import re, sys; sys.exit(not re.search(sys.argv[1], open(sys.argv[2]).read(), re.S))' "$expect" "$T/out-$i"; then
		fail "$name" "output does not match" "$(tail -n 30 "$T/out-$i")"
		break
	elif grep -q Sanitizer "$T/out-$i"; then
		fail "$name" "sanitizer report:" "$(grep -A20 Sanitizer "$T/out-$i" | head -30)"
		break
	else
		ok "$name"
	fi
done <"$T/steps"
cd "$GRADER_ROOT"
