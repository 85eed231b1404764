/*
 * The fx-ocr commands on one image each: the file read once, hashed as it
 * is read (and stored, with a case), then decoded and read; its records
 * written, and with a case added in one change with the image's custody
 * entry. A bad image is reported naming it, nothing of it is stored, and
 * the next one is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ocr_int.h"
#include "fx_codes.h"
#include "fx_err.h"
#include "fx_magic.h"
#include "fx_record.h"
#include "fx_banned.h"

void fx_ocr_run_release(struct fx_ocr_run *r)
{
	fx_ocr_free(r->o);
	r->o = NULL;
}

/* The recognizer, loaded on first use. NULL after reporting. */
static struct fx_ocr *engine(struct fx_ocr_run *r)
{
	if (!r->o)
		r->o = fx_ocr_new();
	return r->o;
}

/* ---- reading an input ---- */

int ocr_input_read(struct fx_ocr_run *r, const char *path, size_t max, struct ocr_input *in)
{
	struct fx_hash *h;
	struct stat st;
	unsigned char md[FX_SHA256_LEN], *buf;
	ssize_t n = 0;
	int fd;

	memset(in, 0, sizeof(*in));
	in->path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fx_error_errno("cannot open '%s'", path);
		return 1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fx_error("'%s': not a regular file", path);
		close(fd);
		return 1;
	}
	if ((uint64_t)st.st_size > max) {
		fx_error("'%s': too large to read (%llu bytes, more than %zu MiB)", path,
			 (unsigned long long)st.st_size, max >> 20);
		close(fd);
		return 1;
	}
	if (r->c) {
		in->put = fx_store_put_begin(fx_case_store(r->c));
		if (!in->put) {
			close(fd);
			return -1;
		}
	}
	/*
	 * One pass: the bytes are hashed, and with a case written to the
	 * store, as they are read; the object is kept only when the image
	 * proves good (ocr_input_keep).
	 */
	h = fx_hash_new(FX_HASH_SHA256);
	in->data = fx_xmalloc((size_t)st.st_size + 1);
	for (;;) {
		size_t want = (size_t)st.st_size - in->len;

		if (!want) {
			/* The file may have grown since: read on, within the bound. */
			in->data = fx_xrealloc(in->data, in->len + 65536 + 1);
			want = 65536;
		}
		n = read(fd, in->data + in->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf = in->data + in->len;
		in->len += (size_t)n;
		fx_hash_update(h, buf, (size_t)n);
		if (in->put && fx_store_put_write(in->put, buf, (size_t)n) < 0) {
			close(fd);
			fx_hash_free(h);
			ocr_input_release(in);
			return -1;
		}
		if (in->len > max)
			break;
	}
	close(fd);
	fx_hash_final(h, md);
	fx_hash_free(h);
	fx_hex(md, sizeof(md), in->sha256);
	if (n < 0 || in->len > max) {
		if (n < 0)
			fx_error_errno("cannot read '%s' at offset %zu", path, in->len);
		else
			fx_error("'%s': too large to read (more than %zu MiB)", path, max >> 20);
		ocr_input_release(in);
		return 1;
	}
	return 0;
}

int ocr_input_keep(struct fx_ocr_run *r, struct ocr_input *in)
{
	char hex[FX_SHA256_HEX];
	uint64_t size;
	int existed;

	if (!in->put)
		return 0;
	if (fx_store_put_commit(in->put, hex, &size, &existed) < 0) {
		in->put = NULL;
		return -1;
	}
	in->put = NULL;
	if (strcmp(hex, in->sha256) != 0)
		return fx_error("'%s': stored as %s, read as %s: the file changed while read",
				in->path, hex, in->sha256);
	fx_case_note_object(r->c, in->sha256);
	return 0;
}

void ocr_input_release(struct ocr_input *in)
{
	if (in->put)
		fx_store_put_abort(in->put);
	free(in->data);
	in->data = NULL;
	in->put = NULL;
}

/* ---- records ---- */

json_t *ocr_record(struct fx_ocr_run *r, const char *type, const struct ocr_input *in)
{
	json_t *rec = fx_record_new(type, r->c ? fx_case_id(r->c) : NULL, NULL);

	if (r->device)
		json_object_set_new(rec, FX_KEY_DEVICE, json_string(r->device));
	if (in)
		json_object_set_new(
			rec, FX_KEY_SRC,
			json_pack("{s:s,s:s}", FX_SRC_SHA256, in->sha256, FX_SRC_PATH, in->path));
	return rec;
}

/* The file record of a stored input. New reference. */
static json_t *file_record(struct fx_ocr_run *r, const struct ocr_input *in)
{
	json_t *rec = ocr_record(r, "file", NULL), *data = json_object_get(rec, FX_KEY_DATA);
	const char *mime = fx_magic_type(in->data, in->len < FX_MAGIC_LEN ? in->len : FX_MAGIC_LEN);

	json_object_set_new(data, "path", fx_json_text(in->path, strlen(in->path)));
	json_object_set_new(data, "sha256", json_string(in->sha256));
	json_object_set_new(data, "size", json_integer((json_int_t)in->len));
	json_object_set_new(data, "kind", json_string("file"));
	if (mime)
		json_object_set_new(data, "mime", json_string(mime));
	json_object_set_new(rec, FX_KEY_SRC, json_pack("{s:s}", FX_SRC_PATH, in->path));
	return rec;
}

int ocr_emit(struct fx_ocr_run *r, json_t *rec, const char *where)
{
	int ret = 0;

	if (r->c && fx_case_add_record(r->c, rec, where, NULL) < 0)
		ret = -1;
	else if (r->out && fx_record_write(r->out, rec) < 0)
		ret = -1;
	json_decref(rec);
	return ret;
}

int ocr_change_begin(struct fx_ocr_run *r, const char *command, const char *path)
{
	json_t *in;

	if (!r->c)
		return 0;
	if (fx_case_begin(r->c, "ocr") < 0)
		return -1;
	in = json_pack("{s:s,s:s,s:s}", "kind", "image", "command", command, "path", path);
	fx_case_note_input(r->c, in);
	json_decref(in);
	return 0;
}

int ocr_change_end(struct fx_ocr_run *r, const char *command, const struct ocr_input *in, int ok)
{
	json_t *detail;
	int ret;

	if (!r->c)
		return 0;
	if (!ok) {
		fx_case_rollback(r->c);
		return 0;
	}
	detail = json_pack("{s:s,s:s,s:s}", "command", command, "path", in->path, "sha256",
			   in->sha256);
	ret = fx_case_commit(r->c, detail, NULL);
	json_decref(detail);
	return ret;
}

/* ---- one image, any command ---- */

typedef int (*image_fn)(struct fx_ocr_run *r, struct ocr_input *in, json_t **recs);

/*
 * Reads path and runs fn on it; fn returns 0 with its records in *recs (an
 * array, new reference), 1 after reporting a bad image, -1 on trouble.
 * The records (the file record first, with a case) are then written and
 * stored. Returns 0, 1 or -1 as the commands do.
 */
static int one_image(struct fx_ocr_run *r, const char *command, const char *path, image_fn fn)
{
	struct ocr_input in;
	json_t *recs = NULL, *rec;
	char where[64];
	size_t i;
	int ret;

	if (ocr_change_begin(r, command, path) < 0)
		return -1;
	ret = ocr_input_read(r, path, FX_OCR_MAX_BYTES, &in);
	if (ret == 0) {
		r->images++;
		ret = fn(r, &in, &recs);
	}
	if (ret == 0 && ocr_input_keep(r, &in) < 0)
		ret = -1;
	if (ret == 0 && r->c) {
		/* The image is evidence: it is kept, and described, before what was read from it.
		 */
		if (ocr_emit(r, file_record(r, &in), path) < 0)
			ret = -1;
	}
	for (i = 0; ret == 0 && i < json_array_size(recs); i++) {
		rec = json_incref(json_array_get(recs, i));
		snprintf(where, sizeof(where), "record %zu", i + 1);
		if (ocr_emit(r, rec, where) < 0)
			ret = -1;
	}
	json_decref(recs);
	if (ret == 1)
		r->problems++;
	if (ocr_change_end(r, command, &in, ret == 0) < 0)
		ret = -1;
	ocr_input_release(&in);
	return ret;
}

/* "'x.png': reason", as every bad image is reported. Returns 1. */
static int bad_image(const struct ocr_input *in, const char *why, int width, int height)
{
	if (why && strcmp(why, "too many pixels to read") == 0 && width)
		fx_error("'%s': %d x %d pixels, more than %llu million: refused before decoding "
			 "(scale it down first)",
			 in->path, width, height, FX_OCR_MAX_PIXELS >> 20);
	else
		fx_error("'%s': %s", in->path, why ? why : "cannot be read");
	return 1;
}

/* ---- text ---- */

static double round_to(double v, double unit)
{
	return round(v / unit) * unit;
}

static json_t *box_json(const struct fx_ocr_page *p, int x, int y, int w, int h)
{
	fx_ocr_page_box(p, &x, &y, &w, &h);
	return json_pack("[i,i,i,i]", x, y, w, h);
}

json_t *fx_ocr_page_json(const struct fx_ocr_page *p)
{
	json_t *data = json_object(), *lines = json_array(), *words = json_array(), *pre;
	struct fx_buf text = FX_BUF_INIT;
	long sum = 0;
	size_t i;

	fx_buf_add(&text, "", 0);
	for (i = 0; i < p->nlines; i++) {
		const struct fx_ocr_line *l = &p->lines[i];

		if (i)
			fx_buf_add(&text, "\n", 1);
		fx_buf_add(&text, l->text, strlen(l->text));
		json_array_append_new(lines,
				      json_pack("{s:o,s:i,s:o,s:s}", "text",
						fx_json_text(l->text, strlen(l->text)), "conf",
						l->conf, "box", box_json(p, l->x, l->y, l->w, l->h),
						"lang", l->lang));
	}
	for (i = 0; i < p->nwords; i++) {
		const struct fx_ocr_word *w = &p->words[i];

		sum += w->conf;
		json_array_append_new(words,
				      json_pack("{s:o,s:i,s:o,s:I}", "text",
						fx_json_text(w->text, strlen(w->text)), "conf",
						w->conf, "box", box_json(p, w->x, w->y, w->w, w->h),
						"line", (json_int_t)w->line));
	}
	json_object_set_new(data, "text", fx_json_text(text.data, text.len));
	fx_buf_release(&text);
	json_object_set_new(data, "confidence",
			    json_integer(p->nwords ? (json_int_t)(sum / (long)p->nwords) : 0));
	json_object_set_new(data, "languages", json_string("eng+chi_sim"));
	json_object_set_new(data, "lines", lines);
	json_object_set_new(data, "words", words);
	json_object_set_new(data, "image_width", json_integer(p->width));
	json_object_set_new(data, "image_height", json_integer(p->height));
	pre = json_pack("{s:b,s:f,s:f,s:i}", "inverted", p->inverted, "scale",
			round_to(p->scale, 0.001), "skew", round_to(p->skew, 0.01), "reduction",
			p->reduction);
	if (p->text_height)
		json_object_set_new(pre, "text_height", json_integer(p->text_height));
	json_object_set_new(data, "preprocess", pre);
	return data;
}

/* Reads the page of in; 1 (reported) for an image that cannot be read. */
static int read_page(struct fx_ocr_run *r, struct ocr_input *in, struct fx_ocr_page *page,
		     int device, struct fx_ocr_device *d, unsigned flags)
{
	const char *why = NULL;
	struct fx_ocr *o = engine(r);
	int n;

	if (!o)
		return -1;
	n = device ? fx_ocr_device_read(o, in->data, in->len, page, d, &why)
		   : fx_ocr_read_image(o, in->data, in->len, flags, page, &why);
	if (n < 0)
		return bad_image(in, why, page->width, page->height);
	if (page->damaged && !r->quiet)
		fx_warn("'%s': %s", in->path, page->damaged);
	if (!page->nwords) {
		fx_error("'%s': no text found in the image", in->path);
		return 1;
	}
	return 0;
}

static int text_fn(struct fx_ocr_run *r, struct ocr_input *in, json_t **recs)
{
	struct fx_ocr_page page;
	json_t *rec;
	int ret;

	memset(&page, 0, sizeof(page));
	ret = read_page(r, in, &page, 0, NULL, 0);
	if (ret == 0) {
		rec = ocr_record(r, "ocr", in);
		json_object_set_new(rec, FX_KEY_DATA, fx_ocr_page_json(&page));
		*recs = json_array();
		json_array_append_new(*recs, rec);
	}
	fx_ocr_page_release(&page);
	return ret;
}

int fx_ocr_text(struct fx_ocr_run *r, const char *path)
{
	return one_image(r, "text", path, text_fn);
}

/* ---- device ---- */

/*
 * The case's key for the device: --device, else a device of the case
 * that has one of the IMEIs read (as its first or second), else imei:…,
 * else serial:…, else one made from the image. Caller frees.
 */
static char *device_key(struct fx_ocr_run *r, const struct fx_ocr_device *d,
			const struct ocr_input *in)
{
	const char *imei = d->f[FX_OCR_IMEI].value, *imei2 = d->f[FX_OCR_IMEI2].value;
	const char *serial = d->f[FX_OCR_SERIAL].value;
	json_t *info, *dev;
	size_t i;
	char *key = NULL;

	if (r->device)
		return fx_xstrdup(r->device);
	if (r->c && (imei || imei2)) {
		info = fx_case_info(r->c);
		json_array_foreach(json_object_get(info, "devices"), i, dev)
		{
			const char *a = json_string_value(json_object_get(dev, "imei"));
			const char *b = json_string_value(json_object_get(dev, "imei2"));
			const char *k = json_string_value(json_object_get(dev, "key"));

			if (!k)
				continue;
			if ((imei &&
			     ((a && strcmp(a, imei) == 0) || (b && strcmp(b, imei) == 0))) ||
			    (imei2 &&
			     ((a && strcmp(a, imei2) == 0) || (b && strcmp(b, imei2) == 0)))) {
				key = fx_xstrdup(k);
				break;
			}
		}
		json_decref(info);
		if (key)
			return key;
	}
	if (imei)
		return fx_xasprintf("imei:%s", imei);
	if (imei2)
		return fx_xasprintf("imei:%s", imei2);
	if (serial)
		return fx_xasprintf("serial:%s", serial);
	return fx_xasprintf("gen:%.16s", in->sha256);
}

static int device_fn(struct fx_ocr_run *r, struct ocr_input *in, json_t **recs)
{
	struct fx_ocr_device d;
	struct fx_ocr_page page;
	json_t *rec, *data, *conf;
	char *key;
	int ret, i, n = 0;

	memset(&page, 0, sizeof(page));
	memset(&d, 0, sizeof(d));
	ret = read_page(r, in, &page, 1, &d, 0);
	for (i = 0; ret == 0 && i < FX_OCR_NFIELDS; i++)
		n += d.f[i].value != NULL;
	if (ret == 0 && d.rejected_imeis && !r->quiet)
		fx_warn("'%s': %d number%s after an IMEI label not taken: the reads disagree or "
			"the check digit is wrong",
			in->path, d.rejected_imeis, d.rejected_imeis > 1 ? "s" : "");
	if (ret == 0 && !n) {
		fx_error("'%s': no device details found", in->path);
		ret = 1;
	}
	if (ret == 0) {
		rec = ocr_record(r, "device", in);
		data = json_object_get(rec, FX_KEY_DATA);
		conf = json_object();
		key = device_key(r, &d, in);
		json_object_set_new(rec, FX_KEY_DEVICE, json_string(key));
		json_object_set_new(data, "key", json_string(key));
		free(key);
		for (i = 0; i < FX_OCR_NFIELDS; i++) {
			if (!d.f[i].value)
				continue;
			json_object_set_new(data, d.f[i].name, json_string(d.f[i].value));
			json_object_set_new(conf, d.f[i].name, json_integer(d.f[i].conf));
		}
		json_object_set_new(data, "confidence", conf);
		json_object_set_new(
			data, "sources",
			json_pack("[{s:s,s:s}]", FX_SRC_SHA256, in->sha256, FX_SRC_PATH, in->path));
		*recs = json_array();
		json_array_append_new(*recs, rec);
	}
	fx_ocr_device_release(&d);
	fx_ocr_page_release(&page);
	return ret;
}

int fx_ocr_device(struct fx_ocr_run *r, const char *path)
{
	return one_image(r, "device", path, device_fn);
}

/* ---- codes ---- */

struct codes_ctx {
	struct fx_ocr_run *r;
	struct ocr_input *in;
	json_t *recs;
};

static int on_code(void *ctx, const struct fx_code *c)
{
	struct codes_ctx *k = ctx;
	json_t *rec = ocr_record(k->r, "code", k->in);

	fx_codes_json(c, json_object_get(rec, FX_KEY_DATA));
	json_array_append_new(k->recs, rec);
	return 0;
}

static int codes_fn(struct fx_ocr_run *r, struct ocr_input *in, json_t **recs)
{
	struct codes_ctx k = {r, in, json_array()};
	const char *why = NULL;
	int n;

	n = fx_codes_scan(in->data, in->len, on_code, &k, &why);
	if (n < 0) {
		json_decref(k.recs);
		return bad_image(in, why, 0, 0);
	}
	if (why && !r->quiet)
		fx_warn("'%s': %s", in->path, why);
	if (n == 0 && !r->quiet)
		fx_warn("'%s': no QR code or barcode found", in->path);
	*recs = k.recs;
	return 0;
}

int fx_ocr_codes(struct fx_ocr_run *r, const char *path)
{
	return one_image(r, "codes", path, codes_fn);
}

/* ---- idcard ---- */

static int idcard_fn(struct fx_ocr_run *r, struct ocr_input *in, json_t **recs)
{
	struct fx_ocr_idcard card;
	struct fx_ocr_page page;
	json_t *rec;
	int ret;

	memset(&page, 0, sizeof(page));
	memset(&card, 0, sizeof(card));
	ret = read_page(r, in, &page, 0, NULL, FX_OCR_CHINESE);
	if (ret == 0 && !fx_ocr_idcard_parse(&page, &card)) {
		fx_error("'%s': no identity number found", in->path);
		ret = 1;
	}
	if (ret == 0) {
		rec = ocr_record(r, "idcard", in);
		json_object_set_new(rec, FX_KEY_DATA, fx_ocr_idcard_json(&card));
		*recs = json_array();
		json_array_append_new(*recs, rec);
		if (!card.number_valid) {
			/* A negative result: the record says so, and so does the exit status. */
			fx_error("'%s': identity number %s fails its check character", in->path,
				 card.number);
			r->negative = 1;
		}
	}
	fx_ocr_idcard_release(&card);
	fx_ocr_page_release(&page);
	return ret;
}

int fx_ocr_idcard(struct fx_ocr_run *r, const char *path)
{
	return one_image(r, "idcard", path, idcard_fn);
}
