#!/usr/bin/env python3
"""Makes a text for wordcount.py: python3 words.py SEED SIZE prints SIZE words, 12 to a line.

Words come from a made-up vocabulary of 4000 words with Zipf-like frequencies; some are
capitalised or carry punctuation. The same SEED and SIZE always give the same bytes."""
import random
import sys


def main():
    seed, size = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    letters = "etaoinshrdlucmfwypvbgkqjxz"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 10))) for _ in range(4000)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]
    words = rng.choices(vocab, weights, k=size)
    marks = rng.choices(["", "", "", "", "", "", ",", ".", ";", "!", "?", "'"], k=size)
    caps = rng.choices([False] * 9 + [True], k=size)
    out = []
    for i in range(0, size, 12):
        line = []
        for j in range(i, min(i + 12, size)):
            w = words[j].capitalize() if caps[j] else words[j]
            line.append(w + marks[j])
        out.append(" ".join(line))
    sys.stdout.write("\n".join(out) + "\n")


main()
