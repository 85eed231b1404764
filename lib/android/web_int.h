/*
 * web_int.h - what the browser and web-storage parsers of lib/android/
 * (browsers.c, browsers_apps.c, webstorage.c) share: reading SQLite rows
 * by column name, since every browser and version lays its tables out a
 * little differently, and naming the app a file belongs to.
 */
#ifndef FX_WEB_INT_H
#define FX_WEB_INT_H

#include "fx_android.h"

/*
 * data[key] = raw in unit (fx_time.h) as an RFC 3339 time, unless raw is 0
 * (browsers' "never") or out of range; the raw value is then still in the
 * row the record's src names.
 */
void fx_web_time(json_t *data, const char *key, int64_t raw, int unit);

/*
 * The unit of a time column whose unit the app does not document: ms since
 * 1970 when raw is at least 10^11 (after 1973 in ms, after year 5138 in
 * seconds), else seconds since 1970.
 */
int fx_web_guess_unit(int64_t raw);

/*
 * Every column of st's current row as an object (column name -> value as
 * fx_android_set_text gives it), leaving out NULLs and the names in skip
 * (NULL-terminated; may be NULL). New reference.
 */
json_t *fx_web_row(sqlite3_stmt *st, const char *const *skip);

/*
 * Sets data.package (the app the path belongs to: the folder before
 * app_chrome, app_webview, databases…) and data.browser (its name when
 * known: "Chrome", "Samsung Internet", "QQ Browser"…; "WebView" for an
 * app's embedded WebView, app_webview/ or databases/webview*; else the
 * package).
 */
void fx_web_app(json_t *data, const char *path);


/*
 * A new record of type from the current row of st (table, rowid in column
 * 0), with data.package and data.browser set. New reference.
 */
json_t *fx_web_record(struct fx_android *a, const char *type, const struct fx_afile *f,
		      const char *table, sqlite3_stmt *st);

/*
 * UTF-16LE bytes as a JSON string, or {"hex":…} of the bytes when they are
 * not well-formed UTF-16 (odd length, unpaired surrogate) or hold a NUL.
 * New reference.
 */
json_t *fx_web_utf16(const void *bytes, size_t len);

#endif
