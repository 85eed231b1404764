/*
 * The pages no live tree holds: the freelist (trunk and leaf pages), the
 * pointer-map and lock-byte pages, and pages nothing references; old
 * schemas found in them (and in the WAL and the journal), which name the
 * dropped tables and their old root pages; and the pass over every page
 * of the database file that carves them all.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_banned.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)(p[0] << 8 | p[1]);
}

void cv_mark_special(struct cv_db *db)
{
	uint32_t pg, step;

	/* The page holding the lock bytes at 1 GiB is never written. */
	db->lock_page = (uint32_t)(0x40000000ULL / db->page_size) + 1;
	if (db->lock_page <= db->npages && db->state[db->lock_page] == CV_P_UNREACHED)
		db->state[db->lock_page] = CV_P_LOCK;
	if (!db->autovacuum)
		return;
	/* Pointer-map pages: page 2, then one every usable/5 + 1 pages. */
	step = db->usable / 5 + 1;
	for (pg = 2; pg <= db->npages && pg >= 2; pg += step) {
		if (pg == db->lock_page)
			pg++;
		if (pg <= db->npages && db->state[pg] == CV_P_UNREACHED)
			db->state[pg] = CV_P_PTRMAP;
	}
}

void cv_walk_freelist(struct cv_db *db)
{
	uint32_t trunk = db->free_head, next, n, i, leaf, count = 0, steps, U = db->usable;
	const uint8_t *p;

	for (steps = 0; trunk && steps <= db->npages; steps++) {
		if (trunk < 2 || trunk > db->npages) {
			cv_problem(db, CV_DB, "freelist trunk page %u is outside the file", trunk);
			return;
		}
		if (db->state[trunk] != CV_P_UNREACHED) {
			cv_problem(db, CV_DB, "page %u is in two places (freelist trunk)", trunk);
			return;
		}
		p = cv_page(db, trunk, db->buf[3]);
		if (!p)
			return;
		db->state[trunk] = CV_P_TRUNK;
		count++;
		next = be32(p);
		n = be32(p + 4);
		if (n > U / 4 - 2) {
			cv_problem(db, CV_DB,
				   "page %u offset 4: %u freelist leaves cannot fit a trunk", trunk,
				   n);
			n = U / 4 - 2;
		}
		for (i = 0; i < n; i++) {
			leaf = be32(p + 8 + 4 * i);
			if (leaf < 2 || leaf > db->npages) {
				cv_problem(db, CV_DB,
					   "page %u offset %u: freelist leaf %u is outside "
					   "the file",
					   trunk, 8 + 4 * i, leaf);
				continue;
			}
			if (db->state[leaf] != CV_P_UNREACHED) {
				cv_problem(db, CV_DB, "page %u is in two places (freelist leaf)",
					   leaf);
				continue;
			}
			db->state[leaf] = CV_P_FREE;
			count++;
		}
		trunk = next;
	}
	if (trunk)
		cv_problem(db, CV_DB, "the freelist loops");
	if (count != db->free_count)
		cv_warn(db, CV_DB,
			"offset 36: the header counts %u freelist pages, the list has %u",
			db->free_count, count);
}

/* ---- old schemas ---- */

struct harvest {
	char *type, *name, *tbl, *sql;
	int64_t root;
};

static char *col_text(struct cv_db *db, const uint8_t *pay, uint32_t have, const uint64_t *st,
		      int n, uint32_t hdr, int col, int64_t *ival)
{
	uint32_t off = hdr;
	int64_t sz;
	int i;

	for (i = 0; i < col && i < n; i++)
		off += (uint32_t)cv_st_size(st[i]);
	if (col >= n)
		return NULL;
	sz = cv_st_size(st[col]);
	if (sz < 0 || (uint64_t)off + (uint64_t)sz > have)
		return NULL;
	if (ival) {
		*ival = st[col] >= 1 && st[col] <= 9 && st[col] != 7
				? cv_int_value(st[col], pay + off)
				: 0;
		return NULL;
	}
	if (st[col] < 13 || st[col] % 2 == 0)
		return NULL;
	return cv_text_utf8(db->enc, pay + off, (size_t)sz, NULL);
}

static int same_schema(struct cv_db *db, const char *name, const char *sql)
{
	int i;

	for (i = 1; i < db->nsch; i++)
		if (strcmp(db->sch[i]->name, name) == 0 && strcmp(db->sch[i]->sql, sql) == 0)
			return 1;
	return 0;
}

static void found_schema(struct cv_db *db, const struct cv_img *im, const struct cv_cand *c,
			 const uint64_t *st)
{
	uint32_t have;
	int broken, i, t = -1;
	uint8_t *pay = cv_cand_payload(db, im, c, &have, &broken, NULL);
	struct harvest h;
	struct cv_schema *s = NULL;

	if (!pay)
		return;
	memset(&h, 0, sizeof(h));
	h.type = col_text(db, pay, have, st, c->n, c->hdr_len, 0, NULL);
	h.name = col_text(db, pay, have, st, c->n, c->hdr_len, 1, NULL);
	h.tbl = col_text(db, pay, have, st, c->n, c->hdr_len, 2, NULL);
	col_text(db, pay, have, st, c->n, c->hdr_len, 3, &h.root);
	h.sql = col_text(db, pay, have, st, c->n, c->hdr_len, 4, NULL);
	free(pay);
	if (h.type && h.name && h.sql && h.root > 0 && h.root <= 0xffffffffLL &&
	    !same_schema(db, h.name, h.sql)) {
		if (strcmp(h.type, "table") == 0) {
			s = cv_schema_parse(h.sql, h.name, h.name, (uint32_t)h.root, NULL);
		} else if (strcmp(h.type, "index") == 0 && h.tbl) {
			for (i = 1; i < db->nsch; i++)
				if (db->sch[i]->kind != CV_K_INDEX &&
				    strcmp(db->sch[i]->name, h.tbl) == 0)
					t = i;
			s = cv_schema_parse(h.sql, h.name, h.tbl, (uint32_t)h.root,
					    t >= 0 ? db->sch[t] : NULL);
		}
		if (s) {
			/* A live table of that name with another layout: an older one of it. */
			s->live = 0;
			cv_schema_add(db, s);
		}
	}
	free(h.type);
	free(h.name);
	free(h.tbl);
	free(h.sql);
}

/* "CREATE TABLE" / "CREATE INDEX" start, in the database's text encoding. */
static int has_create(const struct cv_db *db, const uint8_t *p, size_t n)
{
	static const char word[] = "CREATE ";
	uint8_t pat[14];
	size_t i, k = 0;

	for (i = 0; i < 7; i++) {
		if (db->enc == CV_UTF16BE)
			pat[k++] = 0;
		pat[k++] = (uint8_t)word[i];
		if (db->enc == CV_UTF16LE)
			pat[k++] = 0;
	}
	return memmem(p, n, pat, k) != NULL;
}

void cv_harvest_page(struct cv_db *db, const uint8_t *p, uint32_t pgno, int role, uint64_t foff)
{
	struct cv_img im;

	if (!has_create(db, p, db->usable))
		return;
	memset(&im, 0, sizeof(im));
	im.p = p;
	im.pgno = pgno;
	im.role = role;
	im.foff = foff;
	im.owner = -1;
	im.schema_only = 1;
	im.found = found_schema;
	/* As an old image: its listed cells count too, unless it is the live page. */
	im.current = role == CV_DB && pgno <= db->npages && db->state[pgno] == CV_P_BTREE &&
		     !(db->cur_frame && db->cur_frame[pgno]);
	im.pstate = im.current ? CV_P_BTREE : CV_P_UNREACHED;
	cv_carve_image(db, &im);
}

void cv_harvest_schemas(struct cv_db *db)
{
	uint32_t pg;
	const uint8_t *p;

	for (pg = 1; pg <= db->file_pages; pg++) {
		/* A live user table holds no schema rows, nor in its free space as a rule. */
		if (pg <= db->npages && db->state[pg] == CV_P_BTREE && db->owner[pg] != 0 &&
		    !(db->cur_frame && db->cur_frame[pg]))
			continue;
		if (pg <= db->npages &&
		    (db->state[pg] == CV_P_OVERFLOW || db->state[pg] == CV_P_PTRMAP ||
		     db->state[pg] == CV_P_LOCK))
			continue;
		if (cv_pread(&db->f[CV_DB], db->buf[0], db->page_size,
			     (uint64_t)(pg - 1) * db->page_size) != (ssize_t)db->page_size)
			continue;
		p = db->buf[0];
		cv_harvest_page(db, p, pg, CV_DB, (uint64_t)(pg - 1) * db->page_size);
	}
}

/* ---- dropped trees ---- */

static void old_tree(struct cv_db *db, int sidx)
{
	const struct cv_schema *s = db->sch[sidx];
	uint32_t *todo, pg, ncell, i, hl, ptr;
	size_t n = 0, cap = 64, steps = 0;
	const uint8_t *p;
	int t, leaf = s->kind == CV_K_TABLE ? CV_TABLE_LEAF : CV_INDEX_LEAF;

	todo = fx_xmalloc(cap * sizeof(*todo));
	todo[n++] = s->root;
	while (n && steps++ < db->npages) {
		pg = todo[--n];
		if (pg < 2 || pg > db->npages || db->owner[pg] >= 0 ||
		    (db->state[pg] != CV_P_FREE && db->state[pg] != CV_P_UNREACHED))
			continue;
		p = cv_page(db, pg, db->buf[3]);
		if (!p)
			continue;
		t = p[0];
		if (t != leaf && t != leaf - 8)
			continue;
		db->owner[pg] = sidx;
		if (t == leaf)
			continue;
		ncell = be16(p + 3);
		hl = 12;
		if (hl + 2 * ncell > db->usable)
			continue;
		if (n + ncell + 1 > cap) {
			cap = (n + ncell + 1) * 2;
			todo = fx_xrealloc(todo, cap * sizeof(*todo));
		}
		todo[n++] = be32(p + 8);
		for (i = 0; i < ncell; i++) {
			ptr = be16(p + hl + 2 * i);
			if (ptr + 4 <= db->usable)
				todo[n++] = be32(p + ptr);
		}
	}
	free(todo);
}

void cv_walk_old_trees(struct cv_db *db)
{
	int i;

	for (i = 1; i < db->nsch; i++)
		if (!db->sch[i]->live && db->sch[i]->root)
			old_tree(db, i);
}

/* ---- the database file, page by page ---- */

void cv_carve_pages(struct cv_db *db, uint32_t first, uint32_t last)
{
	const size_t block = 1 << 20;
	uint32_t ps = db->page_size, per = (uint32_t)(block / ps), pg, j, got;
	uint8_t *buf = fx_xmalloc(per * (size_t)ps);
	struct cv_img im;
	ssize_t n;

	for (pg = first; pg <= last; pg += per) {
		if (per > last - pg + 1)
			per = last - pg + 1;
		n = cv_pread(&db->f[CV_DB], buf, (size_t)per * ps, (uint64_t)(pg - 1) * ps);
		if (n <= 0) {
			db->failed = 1;
			break;
		}
		got = (uint32_t)((size_t)n / ps);
		if ((size_t)n % ps) {
			memset(buf + (size_t)n, 0, ps - (size_t)n % ps);
			got++;
		}
		for (j = 0; j < got; j++) {
			memset(&im, 0, sizeof(im));
			im.p = buf + (size_t)j * ps;
			im.pgno = pg + j;
			im.role = CV_DB;
			im.foff = (uint64_t)(pg + j - 1) * ps;
			im.current = !(db->cur_frame && db->cur_frame[pg + j]);
			im.pstate = pg + j <= db->npages ? db->state[pg + j] : CV_P_UNREACHED;
			im.owner = pg + j <= db->npages ? db->owner[pg + j] : -1;
			im.owner_conf = im.pstate == CV_P_BTREE ? 1.0f : 0.9f;
			if (!im.current) {
				im.owner_conf = 0.8f;
			} else if (im.pstate == CV_P_OVERFLOW || im.pstate == CV_P_PTRMAP ||
				   im.pstate == CV_P_LOCK) {
				continue;
			}
			cv_carve_image(db, &im);
			if (db->out_failed)
				break;
		}
		if (db->out_failed)
			break;
	}
	free(buf);
}
