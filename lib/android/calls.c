/*
 * Call logs: calllog.db (Android 7 and later), the calls table of
 * contacts2.db (before), and Samsung's logs.db. Dates are ms, durations s.
 */
#include <stdlib.h>
#include <string.h>

#include "android_int.h"
#include "fx_err.h"
#include "fx_time.h"
#include "fx_banned.h"

const char *const fx_android_calls_patterns[] = {
	"*/databases/calllog.db", "*/databases/contacts2.db", "*/databases/logs.db", NULL,
};

/* CallLog.Calls.*_TYPE */
static const char *direction(int64_t type)
{
	switch (type) {
	case 1: return "in";
	case 2: return "out";
	case 3: return "missed";
	case 4: return "voicemail";
	case 5: return "rejected";
	case 6: return "blocked";
	case 7: return "answered_elsewhere";
	default: return "unknown";
	}
}




static int call_row(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *table)
{
	json_t *rec, *data;
	int64_t type, v;

	rec = fx_android_record(a, "call", f, table, sqlite3_column_int64(st, 0));
	data = json_object_get(rec, "data");
	fx_android_text(data, "number", st, "number");
	type = fx_android_num(st, "type", 0);
	json_object_set_new(data, "direction", json_string(direction(type)));
	json_object_set_new(data, "type", json_integer(type));
	if ((v = fx_android_num(st, "duration", -1)) >= 0)
		json_object_set_new(data, "duration", json_integer(v));
	fx_android_text(data, "name", st, "name");
	fx_android_text(data, "country", st, "countryiso");
	fx_android_text(data, "location", st, "geocoded_location");
	fx_android_text(data, "account", st, "subscription_id");
	if ((v = fx_android_num(st, "is_read", -1)) >= 0)
		json_object_set_new(data, "read", json_boolean(v));
	if ((v = fx_android_num(st, "new", -1)) >= 0)
		json_object_set_new(data, "new", json_boolean(v));
	fx_android_time(rec, fx_android_num(st, "date", 0), FX_TIME_UNIX_MS);
	return fx_android_emit(a, rec);
}

int fx_android_parse_calls(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	int ret = 0;

	if (!db)
		return -1;
	if (fx_android_has_table(db, "calls"))
		ret = fx_android_rows(a, f, db, "calls", "", call_row, "calls");
	/* Samsung's logs.db: logtype 100 is a call (others are messages). */
	else if (fx_android_has_table(db, "logs"))
		ret = fx_android_rows(a, f, db, "logs", " WHERE logtype = 100", call_row, "logs");
	else if (strstr(f->path, "calllog.db") || strstr(f->path, "logs.db")) {
		fx_android_problem(a, f, "no calls table: not a call log layout this version knows");
		ret = -1;
	}
	fx_android_sqlite_close(a, db);
	return ret;
}
