/*
 * The live database: sqlite_master and every b-tree it names, walked from
 * their roots. Every page reached is marked live with the tree it belongs
 * to, every live row's key is kept (so a copy of a live row found in free
 * space is never reported as deleted), and the schemas are parsed.
 */
#include <stdlib.h>
#include <string.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_banned.h"

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int cv_schema_add(struct cv_db *db, struct cv_schema *s)
{
	if (db->nsch == db->capsch) {
		db->capsch = db->capsch ? db->capsch * 2 : 16;
		db->sch = fx_xrealloc(db->sch, (size_t)db->capsch * sizeof(*db->sch));
	}
	db->sch[db->nsch] = s;
	return db->nsch++;
}

/* A cell of a live page, parsed without judging it. */
struct lcell {
	uint64_t P;
	int64_t rowid;
	uint32_t pay, H, local, end; /* end: past the local payload (and overflow number) */
	uint32_t ovfl;
	int n;
	uint64_t st[CV_MAX_COLS];
};

/* Returns 0, or -1 when the cell does not fit the page. */
static int lcell_parse(const uint8_t *pg, uint32_t U, uint32_t off, int index, struct lcell *c)
{
	uint64_t v, R = 0, H;
	uint32_t q = off, hend;
	int l, hl;

	if (off >= U)
		return -1;
	l = cv_varint(pg + q, U - q, &c->P);
	if (!l || c->P > 0x7fffffff)
		return -1;
	q += (uint32_t)l;
	if (!index) {
		l = cv_varint(pg + q, U - q, &R);
		if (!l)
			return -1;
		q += (uint32_t)l;
	}
	c->rowid = (int64_t)R;
	c->pay = q;
	c->local = fx_carve_local(c->P, U, index);
	c->end = q + c->local + (c->P > c->local ? 4 : 0);
	if (c->end > U || q > U)
		return -1;
	c->ovfl = c->P > c->local ? be32(pg + q + c->local) : 0;
	c->n = 0;
	hl = cv_varint(pg + q, c->local, &H);
	if (!hl || H > c->local || H < (uint64_t)hl)
		return -1;
	c->H = (uint32_t)H;
	hend = q + (uint32_t)H;
	for (q += (uint32_t)hl; q < hend && c->n < CV_MAX_COLS; c->n++) {
		l = cv_varint(pg + q, hend - q, &v);
		if (!l)
			return -1;
		c->st[c->n] = v;
		q += (uint32_t)l;
	}
	return 0;
}

static uint64_t lcell_key(const uint8_t *pg, const struct lcell *c)
{
	return cv_rec_key(c->st, c->n, c->P, pg + c->pay + c->H, c->local - c->H);
}

int cv_cell_key(struct cv_db *db, const uint8_t *pg, uint32_t off, int index, uint64_t *key)
{
	struct lcell *c = fx_xmalloc(sizeof(*c));
	int r = lcell_parse(pg, db->usable, off, index, c);

	if (r == 0)
		*key = lcell_key(pg, c);
	free(c);
	return r;
}

static int visit(struct cv_db *db, uint32_t pgno)
{
	uint8_t bit = (uint8_t)(1u << (pgno & 7));

	if (db->visited[pgno >> 3] & bit)
		return 0;
	db->visited[pgno >> 3] |= bit;
	return 1;
}

/*
 * Follows a live cell's overflow chain, marking its pages; out (when not
 * NULL) gets the whole payload (malloc'd, caller frees). Returns 0 or -1.
 */
static int live_overflow(struct cv_db *db, uint32_t first, uint64_t P, uint32_t local,
			 const uint8_t *lbytes, int owner, uint8_t **out)
{
	uint64_t left = P - local, have = local;
	uint32_t pg = first, U = db->usable, take;
	uint8_t hdr[4], *buf = NULL;

	if (out) {
		buf = fx_xmalloc(P > CV_MAX_PAYLOAD ? CV_MAX_PAYLOAD : (size_t)P);
		memcpy(buf, lbytes, local);
	}
	while (left > 0) {
		if (pg < 2 || pg > db->npages) {
			cv_problem(db, CV_DB, "page %u: overflow page %u is outside the file", pg,
				   pg);
			free(buf);
			return -1;
		}
		if (!visit(db, pg)) {
			cv_problem(db, CV_DB, "page %u is in two places (an overflow chain)", pg);
			free(buf);
			return -1;
		}
		db->state[pg] = CV_P_OVERFLOW;
		db->owner[pg] = owner;
		take = left < U - 4 ? (uint32_t)left : U - 4;
		if (buf) {
			const uint8_t *p = cv_page(db, pg, db->buf[3]);

			if (!p) {
				free(buf);
				return -1;
			}
			if (have + take <= CV_MAX_PAYLOAD)
				memcpy(buf + have, p + 4, take);
			memcpy(hdr, p, 4);
		} else {
			/* Only the next-page number is needed: 4 bytes, from wherever the page is.
			 */
			const uint8_t *p;

			if (db->cur_frame && db->cur_frame[pg]) {
				p = cv_page(db, pg, db->buf[3]);
				if (!p)
					return -1;
				memcpy(hdr, p, 4);
			} else if (cv_pread(&db->f[CV_DB], hdr, 4,
					    (uint64_t)(pg - 1) * db->page_size) != 4) {
				return -1;
			}
		}
		have += take;
		left -= take;
		pg = be32(hdr);
	}
	if (out)
		*out = buf;
	return 0;
}

/* A text column of a record in db's encoding as UTF-8 (malloc'd), or NULL. */
static char *rec_text(struct cv_db *db, const uint8_t *pay, uint64_t P, const struct lcell *c,
		      int col, int64_t *ival)
{
	uint64_t off = c->H;
	int64_t sz;
	int i;

	if (col >= c->n)
		return NULL;
	for (i = 0; i < col; i++)
		off += (uint64_t)cv_st_size(c->st[i]);
	sz = cv_st_size(c->st[col]);
	if (sz < 0 || off + (uint64_t)sz > P)
		return NULL;
	if (ival) {
		*ival = (c->st[col] >= 1 && c->st[col] <= 9 && c->st[col] != 7)
				? cv_int_value(c->st[col], pay + off)
				: 0;
		return NULL;
	}
	if (c->st[col] < 13 || c->st[col] % 2 == 0)
		return NULL;
	return cv_text_utf8(db->enc, pay + off, (size_t)sz, NULL);
}

struct mrow {
	char *type, *name, *tbl, *sql;
	uint32_t root;
};

struct walk {
	struct cv_db *db;
	int owner;
	int index;         /* index b-tree */
	int keys;          /* keep the keys of leaf rows */
	struct mrow *rows; /* sqlite_master rows, when walking it */
	size_t nrows, caprows;
};

static void master_row(struct walk *w, const uint8_t *pg, const struct lcell *c)
{
	struct cv_db *db = w->db;
	uint8_t *full = NULL;
	const uint8_t *pay = pg + c->pay;
	struct mrow r;
	int64_t root = 0;

	if (c->P > c->local) {
		if (live_overflow(db, c->ovfl, c->P, c->local, pay, 0, &full) < 0 ||
		    c->P > CV_MAX_PAYLOAD) {
			free(full);
			return;
		}
		pay = full;
	}
	memset(&r, 0, sizeof(r));
	r.type = rec_text(db, pay, c->P, c, 0, NULL);
	r.name = rec_text(db, pay, c->P, c, 1, NULL);
	r.tbl = rec_text(db, pay, c->P, c, 2, NULL);
	rec_text(db, pay, c->P, c, 3, &root);
	r.sql = rec_text(db, pay, c->P, c, 4, NULL);
	r.root = root > 0 && root <= 0xffffffffLL ? (uint32_t)root : 0;
	free(full);
	if (!r.type || !r.name) {
		free(r.type);
		free(r.name);
		free(r.tbl);
		free(r.sql);
		return;
	}
	if (w->nrows == w->caprows) {
		w->caprows = w->caprows ? w->caprows * 2 : 32;
		w->rows = fx_xrealloc(w->rows, w->caprows * sizeof(*w->rows));
	}
	w->rows[w->nrows++] = r;
}

/* Walks one b-tree from root; returns 0, or -1 when part of it could not be read. */
/* A page still to visit, and who pointed at it (for messages). */
struct todo {
	uint32_t pg, parent, off;
	int depth;
};

/* Says where a bad reference to page t.pg was found. */
static void bad_ref(struct cv_db *db, const struct todo *t, const char *tree, const char *what)
{
	if (t->parent)
		cv_problem(db, CV_DB, "page %u offset %u: child page %u of '%s' %s", t->parent,
			   t->off, t->pg, tree, what);
	else
		cv_problem(db, CV_DB, "root page %u of '%s' %s", t->pg, tree, what);
}

static int walk_tree(struct walk *w, uint32_t root)
{
	struct cv_db *db = w->db;
	struct lcell *c = fx_xmalloc(sizeof(*c));
	uint32_t U = db->usable, pgno, hdr, ncell, i, ptr, hl;
	const uint8_t *pg;
	const char *tree = db->sch[w->owner]->name;
	int depth, type, ret = 0, want_leaf = w->index ? CV_INDEX_LEAF : CV_TABLE_LEAF;
	uint8_t *buf = fx_xmalloc(db->page_size);
	/* Depth first, with an explicit stack of pages still to visit. */
	struct todo *todo, t;
	size_t ntodo = 0, captodo = 64;

	todo = fx_xmalloc(captodo * sizeof(*todo));
	todo[ntodo++] = (struct todo){root, 0, 0, 0};
	while (ntodo) {
		t = todo[--ntodo];
		pgno = t.pg;
		depth = t.depth;
		if (pgno < 1 || pgno > db->npages) {
			bad_ref(db, &t, tree, "is outside the file");
			ret = -1;
			continue;
		}
		if (depth > CV_MAX_DEPTH) {
			bad_ref(db, &t, tree, "is deeper than any b-tree goes");
			ret = -1;
			continue;
		}
		if (!visit(db, pgno)) {
			bad_ref(db, &t, tree,
				"is already part of a tree (a loop or a shared page)");
			ret = -1;
			continue;
		}
		pg = cv_page(db, pgno, buf);
		if (!pg) {
			ret = -1;
			continue;
		}
		hdr = pgno == 1 ? 100 : 0;
		type = pg[hdr];
		if (type != want_leaf && type != want_leaf - 8) {
			cv_problem(db, CV_DB,
				   "page %u offset %u: page type %d does not belong in "
				   "the b-tree of '%s'",
				   pgno, hdr, type, tree);
			ret = -1;
			continue;
		}
		db->state[pgno] = CV_P_BTREE;
		db->owner[pgno] = w->owner;
		ncell = be16(pg + hdr + 3);
		hl = type == want_leaf ? 8 : 12;
		if (hdr + hl + 2 * ncell > U) {
			cv_problem(db, CV_DB, "page %u offset %u: %u cells cannot fit the page",
				   pgno, hdr + 3, ncell);
			ret = -1;
			ncell = (U - hdr - hl) / 2;
		}
		if (ntodo + ncell + 1 > captodo) {
			captodo = (ntodo + ncell + 1) * 2;
			todo = fx_xrealloc(todo, captodo * sizeof(*todo));
		}
		if (type != want_leaf) {
			/* Children last to first, so they come off the stack in order. */
			todo[ntodo++] = (struct todo){be32(pg + hdr + 8), pgno, hdr + 8, depth + 1};
			for (i = ncell; i-- > 0;) {
				ptr = be16(pg + hdr + hl + 2 * i);
				if (ptr + 4 > U) {
					cv_problem(db, CV_DB,
						   "page %u offset %u: cell pointer %u is "
						   "outside the page",
						   pgno, hdr + hl + 2 * i, ptr);
					ret = -1;
					continue;
				}
				todo[ntodo++] = (struct todo){be32(pg + ptr), pgno, ptr, depth + 1};
				if (w->index && lcell_parse(pg, U, ptr + 4, 1, c) == 0 &&
				    c->P > c->local)
					live_overflow(db, c->ovfl, c->P, c->local, NULL, w->owner,
						      NULL);
			}
			continue;
		}
		for (i = 0; i < ncell; i++) {
			ptr = be16(pg + hdr + hl + 2 * i);
			if (lcell_parse(pg, U, ptr, w->index, c) < 0) {
				cv_problem(db, CV_DB,
					   "page %u offset %u: cell does not fit the page", pgno,
					   ptr);
				ret = -1;
				continue;
			}
			if (w->keys) {
				cv_keys_add(&db->live, lcell_key(pg, c));
				if (c->n < db->sch[w->owner]->min_live)
					db->sch[w->owner]->min_live = c->n;
				if (!w->index) {
					struct cv_schema *o = db->sch[w->owner];

					if (!o->nlive++ || c->rowid > o->max_rowid)
						o->max_rowid = c->rowid;
				}
			}
			if (w->rows)
				master_row(w, pg, c);
			else if (c->P > c->local && live_overflow(db, c->ovfl, c->P, c->local, NULL,
								  w->owner, NULL) < 0)
				ret = -1;
		}
	}
	free(todo);
	free(buf);
	free(c);
	return ret;
}

static void free_rows(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->nrows; i++) {
		free(w->rows[i].type);
		free(w->rows[i].name);
		free(w->rows[i].tbl);
		free(w->rows[i].sql);
	}
	free(w->rows);
}

static int find_table(struct cv_db *db, const char *name, int live)
{
	int i;

	for (i = 1; i < db->nsch; i++)
		if (db->sch[i]->kind != CV_K_INDEX && (db->sch[i]->live || !live) &&
		    strcmp(db->sch[i]->name, name) == 0)
			return i;
	return -1;
}

int cv_walk_live(struct cv_db *db)
{
	struct walk m, w;
	struct cv_schema *s;
	size_t i;
	int pass, id, t, ret = 0;

	memset(&m, 0, sizeof(m));
	m.db = db;
	m.owner = 0;
	m.keys = 1;
	m.rows = fx_xmalloc(sizeof(*m.rows));
	m.caprows = 1;
	if (walk_tree(&m, 1) < 0)
		ret = -1;
	/* Tables first, then their indexes, each in sqlite_master's order. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < m.nrows; i++) {
			const struct mrow *r = &m.rows[i];

			if (strcmp(r->type, pass ? "index" : "table") != 0 || !r->root)
				continue;
			if (pass == 0) {
				s = cv_schema_parse(r->sql, r->name, r->name, r->root, NULL);
			} else {
				t = find_table(db, r->tbl ? r->tbl : "", 1);
				if (r->sql)
					s = cv_schema_parse(r->sql, r->name, r->tbl ? r->tbl : "",
							    r->root, t >= 0 ? db->sch[t] : NULL);
				else
					s = cv_schema_autoindex(t >= 0 ? db->sch[t] : NULL, r->name,
								r->root);
			}
			if (!s) {
				if (pass == 0 && r->sql && strncmp(r->sql, "CREATE VIRTUAL", 14))
					cv_warn(db, CV_DB,
						"table '%s': its schema cannot be read; its "
						"deleted "
						"rows are looked for without it",
						r->name);
				/* Still walked, so that its pages count as live. */
				s = cv_schema_parse("CREATE TABLE x(a)", r->name,
						    pass && r->tbl ? r->tbl : r->name, r->root,
						    NULL);
				s->kind = pass ? CV_K_INDEX : CV_K_TABLE;
				free(s->col[0]);
				s->nrec = 0;
			}
			s->live = 1;
			id = cv_schema_add(db, s);
			memset(&w, 0, sizeof(w));
			w.db = db;
			w.owner = id;
			w.index = s->kind != CV_K_TABLE;
			w.keys = s->kind != CV_K_INDEX;
			if (walk_tree(&w, r->root) < 0)
				ret = -1;
		}
	}
	free_rows(&m);
	return ret;
}

/*
 * A page for a lookup: interior pages, which every lookup of a tree
 * passes through, are kept in a small direct-mapped cache.
 */
static const uint8_t *cached(struct cv_db *db, uint32_t pgno, uint8_t *buf)
{
	uint32_t slot, ps = db->page_size;
	const uint8_t *p;
	uint8_t t;

	if (!db->icache) {
		db->icache_n = (1u << 20) / ps < 16 ? 16 : (1u << 20) / ps;
		db->icache = fx_xmalloc((size_t)db->icache_n * ps);
		db->icache_pg = fx_xcalloc(db->icache_n, sizeof(*db->icache_pg));
	}
	slot = (pgno * 2654435761u) % db->icache_n;
	if (db->icache_pg[slot] == pgno)
		return db->icache + (size_t)slot * ps;
	p = cv_page(db, pgno, buf);
	if (!p)
		return NULL;
	t = p[pgno == 1 ? 100 : 0];
	if (t == CV_TABLE_INTERIOR || t == CV_INDEX_INTERIOR) {
		memcpy(db->icache + (size_t)slot * ps, p, ps);
		db->icache_pg[slot] = pgno;
	}
	return p;
}

int cv_lookup(struct cv_db *db, uint32_t root, int64_t rowid, uint64_t *key, uint8_t *pagebuf)
{
	const uint8_t *pg;
	uint32_t pgno = root, hdr, ncell, lo, hi, mid, ptr, U = db->usable;
	uint64_t v;
	int64_t k;
	int depth, type, l;

	for (depth = 0; depth <= CV_MAX_DEPTH; depth++) {
		pg = cached(db, pgno, pagebuf);
		if (!pg)
			return -1;
		hdr = pgno == 1 ? 100 : 0;
		type = pg[hdr];
		ncell = be16(pg + hdr + 3);
		if (type == CV_TABLE_INTERIOR) {
			if (hdr + 12 + 2 * ncell > U)
				return -1;
			/* The first cell whose key is >= rowid leads to it; else the right child.
			 */
			lo = 0;
			hi = ncell;
			while (lo < hi) {
				mid = (lo + hi) / 2;
				ptr = be16(pg + hdr + 12 + 2 * mid);
				if (ptr + 5 > U)
					return -1;
				l = cv_varint(pg + ptr + 4, U - ptr - 4, &v);
				if (!l)
					return -1;
				k = (int64_t)v;
				if (k < rowid)
					lo = mid + 1;
				else
					hi = mid;
			}
			pgno = lo < ncell ? be32(pg + be16(pg + hdr + 12 + 2 * lo))
					  : be32(pg + hdr + 8);
			continue;
		}
		if (type != CV_TABLE_LEAF || hdr + 8 + 2 * ncell > U)
			return -1;
		lo = 0;
		hi = ncell;
		while (lo < hi) {
			uint64_t P;

			mid = (lo + hi) / 2;
			ptr = be16(pg + hdr + 8 + 2 * mid);
			if (ptr >= U)
				return -1;
			l = cv_varint(pg + ptr, U - ptr, &P);
			if (!l || ptr + (uint32_t)l >= U ||
			    !cv_varint(pg + ptr + l, U - ptr - l, &v))
				return -1;
			k = (int64_t)v;
			if (k == rowid)
				return cv_cell_key(db, pg, ptr, 0, key) == 0 ? 1 : -1;
			if (k < rowid)
				lo = mid + 1;
			else
				hi = mid;
		}
		return 0;
	}
	return -1;
}
