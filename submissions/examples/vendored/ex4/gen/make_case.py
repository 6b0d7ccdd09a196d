#!/usr/bin/env python3
"""A synthetic latency metric for rolling_zscore.py: python3 make_case.py SEED SIZE.

SIZE values: a daily-looking cycle plus noise, with a few spikes and a flat
stretch (a stuck sensor). Same SEED and SIZE, same bytes."""
import math
import random
import sys

seed, size = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
print("# latency_ms")
flat_start = rng.randrange(max(1, size))
for i in range(size):
    if flat_start <= i < flat_start + 12:
        value = 120.0
    else:
        value = 120 + 15 * math.sin(i / 10) + rng.gauss(0, 3)
        if rng.random() < 0.02:
            value += rng.choice([-1, 1]) * rng.uniform(30, 80)
    print(f"{value:.2f}")
