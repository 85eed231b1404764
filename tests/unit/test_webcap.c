/*
 * lib/web/: link extraction, CSS url(), WARC framing and digests, the
 * WARC reader, look-alike hosts, registrable domains and addresses.
 */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "web/web_int.h"

static const char *kind_of(const struct web_links *l, const char *ref)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].ref, ref) == 0)
			return l->v[i].kind;
	return NULL;
}

FX_TEST(test_webcap_links)
{
	static const char html[] =
		"<!DOCTYPE html><html><head><title>Shop</title><base href=\"/b/\">"
		"<link rel=\"stylesheet\" href=\"s.css\"><link rel=\"shortcut icon\" "
		"href=\"i.ico\">"
		"<link rel=\"alternate\" href=\"feed.xml\"><link rel=preload href=\"f.woff2\">"
		"<script src=\"a.js\"></script><script>var x = '<img src=no.png>';</script>"
		"<style>.h{background:url(h.jpg)}</style></head><body>"
		"<IMG SRC=\"  logo.png \" srcset=\"l1.png 1x, l2.png 2x,l3.png 3x\">"
		"<div style=\"background: url('bg.png')\">"
		"<iframe src=\"https://other.test/f.html\"></iframe>"
		"<video poster=\"p.jpg\"><source src=\"v.mp4\"><track src=\"t.vtt\"></video>"
		"<audio src=\"a.mp3\"></audio><embed src=\"e.swf\"><object data=\"o.pdf\"></object>"
		"<a href=\"page2.html\">next</a>"
		"<form action=\"https://evil.test/c\" method=\"POST\"><input type=password>"
		"<input type=image src=\"go.png\"></form><form></form>"
		"<p>unclosed <b>markup";
	struct web_links l = WEB_LINKS_INIT;

	CHECK(web_html_links(html, sizeof(html) - 1, &l) == 0);
	CHECK_STR(kind_of(&l, "s.css"), "stylesheet");
	CHECK_STR(kind_of(&l, "i.ico"), "icon");
	CHECK_STR(kind_of(&l, "f.woff2"), "other");
	CHECK(kind_of(&l, "feed.xml") == NULL);
	CHECK_STR(kind_of(&l, "a.js"), "script");
	CHECK(kind_of(&l, "no.png") == NULL);
	CHECK_STR(kind_of(&l, "h.jpg"), "css-url");
	CHECK_STR(kind_of(&l, "  logo.png "), "image");
	CHECK_STR(kind_of(&l, "l1.png"), "image");
	CHECK_STR(kind_of(&l, "l2.png"), "image");
	CHECK_STR(kind_of(&l, "l3.png"), "image");
	CHECK_STR(kind_of(&l, "bg.png"), "css-url");
	CHECK_STR(kind_of(&l, "https://other.test/f.html"), "frame");
	CHECK_STR(kind_of(&l, "p.jpg"), "image");
	CHECK_STR(kind_of(&l, "v.mp4"), "media");
	CHECK_STR(kind_of(&l, "t.vtt"), "media");
	CHECK_STR(kind_of(&l, "a.mp3"), "media");
	CHECK_STR(kind_of(&l, "e.swf"), "media");
	CHECK_STR(kind_of(&l, "o.pdf"), "media");
	CHECK_STR(kind_of(&l, "go.png"), "image");
	CHECK(kind_of(&l, "page2.html") == NULL);
	CHECK_INT(l.n, 18);
	CHECK_STR(l.base, "/b/");
	CHECK_STR(l.title, "Shop");
	CHECK_INT(l.nforms, 2);
	CHECK_STR(l.forms[0].action, "https://evil.test/c");
	CHECK_STR(l.forms[0].method, "post");
	CHECK(l.forms[0].password);
	CHECK_STR(l.forms[1].action, "");
	CHECK_STR(l.forms[1].method, "get");
	CHECK(!l.forms[1].password);
	web_links_release(&l);
}

FX_TEST(test_webcap_css_urls)
{
	static const char css[] =
		"a{background:url( \"x.png\" )} /* url(no.png) */ @import \"y.css\";"
		"@import url(z.css) screen; b::after{content:\"url(not.png)\"}"
		"c{background:URL(q.gif) no-repeat} d{mask:image-url(n.svg)}"
		"e{src:url('f.woff2?v=1#x') format('woff2'), url(data:font/woff;base64,AA)}";
	struct web_links l = WEB_LINKS_INIT;

	web_css_urls(css, sizeof(css) - 1, "css-url", &l);
	CHECK_INT(l.n, 6);
	if (l.n == 6) {
		CHECK_STR(l.v[0].ref, "x.png");
		CHECK_STR(l.v[1].ref, "y.css");
		CHECK_STR(l.v[1].kind, "stylesheet");
		CHECK_STR(l.v[2].ref, "z.css");
		CHECK_STR(l.v[3].ref, "q.gif");
		CHECK_STR(l.v[4].ref, "f.woff2?v=1#x");
		CHECK_STR(l.v[5].ref, "data:font/woff;base64,AA");
	}
	web_links_release(&l);
}

FX_TEST(test_webcap_url_resolve)
{
	static const struct {
		const char *base, *ref, *want;
	} v[] = {
		{"https://a.test/x/y.html", "../img/a.png", "https://a.test/img/a.png"},
		{"https://a.test/x/y.html", "//cdn.test/j.js", "https://cdn.test/j.js"},
		{"https://a.test/x/y.html", " z.css\n", "https://a.test/x/z.css"},
		{"https://a.test/x/y.html", "#top", "https://a.test/x/y.html"},
		{"https://a.test/x/y.html", "f.woff2?v=1#x", "https://a.test/x/f.woff2?v=1"},
		{"http://a.test/", "HTTPS://B.TEST:8443/P", "https://b.test:8443/P"},
		{"https://a.test/", "data:image/png;base64,AA", NULL},
		{"https://a.test/", "javascript:alert(1)", NULL},
		{"https://a.test/", "mailto:x@a.test", NULL},
		{"https://a.test/", "", NULL},
	};
	const char *why;
	size_t i;
	char *r, *h;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		r = web_url_resolve(v[i].base, v[i].ref);
		if (v[i].want)
			CHECK_STR(r, v[i].want);
		else
			CHECK(r == NULL);
		free(r);
	}
	h = web_url_host("https://WWW.Shop.Test:8443/a");
	CHECK_STR(h, "www.shop.test");
	free(h);
	h = web_url_host("https://[::1]:8443/");
	CHECK_STR(h, "::1");
	free(h);
	CHECK_INT(web_url_port("https://a.test/"), 443);
	CHECK_INT(web_url_port("http://a.test:8080/"), 8080);
	CHECK(web_url_check("https://a.test/", &why) == 0);
	CHECK(web_url_check("a.test", &why) < 0);
	CHECK_STR(why, "not a URL");
	CHECK(web_url_check("ftp://a.test/", &why) < 0);
	CHECK_STR(why, "only http and https URLs can be captured");
}

FX_TEST(test_webcap_warc_framing)
{
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
	struct web_warc_head h;
	struct fx_buf b = FX_BUF_INIT, ab = FX_BUF_INIT;
	uint8_t md[FX_SHA256_LEN];
	char label[80], want[128], *p;

	memset(&h, 0, sizeof(h));
	h.type = "response";
	h.uri = "https://a.test/";
	h.date = "2026-04-08T09:14:07.692Z";
	h.ip = "127.0.0.1";
	h.ctype = "application/http;msgtype=response";
	h.payload = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
	web_warc_format(&h, head, sizeof(head) - 1, "hello", 5, &b);
	fx_buf_add(&ab, head, sizeof(head) - 1);
	fx_buf_add(&ab, "hello", 5);
	fx_sha256(ab.data, ab.len, md);
	web_digest_label(md, label);
	CHECK(strncmp(b.data,
		      "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:", 56) == 0);
	CHECK(strlen(h.id) == 47 && h.id[18] == '-' && h.id[24] == '4' && h.id[46] == '>');
	CHECK(strstr(b.data, "\r\nWARC-Date: 2026-04-08T09:14:07.692Z\r\n") != NULL);
	CHECK(strstr(b.data, "\r\nWARC-Target-URI: https://a.test/\r\n") != NULL);
	CHECK(strstr(b.data, "\r\nWARC-IP-Address: 127.0.0.1\r\n") != NULL);
	snprintf(want, sizeof(want), "\r\nWARC-Block-Digest: %s\r\n", label);
	CHECK(strstr(b.data, want) != NULL);
	CHECK(strstr(b.data, "\r\nWARC-Payload-Digest: sha256:2cf24dba") != NULL);
	snprintf(want, sizeof(want), "\r\nContent-Length: %zu\r\n\r\nHTTP/1.1 200", ab.len);
	p = strstr(b.data, want);
	CHECK(p != NULL);
	/* The block, then the two CRLFs that end a record, and nothing else. */
	CHECK(p && strcmp(p + strlen(want) - 12,
			  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n") == 0);
	/* A value cannot break the header: controls become spaces. */
	fx_buf_truncate(&b, 0);
	memset(&h, 0, sizeof(h));
	h.type = "metadata";
	h.uri = "https://a.test/\r\nWARC-Type: forged";
	web_warc_format(&h, "", 0, "", 0, &b);
	CHECK(strstr(b.data, "WARC-Target-URI: https://a.test/  WARC-Type: forged\r\n") != NULL);
	fx_buf_release(&b);
	fx_buf_release(&ab);
}

FX_TEST(test_webcap_digest_label)
{
	uint8_t md[FX_SHA256_LEN];
	char label[80];

	fx_sha256("abc", 3, md);
	web_digest_label(md, label);
	CHECK_STR(label, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

struct seen {
	int n;
	char types[4][16];
	char blocks[4][32];
};

static int on_rec(const struct web_warc_rec *r, void *ctx)
{
	struct seen *s = ctx;
	char *t = web_warc_field(r, "WARC-Type");

	if (s->n < 4) {
		snprintf(s->types[s->n], 16, "%s", t ? t : "");
		snprintf(s->blocks[s->n], 32, "%.*s", (int)r->block_len, r->block);
	}
	s->n++;
	free(t);
	return 0;
}

FX_TEST(test_webcap_warc_roundtrip)
{
	char dir[] = "/tmp/fx-webcap.XXXXXX", *path, *data;
	struct web_warc w;
	struct web_warc_head h;
	struct seen s;
	uint64_t off1, len1, off2, len2;
	size_t len;

	CHECK(mkdtemp(dir) != NULL);
	path = fx_path_join(dir, "t.warc.gz");
	CHECK(web_warc_open(&w, path) == 0);
	memset(&h, 0, sizeof(h));
	h.type = "warcinfo";
	h.date = "2026-04-08T09:14:07Z";
	CHECK(web_warc_write(&w, &h, "software: t\r\n", 13, NULL, 0, &off1, &len1) == 0);
	memset(&h, 0, sizeof(h));
	h.type = "resource";
	h.uri = "urn:x";
	h.date = "2026-04-08T09:14:07Z";
	CHECK(web_warc_write(&w, &h, "ab", 2, "cd", 2, &off2, &len2) == 0);
	CHECK(web_warc_close(&w) == 0);
	CHECK_INT(off1, 0);
	CHECK_INT(off2, len1);
	data = fx_read_file(path, &len, 0);
	CHECK(data && len == len1 + len2);
	/* Each record is a gzip member of its own. */
	CHECK(data && (unsigned char)data[off2] == 0x1f && (unsigned char)data[off2 + 1] == 0x8b);
	memset(&s, 0, sizeof(s));
	CHECK(web_warc_each(path, data, len, on_rec, &s) == 0);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.types[0], "warcinfo");
	CHECK_STR(s.blocks[0], "software: t\r\n");
	CHECK_STR(s.types[1], "resource");
	CHECK_STR(s.blocks[1], "abcd");
	/* A damaged record is named with its offset. */
	memset(&s, 0, sizeof(s));
	CHECK(web_warc_each("bad", "WARC/1.1\r\nContent-Length: 99\r\n\r\nab", 34, on_rec, &s) < 0);
	free(data);
	unlink(path);
	rmdir(dir);
	free(path);
}

FX_TEST(test_webcap_dechunk)
{
	struct fx_buf b = FX_BUF_INIT;
	static const char raw[] =
		"4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\n";

	CHECK(web_dechunk(raw, sizeof(raw) - 1, &b) == 0);
	CHECK_STR(b.data, "Wikipedia in\r\n\r\nchunks.");
	fx_buf_truncate(&b, 0);
	CHECK(web_dechunk("5\r\nab", 5, &b) < 0);
	fx_buf_release(&b);
}

FX_TEST(test_webcap_punycode)
{
	uint32_t cp[64];
	long n;

	n = web_punycode_decode("mnchen-3ya", 10, cp, 64);
	CHECK_INT(n, 7);
	CHECK(n == 7 && cp[0] == 'm' && cp[1] == 0xfc && cp[6] == 'n');
	n = web_punycode_decode("shp-ted", 7, cp, 64);
	CHECK(n == 4 && cp[0] == 's' && cp[1] == 'h' && cp[2] == 0x043e && cp[3] == 'p');
	/* RFC 3492 7.1 (L): 3<nen>b-gumi-wo-tsukuru */
	n = web_punycode_decode("3B-ww4c5e180e575a65lsy2b", 24, cp, 64);
	CHECK(n == 8 && cp[0] == '3' && cp[1] == 0x5e74 && cp[2] == 'B');
	CHECK(web_punycode_decode("99999999999999", 14, cp, 64) < 0);
	CHECK(web_punycode_decode("a-!!", 4, cp, 64) < 0);
}

FX_TEST(test_webcap_lookalike)
{
	struct web_look l;

	/* Cyrillic о in a Latin name: all three signs. */
	CHECK(web_look_host("xn--shp-ted.test", &l) == 0);
	CHECK(l.punycode && l.mixed && l.confusable && !l.bad_punycode);
	CHECK_STR(l.unicode, "sh\xd0\xbep.test");
	CHECK_STR(l.skeleton, "shop.test");
	CHECK_STR(l.scripts, "Latin,Cyrillic");
	web_look_release(&l);
	/* A whole-script look-alike: "apple" in Cyrillic letters only. */
	CHECK(web_look_host("xn--80ak6aa92e.com", &l) == 0);
	CHECK(l.punycode && !l.mixed && l.confusable);
	CHECK_STR(l.skeleton, "apple.com");
	web_look_release(&l);
	/* A real German name and a real Russian one: punycode, nothing more. */
	CHECK(web_look_host("xn--mnchen-3ya.de", &l) == 0);
	CHECK(l.punycode && !l.mixed && !l.confusable);
	CHECK_STR(l.unicode, "m\xc3\xbcnchen.de");
	web_look_release(&l);
	CHECK(web_look_host("xn--e1afmkfd.xn--p1ai", &l) == 0);
	CHECK(l.punycode && !l.mixed && !l.confusable);
	web_look_release(&l);
	/* Japanese mixes Han, Hiragana, Katakana and Latin legitimately. */
	CHECK(web_look_host(
		      "\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae\xe3\x82\xab\xe3\x83\xa1\xe3\x83\xa9"
		      "abc.jp",
		      &l) == 0);
	CHECK(!l.mixed);
	web_look_release(&l);
	/* Fullwidth Latin passes for ASCII. */
	CHECK(web_look_host("\xef\xbd\x90"
			    "aypal.com",
			    &l) == 0);
	CHECK(l.confusable && !l.mixed);
	CHECK_STR(l.skeleton, "paypal.com");
	web_look_release(&l);
	CHECK(web_look_host("www.example.com", &l) == 0);
	CHECK(!l.punycode && !l.mixed && !l.confusable);
	CHECK_STR(l.scripts, "Latin");
	web_look_release(&l);
	CHECK(web_look_host("xn--a-!!.com", &l) == 0);
	CHECK(l.bad_punycode);
	web_look_release(&l);
}

FX_TEST(test_webcap_domains)
{
	char *r;

	r = web_registrable("www.shop.example.co.uk");
	CHECK_STR(r, "example.co.uk");
	free(r);
	r = web_registrable("a.b.github.io");
	CHECK_STR(r, "b.github.io");
	free(r);
	r = web_registrable("203.0.113.7");
	CHECK_STR(r, "203.0.113.7");
	free(r);
	CHECK_STR(web_host_class("img.shop.example.com", "example.com"), "same-site");
	CHECK_STR(web_host_class("cdn.jsdelivr.net", "example.com"), "cdn");
	CHECK_STR(web_host_class("tracker.example.net", "example.com"), "third-party");
	CHECK(web_ip_private("10.1.2.3") && web_ip_private("192.168.0.1") &&
	      web_ip_private("127.0.0.1") && web_ip_private("172.20.0.1") &&
	      web_ip_private("100.64.1.1") && web_ip_private("::1") && web_ip_private("fe80::1") &&
	      web_ip_private("fd00::1") && web_ip_private("::ffff:192.168.1.1"));
	CHECK(!web_ip_private("8.8.8.8") && !web_ip_private("172.32.0.1") &&
	      !web_ip_private("2001:4860:4860::8888") && !web_ip_private("not an ip"));
}

FX_TEST(test_webcap_text_and_surt)
{
	static const char html[] = "<html><head><title>T</title><script>var a=1;</script>"
				   "<style>p{}</style></head><body><h1>Order  1</h1><p>Total:\n"
				   "100 <b>EUR</b></p><noscript>x</noscript></body></html>";
	char *t = web_html_text(html, sizeof(html) - 1), *s;

	CHECK_STR(t, "T\nOrder 1\nTotal: 100 EUR\n");
	free(t);
	s = web_surt("https://www.Shop.test:8443/A/b?c=D");
	CHECK_STR(s, "test,shop:8443)/a/b?c=d");
	free(s);
	s = web_surt("https://example.com");
	CHECK_STR(s, "com,example)/");
	free(s);
}
