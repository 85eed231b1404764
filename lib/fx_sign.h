/*
 * fx_sign.h - signatures, trusted time and signed custody checkpoints
 * that a third party can check with the openssl command line alone.
 *
 *   keys         $FX_HOME/keys/NAME/{key.pem,cert.pem,chain.pem,key.json}:
 *                Ed25519, ECDSA P-256 or RSA-3072, the private key 0600
 *                and optionally passphrase-protected, or on a PKCS#11
 *                token (OpenSSL's pkcs11 engine); trust anchors in
 *                $FX_HOME/trust/.
 *   signatures   detached CMS (CAdES-BES: SHA-256, signing-time, ESS
 *                signing-certificate-v2, the role as a commitment type),
 *                one SignerInfo per party, all in the same CMS.
 *   time         RFC 3161 / RFC 5816 tokens from a TSA over HTTP.
 *   checkpoints  the custody log's Merkle tree head as a C2SP
 *                tlog-checkpoint signed note, cosigned by other parties;
 *                inclusion and consistency proofs.
 *
 * Each command returns 0 when all went well, 1 for a negative result or
 * a partial failure (each problem reported), -1 for fatal trouble
 * (reported; nothing trustworthy was produced).
 */
#ifndef FX_SIGN_H
#define FX_SIGN_H

#include <stdint.h>
#include <stdio.h>

#include "fx_case.h"

/* The parties of judicial appraisal, as --role names them. */
#define FX_SIGN_ROLES "signer, certifier or verifier"

/* What every command may use; unset fields are NULL or 0. */
struct fx_sign {
	const char *case_dir;        /* the case; NULL: work on files alone */
	struct fx_actor who;         /* for custody entries */
	const char *key;             /* key name; NULL: $FX_SIGN_KEY or the only one */
	const char *passphrase_file; /* key passphrase or token PIN; else $FX_PASSPHRASE */
	const char *role;            /* sign */
	const char *ink, *ink_signer; /* sign: a handwritten signature image and whose */
	const char *tsa_url;         /* the TSA to ask; else $FX_TSA */
	const char *tsa_cert;        /* the TSA's certificate, pinned; else $FX_TSA_CERT */
	long timeout;                /* seconds for the TSA to answer; 0: 30 */
	const char *const *ca;       /* trust anchors (PEM files), besides $FX_HOME/trust */
	const char *const *crl;      /* CRLs (PEM or DER files) */
	int quiet;
	FILE *out;                   /* records and results */
};

/* ---- keys ---- */

/*
 * Makes a key pair and a self-signed certificate under $FX_HOME/keys/NAME
 * (algo "ed25519", "p256" or "rsa3072"; subject like "/CN=Li Na/O=Lab";
 * days of validity). The certificate is also trusted ($FX_HOME/trust/).
 * Ed25519 keys sign checkpoints only: OpenSSL 3.0 cannot make CMS with
 * them. Prints a key line. Returns 0 or -1.
 */
int fx_sign_keygen(const struct fx_sign *s, const char *name, const char *algo,
		   const char *subject, int days);

/*
 * Imports a certificate and its key issued by the examiner's CA: cert
 * and key as PEM files, or a PKCS#12 file, or cert with a PKCS#11 URI of
 * a key on a token (module: the token's PKCS#11 library). chain (may be
 * NULL) adds intermediate certificates. Returns 0 or -1.
 */
int fx_sign_import(const struct fx_sign *s, const char *name, const char *cert,
		   const char *key, const char *pkcs12, const char *pkcs11,
		   const char *module, const char *chain);

/* Prints one JSON line per key. Returns 0 or -1. */
int fx_sign_keys(const struct fx_sign *s);

/* Adds the certificates in each file to $FX_HOME/trust/. Returns 0 or -1. */
int fx_sign_trust(const struct fx_sign *s, char **files, int n);

/* ---- acting ---- */

/*
 * Signs each file (detached CMS), or with a case and no files its newest
 * checkpoint. A CMS over the same bytes already there (in the case, or
 * FILE.p7s beside a file) gets this party's signer added. With a TSA the
 * new signer gets a signature timestamp. Prints signature (and timestamp)
 * records; with a case each signature is a custody entry.
 */
int fx_sign_sign(const struct fx_sign *s, char **files, int n);

/*
 * Timestamps each file (RFC 3161). With a case and no files, adds a
 * signature timestamp to every CMS signer in the case that has none.
 */
int fx_sign_stamp(const struct fx_sign *s, char **files, int n);

/*
 * Signs the custody tree head as a checkpoint (cosign: adds this key's
 * signature to the newest checkpoint instead), after checking that the
 * log is consistent with every earlier checkpoint; with a TSA, also
 * timestamps the checkpoint.
 */
int fx_sign_checkpoint(const struct fx_sign *s, int cosign);

/*
 * Re-stamps every timestamp token and every signature in the case whose
 * TSA or signer certificate expires within days, keeping the old ones.
 */
int fx_sign_renew(const struct fx_sign *s, int days);

/*
 * Prints an inclusion proof of custody entry seq in the newest checkpoint
 * (size 0) or the checkpoint of that size: the entry, the proof, the
 * signed checkpoint and its signers' certificates, checkable alone.
 * With from > 0, a consistency proof from the checkpoint of size from to
 * that checkpoint instead.
 */
int fx_sign_prove(const struct fx_sign *s, uint64_t seq, uint64_t size, uint64_t from);

/*
 * Checks every signature, token and checkpoint of the case (when given)
 * and each file: a signed file (FILE.p7s beside it), a CMS (.p7s), a
 * token (.tst), a checkpoint note or a proof. Each failure is reported,
 * naming the artifact. Prints a summary line. Returns 0, 1 or -1.
 */
int fx_sign_verify(const struct fx_sign *s, char **files, int n);

/*
 * For fx_case_verify(): the case's checkpoints. Every signature of the
 * newest is checked against the certificate recorded for it, and each
 * checkpoint's root against the log (a consistency proof from each
 * earlier one to the newest), so a rewritten history is caught even if
 * it was re-chained. Each problem goes to fn. Returns the number of
 * checkpoints checked, or -1.
 */
int fx_sign_case_checkpoints(struct fx_case *c, void (*fn)(void *ctx, const char *msg),
			     void *ctx);

#endif
