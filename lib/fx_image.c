/*
 * Images decoded to grey. libjpeg and libpng print their own complaints
 * about a file cut short, whatever leptonica is told; so a truncated file
 * is caught here first, and the caller gets the reason instead.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fx_image.h"
#include "fx_err.h"
#include "fx_banned.h"

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

/* pix as 8-bit grey, transparency laid on white. New PIX, or NULL. */
static PIX *to_grey(PIX *pix)
{
	PIX *flat = NULL, *grey;

	if (pixGetDepth(pix) == 8 && !pixGetColormap(pix))
		return pixClone(pix);
	if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4)
		flat = pixAlphaBlendUniform(pix, 0xffffff00);
	grey = pixConvertTo8(flat ? flat : pix, 0);
	pixDestroy(&flat);
	return grey;
}

static PIX *decode(const l_uint8 *bytes, size_t len, unsigned long long max_pixels,
		   unsigned long long jpeg_pixels, struct fx_image_info *info, const char **why)
{
	l_int32 format = IFF_UNKNOWN, w = 0, h = 0, bps, spp, cmap, nwarn = 0;
	unsigned long long px;
	unsigned char *copy = NULL;
	size_t clen = 0;
	PIX *pix = NULL, *grey = NULL;
	int pc = 0, r = 1;

	if (len < 12 || findFileFormatBuffer(bytes, &format) != 0 || format == IFF_UNKNOWN) {
		*why = "not an image format that can be decoded";
		return NULL;
	}
	info->format = format;
	if (format == IFF_PNG)
		pc = png_check(bytes, len, &copy, &clen);
	if ((format == IFF_JFIF_JPEG && !jpeg_complete(bytes, len)) || pc == -1) {
		*why = "the image is truncated or its structure is damaged";
		return NULL;
	}
	if (pc == -2) {
		*why = "the image is damaged: a PNG header, palette or pixel chunk fails its CRC";
		return NULL;
	}
	if (pc == 1) {
		bytes = copy;
		len = clen;
		info->damaged = "damaged image data: PNG chunks that fail their CRC were left out";
	}
	if (pixReadHeaderMem(bytes, len, &format, &w, &h, &bps, &spp, &cmap) != 0 || w <= 0 ||
	    h <= 0) {
		*why = "the image header cannot be read";
		goto out;
	}
	info->width = w;
	info->height = h;
	px = (unsigned long long)w * (unsigned long long)h;
	if (format == IFF_JFIF_JPEG && jpeg_pixels)
		while (px / ((unsigned long long)r * r) > jpeg_pixels && r < 8)
			r *= 2;
	if (px / ((unsigned long long)r * r) >
	    (format == IFF_JFIF_JPEG && jpeg_pixels ? jpeg_pixels : max_pixels)) {
		*why = "too many pixels to scan";
		goto out;
	}
	info->reduction = r;
	/*
	 * JPEG: the luminance alone is what is needed, at a quarter of the
	 * memory; damaged data is decoded as far as it goes, and said.
	 */
	if (format == IFF_JFIF_JPEG)
		pix = pixReadMemJpeg(bytes, len, 0, r, &nwarn,
				     L_JPEG_READ_LUMINANCE | L_JPEG_CONTINUE_WITH_BAD_DATA);
	else
		pix = pixReadMem(bytes, len);
	if (!pix) {
		*why = "the image cannot be decoded (damaged data)";
		goto out;
	}
	if (nwarn > 0)
		info->damaged = "damaged image data: scanned as far as it could be decoded";
	grey = to_grey(pix);
	pixDestroy(&pix);
	if (!grey)
		*why = "the image cannot be made grey";
out:
	free(copy);
	return grey;
}

PIX *fx_image_grey(const void *img, size_t len, unsigned long long max_pixels,
		   unsigned long long jpeg_pixels, struct fx_image_info *info, const char **why)
{
	const char *dummy;
	l_int32 old;
	PIX *pix;

	if (!why)
		why = &dummy;
	*why = NULL;
	memset(info, 0, sizeof(*info));
	info->reduction = 1;
	/* Leptonica prints to stderr by default; the caller reports, naming the file. */
	old = setMsgSeverity(L_SEVERITY_NONE);
	pix = decode(img, len, max_pixels, jpeg_pixels, info, why);
	setMsgSeverity(old);
	return pix;
}
