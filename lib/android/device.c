/*
 * The device's details: build.prop and friends (model, brand, version,
 * fingerprint, serial), the SIM table of telephony.db (ICCID, IMSI,
 * number), and the Bluetooth adapter's name and address.
 */
#include <stdlib.h>
#include <string.h>

#include "android_int.h"
#include "fx_axml.h"
#include "fx_err.h"
#include "fx_banned.h"

static const struct {
	const char *prop, *field;
} props[] = {
	{ "ro.product.model", "model" },
	{ "ro.product.system.model", "model" },
	{ "ro.product.vendor.model", "model" },
	{ "ro.product.brand", "brand" },
	{ "ro.product.system.brand", "brand" },
	{ "ro.product.manufacturer", "manufacturer" },
	{ "ro.product.system.manufacturer", "manufacturer" },
	{ "ro.product.device", "product" },
	{ "ro.build.version.release", "android_version" },
	{ "ro.system.build.version.release", "android_version" },
	{ "ro.build.version.sdk", "sdk" },
	{ "ro.build.fingerprint", "fingerprint" },
	{ "ro.system.build.fingerprint", "fingerprint" },
	{ "ro.build.display.id", "build" },
	{ "ro.build.version.security_patch", "security_patch" },
	{ "ro.serialno", "serial" },
	{ "ro.boot.serialno", "serial" },
	{ "persist.sys.timezone", "timezone" },
	{ "ro.ril.oem.imei", "imei" },
	{ "ro.ril.miui.imei0", "imei" },
};

/* "key=value" lines; '#' comments. */
int fx_android_parse_props(struct fx_android *a, const struct fx_afile *f)
{
	char *text, *line, *next, *eq, *end;
	size_t len, i;

	text = fx_android_bytes(a, f, 4 << 20, &len);
	if (!text)
		return -1;
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '#' || !(eq = strchr(line, '=')))
			continue;
		*eq = '\0';
		for (end = eq + 1 + strlen(eq + 1); end > eq + 1 && (end[-1] == '\r' || end[-1] == ' ');)
			*--end = '\0';
		for (i = 0; i < sizeof(props) / sizeof(props[0]); i++)
			if (strcmp(line, props[i].prop) == 0)
				fx_android_device_set(a, f, props[i].field, eq + 1);
	}
	free(text);
	return 0;
}

/* telephony.db siminfo: the SIM cards the phone has seen. */
int fx_android_parse_siminfo(struct fx_android *a, const struct fx_afile *f)
{
	sqlite3 *db = fx_android_sqlite(a, f);
	sqlite3_stmt *st;
	const char *sql;

	if (!db)
		return -1;
	if (!fx_android_has_table(db, "siminfo")) {
		fx_android_sqlite_close(a, db);
		return 0;
	}
	/* Columns differ across versions: take what there is. */
	sql = "SELECT * FROM siminfo ORDER BY _id";
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fx_android_problem(a, f, "cannot read siminfo: %s", sqlite3_errmsg(db));
		fx_android_sqlite_close(a, db);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int i, n = sqlite3_column_count(st);

		for (i = 0; i < n; i++) {
			const char *col = sqlite3_column_name(st, i);
			const char *v = (const char *)sqlite3_column_text(st, i);

			if (!v)
				continue;
			if (strcmp(col, "icc_id") == 0)
				fx_android_device_set(a, f, "iccid", v);
			else if (strcmp(col, "imsi") == 0)
				fx_android_device_set(a, f, "imsi", v);
			else if (strcmp(col, "number") == 0)
				fx_android_device_set(a, f, "phone", v);
			else if (strcmp(col, "carrier_name") == 0)
				fx_android_device_set(a, f, "carrier", v);
		}
	}
	sqlite3_finalize(st);
	fx_android_sqlite_close(a, db);
	return 0;
}

/* bt_config.conf: an ini file whose [Adapter] section names the adapter. */
int fx_android_parse_bt(struct fx_android *a, const struct fx_afile *f)
{
	char *text, *line, *next, *eq;
	int adapter = 0;
	size_t len;

	text = fx_android_bytes(a, f, 4 << 20, &len);
	if (!text)
		return -1;
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (*line == '[') {
			adapter = strcmp(line, "[Adapter]") == 0;
			continue;
		}
		if (!adapter || !(eq = strchr(line, '=')))
			continue;
		*eq = '\0';
		line[strcspn(line, " ")] = '\0';
		eq++;
		eq += strspn(eq, " ");
		if (strcmp(line, "Address") == 0)
			fx_android_device_set(a, f, "bt_mac", eq);
		else if (strcmp(line, "Name") == 0)
			fx_android_device_set(a, f, "bt_name", eq);
	}
	free(text);
	return 0;
}

const char *const fx_android_props_patterns[] = {
	"*build.prop", "default.prop", "*/default.prop", "*/prop.default", NULL,
};
const char *const fx_android_siminfo_patterns[] = {
	"*com.android.providers.telephony/databases/telephony.db", NULL,
};
const char *const fx_android_bt_patterns[] = {
	"*misc/bluedroid/bt_config.conf", "*misc/bluetooth/bt_config.conf", NULL,
};

const char *const fx_android_secure_patterns[] = {
	"*system/users/*/settings_secure.xml", NULL,
};

/* settings_secure.xml (text, or ABX from Android 12): android_id, up to Android 7 device-wide. */
int fx_android_parse_secure(struct fx_android *a, const struct fx_afile *f)
{
	const json_t *root, *el;
	json_t *doc;
	size_t len, i;
	char *buf;

	buf = fx_android_bytes(a, f, 16 << 20, &len);
	if (!buf)
		return -1;
	doc = fx_axml_parse(buf, len, f->path);
	free(buf);
	if (!doc) {
		fx_android_problem(a, f, "cannot be read as Android XML (text or ABX)");
		return -1;
	}
	root = fx_axml_root(doc);
	for (i = 0; root && i < json_array_size(json_object_get(root, "children")); i++) {
		el = json_array_get(json_object_get(root, "children"), i);
		if (!json_is_object(el) || !fx_axml_attr_str(el, "name") ||
		    strcmp(fx_axml_attr_str(el, "name"), "android_id") != 0)
			continue;
		fx_android_device_set(a, f, "android_id", fx_axml_attr_str(el, "value"));
	}
	json_decref(doc);
	return 0;
}
