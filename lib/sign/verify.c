/*
 * verify.c - every signature, token, checkpoint and proof checked, each
 * failure named: the artifact, the signer, and what is wrong with it.
 *
 * Long-term validation: a token (or a CMS) re-stamped by `fx-sign renew`
 * has its TSA chain checked at the time of the token that renewed it,
 * which proves it existed while its certificates were still valid.
 */
#include <stdarg.h>
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

struct vctx {
	const struct fx_sign *s;
	X509_STORE *store;
	STACK_OF(X509_CRL) *crls;
	json_t *problems;
	json_t *renewed_at; /* object hex -> ms of the earliest valid token renewing it */
	int sigs, toks, cps, proofs, files;
};

static void to_list(void *ctx, const char *msg)
{
	struct vctx *v = ctx;

	fx_error("%s", msg);
	json_array_append_new(v->problems, json_string(msg));
}

static void vsay(struct vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void vsay(struct vctx *v, const char *fmt, ...)
{
	char msg[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	to_list(v, msg);
}

static const char *dstr(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(json_object_get(rec, FX_KEY_DATA), key));
}

static json_int_t dint(const json_t *rec, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(rec, FX_KEY_DATA), key));
}

static int64_t renewed_at(struct vctx *v, const char *hex)
{
	return hex ? (int64_t)json_integer_value(json_object_get(v->renewed_at, hex)) : 0;
}

static struct cms_check checker(struct vctx *v, const char *what, const uint8_t *md,
				int64_t at_ms)
{
	struct cms_check k;

	memset(&k, 0, sizeof(k));
	k.store = v->store;
	k.crls = v->crls;
	k.content_md = md;
	k.what = what;
	k.at_ms = at_ms;
	k.fn = to_list;
	k.ctx = v;
	return k;
}

/* ---- checkpoints (shared with fx-case verify) ---- */

static X509 *cert_object(struct fx_case *c, const char *hex)
{
	const unsigned char *p;
	uint8_t *der;
	size_t len;
	X509 *x;

	if (!hex || !fx_store_has(fx_case_store(c), hex))
		return NULL;
	der = object_read(c, hex, &len);
	p = der;
	x = der ? d2i_X509(NULL, &p, (long)len) : NULL;
	free(der);
	ERR_clear_error();
	return x;
}

static int note_of(struct fx_case *c, const char *hex, struct note *n, char *msg, size_t len)
{
	uint8_t *buf;
	size_t blen;
	int ret;

	memset(n, 0, sizeof(*n));
	if (!hex || !fx_store_has(fx_case_store(c), hex)) {
		snprintf(msg, len, "its note %s is not in the case", hex ? hex : "(none)");
		return -1;
	}
	buf = object_read(c, hex, &blen);
	if (!buf) {
		snprintf(msg, len, "its note cannot be read");
		return -1;
	}
	ret = note_parse((char *)buf, blen, n, msg, len);
	free(buf);
	return ret;
}

/*
 * Checks the case's checkpoints; store NULL skips trust (fx-case verify
 * checks integrity, fx-sign verify trust too). Returns the count or -1.
 */
static int checkpoints_check(struct fx_case *c, X509_STORE *store, STACK_OF(X509_CRL) *crls,
			     void (*fn)(void *, const char *), void *ctx)
{
	json_t *all = case_records(c, "checkpoint"), *r, *newest;
	struct note n, last;
	struct tree t;
	char msg[600], why[300], what[128], hex[FX_SHA256_HEX], *origin = note_origin(fx_case_id(c));
	fx_mhash *leaves = NULL, proof[FX_MERKLE_MAX_PROOF], root_m, root_n;
	uint64_t nleaves = 0, size, m;
	size_t i, j, k, len, count = json_array_size(all);
	uint8_t md[32];
	int found, ok;
	X509 *x;

#define SAY(...) (snprintf(msg, sizeof(msg), __VA_ARGS__), fn(ctx, msg))
	memset(&last, 0, sizeof(last));
	json_array_foreach(all, i, r) {
		size = (uint64_t)dint(r, "size");
		snprintf(what, sizeof(what), "checkpoint of %llu entries (%s)",
			 (unsigned long long)size, dstr(r, "key") ? dstr(r, "key") : "?");
		if (note_of(c, dstr(r, "sha256"), &n, why, sizeof(why)) < 0) {
			SAY("%s: %s", what, why);
			note_release(&n);
			continue;
		}
		fx_hex(n.root, 32, hex);
		if (n.size != size || !dstr(r, "root") || strcmp(hex, dstr(r, "root")) != 0 ||
		    strcmp(n.origin, origin) != 0)
			SAY("%s: the note says %s, %llu entries, another root", what, n.origin,
			    (unsigned long long)n.size);
		fx_sha256(n.text, n.text_len, md);
		if (!dstr(r, "text_sha256") || strcmp(fx_hex(md, 32, hex), dstr(r, "text_sha256")))
			SAY("%s: its text object is not the note's text", what);
		x = cert_object(c, dstr(r, "cert_sha256"));
		found = 0;
		for (j = 0; x && j < n.nsigs; j++)
			if (dstr(r, "key") && strcmp(n.sigs[j].name, dstr(r, "key")) == 0 &&
			    note_verify_sig(&n, &n.sigs[j], X509_get0_pubkey(x)) == 0)
				found = 1;
		if (!x)
			SAY("%s: the signer's certificate is not in the case", what);
		else if (!found)
			SAY("%s: the signature by '%s' does not verify (wrong key or changed bytes)",
			    what, dstr(r, "key"));
		if (x && store) {
			struct cms_check kc;
			int64_t at = 0;

			memset(&kc, 0, sizeof(kc));
			kc.store = store;
			kc.crls = crls;
			kc.what = what;
			kc.fn = fn;
			kc.ctx = ctx;
			if (json_string_value(json_object_get(r, FX_KEY_TIME)))
				fx_time_parse(json_string_value(json_object_get(r, FX_KEY_TIME)), &at);
			cms_cert_chain(&kc, x, NULL, at ? at : fx_time_now_ms(), "signer");
		}
		X509_free(x);
		if (i + 1 == count) {
			last = n;
			memset(&n, 0, sizeof(n));
		}
		note_release(&n);
	}
	if (!count || !last.text) {
		json_decref(all);
		free(origin);
		note_release(&last);
		return (int)count;
	}
	/* Every signature on the newest checkpoint must be one fx can check. */
	newest = json_array_get(all, count - 1);
	for (j = 0; j < last.nsigs; j++) {
		found = 0;
		json_array_foreach(all, k, r) {
			if ((uint64_t)dint(r, "size") != last.size || !dstr(r, "key") ||
			    strcmp(dstr(r, "key"), last.sigs[j].name) != 0)
				continue;
			x = cert_object(c, dstr(r, "cert_sha256"));
			if (x && note_verify_sig(&last, &last.sigs[j], X509_get0_pubkey(x)) == 0)
				found = 1;
			X509_free(x);
		}
		if (!found)
			SAY("newest checkpoint (%llu entries): the signature by '%s' does not verify"
			    " with any key of the case", (unsigned long long)last.size,
			    last.sigs[j].name);
	}
	/* Its root against the log, and every earlier one consistent with it. */
	leaves = fx_case_leaves(c, &nleaves);
	size = last.size;
	if (!leaves || size > nleaves) {
		SAY("newest checkpoint (%llu entries): the custody log has only %llu",
		    (unsigned long long)size, (unsigned long long)nleaves);
		goto out;
	}
	tree_init(&t, c, leaves, size);
	if (tree_build(&t, NULL, 0) == 0 && tree_root(&t, size, root_n) == 0 &&
	    memcmp(root_n, last.root, 32) != 0)
		SAY("the custody log does not match its newest checkpoint (%llu entries):"
		    " its history was rewritten", (unsigned long long)size);
	if (dstr(newest, "tiles_sha256")) {
		uint8_t *tiles = object_read(c, dstr(newest, "tiles_sha256"), &len);

		if (!tiles || len != t.nblocks * sizeof(fx_mhash) ||
		    memcmp(tiles, t.blocks, len) != 0)
			SAY("newest checkpoint (%llu entries): its tiles do not match the log",
			    (unsigned long long)size);
		free(tiles);
	}
	json_array_foreach(all, i, r) {
		m = (uint64_t)dint(r, "size");
		if (m == 0 || m >= size || !dstr(r, "root") || fx_unhex(dstr(r, "root"), root_m, 32))
			continue;
		ok = tree_consistency(&t, m, size, proof, &len) == 0 &&
		     fx_merkle_verify_consistency(m, size, proof, len, root_m, last.root) == 0;
		if (!ok)
			SAY("checkpoint of %llu entries is not consistent with the newest (%llu):"
			    " the custody log was rewritten", (unsigned long long)m,
			    (unsigned long long)size);
	}
	tree_release(&t);
out:
	free(leaves);
	note_release(&last);
	json_decref(all);
	free(origin);
	return (int)count;
#undef SAY
}

int fx_sign_case_checkpoints(struct fx_case *c, void (*fn)(void *ctx, const char *msg),
			     void *ctx)
{
	return checkpoints_check(c, NULL, NULL, fn, ctx);
}

/* ---- the case's records ---- */

/* Checks renewal tokens, newest first, and notes when each renewed object. */
static void renewals(struct vctx *v, struct fx_case *c, json_t *toks)
{
	size_t i = json_array_size(toks);
	struct tok_info info;
	char msg[600];
	uint8_t imp[32], *tok;
	size_t len;
	json_t *r, *prev;
	const char *obj, *of;

	while (i-- > 0) {
		r = json_array_get(toks, i);
		if (!dstr(r, "target") || strcmp(dstr(r, "target"), "renewal") != 0)
			continue;
		obj = dstr(r, "sha256");
		of = dstr(r, "imprint");
		v->toks++;
		if (!obj || !of || fx_unhex(of, imp, 32) < 0 || !(tok = object_read(c, obj, &len))) {
			vsay(v, "renewal token %.16s: not in the case", obj ? obj : "?");
			continue;
		}
		if (!fx_store_has(fx_case_store(c), of))
			vsay(v, "renewal token %.16s: what it renews (%.16s) is not in the case", obj,
			     of);
		if (tsa_check(tok, len, imp, v->store, renewed_at(v, obj), &info, msg,
			      sizeof(msg)) < 0) {
			vsay(v, "renewal token %.16s: %s", obj, msg);
		} else {
			prev = json_object_get(v->renewed_at, of);
			if (!prev || json_integer_value(prev) > info.gen_ms)
				json_object_set_new(v->renewed_at, of, json_integer(info.gen_ms));
		}
		tok_info_release(&info);
		free(tok);
	}
}

static void signature_record(struct vctx *v, struct fx_case *c, const json_t *r)
{
	const char *obj = dstr(r, "sha256"), *content = dstr(r, "content_sha256");
	char what[300], hex[FX_SHA256_HEX], *who;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	struct cms_check k;
	uint8_t md[32], inkmd[32], *der;
	size_t len;
	X509 *signer = NULL;

	v->sigs++;
	snprintf(what, sizeof(what), "signature %.12s (%s of %s)",
		 json_string_value(json_object_get(r, FX_KEY_ID)), dstr(r, "role") ? dstr(r, "role") : "?",
		 dstr(r, "path") ? dstr(r, "path") : dstr(r, "target") ? dstr(r, "target") : "?");
	if (!obj || !content || fx_unhex(content, md, 32) < 0 || !(der = object_read(c, obj, &len))) {
		vsay(v, "%s: its CMS is not in the case", what);
		return;
	}
	cms = cms_parse(der, len, what);
	if (!cms) {
		vsay(v, "%s: its CMS cannot be read", what);
		free(der);
		return;
	}
	k = checker(v, what, md, renewed_at(v, obj));
	cms_check(cms, der, len, &k);
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), (int)dint(r, "index"));
	if (si)
		CMS_SignerInfo_get0_algs(si, NULL, &signer, NULL, NULL);
	if (signer)
		cert_sha256(signer, hex);
	if (!signer || !dstr(r, "cert_sha256") || strcmp(hex, dstr(r, "cert_sha256")) != 0)
		vsay(v, "%s: signer %d of the CMS is not the certificate the record names", what,
		     (int)dint(r, "index"));
	else if (!cms_signer_role(si) || !dstr(r, "role") ||
		 strcmp(cms_signer_role(si), dstr(r, "role")) != 0)
		vsay(v, "%s: the CMS claims another role", what);
	if (si && dstr(r, "ink_sha256")) {
		if (cms_signer_ink(si, &who, inkmd) < 0 ||
		    strcmp(fx_hex(inkmd, 32, hex), dstr(r, "ink_sha256")) != 0 ||
		    !dstr(r, "ink_signer") || strcmp(who, dstr(r, "ink_signer")) != 0)
			vsay(v, "%s: the handwritten signature it names is not the one it signs", what);
		else if (!fx_store_has(fx_case_store(c), hex))
			vsay(v, "%s: the handwritten signature image is not in the case", what);
		free(who);
	}
	CMS_ContentInfo_free(cms);
	free(der);
}

static void timestamp_record(struct vctx *v, struct fx_case *c, const json_t *r,
			     const json_t *cps)
{
	const char *obj = dstr(r, "sha256"), *target = dstr(r, "target"), *imp = dstr(r, "imprint");
	char what[200], msg[600];
	struct tok_info info;
	uint8_t md[32], *tok, *der, *att;
	size_t len, dlen, alen, i;
	const json_t *cp;
	int found;

	if (target && strcmp(target, "renewal") == 0)
		return; /* checked by renewals() */
	v->toks++;
	snprintf(what, sizeof(what), "timestamp %.12s (%s %s)",
		 json_string_value(json_object_get(r, FX_KEY_ID)), target ? target : "?",
		 dstr(r, "path") ? dstr(r, "path") : "");
	if (!obj || !imp || fx_unhex(imp, md, 32) < 0 || !(tok = object_read(c, obj, &len))) {
		vsay(v, "%s: its token is not in the case", what);
		return;
	}
	if (tsa_check(tok, len, md, v->store, renewed_at(v, obj), &info, msg, sizeof(msg)) < 0)
		vsay(v, "%s: %s", what, msg);
	else if (!dstr(r, "tsa_cert_sha256") ||
		 strcmp(info.tsa_cert_sha256, dstr(r, "tsa_cert_sha256")) != 0)
		vsay(v, "%s: signed by another TSA certificate than the record names", what);
	tok_info_release(&info);
	if (target && strcmp(target, "signature") == 0) {
		CMS_ContentInfo *cms = NULL;
		CMS_SignerInfo *si = NULL;
		uint8_t sig[32];

		der = dstr(r, "cms_sha256") ? object_read(c, dstr(r, "cms_sha256"), &dlen) : NULL;
		if (der)
			cms = cms_parse(der, dlen, what);
		if (cms)
			si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), (int)dint(r, "index"));
		att = si ? cms_signer_token(si, &alen) : NULL;
		if (si)
			cms_signature_imprint(si, sig);
		if (!att || alen != len || memcmp(att, tok, len) != 0 || memcmp(sig, md, 32) != 0)
			vsay(v, "%s: not the token of signer %d of its CMS", what,
			     (int)dint(r, "index"));
		free(att);
		CMS_ContentInfo_free(cms);
		free(der);
	} else if (target && strcmp(target, "checkpoint") == 0) {
		found = 0;
		json_array_foreach(cps, i, cp)
			if (dstr(cp, "text_sha256") && strcmp(dstr(cp, "text_sha256"), imp) == 0)
				found = 1;
		if (!found)
			vsay(v, "%s: stamps no checkpoint of the case", what);
	}
	free(tok);
}

static int verify_case(struct vctx *v)
{
	struct fx_case *c = sign_case_open(v->s, FX_CASE_READ);
	json_t *sigs, *toks, *cps, *r;
	size_t i;
	int n;

	if (!c)
		return -1;
	toks = case_records(c, "timestamp");
	sigs = case_records(c, "signature");
	cps = case_records(c, "checkpoint");
	renewals(v, c, toks);
	json_array_foreach(sigs, i, r)
		signature_record(v, c, r);
	json_array_foreach(toks, i, r)
		timestamp_record(v, c, r, cps);
	n = checkpoints_check(c, v->store, v->crls, to_list, v);
	if (n > 0)
		v->cps += n;
	json_decref(sigs);
	json_decref(toks);
	json_decref(cps);
	fx_case_free(c);
	return 0;
}

/* ---- files ---- */

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);

	return a > b && strcmp(s + a - b, tail) == 0;
}

static void cms_file(struct vctx *v, const char *p7s, const char *content)
{
	uint8_t md[32], *der;
	size_t len;
	uint64_t size;
	CMS_ContentInfo *cms;
	struct cms_check k;
	char what[600];

	v->sigs++;
	snprintf(what, sizeof(what), "'%s'", p7s);
	if (file_sha256(content, md, NULL, &size) < 0) {
		vsay(v, "%s: the signed file '%s' cannot be read", what, content);
		return;
	}
	der = (uint8_t *)fx_read_file(p7s, &len, 64u << 20);
	cms = der ? cms_parse(der, len, what) : NULL;
	if (!cms) {
		vsay(v, "%s: not a CMS signature", what);
		free(der);
		return;
	}
	k = checker(v, what, md, 0);
	cms_check(cms, der, len, &k);
	CMS_ContentInfo_free(cms);
	free(der);
}

static void tst_file(struct vctx *v, const char *tst, const char *data)
{
	uint8_t md[32], *tok;
	uint64_t size;
	size_t len;
	char msg[600];
	struct tok_info info;

	v->toks++;
	if (file_sha256(data, md, NULL, &size) < 0) {
		vsay(v, "'%s': the stamped file '%s' cannot be read", tst, data);
		return;
	}
	tok = (uint8_t *)fx_read_file(tst, &len, 16u << 20);
	if (!tok)
		return;
	if (tsa_check(tok, len, md, v->store, 0, &info, msg, sizeof(msg)) < 0)
		vsay(v, "'%s': %s", tst, msg);
	tok_info_release(&info);
	free(tok);
}

/* Verifies the note's signatures with certs; returns how many verified, -1 if one failed. */
static int note_sigs(struct vctx *v, const char *what, const struct note *n,
		     STACK_OF(X509) *certs)
{
	size_t i;
	int j, good = 0, ok;

	for (i = 0; i < n->nsigs; i++) {
		ok = 0;
		for (j = 0; j < sk_X509_num(certs); j++)
			if (note_verify_sig(n, &n->sigs[i], X509_get0_pubkey(sk_X509_value(certs, j))) ==
			    0)
				ok = 1;
		if (!ok) {
			vsay(v, "%s: the signature by '%s' does not verify with any certificate given",
			     what, n->sigs[i].name);
			return -1;
		}
		good++;
	}
	return good;
}

static STACK_OF(X509) *pem_certs(const json_t *arr, struct vctx *v, const char *what)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	struct cms_check k = checker(v, what, NULL, 0);
	const json_t *s;
	size_t i;
	BIO *b;
	X509 *x;

	json_array_foreach(arr, i, s) {
		b = BIO_new_mem_buf(json_string_value(s) ? json_string_value(s) : "", -1);
		x = PEM_read_bio_X509(b, NULL, NULL, NULL);
		BIO_free(b);
		if (!x) {
			vsay(v, "%s: certificate %zu cannot be read", what, i);
			continue;
		}
		cms_cert_chain(&k, x, NULL, fx_time_now_ms(), "checkpoint signer");
		sk_X509_push(sk, x);
	}
	ERR_clear_error();
	return sk;
}

static void proof_file(struct vctx *v, const char *path, const char *text, size_t tlen)
{
	static const char *const keys[] = { "proof", "entry", "index", "size", "hashes",
					    "checkpoint", "certificates", "old", "from", NULL };
	json_t *j = json_loadb(text, tlen, 0, NULL), *val, *h;
	struct note n, o;
	STACK_OF(X509) *certs = NULL;
	fx_mhash proof[FX_MERKLE_MAX_PROOF], leaf;
	const char *key, *kind, *note;
	char msg[300], what[600];
	size_t i, len = 0, blen;
	uint8_t *raw;
	int ok = 0, k;

	v->proofs++;
	memset(&n, 0, sizeof(n));
	memset(&o, 0, sizeof(o));
	snprintf(what, sizeof(what), "proof '%s'", path);
	if (!j || !json_is_object(j)) {
		vsay(v, "%s: not a JSON proof", what);
		goto out;
	}
	json_object_foreach(j, key, val) {
		for (k = 0; keys[k] && strcmp(keys[k], key) != 0; k++)
			;
		if (!keys[k]) {
			vsay(v, "%s: unknown key '%s'", what, key);
			goto out;
		}
	}
	kind = json_string_value(json_object_get(j, "proof"));
	note = json_string_value(json_object_get(j, "checkpoint"));
	h = json_object_get(j, "hashes");
	if (!kind || !note || !json_is_array(h) || json_array_size(h) > FX_MERKLE_MAX_PROOF) {
		vsay(v, "%s: incomplete", what);
		goto out;
	}
	json_array_foreach(h, i, val) {
		raw = json_string_value(val) ? b64_decode(json_string_value(val),
							  strlen(json_string_value(val)), &blen)
					     : NULL;
		if (!raw || blen != 32) {
			free(raw);
			vsay(v, "%s: hash %zu is not base64 of 32 bytes", what, i);
			goto out;
		}
		memcpy(proof[len++], raw, 32);
		free(raw);
	}
	if (note_parse(note, strlen(note), &n, msg, sizeof(msg)) < 0) {
		vsay(v, "%s: its checkpoint: %s", what, msg);
		goto out;
	}
	if ((uint64_t)json_integer_value(json_object_get(j, "size")) != n.size ||
	    !json_is_integer(json_object_get(j, "size"))) {
		vsay(v, "%s: its size is not its checkpoint's", what);
		goto out;
	}
	certs = pem_certs(json_object_get(j, "certificates"), v, what);
	if (note_sigs(v, what, &n, certs) <= 0)
		goto out;
	if (strcmp(kind, "inclusion") == 0) {
		const char *entry = json_string_value(json_object_get(j, "entry"));
		json_t *e = entry ? json_loads(entry, 0, NULL) : NULL;
		json_int_t index = json_integer_value(json_object_get(j, "index"));

		ok = e && index >= 0 && json_integer_value(json_object_get(e, "seq")) == index;
		if (ok) {
			fx_merkle_leaf_hash(entry, strlen(entry), leaf);
			ok = fx_merkle_verify_inclusion(leaf, (uint64_t)index, n.size, proof, len,
							n.root) == 0;
		}
		json_decref(e);
		if (!ok)
			vsay(v, "%s: custody entry %lld is not in the checkpoint of %llu entries"
			     " (changed entry, proof or root)", what, (long long)index,
			     (unsigned long long)n.size);
	} else if (strcmp(kind, "consistency") == 0) {
		const char *old = json_string_value(json_object_get(j, "old"));
		json_int_t from = json_integer_value(json_object_get(j, "from"));

		if (!old || note_parse(old, strlen(old), &o, msg, sizeof(msg)) < 0 ||
		    (uint64_t)from != o.size || note_sigs(v, what, &o, certs) <= 0) {
			vsay(v, "%s: its older checkpoint does not check out", what);
			goto out;
		}
		if (fx_merkle_verify_consistency(o.size, n.size, proof, len, o.root, n.root) != 0)
			vsay(v, "%s: the checkpoint of %llu entries is not consistent with the one"
			     " of %llu", what, (unsigned long long)o.size, (unsigned long long)n.size);
	} else {
		vsay(v, "%s: unknown kind of proof '%s'", what, kind);
	}
out:
	sk_X509_pop_free(certs, X509_free);
	note_release(&n);
	note_release(&o);
	json_decref(j);
}

/* A checkpoint note kept outside the case: its signatures, and the case's log. */
static void note_file(struct vctx *v, const char *path, const char *text, size_t tlen)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	struct fx_case *c = NULL;
	struct note n;
	struct tree t;
	json_t *all = NULL, *r;
	char msg[300], what[600], *dir = NULL, *kd;
	fx_mhash root;
	size_t i;
	X509 *x;

	v->cps++;
	snprintf(what, sizeof(what), "checkpoint '%s'", path);
	if (note_parse(text, tlen, &n, msg, sizeof(msg)) < 0) {
		vsay(v, "%s: %s", what, msg);
		goto out;
	}
	if (v->s->case_dir && (c = sign_case_open(v->s, FX_CASE_READ))) {
		all = case_records(c, "checkpoint");
		json_array_foreach(all, i, r)
			if ((x = cert_object(c, dstr(r, "cert_sha256"))))
				sk_X509_push(certs, x);
	}
	{
		/* The examiner's own keys may have signed it too. */
		char *home = fx_home();
		STACK_OF(X509) *mine;
		struct dirent;

		dir = fx_path_join(home, "keys");
		free(home);
		for (i = 0; n.sigs && i < n.nsigs; i++) {
			kd = fx_path_join(dir, n.sigs[i].name);
			home = fx_path_join(kd, "cert.pem");
			mine = access(home, F_OK) == 0 ? certs_read(home) : NULL;
			while (mine && sk_X509_num(mine))
				sk_X509_push(certs, sk_X509_shift(mine));
			sk_X509_free(mine);
			free(home);
			free(kd);
		}
	}
	if (note_sigs(v, what, &n, certs) <= 0)
		goto out;
	if (c) {
		tree_init(&t, c, NULL, n.size);
		if (fx_case_head(c, &t.size, root) < 0 || n.size > t.size) {
			vsay(v, "%s: the case's custody log has fewer than %llu entries", what,
			     (unsigned long long)n.size);
		} else if (tree_build(&t, NULL, 0) == 0 && tree_root(&t, n.size, root) == 0 &&
			   memcmp(root, n.root, 32) != 0) {
			vsay(v, "%s: the case's custody log is not consistent with it: its history"
			     " was rewritten", what);
		}
		tree_release(&t);
	}
out:
	free(dir);
	json_decref(all);
	fx_case_free(c);
	note_release(&n);
	sk_X509_pop_free(certs, X509_free);
}

/* A signed or stamped file, looked up in the case. */
static void plain_file(struct vctx *v, const char *path)
{
	struct fx_case *c;
	json_t *recs, *r;
	uint8_t md[32];
	char hex[FX_SHA256_HEX];
	uint64_t size;
	size_t i;
	int found = 0;

	if (file_sha256(path, md, hex, &size) < 0) {
		vsay(v, "'%s': cannot be read", path);
		return;
	}
	c = sign_case_open(v->s, FX_CASE_READ);
	if (!c)
		return;
	recs = case_records(c, "signature");
	json_array_foreach(recs, i, r) {
		if (!dstr(r, "content_sha256") || strcmp(dstr(r, "content_sha256"), hex) != 0)
			continue;
		found++;
		signature_record(v, c, r);
	}
	json_decref(recs);
	recs = case_records(c, "timestamp");
	json_array_foreach(recs, i, r) {
		if (!dstr(r, "imprint") || strcmp(dstr(r, "imprint"), hex) != 0 ||
		    !dstr(r, "target") || strcmp(dstr(r, "target"), "file") != 0)
			continue;
		found++;
		timestamp_record(v, c, r, NULL);
	}
	json_decref(recs);
	fx_case_free(c);
	if (!found)
		vsay(v, "'%s': the case has no signature or timestamp of these bytes (%.16s…)", path,
		     hex);
}

static void verify_file(struct vctx *v, const char *path)
{
	char *side, *base, *head;
	size_t len;

	v->files++;
	side = fx_xasprintf("%s.p7s", path);
	if (access(side, F_OK) == 0) {
		cms_file(v, side, path);
		free(side);
		side = fx_xasprintf("%s.tst", path);
		if (access(side, F_OK) == 0)
			tst_file(v, side, path);
		free(side);
		return;
	}
	free(side);
	side = fx_xasprintf("%s.tst", path);
	if (access(side, F_OK) == 0) {
		tst_file(v, side, path);
		free(side);
		return;
	}
	free(side);
	if (ends_with(path, ".p7s") || ends_with(path, ".tst")) {
		base = fx_xasprintf("%.*s", (int)(strlen(path) - 4), path);
		if (ends_with(path, ".p7s"))
			cms_file(v, path, base);
		else
			tst_file(v, path, base);
		free(base);
		return;
	}
	head = fx_read_file(path, &len, 64u << 20);
	if (!head) {
		vsay(v, "'%s': cannot be read", path);
		return;
	}
	if (len && head[0] == '{')
		proof_file(v, path, head, len);
	else if (strstr(head, "\n\n\xe2\x80\x94 "))
		note_file(v, path, head, len);
	else if (v->s->case_dir)
		plain_file(v, path);
	else
		vsay(v, "'%s': no '%s.p7s' or '%s.tst' beside it, and no case to look in", path,
		     path, path);
	free(head);
}

int fx_sign_verify(const struct fx_sign *s, char **files, int n)
{
	struct vctx v;
	json_t *sum;
	char *line;
	int i, ret = 0;

	memset(&v, 0, sizeof(v));
	v.s = s;
	v.store = trust_store(s);
	v.crls = trust_crls(s);
	v.problems = json_array();
	v.renewed_at = json_object();
	if (!s->case_dir && n == 0) {
		ret = fx_error("nothing to verify: give files, or a case");
		goto out;
	}
	if (s->case_dir && verify_case(&v) < 0) {
		ret = -1;
		goto out;
	}
	for (i = 0; i < n; i++)
		verify_file(&v, files[i]);
	sum = json_pack("{s:b,s:i,s:i,s:i,s:i,s:i,s:O}", "ok", json_array_size(v.problems) == 0,
			"signatures", v.sigs, "timestamps", v.toks, "checkpoints", v.cps, "proofs",
			v.proofs, "files", v.files, "problems", v.problems);
	line = fx_json_dump(sum);
	if (!line || fprintf(s->out, "%s\n", line) < 0)
		ret = fx_error_errno("cannot write to standard output");
	free(line);
	json_decref(sum);
	if (ret == 0)
		ret = json_array_size(v.problems) ? 1 : 0;
	if (ret == 0 && !s->quiet)
		fprintf(stderr, "%s: verified %d signatures, %d timestamps, %d checkpoints, %d proofs\n",
			fx_progname(), v.sigs, v.toks, v.cps, v.proofs);
out:
	X509_STORE_free(v.store);
	sk_X509_CRL_pop_free(v.crls, X509_CRL_free);
	json_decref(v.problems);
	json_decref(v.renewed_at);
	return ret;
}
