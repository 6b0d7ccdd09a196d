#!/usr/bin/env python3
"""Min-max scaling of a feature to [0, 1]: python3 minmax.py values.txt

One number per line (blank lines are skipped). Prints the minimum and the
maximum, then each value scaled as (x - min) / (max - min) with six decimals.
A constant feature (max == min) scales to 0.0 everywhere."""
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        values = [float(line) for line in f if line.strip()]
    if not values:
        print("no values")
        return
    lo, hi = min(values), max(values)
    span = hi - lo
    print(f"min {lo:.6f} max {hi:.6f}")
    for v in values:
        print(f"{(v - lo) / span if span else 0.0:.6f}")


if __name__ == "__main__":
    main()
