/*
 * Checksums that tell an identifier from a look-alike: the card networks'
 * IIN ranges and lengths (ISO/IEC 7812; Luhn is fx_check's), base58check
 * (Bitcoin P2PKH/P2SH, TRON), bech32 and bech32m (BIP 173, BIP 350), and
 * EIP-55 mixed-case Ethereum addresses over Keccak-256.
 */
#include <stdio.h>
#include <string.h>

#include "link_int.h"
#include "fx_hash.h"
#include "fx_banned.h"

static unsigned prefix_num(const char *d, size_t k)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < k; i++)
		v = v * 10 + (unsigned)(d[i] - '0');
	return v;
}

const char *fx_card_brand(const char *d, size_t n)
{
	unsigned p2 = prefix_num(d, 2), p3 = prefix_num(d, 3), p4 = prefix_num(d, 4);

	if (d[0] == '4' && (n == 13 || n == 16 || n == 19))
		return "visa";
	if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n == 16)
		return "mastercard";
	if ((p2 == 34 || p2 == 37) && n == 15)
		return "amex";
	if (p2 == 62 && n >= 16 && n <= 19)
		return "unionpay";
	if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19)
		return "jcb";
	if ((p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) && n >= 16 && n <= 19)
		return "discover";
	if (((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) && n >= 14 &&
	    n <= 19)
		return "diners";
	return NULL;
}

/* ---- base58check ---- */

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* Decodes s into exactly want bytes; returns 0 or -1. */
static int b58_decode(const char *s, size_t n, uint8_t *out, size_t want)
{
	uint8_t buf[64] = { 0 };
	size_t i, j, zeros = 0, len = 0;
	const char *p;
	unsigned carry;

	while (zeros < n && s[zeros] == '1')
		zeros++;
	for (i = zeros; i < n; i++) {
		p = strchr(b58, s[i]);
		if (!p || !s[i])
			return -1;
		carry = (unsigned)(p - b58);
		for (j = 0; j < len; j++) {
			carry += (unsigned)buf[j] * 58;
			buf[j] = (uint8_t)carry;
			carry >>= 8;
		}
		while (carry) {
			if (len == sizeof(buf))
				return -1;
			buf[len++] = (uint8_t)carry;
			carry >>= 8;
		}
	}
	if (zeros + len != want)
		return -1;
	memset(out, 0, zeros);
	for (j = 0; j < len; j++)
		out[zeros + j] = buf[len - 1 - j];
	return 0;
}

/* The version byte of a valid 25-byte base58check string, or -1. */
static int b58check_version(const char *s, size_t n)
{
	uint8_t raw[25], h[32];

	if (n < 26 || n > 35 || b58_decode(s, n, raw, sizeof(raw)) < 0)
		return -1;
	fx_sha256(raw, 21, h);
	fx_sha256(h, 32, h);
	return memcmp(h, raw + 21, 4) == 0 ? raw[0] : -1;
}

/* ---- bech32 / bech32m ---- */

static uint32_t polymod_step(uint32_t chk, unsigned v)
{
	static const uint32_t gen[5] = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
					 0x2a1462b3 };
	uint32_t b = chk >> 25;
	int i;

	chk = (chk & 0x1ffffff) << 5 ^ v;
	for (i = 0; i < 5; i++)
		if (b >> i & 1)
			chk ^= gen[i];
	return chk;
}

static int bech32_ok(const char *s, size_t n)
{
	static const char cs[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
	char low[91];
	size_t i, sep, groups;
	uint32_t chk = 1;
	int upper = 0, lowc = 0, ver = -1;
	const char *p;

	if (n < 14 || n > 90)
		return 0;
	for (i = 0; i < n; i++) {
		upper |= s[i] >= 'A' && s[i] <= 'Z';
		lowc |= s[i] >= 'a' && s[i] <= 'z';
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	}
	low[n] = '\0';
	if (upper && lowc)
		return 0;
	p = strrchr(low, '1');
	if (!p)
		return 0;
	sep = (size_t)(p - low);
	if (!((sep == 2 && (memcmp(low, "bc", 2) == 0 || memcmp(low, "tb", 2) == 0))))
		return 0;
	for (i = 0; i < sep; i++)
		chk = polymod_step(chk, (unsigned)low[i] >> 5);
	chk = polymod_step(chk, 0);
	for (i = 0; i < sep; i++)
		chk = polymod_step(chk, (unsigned)low[i] & 31);
	for (i = sep + 1; i < n; i++) {
		p = strchr(cs, low[i]);
		if (!p || !low[i])
			return 0;
		if (i == sep + 1)
			ver = (int)(p - cs);
		chk = polymod_step(chk, (unsigned)(p - cs));
	}
	groups = n - sep - 1 - 1 - 6; /* the program's 5-bit groups */
	if (ver == 0)
		return chk == 1 && (groups == 32 || groups == 52);
	if (ver >= 1 && ver <= 16)
		return chk == 0x2bc830a3 && groups * 5 / 8 >= 2 && groups * 5 / 8 <= 40 &&
		       groups * 5 % 8 < 5;
	return 0;
}

/* ---- Keccak-256 and EIP-55 ---- */

static uint64_t rol(uint64_t x, unsigned r)
{
	return r ? x << r | x >> (64 - r) : x;
}

static void keccak_f(uint64_t a[25])
{
	static const uint64_t rc[24] = {
		0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
		0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
		0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
		0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
		0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
		0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
		0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
		0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
	};
	static const unsigned rot[25] = { 0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
					  25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14 };
	uint64_t c[5], b[25];
	int r, x, y;

	for (r = 0; r < 24; r++) {
		for (x = 0; x < 5; x++)
			c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
		for (x = 0; x < 5; x++)
			for (y = 0; y < 5; y++)
				a[x + 5 * y] ^= c[(x + 4) % 5] ^ rol(c[(x + 1) % 5], 1);
		for (x = 0; x < 5; x++)
			for (y = 0; y < 5; y++)
				b[y + 5 * ((2 * x + 3 * y) % 5)] =
					rol(a[x + 5 * y], rot[x + 5 * y]);
		for (x = 0; x < 5; x++)
			for (y = 0; y < 5; y++)
				a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] &
							       b[(x + 2) % 5 + 5 * y]);
		a[0] ^= rc[r];
	}
}

void fx_keccak256(const void *data, size_t n, uint8_t out[32])
{
	const uint8_t *p = data;
	uint8_t block[136];
	uint64_t a[25] = { 0 };
	size_t i, k;

	for (;;) {
		k = n < sizeof(block) ? n : sizeof(block);
		memset(block, 0, sizeof(block));
		memcpy(block, p, k);
		if (k < sizeof(block)) {
			/* Keccak's own padding (0x01), not SHA-3's (0x06). */
			block[k] ^= 0x01;
			block[sizeof(block) - 1] ^= 0x80;
		}
		for (i = 0; i < sizeof(block) / 8; i++) {
			uint64_t w = 0;
			int j;

			for (j = 7; j >= 0; j--)
				w = w << 8 | block[i * 8 + (size_t)j];
			a[i] ^= w;
		}
		keccak_f(a);
		if (k < sizeof(block))
			break;
		p += k;
		n -= k;
	}
	for (i = 0; i < 32; i++)
		out[i] = (uint8_t)(a[i / 8] >> (8 * (i % 8)));
}

static int eth_ok(const char *s, size_t n)
{
	char low[40];
	uint8_t h[32];
	int upper = 0, lowc = 0, nib;
	size_t i;

	if (n != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return 0;
	for (i = 0; i < 40; i++) {
		char c = s[2 + i];

		if (fx_hexval((unsigned char)c) < 0)
			return 0;
		upper |= c >= 'A' && c <= 'F';
		lowc |= c >= 'a' && c <= 'f';
		low[i] = (char)(c >= 'A' && c <= 'F' ? c + 32 : c);
	}
	if (!(upper && lowc))
		return 1; /* one case: no checksum to check */
	fx_keccak256(low, 40, h);
	for (i = 0; i < 40; i++) {
		char c = s[2 + i];

		nib = i % 2 ? h[i / 2] & 0xf : h[i / 2] >> 4;
		if ((c >= 'a' && c <= 'f' && nib >= 8) || (c >= 'A' && c <= 'F' && nib < 8))
			return 0;
	}
	return 1;
}

const char *fx_crypto_check(const char *s, size_t n)
{
	int v;

	if (n == 42 && s[0] == '0')
		return eth_ok(s, n) ? "ethereum" : NULL;
	if (n >= 14 && s[2] == '1' &&
	    (((s[0] | 0x20) == 'b' && (s[1] | 0x20) == 'c') ||
	     ((s[0] | 0x20) == 't' && (s[1] | 0x20) == 'b')))
		return bech32_ok(s, n) ? "bitcoin" : NULL;
	if (s[0] == '1' || s[0] == '3') {
		v = b58check_version(s, n);
		return v == 0x00 || v == 0x05 ? "bitcoin" : NULL;
	}
	if (s[0] == 'T' && n == 34)
		return b58check_version(s, n) == 0x41 ? "tron" : NULL;
	return NULL;
}
