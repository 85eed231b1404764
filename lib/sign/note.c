/*
 * note.c - C2SP signed notes carrying tlog-checkpoints of the custody
 * log. Signature types by key:
 *
 *   Ed25519   0x01, as signed-note specifies: RFC 8032 over the text;
 *             key ID = SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4].
 *   P-256     0x02, as transparency-dev/witness does: ASN.1 ECDSA over
 *             SHA-256 of the text; key ID = SHA-256(SPKI DER)[:4].
 *   RSA       0xff followed by "fx-rsa-pkcs1-sha256" (signed-note's byte
 *             for types it does not assign): PKCS#1 v1.5 SHA-256 over
 *             the text; key ID = SHA-256(name || 0x0A || 0xff ||
 *             "fx-rsa-pkcs1-sha256" || SPKI DER)[:4].
 *
 * Every one of them is checked by hand with `openssl pkeyutl` (Ed25519)
 * or `openssl dgst -sha256 -verify` (the others); see fx-sign(1).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "sign_int.h"
#include "fx_err.h"
#include "fx_hash.h"
#include "fx_banned.h"

#define RSA_TYPE "fx-rsa-pkcs1-sha256"
#define MAX_SIGS 100

static const char dash[] = "\xe2\x80\x94 "; /* U+2014 and a space */

char *note_origin(const char *case_id)
{
	struct fx_buf b = FX_BUF_INIT;
	const unsigned char *p;
	char esc[4];

	fx_buf_add(&b, "fx-case/", 8);
	/* A schema-less URL: no spaces, no plus, as tlog-checkpoint recommends. */
	for (p = (const unsigned char *)case_id; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			fx_buf_add(&b, p, 1);
		} else {
			snprintf(esc, sizeof(esc), "%%%02X", *p);
			fx_buf_add(&b, esc, 3);
		}
	}
	return b.data;
}

char *note_text(const char *origin, uint64_t size, const fx_mhash root)
{
	char *r = b64_encode(root, 32), *t;

	t = fx_xasprintf("%s\n%llu\n%s\n", origin, (unsigned long long)size, r);
	free(r);
	return t;
}

static int spki(EVP_PKEY *pub, unsigned char **der)
{
	*der = NULL;
	return i2d_PUBKEY(pub, der);
}

int note_key_id(const char *name, EVP_PKEY *pub, uint32_t *id, const char **alg)
{
	struct fx_buf b = FX_BUF_INIT;
	unsigned char *der = NULL, raw[32];
	uint8_t md[32];
	size_t rawlen = sizeof(raw);
	int n, type = EVP_PKEY_get_base_id(pub);

	if (type == EVP_PKEY_ED25519) {
		if (!EVP_PKEY_get_raw_public_key(pub, raw, &rawlen) || rawlen != 32)
			return -1;
		fx_buf_add(&b, name, strlen(name));
		fx_buf_add(&b, "\n\x01", 2);
		fx_buf_add(&b, raw, 32);
		*alg = "ed25519";
	} else if (type == EVP_PKEY_EC) {
		if ((n = spki(pub, &der)) <= 0)
			return -1;
		fx_buf_add(&b, der, (size_t)n);
		*alg = "ecdsa-sha256";
	} else if (type == EVP_PKEY_RSA) {
		if ((n = spki(pub, &der)) <= 0)
			return -1;
		fx_buf_add(&b, name, strlen(name));
		fx_buf_add(&b, "\n\xff", 2);
		fx_buf_add(&b, RSA_TYPE, strlen(RSA_TYPE));
		fx_buf_add(&b, der, (size_t)n);
		*alg = "rsa-pkcs1-sha256";
	} else {
		return -1;
	}
	fx_sha256(b.data, b.len, md);
	*id = (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3];
	OPENSSL_free(der);
	fx_buf_release(&b);
	return 0;
}

int note_sign(struct key *k, const char *text, struct fx_buf *b, uint32_t *key_id)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const char *alg;
	int ed = EVP_PKEY_get_base_id(X509_get0_pubkey(k->cert)) == EVP_PKEY_ED25519;
	uint8_t *sig = NULL;
	size_t len = 0;
	char buf[256], *line;
	int ok;

	if (note_key_id(k->name, X509_get0_pubkey(k->cert), key_id, &alg) < 0) {
		EVP_MD_CTX_free(ctx);
		return fx_error("key '%s': no note signature type for its algorithm", k->name);
	}
	ok = EVP_DigestSignInit(ctx, NULL, ed ? NULL : EVP_sha256(), NULL, k->pkey) > 0 &&
	     EVP_DigestSign(ctx, NULL, &len, (const unsigned char *)text, strlen(text)) > 0;
	if (ok) {
		sig = fx_xmalloc(4 + len);
		ok = EVP_DigestSign(ctx, sig + 4, &len, (const unsigned char *)text,
				    strlen(text)) > 0;
	}
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		free(sig);
		return fx_error("key '%s': cannot sign the checkpoint: %s", k->name,
				ssl_error(buf, sizeof(buf)));
	}
	sig[0] = (uint8_t)(*key_id >> 24);
	sig[1] = (uint8_t)(*key_id >> 16);
	sig[2] = (uint8_t)(*key_id >> 8);
	sig[3] = (uint8_t)*key_id;
	line = b64_encode(sig, 4 + len);
	fx_buf_add(b, dash, strlen(dash));
	fx_buf_add(b, k->name, strlen(k->name));
	fx_buf_add(b, " ", 1);
	fx_buf_add(b, line, strlen(line));
	fx_buf_add(b, "\n", 1);
	free(line);
	free(sig);
	return 0;
}

void note_release(struct note *n)
{
	size_t i;

	for (i = 0; i < n->nsigs; i++) {
		free(n->sigs[i].name);
		free(n->sigs[i].sig);
	}
	free(n->sigs);
	free(n->text);
	free(n->origin);
	memset(n, 0, sizeof(*n));
}

static int fail(char *msg, size_t msglen, const char *why)
{
	snprintf(msg, msglen, "%s", why);
	return -1;
}

/* Parses the text as a tlog-checkpoint: origin, size, root, no extensions. */
static int parse_text(struct note *n, char *msg, size_t msglen)
{
	const char *p = n->text, *nl;
	char *end, *num;
	uint8_t *root;
	size_t rlen;

	nl = strchr(p, '\n');
	if (!nl || nl == p)
		return fail(msg, msglen, "no origin line");
	n->origin = fx_xasprintf("%.*s", (int)(nl - p), p);
	p = nl + 1;
	nl = strchr(p, '\n');
	if (!nl || nl == p || (*p == '0' && nl - p > 1))
		return fail(msg, msglen, "no tree size line");
	num = fx_xasprintf("%.*s", (int)(nl - p), p);
	n->size = strtoull(num, &end, 10);
	if (*end || *num < '0' || *num > '9') {
		free(num);
		return fail(msg, msglen, "the tree size is not a number");
	}
	free(num);
	p = nl + 1;
	nl = strchr(p, '\n');
	if (!nl || !(root = b64_decode(p, (size_t)(nl - p), &rlen)))
		return fail(msg, msglen, "the root hash is not base64");
	if (rlen != 32) {
		free(root);
		return fail(msg, msglen, "the root hash is not 32 bytes");
	}
	memcpy(n->root, root, 32);
	free(root);
	if (nl[1] != '\0')
		return fail(msg, msglen, "extension lines, which fx does not write");
	return 0;
}

int note_parse(const char *buf, size_t len, struct note *n, char *msg, size_t msglen)
{
	const char *sep = NULL, *p, *end = buf + len, *nl, *sp;
	struct note_sig *g;
	size_t i, slen;
	uint8_t *raw;

	memset(n, 0, sizeof(*n));
	if (memchr(buf, '\0', len))
		return fail(msg, msglen, "a NUL byte in the note");
	for (i = 0; i < len; i++)
		if ((unsigned char)buf[i] < 0x20 && buf[i] != '\n')
			return fail(msg, msglen, "a control character in the note");
	/* The text ends at the last blank line. */
	for (p = buf; p + 1 < end; p++)
		if (p[0] == '\n' && p[1] == '\n')
			sep = p;
	if (!sep || end[-1] != '\n')
		return fail(msg, msglen, "not a signed note (no blank line before signatures)");
	n->text_len = (size_t)(sep - buf) + 1;
	n->text = fx_xasprintf("%.*s", (int)n->text_len, buf);
	if (parse_text(n, msg, msglen) < 0)
		return -1;
	for (p = sep + 2; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if ((size_t)(nl - p) < strlen(dash) || memcmp(p, dash, strlen(dash)) != 0)
			return fail(msg, msglen, "a signature line does not start with an em dash");
		p += strlen(dash);
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (!sp || sp == p)
			return fail(msg, msglen, "a signature line has no key name");
		if (n->nsigs == MAX_SIGS)
			return fail(msg, msglen, "more than 100 signatures");
		raw = b64_decode(sp + 1, (size_t)(nl - sp - 1), &slen);
		if (!raw || slen < 5) {
			free(raw);
			return fail(msg, msglen, "a signature is not base64 of a key ID and a signature");
		}
		n->sigs = fx_xrealloc(n->sigs, (n->nsigs + 1) * sizeof(*n->sigs));
		g = &n->sigs[n->nsigs++];
		g->name = fx_xasprintf("%.*s", (int)(sp - p), p);
		g->id = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 |
			raw[3];
		g->len = slen - 4;
		g->sig = fx_xmalloc(g->len);
		memcpy(g->sig, raw + 4, g->len);
		free(raw);
	}
	if (!n->nsigs)
		return fail(msg, msglen, "no signatures");
	return 0;
}

int note_verify_sig(const struct note *n, const struct note_sig *g, EVP_PKEY *pub)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const char *alg;
	uint32_t id;
	int ok, ed = EVP_PKEY_get_base_id(pub) == EVP_PKEY_ED25519;

	ok = note_key_id(g->name, pub, &id, &alg) == 0 && id == g->id &&
	     EVP_DigestVerifyInit(ctx, NULL, ed ? NULL : EVP_sha256(), NULL, pub) > 0 &&
	     EVP_DigestVerify(ctx, g->sig, g->len, (const unsigned char *)n->text, n->text_len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -1;
}
