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
#include "fx_err.h"
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

/* pix as 8-bit grey, transparency laid on white. New PIX, or NULL. */
static PIX *to_grey(PIX *pix)
{
	PIX *flat = NULL, *grey;

	if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4)
		flat = pixAlphaBlendUniform(pix, 0xffffff00);
	grey = pixConvertTo8(flat ? flat : pix, 0);
	pixDestroy(&flat);
	return grey;
}

/*
 * libjpeg and libpng print their own complaints about a file cut short,
 * whatever leptonica is told; so a truncated file is caught here first, and
 * the caller gets the reason instead.
 */
static int jpeg_complete(const unsigned char *p, size_t len)
{
	size_t i = 2, seg;
	unsigned char m;

	while (i + 1 < len) {
		if (p[i] != 0xff)
			return 0;
		while (i < len && p[i] == 0xff)
			i++;
		if (i >= len)
			return 0;
		m = p[i++];
		if (m == 0xd9)
			return 1;
		if ((m >= 0xd0 && m <= 0xd7) || m == 0x01)
			continue;
		if (i + 2 > len)
			return 0;
		seg = (size_t)p[i] << 8 | p[i + 1];
		if (seg < 2 || i + seg > len)
			return 0;
		i += seg;
		/* After the start of scan: the entropy-coded data must end in EOI somewhere. */
		if (m == 0xda) {
			for (; i + 1 < len; i++)
				if (p[i] == 0xff && p[i + 1] == 0xd9)
					return 1;
			return 0;
		}
	}
	return 0;
}

/* CRC-32 of PNG chunks, four bits at a time: a small constant table. */
static uint32_t crc32_png(const unsigned char *p, size_t n)
{
	static const uint32_t nib[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
		0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	uint32_t c = 0xffffffffu;
	size_t i;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		c = (c >> 4) ^ nib[c & 15];
		c = (c >> 4) ^ nib[c & 15];
	}
	return ~c;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Walks a PNG's chunks to IEND, checking each CRC. Returns 0 when all is
 * well; 1 when only ancillary chunks (lowercase first letter) fail: *copy
 * (caller frees) then holds the PNG without them, for libpng to decode the
 * pixels without complaint; -1 when the file is cut short; -2 when a
 * critical chunk (header, palette, pixels) is damaged.
 */
static int png_check(const unsigned char *p, size_t len, unsigned char **copy, size_t *clen)
{
	size_t i = 8, bad = 0, k;
	uint32_t n;
	int pass;

	*copy = NULL;
	for (pass = 0; pass < 2; pass++) {
		for (i = 8;; i += 12 + (size_t)n) {
			if (len < 12 || i > len - 12)
				return -1;
			n = get32(p + i);
			if (n > len - i - 12)
				return -1;
			k = crc32_png(p + i + 4, (size_t)n + 4) == get32(p + i + 8 + n);
			if (!k && !(p[i + 4] & 0x20))
				return -2;
			if (!k)
				bad++;
			else if (pass == 1) {
				memcpy(*copy + *clen, p + i, 12 + (size_t)n);
				*clen += 12 + (size_t)n;
			}
			if (memcmp(p + i + 4, "IEND", 4) == 0)
				break;
		}
		if (!bad)
			return 0;
		if (pass == 0) {
			*copy = fx_xmalloc(len);
			memcpy(*copy, p, 8);
			*clen = 8;
		}
	}
	return 1;
}

static int scan_pix(const void *img, size_t len, fx_codes_fn fn, void *ctx, const char **why)
{
	const l_uint8 *bytes = img;
	l_int32 format = IFF_UNKNOWN, w = 0, h = 0, bps, spp, cmap, i, j, wpl, nwarn = 0;
	l_uint32 *data, *line;
	PIX *pix = NULL, *grey;
	unsigned char *buf, *copy = NULL;
	const char *damaged = NULL;
	size_t clen = 0;
	int n = -1, pc = 0;

	*why = NULL;
	if (len < 12 || findFileFormatBuffer(bytes, &format) != 0 || format == IFF_UNKNOWN) {
		*why = "not an image format that can be decoded";
		return -1;
	}
	if (format == IFF_PNG)
		pc = png_check(bytes, len, &copy, &clen);
	if ((format == IFF_JFIF_JPEG && !jpeg_complete(bytes, len)) || pc == -1) {
		*why = "the image is truncated or its structure is damaged";
		return -1;
	}
	if (pc == -2) {
		*why = "the image is damaged: a PNG header, palette or pixel chunk fails its CRC";
		return -1;
	}
	if (pc == 1) {
		bytes = copy;
		len = clen;
		damaged = "damaged image data: PNG chunks that fail their CRC were left out";
	}
	if (pixReadHeaderMem(bytes, len, &format, &w, &h, &bps, &spp, &cmap) != 0 || w <= 0 ||
	    h <= 0) {
		*why = "the image header cannot be read";
		goto out;
	}
	if ((unsigned long long)w * (unsigned long long)h > FX_CODES_MAX_PIXELS) {
		*why = "too many pixels to scan";
		goto out;
	}
	/*
	 * JPEG: the luminance alone is what is needed, at a quarter of the
	 * memory; damaged data is decoded as far as it goes, and said.
	 */
	if (format == IFF_JFIF_JPEG)
		pix = pixReadMemJpeg(bytes, len, 0, 1, &nwarn,
				     L_JPEG_READ_LUMINANCE | L_JPEG_CONTINUE_WITH_BAD_DATA);
	else
		pix = pixReadMem(bytes, len);
	if (!pix) {
		*why = "the image cannot be decoded (damaged data)";
		goto out;
	}
	grey = to_grey(pix);
	pixDestroy(&pix);
	if (!grey) {
		*why = "the image cannot be made grey";
		goto out;
	}
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
	if (n >= 0 && nwarn > 0)
		*why = "damaged image data: scanned as far as it could be decoded";
	else if (n >= 0 && damaged)
		*why = damaged;
out:
	free(copy);
	return n;
}

int fx_codes_scan(const void *img, size_t len, fx_codes_fn fn, void *ctx, const char **why)
{
	const char *dummy;
	l_int32 old;
	int n;

	if (!why)
		why = &dummy;
	*why = NULL;
	/* Leptonica prints to stderr by default; the caller reports, naming the file. */
	old = setMsgSeverity(L_SEVERITY_NONE);
	n = scan_pix(img, len, fn, ctx, why);
	setMsgSeverity(old);
	return n;
}
