/*
 * fx_buf.h - a growable byte buffer, NUL-terminated once anything was
 * added. It dies on out-of-memory, like fx_xmalloc(). _release frees.
 */
#ifndef FX_BUF_H
#define FX_BUF_H

#include <stddef.h>
#include <stdint.h>

struct fx_buf {
	char *data;
	size_t len, cap;
};
#define FX_BUF_INIT { NULL, 0, 0 }

/* Makes room for more bytes (and the NUL after them). */
void fx_buf_grow(struct fx_buf *b, size_t more);
void fx_buf_add(struct fx_buf *b, const void *p, size_t n);
/* Shortens b to len bytes (never lengthens it); b->data is then allocated. */
void fx_buf_truncate(struct fx_buf *b, size_t len);
void fx_buf_release(struct fx_buf *b);

/* Writes code point c (at most U+10FFFF) as UTF-8 to out; returns its 1 to 4 bytes. */
size_t fx_utf8_encode(uint32_t c, char out[4]);
/* Appends code point c as UTF-8. */
void fx_buf_add_utf8(struct fx_buf *b, uint32_t c);

#endif
