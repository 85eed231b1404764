/*
 * fx_codes: QR codes and barcodes. tests/fixtures/codes/ holds images drawn
 * by scripts/make-code-fixtures.c with libqrencode; the payloads asserted
 * here are the ones spelled there. The EAN-13 is drawn in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "fx_codes.h"

#define FIXT "tests/fixtures/codes/"

/* Appends s to the bits of a barcode. */
static void add(char *bits, const char *s)
{
	size_t n = strlen(bits);

	memcpy(bits + n, s, strlen(s) + 1);
}

struct found {
	int n;
	char symbology[32];
	unsigned char data[256];
	size_t len;
	int x, y, w, h;
	size_t npoints;
	unsigned width, height;
	char orientation[16];
};

/* Keeps the first symbol and counts them all. */
static int keep(void *ctx, const struct fx_code *c)
{
	struct found *f = ctx;

	if (f->n++ == 0) {
		snprintf(f->symbology, sizeof(f->symbology), "%s", c->symbology);
		f->len = c->len < sizeof(f->data) ? c->len : sizeof(f->data);
		memcpy(f->data, c->data, f->len);
		f->x = c->x;
		f->y = c->y;
		f->w = c->w;
		f->h = c->h;
		f->npoints = c->npoints;
		f->width = c->width;
		f->height = c->height;
		snprintf(f->orientation, sizeof(f->orientation), "%s", c->orientation);
	}
	return 0;
}

static int stop(void *ctx, const struct fx_code *c)
{
	(void)c;
	++*(int *)ctx;
	return 1;
}

/* Scans a fixture; returns fx_codes_scan()'s answer. */
static int scan_file(const char *name, struct found *f, const char **why)
{
	size_t len;
	char *img = fx_read_file(name, &len, 0);
	int n;

	memset(f, 0, sizeof(*f));
	if (!img)
		return -2;
	n = fx_codes_scan(img, len, keep, f, why);
	free(img);
	return n;
}

static int payload_is(const struct found *f, const char *s, size_t len)
{
	return f->len == len && memcmp(f->data, s, len) == 0;
}

FX_TEST(test_codes_wechat_pay_url_exactly)
{
	struct found f;
	const char *why = NULL;

	CHECK_INT(scan_file(FIXT "qr-wxp.png", &f, &why), 1);
	CHECK_STR(f.symbology, "QR-Code");
	CHECK(payload_is(&f, "wxp://f2f0abc123", 16));
	CHECK_INT(f.npoints, 4);
	CHECK_STR(f.orientation, "up");
	/* version 2: 25 modules of 8 px behind a 4-module quiet zone */
	CHECK_INT(f.width, 264);
	CHECK_INT(f.height, 264);
	CHECK(f.x >= 30 && f.x <= 34 && f.y >= 30 && f.y <= 34);
	CHECK(f.w >= 195 && f.w <= 202 && f.h >= 195 && f.h <= 202);
	CHECK(why == NULL);
}

FX_TEST(test_codes_chinese_text_comes_out_as_its_utf8_bytes)
{
	static const char zh[] = "向张伟付款88.00元，备注：货款";
	struct found f;

	CHECK_INT(scan_file(FIXT "qr-zh.png", &f, NULL), 1);
	CHECK(payload_is(&f, zh, strlen(zh)));
}

FX_TEST(test_codes_gbk_payload_is_kept_as_bytes_not_converted)
{
	struct found f;

	CHECK_INT(scan_file(FIXT "qr-gbk.png", &f, NULL), 1);
	CHECK(payload_is(&f, "\xb8\xb6\xbf\xee\xc2\xeb", 6));
}

FX_TEST(test_codes_small_off_centre_code_in_a_screenshot)
{
	struct found f;

	CHECK_INT(scan_file(FIXT "screenshot.png", &f, NULL), 1);
	CHECK(payload_is(&f, "https://qr.alipay.com/fkx17623hwdrmwzh6ltkq3c", 45));
	CHECK_INT(f.width, 720);
	CHECK_INT(f.height, 1520);
	/* drawn at (160, 1090) with a 12 px quiet zone and 3 px modules */
	CHECK(f.x >= 170 && f.x <= 174 && f.y >= 1100 && f.y <= 1104);
	CHECK(f.w > 80 && f.w < 110 && f.h > 80 && f.h < 110);
}

FX_TEST(test_codes_dark_mode_code_is_found_inverted)
{
	struct found f;

	CHECK_INT(scan_file(FIXT "qr-dark.png", &f, NULL), 1);
	CHECK(payload_is(&f, "wxp://f2f1dark000", 17));
}

FX_TEST(test_codes_code_in_a_jpeg)
{
	struct found f;

	CHECK_INT(scan_file(FIXT "mms-qr.jpg", &f, NULL), 1);
	CHECK(payload_is(&f, "https://qr.alipay.com/fkx0a1b2c3d4e5f6g7h8", 42));
}

FX_TEST(test_codes_code_in_a_webp)
{
	struct found f;

	CHECK_INT(scan_file(FIXT "qr-weixin.webp", &f, NULL), 1);
	CHECK(payload_is(&f, "https://weixin.qq.com/g/AbCdEf123456", 36));
	CHECK_INT(f.width, 296);
}

FX_TEST(test_codes_ean13_from_the_png)
{
	struct found f;

	CHECK_INT(scan_file(FIXT "ean13.png", &f, NULL), 1);
	CHECK_STR(f.symbology, "EAN-13");
	CHECK(payload_is(&f, "6901234567892", 13));
}

/* EAN-13 6901234567892 drawn module by module: parity LGGGLL for the leading 6. */
FX_TEST(test_codes_ean13_drawn_in_grey_memory)
{
	static const char *const l[] = { "0001101", "0011001", "0010011", "0111101", "0100011",
					  "0110001", "0101111", "0111011", "0110111", "0001011" };
	static const char *const g[] = { "0100111", "0110011", "0011011", "0100001", "0011101",
					  "0111001", "0000101", "0010001", "0001001", "0010111" };
	static const char *const r[] = { "1110010", "1100110", "1101100", "1000010", "1011100",
					  "1001110", "1010000", "1000100", "1001000", "1110100" };
	const char *digits = "6901234567892", *parity = "LGGGLL";
	char bits[96] = "101";
	unsigned w = 2 * (95 + 20), h = 60, x, y, i;
	unsigned char *grey = malloc((size_t)w * h);
	struct found f;
	int n;

	for (i = 1; i <= 6; i++)
		add(bits, parity[i - 1] == 'L' ? l[digits[i] - '0'] : g[digits[i] - '0']);
	add(bits, "01010");
	for (i = 7; i <= 12; i++)
		add(bits, r[digits[i] - '0']);
	add(bits, "101");
	CHECK_INT(strlen(bits), 95);
	memset(grey, 255, (size_t)w * h);
	for (y = 5; y < h - 5; y++)
		for (i = 0; i < 95; i++)
			for (x = 0; x < 2; x++)
				if (bits[i] == '1')
					grey[y * w + 20 + 2 * i + x] = 0;
	memset(&f, 0, sizeof(f));
	n = fx_codes_scan_grey(grey, w, h, keep, &f, NULL);
	CHECK_INT(n, 1);
	CHECK_STR(f.symbology, "EAN-13");
	CHECK(payload_is(&f, digits, 13));
	/* nothing in a blank image */
	memset(grey, 255, (size_t)w * h);
	memset(&f, 0, sizeof(f));
	CHECK_INT(fx_codes_scan_grey(grey, w, h, keep, &f, NULL), 0);
	CHECK_INT(f.n, 0);
	free(grey);
}

FX_TEST(test_codes_callback_can_stop_the_scan)
{
	size_t len;
	char *img = fx_read_file(FIXT "qr-wxp.png", &len, 0);
	int calls = 0;

	CHECK(img != NULL);
	CHECK_INT(fx_codes_scan(img, len, stop, &calls, NULL), 1);
	CHECK_INT(calls, 1);
	free(img);
}

FX_TEST(test_codes_what_is_not_an_image_is_refused_with_a_reason)
{
	static const char text[] = "this is not an image, just some text";
	const char *why = NULL;
	struct found f;
	size_t len;
	char *img = fx_read_file(FIXT "qr-wxp.png", &len, 0);

	memset(&f, 0, sizeof(f));
	CHECK_INT(fx_codes_scan(text, sizeof(text), keep, &f, &why), -1);
	CHECK_STR(why, "not an image format that can be decoded");
	why = NULL;
	CHECK_INT(fx_codes_scan("", 0, keep, &f, &why), -1);
	CHECK(why != NULL);
	/* a PNG cut short: header read, pixels not */
	why = NULL;
	CHECK(img != NULL && len > 200);
	CHECK_INT(fx_codes_scan(img, 120, keep, &f, &why), -1);
	CHECK(why != NULL);
	CHECK_INT(f.n, 0);
	why = NULL;
	CHECK_INT(fx_codes_scan_grey((const unsigned char *)"", 0, 10, keep, &f, &why), -1);
	CHECK(why != NULL);
	free(img);
}

FX_TEST(test_codes_truncated_jpeg_is_refused_without_decoder_noise)
{
	const char *why = NULL;
	struct found f;
	size_t len;
	char *img = fx_read_file(FIXT "mms-qr.jpg", &len, 0);

	memset(&f, 0, sizeof(f));
	CHECK(img != NULL && len > 20000);
	CHECK_INT(fx_codes_scan(img, 20000, keep, &f, &why), -1);
	CHECK_STR(why, "the image is truncated or its structure is damaged");
	CHECK_INT(f.n, 0);
	free(img);
}

FX_TEST(test_codes_png_crc_damage)
{
	const char *why = NULL;
	struct found f;
	size_t len;
	char *img = fx_read_file(FIXT "qr-wxp.png", &len, 0);

	/* qr-wxp.png: IHDR at 8, pHYs at 33 (ancillary), IDAT at 54, IEND at 936 */
	CHECK(img != NULL && len == 948);
	/* a damaged pHYs is left out: the pixels still decode, the damage is said */
	img[33 + 8] ^= 0x55;
	memset(&f, 0, sizeof(f));
	CHECK_INT(fx_codes_scan(img, len, keep, &f, &why), 1);
	CHECK(payload_is(&f, "wxp://f2f0abc123", 16));
	CHECK_STR(why, "damaged image data: PNG chunks that fail their CRC were left out");
	/* damaged pixels: refused, and libpng is never asked */
	img[54 + 8 + 100] ^= 0x55;
	why = NULL;
	CHECK_INT(fx_codes_scan(img, len, keep, &f, &why), -1);
	CHECK_STR(why, "the image is damaged: a PNG header, palette or pixel chunk fails its CRC");
	free(img);
}
