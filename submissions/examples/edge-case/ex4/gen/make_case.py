#!/usr/bin/env python3
"""Random ratings for top_rated.py: python3 make_case.py SEED SIZE.

SIZE lines "item,stars". Each item has its own taste profile, so means
differ; now and then two items end up with exactly the same mean.
Same SEED and SIZE, same bytes."""
import random
import sys

ITEMS = ["Alien", "Amelie", "Arrival", "Brazil", "Casablanca", "Chinatown",
         "Dune", "Fargo", "Gravity", "Heat", "Inception", "Jaws", "Memento",
         "Metropolis", "Nosferatu", "Psycho", "Ran", "Rashomon", "Rocky",
         "Solaris", "Stalker", "Tampopo", "Up", "Vertigo", "Whiplash", "Zodiac"]


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    items = rng.sample(ITEMS, 12)
    bias = {item: rng.uniform(1.5, 4.8) for item in items}
    for _ in range(size):
        item = rng.choice(items)
        stars = min(5, max(1, round(rng.gauss(bias[item], 0.9))))
        print(f"{item},{stars}")


if __name__ == "__main__":
    main()
