#!/usr/bin/env bash
# Benchmarks of grading exercise 4 end to end, written to build/bench/grade.json:
#  - overhead: the grader's own time (total wall minus the wall of the sandboxed runs it had to
#    make) as a fraction of the total, for the correct example (3 learner + 20 generated cases);
#    target <= 10%;
#  - rebuild: the wall time of `cargo build` for a second build of an unchanged submission;
#    target <= 1 s;
#  - stability: the correct example graded 10 times with speed measured: coefficient of variation
#    of the speedup estimate (target <= 3%), verdict flips (target 0), median pairs of runs to
#    decide; then the same while a second process keeps the other core busy;
#  - precision: the median relative half-width of the speedup interval over those gradings,
#    (high - low) / 2 / estimate (target <= 5%);
#  - machine: steal time (/proc/stat, in CPU-seconds and as a fraction of all CPU time) and the
#    load average at the start and the end, over the whole bench and over each stability series
#    (tests/bench/machine.py); these machines are virtual and shared.
set -u
cd "$(dirname "$0")/../.." || exit 2
G=$PWD/bin/grader
B=$(mktemp -d /tmp/grader-bench.XXXXXX)
trap 'kill $LOADER 2>/dev/null; rm -rf "$B"' EXIT
LOADER=
ex=submissions/examples/correct
runs=${BENCH_GRADE_RUNS:-10}
snap() { python3 tests/bench/machine.py snapshot >"$B/machine-$1.json" || exit 1; }
snap start

# Warm the build once, so that the figures below are of a regrade.
"$G" grade $ex --learner warm --only ex4 --no-perf --quiet --reports "$B/r" --work "$B/w"
for i in 1 2 3; do
	"$G" grade $ex --learner warm --only ex4 --no-perf --quiet --reports "$B/r$i" --work "$B/w"
	cp "$B/r$i/warm/report.json" "$B/overhead-$i.json"
done
snap quiet
for i in $(seq 1 "$runs"); do
	"$G" grade $ex --learner warm --only ex4 --quiet --reports "$B/s" --work "$B/w"
	cp "$B/s/warm/report.json" "$B/quiet-$i.json"
done
snap loaded
( while :; do :; done ) & LOADER=$!
for i in $(seq 1 "$runs"); do
	"$G" grade $ex --learner warm --only ex4 --quiet --reports "$B/s" --work "$B/w"
	cp "$B/s/warm/report.json" "$B/loaded-$i.json"
done
kill $LOADER; LOADER=
snap end

python3 - "$B" <<'PY'
import glob, json, statistics, sys
sys.path.insert(0, "tests/bench")
import machine
b = sys.argv[1]
snaps = {k: json.load(open("%s/machine-%s.json" % (b, k))) for k in ("start", "quiet", "loaded", "end")}
def ex4(r):
    return {c["id"]: c for c in r["exercises"][0]["checks"]}
over = [json.load(open(f)) for f in sorted(glob.glob(b + "/overhead-*.json"))]
fr = [r["timing"]["grader_fraction"] for r in over]
rebuild = [ex4(r)["build"]["evidence"]["wall_seconds"] for r in over]
def stability(kind):
    rs = [json.load(open(f)) for f in sorted(glob.glob(b + "/%s-*.json" % kind))]
    m = [ex4(r)["performance"]["evidence"]["measurement"] for r in rs]
    est = [x["speedup"]["estimate"] for x in m]
    half = [(x["speedup"]["high"] - x["speedup"]["low"]) / 2 / x["speedup"]["estimate"] for x in m]
    verdicts = [x["verdict"] for x in m]
    return {
        "gradings": len(m),
        "speedup_estimates": est,
        "speedup_median": statistics.median(est),
        "speedup_cv": statistics.pstdev(est) / statistics.mean(est),
        "relative_half_widths": half,
        "relative_half_width_median": statistics.median(half),
        "verdicts": verdicts,
        "verdict_flips": sum(1 for v in verdicts if v != max(set(verdicts), key=verdicts.count)),
        "median_pairs_to_decide": statistics.median(x["pairs"] for x in m),
        "load_start": [x["load"]["start"] for x in m],
    }
out = {
    "overhead": {"cases": ex4(over[0])["correctness"]["evidence"]["total"],
                 "grader_fraction": fr, "grader_fraction_median": statistics.median(fr),
                 "target": 0.10},
    "rebuild": {"cargo_build_wall_seconds": rebuild, "median": statistics.median(rebuild), "target": 1.0},
    "stability_quiet": stability("quiet"),
    "stability_loaded": stability("loaded"),
    "machine": {"whole": machine.delta(snaps["start"], snaps["end"]),
                "quiet": machine.delta(snaps["quiet"], snaps["loaded"]),
                "loaded": machine.delta(snaps["loaded"], snaps["end"])},
    "targets": {"speedup_cv": 0.03, "relative_half_width_median": 0.05, "verdict_flips": 0},
}
for kind in ("stability_quiet", "stability_loaded"):
    s = out[kind]
    s["met"] = {"speedup_cv": s["speedup_cv"] <= out["targets"]["speedup_cv"],
                "relative_half_width_median":
                    s["relative_half_width_median"] <= out["targets"]["relative_half_width_median"],
                "verdict_flips": s["verdict_flips"] <= out["targets"]["verdict_flips"]}
json.dump(out, open("build/bench/grade.json", "w"), indent=2)
print(json.dumps(out, indent=2))
PY
