/*
 * fx-pull web --verify: a page offered later compared with a capture. The
 * same bytes confirm it; otherwise the difference is told in terms an
 * examiner can check: the text lines removed and added, and the resources
 * added, removed or changed, each with its hashes.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_io.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

#define MAX_LINES 50 /* text lines listed per side */

struct res {
	char *url;
	char sha256[FX_SHA256_HEX]; /* "" when unknown */
};

struct side {
	struct fx_buf page; /* the page's bytes (entity body) */
	char *url;          /* where it was (or claims to be) */
	char sha256[FX_SHA256_HEX];
	struct res *res;
	size_t nres;
};

static void side_release(struct side *s)
{
	size_t i;

	fx_buf_release(&s->page);
	free(s->url);
	for (i = 0; i < s->nres; i++)
		free(s->res[i].url);
	free(s->res);
}

static void add_res(struct side *s, const char *url, const char *sha)
{
	s->res = fx_xrealloc(s->res, (s->nres + 1) * sizeof(*s->res));
	s->res[s->nres].url = fx_xstrdup(url);
	snprintf(s->res[s->nres].sha256, FX_SHA256_HEX, "%s", sha ? sha : "");
	s->nres++;
}

static struct res *find_res(const struct side *s, const char *url)
{
	size_t i;

	for (i = 0; i < s->nres; i++)
		if (strcmp(s->res[i].url, url) == 0)
			return &s->res[i];
	return NULL;
}

/* ---- the capture, read back from its WARC ---- */

struct response {
	char *url;
	char sha256[FX_SHA256_HEX];
	long status;
	char *location;
	struct fx_buf body; /* kept for HTML pages only */
};

struct warc_read {
	struct response *v;
	size_t n;
	char *final_url;
};

static int on_record(const struct web_warc_rec *r, void *ctx)
{
	struct warc_read *w = ctx;
	char *type = web_warc_field(r, "WARC-Type"), *uri = web_warc_field(r, "WARC-Target-URI");
	const char *sep;
	struct response *x;
	struct fx_buf pl = FX_BUF_INIT;
	uint8_t md[FX_SHA256_LEN];
	char *te;
	size_t hl;

	if (type && uri && strcmp(type, "resource") == 0 &&
	    strncmp(uri, "urn:fx:capture:", 15) == 0) {
		json_t *j = json_loadb(r->block, r->block_len, 0, NULL);
		const char *fu = json_string_value(json_object_get(j, "final_url"));

		if (fu) {
			free(w->final_url);
			w->final_url = fx_xstrdup(fu);
		}
		json_decref(j);
	}
	if (!type || !uri || strcmp(type, "response") != 0)
		goto out;
	sep = NULL;
	for (hl = 0; hl + 3 < r->block_len; hl++)
		if (memcmp(r->block + hl, "\r\n\r\n", 4) == 0) {
			sep = r->block + hl + 4;
			break;
		}
	if (!sep)
		goto out;
	w->v = fx_xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
	x = &w->v[w->n++];
	memset(x, 0, sizeof(*x));
	x->url = uri;
	uri = NULL;
	hl = (size_t)(sep - r->block);
	x->status = strtol(memchr(r->block, ' ', hl) ? (char *)memchr(r->block, ' ', hl) : "0",
			   NULL, 10);
	x->location = web_header(r->block, hl, "Location");
	te = web_header(r->block, hl, "Transfer-Encoding");
	if (te && web_has_ci(te, "chunked"))
		web_dechunk(sep, r->block_len - hl, &pl);
	else
		fx_buf_add(&pl, sep, r->block_len - hl);
	free(te);
	fx_sha256(pl.data, pl.len, md);
	fx_hex(md, sizeof(md), x->sha256);
	x->body = pl;
out:
	free(type);
	free(uri);
	return 0;
}

static void read_release(struct warc_read *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->v[i].url);
		free(w->v[i].location);
		fx_buf_release(&w->v[i].body);
	}
	free(w->v);
	free(w->final_url);
}

static struct response *response_for(struct warc_read *w, const char *url)
{
	size_t i;

	for (i = w->n; i-- > 0;)
		if (strcmp(w->v[i].url, url) == 0)
			return &w->v[i];
	return NULL;
}

/* The resources the page links to, resolved against url. */
static void page_links(const struct fx_buf *page, const char *url, struct web_links *l, char **base)
{
	web_html_links(page->data ? page->data : "", page->len, l);
	*base = l->base ? web_url_resolve(url, l->base) : NULL;
	if (!*base)
		*base = fx_xstrdup(url);
}

/* Finds the capture's file: a path, or in the case a record id or a WACZ hash. */
static char *capture_path(const struct fx_web_opts *o, const char *capture)
{
	struct stat st;
	json_t *rec;
	const char *h;
	char *p = NULL;

	if (stat(capture, &st) == 0)
		return fx_xstrdup(capture);
	if (!o->c) {
		fx_error("cannot open '%s': no such file (give --case to name a capture in a case)",
			 capture);
		return NULL;
	}
	if (fx_is_sha256_hex(capture) && fx_store_has(fx_case_store(o->c), capture))
		return fx_store_path(fx_case_store(o->c), capture);
	rec = fx_case_get(o->c, capture);
	if (!rec)
		return NULL;
	h = json_string_value(json_object_get(json_object_get(rec, FX_KEY_DATA), "wacz_sha256"));
	if (!h || strcmp(json_string_value(json_object_get(rec, FX_KEY_TYPE)), "capture") != 0)
		fx_error("'%s': not a capture record", capture);
	else
		p = fx_store_path(fx_case_store(o->c), h);
	json_decref(rec);
	return p;
}

static int load_capture(const struct fx_web_opts *o, const char *path, struct side *s,
			char file_sha[FX_SHA256_HEX])
{
	struct warc_read w = {NULL, 0, NULL};
	struct web_links l = WEB_LINKS_INIT;
	struct response *r;
	char *data = NULL, *base = NULL, *u;
	uint8_t md[FX_SHA256_LEN];
	size_t len, i, hops;
	int ret = -1;

	(void)o;
	if (web_wacz_read_warc(path, &data, &len) < 0)
		return -1;
	if (fx_sha256_file(path, file_sha, NULL) < 0 ||
	    web_warc_each(path, data, len, on_record, &w) < 0)
		goto out;
	if (!w.n) {
		fx_error("'%s': no responses in the capture", path);
		goto out;
	}
	/* The page: the capture's final URL, else the redirects followed. */
	r = w.final_url ? response_for(&w, w.final_url) : NULL;
	for (r = r ? r : &w.v[0], hops = 0;
	     r->status >= 300 && r->status < 400 && r->location && hops < 20; hops++) {
		u = web_url_resolve(r->url, r->location);
		struct response *n = u ? response_for(&w, u) : NULL;

		free(u);
		if (!n)
			break;
		r = n;
	}
	s->url = fx_xstrdup(r->url);
	fx_buf_add(&s->page, r->body.data ? r->body.data : "", r->body.len);
	fx_sha256(s->page.data, s->page.len, md);
	fx_hex(md, sizeof(md), s->sha256);
	page_links(&s->page, s->url, &l, &base);
	for (i = 0; i < l.n; i++) {
		u = web_url_resolve(base, l.v[i].ref);
		if (u && !find_res(s, u)) {
			struct response *x = response_for(&w, u);

			add_res(s, u, x && x->status < 400 ? x->sha256 : NULL);
		}
		free(u);
	}
	ret = 0;
out:
	free(base);
	web_links_release(&l);
	read_release(&w);
	free(data);
	return ret;
}

/* ---- the page offered ---- */

struct live {
	struct web_tx **t;
	size_t n;
};

static void live_done(struct web_tx *t, void *ctx)
{
	(void)t;
	(void)ctx;
}

static void tx_payload(struct web_tx *t, struct fx_buf *out)
{
	char *te = web_header(t->head.data ? t->head.data : "", t->head.len, "Transfer-Encoding");

	if (te && web_has_ci(te, "chunked"))
		web_dechunk(t->body.data ? t->body.data : "", t->body.len, out);
	else
		fx_buf_add(out, t->body.data ? t->body.data : "", t->body.len);
	free(te);
}

static int load_live(const struct fx_web_opts *o, const char *url, struct side *s)
{
	struct web_fetch *f = web_fetch_new(o);
	struct web_links l = WEB_LINKS_INIT;
	struct web_tx *t = NULL, **batch = NULL;
	struct fx_buf pl = FX_BUF_INIT;
	char *cur = fx_xstrdup(url), *loc, *base = NULL, *u;
	uint8_t md[FX_SHA256_LEN];
	size_t i, n = 0, hops;
	int ret = -1;

	if (!f)
		goto out;
	for (hops = 0;; hops++) {
		web_tx_free(t);
		t = web_tx_new(cur, "page");
		if (web_fetch_run(f, &t, 1, live_done, NULL) < 0)
			goto out;
		if (t->error) {
			fx_error("'%s': %s", cur, t->error_text);
			goto out;
		}
		if (t->status < 300 || t->status >= 400 || hops >= o->max_redirects)
			break;
		loc = web_header(t->head.data, t->head.len, "Location");
		u = loc ? web_url_resolve(cur, loc) : NULL;
		free(loc);
		if (!u)
			break;
		free(cur);
		cur = u;
	}
	tx_payload(t, &s->page);
	s->url = fx_xstrdup(cur);
	fx_sha256(s->page.data, s->page.len, md);
	fx_hex(md, sizeof(md), s->sha256);
	page_links(&s->page, s->url, &l, &base);
	batch = fx_xcalloc(l.n + 1, sizeof(*batch));
	for (i = 0; i < l.n && n < o->max_resources; i++) {
		u = web_url_resolve(base, l.v[i].ref);
		if (u && !find_res(s, u)) {
			add_res(s, u, NULL);
			batch[n++] = web_tx_new(u, l.v[i].kind);
		}
		free(u);
	}
	if (web_fetch_run(f, batch, n, live_done, NULL) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct res *r = find_res(s, batch[i]->url);

		if (!r || batch[i]->error || batch[i]->status >= 400)
			continue;
		fx_buf_truncate(&pl, 0);
		tx_payload(batch[i], &pl);
		fx_sha256(pl.data ? pl.data : "", pl.len, md);
		fx_hex(md, sizeof(md), r->sha256);
	}
	ret = 0;
out:
	for (i = 0; i < n; i++)
		web_tx_free(batch[i]);
	free(batch);
	fx_buf_release(&pl);
	web_tx_free(t);
	web_links_release(&l);
	free(base);
	free(cur);
	web_fetch_free(f);
	return ret;
}

/*
 * A saved page claims to be the captured page: its links are resolved
 * against the captured URL, and a relative link that names a file next to
 * it (a browser's "save page" folder) is hashed from that file.
 */
static int load_file(const char *path, const char *url, struct side *s)
{
	struct web_links l = WEB_LINKS_INIT;
	char *data, *base = NULL, *u, *dir, *slash, *local;
	uint8_t md[FX_SHA256_LEN];
	char hex[FX_SHA256_HEX];
	size_t len, i;

	data = fx_read_file(path, &len, 0);
	if (!data)
		return -1;
	fx_buf_add(&s->page, data, len);
	free(data);
	s->url = fx_xstrdup(url);
	fx_sha256(s->page.data, s->page.len, md);
	fx_hex(md, sizeof(md), s->sha256);
	page_links(&s->page, url, &l, &base);
	dir = fx_xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	for (i = 0; i < l.n; i++) {
		u = web_url_resolve(base, l.v[i].ref);
		if (u && !find_res(s, u)) {
			hex[0] = '\0';
			if (!strstr(l.v[i].ref, "://") && l.v[i].ref[0] != '/' &&
			    !strstr(l.v[i].ref, "..")) {
				local = fx_xasprintf("%s%.*s", dir, (int)strcspn(l.v[i].ref, "?#"),
						     l.v[i].ref);
				if (access(local, R_OK) == 0 &&
				    fx_sha256_file(local, hex, NULL) < 0)
					hex[0] = '\0';
				free(local);
			}
			add_res(s, u, hex);
		}
		free(u);
	}
	free(dir);
	free(base);
	web_links_release(&l);
	return 0;
}

/* ---- the comparison ---- */

/* Lines of a that are not in b (at most MAX_LINES), as a JSON array. */
static json_t *lines_only_in(const char *a, const char *b, size_t *count)
{
	json_t *out = json_array();
	const char *p, *e, *q, *qe;
	size_t n;
	int found;

	*count = 0;
	for (p = a; *p; p = *e ? e + 1 : e) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (!n)
			continue;
		found = 0;
		for (q = b; *q && !found; q = *qe ? qe + 1 : qe) {
			qe = strchr(q, '\n');
			if (!qe)
				qe = q + strlen(q);
			found = (size_t)(qe - q) == n && memcmp(p, q, n) == 0;
		}
		if (found)
			continue;
		if (++*count <= MAX_LINES)
			json_array_append_new(out, fx_json_text(p, n));
	}
	return out;
}

static json_t *res_pair(const char *url, const char *cap, const char *off)
{
	json_t *o = json_pack("{s:s}", "url", url);

	if (cap && *cap)
		json_object_set_new(o, "captured_sha256", json_string(cap));
	if (off && *off)
		json_object_set_new(o, "offered_sha256", json_string(off));
	return o;
}

/*
 * With a case, the comparison is evidence too: the page offered and the
 * capture file (when it came from outside) are stored, and the record
 * added, in one change with its custody entry.
 */
static int keep(const struct fx_web_opts *o, const char *path, const char *file_sha,
		const struct side *off, const char *capture, const char *page, json_t *rec)
{
	struct fx_store *st = fx_case_store(o->c);
	char hex[FX_SHA256_HEX];
	uint64_t size;
	json_t *v;
	int existed;

	if (fx_case_begin(o->c, "verify") < 0)
		return -1;
	v = json_pack("{s:s,s:s,s:s,s:s}", "kind", "web-capture", "path", capture, "sha256",
		      file_sha, "offered", page);
	fx_case_note_input(o->c, v);
	json_decref(v);
	if (!fx_store_has(st, file_sha) && fx_store_put_file(st, path, hex, &size, &existed) < 0)
		goto fail;
	fx_case_note_object(o->c, file_sha);
	if (fx_store_put_buf(st, off->page.data ? off->page.data : "", off->page.len, hex,
			     &existed) < 0)
		goto fail;
	fx_case_note_object(o->c, hex);
	if (fx_case_add_record(o->c, rec, page, NULL) < 0)
		goto fail;
	v = json_pack("{s:s,s:O}", "offered", page, "result",
		      json_object_get(json_object_get(rec, FX_KEY_DATA), "result"));
	if (fx_case_commit(o->c, v, NULL) < 0) {
		json_decref(v);
		return -1;
	}
	json_decref(v);
	return 0;
fail:
	fx_case_rollback(o->c);
	return -1;
}

int fx_web_verify(const struct fx_web_opts *o, const char *capture, const char *page)
{
	struct side cap, off;
	char *path = NULL, file_sha[FX_SHA256_HEX], *ta = NULL, *tb = NULL;
	json_t *rec = NULL, *data, *added, *removed, *changed;
	size_t i, na, nr;
	struct res *r;
	int live, ret = -1;

	memset(&cap, 0, sizeof(cap));
	memset(&off, 0, sizeof(off));
	path = capture_path(o, capture);
	if (!path || load_capture(o, path, &cap, file_sha) < 0)
		goto out;
	live = strncasecmp(page, "http://", 7) == 0 || strncasecmp(page, "https://", 8) == 0;
	if (live ? load_live(o, page, &off) < 0 : load_file(page, cap.url, &off) < 0)
		goto out;
	rec = fx_record_new("comparison", o->c ? fx_case_id(o->c) : NULL, NULL);
	data = json_object_get(rec, FX_KEY_DATA);
	{
		char now[FX_TIME_LEN];

		fx_time_now(now);
		json_object_set_new(rec, FX_KEY_TIME, json_string(now));
		json_object_set_new(data, "compared", json_string(now));
	}
	json_object_set_new(rec, FX_KEY_SRC,
			    json_pack("{s:s,s:s}", FX_SRC_SHA256, file_sha, FX_SRC_PATH, capture));
	json_object_set_new(data, "capture", json_string(capture));
	json_object_set_new(data, "url", json_string(cap.url));
	json_object_set_new(data, "offered", json_string(page));
	json_object_set_new(data, "offered_kind", json_string(live ? "url" : "file"));
	json_object_set_new(data, "captured_sha256", json_string(cap.sha256));
	json_object_set_new(data, "offered_sha256", json_string(off.sha256));
	if (strcmp(cap.sha256, off.sha256) == 0) {
		json_object_set_new(data, "result", json_string("identical"));
		ret = 0;
		goto write;
	}
	json_object_set_new(data, "result", json_string("different"));
	ta = web_html_text(cap.page.data ? cap.page.data : "", cap.page.len);
	tb = web_html_text(off.page.data ? off.page.data : "", off.page.len);
	json_object_set_new(data, "text_changed", json_boolean(strcmp(ta, tb) != 0));
	json_object_set_new(data, "text_removed", lines_only_in(ta, tb, &nr));
	json_object_set_new(data, "text_added", lines_only_in(tb, ta, &na));
	json_object_set_new(data, "text_lines_removed", json_integer((json_int_t)nr));
	json_object_set_new(data, "text_lines_added", json_integer((json_int_t)na));
	added = json_array();
	removed = json_array();
	changed = json_array();
	for (i = 0; i < off.nres; i++) {
		r = find_res(&cap, off.res[i].url);
		if (!r)
			json_array_append_new(added,
					      res_pair(off.res[i].url, NULL, off.res[i].sha256));
		else if (r->sha256[0] && off.res[i].sha256[0] &&
			 strcmp(r->sha256, off.res[i].sha256) != 0)
			json_array_append_new(
				changed, res_pair(off.res[i].url, r->sha256, off.res[i].sha256));
	}
	for (i = 0; i < cap.nres; i++)
		if (!find_res(&off, cap.res[i].url))
			json_array_append_new(removed,
					      res_pair(cap.res[i].url, cap.res[i].sha256, NULL));
	json_object_set_new(data, "resources_added", added);
	json_object_set_new(data, "resources_removed", removed);
	json_object_set_new(data, "resources_changed", changed);
	ret = 1;
write:
	if (o->c && keep(o, path, file_sha, &off, capture, page, rec) < 0)
		ret = -1;
	if (ret >= 0 && o->out && fx_record_write(o->out, rec) < 0)
		ret = -1;
	if (ret >= 0 && !o->quiet)
		fprintf(stderr, "%s: '%s': %s\n", fx_progname(), page,
			ret == 0 ? "identical to the capture: the capture confirms it"
				 : "differs from the capture");
out:
	free(ta);
	free(tb);
	free(path);
	json_decref(rec);
	side_release(&cap);
	side_release(&off);
	return ret;
}
