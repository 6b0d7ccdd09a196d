#!/usr/bin/env bash
# Benchmark of the scaling check's stability, written to build/bench/scaling.json: the fixture of
# tests/e2e/scaling.sh (a linear Python script) graded with each of its three Rust ports (linear,
# n log n, quadratic) BENCH_SCALING_RUNS times (default 10), with chapter 1's scaling settings and
# 4 points on the check (speed and memory unscored: they are not measured). Records every
# verdict, the flips (verdicts that differ from the expected one: pass, pass, fail), the exponents
# and the seconds each measurement took. Targets: 0 flips, 0 inconclusive.
set -u
cd "$(dirname "$0")/../.." || exit 2
G=$PWD/bin/grader
B=$(mktemp -d /tmp/grader-bench-scaling.XXXXXX)
trap 'rm -rf "$B"' EXIT
runs=${BENCH_SCALING_RUNS:-10}
fx=tests/e2e/scaling-fixtures

cp -r specs/ch01 "$B/spec"
sed -i -e 's/^  performance: 5$/  performance: 0/' -e 's/^  memory: 4$/  memory: 0/' \
	-e 's/^  scaling: 0 .*/  scaling: 4/' "$B/spec/ex4.yaml"
started=$(date +%s)
for port in linear nlogn quadratic; do
	mkdir -p "$B/$port"
	cp -r "$fx/ex4" "$B/$port/"
	cp "$fx/ports/$port.rs" "$B/$port/ex4/rust/src/main.rs"
	for i in $(seq 1 "$runs"); do
		"$G" grade "$B/$port" --learner "$port" --spec "$B/spec" --work "$B/w-$port" --reports "$B/r" \
			--only ex4 --quiet >/dev/null 2>&1
		cp "$B/r/$port/report.json" "$B/$port-$i.json"
		echo "$port $i: $(python3 -c 'import json,sys; c={k["id"]: k for k in json.load(open(sys.argv[1]))["exercises"][0]["checks"]}["scaling"]; print(c["status"], c["message"][:160])' "$B/$port-$i.json")"
	done
done

python3 - "$B" "$runs" "$(($(date +%s) - started))" <<'PY'
import glob, json, os, statistics, sys
b, runs, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
want = {"linear": "pass", "nlogn": "pass", "quadratic": "fail"}
out = {"gradings_per_port": runs, "tolerance": None, "seconds": seconds, "load": os.getloadavg(),
       "ports": {}, "targets": {"flips": 0, "inconclusive": 0}}
for port, expected in want.items():
    cs = []
    for i in range(1, runs + 1):
        r = json.load(open("%s/%s-%d.json" % (b, port, i)))
        cs.append({k["id"]: k for k in r["exercises"][0]["checks"]}["scaling"])
    ev = [c.get("evidence", {}) for c in cs]
    out["tolerance"] = ev[0].get("tolerance")
    exp = lambda p: [e[p]["exponent"] for e in ev if e.get(p, {}).get("exponent") is not None]
    verdicts = [c["status"] for c in cs]
    out["ports"][port] = {
        "expected": expected,
        "verdicts": verdicts,
        "flips": sum(1 for v in verdicts if v != expected),
        "inconclusive": verdicts.count("inconclusive"),
        "python_exponents": exp("python"),
        "rust_exponents": exp("rust"),
        "differences": [e.get("difference") for e in ev],
        "difference_lows": [e.get("difference_low") for e in ev],
        "difference_highs": [e.get("difference_high") for e in ev],
        "rounds": [e.get("runs") for e in ev],
        "looks": [e.get("looks") for e in ev],
        "measurement_seconds": [e.get("elapsed") for e in ev],
        "measurement_seconds_median": statistics.median([e.get("elapsed", 0) for e in ev]),
    }
os.makedirs("build/bench", exist_ok=True)
json.dump(out, open("build/bench/scaling.json", "w"), indent=2)
print(json.dumps(out, indent=2))
PY
