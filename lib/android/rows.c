/*
 * Reading an Android database's rows by column name: every app, version and
 * maker lays its tables out a little differently.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fx_android.h"
#include "fx_err.h"
#include "fx_banned.h"

int fx_android_col(sqlite3_stmt *st, const char *name)
{
	int i, n = sqlite3_column_count(st);

	for (i = 0; i < n; i++)
		if (strcasecmp(sqlite3_column_name(st, i), name) == 0)
			return i;
	return -1;
}

int fx_android_has(sqlite3_stmt *st, const char *name)
{
	int i = fx_android_col(st, name);

	return i >= 0 && sqlite3_column_type(st, i) != SQLITE_NULL;
}

int64_t fx_android_num(sqlite3_stmt *st, const char *name, int64_t dflt)
{
	int i = fx_android_col(st, name);

	if (i < 0 || sqlite3_column_type(st, i) == SQLITE_NULL)
		return dflt;
	return sqlite3_column_int64(st, i);
}

void fx_android_text(json_t *data, const char *key, sqlite3_stmt *st, const char *name)
{
	int i = fx_android_col(st, name);

	if (i >= 0)
		fx_android_set_text(data, key, st, i);
}

void fx_android_int(json_t *data, const char *key, sqlite3_stmt *st, const char *name)
{
	int i = fx_android_col(st, name);

	if (i >= 0)
		fx_android_set_int(data, key, st, i);
}

void fx_android_bool(json_t *data, const char *key, sqlite3_stmt *st, const char *name)
{
	int i = fx_android_col(st, name);

	if (i >= 0 && sqlite3_column_type(st, i) != SQLITE_NULL)
		json_object_set_new(data, key, json_boolean(sqlite3_column_int64(st, i) != 0));
}

int fx_android_rows(struct fx_android *a, const struct fx_afile *f, sqlite3 *db, const char *table,
		const char *where, fx_android_row_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	char *sql;
	int rc, ret = 0;

	sql = fx_xasprintf("SELECT rowid AS fx_rowid, * FROM \"%s\"%s ORDER BY rowid", table, where);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		fx_android_problem(a, f, "cannot read table %s: %s", table, sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(a, f, st, ctx) < 0) {
			ret = -1;
			break;
		}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fx_android_problem(a, f, "table %s is damaged: %s", table, sqlite3_errmsg(db));
		ret = -1;
	}
	sqlite3_finalize(st);
	return ret;
}
