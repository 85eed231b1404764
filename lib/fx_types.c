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

static const struct fx_field consent_fields[] = {
	{ "category", FX_F_STRING, 1, "the category of evidence (fx-auth categories)" },
	{ "state", FX_F_STRING, 1, "granted, refused or revoked" },
	{ "at", FX_F_TIME, 1, "when the answer was recorded" },
	{ "method", FX_F_STRING, 0, "confirm (passive), code or qr (active)" },
	{ "nonce", FX_F_STRING, 0, "the workstation's nonce for this request" },
	{ "identity", FX_F_OBJECT, 0, "the device's identity as it gave it" },
	{ "confirmation", FX_F_OBJECT, 0, "the device's answer: granted, method, code, at" },
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
	{ "wifi_mac", FX_F_STRING, 0, "Wi-Fi adapter address" },
	{ "confidence", FX_F_OBJECT, 0, "for details read from a photo: each field's OCR confidence, 0 to 100" },
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

static const struct fx_field setting_fields[] = {
	{ "name", FX_F_TEXT, 1, "the setting's name" },
	{ "value", FX_F_TEXT, 0, "its value, as stored" },
	{ "store", FX_F_STRING, 0, "where it is kept (locksettings, …)" },
	{ "user", FX_F_INT, 0, "Android user" },
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

/* Browser and web-storage records (lib/android/browsers*.c, webstorage.c). */
static const struct fx_field autofill_fields[] = {
	{ "kind", FX_F_STRING, 1, "entry (a value typed in a form field), profile, card, server_card, form (legacy WebView)" },
	{ "name", FX_F_TEXT, 0, "the form field's name; for a card, the name on it" },
	{ "value", FX_F_TEXT, 0, "what was typed" },
	{ "count", FX_F_INT, 0, "times used" },
	{ "last_used", FX_F_TIME, 0, "when last used" },
	{ "url", FX_F_TEXT, 0, "the page of the form (legacy WebView)" },
	{ "guid", FX_F_TEXT, 0, "the profile's or card's id" },
	{ "origin", FX_F_TEXT, 0, "where the profile or card came from" },
	{ "card_number", FX_F_TEXT, 0, "the card number as stored: encrypted, so hex" },
	{ "fields", FX_F_OBJECT, 0, "the profile's or card's other columns as stored; names, emails, phones, tokens" },
	{ "browser", FX_F_STRING, 1, "the browser or app: Chrome, Samsung Internet, WebView, …" },
	{ "package", FX_F_STRING, 0, "the Android package whose data it is" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "created (entries) or modified (profiles, cards), raw" },
	{ "time_unit", FX_F_STRING, 0, "its unit (unix_s)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field bookmark_fields[] = {
	{ "title", FX_F_TEXT, 0, "the bookmark's name" },
	{ "url", FX_F_TEXT, 0, "its address" },
	{ "folder", FX_F_TEXT, 0, "the folders it is in, outermost first, joined by /" },
	{ "guid", FX_F_TEXT, 0, "the browser's id for it" },
	{ "bookmark_id", FX_F_TEXT, 0, "the browser's node id (Chromium)" },
	{ "last_used", FX_F_TIME, 0, "when last opened (Chromium)" },
	{ "modified", FX_F_TIME, 0, "when last changed" },
	{ "deleted", FX_F_BOOL, 0, "marked deleted, not yet synced away (Android browser)" },
	{ "account", FX_F_TEXT, 0, "the account it syncs with" },
	{ "browser", FX_F_STRING, 1, "the browser or app: Chrome, Samsung Internet, WebView, …" },
	{ "package", FX_F_STRING, 0, "the Android package whose data it is" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "when added, raw" },
	{ "time_unit", FX_F_STRING, 0, "its unit (webkit_us, unix_ms, unix_s)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field cookie_fields[] = {
	{ "host", FX_F_TEXT, 0, "the domain it is sent to" },
	{ "name", FX_F_TEXT, 0, "its name" },
	{ "value", FX_F_TEXT, 0, "its value as stored" },
	{ "encrypted_value", FX_F_TEXT, 0, "the encrypted value, as hex, when value is empty" },
	{ "path", FX_F_TEXT, 0, "the path it is sent for" },
	{ "expires", FX_F_TIME, 0, "when it expires" },
	{ "expires_raw", FX_F_INT, 0, "the raw expiry (0: a session cookie)" },
	{ "last_access", FX_F_TIME, 0, "when last sent" },
	{ "last_update", FX_F_TIME, 0, "when last changed" },
	{ "secure", FX_F_BOOL, 0, "sent over HTTPS only" },
	{ "httponly", FX_F_BOOL, 0, "hidden from scripts" },
	{ "persistent", FX_F_BOOL, 0, "kept across sessions" },
	{ "has_expires", FX_F_BOOL, 0, "has an expiry date" },
	{ "samesite", FX_F_INT, 0, "SameSite: -1 unspecified, 0 none, 1 lax, 2 strict" },
	{ "priority", FX_F_INT, 0, "priority: 0 low, 1 medium, 2 high" },
	{ "top_frame_site_key", FX_F_TEXT, 0, "the partition of a partitioned cookie" },
	{ "browser", FX_F_STRING, 1, "the browser or app: Chrome, Samsung Internet, WebView, …" },
	{ "package", FX_F_STRING, 0, "the Android package whose data it is" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "when created, raw" },
	{ "time_unit", FX_F_STRING, 0, "its unit (webkit_us)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field download_fields[] = {
	{ "url", FX_F_TEXT, 0, "the address downloaded, at the end of its redirects" },
	{ "url_chain", FX_F_ARRAY, 0, "the addresses from the first request to the last" },
	{ "target_path", FX_F_TEXT, 0, "where it was saved" },
	{ "current_path", FX_F_TEXT, 0, "where it is (a temporary name while in progress)" },
	{ "filename", FX_F_TEXT, 0, "the file's name (QQ Browser)" },
	{ "received_bytes", FX_F_INT, 0, "bytes received" },
	{ "total_bytes", FX_F_INT, 0, "bytes expected" },
	{ "state", FX_F_STRING, 0, "in_progress, complete, cancelled, interrupted, unknown" },
	{ "state_raw", FX_F_INT, 0, "the raw state" },
	{ "danger", FX_F_STRING, 0, "Safe Browsing's verdict: not_dangerous, dangerous_file, …, unknown" },
	{ "danger_raw", FX_F_INT, 0, "the raw danger type" },
	{ "interrupt_reason", FX_F_INT, 0, "why it was interrupted (0: it was not)" },
	{ "mime", FX_F_TEXT, 0, "MIME type" },
	{ "original_mime", FX_F_TEXT, 0, "MIME type the server sent" },
	{ "referrer", FX_F_TEXT, 0, "referring page" },
	{ "site_url", FX_F_TEXT, 0, "site that started it" },
	{ "tab_url", FX_F_TEXT, 0, "page shown in the tab" },
	{ "tab_referrer_url", FX_F_TEXT, 0, "that page's referrer" },
	{ "guid", FX_F_TEXT, 0, "the download's id" },
	{ "etag", FX_F_TEXT, 0, "HTTP ETag" },
	{ "last_modified", FX_F_TEXT, 0, "HTTP Last-Modified, as sent" },
	{ "opened", FX_F_BOOL, 0, "opened from the browser" },
	{ "end", FX_F_TIME, 0, "when it ended" },
	{ "last_access", FX_F_TIME, 0, "when last opened or shown" },
	{ "browser", FX_F_STRING, 1, "the browser or app: Chrome, Samsung Internet, WebView, …" },
	{ "package", FX_F_STRING, 0, "the Android package whose data it is" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "when it started, raw" },
	{ "time_unit", FX_F_STRING, 0, "its unit (webkit_us; unix_ms or unix_s)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field login_fields[] = {
	{ "origin", FX_F_TEXT, 0, "the page or host the login is for" },
	{ "action", FX_F_TEXT, 0, "where the form posts" },
	{ "realm", FX_F_TEXT, 0, "signon realm (Chromium) or HTTP authentication realm" },
	{ "username", FX_F_TEXT, 0, "user name" },
	{ "username_element", FX_F_TEXT, 0, "the user name field's name" },
	{ "password_element", FX_F_TEXT, 0, "the password field's name" },
	{ "password", FX_F_TEXT, 0, "as stored: Chromium's, encrypted, as hex; the legacy WebView's in clear" },
	{ "times_used", FX_F_INT, 0, "times filled in" },
	{ "blocked", FX_F_BOOL, 0, "the user chose never to save a password for this site" },
	{ "scheme", FX_F_INT, 0, "0 HTML form, 1 HTTP basic, 2 HTTP digest, 3 other" },
	{ "display_name", FX_F_TEXT, 0, "the account's display name" },
	{ "federation_url", FX_F_TEXT, 0, "identity provider of a federated login" },
	{ "last_used", FX_F_TIME, 0, "when last filled in" },
	{ "password_modified", FX_F_TIME, 0, "when the password last changed" },
	{ "browser", FX_F_STRING, 1, "the browser or app: Chrome, Samsung Internet, WebView, …" },
	{ "package", FX_F_STRING, 0, "the Android package whose data it is" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "when saved, raw" },
	{ "time_unit", FX_F_STRING, 0, "its unit (webkit_us; unix_s in old versions)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field search_fields[] = {
	{ "term", FX_F_TEXT, 0, "what was searched for, as typed" },
	{ "normalized_term", FX_F_TEXT, 0, "the term as the browser normalized it" },
	{ "url", FX_F_TEXT, 0, "the results page" },
	{ "url_id", FX_F_INT, 0, "its id in urls (Chromium)" },
	{ "keyword_id", FX_F_INT, 0, "the search engine's id (Chromium keywords)" },
	{ "browser", FX_F_STRING, 1, "the browser or app: Chrome, Samsung Internet, WebView, …" },
	{ "package", FX_F_STRING, 0, "the Android package whose data it is" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "when searched (Chromium: the results page's last visit), raw" },
	{ "time_unit", FX_F_STRING, 0, "its unit (webkit_us, unix_ms, unix_s)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field storage_fields[] = {
	{ "kind", FX_F_STRING, 1, "local (localStorage) or session (sessionStorage)" },
	{ "store", FX_F_STRING, 1, "leveldb or sqlite (the legacy .localstorage files)" },
	{ "entry", FX_F_STRING, 1, "item, meta, access, namespace, version, next_map_id, other" },
	{ "origin", FX_F_TEXT, 0, "the site the data belongs to" },
	{ "key", FX_F_TEXT, 0, "the script's key" },
	{ "value", FX_F_TEXT, 0, "its value (absent for a deletion)" },
	{ "deleted", FX_F_BOOL, 0, "a deletion (LevelDB tombstone)" },
	{ "live", FX_F_BOOL, 0, "the key's newest state among the files read; false: overwritten or deleted since" },
	{ "seq", FX_F_INT, 0, "LevelDB sequence number" },
	{ "pos", FX_F_INT, 0, "offset of the entry in its block or batch (src.offset)" },
	{ "namespace", FX_F_TEXT, 0, "sessionStorage namespace (a tab)" },
	{ "map_id", FX_F_TEXT, 0, "sessionStorage map number" },
	{ "size", FX_F_INT, 0, "the origin's storage size in bytes (meta)" },
	{ "browser", FX_F_STRING, 1, "the browser or app: Chrome, Samsung Internet, WebView, …" },
	{ "package", FX_F_STRING, 0, "the Android package whose data it is" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "last modified (meta) or accessed (access), raw" },
	{ "time_unit", FX_F_STRING, 0, "its unit (webkit_us)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field visit_fields[] = {
	{ "url", FX_F_TEXT, 0, "the page's address" },
	{ "title", FX_F_TEXT, 0, "its title" },
	{ "visit_id", FX_F_INT, 0, "the visit's id (Chromium visits)" },
	{ "url_id", FX_F_INT, 0, "the page's id (Chromium urls)" },
	{ "from_visit", FX_F_INT, 0, "the visit that led here (0: none)" },
	{ "transition", FX_F_INT, 0, "the raw ui::PageTransition" },
	{ "transition_core", FX_F_STRING, 0, "link, typed, auto_bookmark, auto_subframe, manual_subframe, generated, auto_toplevel, form_submit, reload, keyword, keyword_generated, unknown" },
	{ "transition_qualifiers", FX_F_ARRAY, 0, "forward_back, from_address_bar, home_page, from_api, chain_start, chain_end, client_redirect, server_redirect, blocked, …" },
	{ "visit_duration", FX_F_INT, 0, "µs the page was shown" },
	{ "source", FX_F_STRING, 0, "browsed, synced (from another device), extension, …_imported" },
	{ "visit_count", FX_F_INT, 0, "visits to the page" },
	{ "typed_count", FX_F_INT, 0, "times its address was typed" },
	{ "hidden", FX_F_BOOL, 0, "not shown in the history list" },
	{ "original_url", FX_F_TEXT, 0, "address before redirects (UC Browser)" },
	{ "created", FX_F_TIME, 0, "first recorded (Android browser)" },
	{ "browser", FX_F_STRING, 1, "the browser or app: Chrome, Samsung Internet, WebView, …" },
	{ "package", FX_F_STRING, 0, "the Android package whose data it is" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "the visit, or the page's last visit, raw" },
	{ "time_unit", FX_F_STRING, 0, "its unit (webkit_us, unix_ms, unix_s)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field webcache_fields[] = {
	{ "url", FX_F_TEXT, 0, "the address cached" },
	{ "file", FX_F_TEXT, 0, "the cache file's name, in cache/webviewCache/" },
	{ "file_sha256", FX_F_SHA256, 0, "the stored cache file, when the source had it" },
	{ "mime", FX_F_TEXT, 0, "MIME type" },
	{ "encoding", FX_F_TEXT, 0, "character set" },
	{ "status", FX_F_INT, 0, "HTTP status" },
	{ "content_length", FX_F_INT, 0, "bytes" },
	{ "etag", FX_F_TEXT, 0, "HTTP ETag" },
	{ "last_modified", FX_F_TEXT, 0, "HTTP Last-Modified, as sent" },
	{ "expires", FX_F_TIME, 0, "when it expires" },
	{ "expires_text", FX_F_TEXT, 0, "HTTP Expires, as sent" },
	{ "location", FX_F_TEXT, 0, "HTTP Location (a redirect)" },
	{ "disposition", FX_F_TEXT, 0, "HTTP Content-Disposition" },
	{ "browser", FX_F_STRING, 1, "the browser or app: Chrome, Samsung Internet, WebView, …" },
	{ "package", FX_F_STRING, 0, "the Android package whose data it is" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field indicator_fields[] = {
	{ "kind", FX_F_STRING, 1, "url, domain, ip, email, phone, card, crypto, account or payqr" },
	{ "value", FX_F_STRING, 1, "the identifier, normalised (E.164, lowercase host, …)" },
	{ "node", FX_F_STRING, 1, "its node in the graph: kind:value" },
	{ "detail", FX_F_STRING, 0, "what sort: mobile, landline, visa, bitcoin, wechat, emvco, v4, …" },
	{ "count", FX_F_INT, 1, "records it was found in" },
	{ "sources", FX_F_INT, 1, "independent sources (different source files) among them" },
	{ "seen_in", FX_F_ARRAY, 0, "the types of those records" },
	{ "devices", FX_F_ARRAY, 0, "the devices of those records" },
	{ "raw", FX_F_ARRAY, 0, "forms it was written in, when not the value (up to 8)" },
	{ "first_seen", FX_F_TIME, 0, "the earliest of those records' times" },
	{ "last_seen", FX_F_TIME, 0, "the latest" },
	{ "host", FX_F_STRING, 0, "the host of a URL or an e-mail address" },
	{ "registrable", FX_F_STRING, 0, "the registrable domain (public suffix list)" },
	{ "suffix", FX_F_STRING, 0, "the public suffix" },
	{ "ip_class", FX_F_STRING, 0, "public, private, loopback, link-local, shared, multicast, documentation, reserved" },
	{ "country", FX_F_STRING, 0, "the country of a public address (offline GeoIP)" },
	{ "region", FX_F_STRING, 0, "the country of a phone number, by its calling code" },
	{ "web", FX_F_OBJECT, 0, "what web captures recorded about the host: server, x_powered_by, cert_issuer, …" },
	{ "records_sha256", FX_F_SHA256, 0, "SHA-256 over the ids of all those records, in order" },
	{ "basis", FX_F_SHA256, 0, "the build's input: SHA-256 of the ids of the records read and the options" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field link_fields[] = {
	{ "a", FX_F_STRING, 1, "one node, kind:value (the lesser)" },
	{ "b", FX_F_STRING, 1, "the other node" },
	{ "kinds", FX_F_ARRAY, 1, "communication, contact, cooccurrence, time" },
	{ "count", FX_F_INT, 1, "records that support the edge" },
	{ "sources", FX_F_INT, 1, "independent sources (different source files) among them" },
	{ "score", FX_F_NUMBER, 1, "ln(1 + count) + sources + time proximity" },
	{ "gap_ms", FX_F_INT, 0, "for a time edge, the closest two events, in ms" },
	{ "in", FX_F_INT, 0, "communications from b to a" },
	{ "out", FX_F_INT, 0, "communications from a to b" },
	{ "first_seen", FX_F_TIME, 0, "the earliest supporting record's time" },
	{ "last_seen", FX_F_TIME, 0, "the latest" },
	{ "records_sha256", FX_F_SHA256, 1, "SHA-256 over the ids of all supporting records, in order" },
	{ "basis", FX_F_SHA256, 1, "the build's input: SHA-256 of the ids of the records read and the options" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field note_fields[] = {
	{ "text", FX_F_TEXT, 1, "the examiner's note" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field report_fields[] = {
	{ "form", FX_F_STRING, 1, "the form filled: case, collection, analysis, appraisal, transcript, …" },
	{ "lang", FX_F_STRING, 1, "its language: zh-CN or en" },
	{ "formats", FX_F_ARRAY, 1, "what was rendered: html, pdf" },
	{ "dir", FX_F_STRING, 1, "its folder under reports/" },
	{ "files", FX_F_ARRAY, 1, "every file of it: path in the folder, sha256 (stored object), size" },
	{ "sha256", FX_F_SHA256, 0, "the main document (report.pdf, else index.html), for fx-sign" },
	{ "records", FX_F_INT, 0, "records shown" },
	{ "pages", FX_F_INT, 0, "pages of the PDF" },
	{ "fields", FX_F_OBJECT, 0, "form fields given on the command line" },
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
	{ "checkpoints", FX_F_INT, 0, "signed checkpoints checked against the log (fx-sign)" },
	{ "problems", FX_F_ARRAY, 1, "each problem found, in order" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field signature_fields[] = {
	{ "role", FX_F_STRING, 1, "signer, certifier or verifier (a CAdES commitment type in the CMS)" },
	{ "target", FX_F_STRING, 1, "what is signed: file, report, manifest or checkpoint" },
	{ "content_sha256", FX_F_SHA256, 1, "SHA-256 of the signed bytes (the CMS messageDigest)" },
	{ "path", FX_F_TEXT, 0, "the signed file as named" },
	{ "sha256", FX_F_SHA256, 1, "the detached CMS (DER) after this signature, an object" },
	{ "index", FX_F_INT, 1, "this party's SignerInfo in the CMS, from 0" },
	{ "signers", FX_F_INT, 1, "SignerInfos in the CMS after this signature" },
	{ "subject", FX_F_STRING, 1, "the signer certificate's subject" },
	{ "issuer", FX_F_STRING, 1, "its issuer" },
	{ "serial", FX_F_STRING, 1, "its serial number, hex" },
	{ "cert_sha256", FX_F_SHA256, 1, "SHA-256 of its DER (the ESS signing-certificate-v2 hash)" },
	{ "not_after", FX_F_TIME, 1, "when it expires" },
	{ "algorithm", FX_F_STRING, 1, "the key: p256, rsa3072, …" },
	{ "key", FX_F_STRING, 0, "the key's name in $FX_HOME" },
	{ "ink_sha256", FX_F_SHA256, 0, "a handwritten signature image bound in the signed attributes, an object" },
	{ "ink_signer", FX_F_TEXT, 0, "whose handwriting it is" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field timestamp_fields[] = {
	{ "target", FX_F_STRING, 1, "what is stamped: file, signature, checkpoint or renewal" },
	{ "imprint", FX_F_SHA256, 1, "the SHA-256 message imprint in the token" },
	{ "sha256", FX_F_SHA256, 1, "the token (DER TimeStampToken), an object" },
	{ "path", FX_F_TEXT, 0, "the stamped file as named" },
	{ "content_sha256", FX_F_SHA256, 0, "for a signature timestamp: the bytes its CMS signs" },
	{ "cms_sha256", FX_F_SHA256, 0, "for a signature timestamp: the CMS carrying it, an object" },
	{ "index", FX_F_INT, 0, "for a signature timestamp: the signer it stamps" },
	{ "renews", FX_F_STRING, 0, "for a renewal: timestamp or signature, the object the imprint names" },
	{ "tsa", FX_F_STRING, 0, "the TSA's URL" },
	{ "tsa_subject", FX_F_STRING, 1, "the TSA certificate's subject" },
	{ "tsa_cert_sha256", FX_F_SHA256, 1, "SHA-256 of the TSA certificate (pinned)" },
	{ "tsa_not_after", FX_F_TIME, 1, "when the TSA certificate expires" },
	{ "serial", FX_F_STRING, 1, "the token's serial number, hex" },
	{ "policy", FX_F_STRING, 1, "the TSA policy OID" },
	{ "nonce", FX_F_STRING, 0, "the request's nonce, hex" },
	{ "gen_time", FX_F_TIME, 1, "the time the TSA vouches for" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field checkpoint_fields[] = {
	{ "origin", FX_F_STRING, 1, "the checkpoint's origin line: fx-case/CASE-ID" },
	{ "size", FX_F_INT, 1, "custody entries the tree covers" },
	{ "root", FX_F_SHA256, 1, "the RFC 9162 root hash (base64 in the note)" },
	{ "sha256", FX_F_SHA256, 1, "the signed note after this signature, an object" },
	{ "text_sha256", FX_F_SHA256, 1, "the note text alone (what is signed and stamped), an object" },
	{ "tiles_sha256", FX_F_SHA256, 0, "the roots of the complete 256-entry blocks, an object (fast proofs)" },
	{ "key", FX_F_STRING, 1, "the key name in the note's signature line" },
	{ "key_id", FX_F_STRING, 1, "its signed-note key ID, 8 hex digits" },
	{ "algorithm", FX_F_STRING, 1, "ed25519, ecdsa-sha256 or rsa-pkcs1-sha256" },
	{ "subject", FX_F_STRING, 1, "the signer certificate's subject" },
	{ "issuer", FX_F_STRING, 1, "its issuer" },
	{ "serial", FX_F_STRING, 1, "its serial number, hex" },
	{ "cert_sha256", FX_F_SHA256, 1, "SHA-256 of its DER, an object" },
	{ "not_after", FX_F_TIME, 1, "when it expires" },
	{ "cosign", FX_F_BOOL, 0, "true when this signature was added to an existing checkpoint" },
	{ "signatures", FX_F_INT, 1, "signature lines in the note after this one" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field account_fields[] = {
	{ "store", FX_F_STRING, 1, "ce (accounts_ce.db), de (accounts_de.db) or legacy (accounts.db)" },
	{ "account_id", FX_F_INT, 0, "the account's _id, the same in its ce and de rows" },
	{ "name", FX_F_TEXT, 0, "account name (often an e-mail address or a phone number)" },
	{ "type", FX_F_TEXT, 0, "account type: com.google, com.tencent.mm.account, …" },
	{ "password", FX_F_TEXT, 0, "the password column exactly as stored (a secret or a token)" },
	{ "previous_name", FX_F_TEXT, 0, "the name before a rename" },
	{ "authtokens", FX_F_INT, 0, "how many auth tokens are cached (values not copied)" },
	{ "authtoken_types", FX_F_ARRAY, 0, "the types of those tokens" },
	{ "extras", FX_F_INT, 0, "how many extras (key and value pairs) it has" },
	{ "grants", FX_F_ARRAY, 0, "apps granted its tokens: auth_token_type, uid" },
	{ "visibility", FX_F_ARRAY, 0, "apps it is visible to or hidden from: package, value" },
	{ "history", FX_F_ARRAY, 0, "the debug log: action, local_time (raw), caller_uid, table" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ "time_raw", FX_F_INT, 0, "last authenticated (last_password_entry_time_millis_epoch)" },
	{ "time_unit", FX_F_STRING, 0, "its unit (unix_ms)" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field ocr_fields[] = {
	{ "text", FX_F_TEXT, 1, "the text read, line by line" },
	{ "confidence", FX_F_INT, 0, "mean word confidence, 0 to 100" },
	{ "languages", FX_F_STRING, 0, "tesseract models read with: eng+chi_sim" },
	{ "lines", FX_F_ARRAY, 0, "lines: text, conf, box [x, y, w, h], lang (the model that read it)" },
	{ "words", FX_F_ARRAY, 0, "words: text, conf, box [x, y, w, h], line (index into lines)" },
	{ "image_width", FX_F_INT, 0, "width of the image as given" },
	{ "image_height", FX_F_INT, 0, "height of the image as given" },
	{ "preprocess", FX_F_OBJECT, 0, "what was done to read it: inverted, scale, skew (degrees), reduction, text_height" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field verdict_fields[] = {
	{ "result", FX_F_STRING, 1, "match or no-match" },
	{ "steps", FX_F_ARRAY, 1, "each step found: step, text, frame, time (s), sha256 of the frame file" },
	{ "failed_step", FX_F_INT, 0, "on a no-match: the step not shown" },
	{ "failed_frame", FX_F_STRING, 0, "the frame where it went wrong" },
	{ "failed_time", FX_F_NUMBER, 0, "its time (s)" },
	{ "reason", FX_F_STRING, 0, "why there is no match" },
	{ "window", FX_F_OBJECT, 0, "on a match: the capture window, start and end (s)" },
	{ "evidence", FX_F_ARRAY, 0, "the frames of the window, stored: frame, time (s), sha256" },
	{ "frames", FX_F_INT, 0, "frames read" },
	{ "kept", FX_F_INT, 0, "frames left to check once near-identical ones were merged" },
	{ "similarity", FX_F_NUMBER, 0, "the threshold frames were merged by" },
	{ "video", FX_F_OBJECT, 0, "a video's path, sha256 and the fps it was sampled at" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field idcard_fields[] = {
	{ "number", FX_F_STRING, 1, "the 18-character identity number as read" },
	{ "number_valid", FX_F_BOOL, 1, "its ISO 7064 MOD 11-2 check character is right" },
	{ "confidence", FX_F_INT, 0, "the number's OCR confidence, 0 to 100" },
	{ "name", FX_F_TEXT, 0, "姓名 as printed" },
	{ "sex", FX_F_TEXT, 0, "性别 as printed" },
	{ "nation", FX_F_TEXT, 0, "民族 as printed" },
	{ "birth", FX_F_STRING, 0, "出生 as printed, YYYY-MM-DD" },
	{ "address", FX_F_TEXT, 0, "住址 as printed, its lines joined" },
	{ "region_code", FX_F_STRING, 0, "the number's administrative division code" },
	{ "number_birth", FX_F_STRING, 0, "the birth date the number encodes" },
	{ "number_sex", FX_F_STRING, 0, "the sex the number encodes (男 odd, 女 even)" },
	{ "consistent", FX_F_BOOL, 0, "the printed birth date and sex agree with the number" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field code_fields[] = {
	{ "symbology", FX_F_STRING, 1, "QR-Code, EAN-13, CODE-128, … (zbar's names)" },
	{ "payload", FX_F_TEXT, 1, "the encoded bytes exactly: text, or hex when not UTF-8" },
	{ "box", FX_F_OBJECT, 0, "bounding box in image pixels: x, y, w, h" },
	{ "polygon", FX_F_ARRAY, 0, "the outline as located: [x, y] points" },
	{ "orientation", FX_F_STRING, 0, "up, right, down, left or unknown" },
	{ "quality", FX_F_INT, 0, "the decoder's quality score" },
	{ "image_width", FX_F_INT, 0, "width of the image scanned" },
	{ "image_height", FX_F_INT, 0, "height of the image scanned" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field pairing_fields[] = {
	{ "paired", FX_F_TIME, 1, "when the device agent paired" },
	{ "fingerprint", FX_F_SHA256, 1, "SHA-256 of the workstation's certificate it pinned" },
	{ "peer", FX_F_STRING, 0, "the agent's address and port" },
	{ "identity", FX_F_OBJECT, 0, "model, serial, IMEI as the agent gave them" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field photo_fields[] = {
	{ "kind", FX_F_STRING, 1, "image or video" },
	{ "format", FX_F_STRING, 1, "jpeg, png, webp, gif, bmp, heic, heif, avif, mp4, mov, 3gp" },
	{ "width", FX_F_INT, 0, "pixels across" },
	{ "height", FX_F_INT, 0, "pixels down" },
	{ "orientation", FX_F_INT, 0, "EXIF orientation, 1 to 8" },
	{ "exif", FX_F_BOOL, 0, "whether it has an EXIF block" },
	{ "make", FX_F_TEXT, 0, "camera maker (EXIF Make)" },
	{ "model", FX_F_TEXT, 0, "camera model (EXIF Model)" },
	{ "software", FX_F_TEXT, 0, "firmware or editor (EXIF Software)" },
	{ "taken_raw", FX_F_TEXT, 0, "DateTimeOriginal as stored" },
	{ "taken_subsec", FX_F_TEXT, 0, "SubSecTimeOriginal as stored" },
	{ "taken_offset", FX_F_TEXT, 0, "OffsetTimeOriginal as stored" },
	{ "taken_local", FX_F_STRING, 0, "when taken, local wall-clock time (no zone)" },
	{ "taken_zone", FX_F_STRING, 0, "offset: time is taken_local at taken_offset; unknown: zone not recorded" },
	{ "modified_raw", FX_F_TEXT, 0, "EXIF DateTime (last change) as stored" },
	{ "latitude", FX_F_NUMBER, 0, "GPS latitude, signed decimal degrees" },
	{ "longitude", FX_F_NUMBER, 0, "GPS longitude, signed decimal degrees" },
	{ "latitude_raw", FX_F_STRING, 0, "GPSLatitude rationals and reference as stored" },
	{ "longitude_raw", FX_F_STRING, 0, "GPSLongitude rationals and reference as stored" },
	{ "altitude", FX_F_NUMBER, 0, "metres above sea level (negative below)" },
	{ "gps_time", FX_F_TIME, 0, "GPS date and time stamp (UTC)" },
	{ "location_raw", FX_F_TEXT, 0, "a video's ISO 6709 location as stored" },
	{ "duration", FX_F_NUMBER, 0, "a video's length in seconds" },
	{ "created_raw", FX_F_INT, 0, "a video's creation time, seconds since 1904 (UTC)" },
	{ "codes", FX_F_INT, 0, "QR codes and barcodes found in it (code records)" },
	{ "problem", FX_F_TEXT, 0, "what was damaged, when something was" },
	{ "user", FX_F_INT, 0, "Android user" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field capture_fields[] = {
	{ "url", FX_F_STRING, 1, "the address asked for" },
	{ "final_url", FX_F_STRING, 1, "the address of the page, after the redirects" },
	{ "title", FX_F_TEXT, 0, "the page's title" },
	{ "started", FX_F_TIME, 1, "when the capture started" },
	{ "finished", FX_F_TIME, 1, "when it ended" },
	{ "verdict", FX_F_STRING, 1, "ok, caution, suspicious or failed: the worst reason's severity" },
	{ "reasons", FX_F_ARRAY, 1, "the findings: code, severity (info, caution, suspicious, failed), text" },
	{ "complete", FX_F_BOOL, 1, "everything asked for was captured" },
	{ "problems", FX_F_ARRAY, 0, "why the capture is incomplete: url and problem" },
	{ "hops", FX_F_ARRAY, 1, "each exchange of the redirect chain with its address data: url, status, dns, ip, port, tls (version, cipher, chain, verification), location, hsts, sha256" },
	{ "page_sha256", FX_F_SHA256, 0, "SHA-256 of the page's body (transfer coding removed)" },
	{ "domain", FX_F_OBJECT, 0, "the page's host: registrable domain, Unicode form, skeleton, scripts, look-alike flags" },
	{ "resources", FX_F_ARRAY, 0, "each linked resource: url, kind, status, sha256, size, type, class, error" },
	{ "resource_count", FX_F_INT, 0, "resources fetched" },
	{ "resources_failed", FX_F_INT, 0, "of them, those that failed or answered 4xx/5xx" },
	{ "hosts", FX_F_ARRAY, 0, "the resources' hosts: host, class (same-site, cdn, third-party), count" },
	{ "forms", FX_F_ARRAY, 0, "the page's forms: action, method, host, cross_domain, password" },
	{ "wacz_sha256", FX_F_SHA256, 1, "the stored WACZ package" },
	{ "warc_sha256", FX_F_SHA256, 1, "the stored WARC (gzip)" },
	{ "screenshot_sha256", FX_F_SHA256, 0, "the stored screenshot (PNG)" },
	{ "screenshot", FX_F_STRING, 0, "how the screenshot was taken, or why not" },
	{ "sign", FX_F_STRING, 0, "what fx-sign was asked to do, or why not" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field comparison_fields[] = {
	{ "capture", FX_F_STRING, 1, "the capture compared with: a file, a record id or a WACZ hash" },
	{ "url", FX_F_STRING, 1, "the captured page's address" },
	{ "offered", FX_F_STRING, 1, "the page offered: a file or a URL" },
	{ "offered_kind", FX_F_STRING, 1, "file or url" },
	{ "result", FX_F_STRING, 1, "identical or different" },
	{ "compared", FX_F_TIME, 1, "when the comparison was made" },
	{ "captured_sha256", FX_F_SHA256, 1, "SHA-256 of the captured page's body" },
	{ "offered_sha256", FX_F_SHA256, 1, "SHA-256 of the page offered" },
	{ "text_changed", FX_F_BOOL, 0, "the visible text differs" },
	{ "text_removed", FX_F_ARRAY, 0, "text lines of the capture not in the page offered (at most 50)" },
	{ "text_added", FX_F_ARRAY, 0, "text lines of the page offered not in the capture (at most 50)" },
	{ "text_lines_removed", FX_F_INT, 0, "how many lines were removed" },
	{ "text_lines_added", FX_F_INT, 0, "how many lines were added" },
	{ "resources_added", FX_F_ARRAY, 0, "resources only the page offered links to: url, offered_sha256" },
	{ "resources_removed", FX_F_ARRAY, 0, "resources only the capture links to: url, captured_sha256" },
	{ "resources_changed", FX_F_ARRAY, 0, "resources whose bytes differ: url, captured_sha256, offered_sha256" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field carved_fields[] = {
	{ "table", FX_F_TEXT, 0, "the table the row is attributed to (absent when no schema fits)" },
	{ "table_confidence", FX_F_NUMBER, 1, "how sure the attribution is, 0 to 1" },
	{ "index", FX_F_TEXT, 0, "for a deleted index key: the index it came from" },
	{ "columns", FX_F_ARRAY, 1, "the values by column: name, type, value, intact" },
	{ "rowid", FX_F_INT, 0, "the rowid, when its bytes survive" },
	{ "region", FX_F_STRING, 1, "freeblock, unallocated, cell, freelist, unreachable or index" },
	{ "page", FX_F_INT, 1, "the database page the bytes belong to" },
	{ "offset", FX_F_INT, 1, "byte offset of the cell in the file it came from" },
	{ "file", FX_F_STRING, 1, "db, wal or journal: the file it came from" },
	{ "wal_frame", FX_F_INT, 0, "the WAL frame (from 1), for a row from a WAL" },
	{ "wal_salt", FX_F_ARRAY, 0, "that frame's salt-1 and salt-2" },
	{ "wal_state", FX_F_STRING, 0, "committed, uncommitted or stale: that frame's standing" },
	{ "overflow_pages", FX_F_INT, 0, "overflow pages read for the row" },
	{ "overflow_broken", FX_F_BOOL, 0, "its overflow chain ended before the payload did" },
	{ "partial", FX_F_BOOL, 1, "some values are lost (see columns[].intact)" },
	{ "confidence", FX_F_NUMBER, 1, "how sure it is that these bytes are this row, 0 to 1" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_type types[] = {
	{ "account", "an account of the Android AccountManager", account_fields },
	{ "app", "an installed app (packages.xml, packages.list)", app_fields },
	{ "autofill", "a form value, address profile or card a browser saved for filling in", autofill_fields },
	{ "bookmark", "a browser bookmark", bookmark_fields },
	{ "call", "a call in a call log", call_fields },
	{ "capture", "a web page captured with its address and link data, and its judgement", capture_fields },
	{ "carved", "a deleted SQLite row recovered by fx-carve", carved_fields },
	{ "case", "a case: who opened it, where, and its parties", case_fields },
	{ "checkpoint", "a signed checkpoint of the custody log (C2SP tlog-checkpoint)", checkpoint_fields },
	{ "code", "a QR code or barcode found in an image", code_fields },
	{ "comparison", "a page offered later compared with a web capture", comparison_fields },
	{ "consent", "the reporter's answer to a request for a category of evidence", consent_fields },
	{ "contact", "a contact (one raw contact of the contacts provider)", contact_fields },
	{ "cookie", "a browser or WebView cookie", cookie_fields },
	{ "custody", "one custody log entry", custody_fields },
	{ "device", "a device evidence came from", device_fields },
	{ "download", "a download in a browser's history", download_fields },
	{ "file", "a file stored as evidence", file_fields },
	{ "idcard", "a PRC resident identity card read from a photo", idcard_fields },
	{ "indicator", "an identifier found in the records, described", indicator_fields },
	{ "link", "an edge of the association graph, with its support", link_fields },
	{ "login", "a login a browser or WebView saved", login_fields },
	{ "mms", "an MMS message", mms_fields },
	{ "note", "an examiner's note", note_fields },
	{ "ocr", "the text of an image, with word boxes and confidences", ocr_fields },
	{ "pairing", "a device agent paired with the workstation (fx-pair)", pairing_fields },
	{ "photo", "a photo or video and what it says about itself (EXIF, …)", photo_fields },
	{ "report", "a rendered report (fx-report), stored in the case", report_fields },
	{ "search", "a search typed in a browser", search_fields },
	{ "setting", "a device setting (the lock screen's, …)", setting_fields },
	{ "signature", "a party's detached CMS signature (CAdES-BES)", signature_fields },
	{ "sms", "an SMS message", sms_fields },
	{ "storage", "an HTML5 localStorage or sessionStorage entry", storage_fields },
	{ "timestamp", "an RFC 3161 timestamp token", timestamp_fields },
	{ "verdict", "the check of a prompted screen recording (fx-ocr prompt-check)", verdict_fields },
	{ "verification", "the result of fx-case verify", verification_fields },
	{ "visit", "a page visit in a browser's history", visit_fields },
	{ "webcache", "an entry of the legacy WebView's HTTP cache index", webcache_fields },
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
