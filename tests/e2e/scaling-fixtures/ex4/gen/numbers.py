#!/usr/bin/env python3
"""python3 numbers.py SEED SIZE: SIZE random numbers below 2^31, one a line (about 1 in 8 repeated)."""
import random
import sys

seed, size = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
values = [rng.randrange(1 << 31) for _ in range(size)]
for i in range(0, size, 8):
    values[i] = values[rng.randrange(size)]
sys.stdout.write("".join(f"{v}\n" for v in values))
