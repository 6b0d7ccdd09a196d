#!/usr/bin/env python3
"""tests/similarity/mutate.py: disguises a copied submission as a copier would, for
tests/e2e/similarity.sh. Usage: mutate.py rename|reformat|reorder DIR: rewrites every .rs and .py
file under DIR in place.

rename    renames the functions and some variables (whole words, consistently)
reformat  Rust: every line stripped of its indentation and joined three by three (a line with a
          // comment is kept alone), spaces around '=' and ',' removed; Python: indentation of 2
          instead of 4, a blank line and a comment after every function header
reorder   the top-level functions of each file in reverse order (Rust: `fn` ... `}` at column 0;
          Python: `def` blocks), what comes before the first and after the last kept in place
"""
import pathlib
import re
import sys

RENAMES = {
    "parse_number": "to_num", "trim_field": "clean_cell", "mean_of": "average",
    "numeric_summary": "describe_numbers", "categorical_summary": "describe_text",
    "correlation": "pearson_r", "missing": "n_absent", "fields": "cells", "xs": "left",
    "ys": "right", "centroids": "centres", "points": "samples", "assign": "nearest_of",
}


def rename(src, _lang):
    for old, new in RENAMES.items():
        src = re.sub(r"\b%s\b" % old, new, src)
    return src


def reformat(src, lang):
    lines = src.split("\n")
    if lang == "py":
        out = []
        for line in lines:
            stripped = line.lstrip(" ")
            depth = (len(line) - len(stripped)) // 4
            out.append("  " * depth + stripped)
            if stripped.startswith("def "):
                out.append("")
                out.append("  " * (depth + 1) + "# reformatted")
        return "\n".join(out)
    out, group = [], []
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if "//" in s or s.startswith("#"):
            if group:
                out.append(" ".join(group))
                group = []
            out.append(s)
            continue
        group.append(re.sub(r" ?([=,]) ?", r"\1", s) if '"' not in s else s)
        if len(group) == 3:
            out.append(" ".join(group))
            group = []
    if group:
        out.append(" ".join(group))
    return "\n".join(out) + "\n"


def reorder(src, lang):
    lines = src.split("\n")
    start = "fn " if lang == "rs" else "def "
    spans, i = [], 0
    while i < len(lines):
        if not lines[i].startswith(start):
            i += 1
            continue
        s = i
        while s > 0 and lines[s - 1].startswith(("///", "#[", "@")):
            s -= 1  # its doc comments, attributes, decorators
        j = i + 1
        if lang == "rs":
            while j < len(lines) and lines[j] != "}":
                j += 1
            j += 1
        else:
            while j < len(lines) and (lines[j] == "" or lines[j].startswith((" ", "\t"))):
                j += 1
        spans.append((s, j))
        i = j
    if not spans:
        return src
    inside = set(k for s, e in spans for k in range(s, e))
    head = [l for k, l in enumerate(lines[: spans[-1][1]]) if k not in inside]
    out = head + [""]
    for s, e in reversed(spans):
        out += [l for l in lines[s:e]] + [""]
    return "\n".join(out + lines[spans[-1][1]:])


def main():
    how, top = sys.argv[1], pathlib.Path(sys.argv[2])
    fn = {"rename": rename, "reformat": reformat, "reorder": reorder}[how]
    for p in sorted(top.rglob("*")):
        if p.suffix in (".rs", ".py") and p.is_file():
            p.write_text(fn(p.read_text(), p.suffix[1:]))


if __name__ == "__main__":
    main()
