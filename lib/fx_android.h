/*
 * fx_android.h - what the artifact parsers of lib/android/ share: the
 * files an Android acquisition stored, a way to open an SQLite database
 * among them safely, and the making of records with their provenance.
 *
 * A parser names the files it wants by pattern (fnmatch(3) without
 * FNM_PATHNAME, so '*' also matches '/'), never by fixed path, so that any
 * root depth and layout works: /data/data, /data/user/N, /data/user_de/N,
 * a tree under filesystem1/ or fs/, a dual-app user such as 95.
 */
#ifndef FX_ANDROID_H
#define FX_ANDROID_H

#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "fx_hash.h"

struct fx_android;

/* A file of the source, stored in the case. Borrowed from the acquisition. */
struct fx_afile {
	char *path; /* safe relative path in the source */
	char sha256[FX_SHA256_HEX];
	uint64_t size;
	int64_t mtime_ms;
};

/* A parser of one family of artifacts (lib/android/artifacts.c lists them). */
struct fx_artifact {
	const char *name;            /* for messages: "sms" */
	int phase;                   /* 0: device details, read first; 1: artifacts */
	const char *const *patterns; /* NULL-terminated */
	/* Returns 0, or -1 when the file could not be parsed (reported). */
	int (*parse)(struct fx_android *a, const struct fx_afile *f);
};

/* The registered parsers; *n gets the count. Borrowed (static). */
const struct fx_artifact *fx_android_artifacts(size_t *n);

/* The stored file at path, or at f's path with suffix ("-wal"); else NULL. */
const struct fx_afile *fx_android_find(struct fx_android *a, const char *path);
const struct fx_afile *fx_android_sibling(struct fx_android *a, const struct fx_afile *f,
					  const char *suffix);

/*
 * Calls fn for each stored file under the folder dir (a path of the source,
 * without a trailing '/'), at any depth, in path order, with object the
 * path of its stored copy in the case (borrowed; evidence: read it, never
 * write it). Stops at the first non-zero return of fn and returns that;
 * else 0.
 */
typedef int (*fx_android_file_fn)(const struct fx_afile *f, const char *object, void *ctx);
int fx_android_under(struct fx_android *a, const char *dir, fx_android_file_fn fn, void *ctx);

/*
 * Opens f as an SQLite database without touching the evidence: the object
 * and its -wal and -journal siblings (when the source had them) are copied
 * to a scratch folder in the case, where SQLite applies them; the
 * connection is read-only. Returns NULL after reporting (a corrupt file,
 * not a database). Close with fx_android_sqlite_close(), which removes the
 * scratch copy.
 */
sqlite3 *fx_android_sqlite(struct fx_android *a, const struct fx_afile *f);
void fx_android_sqlite_close(struct fx_android *a, sqlite3 *db);
/* True when db has a table called name. */
int fx_android_has_table(sqlite3 *db, const char *name);

/* The whole object in memory (at most max bytes); caller frees. NULL after reporting. */
char *fx_android_bytes(struct fx_android *a, const struct fx_afile *f, size_t max, size_t *len);

/*
 * Opens the object of f read-only, for parsers that read large files in
 * parts (pread) instead of whole. Returns the descriptor (caller closes),
 * or -1 after reporting (counted as a problem).
 */
int fx_android_open(struct fx_android *a, const struct fx_afile *f);

/*
 * A new record of type with its envelope: case, device, tool, and src
 * (sha256 and path of f; table and rowid when table is not NULL). New
 * reference; fill data, set time, then fx_android_emit().
 */
json_t *fx_android_record(struct fx_android *a, const char *type, const struct fx_afile *f,
			  const char *table, int64_t rowid);
/* Stores (in the case) and writes the record. Steals rec. Returns 0 or -1. */
int fx_android_emit(struct fx_android *a, json_t *rec);

/* Reports a problem with f ("path: …"), counted for the exit status. */
void fx_android_problem(struct fx_android *a, const struct fx_afile *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Notes a detail of the device (model, serial, imei…) read from f; the
 * first value wins. The device record names the files its details came from.
 */
void fx_android_device_set(struct fx_android *a, const struct fx_afile *f, const char *field,
			   const char *value);

/* The Android user a path belongs to (…/user/10/…, …/user_de/95/…), else 0. */
int fx_android_user(const char *path);

/* Sets rec's time from raw (see fx_time.h units) and keeps raw and unit in data. */
void fx_android_time(json_t *rec, int64_t raw, int unit);

/* The index of the column called name (any case) in st's result, or -1. */
int fx_android_col(sqlite3_stmt *st, const char *name);
/* True when the column called name is present and not NULL. */
int fx_android_has(sqlite3_stmt *st, const char *name);
/* The integer in the column called name, or dflt when absent or NULL. */
int64_t fx_android_num(sqlite3_stmt *st, const char *name, int64_t dflt);

/*
 * data[key] from the column called name, when present and not NULL: text
 * exactly as stored (hex when not UTF-8, see fx_android_set_text), an
 * integer, or a boolean (non-zero is true).
 */
void fx_android_text(json_t *data, const char *key, sqlite3_stmt *st, const char *name);
void fx_android_int(json_t *data, const char *key, sqlite3_stmt *st, const char *name);
void fx_android_bool(json_t *data, const char *key, sqlite3_stmt *st, const char *name);


/*
 * Runs "SELECT rowid AS fx_rowid, * FROM table" (with where, e.g. " WHERE
 * …", appended; may be "") in rowid order and calls fn for each row; the
 * row's rowid is column 0. fn returns 0 to go on, -1 to stop (a failed
 * emit). A query that cannot be prepared or a table that turns out damaged
 * is reported naming f and table. Returns 0, or -1 when reported or stopped.
 */
typedef int (*fx_android_row_fn)(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st,
			     void *ctx);
int fx_android_rows(struct fx_android *a, const struct fx_afile *f, sqlite3 *db, const char *table,
		const char *where, fx_android_row_fn fn, void *ctx);

/* Column helpers: a text column as a JSON string (or hex when not UTF-8), NULL as absent. */
void fx_android_set_text(json_t *data, const char *key, sqlite3_stmt *st, int col);
void fx_android_set_int(json_t *data, const char *key, sqlite3_stmt *st, int col);

#endif
