/*
 * fx-pull android: the walk stores every file (lib/pull/files.c), then the
 * parsers of lib/android/ run over the stored copies, device details first.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fx_android.h"
#include "fx_case.h"
#include "fx_err.h"
#include "fx_io.h"
#include "fx_pull.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

struct scratch {
	sqlite3 *db;
	char *dir;
};

struct fx_android {
	const struct fx_pull_opts *o;
	const char *src;
	struct fx_afile *files;
	size_t n, cap;
	json_t *device;     /* details found, field -> value */
	json_t *device_src; /* the files they came from: [{sha256, path}] */
	char *device_key; /* the records' "device" */
	unsigned inbatch;
	uint64_t records, problems;
	int failed; /* a store or write failed: stop */
	struct scratch *scratch;
	size_t nscratch;
	unsigned long serial;
};

static void on_file(void *ctx, const char *path, const char *sha256, uint64_t size,
		    int64_t mtime_ms)
{
	struct fx_android *a = ctx;
	struct fx_afile *f;

	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 256;
		a->files = fx_xrealloc(a->files, a->cap * sizeof(*a->files));
	}
	f = &a->files[a->n++];
	f->path = fx_xstrdup(path);
	memcpy(f->sha256, sha256, FX_SHA256_HEX);
	f->size = size;
	f->mtime_ms = mtime_ms;
}

static int cmp_files(const void *x, const void *y)
{
	return strcmp(((const struct fx_afile *)x)->path, ((const struct fx_afile *)y)->path);
}

const struct fx_afile *fx_android_find(struct fx_android *a, const char *path)
{
	struct fx_afile key = { (char *)path, "", 0, 0 };

	return bsearch(&key, a->files, a->n, sizeof(*a->files), cmp_files);
}

const struct fx_afile *fx_android_sibling(struct fx_android *a, const struct fx_afile *f,
					  const char *suffix)
{
	char *p = fx_xasprintf("%s%s", f->path, suffix);
	const struct fx_afile *s = fx_android_find(a, p);

	free(p);
	return s;
}

int fx_android_under(struct fx_android *a, const char *dir, fx_android_file_fn fn, void *ctx)
{
	size_t lo = 0, hi = a->n, mid, plen;
	char *prefix = fx_xasprintf("%s/", dir), *obj;
	int ret = 0;

	/* The list is sorted by strcmp(), so the paths under dir are one run. */
	plen = strlen(prefix);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(a->files[mid].path, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < a->n && !ret && strncmp(a->files[lo].path, prefix, plen) == 0; lo++) {
		obj = fx_store_path(fx_case_store(a->o->c), a->files[lo].sha256);
		ret = fn(&a->files[lo], obj, ctx);
		free(obj);
	}
	free(prefix);
	return ret;
}

void fx_android_problem(struct fx_android *a, const struct fx_afile *f, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fx_error("%s: %s: %s", a->src, f ? f->path : "(source)", msg);
	a->problems++;
}

int fx_android_user(const char *path)
{
	static const char *const marks[] = { "user/", "user_de/", "media/" };
	const char *p;
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		for (p = strstr(path, marks[i]); p; p = strstr(p + 1, marks[i])) {
			if (p != path && p[-1] != '/')
				continue;
			p += strlen(marks[i]);
			if (*p >= '0' && *p <= '9')
				return atoi(p);
		}
	}
	return 0;
}

void fx_android_device_set(struct fx_android *a, const struct fx_afile *f, const char *field,
			   const char *value)
{
	size_t i;

	if (!value || !*value || json_object_get(a->device, field))
		return;
	json_object_set_new(a->device, field, json_string(value));
	for (i = 0; i < json_array_size(a->device_src); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(a->device_src, i),
							     FX_SRC_PATH)), f->path) == 0)
			return;
	json_array_append_new(a->device_src, json_pack("{s:s,s:s}", FX_SRC_SHA256, f->sha256,
						       FX_SRC_PATH, f->path));
}

char *fx_android_bytes(struct fx_android *a, const struct fx_afile *f, size_t max, size_t *len)
{
	char *path = fx_store_path(fx_case_store(a->o->c), f->sha256);
	char *buf = fx_read_file(path, len, max);

	free(path);
	if (!buf)
		a->problems++;
	return buf;
}

int fx_android_open(struct fx_android *a, const struct fx_afile *f)
{
	char *path = fx_store_path(fx_case_store(a->o->c), f->sha256);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fx_android_problem(a, f, "cannot open its stored copy '%s': %s", path,
				   strerror(errno));
	free(path);
	return fd;
}

/* Copies the object of f into dir/name. Returns 0 or -1 (reported). */
static int copy_object(struct fx_android *a, const struct fx_afile *f, const char *dir,
		       const char *name)
{
	char *from = fx_store_path(fx_case_store(a->o->c), f->sha256);
	char *to = fx_path_join(dir, name);
	size_t len;
	char *buf;
	int fd, ret = -1;

	/* Databases are small enough to pass through memory: at most 4 GiB. */
	buf = fx_read_file(from, &len, (size_t)4 << 30);
	if (buf) {
		fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || fx_write_all(fd, buf, len) < 0)
			fx_error_errno("cannot write scratch copy '%s'", to);
		else
			ret = 0;
		if (fd >= 0)
			close(fd);
	}
	free(buf);
	free(from);
	free(to);
	return ret;
}

static void rm_scratch(const char *dir)
{
	static const char *const names[] = { "db", "db-wal", "db-journal", "db-shm" };
	size_t i;
	char *p;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = fx_path_join(dir, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir);
}

sqlite3 *fx_android_sqlite(struct fx_android *a, const struct fx_afile *f)
{
	static const char *const sides[] = { "-wal", "-journal" };
	const struct fx_afile *s;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *dir, *path, name[16];
	size_t i;
	int rc;

	dir = fx_xasprintf("%s/objects/tmp/scratch-%ld-%lu", fx_case_dir(a->o->c), (long)getpid(),
			   a->serial++);
	if (mkdir(dir, 0700) < 0) {
		fx_error_errno("cannot make scratch folder '%s'", dir);
		free(dir);
		a->problems++;
		return NULL;
	}
	if (copy_object(a, f, dir, "db") < 0)
		goto fail;
	for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		s = fx_android_sibling(a, f, sides[i]);
		snprintf(name, sizeof(name), "db%s", sides[i]);
		if (s && s->size > 0 && copy_object(a, s, dir, name) < 0)
			goto fail;
	}
	path = fx_path_join(dir, "db");
	/* Read-write on the scratch copy only, so that SQLite can apply the WAL or journal. */
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	free(path);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(db);
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		fx_android_problem(a, f, "cannot read as an SQLite database: %s",
				   db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		goto out;
	}
	sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL);
	a->scratch = fx_xrealloc(a->scratch, (a->nscratch + 1) * sizeof(*a->scratch));
	a->scratch[a->nscratch].db = db;
	a->scratch[a->nscratch].dir = dir;
	a->nscratch++;
	return db;
fail:
	a->problems++;
out:
	rm_scratch(dir);
	free(dir);
	return NULL;
}

void fx_android_sqlite_close(struct fx_android *a, sqlite3 *db)
{
	size_t i;

	for (i = 0; i < a->nscratch; i++) {
		if (a->scratch[i].db != db)
			continue;
		sqlite3_close(db);
		rm_scratch(a->scratch[i].dir);
		free(a->scratch[i].dir);
		a->scratch[i] = a->scratch[--a->nscratch];
		return;
	}
}

int fx_android_has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

json_t *fx_android_record(struct fx_android *a, const char *type, const struct fx_afile *f,
			  const char *table, int64_t rowid)
{
	json_t *rec = fx_record_new(type, fx_case_id(a->o->c), "fx-pull");
	json_t *src = json_pack("{s:s,s:s}", FX_SRC_SHA256, f->sha256, FX_SRC_PATH, f->path);
	int user = fx_android_user(f->path);

	if (table) {
		json_object_set_new(src, FX_SRC_TABLE, json_string(table));
		json_object_set_new(src, FX_SRC_ROWID, json_integer(rowid));
	}
	json_object_set_new(rec, FX_KEY_SRC, src);
	if (a->device_key)
		json_object_set_new(rec, FX_KEY_DEVICE, json_string(a->device_key));
	if (user)
		json_object_set_new(json_object_get(rec, FX_KEY_DATA), "user", json_integer(user));
	return rec;
}

static int commit(struct fx_android *a)
{
	json_t *detail = json_pack("{s:s,s:I}", "source", a->src, "records",
				   (json_int_t)a->inbatch);
	int ret = fx_case_commit(a->o->c, detail, NULL);

	json_decref(detail);
	a->inbatch = 0;
	return ret;
}

int fx_android_emit(struct fx_android *a, json_t *rec)
{
	char where[64];
	json_t *in;
	int ret = -1;

	if (a->failed)
		goto out;
	if (!a->inbatch) {
		if (fx_case_begin(a->o->c, "parse") < 0)
			goto fail;
		in = json_pack("{s:s,s:s}", "kind", "android", "path", a->src);
		fx_case_note_input(a->o->c, in);
		json_decref(in);
	}
	snprintf(where, sizeof(where), "record %llu", (unsigned long long)a->records + 1);
	if (fx_case_add_record(a->o->c, rec, where, NULL) < 0)
		goto fail;
	a->inbatch++;
	a->records++;
	if (a->o->out && fx_record_write(a->o->out, rec) < 0)
		goto fail;
	if (a->inbatch >= a->o->batch && commit(a) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	a->failed = 1;
out:
	json_decref(rec);
	return ret;
}

void fx_android_time(json_t *rec, int64_t raw, int unit)
{
	/* 0 is Android's "not set"; keep the raw value, give no time. */
	if (raw == 0)
		return;
	fx_record_set_time_raw(rec, raw, unit);
}

void fx_android_set_text(json_t *data, const char *key, sqlite3_stmt *st, int col)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL:
		return;
	case SQLITE_INTEGER:
		json_object_set_new(data, key, json_integer(sqlite3_column_int64(st, col)));
		return;
	case SQLITE_BLOB:
		json_object_set_new(data, key, fx_json_hex(sqlite3_column_blob(st, col),
							   (size_t)sqlite3_column_bytes(st, col)));
		return;
	default:
		json_object_set_new(data, key, fx_json_text(sqlite3_column_text(st, col),
							    (size_t)sqlite3_column_bytes(st, col)));
	}
}

void fx_android_set_int(json_t *data, const char *key, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_NULL)
		json_object_set_new(data, key, json_integer(sqlite3_column_int64(st, col)));
}

static int matches(const struct fx_artifact *art, const char *path)
{
	const char *const *p;

	for (p = art->patterns; *p; p++)
		if (fnmatch(*p, path, 0) == 0)
			return 1;
	return 0;
}

static void run_phase(struct fx_android *a, int phase)
{
	const struct fx_artifact *arts;
	size_t n, i, k;

	arts = fx_android_artifacts(&n);
	for (i = 0; i < a->n && !a->failed; i++)
		for (k = 0; k < n && !a->failed; k++)
			if (arts[k].phase == phase && matches(&arts[k], a->files[i].path))
				arts[k].parse(a, &a->files[i]);
}

/* The device's key: its IMEI when known, else its serial, else one made from the source. */
static void device_record(struct fx_android *a)
{
	const char *imei = json_string_value(json_object_get(a->device, "imei"));
	const char *serial = json_string_value(json_object_get(a->device, "serial"));
	const char *id = json_string_value(json_object_get(a->device, "android_id"));
	const char *fp = json_string_value(json_object_get(a->device, "fingerprint"));
	uint8_t md[32];
	char hex[FX_SHA256_HEX];
	json_t *rec;

	if (a->o->device)
		a->device_key = fx_xstrdup(a->o->device);
	else if (imei)
		a->device_key = fx_xasprintf("imei:%s", imei);
	else if (serial)
		a->device_key = fx_xasprintf("serial:%s", serial);
	else if (id || fp) {
		fx_sha256(id ? id : fp, strlen(id ? id : fp), md);
		a->device_key = fx_xasprintf("gen:%.16s", fx_hex(md, 32, hex));
	}
	if (!a->device_key || !json_object_size(a->device))
		return;
	rec = fx_record_new("device", fx_case_id(a->o->c), "fx-pull");
	json_object_set_new(rec, FX_KEY_DEVICE, json_string(a->device_key));
	json_object_update(json_object_get(rec, FX_KEY_DATA), a->device);
	json_object_set_new(json_object_get(rec, FX_KEY_DATA), "key", json_string(a->device_key));
	/* Provenance: the first file a detail came from; data.sources lists them all. */
	json_object_set(rec, FX_KEY_SRC, json_array_get(a->device_src, 0));
	json_object_set(json_object_get(rec, FX_KEY_DATA), "sources", a->device_src);
	fx_android_emit(a, rec);
}

int fx_pull_android(const struct fx_pull_opts *o, const char *src, struct fx_pull_stats *st)
{
	struct fx_pull_opts walk = *o;
	struct fx_android a = { 0 };
	size_t i;
	int r;

	if (!o->c)
		return fx_error("fx-pull android needs a case (--case DIR)");
	a.o = o;
	a.src = src;
	a.device = json_object();
	a.device_src = json_array();
	walk.on_file = on_file;
	walk.on_file_ctx = &a;
	r = fx_pull_files(&walk, src, st);
	if (r >= 0) {
		qsort(a.files, a.n, sizeof(*a.files), cmp_files);
		run_phase(&a, 0);
		device_record(&a);
		run_phase(&a, 1);
		if (a.inbatch && !a.failed && commit(&a) < 0)
			a.failed = 1;
		if (a.failed)
			fx_case_rollback(o->c);
		st->problems += a.problems;
		if (a.failed)
			r = -1;
		else if (a.problems)
			r = 1;
	}
	while (a.nscratch)
		fx_android_sqlite_close(&a, a.scratch[0].db);
	free(a.scratch);
	for (i = 0; i < a.n; i++)
		free(a.files[i].path);
	free(a.files);
	free(a.device_key);
	json_decref(a.device);
	json_decref(a.device_src);
	return r;
}
