#!/usr/bin/env python3
"""Turns classifier logits into probabilities: python3 softmax.py logits.txt

Each non-empty line holds the logits of one example, separated by commas.
For each line it prints the softmax probabilities, then the predicted class
(argmax), the log-sum-exp of the logits (the normaliser, used in the
cross-entropy loss) and the entropy of the distribution in nats."""
import math
import sys


def softmax(logits):
    m = max(logits)  # subtract the max so that exp() cannot overflow
    exps = [math.exp(x - m) for x in logits]
    total = 0.0
    for e in exps:
        total += e
    return [e / total for e in exps], m + math.log(total)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            logits = [float(x) for x in line.split(",")]
            probs, lse = softmax(logits)
            best = max(range(len(probs)), key=lambda i: probs[i])
            entropy = 0.0
            for p in probs:
                if p > 0:
                    entropy -= p * math.log(p)
            print("probs", *probs)
            print("argmax", best, "logsumexp", lse, "entropy", entropy)


if __name__ == "__main__":
    main()
