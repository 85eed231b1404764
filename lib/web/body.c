/*
 * HTTP bodies as received: the transfer coding undone for the payload
 * digest, the content coding undone for parsing, and header lookup in a
 * raw response head.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_banned.h"

int web_dechunk(const char *raw, size_t len, struct fx_buf *out)
{
	const char *p = raw, *end = raw + len;
	unsigned long long n;
	int d;

	while (p < end) {
		n = 0;
		if ((d = fx_hexval((unsigned char)*p)) < 0)
			return -1;
		for (; p < end && (d = fx_hexval((unsigned char)*p)) >= 0; p++) {
			if (n > (1ull << 40))
				return -1;
			n = n * 16 + (unsigned)d;
		}
		/* Chunk extensions, then the line end. */
		while (p < end && *p != '\n')
			p++;
		if (p == end)
			return -1;
		p++;
		if (n == 0)
			return 0; /* trailers follow; they are in the raw block */
		if ((unsigned long long)(end - p) < n) {
			fx_buf_add(out, p, (size_t)(end - p));
			return -1;
		}
		fx_buf_add(out, p, (size_t)n);
		p += n;
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
	}
	return -1;
}

int web_inflate(const char *in, size_t len, struct fx_buf *out, size_t max)
{
	z_stream z;
	unsigned char buf[65536];
	int rc;

	memset(&z, 0, sizeof(z));
	/* 32 + 15: gzip or zlib, told from the header. */
	if (inflateInit2(&z, 32 + 15) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)(len > 0xffffffffu ? 0xffffffffu : len);
	do {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			break;
		fx_buf_add(out, buf, sizeof(buf) - z.avail_out);
		if (out->len > max)
			break;
		if (rc == Z_BUF_ERROR && z.avail_in == 0)
			break;
	} while (rc != Z_STREAM_END);
	inflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

char *web_header(const char *head, size_t len, const char *name)
{
	const char *p = head, *end = head + len, *eol, *v, *ve;
	size_t nl = strlen(name);
	char *r = NULL;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
			v = p + nl + 1;
			ve = eol;
			while (v < ve && isspace((unsigned char)*v))
				v++;
			while (ve > v && isspace((unsigned char)ve[-1]))
				ve--;
			free(r);
			r = fx_xasprintf("%.*s", (int)(ve - v), v);
		}
		p = eol + 1;
	}
	return r;
}

int web_has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}
