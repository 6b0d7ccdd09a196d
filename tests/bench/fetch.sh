#!/usr/bin/env bash
# tests/bench/fetch.sh: time `grader fetch` of a repository with 2 000 commits and 5 000 files over
# loopback (git daemon on 127.0.0.1), against `git clone` of the same URL in the same run, runs
# interleaved. Writes build/bench/fetch.json. Target: the grader within 1.5x of git clone.
set -u
cd "$(dirname "$0")/../.." || exit 2
: "${GRADER_REL:=$PWD/bin/grader}"
RUNS=${FETCH_BENCH_RUNS:-7}
T=$(mktemp -d /tmp/grader-bench-fetch.XXXXXX)
daemon=
trap '[ -n "$daemon" ] && kill "$daemon" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME=$T/home
mkdir -p "$HOME" "$T/srv" build/bench

# The repository, written with git fast-import: 5 000 files in 50 directories in the first commit,
# then 1 999 commits that each change three files.
python3 - >"$T/stream" <<'PY'
import sys
out = sys.stdout.buffer
mark = 0
def blob(data):
    global mark
    mark += 1
    out.write(b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(data), data))
    return mark
t = 1767225600  # 2026-01-01T00:00:00Z
for c in range(2000):
    if c == 0:
        files = [("d%02d/f%03d.rs" % (i // 100, i % 100), blob(b"// file %d\nfn f%d() -> u32 { %d }\n" % (i, i, i) * 8)) for i in range(5000)]
    else:
        files = [("d%02d/f%03d.rs" % (k // 100, k % 100), blob(b"// revision %d of file %d\nfn g() -> u32 { %d }\n" % (c, k, c) * 8))
                 for k in ((c * 7) % 5000, (c * 13 + 1) % 5000, (c * 31 + 2) % 5000)]
    msg = b"commit %d" % c
    out.write(b"commit refs/heads/main\ncommitter Bench <bench@example.org> %d +0000\ndata %d\n%s\n" % (t + c * 600, len(msg), msg))
    for path, m in files:
        out.write(b"M 100644 :%d %s\n" % (m, path.encode()))
    out.write(b"\n")
PY
git init -q --bare -b main "$T/srv/bench.git"
git -C "$T/srv/bench.git" fast-import --quiet <"$T/stream" || exit 1
git -C "$T/srv/bench.git" repack -adq || exit 1

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
git daemon --reuseaddr --base-path="$T/srv" --export-all --listen=127.0.0.1 --port="$port" "$T/srv" 2>/dev/null &
daemon=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
URL=git://127.0.0.1:$port/bench.git

# Wall time is at the mercy of whatever else the machine runs; CPU time (user+sys of the whole
# process tree, from RUSAGE_CHILDREN) much less so: both are recorded, medians of interleaved runs.
python3 - "$GRADER_REL" "$URL" "$T" "$RUNS" "$(git -C "$T/srv/bench.git" rev-list --count main)" \
	"$(du -sb "$T/srv/bench.git/objects" | cut -f1)" <<'PY'
import json, os, resource, shutil, statistics, subprocess, sys, time
grader, url, tmp, runs, commits, pack = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])

def measure(argv, dest):
    shutil.rmtree(dest, ignore_errors=True)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (argv[0], p.stderr.decode(errors="replace")))
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, cpu, p.stdout

g, c = [], []
files = None
for i in range(runs):
    wall, cpu, out = measure([grader, "fetch", url, tmp + "/g"], tmp + "/g")
    files = json.loads(out)["files"]
    g.append((wall, cpu))
    c.append(measure(["git", "clone", "-q", url, tmp + "/c"], tmp + "/c")[:2])

def summary(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "all": xs}

res = {
    "what": "grader fetch vs git clone (with checkout) of the same repository over loopback "
            "(git daemon), runs interleaved",
    "repository": {"commits": commits, "files": files, "pack_bytes": pack},
    "runs": runs,
    "load_before": os.getloadavg(),
    "grader_fetch": {"wall_seconds": summary([x[0] for x in g]), "cpu_seconds": summary([x[1] for x in g])},
    "git_clone": {"wall_seconds": summary([x[0] for x in c]), "cpu_seconds": summary([x[1] for x in c])},
    "target_ratio": 1.5,
}
res["wall_ratio_of_medians"] = res["grader_fetch"]["wall_seconds"]["median"] / res["git_clone"]["wall_seconds"]["median"]
res["wall_ratio_of_minimums"] = res["grader_fetch"]["wall_seconds"]["min"] / res["git_clone"]["wall_seconds"]["min"]
res["cpu_ratio_of_medians"] = res["grader_fetch"]["cpu_seconds"]["median"] / res["git_clone"]["cpu_seconds"]["median"]
res["within_target"] = res["wall_ratio_of_medians"] <= 1.5
json.dump(res, open("build/bench/fetch.json", "w"), indent=2)
print(json.dumps(res, indent=2))
PY
