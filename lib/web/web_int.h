/*
 * web_int.h - what the files of lib/web/ share: URLs (through libcurl's
 * URL API), link extraction (libxml2's HTML parser and a CSS url()
 * scanner), fetching with per-hop recording (libcurl, OpenSSL), the WARC
 * 1.1 writer and reader, WACZ packaging, look-alike host detection and the
 * judgement.
 */
#ifndef FX_WEB_INT_H
#define FX_WEB_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fx_buf.h"
#include "fx_hash.h"
#include "fx_web.h"

/* ---- url.c ---- */

/*
 * ref resolved against base (NULL: ref must be absolute), its fragment
 * dropped. Returns a malloc'd http or https URL (caller frees), or NULL
 * for anything else (data:, javascript:, mailto:, a malformed URL).
 */
char *web_url_resolve(const char *base, const char *ref);
/* The URL's host, lowercase, without brackets; malloc'd, or NULL. */
char *web_url_host(const char *url);
/* The URL's scheme ("https"), malloc'd lowercase, or NULL. */
char *web_url_scheme(const char *url);
/* Its port, the scheme's default when none is written; 0 when invalid. */
unsigned web_url_port(const char *url);
/*
 * Checks a URL given to capture: absolute http or https with a host.
 * Returns 0, or -1 with *why a static reason.
 */
int web_url_check(const char *url, const char **why);

/* ---- html.c ---- */

struct web_link {
	char *ref;        /* as written in the page (malloc'd) */
	const char *kind; /* "image", "script", "stylesheet", "icon", "frame", "media", "css-url",
			     "other" (static) */
};
struct web_form {
	char *action; /* as written; "" when absent (the page itself) */
	char *method; /* lowercase; "get" when absent */
	int password; /* has a password field */
};
struct web_links {
	struct web_link *v;
	size_t n, cap;
	struct web_form *forms;
	size_t nforms, fcap;
	char *base;  /* <base href>, or NULL */
	char *title; /* <title> text, or NULL */
};
#define WEB_LINKS_INIT                                                                             \
	{                                                                                          \
		NULL, 0, 0, NULL, 0, 0, NULL, NULL                                                 \
	}
void web_links_release(struct web_links *l);
void web_links_add(struct web_links *l, const char *ref, size_t len, const char *kind);

/*
 * Every resource an HTML document links to: img src and srcset, script
 * src, link href (style sheets, icons, preloads, manifests), frame and
 * iframe src, video, audio, source and track src, poster, embed src,
 * object data, input type=image src, and url() in style elements and
 * style attributes; its forms, <base> and <title>. Uses libxml2's HTML
 * parser, which recovers from broken markup. Returns 0 or -1.
 */
int web_html_links(const char *html, size_t len, struct web_links *out);
/* Every url() and @import of a style sheet, as kind. */
void web_css_urls(const char *css, size_t len, const char *kind, struct web_links *out);
/*
 * The text a reader sees: text nodes outside script, style and noscript,
 * white space folded, one line per block. malloc'd; caller frees.
 */
char *web_html_text(const char *html, size_t len);

/* ---- body.c ---- */

/*
 * The entity body of a raw HTTP body: chunked transfer coding removed
 * when chunked. Returns 0, or -1 when the chunks are malformed (out then
 * has what could be decoded).
 */
int web_dechunk(const char *raw, size_t len, struct fx_buf *out);
/* A gzip or deflate body inflated into out. Returns 0 or -1. */
int web_inflate(const char *in, size_t len, struct fx_buf *out, size_t max);
/*
 * A header's value from a raw response head (the last one of that name),
 * trimmed; malloc'd, or NULL when absent.
 */
char *web_header(const char *head, size_t len, const char *name);

/* True when hay contains needle, ignoring ASCII case. */
int web_has_ci(const char *hay, const char *needle);

/* ---- fetch.c ---- */

struct web_tls {
	char *version, *cipher;
	struct fx_buf *der; /* the chain as the peer sent it, leaf first */
	size_t nder;
	int verified;     /* chained to a trusted root, not expired, … */
	long verify_code; /* OpenSSL's X509_V_ERR_* */
	char *verify_text;
	int host_ok;                   /* the leaf is valid for the host */
	int64_t not_before, not_after; /* leaf validity, ms since 1970 */
	char *subject, *issuer;
};

/* One HTTP exchange: one hop of a redirect chain, or one resource. */
struct web_tx {
	char *url;
	char *host;
	const char *kind;   /* "page", or the link kind */
	int64_t started;    /* ms since 1970 */
	struct fx_buf req;  /* the request head as sent */
	struct fx_buf head; /* the response head as received */
	struct fx_buf body; /* the body as received (chunked when it was) */
	long status;
	char ip[64];
	long port;
	int truncated; /* the body was cut at a limit */
	int error;     /* non-zero: the exchange failed */
	char *error_text;
	struct web_tls *tls; /* NULL for plain HTTP, or before the handshake */
	double seconds;
	/* set when written to the WARC */
	char response_id[64];
	char payload_sha256[FX_SHA256_HEX];
	uint64_t payload_size;
	/* private */
	void *easy;
	struct web_fetch *f;
	char errbuf[256];
};

/* The fetcher: connection cache, trust store, DNS answers per host. */
struct web_fetch;
struct web_fetch *web_fetch_new(const struct fx_web_opts *o);
void web_fetch_free(struct web_fetch *f);
/* A new exchange for url (caller web_tx_free()s). */
struct web_tx *web_tx_new(const char *url, const char *kind);
void web_tx_free(struct web_tx *t);
/* Frees the body (after it was written and parsed) but keeps the rest. */
void web_tx_drop_body(struct web_tx *t);
/*
 * Runs the n exchanges, up to o->parallel at once, calling done with each
 * as it ends (failed ones too: t->error). Returns 0, or -1 when libcurl
 * could not run at all (reported).
 */
int web_fetch_run(struct web_fetch *f, struct web_tx **t, size_t n,
		  void (*done)(struct web_tx *t, void *ctx), void *ctx);
/*
 * The DNS answers for host, as a new reference: {"answers":[…],
 * "source":"resolver"|"resolve option"|"literal"} or with "error".
 */
json_t *web_fetch_dns(struct web_fetch *f, const char *host);
/* Bytes of bodies fetched so far. */
uint64_t web_fetch_total(const struct web_fetch *f);

/* ---- warc.c ---- */

struct web_warc_head {
	const char *type;       /* warcinfo, request, response, metadata, resource */
	const char *uri;        /* WARC-Target-URI, or NULL */
	const char *date;       /* WARC-Date, RFC 3339 UTC */
	const char *ip;         /* WARC-IP-Address, or NULL */
	const char *ctype;      /* Content-Type of the block */
	const char *concurrent; /* WARC-Concurrent-To record id, or NULL */
	const char *refers;     /* WARC-Refers-To record id, or NULL */
	const char *payload;    /* WARC-Payload-Digest value, or NULL */
	const char *truncated;  /* WARC-Truncated reason, or NULL */
	const char *filename;   /* WARC-Filename (warcinfo), or NULL */
	int stored;             /* gzip without compressing (images, fonts, video) */
	char id[64];            /* out: WARC-Record-ID, <urn:uuid:…> */
};

/* A random (version 4) UUID URN, "<urn:uuid:…>", into out. */
void web_uuid_urn(char out[64]);
/* "sha256:" and the lowercase hex of a digest, into out. */
void web_digest_label(const uint8_t md[FX_SHA256_LEN], char out[80]);
/*
 * Appends one uncompressed WARC 1.1 record to out: the header (with a new
 * record id into h->id unless it is set, Content-Length and
 * WARC-Block-Digest over the block a then b), the block, and the two
 * CRLFs that end a record.
 */
void web_warc_format(struct web_warc_head *h, const void *a, size_t na, const void *b, size_t nb,
		     struct fx_buf *out);

struct web_warc {
	FILE *fp;
	char *path;
	uint64_t off;
	struct fx_buf rec;
};
int web_warc_open(struct web_warc *w, const char *path);
/*
 * Writes one record as its own gzip member; *off and *len (may be NULL)
 * get where it starts in the file and its compressed length.
 */
int web_warc_write(struct web_warc *w, struct web_warc_head *h, const void *a, size_t na,
		   const void *b, size_t nb, uint64_t *off, uint64_t *len);
/* Flushes and closes; returns 0 or -1 (reported). */
int web_warc_close(struct web_warc *w);

/* One record read back. Borrowed from the reader's buffer. */
struct web_warc_rec {
	const char *head; /* the header lines, CRLF-separated */
	size_t head_len;
	const char *block;
	size_t block_len;
};
/* A header's value from a record, malloc'd, or NULL. */
char *web_warc_field(const struct web_warc_rec *r, const char *name);
/*
 * Reads every record of a WARC held in memory (gzip members or plain),
 * calling fn; stops at fn's non-zero. Returns 0, fn's value, or -1 for a
 * malformed WARC (reported naming what and the offset).
 */
int web_warc_each(const char *name, const char *data, size_t len,
		  int (*fn)(const struct web_warc_rec *r, void *ctx), void *ctx);

/* ---- wacz.c ---- */

struct web_page_entry {
	const char *url, *ts, *title;
};
/* One line of the CDXJ index. */
struct web_cdx {
	char *key; /* SURT url and timestamp, e.g. "test,shop)/ 20261123184000" */
	char *json;
};
/*
 * Writes a WACZ 1.1.1 to path: archive/data.warc.gz (the file warc,
 * stored as it is), indexes/index.cdx, pages/pages.jsonl with the page,
 * datapackage.json (every file's sha256 and size) and
 * datapackage-digest.json. Returns 0 or -1 (reported).
 */
int web_wacz_write(const char *path, const char *warc, const struct web_page_entry *page,
		   struct web_cdx *cdx, size_t ncdx, const char *created);
/* The SURT form of a URL for a CDX key; malloc'd. */
char *web_surt(const char *url);
/*
 * Reads the WARC out of a WACZ (the .warc.gz under archive/) or takes a WARC file as
 * it is; malloc'd into *data. Returns 0 or -1 (reported).
 */
int web_wacz_read_warc(const char *path, char **data, size_t *len);

/* ---- look.c ---- */

struct web_look {
	char *unicode;     /* the host with punycode labels decoded (UTF-8) */
	char *skeleton;    /* the host with confusable characters replaced */
	char scripts[160]; /* the scripts of its letters, comma-separated */
	int punycode;      /* some label is xn-- */
	int bad_punycode;  /* one does not decode */
	int mixed;         /* a label mixes scripts outside UTS #39's allowed sets */
	int confusable;    /* some character looks like an ASCII one */
};
/* Analyses host (ASCII or UTF-8). _release frees. Returns 0 or -1. */
int web_look_host(const char *host, struct web_look *l);
void web_look_release(struct web_look *l);
/*
 * Decodes one punycode label (without "xn--") into code points. Returns
 * the count, or -1 when it is not valid punycode or does not fit in max.
 */
long web_punycode_decode(const char *in, size_t len, uint32_t *out, size_t max);

/* ---- judge.c ---- */

/*
 * The registrable domain of host (libpsl), malloc'd; the host itself when
 * it has none (an IP address, a bare name).
 */
char *web_registrable(const char *host);
/* True when the IPv4 or IPv6 address text is not publicly routable. */
int web_ip_private(const char *ip);
/* "same-site", "cdn" or "third-party": host as seen from a page on site. */
const char *web_host_class(const char *host, const char *site);

struct web_judge_in {
	struct web_tx **hops; /* the redirect chain, the page last */
	size_t nhops;
	struct web_tx **res; /* the resources */
	size_t nres;
	const struct web_links *links; /* of the page, or NULL */
	const char *page_url;          /* the final URL */
	int64_t now;
};
/*
 * Judges a capture: data gets "verdict" ("ok", "caution", "suspicious",
 * "failed"), "reasons" (each {"code","severity","text"}), "domain",
 * "forms" and "hosts". Borrows everything.
 */
void web_judge(const struct web_judge_in *in, json_t *data);

#endif
