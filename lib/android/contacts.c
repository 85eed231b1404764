/*
 * Contacts from the contacts provider's contacts2.db (AOSP
 * ContactsDatabaseHelper): raw_contacts, and their data rows typed by
 * mimetypes: names, phone numbers, e-mail addresses, organisations. The
 * Samsung provider package keeps the same layout.
 */
#include <stdlib.h>
#include <string.h>

#include "android_int.h"
#include "fx_err.h"
#include "fx_time.h"
#include "fx_banned.h"

const char *const fx_android_contacts_patterns[] = {
	"*/databases/contacts2.db", NULL,
};

static void add_to(json_t *data, const char *key, json_t *v)
{
	json_t *arr = json_object_get(data, key);

	if (!arr) {
		arr = json_array();
		json_object_set_new(data, key, arr);
	}
	json_array_append_new(arr, v);
}

/* The data rows of one raw contact. */
static void contact_data(sqlite3 *db, int64_t raw_id, json_t *data)
{
	sqlite3_stmt *st;
	const char *mt;
	json_t *v;

	if (sqlite3_prepare_v2(db, "SELECT m.mimetype, d.data1, d.data2, d.data3, d.data4"
				   " FROM data d JOIN mimetypes m ON d.mimetype_id = m._id"
				   " WHERE d.raw_contact_id = ? ORDER BY d._id", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, raw_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		mt = (const char *)sqlite3_column_text(st, 0);
		if (!mt || sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;
		v = json_object();
		if (strcmp(mt, "vnd.android.cursor.item/phone_v2") == 0) {
			fx_android_set_text(v, "number", st, 1);
			fx_android_set_int(v, "kind", st, 2);
			fx_android_set_text(v, "label", st, 3);
			add_to(data, "phones", v);
		} else if (strcmp(mt, "vnd.android.cursor.item/email_v2") == 0) {
			fx_android_set_text(v, "address", st, 1);
			fx_android_set_int(v, "kind", st, 2);
			add_to(data, "emails", v);
		} else if (strcmp(mt, "vnd.android.cursor.item/organization") == 0) {
			fx_android_set_text(v, "company", st, 1);
			fx_android_set_text(v, "title", st, 4);
			add_to(data, "organizations", v);
		} else if (strcmp(mt, "vnd.android.cursor.item/name") == 0) {
			if (!json_object_get(data, "name"))
				fx_android_set_text(data, "name", st, 1);
			json_decref(v);
		} else if (strcmp(mt, "vnd.android.cursor.item/note") == 0) {
			fx_android_set_text(v, "text", st, 1);
			add_to(data, "notes", v);
		} else {
			json_decref(v);
		}
	}
	sqlite3_finalize(st);
}

int fx_android_parse_contacts(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	sqlite3_stmt *st;
	json_t *rec, *data;
	int rc, has_accounts;
	int64_t id;

	if (!db)
		return -1;
	if (!fx_android_has_table(db, "raw_contacts") || !fx_android_has_table(db, "data") ||
	    !fx_android_has_table(db, "mimetypes")) {
		fx_android_problem(a, f, "no raw_contacts, data and mimetypes tables:"
				   " not the AOSP contacts layout, no contacts read");
		fx_android_sqlite_close(a, db);
		return -1;
	}
	/* Since Android 7 the account is a row of accounts; before, columns of raw_contacts. */
	has_accounts = fx_android_has_table(db, "accounts");
	rc = sqlite3_prepare_v2(db, has_accounts
		? "SELECT r._id, r.display_name, r.deleted, r.starred, r.times_contacted,"
		  " r.last_time_contacted, a.account_name, a.account_type"
		  " FROM raw_contacts r LEFT JOIN accounts a ON r.account_id = a._id ORDER BY r._id"
		: "SELECT _id, display_name, deleted, starred, times_contacted,"
		  " last_time_contacted, account_name, account_type FROM raw_contacts ORDER BY _id",
		-1, &st, NULL);
	if (rc != SQLITE_OK) {
		fx_android_problem(a, f, "cannot read raw_contacts: %s", sqlite3_errmsg(db));
		fx_android_sqlite_close(a, db);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		rec = fx_android_record(a, "contact", f, "raw_contacts", id);
		data = json_object_get(rec, "data");
		fx_android_set_text(data, "name", st, 1);
		json_object_set_new(data, "deleted", json_boolean(sqlite3_column_int64(st, 2)));
		json_object_set_new(data, "starred", json_boolean(sqlite3_column_int64(st, 3)));
		fx_android_set_int(data, "times_contacted", st, 4);
		fx_android_set_text(data, "account", st, 6);
		fx_android_set_text(data, "account_type", st, 7);
		contact_data(db, id, data);
		fx_android_time(rec, sqlite3_column_int64(st, 5), FX_TIME_UNIX_MS);
		if (fx_android_emit(a, rec) < 0)
			break;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		fx_android_problem(a, f, "raw_contacts is damaged: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	fx_android_sqlite_close(a, db);
	return 0;
}
