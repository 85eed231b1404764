/*
 * test_web.c - what the browser and web-storage parsers share
 * (lib/android/web_int.h): naming the app of a path, UTF-16LE values kept
 * as text or as hex, and the guess of an undocumented time unit.
 */
#include "harness.h"
#include "android/web_int.h"

static char *app(const char *path)
{
	json_t *data = json_object();
	const char *b, *p;
	char *s;

	fx_web_app(data, path);
	b = json_string_value(json_object_get(data, "browser"));
	p = json_string_value(json_object_get(data, "package"));
	s = fx_xasprintf("%s|%s", b ? b : "-", p ? p : "-");
	json_decref(data);
	return s;
}

FX_TEST(test_web_app_names_browser_and_package)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
		{ "data/data/com.android.chrome/app_chrome/Default/History", "Chrome|com.android.chrome" },
		{ "fs/data/user/10/com.sec.android.app.sbrowser/app_sbrowser/Default/Cookies",
		  "Samsung Internet|com.sec.android.app.sbrowser" },
		{ "data/data/com.example.shop/app_webview/Default/Local Storage/leveldb/000003.log",
		  "WebView|com.example.shop" },
		{ "data/data/com.example.shop/databases/webview.db", "WebView|com.example.shop" },
		{ "data/data/com.tencent.mtt/databases/database", "QQ Browser|com.tencent.mtt" },
		{ "data/data/com.example.app/app_chrome/Default/History", "com.example.app|com.example.app" },
		{ "History", "unknown|-" },
	};
	size_t i;
	char *got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = app(cases[i].path);
		CHECK_STR(got, cases[i].want);
		free(got);
	}
}

static char *dump(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);

	json_decref(v);
	return s;
}

FX_TEST(test_web_utf16_text_or_hex)
{
	/* "名字" and a surrogate pair (U+1F600) */
	static const unsigned char ok[] = { 0x0d, 0x54, 0x57, 0x5b, 0x3d, 0xd8, 0x00, 0xde };
	static const unsigned char lone[] = { 0x41, 0x00, 0x00, 0xd8 };
	static const unsigned char odd[] = { 0x41, 0x00, 0x42 };
	static const unsigned char nul[] = { 0x41, 0x00, 0x00, 0x00 };
	char *s;

	s = dump(fx_web_utf16(ok, sizeof(ok)));
	CHECK_STR(s, "\"\\u540D\\u5B57\\uD83D\\uDE00\"");
	free(s);
	s = dump(fx_web_utf16(lone, sizeof(lone)));
	CHECK_STR(s, "{\"hex\":\"410000d8\"}");
	free(s);
	s = dump(fx_web_utf16(odd, sizeof(odd)));
	CHECK_STR(s, "{\"hex\":\"410042\"}");
	free(s);
	s = dump(fx_web_utf16(nul, sizeof(nul)));
	CHECK_STR(s, "{\"hex\":\"41000000\"}");
	free(s);
	s = dump(fx_web_utf16("", 0));
	CHECK_STR(s, "\"\"");
	free(s);
}

FX_TEST(test_web_guess_unit_by_magnitude)
{
	CHECK_INT(fx_web_guess_unit(1617874100000LL), FX_TIME_UNIX_MS);
	CHECK_INT(fx_web_guess_unit(1617874100LL), FX_TIME_UNIX_S);
	CHECK_INT(fx_web_guess_unit(0), FX_TIME_UNIX_S);
}
