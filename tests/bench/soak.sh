#!/usr/bin/env bash
# Soak of `grader batch`, written to build/bench/soak.json: one batch over a roster that lists the
# example submissions BENCH_SOAK_LEARNERS times in all (default 200: the 7 kinds round robin, each
# copy with a line of its own), cold (fresh --work and --reports, so every learner's cargo build
# starts from nothing) with --no-perf -j2. tests/bench/watch.py --series samples the batch
# process's own open descriptors and resident memory (VmRSS) every 50 ms and notes when each
# learner's line came. Targets, from the first learner to the last:
#  - descriptors flat: the same when the last learner ends as when the first did, and at exit;
#  - memory flat: resident memory when the last learner ends within +25% of when the first did
#    (the grading phase); the class summary written after the last learner is reported apart;
#  - every learner graded, and no temporary folder (fetch-*, *.tmp.*) left in --work or --reports.
# Runnable alone: `GRADER_ROOT=$PWD bash tests/bench/soak.sh` after `make bin/grader
# bin/grader-pid1`. Takes about 8 minutes on 2 cores.
set -u
cd "${GRADER_ROOT:-$(dirname "$0")/../..}" || exit 2
G=$PWD/bin/grader
B=$(mktemp -d /tmp/grader-bench-soak.XXXXXX)
trap 'rm -rf "$B"' EXIT
n=${BENCH_SOAK_LEARNERS:-200}
mkdir -p build/bench
[ -x "$G" ] && [ -x bin/grader-pid1 ] || { echo "soak.sh: build bin/grader and bin/grader-pid1 first" >&2; exit 2; }
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -shared -fPIC -o "$B/exit_usage.so" \
	tests/bench/exit_usage.c || exit 2
. tests/bench/class.lib # gen

python3 tests/bench/machine.py snapshot >"$B/machine-start.json" || exit 1
gen "$B/class" s "$n"
echo "soak: $n learners, --no-perf -j2, cold"
python3 tests/bench/watch.py --series "$B/soak.json" "$B/soak.out" "$B/exit_usage.so" -- \
	"$G" batch "$B/class.csv" --work "$B/w" --reports "$B/r" --no-perf -j2
rc=$?
python3 tests/bench/machine.py snapshot >"$B/machine-end.json" || exit 1
tail -n 3 "$B/soak.out" | head -c 400
leftovers=$(find "$B/w" "$B/r" \( -name 'fetch-*' -o -name '*.tmp.*' \) -print 2>/dev/null | head -n 20)

python3 - "$B" "$n" "$rc" "$leftovers" <<'PY'
import glob, json, re, sys
sys.path.insert(0, "tests/bench")
import machine
b, n, rc, leftovers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
run = json.load(open("%s/soak.json" % b))
series, lines = run["series"], run["lines"]
# a learner's line: its id (s001...) first, then its outcome
ends = [t for t, text in lines if re.match(r"^s\d{3}\s", text)]
reports = glob.glob("%s/r/*/report.json" % b)

def at(t):
    """The last sample at or before t, when a learner's line came: (descriptors, VmRSS kB). (A
    sample after the last line could fall in the class summary, which starts at once.)"""
    best = series[0]
    for s in series:
        if s[0] <= t:
            best = s
    return best[1], best[2]

first, last = at(ends[0]), at(ends[-1])
during = [s for s in series if ends[0] <= s[0] <= ends[-1]]
after = [s for s in series if s[0] > ends[-1]]
# every 20th learner, to show the shape of the curve
curve = [[i + 1, round(t, 1)] + list(at(t)) for i, t in enumerate(ends) if i == 0 or (i + 1) % 20 == 0]
mem_ratio = last[1] / first[1]
out = {
    "learners": n, "graded": len(ends), "reports": len(reports), "exit_status": rc,
    "options": "--no-perf -j2, cold (fresh --work and --reports)",
    "wall_seconds": run["wall_seconds"], "samples": len(series),
    "first_learner": {"seconds": round(ends[0], 1), "fds": first[0], "vmrss_kb": first[1]},
    "last_learner": {"seconds": round(ends[-1], 1), "fds": last[0], "vmrss_kb": last[1]},
    "grading_phase": {"fds_max": max(s[1] for s in during), "vmrss_kb_max": max(s[2] for s in during),
                      "vmrss_kb_min": min(s[2] for s in during)},
    "summary_phase": {"seconds": round(run["wall_seconds"] - ends[-1], 2),
                      "vmrss_kb_max": max((s[2] for s in after), default=None),
                      "fds_max": max((s[1] for s in after), default=None)},
    "at_exit": {"fds": run["fds_at_exit"], "vmhwm_kb": run["vmhwm_kb_at_exit"]},
    "curve_learner_seconds_fds_vmrss_kb": curve,
    "memory_ratio_last_over_first": round(mem_ratio, 3),
    "targets": {"fds": "equal at the first and last learner and at exit", "memory_ratio": 1.25},
    "met": {"fds": first[0] == last[0] and max(s[1] for s in during) <= first[0] + 1 and
                   run["fds_at_exit"] == first[0],
            "memory": mem_ratio <= 1.25,
            "all_graded": len(ends) == n and len(reports) == n and rc == 0,
            "no_temporary_folders": not leftovers},
    "temporary_folders_left": leftovers.split("\n") if leftovers else [],
    "machine": machine.delta(json.load(open("%s/machine-start.json" % b)), json.load(open("%s/machine-end.json" % b))),
}
json.dump(out, open("build/bench/soak.json", "w"), indent=2)
print(json.dumps(out, indent=2))
if rc != 0 or len(ends) != n:
    print("soak.sh: the batch graded %d of %d learners (exit %d)" % (len(ends), n, rc), file=sys.stderr)
    sys.exit(1)
PY
