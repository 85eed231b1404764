/*
 * keys.c - signing keys under $FX_HOME/keys/NAME: made here (keygen),
 * imported from the examiner's CA (PEM, PKCS#12), or held on a PKCS#11
 * token through OpenSSL's pkcs11 engine; the trust anchors; and small
 * helpers the other files share.
 */
/*
 * Debian 12 has the pkcs11 engine but no pkcs11 provider for OpenSSL 3.0:
 * the ENGINE API, deprecated in 3.0, is the way to a token. Asking for the
 * 1.1.1 API keeps it without deprecation warnings.
 */
#define OPENSSL_API_COMPAT 10101

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "sign_int.h"
#include "fx_err.h"
#include "fx_hash.h"
#include "fx_io.h"
#include "fx_json.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

/* ---- helpers ---- */

const char *ssl_error(char *buf, size_t len)
{
	const char *data = NULL, *d2 = NULL;
	int flags = 0, f2 = 0;
	unsigned long e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags);

	/* The first error says what failed; its data, or a later one's, says why. */
	while (ERR_peek_error()) {
		ERR_get_error_all(NULL, NULL, NULL, &d2, &f2);
		if ((!data || !*data || !(flags & ERR_TXT_STRING)) && d2 && *d2 &&
		    (f2 & ERR_TXT_STRING)) {
			data = d2;
			flags = f2;
		}
	}
	if (!e) {
		snprintf(buf, len, "unknown error");
	} else {
		const char *r = ERR_reason_error_string(e);

		if (data && *data && (flags & ERR_TXT_STRING))
			snprintf(buf, len, "%s (%s)", r ? r : "error", data);
		else
			snprintf(buf, len, "%s", r ? r : "error");
	}
	ERR_clear_error();
	return buf;
}

char *b64_encode(const void *p, size_t n)
{
	char *out = fx_xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

uint8_t *b64_decode(const char *s, size_t slen, size_t *n)
{
	uint8_t *out;
	char *again;
	int k, pad = 0;

	if (slen == 0 || slen % 4 || slen > (1u << 24))
		return NULL;
	if (s[slen - 1] == '=')
		pad++;
	if (s[slen - 2] == '=')
		pad++;
	out = fx_xmalloc(slen / 4 * 3 + 1);
	k = EVP_DecodeBlock(out, (const unsigned char *)s, (int)slen);
	if (k < 0 || k < pad) {
		free(out);
		return NULL;
	}
	*n = (size_t)(k - pad);
	/* Only the canonical encoding: one changed byte must not decode the same. */
	again = b64_encode(out, *n);
	if (strlen(again) != slen || memcmp(again, s, slen) != 0) {
		free(again);
		free(out);
		return NULL;
	}
	free(again);
	return out;
}

static int hash_block(const void *buf, size_t n, void *ctx)
{
	EVP_DigestUpdate(ctx, buf, n);
	return 0;
}

int file_sha256(const char *path, uint8_t md[32], char hex[FX_SHA256_HEX], uint64_t *size)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_MD *sha = EVP_MD_fetch(NULL, "SHA256", NULL);
	unsigned int n;
	int ret;

	if (!ctx || !sha || !EVP_DigestInit_ex2(ctx, sha, NULL))
		fx_die("cannot initialise sha256 digest");
	ret = fx_read_blocks(path, hash_block, ctx, size);
	EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(sha);
	if (hex)
		fx_hex(md, 32, hex);
	return ret;
}

uint8_t *object_read(struct fx_case *c, const char *hex, size_t *len)
{
	char *path = fx_store_path(fx_case_store(c), hex);
	uint8_t *p = (uint8_t *)fx_read_file(path, len, 1u << 30);

	free(path);
	return p;
}

STACK_OF(X509) *certs_read(const char *path)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	char buf[256];
	size_t len;
	char *data = fx_read_file(path, &len, 16u << 20);
	const unsigned char *p;
	BIO *bio;
	X509 *x;

	if (!data) {
		sk_X509_free(sk);
		return NULL;
	}
	bio = BIO_new_mem_buf(data, (int)len);
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		sk_X509_push(sk, x);
	ERR_clear_error();
	BIO_free(bio);
	if (!sk_X509_num(sk)) {
		p = (const unsigned char *)data;
		x = d2i_X509(NULL, &p, (long)len);
		if (x)
			sk_X509_push(sk, x);
	}
	free(data);
	if (!sk_X509_num(sk)) {
		sk_X509_free(sk);
		fx_error("'%s': no certificate in it (%s)", path, ssl_error(buf, sizeof(buf)));
		return NULL;
	}
	return sk;
}

void cert_sha256(X509 *x, char hex[FX_SHA256_HEX])
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	uint8_t md[32];

	fx_sha256(der, n > 0 ? (size_t)n : 0, md);
	OPENSSL_free(der);
	fx_hex(md, 32, hex);
}

char *cert_name(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *s;
	long len;

	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	len = BIO_get_mem_data(b, &p);
	s = fx_xmalloc((size_t)len + 1);
	memcpy(s, p, (size_t)len);
	s[len] = '\0';
	BIO_free(b);
	return s;
}

char *cert_serial(X509 *x)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *h = BN_bn2hex(bn), *s = fx_xstrdup(h ? h : "");
	size_t i;

	for (i = 0; s[i]; i++)
		if (s[i] >= 'A' && s[i] <= 'F')
			s[i] = (char)(s[i] - 'A' + 'a');
	OPENSSL_free(h);
	BN_free(bn);
	return s;
}

int asn1_time_rfc3339(const ASN1_TIME *t, char out[64], int64_t *ms)
{
	struct tm tm;
	int64_t s;

	out[0] = '\0';
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return -1;
	/* Days from civil, as timegm() would, without the non-standard call. */
	{
		int y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
		int64_t era, yoe, doy, doe, days;

		y -= m <= 2;
		era = (y >= 0 ? y : y - 399) / 400;
		yoe = y - era * 400;
		doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		days = era * 146097 + doe - 719468;
		s = days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	}
	if (ms)
		*ms = s * 1000;
	return fx_time_format(s * 1000, out);
}

/* ---- the key store ---- */

static int name_ok(const char *name)
{
	const char *p;

	if (!name || !*name || strlen(name) > 64 || name[0] == '.')
		return 0;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._@-", *p)))
			return 0;
	return 1;
}

static char *keys_dir(void)
{
	char *home = fx_home(), *d = fx_path_join(home, "keys");

	free(home);
	return d;
}

static char *key_dir(const char *name)
{
	char *d = keys_dir(), *k = fx_path_join(d, name);

	free(d);
	return k;
}

char *sign_passphrase(const struct fx_sign *s)
{
	const char *env = getenv("FX_PASSPHRASE");
	char *p;
	size_t n;

	if (s->passphrase_file) {
		p = fx_read_file(s->passphrase_file, &n, 4096);
		if (!p)
			return NULL;
		/* The first line, without its newline. */
		p[strcspn(p, "\r\n")] = '\0';
		return p;
	}
	return env ? fx_xstrdup(env) : NULL;
}

struct pass {
	const char *pw;
	int asked;
};

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	struct pass *p = u;
	int n;

	(void)rwflag;
	p->asked = 1;
	if (!p->pw)
		return -1;
	n = (int)strlen(p->pw);
	if (n > size)
		n = size;
	memcpy(buf, p->pw, (size_t)n);
	return n;
}

const char *key_algo(EVP_PKEY *pkey)
{
	char group[64];
	size_t len;

	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_ED25519:
		return "ed25519";
	case EVP_PKEY_RSA:
		return EVP_PKEY_get_bits(pkey) >= 3072 ? "rsa3072" : "rsa2048";
	case EVP_PKEY_EC:
		if (EVP_PKEY_get_utf8_string_param(pkey, "group", group, sizeof(group), &len) &&
		    strcmp(group, "P-384") == 0)
			return "p384";
		if (EVP_PKEY_get_utf8_string_param(pkey, "group", group, sizeof(group), &len) &&
		    strcmp(group, "prime256v1") != 0 && strcmp(group, "P-256") != 0)
			return "ec";
		return "p256";
	}
	return "unknown";
}

void key_free(struct key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	X509_free(k->cert);
	sk_X509_pop_free(k->chain, X509_free);
	if (k->engine) {
		ENGINE_finish(k->engine);
		ENGINE_free(k->engine);
	}
	free(k->name);
	free(k);
}

/* The name of the only key, or $FX_SIGN_KEY. Caller frees; NULL after reporting. */
static char *default_key(void)
{
	const char *env = getenv("FX_SIGN_KEY");
	char *dir, *found = NULL;
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (env && *env)
		return fx_xstrdup(env);
	dir = keys_dir();
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (!name_ok(de->d_name))
			continue;
		n++;
		free(found);
		found = fx_xstrdup(de->d_name);
	}
	if (d)
		closedir(d);
	if (n != 1) {
		free(found);
		found = NULL;
		if (n == 0)
			fx_error("no signing key in '%s' (fx-sign keygen or import makes one)", dir);
		else
			fx_error("%d keys in '%s': choose one with --key NAME", n, dir);
	}
	free(dir);
	return found;
}

static EVP_PKEY *load_token_key(const char *uri, const char *module, const char *pin,
				ENGINE **out)
{
	char buf[256];
	EVP_PKEY *pk = NULL;
	ENGINE *e;

	ENGINE_load_builtin_engines();
	e = ENGINE_by_id("pkcs11");
	if (!e) {
		fx_error("the OpenSSL pkcs11 engine is not installed (libengine-pkcs11-openssl): %s",
			 ssl_error(buf, sizeof(buf)));
		return NULL;
	}
	if ((module && !ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module, 0)) ||
	    (pin && !ENGINE_ctrl_cmd_string(e, "PIN", pin, 0)) || !ENGINE_init(e)) {
		fx_error("cannot start the pkcs11 engine with module '%s': %s",
			 module ? module : "(default)", ssl_error(buf, sizeof(buf)));
		ENGINE_free(e);
		return NULL;
	}
	pk = ENGINE_load_private_key(e, uri, NULL, NULL);
	if (!pk) {
		fx_error("'%s': the key is not on any token present, or the PIN is wrong: %s", uri,
			 ssl_error(buf, sizeof(buf)));
		ENGINE_finish(e);
		ENGINE_free(e);
		return NULL;
	}
	*out = e;
	return pk;
}

struct key *key_load(const struct fx_sign *s)
{
	char *name = s->key ? fx_xstrdup(s->key) : default_key();
	char *dir, *path, *text, *pw;
	char buf[256];
	struct key *k;
	json_t *meta;
	const char *uri;
	struct pass pass;
	BIO *bio;
	STACK_OF(X509) *chain;

	if (!name)
		return NULL;
	if (!name_ok(name)) {
		fx_error("'%s' is not a key name (letters, digits, '.', '_', '@', '-')", name);
		free(name);
		return NULL;
	}
	dir = key_dir(name);
	k = fx_xcalloc(1, sizeof(*k));
	k->name = name;
	k->chain = sk_X509_new_null();
	path = fx_path_join(dir, "key.json");
	text = access(path, F_OK) == 0 ? fx_read_file(path, NULL, 1 << 20) : NULL;
	free(path);
	if (!text) {
		fx_error("no key '%s' in '%s'", name, dir);
		goto fail;
	}
	meta = json_loads(text, 0, NULL);
	free(text);
	path = fx_path_join(dir, "cert.pem");
	chain = certs_read(path);
	free(path);
	if (!chain) {
		json_decref(meta);
		goto fail;
	}
	k->cert = sk_X509_shift(chain);
	sk_X509_pop_free(chain, X509_free);
	path = fx_path_join(dir, "chain.pem");
	if (access(path, F_OK) == 0 && (chain = certs_read(path))) {
		sk_X509_pop_free(k->chain, X509_free);
		k->chain = chain;
	}
	free(path);
	pw = sign_passphrase(s);
	uri = json_string_value(json_object_get(meta, "pkcs11"));
	if (uri) {
		ENGINE *e = NULL;

		k->pkey = load_token_key(uri, json_string_value(json_object_get(meta, "module")), pw,
					 &e);
		k->engine = e;
	} else {
		path = fx_path_join(dir, "key.pem");
		text = fx_read_file(path, NULL, 1 << 20);
		if (text) {
			pass.pw = pw;
			pass.asked = 0;
			bio = BIO_new_mem_buf(text, -1);
			k->pkey = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, &pass);
			BIO_free(bio);
			free(text);
			if (!k->pkey && pass.asked && !pw)
				fx_error("key '%s' is protected: give its passphrase"
					 " (--passphrase-file or FX_PASSPHRASE)", name);
			else if (!k->pkey && pass.asked)
				fx_error("key '%s': wrong passphrase", name);
			else if (!k->pkey)
				fx_error("'%s': not a private key: %s", path,
					 ssl_error(buf, sizeof(buf)));
			ERR_clear_error();
		}
		free(path);
	}
	free(pw);
	json_decref(meta);
	if (!k->pkey)
		goto fail;
	if (!k->engine && !X509_check_private_key(k->cert, k->pkey)) {
		fx_error("key '%s': the private key does not match its certificate", name);
		goto fail;
	}
	k->algo = (char *)key_algo(X509_get0_pubkey(k->cert));
	free(dir);
	return k;
fail:
	free(dir);
	key_free(k);
	return NULL;
}

/* ---- writing keys ---- */

static char *pem_of_key(EVP_PKEY *pk, const char *pw, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out;
	long n;
	int ok;

	/* PKCS#8 with PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256) when protected. */
	ok = PEM_write_bio_PKCS8PrivateKey(b, pk, pw ? EVP_aes_256_cbc() : NULL, NULL, 0, NULL,
					   (void *)pw);
	n = BIO_get_mem_data(b, &p);
	out = ok ? fx_xmalloc((size_t)n + 1) : NULL;
	if (out) {
		memcpy(out, p, (size_t)n);
		out[n] = '\0';
		*len = (size_t)n;
	}
	BIO_free(b);
	return out;
}

static char *pem_of_certs(X509 *first, STACK_OF(X509) *more, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out;
	long n;
	int i;

	if (first)
		PEM_write_bio_X509(b, first);
	for (i = 0; more && i < sk_X509_num(more); i++)
		PEM_write_bio_X509(b, sk_X509_value(more, i));
	n = BIO_get_mem_data(b, &p);
	out = fx_xmalloc((size_t)n + 1);
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	*len = (size_t)n;
	BIO_free(b);
	return out;
}

static int write_in(const char *dir, const char *name, const char *data, size_t len, mode_t mode)
{
	char *path = fx_path_join(dir, name);
	int ret = fx_write_file_atomic(path, data, len, mode);

	free(path);
	return ret;
}

static json_t *key_line(const char *name, X509 *cert, const char *uri)
{
	char hex[FX_SHA256_HEX], t[64];
	char *subj = cert_name(X509_get_subject_name(cert));
	char *iss = cert_name(X509_get_issuer_name(cert));
	json_t *j;

	cert_sha256(cert, hex);
	asn1_time_rfc3339(X509_get0_notAfter(cert), t, NULL);
	j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name", name, "algorithm",
		      key_algo(X509_get0_pubkey(cert)), "subject", subj, "issuer", iss,
		      "not_after", t, "cert_sha256", hex);
	if (uri)
		json_object_set_new(j, "pkcs11", json_string(uri));
	free(subj);
	free(iss);
	return j;
}

static int print_json(const struct fx_sign *s, json_t *j)
{
	char *line = fx_json_dump(j);
	int ret = 0;

	if (!line || fprintf(s->out, "%s\n", line) < 0)
		ret = fx_error_errno("cannot write to standard output");
	free(line);
	return ret;
}

/*
 * Stores a key: cert.pem (and chain.pem), key.pem (0600) unless on a
 * token, key.json. The folder must not exist yet: keys are not replaced.
 */
static int store_key(const struct fx_sign *s, const char *name, EVP_PKEY *pk, X509 *cert,
		     STACK_OF(X509) *chain, const char *uri, const char *module)
{
	char *dir = key_dir(name), *kd = keys_dir(), *pem, *pw = sign_passphrase(s);
	char t[64];
	json_t *meta = NULL;
	size_t len;
	int ret = -1;

	if (access(dir, F_OK) == 0) {
		fx_error("key '%s' already exists in '%s'", name, kd);
		goto out;
	}
	if (fx_mkdirs(kd, 0700) < 0 || fx_mkdirs(dir, 0700) < 0)
		goto out;
	pem = pem_of_certs(cert, NULL, &len);
	ret = write_in(dir, "cert.pem", pem, len, 0644);
	free(pem);
	if (ret == 0 && chain && sk_X509_num(chain)) {
		pem = pem_of_certs(NULL, chain, &len);
		ret = write_in(dir, "chain.pem", pem, len, 0644);
		free(pem);
	}
	if (ret == 0 && pk) {
		pem = pem_of_key(pk, pw && *pw ? pw : NULL, &len);
		ret = pem ? write_in(dir, "key.pem", pem, len, 0600) : fx_error("cannot encode key");
		if (pem)
			OPENSSL_cleanse(pem, len);
		free(pem);
	}
	fx_time_now(t);
	meta = json_pack("{s:s,s:s,s:s,s:b}", "name", name, "algorithm",
			 key_algo(X509_get0_pubkey(cert)), "created", t, "protected",
			 (pw && *pw) || uri);
	if (uri)
		json_object_set_new(meta, "pkcs11", json_string(uri));
	if (module)
		json_object_set_new(meta, "module", json_string(module));
	if (ret == 0) {
		pem = fx_json_dump(meta);
		ret = write_in(dir, "key.json", pem, strlen(pem), 0644);
		free(pem);
	}
	json_decref(meta);
	if (ret == 0) {
		json_t *line = key_line(name, cert, uri);

		ret = print_json(s, line);
		json_decref(line);
	}
out:
	free(pw);
	free(dir);
	free(kd);
	return ret;
}

static EVP_PKEY *generate(const char *algo)
{
	EVP_PKEY *pk = NULL;

	if (strcmp(algo, "ed25519") == 0)
		pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	else if (strcmp(algo, "p256") == 0)
		pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else if (strcmp(algo, "rsa3072") == 0)
		pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
	return pk;
}

static int add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ok = ext && X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* "/CN=…/O=…" (the openssl command line's form), or a bare common name. */
static X509_NAME *subject_name(const char *subject)
{
	X509_NAME *n = X509_NAME_new();
	char *copy, *p, *eq, *next;

	if (subject[0] != '/') {
		X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)subject,
					   -1, -1, 0);
		return n;
	}
	copy = fx_xstrdup(subject + 1);
	for (p = copy; p && *p; p = next) {
		next = strchr(p, '/');
		if (next)
			*next++ = '\0';
		eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		if (!eq || eq == p ||
		    !X509_NAME_add_entry_by_txt(n, p, MBSTRING_UTF8, (unsigned char *)eq + 1, -1,
						-1, 0)) {
			fx_error("'%s': not a subject like /CN=name/O=agency", subject);
			ERR_clear_error();
			X509_NAME_free(n);
			n = NULL;
			break;
		}
	}
	free(copy);
	return n;
}

/* A self-signed certificate for pk. NULL after reporting. */
static X509 *self_signed(EVP_PKEY *pk, const char *subject, int days)
{
	X509 *x = X509_new();
	X509_NAME *n;
	BIGNUM *bn = BN_new();
	uint8_t serial[16];
	char buf[256];
	int64_t now = fx_time_now_ms() / 1000;

	RAND_bytes(serial, sizeof(serial));
	serial[0] &= 0x7f;
	BN_bin2bn(serial, sizeof(serial), bn);
	BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	X509_set_version(x, X509_VERSION_3);
	X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, (time_t *)&now);
	X509_time_adj_ex(X509_getm_notAfter(x), days, 0, (time_t *)&now);
	n = subject_name(subject);
	if (!n) {
		X509_free(x);
		return NULL;
	}
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_NAME_free(n);
	X509_set_pubkey(x, pk);
	if (!add_ext(x, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(x, NID_key_usage, "critical,digitalSignature,nonRepudiation") ||
	    !add_ext(x, NID_subject_key_identifier, "hash") ||
	    !X509_sign(x, pk, EVP_PKEY_get_base_id(pk) == EVP_PKEY_ED25519 ? NULL : EVP_sha256())) {
		fx_error("cannot make a certificate: %s", ssl_error(buf, sizeof(buf)));
		X509_free(x);
		return NULL;
	}
	return x;
}

/* Copies cert into $FX_HOME/trust/ under its hash. */
static int trust_add(X509 *cert)
{
	char *home = fx_home(), *dir = fx_path_join(home, "trust"), hex[FX_SHA256_HEX], *pem, *name;
	size_t len;
	int ret;

	free(home);
	if (fx_mkdirs(dir, 0755) < 0) {
		free(dir);
		return -1;
	}
	cert_sha256(cert, hex);
	name = fx_xasprintf("%.16s.pem", hex);
	pem = pem_of_certs(cert, NULL, &len);
	ret = write_in(dir, name, pem, len, 0644);
	free(pem);
	free(name);
	free(dir);
	return ret;
}

int fx_sign_keygen(const struct fx_sign *s, const char *name, const char *algo,
		   const char *subject, int days)
{
	char buf[256];
	EVP_PKEY *pk;
	X509 *x;
	int ret;

	if (!name_ok(name))
		return fx_error("'%s' is not a key name (letters, digits, '.', '_', '@', '-')", name);
	pk = generate(algo);
	if (!pk)
		return fx_error("cannot make a %s key: %s", algo, ssl_error(buf, sizeof(buf)));
	x = self_signed(pk, subject ? subject : name, days);
	if (!x) {
		EVP_PKEY_free(pk);
		return -1;
	}
	ret = store_key(s, name, pk, x, NULL, NULL, NULL);
	if (ret == 0)
		ret = trust_add(x);
	X509_free(x);
	EVP_PKEY_free(pk);
	return ret;
}

int fx_sign_import(const struct fx_sign *s, const char *name, const char *cert,
		   const char *key, const char *pkcs12, const char *pkcs11, const char *module,
		   const char *chain)
{
	STACK_OF(X509) *certs = NULL, *extra = NULL;
	EVP_PKEY *pk = NULL;
	X509 *x = NULL;
	char buf[256], *pw = sign_passphrase(s), *text;
	struct pass pass = { pw, 0 };
	ENGINE *e = NULL;
	BIO *bio;
	int ret = -1;

	if (!name_ok(name)) {
		fx_error("'%s' is not a key name (letters, digits, '.', '_', '@', '-')", name);
		goto out;
	}
	if (pkcs12) {
		PKCS12 *p12;

		bio = BIO_new_file(pkcs12, "rb");
		p12 = bio ? d2i_PKCS12_bio(bio, NULL) : NULL;
		BIO_free(bio);
		if (!p12) {
			fx_error("'%s': not a PKCS#12 file: %s", pkcs12, ssl_error(buf, sizeof(buf)));
			goto out;
		}
		if (!PKCS12_parse(p12, pw ? pw : "", &pk, &x, &extra)) {
			fx_error("'%s': wrong passphrase, or damaged: %s", pkcs12,
				 ssl_error(buf, sizeof(buf)));
			PKCS12_free(p12);
			goto out;
		}
		PKCS12_free(p12);
	} else {
		if (!cert) {
			fx_error("import needs --cert with --key or --pkcs11, or --pkcs12");
			goto out;
		}
		certs = certs_read(cert);
		if (!certs)
			goto out;
		x = sk_X509_shift(certs);
		extra = certs;
		certs = NULL;
		if (key) {
			text = fx_read_file(key, NULL, 1 << 20);
			if (!text)
				goto out;
			bio = BIO_new_mem_buf(text, -1);
			pk = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, &pass);
			BIO_free(bio);
			free(text);
			if (!pk) {
				fx_error("'%s': %s", key, pass.asked ? "wrong or missing passphrase"
							      : "not a PEM private key");
				ERR_clear_error();
				goto out;
			}
		} else if (pkcs11) {
			/* Proves the token and PIN work, and that the key is the certificate's. */
			pk = load_token_key(pkcs11, module, pw, &e);
			if (!pk)
				goto out;
		} else {
			fx_error("import needs --key FILE or --pkcs11 URI with --cert");
			goto out;
		}
	}
	if (!X509_check_private_key(x, pk)) {
		fx_error("the private key does not match the certificate '%s'",
			 cert ? cert : pkcs12);
		goto out;
	}
	if (chain) {
		certs = certs_read(chain);
		if (!certs)
			goto out;
		while (sk_X509_num(certs))
			sk_X509_push(extra ? extra : (extra = sk_X509_new_null()),
				     sk_X509_shift(certs));
	}
	ret = store_key(s, name, pkcs11 ? NULL : pk, x, extra, pkcs11, module);
out:
	if (e) {
		EVP_PKEY_free(pk);
		pk = NULL;
		ENGINE_finish(e);
		ENGINE_free(e);
	}
	EVP_PKEY_free(pk);
	X509_free(x);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_pop_free(extra, X509_free);
	free(pw);
	return ret;
}

int fx_sign_keys(const struct fx_sign *s)
{
	char *dir = keys_dir(), *kd, *path, *text;
	struct dirent **list = NULL;
	STACK_OF(X509) *certs;
	json_t *meta, *line;
	int n, i, ret = 0;

	n = scandir(dir, &list, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (name_ok(list[i]->d_name) && ret == 0) {
			kd = fx_path_join(dir, list[i]->d_name);
			path = fx_path_join(kd, "cert.pem");
			certs = access(path, F_OK) == 0 ? certs_read(path) : NULL;
			free(path);
			path = fx_path_join(kd, "key.json");
			text = certs ? fx_read_file(path, NULL, 1 << 20) : NULL;
			meta = text ? json_loads(text, 0, NULL) : NULL;
			if (certs) {
				line = key_line(list[i]->d_name, sk_X509_value(certs, 0),
						json_string_value(json_object_get(meta, "pkcs11")));
				json_object_set(line, "protected", json_object_get(meta, "protected"));
				ret = print_json(s, line);
				json_decref(line);
			}
			json_decref(meta);
			free(text);
			free(path);
			free(kd);
			sk_X509_pop_free(certs, X509_free);
		}
		free(list[i]);
	}
	free(list);
	free(dir);
	return ret;
}

int fx_sign_trust(const struct fx_sign *s, char **files, int n)
{
	STACK_OF(X509) *certs;
	int i, j, ret = 0;

	(void)s;
	for (i = 0; i < n; i++) {
		certs = certs_read(files[i]);
		if (!certs) {
			ret = -1;
			continue;
		}
		for (j = 0; j < sk_X509_num(certs); j++)
			if (trust_add(sk_X509_value(certs, j)) < 0)
				ret = -1;
		sk_X509_pop_free(certs, X509_free);
	}
	return ret;
}

/* ---- trust ---- */

static void store_add_file(X509_STORE *st, const char *path, int *n)
{
	STACK_OF(X509) *certs = certs_read(path);
	int i;

	for (i = 0; certs && i < sk_X509_num(certs); i++, (*n)++)
		X509_STORE_add_cert(st, sk_X509_value(certs, i));
	sk_X509_pop_free(certs, X509_free);
}

X509_STORE *trust_store(const struct fx_sign *s)
{
	X509_STORE *st = X509_STORE_new();
	char *home = fx_home(), *dir = fx_path_join(home, "trust"), *path;
	struct dirent *de;
	DIR *d;
	int n = 0, i;
	size_t len;

	free(home);
	for (i = 0; s->ca && s->ca[i]; i++)
		store_add_file(st, s->ca[i], &n);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".pem") != 0)
			continue;
		path = fx_path_join(dir, de->d_name);
		store_add_file(st, path, &n);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	ERR_clear_error();
	return st;
}

STACK_OF(X509_CRL) *trust_crls(const struct fx_sign *s)
{
	STACK_OF(X509_CRL) *sk = sk_X509_CRL_new_null();
	const unsigned char *p;
	X509_CRL *crl;
	size_t len;
	char *data;
	BIO *bio;
	int i;

	for (i = 0; s->crl && s->crl[i]; i++) {
		data = fx_read_file(s->crl[i], &len, 64u << 20);
		if (!data)
			continue;
		bio = BIO_new_mem_buf(data, (int)len);
		crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
		BIO_free(bio);
		if (!crl) {
			p = (const unsigned char *)data;
			crl = d2i_X509_CRL(NULL, &p, (long)len);
		}
		if (crl)
			sk_X509_CRL_push(sk, crl);
		else
			fx_warn("'%s': not a CRL, ignored", s->crl[i]);
		ERR_clear_error();
		free(data);
	}
	return sk;
}
