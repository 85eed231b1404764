/*
 * HTML5 web storage and the legacy WebView databases.
 *
 * Chromium's localStorage ("Local Storage/leveldb/") and persisted
 * sessionStorage ("Session Storage/") are LevelDB folders, read with
 * fx_leveldb.h: every key found comes out, the live ones and the deleted
 * or overwritten ones still in the logs and tables, each flagged
 * (data.live, data.deleted) and with the file, offset and sequence number
 * it came from. The stored objects are named by hash, so the folder's
 * files are first copied to a scratch folder in the case under their
 * original names; each data file is then read on its own, so that damage
 * is reported against the file of the source it is in, and which entry is
 * live is worked out across the files here.
 *
 * Before LevelDB, WebKit and Chromium kept localStorage in one SQLite file
 * per origin, "<scheme>_<host>_<port>.localstorage", whose ItemTable holds
 * key (text) and value (a UTF-16LE blob).
 *
 * The legacy WebKit WebView (Android 4.3 and before) kept each app's
 * cookies, saved passwords, HTTP authentication and form data in
 * databases/webview.db (expiry dates in ms since 1970) and the index of its
 * HTTP cache in databases/webviewCache.db, whose files are in
 * cache/webviewCache/.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "android_int.h"
#include "web_int.h"
#include "fx_err.h"
#include "fx_io.h"
#include "fx_leveldb.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

const char *const fx_android_leveldb_storage_patterns[] = {
	"*/Local Storage/leveldb/*", "*/Session Storage/*", NULL,
};
const char *const fx_android_localstorage_patterns[] = { "*.localstorage", NULL };
const char *const fx_android_webview_patterns[] = { "*/databases/webview.db", NULL };
const char *const fx_android_webview_cache_patterns[] = { "*/databases/webviewCache.db", NULL };

/* ---- LevelDB: Local Storage and Session Storage ---- */

struct lfile {
	const struct fx_afile *f;
	char *object; /* its stored copy */
};

/* An entry as read, copied out of the reader's buffers. */
struct lent {
	const struct fx_afile *f;
	enum fx_leveldb_kind kind;
	uint64_t offset, seq;
	uint32_t pos;
	int deleted, live;
	unsigned char *key, *value;
	size_t key_len, value_len;
};

struct ldb {
	const char *dir; /* the folder in the source */
	size_t dirlen;
	const struct fx_afile *first;
	struct lfile *files;
	size_t nfiles;
	const struct fx_afile *cur;
	struct lent *v;
	size_t n, cap, bytes;
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The files right in the folder, not in folders below it. */
static int direct(const struct ldb *l, const struct fx_afile *f)
{
	return strchr(f->path + l->dirlen + 1, '/') == NULL;
}

static int first_file(const struct fx_afile *f, const char *object, void *ctx)
{
	struct ldb *l = ctx;

	if (!direct(l, f))
		return 0;
	l->first = f;
	return 1;
}

static int add_file(const struct fx_afile *f, const char *object, void *ctx)
{
	struct ldb *l = ctx;

	if (direct(l, f)) {
		l->files = fx_xrealloc(l->files, (l->nfiles + 1) * sizeof(*l->files));
		l->files[l->nfiles].f = f;
		l->files[l->nfiles].object = fx_xstrdup(object);
		l->nfiles++;
	}
	return 0;
}

static int write_block(const void *buf, size_t n, void *ctx)
{
	const int *fd = ctx;

	if (fx_write_all(*fd, buf, n) < 0)
		return fx_error_errno("cannot write a scratch copy");
	return 0;
}

/* Copies the object from into the new file to. Returns 0 or -1 (reported). */
static int copy_file(const char *from, const char *to)
{
	uint64_t size;
	int fd, ret;

	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fx_error_errno("cannot write scratch copy '%s'", to);
	ret = fx_read_blocks(from, write_block, &fd, &size);
	if (close(fd) < 0 && ret == 0)
		ret = fx_error_errno("cannot write scratch copy '%s'", to);
	return ret;
}

/*
 * A scratch folder under the case's objects/tmp, found from the path of a
 * stored object (objects/ab/cdef…). Returns a malloc'd path or NULL
 * (reported).
 */
static char *make_scratch(const char *object)
{
	char *objects = fx_xstrdup(object), *p, *tmp, *dir = NULL;
	int k;

	for (k = 0; k < 2; k++)
		if ((p = strrchr(objects, '/')) != NULL)
			*p = '\0';
	tmp = fx_path_join(objects, "tmp");
	if (fx_mkdirs(tmp, 0755) == 0) {
		dir = fx_xasprintf("%s/leveldb-%ld-XXXXXX", tmp, (long)getpid());
		if (!mkdtemp(dir)) {
			fx_error_errno("cannot make scratch folder in '%s'", tmp);
			free(dir);
			dir = NULL;
		}
	}
	free(tmp);
	free(objects);
	return dir;
}

static void rm_scratch(const struct ldb *l, const char *dir)
{
	size_t i;
	char *p;

	for (i = 0; i < l->nfiles; i++) {
		p = fx_path_join(dir, l->files[i].f->path + l->dirlen + 1);
		unlink(p);
		free(p);
	}
	rmdir(dir);
}

static int collect(const struct fx_leveldb_entry *e, void *ctx)
{
	struct ldb *l = ctx;
	struct lent *c;

	l->bytes += e->key_len + e->value_len + sizeof(*c);
	if (l->bytes > FX_LEVELDB_MAX_MEMORY) {
		fx_error("'%s': more than %zu MiB of entries; too large to read", l->dir,
			 FX_LEVELDB_MAX_MEMORY >> 20);
		return 1;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = fx_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	c = &l->v[l->n++];
	c->f = l->cur;
	c->kind = e->kind;
	c->offset = e->offset;
	c->pos = e->pos;
	c->seq = e->seq;
	c->deleted = e->deleted;
	c->live = 0;
	c->key_len = e->key_len;
	c->key = fx_xmalloc(e->key_len + 1);
	memcpy(c->key, e->key, e->key_len);
	c->value_len = e->value_len;
	c->value = NULL;
	if (e->value) {
		c->value = fx_xmalloc(e->value_len + 1);
		memcpy(c->value, e->value, e->value_len);
	}
	return 0;
}

static int cmp_key_seq(const void *x, const void *y)
{
	const struct lent *a = *(const struct lent *const *)x, *b = *(const struct lent *const *)y;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);

	if (c)
		return c;
	if (a->key_len != b->key_len)
		return a->key_len < b->key_len ? -1 : 1;
	return a->seq < b->seq ? 1 : a->seq > b->seq ? -1 : 0;
}

/* Live: the highest sequence number of its key among all the files read. */
static void mark_live(struct ldb *l)
{
	struct lent **ix = fx_xmalloc((l->n ? l->n : 1) * sizeof(*ix));
	size_t i, k;

	for (i = 0; i < l->n; i++)
		ix[i] = &l->v[i];
	qsort(ix, l->n, sizeof(*ix), cmp_key_seq);
	for (i = 0; i < l->n; i = k) {
		for (k = i; k < l->n && cmp_key_seq(&ix[i], &ix[k]) == 0; k++)
			ix[k]->live = 1;
		while (k < l->n && ix[k]->key_len == ix[i]->key_len &&
		       memcmp(ix[k]->key, ix[i]->key, ix[i]->key_len) == 0)
			k++;
	}
	free(ix);
}

/* A decoded string: text, or {"hex":…} when the decoder flagged it. */
static void put_cr(json_t *data, const char *key, const char *s, int hex)
{
	if (!s)
		return;
	if (hex)
		json_object_set_new(data, key, json_pack("{s:s}", FX_KEY_HEX, s));
	else
		json_object_set_new(data, key, fx_json_text(s, strlen(s)));
}

static const char *entry_name(int type)
{
	switch (type) {
	case FX_LEVELDB_CR_LS_VERSION:
	case FX_LEVELDB_CR_SS_VERSION: return "version";
	case FX_LEVELDB_CR_LS_META: return "meta";
	case FX_LEVELDB_CR_LS_METAACCESS: return "access";
	case FX_LEVELDB_CR_LS_ITEM:
	case FX_LEVELDB_CR_SS_ITEM: return "item";
	case FX_LEVELDB_CR_SS_NEXT_MAP_ID: return "next_map_id";
	case FX_LEVELDB_CR_SS_NAMESPACE: return "namespace";
	default: return "other";
	}
}

/* The origin a Session Storage map belongs to, from the namespace entries (live first). */
static const struct fx_leveldb_chromium *map_origin(const struct ldb *l,
						    const struct fx_leveldb_chromium *cr,
						    const char *map_id)
{
	const struct fx_leveldb_chromium *found = NULL;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (cr[i].type != FX_LEVELDB_CR_SS_NAMESPACE || !cr[i].map_id || !cr[i].origin ||
		    strcmp(cr[i].map_id, map_id) != 0)
			continue;
		if (l->v[i].live && !l->v[i].deleted)
			return &cr[i];
		if (!found)
			found = &cr[i];
	}
	return found;
}

static int emit_entries(struct fx_android *a, struct ldb *l, int session)
{
	struct fx_leveldb_chromium *cr = fx_xmalloc((l->n ? l->n : 1) * sizeof(*cr));
	const struct fx_leveldb_chromium *ns;
	const struct lent *e;
	json_t *rec, *data, *src;
	size_t i;
	int ret = 0;

	for (i = 0; i < l->n; i++)
		fx_leveldb_chromium_key(l->v[i].key, l->v[i].key_len, l->v[i].value,
					l->v[i].value_len, &cr[i]);
	for (i = 0; i < l->n && ret == 0; i++) {
		e = &l->v[i];
		rec = fx_android_record(a, "storage", e->f, NULL, 0);
		src = json_object_get(rec, "src");
		json_object_set_new(src, "offset", json_integer((json_int_t)e->offset));
		json_object_set_new(src, "region",
				    json_string(e->kind == FX_LEVELDB_LOG ? "log" : "table"));
		data = json_object_get(rec, "data");
		fx_web_app(data, e->f->path);
		json_object_set_new(data, "kind", json_string(session ? "session" : "local"));
		json_object_set_new(data, "store", json_string("leveldb"));
		json_object_set_new(data, "entry", json_string(entry_name(cr[i].type)));
		json_object_set_new(data, "deleted", json_boolean(e->deleted));
		json_object_set_new(data, "live", json_boolean(e->live));
		json_object_set_new(data, "seq", json_integer((json_int_t)e->seq));
		json_object_set_new(data, "pos", json_integer(e->pos));
		if (cr[i].type == FX_LEVELDB_CR_OTHER) {
			json_object_set_new(data, "key", fx_json_text(e->key, e->key_len));
			if (e->value)
				json_object_set_new(data, "value",
						    fx_json_text(e->value, e->value_len));
		}
		put_cr(data, "origin", cr[i].origin, cr[i].hex & FX_LEVELDB_CR_ORIGIN_HEX);
		put_cr(data, "key", cr[i].key, cr[i].hex & FX_LEVELDB_CR_KEY_HEX);
		put_cr(data, "value", cr[i].value, cr[i].hex & FX_LEVELDB_CR_VALUE_HEX);
		put_cr(data, "namespace", cr[i].namespace_id, 0);
		put_cr(data, "map_id", cr[i].map_id, 0);
		if (cr[i].type == FX_LEVELDB_CR_SS_ITEM && cr[i].map_id &&
		    (ns = map_origin(l, cr, cr[i].map_id)) != NULL) {
			put_cr(data, "origin", ns->origin, ns->hex & FX_LEVELDB_CR_ORIGIN_HEX);
			put_cr(data, "namespace", ns->namespace_id, 0);
		}
		if (cr[i].has_size)
			json_object_set_new(data, "size", json_integer((json_int_t)cr[i].size));
		if (cr[i].has_last_modified)
			fx_android_time(rec, cr[i].last_modified, FX_TIME_WEBKIT_US);
		if (cr[i].has_last_accessed)
			fx_android_time(rec, cr[i].last_accessed, FX_TIME_WEBKIT_US);
		ret = fx_android_emit(a, rec);
	}
	for (i = 0; i < l->n; i++)
		fx_leveldb_chromium_release(&cr[i]);
	free(cr);
	return ret;
}

static const struct fx_afile *file_named(const struct ldb *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nfiles; i++)
		if (strcmp(l->files[i].f->path + l->dirlen + 1, name) == 0)
			return l->files[i].f;
	return NULL;
}

/* Reads the copies in scratch, data file by data file. Returns 0 or -1. */
static int read_folder(struct fx_android *a, struct ldb *l, const char *scratch)
{
	struct fx_leveldb_file *files;
	long n, i;
	char *p;
	int r, ret = 0, leveldb = 0;

	n = fx_leveldb_list(scratch, &files);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (files[i].kind != FX_LEVELDB_OTHER)
			leveldb = 1;
		if (files[i].kind != FX_LEVELDB_LOG && files[i].kind != FX_LEVELDB_TABLE)
			continue;
		l->cur = file_named(l, files[i].name);
		if (!l->cur)
			continue;
		p = fx_path_join(scratch, files[i].name);
		r = fx_leveldb_read_file(p, collect, l);
		free(p);
		if (r > 0) {
			fx_android_problem(a, l->cur, "damaged LevelDB %s: the parts reported above "
					   "were skipped, the rest was read",
					   files[i].kind == FX_LEVELDB_LOG ? "log" : "table");
		} else if (r < 0) {
			fx_android_problem(a, l->cur, "cannot be read as a LevelDB %s (see above)",
					   files[i].kind == FX_LEVELDB_LOG ? "log" : "table");
			if (l->bytes > FX_LEVELDB_MAX_MEMORY) {
				ret = -1;
				break;
			}
		}
	}
	if (!leveldb && n > 0) {
		fx_android_problem(a, l->first, "no LevelDB log, table, CURRENT or MANIFEST "
				   "beside this file: not a LevelDB folder");
		ret = -1;
	}
	fx_leveldb_files_free(files, n);
	return ret;
}

int fx_android_parse_leveldb_storage(struct fx_android *a, const struct fx_afile *f)
{
	const char *slash = strrchr(f->path, '/');
	struct ldb l;
	char *dir, *scratch = NULL, *to;
	size_t i;
	int ret = 0, session;

	if (!slash)
		return 0;
	memset(&l, 0, sizeof(l));
	dir = fx_xasprintf("%.*s", (int)(slash - f->path), f->path);
	session = ends_with(dir, "/Session Storage");
	if (!session && !ends_with(dir, "/Local Storage/leveldb"))
		goto out; /* a file in a folder below */
	l.dir = dir;
	l.dirlen = strlen(dir);
	/* One read per folder, when the walk reaches its first file. */
	fx_android_under(a, dir, first_file, &l);
	if (l.first != f)
		goto out;
	fx_android_under(a, dir, add_file, &l);
	scratch = make_scratch(l.files[0].object);
	if (!scratch) {
		fx_android_problem(a, f, "cannot read the LevelDB folder '%s'", dir);
		ret = -1;
		goto out;
	}
	for (i = 0; i < l.nfiles; i++) {
		to = fx_path_join(scratch, l.files[i].f->path + l.dirlen + 1);
		if (copy_file(l.files[i].object, to) < 0)
			fx_android_problem(a, l.files[i].f, "cannot copy to a scratch folder");
		free(to);
	}
	if (read_folder(a, &l, scratch) < 0)
		ret = -1;
	mark_live(&l);
	if (emit_entries(a, &l, session) < 0)
		ret = -1;
	rm_scratch(&l, scratch);
out:
	for (i = 0; i < l.n; i++) {
		free(l.v[i].key);
		free(l.v[i].value);
	}
	free(l.v);
	for (i = 0; i < l.nfiles; i++)
		free(l.files[i].object);
	free(l.files);
	free(scratch);
	free(dir);
	return ret;
}

/* ---- legacy SQLite localStorage ---- */

/* "https_www.example.com_0.localstorage" -> "https://www.example.com" (port 0: the default). */
static json_t *file_origin(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *u1 = strchr(base, '_'), *dot = strrchr(base, '.'), *u2;
	json_t *v;
	char *s;

	if (!u1 || !dot)
		return NULL;
	for (u2 = dot - 1; u2 > u1 && *u2 != '_'; u2--)
		;
	if (u2 <= u1)
		return NULL;
	if (u2 + 2 == dot && u2[1] == '0')
		s = fx_xasprintf("%.*s://%.*s", (int)(u1 - base), base, (int)(u2 - u1 - 1), u1 + 1);
	else
		s = fx_xasprintf("%.*s://%.*s:%.*s", (int)(u1 - base), base, (int)(u2 - u1 - 1),
				 u1 + 1, (int)(dot - u2 - 1), u2 + 1);
	v = fx_json_text(s, strlen(s));
	free(s);
	return v;
}

static int item(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	json_t *rec = fx_web_record(a, "storage", f, "ItemTable", st);
	json_t *data = json_object_get(rec, "data"), *origin = file_origin(f->path);
	int v = fx_android_col(st, "value");

	json_object_set_new(data, "kind", json_string("local"));
	json_object_set_new(data, "store", json_string("sqlite"));
	json_object_set_new(data, "entry", json_string("item"));
	if (origin)
		json_object_set_new(data, "origin", origin);
	fx_android_text(data, "key", st, "key");
	if (v >= 0 && sqlite3_column_type(st, v) == SQLITE_BLOB)
		json_object_set_new(data, "value",
				    fx_web_utf16(sqlite3_column_blob(st, v),
						 (size_t)sqlite3_column_bytes(st, v)));
	else if (v >= 0)
		fx_android_set_text(data, "value", st, v);
	return fx_android_emit(a, rec);
}

int fx_android_parse_localstorage(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	int ret;

	if (!db)
		return -1;
	if (!fx_android_has_table(db, "ItemTable")) {
		fx_android_problem(a, f, "no ItemTable: not a WebKit localStorage database");
		ret = -1;
	} else {
		ret = fx_android_rows(a, f, db, "ItemTable", "", item, NULL);
	}
	fx_android_sqlite_close(a, db);
	return ret;
}

/* ---- legacy WebView: webview.db ---- */

static int wv_cookie(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	json_t *rec = fx_web_record(a, "cookie", f, "cookies", st);
	json_t *data = json_object_get(rec, "data");

	fx_android_text(data, "host", st, "domain");
	fx_android_text(data, "name", st, "name");
	fx_android_text(data, "value", st, "value");
	fx_android_text(data, "path", st, "path");
	fx_android_bool(data, "secure", st, "secure");
	fx_android_int(data, "expires_raw", st, "expires");
	fx_web_time(data, "expires", fx_android_num(st, "expires", 0), FX_TIME_UNIX_MS);
	return fx_android_emit(a, rec);
}

static int wv_login(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	const char *table = ctx;
	json_t *rec = fx_web_record(a, "login", f, table, st);
	json_t *data = json_object_get(rec, "data");

	/* Kept in clear by the old WebView. */
	fx_android_text(data, "origin", st, "host");
	fx_android_text(data, "realm", st, "realm");
	fx_android_text(data, "username", st, "username");
	fx_android_text(data, "password", st, "password");
	return fx_android_emit(a, rec);
}

static int wv_form(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	sqlite3_stmt *url = ctx;
	json_t *rec = fx_web_record(a, "autofill", f, "formdata", st);
	json_t *data = json_object_get(rec, "data");

	json_object_set_new(data, "kind", json_string("form"));
	fx_android_text(data, "name", st, "name");
	fx_android_text(data, "value", st, "value");
	if (url && fx_android_has(st, "urlid")) {
		sqlite3_reset(url);
		sqlite3_bind_int64(url, 1, fx_android_num(st, "urlid", 0));
		if (sqlite3_step(url) == SQLITE_ROW)
			fx_android_set_text(data, "url", url, 0);
	}
	return fx_android_emit(a, rec);
}

int fx_android_parse_webview(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	sqlite3_stmt *url = NULL;
	int ret = 0, any = 0;

	if (!db)
		return -1;
	if (fx_android_has_table(db, "cookies")) {
		any = 1;
		if (fx_android_rows(a, f, db, "cookies", "", wv_cookie, NULL) < 0)
			ret = -1;
	}
	if (fx_android_has_table(db, "password")) {
		any = 1;
		if (fx_android_rows(a, f, db, "password", "", wv_login, "password") < 0)
			ret = -1;
	}
	if (fx_android_has_table(db, "httpauth")) {
		any = 1;
		if (fx_android_rows(a, f, db, "httpauth", "", wv_login, "httpauth") < 0)
			ret = -1;
	}
	if (fx_android_has_table(db, "formdata")) {
		any = 1;
		if (fx_android_has_table(db, "formurl") &&
		    sqlite3_prepare_v2(db, "SELECT url FROM formurl WHERE _id = ?", -1, &url,
				       NULL) != SQLITE_OK)
			url = NULL;
		if (fx_android_rows(a, f, db, "formdata", "", wv_form, url) < 0)
			ret = -1;
		sqlite3_finalize(url);
	}
	if (!any) {
		fx_android_problem(a, f, "no cookies, password, httpauth or formdata table: "
				   "not a WebView database");
		ret = -1;
	}
	fx_android_sqlite_close(a, db);
	return ret;
}

/* ---- legacy WebView: webviewCache.db ---- */

struct cache {
	char *dir; /* the app's cache/webviewCache/ in the source */
};

static int wv_cache(struct fx_android *a, const struct fx_afile *f, sqlite3_stmt *st, void *ctx)
{
	struct cache *c = ctx;
	json_t *rec = fx_web_record(a, "webcache", f, "cache", st);
	json_t *data = json_object_get(rec, "data");
	const unsigned char *name;
	const struct fx_afile *body;
	char *p;
	int i = fx_android_col(st, "filepath");

	fx_android_text(data, "url", st, "url");
	fx_android_text(data, "file", st, "filepath");
	name = i >= 0 ? sqlite3_column_text(st, i) : NULL;
	if (c->dir && name && *name && !strchr((const char *)name, '/')) {
		p = fx_xasprintf("%s/%s", c->dir, (const char *)name);
		if ((body = fx_android_find(a, p)) != NULL)
			json_object_set_new(data, "file_sha256", json_string(body->sha256));
		free(p);
	}
	fx_android_text(data, "mime", st, "mimetype");
	fx_android_text(data, "encoding", st, "encoding");
	fx_android_int(data, "status", st, "httpstatus");
	fx_android_int(data, "content_length", st, "contentlength");
	fx_android_text(data, "etag", st, "etag");
	fx_android_text(data, "last_modified", st, "lastmodify");
	fx_android_text(data, "expires_text", st, "expiresstring");
	fx_android_text(data, "location", st, "location");
	fx_android_text(data, "disposition", st, "contentdisposition");
	fx_web_time(data, "expires", fx_android_num(st, "expires", 0), FX_TIME_UNIX_MS);
	return fx_android_emit(a, rec);
}

int fx_android_parse_webview_cache(struct fx_android *a, const struct fx_afile *f)
{
	const char *d = strstr(f->path, "databases/webviewCache.db");
	struct cache c = { NULL };
	sqlite3 *db = fx_android_sqlite(a, f);
	int ret;

	if (!db)
		return -1;
	if (d)
		c.dir = fx_xasprintf("%.*scache/webviewCache", (int)(d - f->path), f->path);
	if (!fx_android_has_table(db, "cache")) {
		fx_android_problem(a, f, "no cache table: not a WebView cache index");
		ret = -1;
	} else {
		ret = fx_android_rows(a, f, db, "cache", "", wv_cache, &c);
	}
	free(c.dir);
	fx_android_sqlite_close(a, db);
	return ret;
}
