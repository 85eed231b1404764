/*
 * fx_json.h - the canonical JSON encoder
 * (RFC 8785 rules, see fx_json.c) that record ids are computed over.
 */
#ifndef FX_JSON_H
#define FX_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "fx_buf.h"

/*
 * Appends the canonical encoding of v to b. With skip, the top-level key
 * of that name is left out and *skip_at (if not NULL) gets the offset in
 * b where it would have been written, so a caller can splice it in.
 * Returns 0, or -1 for a value JSON cannot hold (NaN, infinity).
 */
int fx_json_canon(struct fx_buf *b, const json_t *v, const char *skip,
		  size_t *skip_at);

#endif
