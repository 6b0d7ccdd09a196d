/* complexity.h: counts one Python or Rust source text the way exercise 2's claims are judged:
 * source lines of code, functions, and the cyclomatic complexity of each function. A small
 * tokenizer per language knows its comments and strings, so that a '#' in a Python string or a
 * "//" in a Rust string is code and a docstring is not. No I/O: a pure function over bytes (the
 * fuzzer of issue 17 calls it on anything), linear in the input, with every stack bounded.
 *
 * The rules (docs/submission.md, "How the grader counts", says the same for learners):
 *
 * SLOC: physical lines that hold at least one code token. Blank lines, comments (Python `#`;
 * Rust `//`, `///`, `//!` and nested block comments) and Python docstrings are not code. The lines
 * a multi-line string spans are code, unless it is a docstring. A docstring is a statement made
 * only of string literals that comes first in the module or first in the body of a def or class
 * whose header ends its line (`def f():` then the string on the next line; a one-line
 * `def f(): "doc"` counts as code).
 *
 * Functions: Python `def` and `async def` (methods and nested functions included; lambdas are
 * not functions). Rust `fn NAME` items with a body (methods, associated and nested functions
 * included; closures, `fn(i32) -> i32` pointer types, `Fn`/`FnMut` traits and body-less
 * declarations such as `fn f(&self);` in a trait are not).
 *
 * Cyclomatic complexity of a function: 1 + its decision points. Python: each `if`, `elif`,
 * `for`, `while`, `except`, `and`, `or` keyword (so a conditional expression's `if`, and a
 * comprehension's `for` and `if`, count too; `with`, `else`, `try`, `finally` and `assert` do
 * not), a `case` guard's `if`, and each `case` of a `match` after the first. Rust: each `if`
 * (`else if` and `if let` too), `while`, `for` (not `impl Trait for T` and not `for<'a>`), binary
 * `&&` and `||` (not `&&x` references nor `|| x` closures), postfix `?`, and each arm of a
 * `match` after the first; `loop` is not a decision (its exits are the `if`s that break). The
 * decisions of a lambda or a closure belong to the function around it. Replacement fields of
 * Python f-strings are not looked into. Code outside every function (Python module and class
 * bodies, Rust `const` and `static` initialisers) is one more unit, "top level", whose
 * complexity (1 + its decisions) is added to the total only when it has decisions, so that a
 * file of bare definitions adds nothing and `if __name__ == "__main__":` adds 2.
 *
 * Bounds: functions nested more than COMPLEXITY_MAX_NEST deep are counted but their decisions go
 * to the deepest function tracked; f-string fields nested more than 8 deep are not looked into. */
#ifndef GRADER_COMPLEXITY_H
#define GRADER_COMPLEXITY_H

#include <stddef.h>

#include "program_which.h"

#define COMPLEXITY_MAX_FNS 100000 /* functions kept in `fns` per text (more are counted) */
#define COMPLEXITY_MAX_NEST 256   /* nested scopes tracked */

struct complexity_fn {
	size_t name_off, name_len; /* the name within the text (name_len 0: none) */
	long line;                 /* 1-based line of the `def` or `fn` keyword */
	long cc;                   /* 1 + its decision points */
};

struct complexity {
	long lines;                /* physical lines: line feeds, plus an unterminated last line */
	long sloc;                 /* lines with a code token */
	long functions;            /* every function counted */
	long top_decisions;        /* decision points outside every function */
	long total;                /* every function's cc, plus 1 + top_decisions when that is > 0 */
	struct complexity_fn *fns; /* malloc'ed, in the order of the text; at most COMPLEXITY_MAX_FNS */
	size_t nfns;
};

/* Counts `len` bytes of `src` (any bytes: invalid UTF-8, NULs and unterminated strings or
 * comments are tolerated) as `lang` into `out`, which it overwrites. Free with complexity_free().
 * Never fails (memory running out ends the process, see xalloc.h). */
void complexity_count(const char *src, size_t len, enum program_which lang, struct complexity *out);

/* Frees what complexity_count() allocated and zeroes `c`. */
void complexity_free(struct complexity *c);

#endif
