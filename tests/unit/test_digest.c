/* test_digest.c: a folder's digest changes with every thing that makes the folder different
 * (a byte, a name, the executable bit, a link's text) and with nothing else (times, the root's
 * own name). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "digest.h"
#include "fs.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	struct buf p = BUF_INIT;
	char *slash;

	fs_join(&p, root, rel);
	slash = strrchr(p.data, '/');
	*slash = '\0';
	assert_int_equal(fs_mkdirs(p.data), 0);
	*slash = '/';
	assert_int_equal(fs_write_atomic(p.data, text, strlen(text)), 0);
	buf_free(&p);
}

static void digest(const char *rel, char hex[SHA256_HEX + 1])
{
	struct buf p = BUF_INIT;

	fs_join(&p, root, rel);
	assert_int_equal(digest_path(p.data, hex), 0);
	buf_free(&p);
}

static void test_tree_digest(void **state)
{
	char a[SHA256_HEX + 1], b[SHA256_HEX + 1], c[SHA256_HEX + 1];
	struct buf p = BUF_INIT;

	(void)state;
	strcpy(root, "/tmp/test-digest-XXXXXX");
	assert_non_null(mkdtemp(root));
	put("one/src/main.rs", "fn main() {}\n");
	put("one/Cargo.toml", "[package]\n");
	put("two/src/main.rs", "fn main() {}\n");
	put("two/Cargo.toml", "[package]\n");
	digest("one", a);
	digest("two", b);
	assert_string_equal(a, b); /* the same files under another root name */
	assert_int_equal(strlen(a), 64);

	fs_join(&p, root, "two/Cargo.toml");
	assert_int_equal(chmod(p.data, 0755), 0);
	digest("two", b);
	assert_string_not_equal(a, b); /* the executable bit */
	assert_int_equal(chmod(p.data, 0644), 0);
	digest("two", b);
	assert_string_equal(a, b);

	put("two/src/main.rs", "fn main() { }\n");
	digest("two", b);
	assert_string_not_equal(a, b); /* one byte */
	put("two/src/main.rs", "fn main() {}\n");

	fs_join(&p, root, "two/link");
	assert_int_equal(symlink("src/main.rs", p.data), 0);
	digest("two", b);
	assert_string_not_equal(a, b); /* a link, never followed */
	unlink(p.data);
	assert_int_equal(symlink("src/other.rs", p.data), 0);
	digest("two", c);
	assert_string_not_equal(b, c); /* its text */
	unlink(p.data);

	put("two/src/Main.rs", "fn main() {}\n");
	digest("two", b);
	assert_string_not_equal(a, b); /* a new name */

	digest("nothing-here", b);
	digest("nothing-else", c);
	assert_string_not_equal(a, b); /* a missing path has a digest of its own */
	assert_string_equal(b, c);
	digest("one/Cargo.toml", b);
	assert_string_not_equal(a, b); /* a file */

	fs_rmtree(root);
	buf_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_digest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
