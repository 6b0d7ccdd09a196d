#!/usr/bin/env python3
"""Ranks items by their average rating: python3 top_rated.py ratings.csv

Input: one rating per line, "item,stars" with stars an integer from 1 to 5
(the export of our recommender's feedback table). Output: one line per item,
best first: rank, item, number of ratings, mean rating with two decimals.
Items with the same mean are listed in alphabetical order, so that the
ranking does not depend on the order of the export."""
import sys


def main():
    totals = {}
    counts = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            line = line.strip()
            if not line:
                continue
            item, stars = line.rsplit(",", 1)
            stars = int(stars)
            if not 1 <= stars <= 5:
                print(f"line {lineno}: rating {stars} out of range 1..5", file=sys.stderr)
                sys.exit(1)
            totals[item] = totals.get(item, 0) + stars
            counts[item] = counts.get(item, 0) + 1
    means = {item: totals[item] / counts[item] for item in totals}
    ranking = sorted(means, key=lambda item: (-means[item], item))
    for rank, item in enumerate(ranking, start=1):
        print(f"{rank}. {item} {counts[item]} {means[item]:.2f}")


if __name__ == "__main__":
    main()
