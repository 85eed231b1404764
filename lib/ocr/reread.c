/*
 * A second look at each value of an "About phone" page: its place cut out
 * of the prepared image, enlarged, and read alone as one line, with only
 * the characters its field can have. Read alone, a value is not pulled
 * towards the words around it, and a character list keeps O out of an
 * IMEI and S out of a MAC address.
 *
 * An IMEI is reported only when two reads agree on it and none read
 * another valid one: the Luhn digit catches every single misread digit but
 * only nine in ten double ones, and a wrong IMEI would name the wrong
 * phone in every form of the case.
 */
#include <stdlib.h>
#include <string.h>

#include "ocr_int.h"
#include "fx_err.h"
#include "fx_banned.h"

/* Character height of the second reads: the page's, and larger. */
#define PAGE_H 26
#define REREAD_H 40

static const char *whitelist(int id)
{
	switch (id) {
	case FX_OCR_IMEI:
	case FX_OCR_IMEI2:
		return "0123456789";
	case FX_OCR_MEID:
		return "0123456789ABCDEF";
	case FX_OCR_WIFI_MAC:
	case FX_OCR_BT_MAC:
		return "0123456789abcdefABCDEF:";
	case FX_OCR_PHONE:
		return "0123456789+-() ";
	case FX_OCR_ANDROID:
		return "0123456789.";
	case FX_OCR_SERIAL:
		return "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	case FX_OCR_MODEL:
		return "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -_.+";
	default:
		return NULL;
	}
}

/*
 * Reads the field's region again: binarised or not. Returns the value in
 * its normal form (caller frees) with *conf, or NULL when the read has not
 * the field's form.
 */
static char *reread_at(struct fx_ocr *o, const struct ocr_image *im, const struct fx_ocr_field *f,
		       int id, int bin, int zh, int height, int *conf)
{
	int padx = f->h / 3, pady = f->h / 4, x = f->x - padx, y = f->y - pady;
	char val[128], *t;
	PIX *pix;

	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	pix = ocr_image_region(im, x, y, f->w + 2 * padx, f->h + 2 * pady, height, bin);
	if (!pix)
		return NULL;
	t = ocr_read_line(o, pix, zh, whitelist(id), conf);
	pixDestroy(&pix);
	if (!t || !fx_ocr_normalize((enum fx_ocr_field_id)id, t, val, sizeof(val))) {
		free(t);
		return NULL;
	}
	free(t);
	return fx_xstrdup(val);
}

static char *reread(struct fx_ocr *o, const struct ocr_image *im, const struct fx_ocr_field *f,
		    int id, int bin, int *conf)
{
	return reread_at(o, im, f, id, bin, 0, REREAD_H, conf);
}

static int same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Gives f the value v (taken, may be NULL) read by reads reads. */
static void settle(struct fx_ocr_field *f, char *v, int conf, int reads)
{
	free(f->value);
	f->value = v;
	f->conf = v ? conf : 0;
	f->reads = v ? reads : 0;
}

/*
 * Which of two readings of one character to believe when the English and
 * the Chinese model disagree: the English one but for 5 and S, 1 and
 * l or I, which the English model, biased towards words, gets wrong in
 * serial numbers (R55 read as RSS), and the Chinese one does not.
 */
static char prefer(char e, char z)
{
	if (e == z)
		return e;
	if ((e == 'S' || e == 's') && z == '5')
		return z;
	if ((e == 'l' || e == 'I' || e == 'i' || e == '|') && z == '1')
		return z;
	return e;
}

/*
 * Serial numbers and models: letters and digits with nothing to check
 * them by. Read three more times, alone on their line: by the English
 * model at the page's size and larger, and by the Chinese one. The English
 * reading two of the three English reads agree on (else the page's) is
 * taken, character by character corrected by the Chinese reading where
 * prefer() says so when both have the same length.
 */
static void free_text(struct fx_ocr *o, const struct ocr_image *im, struct fx_ocr_field *f, int id)
{
	int c2 = 0, c3 = 0, cz = 0, conf = f->conf, reads = 1;
	char *e2, *e3, *z, *e;
	size_t i;

	e2 = reread_at(o, im, f, id, 0, 0, PAGE_H, &c2);
	e3 = reread_at(o, im, f, id, 0, 0, REREAD_H, &c3);
	z = reread_at(o, im, f, id, 0, 1, PAGE_H, &cz);
	e = f->value;
	if (!e || (same(e2, e3) && !same(e, e2))) {
		e = e2 ? e2 : e3;
		conf = e == e2 ? c2 : c3;
	}
	if (!e) {
		/* No English read: the Chinese one, when it has the form. */
		e = z;
		conf = cz;
	}
	reads += same(e, e2) + same(e, e3) + (e != f->value && same(e, f->value));
	/* As sure as the surest read that agrees. */
	if (same(e, e2) && c2 > conf)
		conf = c2;
	if (same(e, e3) && c3 > conf)
		conf = c3;
	e = e ? fx_xstrdup(e) : NULL;
	if (e && z && strlen(e) == strlen(z))
		for (i = 0; e[i]; i++)
			e[i] = prefer(e[i], z[i]);
	free(e2);
	free(e3);
	free(z);
	settle(f, e, conf, reads);
}

static void use_alt(struct fx_ocr_field *f)
{
	f->x = f->ax;
	f->y = f->ay;
	f->w = f->aw;
	f->h = f->ah;
	f->alt = 0;
}

/*
 * An IMEI: the page's read and the region's, in grey and binarised, at
 * three sizes as long as no value has two reads; taken when two reads
 * agree on a valid IMEI and no read gives another valid one. Any
 * disagreement counts in *rejected and reports nothing.
 */
static void imei_reads(struct fx_ocr *o, const struct ocr_image *im, struct fx_ocr_field *f, int id,
		       int *rejected)
{
	static const struct {
		int bin, height;
	} tries[] = {{0, REREAD_H}, {1, REREAD_H}, {0, PAGE_H}, {1, 52}, {0, 52}};
	char *vals[8];
	int confs[8], n = 0, k, i, c, agree, best = -1, conflict = 0, place, tried;

	if (f->value) {
		vals[n] = f->value;
		confs[n++] = f->conf;
		f->value = NULL;
	}
	/* Under the label, and when nothing valid is read there, beside it. */
	for (place = 0; place < 2 && best < 0; place++) {
		if (place == 1) {
			if (!f->alt || n)
				break;
			use_alt(f);
		}
		for (k = 0, tried = 0; k < (int)(sizeof(tries) / sizeof(tries[0])); k++, tried++) {
			char *v = reread_at(o, im, f, id, tries[k].bin, 0, tries[k].height, &c);

			if (v) {
				vals[n] = v;
				confs[n++] = c;
			}
			/* Settled: a value with two reads. */
			for (best = -1, i = 0; i < n && best < 0; i++) {
				for (agree = 0, c = 0; c < n; c++)
					agree += same(vals[i], vals[c]);
				if (agree >= 2)
					best = i;
			}
			/* Three tries and nothing valid: it will not come. */
			if (best >= 0 || (tried >= 2 && !n))
				break;
		}
	}
	for (i = 0; best >= 0 && i < n; i++)
		conflict |= !same(vals[i], vals[best]);
	if (best >= 0 && !conflict) {
		for (c = 0, i = 0; i < n; i++)
			c = confs[i] > c ? confs[i] : c;
		settle(f, fx_xstrdup(vals[best]), c, n);
	} else if (n) {
		/* A valid IMEI read once, or two different ones: none is sure. */
		(*rejected)++;
	}
	for (i = 0; i < n; i++)
		free(vals[i]);
}

/*
 * Up to three reads of one field: the page's, the region's in grey, and
 * the region's binarised. An IMEI is always read again: it needs two reads
 * that agree and no third valid one against them. Another field keeps the
 * page's value; when the page gave none of the field's form, it takes the
 * one both region reads agree on.
 */
static void second_read(struct fx_ocr *o, const struct ocr_image *im, struct fx_ocr_field *f,
			int id, int *rejected)
{
	int imei = id == FX_OCR_IMEI || id == FX_OCR_IMEI2, c2 = 0, c3 = 0;
	char *v1, *v2, *v3 = NULL, *pick = NULL;
	int conf = 0, reads = 0;

	if (f->value && (id == FX_OCR_WIFI_MAC || id == FX_OCR_BT_MAC || id == FX_OCR_MEID)) {
		/*
		 * Hex digits without a check (c and e, b and 6 look alike when
		 * blurred): read again; a different reading is taken when the
		 * third read agrees with it.
		 */
		v2 = reread(o, im, f, id, 0, &c2);
		if (v2 && !same(v2, f->value)) {
			v3 = reread(o, im, f, id, 1, &c3);
			if (same(v3, v2)) {
				settle(f, v2, c2 > c3 ? c2 : c3, 2);
				v2 = NULL;
			}
			free(v3);
		} else if (v2) {
			f->reads = 2;
		}
		free(v2);
		return;
	}
	if (!imei && f->value && id != FX_OCR_SERIAL && id != FX_OCR_MODEL)
		return;
	if (id == FX_OCR_SERIAL || id == FX_OCR_MODEL) {
		free_text(o, im, f, id);
		return;
	}
	if (imei) {
		imei_reads(o, im, f, id, rejected);
		return;
	}
	v2 = reread(o, im, f, id, 0, &c2);
	if (!v2 && !f->value && f->alt) {
		/* Not under the label: beside it. */
		use_alt(f);
		v2 = reread(o, im, f, id, 0, &c2);
	}
	v1 = f->value;
	f->value = NULL;
	if (v2 && !v1) {
		v3 = reread(o, im, f, id, 1, &c3);
		if (same(v3, v2)) {
			pick = v2;
			conf = c2 > c3 ? c2 : c3;
			reads = 2;
		}
	}
	if (v1 != pick)
		free(v1);
	if (v2 != pick)
		free(v2);
	free(v3);
	settle(f, pick, conf, reads);
}

int fx_ocr_device_read(struct fx_ocr *o, const void *img, size_t len, struct fx_ocr_page *page,
		       struct fx_ocr_device *d, const char **why)
{
	struct ocr_image im;
	l_int32 old;
	int i, n = 0;

	memset(page, 0, sizeof(*page));
	memset(d, 0, sizeof(*d));
	if (ocr_image_load(&im, img, len, why) < 0) {
		page->width = im.width;
		page->height = im.height;
		return -1;
	}
	ocr_page_geometry(page, &im);
	old = setMsgSeverity(L_SEVERITY_NONE);
	if (ocr_read(o, &im, 0, page, why) < 0) {
		setMsgSeverity(old);
		ocr_image_release(&im);
		return -1;
	}
	fx_ocr_device_parse(page, d);
	for (i = 0; i < FX_OCR_NFIELDS; i++)
		if (d->f[i].has_box && i != FX_OCR_BRAND)
			second_read(o, &im, &d->f[i], i, &d->rejected_imeis);
	setMsgSeverity(old);
	ocr_image_release(&im);
	/* The two IMEIs of one phone differ; the same number twice is one read twice. */
	if (same(d->f[FX_OCR_IMEI].value, d->f[FX_OCR_IMEI2].value))
		settle(&d->f[FX_OCR_IMEI2], NULL, 0, 0);
	for (i = 0; i < FX_OCR_NFIELDS; i++)
		n += d->f[i].value != NULL;
	return n;
}
