#include <stdlib.h>
#include <string.h>

#include "fx_buf.h"
#include "fx_err.h"
#include "fx_banned.h"

void fx_buf_grow(struct fx_buf *b, size_t more)
{
	size_t cap;

	if (b->len + more + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->data = fx_xrealloc(b->data, cap);
	b->cap = cap;
}

void fx_buf_add(struct fx_buf *b, const void *p, size_t n)
{
	fx_buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void fx_buf_truncate(struct fx_buf *b, size_t len)
{
	fx_buf_grow(b, 0);
	if (len < b->len)
		b->len = len;
	b->data[b->len] = '\0';
}

void fx_buf_release(struct fx_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

size_t fx_utf8_encode(uint32_t c, char out[4])
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

void fx_buf_add_utf8(struct fx_buf *b, uint32_t c)
{
	char u[4];

	fx_buf_add(b, u, fx_utf8_encode(c, u));
}
