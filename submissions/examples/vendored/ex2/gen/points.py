#!/usr/bin/env python3
"""Three noisy blobs of 2-D points: python3 points.py SEED SIZE (deterministic)."""
import random
import sys

seed, size = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
centres = [(0.0, 0.0), (6.0, 1.0), (2.5, 7.0)]
for _ in range(size):
    cx, cy = rng.choice(centres)
    print(f"{cx + rng.gauss(0, 1.2):.3f},{cy + rng.gauss(0, 1.2):.3f}")
