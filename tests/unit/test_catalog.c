/* test_catalog.c: catalogs (catalog.c), the sources a learner may cite (sources.c) and the edit
 * distance behind "did you mean" (text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "fs.h"
#include "sources.h"
#include "text.h"

static struct buf dir;

static int setup(void **state)
{
	(void)state;
	return fs_mkdtemp("/tmp", "grader-catalog-", &dir);
}

static int teardown(void **state)
{
	(void)state;
	fs_rmtree(dir.data);
	buf_free(&dir);
	return 0;
}

static const char *put(const char *name, const char *text)
{
	static struct buf p;
	buf_free(&p);
	fs_join(&p, dir.data, name);
	assert_int_equal(fs_write_atomic(p.data, text, strlen(text)), 0);
	return p.data;
}

/* Whether `url` is refused, and with a reason containing `why` (NULL: accepted). */
static void expect_source(const char *url, const char *why, const char *host)
{
	struct buf h = BUF_INIT, w = BUF_INIT;
	int rc = source_check(url, &h, &w);

	if (why) {
		if (rc == 0 || !strstr(buf_str(&w), why))
			fail_msg("%s: refused with \"%s\", expected \"%s\"", url, buf_str(&w), why);
	} else {
		if (rc != 0)
			fail_msg("%s: refused: %s", url, buf_str(&w));
		assert_string_equal(h.data, host);
	}
	buf_free(&h);
	buf_free(&w);
}

static void test_sources(void **state)
{
	(void)state;
	expect_source("https://github.com/pola-rs/polars", NULL, "github.com");
	expect_source("https://WWW.Pola.rs:443/posts/", NULL, "pola.rs");
	expect_source("https://user@blog.rust-lang.org/2024/x.html", NULL, "blog.rust-lang.org");
	expect_source("https://pola.rs/?q=x", NULL, "pola.rs"); /* a query is a page */
	expect_source(NULL, "gives no link", NULL);
	expect_source("", "gives no link", NULL);
	expect_source("http://github.com/x/y", "is not https", NULL);
	expect_source("ftp://x.org/a", "not an https link", NULL);
	expect_source("https://github.com/a b", "spaces or control characters", NULL);
	expect_source("https://127.0.0.1/x", "no real host name", NULL);
	expect_source("https://intranet/x", "no real host name", NULL);
	expect_source("https://a_b.org/x", "no real host name", NULL);
	expect_source("https://example.com/x", "placeholder", NULL);
	expect_source("https://docs.example.org/x", "placeholder", NULL);
	expect_source("https://github.com/your-org/your-repo", "placeholder", NULL);
	expect_source("https://site.test/x", "placeholder", NULL);
	expect_source("https://www.google.com/search?q=polars+rust", "search-results page", NULL);
	expect_source("https://www.google.co.uk/search?q=polars", "search-results page", NULL);
	expect_source("https://google.de/?q=polars", "search-results page", NULL);
	expect_source("https://www.bing.com/search?q=polars", "search-results page", NULL);
	expect_source("https://duckduckgo.com/?q=polars", "search-results page", NULL);
	expect_source("https://github.com/search?q=polars", "search-results page", NULL);
	expect_source("https://crates.io/search?q=ml", "search-results page", NULL);
	expect_source("https://bit.ly/3xYz", "shortened link", NULL);
	expect_source("https://t.co/abc", "shortened link", NULL);
	expect_source("https://chatgpt.com/share/abc", "AI assistant", NULL);
	expect_source("https://qdrant.tech", "front page of qdrant.tech", NULL);
	expect_source("https://qdrant.tech/", "front page of qdrant.tech", NULL);
	expect_source("https://www.qdrant.tech/#top", "front page of qdrant.tech", NULL);
	/* near names that are not the services */
	expect_source("https://googleblog.example2.com/x", NULL, "googleblog.example2.com");
	expect_source("https://github.com/searchlight/x", NULL, "github.com");
	expect_source("https://bit.ly.evil.org/x", NULL, "bit.ly.evil.org");

	assert_true(source_host_within("blog.pola.rs", "pola.rs"));
	assert_true(source_host_within("pola.rs", "pola.rs"));
	assert_false(source_host_within("notpola.rs", "pola.rs"));
	assert_true(source_general_host("docs.rs"));
	assert_true(source_general_host("someone.medium.com"));
	assert_false(source_general_host("cooking-recipes.net"));
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(text_edit_distance("linfaa", "linfa"), 1);
	assert_int_equal(text_edit_distance("candelcore", "candlecore"), 1); /* a swap */
	assert_int_equal(text_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(text_edit_distance("", "abc"), 3);
	assert_int_equal(text_edit_distance("same", "same"), 0);
}

static const char *orgs =
	"catalog: organisations\n"
	"list_pages: ['https://lists.example2.org/rust-ml']\n"
	"entries:\n"
	"  - {name: Apache Software Foundation, kind: foundation, aliases: [apache, asf],\n"
	"     domains: [apache.org], uses: 'hosts projects', source: 'https://apache.org/x'}\n"
	"  - {name: Apache Arrow, kind: project, parent: Apache Software Foundation,\n"
	"     uses: 'arrow-rs', source: 'https://github.com/apache/arrow-rs'}\n"
	"  - {name: Hugging Face, kind: company, aliases: [hf], domains: [huggingface.co],\n"
	"     uses: 'tokenizers', source: 'https://github.com/huggingface/tokenizers'}\n"
	"  - {name: Polars, kind: company, domains: [pola.rs], uses: 'dataframes',\n"
	"     source: 'https://github.com/pola-rs/polars'}\n";

static void test_find_and_suggest(void **state)
{
	struct buf err = BUF_INIT;
	struct catalog *c = catalog_load(put("orgs.yaml", orgs), NULL, &err);
	const struct catalog_entry *arrow;
	(void)state;

	assert_non_null(c);
	assert_string_equal(c->name, "organisations");
	assert_string_equal(catalog_find(c, "HuggingFace, Inc.")->name, "Hugging Face");
	assert_string_equal(catalog_find(c, "HF")->name, "Hugging Face");
	assert_string_equal(catalog_find(c, "Polars (pola.rs)")->name, "Polars");
	assert_string_equal(catalog_find(c, "The Polars Company")->name, "Polars");
	assert_string_equal(catalog_find(c, "ASF (Apache)")->name, "Apache Software Foundation");
	assert_null(catalog_find(c, "Face"));
	assert_null(catalog_find(c, "Polars (unclosed"));
	assert_null(catalog_find(c, ""));
	arrow = catalog_find(c, "apache-arrow");
	assert_string_equal(catalog_top(arrow)->name, "Apache Software Foundation");
	/* sources: own domains, a parent's, general hosts */
	assert_true(catalog_host_related(catalog_find(c, "Polars"), "docs.pola.rs"));
	assert_true(catalog_host_related(arrow, "arrow.apache.org"));
	assert_true(catalog_host_related(arrow, "github.com"));
	assert_false(catalog_host_related(catalog_find(c, "Polars"), "huggingface.co.evil.net"));
	/* near misses */
	assert_string_equal(catalog_suggest(c, "Huging Face")->name, "Hugging Face");
	assert_string_equal(catalog_suggest(c, "Polars DataFrame library")->name, "Polars");
	assert_string_equal(catalog_suggest(c, "Polar")->name, "Polars");
	assert_null(catalog_suggest(c, "Qdrant"));
	assert_null(catalog_suggest(c, "hg")); /* too short to guess */
	assert_null(catalog_suggest(c, "Apache Kafka Streams Platform Thing"));
	catalog_free(c);
	buf_free(&err);
}

static void test_check_errors(void **state)
{
	struct buf err = BUF_INIT;
	(void)state;

	assert_int_equal(
		catalog_check(put("bad.yaml",
				  "catalog: organisations\n"
				  "entries:\n"
				  "  - {name: A, kind: company, uses: u, source: 'https://a.org/x', parent: B}\n"
				  "  - {name: B, kind: shop, uses: u, source: 'https://bit.ly/x', parent: A,\n"
				  "     domains: ['https://b.org']}\n"
				  "  - {name: C, kind: lab, uses: u, source: 'https://c.org/x', aliases: [a]}\n"),
			      &err),
		5);
	assert_non_null(strstr(err.data, "bad.yaml:4:21: unknown kind 'shop'"));
	assert_non_null(strstr(err.data, "bad.yaml:4:44: the source https://bit.ly/x is a shortened link"));
	assert_non_null(strstr(err.data, "'https://b.org' is not a host name"));
	assert_non_null(strstr(err.data, "the parents of 'A' go round in a circle"));
	assert_non_null(strstr(err.data,
			       "bad.yaml:6:5: an alias of 'C' normalises to 'a', which already names 'A'"));
	buf_reset(&err);
	assert_int_equal(
		catalog_check(put("crates.yaml",
				  "catalog: crates\n"
				  "entries:\n"
				  "  - {name: x, category: web, ml: true, maintained: true, source: 'https://x.org/a'}\n"
				  "  - {name: y, category: nlp, ml: true, source: 'https://x.org/b'}\n"
				  "  - {name: z, category: serialization, ml: false, judged: 2026-13-40, source: 'https://x.org/c'}\n"),
			      &err),
		5);
	assert_non_null(strstr(err.data, "category 'web' is not one of the ML categories"));
	assert_non_null(strstr(err.data, "an ML crate needs 'maintained'"));
	assert_non_null(strstr(err.data, "an ML crate needs 'judged'"));
	assert_non_null(strstr(err.data, "'judged' must be a date"));
	buf_free(&err);
}

static void test_class_decisions(void **state)
{
	struct buf err = BUF_INIT;
	char *cat = strdup(put("orgs.yaml", orgs));
	struct catalog *c;
	const struct catalog_entry *e;
	(void)state;

	c = catalog_load(cat,
			 put("class.yaml",
			     "organisations:\n"
			     "  accepted: [{name: Candle Labs, key: candlelabs, by: t, when: 2026-12-01}]\n"
			     "  rejected: [{name: My Blog, key: myblog, by: t, when: 2026-12-01,\n"
			     "              reason: not an organisation}]\n"
			     "crates:\n  accepted: [{name: x, key: x, by: t, when: 2026-12-01}]\n"),
			 &err);
	assert_non_null(c);
	e = catalog_find(c, "candle-labs");
	assert_int_equal(e->origin, CATALOG_ACCEPTED);
	e = catalog_find(c, "MY BLOG");
	assert_int_equal(e->origin, CATALOG_REJECTED);
	assert_string_equal(e->reason, "not an organisation");
	assert_null(catalog_find(c, "x")); /* the crates' decisions are not the organisations' */
	assert_null(catalog_suggest(c, "Candle Lab")); /* suggestions only from the chapter's */
	catalog_free(c);
	c = catalog_load(cat, put("class.yaml", "organisations:\n  acepted: []\n"), &err);
	assert_null(c);
	assert_non_null(strstr(
		err.data, "class.yaml:2:3: 'acepted' is not a key of organisations (did you mean 'accepted'?)"));
	free(cat);
	buf_free(&err);
}

/* The chapter's catalogs know the field: at least 40 organisations, 60 ML crates over every ML
 * category and 100 general-purpose crates, each ML crate with its maintenance judged. */
static void test_chapter_catalogs(void **state)
{
	static const char *const ml[] = {"classical-ml", "deep-learning", "tensors-linalg", "dataframes",
					 "inference",    "nlp",           "vector-search"};
	struct buf err = BUF_INIT;
	struct catalog *org = catalog_load("specs/ch01/catalog/organisations.yaml", NULL, &err);
	struct catalog *crates = catalog_load("specs/ch01/catalog/crates.yaml", NULL, &err);
	size_t nml = 0, nother = 0, parents = 0;
	(void)state;

	assert_non_null(org);
	assert_non_null(crates);
	assert_true(org->n >= 40);
	for (size_t i = 0; i < org->n; i++) {
		assert_non_null(org->entries[i].source);
		assert_non_null(org->entries[i].uses);
		parents += org->entries[i].parent != NULL;
	}
	assert_true(parents >= 5);
	assert_string_equal(catalog_top(catalog_find(org, "Apache DataFusion"))->name,
			    "Apache Software Foundation");
	for (size_t i = 0; i < crates->n; i++) {
		const struct catalog_entry *e = &crates->entries[i];
		if (e->ml) {
			nml++;
			assert_non_null(e->judged);
		} else {
			nother++;
		}
	}
	assert_true(nml >= 60);
	assert_true(nother >= 100);
	for (size_t c = 0; c < sizeof(ml) / sizeof(*ml); c++) {
		size_t n = 0;
		for (size_t i = 0; i < crates->n; i++)
			n += crates->entries[i].category && !strcmp(crates->entries[i].category, ml[c]);
		if (n < 4)
			fail_msg("category %s has %zu crates", ml[c], n);
	}
	assert_false(catalog_find(crates, "serde")->ml);
	assert_false(catalog_find(crates, "tokio")->ml);
	catalog_free(org);
	catalog_free(crates);
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sources),          cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_find_and_suggest), cmocka_unit_test(test_check_errors),
		cmocka_unit_test(test_class_decisions),  cmocka_unit_test(test_chapter_catalogs),
	};
	return cmocka_run_group_tests_name("catalog", tests, setup, teardown);
}
