/*
 * Finding indicators in text: one pass per family over the text, the
 * stronger finds first (a URL, then an e-mail address, a payment code, a
 * wallet, a card) so that the weaker ones (a bare domain, an IP address,
 * a phone number) are not also found inside them.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "link_int.h"
#include "fx_check.h"
#include "fx_banned.h"

#define MAX_FOUND 128
/* The byte of the text t at i, as a character code. */
#define AT(i) ((unsigned char)t[i])

struct scan {
	const char *t;
	size_t n;
	const struct fx_link_opts *o;
	struct fx_ind found[MAX_FOUND];
	size_t nfound;
	/* spans taken by a stronger find */
	size_t used[MAX_FOUND][2];
	size_t nused;
};

static const char *const kind_names[FX_IND_COUNT] = {
	"url", "domain", "ip", "email", "phone", "card", "crypto", "account", "payqr",
};

const char *fx_ind_name(enum fx_ind_kind k)
{
	return k < FX_IND_COUNT ? kind_names[k] : "?";
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int is_used(const struct scan *s, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < s->nused; i++)
		if (off < s->used[i][1] && off + len > s->used[i][0])
			return 1;
	return 0;
}

static void use(struct scan *s, size_t off, size_t len)
{
	if (s->nused < MAX_FOUND) {
		s->used[s->nused][0] = off;
		s->used[s->nused][1] = off + len;
		s->nused++;
	}
}

/* Records a find; value is copied (and cut at FX_IND_MAX - 1 bytes). */
static void found(struct scan *s, enum fx_ind_kind k, const char *value, size_t vlen,
		  const char *detail, size_t off, size_t len)
{
	struct fx_ind *f;

	if (s->nfound == MAX_FOUND)
		return;
	f = &s->found[s->nfound++];
	f->kind = k;
	if (vlen >= FX_IND_MAX)
		vlen = FX_IND_MAX - 1;
	memcpy(f->value, value, vlen);
	f->value[vlen] = '\0';
	f->detail = detail;
	f->off = off;
	f->len = len;
}

static void found_lower(struct scan *s, enum fx_ind_kind k, const char *v, size_t vlen,
			const char *detail, size_t off, size_t len)
{
	char buf[FX_IND_MAX];
	size_t i;

	if (vlen >= FX_IND_MAX)
		vlen = FX_IND_MAX - 1;
	for (i = 0; i < vlen; i++)
		buf[i] = (char)lower((unsigned char)v[i]);
	found(s, k, buf, vlen, detail, off, len);
}

/* ---- domains and IP addresses ---- */

static const psl_ctx_t *psl(void)
{
	return psl_builtin();
}

/* File name extensions that are also top-level domains: not domains when bare. */
static const char *const ext_tlds[] = { "ai", "cc", "md", "mov", "pl", "ps", "py", "rs",
					"sh", "so", "zip", NULL };

int link_domain_ok(const char *host, size_t n)
{
	char buf[256], *tld;
	const char *reg;
	size_t i, lab = 0;

	if (n < 4 || n >= sizeof(buf))
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)host[i];

		if (c == '.') {
			if (lab == 0 || host[i - 1] == '-')
				return 0;
			lab = 0;
		} else if (link_alnum(c) || (c == '-' && lab > 0)) {
			if (++lab > 63)
				return 0;
		} else {
			return 0;
		}
		buf[i] = (char)lower(c);
	}
	if (lab == 0 || host[n - 1] == '-')
		return 0;
	buf[n] = '\0';
	tld = strrchr(buf, '.');
	if (!tld)
		return 0;
	for (i = 1; tld[i]; i++)
		if (!(tld[i] >= 'a' && tld[i] <= 'z'))
			return 0;
	if (i < 3)
		return 0;
	if (!psl())
		return 1;
	/* A known suffix, not the list's catch-all rule for unknown ones. */
	if (!psl_is_public_suffix2(psl(), tld + 1, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE))
		return 0;
	reg = psl_registrable_domain(psl(), buf);
	return reg != NULL;
}

int link_ip_norm(const char *s, size_t n, char out[64])
{
	char buf[64];
	unsigned char a[16];

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, a) == 1)
		return inet_ntop(AF_INET, a, out, 64) ? 0 : -1;
	if (inet_pton(AF_INET6, buf, a) == 1)
		return inet_ntop(AF_INET6, a, out, 64) ? 0 : -1;
	return -1;
}

/* Emits host as a domain or an IP indicator. */
static void host_ind(struct scan *s, const char *h, size_t n, size_t off)
{
	char ip[64];

	if (n > 2 && h[0] == '[' && h[n - 1] == ']') {
		if (link_ip_norm(h + 1, n - 2, ip) == 0)
			found(s, FX_IND_IP, ip, strlen(ip), "v6", off + 1, n - 2);
		return;
	}
	if (link_ip_norm(h, n, ip) == 0)
		found(s, FX_IND_IP, ip, strlen(ip), strchr(ip, ':') ? "v6" : "v4", off, n);
	else if (link_domain_ok(h, n))
		found_lower(s, FX_IND_DOMAIN, h, n, NULL, off, n);
}

/* ---- URLs and payment codes ---- */

static int url_char(int c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"'<>`{}|\\^", c);
}

static int prefix_ci(const char *s, size_t n, const char *p)
{
	size_t i;

	for (i = 0; p[i]; i++)
		if (i >= n || lower((unsigned char)s[i]) != (unsigned char)p[i])
			return 0;
	return 1;
}

static void scan_urls(struct scan *s)
{
	static const char *const schemes[] = { "https://", "http://", "ftp://", "wxp://",
					       "www.", NULL };
	const char *t = s->t;
	size_t i, j, k, h0, h1, end;
	int sc;

	for (i = 0; i < s->n; i++) {
		if (i > 0 && link_alnum(AT(i - 1)))
			continue;
		for (sc = 0; schemes[sc]; sc++)
			if (prefix_ci(t + i, s->n - i, schemes[sc]))
				break;
		if (!schemes[sc])
			continue;
		for (end = i; end < s->n && url_char(AT(end)); end++)
			;
		/* Punctuation after a URL ends the sentence, not the URL. */
		while (end > i && strchr(".,;:!?)]", t[end - 1]))
			end--;
		h0 = i + (sc == 4 ? 0 : strlen(schemes[sc]));
		if (end <= h0)
			continue;
		if (sc == 3) {
			/* wxp://… is WeChat Pay's own scheme: a payment code. */
			found(s, FX_IND_PAYQR, t + i, end - i, "wechat", i, end - i);
			use(s, i, end - i);
			i = end;
			continue;
		}
		/* The host: after any user@, before a port, path, query or fragment. */
		for (k = h0; k < end && !strchr("/?#", t[k]); k++)
			if (t[k] == '@')
				h0 = k + 1;
		if (h0 < k && t[h0] == '[') {
			for (h1 = h0; h1 < k && t[h1] != ']'; h1++)
				;
			if (h1 < k)
				h1++;
		} else {
			for (h1 = h0; h1 < k && t[h1] != ':'; h1++)
				;
		}
		if (h1 == h0)
			continue;
		{
			char ip[64];

			if (!link_domain_ok(t + h0, h1 - h0) &&
			    !(t[h0] == '[' ? link_ip_norm(t + h0 + 1, h1 - h0 - 2, ip) == 0
					   : link_ip_norm(t + h0, h1 - h0, ip) == 0))
				continue;
		}
		{
			/* Scheme and host are case-insensitive: lowercase them. */
			char buf[FX_IND_MAX];
			size_t len = 0;

			if (sc == 4) {
				memcpy(buf, "http://", 7);
				len = 7;
			}
			for (j = i; j < end && len < sizeof(buf) - 1; j++)
				buf[len++] = j < h1 ? (char)lower(AT(j)) : t[j];
			found(s, FX_IND_URL, buf, len, NULL, i, end - i);
			if (h1 - h0 == 13 && prefix_ci(t + h0, 13, "qr.alipay.com") && end > k + 1)
				found(s, FX_IND_PAYQR, buf, len, "alipay", i, end - i);
		}
		host_ind(s, t + h0, h1 - h0, h0);
		use(s, i, end - i);
		i = end;
	}
}

unsigned fx_crc16_ccitt(const void *data, size_t n)
{
	const unsigned char *p = data;
	unsigned crc = 0xffff;
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		crc ^= (unsigned)p[i] << 8;
		for (b = 0; b < 8; b++)
			crc = crc & 0x8000 ? (crc << 1 ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
	}
	return crc;
}

/* Length of the EMVCo payload starting at s (TLV up to its CRC), or 0. */
static size_t emvco_len(const char *s, size_t n)
{
	size_t i = 0, len, k, c;
	unsigned crc, want = 0;
	int d, tag;

	if (n < 12 || memcmp(s, "000201", 6) != 0)
		return 0;
	while (i + 4 <= n) {
		if (!link_digit(s[i]) || !link_digit(s[i + 1]) || !link_digit(s[i + 2]) ||
		    !link_digit(s[i + 3]))
			return 0;
		tag = (s[i] - '0') * 10 + (s[i + 1] - '0');
		len = (size_t)((s[i + 2] - '0') * 10 + (s[i + 3] - '0'));
		/* Lengths count characters: a merchant name may be in Chinese. */
		for (k = i + 4, c = 0; c < len && k < n; c++)
			for (k++; k < n && ((unsigned char)s[k] & 0xc0) == 0x80; k++)
				;
		if (c < len || (tag == 63 && k != i + 8))
			return 0;
		if (tag == 63) {
			if (len != 4)
				return 0;
			crc = fx_crc16_ccitt(s, i + 4);
			for (d = 0; d < 4; d++) {
				int v = s[i + 4 + d];

				v = link_digit(v) ? v - '0' : (lower(v) >= 'a' && lower(v) <= 'f')
					? lower(v) - 'a' + 10 : -1;
				if (v < 0)
					return 0;
				want = want << 4 | (unsigned)v;
			}
			return crc == want ? i + 8 : 0;
		}
		i = k;
	}
	return 0;
}

int fx_emvco_ok(const char *s, size_t n)
{
	return n > 0 && emvco_len(s, n) == n;
}

static void scan_emvco(struct scan *s)
{
	size_t i, len;

	for (i = 0; i + 12 <= s->n; i++) {
		if (s->t[i] != '0' || (i > 0 && link_alnum((unsigned char)s->t[i - 1])))
			continue;
		len = emvco_len(s->t + i, s->n - i);
		if (!len || is_used(s, i, len))
			continue;
		found(s, FX_IND_PAYQR, s->t + i, len, "emvco", i, len);
		use(s, i, len);
		i += len - 1;
	}
}

/* ---- e-mail ---- */

static int local_char(int c)
{
	return link_alnum(c) || (c && strchr("._%+-", c));
}

static int host_char(int c)
{
	return link_alnum(c) || c == '.' || c == '-';
}

static void scan_emails(struct scan *s)
{
	const char *t = s->t;
	size_t i, a, b;

	for (i = 1; i + 1 < s->n; i++) {
		if (t[i] != '@')
			continue;
		for (a = i; a > 0 && local_char(AT(a - 1)); a--)
			;
		while (a < i && strchr("._%+-", t[a]))
			a++;
		for (b = i + 1; b < s->n && host_char(AT(b)); b++)
			;
		while (b > i + 1 && strchr(".-", t[b - 1]))
			b--;
		if (a == i || b == i + 1 || t[i - 1] == '.' || is_used(s, a, b - a) ||
		    !link_domain_ok(t + i + 1, b - i - 1))
			continue;
		found_lower(s, FX_IND_EMAIL, t + a, b - a, NULL, a, b - a);
		found_lower(s, FX_IND_DOMAIN, t + i + 1, b - i - 1, NULL, i + 1, b - i - 1);
		use(s, a, b - a);
		i = b;
	}
}

/* ---- wallets and cards ---- */

static void scan_crypto(struct scan *s)
{
	const char *t = s->t, *chain;
	size_t i, e;

	for (i = 0; i < s->n; i++) {
		if (!link_alnum(AT(i)) || (i > 0 && link_alnum(AT(i - 1))))
			continue;
		for (e = i; e < s->n && link_alnum(AT(e)); e++)
			;
		if (e - i >= 26 && e - i <= 90 && !is_used(s, i, e - i) &&
		    (chain = fx_crypto_check(t + i, e - i))) {
			/* bech32 is case-insensitive; base58 and EIP-55 are not. */
			if (prefix_ci(t + i, e - i, "bc1") || prefix_ci(t + i, e - i, "tb1"))
				found_lower(s, FX_IND_CRYPTO, t + i, e - i, chain, i, e - i);
			else
				found(s, FX_IND_CRYPTO, t + i, e - i, chain, i, e - i);
			use(s, i, e - i);
		}
		i = e;
	}
}

static int after_number_label(const char *t, size_t off);

static void scan_cards(struct scan *s)
{
	const char *t = s->t, *brand;
	char d[20];
	size_t i, e, nd;

	for (i = 0; i < s->n; i++) {
		if (!link_digit(t[i]) || (i > 0 && (link_alnum(AT(i - 1)) ||
						    t[i - 1] == '.' || t[i - 1] == '+')))
			continue;
		/* Digits, with single spaces or hyphens between groups. */
		nd = 0;
		for (e = i; e < s->n && nd < 20; e++) {
			if (link_digit(t[e]))
				d[nd++] = t[e];
			else if ((t[e] == ' ' || t[e] == '-') && e + 1 < s->n &&
				 link_digit(t[e + 1]) && link_digit(t[e - 1]))
				continue;
			else
				break;
		}
		if (nd >= 13 && nd <= 19 && !(e < s->n && (link_alnum(AT(e)))) &&
		    fx_luhn_valid(d, nd) && (brand = fx_card_brand(d, nd)) && !is_used(s, i, e - i) &&
		    !after_number_label(t, i)) {
			found(s, FX_IND_CARD, d, nd, brand, i, e - i);
			use(s, i, e - i);
			i = e;
			continue;
		}
		while (i + 1 < s->n && link_digit(t[i + 1]))
			i++;
	}
}

/* ---- bare IP addresses and domains ---- */

/* Whether the text before off ends with one of words, then separators. */
static int after_word(const char *t, size_t off, const char *const *words)
{
	size_t k, w, b;

	b = off;
	for (;;) {
		if (b > 0 && (t[b - 1] == ' ' || t[b - 1] == ':' || t[b - 1] == '='))
			b--;
		else if (b >= 3 && memcmp(t + b - 3, "：", 3) == 0)
			b -= 3;
		else
			break;
	}
	for (w = 0; words[w]; w++) {
		k = strlen(words[w]);
		if (b >= k && prefix_ci(t + b - k, k, words[w]) &&
		    (b == k || !link_alnum(AT(b - k - 1)) || k > 3))
			return 1;
	}
	return 0;
}

/* A version number ("v1.2.3.4", "version 10.0.0.1") is not an address. */
static int after_version(const char *t, size_t off)
{
	static const char *const words[] = { "version", "ver", "build", "v", "版本", "固件",
					      "release", NULL };

	return after_word(t, off, words);
}

/* An order or serial number is not a card, even when its digits pass Luhn. */
static int after_number_label(const char *t, size_t off)
{
	static const char *const words[] = { "订单号", "订单", "单号", "编号", "流水号",
					      "order", "no.", "ts=", "id", NULL };

	return after_word(t, off, words);
}

static void scan_ipv4(struct scan *s)
{
	const char *t = s->t;
	char ip[64];
	size_t i, e, dots;

	for (i = 0; i < s->n; i++) {
		if (!link_digit(t[i]) || (i > 0 && (link_alnum(AT(i - 1)) ||
						    t[i - 1] == '.' || t[i - 1] == '-')))
			continue;
		dots = 0;
		for (e = i; e < s->n && (link_digit(t[e]) || t[e] == '.'); e++)
			dots += t[e] == '.';
		while (e > i && t[e - 1] == '.')
			e--, dots--;
		if (dots == 3 && !(e < s->n && (link_alnum(AT(e)) || t[e] == '-')) &&
		    !is_used(s, i, e - i) && !after_version(t, i) &&
		    link_ip_norm(t + i, e - i, ip) == 0 && strlen(ip) == e - i) {
			found(s, FX_IND_IP, ip, strlen(ip), "v4", i, e - i);
			use(s, i, e - i);
		}
		i = e;
	}
}

static int hex_or_colon(int c)
{
	return link_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f') || c == ':' || c == '.';
}

static int has_double_colon(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (s[i] == ':' && s[i + 1] == ':')
			return 1;
	return 0;
}

static void scan_ipv6(struct scan *s)
{
	const char *t = s->t;
	char ip[64];
	size_t i, e, colons;

	for (i = 0; i < s->n; i++) {
		if (!hex_or_colon(AT(i)) ||
		    (i > 0 && (hex_or_colon(AT(i - 1)) || link_alnum(AT(i - 1)))))
			continue;
		colons = 0;
		for (e = i; e < s->n && hex_or_colon(AT(e)); e++)
			colons += t[e] == ':';
		while (e > i && t[e - 1] == '.')
			e--;
		/* Times (12:30:45) and MAC addresses have no "::" and fewer than 7 colons. */
		if (colons >= 2 && (colons == 7 || has_double_colon(t + i, e - i)) &&
		    !(e < s->n && link_alnum(AT(e))) && !is_used(s, i, e - i) &&
		    link_ip_norm(t + i, e - i, ip) == 0 && strchr(ip, ':') &&
		    strcmp(ip, "::") != 0) {
			found(s, FX_IND_IP, ip, strlen(ip), "v6", i, e - i);
			use(s, i, e - i);
		}
		i = e > i ? e - 1 : i;
	}
}

/* Java-style package names (com.tencent.mm) read like domains backwards. */
static int reversed_name(const char *h, size_t n)
{
	static const char *const firsts[] = { "com.", "org.", "net.", "android.", "cn.",
					      "io.", "de.", "edu.", "gov.", NULL };
	size_t i, dots = 0;
	int f;

	for (i = 0; i < n; i++)
		dots += h[i] == '.';
	/* com.google is an account type; cn.example a domain, cn.gov.x not */
	for (f = 0; firsts[f]; f++)
		if (dots >= (f < 4 ? 1u : 2u) && prefix_ci(h, n, firsts[f]))
			return 1;
	return 0;
}

static void scan_domains(struct scan *s)
{
	const char *t = s->t, *tld;
	size_t i, e, k;
	int dots, bad;

	for (i = 0; i < s->n; i++) {
		if (!link_alnum(AT(i)) ||
		    (i > 0 && (host_char(AT(i - 1)) || strchr("@_/\\", t[i - 1]))))
			continue;
		dots = 0;
		for (e = i; e < s->n && host_char(AT(e)); e++)
			dots += t[e] == '.';
		while (e > i && (t[e - 1] == '.' || t[e - 1] == '-'))
			dots -= t[--e] == '.';
		bad = !dots || (e < s->n && (t[e] == '_' || t[e] == '@' || t[e] == '(')) ||
		      is_used(s, i, e - i) || reversed_name(t + i, e - i);
		if (!bad) {
			for (tld = t + e - 1; *tld != '.'; tld--)
				;
			for (k = 0; ext_tlds[k]; k++)
				if ((size_t)(t + e - tld - 1) == strlen(ext_tlds[k]) &&
				    prefix_ci(tld + 1, strlen(ext_tlds[k]), ext_tlds[k]))
					bad = 1;
		}
		if (!bad && link_domain_ok(t + i, e - i)) {
			found_lower(s, FX_IND_DOMAIN, t + i, e - i, NULL, i, e - i);
			use(s, i, e - i);
		}
		i = e;
	}
}

/* ---- phone numbers ---- */

static void scan_phones(struct scan *s)
{
	const char *t = s->t, *detail;
	char out[32];
	size_t i, e, nd;
	int open;

	for (i = 0; i < s->n; i++) {
		int c = AT(i);

		if (!(link_digit(c) || c == '+' || c == '(') ||
		    (i > 0 && (link_alnum(AT(i - 1)) || strchr(".+-/:", t[i - 1]))))
			continue;
		nd = 0;
		open = 0;
		for (e = i; e < s->n && nd <= 16; e++) {
			c = AT(e);
			if (link_digit(c))
				nd++;
			else if (c == '+' && e == i)
				;
			else if (c == '(' && !open && nd <= 4 && (e == i || t[e - 1] == ' ' ||
								  t[e - 1] == '+' ||
								  link_digit(t[e - 1])))
				open = 1; /* (021) or +86 (10) — not "13800138000 (note)" */
			else if (c == ')' && open == 1)
				open = 2;
			else if ((c == ' ' || c == '-') && e > i && e + 1 < s->n &&
				 (link_digit(t[e + 1]) || (t[e + 1] == '(' && nd <= 4)) &&
				 t[e - 1] != ' ' && t[e - 1] != '-')
				;
			else
				break;
		}
		while (e > i && !link_digit(t[e - 1]))
			e--;
		if (nd >= 7 && nd <= 15 && !(e < s->n && (link_alnum(AT(e)) ||
							 (t[e] == '.' && e + 1 < s->n &&
							  link_digit(t[e + 1])) ||
							 t[e] == ':' || t[e] == '/')) &&
		    !is_used(s, i, e - i) &&
		    fx_phone_norm(t + i, e - i, s->o && s->o->region ? s->o->region : "CN", 0, out,
				  &detail) == 0) {
			found(s, FX_IND_PHONE, out, strlen(out), detail, i, e - i);
			use(s, i, e - i);
			i = e - 1;
			continue;
		}
		/* Not a number from here: one may still start after this run of digits. */
		while (i + 1 < s->n && link_digit(t[i + 1]))
			i++;
	}
}

/* ---- account ids, next to their label ---- */

static const struct {
	const char *label;
	const char *platform;
} labels[] = {
	{ "微信号", "wechat" }, { "微信", "wechat" }, { "wechat id", "wechat" },
	{ "wechat", "wechat" }, { "weixin", "wechat" },
	{ "qq号码", "qq" }, { "qq号", "qq" }, { "qq", "qq" },
	{ "支付宝账号", "alipay" }, { "支付宝账户", "alipay" }, { "支付宝", "alipay" },
	{ "alipay id", "alipay" }, { "alipay", "alipay" },
	{ NULL, NULL },
};

/* Skips what may stand between a label and its value: "：", ":", "是", spaces. */
static size_t skip_sep(const char *t, size_t n, size_t i)
{
	static const char *const seps[] = { "：", ":", "是", "为", " ", "号", "id", "ID",
					     "=", "\t", NULL };
	size_t start = i;
	int k, again = 1;

	while (again && i - start < 16) {
		again = 0;
		for (k = 0; seps[k]; k++) {
			size_t l = strlen(seps[k]);

			if (i + l <= n && memcmp(t + i, seps[k], l) == 0) {
				i += l;
				again = 1;
				break;
			}
		}
	}
	return i;
}

static void scan_accounts(struct scan *s)
{
	const char *t = s->t, *detail, *region = s->o && s->o->region ? s->o->region : "CN";
	char v[FX_IND_MAX], ph[32];
	size_t i, j, e, l;
	int k;

	for (i = 0; i < s->n; i++) {
		/* wxid_… is WeChat's internal id: distinctive without a label. */
		if (prefix_ci(t + i, s->n - i, "wxid_") && (i == 0 || !link_alnum(AT(i - 1)))) {
			for (e = i + 5; e < s->n && (link_alnum(AT(e)) || t[e] == '_'); e++)
				;
			if (e - i >= 10 && e - i < 40) {
				memcpy(v, "wechat:", 7);
				memcpy(v + 7, t + i, e - i);
				found_lower(s, FX_IND_ACCOUNT, v, 7 + e - i, "wechat", i, e - i);
			}
			i = e;
			continue;
		}
		for (k = 0; labels[k].label; k++) {
			l = strlen(labels[k].label);
			if (prefix_ci(t + i, s->n - i, labels[k].label) &&
			    (i == 0 || !link_alnum(AT(i - 1))))
				break;
		}
		if (!labels[k].label)
			continue;
		j = skip_sep(t, s->n, i + l);
		if (j == i + l && link_alnum(AT(j)))
			continue; /* "QQ123" is not labelled, "qqmail" not a label */
		for (e = j; e < s->n && (link_alnum(AT(e)) || strchr("_-.@+", t[e])); e++)
			;
		while (e > j && strchr(".-", t[e - 1]))
			e--;
		if (e == j)
			continue;
		if (strcmp(labels[k].platform, "qq") == 0) {
			size_t d;

			for (d = j; d < e && link_digit(t[d]); d++)
				;
			if (d != e || e - j < 5 || e - j > 11 || t[j] == '0')
				continue;
			use(s, j, e - j); /* a QQ number is not also a phone number */
		} else if (strcmp(labels[k].platform, "wechat") == 0) {
			if (fx_phone_norm(t + j, e - j, region, 0, ph, &detail) != 0 &&
			    !((lower(t[j]) >= 'a' && lower(t[j]) <= 'z') && e - j >= 6 &&
				     e - j <= 20 && !memchr(t + j, '@', e - j) &&
				     !memchr(t + j, '.', e - j)))
				continue;
		} else {
			/* Alipay accounts are an e-mail address or a phone number. */
			if (!(memchr(t + j, '@', e - j) ||
			      fx_phone_norm(t + j, e - j, "CN", 0, ph, &detail) == 0))
				continue;
		}
		l = strlen(labels[k].platform);
		memcpy(v, labels[k].platform, l);
		v[l++] = ':';
		if (e - j + l >= sizeof(v))
			continue;
		if (fx_phone_norm(t + j, e - j, region, 0, ph,
				  &detail) == 0 && strcmp(labels[k].platform, "qq") != 0) {
			memcpy(v + l, ph, strlen(ph));
			l += strlen(ph);
			found(s, FX_IND_ACCOUNT, v, l, labels[k].platform, j, e - j);
		} else {
			memcpy(v + l, t + j, e - j);
			found_lower(s, FX_IND_ACCOUNT, v, l + e - j, labels[k].platform, j, e - j);
		}
		i = e > i ? e - 1 : i;
	}
}

static int by_offset(const void *a, const void *b)
{
	const struct fx_ind *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

int fx_link_extract(const char *text, size_t n, const struct fx_link_opts *o,
		    int (*fn)(const struct fx_ind *ind, void *ctx), void *ctx)
{
	struct scan *s;
	size_t i;
	int ret = 0;

	if (n == 0)
		return 0;
	/* Not zeroed: only the counts need to start at 0. */
	s = malloc(sizeof(*s));
	if (!s)
		return -1;
	s->nfound = s->nused = 0;
	s->t = text;
	s->n = n;
	s->o = o;
	scan_urls(s);
	scan_emails(s);
	scan_emvco(s);
	scan_crypto(s);
	scan_cards(s);
	scan_ipv6(s);
	scan_ipv4(s);
	scan_domains(s);
	scan_accounts(s);
	scan_phones(s);
	qsort(s->found, s->nfound, sizeof(s->found[0]), by_offset);
	for (i = 0; i < s->nfound && !ret; i++)
		ret = fn(&s->found[i], ctx);
	free(s);
	return ret;
}
