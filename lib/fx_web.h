/*
 * fx_web.h - web evidence: a page captured with its address data (DNS,
 * peer address, TLS chain and its verification, every redirect hop) and
 * every resource it links to, written as WARC 1.1 and packaged as WACZ,
 * judged for authenticity, and later compared with a page offered in its
 * place. The logic lives in lib/web/.
 */
#ifndef FX_WEB_H
#define FX_WEB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fx_case.h"

struct fx_web_opts {
	struct fx_case *c; /* store the capture here; required to capture */
	FILE *out;         /* records go here (may be NULL) */
	int quiet;
	const char *ca_file;        /* trust store (PEM); NULL: the system's */
	const char *const *resolve; /* HOST:PORT:ADDR entries, NULL-terminated */
	uint64_t max_size;          /* bytes per body; more is cut and marked */
	uint64_t max_total;         /* bytes of all bodies together */
	unsigned max_resources;     /* linked resources fetched at most */
	unsigned max_redirects;
	unsigned parallel; /* resources fetched at once */
	long timeout_ms;   /* per transfer */
	const char *user_agent;
	int screenshot; /* take one when a headless Chromium is there */
};
#define FX_WEB_MAX_SIZE (32u << 20)
#define FX_WEB_MAX_TOTAL (256u << 20)
#define FX_WEB_MAX_RESOURCES 500
#define FX_WEB_MAX_REDIRECTS 10

/* Fills o with the defaults above (no case, system trust store). */
void fx_web_opts_init(struct fx_web_opts *o);

/*
 * Captures url into o->c: each redirect hop's request and response exactly
 * as exchanged with its address data, the page's linked resources (depth
 * 1, within the limits), a screenshot when possible, all in one WARC and
 * one WACZ stored as objects in one change, and a `capture` record with
 * the verdict and its reasons. A failure part-way (unreachable host, TLS
 * failure, a body over the limit, a redirect loop) is reported, and what
 * was captured is still stored, marked incomplete. Returns 0, 1 for an
 * incomplete capture, or -1 when nothing could be stored (a bad URL, a
 * case that cannot be written).
 */
int fx_web_capture(const struct fx_web_opts *o, const char *url);

/*
 * Compares a page offered later (page: a saved file, or an http(s) URL
 * fetched now with o's options) with a capture (a WACZ or WARC file, or
 * with o->c a capture record's id or its WACZ's SHA-256). Writes one
 * `comparison` record; with o->c it is also added to the case, with the
 * page offered (and a capture from outside) stored as objects, in one
 * change. Returns 0 when the page is the captured page's bytes, 1 when it
 * differs, -1 when the comparison could not be made.
 */
int fx_web_verify(const struct fx_web_opts *o, const char *capture, const char *page);

#endif
