#!/usr/bin/env bash
# Benchmark of `grader batch` on a generated class, written to build/bench/batch.json:
#  - speedup: BENCH_BATCH_LEARNERS learners (default 40: copies of submissions/examples/*, the 7
#    kinds round robin, each with a line of its own appended to ex4/NOTES.md so that no two are
#    the same) graded cold (fresh --work and --reports) with --no-perf, -j1 then -j2;
#    ratio wall(-j1) / wall(-j2), target >= 1.7 on 2 cores; with the share of cargo builds in it;
#  - measured: BENCH_BATCH_MEASURED learners (default 6), cold, with measurement, -j1 and -j2:
#    both walls and their ratio (no target: timed runs take turns, so expect about 1);
#  - rerun: the cold -j2 --no-perf command again with nothing changed: its wall as a fraction of
#    the cold run's (target <= 2%) and, per learner, of the measured -j2 run's; every learner must
#    be "kept" or the bench fails;
#  - resources: the batch process's own peak memory (VmHWM, read at exit by tests/bench/
#    exit_usage.c, an LD_PRELOAD library) and its open file descriptors (sampled every 50 ms,
#    maximum; tests/bench/watch.py) with `--only ex1 --no-perf -j2` for 40 and for
#    BENCH_BATCH_MANY learners (default 400); target flat: the same descriptors at exit and at
#    most one more at the sampled maximum (the class summary at the end holds one file open at a
#    time, which a 50 ms sample catches or not), memory within +25%; and no temporary folder
#    (fetch-*, *.tmp.*) left in any --work or --reports;
#  - machine: tests/bench/machine.py snapshots around each part (steal time, load).
# Runnable alone: `GRADER_ROOT=$PWD bash tests/bench/batch.sh` after `make bin/grader
# bin/grader-pid1`. Takes about 15 minutes on 2 cores.
set -u
cd "${GRADER_ROOT:-$(dirname "$0")/../..}" || exit 2
G=$PWD/bin/grader
B=$(mktemp -d /tmp/grader-bench-batch.XXXXXX)
trap 'rm -rf "$B"' EXIT
n=${BENCH_BATCH_LEARNERS:-40}
nm=${BENCH_BATCH_MEASURED:-6}
many=${BENCH_BATCH_MANY:-400}
mkdir -p build/bench
[ -x "$G" ] && [ -x bin/grader-pid1 ] || { echo "batch.sh: build bin/grader and bin/grader-pid1 first" >&2; exit 2; }
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -shared -fPIC -o "$B/exit_usage.so" \
	tests/bench/exit_usage.c || exit 2

snap() { python3 tests/bench/machine.py snapshot >"$B/machine-$1.json" || exit 1; }

. tests/bench/class.lib # gen

# run NAME DIRS ROSTER ARGS...: grader batch ROSTER --work $B/w-DIRS --reports $B/r-DIRS ARGS,
# watched; writes $B/NAME.json (tests/bench/watch.py) and $B/NAME.out (its standard output).
run() {
	local name=$1 dirs=$2 roster=$3
	shift 3
	echo "batch $name: $(($(wc -l <"$roster") - 1)) learners, $*"
	python3 tests/bench/watch.py "$B/$name.json" "$B/$name.out" "$B/exit_usage.so" -- \
		"$G" batch "$roster" --work "$B/w-$dirs" --reports "$B/r-$dirs" "$@"
	local rc=$?
	tail -n 1 "$B/$name.out" | head -c 300
	echo "batch $name: exit $rc, $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["wall_seconds"])' "$B/$name.json") s"
	[ "$rc" -eq 0 ] || { echo "batch.sh: grader batch $name failed (exit $rc)" >&2; cat "$B/$name.out" >&2; exit 1; }
}

snap start
gen "$B/class" c "$n"
gen "$B/measured" m "$nm"
gen "$B/many" x "$many"
head -n $((40 + 1)) "$B/many.csv" >"$B/few.csv"
C=$B/class.csv

snap cold
run j1 j1 "$C" --no-perf -j1
snap j2
run j2 j2 "$C" --no-perf -j2
snap rerun
run rerun j2 "$C" --no-perf -j2 # the same command as the cold -j2 run
snap measured
run measured-j1 measured-j1 "$B/measured.csv" -j1
run measured-j2 measured-j2 "$B/measured.csv" -j2
snap resources
run few few "$B/few.csv" --only ex1 --no-perf -j2
run many many "$B/many.csv" --only ex1 --no-perf -j2
snap end

leftovers=$(find "$B"/w-* "$B"/r-* \( -name 'fetch-*' -o -name '*.tmp.*' \) -print 2>/dev/null | head -n 20)

python3 - "$B" "$n" "$nm" "$many" "$leftovers" <<'PY'
import glob, json, os, re, sys
sys.path.insert(0, "tests/bench")
import machine
b, n, nm, many, leftovers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
snaps = {k: json.load(open("%s/machine-%s.json" % (b, k)))
         for k in ("start", "cold", "j2", "rerun", "measured", "resources", "end")}
runs = {k: json.load(open("%s/%s.json" % (b, k))) for k in ("j1", "j2", "rerun", "measured-j1", "measured-j2", "few", "many")}
wall = {k: r["wall_seconds"] for k, r in runs.items()}

def reports(name):
    """The learners' reports a run left (the rerun's are the cold -j2 run's)."""
    return [json.load(open(f)) for f in sorted(glob.glob("%s/r-%s/*/report.json" % (b, name)))]

def cargo(name):
    """Seconds of `cargo build` (wall and CPU) over every learner's report of a run."""
    w = c = 0.0
    builds = 0
    for r in reports(name):
        for e in r["exercises"]:
            for ch in e["checks"]:
                ev = ch.get("evidence") or {}
                if ch["id"] == "build" and "wall_seconds" in ev:
                    w += ev["wall_seconds"]
                    c += ev.get("cpu_seconds", 0.0)
                    builds += 1
    return {"builds": builds, "wall_seconds": round(w, 3), "cpu_seconds": round(c, 3)}

def resources(name):
    r = runs[name]
    return {k: r[k] for k in ("wall_seconds", "fds_max", "fds_at_exit", "samples", "vmhwm_kb",
                              "vmhwm_kb_sampled_max", "vmpeak_kb_at_exit")}

out_text = open("%s/rerun.out" % b).read()
kept_lines = len(re.findall(r"\(kept: nothing changed\)", out_text))
m = re.search(r"(\d+) kept unchanged", out_text)
kept_total = int(m.group(1)) if m else None
graded = {k: len(reports(k)) for k in ("j1", "j2", "measured-j1", "measured-j2", "few", "many")}

c1, c2 = cargo("j1"), cargo("j2")
speedup = wall["j1"] / wall["j2"]
rerun_fraction = wall["rerun"] / wall["j2"]
per_learner_measured = wall["measured-j2"] / nm
fds_ratio = runs["many"]["fds_max"] / runs["few"]["fds_max"]
mem_ratio = runs["many"]["vmhwm_kb"] / runs["few"]["vmhwm_kb"]
out = {
    "learners": n,
    "reports_written": graded,
    "speedup": {
        "options": "--no-perf, cold (fresh --work and --reports)",
        "wall_j1_seconds": wall["j1"], "wall_j2_seconds": wall["j2"],
        "ratio_j1_over_j2": round(speedup, 3),
        "cargo_j1": dict(c1, fraction_of_wall=round(c1["wall_seconds"] / wall["j1"], 3)),
        "cargo_j2": dict(c2, fraction_of_two_cores_wall=round(c2["wall_seconds"] / (2 * wall["j2"]), 3)),
        "target": 1.7, "met": speedup >= 1.7,
        "machine_j1": machine.delta(snaps["cold"], snaps["j2"]),
        "machine_j2": machine.delta(snaps["j2"], snaps["rerun"]),
    },
    "measured": {
        "learners": nm,
        "wall_j1_seconds": wall["measured-j1"], "wall_j2_seconds": wall["measured-j2"],
        "ratio_j1_over_j2": round(wall["measured-j1"] / wall["measured-j2"], 3),
        "per_learner_j2_seconds": round(per_learner_measured, 3),
        "machine": machine.delta(snaps["measured"], snaps["resources"]),
    },
    "rerun": {
        "wall_seconds": wall["rerun"],
        "kept_lines": kept_lines, "kept_in_summary": kept_total,
        "fraction_of_cold_no_perf_j2": round(rerun_fraction, 4),
        "per_learner_seconds": round(wall["rerun"] / n, 4),
        "fraction_of_measured_j2_per_learner": round(wall["rerun"] / n / per_learner_measured, 4),
        "target": 0.02, "met": rerun_fraction <= 0.02,
        "machine": machine.delta(snaps["rerun"], snaps["measured"]),
    },
    "resources": {
        "options": "--only ex1 --no-perf -j2, cold",
        "few": dict(resources("few"), learners=40),
        "many": dict(resources("many"), learners=many),
        "no_perf_j1": dict(resources("j1"), learners=n),
        "no_perf_j2": dict(resources("j2"), learners=n),
        "fds_ratio": round(fds_ratio, 3), "memory_ratio": round(mem_ratio, 3),
        "targets": {"fds_max_more": 1, "fds_at_exit_equal": True, "memory_ratio": 1.25},
        "met": {"fds": runs["many"]["fds_max"] <= runs["few"]["fds_max"] + 1 and
                       runs["many"]["fds_at_exit"] == runs["few"]["fds_at_exit"],
                "memory_ratio": mem_ratio <= 1.25},
        "temporary_folders_left": leftovers.split("\n") if leftovers else [],
        "machine": machine.delta(snaps["resources"], snaps["end"]),
    },
    "machine": machine.delta(snaps["start"], snaps["end"]),
}
out["resources"]["met"]["no_temporary_folders"] = not leftovers
json.dump(out, open("build/bench/batch.json", "w"), indent=2)
print(json.dumps(out, indent=2))
bad = []
if kept_lines != n or kept_total != n:
    bad.append("the rerun kept %d learners (summary: %s), not all %d: its figure means nothing" % (kept_lines, kept_total, n))
for k, v in graded.items():
    want = {"j1": n, "j2": n, "measured-j1": nm, "measured-j2": nm, "few": 40, "many": many}[k]
    if v != want:
        bad.append("run %s wrote %d reports, not %d" % (k, v, want))
for k in ("few", "many"):
    if runs[k]["vmhwm_kb_at_exit"] is None:
        bad.append("run %s: no peak memory at exit (exit_usage.so did not write)" % k)
for msg in bad:
    print("batch.sh: " + msg, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
