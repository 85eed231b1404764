/*
 * The rollback journal: page images as they were before a transaction
 * changed them, so rows the transaction deleted are whole in them. A
 * journal is a header (padded to a sector) and records of page number,
 * page and checksum (a nonce plus every 200th byte), possibly several
 * such segments. journal_mode=PERSIST zeroes the header when it commits
 * and leaves the records: then the sector size is tried and the nonce
 * solved from one record and confirmed by the next.
 */
#include <stdlib.h>
#include <string.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_banned.h"

static const uint8_t jmagic[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t sample_sum(const uint8_t *page, uint32_t ps)
{
	uint32_t sum = 0;
	int64_t i;

	for (i = (int64_t)ps - 200; i > 0; i -= 200)
		sum += page[i];
	return sum;
}

struct jscan {
	struct cv_db *db;
	uint32_t ps;
	uint8_t *rec; /* one record: number, page, checksum */
	int harvest;
	uint32_t maxpg;
};

/* Reads the record at off; returns 1 with *pgno and *ck, 0 past the end. */
static int record_at(struct jscan *js, uint64_t off, uint32_t *pgno, uint32_t *ck)
{
	struct cv_file *f = &js->db->f[CV_JOURNAL];

	if (off + js->ps + 8 > f->size)
		return 0;
	if (cv_pread(f, js->rec, js->ps + 8, off) != (ssize_t)(js->ps + 8))
		return 0;
	*pgno = be32(js->rec);
	*ck = be32(js->rec + 4 + js->ps);
	return 1;
}

static void image(struct jscan *js, uint32_t pgno, uint64_t off)
{
	struct cv_db *db = js->db;
	struct cv_img im;

	if (js->harvest) {
		cv_harvest_page(db, js->rec + 4, pgno, CV_JOURNAL, off + 4);
		return;
	}
	memset(&im, 0, sizeof(im));
	im.p = js->rec + 4;
	im.pgno = pgno;
	im.role = CV_JOURNAL;
	im.foff = off + 4;
	im.current = 0;
	im.pstate = CV_P_UNREACHED;
	im.owner = pgno <= db->npages ? db->owner[pgno] : -1;
	im.owner_conf = 0.8f;
	cv_carve_image(db, &im);
}

/*
 * Records from off while their checksums hold with nonce (solved from
 * the first when have_nonce is 0). Returns the offset after the last.
 */
static uint64_t segment(struct jscan *js, uint64_t off, uint32_t nonce, int have_nonce,
			uint32_t nrec)
{
	uint32_t pgno, ck, k = 0, sum;
	uint64_t first = off;

	while (k < nrec && !js->db->out_failed) {
		if (!record_at(js, off, &pgno, &ck))
			break;
		if (pgno < 1 || pgno > js->maxpg)
			break;
		sum = sample_sum(js->rec + 4, js->ps);
		if (!have_nonce) {
			uint32_t p2, c2, n2 = ck - sum;

			/* A nonce from one record must hold for the next, if there is one. */
			if (record_at(js, off + js->ps + 8, &p2, &c2) && p2 >= 1 &&
			    p2 <= js->maxpg && c2 - sample_sum(js->rec + 4, js->ps) != n2)
				break;
			record_at(js, off, &pgno, &ck);
			nonce = n2;
			have_nonce = 1;
		} else if (ck != nonce + sum) {
			break;
		}
		image(js, pgno, off);
		off += js->ps + 8;
		k++;
	}
	return off > first ? off : first;
}

static void journal(struct cv_db *db, int harvest)
{
	struct cv_file *f = &db->f[CV_JOURNAL];
	struct jscan js;
	uint8_t h[28];
	uint32_t sector = 0, nrec, nonce, s, ps = db->page_size;
	uint64_t off = 0, next;

	if (f->fd < 0 || f->size < 28)
		return;
	memset(&js, 0, sizeof(js));
	js.db = db;
	js.ps = ps;
	js.rec = fx_xmalloc(ps + 8);
	js.harvest = harvest;
	js.maxpg = db->npages > 0x7fffffff / 2 ? 0xffffffffu : db->npages * 2 + 16;
	while (off + 28 <= f->size && !db->out_failed) {
		if (cv_pread(f, h, 28, off) != 28)
			break;
		if (memcmp(h, jmagic, 8) == 0) {
			nrec = be32(h + 8);
			nonce = be32(h + 12);
			sector = be32(h + 20);
			if (be32(h + 24) != ps && be32(h + 24)) {
				if (!harvest)
					cv_problem(db, CV_JOURNAL,
						   "offset %llu: page size %u is not the "
						   "database's %u",
						   (unsigned long long)(off + 24), be32(h + 24),
						   ps);
				break;
			}
			if (sector < 512 || sector > 65536 || (sector & (sector - 1)))
				sector = 512;
			next = segment(&js, off + sector, nonce, 1, nrec ? nrec : 0xffffffffu);
			/* The next segment starts at the next sector boundary. */
			off = (next + sector - 1) / sector * sector;
			continue;
		}
		if (off == 0) {
			/* A zeroed header (PERSIST): the sector size that gives good records. */
			for (s = 512; s <= 65536; s *= 2) {
				next = segment(&js, s, 0, 0, 0xffffffffu);
				if (next > s) {
					sector = s;
					off = (next + s - 1) / s * s;
					break;
				}
			}
			if (!sector)
				break;
			continue;
		}
		/* Past the last good record: a later segment may start at a sector boundary. */
		off += sector ? sector : 512;
	}
	free(js.rec);
}

void cv_harvest_journal(struct cv_db *db)
{
	journal(db, 1);
}

void cv_carve_journal(struct cv_db *db)
{
	if (db->f[CV_JOURNAL].hashed)
		journal(db, 0);
}
