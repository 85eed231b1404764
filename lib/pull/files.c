#include <stdlib.h>
#include <string.h>

#include "fx_err.h"
#include "fx_magic.h"
#include "fx_pull.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_walk.h"
#include "fx_banned.h"

static const char *kind_name(enum fx_walk_kind k)
{
	switch (k) {
	case FX_WALK_FILE: return "file";
	case FX_WALK_SYMLINK: return "symlink";
	case FX_WALK_HARDLINK: return "hardlink";
	case FX_WALK_DIR: return "dir";
	default: return "other";
	}
}

/* Hashes (and stores, with a case) the member's bytes. Returns 0 or -1. */
static int take_bytes(const struct fx_pull_opts *o, struct fx_walk *w,
		      const struct fx_walk_entry *e, char hex[FX_SHA256_HEX], uint64_t *size,
		      const char **mime)
{
	struct fx_store_put *put = NULL;
	struct fx_hash *h = NULL;
	uint8_t md[32];
	const void *buf;
	ssize_t n;
	int existed;

	*mime = NULL;
	if (e->kind == FX_WALK_SYMLINK) {
		/* A link's evidence is its target text. */
		*size = strlen(e->link);
		if (o->c)
			return fx_store_put_buf(fx_case_store(o->c), e->link, *size, hex, &existed);
		fx_sha256(e->link, *size, md);
		fx_hex(md, 32, hex);
		return 0;
	}
	if (o->c) {
		put = fx_store_put_begin(fx_case_store(o->c));
		if (!put)
			return -1;
	} else {
		h = fx_hash_new(FX_HASH_SHA256);
	}
	*size = 0;
	while ((n = fx_walk_read(w, &buf)) > 0) {
		/* The type from the first block, in the same pass as the hash. */
		if (*size == 0)
			*mime = fx_magic_type(buf, (size_t)n);
		*size += (uint64_t)n;
		if (put && fx_store_put_write(put, buf, (size_t)n) < 0) {
			n = -1;
			break;
		}
		if (h)
			fx_hash_update(h, buf, (size_t)n);
	}
	if (n < 0) {
		if (put)
			fx_store_put_abort(put);
		fx_hash_free(h);
		return -1;
	}
	if (put)
		return fx_store_put_commit(put, hex, size, &existed);
	fx_hash_final(h, md);
	fx_hash_free(h);
	fx_hex(md, 32, hex);
	return 0;
}

static json_t *file_record(const struct fx_pull_opts *o, const char *src,
			   const struct fx_walk_entry *e, const char *hex, uint64_t size,
			   const char *mime)
{
	json_t *rec = fx_record_new("file", o->c ? fx_case_id(o->c) : NULL, NULL);
	json_t *data = json_object_get(rec, FX_KEY_DATA);
	char t[FX_TIME_LEN];

	if (o->device)
		json_object_set_new(rec, FX_KEY_DEVICE, json_string(o->device));
	json_object_set_new(data, "path", json_string(e->path));
	json_object_set_new(data, "sha256", json_string(hex));
	json_object_set_new(data, "size", json_integer((json_int_t)size));
	json_object_set_new(data, "mode", json_integer((json_int_t)(e->mode & 07777)));
	json_object_set_new(data, "kind", json_string(kind_name(e->kind)));
	if (mime)
			json_object_set_new(data, "mime", json_string(mime));
	if (e->link)
		json_object_set_new(data, "link", fx_json_text(e->link, strlen(e->link)));
	if (e->raw_hex)
		json_object_set_new(data, "raw_path", json_pack("{s:s}", FX_KEY_HEX, e->raw_hex));
	if (e->flags)
		json_object_set_new(data, "name_flags", json_integer(e->flags));
	if (fx_time_format(e->mtime_ms, t) == 0) {
		json_object_set_new(data, "mtime", json_string(t));
		json_object_set_new(rec, FX_KEY_TIME, json_string(t));
	}
	json_object_set_new(rec, FX_KEY_SRC, json_pack("{s:s,s:s}", FX_SRC_PATH, src,
						       FX_SRC_MEMBER, e->path));
	return rec;
}

static int commit(const struct fx_pull_opts *o, const char *src, uint64_t files)
{
	json_t *detail = json_pack("{s:s,s:I}", "source", src, "files", (json_int_t)files);
	int ret = fx_case_commit(o->c, detail, NULL);

	json_decref(detail);
	return ret;
}

int fx_pull_files(const struct fx_pull_opts *o, const char *src, struct fx_pull_stats *st)
{
	struct fx_walk *w = fx_walk_open(src);
	struct fx_walk_entry *e;
	struct fx_progress prog;
	char hex[FX_SHA256_HEX], where[64];
	unsigned inbatch = 0;
	uint64_t size;
	const char *mime;
	json_t *rec, *in;
	int n, failed = 0;

	if (!w)
		return -1;
	fx_progress_init(&prog, o->quiet);
	while ((n = fx_walk_next(w, &e)) != 0) {
		if (n < 0) {
			st->problems++;
			continue;
		}
		if (e->kind != FX_WALK_FILE && e->kind != FX_WALK_SYMLINK)
			continue;
		if (o->c && !inbatch) {
			if (fx_case_begin(o->c, "pull") < 0)
				goto fatal;
			in = json_pack("{s:s,s:s}", "kind", "files", "path", src);
			fx_case_note_input(o->c, in);
			json_decref(in);
		}
		if (take_bytes(o, w, e, hex, &size, &mime) < 0) {
			st->problems++;
			continue;
		}
		st->files++;
		st->bytes += size;
		if (o->on_file && e->kind == FX_WALK_FILE)
			o->on_file(o->on_file_ctx, e->path, hex, size, e->mtime_ms);
		rec = file_record(o, src, e, hex, size, mime);
		if (o->c) {
			fx_case_note_object(o->c, hex);
			snprintf(where, sizeof(where), "member %llu", (unsigned long long)st->files);
			if (fx_case_add_record(o->c, rec, where, NULL) < 0) {
				json_decref(rec);
				goto fatal;
			}
			st->stored++;
			inbatch++;
		}
		if (o->out && fx_record_write(o->out, rec) < 0) {
			json_decref(rec);
			goto fatal;
		}
		json_decref(rec);
		if (o->c && inbatch >= o->batch) {
			if (commit(o, src, inbatch) < 0)
				goto fatal;
			inbatch = 0;
		}
		fx_progress(&prog, "%s: %llu files, %llu MB", src, (unsigned long long)st->files,
			    (unsigned long long)(st->bytes >> 20));
	}
	if (o->c && inbatch && commit(o, src, inbatch) < 0)
		goto fatal;
	fx_progress_done(&prog);
	failed = fx_walk_errors(w) > 0 || st->problems > 0;
	fx_walk_free(w);
	return failed;
fatal:
	fx_progress_done(&prog);
	if (o->c)
		fx_case_rollback(o->c);
	fx_walk_free(w);
	return -1;
}
