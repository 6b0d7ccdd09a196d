#!/usr/bin/env python3
"""tests/demo_check.py: the expectations of `make demo` (tests/demo.sh) and its verdict.

The expected grade of every bundled example is a table in docs/examples.md (or the file named
by DEMO_EXPECT), found by its header row:

    | example | exit | points | points with `--no-perf` | ... |

`exit` is the exit status `grader grade` must give (0 passed, 1 below the pass threshold);
`points` and `points with --no-perf` are either one number or a range `LOW-HIGH` (an en dash
works too) for a grade that rests on a measurement which can legitimately go either way.

  demo_check.py table FILE MODE EXAMPLE...
      checks that FILE's table is well formed and has a row for each EXAMPLE; exit 2 if not.
  demo_check.py verdict FILE MODE REPORTS RESULTS
      RESULTS has one line "EXAMPLE EXIT" per graded example; reads REPORTS/EXAMPLE/report.json,
      prints one line per example and a final verdict line; exit 0 when every example is as
      documented, 1 when one is not (a mismatch or an infrastructure error).

MODE is `perf` (the default grading) or `no-perf` (grader grade --no-perf).
"""
import json
import os
import re
import sys

TOLERANCE = 0.05  # reports carry points to one decimal at most; compare with half a tenth of slack


class TableError(Exception):
    pass


def cells(line):
    return [c.replace("`", "").strip() for c in line.strip().strip("|").split("|")]


def parse_points(text, where):
    """'90' -> (90, 90); '73.8-76.8' or '73.8–76.8' -> (73.8, 76.8)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:[-\u2013]\s*(\d+(?:\.\d+)?))?\s*", text)
    if not m:
        raise TableError("%s: '%s' is not a number of points or a range LOW-HIGH" % (where, text))
    low = float(m.group(1))
    high = float(m.group(2)) if m.group(2) else low
    if high < low:
        raise TableError("%s: the range '%s' ends below its start" % (where, text))
    return low, high


def load_table(path):
    """Returns {example: {"exit": int, "perf": (lo, hi), "no-perf": (lo, hi)}}."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        raise TableError("%s: %s" % (path, e.strerror))
    start = None
    for i, line in enumerate(lines):
        if line.lstrip().startswith("|"):
            head = [c.lower() for c in cells(line)]
            if head[:3] == ["example", "exit", "points"]:
                start = i
                break
    if start is None:
        raise TableError("%s: no table with the header '| example | exit | points | points with `--no-perf` |'" % path)
    head = [c.lower() for c in cells(lines[start])]
    try:
        col_noperf = head.index("points with --no-perf")
    except ValueError:
        raise TableError("%s:%d: the expectations table has no column 'points with `--no-perf`'" % (path, start + 1))
    table = {}
    for n in range(start + 2, len(lines)):
        line = lines[n]
        if not line.lstrip().startswith("|"):
            break
        where = "%s:%d" % (path, n + 1)
        row = cells(line)
        if len(row) < len(head):
            raise TableError("%s: %d cells, the header has %d" % (where, len(row), len(head)))
        name = row[0]
        if name in table:
            raise TableError("%s: a second row for '%s'" % (where, name))
        if row[1] not in ("0", "1"):
            raise TableError("%s: exit must be 0 (passed) or 1 (below the pass threshold), not '%s'" % (where, row[1]))
        table[name] = {"exit": int(row[1]), "perf": parse_points(row[2], where),
                       "no-perf": parse_points(row[col_noperf], where)}
    return table


def check_rows(table, path, examples):
    missing = [e for e in examples if e not in table]
    if missing:
        raise TableError("%s: the expectations table has no row for %s" % (path, ", ".join(missing)))


def fmt_points(p):
    lo, hi = p
    return "%g" % lo if lo == hi else "%g-%g" % (lo, hi)


def infrastructure_problem(rc, report_path):
    """The infrastructure error of one grading, or None; and the report (or None)."""
    if not os.path.exists(report_path):
        return ("exit %d and no report" % rc if rc != 0 else "no report"), None
    try:
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        return "unreadable report: %s" % e, None
    if report.get("errors"):
        return "report error: %s" % report["errors"][0], report
    sub = report.get("submission") or {}
    if sub.get("error"):
        return "not graded: %s" % sub["error"], report
    for ex in report.get("exercises", []):
        for c in ex.get("checks", []):
            if c.get("status") == "error":
                return "%s %s: error: %s" % (ex.get("id"), c.get("id"), (c.get("message") or "")[:200]), report
    if rc == 3:
        return "exit 3 (infrastructure error)", report
    if rc not in (0, 1):
        return "exit %d" % rc, report
    return None, report


def shown(path):
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def verdict(path, mode, reports, results):
    table = load_table(path)
    path = shown(path)
    graded = []
    for line in open(results, encoding="utf-8"):
        name, rc = line.split()
        graded.append((name, int(rc)))
    check_rows(table, path, [n for n, _ in graded])
    label = "with performance" if mode == "perf" else "--no-perf"
    rows = [("example", "exit", "points", "expected (%s)" % label, "result")]
    errors = mismatches = 0
    for name, rc in graded:
        want = table[name]
        expected = "exit %d, %s" % (want["exit"], fmt_points(want[mode]))
        problem, report = infrastructure_problem(rc, os.path.join(reports, name, "report.json"))
        points = "-"
        if report and isinstance(report.get("score"), dict):
            s = report["score"]
            points = "%.1f/%g" % (s.get("points", 0), s.get("max_points", 0))
        if problem:
            errors += 1
            result = "ERROR (%s)" % problem
        else:
            got = report["score"]["points"]
            lo, hi = want[mode]
            wrong = []
            if rc != want["exit"]:
                wrong.append("exit %d" % rc)
            if not (lo - TOLERANCE <= got <= hi + TOLERANCE):
                wrong.append("%.1f points" % got)
            if wrong:
                mismatches += 1
                result = "MISMATCH (%s, expected %s)" % (" and ".join(wrong), expected)
            else:
                result = "OK"
        rows.append((name, str(rc), points, expected, result))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4])
    n = len(graded)
    if errors or mismatches:
        print("make demo: FAILED: %d of %d examples not as %s documents (%d infrastructure error%s, %d mismatch%s)"
              % (errors + mismatches, n, path, errors, "" if errors == 1 else "s",
                 mismatches, "" if mismatches == 1 else "es"))
        return 1
    print("make demo: OK: all %d examples graded as %s documents (%s)" % (n, path, label))
    return 0


def main(argv):
    try:
        if len(argv) >= 3 and argv[0] == "table":
            check_rows(load_table(argv[1]), shown(argv[1]), argv[3:])
            return 0
        if len(argv) == 5 and argv[0] == "verdict":
            return verdict(argv[1], argv[2], argv[3], argv[4])
    except TableError as e:
        print("tests/demo.sh: %s" % e, file=sys.stderr)
        return 2
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
