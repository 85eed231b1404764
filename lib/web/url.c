/*
 * URLs through libcurl's URL API, so that the addresses we resolve are the
 * addresses libcurl fetches.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_banned.h"

static char *lower(char *s)
{
	char *p;

	for (p = s; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* A part as a malloc'd string (fx_xstrdup'd from curl's), or NULL. */
static char *part(CURLU *u, CURLUPart what, unsigned flags)
{
	char *v = NULL, *r;

	if (curl_url_get(u, what, &v, flags) != CURLUE_OK)
		return NULL;
	r = fx_xstrdup(v);
	curl_free(v);
	return r;
}

static int http_scheme(CURLU *u)
{
	char *s = lower(part(u, CURLUPART_SCHEME, 0));
	int ok = s && (strcmp(s, "http") == 0 || strcmp(s, "https") == 0);

	free(s);
	return ok;
}

char *web_url_resolve(const char *base, const char *ref)
{
	CURLU *u = curl_url();
	char *r = NULL, *t = NULL, *h = NULL;
	const char *p;
	size_t n;

	if (!u)
		return NULL;
	/* Attribute values carry white space around them in real pages. */
	while (*ref && isspace((unsigned char)*ref))
		ref++;
	n = strlen(ref);
	while (n && isspace((unsigned char)ref[n - 1]))
		n--;
	if (!n)
		goto out;
	t = fx_xasprintf("%.*s", (int)n, ref);
	for (p = t; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			goto out;
	if (base && curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK)
		goto out;
	/* A fragment alone names the base itself (libcurl 7.88 drops its file). */
	if (t[0] != '#' && curl_url_set(u, CURLUPART_URL, t, CURLU_URLENCODE) != CURLUE_OK)
		goto out;
	if (!http_scheme(u))
		goto out;
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	/* Host names are case-insensitive: one spelling for comparing URLs. */
	h = lower(part(u, CURLUPART_HOST, 0));
	if (h)
		curl_url_set(u, CURLUPART_HOST, h, 0);
	r = part(u, CURLUPART_URL, 0);
out:
	free(t);
	free(h);
	curl_url_cleanup(u);
	return r;
}

char *web_url_host(const char *url)
{
	CURLU *u = curl_url();
	char *h = NULL;
	size_t n;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
		h = lower(part(u, CURLUPART_HOST, 0));
	curl_url_cleanup(u);
	if (h && h[0] == '[') {
		n = strlen(h);
		memmove(h, h + 1, n - 1);
		h[n - 2] = '\0';
	}
	return h;
}

char *web_url_scheme(const char *url)
{
	CURLU *u = curl_url();
	char *s = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
		s = lower(part(u, CURLUPART_SCHEME, 0));
	curl_url_cleanup(u);
	return s;
}

unsigned web_url_port(const char *url)
{
	CURLU *u = curl_url();
	char *p = NULL;
	unsigned port = 0;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
		p = part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
	if (p)
		port = (unsigned)strtoul(p, NULL, 10);
	free(p);
	curl_url_cleanup(u);
	return port;
}

int web_url_check(const char *url, const char **why)
{
	CURLU *u = curl_url();
	char *h = NULL;
	int ret = -1;

	*why = "not a URL";
	if (!u)
		return -1;
	if (!strstr(url, "://") || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	*why = "only http and https URLs can be captured";
	if (!http_scheme(u))
		goto out;
	*why = "no host";
	h = part(u, CURLUPART_HOST, 0);
	if (!h || !*h)
		goto out;
	ret = 0;
out:
	free(h);
	curl_url_cleanup(u);
	return ret;
}
