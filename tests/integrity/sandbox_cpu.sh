#!/usr/bin/env bash
# Integrity: a learner cannot hide CPU time from the measurement. A program that ignores SIGCHLD
# and does its work in children (or double-forked grandchildren) has them reaped by the kernel,
# so their rusage reaches no parent; the sandbox must still count them, with cgroups and with the
# PID-1 fallback, for a compiled program and for Python. Then, graded end to end: a Rust port
# that does its work in an auto-reaped child is measured at the CPU time it really burns, and its
# speedup over the original is not inflated.
# test: serial (CPU time and memory within a few percent of a calibrated workload: run alone)
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"
export GRADER_PROFILES=$GRADER_ROOT/sandboxes

# --- calibration through `grader run` -------------------------------------------------------
cat >"$T/reaped.py" <<'PY'
import os, signal, sys
total, n, mode = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # the kernel reaps the children
r, w = os.pipe()
def burn_and_report(s):
    x = 0
    while sum(os.times()[:2]) < s:
        for i in range(20000):
            x += i * i
    os.write(w, b"%.6f\n" % sum(os.times()[:2]))
    os._exit(0)
for _ in range(n):
    if os.fork() == 0:
        if mode == "double" and os.fork() != 0:
            os._exit(0)                             # the grandchild is an orphan
        burn_and_report(total / n)
os.close(w)
f = os.fdopen(r)
used = sum(float(f.readline()) for _ in range(n))
print("cpu=%.6f" % (used + sum(os.times()[:2])))
PY
# The truth: the workload's own report (its burners' CPU time and its own) plus what it costs
# beyond that report (interpreter start and exit, the middle processes of a double fork), which
# is measured once bare, outside any sandbox, in a fresh cgroup of the test's own (root).
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
python3 - "$GRADER" "$HELPERS" "$T" "$PYTHON" <<'PY'
import json, os, subprocess, sys
grader, helpers, tmp, python = sys.argv[1:5]

def check(name, ok, *detail):
    print(("ok - " if ok else "not ok - ") + name)
    if not ok:
        for d in detail:
            print("    " + str(d))

def cgroup2_dir():
    own = [l.split(":", 2)[2].strip() for l in open("/proc/self/cgroup") if l.startswith("0::")]
    for line in open("/proc/self/mountinfo"):
        f = line.split()
        if f[f.index("-") + 1] == "cgroup2" and own:
            d = f[4] + (own[0] if own[0] != "/" else "")
            if os.access(d, os.W_OK):
                return d
    return None

def usage_us(d):
    for line in open(os.path.join(d, "cpu.stat")):
        if line.startswith("usage_usec "):
            return int(line.split()[1])
    return 0

def bare_overhead(argv):
    """CPU time beyond the program's own report, measured bare (0 when no cgroup can be made)."""
    parent = cgroup2_dir()
    if not parent:
        return 0.0
    d = os.path.join(parent, "sandbox-cpu-calib-%d" % os.getpid())
    os.mkdir(d)
    try:
        env = {"PATH": os.path.dirname(python) + ":/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONNOUSERSITE": "1", "PYTHONHASHSEED": "0"}
        before = usage_us(d)
        p = subprocess.run(["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', d] + argv,
                           capture_output=True, text=True, env=env)
        used = (usage_us(d) - before) / 1e6
        return max(0.0, used - float(p.stdout.split("cpu=")[1]))
    finally:
        os.rmdir(d)

for lang in ("c", "python"):
    for mode in ("ignore", "double"):
        if lang == "c":
            prof, argv, bare = "rust-run", ["/helpers/calib_reaped", "0.8", "4", mode], \
                [helpers + "/calib_reaped", "0.8", "4", mode]
        else:
            prof, argv, bare = "python-run", ["python3", "/calib/reaped.py", "0.8", "4", mode], \
                [python, tmp + "/reaped.py", "0.8", "4", mode]
        extra = bare_overhead(bare)
        for method in ("cgroup", "rusage-pid1"):
            cmd = [grader, "run", "--profile", prof, "--method", method, "--bind", helpers + ":/helpers",
                   "--bind", tmp + ":/calib", "--wall", "60s", "--cpu", "60s", "--"] + argv
            p = subprocess.run(cmd, capture_output=True, text=True)
            name = "%s %s: 0.8s of CPU in 4 auto-reaped %s" % (
                method, lang, "children" if mode == "ignore" else "double-forked grandchildren")
            try:
                r = json.loads(p.stdout)
            except ValueError:
                check(name, False, p.stdout, p.stderr)
                continue
            if r["verdict"] != "ok" or "cpu=" not in r["stdout"]:
                check(name, False, "run failed", r)
                continue
            truth = float(r["stdout"].split("cpu=")[1]) + extra
            check(name + " measured within 5%% (measured %.3fs; the program reports %.3fs, plus %.3fs of "
                  "start-up and exit measured bare)" % (r["cpu"], truth - extra, extra),
                  abs(r["cpu"] - truth) <= 0.05 * truth and r["method"].startswith(method.split("-")[0]), r)
PY

# --- graded end to end --------------------------------------------------------------------------
# The original burns 0.3 s of CPU in its own process; the port burns 0.48 s in a child that the
# kernel reaps (SIGCHLD ignored), the parent only waits for it: the port is 1.6x slower.
honest_port "$T/repo"
cat >"$T/repo/ex4/python/wc.py" <<'PY'
import os, sys
x = 0
while sum(os.times()[:2]) < 0.3:
    for i in range(20000):
        x += i * i
text = open(sys.argv[1]).read()
print(len(text.split()))
PY
cat >"$T/repo/ex4/rust/src/main.rs" <<'RS'
use std::io::Write;

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

extern "C" {
    fn signal(sig: i32, handler: usize) -> usize;
    fn fork() -> i32;
    fn waitpid(pid: i32, status: *mut i32, options: i32) -> i32;
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    fn _exit(code: i32) -> !;
}

fn cpu_seconds() -> f64 {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    unsafe { clock_gettime(2 /* CLOCK_PROCESS_CPUTIME_ID */, &mut ts) };
    ts.sec as f64 + ts.nsec as f64 / 1e9
}

fn main() {
    let path = std::env::args().nth(1).expect("an input file");
    unsafe { signal(17 /* SIGCHLD */, 1 /* SIG_IGN */) };
    let pid = unsafe { fork() };
    if pid == 0 {
        let mut x: u64 = 0;
        while cpu_seconds() < 0.48 {
            for i in 0..100_000u64 {
                x = x.wrapping_add(i.wrapping_mul(2654435761));
            }
            std::hint::black_box(x);
        }
        let text = std::fs::read_to_string(path).expect("readable input");
        println!("{}", text.split_whitespace().count());
        std::io::stdout().flush().unwrap();
        unsafe { _exit(0) };
    }
    // With SIGCHLD ignored, waitpid returns (ECHILD) once the child is gone.
    unsafe { waitpid(pid, std::ptr::null_mut(), 0) };
}
RS
printf 'python: {script: python/wc.py}\nrust: {package: rust}\nargs: ["{input}"]\nbenchmark: {file: cases/c.txt}\n' >"$T/repo/ex4/exercise.yaml"
commit_repo "$T/repo"
for method in cgroup rusage-pid1; do
	GRADER_SANDBOX_METHOD=$method run_grader grade "$T/repo" --learner "reaped-$method" --work "$T/w-$method" --reports "$T/r" --only ex4
	report=$T/r/reaped-$method/report.json
	if [ ! -f "$report" ]; then
		fail "$method: the port that hides its work in an auto-reaped child is graded" "exit $rc" "$(head -c 800 "$T/err")"
		continue
	fi
	check_exercise "$method: it builds and agrees with the original" "$report" ch01-ex4 \
		'c["build"]["status"] == "pass" and c["correctness"]["status"] == "pass"'
	# the port's median CPU is the 0.48 s its child burns (plus 10 ms for start-up and exit), not
	# the parent's few milliseconds
	got=$(report_field "$report" 'round(c["performance"]["evidence"]["measurement"]["median_cpu"]["candidate"], 4)')
	check_exercise "$method: the port's CPU time in the performance evidence counts its auto-reaped child (${got}s for 0.48 s burnt)" \
		"$report" ch01-ex4 \
		'0.95 * 0.48 <= c["performance"]["evidence"]["measurement"]["median_cpu"]["candidate"] <= 1.05 * 0.48 + 0.01'
	got=$(report_field "$report" 'round(c["performance"]["evidence"]["measurement"]["speedup"]["estimate"], 3)')
	check_exercise "$method: the reported speedup is not inflated (${got}x; the port is about 1.6x slower)" "$report" ch01-ex4 \
		'c["performance"]["evidence"]["measurement"]["speedup"]["estimate"] < 1.0 and c["performance"]["status"] != "pass"'
done
