/*
 * WACZ 1.1.1: a zip (libarchive) holding the WARC as archive/data.warc.gz,
 * a CDXJ index, the pages list and datapackage.json with the SHA-256 and
 * size of each, and datapackage-digest.json with the hash of that.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "web_int.h"
#include "fx_err.h"
#include "fx_io.h"
#include "fx_time.h"
#include "fx_banned.h"

#define WARC_NAME "archive/data.warc.gz"

char *web_surt(const char *url)
{
	char *host = web_url_host(url), *r;
	const char *path = strstr(url, "://"), *labels[64];
	struct fx_buf b = FX_BUF_INIT;
	size_t n = 0, i, len[64];
	const char *p, *s;
	unsigned port = web_url_port(url);
	char *scheme = web_url_scheme(url);

	if (!host)
		return fx_xstrdup(url);
	path = path ? strchr(path + 3, '/') : NULL;
	for (s = p = host;; p++) {
		if (*p == '.' || !*p) {
			if (n < 64 && p > s) {
				labels[n] = s;
				len[n++] = (size_t)(p - s);
			}
			s = p + 1;
		}
		if (!*p)
			break;
	}
	/* "www" carries no meaning in SURT keys. */
	if (n > 1 && len[0] == 3 && strncmp(labels[0], "www", 3) == 0) {
		memmove(labels, labels + 1, (n - 1) * sizeof(*labels));
		memmove(len, len + 1, (n - 1) * sizeof(*len));
		n--;
	}
	for (i = n; i-- > 0;) {
		fx_buf_add(&b, labels[i], len[i]);
		if (i)
			fx_buf_add(&b, ",", 1);
	}
	if (port && scheme &&
	    !((port == 443 && strcmp(scheme, "https") == 0) ||
	      (port == 80 && strcmp(scheme, "http") == 0))) {
		char pb[16];

		snprintf(pb, sizeof(pb), ":%u", port);
		fx_buf_add(&b, pb, strlen(pb));
	}
	fx_buf_add(&b, ")", 1);
	for (p = path ? path : "/"; *p; p++) {
		char c = (char)tolower((unsigned char)*p);

		fx_buf_add(&b, &c, 1);
	}
	free(host);
	free(scheme);
	r = b.data;
	return r;
}

static int add_entry(struct archive *a, const char *name, const void *data, size_t len,
		     int64_t mtime_s, int store)
{
	struct archive_entry *e = archive_entry_new();
	int ret = 0;

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, (time_t)mtime_s, 0);
	if (store)
		archive_write_zip_set_compression_store(a);
	else
		archive_write_zip_set_compression_deflate(a);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    (len && archive_write_data(a, data, len) != (la_ssize_t)len))
		ret = fx_error("cannot write '%s' into the WACZ: %s", name,
			       archive_error_string(a));
	archive_entry_free(e);
	return ret;
}

static json_t *resource(const char *name, const char *path, const void *data, size_t len)
{
	uint8_t md[FX_SHA256_LEN];
	char label[80];

	fx_sha256(data, len, md);
	web_digest_label(md, label);
	return json_pack("{s:s,s:s,s:s,s:I}", "name", name, "path", path, "hash", label, "bytes",
			 (json_int_t)len);
}

static char *dump(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
}

int web_wacz_write(const char *path, const char *warc, const struct web_page_entry *page,
		   struct web_cdx *cdx, size_t ncdx, const char *created)
{
	struct fx_buf pages = FX_BUF_INIT, idx = FX_BUF_INIT;
	struct archive *a = archive_write_new();
	char *warc_data = NULL, *line, *dp = NULL, *dd = NULL;
	json_t *res, *pkg = NULL, *digest = NULL;
	size_t warc_len = 0, i;
	int64_t ms = 0;
	int ret = -1;

	fx_time_parse(created, &ms);
	warc_data = fx_read_file(warc, &warc_len, 0);
	if (!warc_data || !a)
		goto out;
	/* The pages list (json-pages-1.0). */
	res = json_pack("{s:s,s:s,s:s}", "format", "json-pages-1.0", "id", "pages", "title",
			"All Pages");
	line = dump(res);
	json_decref(res);
	fx_buf_add(&pages, line, strlen(line));
	fx_buf_add(&pages, "\n", 1);
	free(line);
	{
		json_t *pg = json_pack("{s:s,s:s,s:s}", "id", "page-1", "url", page->url, "ts",
				       page->ts);

		if (page->title)
			json_object_set_new(pg, "title", json_string(page->title));
		line = dump(pg);
		json_decref(pg);
		fx_buf_add(&pages, line, strlen(line));
		fx_buf_add(&pages, "\n", 1);
		free(line);
	}
	for (i = 0; i < ncdx; i++) {
		fx_buf_add(&idx, cdx[i].key, strlen(cdx[i].key));
		fx_buf_add(&idx, " ", 1);
		fx_buf_add(&idx, cdx[i].json, strlen(cdx[i].json));
		fx_buf_add(&idx, "\n", 1);
	}
	res = json_array();
	json_array_append_new(res, resource("data.warc.gz", WARC_NAME, warc_data, warc_len));
	json_array_append_new(
		res, resource("index.cdx", "indexes/index.cdx", idx.data ? idx.data : "", idx.len));
	json_array_append_new(res,
			      resource("pages.jsonl", "pages/pages.jsonl", pages.data, pages.len));
	pkg = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "profile", "data-package",
			"wacz_version", "1.1.1", "created", created, "modified", created,
			"software", "fx-pull " FX_VERSION, "mainPageURL", page->url, "mainPageDate",
			page->ts, "resources", res);
	if (page->title)
		json_object_set_new(pkg, "title", json_string(page->title));
	dp = json_dumps(pkg, JSON_INDENT(2) | JSON_SORT_KEYS);
	{
		uint8_t md[FX_SHA256_LEN];
		char label[80];

		fx_sha256(dp, strlen(dp), md);
		web_digest_label(md, label);
		digest = json_pack("{s:s,s:s}", "path", "datapackage.json", "hash", label);
	}
	dd = json_dumps(digest, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, path) != ARCHIVE_OK) {
		fx_error("cannot create '%s': %s", path, archive_error_string(a));
		goto out;
	}
	/* The WARC is stored, not deflated: replay tools read it in place. */
	if (add_entry(a, WARC_NAME, warc_data, warc_len, ms / 1000, 1) < 0 ||
	    add_entry(a, "indexes/index.cdx", idx.data, idx.len, ms / 1000, 0) < 0 ||
	    add_entry(a, "pages/pages.jsonl", pages.data, pages.len, ms / 1000, 0) < 0 ||
	    add_entry(a, "datapackage.json", dp, strlen(dp), ms / 1000, 0) < 0 ||
	    add_entry(a, "datapackage-digest.json", dd, strlen(dd), ms / 1000, 0) < 0)
		goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		fx_error("cannot write '%s': %s", path, archive_error_string(a));
		goto out;
	}
	ret = 0;
out:
	if (a)
		archive_write_free(a);
	free(warc_data);
	free(dp);
	free(dd);
	json_decref(pkg);
	json_decref(digest);
	fx_buf_release(&pages);
	fx_buf_release(&idx);
	return ret;
}

static int is_zip(const char *path)
{
	char m[4] = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return 0;
	ok = read(fd, m, 4) == 4 && memcmp(m, "PK\003\004", 4) == 0;
	close(fd);
	return ok;
}

int web_wacz_read_warc(const char *path, char **data, size_t *len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct fx_buf b = FX_BUF_INIT;
	const char *name;
	char buf[65536];
	la_ssize_t n;
	int r, found = 0;

	*data = NULL;
	*len = 0;
	if (!is_zip(path)) {
		/* Not a zip: a WARC file as it is. */
		archive_read_free(a);
		*data = fx_read_file(path, len, 0);
		return *data ? 0 : -1;
	}
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		fx_error("cannot open '%s': %s", path, archive_error_string(a));
		archive_read_free(a);
		return -1;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		name = archive_entry_pathname(e);
		if (!name || strncmp(name, "archive/", 8) != 0 ||
		    !(strstr(name, ".warc.gz") || strstr(name, ".warc")))
			continue;
		while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
			fx_buf_add(&b, buf, (size_t)n);
		if (n < 0) {
			fx_error("'%s': cannot read '%s': %s", path, name, archive_error_string(a));
			fx_buf_release(&b);
			archive_read_free(a);
			return -1;
		}
		found = 1;
		break;
	}
	if (!found && r != ARCHIVE_EOF && r != ARCHIVE_OK)
		fx_error("'%s': %s", path, archive_error_string(a));
	else if (!found)
		fx_error("'%s': no archive/*.warc.gz in it: not a WACZ", path);
	archive_read_free(a);
	if (!found)
		return -1;
	fx_buf_add(&b, "", 0);
	*data = b.data;
	*len = b.len;
	return 0;
}
