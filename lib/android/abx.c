/*
 * abx.c - Android's binary XML (ABX, Android 12 and later), written by
 * BinaryXmlSerializer in frameworks/base. The format, as this decoder
 * reads it:
 *
 *   "ABX" and a version byte, 0; then tokens. A token is one byte: the
 *   low 4 bits the event (START_DOCUMENT 0, END_DOCUMENT 1, START_TAG 2,
 *   END_TAG 3, TEXT 4, CDSECT 5, ENTITY_REF 6, IGNORABLE_WHITESPACE 7,
 *   PROCESSING_INSTRUCTION 8, COMMENT 9, DOCDECL 10, ATTRIBUTE 15), the
 *   high 4 bits the data type (NULL 1, STRING 2, STRING_INTERNED 3,
 *   BYTES_HEX 4, BYTES_BASE64 5, INT 6, INT_HEX 7, LONG 8, LONG_HEX 9,
 *   FLOAT 10, DOUBLE 11, BOOLEAN_TRUE 12, BOOLEAN_FALSE 13).
 *
 *   A string is a big-endian u16 byte count and that many bytes of
 *   modified UTF-8 (NUL as C0 80; a code point above U+FFFF as two 3-byte
 *   surrogates, or as 4 bytes when written with use4ByteSequence). An
 *   interned string is a u16 index into the strings interned so far, or
 *   0xFFFF and a new string, which takes the next index (65535 at most).
 *
 *   START_TAG and END_TAG carry the interned name. ATTRIBUTE follows its
 *   START_TAG and carries the interned name, then by type: nothing (NULL,
 *   BOOLEAN_*), a string, an interned string, u16 count and bytes (BYTES_*),
 *   a big-endian i32 (INT*, FLOAT bits) or i64 (LONG*, DOUBLE bits). The
 *   text events carry a string (type STRING) or nothing (type NULL);
 *   ENTITY_REF carries the entity's name.
 *
 * Android's own reader is more lenient than this one in two ways that
 * matter for evidence: here an END_TAG must name the element it closes,
 * and the document must not end (END_DOCUMENT or the end of the data)
 * with elements open. Either is reported as damage; what came before is
 * kept.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fx_axml.h"
#include "fx_err.h"
#include "axml_int.h"
#include "fx_banned.h"

enum {
	T_START_DOCUMENT = 0,
	T_END_DOCUMENT = 1,
	T_START_TAG = 2,
	T_END_TAG = 3,
	T_TEXT = 4,
	T_CDSECT = 5,
	T_ENTITY_REF = 6,
	T_IGNORABLE_WHITESPACE = 7,
	T_PROCESSING_INSTRUCTION = 8,
	T_COMMENT = 9,
	T_DOCDECL = 10,
	T_ATTRIBUTE = 15,
};

enum {
	D_NULL = 1,
	D_STRING = 2,
	D_STRING_INTERNED = 3,
	D_BYTES_HEX = 4,
	D_BYTES_BASE64 = 5,
	D_INT = 6,
	D_INT_HEX = 7,
	D_LONG = 8,
	D_LONG_HEX = 9,
	D_FLOAT = 10,
	D_DOUBLE = 11,
	D_BOOLEAN_TRUE = 12,
	D_BOOLEAN_FALSE = 13,
};

#define MAX_INTERNED 0xffff /* indexes 0..0xfffe; 0xffff announces a new string */

struct abx {
	const unsigned char *p;
	size_t len, off;
	struct fx_buf *strs; /* the interned strings, decoded */
	size_t nstrs, cap;
	struct fx_buf scratch;
	char why[256];
};

static int fail(struct abx *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct abx *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
	return -1;
}

static int need(struct abx *a, size_t n, const char *what)
{
	if (a->len - a->off < n)
		return fail(a, "truncated %s: %zu bytes needed at offset %zu, %zu left", what, n,
			    a->off, a->len - a->off);
	return 0;
}

static int read_u16(struct abx *a, unsigned *v, const char *what)
{
	if (need(a, 2, what) < 0)
		return -1;
	*v = (unsigned)a->p[a->off] << 8 | a->p[a->off + 1];
	a->off += 2;
	return 0;
}

static int read_u32(struct abx *a, uint32_t *v, const char *what)
{
	if (need(a, 4, what) < 0)
		return -1;
	*v = (uint32_t)a->p[a->off] << 24 | (uint32_t)a->p[a->off + 1] << 16 |
	     (uint32_t)a->p[a->off + 2] << 8 | a->p[a->off + 3];
	a->off += 4;
	return 0;
}

static int read_u64(struct abx *a, uint64_t *v, const char *what)
{
	uint32_t hi, lo;

	if (need(a, 8, what) < 0 || read_u32(a, &hi, what) < 0 || read_u32(a, &lo, what) < 0)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

/* Is p[i..i+2] a 3-byte sequence (n bytes available)? */
static int three(const unsigned char *p, size_t i, size_t n)
{
	return i + 2 < n && (p[i] & 0xf0) == 0xe0 && (p[i + 1] & 0xc0) == 0x80 &&
	       (p[i + 2] & 0xc0) == 0x80;
}

static unsigned long three_cp(const unsigned char *p, size_t i)
{
	return (unsigned long)(p[i] & 0x0f) << 12 | (unsigned long)(p[i + 1] & 0x3f) << 6 |
	       (p[i + 2] & 0x3f);
}

/*
 * Modified UTF-8 to UTF-8: C0 80 is NUL, a surrogate pair of 3-byte
 * sequences is one code point; 4-byte sequences pass. Anything else that
 * does not decode becomes U+FFFD.
 */
static void decode_mutf8(struct fx_buf *out, const unsigned char *p, size_t n)
{
	unsigned long cp, lo;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];

		if (c < 0x80) {
			fx_buf_add_utf8(out, c);
			i++;
		} else if ((c & 0xe0) == 0xc0 && i + 1 < n && (p[i + 1] & 0xc0) == 0x80) {
			cp = (unsigned long)(c & 0x1f) << 6 | (p[i + 1] & 0x3f);
			if (cp != 0 && cp < 0x80) {
				fx_buf_add_utf8(out, 0xfffd); /* overlong */
				i++;
				continue;
			}
			fx_buf_add_utf8(out, cp);
			i += 2;
		} else if (three(p, i, n)) {
			cp = three_cp(p, i);
			if (cp < 0x800) {
				fx_buf_add_utf8(out, 0xfffd);
				i++;
				continue;
			}
			if (cp >= 0xd800 && cp <= 0xdbff && three(p, i + 3, n) &&
			    (lo = three_cp(p, i + 3)) >= 0xdc00 && lo <= 0xdfff) {
				fx_buf_add_utf8(out, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
				i += 6;
				continue;
			}
			fx_buf_add_utf8(out, cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
			i += 3;
		} else if ((c & 0xf8) == 0xf0 && i + 3 < n && (p[i + 1] & 0xc0) == 0x80 &&
			   (p[i + 2] & 0xc0) == 0x80 && (p[i + 3] & 0xc0) == 0x80) {
			cp = (unsigned long)(c & 0x07) << 18 | (unsigned long)(p[i + 1] & 0x3f) << 12 |
			     (unsigned long)(p[i + 2] & 0x3f) << 6 | (p[i + 3] & 0x3f);
			if (cp < 0x10000 || cp > 0x10ffff) {
				fx_buf_add_utf8(out, 0xfffd);
				i++;
				continue;
			}
			fx_buf_add_utf8(out, cp);
			i += 4;
		} else {
			fx_buf_add_utf8(out, 0xfffd);
			i++;
		}
	}
}

/* Reads a string into out (emptied first). */
static int read_utf(struct abx *a, struct fx_buf *out, const char *what)
{
	unsigned n;

	fx_buf_truncate(out, 0);
	if (read_u16(a, &n, what) < 0 || need(a, n, what) < 0)
		return -1;
	decode_mutf8(out, a->p + a->off, n);
	a->off += n;
	return 0;
}

/* Reads an interned string; *s (borrowed, valid until the next read) and *n get it. */
static int read_interned(struct abx *a, const char **s, size_t *n, const char *what)
{
	unsigned idx;

	if (read_u16(a, &idx, what) < 0)
		return -1;
	if (idx != 0xffff) {
		if (idx >= a->nstrs)
			return fail(a, "interned string index %u out of range (%zu defined) in %s",
				    idx, a->nstrs, what);
		*s = a->strs[idx].data ? a->strs[idx].data : "";
		*n = a->strs[idx].len;
		return 0;
	}
	if (read_utf(a, &a->scratch, what) < 0)
		return -1;
	*s = a->scratch.data ? a->scratch.data : "";
	*n = a->scratch.len;
	/* Past 65535 strings the writer stops interning: the string was sent, not kept. */
	if (a->nstrs < MAX_INTERNED) {
		if (a->nstrs == a->cap) {
			a->cap = a->cap ? a->cap * 2 : 64;
			a->strs = fx_xrealloc(a->strs, a->cap * sizeof(*a->strs));
		}
		a->strs[a->nstrs] = (struct fx_buf)FX_BUF_INIT;
		fx_buf_add(&a->strs[a->nstrs], *s, *n);
		*s = a->strs[a->nstrs].data;
		a->nstrs++;
	}
	return 0;
}

static json_t *hex_value(const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	char *s = fx_xmalloc(2 * n + 1);
	json_t *v, *o;
	size_t i;

	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	v = json_stringn(s, 2 * n);
	free(s);
	o = json_object();
	json_object_set_new(o, "hex", v);
	return o;
}

static json_t *base64_value(const unsigned char *p, size_t n)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *s = fx_xmalloc((n + 2) / 3 * 4 + 1);
	size_t i, k = 0;
	json_t *o;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 | p[i + 2];

		s[k++] = digits[v >> 18];
		s[k++] = digits[(v >> 12) & 63];
		s[k++] = digits[(v >> 6) & 63];
		s[k++] = digits[v & 63];
	}
	if (n - i == 1) {
		s[k++] = digits[p[i] >> 2];
		s[k++] = digits[(p[i] & 3) << 4];
		s[k++] = '=';
		s[k++] = '=';
	} else if (n - i == 2) {
		s[k++] = digits[p[i] >> 2];
		s[k++] = digits[(p[i] & 3) << 4 | p[i + 1] >> 4];
		s[k++] = digits[(p[i + 1] & 15) << 2];
		s[k++] = '=';
	}
	s[k] = '\0';
	o = json_object();
	json_object_set_new(o, "base64", json_stringn(s, k));
	free(s);
	return o;
}

/* JSON has no NaN or infinity: those become the strings Java prints. */
static json_t *real_value(double d)
{
	if (isnan(d))
		return json_string("NaN");
	if (isinf(d))
		return json_string(d > 0 ? "Infinity" : "-Infinity");
	return json_real(d);
}

/* Reads an attribute's value of data type t; *v gets a new reference. */
static int read_value(struct abx *a, unsigned t, json_t **v)
{
	const char *s;
	size_t n;
	unsigned u;
	uint32_t w;
	uint64_t q;
	float f;
	double d;

	*v = NULL;
	switch (t) {
	case D_NULL:
		*v = json_null();
		return 0;
	case D_BOOLEAN_TRUE:
		*v = json_true();
		return 0;
	case D_BOOLEAN_FALSE:
		*v = json_false();
		return 0;
	case D_STRING:
		if (read_utf(a, &a->scratch, "attribute value") < 0)
			return -1;
		*v = axml_string(a->scratch.data ? a->scratch.data : "", a->scratch.len, 0);
		return 0;
	case D_STRING_INTERNED:
		if (read_interned(a, &s, &n, "attribute value") < 0)
			return -1;
		*v = axml_string(s, n, 0);
		return 0;
	case D_BYTES_HEX:
	case D_BYTES_BASE64:
		if (read_u16(a, &u, "byte count") < 0 || need(a, u, "bytes") < 0)
			return -1;
		*v = t == D_BYTES_HEX ? hex_value(a->p + a->off, u) : base64_value(a->p + a->off, u);
		a->off += u;
		return 0;
	case D_INT:
	case D_INT_HEX:
		if (read_u32(a, &w, "int") < 0)
			return -1;
		*v = json_integer((int32_t)w);
		return 0;
	case D_LONG:
	case D_LONG_HEX:
		if (read_u64(a, &q, "long") < 0)
			return -1;
		*v = json_integer((json_int_t)(int64_t)q);
		return 0;
	case D_FLOAT:
		if (read_u32(a, &w, "float") < 0)
			return -1;
		memcpy(&f, &w, sizeof(f));
		*v = real_value(f);
		return 0;
	case D_DOUBLE:
		if (read_u64(a, &q, "double") < 0)
			return -1;
		memcpy(&d, &q, sizeof(d));
		*v = real_value(d);
		return 0;
	default:
		return fail(a, "an attribute of unknown data type %u", t);
	}
}

/* Reads the string a text event carries, by its data type: none (NULL) or one. */
static int read_text(struct abx *a, unsigned t, const char *what)
{
	if (t == D_NULL) {
		fx_buf_truncate(&a->scratch, 0);
		return 0;
	}
	if (t != D_STRING)
		return fail(a, "%s of data type %u", what, t);
	return read_utf(a, &a->scratch, what);
}

/* Reads a tag name: interned as Android writes it, or a plain string. */
static int read_name(struct abx *a, unsigned t, const char **s, size_t *n, const char *what)
{
	if (t == D_STRING_INTERNED)
		return read_interned(a, s, n, what);
	if (t != D_STRING)
		return fail(a, "%s of data type %u", what, t);
	if (read_utf(a, &a->scratch, what) < 0)
		return -1;
	*s = a->scratch.data ? a->scratch.data : "";
	*n = a->scratch.len;
	return 0;
}

/* The text of an entity reference: the five predefined and &#N; / &#xN;, else itself. */
static void entity_text(struct fx_buf *out, const char *name)
{
	static const struct {
		const char *name, *text;
	} predef[] = { { "lt", "<" }, { "gt", ">" }, { "amp", "&" }, { "apos", "'" }, { "quot", "\"" } };
	long long cp;
	size_t i;

	for (i = 0; i < sizeof(predef) / sizeof(predef[0]); i++)
		if (strcmp(name, predef[i].name) == 0) {
			fx_buf_add(out, predef[i].text, 1);
			return;
		}
	if (name[0] == '#' &&
	    ((name[1] == 'x' && axml_parse_int(name + 2, 16, &cp) == 0 && name[2] != '-') ||
	     (name[1] != 'x' && name[1] >= '0' && name[1] <= '9' &&
	      axml_parse_int(name + 1, 10, &cp) == 0)) &&
	    cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
		fx_buf_add_utf8(out, (unsigned long)cp);
		return;
	}
	fx_buf_add(out, "&", 1);
	fx_buf_add(out, name, strlen(name));
	fx_buf_add(out, ";", 1);
}

static const char *event_name(unsigned e)
{
	static const char *names[] = { "START_DOCUMENT", "END_DOCUMENT", "START_TAG", "END_TAG",
				       "TEXT", "CDSECT", "ENTITY_REF", "IGNORABLE_WHITESPACE",
				       "PROCESSING_INSTRUCTION", "COMMENT", "DOCDECL" };

	if (e < sizeof(names) / sizeof(names[0]))
		return names[e];
	return e == T_ATTRIBUTE ? "ATTRIBUTE" : "unknown";
}

/* One token at a->off. Returns 1 at END_DOCUMENT, 0 to go on, -1 (a->why). */
static int token(struct abx *a, struct axml_builder *b)
{
	unsigned byte = a->p[a->off++], e = byte & 0x0f, t = byte >> 4;
	struct fx_buf name = FX_BUF_INIT, text = FX_BUF_INIT;
	const char *s;
	size_t n;
	json_t *v;
	int r = 0;

	switch (e) {
	case T_START_DOCUMENT:
		return 0;
	case T_END_DOCUMENT:
		return 1;
	case T_START_TAG:
		if (read_name(a, t, &s, &n, "START_TAG name") < 0)
			return -1;
		if (axml_start(b, s, n) < 0)
			return fail(a, "%s", b->why);
		return 0;
	case T_END_TAG:
		if (read_name(a, t, &s, &n, "END_TAG name") < 0)
			return -1;
		if (axml_end(b, s, n) < 0)
			return fail(a, "%s", b->why);
		return 0;
	case T_TEXT:
	case T_CDSECT:
		if (read_text(a, t, event_name(e)) < 0)
			return -1;
		if (axml_text(b, a->scratch.data, a->scratch.len) < 0)
			return fail(a, "%s", b->why);
		return 0;
	case T_ENTITY_REF:
		if (read_text(a, t, "ENTITY_REF") < 0)
			return -1;
		axml_utf8_clean(&name, a->scratch.data ? a->scratch.data : "", a->scratch.len, 1);
		entity_text(&text, name.data ? name.data : "");
		if (axml_text(b, text.data, text.len) < 0)
			r = fail(a, "%s", b->why);
		fx_buf_release(&name);
		fx_buf_release(&text);
		return r;
	case T_IGNORABLE_WHITESPACE:
	case T_PROCESSING_INSTRUCTION:
	case T_COMMENT:
	case T_DOCDECL:
		/* Skipped, as Android's reader skips them; but they must be whole. */
		return read_text(a, t, event_name(e));
	case T_ATTRIBUTE:
		if (!axml_in_start_tag(b))
			return fail(a, "an attribute outside a start tag");
		if (read_interned(a, &s, &n, "attribute name") < 0)
			return -1;
		/* The name is borrowed from the table or scratch, which the value may reuse. */
		fx_buf_add(&name, s, n);
		if (read_value(a, t, &v) < 0) {
			fx_buf_release(&name);
			return -1;
		}
		if (axml_attr(b, name.data, name.len, v) < 0)
			r = fail(a, "%s", b->why);
		fx_buf_release(&name);
		return r;
	default:
		return fail(a, "unknown token 0x%02x", byte);
	}
}

json_t *axml_parse_abx(const unsigned char *p, size_t len, const char *name)
{
	struct abx a;
	struct axml_builder b;
	size_t at = 0, i;
	int r = 0;
	json_t *doc;
	char msg[300];

	memset(&a, 0, sizeof(a));
	a.p = p;
	a.len = len;
	a.off = 4; /* the magic and version, checked by the caller */
	axml_builder_init(&b);
	while (a.off < a.len) {
		at = a.off;
		if ((r = token(&a, &b)) != 0)
			break;
	}
	if (r >= 0 && b.depth > 0) {
		if (r == 0)
			at = a.len;
		r = fail(&a, "end of %s inside an element, %zu still open",
			 r == 0 ? "data" : "document", b.depth);
	}
	snprintf(msg, sizeof(msg), "%s", r < 0 ? a.why : "");
	for (i = 0; i < a.nstrs; i++)
		fx_buf_release(&a.strs[i]);
	free(a.strs);
	fx_buf_release(&a.scratch);

	if (r >= 0 && !b.root)
		at = a.len;
	doc = axml_finish(&b, "abx", r < 0 ? msg : NULL, "offset", (long long)at);
	if (!doc) {
		fx_error("cannot parse '%s' as ABX: offset %zu: %s", name, at,
			 r < 0 ? msg : "no root element");
		return NULL;
	}
	if (r < 0)
		fx_error("damaged ABX in '%s' at offset %zu: %s", name, at, msg);
	else if (r == 1 && a.off < a.len)
		json_object_set_new(doc, "trailing", json_integer((json_int_t)(a.len - a.off)));
	return doc;
}
