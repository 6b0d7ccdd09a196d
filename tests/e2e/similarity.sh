#!/usr/bin/env bash
# End to end: fingerprints taken at grading time, and `grader similarity` on the reports: copies of
# the correct example disguised by renaming, reformatting and reordering are flagged against the
# original with their regions; two ports of one program written independently stay below the
# threshold; code given to everyone (the chapter's similarity.starter) is not counted.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
FIX=$GRADER_ROOT/tests/similarity
CORRECT=$GRADER_ROOT/submissions/examples/correct

# learner NAME: a submission with the correct example's ex4/ and ex2/
learner() {
	mkdir -p "$T/class/$1"
	cp -R "$CORRECT/ex4" "$CORRECT/ex2" "$T/class/$1/"
}
learner orig
for how in rename reformat reorder; do
	learner "$how"
	python3 "$FIX/mutate.py" "$how" "$T/class/$how"
done
cp -R "$FIX/ines" "$FIX/omar" "$T/class/"
# mallory copied the original under a file name made to fool a terminal and a page
learner mallory
mv "$T/class/mallory/ex4/python/featreport.py" "$T/class/mallory/ex4/python/<b>x"$'\e[2J'".py"

if ! diff -q "$CORRECT/ex4/rust/src/main.rs" "$T/class/reformat/ex4/rust/src/main.rs" >/dev/null &&
	! diff -q "$CORRECT/ex4/rust/src/main.rs" "$T/class/reorder/ex4/rust/src/main.rs" >/dev/null &&
	grep -q 'fn describe_numbers' "$T/class/rename/ex4/rust/src/main.rs" &&
	[ "$(grep -c '' "$T/class/reformat/ex4/rust/src/main.rs")" -lt 150 ] &&
	[ "$(grep -n '^fn main' "$T/class/reorder/ex4/rust/src/main.rs" | cut -d: -f1)" -lt 40 ]; then
	ok "the disguised copies differ from the original as a copier would make them"
else
	fail "the disguised copies differ from the original as a copier would make them" "$(head -c 400 "$T/class/reformat/ex4/rust/src/main.rs")"
fi

for l in orig rename reformat reorder ines omar mallory; do
	only=ex4
	[ "$l" = reorder ] && only=ex2 # the fingerprints cover the whole tree, whatever is graded
	run_grader grade --no-perf --only $only --learner "$l" --reports "$T/reports" --work "$T/work" "$T/class/$l"
	if [ "$rc" -gt 1 ] || [ ! -f "$T/reports/$l/fingerprints.json" ] || grep -q Sanitizer "$T/err"; then
		fail "grading $l writes its fingerprints beside the report" "exit $rc" "$(tail -5 "$T/err")"
	fi
done
if python3 - "$T/reports" "$GRADER_ROOT/reports/fingerprints.schema.json" <<'PY' >"$T/py.out" 2>&1; then ok "every grading wrote fingerprints.json as its schema says, with both languages"; else fail "every grading wrote fingerprints.json as its schema says, with both languages" "$(cat "$T/py.out")"; fi
import glob, json, sys, jsonschema
schema = json.load(open(sys.argv[2]))
files = sorted(glob.glob(sys.argv[1] + "/*/fingerprints.json"))
assert len(files) == 7, files
for f in files:
    d = json.load(open(f))
    jsonschema.validate(d, schema)
    for lang in ("rust", "python"):
        assert len(d["languages"][lang]["fingerprints"]) >= 40, (f, lang, len(d["languages"][lang]["fingerprints"]))
d = json.load(open(sys.argv[1] + "/mallory/fingerprints.json"))
names = d["languages"]["python"]["files"]
assert "ex4/python/<b>x\\x1b[2J.py" in names, names
PY

run_grader similarity --out "$T/sim" "$T/reports"
expect "grader similarity compares the class" 0 '^similarity: 7 learners, 21 pairs compared, threshold 0.50'
for how in rename reformat reorder; do
	if grep -Eq "^orig ~ $how: (0\.[5-9][0-9]|1\.00) " "$T/out" || grep -Eq "^$how ~ orig: (0\.[5-9][0-9]|1\.00) " "$T/out"; then
		ok "the $how copy is flagged against the original"
	else
		fail "the $how copy is flagged against the original" "$(grep -E '~' "$T/out" | grep -v '^ ')"
	fi
done
if grep -Eq '^  rust   ex4/rust/src/main\.rs:[0-9]+-[0-9]+  ~  ex4/rust/src/main\.rs:[0-9]+-[0-9]+  \([0-9]+ fingerprints\)' "$T/out"; then
	ok "the text names matching regions as file:first-last on both sides"
else
	fail "the text names matching regions as file:first-last on both sides" "$(head -20 "$T/out")"
fi
if grep -q 'ines ~ omar' "$T/out" || grep -Eq '^(ines|omar) ~ ' "$T/out"; then
	fail "two independent ports are not flagged" "$(grep -E '^(ines|omar)' "$T/out")"
else
	ok "two independent ports are not flagged"
fi
if grep -q $'\e' "$T/out" || ! grep -qF 'ex4/python/<b>x\x1b[2J.py:' "$T/out"; then
	fail "a hostile file name shows escaped in the text" "$(grep -a mallory "$T/out" | head -3)"
else
	ok "a hostile file name shows escaped in the text"
fi

if python3 - "$T/sim/similarity.json" "$GRADER_ROOT/reports/similarity.schema.json" <<'PY' >"$T/py.out" 2>&1; then ok "similarity.json: the copies with their regions on both sides, as its schema says"; else fail "similarity.json: the copies with their regions on both sides, as its schema says" "$(cat "$T/py.out")"; fi
import json, sys, jsonschema
d = json.load(open(sys.argv[1]))
jsonschema.validate(d, json.load(open(sys.argv[2])))
pairs = {tuple(sorted((p["a"], p["b"]))): p for p in d["pairs"]}
for how in ("rename", "reformat", "reorder", "mallory"):
    p = pairs[tuple(sorted(("orig", how)))]
    assert p["score"] >= 0.5, p["score"]
    rust = p["languages"]["rust"]
    assert rust["score"] >= 0.9, (how, rust["score"])
    r = rust["regions"][0]
    assert r["a"]["file"] == r["b"]["file"] == "ex4/rust/src/main.rs", r
    # the port's body (lines 13-208 in the original) is covered by a few long regions
    big = [x for x in rust["regions"] if x["fingerprints"] >= 10]
    assert big and all(x["a"]["first"] <= x["a"]["last"] and x["b"]["first"] <= x["b"]["last"] for x in big), rust["regions"][:3]
# reformatting joined the lines: the same code is on fewer lines on the copy's side
p = pairs[("orig", "reformat")]
r = p["languages"]["rust"]["regions"][0]
side = "b" if p["b"] == "reformat" else "a"
other = "a" if side == "b" else "b"
assert r[side]["last"] - r[side]["first"] < r[other]["last"] - r[other]["first"], r
assert ("ines", "omar") not in pairs, pairs[("ines", "omar")]
assert d["threshold"] == 0.5 and d["pairs_compared"] == 21
PY

# below the threshold: what the independent pair scores
run_grader similarity --threshold 0 --format json "$T/reports"
if [ "$rc" -eq 0 ] && python3 - "$T/out" <<'PY' >"$T/py.out" 2>&1; then ok "two independent ports of one program score well below 0.5 (Rust and Python)"; else fail "two independent ports of one program score well below 0.5 (Rust and Python)" "rc=$rc" "$(cat "$T/py.out")"; fi
import json, sys
d = json.load(open(sys.argv[1]))
p = [p for p in d["pairs"] if {p["a"], p["b"]} == {"ines", "omar"}]
scores = {k: v["score"] for k, v in p[0]["languages"].items()} if p else {}
print("ines ~ omar:", scores)
assert all(s < 0.25 for s in scores.values()), scores
PY

page=$T/sim/similarity.html
if [ -f "$page" ] && grep -q 'Content-Security-Policy' "$page" && ! grep -qi '<script' "$page" &&
	grep -qF '&lt;b&gt;x\x1b[2J.py:' "$page" && ! grep -q $'\e' "$page" && grep -q 'ex4/rust/src/main.rs:[0-9]*&#8211;[0-9]*' "$page"; then
	ok "similarity.html: a plain page, the regions listed, learner text escaped"
else
	fail "similarity.html: a plain page, the regions listed, learner text escaped" "$(grep -a -o '.\{0,60\}&lt;b.\{0,60\}' "$page" | head -3)"
fi

# code given to everyone: both independent ports include the course's helper module
mkdir -p "$T/starter-class"
for l in ines omar; do
	cp -R "$FIX/$l" "$T/starter-class/"
	cp "$FIX/starter/args.rs" "$T/starter-class/$l/ex4/rust/src/args.rs"
done
cp -R specs/ch01 "$T/spec"
mkdir -p "$T/spec/starter" && cp "$FIX/starter/args.rs" "$T/spec/starter/"
printf 'similarity: {threshold: 0.5, starter: [starter/args.rs]}\n' >>"$T/spec/chapter.yaml"
run_grader validate "$T/spec"
expect "a chapter with a similarity section validates" 0
for l in ines omar; do
	run_grader grade --no-perf --only ex4 --learner "$l" --reports "$T/without" --work "$T/work" "$T/starter-class/$l"
	run_grader grade --no-perf --only ex4 --spec "$T/spec" --learner "$l" --reports "$T/with" --work "$T/work" "$T/starter-class/$l"
done
run_grader similarity "$T/without"
expect "the shared starter module alone puts two independent ports over the threshold" 0 '^ines ~ omar: 0\.[5-9]'
run_grader similarity "$T/with"
if [ "$rc" -eq 0 ] && grep -q '0 pairs at or above' "$T/out" &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["languages"]["rust"]; assert r["starter_removed"] >= 50 and d["threshold"] == 0.5, r["starter_removed"]' "$T/with/ines/fingerprints.json"; then
	ok "the chapter's similarity.starter is left out of every learner's fingerprints"
else
	fail "the chapter's similarity.starter is left out of every learner's fingerprints" "rc=$rc" "$(head -5 "$T/out")"
fi

# grader check writes the fingerprints beside its report too
cp -R "$T/class/orig" "$T/mine"
run_grader check --no-perf --only ex4 --work "$T/work" "$T/mine"
if [ -f "$T/mine/.grader/fingerprints.json" ]; then ok "grader check writes .grader/fingerprints.json"; else fail "grader check writes .grader/fingerprints.json" "exit $rc" "$(ls -a "$T/mine/.grader" 2>&1)"; fi

# the spec's similarity section is validated with file:line:col
cp -R specs/ch01 "$T/bad"
printf 'similarity:\n  threshold: 2\n  starter: [nowhere.rs, ../x]\n  treshold: 1\n' >>"$T/bad/chapter.yaml"
run_grader validate "$T/bad"
expect "a bad similarity threshold is named with its place" 2 'chapter.yaml:[0-9]+:[0-9]+: .*threshold'
expect "a missing starter file is named" 2 "similarity starter 'nowhere.rs' does not exist"
expect "a starter path outside the chapter is refused" 2 "similarity starter '../x' must be a relative path"
expect "an unknown key in the section gets a suggestion" 2 "treshold.*threshold"

# usage and unreadable input
run_grader similarity "$T/nothing-here"
expect "a PATH that is not a reports folder is named (exit 2)" 2 'nothing-here: not a reports folder'
mkdir -p "$T/broken/zoe" && echo '{"kind": "grader-fingerprints", "schema_version": 9}' >"$T/broken/zoe/fingerprints.json"
cp -R "$T/reports/orig" "$T/reports/rename" "$T/broken/"
run_grader similarity "$T/broken"
expect "a fingerprints.json of another version is named, the others still compared (exit 2)" 2 'zoe/fingerprints.json: a fingerprints file of another schema version'
if grep -q '^orig ~ rename' "$T/out"; then ok "the readable fingerprints are still compared"; else fail "the readable fingerprints are still compared" "$(head -3 "$T/out")"; fi
run_grader similarity "$T/reports" "$T/broken"
expect "a learner in two shards is refused by name" 2 "learner 'orig' again"
run_grader similarity --threshold 1.5 "$T/reports"
expect "a threshold above 1 is a usage error" 2 "--threshold '1.5' is not a number from 0 to 1"
run_grader similarity --format html "$T/reports"
expect "html needs --out" 2 'html needs --out'
run_grader similarity
expect "no PATH is a usage error" 2 'name at least one reports folder'
run_grader similarity --help
expect "--help says how a score is made" 0 "share of the smaller side's fingerprints"

# A class built on one template: 22 learners with the same fingerprints put all 231 pairs above
# the threshold; every pair is counted, the 200 highest are listed (memory and output stay bounded).
for i in $(seq -w 1 22); do
	mkdir -p "$T/template/t$i"
	cp "$T/reports/$(ls "$T/reports" | head -n 1)/fingerprints.json" "$T/template/t$i/"
done
run_grader similarity --format json "$T/template"
if [ "$rc" -eq 0 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["pairs_compared"] == 231 and d["pairs_above_threshold"] == 231, (d["pairs_compared"], d["pairs_above_threshold"])
assert len(d["pairs"]) == 200 == d["pairs_listed_max"], len(d["pairs"])' "$T/out" 2>"$T/py.out"; then
	ok "a class on one template: all 231 pairs counted, the 200 highest listed"
else
	fail "a class on one template: all 231 pairs counted, the 200 highest listed" "rc=$rc" "$(cat "$T/py.out" "$T/err")"
fi
