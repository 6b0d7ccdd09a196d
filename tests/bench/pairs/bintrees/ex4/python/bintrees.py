"""Bench pair bintrees: allocation-heavy binary trees, built and walked many times.

Input file: one integer, the maximum depth D. Builds one tree of depth D + 1 and drops it, keeps
one tree of depth D alive throughout, and for each depth d = 4, 6, ... <= D builds and walks
2^(D - d + 4) trees of depth d. Each node carries a value; the walk returns node count and a
checksum of the values."""
import sys


class Node:
    __slots__ = ("left", "right", "value")

    def __init__(self, left, right, value):
        self.left = left
        self.right = right
        self.value = value


def build(depth, value):
    if depth == 0:
        return Node(None, None, value)
    return Node(build(depth - 1, 2 * value), build(depth - 1, 2 * value + 1), value)


def walk(node):
    """(nodes, checksum) of a tree; the checksum alternates signs by level."""
    if node.left is None:
        return 1, node.value
    ln, lc = walk(node.left)
    rn, rc = walk(node.right)
    return 1 + ln + rn, node.value - lc + rc


def main():
    with open(sys.argv[1]) as f:
        depth = int(f.read().split()[0])
    n, c = walk(build(depth + 1, 1))
    print(f"stretch depth {depth + 1}: {n} nodes, checksum {c}")
    kept = build(depth, 1)
    for d in range(4, depth + 1, 2):
        trees = 2 ** (depth - d + 4)
        nodes = 0
        checksum = 0
        for i in range(trees):
            n, c = walk(build(d, i))
            nodes += n
            checksum += c
        print(f"{trees} trees of depth {d}: {nodes} nodes, checksum {checksum}")
    n, c = walk(kept)
    print(f"kept depth {depth}: {n} nodes, checksum {c}")


main()
