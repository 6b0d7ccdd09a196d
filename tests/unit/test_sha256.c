/* test_sha256.c: SHA-256 against the FIPS 180-4 / NIST example vectors, fed whole and in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sha256.h"

static void digest(const char *data, size_t len, size_t piece, char hex[SHA256_HEX + 1])
{
	struct sha256 s;

	sha256_init(&s);
	for (size_t off = 0; off < len; off += piece)
		sha256_update(&s, data + off, len - off < piece ? len - off : piece);
	sha256_final_hex(&s, hex);
}

static void test_known_vectors(void **state)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	};
	char hex[SHA256_HEX + 1];
	(void)state;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (size_t piece = 1; piece <= 65; piece += 7) {
			digest(v[i].in, strlen(v[i].in), piece, hex);
			assert_string_equal(hex, v[i].out);
		}
	}
}

static void test_million_a(void **state)
{
	static char a[1000];
	struct sha256 s;
	char hex[SHA256_HEX + 1];
	(void)state;

	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		sha256_update(&s, a, sizeof(a));
	sha256_final_hex(&s, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_million_a),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
