/*
 * Consent categories and the paths of a device tree each one covers. The
 * database names are those the parsers of lib/android/ read (messages.c,
 * calls.c, contacts.c, device.c), with their -wal and -journal siblings,
 * which the parsers apply.
 */
#include <fnmatch.h>
#include <string.h>

#include "fx_pair.h"
#include "fx_banned.h"

#define DB(name) "*/databases/" name, "*/databases/" name "-wal", "*/databases/" name "-journal"

static const char *const sms_p[] = {DB("mmssms.db"), NULL};
static const char *const calls_p[] = {DB("calllog.db"), DB("logs.db"), NULL};
static const char *const contacts_p[] = {DB("contacts2.db"), NULL};
static const char *const device_p[] = {
	"*build.prop",
	"default.prop",
	"*/default.prop",
	"*/prop.default",
	"*com.android.providers.telephony/databases/telephony.db",
	"*misc/bluedroid/bt_config.conf",
	"*misc/bluetooth/bt_config.conf",
	"*system/users/*/settings_secure.xml",
	"*system/packages.xml",
	"*system/packages.list",
	NULL,
};
static const char *const chat_p[] = {
	"*com.whatsapp/*",
	"*WhatsApp/*",
	"*org.telegram.messenger/*",
	"*Telegram/*",
	"*com.tencent.mm/*",
	"*WeChat/*",
	"*com.tencent.mobileqq/*",
	"*Signal/*",
	"*org.thoughtcrime.securesms/*",
	"Chats/*",
	"*/Chats/*",
	NULL,
};
static const char *const payment_p[] = {
	"*com.eg.android.AlipayGphone/*",
	"*com.paypal.android.p2pmobile/*",
	"*com.google.android.apps.walletnfcrel/*",
	"*com.unionpay/*",
	"*Alipay/*",
	"Payments/*",
	"*/Payments/*",
	NULL,
};
static const char *const shots_p[] = {
	"*Screenshots/*",
	"*screenshots/*",
	"*Screenshot_*",
	NULL,
};
static const char *const recs_p[] = {
	"*ScreenRecorder/*", "*ScreenRecordings/*", "*Screen recordings/*",
	"*screenrecord*",    "*Screen_Recording_*", NULL,
};
/* Private app data is never "files": it belongs to a category of its own or to none. */
static const char *const private_p[] = {
	"data/data/*",    "*/data/data/*",    "data/user/*", "*/data/user/*",
	"data/user_de/*", "*/data/user_de/*", "*/system/*",  "system/*",
	"*/misc/*",       "misc/*",           NULL,
};

static const char *const sms_t[] = {"sms", "mms", NULL};
static const char *const calls_t[] = {"call", NULL};
static const char *const contacts_t[] = {"contact", NULL};
static const char *const device_t[] = {"device", "app", NULL};
static const char *const files_t[] = {"file", "photo", NULL};

/* In name order. */
static const struct fx_pair_category cats[] = {
	{"calls", 0, calls_p, calls_t, "the call log"},
	{"chat", 1, chat_p, files_t, "chat apps' data and media"},
	{"contacts", 0, contacts_p, contacts_t, "contacts"},
	{"device-info", 0, device_p, device_t, "device details: properties, SIM, apps"},
	{"files", 1, NULL, files_t, "other files: downloads, documents, photos"},
	{"payment", 1, payment_p, files_t, "payment apps' data"},
	{"screen-recordings", 1, recs_p, files_t, "screen recordings"},
	{"screenshots", 1, shots_p, files_t, "screenshots"},
	{"sms", 0, sms_p, sms_t, "SMS and MMS"},
};
#define NCATS (sizeof(cats) / sizeof(cats[0]))

const struct fx_pair_category *fx_pair_category_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < NCATS; i++)
		if (strcmp(cats[i].name, name) == 0)
			return &cats[i];
	return NULL;
}

const struct fx_pair_category *fx_pair_categories(size_t *n)
{
	*n = NCATS;
	return cats;
}

static int any(const char *const *p, const char *path)
{
	for (; *p; p++)
		if (fnmatch(*p, path, 0) == 0)
			return 1;
	return 0;
}

int fx_pair_category_match(const struct fx_pair_category *cat, const char *path)
{
	size_t i;

	if (cat->patterns)
		return any(cat->patterns, path);
	/* "files": what no other category claims, outside private app data. */
	if (any(private_p, path))
		return 0;
	for (i = 0; i < NCATS; i++)
		if (cats[i].patterns && any(cats[i].patterns, path))
			return 0;
	return 1;
}
