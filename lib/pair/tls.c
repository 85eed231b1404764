/*
 * TLS 1.3 for pairing: a per-case self-signed key on the workstation, and
 * a client that trusts exactly one certificate, by its SHA-256.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_pair.h"
#include "fx_banned.h"

static int ssl_error(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return fx_error("%s: %s", what, e ? buf : "unknown TLS error");
}

/* A new P-256 key and a self-signed certificate naming the case. */
static int make_cert(const char *key_path, const char *cert_path, const char *cn)
{
	EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	FILE *f = NULL;
	int fd, ret = -1;

	if (!pk || !x) {
		ssl_error("cannot make the session key");
		goto out;
	}
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)time(NULL));
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 24 * 3600);
	X509_set_pubkey(x, pk);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	if (!X509_sign(x, pk, EVP_sha256())) {
		ssl_error("cannot sign the session certificate");
		goto out;
	}
	fd = open(key_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f || !PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL) || fclose(f) != 0) {
		fx_error_errno("cannot write '%s'", key_path);
		f = NULL;
		goto out;
	}
	f = fopen(cert_path, "wx");
	if (!f || !PEM_write_X509(f, x) || fclose(f) != 0) {
		fx_error_errno("cannot write '%s'", cert_path);
		f = NULL;
		goto out;
	}
	ret = 0;
out:
	EVP_PKEY_free(pk);
	X509_free(x);
	return ret;
}

static int cert_fingerprint(X509 *x, char fp[FX_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!X509_digest(x, EVP_sha256(), md, &n) || n != 32)
		return fx_error("cannot hash a certificate");
	fx_hex(md, 32, fp);
	return 0;
}

static SSL_CTX *new_ctx(const SSL_METHOD *m)
{
	SSL_CTX *ctx = SSL_CTX_new(m);

	if (!ctx) {
		ssl_error("cannot set up TLS");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
	/* No tickets: a session is one connection, resumed by our own protocol. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	return ctx;
}

SSL_CTX *fx_pair_tls_server(const char *case_dir, char fp[FX_SHA256_HEX])
{
	char *dir = fx_path_join(case_dir, "pair");
	char *key = fx_path_join(dir, "server.key");
	char *cert = fx_path_join(dir, "server.crt");
	char *cn = fx_xasprintf("fx-pair %s", case_dir);
	SSL_CTX *ctx = NULL;
	X509 *x;

	if (fx_mkdirs(dir, 0700) < 0)
		goto out;
	if (access(key, F_OK) != 0 && make_cert(key, cert, cn) < 0)
		goto out;
	ctx = new_ctx(TLS_server_method());
	if (!ctx)
		goto out;
	if (SSL_CTX_use_certificate_file(ctx, cert, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		ssl_error("cannot load the session key");
		fx_error("key and certificate are kept in '%s'", dir);
		SSL_CTX_free(ctx);
		ctx = NULL;
		goto out;
	}
	x = SSL_CTX_get0_certificate(ctx);
	if (cert_fingerprint(x, fp) < 0) {
		SSL_CTX_free(ctx);
		ctx = NULL;
	}
out:
	free(dir);
	free(key);
	free(cert);
	free(cn);
	return ctx;
}

SSL_CTX *fx_pair_tls_client(void)
{
	SSL_CTX *ctx = new_ctx(TLS_client_method());

	/* The certificate is self-signed: it is pinned by fingerprint after the handshake. */
	if (ctx)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	return ctx;
}

int fx_pair_peer_fingerprint(SSL *ssl, char fp[FX_SHA256_HEX])
{
	X509 *x = SSL_get1_peer_certificate(ssl);
	int r;

	if (!x)
		return fx_error("the peer showed no certificate");
	r = cert_fingerprint(x, fp);
	X509_free(x);
	return r;
}
