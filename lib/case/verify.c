/*
 * fx_case_verify: everything a case holds is checked against what the
 * custody log says it should be. Each problem names the item: the
 * custody entry, the record (by id and row), the object (by hash).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_sign.h"
#include "fx_time.h"
#include "fx_banned.h"

#define MAX_SHOWN 100

struct check {
	struct fx_case *c;
	json_t *problems;
	int quiet;
	uint64_t entries, records, objects, bytes, unreferenced;
	int checkpoints;
	sqlite3_stmt *listed; /* is an object in the objects table */
};

static void problem(struct check *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct check *k, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_array_size(k->problems) < MAX_SHOWN) {
		if (!k->quiet)
			fx_error("%s: %s", k->c->dir, msg);
		json_array_append_new(k->problems, json_string(msg));
	} else if (json_array_size(k->problems) == MAX_SHOWN) {
		if (!k->quiet)
			fx_error("%s: more problems not shown", k->c->dir);
		json_array_append_new(k->problems, json_string("more problems not shown"));
	}
}

static void checkpoint_problem(void *ctx, const char *msg)
{
	problem(ctx, "%s", msg);
}

static void db_integrity(struct check *k)
{
	sqlite3_stmt *st = fx_case_prepare(k->c, "PRAGMA quick_check");
	const char *msg;

	if (!st) {
		problem(k, "case.db: cannot be read: %s", sqlite3_errmsg(k->c->db));
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		msg = (const char *)sqlite3_column_text(st, 0);
		if (msg && strcmp(msg, "ok") != 0)
			problem(k, "case.db: damaged: %s", msg);
	}
	sqlite3_finalize(st);
}

/* A cursor over (entry, id) rows ordered by n, merged against the log. */
struct cursor {
	sqlite3_stmt *st;
	int row; /* 1 when a row is current */
	int64_t entry;
};

static void cursor_next(struct cursor *cu)
{
	cu->row = sqlite3_step(cu->st) == SQLITE_ROW;
	cu->entry = cu->row ? sqlite3_column_int64(cu->st, 0) : -1;
}

/* Hashes the cursor's rows that belong to seq; checks the entry's digest. */
static void match_digest(struct check *k, struct cursor *cu, int64_t seq,
			 const json_t *want, const char *what, int is_hex_text)
{
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	uint8_t md[32], raw[32];
	char hex[FX_SHA256_HEX];
	uint64_t n = 0;
	const char *wsha = json_string_value(json_object_get(want, "sha256"));
	json_int_t wcount = json_integer_value(json_object_get(want, "count"));

	while (cu->row && cu->entry == seq) {
		if (is_hex_text)
			fx_unhex((const char *)sqlite3_column_text(cu->st, 1), raw, 32);
		else if (sqlite3_column_bytes(cu->st, 1) == 32)
			memcpy(raw, sqlite3_column_blob(cu->st, 1), 32);
		else
			memset(raw, 0, 32);
		fx_hash_update(h, raw, 32);
		n++;
		cursor_next(cu);
	}
	fx_hash_final(h, md);
	fx_hash_free(h);
	fx_hex(md, 32, hex);
	if ((json_int_t)n != wcount)
		problem(k, "custody entry %lld: lists %lld %s, the case has %llu", (long long)seq,
			(long long)wcount, what, (unsigned long long)n);
	else if (n && (!wsha || strcmp(wsha, hex) != 0))
		problem(k, "custody entry %lld: the %s it added were changed", (long long)seq, what);
}

static void withdrawn_digest(struct check *k, int64_t seq, const json_t *want)
{
	struct cursor cu;

	cu.st = fx_case_prepare(k->c, "SELECT withdrawn, id FROM records WHERE withdrawn = ?"
				      " ORDER BY n");
	if (!cu.st)
		return;
	sqlite3_bind_int64(cu.st, 1, seq);
	cursor_next(&cu);
	match_digest(k, &cu, seq, want, "withdrawn records", 0);
	sqlite3_finalize(cu.st);
}

static void custody(struct check *k)
{
	struct cursor recs = { 0 }, objs = { 0 };
	struct fx_merkle_acc acc, head;
	uint8_t hash[32], prev[32];
	fx_mhash leaf, r1, r2;
	struct fx_buf b = FX_BUF_INIT;
	sqlite3_stmt *st;
	char hex[FX_SHA256_HEX];
	int64_t expect = 0, seq;
	const char *p;
	json_t *e;

	st = fx_case_prepare(k->c, "SELECT seq, entry, hash, leaf FROM custody ORDER BY seq");
	recs.st = fx_case_prepare(k->c, "SELECT entry, id FROM records ORDER BY n");
	objs.st = fx_case_prepare(k->c, "SELECT entry, sha256 FROM objects ORDER BY n");
	if (!st || !recs.st || !objs.st) {
		problem(k, "case.db: cannot read the custody log: %s", sqlite3_errmsg(k->c->db));
		goto out;
	}
	cursor_next(&recs);
	cursor_next(&objs);
	fx_merkle_acc_init(&acc);
	while (sqlite3_step(st) == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		if (seq != expect) {
			problem(k, "custody entry %lld is missing", (long long)expect);
			expect = seq;
		}
		expect++;
		k->entries++;
		e = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
		b.len = 0;
		if (!e || fx_json_canon(&b, e, NULL, NULL) < 0) {
			problem(k, "custody entry %lld is not valid JSON", (long long)seq);
			json_decref(e);
			continue;
		}
		/* Hash the stored bytes: a re-encoded entry would hide nothing, but say so. */
		p = (const char *)sqlite3_column_text(st, 1);
		if (strcmp(p, b.data) != 0)
			problem(k, "custody entry %lld is not in canonical form", (long long)seq);
		fx_case_entry_hashes(p, strlen(p), hash, leaf);
		if (sqlite3_column_bytes(st, 2) != 32 || memcmp(hash, sqlite3_column_blob(st, 2), 32))
			problem(k, "custody entry %lld: its content does not match its hash",
				(long long)seq);
		if (sqlite3_column_bytes(st, 3) != 32 || memcmp(leaf, sqlite3_column_blob(st, 3), 32))
			problem(k, "custody entry %lld: its leaf hash is wrong", (long long)seq);
		if (json_integer_value(json_object_get(e, "seq")) != seq)
			problem(k, "custody entry %lld: says it is entry %lld", (long long)seq,
				(long long)json_integer_value(json_object_get(e, "seq")));
		p = json_string_value(json_object_get(e, "prev"));
		if (seq > 0 && (!p || strcmp(p, fx_hex(prev, 32, hex)) != 0))
			problem(k, "custody entry %lld: does not chain to entry %lld"
				" (an entry was changed or removed)", (long long)seq, (long long)seq - 1);
		memcpy(prev, sqlite3_column_blob(st, 2) ? sqlite3_column_blob(st, 2) : hash, 32);
		fx_merkle_acc_append(&acc, leaf);
		while (recs.row && recs.entry < seq) {
			problem(k, "a record names custody entry %lld out of order",
				(long long)recs.entry);
			cursor_next(&recs);
		}
		match_digest(k, &recs, seq, json_object_get(e, "records"), "records", 0);
		while (objs.row && objs.entry < seq) {
			problem(k, "an object names custody entry %lld out of order",
				(long long)objs.entry);
			cursor_next(&objs);
		}
		match_digest(k, &objs, seq, json_object_get(e, "objects"), "objects", 1);
		p = json_string_value(json_object_get(e, "action"));
		if (json_object_get(e, "withdrawn") || (p && strcmp(p, "reset") == 0))
			withdrawn_digest(k, seq, json_object_get(e, "withdrawn"));
		json_decref(e);
	}
	if (recs.row)
		problem(k, "records name custody entry %lld, which is not in the log",
			(long long)recs.entry);
	if (objs.row)
		problem(k, "objects name custody entry %lld, which is not in the log",
			(long long)objs.entry);
	if (fx_case_acc_load(k->c, &head) < 0) {
		problem(k, "the custody tree head is damaged");
	} else {
		fx_merkle_acc_root(&acc, r1);
		fx_merkle_acc_root(&head, r2);
		if (head.size != acc.size || memcmp(r1, r2, 32) != 0)
			problem(k, "the custody tree head (%llu entries) does not match the log"
				" (%llu entries)", (unsigned long long)head.size,
				(unsigned long long)acc.size);
	}
out:
	fx_buf_release(&b);
	sqlite3_finalize(st);
	sqlite3_finalize(recs.st);
	sqlite3_finalize(objs.st);
}

/*
 * Whether the index key column is right: the id's first 64 bits, or NULL
 * for a record whose key another record (with another id) holds.
 */
static int key_ok(struct check *k, sqlite3_stmt *st, sqlite3_stmt *holder)
{
	const void *id = sqlite3_column_blob(st, 1);
	int64_t want = fx_case_idk(id);
	int ok;

	if (sqlite3_column_type(st, 6) != SQLITE_NULL)
		return sqlite3_column_int64(st, 6) == want;
	sqlite3_bind_int64(holder, 1, want);
	ok = sqlite3_step(holder) == SQLITE_ROW &&
	     !(sqlite3_column_bytes(holder, 0) == 32 &&
	       memcmp(sqlite3_column_blob(holder, 0), id, 32) == 0);
	sqlite3_reset(holder);
	(void)k;
	return ok;
}

/* Whether the ms column is the record's time (NULL when it has none). */
static int time_ok(sqlite3_stmt *st, int col, const json_t *rec)
{
	const char *t = json_string_value(json_object_get(rec, FX_KEY_TIME));
	int64_t ms;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_object_get(rec, FX_KEY_TIME) == NULL;
	return t && fx_time_parse(t, &ms) == 0 &&
	       sqlite3_column_type(st, col) == SQLITE_INTEGER && sqlite3_column_int64(st, col) == ms;
}

static void records(struct check *k)
{
	sqlite3_stmt *st, *holder;
	char hex[FX_SHA256_HEX], stored[FX_SHA256_HEX];
	const char *v;
	json_t *rec;
	int64_t n;

	st = fx_case_prepare(k->c, "SELECT n, id, type, device, ms, line, idk FROM records"
				   " ORDER BY n");
	holder = fx_case_prepare(k->c, "SELECT id FROM records WHERE idk = ?");
	if (!st || !holder) {
		sqlite3_finalize(st);
		sqlite3_finalize(holder);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		k->records++;
		n = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == 32) {
			fx_hex(sqlite3_column_blob(st, 1), 32, stored);
			if (!key_ok(k, st, holder))
				problem(k, "record %s (row %lld): its index key was changed", stored,
					(long long)n);
		} else
			snprintf(stored, sizeof(stored), "(no id)");
		rec = json_loads((const char *)sqlite3_column_text(st, 5), JSON_ALLOW_NUL, NULL);
		if (!rec) {
			problem(k, "record %s (row %lld) is not valid JSON", stored, (long long)n);
			continue;
		}
		if (fx_record_id(rec, hex) < 0 || strcmp(hex, stored) != 0) {
			problem(k, "record %s (row %lld) was changed: its content hashes to %s",
				stored, (long long)n, hex);
		} else if (!(v = json_string_value(json_object_get(rec, FX_KEY_ID))) ||
			   strcmp(v, stored) != 0) {
			problem(k, "record %s (row %lld) carries another id", stored, (long long)n);
		} else {
#define SAME(col, key) \
	((sqlite3_column_type(st, col) == SQLITE_NULL) \
	 ? json_object_get(rec, key) == NULL \
	 : (v = json_string_value(json_object_get(rec, key))) && \
	   strcmp(v, (const char *)sqlite3_column_text(st, col)) == 0)
			if (!SAME(2, FX_KEY_TYPE) || !SAME(3, FX_KEY_DEVICE) || !time_ok(st, 4, rec))
				problem(k, "record %s (row %lld): its index columns were changed",
					stored, (long long)n);
#undef SAME
		}
		json_decref(rec);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(holder);
}

static int rehash(const char *hex, uint64_t size, void *ctx)
{
	struct check *k = ctx;
	char *path = fx_store_path(fx_case_store(k->c), hex), got[FX_SHA256_HEX];
	uint64_t n;

	k->objects++;
	/*
	 * An object no entry names is not evidence of the case: a change that
	 * stored it was interrupted (kill -9) before it committed. Say so.
	 */
	if (k->listed) {
		sqlite3_bind_text(k->listed, 1, hex, -1, SQLITE_STATIC);
		if (sqlite3_step(k->listed) == SQLITE_DONE) {
			k->unreferenced++;
			if (!k->quiet)
				fx_warn("%s: object %s is not named by any custody entry"
					" (left by an interrupted change?)", k->c->dir, hex);
		}
		sqlite3_reset(k->listed);
	}
	if (fx_sha256_file(path, got, &n) < 0)
		problem(k, "object %s cannot be read", hex);
	else if (strcmp(got, hex) != 0)
		problem(k, "object %s was changed: its bytes hash to %s", hex, got);
	k->bytes += n;
	free(path);
	return 0;
}

static void objects(struct check *k)
{
	sqlite3_stmt *st;
	const char *hex;

	k->listed = fx_case_prepare(k->c, "SELECT 1 FROM objects WHERE sha256 = ?");
	fx_store_foreach(fx_case_store(k->c), rehash, k);
	sqlite3_finalize(k->listed);
	k->listed = NULL;
	st = fx_case_prepare(k->c, "SELECT sha256 FROM objects ORDER BY n");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		hex = (const char *)sqlite3_column_text(st, 0);
		if (!fx_store_has(fx_case_store(k->c), hex))
			problem(k, "object %s is missing", hex);
	}
	sqlite3_finalize(st);
}

int fx_case_verify(struct fx_case *c, int quiet, json_t **result)
{
	struct check k = { 0 };
	fx_mhash root;
	uint64_t size;
	char hex[FX_SHA256_HEX];
	json_t *r;

	k.c = c;
	k.quiet = quiet;
	k.problems = json_array();
	db_integrity(&k);
	custody(&k);
	/* The signed checkpoints: a rewritten log fails them even if it re-chains. */
	k.checkpoints = fx_sign_case_checkpoints(c, checkpoint_problem, &k);
	records(&k);
	objects(&k);
	r = json_pack("{s:b,s:I,s:I,s:I,s:I,s:I}", "ok", json_array_size(k.problems) == 0,
		      "entries", (json_int_t)k.entries, "records", (json_int_t)k.records,
		      "objects", (json_int_t)k.objects, "bytes", (json_int_t)k.bytes,
		      "unreferenced", (json_int_t)k.unreferenced);
	if (k.checkpoints > 0)
		json_object_set_new(r, "checkpoints", json_integer(k.checkpoints));
	if (fx_case_head(c, &size, root) == 0)
		json_object_set_new(r, "root", json_string(fx_hex(root, 32, hex)));
	json_object_set_new(r, "problems", k.problems);
	*result = r;
	return json_array_size(k.problems) ? 1 : 0;
}
