/*
 * fx-pull web: the capture. The redirect chain is walked one hop at a
 * time (each hop its own exchange, so each has its own request, response
 * and address data), then the page's resources are fetched in parallel,
 * every exchange written to the WARC as it ends, the whole judged,
 * packaged as WACZ and stored in the case in one change.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_io.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

#define SCREENSHOT_SECONDS 40

void fx_web_opts_init(struct fx_web_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_size = FX_WEB_MAX_SIZE;
	o->max_total = FX_WEB_MAX_TOTAL;
	o->max_resources = FX_WEB_MAX_RESOURCES;
	o->max_redirects = FX_WEB_MAX_REDIRECTS;
	o->parallel = 8;
	o->timeout_ms = 60000;
	o->user_agent = "Mozilla/5.0 (X11; Linux x86_64) fx-pull/" FX_VERSION;
	o->screenshot = 1;
}

struct cap {
	const struct fx_web_opts *o;
	struct web_fetch *f;
	struct web_warc warc;
	int warc_ok;
	char *dir;
	struct web_tx **hops, **res;
	size_t nhops, nres;
	struct web_cdx *cdx;
	size_t ncdx, cdxcap;
	json_t *problems;
	int incomplete;
};

static void problem(struct cap *c, const char *url, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reports and notes a problem that makes the capture incomplete. */
static void problem(struct cap *c, const char *url, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fx_error("'%s': %s", url, text);
	json_array_append_new(c->problems, json_pack("{s:s,s:s}", "url", url, "problem", text));
	c->incomplete = 1;
}

static void time_of(int64_t ms, char out[FX_TIME_LEN])
{
	if (fx_time_format(ms, out) < 0)
		snprintf(out, FX_TIME_LEN, "1970-01-01T00:00:00.000Z");
}

static int chunked(const struct web_tx *t)
{
	char *te = web_header(t->head.data ? t->head.data : "", t->head.len, "Transfer-Encoding");
	int r = te && web_has_ci(te, "chunked");

	free(te);
	return r;
}

/*
 * The entity body (transfer coding removed) into out, or NULL when the
 * raw body is it; returns the bytes to hash.
 */
static const struct fx_buf *payload(const struct web_tx *t, struct fx_buf *out)
{
	if (!chunked(t))
		return &t->body;
	web_dechunk(t->body.data ? t->body.data : "", t->body.len, out);
	return out;
}

static char *b64(const void *p, size_t n)
{
	char *r = fx_xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)r, p, (int)n);
	return r;
}

/* The address data of one exchange; with der, the chain in base64 DER. */
static json_t *tx_json(struct cap *c, const struct web_tx *t, int der)
{
	json_t *o = json_pack("{s:s,s:s,s:I}", "url", t->url, "kind", t->kind, "status",
			      (json_int_t)t->status);
	char ts[FX_TIME_LEN], hex[FX_SHA256_HEX];
	uint8_t md[FX_SHA256_LEN];
	json_t *tls, *chain;
	char *v;
	size_t i;

	time_of(t->started, ts);
	json_object_set_new(o, "started", json_string(ts));
	if (t->host)
		json_object_set_new(o, "dns", web_fetch_dns(c->f, t->host));
	if (t->ip[0]) {
		json_object_set_new(o, "ip", json_string(t->ip));
		json_object_set_new(o, "port", json_integer(t->port));
	}
	if (t->tls) {
		tls = json_pack("{s:s,s:s,s:b,s:I,s:s,s:b}", "version", t->tls->version, "cipher",
				t->tls->cipher, "verified", t->tls->verified, "verify_code",
				(json_int_t)t->tls->verify_code, "verify_result",
				t->tls->verify_text, "host_match", t->tls->host_ok);
		if (t->tls->subject)
			json_object_set_new(tls, "subject", json_string(t->tls->subject));
		if (t->tls->issuer)
			json_object_set_new(tls, "issuer", json_string(t->tls->issuer));
		if (t->tls->not_before && fx_time_format(t->tls->not_before, ts) == 0) {
			json_object_set_new(tls, "not_before", json_string(ts));
			/* How old the certificate was when it was presented. */
			json_object_set_new(
				tls, "age_days",
				json_integer((t->started - t->tls->not_before) / 86400000));
		}
		if (t->tls->not_after && fx_time_format(t->tls->not_after, ts) == 0)
			json_object_set_new(tls, "not_after", json_string(ts));
		chain = json_array();
		for (i = 0; i < t->tls->nder; i++) {
			fx_sha256(t->tls->der[i].data, t->tls->der[i].len, md);
			json_array_append_new(chain, json_string(fx_hex(md, sizeof(md), hex)));
		}
		json_object_set_new(tls, "chain", chain);
		if (der) {
			chain = json_array();
			for (i = 0; i < t->tls->nder; i++) {
				v = b64(t->tls->der[i].data, t->tls->der[i].len);
				json_array_append_new(chain, json_string(v));
				free(v);
			}
			json_object_set_new(tls, "chain_der", chain);
		}
		json_object_set_new(o, "tls", tls);
	}
	v = t->head.len ? web_header(t->head.data, t->head.len, "Location") : NULL;
	if (v)
		json_object_set_new(o, "location", fx_json_text(v, strlen(v)));
	free(v);
	v = t->head.len ? web_header(t->head.data, t->head.len, "Strict-Transport-Security") : NULL;
	if (v)
		json_object_set_new(o, "hsts", fx_json_text(v, strlen(v)));
	free(v);
	v = t->head.len ? web_header(t->head.data, t->head.len, "Content-Type") : NULL;
	if (v)
		json_object_set_new(o, "type", fx_json_text(v, strlen(v)));
	free(v);
	if (t->payload_sha256[0]) {
		json_object_set_new(o, "sha256", json_string(t->payload_sha256));
		json_object_set_new(o, "size", json_integer((json_int_t)t->payload_size));
	}
	if (t->truncated)
		json_object_set_new(o, "truncated", json_true());
	if (t->error_text)
		json_object_set_new(o, "error", json_string(t->error_text));
	json_object_set_new(o, "seconds", json_real((double)(long)(t->seconds * 1000) / 1000));
	return o;
}

static void add_cdx(struct cap *c, const struct web_tx *t, uint64_t off, uint64_t len)
{
	char ts[FX_TIME_LEN], key[16], *surt, *mime;
	struct web_cdx *x;
	json_t *j;
	size_t i, k = 0;

	if (c->ncdx == c->cdxcap) {
		c->cdxcap = c->cdxcap ? 2 * c->cdxcap : 64;
		c->cdx = fx_xrealloc(c->cdx, c->cdxcap * sizeof(*c->cdx));
	}
	time_of(t->started, ts);
	for (i = 0; ts[i] && k < 14; i++)
		if (ts[i] >= '0' && ts[i] <= '9')
			key[k++] = ts[i];
	key[k] = '\0';
	surt = web_surt(t->url);
	mime = web_header(t->head.data ? t->head.data : "", t->head.len, "Content-Type");
	j = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:s}", "url", t->url, "mime", mime ? mime : "unk",
		      "status", "", "digest", "", "length", (json_int_t)len, "offset",
		      (json_int_t)off, "filename", "data.warc.gz");
	json_object_set_new(j, "status", json_sprintf("%ld", t->status));
	json_object_set_new(j, "digest", json_sprintf("sha256:%s", t->payload_sha256));
	x = &c->cdx[c->ncdx++];
	x->key = fx_xasprintf("%s %s", surt, key);
	x->json = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	free(surt);
	free(mime);
}

/* Whether the body is worth compressing: text is, images and fonts are not. */
static int compressible(const struct web_tx *t)
{
	char *ct = web_header(t->head.data ? t->head.data : "", t->head.len, "Content-Type");
	int r = !ct || strncasecmp(ct, "text/", 5) == 0 || web_has_ci(ct, "javascript") ||
		web_has_ci(ct, "json") || web_has_ci(ct, "xml") || web_has_ci(ct, "svg");

	free(ct);
	return r;
}

/* Writes one exchange to the WARC: request, response, metadata. */
static void write_tx(struct cap *c, struct web_tx *t)
{
	struct web_warc_head h;
	struct fx_buf pl = FX_BUF_INIT;
	const struct fx_buf *p;
	char date[FX_TIME_LEN], label[80], req_id[64], *meta;
	uint8_t md[FX_SHA256_LEN];
	uint64_t off, len;
	json_t *m;

	if (!c->warc_ok)
		return;
	time_of(t->started, date);
	web_uuid_urn(t->response_id);
	req_id[0] = '\0';
	if (t->req.len) {
		memset(&h, 0, sizeof(h));
		h.type = "request";
		h.uri = t->url;
		h.date = date;
		h.ctype = "application/http;msgtype=request";
		h.concurrent = t->head.len ? t->response_id : NULL;
		if (web_warc_write(&c->warc, &h, t->req.data, t->req.len, NULL, 0, NULL, NULL) < 0)
			goto fail;
		memcpy(req_id, h.id, sizeof(req_id));
	}
	if (t->head.len) {
		p = payload(t, &pl);
		fx_sha256(p->data ? p->data : "", p->len, md);
		fx_hex(md, sizeof(md), t->payload_sha256);
		t->payload_size = p->len;
		web_digest_label(md, label);
		memset(&h, 0, sizeof(h));
		memcpy(h.id, t->response_id, sizeof(h.id));
		h.type = "response";
		h.uri = t->url;
		h.date = date;
		h.ip = t->ip[0] ? t->ip : NULL;
		h.ctype = "application/http;msgtype=response";
		h.concurrent = req_id[0] ? req_id : NULL;
		h.payload = label;
		h.truncated = t->truncated ? "length" : NULL;
		h.stored = !compressible(t);
		if (web_warc_write(&c->warc, &h, t->head.data, t->head.len, t->body.data,
				   t->body.len, &off, &len) < 0)
			goto fail;
		add_cdx(c, t, off, len);
	}
	fx_buf_release(&pl);
	m = tx_json(c, t, 1);
	meta = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(m);
	memset(&h, 0, sizeof(h));
	h.type = "metadata";
	h.uri = t->url;
	h.date = date;
	h.ctype = "application/json";
	h.refers = t->head.len ? t->response_id : req_id[0] ? req_id : NULL;
	if (web_warc_write(&c->warc, &h, meta, strlen(meta), NULL, 0, NULL, NULL) < 0) {
		free(meta);
		goto fail;
	}
	free(meta);
	return;
fail:
	fx_buf_release(&pl);
	c->warc_ok = 0;
	c->incomplete = 1;
}

static void res_done(struct web_tx *t, void *ctx)
{
	struct cap *c = ctx;

	write_tx(c, t);
	if (t->truncated)
		problem(c, t->url, "%s; the part received is kept, marked truncated",
			t->error_text ? t->error_text : "truncated");
	/* Style sheets are kept for their url()s; nothing else is needed again. */
	if (strcmp(t->kind, "stylesheet") != 0 || t->status >= 300)
		web_tx_drop_body(t);
}

static void hop_done(struct web_tx *t, void *ctx)
{
	write_tx(ctx, t);
}

static int is_html(const struct web_tx *t, const struct fx_buf *body)
{
	char *ct = web_header(t->head.data ? t->head.data : "", t->head.len, "Content-Type");
	const char *p;
	int r;

	if (ct) {
		r = web_has_ci(ct, "html");
		free(ct);
		return r;
	}
	for (p = body->data ? body->data : ""; *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
	     p++)
		;
	return strncasecmp(p, "<!doctype html", 14) == 0 || strncasecmp(p, "<html", 5) == 0;
}

/*
 * The body to parse: the transfer coding and any content coding undone.
 * Returns a buffer owned by tmp or by t.
 */
static const struct fx_buf *parse_body(const struct web_tx *t, struct fx_buf *tmp,
				       struct fx_buf *tmp2, size_t max)
{
	const struct fx_buf *p = payload(t, tmp);
	char *ce = web_header(t->head.data ? t->head.data : "", t->head.len, "Content-Encoding");

	if (ce && (strcasecmp(ce, "gzip") == 0 || strcasecmp(ce, "deflate") == 0) &&
	    web_inflate(p->data ? p->data : "", p->len, tmp2, max) == 0)
		p = tmp2;
	free(ce);
	return p;
}

static int seen(struct cap *c, const char *url, char **urls, size_t n)
{
	size_t i;

	for (i = 0; i < c->nhops; i++)
		if (strcmp(c->hops[i]->url, url) == 0)
			return 1;
	for (i = 0; i < c->nres; i++)
		if (strcmp(c->res[i]->url, url) == 0)
			return 1;
	for (i = 0; i < n; i++)
		if (strcmp(urls[i], url) == 0)
			return 1;
	return 0;
}

/* Fetches the links of l (resolved against base) not fetched yet. */
static int fetch_links(struct cap *c, const struct web_links *l, const char *base,
		       unsigned *skipped)
{
	struct web_tx **batch = fx_xcalloc(l->n + 1, sizeof(*batch));
	char **urls = fx_xcalloc(l->n + 1, sizeof(*urls));
	size_t i, n = 0;
	char *u;
	int ret;

	for (i = 0; i < l->n; i++) {
		u = web_url_resolve(base, l->v[i].ref);
		if (!u || seen(c, u, urls, n)) {
			free(u);
			continue;
		}
		if (c->nres + n >= c->o->max_resources) {
			(*skipped)++;
			free(u);
			continue;
		}
		urls[n] = u;
		batch[n++] = web_tx_new(u, l->v[i].kind);
	}
	ret = web_fetch_run(c->f, batch, n, res_done, c);
	c->res = fx_xrealloc(c->res, (c->nres + n + 1) * sizeof(*c->res));
	memcpy(c->res + c->nres, batch, n * sizeof(*batch));
	c->nres += n;
	for (i = 0; i < n; i++)
		free(urls[i]);
	free(urls);
	free(batch);
	return ret;
}

/* The executable name in $PATH: 1 with *path (malloc'd), or 0. */
static int find_on_path(const char *name, char **path)
{
	const char *env = getenv("PATH"), *p, *e;
	char *cand;

	for (p = env ? env : "/usr/bin:/bin"; *p; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		cand = fx_xasprintf("%.*s/%s", (int)(e - p), p, name);
		if (access(cand, X_OK) == 0) {
			*path = cand;
			return 1;
		}
		free(cand);
	}
	return 0;
}

static int find_chromium(char **path)
{
	return find_on_path("chromium", path) || find_on_path("chromium-browser", path) ||
	       find_on_path("google-chrome", path);
}

/*
 * A screenshot by a headless Chromium: a second load of the final URL,
 * with the same name mapping. Returns the PNG's path (malloc'd) or NULL
 * with *note saying why not.
 */
static char *screenshot(struct cap *c, const char *url, const char **note)
{
	const struct fx_web_opts *o = c->o;
	char *bin = NULL, *png = fx_path_join(c->dir, "screenshot.png"), *argv[16], *rules = NULL;
	struct fx_buf r = FX_BUF_INIT;
	const char *const *res;
	struct stat st;
	int n = 0, status, waited;
	pid_t pid;

	if (!o->screenshot) {
		*note = "skipped: --no-screenshot";
		goto none;
	}
	if (!find_chromium(&bin)) {
		*note = "skipped: no headless Chromium installed";
		goto none;
	}
	/* --resolve HOST:PORT:ADDR as Chromium's MAP HOST:PORT ADDR:PORT. */
	for (res = o->resolve; res && *res; res++) {
		const char *c1 = strchr(*res, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *addr = c2 ? c2 + 1 : NULL;
		size_t al = addr ? strcspn(addr, ",") : 0;

		if (!c2)
			continue;
		if (r.len)
			fx_buf_add(&r, ",", 1);
		fx_buf_add(&r, "MAP ", 4);
		fx_buf_add(&r, *res, (size_t)(c2 - *res));
		fx_buf_add(&r, " ", 1);
		fx_buf_add(&r, addr, al);
		fx_buf_add(&r, c1, (size_t)(c2 - c1));
	}
	if (r.len)
		rules = fx_xasprintf("--host-resolver-rules=%s", r.data);
	argv[n++] = bin;
	argv[n++] = "--headless";
	argv[n++] = "--no-sandbox";
	argv[n++] = "--disable-gpu";
	argv[n++] = "--hide-scrollbars";
	argv[n++] = "--no-first-run";
	argv[n++] = "--window-size=1280,1024";
	/* Our own verification is in the record; Chromium only renders. */
	if (o->ca_file)
		argv[n++] = "--ignore-certificate-errors";
	if (rules)
		argv[n++] = rules;
	argv[n] = fx_xasprintf("--screenshot=%s", png);
	n++;
	argv[n++] = (char *)url;
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setpgid(0, 0);
		execv(bin, argv);
		_exit(127);
	}
	status = -1;
	for (waited = 0; pid > 0 && waited < SCREENSHOT_SECONDS * 10; waited++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		status = -1;
		struct timespec ts = {0, 100000000};
		nanosleep(&ts, NULL);
	}
	if (pid > 0 && status == -1) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		status = -1;
	}
	free(argv[n - 2]);
	free(rules);
	free(bin);
	fx_buf_release(&r);
	if (status == 0 && stat(png, &st) == 0 && st.st_size > 0)
		return png;
	*note = "skipped: Chromium did not produce a screenshot";
	free(png);
	return NULL;
none:
	free(bin);
	free(png);
	return NULL;
}

static void rm_tree(const char *dir)
{
	static const char *const names[] = {"data.warc.gz", "capture.wacz", "screenshot.png", NULL};
	const char *const *n;
	char *p;

	for (n = names; *n; n++) {
		p = fx_path_join(dir, *n);
		unlink(p);
		free(p);
	}
	rmdir(dir);
}

static int put(struct cap *c, const char *path, char hex[FX_SHA256_HEX])
{
	uint64_t size;
	int existed;

	if (fx_store_put_file(fx_case_store(c->o->c), path, hex, &size, &existed) < 0)
		return -1;
	fx_case_note_object(c->o->c, hex);
	return 0;
}

/*
 * Runs argv[0] with argv and waits; its records go to the case, not to our
 * standard output. Returns 0 when it exited 0.
 */
static int run_prog(char *const argv[])
{
	pid_t pid = fork();
	int st, devnull;

	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Whether the examiner has a signing key: $FX_SIGN_KEY, or one in $FX_HOME/keys. */
static int have_signing_key(void)
{
	const char *env = getenv("FX_SIGN_KEY");
	char *home, *dir;
	struct dirent *de;
	DIR *d;
	int found = 0;

	if (env && *env)
		return 1;
	home = fx_home();
	dir = fx_path_join(home, "keys");
	d = opendir(dir);
	while (d && !found && (de = readdir(d)))
		found = de->d_name[0] != '.';
	if (d)
		closedir(d);
	free(dir);
	free(home);
	return found;
}

/*
 * Hands the stored WACZ to fx-sign when it is on PATH and the examiner has
 * a key: signed as signer into the case, and timestamped by $FX_TSA when
 * that is set. With run 0, only says what would be done. Returns the note
 * for the record (static).
 */
static const char *sign(struct cap *c, const char *wacz_path, int run)
{
	char *bin = NULL;
	char *dir = (char *)fx_case_dir(c->o->c), *wacz = (char *)wacz_path;
	const char *tsa = getenv("FX_TSA"), *why = NULL;

	if (!find_on_path("fx-sign", &bin))
		why = "skipped: no fx-sign on PATH";
	else if (!have_signing_key())
		why = "skipped: no signing key (fx-sign keygen or import)";
	if (tsa && !*tsa)
		tsa = NULL;
	if (!why && run) {
		char *s[] = { bin, "-q", "--case", dir, "sign", "--role", "signer", wacz, NULL };
		char *t[] = { bin, "-q", "--case", dir, "stamp", wacz, NULL };

		if (run_prog(s) < 0)
			fx_warn("'%s': fx-sign sign failed", wacz_path);
		else if (tsa && run_prog(t) < 0)
			fx_warn("'%s': fx-sign stamp failed", wacz_path);
	}
	free(bin);
	return why   ? why
	       : tsa ? "handed to fx-sign to sign and timestamp"
		     : "handed to fx-sign to sign";
}

static json_t *res_json(const struct web_tx *t, const char *site)
{
	json_t *o = json_pack("{s:s,s:s,s:I,s:s}", "url", t->url, "kind", t->kind, "status",
			      (json_int_t)t->status, "class",
			      web_host_class(t->host ? t->host : "", site));
	char *ct = t->head.len ? web_header(t->head.data, t->head.len, "Content-Type") : NULL;

	if (t->payload_sha256[0]) {
		json_object_set_new(o, "sha256", json_string(t->payload_sha256));
		json_object_set_new(o, "size", json_integer((json_int_t)t->payload_size));
	}
	if (ct)
		json_object_set_new(o, "type", fx_json_text(ct, strlen(ct)));
	if (t->ip[0])
		json_object_set_new(o, "ip", json_string(t->ip));
	if (t->truncated)
		json_object_set_new(o, "truncated", json_true());
	if (t->error_text)
		json_object_set_new(o, "error", json_string(t->error_text));
	free(ct);
	return o;
}

static void warc_resource(struct cap *c, const char *uri, const char *ctype, const void *data,
			  size_t len)
{
	struct web_warc_head h;
	char date[FX_TIME_LEN];

	if (!c->warc_ok)
		return;
	fx_time_now(date);
	memset(&h, 0, sizeof(h));
	h.type = "resource";
	h.uri = uri;
	h.date = date;
	h.ctype = ctype;
	if (web_warc_write(&c->warc, &h, data, len, NULL, 0, NULL, NULL) < 0) {
		c->warc_ok = 0;
		c->incomplete = 1;
	}
}

/* The style sheets' url()s and @imports, resolved, as one list. */
static void css_links(struct cap *c, struct web_links *out)
{
	struct fx_buf a = FX_BUF_INIT, b = FX_BUF_INIT;
	const struct fx_buf *p;
	struct web_links l = WEB_LINKS_INIT;
	size_t i, j;
	char *u;

	for (i = 0; i < c->nres; i++) {
		struct web_tx *t = c->res[i];

		if (!t->body.len)
			continue;
		p = parse_body(t, &a, &b, c->o->max_size);
		web_css_urls(p->data ? p->data : "", p->len, "css-url", &l);
		for (j = 0; j < l.n; j++) {
			u = web_url_resolve(t->url, l.v[j].ref);
			if (u)
				web_links_add(out, u, strlen(u), l.v[j].kind);
			free(u);
		}
		web_links_release(&l);
		fx_buf_truncate(&a, 0);
		fx_buf_truncate(&b, 0);
		web_tx_drop_body(t);
	}
	fx_buf_release(&a);
	fx_buf_release(&b);
}

static void warcinfo(struct cap *c)
{
	struct web_warc_head h;
	char date[FX_TIME_LEN], *info;

	fx_time_now(date);
	info = fx_xasprintf("software: fx-pull/%s\r\nformat: WARC File Format 1.1\r\n"
			    "conformsTo: https://iipc.github.io/warc-specifications/"
			    "specifications/warc-format/warc-1.1/\r\n"
			    "http-header-user-agent: %s\r\ndescription: forensic capture; "
			    "TLS verified by fx-pull, not by the client\r\n",
			    FX_VERSION, c->o->user_agent);
	memset(&h, 0, sizeof(h));
	h.type = "warcinfo";
	h.date = date;
	h.filename = "data.warc.gz";
	h.ctype = "application/warc-fields";
	if (web_warc_write(&c->warc, &h, info, strlen(info), NULL, 0, NULL, NULL) < 0)
		c->warc_ok = 0;
	free(info);
}

/* Walks the redirect chain from url, one exchange per hop. */
static void walk_hops(struct cap *c, const char *url)
{
	char *cur = fx_xstrdup(url), *loc, *next;
	struct web_tx *t;
	size_t i;

	for (;;) {
		for (i = 0; i < c->nhops; i++)
			if (strcmp(c->hops[i]->url, cur) == 0)
				break;
		if (i < c->nhops) {
			problem(c, url, "redirect loop: '%s' again after %zu redirects", cur,
				c->nhops);
			break;
		}
		if (c->nhops > c->o->max_redirects) {
			problem(c, url, "more than %u redirects", c->o->max_redirects);
			break;
		}
		t = web_tx_new(cur, "page");
		c->hops = fx_xrealloc(c->hops, (c->nhops + 1) * sizeof(*c->hops));
		c->hops[c->nhops++] = t;
		if (web_fetch_run(c->f, &t, 1, hop_done, c) < 0 || t->error) {
			problem(c, cur, "%s",
				t->error_text ? t->error_text : "the transfer failed");
			break;
		}
		if (t->status < 300 || t->status >= 400)
			break;
		loc = web_header(t->head.data, t->head.len, "Location");
		next = loc ? web_url_resolve(cur, loc) : NULL;
		if (!next) {
			problem(c, cur, "redirect (%ld) without a usable Location", t->status);
			free(loc);
			break;
		}
		free(loc);
		free(cur);
		cur = next;
	}
	free(cur);
}

static int store(struct cap *c, const char *url, json_t *data, const char *wacz, const char *png,
		 json_t **out)
{
	const struct fx_web_opts *o = c->o;
	char hex[FX_SHA256_HEX], warc_hex[FX_SHA256_HEX],
		*warc = fx_path_join(c->dir, "data.warc.gz");
	json_t *rec, *v;
	size_t i, k;
	int existed;

	*out = NULL;
	if (fx_case_begin(o->c, "pull") < 0)
		goto fail;
	v = json_pack("{s:s,s:s}", "kind", "web", "url", url);
	fx_case_note_input(o->c, v);
	json_decref(v);
	if (put(c, warc, warc_hex) < 0 || put(c, wacz, hex) < 0)
		goto fail;
	json_object_set_new(data, "warc_sha256", json_string(warc_hex));
	json_object_set_new(data, "wacz_sha256", json_string(hex));
	if (png) {
		char shot[FX_SHA256_HEX];

		if (put(c, png, shot) < 0)
			goto fail;
		json_object_set_new(data, "screenshot_sha256", json_string(shot));
	}
	/* Each certificate of the chain, DER, as an object of its own. */
	for (i = 0; i < c->nhops; i++)
		for (k = 0; c->hops[i]->tls && k < c->hops[i]->tls->nder; k++) {
			char cert[FX_SHA256_HEX];

			if (fx_store_put_buf(fx_case_store(o->c), c->hops[i]->tls->der[k].data,
					     c->hops[i]->tls->der[k].len, cert, &existed) < 0)
				goto fail;
			fx_case_note_object(o->c, cert);
		}
	rec = fx_record_new("capture", fx_case_id(o->c), NULL);
	json_object_set(rec, FX_KEY_TIME, json_object_get(data, "started"));
	json_object_set_new(
		rec, FX_KEY_SRC,
		json_pack("{s:s,s:s}", FX_SRC_SHA256, hex, FX_SRC_PATH, "archive/data.warc.gz"));
	json_object_update(json_object_get(rec, FX_KEY_DATA), data);
	if (fx_case_add_record(o->c, rec, url, NULL) < 0) {
		json_decref(rec);
		goto fail;
	}
	v = json_pack("{s:s,s:s}", "kind", "wacz", "sha256", hex);
	fx_case_note_output(o->c, v);
	json_decref(v);
	v = json_pack("{s:s,s:O,s:O}", "url", url, "verdict", json_object_get(data, "verdict"),
		      "complete", json_object_get(data, "complete"));
	if (fx_case_commit(o->c, v, NULL) < 0) {
		json_decref(v);
		json_decref(rec);
		free(warc);
		return -1;
	}
	json_decref(v);
	free(warc);
	*out = rec;
	return 0;
fail:
	fx_case_rollback(o->c);
	free(warc);
	return -1;
}

int fx_web_capture(const struct fx_web_opts *o, const char *url)
{
	struct cap c;
	struct web_links links = WEB_LINKS_INIT, css = WEB_LINKS_INIT;
	struct fx_buf a = FX_BUF_INIT, b = FX_BUF_INIT;
	struct web_judge_in in;
	struct web_page_entry pe;
	const struct fx_buf *pb;
	const char *why, *shot_note = NULL, *tmp = getenv("TMPDIR");
	char started[FX_TIME_LEN], finished[FX_TIME_LEN], *base = NULL, *png = NULL;
	char *wacz = NULL, *warc_path = NULL, *site, *cj;
	struct web_tx *page;
	json_t *data = NULL, *rec = NULL, *arr;
	unsigned skipped = 0;
	size_t i, failed = 0;
	int ret = -1;

	if (web_url_check(url, &why) < 0)
		return fx_error("'%s': %s", url, why);
	if (!o->c)
		return fx_error("'%s': a capture needs a case: give --case DIR or set FX_CASE",
				url);
	memset(&c, 0, sizeof(c));
	c.o = o;
	c.problems = json_array();
	c.f = web_fetch_new(o);
	if (!c.f)
		goto out;
	c.dir = fx_xasprintf("%s/fx-web.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(c.dir)) {
		fx_error_errno("cannot create a folder in '%s'", tmp && *tmp ? tmp : "/tmp");
		free(c.dir);
		c.dir = NULL;
		goto out;
	}
	warc_path = fx_path_join(c.dir, "data.warc.gz");
	if (web_warc_open(&c.warc, warc_path) < 0)
		goto out;
	c.warc_ok = 1;
	time_of(fx_time_now_ms(), started);
	warcinfo(&c);
	walk_hops(&c, url);
	page = c.hops[c.nhops - 1];
	if ((!page->error || page->truncated) && page->status >= 200 && page->status < 300) {
		pb = parse_body(page, &a, &b, o->max_size);
		if (is_html(page, pb) &&
		    web_html_links(pb->data ? pb->data : "", pb->len, &links) == 0) {
			base = links.base ? web_url_resolve(page->url, links.base) : NULL;
			if (!base)
				base = fx_xstrdup(page->url);
			fetch_links(&c, &links, base, &skipped);
			css_links(&c, &css);
			fetch_links(&c, &css, NULL, &skipped);
		}
		if (skipped)
			problem(&c, url,
				"%u more resources were not fetched: over --max-resources %u",
				skipped, o->max_resources);
		png = screenshot(&c, page->url, &shot_note);
	} else {
		shot_note = "skipped: the page was not captured";
	}
	if (png) {
		size_t n;
		char *img = fx_read_file(png, &n, 0),
		     *uri = fx_xasprintf("urn:screenshot:%s", page->url);

		if (img)
			warc_resource(&c, uri, "image/png", img, n);
		free(img);
		free(uri);
	}

	data = json_object();
	json_object_set_new(data, "url", json_string(url));
	json_object_set_new(data, "final_url", json_string(page->url));
	if (links.title)
		json_object_set_new(data, "title", fx_json_text(links.title, strlen(links.title)));
	json_object_set_new(data, "started", json_string(started));
	arr = json_array();
	for (i = 0; i < c.nhops; i++)
		json_array_append_new(arr, tx_json(&c, c.hops[i], 0));
	json_object_set_new(data, "hops", arr);
	if (page->payload_sha256[0])
		json_object_set_new(data, "page_sha256", json_string(page->payload_sha256));
	site = web_registrable(page->host ? page->host : "");
	arr = json_array();
	for (i = 0; i < c.nres; i++) {
		json_array_append_new(arr, res_json(c.res[i], site));
		if (c.res[i]->error || c.res[i]->status >= 400)
			failed++;
	}
	free(site);
	json_object_set_new(data, "resources", arr);
	json_object_set_new(data, "resource_count", json_integer((json_int_t)c.nres));
	json_object_set_new(data, "resources_failed", json_integer((json_int_t)failed));
	memset(&in, 0, sizeof(in));
	in.hops = c.hops;
	in.nhops = c.nhops;
	in.res = c.res;
	in.nres = c.nres;
	in.links = &links;
	in.page_url = page->url;
	in.now = fx_time_now_ms();
	web_judge(&in, data);
	json_object_set_new(data, "screenshot",
			    json_string(png ? "taken by headless Chromium" : shot_note));
	json_object_set_new(data, "sign", json_string(sign(&c, NULL, 0)));
	time_of(fx_time_now_ms(), finished);
	json_object_set_new(data, "finished", json_string(finished));
	json_object_set_new(data, "complete", json_boolean(!c.incomplete));
	if (json_array_size(c.problems))
		json_object_set(data, "problems", c.problems);
	/* The judgement travels in the WARC too. */
	cj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	{
		char *uri = fx_xasprintf("urn:fx:capture:%s", url);

		warc_resource(&c, uri, "application/json", cj, strlen(cj));
		free(uri);
	}
	free(cj);
	if (web_warc_close(&c.warc) < 0 || !c.warc_ok) {
		fx_error("'%s': the WARC could not be written", url);
		goto out;
	}
	wacz = fx_path_join(c.dir, "capture.wacz");
	pe.url = url;
	pe.ts = started;
	pe.title = links.title;
	if (web_wacz_write(wacz, warc_path, &pe, c.cdx, c.ncdx, started) < 0)
		goto out;
	if (store(&c, url, data, wacz, png, &rec) < 0)
		goto out;
	if (o->out && fx_record_write(o->out, rec) < 0)
		goto out;
	if (!o->quiet)
		fprintf(stderr, "%s: '%s': %s, %zu hops, %zu resources (%zu failed), verdict %s\n",
			fx_progname(), url, c.incomplete ? "incomplete" : "captured", c.nhops,
			c.nres, failed, json_string_value(json_object_get(data, "verdict")));
	{
		char *obj = fx_store_path(fx_case_store(o->c),
					  json_string_value(json_object_get(data, "wacz_sha256")));
		const char *note = sign(&c, obj, 1);

		if (!o->quiet && strncmp(note, "skipped", 7) == 0)
			fprintf(stderr, "%s: signing %s\n", fx_progname(), note);
		free(obj);
	}
	ret = c.incomplete ? 1 : 0;
out:
	if (c.warc.fp)
		web_warc_close(&c.warc);
	for (i = 0; i < c.nhops; i++)
		web_tx_free(c.hops[i]);
	for (i = 0; i < c.nres; i++)
		web_tx_free(c.res[i]);
	for (i = 0; i < c.ncdx; i++) {
		free(c.cdx[i].key);
		free(c.cdx[i].json);
	}
	free(c.cdx);
	free(c.hops);
	free(c.res);
	web_fetch_free(c.f);
	if (c.dir)
		rm_tree(c.dir);
	free(c.dir);
	free(warc_path);
	free(wacz);
	free(png);
	free(base);
	fx_buf_release(&a);
	fx_buf_release(&b);
	web_links_release(&links);
	web_links_release(&css);
	json_decref(c.problems);
	json_decref(data);
	json_decref(rec);
	return ret;
}
