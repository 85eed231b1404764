/*
 * pdf.c - the report's HTML laid out as an A4 PDF with cairo and pango:
 * the same document the browser shows, so one template gives both. The
 * subset understood is what the templates use: headings, paragraphs,
 * lists, definition lists, tables (header rows repeated on each page),
 * images, rules and page breaks (class "pagebreak"); anything with class
 * "noprint" is left out. Text goes through pango with a CJK font, so
 * Chinese is shaped and embedded as text that pdftotext reads back.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <allheaders.h>

#include "fx_err.h"
#include "fx_buf.h"
#include "fx_io.h"
#include "fx_report.h"
#include "fx_time.h"
#include "fx_banned.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 50.0
#define BOTTOM (PAGE_H - 56.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define FONT "Noto Sans CJK SC, WenQuanYi Zen Hei, DejaVu Sans, sans-serif"
#define MAX_COLS 32

struct fx_report_pdf {
	cairo_surface_t *s;
	cairo_t *cr;
	PangoLayout *l;
	char *path, *footer, *label;
	const char *base;
	double y;
	unsigned page;
	int open;   /* a page has something on it */
	int failed;
	/* parsed once: a font description per size and weight used */
	PangoFontDescription *fonts[8][2];
	double sizes[8];
	int nsizes;
	PangoLayout *cells[MAX_COLS]; /* one per table column, measured then drawn */
};

/* ---- pages ---- */

static void set_font(struct fx_report_pdf *p, PangoLayout *l, double size, int bold)
{
	PangoFontDescription *fd;
	int i;

	for (i = 0; i < p->nsizes && p->sizes[i] != size; i++)
		;
	if (i == p->nsizes) {
		if (i == 8)
			i = 7; /* more sizes than the templates use: reuse the last slot */
		else
			p->nsizes++;
		p->sizes[i] = size;
		if (p->fonts[i][0])
			pango_font_description_free(p->fonts[i][0]);
		if (p->fonts[i][1])
			pango_font_description_free(p->fonts[i][1]);
		p->fonts[i][0] = pango_font_description_from_string(FONT);
		pango_font_description_set_absolute_size(p->fonts[i][0], size * PANGO_SCALE);
		p->fonts[i][1] = pango_font_description_copy(p->fonts[i][0]);
		pango_font_description_set_weight(p->fonts[i][1], PANGO_WEIGHT_BOLD);
	}
	fd = p->fonts[i][bold ? 1 : 0];
	/* Setting the same description again would throw away the layout's work. */
	if (pango_layout_get_font_description(l) != fd &&
	    !(pango_layout_get_font_description(l) &&
	      pango_font_description_equal(pango_layout_get_font_description(l), fd)))
		pango_layout_set_font_description(l, fd);
}

static void end_page(struct fx_report_pdf *p)
{
	char num[128];
	int w, h;

	if (!p->open)
		return;
	p->page++;
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
	set_font(p, p->l, 8, 0);
	pango_layout_set_width(p->l, -1);
	pango_layout_set_text(p->l, p->footer, -1);
	cairo_move_to(p->cr, MARGIN, PAGE_H - 38);
	pango_cairo_show_layout(p->cr, p->l);
	snprintf(num, sizeof(num), p->label, p->page);
	pango_layout_set_text(p->l, num, -1);
	pango_layout_get_pixel_size(p->l, &w, &h);
	cairo_move_to(p->cr, PAGE_W - MARGIN - w, PAGE_H - 38);
	pango_cairo_show_layout(p->cr, p->l);
	cairo_restore(p->cr);
	cairo_show_page(p->cr);
	p->open = 0;
	p->y = MARGIN;
}

/* Makes room for h points, starting a new page when they do not fit. */
static void need(struct fx_report_pdf *p, double h)
{
	if (p->y + h > BOTTOM && p->y > MARGIN)
		end_page(p);
	p->open = 1;
}

struct fx_report_pdf *fx_report_pdf_open(const char *out, const char *footer,
					 const char *page_label)
{
	struct fx_report_pdf *p = fx_xcalloc(1, sizeof(*p));
	char now[FX_TIME_LEN], date[32];

	p->s = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
	if (cairo_surface_status(p->s) != CAIRO_STATUS_SUCCESS) {
		fx_error("cannot write '%s': %s", out,
			 cairo_status_to_string(cairo_surface_status(p->s)));
		cairo_surface_destroy(p->s);
		free(p);
		return NULL;
	}
	/* The same case gives the same PDF: its dates come from the clock fx uses (FX_NOW). */
	fx_time_now(now);
	snprintf(date, sizeof(date), "%.19sZ", now);
	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_MOD_DATE, date);
	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_CREATOR, "fx-report " FX_VERSION);
	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_TITLE, footer);
	p->cr = cairo_create(p->s);
	p->l = pango_cairo_create_layout(p->cr);
	pango_layout_set_wrap(p->l, PANGO_WRAP_WORD_CHAR);
	p->path = fx_xstrdup(out);
	p->footer = fx_xstrdup(footer);
	p->label = fx_xstrdup(page_label);
	p->y = MARGIN;
	return p;
}

int fx_report_pdf_close(struct fx_report_pdf *p, unsigned *pages)
{
	int ret = p->failed ? -1 : 0, i;

	end_page(p);
	if (pages)
		*pages = p->page;
	g_object_unref(p->l);
	for (i = 0; i < MAX_COLS; i++)
		if (p->cells[i])
			g_object_unref(p->cells[i]);
	for (i = 0; i < 8; i++) {
		if (p->fonts[i][0])
			pango_font_description_free(p->fonts[i][0]);
		if (p->fonts[i][1])
			pango_font_description_free(p->fonts[i][1]);
	}
	cairo_destroy(p->cr);
	cairo_surface_finish(p->s);
	if (cairo_surface_status(p->s) != CAIRO_STATUS_SUCCESS)
		ret = fx_error("cannot write '%s': %s", p->path,
			       cairo_status_to_string(cairo_surface_status(p->s)));
	cairo_surface_destroy(p->s);
	free(p->path);
	free(p->footer);
	free(p->label);
	free(p);
	return ret;
}

/* ---- inline text as pango markup ---- */

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int has_class(const xmlNode *n, const char *cls)
{
	xmlChar *c = n->type == XML_ELEMENT_NODE ? xmlGetProp(n, (const xmlChar *)"class") : NULL;
	const char *s, *hit;
	size_t k = strlen(cls);
	int yes = 0;

	for (s = (const char *)c; s && (hit = strstr(s, cls)); s = hit + k)
		if ((hit == (const char *)c || hit[-1] == ' ') && (hit[k] == '\0' || hit[k] == ' ')) {
			yes = 1;
			break;
		}
	xmlFree(c);
	return yes;
}

static const char *const inline_tags[] = {
	"a", "b", "strong", "i", "em", "code", "tt", "span", "small", "br", "sub", "sup", "u",
	"abbr", "time", "mark", "label", "kbd", "samp", "var", NULL,
};

static int is_inline(const xmlNode *n)
{
	int i;

	if (n->type == XML_TEXT_NODE || n->type == XML_ENTITY_REF_NODE)
		return 1;
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	for (i = 0; inline_tags[i]; i++)
		if (strcmp((const char *)n->name, inline_tags[i]) == 0)
			return 1;
	return 0;
}

static int skipped(const xmlNode *n)
{
	static const char *const tags[] = { "head", "script", "style", "title", "nav", "template",
					    NULL };
	int i;

	if (n->type == XML_COMMENT_NODE)
		return 1;
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	for (i = 0; tags[i]; i++)
		if (strcmp((const char *)n->name, tags[i]) == 0)
			return 1;
	return has_class(n, "noprint");
}

/* Appends text with white space collapsed (unless pre) and markup-escaped. */
static void add_text(struct fx_buf *b, const char *s, int pre)
{
	char *esc;
	size_t i, n = strlen(s);
	struct fx_buf t = FX_BUF_INIT;
	int space = b->len && b->data[b->len - 1] != ' ' && b->data[b->len - 1] != '\n' ? 0 : 1;

	for (i = 0; i < n; i++) {
		if (!pre && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) {
			if (!space)
				fx_buf_add(&t, " ", 1);
			space = 1;
			continue;
		}
		fx_buf_add(&t, &s[i], 1);
		space = 0;
	}
	if (!t.len)
		return;
	esc = g_markup_escape_text(t.data, (gssize)t.len);
	fx_buf_add(b, esc, strlen(esc));
	g_free(esc);
	fx_buf_release(&t);
}

static void add(struct fx_buf *b, const char *s)
{
	fx_buf_add(b, s, strlen(s));
}

/*
 * Inline markup of n and what follows it inside; blocks inside cells become
 * lines, but a list in a cell runs on, its items set apart by " · ", so
 * that a record's fields do not take a line each.
 */
static void inline_markup_in(const xmlNode *n, struct fx_buf *b, int pre, int cell);

static void inline_markup(const xmlNode *n, struct fx_buf *b, int pre)
{
	inline_markup_in(n, b, pre, 0);
}

static void inline_markup_in(const xmlNode *n, struct fx_buf *b, int pre, int cell)
{
	const char *open = NULL, *close = NULL;
	const xmlNode *k;

	if (skipped(n))
		return;
	if (n->type == XML_TEXT_NODE) {
		add_text(b, (const char *)n->content, pre);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	if (is_el(n, "br")) {
		add(b, "\n");
		return;
	}
	if (is_el(n, "img")) {
		xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");

		if (alt && *alt) {
			add(b, "[");
			add_text(b, (const char *)alt, 0);
			add(b, "]");
		}
		xmlFree(alt);
		return;
	}
	if (is_el(n, "b") || is_el(n, "strong") || is_el(n, "th")) {
		open = "<b>";
		close = "</b>";
	} else if (is_el(n, "i") || is_el(n, "em")) {
		open = "<i>";
		close = "</i>";
	} else if (is_el(n, "code") || is_el(n, "tt") || is_el(n, "kbd") || is_el(n, "samp")) {
		open = "<tt>";
		close = "</tt>";
	} else if (is_el(n, "small")) {
		open = "<small>";
		close = "</small>";
	} else if (is_el(n, "a")) {
		open = "<span foreground=\"#1a4fa0\">";
		close = "</span>";
	} else if (is_el(n, "sub") || is_el(n, "sup")) {
		open = is_el(n, "sub") ? "<sub>" : "<sup>";
		close = is_el(n, "sub") ? "</sub>" : "</sup>";
	}
	if (cell && (is_el(n, "ul") || is_el(n, "ol") || is_el(n, "li"))) {
		if (is_el(n, "li") && b->len && b->data[b->len - 1] != '\n')
			add(b, is_el(n->prev ? n->prev : n, "li") && n->prev ? " · " : "\n");
	} else {
		if (!is_inline(n) && b->len && b->data[b->len - 1] != '\n')
			add(b, "\n");
		if (is_el(n, "li"))
			add(b, "• ");
	}
	if (open)
		add(b, open);
	for (k = n->children; k; k = k->next)
		inline_markup_in(k, b, pre || is_el(n, "pre"), cell);
	if (close)
		add(b, close);
}

/* Drops white space and line breaks at the ends of a markup string. */
static void trim(struct fx_buf *b)
{
	size_t s = 0;

	if (!b->data) {
		fx_buf_add(b, "", 0);
		return;
	}
	while (b->len && (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\n'))
		b->len--;
	while (s < b->len && (b->data[s] == ' ' || b->data[s] == '\n'))
		s++;
	memmove(b->data, b->data + s, b->len - s);
	b->len -= s;
	fx_buf_add(b, "", 0);
}

/* ---- blocks ---- */

/* Draws markup as a paragraph at x with width w, line by line across pages. */
static void paragraph(struct fx_report_pdf *p, const char *markup, double size, int bold,
		      double x, double w, double before, double after)
{
	PangoLayoutIter *it;
	PangoRectangle ext;
	double top, lh;
	int baseline;

	if (!*markup)
		return;
	set_font(p, p->l, size, bold);
	pango_layout_set_width(p->l, (int)(w * PANGO_SCALE));
	pango_layout_set_markup(p->l, markup, -1);
	p->y += p->y > MARGIN ? before : 0;
	it = pango_layout_get_iter(p->l);
	top = p->y;
	do {
		pango_layout_iter_get_line_extents(it, NULL, &ext);
		lh = (double)ext.height / PANGO_SCALE;
		baseline = pango_layout_iter_get_baseline(it);
		if (top + (double)ext.y / PANGO_SCALE + lh > BOTTOM) {
			end_page(p);
			top = p->y - (double)ext.y / PANGO_SCALE;
		}
		p->open = 1;
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		cairo_move_to(p->cr, x + (double)ext.x / PANGO_SCALE,
			      top + (double)baseline / PANGO_SCALE);
		pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
		p->y = top + (double)(ext.y + ext.height) / PANGO_SCALE;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	p->y += after;
}

/* Loads an image as a cairo surface: PNG by cairo, anything else by leptonica. */
static cairo_surface_t *load_image(struct fx_report_pdf *p, const char *src)
{
	char *path, *png = NULL;
	size_t n = strlen(src);
	cairo_surface_t *s = NULL;
	l_int32 old;
	PIX *pix, *rgb;

	if (strstr(src, "://") || strstr(src, ".."))
		return NULL;
	if (n > 4 && strcmp(src + n - 4, ".svg") == 0) {
		png = fx_xasprintf("%.*s.png", (int)(n - 4), src);
		src = png;
		n = strlen(src);
	}
	path = fx_path_join(p->base, src);
	if (n > 4 && strcmp(src + n - 4, ".png") == 0) {
		s = cairo_image_surface_create_from_png(path);
		if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
			cairo_surface_destroy(s);
			s = NULL;
		}
	} else {
		old = setMsgSeverity(L_SEVERITY_NONE);
		pix = pixRead(path);
		rgb = pix ? pixConvertTo32(pix) : NULL;
		if (rgb) {
			int w = (int)pixGetWidth(rgb), h = (int)pixGetHeight(rgb), x, y, stride;
			l_uint32 *line;
			unsigned char *data;
			l_int32 r, g, bl;

			s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
			data = cairo_image_surface_get_data(s);
			stride = cairo_image_surface_get_stride(s);
			cairo_surface_flush(s);
			for (y = 0; y < h; y++) {
				line = pixGetData(rgb) + y * pixGetWpl(rgb);
				for (x = 0; x < w; x++) {
					extractRGBValues(line[x], &r, &g, &bl);
					((uint32_t *)(data + y * stride))[x] =
						(uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)bl;
				}
			}
			cairo_surface_mark_dirty(s);
		}
		pixDestroy(&rgb);
		pixDestroy(&pix);
		setMsgSeverity(old);
	}
	free(path);
	free(png);
	return s;
}

/* Draws an image at x within width w, at most maxh high; returns its height. */
static double draw_image(struct fx_report_pdf *p, cairo_surface_t *s, double x, double y,
			 double w, double maxh)
{
	double iw = cairo_image_surface_get_width(s), ih = cairo_image_surface_get_height(s), k;

	if (iw <= 0 || ih <= 0)
		return 0;
	k = fmin(w / iw, maxh / ih);
	cairo_save(p->cr);
	cairo_translate(p->cr, x, y);
	cairo_scale(p->cr, k, k);
	cairo_set_source_surface(p->cr, s, 0, 0);
	cairo_paint(p->cr);
	cairo_restore(p->cr);
	return ih * k;
}

static void image_block(struct fx_report_pdf *p, const xmlNode *n)
{
	xmlChar *src = xmlGetProp(n, (const xmlChar *)"src");
	xmlChar *wa = xmlGetProp(n, (const xmlChar *)"width");
	cairo_surface_t *s = src ? load_image(p, (const char *)src) : NULL;
	double w = CONTENT_W, maxh = 360, ih, iw;

	if (s) {
		if (wa && atof((const char *)wa) > 0)
			w = fmin(CONTENT_W, atof((const char *)wa) * 0.75);
		iw = cairo_image_surface_get_width(s);
		ih = cairo_image_surface_get_height(s);
		if (iw > 0 && ih > 0) {
			ih = ih * fmin(w / iw, maxh / ih);
			need(p, ih + 6);
			p->y += draw_image(p, s, MARGIN, p->y, w, maxh) + 6;
		}
		cairo_surface_destroy(s);
	}
	xmlFree(src);
	xmlFree(wa);
}

/* ---- tables ---- */

struct tcell {
	char *markup;
	char *img;
	int span, bold;
};

struct trow {
	struct tcell c[MAX_COLS];
	int n, head;
};

static void cell_of(const xmlNode *td, struct tcell *c)
{
	struct fx_buf b = FX_BUF_INIT;
	const xmlNode *k;
	xmlChar *span = xmlGetProp(td, (const xmlChar *)"colspan");
	const xmlNode *stack[64];
	int depth = 0;

	for (k = td->children; k; k = k->next)
		inline_markup_in(k, &b, 0, 1);
	trim(&b);
	c->markup = b.data ? b.data : fx_xstrdup("");
	c->bold = is_el(td, "th");
	c->span = span ? atoi((const char *)span) : 1;
	if (c->span < 1)
		c->span = 1;
	xmlFree(span);
	/* The first image inside the cell (a signature, a seal, a thumbnail). */
	stack[depth++] = td->children;
	while (depth && !c->img) {
		k = stack[--depth];
		for (; k && !c->img; k = k->next) {
			if (is_el(k, "img")) {
				xmlChar *src = xmlGetProp(k, (const xmlChar *)"src");

				c->img = src ? fx_xstrdup((const char *)src) : NULL;
				xmlFree(src);
			} else if (k->children && depth < 64) {
				stack[depth++] = k->children;
			}
		}
	}
}

static void rows_of(const xmlNode *n, struct trow **rows, size_t *nr, size_t *cap, int head)
{
	const xmlNode *k, *td;
	struct trow *r;

	for (k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE || skipped(k))
			continue;
		if (is_el(k, "thead") || is_el(k, "tbody") || is_el(k, "tfoot")) {
			rows_of(k, rows, nr, cap, is_el(k, "thead"));
			continue;
		}
		if (!is_el(k, "tr"))
			continue;
		if (*nr == *cap) {
			*cap = *cap ? 2 * *cap : 64;
			*rows = fx_xrealloc(*rows, *cap * sizeof(**rows));
		}
		r = &(*rows)[(*nr)++];
		memset(r, 0, sizeof(*r));
		r->head = head;
		for (td = k->children; td; td = td->next)
			if ((is_el(td, "td") || is_el(td, "th")) && r->n < MAX_COLS)
				cell_of(td, &r->c[r->n++]);
		/* A first row of header cells only is a header. */
		if (*nr == 1 && r->n) {
			int all = 1, i;

			for (i = 0; i < r->n; i++)
				all &= r->c[i].bold;
			r->head |= all;
		}
	}
}

/* Lays out a cell in the column's layout, which draw_row() then shows as it is. */
static double cell_height(struct fx_report_pdf *p, const struct tcell *c, double w, int col,
			  int head)
{
	PangoLayout *l;
	int lw, lh;
	double h = 0;

	if (!p->cells[col]) {
		p->cells[col] = pango_cairo_create_layout(p->cr);
		pango_layout_set_wrap(p->cells[col], PANGO_WRAP_WORD_CHAR);
	}
	l = p->cells[col];
	set_font(p, l, 8, c->bold || head);
	pango_layout_set_width(l, (int)((w - 6) * PANGO_SCALE));
	pango_layout_set_markup(l, c->markup, -1);
	pango_layout_get_pixel_size(l, &lw, &lh);
	if (*c->markup)
		h = lh;
	if (c->img)
		h += 64;
	return h + 6;
}

static double row_height(struct fx_report_pdf *p, const struct trow *r, const double *cw,
			 int ncols)
{
	double h = 0, w, ch;
	int i, col = 0, k;

	for (i = 0; i < r->n && col < ncols; i++) {
		for (w = 0, k = 0; k < r->c[i].span && col + k < ncols; k++)
			w += cw[col + k];
		ch = cell_height(p, &r->c[i], w, col, r->head);
		h = ch > h ? ch : h;
		col += r->c[i].span;
	}
	return h > BOTTOM - MARGIN ? BOTTOM - MARGIN : h;
}

static void draw_row(struct fx_report_pdf *p, const struct trow *r, const double *cw, int ncols,
		     double h)
{
	double x = MARGIN, w, ty;
	int i, col = 0, k;

	p->open = 1;
	col = 0;
	for (i = 0; i < r->n && col < ncols; i++) {
		for (w = 0, k = 0; k < r->c[i].span && col + k < ncols; k++)
			w += cw[col + k];
		if (r->head) {
			cairo_set_source_rgb(p->cr, 0.92, 0.92, 0.92);
			cairo_rectangle(p->cr, x, p->y, w, h);
			cairo_fill(p->cr);
		}
		cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
		cairo_set_line_width(p->cr, 0.4);
		cairo_rectangle(p->cr, x, p->y, w, h);
		cairo_stroke(p->cr);
		ty = p->y + 3;
		if (*r->c[i].markup) {
			int lw, lh;

			/* row_height() has just laid this cell out in its column's layout. */
			pango_layout_get_pixel_size(p->cells[col], &lw, &lh);
			cairo_save(p->cr);
			if (lh > h - 3) {
				cairo_rectangle(p->cr, x, p->y, w, h);
				cairo_clip(p->cr);
			}
			cairo_set_source_rgb(p->cr, 0, 0, 0);
			cairo_move_to(p->cr, x + 3, ty);
			pango_cairo_show_layout(p->cr, p->cells[col]);
			cairo_restore(p->cr);
			ty += lh;
		}
		if (r->c[i].img) {
			cairo_surface_t *s = load_image(p, r->c[i].img);

			if (s) {
				draw_image(p, s, x + 3, ty, w - 6, 60);
				cairo_surface_destroy(s);
			}
		}
		x += w;
		col += r->c[i].span;
	}
	p->y += h;
}

static void table(struct fx_report_pdf *p, const xmlNode *n)
{
	struct trow *rows = NULL;
	size_t nr = 0, cap = 0, i, k;
	double nat[MAX_COLS] = { 0 }, cw[MAX_COLS], sum = 0, fair, extra;
	int ncols = 0, j, lw, lh, col;

	rows_of(n, &rows, &nr, &cap, 0);
	for (i = 0; i < nr; i++) {
		for (col = 0, j = 0; j < rows[i].n; j++)
			col += rows[i].c[j].span;
		ncols = col > ncols ? col : ncols;
	}
	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	/* Natural widths from the first rows, then shared out fairly. */
	pango_layout_set_width(p->l, -1);
	for (i = 0; i < nr && i < 60; i++)
		for (col = 0, j = 0; j < rows[i].n && col < ncols; j++) {
			if (rows[i].c[j].span == 1) {
				set_font(p, p->l, 8, rows[i].c[j].bold);
				pango_layout_set_markup(p->l, rows[i].c[j].markup, -1);
				pango_layout_get_pixel_size(p->l, &lw, &lh);
				nat[col] = fmax(nat[col], fmin(lw + 8.0, CONTENT_W));
				if (rows[i].c[j].img)
					nat[col] = fmax(nat[col], 120);
			}
			col += rows[i].c[j].span;
		}
	for (j = 0; j < ncols; j++) {
		nat[j] = fmax(nat[j], 24);
		sum += nat[j];
	}
	if (ncols && sum <= CONTENT_W) {
		for (j = 0; j < ncols; j++)
			cw[j] = nat[j] * CONTENT_W / sum;
	} else if (ncols) {
		fair = CONTENT_W / ncols;
		extra = 0;
		for (j = 0, sum = 0; j < ncols; j++) {
			cw[j] = fmin(nat[j], fair);
			extra += CONTENT_W / ncols - cw[j];
			if (nat[j] > fair)
				sum += nat[j] - fair;
		}
		for (j = 0; j < ncols; j++)
			if (nat[j] > fair)
				cw[j] += extra * (nat[j] - fair) / sum;
	}
	p->y += p->y > MARGIN ? 4 : 0;
	for (i = 0; i < nr && ncols; i++) {
		double h = row_height(p, &rows[i], cw, ncols);

		/* A row that does not fit starts a page, under the header rows again. */
		if (p->y + h > BOTTOM && p->y > MARGIN) {
			end_page(p);
			for (k = 0; k < i && rows[k].head && !rows[i].head; k++)
				draw_row(p, &rows[k], cw, ncols, row_height(p, &rows[k], cw, ncols));
			/* The columns' layouts now hold the header: lay the row out again. */
			h = row_height(p, &rows[i], cw, ncols);
		}
		draw_row(p, &rows[i], cw, ncols, h);
	}
	p->y += 6;
	for (i = 0; i < nr; i++)
		for (j = 0; j < rows[i].n; j++) {
			free(rows[i].c[j].markup);
			free(rows[i].c[j].img);
		}
	free(rows);
}

/* ---- the walk ---- */

static void blocks(struct fx_report_pdf *p, const xmlNode *n, double indent);

static void flush_inline(struct fx_report_pdf *p, struct fx_buf *b, double indent)
{
	trim(b);
	if (b->len)
		paragraph(p, b->data, 10, 0, MARGIN + indent, CONTENT_W - indent, 2, 2);
	b->len = 0;
}

static void block(struct fx_report_pdf *p, const xmlNode *n, double indent)
{
	static const struct {
		const char *tag;
		double size, before, after;
	} heads[] = { { "h1", 18, 10, 8 }, { "h2", 14, 12, 6 }, { "h3", 12, 10, 4 },
		      { "h4", 10.5, 8, 3 } };
	struct fx_buf b = FX_BUF_INIT;
	const xmlNode *k;
	size_t i;

	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (is_el(n, heads[i].tag)) {
			for (k = n->children; k; k = k->next)
				inline_markup(k, &b, 0);
			trim(&b);
			/* Keep a heading with what follows it. */
			need(p, heads[i].size * 4);
			paragraph(p, b.data ? b.data : "", heads[i].size, 1, MARGIN + indent,
				  CONTENT_W - indent, heads[i].before, heads[i].after);
			fx_buf_release(&b);
			return;
		}
	if (has_class(n, "pagebreak")) {
		end_page(p);
		return;
	}
	if (is_el(n, "table")) {
		table(p, n);
		return;
	}
	if (is_el(n, "img")) {
		image_block(p, n);
		return;
	}
	if (is_el(n, "hr")) {
		need(p, 8);
		cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, MARGIN + indent, p->y + 4);
		cairo_line_to(p->cr, PAGE_W - MARGIN, p->y + 4);
		cairo_stroke(p->cr);
		p->y += 8;
		return;
	}
	if (is_el(n, "pre")) {
		for (k = n->children; k; k = k->next)
			inline_markup(k, &b, 1);
		if (b.len) {
			paragraph(p, b.data, 8, 0, MARGIN + indent, CONTENT_W - indent, 2, 2);
		}
		fx_buf_release(&b);
		return;
	}
	if (is_el(n, "li") || is_el(n, "dt")) {
		add(&b, is_el(n, "li") ? "• " : "<b>");
		for (k = n->children; k; k = k->next)
			inline_markup(k, &b, 0);
		if (is_el(n, "dt"))
			add(&b, "</b>");
		trim(&b);
		paragraph(p, b.data, 10, 0, MARGIN + indent + 8, CONTENT_W - indent - 8, 1, 1);
		fx_buf_release(&b);
		return;
	}
	blocks(p, n, indent + (is_el(n, "dd") || is_el(n, "blockquote") ? 18 : 0));
}

/* The children of n: runs of inline content become paragraphs, blocks are laid out. */
static void blocks(struct fx_report_pdf *p, const xmlNode *n, double indent)
{
	struct fx_buf b = FX_BUF_INIT;
	const xmlNode *k;

	for (k = n->children; k; k = k->next) {
		if (skipped(k))
			continue;
		if (is_inline(k)) {
			inline_markup(k, &b, 0);
			continue;
		}
		flush_inline(p, &b, indent);
		if (k->type == XML_ELEMENT_NODE)
			block(p, k, indent);
	}
	flush_inline(p, &b, indent);
	fx_buf_release(&b);
}

int fx_report_pdf_add(struct fx_report_pdf *p, const char *html, size_t len, const char *base)
{
	htmlDocPtr doc;
	xmlNode *root, *body = NULL, *k;

	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
			     HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (!doc)
		return fx_error("%s: the report's HTML cannot be read", base);
	/* Each document starts on a new page. */
	end_page(p);
	p->base = base;
	root = xmlDocGetRootElement(doc);
	for (k = root ? root->children : NULL; k; k = k->next)
		if (is_el(k, "body"))
			body = k;
	if (body)
		blocks(p, body, 0);
	xmlFreeDoc(doc);
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS)
		p->failed = 1;
	return p->failed ? fx_error("'%s': %s", p->path, cairo_status_to_string(cairo_status(p->cr)))
			 : 0;
}
