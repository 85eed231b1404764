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

/* messages.c: SMS and MMS */
extern const char *const fx_android_mmssms_patterns[];
int fx_android_parse_mmssms(struct fx_android *a, const struct fx_afile *f);

/* calls.c: call logs */
extern const char *const fx_android_calls_patterns[];
int fx_android_parse_calls(struct fx_android *a, const struct fx_afile *f);

/* contacts.c */
extern const char *const fx_android_contacts_patterns[];
int fx_android_parse_contacts(struct fx_android *a, const struct fx_afile *f);

/* system.c: installed apps and Wi-Fi networks */
extern const char *const fx_android_packages_patterns[];
extern const char *const fx_android_wifi_patterns[];
int fx_android_parse_packages(struct fx_android *a, const struct fx_afile *f);
int fx_android_parse_wifi(struct fx_android *a, const struct fx_afile *f);

#endif
