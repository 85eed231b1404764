/*
 * ocr_int.h - what lib/ocr/ shares inside: the image made ready for
 * tesseract, and the recognizer's handles.
 */
#ifndef FX_OCR_INT_H
#define FX_OCR_INT_H

#include <allheaders.h>
#include <tesseract/capi.h>

#include "fx_ocr.h"
#include "fx_image.h"
#include "fx_record.h"

/* An image on its way to tesseract; _load/_release pair. */
struct ocr_image {
	PIX *grey;         /* as decoded (at 1/reduction), 8-bit grey */
	PIX *work;         /* what tesseract reads: inverted, normalised, scaled, deskewed */
	int width, height; /* the image as given */
	int reduction;
	int inverted;
	int clean;    /* a screenshot: read without smoothing or stretching */
	double scale; /* work is grey scaled by this, */
	double skew;  /* then turned by this many degrees about its centre */
	int text_h;   /* median character height in grey's pixels (0: none found) */
	struct fx_image_info info;
};

/*
 * Decodes img into im (zeroed first) and prepares work. Returns 0, or -1
 * with *why set (static).
 */
int ocr_image_load(struct ocr_image *im, const void *img, size_t len, const char **why);
void ocr_image_release(struct ocr_image *im);

/* Copies what was done to im into the page's geometry fields. */
void ocr_page_geometry(struct fx_ocr_page *p, const struct ocr_image *im);

/*
 * A region of work (its pixels) scaled so that its text is target pixels
 * high, binarised when asked, with a white border: for reading one value
 * again. New PIX or NULL.
 */
PIX *ocr_image_region(const struct ocr_image *im, int x, int y, int w, int h, int target,
		      int binarize);

struct fx_ocr {
	TessBaseAPI *eng;    /* the page, and Latin words */
	TessBaseAPI *zh;     /* words eng reads badly: Chinese */
	TessBaseAPI *line;   /* one line at a time, a character list when asked */
	TessBaseAPI *zhpage; /* a page mostly Chinese (made on first use) */
};

/* Reads the prepared image im into page (flags: FX_OCR_CHINESE). Returns 0 or -1 (*why set). */
int ocr_read(struct fx_ocr *o, const struct ocr_image *im, unsigned flags, struct fx_ocr_page *page,
	     const char **why);

/*
 * Reads pix (one line of text, nothing else round it) with the English
 * line recognizer, or the Chinese one when zh is set, allowed only the
 * characters of whitelist (NULL: any). Returns the text (malloc'd; caller
 * frees) with *conf its lowest word confidence, or NULL when nothing was
 * read.
 */
char *ocr_read_line(struct fx_ocr *o, PIX *pix, int zh, const char *whitelist, int *conf);

/* Appends a word or line to a page (strings copied). */
size_t ocr_page_add_line(struct fx_ocr_page *p, int x, int y, int w, int h, const char *lang);
void ocr_page_add_word(struct fx_ocr_page *p, const char *text, int conf, int x, int y, int w,
		       int h);
/* Sets each line's text and confidence from its words. */
void ocr_page_finish(struct fx_ocr_page *p);

/* An input file read whole, hashed as read; _read/_release pair. */
struct ocr_input {
	const char *path;    /* borrowed */
	unsigned char *data; /* its bytes, and a spare byte */
	size_t len;
	char sha256[FX_SHA256_HEX];
	struct fx_store_put *put; /* with a case: the object, until kept */
};

/*
 * Reads path (at most max bytes) into in, hashing it, and with a case
 * writing it to the store as it goes. Returns 0; 1 after reporting an
 * input that cannot be read (not a file, too large); -1 on trouble with
 * the case.
 */
int ocr_input_read(struct fx_ocr_run *r, const char *path, size_t max, struct ocr_input *in);
/* Keeps the object (with a case), noting it for the change. Returns 0 or -1. */
int ocr_input_keep(struct fx_ocr_run *r, struct ocr_input *in);
void ocr_input_release(struct ocr_input *in);

/* A record of the run's case and device, src naming in (may be NULL). New reference. */
json_t *ocr_record(struct fx_ocr_run *r, const char *type, const struct ocr_input *in);
/* Adds rec to the case (when there is one) and writes it; steals rec. Returns 0 or -1. */
int ocr_emit(struct fx_ocr_run *r, json_t *rec, const char *where);
/* A change for one input, and its end (rolled back unless ok). Return 0 or -1. */
int ocr_change_begin(struct fx_ocr_run *r, const char *command, const char *path);
int ocr_change_end(struct fx_ocr_run *r, const char *command, const struct ocr_input *in, int ok);

/* An image already decoded to grey (borrowed): as ocr_image_load() after decoding. */
int ocr_image_from_grey(struct ocr_image *im, PIX *grey, const char **why);

/* True when the UTF-8 string has a CJK ideograph. */
int ocr_has_cjk(const char *s);

#endif
