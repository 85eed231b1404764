/*
 * Installed apps (packages.xml in text or ABX, and packages.list) and
 * saved Wi-Fi networks (WifiConfigStore.xml in both locations, and
 * wpa_supplicant.conf up to Android 7), read with lib/fx_axml.h.
 */
#include <stdlib.h>
#include <string.h>

#include "android_int.h"
#include "fx_axml.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

const char *const fx_android_packages_patterns[] = {
	"*system/packages.xml", "*system/packages.list", NULL,
};
const char *const fx_android_wifi_patterns[] = {
	"*misc/wifi/WifiConfigStore.xml", "*misc/apexdata/com.android.wifi/WifiConfigStore.xml",
	"*misc/wifi/wpa_supplicant.conf", NULL,
};

/* Record field <- extractor key (lib/fx_axml.h names them as Android does). */
struct field {
	const char *as, *key;
};

static const struct field app_fields[] = {
	{ "name", "name" },
	{ "element", "element" },
	{ "code_path", "codePath" },
	{ "installer", "installer" },
	{ "install_initiator", "installInitiator" },
	{ "version", "version" },
	{ "target_sdk", "targetSdkVersion" },
	{ "uid", "userId" },
	{ "shared_uid", "sharedUserId" },
	{ "flags", "flags" },
	{ "system", "system" },
	{ "certificates", "certificates" },
	{ NULL, NULL },
};

static const struct field wifi_fields[] = {
	{ "ssid", "ssid" },
	{ "ssid_hex", "ssidHex" },
	{ "bssid", "bssid" },
	{ "psk", "psk" },
	{ "passphrase", "passphrase" },
	{ "psk_encrypted", "pskEncrypted" },
	{ "security", "security" },
	{ "hidden", "hidden" },
	{ "creator", "creatorName" },
	{ "config_key", "configKey" },
	{ "identity", "identity" },
	{ "ip_assignment", "ipAssignment" },
	{ "proxy_host", "proxyHost" },
	{ "dns_servers", "dnsServers" },
	{ "has_ever_connected", "hasEverConnected" },
	{ "created_text", "creationTimeText" },
	{ NULL, NULL },
};

/* Copies each from[key] present to data[as]. */
static void take_all(json_t *data, const json_t *from, const struct field *fields)
{
	json_t *v;

	for (; fields->as; fields++)
		if ((v = json_object_get(from, fields->key)))
			json_object_set(data, fields->as, v);
}

/* A time in ms from[key] as data[as] (RFC 3339). */
static void take_time(json_t *data, const char *as, const json_t *from, const char *key)
{
	json_t *v = json_object_get(from, key);
	char t[FX_TIME_LEN];

	if (json_is_integer(v) && fx_time_format(json_integer_value(v), t) == 0)
		json_object_set_new(data, as, json_string(t));
}

static json_t *parse_xml(struct fx_android *a, const struct fx_afile *f)
{
	size_t len;
	char *buf = fx_android_bytes(a, f, 64 << 20, &len);
	json_t *doc;

	if (!buf)
		return NULL;
	doc = fx_axml_parse(buf, len, f->path);
	free(buf);
	if (!doc)
		fx_android_problem(a, f, "cannot be read as Android XML (text or ABX)");
	else if (json_is_true(json_object_get(doc, "damaged")))
		fx_android_problem(a, f, "damaged, read up to the damage: %s",
				   json_string_value(json_object_get(doc, "error")));
	return doc;
}

static void app_time(json_t *rec, const json_t *p)
{
	json_t *v = json_object_get(p, "firstInstallTime");

	if (!v)
		v = json_object_get(p, "lastModifiedTime");
	if (json_is_integer(v))
		fx_android_time(rec, json_integer_value(v), FX_TIME_UNIX_MS);
}

static int packages_xml(struct fx_android *a, const struct fx_afile *f)
{
	json_t *doc = parse_xml(a, f), *apps, *p, *rec, *data;
	size_t i;

	if (!doc)
		return -1;
	apps = fx_axml_packages(doc);
	for (i = 0; apps && i < json_array_size(apps); i++) {
		p = json_array_get(apps, i);
		rec = fx_android_record(a, "app", f, NULL, 0);
		data = json_object_get(rec, "data");
		take_all(data, p, app_fields);
		take_time(data, "first_install", p, "firstInstallTime");
		take_time(data, "last_update", p, "lastUpdateTime");
		take_time(data, "modified", p, "lastModifiedTime");
		json_object_set_new(data, "encoding", json_incref(json_object_get(doc, "encoding")));
		app_time(rec, p);
		if (!json_object_get(data, "name")) {
			json_decref(rec);
			continue;
		}
		if (fx_android_emit(a, rec) < 0)
			break;
	}
	json_decref(apps);
	json_decref(doc);
	return 0;
}

/* packages.list: "name uid debuggable datadir seinfo gids…", one app a line. */
static int packages_list(struct fx_android *a, const struct fx_afile *f)
{
	char *text, *line, *next, *fields[4];
	size_t len, lineno = 0;
	json_t *rec, *data;
	int n;

	text = fx_android_bytes(a, f, 16 << 20, &len);
	if (!text)
		return -1;
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		for (n = 0; n < 4; n++) {
			fields[n] = line;
			line += strcspn(line, " ");
			if (*line)
				*line++ = '\0';
		}
		if (!*fields[0] || !*fields[1]) {
			continue;
		}
		rec = fx_android_record(a, "app", f, NULL, 0);
		json_object_set_new(json_object_get(rec, "src"), FX_SRC_LINE,
				    json_integer((json_int_t)lineno));
		data = json_object_get(rec, "data");
		json_object_set_new(data, "name", json_string(fields[0]));
		json_object_set_new(data, "uid", json_integer(atoll(fields[1])));
		json_object_set_new(data, "debuggable", json_boolean(strcmp(fields[2], "1") == 0));
		if (*fields[3])
			json_object_set_new(data, "data_dir", json_string(fields[3]));
		if (fx_android_emit(a, rec) < 0)
			break;
	}
	free(text);
	return 0;
}

int fx_android_parse_packages(struct fx_android *a, const struct fx_afile *f)
{
	const char *base = strrchr(f->path, '/');

	base = base ? base + 1 : f->path;
	return strcmp(base, "packages.list") == 0 ? packages_list(a, f) : packages_xml(a, f);
}

static int emit_networks(struct fx_android *a, const struct fx_afile *f, json_t *nets)
{
	json_t *n, *rec, *data, *v;
	size_t i;

	for (i = 0; i < json_array_size(nets); i++) {
		n = json_array_get(nets, i);
		rec = fx_android_record(a, "wifi", f, NULL, 0);
		if ((v = json_object_get(n, "line")))
			json_object_set(json_object_get(rec, "src"), FX_SRC_LINE, v);
		data = json_object_get(rec, "data");
		take_all(data, n, wifi_fields);
		take_time(data, "created", n, "creationTime");
		take_time(data, "last_connected", n, "lastConnectedTime");
		v = json_object_get(n, "creationTime");
		if (!v)
			v = json_object_get(n, "lastConnectedTime");
		if (json_is_integer(v))
			fx_android_time(rec, json_integer_value(v), FX_TIME_UNIX_MS);
		if (fx_android_emit(a, rec) < 0)
			return -1;
	}
	return 0;
}

int fx_android_parse_wifi(struct fx_android *a, const struct fx_afile *f)
{
	json_t *doc, *nets;
	size_t len;
	char *text;
	int ret;

	if (strstr(f->path, "wpa_supplicant.conf")) {
		text = fx_android_bytes(a, f, 16 << 20, &len);
		if (!text)
			return -1;
		nets = fx_android_wpa_supplicant(text, len);
		free(text);
	} else {
		doc = parse_xml(a, f);
		if (!doc)
			return -1;
		nets = fx_axml_wifi(doc);
		json_decref(doc);
	}
	if (!nets)
		return -1;
	ret = emit_networks(a, f, nets);
	json_decref(nets);
	return ret;
}
