#!/usr/bin/env bash
# tests/e2e/bench_tools.sh: proves the bare reference that tests/bench/pairs.sh compares the
# grader with. build/helpers/bench_wait4 must report a known CPU time (calib_burn, which burns
# until its own CPU clock reaches the figure) within 5% + 20 ms, a known touched memory
# (calib_touch 100 MiB) within 5% of 100 MiB over its idle self, the bytes a program wrote, every
# run's exit status, and refuse bad usage; tests/bench/machine.py must give a sane delta.
# test: serial (CPU time and memory within a few percent of a calibrated workload: run alone)
. "$(dirname "$0")/lib.sh"
W4=$HELPERS/bench_wait4

# json_check NAME FILE PYTHON-EXPRESSION: `runs` is the list of JSON lines of FILE.
json_check() {
	if python3 - "$2" "$3" <<'PY' >"$T/py.out" 2>&1; then ok "$1"; else fail "$1" "$(cat "$T/py.out")"; fi
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
if not eval(sys.argv[2]):
    print("assertion failed:", sys.argv[2])
    for r in runs:
        print(" ", r)
    sys.exit(1)
PY
}

"$W4" 3 -- "$HELPERS/calib_burn" 0.3 1 >"$T/burn" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && ok "bench_wait4 exits 0 when every run does" || fail "bench_wait4 exits 0 when every run does" "exit $rc" "$(cat "$T/err")"
json_check "bench_wait4 reports one line per run" "$T/burn" 'len(runs) == 3 and [r["run"] for r in runs] == [0, 1, 2]'
json_check "bench_wait4 measures 0.3 s of CPU within 5% + 20 ms" "$T/burn" \
	'all(0.3 <= r["cpu"] <= 0.3 * 1.05 + 0.02 and abs(r["user"] + r["sys"] - r["cpu"]) < 1e-5 for r in runs)'
json_check "bench_wait4 counts the bytes written on stdout" "$T/burn" 'all(r["stdout_bytes"] == len("cpu=0.300000\n") for r in runs)'

"$W4" 2 -- "$HELPERS/calib_touch" 0 1 0 >"$T/idle" && "$W4" 2 -- "$HELPERS/calib_touch" 100 1 0 >"$T/touch"
rc=$?
[ "$rc" -eq 0 ] || fail "bench_wait4 runs calib_touch" "exit $rc"
python3 - "$T/idle" "$T/touch" <<'PY' >"$T/py.out" 2>&1 && ok "bench_wait4 measures 100 MiB touched within 5%" || fail "bench_wait4 measures 100 MiB touched within 5%" "$(cat "$T/py.out")"
import json, sys
idle = [json.loads(l)["maxrss_bytes"] for l in open(sys.argv[1])]
touch = [json.loads(l)["maxrss_bytes"] for l in open(sys.argv[2])]
mib = (min(touch) - max(idle)) / 1048576
print("idle", idle, "touched", touch, "difference %.2f MiB" % mib)
sys.exit(0 if abs(mib - 100) <= 5 else 1)
PY

printf 'hello' >"$T/in"
"$W4" 1 --stdin "$T/in" -- cat >"$T/cat"
json_check "bench_wait4 feeds --stdin and reads the whole output" "$T/cat" 'runs[0]["stdout_bytes"] == 5 and runs[0]["exit"] == 0'

"$W4" 2 -- sh -c 'exit 3' >"$T/fail"
rc=$?
[ "$rc" -eq 1 ] && ok "bench_wait4 exits 1 when a run fails" || fail "bench_wait4 exits 1 when a run fails" "exit $rc"
json_check "bench_wait4 reports each run's exit status" "$T/fail" 'len(runs) == 2 and all(r["exit"] == 3 and r["signal"] == 0 for r in runs)'
"$W4" 1 -- sh -c 'kill -9 $$' >"$T/sig"
json_check "bench_wait4 reports a run killed by a signal" "$T/sig" 'runs[0]["signal"] == 9 and runs[0]["exit"] == -1'
"$W4" 1 -- "$T/no-such-program" >"$T/missing"
json_check "bench_wait4 reports a command that cannot be run as exit 127" "$T/missing" 'runs[0]["exit"] == 127'

bad=0
for args in "" "0 -- true" "x -- true" "2 true" "2 --" "2 --stdin"; do
	# shellcheck disable=SC2086
	"$W4" $args >/dev/null 2>"$T/usage"
	rc=$?
	[ "$rc" -eq 2 ] && grep -q usage "$T/usage" || { bad=1; echo "    '$args': exit $rc"; }
done
[ "$bad" -eq 0 ] && ok "bench_wait4 refuses bad usage with exit 2" || fail "bench_wait4 refuses bad usage with exit 2"

m=$GRADER_ROOT/tests/bench/machine.py
python3 "$m" snapshot >"$T/m0" && "$HELPERS/calib_burn" 0.2 1 >/dev/null && python3 "$m" snapshot >"$T/m1" &&
	python3 "$m" delta "$T/m0" "$T/m1" >"$T/delta"
python3 - "$T/delta" <<'PY' >"$T/py.out" 2>&1 && ok "machine.py gives steal time, busy share and load over an interval" || fail "machine.py gives steal time, busy share and load over an interval" "$(cat "$T/py.out")"
import json, sys
d = json.load(open(sys.argv[1]))
print(d)
# 0.2 s of CPU burnt in the interval: at least that much of the machine was busy.
ok = (d["wall_seconds"] > 0 and 0 <= d["steal_fraction"] <= 1 and d["steal_seconds"] >= 0
      and d["busy_fraction"] * d["wall_seconds"] * d["cpus"] >= 0.15 and d["busy_fraction"] <= 1
      and d["load_start"] >= 0 and d["load_end"] >= 0)
sys.exit(0 if ok else 1)
PY
python3 "$m" nonsense >/dev/null 2>&1
[ $? -eq 2 ] && ok "machine.py refuses bad usage with exit 2" || fail "machine.py refuses bad usage with exit 2"
