/*
 * axml_int.h - what the files of lib/android/ that read Android XML share:
 * the tree builder both decoders feed (abx.c for binary XML, axml.c for
 * text XML) and small string helpers. Nothing outside lib/android/
 * includes this.
 */
#ifndef FX_AXML_INT_H
#define FX_AXML_INT_H

#include <stddef.h>

#include <jansson.h>

#include "fx_buf.h"

/* One open element: the object, its "children" array once it has one, its text. */
struct axml_level {
	json_t *el;       /* borrowed from the tree */
	json_t *children; /* borrowed, NULL until the first child */
	struct fx_buf text;
};

/*
 * Builds the document of fx_axml.h from start/attribute/text/end events.
 * The open elements are an explicit stack, so the input's depth never
 * becomes recursion. _init/_release pair; axml_finish() hands the
 * document over.
 */
struct axml_builder {
	json_t *root;               /* new reference until axml_finish() */
	struct axml_level *stack;
	size_t depth, cap;
	size_t items;               /* elements, attributes and text runs */
	int root_closed;
	int attr_ok;                /* the last event was a start tag or an attribute */
	char why[256];              /* the last error, for the decoder's message */
};

void axml_builder_init(struct axml_builder *b);
void axml_builder_release(struct axml_builder *b);

/*
 * The events. Each returns 0, or -1 with b->why saying what is wrong (the
 * decoder adds where). Names need not be NUL-terminated and may hold any
 * bytes: they are made valid UTF-8 without NUL.
 */
int axml_start(struct axml_builder *b, const char *tag, size_t len);
/* Steals value. A repeated name keeps the first value. */
int axml_attr(struct axml_builder *b, const char *name, size_t len, json_t *value);
/* Text outside the root element is ignored. */
int axml_text(struct axml_builder *b, const char *s, size_t len);
/* tag NULL: close the open element, whatever its name. */
int axml_end(struct axml_builder *b, const char *tag, size_t len);
/* True when the last event may be followed by an attribute. */
int axml_in_start_tag(const struct axml_builder *b);

/*
 * Closes what is still open and returns the document (new reference;
 * NULL when no root element was read). encoding is "abx" or "xml"; with
 * error, the document is marked damaged and where_key ("offset" or
 * "line") gets where. The builder is empty afterwards.
 */
json_t *axml_finish(struct axml_builder *b, const char *encoding, const char *error,
		    const char *where_key, long long where);

/* The ABX decoder (abx.c): as fx_axml_parse(), for input that starts with "ABX\0". */
json_t *axml_parse_abx(const unsigned char *p, size_t len, const char *name);

/*
 * Parses a whole string as a number: base 10 with an optional sign, or
 * base 16 (no "0x"; an optional '-'; 16 digits are two's complement, as
 * Java's Long.toHexString() writes). Returns 0, or -1 when s is not one.
 */
int axml_parse_int(const char *s, int base, long long *out);

/*
 * A JSON string from bytes that should be UTF-8: invalid sequences
 * become U+FFFD; with no_nul, so does NUL. New reference.
 */
json_t *axml_string(const char *s, size_t len, int no_nul);

/* Appends s to b with invalid UTF-8 (and, with no_nul, NUL) replaced by U+FFFD. */
void axml_utf8_clean(struct fx_buf *b, const char *s, size_t len, int no_nul);

/* Appends the UTF-8 encoding of code point c to b. */

/*
 * Decodes hex digits (either case, even count) into a malloc'd buffer;
 * caller frees. Returns NULL when s is not hex. *n gets the length.
 */
unsigned char *axml_unhex(const char *s, size_t len, size_t *n);

/* The tag of an element (borrowed), or "" for anything else. */
const char *axml_tag(const json_t *el);

/* The first child element of el with that tag; borrowed, or NULL. */
const json_t *axml_child(const json_t *el, const char *tag);

/*
 * Visits the elements under (and including) a root in document order,
 * with an explicit stack. _init/_release pair; axml_walk_next() returns
 * each element (borrowed), then NULL.
 */
struct axml_walk {
	const json_t *next;
	struct axml_walk_level {
		const json_t *children;
		size_t i;
	} *stack;
	size_t depth, cap;
};

void axml_walk_init(struct axml_walk *w, const json_t *root);
const json_t *axml_walk_next(struct axml_walk *w);
void axml_walk_release(struct axml_walk *w);

/* True when s (n bytes) is valid UTF-8 without NUL. */
int axml_utf8_ok(const char *s, size_t n);

#endif
