/*
 * sign_int.h - what the files of lib/sign/ share. Nothing outside
 * lib/sign/ includes this.
 */
#ifndef FX_SIGN_INT_H
#define FX_SIGN_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "fx_buf.h"
#include "fx_case.h"
#include "fx_merkle.h"
#include "fx_sign.h"

/* ---- keys.c ---- */

/* A loaded signing key. _load/_free pair. */
struct key {
	char *name;
	char *algo;             /* "ed25519", "p256", "rsa3072", … */
	EVP_PKEY *pkey;
	X509 *cert;
	STACK_OF(X509) *chain; /* intermediates, may be empty */
	void *engine;           /* the PKCS#11 engine holding pkey, or NULL */
};

/* Loads the key s names (or the default one). NULL after reporting. */
struct key *key_load(const struct fx_sign *s);
void key_free(struct key *k);

/* "ed25519", "p256", "p384", "rsa3072", … of a public key. Borrowed. */
const char *key_algo(EVP_PKEY *pkey);

/* The passphrase s gives (file, else $FX_PASSPHRASE), or NULL. Caller frees. */
char *sign_passphrase(const struct fx_sign *s);

/*
 * The trust anchors: s->ca files and the .pem files of $FX_HOME/trust. A new store
 * (caller X509_STORE_free()s); NULL after reporting.
 */
X509_STORE *trust_store(const struct fx_sign *s);
/* Every CRL of s->crl. A new stack (caller frees with X509_CRL_free). */
STACK_OF(X509_CRL) *trust_crls(const struct fx_sign *s);

/* ---- util (keys.c) ---- */

/* Reads a PEM or DER file of certificates. New stack, NULL after reporting. */
STACK_OF(X509) *certs_read(const char *path);
/* SHA-256 of a certificate's DER, hex. */
void cert_sha256(X509 *x, char hex[FX_SHA256_HEX]);
/* The certificate's subject (or issuer) as "CN=…, O=…". Caller frees. */
char *cert_name(const X509_NAME *n);
/* Serial number in hex. Caller frees. */
char *cert_serial(X509 *x);
/* An ASN1_TIME as RFC 3339 ms; ms since 1970 into *ms. Returns 0 or -1. */
int asn1_time_rfc3339(const ASN1_TIME *t, char out[64], int64_t *ms);
/* The oldest OpenSSL error's text, and the queue cleared. Borrowed (static buffer per call). */
const char *ssl_error(char *buf, size_t len);
/* Base64 (RFC 4648, padded) of n bytes. Caller frees. */
char *b64_encode(const void *p, size_t n);
/* Strict base64 decode; NULL when s is not canonical base64. Caller frees. */
uint8_t *b64_decode(const char *s, size_t slen, size_t *n);
/* SHA-256 of a file in one pass; hex and raw. Returns 0 or -1 (reported). */
int file_sha256(const char *path, uint8_t md[32], char hex[FX_SHA256_HEX], uint64_t *size);
/* Reads a whole object of the case by hash. Caller frees; NULL after reporting. */
uint8_t *object_read(struct fx_case *c, const char *hex, size_t *len);

/* ---- cms.c ---- */

struct cms_attrs {
	const char *role;        /* signer, certifier, verifier */
	int64_t when_ms;         /* signing time */
	const char *ink_signer;  /* NULL: no ink binding */
	const uint8_t *ink_sha256;
};

/*
 * Adds k's signer over content whose SHA-256 is md to cms, or makes a
 * new detached CMS when cms is NULL (then returned). Returns cms or NULL
 * after reporting; *index gets the new signer's position.
 */
CMS_ContentInfo *cms_add_signer(CMS_ContentInfo *cms, struct key *k, const uint8_t md[32],
				const struct cms_attrs *a, int *index);
/*
 * Where si is among the signers of the CMS encoded as der: DER sorts a
 * SET OF, so a signer's place can change when the CMS is written.
 */
int cms_index_in(const uint8_t *der, size_t len, CMS_SignerInfo *si);
/* Parses DER; NULL after reporting (what names it). */
CMS_ContentInfo *cms_parse(const uint8_t *der, size_t len, const char *what);
/* DER of cms. Caller frees; NULL after reporting. */
uint8_t *cms_der(CMS_ContentInfo *cms, size_t *len);
/* The messageDigest all signers share; 0 or -1 when none or they differ. */
int cms_content_digest(CMS_ContentInfo *cms, uint8_t md[32]);
/* The role a signer claims (commitment type), or NULL. Borrowed. */
const char *cms_signer_role(CMS_SignerInfo *si);
/* The handwritten signature a signer binds: *signer malloc'd. Returns 0, or -1 when none. */
int cms_signer_ink(CMS_SignerInfo *si, char **signer, uint8_t md[32]);
/* SHA-256 of the signer's signature value: a signature timestamp's imprint. */
void cms_signature_imprint(CMS_SignerInfo *si, uint8_t md[32]);
/* The signature timestamp token of a signer: DER, caller frees; NULL when none. */
uint8_t *cms_signer_token(CMS_SignerInfo *si, size_t *len);
/* Attaches a token to a signer as an unsigned attribute. Returns 0 or -1. */
int cms_attach_token(CMS_SignerInfo *si, const uint8_t *tok, size_t len);

/* What is checked of one signer; problems go to fn with the signer named. */
struct cms_check {
	X509_STORE *store;
	STACK_OF(X509_CRL) *crls;
	const uint8_t *content_md; /* the signed bytes' SHA-256, or NULL when not at hand */
	const char *what;          /* names the CMS in messages */
	int64_t at_ms;             /* when timestamps' TSA chains must hold; 0: now */
	void (*fn)(void *ctx, const char *msg);
	void *ctx;
};
/*
 * Checks every signer of cms: the structure, each signature, the
 * messageDigest, the ESS signing-certificate-v2 hash, the certificate
 * chain and revocation at signing time (the signature timestamp's time
 * when there is one, else the claimed signing time), and any signature
 * timestamp. Returns the number of problems.
 */
int cms_check(CMS_ContentInfo *cms, const uint8_t *der, size_t len, const struct cms_check *k);
/* An AlgorithmIdentifier of one of nids (0-ended), with absent or NULL parameters. */
int algor_ok(const X509_ALGOR *a, const int *nids);
/* The signature algorithms a public key of its type makes. Borrowed. */
const int *sig_nids(EVP_PKEY *pub);
/* Every certificate signed by one of them or an anchor. Returns 0, or -1 with why in msg. */
int certs_sound(STACK_OF(X509) *certs, X509_STORE *store, char *msg, size_t len);
/* Checks cert's chain to k's anchors at at_ms and its revocation; who names it. Returns problems. */
int cms_cert_chain(const struct cms_check *k, X509 *cert, STACK_OF(X509) *untrusted,
		   int64_t at_ms, const char *who);

/* ---- tsa.c ---- */

struct tok_info {
	char gen_time[64];
	int64_t gen_ms;
	char *serial, *policy, *nonce; /* hex, dotted OID, hex; caller frees (tok_info_release) */
	char *tsa_subject;
	char tsa_cert_sha256[FX_SHA256_HEX];
	char tsa_not_after[64];
	int64_t tsa_not_after_ms;
	uint8_t imprint[32];
};
void tok_info_release(struct tok_info *t);

/*
 * Asks the TSA of s for a token over imprint and checks the reply fully:
 * status, nonce, imprint, signature, the TSA chain to the trust anchors
 * and the pinned certificate. *tok gets the token (DER TimeStampToken,
 * caller frees). Returns 0 or -1 (reported).
 */
int tsa_stamp(const struct fx_sign *s, X509_STORE *store, const uint8_t imprint[32],
	      uint8_t **tok, size_t *len, struct tok_info *info);

/*
 * Checks a stored token against imprint, the trust anchors, and its TSA
 * chain at time at_ms (0: now). Fills info (may be NULL). Returns 0, or
 * -1 with why in msg.
 */
int tsa_check(const uint8_t *tok, size_t len, const uint8_t imprint[32], X509_STORE *store,
	      int64_t at_ms, struct tok_info *info, char *msg, size_t msglen);
/* Reads a token's details without checking it. Returns 0 or -1. */
int tsa_info(const uint8_t *tok, size_t len, struct tok_info *info);

/* ---- note.c: C2SP signed notes ---- */

/* The checkpoint text: origin, size, base64 root, each on its line. Caller frees. */
char *note_text(const char *origin, uint64_t size, const fx_mhash root);
/* The origin of a case's checkpoints: "fx-case/<case-id>". Caller frees. */
char *note_origin(const char *case_id);
/*
 * Appends k's signature line over text to b. *key_id gets its 4 bytes.
 * Returns 0 or -1 (reported).
 */
int note_sign(struct key *k, const char *text, struct fx_buf *b, uint32_t *key_id);
/* The key ID (signed-note) of a public key under name. Returns 0 or -1. */
int note_key_id(const char *name, EVP_PKEY *pub, uint32_t *id, const char **alg);

struct note_sig {
	char *name;
	uint32_t id;
	uint8_t *sig;
	size_t len;
};
struct note {
	char *text;          /* with its final newline */
	size_t text_len;
	char *origin;
	uint64_t size;
	fx_mhash root;
	struct note_sig *sigs;
	size_t nsigs;
};
/* Parses a signed checkpoint. Returns 0 or -1 with why in msg. */
int note_parse(const char *buf, size_t len, struct note *n, char *msg, size_t msglen);
void note_release(struct note *n);
/* Verifies a signature of n with pub under name. Returns 0 or -1. */
int note_verify_sig(const struct note *n, const struct note_sig *g, EVP_PKEY *pub);

/* ---- tree.c: proofs over the custody log ---- */

/*
 * The custody tree of a given size: the roots of its complete 256-entry
 * blocks (the "tiles"), with leaves read from the case (or from leaves[]
 * when not NULL) for the blocks at the edges. _init/_release pair.
 */
#define TREE_BLOCK 256
struct tree {
	uint64_t size;
	fx_mhash *blocks;
	uint64_t nblocks;
	struct fx_case *c;
	const fx_mhash *leaves;
	fx_mhash cache[TREE_BLOCK];
	uint64_t cached; /* block in cache, or UINT64_MAX */
};
void tree_init(struct tree *t, struct fx_case *c, const fx_mhash *leaves, uint64_t size);
void tree_release(struct tree *t);
/*
 * Makes the block roots up to t->size: those of tiles (n of them, may be
 * NULL) are taken as they are, the rest computed from the leaves.
 * Returns 0 or -1.
 */
int tree_build(struct tree *t, const uint8_t *tiles, uint64_t n);
int tree_root(struct tree *t, uint64_t size, fx_mhash root);
int tree_inclusion(struct tree *t, uint64_t index, uint64_t size,
		   fx_mhash proof[FX_MERKLE_MAX_PROOF], size_t *len);
int tree_consistency(struct tree *t, uint64_t m, uint64_t n,
		     fx_mhash proof[FX_MERKLE_MAX_PROOF], size_t *len);

/* ---- case.c ---- */

/* Opens s's case (FX_CASE_READ/WRITE). NULL after reporting. */
struct fx_case *sign_case_open(const struct fx_sign *s, unsigned flags);

/* The records of a type, in the order they were added. New reference (array). */
json_t *case_records(struct fx_case *c, const char *type);

#endif
