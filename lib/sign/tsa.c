/*
 * tsa.c - RFC 3161 timestamps (with RFC 5816's ESSCertIDv2) from a TSA
 * over HTTP (libcurl), checked fully before anything is stored: the
 * status, the nonce, the imprint, the signature and the TSA's chain, and
 * the TSA's certificate against the one pinned.
 *
 * OpenSSL's TS_VFY_TSA_NAME crashes 3.0 and TS_VFY_SIGNER only compares
 * names, so neither is used: the TSA is pinned by its certificate.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include "sign_int.h"
#include "fx_err.h"
#include "fx_hash.h"
#include "fx_time.h"
#include "fx_banned.h"

#define TSA_MAX_REPLY (1u << 20)

void tok_info_release(struct tok_info *t)
{
	free(t->serial);
	free(t->policy);
	free(t->nonce);
	free(t->tsa_subject);
	t->serial = t->policy = t->nonce = t->tsa_subject = NULL;
}

static char *int_hex(const ASN1_INTEGER *i)
{
	BIGNUM *bn = i ? ASN1_INTEGER_to_BN(i, NULL) : NULL;
	char *h = bn ? BN_bn2hex(bn) : NULL, *s;
	size_t k;

	s = fx_xstrdup(h ? h : "");
	for (k = 0; s[k]; k++)
		if (s[k] >= 'A' && s[k] <= 'F')
			s[k] = (char)(s[k] - 'A' + 'a');
	OPENSSL_free(h);
	BN_free(bn);
	return s;
}

/* Fills info from a token; signer (may be NULL) gets its TSA certificate. */
static int token_info(PKCS7 *token, struct tok_info *info)
{
	TS_TST_INFO *tst = PKCS7_to_TS_TST_INFO(token);
	STACK_OF(X509) *signers;
	ASN1_OCTET_STRING *imp;
	char dotted[128];
	X509 *x;

	memset(info, 0, sizeof(*info));
	if (!tst)
		return -1;
	asn1_time_rfc3339(TS_TST_INFO_get_time(tst), info->gen_time, &info->gen_ms);
	info->serial = int_hex(TS_TST_INFO_get_serial(tst));
	OBJ_obj2txt(dotted, sizeof(dotted), TS_TST_INFO_get_policy_id(tst), 1);
	info->policy = fx_xstrdup(dotted);
	info->nonce = TS_TST_INFO_get_nonce(tst) ? int_hex(TS_TST_INFO_get_nonce(tst)) : NULL;
	imp = TS_MSG_IMPRINT_get_msg(TS_TST_INFO_get_msg_imprint(tst));
	if (ASN1_STRING_length(imp) == 32)
		memcpy(info->imprint, ASN1_STRING_get0_data(imp), 32);
	TS_TST_INFO_free(tst);
	signers = PKCS7_get0_signers(token, NULL, 0);
	x = signers && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : NULL;
	if (x) {
		info->tsa_subject = cert_name(X509_get_subject_name(x));
		cert_sha256(x, info->tsa_cert_sha256);
		asn1_time_rfc3339(X509_get0_notAfter(x), info->tsa_not_after,
				  &info->tsa_not_after_ms);
	} else {
		info->tsa_subject = fx_xstrdup("?");
	}
	sk_X509_free(signers);
	ERR_clear_error();
	return 0;
}

int tsa_info(const uint8_t *tok, size_t len, struct tok_info *info)
{
	const unsigned char *p = tok;
	PKCS7 *token = d2i_PKCS7(NULL, &p, (long)len);
	int ret;

	memset(info, 0, sizeof(*info));
	if (!token || (size_t)(p - tok) != len) {
		PKCS7_free(token);
		ERR_clear_error();
		return -1;
	}
	ret = token_info(token, info);
	PKCS7_free(token);
	return ret;
}

struct body {
	uint8_t *p;
	size_t n;
	int too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct body *b = ud;
	size_t n = size * nmemb;

	if (b->n + n > TSA_MAX_REPLY) {
		b->too_big = 1;
		return 0;
	}
	b->p = fx_xrealloc(b->p, b->n + n + 1);
	memcpy(b->p + b->n, ptr, n);
	b->n += n;
	return n;
}

static int http_post(const char *url, const uint8_t *req, size_t len, long timeout,
		     struct body *b)
{
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/timestamp-query");
	CURL *h = curl_easy_init();
	long code = 0;
	CURLcode rc;

	if (!h)
		return fx_error("cannot start libcurl");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, req);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "fx-sign/" FX_VERSION);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	if (b->too_big)
		return fx_error("TSA '%s': the answer is larger than %u bytes", url, TSA_MAX_REPLY);
	if (rc != CURLE_OK)
		return fx_error("TSA '%s': %s", url, curl_easy_strerror(rc));
	if (code != 200)
		return fx_error("TSA '%s': HTTP status %ld", url, code);
	return 0;
}

static TS_REQ *make_request(const uint8_t imprint[32])
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	ASN1_INTEGER *nonce;
	BIGNUM *bn = BN_new();

	X509_ALGOR_set_md(alg, EVP_sha256());
	TS_MSG_IMPRINT_set_algo(mi, alg);
	TS_MSG_IMPRINT_set_msg(mi, (unsigned char *)imprint, 32);
	TS_REQ_set_version(req, 1);
	TS_REQ_set_msg_imprint(req, mi);
	/* A 64-bit nonce binds the answer to this request. */
	BN_rand(bn, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
	nonce = BN_to_ASN1_INTEGER(bn, NULL);
	TS_REQ_set_nonce(req, nonce);
	TS_REQ_set_cert_req(req, 1);
	ASN1_INTEGER_free(nonce);
	BN_free(bn);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	return req;
}

static X509 *token_signer(PKCS7 *token)
{
	STACK_OF(X509) *signers = PKCS7_get0_signers(token, NULL, 0);
	X509 *x = signers && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : NULL;

	if (x)
		X509_up_ref(x);
	sk_X509_free(signers);
	ERR_clear_error();
	return x;
}

/* The verify context's store: ours, with the TSA chain checked at at_ms. */
static void store_time(X509_STORE *store, int64_t at_ms)
{
	X509_VERIFY_PARAM *vp = X509_STORE_get0_param(store);

	if (at_ms)
		X509_VERIFY_PARAM_set_time(vp, (time_t)(at_ms / 1000));
	else
		X509_VERIFY_PARAM_clear_flags(vp, X509_V_FLAG_USE_CHECK_TIME);
}

int tsa_stamp(const struct fx_sign *s, X509_STORE *store, const uint8_t imprint[32],
	      uint8_t **tok, size_t *len, struct tok_info *info)
{
	const char *url = s->tsa_url ? s->tsa_url : getenv("FX_TSA");
	const char *pin_path = s->tsa_cert ? s->tsa_cert : getenv("FX_TSA_CERT");
	STACK_OF(X509) *pin = NULL;
	TS_VERIFY_CTX *ctx = NULL;
	TS_RESP *resp = NULL;
	TS_REQ *req;
	PKCS7 *token;
	X509 *signer = NULL;
	unsigned char *der = NULL;
	const unsigned char *p;
	struct body b = { NULL, 0, 0 };
	char buf[512];
	int n, ret = -1;

	memset(info, 0, sizeof(*info));
	if (!url || !*url)
		return fx_error("no TSA: give --tsa URL or set FX_TSA");
	if (pin_path && !(pin = certs_read(pin_path)))
		return -1;
	req = make_request(imprint);
	n = i2d_TS_REQ(req, &der);
	if (n <= 0 || http_post(url, der, (size_t)n, s->timeout > 0 ? s->timeout : 30, &b) < 0)
		goto out;
	p = b.p;
	resp = b.n ? d2i_TS_RESP(NULL, &p, (long)b.n) : NULL;
	if (!resp || (size_t)(p - b.p) != b.n) {
		fx_error("TSA '%s': the answer is not an RFC 3161 timestamp response", url);
		goto out;
	}
	/*
	 * Everything but the TSA's name, which is pinned by certificate below,
	 * and the policy, which the request leaves to the TSA (a policy flag
	 * without one makes OpenSSL compare against NULL).
	 */
	ctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL);
	TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE |
					     TS_VFY_SIGNATURE);
	if (pin) {
		/* The pinned certificate is an anchor of its own. */
		X509_STORE_add_cert(store, sk_X509_value(pin, 0));
		X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
		ERR_clear_error();
	}
	store_time(store, 0);
	X509_STORE_up_ref(store);
	TS_VERIFY_CTX_set_store(ctx, store);
	if (TS_RESP_verify_response(ctx, resp) != 1) {
		fx_error("TSA '%s': the answer does not check out: %s", url,
			 ssl_error(buf, sizeof(buf)));
		goto out;
	}
	token = TS_RESP_get_token(resp);
	signer = token_signer(token);
	if (!signer) {
		fx_error("TSA '%s': the token does not carry the TSA's certificate", url);
		goto out;
	}
	if (pin && X509_cmp(signer, sk_X509_value(pin, 0)) != 0) {
		char *subj = cert_name(X509_get_subject_name(signer));

		fx_error("TSA '%s': the token is signed by '%s', not the pinned certificate '%s'",
			 url, subj, pin_path);
		free(subj);
		goto out;
	}
	OPENSSL_free(der);
	der = NULL;
	n = i2d_PKCS7(token, &der);
	if (n <= 0 || token_info(token, info) < 0) {
		fx_error("TSA '%s': cannot read the token", url);
		goto out;
	}
	*tok = fx_xmalloc((size_t)n);
	memcpy(*tok, der, (size_t)n);
	*len = (size_t)n;
	ret = 0;
out:
	if (ret < 0)
		tok_info_release(info);
	ERR_clear_error();
	X509_free(signer);
	OPENSSL_free(der);
	free(b.p);
	TS_VERIFY_CTX_free(ctx);
	TS_RESP_free(resp);
	TS_REQ_free(req);
	sk_X509_pop_free(pin, X509_free);
	return ret;
}

/*
 * What OpenSSL's token check leaves alone: the SignedData's version and
 * digest algorithms, the signer's version and algorithms, and no CRLs or
 * unsigned attributes. A changed byte there must not pass unnoticed.
 */
static int envelope_ok(PKCS7 *token, char *msg, size_t msglen)
{
	static const int digests[] = { NID_sha256, NID_sha384, NID_sha512, 0 };
	PKCS7_SIGNED *sd = PKCS7_type_is_signed(token) ? token->d.sign : NULL;
	PKCS7_SIGNER_INFO *si;
	STACK_OF(X509) *signers;
	int ok;

	ok = sd && ASN1_INTEGER_get(sd->version) == 3 && sk_X509_ALGOR_num(sd->md_algs) == 1 &&
	     algor_ok(sk_X509_ALGOR_value(sd->md_algs, 0), digests) &&
	     sk_X509_CRL_num(sd->crl) <= 0 && sk_PKCS7_SIGNER_INFO_num(sd->signer_info) == 1;
	si = ok ? sk_PKCS7_SIGNER_INFO_value(sd->signer_info, 0) : NULL;
	ok = ok && ASN1_INTEGER_get(si->version) == 1 && sk_X509_ATTRIBUTE_num(si->unauth_attr) <= 0 &&
	     algor_ok(si->digest_alg, digests) &&
	     OBJ_cmp(si->digest_alg->algorithm, sk_X509_ALGOR_value(sd->md_algs, 0)->algorithm) == 0;
	if (ok) {
		signers = PKCS7_get0_signers(token, NULL, 0);
		ok = signers && sk_X509_num(signers) == 1 &&
		     algor_ok(si->digest_enc_alg, sig_nids(X509_get0_pubkey(sk_X509_value(signers, 0))));
		sk_X509_free(signers);
		ERR_clear_error();
	}
	if (!ok)
		snprintf(msg, msglen, "its SignedData envelope (versions, algorithms) was changed");
	return ok;
}

int tsa_check(const uint8_t *tok, size_t len, const uint8_t imprint[32], X509_STORE *store,
	      int64_t at_ms, struct tok_info *info, char *msg, size_t msglen)
{
	const unsigned char *p = tok;
	PKCS7 *token = d2i_PKCS7(NULL, &p, (long)len);
	TS_VERIFY_CTX *ctx;
	TS_TST_INFO *tst;
	unsigned char *imp, *again = NULL;
	char buf[512], a[FX_SHA256_HEX], b[FX_SHA256_HEX];
	int ok, n;

	if (info)
		memset(info, 0, sizeof(*info));
	if (!token || (size_t)(p - tok) != len) {
		snprintf(msg, msglen, "not an RFC 3161 token (DER)");
		PKCS7_free(token);
		ERR_clear_error();
		return -1;
	}
	n = i2d_PKCS7(token, &again);
	ok = n > 0 && (size_t)n == len && memcmp(again, tok, len) == 0;
	OPENSSL_free(again);
	if (!ok) {
		snprintf(msg, msglen, "not in DER form: bytes were changed");
		PKCS7_free(token);
		return -1;
	}
	if (info)
		token_info(token, info);
	tst = PKCS7_to_TS_TST_INFO(token);
	if (!tst) {
		snprintf(msg, msglen, "not an RFC 3161 token");
		PKCS7_free(token);
		ERR_clear_error();
		return -1;
	}
	{
		TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(tst);
		ASN1_OCTET_STRING *got = TS_MSG_IMPRINT_get_msg(mi);

		ok = OBJ_obj2nid(TS_MSG_IMPRINT_get_algo(mi)->algorithm) == NID_sha256 &&
		     ASN1_STRING_length(got) == 32;
		if (ok && memcmp(ASN1_STRING_get0_data(got), imprint, 32) != 0) {
			snprintf(msg, msglen, "the token is over another imprint (%s, not %s)",
				 fx_hex(ASN1_STRING_get0_data(got), 32, a), fx_hex(imprint, 32, b));
			TS_TST_INFO_free(tst);
			PKCS7_free(token);
			return -1;
		}
	}
	TS_TST_INFO_free(tst);
	if (!ok) {
		snprintf(msg, msglen, "the token's imprint is not SHA-256");
		PKCS7_free(token);
		return -1;
	}
	if (!envelope_ok(token, msg, msglen) ||
	    certs_sound(token->d.sign->cert, store, msg, msglen) < 0) {
		PKCS7_free(token);
		return -1;
	}
	ctx = TS_VERIFY_CTX_new();
	TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
	imp = OPENSSL_malloc(32);
	memcpy(imp, imprint, 32);
	TS_VERIFY_CTX_set_imprint(ctx, imp, 32);
	store_time(store, at_ms);
	X509_STORE_up_ref(store);
	TS_VERIFY_CTX_set_store(ctx, store);
	ok = TS_RESP_verify_token(ctx, token) == 1;
	if (!ok)
		snprintf(msg, msglen, "%s", ssl_error(buf, sizeof(buf)));
	store_time(store, 0);
	TS_VERIFY_CTX_free(ctx);
	PKCS7_free(token);
	ERR_clear_error();
	return ok ? 0 : -1;
}
