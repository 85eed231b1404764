/*
 * Images made ready for tesseract with leptonica. Photographs of screens
 * are what they are: taken at an angle, unevenly lit, washed out, in dark
 * mode, with text of any size. Tesseract reads dark text on a light, even
 * background, at a few tens of pixels a line, with lines level; so the
 * grey image is inverted when it is mostly dark, scaled so that its
 * characters are TARGET_H pixels high (found from the connected
 * components of a first binarisation), its background flattened, its
 * local contrast stretched, and turned level.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr_int.h"
#include "fx_err.h"
#include "fx_banned.h"

/* Median character height tesseract gets (its LSTM lines are 36 pixels high). */
#define TARGET_H 26
/* The most pixels a page is read at, whatever its text size. */
#define MAX_WORK_PIXELS (24u << 20)
/* Analysis (text size, polarity) runs on a copy at most this wide or high. */
#define ANALYSIS_SIDE 2000

void ocr_image_release(struct ocr_image *im)
{
	pixDestroy(&im->grey);
	pixDestroy(&im->work);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Dark text on white from a grey image, by Sauvola's local threshold:
 * unevenly lit and washed-out text comes out, and flat noisy background
 * does not (its local deviation is small). half is the window's half size.
 */
static PIX *binarize(PIX *grey, int half)
{
	PIX *bin = NULL;

	if (half < 8)
		half = 8;
	if (pixSauvolaBinarize(grey, half, 0.34f, 1, NULL, NULL, NULL, &bin) != 0)
		return NULL;
	return bin;
}

/*
 * The character-like connected components of bin: taller than 4 pixels,
 * not wider than three times their height (joined letters of blurred text
 * and rules are left out), smaller than an eighth of the image. New PIX.
 */
static PIX *char_like(PIX *bin)
{
	int maxh = pixGetHeight(bin) / 8 > 8 ? pixGetHeight(bin) / 8 : 8;
	PIX *a, *b, *c;

	a = pixSelectBySize(bin, 3 * maxh, maxh, 8, L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL);
	if (!a)
		return NULL;
	b = pixSelectBySize(a, 0, 4, 8, L_SELECT_HEIGHT, L_SELECT_IF_GT, NULL);
	pixDestroy(&a);
	if (!b)
		return NULL;
	c = pixSelectByWidthHeightRatio(b, 3.0f, 8, L_SELECT_IF_LTE, NULL);
	pixDestroy(&b);
	return c;
}

/*
 * The median height of the components of chars, or 0 when fewer than 8
 * are found: no text to speak of.
 */
static int median_char_height(PIX *chars)
{
	BOXA *boxa = pixConnCompBB(chars, 8);
	int i, n, k = 0, x, y, w, h, *hs, med = 0;

	if (!boxa)
		return 0;
	n = boxaGetCount(boxa);
	hs = fx_xmalloc(sizeof(*hs) * (size_t)(n ? n : 1));
	for (i = 0; i < n; i++)
		if (boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h) == 0)
			hs[k++] = h;
	if (k >= 8) {
		qsort(hs, (size_t)k, sizeof(*hs), cmp_int);
		/* The upper middle: x-height letters and punctuation pull the plain median down. */
		med = hs[k * 3 / 5];
	}
	free(hs);
	boxaDestroy(&boxa);
	return med;
}

struct cbox {
	int x, y, w, h;
};

static int cmp_cbox_x(const void *a, const void *b)
{
	const struct cbox *p = a, *q = b;

	return (p->x > q->x) - (p->x < q->x);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The skew of the text, in degrees (leptonica's sense: turning the image
 * clockwise by it levels the lines), from neighbouring characters: each
 * character and the next one to its right of about its height, close
 * by, give the slope of the line through their bottoms. The median of
 * those slopes is the skew; descenders and stray pairs do not move a
 * median. Returns 0 with *deg set, or -1 when fewer than 20 pairs are
 * found. Leptonica's own sweep (pixFindSkew) weighs whole rows of pixels,
 * which a page of short labels far from their values, seen at an angle,
 * does not give it.
 */
static int skew_of(PIX *chars, double *deg)
{
	BOXA *boxa = pixConnCompBB(chars, 8);
	struct cbox *b;
	double *slopes = NULL, dx, dy;
	size_t ns = 0, cap = 0;
	int i, j, n, ret = -1;

	if (!boxa)
		return -1;
	n = boxaGetCount(boxa);
	b = fx_xmalloc(sizeof(*b) * (size_t)(n ? n : 1));
	for (i = 0; i < n; i++)
		boxaGetBoxGeometry(boxa, i, &b[i].x, &b[i].y, &b[i].w, &b[i].h);
	boxaDestroy(&boxa);
	qsort(b, (size_t)n, sizeof(*b), cmp_cbox_x);
	for (i = 0; i < n; i++) {
		int best = -1, best_gap = 1 << 30;

		for (j = i + 1; j < n && b[j].x < b[i].x + b[i].w + b[i].h; j++) {
			int gap = b[j].x - (b[i].x + b[i].w);

			if (gap < -b[i].w / 4 || abs(b[j].h - b[i].h) * 5 > b[i].h ||
			    abs((b[j].y + b[j].h / 2) - (b[i].y + b[i].h / 2)) * 2 > b[i].h)
				continue;
			if (gap < best_gap) {
				best_gap = gap;
				best = j;
			}
		}
		if (best < 0)
			continue;
		dx = (b[best].x + b[best].w / 2.0) - (b[i].x + b[i].w / 2.0);
		dy = (b[best].y + b[best].h) - (double)(b[i].y + b[i].h);
		if (dx < 2)
			continue;
		if (ns == cap) {
			cap = cap ? 2 * cap : 256;
			slopes = fx_xrealloc(slopes, sizeof(*slopes) * cap);
		}
		slopes[ns++] = dy / dx;
	}
	if (ns >= 20) {
		qsort(slopes, ns, sizeof(*slopes), cmp_double);
		/* Rising to the right (dy < 0) wants a clockwise turn: a positive angle. */
		*deg = -atan(slopes[ns / 2]) * 180.0 / M_PI;
		ret = 0;
	}
	free(slopes);
	free(b);
	return ret;
}

/*
 * Local contrast: each pixel measured against the mean and deviation of
 * the window of half size r around it, so that faint text on a washed-out
 * photo comes out as dark as crisp text on a screenshot. The deviation
 * has a floor: flat, noisy background is not blown up into speckle.
 */
static PIX *local_contrast(PIX *pix, int r, double floor_sd, double gain)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix), wpl = pixGetWpl(pix), x, y;
	int x0, x1, y0, y1, dwpl, v;
	double *s1, *s2, n, m, var, sd, out;
	l_uint32 *src = pixGetData(pix), *dst, *line;
	size_t W = (size_t)w + 1, i;
	PIX *d;

	d = pixCreate(w, h, 8);
	if (!d)
		return NULL;
	dst = pixGetData(d);
	dwpl = pixGetWpl(d);
	/* Summed-area tables of v and v^2, one row and column of zeros first. */
	s1 = fx_xcalloc(W * ((size_t)h + 1), sizeof(*s1));
	s2 = fx_xcalloc(W * ((size_t)h + 1), sizeof(*s2));
	for (y = 0; y < h; y++) {
		double r1 = 0, r2 = 0;

		line = src + (size_t)y * (size_t)wpl;
		for (x = 0; x < w; x++) {
			v = (int)GET_DATA_BYTE(line, x);
			r1 += v;
			r2 += (double)v * v;
			i = (size_t)(y + 1) * W + (size_t)x + 1;
			s1[i] = s1[i - W] + r1;
			s2[i] = s2[i - W] + r2;
		}
	}
	for (y = 0; y < h; y++) {
		y0 = y - r < 0 ? 0 : y - r;
		y1 = y + r + 1 > h ? h : y + r + 1;
		line = src + (size_t)y * (size_t)wpl;
		for (x = 0; x < w; x++) {
			x0 = x - r < 0 ? 0 : x - r;
			x1 = x + r + 1 > w ? w : x + r + 1;
			n = (double)(x1 - x0) * (y1 - y0);
#define AT(t, yy, xx) (t[(size_t)(yy)*W + (size_t)(xx)])
			m = (AT(s1, y1, x1) - AT(s1, y0, x1) - AT(s1, y1, x0) + AT(s1, y0, x0)) / n;
			var = (AT(s2, y1, x1) - AT(s2, y0, x1) - AT(s2, y1, x0) + AT(s2, y0, x0)) /
				      n -
			      m * m;
#undef AT
			sd = var > 0 ? sqrt(var) : 0;
			if (sd < floor_sd)
				sd = floor_sd;
			out = 190 + ((int)GET_DATA_BYTE(line, x) - m) * gain / sd;
			v = out < 0 ? 0 : out > 255 ? 255 : (int)out;
			SET_DATA_BYTE(dst + (size_t)y * (size_t)dwpl, x, v);
		}
	}
	free(s1);
	free(s2);
	return d;
}

/*
 * The image tesseract reads: local contrast stretched (see local_contrast)
 * after a 3 x 3 mean, which takes the edge off sensor noise and JPEG
 * blocks without blurring text of TARGET_H pixels. This evens out uneven
 * light too, and washed-out photos come out as dark as screenshots.
 */
static PIX *normalize(PIX *pix)
{
	PIX *sm = pixBlockconv(pix, 1, 1), *out;

	if (!sm)
		return NULL;
	out = local_contrast(sm, TARGET_H, 14.0, 60.0);
	pixDestroy(&sm);
	return out;
}

/*
 * A screenshot, not a photo: most pixels equal to the mean of their 3 x 3
 * neighbourhood (flat background, no sensor noise, no JPEG blocks), and
 * the background near white or near black, no shade of grey in between
 * the light or a camera's exposure would give it.
 */
static int is_clean(PIX *pix)
{
	PIX *mean = pixBlockconv(pix, 1, 1);
	int w = pixGetWidth(pix), h = pixGetHeight(pix), x, y, flat = 0, n = 0;
	l_uint32 *a, *b, bg = 128;

	if (!mean)
		return 0;
	for (y = 1; y < h - 1; y += 3) {
		a = pixGetData(pix) + (size_t)y * (size_t)pixGetWpl(pix);
		b = pixGetData(mean) + (size_t)y * (size_t)pixGetWpl(mean);
		for (x = 1; x < w - 1; x += 3, n++)
			flat += abs((int)GET_DATA_BYTE(a, x) - (int)GET_DATA_BYTE(b, x)) <= 1;
	}
	pixDestroy(&mean);
	pixGetRankValue(pix, 2, 0.5f, &bg);
	return n && flat * 10 >= n * 8 && (bg >= 225 || bg <= 30);
}

static PIX *scale(PIX *pix, double s)
{
	if (fabs(s - 1.0) < 0.02)
		return pixClone(pix);
	if (s < 0.7)
		return pixScaleAreaMap(pix, (l_float32)s, (l_float32)s);
	return pixScaleGrayLI(pix, (l_float32)s, (l_float32)s);
}

/* The median grey of the middle half (in each direction) of pix. Returns 0 or -1. */
static int central_median(PIX *pix, l_uint32 *median)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix), ret;
	BOX *box = boxCreate(w / 4, h / 4, w / 2 > 0 ? w / 2 : 1, h / 2 > 0 ? h / 2 : 1);
	PIX *mid = box ? pixClipRectangle(pix, box, NULL) : NULL;

	boxDestroy(&box);
	ret = pixGetRankValue(mid ? mid : pix, 2, 0.5f, median) != 0 ? -1 : 0;
	pixDestroy(&mid);
	return ret;
}

static int prepare(struct ocr_image *im, const char **why)
{
	PIX *ana, *norm, *bin, *chars, *scaled, *rot;
	l_uint32 median = 255;
	l_float32 angle = 0, conf = 0;
	int w = pixGetWidth(im->grey), h = pixGetHeight(im->grey), side = w > h ? w : h, th;
	double a = side > ANALYSIS_SIDE ? (double)ANALYSIS_SIDE / side : 1.0, s, sk;

	/* Polarity and text size from a copy of bounded size. */
	ana = scale(im->grey, a);
	if (!ana || central_median(ana, &median) != 0) {
		pixDestroy(&ana);
		*why = "the image cannot be analysed";
		return -1;
	}
	/*
	 * Mostly dark: a dark-mode screen; tesseract wants dark text on light.
	 * The middle half of the image tells: a photo's screen is there, the
	 * desk around it, dark or light, is not.
	 */
	im->inverted = median < 110;
	if (im->inverted) {
		/* Not in place: ana may be a clone of grey. */
		PIX *inv = pixInvert(NULL, ana);

		pixDestroy(&ana);
		ana = inv;
	}
	im->clean = is_clean(ana);
	norm = normalize(ana);
	bin = norm ? binarize(norm, 12) : NULL;
	chars = bin ? char_like(bin) : NULL;
	th = chars ? median_char_height(chars) : 0;
	if (chars && th && skew_of(chars, &sk) == 0) {
		angle = (l_float32)sk;
		conf = 10.0f;
	}
	pixDestroy(&chars);
	pixDestroy(&bin);
	pixDestroy(&norm);
	pixDestroy(&ana);
	im->text_h = th ? (int)lround(th / a) : 0;
	s = im->text_h ? (double)TARGET_H / im->text_h : 1.0;
	if (s > 4.0)
		s = 4.0;
	if (s < 0.2)
		s = 0.2;
	if ((double)w * h * s * s > MAX_WORK_PIXELS)
		s = sqrt((double)MAX_WORK_PIXELS / ((double)w * h));
	im->scale = s;
	scaled = scale(im->grey, s);
	if (!scaled) {
		*why = "the image cannot be scaled";
		return -1;
	}
	if (im->inverted) {
		PIX *inv = pixInvert(NULL, scaled);

		pixDestroy(&scaled);
		scaled = inv;
	}
	/*
	 * A screenshot is read as it is: smoothing and stretching are for
	 * photos, and would thicken the strokes of small Chinese characters.
	 */
	im->work = im->clean ? pixClone(scaled) : normalize(scaled);
	pixDestroy(&scaled);
	if (!im->work) {
		*why = "the image cannot be normalised";
		return -1;
	}
	/* Level the lines, when their skew is clear enough to trust. */
	if (conf >= 2.0f && fabsf(angle) >= 0.15f) {
		rot = pixRotate(im->work, angle * (l_float32)(M_PI / 180.0), L_ROTATE_AREA_MAP,
				L_BRING_IN_WHITE, 0, 0);
		if (rot) {
			pixDestroy(&im->work);
			im->work = rot;
			im->skew = angle;
		}
	}
	return 0;
}

static int prepare_quietly(struct ocr_image *im, const char **why)
{
	l_int32 old = setMsgSeverity(L_SEVERITY_NONE);
	int ret = prepare(im, why);

	setMsgSeverity(old);
	if (ret < 0)
		ocr_image_release(im);
	return ret;
}

int ocr_image_load(struct ocr_image *im, const void *img, size_t len, const char **why)
{
	memset(im, 0, sizeof(*im));
	im->grey = fx_image_grey(img, len, FX_OCR_MAX_PIXELS, FX_OCR_JPEG_PIXELS, &im->info, why);
	im->width = im->info.width;
	im->height = im->info.height;
	if (!im->grey) {
		if (*why && strcmp(*why, "too many pixels to scan") == 0)
			*why = "too many pixels to read";
		return -1;
	}
	im->reduction = im->info.reduction;
	return prepare_quietly(im, why);
}

int ocr_image_from_grey(struct ocr_image *im, PIX *grey, const char **why)
{
	memset(im, 0, sizeof(*im));
	im->grey = pixClone(grey);
	im->width = pixGetWidth(grey);
	im->height = pixGetHeight(grey);
	im->reduction = 1;
	im->info.width = im->width;
	im->info.height = im->height;
	im->info.reduction = 1;
	return prepare_quietly(im, why);
}

PIX *ocr_image_region(const struct ocr_image *im, int x, int y, int w, int h, int target,
		      int binarize_it)
{
	BOX *box;
	PIX *cut, *big, *out;
	double s;

	if (w <= 0 || h <= 0)
		return NULL;
	box = boxCreate(x, y, w, h);
	cut = pixClipRectangle(im->work, box, NULL);
	boxDestroy(&box);
	if (!cut)
		return NULL;
	s = (double)target / TARGET_H;
	big = scale(cut, s);
	pixDestroy(&cut);
	if (!big)
		return NULL;
	if (binarize_it) {
		PIX *bin = binarize(big, 2 * target);

		if (bin) {
			pixDestroy(&big);
			big = pixConvertTo8(bin, 0);
			pixDestroy(&bin);
			if (!big)
				return NULL;
		}
	}
	/*
	 * No border: read as one line, the whole image is the line, and
	 * tesseract scales it to its line height; white around the text would
	 * make the text smaller (R55 read as RSS).
	 */
	out = big;
	return out;
}

void ocr_page_geometry(struct fx_ocr_page *p, const struct ocr_image *im)
{
	p->width = im->width;
	p->height = im->height;
	p->work_w = pixGetWidth(im->work);
	p->work_h = pixGetHeight(im->work);
	p->reduction = im->reduction;
	p->inverted = im->inverted;
	p->scale = im->scale;
	p->skew = im->skew;
	p->text_height = im->text_h * im->reduction;
	p->damaged = im->info.damaged;
}

/* Rotates (x, y) by deg degrees about (cx, cy), clockwise as leptonica turns images. */
static void turn(double deg, double cx, double cy, double *x, double *y)
{
	double r = deg * M_PI / 180.0, dx = *x - cx, dy = *y - cy;

	*x = cx + dx * cos(r) - dy * sin(r);
	*y = cy + dx * sin(r) + dy * cos(r);
}

void fx_ocr_page_box(const struct fx_ocr_page *p, int *x, int *y, int *w, int *h)
{
	double px[4] = {*x, *x + *w, *x + *w, *x}, py[4] = {*y, *y, *y + *h, *y + *h};
	double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18, f;
	int i;

	f = p->reduction / (p->scale > 0 ? p->scale : 1.0);
	for (i = 0; i < 4; i++) {
		if (p->skew != 0)
			turn(-p->skew, p->work_w / 2.0, p->work_h / 2.0, &px[i], &py[i]);
		px[i] *= f;
		py[i] *= f;
		minx = px[i] < minx ? px[i] : minx;
		miny = py[i] < miny ? py[i] : miny;
		maxx = px[i] > maxx ? px[i] : maxx;
		maxy = py[i] > maxy ? py[i] : maxy;
	}
	minx = minx < 0 ? 0 : minx;
	miny = miny < 0 ? 0 : miny;
	maxx = p->width && maxx > p->width ? p->width : maxx;
	maxy = p->height && maxy > p->height ? p->height : maxy;
	*x = (int)lround(minx);
	*y = (int)lround(miny);
	*w = (int)lround(maxx - minx);
	*h = (int)lround(maxy - miny);
	if (*w < 0)
		*w = 0;
	if (*h < 0)
		*h = 0;
}
