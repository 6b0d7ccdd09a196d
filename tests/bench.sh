#!/usr/bin/env bash
# tests/bench.sh: runs every benchmark tests/bench/*.sh; each writes build/bench/NAME.json.
# The results are merged into build/bench.json and printed. Benchmarks are not tests: they
# measure, they never fail the build on a figure (a broken benchmark still exits non-zero).
set -u
cd "$(dirname "$0")/.." || exit 2
export GRADER_ROOT=$PWD GRADER_REL=$PWD/bin/grader HELPERS=$PWD/build/helpers
mkdir -p build/bench
rc=0
for b in tests/bench/*.sh; do
	[ -f "$b" ] || continue
	echo "== bench $(basename "$b" .sh)"
	bash "$b" || { echo "bench $(basename "$b") failed" >&2; rc=1; }
done
python3 - <<'PY'
import json, glob, os, platform, time
out = {"machine": {"cpus": os.cpu_count(), "load": os.getloadavg(), "kernel": platform.release()},
       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "results": {}}
for f in sorted(glob.glob("build/bench/*.json")):
    with open(f) as fh:
        out["results"][os.path.basename(f)[:-5]] = json.load(fh)
with open("build/bench.json", "w") as fh:
    json.dump(out, fh, indent=2)
print(json.dumps(out, indent=2))
PY
exit $rc
