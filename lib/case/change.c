#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

static void digest_start(struct digest *d)
{
	fx_hash_free(d->hash);
	d->hash = fx_hash_new(FX_HASH_SHA256);
	d->count = 0;
}

static void digest_add(struct digest *d, const void *p, size_t n)
{
	fx_hash_update(d->hash, p, n);
	d->count++;
}

/* {"count":N,"sha256":…} of what was added, or NULL when nothing was. New reference. */
static json_t *digest_json(struct digest *d)
{
	uint8_t md[32];
	char hex[FX_SHA256_HEX];

	fx_hash_final(d->hash, md);
	if (!d->count)
		return NULL;
	return json_pack("{s:I,s:s}", "count", (json_int_t)d->count, "sha256",
			 fx_hex(md, sizeof(md), hex));
}

static void change_reset(struct fx_case *c)
{
	free(c->action);
	c->action = NULL;
	json_decref(c->inputs);
	json_decref(c->outputs);
	c->inputs = c->outputs = NULL;
	c->in_change = 0;
	c->last_object[0] = '\0';
}

int fx_case_begin(struct fx_case *c, const char *action)
{
	sqlite3_stmt *st;
	int rc;

	if (!c->writable)
		return fx_error("case '%s' is open read-only", c->dir);
	if (c->in_change)
		return fx_error("internal: a change to '%s' is already open", c->dir);
	if (fx_case_exec(c, "BEGIN IMMEDIATE") < 0)
		return -1;
	/* The write lock is ours now: the tail of the log cannot move. */
	st = fx_case_prepare(c, "SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1");
	if (!st)
		goto fail;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->seq = sqlite3_column_int64(st, 0) + 1;
		fx_hex(sqlite3_column_blob(st, 1), 32, c->prev);
	} else if (rc == SQLITE_DONE) {
		c->seq = 0;
		c->prev[0] = '\0';
	} else {
		fx_case_db_error(c, "cannot read the custody log");
		sqlite3_finalize(st);
		goto fail;
	}
	sqlite3_finalize(st);
	c->in_change = 1;
	c->action = fx_xstrdup(action);
	c->inputs = json_array();
	c->outputs = json_array();
	digest_start(&c->records);
	digest_start(&c->objects);
	digest_start(&c->withdrawn);
	c->added = c->duplicates = 0;
	return 0;
fail:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

void fx_case_rollback(struct fx_case *c)
{
	if (!c->in_change)
		return;
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	change_reset(c);
}

void fx_case_note_input(struct fx_case *c, const json_t *what)
{
	if (c->in_change)
		json_array_append(c->inputs, (json_t *)what);
}

void fx_case_note_output(struct fx_case *c, const json_t *what)
{
	if (c->in_change)
		json_array_append(c->outputs, (json_t *)what);
}

static int object_known(struct fx_case *c, const char *hex)
{
	if (strcmp(c->last_object, hex) == 0)
		return 1;
	if (!fx_store_has(c->store, hex))
		return 0;
	memcpy(c->last_object, hex, FX_SHA256_HEX);
	return 1;
}

void fx_case_note_object(struct fx_case *c, const char *hex)
{
	sqlite3_stmt *st;
	char *path;
	struct stat sb;
	uint8_t raw[32];
	sqlite3_int64 size = 0;

	if (!c->in_change || !fx_is_sha256_hex(hex))
		return;
	if (!c->ins_object)
		c->ins_object = fx_case_prepare(c, "INSERT OR IGNORE INTO objects(sha256, size,"
						   " entry) VALUES(?, ?, ?)");
	st = c->ins_object;
	if (!st)
		return;
	path = fx_store_path(c->store, hex);
	if (stat(path, &sb) == 0)
		size = (sqlite3_int64)sb.st_size;
	free(path);
	sqlite3_bind_text(st, 1, hex, 64, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, size);
	sqlite3_bind_int64(st, 3, c->seq);
	if (sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(c->db) > 0) {
		fx_unhex(hex, raw, 32);
		digest_add(&c->objects, raw, 32);
	}
	sqlite3_reset(st);
}

static int prepare_inserts(struct fx_case *c)
{
	if (!c->ins_record)
		c->ins_record = fx_case_prepare(c, "INSERT INTO records(id, type, device, time,"
						   " entry, line, idk) VALUES(?, ?, ?, ?, ?, ?, ?)");
	if (!c->find_id)
		c->find_id = fx_case_prepare(c, "SELECT 1 FROM records WHERE idk = ? AND id = ?");
	if (!c->ins_text)
		c->ins_text = fx_case_prepare(c, "INSERT INTO records_text(rowid, text) VALUES(?, ?)");
	return c->ins_record && c->ins_text && c->find_id ? 0 : -1;
}

static const char *str_or_null(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

int fx_case_add_record(struct fx_case *c, json_t *rec, const char *where, int *added)
{
	const char *rcase, *sha, *type, *dev, *t;
	char hex[FX_SHA256_HEX], *line, *text;
	const json_t *id;
	uint8_t raw[32];
	size_t len;
	int rc;

	if (added)
		*added = 0;
	if (!c->in_change)
		return fx_error("internal: no change open on '%s'", c->dir);
	rcase = str_or_null(rec, FX_KEY_CASE);
	if (rcase && strcmp(rcase, c->id) != 0)
		return fx_error("%s: record belongs to case '%s', not '%s'", where, rcase, c->id);
	sha = str_or_null(json_object_get(rec, FX_KEY_SRC), FX_SRC_SHA256);
	if (sha && !object_known(c, sha))
		return fx_error("%s: the source object %s is not in the case"
				" (acquire the evidence into the case first)", where, sha);
	sha = str_or_null(json_object_get(rec, FX_KEY_DATA), "sha256");
	if (sha && fx_is_sha256_hex(sha) && !object_known(c, sha))
		return fx_error("%s: the object %s is not in the case", where, sha);

	id = json_object_get(rec, FX_KEY_ID);
	if (id)
		json_incref((json_t *)id);
	line = fx_record_line(rec, &len, hex);
	if (!line) {
		json_decref((json_t *)id);
		return -1;
	}
	if (id && strcmp(json_string_value(id), hex) != 0) {
		json_decref((json_t *)id);
		free(line);
		return fx_error("%s: id does not match the record's content"
				" (changed after it was made?)", where);
	}
	json_decref((json_t *)id);
	if (prepare_inserts(c) < 0) {
		free(line);
		return -1;
	}
	type = str_or_null(rec, FX_KEY_TYPE);
	dev = str_or_null(rec, FX_KEY_DEVICE);
	t = str_or_null(rec, FX_KEY_TIME);
	fx_unhex(hex, raw, 32);
	sqlite3_bind_int64(c->find_id, 1, fx_case_idk(raw));
	sqlite3_bind_blob(c->find_id, 2, raw, 32, SQLITE_STATIC);
	rc = sqlite3_step(c->find_id);
	sqlite3_reset(c->find_id);
	if (rc == SQLITE_ROW) {
		c->duplicates++;
		free(line);
		return 0;
	}
	if (rc != SQLITE_DONE) {
		free(line);
		return fx_case_db_error(c, "cannot look up record");
	}
	sqlite3_bind_blob(c->ins_record, 1, raw, 32, SQLITE_STATIC);
	sqlite3_bind_text(c->ins_record, 2, type, -1, SQLITE_STATIC);
	dev ? sqlite3_bind_text(c->ins_record, 3, dev, -1, SQLITE_STATIC)
	    : sqlite3_bind_null(c->ins_record, 3);
	t ? sqlite3_bind_text(c->ins_record, 4, t, -1, SQLITE_STATIC)
	  : sqlite3_bind_null(c->ins_record, 4);
	sqlite3_bind_int64(c->ins_record, 5, c->seq);
	sqlite3_bind_text(c->ins_record, 6, line, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(c->ins_record, 7, fx_case_idk(raw));
	rc = sqlite3_step(c->ins_record);
	sqlite3_reset(c->ins_record);
	if (rc != SQLITE_DONE) {
		free(line);
		return fx_case_db_error(c, "cannot store record");
	}
	{
		char *plain = fx_json_text_of(json_object_get(rec, FX_KEY_DATA));

		text = fx_case_fts_text(plain);
		free(plain);
	}
	sqlite3_bind_int64(c->ins_text, 1, sqlite3_last_insert_rowid(c->db));
	sqlite3_bind_text(c->ins_text, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(c->ins_text);
	sqlite3_reset(c->ins_text);
	free(text);
	free(line);
	if (rc != SQLITE_DONE)
		return fx_case_db_error(c, "cannot index record");
	digest_add(&c->records, raw, 32);
	c->added++;
	if (added)
		*added = 1;
	if (strcmp(type, "device") == 0) {
		const char *key = str_or_null(json_object_get(rec, FX_KEY_DATA), "key");

		if (key && fx_case_device_merge(c, key, json_object_get(rec, FX_KEY_DATA)) < 0)
			return -1;
	}
	return 0;
}

int fx_case_device_merge(struct fx_case *c, const char *key, const json_t *data)
{
	sqlite3_stmt *st;
	json_t *merged = NULL;
	char *text;
	int rc;

	st = fx_case_prepare(c, "SELECT data FROM devices WHERE key = ?");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		merged = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_finalize(st);
	if (!merged)
		merged = json_object();
	json_object_update(merged, (json_t *)data);
	text = fx_json_dump(merged);
	json_decref(merged);
	st = fx_case_prepare(c, "INSERT OR REPLACE INTO devices(key, data, entry) VALUES(?, ?, ?)");
	if (!st) {
		free(text);
		return -1;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	free(text);
	return rc == SQLITE_DONE ? 0 : fx_case_db_error(c, "cannot store device");
}

int fx_case_withdraw(struct fx_case *c, const char *type, const char *device, uint64_t *n)
{
	sqlite3_stmt *sel, *upd;
	int rc;

	*n = 0;
	if (!c->in_change)
		return fx_error("internal: no change open on '%s'", c->dir);
	sel = fx_case_prepare(c, "SELECT n, id FROM records WHERE type = ?1 AND withdrawn IS NULL"
				 " AND (?2 IS NULL OR device = ?2) ORDER BY n");
	upd = fx_case_prepare(c, "UPDATE records SET withdrawn = ? WHERE n = ?");
	if (!sel || !upd) {
		sqlite3_finalize(sel);
		sqlite3_finalize(upd);
		return -1;
	}
	sqlite3_bind_text(sel, 1, type, -1, SQLITE_STATIC);
	device ? sqlite3_bind_text(sel, 2, device, -1, SQLITE_STATIC) : sqlite3_bind_null(sel, 2);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		digest_add(&c->withdrawn, sqlite3_column_blob(sel, 1), 32);
		sqlite3_bind_int64(upd, 1, c->seq);
		sqlite3_bind_int64(upd, 2, sqlite3_column_int64(sel, 0));
		if (sqlite3_step(upd) != SQLITE_DONE) {
			rc = SQLITE_ERROR;
			break;
		}
		sqlite3_reset(upd);
		(*n)++;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc == SQLITE_DONE ? 0 : fx_case_db_error(c, "cannot withdraw records");
}

/* The custody entry of the open change, without its hashes. New reference. */
static json_t *build_entry(struct fx_case *c, const json_t *detail)
{
	char t[FX_TIME_LEN], *who = fx_examiner();
	json_t *e, *argv = json_array(), *d;
	int i;

	for (i = 0; i < c->who.argc; i++)
		json_array_append_new(argv, fx_json_text(c->who.argv[i], strlen(c->who.argv[i])));
	fx_time_now(t);
	e = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o}", "seq", (json_int_t)c->seq,
		      "action", c->action, "who", who, "at", t, "tool", c->who.tool,
		      "version", FX_VERSION, "argv", argv);
	free(who);
	if (json_array_size(c->inputs))
		json_object_set(e, "inputs", c->inputs);
	if (json_array_size(c->outputs))
		json_object_set(e, "outputs", c->outputs);
	if ((d = digest_json(&c->records)))
		json_object_set_new(e, "records", d);
	if ((d = digest_json(&c->objects)))
		json_object_set_new(e, "objects", d);
	if ((d = digest_json(&c->withdrawn)))
		json_object_set_new(e, "withdrawn", d);
	if (detail && json_object_size(detail))
		json_object_set(e, "detail", (json_t *)detail);
	if (c->prev[0])
		json_object_set_new(e, "prev", json_string(c->prev));
	return e;
}

int fx_case_commit(struct fx_case *c, const json_t *detail, json_t **entry)
{
	struct fx_buf b = FX_BUF_INIT;
	struct fx_merkle_acc acc;
	uint8_t hash[32];
	fx_mhash leaf;
	char hex[FX_SHA256_HEX];
	sqlite3_stmt *st;
	json_t *e;
	int rc;

	if (!c->in_change)
		return fx_error("internal: no change open on '%s'", c->dir);
	e = build_entry(c, detail);
	if (fx_json_canon(&b, e, NULL, NULL) < 0)
		goto fail;
	fx_case_entry_hashes(b.data, b.len, hash, leaf);
	st = fx_case_prepare(c, "INSERT INTO custody(seq, entry, hash, leaf) VALUES(?, ?, ?, ?)");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, c->seq);
	sqlite3_bind_text(st, 2, b.data, (int)b.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, leaf, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fx_case_db_error(c, "cannot append to the custody log");
		goto fail;
	}
	if (fx_case_acc_load(c, &acc) < 0)
		goto fail;
	if (acc.size != (uint64_t)c->seq) {
		fx_error("%s: the custody tree head (%llu entries) does not match the log (%lld)",
			 c->db_path, (unsigned long long)acc.size, (long long)c->seq);
		goto fail;
	}
	fx_merkle_acc_append(&acc, leaf);
	if (fx_case_acc_store(c, &acc) < 0)
		goto fail;
	/* Objects named by this change must be on disk before the change is. */
	if (fx_store_sync(c->store) < 0)
		goto fail;
	if (fx_case_exec(c, "COMMIT") < 0)
		goto fail;
	fx_buf_release(&b);
	if (entry) {
		json_object_set_new(e, "hash", json_string(fx_hex(hash, 32, hex)));
		json_object_set_new(e, "leaf", json_string(fx_hex(leaf, 32, hex)));
		*entry = e;
	} else {
		json_decref(e);
	}
	change_reset(c);
	return 0;
fail:
	fx_buf_release(&b);
	json_decref(e);
	fx_case_rollback(c);
	return -1;
}

uint64_t fx_case_added(const struct fx_case *c)
{
	return c->added;
}

uint64_t fx_case_duplicates(const struct fx_case *c)
{
	return c->duplicates;
}
