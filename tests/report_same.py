#!/usr/bin/env python3
"""report_same.py: whether two folders of reports (REPORTS/LEARNER/report.json) say the same thing,
apart from what changes from one run to the next: dates, durations, measured times and figures,
and the paths of the checkouts they were made in. For refactors ("behaviour does not change"):
grade the examples with the old binary and the new one, then

    tests/report_same.py OLD_REPORTS NEW_REPORTS [--root OLD_ROOT NEW_ROOT]

Exit 0 when every report matches, 1 with the first differences otherwise, 2 on bad use."""
import json
import os
import re
import sys

# keys whose values are measurements or clocks; their presence and type still have to match
VOLATILE_KEY = re.compile(r"(seconds|_at$|^duration|^runs$|fraction$|_us$|_ms$|_bytes$|_kib$|_mib$|"
                          r"median|samples|interval|ratio|speedup|peak|rss|cpu|wall|load|overlap|"
                          r"^budget|^started|^finished|^elapsed|^calls$|^date$|^measured|^accepted|waited|estimate|difference|exponent|fixed_cost|noise|smallest_signal|^low$|^high$)", re.I)
# figures inside messages: "1.5s", "84 ms", "3.1x", "12.4 MiB", and any decimal ("measured 0.169",
# "n^0.99", "+0.22")
FIGURE = re.compile(r"[-+]?\d+(\.\d+)?(e[-+]?\d+)?\s?(ns|µs|us|ms|s|x|%|B|kB|KiB|MiB|GiB|MB|GB)\b|[-+]?\d+\.\d+")


def norm(value, key, roots, within=False):
    """`within`: an enclosing key is volatile (speedup.low, median_cpu.baseline), so every number
    below it is too."""
    within = within or bool(VOLATILE_KEY.search(key))
    if isinstance(value, dict):
        return {k: norm(v, k, roots, within) for k, v in value.items()}
    if isinstance(value, list):
        return [norm(v, key, roots, within) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and within:
        return "<number>"
    if isinstance(value, str):
        for r in roots:
            value = value.replace(r, "<root>")
        if key in ("started_at", "date"):
            return "<date>"
        return FIGURE.sub("<figure>", value)
    return value


def diff(a, b, path, out):
    if len(out) >= 20:
        return
    if type(a) is not type(b):
        out.append(f"{path}: {a!r} != {b!r}")
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: only in {'new' if k in b else 'old'}")
            else:
                diff(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {a!r} != {b!r}")


def main(argv):
    if len(argv) not in (3, 6) or (len(argv) == 6 and argv[3] != "--root"):
        print(__doc__, file=sys.stderr)
        return 2
    old, new = argv[1], argv[2]
    roots = [os.path.abspath(p) for p in argv[4:6]] if len(argv) == 6 else []
    roots += [os.path.abspath(old), os.path.abspath(new)]
    learners = sorted(d for d in os.listdir(old) if os.path.isfile(os.path.join(old, d, "report.json")))
    if not learners:
        print(f"{old}: no LEARNER/report.json", file=sys.stderr)
        return 2
    bad = 0
    for name in learners:
        p, q = os.path.join(old, name, "report.json"), os.path.join(new, name, "report.json")
        if not os.path.isfile(q):
            print(f"{name}: no report in {new}")
            bad += 1
            continue
        a, b = (norm(json.load(open(f, encoding="utf-8")), "", roots) for f in (p, q))
        out = []
        diff(a, b, "", out)
        print(f"{name}: {'same' if not out else 'DIFFERENT'}")
        for line in out:
            print(f"  {line}")
        bad += bool(out)
    print(f"{len(learners) - bad} of {len(learners)} reports the same")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
