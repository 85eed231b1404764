/*
 * case.c - what fx-sign does: sign, stamp, checkpoint, cosign, renew,
 * prove. With a case, each act is one change (one custody entry) whose
 * artifacts are stored as case objects and described by signature,
 * timestamp and checkpoint records; without one, a signature goes to
 * FILE.p7s and a token to FILE.tst beside the file.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "sign_int.h"
#include "fx_err.h"
#include "fx_hash.h"
#include "fx_io.h"
#include "fx_json.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

#define TOOL "fx-sign"

struct fx_case *sign_case_open(const struct fx_sign *s, unsigned flags)
{
	return fx_case_open(s->case_dir, flags, &s->who);
}

static int collect(const char *line, void *ctx)
{
	json_t *rec = json_loads(line, 0, NULL);

	if (rec)
		json_array_append_new(ctx, rec);
	return 0;
}

json_t *case_records(struct fx_case *c, const char *type)
{
	struct fx_case_query q = { 0 };
	json_t *all = json_array();

	q.type = type;
	fx_case_list(c, &q, collect, all);
	return all;
}

static const char *dstr(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(json_object_get(rec, FX_KEY_DATA), key));
}

static json_int_t dint(const json_t *rec, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(rec, FX_KEY_DATA), key));
}

static json_t *new_record(const char *type, const char *case_id, int64_t ms)
{
	json_t *rec = fx_record_new(type, case_id, TOOL);
	char t[FX_TIME_LEN];

	fx_time_format(ms, t);
	json_object_set_new(rec, FX_KEY_TIME, json_string(t));
	return rec;
}

#define DSET(rec, key, val) json_object_set_new(json_object_get(rec, FX_KEY_DATA), key, val)

/* Stores bytes as an object of the open change. */
static int put_object(struct fx_case *c, const void *p, size_t n, char hex[FX_SHA256_HEX])
{
	int existed;

	if (fx_store_put_buf(fx_case_store(c), p, n, hex, &existed) < 0)
		return -1;
	fx_case_note_object(c, hex);
	return 0;
}

static int put_cert(struct fx_case *c, X509 *x, char hex[FX_SHA256_HEX])
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der), ret;

	ret = n > 0 ? put_object(c, der, (size_t)n, hex) : -1;
	OPENSSL_free(der);
	return ret;
}

/* Adds rec to the open change and prints it. */
static int add_emit(const struct fx_sign *s, struct fx_case *c, json_t *rec, json_t *emitted)
{
	if (c && fx_case_add_record(c, rec, "new record", NULL) < 0)
		return -1;
	json_array_append(emitted, rec);
	return 0;
}

static int emit_all(const struct fx_sign *s, json_t *recs)
{
	size_t i;
	json_t *r;
	int ret = 0;

	json_array_foreach(recs, i, r)
		if (fx_record_write(s->out, r) < 0)
			ret = -1;
	return ret;
}

/* A JSON string of a malloc'd one, which is freed. New reference. */
static json_t *json_string_take(char *s)
{
	json_t *j = json_string(s);

	free(s);
	return j;
}

static void cert_fields(json_t *rec, X509 *x)
{
	char hex[FX_SHA256_HEX], t[64];

	cert_sha256(x, hex);
	asn1_time_rfc3339(X509_get0_notAfter(x), t, NULL);
	DSET(rec, "subject", json_string_take(cert_name(X509_get_subject_name(x))));
	DSET(rec, "issuer", json_string_take(cert_name(X509_get_issuer_name(x))));
	DSET(rec, "serial", json_string_take(cert_serial(x)));
	DSET(rec, "cert_sha256", json_string(hex));
	DSET(rec, "not_after", json_string(t));
}

/* The record of a token, its details from info. */
static json_t *timestamp_record(const struct fx_sign *s, const char *case_id, const char *target,
				const struct tok_info *info, const char *tok_hex)
{
	json_t *rec = new_record("timestamp", case_id, info->gen_ms);
	char hex[FX_SHA256_HEX];
	const char *url = s->tsa_url ? s->tsa_url : getenv("FX_TSA");

	DSET(rec, "target", json_string(target));
	DSET(rec, "imprint", json_string(fx_hex(info->imprint, 32, hex)));
	DSET(rec, "sha256", json_string(tok_hex));
	if (url)
		DSET(rec, "tsa", json_string(url));
	DSET(rec, "tsa_subject", json_string(info->tsa_subject));
	DSET(rec, "tsa_cert_sha256", json_string(info->tsa_cert_sha256));
	DSET(rec, "tsa_not_after", json_string(info->tsa_not_after));
	DSET(rec, "serial", json_string(info->serial));
	DSET(rec, "policy", json_string(info->policy));
	if (info->nonce)
		DSET(rec, "nonce", json_string(info->nonce));
	DSET(rec, "gen_time", json_string(info->gen_time));
	return rec;
}


/* Whether a TSA is to be asked: --tsa, else a non-empty $FX_TSA. */
static int tsa_wanted(const struct fx_sign *s)
{
	const char *env = getenv("FX_TSA");

	return (s->tsa_url && *s->tsa_url) || (env && *env);
}

/* Writes bytes to path atomically (0644). */
static int write_beside(const char *path, const void *p, size_t n)
{
	return fx_write_file_atomic(path, p, n, 0644);
}

/* ---- targets ---- */

struct target {
	const char *path;  /* NULL for a checkpoint */
	const char *kind;  /* file, report, manifest, checkpoint */
	uint8_t md[32];
	char hex[FX_SHA256_HEX];
};

static const char *kind_of(const struct fx_sign *s, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (strncmp(base, "tagmanifest-", 12) == 0 || strncmp(base, "manifest-", 9) == 0)
		return "manifest";
	if (strstr(path, "reports/") || (s->case_dir && strstr(path, "/reports/")))
		return "report";
	return "file";
}

static int target_file(const struct fx_sign *s, const char *path, struct target *t)
{
	uint64_t size;

	t->path = path;
	t->kind = kind_of(s, path);
	return file_sha256(path, t->md, t->hex, &size);
}

/* The newest checkpoint record, or NULL. New reference. */
static json_t *newest_checkpoint(struct fx_case *c)
{
	json_t *all = case_records(c, "checkpoint"), *r = NULL;
	size_t n = json_array_size(all);

	if (n)
		r = json_incref(json_array_get(all, n - 1));
	json_decref(all);
	return r;
}

static int target_checkpoint(struct fx_case *c, struct target *t)
{
	json_t *cp = newest_checkpoint(c);
	const char *h = cp ? dstr(cp, "text_sha256") : NULL;

	t->path = NULL;
	t->kind = "checkpoint";
	if (!h) {
		json_decref(cp);
		return fx_error("case '%s' has no checkpoint to sign (fx-sign checkpoint makes one)",
				fx_case_dir(c));
	}
	memcpy(t->hex, h, FX_SHA256_HEX);
	fx_unhex(h, t->md, 32);
	json_decref(cp);
	return 0;
}

/* Counts signers and their tokens: how far a CMS has come. */
static int cms_weight(CMS_ContentInfo *cms)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	int i, w = 0;

	for (i = 0; i < sk_CMS_SignerInfo_num(sis); i++)
		w += 1 + (CMS_unsigned_get_attr_by_NID(sk_CMS_SignerInfo_value(sis, i),
						       NID_id_smime_aa_timeStampToken, -1) >= 0);
	return w;
}

/*
 * The newest CMS over content hex in the case: a CMS only ever grows (a
 * signer, a token), so the one with most of them is the latest. NULL
 * when there is none; *hexout gets its object name.
 */
static CMS_ContentInfo *newest_cms(struct fx_case *c, const char *hex, char hexout[FX_SHA256_HEX])
{
	static const char *const types[] = { "signature", "timestamp" };
	CMS_ContentInfo *best = NULL, *cms;
	const char *obj;
	uint8_t *der;
	size_t len, i, t;
	json_t *all, *r;
	int w, bw = -1;

	for (t = 0; t < 2; t++) {
		all = case_records(c, types[t]);
		json_array_foreach(all, i, r) {
			const char *ch = dstr(r, "content_sha256");

			obj = dstr(r, t == 0 ? "sha256" : "cms_sha256");
			if (!ch || !obj || strcmp(ch, hex) != 0)
				continue;
			der = object_read(c, obj, &len);
			cms = der ? cms_parse(der, len, obj) : NULL;
			free(der);
			if (!cms)
				continue;
			w = cms_weight(cms);
			if (w > bw) {
				CMS_ContentInfo_free(best);
				best = cms;
				bw = w;
				memcpy(hexout, obj, FX_SHA256_HEX);
			} else {
				CMS_ContentInfo_free(cms);
			}
		}
		json_decref(all);
	}
	return best;
}

static CMS_ContentInfo *read_cms_file(const char *path)
{
	CMS_ContentInfo *cms;
	size_t len;
	uint8_t *der = (uint8_t *)fx_read_file(path, &len, 64u << 20);

	if (!der)
		return NULL;
	cms = cms_parse(der, len, path);
	free(der);
	return cms;
}

/* ---- sign ---- */

struct ink {
	uint8_t md[32];
	char hex[FX_SHA256_HEX];
	uint8_t *bytes;
	size_t len;
};

static int sign_one(const struct fx_sign *s, struct fx_case *c, struct key *k, X509_STORE *store,
		    struct target *t, const struct ink *ink)
{
	CMS_ContentInfo *cms = NULL;
	CMS_SignerInfo *si;
	struct cms_attrs a = { 0 };
	struct tok_info info;
	char cms_hex[FX_SHA256_HEX], tok_hex[FX_SHA256_HEX], old[FX_SHA256_HEX], *p7s = NULL;
	uint8_t *der = NULL, *tok = NULL, imp[32];
	size_t len = 0, toklen = 0;
	json_t *rec, *recs = json_array(), *detail = NULL, *in;
	const char *case_id = c ? fx_case_id(c) : NULL;
	int index = 0, ret = -1;

	memset(&info, 0, sizeof(info));
	if (c && fx_case_begin(c, "sign") < 0)
		goto out;
	/* Looked up under the case's write lock: no other party can add meanwhile. */
	if (c) {
		cms = newest_cms(c, t->hex, old);
	} else {
		p7s = fx_xasprintf("%s.p7s", t->path);
		if (access(p7s, F_OK) == 0 && !(cms = read_cms_file(p7s)))
			goto out;
	}
	a.role = s->role;
	a.when_ms = fx_time_now_ms();
	if (ink) {
		a.ink_signer = s->ink_signer;
		a.ink_sha256 = ink->md;
	}
	{
		CMS_ContentInfo *grown = cms_add_signer(cms, k, t->md, &a, &index);

		if (!grown) {
			if (!p7s && cms)
				fx_error("'%s': not signed", t->path ? t->path : "checkpoint");
			goto out;
		}
		cms = grown;
	}
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), index);
	if (tsa_wanted(s)) {
		cms_signature_imprint(si, imp);
		if (tsa_stamp(s, store, imp, &tok, &toklen, &info) < 0 ||
		    cms_attach_token(si, tok, toklen) < 0)
			goto out;
	}
	der = cms_der(cms, &len);
	if (!der)
		goto out;
	index = cms_index_in(der, len, si);
	if (c) {
		if (put_object(c, der, len, cms_hex) < 0 ||
		    (ink && put_object(c, ink->bytes, ink->len, (char *)ink->hex) < 0) ||
		    (tok && put_object(c, tok, toklen, tok_hex) < 0))
			goto out;
	} else {
		uint8_t md[32];

		fx_sha256(der, len, md);
		fx_hex(md, 32, cms_hex);
		if (tok) {
			fx_sha256(tok, toklen, md);
			fx_hex(md, 32, tok_hex);
		}
	}
	rec = new_record("signature", case_id, a.when_ms);
	DSET(rec, "role", json_string(s->role));
	DSET(rec, "target", json_string(t->kind));
	DSET(rec, "content_sha256", json_string(t->hex));
	if (t->path)
		DSET(rec, "path", fx_json_text(t->path, strlen(t->path)));
	DSET(rec, "sha256", json_string(cms_hex));
	DSET(rec, "index", json_integer(index));
	DSET(rec, "signers", json_integer(sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms))));
	cert_fields(rec, k->cert);
	DSET(rec, "algorithm", json_string(k->algo));
	DSET(rec, "key", json_string(k->name));
	if (ink) {
		DSET(rec, "ink_sha256", json_string(ink->hex));
		DSET(rec, "ink_signer", json_string(s->ink_signer));
	}
	ret = add_emit(s, c, rec, recs);
	json_decref(rec);
	if (ret == 0 && tok) {
		rec = timestamp_record(s, case_id, "signature", &info, tok_hex);
		DSET(rec, "content_sha256", json_string(t->hex));
		DSET(rec, "cms_sha256", json_string(cms_hex));
		DSET(rec, "index", json_integer(index));
		ret = add_emit(s, c, rec, recs);
		json_decref(rec);
	}
	if (ret < 0)
		goto out;
	ret = -1;
	if (c) {
		in = json_pack("{s:s,s:s}", "what", t->kind, "sha256", t->hex);
		if (t->path)
			json_object_set_new(in, "path", fx_json_text(t->path, strlen(t->path)));
		fx_case_note_input(c, in);
		json_decref(in);
		in = json_pack("{s:s,s:s}", "what", "cms", "sha256", cms_hex);
		fx_case_note_output(c, in);
		json_decref(in);
		detail = json_pack("{s:s,s:s,s:I}", "role", s->role, "key", k->name, "signer",
				   (json_int_t)index);
		if (fx_case_commit(c, detail, NULL) < 0)
			goto out;
	} else if (write_beside(p7s, der, len) < 0) {
		goto out;
	}
	ret = emit_all(s, recs);
	if (!s->quiet)
		fprintf(stderr, "%s: %s signed %s as %s (signer %d of the CMS)\n", fx_progname(),
			k->name, t->path ? t->path : "the newest checkpoint", s->role, index);
out:
	if (c && ret < 0)
		fx_case_rollback(c);
	tok_info_release(&info);
	json_decref(detail);
	json_decref(recs);
	CMS_ContentInfo_free(cms);
	free(der);
	free(tok);
	free(p7s);
	return ret;
}

static int roles_ok(const char *role)
{
	return role && (strcmp(role, "signer") == 0 || strcmp(role, "certifier") == 0 ||
			strcmp(role, "verifier") == 0);
}

int fx_sign_sign(const struct fx_sign *s, char **files, int n)
{
	struct fx_case *c = NULL;
	X509_STORE *store = NULL;
	struct key *k = NULL;
	struct target t;
	struct ink ink = { { 0 }, "", NULL, 0 }, *inkp = NULL;
	int i, ret = 0, r;

	if (!roles_ok(s->role))
		return fx_error("--role must be " FX_SIGN_ROLES);
	if (!s->case_dir && n == 0)
		return fx_error("nothing to sign: give files, or a case (its checkpoint)");
	if (s->ink) {
		uint64_t size;

		if (!s->ink_signer)
			return fx_error("--ink needs --signer NAME: whose handwriting it is");
		if (file_sha256(s->ink, ink.md, ink.hex, &size) < 0)
			return -1;
		ink.bytes = (uint8_t *)fx_read_file(s->ink, &ink.len, 64u << 20);
		if (!ink.bytes)
			return -1;
		inkp = &ink;
	}
	k = key_load(s);
	if (!k) {
		free(ink.bytes);
		return -1;
	}
	store = trust_store(s);
	if (!k->engine && EVP_PKEY_get_base_id(k->pkey) == EVP_PKEY_ED25519) {
		ret = fx_error("key '%s' is Ed25519, which OpenSSL 3.0 cannot use in CMS: sign with"
			       " a p256 or rsa3072 key (Ed25519 keys sign checkpoints)", k->name);
		goto out;
	}
	if (s->case_dir && !(c = sign_case_open(s, FX_CASE_WRITE))) {
		ret = -1;
		goto out;
	}
	if (n == 0) {
		ret = target_checkpoint(c, &t) < 0 ? -1 : sign_one(s, c, k, store, &t, inkp);
		goto out;
	}
	for (i = 0; i < n; i++) {
		r = target_file(s, files[i], &t) < 0 ? -1 : sign_one(s, c, k, store, &t, inkp);
		if (r < 0)
			ret = 1;
	}
out:
	free(ink.bytes);
	fx_case_free(c);
	X509_STORE_free(store);
	key_free(k);
	return ret;
}

/* ---- stamp ---- */

static int stamp_file(const struct fx_sign *s, struct fx_case *c, X509_STORE *store,
		      const char *path)
{
	struct target t;
	struct tok_info info;
	uint8_t *tok = NULL;
	size_t len;
	char hex[FX_SHA256_HEX], *tst = NULL;
	json_t *rec = NULL, *recs = json_array(), *in;
	int ret = -1;

	memset(&info, 0, sizeof(info));
	if (target_file(s, path, &t) < 0)
		goto out;
	if (tsa_stamp(s, store, t.md, &tok, &len, &info) < 0)
		goto out;
	if (c) {
		if (fx_case_begin(c, "stamp") < 0)
			goto out;
		if (put_object(c, tok, len, hex) < 0)
			goto out;
	} else {
		uint8_t md[32];

		fx_sha256(tok, len, md);
		fx_hex(md, 32, hex);
	}
	rec = timestamp_record(s, c ? fx_case_id(c) : NULL, "file", &info, hex);
	DSET(rec, "path", fx_json_text(path, strlen(path)));
	if (add_emit(s, c, rec, recs) < 0)
		goto out;
	if (c) {
		in = json_pack("{s:s,s:s}", "path", path, "sha256", t.hex);
		fx_case_note_input(c, in);
		json_decref(in);
		if (fx_case_commit(c, NULL, NULL) < 0)
			goto out;
	} else {
		tst = fx_xasprintf("%s.tst", path);
		if (write_beside(tst, tok, len) < 0)
			goto out;
	}
	ret = emit_all(s, recs);
	if (!s->quiet)
		fprintf(stderr, "%s: %s stamped at %s by %s\n", fx_progname(), path, info.gen_time,
			info.tsa_subject);
out:
	if (c && ret < 0)
		fx_case_rollback(c);
	tok_info_release(&info);
	json_decref(rec);
	json_decref(recs);
	free(tok);
	free(tst);
	return ret;
}

/* Adds a signature timestamp to every signer of the case's CMS that has none. */
static int stamp_signatures(const struct fx_sign *s, struct fx_case *c, X509_STORE *store)
{
	json_t *sigs, *r, *done = json_object(), *recs = json_array(), *rec;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	struct tok_info info;
	char old[FX_SHA256_HEX], cms_hex[FX_SHA256_HEX], tok_hex[FX_SHA256_HEX];
	uint8_t imp[32], *tok, *der;
	size_t i, len, toklen;
	int j, ret = 0, stamped = 0, changed;

	if (fx_case_begin(c, "stamp") < 0) {
		json_decref(done);
		json_decref(recs);
		return -1;
	}
	sigs = case_records(c, "signature");
	json_array_foreach(sigs, i, r) {
		const char *content = dstr(r, "content_sha256");

		if (!content || json_object_get(done, content))
			continue;
		json_object_set_new(done, content, json_true());
		cms = newest_cms(c, content, old);
		if (!cms)
			continue;
		changed = 0;
		for (j = 0; ret == 0 && j < sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)); j++) {
			si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), j);
			if (CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1) >= 0)
				continue;
			cms_signature_imprint(si, imp);
			if (tsa_stamp(s, store, imp, &tok, &toklen, &info) < 0 ||
			    cms_attach_token(si, tok, toklen) < 0 ||
			    put_object(c, tok, toklen, tok_hex) < 0) {
				ret = -1;
				tok_info_release(&info);
				break;
			}
			free(tok);
			der = cms_der(cms, &len);
			if (!der || put_object(c, der, len, cms_hex) < 0) {
				free(der);
				ret = -1;
				tok_info_release(&info);
				break;
			}
			rec = timestamp_record(s, fx_case_id(c), "signature", &info, tok_hex);
			DSET(rec, "content_sha256", json_string(content));
			DSET(rec, "cms_sha256", json_string(cms_hex));
			DSET(rec, "index", json_integer(cms_index_in(der, len, si)));
			free(der);
			if (add_emit(s, c, rec, recs) < 0)
				ret = -1;
			json_decref(rec);
			tok_info_release(&info);
			changed = 1;
			stamped++;
		}
		(void)changed;
		CMS_ContentInfo_free(cms);
		if (ret < 0)
			break;
	}
	json_decref(sigs);
	json_decref(done);
	if (ret == 0 && stamped && fx_case_commit(c, NULL, NULL) == 0) {
		ret = emit_all(s, recs);
	} else {
		fx_case_rollback(c);
		if (ret == 0 && !stamped && !s->quiet)
			fprintf(stderr, "%s: every signer already has a signature timestamp\n",
				fx_progname());
		else if (ret == 0)
			ret = -1;
	}
	json_decref(recs);
	return ret;
}

int fx_sign_stamp(const struct fx_sign *s, char **files, int n)
{
	struct fx_case *c = NULL;
	X509_STORE *store = trust_store(s);
	int i, ret = 0;

	if (!s->case_dir && n == 0) {
		X509_STORE_free(store);
		return fx_error("nothing to stamp: give files, or a case (its signatures)");
	}
	if (s->case_dir && !(c = sign_case_open(s, FX_CASE_WRITE))) {
		X509_STORE_free(store);
		return -1;
	}
	if (n == 0)
		ret = stamp_signatures(s, c, store);
	for (i = 0; i < n; i++)
		if (stamp_file(s, c, store, files[i]) < 0)
			ret = 1;
	fx_case_free(c);
	X509_STORE_free(store);
	return ret;
}

/* ---- checkpoints ---- */

/* Loads a checkpoint's tiles into t (built for t->size). Returns 0 or -1. */
static int tree_from(struct fx_case *c, struct tree *t, const json_t *cp)
{
	const char *tiles = cp ? dstr(cp, "tiles_sha256") : NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	if (tiles && !(buf = object_read(c, tiles, &len)))
		return -1;
	ret = tree_build(t, buf, len / sizeof(fx_mhash));
	free(buf);
	return ret;
}

/*
 * Whether the log's first size entries have the root a checkpoint says.
 * Reports (naming the checkpoint) and returns -1 when not.
 */
static int root_matches(struct tree *t, const json_t *cp)
{
	fx_mhash got, want;
	const char *root = dstr(cp, "root");
	uint64_t size = (uint64_t)dint(cp, "size");

	if (!root || fx_unhex(root, want, 32) < 0 || size > t->size)
		return fx_error("checkpoint of %llu entries: damaged record",
				(unsigned long long)size);
	if (tree_root(t, size, got) < 0)
		return -1;
	if (memcmp(got, want, 32) != 0)
		return fx_error("the custody log is not consistent with its checkpoint of %llu"
				" entries: its history was rewritten", (unsigned long long)size);
	return 0;
}

static json_t *checkpoint_record(struct fx_case *c, struct key *k, uint64_t size,
				 const fx_mhash root, const char *note_hex, const char *text_hex,
				 const char *tiles_hex, uint32_t key_id, int cosign, size_t sigs)
{
	json_t *rec = new_record("checkpoint", fx_case_id(c), fx_time_now_ms());
	char hex[FX_SHA256_HEX], id[16], *origin = note_origin(fx_case_id(c));
	const char *alg;

	note_key_id(k->name, X509_get0_pubkey(k->cert), &key_id, &alg);
	snprintf(id, sizeof(id), "%08x", key_id);
	DSET(rec, "origin", json_string(origin));
	DSET(rec, "size", json_integer((json_int_t)size));
	DSET(rec, "root", json_string(fx_hex(root, 32, hex)));
	DSET(rec, "sha256", json_string(note_hex));
	DSET(rec, "text_sha256", json_string(text_hex));
	if (tiles_hex)
		DSET(rec, "tiles_sha256", json_string(tiles_hex));
	DSET(rec, "key", json_string(k->name));
	DSET(rec, "key_id", json_string(id));
	DSET(rec, "algorithm", json_string(alg));
	cert_fields(rec, k->cert);
	if (cosign)
		DSET(rec, "cosign", json_true());
	DSET(rec, "signatures", json_integer((json_int_t)sigs));
	free(origin);
	return rec;
}

static int new_checkpoint(const struct fx_sign *s, struct fx_case *c, struct key *k,
			  X509_STORE *store, json_t *recs, json_t *detail)
{
	struct fx_buf note = FX_BUF_INIT;
	struct tree t;
	struct tok_info info;
	json_t *all, *cp, *rec;
	fx_mhash root, mine;
	uint64_t size;
	uint32_t id;
	char *origin, *text, note_hex[FX_SHA256_HEX], text_hex[FX_SHA256_HEX],
		tiles_hex[FX_SHA256_HEX], cert_hex[FX_SHA256_HEX], tok_hex[FX_SHA256_HEX];
	uint8_t *tok = NULL, md[32];
	size_t i, toklen;
	int ret = -1;

	memset(&info, 0, sizeof(info));
	if (fx_case_head(c, &size, root) < 0)
		return -1;
	all = case_records(c, "checkpoint");
	cp = json_array_size(all) ? json_array_get(all, json_array_size(all) - 1) : NULL;
	tree_init(&t, c, NULL, size);
	if (tree_from(c, &t, cp) < 0)
		goto out;
	/* A log must never sign a checkpoint inconsistent with one it signed. */
	json_array_foreach(all, i, cp)
		if (root_matches(&t, cp) < 0)
			goto out;
	if (tree_root(&t, size, mine) < 0)
		goto out;
	if (memcmp(mine, root, 32) != 0) {
		fx_error("%s: the custody tree head does not match the log", fx_case_dir(c));
		goto out;
	}
	origin = note_origin(fx_case_id(c));
	text = note_text(origin, size, root);
	free(origin);
	fx_buf_add(&note, text, strlen(text));
	fx_buf_add(&note, "\n", 1);
	if (note_sign(k, text, &note, &id) < 0 || put_object(c, note.data, note.len, note_hex) < 0 ||
	    put_object(c, text, strlen(text), text_hex) < 0 || put_cert(c, k->cert, cert_hex) < 0 ||
	    (t.nblocks && put_object(c, t.blocks, t.nblocks * sizeof(fx_mhash), tiles_hex) < 0)) {
		free(text);
		goto out;
	}
	rec = checkpoint_record(c, k, size, root, note_hex, text_hex, t.nblocks ? tiles_hex : NULL,
				id, 0, 1);
	ret = add_emit(s, c, rec, recs);
	json_decref(rec);
	json_object_set_new(detail, "size", json_integer((json_int_t)size));
	json_object_set_new(detail, "root", json_string(fx_hex(root, 32, note_hex)));
	if (ret == 0 && (tsa_wanted(s))) {
		ret = -1;
		fx_sha256(text, strlen(text), md);
		if (tsa_stamp(s, store, md, &tok, &toklen, &info) == 0 &&
		    put_object(c, tok, toklen, tok_hex) == 0) {
			rec = timestamp_record(s, fx_case_id(c), "checkpoint", &info, tok_hex);
			ret = add_emit(s, c, rec, recs);
			json_decref(rec);
		}
	}
	free(text);
out:
	tok_info_release(&info);
	free(tok);
	fx_buf_release(&note);
	tree_release(&t);
	json_decref(all);
	return ret;
}

/* Finds the certificate a checkpoint record names. New reference; NULL when absent. */
static X509 *record_cert(struct fx_case *c, const json_t *rec)
{
	const char *h = dstr(rec, "cert_sha256");
	const unsigned char *p;
	uint8_t *der;
	size_t len;
	X509 *x;

	if (!h || !fx_store_has(fx_case_store(c), h))
		return NULL;
	der = object_read(c, h, &len);
	p = der;
	x = der ? d2i_X509(NULL, &p, (long)len) : NULL;
	free(der);
	ERR_clear_error();
	return x;
}

static int cosign(const struct fx_sign *s, struct fx_case *c, struct key *k, json_t *recs,
		  json_t *detail)
{
	struct fx_buf b = FX_BUF_INIT;
	struct note n;
	struct tree t;
	json_t *all, *cp, *r, *rec;
	char msg[256], note_hex[FX_SHA256_HEX], cert_hex[FX_SHA256_HEX];
	uint8_t *buf = NULL;
	size_t len, i, j;
	uint32_t id;
	const char *alg;
	int ret = -1, known;
	X509 *x;

	memset(&n, 0, sizeof(n));
	all = case_records(c, "checkpoint");
	cp = json_array_size(all) ? json_array_get(all, json_array_size(all) - 1) : NULL;
	if (!cp) {
		fx_error("case '%s' has no checkpoint to cosign", fx_case_dir(c));
		goto out;
	}
	tree_init(&t, c, NULL, (uint64_t)dint(cp, "size"));
	if (tree_from(c, &t, cp) < 0 || root_matches(&t, cp) < 0) {
		tree_release(&t);
		goto out;
	}
	tree_release(&t);
	buf = object_read(c, dstr(cp, "sha256"), &len);
	if (!buf || note_parse((char *)buf, len, &n, msg, sizeof(msg)) < 0) {
		fx_error("the newest checkpoint cannot be read: %s", buf ? msg : "object missing");
		goto out;
	}
	note_key_id(k->name, X509_get0_pubkey(k->cert), &id, &alg);
	/* Every signature there must check out before this key joins them. */
	for (i = 0; i < n.nsigs; i++) {
		if (strcmp(n.sigs[i].name, k->name) == 0 && n.sigs[i].id == id) {
			fx_error("key '%s' has already signed the newest checkpoint", k->name);
			goto out;
		}
		known = 0;
		json_array_foreach(all, j, r) {
			if ((uint64_t)dint(r, "size") != n.size || !dstr(r, "key") ||
			    strcmp(dstr(r, "key"), n.sigs[i].name) != 0)
				continue;
			x = record_cert(c, r);
			if (x && note_verify_sig(&n, &n.sigs[i], X509_get0_pubkey(x)) == 0)
				known = 1;
			X509_free(x);
		}
		if (!known) {
			fx_error("the newest checkpoint's signature by '%s' does not verify",
				 n.sigs[i].name);
			goto out;
		}
	}
	fx_buf_add(&b, buf, len);
	if (note_sign(k, n.text, &b, &id) < 0 || put_object(c, b.data, b.len, note_hex) < 0 ||
	    put_cert(c, k->cert, cert_hex) < 0)
		goto out;
	rec = checkpoint_record(c, k, n.size, n.root, note_hex, dstr(cp, "text_sha256"),
				dstr(cp, "tiles_sha256"), id, 1, n.nsigs + 1);
	ret = add_emit(s, c, rec, recs);
	json_decref(rec);
	json_object_set_new(detail, "size", json_integer((json_int_t)n.size));
	json_object_set_new(detail, "cosign", json_true());
out:
	note_release(&n);
	free(buf);
	fx_buf_release(&b);
	json_decref(all);
	return ret;
}

int fx_sign_checkpoint(const struct fx_sign *s, int co)
{
	struct fx_case *c;
	struct key *k;
	X509_STORE *store;
	json_t *recs = json_array(), *detail = json_object();
	int ret = -1;

	if (!s->case_dir) {
		json_decref(recs);
		json_decref(detail);
		return fx_error("a checkpoint is of a case: give --case DIR");
	}
	k = key_load(s);
	c = k ? sign_case_open(s, FX_CASE_WRITE) : NULL;
	store = trust_store(s);
	if (c && fx_case_begin(c, co ? "cosign" : "checkpoint") == 0) {
		ret = co ? cosign(s, c, k, recs, detail) : new_checkpoint(s, c, k, store, recs, detail);
		json_object_set_new(detail, "key", json_string(k->name));
		if (ret == 0)
			ret = fx_case_commit(c, detail, NULL);
		else
			fx_case_rollback(c);
		if (ret == 0)
			ret = emit_all(s, recs);
		if (ret == 0 && !s->quiet)
			fprintf(stderr, "%s: %s %s the custody log at %lld entries\n",
				fx_progname(), k->name, co ? "cosigned" : "checkpointed",
				(long long)json_integer_value(json_object_get(detail, "size")));
	}
	json_decref(recs);
	json_decref(detail);
	fx_case_free(c);
	key_free(k);
	X509_STORE_free(store);
	return ret;
}

/* ---- renew ---- */

int fx_sign_renew(const struct fx_sign *s, int days)
{
	struct fx_case *c;
	X509_STORE *store;
	json_t *toks, *sigs, *renewed = json_object(), *recs = json_array(), *r, *rec;
	struct tok_info info;
	int64_t limit = fx_time_now_ms() + (int64_t)days * 86400000, ms;
	char tok_hex[FX_SHA256_HEX];
	uint8_t md[32], *tok;
	size_t i, len, t;
	int ret = 0, n = 0;

	if (!s->case_dir) {
		json_decref(renewed);
		json_decref(recs);
		return fx_error("renew works on a case: give --case DIR");
	}
	c = sign_case_open(s, FX_CASE_WRITE);
	store = trust_store(s);
	if (!c || fx_case_begin(c, "renew") < 0) {
		fx_case_free(c);
		X509_STORE_free(store);
		json_decref(renewed);
		json_decref(recs);
		return -1;
	}
	toks = case_records(c, "timestamp");
	sigs = case_records(c, "signature");
	json_array_foreach(toks, i, r)
		if (dstr(r, "target") && strcmp(dstr(r, "target"), "renewal") == 0)
			json_object_set_new(renewed, dstr(r, "imprint"), json_true());
	/* Tokens first, then signatures: what expires soon is stamped again. */
	for (t = 0; t < 2 && ret == 0; t++) {
		json_array_foreach(t ? sigs : toks, i, r) {
			const char *obj = dstr(r, "sha256");
			const char *until = dstr(r, t ? "not_after" : "tsa_not_after");

			if (!obj || !until || fx_time_parse(until, &ms) < 0 || ms >= limit ||
			    json_object_get(renewed, obj))
				continue;
			json_object_set_new(renewed, obj, json_true());
			fx_unhex(obj, md, 32);
			if (tsa_stamp(s, store, md, &tok, &len, &info) < 0) {
				ret = -1;
				break;
			}
			if (put_object(c, tok, len, tok_hex) == 0) {
				rec = timestamp_record(s, fx_case_id(c), "renewal", &info, tok_hex);
				DSET(rec, "renews", json_string(t ? "signature" : "timestamp"));
				if (add_emit(s, c, rec, recs) < 0)
					ret = -1;
				json_decref(rec);
				n++;
			} else {
				ret = -1;
			}
			free(tok);
			tok_info_release(&info);
			if (ret < 0)
				break;
		}
	}
	if (ret == 0 && n) {
		json_t *detail = json_pack("{s:i,s:i}", "renewed", n, "days", days);

		ret = fx_case_commit(c, detail, NULL);
		json_decref(detail);
		if (ret == 0)
			ret = emit_all(s, recs);
	} else {
		fx_case_rollback(c);
	}
	if (ret == 0 && !s->quiet)
		fprintf(stderr, "%s: renewed %d tokens and signatures\n", fx_progname(), n);
	json_decref(toks);
	json_decref(sigs);
	json_decref(renewed);
	json_decref(recs);
	fx_case_free(c);
	X509_STORE_free(store);
	return ret;
}

/* ---- prove ---- */

struct first_entry {
	json_t *e;
};

static int take_first(const json_t *e, void *ctx)
{
	((struct first_entry *)ctx)->e = json_deep_copy(e);
	return 1;
}

static json_t *hashes_json(const fx_mhash *proof, size_t len)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < len; i++)
		json_array_append_new(a, json_string_take(b64_encode(proof[i], 32)));
	return a;
}

/* The note and signer certificates of a checkpoint of size, as text. */
static int note_and_certs(struct fx_case *c, const json_t *all, uint64_t size, json_t *out,
			  const char *key)
{
	const json_t *cp = NULL, *r;
	json_t *certs = json_array();
	uint8_t *buf;
	size_t i, len;
	X509 *x;

	json_array_foreach(all, i, r)
		if ((uint64_t)dint(r, "size") == size)
			cp = r;
	if (!cp) {
		json_decref(certs);
		return fx_error("no checkpoint of %llu entries", (unsigned long long)size);
	}
	buf = object_read(c, dstr(cp, "sha256"), &len);
	if (!buf) {
		json_decref(certs);
		return -1;
	}
	json_object_set_new(out, key, json_stringn(buf ? (char *)buf : "", len));
	free(buf);
	json_array_foreach(all, i, r) {
		if ((uint64_t)dint(r, "size") != size || !(x = record_cert(c, r)))
			continue;
		{
			BIO *b = BIO_new(BIO_s_mem());
			char *p;
			long n;

			PEM_write_bio_X509(b, x);
			n = BIO_get_mem_data(b, &p);
			json_array_append_new(certs, json_stringn(p, (size_t)n));
			BIO_free(b);
		}
		X509_free(x);
	}
	json_object_set_new(out, "certificates", certs);
	return 0;
}

int fx_sign_prove(const struct fx_sign *s, uint64_t seq, uint64_t size, uint64_t from)
{
	struct fx_case *c;
	struct first_entry fe = { NULL };
	struct tree t;
	json_t *all, *cp = NULL, *r, *out = NULL;
	fx_mhash proof[FX_MERKLE_MAX_PROOF], leaf;
	struct fx_buf b = FX_BUF_INIT;
	const char *want;
	char leafhex[FX_SHA256_HEX] = "";
	size_t i, len;
	int ret = -1;

	if (!s->case_dir)
		return fx_error("proofs are of a case's custody log: give --case DIR");
	c = sign_case_open(s, FX_CASE_READ);
	if (!c)
		return -1;
	all = case_records(c, "checkpoint");
	json_array_foreach(all, i, r)
		if (!size || (uint64_t)dint(r, "size") == size)
			cp = r;
	tree_init(&t, c, NULL, cp ? (uint64_t)dint(cp, "size") : 0);
	if (!cp) {
		fx_error("case '%s' has no checkpoint%s", fx_case_dir(c), size ? " of that size" : "");
		goto out;
	}
	size = t.size;
	if (tree_from(c, &t, cp) < 0)
		goto out;
	out = json_object();
	if (from) {
		json_object_set_new(out, "proof", json_string("consistency"));
		if (tree_consistency(&t, from, size, proof, &len) < 0 ||
		    note_and_certs(c, all, from, out, "old") < 0)
			goto out;
		r = json_object_get(out, "certificates");
		json_incref(r);
		if (note_and_certs(c, all, size, out, "checkpoint") < 0) {
			json_decref(r);
			goto out;
		}
		json_array_extend(json_object_get(out, "certificates"), r);
		json_decref(r);
	} else {
		if (seq >= size) {
			fx_error("custody entry %llu is not in the checkpoint of %llu entries",
				 (unsigned long long)seq, (unsigned long long)size);
			goto out;
		}
		json_object_set_new(out, "proof", json_string("inclusion"));
		if (fx_case_log(c, seq, take_first, &fe) < 0 || !fe.e)
			goto out;
		want = json_string_value(json_object_get(fe.e, "leaf"));
		want = want ? want : "";
		memcpy(leafhex, want, strlen(want) < FX_SHA256_HEX ? strlen(want) + 1 : 1);
		want = leafhex;
		json_object_del(fe.e, "hash");
		json_object_del(fe.e, "leaf");
		if (fx_json_canon(&b, fe.e, NULL, NULL) < 0)
			goto out;
		fx_merkle_leaf_hash(b.data, b.len, leaf);
		{
			char hex[FX_SHA256_HEX];

			if (!want || strcmp(fx_hex(leaf, 32, hex), want) != 0)
				fx_warn("custody entry %llu does not hash to its leaf",
					(unsigned long long)seq);
		}
		json_object_set_new(out, "entry", json_stringn(b.data, b.len));
		json_object_set_new(out, "index", json_integer((json_int_t)seq));
		if (tree_inclusion(&t, seq, size, proof, &len) < 0 ||
		    note_and_certs(c, all, size, out, "checkpoint") < 0)
			goto out;
	}
	json_object_set_new(out, "size", json_integer((json_int_t)size));
	if (from)
		json_object_set_new(out, "from", json_integer((json_int_t)from));
	json_object_set_new(out, "hashes", hashes_json(proof, len));
	{
		char *line = fx_json_dump(out);

		ret = line && fprintf(s->out, "%s\n", line) >= 0 ? 0
				: fx_error_errno("cannot write to standard output");
		free(line);
	}
out:
	fx_buf_release(&b);
	json_decref(fe.e);
	json_decref(out);
	json_decref(all);
	tree_release(&t);
	fx_case_free(c);
	return ret;
}
