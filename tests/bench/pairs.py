"""The driver of tests/bench/pairs.sh: grades each pair in tests/bench/pairs/ and measures the
same programs bare, then writes build/bench/pairs.json.

For each pair (a submission whose ex4/ holds a Python program and a std-only Rust port):
  1. `bin/grader grade` it (exercise 4 of specs/ch01, the real protocol); from the report's
     evidence take each program's median CPU time (`measurement.median_cpu`) and the median and
     maximum of its measured runs' peak memory (`samples[].peak_memory`);
  2. in the same run, on the same input, with the same Python interpreter and the Rust binary the
     grader built, run each program N times bare with build/helpers/bench_wait4 (CPU from
     wait4(), ru_maxrss) and N times under `/usr/bin/time -v` (its maximum resident set size),
     interleaved (wait4 Python, wait4 Rust, time Python, time Rust), half of them just before the
     grading and half just after, so that a change in the machine's load during the pair hits
     both measurements alike (the first grading of a pair builds its port; the bare runs before
     it use a build from a first, --no-perf grading);
  3. compare: relative difference (grader - bare) / bare of the median CPU (target: within 5%
     where the bare median is above 50 ms) and of the median peak memory against /usr/bin/time's
     median max RSS (target: within 5%).
A missed target is reported (`met: false`); a broken bench (grader usage or infrastructure
error, no measurement in the report, a bare run that fails) exits 1."""
import filecmp
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import machine  # noqa: E402

CPU_TARGET = 0.05
CPU_MIN_SECONDS = 0.05
MEMORY_TARGET = 0.05
# The environment the python-run sandbox profile gives the program (sandboxes/python-run.yaml).
PYTHON_ENV = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "PYTHONHASHSEED": "0"}


class Broken(Exception):
    pass


def real_python():
    """The interpreter the grader runs: GRADER_PYTHON or python3's sys.executable, resolved. A
    pyenv shim named python3 is a shell script that costs ~0.3 s of CPU per start."""
    py = os.environ.get("GRADER_PYTHON") or "python3"
    out = subprocess.run([py, "-c", "import sys; print(sys.executable)"], capture_output=True, text=True)
    if out.returncode != 0 or not out.stdout.strip().startswith("/"):
        raise Broken("%s did not report sys.executable" % py)
    return os.path.realpath(out.stdout.strip())


def grade(grader, pair_dir, name, tmp, perf=True):
    reports, work = os.path.join(tmp, "reports"), os.path.join(tmp, "work")
    cmd = [grader, "grade", pair_dir, "--learner", name, "--only", "ex4", "--quiet",
           "--reports", reports, "--work", work] + ([] if perf else ["--no-perf"])
    rc = subprocess.run(cmd).returncode
    if rc not in (0, 1):
        raise Broken("%s: grader exited %d" % (name, rc))
    with open(os.path.join(reports, name, "report.json")) as f:
        report = json.load(f)
    checks = {c["id"]: c for c in report["exercises"][0]["checks"]}
    if not perf:
        if checks.get("correctness", {}).get("status") != "pass":
            raise Broken("%s: the port does not agree with its original: %s"
                         % (name, checks.get("correctness", {}).get("message")))
        return work
    perf = checks.get("performance", {})
    ev = perf.get("evidence") or {}
    m = ev.get("measurement")
    if not m or "median_cpu" not in m or not m.get("samples"):
        raise Broken("%s: the report has no speed measurement (performance: %s, %s)"
                     % (name, perf.get("status"), perf.get("message")))
    if m.get("verdict") == "error":
        raise Broken("%s: the measurement failed: %s" % (name, m.get("message")))
    return report, checks, ev, m, work


def grader_figures(m, program):
    runs = [s for s in m["samples"] if s["program"] == program and not s["warmup"] and s["ok"]]
    peaks = [s["peak_memory"] for s in runs]
    methods = sorted({s["method"] for s in runs if "method" in s})
    return {"median_cpu": m["median_cpu"][program], "runs": len(runs),
            "median_peak_bytes": statistics.median(peaks), "max_peak_bytes": max(peaks),
            "peak_bytes": peaks, "methods": methods,
            "cpu_spread": spread([s["cpu"] for s in runs])}


def spread(xs):
    """Interquartile range relative to the median: how noisy a series of runs was."""
    if len(xs) < 4:
        return None
    q = statistics.quantiles(xs, n=4)
    return (q[2] - q[0]) / statistics.median(xs)


def bench_input(pair_dir, ev, work, name):
    what = ev.get("benchmark_input", "")
    if what.startswith("generated:"):
        seed, size = (int(x.split()[-1]) for x in what[len("generated:"):].split(","))
        found = glob.glob(os.path.join(work, name, "generated-*", "seed-%d-size-%d.txt" % (seed, size)))
        if len(found) != 1:
            raise Broken("%s: the generated benchmark input (%s) is not in the work folder" % (name, what))
        return found[0], what
    path = os.path.join(pair_dir, what)
    if not what or not os.path.isfile(path):
        raise Broken("%s: benchmark input %r not found beneath %s" % (name, what, pair_dir))
    return path, what


def rust_binary(work, name):
    found = glob.glob(os.path.join(work, name, "cargo-*", "bin", "*"))
    if len(found) != 1:
        raise Broken("%s: expected one built binary in the work folder, found %d" % (name, len(found)))
    return found[0]


def wait4_once(helper, argv, cwd, env):
    out = subprocess.run([helper, "1", "--", *argv], cwd=cwd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise Broken("bench_wait4 %s: exit %d: %s%s" % (" ".join(argv), out.returncode, out.stdout, out.stderr))
    return json.loads(out.stdout)


def time_v_once(argv, cwd, env):
    """Max RSS in bytes as /usr/bin/time -v reports it (kbytes)."""
    fd, stats = tempfile.mkstemp(prefix="timev-", dir=cwd)
    os.close(fd)
    try:
        rc = subprocess.run(["/usr/bin/time", "-v", "-o", stats, *argv], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        with open(stats) as f:
            text = f.read()
    finally:
        os.unlink(stats)
    if rc != 0:
        raise Broken("/usr/bin/time -v %s: exit %d" % (" ".join(argv), rc))
    for line in text.splitlines():
        if "Maximum resident set size (kbytes):" in line:
            return int(line.rsplit(":", 1)[1]) * 1024
    raise Broken("/usr/bin/time -v printed no maximum resident set size")


def rel(a, b):
    return (a - b) / b if b else None


def compare(g, bare):
    cpu_rel = rel(g["median_cpu"], bare["median_cpu"])
    cpu_applies = bare["median_cpu"] > CPU_MIN_SECONDS
    out = {"cpu_rel_diff": cpu_rel, "cpu_target_applies": cpu_applies,
           "cpu_met": (abs(cpu_rel) <= CPU_TARGET) if cpu_applies else None}
    if bare.get("time_v_median_maxrss_bytes") is not None:
        mem_rel = rel(g["median_peak_bytes"], bare["time_v_median_maxrss_bytes"])
        out.update({"memory_rel_diff": mem_rel, "memory_met": abs(mem_rel) <= MEMORY_TARGET})
    else:
        out.update({"memory_rel_diff": None, "memory_met": None})
    return out


def bare_runs(helper, argv, cwd, env, runs, bare):
    for _ in range(runs):
        for p in ("baseline", "candidate"):
            bare[p]["wait4"].append(wait4_once(helper, argv[p], cwd, env))
        if os.access("/usr/bin/time", os.X_OK):
            for p in ("baseline", "candidate"):
                bare[p]["time_v"].append(time_v_once(argv[p], cwd, env))


def pair_input(pair_dir, name, python, env, tmp):
    """The benchmark input for the bare runs before the grading: the manifest's file, or the
    manifest's generator run here as the grader runs it (the grading's own generated input is
    checked to be the same bytes afterwards). Our manifests are simple: one `file:` or one
    `generate: {seed: S, size: N}` line and a `script:` line under `generator:`."""
    with open(os.path.join(pair_dir, "ex4", "exercise.yaml")) as f:
        text = f.read()
    found = re.search(r"^\s*file:\s*(\S+)", text, re.M)
    if found:
        return os.path.join(pair_dir, "ex4", found.group(1))
    gen = re.search(r"generate:\s*\{\s*seed:\s*(\d+)\s*,\s*size:\s*(\d+)\s*\}", text)
    script = re.search(r"^generator:\s*\n\s+script:\s*(\S+)", text, re.M)
    if not gen or not script:
        raise Broken("%s: the manifest names no benchmark file or generated input" % name)
    path = os.path.join(tmp, "%s-seed-%s-size-%s.txt" % (name, gen.group(1), gen.group(2)))
    with open(path, "wb") as out:
        rc = subprocess.run([python, os.path.join(pair_dir, "ex4", script.group(1)), gen.group(1), gen.group(2)],
                            stdout=out, env=env, cwd=tmp).returncode
    if rc != 0:
        raise Broken("%s: the generator exited %d" % (name, rc))
    return path


def measure_pair(grader, helper, python, pair_dir, name, runs, tmp):
    work = grade(grader, pair_dir, name, tmp, perf=False)  # builds the port, checks the outputs
    script = glob.glob(os.path.join(pair_dir, "ex4", "python", "*.py"))
    if len(script) != 1:
        raise Broken("%s: expected one Python script in ex4/python" % name)
    cwd = tempfile.mkdtemp(prefix="bare-", dir=tmp)
    env = dict(PYTHON_ENV, PATH=os.path.dirname(python) + ":/usr/bin:/bin")

    def argv_for(inp):
        local = os.path.join(cwd, os.path.basename(inp))
        shutil.copyfile(inp, local)
        # every pair's manifest passes the input as its one argument
        return {"baseline": [python, script[0], local], "candidate": [rust_binary(work, name), local]}

    bare = {p: {"wait4": [], "time_v": []} for p in ("baseline", "candidate")}
    before = runs // 2
    load_start = os.getloadavg()[0]
    first_input = pair_input(pair_dir, name, python, env, tmp)
    bare_runs(helper, argv_for(first_input), cwd, env, before, bare)
    report, checks, ev, m, work = grade(grader, pair_dir, name, tmp)
    inp, inp_name = bench_input(pair_dir, ev, work, name)
    if not filecmp.cmp(inp, first_input, shallow=False):
        raise Broken("%s: the grading measured %s, the bare runs before it %s: not the same bytes"
                     % (name, inp, first_input))
    bare_runs(helper, argv_for(inp), cwd, env, runs - before, bare)
    load_end = os.getloadavg()[0]
    shutil.rmtree(cwd)
    out = {"benchmark_input": inp_name, "input_bytes": os.path.getsize(inp),
           "grader": {"verdict": m["verdict"], "speedup": m["speedup"], "pairs": m["pairs"],
                      "load": m.get("load"), "memory_check": checks.get("memory", {}).get("message")},
           "bare": {"runs": runs, "before_grading": before, "load": {"start": load_start, "end": load_end}}}
    for p, label in (("baseline", "python"), ("candidate", "rust")):
        g = grader_figures(m, p)
        w = bare[p]["wait4"]
        b = {"median_cpu": statistics.median(r["cpu"] for r in w),
             "cpu": [r["cpu"] for r in w],
             "cpu_spread": spread([r["cpu"] for r in w]),
             "wait4_median_maxrss_bytes": statistics.median(r["maxrss_bytes"] for r in w),
             "stdout_bytes": w[0]["stdout_bytes"],
             "time_v_median_maxrss_bytes": statistics.median(bare[p]["time_v"]) if bare[p]["time_v"] else None,
             "time_v_maxrss_bytes": bare[p]["time_v"]}
        out[label] = {"grader": g, "bare": b, **compare(g, b)}
    return out


def fmt_rel(x):
    return "   n/a" if x is None else "%+6.1f%%" % (100 * x)


def main():
    root = os.getcwd()
    grader = os.path.join(root, "bin", "grader")
    helper = os.path.join(root, "build", "helpers", "bench_wait4")
    for exe in (grader, helper):
        if not os.access(exe, os.X_OK):
            raise Broken("%s is not built (make bench builds it)" % exe)
    runs = int(os.environ.get("BENCH_PAIRS_RUNS", "10"))
    names = os.environ.get("BENCH_PAIRS", "").split() or sorted(
        os.path.basename(os.path.dirname(d)) for d in glob.glob("tests/bench/pairs/*/ex4"))
    python = real_python()
    start = machine.snapshot()
    tmp = tempfile.mkdtemp(prefix="grader-pairs-bench.")
    pairs = {}
    try:
        for name in names:
            print("pair %s" % name, flush=True)
            pairs[name] = measure_pair(grader, helper, python, os.path.join(root, "tests/bench/pairs", name),
                                       name, runs, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    end = machine.snapshot()
    rows = [(n, lang, pairs[n][lang]) for n in pairs for lang in ("python", "rust")]
    cpu_applied = [r for _, _, r in rows if r["cpu_target_applies"]]
    mem_applied = [r for _, _, r in rows if r["memory_met"] is not None]
    out = {
        "python": python,
        "pairs": pairs,
        "summary": {
            "cpu_within_target": sum(1 for r in cpu_applied if r["cpu_met"]),
            "cpu_target_applies": len(cpu_applied),
            "memory_within_target": sum(1 for r in mem_applied if r["memory_met"]),
            "memory_target_applies": len(mem_applied),
            "met": all(r["cpu_met"] for r in cpu_applied) and all(r["memory_met"] for r in mem_applied),
        },
        "machine": machine.delta(start, end),
        "targets": {"cpu_rel_diff": CPU_TARGET, "cpu_min_seconds": CPU_MIN_SECONDS,
                    "memory_rel_diff": MEMORY_TARGET},
    }
    os.makedirs("build/bench", exist_ok=True)
    with open("build/bench/pairs.json", "w") as f:
        json.dump(out, f, indent=2)
    print("%-10s %-6s %9s %9s %7s %10s %10s %7s" % ("pair", "lang", "grader_s", "bare_s", "cpu",
                                                    "grader_MiB", "time_MiB", "mem"))
    for n, lang, r in rows:
        tv = r["bare"]["time_v_median_maxrss_bytes"]
        print("%-10s %-6s %9.4f %9.4f %7s %10.1f %10s %7s" % (
            n, lang, r["grader"]["median_cpu"], r["bare"]["median_cpu"],
            fmt_rel(r["cpu_rel_diff"]) + ("" if r["cpu_target_applies"] else "*"),
            r["grader"]["median_peak_bytes"] / 2**20, "%.1f" % (tv / 2**20) if tv else "n/a",
            fmt_rel(r["memory_rel_diff"])))
    print("(* below %d ms: the CPU target does not apply)" % (CPU_MIN_SECONDS * 1000))
    print(json.dumps({"summary": out["summary"], "machine": out["machine"]}, indent=2))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Broken as e:
        print("pairs bench broken: %s" % e, file=sys.stderr)
        sys.exit(1)
