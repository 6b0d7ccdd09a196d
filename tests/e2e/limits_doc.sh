#!/usr/bin/env bash
# End to end: the "Limits" table of docs/submission.md states the values the grader enforces. Each
# value is read from the chapter's specs (specs/ch01/*.yaml), the sandbox profiles a spec does not
# override (sandboxes/*.yaml) or the grader's source (the output-file read cap), and compared with
# the table's cell; and the chapter's own examples sit inside the benchmark range the doc gives
# (their generated benchmark input well under the output limit, Python's CPU time on it well above
# the minimum), so that the two limits cannot contradict each other for them.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

# check NAME PYTHON-PROGRAM: runs the program (which exits non-zero with its reasons on failure).
check() {
	if /usr/bin/python3 - "$GRADER_ROOT" >"$T/py.out" 2>&1; then ok "$1"; else fail "$1" "$(cat "$T/py.out")"; fi
}

cat >"$T/limits.py" <<'PY'
import re, sys, yaml
root = sys.argv[1]
def load(p): return yaml.safe_load(open(f"{root}/{p}"))
specs = {n: load(f"specs/ch01/{n}.yaml") for n in ("ex2", "ex4")}
chapter = load("specs/ch01/chapter.yaml")
prof = {n: load(f"sandboxes/{n}.yaml")["limits"] for n in ("python-run", "rust-run", "rust-build")}
UNITS = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}
def size(v):
    m = re.fullmatch(r"(\d+)\s*(B|KiB|MiB|GiB)", str(v)); return int(m[1]) * UNITS[m[2]]
def secs(v):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)", str(v))
    return float(m[1]) * {"ms": 1e-3, "s": 1, "m": 60, "min": 60, "h": 3600}[m[2]]
def fsize(b):
    for u in ("GiB", "MiB", "KiB"):
        if b >= UNITS[u] and b % UNITS[u] == 0: return f"{b // UNITS[u]} {u}"
    return f"{b} B"
def fsecs(s):
    if s < 1: return f"{s * 1000:g} ms"
    if s >= 600 and s % 60 == 0: return f"{s / 60:g} min"
    return f"{s:g} s"
def run_limit(ex, key):
    # A spec's limit overrides the profile's; both programs' profiles must then agree.
    spec = specs[ex].get("limits", {})
    k2 = key.replace("-", "_")
    if k2 in spec: return spec[k2]
    a, b = prof["python-run"][key], prof["rust-run"][key]
    assert a == b, f"{ex}: python-run and rust-run differ on {key} ({a}, {b}): the table cannot give one value"
    return a
def build_limit(ex, key):
    spec = specs[ex].get("build", {}).get("limits", {})
    return spec.get(key.replace("-", "_"), prof["rust-build"][key])
PY

export LIMITS_PY=$T/limits.py T
check "the Limits table states every limit of the specs and profiles with its value" <<'PY'
import os, re, sys
exec(open(os.environ["LIMITS_PY"]).read())
doc = open(f"{root}/docs/submission.md").read()
m = re.search(r"<!-- limits-table[^>]*-->\n(.*?)<!-- limits-table end -->", doc, re.S)
assert m, "docs/submission.md has no limits table between the markers"
rows = {}
for line in m[1].splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) >= 3 and not set(cells[0]) <= set("-") and cells[0] != "Limit":
        rows[cells[0]] = cells[1:3]
src = open(f"{root}/grader/exercises/pair.c").read()
cap = re.search(r"fs_read_beneath\(dir, name, (\d+)u << 20", src)
assert cap, "pair.c: read_output's cap not found"
want = {}
for i, ex in enumerate(("ex2", "ex4")):
    def put(label, v): want.setdefault(label, [None, None])[i] = v
    put("CPU time of one run", fsecs(secs(run_limit(ex, "cpu"))))
    put("Wall-clock time of one run", fsecs(secs(run_limit(ex, "wall"))))
    put("Memory of one run", fsize(size(run_limit(ex, "memory"))))
    put("Output of one run (stdout and stderr together)", fsize(size(run_limit(ex, "output"))))
    put("One file a program writes", fsize(size(run_limit(ex, "file-size"))))
    put("Private `/tmp`", fsize(size(run_limit(ex, "tmp-size"))))
    put("Processes and threads at once", str(run_limit(ex, "pids")))
    bw, bc = secs(build_limit(ex, "wall")), secs(build_limit(ex, "cpu"))
    put("Build: wall-clock and CPU time", fsecs(bw) if bw == bc else f"{fsecs(bw)} and {fsecs(bc)}")
    put("Build: memory", fsize(size(build_limit(ex, "memory"))))
    put("Build: output", fsize(size(build_limit(ex, "output"))))
    put("Build: processes and threads", str(build_limit(ex, "pids")))
    cases = specs[ex].get("cases")
    put("Your own cases in `cases:`", f"{cases['min']} to {cases['max']}" if cases else "-")
    put("Generated cases (`generator.seeds`)", str(cases.get("max_generated", 50)) if cases else "-")
    put("Python's CPU time on the benchmark input, at least", fsecs(secs(specs[ex]["performance"]["min_python_cpu"])))
    put("Speed measurement", fsecs(secs(specs[ex]["performance"]["budget"])))
    put("The whole exercise (build, runs, measurements)", fsecs(secs(specs[ex]["budget"])))
    put("One learner's whole grading", fsecs(secs(chapter["budget"])))
    put("An output file (`outputs:`) the grader reads to compare", f"{cap[1]} MiB")
bad = []
for label, v in want.items():
    if label not in rows: bad.append(f"row missing: {label!r} (wanted {v})")
    elif rows[label] != v: bad.append(f"{label!r}: the doc says {rows[label]}, the specs say {v}")
for label in rows:
    if label not in want: bad.append(f"row {label!r} is not checked by this test")
out2, out4 = fsize(size(run_limit("ex2", "output"))), fsize(size(run_limit("ex4", "output")))
mn = fsecs(secs(specs["ex4"]["performance"]["min_python_cpu"]))
for s in (f"no larger than the output limit ({out2} for\nexercise 2, {out4} for exercise 4)", f"at least\n{mn} of CPU time"):
    if s.replace("\n", " ") not in doc.replace("\n", " "): bad.append(f"the text under the table does not say {s!r}")
if f"(at most the output limit, {out4}: docs/submission.md" not in open(f"{root}/docs/manifest-ex4.md").read():
    bad.append(f"docs/manifest-ex4.md does not give the generator's limit as {out4}")
assert not bad, "\n".join(bad)
PY

check "the chapter's examples fit the benchmark range: their input under half the output limit, Python above twice the minimum" <<'PY'
import os, re, resource, subprocess, sys
exec(open(os.environ["LIMITS_PY"]).read())
doc = " ".join(open(f"{root}/docs/submission.md").read().split())
bad = []
for ex, manifest, unit in (("ex2", "comparison.yaml", "points"), ("ex4", "exercise.yaml", "rows")):
    d = f"{root}/submissions/examples/correct/{ex}"
    m = yaml.safe_load(open(f"{d}/{manifest}"))
    g = m["benchmark"]["generate"]
    data = subprocess.run(["python3", m["generator"]["script"], str(g["seed"]), str(g["size"])], cwd=d,
                          capture_output=True, check=True).stdout
    limit = size(run_limit(ex, "output"))
    if len(data) * 2 > limit:
        bad.append(f"{ex}: the benchmark input is {len(data)} bytes, over half the output limit {fsize(limit)}")
    n = f"{g['size']:,}".replace(",", " ")
    said = re.search(rf"{'exercise 2' if ex == 'ex2' else 'exercise 4'}'s(?: benchmark)? \({n} {unit}\),? (?:is )?about ([0-9.]+) MiB", doc)
    if not said:
        bad.append(f"{ex}: the doc does not give the benchmark's size ({n} {unit}) and bytes")
    elif abs(float(said[1]) * (1 << 20) - len(data)) > 0.1 * len(data):
        bad.append(f"{ex}: the doc says about {said[1]} MiB, the input is {len(data) / (1 << 20):.2f} MiB")
    path = f"{os.environ['T']}/bench-{ex}.txt"
    open(path, "wb").write(data)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    args = [a.replace("{input}", path) for a in m.get("args", [])]
    subprocess.run(["python3", m["python"]["script"], *args], cwd=d, stdout=subprocess.DEVNULL, check=True,
                   stdin=open(path) if "{input}" not in " ".join(m.get("args", [])) else None)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    need = secs(specs[ex]["performance"]["min_python_cpu"])
    if cpu < 2 * need:
        bad.append(f"{ex}: Python ran {cpu:.3f} s of CPU time on the benchmark, under twice the minimum {fsecs(need)}")
assert not bad, "\n".join(bad)
PY
