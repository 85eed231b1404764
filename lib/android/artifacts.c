#include "android_int.h"
#include "fx_banned.h"

/* Device details first (phase 0): every record after them names the device. */
static const struct fx_artifact artifacts[] = {
	{ "build properties", 0, fx_android_props_patterns, fx_android_parse_props },
	{ "SIM cards", 0, fx_android_siminfo_patterns, fx_android_parse_siminfo },
	{ "Bluetooth adapter", 0, fx_android_bt_patterns, fx_android_parse_bt },
	{ "secure settings", 0, fx_android_secure_patterns, fx_android_parse_secure },
	{ "SMS and MMS", 1, fx_android_mmssms_patterns, fx_android_parse_mmssms },
	{ "call log", 1, fx_android_calls_patterns, fx_android_parse_calls },
	{ "contacts", 1, fx_android_contacts_patterns, fx_android_parse_contacts },
	{ "installed apps", 1, fx_android_packages_patterns, fx_android_parse_packages },
	{ "lock settings", 1, fx_android_locksettings_patterns, fx_android_parse_locksettings },
	{ "Wi-Fi networks", 1, fx_android_wifi_patterns, fx_android_parse_wifi },
	{ "browser history", 1, fx_android_chrome_history_patterns, fx_android_parse_chrome_history },
	{ "browser cookies", 1, fx_android_chrome_cookies_patterns, fx_android_parse_chrome_cookies },
	{ "browser logins", 1, fx_android_chrome_logins_patterns, fx_android_parse_chrome_logins },
	{ "browser form data", 1, fx_android_chrome_webdata_patterns, fx_android_parse_chrome_webdata },
	{ "browser bookmarks", 1, fx_android_chrome_bookmarks_patterns, fx_android_parse_chrome_bookmarks },
	{ "Android browser", 1, fx_android_stock_browser_patterns, fx_android_parse_stock_browser },
	{ "QQ Browser", 1, fx_android_qqbrowser_patterns, fx_android_parse_qqbrowser },
	{ "UC Browser", 1, fx_android_ucbrowser_patterns, fx_android_parse_ucbrowser },
	{ "web storage (LevelDB)", 1, fx_android_leveldb_storage_patterns, fx_android_parse_leveldb_storage },
	{ "web storage (SQLite)", 1, fx_android_localstorage_patterns, fx_android_parse_localstorage },
	{ "WebView database", 1, fx_android_webview_patterns, fx_android_parse_webview },
	{ "WebView cache index", 1, fx_android_webview_cache_patterns, fx_android_parse_webview_cache },
	{ "accounts", 1, fx_android_accounts_patterns, fx_android_parse_accounts },
	{ "photos and videos", 1, fx_android_photos_patterns, fx_android_parse_photos },
};

const struct fx_artifact *fx_android_artifacts(size_t *n)
{
	*n = sizeof(artifacts) / sizeof(artifacts[0]);
	return artifacts;
}
