#!/usr/bin/env bash
# Benchmark of the speed verdict's stability on a calibrated pair, written to build/bench/perf.json:
# build/helpers/perf_work doing 3x the units of its candidate (true CPU ratio a little under 3,
# because the start-up cost is the same for both; the units are scaled to this machine so that the
# baseline burns about 0.4 s of CPU, twice the minimum), judged against a required speedup of 2 with the
# default protocol (95%, 10..40 runs, 1 warm-up, 200 ms minimum baseline). Ten repetitions quiet,
# then ten while a second process keeps the other core busy. Figures: coefficient of variation of
# the speedup estimate (target <= 3%), verdict flips (target 0), median pairs of runs to decide.
# PERF_BENCH_REPS overrides the ten.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=$(mktemp -d /tmp/grader-perf-bench.XXXXXX)
LOADER=
trap '[ -n "$LOADER" ] && kill $LOADER 2>/dev/null; rm -rf "$B"' EXIT
reps=${PERF_BENCH_REPS:-10}
make --no-print-directory -s build/rel/libgrader.a || exit 1
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Igrader $(pkg-config --cflags yaml-0.1 libgit2 libcjson) \
	-o "$B/perf_bench" tests/bench/perf_bench.c build/rel/libgrader.a $(pkg-config --libs yaml-0.1 libgit2 libcjson) -lm || exit 1

# A unit is a fixed loop, so its CPU time depends on the machine: 240 units took 0.24 s on one
# machine and 0.19 s on a faster one, under the 200 ms minimum. Scale to 0.4 s here.
cand=$(python3 - <<'PY'
import math, os, resource, subprocess
best = None
for _ in range(3):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["build/helpers/perf_work", "200"], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    best = cpu if best is None else min(best, cpu)
print(max(20, math.ceil(0.4 / (best / 200) / 3)))
PY
) || exit 1
base=$((cand * 3))
"$B/perf_bench" "$PWD" build/helpers "$reps" "$base" "$cand" 2 >"$B/quiet.jsonl" || exit 1
( while :; do :; done ) & LOADER=$!
"$B/perf_bench" "$PWD" build/helpers "$reps" "$base" "$cand" 2 >"$B/loaded.jsonl" || exit 1
kill $LOADER; LOADER=

python3 - "$B" "$base" "$cand" <<'PY'
import json, statistics, sys
b = sys.argv[1]
def summary(kind):
    rs = [json.loads(l) for l in open(b + "/" + kind + ".jsonl")]
    est = [r["estimate"] for r in rs]
    verdicts = [r["verdict"] for r in rs]
    major = max(set(verdicts), key=verdicts.count)
    return {
        "method": rs[0]["method"],
        "repetitions": len(rs),
        "speedup_estimates": est,
        "speedup_median": statistics.median(est),
        "speedup_cv": statistics.pstdev(est) / statistics.mean(est),
        "intervals": [[r["low"], r["high"]] for r in rs],
        "verdicts": verdicts,
        "verdict_flips": sum(1 for v in verdicts if v != major),
        "median_pairs_to_decide": statistics.median(r["pairs"] for r in rs),
        "median_seconds_per_measurement": statistics.median(r["elapsed"] for r in rs),
        "load_start": [r["load_start"] for r in rs],
    }
out = {"pair": {"baseline_units": int(sys.argv[2]), "candidate_units": int(sys.argv[3]), "k": 3, "required_speedup": 2},
       "quiet": summary("quiet"), "loaded": summary("loaded"),
       "targets": {"speedup_cv": 0.03, "verdict_flips": 0}}
json.dump(out, open("build/bench/perf.json", "w"), indent=2)
print(json.dumps({k: ({kk: vv for kk, vv in v.items() if kk not in ("intervals", "speedup_estimates", "load_start")}
                      if isinstance(v, dict) else v) for k, v in out.items()}, indent=2))
PY
