/*
 * fx_tmpl.c - Mustache templates over jansson values (see fx_tmpl.h).
 * A template is parsed once into a flat list of nodes; a section's body
 * is the nodes after it up to its end index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_tmpl.h"
#include "fx_banned.h"

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
	enum node_kind kind;
	char *s;       /* text, or the tag's name */
	size_t len;    /* length of a text */
	size_t end;    /* a section: index of the node after its body */
	char *indent;  /* a standalone partial: the white space before it */
};

struct fx_tmpl {
	struct node *n;
	size_t count, cap;
	char *name;
};

#define MAX_DEPTH 64

static void add_node(struct fx_tmpl *t, enum node_kind k, const char *s, size_t len)
{
	struct node *nd;

	if (t->count == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 32;
		t->n = fx_xrealloc(t->n, t->cap * sizeof(*t->n));
	}
	nd = &t->n[t->count++];
	memset(nd, 0, sizeof(*nd));
	nd->kind = k;
	nd->s = fx_xmalloc(len + 1);
	memcpy(nd->s, s, len);
	nd->s[len] = '\0';
	nd->len = len;
}

void fx_tmpl_free(struct fx_tmpl *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->count; i++) {
		free(t->n[i].s);
		free(t->n[i].indent);
	}
	free(t->n);
	free(t->name);
	free(t);
}

/* The first occurrence of the n bytes of needle in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *needle, size_t n)
{
	for (; p + n <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (!p || p + n > end)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Trims white space at both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n && (is_space(**s) || **s == '\n' || **s == '\r')) {
		(*s)++;
		(*n)--;
	}
	while (*n && (is_space((*s)[*n - 1]) || (*s)[*n - 1] == '\n' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

static unsigned line_of(const char *text, const char *at)
{
	unsigned line = 1;

	for (; text < at; text++)
		if (*text == '\n')
			line++;
	return line;
}

struct fx_tmpl *fx_tmpl_parse(const char *text, size_t len, const char *name)
{
	struct fx_tmpl *t = fx_xcalloc(1, sizeof(*t));
	const char *p = text, *end = text + len, *open, *close, *body, *ls, *after;
	size_t stack[MAX_DEPTH], depth = 0, blen;
	char sigil;
	int triple, standalone;

	t->name = fx_xstrdup(name ? name : "template");
	while (p < end) {
		open = find(p, end, "{{", 2);
		if (!open) {
			add_node(t, N_TEXT, p, (size_t)(end - p));
			break;
		}
		triple = open + 2 < end && open[2] == '{';
		body = open + (triple ? 3 : 2);
		close = find(body, end, triple ? "}}}" : "}}", triple ? 3 : 2);
		if (!close) {
			fx_error("%s:%u: a tag is not closed", t->name, line_of(text, open));
			goto fail;
		}
		after = close + (triple ? 3 : 2);
		sigil = triple ? '{' : *body;
		if (!triple && strchr("#^/>!&=", sigil))
			body++;
		blen = (size_t)(close - body);
		trim(&body, &blen);
		/* Standalone: only white space before the tag on its line and after it. */
		standalone = 0;
		if (strchr("#^/>!=", sigil) && !triple) {
			const char *q;

			for (ls = open; ls > text && is_space(ls[-1]); ls--)
				;
			for (q = after; q < end && is_space(*q); q++)
				;
			if ((ls == text || ls[-1] == '\n') &&
			    (q == end || *q == '\n' || (*q == '\r' && q + 1 < end && q[1] == '\n'))) {
				standalone = 1;
				if (ls > p)
					add_node(t, N_TEXT, p, (size_t)(ls - p));
				if (sigil == '>') {
					add_node(t, N_PARTIAL, body, blen);
					t->n[t->count - 1].indent = fx_xmalloc((size_t)(open - ls) + 1);
					memcpy(t->n[t->count - 1].indent, ls, (size_t)(open - ls));
					t->n[t->count - 1].indent[open - ls] = '\0';
				}
				after = q == end ? q : q + (*q == '\r' ? 2 : 1);
			}
		}
		if (!standalone && open > p)
			add_node(t, N_TEXT, p, (size_t)(open - p));
		if (!blen && sigil != '!') {
			fx_error("%s:%u: an empty tag", t->name, line_of(text, open));
			goto fail;
		}
		switch (sigil) {
		case '!':
			break;
		case '=':
			fx_error("%s:%u: changing the delimiters is not supported", t->name,
				 line_of(text, open));
			goto fail;
		case '#':
		case '^':
			if (depth == MAX_DEPTH) {
				fx_error("%s:%u: sections nested too deep", t->name, line_of(text, open));
				goto fail;
			}
			add_node(t, sigil == '#' ? N_SECTION : N_INVERTED, body, blen);
			stack[depth++] = t->count - 1;
			break;
		case '/':
			if (!depth || strlen(t->n[stack[depth - 1]].s) != blen ||
			    memcmp(t->n[stack[depth - 1]].s, body, blen) != 0) {
				fx_error("%s:%u: '{{/%.*s}}' closes no open section%s%s", t->name,
					 line_of(text, open), (int)blen, body,
					 depth ? "; open is " : "", depth ? t->n[stack[depth - 1]].s : "");
				goto fail;
			}
			depth--;
			t->n[stack[depth]].end = t->count;
			break;
		case '>':
			if (!standalone)
				add_node(t, N_PARTIAL, body, blen);
			break;
		case '{':
		case '&':
			add_node(t, N_RAW, body, blen);
			break;
		default:
			add_node(t, N_VAR, body, blen);
		}
		p = after;
	}
	if (depth) {
		fx_error("%s: section '%s' is not closed", t->name, t->n[stack[depth - 1]].s);
		goto fail;
	}
	return t;
fail:
	fx_tmpl_free(t);
	return NULL;
}

struct fx_tmpl *fx_tmpl_load(const char *dir, const char *name)
{
	char *path = fx_path_join(dir, name), *text;
	struct fx_tmpl *t = NULL;
	size_t len;

	text = fx_read_file(path, &len, 64u << 20);
	if (text)
		t = fx_tmpl_parse(text, len, name);
	free(text);
	free(path);
	return t;
}

/* ---- rendering ---- */

struct frame {
	const json_t *v;
	long index; /* 1-based position in an array section; 0 outside one */
	int last;
};

struct partial {
	char *name;
	struct fx_tmpl *t; /* NULL: none, or it failed */
	struct partial *next;
};

struct render {
	struct frame stack[MAX_DEPTH * 2];
	size_t depth;
	fx_tmpl_loader load;
	void *ctx;
	struct partial *partials;
	int nesting;
};

void fx_tmpl_escape(struct fx_buf *out, const char *s, size_t n)
{
	size_t i, from = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		fx_buf_add(out, s + from, i - from);
		fx_buf_add(out, rep, strlen(rep));
		from = i + 1;
	}
	fx_buf_add(out, s + from, n - from);
}

static const json_t *lookup_key(const json_t *v, const char *key, size_t n)
{
	char buf[256];
	size_t i, k = 0;

	if (n >= sizeof(buf))
		return NULL;
	if (json_is_array(v)) {
		/* items.0: an element by its position from 0 */
		for (i = 0; i < n; i++) {
			if (key[i] < '0' || key[i] > '9' || i > 8)
				return NULL;
			k = k * 10 + (size_t)(key[i] - '0');
		}
		return n ? json_array_get(v, k) : NULL;
	}
	if (!json_is_object(v))
		return NULL;
	memcpy(buf, key, n);
	buf[n] = '\0';
	return json_object_get(v, buf);
}

static const json_t *resolve(struct render *r, const char *name, int *special)
{
	const json_t *v = NULL;
	const char *dot, *seg;
	size_t i, n;

	*special = -1;
	if (strcmp(name, ".") == 0)
		return r->depth ? r->stack[r->depth - 1].v : NULL;
	if (name[0] == '@') {
		for (i = r->depth; i-- > 0;)
			if (r->stack[i].index) {
				if (strcmp(name, "@index") == 0)
					*special = (int)r->stack[i].index;
				else if (strcmp(name, "@first") == 0)
					*special = r->stack[i].index == 1 ? -2 : -3;
				else if (strcmp(name, "@last") == 0)
					*special = r->stack[i].last ? -2 : -3;
				return NULL;
			}
		return NULL;
	}
	dot = strchr(name, '.');
	n = dot ? (size_t)(dot - name) : strlen(name);
	for (i = r->depth; i-- > 0;) {
		v = lookup_key(r->stack[i].v, name, n);
		if (v)
			break;
	}
	while (v && dot) {
		seg = dot + 1;
		dot = strchr(seg, '.');
		n = dot ? (size_t)(dot - seg) : strlen(seg);
		v = lookup_key(v, seg, n);
	}
	return v;
}

static void value_text(struct fx_buf *out, const json_t *v, int escape)
{
	char num[64];
	const char *s = NULL;
	size_t n = 0;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER:
		n = (size_t)snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		s = num;
		break;
	case JSON_REAL:
		n = (size_t)snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		s = num;
		break;
	case JSON_TRUE:
		s = "true";
		n = 4;
		break;
	case JSON_FALSE:
		s = "false";
		n = 5;
		break;
	default:
		return;
	}
	if (escape)
		fx_tmpl_escape(out, s, n);
	else
		fx_buf_add(out, s, n);
}

static int truthy(const json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
	case JSON_FALSE:
		return 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0;
	default:
		return 1;
	}
}

static int render_range(struct render *r, const struct fx_tmpl *t, size_t from, size_t to,
			struct fx_buf *out);

static const struct fx_tmpl *partial_of(struct render *r, const char *name)
{
	struct partial *p;
	char *text;

	for (p = r->partials; p; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p->t;
	p = fx_xcalloc(1, sizeof(*p));
	p->name = fx_xstrdup(name);
	p->next = r->partials;
	r->partials = p;
	text = r->load ? r->load(name, r->ctx) : NULL;
	if (text) {
		p->t = fx_tmpl_parse(text, strlen(text), name);
		if (!p->t)
			p->t = (struct fx_tmpl *)-1;
	}
	free(text);
	return p->t;
}

static int render_partial(struct render *r, const struct node *nd, struct fx_buf *out)
{
	const struct fx_tmpl *pt = partial_of(r, nd->s);
	struct fx_buf tmp = FX_BUF_INIT;
	size_t i, start;
	int ret;

	if (pt == (struct fx_tmpl *)-1)
		return -1;
	if (!pt)
		return 0;
	if (r->nesting >= MAX_DEPTH)
		return fx_error("%s: partials nested more than %d deep", nd->s, MAX_DEPTH);
	r->nesting++;
	if (!nd->indent || !*nd->indent) {
		ret = render_range(r, pt, 0, pt->count, out);
	} else {
		/* Indent every line of the partial's output like the tag. */
		ret = render_range(r, pt, 0, pt->count, &tmp);
		for (i = start = 0; i < tmp.len; i++)
			if (tmp.data[i] == '\n' || i + 1 == tmp.len) {
				fx_buf_add(out, nd->indent, strlen(nd->indent));
				fx_buf_add(out, tmp.data + start, i + 1 - start);
				start = i + 1;
			}
		fx_buf_release(&tmp);
	}
	r->nesting--;
	return ret;
}

static int push(struct render *r, const json_t *v, long index, int last)
{
	if (r->depth == sizeof(r->stack) / sizeof(r->stack[0]))
		return fx_error("template sections nested too deep");
	r->stack[r->depth].v = v;
	r->stack[r->depth].index = index;
	r->stack[r->depth].last = last;
	r->depth++;
	return 0;
}

static int render_section(struct render *r, const struct fx_tmpl *t, size_t i,
			  struct fx_buf *out)
{
	const struct node *nd = &t->n[i];
	int special, on, ret = 0;
	const json_t *v = resolve(r, nd->s, &special);
	size_t k, n;

	on = special == -2 || (special >= 0) || (special == -1 && truthy(v));
	if (nd->kind == N_INVERTED)
		return on ? 0 : render_range(r, t, i + 1, nd->end, out);
	if (!on)
		return 0;
	if (special != -1 || json_is_true(v))
		return render_range(r, t, i + 1, nd->end, out);
	if (json_is_array(v)) {
		n = json_array_size(v);
		for (k = 0; k < n && !ret; k++) {
			if (push(r, json_array_get(v, k), (long)k + 1, k + 1 == n) < 0)
				return -1;
			ret = render_range(r, t, i + 1, nd->end, out);
			r->depth--;
		}
		return ret;
	}
	if (push(r, v, 0, 0) < 0)
		return -1;
	ret = render_range(r, t, i + 1, nd->end, out);
	r->depth--;
	return ret;
}

static int render_range(struct render *r, const struct fx_tmpl *t, size_t from, size_t to,
			struct fx_buf *out)
{
	const struct node *nd;
	const json_t *v;
	char num[32];
	int special;
	size_t i;

	for (i = from; i < to; i++) {
		nd = &t->n[i];
		switch (nd->kind) {
		case N_TEXT:
			fx_buf_add(out, nd->s, nd->len);
			break;
		case N_VAR:
		case N_RAW:
			v = resolve(r, nd->s, &special);
			if (special >= 0) {
				snprintf(num, sizeof(num), "%d", special);
				fx_buf_add(out, num, strlen(num));
			} else if (special < -1) {
				fx_buf_add(out, special == -2 ? "true" : "false", special == -2 ? 4 : 5);
			} else if (v) {
				value_text(out, v, nd->kind == N_VAR);
			}
			break;
		case N_SECTION:
		case N_INVERTED:
			if (render_section(r, t, i, out) < 0)
				return -1;
			i = nd->end - 1;
			break;
		case N_PARTIAL:
			if (render_partial(r, nd, out) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

int fx_tmpl_render(const struct fx_tmpl *t, const json_t *data, fx_tmpl_loader load,
		   void *ctx, struct fx_buf *out)
{
	struct render r;
	struct partial *p, *next;
	int ret;

	memset(&r, 0, sizeof(r));
	r.load = load;
	r.ctx = ctx;
	push(&r, data, 0, 0);
	/* Make out a string even when nothing is rendered. */
	fx_buf_add(out, "", 0);
	ret = render_range(&r, t, 0, t->count, out);
	for (p = r.partials; p; p = next) {
		next = p->next;
		if (p->t != (struct fx_tmpl *)-1)
			fx_tmpl_free(p->t);
		free(p->name);
		free(p);
	}
	return ret;
}
