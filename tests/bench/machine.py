"""The state of the machine around a benchmark, for tests/bench/*.sh (these machines are virtual
and shared, so a figure means little without it).

  python3 tests/bench/machine.py snapshot            prints a JSON snapshot: time, load averages,
                                                     the `cpu` line of /proc/stat in clock ticks
  python3 tests/bench/machine.py delta START END     prints what changed between two snapshots

From a script, import it and call snapshot() and delta(start, end). The delta gives the steal
time (the `steal` column of /proc/stat's `cpu` line: time the hypervisor ran something else while
this machine's CPUs wanted to run) in CPU-seconds and as a fraction of all CPU time of the
interval, the busy fraction, and the 1-minute load average at the start and at the end."""
import json
import os
import sys
import time

FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def snapshot():
    with open("/proc/stat") as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == "cpu":
                ticks = [int(x) for x in parts[1:1 + len(FIELDS)]]
                break
        else:
            raise RuntimeError("/proc/stat has no 'cpu' line")
    if len(ticks) < len(FIELDS):
        raise RuntimeError("/proc/stat's 'cpu' line has %d columns, expected %d" % (len(ticks), len(FIELDS)))
    return {"time": time.time(), "load": list(os.getloadavg()), "cpus": os.cpu_count(),
            "ticks": dict(zip(FIELDS, ticks)), "hz": os.sysconf("SC_CLK_TCK")}


def delta(start, end):
    d = {k: end["ticks"][k] - start["ticks"][k] for k in FIELDS}
    # guest time is already inside user time, so the eight columns are the whole CPU time.
    total = sum(d.values())
    hz = start["hz"]
    return {
        "wall_seconds": round(end["time"] - start["time"], 3),
        "cpus": start["cpus"],
        "steal_seconds": d["steal"] / hz,
        "steal_fraction": d["steal"] / total if total else 0.0,
        "busy_fraction": (total - d["idle"] - d["iowait"]) / total if total else 0.0,
        "load_start": start["load"][0],
        "load_end": end["load"][0],
    }


def main(argv):
    if len(argv) == 2 and argv[1] == "snapshot":
        print(json.dumps(snapshot()))
        return 0
    if len(argv) == 4 and argv[1] == "delta":
        with open(argv[2]) as a, open(argv[3]) as b:
            print(json.dumps(delta(json.load(a), json.load(b)), indent=2))
        return 0
    print("usage: machine.py snapshot | machine.py delta START.json END.json", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
