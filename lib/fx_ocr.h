/*
 * fx_ocr.h - text in images (tesseract, English and Simplified Chinese),
 * the device details an "About phone" page shows, QR codes and barcodes
 * (fx_codes), PRC identity cards, and the check of a prompted screen
 * recording. The logic of fx-ocr(1); lib/ocr/ holds it.
 *
 * Pages: an image is decoded to grey (fx_image), made ready for
 * recognition (dark mode inverted, local contrast normalised, scaled so
 * that its text is the size tesseract reads best, deskewed), and read into
 * lines and words with their boxes and confidences. Boxes are in the
 * pixels of the image as read (scaled, level); fx_ocr_page_box() gives
 * them in the pixels of the image as given, as records have them.
 */
#ifndef FX_OCR_H
#define FX_OCR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fx_case.h"

/* Image files larger than this are not read. */
#define FX_OCR_MAX_BYTES (128u << 20)
/* Images with more pixels are refused, except JPEGs, decoded smaller. */
#define FX_OCR_MAX_PIXELS (40ull << 20)
/* What a large JPEG is decoded down to, at most (1/2, 1/4 or 1/8 of it). */
#define FX_OCR_JPEG_PIXELS (16ull << 20)

/* ---- recognition ---- */

/* A recognizer: tesseract with its languages loaded. */
struct fx_ocr;

/*
 * Loads tesseract's English and Simplified Chinese models (from
 * $TESSDATA_PREFIX, else tesseract's own place). Returns a new recognizer
 * (caller fx_ocr_free()s) or NULL after reporting which model is missing.
 */
struct fx_ocr *fx_ocr_new(void);
void fx_ocr_free(struct fx_ocr *o);

struct fx_ocr_word {
	char *text;     /* UTF-8, as read */
	int conf;       /* 0 to 100 */
	int x, y, w, h; /* box, in the pixels read */
	size_t line;    /* index of its line */
};

struct fx_ocr_line {
	char *text; /* its words joined by one space */
	int conf;   /* the lowest word confidence */
	int x, y, w, h;
	size_t word, nwords; /* its words: words[word .. word + nwords) */
	const char *lang;    /* "eng" or "chi_sim": the model that read it (static) */
};

/* What was read from one image; _release frees the arrays and strings. */
struct fx_ocr_page {
	struct fx_ocr_line *lines;
	size_t nlines;
	struct fx_ocr_word *words;
	size_t nwords;
	int width, height;  /* the image as given */
	int work_w, work_h; /* the image as read */
	/* what was done to read it */
	int reduction;       /* a large JPEG decoded at 1/2, 1/4, 1/8 */
	int inverted;        /* light text on dark: inverted */
	double scale;        /* the decoded image was scaled by this */
	double skew;         /* and turned by this many degrees */
	int text_height;     /* median character height found, in image pixels */
	const char *damaged; /* static: damage got round in decoding, or NULL */
};
void fx_ocr_page_release(struct fx_ocr_page *p);

/* Maps a box of the page (pixels read) to the pixels of the image as given. */
void fx_ocr_page_box(const struct fx_ocr_page *p, int *x, int *y, int *w, int *h);

/*
 * A page mostly in Chinese (an identity card, a Chinese app's screen):
 * read by the Chinese model first, which reads digits and Latin letters
 * too. Otherwise the English model reads the page and the Chinese one
 * only the words it is unsure of.
 */
#define FX_OCR_CHINESE 0x1

/*
 * Reads the text of an encoded image (img, len bytes, borrowed) into page
 * (the caller's, zeroed by the call). Returns 0, or -1 with *why a static
 * reason when the image cannot be decoded or is too large (nothing is
 * reported: the caller names the file; width and height are set when the
 * header could be read). A page with no text is not an error: nlines is 0.
 */
int fx_ocr_read_image(struct fx_ocr *o, const void *img, size_t len, unsigned flags,
		      struct fx_ocr_page *page, const char **why);

/*
 * The page as an ocr record's data fields (text, confidence, lines, words,
 * image size, preprocessing): a new reference.
 */
json_t *fx_ocr_page_json(const struct fx_ocr_page *p);

/*
 * Builds a page from plain text, one line per '\n', for tests and for
 * text read elsewhere: each line gets a made-up box (lines 40 pixels
 * apart, words split at spaces) and confidence 90. Text after a tab
 * starts a new line on the same row, to the right (a two-column page).
 */
void fx_ocr_page_from_text(struct fx_ocr_page *p, const char *text);

/* ---- device details ---- */

/* One field read: its value (normalised) and confidence. */
struct fx_ocr_field {
	const char *name; /* device record field: "imei", "model", … (static) */
	char *value;      /* malloc'd; NULL when not found */
	int conf;         /* 0 to 100 */
	int x, y, w, h;   /* where the value is on the page (pixels read) */
	int has_box;      /* the box is set: the value's, or where it likely is */
	int reads;        /* reads that agreed on the value (fx_ocr_device_read) */
	int alt;          /* nothing was read near the label: a second place to look */
	int ax, ay, aw, ah;
};

/* The fields fx-ocr device reads, in record order. */
enum fx_ocr_field_id {
	FX_OCR_IMEI,
	FX_OCR_IMEI2,
	FX_OCR_MEID,
	FX_OCR_SERIAL,
	FX_OCR_MODEL,
	FX_OCR_BRAND,
	FX_OCR_ANDROID,
	FX_OCR_PHONE,
	FX_OCR_WIFI_MAC,
	FX_OCR_BT_MAC,
	FX_OCR_NFIELDS
};

struct fx_ocr_device {
	struct fx_ocr_field f[FX_OCR_NFIELDS];
	int rejected_imeis; /* numbers after an IMEI label that failed their check */
};
void fx_ocr_device_release(struct fx_ocr_device *d);

/*
 * Finds the device fields in page: English and Chinese labels (Model /
 * 型号, Serial number / 序列号, IMEI1, Android version / Android 版本, …)
 * in any order, with the value beside the label, after it on its line, or
 * on the line below; each value checked for its form (an IMEI is 15 digits
 * with a valid Luhn digit: anything else is never one). d is zeroed first.
 * Returns the number of fields found.
 */
int fx_ocr_device_parse(const struct fx_ocr_page *page, struct fx_ocr_device *d);

/*
 * As fx_ocr_device_parse() on an image, re-reading each value that fails
 * its check, or is read with little confidence, from its own region of the
 * image (digits only where only digits can be); a re-read IMEI is taken
 * only when two reads agree. page gets the page read. Returns the number
 * of fields, or -1 with *why set as fx_ocr_read_image().
 */
int fx_ocr_device_read(struct fx_ocr *o, const void *img, size_t len, struct fx_ocr_page *page,
		       struct fx_ocr_device *d, const char **why);

/*
 * The normalised form of a value read for field id, into out (size n):
 * returns 1 when raw has that form (an IMEI of 15 digits whose Luhn digit
 * checks, a MAC address of 12 hex digits written aa:bb:cc:dd:ee:ff, …),
 * else 0. Letters OCR confuses with digits (O 0, l 1, S 5, B 8) are read
 * as digits where only digits can be.
 */
int fx_ocr_normalize(enum fx_ocr_field_id id, const char *raw, char *out, size_t n);

/* ---- PRC resident identity cards ---- */

struct fx_ocr_idcard {
	char *number;                                /* the 18 characters; NULL when not found */
	int number_valid;                            /* its MOD 11-2 check character is right */
	char *name, *sex, *nation, *birth, *address; /* as printed; NULL when not read */
	int conf;                                    /* the number's confidence */
};
void fx_ocr_idcard_release(struct fx_ocr_idcard *c);

/* The card as an idcard record's data fields. New reference. */
json_t *fx_ocr_idcard_json(const struct fx_ocr_idcard *c);

/*
 * Finds the identity number (an 18-character run, digits and a last
 * digit or X, whose check character is right; a number that fails is kept
 * with number_valid 0 only when no valid one is on the page) and the
 * name, sex, ethnicity, birth date and address after their labels (姓名,
 * 性别, 民族, 出生, 住址). Returns 1 when a number was found, else 0.
 */
int fx_ocr_idcard_parse(const struct fx_ocr_page *page, struct fx_ocr_idcard *c);

/* ---- prompt-check ---- */

struct fx_ocr_step {
	char *text;     /* what the step must show */
	double display; /* seconds its prompt is shown */
};

struct fx_ocr_steps {
	struct fx_ocr_step *steps;
	size_t n;
	double window;     /* seconds of frames fixed as evidence after the prompts */
	double similarity; /* frames at least this alike are merged (0 to 1; 0.995) */
	double tolerance;  /* seconds a step may come late */
};
/*
 * Parses a steps file: {"steps":[{"text":"…","display":3}, …],
 * "window":10, "similarity":0.995, "tolerance":1} (the last two optional). Returns 0, or -1 after
 * reporting what is wrong, naming path (and the line of a JSON error).
 */
int fx_ocr_steps_load(const char *path, struct fx_ocr_steps *s);
void fx_ocr_steps_release(struct fx_ocr_steps *s);

/*
 * True when text (OCR output) contains want, compared without white space,
 * case or the width of full-width forms, with at most one edit in ten
 * characters of want, and none to a digit (an id must be exact).
 */
int fx_ocr_contains(const char *text, const char *want);

/*
 * How alike two grey thumbnails of n bytes are: the share of pixels that
 * differ by less than 24 levels (1.0: the same picture).
 */
double fx_ocr_similarity(const unsigned char *a, const unsigned char *b, size_t n);

/* ---- the commands ---- */

struct fx_ocr_run {
	struct fx_case *c;  /* store inputs and records here, or NULL */
	FILE *out;          /* records go here */
	const char *device; /* --device KEY for every record, or NULL */
	int quiet;
	double fps; /* prompt-check: frame rate of frames without times, or of video sampling */
	struct fx_ocr *o; /* made on first use; fx_ocr_run_release() frees it */
	uint64_t images, problems;
	int negative; /* a negative result was reported (an identity number that fails) */
};
void fx_ocr_run_release(struct fx_ocr_run *r);

/*
 * Each command on one input: an ocr record (text), a device record
 * (device: merged into the case's device list by its key), code records
 * (codes), an idcard record (idcard). With a case, the image is stored
 * as an object and its records added, in one change with its custody
 * entry. Returns 0; 1 when the input could not be processed (reported,
 * naming it: the caller goes on with the next); -1 on trouble that stops
 * everything (the case cannot be written).
 */
int fx_ocr_text(struct fx_ocr_run *r, const char *path);
int fx_ocr_device(struct fx_ocr_run *r, const char *path);
int fx_ocr_codes(struct fx_ocr_run *r, const char *path);
int fx_ocr_idcard(struct fx_ocr_run *r, const char *path);

/*
 * Checks frames (n image paths, or one video decoded by ffmpeg) against
 * the steps file; writes a verdict record, and with a case stores the
 * frames of the capture window after the last step. Returns 0 for a match,
 * 1 for no match or input that could not be read (reported), -1 on trouble.
 */
int fx_ocr_prompt_check(struct fx_ocr_run *r, const char *steps, char **inputs, size_t n);

#endif
