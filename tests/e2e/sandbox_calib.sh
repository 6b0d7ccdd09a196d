#!/usr/bin/env bash
# tests/e2e/sandbox_calib.sh: proves the sandbox's numbers. Calibration workloads that burn a known
# CPU time and touch a known amount of memory, in one process and spread over several, in Python
# and as a compiled binary, measured with cgroups and with the PID-1 fallback. CPU must be within
# 5% of what the workload itself reports using (its own user+sys and its children's); memory
# within 5% (or 2 MiB) of the MiB it touched, over the same tree touching nothing; the idle tree
# must measure small (nothing inherited from the large sanitized grader). The reset of a reused
# worker cgroup between runs is proven in tests/unit/test_sandbox.c (one sandbox, many runs).
. "$(dirname "$0")/lib.sh"
export GRADER_PROFILES=$GRADER_ROOT/sandboxes
cat >"$T/burn.py" <<'PY'
import os, resource, sys
total, n = float(sys.argv[1]), int(sys.argv[2])
def burn(s):
    x = 0
    while sum(os.times()[:2]) < s:
        for i in range(20000):
            x += i * i
for _ in range(n - 1):
    if os.fork() == 0:
        burn(total / n)
        os._exit(0)
burn(total / n)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print("cpu=%.6f" % (a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime))
PY
cat >"$T/touch.py" <<'PY'
import os, sys, time
mib, n, hold = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
share = mib * 1048576 // n
r, w = os.pipe()
g, go = os.pipe()
def touch():
    b = bytearray(share)
    for i in range(0, share, 4096):
        b[i] = 1
    return b
for _ in range(n - 1):
    if os.fork() == 0:
        os.close(go)
        m = touch()
        os.write(w, b"r")
        os.read(g, 1)
        os._exit(0)
os.close(g)
m = touch()
for _ in range(n - 1):
    os.read(r, 1)
time.sleep(hold / 1000)
os.close(go)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
print("touched_mib=%d" % mib)
PY
python3 - "$GRADER" "$HELPERS" "$T" <<'PY'
import json, subprocess, sys
grader, helpers, tmp = sys.argv[1:4]
MiB = 1 << 20

def run(method, profile, argv, limits=()):
    cmd = [grader, "run", "--profile", profile, "--method", method, "--bind", helpers + ":/helpers",
           "--bind", tmp + ":/calib", "--wall", "60s", "--cpu", "60s", "--memory", "1GiB",
           *limits, "--"] + argv
    p = subprocess.run(cmd, capture_output=True, text=True)
    try:
        return json.loads(p.stdout), p.stderr
    except ValueError:
        return None, p.stderr + p.stdout

def check(name, ok, *detail):
    print(("ok - " if ok else "not ok - ") + name)
    if not ok:
        for d in detail:
            print("    " + str(d))

def progs(lang, kind, *args):
    if lang == "c":
        return "rust-run", ["/helpers/calib_" + kind] + [str(a) for a in args]
    return "python-run", ["python3", "/calib/%s.py" % kind] + [str(a) for a in args]

for method in ("cgroup", "rusage-pid1"):
    for lang in ("c", "python"):
        for total, n in ((1.0, 1), (2.0, 4)):
            prof, argv = progs(lang, "burn", total, n)
            r, err = run(method, prof, argv)
            name = "%s %s: CPU of %.1fs burnt in %d process(es)" % (method, lang, total, n)
            if not r or r["verdict"] != "ok" or "cpu=" not in r["stdout"]:
                check(name, False, "run failed", r, err)
                continue
            truth = float(r["stdout"].split("cpu=")[1])
            check(name + " within 5%% (measured %.3fs, program used %.3fs)" % (r["cpu"], truth),
                  abs(r["cpu"] - truth) <= 0.05 * truth and r["method"].startswith(method.split("-")[0]),
                  r["method"])
        for mib, n in ((240, 1), (240, 4)):
            prof, argv = progs(lang, "touch", mib, n, 300)
            big, err1 = run(method, prof, argv)
            prof, argv = progs(lang, "touch", 0, n, 300)
            idle, err2 = run(method, prof, argv)
            name = "%s %s: %d MiB touched in %d process(es)" % (method, lang, mib, n)
            if not big or not idle or big["verdict"] != "ok" or idle["verdict"] != "ok":
                check(name, False, "run failed", big, err1, idle, err2)
                continue
            delta = big["peak_memory"] - idle["peak_memory"]
            tol = max(0.05 * mib * MiB, 2 * MiB)
            check(name + " within 5%% (tree peak %.1f MiB, idle tree %.1f MiB)"
                  % (big["peak_memory"] / MiB, idle["peak_memory"] / MiB),
                  abs(delta - mib * MiB) <= tol, big, idle)
            # a figure inherited from the (large, sanitized) grader would show its size here
            limit = 24 if lang == "c" else 48
            check("%s %s: idle %d-process tree measures under %d MiB (%.1f MiB)"
                  % (method, lang, n, limit, idle["peak_memory"] / MiB),
                  idle["peak_memory"] < limit * MiB, idle)
PY
