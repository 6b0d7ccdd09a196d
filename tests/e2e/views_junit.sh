#!/usr/bin/env bash
# tests/e2e/views_junit.sh: the JUnit XML and Gradescope views' documents, as other programs
# read them. The views have no command of their own yet, so the unit tests render every example
# report and a hostile one into $GRADER_VIEWS_OUT; this suite runs them and parses what they wrote
# with Python: the JUnit documents with xml.etree against the rules of Jenkins' junit-10.xsd
# (elements, attributes allowed and required, time format, counts that match the testcases), the
# Gradescope ones with json against Gradescope's results.json specification.
. "$(dirname "$0")/lib.sh"

out=$T/views
mkdir -p "$out"
for t in test_views_junit test_views_gradescope; do
	bin=$GRADER_ROOT/build/san/tests/$t
	if [ ! -x "$bin" ]; then
		fail "$t renders" "$bin is missing: build it with 'make build/san/tests/$t'"
		continue
	fi
	if GRADER_VIEWS_OUT=$out "$bin" >"$T/$t.out" 2>&1; then
		ok "$t renders every report"
	else
		fail "$t renders every report" "$(tail -n 20 "$T/$t.out")"
	fi
done

if python3 - "$out" <<'PY' >"$T/junit.out" 2>&1; then ok "JUnit documents parse and follow junit-10.xsd"; else fail "JUnit documents parse and follow junit-10.xsd" "$(cat "$T/junit.out")"; fi
import glob, json, os, re, sys
import xml.etree.ElementTree as ET

# The attributes junit-10.xsd allows on each element (True: required) and the children it allows.
ATTRS = {
    "testsuites": {"name": False, "time": False, "tests": False, "failures": False, "errors": False},
    "testsuite": {"name": True, "tests": True, "failures": True, "errors": True, "group": False,
                  "time": False, "skipped": False, "timestamp": False, "hostname": False, "id": False,
                  "package": False, "file": False, "log": False, "url": False},
    "testcase": {"name": True, "time": False, "classname": False, "group": False},
    "failure": {"type": False, "message": False},
    "error": {"type": False, "message": False},
    "skipped": {"type": False, "message": False},
    "system-out": {}, "system-err": {},
}
CHILDREN = {
    "testsuites": {"testsuite"},
    "testsuite": {"testsuite", "properties", "testcase", "system-out", "system-err"},
    "testcase": {"skipped", "error", "failure", "system-out", "system-err"},
    "failure": set(), "error": set(), "skipped": set(), "system-out": set(), "system-err": set(),
}
TIME = re.compile(r"^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$")
problems = []

def check_element(el, where):
    if el.tag not in ATTRS:
        problems.append(f"{where}: element <{el.tag}> is not in the schema")
        return
    for a in el.attrib:
        if a not in ATTRS[el.tag]:
            problems.append(f"{where}: <{el.tag}> has attribute {a}, which the schema does not allow")
    for a, required in ATTRS[el.tag].items():
        if required and a not in el.attrib:
            problems.append(f"{where}: <{el.tag}> lacks the required attribute {a}")
    if "time" in el.attrib and not TIME.match(el.attrib["time"]):
        problems.append(f"{where}: <{el.tag}> time={el.attrib['time']!r} is not a SUREFIRE_TIME")
    for child in el:
        if child.tag not in CHILDREN[el.tag]:
            problems.append(f"{where}: <{child.tag}> inside <{el.tag}>")
        check_element(child, where)

files = sorted(glob.glob(os.path.join(sys.argv[1], "junit-*.xml")))
if len(files) < 8:
    problems.append(f"only {len(files)} JUnit documents were written")
for f in files:
    name = os.path.basename(f)
    root = ET.parse(f).getroot()
    if root.tag != "testsuites":
        problems.append(f"{name}: the root is <{root.tag}>")
    check_element(root, name)
    total = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for k, v in counts.items():
            if suite.get(k) != str(v):
                problems.append(f"{name}: suite {suite.get('name')}: {k}={suite.get(k)} but {v} testcases")
        for c in cases:
            if c.get("classname") != suite.get("name"):
                problems.append(f"{name}: testcase {c.get('name')} has classname {c.get('classname')}")
            if sum(c.find(t) is not None for t in ("failure", "error", "skipped")) > 1:
                problems.append(f"{name}: testcase {c.get('name')} has more than one outcome")
        for k in total:
            total[k] += counts[k]
    for k, v in total.items():
        if root.get(k) != str(v):
            problems.append(f"{name}: <testsuites> {k}={root.get(k)} but {v} testcases")

# The hostile report: every string comes back exactly as the report has it, but for the
# characters XML 1.0 cannot carry (U+FFFD for them).
report = json.load(open(os.path.join(sys.argv[1], "report-hostile.json")))
root = ET.parse(os.path.join(sys.argv[1], "junit-hostile.xml")).getroot()
def xml_safe(s):
    return "".join("\ufffd" if ord(ch) < 0x20 and ch not in "\t\n\r" else ch for ch in s)
msg = report["exercises"][0]["checks"][0]["message"]
got = {c.get("name"): c for c in root.find("testsuite").findall("testcase")}
failing = [c for c in root.iter("failure")]
if not failing or failing[0].get("message") != xml_safe(failing[0].get("message")):
    problems.append("hostile: no failure, or a failure message with a control character")
sub = [c for c in root.iter("testcase") if c.get("name") == "submission"]
if not sub or sub[0].find("error").get("message") != xml_safe(report["submission"]["error"]):
    problems.append(f"hostile: the submission's error did not come back intact: {sub[0].find('error').get('message')!r}" if sub else "hostile: no submission testcase")
if sub and sub[0].find("error").text != xml_safe(report["submission"]["error"]):
    problems.append("hostile: the submission's error text did not come back intact")
if root.get("name") != report["learner"] + ": ch01":
    problems.append(f"hostile: the root's name is {root.get('name')!r}")
ex4 = [s for s in root.iter("testsuite") if s.get("name") == "ch01-ex4"][0]
corr = [c for c in ex4.findall("testcase") if c.get("name") == "correctness"][0]
text = corr.find("failure").text
if not text.startswith(report["exercises"][3]["checks"][3]["message"] + "\n\nhint: " + xml_safe(msg)):
    problems.append(f"hostile: the correctness failure's text starts {text[:200]!r}")
ev = json.loads(text.split("\n\nevidence:\n", 1)[1].replace("\ufffd", "?"))
if ev["cases"][-1]["actual_excerpt"] != "]]><b>bold</b>":
    problems.append("hostile: the evidence did not come back as JSON")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY

if python3 - "$out" <<'PY' >"$T/gs.out" 2>&1; then ok "Gradescope results follow the results.json specification"; else fail "Gradescope results follow the results.json specification" "$(cat "$T/gs.out")"; fi
import glob, json, os, sys

VIS = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
TOP = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
       "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
        "tags", "visibility", "extra_data"}
problems = []

def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)

def two_decimals(v):
    return abs(round(v, 2) - v) < 1e-9

files = sorted(glob.glob(os.path.join(sys.argv[1], "gradescope-*.json")))
if len(files) < 8:
    problems.append(f"only {len(files)} Gradescope documents were written")
for f in files:
    name = os.path.basename(f)
    d = json.load(open(f))
    for k in d:
        if k not in TOP:
            problems.append(f"{name}: unknown top-level key {k}")
    if not number(d.get("score")) or not two_decimals(d["score"]):
        problems.append(f"{name}: score {d.get('score')!r}")
    if not number(d.get("execution_time")):
        problems.append(f"{name}: execution_time {d.get('execution_time')!r}")
    if not isinstance(d.get("output"), str) or "\n" in d["output"]:
        problems.append(f"{name}: the output is not one paragraph")
    for k in ("output_format", "test_output_format", "test_name_format"):
        if d.get(k) != "text":
            problems.append(f"{name}: {k} is {d.get(k)!r}, not text")
    for k in ("visibility", "stdout_visibility"):
        if d.get(k) not in VIS:
            problems.append(f"{name}: {k} {d.get(k)!r}")
    if not isinstance(d.get("tests"), list) or not d["tests"]:
        problems.append(f"{name}: no tests")
        continue
    for t in d["tests"]:
        for k in t:
            if k not in TEST:
                problems.append(f"{name}: test {t.get('name')!r}: unknown key {k}")
        if not isinstance(t.get("name"), str) or "\n" in t["name"]:
            problems.append(f"{name}: a test name {t.get('name')!r}")
        for k in ("score", "max_score"):
            if not number(t.get(k)) or not two_decimals(t[k]) or t[k] < 0:
                problems.append(f"{name}: test {t.get('name')!r}: {k} {t.get(k)!r}")
        if t.get("status") not in ("passed", "failed"):
            problems.append(f"{name}: test {t.get('name')!r}: status {t.get('status')!r}")
        if t.get("visibility") not in VIS or t.get("name_format") not in FORMATS or t.get("output_format") not in FORMATS:
            problems.append(f"{name}: test {t.get('name')!r}: visibility or formats")
        if not isinstance(t.get("output"), str):
            problems.append(f"{name}: test {t.get('name')!r}: output {t.get('output')!r}")
    total = sum(t["score"] for t in d["tests"])
    if name != "gradescope-odd.json" and abs(total - d["score"]) > 0.01 * len(d["tests"]):
        problems.append(f"{name}: the tests add up to {total}, the score is {d['score']}")

# Hidden cases: a 0/0 test with the visibility asked for; the visible test tells nothing of them.
for f, vis in (("gradescope-hostile.json", "hidden"), ("gradescope-hostile-after-due.json", "after_due_date")):
    d = json.load(open(os.path.join(sys.argv[1], f)))
    hidden = [t for t in d["tests"] if t["name"].endswith("(hidden cases)")]
    if len(hidden) != 1 or hidden[0]["visibility"] != vis or hidden[0]["score"] != 0 or hidden[0]["max_score"] != 0:
        problems.append(f"{f}: hidden tests {hidden!r}")
    for t in d["tests"]:
        if t not in hidden and ("HIDDEN-SECRET" in t["output"] or "hidden case 2" in t["output"]):
            problems.append(f"{f}: {t['name']!r} tells of a hidden case")
    if not hidden or "HIDDEN-SECRET" not in hidden[0]["output"]:
        problems.append(f"{f}: the hidden test does not tell how the hidden case failed")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
