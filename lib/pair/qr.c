/*
 * QR codes for pairing and consent: shown in the terminal as UTF-8 half
 * blocks (two module rows a line), written as PNG for a second screen
 * (leptonica, already linked for fx_codes), and read back from a photo of
 * one through fx_codes (zbar).
 */
#include <stdlib.h>
#include <string.h>

#include <allheaders.h>
#include <qrencode.h>

#include "fx_codes.h"
#include "fx_err.h"
#include "fx_io.h"
#include "fx_pair.h"
#include "fx_banned.h"

#define QUIET 2 /* modules of white border; 4 is the standard, 2 scans fine on screens */

static QRcode *encode(const char *text)
{
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);

	if (!q)
		fx_error_errno("cannot make a QR code of %zu bytes", strlen(text));
	return q;
}

/* Dark module at (x, y), the border counted in. */
static int dark(const QRcode *q, int x, int y)
{
	x -= QUIET;
	y -= QUIET;
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return 0;
	return q->data[y * q->width + x] & 1;
}

int fx_pair_qr_print(FILE *f, const char *text)
{
	/* Indexed by top dark + 2 * bottom dark; light on dark terminals reads as dark. */
	static const char *const cell[] = {"\u2588", "\u2584", "\u2580", " "};
	QRcode *q = encode(text);
	int x, y, size;

	if (!q)
		return -1;
	size = q->width + 2 * QUIET;
	for (y = 0; y < size; y += 2) {
		for (x = 0; x < size; x++)
			fputs(cell[dark(q, x, y) | dark(q, x, y + 1) << 1], f);
		fputc('\n', f);
	}
	QRcode_free(q);
	fflush(f);
	return 0;
}

int fx_pair_qr_png(const char *path, const char *text)
{
	const int scale = 8;
	QRcode *q = encode(text);
	PIX *pix;
	int x, y, size, ret = 0;

	if (!q)
		return -1;
	size = (q->width + 2 * 4) * scale;
	pix = pixCreate(size, size, 1);
	for (y = 0; y < size; y++)
		for (x = 0; x < size; x++)
			if (dark(q, x / scale - 4 + QUIET, y / scale - 4 + QUIET))
				pixSetPixel(pix, x, y, 1);
	if (pixWrite(path, pix, IFF_PNG) != 0)
		ret = fx_error("cannot write the QR code to '%s'", path);
	pixDestroy(&pix);
	QRcode_free(q);
	return ret;
}

struct find {
	const char *prefix;
	char *found;
};

static int on_code(void *ctx, const struct fx_code *c)
{
	struct find *f = ctx;
	size_t n = strlen(f->prefix);

	if (f->found || c->len < n || memcmp(c->data, f->prefix, n) != 0 ||
	    memchr(c->data, '\0', c->len))
		return 0;
	f->found = fx_xmalloc(c->len + 1);
	memcpy(f->found, c->data, c->len);
	f->found[c->len] = '\0';
	return 1;
}

char *fx_pair_qr_read(const char *path, const char *prefix)
{
	struct find f = {prefix, NULL};
	const char *why = NULL;
	size_t len;
	char *img = fx_read_file(path, &len, 64u << 20);
	int n;

	if (!img)
		return NULL;
	n = fx_codes_scan(img, len, on_code, &f, &why);
	free(img);
	if (n < 0)
		fx_error("'%s': %s", path, why);
	else if (!f.found)
		fx_error("'%s': no %s code in the image", path, prefix);
	return f.found;
}
