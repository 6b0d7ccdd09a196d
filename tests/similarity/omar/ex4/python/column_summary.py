#!/usr/bin/env python3
# column_summary.py FILE COLUMN: count, mean, standard deviation, min and max of a CSV column
import sys


def read_column(path, wanted):
    values = []
    f = open(path)
    header = f.readline().rstrip("\n").split(",")
    if wanted not in header:
        f.close()
        return values
    idx = header.index(wanted)
    for line in f:
        parts = line.rstrip("\n").split(",")
        if idx < len(parts):
            try:
                values.append(float(parts[idx]))
            except ValueError:
                pass
    f.close()
    return values


def mean(xs):
    total = 0.0
    for x in xs:
        total = total + x
    return total / len(xs)


def stdev(xs, m):
    s = 0.0
    for x in xs:
        s = s + (x - m) ** 2
    return (s / len(xs)) ** 0.5


if len(sys.argv) < 3:
    print("need a file and a column name")
    sys.exit(2)
data = read_column(sys.argv[1], sys.argv[2])
if not data:
    print("no values")
else:
    m = mean(data)
    print("count %d" % len(data))
    print("mean %.6f" % m)
    print("std %.6f" % stdev(data, m))
    print("min %.6f max %.6f" % (min(data), max(data)))
