/*
 * fx_hash.h - streaming digests over OpenSSL EVP: SHA-256 for evidence,
 * SHA-512 for BagIt manifests, MD5 and SHA-1 only for legacy forms that
 * still ask for them.
 */
#ifndef FX_HASH_H
#define FX_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FX_SHA256_LEN 32
#define FX_SHA256_HEX 65 /* 64 hex digits and a NUL */

enum fx_hash_algo { FX_HASH_SHA256, FX_HASH_SHA1, FX_HASH_MD5, FX_HASH_SHA512 };

/* An incremental digest; _new/_free pair. */
struct fx_hash;

/* Returns a new context (caller fx_hash_free()s); dies on out-of-memory. */
struct fx_hash *fx_hash_new(enum fx_hash_algo algo);
void fx_hash_update(struct fx_hash *h, const void *data, size_t len);
/* Writes the digest to out (fx_hash_len() bytes); the context is reset. */
void fx_hash_final(struct fx_hash *h, uint8_t *out);
size_t fx_hash_len(enum fx_hash_algo algo);
const char *fx_hash_name(enum fx_hash_algo algo);
void fx_hash_free(struct fx_hash *h);

/* One-shot SHA-256 of a buffer. */
void fx_sha256(const void *data, size_t len, uint8_t out[FX_SHA256_LEN]);

/* Lowercase hex of len bytes into out (2*len+1 bytes). Returns out. */
char *fx_hex(const uint8_t *bytes, size_t len, char *out);
/* The value of one hex digit (either case), or -1. */
int fx_hexval(int c);
/* Parses exactly 2*len hex digits; returns 0, or -1 if s is not that. */
int fx_unhex(const char *s, uint8_t *out, size_t len);
/* True when s is 64 lowercase hex digits. */
int fx_is_sha256_hex(const char *s);

/* SHA-256 of a whole file, streamed; hex into out. Returns 0 or -1 (reported). */
int fx_sha256_file(const char *path, char out[FX_SHA256_HEX], uint64_t *size);

#endif
