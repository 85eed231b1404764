/*
 * The judgement of a capture: what the address data and the link data say
 * about whether the page was the real page at that address. Each finding
 * is a reason with a severity; the worst severity gives the verdict.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpsl.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_time.h"
#include "fx_banned.h"

/* A certificate younger than this is a sign of a site set up for a fraud. */
#define NEW_CERT_DAYS 30

char *web_registrable(const char *host)
{
	unsigned char b[16];
	const psl_ctx_t *psl = psl_builtin();
	const char *r = NULL;

	if (inet_pton(AF_INET, host, b) == 1 || inet_pton(AF_INET6, host, b) == 1)
		return fx_xstrdup(host);
	if (psl)
		r = psl_registrable_domain(psl, host);
	return fx_xstrdup(r ? r : host);
}

int web_ip_private(const char *ip)
{
	unsigned char b[16];
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (inet_pton(AF_INET, ip, b) == 1)
		goto v4;
	if (inet_pton(AF_INET6, ip, b) != 1)
		return 0;
	if (memcmp(b, mapped, 12) == 0) {
		memmove(b, b + 12, 4);
		goto v4;
	}
	/* ::, ::1, fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast */
	{
		static const unsigned char zero[15] = {0};

		if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1))
			return 1;
	}
	return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff;
v4:
	return b[0] == 10 || b[0] == 127 || b[0] == 0 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
	       (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) ||
	       (b[0] == 100 && (b[1] & 0xc0) == 64) || b[0] >= 224;
}

/* Registrable domains of widely used content delivery networks. */
static const char *const cdns[] = {
	"akamaihd.net",   "akamaized.net",   "alicdn.com",     "aliyuncs.com",     "azureedge.net",
	"b-cdn.net",      "bdstatic.com",    "bootcdn.net",    "bootstrapcdn.com", "cloudflare.com",
	"cloudfront.net", "edgecastcdn.net", "fastly.net",     "fontawesome.com",  "googleapis.com",
	"gstatic.com",    "gtimg.cn",        "jquery.com",     "jsdelivr.net",     "kxcdn.com",
	"myqcloud.com",   "qpic.cn",         "staticfile.org", "unpkg.com",        NULL,
};

const char *web_host_class(const char *host, const char *site)
{
	char *reg = web_registrable(host);
	const char *const *c;
	const char *r = "third-party";

	if (strcmp(reg, site) == 0)
		r = "same-site";
	else
		for (c = cdns; *c; c++)
			if (strcmp(reg, *c) == 0)
				r = "cdn";
	free(reg);
	return r;
}

enum sev { SEV_INFO, SEV_CAUTION, SEV_SUSPICIOUS, SEV_FAILED };
static const char *const sev_names[] = {"info", "caution", "suspicious", "failed"};

struct judge {
	json_t *reasons;
	enum sev worst;
};

static void reason(struct judge *j, enum sev s, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void reason(struct judge *j, enum sev s, const char *code, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	json_array_append_new(j->reasons, json_pack("{s:s,s:s,s:s}", "code", code, "severity",
						    sev_names[s], "text", text));
	if (s > j->worst)
		j->worst = s;
}

static int is_https(const char *url)
{
	return strncasecmp(url, "https:", 6) == 0;
}

static void judge_address(struct judge *j, const struct web_judge_in *in, json_t *data,
			  const char *site)
{
	struct web_tx *page = in->hops[in->nhops - 1];
	struct web_look look;
	char *hsts, *reg;
	size_t i;
	long days;

	for (i = 0; i + 1 < in->nhops; i++) {
		char *a = web_registrable(in->hops[i]->host ? in->hops[i]->host : "");
		char *b = web_registrable(in->hops[i + 1]->host ? in->hops[i + 1]->host : "");

		if (strcmp(a, b) != 0)
			reason(j, SEV_INFO, "redirect-cross-site",
			       "'%s' redirected to another site, '%s'", in->hops[i]->url,
			       in->hops[i + 1]->url);
		if (in->hops[i]->tls && !(in->hops[i]->tls->verified && in->hops[i]->tls->host_ok))
			reason(j, SEV_CAUTION, "hop-certificate",
			       "the certificate of the redirect '%s' does not verify: %s",
			       in->hops[i]->url,
			       !in->hops[i]->tls->verified ? in->hops[i]->tls->verify_text
							   : "not valid for the host");
		if (is_https(in->hops[i]->url) && !is_https(in->hops[i + 1]->url))
			reason(j, SEV_SUSPICIOUS, "redirect-downgrade",
			       "'%s' redirected from HTTPS to plain HTTP, '%s'", in->hops[i]->url,
			       in->hops[i + 1]->url);
		if (!is_https(in->hops[i]->url))
			reason(j, SEV_CAUTION, "hop-plain-http",
			       "the redirect '%s' was fetched without TLS", in->hops[i]->url);
		free(a);
		free(b);
	}
	if (!is_https(page->url)) {
		reason(j, SEV_CAUTION, "plain-http",
		       "the page was fetched without TLS: nothing proves which server sent it");
	} else if (page->tls) {
		if (!page->tls->verified)
			reason(j, SEV_SUSPICIOUS, "certificate-untrusted",
			       "the certificate of '%s' does not verify against the trust store: "
			       "%s",
			       page->host, page->tls->verify_text);
		if (!page->tls->host_ok)
			reason(j, SEV_SUSPICIOUS, "certificate-host",
			       "the certificate is not valid for the host '%s' (subject %s)",
			       page->host, page->tls->subject ? page->tls->subject : "none");
		days = (long)((in->now - page->tls->not_before) / 86400000);
		if (page->tls->not_before && days < NEW_CERT_DAYS)
			reason(j, SEV_CAUTION, "certificate-new",
			       "the certificate was issued %ld days before the capture", days);
		hsts = web_header(page->head.data ? page->head.data : "", page->head.len,
				  "Strict-Transport-Security");
		if (hsts)
			reason(j, SEV_INFO, "hsts", "the site asks for HTTPS only (HSTS: %s)",
			       hsts);
		else
			reason(j, SEV_INFO, "no-hsts", "the site sends no HSTS header");
		free(hsts);
	}
	if (page->ip[0] && web_ip_private(page->ip))
		reason(j, SEV_CAUTION, "private-address",
		       "the page was served from %s, a private address: a local proxy, a "
		       "tampered resolver or a test setup, not the public site",
		       page->ip);
	web_look_host(page->host ? page->host : "", &look);
	reg = web_registrable(page->host ? page->host : "");
	json_object_set_new(data, "domain",
			    json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b}", "host",
				      page->host ? page->host : "", "registrable", reg, "unicode",
				      look.unicode, "skeleton", look.skeleton, "scripts",
				      look.scripts, "punycode", look.punycode, "mixed_scripts",
				      look.mixed, "confusable", look.confusable));
	if (look.bad_punycode)
		reason(j, SEV_SUSPICIOUS, "punycode-invalid",
		       "the host '%s' has a label that is not valid punycode", page->host);
	else if (look.punycode)
		reason(j, SEV_CAUTION, "punycode", "the host '%s' is punycode for '%s'", page->host,
		       look.unicode);
	if (look.mixed)
		reason(j, SEV_SUSPICIOUS, "mixed-scripts",
		       "the host '%s' mixes scripts in one label (%s): a look-alike domain",
		       look.unicode, look.scripts);
	if (look.confusable)
		reason(j, SEV_SUSPICIOUS, "confusable",
		       "the host '%s' has characters taken for Latin letters: it looks like '%s'",
		       look.unicode, look.skeleton);
	(void)site;
	free(reg);
	web_look_release(&look);
}

static void judge_links(struct judge *j, const struct web_judge_in *in, json_t *data,
			const char *site)
{
	json_t *hosts = json_object(), *list = json_array(), *forms = json_array(), *h;
	const struct web_links *l = in->links;
	const char *k, *first_failed = NULL;
	char *base = NULL, *action, *ahost, *areg;
	size_t i, failed = 0, mixed = 0, third = 0;
	void *it;

	for (i = 0; i < in->nres; i++) {
		struct web_tx *t = in->res[i];
		const char *cls = web_host_class(t->host ? t->host : "", site);

		h = json_object_get(hosts, t->host ? t->host : "");
		if (!h) {
			h = json_pack("{s:s,s:s,s:i}", "host", t->host ? t->host : "", "class", cls,
				      "count", 0);
			json_object_set_new(hosts, t->host ? t->host : "", h);
			if (strcmp(cls, "third-party") == 0)
				third++;
		}
		json_object_set_new(
			h, "count",
			json_integer(json_integer_value(json_object_get(h, "count")) + 1));
		if (is_https(in->page_url) && !is_https(t->url))
			mixed++;
		if (t->error || t->status >= 400) {
			if (!failed)
				first_failed = t->url;
			failed++;
		}
	}
	json_object_foreach_safe(hosts, it, k, h) json_array_append(list, h);
	json_object_set_new(data, "hosts", list);
	json_decref(hosts);
	if (third)
		reason(j, SEV_INFO, "third-party", "resources come from %zu third-party hosts",
		       third);
	if (mixed)
		reason(j, SEV_CAUTION, "mixed-content",
		       "%zu resources of the HTTPS page are loaded over plain HTTP", mixed);
	if (failed)
		reason(j, SEV_CAUTION, "resource-failed",
		       "%zu resources could not be fetched (the first: '%s')", failed,
		       first_failed);
	if (!l)
		goto out;
	base = l->base ? web_url_resolve(in->page_url, l->base) : NULL;
	for (i = 0; i < l->nforms; i++) {
		action = web_url_resolve(base ? base : in->page_url,
					 l->forms[i].action[0] ? l->forms[i].action : in->page_url);
		ahost = action ? web_url_host(action) : NULL;
		areg = ahost ? web_registrable(ahost) : NULL;
		json_array_append_new(forms,
				      json_pack("{s:s,s:s,s:s?,s:b,s:b}", "action",
						action ? action : l->forms[i].action, "method",
						l->forms[i].method, "host", ahost, "cross_domain",
						areg && strcmp(areg, site) != 0, "password",
						l->forms[i].password));
		if (areg && strcmp(areg, site) != 0)
			reason(j, SEV_SUSPICIOUS, "form-cross-domain",
			       "a form%s posts to '%s', another domain than '%s': a phishing sign",
			       l->forms[i].password ? " with a password field" : "", ahost, site);
		if (action && is_https(in->page_url) && !is_https(action))
			reason(j, SEV_SUSPICIOUS, "form-insecure",
			       "a form posts over plain HTTP to '%s'", action);
		free(action);
		free(ahost);
		free(areg);
	}
out:
	json_object_set_new(data, "forms", forms);
	free(base);
}

void web_judge(const struct web_judge_in *in, json_t *data)
{
	struct judge j = {json_array(), SEV_INFO};
	struct web_tx *page = in->nhops ? in->hops[in->nhops - 1] : NULL;
	char *site;

	if (!page || page->error || page->status < 200 || page->status >= 300) {
		reason(&j, SEV_FAILED, "not-captured", "the page itself could not be captured%s%s",
		       page && page->error_text ? ": " : "",
		       page && page->error_text ? page->error_text : "");
	}
	if (page && page->host && (page->status || page->tls)) {
		site = web_registrable(page->host);
		judge_address(&j, in, data, site);
		judge_links(&j, in, data, site);
		free(site);
	}
	json_object_set_new(data, "verdict",
			    json_string(j.worst == SEV_FAILED       ? "failed"
					: j.worst == SEV_SUSPICIOUS ? "suspicious"
					: j.worst == SEV_CAUTION    ? "caution"
								    : "ok"));
	json_object_set_new(data, "reasons", j.reasons);
}
