/*
 * Look-alike hosts: punycode labels decoded (RFC 3492), the scripts of
 * each label checked against the mixtures UTS #39 accepts as "highly
 * restrictive", and characters that are easily taken for ASCII letters
 * (a working subset of UTS #39's confusables, the ones phishing domains
 * use) mapped to the letter they imitate, giving the host's skeleton.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_banned.h"

#define PC_BASE 36
#define PC_TMIN 1
#define PC_TMAX 26
#define PC_SKEW 38
#define PC_DAMP 700

static uint32_t adapt(uint32_t delta, uint32_t points, int first)
{
	uint32_t k = 0;

	delta = first ? delta / PC_DAMP : delta / 2;
	delta += delta / points;
	while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
		delta /= PC_BASE - PC_TMIN;
		k += PC_BASE;
	}
	return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

static int pc_digit(char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '0' && c <= '9')
		return c - '0' + 26;
	return PC_BASE;
}

long web_punycode_decode(const char *in, size_t len, uint32_t *out, size_t max)
{
	uint32_t n = 128, i = 0, bias = 72, oldi, w, k, t, digit;
	size_t b = 0, j, pos, outn = 0;

	for (j = 0; j < len; j++)
		if (in[j] == '-')
			b = j;
	if (b > max)
		return -1;
	for (j = 0; j < b; j++) {
		if ((unsigned char)in[j] >= 0x80)
			return -1;
		out[outn++] = (unsigned char)in[j];
	}
	for (pos = b > 0 ? b + 1 : 0; pos < len;) {
		oldi = i;
		w = 1;
		for (k = PC_BASE;; k += PC_BASE) {
			if (pos >= len)
				return -1;
			digit = (uint32_t)pc_digit(in[pos++]);
			if (digit >= PC_BASE || digit > (UINT32_MAX - i) / w)
				return -1;
			i += digit * w;
			t = k <= bias ? PC_TMIN : k >= bias + PC_TMAX ? PC_TMAX : k - bias;
			if (digit < t)
				break;
			if (w > UINT32_MAX / (PC_BASE - t))
				return -1;
			w *= PC_BASE - t;
		}
		bias = adapt(i - oldi, (uint32_t)outn + 1, oldi == 0);
		if (i / (outn + 1) > UINT32_MAX - n)
			return -1;
		n += i / (uint32_t)(outn + 1);
		i %= (uint32_t)(outn + 1);
		if (outn >= max || n > 0x10ffff)
			return -1;
		memmove(out + i + 1, out + i, (outn - i) * sizeof(*out));
		out[i++] = n;
		outn++;
	}
	return (long)outn;
}

enum script {
	S_COMMON,
	S_INHERITED,
	S_LATIN,
	S_GREEK,
	S_CYRILLIC,
	S_ARMENIAN,
	S_HEBREW,
	S_ARABIC,
	S_DEVANAGARI,
	S_THAI,
	S_GEORGIAN,
	S_CHEROKEE,
	S_HANGUL,
	S_HIRAGANA,
	S_KATAKANA,
	S_BOPOMOFO,
	S_HAN,
	S_OTHER,
	S_COUNT
};

static const char *const script_names[S_COUNT] = {
	"Common", "Inherited", "Latin",      "Greek",    "Cyrillic", "Armenian",
	"Hebrew", "Arabic",    "Devanagari", "Thai",     "Georgian", "Cherokee",
	"Hangul", "Hiragana",  "Katakana",   "Bopomofo", "Han",      "Other",
};

static const struct {
	uint32_t lo, hi;
	enum script s;
} ranges[] = {
	{0x30, 0x39, S_COMMON},       {0x41, 0x5a, S_LATIN},        {0x61, 0x7a, S_LATIN},
	{0xc0, 0xd6, S_LATIN},        {0xd8, 0xf6, S_LATIN},        {0xf8, 0x24f, S_LATIN},
	{0x250, 0x2af, S_LATIN},      {0x300, 0x36f, S_INHERITED},  {0x370, 0x3ff, S_GREEK},
	{0x400, 0x52f, S_CYRILLIC},   {0x530, 0x58f, S_ARMENIAN},   {0x590, 0x5ff, S_HEBREW},
	{0x600, 0x6ff, S_ARABIC},     {0x750, 0x77f, S_ARABIC},     {0x900, 0x97f, S_DEVANAGARI},
	{0xe00, 0xe7f, S_THAI},       {0x10a0, 0x10ff, S_GEORGIAN}, {0x1100, 0x11ff, S_HANGUL},
	{0x13a0, 0x13ff, S_CHEROKEE}, {0x1e00, 0x1eff, S_LATIN},    {0x1f00, 0x1fff, S_GREEK},
	{0x2c60, 0x2c7f, S_LATIN},    {0x2de0, 0x2dff, S_CYRILLIC}, {0x3040, 0x309f, S_HIRAGANA},
	{0x30a0, 0x30ff, S_KATAKANA}, {0x3100, 0x312f, S_BOPOMOFO}, {0x3130, 0x318f, S_HANGUL},
	{0x3400, 0x4dbf, S_HAN},      {0x4e00, 0x9fff, S_HAN},      {0xa640, 0xa69f, S_CYRILLIC},
	{0xa720, 0xa7ff, S_LATIN},    {0xac00, 0xd7af, S_HANGUL},   {0xf900, 0xfaff, S_HAN},
	{0xff10, 0xff19, S_COMMON},   {0xff21, 0xff3a, S_LATIN},    {0xff41, 0xff5a, S_LATIN},
	{0x20000, 0x2ffff, S_HAN},
};

static enum script script_of(uint32_t c)
{
	size_t i;

	if (c == '-' || c == '_')
		return S_COMMON;
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (c >= ranges[i].lo && c <= ranges[i].hi)
			return ranges[i].s;
	return S_OTHER;
}

/* Characters taken for an ASCII letter or digit, and that letter. */
static const struct {
	uint32_t c;
	char a;
} confusables[] = {
	{0x0131, 'i'}, {0x0237, 'j'}, {0x0251, 'a'}, {0x0261, 'g'}, {0x0269, 'i'}, {0x03b1, 'a'},
	{0x03b3, 'y'}, {0x03b9, 'i'}, {0x03ba, 'k'}, {0x03bd, 'v'}, {0x03bf, 'o'}, {0x03c1, 'p'},
	{0x03c5, 'u'}, {0x03c7, 'x'}, {0x03c9, 'w'}, {0x03f2, 'c'}, {0x03f3, 'j'}, {0x0430, 'a'},
	{0x0431, '6'}, {0x0433, 'r'}, {0x0435, 'e'}, {0x043e, 'o'}, {0x043f, 'n'}, {0x0440, 'p'},
	{0x0441, 'c'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x044c, 'b'}, {0x0455, 's'}, {0x0456, 'i'},
	{0x0458, 'j'}, {0x04af, 'y'}, {0x04bb, 'h'}, {0x04cf, 'l'}, {0x0501, 'd'}, {0x051b, 'q'},
	{0x051d, 'w'}, {0x0563, 'q'}, {0x0570, 'h'}, {0x0578, 'n'}, {0x057c, 'n'}, {0x057d, 'u'},
	{0x0581, 'g'}, {0x0585, 'o'}, {0x13a0, 'd'}, {0x13a1, 'r'}, {0x13a2, 't'}, {0x13a5, 'i'},
	{0x13aa, 'a'}, {0x13ab, 'j'}, {0x13ac, 'e'}, {0x13b3, 'w'}, {0x13b7, 'm'}, {0x13bb, 'h'},
	{0x13c0, 'g'}, {0x13c2, 'h'}, {0x13c3, 'z'}, {0x13cf, 'b'}, {0x13d2, 'r'}, {0x13da, 's'},
	{0x13de, 'l'}, {0x13df, 'c'}, {0x13e2, 'p'}, {0x1d00, 'a'}, {0x1d04, 'c'}, {0x1d0f, 'o'},
	{0x1d1c, 'u'}, {0x1d20, 'v'}, {0x1d21, 'w'}, {0x1d22, 'z'}, {0x2113, 'l'},
};

static char confusable(uint32_t c)
{
	size_t lo = 0, hi = sizeof(confusables) / sizeof(confusables[0]), mid;

	/* Fullwidth ASCII is ASCII to the eye. */
	if (c >= 0xff01 && c <= 0xff5e)
		return (char)tolower((int)(c - 0xfee0));
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (confusables[mid].c == c)
			return confusables[mid].a;
		if (confusables[mid].c < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Decodes UTF-8 into cps; returns the count, or -1 when not UTF-8. */
static long utf8_decode(const char *s, size_t len, uint32_t *cps, size_t max)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n = 0;
	uint32_t c;
	int more;

	while (p < end) {
		if (n >= max)
			return -1;
		if (*p < 0x80) {
			c = *p++;
			more = 0;
		} else if ((*p & 0xe0) == 0xc0) {
			c = *p++ & 0x1f;
			more = 1;
		} else if ((*p & 0xf0) == 0xe0) {
			c = *p++ & 0x0f;
			more = 2;
		} else if ((*p & 0xf8) == 0xf0) {
			c = *p++ & 0x07;
			more = 3;
		} else {
			return -1;
		}
		for (; more; more--) {
			if (p == end || (*p & 0xc0) != 0x80)
				return -1;
			c = c << 6 | (*p++ & 0x3f);
		}
		cps[n++] = c;
	}
	return (long)n;
}

/* UTS #39 highly restrictive: one script, or one of the CJK mixtures. */
static int allowed_mix(unsigned set)
{
	unsigned jpan = 1u << S_LATIN | 1u << S_HAN | 1u << S_HIRAGANA | 1u << S_KATAKANA;
	unsigned hanb = 1u << S_LATIN | 1u << S_HAN | 1u << S_BOPOMOFO;
	unsigned kore = 1u << S_LATIN | 1u << S_HAN | 1u << S_HANGUL;

	set &= ~(1u << S_COMMON | 1u << S_INHERITED);
	if ((set & (set - 1)) == 0)
		return 1;
	return (set & ~jpan) == 0 || (set & ~hanb) == 0 || (set & ~kore) == 0;
}

static int ascii_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

int web_look_host(const char *host, struct web_look *l)
{
	struct fx_buf uni = FX_BUF_INIT, skel = FX_BUF_INIT;
	uint32_t cps[256];
	const char *p = host, *dot;
	unsigned all = 0, set;
	size_t len, start;
	int nonascii;
	long n, i;
	int s;
	char a;

	memset(l, 0, sizeof(*l));
	while (*p) {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		n = -1;
		if (len > 4 && strncasecmp(p, "xn--", 4) == 0) {
			l->punycode = 1;
			n = web_punycode_decode(p + 4, len - 4, cps, 256);
			if (n < 0)
				l->bad_punycode = 1;
		} else {
			n = utf8_decode(p, len, cps, 256);
		}
		if (n < 0) {
			/* Kept as written when it cannot be decoded. */
			fx_buf_add(&uni, p, len);
			fx_buf_add(&skel, p, len);
		}
		set = 0;
		start = skel.len;
		nonascii = 0;
		for (i = 0; i < n; i++) {
			if (cps[i] >= 0x80)
				nonascii = 1;
			s = script_of(cps[i]);
			set |= 1u << s;
			fx_buf_add_utf8(&uni, cps[i]);
			a = cps[i] >= 0x80 ? confusable(cps[i]) : 0;
			if (a) {
				fx_buf_add(&skel, &a, 1);
			} else {
				a = (char)tolower((int)(cps[i] < 0x80 ? cps[i] : 0));
				if (a)
					fx_buf_add(&skel, &a, 1);
				else
					fx_buf_add_utf8(&skel, cps[i]);
			}
		}
		if (n > 0 && !allowed_mix(set))
			l->mixed = 1;
		/*
		 * Confusable: the label is not ASCII but its skeleton is, so it can
		 * pass for an ASCII label ("раураl" for "paypal"); a Cyrillic
		 * word that reads as Cyrillic is not.
		 */
		if (nonascii && n > 0 && ascii_only(skel.data + start, skel.len - start))
			l->confusable = 1;
		all |= set;
		p += len;
		if (*p == '.') {
			fx_buf_add(&uni, ".", 1);
			fx_buf_add(&skel, ".", 1);
			p++;
		}
	}
	for (s = S_LATIN; s < S_COUNT; s++)
		if (all & 1u << s) {
			if (l->scripts[0])
				strncat(l->scripts, ",",
					sizeof(l->scripts) - strlen(l->scripts) - 1);
			strncat(l->scripts, script_names[s],
				sizeof(l->scripts) - strlen(l->scripts) - 1);
		}
	fx_buf_add(&uni, "", 0);
	fx_buf_add(&skel, "", 0);
	l->unicode = uni.data;
	l->skeleton = skel.data;
	return 0;
}

void web_look_release(struct web_look *l)
{
	free(l->unicode);
	free(l->skeleton);
	memset(l, 0, sizeof(*l));
}
