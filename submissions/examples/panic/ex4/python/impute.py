#!/usr/bin/env python3
"""Mean imputation, the first preprocessing step of my tabular pipeline:
python3 impute.py data.csv

The first line is a header of column names; every other line has one number
per column, separated by commas. An empty field is a missing value and is
replaced by the mean of its column (computed over the values present). The
table is printed back as CSV with four decimals, followed by one line
"# imputed COLUMN N MEAN" per column that had missing values."""
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = [line.rstrip("\n").split(",") for line in f if line.strip()]
    header, body = rows[0], rows[1:]
    columns = list(zip(*body)) if body else [() for _ in header]
    means = []
    for col in columns:
        present = [float(v) for v in col if v.strip() != ""]
        total = 0.0
        for v in present:
            total += v
        means.append(total / len(present) if present else 0.0)
    print(",".join(header))
    for row in body:
        out = []
        for i, v in enumerate(row):
            value = float(v) if v.strip() != "" else means[i]
            out.append(f"{value:.4f}")
        print(",".join(out))
    for name, col, mean in zip(header, columns, means):
        missing = sum(1 for v in col if v.strip() == "")
        if missing:
            print(f"# imputed {name} {missing} {mean:.4f}")


if __name__ == "__main__":
    main()
