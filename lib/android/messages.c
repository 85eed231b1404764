/*
 * SMS and MMS from the telephony provider's mmssms.db (AOSP
 * packages/providers/TelephonyProvider: MmsSmsDatabaseHelper). SMS dates
 * are ms; MMS dates are seconds. MMS parts point at files under
 * app_parts/, which the walk stored: a part names its object.
 */
#include <stdlib.h>
#include <string.h>

#include "android_int.h"
#include "fx_buf.h"
#include "fx_record.h"
#include "fx_err.h"
#include "fx_time.h"
#include "fx_banned.h"

const char *const fx_android_mmssms_patterns[] = {
	"*/databases/mmssms.db", NULL,
};

/* Telephony.TextBasedSmsColumns.MESSAGE_TYPE_* */
static const char *sms_direction(int64_t type)
{
	switch (type) {
	case 1: return "in";
	case 2: return "out";
	case 3: return "draft";
	case 4: return "outbox";
	case 5: return "failed";
	case 6: return "queued";
	default: return "unknown";
	}
}

/* Telephony.BaseMmsColumns.MESSAGE_BOX_* */
static const char *mms_direction(int64_t box)
{
	switch (box) {
	case 1: return "in";
	case 2: return "out";
	case 3: return "draft";
	case 4: return "outbox";
	case 5: return "failed";
	default: return "unknown";
	}
}

/* Column index by name, or -1: layouts differ across versions and makers. */



static int sms_row(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	const char *table = ctx;
	json_t *rec, *data;
	int64_t type, v;

	rec = fx_android_record(a, "sms", f, table, sqlite3_column_int64(st, 0));
	data = json_object_get(rec, "data");
	fx_android_text(data, "address", st, "address");
	fx_android_text(data, "body", st, "body");
	type = fx_android_num(st, "type", 0);
	json_object_set_new(data, "direction", json_string(sms_direction(type)));
	json_object_set_new(data, "type", json_integer(type));
	if ((v = fx_android_num(st, "read", -1)) >= 0)
		json_object_set_new(data, "read", json_boolean(v));
	if ((v = fx_android_num(st, "seen", -1)) >= 0)
		json_object_set_new(data, "seen", json_boolean(v));
	if ((v = fx_android_num(st, "locked", -1)) >= 0)
		json_object_set_new(data, "locked", json_boolean(v));
	fx_android_text(data, "thread_id", st, "thread_id");
	fx_android_text(data, "subject", st, "subject");
	fx_android_text(data, "service_center", st, "service_center");
	fx_android_text(data, "status", st, "status");
	fx_android_text(data, "sub_id", st, "sub_id");
	fx_android_text(data, "creator", st, "creator");
	if ((v = fx_android_num(st, "date_sent", 0)) > 0) {
		char t[FX_TIME_LEN];

		if (fx_time_convert(v, FX_TIME_UNIX_MS, t) == 0)
			json_object_set_new(data, "sent", json_string(t));
	}
	if (strcmp(table, "sms") != 0)
		json_object_set_new(data, "spam", json_true());
	fx_android_time(rec, fx_android_num(st, "date", 0), FX_TIME_UNIX_MS);
	return fx_android_emit(a, rec);
}

/* PduHeaders: FROM 0x89 = 137, TO 0x97 = 151, CC 0x82 = 130, BCC 0x81 = 129. */
static void mms_addresses(sqlite3 *db, int64_t id, json_t *data)
{
	sqlite3_stmt *st;
	json_t *to = json_array();
	const char *addr;
	int64_t type;

	if (sqlite3_prepare_v2(db, "SELECT address, type FROM addr WHERE msg_id = ? ORDER BY _id",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			addr = (const char *)sqlite3_column_text(st, 0);
			type = sqlite3_column_int64(st, 1);
			if (!addr || strcmp(addr, "insert-address-token") == 0)
				continue;
			if (type == 137)
				json_object_set_new(data, "from", json_string(addr));
			else
				json_array_append_new(to, json_string(addr));
		}
		sqlite3_finalize(st);
	}
	if (json_array_size(to))
		json_object_set_new(data, "to", to);
	else
		json_decref(to);
}

/* The part file a part row names, among the files the walk stored. */
static const struct fx_afile *part_file(struct fx_android *a, const struct fx_afile *db,
					const char *data_path)
{
	const char *base = strrchr(data_path, '/');
	const char *dbs = strstr(db->path, "databases/mmssms.db");
	const struct fx_afile *p;
	char *path;

	if (!base || !dbs)
		return NULL;
	/* app_parts/ sits beside databases/ in the provider's folder. */
	path = fx_xasprintf("%.*sapp_parts%s", (int)(dbs - db->path), db->path, base);
	p = fx_android_find(a, path);
	free(path);
	return p;
}

static void mms_parts(struct fx_android *a, const struct fx_afile *f, sqlite3 *db, int64_t id,
		      json_t *data)
{
	sqlite3_stmt *st;
	json_t *parts = json_array(), *part;
	struct fx_buf text = FX_BUF_INIT;
	const struct fx_afile *pf;
	const char *ct, *t, *dp;

	if (sqlite3_prepare_v2(db, "SELECT _id, seq, ct, name, cl, _data, text FROM part"
				   " WHERE mid = ? ORDER BY seq, _id", -1, &st, NULL) != SQLITE_OK) {
		json_decref(parts);
		return;
	}
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ct = (const char *)sqlite3_column_text(st, 2);
		if (ct && strcmp(ct, "application/smil") == 0)
			continue;
		part = json_object();
		json_object_set_new(part, "part", json_integer(sqlite3_column_int64(st, 0)));
		fx_android_set_text(part, "content_type", st, 2);
		fx_android_set_text(part, "name", st, 3);
		fx_android_set_text(part, "location", st, 4);
		dp = (const char *)sqlite3_column_text(st, 5);
		if (dp) {
			json_object_set_new(part, "file", json_string(dp));
			pf = part_file(a, f, dp);
			if (pf) {
				json_object_set_new(part, "sha256", json_string(pf->sha256));
				json_object_set_new(part, "size", json_integer((json_int_t)pf->size));
			} else {
				json_object_set_new(part, "missing", json_true());
			}
		}
		t = (const char *)sqlite3_column_text(st, 6);
		if (t && ct && strncmp(ct, "text/", 5) == 0) {
			if (text.len)
				fx_buf_add(&text, "\n", 1);
			fx_buf_add(&text, t, (size_t)sqlite3_column_bytes(st, 6));
		}
		fx_android_set_text(part, "text", st, 6);
		json_array_append_new(parts, part);
	}
	sqlite3_finalize(st);
	if (text.len)
		json_object_set_new(data, "body", fx_json_text(text.data, text.len));
	fx_buf_release(&text);
	json_object_set_new(data, "parts", parts);
}

static int mms_row(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *db)
{
	json_t *rec, *data;
	int64_t id, v;

	id = sqlite3_column_int64(st, 0);
	rec = fx_android_record(a, "mms", f, "pdu", id);
	data = json_object_get(rec, "data");
	v = fx_android_num(st, "msg_box", 0);
	json_object_set_new(data, "direction", json_string(mms_direction(v)));
	json_object_set_new(data, "box", json_integer(v));
	fx_android_text(data, "subject", st, "sub");
	fx_android_text(data, "thread_id", st, "thread_id");
	fx_android_text(data, "message_id", st, "m_id");
	if ((v = fx_android_num(st, "read", -1)) >= 0)
		json_object_set_new(data, "read", json_boolean(v));
	mms_addresses(db, id, data);
	mms_parts(a, f, db, id, data);
	fx_android_time(rec, fx_android_num(st, "date", 0), FX_TIME_UNIX_S);
	return fx_android_emit(a, rec);
}

int fx_android_parse_mmssms(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	int ret = 0;

	if (!db)
		return -1;
	if (!fx_android_has_table(db, "sms") && !fx_android_has_table(db, "pdu")) {
		fx_android_problem(a, f, "no sms or pdu table: not the telephony provider's layout");
		ret = -1;
	}
	if (fx_android_has_table(db, "sms") && fx_android_rows(a, f, db, "sms", "", sms_row, "sms") < 0)
		ret = -1;
	/* Samsung keeps messages it judged spam apart. */
	if (fx_android_has_table(db, "spam_sms") &&
	    fx_android_rows(a, f, db, "spam_sms", "", sms_row, "spam_sms") < 0)
		ret = -1;
	if (fx_android_has_table(db, "pdu") && fx_android_rows(a, f, db, "pdu", "", mms_row, db) < 0)
		ret = -1;
	fx_android_sqlite_close(a, db);
	return ret;
}
