/*
 * Phone numbers to E.164: a compact table of country calling codes with
 * the lengths of their national significant numbers (ITU-T E.164 and the
 * national numbering plans), and China's plan in full (mobile 1[3-9] and
 * eleven digits; landlines by area code; service numbers).
 */
#include <string.h>

#include "link_int.h"
#include "fx_banned.h"

static const struct cc {
	unsigned short cc;
	char region[3];
	unsigned char min, max; /* digits of the national significant number */
} ccs[] = {
	{ 1, "US", 10, 10 },   { 7, "RU", 10, 10 },   { 20, "EG", 8, 10 },
	{ 27, "ZA", 9, 9 },    { 30, "GR", 10, 10 },  { 31, "NL", 9, 9 },
	{ 32, "BE", 8, 9 },    { 33, "FR", 9, 9 },    { 34, "ES", 9, 9 },
	{ 36, "HU", 8, 9 },    { 39, "IT", 6, 11 },   { 40, "RO", 9, 9 },
	{ 41, "CH", 9, 9 },    { 43, "AT", 7, 13 },   { 44, "GB", 9, 10 },
	{ 45, "DK", 8, 8 },    { 46, "SE", 7, 13 },   { 47, "NO", 8, 8 },
	{ 48, "PL", 9, 9 },    { 49, "DE", 6, 13 },   { 51, "PE", 8, 9 },
	{ 52, "MX", 10, 10 },  { 54, "AR", 10, 11 },  { 55, "BR", 10, 11 },
	{ 56, "CL", 9, 9 },    { 57, "CO", 8, 10 },   { 58, "VE", 10, 10 },
	{ 60, "MY", 8, 10 },   { 61, "AU", 9, 9 },    { 62, "ID", 8, 12 },
	{ 63, "PH", 8, 10 },   { 64, "NZ", 8, 10 },   { 65, "SG", 8, 8 },
	{ 66, "TH", 8, 9 },    { 81, "JP", 9, 10 },   { 82, "KR", 8, 10 },
	{ 84, "VN", 9, 10 },   { 86, "CN", 10, 11 },  { 90, "TR", 10, 10 },
	{ 91, "IN", 10, 10 },  { 92, "PK", 9, 10 },   { 93, "AF", 9, 9 },
	{ 94, "LK", 9, 9 },    { 95, "MM", 7, 10 },   { 98, "IR", 10, 10 },
	{ 212, "MA", 9, 9 },   { 213, "DZ", 9, 9 },   { 234, "NG", 8, 10 },
	{ 254, "KE", 9, 9 },   { 351, "PT", 9, 9 },   { 352, "LU", 6, 11 },
	{ 353, "IE", 7, 9 },   { 358, "FI", 6, 12 },  { 380, "UA", 9, 9 },
	{ 420, "CZ", 9, 9 },   { 852, "HK", 8, 8 },   { 853, "MO", 8, 8 },
	{ 855, "KH", 8, 9 },   { 856, "LA", 8, 10 },  { 880, "BD", 10, 10 },
	{ 886, "TW", 8, 9 },   { 960, "MV", 7, 7 },   { 966, "SA", 9, 9 },
	{ 971, "AE", 8, 9 },   { 972, "IL", 8, 9 },   { 974, "QA", 8, 8 },
	{ 977, "NP", 8, 10 },
};

#define NCC (sizeof(ccs) / sizeof(ccs[0]))

static const struct cc *by_code(const char *d, size_t n, size_t *cclen)
{
	size_t i, k;
	unsigned v;

	for (k = 1; k <= 3 && k < n; k++) {
		v = 0;
		for (i = 0; i < k; i++)
			v = v * 10 + (unsigned)(d[i] - '0');
		for (i = 0; i < NCC; i++)
			if (ccs[i].cc == v) {
				*cclen = k;
				return &ccs[i];
			}
	}
	return NULL;
}

static const struct cc *by_region(const char *r)
{
	size_t i;

	for (i = 0; i < NCC; i++)
		if (r && (r[0] | 0x20) == (ccs[i].region[0] | 0x20) &&
		    (r[1] | 0x20) == (ccs[i].region[1] | 0x20) && !r[2])
			return &ccs[i];
	return NULL;
}

const char *fx_phone_region(const char *e164)
{
	const struct cc *c;
	size_t k;

	if (!e164 || e164[0] != '+')
		return NULL;
	c = by_code(e164 + 1, strlen(e164 + 1), &k);
	return c ? c->region : NULL;
}

/* China's national significant numbers (no trunk 0). */
static const char *cn_kind(const char *d, size_t n)
{
	if (n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9')
		return "mobile";
	/* Beijing 10 and the 2x cities: 2-digit area, 8-digit subscriber. */
	if (n == 10 && ((d[0] == '1' && d[1] == '0') || d[0] == '2') && d[2] >= '2')
		return "landline";
	/* Other areas: 3-digit codes 3xx–9xx, 7- or 8-digit subscribers. */
	if ((n == 10 || n == 11) && d[0] >= '3' && d[3] >= '2')
		return "landline";
	return NULL;
}

static const char *nanp_kind(const char *d, size_t n)
{
	return n == 10 && d[0] >= '2' && d[3] >= '2' ? "other" : NULL;
}

int fx_phone_norm(const char *s, size_t n, const char *region, int lenient, char out[32],
		  const char **detail)
{
	char d[24];
	size_t i, nd = 0, cclen = 0, k = 0;
	const struct cc *c = NULL;
	const char *kind = NULL;
	int plus = 0, intl;

	for (i = 0; i < n; i++) {
		if (link_digit(s[i])) {
			if (nd == sizeof(d) - 1)
				return -1;
			d[nd++] = s[i];
		} else if (s[i] == '+' && nd == 0 && !plus) {
			plus = 1;
		} else if (!strchr(" -().\t", s[i])) {
			return -1;
		}
	}
	d[nd] = '\0';
	intl = plus;
	if (!plus && nd > 4 && d[0] == '0' && d[1] == '0') {
		/* 00 is the international prefix in most of the world. */
		memmove(d, d + 2, nd - 1);
		nd -= 2;
		intl = 1;
	}
	if (intl) {
		c = by_code(d, nd, &cclen);
		if (!c)
			return -1;
		k = cclen;
	} else {
		c = by_region(region ? region : "CN");
		if (!c)
			return -1;
		if (lenient && nd >= 3 && nd <= 6) {
			memcpy(out, d, nd + 1);
			*detail = "service";
			return 0;
		}
		if (c->cc == 1) {
			if (nd == 11 && d[0] == '1')
				k = 1;
		} else if (d[0] == '0') {
			k = 1; /* the trunk prefix */
		} else if (c->cc != 86 || d[0] != '1') {
			/* without its trunk 0 a national number is a local one */
			if (c->cc == 86)
				return -1;
		}
		if (c->cc == 86 && d[0] == '0' && nd > 1 && d[1] == '1' && d[2] != '0')
			return -1; /* no CN area code starts 01 other than 010 */
	}
	nd -= k;
	if (nd < c->min || nd > c->max)
		return -1;
	if (c->cc == 86)
		kind = cn_kind(d + k, nd);
	else if (c->cc == 1)
		kind = nanp_kind(d + k, nd);
	else
		kind = d[k] != '0' ? "other" : NULL;
	if (!kind)
		return -1;
	if (snprintf(out, 32, "+%u%s", c->cc, d + k) >= 32)
		return -1;
	*detail = kind;
	return 0;
}
