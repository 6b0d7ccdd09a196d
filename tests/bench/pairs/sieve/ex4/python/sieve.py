"""Bench pair sieve: the sieve of Eratosthenes with plain loops, then a few facts about the primes.

Input file: one integer N. Prints how many primes are at most N, their sum, the largest, the
number of twin-prime pairs and the largest gap between consecutive primes."""
import sys


def main():
    with open(sys.argv[1]) as f:
        n = int(f.read().split()[0])
    composite = bytearray(n + 1)
    primes = []
    for i in range(2, n + 1):
        if not composite[i]:
            primes.append(i)
            for j in range(i * i, n + 1, i):
                composite[j] = 1
    twins = 0
    gap, gap_at = 0, 0
    for a, b in zip(primes, primes[1:]):
        if b - a == 2:
            twins += 1
        if b - a > gap:
            gap, gap_at = b - a, a
    print(f"primes up to {n}: {len(primes)}")
    print(f"sum: {sum(primes)}")
    print(f"largest: {primes[-1] if primes else 0}")
    print(f"twin pairs: {twins}")
    print(f"largest gap: {gap} after {gap_at}")


main()
