/*
 * fx_codes.h - QR codes and barcodes in images: the image is decoded with
 * leptonica (JPEG, PNG, WebP, TIFF, BMP, GIF, as the library was built),
 * made grey, and scanned by zbar for every symbology it knows. fx-pull's
 * Android parsers use it on photos and screenshots; fx-ocr on frames.
 *
 * Payloads are the bytes the symbol encodes, never converted: zbar is asked
 * for binary data, so a UTF-8 payload comes out as UTF-8 and anything else
 * (GBK, Shift-JIS, raw bytes) as it is, for the caller to keep as hex.
 */
#ifndef FX_CODES_H
#define FX_CODES_H

#include <stddef.h>

#include <jansson.h>

/* Images with more pixels are refused, to bound memory (decoded, grey: 1 byte a pixel). */
#define FX_CODES_MAX_PIXELS (64u * 1024 * 1024)

/* One symbol found. Everything is borrowed for the time of the callback only. */
struct fx_code {
	const char *symbology;     /* zbar's name: "QR-Code", "EAN-13", "CODE-128", … */
	const unsigned char *data; /* the payload, exactly as encoded; not NUL-terminated */
	size_t len;
	int x, y, w, h;            /* bounding box of the points, in image pixels */
	/*
	 * The outline, npoints (x, y) pairs: a QR code's four corners as
	 * zbar orders them, a linear code's convex hull of its scan lines.
	 */
	const int *points;
	size_t npoints;
	const char *orientation;   /* "up", "right", "down", "left" or "unknown" */
	int quality;               /* zbar's quality score (higher is better) */
	unsigned width, height;    /* of the whole image */
};

/* Called once per symbol, in zbar's order; returns 0 to go on, non-zero to stop. */
typedef int (*fx_codes_fn)(void *ctx, const struct fx_code *code);

/*
 * Scans an encoded image (img, len bytes: borrowed) for codes, calling fn
 * for each. Returns the number of symbols passed to fn (0 when there are
 * none), or -1 when the image cannot be scanned: *why (when why is not
 * NULL) then gets a static lowercase reason ("not an image format that can
 * be decoded", "the image is truncated or its structure is damaged", "too
 * many pixels to scan", …). A JPEG whose data is damaged is scanned as far
 * as it decodes: the count is returned and *why says so too; else *why is
 * NULL. Reports nothing itself, so that the caller can name the file in its
 * own message; leptonica's messages are silenced during the call (a
 * damaged JPEG may still make libjpeg print its own warning).
 */
int fx_codes_scan(const void *img, size_t len, fx_codes_fn fn, void *ctx, const char **why);

/*
 * As fx_codes_scan() for an 8-bit grey image already decoded: width x
 * height bytes, row after row (borrowed). Returns the count, or -1 with
 * *why set for a size that is zero or too large.
 */
int fx_codes_scan_grey(const unsigned char *grey, unsigned width, unsigned height,
		       fx_codes_fn fn, void *ctx, const char **why);

/*
 * Sets the fields of a code record (fx-record(5)) for c in data (an
 * object, borrowed): symbology, payload (text, or hex when not UTF-8),
 * box, polygon, orientation, quality, image_width and image_height. What
 * fx-pull's photo parser and fx-ocr codes both write.
 */
void fx_codes_json(const struct fx_code *c, json_t *data);

#endif
