/*
 * make-code-fixtures.c - draws the QR-code and barcode images of
 * tests/fixtures/codes/ (see the README there) with libqrencode and
 * leptonica. Run once; the images are committed, so the tests do not
 * need libqrencode:
 *
 *	cc -o /tmp/make-code-fixtures scripts/make-code-fixtures.c \
 *		$(pkg-config --cflags --libs libqrencode lept) &&
 *	/tmp/make-code-fixtures tests/fixtures/codes
 *
 * The payloads are spelled here once; tests/fx-pull.bats and
 * tests/unit/test_codes.c assert the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allheaders.h>
#include <qrencode.h>

/* Pixel of an 8-bit or 32-bit image. */
static void put(PIX *pix, int x, int y, l_uint32 grey, l_uint32 rgb)
{
	if (x < 0 || y < 0 || x >= pixGetWidth(pix) || y >= pixGetHeight(pix))
		return;
	pixSetPixel(pix, x, y, pixGetDepth(pix) == 32 ? rgb : grey);
}

static void rect(PIX *pix, int x, int y, int w, int h, l_uint32 grey, l_uint32 rgb)
{
	int i, j;

	for (j = y; j < y + h; j++)
		for (i = x; i < x + w; i++)
			put(pix, i, j, grey, rgb);
}

/* Draws a QR code of data (len bytes, 8-bit mode) at x, y, module px a side, quiet zone included. */
static int qr(PIX *pix, int x, int y, int module, const void *data, int len, int dark_on_light)
{
	QRcode *q = QRcode_encodeData(len, data, 0, QR_ECLEVEL_M);
	int i, j, on, quiet = 4, side;
	l_uint32 ink = dark_on_light ? 0 : 255, paper = dark_on_light ? 255 : 0;

	if (!q) {
		perror("QRcode_encodeData");
		return -1;
	}
	side = (q->width + 2 * quiet) * module;
	rect(pix, x, y, side, side, paper, dark_on_light ? 0xffffff00 : 0x20202000);
	for (j = 0; j < q->width; j++)
		for (i = 0; i < q->width; i++) {
			on = q->data[j * q->width + i] & 1;
			if (on)
				rect(pix, x + (quiet + i) * module, y + (quiet + j) * module, module,
				     module, ink, dark_on_light ? 0x00000000 : 0xf0f0f000);
		}
	QRcode_free(q);
	return side;
}

/* A QR code alone on white, 8-bit grey: PNG, or lossless WebP when the name says so. */
static int qr_png(const char *dir, const char *name, const void *data, int len, int dark)
{
	char path[4096];
	int webp = strstr(name, ".webp") != NULL;
	QRcode *q = QRcode_encodeData(len, data, 0, QR_ECLEVEL_M);
	int module = 8, side;
	PIX *pix;

	if (!q)
		return -1;
	side = (q->width + 8) * module;
	QRcode_free(q);
	pix = pixCreate(side, side, 8);
	qr(pix, 0, 0, module, data, len, !dark);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (webp ? pixWriteWebP(path, pix, 100, 1) != 0 : pixWrite(path, pix, IFF_PNG) != 0)
		return -1;
	pixDestroy(&pix);
	return 0;
}

/* EAN-13: L, G and R patterns, and the parity of the left half by the first digit. */
static const char *const ean_l[] = { "0001101", "0011001", "0010011", "0111101", "0100011",
				     "0110001", "0101111", "0111011", "0110111", "0001011" };
static const char *const ean_g[] = { "0100111", "0110011", "0011011", "0100001", "0011101",
				     "0111001", "0000101", "0010001", "0001001", "0010111" };
static const char *const ean_r[] = { "1110010", "1100110", "1101100", "1000010", "1011100",
				     "1001110", "1010000", "1000100", "1001000", "1110100" };
static const char *const ean_parity[] = { "LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
					  "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL" };

static int ean13_png(const char *dir, const char *name, const char *digits)
{
	char bits[96] = "", path[4096];
	int i, d, module = 3, quiet = 11, x;
	PIX *pix;

	strncat(bits, "101", sizeof(bits) - strlen(bits) - 1);
	for (i = 1; i <= 6; i++) {
		d = digits[i] - '0';
		strncat(bits, ean_parity[digits[0] - '0'][i - 1] == 'L' ? ean_l[d] : ean_g[d],
			sizeof(bits) - strlen(bits) - 1);
	}
	strncat(bits, "01010", sizeof(bits) - strlen(bits) - 1);
	for (i = 7; i <= 12; i++)
		strncat(bits, ean_r[digits[i] - '0'], sizeof(bits) - strlen(bits) - 1);
	strncat(bits, "101", sizeof(bits) - strlen(bits) - 1);
	pix = pixCreate((95 + 2 * quiet) * module, 120, 8);
	pixSetAll(pix);
	for (i = 0, x = quiet * module; bits[i]; i++, x += module)
		if (bits[i] == '1')
			rect(pix, x, 10, module, 100, 0, 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pixWrite(path, pix, IFF_PNG) != 0)
		return -1;
	pixDestroy(&pix);
	return 0;
}

/*
 * A phone screenshot, 720 x 1520 RGB: a status bar, chat bubbles, and a
 * small QR code (3 px modules) low and to the left, as a forwarded
 * payment code looks in a chat.
 */
static int screenshot_png(const char *dir, const char *name, const char *payload)
{
	char path[4096];
	PIX *pix = pixCreate(720, 1520, 32);
	int i;

	rect(pix, 0, 0, 720, 1520, 0xed, 0xededed00);
	rect(pix, 0, 0, 720, 60, 0x30, 0x2e2e2e00);
	rect(pix, 0, 60, 720, 110, 0xf7, 0xf7f7f700);
	for (i = 0; i < 5; i++) {
		rect(pix, 30, 220 + i * 170, 90, 90, 0xb0, 0x9fb6cd00);
		rect(pix, 140, 220 + i * 170, 380 - (i % 3) * 60, 110, 0xff, 0xffffff00);
	}
	rect(pix, 140, 1070, 330, 330, 0xff, 0xffffff00);
	qr(pix, 160, 1090, 3, payload, (int)strlen(payload), 1);
	rect(pix, 0, 1420, 720, 100, 0xf7, 0xf7f7f700);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pixWrite(path, pix, IFF_PNG) != 0)
		return -1;
	pixDestroy(&pix);
	return 0;
}

/* The picture an MMS carried: a QR code on a grey card, as a JPEG. */
static int mms_jpeg(const char *dir, const char *name, const char *payload)
{
	char path[4096];
	PIX *pix = pixCreate(480, 560, 32);

	rect(pix, 0, 0, 480, 560, 0xe0, 0x1aad1900);
	rect(pix, 40, 40, 400, 480, 0xff, 0xffffff00);
	qr(pix, 60, 80, 6, payload, (int)strlen(payload), 1);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pixWriteJpeg(path, pix, 90, 0) != 0)
		return -1;
	pixDestroy(&pix);
	return 0;
}

int main(int argc, char **argv)
{
	static const char gbk[] = "\xb8\xb6\xbf\xee\xc2\xeb"; /* 付款码 in GBK */
	static const char zh[] = "向张伟付款88.00元，备注：货款";
	const char *dir = argc > 1 ? argv[1] : "tests/fixtures/codes";

	if (qr_png(dir, "qr-wxp.png", "wxp://f2f0abc123", 16, 0) < 0 ||
	    qr_png(dir, "qr-zh.png", zh, (int)strlen(zh), 0) < 0 ||
	    qr_png(dir, "qr-gbk.png", gbk, (int)strlen(gbk), 0) < 0 ||
	    qr_png(dir, "qr-dark.png", "wxp://f2f1dark000", 17, 1) < 0 ||
	    qr_png(dir, "qr-weixin.webp", "https://weixin.qq.com/g/AbCdEf123456", 36, 0) < 0 ||
	    ean13_png(dir, "ean13.png", "6901234567892") < 0 ||
	    screenshot_png(dir, "screenshot.png", "https://qr.alipay.com/fkx17623hwdrmwzh6ltkq3c") < 0 ||
	    mms_jpeg(dir, "mms-qr.jpg", "https://qr.alipay.com/fkx0a1b2c3d4e5f6g7h8") < 0) {
		fprintf(stderr, "make-code-fixtures: cannot write the images in '%s'\n", dir);
		return 1;
	}
	return 0;
}
