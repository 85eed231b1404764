/*
 * cms.c - detached CMS signatures in the CAdES-BES shape: SHA-256,
 * contentType, messageDigest, signingTime, ESS signing-certificate-v2,
 * the party's role as a CAdES commitment type, and optionally the hash
 * of a handwritten signature image. Every party is one SignerInfo of the
 * same SignedData, so `openssl cms -verify` checks them all at once.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "sign_int.h"
#include "fx_err.h"
#include "fx_hash.h"
#include "fx_time.h"
#include "fx_banned.h"

/* id-aa-ets-commitmentType (RFC 5126, 5.11.1) and the types the roles claim. */
#define OID_COMMITMENT "1.2.840.113549.1.9.16.2.16"
static const struct {
	const char *role, *oid;
} roles[] = {
	{ "signer", "1.2.840.113549.1.9.16.6.1" },    /* proofOfOrigin: submits it */
	{ "certifier", "1.2.840.113549.1.9.16.6.5" }, /* proofOfApproval: attests it */
	{ "verifier", "1.2.840.113549.1.9.16.6.2" },  /* proofOfReceipt: received it */
};

/*
 * The binding of a handwritten signature image: SEQUENCE { signer
 * UTF8String, imageSha256 OCTET STRING }, under an OID of fx's own UUID
 * arc (ITU-T X.667, 2.25), which needs no registration.
 */
#define OID_INK "2.25.254890438529611983199425551108123752069.1"

static ASN1_OBJECT *oid(const char *dotted)
{
	return OBJ_txt2obj(dotted, 1);
}

/* Adds a signed attribute whose value is SEQUENCE { items }. */
static int add_seq_attr(CMS_SignerInfo *si, const char *dotted, STACK_OF(ASN1_TYPE) *items)
{
	unsigned char *der = NULL;
	ASN1_STRING *s = ASN1_STRING_new();
	ASN1_OBJECT *o = oid(dotted);
	int n = i2d_ASN1_SEQUENCE_ANY(items, &der), ok;

	ok = n > 0 && s && o && ASN1_STRING_set(s, der, n) &&
	     CMS_signed_add1_attr_by_OBJ(si, o, V_ASN1_SEQUENCE, s, -1);
	OPENSSL_free(der);
	ASN1_STRING_free(s);
	ASN1_OBJECT_free(o);
	return ok ? 0 : -1;
}

/* The items of a SEQUENCE-valued signed attribute; NULL when absent. Caller frees. */
static STACK_OF(ASN1_TYPE) *get_seq_attr(CMS_SignerInfo *si, const char *dotted)
{
	ASN1_OBJECT *o = oid(dotted);
	ASN1_STRING *s = CMS_signed_get0_data_by_OBJ(si, o, -3, V_ASN1_SEQUENCE);
	const unsigned char *p;

	ASN1_OBJECT_free(o);
	if (!s)
		return NULL;
	p = ASN1_STRING_get0_data(s);
	return d2i_ASN1_SEQUENCE_ANY(NULL, &p, ASN1_STRING_length(s));
}

static ASN1_TYPE *type_of(int t, void *value)
{
	ASN1_TYPE *a = ASN1_TYPE_new();

	ASN1_TYPE_set1(a, t, value);
	return a;
}

static int add_role(CMS_SignerInfo *si, const char *role)
{
	STACK_OF(ASN1_TYPE) *items = sk_ASN1_TYPE_new_null();
	ASN1_OBJECT *o = NULL;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].role, role) == 0)
			o = oid(roles[i].oid);
	if (!o) {
		sk_ASN1_TYPE_free(items);
		return fx_error("'%s' is not a role (" FX_SIGN_ROLES ")", role);
	}
	sk_ASN1_TYPE_push(items, type_of(V_ASN1_OBJECT, o));
	ASN1_OBJECT_free(o);
	ret = add_seq_attr(si, OID_COMMITMENT, items);
	sk_ASN1_TYPE_pop_free(items, ASN1_TYPE_free);
	return ret;
}

int cms_signer_ink(CMS_SignerInfo *si, char **signer, uint8_t md[32])
{
	STACK_OF(ASN1_TYPE) *items = get_seq_attr(si, OID_INK);
	ASN1_TYPE *a, *b;
	int ok = 0;

	*signer = NULL;
	if (items && sk_ASN1_TYPE_num(items) == 2) {
		a = sk_ASN1_TYPE_value(items, 0);
		b = sk_ASN1_TYPE_value(items, 1);
		ok = a->type == V_ASN1_UTF8STRING && b->type == V_ASN1_OCTET_STRING &&
		     ASN1_STRING_length(b->value.octet_string) == 32;
		if (ok) {
			*signer = fx_xasprintf("%.*s", ASN1_STRING_length(a->value.utf8string),
					       ASN1_STRING_get0_data(a->value.utf8string));
			memcpy(md, ASN1_STRING_get0_data(b->value.octet_string), 32);
		}
	}
	sk_ASN1_TYPE_pop_free(items, ASN1_TYPE_free);
	return ok ? 0 : -1;
}

const char *cms_signer_role(CMS_SignerInfo *si)
{
	STACK_OF(ASN1_TYPE) *items = get_seq_attr(si, OID_COMMITMENT);
	ASN1_TYPE *t = items && sk_ASN1_TYPE_num(items) >= 1 ? sk_ASN1_TYPE_value(items, 0) : NULL;
	const char *role = NULL;
	char dotted[80];
	size_t i;

	if (t && t->type == V_ASN1_OBJECT) {
		OBJ_obj2txt(dotted, sizeof(dotted), t->value.object, 1);
		for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
			if (strcmp(roles[i].oid, dotted) == 0)
				role = roles[i].role;
	}
	sk_ASN1_TYPE_pop_free(items, ASN1_TYPE_free);
	return role;
}

static int add_ink(CMS_SignerInfo *si, const char *signer, const uint8_t md[32])
{
	STACK_OF(ASN1_TYPE) *items = sk_ASN1_TYPE_new_null();
	ASN1_STRING *name = ASN1_STRING_type_new(V_ASN1_UTF8STRING);
	ASN1_OCTET_STRING *h = ASN1_OCTET_STRING_new();
	int ret;

	ASN1_STRING_set(name, signer, -1);
	ASN1_OCTET_STRING_set(h, md, 32);
	sk_ASN1_TYPE_push(items, type_of(V_ASN1_UTF8STRING, name));
	sk_ASN1_TYPE_push(items, type_of(V_ASN1_OCTET_STRING, h));
	ret = add_seq_attr(si, OID_INK, items);
	sk_ASN1_TYPE_pop_free(items, ASN1_TYPE_free);
	ASN1_STRING_free(name);
	ASN1_OCTET_STRING_free(h);
	return ret;
}

CMS_ContentInfo *cms_add_signer(CMS_ContentInfo *cms, struct key *k, const uint8_t md[32],
				const struct cms_attrs *a, int *index)
{
	unsigned flags = CMS_PARTIAL | CMS_CADES | CMS_NOSMIMECAP | CMS_BINARY;
	CMS_ContentInfo *made = NULL;
	CMS_SignerInfo *si;
	ASN1_TIME *t = NULL;
	char buf[256];
	uint8_t have[32];
	int i;

	if (k->engine == NULL && EVP_PKEY_get_base_id(k->pkey) == EVP_PKEY_ED25519) {
		fx_error("key '%s' is Ed25519, which OpenSSL 3.0 cannot use in CMS: sign with a"
			 " p256 or rsa3072 key (Ed25519 keys sign checkpoints)", k->name);
		return NULL;
	}
	if (cms) {
		if (cms_content_digest(cms, have) < 0 || memcmp(have, md, 32) != 0) {
			fx_error("the existing signature is over other bytes");
			return NULL;
		}
		/* The messageDigest and contentType of the signers there are copied. */
		flags |= CMS_REUSE_DIGEST;
	} else {
		made = cms = CMS_sign(NULL, NULL, NULL, NULL,
				      CMS_PARTIAL | CMS_DETACHED | CMS_BINARY);
		if (!cms)
			goto ssl_fail;
	}
	if (cms && !made) {
		/* A party signing again: its certificate is there already. */
		STACK_OF(X509) *present = CMS_get1_certs(cms);

		for (i = 0; i < sk_X509_num(present); i++)
			if (X509_cmp(sk_X509_value(present, i), k->cert) == 0)
				flags |= CMS_NOCERTS;
		sk_X509_pop_free(present, X509_free);
	}
	si = CMS_add1_signer(cms, k->cert, k->pkey, EVP_sha256(), flags);
	if (!si)
		goto ssl_fail;
	if (made &&
	    (!CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, md,
					  32) ||
	     !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
					  OBJ_nid2obj(NID_pkcs7_data), -1)))
		goto ssl_fail;
	t = ASN1_TIME_set(NULL, (time_t)(a->when_ms / 1000));
	if (!t || !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, t->type, t, -1))
		goto ssl_fail;
	if (add_role(si, a->role) < 0)
		goto fail;
	if (a->ink_signer && add_ink(si, a->ink_signer, a->ink_sha256) < 0)
		goto ssl_fail;
	for (i = 0; i < sk_X509_num(k->chain); i++)
		CMS_add1_cert(cms, sk_X509_value(k->chain, i));
	ERR_clear_error(); /* a certificate already there is not an error */
	if (!CMS_SignerInfo_sign(si))
		goto ssl_fail;
	ASN1_TIME_free(t);
	*index = sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)) - 1;
	return cms;
ssl_fail:
	fx_error("cannot sign with key '%s': %s", k->name, ssl_error(buf, sizeof(buf)));
fail:
	ASN1_TIME_free(t);
	CMS_ContentInfo_free(made);
	return NULL;
}

int cms_index_in(const uint8_t *der, size_t len, CMS_SignerInfo *si)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	STACK_OF(CMS_SignerInfo) *sis = cms ? CMS_get0_SignerInfos(cms) : NULL;
	ASN1_OCTET_STRING *mine = CMS_SignerInfo_get0_signature(si);
	int i, found = -1;

	for (i = 0; i < sk_CMS_SignerInfo_num(sis); i++)
		if (ASN1_STRING_cmp(CMS_SignerInfo_get0_signature(sk_CMS_SignerInfo_value(sis, i)),
				    mine) == 0)
			found = i;
	CMS_ContentInfo_free(cms);
	return found;
}

CMS_ContentInfo *cms_parse(const uint8_t *der, size_t len, const char *what)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	char buf[256];

	if (!cms) {
		fx_error("%s: not a CMS signature (DER): %s", what, ssl_error(buf, sizeof(buf)));
		return NULL;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed || !CMS_get0_SignerInfos(cms)) {
		CMS_ContentInfo_free(cms);
		fx_error("%s: not a CMS SignedData", what);
		return NULL;
	}
	return cms;
}

uint8_t *cms_der(CMS_ContentInfo *cms, size_t *len)
{
	unsigned char *der = NULL;
	uint8_t *out;
	char buf[256];
	int n = i2d_CMS_ContentInfo(cms, &der);

	if (n <= 0) {
		fx_error("cannot encode CMS: %s", ssl_error(buf, sizeof(buf)));
		return NULL;
	}
	out = fx_xmalloc((size_t)n);
	memcpy(out, der, (size_t)n);
	OPENSSL_free(der);
	*len = (size_t)n;
	return out;
}

static int signer_digest(CMS_SignerInfo *si, uint8_t md[32])
{
	ASN1_OCTET_STRING *s = CMS_signed_get0_data_by_OBJ(
		si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);

	if (!s || ASN1_STRING_length(s) != 32)
		return -1;
	memcpy(md, ASN1_STRING_get0_data(s), 32);
	return 0;
}

int cms_content_digest(CMS_ContentInfo *cms, uint8_t md[32])
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	uint8_t one[32];
	int i;

	for (i = 0; i < sk_CMS_SignerInfo_num(sis); i++) {
		if (signer_digest(sk_CMS_SignerInfo_value(sis, i), i ? one : md) < 0)
			return -1;
		if (i && memcmp(one, md, 32) != 0)
			return -1;
	}
	return i ? 0 : -1;
}

void cms_signature_imprint(CMS_SignerInfo *si, uint8_t md[32])
{
	ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);

	fx_sha256(ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), md);
}

uint8_t *cms_signer_token(CMS_SignerInfo *si, size_t *len)
{
	ASN1_STRING *s = CMS_unsigned_get0_data_by_OBJ(
		si, OBJ_nid2obj(NID_id_smime_aa_timeStampToken), -3, V_ASN1_SEQUENCE);
	uint8_t *out;

	if (!s)
		return NULL;
	*len = (size_t)ASN1_STRING_length(s);
	out = fx_xmalloc(*len ? *len : 1);
	memcpy(out, ASN1_STRING_get0_data(s), *len);
	return out;
}

int cms_attach_token(CMS_SignerInfo *si, const uint8_t *tok, size_t len)
{
	ASN1_STRING *s = ASN1_STRING_new();
	char buf[256];
	int ok;

	ok = s && ASN1_STRING_set(s, tok, (int)len) &&
	     CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
					   s, -1);
	ASN1_STRING_free(s);
	return ok ? 0 : fx_error("cannot attach the timestamp: %s", ssl_error(buf, sizeof(buf)));
}

/* ---- checking ---- */

static void say(const struct cms_check *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(const struct cms_check *k, const char *fmt, ...)
{
	char msg[1024], full[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s: %s", k->what, msg);
	k->fn(k->ctx, full);
}

/* One DER header: tag and the length of its contents. NULL when malformed. */
static const uint8_t *der_head(const uint8_t *p, const uint8_t *end, int *tag, size_t *len)
{
	size_t n, i;

	if (end - p < 2)
		return NULL;
	*tag = *p++;
	n = *p++;
	if (n & 0x80) {
		i = n & 0x7f;
		if (i == 0 || i > 4 || (size_t)(end - p) < i)
			return NULL;
		for (n = 0; i; i--)
			n = n << 8 | *p++;
	}
	if ((size_t)(end - p) < n)
		return NULL;
	*len = n;
	return p;
}

/*
 * What OpenSSL does not check of a SignedData, the envelope around the
 * signers: its version and the set of digest algorithms. A changed byte
 * there must not pass unnoticed.
 */
static int envelope_ok(const uint8_t *der, size_t len)
{
	const uint8_t *p = der, *end = der + len, *q;
	size_t n;
	int tag;
	/* SET { SEQUENCE { id-sha256 } } as OpenSSL writes it: no parameters. */
	static const uint8_t algs[] = { 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48,
					0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };

	if (!(p = der_head(p, end, &tag, &n)) || tag != 0x30 || p + n != end)
		return 0;
	if (!(q = der_head(p, end, &tag, &n)) || tag != 0x06)
		return 0;
	p = q + n;
	if (!(p = der_head(p, end, &tag, &n)) || tag != 0xa0)
		return 0;
	if (!(p = der_head(p, end, &tag, &n)) || tag != 0x30)
		return 0;
	/* version 1 (issuerAndSerialNumber signers and id-data content) */
	if (!(q = der_head(p, end, &tag, &n)) || tag != 0x02 || n != 1 || *q != 1)
		return 0;
	p = q + n;
	if ((size_t)(end - p) < sizeof(algs) || memcmp(p, algs, sizeof(algs)) != 0)
		return 0;
	p += sizeof(algs);
	/* encapContentInfo, then certificates [0]; no CRLs [1] */
	if (!(q = der_head(p, end, &tag, &n)) || tag != 0x30)
		return 0;
	p = q + n;
	if (p < end && *p == 0xa0) {
		if (!(q = der_head(p, end, &tag, &n)))
			return 0;
		p = q + n;
	}
	if (!(q = der_head(p, end, &tag, &n)) || tag != 0x31 || q + n != end)
		return 0;
	/* every SignerInfo version 1 */
	for (p = q; p < end; p = q + n) {
		const uint8_t *v;
		size_t vn;

		if (!(q = der_head(p, end, &tag, &n)) || tag != 0x30)
			return 0;
		if (!(v = der_head(q, q + n, &tag, &vn)) || tag != 0x02 || vn != 1 || *v != 1)
			return 0;
	}
	return 1;
}

/*
 * An algorithm identifier as OpenSSL writes it: one of the allowed OIDs,
 * and no parameters or NULL ones.
 */
int algor_ok(const X509_ALGOR *a, const int *nids)
{
	const ASN1_OBJECT *o;
	const void *pv;
	int ptype, nid;

	if (!a)
		return 0;
	X509_ALGOR_get0(&o, &ptype, &pv, a);
	nid = OBJ_obj2nid(o);
	if (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL)
		return 0;
	for (; *nids; nids++)
		if (*nids == nid)
			return 1;
	return 0;
}

/* The signature algorithms a key of this type may sign with here. */
const int *sig_nids(EVP_PKEY *pub)
{
	static const int ec[] = { NID_ecdsa_with_SHA256, NID_ecdsa_with_SHA384,
				  NID_ecdsa_with_SHA512, 0 };
	static const int rsa[] = { NID_rsaEncryption, NID_sha256WithRSAEncryption,
				   NID_sha384WithRSAEncryption, NID_sha512WithRSAEncryption, 0 };
	static const int none[] = { 0 };

	switch (pub ? EVP_PKEY_get_base_id(pub) : 0) {
	case EVP_PKEY_EC:
		return ec;
	case EVP_PKEY_RSA:
		return rsa;
	}
	return none;
}

static const char *time_text(int64_t ms, char out[64])
{
	if (fx_time_format(ms, out) < 0)
		snprintf(out, 64, "?");
	return out;
}

/* Whether a CRL of k names cert revoked at or before at_ms; says so. */
static int revoked(const struct cms_check *k, X509 *cert, X509 *issuer, int64_t at_ms,
		   const char *who)
{
	X509_REVOKED *rev;
	X509_CRL *crl;
	char t1[64], t2[64];
	int64_t rms;
	int i;

	for (i = 0; k->crls && i < sk_X509_CRL_num(k->crls); i++) {
		crl = sk_X509_CRL_value(k->crls, i);
		if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) != 0)
			continue;
		if (!issuer || X509_CRL_verify(crl, X509_get0_pubkey(issuer)) <= 0) {
			ERR_clear_error();
			continue; /* not a CRL its issuer signed: says nothing */
		}
		if (X509_CRL_get0_by_cert(crl, &rev, cert) != 1)
			continue;
		asn1_time_rfc3339(X509_REVOKED_get0_revocationDate(rev), t1, &rms);
		if (rms <= at_ms) {
			say(k, "%s: certificate revoked on %s, before signing time %s", who, t1,
			    time_text(at_ms, t2));
			return 1;
		}
	}
	return 0;
}

/* Checks cert's chain to the anchors at at_ms, and revocation. Returns problems. */
int cms_cert_chain(const struct cms_check *k, X509 *cert, STACK_OF(X509) *untrusted,
		   int64_t at_ms, const char *who)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *chain;
	char t[64];
	int err, i, n = 0;

	X509_STORE_CTX_init(ctx, k->store, cert, untrusted);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SMIME_SIGN);
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)(at_ms / 1000));
	if (X509_verify_cert(ctx) != 1) {
		err = X509_STORE_CTX_get_error(ctx);
		time_text(at_ms, t);
		if (err == X509_V_ERR_CERT_HAS_EXPIRED)
			say(k, "%s: certificate expired at signing time %s", who, t);
		else if (err == X509_V_ERR_CERT_NOT_YET_VALID)
			say(k, "%s: certificate not yet valid at signing time %s", who, t);
		else
			say(k, "%s: certificate not trusted: %s", who,
			    X509_verify_cert_error_string(err));
		n++;
	} else {
		chain = X509_STORE_CTX_get0_chain(ctx);
		for (i = 0; i + 1 < sk_X509_num(chain); i++)
			n += revoked(k, sk_X509_value(chain, i), sk_X509_value(chain, i + 1), at_ms,
				     who);
	}
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	return n;
}

static int ess_ok(CMS_SignerInfo *si, X509 *signer)
{
	ASN1_STRING *s = CMS_signed_get0_data_by_OBJ(
		si, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3, V_ASN1_SEQUENCE);
	const unsigned char *p;
	ESS_SIGNING_CERT_V2 *v2;
	STACK_OF(X509) *chain;
	int ok;

	if (!s)
		return -1;
	p = ASN1_STRING_get0_data(s);
	v2 = d2i_ESS_SIGNING_CERT_V2(NULL, &p, ASN1_STRING_length(s));
	chain = sk_X509_new_null();
	sk_X509_push(chain, signer);
	ok = v2 && OSSL_ESS_check_signing_certs(NULL, v2, chain, 1) > 0;
	sk_X509_free(chain);
	ESS_SIGNING_CERT_V2_free(v2);
	ERR_clear_error();
	return ok ? 0 : -2;
}

static int check_signer(const struct cms_check *k, CMS_ContentInfo *cms, CMS_SignerInfo *si,
			int i, STACK_OF(X509) *certs)
{
	X509 *signer = NULL;
	X509_ALGOR *dig;
	void *ct;
	char who[512], *subj, msg[512], t[64];
	const char *role = cms_signer_role(si);
	uint8_t md[32], imp[32], *tok;
	size_t toklen;
	int64_t when = 0;
	struct tok_info info;
	int n = 0, r;

	static const int sha256_only[] = { NID_sha256, 0 };
	X509_ALGOR *sigalg;

	CMS_SignerInfo_get0_algs(si, NULL, &signer, &dig, &sigalg);
	subj = signer ? cert_name(X509_get_subject_name(signer)) : fx_xstrdup("?");
	snprintf(who, sizeof(who), "signer %d (%s, %s)", i, role ? role : "no role", subj);
	free(subj);
	if (!signer) {
		say(k, "%s: its certificate is not in the CMS", who);
		return 1;
	}
	if (!algor_ok(dig, sha256_only)) {
		say(k, "%s: digest is not SHA-256", who);
		n++;
	}
	if (!algor_ok(sigalg, sig_nids(X509_get0_pubkey(signer)))) {
		say(k, "%s: its signature algorithm is not one its key makes", who);
		n++;
	}
	{
		int a, na = CMS_unsigned_get_attr_count(si);

		for (a = 0; a < na; a++)
			if (OBJ_obj2nid(X509_ATTRIBUTE_get0_object(CMS_unsigned_get_attr(si, a))) !=
				    NID_id_smime_aa_timeStampToken ||
			    X509_ATTRIBUTE_count(CMS_unsigned_get_attr(si, a)) != 1) {
				say(k, "%s: an unsigned attribute other than one timestamp token", who);
				n++;
				break;
			}
		if (CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1) !=
		    CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -2)) {
			say(k, "%s: more than one signature timestamp", who);
			n++;
		}
	}
	if (CMS_SignerInfo_verify(si) <= 0) {
		say(k, "%s: the signature does not verify (wrong key or changed bytes)", who);
		ERR_clear_error();
		return n + 1;
	}
	if (!role) {
		say(k, "%s: no role (commitment type) in its signed attributes", who);
		n++;
	}
	if (signer_digest(si, md) < 0) {
		say(k, "%s: no SHA-256 messageDigest attribute", who);
		n++;
	} else if (k->content_md && memcmp(md, k->content_md, 32) != 0) {
		char a[FX_SHA256_HEX], b[FX_SHA256_HEX];

		say(k, "%s: signs bytes with SHA-256 %s, not these (%s)", who, fx_hex(md, 32, a),
		    fx_hex(k->content_md, 32, b));
		n++;
	}
	ct = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_contentType), -3,
					 V_ASN1_OBJECT);
	if (!ct || OBJ_cmp(ct, CMS_get0_eContentType(cms)) != 0 ||
	    OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) {
		say(k, "%s: content type is not id-data in both places", who);
		n++;
	}
	r = ess_ok(si, signer);
	if (r == -1)
		say(k, "%s: no ESS signing-certificate-v2 attribute (not CAdES-BES)", who);
	else if (r == -2)
		say(k, "%s: the signing-certificate-v2 attribute does not name its certificate",
		    who);
	n += r < 0;
	/* The time of signing: a signature timestamp proves it; else the claim. */
	tok = cms_signer_token(si, &toklen);
	if (tok) {
		cms_signature_imprint(si, imp);
		if (tsa_check(tok, toklen, imp, k->store, k->at_ms, &info, msg, sizeof(msg)) < 0) {
			say(k, "%s: signature timestamp: %s", who, msg);
			n++;
		} else {
			when = info.gen_ms;
		}
		tok_info_release(&info);
		free(tok);
	}
	if (!when) {
		int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
		ASN1_TYPE *st = at >= 0 ? X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, at), 0)
				       : NULL;
		int64_t ms;

		if (st && (st->type == V_ASN1_UTCTIME || st->type == V_ASN1_GENERALIZEDTIME) &&
		    asn1_time_rfc3339(st->value.utctime, t, &ms) == 0)
			when = ms;
		else {
			say(k, "%s: no signing time", who);
			n++;
			when = fx_time_now_ms();
		}
	}
	n += cms_cert_chain(k, signer, certs, when, who);
	return n;
}

/*
 * Whether every certificate a CMS or token carries is sound: signed by
 * one of them or by a trust anchor. Certificates no chain uses would
 * otherwise carry a changed byte unnoticed. Returns 0, or -1 with the
 * first bad one's subject in msg.
 */
int certs_sound(STACK_OF(X509) *certs, X509_STORE *store, char *msg, size_t len)
{
	STACK_OF(X509_OBJECT) *objs = store ? X509_STORE_get0_objects(store) : NULL;
	X509 *x, *y;
	char *name;
	int i, j, ok;

	for (i = 0; i < sk_X509_num(certs); i++) {
		x = sk_X509_value(certs, i);
		ok = 0;
		for (j = 0; !ok && j < sk_X509_num(certs); j++) {
			y = sk_X509_value(certs, j);
			ok = X509_NAME_cmp(X509_get_subject_name(y), X509_get_issuer_name(x)) == 0 &&
			     X509_verify(x, X509_get0_pubkey(y)) > 0;
		}
		for (j = 0; !ok && j < sk_X509_OBJECT_num(objs); j++) {
			y = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, j));
			ok = y && X509_NAME_cmp(X509_get_subject_name(y), X509_get_issuer_name(x)) == 0 &&
			     X509_verify(x, X509_get0_pubkey(y)) > 0;
		}
		ERR_clear_error();
		if (!ok) {
			name = cert_name(X509_get_subject_name(x));
			snprintf(msg, len, "the certificate of %s in it is not signed by its issuer"
				 " (changed, or its issuer unknown)", name);
			free(name);
			return -1;
		}
	}
	return 0;
}

int cms_check(CMS_ContentInfo *cms, const uint8_t *der, size_t len, const struct cms_check *k)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	STACK_OF(X509) *certs;
	unsigned char *again = NULL;
	int i, n = 0, alen;

	alen = i2d_CMS_ContentInfo(cms, &again);
	if (alen < 0 || (size_t)alen != len || memcmp(again, der, len) != 0) {
		say(k, "not in DER form: bytes were changed");
		n++;
	} else if (!envelope_ok(der, len)) {
		say(k, "its SignedData envelope (version, digest algorithms) was changed");
		n++;
	}
	OPENSSL_free(again);
	if (!CMS_is_detached(cms)) {
		say(k, "not a detached signature");
		n++;
	}
	if (!sk_CMS_SignerInfo_num(sis)) {
		say(k, "has no signers");
		return n + 1;
	}
	CMS_set1_signers_certs(cms, NULL, 0);
	certs = CMS_get1_certs(cms);
	{
		char msg[512];

		if (certs_sound(certs, k->store, msg, sizeof(msg)) < 0) {
			say(k, "%s", msg);
			n++;
		}
	}
	for (i = 0; i < sk_CMS_SignerInfo_num(sis); i++)
		n += check_signer(k, cms, sk_CMS_SignerInfo_value(sis, i), i, certs);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
	return n;
}
