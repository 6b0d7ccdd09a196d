#!/usr/bin/env bash
# Benchmark of the grader's measurements against bare ones on real programs, written to
# build/bench/pairs.json. Six Python programs with std-only Rust ports, of different shapes
# (tests/bench/pairs/: nbody, a numeric loop; bintrees, allocation-heavy trees; sieve; fasta,
# megabytes of output; wordcount, a hash map over a generated text; mandel, a float kernel), each
# graded as a learner's exercise 4 and, in the same run and on the same input, run bare with
# build/helpers/bench_wait4 and /usr/bin/time -v (half of the bare runs just before the grading,
# half just after). Figures per program: the grader's median CPU against the bare median
# (target: within 5% where the time is above 50 ms), the grader's peak memory against
# /usr/bin/time's max RSS (target: within 5%). tests/bench/pairs.py does the work and documents
# it; BENCH_PAIRS_RUNS (default 10) sets the bare runs, BENCH_PAIRS="nbody sieve" a subset.
set -u
cd "$(dirname "$0")/../.." || exit 2
exec python3 tests/bench/pairs.py
