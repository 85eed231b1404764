/*
 * import.c - another lab's case continued here: its custody entries,
 * objects and records appended exactly as they were logged, so that the
 * chain, the Merkle head and every per-entry digest carry on unchanged and
 * fx_case_verify() accepts the result; the import is then a change of its
 * own on top.
 */
#include <stdlib.h>
#include <string.h>

#include "case_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_banned.h"

struct fx_case *fx_case_import_begin(const char *dir, const char *case_id,
				     const struct fx_actor *who)
{
	struct fx_case *c = fx_case_create_empty(dir, case_id, who);

	if (!c)
		return NULL;
	if (fx_case_exec(c, "BEGIN IMMEDIATE") < 0 || fx_case_meta_set(c, "case", case_id) < 0) {
		fx_case_free(c);
		return NULL;
	}
	c->seq = 0;
	c->prev[0] = '\0';
	return c;
}

int fx_case_import_entry(struct fx_case *c, const json_t *entry)
{
	struct fx_buf b = FX_BUF_INIT;
	struct fx_merkle_acc acc;
	json_t *e = json_deep_copy(entry);
	const char *want_hash = json_string_value(json_object_get(entry, "hash"));
	const char *want_leaf = json_string_value(json_object_get(entry, "leaf"));
	const char *prev = json_string_value(json_object_get(entry, "prev"));
	char hex[FX_SHA256_HEX], lhex[FX_SHA256_HEX];
	uint8_t hash[32];
	fx_mhash leaf;
	sqlite3_stmt *st;
	int rc, ret = -1;

	json_object_del(e, "hash");
	json_object_del(e, "leaf");
	if (json_integer_value(json_object_get(e, "seq")) != c->seq ||
	    !json_is_integer(json_object_get(e, "seq"))) {
		fx_error("custody entry %lld: expected entry %lld",
			 (long long)json_integer_value(json_object_get(e, "seq")), (long long)c->seq);
		goto out;
	}
	if (fx_json_canon(&b, e, NULL, NULL) < 0) {
		fx_error("custody entry %lld cannot be encoded", (long long)c->seq);
		goto out;
	}
	fx_case_entry_hashes(b.data, b.len, hash, leaf);
	fx_hex(hash, 32, hex);
	fx_hex(leaf, 32, lhex);
	if (!want_hash || !want_leaf || strcmp(want_hash, hex) || strcmp(want_leaf, lhex)) {
		fx_error("custody entry %lld: its hash does not match its content", (long long)c->seq);
		goto out;
	}
	if (c->seq > 0 && (!prev || strcmp(prev, c->prev) != 0)) {
		fx_error("custody entry %lld does not chain to entry %lld", (long long)c->seq,
			 (long long)c->seq - 1);
		goto out;
	}
	st = fx_case_prepare(c, "INSERT INTO custody(seq, entry, hash, leaf) VALUES(?, ?, ?, ?)");
	if (!st)
		goto out;
	sqlite3_bind_int64(st, 1, c->seq);
	sqlite3_bind_text(st, 2, b.data, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, leaf, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fx_case_db_error(c, "cannot append to the custody log");
		goto out;
	}
	if (fx_case_acc_load(c, &acc) < 0)
		goto out;
	fx_merkle_acc_append(&acc, leaf);
	if (fx_case_acc_store(c, &acc) < 0)
		goto out;
	memcpy(c->prev, hex, FX_SHA256_HEX);
	c->seq++;
	ret = 0;
out:
	fx_buf_release(&b);
	json_decref(e);
	return ret;
}

int fx_case_import_object(struct fx_case *c, const char *hex, uint64_t size, int64_t entry)
{
	sqlite3_stmt *st;
	int rc;

	if (!fx_store_has(c->store, hex))
		return fx_error("object %s is not in the package", hex);
	st = fx_case_prepare(c, "INSERT INTO objects(sha256, size, entry) VALUES(?, ?, ?)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)size);
	sqlite3_bind_int64(st, 3, entry);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fx_case_db_error(c, "cannot list object");
}

int fx_case_import_record(struct fx_case *c, const char *line, size_t len, int64_t entry,
			  int64_t withdrawn, const char *where)
{
	struct fx_case_prep p = FX_CASE_PREP_INIT;
	json_t *rec = json_loadb(line, len, JSON_ALLOW_NUL, NULL);
	sqlite3_stmt *st = NULL;
	int64_t idk;
	int rc, ret = -1, nokey;

	if (!rec)
		return fx_error("%s: not a JSON record", where);
	/* The case record comes first: later records are checked against its id. */
	if (!c->record && json_is_string(json_object_get(rec, FX_KEY_TYPE)) &&
	    strcmp(json_string_value(json_object_get(rec, FX_KEY_TYPE)), "case") == 0)
		c->record = json_incref(rec);
	if (fx_case_prepare_record(c, rec, where, &p) < 0)
		goto out;
	if (!json_object_get(rec, FX_KEY_ID)) {
		fx_error("%s: the record has no id", where);
		goto out;
	}
	idk = fx_case_idk(p.id);
	for (nokey = 0; nokey < 2; nokey++) {
		st = fx_case_prepare(c, nokey ? "INSERT INTO records(id, idk, type, device, ms, entry,"
						" withdrawn, line) VALUES(?, NULL, ?, ?, ?, ?, ?, ?)"
					      : "INSERT OR IGNORE INTO records(id, idk, type, device,"
						" ms, entry, withdrawn, line) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
		if (!st)
			goto out;
		sqlite3_bind_blob(st, 1, p.id, 32, SQLITE_STATIC);
		if (!nokey)
			sqlite3_bind_int64(st, 2, idk);
		sqlite3_bind_text(st, 3 - nokey, p.type, -1, SQLITE_STATIC);
		p.device ? sqlite3_bind_text(st, 4 - nokey, p.device, -1, SQLITE_STATIC)
			 : sqlite3_bind_null(st, 4 - nokey);
		p.timed ? sqlite3_bind_int64(st, 5 - nokey, p.ms) : sqlite3_bind_null(st, 5 - nokey);
		sqlite3_bind_int64(st, 6 - nokey, entry);
		withdrawn >= 0 ? sqlite3_bind_int64(st, 7 - nokey, withdrawn)
			       : sqlite3_bind_null(st, 7 - nokey);
		sqlite3_bind_text(st, 8 - nokey, p.line, (int)p.len, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			fx_case_db_error(c, "cannot store record");
			goto out;
		}
		/* A key another record holds: stored without one, as fx-case add does. */
		if (sqlite3_changes(c->db) > 0)
			break;
	}
	st = fx_case_prepare(c, "INSERT INTO records_text(rowid, text) VALUES(?, ?)");
	if (!st)
		goto out;
	sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(c->db));
	sqlite3_bind_text(st, 2, p.text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fx_case_db_error(c, "cannot index record");
		goto out;
	}
	if (strcmp(p.type, "device") == 0) {
		const json_t *data = json_object_get(rec, FX_KEY_DATA);
		int64_t seq = c->seq;

		c->seq = entry;
		rc = json_is_string(json_object_get(data, "key"))
			     ? fx_case_device_merge(c, json_string_value(json_object_get(data, "key")),
						    data)
			     : 0;
		c->seq = seq;
		if (rc < 0)
			goto out;
	}
	ret = 0;
out:
	fx_case_prep_release(&p);
	json_decref(rec);
	return ret;
}

int fx_case_import_end(struct fx_case *c)
{
	if (!c->record) {
		fx_case_exec(c, "ROLLBACK");
		return fx_error("the package has no case record");
	}
	if (fx_store_sync(c->store) < 0 || fx_case_exec(c, "COMMIT") < 0) {
		fx_case_exec(c, "ROLLBACK");
		return -1;
	}
	json_decref(c->record);
	c->record = NULL;
	return fx_case_load_record(c);
}
