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
