/*
 * fx_image.h - an image file decoded to 8-bit grey with leptonica (JPEG,
 * PNG, WebP, TIFF, BMP, GIF, as the library was built), with the checks
 * evidence needs first: the format from the bytes, a cut-off JPEG or PNG
 * and a damaged PNG chunk told apart before libjpeg or libpng could
 * complain on stderr, and the pixel count read from the header and bounded
 * before anything is decoded. fx_codes (QR codes) and lib/ocr/ share it.
 *
 * This header names leptonica's PIX: include it only where leptonica is.
 */
#ifndef FX_IMAGE_H
#define FX_IMAGE_H

#include <stddef.h>

#include <allheaders.h>

struct fx_image_info {
	int format;          /* leptonica's IFF_… */
	int width, height;   /* as the header says */
	int reduction;       /* 1, or 2, 4, 8: a large JPEG decoded smaller */
	const char *damaged; /* static: what was wrong but could be got round, or NULL */
};

/*
 * Decodes img (len bytes, borrowed) to a new 8-bit grey PIX (caller
 * pixDestroy()s); transparency is laid on white. Images of more than
 * max_pixels are refused, except a JPEG when jpeg_pixels is not 0: it is
 * then decoded at 1/2, 1/4 or 1/8 of its size, the first that has at most
 * jpeg_pixels (JPEG's DCT gives those for the cost of the smaller image).
 * Damaged JPEG data is decoded as far as it goes; PNG ancillary chunks
 * that fail their CRC are left out; info->damaged then says so.
 *
 * Returns NULL with *why a static lowercase reason ("not an image format
 * that can be decoded", "the image is truncated or its structure is
 * damaged", "too many pixels to scan", …). Reports nothing itself: the
 * caller names the file. Leptonica's messages are silenced during the call.
 */
PIX *fx_image_grey(const void *img, size_t len, unsigned long long max_pixels,
		   unsigned long long jpeg_pixels, struct fx_image_info *info, const char **why);

#endif
