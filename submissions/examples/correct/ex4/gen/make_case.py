#!/usr/bin/env python3
"""Makes a random feature table for featreport.py: python3 make_case.py SEED SIZE.

SIZE is the number of data rows. The same SEED and SIZE always give the same
bytes. Rows have a few missing values, some outliers, negative numbers and a
categorical column, so every branch of the report is exercised."""
import random
import sys


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    out = ["id,age,income,score,segment,temperature"]
    segments = ["retail", "pro", "student", "enterprise"]
    for i in range(1, size + 1):
        age = rng.randint(18, 90)
        income = 20000 + age * 450 + rng.gauss(0, 9000)
        if rng.random() < 0.01:
            income *= 8  # a few outliers
        score = rng.gauss(0.5, 0.15)
        temperature = rng.gauss(-2.0, 12.5)
        row = [str(i), str(age), f"{income:.2f}", f"{score:.4f}",
               rng.choice(segments), f"{temperature:.1f}"]
        for k in (1, 2, 3, 4, 5):
            if rng.random() < 0.02:
                row[k] = ""
        out.append(",".join(row))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
