/*
 * Browsers with their own databases: the stock Android browser, QQ Browser
 * and UC Browser.
 *
 * Stock browser (AOSP packages/apps/Browser): browser2.db from
 * BrowserProvider2 (Android 3 to 4.x): history(title, url, created, date,
 * visits, user_entered), bookmarks(title, url, folder, parent, deleted,
 * account_name, created, modified), searches(search, date); and the older
 * browser.db, one bookmarks table for both (bookmark = 1 marks a
 * bookmark, visits and date the history). Dates are ms since 1970.
 *
 * QQ Browser (com.tencent.mtt) and UC Browser (com.UCMobile) publish no
 * schema. The layouts read here are the ones public forensic parsers
 * describe: QQ Browser's databases/database (history: ID, NAME, URL,
 * DATETIME), databases/<account>.db and default_user.db (mtt_bookmarks:
 * _id, title, url, created; search_history: ID, NAME, URL, DATETIME) and
 * databases/download_database (download: url, filename, totalsize,
 * createdate, donedate); UC Browser's databases/history (history: name,
 * url, original_url, visited_time, visited_count; a search shows as a
 * page named "网页搜索_<term>") and databases/<account>.db (bookmark: luid,
 * parent_id, title, url, folder, create_time, last_modify_time). They are
 * not trusted: every column is looked up by name and left out when
 * absent, and since the time unit is not documented either, it is taken
 * from the magnitude (fx_web_guess_unit) and written in time_unit.
 */
#include <stdlib.h>
#include <string.h>

#include "android_int.h"
#include "web_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

const char *const fx_android_stock_browser_patterns[] = {
	"*/com.android.browser/databases/browser2.db",
	"*/com.android.browser/databases/browser.db",
	NULL,
};

const char *const fx_android_qqbrowser_patterns[] = {
	"*/com.tencent.mtt/databases/database",
	"*/com.tencent.mtt/databases/default_user.db",
	"*/com.tencent.mtt/databases/[0-9]*.db",
	"*/com.tencent.mtt/databases/download_database",
	NULL,
};

const char *const fx_android_ucbrowser_patterns[] = {
	"*/com.UCMobile/databases/history",
	"*/com.UCMobile/databases/default_user.db",
	"*/com.UCMobile/databases/[0-9]*.db",
	"*/com.UCMobile.intl/databases/history",
	"*/com.UCMobile.intl/databases/default_user.db",
	"*/com.UCMobile.intl/databases/[0-9]*.db",
	NULL,
};

#define FOLDER_DEPTH 64

/* How a table names its bookmark tree. */
struct tree {
	const char *table, *id, *parent, *title;
	sqlite3_stmt *up; /* SELECT parent, title FROM table WHERE id = ? */
	const char *table_name; /* for src */
	int unit;               /* the time unit of its dates; -1: guess */
	const char *created, *modified;
};

/* The titles of the folders above a bookmark, outermost first, joined by '/'. */
static json_t *folder_path(struct tree *t, sqlite3_stmt *st)
{
	const char *names[FOLDER_DEPTH];
	char *joined = NULL, *next;
	json_t *v = NULL, *titles;
	int64_t id, seen[FOLDER_DEPTH];
	int n = 0, i, k;

	if (!t->up || !fx_android_has(st, t->parent))
		return NULL;
	id = fx_android_num(st, t->parent, 0);
	/* Walk up, holding the titles as JSON strings for the output. */
	titles = json_array();
	while (n < FOLDER_DEPTH) {
		for (k = 0; k < n && seen[k] != id; k++)
			;
		if (k < n)
			break; /* a loop */
		sqlite3_reset(t->up);
		sqlite3_bind_int64(t->up, 1, id);
		if (sqlite3_step(t->up) != SQLITE_ROW)
			break;
		seen[n] = id;
		json_array_insert_new(titles, 0,
				      sqlite3_column_type(t->up, 1) == SQLITE_NULL ?
					      json_string("") :
					      fx_json_text(sqlite3_column_text(t->up, 1),
							   (size_t)sqlite3_column_bytes(t->up, 1)));
		n++;
		if (sqlite3_column_type(t->up, 0) == SQLITE_NULL)
			break;
		id = sqlite3_column_int64(t->up, 0);
	}
	for (i = 0; i < n; i++) {
		names[i] = json_string_value(json_array_get(titles, (size_t)i));
		if (!names[i])
			break; /* a title that is not UTF-8: give the folder up */
	}
	if (n && i == n) {
		for (i = 0; i < n; i++) {
			next = joined ? fx_xasprintf("%s/%s", joined, names[i]) : fx_xstrdup(names[i]);
			free(joined);
			joined = next;
		}
		v = json_string(joined);
		free(joined);
	}
	json_decref(titles);
	return v;
}

static int unit_of(const struct tree *t, int64_t raw)
{
	return t->unit >= 0 ? t->unit : fx_web_guess_unit(raw);
}

static int bookmark(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	struct tree *t = ctx;
	json_t *rec, *data, *folder;
	int64_t v;

	/* Folders are only names on the way to a bookmark. */
	if (fx_android_num(st, "folder", 0) != 0 || fx_android_num(st, "bookmark", 1) == 0 ||
	    !fx_android_has(st, "url"))
		return 0;
	rec = fx_web_record(a, "bookmark", f, t->table_name, st);
	data = json_object_get(rec, "data");
	fx_android_text(data, "title", st, "title");
	fx_android_text(data, "url", st, "url");
	if ((folder = folder_path(t, st)) != NULL)
		json_object_set_new(data, "folder", folder);
	fx_android_text(data, "guid", st, "guid");
	fx_android_bool(data, "deleted", st, "deleted");
	fx_android_text(data, "account", st, "account_name");
	v = fx_android_num(st, t->modified, 0);
	fx_web_time(data, "modified", v, unit_of(t, v));
	v = fx_android_num(st, t->created, 0);
	fx_android_time(rec, v, unit_of(t, v));
	return fx_android_emit(a, rec);
}

static int bookmarks(struct fx_android *a, const struct fx_afile *f, sqlite3 *db,
		     struct tree *t)
{
	char *sql = fx_xasprintf("SELECT \"%s\", \"%s\" FROM \"%s\" WHERE \"%s\" = ?", t->parent,
				 t->title, t->table, t->id);
	int ret;

	t->table_name = t->table;
	if (sqlite3_prepare_v2(db, sql, -1, &t->up, NULL) != SQLITE_OK)
		t->up = NULL; /* no such columns: bookmarks without their folders */
	free(sql);
	ret = fx_android_rows(a, f, db, t->table, "", bookmark, t);
	sqlite3_finalize(t->up);
	t->up = NULL;
	return ret;
}

/* How a table names its history columns. */
struct hist {
	const char *table;
	const char *title, *url, *count, *time, *created;
	int unit; /* -1: guess */
	const char *search_prefix; /* a title starting so is also a search (UC) */
};

static int visit_row(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st,
		     void *ctx)
{
	struct hist *h = ctx;
	json_t *rec, *data, *title;
	int64_t t = fx_android_num(st, h->time, 0), c;
	int unit = h->unit >= 0 ? h->unit : fx_web_guess_unit(t);
	const char *s;
	size_t plen;

	/* browser.db keeps bookmarks never visited in the same table. */
	if (strcmp(h->table, "bookmarks") == 0 && fx_android_num(st, "visits", 0) == 0 && t == 0)
		return 0;
	rec = fx_web_record(a, "visit", f, h->table, st);
	data = json_object_get(rec, "data");
	fx_android_text(data, "url", st, h->url);
	fx_android_text(data, "title", st, h->title);
	fx_android_text(data, "original_url", st, "original_url");
	fx_android_int(data, "visit_count", st, h->count);
	if (h->created) {
		c = fx_android_num(st, h->created, 0);
		fx_web_time(data, "created", c, h->unit >= 0 ? h->unit : fx_web_guess_unit(c));
	}
	fx_android_time(rec, t, unit);
	title = json_incref(json_object_get(data, "title"));
	if (fx_android_emit(a, rec) < 0) {
		json_decref(title);
		return -1;
	}
	s = json_string_value(title);
	plen = h->search_prefix ? strlen(h->search_prefix) : 0;
	if (s && plen && strncmp(s, h->search_prefix, plen) == 0) {
		rec = fx_web_record(a, "search", f, h->table, st);
		data = json_object_get(rec, "data");
		json_object_set_new(data, "term", json_string(s + plen));
		fx_android_text(data, "url", st, h->url);
		fx_android_time(rec, t, unit);
		json_decref(title);
		return fx_android_emit(a, rec);
	}
	json_decref(title);
	return 0;
}

static int search_row(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st,
		      void *ctx)
{
	struct hist *h = ctx;
	json_t *rec = fx_web_record(a, "search", f, h->table, st);
	json_t *data = json_object_get(rec, "data");
	int64_t t = fx_android_num(st, h->time, 0);

	fx_android_text(data, "term", st, h->title);
	if (h->url)
		fx_android_text(data, "url", st, h->url);
	fx_android_time(rec, t, h->unit >= 0 ? h->unit : fx_web_guess_unit(t));
	return fx_android_emit(a, rec);
}

int fx_android_parse_stock_browser(struct fx_android *a, const struct fx_afile *f)
{
	struct tree t = { "bookmarks", "_id", "parent", "title", NULL, NULL, FX_TIME_UNIX_MS,
			  "created", "modified" };
	struct hist h = { "history", "title", "url", "visits", "date", "created",
			  FX_TIME_UNIX_MS, NULL };
	struct hist s = { "searches", "search", NULL, NULL, "date", NULL, FX_TIME_UNIX_MS, NULL };
	sqlite3 *db = fx_android_sqlite(a, f);
	int ret = 0;

	if (!db)
		return -1;
	if (!fx_android_has_table(db, "bookmarks") && !fx_android_has_table(db, "history")) {
		fx_android_problem(a, f, "no bookmarks or history table: "
				   "not the Android browser's layout");
		fx_android_sqlite_close(a, db);
		return -1;
	}
	if (fx_android_has_table(db, "history")) {
		if (fx_android_rows(a, f, db, "history", "", visit_row, &h) < 0)
			ret = -1;
	} else if (fx_android_has_table(db, "bookmarks")) {
		/* browser.db: history rows live in bookmarks */
		h.table = "bookmarks";
		if (fx_android_rows(a, f, db, "bookmarks", "", visit_row, &h) < 0)
			ret = -1;
	}
	if (fx_android_has_table(db, "bookmarks") && bookmarks(a, f, db, &t) < 0)
		ret = -1;
	if (fx_android_has_table(db, "searches") &&
	    fx_android_rows(a, f, db, "searches", "", search_row, &s) < 0)
		ret = -1;
	fx_android_sqlite_close(a, db);
	return ret;
}

/* ---- QQ Browser ---- */

static int qq_download(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st,
		       void *ctx)
{
	json_t *rec = fx_web_record(a, "download", f, "download", st);
	json_t *data = json_object_get(rec, "data");
	int64_t t;

	fx_android_text(data, "url", st, "url");
	fx_android_text(data, "filename", st, "filename");
	fx_android_text(data, "target_path", st, "filepath");
	fx_android_int(data, "total_bytes", st, "totalsize");
	fx_android_int(data, "received_bytes", st, "downloadsize");
	fx_android_text(data, "referrer", st, "referer");
	fx_android_text(data, "mime", st, "mimetype");
	t = fx_android_num(st, "donedate", 0);
	fx_web_time(data, "end", t, fx_web_guess_unit(t));
	t = fx_android_num(st, "createdate", 0);
	fx_android_time(rec, t, fx_web_guess_unit(t));
	return fx_android_emit(a, rec);
}

/* Reads table's rows with fn when db has it; notes that it did and whether it failed. */
static void rows_if(struct fx_android *a, const struct fx_afile *f, sqlite3 *db, const char *table,
		    fx_android_row_fn fn, void *ctx, int *any, int *ret)
{
	if (!fx_android_has_table(db, table))
		return;
	*any = 1;
	if (fx_android_rows(a, f, db, table, "", fn, ctx) < 0)
		*ret = -1;
}

static void bookmarks_if(struct fx_android *a, const struct fx_afile *f, sqlite3 *db,
			 struct tree *t, int *any, int *ret)
{
	if (!fx_android_has_table(db, t->table))
		return;
	*any = 1;
	if (bookmarks(a, f, db, t) < 0)
		*ret = -1;
}

/*
 * A named database with none of the tables known is another layout: say
 * so. Databases named by digits (one an account) hold other things too.
 */
static int check_layout(struct fx_android *a, const struct fx_afile *f, int any, const char *what)
{
	const char *base = strrchr(f->path, '/');

	base = base ? base + 1 : f->path;
	if (any || (base[0] >= '0' && base[0] <= '9'))
		return 0;
	fx_android_problem(a, f, "%s", what);
	return -1;
}

int fx_android_parse_qqbrowser(struct fx_android *a, const struct fx_afile *f)
{
	struct hist h = { "history", "NAME", "URL", "visit_count", "DATETIME", NULL, -1, NULL };
	struct hist s = { "search_history", "NAME", "URL", NULL, "DATETIME", NULL, -1, NULL };
	struct tree t = { "mtt_bookmarks", "_id", "parent_id", "title", NULL, NULL, -1,
			  "created", "modified" };
	sqlite3 *db = fx_android_sqlite(a, f);
	int ret = 0, any = 0;

	if (!db)
		return -1;
	rows_if(a, f, db, "history", visit_row, &h, &any, &ret);
	bookmarks_if(a, f, db, &t, &any, &ret);
	rows_if(a, f, db, "search_history", search_row, &s, &any, &ret);
	rows_if(a, f, db, "download", qq_download, NULL, &any, &ret);
	if (check_layout(a, f, any, "no history, mtt_bookmarks, search_history or download "
			 "table: not a QQ Browser layout this version knows") < 0)
		ret = -1;
	fx_android_sqlite_close(a, db);
	return ret;
}

/* ---- UC Browser ---- */

int fx_android_parse_ucbrowser(struct fx_android *a, const struct fx_afile *f)
{
	struct hist h = { "history", "name", "url", "visited_count", "visited_time", NULL, -1,
			  "网页搜索_" };
	struct tree t = { "bookmark", "luid", "parent_id", "title", NULL, NULL, -1,
			  "create_time", "last_modify_time" };
	sqlite3 *db = fx_android_sqlite(a, f);
	int ret = 0, any = 0;

	if (!db)
		return -1;
	rows_if(a, f, db, "history", visit_row, &h, &any, &ret);
	bookmarks_if(a, f, db, &t, &any, &ret);
	if (check_layout(a, f, any, "no history or bookmark table: "
			 "not a UC Browser layout this version knows") < 0)
		ret = -1;
	fx_android_sqlite_close(a, db);
	return ret;
}
