#!/usr/bin/env python3
"""Feature report for a CSV dataset: the first look I take at a table before
training a model on it.

For every numeric column: count, missing values, mean, standard deviation
(population), min, median, max and the number of z-score outliers (|z| > 3).
For every other column: count, missing, distinct values and the most frequent
value. Then the Pearson correlation of every pair of numeric columns, computed
on the rows where both values are present.

Usage: python3 featreport.py data.csv

The first line is the header. Fields are separated by commas, without quoting.
An empty field is a missing value. A column is numeric when it has at least
one value and every non-empty field in it is a finite number.
"""
import math
import sys

NUMBER_CHARS = set("0123456789+-.eE")
OUTLIER_Z = 3.0


def parse_number(text):
    """A finite float, or None. Stricter than float(), which also accepts
    '1_000', 'nan', 'inf' and non-ASCII digits."""
    if not text or not set(text) <= NUMBER_CHARS:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def fmt(x):
    return f"{x:.6f}"


def mean_of(values):
    # An explicit loop, not sum(): Python 3.12 made sum() of floats compensated.
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def numeric_summary(name, values, missing):
    mean = mean_of(values)
    sq = 0.0
    for v in values:
        sq += (v - mean) * (v - mean)
    std = math.sqrt(sq / len(values))
    lo = min(values)
    hi = max(values)
    ordered = sorted(values)
    n = len(ordered)
    if n % 2 == 1:
        median = ordered[n // 2]
    else:
        median = (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    outliers = 0
    if std > 0:
        for v in values:
            if abs((v - mean) / std) > OUTLIER_Z:
                outliers += 1
    print(f"column {name} numeric count={n} missing={missing} mean={fmt(mean)} "
          f"std={fmt(std)} min={fmt(lo)} median={fmt(median)} max={fmt(hi)} "
          f"outliers={outliers}")


def categorical_summary(name, fields):
    counts = {}
    missing = 0
    for f in fields:
        if f == "":
            missing += 1
        else:
            counts[f] = counts.get(f, 0) + 1
    present = len(fields) - missing
    if counts:
        top = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        top_text = f"top={top[0]} top_count={top[1]}"
    else:
        top_text = "top=- top_count=0"
    print(f"column {name} categorical count={present} missing={missing} "
          f"distinct={len(counts)} {top_text}")


def correlation(xs, ys):
    pairs = [(x, y) for x, y in zip(xs, ys) if x is not None and y is not None]
    if len(pairs) < 2:
        return None
    mx = mean_of([p[0] for p in pairs])
    my = mean_of([p[1] for p in pairs])
    sxy = sxx = syy = 0.0
    for x, y in pairs:
        sxy += (x - mx) * (y - my)
        sxx += (x - mx) * (x - mx)
        syy += (y - my) * (y - my)
    if sxx == 0.0 or syy == 0.0:
        return None
    return sxy / math.sqrt(sxx * syy)


def main():
    if len(sys.argv) != 2:
        print("usage: featreport.py data.csv", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().split("\n")
    lines = [line for line in lines if line != ""]
    if not lines:
        print("rows 0")
        return 0
    header = [h.strip(" \t") for h in lines[0].split(",")]
    columns = [[] for _ in header]
    skipped = 0
    for lineno, line in enumerate(lines[1:], start=2):
        fields = [f.strip(" \t") for f in line.split(",")]
        if len(fields) != len(header):
            print(f"line {lineno}: expected {len(header)} fields, got {len(fields)}; skipped",
                  file=sys.stderr)
            skipped += 1
            continue
        for i, f in enumerate(fields):
            columns[i].append(f)
    print(f"rows {len(columns[0])} skipped {skipped}")

    numeric = []  # (name, parsed) in column order; header names may repeat
    for name, fields in zip(header, columns):
        parsed = [parse_number(f) for f in fields]
        bad = any(p is None and f != "" for p, f in zip(parsed, fields))
        values = [p for p in parsed if p is not None]
        if values and not bad:
            numeric.append((name, parsed))
            numeric_summary(name, values, len(fields) - len(values))
        else:
            categorical_summary(name, fields)

    for i in range(len(numeric)):
        for j in range(i + 1, len(numeric)):
            r = correlation(numeric[i][1], numeric[j][1])
            shown = "n/a" if r is None else fmt(r)
            print(f"correlation {numeric[i][0]} {numeric[j][0]} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
