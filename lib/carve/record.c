/*
 * SQLite's record format: varints, serial types, values in the three text
 * encodings, and the keys fx-carve compares records by.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_banned.h"

int fx_carve_varint(const uint8_t *p, size_t n, uint64_t *v)
{
	return cv_varint(p, n, v);
}

int fx_carve_varint_len(uint64_t v)
{
	int n = 1;

	if (v >> 56)
		return 9;
	while (v >>= 7)
		n++;
	return n;
}

int64_t fx_carve_serial_size(uint64_t st)
{
	return cv_st_size(st);
}

uint32_t fx_carve_local(uint64_t p, uint32_t u, int index)
{
	uint64_t x = index ? ((uint64_t)(u - 12) * 64 / 255) - 23 : u - 35;
	uint64_t m = ((uint64_t)(u - 12) * 32 / 255) - 23, k;

	if (p <= x)
		return (uint32_t)p;
	k = m + (p - m) % (u - 4);
	return (uint32_t)(k <= x ? k : m);
}

/*
 * UTF-8 as SQLite keeps it: well-formed, no overlongs or surrogates. A
 * NUL or a C0 control other than tab, newline and carriage return makes
 * the text suspicious (1): apps rarely store them and garbage often has
 * them.
 */
static int utf8_ok(const uint8_t *s, size_t n)
{
	size_t i = 0, k, need;
	uint32_t cp, min;
	int clean = 2;

	while (i < n) {
		uint8_t c = s[i];

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				clean = 1;
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			need = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (i + need >= n)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		if (cp >= 0x80 && cp < 0xa0)
			clean = 1;
		i += need + 1;
	}
	return clean;
}

static uint32_t u16(int enc, const uint8_t *p)
{
	return enc == CV_UTF16LE ? (uint32_t)(p[0] | p[1] << 8) : (uint32_t)(p[0] << 8 | p[1]);
}

static int utf16_ok(int enc, const uint8_t *s, size_t n)
{
	size_t i;
	uint32_t c, d;
	int clean = 2;

	if (n % 2)
		return 0;
	for (i = 0; i < n; i += 2) {
		c = u16(enc, s + i);
		if (c >= 0xd800 && c <= 0xdbff) {
			if (i + 2 >= n)
				return 0;
			d = u16(enc, s + i + 2);
			if (d < 0xdc00 || d > 0xdfff)
				return 0;
			i += 2;
		} else if (c >= 0xdc00 && c <= 0xdfff) {
			return 0;
		} else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			   (c >= 0x80 && c < 0xa0) || c == 0xfffe || c == 0xffff) {
			clean = 1;
		}
	}
	return clean;
}

int cv_text_ok(int enc, const uint8_t *p, size_t n)
{
	if (enc == CV_UTF16LE || enc == CV_UTF16BE)
		return utf16_ok(enc, p, n);
	return utf8_ok(p, n);
}

char *cv_text_utf8(int enc, const uint8_t *p, size_t n, size_t *len)
{
	char *out, *o;
	size_t i;
	uint32_t c, d;

	if (enc != CV_UTF16LE && enc != CV_UTF16BE) {
		if (!utf8_ok(p, n))
			return NULL;
		out = fx_xmalloc(n + 1);
		memcpy(out, p, n);
		out[n] = '\0';
		if (len)
			*len = n;
		return out;
	}
	if (!utf16_ok(enc, p, n))
		return NULL;
	/* Each UTF-16 unit becomes at most 3 bytes; a pair 4 for two units. */
	o = out = fx_xmalloc(n / 2 * 3 + 1);
	for (i = 0; i + 1 < n; i += 2) {
		c = u16(enc, p + i);
		if (c >= 0xd800 && c <= 0xdbff) {
			d = u16(enc, p + i + 2);
			c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
			i += 2;
		}
		o += fx_utf8_encode(c, o);
	}
	*o = '\0';
	if (len)
		*len = (size_t)(o - out);
	return out;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

int cv_float_ok(const uint8_t *p)
{
	uint64_t bits = be64(p);
	unsigned e = (unsigned)(bits >> 52) & 0x7ff;

	/* SQLite stores no NaN (it becomes NULL); garbage often looks like one. */
	if (e == 0x7ff)
		return (bits & 0xfffffffffffffULL) == 0;
	return 1;
}

int64_t cv_int_value(uint64_t st, const uint8_t *p)
{
	uint64_t v;
	int n, i;

	switch (st) {
	case 8:
		return 0;
	case 9:
		return 1;
	case 1:
	case 2:
	case 3:
	case 4:
		n = (int)st;
		break;
	case 5:
		n = 6;
		break;
	default:
		n = 8;
	}
	/* Big-endian two's complement, sign-extended. */
	v = (p[0] & 0x80) ? ~0ULL : 0;
	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return (int64_t)v;
}

json_t *cv_value_json(int enc, uint64_t st, const uint8_t *p, size_t n, const char **type)
{
	double d;
	uint64_t bits;
	size_t len;
	char *s;
	json_t *v;

	if (st == 0) {
		*type = "null";
		return json_null();
	}
	if (st <= 6 || st == 8 || st == 9) {
		*type = "integer";
		return json_integer((json_int_t)cv_int_value(st, p));
	}
	if (st == 7) {
		*type = "real";
		bits = be64(p);
		memcpy(&d, &bits, sizeof(d));
		if (!isfinite(d))
			return json_string(isnan(d) ? "nan" : d > 0 ? "inf" : "-inf");
		return json_real(d);
	}
	if (st % 2 == 0) {
		*type = "blob";
		return fx_json_hex(p, n);
	}
	*type = "text";
	if (enc != CV_UTF16LE && enc != CV_UTF16BE)
		return fx_json_text(p, n); /* a string (NULs kept) or hex */
	s = cv_text_utf8(enc, p, n, &len);
	if (!s)
		return fx_json_hex(p, n);
	v = json_stringn(s, len);
	free(s);
	return v;
}

int cv_compat(int aff, uint64_t st)
{
	int is_int = (st >= 1 && st <= 6) || st == 8 || st == 9;

	if (st == 0)
		return 2;
	if (st == 10 || st == 11)
		return 0;
	switch (aff) {
	case CV_AFF_TEXT:
		/* TEXT affinity turns every number into text before storing it. */
		if (is_int || st == 7)
			return 0;
		return st % 2 ? 2 : 1;
	case CV_AFF_NUMERIC:
		/* Dates as text are as common in NUMERIC (DATETIME, ...) columns as numbers. */
		if (is_int || st == 7 || st % 2)
			return 2;
		return 1;
	case CV_AFF_INTEGER:
	case CV_AFF_REAL:
		/* Text that does not look like a number, and blobs, stay as they are. */
		if (is_int || st == 7)
			return 2;
		return 1;
	default:
		return 2;
	}
}

/* ---- keys ---- */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t cv_hash(const void *data, size_t n, uint64_t seed)
{
	const uint8_t *p = data;
	uint64_t a = seed ^ (n * 0x9e3779b97f4a7c15ULL), b = ~seed, w, x;
	size_t i = 0;

	/* Two independent lanes of multiply-rotate, mixed at the end. */
	for (; i + 16 <= n; i += 16) {
		memcpy(&w, p + i, 8);
		memcpy(&x, p + i + 8, 8);
		a = (a ^ (w * 0x9e3779b97f4a7c15ULL));
		a = ((a << 31) | (a >> 33)) * 0xbf58476d1ce4e5b9ULL;
		b = (b ^ (x * 0xc2b2ae3d27d4eb4fULL));
		b = ((b << 29) | (b >> 35)) * 0x94d049bb133111ebULL;
	}
	if (i + 8 <= n) {
		memcpy(&w, p + i, 8);
		a = mix(a ^ w);
		i += 8;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, p + i, n - i);
		b = mix(b ^ w ^ 0xa5);
	}
	return mix(a ^ mix(b + n));
}

uint64_t cv_rec_key(const uint64_t *st, int n, uint64_t payload, const uint8_t *body,
		    uint32_t body_local)
{
	uint64_t sig = cv_hash(st, (size_t)n * sizeof(*st), payload);
	uint32_t pre = body_local < CV_KEY_PREFIX ? body_local : CV_KEY_PREFIX;
	uint64_t hi = cv_hash(body, pre, sig), lo = cv_hash(body, body_local, sig + 1);

	return (hi & 0xffffffff00000000ULL) | (lo >> 32) | 1;
}

/* LSD radix sort, 11 bits a pass (buckets that stay in cache), with tmp as large as k. */
static void radix_sort(uint64_t *k, uint64_t *tmp, size_t n)
{
	uint64_t *a = k, *b = tmp, *t;
	size_t count[2048], i, sum, c;
	int pass, shift;

	for (pass = 0; pass < 6; pass++) {
		shift = 11 * pass;
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(a[i] >> shift) & 2047]++;
		for (i = 0, sum = 0; i < 2048; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			b[count[(a[i] >> shift) & 2047]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	/* Six passes: the sorted keys are back in k. */
}

void cv_keys_add(struct cv_keys *ks, uint64_t key)
{
	unsigned i = (unsigned)(key >> 56);

	if (ks->b[i].n == ks->b[i].cap) {
		/*
		 * Large from the start, so that the allocator maps each bucket
		 * apart and grows it in place: no freed copies left resident.
		 */
		ks->b[i].cap = ks->b[i].cap ? ks->b[i].cap * 2 : 32768;
		ks->b[i].k = fx_xrealloc(ks->b[i].k, ks->b[i].cap * sizeof(*ks->b[i].k));
	}
	ks->b[i].k[ks->b[i].n++] = key;
	ks->sorted = 0;
}

void cv_keys_sort(struct cv_keys *ks)
{
	size_t i, most = 0;
	uint64_t *tmp;

	if (ks->sorted)
		return;
	for (i = 0; i < CV_KEY_BUCKETS; i++)
		if (ks->b[i].n > most)
			most = ks->b[i].n;
	tmp = fx_xmalloc((most ? most : 1) * sizeof(*tmp));
	for (i = 0; i < CV_KEY_BUCKETS; i++)
		radix_sort(ks->b[i].k, tmp, ks->b[i].n);
	free(tmp);
	ks->sorted = 1;
}

void cv_keys_release(struct cv_keys *ks)
{
	size_t i;

	for (i = 0; i < CV_KEY_BUCKETS; i++)
		free(ks->b[i].k);
	memset(ks, 0, sizeof(*ks));
}

/* The first key of its bucket not below key. */
static size_t lower_bound(const struct cv_keys *ks, uint64_t key)
{
	const uint64_t *k = ks->b[key >> 56].k;
	size_t lo = 0, hi = ks->b[key >> 56].n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (k[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int cv_keys_has(const struct cv_keys *ks, uint64_t key)
{
	size_t i = lower_bound(ks, key);

	return i < ks->b[key >> 56].n && ks->b[key >> 56].k[i] == key;
}

int cv_keys_has_prefix(const struct cv_keys *ks, uint32_t hi)
{
	uint64_t key = (uint64_t)hi << 32;
	size_t i = lower_bound(ks, key);

	return i < ks->b[key >> 56].n && (uint32_t)(ks->b[key >> 56].k[i] >> 32) == hi;
}

int cv_set_add(struct cv_set *s, uint64_t key)
{
	size_t i, mask;
	uint64_t *old;
	size_t oldcap, j;

	if (!key)
		key = 1;
	if ((s->n + 1) * 2 > s->cap) {
		old = s->k;
		oldcap = s->cap;
		s->cap = oldcap ? oldcap * 2 : 1024;
		s->k = fx_xcalloc(s->cap, sizeof(*s->k));
		s->n = 0;
		for (j = 0; j < oldcap; j++)
			if (old[j])
				cv_set_add(s, old[j]);
		free(old);
	}
	mask = s->cap - 1;
	for (i = mix(key) & mask; s->k[i]; i = (i + 1) & mask)
		if (s->k[i] == key)
			return 0;
	s->k[i] = key;
	s->n++;
	return 1;
}

void cv_set_release(struct cv_set *s)
{
	free(s->k);
	s->k = NULL;
	s->n = s->cap = 0;
}

const char *cv_region_name(int r)
{
	static const char *const names[] = {"freeblock", "unallocated", "cell",
					    "freelist",  "unreachable", "index"};

	return r >= 0 && r < (int)(sizeof(names) / sizeof(names[0])) ? names[r] : "unknown";
}
