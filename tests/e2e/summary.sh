#!/usr/bin/env bash
# End to end: `grader summary` on folders of the example reports: the grade sheet read by Python's
# csv module column by column against the reports, summary.json valid against its schema, shards
# merged into the same files as one folder, mixed versions and a learner twice refused, a hostile
# report kept harmless, and `grader merge` writing the same sheet.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

fx=tests/views/reports
mkdir -p "$T/R" "$T/S1" "$T/S2"
i=0
for f in "$fx"/*.json; do
	n=$(basename "$f" .json)
	mkdir -p "$T/R/$n" && cp "$f" "$T/R/$n/report.json"
	# shards: every other learner, so that each shard is not a prefix of the sorted class
	s=$((i % 2 + 1)) && i=$((i + 1))
	mkdir -p "$T/S$s/$n" && cp "$f" "$T/S$s/$n/report.json"
done

run_grader summary "$T/R"
expect "summary of a reports folder writes its files in the folder" 0 '^7 learners \(spec ch01\): 3 passed, 2 below the threshold, 2 failed a required check'
if grep -q '^  ex4.correctness: 3 of 6 failed; most often (2): 1 of 3 cases differ' "$T/out" && grep -q '^graded with no-perf: 6 learners' "$T/out"; then
	ok "the text names the most failed checks with their common message, and the options"
else
	fail "the text names the most failed checks with their common message, and the options" "$(cat "$T/out")"
fi
if python3 - "$fx" "$T/R" reports/summary.schema.json <<'PY' >"$T/py.out" 2>&1; then ok "the grade sheet says, column by column, what each report says; summary.json follows its schema"; else fail "the grade sheet says, column by column, what each report says; summary.json follows its schema" "$(cat "$T/py.out")"; fi
import csv, glob, json, os, sys
import jsonschema
fx, out, schema = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
reports = {os.path.basename(f)[:-5]: json.load(open(f)) for f in glob.glob(fx + "/*.json")}
rows = list(csv.DictReader(open(out + "/grades.csv", newline="")))
head = open(out + "/grades.csv").readline().strip().split(",")
assert head[:12] == ["learner", "points", "max_points", "percent", "passed", "reason", "graded_commit_late",
                     "later_commits", "penalty", "commit", "options", "errors"], head
assert [r["learner"] for r in rows] == sorted(reports), [r["learner"] for r in rows]
for row in rows:
    r = reports[row["learner"]]
    sc = r["score"]
    pct = 100 * sc["points"] / sc["max_points"]
    assert row["points"] == "%d" % round(sc["points"]), (row["learner"], row["points"])
    assert row["max_points"] == "%d" % sc["max_points"]
    assert row["percent"] == "%.1f" % pct, (row["percent"], pct)
    assert row["passed"] == ("yes" if sc["passed"] else "no")
    unmet = [e["id"].split("-", 1)[1] + "." + u for e in r["exercises"] for u in e["unmet_requirements"]]
    want = "%.1f%% %s 60%% threshold" % (pct, ">=" if pct >= 60 else "<")
    if unmet:
        want += (", but" if pct >= 60 else ";") + " required check failed: " + ", ".join(unmet)
    assert row["reason"] == want, (row["reason"], want)
    # what the report records of the deadline; an older report, nothing recorded, nothing claimed
    sub = r["submission"]
    if "graded_commit_late" in sub:
        assert row["graded_commit_late"] == ("yes" if sub["graded_commit_late"] else "no"), row
        assert row["later_commits"] == str(sub["later_commits"]) and row["penalty"] == "0", row
    else:
        assert row["graded_commit_late"] == row["later_commits"] == row["penalty"] == "", row
    assert row["commit"] == (r["submission"]["commit"] or "")
    skipped_no_perf = any("(--no-perf)" in (c["message"] or "") for e in r["exercises"] for c in e["checks"])
    assert row["options"] == ("no-perf" if skipped_no_perf else ""), row["options"]
    assert row["errors"] == str(len(r["errors"]))
    for e in r["exercises"]:
        short = e["id"].split("-", 1)[1]
        assert row[short] == "%d" % round(e["points"]), (short, row[short], e["points"])
        for c in e["checks"]:
            assert row[short + "." + c["id"]] == "%d" % round(c["points"]), (short, c["id"])
    assert not any("." in v and len(v.split(".")[1]) > 1 for v in row.values() if v.replace(".", "").isdigit())
s = json.load(open(out + "/summary.json"))
jsonschema.validate(s, schema)
cl = s["class"]
assert cl["count"] == 7 and cl["passed"] == 3
assert cl["count"] == cl["passed"] + cl["below_threshold"] + cl["requirement_failed"] + cl["not_graded"] + cl["errors"]
assert sum(b["learners"] for b in cl["percent"]["histogram"]) == 7
for c in s["checks"]:
    failed = [r for r in reports.values() for e in r["exercises"] if e["id"] == c["exercise"]
              for k in e["checks"] if k["id"] == c["check"] and k["status"] in ("fail", "partial", "error")]
    assert c["failed"] == len(failed), (c, len(failed))
    assert sum(m["learners"] for m in c["messages"]) <= c["failed"]
sp = {d["exercise"]: d for d in s["speedups"]}
assert sp["ch01-ex4"]["count"] == 1 and abs(sp["ch01-ex4"]["median"] - 5.646) < 0.01, sp
assert {g["exercise"] for g in s["cited"]} == {"ch01-ex1", "ch01-ex3"}
assert s["similarity"] is None
PY
if grep -q '<th>Most common message' "$T/R/class.html" && grep -q 'Awaiting review' "$T/R/class.html"; then ok "the class page carries the analytics"; else fail "the class page carries the analytics" "$(head -c 400 "$T/R/class.html")"; fi

run_grader summary --out "$T/M" "$T/S1" "$T/S2"
expect "two shards' folders are merged" 0 '^7 learners'
same=1
for f in grades.csv summary.json class.html; do cmp -s "$T/R/$f" "$T/M/$f" || { same=0; echo "$f differs"; diff "$T/R/$f" "$T/M/$f" | head -10; } done >"$T/diff"
if [ $same = 1 ]; then ok "the merge of two shards equals the summary of one folder"; else fail "the merge of two shards equals the summary of one folder" "$(cat "$T/diff")"; fi

run_grader merge "$T/S2" "$T/S1"
if [ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/R/grades.csv"; then ok "grader merge writes the summary's grade sheet"; else fail "grader merge writes the summary's grade sheet" "rc=$rc" "$(diff "$T/out" "$T/R/grades.csv" | head)"; fi

mkdir -p "$T/S3/zed"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["learner"]="zed"; r["grader"]["version"]="9.9.9"; json.dump(r, open(sys.argv[2], "w"))' "$fx/correct.json" "$T/S3/zed/report.json"
run_grader summary --out "$T/mixed" "$T/S1" "$T/S3"
expect "reports of different grader versions are refused, both named" 2 "mixed grader versions: '0.1.0' in .*/S1/.*/report.json, '9.9.9' in .*/S3/zed/report.json"
if [ ! -e "$T/mixed" ]; then ok "a refused summary writes nothing"; else fail "a refused summary writes nothing" "$(ls "$T/mixed")"; fi
run_grader summary --out "$T/twice" "$T/S1" "$T/R"
expect "a learner in two shards is refused, both files named" 2 "learner '[a-z-]*' is in both .*/S1/[a-z-]*/report.json and .*/R/[a-z-]*/report.json"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["spec"]="ch02"; r["learner"]="zed"; json.dump(r, open(sys.argv[2], "w"))' "$fx/correct.json" "$T/S3/zed/report.json"
run_grader summary --out "$T/mixed" "$T/S1" "$T/S3"
expect "reports of different spec ids are refused" 2 "mixed spec ids: 'ch01' in .*, 'ch02' in .*zed/report.json"

echo '{"not": "a report"}' >"$T/junk.json"
run_grader summary --out "$T/J" "$T/S1" "$T/junk.json"
expect "a file that is not a report is named; the others are summarised" 2 'grader summary: .*junk.json: not a grader report'
if [ -f "$T/J/grades.csv" ] && [ "$(wc -l <"$T/J/grades.csv")" -eq 5 ]; then ok "the good reports' files are still written"; else fail "the good reports' files are still written" "$(cat "$T/J/grades.csv" 2>&1)"; fi
run_grader summary "$T/junk.json"
expect "with a file first and no --out the summary asks where to write" 2 'say where the files go with --out DIR'

# A hostile report: formula cells, control characters, bidi, a huge message and a huge name.
mkdir -p "$T/H/evil"
python3 - "$fx/panic.json" "$T/H/evil/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["learner"] = "=HYPERLINK(\"http://x\",\"y\")\x1b[2J\u202e\r\n"
r["submission"]["commit"] = "+cmd|' /C calc'!A0\x07"
r["submission"]["error"] = None
for e in r["exercises"]:
    for c in e["checks"]:
        if c["id"] == "correctness":
            c["message"] = "@SUM(1)\x1b]0;pwned\x07 <script>alert(1)</script> " + "A" * 2000000
        if c["id"] == "verified":
            c["evidence"]["entries"].append({"name": "-2+3\x1b[31m" + "B" * 100000, "status": "review"})
json.dump(r, open(sys.argv[2], "w"))
PY
cp -r "$T/R/correct" "$T/H/"
run_grader summary "$T/H"
expect "a hostile report is summarised" 0 '^2 learners'
if python3 - "$T/H" <<'PY' >"$T/py.out" 2>&1; then ok "a hostile report's text stays harmless in every file"; else fail "a hostile report's text stays harmless in every file" "$(cat "$T/py.out")"; fi
import csv, json, os, re, sys
d = sys.argv[1]
for f in ("grades.csv", "summary.json", "class.html"):
    b = open(os.path.join(d, f), "rb").read()
    t = b.decode("utf-8")
    # the page is HTML-escaped by views/html.c (controls become U+FFFD; line breaks are markup's)
    bad = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]" if f == "class.html" else "[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]"
    assert not re.search(bad, t), f
    assert len(b) < 200000, (f, len(b))
rows = list(csv.reader(open(os.path.join(d, "grades.csv"), newline="")))
assert len(rows) == 3 and all(len(r) == len(rows[0]) for r in rows), [len(r) for r in rows]
evil = [r for r in rows if "HYPERLINK" in r[0]][0]
assert evil[0].startswith("'=HYPERLINK(\"http://x\",\"y\")\\x1b[2J\\u202e"), evil[0]
assert evil[9].startswith("'+cmd|"), evil[9]
for r in rows:
    for c in r:
        assert not c[:1] in ("=", "+", "-", "@"), c
assert "<script>" not in open(os.path.join(d, "class.html")).read()
s = json.load(open(os.path.join(d, "summary.json")))
m = [c for c in s["checks"] if c["check"] == "correctness"][0]["messages"][0]
assert m["example"].startswith("@SUM(1)\\x1b]0;pwned\\x07 <script>") and len(m["example"]) < 400, m
names = [n["name"] for g in s["cited"] for n in g["names"]]
assert any(n.startswith("-N+N") or n.startswith("-2+3\\x1b[31mBBB") for n in names) and max(map(len, names)) < 300, names
PY
