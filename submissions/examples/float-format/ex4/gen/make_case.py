#!/usr/bin/env python3
"""Random classifier logits for softmax.py: python3 make_case.py SEED SIZE.

SIZE lines of 2 to 8 comma-separated logits; some lines have one logit far
below the others, so that tiny probabilities (printed as 1e-05 by Python)
appear. Same SEED and SIZE, same bytes."""
import random
import sys

seed, size = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
for _ in range(size):
    logits = [rng.gauss(0.0, 3.0) for _ in range(rng.randint(2, 8))]
    if rng.random() < 0.2:
        logits[rng.randrange(len(logits))] -= rng.uniform(8.0, 30.0)
    print(",".join(f"{x:.3f}" for x in logits))
