/*
 * Accounts of the AccountManager (AOSP frameworks/base services/core
 * .../accounts/AccountsDb.java): since Android 7 each user N has
 * /data/system_ce/N/accounts_ce.db (credential-encrypted: name, type,
 * password, authtokens, extras) and /data/system_de/N/accounts_de.db
 * (device-encrypted: name, type, previous_name, last authentication time,
 * grants, visibility, a debug log); before, one /data/system/users/N/
 * accounts.db (/data/system/accounts.db before multi-user) had all of it.
 * One record per account row of each database; CE and DE rows of one
 * account share account_id. Token values are counted, not copied.
 */
#include <stdlib.h>
#include <string.h>

#include "android_int.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

const char *const fx_android_accounts_patterns[] = {
	"*/system_ce/*/accounts_ce.db", "system_ce/*/accounts_ce.db",
	"*/system_de/*/accounts_de.db", "system_de/*/accounts_de.db",
	"*/system/users/*/accounts.db", "system/users/*/accounts.db",
	"*/system/accounts.db", "system/accounts.db", NULL,
};



/* The user of …/system_ce/N/…, …/system_de/N/… or …/users/N/…; 0 else. */
static int account_user(const char *path)
{
	static const char *const marks[] = { "system_ce/", "system_de/", "users/" };
	const char *p;
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		p = strstr(path, marks[i]);
		if (p && (p == path || p[-1] == '/')) {
			p += strlen(marks[i]);
			if (*p >= '0' && *p <= '9')
				return atoi(p);
		}
	}
	return 0;
}

/* SELECT count(*) …: the count, or -1 when the statement cannot run. */
static long long count_of(sqlite3 *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * Rows of sql (one bound account id) as an array of objects with keys,
 * one per result column; NULL when the statement cannot run. New reference.
 */
static json_t *rows(sqlite3 *db, const char *sql, int64_t id, const char *const *keys)
{
	sqlite3_stmt *st;
	json_t *arr, *o;
	int i;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		o = json_object();
		for (i = 0; keys[i]; i++)
			fx_android_set_text(o, keys[i], st, i);
		json_array_append_new(arr, o);
	}
	sqlite3_finalize(st);
	return arr;
}

static void set_rows(json_t *data, const char *key, json_t *arr)
{
	if (arr && json_array_size(arr))
		json_object_set_new(data, key, arr);
	else
		json_decref(arr);
}

/* The token types of an account: which services it is signed in to, not the tokens. */
static void token_types(sqlite3 *db, json_t *data, int64_t id)
{
	sqlite3_stmt *st;
	json_t *arr = json_array();

	if (sqlite3_prepare_v2(db, "SELECT type FROM authtokens WHERE accounts_id = ? ORDER BY type",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(arr, fx_json_text(sqlite3_column_text(st, 0),
								(size_t)sqlite3_column_bytes(st, 0)));
		sqlite3_finalize(st);
	}
	set_rows(data, "authtoken_types", arr);
}

static void related(sqlite3 *db, json_t *data, int64_t id)
{
	static const char *const grant_keys[] = { "auth_token_type", "uid", NULL };
	static const char *const vis_keys[] = { "package", "value", NULL };
	static const char *const log_keys[] = { "action", "local_time", "caller_uid", "table", NULL };
	long long n;

	if (fx_android_has_table(db, "authtokens")) {
		n = count_of(db, "SELECT count(*) FROM authtokens WHERE accounts_id = ?", id);
		if (n >= 0)
			json_object_set_new(data, "authtokens", json_integer(n));
		token_types(db, data, id);
	}
	if (fx_android_has_table(db, "extras") &&
	    (n = count_of(db, "SELECT count(*) FROM extras WHERE accounts_id = ?", id)) >= 0)
		json_object_set_new(data, "extras", json_integer(n));
	if (fx_android_has_table(db, "grants"))
		set_rows(data, "grants", rows(db, "SELECT auth_token_type, uid FROM grants"
					      " WHERE accounts_id = ? ORDER BY uid, auth_token_type",
					      id, grant_keys));
	if (fx_android_has_table(db, "visibility"))
		set_rows(data, "visibility", rows(db, "SELECT _package, value FROM visibility"
						  " WHERE accounts_id = ? ORDER BY _package",
						  id, vis_keys));
	/* The debug log's times are local wall-clock strings: kept raw. */
	if (fx_android_has_table(db, "debug_table"))
		set_rows(data, "history", rows(db, "SELECT action_type, time, caller_uid, table_name"
					       " FROM debug_table WHERE _id = ?"
					       " ORDER BY time, primary_key", id, log_keys));
}

int fx_android_parse_accounts(struct fx_android *a, const struct fx_afile *f)
{
	const char *store = strstr(f->path, "accounts_ce.db") ? "ce" :
			    strstr(f->path, "accounts_de.db") ? "de" : "legacy";
	sqlite3 *db = fx_android_sqlite(a, f);
	sqlite3_stmt *st;
	json_t *rec, *data;
	int64_t id;
	int rc, user = account_user(f->path), i;

	if (!db)
		return -1;
	if (!fx_android_has_table(db, "accounts")) {
		fx_android_problem(a, f, "no accounts table: not an account database layout this"
				   " version knows");
		fx_android_sqlite_close(a, db);
		return -1;
	}
	rc = sqlite3_prepare_v2(db, "SELECT rowid AS fx_rowid, * FROM accounts ORDER BY rowid", -1,
				&st, NULL);
	if (rc != SQLITE_OK) {
		fx_android_problem(a, f, "cannot read table accounts: %s", sqlite3_errmsg(db));
		fx_android_sqlite_close(a, db);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rec = fx_android_record(a, "account", f, "accounts", sqlite3_column_int64(st, 0));
		data = json_object_get(rec, "data");
		json_object_set_new(data, "store", json_string(store));
		if (user)
			json_object_set_new(data, "user", json_integer(user));
		i = fx_android_col(st, "_id");
		id = i >= 0 ? sqlite3_column_int64(st, i) : sqlite3_column_int64(st, 0);
		json_object_set_new(data, "account_id", json_integer(id));
		fx_android_text(data, "name", st, "name");
		fx_android_text(data, "type", st, "type");
		/* As stored: often empty or a token, sometimes the password itself. */
		fx_android_text(data, "password", st, "password");
		fx_android_text(data, "previous_name", st, "previous_name");
		related(db, data, id);
		i = fx_android_col(st, "last_password_entry_time_millis_epoch");
		if (i >= 0 && sqlite3_column_type(st, i) != SQLITE_NULL)
			fx_android_time(rec, sqlite3_column_int64(st, i), FX_TIME_UNIX_MS);
		if (fx_android_emit(a, rec) < 0)
			break;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		fx_android_problem(a, f, "table accounts is damaged: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	fx_android_sqlite_close(a, db);
	return 0;
}
