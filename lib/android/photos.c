/*
 * Photos and videos wherever they are (DCIM, Pictures, Download, WeiXin,
 * Screenshots, app caches): a file with an image or video extension, in
 * any case, and a file with no extension at all whose first bytes are an
 * image (MMS parts, WeChat's image cache). Each gets a photo record from
 * fx_media (EXIF and the like), and every QR code or barcode in an image a
 * code record (fx_codes). Files with other extensions are not opened:
 * sniffing every file of an extraction would cost a read of each.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "android_int.h"
#include "fx_codes.h"
#include "fx_err.h"
#include "fx_media.h"
#include "fx_record.h"
#include "fx_banned.h"

/* Images larger than this are described but not scanned for codes. */
#define MAX_SCAN_BYTES (64u << 20)

const char *const fx_android_photos_patterns[] = { "*", NULL };

static const char *const exts[] = {
	"jpg", "jpeg", "jpe", "jfif", "png", "webp", "gif", "bmp", "heic", "heif", "hif", "avif",
	"mp4", "m4v", "mov", "3gp", "3g2",
};

/* 1: a media extension; 0: no extension (look at the bytes); -1: another extension. */
static int by_name(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t i;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		return 0;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcasecmp(dot + 1, exts[i]) == 0)
			return 1;
	return -1;
}

/* The image leptonica can decode, for the barcode scan. */
static int scannable(const char *format)
{
	return strcmp(format, "jpeg") == 0 || strcmp(format, "png") == 0 ||
	       strcmp(format, "webp") == 0 || strcmp(format, "gif") == 0 ||
	       strcmp(format, "bmp") == 0;
}

static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	ssize_t k;

	while (got < n) {
		k = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

struct scan {
	struct fx_android *a;
	const struct fx_afile *f;
	json_t *codes; /* code records, emitted after the photo's */
};

static int on_code(void *ctx, const struct fx_code *c)
{
	struct scan *s = ctx;
	json_t *rec = fx_android_record(s->a, "code", s->f, NULL, 0);

	fx_codes_json(c, json_object_get(rec, FX_KEY_DATA));
	json_array_append_new(s->codes, rec);
	return 0;
}

/* Scans the image on fd for codes into s->codes; problems are reported. */
static void scan_codes(struct scan *s, int fd)
{
	const char *why = NULL;
	char *buf;
	int n;

	if (s->f->size > MAX_SCAN_BYTES) {
		fx_android_problem(s->a, s->f, "not scanned for codes: %llu bytes, more than %u",
				   (unsigned long long)s->f->size, MAX_SCAN_BYTES);
		return;
	}
	buf = fx_xmalloc((size_t)s->f->size);
	errno = 0;
	if (read_at(fd, buf, (size_t)s->f->size, 0) < 0)
		fx_android_problem(s->a, s->f, "cannot read its stored copy: %s",
				   errno ? strerror(errno) : "unexpected end of file");
	else if ((n = fx_codes_scan(buf, (size_t)s->f->size, on_code, s, &why)) < 0)
		fx_android_problem(s->a, s->f, "cannot scan for codes: %s",
				   why ? why : "unknown reason");
	else if (why)
		fx_android_problem(s->a, s->f, "%s", why);
	free(buf);
}

int fx_android_parse_photos(struct fx_android *a, const struct fx_afile *f)
{
	int named = by_name(f->path), fd, rc, ret = 0;
	unsigned char head[64];
	char problem[600], time[FX_TIME_LEN];
	const char *fmt;
	struct scan s = { a, f, NULL };
	json_t *rec, *data, *code;
	size_t i;

	/* Empty files (placeholders, failed downloads) have nothing to say. */
	if (named < 0 || f->size == 0 || (named == 0 && f->size < 16))
		return 0;
	fd = fx_android_open(a, f);
	if (fd < 0)
		return -1;
	if (named == 0) {
		/* No extension: only what starts like an image or video ("BM" is too weak a sign). */
		i = f->size < sizeof(head) ? (size_t)f->size : sizeof(head);
		fmt = read_at(fd, head, i, 0) == 0 ? fx_media_sniff(head, i, NULL) : NULL;
		if (!fmt || strcmp(fmt, "bmp") == 0) {
			close(fd);
			return 0;
		}
	}
	data = json_object();
	rc = fx_media_read(fd, f->size, data, time, problem, sizeof(problem));
	if (rc == 0) {
		fx_android_problem(a, f, "not a photo or video: the content is no image or video"
				   " format this version reads");
		json_decref(data);
		close(fd);
		return -1;
	}
	if (rc < 0) {
		fx_android_problem(a, f, "%s", problem);
		ret = -1;
	}
	rec = fx_android_record(a, "photo", f, NULL, 0);
	json_object_update(json_object_get(rec, FX_KEY_DATA), data);
	if (time[0])
		json_object_set_new(rec, FX_KEY_TIME, json_string(time));
	fmt = json_string_value(json_object_get(data, "format"));
	s.codes = json_array();
	if (fmt && scannable(fmt))
		scan_codes(&s, fd);
	close(fd);
	if (json_array_size(s.codes))
		json_object_set_new(json_object_get(rec, FX_KEY_DATA), "codes",
				    json_integer((json_int_t)json_array_size(s.codes)));
	if (fx_android_emit(a, rec) < 0) {
		json_decref(s.codes);
		json_decref(data);
		return -1;
	}
	/* A code was seen when the photo was taken: it carries that time too. */
	json_array_foreach(s.codes, i, code) {
		if (time[0])
			json_object_set_new(code, FX_KEY_TIME, json_string(time));
		if (fx_android_emit(a, json_incref(code)) < 0) {
			ret = -1;
			break;
		}
	}
	json_decref(s.codes);
	json_decref(data);
	return ret;
}
