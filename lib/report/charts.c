/*
 * charts.c - pictures where people look rather than read: events per type
 * and day, the association graph, and a map of positions. Each chart is
 * one drawing function over cairo, run onto an SVG surface for the HTML
 * and onto a PNG at twice the size for the PDF, so both show the same.
 * Text goes through pango, so that Chinese names are drawn.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include <fontconfig/fontconfig.h>
#include <allheaders.h>

#include "fx_err.h"
#include "fx_time.h"
#include "fx_report.h"
#include "report_int.h"
#include "fx_banned.h"

#define FONT "Noto Sans CJK SC, WenQuanYi Zen Hei, DejaVu Sans, sans-serif"

static const double palette[][3] = {
	{ 0.12, 0.47, 0.71 }, { 1.00, 0.50, 0.05 }, { 0.17, 0.63, 0.17 }, { 0.84, 0.15, 0.16 },
	{ 0.58, 0.40, 0.74 }, { 0.55, 0.34, 0.29 }, { 0.89, 0.47, 0.76 }, { 0.50, 0.50, 0.50 },
	{ 0.74, 0.74, 0.13 }, { 0.09, 0.75, 0.81 },
};
#define NCOLORS (sizeof(palette) / sizeof(palette[0]))

static void color(cairo_t *cr, size_t i)
{
	cairo_set_source_rgb(cr, palette[i % NCOLORS][0], palette[i % NCOLORS][1],
			     palette[i % NCOLORS][2]);
}

/* Draws s at (x, y): align 0 left, 1 centred, 2 right of x; y is the top. */
static void text(cairo_t *cr, double x, double y, const char *s, double size, int align)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	int w, h;

	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, s, -1);
	pango_layout_get_pixel_size(l, &w, &h);
	cairo_move_to(cr, x - (align == 1 ? w / 2.0 : align == 2 ? w : 0), y);
	pango_cairo_show_layout(cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
}

typedef void (*draw_fn)(cairo_t *cr, double w, double h, const json_t *data, const char *title);

static int render(draw_fn fn, const json_t *data, const char *base, const char *title, double w,
		  double h)
{
	char *path = fx_xasprintf("%s.svg", base);
	cairo_surface_t *s = cairo_svg_surface_create(path, w, h);
	cairo_t *cr;
	int ret = 0;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		ret = fx_error("cannot write '%s': %s", path,
			       cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		free(path);
		return ret;
	}
	cr = cairo_create(s);
	fn(cr, w, h, data, title);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		ret = fx_error("cannot write '%s'", path);
	cairo_surface_destroy(s);
	free(path);
	if (ret)
		return ret;
	path = fx_xasprintf("%s.png", base);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w * 2, (int)h * 2);
	cr = cairo_create(s);
	cairo_scale(cr, 2, 2);
	fn(cr, w, h, data, title);
	cairo_destroy(cr);
	if (cairo_surface_write_to_png(s, path) != CAIRO_STATUS_SUCCESS)
		ret = fx_error("cannot write '%s'", path);
	cairo_surface_destroy(s);
	free(path);
	return ret;
}

static void background(cairo_t *cr, double w, double h, const char *title)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	text(cr, 12, 8, title, 15, 0);
	(void)w;
	(void)h;
}

/* ---- timeline: stacked bars of events per day (or week, or month) ---- */

static int64_t day_ms(const char *day)
{
	int64_t ms = 0;

	fx_time_parse(day, &ms);
	return ms;
}

static void draw_timeline(cairo_t *cr, double w, double h, const json_t *tl, const char *title)
{
	const double left = 60, right = 170, top = 40, bottom = 50;
	const int64_t DAY = 86400000;
	int64_t lo = INT64_MAX, hi = INT64_MIN, bucket, ms;
	size_t nb, i, ti = 0, b;
	const char *type, *day;
	json_t *days, *v;
	double *sum, maxv = 0, bw, x, y, bh;
	char label[FX_TIME_LEN], num[32];

	background(cr, w, h, title);
	json_object_foreach((json_t *)tl, type, days)
		json_object_foreach(days, day, v) {
			ms = day_ms(day);
			lo = ms < lo ? ms : lo;
			hi = ms > hi ? ms : hi;
		}
	if (lo > hi)
		return;
	bucket = DAY;
	if ((hi - lo) / DAY > 3 * 366)
		bucket = 30 * DAY;
	else if ((hi - lo) / DAY > 200)
		bucket = 7 * DAY;
	nb = (size_t)((hi - lo) / bucket) + 1;
	sum = fx_xcalloc(nb, sizeof(*sum));
	json_object_foreach((json_t *)tl, type, days)
		json_object_foreach(days, day, v)
			sum[(day_ms(day) - lo) / bucket] += (double)json_integer_value(v);
	for (i = 0; i < nb; i++)
		maxv = sum[i] > maxv ? sum[i] : maxv;
	bw = (w - left - right) / (double)nb;
	/* axes */
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, left, top);
	cairo_line_to(cr, left, h - bottom);
	cairo_line_to(cr, w - right, h - bottom);
	cairo_stroke(cr);
	snprintf(num, sizeof(num), "%.0f", maxv);
	text(cr, left - 6, top - 6, num, 10, 2);
	text(cr, left - 6, h - bottom - 12, "0", 10, 2);
	memset(sum, 0, nb * sizeof(*sum));
	json_object_foreach((json_t *)tl, type, days) {
		color(cr, ti);
		json_object_foreach(days, day, v) {
			b = (size_t)((day_ms(day) - lo) / bucket);
			bh = (h - top - bottom) * (double)json_integer_value(v) / (maxv ? maxv : 1);
			x = left + (double)b * bw;
			y = h - bottom - sum[b] * (h - top - bottom) / (maxv ? maxv : 1) - bh;
			cairo_rectangle(cr, x + (bw > 3 ? 0.5 : 0), y, bw > 3 ? bw - 1 : bw, bh);
			cairo_fill(cr);
			sum[b] += (double)json_integer_value(v);
		}
		/* legend */
		y = top + (double)ti * 18;
		if (y < h - bottom) {
			cairo_rectangle(cr, w - right + 14, y + 3, 10, 10);
			cairo_fill(cr);
			cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
			text(cr, w - right + 30, y, type, 11, 0);
		}
		ti++;
	}
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	fx_time_format(lo, label);
	label[10] = '\0';
	text(cr, left, h - bottom + 6, label, 10, 0);
	fx_time_format(hi, label);
	label[10] = '\0';
	text(cr, w - right, h - bottom + 6, label, 10, 2);
	text(cr, (left + w - right) / 2, h - bottom + 24,
	     bucket == DAY ? "/ day" : bucket == 7 * DAY ? "/ week" : "/ 30 days", 10, 1);
	free(sum);
}

int fx_chart_timeline(const json_t *timeline, const char *base, const char *title)
{
	double h = 320;
	size_t n = json_object_size(timeline);

	if (n * 18 + 100 > h)
		h = (double)n * 18 + 100;
	return render(draw_timeline, timeline, base, title, 900, h);
}

/* ---- the association graph: the busiest nodes on a circle ---- */

struct gnode {
	const char *name, *kind;
	double weight, x, y;
};

static int cmp_node(const void *a, const void *b)
{
	const struct gnode *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight < y->weight ? 1 : -1;
	return strcmp(x->name, y->name);
}

#define MAX_NODES 40

/*
 * The busiest nodes on a circle, the edges between them. Weights are
 * summed in a hash (jansson's object) first: a case has thousands of
 * numbers, of which only the busiest are drawn.
 */
static void draw_graph(cairo_t *cr, double w, double h, const json_t *edges, const char *title)
{
	json_t *weight = json_object(), *kinds = json_object(), *pos = json_object(), *v;
	double cx = w / 2, cy = h / 2 + 10, rad = (h < w ? h : w) / 2 - 90, maxw = 1, ang;
	size_t n, i = 0, shown;
	struct gnode *ns, *a, *b;
	const json_t *e;
	const char *key;
	int k;

	background(cr, w, h, title);
	json_array_foreach(edges, i, e) {
		json_int_t cnt = json_integer_value(json_object_get(e, "n"));

		for (k = 0; k < 2; k++) {
			const char *name = json_string_value(json_object_get(e, k ? "b" : "a"));
			const char *kind = json_string_value(json_object_get(e, k ? "kb" : "ka"));

			v = json_object_get(weight, name);
			json_object_set_new(weight, name,
					    json_integer((v ? json_integer_value(v) : 0) + cnt));
			if (!json_object_get(kinds, name))
				json_object_set_new(kinds, name, json_string(kind ? kind : ""));
		}
		if ((double)cnt > maxw)
			maxw = (double)cnt;
	}
	n = json_object_size(weight);
	ns = fx_xcalloc(n ? n : 1, sizeof(*ns));
	i = 0;
	json_object_foreach(weight, key, v) {
		ns[i].name = key;
		ns[i].kind = json_string_value(json_object_get(kinds, key));
		ns[i].weight = (double)json_integer_value(v);
		i++;
	}
	qsort(ns, n, sizeof(*ns), cmp_node);
	shown = n < MAX_NODES ? n : MAX_NODES;
	for (i = 0; i < shown; i++) {
		ang = 2 * M_PI * (double)i / (double)shown - M_PI / 2;
		ns[i].x = cx + rad * cos(ang);
		ns[i].y = cy + rad * sin(ang);
		json_object_set_new(pos, ns[i].name, json_integer((json_int_t)i));
	}
	cairo_set_source_rgba(cr, 0.4, 0.4, 0.5, 0.6);
	json_array_foreach(edges, i, e) {
		json_t *pa = json_object_get(pos, json_string_value(json_object_get(e, "a")));
		json_t *pb = json_object_get(pos, json_string_value(json_object_get(e, "b")));

		if (!pa || !pb)
			continue;
		a = &ns[json_integer_value(pa)];
		b = &ns[json_integer_value(pb)];
		cairo_set_line_width(cr, 0.8 + 3 * log1p((double)json_integer_value(
					     json_object_get(e, "n"))) / log1p(maxw));
		cairo_move_to(cr, a->x, a->y);
		cairo_line_to(cr, b->x, b->y);
		cairo_stroke(cr);
	}
	for (i = 0; i < shown; i++) {
		k = strcmp(ns[i].kind, "device") == 0 ? 3 : strcmp(ns[i].kind, "account") == 0 ? 2
			: strcmp(ns[i].kind, "indicator") == 0 ? 4 : 0;
		color(cr, (size_t)k);
		cairo_arc(cr, ns[i].x, ns[i].y, 5 + 6 * log1p(ns[i].weight) / log1p(ns[0].weight),
			  0, 2 * M_PI);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		text(cr, ns[i].x + (ns[i].x < cx - 1 ? -12 : 12), ns[i].y - 7, ns[i].name, 10,
		     ns[i].x < cx - 1 ? 2 : 0);
	}
	if (n > shown) {
		char more[64];

		snprintf(more, sizeof(more), "+%zu", n - shown);
		text(cr, w - 12, h - 24, more, 10, 2);
	}
	free(ns);
	json_decref(weight);
	json_decref(kinds);
	json_decref(pos);
}

int fx_chart_graph(const json_t *edges, const char *base, const char *title)
{
	return render(draw_graph, edges, base, title, 900, 700);
}

/* ---- the map: positions on a latitude/longitude grid (no base map: offline) ---- */

static void draw_map(cairo_t *cr, double w, double h, const json_t *pts, const char *title)
{
	double la0 = 90, la1 = -90, lo0 = 180, lo1 = -180, lat, lon, pad, sx, sy, s, x, y, g;
	const double left = 60, top = 40, right = 20, bottom = 40;
	const json_t *p;
	char num[32];
	size_t i;

	background(cr, w, h, title);
	json_array_foreach(pts, i, p) {
		lat = json_number_value(json_object_get(p, "lat"));
		lon = json_number_value(json_object_get(p, "lon"));
		la0 = lat < la0 ? lat : la0;
		la1 = lat > la1 ? lat : la1;
		lo0 = lon < lo0 ? lon : lo0;
		lo1 = lon > lo1 ? lon : lo1;
	}
	pad = fmax(fmax(la1 - la0, lo1 - lo0) * 0.1, 0.005);
	la0 -= pad;
	la1 += pad;
	lo0 -= pad;
	lo1 += pad;
	sx = (w - left - right) / (lo1 - lo0);
	sy = (h - top - bottom) / (la1 - la0);
	s = fmin(sx, sy);
	/* grid lines at a round step */
	g = pow(10, floor(log10((la1 - la0) / 2)));
	cairo_set_line_width(cr, 0.5);
	for (lat = ceil(la0 / g) * g; lat <= la1; lat += g) {
		y = top + (la1 - lat) * s;
		if (y > h - bottom)
			continue;
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, left, y);
		cairo_line_to(cr, left + (lo1 - lo0) * s, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
		snprintf(num, sizeof(num), "%.4g", lat);
		text(cr, left - 4, y - 7, num, 9, 2);
	}
	for (lon = ceil(lo0 / g) * g; lon <= lo1; lon += g) {
		x = left + (lon - lo0) * s;
		if (x > w - right)
			continue;
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, x, top);
		cairo_line_to(cr, x, top + (la1 - la0) * s);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
		snprintf(num, sizeof(num), "%.4g", lon);
		text(cr, x, top + (la1 - la0) * s + 4, num, 9, 1);
	}
	json_array_foreach(pts, i, p) {
		lat = json_number_value(json_object_get(p, "lat"));
		lon = json_number_value(json_object_get(p, "lon"));
		x = left + (lon - lo0) * s;
		y = top + (la1 - lat) * s;
		cairo_set_source_rgb(cr, 0.84, 0.15, 0.16);
		cairo_arc(cr, x, y, 4, 0, 2 * M_PI);
		cairo_fill(cr);
		if (i < 30) {
			cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
			snprintf(num, sizeof(num), "%zu", i + 1);
			text(cr, x + 6, y - 6, num, 9, 0);
		}
	}
}

int fx_chart_map(const json_t *points, const char *base, const char *title)
{
	return render(draw_map, points, base, title, 900, 600);
}

/* ---- thumbnails (leptonica reads JPEG, PNG, TIFF, WebP, …) ---- */

int fx_report_thumb(const char *src, const char *dst, int px)
{
	l_int32 old = setMsgSeverity(L_SEVERITY_NONE), fmt = 0, w = 0;
	PIX *pix = NULL, *small = NULL, *rgb = NULL;
	int ret = -1;

	if (findFileFormat(src, &fmt) == 0 && fmt == IFF_JFIF_JPEG) {
		/* Decode at an eighth of the size when that is still large enough. */
		pixReadHeader(src, NULL, &w, NULL, NULL, NULL, NULL);
		pix = pixReadJpeg(src, 0, w / 8 >= px ? 8 : w / 4 >= px ? 4 : 1, NULL, 0);
	} else if (fmt) {
		pix = pixRead(src);
	}
	if (pix) {
		small = pixGetWidth(pix) > px ? pixScaleToSize(pix, px, 0) : pixClone(pix);
		rgb = small ? pixConvertTo32(small) : NULL;
		if (rgb && pixWrite(dst, rgb, IFF_JFIF_JPEG) == 0)
			ret = 0;
	}
	pixDestroy(&rgb);
	pixDestroy(&small);
	pixDestroy(&pix);
	setMsgSeverity(old);
	return ret;
}

void fx_report_cleanup(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}
