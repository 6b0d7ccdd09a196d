"""Summary statistics of one numeric column of a CSV file."""
import csv
import math
import sys


class Running:
    """Welford's running mean and variance."""

    def __init__(self):
        self.n = 0
        self.mean = 0.0
        self.m2 = 0.0
        self.lo = math.inf
        self.hi = -math.inf

    def push(self, x):
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)
        self.lo = min(self.lo, x)
        self.hi = max(self.hi, x)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: colstats.py FILE COLUMN")
    acc = Running()
    with open(argv[1], newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                acc.push(float(row[argv[2]]))
            except (KeyError, ValueError):
                continue
    if acc.n == 0:
        print("no values")
        return
    print(f"count {acc.n}")
    print(f"mean {acc.mean:.6f}")
    print(f"std {math.sqrt(acc.m2 / acc.n):.6f}")
    print(f"min {acc.lo:.6f} max {acc.hi:.6f}")


if __name__ == "__main__":
    main(sys.argv)
