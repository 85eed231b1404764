#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case_int.h"
#include "fx_err.h"
#include "fx_io.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

/*
 * The schema, one step per version. A case made by an older fx is brought
 * up to date, step by step, in one transaction when it is opened for
 * writing; PRAGMA user_version holds the version reached.
 */
static const char *const migrations[] = {
	/* 1 */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE custody(seq INTEGER PRIMARY KEY, entry TEXT NOT NULL,"
	" hash BLOB NOT NULL, leaf BLOB NOT NULL);"
	/*
	 * type, device and ms (the event time in ms since 1970) are copies of
	 * the record's own, for the indexes; verify checks that they agree.
	 */
	"CREATE TABLE records(n INTEGER PRIMARY KEY, id BLOB NOT NULL, idk INTEGER,"
	" type TEXT NOT NULL, device TEXT, ms INTEGER, entry INTEGER NOT NULL,"
	" withdrawn INTEGER, line TEXT NOT NULL);"
	/*
	 * Ids are looked up by their first 64 bits (fx_case_idk): an integer
	 * index stays small enough to be cached where one over 32-byte blobs
	 * of random ids would not, which keeps a large add fast. The key is
	 * unique, so that one probe both finds a record already there and
	 * inserts a new one; the rare record whose key another record already
	 * holds is stored with no key and found by its whole id.
	 */
	"CREATE UNIQUE INDEX records_idk ON records(idk);"
	"CREATE INDEX records_nokey ON records(id) WHERE idk IS NULL;"
	"CREATE INDEX records_type ON records(type);"
	"CREATE INDEX records_device ON records(device) WHERE device IS NOT NULL;"
	/* Not partial: list --by-time walks it, records without a time first. */
	"CREATE INDEX records_ms ON records(ms);"
	/*
	 * Contentless (the text is in the record line), without per-row
	 * column sizes (no ranking by bm25 is done); merging segments less
	 * eagerly than the default of 4 writes less on a large add.
	 */
	"CREATE VIRTUAL TABLE records_text USING fts5(text, content='', columnsize=0,"
	" tokenize='unicode61 remove_diacritics 0');"
	"INSERT INTO records_text(records_text, rank) VALUES('automerge', 16);"
	"CREATE TABLE objects(n INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE,"
	" size INTEGER NOT NULL, entry INTEGER NOT NULL);"
	"CREATE TABLE devices(key TEXT PRIMARY KEY, data TEXT NOT NULL,"
	" entry INTEGER NOT NULL);",
};

int64_t fx_case_idk(const uint8_t id[32])
{
	uint64_t k = 0;
	int i;

	for (i = 0; i < 8; i++)
		k = k << 8 | id[i];
	return (int64_t)(k ^ 0x8000000000000000ULL);
}

int fx_case_db_error(struct fx_case *c, const char *what)
{
	return fx_error("%s: %s: %s", c->db_path, what, sqlite3_errmsg(c->db));
}

int fx_case_exec(struct fx_case *c, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fx_error("%s: %s", c->db_path, msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *fx_case_prepare(struct fx_case *c, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fx_case_db_error(c, "cannot read the case database");
		return NULL;
	}
	return st;
}

char *fx_case_meta_get(struct fx_case *c, const char *key)
{
	sqlite3_stmt *st = fx_case_prepare(c, "SELECT value FROM meta WHERE key = ?");
	char *v = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = fx_xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int fx_case_meta_set(struct fx_case *c, const char *key, const char *value)
{
	sqlite3_stmt *st = fx_case_prepare(c, "INSERT OR REPLACE INTO meta VALUES(?, ?)");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fx_case_db_error(c, "cannot write the case database");
}

/*
 * The head is kept as its accumulator: "size:hex,hex,…" with one root per
 * complete subtree (per set bit of size, lowest first), so appending an
 * entry costs O(log n) whatever the log's length.
 */
int fx_case_acc_load(struct fx_case *c, struct fx_merkle_acc *acc)
{
	char *v = fx_case_meta_get(c, "head"), *p;
	unsigned long long size;
	int i;

	fx_merkle_acc_init(acc);
	if (!v)
		return 0;
	size = strtoull(v, &p, 10);
	acc->size = size;
	for (i = 0; i < 64; i++) {
		if (!(size >> i & 1))
			continue;
		if (*p != ':' && *p != ',')
			goto bad;
		p++;
		if (strlen(p) < 64)
			goto bad;
		{
			char h[65];

			memcpy(h, p, 64);
			h[64] = '\0';
			if (fx_unhex(h, acc->stack[i], 32) < 0)
				goto bad;
		}
		p += 64;
	}
	free(v);
	return 0;
bad:
	free(v);
	return fx_error("%s: the custody tree head is damaged", c->db_path);
}

int fx_case_acc_store(struct fx_case *c, const struct fx_merkle_acc *acc)
{
	struct fx_buf b = FX_BUF_INIT;
	char num[32], hex[FX_SHA256_HEX];
	int i, first = 1, ret;

	snprintf(num, sizeof(num), "%llu", (unsigned long long)acc->size);
	fx_buf_add(&b, num, strlen(num));
	for (i = 0; i < 64; i++) {
		if (!(acc->size >> i & 1))
			continue;
		fx_buf_add(&b, first ? ":" : ",", 1);
		first = 0;
		fx_buf_add(&b, fx_hex(acc->stack[i], 32, hex), 64);
	}
	ret = fx_case_meta_set(c, "head", b.data);
	fx_buf_release(&b);
	return ret;
}

void fx_case_entry_hashes(const char *canon, size_t len, uint8_t hash[32], fx_mhash leaf)
{
	fx_sha256(canon, len, hash);
	fx_merkle_leaf_hash(canon, len, leaf);
}

char *fx_examiner(void)
{
	const char *env = getenv("FX_EXAMINER");
	char *home, *path, *text;
	struct passwd *pw;
	json_t *id;
	const char *name;

	if (env && *env)
		return fx_xstrdup(env);
	home = fx_home();
	path = fx_path_join(home, "identity.json");
	free(home);
	if (access(path, R_OK) == 0 && (text = fx_read_file(path, NULL, 1 << 20))) {
		id = json_loads(text, 0, NULL);
		free(text);
		name = json_string_value(json_object_get(id, "name"));
		if (name && *name) {
			char *r = fx_xstrdup(name);

			json_decref(id);
			free(path);
			return r;
		}
		json_decref(id);
	}
	free(path);
	pw = getpwuid(geteuid());
	return fx_xstrdup(pw ? pw->pw_name : "unknown");
}

static int migrate(struct fx_case *c, int from)
{
	int v;
	char pragma[64];

	if (fx_case_exec(c, "BEGIN IMMEDIATE") < 0)
		return -1;
	for (v = from; v < FX_CASE_SCHEMA_VERSION; v++)
		if (fx_case_exec(c, migrations[v]) < 0)
			goto fail;
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", FX_CASE_SCHEMA_VERSION);
	if (fx_case_exec(c, pragma) < 0 || fx_case_exec(c, "COMMIT") < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int schema_version(struct fx_case *c, int *v)
{
	sqlite3_stmt *st = fx_case_prepare(c, "PRAGMA user_version");

	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fx_case_db_error(c, "cannot read the case database");
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int load_case_record(struct fx_case *c)
{
	sqlite3_stmt *st;
	json_error_t err;

	free(c->id);
	c->id = fx_case_meta_get(c, "case");
	if (!c->id)
		return fx_error("%s: not a case database (no case id)", c->db_path);
	st = fx_case_prepare(c, "SELECT line FROM records WHERE type = 'case' ORDER BY n LIMIT 1");
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_decref(c->record);
		c->record = json_loads((const char *)sqlite3_column_text(st, 0), 0, &err);
	}
	sqlite3_finalize(st);
	if (!c->record)
		return fx_error("%s: the case record is missing or damaged", c->db_path);
	return 0;
}

static struct fx_case *case_new(const char *dir, const struct fx_actor *who)
{
	struct fx_case *c = fx_xcalloc(1, sizeof(*c));

	c->dir = fx_xstrdup(dir);
	c->db_path = fx_path_join(dir, FX_CASE_DB);
	if (who)
		c->who = *who;
	if (!c->who.tool)
		c->who.tool = fx_progname();
	return c;
}

static int open_db(struct fx_case *c, int writable, int create)
{
	int flags = writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
	char *uri = NULL;
	int rc;

	flags |= SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	/*
	 * SQLite's memory statistics take a global mutex on every allocation;
	 * fx reads none of them. This only takes effect before SQLite's first
	 * use in the process (later it returns SQLITE_MISUSE, harmlessly).
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (!writable && access(c->dir, W_OK) != 0) {
		/*
		 * A case on read-only media: read it as it is, no -shm to write.
		 * An immutable database ignores its WAL, so a case copied in the
		 * middle of a change (a WAL left behind) would read stale: refuse.
		 */
		char *wal = fx_xasprintf("%s-wal", c->db_path);
		struct stat st;
		int pending = stat(wal, &st) == 0 && st.st_size > 0;

		free(wal);
		if (pending)
			return fx_error("%s: on read-only media with a write-ahead log still"
					" to apply; open a writable copy of the case once",
					c->db_path);
		uri = sqlite3_mprintf("file:%s?immutable=1", c->db_path);
		rc = sqlite3_open_v2(uri, &c->db, flags, NULL);
		sqlite3_free(uri);
	} else {
		rc = sqlite3_open_v2(c->db_path, &c->db, flags, NULL);
	}
	if (rc != SQLITE_OK)
		return fx_case_db_error(c, "cannot open the case database");
	sqlite3_busy_timeout(c->db, 30000);
	sqlite3_extended_result_codes(c->db, 1);
	/*
	 * A bounded cache: 40 MiB whatever the case's size. It holds the pages
	 * a large add changes in every batch (the id and time indexes are
	 * about 17 and 16 MiB at a million records), and keeps fx-case add
	 * under 64 MiB of memory.
	 */
	if (fx_case_exec(c, "PRAGMA cache_size = -40960") < 0)
		return -1;
	/*
	 * Checkpoint when the WAL reaches 4096 pages (256 MiB of 64 KiB
	 * pages) rather than 1000: a large add rewrites the same index pages
	 * in every batch, and a checkpoint copies each page once however many
	 * times the WAL holds it.
	 */
	if (writable && (fx_case_exec(c, "PRAGMA synchronous = FULL") < 0 ||
			 fx_case_exec(c, "PRAGMA wal_autocheckpoint = 4096") < 0 ||
			 fx_case_exec(c, "PRAGMA foreign_keys = OFF") < 0))
		return -1;
	return 0;
}

struct fx_case *fx_case_open(const char *dir, unsigned flags, const struct fx_actor *who)
{
	int writable = (flags & FX_CASE_WRITE) != 0, v = 0;
	struct fx_case *c;
	struct stat st;
	char *db;

	db = fx_path_join(dir, FX_CASE_DB);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || stat(db, &st) < 0) {
		fx_error("no case at '%s' (fx-case init makes one)", dir);
		free(db);
		return NULL;
	}
	free(db);
	if (writable && access(dir, W_OK) != 0) {
		fx_error("case directory '%s' is read-only", dir);
		return NULL;
	}
	c = case_new(dir, who);
	c->writable = writable;
	if (open_db(c, writable, 0) < 0 || schema_version(c, &v) < 0)
		goto fail;
	if (v > FX_CASE_SCHEMA_VERSION) {
		fx_error("%s: schema version %d is newer than this fx knows (%d)",
			 c->db_path, v, FX_CASE_SCHEMA_VERSION);
		goto fail;
	}
	if (v == 0) {
		fx_error("%s: not a case database", c->db_path);
		goto fail;
	}
	if (v < FX_CASE_SCHEMA_VERSION && writable && migrate(c, v) < 0)
		goto fail;
	if (load_case_record(c) < 0)
		goto fail;
	c->store = fx_store_open(dir, writable);
	if (!c->store)
		goto fail;
	return c;
fail:
	fx_case_free(c);
	return NULL;
}

static int dir_is_empty(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int empty = 1;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

struct fx_case *fx_case_create_empty(const char *dir, const char *case_id,
				     const struct fx_actor *who)
{
	static const char *const subdirs[] = { "objects", "reports", "exports" };
	struct fx_case *c;
	struct stat st;
	char *sub;
	size_t i;

	if (!case_id || !*case_id || strchr(case_id, '/') || strchr(case_id, '\n')) {
		fx_error("'%s' is not a usable case id", case_id ? case_id : "");
		return NULL;
	}
	if (stat(dir, &st) == 0 && !(S_ISDIR(st.st_mode) && dir_is_empty(dir))) {
		fx_error("'%s' already exists and is not an empty directory", dir);
		return NULL;
	}
	if (fx_mkdirs(dir, 0755) < 0)
		return NULL;
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		sub = fx_path_join(dir, subdirs[i]);
		if (fx_mkdirs(sub, 0755) < 0) {
			free(sub);
			return NULL;
		}
		free(sub);
	}
	c = case_new(dir, who);
	c->writable = 1;
	/*
	 * Large pages: a big add touches fewer of them, with fewer system
	 * calls, and the B-trees are shallower.
	 */
	if (open_db(c, 1, 1) < 0 || fx_case_exec(c, "PRAGMA page_size = 65536") < 0 ||
	    fx_case_exec(c, "PRAGMA journal_mode = WAL") < 0 || migrate(c, 0) < 0)
		goto fail;
	c->id = fx_xstrdup(case_id);
	c->store = fx_store_open(dir, 1);
	if (!c->store)
		goto fail;
	return c;
fail:
	fx_case_free(c);
	return NULL;
}

int fx_case_load_record(struct fx_case *c)
{
	return load_case_record(c);
}

struct fx_case *fx_case_create(const char *dir, const char *case_id,
			       const json_t *info, const struct fx_actor *who)
{
	char t[FX_TIME_LEN];
	struct fx_case *c;
	json_t *rec, *detail;
	const char *key;
	json_t *val;

	c = fx_case_create_empty(dir, case_id, who);
	if (!c)
		return NULL;

	rec = fx_record_new("case", case_id, c->who.tool);
	fx_time_now(t);
	json_object_set_new(rec, FX_KEY_TIME, json_string(t));
	json_object_foreach((json_t *)info, key, val)
		json_object_set(json_object_get(rec, FX_KEY_DATA), key, val);
	json_object_set_new(json_object_get(rec, FX_KEY_DATA), "created", json_string(t));
	if (fx_case_begin(c, "init") < 0 || fx_case_meta_set(c, "case", case_id) < 0) {
		json_decref(rec);
		goto fail;
	}
	if (fx_case_add_record(c, rec, "init", NULL) < 0) {
		json_decref(rec);
		fx_case_rollback(c);
		goto fail;
	}
	detail = json_pack("{s:s}", "case", case_id);
	if (fx_case_commit(c, detail, NULL) < 0) {
		json_decref(detail);
		json_decref(rec);
		goto fail;
	}
	json_decref(detail);
	c->record = rec;
	return c;
fail:
	fx_case_free(c);
	return NULL;
}

void fx_case_free(struct fx_case *c)
{
	if (!c)
		return;
	if (c->in_change)
		fx_case_rollback(c);
	sqlite3_finalize(c->ins_record);
	sqlite3_finalize(c->ins_text);
	sqlite3_finalize(c->ins_object);
	sqlite3_finalize(c->find_key);
	sqlite3_finalize(c->find_nokey);
	sqlite3_finalize(c->ins_many);
	sqlite3_finalize(c->text_many);
	fx_hash_free(c->records.hash);
	fx_hash_free(c->objects.hash);
	fx_hash_free(c->withdrawn.hash);
	if (c->db)
		sqlite3_close(c->db);
	fx_store_free(c->store);
	json_decref(c->record);
	free(c->dir);
	free(c->db_path);
	free(c->id);
	free(c);
}

const char *fx_case_id(const struct fx_case *c)
{
	return c->id;
}

const char *fx_case_dir(const struct fx_case *c)
{
	return c->dir;
}

struct fx_store *fx_case_store(struct fx_case *c)
{
	return c->store;
}

const json_t *fx_case_record(const struct fx_case *c)
{
	return c->record;
}
