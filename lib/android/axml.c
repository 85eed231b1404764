/*
 * axml.c - fx_axml_parse(): the document builder both decoders share, the
 * text XML decoder (libxml2's streaming reader) and the accessors.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "fx_axml.h"
#include "fx_err.h"
#include "axml_int.h"
#include "fx_hash.h"
#include "fx_banned.h"

/* libxml2 2.12 made the error it hands to handlers const. */
#if LIBXML_VERSION >= 21200
#define XML_ERROR_CONST const
#else
#define XML_ERROR_CONST
#endif

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	/* The second byte's range excludes overlong forms and surrogates. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void axml_utf8_clean(struct fx_buf *b, const char *s, size_t len, int no_nul)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, n;

	fx_buf_grow(b, len);
	while (i < len) {
		n = utf8_len(p + i, len - i);
		if (n > 0 && !(no_nul && p[i] == 0)) {
			i += n;
			run += n;
			continue;
		}
		fx_buf_add(b, s + i - run, run);
		run = 0;
		fx_buf_add_utf8(b, 0xfffd);
		i++;
	}
	fx_buf_add(b, s + i - run, run);
}

json_t *axml_string(const char *s, size_t len, int no_nul)
{
	struct fx_buf b = FX_BUF_INIT;
	json_t *v;

	axml_utf8_clean(&b, s, len, no_nul);
	v = json_stringn(b.data ? b.data : "", b.len);
	fx_buf_release(&b);
	return v;
}

unsigned char *axml_unhex(const char *s, size_t len, size_t *n)
{
	unsigned char *out;
	size_t i;

	if (len % 2)
		return NULL;
	out = fx_xmalloc(len / 2 + 1);
	for (i = 0; i < len; i += 2) {
		int h = fx_hexval((unsigned char)s[i]), l = fx_hexval((unsigned char)s[i + 1]);

		if (h < 0 || l < 0) {
			free(out);
			return NULL;
		}
		out[i / 2] = (unsigned char)(h << 4 | l);
	}
	*n = len / 2;
	return out;
}

int axml_parse_int(const char *s, int base, long long *out)
{
	unsigned long long v = 0;
	int neg = 0, d;
	size_t i = 0, digits = 0;

	if (!s)
		return -1;
	if (base == 10) {
		char *end;
		long long r;

		if (!*s || isspace((unsigned char)*s))
			return -1;
		errno = 0;
		r = strtoll(s, &end, 10);
		if (errno || *end)
			return -1;
		*out = r;
		return 0;
	}
	if (base != 16)
		return -1;
	if (s[0] == '-') {
		neg = 1;
		i = 1;
	}
	for (; s[i]; i++, digits++) {
		if ((d = fx_hexval((unsigned char)s[i])) < 0 || digits == 16)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	if (digits == 0)
		return -1;
	if (neg) {
		if (v > (unsigned long long)LLONG_MAX + 1)
			return -1;
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
	} else {
		/* Two's complement, as Long.toHexString() writes a negative number. */
		*out = (long long)v;
	}
	return 0;
}

/* The builder. */

void axml_builder_init(struct axml_builder *b)
{
	memset(b, 0, sizeof(*b));
}

void axml_builder_release(struct axml_builder *b)
{
	while (b->depth > 0)
		fx_buf_release(&b->stack[--b->depth].text);
	free(b->stack);
	json_decref(b->root);
	memset(b, 0, sizeof(*b));
}

/* Sets b->why; returns -1. */
static int why(struct axml_builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int why(struct axml_builder *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->why, sizeof(b->why), fmt, ap);
	va_end(ap);
	return -1;
}

static int count_item(struct axml_builder *b)
{
	if (b->items >= FX_AXML_MAX_ITEMS)
		return why(b, "more than %d elements, attributes and text runs", FX_AXML_MAX_ITEMS);
	b->items++;
	return 0;
}

static int all_space(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

/* Gives the top element its text and pops it. */
static void close_top(struct axml_builder *b)
{
	struct axml_level *l = &b->stack[b->depth - 1];

	/* Indentation between child elements is layout, not content. */
	if (l->text.len > 0 && !(l->children && all_space(l->text.data, l->text.len)))
		json_object_set_new(l->el, "text", axml_string(l->text.data, l->text.len, 0));
	fx_buf_release(&l->text);
	b->depth--;
	if (b->depth == 0)
		b->root_closed = 1;
}

int axml_start(struct axml_builder *b, const char *tag, size_t len)
{
	struct axml_level *l;
	json_t *el;

	b->attr_ok = 0;
	if (b->root_closed) {
		json_t *t = axml_string(tag, len, 1);
		int r = why(b, "a second root element <%.64s>", json_string_value(t));

		json_decref(t);
		return r;
	}
	if (b->depth >= FX_AXML_MAX_DEPTH)
		return why(b, "elements nested deeper than %d", FX_AXML_MAX_DEPTH);
	if (count_item(b) < 0)
		return -1;
	el = json_object();
	json_object_set_new(el, "tag", axml_string(tag, len, 1));
	json_object_set_new(el, "attrs", json_object());
	if (b->depth == 0) {
		b->root = el;
	} else {
		l = &b->stack[b->depth - 1];
		if (!l->children) {
			l->children = json_array();
			json_object_set_new(l->el, "children", l->children);
		}
		json_array_append_new(l->children, el);
	}
	if (b->depth == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->stack = fx_xrealloc(b->stack, b->cap * sizeof(*b->stack));
	}
	l = &b->stack[b->depth++];
	l->el = el;
	l->children = NULL;
	l->text = (struct fx_buf)FX_BUF_INIT;
	b->attr_ok = 1;
	return 0;
}

int axml_in_start_tag(const struct axml_builder *b)
{
	return b->attr_ok && b->depth > 0;
}

int axml_attr(struct axml_builder *b, const char *name, size_t len, json_t *value)
{
	struct fx_buf key = FX_BUF_INIT;
	json_t *attrs;

	if (!axml_in_start_tag(b)) {
		json_decref(value);
		return why(b, "an attribute outside a start tag");
	}
	if (count_item(b) < 0) {
		json_decref(value);
		return -1;
	}
	axml_utf8_clean(&key, name, len, 1);
	attrs = json_object_get(b->stack[b->depth - 1].el, "attrs");
	if (json_object_get(attrs, key.data ? key.data : ""))
		json_decref(value); /* the first value stands, as Android reads it */
	else
		json_object_set_new(attrs, key.data ? key.data : "", value);
	fx_buf_release(&key);
	return 0;
}

int axml_text(struct axml_builder *b, const char *s, size_t len)
{
	b->attr_ok = 0;
	if (b->depth == 0 || len == 0)
		return 0;
	if (count_item(b) < 0)
		return -1;
	fx_buf_add(&b->stack[b->depth - 1].text, s, len);
	return 0;
}

int axml_end(struct axml_builder *b, const char *tag, size_t len)
{
	struct fx_buf name = FX_BUF_INIT;
	const char *open;
	int r = 0;

	b->attr_ok = 0;
	if (tag)
		axml_utf8_clean(&name, tag, len, 1);
	if (b->depth == 0) {
		r = why(b, "an end tag </%.64s> without a start tag", name.data ? name.data : "");
	} else if (tag) {
		open = json_string_value(json_object_get(b->stack[b->depth - 1].el, "tag"));
		if (!open || strcmp(open, name.data ? name.data : "") != 0)
			r = why(b, "an end tag </%.64s> for <%.64s>", name.data ? name.data : "",
				open ? open : "");
	}
	fx_buf_release(&name);
	if (r == 0)
		close_top(b);
	return r;
}

json_t *axml_finish(struct axml_builder *b, const char *encoding, const char *error,
		    const char *where_key, long long where)
{
	json_t *doc = NULL;

	while (b->depth > 0)
		close_top(b);
	if (b->root) {
		doc = json_object();
		json_object_set_new(doc, "encoding", json_string(encoding));
		json_object_set_new(doc, "root", b->root);
		b->root = NULL;
		if (error) {
			json_object_set_new(doc, "damaged", json_true());
			json_object_set_new(doc, "error", axml_string(error, strlen(error), 1));
			json_object_set_new(doc, where_key, json_integer(where));
		}
	}
	axml_builder_release(b);
	return doc;
}

/*
 * Text XML, through libxml2's SAX2 push parser: every event before the
 * damage reaches the builder (xmlTextReader reads ahead and drops the
 * nodes it had buffered when it meets an error), and libxml2's push
 * parser keeps open elements on its own stacks, not in recursion. The DTD callbacks are libxml2's
 * own, so that declared entities are known and references to them are
 * not errors, but nothing external is ever loaded: resolveEntity and
 * externalSubset are ours and do nothing.
 */

struct xml_state {
	xmlParserCtxtPtr ctxt;
	struct axml_builder b;
	const char *error; /* ours (b.why) or libxml2's (msg) */
	int line;
	char msg[200];
};

/* The state, for events of the document itself; NULL for any other parse. */
static struct xml_state *state(void *ctx)
{
	xmlParserCtxtPtr c = ctx;
	struct xml_state *st = c ? c->_private : NULL;

	/*
	 * libxml2 checks an entity's replacement text once with a nested
	 * parser that shares these handlers: its events are not the
	 * document's and must not be added to it.
	 */
	return st && st->ctxt == c && !st->error ? st : NULL;
}

/* A builder error: remember it and stop the parser. */
static void stop(struct xml_state *st)
{
	st->error = st->b.why;
	st->line = xmlSAX2GetLineNumber(st->ctxt);
	xmlStopParser(st->ctxt);
}

/* libxml2 hands structured errors the parser context (or a nested one) as arg. */
static void on_xml_error(void *arg, XML_ERROR_CONST xmlError *e)
{
	xmlParserCtxtPtr c = arg;
	struct xml_state *st = c ? c->_private : NULL;
	size_t n;

	if (!st || st->error || !e || e->level < XML_ERR_ERROR)
		return;
	snprintf(st->msg, sizeof(st->msg), "%s", e->message ? e->message : "not well-formed");
	n = strlen(st->msg);
	while (n > 0 && (st->msg[n - 1] == '\n' || st->msg[n - 1] == ' '))
		st->msg[--n] = '\0';
	st->error = st->msg;
	st->line = e->line;
}

/* "prefix:local", or "local". */
static void qname(struct fx_buf *q, const xmlChar *prefix, const xmlChar *local)
{
	fx_buf_truncate(q, 0);
	if (prefix) {
		fx_buf_add(q, prefix, strlen((const char *)prefix));
		fx_buf_add(q, ":", 1);
	}
	if (local)
		fx_buf_add(q, local, strlen((const char *)local));
}

/*
 * Without entity substitution libxml2 hands attribute values over with
 * references to declared entities as written ("&name;") and every '&'
 * the value really holds as "&#38;", so that the two differ. The value
 * is the latter turned back into '&'.
 */
static void unamp(struct fx_buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0;

	fx_buf_truncate(out, 0);
	while (i < n) {
		if (n - i >= 5 && memcmp(s + i, "&#38;", 5) == 0) {
			fx_buf_add(out, s + i - run, run);
			fx_buf_add(out, "&", 1);
			run = 0;
			i += 5;
		} else {
			i++;
			run++;
		}
	}
	fx_buf_add(out, s + i - run, run);
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
		     int nb_ns, const xmlChar **ns, int nb_attrs, int nb_defaulted,
		     const xmlChar **attrs)
{
	struct xml_state *st = state(ctx);
	struct fx_buf q = FX_BUF_INIT, v = FX_BUF_INIT;
	int i;

	if (!st)
		return;
	qname(&q, prefix, local);
	if (axml_start(&st->b, q.data, q.len) < 0)
		goto fail;
	/* Namespace declarations are attributes as written: xmlns, xmlns:p. */
	for (i = 0; i < nb_ns; i++) {
		const xmlChar *p = ns[2 * i], *u = ns[2 * i + 1];

		qname(&q, p ? (const xmlChar *)"xmlns" : NULL, p ? p : (const xmlChar *)"xmlns");
		if (axml_attr(&st->b, q.data, q.len,
			      axml_string((const char *)u, u ? strlen((const char *)u) : 0, 0)) < 0)
			goto fail;
	}
	/* localname, prefix, URI, value, end; defaulted ones come from a DTD: not written. */
	for (i = 0; i < nb_attrs - nb_defaulted; i++) {
		const xmlChar **a = attrs + 5 * i;

		qname(&q, a[1], a[0]);
		unamp(&v, (const char *)a[3], (size_t)(a[4] - a[3]));
		if (axml_attr(&st->b, q.data, q.len, axml_string(v.data, v.len, 0)) < 0)
			goto fail;
	}
	fx_buf_release(&q);
	fx_buf_release(&v);
	return;
fail:
	fx_buf_release(&q);
	fx_buf_release(&v);
	stop(st);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	struct xml_state *st = state(ctx);

	/* libxml2 has checked that the names match. */
	if (st && axml_end(&st->b, NULL, 0) < 0)
		stop(st);
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
	struct xml_state *st = state(ctx);

	if (st && len > 0 && axml_text(&st->b, (const char *)s, (size_t)len) < 0)
		stop(st);
}

/* Not ours to expand: a reference to a declared entity stays as it was written. */
static void on_reference(void *ctx, const xmlChar *name)
{
	struct xml_state *st = state(ctx);
	struct fx_buf t = FX_BUF_INIT;

	if (!st)
		return;
	fx_buf_add(&t, "&", 1);
	fx_buf_add(&t, name, name ? strlen((const char *)name) : 0);
	fx_buf_add(&t, ";", 1);
	if (axml_text(&st->b, t.data, t.len) < 0)
		stop(st);
	fx_buf_release(&t);
}

static xmlParserInputPtr no_entity(void *ctx, const xmlChar *public_id, const xmlChar *system_id)
{
	return NULL;
}

static void no_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
		      const xmlChar *system_id)
{
}

static json_t *parse_text(const char *buf, size_t len, const char *name)
{
	struct xml_state st;
	xmlSAXHandler sax;
	size_t first = len < 4 ? len : 4;
	char msg[256];
	json_t *doc;

	memset(&st, 0, sizeof(st));
	memset(&sax, 0, sizeof(sax));
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_text;
	sax.reference = on_reference;
	sax.resolveEntity = no_entity;
	sax.externalSubset = no_subset;
	sax.comment = NULL;
	sax.processingInstruction = NULL;
	sax.warning = NULL;
	sax.error = NULL;
	sax.fatalError = NULL;
	sax.serror = on_xml_error;

	axml_builder_init(&st.b);
	/* The first bytes let libxml2 see the encoding. */
	st.ctxt = xmlCreatePushParserCtxt(&sax, NULL, buf, (int)first, NULL);
	if (!st.ctxt) {
		fx_error("cannot parse '%s': cannot start the XML parser", name);
		return NULL;
	}
	st.ctxt->_private = &st;
	/*
	 * NONET: nothing from the network. No NOENT (entities are not
	 * substituted), no DTDLOAD, DTDATTR or DTDVALID (no external subset,
	 * no defaults from a DTD), no HUGE (libxml2 keeps its depth and
	 * entity amplification limits).
	 */
	xmlCtxtUseOptions(st.ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	st.ctxt->sax->serror = on_xml_error; /* xmlCtxtUseOptions may reset the handlers */
	xmlParseChunk(st.ctxt, buf + first, (int)(len - first), 1);
	if (!st.error && !st.ctxt->wellFormed) {
		st.error = "not well-formed";
		st.line = xmlSAX2GetLineNumber(st.ctxt);
	}
	if (!st.error && st.b.depth > 0) {
		st.error = "end of data inside an element";
		st.line = xmlSAX2GetLineNumber(st.ctxt);
	}
	snprintf(msg, sizeof(msg), "%s", st.error ? st.error : "");
	if (st.ctxt->myDoc)
		xmlFreeDoc(st.ctxt->myDoc); /* the DTD libxml2's own handlers kept */
	xmlFreeParserCtxt(st.ctxt);
	doc = axml_finish(&st.b, "xml", st.error ? msg : NULL, "line", st.line);
	if (!doc)
		fx_error("cannot parse '%s' as XML: line %d: %s", name, st.line,
			 st.error ? msg : "no root element");
	else if (st.error)
		fx_error("damaged XML in '%s' at line %d: %s", name, st.line, msg);
	return doc;
}

json_t *fx_axml_parse(const void *buf, size_t len, const char *name)
{
	const unsigned char *p = buf;

	name = name ? name : "(buffer)";
	if (!buf && len > 0) {
		fx_error("cannot parse '%s': no data", name);
		return NULL;
	}
	if (len > FX_AXML_MAX_SIZE || len > INT_MAX) {
		fx_error("cannot parse '%s': %zu bytes is more than the limit of %u", name, len,
			 FX_AXML_MAX_SIZE);
		return NULL;
	}
	if (len >= 4 && memcmp(p, "ABX", 3) == 0) {
		if (p[3] != 0) {
			fx_error("cannot parse '%s': unknown ABX version %u", name, p[3]);
			return NULL;
		}
		return axml_parse_abx(p, len, name);
	}
	if (len == 0) {
		fx_error("cannot parse '%s': empty", name);
		return NULL;
	}
	return parse_text(buf, len, name);
}

const json_t *fx_axml_root(const json_t *doc)
{
	const json_t *root;

	if (!json_is_object(doc))
		return NULL;
	root = json_object_get(doc, "root");
	if (json_is_object(root))
		return root;
	if (json_is_string(json_object_get(doc, "tag")))
		return doc;
	return NULL;
}

const char *fx_axml_attr_str(const json_t *el, const char *name)
{
	return json_string_value(json_object_get(json_object_get(el, "attrs"), name));
}

int fx_axml_attr_int(const json_t *el, const char *name, int base, long long *out)
{
	const json_t *v = json_object_get(json_object_get(el, "attrs"), name);

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	return axml_parse_int(json_string_value(v), base, out);
}

const char *axml_tag(const json_t *el)
{
	const char *t = json_string_value(json_object_get(el, "tag"));

	return t ? t : "";
}

const json_t *axml_child(const json_t *el, const char *tag)
{
	const json_t *children = json_object_get(el, "children"), *c;
	size_t i;

	json_array_foreach(children, i, c)
		if (strcmp(axml_tag(c), tag) == 0)
			return c;
	return NULL;
}

void axml_walk_init(struct axml_walk *w, const json_t *root)
{
	memset(w, 0, sizeof(*w));
	w->next = root;
}

const json_t *axml_walk_next(struct axml_walk *w)
{
	const json_t *el = w->next, *children;

	w->next = NULL;
	while (!el && w->depth > 0) {
		struct axml_walk_level *l = &w->stack[w->depth - 1];

		if (l->i < json_array_size(l->children))
			el = json_array_get(l->children, l->i++);
		else
			w->depth--;
	}
	if (!el)
		return NULL;
	children = json_object_get(el, "children");
	if (json_array_size(children) > 0) {
		if (w->depth == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 16;
			w->stack = fx_xrealloc(w->stack, w->cap * sizeof(*w->stack));
		}
		w->stack[w->depth].children = children;
		w->stack[w->depth].i = 0;
		w->depth++;
	}
	return el;
}

void axml_walk_release(struct axml_walk *w)
{
	free(w->stack);
	memset(w, 0, sizeof(*w));
}

int axml_utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] == 0 || (k = utf8_len(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}
