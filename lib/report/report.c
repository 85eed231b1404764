/*
 * report.c - fx_report_run(): the case read once, type by type in event
 * order, into paged HTML tables (at most o->rows rows a page, one index
 * per type) and a view model that the form template fills; then the
 * charts, the KML, the PDF, and everything stored in the case.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_record.h"
#include "fx_report.h"
#include "fx_time.h"
#include "fx_tmpl.h"
#include "report_int.h"
#include "fx_banned.h"

#define MAX_LISTED 500  /* rows of a kind listed in the form itself */
#define MAX_THUMBS 100
#define MAX_CELL 600    /* characters of one field value shown */

struct rep {
	const struct fx_report_opts *o;
	struct fx_case *c;
	char *tdir, *name, *dir; /* template folder; reports/NAME; its path */
	struct fx_tmpl *page_t;
	json_t *view, *caseinfo;
	json_t *timeline, *edges, *points, *hosts, *sources;
	json_t *written; /* the files made, relative to dir */
	unsigned rows, thumbs;
	uint64_t total;
};

/* ---- small helpers ---- */

char *fx_report_tmpl_dir(const char *dir)
{
	return dir ? fx_xstrdup(dir) : fx_path_join(fx_datadir(), "templates");
}

static char *load_partial(const char *name, void *ctx)
{
	struct rep *r = ctx;
	char *path, *text, *file;

	if (strstr(name, "..") || strchr(name, '/'))
		return NULL;
	file = fx_xasprintf("%s.%s.html", name, r->o->lang);
	path = fx_path_join(r->tdir, file);
	free(file);
	if (access(path, R_OK) != 0) {
		free(path);
		file = fx_xasprintf("%s.html", name);
		path = fx_path_join(r->tdir, file);
		free(file);
	}
	text = access(path, R_OK) == 0 ? fx_read_file(path, NULL, 16u << 20) : NULL;
	free(path);
	return text;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Writes buf to dir/rel (folders made), and remembers rel. */
static int put_file(struct rep *r, const char *rel, const void *buf, size_t len)
{
	char *path = fx_path_join(r->dir, rel), *slash;
	int ret;

	slash = strrchr(path, '/');
	*slash = '\0';
	ret = fx_mkdirs(path, 0755);
	*slash = '/';
	/*
	 * No fsync here: the files are stored in the case next, and the change
	 * that stores them makes the store durable before it commits.
	 */
	if (ret == 0) {
		FILE *f = fopen(path, "w");
		int bad = !f;

		if (f) {
			bad = len && fwrite(buf, 1, len, f) != len;
			bad |= fclose(f) != 0;
		}
		if (bad) {
			ret = fx_error_errno("cannot write '%s'", path);
			unlink(path);
		}
	}
	free(path);
	if (ret == 0)
		json_array_append_new(r->written, json_string(rel));
	return ret;
}

/* A type name made safe for a file name. Caller frees. */
static char *safe_name(const char *s)
{
	char *out = fx_xstrdup(s), *p;

	for (p = out; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			*p = '_';
	return out;
}

/* "2021-04-08 09:14:07 UTC" from an RFC 3339 time. Caller frees. */
static char *show_time(const char *t)
{
	size_t n;

	if (!t)
		return fx_xstrdup("");
	n = strlen(t);
	if (n >= 19 && t[10] == 'T')
		return fx_xasprintf("%.10s %.8s UTC", t, t + 11);
	return fx_xstrdup(t);
}

/* A field's value as text for a table cell. New reference. */
static json_t *cell(const json_t *v)
{
	char *s;
	json_t *out;
	size_t n;

	if (json_is_string(v)) {
		n = json_string_length(v);
		if (n <= MAX_CELL)
			return json_incref((json_t *)v);
		/* Cut at a character boundary. */
		for (n = MAX_CELL; n > 0 && (json_string_value(v)[n] & 0xc0) == 0x80; n--)
			;
		s = fx_xasprintf("%.*s…", (int)n, json_string_value(v));
		out = json_string(s);
		free(s);
		return out;
	}
	if (json_is_object(v) && json_object_size(v) == 1 && json_is_string(json_object_get(v, "hex")))
		s = fx_xasprintf("hex:%s", str(v, "hex"));
	else
		s = fx_json_dump(v);
	if (!s)
		return json_string("");
	if (strlen(s) > MAX_CELL) {
		s[MAX_CELL] = '\0';
		out = json_sprintf("%s…", s);
	} else {
		out = json_string(s);
	}
	free(s);
	return out ? out : json_string("");
}

/* The object's path relative to a page rel_depth folders below the report folder. */
static char *object_href(const char *sha, int depth)
{
	return fx_xasprintf("%s../../objects/%.2s/%s", depth ? "../" : "", sha, sha + 2);
}

static const char *const summary_keys[] = {
	"path", "address", "number", "from", "name", "title", "url", "host", "body", "text",
	"term", "ssid", "key", "value", "payload", "origin", "username", "package", "model", NULL,
};

/* A one-line summary of a record's data: its most telling fields. */
static json_t *summary(const json_t *data)
{
	struct fx_buf b = FX_BUF_INIT;
	const json_t *v;
	json_t *out;
	int i, k = 0;

	for (i = 0; summary_keys[i] && k < 3; i++) {
		v = json_object_get(data, summary_keys[i]);
		if (!json_is_string(v) || !json_string_length(v))
			continue;
		if (k++)
			fx_buf_add(&b, " · ", strlen(" · "));
		fx_buf_add(&b, json_string_value(v),
			   json_string_length(v) > 200 ? 200 : json_string_length(v));
	}
	out = json_string(b.data ? b.data : "");
	if (!out)
		out = json_string("");
	fx_buf_release(&b);
	return out;
}

/*
 * The row a record is shown as: number, id, time, device, summary, every
 * data field, and its source. depth: how far below the report folder the
 * page is. New reference.
 */
static json_t *make_row(const json_t *rec, uint64_t n, int depth)
{
	const json_t *data = json_object_get(rec, FX_KEY_DATA), *src, *v;
	const char *id = str(rec, FX_KEY_ID), *sha, *key;
	json_t *row, *fields = json_array(), *srcs = json_array();
	char *t = show_time(str(rec, FX_KEY_TIME)), *href;

	row = json_pack("{s:I,s:s,s:s%,s:s,s:s}", "n", (json_int_t)n, "id", id ? id : "",
			"id8", id ? id : "", (size_t)(id ? 12 : 0), "type", str(rec, FX_KEY_TYPE),
			"time", t);
	free(t);
	if (id) {
		char anchor[20];

		snprintf(anchor, sizeof(anchor), "r%.16s", id);
		json_object_set_new(row, "anchor", json_string(anchor));
	}
	if (str(rec, FX_KEY_DEVICE))
		json_object_set_new(row, "device", json_string(str(rec, FX_KEY_DEVICE)));
	json_object_set_new(row, "summary", summary(data));
	if (json_is_integer(json_object_get(data, "size")))
		json_object_set(row, "size", json_object_get(data, "size"));
	json_object_foreach((json_t *)data, key, v)
		json_array_append_new(fields, json_pack("{s:s,s:o}", "k", key, "v", cell(v)));
	json_object_set_new(row, "fields", fields);
	src = json_object_get(rec, FX_KEY_SRC);
	json_object_foreach((json_t *)src, key, v)
		if (strcmp(key, FX_SRC_SHA256) != 0)
			json_array_append_new(srcs, json_pack("{s:s,s:o}", "k", key, "v", cell(v)));
	json_object_set_new(row, "src", srcs);
	sha = str(src, FX_SRC_SHA256);
	if (!sha && fx_is_sha256_hex(str(data, "sha256") ? str(data, "sha256") : ""))
		sha = str(data, "sha256");
	if (sha && fx_is_sha256_hex(sha)) {
		href = object_href(sha, depth);
		json_object_set_new(row, "sha256", json_string(sha));
		json_object_set_new(row, "object", json_string(href));
		free(href);
	}
	return row;
}

/* ---- the view model ---- */

static void count_in(json_t *obj, const char *key, json_int_t by)
{
	json_t *v = json_object_get(obj, key);

	json_object_set_new(obj, key, json_integer((v ? json_integer_value(v) : 0) + by));
}

static json_t *list_of(struct rep *r, const char *name)
{
	json_t *a = json_object_get(r->view, name);

	if (!a) {
		a = json_array();
		json_object_set_new(r->view, name, a);
	}
	return a;
}

/* Appends row to the view's list name unless it holds MAX_LISTED; counts it. */
static void listed(struct rep *r, const char *name, json_t *row)
{
	json_t *a = list_of(r, name);
	char *cnt = fx_xasprintf("%s_count", name);

	if (json_array_size(a) < MAX_LISTED)
		json_array_append(a, row);
	count_in(r->view, cnt, 1);
	free(cnt);
}

/* The host of a URL, for network analysis. Caller frees, or NULL. */
static char *host_of(const char *url)
{
	const char *p = strstr(url, "://"), *e;

	if (!p)
		return NULL;
	p += 3;
	e = p + strcspn(p, "/?#:");
	if (e == p || e - p > 253)
		return NULL;
	return fx_xasprintf("%.*s", (int)(e - p), p);
}

static void add_edge(struct rep *r, const char *a, const char *ka, const char *b, const char *kb)
{
	char *key;
	json_t *e;

	if (!a || !b || !*a || !*b || strcmp(a, b) == 0)
		return;
	key = fx_xasprintf("%s\t%s", a, b);
	e = json_object_get(r->edges, key);
	if (!e) {
		e = json_pack("{s:s,s:s,s:s,s:s,s:i}", "a", a, "b", b, "ka", ka, "kb", kb, "n", 0);
		json_object_set_new(r->edges, key, e);
	}
	json_object_set_new(e, "n", json_integer(json_integer_value(json_object_get(e, "n")) + 1));
	free(key);
}

static int thumb(struct rep *r, const char *sha, json_t *into)
{
	char *src, *rel, *dst, *idir;
	int ok;

	if (r->thumbs >= MAX_THUMBS || !sha || !fx_is_sha256_hex(sha))
		return 0;
	idir = fx_path_join(r->dir, "images");
	ok = fx_mkdirs(idir, 0755) == 0;
	free(idir);
	if (!ok)
		return 0;
	src = fx_store_path(fx_case_store(r->c), sha);
	rel = fx_xasprintf("images/thumb-%.16s.jpg", sha);
	dst = fx_path_join(r->dir, rel);
	if (access(dst, F_OK) == 0) {
		/* made already, for the same image seen as a file and as a photo */
		json_object_set_new(into, "thumb", json_string(rel));
		free(src);
		free(rel);
		free(dst);
		return 1;
	}
	ok = fx_report_thumb(src, dst, 240) == 0;
	if (ok) {
		r->thumbs++;
		json_object_set_new(into, "thumb", json_string(rel));
		json_array_append_new(r->written, json_string(rel));
	}
	free(src);
	free(rel);
	free(dst);
	return ok;
}

/* A copy of a record page's row for the form, whose links start from the report folder. */
static json_t *index_copy(const json_t *row)
{
	json_t *item = json_copy((json_t *)row);
	const char *sha = str(row, "sha256");
	char *href;

	if (sha) {
		href = object_href(sha, 0);
		json_object_set_new(item, "object", json_string(href));
		free(href);
	}
	return item;
}

/* What a record adds to the form beyond its row. */
static void model_record(struct rep *r, const json_t *rec, json_t *row, const char *page_href)
{
	const char *type = str(rec, FX_KEY_TYPE), *time = str(rec, FX_KEY_TIME);
	const json_t *data = json_object_get(rec, FX_KEY_DATA), *v;
	const char *sha = str(json_object_get(rec, FX_KEY_SRC), FX_SRC_SHA256);
	const char *dev = str(rec, FX_KEY_DEVICE);
	json_t *t, *lat, *lon, *item;
	char day[11], *href, *h;
	size_t i;

	href = fx_xasprintf("%s#r%.16s", page_href, str(rec, FX_KEY_ID));
	json_object_set_new(row, "href", json_string(href));
	if (time && strlen(time) >= 10) {
		memcpy(day, time, 10);
		day[10] = '\0';
		t = json_object_get(r->timeline, type);
		if (!t) {
			t = json_object();
			json_object_set_new(r->timeline, type, t);
		}
		count_in(t, day, 1);
	}
	if (sha) {
		t = json_object_get(r->sources, sha);
		if (!t) {
			t = json_pack("{s:i,s:s}", "n", 0, "href", href);
			json_object_set_new(r->sources, sha, t);
		}
		count_in(t, "n", 1);
	}
	free(href);
	item = index_copy(row);
	lat = json_object_get(data, "latitude");
	lon = json_object_get(data, "longitude");
	if (json_is_number(lat) && json_is_number(lon))
		json_array_append_new(r->points, json_pack("{s:f,s:f,s:s,s:O}", "lat",
				      json_number_value(lat), "lon", json_number_value(lon),
				      "type", type, "time", json_object_get(row, "time")));
	if (strcmp(type, "file") == 0) {
		const char *mime = str(data, "mime"), *path = str(data, "path");

		listed(r, "items", item);
		if (mime && strncmp(mime, "image/", 6) == 0 && path) {
			char *low = fx_xstrdup(path), *p;

			for (p = low; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			if (strstr(low, "screenshot")) {
				thumb(r, str(data, "sha256"), item);
				listed(r, "screenshots", item);
			}
			free(low);
		}
	} else if (strcmp(type, "photo") == 0) {
		thumb(r, sha, item);
		listed(r, "photos", item);
	} else if (strcmp(type, "note") == 0) {
		listed(r, "notes", item);
	} else if (strcmp(type, "consent") == 0) {
		listed(r, "consents", item);
	} else if (strcmp(type, "signature") == 0 || strcmp(type, "timestamp") == 0 ||
		   strcmp(type, "checkpoint") == 0) {
		listed(r, "signatures", item);
		if (str(data, "sha256") && str(data, "kind") &&
		    strcmp(str(data, "kind"), "handwritten") == 0 &&
		    !json_object_get(json_object_get(r->view, "images"), "signature")) {
			href = object_href(str(data, "sha256"), 0);
			json_object_set_new(json_object_get(r->view, "images"), "signature",
					    json_pack("{s:s,s:s}", "href", href, "sha256",
						      str(data, "sha256")));
			free(href);
		}
	} else if (strcmp(type, "carved") == 0) {
		listed(r, "carved", item);
	} else if (strcmp(type, "indicator") == 0) {
		listed(r, "indicators", item);
	} else if (strcmp(type, "link") == 0) {
		static const char *const pairs[][2] = { { "a", "b" }, { "from", "to" },
							{ "source", "target" }, { "src", "dst" } };

		listed(r, "links", item);
		for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
			if (json_is_string(json_object_get(data, pairs[i][0])) &&
			    json_is_string(json_object_get(data, pairs[i][1])))
				add_edge(r, str(data, pairs[i][0]), "indicator", str(data, pairs[i][1]),
					 "indicator");
	} else if (strcmp(type, "ocr") == 0 || strcmp(type, "verdict") == 0) {
		listed(r, strcmp(type, "ocr") == 0 ? "ocr" : "verdicts", item);
	} else if (strcmp(type, "report") == 0) {
		listed(r, "reports", item);
	} else if (strcmp(type, "sms") == 0 || strcmp(type, "call") == 0) {
		v = json_object_get(data, strcmp(type, "sms") == 0 ? "address" : "number");
		add_edge(r, dev ? dev : "device", "device", json_string_value(v), "number");
	} else if (strcmp(type, "mms") == 0) {
		add_edge(r, dev ? dev : "device", "device", str(data, "from"), "number");
	} else if (strcmp(type, "account") == 0) {
		add_edge(r, dev ? dev : "device", "device", str(data, "name"), "account");
	} else if (strcmp(type, "wifi") == 0) {
		listed(r, "wifi", item);
	}
	if (json_is_string(json_object_get(data, "url")) && strcmp(type, "link") != 0) {
		h = host_of(str(data, "url"));
		if (h)
			count_in(r->hosts, h, 1);
		free(h);
	}
	json_decref(item);
}

/* ---- the record pages ---- */

struct pass {
	struct rep *r;
	const char *type;
	char *safe;
	json_t *rows, *tinfo;
	unsigned page, pages;
	uint64_t n;
	int failed;
};

static json_t *case_view(struct rep *r)
{
	return json_object_get(r->view, "case");
}

static int flush_page(struct pass *p)
{
	struct rep *r = p->r;
	struct fx_buf out = FX_BUF_INIT;
	json_t *ctx, *list = json_array();
	char *rel;
	unsigned i;
	int ret;

	if (!json_array_size(p->rows) && p->page)
		return 0;
	p->page++;
	for (i = 1; i <= p->pages; i++) {
		rel = fx_xasprintf("%s-%u.html", p->safe, i);
		json_array_append_new(list, json_pack("{s:i,s:s,s:b}", "n", (int)i, "href", rel,
						      "current", i == p->page));
		free(rel);
	}
	ctx = json_pack("{s:O,s:s,s:s,s:i,s:i,s:O,s:o,s:O,s:O,s:s}", "case", case_view(r),
			"lang", r->o->lang, "type", p->type, "page", (int)p->page, "pages",
			(int)p->pages, "rows", p->rows, "pagelist", list, "generated",
			json_object_get(r->view, "generated"), "count",
			json_object_get(p->tinfo, "count"), "index", "../index.html");
	json_object_set(ctx, "doc", json_object_get(p->tinfo, "doc"));
	json_object_set(ctx, "form_title", json_object_get(r->view, "form_title"));
	if (p->page > 1) {
		rel = fx_xasprintf("%s-%u.html", p->safe, p->page - 1);
		json_object_set_new(ctx, "prev", json_string(rel));
		free(rel);
	}
	if (p->page < p->pages) {
		rel = fx_xasprintf("%s-%u.html", p->safe, p->page + 1);
		json_object_set_new(ctx, "next", json_string(rel));
		free(rel);
	}
	ret = fx_tmpl_render(r->page_t, ctx, load_partial, r, &out);
	json_decref(ctx);
	rel = fx_xasprintf("records/%s-%u.html", p->safe, p->page);
	if (ret == 0)
		ret = put_file(r, rel, out.data, out.len);
	free(rel);
	fx_buf_release(&out);
	json_array_clear(p->rows);
	return ret;
}

static int on_record(const char *line, void *ctx)
{
	struct pass *p = ctx;
	json_t *rec = json_loads(line, JSON_ALLOW_NUL, NULL), *row;
	char *href;

	if (!rec)
		return fx_error("a stored record cannot be read (run fx-case verify)");
	p->n++;
	row = make_row(rec, p->n, 1);
	href = fx_xasprintf("records/%s-%u.html", p->safe, p->page + 1);
	model_record(p->r, rec, row, href);
	free(href);
	json_array_append_new(p->rows, row);
	json_decref(rec);
	if (json_array_size(p->rows) >= p->r->rows && flush_page(p) < 0)
		return -1;
	return 0;
}

/* Pages of each type, in type order, the records of each in event order. */
static int record_pages(struct rep *r)
{
	json_t *types = json_object_get(r->caseinfo, "types"), *v, *tlist = json_array();
	const struct fx_type *ft;
	struct fx_case_query q;
	struct pass p;
	const char *type;
	json_int_t live;
	char *href;
	int ret = 0;

	json_object_set_new(r->view, "types", tlist);
	json_object_foreach(types, type, v) {
		live = json_integer_value(json_object_get(v, "records")) -
		       json_integer_value(json_object_get(v, "withdrawn"));
		if (live <= 0)
			continue;
		memset(&p, 0, sizeof(p));
		p.r = r;
		p.type = type;
		p.safe = safe_name(type);
		p.rows = json_array();
		p.pages = (unsigned)((live + r->rows - 1) / r->rows);
		ft = fx_type_find(type);
		href = fx_xasprintf("records/%s-1.html", p.safe);
		p.tinfo = json_pack("{s:s,s:I,s:s,s:i,s:b}", "type", type, "count", live, "href",
				    href, "pages", (int)p.pages, "known", ft != NULL);
		free(href);
		json_object_set_new(p.tinfo, "doc", json_string(ft ? ft->doc : ""));
		json_array_append(tlist, p.tinfo);
		memset(&q, 0, sizeof(q));
		q.type = type;
		q.by_time = 1;
		ret = fx_case_list(r->c, &q, on_record, &p);
		if (ret == 0)
			ret = flush_page(&p);
		r->total += p.n;
		/* The first and last event times, and the fields an unknown type has. */
		json_decref(p.rows);
		json_decref(p.tinfo);
		free(p.safe);
		if (ret)
			return -1;
	}
	json_object_set_new(r->view, "total", json_integer((json_int_t)r->total));
	return 0;
}

/* ---- the form ---- */

static json_t *kv_list(const json_t *obj, const char *skip1, const char *skip2)
{
	json_t *a = json_array(), *v;
	const char *k;

	json_object_foreach((json_t *)obj, k, v) {
		if ((skip1 && strcmp(k, skip1) == 0) || (skip2 && strcmp(k, skip2) == 0))
			continue;
		json_array_append_new(a, json_pack("{s:s,s:o}", "k", k, "v", cell(v)));
	}
	return a;
}

static void base_view(struct rep *r)
{
	const json_t *cd = json_object_get(fx_case_record(r->c), FX_KEY_DATA);
	json_t *cv, *form = json_object(), *devs = json_array(), *d;
	char now[FX_TIME_LEN], *t;
	size_t i;

	fx_time_now(now);
	cv = json_deep_copy(cd);
	json_object_set_new(cv, "id", json_string(fx_case_id(r->c)));
	t = show_time(str(cd, "created"));
	json_object_set_new(cv, "created_shown", json_string(t));
	free(t);
	json_object_set_new(cv, "field_list", kv_list(json_object_get(cd, "fields"), NULL, NULL));
	if (json_is_object(json_object_get(cd, "fields")))
		json_object_update(form, json_object_get(cd, "fields"));
	if (r->o->fields)
		json_object_update(form, (json_t *)r->o->fields);
	t = show_time(now);
	r->view = json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:o,s:o}", "case", cv, "form", form,
			    "lang", r->o->lang, "generated", t, "generated_raw", now, "version",
			    FX_VERSION, "images", json_object(), "charts", json_object());
	free(t);
	json_object_set_new(r->view, "form_name", json_string(r->o->form));
	json_object_set_new(r->view, "report_dir", json_string(r->name));
	/* The devices, with their fields. */
	json_array_foreach(json_object_get(r->caseinfo, "devices"), i, d) {
		json_t *dv = json_pack("{s:s,s:o}", "key", str(d, "key") ? str(d, "key") : "",
				       "fields", kv_list(d, "key", "sources"));
		const char *label = str(d, "model") ? str(d, "model") : str(d, "key");

		json_object_set_new(dv, "label", json_string(label ? label : ""));
		json_array_append_new(devs, dv);
	}
	json_object_set_new(r->view, "devices", devs);
	/* The reporter, for the forms that name them. */
	json_array_foreach(json_object_get(cd, "parties"), i, d)
		if (str(d, "role") && (strcmp(str(d, "role"), "reporter") == 0 ||
				       strcmp(str(d, "role"), "报案人") == 0) &&
		    !json_object_get(r->view, "reporter"))
			json_object_set(r->view, "reporter", json_object_get(d, "name"));
	{
		json_t *cust = json_object_get(r->caseinfo, "custody");

		json_object_set(r->view, "custody", cust ? cust : json_object());
	}
}

/* OCR records are shown with the device they read. */
static void attach_ocr(struct rep *r)
{
	json_t *dev, *o;
	size_t i, k;

	json_array_foreach(json_object_get(r->view, "devices"), i, dev) {
		json_t *mine = json_array();

		json_array_foreach(json_object_get(r->view, "ocr"), k, o)
			if (str(o, "device") && strcmp(str(o, "device"), str(dev, "key")) == 0)
				json_array_append(mine, o);
		json_object_set_new(dev, "ocr", mine);
	}
}

/* The evidence items get the count of records read from each and a link to the first. */
static void attach_sources(struct rep *r)
{
	json_t *it, *s;
	size_t i;

	json_object_set_new(r->view, "items_shown",
			    json_integer((json_int_t)json_array_size(json_object_get(r->view, "items"))));
	json_object_set_new(r->view, "items_more",
			    json_boolean(json_integer_value(json_object_get(r->view, "items_count")) >
					 (json_int_t)json_array_size(json_object_get(r->view, "items"))));
	json_array_foreach(json_object_get(r->view, "items"), i, it) {
		s = json_object_get(r->sources, str(it, "sha256") ? str(it, "sha256") : "");
		if (!s)
			continue;
		json_object_set(it, "derived", json_object_get(s, "n"));
		json_object_set(it, "derived_href", json_object_get(s, "href"));
	}
}

static int cmp_count(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "n"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "n"));
	int c = x < y ? 1 : x > y ? -1 : 0;

	return c ? c : strcmp(str(*(json_t *const *)a, "name"), str(*(json_t *const *)b, "name"));
}

/* The busiest hosts, most visited first. */
static void network_view(struct rep *r)
{
	size_t n = json_object_size(r->hosts), i = 0;
	json_t **all = fx_xcalloc(n ? n : 1, sizeof(*all)), *v, *top = json_array();
	const char *k;

	json_object_foreach(r->hosts, k, v)
		all[i++] = json_pack("{s:s,s:O}", "name", k, "n", v);
	qsort(all, n, sizeof(*all), cmp_count);
	for (i = 0; i < n; i++) {
		if (i < 50)
			json_array_append(top, all[i]);
		json_decref(all[i]);
	}
	free(all);
	json_object_set_new(r->view, "hosts", top);
}

static int charts(struct rep *r)
{
	json_t *ch = json_object_get(r->view, "charts"), *edges = json_array(), *v;
	const char *k;
	char *base = fx_path_join(r->dir, "charts"), *b;
	int ret = 0;

	if (fx_mkdirs(base, 0755) < 0) {
		free(base);
		return -1;
	}
#define CHART(name, fn, data, title)                                                  \
	do {                                                                   \
		b = fx_path_join(base, name);                                  \
		if (fn(data, b, title) < 0) {                                   \
			ret = -1;                                              \
		} else {                                                       \
			json_object_set_new(ch, name, json_string("charts/" name ".svg")); \
			json_array_append_new(r->written, json_string("charts/" name ".svg")); \
			json_array_append_new(r->written, json_string("charts/" name ".png")); \
		}                                                              \
		free(b);                                                       \
	} while (0)
	if (json_object_size(r->timeline))
		CHART("timeline", fx_chart_timeline, r->timeline, "events per type");
	json_object_foreach(r->edges, k, v)
		json_array_append(edges, v);
	if (json_array_size(edges))
		CHART("graph", fx_chart_graph, edges, "associations");
	if (json_array_size(r->points))
		CHART("map", fx_chart_map, r->points, "positions (latitude, longitude)");
#undef CHART
	json_decref(edges);
	free(base);
	return ret;
}

static int kml_file(struct rep *r)
{
	char *path = fx_path_join(r->dir, "locations.kml");
	unsigned long n = 0;
	FILE *f = fopen(path, "w");
	int ret;

	if (!f) {
		ret = fx_error_errno("cannot write '%s'", path);
		free(path);
		return ret;
	}
	ret = fx_report_kml(r->c, f, &n);
	if (fclose(f) != 0 && ret == 0)
		ret = fx_error_errno("cannot write '%s'", path);
	if (ret == 0 && n) {
		json_array_append_new(r->written, json_string("locations.kml"));
		json_object_set_new(r->view, "kml", json_string("locations.kml"));
	} else {
		unlink(path);
	}
	free(path);
	return ret;
}

/* Images given with --image ROLE=FILE: copied into the report, stored later. */
static int given_images(struct rep *r)
{
	json_t *imgs = json_object_get(r->view, "images"), *v;
	const char *role, *dot;
	char *data, *rel, *safe, hex[FX_SHA256_HEX];
	uint8_t md[32];
	size_t len;

	json_object_foreach((json_t *)r->o->images, role, v) {
		data = fx_read_file(json_string_value(v), &len, 64u << 20);
		if (!data)
			return -1;
		fx_sha256(data, len, md);
		fx_hex(md, 32, hex);
		dot = strrchr(json_string_value(v), '.');
		safe = safe_name(role);
		rel = fx_xasprintf("images/%s%s", safe, dot && strlen(dot) <= 5 ? dot : "");
		free(safe);
		if (put_file(r, rel, data, len) < 0) {
			free(data);
			free(rel);
			return -1;
		}
		json_object_set_new(imgs, role, json_pack("{s:s,s:s}", "href", rel, "sha256", hex));
		free(rel);
		free(data);
	}
	return 0;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "file")),
		      json_string_value(json_object_get(*(json_t *const *)b, "file")));
}

/* The forms in file-name order: readdir's order is the file system's. */
static json_t *sort_forms(json_t *forms)
{
	size_t n = json_array_size(forms), i;
	json_t **v = fx_xcalloc(n ? n : 1, sizeof(*v)), *out = json_array();

	for (i = 0; i < n; i++)
		v[i] = json_array_get(forms, i);
	qsort(v, n, sizeof(*v), cmp_file);
	for (i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(forms);
	return out;
}

/* A form is a whole document; partials are pieces of one. */
static int is_form(const char *dir, const char *name)
{
	char *path = fx_path_join(dir, name), head[16] = "";
	FILE *f = fopen(path, "r");
	int yes = 0;

	if (f) {
		yes = fread(head, 1, 15, f) == 15 && strncmp(head, "<!DOCTYPE html>", 15) == 0;
		fclose(f);
	}
	free(path);
	return yes;
}

json_t *fx_report_forms(const char *tmpl_dir)
{
	DIR *d = opendir(tmpl_dir);
	struct dirent *de;
	json_t *forms = json_array();
	const char *dot;
	size_t n;

	if (!d)
		return forms;
	while ((de = readdir(d))) {
		n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".html") != 0)
			continue;
		dot = strchr(de->d_name, '.');
		if (!dot || dot == de->d_name + n - 5 || strncmp(de->d_name, "page.", 5) == 0 ||
		    !is_form(tmpl_dir, de->d_name))
			continue;
		json_array_append_new(forms, json_pack("{s:s%,s:s%,s:s}", "form", de->d_name,
						      (size_t)(dot - de->d_name), "lang", dot + 1,
						      (size_t)(de->d_name + n - 5 - dot - 1), "file",
						      de->d_name));
	}
	closedir(d);
	return sort_forms(forms);
}

static int rm_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char *p;

	if (!d)
		return unlink(path);
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = fx_path_join(path, de->d_name);
		rm_tree(p);
		free(p);
	}
	closedir(d);
	return rmdir(path);
}

static int make_pdf(struct rep *r, const char *index_html, size_t len, unsigned *pages)
{
	char *pdf = fx_path_join(r->dir, "report.pdf"), *path, *html;
	const char *label = strcmp(r->o->lang, "zh-CN") == 0 ? "第 %u 页" : "Page %u";
	struct fx_report_pdf *p;
	char *footer;
	json_t *t;
	size_t i, k, n;
	int ret = 0;

	footer = fx_xasprintf("%s · %s", fx_case_id(r->c), r->name);
	p = fx_report_pdf_open(pdf, footer, label);
	free(footer);
	if (!p) {
		free(pdf);
		return -1;
	}
	ret = fx_report_pdf_add(p, index_html, len, r->dir);
	/* Then every record page, type by type. */
	json_array_foreach(json_object_get(r->view, "types"), i, t) {
		n = (size_t)json_integer_value(json_object_get(t, "pages"));
		for (k = 1; k <= n && ret == 0; k++) {
			char *safe = safe_name(str(t, "type")), *rel;

			rel = fx_xasprintf("records/%s-%zu.html", safe, k);
			path = fx_path_join(r->dir, rel);
			html = fx_read_file(path, &len, 0);
			if (!html)
				ret = -1;
			else
				ret = fx_report_pdf_add(p, html, len, r->dir);
			free(html);
			free(path);
			free(rel);
			free(safe);
		}
	}
	if (fx_report_pdf_close(p, pages) < 0)
		ret = -1;
	if (ret == 0)
		json_array_append_new(r->written, json_string("report.pdf"));
	free(pdf);
	return ret;
}

/* Stores every file written and adds the report record, in one change. */
static int store(struct rep *r, unsigned pdf_pages, json_t **report)
{
	json_t *files = json_array(), *rec, *data, *f, *detail;
	char hex[FX_SHA256_HEX], now[FX_TIME_LEN], *path;
	const char *rel, *main_sha = NULL;
	uint64_t size;
	int existed;
	size_t i;

	if (fx_case_begin(r->c, "report") < 0) {
		json_decref(files);
		return -1;
	}
	json_array_foreach(r->written, i, f) {
		rel = json_string_value(f);
		path = fx_path_join(r->dir, rel);
		if (fx_store_put_file(fx_case_store(r->c), path, hex, &size, &existed) < 0) {
			free(path);
			goto fail;
		}
		free(path);
		fx_case_note_object(r->c, hex);
		json_array_append_new(files, json_pack("{s:s,s:s,s:I}", "path", rel, "sha256", hex,
						       "size", (json_int_t)size));
	}
	json_array_foreach(files, i, f) {
		rel = str(f, "path");
		if (strcmp(rel, "report.pdf") == 0 || (!main_sha && strcmp(rel, "index.html") == 0))
			main_sha = str(f, "sha256");
		json_t *o = json_pack("{s:s,s:s}", "path", rel, "sha256", str(f, "sha256"));

		fx_case_note_output(r->c, o);
		json_decref(o);
	}
	rec = fx_record_new("report", fx_case_id(r->c), fx_progname());
	fx_time_now(now);
	json_object_set_new(rec, FX_KEY_TIME, json_string(now));
	data = json_object_get(rec, FX_KEY_DATA);
	json_object_set_new(data, "form", json_string(r->o->form));
	json_object_set_new(data, "lang", json_string(r->o->lang));
	json_object_set_new(data, "formats", r->o->pdf ? json_pack("[s,s]", "html", "pdf")
						       : json_pack("[s]", "html"));
	json_object_set_new(data, "dir", json_string(r->name));
	json_object_set_new(data, "records", json_integer((json_int_t)r->total));
	if (main_sha)
		json_object_set_new(data, "sha256", json_string(main_sha));
	if (pdf_pages)
		json_object_set_new(data, "pages", json_integer(pdf_pages));
	if (r->o->fields && json_object_size(r->o->fields))
		json_object_set(data, "fields", (json_t *)r->o->fields);
	json_object_set_new(data, "files", files);
	files = NULL;
	if (fx_case_add_record(r->c, rec, "report", NULL) < 0) {
		json_decref(rec);
		goto fail;
	}
	detail = json_pack("{s:s,s:s,s:s}", "form", r->o->form, "lang", r->o->lang, "dir", r->name);
	if (fx_case_commit(r->c, detail, NULL) < 0) {
		json_decref(detail);
		json_decref(rec);
		return -1;
	}
	json_decref(detail);
	*report = rec;
	return 0;
fail:
	json_decref(files);
	fx_case_rollback(r->c);
	return -1;
}

int fx_report_run(const struct fx_report_opts *o, json_t **report)
{
	struct rep r;
	struct fx_tmpl *form_t = NULL;
	struct fx_buf out = FX_BUF_INIT;
	char now[FX_TIME_LEN], stamp[32], *file, *p, *rdir;
	unsigned pages = 0;
	struct stat st;
	int ret = -1;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.c = o->c;
	r.rows = o->rows ? o->rows : FX_REPORT_ROWS;
	r.tdir = fx_report_tmpl_dir(o->tmpl_dir);
	*report = NULL;
	file = fx_xasprintf("%s.%s.html", o->form, o->lang);
	form_t = fx_tmpl_load(r.tdir, file);
	free(file);
	file = fx_xasprintf("page.%s.html", o->lang);
	r.page_t = form_t ? fx_tmpl_load(r.tdir, file) : NULL;
	free(file);
	if (!form_t || !r.page_t)
		goto out;
	/* reports/FORM-LANG-YYYYMMDDTHHMMSSZ, from the clock (FX_NOW when replaying). */
	fx_time_now(now);
	snprintf(stamp, sizeof(stamp), "%.4s%.2s%.2sT%.2s%.2s%.2sZ", now, now + 5, now + 8,
		 now + 11, now + 14, now + 17);
	r.name = fx_xasprintf("%s-%s-%s", o->form, o->lang, stamp);
	for (p = r.name; *p; p++)
		if (*p == '/')
			*p = '_';
	rdir = fx_path_join(fx_case_dir(r.c), "reports");
	r.dir = fx_path_join(rdir, r.name);
	free(rdir);
	if (stat(r.dir, &st) == 0) {
		fx_error("'%s' already exists (a report of this form made at the same time)", r.dir);
		goto out;
	}
	if (fx_mkdirs(r.dir, 0755) < 0)
		goto out;
	r.caseinfo = fx_case_info(r.c);
	r.written = json_array();
	r.timeline = json_object();
	r.edges = json_object();
	r.points = json_array();
	r.hosts = json_object();
	r.sources = json_object();
	base_view(&r);
	if (given_images(&r) < 0 || record_pages(&r) < 0)
		goto fail;
	attach_ocr(&r);
	attach_sources(&r);
	network_view(&r);
	if (charts(&r) < 0 || kml_file(&r) < 0)
		goto fail;
	if (fx_tmpl_render(form_t, r.view, load_partial, &r, &out) < 0 ||
	    put_file(&r, "index.html", out.data, out.len) < 0)
		goto fail;
	if (o->pdf && make_pdf(&r, out.data, out.len, &pages) < 0)
		goto fail;
	if (store(&r, pages, report) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	rm_tree(r.dir);
out:
	fx_buf_release(&out);
	fx_tmpl_free(form_t);
	fx_tmpl_free(r.page_t);
	json_decref(r.view);
	json_decref(r.caseinfo);
	json_decref(r.written);
	json_decref(r.timeline);
	json_decref(r.edges);
	json_decref(r.points);
	json_decref(r.hosts);
	json_decref(r.sources);
	free(r.tdir);
	free(r.name);
	free(r.dir);
	return ret;
}
