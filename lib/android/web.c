/*
 * What the browser and web-storage parsers share (web_int.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web_int.h"
#include "fx_buf.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

void fx_web_time(json_t *data, const char *key, int64_t raw, int unit)
{
	char t[FX_TIME_LEN];

	if (raw != 0 && fx_time_convert(raw, (enum fx_time_unit)unit, t) == 0)
		json_object_set_new(data, key, json_string(t));
}

int fx_web_guess_unit(int64_t raw)
{
	return raw >= 100000000000LL || raw <= -100000000000LL ? FX_TIME_UNIX_MS : FX_TIME_UNIX_S;
}

json_t *fx_web_row(sqlite3_stmt *st, const char *const *skip)
{
	json_t *o = json_object();
	const char *const *s;
	const char *name;
	int i, n = sqlite3_column_count(st);

	for (i = 0; i < n; i++) {
		name = sqlite3_column_name(st, i);
		for (s = skip; s && *s && strcmp(*s, name) != 0; s++)
			;
		if (s && *s)
			continue;
		fx_android_set_text(o, name, st, i);
	}
	return o;
}

/* Known browser packages. */
static const struct {
	const char *package, *name;
} browsers[] = {
	{ "com.android.browser", "Android Browser" },
	{ "com.android.chrome", "Chrome" },
	{ "com.brave.browser", "Brave" },
	{ "com.chrome.beta", "Chrome Beta" },
	{ "com.chrome.canary", "Chrome Canary" },
	{ "com.chrome.dev", "Chrome Dev" },
	{ "com.huawei.browser", "Huawei Browser" },
	{ "com.kiwibrowser.browser", "Kiwi Browser" },
	{ "com.microsoft.emmx", "Edge" },
	{ "com.opera.browser", "Opera" },
	{ "com.sec.android.app.sbrowser", "Samsung Internet" },
	{ "com.tencent.mtt", "QQ Browser" },
	{ "com.UCMobile", "UC Browser" },
	{ "com.UCMobile.intl", "UC Browser" },
	{ "com.yandex.browser", "Yandex Browser" },
	{ "org.chromium.chrome", "Chromium" },
};

/* Folders an app keeps right under its data folder, after its package name. */
static const char *const app_dirs[] = {
	"app_chrome", "app_sbrowser", "app_webview", "app_core_ucmobile", "app_database",
	"databases", "cache", "files", NULL,
};

void fx_web_app(json_t *data, const char *path)
{
	const char *c = path, *slash, *prev = NULL;
	const char *const *d;
	size_t i, n, prev_n = 0;
	char *pkg = NULL;

	/* The package is the component before the leftmost of app_dirs. */
	for (; (slash = strchr(c, '/')) != NULL && !pkg; c = slash + 1) {
		n = (size_t)(slash - c);
		for (d = app_dirs; *d; d++)
			if (strlen(*d) == n && strncmp(c, *d, n) == 0)
				break;
		if (*d && prev)
			pkg = fx_xasprintf("%.*s", (int)prev_n, prev);
		prev = c;
		prev_n = n;
	}
	if (pkg)
		json_object_set_new(data, "package", json_string(pkg));
	for (i = 0; pkg && i < sizeof(browsers) / sizeof(browsers[0]); i++)
		if (strcmp(pkg, browsers[i].package) == 0) {
			json_object_set_new(data, "browser", json_string(browsers[i].name));
			free(pkg);
			return;
		}
	if (strstr(path, "/app_webview/") || strncmp(path, "app_webview/", 12) == 0 ||
	    strstr(path, "/databases/webview"))
		json_object_set_new(data, "browser", json_string("WebView"));
	else
		json_object_set_new(data, "browser", json_string(pkg ? pkg : "unknown"));
	free(pkg);
}

json_t *fx_web_record(struct fx_android *a, const char *type, const struct fx_afile *f,
		      const char *table, sqlite3_stmt *st)
{
	json_t *rec = fx_android_record(a, type, f, table, sqlite3_column_int64(st, 0));

	fx_web_app(json_object_get(rec, "data"), f->path);
	return rec;
}


json_t *fx_web_utf16(const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	struct fx_buf b = FX_BUF_INIT;
	uint32_t c, lo;
	size_t i;
	json_t *v;

	if (len % 2)
		return fx_json_hex(bytes, len);
	for (i = 0; i < len; i += 2) {
		c = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;
		if (c >= 0xd800 && c <= 0xdbff) {
			if (i + 3 >= len)
				goto bad;
			lo = (uint32_t)p[i + 2] | (uint32_t)p[i + 3] << 8;
			if (lo < 0xdc00 || lo > 0xdfff)
				goto bad;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		} else if (c == 0 || (c >= 0xdc00 && c <= 0xdfff)) {
			goto bad;
		}
		fx_buf_add_utf8(&b, c);
	}
	v = fx_json_text(b.data ? b.data : "", b.len);
	fx_buf_release(&b);
	return v;
bad:
	fx_buf_release(&b);
	return fx_json_hex(bytes, len);
}
