/* sha256.h: SHA-256 (FIPS 180-4), for content keys such as a build's target directory: the
 * digest of everything that decides what a build makes. Not for secrets: no constant-time
 * promise, no key derivation. */
#ifndef GRADER_SHA256_H
#define GRADER_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX 64 /* hex digits of a digest */

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char blk[64];
	size_t n;
};

void sha256_init(struct sha256 *s);
/* Adds `n` bytes. */
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Finishes: the digest as 64 lowercase hex digits and a NUL in `hex`. `s` is spent. */
void sha256_final_hex(struct sha256 *s, char hex[SHA256_HEX + 1]);

#endif
