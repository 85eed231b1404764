/*
 * WARC 1.1 (ISO 28500:2017): the writer, one gzip member per record so
 * that a reader can seek to any record, and a small reader for --verify.
 *
 * Digests are written "sha256:" and lowercase hex: WARC 1.1 leaves the
 * encoding to the writer, warcio writes and checks this form, and WACZ
 * spells its hashes the same way.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>
#include <zlib.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_banned.h"

void web_uuid_urn(char out[64])
{
	uint8_t b[FX_SHA256_LEN];
	char seed[64];

	/* Without the CSPRNG (never in practice): a hash of time and address. */
	if (RAND_bytes(b, 16) != 1) {
		snprintf(seed, sizeof(seed), "%ld %p", (long)time(NULL), (void *)out);
		fx_sha256(seed, strlen(seed), b);
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	snprintf(out, 64,
		 "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x>",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

void web_digest_label(const uint8_t md[FX_SHA256_LEN], char out[80])
{
	char hex[FX_SHA256_HEX];

	snprintf(out, 80, "sha256:%s", fx_hex(md, FX_SHA256_LEN, hex));
}

/* A header value on one line: CR, LF and other controls become spaces. */
static void field(struct fx_buf *b, const char *name, const char *v)
{
	const char *p;

	if (!v)
		return;
	fx_buf_add(b, name, strlen(name));
	fx_buf_add(b, ": ", 2);
	for (p = v; *p; p++)
		fx_buf_add(b, (unsigned char)*p < 0x20 || *p == 0x7f ? " " : p, 1);
	fx_buf_add(b, "\r\n", 2);
}

void web_warc_format(struct web_warc_head *h, const void *a, size_t na, const void *b, size_t nb,
		     struct fx_buf *out)
{
	struct fx_hash *d = fx_hash_new(FX_HASH_SHA256);
	uint8_t md[FX_SHA256_LEN];
	char label[80], len[32];

	if (!h->id[0])
		web_uuid_urn(h->id);
	fx_hash_update(d, a, na);
	fx_hash_update(d, b, nb);
	fx_hash_final(d, md);
	fx_hash_free(d);
	web_digest_label(md, label);
	snprintf(len, sizeof(len), "%zu", na + nb);
	fx_buf_add(out, "WARC/1.1\r\n", 10);
	field(out, "WARC-Type", h->type);
	field(out, "WARC-Record-ID", h->id);
	field(out, "WARC-Date", h->date);
	field(out, "WARC-Filename", h->filename);
	field(out, "WARC-Target-URI", h->uri);
	field(out, "WARC-IP-Address", h->ip);
	field(out, "WARC-Concurrent-To", h->concurrent);
	field(out, "WARC-Refers-To", h->refers);
	field(out, "WARC-Truncated", h->truncated);
	field(out, "Content-Type", h->ctype);
	field(out, "WARC-Block-Digest", label);
	field(out, "WARC-Payload-Digest", h->payload);
	field(out, "Content-Length", len);
	fx_buf_add(out, "\r\n", 2);
	if (na)
		fx_buf_add(out, a, na);
	if (nb)
		fx_buf_add(out, b, nb);
	fx_buf_add(out, "\r\n\r\n", 4);
}

int web_warc_open(struct web_warc *w, const char *path)
{
	memset(w, 0, sizeof(*w));
	w->fp = fopen(path, "wbx");
	if (!w->fp)
		return fx_error_errno("cannot create '%s'", path);
	w->path = fx_xstrdup(path);
	return 0;
}

int web_warc_write(struct web_warc *w, struct web_warc_head *h, const void *a, size_t na,
		   const void *b, size_t nb, uint64_t *off, uint64_t *len)
{
	unsigned char buf[65536];
	z_stream z;
	uint64_t start = w->off;
	size_t have;
	int rc;

	fx_buf_truncate(&w->rec, 0);
	web_warc_format(h, a, na, b, nb, &w->rec);
	memset(&z, 0, sizeof(z));
	/*
	 * 16 + 15: a gzip member per record. Level 1, or 0 for bodies that
	 * are compressed already: the capture should not wait on zlib.
	 */
	if (deflateInit2(&z, h->stored ? 0 : 1, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return fx_error("cannot compress a WARC record");
	z.next_in = (unsigned char *)w->rec.data;
	z.avail_in = (uInt)w->rec.len;
	do {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = deflate(&z, Z_FINISH);
		have = sizeof(buf) - z.avail_out;
		if (have && fwrite(buf, 1, have, w->fp) != have) {
			deflateEnd(&z);
			return fx_error_errno("cannot write '%s'", w->path);
		}
		w->off += have;
	} while (rc == Z_OK);
	deflateEnd(&z);
	if (rc != Z_STREAM_END)
		return fx_error("cannot compress a WARC record");
	if (off)
		*off = start;
	if (len)
		*len = w->off - start;
	/* The big buffer of one large body is not kept for the next record. */
	if (w->rec.cap > (4u << 20))
		fx_buf_release(&w->rec);
	return 0;
}

int web_warc_close(struct web_warc *w)
{
	int ret = 0;

	/* No fsync: the file is a draft; the store syncs the copy it keeps. */
	if (w->fp && fflush(w->fp) != 0)
		ret = fx_error_errno("cannot write '%s'", w->path);
	if (w->fp && fclose(w->fp) != 0 && ret == 0)
		ret = fx_error_errno("cannot write '%s'", w->path);
	w->fp = NULL;
	free(w->path);
	w->path = NULL;
	fx_buf_release(&w->rec);
	return ret;
}

char *web_warc_field(const struct web_warc_rec *r, const char *name)
{
	return web_header(r->head, r->head_len, name);
}

/* Inflates every gzip member of data into out. Returns 0 or -1. */
static int gunzip_all(const char *data, size_t len, struct fx_buf *out)
{
	unsigned char buf[65536];
	z_stream z;
	int rc = Z_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + 15) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	while (z.avail_in) {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = inflate(&z, Z_NO_FLUSH);
		fx_buf_add(out, buf, sizeof(buf) - z.avail_out);
		if (rc == Z_STREAM_END) {
			inflateReset(&z);
			continue;
		}
		if (rc != Z_OK)
			break;
	}
	inflateEnd(&z);
	return rc == Z_STREAM_END || rc == Z_OK ? 0 : -1;
}

int web_warc_each(const char *name, const char *data, size_t len,
		  int (*fn)(const struct web_warc_rec *r, void *ctx), void *ctx)
{
	struct fx_buf plain = FX_BUF_INIT;
	struct web_warc_rec r;
	const char *p, *end, *hend;
	char *cl, *e;
	unsigned long long n;
	int ret = 0;

	if (len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b) {
		if (gunzip_all(data, len, &plain) < 0) {
			fx_buf_release(&plain);
			return fx_error("'%s': damaged gzip data", name);
		}
		data = plain.data ? plain.data : "";
		len = plain.len;
	}
	p = data;
	end = data + len;
	while (p < end && ret == 0) {
		while (p < end && (*p == '\r' || *p == '\n'))
			p++;
		if (p == end)
			break;
		if (end - p < 9 || strncmp(p, "WARC/", 5) != 0) {
			ret = fx_error("'%s': no WARC record at offset %zu", name,
				       (size_t)(p - data));
			break;
		}
		hend = NULL;
		for (const char *q = p; q + 3 < end; q++)
			if (q[0] == '\r' && q[1] == '\n' && q[2] == '\r' && q[3] == '\n') {
				hend = q;
				break;
			}
		if (!hend) {
			ret = fx_error("'%s': truncated WARC header at offset %zu", name,
				       (size_t)(p - data));
			break;
		}
		r.head = p;
		r.head_len = (size_t)(hend - p) + 2;
		cl = web_warc_field(&r, "Content-Length");
		n = cl ? strtoull(cl, &e, 10) : 0;
		if (!cl || *e || n > (unsigned long long)(end - hend - 4)) {
			free(cl);
			ret = fx_error("'%s': bad Content-Length in the record at offset %zu", name,
				       (size_t)(p - data));
			break;
		}
		free(cl);
		r.block = hend + 4;
		r.block_len = (size_t)n;
		ret = fn(&r, ctx);
		p = r.block + n;
	}
	fx_buf_release(&plain);
	return ret;
}
