/*
 * android_int.h - the parsers of lib/android/, one family per file, and
 * the patterns of the files each reads. artifacts.c lists them in order.
 */
#ifndef FX_ANDROID_INT_H
#define FX_ANDROID_INT_H

#include "fx_android.h"

/* device.c */
extern const char *const fx_android_props_patterns[];
extern const char *const fx_android_siminfo_patterns[];
extern const char *const fx_android_bt_patterns[];
int fx_android_parse_props(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_siminfo(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_bt(struct fx_android *a, const struct fx_afile *f);
extern const char *const fx_android_secure_patterns[];
int fx_android_parse_secure(struct fx_android *a, const struct fx_afile *f);

/* messages.c: SMS and MMS */
extern const char *const fx_android_mmssms_patterns[];
int fx_android_parse_mmssms(struct fx_android *a, const struct fx_afile *f);

/* calls.c: call logs */
extern const char *const fx_android_calls_patterns[];
int fx_android_parse_calls(struct fx_android *a, const struct fx_afile *f);

/* contacts.c */
extern const char *const fx_android_contacts_patterns[];
int fx_android_parse_contacts(struct fx_android *a, const struct fx_afile *f);

/* settings.c: the lock screen's settings */
extern const char *const fx_android_locksettings_patterns[];
int fx_android_parse_locksettings(struct fx_android *a, const struct fx_afile *f);

/* system.c: installed apps and Wi-Fi networks */
extern const char *const fx_android_packages_patterns[];
extern const char *const fx_android_wifi_patterns[];
int fx_android_parse_packages(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_wifi(struct fx_android *a, const struct fx_afile *f);

/* browsers.c: Chromium-family browsers (Chrome, Samsung Internet, WebView) */
extern const char *const fx_android_chrome_history_patterns[];
extern const char *const fx_android_chrome_cookies_patterns[];
extern const char *const fx_android_chrome_logins_patterns[];
extern const char *const fx_android_chrome_webdata_patterns[];
extern const char *const fx_android_chrome_bookmarks_patterns[];
int fx_android_parse_chrome_history(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_chrome_cookies(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_chrome_logins(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_chrome_webdata(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_chrome_bookmarks(struct fx_android *a, const struct fx_afile *f);

/* browsers_apps.c: the stock Android browser, QQ Browser, UC Browser */
extern const char *const fx_android_stock_browser_patterns[];
extern const char *const fx_android_qqbrowser_patterns[];
extern const char *const fx_android_ucbrowser_patterns[];
int fx_android_parse_stock_browser(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_qqbrowser(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_ucbrowser(struct fx_android *a, const struct fx_afile *f);

/* webstorage.c: localStorage, sessionStorage, the legacy WebView databases */
extern const char *const fx_android_leveldb_storage_patterns[];
extern const char *const fx_android_localstorage_patterns[];
extern const char *const fx_android_webview_patterns[];
extern const char *const fx_android_webview_cache_patterns[];
int fx_android_parse_leveldb_storage(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_localstorage(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_webview(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_webview_cache(struct fx_android *a, const struct fx_afile *f);

/* accounts.c: AccountManager databases */
extern const char *const fx_android_accounts_patterns[];
int fx_android_parse_accounts(struct fx_android *a, const struct fx_afile *f);

/* photos.c: photos and videos (fx_media), their QR codes and barcodes (fx_codes) */
extern const char *const fx_android_photos_patterns[];
int fx_android_parse_photos(struct fx_android *a, const struct fx_afile *f);

#endif
