/* test_similarity.c: the tokenizers of Rust and Python, winnowing's guarantee, and the comparison
 * of a small class (fingerprint.h, similarity.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "buf.h"
#include "fingerprint.h"
#include "fs.h"
#include "similarity.h"
#include "spec.h"

/* The normal forms of `src`'s tokens, space-separated (malloc'ed). */
static char *toks(enum fp_lang lang, const char *src)
{
	struct fp_token *t = NULL;
	size_t n = 0;
	struct buf text = BUF_INIT;

	fp_tokenize(lang, src, strlen(src), &t, &n, 100000, &text);
	free(t);
	return buf_detach(&text);
}

#define assert_toks(lang, src, want)             \
	do {                                     \
		char *got_ = toks(lang, src);    \
		assert_string_equal(got_, want); \
		free(got_);                      \
	} while (0)

static void test_rust_comments_and_strings(void **state)
{
	(void)state;
	/* nested block comments end at their own depth, line comments at the line's end */
	assert_toks(FP_RUST, "a /* x /* y */ still comment */ b // c\nd", "V V V");
	/* a raw string holds quotes, comment openers and hashes fewer than its own */
	assert_toks(FP_RUST, "let s = r#\"a \"quoted\" /* not a comment\"#; x", "let V = S ; V");
	assert_toks(FP_RUST, "f(r##\"a \"# b\"##, br\"x\", b\"y\\\"z\", r\"\\\")", "V ( S , S , S , S )");
	/* an escaped quote does not end a string; a string may span lines */
	assert_toks(FP_RUST, "\"a \\\" b\nc\" + 1", "S + N");
	/* a raw identifier is an identifier */
	assert_toks(FP_RUST, "r#type + r#match", "V + V");
}

static void test_rust_lifetimes_and_chars(void **state)
{
	(void)state;
	assert_toks(FP_RUST, "fn f<'a>(x: &'a str) -> char { 'x' }", "fn V < LT > ( V : & LT V ) -> V { S }");
	assert_toks(FP_RUST, "['\\'', '\\n', '\\u{1F600}', b'q', 'é', '\"']", "[ S , S , S , S , S , S ]");
	assert_toks(FP_RUST, "'outer: loop { break 'outer; }", "LT : loop { break LT ; }");
	assert_toks(FP_RUST, "impl<'de> X for Y<'de> {}", "impl < LT > V for V < LT > { }");
}

static void test_rust_numbers_and_operators(void **state)
{
	(void)state;
	assert_toks(FP_RUST, "for i in 0..10 { x += 1.5e-3 * 0xff_u8 as f64; }",
		    "for V in N .. N { V += N * N as V ; }");
	assert_toks(FP_RUST, "a::b::<Vec<u8>>() => x..=y >>= 2", "V :: V :: < V < V > > ( ) => V ..= V > > = N");
	assert_toks(FP_RUST, "t.0.1 + x?", "V . N + V ?");
	/* spacing never changes the tokens: rustc splits ">=" after generics, "&&" before an operand */
	assert_toks(FP_RUST, "let v: Vec<f64>= w; a>=b && &&c", "let V : V < V > = V ; V > = V & & & & V");
	assert_toks(FP_RUST, "let v: Vec<f64> = w; a >= b & & & &c", "let V : V < V > = V ; V > = V & & & & V");
}

static void test_python(void **state)
{
	(void)state;
	/* a docstring is documentation: left out; a string in an expression is kept */
	assert_toks(FP_PYTHON,
		    "def f(x):\n    \"\"\"Doc with \"quotes\" and\n    lines.\"\"\"\n    return 'a' + x\n",
		    "def V ( V ) : return S + V");
	assert_toks(FP_PYTHON, "'''module doc'''\nimport os\nx = '''not\ndoc'''\n", "import V V = S");
	/* prefixes, escapes, comments, a '#' inside a string */
	assert_toks(FP_PYTHON, "s = rb'\\'' + f\"{x}#\" # comment\nt = R\"a\\\"b\"", "V = S + S V = S");
	/* a string alone in brackets is not a docstring */
	assert_toks(FP_PYTHON, "print(\n    \"x\"\n)\n", "V ( S )");
	assert_toks(FP_PYTHON, "x **= 2 // 3\ny := .5e+1j", "V **= N // N V := N");
	assert_toks(FP_PYTHON, "if a and not b: pass\nelse: None", "if V and not V : pass else : None");
}

static void test_lines(void **state)
{
	struct fp_token *t = NULL;
	size_t n = 0;
	const char *py = "x = '''a\nb\nc'''\n# c\ny = 1\n";
	const char *rs = "/* a\n/* b\n*/\n*/ x\nr#\"\n\"#; y";
	(void)state;

	fp_tokenize(FP_PYTHON, py, strlen(py), &t, &n, 1000, NULL);
	assert_int_equal(n, 6);
	assert_int_equal(t[2].line, 1); /* the string's first line */
	assert_int_equal(t[3].line, 5);
	free(t);
	t = NULL;
	n = 0;
	fp_tokenize(FP_RUST, rs, strlen(rs), &t, &n, 1000, NULL);
	assert_int_equal(n, 4);
	assert_int_equal(t[0].line, 4);
	assert_int_equal(t[1].line, 5);
	assert_int_equal(t[3].line, 6);
	free(t);
}

/* Renaming and reformatting change no token: the fingerprints are the same. */
static void test_rename_reformat(void **state)
{
	const char *a = "fn mean(xs: &[f64]) -> f64 {\n    let total: f64 = xs.iter().sum();\n"
			"    total / xs.len() as f64\n}\n";
	const char *b = "// the average\nfn average(values:&[f64])->f64{let s:f64=values.iter().sum();"
			" s/values.len() as f64}";
	char *ta = toks(FP_RUST, a), *tb = toks(FP_RUST, b);
	(void)state;

	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
}

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

static size_t count_shared(const struct fp_print *a, size_t na, const struct fp_print *b, size_t nb)
{
	size_t n = 0;

	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (a[i].hash == b[j].hash) {
				n++;
				break;
			}
	return n;
}

/* Winnowing's guarantee: a shared run of window + k - 1 tokens always gives a shared fingerprint,
 * wherever it sits in two otherwise unrelated files. */
static void test_winnow_guarantee(void **state)
{
	const size_t run = FINGERPRINT_WINDOW + FINGERPRINT_K - 1;
	uint64_t seed = 42;
	(void)state;

	for (int trial = 0; trial < 500; trial++) {
		struct fp_token a[300], b[300];
		struct fp_print *pa = NULL, *pb = NULL;
		size_t na = 0, nb = 0, lena = 40 + rnd(&seed) % 200, lenb = 40 + rnd(&seed) % 200;
		size_t at_a = rnd(&seed) % (lena - run), at_b = rnd(&seed) % (lenb - run);

		for (size_t i = 0; i < lena; i++)
			a[i] = (struct fp_token){.code = rnd(&seed) % 40, .line = (int)i + 1};
		for (size_t i = 0; i < lenb; i++)
			b[i] = (struct fp_token){.code = 1000 + rnd(&seed) % 40, .line = (int)i + 1};
		for (size_t i = 0; i < run; i++)
			b[at_b + i].code = a[at_a + i].code;
		fp_winnow(a, lena, 0, 0, &pa, &na);
		fp_winnow(b, lenb, 0, 0, &pb, &nb);
		if (count_shared(pa, na, pb, nb) == 0)
			fail_msg("trial %d: a shared run of %zu tokens gave no shared fingerprint", trial, run);
		free(pa);
		free(pb);
	}
}

/* Winnowing keeps about 2 / (window + 1) of the k-grams; `all` keeps every one; a file shorter than
 * k tokens has none. */
static void test_winnow_density(void **state)
{
	struct fp_token t[5000];
	struct fp_print *p = NULL;
	size_t n = 0;
	uint64_t seed = 7;
	double density;
	(void)state;

	for (size_t i = 0; i < 5000; i++)
		t[i] = (struct fp_token){.code = rnd(&seed), .line = (int)i / 10 + 1};
	fp_winnow(t, 5000, 3, 0, &p, &n);
	density = (double)n / (5000 - FINGERPRINT_K + 1);
	assert_true(density > 1.6 / (FINGERPRINT_WINDOW + 1) && density < 2.4 / (FINGERPRINT_WINDOW + 1));
	assert_int_equal(p[0].file, 3);
	for (size_t i = 0; i < n; i++)
		assert_true(p[i].last >= p[i].line && p[i].hash < ((uint64_t)1 << FINGERPRINT_HASH_BITS));
	free(p);
	p = NULL;
	n = 0;
	fp_winnow(t, 100, 0, 1, &p, &n);
	assert_int_equal(n, 100 - FINGERPRINT_K + 1);
	free(p);
	p = NULL;
	n = 0;
	fp_winnow(t, FINGERPRINT_K - 1, 0, 0, &p, &n);
	assert_int_equal(n, 0);
	free(p);
}

static void put(const char *dir, const char *rel, const char *text)
{
	struct buf p = BUF_INIT;

	fs_join(&p, dir, rel);
	{
		char *slash = strrchr(p.data, '/');
		*slash = '\0';
		assert_int_equal(fs_mkdirs(p.data), 0);
		*slash = '/';
	}
	assert_int_equal(fs_write_atomic(p.data, text, strlen(text)), 0);
	buf_free(&p);
}

static const char prog[] =
	"use std::collections::HashMap;\n\n"
	"fn count(text: &str) -> HashMap<String, usize> {\n"
	"    let mut m = HashMap::new();\n"
	"    for w in text.split_whitespace() {\n"
	"        *m.entry(w.to_lowercase()).or_insert(0) += 1;\n"
	"    }\n"
	"    m\n"
	"}\n\n"
	"fn top(m: &HashMap<String, usize>, n: usize) -> Vec<(String, usize)> {\n"
	"    let mut v: Vec<(String, usize)> = m.iter().map(|(k, c)| (k.clone(), *c)).collect();\n"
	"    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));\n"
	"    v.truncate(n);\n"
	"    v\n"
	"}\n\n"
	"fn main() {\n"
	"    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();\n"
	"    for (w, c) in top(&count(&text), 10) {\n"
	"        println!(\"{} {}\", w, c);\n"
	"    }\n"
	"}\n";

/* fingerprint_submission() on small trees, then similarity_class() on the reports folder: a
 * renamed copy is found with its region, the starter code is not counted, a vendored copy and a
 * symbolic link are not read, a damaged file is named. */
static void test_class(void **state)
{
	struct buf root = BUF_INIT, dir = BUF_INIT, reports = BUF_INIT, err = BUF_INIT;
	char id[] = "t", starter_rel[] = "starter";
	struct spec_chapter ch = {.id = id, .similarity = {.threshold = 0.5}};
	char *copy = strdup(prog);
	cJSON *tree = NULL;
	const cJSON *pairs, *p, *rust, *region;
	(void)state;

	assert_int_equal(fs_mkdtemp("/tmp", "test-similarity-", &root), 0);
	fs_join(&reports, root.data, "reports");
	/* alice wrote it; bob renamed count -> tally and text -> body */
	put(root.data, "alice/ex4/rust/src/main.rs", prog);
	for (char *s = copy; (s = strstr(s, "count"));)
		memcpy(s, "tally", 5);
	put(root.data, "bob/ex4/rust/src/main.rs", copy);
	/* carol vendored alice's code and linked to it: neither is hers */
	put(root.data, "carol/ex4/rust/vendor/x/src/lib.rs", prog);
	put(root.data, "carol/ex4/rust/src/main.rs", "fn main() { println!(\"hello\"); }\n");
	put(root.data, "carol/ex4/python/latin1.py", "x = '\xe9t\xe9'\n");
	put(root.data, "carol/ex4/python/.hidden/y.py", prog);
	put(root.data, "carol/ex4/rust/target/debug/build/out.rs", prog);
	fs_join(&dir, root.data, "carol/ex4/rust/src/copy.rs");
	assert_int_equal(symlink("../../../../alice/ex4/rust/src/main.rs", dir.data), 0);
	/* dave's code is the starter everyone got, plus nothing */
	put(root.data, "spec/starter/main.rs", prog);
	put(root.data, "dave/ex4/rust/src/main.rs", prog);
	ch.dir = root.data;
	for (const char *const *l = (const char *const[]){"alice", "bob", "carol", NULL}; *l; l++) {
		fs_join(&dir, root.data, *l);
		struct buf out = BUF_INIT;
		fs_join(&out, reports.data, *l);
		assert_int_equal(fingerprint_submission(&ch, *l, dir.data, out.data), 0);
		buf_free(&out);
	}
	{
		struct spec_chapter with_starter = ch;
		struct buf out = BUF_INIT, spec = BUF_INIT;
		char *list[1] = {starter_rel};
		with_starter.similarity.starter = list;
		with_starter.similarity.nstarter = 1;
		put(root.data, "spec/starter/x", "");
		fs_join(&spec, root.data, "spec");
		with_starter.dir = spec.data;
		fs_join(&dir, root.data, "dave");
		fs_join(&out, reports.data, "dave");
		assert_int_equal(fingerprint_submission(&with_starter, "dave", dir.data, out.data), 0);
		buf_free(&out);
		buf_free(&spec);
	}
	{
		char *dirs[1] = {reports.data};
		void *t = NULL;
		assert_int_equal(similarity_class(dirs, 1, -1, &t, &err), 4);
		tree = t;
	}
	assert_string_equal(err.data, "");
	pairs = cJSON_GetObjectItem(tree, "pairs");
	assert_int_equal(cJSON_GetArraySize(pairs), 1); /* carol's and dave's own code is too small */
	p = cJSON_GetArrayItem(pairs, 0);
	assert_string_equal(cJSON_GetObjectItem(p, "a")->valuestring, "alice");
	assert_string_equal(cJSON_GetObjectItem(p, "b")->valuestring, "bob");
	assert_true(cJSON_GetObjectItem(p, "score")->valuedouble > 0.8);
	rust = cJSON_GetObjectItem(cJSON_GetObjectItem(p, "languages"), "rust");
	region = cJSON_GetArrayItem(cJSON_GetObjectItem(rust, "regions"), 0);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(region, "a"), "file")->valuestring,
			    "ex4/rust/src/main.rs");
	assert_true(cJSON_GetObjectItem(cJSON_GetObjectItem(region, "a"), "first")->valuedouble <= 4);
	assert_true(cJSON_GetObjectItem(cJSON_GetObjectItem(region, "a"), "last")->valuedouble >= 18);
	/* carol: one file read, the link skipped and named, the vendored crate not read */
	{
		struct buf fp = BUF_INIT, data = BUF_INIT;
		fs_join(&fp, reports.data, "carol/fingerprints.json");
		assert_int_equal(fs_read_file(fp.data, 1 << 20, &data), 0);
		assert_non_null(strstr(data.data, "\"files\":[\"ex4/rust/src/main.rs\"]"));
		assert_non_null(strstr(data.data, "ex4/rust/src/copy.rs: a symbolic link"));
		assert_null(strstr(data.data, "vendor"));
		assert_non_null(strstr(data.data, "ex4/python/latin1.py: not text (a NUL byte or invalid UTF-8)"));
		assert_null(strstr(data.data, "hidden"));
		assert_null(strstr(data.data, "target"));
		buf_free(&fp);
		buf_free(&data);
		/* dave: everything was starter code */
		fs_join(&fp, reports.data, "dave/fingerprints.json");
		assert_int_equal(fs_read_file(fp.data, 1 << 20, &data), 0);
		assert_non_null(strstr(data.data, "\"fingerprints\":[]"));
		buf_free(&fp);
		buf_free(&data);
	}
	cJSON_Delete(tree);

	/* a damaged file is named; the others are still compared */
	put(reports.data, "eve/fingerprints.json",
	    "{\"kind\": \"grader-fingerprints\", \"schema_version\": 1, "
	    "\"k\": 12, \"window\": 8, \"languages\": {\"rust\": "
	    "{\"files\": [], \"fingerprints\": [[1, 0, 1, 1]]}}}");
	{
		char *dirs[1] = {reports.data};
		void *t = NULL;
		buf_reset(&err);
		assert_int_equal(similarity_class(dirs, 1, 0.9, &t, &err), -1);
		assert_non_null(strstr(err.data, "eve/fingerprints.json: a fingerprint that is not"));
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(t, "pairs")), 1);
		assert_int_equal(cJSON_GetObjectItem(t, "threshold")->valuedouble * 10, 9);
		cJSON_Delete(t);
	}
	fs_rmtree(root.data);
	free(copy);
	buf_free(&root);
	buf_free(&dir);
	buf_free(&reports);
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rust_comments_and_strings),
		cmocka_unit_test(test_rust_lifetimes_and_chars),
		cmocka_unit_test(test_rust_numbers_and_operators),
		cmocka_unit_test(test_python),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_rename_reformat),
		cmocka_unit_test(test_winnow_guarantee),
		cmocka_unit_test(test_winnow_density),
		cmocka_unit_test(test_class),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
