#!/usr/bin/env python3
"""k-means (Lloyd's algorithm) on 2-D points: python3 kmeans.py points.csv [k] [iterations].

Input: one point per line, "x,y". The first k points are the initial centroids.
Output: one line per centroid: its coordinates and how many points it holds."""
import sys


def main():
    path = sys.argv[1]
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    points = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                x, y = line.split(",")
                points.append((float(x), float(y)))
    centroids = [list(p) for p in points[:k]]
    sizes = [0] * len(centroids)
    for _ in range(iterations):
        sums = [[0.0, 0.0] for _ in centroids]
        sizes = [0] * len(centroids)
        for x, y in points:
            best, best_d = 0, float("inf")
            for i, (cx, cy) in enumerate(centroids):
                d = (x - cx) ** 2 + (y - cy) ** 2
                if d < best_d:
                    best, best_d = i, d
            sums[best][0] += x
            sums[best][1] += y
            sizes[best] += 1
        for i, c in enumerate(centroids):
            if sizes[i]:
                c[0] = sums[i][0] / sizes[i]
                c[1] = sums[i][1] / sizes[i]
    for (cx, cy), n in zip(centroids, sizes):
        print(f"{cx:.4f} {cy:.4f} {n}")


if __name__ == "__main__":
    main()
