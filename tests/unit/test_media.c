/*
 * fx_media: photo and video metadata. EXIF blocks are built here entry by
 * entry; the real photos are those of tests/fixtures/android/exif-samples
 * (known values in its README).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "fx_media.h"

#define CAMERA "tests/fixtures/android/exif-samples/data/media/0/DCIM/Camera/"

/* A little-endian TIFF block: IFD0 (Make, a pointer to the Exif IFD), the Exif IFD. */
struct tiffb {
	unsigned char b[512];
	size_t n;
};

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/*
 * IFD0 at 8: Make "Cam", Exif IFD pointer (exif_at). The Exif IFD at 38:
 * DateTimeOriginal, and OffsetTimeOriginal when offset is not NULL; their
 * strings after it.
 */
static void build(struct tiffb *t, const char *taken, const char *offset, uint32_t exif_at)
{
	size_t n = offset ? 2 : 1, data = 38 + 2 + 12 * n + 4;

	memset(t, 0, sizeof(*t));
	memcpy(t->b, "II*\0", 4);
	put32(t->b + 4, 8);
	put16(t->b + 8, 2);
	put16(t->b + 10, 0x010f);
	put16(t->b + 12, 2);
	put32(t->b + 14, 4);
	memcpy(t->b + 18, "Cam", 4);
	put16(t->b + 22, 0x8769);
	put16(t->b + 24, 4);
	put32(t->b + 26, 1);
	put32(t->b + 30, exif_at);
	put32(t->b + 34, 0);
	put16(t->b + 38, (unsigned)n);
	put16(t->b + 40, 0x9003);
	put16(t->b + 42, 2);
	put32(t->b + 44, (uint32_t)strlen(taken) + 1);
	put32(t->b + 48, (uint32_t)data);
	memcpy(t->b + data, taken, strlen(taken) + 1);
	t->n = data + strlen(taken) + 1;
	if (offset) {
		put16(t->b + 52, 0x9011);
		put16(t->b + 54, 2);
		put32(t->b + 56, (uint32_t)strlen(offset) + 1);
		put32(t->b + 60, (uint32_t)t->n);
		memcpy(t->b + t->n, offset, strlen(offset) + 1);
		t->n += strlen(offset) + 1;
	}
}

static const char *str(json_t *data, const char *key)
{
	return json_string_value(json_object_get(data, key));
}

FX_TEST(test_media_exif_offset_makes_utc)
{
	struct tiffb t;
	json_t *data = json_object();
	char time[FX_TIME_LEN] = "", problem[256] = "";

	build(&t, "2021:04:08 17:20:00", "+08:00", 38);
	CHECK_INT(fx_media_exif(t.b, t.n, 12, data, time, problem, sizeof(problem)), 0);
	CHECK_STR(time, "2021-04-08T09:20:00.000Z");
	CHECK_STR(str(data, "make"), "Cam");
	CHECK_STR(str(data, "taken_raw"), "2021:04:08 17:20:00");
	CHECK_STR(str(data, "taken_offset"), "+08:00");
	CHECK_STR(str(data, "taken_local"), "2021-04-08T17:20:00");
	CHECK_STR(str(data, "taken_zone"), "offset");
	CHECK_STR(problem, "");
	json_decref(data);
	/* west of Greenwich, across midnight */
	data = json_object();
	build(&t, "2021:12:31 22:30:00", "-05:00", 38);
	CHECK_INT(fx_media_exif(t.b, t.n, 12, data, time, problem, sizeof(problem)), 0);
	CHECK_STR(time, "2022-01-01T03:30:00.000Z");
	json_decref(data);
}

FX_TEST(test_media_exif_without_offset_stays_local_time)
{
	struct tiffb t;
	json_t *data = json_object();
	char time[FX_TIME_LEN] = "", problem[256] = "";

	build(&t, "2014:09:21 16:00:56", NULL, 38);
	CHECK_INT(fx_media_exif(t.b, t.n, 12, data, time, problem, sizeof(problem)), 0);
	CHECK_STR(time, "");
	CHECK_STR(str(data, "taken_local"), "2014-09-21T16:00:56");
	CHECK_STR(str(data, "taken_zone"), "unknown");
	CHECK(json_object_get(data, "taken_offset") == NULL);
	json_decref(data);
	/* the "unknown date" of the standard: kept raw, nothing made of it */
	data = json_object();
	build(&t, "0000:00:00 00:00:00", "+08:00", 38);
	CHECK_INT(fx_media_exif(t.b, t.n, 12, data, time, problem, sizeof(problem)), 0);
	CHECK_STR(time, "");
	CHECK_STR(str(data, "taken_raw"), "0000:00:00 00:00:00");
	CHECK(json_object_get(data, "taken_local") == NULL);
	json_decref(data);
}

FX_TEST(test_media_exif_broken_pointer_is_named_and_the_rest_read)
{
	struct tiffb t;
	json_t *data = json_object();
	char time[FX_TIME_LEN] = "", problem[256] = "";

	build(&t, "2021:04:08 17:20:00", "+08:00", 0x00ff0000);
	CHECK_INT(fx_media_exif(t.b, t.n, 12, data, time, problem, sizeof(problem)), -1);
	CHECK(strstr(problem, "broken EXIF: Exif IFD at offset 16711680 lies outside the") != NULL);
	CHECK(strstr(problem, "starts at file offset 12") != NULL);
	CHECK_STR(str(data, "make"), "Cam");
	CHECK(json_object_get(data, "taken_raw") == NULL);
	json_decref(data);
	/* no TIFF header at all */
	data = json_object();
	CHECK_INT(fx_media_exif("XX*\0\0\0\0\0", 8, 30, data, time, problem, sizeof(problem)), -1);
	CHECK_STR(problem, "broken EXIF at file offset 30: no TIFF header");
	json_decref(data);
}

/* fx_media_read() on the first n bytes (0: all) of a file. */
static int read_file(const char *path, size_t n, json_t *data, char time[FX_TIME_LEN],
		     char *problem, size_t plen)
{
	size_t len;
	char *buf = fx_read_file(path, &len, 0), *tmp;
	int fd, ret;

	if (!buf)
		return -9;
	tmp = fx_xasprintf("%s/media", t_tmpdir());
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (n == 0 || n > len)
		n = len;
	if (fd < 0 || write(fd, buf, n) != (ssize_t)n)
		ret = -9;
	else
		ret = fx_media_read(fd, n, data, time, problem, plen);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	free(buf);
	return ret;
}

FX_TEST(test_media_real_phone_jpeg)
{
	json_t *data = json_object();
	char time[FX_TIME_LEN], problem[256];

	CHECK_INT(read_file(CAMERA "HMD_Nokia_8.3_5G.jpg", 0, data, time, problem, sizeof(problem)), 1);
	CHECK_STR(time, "2022-08-14T11:12:31.000Z");
	CHECK_STR(str(data, "format"), "jpeg");
	CHECK_STR(str(data, "model"), "Nokia 8.3 5G");
	CHECK_INT(json_integer_value(json_object_get(data, "width")), 4608);
	CHECK_INT(json_integer_value(json_object_get(data, "height")), 1976);
	/* 60° 8' 48.14" N, 24° 54' 24.38" E */
	CHECK(json_real_value(json_object_get(data, "latitude")) == 60.1467056);
	CHECK(json_real_value(json_object_get(data, "longitude")) == 24.9067722);
	CHECK_STR(str(data, "gps_time"), "2022-08-14T11:12:32.000Z");
	json_decref(data);
}

FX_TEST(test_media_truncated_jpeg_says_where)
{
	json_t *data = json_object();
	char time[FX_TIME_LEN], problem[256];

	/* jolla.jpg's EXIF segment is 408 bytes from offset 2: cut inside it */
	CHECK_INT(read_file(CAMERA "jolla.jpg", 300, data, time, problem, sizeof(problem)), -1);
	CHECK_STR(problem, "JPEG segment 0xe1 at offset 2 (408 bytes) runs past the end of the file"
			   " (300 bytes)");
	CHECK_STR(str(data, "problem"), problem);
	CHECK_STR(str(data, "format"), "jpeg");
	json_decref(data);
	/* not media at all: nothing set */
	data = json_object();
	CHECK_INT(read_file("tests/unit/harness.h", 0, data, time, problem, sizeof(problem)), 0);
	CHECK_INT(json_object_size(data), 0);
	json_decref(data);
}

FX_TEST(test_media_sniff_by_content)
{
	int video = -1;

	CHECK_STR(fx_media_sniff("\xff\xd8\xff\xe1", 4, &video), "jpeg");
	CHECK_INT(video, 0);
	CHECK_STR(fx_media_sniff("\x89PNG\r\n\x1a\n", 8, NULL), "png");
	CHECK_STR(fx_media_sniff("\0\0\0\x18" "ftypheic\0\0\0\0mif1", 20, &video), "heic");
	CHECK_INT(video, 0);
	CHECK_STR(fx_media_sniff("\0\0\0\x18" "ftypmif1\0\0\0\0heic", 20, NULL), "heic");
	CHECK_STR(fx_media_sniff("\0\0\0\x18" "ftypisom\0\0\0\0mp42", 20, &video), "mp4");
	CHECK_INT(video, 1);
	CHECK_STR(fx_media_sniff("\0\0\0\x14" "ftypqt  \0\0\0\0", 16, NULL), "mov");
	CHECK(fx_media_sniff("SQLite format 3\0", 16, NULL) == NULL);
	CHECK(fx_media_sniff("\xff\xd8", 2, NULL) == NULL);
}

FX_TEST(test_media_iso6709_points)
{
	double lat = 0, lon = 0, alt = 0;

	CHECK_INT(fx_media_iso6709("+39.9042+116.4074/", &lat, &lon, &alt), 2);
	CHECK(lat == 39.9042 && lon == 116.4074);
	CHECK_INT(fx_media_iso6709("-33.8568+151.2153+012.500/", &lat, &lon, &alt), 3);
	CHECK(lat == -33.8568 && lon == 151.2153 && alt == 12.5);
	CHECK_INT(fx_media_iso6709("+95.0+10.0/", &lat, &lon, &alt), -1);
	CHECK_INT(fx_media_iso6709("Beijing", &lat, &lon, &alt), -1);
	CHECK_INT(fx_media_iso6709("+39.9042/", &lat, &lon, &alt), -1);
}
