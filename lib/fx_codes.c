/*
 * QR codes and barcodes: leptonica decodes, zbar finds. zbar wants 8-bit
 * grey ("Y800"); leptonica packs pixels big-end first into 32-bit words,
 * so each row is unpacked with its GET_DATA_BYTE accessor.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <allheaders.h>
#include <zbar.h>

#include "fx_codes.h"
#include "fx_image.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_banned.h"

static const char *orientation_name(zbar_orientation_t o)
{
	switch (o) {
	case ZBAR_ORIENT_UP: return "up";
	case ZBAR_ORIENT_RIGHT: return "right";
	case ZBAR_ORIENT_DOWN: return "down";
	case ZBAR_ORIENT_LEFT: return "left";
	default: return "unknown";
	}
}

static long cross(const int *o, const int *a, const int *b)
{
	return (long)(a[0] - o[0]) * (b[1] - o[1]) - (long)(a[1] - o[1]) * (b[0] - o[0]);
}

static int cmp_point(const void *x, const void *y)
{
	const int *a = x, *b = y;

	return a[0] != b[0] ? (a[0] > b[0]) - (a[0] < b[0]) : (a[1] > b[1]) - (a[1] < b[1]);
}

/*
 * A linear code is located by one point per scan line that crossed it:
 * its outline is their convex hull (Andrew's monotone chain), written
 * over pts. Returns the hull's point count.
 */
static unsigned hull(int *pts, unsigned n)
{
	int *h = fx_xmalloc(2 * (2 * n + 1) * sizeof(*h));
	unsigned i, k = 0, lower;

	qsort(pts, n, 2 * sizeof(*pts), cmp_point);
	for (i = 0; i < n; i++) {
		while (k >= 2 && cross(h + 2 * (k - 2), h + 2 * (k - 1), pts + 2 * i) <= 0)
			k--;
		h[2 * k] = pts[2 * i];
		h[2 * k + 1] = pts[2 * i + 1];
		k++;
	}
	for (lower = k + 1, i = n - 1; i-- > 0;) {
		while (k >= lower && cross(h + 2 * (k - 2), h + 2 * (k - 1), pts + 2 * i) <= 0)
			k--;
		h[2 * k] = pts[2 * i];
		h[2 * k + 1] = pts[2 * i + 1];
		k++;
	}
	if (k > 1)
		k--; /* the last point is the first again */
	memcpy(pts, h, 2 * k * sizeof(*pts));
	free(h);
	return k;
}

/* Hands one symbol to fn; returns fn's answer. */
static int report(const zbar_symbol_t *sym, unsigned width, unsigned height, fx_codes_fn fn,
		  void *ctx)
{
	struct fx_code c;
	unsigned i, n = zbar_symbol_get_loc_size(sym);
	int *pts = n ? fx_xmalloc(2 * n * sizeof(*pts)) : NULL;
	int minx = INT_MAX, miny = INT_MAX, maxx = INT_MIN, maxy = INT_MIN, ret;

	for (i = 0; i < n; i++) {
		pts[2 * i] = zbar_symbol_get_loc_x(sym, i);
		pts[2 * i + 1] = zbar_symbol_get_loc_y(sym, i);
		if (pts[2 * i] < minx)
			minx = pts[2 * i];
		if (pts[2 * i] > maxx)
			maxx = pts[2 * i];
		if (pts[2 * i + 1] < miny)
			miny = pts[2 * i + 1];
		if (pts[2 * i + 1] > maxy)
			maxy = pts[2 * i + 1];
	}
	memset(&c, 0, sizeof(c));
	c.symbology = zbar_get_symbol_name(zbar_symbol_get_type(sym));
	c.data = (const unsigned char *)zbar_symbol_get_data(sym);
	c.len = zbar_symbol_get_data_length(sym);
	if (n) {
		/* A linear code is located by its scan lines: a box of height 1 is still a box. */
		c.x = minx;
		c.y = miny;
		c.w = maxx - minx + 1;
		c.h = maxy - miny + 1;
	}
	/* Matrix codes come as their corners, in zbar's order; scan lines become an outline. */
	if (n > 4)
		n = hull(pts, n);
	c.points = pts;
	c.npoints = n;
	c.orientation = orientation_name(zbar_symbol_get_orientation(sym));
	c.quality = zbar_symbol_get_quality(sym);
	c.width = width;
	c.height = height;
	ret = fn(ctx, &c);
	free(pts);
	return ret;
}

int fx_codes_scan_grey(const unsigned char *grey, unsigned width, unsigned height,
		       fx_codes_fn fn, void *ctx, const char **why)
{
	zbar_image_scanner_t *scanner;
	zbar_image_t *img;
	const zbar_symbol_t *sym;
	int n = 0;

	if (!width || !height) {
		if (why)
			*why = "the image has no pixels";
		return -1;
	}
	if ((unsigned long long)width * height > FX_CODES_MAX_PIXELS) {
		if (why)
			*why = "too many pixels to scan";
		return -1;
	}
	scanner = zbar_image_scanner_create();
	img = zbar_image_create();
	if (!scanner || !img) {
		if (img)
			zbar_image_destroy(img);
		if (scanner)
			zbar_image_scanner_destroy(scanner);
		if (why)
			*why = "out of memory";
		return -1;
	}
	/* Every symbology, the payload unconverted, and dark-mode (inverted) codes too. */
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 1);
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_BINARY, 1);
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED, 1);
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, width, height);
	zbar_image_set_data(img, grey, (unsigned long)width * height, NULL);
	if (zbar_scan_image(scanner, img) < 0) {
		if (why)
			*why = "the barcode scanner failed";
		n = -1;
	} else {
		for (sym = zbar_image_first_symbol(img); sym; sym = zbar_symbol_next(sym)) {
			n++;
			if (report(sym, width, height, fn, ctx) != 0)
				break;
		}
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(scanner);
	return n;
}

/* The grey image as zbar wants it: one byte a pixel, rows packed. */
static int scan_pix(const void *img, size_t len, fx_codes_fn fn, void *ctx, const char **why)
{
	struct fx_image_info info;
	l_int32 w, h, i, j, wpl;
	l_uint32 *data, *line;
	unsigned char *buf;
	PIX *grey;
	int n;

	grey = fx_image_grey(img, len, FX_CODES_MAX_PIXELS, 0, &info, why);
	if (!grey)
		return -1;
	w = pixGetWidth(grey);
	h = pixGetHeight(grey);
	wpl = pixGetWpl(grey);
	data = pixGetData(grey);
	buf = fx_xmalloc((size_t)w * (size_t)h);
	for (i = 0; i < h; i++) {
		line = data + (size_t)i * (size_t)wpl;
		for (j = 0; j < w; j++)
			buf[(size_t)i * (size_t)w + (size_t)j] = (unsigned char)GET_DATA_BYTE(line, j);
	}
	pixDestroy(&grey);
	n = fx_codes_scan_grey(buf, (unsigned)w, (unsigned)h, fn, ctx, why);
	free(buf);
	if (n >= 0 && info.damaged)
		*why = info.damaged;
	return n;
}

int fx_codes_scan(const void *img, size_t len, fx_codes_fn fn, void *ctx, const char **why)
{
	const char *dummy;

	if (!why)
		why = &dummy;
	*why = NULL;
	return scan_pix(img, len, fn, ctx, why);
}

void fx_codes_json(const struct fx_code *c, json_t *data)
{
	json_t *poly = json_array();
	size_t i;

	json_object_set_new(data, "symbology", json_string(c->symbology));
	json_object_set_new(data, "payload", fx_json_text(c->data, c->len));
	json_object_set_new(data, "box", json_pack("{s:i,s:i,s:i,s:i}", "x", c->x, "y", c->y,
						   "w", c->w, "h", c->h));
	for (i = 0; i < c->npoints; i++)
		json_array_append_new(poly, json_pack("[i,i]", c->points[2 * i],
						       c->points[2 * i + 1]));
	json_object_set_new(data, "polygon", poly);
	json_object_set_new(data, "orientation", json_string(c->orientation));
	json_object_set_new(data, "quality", json_integer(c->quality));
	json_object_set_new(data, "image_width", json_integer(c->width));
	json_object_set_new(data, "image_height", json_integer(c->height));
}
