#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "fx_err.h"
#include "fx_hash.h"
#include "fx_io.h"
#include "fx_banned.h"

struct fx_hash {
	EVP_MD_CTX *ctx;
	const EVP_MD *md;
};

static const EVP_MD *md_of(enum fx_hash_algo algo)
{
	switch (algo) {
	case FX_HASH_SHA1:
		return EVP_sha1();
	case FX_HASH_MD5:
		return EVP_md5();
	case FX_HASH_SHA512:
		return EVP_sha512();
	case FX_HASH_SHA256:
	default:
		return EVP_sha256();
	}
}

struct fx_hash *fx_hash_new(enum fx_hash_algo algo)
{
	struct fx_hash *h = fx_xmalloc(sizeof(*h));

	h->md = md_of(algo);
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex(h->ctx, h->md, NULL))
		fx_die("cannot initialise %s digest", EVP_MD_get0_name(h->md));
	return h;
}

void fx_hash_update(struct fx_hash *h, const void *data, size_t len)
{
	if (len)
		EVP_DigestUpdate(h->ctx, data, len);
}

void fx_hash_final(struct fx_hash *h, uint8_t *out)
{
	unsigned int n;

	EVP_DigestFinal_ex(h->ctx, out, &n);
	EVP_DigestInit_ex(h->ctx, h->md, NULL);
}

size_t fx_hash_len(enum fx_hash_algo algo)
{
	return (size_t)EVP_MD_get_size(md_of(algo));
}

const char *fx_hash_name(enum fx_hash_algo algo)
{
	switch (algo) {
	case FX_HASH_SHA1:
		return "sha1";
	case FX_HASH_MD5:
		return "md5";
	case FX_HASH_SHA512:
		return "sha512";
	case FX_HASH_SHA256:
	default:
		return "sha256";
	}
}

void fx_hash_free(struct fx_hash *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void fx_sha256(const void *data, size_t len, uint8_t out[FX_SHA256_LEN])
{
	unsigned int n;

	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

char *fx_hex(const uint8_t *bytes, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * len] = '\0';
	return out;
}

int fx_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int fx_unhex(const char *s, uint8_t *out, size_t len)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		hi = fx_hexval((unsigned char)s[2 * i]);
		if (hi < 0)
			return -1;
		lo = fx_hexval((unsigned char)s[2 * i + 1]);
		if (lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return s[2 * len] == '\0' ? 0 : -1;
}

int fx_is_sha256_hex(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

static int hash_block(const void *buf, size_t n, void *ctx)
{
	fx_hash_update(ctx, buf, n);
	return 0;
}

int fx_sha256_file(const char *path, char out[FX_SHA256_HEX], uint64_t *size)
{
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	uint8_t md[FX_SHA256_LEN];
	int ret = fx_read_blocks(path, hash_block, h, size);

	fx_hash_final(h, md);
	fx_hash_free(h);
	if (ret == 0)
		fx_hex(md, sizeof(md), out);
	return ret;
}
