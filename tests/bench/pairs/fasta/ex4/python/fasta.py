"""Bench pair fasta: a generator of FASTA-formatted sequences, most of its time spent producing
output.

Input file: one integer N. Writes three records in lines of 60 letters: a motif repeated over
10N letters, then 3N letters drawn from a weighted nucleotide table and 5N from a weighted amino
acid table, both with a linear congruential generator."""
import sys

WIDTH = 60
MODULUS = 2147483648
MOTIF = ("GATTACACCTGGAATTCCGGTACGATCGTTAGCAAGCTTGCGGCCGCATCGATGGTACCTT"
         "AGGCCTAAGCTTCTAGAGTCGACCTGCAGGCATGCAAGCTTGGCACTGGCCGTCGTTTTAC")
NUCLEOTIDES = [("a", 0.30), ("c", 0.20), ("g", 0.20), ("t", 0.30)]
AMINO = [("A", 0.08), ("R", 0.05), ("N", 0.04), ("D", 0.05), ("C", 0.02), ("Q", 0.04),
         ("E", 0.07), ("G", 0.07), ("H", 0.02), ("I", 0.06), ("L", 0.10), ("K", 0.06),
         ("M", 0.02), ("F", 0.04), ("P", 0.05), ("S", 0.06), ("T", 0.05), ("W", 0.01),
         ("Y", 0.03), ("V", 0.08)]


def repeated(out, title, n):
    out.write(title + "\n")
    line = []
    k = 0
    for start in range(0, n, WIDTH):
        count = min(WIDTH, n - start)
        chunk = []
        while count > 0:
            take = min(count, len(MOTIF) - k)
            chunk.append(MOTIF[k:k + take])
            k = (k + take) % len(MOTIF)
            count -= take
        line.append("".join(chunk))
        if len(line) == 1000:
            out.write("\n".join(line) + "\n")
            line = []
    if line:
        out.write("\n".join(line) + "\n")


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 1103515245 + 12345) % MODULUS
        return self.state / MODULUS


def weighted(out, title, table, n, rng):
    out.write(title + "\n")
    letters = [c for c, _ in table]
    bounds = []
    total = 0.0
    for _, p in table:
        total += p
        bounds.append(total)
    bounds[-1] = 1.0
    last = len(bounds) - 1
    lines = []
    for start in range(0, n, WIDTH):
        row = []
        for _ in range(min(WIDTH, n - start)):
            r = rng.next()
            i = 0
            while i < last and r >= bounds[i]:
                i += 1
            row.append(letters[i])
        lines.append("".join(row))
        if len(lines) == 1000:
            out.write("\n".join(lines) + "\n")
            lines = []
    if lines:
        out.write("\n".join(lines) + "\n")


def main():
    with open(sys.argv[1]) as f:
        n = int(f.read().split()[0])
    out = sys.stdout
    rng = Lcg(42)
    repeated(out, ">ONE motif repeated", 10 * n)
    weighted(out, ">TWO weighted nucleotides", NUCLEOTIDES, 3 * n, rng)
    weighted(out, ">THREE weighted amino acids", AMINO, 5 * n, rng)


main()
