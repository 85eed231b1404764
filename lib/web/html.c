/*
 * Link extraction: libxml2's HTML parser (it recovers from the broken
 * markup real pages have) for elements and attributes, and a small
 * scanner for url() and @import in CSS.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_banned.h"

void web_links_add(struct web_links *l, const char *ref, size_t len, const char *kind)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = fx_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].ref = fx_xasprintf("%.*s", (int)len, ref);
	l->v[l->n].kind = kind;
	l->n++;
}

void web_links_release(struct web_links *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].ref);
	for (i = 0; i < l->nforms; i++) {
		free(l->forms[i].action);
		free(l->forms[i].method);
	}
	free(l->v);
	free(l->forms);
	free(l->base);
	free(l->title);
	memset(l, 0, sizeof(*l));
}

static int ieq(const xmlChar *a, const char *b)
{
	return a && strcasecmp((const char *)a, b) == 0;
}

static void add_attr(struct web_links *l, xmlNode *n, const char *attr, const char *kind)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);

	if (v && *v)
		web_links_add(l, (const char *)v, strlen((const char *)v), kind);
	xmlFree(v);
}

/* srcset: "a.png 1x, b.png 2x": the URL of each candidate. */
static void add_srcset(struct web_links *l, xmlNode *n, const char *kind)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"srcset");
	const char *p = (const char *)v, *s;

	while (p && *p) {
		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		s = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		/* A URL may end in a comma that separates it from the next. */
		if (p > s && p[-1] == ',')
			web_links_add(l, s, (size_t)(p - 1 - s), kind);
		else if (p > s)
			web_links_add(l, s, (size_t)(p - s), kind);
		while (*p && *p != ',')
			p++;
	}
	xmlFree(v);
}

static const char *link_kind(xmlNode *n)
{
	xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
	const char *k = NULL;
	char *r = (char *)rel, *tok, *save = NULL;

	for (tok = r ? strtok_r(r, " \t\n", &save) : NULL; tok && !k;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (strcasecmp(tok, "stylesheet") == 0)
			k = "stylesheet";
		else if (strcasecmp(tok, "icon") == 0 || strcasecmp(tok, "apple-touch-icon") == 0 ||
			 strcasecmp(tok, "mask-icon") == 0)
			k = "icon";
		else if (strcasecmp(tok, "preload") == 0 || strcasecmp(tok, "modulepreload") == 0 ||
			 strcasecmp(tok, "manifest") == 0 || strcasecmp(tok, "prefetch") == 0)
			k = "other";
	}
	xmlFree(rel);
	return k;
}

static void add_form(struct web_links *l, xmlNode *n)
{
	xmlChar *a = xmlGetProp(n, (const xmlChar *)"action");
	xmlChar *m = xmlGetProp(n, (const xmlChar *)"method");
	struct web_form *f;
	char *p;

	if (l->nforms == l->fcap) {
		l->fcap = l->fcap ? 2 * l->fcap : 4;
		l->forms = fx_xrealloc(l->forms, l->fcap * sizeof(*l->forms));
	}
	f = &l->forms[l->nforms++];
	f->action = fx_xstrdup(a ? (const char *)a : "");
	f->method = fx_xstrdup(m && *m ? (const char *)m : "get");
	for (p = f->method; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	f->password = 0;
	xmlFree(a);
	xmlFree(m);
}

struct walk {
	struct web_links *l;
	long form; /* index of the form we are in, or -1 */
};

static void walk(struct walk *w, xmlNode *n)
{
	struct web_links *l = w->l;
	const char *k;
	xmlChar *v;
	long form;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		form = w->form;
		v = xmlGetProp(n, (const xmlChar *)"style");
		if (v)
			web_css_urls((const char *)v, strlen((const char *)v), "css-url", l);
		xmlFree(v);
		if (ieq(n->name, "img")) {
			add_attr(l, n, "src", "image");
			add_srcset(l, n, "image");
		} else if (ieq(n->name, "script")) {
			add_attr(l, n, "src", "script");
		} else if (ieq(n->name, "link")) {
			if ((k = link_kind(n)) != NULL)
				add_attr(l, n, "href", k);
		} else if (ieq(n->name, "iframe") || ieq(n->name, "frame")) {
			add_attr(l, n, "src", "frame");
		} else if (ieq(n->name, "video") || ieq(n->name, "audio")) {
			add_attr(l, n, "src", "media");
			add_attr(l, n, "poster", "image");
		} else if (ieq(n->name, "source") || ieq(n->name, "track")) {
			add_attr(l, n, "src", "media");
			add_srcset(l, n, "image");
		} else if (ieq(n->name, "embed")) {
			add_attr(l, n, "src", "media");
		} else if (ieq(n->name, "object")) {
			add_attr(l, n, "data", "media");
		} else if (ieq(n->name, "input")) {
			v = xmlGetProp(n, (const xmlChar *)"type");
			if (ieq(v, "image"))
				add_attr(l, n, "src", "image");
			if (ieq(v, "password") && w->form >= 0)
				l->forms[w->form].password = 1;
			xmlFree(v);
		} else if (ieq(n->name, "style")) {
			v = xmlNodeGetContent(n);
			if (v)
				web_css_urls((const char *)v, strlen((const char *)v), "css-url",
					     l);
			xmlFree(v);
		} else if (ieq(n->name, "base") && !l->base) {
			v = xmlGetProp(n, (const xmlChar *)"href");
			if (v)
				l->base = fx_xstrdup((const char *)v);
			xmlFree(v);
		} else if (ieq(n->name, "title") && !l->title) {
			v = xmlNodeGetContent(n);
			if (v)
				l->title = fx_xstrdup((const char *)v);
			xmlFree(v);
		} else if (ieq(n->name, "form")) {
			add_form(l, n);
			w->form = (long)l->nforms - 1;
		}
		walk(w, n->children);
		w->form = form;
	}
}

static htmlDocPtr parse(const char *html, size_t len)
{
	if (len > (size_t)0x7fffffff)
		len = 0x7fffffff;
	return htmlReadMemory(html, (int)len, NULL, NULL,
			      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				      HTML_PARSE_NONET | HTML_PARSE_COMPACT);
}

int web_html_links(const char *html, size_t len, struct web_links *out)
{
	htmlDocPtr doc = parse(html, len);
	struct walk w = {out, -1};

	if (!doc)
		return -1;
	walk(&w, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	return 0;
}

static const char *skip_ws_comments(const char *p, const char *end)
{
	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
			p += 2;
			while (end - p >= 2 && !(p[0] == '*' && p[1] == '/'))
				p++;
			p = end - p >= 2 ? p + 2 : end;
			continue;
		}
		return p;
	}
}

/* A quoted string or a url(…) at p: its content into *s, *n; returns the end. */
static const char *css_value(const char *p, const char *end, const char **s, size_t *n)
{
	char q;

	*s = NULL;
	if (p < end && (*p == '"' || *p == '\'')) {
		q = *p++;
		*s = p;
		while (p < end && *p != q && *p != '\n')
			p += *p == '\\' && p + 1 < end ? 2 : 1;
		*n = (size_t)(p - *s);
		return p < end ? p + 1 : end;
	}
	if (end - p >= 4 && strncasecmp(p, "url(", 4) == 0) {
		p = skip_ws_comments(p + 4, end);
		if (p < end && (*p == '"' || *p == '\'')) {
			p = css_value(p, end, s, n);
		} else {
			*s = p;
			while (p < end && *p != ')' && !isspace((unsigned char)*p))
				p++;
			*n = (size_t)(p - *s);
		}
		while (p < end && *p != ')')
			p++;
		return p < end ? p + 1 : end;
	}
	return p;
}

void web_css_urls(const char *css, size_t len, const char *kind, struct web_links *out)
{
	const char *p = css, *end = css + len, *s;
	size_t n;

	while (p < end) {
		if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
			p = skip_ws_comments(p, end);
			continue;
		}
		if (*p == '"' || *p == '\'') {
			/* A string that is not a URL: skip it whole. */
			p = css_value(p, end, &s, &n);
			continue;
		}
		if (end - p >= 7 && strncasecmp(p, "@import", 7) == 0) {
			p = css_value(skip_ws_comments(p + 7, end), end, &s, &n);
			if (s && n)
				web_links_add(out, s, n, "stylesheet");
			continue;
		}
		if (end - p >= 4 && strncasecmp(p, "url(", 4) == 0 &&
		    (p == css || !(isalnum((unsigned char)p[-1]) || p[-1] == '-'))) {
			p = css_value(p, end, &s, &n);
			if (s && n)
				web_links_add(out, s, n, kind);
			continue;
		}
		p++;
	}
}

struct text {
	struct fx_buf b;
	int space; /* a space is owed before the next word */
};

static int is_block(const xmlChar *name)
{
	static const char *const blocks[] = {
		"p",      "div",  "br",    "li",    "tr", "td",      "th",      "h1",
		"h2",     "h3",   "h4",    "h5",    "h6", "section", "article", "header",
		"footer", "form", "table", "ul",    "ol", "title",   "option",  "blockquote",
		"pre",    "nav",  "main",  "aside", "dt", "dd",      NULL,
	};
	const char *const *b;

	for (b = blocks; *b; b++)
		if (ieq(name, *b))
			return 1;
	return 0;
}

static void newline(struct text *t)
{
	if (t->b.len && t->b.data[t->b.len - 1] != '\n')
		fx_buf_add(&t->b, "\n", 1);
	t->space = 0;
}

static void text_walk(struct text *t, xmlNode *n)
{
	const char *p, *s;

	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content) {
			for (p = (const char *)n->content; *p;) {
				if (isspace((unsigned char)*p)) {
					t->space = 1;
					p++;
					continue;
				}
				for (s = p; *p && !isspace((unsigned char)*p); p++)
					;
				if (t->space && t->b.len && t->b.data[t->b.len - 1] != '\n')
					fx_buf_add(&t->b, " ", 1);
				fx_buf_add(&t->b, s, (size_t)(p - s));
				t->space = 0;
			}
		} else if (n->type == XML_ELEMENT_NODE) {
			if (ieq(n->name, "script") || ieq(n->name, "style") ||
			    ieq(n->name, "noscript") || ieq(n->name, "template"))
				continue;
			if (is_block(n->name))
				newline(t);
			text_walk(t, n->children);
			if (is_block(n->name))
				newline(t);
		}
	}
}

char *web_html_text(const char *html, size_t len)
{
	htmlDocPtr doc = parse(html, len);
	struct text t = {FX_BUF_INIT, 0};

	if (doc) {
		text_walk(&t, xmlDocGetRootElement(doc));
		xmlFreeDoc(doc);
	}
	newline(&t);
	fx_buf_add(&t.b, "", 0);
	return t.b.data ? t.b.data : fx_xstrdup("");
}
