/*
 * Single-use pairing tokens with an expiry, and the pairing URI.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "fx_buf.h"
#include "fx_err.h"
#include "fx_pair.h"
#include "fx_banned.h"

int fx_pair_token_new(struct fx_pair_token *t, time_t now, unsigned ttl)
{
	t->used = 0;
	t->expires = now + (time_t)ttl;
	return fx_pair_random_hex(t->value, 16);
}

const char *fx_pair_token_use(struct fx_pair_token *t, const char *given, time_t now)
{
	if (!given || strlen(given) != 32 || CRYPTO_memcmp(given, t->value, 32) != 0)
		return "wrong token";
	if (t->used)
		return "token already used";
	if (now >= t->expires)
		return "token expired";
	t->used = 1;
	return NULL;
}

/* Percent-encodes everything but unreserved characters (RFC 3986). */
static void put_escaped(struct fx_buf *b, const char *s)
{
	char e[4];

	for (; *s; s++) {
		if (isalnum((unsigned char)*s) || strchr("-._~", *s)) {
			fx_buf_add(b, s, 1);
		} else {
			snprintf(e, sizeof(e), "%%%02X", (unsigned char)*s);
			fx_buf_add(b, e, 3);
		}
	}
}

char *fx_pair_uri_make(const char *host, unsigned port, const char *fp_hex, const char *token,
		       time_t expires, const char *case_id)
{
	struct fx_buf b = FX_BUF_INIT;
	char *head, *s;

	head = fx_xasprintf("fxpair://%s:%u/?v=%d&fp=%s&t=%s&exp=%lld&case=", host, port,
			    FX_PAIR_VERSION, fp_hex, token, (long long)expires);
	fx_buf_add(&b, head, strlen(head));
	free(head);
	put_escaped(&b, case_id);
	s = fx_xmalloc(b.len + 1);
	memcpy(s, b.data, b.len);
	s[b.len] = '\0';
	fx_buf_release(&b);
	return s;
}

/* Decodes %XX in place; returns -1 for a bad escape or a NUL. */
static int unescape(char *s)
{
	char *w = s;
	int hi, lo;

	for (; *s; s++) {
		if (*s != '%') {
			*w++ = *s;
			continue;
		}
		hi = fx_hexval(s[1]);
		lo = hi < 0 ? -1 : fx_hexval(s[2]);
		if (lo < 0 || (hi == 0 && lo == 0))
			return -1;
		*w++ = (char)(hi << 4 | lo);
		s += 2;
	}
	*w = '\0';
	return 0;
}

/* Copies the value of key (a query parameter) into out, unescaped. */
static int param(const char *q, const char *key, char *out, size_t cap)
{
	size_t k = strlen(key), n;
	const char *p, *end;

	for (p = q; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
		if (strncmp(p, key, k) != 0 || p[k] != '=')
			continue;
		p += k + 1;
		end = strchr(p, '&');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n >= cap)
			return -1;
		memcpy(out, p, n);
		out[n] = '\0';
		return unescape(out);
	}
	return -1;
}

int fx_pair_uri_parse(const char *uri, struct fx_pair_uri *u, const char **why)
{
	const char *p = uri, *colon, *q;
	char num[32], *end;
	unsigned long port;
	long long exp;
	size_t n;

	memset(u, 0, sizeof(*u));
	*why = "not an fxpair:// URI";
	if (strncmp(p, "fxpair://", 9) != 0)
		return -1;
	p += 9;
	q = strstr(p, "/?");
	colon = q ? memchr(p, ':', (size_t)(q - p)) : NULL;
	*why = "URI without host and port";
	if (!q || !colon || colon == p)
		return -1;
	/* An IPv6 address would need brackets; the host is taken up to its last ':'. */
	while (memchr(colon + 1, ':', (size_t)(q - colon - 1)))
		colon = memchr(colon + 1, ':', (size_t)(q - colon - 1));
	n = (size_t)(colon - p);
	if (n >= sizeof(u->host))
		return -1;
	memcpy(u->host, p, n);
	port = strtoul(colon + 1, &end, 10);
	if (end != q || port == 0 || port > 65535)
		return -1;
	u->port = (unsigned)port;
	q += 2;
	*why = "URI of another protocol version";
	if (param(q, "v", num, sizeof(num)) < 0 || strcmp(num, "1") != 0)
		return -1;
	*why = "URI without a valid certificate fingerprint";
	if (param(q, "fp", u->fp, sizeof(u->fp)) < 0 || !fx_is_sha256_hex(u->fp))
		return -1;
	*why = "URI without a valid token";
	if (param(q, "t", u->token, sizeof(u->token)) < 0 || strlen(u->token) != 32)
		return -1;
	*why = "URI without a valid expiry";
	if (param(q, "exp", num, sizeof(num)) < 0)
		return -1;
	exp = strtoll(num, &end, 10);
	if (*end || exp <= 0)
		return -1;
	u->expires = (time_t)exp;
	*why = "URI without a case id";
	if (param(q, "case", u->case_id, sizeof(u->case_id)) < 0 || !u->case_id[0])
		return -1;
	*why = NULL;
	return 0;
}
