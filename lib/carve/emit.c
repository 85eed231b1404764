/*
 * From a candidate cell to a carved record: its payload reassembled from
 * the page and its overflow chain, its values decoded by column, and the
 * record written as a JSON line or a CSV row.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_banned.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * The candidate's payload: its local bytes, then its overflow pages while
 * they can still be its own (free or unreferenced pages, each once).
 * *have gets the bytes recovered (payload size when whole), *broken 1
 * when the chain ended early. Returns a malloc'd buffer (caller frees).
 */
uint8_t *cv_cand_payload(struct cv_db *db, const struct cv_img *im, const struct cv_cand *c,
			 uint32_t *have, int *broken, uint32_t *npages)
{
	uint64_t want = c->payload > CV_MAX_PAYLOAD ? CV_MAX_PAYLOAD : c->payload;
	uint32_t got = c->avail, pg = c->ovfl, take, U = db->usable, pages = 0;
	uint8_t *buf = fx_xmalloc(want ? (size_t)want : 1);
	const uint8_t *p;
	struct cv_set seen = {NULL, 0, 0};

	memcpy(buf, im->p + c->pay, got);
	*broken = 0;
	if (!c->partial && c->payload > c->local) {
		while (got < want) {
			if (pg < 2 || pg > db->npages || !cv_set_add(&seen, pg) ||
			    (db->state[pg] != CV_P_FREE && db->state[pg] != CV_P_UNREACHED)) {
				*broken = 1;
				break;
			}
			p = cv_page(db, pg, db->buf[3]);
			if (!p) {
				*broken = 1;
				break;
			}
			take = want - got < U - 4 ? (uint32_t)(want - got) : U - 4;
			memcpy(buf + got, p + 4, take);
			got += take;
			pages++;
			pg = be32(p);
		}
	}
	cv_set_release(&seen);
	*have = got;
	if (npages)
		*npages = pages;
	return buf;
}

static double round2(double x)
{
	return floor(x * 100 + 0.5) / 100;
}

static const char *role_word(int role)
{
	return role == CV_WAL ? "wal" : role == CV_JOURNAL ? "journal" : "db";
}

static const char *wal_state_word(int s)
{
	return s == CV_W_COMMITTED ? "committed" : s == CV_W_UNCOMMITTED ? "uncommitted" : "stale";
}

/* ---- CSV ---- */

static void csv_field(FILE *fp, const char *s, size_t n, int first)
{
	size_t i;
	int quote = 0;

	if (!first)
		fputc(',', fp);
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (!quote) {
		fwrite(s, 1, n, fp);
		return;
	}
	fputc('"', fp);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', fp);
		fputc(s[i], fp);
	}
	fputc('"', fp);
}

static void csv_str(FILE *fp, const char *s)
{
	csv_field(fp, s ? s : "", s ? strlen(s) : 0, 0);
}

/* A JSON scalar as CSV text: blobs as x'…', NULL as NULL. */
static char *csv_value(const json_t *col)
{
	const json_t *v = json_object_get(col, "value");
	const char *type = json_string_value(json_object_get(col, "type"));

	if (!json_is_true(json_object_get(col, "intact")) && !v)
		return fx_xstrdup("?");
	if (!v || json_is_null(v))
		return fx_xstrdup("NULL");
	if (json_is_object(v)) {
		const char *hex = json_string_value(json_object_get(v, FX_KEY_HEX));

		return fx_xasprintf("%s'%s'", type && strcmp(type, "text") == 0 ? "hex:" : "x",
				    hex ? hex : "");
	}
	if (json_is_string(v))
		return fx_xstrdup(json_string_value(v));
	return fx_json_dump(v);
}

void cv_csv_header(struct fx_carve_out *o)
{
	if (o->format != FX_CARVE_CSV || o->header_done)
		return;
	fputs("file,path,offset,page,region,table,table_confidence,confidence,partial,"
	      "rowid,wal_frame,values\n",
	      o->fp);
	o->header_done = 1;
}

static int write_csv(struct fx_carve_out *o, const json_t *rec)
{
	FILE *fp = o->fp;
	const json_t *d = json_object_get(rec, "data"), *src = json_object_get(rec, "src"), *cols;
	const char *keys[] = {"offset",     "page",    "region", "table",    "table_confidence",
			      "confidence", "partial", "rowid",  "wal_frame"};
	size_t i;
	char *s;

	cv_csv_header(o);
	s = fx_xstrdup(json_string_value(json_object_get(d, "file")));
	csv_field(fp, s, strlen(s), 1);
	free(s);
	csv_str(fp, json_string_value(json_object_get(src, FX_SRC_PATH)));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const json_t *v = json_object_get(d, keys[i]);

		if (!v) {
			csv_str(fp, "");
		} else if (json_is_string(v)) {
			csv_str(fp, json_string_value(v));
		} else {
			s = fx_json_dump(v);
			csv_str(fp, s);
			free(s);
		}
	}
	cols = json_object_get(d, "columns");
	for (i = 0; i < json_array_size(cols); i++) {
		const json_t *col = json_array_get(cols, i);
		char *v = csv_value(col), *cell;

		cell = fx_xasprintf("%s=%s", json_string_value(json_object_get(col, "name")), v);
		csv_str(fp, cell);
		free(cell);
		free(v);
	}
	if (fputc('\n', fp) == EOF)
		return fx_error_errno("cannot write the output");
	return 0;
}

/* ---- the record ---- */

static json_t *columns(struct cv_db *db, const struct cv_cand *c, const uint64_t *st,
		       const uint8_t *pay, uint32_t have, int broken, int *nintact)
{
	const struct cv_schema *s = c->schema >= 0 ? db->sch[c->schema] : NULL;
	json_t *arr = json_array(), *col, *v;
	uint64_t off = c->hdr_len;
	const char *type;
	char name[32];
	int64_t sz;
	int i;

	(void)broken;
	*nintact = 0;
	for (i = 0; i < c->n; i++) {
		sz = cv_st_size(st[i]);
		col = json_object();
		if (s && i < s->nrec && s->col[i]) {
			json_object_set_new(col, "name", json_string(s->col[i]));
		} else {
			snprintf(name, sizeof(name), "c%d", i + 1);
			json_object_set_new(col, "name", json_string(name));
		}
		if ((i < 32 && (c->lost >> i & 1)) || off + (uint64_t)sz > have) {
			/* Overwritten, cut off, or in overflow pages that are gone. */
			json_object_set_new(col, "intact", json_false());
		} else if (s && i == s->ipk && s->kind == CV_K_TABLE && st[i] == 0) {
			/* The rowid alias is stored as NULL: its value is the rowid. */
			if (c->has_rowid) {
				json_object_set_new(col, "type", json_string("integer"));
				json_object_set_new(col, "value", json_integer(c->rowid));
				json_object_set_new(col, "intact", json_true());
				(*nintact)++;
			} else {
				json_object_set_new(col, "intact", json_false());
			}
		} else {
			v = cv_value_json(db->enc, st[i], pay + off, (size_t)sz, &type);
			json_object_set_new(col, "type", json_string(type));
			json_object_set_new(col, "value", v);
			json_object_set_new(col, "intact", json_true());
			(*nintact)++;
		}
		off += (uint64_t)sz;
		json_array_append_new(arr, col);
	}
	return arr;
}

/* Everything a carved record says, gathered once for either output form. */
struct er {
	struct cv_db *db;
	const struct cv_img *im;
	const struct cv_cand *c;
	const uint64_t *st;
	const struct cv_schema *s;
	const struct cv_file *f;
	const char *table;
	const json_t *case_id, *device;
	uint8_t *pay;
	uint32_t have, npages;
	int broken, nintact, meaningful;
	double conf;
};

static void gather(struct er *e, struct cv_db *db, const struct cv_img *im, const struct cv_cand *c,
		   const uint64_t *st)
{
	const json_t *v;
	uint64_t off;
	int64_t sz;
	int i;

	memset(e, 0, sizeof(*e));
	e->db = db;
	e->im = im;
	e->c = c;
	e->st = st;
	e->s = c->schema >= 0 ? db->sch[c->schema] : NULL;
	e->f = &db->f[im->role];
	e->table = e->s ? e->s->table : NULL;
	if (db->like && (v = json_object_get(db->like, FX_KEY_CASE)) && json_is_string(v))
		e->case_id = v;
	if (db->like && (v = json_object_get(db->like, FX_KEY_DEVICE)) && json_is_string(v))
		e->device = v;
	e->pay = cv_cand_payload(db, im, c, &e->have, &e->broken, &e->npages);
	/* Columns whose bytes are all there (the rowid alias only with a rowid). */
	off = c->hdr_len;
	for (i = 0; i < c->n; i++) {
		sz = cv_st_size(st[i]);
		if (!((i < 32 && (c->lost >> i & 1)) || off + (uint64_t)sz > e->have) &&
		    !(e->s && i == e->s->ipk && e->s->kind == CV_K_TABLE && st[i] == 0 &&
		      !c->has_rowid)) {
			e->nintact++;
			/* A value that says something: not NULL, not an index's rowid. */
			if (st[i] != 0 && !(e->s && e->s->kind == CV_K_INDEX && i == c->n - 1))
				e->meaningful++;
		}
		off += (uint64_t)sz;
	}
	e->conf = c->score;
	if (c->partial || e->broken)
		e->conf *= c->n ? 0.5 + 0.5 * e->nintact / c->n : 0.5;
	e->conf = round2(e->conf > 1 ? 1 : e->conf);
}

static json_t *record_json(struct er *e)
{
	const struct cv_cand *c = e->c;
	const struct cv_img *im = e->im;
	struct fx_carve_out *o = e->db->out;
	json_t *rec, *src, *data;
	int nintact;

	rec = fx_record_new("carved", NULL, "fx-carve");
	if (e->case_id)
		json_object_set(rec, FX_KEY_CASE, (json_t *)e->case_id);
	else if (o->case_id)
		json_object_set_new(rec, FX_KEY_CASE, json_string(o->case_id));
	if (e->device)
		json_object_set(rec, FX_KEY_DEVICE, (json_t *)e->device);
	src = json_object();
	json_object_set_new(src, FX_SRC_SHA256, json_string(e->f->sha256));
	json_object_set_new(src, FX_SRC_PATH, fx_json_text(e->f->name, strlen(e->f->name)));
	json_object_set_new(src, FX_SRC_PAGE, json_integer(im->pgno));
	json_object_set_new(src, FX_SRC_OFFSET, json_integer((json_int_t)(im->foff + c->off)));
	json_object_set_new(src, FX_SRC_REGION, json_string(cv_region_name(c->region)));
	if (e->table)
		json_object_set_new(src, FX_SRC_TABLE, json_string(e->table));
	if (c->has_rowid)
		json_object_set_new(src, FX_SRC_ROWID, json_integer(c->rowid));
	json_object_set_new(rec, FX_KEY_SRC, src);

	data = json_object_get(rec, FX_KEY_DATA);
	if (e->table)
		json_object_set_new(data, "table", json_string(e->table));
	json_object_set_new(data, "table_confidence", json_real(round2(e->table ? c->tconf : 0)));
	if (e->s && e->s->kind == CV_K_INDEX)
		json_object_set_new(data, "index", json_string(e->s->name));
	json_object_set_new(data, "columns",
			    columns(e->db, c, e->st, e->pay, e->have, e->broken, &nintact));
	if (c->has_rowid)
		json_object_set_new(data, "rowid", json_integer(c->rowid));
	json_object_set_new(data, "region", json_string(cv_region_name(c->region)));
	json_object_set_new(data, "page", json_integer(im->pgno));
	json_object_set_new(data, "offset", json_integer((json_int_t)(im->foff + c->off)));
	json_object_set_new(data, "file", json_string(role_word(im->role)));
	if (im->fr) {
		json_object_set_new(data, "wal_frame", json_integer(im->frame));
		json_object_set_new(
			data, "wal_salt",
			json_pack("[I,I]", (json_int_t)im->fr->salt1, (json_int_t)im->fr->salt2));
		json_object_set_new(data, "wal_state", json_string(wal_state_word(im->fr->state)));
	}
	if (c->ovfl) {
		json_object_set_new(data, "overflow_pages", json_integer(e->npages));
		json_object_set_new(data, "overflow_broken", json_boolean(e->broken));
	}
	json_object_set_new(data, "partial", json_boolean(c->partial || e->broken));
	json_object_set_new(data, "confidence", json_real(e->conf));
	return rec;
}

/* ---- the canonical line, written directly (as fx_json.c encodes it) ---- */

static void jc(struct fx_buf *b, char ch)
{
	fx_buf_add(b, &ch, 1);
}

static void js(struct fx_buf *b, const char *s)
{
	fx_buf_add(b, s, strlen(s));
}

/* A string as RFC 8785 and fx_json.c write it: only ", \ and controls escaped. */
static void jstr(struct fx_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	unsigned char ch;

	jc(b, '"');
	for (i = 0; i < n; i++) {
		ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		fx_buf_add(b, s + run, i - run);
		run = i + 1;
		switch (ch) {
		case '"':
			js(b, "\\\"");
			break;
		case '\\':
			js(b, "\\\\");
			break;
		case '\b':
			js(b, "\\b");
			break;
		case '\f':
			js(b, "\\f");
			break;
		case '\n':
			js(b, "\\n");
			break;
		case '\r':
			js(b, "\\r");
			break;
		case '\t':
			js(b, "\\t");
			break;
		default: {
			char u[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};

			fx_buf_add(b, u, 6);
		}
		}
	}
	fx_buf_add(b, s + run, n - run);
	jc(b, '"');
}

/* A real in the shortest form that reads back the same, kept a real (1.0). */
static void jreal(struct fx_buf *b, double d)
{
	char tmp[40];
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	js(b, tmp);
	if (!strpbrk(tmp, ".eEn"))
		js(b, ".0");
}

static void jint(struct fx_buf *b, long long v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%lld", v);
	js(b, tmp);
}

static void jhex(struct fx_buf *b, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	char two[2];

	js(b, "{\"hex\":\"");
	fx_buf_grow(b, 2 * n);
	for (i = 0; i < n; i++) {
		two[0] = hex[p[i] >> 4];
		two[1] = hex[p[i] & 15];
		fx_buf_add(b, two, 2);
	}
	js(b, "\"}");
}

/* Text: a string when valid (UTF-16 converted), else its bytes in hex. */
static void jtext(struct fx_buf *b, int enc, const uint8_t *p, size_t n)
{
	size_t len;
	char *t;

	if (enc != CV_UTF16LE && enc != CV_UTF16BE) {
		if (cv_text_ok(CV_UTF8, p, n))
			jstr(b, (const char *)p, n);
		else
			jhex(b, p, n);
		return;
	}
	t = cv_text_utf8(enc, p, n, &len);
	if (t)
		jstr(b, t, len);
	else
		jhex(b, p, n);
	free(t);
}

static void jvalue(struct fx_buf *b, int enc, uint64_t st, const uint8_t *p, size_t n)
{
	uint64_t bits = 0;
	double d;
	int i;

	if (st == 0) {
		js(b, "\"type\":\"null\",\"value\":null");
	} else if (st <= 6 || st == 8 || st == 9) {
		js(b, "\"type\":\"integer\",\"value\":");
		jint(b, (long long)cv_int_value(st, p));
	} else if (st == 7) {
		js(b, "\"type\":\"real\",\"value\":");
		for (i = 0; i < 8; i++)
			bits = bits << 8 | p[i];
		memcpy(&d, &bits, sizeof(d));
		if (isfinite(d))
			jreal(b, d);
		else
			js(b, isnan(d) ? "\"nan\"" : d > 0 ? "\"inf\"" : "\"-inf\"");
	} else if (st % 2 == 0) {
		js(b, "\"type\":\"blob\",\"value\":");
		jhex(b, p, n);
	} else {
		js(b, "\"type\":\"text\",\"value\":");
		jtext(b, enc, p, n);
	}
}

static void jcolumns(struct fx_buf *b, const struct er *e)
{
	const struct cv_cand *c = e->c;
	const struct cv_schema *s = e->s;
	uint64_t off = c->hdr_len;
	char name[32];
	int64_t sz;
	int i;

	jc(b, '[');
	for (i = 0; i < c->n; i++) {
		const char *nm = s && i < s->nrec && s->col[i] ? s->col[i] : NULL;

		if (!nm) {
			snprintf(name, sizeof(name), "c%d", i + 1);
			nm = name;
		}
		sz = cv_st_size(e->st[i]);
		if (i)
			jc(b, ',');
		if ((i < 32 && (c->lost >> i & 1)) || off + (uint64_t)sz > e->have ||
		    (s && i == s->ipk && s->kind == CV_K_TABLE && e->st[i] == 0 && !c->has_rowid)) {
			js(b, "{\"intact\":false,\"name\":");
			jstr(b, nm, strlen(nm));
		} else {
			js(b, "{\"intact\":true,\"name\":");
			jstr(b, nm, strlen(nm));
			jc(b, ',');
			if (s && i == s->ipk && s->kind == CV_K_TABLE && e->st[i] == 0) {
				js(b, "\"type\":\"integer\",\"value\":");
				jint(b, (long long)c->rowid);
			} else {
				jvalue(b, e->db->enc, e->st[i], e->pay + off, (size_t)sz);
			}
		}
		jc(b, '}');
		off += (uint64_t)sz;
	}
	jc(b, ']');
}

/*
 * The record's canonical line with its id into b: the same bytes
 * fx_record_line() gives for record_json()'s record (keys in byte order).
 */
static void record_line(struct er *e, struct fx_buf *b)
{
	const struct cv_cand *c = e->c;
	const struct cv_img *im = e->im;
	const char *case_id = e->case_id ? json_string_value(e->case_id) : e->db->out->case_id;
	size_t mid, end;
	uint8_t md[FX_SHA256_LEN];
	char hex[FX_SHA256_HEX];
	struct fx_buf tail = FX_BUF_INIT;

	b->len = 0;
	jc(b, '{');
	if (case_id) {
		js(b, "\"case\":");
		jstr(b, case_id, strlen(case_id));
		jc(b, ',');
	}
	js(b, "\"data\":{\"columns\":");
	jcolumns(b, e);
	js(b, ",\"confidence\":");
	jreal(b, e->conf);
	js(b, ",\"file\":\"");
	js(b, role_word(im->role));
	jc(b, '"');
	if (e->s && e->s->kind == CV_K_INDEX) {
		js(b, ",\"index\":");
		jstr(b, e->s->name, strlen(e->s->name));
	}
	js(b, ",\"offset\":");
	jint(b, (long long)(im->foff + c->off));
	if (c->ovfl) {
		js(b, e->broken ? ",\"overflow_broken\":true" : ",\"overflow_broken\":false");
		js(b, ",\"overflow_pages\":");
		jint(b, e->npages);
	}
	js(b, ",\"page\":");
	jint(b, im->pgno);
	js(b, c->partial || e->broken ? ",\"partial\":true" : ",\"partial\":false");
	js(b, ",\"region\":\"");
	js(b, cv_region_name(c->region));
	jc(b, '"');
	if (c->has_rowid) {
		js(b, ",\"rowid\":");
		jint(b, (long long)c->rowid);
	}
	if (e->table) {
		js(b, ",\"table\":");
		jstr(b, e->table, strlen(e->table));
	}
	js(b, ",\"table_confidence\":");
	jreal(b, round2(e->table ? c->tconf : 0));
	if (im->fr) {
		js(b, ",\"wal_frame\":");
		jint(b, im->frame);
		js(b, ",\"wal_salt\":[");
		jint(b, im->fr->salt1);
		jc(b, ',');
		jint(b, im->fr->salt2);
		js(b, "],\"wal_state\":\"");
		js(b, wal_state_word(im->fr->state));
		jc(b, '"');
	}
	jc(b, '}');
	if (e->device) {
		js(b, ",\"device\":");
		jstr(b, json_string_value(e->device), json_string_length(e->device));
	}
	mid = b->len;
	/* src, tool, type, v: after "id" in key order. */
	js(b, ",\"src\":{\"offset\":");
	jint(b, (long long)(im->foff + c->off));
	js(b, ",\"page\":");
	jint(b, im->pgno);
	js(b, ",\"path\":");
	if (cv_text_ok(CV_UTF8, (const uint8_t *)e->f->name, strlen(e->f->name)))
		jstr(b, e->f->name, strlen(e->f->name));
	else
		jhex(b, (const uint8_t *)e->f->name, strlen(e->f->name));
	js(b, ",\"region\":\"");
	js(b, cv_region_name(c->region));
	jc(b, '"');
	if (c->has_rowid) {
		js(b, ",\"rowid\":");
		jint(b, (long long)c->rowid);
	}
	js(b, ",\"sha256\":\"");
	js(b, e->f->sha256);
	jc(b, '"');
	if (e->table) {
		js(b, ",\"table\":");
		jstr(b, e->table, strlen(e->table));
	}
	js(b, "},\"tool\":\"fx-carve\",\"type\":\"carved\",\"v\":1}");
	end = b->len;
	fx_sha256(b->data, end, md);
	fx_hex(md, FX_SHA256_LEN, hex);
	/* The id goes between device (or data) and src. */
	fx_buf_add(&tail, b->data + mid, end - mid);
	b->len = mid;
	js(b, ",\"id\":\"");
	js(b, hex);
	jc(b, '"');
	fx_buf_add(b, tail.data, tail.len);
	jc(b, '\n');
	fx_buf_release(&tail);
}

void cv_emit(struct cv_db *db, const struct cv_img *im, const struct cv_cand *c, const uint64_t *st)
{
	struct fx_carve_out *o = db->out;
	long before = db->side ? ftell(o->fp) : 0;
	struct er e;
	json_t *rec;
	int rc = 0;

	gather(&e, db, im, c, st);
	if (!e.meaningful) {
		/* Nothing of the row is left that can be told: no record. */
		free(e.pay);
		return;
	}
	if (o->format == FX_CARVE_CSV) {
		rec = record_json(&e);
		rc = write_csv(o, rec);
		json_decref(rec);
	} else {
		record_line(&e, &db->line);
		if (fwrite(db->line.data, 1, db->line.len, o->fp) != db->line.len)
			rc = fx_error_errno("cannot write the output");
	}
	if (db->side && rc == 0) {
		/* Written aside by a second thread: where, and its key, for the merge. */
		struct cv_side *sd = db->side;

		if (sd->n == sd->cap) {
			sd->cap = sd->cap ? sd->cap * 2 : 1024;
			sd->r = fx_xrealloc(sd->r, sd->cap * sizeof(*sd->r));
		}
		sd->r[sd->n].key = db->dedupe;
		sd->r[sd->n].off = before;
		sd->r[sd->n].len = ftell(o->fp) - before;
		sd->n++;
	}
	free(e.pay);
	if (rc < 0)
		db->out_failed = 1;
	else
		o->records++;
}
