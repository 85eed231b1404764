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

/* ---- adding a record: prepare (no case state changed), then store ---- */

void fx_case_prep_release(struct fx_case_prep *p)
{
	fx_buf_release(&p->buf);
}

static const char *str_or_null(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

/* Whether the store holds hex; p->known caches the last object found. */
static int object_known(const struct fx_case *c, struct fx_case_prep *p, const char *hex)
{
	if (strcmp(p->known, hex) == 0)
		return 1;
	if (!fx_store_has(c->store, hex))
		return 0;
	memcpy(p->known, hex, FX_SHA256_HEX);
	return 1;
}

static void add_text(const char *s, size_t n, void *ctx)
{
	struct fx_case_prep *p = ctx;

	if (p->buf.len > p->text_at)
		fx_buf_add(&p->buf, "\n", 1);
	fx_case_fts_add(&p->buf, s, n);
}

/* Appends s and a NUL to p's buffer; returns where it starts. */
static size_t add_str(struct fx_case_prep *p, const char *s)
{
	size_t at = p->buf.len;

	fx_buf_add(&p->buf, s, strlen(s) + 1);
	return at;
}

int fx_case_prepare_record(const struct fx_case *c, const json_t *rec, const char *where,
			   struct fx_case_prep *p)
{
	const char *rcase, *sha, *t;
	const json_t *id;
	char hex[FX_SHA256_HEX];
	size_t type_at, device_at = 0;

	if (fx_record_check_flags(rec, where, FX_CHECK_NO_ID) < 0)
		return -1;
	rcase = str_or_null(rec, FX_KEY_CASE);
	if (rcase && strcmp(rcase, c->id) != 0)
		return fx_error("%s: record belongs to case '%s', not '%s'", where, rcase, c->id);
	sha = str_or_null(json_object_get(rec, FX_KEY_SRC), FX_SRC_SHA256);
	if (sha && !object_known(c, p, sha))
		return fx_error("%s: the source object %s is not in the case"
				" (acquire the evidence into the case first)", where, sha);
	sha = str_or_null(json_object_get(rec, FX_KEY_DATA), "sha256");
	if (sha && fx_is_sha256_hex(sha) && !object_known(c, p, sha))
		return fx_error("%s: the object %s is not in the case", where, sha);

	p->buf.len = 0;
	if (fx_record_line_buf(rec, &p->buf, p->id) < 0)
		return fx_error("%s: record cannot be encoded (a number that is not finite)",
				where);
	p->len = p->buf.len;
	fx_buf_add(&p->buf, "", 1);
	id = json_object_get(rec, FX_KEY_ID);
	if (id && (!json_is_string(id) ||
		   strcmp(json_string_value(id), fx_hex(p->id, 32, hex)) != 0))
		return fx_error("%s: id does not match the record's content"
				" (changed after it was made?)", where);
	type_at = add_str(p, str_or_null(rec, FX_KEY_TYPE));
	if (str_or_null(rec, FX_KEY_DEVICE))
		device_at = add_str(p, str_or_null(rec, FX_KEY_DEVICE));
	p->text_at = p->buf.len;
	fx_json_text_each(json_object_get(rec, FX_KEY_DATA), add_text, p);
	fx_buf_add(&p->buf, "", 1);
	/* fx_record_check_flags() has parsed it already: this cannot fail. */
	t = str_or_null(rec, FX_KEY_TIME);
	p->timed = t && fx_time_parse(t, &p->ms) == 0;
	p->line = p->buf.data;
	p->type = p->buf.data + type_at;
	p->device = device_at ? p->buf.data + device_at : NULL;
	p->text = p->buf.data + p->text_at;
	return 0;
}

static int prepare_inserts(struct fx_case *c)
{
	/* OR IGNORE: a record whose key is taken is not an error, see below. */
	if (!c->ins_record)
		c->ins_record = fx_case_prepare(c, "INSERT OR IGNORE INTO records(id, idk, type,"
						   " device, ms, entry, line)"
						   " VALUES(?, ?, ?, ?, ?, ?, ?)");
	if (!c->find_key)
		c->find_key = fx_case_prepare(c, "SELECT id, n FROM records WHERE idk = ?");
	if (!c->find_nokey)
		c->find_nokey = fx_case_prepare(c, "SELECT 1 FROM records"
						   " WHERE idk IS NULL AND id = ?");
	if (!c->ins_text)
		c->ins_text = fx_case_prepare(c, "INSERT INTO records_text(rowid, text) VALUES(?, ?)");
	return c->ins_record && c->ins_text && c->find_key && c->find_nokey ? 0 : -1;
}

/* Inserts p's row with key idk (NULL when nokey). Returns rows inserted (0 or 1) or -1. */
static int insert_row(struct fx_case *c, const struct fx_case_prep *p, int64_t idk, int nokey)
{
	sqlite3_stmt *st = c->ins_record;
	int rc;

	sqlite3_bind_blob(st, 1, p->id, 32, SQLITE_STATIC);
	nokey ? sqlite3_bind_null(st, 2) : sqlite3_bind_int64(st, 2, idk);
	sqlite3_bind_text(st, 3, p->type, -1, SQLITE_STATIC);
	p->device ? sqlite3_bind_text(st, 4, p->device, -1, SQLITE_STATIC)
		  : sqlite3_bind_null(st, 4);
	p->timed ? sqlite3_bind_int64(st, 5, p->ms) : sqlite3_bind_null(st, 5);
	sqlite3_bind_int64(st, 6, c->seq);
	sqlite3_bind_text(st, 7, p->line, (int)p->len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fx_case_db_error(c, "cannot store record");
	return sqlite3_changes(c->db);
}

/*
 * Whether a record with p's id is already there, given that its key idk
 * is taken: by this record, or by another whose id starts the same, in
 * which case this one may be among those stored without a key. Returns
 * 1, 0 or -1.
 */
static int already_there(struct fx_case *c, const struct fx_case_prep *p, int64_t idk)
{
	int rc, same = 0;

	sqlite3_bind_int64(c->find_key, 1, idk);
	rc = sqlite3_step(c->find_key);
	if (rc == SQLITE_ROW)
		same = sqlite3_column_bytes(c->find_key, 0) == 32 &&
		       memcmp(sqlite3_column_blob(c->find_key, 0), p->id, 32) == 0;
	sqlite3_reset(c->find_key);
	if (rc != SQLITE_ROW)
		return fx_case_db_error(c, "cannot look up record");
	if (same)
		return 1;
	sqlite3_bind_blob(c->find_nokey, 1, p->id, 32, SQLITE_STATIC);
	rc = sqlite3_step(c->find_nokey);
	sqlite3_reset(c->find_nokey);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fx_case_db_error(c, "cannot look up record");
	return rc == SQLITE_ROW;
}

/* A device record also updates the case's device list. */
static int merge_device(struct fx_case *c, const struct fx_case_prep *p, const char *where)
{
	json_t *rec, *data;
	const char *key;
	int rc;

	if (strcmp(p->type, "device") != 0)
		return 0;
	rec = json_loadb(p->line, p->len, JSON_ALLOW_NUL, NULL);
	data = json_object_get(rec, FX_KEY_DATA);
	key = str_or_null(data, "key");
	rc = key ? fx_case_device_merge(c, key, data) : 0;
	json_decref(rec);
	if (rc < 0 && where)
		fx_error("%s: the device was not stored", where);
	return rc;
}

/* Indexes the text of p, stored as row n. Returns 0 or -1. */
static int index_text(struct fx_case *c, const struct fx_case_prep *p, int64_t n)
{
	int rc;

	sqlite3_bind_int64(c->ins_text, 1, n);
	sqlite3_bind_text(c->ins_text, 2, p->text, -1, SQLITE_STATIC);
	rc = sqlite3_step(c->ins_text);
	sqlite3_reset(c->ins_text);
	return rc == SQLITE_DONE ? 0 : fx_case_db_error(c, "cannot index record");
}

/* What follows storing p as row n: its text, the change's digest, its device. */
static int stored(struct fx_case *c, const struct fx_case_prep *p, int64_t n, const char *where)
{
	if (index_text(c, p, n) < 0)
		return -1;
	digest_add(&c->records, p->id, 32);
	c->added++;
	return merge_device(c, p, where);
}

int fx_case_store_record(struct fx_case *c, const struct fx_case_prep *p, const char *where,
			 int *added)
{
	int64_t idk = fx_case_idk(p->id);
	int rc;

	if (added)
		*added = 0;
	if (!c->in_change)
		return fx_error("internal: no change open on '%s'", c->dir);
	if (prepare_inserts(c) < 0)
		return -1;
	rc = insert_row(c, p, idk, 0);
	if (rc == 0) {
		rc = already_there(c, p, idk);
		if (rc == 1) {
			c->duplicates++;
			return 0;
		}
		if (rc == 0)
			rc = insert_row(c, p, idk, 1);
	}
	if (rc < 0 || stored(c, p, sqlite3_last_insert_rowid(c->db), where) < 0)
		return -1;
	if (added)
		*added = 1;
	return 0;
}

/* "prefix(?,…)(?,…)…" with n groups of k parameters. Caller frees. */
static char *values_sql(const char *prefix, size_t n, int k)
{
	struct fx_buf b = FX_BUF_INIT;
	size_t i;
	int j;

	fx_buf_add(&b, prefix, strlen(prefix));
	for (i = 0; i < n; i++) {
		fx_buf_add(&b, i ? ",(?" : "(?", i ? 3 : 2);
		for (j = 1; j < k; j++)
			fx_buf_add(&b, ",?", 2);
		fx_buf_add(&b, ")", 1);
	}
	return b.data;
}

static int prepare_many(struct fx_case *c)
{
	char *sql;

	if (!c->ins_many) {
		sql = values_sql("INSERT OR IGNORE INTO records(id, idk, type, device, ms, entry,"
				 " line) VALUES", FX_CASE_STORE_MANY, 7);
		c->ins_many = fx_case_prepare(c, sql);
		free(sql);
	}
	if (!c->text_many) {
		sql = values_sql("INSERT INTO records_text(rowid, text) VALUES", FX_CASE_STORE_MANY, 2);
		c->text_many = fx_case_prepare(c, sql);
		free(sql);
	}
	return c->ins_many && c->text_many ? 0 : -1;
}

/*
 * Some of the rows of a many-row insert were not inserted: their key was
 * taken. Rows lo to hi (none when lo > hi) are those that were, in input
 * order. Sorts the others out one by one, as fx_case_store_record does;
 * the keyless ones are inserted after the rest.
 */
static int sort_out(struct fx_case *c, const struct fx_case_prep *p, size_t n, int64_t lo,
		    int64_t hi)
{
	uint8_t keyless[FX_CASE_STORE_MANY] = { 0 }, claimed[FX_CASE_STORE_MANY] = { 0 };
	int64_t row;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(c->find_key, 1, fx_case_idk(p[i].id));
		rc = sqlite3_step(c->find_key);
		row = rc == SQLITE_ROW ? sqlite3_column_int64(c->find_key, 1) : 0;
		if (rc == SQLITE_ROW && !(sqlite3_column_bytes(c->find_key, 0) == 32 &&
					  memcmp(sqlite3_column_blob(c->find_key, 0), p[i].id, 32) == 0))
			keyless[i] = 1;
		sqlite3_reset(c->find_key);
		if (rc != SQLITE_ROW)
			return fx_case_db_error(c, "cannot look up record");
		if (keyless[i] || row < lo || row > hi || claimed[row - lo]) {
			/* there before, or the same record earlier in this chunk */
			if (!keyless[i])
				c->duplicates++;
			continue;
		}
		claimed[row - lo] = 1;
		if (stored(c, &p[i], row, NULL) < 0)
			return -1;
	}
	for (i = 0; i < n; i++) {
		if (!keyless[i])
			continue;
		rc = already_there(c, &p[i], fx_case_idk(p[i].id));
		if (rc < 0)
			return -1;
		if (rc == 1) {
			c->duplicates++;
			continue;
		}
		if (insert_row(c, &p[i], 0, 1) < 0 ||
		    stored(c, &p[i], sqlite3_last_insert_rowid(c->db), NULL) < 0)
			return -1;
	}
	return 0;
}

int fx_case_store_records(struct fx_case *c, const struct fx_case_prep *p, size_t n)
{
	sqlite3_stmt *st;
	int64_t last;
	size_t i;
	int rc, k;

	if (!c->in_change)
		return fx_error("internal: no change open on '%s'", c->dir);
	if (prepare_inserts(c) < 0)
		return -1;
	if (n != FX_CASE_STORE_MANY) {
		for (i = 0; i < n; i++)
			if (fx_case_store_record(c, &p[i], NULL, NULL) < 0)
				return -1;
		return 0;
	}
	/*
	 * One statement for all: SQLite then keeps its cursors on the table
	 * and each index from one row to the next, rather than descending
	 * every B-tree from its root for each record.
	 */
	if (prepare_many(c) < 0)
		return -1;
	st = c->ins_many;
	for (i = 0; i < n; i++) {
		k = (int)i * 7;
		sqlite3_bind_blob(st, k + 1, p[i].id, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, k + 2, fx_case_idk(p[i].id));
		sqlite3_bind_text(st, k + 3, p[i].type, -1, SQLITE_STATIC);
		p[i].device ? sqlite3_bind_text(st, k + 4, p[i].device, -1, SQLITE_STATIC)
			    : sqlite3_bind_null(st, k + 4);
		p[i].timed ? sqlite3_bind_int64(st, k + 5, p[i].ms) : sqlite3_bind_null(st, k + 5);
		sqlite3_bind_int64(st, k + 6, c->seq);
		sqlite3_bind_text(st, k + 7, p[i].line, (int)p[i].len, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return fx_case_db_error(c, "cannot store records");
	k = sqlite3_changes(c->db);
	last = sqlite3_last_insert_rowid(c->db);
	/* Rows inserted by one statement get rowids one after the other. */
	if ((size_t)k < n)
		return sort_out(c, p, n, k ? last - k + 1 : 1, k ? last : 0);
	st = c->text_many;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 2 * (int)i + 1, last - (int64_t)n + 1 + (int64_t)i);
		sqlite3_bind_text(st, 2 * (int)i + 2, p[i].text, -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return fx_case_db_error(c, "cannot index records");
	for (i = 0; i < n; i++) {
		digest_add(&c->records, p[i].id, 32);
		c->added++;
		if (merge_device(c, &p[i], NULL) < 0)
			return -1;
	}
	return 0;
}

int fx_case_add_record(struct fx_case *c, json_t *rec, const char *where, int *added)
{
	struct fx_case_prep p = FX_CASE_PREP_INIT;
	char hex[FX_SHA256_HEX];
	int ret;

	if (added)
		*added = 0;
	if (!c->in_change)
		return fx_error("internal: no change open on '%s'", c->dir);
	ret = fx_case_prepare_record(c, rec, where, &p);
	if (ret == 0)
		ret = fx_case_store_record(c, &p, where, added);
	if (ret == 0)
		json_object_set_new(rec, FX_KEY_ID, json_string(fx_hex(p.id, 32, hex)));
	fx_case_prep_release(&p);
	return ret;
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
