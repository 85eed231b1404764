/*
 * verify.c - fx_export_verify(): a package checked without the case or
 * any key. The package (a folder, tar or zip) is read once through
 * fx_walk; every member is hashed with SHA-256 and SHA-512 as it streams
 * past, and the tag files and custody files are kept for the checks that
 * follow. Every failure is reported and named; none stops the others.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "export_int.h"
#include "fx_err.h"
#include "fx_export.h"
#include "fx_hash.h"
#include "fx_json.h"
#include "fx_merkle.h"
#include "fx_record.h"
#include "fx_walk.h"
#include "fx_banned.h"

#define MAX_KEPT (1024u << 20) /* a kept file larger than this is not read into memory */
#define MAX_SHOWN 200

struct kept {
	char *path;
	char *data;
	size_t len;
};

struct vctx {
	json_t *files;   /* member path -> {"sha256","sha512","size"} */
	struct kept *kept;
	size_t nkept, capkept;
	char *prefix;    /* the bag's top folder in the package, with '/', or "" */
	json_t *problems;
	int quiet;
	const char *pkg;
};

static void problem(struct vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct vctx *v, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_array_size(v->problems) < MAX_SHOWN) {
		if (!v->quiet)
			fx_error("%s: %s", v->pkg, msg);
		json_array_append_new(v->problems, json_string(msg));
	} else if (json_array_size(v->problems) == MAX_SHOWN) {
		if (!v->quiet)
			fx_error("%s: more problems not shown", v->pkg);
		json_array_append_new(v->problems, json_string("more problems not shown"));
	}
}

/* Whether a member (path inside the bag) is kept in memory for the checks. */
static int keep_it(const char *p)
{
	return !strchr(p, '/') || strncmp(p, "data/custody/", 13) == 0 ||
	       strcmp(p, "data/records/records.jsonl") == 0 ||
	       strcmp(p, "data/records/withdrawn.jsonl") == 0 || strcmp(p, "data/case.jsonld") == 0;
}

static const struct kept *kept_file(const struct vctx *v, const char *rel)
{
	size_t i;
	char *full = fx_xasprintf("%s%s", v->prefix, rel);

	for (i = 0; i < v->nkept; i++)
		if (strcmp(v->kept[i].path, full) == 0) {
			free(full);
			return &v->kept[i];
		}
	free(full);
	return NULL;
}

static const json_t *file_of(const struct vctx *v, const char *rel)
{
	char *full = fx_xasprintf("%s%s", v->prefix, rel);
	const json_t *f = json_object_get(v->files, full);

	free(full);
	return f;
}

/* ---- reading the package ---- */

static int read_package(struct vctx *v, const char *pkg)
{
	struct fx_walk *w = fx_walk_open(pkg);
	struct fx_walk_entry *e;
	struct fx_hash *h256 = fx_hash_new(FX_HASH_SHA256), *h512 = fx_hash_new(FX_HASH_SHA512);
	struct fx_buf buf = FX_BUF_INIT;
	uint8_t m256[32], m512[64];
	char x256[65], x512[129];
	const void *data;
	ssize_t n;
	int r, keep, ret = 0;
	uint64_t size;

	if (!w) {
		fx_hash_free(h256);
		fx_hash_free(h512);
		return -1;
	}
	while ((r = fx_walk_next(w, &e)) != 0) {
		if (r < 0) {
			problem(v, "the package cannot be read in full (see above)");
			continue;
		}
		if (e->kind == FX_WALK_DIR)
			continue;
		if (e->kind != FX_WALK_FILE) {
			problem(v, "%s: not a regular file", e->path);
			continue;
		}
		/* Tag files sit at the top of the bag, which may be one folder down. */
		{
			const char *slash = strchr(e->path, '/');

			keep = keep_it(e->path) || (slash && keep_it(slash + 1));
		}
		buf.len = 0;
		size = 0;
		while ((n = fx_walk_read(w, &data)) > 0) {
			fx_hash_update(h256, data, (size_t)n);
			fx_hash_update(h512, data, (size_t)n);
			if (keep && buf.len + (size_t)n <= MAX_KEPT)
				fx_buf_add(&buf, data, (size_t)n);
			size += (uint64_t)n;
		}
		if (n < 0)
			problem(v, "%s: cannot be read in full", e->path);
		fx_hash_final(h256, m256);
		fx_hash_final(h512, m512);
		json_object_set_new(v->files, e->path,
				    json_pack("{s:s,s:s,s:I}", "sha256", fx_hex(m256, 32, x256),
					      "sha512", fx_hex(m512, 64, x512), "size",
					      (json_int_t)size));
		if (keep && size <= MAX_KEPT) {
			if (v->nkept == v->capkept) {
				v->capkept = v->capkept ? 2 * v->capkept : 32;
				v->kept = fx_xrealloc(v->kept, v->capkept * sizeof(*v->kept));
			}
			v->kept[v->nkept].path = fx_xstrdup(e->path);
			v->kept[v->nkept].len = buf.len;
			v->kept[v->nkept].data = fx_xmalloc(buf.len + 1);
			memcpy(v->kept[v->nkept].data, buf.data ? buf.data : "", buf.len);
			v->kept[v->nkept].data[buf.len] = '\0';
			v->nkept++;
		}
	}
	if (fx_walk_errors(w))
		ret = 0; /* reported as problems above */
	fx_walk_free(w);
	fx_buf_release(&buf);
	fx_hash_free(h256);
	fx_hash_free(h512);
	return ret;
}

/* The bag's top folder: where bagit.txt is, at the top or one folder down. */
static int find_prefix(struct vctx *v)
{
	const char *p, *best = NULL;
	json_t *x;

	json_object_foreach(v->files, p, x) {
		const char *slash = strchr(p, '/');

		if (strcmp(p, "bagit.txt") == 0) {
			best = p;
			break;
		}
		if (slash && strcmp(slash + 1, "bagit.txt") == 0 && !best)
			best = p;
	}
	if (!best)
		return -1;
	v->prefix = fx_xasprintf("%.*s", (int)(strlen(best) - strlen("bagit.txt")), best);
	return 0;
}

/* ---- manifests ---- */

/* Decodes %0A, %0D and %25 in a manifest path (RFC 8493 2.1.3). Caller frees. */
static char *unpercent(const char *s, size_t n)
{
	char *out = fx_xmalloc(n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    ((s[i + 1] == '0' && (s[i + 2] == 'A' || s[i + 2] == 'a' || s[i + 2] == 'D' ||
					  s[i + 2] == 'd')) ||
		     (s[i + 1] == '2' && s[i + 2] == '5'))) {
			*o++ = (char)(fx_hexval(s[i + 1]) * 16 + fx_hexval(s[i + 2]));
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/*
 * Checks one manifest (name, the hash key of files: sha256 or sha512)
 * against the files; payload set: every data/ file must be listed.
 * Returns the listed paths as an object, new reference.
 */
static json_t *check_manifest(struct vctx *v, const char *name, const char *alg, int payload)
{
	const struct kept *k = kept_file(v, name);
	json_t *listed = json_object();
	const char *p, *end, *sp, *path;
	size_t hlen = strcmp(alg, "sha512") == 0 ? 128 : 64;
	unsigned long line = 0;
	const json_t *f;
	char *rel;

	if (!k) {
		problem(v, "%s: missing", name);
		return listed;
	}
	for (p = k->data; p < k->data + k->len; p = end + 1) {
		end = memchr(p, '\n', (size_t)(k->data + k->len - p));
		if (!end)
			end = k->data + k->len;
		line++;
		if (end == p)
			continue;
		sp = p;
		while (sp < end && *sp != ' ' && *sp != '\t')
			sp++;
		path = sp;
		while (path < end && (*path == ' ' || *path == '\t'))
			path++;
		if ((size_t)(sp - p) != hlen || path == end) {
			problem(v, "%s:%lu: not a manifest line (%s and a path)", name, line, alg);
			continue;
		}
		rel = unpercent(path, (size_t)(end - path - (end[-1] == '\r')));
		json_object_set_new(listed, rel, json_true());
		if (payload && strncmp(rel, "data/", 5) != 0) {
			problem(v, "%s:%lu: '%s' is not under data/", name, line, rel);
		} else if (!(f = file_of(v, rel))) {
			problem(v, "%s: listed in %s but missing", rel, name);
		} else {
			const char *want = json_string_value(json_object_get(f, alg));
			size_t i;
			int same = 1;

			for (i = 0; i < hlen; i++)
				same &= (p[i] | 0x20) == want[i];
			if (!same)
				problem(v, "%s: its %s does not match %s (changed)", rel,
					strcmp(alg, "sha512") == 0 ? "SHA-512" : "SHA-256", name);
		}
		free(rel);
	}
	return listed;
}

/* The value of a bag-info.txt tag, or NULL. Caller frees. */
static char *info_tag(const struct vctx *v, const char *tag)
{
	const struct kept *k = kept_file(v, "bag-info.txt");
	const char *p, *end;
	size_t n = strlen(tag);

	if (!k)
		return NULL;
	for (p = k->data; p < k->data + k->len; p = end + 1) {
		end = memchr(p, '\n', (size_t)(k->data + k->len - p));
		if (!end)
			end = k->data + k->len;
		if ((size_t)(end - p) > n + 1 && strncmp(p, tag, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (p < end && *p == ' ')
				p++;
			return fx_xasprintf("%.*s", (int)(end - p), p);
		}
	}
	return NULL;
}

static void check_payload(struct vctx *v, json_t *result)
{
	json_t *m256 = check_manifest(v, "manifest-sha256.txt", "sha256", 1);
	json_t *m512 = kept_file(v, "manifest-sha512.txt")
			       ? check_manifest(v, "manifest-sha512.txt", "sha512", 1)
			       : NULL;
	size_t plen = strlen(v->prefix);
	uint64_t bytes = 0, count = 0;
	char *oxum, *want;
	const char *p, *key;
	json_t *f;

	json_object_foreach(v->files, key, f) {
		if (strncmp(key, v->prefix, plen) != 0) {
			problem(v, "%s: outside the bag", key);
			continue;
		}
		p = key + plen;
		if (strncmp(p, "data/", 5) != 0)
			continue;
		bytes += (uint64_t)json_integer_value(json_object_get(f, "size"));
		count++;
		if (!json_object_get(m256, p))
			problem(v, "%s: not in manifest-sha256.txt (added?)", p);
		if (m512 && !json_object_get(m512, p))
			problem(v, "%s: not in manifest-sha512.txt (added?)", p);
	}
	oxum = fx_xasprintf("%llu.%llu", (unsigned long long)bytes, (unsigned long long)count);
	want = info_tag(v, "Payload-Oxum");
	if (!want)
		problem(v, "bag-info.txt: no Payload-Oxum");
	else if (strcmp(want, oxum) != 0)
		problem(v, "bag-info.txt: Payload-Oxum is %s, the payload is %s (bytes.files)", want,
			oxum);
	json_object_set_new(result, "oxum", json_string(oxum));
	json_object_set_new(result, "files", json_integer((json_int_t)count));
	json_object_set_new(result, "bytes", json_integer((json_int_t)bytes));
	free(oxum);
	free(want);
	json_decref(m256);
	json_decref(m512);
}

static void check_tags(struct vctx *v)
{
	const struct kept *k = kept_file(v, "bagit.txt");
	json_t *listed, *f;
	size_t plen = strlen(v->prefix);
	const char *p, *key;

	if (!k || !strstr(k->data, "BagIt-Version: ") ||
	    !strstr(k->data, "Tag-File-Character-Encoding: UTF-8"))
		problem(v, "bagit.txt: not a BagIt declaration");
	else if (strcmp(k->data, BAG_DECLARATION) != 0 && !strstr(k->data, "BagIt-Version: 1.0"))
		problem(v, "bagit.txt: not BagIt 1.0");
	if (!kept_file(v, "tagmanifest-sha256.txt")) {
		problem(v, "tagmanifest-sha256.txt: missing");
		return;
	}
	listed = check_manifest(v, "tagmanifest-sha256.txt", "sha256", 0);
	/* Every tag file is vouched for, but the manifest itself and its signatures. */
	json_object_foreach(v->files, key, f) {
		if (strncmp(key, v->prefix, plen) != 0)
			continue;
		p = key + plen;
		if (strncmp(p, "data/", 5) == 0 || strncmp(p, "tagmanifest-", 12) == 0)
			continue;
		if (!json_object_get(listed, p))
			problem(v, "%s: not in tagmanifest-sha256.txt (added?)", p);
	}
	json_decref(listed);
}

/* ---- signatures ---- */

static char *ossl_reason(void)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return fx_xstrdup(e ? buf : "not a valid signature");
}

int fx_export_check_cms(const void *sig, size_t siglen, const void *data, size_t len,
			char **who)
{
	BIO *in = BIO_new_mem_buf(sig, (int)siglen), *content;
	CMS_ContentInfo *cms = d2i_CMS_bio(in, NULL);
	X509_STORE *store = X509_STORE_new();
	STACK_OF(X509) *signers;
	char name[512];
	int ok;

	BIO_free(in);
	if (!cms) {
		*who = fx_xstrdup("not a DER CMS signature");
		ERR_clear_error();
		X509_STORE_free(store);
		return -1;
	}
	content = BIO_new_mem_buf(data, (int)len);
	/* The signature's own certificate: the math is checked, trust is the reader's. */
	ok = CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY);
	BIO_free(content);
	if (ok) {
		signers = CMS_get0_signers(cms);
		if (signers && sk_X509_num(signers) > 0) {
			X509_NAME_oneline(X509_get_subject_name(sk_X509_value(signers, 0)), name,
					  sizeof(name));
			*who = fx_xstrdup(name);
		} else {
			*who = fx_xstrdup("(signer not named)");
		}
		sk_X509_free(signers);
	} else {
		*who = ossl_reason();
	}
	CMS_ContentInfo_free(cms);
	X509_STORE_free(store);
	return ok ? 0 : -1;
}

int fx_export_check_tsr(const void *tsr, size_t tsrlen, const void *data, size_t len,
			char **who)
{
	const unsigned char *p = tsr;
	TS_RESP *resp = d2i_TS_RESP(NULL, &p, (long)tsrlen);
	PKCS7 *token = NULL;
	TS_TST_INFO *tst = NULL;
	X509_STORE *store = NULL;
	ASN1_OCTET_STRING *imprint;
	const ASN1_GENERALIZEDTIME *t;
	uint8_t md[32];
	int ok = 0;

	if (resp) {
		token = TS_RESP_get_token(resp);
	} else {
		p = tsr;
		token = d2i_PKCS7(NULL, &p, (long)tsrlen);
	}
	if (!token) {
		*who = fx_xstrdup("not an RFC 3161 timestamp response or token");
		goto out;
	}
	tst = PKCS7_to_TS_TST_INFO(token);
	if (!tst) {
		*who = fx_xstrdup("the token holds no TSTInfo");
		goto out;
	}
	imprint = TS_MSG_IMPRINT_get_msg(TS_TST_INFO_get_msg_imprint(tst));
	fx_sha256(data, len, md);
	if (!imprint || ASN1_STRING_length(imprint) != 32 ||
	    memcmp(ASN1_STRING_get0_data(imprint), md, 32) != 0) {
		*who = fx_xstrdup("the timestamp is not over this tag manifest (imprint differs)");
		goto out;
	}
	store = X509_STORE_new();
	if (PKCS7_verify(token, NULL, store, NULL, NULL, PKCS7_NOVERIFY) != 1) {
		*who = ossl_reason();
		goto out;
	}
	t = TS_TST_INFO_get_time(tst);
	*who = fx_xasprintf("%.*s", t ? ASN1_STRING_length(t) : 0,
			    t ? (const char *)ASN1_STRING_get0_data(t) : "");
	ok = 1;
out:
	ERR_clear_error();
	TS_TST_INFO_free(tst);
	if (resp)
		TS_RESP_free(resp);
	else
		PKCS7_free(token);
	X509_STORE_free(store);
	return ok ? 0 : -1;
}

static void check_signatures(struct vctx *v, json_t *result)
{
	const struct kept *tm = kept_file(v, "tagmanifest-sha256.txt");
	const struct kept *cms = kept_file(v, BAG_SIG_CMS), *tsr = kept_file(v, BAG_SIG_TST);
	char *who = NULL;

	json_object_set_new(result, "signed", json_boolean(cms != NULL));
	json_object_set_new(result, "timestamped", json_boolean(tsr != NULL));
	if (!tm)
		return;
	if (cms) {
		if (fx_export_check_cms(cms->data, cms->len, tm->data, tm->len, &who) < 0)
			problem(v, "%s: the signature over tagmanifest-sha256.txt does not verify: %s",
				BAG_SIG_CMS, who);
		else
			json_object_set_new(result, "signer", json_string(who));
		free(who);
		who = NULL;
	}
	if (tsr) {
		if (fx_export_check_tsr(tsr->data, tsr->len, tm->data, tm->len, &who) < 0)
			problem(v, "%s: %s", BAG_SIG_TST, who);
		else
			json_object_set_new(result, "timestamp", json_string(who));
		free(who);
	}
}

/* ---- custody ---- */

/* Calls fn with each line of a kept file (NUL-terminated in place). */
static void each_line(struct kept *k, void (*fn)(struct vctx *, char *, unsigned long, void *),
		      struct vctx *v, void *ctx)
{
	char *p, *end;
	unsigned long line = 0;

	for (p = k->data; p < k->data + k->len; p = end + 1) {
		end = memchr(p, '\n', (size_t)(k->data + k->len - p));
		if (!end)
			end = k->data + k->len;
		*end = '\0';
		line++;
		if (*p)
			fn(v, p, line, ctx);
	}
}

struct chain {
	json_t *entries;
	fx_mhash *leaves;
	size_t n, cap;
	char prev[FX_SHA256_HEX];
};

static void entry_line(struct vctx *v, char *s, unsigned long line, void *ctx)
{
	struct chain *ch = ctx;
	struct fx_buf b = FX_BUF_INIT;
	json_t *e = json_loads(s, 0, NULL), *bare;
	const char *hash, *leaf, *prev;
	char hex[FX_SHA256_HEX], lhex[FX_SHA256_HEX];
	uint8_t h[32];
	fx_mhash lf;

	if (!e) {
		problem(v, "data/custody/custody.jsonl:%lu: not JSON", line);
		return;
	}
	hash = json_string_value(json_object_get(e, "hash"));
	leaf = json_string_value(json_object_get(e, "leaf"));
	prev = json_string_value(json_object_get(e, "prev"));
	bare = json_deep_copy(e);
	json_object_del(bare, "hash");
	json_object_del(bare, "leaf");
	if (json_integer_value(json_object_get(e, "seq")) != (json_int_t)ch->n)
		problem(v, "data/custody/custody.jsonl:%lu: entry %lld where %zu was expected "
			"(removed or reordered)", line,
			(long long)json_integer_value(json_object_get(e, "seq")), ch->n);
	if (fx_json_canon(&b, bare, NULL, NULL) < 0) {
		problem(v, "data/custody/custody.jsonl:%lu: cannot be encoded", line);
	} else {
		fx_sha256(b.data, b.len, h);
		fx_merkle_leaf_hash(b.data, b.len, lf);
		fx_hex(h, 32, hex);
		fx_hex(lf, 32, lhex);
		if (!hash || strcmp(hash, hex) != 0)
			problem(v, "data/custody/custody.jsonl:%lu: entry %zu does not match its hash"
				" (changed)", line, ch->n);
		if (!leaf || strcmp(leaf, lhex) != 0)
			problem(v, "data/custody/custody.jsonl:%lu: entry %zu has a wrong leaf hash",
				line, ch->n);
		if (ch->n > 0 && (!prev || strcmp(prev, ch->prev) != 0))
			problem(v, "data/custody/custody.jsonl:%lu: entry %zu does not chain to the"
				" entry before it", line, ch->n);
		memcpy(ch->prev, hash && strlen(hash) == 64 ? hash : hex, FX_SHA256_HEX);
		ch->prev[64] = '\0';
	}
	if (ch->n == ch->cap) {
		ch->cap = ch->cap ? 2 * ch->cap : 256;
		ch->leaves = fx_xrealloc(ch->leaves, ch->cap * sizeof(*ch->leaves));
	}
	if (leaf && strlen(leaf) == 64)
		fx_unhex(leaf, ch->leaves[ch->n], 32);
	else
		memcpy(ch->leaves[ch->n], lf, 32);
	ch->n++;
	json_array_append_new(ch->entries, e);
	json_decref(bare);
	fx_buf_release(&b);
}

struct recs {
	json_t *ids;        /* record ids in order, hex */
	json_t *withdrawn;  /* id -> entry */
	uint64_t n;
	const char *case_id;
};

static void record_line(struct vctx *v, char *s, unsigned long line, void *ctx)
{
	struct recs *r = ctx;
	json_t *rec = json_loads(s, JSON_ALLOW_NUL, NULL);
	char hex[FX_SHA256_HEX];
	const char *id, *c;

	r->n++;
	if (!rec) {
		problem(v, "data/records/records.jsonl:%lu: not JSON", line);
		json_array_append_new(r->ids, json_string(""));
		return;
	}
	id = json_string_value(json_object_get(rec, FX_KEY_ID));
	if (fx_record_id(rec, hex) < 0 || !id || strcmp(id, hex) != 0)
		problem(v, "data/records/records.jsonl:%lu: the record's id does not match its"
			" content (changed)", line);
	c = json_string_value(json_object_get(rec, FX_KEY_CASE));
	if (c && r->case_id && strcmp(c, r->case_id) != 0)
		problem(v, "data/records/records.jsonl:%lu: a record of case '%s', not '%s'", line, c,
			r->case_id);
	json_array_append_new(r->ids, json_string(id ? id : ""));
	json_decref(rec);
}

static void withdrawn_line(struct vctx *v, char *s, unsigned long line, void *ctx)
{
	struct recs *r = ctx;
	json_t *w = json_loads(s, 0, NULL);

	if (!w || !json_is_string(json_object_get(w, "id")))
		problem(v, "data/records/withdrawn.jsonl:%lu: not a withdrawal", line);
	else
		json_object_set(r->withdrawn, json_string_value(json_object_get(w, "id")),
				json_object_get(w, "entry"));
	json_decref(w);
}

struct objs {
	json_t *list; /* [{sha256, entry, path}] in order */
};

static void object_line(struct vctx *v, char *s, unsigned long line, void *ctx)
{
	struct objs *o = ctx;
	json_t *ob = json_loads(s, 0, NULL);
	const char *sha = json_string_value(json_object_get(ob, "sha256"));
	const char *path = json_string_value(json_object_get(ob, "path"));
	const json_t *f;

	if (!ob || !sha || !path) {
		problem(v, "data/custody/objects.jsonl:%lu: not an object line", line);
	} else if (!(f = file_of(v, path))) {
		problem(v, "%s: missing (object %s)", path, sha);
	} else if (strcmp(json_string_value(json_object_get(f, "sha256")), sha) != 0) {
		problem(v, "%s: its bytes are not the object %s it stands for (changed)", path, sha);
	}
	json_array_append_new(o->list, ob ? ob : json_object());
}

/* Digest over raw 32-byte hashes of hex strings items[from, from+count). */
static void digest_of(const json_t *items, const char *key, size_t from, size_t count,
		      char out[FX_SHA256_HEX])
{
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	uint8_t raw[32], md[32];
	const char *s;
	size_t i;

	for (i = from; i < from + count; i++) {
		const json_t *it = json_array_get(items, i);

		s = key ? json_string_value(json_object_get(it, key)) : json_string_value(it);
		if (!s || fx_unhex(s, raw, 32) < 0)
			memset(raw, 0, 32);
		fx_hash_update(h, raw, 32);
	}
	fx_hash_final(h, md);
	fx_hash_free(h);
	fx_hex(md, 32, out);
}

static void check_custody(struct vctx *v, json_t *result)
{
	struct kept *log = (struct kept *)kept_file(v, "data/custody/custody.jsonl");
	struct kept *rk = (struct kept *)kept_file(v, "data/records/records.jsonl");
	struct kept *wk = (struct kept *)kept_file(v, "data/records/withdrawn.jsonl");
	struct kept *ok = (struct kept *)kept_file(v, "data/custody/objects.jsonl");
	const struct kept *pk = kept_file(v, "data/custody/proofs.json");
	struct chain ch = { json_array(), NULL, 0, 0, "" };
	struct recs r = { json_array(), json_object(), 0, NULL };
	struct objs ob = { json_array() };
	size_t ri = 0, oi = 0, i, k;
	fx_mhash root;
	char hex[FX_SHA256_HEX], *tag;
	json_t *e, *want, *proofs = NULL;

	if (!log) {
		problem(v, "data/custody/custody.jsonl: missing");
		goto out;
	}
	r.case_id = NULL;
	each_line(log, entry_line, v, &ch);
	fx_merkle_root(ch.leaves, ch.n, root);
	fx_hex(root, 32, hex);
	json_object_set_new(result, "custody", json_pack("{s:I,s:s}", "size", (json_int_t)ch.n,
							 "root", hex));
	tag = info_tag(v, "FX-Custody-Root");
	if (!tag || strcmp(tag, hex) != 0)
		problem(v, "bag-info.txt: FX-Custody-Root is %s, the custody log's root is %s",
			tag ? tag : "missing", hex);
	free(tag);
	tag = info_tag(v, "FX-Case");
	r.case_id = tag;
	if (tag)
		json_object_set_new(result, "case", json_string(tag));
	if (pk) {
		proofs = json_loads(pk->data, 0, NULL);
		if (!proofs || json_integer_value(json_object_get(proofs, "size")) != (json_int_t)ch.n ||
		    !json_string_value(json_object_get(proofs, "root")) ||
		    strcmp(json_string_value(json_object_get(proofs, "root")), hex) != 0) {
			problem(v, "data/custody/proofs.json: its head is not the custody log's");
		} else {
			json_t *incl = json_object_get(proofs, "inclusion"), *pr, *hx;
			fx_mhash path[FX_MERKLE_MAX_PROOF];
			size_t n;

			for (i = 0; i < ch.n; i++) {
				pr = json_array_get(incl, i);
				n = 0;
				json_array_foreach(pr, k, hx)
					if (n < FX_MERKLE_MAX_PROOF &&
					    fx_unhex(json_string_value(hx), path[n], 32) == 0)
						n++;
				if (fx_merkle_verify_inclusion(ch.leaves[i], i, ch.n, path, n, root) != 0) {
					problem(v, "data/custody/proofs.json: the inclusion proof of entry"
						" %zu does not verify", i);
					break;
				}
			}
		}
	} else {
		problem(v, "data/custody/proofs.json: missing");
	}
	if (rk)
		each_line(rk, record_line, v, &r);
	else
		problem(v, "data/records/records.jsonl: missing");
	if (wk)
		each_line(wk, withdrawn_line, v, &r);
	if (ok)
		each_line(ok, object_line, v, &ob);
	else
		problem(v, "data/custody/objects.jsonl: missing");
	/* What each entry says it added is what the package holds, in order. */
	json_array_foreach(ch.entries, i, e) {
		json_int_t cnt;

		want = json_object_get(e, "records");
		cnt = json_integer_value(json_object_get(want, "count"));
		if (cnt > 0) {
			if (ri + (size_t)cnt > json_array_size(r.ids)) {
				problem(v, "custody entry %zu: adds %lld records, the package holds"
					" fewer (records removed)", i, (long long)cnt);
				ri = json_array_size(r.ids);
			} else {
				digest_of(r.ids, NULL, ri, (size_t)cnt, hex);
				if (strcmp(hex, json_string_value(json_object_get(want, "sha256")) ?
						     json_string_value(json_object_get(want, "sha256")) : ""))
					problem(v, "custody entry %zu: the records it added are not those"
						" in data/records/records.jsonl", i);
				ri += (size_t)cnt;
			}
		}
		want = json_object_get(e, "objects");
		cnt = json_integer_value(json_object_get(want, "count"));
		if (cnt > 0) {
			if (oi + (size_t)cnt > json_array_size(ob.list)) {
				problem(v, "custody entry %zu: stores %lld objects, the package lists"
					" fewer", i, (long long)cnt);
				oi = json_array_size(ob.list);
			} else {
				digest_of(ob.list, "sha256", oi, (size_t)cnt, hex);
				if (strcmp(hex, json_string_value(json_object_get(want, "sha256")) ?
						     json_string_value(json_object_get(want, "sha256")) : ""))
					problem(v, "custody entry %zu: the objects it stored are not those"
						" in data/custody/objects.jsonl", i);
				oi += (size_t)cnt;
			}
		}
		want = json_object_get(e, "withdrawn");
		cnt = json_integer_value(json_object_get(want, "count"));
		if (cnt > 0) {
			json_t *ids = json_array(), *id;

			json_array_foreach(r.ids, k, id)
				if (json_integer_value(json_object_get(r.withdrawn,
					json_string_value(id))) == (json_int_t)i &&
				    json_object_get(r.withdrawn, json_string_value(id)))
					json_array_append(ids, id);
			digest_of(ids, NULL, 0, json_array_size(ids), hex);
			if ((json_int_t)json_array_size(ids) != cnt ||
			    strcmp(hex, json_string_value(json_object_get(want, "sha256")) ?
						json_string_value(json_object_get(want, "sha256")) : ""))
				problem(v, "custody entry %zu: the records it withdrew are not those in"
					" data/records/withdrawn.jsonl", i);
			json_decref(ids);
		}
	}
	if (ri < json_array_size(r.ids))
		problem(v, "data/records/records.jsonl: %zu records no custody entry added (added?)",
			json_array_size(r.ids) - ri);
	if (oi < json_array_size(ob.list))
		problem(v, "data/custody/objects.jsonl: %zu objects no custody entry stored (added?)",
			json_array_size(ob.list) - oi);
	json_object_set_new(result, "records", json_integer((json_int_t)r.n));
	free(tag);
out:
	json_decref(proofs);
	json_decref(ch.entries);
	free(ch.leaves);
	json_decref(r.ids);
	json_decref(r.withdrawn);
	json_decref(ob.list);
}

int fx_export_verify(const char *pkg, int quiet, json_t **result)
{
	struct vctx v;
	json_t *res = json_object();
	const struct kept *ld;
	size_t i;
	int ret;

	memset(&v, 0, sizeof(v));
	v.files = json_object();
	v.problems = json_array();
	v.quiet = quiet;
	v.pkg = pkg;
	*result = NULL;
	if (read_package(&v, pkg) < 0) {
		ret = -1;
		goto out;
	}
	if (find_prefix(&v) < 0) {
		problem(&v, "bagit.txt: missing (not a BagIt bag)");
		v.prefix = fx_xstrdup("");
	} else {
		check_tags(&v);
		check_payload(&v, res);
		check_signatures(&v, res);
		check_custody(&v, res);
		ld = kept_file(&v, "data/case.jsonld");
		if (ld) {
			json_t *doc = json_loads(ld->data, 0, NULL);

			if (!doc)
				problem(&v, "data/case.jsonld: not JSON");
			json_decref(doc);
		}
	}
	ret = json_array_size(v.problems) ? 1 : 0;
	json_object_set_new(res, "ok", json_boolean(ret == 0));
	json_object_set_new(res, "package", json_string(pkg));
	json_object_set(res, "problems", v.problems);
	*result = res;
	res = NULL;
out:
	json_decref(res);
	for (i = 0; i < v.nkept; i++) {
		free(v.kept[i].path);
		free(v.kept[i].data);
	}
	free(v.kept);
	free(v.prefix);
	json_decref(v.files);
	json_decref(v.problems);
	return ret;
}
