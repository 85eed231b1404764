/*
 * The write-ahead log: its header and frames, checked as SQLite checks
 * them (salts and cumulative checksums), and the overlay that makes the
 * last committed frame of each page its current version. Every frame is
 * then carved as a page image: the current ones for their free space,
 * the older, uncommitted and stale ones (after a checksum break, or with
 * the salts of an earlier generation) whole.
 */
#include <stdlib.h>
#include <string.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_banned.h"

#define WAL_HDR 32
#define FRAME_HDR 24

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* SQLite's WAL checksum over n bytes (a multiple of 8), in the log's byte order. */
static void wal_cksum(int big, const uint8_t *p, size_t n, uint32_t *s0, uint32_t *s1)
{
	uint32_t a = *s0, b = *s1, x, y;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		if (big) {
			x = be32(p + i);
			y = be32(p + i + 4);
		} else {
			x = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
			    (uint32_t)p[i + 3] << 24;
			y = (uint32_t)p[i + 4] | (uint32_t)p[i + 5] << 8 |
			    (uint32_t)p[i + 6] << 16 | (uint32_t)p[i + 7] << 24;
		}
		a += x + b;
		b += y + a;
	}
	*s0 = a;
	*s1 = b;
}

int cv_wal_read(struct cv_db *db)
{
	struct cv_file *f = &db->f[CV_WAL];
	uint8_t h[WAL_HDR], *buf;
	uint32_t magic, ps, s0 = 0, s1 = 0, i, n, last_commit = 0, maxpg = db->npages,
			    commit_size = 0;
	uint64_t off;
	int big, valid = 1;

	if (f->fd < 0 || f->size == 0)
		return 0;
	if (f->size < WAL_HDR || cv_pread(f, h, WAL_HDR, 0) != WAL_HDR) {
		cv_problem(db, CV_WAL, "offset 0: too short for a WAL header");
		return -1;
	}
	magic = be32(h);
	if (magic != 0x377f0682 && magic != 0x377f0683) {
		cv_problem(db, CV_WAL, "offset 0: not an SQLite WAL (magic %08x)", magic);
		return -1;
	}
	big = magic & 1;
	ps = be32(h + 8);
	if (ps != db->page_size) {
		cv_problem(db, CV_WAL, "offset 8: page size %u is not the database's %u", ps,
			   db->page_size);
		return -1;
	}
	db->wal_page_size = ps;
	db->wal_salt1 = be32(h + 16);
	db->wal_salt2 = be32(h + 20);
	wal_cksum(big, h, 24, &s0, &s1);
	if (s0 != be32(h + 24) || s1 != be32(h + 28)) {
		cv_warn(db, CV_WAL,
			"offset 24: header checksum does not match: no frame is "
			"committed, all are carved as stale");
		valid = 0;
	}
	n = (uint32_t)((f->size - WAL_HDR) / (FRAME_HDR + ps));
	if ((f->size - WAL_HDR) % (FRAME_HDR + ps))
		cv_warn(db, CV_WAL, "offset %llu: the last frame is cut short",
			(unsigned long long)(WAL_HDR + (uint64_t)n * (FRAME_HDR + ps)));
	db->frames = fx_xcalloc(n ? n : 1, sizeof(*db->frames));
	db->nframes = n;
	buf = fx_xmalloc(FRAME_HDR + ps);
	for (i = 0; i < n; i++) {
		struct cv_frame *fr = &db->frames[i];

		off = WAL_HDR + (uint64_t)i * (FRAME_HDR + ps);
		if (cv_pread(f, buf, FRAME_HDR + ps, off) != (ssize_t)(FRAME_HDR + ps)) {
			db->nframes = i;
			break;
		}
		fr->pgno = be32(buf);
		fr->commit = be32(buf + 4);
		fr->salt1 = be32(buf + 8);
		fr->salt2 = be32(buf + 12);
		fr->state = CV_W_STALE;
		if (valid && fr->salt1 == db->wal_salt1 && fr->salt2 == db->wal_salt2 && fr->pgno) {
			wal_cksum(big, buf, 8, &s0, &s1);
			wal_cksum(big, buf + FRAME_HDR, ps, &s0, &s1);
			if (s0 == be32(buf + 16) && s1 == be32(buf + 20)) {
				fr->state = CV_W_UNCOMMITTED;
				if (fr->commit) {
					last_commit = i + 1;
					commit_size = fr->commit;
				}
			} else {
				valid = 0; /* SQLite stops at the first bad frame */
			}
		} else {
			valid = 0;
		}
	}
	free(buf);
	for (i = 0; i < last_commit; i++)
		db->frames[i].state = CV_W_COMMITTED;
	/* The database as SQLite would read it: grown or shrunk by the last commit. */
	if (commit_size) {
		if (commit_size > maxpg)
			maxpg = commit_size;
		db->npages = maxpg;
	}
	db->cur_frame = fx_xcalloc((size_t)db->npages + 1, sizeof(*db->cur_frame));
	for (i = 0; i < last_commit; i++)
		if (db->frames[i].pgno <= db->npages)
			db->cur_frame[db->frames[i].pgno] = i + 1;
	return 0;
}

static void frames(struct cv_db *db, int harvest)
{
	struct cv_file *f = &db->f[CV_WAL];
	uint32_t ps = db->page_size, i;
	uint8_t *buf = fx_xmalloc(ps);
	struct cv_img im;
	uint64_t off;
	const struct cv_frame *fr;

	for (i = 0; i < db->nframes && !db->out_failed; i++) {
		fr = &db->frames[i];
		off = WAL_HDR + (uint64_t)i * (FRAME_HDR + ps) + FRAME_HDR;
		if (!fr->pgno || cv_pread(f, buf, ps, off) != (ssize_t)ps)
			continue;
		if (harvest) {
			cv_harvest_page(db, buf, fr->pgno, CV_WAL, off);
			continue;
		}
		memset(&im, 0, sizeof(im));
		im.p = buf;
		im.pgno = fr->pgno;
		im.role = CV_WAL;
		im.foff = off;
		im.frame = i + 1;
		im.fr = fr;
		im.current = fr->pgno <= db->npages && db->cur_frame[fr->pgno] == i + 1;
		im.pstate = im.current ? db->state[fr->pgno] : CV_P_UNREACHED;
		im.owner = fr->pgno <= db->npages ? db->owner[fr->pgno] : -1;
		im.owner_conf = im.current ? (im.pstate == CV_P_BTREE ? 1.0f : 0.9f) : 0.8f;
		if (im.current && (im.pstate == CV_P_OVERFLOW || im.pstate == CV_P_PTRMAP ||
				   im.pstate == CV_P_LOCK))
			continue;
		cv_carve_image(db, &im);
	}
	free(buf);
}

void cv_harvest_wal(struct cv_db *db)
{
	if (db->f[CV_WAL].fd >= 0 && db->nframes)
		frames(db, 1);
}

void cv_carve_wal(struct cv_db *db)
{
	if (db->f[CV_WAL].fd >= 0 && db->nframes && db->f[CV_WAL].hashed)
		frames(db, 0);
}
