#!/usr/bin/env bash
# End to end: docs/internals.md names only what exists, so that the newcomer's map cannot rot
# silently. Every path it names under grader/ (and under tests/, docs/, reports/, specs/,
# sandboxes/) must exist in the tree, and every function it names in backquotes as `name()` must
# appear as `name(` in the grader's sources (grader/**/*.c and *.h). Placeholders of the "how to
# add" steps (NEW, NAME, <name>) are not names and are left out.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

DOC=${INTERNALS_DOC:-docs/internals.md}

# check NAME PYTHON-PROGRAM: runs the program (which exits non-zero with its reasons on failure).
check() {
	if DOC=$DOC /usr/bin/python3 - "$GRADER_ROOT" >"$T/py.out" 2>&1; then ok "$1"; else fail "$1" "$(cat "$T/py.out")"; fi
}

check "docs/internals.md names only paths that exist" <<'PY'
import os, re, sys
root = sys.argv[1]
doc = open(os.path.join(root, os.environ["DOC"])).read()
paths = set()
for m in re.finditer(r"(?<![\w./-])((?:grader|tests|docs|reports|specs|sandboxes)/[\w./-]*)", doc):
    p = m.group(1).rstrip(".")
    if re.search(r"NEW|NAME|[<>{*]", p) or doc[m.end():m.end() + 1] in "<{*":
        continue  # a placeholder or a pattern, not a file
    paths.add(p)
assert paths, "no path found: the pattern is broken"
missing = sorted(p for p in paths if not os.path.exists(os.path.join(root, p)))
assert not missing, "named in the doc but not in the tree: " + ", ".join(missing)
assert any(p.startswith("grader/") for p in paths), "no grader/ path found"
print(len(paths), "paths checked")
PY

check "docs/internals.md names only functions that exist in grader/" <<'PY'
import os, re, sys
root = sys.argv[1]
doc = open(os.path.join(root, os.environ["DOC"])).read()
names = {m.group(1) for m in re.finditer(r"`([A-Za-z_]\w*)\(\)`", doc) if "NEW" not in m.group(1)}
assert len(names) >= 10, f"only {len(names)} functions found: the pattern is broken"
src = []
for d, _, files in os.walk(os.path.join(root, "grader")):
    for f in files:
        if f.endswith((".c", ".h")):
            src.append(open(os.path.join(d, f), errors="replace").read())
src = "\n".join(src)
missing = sorted(n for n in names if not re.search(r"\b" + re.escape(n) + r"\s*\(", src))
assert not missing, "named in the doc but not found in grader/: " + ", ".join(f"{n}()" for n in missing)
print(len(names), "functions checked")
PY
