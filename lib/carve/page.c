/*
 * Carving one page image: the cells it still lists (for pages that are
 * not the live version), its freeblocks, and every byte no cell holds.
 *
 * A freed cell has lost its first four bytes to the freeblock header
 * (next-freeblock offset, block size): its payload length, its rowid and
 * usually its header length and first serial type. They are rebuilt
 * against a schema: for each length k of the lost varints (3 to 27 bytes,
 * payload length + rowid + header length), the serial types are read
 * from where they would then start, the lost ones solved from the block
 * size or tried in turn, and the cell's whole length k + m + l (varints,
 * serial types, data) computed; the bytes of the varints that survive
 * past the fourth must agree. A cell is accepted when it ends where the
 * block ends, where a stale freeblock header says, or where another
 * well-formed cell starts: a block that merged several cells is thereby
 * split cell by cell, each confirmed by the next. Intact cells (a full
 * header whose payload length equals header plus data) are looked for at
 * every offset of every free byte range. Among overlapping candidates the
 * set with the best total score is kept (weighted interval scheduling).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_banned.h"

#define MAX_K 27       /* three 9-byte varints */
#define MAX_ST_TRY 128 /* serial types tried for a lost one */

struct pctx {
	struct cv_db *db;
	const struct cv_img *im;
	const uint8_t *p;
	uint32_t U;
	int enc;
	int type;            /* the page's b-tree type when its header is sound, else 0 */
	uint32_t hdr;        /* where the b-tree header is */
	uint32_t body_start; /* first byte after the header and cell pointers */
	uint8_t *used;       /* bytes of listed cells and page structure */
	struct cv_cand *c;
	size_t nc, capc;
	uint64_t *stv;
	size_t nst, capst;
	uint32_t stmark;
	int region;  /* region for what is found outside listed cells */
	int maxcols; /* the most columns a schema has */
	int live;    /* the current version of a live b-tree page */
};

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t st_push(struct pctx *pc, const uint64_t *st, int n)
{
	uint32_t at;

	if (pc->nst + (size_t)n > pc->capst) {
		pc->capst = (pc->nst + (size_t)n) * 2 + 256;
		pc->stv = fx_xrealloc(pc->stv, pc->capst * sizeof(*pc->stv));
	}
	at = (uint32_t)pc->nst;
	memcpy(pc->stv + at, st, (size_t)n * sizeof(*st));
	pc->nst += (size_t)n;
	return at;
}

static struct cv_cand *cand_push(struct pctx *pc, const struct cv_cand *c, const uint64_t *st)
{
	struct cv_cand *d;

	if (pc->nc == pc->capc) {
		pc->capc = pc->capc ? pc->capc * 2 : 64;
		pc->c = fx_xrealloc(pc->c, pc->capc * sizeof(*pc->c));
	}
	d = &pc->c[pc->nc++];
	*d = *c;
	d->st_at = st_push(pc, st, c->n);
	return d;
}

/* ---- schema fit ---- */

static int is_int_st(uint64_t st)
{
	return (st >= 1 && st <= 6) || st == 8 || st == 9;
}

/*
 * How well serial types fit schema s: 0 < score <= 1, or -1 when they
 * cannot be a record of it. level 0 is for cells a page lists (any type a
 * column may hold); 1 for cells found by scanning free bytes (only the
 * types the declared affinity gives); 2 for rebuilt headers (as 1, and
 * every column of the schema).
 */
static double fit(const struct cv_schema *s, const uint64_t *st, int n, int level)
{
	double sum = 0;
	int i, c, nonnull = 0;

	if (n < 1 || n > s->nrec)
		return -1;
	if ((s->kind != CV_K_TABLE || level == 2) && n != s->nrec)
		return -1;
	if (s->ipk >= 0 && s->ipk < n && st[s->ipk] != 0)
		return -1;
	if (s->master) {
		/* type, name, tbl_name: words; rootpage a number; sql text or NULL */
		if (n != 5 || st[0] < 15 || st[0] % 2 == 0 || st[1] < 15 || st[1] % 2 == 0 ||
		    st[2] < 15 || st[2] % 2 == 0 || !is_int_st(st[3]) ||
		    (st[4] != 0 && (st[4] < 13 || st[4] % 2 == 0)))
			return -1;
		return 1;
	}
	for (i = 0; i < n; i++) {
		c = cv_compat(s->aff[i], st[i]);
		if (c == 0 || (c == 1 && level > 0) || (s->notnull[i] && st[i] == 0))
			return -1;
		sum += c == 2 ? 1.0 : 0.6;
		nonnull += st[i] != 0 && i != s->ipk;
	}
	if (s->kind == CV_K_INDEX && s->tcol[n - 1] < 0 && !is_int_st(st[n - 1]))
		return -1;
	if (!nonnull)
		return -1; /* a row of nothing but NULLs: garbage far more often than not */
	/*
	 * Fewer columns than the schema: a row from before ALTER TABLE ADD
	 * COLUMN, likely when live rows are that short too.
	 */
	if (n < s->nrec)
		return sum / n * (level == 0 || n >= s->min_live ? 0.85 : 0.5);
	return sum / n;
}

/* The serial type SQLite writes for integer v (file format 4 has 8 and 9 for 0 and 1). */
static uint64_t int_st(int64_t v, int fmt4)
{
	if (fmt4 && (v == 0 || v == 1))
		return 8 + (uint64_t)v;
	if (v >= -128 && v <= 127)
		return 1;
	if (v >= -32768 && v <= 32767)
		return 2;
	if (v >= -8388608 && v <= 8388607)
		return 3;
	if (v >= -2147483648LL && v <= 2147483647LL)
		return 4;
	if (v >= -140737488355328LL && v <= 140737488355327LL)
		return 5;
	return 6;
}

static int all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* A NUL character: text almost never has one, overwritten bytes often. */
static int has_nul(int enc, const uint8_t *p, size_t n)
{
	size_t i;

	if (enc == CV_UTF16LE || enc == CV_UTF16BE) {
		for (i = 0; i + 1 < n; i += 2)
			if (!p[i] && !p[i + 1])
				return 1;
		return 0;
	}
	return memchr(p, 0, n) != NULL;
}

/*
 * A rowid an index key cannot have for table t: where the live rowids are
 * dense (1, 2, 3, ... give or take deletions), one far past the largest,
 * or below 1, is garbage read as a rowid. (Only for index keys, whose
 * rowid is all that ties them to a row: a table's own rows may well have
 * been given ids far apart.)
 */
static int rowid_implausible(const struct cv_schema *t, int64_t rowid)
{
	if (!t || !t->nlive || t->max_rowid > 4 * (int64_t)t->nlive + 1000)
		return 0;
	return rowid < 1 || rowid > 2 * t->max_rowid + 1000;
}

/* The text of column 0 of a sqlite_master row is one of four words. */
static int master_type_ok(int enc, const uint8_t *p, size_t n)
{
	static const char *const words[] = {"table", "index", "view", "trigger"};
	char *t = cv_text_utf8(enc, p, n, NULL);
	int i, ok = 0;

	for (i = 0; t && i < 4; i++)
		ok |= strcmp(t, words[i]) == 0;
	free(t);
	return ok;
}

/*
 * Plausibility of the values that are present (bytes body.. of the page,
 * avail bytes of them) for schema s (NULL: none): 1 clean, lower for odd
 * text or zero blobs, 0 when a value cannot be what SQLite stored (an
 * integer in more bytes than it needs, a NaN, text not valid in the
 * database's encoding), or when nothing but NULLs and zeros is left.
 */
static double values_ok(struct pctx *pc, const struct cv_schema *s, const uint64_t *st, int n,
			uint32_t body, uint32_t avail, unsigned lost, float *bits)
{
	const uint8_t *v;
	uint32_t off = 0;
	int64_t sz;
	double q = 1.0, d;
	uint64_t raw;
	int i, t, meaningful = 0, fmt4 = pc->db->schema_format >= 4;

	for (i = 0; i < n; i++) {
		sz = cv_st_size(st[i]);
		if (sz < 0)
			return 0;
		if ((uint64_t)off + (uint64_t)sz > avail)
			break; /* in overflow pages or cut off: checked when read */
		v = pc->p + body + off;
		off += (uint32_t)sz;
		if ((i < 32 && (lost >> i & 1)) || st[i] == 0)
			continue;
		if (st[i] <= 6 && st[i] != int_st(cv_int_value(st[i], v), fmt4))
			return 0;
		if (st[i] == 7) {
			if (!cv_float_ok(v))
				return 0;
			raw = 0;
			for (t = 0; t < 8; t++)
				raw = raw << 8 | v[t];
			memcpy(&d, &raw, sizeof(d));
			/* INTEGER and NUMERIC columns keep a whole number as an integer. */
			if (s && i < s->nrec &&
			    (s->aff[i] == CV_AFF_INTEGER || s->aff[i] == CV_AFF_NUMERIC) &&
			    d == (double)(int64_t)d && d > -9e18 && d < 9e18)
				return 0;
			/* Data rarely has magnitudes like 1e-200 or 1e+250; random bytes often do.
			 */
			if (d != 0 && (fabs(d) < 1e-30 || fabs(d) > 1e30))
				q *= 0.6;
			else if (bits)
				*bits += 2;
		}
		if (st[i] >= 13 && st[i] % 2) {
			t = cv_text_ok(pc->enc, v, (size_t)sz);
			if (t == 0)
				return 0;
			if (t == 1)
				q *= has_nul(pc->enc, v, (size_t)sz) ? 0.3 : 0.6;
			/* Clean text is unlikely by chance, the more so the longer. */
			else if (bits)
				*bits += 0.5f * (float)(sz < 24 ? sz : 24) /
					 (pc->enc == CV_UTF8 ? 1 : 2);
			if (s && s == pc->db->sch[0] && i == 0 &&
			    !master_type_ok(pc->enc, v, (size_t)sz))
				return 0;
			meaningful += sz > 0 && !all_zero(v, (size_t)sz);
		} else if (st[i] >= 12) {
			if (sz && all_zero(v, (size_t)sz))
				q *= 0.5;
			else
				meaningful += sz > 0;
		} else if (st[i] <= 7 &&
			   !(s && s->kind == CV_K_INDEX && i == n - 1 && s->tcol[i] < 0)) {
			meaningful++; /* 8 and 9 (0 and 1) say little, nor an index's rowid alone */
		}
	}
	return meaningful ? q : 0;
}

/* ---- intact cells ---- */

/*
 * Reads a cell with its header whole at pos (index_fmt: an index cell,
 * without rowid), the bytes up to lim being usable. Fills c (not its
 * schema) and st. Returns 1, or 0 when the bytes are no such cell. A cell
 * running past lim is partial.
 */
static int intact(struct pctx *pc, uint32_t pos, uint32_t lim, int index_fmt, struct cv_cand *c,
		  uint64_t *st)
{
	const uint8_t *p = pc->p;
	uint64_t P, R = 0, H, sum = 0, v;
	uint32_t q = pos, hend, local, clen;
	int l, n = 0, hl;
	int64_t sz;

	/* SQLite writes no varint with a leading 0x80, and no empty payload. */
	if (pos >= lim || p[pos] == 0 || p[pos] == 0x80)
		return 0;
	l = cv_varint(p + q, lim - q, &P);
	if (!l || P < 2 || P > 0x7fffffff)
		return 0;
	q += (uint32_t)l;
	if (!index_fmt) {
		l = cv_varint(p + q, lim - q, &R);
		if (!l)
			return 0;
		q += (uint32_t)l;
	}
	if (q >= lim)
		return 0;
	hl = cv_varint(p + q, lim - q, &H);
	if (!hl || H < (uint64_t)hl + 1 || H > P)
		return 0;
	local = fx_carve_local(P, pc->U, index_fmt);
	if (H > local || (uint64_t)q + H > lim)
		return 0;
	hend = q + (uint32_t)H;
	/* No more serial types than a schema has columns, no more data than the payload. */
	if (H - (uint64_t)hl > (uint64_t)pc->maxcols * 9)
		return 0;
	for (v = q + (uint32_t)hl; v < hend;) {
		if (n >= pc->maxcols || p[v] == 0x80)
			return 0;
		l = cv_varint(p + v, hend - v, &st[n]);
		if (!l)
			return 0;
		sz = cv_st_size(st[n]);
		if (sz < 0)
			return 0;
		sum += (uint64_t)sz;
		if (H + sum > P)
			return 0;
		v += (uint32_t)l;
		n++;
	}
	if (H + sum != P)
		return 0;
	clen = (q - pos) + local + (P > local ? 4 : 0);
	memset(c, 0, sizeof(*c));
	c->off = pos;
	c->pay = q;
	c->body = hend;
	c->local = local;
	c->payload = P;
	c->hdr_len = (uint32_t)H;
	c->n = n;
	c->lost = 0;
	c->schema = -1;
	c->index_fmt = (uint8_t)index_fmt;
	c->rowid = (int64_t)R;
	c->has_rowid = !index_fmt;
	if ((uint64_t)pos + clen > lim || pos + clen > pc->U) {
		c->partial = 1;
		c->len = lim - pos;
		c->avail = lim - q;
	} else {
		c->len = clen;
		c->avail = local;
		if (P > local)
			c->ovfl = be32(p + pos + clen - 4);
	}
	return 1;
}

/* ---- rebuilt headers ---- */

static void put_varint(uint8_t *out, int len, uint64_t v)
{
	int i;

	if (len == 9) {
		out[8] = (uint8_t)v;
		v >>= 8;
		for (i = 7; i >= 0; i--, v >>= 7)
			out[i] = (uint8_t)((v & 0x7f) | 0x80);
		return;
	}
	for (i = len - 1; i >= 0; i--, v >>= 7)
		out[i] = (uint8_t)((v & 0x7f) | (i == len - 1 ? 0 : 0x80));
}

/* The serial types a column of affinity aff may have, with size sz (-1: any). */
static int st_options(int aff, int notnull, int64_t sz, uint64_t *opt)
{
	static const uint64_t ints[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
	int n = 0;
	size_t i;
	uint64_t t;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		t = ints[i];
		if ((sz < 0 || cv_st_size(t) == sz) && cv_compat(aff, t) && !(notnull && t == 0))
			opt[n++] = t;
	}
	if (sz >= 0) {
		if (cv_compat(aff, 13 + 2 * (uint64_t)sz))
			opt[n++] = 13 + 2 * (uint64_t)sz;
		if (cv_compat(aff, 12 + 2 * (uint64_t)sz) == 2 || aff == CV_AFF_BLOB)
			opt[n++] = 12 + 2 * (uint64_t)sz;
		return n;
	}
	/* Any size that fits a one-byte varint: texts (and blobs for untyped columns). */
	for (t = 13; t < 128 && n < MAX_ST_TRY; t += 2)
		if (cv_compat(aff, t))
			opt[n++] = t;
	if (aff == CV_AFF_BLOB)
		for (t = 12; t < 128 && n < MAX_ST_TRY; t += 2)
			opt[n++] = t;
	return n;
}

/*
 * Of several serial types of the same size, the one the column most
 * likely had; *sure is 0 when another was as likely.
 */
static uint64_t pick_st(struct pctx *pc, int aff, const uint64_t *opt, int n, uint32_t at,
			uint32_t avail, int *sure)
{
	int i, best = -1, bscore = -1, ties = 0, s, usual = 0;
	int64_t sz;

	for (i = 0; i < n; i++) {
		sz = cv_st_size(opt[i]);
		s = cv_compat(aff, opt[i]) * 4;
		if (opt[i] >= 13 && opt[i] % 2 && (uint64_t)sz <= avail) {
			int t = cv_text_ok(pc->enc, pc->p + at, (size_t)sz);

			s = t == 0 ? -1 : s + t - 1;
		}
		if (opt[i] == 7 && sz <= avail && !cv_float_ok(pc->p + at))
			s = -1;
		if (opt[i] >= 12 && opt[i] % 2 == 0)
			s -= 1; /* a blob where text or a number would do: less likely */
		if (s >= 7)
			usual++;
		if (s > bscore) {
			bscore = s;
			best = i;
			ties = 0;
		} else if (s == bscore) {
			ties++;
		}
	}
	/* Sure only when the column's affinity allows just the one (an untyped column allows all).
	 */
	*sure = ties == 0 && bscore >= 8 && usual == 1;
	return best >= 0 && bscore >= 0 ? opt[best] : ~0ULL;
}

/*
 * Roughly how many bits of evidence a serial type read from the page
 * gives that the bytes are a record of a column of affinity aff: a number
 * column takes only a few types, a text one about half, an untyped one
 * any; NULL is a zero byte, which garbage is full of.
 */
static double type_bits(int aff, uint64_t st)
{
	if (aff == CV_AFF_BLOB)
		return 0.5;
	if (st == 0)
		return 1;
	return aff == CV_AFF_TEXT ? 1.5 : aff == CV_AFF_NUMERIC ? 2 : 4;
}

#define MIN_BITS 14 /* evidence a candidate found by scanning needs */

struct rb {
	uint32_t pos, lost, tend; /* cell start, bytes overwritten, target end (0 none) */
	uint32_t lim;             /* bytes usable up to */
	int sidx;
	const struct cv_schema *s;
	int index_fmt;
	int trusted; /* tend is the end of a freeblock the page lists */
	uint32_t k;
	int nvis; /* serial types of the hypothesis read, not guessed */
};

/*
 * Completes one hypothesis: the serial types st[0..n) with nhdr bytes of
 * serial-type area, starting at pos + k. Checks the surviving varint
 * bytes, computes the cell's length, scores and pushes a candidate.
 */
static void rb_finish(struct pctx *pc, const struct rb *r, uint64_t *st, int n, uint32_t m,
		      unsigned lost, int enumerated)
{
	const uint8_t *p = pc->p;
	uint64_t sum = 0, H, P;
	uint32_t h, plen, rlen, local, clen, i, vis = r->pos + r->lost, body;
	uint8_t enc[9];
	struct cv_cand c;
	double f, q, base;
	int64_t sz;
	int j, checked = 0, exact;

	for (j = 0; j < n; j++) {
		sz = cv_st_size(st[j]);
		if (sz < 0)
			return;
		sum += (uint64_t)sz;
	}
	h = 1;
	while ((uint32_t)fx_carve_varint_len(h + m) != h)
		h++;
	H = h + m;
	P = H + sum;
	if (P > 0x7fffffff)
		return;
	plen = (uint32_t)fx_carve_varint_len(P);
	if (r->index_fmt) {
		if (r->k != plen + h)
			return;
		rlen = 0;
	} else {
		if (r->k < plen + h + 1 || r->k - plen - h > 9)
			return;
		rlen = r->k - plen - h;
	}
	/* The varint bytes that survive must be these varints. */
	put_varint(enc, (int)plen, P);
	for (i = 0; i < plen; i++) {
		if (r->pos + i < vis)
			continue;
		if (p[r->pos + i] != enc[i])
			return;
		checked++;
	}
	for (i = 0; i < rlen; i++) {
		uint32_t at = r->pos + plen + i;

		/* Continuation bits: set but on the last byte (a ninth byte has none). */
		if (at >= vis && i < 8 && ((p[at] & 0x80) != 0) != (i + 1 < rlen))
			return;
	}
	put_varint(enc, (int)h, H);
	for (i = 0; i < h; i++) {
		if (r->pos + plen + rlen + i < vis)
			continue;
		if (p[r->pos + plen + rlen + i] != enc[i])
			return;
		checked++;
	}
	f = fit(r->s, st, n, 2);
	if (f < 0)
		return;
	local = fx_carve_local(P, pc->U, r->index_fmt);
	if (H > local)
		return;
	clen = plen + rlen + local + (P > local ? 4 : 0);
	body = r->pos + r->k + m;
	memset(&c, 0, sizeof(c));
	c.off = r->pos;
	c.pay = r->pos + plen + rlen;
	c.body = body;
	c.local = local;
	c.payload = P;
	c.hdr_len = (uint32_t)H;
	c.n = n;
	c.lost = lost;
	c.schema = r->sidx;
	c.index_fmt = (uint8_t)r->index_fmt;
	c.rebuilt = 1;
	c.confirm = (uint8_t)enumerated;
	if (rlen && r->pos + plen >= vis) {
		uint64_t rowid;

		if (cv_varint(p + r->pos + plen, rlen, &rowid) == (int)rlen) {
			c.rowid = (int64_t)rowid;
			c.has_rowid = 1;
		}
	}
	/*
	 * Enough evidence that these bytes were this record: serial types read
	 * from the page (each checked against its column), varint bytes that
	 * agree, or a freeblock the page lists that the cell fills exactly.
	 */
	exact = r->tend && r->pos + clen == r->tend;
	c.exact = (uint8_t)exact;
	if (!(r->nvis >= 2 || (r->nvis >= 1 && checked) || (exact && r->trusted)))
		return;
	c.bits = 8.0f * (float)checked + (exact ? (r->trusted ? 10.0f : 6.0f) : 0.0f);
	for (j = n - r->nvis; j < n; j++)
		c.bits += (float)type_bits(r->s->aff[j], st[j]);
	if (r->pos + clen <= r->lim) {
		c.len = clen;
		c.avail = local;
		if (P > local)
			c.ovfl = be32(p + r->pos + clen - 4);
		base = exact ? 0.95 : 0.85;
	} else {
		/* Runs past what is free: its tail was overwritten. */
		if (enumerated || body > r->lim)
			return;
		c.partial = 1;
		c.len = r->lim - r->pos;
		c.avail = r->lim - c.pay;
		base = 0.7;
	}
	q = values_ok(pc, r->s, st, n, body, c.avail - (uint32_t)H, lost, &c.bits);
	if (q <= 0)
		return;
	c.score = (float)(base * f * q);
	c.tconf = 1;
	cand_push(pc, &c, st);
}

/*
 * The serial types of a rebuilt header: st[0..nlostst) are lost (solved
 * from the target length, or tried), the rest read from the page at vis.
 */
static void rb_try(struct pctx *pc, struct rb *r)
{
	const struct cv_schema *s = r->s;
	const uint8_t *p = pc->p;
	uint64_t st[CV_MAX_COLS], opt[MAX_ST_TRY + 16];
	uint32_t s0 = r->pos + r->k, vis = r->pos + r->lost, q, m0, hend;
	int n = s->nrec, nlost, j, l, nopt, oi, sure;
	uint64_t known = 0, v;
	int64_t sz, need;

	if (s0 >= r->lim || n > CV_MAX_COLS)
		return;
	nlost = vis > s0 ? (int)(vis - s0) : 0;
	if (nlost > 2)
		return;
	/*
	 * Hypothesis A: each lost byte was a whole one-byte serial type (the
	 * usual case: small types such as NULL for a rowid alias, an integer,
	 * a short text).
	 */
	hend = r->lim;
	if (s0 - 1 >= vis) {
		/* The byte before the serial types ends the header-length varint. */
		if (p[s0 - 1] & 0x80)
			return;
		/* When the byte before it ends a varint too, the length is that one byte. */
		if (s0 - 2 >= vis && !(p[s0 - 2] & 0x80)) {
			if (p[s0 - 1] < 2 || s0 + p[s0 - 1] - 1 > r->lim)
				return;
			hend = s0 + p[s0 - 1] - 1;
		}
	}
	q = nlost ? vis : s0;
	for (j = nlost; j < n; j++) {
		if (q >= hend || p[q] == 0x80)
			return; /* past the header, or a varint SQLite would not write */
		l = cv_varint(p + q, hend - q, &st[j]);
		if (!l || cv_compat(s->aff[j], st[j]) != 2 || (s->notnull[j] && st[j] == 0) ||
		    (j == s->ipk && st[j] != 0))
			return;
		known += (uint64_t)cv_st_size(st[j]);
		q += (uint32_t)l;
	}
	if (hend != r->lim && q != hend)
		return;
	m0 = q - s0; /* serial-type bytes, lost ones included */
	r->nvis = n - nlost;
	if (nlost == 0) {
		rb_finish(pc, r, st, n, m0, 0, 0);
		return;
	}
	/* The lost columns whose type the schema knows: a rowid alias is NULL. */
	if (nlost == 1 && s->ipk == 0) {
		st[0] = 0;
		rb_finish(pc, r, st, n, m0, 0, 0);
		return;
	}
	if (nlost == 1) {
		if (r->tend) {
			/*
			 * Without overflow the cell is k + m + data bytes long: where it
			 * must end gives column 0's size.
			 */
			need = (int64_t)(r->tend - r->pos) - (int64_t)r->k - (int64_t)m0 -
			       (int64_t)known;
			nopt = need >= 0 && need < (1 << 24)
				       ? st_options(s->aff[0], s->notnull[0], need, opt)
				       : 0;
			if (nopt > 0) {
				uint32_t at = s0 + m0;

				st[0] = pick_st(pc, s->aff[0], opt, nopt, at,
						r->lim > at ? r->lim - at : 0, &sure);
				if (st[0] != ~0ULL)
					rb_finish(pc, r, st, n, m0, nopt == 1 || sure ? 0 : 1, 0);
			}
		}
		/* Or any type the column may hold: kept only if the next cell confirms it. */
		nopt = st_options(s->aff[0], s->notnull[0], -1, opt);
		for (oi = 0; oi < nopt; oi++) {
			st[0] = opt[oi];
			rb_finish(pc, r, st, n, m0, 0, 1);
		}
		/*
		 * Hypothesis B: column 0 had a two-byte serial type (a text or
		 * blob of 58 bytes or more) whose first byte was lost.
		 */
		if (p[vis] & 0x80)
			return;
		r->nvis = n - 1;
		q = vis + 1;
		known = 0;
		for (j = 1; j < n; j++) {
			l = cv_varint(p + q, r->lim - q, &st[j]);
			if (!l || cv_compat(s->aff[j], st[j]) != 2 || (s->notnull[j] && st[j] == 0))
				return;
			known += (uint64_t)cv_st_size(st[j]);
			q += (uint32_t)l;
		}
		if (!r->tend)
			return;
		need = (int64_t)(r->tend - r->pos) - (int64_t)r->k - (int64_t)(q - s0) -
		       (int64_t)known;
		if (need < 58 || need >= 8192)
			return;
		nopt = st_options(s->aff[0], s->notnull[0], need, opt);
		for (oi = 0; oi < nopt; oi++) {
			v = opt[oi];
			if (v >= 12 && (v & 0x7f) == (p[vis] & 0x7f) && v >= 128) {
				st[0] = v;
				rb_finish(pc, r, st, n, q - s0, 0, 0);
			}
		}
		return;
	}
	/*
	 * Two lost bytes (index cells): two one-byte types whose sizes add up
	 * to what the cell's end leaves. When only one split gives values
	 * SQLite could have written, the types are known; else both columns
	 * are marked as guessed.
	 */
	if (!r->tend)
		return;
	{
		uint64_t good[2] = {0, 0}, opt0[MAX_ST_TRY + 16], pair[2];
		int ngood = 0, n0, o0;

		nopt = st_options(s->aff[1], s->notnull[1], -1, opt);
		for (oi = 0; oi < nopt && ngood < 2; oi++) {
			sz = cv_st_size(opt[oi]);
			need = (int64_t)(r->tend - r->pos) - (int64_t)r->k - (int64_t)m0 -
			       (int64_t)known - sz;
			if (need < 0 || need > 57)
				continue;
			n0 = st_options(s->aff[0], s->notnull[0], need, opt0);
			for (o0 = 0; o0 < n0 && ngood < 2; o0++) {
				pair[0] = opt0[o0];
				pair[1] = opt[oi];
				if (values_ok(pc, s, pair, 2, s0 + m0,
					      r->lim > s0 + m0 ? r->lim - s0 - m0 : 0, 0,
					      NULL) <= 0 &&
				    (pair[0] != 0 || pair[1] != 0))
					continue;
				if (ngood++ == 0) {
					good[0] = pair[0];
					good[1] = pair[1];
				}
			}
		}
		if (ngood == 0)
			return;
		st[0] = good[0];
		st[1] = good[1];
		rb_finish(pc, r, st, n, m0, ngood == 1 ? 0 : 3, 0);
	}
}

/* Rebuilds a cell at pos whose first lost bytes were overwritten, against schema sidx. */
static void rebuild(struct pctx *pc, uint32_t pos, uint32_t lost, uint32_t tend, uint32_t lim,
		    int sidx, int index_fmt)
{
	struct rb r;
	uint32_t kmin = index_fmt ? 2 : 3;

	memset(&r, 0, sizeof(r));
	r.trusted = pc->region == CV_R_FREEBLOCK && tend == lim;
	r.pos = pos;
	r.lost = lost;
	r.tend = tend;
	r.lim = lim;
	r.sidx = sidx;
	r.s = pc->db->sch[sidx];
	r.index_fmt = index_fmt;
	for (r.k = kmin; r.k <= MAX_K && pos + r.k < lim; r.k++)
		rb_try(pc, &r);
}

/* ---- which schemas ---- */

static int kind_ok(const struct cv_schema *s, int index_fmt)
{
	return index_fmt ? s->kind != CV_K_TABLE : s->kind == CV_K_TABLE;
}

/*
 * The schema an intact cell's serial types fit best: the page's owner
 * when it fits, else the best fit (ties to the first). Sets c->schema,
 * c->tconf and scales c->score; returns 0, or -1 when none fits.
 */
static int best_schema(struct pctx *pc, struct cv_cand *c, const uint64_t *st, int level)
{
	struct cv_db *db = pc->db;
	const struct cv_img *im = pc->im;
	double f, best = -1;
	int i, bi = -1, ties = 0;

	if (pc->im->schema_only) {
		f = fit(db->sch[0], st, c->n, level);
		if (f < 0)
			return -1;
		c->schema = 0;
		c->tconf = 1;
		c->score *= (float)f;
		return 0;
	}
	if (im->owner >= 0 && kind_ok(db->sch[im->owner], c->index_fmt)) {
		/* The owner and the older layouts of the same table. */
		for (i = 0; i < db->nsch; i++) {
			const struct cv_schema *s = db->sch[i];

			if (i != im->owner && strcmp(s->name, db->sch[im->owner]->name) != 0)
				continue;
			f = fit(s, st, c->n, level);
			if (f > best) {
				best = f;
				bi = i;
			}
		}
		if (bi >= 0) {
			c->schema = bi;
			c->tconf = im->owner_conf;
			c->score *= (float)best;
			return 0;
		}
	}
	for (i = 0; i < db->nsch; i++) {
		if (!kind_ok(db->sch[i], c->index_fmt))
			continue;
		f = fit(db->sch[i], st, c->n, level);
		if (f < 0)
			continue;
		/* The same table in several layouts is one table. */
		if (bi >= 0 && strcmp(db->sch[i]->table, db->sch[bi]->table) == 0) {
			if (f > best) {
				best = f;
				bi = i;
			}
			continue;
		}
		if (f > best + 1e-9) {
			best = f;
			bi = i;
			ties = 0;
		} else if (f > best - 1e-9) {
			ties++;
		}
	}
	if (bi < 0)
		return -1;
	c->schema = bi;
	c->tconf = (float)(0.8 * best / (1 + ties));
	if (im->owner >= 0)
		c->tconf *= 0.6f; /* not what the page's tree holds: from an earlier life */
	c->score *= (float)best;
	return 0;
}

/* ---- regions ---- */

/* Bytes at x look like a freeblock header; *size gets its size. */
static int fb_like(struct pctx *pc, uint32_t x, uint32_t *size)
{
	uint32_t nx, sz;

	if (x + 4 > pc->U)
		return 0;
	nx = be16(pc->p + x);
	sz = be16(pc->p + x + 2);
	if (sz < 4 || x + sz > pc->U)
		return 0;
	if (nx != 0 && (nx < x + sz || nx >= pc->U))
		return 0;
	*size = sz;
	return 1;
}

static void schemas_rebuild(struct pctx *pc, uint32_t x, uint32_t lost, uint32_t tend, uint32_t lim,
			    int index_fmt)
{
	struct cv_db *db = pc->db;
	const struct cv_img *im = pc->im;
	size_t before = pc->nc;
	int i;

	if (im->schema_only) {
		if (!index_fmt)
			rebuild(pc, x, lost, tend, lim, 0, 0);
		return;
	}
	if (im->owner >= 0 && kind_ok(db->sch[im->owner], index_fmt)) {
		for (i = 0; i < db->nsch; i++)
			if (i == im->owner ||
			    strcmp(db->sch[i]->name, db->sch[im->owner]->name) == 0)
				rebuild(pc, x, lost, tend, lim, i, index_fmt);
		for (; before < pc->nc; before++)
			pc->c[before].tconf = im->owner_conf;
		/* A page's tree says whose its freed cells are. */
		return;
	}
	for (i = 0; i < db->nsch; i++) {
		if (!kind_ok(db->sch[i], index_fmt) || i == im->owner)
			continue;
		rebuild(pc, x, lost, tend, lim, i, index_fmt);
	}
	for (; before < pc->nc; before++)
		pc->c[before].tconf = im->owner >= 0 ? 0.4f : 0.7f;
}

static void intact_at(struct pctx *pc, uint32_t x, uint32_t lim, int index_fmt, int region)
{
	uint64_t st[CV_MAX_COLS];
	struct cv_cand c;
	int i;

	if (!intact(pc, x, lim, index_fmt, &c, st))
		return;
	c.score = c.partial ? 0.7f : 1.0f;
	if (best_schema(pc, &c, st, 1) < 0)
		return;
	/* The payload length adds up, and the header holds the schema's columns. */
	c.bits = 12;
	for (i = 0; i < c.n; i++)
		c.bits += (float)type_bits(pc->db->sch[c.schema]->aff[i], st[i]);
	c.score *= (float)values_ok(pc, c.schema >= 0 ? pc->db->sch[c.schema] : NULL, st, c.n,
				    c.body, c.avail - c.hdr_len, 0, &c.bits);
	if (c.score <= 0)
		return;
	c.region = (uint8_t)region;
	cand_push(pc, &c, st);
}

/* Formats to look for in free space: the page's own, or both when it has none. */
static int formats(const struct pctx *pc)
{
	if (pc->im->schema_only || pc->type == CV_TABLE_LEAF || pc->type == CV_TABLE_INTERIOR)
		return 1;
	if (pc->type == CV_INDEX_LEAF || pc->type == CV_INDEX_INTERIOR)
		return 2;
	return 3;
}

/*
 * What a candidate is worth in a selection: its score, more for the more
 * bytes it explains, so that a fragment that happens to parse does not
 * win over the cell it sits in.
 */
static double weight(const struct cv_cand *c)
{
	/* A cut-off cell only claims its bytes up to where it was cut: less sure. */
	return c->score * sqrt((double)c->len) * (c->partial ? 0.5 : 1.0);
}

static int cmp_end(const void *a, const void *b)
{
	const struct cv_cand *x = a, *y = b;
	uint32_t ex = x->off + x->len, ey = y->off + y->len;

	if (ex != ey)
		return ex < ey ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->score > y->score ? -1 : x->score < y->score;
}

/*
 * Keeps, among candidates [from, nc) of one region [a, e), a set that does
 * not overlap and scores best in total. Candidates whose lost serial type
 * was only tried count when they end where the region ends or another
 * candidate starts.
 */
static void select_region(struct pctx *pc, size_t from, uint32_t a, uint32_t e)
{
	size_t n = pc->nc - from, i, j, lo, hi, mid;
	struct cv_cand *c = pc->c + from;
	double *best, take;
	size_t *prev;
	uint8_t *starts;

	if (!n)
		return;
	starts = fx_xcalloc((size_t)(e - a) + 1, 1);
	for (i = 0; i < n; i++)
		if (!c[i].confirm)
			starts[c[i].off - a] = 1;
	for (i = 0; i < n; i++) {
		int chained = c[i].off + c[i].len == e || starts[c[i].off + c[i].len - a];

		/* Ending where the region or another cell begins confirms a cell. */
		if (chained)
			c[i].bits += 6;
		if (c[i].confirm)
			c[i].score = chained ? c[i].score * 0.9f : 0;
		/* An index key is short and has a rowid any bytes can give: more is asked of it. */
		if (c[i].bits < MIN_BITS + (c[i].index_fmt ? 4 : 0))
			c[i].score = 0;
	}
	free(starts);
	qsort(c, n, sizeof(*c), cmp_end);
	best = fx_xcalloc(n + 1, sizeof(*best));
	prev = fx_xcalloc(n + 1, sizeof(*prev));
	for (i = 0; i < n; i++) {
		/* The last candidate ending at or before this one's start. */
		lo = 0;
		hi = i;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (c[mid].off + c[mid].len <= c[i].off)
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo;
		take = c[i].score > 0 ? weight(&c[i]) + best[lo] : -1;
		best[i + 1] = take > best[i] ? take : best[i];
	}
	for (i = n; i > 0;) {
		j = i - 1;
		take = c[j].score > 0 ? weight(&c[j]) + best[prev[j]] : -1;
		if (take > best[j] && take >= best[i] - 1e-12) {
			c[j].selected = 1;
			i = prev[j];
		} else {
			i = j;
		}
	}
	free(best);
	free(prev);
}

/*
 * A freed cell rebuilt behind a freeblock header: that header overwrote
 * whatever was under it when the cell was freed.
 */
static int strong_freed(const struct cv_cand *b)
{
	return b->rebuilt && !b->confirm && !b->partial && b->score >= 0.8f;
}

/*
 * A freed cell that starts inside another candidate's data was written
 * there after that one was freed: the other's bytes from there on are
 * the newer cell's. Such a candidate gets a twin cut short there (as
 * partial, when its header is before the cut), for the selection to weigh.
 */
static void cut_overlapped(struct pctx *pc, size_t from)
{
	size_t i, j, n = pc->nc;
	uint32_t y;
	struct cv_cand a;

	for (i = from; i < n; i++) {
		if (pc->c[i].partial || pc->c[i].confirm || pc->c[i].score <= 0)
			continue;
		y = 0;
		for (j = from; j < n; j++) {
			const struct cv_cand *b = &pc->c[j];

			if (strong_freed(b) && b->off > pc->c[i].off + 3 &&
			    b->off < pc->c[i].off + pc->c[i].len && (!y || b->off < y))
				y = b->off;
		}
		if (!y)
			continue;
		/* Both stay: the selection weighs the whole one against the cut one and the other.
		 */
		a = pc->c[i];
		if (y < a.body + 1 || a.ovfl)
			continue;
		a.partial = 1;
		a.len = y - a.off;
		a.avail = y - a.pay;
		a.score *= 0.8f;
		a.exact = 0;
		/* The copy's serial types are the same: push it with its own copy of them. */
		{
			uint64_t *st = fx_xmalloc((size_t)a.n * sizeof(*st));

			memcpy(st, pc->stv + a.st_at, (size_t)a.n * sizeof(*st));
			cand_push(pc, &a, st);
			free(st);
		}
	}
}

/* Looks for cells in the bytes [a, e); a freeblock starts with a cell that lost 4 bytes. */
static void scan(struct pctx *pc, uint32_t a, uint32_t e, int freeblock)
{
	size_t from = pc->nc;
	uint32_t x, size, tend;
	int fm = formats(pc), fi;

	if (e > pc->U)
		e = pc->U;
	if (a + 4 > e)
		return;
	for (x = a; x < e; x++) {
		for (fi = 0; fi < 2; fi++) {
			if (!(fm & (1 << fi)))
				continue;
			if (x == a && freeblock) {
				schemas_rebuild(pc, x, 4, e, e, fi);
				continue;
			}
			intact_at(pc, x, e, fi, pc->region);
			if (fb_like(pc, x, &size)) {
				tend = x + size <= e ? x + size : 0;
				schemas_rebuild(pc, x, 4, tend, e, fi);
			}
		}
	}
	for (x = (uint32_t)from; x < pc->nc; x++) {
		pc->c[x].region = (uint8_t)pc->region;
		pc->c[x].selected = 0;
	}
	cut_overlapped(pc, from);
	select_region(pc, from, a, e);
}

/* ---- the page ---- */

/* A listed cell's size on the page (interior cells: pointer and key), 0 when bad. */
static uint32_t listed_cell1(struct pctx *pc, uint32_t off, uint64_t *st, struct cv_cand *c,
			     int *is_cand)
{
	uint64_t v;
	int l;

	*is_cand = 0;
	switch (pc->type) {
	case CV_TABLE_INTERIOR:
		if (off + 5 > pc->U)
			return 0;
		l = cv_varint(pc->p + off + 4, pc->U - off - 4, &v);
		return l ? 4 + (uint32_t)l : 0;
	case CV_TABLE_LEAF:
		if (!intact(pc, off, pc->U, 0, c, st) || c->partial)
			return 0;
		*is_cand = 1;
		return c->len;
	case CV_INDEX_LEAF:
		if (!intact(pc, off, pc->U, 1, c, st) || c->partial)
			return 0;
		*is_cand = 1;
		return c->len;
	case CV_INDEX_INTERIOR:
		if (off + 4 >= pc->U || !intact(pc, off + 4, pc->U, 1, c, st) || c->partial)
			return 0;
		c->off = off;
		c->len += 4;
		*is_cand = 1;
		return c->len;
	}
	return 0;
}

static uint32_t listed_cell(struct pctx *pc, uint32_t off, uint64_t *st, struct cv_cand *c,
			    int *is_cand)
{
	int keep = pc->maxcols;
	uint32_t n;

	/* A cell the page lists is one whatever its width. */
	pc->maxcols = CV_MAX_COLS;
	n = listed_cell1(pc, off, st, c, is_cand);
	pc->maxcols = keep;
	return n;
}

static int header_ok(struct pctx *pc)
{
	const uint8_t *h = pc->p + pc->hdr;
	uint32_t t = h[0], ncell, cstart, hl;

	if (t != CV_TABLE_LEAF && t != CV_TABLE_INTERIOR && t != CV_INDEX_LEAF &&
	    t != CV_INDEX_INTERIOR)
		return 0;
	hl = t == CV_TABLE_LEAF || t == CV_INDEX_LEAF ? 8 : 12;
	ncell = be16(h + 3);
	cstart = be16(h + 5);
	if (cstart == 0)
		cstart = 65536;
	if (pc->hdr + hl + 2 * ncell > pc->U || (cstart > pc->U && ncell) ||
	    (ncell && cstart < pc->hdr + hl + 2 * ncell))
		return 0;
	pc->type = (int)t;
	pc->body_start = pc->hdr + hl + 2 * ncell;
	return 1;
}

static void mark(struct pctx *pc, uint32_t a, uint32_t n)
{
	if (a >= pc->U)
		return;
	if (n > pc->U - a)
		n = pc->U - a;
	memset(pc->used + a, 1, n);
}

/* The serial types with the same number of bytes as st. */
static int same_size(uint64_t st, uint64_t *out)
{
	int64_t sz = cv_st_size(st);
	int n = 0;
	uint64_t t;

	for (t = 0; t < 10; t++)
		if (cv_st_size(t) == sz)
			out[n++] = t;
	out[n++] = 12 + 2 * (uint64_t)sz;
	out[n++] = 13 + 2 * (uint64_t)sz;
	return n;
}

/*
 * What stays of candidate c once the live rows and what was already
 * reported are taken out: emits it, or not.
 */
static void finish(struct pctx *pc, struct cv_cand *c)
{
	struct cv_db *db = pc->db;
	const uint64_t *st = pc->stv + c->st_at;
	const struct cv_schema *s = c->schema >= 0 ? db->sch[c->schema] : NULL;
	uint32_t body_local = c->local - c->hdr_len, have = c->avail - c->hdr_len;
	uint64_t key = 0, lkey, alt[5], tmp[CV_MAX_COLS];
	int i, nalt, live = 0, r;

	if (c->score < CV_MIN_CONF && !pc->im->found)
		return;
	if (c->partial) {
		/*
		 * Cut short: matched on its first bytes when enough are left; a
		 * freed cell (in a freeblock) with fewer is no copy of a live row.
		 */
		if (have < CV_KEY_PREFIX && have < body_local) {
			if (c->region != CV_R_FREEBLOCK)
				return;
		} else {
			key = cv_rec_key(st, c->n, c->payload, pc->p + c->body,
					 have < body_local ? have : body_local);
			if (cv_keys_has_prefix(&db->live, (uint32_t)(key >> 32)))
				return;
		}
	} else {
		key = cv_rec_key(st, c->n, c->payload, pc->p + c->body, body_local);
		live = cv_keys_has(&db->live, key);
		if (!live && c->lost == 1) {
			memcpy(tmp, st, (size_t)c->n * sizeof(*st));
			nalt = same_size(st[0], alt);
			for (i = 0; i < nalt && !live; i++) {
				tmp[0] = alt[i];
				live = cv_keys_has(&db->live,
						   cv_rec_key(tmp, c->n, c->payload,
							      pc->p + c->body, body_local));
			}
		}
		if (s && s->kind == CV_K_TABLE && s->live && s->root && c->has_rowid &&
		    !pc->im->schema_only) {
			/* The row with this rowid: the same bytes are a copy of it, others an old
			 * version. */
			r = cv_lookup(db, s->root, c->rowid, &lkey, db->buf[2]);
			if (r == 1)
				live = lkey == key;
		} else if (s && s->kind == CV_K_INDEX && !live) {
			/* A key whose row is still there is not a deleted row's. */
			const struct cv_schema *t = NULL;
			uint32_t off = 0;
			int64_t rowid;

			for (i = 0; i < db->nsch; i++)
				if (db->sch[i]->live && db->sch[i]->kind == CV_K_TABLE &&
				    strcmp(db->sch[i]->name, s->table) == 0)
					t = db->sch[i];
			for (i = 0; i + 1 < c->n; i++)
				off += (uint32_t)cv_st_size(st[i]);
			if (t && t->root && s->tcol[c->n - 1] < 0 &&
			    off + (uint32_t)cv_st_size(st[c->n - 1]) <= have) {
				rowid = cv_int_value(st[c->n - 1], pc->p + c->body + off);
				if (rowid_implausible(t, rowid) ||
				    cv_lookup(db, t->root, rowid, &lkey, db->buf[2]) == 1)
					live = 1;
			}
		}
		if (live)
			return;
	}
	if (pc->im->found) {
		pc->im->found(db, pc->im, c, st);
		return;
	}
	db->dedupe = 0;
	if (!c->partial) {
		uint64_t k = cv_hash(s ? s->table : "", s ? strlen(s->table) : 0, key);

		if (!cv_set_add(&db->emitted, k))
			return; /* the same record, found before in another place */
		db->dedupe = k;
	}
	cv_emit(db, pc->im, c, st);
}

static int cmp_off(const void *a, const void *b)
{
	const struct cv_cand *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->len < y->len ? -1 : x->len > y->len;
}

void cv_carve_image(struct cv_db *db, const struct cv_img *im)
{
	struct pctx pc;
	struct cv_cand c;
	uint64_t st[CV_MAX_COLS];
	uint32_t i, ncell, ptr, len, fb, fbsize, a, steps, prev_end;
	size_t keep;
	int is_cand, live_page;

	memset(&pc, 0, sizeof(pc));
	pc.db = db;
	pc.im = im;
	pc.p = im->p;
	pc.U = db->usable;
	pc.enc = db->enc;
	pc.hdr = im->pgno == 1 ? 100 : 0;
	pc.used = fx_xcalloc(pc.U, 1);
	for (i = 0; i < (uint32_t)db->nsch; i++)
		if (db->sch[i]->nrec > pc.maxcols)
			pc.maxcols = db->sch[i]->nrec;
	live_page = im->current && im->pstate == CV_P_BTREE;
	pc.live = live_page;
	if (im->current && im->pstate == CV_P_FREE)
		pc.region = CV_R_FREELIST;
	else if (im->current && im->pstate == CV_P_TRUNK)
		pc.region = CV_R_FREELIST;
	else if (im->current && im->pstate == CV_P_UNREACHED)
		pc.region = CV_R_UNREACHABLE;
	else
		pc.region = CV_R_UNALLOCATED;
	mark(&pc, 0, pc.hdr);
	if (im->current && im->pstate == CV_P_TRUNK) {
		/* Next trunk, count and leaf numbers overwrote the page's start. */
		ncell = be32(pc.p + 4);
		mark(&pc, 0, ncell < pc.U / 4 ? 8 + 4 * ncell : pc.U);
	} else if (header_ok(&pc)) {
		mark(&pc, pc.hdr, pc.body_start - pc.hdr);
		ncell = be16(pc.p + pc.hdr + 3);
		if (live_page) {
			/* Live cells fill the content area but for its freeblocks. */
			a = be16(pc.p + pc.hdr + 5);
			if (a == 0)
				a = 65536;
			if (ncell && a >= pc.body_start && a < pc.U)
				mark(&pc, a, pc.U - a);
			ncell = 0;
		}
		for (i = 0; i < ncell; i++) {
			ptr = be16(pc.p + pc.hdr +
				   (pc.type == CV_TABLE_LEAF || pc.type == CV_INDEX_LEAF ? 8 : 12) +
				   2 * i);
			if (ptr < pc.body_start || ptr >= pc.U)
				continue;
			len = listed_cell(&pc, ptr, st, &c, &is_cand);
			if (!len)
				continue;
			if (is_cand) {
				c.score = 1.0f;
				c.bits = 100; /* the page lists it */
				if (best_schema(&pc, &c, st, 0) == 0 ||
				    (pc.type == CV_TABLE_LEAF && !im->schema_only)) {
					if (c.schema < 0) {
						c.tconf = 0;
						c.score = 0.6f;
					}
					c.score *= (float)values_ok(
						&pc, c.schema >= 0 ? db->sch[c.schema] : NULL, st,
						c.n, c.body, c.avail - c.hdr_len, 0, NULL);
					c.region = (uint8_t)(pc.region == CV_R_UNALLOCATED
								     ? CV_R_CELL
								     : pc.region);
					c.selected = 1;
					if (c.score > 0)
						cand_push(&pc, &c, st);
				}
			}
			mark(&pc, ptr, len);
		}
		/* The freeblock chain: ascending, inside the page, at most one per 4 bytes. */
		fb = be16(pc.p + pc.hdr + 1);
		prev_end = pc.body_start;
		for (steps = 0; fb && steps < pc.U / 4; steps++) {
			if (fb < prev_end || fb + 4 > pc.U) {
				if (live_page && !im->schema_only)
					cv_problem(db, im->role,
						   "page %u offset %u: freeblock at %u is out of "
						   "order "
						   "or outside the page",
						   im->pgno, pc.hdr + 1, fb);
				break;
			}
			fbsize = be16(pc.p + fb + 2);
			if (fbsize < 4 || fb + fbsize > pc.U) {
				if (live_page && !im->schema_only)
					cv_problem(db, im->role,
						   "page %u offset %u: freeblock of %u bytes runs "
						   "past "
						   "the page",
						   im->pgno, fb + 2, fbsize);
				break;
			}
			keep = pc.region;
			pc.region = CV_R_FREEBLOCK;
			if (pc.type == CV_INDEX_LEAF || pc.type == CV_INDEX_INTERIOR)
				pc.region = CV_R_FREEBLOCK;
			scan(&pc, fb, fb + fbsize, 1);
			pc.region = (int)keep;
			mark(&pc, fb, fbsize);
			prev_end = fb + fbsize;
			fb = be16(pc.p + fb);
		}
	}
	/* Every byte nothing holds: unallocated space, fragments, old pages. */
	for (a = 0; a < pc.U;) {
		const uint8_t *z = memchr(pc.used + a, 0, pc.U - a), *o;

		if (!z)
			break;
		a = (uint32_t)(z - pc.used);
		o = memchr(pc.used + a, 1, pc.U - a);
		i = o ? (uint32_t)(o - pc.used) : pc.U;
		scan(&pc, a, i, 0);
		a = i;
	}
	if (pc.nc)
		qsort(pc.c, pc.nc, sizeof(*pc.c), cmp_off);
	for (i = 0; i < pc.nc; i++) {
		if (!pc.c[i].selected)
			continue;
		if (pc.c[i].index_fmt && pc.c[i].schema >= 0 &&
		    db->sch[pc.c[i].schema]->kind == CV_K_INDEX)
			pc.c[i].region = CV_R_INDEX;
		finish(&pc, &pc.c[i]);
	}
	free(pc.c);
	free(pc.stv);
	free(pc.used);
}
