#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fx_err.h"
#include "fx_json.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

json_t *fx_record_new(const char *type, const char *case_id, const char *tool)
{
	json_t *rec = json_object();

	if (!rec)
		return NULL;
	json_object_set_new(rec, FX_KEY_V, json_integer(FX_RECORD_VERSION));
	json_object_set_new(rec, FX_KEY_TYPE, json_string(type));
	if (case_id)
		json_object_set_new(rec, FX_KEY_CASE, json_string(case_id));
	json_object_set_new(rec, FX_KEY_TOOL, json_string(tool ? tool : fx_progname()));
	json_object_set_new(rec, FX_KEY_DATA, json_object());
	return rec;
}

char *fx_record_canonical(const json_t *rec, size_t *len)
{
	struct fx_buf b = FX_BUF_INIT;

	if (fx_json_canon(&b, rec, FX_KEY_ID, NULL) < 0) {
		fx_buf_release(&b);
		return NULL;
	}
	if (len)
		*len = b.len;
	return b.data;
}

int fx_record_id(const json_t *rec, char hex[FX_SHA256_HEX])
{
	uint8_t md[FX_SHA256_LEN];
	size_t len;
	char *canon = fx_record_canonical(rec, &len);

	if (!canon)
		return -1;
	fx_sha256(canon, len, md);
	fx_hex(md, sizeof(md), hex);
	free(canon);
	return 0;
}

int fx_record_seal(json_t *rec)
{
	char hex[FX_SHA256_HEX];

	if (fx_record_id(rec, hex) < 0)
		return fx_error("record cannot be encoded (a number that is not finite)");
	json_object_set_new(rec, FX_KEY_ID, json_string(hex));
	return 0;
}

int fx_record_line_buf(const json_t *rec, struct fx_buf *b, uint8_t id[FX_SHA256_LEN])
{
	size_t start = b->len, at, n = 0;
	char ins[80];
	int first, last;

	/* Encode once without the id, hash, then splice the id in its sorted place. */
	if (fx_json_canon(b, rec, FX_KEY_ID, &at) < 0) {
		b->len = start;
		if (b->data)
			b->data[start] = '\0';
		return -1;
	}
	fx_sha256(b->data + start, b->len - start, id);
	first = b->data[at - 1] == '{';
	last = b->data[at] == '}';
	/* ,"id":"<hex>" or "id":"<hex>", as its neighbours need */
	if (!first)
		ins[n++] = ',';
	memcpy(ins + n, "\"id\":\"", 6);
	n += 6;
	fx_hex(id, FX_SHA256_LEN, ins + n);
	n += 2 * FX_SHA256_LEN;
	ins[n++] = '"';
	if (first && !last)
		ins[n++] = ',';
	fx_buf_grow(b, n);
	memmove(b->data + at + n, b->data + at, b->len - at + 1);
	memcpy(b->data + at, ins, n);
	b->len += n;
	return 0;
}

char *fx_record_line(json_t *rec, size_t *len, char hex[FX_SHA256_HEX])
{
	struct fx_buf b = FX_BUF_INIT;
	uint8_t md[FX_SHA256_LEN];

	if (fx_record_line_buf(rec, &b, md) < 0) {
		fx_buf_release(&b);
		fx_error("record cannot be encoded (a number that is not finite)");
		return NULL;
	}
	fx_hex(md, sizeof(md), hex);
	json_object_set_new(rec, FX_KEY_ID, json_string(hex));
	if (len)
		*len = b.len;
	return b.data;
}

int fx_record_write(FILE *out, json_t *rec)
{
	char hex[FX_SHA256_HEX], *line;
	size_t len;
	int ret = 0;

	line = fx_record_line(rec, &len, hex);
	if (!line)
		return -1;
	if (fwrite(line, 1, len, out) != len || fputc('\n', out) == EOF)
		ret = fx_error_errno("cannot write record");
	free(line);
	return ret;
}

int fx_record_set_time_raw(json_t *rec, long long raw, int unit)
{
	char t[FX_TIME_LEN];
	json_t *data = json_object_get(rec, FX_KEY_DATA);

	if (data) {
		json_object_set_new(data, "time_raw", json_integer(raw));
		json_object_set_new(data, "time_unit",
				    json_string(fx_time_unit_name((enum fx_time_unit)unit)));
	}
	if (fx_time_convert(raw, (enum fx_time_unit)unit, t) < 0)
		return -1;
	json_object_set_new(rec, FX_KEY_TIME, json_string(t));
	return 0;
}

/* ---- JSON helpers ---- */

json_t *fx_json_hex(const void *bytes, size_t len)
{
	char *hex = fx_xmalloc(2 * len + 1);
	json_t *v;

	fx_hex(bytes, len, hex);
	v = json_pack("{s:s}", FX_KEY_HEX, hex);
	free(hex);
	return v;
}

/* Whether s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, need;
	unsigned cp, min;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			need = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (need >= n - i)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

json_t *fx_json_text(const void *bytes, size_t len)
{
	if (valid_utf8(bytes, len))
		return json_stringn(bytes, len);
	return fx_json_hex(bytes, len);
}

char *fx_json_dump(const json_t *v)
{
	struct fx_buf b = FX_BUF_INIT;

	if (fx_json_canon(&b, v, NULL, NULL) < 0) {
		fx_buf_release(&b);
		return NULL;
	}
	return b.data;
}

static int is_hex_object(const json_t *v)
{
	return json_is_object(v) && json_object_size(v) == 1 &&
	       json_is_string(json_object_get(v, FX_KEY_HEX));
}

void fx_json_text_each(const json_t *v, void (*fn)(const char *s, size_t n, void *ctx),
		       void *ctx)
{
	const char *key;
	json_t *val;
	size_t i;

	if (json_is_string(v)) {
		/* Hashes are found by id and column, not by words. */
		if (json_string_length(v) == 64 && fx_is_sha256_hex(json_string_value(v)))
			return;
		fn(json_string_value(v), json_string_length(v), ctx);
	} else if (json_is_object(v) && !is_hex_object(v)) {
		json_object_foreach((json_t *)v, key, val)
			fx_json_text_each(val, fn, ctx);
	} else if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			fx_json_text_each(json_array_get(v, i), fn, ctx);
	}
}

static void add_text(const char *s, size_t n, void *ctx)
{
	struct fx_buf *b = ctx;

	if (b->len)
		fx_buf_add(b, "\n", 1);
	fx_buf_add(b, s, n);
}

char *fx_json_text_of(const json_t *v)
{
	struct fx_buf b = FX_BUF_INIT;

	fx_json_text_each(v, add_text, &b);
	if (!b.data)
		return fx_xstrdup("");
	return b.data;
}

/* ---- checking ---- */

static int check_field(const struct fx_field *f, const json_t *v, const char *where,
		       const char *type)
{
	int ok = 1;
	int64_t ms;

	switch (f->type) {
	case FX_F_STRING:
		ok = json_is_string(v);
		break;
	case FX_F_TEXT:
		ok = json_is_string(v) || is_hex_object(v);
		break;
	case FX_F_INT:
		ok = json_is_integer(v);
		break;
	case FX_F_NUMBER:
		ok = json_is_number(v);
		break;
	case FX_F_BOOL:
		ok = json_is_boolean(v);
		break;
	case FX_F_TIME:
		ok = json_is_string(v) && fx_time_parse(json_string_value(v), &ms) == 0;
		break;
	case FX_F_SHA256:
		ok = json_is_string(v) && fx_is_sha256_hex(json_string_value(v));
		break;
	case FX_F_OBJECT:
		ok = json_is_object(v);
		break;
	case FX_F_ARRAY:
		ok = json_is_array(v);
		break;
	case FX_F_ANY:
		break;
	}
	if (!ok)
		return fx_error("%s: %s record: data.%s is not %s", where, type, f->name,
				fx_field_type_name(f->type));
	return 0;
}

int fx_record_check(const json_t *rec, const char *where)
{
	return fx_record_check_flags(rec, where, 0);
}

int fx_record_check_flags(const json_t *rec, const char *where, unsigned flags)
{
	const struct fx_type *t;
	const struct fx_field *f;
	json_t *v, *data, *src, *id;
	const char *type;
	char hex[FX_SHA256_HEX];
	int64_t ms;

	if (!json_is_object(rec))
		return fx_error("%s: not a JSON object", where);
	v = json_object_get(rec, FX_KEY_V);
	if (!json_is_integer(v))
		return fx_error("%s: no format version \"v\"", where);
	if (json_integer_value(v) != FX_RECORD_VERSION)
		return fx_error("%s: format version %" JSON_INTEGER_FORMAT
				" is not supported (this is version %d)",
				where, json_integer_value(v), FX_RECORD_VERSION);
	type = json_string_value(json_object_get(rec, FX_KEY_TYPE));
	if (!type)
		return fx_error("%s: no record type", where);
	t = fx_type_find(type);
	if (!t)
		return fx_error("%s: unknown record type '%s'", where, type);
	v = json_object_get(rec, FX_KEY_CASE);
	if (v && !json_is_string(v))
		return fx_error("%s: \"case\" is not a string", where);
	v = json_object_get(rec, FX_KEY_DEVICE);
	if (v && !json_is_string(v))
		return fx_error("%s: \"device\" is not a string", where);
	if (!json_is_string(json_object_get(rec, FX_KEY_TOOL)))
		return fx_error("%s: no \"tool\"", where);
	v = json_object_get(rec, FX_KEY_TIME);
	if (v && (!json_is_string(v) || fx_time_parse(json_string_value(v), &ms) < 0))
		return fx_error("%s: \"time\" is not an RFC 3339 time", where);
	src = json_object_get(rec, FX_KEY_SRC);
	if (src) {
		if (!json_is_object(src))
			return fx_error("%s: \"src\" is not an object", where);
		v = json_object_get(src, FX_SRC_SHA256);
		if (v && !(json_is_string(v) && fx_is_sha256_hex(json_string_value(v))))
			return fx_error("%s: src.sha256 is not a SHA-256 in lowercase hex", where);
	}
	data = json_object_get(rec, FX_KEY_DATA);
	if (!json_is_object(data))
		return fx_error("%s: no \"data\" object", where);
	for (f = t->fields; f->name; f++) {
		v = json_object_get(data, f->name);
		if (!v || json_is_null(v)) {
			if (f->required)
				return fx_error("%s: %s record: data.%s is missing", where,
						type, f->name);
			continue;
		}
		if (check_field(f, v, where, type) < 0)
			return -1;
	}
	id = json_object_get(rec, FX_KEY_ID);
	if (id && !(flags & FX_CHECK_NO_ID)) {
		if (!json_is_string(id) || !fx_is_sha256_hex(json_string_value(id)))
			return fx_error("%s: \"id\" is not a SHA-256 in lowercase hex", where);
		if (fx_record_id(rec, hex) < 0)
			return fx_error("%s: record cannot be encoded", where);
		if (strcmp(hex, json_string_value(id)) != 0)
			return fx_error("%s: id does not match the record's content "
					"(changed after it was made?)", where);
	}
	return 0;
}

/* ---- reading ---- */

/* Input is read in blocks of this size; a longer line grows the block. */
#define READ_BLOCK (256u << 10)

int fx_reader_open(struct fx_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	if (!path || strcmp(path, "-") == 0) {
		r->fp = stdin;
		r->name = "stdin";
		return 0;
	}
	r->fp = fopen(path, "re");
	if (!r->fp)
		return fx_error_errno("cannot open '%s'", path);
	r->name = path;
	r->own = 1;
	return 0;
}

void fx_reader_close(struct fx_reader *r)
{
	if (r->own && r->fp)
		fclose(r->fp);
	free(r->blk);
	r->fp = NULL;
	r->blk = r->buf = NULL;
	r->pending = NULL;
}

static void feed(struct fx_reader *r, const char *p, size_t n)
{
	int i;

	for (i = 0; i < FX_READER_HASHES; i++)
		if (r->hash[i])
			fx_hash_update(r->hash[i], p, n);
}

/*
 * Feeds the line read last to the digests, its newline put back where
 * the line's NUL was.
 */
static void feed_pending(struct fx_reader *r)
{
	if (!r->pending)
		return;
	if (r->pending_nl)
		((char *)r->pending)[r->pending_len - 1] = '\n';
	feed(r, r->pending, r->pending_len);
	r->pending = NULL;
}

/*
 * Reads more input after what is there, first moving the unread bytes
 * to the front (or growing the block when they fill it). Keeps a byte
 * free for a NUL. Returns 1, 0 at the end, -1 on a read error (errno).
 */
static int fill(struct fx_reader *r)
{
	size_t n;

	if (r->eof)
		return 0;
	if (r->pos) {
		memmove(r->blk, r->blk + r->pos, r->blk_len - r->pos);
		r->blk_len -= r->pos;
		r->pos = 0;
	}
	if (r->blk_len + 1 >= r->blk_cap) {
		r->blk_cap = r->blk_cap ? r->blk_cap * 2 : READ_BLOCK;
		r->blk = fx_xrealloc(r->blk, r->blk_cap);
	}
	n = fread(r->blk + r->blk_len, 1, r->blk_cap - r->blk_len - 1, r->fp);
	r->blk_len += n;
	if (n)
		return 1;
	if (ferror(r->fp))
		return -1;
	r->eof = 1;
	return 0;
}

/*
 * Skips the rest of a line longer than FX_RECORD_MAX_LINE, feeding it to
 * the digests, and reports it.
 */
static int skip_long_line(struct fx_reader *r)
{
	const char *nl;
	size_t n;
	int rc;

	for (;;) {
		nl = memchr(r->blk + r->pos, '\n', r->blk_len - r->pos);
		n = nl ? (size_t)(nl - (r->blk + r->pos)) + 1 : r->blk_len - r->pos;
		feed(r, r->blk + r->pos, n);
		r->pos += n;
		if (nl)
			break;
		rc = fill(r);
		if (rc == 0)
			break;
		if (rc < 0) {
			r->done = 1;
			r->bad++;
			return fx_error_errno("%s:%lu: cannot read", r->name, r->line + 1);
		}
	}
	r->line++;
	r->bad++;
	return fx_error("%s:%lu: line longer than %u bytes", r->name, r->line,
			FX_RECORD_MAX_LINE);
}

/*
 * Reads one line: r->buf points at it in the block, NUL-terminated, and
 * it is left pending for the digests. Returns 1, 0 at the end, -1
 * (reported) on a read error or a line too long.
 */
static int read_line(struct fx_reader *r, int *complete)
{
	const char *nl;
	size_t seen = 0, n;
	int rc;

	feed_pending(r);
	r->len = 0;
	*complete = 0;
	if (r->done)
		return 0;
	for (;;) {
		n = r->blk_len - r->pos;
		nl = n > seen ? memchr(r->blk + r->pos + seen, '\n', n - seen) : NULL;
		if (nl) {
			*complete = 1;
			n = (size_t)(nl - (r->blk + r->pos));
			break;
		}
		if (n >= FX_RECORD_MAX_LINE)
			return skip_long_line(r);
		seen = n;
		rc = fill(r);
		if (rc < 0) {
			r->done = 1;
			r->bad++;
			return fx_error_errno("%s:%lu: cannot read", r->name, r->line + 1);
		}
		if (rc == 0) {
			if (r->blk_len == r->pos)
				return 0;
			n = r->blk_len - r->pos;
			break;
		}
	}
	r->buf = r->blk + r->pos;
	r->len = n;
	r->buf[n] = '\0';
	r->pending = r->buf;
	r->pending_len = n + (size_t)*complete;
	r->pending_nl = *complete;
	r->pos += r->pending_len;
	r->line++;
	return 1;
}

static int next(struct fx_reader *r, json_t **rec, int check)
{
	char where[512];
	json_error_t err;
	json_t *v;
	int complete, n;

	for (;;) {
		n = read_line(r, &complete);
		if (n <= 0)
			return n;
		if (r->len == 0 || strspn(r->buf, " \t\r") == r->len) {
			feed_pending(r);
			continue;
		}
		break;
	}
	snprintf(where, sizeof(where), "%s:%lu", r->name, r->line);
	v = json_loadb(r->buf, r->len, JSON_ALLOW_NUL, &err);
	if (!v) {
		r->bad++;
		if (!complete)
			return fx_error("%s: truncated line (no newline at end of input): %s",
					where, err.text);
		return fx_error("%s: invalid JSON at column %d: %s", where, err.column,
				err.text);
	}
	if (!json_is_object(v)) {
		json_decref(v);
		r->bad++;
		return fx_error("%s: not a JSON object", where);
	}
	if (check && fx_record_check(v, where) < 0) {
		json_decref(v);
		r->bad++;
		return -1;
	}
	*rec = v;
	return 1;
}

int fx_reader_next(struct fx_reader *r, json_t **rec)
{
	return next(r, rec, 1);
}

int fx_reader_next_raw(struct fx_reader *r, json_t **rec)
{
	return next(r, rec, 0);
}
