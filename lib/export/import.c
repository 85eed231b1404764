/*
 * import.c - fx_export_import(): another lab continues the case. The
 * package is verified first (nothing is made from one that fails), then
 * read once more: every payload file is stored as an object while it is
 * read, and the custody log, objects and records are appended to a new
 * case exactly as they were logged, so the record ids and the custody
 * Merkle head come out the same; the import is logged on top.
 */
#include <stdlib.h>
#include <string.h>

#include "fx_err.h"
#include "fx_export.h"
#include "fx_hash.h"
#include "fx_io.h"
#include "fx_record.h"
#include "fx_store.h"
#include "fx_walk.h"
#include "fx_banned.h"

struct meta {
	const char *name; /* path in the bag */
	struct fx_buf buf;
};

/* The member's path inside the bag: from "data/" at the top or one folder down. */
static const char *bag_rel(const char *path)
{
	const char *slash;

	if (strncmp(path, "data/", 5) == 0)
		return path;
	slash = strchr(path, '/');
	if (slash && strncmp(slash + 1, "data/", 5) == 0)
		return slash + 1;
	return NULL;
}

/* Stores every payload file in c's store; keeps the custody and record files. */
static int read_payload(const char *pkg, struct fx_case *c, struct meta *m, size_t nm,
			int quiet, uint64_t *stored)
{
	struct fx_walk *w = fx_walk_open(pkg);
	struct fx_walk_entry *e;
	struct fx_store_put *put;
	struct fx_progress prog;
	const char *rel;
	const void *data;
	char hex[FX_SHA256_HEX];
	uint64_t size;
	size_t i;
	ssize_t n;
	int r, existed, ret = 0;

	if (!w)
		return -1;
	fx_progress_init(&prog, quiet);
	while (ret == 0 && (r = fx_walk_next(w, &e)) != 0) {
		if (r < 0) {
			ret = -1;
			break;
		}
		if (e->kind != FX_WALK_FILE || !(rel = bag_rel(e->path)))
			continue;
		for (i = 0; i < nm; i++)
			if (strcmp(rel, m[i].name) == 0)
				break;
		if (i < nm) {
			while ((n = fx_walk_read(w, &data)) > 0)
				fx_buf_add(&m[i].buf, data, (size_t)n);
			fx_buf_add(&m[i].buf, "", 0);
			if (n < 0)
				ret = -1;
			continue;
		}
		/* Only evidence, reports and other objects are objects of the case. */
		if (strncmp(rel, "data/evidence/", 14) != 0 && strncmp(rel, "data/reports/", 13) != 0 &&
		    strncmp(rel, "data/objects/", 13) != 0)
			continue;
		put = fx_store_put_begin(fx_case_store(c));
		if (!put) {
			ret = -1;
			break;
		}
		while ((n = fx_walk_read(w, &data)) > 0)
			if (fx_store_put_write(put, data, (size_t)n) < 0) {
				n = -1;
				break;
			}
		if (n < 0) {
			fx_store_put_abort(put);
			ret = -1;
			break;
		}
		if (fx_store_put_commit(put, hex, &size, &existed) < 0) {
			ret = -1;
			break;
		}
		(*stored)++;
		fx_progress(&prog, "%llu objects stored", (unsigned long long)*stored);
	}
	fx_progress_done(&prog);
	fx_walk_free(w);
	return ret;
}

/* Each line of b as a NUL-terminated string, in order; calls fn. */
static int each_line(struct fx_buf *b, int (*fn)(char *line, size_t len, unsigned long no,
						   void *ctx), void *ctx)
{
	char *p, *end;
	unsigned long no = 0;

	if (!b->data)
		return 0;
	for (p = b->data; p < b->data + b->len; p = end + 1) {
		end = memchr(p, '\n', (size_t)(b->data + b->len - p));
		if (!end)
			end = b->data + b->len;
		*end = '\0';
		no++;
		if (*p && fn(p, (size_t)(end - p), no, ctx) < 0)
			return -1;
	}
	return 0;
}

struct imp {
	struct fx_case *c;
	json_t *entries;     /* the custody entries, in order */
	json_t *withdrawn;   /* record id -> entry */
	size_t entry;        /* the entry the next record or object belongs to */
	json_int_t left;     /* records or objects it still has to add */
	const char *what;    /* "records" or "objects" */
};

/* Moves on to the entry that adds the next record (or object). */
static int next_owner(struct imp *im)
{
	while (im->left == 0) {
		if (im->entry >= json_array_size(im->entries))
			return -1;
		im->left = json_integer_value(json_object_get(
			json_object_get(json_array_get(im->entries, im->entry), im->what), "count"));
		if (im->left == 0)
			im->entry++;
	}
	return 0;
}

static int on_entry(char *line, size_t len, unsigned long no, void *ctx)
{
	struct imp *im = ctx;
	json_t *e = json_loadb(line, len, 0, NULL);
	int ret;

	if (!e)
		return fx_error("data/custody/custody.jsonl:%lu: not JSON", no);
	ret = fx_case_import_entry(im->c, e);
	json_array_append_new(im->entries, e);
	return ret;
}

static int on_object(char *line, size_t len, unsigned long no, void *ctx)
{
	struct imp *im = ctx;
	json_t *o = json_loadb(line, len, 0, NULL);
	int ret;

	if (!o || next_owner(im) < 0) {
		json_decref(o);
		return fx_error("data/custody/objects.jsonl:%lu: an object no entry stored", no);
	}
	ret = fx_case_import_object(im->c, json_string_value(json_object_get(o, "sha256")),
				    (uint64_t)json_integer_value(json_object_get(o, "size")),
				    (int64_t)im->entry);
	im->left--;
	if (!im->left)
		im->entry++;
	json_decref(o);
	return ret;
}

static int on_record(char *line, size_t len, unsigned long no, void *ctx)
{
	struct imp *im = ctx;
	char where[64], id[FX_SHA256_HEX];
	const char *p = strstr(line, "\"id\":\"");
	json_t *w = NULL;
	int ret;

	snprintf(where, sizeof(where), "data/records/records.jsonl:%lu", no);
	if (next_owner(im) < 0)
		return fx_error("%s: a record no entry added", where);
	if (p && strlen(p + 6) >= 64) {
		memcpy(id, p + 6, 64);
		id[64] = '\0';
		w = json_object_get(im->withdrawn, id);
	}
	ret = fx_case_import_record(im->c, line, len, (int64_t)im->entry,
				    w ? (int64_t)json_integer_value(w) : -1, where);
	im->left--;
	if (!im->left)
		im->entry++;
	return ret;
}

static int on_withdrawn(char *line, size_t len, unsigned long no, void *ctx)
{
	struct imp *im = ctx;
	json_t *w = json_loadb(line, len, 0, NULL);

	if (!w || !json_is_string(json_object_get(w, "id"))) {
		json_decref(w);
		return fx_error("data/records/withdrawn.jsonl:%lu: not a withdrawal", no);
	}
	json_object_set(im->withdrawn, json_string_value(json_object_get(w, "id")),
			json_object_get(w, "entry"));
	json_decref(w);
	return 0;
}

int fx_export_import(const char *pkg, const char *dir, const struct fx_actor *who,
		     int quiet, json_t **result)
{
	struct meta m[] = {
		{ "data/custody/custody.jsonl", FX_BUF_INIT },
		{ "data/custody/objects.jsonl", FX_BUF_INIT },
		{ "data/records/records.jsonl", FX_BUF_INIT },
		{ "data/records/withdrawn.jsonl", FX_BUF_INIT },
	};
	struct imp im;
	struct fx_case *c = NULL;
	json_t *v = NULL, *detail, *in;
	const char *case_id;
	uint64_t stored = 0, size;
	fx_mhash root;
	char hex[FX_SHA256_HEX];
	size_t i;
	int r, ret = -1;

	memset(&im, 0, sizeof(im));
	*result = NULL;
	r = fx_export_verify(pkg, quiet, &v);
	if (r != 0) {
		if (r > 0)
			fx_error("'%s' does not verify: nothing imported", pkg);
		json_decref(v);
		return r < 0 ? -1 : 1;
	}
	case_id = json_string_value(json_object_get(v, "case"));
	if (!case_id) {
		fx_error("'%s': bag-info.txt names no FX-Case: not an fx package", pkg);
		goto out;
	}
	c = fx_case_import_begin(dir, case_id, who);
	if (!c)
		goto out;
	if (read_payload(pkg, c, m, sizeof(m) / sizeof(m[0]), quiet, &stored) < 0)
		goto fail;
	im.c = c;
	im.entries = json_array();
	im.withdrawn = json_object();
	if (each_line(&m[0].buf, on_entry, &im) < 0)
		goto fail;
	im.what = "objects";
	if (each_line(&m[1].buf, on_object, &im) < 0)
		goto fail;
	im.entry = 0;
	im.left = 0;
	im.what = "records";
	if (each_line(&m[3].buf, on_withdrawn, &im) < 0 || each_line(&m[2].buf, on_record, &im) < 0)
		goto fail;
	if (fx_case_import_end(c) < 0)
		goto fail;
	/* The import itself, on top of the log it continues. */
	if (fx_case_head(c, &size, root) < 0 || fx_case_begin(c, "import") < 0)
		goto fail;
	in = json_pack("{s:s,s:O,s:O}", "path", pkg, "oxum", json_object_get(v, "oxum"),
		       "custody", json_object_get(v, "custody"));
	fx_case_note_input(c, in);
	json_decref(in);
	detail = json_pack("{s:s,s:I,s:s,s:O}", "package", pkg, "continues", (json_int_t)size,
			   "root", fx_hex(root, 32, hex), "signed", json_object_get(v, "signed"));
	if (fx_case_commit(c, detail, NULL) < 0) {
		json_decref(detail);
		goto out;
	}
	json_object_set_new(detail, "case", json_string(case_id));
	json_object_set_new(detail, "dir", json_string(dir));
	json_object_set(detail, "records", json_object_get(v, "records"));
	json_object_set_new(detail, "objects", json_integer((json_int_t)stored));
	*result = detail;
	ret = 0;
	goto out;
fail:
	fx_error("'%s': the import into '%s' failed; remove that folder before trying again", pkg,
		 dir);
out:
	fx_case_free(c);
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		fx_buf_release(&m[i].buf);
	json_decref(im.entries);
	json_decref(im.withdrawn);
	json_decref(v);
	return ret;
}
