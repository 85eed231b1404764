/*
 * The lock screen's settings: locksettings.db (AOSP LockSettingsStorage):
 * name, user and value, such as lockscreen.password_type. Often only in
 * the database's WAL, which the scratch copy applies.
 */
#include "android_int.h"
#include "fx_banned.h"

const char *const fx_android_locksettings_patterns[] = {
	"*system/locksettings.db", NULL,
};

int fx_android_parse_locksettings(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	sqlite3_stmt *st;
	json_t *rec, *data;
	int rc;

	if (!db)
		return -1;
	if (!fx_android_has_table(db, "locksettings")) {
		fx_android_problem(a, f, "no locksettings table (is its -wal missing?)");
		fx_android_sqlite_close(a, db);
		return -1;
	}
	if (sqlite3_prepare_v2(db, "SELECT _id, name, user, value FROM locksettings ORDER BY _id",
			       -1, &st, NULL) != SQLITE_OK) {
		fx_android_problem(a, f, "cannot read locksettings: %s", sqlite3_errmsg(db));
		fx_android_sqlite_close(a, db);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rec = fx_android_record(a, "setting", f, "locksettings", sqlite3_column_int64(st, 0));
		data = json_object_get(rec, "data");
		fx_android_set_text(data, "name", st, 1);
		fx_android_set_int(data, "user", st, 2);
		fx_android_set_text(data, "value", st, 3);
		json_object_set_new(data, "store", json_string("locksettings"));
		if (fx_android_emit(a, rec) < 0)
			break;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		fx_android_problem(a, f, "locksettings is damaged: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	fx_android_sqlite_close(a, db);
	return 0;
}
