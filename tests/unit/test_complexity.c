/* test_complexity.c: unit tests of complexity.c: SLOC, functions and cyclomatic complexity of
 * small labelled Python and Rust sources, one tricky token case each (comments and strings that
 * look like each other, docstrings, nested block comments, raw strings, lifetimes and chars, fn
 * pointer types, closures, match arms, `?`, comprehensions), and the bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exercises/complexity.h"

static const char *text;

static struct complexity count(const char *src, enum program_which lang)
{
	struct complexity c;

	text = src;
	complexity_count(src, strlen(src), lang, &c);
	return c;
}

/* The complexity of the function named `name` (it must be found once). */
static long cc_of(const struct complexity *c, const char *name)
{
	long cc = -1;
	int found = 0;

	for (size_t i = 0; i < c->nfns; i++)
		if (c->fns[i].name_len == strlen(name) && !memcmp(text + c->fns[i].name_off, name, strlen(name))) {
			cc = c->fns[i].cc;
			found++;
		}
	if (found != 1)
		fail_msg("function %s found %d times", name, found);
	return cc;
}

static void test_python_hash_in_string_is_code(void **state)
{
	struct complexity c = count("x = \"# not a comment\"\n" /* 1 code */
				    "# a comment\n"             /* 2 */
				    "y = '#'\n"                 /* 3 code */
				    "s = \"\"\"\n"              /* 4 code: a string, not a docstring */
				    "# inside a string\n"       /* 5 code */
				    "\"\"\"\n",                 /* 6 code */
				    PROGRAM_PYTHON);
	(void)state;

	assert_int_equal(c.lines, 6);
	assert_int_equal(c.sloc, 5);
	assert_int_equal(c.functions, 0);
	assert_int_equal(c.total, 0);
	complexity_free(&c);
}

static void test_python_docstrings_are_not_code(void **state)
{
	struct complexity c = count("#!/usr/bin/env python3\n"                     /* 1 */
				    "\"\"\"Module docstring.\n"                     /* 2 */
				    "\n"                                           /* 3 */
				    "More.\"\"\"\n"                                /* 4 */
				    "import sys\n"                                 /* 5 code */
				    "\n"                                           /* 6 */
				    "\n"                                           /* 7 */
				    "def f(a):\n"                                  /* 8 code */
				    "    \"\"\"Function docstring.\"\"\"\n"        /* 9 */
				    "    return a\n"                               /* 10 code */
				    "\n"                                           /* 11 */
				    "\n"                                           /* 12 */
				    "class C:\n"                                   /* 13 code */
				    "    r'''Class docstring, raw.'''\n"           /* 14 */
				    "\n"                                           /* 15 */
				    "    def m(self):\n"                           /* 16 code */
				    "        'first in m: a docstring'\n"          /* 17 */
				    "        x = 1\n"                              /* 18 code */
				    "        'a later string statement is code'\n" /* 19 code */
				    "        return x\n"                           /* 20 code */
				    "def g(): \"one line: code\"\n",               /* 21 code */
				    PROGRAM_PYTHON);
	(void)state;

	assert_int_equal(c.lines, 21);
	assert_int_equal(c.sloc, 9);
	assert_int_equal(c.functions, 3);
	assert_int_equal(cc_of(&c, "f"), 1);
	assert_int_equal(cc_of(&c, "m"), 1);
	assert_int_equal(c.fns[1].line, 16);
	assert_int_equal(c.total, 3);
	complexity_free(&c);
}

static void test_python_prefixed_and_f_strings(void **state)
{
	struct complexity c = count("a = f\"{x['k']} # not a comment\"\n" /* 1 code */
				    "b = rf\"\\d{y}\" if a else br'\\x00'\n" /* 2 code; if: top level */
				    "c = f\"{'}'}\" + \"{\"\n"                 /* 3 code */
				    "d = f\"\"\"{\n"                             /* 4 code */
				    "a if b else c\n"                           /* 5 code: a field, not looked into */
				    "}\"\"\"\n"                                 /* 6 code */
				    "e = f\"{x[\"k\"]:>{w}}\"  # 3.12 quotes\n" /* 7 code */
				    "# only a comment\n",                       /* 8 */
				    PROGRAM_PYTHON);
	(void)state;

	assert_int_equal(c.lines, 8);
	assert_int_equal(c.sloc, 7);
	assert_int_equal(c.top_decisions, 1);
	assert_int_equal(c.total, 2);
	complexity_free(&c);
}

static void test_python_decisions(void **state)
{
	struct complexity c = count("def f(xs):\n"
				    "    ys = [x for x in xs if x > 0]\n" /* for, if: 2 */
				    "    if ys and len(ys) > 1 or not ys:\n" /* if, and, or: 3 */
				    "        pass\n"
				    "    elif ys:\n" /* 1 */
				    "        pass\n"
				    "    while False:\n" /* 1 */
				    "        pass\n"
				    "    try:\n"
				    "        pass\n"
				    "    except ValueError:\n" /* 1 */
				    "        pass\n"
				    "    with open('f') as h:\n" /* with: 0 */
				    "        pass\n"
				    "    g = lambda v: v if v else 0\n" /* a lambda is no function; its if: 1 */
				    "    for i in range(3):\n"         /* 1 */
				    "        pass\n"
				    "    else:\n"
				    "        pass\n"
				    "    return g\n"
				    "\n"
				    "def h(p):\n"
				    "    match = {'case': 1}\n" /* soft keywords as names */
				    "    match p:\n"
				    "        case 1:\n"
				    "            return 'one'\n"
				    "        case 2 | 3:\n" /* 1 */
				    "            return 'few'\n"
				    "        case int(n) if n > 3:\n" /* 1 + the guard's if */
				    "            return 'many'\n"
				    "        case _:\n" /* 1 */
				    "            return '?'\n"
				    "\n"
				    "async def outer():\n"
				    "    def inner(x):\n"
				    "        return x or 1\n"     /* inner: or */
				    "    async for v in gen():\n" /* outer: for */
				    "        pass\n"
				    "    return inner\n"
				    "\n"
				    "if __name__ == '__main__':\n" /* the top level: 1 + 1 */
				    "    f([])\n",
				    PROGRAM_PYTHON);
	(void)state;

	assert_int_equal(c.functions, 4);
	assert_int_equal(cc_of(&c, "f"), 11);
	assert_int_equal(cc_of(&c, "h"), 5);
	assert_int_equal(cc_of(&c, "outer"), 2);
	assert_int_equal(cc_of(&c, "inner"), 2);
	assert_int_equal(c.top_decisions, 1);
	assert_int_equal(c.total, 11 + 5 + 2 + 2 + 2);
	complexity_free(&c);
}

static void test_rust_comments_and_strings(void **state)
{
	struct complexity c = count("// line comment\n"                                   /* 1 */
				    "/* outer /* nested */ still a comment */\n"           /* 2 */
				    "/* multi\n"                                           /* 3 */
				    "   /* nested\n"                                       /* 4 */
				    "   */ still\n"                                        /* 5 */
				    "*/\n"                                                 /* 6 */
				    "fn main() {\n"                                        /* 7 code */
				    "    let s = \"// not a comment /* nor this {\";\n"    /* 8 code */
				    "    let r = r#\"a \"quoted\" } { string\"#;\n"        /* 9 code */
				    "    let b = b\"bytes {\";\n"                          /* 10 code */
				    "    let raw = r##\"\n"                                /* 11 code */
				    "multi-line raw \"# still inside {\n"                  /* 12 code */
				    "\"##;\n"                                              /* 13 code */
				    "    /// doc comment\n"                                /* 14 */
				    "    println!(\"{} {} {} {}\", s, r, b.len(), raw);\n" /* 15 code */
				    "}\n"                                                  /* 16 code */
				    "const K: bool = true && false;\n",                    /* 17 code; top level */
				    PROGRAM_RUST);
	(void)state;

	assert_int_equal(c.lines, 17);
	assert_int_equal(c.sloc, 10);
	assert_int_equal(c.functions, 1);
	assert_int_equal(cc_of(&c, "main"), 1);
	/* the braces in strings left main's body closed before the const */
	assert_int_equal(c.top_decisions, 1);
	assert_int_equal(c.total, 1 + 2);
	complexity_free(&c);
}

static void test_rust_lifetimes_and_chars(void **state)
{
	struct complexity c = count("fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {\n"
				    "    let open = '{';\n"
				    "    let quote = '\\'';\n"
				    "    let e = '\xc3\xa9';\n"
				    "    let u = '\\u{1F600}';\n"
				    "    let _bc = b'}';\n"
				    "    'outer: for c in a.chars() {\n" /* for */
				    "        if c == '}' { break 'outer; }\n" /* if */
				    "    }\n"
				    "    if a.len() > b.len() { a } else { b }\n" /* if */
				    "}\n"
				    "static S: &'static str = \"x\";\n"
				    "const K: bool = true || false;\n", /* top level */
				    PROGRAM_RUST);
	(void)state;

	assert_int_equal(c.functions, 1);
	assert_int_equal(cc_of(&c, "longest"), 4);
	assert_int_equal(c.top_decisions, 1);
	assert_int_equal(c.sloc, 13);
	complexity_free(&c);
}

static void test_rust_fn_types_closures_and_declarations(void **state)
{
	struct complexity c = count("type Op = fn(i32) -> i32;\n"
				    "trait Shape {\n"
				    "    fn area(&self) -> f64;\n" /* a declaration: no body, not counted */
				    "    fn name(&self) -> String { String::from(\"shape\") }\n"
				    "}\n"
				    "fn apply(f: fn(i32) -> i32, g: impl Fn(i32) -> i32, x: i32) -> i32 {\n"
				    "    let h = |v: i32| if v > 0 { v } else { -v };\n" /* a closure's if: apply's */
				    "    let k = || x;\n"                                /* a closure, not an or */
				    "    let m = move || -> i32 { x };\n"
				    "    f(g(h(x))) + k() + m()\n"
				    "}\n"
				    "struct Square;\n"
				    "impl Shape for Square {\n" /* not a loop */
				    "    fn area(&self) -> f64 { 1.0 }\n"
				    "}\n"
				    "fn r#match() {}\n"
				    "fn hr<F>(f: F) where F: for<'a> Fn(&'a u8) {}\n" /* not a loop */
				    "fn spin() { loop { break; } }\n",                /* loop: no decision */
				    PROGRAM_RUST);
	(void)state;

	assert_int_equal(c.functions, 6);
	assert_int_equal(cc_of(&c, "name"), 1);
	assert_int_equal(cc_of(&c, "apply"), 2);
	assert_int_equal(cc_of(&c, "area"), 1);
	assert_int_equal(cc_of(&c, "match"), 1);
	assert_int_equal(cc_of(&c, "hr"), 1);
	assert_int_equal(cc_of(&c, "spin"), 1);
	assert_int_equal(c.top_decisions, 0);
	assert_int_equal(c.total, 7);
	complexity_free(&c);
}

static void test_rust_match_arms_question_mark_and_booleans(void **state)
{
	struct complexity c = count("fn parse(s: &str) -> Result<u8, std::num::ParseIntError> {\n"
				    "    let n: u8 = s.trim().parse()?;\n" /* ? */
				    "    let kind = match n {\n"           /* 4 arms: 3 */
				    "        0 => \"zero\",\n"
				    "        1 | 2 => \"small\",\n"
				    "        x if x > 100 => \"big\",\n"                          /* if */
				    "        _ => match n % 2 { 0 => \"even\", _ => \"odd\" },\n" /* 2 arms: 1 */
				    "    };\n"
				    "    if kind.len() > 3 && n != 0 || n == 7 {}\n" /* if && || */
				    "    let r = &&n;\n"                            /* a reference */
				    "    let _ok = matches!(n, 1 | 2);\n"
				    "    Ok(**r + kind.len() as u8)\n"
				    "}\n"
				    "fn generic<T: ?Sized>(_t: &T) {}\n", /* ?Sized: no decision */
				    PROGRAM_RUST);
	(void)state;

	assert_int_equal(c.functions, 2);
	assert_int_equal(cc_of(&c, "parse"), 10);
	assert_int_equal(cc_of(&c, "generic"), 1);
	assert_int_equal(c.fns[1].line, 14);
	assert_int_equal(c.total, 11);
	complexity_free(&c);
}

static void test_bounds_and_broken_input(void **state)
{
	struct buf b = BUF_INIT;
	struct complexity c;
	(void)state;

	/* 300 nested Python functions: all counted, each of complexity 1, past the tracked depth. */
	for (int i = 0; i < 300; i++)
		buf_printf(&b, "%*sdef f%d():\n", i, "", i);
	buf_printf(&b, "%*sreturn 1\n", 300, "");
	complexity_count(b.data, b.len, PROGRAM_PYTHON, &c);
	assert_int_equal(c.functions, 300);
	assert_int_equal(c.total, 300);
	assert_int_equal(c.sloc, 301);
	complexity_free(&c);
	/* 5000 nested Rust blocks inside a function, then a decision after them: main's. */
	buf_reset(&b);
	buf_puts(&b, "fn main() {\n");
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, "{");
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, "}");
	buf_puts(&b, "\nif true {}\n}\nfn after() { if x {} }\n");
	complexity_count(b.data, b.len, PROGRAM_RUST, &c);
	assert_int_equal(c.functions, 2);
	assert_int_equal(c.fns[0].cc, 2);
	assert_int_equal(c.fns[1].cc, 2);
	complexity_free(&c);
	/* Unterminated comments and strings, stray closers, NUL bytes: counted without a crash. */
	c = count("/* never closed\nfn f() {}\n", PROGRAM_RUST);
	assert_int_equal(c.sloc, 0);
	assert_int_equal(c.functions, 0);
	complexity_free(&c);
	c = count("}}} fn f() { \"open\n", PROGRAM_RUST);
	assert_int_equal(c.functions, 1);
	complexity_free(&c);
	c = count("x = '''never closed\ndef f():\n", PROGRAM_PYTHON);
	assert_int_equal(c.functions, 0);
	assert_int_equal(c.sloc, 2);
	complexity_free(&c);
	complexity_count("a\0b\n'\\", 6, PROGRAM_PYTHON, &c);
	assert_int_equal(c.lines, 2);
	complexity_free(&c);
	complexity_count(NULL, 0, PROGRAM_RUST, &c);
	assert_int_equal(c.lines, 0);
	assert_int_equal(c.sloc, 0);
	complexity_free(&c);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_hash_in_string_is_code),
		cmocka_unit_test(test_python_docstrings_are_not_code),
		cmocka_unit_test(test_python_prefixed_and_f_strings),
		cmocka_unit_test(test_python_decisions),
		cmocka_unit_test(test_rust_comments_and_strings),
		cmocka_unit_test(test_rust_lifetimes_and_chars),
		cmocka_unit_test(test_rust_fn_types_closures_and_declarations),
		cmocka_unit_test(test_rust_match_arms_question_mark_and_booleans),
		cmocka_unit_test(test_bounds_and_broken_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
