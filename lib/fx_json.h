/*
 * fx_json.h - a growable byte buffer and the canonical JSON encoder
 * (RFC 8785 rules, see fx_json.c) that record ids are computed over.
 */
#ifndef FX_JSON_H
#define FX_JSON_H

#include <stddef.h>

#include <jansson.h>

/* A growable buffer, always NUL-terminated once used. _release frees. */
struct fx_buf {
	char *data;
	size_t len, cap;
};
#define FX_BUF_INIT { NULL, 0, 0 }

void fx_buf_grow(struct fx_buf *b, size_t more);
void fx_buf_add(struct fx_buf *b, const void *p, size_t n);
void fx_buf_release(struct fx_buf *b);

/*
 * Appends the canonical encoding of v to b. With skip, the top-level key
 * of that name is left out and *skip_at (if not NULL) gets the offset in
 * b where it would have been written, so a caller can splice it in.
 * Returns 0, or -1 for a value JSON cannot hold (NaN, infinity).
 */
int fx_json_canon(struct fx_buf *b, const json_t *v, const char *skip,
		  size_t *skip_at);

#endif
