#include <stdlib.h>
#include <string.h>

#include "case_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

int fx_case_list(struct fx_case *c, const struct fx_case_query *q,
		 int (*fn)(const char *line, void *ctx), void *ctx)
{
	struct fx_buf sql = FX_BUF_INIT;
	sqlite3_stmt *st;
	const char *w = " WHERE ";
	char *match = NULL;
	int64_t since = 0, until = 0;
	int rc, ret = 0;

	if (q->since && fx_time_parse(q->since, &since) < 0)
		return fx_error("'%s' is not an RFC 3339 time", q->since);
	if (q->until && fx_time_parse(q->until, &until) < 0)
		return fx_error("'%s' is not an RFC 3339 time", q->until);

#define ADD(s) fx_buf_add(&sql, s, strlen(s))
#define COND(s) do { ADD(w); ADD(s); w = " AND "; } while (0)
	ADD("SELECT r.line FROM records r");
	if (q->text)
		COND("r.n IN (SELECT rowid FROM records_text WHERE records_text MATCH ?5)");
	if (q->type)
		COND("r.type = ?1");
	if (q->device)
		COND("r.device = ?2");
	if (q->since)
		COND("r.ms >= ?3");
	if (q->until)
		COND("r.ms < ?4");
	if (q->withdrawn == 0)
		COND("r.withdrawn IS NULL");
	else if (q->withdrawn == 1)
		COND("r.withdrawn IS NOT NULL");
	ADD(q->by_time ? " ORDER BY r.ms, r.n" : " ORDER BY r.n");
	if (q->limit)
		ADD(" LIMIT ?6");
#undef COND
#undef ADD
	st = fx_case_prepare(c, sql.data);
	fx_buf_release(&sql);
	if (!st)
		return -1;
	if (q->type)
		sqlite3_bind_text(st, 1, q->type, -1, SQLITE_STATIC);
	if (q->device)
		sqlite3_bind_text(st, 2, q->device, -1, SQLITE_STATIC);
	if (q->since)
		sqlite3_bind_int64(st, 3, since);
	if (q->until)
		sqlite3_bind_int64(st, 4, until);
	if (q->text) {
		match = fx_case_fts_query(q->text);
		sqlite3_bind_text(st, 5, match, -1, SQLITE_STATIC);
	}
	if (q->limit)
		sqlite3_bind_int64(st, 6, (sqlite3_int64)q->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ret = fn((const char *)sqlite3_column_text(st, 0), ctx);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fx_case_db_error(c, q->text ? "cannot search (is the query valid FTS5?)"
						  : "cannot list records");
	sqlite3_finalize(st);
	free(match);
	return ret;
}

json_t *fx_case_get(struct fx_case *c, const char *prefix)
{
	uint8_t lo[32] = { 0 }, hi[32];
	size_t n = strlen(prefix), i;
	sqlite3_stmt *st;
	json_t *rec = NULL;
	char half[3];
	int rows = 0;

	for (i = 0; i < n; i++)
		if (!((prefix[i] >= '0' && prefix[i] <= '9') || (prefix[i] >= 'a' && prefix[i] <= 'f')))
			break;
	if (n < 8 || n > 64 || i < n || n % 2) {
		fx_error("'%s' is not a record id (8 to 64 hex digits, an even count)", prefix);
		return NULL;
	}
	/* A prefix is the range [prefix00…, prefixff…] of the id index. */
	for (i = 0; i < n / 2; i++) {
		half[0] = prefix[2 * i];
		half[1] = prefix[2 * i + 1];
		half[2] = '\0';
		fx_unhex(half, &lo[i], 1);
	}
	memcpy(hi, lo, 32);
	memset(hi + n / 2, 0xff, 32 - n / 2);
	/* Records stored without a key (see open.c) are found by their whole id. */
	st = fx_case_prepare(c, "SELECT line FROM records WHERE idk BETWEEN ?1 AND ?2"
				" AND id BETWEEN ?3 AND ?4 UNION ALL SELECT line FROM records"
				" WHERE idk IS NULL AND id BETWEEN ?3 AND ?4 LIMIT 2");
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, fx_case_idk(lo));
	sqlite3_bind_int64(st, 2, fx_case_idk(hi));
	sqlite3_bind_blob(st, 3, lo, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, hi, 32, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (rows++ == 0)
			rec = json_loads((const char *)sqlite3_column_text(st, 0), JSON_ALLOW_NUL, NULL);
	}
	sqlite3_finalize(st);
	if (rows == 0)
		fx_error("no record '%s' in case '%s'", prefix, c->id);
	else if (rows > 1)
		fx_error("'%s' names more than one record; give more digits", prefix);
	if (rows != 1) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

int fx_case_head(struct fx_case *c, uint64_t *size, fx_mhash root)
{
	struct fx_merkle_acc acc;

	if (fx_case_acc_load(c, &acc) < 0)
		return -1;
	*size = acc.size;
	fx_merkle_acc_root(&acc, root);
	return 0;
}

static sqlite3_int64 count_of(struct fx_case *c, const char *sql)
{
	sqlite3_stmt *st = fx_case_prepare(c, sql);
	sqlite3_int64 n = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

json_t *fx_case_info(struct fx_case *c)
{
	json_t *info, *types, *devices;
	sqlite3_stmt *st;
	fx_mhash root;
	uint64_t size;
	char hex[FX_SHA256_HEX];

	info = json_object();
	json_object_set_new(info, "case", json_string(c->id));
	json_object_set(info, "data", json_object_get(c->record, FX_KEY_DATA));
	json_object_set_new(info, "dir", json_string(c->dir));
	types = json_object();
	st = fx_case_prepare(c, "SELECT type, count(*), sum(withdrawn IS NOT NULL) FROM records"
				" GROUP BY type ORDER BY type");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		json_t *t = json_pack("{s:I,s:I}", "records",
				      (json_int_t)sqlite3_column_int64(st, 1), "withdrawn",
				      (json_int_t)sqlite3_column_int64(st, 2));

		json_object_set_new(types, (const char *)sqlite3_column_text(st, 0), t);
	}
	sqlite3_finalize(st);
	json_object_set_new(info, "types", types);
	devices = json_array();
	st = fx_case_prepare(c, "SELECT key, data FROM devices ORDER BY key");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		json_t *d = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);

		json_array_append_new(devices, d ? d : json_string((const char *)
								   sqlite3_column_text(st, 0)));
	}
	sqlite3_finalize(st);
	json_object_set_new(info, "devices", devices);
	json_object_set_new(info, "records",
			    json_integer(count_of(c, "SELECT count(*) FROM records")));
	json_object_set_new(info, "objects",
			    json_integer(count_of(c, "SELECT count(*) FROM objects")));
	json_object_set_new(info, "object_bytes",
			    json_integer(count_of(c, "SELECT coalesce(sum(size), 0) FROM objects")));
	if (fx_case_head(c, &size, root) == 0) {
		json_object_set_new(info, "custody", json_pack("{s:I,s:s}", "size",
				    (json_int_t)size, "root", fx_hex(root, 32, hex)));
	}
	return info;
}

int fx_case_log(struct fx_case *c, uint64_t from,
		int (*fn)(const json_t *entry, void *ctx), void *ctx)
{
	sqlite3_stmt *st;
	char hex[FX_SHA256_HEX];
	json_t *e;
	int rc, ret = 0;

	st = fx_case_prepare(c, "SELECT seq, entry, hash, leaf FROM custody WHERE seq >= ?"
				" ORDER BY seq");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
		if (!e) {
			ret = fx_error("%s: custody entry %lld is damaged", c->db_path,
				       (long long)sqlite3_column_int64(st, 0));
			break;
		}
		json_object_set_new(e, "hash",
				    json_string(fx_hex(sqlite3_column_blob(st, 2), 32, hex)));
		json_object_set_new(e, "leaf",
				    json_string(fx_hex(sqlite3_column_blob(st, 3), 32, hex)));
		ret = fn(e, ctx);
		json_decref(e);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fx_case_db_error(c, "cannot read the custody log");
	sqlite3_finalize(st);
	return ret;
}

fx_mhash *fx_case_leaves(struct fx_case *c, uint64_t *n)
{
	sqlite3_stmt *st;
	fx_mhash *leaves = NULL;
	uint64_t cap = 0, k = 0, want = *n;

	st = fx_case_prepare(c, "SELECT leaf FROM custody ORDER BY seq");
	if (!st)
		return NULL;
	while ((!want || k < want) && sqlite3_step(st) == SQLITE_ROW) {
		if (k == cap) {
			cap = cap ? cap * 2 : 1024;
			leaves = fx_xrealloc(leaves, cap * sizeof(*leaves));
		}
		if (sqlite3_column_bytes(st, 0) == 32)
			memcpy(leaves[k], sqlite3_column_blob(st, 0), 32);
		else
			memset(leaves[k], 0, 32);
		k++;
	}
	sqlite3_finalize(st);
	*n = k;
	if (!leaves)
		leaves = fx_xmalloc(sizeof(*leaves));
	return leaves;
}

int fx_case_leaf_range(struct fx_case *c, uint64_t from, uint64_t n, fx_mhash *out)
{
	sqlite3_stmt *st;
	uint64_t k = 0;
	int rc;

	st = fx_case_prepare(c, "SELECT seq, leaf FROM custody WHERE seq >= ? ORDER BY seq"
				" LIMIT ?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)n);
	while (k < n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* A gap in the log would shift every leaf after it: refuse. */
		if ((uint64_t)sqlite3_column_int64(st, 0) != from + k ||
		    sqlite3_column_bytes(st, 1) != 32)
			break;
		memcpy(out[k++], sqlite3_column_blob(st, 1), 32);
	}
	sqlite3_finalize(st);
	if (k != n)
		return fx_error("%s: custody entries %llu to %llu cannot be read", c->db_path,
				(unsigned long long)from, (unsigned long long)(from + n - 1));
	return 0;
}

int fx_case_each_record(struct fx_case *c,
			int (*fn)(const char *line, int64_t entry, int64_t withdrawn, void *ctx),
			void *ctx)
{
	sqlite3_stmt *st = fx_case_prepare(c, "SELECT line, entry, withdrawn FROM records ORDER BY n");
	int rc, ret = 0;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ret = fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
			 sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 2),
			 ctx);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fx_case_db_error(c, "cannot list records");
	sqlite3_finalize(st);
	return ret;
}

int fx_case_each_object(struct fx_case *c,
			int (*fn)(const char *hex, uint64_t size, int64_t entry, void *ctx),
			void *ctx)
{
	sqlite3_stmt *st = fx_case_prepare(c, "SELECT sha256, size, entry FROM objects ORDER BY n");
	int rc, ret = 0;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ret = fn((const char *)sqlite3_column_text(st, 0),
			 (uint64_t)sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), ctx);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fx_case_db_error(c, "cannot list objects");
	sqlite3_finalize(st);
	return ret;
}
