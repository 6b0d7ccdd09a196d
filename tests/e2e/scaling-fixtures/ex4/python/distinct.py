#!/usr/bin/env python3
"""Reads numbers (one a line) on stdin; prints how many are distinct and a checksum: the sum, mod
2^32, of a 600-step linear congruential hash of every number. Linear: a set, constant work each."""
import sys

STEPS = 600


def main():
    seen = set()
    total = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        v = int(line)
        x = v
        for _ in range(STEPS):
            x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        total = (total + x) & 0xFFFFFFFF
        seen.add(v)
    print(len(seen), total)


main()
