/*
 * fx-pull adb: a phone on USB with debugging enabled, read logically (no
 * root) through the adb on PATH. Each adb output is stored as an object
 * while it arrives (hashed in the same pass), then read back for records;
 * shared storage comes as one tar stream, acquired as fx-pull android
 * acquires a tar.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_pull.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

extern char **environ;

#define TEXT_MAX ((size_t)256 << 20)

struct adb {
	const struct fx_pull_opts *o;
	struct fx_pull_stats *st;
	const char *serial;
	char *device; /* the records' device key */
	int failed;
};

/* One adb output: its object and, for text, its bytes. */
struct out {
	const char *name; /* "getprop", "sms", …: names it in records */
	char hex[FX_SHA256_HEX];
	uint64_t size;
	char *text; /* NUL-terminated; NULL for the tar */
	int status; /* adb's exit status */
};

/*
 * Runs adb [-s serial] args…, storing its standard output as an object
 * while it arrives. Keeps the bytes too when keep is set. Returns 0 or -1.
 */
static int run(struct adb *a, const char *const *args, int keep, struct out *r)
{
	const char *argv[32];
	posix_spawn_file_actions_t fa;
	struct fx_store_put *put;
	struct fx_buf b = FX_BUF_INIT;
	char buf[65536];
	int p[2], st, existed, n = 0, i;
	ssize_t got;
	pid_t pid;

	argv[n++] = "adb";
	if (a->serial) {
		argv[n++] = "-s";
		argv[n++] = a->serial;
	}
	for (i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	r->text = NULL;
	if (pipe(p) < 0)
		return fx_error_errno("cannot run adb");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	st = posix_spawnp(&pid, "adb", &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (st != 0) {
		close(p[0]);
		errno = st;
		return fx_error_errno("cannot run 'adb' (is it on PATH?)");
	}
	put = fx_store_put_begin(fx_case_store(a->o->c));
	while (put && (got = read(p[0], buf, sizeof(buf))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || fx_store_put_write(put, buf, (size_t)got) < 0) {
			fx_error_errno("cannot read the output of adb (%s)", r->name);
			fx_store_put_abort(put);
			put = NULL;
			break;
		}
		if (keep && b.len + (size_t)got <= TEXT_MAX)
			fx_buf_add(&b, buf, (size_t)got);
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	if (!put || fx_store_put_commit(put, r->hex, &r->size, &existed) < 0) {
		fx_buf_release(&b);
		return -1;
	}
	if (keep) {
		fx_buf_add(&b, "", 1);
		r->text = b.data;
	}
	a->st->files++;
	a->st->bytes += r->size;
	return 0;
}

static int emit(struct adb *a, json_t *rec, const char *where)
{
	int ret = 0;

	if (a->device)
		json_object_set_new(rec, FX_KEY_DEVICE, json_string(a->device));
	if (fx_case_add_record(a->o->c, rec, where, NULL) < 0)
		ret = -1;
	else if (a->o->out && fx_record_write(a->o->out, rec) < 0)
		ret = -1;
	else
		a->st->stored++;
	json_decref(rec);
	if (ret < 0)
		a->failed = 1;
	return ret;
}

/* A file record for one adb output: what ran, and the object it made. */
static int file_record(struct adb *a, const struct out *r, const char *const *args)
{
	json_t *rec = fx_record_new("file", fx_case_id(a->o->c), "fx-pull");
	json_t *data = json_object_get(rec, FX_KEY_DATA);
	char *path = fx_xasprintf("adb/%s", r->name), *cmd;
	struct fx_buf b = FX_BUF_INIT;
	size_t i;

	fx_buf_add(&b, "adb", 3);
	for (i = 0; args[i]; i++) {
		fx_buf_add(&b, " ", 1);
		fx_buf_add(&b, args[i], strlen(args[i]));
	}
	fx_buf_add(&b, "", 1);
	cmd = b.data;
	json_object_set_new(data, "path", json_string(path));
	json_object_set_new(data, "sha256", json_string(r->hex));
	json_object_set_new(data, "size", json_integer((json_int_t)r->size));
	json_object_set_new(data, "kind", json_string("file"));
	json_object_set_new(rec, FX_KEY_SRC,
			    json_pack("{s:s,s:s}", FX_SRC_PATH, cmd, FX_SRC_SHA256, r->hex));
	fx_case_note_object(a->o->c, r->hex);
	free(path);
	free(cmd);
	return emit(a, rec, r->name);
}

/* ---- getprop ---- */

/* The value of "[key]: [value]" in getprop's output, malloc'd, or NULL. */
static char *prop(const char *text, const char *key)
{
	char *pat = fx_xasprintf("[%s]: [", key), *v = NULL;
	const char *p = strstr(text, pat), *end;

	if (p && (p == text || p[-1] == '\n')) {
		p += strlen(pat);
		end = strstr(p, "]\n");
		if (!end)
			end = p + strlen(p) - (p[strlen(p) - 1] == ']');
		v = fx_xmalloc((size_t)(end - p) + 1);
		memcpy(v, p, (size_t)(end - p));
		v[end - p] = '\0';
	}
	free(pat);
	return v;
}

static void device_record(struct adb *a, const struct out *r)
{
	static const char *const map[][2] = {
		{"ro.product.model", "model"},
		{"ro.product.brand", "brand"},
		{"ro.product.manufacturer", "manufacturer"},
		{"ro.serialno", "serial"},
		{"ro.product.name", "product"},
		{"ro.build.version.release", "android_version"},
		{"ro.build.version.sdk", "sdk"},
		{"ro.build.fingerprint", "fingerprint"},
		{"ro.build.display.id", "build"},
		{"ro.build.version.security_patch", "security_patch"},
		{"persist.sys.timezone", "timezone"},
		{"gsm.operator.alpha", "carrier"},
	};
	json_t *rec, *data;
	char *v, *serial = prop(r->text, "ro.serialno");
	size_t i;

	if (a->o->device)
		a->device = fx_xstrdup(a->o->device);
	else if (serial && *serial)
		a->device = fx_xasprintf("serial:%s", serial);
	else if (a->serial)
		a->device = fx_xasprintf("serial:%s", a->serial);
	free(serial);
	if (!a->device)
		return;
	rec = fx_record_new("device", fx_case_id(a->o->c), "fx-pull");
	data = json_object_get(rec, FX_KEY_DATA);
	json_object_set_new(data, "key", json_string(a->device));
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		v = prop(r->text, map[i][0]);
		if (v && *v && !json_object_get(data, map[i][1]))
			json_object_set_new(data, map[i][1], fx_json_text(v, strlen(v)));
		free(v);
	}
	json_object_set_new(
		rec, FX_KEY_SRC,
		json_pack("{s:s,s:s}", FX_SRC_SHA256, r->hex, FX_SRC_PATH, "adb/getprop"));
	emit(a, rec, "getprop");
}

/* ---- content query ---- */

/*
 * Splits the rows of `content query` output: "Row: N k1=v1, k2=v2, …",
 * a row running on to the next line that starts with "Row: ". The
 * columns come in the order of the projection asked for, so each value
 * runs to ", NEXT=" of the next column, and the last (the free text) to
 * the row's end: commas and newlines in a message body stay whole.
 * Calls fn with the row's values (NULL for adb's "NULL") and line.
 */
typedef void (*row_fn)(struct adb *a, const struct out *r, char **vals, long line);

static void each_row(struct adb *a, const struct out *r, const char *const *cols, size_t ncols,
		     row_fn fn)
{
	char *p = r->text, *next, *row, *v, *end, *pat, *vals[16];
	long line = 1, rowline;
	size_t i, k;

	while (p && *p) {
		if (strncmp(p, "Row: ", 5) != 0) {
			next = strchr(p, '\n');
			line++;
			p = next ? next + 1 : NULL;
			continue;
		}
		rowline = line;
		for (next = strchr(p, '\n'); next && strncmp(next + 1, "Row: ", 5) != 0;
		     next = strchr(next + 1, '\n'))
			line++;
		if (next) {
			*next = '\0';
			line++;
		} else {
			/* The last row: its final newline ends the output, not the value. */
			end = p + strlen(p);
			while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
				*--end = '\0';
		}
		row = strchr(p + 5, ' ');
		for (i = 0; i < ncols; i++)
			vals[i] = NULL;
		for (i = 0; row && i < ncols; i++) {
			pat = fx_xasprintf(" %s=", cols[i]);
			v = strstr(row, pat);
			if (!v) {
				free(pat);
				continue;
			}
			v += strlen(pat);
			free(pat);
			end = NULL;
			for (k = i + 1; k < ncols && !end; k++) {
				pat = fx_xasprintf(", %s=", cols[k]);
				end = strstr(v, pat);
				free(pat);
			}
			vals[i] = v;
			if (end) {
				*end = '\0';
				row = end + 1; /* at " NEXT=" */
			}
			if (strcmp(vals[i], "NULL") == 0)
				vals[i] = NULL;
		}
		fn(a, r, vals, rowline);
		p = next ? next + 1 : NULL;
	}
}

static json_t *row_record(struct adb *a, const struct out *r, const char *type, const char *id,
			  long line)
{
	json_t *rec = fx_record_new(type, fx_case_id(a->o->c), "fx-pull");
	json_t *src = json_pack("{s:s,s:s,s:I}", FX_SRC_SHA256, r->hex, FX_SRC_PATH, r->name,
				FX_SRC_LINE, (json_int_t)line);

	if (id)
		json_object_set_new(src, FX_SRC_ROWID, json_integer(strtoll(id, NULL, 10)));
	json_object_set_new(rec, FX_KEY_SRC, src);
	return rec;
}

static void set_int(json_t *data, const char *key, const char *v)
{
	char *end;
	long long n;

	if (!v)
		return;
	n = strtoll(v, &end, 10);
	if (*v && !*end)
		json_object_set_new(data, key, json_integer(n));
}

static void set_bool(json_t *data, const char *key, const char *v)
{
	if (v && (!strcmp(v, "0") || !strcmp(v, "1")))
		json_object_set_new(data, key, json_boolean(v[0] == '1'));
}

static void set_text(json_t *data, const char *key, const char *v)
{
	if (v)
		json_object_set_new(data, key, fx_json_text(v, strlen(v)));
}

static void set_time(json_t *rec, const char *v)
{
	char *end;
	long long ms;

	if (!v)
		return;
	ms = strtoll(v, &end, 10);
	if (*v && !*end && ms)
		fx_record_set_time_raw(rec, ms, FX_TIME_UNIX_MS);
}

/* _id thread_id address date date_sent read seen type status locked body */
static const char *const sms_cols[] = {"_id",       "thread_id", "address", "date",
				       "date_sent", "read",      "seen",    "type",
				       "status",    "locked",    "body"};

static void sms_row(struct adb *a, const struct out *r, char **v, long line)
{
	static const char *const dir[] = {"unknown", "in",     "out",   "draft",
					  "outbox",  "failed", "queued"};
	json_t *rec = row_record(a, r, "sms", v[0], line);
	json_t *data = json_object_get(rec, FX_KEY_DATA);
	long type = v[7] ? strtol(v[7], NULL, 10) : 0;
	char t[FX_TIME_LEN];

	set_int(data, "thread_id", v[1]);
	set_text(data, "address", v[2]);
	set_time(rec, v[3]);
	if (v[4] && strtoll(v[4], NULL, 10) > 0 && fx_time_format(strtoll(v[4], NULL, 10), t) == 0)
		json_object_set_new(data, "sent", json_string(t));
	set_bool(data, "read", v[5]);
	set_bool(data, "seen", v[6]);
	set_int(data, "type", v[7]);
	set_int(data, "status", v[8]);
	set_bool(data, "locked", v[9]);
	set_text(data, "body", v[10]);
	json_object_set_new(data, "direction",
			    json_string(type >= 0 && type <= 6 ? dir[type] : "unknown"));
	emit(a, rec, "sms");
}

static const char *const call_cols[] = {"_id",  "number", "date",       "duration",
					"type", "new",    "countryiso", "geocoded_location",
					"name"};

static void call_row(struct adb *a, const struct out *r, char **v, long line)
{
	static const char *const dir[] = {"unknown",   "in",       "out",     "missed",
					  "voicemail", "rejected", "blocked", "answered_elsewhere"};
	json_t *rec = row_record(a, r, "call", v[0], line);
	json_t *data = json_object_get(rec, FX_KEY_DATA);
	long type = v[4] ? strtol(v[4], NULL, 10) : 0;

	set_text(data, "number", v[1]);
	set_time(rec, v[2]);
	set_int(data, "duration", v[3]);
	set_int(data, "type", v[4]);
	set_bool(data, "new", v[5]);
	set_text(data, "country", v[6]);
	set_text(data, "location", v[7]);
	set_text(data, "name", v[8]);
	json_object_set_new(data, "direction",
			    json_string(type >= 0 && type <= 7 ? dir[type] : "unknown"));
	emit(a, rec, "call");
}

static const char *const phone_cols[] = {"_id", "raw_contact_id", "data1", "data2", "display_name"};

static void phone_row(struct adb *a, const struct out *r, char **v, long line)
{
	static const char *const kind[] = {"custom", "home", "mobile", "work"};
	json_t *rec = row_record(a, r, "contact", v[1], line);
	json_t *data = json_object_get(rec, FX_KEY_DATA);
	json_t *ph = json_object();
	long k = v[3] ? strtol(v[3], NULL, 10) : -1;

	set_text(data, "name", v[4]);
	set_text(ph, "number", v[2]);
	if (k >= 0 && k <= 3)
		json_object_set_new(ph, "kind", json_string(kind[k]));
	json_object_set_new(data, "phones", json_pack("[o]", ph));
	emit(a, rec, "contact");
}

/* ---- packages ---- */

static void packages(struct adb *a, const struct out *r)
{
	char *p = r->text, *next, *eq;
	json_t *rec, *data;
	long line = 0;

	for (; p && *p; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		line++;
		p[strcspn(p, "\r")] = '\0';
		/* package:/data/app/…/base.apk=com.example */
		if (strncmp(p, "package:", 8) != 0 || !(eq = strrchr(p, '=')))
			continue;
		*eq = '\0';
		rec = fx_record_new("app", fx_case_id(a->o->c), "fx-pull");
		data = json_object_get(rec, FX_KEY_DATA);
		json_object_set_new(data, "name", fx_json_text(eq + 1, strlen(eq + 1)));
		json_object_set_new(data, "code_path", fx_json_text(p + 8, strlen(p + 8)));
		json_object_set_new(data, "system",
				    json_boolean(strncmp(p + 8, "/system", 7) == 0 ||
						 strncmp(p + 8, "/product", 8) == 0 ||
						 strncmp(p + 8, "/vendor", 7) == 0));
		json_object_set_new(rec, FX_KEY_SRC,
				    json_pack("{s:s,s:s,s:I}", FX_SRC_SHA256, r->hex, FX_SRC_PATH,
					      r->name, FX_SRC_LINE, (json_int_t)line));
		if (!json_is_string(json_object_get(data, "name")) || emit(a, rec, "package") < 0)
			continue;
	}
}

/* ---- the steps ---- */

struct step {
	const char *name;
	const char *args[16];
	const char *const *cols;
	size_t ncols;
	row_fn row;
};

static const struct step steps[] = {
	{"getprop", {"shell", "getprop", NULL}, NULL, 0, NULL},
	{"content://sms",
	 {"shell", "content", "query", "--uri", "content://sms", "--projection",
	  "_id:thread_id:address:date:date_sent:read:seen:type:status:locked:body", NULL},
	 sms_cols,
	 11,
	 sms_row},
	{"content://call_log/calls",
	 {"shell", "content", "query", "--uri", "content://call_log/calls", "--projection",
	  "_id:number:date:duration:type:new:countryiso:geocoded_location:name", NULL},
	 call_cols,
	 9,
	 call_row},
	{"content://com.android.contacts/data/phones",
	 {"shell", "content", "query", "--uri", "content://com.android.contacts/data/phones",
	  "--projection", "_id:raw_contact_id:data1:data2:display_name", NULL},
	 phone_cols,
	 5,
	 phone_row},
	{"packages", {"shell", "pm", "list", "packages", "-f", NULL}, NULL, 0, NULL},
};

/* Shared storage: the folders that exist of these, as one tar stream. */
static const char *const storage_args[] = {
	"exec-out",
	"cd /sdcard && tar -cf - $(ls -d DCIM Pictures Download Movies Documents Music "
	"WhatsApp/Media Android/media/com.whatsapp Telegram Tencent/MicroMsg/WeiXin "
	"2>/dev/null)",
	NULL,
};

static int begin(struct adb *a, const char *what)
{
	json_t *in;

	if (fx_case_begin(a->o->c, "pull") < 0)
		return -1;
	in = json_pack("{s:s,s:s,s:s}", "kind", "adb", "serial", a->serial ? a->serial : "", "what",
		       what);
	fx_case_note_input(a->o->c, in);
	json_decref(in);
	return 0;
}

static int commit(struct adb *a, const char *what)
{
	json_t *detail = json_pack("{s:s,s:s}", "source", "adb", "what", what);
	int r;

	if (a->failed) {
		fx_case_rollback(a->o->c);
		json_decref(detail);
		return -1;
	}
	r = fx_case_commit(a->o->c, detail, NULL);
	json_decref(detail);
	return r;
}

/* The one attached phone's serial when none was given. Caller frees. */
static char *only_device(struct adb *a)
{
	static const char *const args[] = {"devices", NULL};
	struct out r = {"devices", "", 0, NULL, 0};
	char *p, *next, *tab, *found = NULL;
	int n = 0;

	if (begin(a, "devices") < 0 || run(a, args, 1, &r) < 0 || file_record(a, &r, args) < 0 ||
	    commit(a, "devices") < 0) {
		free(r.text);
		return NULL;
	}
	for (p = r.text; p && *p; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		tab = strchr(p, '\t');
		if (!tab || strncmp(tab + 1, "device", 6) != 0)
			continue;
		*tab = '\0';
		if (n++ == 0)
			found = fx_xstrdup(p);
	}
	free(r.text);
	if (n != 1) {
		fx_error(n ? "%d phones are attached: choose one with --serial"
			   : "no phone with USB debugging is attached (adb devices lists none)",
			 n);
		free(found);
		return NULL;
	}
	return found;
}

int fx_pull_adb(const struct fx_pull_opts *o, const char *serial, struct fx_pull_stats *st)
{
	struct adb a = {o, st, serial, NULL, 0};
	struct out r;
	char *mine = NULL, *tar;
	size_t i;
	int problems = 0, rr;

	if (!o->c)
		return fx_error("fx-pull adb needs a case (--case DIR)");
	if (!serial) {
		mine = only_device(&a);
		if (!mine)
			return -1;
		a.serial = mine;
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.name = steps[i].name;
		if (begin(&a, r.name) < 0 || run(&a, steps[i].args, 1, &r) < 0) {
			fx_case_rollback(o->c);
			problems++;
			continue;
		}
		if (r.status != 0) {
			fx_error("adb %s: exit status %d", r.name, r.status);
			problems++;
		}
		file_record(&a, &r, steps[i].args);
		if (i == 0)
			device_record(&a, &r);
		else if (steps[i].row)
			each_row(&a, &r, steps[i].cols, steps[i].ncols, steps[i].row);
		else
			packages(&a, &r);
		free(r.text);
		if (commit(&a, r.name) < 0)
			goto fatal;
	}
	memset(&r, 0, sizeof(r));
	r.name = "storage.tar";
	if (begin(&a, r.name) < 0 || run(&a, storage_args, 0, &r) < 0) {
		fx_case_rollback(o->c);
		problems++;
	} else {
		if (r.status != 0) {
			fx_error("adb exec-out tar: exit status %d", r.status);
			problems++;
		}
		file_record(&a, &r, storage_args);
		if (commit(&a, r.name) < 0)
			goto fatal;
		/* The tar's members are acquired and parsed as an Android tree. */
		if (r.size > 0) {
			struct fx_pull_opts po = *o;

			po.device = a.device;
			tar = fx_store_path(fx_case_store(o->c), r.hex);
			rr = fx_pull_android(&po, tar, st);
			free(tar);
			if (rr < 0)
				goto fatal;
			problems += rr;
		}
	}
	free(mine);
	free(a.device);
	st->problems += (uint64_t)problems;
	return problems ? 1 : 0;
fatal:
	free(mine);
	free(a.device);
	return -1;
}
