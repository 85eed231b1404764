/*
 * leveldb.c - the forensic LevelDB reader of fx_leveldb.h: logs and
 * tables parsed from their raw bytes, every entry kept with where it was
 * found, and Chromium's DOM storage keys decoded.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <snappy-c.h>

#include "fx_buf.h"
#include "fx_err.h"
#include "fx_io.h"
#include "fx_leveldb.h"
#include "fx_banned.h"

#define LOG_BLOCK 32768
#define LOG_HEADER 7
#define FOOTER_LEN 48
#define TRAILER_LEN 5 /* compression type + masked CRC32C */
#define TABLE_MAGIC 0xdb4775248b80fb57ULL
#define BATCH_HEADER 12 /* sequence (8) + count (4) */

enum { REC_ZERO, REC_FULL, REC_FIRST, REC_MIDDLE, REC_LAST };
enum { TYPE_DELETION = 0, TYPE_VALUE = 1 };

/* One collected entry; key and value are offsets into rd.data. */
struct ent {
	size_t file; /* index into rd.names */
	enum fx_leveldb_kind kind;
	uint64_t offset;
	uint32_t pos;
	uint64_t seq;
	int deleted;
	int live;
	size_t key, key_len, val, val_len;
};

/* The state of one read: the CRC table, the entries, the file at hand. */
struct rd {
	uint32_t crc[256];
	struct ent *ents;
	size_t n, cap;
	struct fx_buf data; /* keys and values of all entries */
	size_t mem;         /* bytes held, against FX_LEVELDB_MAX_MEMORY */
	int over;           /* the memory limit was hit: stop everything */
	const char *top;    /* the folder or file asked for, for messages */
	char **names;
	size_t nnames;
	const char *path;   /* the file being read */
	unsigned damage;    /* problems reported */
	struct fx_buf key;  /* a block's current key */
	struct fx_buf frag; /* a log record being joined from fragments */
};

/*
 * Reports damage in the file being read; the caller then skips it. The
 * result is always -1, so that callers can return it.
 */
static int damage(struct rd *r, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int damage(struct rd *r, uint64_t off, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->damage++;
	return fx_error("'%s': offset %llu: %s", r->path, (unsigned long long)off, msg);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* LevelDB's varints; -1 when the bytes run out or the number is too long. */
static int get_varint64(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t r = 0;
	unsigned shift;

	for (shift = 0; shift <= 63 && *p < end; shift += 7) {
		uint64_t b = *(*p)++;

		r |= (b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

static int get_varint32(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
	const unsigned char *start = *p;
	uint64_t w;

	if (get_varint64(p, end, &w) < 0 || *p - start > 5 || w > UINT32_MAX)
		return -1;
	*v = (uint32_t)w;
	return 0;
}

/* A varint32 length then that many bytes, all inside [*p, end). */
static int get_slice(const unsigned char **p, const unsigned char *end, const unsigned char **s,
		     size_t *n)
{
	uint32_t len;

	if (get_varint32(p, end, &len) < 0 || len > (size_t)(end - *p))
		return -1;
	*s = *p;
	*n = len;
	*p += len;
	return 0;
}

/* CRC32C (Castagnoli), as LevelDB computes and masks it. */
static void crc_init(uint32_t t[256])
{
	uint32_t i, c, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78U : c >> 1;
		t[i] = c;
	}
}

static uint32_t crc_extend(const uint32_t t[256], uint32_t crc, const unsigned char *p, size_t n)
{
	uint32_t c = ~crc;

	while (n--)
		c = t[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

static uint32_t crc_mask(uint32_t crc)
{
	return ((crc >> 15) | (crc << 17)) + 0xa282ead8U;
}

/* Keeps one entry; -1 once the memory limit is hit (reported once). */
static int add_entry(struct rd *r, enum fx_leveldb_kind kind, uint64_t offset, size_t pos,
		     uint64_t seq, int deleted, const unsigned char *key, size_t klen,
		     const unsigned char *val, size_t vlen)
{
	/* the entry, its copy of the key and value, and its sort record */
	size_t cost = sizeof(struct ent) + 4 * sizeof(void *);
	struct ent *e;

	if (r->over)
		return -1;
	if (klen > FX_LEVELDB_MAX_MEMORY || vlen > FX_LEVELDB_MAX_MEMORY ||
	    cost + klen + vlen > FX_LEVELDB_MAX_MEMORY - r->mem) {
		r->over = 1;
		return fx_error("'%s': more than %zu MiB of entries; too large to read", r->top,
				FX_LEVELDB_MAX_MEMORY >> 20);
	}
	r->mem += cost + klen + vlen;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->ents = fx_xrealloc(r->ents, r->cap * sizeof(*r->ents));
	}
	e = &r->ents[r->n++];
	e->file = r->nnames - 1;
	e->kind = kind;
	e->offset = offset;
	e->pos = pos > UINT32_MAX ? UINT32_MAX : (uint32_t)pos;
	e->seq = seq;
	e->deleted = deleted;
	e->live = 0;
	e->key = r->data.len;
	e->key_len = klen;
	fx_buf_add(&r->data, key, klen);
	e->val = r->data.len;
	e->val_len = deleted ? 0 : vlen;
	if (!deleted)
		fx_buf_add(&r->data, val, vlen);
	return 0;
}

/*
 * The entries of one WriteBatch: sequence (8), count (4), then per entry
 * a tag and varint-length strings. Entries before a bad one are kept.
 */
static int read_batch(struct rd *r, const unsigned char *b, size_t n, uint64_t rec_off)
{
	const unsigned char *p = b + BATCH_HEADER, *end = b + n, *k, *v = NULL;
	size_t klen, vlen = 0, pos;
	uint64_t seq;
	uint32_t count, i = 0;

	if (n < BATCH_HEADER)
		return damage(r, rec_off, "write batch of %zu bytes is too short", n);
	seq = le64(b);
	count = le32(b + 8);
	while (p < end) {
		unsigned tag = *p;

		pos = (size_t)(p - b);
		p++;
		if (tag != TYPE_VALUE && tag != TYPE_DELETION)
			return damage(r, rec_off, "write batch entry at %zu has unknown tag %u",
				      pos, tag);
		if (get_slice(&p, end, &k, &klen) < 0 ||
		    (tag == TYPE_VALUE && get_slice(&p, end, &v, &vlen) < 0))
			return damage(r, rec_off, "write batch entry at %zu is truncated", pos);
		if (add_entry(r, FX_LEVELDB_LOG, rec_off, pos, seq + i, tag == TYPE_DELETION, k,
			      klen, v, vlen) < 0)
			return -1;
		i++;
	}
	if (i != count)
		return damage(r, rec_off, "write batch holds %u entries, its header says %u", i,
			      count);
	return 0;
}

/*
 * A log: 32 KiB blocks of physical records, joined into WriteBatches.
 * A record with a bad checksum is skipped alone when its length fits in
 * its block (the records after it carry their own checksums); a bad
 * length skips the rest of the block, as LevelDB does.
 */
static int read_log(struct rd *r, const unsigned char *buf, size_t len)
{
	size_t off = 0;
	uint64_t frag_off = 0;
	int in_frag = 0;
	/*
	 * After a record was lost (bad checksum, bad length, too long), the
	 * fragments that follow it are dropped without a report of their own.
	 */
	int skip = 0;

	while (off < len && !r->over) {
		size_t left = LOG_BLOCK - off % LOG_BLOCK, n;
		const unsigned char *h = buf + off, *payload;
		unsigned type;

		if (left < LOG_HEADER) { /* block trailer: zero padding */
			off += left;
			continue;
		}
		if (len - off < LOG_HEADER) {
			size_t i;

			for (i = off; i < len && !buf[i]; i++)
				;
			if (i < len)
				damage(r, off, "truncated record header at the end of the file");
			break;
		}
		n = (size_t)h[4] | (size_t)h[5] << 8;
		type = h[6];
		if (type == REC_ZERO && n == 0 && le32(h) == 0) {
			/* zeros: preallocated space, the rest of the block is unused */
			off += left;
			continue;
		}
		if (LOG_HEADER + n > left) {
			damage(r, off,
			       "record length %zu runs past its block; rest of block skipped", n);
			in_frag = 0;
			skip = 1;
			off += left;
			continue;
		}
		if (n > len - off - LOG_HEADER) {
			damage(r, off, "record of %zu bytes is truncated at the end of the file",
			       n);
			in_frag = 0;
			break;
		}
		payload = h + LOG_HEADER;
		if (crc_mask(crc_extend(r->crc, crc_extend(r->crc, 0, h + 6, 1), payload, n)) !=
		    le32(h)) {
			damage(r, off, "bad record checksum; record skipped");
			in_frag = 0;
			skip = 1;
			off += LOG_HEADER + n;
			continue;
		}
		switch (type) {
		case REC_FULL:
		case REC_FIRST:
			if (in_frag)
				damage(r, frag_off, "record is missing its last fragment; skipped");
			in_frag = 0;
			skip = 0;
			if (type == REC_FULL) {
				read_batch(r, payload, n, off);
				break;
			}
			fx_buf_truncate(&r->frag, 0);
			fx_buf_add(&r->frag, payload, n);
			frag_off = off;
			in_frag = 1;
			break;
		case REC_MIDDLE:
		case REC_LAST:
			if (!in_frag) {
				if (!skip)
					damage(r, off,
					       "record fragment without its first part; skipped");
				if (type == REC_LAST)
					skip = 0;
				break;
			}
			if (n > FX_LEVELDB_MAX_BLOCK - r->frag.len) {
				damage(r, frag_off, "record longer than %zu bytes; skipped",
				       FX_LEVELDB_MAX_BLOCK);
				in_frag = 0;
				skip = type != REC_LAST;
				break;
			}
			fx_buf_add(&r->frag, payload, n);
			if (type == REC_LAST) {
				in_frag = 0;
				read_batch(r, (const unsigned char *)r->frag.data, r->frag.len,
					   frag_off);
			}
			break;
		default:
			damage(r, off, "unknown record type %u; record skipped", type);
			in_frag = 0;
			skip = 1;
			break;
		}
		off += LOG_HEADER + n;
	}
	if (in_frag && !r->over)
		damage(r, frag_off, "record is missing its last fragment (truncated file)");
	return r->over ? -1 : 0;
}

/*
 * Checks a block's trailer and gives its contents: in place when stored
 * plain, else in *own (malloc'd; caller frees). -1 after reporting.
 */
static int read_block(struct rd *r, const unsigned char *buf, size_t len, uint64_t off,
		      uint64_t size, const unsigned char **out, size_t *out_len,
		      unsigned char **own)
{
	const unsigned char *data;
	size_t ulen;
	unsigned type;
	uint32_t crc;

	*own = NULL;
	if (off > len || size > len - off || len - off - size < TRAILER_LEN)
		return damage(r, off, "block of %llu bytes runs past the end of the file",
			      (unsigned long long)size);
	data = buf + off;
	type = data[size];
	crc = crc_extend(r->crc, crc_extend(r->crc, 0, data, size), data + size, 1);
	if (crc_mask(crc) != le32(data + size + 1))
		return damage(r, off, "bad block checksum; block skipped");
	switch (type) {
	case 0:
		*out = data;
		*out_len = size;
		return 0;
	case 1:
		if (snappy_uncompressed_length((const char *)data, size, &ulen) != SNAPPY_OK)
			return damage(r, off, "bad snappy block; block skipped");
		if (ulen > FX_LEVELDB_MAX_BLOCK)
			return damage(r, off, "block would decompress to %zu bytes; block skipped",
				      ulen);
		*own = fx_xmalloc(ulen ? ulen : 1);
		if (snappy_uncompress((const char *)data, size, (char *)*own, &ulen) != SNAPPY_OK) {
			free(*own);
			*own = NULL;
			return damage(r, off, "bad snappy block; block skipped");
		}
		*out = *own;
		*out_len = ulen;
		return 0;
	default:
		return damage(r, off, "unsupported compression type %u; block skipped", type);
	}
}

/* Walks the entries of a block, undoing the prefix compression of keys. */
struct blk_it {
	const unsigned char *b;
	size_t limit, pos;
	struct fx_buf *key; /* the current key */
	size_t entry_pos;   /* where the current entry starts in the block */
	const unsigned char *val;
	size_t vlen;
};

static int blk_init(struct blk_it *it, const unsigned char *b, size_t n, struct fx_buf *key)
{
	uint32_t nr;

	if (n < 4)
		return -1;
	nr = le32(b + n - 4);
	if (nr > (n - 4) / 4)
		return -1;
	it->b = b;
	it->limit = n - 4 - (size_t)nr * 4;
	it->pos = 0;
	it->key = key;
	fx_buf_truncate(key, 0);
	return 0;
}

/* 1 with the next entry, 0 at the end, -1 for an entry that does not parse. */
static int blk_next(struct blk_it *it)
{
	const unsigned char *p = it->b + it->pos, *end = it->b + it->limit;
	uint32_t shared, unshared, vlen;

	if (it->pos >= it->limit)
		return 0;
	if (get_varint32(&p, end, &shared) < 0 || get_varint32(&p, end, &unshared) < 0 ||
	    get_varint32(&p, end, &vlen) < 0 || shared > it->key->len ||
	    unshared > (size_t)(end - p) || vlen > (size_t)(end - p) - unshared)
		return -1;
	it->entry_pos = it->pos;
	fx_buf_truncate(it->key, shared);
	fx_buf_add(it->key, p, unshared);
	it->val = p + unshared;
	it->vlen = vlen;
	it->pos = (size_t)(it->val + vlen - it->b);
	return 1;
}

static int read_data_block(struct rd *r, const unsigned char *b, size_t n, uint64_t off)
{
	struct blk_it it;
	int rc;

	if (blk_init(&it, b, n, &r->key) < 0)
		return damage(r, off, "bad restart array in data block; block skipped");
	while ((rc = blk_next(&it)) > 0) {
		const unsigned char *k = (const unsigned char *)it.key->data;
		size_t klen = it.key->len;
		uint64_t tag;
		unsigned type;

		if (klen < 8) {
			damage(r, off, "entry at %zu has a key shorter than 8 bytes; skipped",
			       it.entry_pos);
			continue;
		}
		tag = le64(k + klen - 8);
		type = (unsigned)(tag & 0xff);
		if (type != TYPE_VALUE && type != TYPE_DELETION) {
			damage(r, off, "entry at %zu has unknown type %u; skipped", it.entry_pos,
			       type);
			continue;
		}
		if (add_entry(r, FX_LEVELDB_TABLE, off, it.entry_pos, tag >> 8,
			      type == TYPE_DELETION, k, klen - 8, it.val, it.vlen) < 0)
			return -1;
	}
	if (rc < 0)
		return damage(r, off, "bad entry at %zu in data block; rest of block skipped",
			      it.pos);
	return 0;
}

/*
 * A table: footer, index block, then each data block the index names.
 * Returns -1 when the table could not be read at all (no footer, no
 * index), else 0 (damaged blocks are reported and skipped).
 */
static int read_table(struct rd *r, const unsigned char *buf, size_t len)
{
	const unsigned char *p, *end, *idx;
	uint64_t meta_off, meta_size, idx_off, idx_size, next = 0;
	unsigned char *idx_own;
	struct fx_buf idx_key = FX_BUF_INIT;
	struct blk_it it;
	size_t idx_len;
	int rc = 0;

	if (len < FOOTER_LEN || le64(buf + len - 8) != TABLE_MAGIC)
		return damage(r, 0, "not a LevelDB table (no magic number at the end)");
	p = buf + len - FOOTER_LEN;
	end = p + 40;
	if (get_varint64(&p, end, &meta_off) < 0 || get_varint64(&p, end, &meta_size) < 0 ||
	    get_varint64(&p, end, &idx_off) < 0 || get_varint64(&p, end, &idx_size) < 0)
		return damage(r, len - FOOTER_LEN, "bad table footer; table skipped");
	if (read_block(r, buf, len, idx_off, idx_size, &idx, &idx_len, &idx_own) < 0)
		return damage(r, idx_off, "index block unreadable; table skipped");
	if (blk_init(&it, idx, idx_len, &idx_key) < 0) {
		free(idx_own);
		return damage(r, idx_off, "bad restart array in index block; table skipped");
	}
	while (!r->over && (rc = blk_next(&it)) > 0) {
		const unsigned char *hp = it.val, *he = it.val + it.vlen, *blk;
		uint64_t off, size;
		unsigned char *own;
		size_t blen;

		if (get_varint64(&hp, he, &off) < 0 || get_varint64(&hp, he, &size) < 0) {
			damage(r, idx_off, "index entry at %zu is not a block handle; skipped",
			       it.entry_pos);
			continue;
		}
		/* Data blocks come in file order: each byte is decompressed once. */
		if (off < next) {
			damage(r, off, "data block overlaps the one before it; skipped");
			continue;
		}
		if (read_block(r, buf, len, off, size, &blk, &blen, &own) < 0)
			continue;
		next = off + size + TRAILER_LEN;
		read_data_block(r, blk, blen, off);
		free(own);
	}
	if (rc < 0 && !r->over)
		damage(r, idx_off, "bad entry at %zu in index block; rest of table skipped",
		       it.pos);
	fx_buf_release(&idx_key);
	free(idx_own);
	return r->over ? -1 : 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * Reads one data file into r. kind is LOG, TABLE, or -1 to decide from
 * the content. Returns 0 if the file could be read (even with damage),
 * -1 if not (reported).
 */
static int read_path(struct rd *r, const char *path, const char *name, int kind)
{
	unsigned char *buf;
	size_t len;
	int rc;

	r->path = path;
	r->names = fx_xrealloc(r->names, (r->nnames + 1) * sizeof(*r->names));
	r->names[r->nnames++] = fx_xstrdup(name);
	buf = (unsigned char *)fx_read_file(path, &len, FX_LEVELDB_MAX_FILE);
	if (!buf) {
		r->damage++;
		return -1;
	}
	if (kind < 0)
		kind = len >= FOOTER_LEN && le64(buf + len - 8) == TABLE_MAGIC ? FX_LEVELDB_TABLE
									       : FX_LEVELDB_LOG;
	rc = kind == FX_LEVELDB_TABLE ? read_table(r, buf, len) : read_log(r, buf, len);
	free(buf);
	return rc;
}

/* The sort record for computing live: key bytes, then newest first. */
struct ref {
	const unsigned char *key;
	size_t len;
	uint64_t seq;
	size_t i;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n ? memcmp(x->key, y->key, n) : 0;

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq > y->seq ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void mark_live(struct rd *r)
{
	const unsigned char *data = (const unsigned char *)r->data.data;
	struct ref *refs;
	size_t i, g;

	if (!r->n)
		return;
	refs = fx_xmalloc(r->n * sizeof(*refs));
	for (i = 0; i < r->n; i++) {
		refs[i].key = data + r->ents[i].key;
		refs[i].len = r->ents[i].key_len;
		refs[i].seq = r->ents[i].seq;
		refs[i].i = i;
	}
	qsort(refs, r->n, sizeof(*refs), ref_cmp);
	/* refs[g] starts a run of one key, newest first */
	for (g = 0, i = 0; i < r->n; i++) {
		if (refs[i].len != refs[g].len ||
		    (refs[g].len && memcmp(refs[i].key, refs[g].key, refs[g].len)))
			g = i;
		if (refs[i].seq == refs[g].seq)
			r->ents[refs[i].i].live = 1;
	}
	free(refs);
}

static int emit(struct rd *r, fx_leveldb_fn fn, void *ctx)
{
	const unsigned char *data = (const unsigned char *)r->data.data;
	struct fx_leveldb_entry e;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct ent *x = &r->ents[i];

		e.file = r->names[x->file];
		e.kind = x->kind;
		e.offset = x->offset;
		e.pos = x->pos;
		e.seq = x->seq;
		e.deleted = x->deleted;
		e.live = x->live;
		e.key = data + x->key;
		e.key_len = x->key_len;
		e.value = x->deleted ? NULL : data + x->val;
		e.value_len = x->val_len;
		if (fn(&e, ctx) != 0)
			return -1;
	}
	return 0;
}

static void rd_init(struct rd *r, const char *top)
{
	memset(r, 0, sizeof(*r));
	crc_init(r->crc);
	r->top = top;
	fx_buf_grow(&r->data, 0); /* so that data.data is never NULL */
}

static void rd_release(struct rd *r)
{
	size_t i;

	for (i = 0; i < r->nnames; i++)
		free(r->names[i]);
	free(r->names);
	free(r->ents);
	fx_buf_release(&r->data);
	fx_buf_release(&r->key);
	fx_buf_release(&r->frag);
}

/* Marks live, hands out the entries, and picks the return value. */
static int finish(struct rd *r, int readable, fx_leveldb_fn fn, void *ctx)
{
	if (r->over || !readable)
		return -1;
	mark_live(r);
	if (emit(r, fn, ctx) < 0)
		return -1;
	return r->damage ? 1 : 0;
}

/* The file number in a name of the form digits + suffix; -1 if none. */
static int name_number(const char *s, size_t digits_at, const char *suffix, uint64_t *num)
{
	const char *p = s + digits_at;
	uint64_t v = 0;

	if (!*p)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == s + digits_at || strcmp(p, suffix) != 0)
		return -1;
	*num = v;
	return 0;
}

static void classify(struct fx_leveldb_file *f)
{
	const char *s = f->name;

	f->number = 0;
	if (!name_number(s, 0, ".log", &f->number))
		f->kind = FX_LEVELDB_LOG;
	else if (!name_number(s, 0, ".ldb", &f->number) || !name_number(s, 0, ".sst", &f->number))
		f->kind = FX_LEVELDB_TABLE;
	else if (!strncmp(s, "MANIFEST-", 9) && !name_number(s, 9, "", &f->number))
		f->kind = FX_LEVELDB_MANIFEST;
	else if (!strcmp(s, "CURRENT"))
		f->kind = FX_LEVELDB_CURRENT;
	else
		f->kind = FX_LEVELDB_OTHER;
}

static int file_cmp(const void *a, const void *b)
{
	const struct fx_leveldb_file *x = a, *y = b;
	int xn = x->kind == FX_LEVELDB_LOG || x->kind == FX_LEVELDB_TABLE ||
		 x->kind == FX_LEVELDB_MANIFEST;
	int yn = y->kind == FX_LEVELDB_LOG || y->kind == FX_LEVELDB_TABLE ||
		 y->kind == FX_LEVELDB_MANIFEST;

	if (xn != yn)
		return xn ? -1 : 1;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->name, y->name);
}

long fx_leveldb_list(const char *dir, struct fx_leveldb_file **files)
{
	struct fx_leveldb_file *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	struct stat st;
	DIR *d;

	*files = NULL;
	if (!(d = opendir(dir)))
		return fx_error_errno("cannot open '%s'", dir);
	for (;;) {
		errno = 0;
		if (!(de = readdir(d)))
			break;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = fx_xrealloc(v, cap * sizeof(*v));
		}
		v[n].name = fx_xstrdup(de->d_name);
		v[n].size = (uint64_t)st.st_size;
		classify(&v[n]);
		n++;
	}
	if (errno) {
		fx_error_errno("cannot read '%s'", dir);
		closedir(d);
		fx_leveldb_files_free(v, (long)n);
		return -1;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), file_cmp);
	*files = v;
	return (long)n;
}

void fx_leveldb_files_free(struct fx_leveldb_file *files, long n)
{
	long i;

	for (i = 0; i < n; i++)
		free(files[i].name);
	free(files);
}

int fx_leveldb_read(const char *dir, fx_leveldb_fn fn, void *ctx)
{
	struct fx_leveldb_file *files;
	long n, i;
	int data = 0, readable = 0, other = 0, ret;
	struct rd r;

	if ((n = fx_leveldb_list(dir, &files)) < 0)
		return -1;
	rd_init(&r, dir);
	for (i = 0; i < n && !r.over; i++) {
		char *path;

		if (files[i].kind == FX_LEVELDB_MANIFEST || files[i].kind == FX_LEVELDB_CURRENT)
			other = 1;
		if (files[i].kind != FX_LEVELDB_LOG && files[i].kind != FX_LEVELDB_TABLE)
			continue;
		data = 1;
		path = fx_path_join(dir, files[i].name);
		if (read_path(&r, path, files[i].name, (int)files[i].kind) == 0)
			readable = 1;
		free(path);
	}
	if (!data && !other) {
		ret = fx_error("'%s' holds no LevelDB files", dir);
	} else {
		ret = finish(&r, readable || !data, fn, ctx);
	}
	rd_release(&r);
	fx_leveldb_files_free(files, n);
	return ret;
}

int fx_leveldb_read_file(const char *path, fx_leveldb_fn fn, void *ctx)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int kind = -1, ret;
	struct rd r;

	if (has_suffix(name, ".log"))
		kind = FX_LEVELDB_LOG;
	else if (has_suffix(name, ".ldb") || has_suffix(name, ".sst"))
		kind = FX_LEVELDB_TABLE;
	rd_init(&r, path);
	ret = finish(&r, read_path(&r, path, name, kind) == 0, fn, ctx);
	rd_release(&r);
	return ret;
}

/*
 * Chromium's DOM storage keys. Text that cannot be shown as UTF-8 is kept
 * as hex of the raw bytes, so nothing is lost or made up.
 */

static char *hex_dup(const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = fx_xmalloc(2 * n + 1), *o = s;

	while (n--) {
		*o++ = digits[*p >> 4];
		*o++ = digits[*p++ & 15];
	}
	*o = '\0';
	return s;
}

/* Strict UTF-8 (RFC 3629), without NUL, which a C string cannot hold. */
static int utf8_ok(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i], need, min, cp, k;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* UTF-16LE to UTF-8; NULL for an odd length, an unpaired surrogate or NUL. */
static char *utf16_dup(const unsigned char *p, size_t n)
{
	struct fx_buf b = FX_BUF_INIT;
	size_t i;

	if (n % 2)
		return NULL;
	fx_buf_grow(&b, n * 3 / 2);
	for (i = 0; i < n; i += 2) {
		uint32_t c = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;

		if (c >= 0xd800 && c <= 0xdbff && i + 3 < n) {
			uint32_t lo = (uint32_t)p[i + 2] | (uint32_t)p[i + 3] << 8;

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
		}
		if (c == 0 || (c >= 0xd800 && c <= 0xdfff)) {
			fx_buf_release(&b);
			return NULL;
		}
		fx_buf_add_utf8(&b, c);
	}
	fx_buf_truncate(&b, b.len);
	return b.data;
}

/* Latin-1 to UTF-8; NULL if it holds NUL. */
static char *latin1_dup(const unsigned char *p, size_t n)
{
	struct fx_buf b = FX_BUF_INIT;
	size_t i;

	fx_buf_grow(&b, n * 2);
	for (i = 0; i < n; i++) {
		if (!p[i]) {
			fx_buf_release(&b);
			return NULL;
		}
		fx_buf_add_utf8(&b, p[i]);
	}
	fx_buf_truncate(&b, b.len);
	return b.data;
}

/* UTF-8 text as it is, else hex with flag set in *hex. */
static char *text_dup(const unsigned char *p, size_t n, unsigned *hex, unsigned flag)
{
	char *s;

	if (!utf8_ok(p, n)) {
		*hex |= flag;
		return hex_dup(p, n);
	}
	s = fx_xmalloc(n + 1);
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* A localStorage string: an encoding byte, then UTF-16LE or Latin-1. */
static char *script_dup(const unsigned char *p, size_t n, unsigned *hex, unsigned flag)
{
	char *s = NULL;

	if (n >= 1 && p[0] == 0)
		s = utf16_dup(p + 1, n - 1);
	else if (n >= 1 && p[0] == 1)
		s = latin1_dup(p + 1, n - 1);
	if (!s) {
		*hex |= flag;
		s = hex_dup(p, n);
	}
	return s;
}

/* The varint fields of a META:/METAACCESS: protobuf; stops at anything odd. */
static void meta_fields(const unsigned char *p, size_t n, int access, struct fx_leveldb_chromium *c)
{
	const unsigned char *end = p + n;
	uint64_t tag, v;

	while (p < end && get_varint64(&p, end, &tag) == 0) {
		switch (tag & 7) {
		case 0: /* varint */
			if (get_varint64(&p, end, &v) < 0)
				return;
			if ((tag >> 3) == 1 && access) {
				c->last_accessed = (int64_t)v;
				c->has_last_accessed = 1;
			} else if ((tag >> 3) == 1) {
				c->last_modified = (int64_t)v;
				c->has_last_modified = 1;
			} else if ((tag >> 3) == 2 && !access) {
				c->size = v;
				c->has_size = 1;
			}
			break;
		case 1: /* 64-bit */
			if (end - p < 8)
				return;
			p += 8;
			break;
		case 2: /* length-delimited */
			if (get_varint64(&p, end, &v) < 0 || v > (uint64_t)(end - p))
				return;
			p += v;
			break;
		case 5: /* 32-bit */
			if (end - p < 4)
				return;
			p += 4;
			break;
		default:
			return;
		}
	}
}

static int key_is(const unsigned char *k, size_t n, const char *s)
{
	return n == strlen(s) && !memcmp(k, s, n);
}

static int key_has_prefix(const unsigned char *k, size_t n, const char *s)
{
	return n >= strlen(s) && !memcmp(k, s, strlen(s));
}

int fx_leveldb_chromium_key(const unsigned char *key, size_t key_len, const unsigned char *value,
			    size_t value_len, struct fx_leveldb_chromium *out)
{
	struct fx_leveldb_chromium *c = out;
	const unsigned char *nul, *p;

	memset(c, 0, sizeof(*c));
	c->type = FX_LEVELDB_CR_OTHER;
	if (!value)
		value_len = 0;
	if (key_is(key, key_len, "VERSION")) {
		c->type = FX_LEVELDB_CR_LS_VERSION;
	} else if (key_has_prefix(key, key_len, "METAACCESS:")) {
		c->type = FX_LEVELDB_CR_LS_METAACCESS;
		c->origin = text_dup(key + 11, key_len - 11, &c->hex, FX_LEVELDB_CR_ORIGIN_HEX);
		if (value)
			meta_fields(value, value_len, 1, c);
		return c->type;
	} else if (key_has_prefix(key, key_len, "META:")) {
		c->type = FX_LEVELDB_CR_LS_META;
		c->origin = text_dup(key + 5, key_len - 5, &c->hex, FX_LEVELDB_CR_ORIGIN_HEX);
		if (value)
			meta_fields(value, value_len, 0, c);
		return c->type;
	} else if (key_len >= 1 && key[0] == '_' &&
		   (nul = memchr(key + 1, '\0', key_len - 1)) != NULL) {
		c->type = FX_LEVELDB_CR_LS_ITEM;
		c->origin = text_dup(key + 1, (size_t)(nul - key - 1), &c->hex,
				     FX_LEVELDB_CR_ORIGIN_HEX);
		c->key = script_dup(nul + 1, (size_t)(key + key_len - nul - 1), &c->hex,
				    FX_LEVELDB_CR_KEY_HEX);
		if (value)
			c->value = script_dup(value, value_len, &c->hex, FX_LEVELDB_CR_VALUE_HEX);
		return c->type;
	} else if (key_is(key, key_len, "version")) {
		c->type = FX_LEVELDB_CR_SS_VERSION;
	} else if (key_is(key, key_len, "next-map-id")) {
		c->type = FX_LEVELDB_CR_SS_NEXT_MAP_ID;
	} else if (key_has_prefix(key, key_len, "namespace-") && key_len >= 10 + 36 + 1 &&
		   key[46] == '-') {
		c->type = FX_LEVELDB_CR_SS_NAMESPACE;
		c->namespace_id = text_dup(key + 10, 36, &c->hex, FX_LEVELDB_CR_KEY_HEX);
		c->origin = text_dup(key + 47, key_len - 47, &c->hex, FX_LEVELDB_CR_ORIGIN_HEX);
		if (value)
			c->map_id = text_dup(value, value_len, &c->hex, FX_LEVELDB_CR_VALUE_HEX);
		return c->type;
	} else if (key_has_prefix(key, key_len, "map-")) {
		for (p = key + 4; p < key + key_len && *p >= '0' && *p <= '9'; p++)
			;
		if (p == key + 4 || p == key + key_len || *p != '-')
			return c->type;
		c->type = FX_LEVELDB_CR_SS_ITEM;
		c->map_id =
			text_dup(key + 4, (size_t)(p - key - 4), &c->hex, FX_LEVELDB_CR_KEY_HEX);
		c->key = text_dup(p + 1, (size_t)(key + key_len - p - 1), &c->hex,
				  FX_LEVELDB_CR_KEY_HEX);
		if (value && !(c->value = utf16_dup(value, value_len))) {
			c->hex |= FX_LEVELDB_CR_VALUE_HEX;
			c->value = hex_dup(value, value_len);
		}
		return c->type;
	} else {
		return c->type;
	}
	/* the plain-text values: versions and the next map number */
	if (value)
		c->value = text_dup(value, value_len, &c->hex, FX_LEVELDB_CR_VALUE_HEX);
	return c->type;
}

void fx_leveldb_chromium_release(struct fx_leveldb_chromium *c)
{
	free(c->origin);
	free(c->key);
	free(c->value);
	free(c->namespace_id);
	free(c->map_id);
	memset(c, 0, sizeof(*c));
}
