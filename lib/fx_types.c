/*
 * The record types and their data fields: the one list in code.
 * man/fx-record.5 is the same list for people, and tests check that the
 * two agree and that tests/fixtures/records/ has an example of each.
 * Keep the types in name order.
 */
#include <string.h>

#include "fx_record.h"
#include "fx_banned.h"

static const struct fx_field case_fields[] = {
	{ "title", FX_F_STRING, 0, "short title of the case" },
	{ "examiner", FX_F_STRING, 0, "examiner in charge" },
	{ "agency", FX_F_STRING, 0, "agency or institution" },
	{ "location", FX_F_STRING, 0, "where the case was opened" },
	{ "parties", FX_F_ARRAY, 0, "parties: objects with role and name" },
	{ "fields", FX_F_OBJECT, 0, "free key=value fields given at init" },
	{ "created", FX_F_TIME, 1, "when the case was created" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field custody_fields[] = {
	{ "seq", FX_F_INT, 1, "position in the custody log, from 0" },
	{ "action", FX_F_STRING, 1, "what was done: init, add, note, reset, …" },
	{ "who", FX_F_STRING, 1, "examiner acting" },
	{ "at", FX_F_TIME, 1, "when the entry was written" },
	{ "tool", FX_F_STRING, 1, "program that acted" },
	{ "version", FX_F_STRING, 1, "its version" },
	{ "argv", FX_F_ARRAY, 1, "its argument vector" },
	{ "inputs", FX_F_ARRAY, 0, "inputs read, each with its sha256" },
	{ "outputs", FX_F_ARRAY, 0, "outputs written, each with its sha256" },
	{ "objects", FX_F_OBJECT, 0, "count and sha256 digest of the objects stored" },
	{ "records", FX_F_OBJECT, 0, "count and sha256 digest of the record ids added" },
	{ "withdrawn", FX_F_OBJECT, 0, "count and digest of the record ids withdrawn" },
	{ "detail", FX_F_OBJECT, 0, "action-specific detail" },
	{ "prev", FX_F_SHA256, 0, "hash of the entry before (absent for seq 0)" },
	{ "hash", FX_F_SHA256, 1, "SHA-256 of the entry's canonical form without hash" },
	{ "leaf", FX_F_SHA256, 1, "its RFC 9162 Merkle leaf hash" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field device_fields[] = {
	{ "key", FX_F_STRING, 1, "imei:…, serial:… or gen:…, the case's key for it" },
	{ "imei", FX_F_STRING, 0, "IMEI (15 digits, Luhn checked)" },
	{ "imei2", FX_F_STRING, 0, "second IMEI" },
	{ "meid", FX_F_STRING, 0, "MEID" },
	{ "serial", FX_F_STRING, 0, "serial number" },
	{ "model", FX_F_STRING, 0, "model" },
	{ "brand", FX_F_STRING, 0, "brand" },
	{ "manufacturer", FX_F_STRING, 0, "manufacturer" },
	{ "os", FX_F_STRING, 0, "operating system and version" },
	{ "phone", FX_F_STRING, 0, "phone number" },
	{ "product", FX_F_STRING, 0, "product (device) name" },
	{ "android_version", FX_F_STRING, 0, "Android release" },
	{ "sdk", FX_F_STRING, 0, "Android API level" },
	{ "fingerprint", FX_F_STRING, 0, "build fingerprint" },
	{ "build", FX_F_STRING, 0, "build id shown to users" },
	{ "security_patch", FX_F_STRING, 0, "security patch level" },
	{ "timezone", FX_F_STRING, 0, "time zone set on the device" },
	{ "iccid", FX_F_STRING, 0, "SIM card ICCID" },
	{ "imsi", FX_F_STRING, 0, "subscriber IMSI" },
	{ "carrier", FX_F_STRING, 0, "carrier name of the SIM" },
	{ "android_id", FX_F_STRING, 0, "Settings.Secure ANDROID_ID" },
	{ "bt_name", FX_F_STRING, 0, "Bluetooth adapter name" },
	{ "bt_mac", FX_F_STRING, 0, "Bluetooth adapter address" },
	{ "sources", FX_F_ARRAY, 0, "the files the details were read from: sha256 and path" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field file_fields[] = {
	{ "path", FX_F_TEXT, 1, "path in the source, made safe (see fx_walk)" },
	{ "sha256", FX_F_SHA256, 1, "SHA-256 of the bytes, the object's name" },
	{ "size", FX_F_INT, 1, "size in bytes" },
	{ "mode", FX_F_INT, 0, "permission bits as recorded" },
	{ "mtime", FX_F_TIME, 0, "modification time" },
	{ "kind", FX_F_STRING, 0, "file, symlink, …" },
	{ "mime", FX_F_STRING, 0, "detected type" },
	{ "raw_path", FX_F_TEXT, 0, "the raw name when it had to be changed" },
	{ "name_flags", FX_F_INT, 0, "why the name was changed (fx-pull(1))" },
	{ "link", FX_F_TEXT, 0, "a link's target" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field app_fields[] = {
	{ "name", FX_F_STRING, 1, "package name" },
	{ "element", FX_F_STRING, 0, "package, or updated-package for a system app's factory version" },
	{ "code_path", FX_F_STRING, 0, "where its APK is" },
	{ "data_dir", FX_F_STRING, 0, "its data folder (packages.list)" },
	{ "installer", FX_F_STRING, 0, "the package that installed it" },
	{ "install_initiator", FX_F_STRING, 0, "the package that asked for the install" },
	{ "version", FX_F_INT, 0, "version code" },
	{ "target_sdk", FX_F_INT, 0, "target API level" },
	{ "uid", FX_F_INT, 0, "Linux user id" },
	{ "shared_uid", FX_F_INT, 0, "shared user id" },
	{ "flags", FX_F_INT, 0, "package flags" },
	{ "system", FX_F_BOOL, 0, "a system app" },
	{ "debuggable", FX_F_BOOL, 0, "debuggable (packages.list)" },
	{ "certificates", FX_F_ARRAY, 0, "SHA-256 of each signing certificate" },
	{ "first_install", FX_F_TIME, 0, "first installed" },
	{ "last_update", FX_F_TIME, 0, "last updated" },
	{ "modified", FX_F_TIME, 0, "its APK's modification time (ft)" },
	{ "encoding", FX_F_STRING, 0, "xml or abx: how packages.xml was written" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "the raw install time" },
	{ "time_unit", FX_F_STRING, 0, "its unit (unix_ms)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field wifi_fields[] = {
	{ "ssid", FX_F_TEXT, 0, "network name" },
	{ "ssid_hex", FX_F_STRING, 0, "the name in hex, when stored so" },
	{ "bssid", FX_F_STRING, 0, "access point address" },
	{ "psk", FX_F_STRING, 0, "the pre-shared key exactly as stored" },
	{ "passphrase", FX_F_STRING, 0, "the passphrase without quotes" },
	{ "psk_encrypted", FX_F_BOOL, 0, "the key is Keystore-encrypted, not in the file" },
	{ "security", FX_F_STRING, 0, "security type" },
	{ "hidden", FX_F_BOOL, 0, "a hidden network" },
	{ "creator", FX_F_STRING, 0, "app that saved it" },
	{ "config_key", FX_F_STRING, 0, "Android's key for it" },
	{ "identity", FX_F_STRING, 0, "802.1X identity" },
	{ "ip_assignment", FX_F_STRING, 0, "DHCP or STATIC" },
	{ "proxy_host", FX_F_STRING, 0, "proxy" },
	{ "dns_servers", FX_F_ARRAY, 0, "static DNS servers" },
	{ "has_ever_connected", FX_F_BOOL, 0, "the device has connected to it" },
	{ "created", FX_F_TIME, 0, "when it was saved" },
	{ "created_text", FX_F_STRING, 0, "AOSP's creation time text (local, no year)" },
	{ "last_connected", FX_F_TIME, 0, "last connection" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "the raw time" },
	{ "time_unit", FX_F_STRING, 0, "its unit (unix_ms)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field sms_fields[] = {
	{ "address", FX_F_TEXT, 0, "the other party's number or name" },
	{ "body", FX_F_TEXT, 0, "the text, exactly as stored" },
	{ "direction", FX_F_STRING, 1, "in, out, draft, outbox, failed, queued, unknown" },
	{ "type", FX_F_INT, 0, "the raw message type" },
	{ "read", FX_F_BOOL, 0, "read on the device" },
	{ "seen", FX_F_BOOL, 0, "seen on the device" },
	{ "locked", FX_F_BOOL, 0, "locked against deletion" },
	{ "thread_id", FX_F_INT, 0, "conversation" },
	{ "sent", FX_F_TIME, 0, "when the sender sent it (date_sent)" },
	{ "subject", FX_F_TEXT, 0, "subject" },
	{ "service_center", FX_F_TEXT, 0, "SMS service centre" },
	{ "status", FX_F_INT, 0, "delivery status" },
	{ "sub_id", FX_F_INT, 0, "SIM subscription" },
	{ "creator", FX_F_TEXT, 0, "app that wrote it" },
	{ "spam", FX_F_BOOL, 0, "from the maker's spam table" },
	{ "user", FX_F_INT, 0, "Android user (0 the owner)" },
	{ "time_raw", FX_F_INT, 0, "the raw date" },
	{ "time_unit", FX_F_STRING, 0, "its unit (unix_ms)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field mms_fields[] = {
	{ "direction", FX_F_STRING, 1, "in, out, draft, outbox, failed, unknown" },
	{ "box", FX_F_INT, 0, "the raw message box" },
	{ "from", FX_F_TEXT, 0, "sender" },
	{ "to", FX_F_ARRAY, 0, "recipients" },
	{ "subject", FX_F_TEXT, 0, "subject" },
	{ "body", FX_F_TEXT, 0, "the text parts, joined" },
	{ "parts", FX_F_ARRAY, 0, "parts: content_type, name, file, sha256 of the stored part" },
	{ "thread_id", FX_F_INT, 0, "conversation" },
	{ "message_id", FX_F_TEXT, 0, "MMS message id" },
	{ "read", FX_F_BOOL, 0, "read on the device" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "the raw date" },
	{ "time_unit", FX_F_STRING, 0, "its unit (unix_s)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field call_fields[] = {
	{ "number", FX_F_TEXT, 0, "the other party's number" },
	{ "direction", FX_F_STRING, 1, "in, out, missed, voicemail, rejected, blocked, answered_elsewhere, unknown" },
	{ "type", FX_F_INT, 0, "the raw call type" },
	{ "duration", FX_F_INT, 0, "seconds" },
	{ "name", FX_F_TEXT, 0, "name cached with the call" },
	{ "country", FX_F_TEXT, 0, "country ISO code" },
	{ "location", FX_F_TEXT, 0, "geocoded location" },
	{ "account", FX_F_TEXT, 0, "SIM subscription" },
	{ "read", FX_F_BOOL, 0, "seen in the call log" },
	{ "new", FX_F_BOOL, 0, "not yet acknowledged" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "the raw date" },
	{ "time_unit", FX_F_STRING, 0, "its unit (unix_ms)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field contact_fields[] = {
	{ "name", FX_F_TEXT, 0, "display name" },
	{ "phones", FX_F_ARRAY, 0, "numbers: number, kind, label" },
	{ "emails", FX_F_ARRAY, 0, "addresses: address, kind" },
	{ "organizations", FX_F_ARRAY, 0, "company and title" },
	{ "notes", FX_F_ARRAY, 0, "notes" },
	{ "account", FX_F_TEXT, 0, "account it syncs with" },
	{ "account_type", FX_F_TEXT, 0, "that account's type" },
	{ "deleted", FX_F_BOOL, 0, "marked deleted, not yet synced away" },
	{ "starred", FX_F_BOOL, 0, "a favourite" },
	{ "times_contacted", FX_F_INT, 0, "how often contacted" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "last contacted, raw" },
	{ "time_unit", FX_F_STRING, 0, "its unit (unix_ms)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field note_fields[] = {
	{ "text", FX_F_TEXT, 1, "the examiner's note" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field verification_fields[] = {
	{ "ok", FX_F_BOOL, 1, "true when nothing is broken" },
	{ "entries", FX_F_INT, 1, "custody entries checked" },
	{ "records", FX_F_INT, 1, "records checked" },
	{ "objects", FX_F_INT, 1, "objects re-hashed" },
	{ "bytes", FX_F_INT, 0, "bytes re-hashed" },
	{ "unreferenced", FX_F_INT, 0, "objects no custody entry names (a warning, not a problem)" },
	{ "root", FX_F_SHA256, 0, "custody Merkle root recomputed" },
	{ "problems", FX_F_ARRAY, 1, "each problem found, in order" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_type types[] = {
	{ "app", "an installed app (packages.xml, packages.list)", app_fields },
	{ "call", "a call in a call log", call_fields },
	{ "case", "a case: who opened it, where, and its parties", case_fields },
	{ "contact", "a contact (one raw contact of the contacts provider)", contact_fields },
	{ "custody", "one custody log entry", custody_fields },
	{ "device", "a device evidence came from", device_fields },
	{ "file", "a file stored as evidence", file_fields },
	{ "mms", "an MMS message", mms_fields },
	{ "note", "an examiner's note", note_fields },
	{ "sms", "an SMS message", sms_fields },
	{ "verification", "the result of fx-case verify", verification_fields },
	{ "wifi", "a saved Wi-Fi network", wifi_fields },
};

const struct fx_type *fx_types(size_t *n)
{
	*n = sizeof(types) / sizeof(types[0]);
	return types;
}

const struct fx_type *fx_type_find(const char *name)
{
	size_t lo = 0, hi = sizeof(types) / sizeof(types[0]), mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(name, types[mid].name);
		if (c == 0)
			return &types[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *fx_field_type_name(enum fx_field_type t)
{
	switch (t) {
	case FX_F_STRING: return "string";
	case FX_F_TEXT: return "text";
	case FX_F_INT: return "integer";
	case FX_F_NUMBER: return "number";
	case FX_F_BOOL: return "boolean";
	case FX_F_TIME: return "time";
	case FX_F_SHA256: return "sha256";
	case FX_F_OBJECT: return "object";
	case FX_F_ARRAY: return "array";
	case FX_F_ANY: return "any";
	}
	return "?";
}
