/*
 * Photo and video metadata. Containers (JPEG segments, PNG and RIFF
 * chunks, ISO base media boxes) are walked here with pread(), so that a
 * video of gigabytes costs a few reads; EXIF values are read by libexif.
 *
 * libexif is lenient: a pointer out of its block is skipped and logged at
 * debug level only. So the TIFF structure is checked here as well, to tell
 * the examiner which EXIF block is broken and where, while libexif still
 * reads whatever it can.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libexif/exif-data.h>
#include <libexif/exif-log.h>

#include "fx_err.h"
#include "fx_media.h"
#include "fx_record.h"
#include "fx_banned.h"

/* The largest HEIF meta box read into memory (item tables of tiled images included). */
#define MAX_META (16u << 20)
/* Seconds from 1904-01-01 (ISO base media, QuickTime) to 1970-01-01. */
#define EPOCH_1904 2082844800LL

typedef unsigned long long ull;

struct rd {
	int fd;
	uint64_t size;
	json_t *data;
	char *time;
	char *problem;
	size_t plen;
	int bad;
};

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Notes the first problem found: the first usually explains the rest. */
static void bad(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct rd *r, const char *fmt, ...)
{
	va_list ap;

	if (r->bad++)
		return;
	va_start(ap, fmt);
	vsnprintf(r->problem, r->plen, fmt, ap);
	va_end(ap);
}

/* n bytes at off into buf. Returns 0, or -1 (noted) when they cannot be read. */
static int at(struct rd *r, uint64_t off, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t k;

	if (off > r->size || n > r->size - off) {
		bad(r, "%zu bytes at offset %llu are past the end of the file (%llu bytes)", n,
		    (ull)off, (ull)r->size);
		return -1;
	}
	while (got < n) {
		k = pread(r->fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			bad(r, "cannot read at offset %llu: %s", (ull)(off + got),
			    k < 0 ? strerror(errno) : "unexpected end of file");
			return -1;
		}
		got += (size_t)k;
	}
	return 0;
}

/* at() into a new buffer (caller frees), or NULL. */
static unsigned char *load(struct rd *r, uint64_t off, size_t n)
{
	unsigned char *buf = fx_xmalloc(n ? n : 1);

	if (at(r, off, buf, n) < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void set_int(json_t *data, const char *key, long long v)
{
	json_object_set_new(data, key, json_integer(v));
}

/* Four bytes of a chunk or box type, printable, for messages. */
static const char *fourcc(const unsigned char *p, char out[5])
{
	int i;

	for (i = 0; i < 4; i++)
		out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	out[4] = '\0';
	return out;
}

/* ---- EXIF ---- */

struct tiff {
	const unsigned char *p;
	size_t n;
	int le;
	uint64_t base;
};

static unsigned t16(const struct tiff *t, size_t o)
{
	return t->le ? le16(t->p + o) : be16(t->p + o);
}

static uint32_t t32(const struct tiff *t, size_t o)
{
	return t->le ? le32(t->p + o) : be32(t->p + o);
}

/* Bytes of one value of each TIFF field type (1 BYTE … 12 DOUBLE, 13 IFD). */
static const unsigned type_size[] = { 0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4 };

static const char *ifd_name(unsigned tag)
{
	switch (tag) {
	case 0x8769: return "Exif IFD";
	case 0x8825: return "GPS IFD";
	default: return "Interoperability IFD";
	}
}

/* Checks the IFD at off and the IFDs it points to. Returns 0, or -1 with msg set. */
static int check_ifd(const struct tiff *t, uint32_t off, const char *name, int depth, char *msg,
		     size_t mlen)
{
	size_t count, i, e;
	unsigned tag, type;
	uint64_t size;
	uint32_t cnt, voff, next;

	if (off < 8 || off > t->n || t->n - off < 2) {
		snprintf(msg, mlen, "%s at offset %lu lies outside the %zu-byte EXIF block"
			 " (which starts at file offset %llu)", name, (unsigned long)off, t->n,
			 (ull)t->base);
		return -1;
	}
	count = t16(t, off);
	if ((t->n - off - 2) / 12 < count) {
		snprintf(msg, mlen, "%s at file offset %llu claims %zu entries, only %zu fit in the"
			 " EXIF block", name, (ull)(t->base + off), count, (t->n - off - 2) / 12);
		return -1;
	}
	for (i = 0; i < count; i++) {
		e = off + 2 + 12 * i;
		tag = t16(t, e);
		type = t16(t, e + 2);
		cnt = t32(t, e + 4);
		if (type == 0 || type >= sizeof(type_size) / sizeof(type_size[0]))
			continue;
		size = (uint64_t)type_size[type] * cnt;
		voff = t32(t, e + 8);
		if (size > 4 && (voff > t->n || size > t->n - voff)) {
			snprintf(msg, mlen, "%s tag 0x%04x at file offset %llu: its value (%llu bytes at"
				 " offset %lu) runs past the end of the %zu-byte EXIF block", name, tag,
				 (ull)(t->base + e), (ull)size, (unsigned long)voff, t->n);
			return -1;
		}
		if ((tag == 0x8769 || tag == 0x8825 || tag == 0xa005) && depth < 3 &&
		    (type == 4 || type == 13) && cnt == 1 &&
		    check_ifd(t, voff, ifd_name(tag), depth + 1, msg, mlen) < 0)
			return -1;
	}
	/* IFD0 links to IFD1, the thumbnail's. */
	if (depth == 0 && t->n - off - 2 - 12 * count >= 4) {
		next = t32(t, off + 2 + 12 * count);
		if (next && check_ifd(t, next, "IFD1", 1, msg, mlen) < 0)
			return -1;
	}
	return 0;
}

struct exif_log {
	char msg[256];
	int corrupt;
};

/* libexif's messages: keep the first saying the data is corrupt; the rest is debug chatter. */
static void on_exif_log(ExifLog *log, ExifLogCode code, const char *domain, const char *fmt,
			va_list ap, void *ctx)
{
	struct exif_log *l = ctx;

	(void)log;
	/* Maker notes are private formats: their quirks are no damage to the EXIF. */
	if (l->corrupt || (code != EXIF_LOG_CODE_CORRUPT_DATA && code != EXIF_LOG_CODE_NO_MEMORY) ||
	    (domain && strncmp(domain, "ExifMnote", 9) == 0))
		return;
	vsnprintf(l->msg, sizeof(l->msg), fmt, ap);
	l->corrupt = 1;
}

static ExifEntry *entry(ExifData *ed, ExifIfd ifd, ExifTag tag)
{
	return ed->ifd[ifd] ? exif_content_get_entry(ed->ifd[ifd], tag) : NULL;
}

/* An entry in the IFD where the standard puts it, else in IFD0 or the Exif IFD. */
static ExifEntry *entry_any(ExifData *ed, ExifIfd ifd, ExifTag tag)
{
	ExifEntry *e = entry(ed, ifd, tag);

	if (!e)
		e = entry(ed, ifd == EXIF_IFD_0 ? EXIF_IFD_EXIF : EXIF_IFD_0, tag);
	return e;
}

/* A text entry's bytes up to its NUL, or 0 when there are none. */
static size_t text_of(ExifEntry *e, const char **s)
{
	size_t n;

	if (!e || !e->data || !e->size ||
	    (e->format != EXIF_FORMAT_ASCII && e->format != EXIF_FORMAT_UNDEFINED))
		return 0;
	for (n = 0; n < e->size && e->data[n]; n++)
		;
	*s = (const char *)e->data;
	return n;
}

static void set_text(json_t *data, const char *key, ExifEntry *e)
{
	const char *s;
	size_t n = text_of(e, &s);

	if (n)
		json_object_set_new(data, key, fx_json_text(s, n));
}

/* A text entry as a C string in buf (cut at bufsize). Returns its length, 0 for none. */
static size_t cstr(ExifEntry *e, char *buf, size_t bufsize)
{
	const char *s;
	size_t n = text_of(e, &s);

	if (n >= bufsize)
		n = bufsize - 1;
	memcpy(buf, s ? s : "", n);
	buf[n] = '\0';
	return n;
}

static int unsigned_of(ExifEntry *e, ExifByteOrder o, unsigned long *v)
{
	if (!e || !e->data || !e->components)
		return -1;
	switch (e->format) {
	case EXIF_FORMAT_BYTE:
		*v = e->data[0];
		return 0;
	case EXIF_FORMAT_SHORT:
		if (e->size < 2)
			return -1;
		*v = exif_get_short(e->data, o);
		return 0;
	case EXIF_FORMAT_LONG:
		if (e->size < 4)
			return -1;
		*v = exif_get_long(e->data, o);
		return 0;
	default:
		return -1;
	}
}

/*
 * n rationals of e into v and their "a/b a/b …" spelling into raw. Signed
 * rationals are taken too: some phones (HMD) write GPS values so. Returns
 * 0 or -1.
 */
static int rationals(ExifEntry *e, ExifByteOrder o, unsigned n, double *v, char *raw, size_t rlen)
{
	ExifRational q;
	ExifSRational sq;
	size_t used = 0;
	unsigned i;
	int k;

	if (!e || !e->data ||
	    (e->format != EXIF_FORMAT_RATIONAL && e->format != EXIF_FORMAT_SRATIONAL) ||
	    e->components < n || e->size < 8 * n)
		return -1;
	if (raw)
		raw[0] = '\0';
	for (i = 0; i < n; i++) {
		if (e->format == EXIF_FORMAT_RATIONAL) {
			q = exif_get_rational(e->data + 8 * i, o);
			k = raw && used < rlen ? snprintf(raw + used, rlen - used, "%s%lu/%lu",
							  i ? " " : "", (unsigned long)q.numerator,
							  (unsigned long)q.denominator) : 0;
			if (q.denominator == 0)
				return -1;
			v[i] = (double)q.numerator / (double)q.denominator;
		} else {
			sq = exif_get_srational(e->data + 8 * i, o);
			k = raw && used < rlen ? snprintf(raw + used, rlen - used, "%s%ld/%ld",
							  i ? " " : "", (long)sq.numerator,
							  (long)sq.denominator) : 0;
			if (sq.denominator == 0)
				return -1;
			v[i] = (double)sq.numerator / (double)sq.denominator;
		}
		if (k > 0)
			used += (size_t)k;
	}
	return 0;
}

static int digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "YYYY:MM:DD HH:MM:SS" into f[6]. Returns 0, or -1 for another form or "0000:00:00 …". */
static int exif_datetime(const char *s, int f[6])
{
	if (strlen(s) < 19 || s[4] != ':' || s[7] != ':' || (s[10] != ' ' && s[10] != 'T') ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s, 4, &f[0]) || digits(s + 5, 2, &f[1]) || digits(s + 8, 2, &f[2]) ||
	    digits(s + 11, 2, &f[3]) || digits(s + 14, 2, &f[4]) || digits(s + 17, 2, &f[5]))
		return -1;
	if (f[0] < 1 || f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 ||
	    f[5] > 60)
		return -1;
	return 0;
}

/* "+HH:MM" or "-HH:MM" into minutes east of UTC. Returns 0 or -1. */
static int exif_offset(const char *s, int *minutes)
{
	int h, m;

	if (strlen(s) < 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' || digits(s + 1, 2, &h) ||
	    digits(s + 4, 2, &m) || h > 18 || m > 59)
		return -1;
	*minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 0;
}

/* SubSecTime digits as milliseconds ("5" is 500, "123456" is 123). -1 when not digits. */
static int exif_subsec(const char *s)
{
	int ms = 0, i;

	for (i = 0; s[i] == ' '; i++)
		;
	if (!s[i])
		return -1;
	s += i;
	for (i = 0; i < 3; i++) {
		ms *= 10;
		if (s[i] >= '0' && s[i] <= '9')
			ms += s[i] - '0';
		else if (s[i] && s[i] != ' ')
			return -1;
		else
			break;
	}
	for (; i < 3; i++)
		ms *= 10;
	return ms;
}

/* DateTimeOriginal, its sub-seconds and offset: taken_* fields, and time when the zone is known. */
static void taken(ExifData *ed, json_t *data, char time[FX_TIME_LEN])
{
	char dt[64], sub[32], off[32], local[40], rfc[64];
	int f[6], minutes, ms = -1, have_off;
	int64_t t;

	set_text(data, "taken_raw", entry_any(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL));
	set_text(data, "taken_subsec", entry_any(ed, EXIF_IFD_EXIF, EXIF_TAG_SUB_SEC_TIME_ORIGINAL));
	set_text(data, "taken_offset", entry_any(ed, EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL));
	if (!cstr(entry_any(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL), dt, sizeof(dt)) ||
	    exif_datetime(dt, f) < 0)
		return;
	if (cstr(entry_any(ed, EXIF_IFD_EXIF, EXIF_TAG_SUB_SEC_TIME_ORIGINAL), sub, sizeof(sub)))
		ms = exif_subsec(sub);
	have_off = cstr(entry_any(ed, EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL), off,
			sizeof(off)) && exif_offset(off, &minutes) == 0;
	if (ms >= 0)
		snprintf(local, sizeof(local), "%04d-%02d-%02dT%02d:%02d:%02d.%03d", f[0], f[1], f[2],
			 f[3], f[4], f[5], ms);
	else
		snprintf(local, sizeof(local), "%04d-%02d-%02dT%02d:%02d:%02d", f[0], f[1], f[2], f[3],
			 f[4], f[5]);
	json_object_set_new(data, "taken_local", json_string(local));
	if (!have_off) {
		/* Wall-clock time of a zone nobody wrote down: not made into UTC. */
		json_object_set_new(data, "taken_zone", json_string("unknown"));
		return;
	}
	json_object_set_new(data, "taken_zone", json_string("offset"));
	snprintf(rfc, sizeof(rfc), "%s%c%02d:%02d", local, minutes < 0 ? '-' : '+',
		 abs(minutes) / 60, abs(minutes) % 60);
	if (fx_time_parse(rfc, &t) == 0)
		fx_time_format(t, time);
}

static double round7(double v)
{
	return round(v * 1e7) / 1e7;
}

/* GPSLatitude/GPSLongitude: degrees, minutes, seconds and a hemisphere letter. */
static void coordinate(ExifData *ed, ExifByteOrder o, ExifTag ref_tag, ExifTag tag, char neg,
		       double limit, json_t *data, const char *key, const char *raw_key)
{
	char ref[8] = "", raw[160], full[200];
	double v[3], deg;

	if (rationals(entry(ed, EXIF_IFD_GPS, tag), o, 3, v, raw, sizeof(raw)) < 0)
		return;
	cstr(entry(ed, EXIF_IFD_GPS, ref_tag), ref, sizeof(ref));
	snprintf(full, sizeof(full), "%s%s%s", raw, ref[0] ? " " : "", ref);
	json_object_set_new(data, raw_key, json_string(full));
	deg = v[0] + v[1] / 60.0 + v[2] / 3600.0;
	if (ref[0] == neg)
		deg = -fabs(deg);
	if (fabs(deg) <= limit)
		json_object_set_new(data, key, json_real(round7(deg)));
}

static void gps(ExifData *ed, ExifByteOrder o, json_t *data)
{
	char date[32], rfc[64];
	unsigned long ref = 0;
	double v[3];
	int f[6];
	int64_t t;
	char tm[FX_TIME_LEN];

	if (!ed->ifd[EXIF_IFD_GPS])
		return;
	coordinate(ed, o, EXIF_TAG_GPS_LATITUDE_REF, EXIF_TAG_GPS_LATITUDE, 'S', 90.0, data,
		   "latitude", "latitude_raw");
	coordinate(ed, o, EXIF_TAG_GPS_LONGITUDE_REF, EXIF_TAG_GPS_LONGITUDE, 'W', 180.0, data,
		   "longitude", "longitude_raw");
	if (rationals(entry(ed, EXIF_IFD_GPS, EXIF_TAG_GPS_ALTITUDE), o, 1, v, NULL, 0) == 0) {
		unsigned_of(entry(ed, EXIF_IFD_GPS, EXIF_TAG_GPS_ALTITUDE_REF), o, &ref);
		json_object_set_new(data, "altitude", json_real(ref == 1 ? -v[0] : v[0]));
	}
	/* GPS time is UTC by definition: date stamp and h, m, s rationals. */
	if (rationals(entry(ed, EXIF_IFD_GPS, EXIF_TAG_GPS_TIME_STAMP), o, 3, v, NULL, 0) == 0 &&
	    cstr(entry(ed, EXIF_IFD_GPS, EXIF_TAG_GPS_DATE_STAMP), date, sizeof(date)) >= 10) {
		snprintf(rfc, sizeof(rfc), "%.10s 00:00:00", date);
		if (exif_datetime(rfc, f) == 0 && v[0] < 24 && v[1] < 60 && v[2] < 61) {
			snprintf(rfc, sizeof(rfc), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", f[0], f[1],
				 f[2], (int)v[0], (int)v[1], (int)v[2],
				 (int)((v[2] - floor(v[2])) * 1000.0));
			if (fx_time_parse(rfc, &t) == 0 && fx_time_format(t, tm) == 0)
				json_object_set_new(data, "gps_time", json_string(tm));
		}
	}
}

int fx_media_exif(const void *tiff, size_t len, uint64_t base, json_t *data,
		  char time[FX_TIME_LEN], char *problem, size_t plen)
{
	static const unsigned char header[6] = { 'E', 'x', 'i', 'f', 0, 0 };
	struct tiff t = { tiff, len, 0, base };
	struct exif_log l = { "", 0 };
	char msg[400] = "";
	unsigned char *buf;
	ExifData *ed;
	ExifLog *log;
	ExifByteOrder o;
	unsigned long v;
	int ret = 0;

	json_object_set_new(data, "exif", json_true());
	if (len < 8 || !((t.p[0] == 'I' && t.p[1] == 'I' && t.p[2] == 42 && t.p[3] == 0) ||
			 (t.p[0] == 'M' && t.p[1] == 'M' && t.p[2] == 0 && t.p[3] == 42))) {
		snprintf(problem, plen, "broken EXIF at file offset %llu: no TIFF header", (ull)base);
		return -1;
	}
	t.le = t.p[0] == 'I';
	if (check_ifd(&t, t32(&t, 4), "IFD0", 0, msg, sizeof(msg)) < 0) {
		snprintf(problem, plen, "broken EXIF: %s", msg);
		ret = -1;
	}
	ed = exif_data_new();
	log = exif_log_new();
	if (!ed || !log) {
		exif_data_unref(ed);
		exif_log_unref(log);
		if (!ret)
			snprintf(problem, plen, "cannot read EXIF: out of memory");
		return -1;
	}
	exif_log_set_func(log, on_exif_log, &l);
	exif_data_log(ed, log);
	/* Read what is there, add nothing the standard would want there. */
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_unset_option(ed, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
	buf = fx_xmalloc(len + sizeof(header));
	memcpy(buf, header, sizeof(header));
	memcpy(buf + sizeof(header), tiff, len);
	exif_data_load_data(ed, buf, (unsigned)(len + sizeof(header)));
	free(buf);
	if (l.corrupt && !ret) {
		snprintf(problem, plen, "broken EXIF at file offset %llu: %s", (ull)base, l.msg);
		ret = -1;
	}
	o = exif_data_get_byte_order(ed);
	set_text(data, "make", entry_any(ed, EXIF_IFD_0, EXIF_TAG_MAKE));
	set_text(data, "model", entry_any(ed, EXIF_IFD_0, EXIF_TAG_MODEL));
	set_text(data, "software", entry_any(ed, EXIF_IFD_0, EXIF_TAG_SOFTWARE));
	set_text(data, "modified_raw", entry(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME));
	if (unsigned_of(entry(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION), o, &v) == 0)
		set_int(data, "orientation", (long long)v);
	if (!json_object_get(data, "width") &&
	    unsigned_of(entry_any(ed, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_X_DIMENSION), o, &v) == 0 && v)
		set_int(data, "width", (long long)v);
	if (!json_object_get(data, "height") &&
	    unsigned_of(entry_any(ed, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_Y_DIMENSION), o, &v) == 0 && v)
		set_int(data, "height", (long long)v);
	taken(ed, data, time);
	gps(ed, o, data);
	exif_data_unref(ed);
	exif_log_unref(log);
	return ret;
}

/* An EXIF block at off in the file, n bytes: read and parsed, its problem noted. */
static void exif_at(struct rd *r, uint64_t off, uint64_t n)
{
	char msg[512];
	unsigned char *buf;

	if (n > FX_MEDIA_MAX_EXIF) {
		bad(r, "EXIF block at offset %llu is %llu bytes, more than the %u read", (ull)off,
		    (ull)n, FX_MEDIA_MAX_EXIF);
		return;
	}
	buf = load(r, off, (size_t)n);
	if (!buf)
		return;
	if (fx_media_exif(buf, (size_t)n, off, r->data, r->time, msg, sizeof(msg)) < 0)
		bad(r, "%s", msg);
	free(buf);
}

/* ---- JPEG ---- */

static int is_sof(unsigned m)
{
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

static void read_jpeg(struct rd *r)
{
	unsigned char b[8];
	uint64_t off = 2;
	unsigned m, seg;
	int sof = 0, exif = 0;

	for (;;) {
		if (r->size - off < 2) {
			bad(r, "JPEG ends at offset %llu before its image data", (ull)off);
			break;
		}
		if (at(r, off, b, 2) < 0)
			break;
		if (b[0] != 0xff) {
			bad(r, "JPEG damaged at offset %llu: byte 0x%02x where a marker should be",
			    (ull)off, b[0]);
			break;
		}
		m = b[1];
		off += 2;
		while (m == 0xff && off < r->size && at(r, off, b, 1) == 0) {
			m = b[0];
			off++;
		}
		if (m == 0xd9 || m == 0xff)
			break;
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;
		if (r->size - off < 2 || at(r, off, b, 2) < 0) {
			bad(r, "JPEG ends at offset %llu inside a segment header", (ull)off);
			break;
		}
		seg = be16(b);
		if (seg < 2 || seg > r->size - off) {
			bad(r, "JPEG segment 0x%02x at offset %llu (%u bytes) runs past the end of the"
			    " file (%llu bytes)", m, (ull)(off - 2), seg, (ull)r->size);
			break;
		}
		if (m == 0xe1 && !exif && seg >= 8 + 8 && at(r, off + 2, b, 6) == 0 &&
		    memcmp(b, "Exif\0\0", 6) == 0) {
			exif = 1;
			exif_at(r, off + 8, seg - 8);
		}
		if (is_sof(m) && !sof && seg >= 7 && at(r, off + 2, b, 5) == 0) {
			sof = 1;
			set_int(r->data, "height", be16(b + 1));
			set_int(r->data, "width", be16(b + 3));
		}
		if (m == 0xda) {
			if (!sof)
				bad(r, "JPEG has no frame header before its image data at offset %llu",
				    (ull)(off - 2));
			break;
		}
		off += seg;
	}
	if (!exif)
		json_object_set_new(r->data, "exif", json_false());
}

/* ---- PNG, WebP, GIF, BMP ---- */

static void read_png(struct rd *r)
{
	unsigned char b[8];
	uint64_t off = 8;
	uint32_t n;
	char cc[5];
	int exif = 0;

	for (;;) {
		if (r->size - off < 12) {
			bad(r, "PNG ends at offset %llu without its IEND chunk", (ull)off);
			break;
		}
		if (at(r, off, b, 8) < 0)
			break;
		n = be32(b);
		if (n > r->size - off - 12) {
			bad(r, "PNG chunk '%s' at offset %llu (%lu bytes) runs past the end of the file"
			    " (%llu bytes)", fourcc(b + 4, cc), (ull)off, (unsigned long)n,
			    (ull)r->size);
			break;
		}
		if (memcmp(b + 4, "IHDR", 4) == 0 && n >= 8 && at(r, off + 8, b, 8) == 0) {
			set_int(r->data, "width", be32(b));
			set_int(r->data, "height", be32(b + 4));
		} else if (memcmp(b + 4, "eXIf", 4) == 0 && !exif) {
			exif = 1;
			exif_at(r, off + 8, n);
		} else if (memcmp(b + 4, "IEND", 4) == 0) {
			break;
		}
		off += 12 + (uint64_t)n;
	}
	if (!exif)
		json_object_set_new(r->data, "exif", json_false());
}

static void read_webp(struct rd *r)
{
	unsigned char b[16];
	uint64_t off = 12, end;
	uint32_t n;
	char cc[5];
	int exif = 0;

	if (at(r, 4, b, 4) < 0)
		return;
	end = 8 + (uint64_t)le32(b);
	if (end > r->size) {
		bad(r, "WebP says it is %llu bytes, the file has %llu", (ull)end, (ull)r->size);
		end = r->size;
	}
	while (off < end && end - off >= 8) {
		if (at(r, off, b, 8) < 0)
			break;
		n = le32(b + 4);
		if (n > end - off - 8) {
			bad(r, "WebP chunk '%s' at offset %llu (%lu bytes) runs past the end of the file",
			    fourcc(b, cc), (ull)off, (unsigned long)n);
			break;
		}
		if (memcmp(b, "VP8X", 4) == 0 && n >= 10 && at(r, off + 8, b, 10) == 0) {
			set_int(r->data, "width", 1 + (b[4] | b[5] << 8 | b[6] << 16));
			set_int(r->data, "height", 1 + (b[7] | b[8] << 8 | b[9] << 16));
		} else if (memcmp(b, "VP8 ", 4) == 0 && n >= 10 && !json_object_get(r->data, "width") &&
			   at(r, off + 8, b, 10) == 0 && b[3] == 0x9d && b[4] == 0x01 && b[5] == 0x2a) {
			set_int(r->data, "width", le16(b + 6) & 0x3fff);
			set_int(r->data, "height", le16(b + 8) & 0x3fff);
		} else if (memcmp(b, "VP8L", 4) == 0 && n >= 5 && !json_object_get(r->data, "width") &&
			   at(r, off + 8, b, 5) == 0 && b[0] == 0x2f) {
			set_int(r->data, "width", 1 + (b[1] | (b[2] & 0x3f) << 8));
			set_int(r->data, "height", 1 + (b[2] >> 6 | b[3] << 2 | (b[4] & 0x0f) << 10));
		} else if (memcmp(b, "EXIF", 4) == 0 && !exif) {
			exif = 1;
			/* Some writers keep the JPEG-style "Exif\0\0" in front of the TIFF header. */
			if (n >= 6 && at(r, off + 8, b, 6) == 0 && memcmp(b, "Exif\0\0", 6) == 0)
				exif_at(r, off + 14, n - 6);
			else
				exif_at(r, off + 8, n);
		}
		off += 8 + (uint64_t)n + (n & 1);
	}
	if (!exif)
		json_object_set_new(r->data, "exif", json_false());
}

static void read_gif(struct rd *r)
{
	unsigned char b[10];

	if (at(r, 0, b, 10) == 0) {
		set_int(r->data, "width", le16(b + 6));
		set_int(r->data, "height", le16(b + 8));
	}
}

static void read_bmp(struct rd *r)
{
	unsigned char b[26];
	int32_t h;

	if (at(r, 0, b, 26) < 0)
		return;
	if (le32(b + 14) >= 40) {
		h = (int32_t)le32(b + 22);
		set_int(r->data, "width", (int32_t)le32(b + 18));
		set_int(r->data, "height", h < 0 ? -(long long)h : h);
	} else if (le32(b + 14) == 12) {
		set_int(r->data, "width", le16(b + 18));
		set_int(r->data, "height", le16(b + 20));
	}
}

/* ---- ISO base media: MP4, QuickTime, 3GP, HEIF ---- */

struct box {
	uint64_t start, body, end;
	unsigned char type[4];
};

/*
 * The box at *pos, inside a container ending at end. Returns 1 (b set, *pos
 * past it), 0 at the end, -1 for a box that does not fit (noted).
 */
static int next_box(struct rd *r, uint64_t *pos, uint64_t end, struct box *b, int top)
{
	unsigned char h[16];
	uint64_t size, hdr = 8;
	char cc[5];

	if (*pos >= end)
		return 0;
	if (end - *pos < 8) {
		/* A few bytes of padding after the last top-level box are common. */
		if (!top)
			bad(r, "%llu stray bytes at offset %llu, too few for a box",
			    (ull)(end - *pos), (ull)*pos);
		return top ? 0 : -1;
	}
	if (at(r, *pos, h, 8) < 0)
		return -1;
	size = be32(h);
	memcpy(b->type, h + 4, 4);
	if (size == 1) {
		if (end - *pos < 16 || at(r, *pos + 8, h + 8, 8) < 0) {
			bad(r, "box '%s' at offset %llu is cut short", fourcc(b->type, cc), (ull)*pos);
			return -1;
		}
		size = be64(h + 8);
		hdr = 16;
	} else if (size == 0) {
		size = end - *pos;
	}
	if (size < hdr || size > end - *pos) {
		bad(r, "box '%s' at offset %llu (%llu bytes) runs past the end of %s (offset %llu)",
		    fourcc(b->type, cc), (ull)*pos, (ull)size, top ? "the file" : "its container",
		    (ull)end);
		return -1;
	}
	b->start = *pos;
	b->body = *pos + hdr;
	b->end = *pos + size;
	*pos = b->end;
	return 1;
}

static int is(const struct box *b, const char *type)
{
	return memcmp(b->type, type, 4) == 0;
}

static void mvhd(struct rd *r, const struct box *b)
{
	unsigned char h[32];
	uint64_t created, duration, scale;
	int64_t ms;

	if (b->end - b->body < 32 || at(r, b->body, h, 32) < 0)
		return;
	if (h[0] == 1) {
		created = be64(h + 4);
		scale = be32(h + 20);
		duration = be64(h + 24);
	} else {
		created = be32(h + 4);
		scale = be32(h + 12);
		duration = be32(h + 16);
	}
	if (scale && duration != UINT64_MAX && duration != UINT32_MAX)
		json_object_set_new(r->data, "duration",
				    json_real(round((double)duration * 1000.0 / (double)scale) /
					      1000.0));
	/* 0 is "not set"; the time is UTC by the standard (and as Android writes it). */
	if (created && created < (uint64_t)INT64_MAX / 1000) {
		set_int(r->data, "created_raw", (long long)created);
		ms = ((int64_t)created - EPOCH_1904) * 1000;
		fx_time_format(ms, r->time);
	}
}

static void tkhd(struct rd *r, const struct box *b)
{
	unsigned char h[96];
	size_t at_w, n = b->end - b->body < 96 ? (size_t)(b->end - b->body) : 96;
	uint32_t w, hh;

	/* Version 0 is 84 bytes, 1 is 96: width and height, 16.16 fixed point, end it. */
	if (json_object_get(r->data, "width") || n < 84 || at(r, b->body, h, n) < 0)
		return;
	at_w = h[0] == 1 ? 88 : 76;
	if (at_w + 8 > n)
		return;
	w = be32(h + at_w) >> 16;
	hh = be32(h + at_w + 4) >> 16;
	/* Sound tracks have no size: the first track with one is the picture. */
	if (w && hh) {
		set_int(r->data, "width", w);
		set_int(r->data, "height", hh);
	}
}

int fx_media_iso6709(const char *s, double *lat, double *lon, double *alt)
{
	double v[3];
	char *end;
	int n = 0;

	while (n < 3 && (*s == '+' || *s == '-')) {
		v[n] = strtod(s, &end);
		if (end == s)
			return -1;
		n++;
		s = end;
	}
	if (n < 2 || (*s != '/' && *s != '\0') || fabs(v[0]) > 90 || fabs(v[1]) > 180)
		return -1;
	*lat = v[0];
	*lon = v[1];
	if (n == 3)
		*alt = v[2];
	return n;
}

/* udta/(c)xyz: a 16-bit length, a 16-bit language, and an ISO 6709 string. */
static void xyz(struct rd *r, const struct box *b)
{
	unsigned char h[4], s[128];
	double lat, lon, alt;
	size_t n;
	int k;

	if (b->end - b->body < 4 || at(r, b->body, h, 4) < 0)
		return;
	n = be16(h);
	if (n > b->end - b->body - 4 || n >= sizeof(s) || at(r, b->body + 4, s, n) < 0)
		return;
	s[n] = '\0';
	json_object_set_new(r->data, "location_raw", fx_json_text(s, n));
	k = fx_media_iso6709((const char *)s, &lat, &lon, &alt);
	if (k >= 2) {
		json_object_set_new(r->data, "latitude", json_real(lat));
		json_object_set_new(r->data, "longitude", json_real(lon));
	}
	if (k == 3)
		json_object_set_new(r->data, "altitude", json_real(alt));
}

static void moov(struct rd *r, const struct box *m)
{
	struct box b, c, d;
	uint64_t pos = m->body, p2, p3;

	while (next_box(r, &pos, m->end, &b, 0) > 0) {
		if (is(&b, "mvhd")) {
			mvhd(r, &b);
		} else if (is(&b, "trak")) {
			for (p2 = b.body; next_box(r, &p2, b.end, &c, 0) > 0;)
				if (is(&c, "tkhd"))
					tkhd(r, &c);
		} else if (is(&b, "udta")) {
			for (p2 = b.body; next_box(r, &p2, b.end, &c, 0) > 0;) {
				if (is(&c, "\xa9xyz"))
					xyz(r, &c);
				/* Some writers nest it one level down, in a meta or an ilst. */
				else if (is(&c, "meta") || is(&c, "ilst"))
					for (p3 = c.body + (is(&c, "meta") ? 4 : 0);
					     next_box(r, &p3, c.end, &d, 0) > 0;)
						if (is(&d, "\xa9xyz"))
							xyz(r, &d);
			}
		}
	}
}

/* In-memory boxes of a HEIF meta box. */
struct mbox {
	const unsigned char *p; /* body */
	size_t n;               /* body length */
	size_t off;             /* of the body, in the meta box's body */
	unsigned char type[4];
};

static int mnext(const unsigned char *p, size_t n, size_t *pos, struct mbox *b)
{
	uint64_t size, hdr = 8;

	if (*pos >= n || n - *pos < 8)
		return 0;
	size = be32(p + *pos);
	if (size == 1) {
		if (n - *pos < 16)
			return -1;
		size = be64(p + *pos + 8);
		hdr = 16;
	} else if (size == 0) {
		size = n - *pos;
	}
	if (size < hdr || size > n - *pos)
		return -1;
	memcpy(b->type, p + *pos + 4, 4);
	b->p = p + *pos + hdr;
	b->n = (size_t)(size - hdr);
	b->off = *pos + (size_t)hdr;
	*pos += (size_t)size;
	return 1;
}

/* A big-endian number of size 0, 4 or 8 bytes at *i of p (n long); -1 when it does not fit. */
static int field(const unsigned char *p, size_t n, size_t *i, unsigned size, uint64_t *v)
{
	if (size != 0 && size != 4 && size != 8)
		return -1;
	if (n - *i < size || *i > n)
		return -1;
	*v = size == 0 ? 0 : size == 4 ? be32(p + *i) : be64(p + *i);
	*i += size;
	return 0;
}

struct extent {
	uint64_t off, len;
};

/* Where iloc says item id lies in the file (method 0 only): up to 8 extents. Returns their count, -1 damaged. */
static int iloc(const struct mbox *b, uint32_t id, struct extent *ext)
{
	const unsigned char *p = b->p;
	unsigned v, osz, lsz, bsz, isz, method = 0;
	size_t n = b->n, i = 8;
	uint64_t count, item, base, ecount, k, x, o, l;
	int found = 0;

	if (n < 8)
		return -1;
	v = p[0];
	osz = p[4] >> 4;
	lsz = p[4] & 15;
	bsz = p[5] >> 4;
	isz = v == 1 || v == 2 ? p[5] & 15 : 0;
	if (v < 2) {
		count = be16(p + 6);
	} else {
		if (n < 10)
			return -1;
		count = be32(p + 6);
		i = 10;
	}
	for (; count; count--) {
		if (v < 2) {
			if (n - i < 2)
				return -1;
			item = be16(p + i);
			i += 2;
		} else {
			if (n - i < 4)
				return -1;
			item = be32(p + i);
			i += 4;
		}
		if (v == 1 || v == 2) {
			if (n - i < 2)
				return -1;
			method = be16(p + i) & 15;
			i += 2;
		}
		if (n - i < 2)
			return -1;
		i += 2; /* data reference index */
		if (field(p, n, &i, bsz, &base) < 0 || n - i < 2)
			return -1;
		ecount = be16(p + i);
		i += 2;
		for (k = 0; k < ecount; k++) {
			if (field(p, n, &i, isz, &x) < 0 || field(p, n, &i, osz, &o) < 0 ||
			    field(p, n, &i, lsz, &l) < 0)
				return -1;
			if (item == id && method == 0 && found < 8) {
				ext[found].off = base + o;
				ext[found].len = l;
				found++;
			}
		}
		if (item == id)
			return found;
	}
	return 0;
}

static void heif_meta(struct rd *r, const struct box *m)
{
	unsigned char *p;
	size_t n, pos, pos2, i, nprops = 0, k;
	struct mbox b, c, props[256], ipma;
	uint32_t primary = 0, exif_id = 0, item;
	uint64_t count, total = 0, got = 0;
	struct extent ext[8];
	unsigned v, assoc, idx, width = 0;
	unsigned char *buf;
	uint32_t tiff_off;
	int ne, e, have_ipma = 0;
	char msg[512];

	if (m->end - m->body > MAX_META) {
		bad(r, "HEIF meta box at offset %llu is larger than %u bytes", (ull)m->start,
		    MAX_META);
		return;
	}
	n = (size_t)(m->end - m->body);
	if (n < 4 || !(p = load(r, m->body, n)))
		return;
	/* pitm, iinf, iprp first: iloc is read once the Exif item is known. */
	for (pos = 4; mnext(p, n, &pos, &b) > 0;) {
		if (memcmp(b.type, "pitm", 4) == 0 && b.n >= 6) {
			primary = b.p[0] == 0 ? be16(b.p + 4) : (b.n >= 8 ? be32(b.p + 4) : 0);
		} else if (memcmp(b.type, "iinf", 4) == 0 && b.n >= 6) {
			pos2 = b.p[0] == 0 ? 6 : 8;
			while (mnext(b.p, b.n, &pos2, &c) > 0) {
				if (memcmp(c.type, "infe", 4) || c.n < 12 || c.p[0] < 2)
					continue;
				item = c.p[0] == 2 ? be16(c.p + 4) : be32(c.p + 4);
				k = c.p[0] == 2 ? 8 : 10;
				if (c.n >= k + 4 && memcmp(c.p + k, "Exif", 4) == 0 && !exif_id)
					exif_id = item;
			}
		} else if (memcmp(b.type, "iprp", 4) == 0) {
			for (pos2 = 0; mnext(b.p, b.n, &pos2, &c) > 0;) {
				if (memcmp(c.type, "ipco", 4) == 0) {
					for (k = 0; nprops < 256 && mnext(c.p, c.n, &k, &props[nprops]) > 0;)
						nprops++;
				} else if (memcmp(c.type, "ipma", 4) == 0 && c.n >= 8) {
					/* Read below: the primary item may come after. */
					ipma = c;
					have_ipma = 1;
				}
			}
		}
	}
	/* ipma: for the primary item, its ispe (image spatial extents). */
	if (have_ipma) {
		c = ipma;
		v = c.p[0];
		count = be32(c.p + 4);
		for (i = 8; count && i < c.n; count--) {
			if (c.n - i < (v < 1 ? 3u : 5u))
				break;
			item = v < 1 ? be16(c.p + i) : be32(c.p + i);
			i += v < 1 ? 2 : 4;
			assoc = c.p[i++];
			for (; assoc; assoc--) {
				if (c.p[3] & 1) {
					if (c.n - i < 2)
						break;
					idx = be16(c.p + i) & 0x7fff;
					i += 2;
				} else {
					if (c.n - i < 1)
						break;
					idx = c.p[i] & 0x7f;
					i += 1;
				}
				if (item == primary && idx >= 1 && idx <= nprops && !width &&
				    memcmp(props[idx - 1].type, "ispe", 4) == 0 && props[idx - 1].n >= 12) {
					width = be32(props[idx - 1].p + 4);
					set_int(r->data, "width", width);
					set_int(r->data, "height", be32(props[idx - 1].p + 8));
				}
			}
		}
	}
	json_object_set_new(r->data, "exif", json_false());
	if (exif_id) {
		ne = 0;
		for (pos = 4; mnext(p, n, &pos, &b) > 0;)
			if (memcmp(b.type, "iloc", 4) == 0)
				ne = iloc(&b, exif_id, ext);
		if (ne < 0) {
			bad(r, "HEIF item locations (iloc) in the meta box at offset %llu are damaged",
			    (ull)m->start);
		} else if (ne > 0) {
			for (e = 0; e < ne; e++)
				total += ext[e].len;
			if (total < 8 || total > FX_MEDIA_MAX_EXIF) {
				bad(r, "HEIF Exif item of %llu bytes cannot be read", (ull)total);
			} else {
				buf = fx_xmalloc((size_t)total);
				for (e = 0; e < ne; e++) {
					if (at(r, ext[e].off, buf + got, (size_t)ext[e].len) < 0)
						break;
					got += ext[e].len;
				}
				/* The item starts with the offset of the TIFF header after it. */
				tiff_off = got == total ? be32(buf) : 0;
				if (got == total && tiff_off <= total - 4 - 8) {
					if (fx_media_exif(buf + 4 + tiff_off, (size_t)(total - 4 - tiff_off),
							  ext[0].off + 4 + tiff_off, r->data, r->time,
							  msg, sizeof(msg)) < 0)
						bad(r, "%s", msg);
				} else if (got == total) {
					bad(r, "HEIF Exif item at offset %llu is damaged (TIFF header"
					    " offset %lu)", (ull)ext[0].off, (unsigned long)tiff_off);
				}
				free(buf);
			}
		}
	}
	free(p);
}

static void read_bmff(struct rd *r)
{
	struct box b;
	uint64_t pos = 0;
	int k;

	while ((k = next_box(r, &pos, r->size, &b, 1)) > 0) {
		if (is(&b, "moov"))
			moov(r, &b);
		else if (is(&b, "meta"))
			heif_meta(r, &b);
	}
}

/* ---- the entry points ---- */

const char *fx_media_sniff(const void *head, size_t len, int *video)
{
	static const char *const heic[] = { "heic", "heix", "heim", "heis", "hevc", "hevx" };
	const unsigned char *p = head;
	const char *fmt = NULL;
	size_t i, k;
	int v = 0;

	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		fmt = "jpeg";
	else if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		fmt = "png";
	else if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		fmt = "webp";
	else if (len >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		fmt = "gif";
	else if (len >= 26 && p[0] == 'B' && p[1] == 'M' &&
		 (le32(p + 14) == 12 || le32(p + 14) == 40 || le32(p + 14) == 56 ||
		  le32(p + 14) == 108 || le32(p + 14) == 124))
		fmt = "bmp";
	else if (len >= 12 && memcmp(p + 4, "ftyp", 4) == 0) {
		for (i = 0; i < sizeof(heic) / sizeof(heic[0]); i++)
			if (memcmp(p + 8, heic[i], 4) == 0)
				fmt = "heic";
		if (fmt) {
			/* HEIC */
		} else if (memcmp(p + 8, "avif", 4) == 0 || memcmp(p + 8, "avis", 4) == 0)
			fmt = "avif";
		else if (memcmp(p + 8, "mif1", 4) == 0 || memcmp(p + 8, "msf1", 4) == 0) {
			/* A generic HEIF brand: the compatible brands say which. */
			fmt = "heif";
			for (k = 16; k + 4 <= len && k + 4 <= be32(p); k += 4) {
				if (memcmp(p + k, "heic", 4) == 0)
					fmt = "heic";
				else if (memcmp(p + k, "avif", 4) == 0)
					fmt = "avif";
			}
		} else if (memcmp(p + 8, "qt  ", 4) == 0) {
			fmt = "mov";
			v = 1;
		} else if (memcmp(p + 8, "3g", 2) == 0) {
			fmt = "3gp";
			v = 1;
		} else {
			fmt = "mp4";
			v = 1;
		}
	}
	if (video)
		*video = v;
	return fmt;
}

int fx_media_read(int fd, uint64_t size, json_t *data, char time[FX_TIME_LEN], char *problem,
		  size_t plen)
{
	struct rd r = { fd, size, data, time, problem, plen, 0 };
	unsigned char head[64];
	size_t n = size < sizeof(head) ? (size_t)size : sizeof(head);
	const char *fmt;
	int video;

	time[0] = '\0';
	if (plen)
		problem[0] = '\0';
	if (at(&r, 0, head, n) < 0)
		return 0;
	fmt = fx_media_sniff(head, n, &video);
	if (!fmt)
		return 0;
	json_object_set_new(data, "kind", json_string(video ? "video" : "image"));
	json_object_set_new(data, "format", json_string(fmt));
	if (strcmp(fmt, "jpeg") == 0)
		read_jpeg(&r);
	else if (strcmp(fmt, "png") == 0)
		read_png(&r);
	else if (strcmp(fmt, "webp") == 0)
		read_webp(&r);
	else if (strcmp(fmt, "gif") == 0)
		read_gif(&r);
	else if (strcmp(fmt, "bmp") == 0)
		read_bmp(&r);
	else
		read_bmff(&r);
	if (r.bad) {
		json_object_set_new(data, "problem", json_string(problem));
		return -1;
	}
	return 1;
}
