/*
 * Chromium-family browsers: Chrome (app_chrome/Default), Samsung Internet
 * (app_sbrowser/Default), and any app's embedded WebView (app_webview/ or
 * app_webview/Default/; WebView 4.4 kept its cookies in
 * databases/webviewCookiesChromium.db). The layouts are Chromium's:
 *   History     components/history/core/browser: url_database.cc (urls),
 *               visit_database.cc (visits, visit_source),
 *               keyword_search_terms, download_database.cc (downloads,
 *               downloads_url_chains)
 *   Cookies     net/extras/sqlite/sqlite_persistent_cookie_store.cc
 *   Login Data  components/password_manager/core/browser/login_database.cc
 *   Web Data    components/autofill/core/browser/webdata/autofill_table.cc
 *   Bookmarks   JSON (components/bookmarks/browser/bookmark_codec.cc)
 * Times are µs since 1601 (FX_TIME_WEBKIT_US) except the autofill tables',
 * which are seconds since 1970. Columns are read by name: they come and go
 * across versions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "android_int.h"
#include "web_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

#define ROOTS(file)                                                                      \
	"*/app_chrome/Default/" file, "*/app_sbrowser/Default/" file,                   \
		"*/app_webview/Default/" file, "*/app_webview/" file

const char *const fx_android_chrome_history_patterns[] = { ROOTS("History"), NULL };
const char *const fx_android_chrome_cookies_patterns[] = {
	ROOTS("Cookies"), ROOTS("Network/Cookies"), "*/app_core_ucmobile/Cookies",
	"*/databases/webviewCookiesChromium.db", "*/databases/webviewCookiesChromiumPrivate.db",
	NULL,
};
const char *const fx_android_chrome_logins_patterns[] = {
	ROOTS("Login Data"), ROOTS("Login Data For Account"), NULL,
};
const char *const fx_android_chrome_webdata_patterns[] = { ROOTS("Web Data"), NULL };
const char *const fx_android_chrome_bookmarks_patterns[] = { ROOTS("Bookmarks"), NULL };

/* ---- History ---- */

/* ui::PageTransition (ui/base/page_transition_types.h): the core type, in the low byte. */
static const char *const cores[] = {
	"link", "typed", "auto_bookmark", "auto_subframe", "manual_subframe", "generated",
	"auto_toplevel", "form_submit", "reload", "keyword", "keyword_generated",
};

/* And the qualifiers, in the high bits (from_api_2 and _3 were experiments until 2021). */
static const struct {
	uint32_t bit;
	const char *name;
} qualifiers[] = {
	{ 0x00200000, "from_api_3" },       { 0x00400000, "from_api_2" },
	{ 0x00800000, "blocked" },          { 0x01000000, "forward_back" },
	{ 0x02000000, "from_address_bar" }, { 0x04000000, "home_page" },
	{ 0x08000000, "from_api" },         { 0x10000000, "chain_start" },
	{ 0x20000000, "chain_end" },        { 0x40000000, "client_redirect" },
	{ 0x80000000, "server_redirect" },
};

static void transition(json_t *data, int64_t raw)
{
	uint32_t t = (uint32_t)raw;
	json_t *q = json_array();
	size_t i;

	json_object_set_new(data, "transition", json_integer(raw));
	json_object_set_new(data, "transition_core",
			    json_string((t & 0xff) < sizeof(cores) / sizeof(cores[0]) ?
						cores[t & 0xff] : "unknown"));
	for (i = 0; i < sizeof(qualifiers) / sizeof(qualifiers[0]); i++)
		if (t & qualifiers[i].bit)
			json_array_append_new(q, json_string(qualifiers[i].name));
	json_object_set_new(data, "transition_qualifiers", q);
}

/* history::VisitSource; a visit without a visit_source row was browsed here. */
static const char *visit_source(int64_t s)
{
	switch (s) {
	case 0: return "synced";
	case 1: return "browsed";
	case 2: return "extension";
	case 3: return "firefox_imported";
	case 4: return "ie_imported";
	case 5: return "safari_imported";
	default: return "unknown";
	}
}

struct history {
	sqlite3_stmt *url;    /* SELECT * FROM urls WHERE id = ? */
	sqlite3_stmt *source; /* SELECT source FROM visit_source WHERE id = ? */
	sqlite3_stmt *chain;  /* SELECT url FROM downloads_url_chains WHERE id = ? */
};

/* Steps h->url to the urls row of id; returns 1 when there is one (reset it after). */
static int url_row(struct history *h, int64_t id)
{
	if (!h->url)
		return 0;
	sqlite3_reset(h->url);
	sqlite3_bind_int64(h->url, 1, id);
	return sqlite3_step(h->url) == SQLITE_ROW;
}

static void url_fields(json_t *data, sqlite3_stmt *u)
{
	fx_android_text(data, "url", u, "url");
	fx_android_text(data, "title", u, "title");
	fx_android_int(data, "visit_count", u, "visit_count");
	fx_android_int(data, "typed_count", u, "typed_count");
	fx_android_bool(data, "hidden", u, "hidden");
}

static int visit(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	struct history *h = ctx;
	json_t *rec = fx_web_record(a, "visit", f, "visits", st);
	json_t *data = json_object_get(rec, "data");
	int64_t url = fx_android_num(st, "url", 0);

	json_object_set_new(data, "visit_id", json_integer(sqlite3_column_int64(st, 0)));
	fx_android_int(data, "url_id", st, "url");
	fx_android_int(data, "from_visit", st, "from_visit");
	/* Decoded only when it is a number: a damaged row is not made a "link". */
	if (fx_android_col(st, "transition") >= 0 &&
	    sqlite3_column_type(st, fx_android_col(st, "transition")) == SQLITE_INTEGER)
		transition(data, fx_android_num(st, "transition", 0));
	fx_android_int(data, "visit_duration", st, "visit_duration");
	if (url_row(h, url))
		url_fields(data, h->url);
	if (h->source) {
		sqlite3_reset(h->source);
		sqlite3_bind_int64(h->source, 1, sqlite3_column_int64(st, 0));
		json_object_set_new(data, "source",
				    json_string(sqlite3_step(h->source) == SQLITE_ROW ?
							visit_source(sqlite3_column_int64(h->source, 0)) :
							"browsed"));
	}
	fx_android_time(rec, fx_android_num(st, "visit_time", 0), FX_TIME_WEBKIT_US);
	return fx_android_emit(a, rec);
}

/* A urls row that no visit names (the visits expired): its last visit. */
static int url_only(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	json_t *rec = fx_web_record(a, "visit", f, "urls", st);
	json_t *data = json_object_get(rec, "data");

	fx_android_int(data, "url_id", st, "id");
	url_fields(data, st);
	fx_android_time(rec, fx_android_num(st, "last_visit_time", 0), FX_TIME_WEBKIT_US);
	return fx_android_emit(a, rec);
}

static int search(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	struct history *h = ctx;
	json_t *rec = fx_web_record(a, "search", f, "keyword_search_terms", st);
	json_t *data = json_object_get(rec, "data");

	fx_android_text(data, "term", st, "term");
	fx_android_text(data, "normalized_term", st, "lower_term");
	fx_android_text(data, "normalized_term", st, "normalized_term");
	fx_android_int(data, "keyword_id", st, "keyword_id");
	fx_android_int(data, "url_id", st, "url_id");
	/* The search results page's last visit dates the search. */
	if (url_row(h, fx_android_num(st, "url_id", 0))) {
		fx_android_text(data, "url", h->url, "url");
		fx_android_time(rec, fx_android_num(h->url, "last_visit_time", 0), FX_TIME_WEBKIT_US);
	}
	return fx_android_emit(a, rec);
}

/* history::DownloadState (download_constants.h) */
static const char *download_state(int64_t s)
{
	switch (s) {
	case 0: return "in_progress";
	case 1: return "complete";
	case 2: return "cancelled";
	case 4: return "interrupted";
	default: return "unknown";
	}
}

/* history::DownloadDangerType (download_constants.h) */
static const char *const dangers[] = {
	"not_dangerous", "dangerous_file", "dangerous_url", "dangerous_content",
	"maybe_dangerous_content", "uncommon_content", "user_validated", "dangerous_host",
	"potentially_unwanted", "allowlisted_by_policy", "async_scanning",
	"blocked_password_protected", "blocked_too_large", "sensitive_content_warning",
	"sensitive_content_block", "deep_scanned_safe", "deep_scanned_opened_dangerous",
	"prompt_for_scanning", "blocked_unsupported_filetype", "dangerous_account_compromise",
};

static int download(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	struct history *h = ctx;
	json_t *rec = fx_web_record(a, "download", f, "downloads", st);
	json_t *data = json_object_get(rec, "data"), *chain = json_array(), *one;
	int64_t v;

	if (h->chain) {
		sqlite3_reset(h->chain);
		sqlite3_bind_int64(h->chain, 1, fx_android_num(st, "id", sqlite3_column_int64(st, 0)));
		while (sqlite3_step(h->chain) == SQLITE_ROW) {
			/* Each address as text, or hex when it is not UTF-8. */
			one = json_object();
			fx_android_set_text(one, "url", h->chain, 0);
			if (json_object_get(one, "url"))
				json_array_append(chain, json_object_get(one, "url"));
			json_decref(one);
		}
	}
	if (json_array_size(chain)) {
		/* The chain runs from the first request to the final address. */
		json_object_set(data, "url", json_array_get(chain, json_array_size(chain) - 1));
		json_object_set_new(data, "url_chain", chain);
	} else {
		json_decref(chain);
		fx_android_text(data, "url", st, "url"); /* before the chains table */
	}
	fx_android_text(data, "target_path", st, "full_path");
	fx_android_text(data, "target_path", st, "target_path");
	fx_android_text(data, "current_path", st, "current_path");
	fx_android_int(data, "received_bytes", st, "received_bytes");
	fx_android_int(data, "total_bytes", st, "total_bytes");
	if ((v = fx_android_num(st, "state", -100)) != -100) {
		json_object_set_new(data, "state", json_string(download_state(v)));
		json_object_set_new(data, "state_raw", json_integer(v));
	}
	if ((v = fx_android_num(st, "danger_type", -100)) != -100) {
		json_object_set_new(data, "danger",
				    json_string(v >= 0 && v < (int64_t)(sizeof(dangers) / sizeof(dangers[0])) ?
							dangers[v] : "unknown"));
		json_object_set_new(data, "danger_raw", json_integer(v));
	}
	fx_android_int(data, "interrupt_reason", st, "interrupt_reason");
	fx_android_text(data, "mime", st, "mime_type");
	fx_android_text(data, "original_mime", st, "original_mime_type");
	fx_android_text(data, "referrer", st, "referrer");
	fx_android_text(data, "site_url", st, "site_url");
	fx_android_text(data, "tab_url", st, "tab_url");
	fx_android_text(data, "tab_referrer_url", st, "tab_referrer_url");
	fx_android_text(data, "guid", st, "guid");
	fx_android_text(data, "etag", st, "etag");
	fx_android_text(data, "last_modified", st, "last_modified");
	fx_android_bool(data, "opened", st, "opened");
	fx_web_time(data, "end", fx_android_num(st, "end_time", 0), FX_TIME_WEBKIT_US);
	fx_web_time(data, "last_access", fx_android_num(st, "last_access_time", 0), FX_TIME_WEBKIT_US);
	fx_android_time(rec, fx_android_num(st, "start_time", 0), FX_TIME_WEBKIT_US);
	return fx_android_emit(a, rec);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *table, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (fx_android_has_table(db, table) &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		st = NULL;
	return st;
}

int fx_android_parse_chrome_history(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	struct history h = { NULL, NULL, NULL };
	int ret = 0, visits;

	if (!db)
		return -1;
	visits = fx_android_has_table(db, "visits");
	if (!fx_android_has_table(db, "urls") && !visits &&
	    !fx_android_has_table(db, "downloads")) {
		fx_android_problem(a, f, "no urls, visits or downloads table: "
				   "not a Chromium History database");
		fx_android_sqlite_close(a, db);
		return -1;
	}
	h.url = prepare(db, "urls", "SELECT * FROM urls WHERE id = ?");
	h.source = prepare(db, "visit_source", "SELECT source FROM visit_source WHERE id = ?");
	h.chain = prepare(db, "downloads_url_chains",
			  "SELECT url FROM downloads_url_chains WHERE id = ? ORDER BY chain_index");
	if (visits && fx_android_rows(a, f, db, "visits", "", visit, &h) < 0)
		ret = -1;
	if (fx_android_has_table(db, "urls") &&
	    fx_android_rows(a, f, db, "urls",
			visits ? " WHERE id NOT IN (SELECT url FROM visits)" : "", url_only, &h) < 0)
		ret = -1;
	if (fx_android_has_table(db, "keyword_search_terms") &&
	    fx_android_rows(a, f, db, "keyword_search_terms", "", search, &h) < 0)
		ret = -1;
	if (fx_android_has_table(db, "downloads") &&
	    fx_android_rows(a, f, db, "downloads", "", download, &h) < 0)
		ret = -1;
	sqlite3_finalize(h.url);
	sqlite3_finalize(h.source);
	sqlite3_finalize(h.chain);
	fx_android_sqlite_close(a, db);
	return ret;
}

/* ---- Cookies ---- */

static void first_bool(json_t *data, const char *key, sqlite3_stmt *st, const char *a,
		       const char *b)
{
	fx_android_bool(data, key, st, fx_android_col(st, a) >= 0 ? a : b);
}

static int cookie(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	json_t *rec = fx_web_record(a, "cookie", f, "cookies", st);
	json_t *data = json_object_get(rec, "data");
	int v = fx_android_col(st, "value"), e = fx_android_col(st, "encrypted_value");
	int64_t expires = fx_android_num(st, "expires_utc", 0);

	fx_android_text(data, "host", st, "host_key");
	fx_android_text(data, "name", st, "name");
	if (e >= 0 && sqlite3_column_bytes(st, e) > 0 &&
	    (v < 0 || sqlite3_column_bytes(st, v) == 0)) {
		/* Encrypted with the OS key store: kept as found. */
		json_object_set_new(data, "encrypted_value",
				    fx_json_hex(sqlite3_column_blob(st, e),
						(size_t)sqlite3_column_bytes(st, e)));
	} else if (v >= 0) {
		fx_android_set_text(data, "value", st, v);
	}
	fx_android_text(data, "path", st, "path");
	first_bool(data, "secure", st, "is_secure", "secure");
	first_bool(data, "httponly", st, "is_httponly", "httponly");
	first_bool(data, "persistent", st, "is_persistent", "persistent");
	fx_android_bool(data, "has_expires", st, "has_expires");
	fx_android_int(data, "samesite", st, "samesite");
	fx_android_int(data, "priority", st, "priority");
	fx_android_text(data, "top_frame_site_key", st, "top_frame_site_key");
	if (fx_android_has(st, "expires_utc"))
		json_object_set_new(data, "expires_raw", json_integer(expires));
	fx_web_time(data, "expires", expires, FX_TIME_WEBKIT_US);
	fx_web_time(data, "last_access", fx_android_num(st, "last_access_utc", 0), FX_TIME_WEBKIT_US);
	fx_web_time(data, "last_update", fx_android_num(st, "last_update_utc", 0), FX_TIME_WEBKIT_US);
	fx_android_time(rec, fx_android_num(st, "creation_utc", 0), FX_TIME_WEBKIT_US);
	return fx_android_emit(a, rec);
}

int fx_android_parse_chrome_cookies(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	int ret;

	if (!db)
		return -1;
	if (!fx_android_has_table(db, "cookies")) {
		fx_android_problem(a, f, "no cookies table: not a Chromium Cookies database");
		ret = -1;
	} else {
		ret = fx_android_rows(a, f, db, "cookies", "", cookie, NULL);
	}
	fx_android_sqlite_close(a, db);
	return ret;
}

/* ---- Login Data ---- */

/* µs since 1601; a value below 10^12 can only be seconds since 1970 (old versions). */
static int login_unit(int64_t raw)
{
	return raw > 0 && raw < 1000000000000LL ? FX_TIME_UNIX_S : FX_TIME_WEBKIT_US;
}

static int login(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	json_t *rec = fx_web_record(a, "login", f, "logins", st);
	json_t *data = json_object_get(rec, "data");
	int p = fx_android_col(st, "password_value");
	int64_t t;

	fx_android_text(data, "origin", st, "origin_url");
	fx_android_text(data, "action", st, "action_url");
	fx_android_text(data, "realm", st, "signon_realm");
	fx_android_text(data, "username", st, "username_value");
	fx_android_text(data, "username_element", st, "username_element");
	fx_android_text(data, "password_element", st, "password_element");
	/* Encrypted (or, on some builds, bytes as the app kept them): hex, never decoded. */
	if (p >= 0 && sqlite3_column_type(st, p) != SQLITE_NULL)
		json_object_set_new(data, "password",
				    fx_json_hex(sqlite3_column_blob(st, p),
						(size_t)sqlite3_column_bytes(st, p)));
	fx_android_int(data, "times_used", st, "times_used");
	fx_android_bool(data, "blocked", st, "blacklisted_by_user");
	fx_android_int(data, "scheme", st, "scheme");
	fx_android_text(data, "display_name", st, "display_name");
	fx_android_text(data, "federation_url", st, "federation_url");
	t = fx_android_num(st, "date_last_used", 0);
	fx_web_time(data, "last_used", t, login_unit(t));
	t = fx_android_num(st, "date_password_modified", 0);
	fx_web_time(data, "password_modified", t, login_unit(t));
	t = fx_android_num(st, "date_created", 0);
	fx_android_time(rec, t, login_unit(t));
	return fx_android_emit(a, rec);
}

int fx_android_parse_chrome_logins(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	int ret;

	if (!db)
		return -1;
	if (!fx_android_has_table(db, "logins")) {
		fx_android_problem(a, f, "no logins table: not a Chromium Login Data database");
		ret = -1;
	} else {
		ret = fx_android_rows(a, f, db, "logins", "", login, NULL);
	}
	fx_android_sqlite_close(a, db);
	return ret;
}

/* ---- Web Data: autofill ---- */

static int autofill_entry(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st,
			  void *ctx)
{
	json_t *rec = fx_web_record(a, "autofill", f, "autofill", st);
	json_t *data = json_object_get(rec, "data");

	json_object_set_new(data, "kind", json_string("entry"));
	fx_android_text(data, "name", st, "name");
	fx_android_text(data, "value", st, "value");
	fx_android_int(data, "count", st, "count");
	fx_web_time(data, "last_used", fx_android_num(st, "date_last_used", 0), FX_TIME_UNIX_S);
	fx_android_time(rec, fx_android_num(st, "date_created", 0), FX_TIME_UNIX_S);
	return fx_android_emit(a, rec);
}

struct webdata {
	sqlite3 *db;
	const char *table;
};

/* The rows of table whose guid is guid, each as an object without its guid column. */
static json_t *by_guid(sqlite3 *db, const char *table, sqlite3_stmt *owner)
{
	static const char *const skip[] = { "guid", NULL };
	sqlite3_stmt *st;
	json_t *rows;
	char *sql;
	int g = fx_android_col(owner, "guid");

	if (g < 0 || !fx_android_has_table(db, table))
		return NULL;
	sql = fx_xasprintf("SELECT * FROM \"%s\" WHERE guid = ? ORDER BY rowid", table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return NULL;
	}
	free(sql);
	sqlite3_bind_value(st, 1, sqlite3_column_value(owner, g));
	rows = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(rows, fx_web_row(st, skip));
	sqlite3_finalize(st);
	if (!json_array_size(rows)) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}

/* autofill_profiles, local_addresses, credit_cards, masked_credit_cards. */
static int autofill_other(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st,
			  void *ctx)
{
	static const char *const skip[] = {
		"fx_rowid", "guid", "id", "date_modified", "use_count", "use_date", "origin",
		"card_number_encrypted", "name_on_card", NULL,
	};
	static const struct {
		const char *table, *key;
	} subs[] = {
		{ "autofill_profile_names", "names" },
		{ "autofill_profile_emails", "emails" },
		{ "autofill_profile_phones", "phones" },
		{ "local_addresses_type_tokens", "tokens" },
	};
	struct webdata *w = ctx;
	json_t *rec = fx_web_record(a, "autofill", f, w->table, st);
	json_t *data = json_object_get(rec, "data"), *fields, *rows;
	int c = fx_android_col(st, "card_number_encrypted");
	int cards = strstr(w->table, "credit_cards") != NULL;
	size_t i;

	json_object_set_new(data, "kind",
			    json_string(strcmp(w->table, "masked_credit_cards") == 0 ? "server_card" :
					cards ? "card" : "profile"));
	fx_android_text(data, "guid", st, "guid");
	fx_android_text(data, "guid", st, "id");
	fx_android_text(data, "name", st, "name_on_card");
	fx_android_text(data, "origin", st, "origin");
	if (c >= 0 && sqlite3_column_type(st, c) != SQLITE_NULL)
		json_object_set_new(data, "card_number",
				    fx_json_hex(sqlite3_column_blob(st, c),
						(size_t)sqlite3_column_bytes(st, c)));
	fx_android_int(data, "count", st, "use_count");
	fx_web_time(data, "last_used", fx_android_num(st, "use_date", 0), FX_TIME_UNIX_S);
	fields = fx_web_row(st, skip);
	for (i = 0; !cards && i < sizeof(subs) / sizeof(subs[0]); i++)
		if ((rows = by_guid(w->db, subs[i].table, st)) != NULL)
			json_object_set_new(fields, subs[i].key, rows);
	json_object_set_new(data, "fields", fields);
	fx_android_time(rec, fx_android_num(st, "date_modified", 0), FX_TIME_UNIX_S);
	return fx_android_emit(a, rec);
}

int fx_android_parse_chrome_webdata(struct fx_android *a, const struct fx_afile *f)
{
	static const char *const tables[] = {
		"autofill_profiles", "local_addresses", "credit_cards", "masked_credit_cards",
	};
	sqlite3 *db = fx_android_sqlite(a, f);
	struct webdata w;
	int ret = 0, any = 0;
	size_t i;

	if (!db)
		return -1;
	w.db = db;
	if (fx_android_has_table(db, "autofill")) {
		any = 1;
		if (fx_android_rows(a, f, db, "autofill", "", autofill_entry, NULL) < 0)
			ret = -1;
	}
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (!fx_android_has_table(db, tables[i]))
			continue;
		any = 1;
		w.table = tables[i];
		if (fx_android_rows(a, f, db, tables[i], "", autofill_other, &w) < 0)
			ret = -1;
	}
	if (!any) {
		fx_android_problem(a, f, "no autofill, autofill_profiles or credit_cards table: "
				   "not a Chromium Web Data database");
		ret = -1;
	}
	fx_android_sqlite_close(a, db);
	return ret;
}

/* ---- Bookmarks (JSON) ---- */

#define BOOKMARKS_MAX ((size_t)64 << 20)
#define BOOKMARKS_DEPTH 200

/* A WebKit µs value kept as a decimal string; 0 when absent or not a number. */
static int64_t webkit_string(json_t *v)
{
	const char *s = json_string_value(v);
	char *end;
	long long n;

	if (!s || !*s)
		return 0;
	errno = 0;
	n = strtoll(s, &end, 10);
	return errno || *end ? 0 : (int64_t)n;
}

static int bookmark_node(struct fx_android *a, const struct fx_afile *f, json_t *node,
			 const char *folder, const char *ptr, int depth)
{
	const char *type = json_string_value(json_object_get(node, "type"));
	const char *name = json_string_value(json_object_get(node, "name"));
	json_t *children = json_object_get(node, "children"), *rec, *data;
	char *path, *p;
	size_t i;
	int ret = 0;

	if (type && strcmp(type, "url") == 0) {
		rec = fx_android_record(a, "bookmark", f, NULL, 0);
		json_object_set_new(json_object_get(rec, "src"), "region", json_string(ptr));
		data = json_object_get(rec, "data");
		fx_web_app(data, f->path);
		if (name)
			json_object_set(data, "title", json_object_get(node, "name"));
		if (json_is_string(json_object_get(node, "url")))
			json_object_set(data, "url", json_object_get(node, "url"));
		if (folder)
			json_object_set_new(data, "folder", json_string(folder));
		if (json_is_string(json_object_get(node, "guid")))
			json_object_set(data, "guid", json_object_get(node, "guid"));
		if (json_is_string(json_object_get(node, "id")))
			json_object_set(data, "bookmark_id", json_object_get(node, "id"));
		fx_web_time(data, "last_used",
			    webkit_string(json_object_get(node, "date_last_used")), FX_TIME_WEBKIT_US);
		fx_android_time(rec, webkit_string(json_object_get(node, "date_added")),
				FX_TIME_WEBKIT_US);
		return fx_android_emit(a, rec);
	}
	if (!json_is_array(children))
		return 0;
	if (depth >= BOOKMARKS_DEPTH) {
		fx_android_problem(a, f, "%s: folders nested deeper than %d; not read", ptr,
				   BOOKMARKS_DEPTH);
		return 0;
	}
	if (folder && name)
		path = fx_xasprintf("%s/%s", folder, name);
	else
		path = name ? fx_xstrdup(name) : folder ? fx_xstrdup(folder) : NULL;
	for (i = 0; i < json_array_size(children) && ret == 0; i++) {
		p = fx_xasprintf("%s/children/%zu", ptr, i);
		ret = bookmark_node(a, f, json_array_get(children, i), path, p, depth + 1);
		free(p);
	}
	free(path);
	return ret;
}

int fx_android_parse_chrome_bookmarks(struct fx_android *a, const struct fx_afile *f)
{
	json_error_t err;
	json_t *doc, *roots, *node;
	const char *key;
	size_t len;
	char *buf, *ptr;
	int ret = 0;

	buf = fx_android_bytes(a, f, BOOKMARKS_MAX, &len);
	if (!buf)
		return -1;
	doc = json_loadb(buf, len, 0, &err);
	free(buf);
	roots = json_object_get(doc, "roots");
	if (!json_is_object(roots)) {
		if (doc)
			fx_android_problem(a, f, "no \"roots\" object: not a Chromium Bookmarks file");
		else
			fx_android_problem(a, f, "not JSON (line %d, offset %d: %s): "
					   "not a Chromium Bookmarks file",
					   err.line, err.position, err.text);
		json_decref(doc);
		return -1;
	}
	json_object_foreach(roots, key, node) {
		if (!json_is_object(node))
			continue;
		ptr = fx_xasprintf("/roots/%s", key);
		ret = bookmark_node(a, f, node, NULL, ptr, 0);
		free(ptr);
		if (ret < 0)
			break;
	}
	json_decref(doc);
	return ret;
}
