/*
 * The files of one database: opened read-only, hashed in a second thread
 * while the first reads pages, and read with pread only, so that nothing
 * is mapped or loaded whole whatever the size. The database header is
 * checked here against the file it is in.
 */
#define _GNU_SOURCE /* O_NOATIME */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_banned.h"

#define CV_MAX_PROBLEMS 50 /* messages per database before they are only counted */

static const char *role_name(const struct cv_db *db, int role)
{
	return db->f[role].name;
}

static void vnote(struct cv_db *db, int role, int fail, const char *fmt, va_list ap)
{
	char msg[1024];

	if (fail)
		db->failed = 1;
	if (++db->problems > CV_MAX_PROBLEMS) {
		return;
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (fail)
		fx_error("'%s': %s", role_name(db, role), msg);
	else
		fx_warn("'%s': %s", role_name(db, role), msg);
	if (db->problems == CV_MAX_PROBLEMS)
		fx_warn("'%s': further problems are not shown", role_name(db, role));
}

void cv_problem(struct cv_db *db, int role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(db, role, 1, fmt, ap);
	va_end(ap);
}

void cv_warn(struct cv_db *db, int role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(db, role, 0, fmt, ap);
	va_end(ap);
}

int cv_file_open(struct cv_file *f, const struct fx_carve_file *in, int role)
{
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->role = role;
	if (!in || !in->path)
		return 0;
	f->path = in->path;
	f->name = in->name ? in->name : in->path;
	f->want = in->sha256;
	/* No access time either, when the file is ours to ask that of. */
	f->fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOATIME);
	if (f->fd < 0 && errno == EPERM)
		f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return fx_error_errno("cannot open '%s'", f->name);
	if (fstat(f->fd, &st) < 0) {
		fx_error_errno("cannot read '%s'", f->name);
		cv_file_close(f);
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		fx_error("'%s': not a regular file", f->name);
		cv_file_close(f);
		return -1;
	}
	f->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(f->fd, 0, SEEK_END);

		f->size = end > 0 ? (uint64_t)end : 0;
	}
	return 0;
}

void cv_file_close(struct cv_file *f)
{
	if (f->thread_on)
		cv_file_hash_wait(f);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

ssize_t cv_pread(struct cv_file *f, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(f->fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fx_error_errno("cannot read '%s' at offset %llu", f->name,
				       (unsigned long long)(off + got));
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static void *hash_thread(void *arg)
{
	struct cv_file *f = arg;
	const size_t bufsize = 1 << 20;
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	uint8_t *buf = fx_xmalloc(bufsize), md[FX_SHA256_LEN];
	uint64_t off = 0;
	ssize_t n;

	/* The whole file, in order: what the hash vouches for is every byte. */
	for (;;) {
		n = cv_pread(f, buf, bufsize, off);
		if (n < 0) {
			f->hash_failed = 1;
			break;
		}
		if (n == 0)
			break;
		fx_hash_update(h, buf, (size_t)n);
		off += (uint64_t)n;
		if ((size_t)n < bufsize)
			break;
	}
	fx_hash_final(h, md);
	fx_hex(md, FX_SHA256_LEN, f->sha256);
	if (off != f->size && !f->hash_failed) {
		fx_error("'%s' changed while it was read (%llu bytes, then %llu)", f->name,
			 (unsigned long long)f->size, (unsigned long long)off);
		f->hash_failed = 1;
	}
	fx_hash_free(h);
	free(buf);
	return NULL;
}

void cv_file_hash_start(struct cv_file *f)
{
	if (f->fd < 0)
		return;
	if (pthread_create(&f->th, NULL, hash_thread, f) == 0) {
		f->thread_on = 1;
		return;
	}
	hash_thread(f);
}

int cv_file_hash_wait(struct cv_file *f)
{
	if (f->thread_on) {
		pthread_join(f->th, NULL);
		f->thread_on = 0;
	}
	if (f->fd < 0 || f->hash_failed)
		return -1;
	if (f->want && strcmp(f->want, f->sha256) != 0)
		return fx_error("'%s': its bytes hash to %s, not to %s", f->name, f->sha256,
				f->want);
	f->hashed = 1;
	return 0;
}

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int cv_header(struct cv_db *db)
{
	struct cv_file *f = &db->f[CV_DB];
	uint8_t h[100];
	uint32_t ps, hdr_pages;
	ssize_t n;

	if (f->size == 0) {
		cv_problem(db, CV_DB, "empty file: not an SQLite database");
		return -1;
	}
	n = cv_pread(f, h, sizeof(h), 0);
	if (n < 0) {
		db->failed = 1;
		return -1;
	}
	if (n < 100 || memcmp(h, "SQLite format 3", 16) != 0) {
		cv_problem(db, CV_DB, "offset 0: not an SQLite database (no SQLite header)");
		return -1;
	}
	ps = be16(h + 16);
	if (ps == 1)
		ps = 65536;
	if (ps < 512 || ps > 65536 || (ps & (ps - 1))) {
		cv_problem(db, CV_DB, "offset 16: page size %u is not one SQLite uses", ps);
		return -1;
	}
	db->page_size = ps;
	if (ps - h[20] < 480) {
		cv_problem(db, CV_DB,
			   "offset 20: %u reserved bytes leave too little of a %u-byte page", h[20],
			   ps);
		return -1;
	}
	db->usable = ps - h[20];
	db->enc = (int)be32(h + 56);
	if (db->enc < CV_UTF8 || db->enc > CV_UTF16BE) {
		if (db->enc != 0)
			cv_warn(db, CV_DB,
				"offset 56: text encoding %d is not valid, read as UTF-8", db->enc);
		db->enc = CV_UTF8;
	}
	db->schema_format = (int)be32(h + 44);
	db->free_head = be32(h + 32);
	db->free_count = be32(h + 36);
	db->autovacuum = be32(h + 52) != 0;
	db->file_pages =
		(uint32_t)((f->size + ps - 1) / ps > 0xfffffffeULL ? 0xfffffffeULL
								   : (f->size + ps - 1) / ps);
	if (f->size % ps)
		cv_problem(db, CV_DB, "offset %llu: the file ends inside page %u (truncated)",
			   (unsigned long long)f->size, db->file_pages);
	/* The size in the header counts only when it was written with the counter. */
	hdr_pages = be32(h + 28);
	if (hdr_pages && be32(h + 92) == be32(h + 24)) {
		if (hdr_pages > db->file_pages)
			cv_problem(db, CV_DB,
				   "offset 28: the header says %u pages, the file holds %u "
				   "(truncated)",
				   hdr_pages, db->file_pages);
		else if (hdr_pages < db->file_pages)
			cv_warn(db, CV_DB,
				"offset 28: the header says %u pages, the file holds %u: "
				"all are read",
				hdr_pages, db->file_pages);
	}
	db->npages = db->file_pages;
	return 0;
}

const uint8_t *cv_page(struct cv_db *db, uint32_t pgno, uint8_t *buf)
{
	uint32_t ps = db->page_size;
	uint64_t off;
	ssize_t n;
	int role = CV_DB;

	if (pgno == 0 || pgno > db->npages)
		return NULL;
	if (db->cur_frame && db->cur_frame[pgno]) {
		role = CV_WAL;
		off = 32 + (uint64_t)(db->cur_frame[pgno] - 1) * (24 + ps) + 24;
	} else {
		if (pgno > db->file_pages)
			return NULL;
		off = (uint64_t)(pgno - 1) * ps;
	}
	n = cv_pread(&db->f[role], buf, ps, off);
	if (n < 0) {
		db->failed = 1;
		return NULL;
	}
	if ((size_t)n < ps)
		memset(buf + n, 0, ps - (size_t)n);
	return buf;
}
