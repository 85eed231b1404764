/*
 * Fetching with libcurl, recording each exchange as it happened: the
 * request head from the debug callback (the bytes libcurl sent), the
 * response head and body as received (the transfer coding left in), the
 * peer address, and the TLS session with the peer's chain and our own
 * verification of it.
 *
 * libcurl is told not to verify the peer: a phishing page behind a bad
 * certificate is exactly what must be captured. The chain is verified
 * here instead, against the system trust store (or --ca-file), and the
 * result goes into the record for the judgement.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_time.h"
#include "fx_banned.h"

struct dns_entry {
	char *host;
	json_t *dns;
};

struct web_fetch {
	const struct fx_web_opts *o;
	CURLM *multi;
	struct curl_slist *resolve;
	X509_STORE *store;
	struct dns_entry *dns;
	size_t ndns, dcap;
	uint64_t total;
};

struct web_fetch *web_fetch_new(const struct fx_web_opts *o)
{
	struct web_fetch *f = fx_xcalloc(1, sizeof(*f));
	const char *const *r;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(f);
		fx_error("cannot initialise libcurl");
		return NULL;
	}
	f->o = o;
	f->multi = curl_multi_init();
	f->store = X509_STORE_new();
	if (!f->multi || !f->store)
		goto fail;
	if (o->ca_file) {
		if (X509_STORE_load_file(f->store, o->ca_file) != 1) {
			fx_error("cannot load the trust store '%s': not a PEM certificate file",
				 o->ca_file);
			goto fail;
		}
	} else if (X509_STORE_set_default_paths(f->store) != 1) {
		fx_error("cannot load the system trust store");
		goto fail;
	}
	for (r = o->resolve; r && *r; r++)
		f->resolve = curl_slist_append(f->resolve, *r);
	/* Connections are reused across transfers: resources come faster. */
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
			  (long)(o->parallel ? o->parallel : 1));
	return f;
fail:
	web_fetch_free(f);
	return NULL;
}

void web_fetch_free(struct web_fetch *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->ndns; i++) {
		free(f->dns[i].host);
		json_decref(f->dns[i].dns);
	}
	free(f->dns);
	if (f->multi)
		curl_multi_cleanup(f->multi);
	curl_slist_free_all(f->resolve);
	X509_STORE_free(f->store);
	free(f);
	curl_global_cleanup();
}

uint64_t web_fetch_total(const struct web_fetch *f)
{
	return f->total;
}

struct web_tx *web_tx_new(const char *url, const char *kind)
{
	struct web_tx *t = fx_xcalloc(1, sizeof(*t));

	t->url = fx_xstrdup(url);
	t->host = web_url_host(url);
	t->kind = kind;
	return t;
}

static void tls_free(struct web_tls *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nder; i++)
		fx_buf_release(&s->der[i]);
	free(s->der);
	free(s->version);
	free(s->cipher);
	free(s->verify_text);
	free(s->subject);
	free(s->issuer);
	free(s);
}

void web_tx_drop_body(struct web_tx *t)
{
	fx_buf_release(&t->body);
}

void web_tx_free(struct web_tx *t)
{
	if (!t)
		return;
	if (t->easy)
		curl_easy_cleanup(t->easy);
	free(t->url);
	free(t->host);
	fx_buf_release(&t->req);
	fx_buf_release(&t->head);
	fx_buf_release(&t->body);
	free(t->error_text);
	tls_free(t->tls);
	free(t);
}

/* ---- DNS ---- */

static int is_ip(const char *s)
{
	unsigned char b[16];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

static json_t *dns_lookup(struct web_fetch *f, const char *host)
{
	const char *const *r;
	const char *c1, *c2, *a;
	struct addrinfo hints, *res = NULL, *ai;
	char ip[INET6_ADDRSTRLEN];
	json_t *ans = json_array(), *o;
	size_t i, hl = strlen(host);
	int rc;

	if (is_ip(host)) {
		json_array_append_new(ans, json_string(host));
		return json_pack("{s:o,s:s}", "answers", ans, "source", "literal");
	}
	/* A --resolve entry overrides the resolver, as it does for libcurl. */
	for (r = f->o->resolve; r && *r; r++) {
		c1 = strchr(*r, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || (size_t)(c1 - *r) != hl || strncasecmp(*r, host, hl) != 0)
			continue;
		for (a = c2 + 1; *a;) {
			const char *e = strchr(a, ',');
			size_t n = e ? (size_t)(e - a) : strlen(a);

			if (n && *a == '[' && a[n - 1] == ']')
				json_array_append_new(ans, json_stringn(a + 1, n - 2));
			else if (n)
				json_array_append_new(ans, json_stringn(a, n));
			a += n + (e ? 1 : 0);
		}
		return json_pack("{s:o,s:s}", "answers", ans, "source", "resolve option");
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		o = json_pack("{s:o,s:s,s:s}", "answers", ans, "source", "resolver", "error",
			      gai_strerror(rc));
		return o;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr,
				  ip, sizeof(ip));
		else if (ai->ai_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr, ip,
				  sizeof(ip));
		else
			continue;
		for (i = 0; i < json_array_size(ans); i++)
			if (strcmp(json_string_value(json_array_get(ans, i)), ip) == 0)
				break;
		if (i == json_array_size(ans))
			json_array_append_new(ans, json_string(ip));
	}
	freeaddrinfo(res);
	return json_pack("{s:o,s:s}", "answers", ans, "source", "resolver");
}

json_t *web_fetch_dns(struct web_fetch *f, const char *host)
{
	size_t i;

	for (i = 0; i < f->ndns; i++)
		if (strcmp(f->dns[i].host, host) == 0)
			return json_incref(f->dns[i].dns);
	if (f->ndns == f->dcap) {
		f->dcap = f->dcap ? 2 * f->dcap : 8;
		f->dns = fx_xrealloc(f->dns, f->dcap * sizeof(*f->dns));
	}
	f->dns[f->ndns].host = fx_xstrdup(host);
	f->dns[f->ndns].dns = dns_lookup(f, host);
	return json_incref(f->dns[f->ndns++].dns);
}

/* ---- TLS ---- */

static int64_t asn1_ms(const ASN1_TIME *a)
{
	struct tm tm;

	if (!a || ASN1_TIME_to_tm(a, &tm) != 1)
		return 0;
	return (int64_t)timegm(&tm) * 1000;
}

static char *name_text(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *r;
	long len;

	if (!b)
		return NULL;
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	len = BIO_get_mem_data(b, &p);
	r = fx_xasprintf("%.*s", (int)len, p);
	BIO_free(b);
	return r;
}

static struct web_tls *tls_record(struct web_fetch *f, SSL *ssl, const char *host)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	X509 *leaf = SSL_get0_peer_certificate(ssl);
	struct web_tls *s = fx_xcalloc(1, sizeof(*s));
	X509_STORE_CTX *ctx;
	unsigned char *p;
	int i, n, len;

	s->version = fx_xstrdup(SSL_get_version(ssl));
	s->cipher = fx_xstrdup(SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
	n = chain ? sk_X509_num(chain) : 0;
	s->der = fx_xcalloc((size_t)n + 1, sizeof(*s->der));
	for (i = 0; i < n; i++) {
		len = i2d_X509(sk_X509_value(chain, i), NULL);
		if (len <= 0)
			continue;
		fx_buf_grow(&s->der[s->nder], (size_t)len);
		p = (unsigned char *)s->der[s->nder].data;
		i2d_X509(sk_X509_value(chain, i), &p);
		s->der[s->nder].len = (size_t)len;
		s->nder++;
	}
	if (!leaf) {
		s->verify_code = X509_V_ERR_UNSPECIFIED;
		s->verify_text = fx_xstrdup("the peer sent no certificate");
		return s;
	}
	ctx = X509_STORE_CTX_new();
	if (ctx && X509_STORE_CTX_init(ctx, f->store, leaf, chain) == 1) {
		X509_STORE_CTX_set_default(ctx, "ssl_server");
		s->verified = X509_verify_cert(ctx) == 1;
		s->verify_code = X509_STORE_CTX_get_error(ctx);
	} else {
		s->verify_code = X509_V_ERR_UNSPECIFIED;
	}
	X509_STORE_CTX_free(ctx);
	s->verify_text = fx_xstrdup(X509_verify_cert_error_string(s->verify_code));
	s->host_ok = is_ip(host) ? X509_check_ip_asc(leaf, host, 0) == 1
				 : X509_check_host(leaf, host, strlen(host), 0, NULL) == 1;
	s->not_before = asn1_ms(X509_get0_notBefore(leaf));
	s->not_after = asn1_ms(X509_get0_notAfter(leaf));
	s->subject = name_text(X509_get_subject_name(leaf));
	s->issuer = name_text(X509_get_issuer_name(leaf));
	return s;
}

/* ---- callbacks ---- */

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct web_tx *t = ctx;
	const struct curl_tlssessioninfo *info = NULL;

	n *= size;
	/* A new status line starts a new response (after 100 Continue). */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		fx_buf_truncate(&t->head, 0);
	fx_buf_add(&t->head, data, n);
	if (!t->tls && curl_easy_getinfo(t->easy, CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK &&
	    info && info->backend == CURLSSLBACKEND_OPENSSL && info->internals)
		t->tls = tls_record(t->f, info->internals, t->host ? t->host : "");
	return n;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct web_tx *t = ctx;
	const struct fx_web_opts *o = t->f->o;
	size_t room = n * size;

	n *= size;
	if (t->body.len + room > o->max_size)
		room = t->body.len < o->max_size ? (size_t)(o->max_size - t->body.len) : 0;
	if (t->f->total + room > o->max_total)
		room = t->f->total < o->max_total ? (size_t)(o->max_total - t->f->total) : 0;
	fx_buf_add(&t->body, data, room);
	t->f->total += room;
	if (room < n) {
		t->truncated = 1;
		return room ? room : CURL_WRITEFUNC_ERROR;
	}
	return n;
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t n, void *ctx)
{
	struct web_tx *t = ctx;

	(void)h;
	/* The request head exactly as sent (a retry replaces it). */
	if (type == CURLINFO_HEADER_OUT) {
		fx_buf_truncate(&t->req, 0);
		fx_buf_add(&t->req, data, n);
	}
	return 0;
}

static int start(struct web_fetch *f, struct web_tx *t)
{
	const struct fx_web_opts *o = f->o;
	CURL *e = curl_easy_init();

	if (!e)
		return fx_error("cannot start a transfer of '%s'", t->url);
	t->easy = e;
	t->f = f;
	t->started = fx_time_now_ms();
	curl_easy_setopt(e, CURLOPT_URL, t->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* HTTP/1.1: its messages are what a WARC response record holds. */
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(e, CURLOPT_RESOLVE, f->resolve);
	curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 o->timeout_ms < 15000 ? o->timeout_ms : 15000L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(e, CURLOPT_DEBUGDATA, t);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		t->easy = NULL;
		return fx_error("cannot start a transfer of '%s'", t->url);
	}
	return 0;
}

static void finish(struct web_tx *t, CURLcode rc)
{
	char *ip = NULL;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
	curl_easy_getinfo(t->easy, CURLINFO_PRIMARY_PORT, &t->port);
	curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &t->seconds);
	if (curl_easy_getinfo(t->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip)
		snprintf(t->ip, sizeof(t->ip), "%s", ip);
	if (rc == CURLE_OK)
		return;
	t->error = 1;
	if (t->truncated)
		t->error_text = fx_xasprintf("body larger than the limit of %llu bytes",
					     (unsigned long long)t->f->o->max_size);
	else if (rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION)
		t->error_text = fx_xasprintf("TLS failure: %s",
					     t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
	else
		t->error_text =
			fx_xasprintf("%s", t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
}

int web_fetch_run(struct web_fetch *f, struct web_tx **t, size_t n,
		  void (*done)(struct web_tx *t, void *ctx), void *ctx)
{
	size_t next = 0, running = 0, par = f->o->parallel ? f->o->parallel : 1;
	struct web_tx *x;
	CURLMsg *m;
	char *priv;
	int still, q;

	while (next < n || running) {
		while (next < n && running < par) {
			x = t[next++];
			if (start(f, x) < 0) {
				x->error = 1;
				x->error_text = fx_xstrdup("cannot start the transfer");
				done(x, ctx);
				continue;
			}
			running++;
		}
		if (curl_multi_perform(f->multi, &still) != CURLM_OK)
			return fx_error("libcurl failed");
		while ((m = curl_multi_info_read(f->multi, &q)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			priv = NULL;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
			x = (struct web_tx *)(void *)priv;
			finish(x, m->data.result);
			curl_multi_remove_handle(f->multi, x->easy);
			curl_easy_cleanup(x->easy);
			x->easy = NULL;
			running--;
			done(x, ctx);
		}
		if (running && (next >= n || running >= par))
			curl_multi_poll(f->multi, NULL, 0, 500, NULL);
	}
	return 0;
}
