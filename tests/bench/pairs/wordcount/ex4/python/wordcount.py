"""Bench pair wordcount: counts words with a hash map.

Input file: a text. Words are whitespace-separated, stripped of surrounding punctuation and
lower-cased (ASCII); empty ones are skipped. Prints the number of words, the number of distinct
words, the longest word (the first in alphabetical order among the longest), and the 20 most
frequent words with their counts (ties in alphabetical order)."""
import sys

PUNCTUATION = ".,;:!?'\"()[]"


def main():
    counts = {}
    total = 0
    with open(sys.argv[1], encoding="ascii") as f:
        for line in f:
            for word in line.split():
                word = word.strip(PUNCTUATION).lower()
                if word:
                    counts[word] = counts.get(word, 0) + 1
                    total += 1
    print(f"words: {total}")
    print(f"distinct: {len(counts)}")
    longest = min(counts, key=lambda w: (-len(w), w)) if counts else ""
    print(f"longest: {longest}")
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for word, n in ranked[:20]:
        print(f"{n} {word}")


main()
