#!/usr/bin/env python3
"""Word frequencies for a bag-of-words vocabulary: python3 wordfreq.py corpus.txt [N]

Lower-cases the text, keeps letters, digits and apostrophes inside words,
drops a small list of English stop words, and prints the N most frequent
words (default 10) with their counts, most frequent first and ties in
alphabetical order. The last line gives the vocabulary size."""
import sys

STOPWORDS = {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in",
             "is", "it", "of", "on", "or", "that", "the", "this", "to", "was", "with"}


def normalise(token):
    kept = "".join(c for c in token.lower() if c.isascii() and (c.isalnum() or c == "'"))
    return kept.strip("'")


def main():
    top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    counts = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            for raw in line.split():
                word = normalise(raw)
                if not word or word in STOPWORDS:
                    continue
                counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for word, n in ranked[:top_n]:
        print(f"{n:6d} {word}")
    print(f"vocabulary {len(counts)}")


if __name__ == "__main__":
    main()
