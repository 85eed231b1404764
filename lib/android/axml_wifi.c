/*
 * axml_wifi.c - saved Wi-Fi networks: fx_axml_wifi() over WifiConfigStore.xml
 * (values written by XmlUtils.writeValueXml: <string name="SSID">,
 * <int name=... value=...>, ...) and fx_android_wpa_supplicant() over the
 * older wpa_supplicant.conf.
 */
#include <stdlib.h>
#include <string.h>

#include "fx_axml.h"
#include "fx_err.h"
#include "axml_int.h"
#include "fx_banned.h"

/* WifiConfiguration.KeyMgmt bit numbers. */
static const char *const key_mgmt_names[] = {
	"NONE",	      "WPA_PSK",     "WPA_EAP",	       "IEEE8021X",	 "WPA2_PSK",  "OSEN",
	"FT_PSK",     "FT_EAP",	     "SAE",	       "OWE",		 "SUITE_B_192",
	"WPA_PSK_SHA256", "WPA_EAP_SHA256", "WAPI_PSK", "WAPI_CERT", "FILS_SHA256",
	"FILS_SHA384", "DPP",
};

/* WifiConfiguration.SECURITY_TYPE_* values. */
static const char *const security_type_names[] = {
	"OPEN",	    "WEP",	 "PSK",	     "EAP",	"SAE",	"EAP_WPA3_ENTERPRISE_192_BIT",
	"OWE",	    "WAPI_PSK", "WAPI_CERT", "EAP_WPA3_ENTERPRISE", "OSEN",
	"PASSPOINT_R1_R2", "PASSPOINT_R3", "DPP",
};

#define NAMES(a) (sizeof(a) / sizeof((a)[0]))

/* The value element <type name="name" ...> among a section's children. */
static const json_t *value_el(const json_t *section, const char *name)
{
	const json_t *children = json_object_get(section, "children"), *c;
	const char *n;
	size_t i;

	json_array_foreach(children, i, c) {
		n = fx_axml_attr_str(c, "name");
		if (n && strcmp(n, name) == 0)
			return c;
	}
	return NULL;
}

/* A <string> value: its text ("" when empty); NULL when absent or <null>. */
static const char *sec_str(const json_t *section, const char *name)
{
	const json_t *v = value_el(section, name);
	const char *t;

	if (!v || strcmp(axml_tag(v), "string") != 0)
		return NULL;
	t = json_string_value(json_object_get(v, "text"));
	return t ? t : "";
}

/* An <int> or <long> value (either encoding). Returns 0 or -1. */
static int sec_int(const json_t *section, const char *name, long long *out)
{
	const json_t *v = value_el(section, name);
	const char *tag = axml_tag(v);

	if (!v || (strcmp(tag, "int") != 0 && strcmp(tag, "long") != 0))
		return -1;
	return fx_axml_attr_int(v, "value", 10, out);
}

/* A <boolean> value. Returns 0 and sets *out, or -1. */
static int sec_bool(const json_t *section, const char *name, int *out)
{
	const json_t *v = value_el(section, name), *val;
	const char *s;

	if (!v || strcmp(axml_tag(v), "boolean") != 0)
		return -1;
	val = json_object_get(json_object_get(v, "attrs"), "value");
	if (json_is_boolean(val)) {
		*out = json_is_true(val);
		return 0;
	}
	s = json_string_value(val);
	if (!s || (strcmp(s, "true") != 0 && strcmp(s, "false") != 0))
		return -1;
	*out = s[0] == 't';
	return 0;
}

/* The <item value> strings of a <string-array>; new reference, or NULL. */
static json_t *sec_strings(const json_t *section, const char *name, int skip_empty)
{
	const json_t *v = value_el(section, name), *children, *c;
	json_t *out;
	const char *s;
	size_t i;

	if (!v || strcmp(axml_tag(v), "string-array") != 0)
		return NULL;
	out = json_array();
	children = json_object_get(v, "children");
	json_array_foreach(children, i, c) {
		s = fx_axml_attr_str(c, "value");
		if (s && !(skip_empty && !*s))
			json_array_append_new(out, json_string(s));
	}
	if (json_array_size(out) == 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static void put_str(json_t *o, const char *key, const json_t *section, const char *name)
{
	const char *s = sec_str(section, name);

	if (s && *s)
		json_object_set_new(o, key, json_string(s));
}

static void put_int(json_t *o, const char *key, const json_t *section, const char *name)
{
	long long v;

	if (sec_int(section, name, &v) == 0)
		json_object_set_new(o, key, json_integer(v));
}

static void put_bool(json_t *o, const char *key, const json_t *section, const char *name)
{
	int v;

	if (sec_bool(section, name, &v) == 0)
		json_object_set_new(o, key, json_boolean(v));
}

static void put_time(json_t *o, const char *key, const json_t *section, const char *name)
{
	long long v;

	if (sec_int(section, name, &v) == 0 && v > 0)
		json_object_set_new(o, key, json_integer(v));
}

static int quoted(const char *s, size_t n)
{
	return n >= 2 && s[0] == '"' && s[n - 1] == '"';
}

/* "ssid" (and "ssidHex") from an SSID as Android stores it: quoted text, or hex. */
static void put_ssid(json_t *o, const char *s)
{
	size_t n = strlen(s), len;
	unsigned char *raw;

	if (quoted(s, n)) {
		json_object_set_new(o, "ssid", json_stringn(s + 1, n - 2));
		return;
	}
	if (n > 0 && (raw = axml_unhex(s, n, &len)) != NULL) {
		json_object_set_new(o, "ssidHex", json_string(s));
		if (axml_utf8_ok((const char *)raw, len))
			json_object_set_new(o, "ssid", json_stringn((const char *)raw, len));
		free(raw);
		return;
	}
	json_object_set_new(o, "ssid", json_string(s));
}

/* "psk" as stored, and "passphrase" when it is a quoted passphrase. */
static void put_psk(json_t *o, const char *s, size_t n)
{
	json_object_set_new(o, "psk", json_stringn(s, n));
	if (quoted(s, n))
		json_object_set_new(o, "passphrase", json_stringn(s + 1, n - 2));
}

/* Names of the bits set in a BitSet.toByteArray() (little-endian) given as hex. */
static json_t *bit_names(const char *hex, const char *const *names, size_t count)
{
	json_t *out;
	unsigned char *b;
	size_t n, i;
	char other[32];

	if (!hex || !(b = axml_unhex(hex, strlen(hex), &n)))
		return NULL;
	out = json_array();
	for (i = 0; i < n * 8; i++) {
		if (!(b[i / 8] & (1u << (i % 8))))
			continue;
		if (i < count) {
			json_array_append_new(out, json_string(names[i]));
		} else {
			snprintf(other, sizeof(other), "bit %zu", i);
			json_array_append_new(out, json_string(other));
		}
	}
	free(b);
	if (json_array_size(out) == 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *security_types(const json_t *list)
{
	const json_t *children = json_object_get(list, "children"), *c;
	json_t *out = json_array();
	char other[32];
	long long t;
	size_t i;

	json_array_foreach(children, i, c) {
		if (strcmp(axml_tag(c), "SecurityParams") != 0 || sec_int(c, "SecurityType", &t) < 0)
			continue;
		if (t >= 0 && (unsigned long long)t < NAMES(security_type_names)) {
			json_array_append_new(out, json_string(security_type_names[t]));
		} else {
			snprintf(other, sizeof(other), "type %lld", t);
			json_array_append_new(out, json_string(other));
		}
	}
	if (json_array_size(out) == 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static void configuration(json_t *o, const json_t *c)
{
	const char *ssid = sec_str(c, "SSID"), *key = sec_str(c, "ConfigKey"), *psk;
	const json_t *section, *v;
	json_t *a;
	long long t;

	if (ssid)
		put_ssid(o, ssid);
	if (key && *key) {
		json_object_set_new(o, "configKey", json_string(key));
		/* The ConfigKey is the SSID as stored, then the security type. */
		if (ssid && strncmp(key, ssid, strlen(ssid)) == 0 && key[strlen(ssid)])
			json_object_set_new(o, "security", json_string(key + strlen(ssid)));
	}
	if ((psk = sec_str(c, "PreSharedKey")) != NULL)
		put_psk(o, psk, strlen(psk));
	/* Keystore-encrypted: a <PreSharedKey> section holding <EncryptedData>. */
	if ((section = axml_child(c, "PreSharedKey")) != NULL && axml_child(section, "EncryptedData"))
		json_object_set_new(o, "pskEncrypted", json_true());
	if ((a = sec_strings(c, "WEPKeys", 1)) != NULL)
		json_object_set_new(o, "wepKeys", a);
	if ((section = axml_child(c, "SecurityParamsList")) != NULL &&
	    (a = security_types(section)) != NULL)
		json_object_set_new(o, "securityTypes", a);
	v = value_el(c, "AllowedKeyMgmt");
	if (v && strcmp(axml_tag(v), "byte-array") == 0 &&
	    (a = bit_names(json_string_value(json_object_get(v, "text")), key_mgmt_names,
			   NAMES(key_mgmt_names))) != NULL)
		json_object_set_new(o, "keyMgmt", a);
	put_bool(o, "hidden", c, "HiddenSSID");
	put_str(o, "bssid", c, "BSSID");
	put_str(o, "fqdn", c, "FQDN");
	put_str(o, "providerFriendlyName", c, "ProviderFriendlyName");
	put_bool(o, "shared", c, "Shared");
	put_bool(o, "autoJoin", c, "AutoJoinEnabled");
	put_int(o, "priority", c, "Priority");
	put_int(o, "status", c, "Status");
	put_str(o, "defaultGwMacAddress", c, "DefaultGwMacAddress");
	put_str(o, "randomizedMacAddress", c, "RandomizedMacAddress");
	put_int(o, "macRandomizationSetting", c, "MacRandomizationSetting");
	put_bool(o, "validatedInternetAccess", c, "ValidatedInternetAccess");
	put_bool(o, "meteredHint", c, "MeteredHint");
	put_int(o, "numAssociation", c, "NumAssociation");
	put_int(o, "creatorUid", c, "CreatorUid");
	put_str(o, "creatorName", c, "CreatorName");
	put_int(o, "lastUpdateUid", c, "LastUpdateUid");
	put_str(o, "lastUpdateName", c, "LastUpdateName");
	put_int(o, "lastConnectUid", c, "LastConnectUid");
	put_bool(o, "isMostRecentlyConnected", c, "IsMostRecentlyConnected");
	/* AOSP 8-10: "time=MM-DD hh:mm:ss.SSS", local time, no year: kept as text. */
	put_str(o, "creationTimeText", c, "CreationTime");
	if (sec_int(c, "CreationTime", &t) == 0 && t > 0)
		json_object_set_new(o, "creationTime", json_integer(t));
	if (!json_object_get(o, "creationTime"))
		put_time(o, "creationTime", c, "semCreationTime");
	put_time(o, "updateTime", c, "semUpdateTime");
	put_time(o, "lastConnectedTime", c, "LastConnectedTime");
}

static void status(json_t *o, const json_t *s)
{
	put_str(o, "selectionStatus", s, "SelectionStatus");
	put_str(o, "disableReason", s, "DisableReason");
	put_str(o, "connectChoice", s, "ConnectChoice");
	put_time(o, "connectChoiceTime", s, "ConnectChoiceTimeStamp");
	put_bool(o, "hasEverConnected", s, "HasEverConnected");
}

static void ip_configuration(json_t *o, const json_t *ip)
{
	json_t *a;

	put_str(o, "ipAssignment", ip, "IpAssignment");
	put_str(o, "linkAddress", ip, "LinkAddress");
	put_int(o, "linkPrefixLength", ip, "LinkPrefixLength");
	put_str(o, "gatewayAddress", ip, "GatewayAddress");
	if ((a = sec_strings(ip, "DNSServers", 1)) != NULL)
		json_object_set_new(o, "dnsServers", a);
	put_str(o, "proxySettings", ip, "ProxySettings");
	put_str(o, "proxyHost", ip, "ProxyHost");
	put_int(o, "proxyPort", ip, "ProxyPort");
	put_str(o, "proxyPac", ip, "ProxyPac");
	put_str(o, "proxyExclusionList", ip, "ProxyExclusionList");
}

static void enterprise(json_t *o, const json_t *e)
{
	put_int(o, "eapMethod", e, "EapMethod");
	put_int(o, "phase2Method", e, "Phase2Method");
	put_str(o, "identity", e, "Identity");
	put_str(o, "anonymousIdentity", e, "AnonIdentity");
	put_str(o, "eapPassword", e, "Password");
	put_str(o, "caCert", e, "CaCert");
	put_str(o, "domainSuffixMatch", e, "DomSuffixMatch");
	put_str(o, "realm", e, "Realm");
}

json_t *fx_axml_wifi(const json_t *doc)
{
	const json_t *root = fx_axml_root(doc), *el, *part;
	struct axml_walk w;
	json_t *out, *o;

	if (!root) {
		fx_error("cannot read Wi-Fi networks: not an XML document");
		return NULL;
	}
	out = json_array();
	axml_walk_init(&w, root);
	while ((el = axml_walk_next(&w)) != NULL) {
		if (strcmp(axml_tag(el), "Network") != 0)
			continue;
		o = json_object();
		if ((part = axml_child(el, "WifiConfiguration")) != NULL)
			configuration(o, part);
		if ((part = axml_child(el, "NetworkStatus")) != NULL)
			status(o, part);
		if ((part = axml_child(el, "IpConfiguration")) != NULL)
			ip_configuration(o, part);
		if ((part = axml_child(el, "WifiEnterpriseConfiguration")) != NULL)
			enterprise(o, part);
		json_array_append_new(out, o);
	}
	axml_walk_release(&w);
	return out;
}

/* wpa_supplicant.conf */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Undoes P"..." escapes (wpa_supplicant's printf_decode): \\ \" \n \r \t
 * \e \xHH and octal. s is the text between the quotes.
 */
static void printf_decode(struct fx_buf *out, const char *s, size_t n)
{
	size_t i = 0;
	char c;

	while (i < n) {
		if (s[i] != '\\' || i + 1 == n) {
			fx_buf_add(out, s + i++, 1);
			continue;
		}
		i++;
		switch (s[i]) {
		case 'n': c = '\n'; i++; break;
		case 'r': c = '\r'; i++; break;
		case 't': c = '\t'; i++; break;
		case 'e': c = '\033'; i++; break;
		case 'x': {
			int v = 0, k = 0, d;

			i++;
			while (k < 2 && i < n) {
				char h = s[i];

				d = h >= '0' && h <= '9' ? h - '0'
				    : h >= 'a' && h <= 'f' ? h - 'a' + 10
				    : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
				if (d < 0)
					break;
				v = v * 16 + d;
				i++;
				k++;
			}
			c = (char)v;
			break;
		}
		default:
			if (s[i] >= '0' && s[i] <= '7') {
				int v = 0, k = 0;

				while (k < 3 && i < n && s[i] >= '0' && s[i] <= '7') {
					v = v * 8 + (s[i] - '0');
					i++;
					k++;
				}
				c = (char)v;
			} else {
				c = s[i++]; /* \\ \" and anything else: the character itself */
			}
		}
		fx_buf_add(out, &c, 1);
	}
}

/* The value without its quotes (or P"..." escapes), into out. Returns 1 if it was quoted. */
static int unquote(struct fx_buf *out, const char *v, size_t n)
{
	fx_buf_truncate(out, 0);
	if (quoted(v, n)) {
		fx_buf_add(out, v + 1, n - 2);
		return 1;
	}
	if (n >= 3 && v[0] == 'P' && quoted(v + 1, n - 1)) {
		printf_decode(out, v + 2, n - 3);
		return 1;
	}
	fx_buf_add(out, v, n);
	return 0;
}

/* A string value as UTF-8 (invalid bytes as U+FFFD). */
static void set_text(json_t *o, const char *key, const char *s, size_t n)
{
	json_object_set_new(o, key, axml_string(s, n, 0));
}

static void wpa_field(json_t *o, const char *k, size_t kn, const char *v, size_t vn)
{
	static const struct {
		const char *wpa, *key;
	} plain[] = {
		{ "key_mgmt", "security" },   { "bssid", "bssid" },
		{ "eap", "eap" },	      { "identity", "identity" },
		{ "anonymous_identity", "anonymousIdentity" },
		{ "password", "eapPassword" }, { "phase2", "phase2" },
		{ "ca_cert", "caCert" },      { "id_str", "idStr" },
	};
	struct fx_buf b = FX_BUF_INIT;
	long long num;
	size_t i, len;
	unsigned char *raw;
	char key[32];
	int q;

	if (kn >= sizeof(key))
		return;
	memcpy(key, k, kn);
	key[kn] = '\0';
	q = unquote(&b, v, vn);
	if (strcmp(key, "ssid") == 0) {
		if (q) {
			if (axml_utf8_ok(b.data, b.len)) {
				set_text(o, "ssid", b.data, b.len);
			} else {
				/* Bytes that are not text (from P"\xe9"): keep them as hex. */
				static const char digits[] = "0123456789abcdef";
				struct fx_buf h = FX_BUF_INIT;

				for (i = 0; i < b.len; i++) {
					fx_buf_add(&h, &digits[(unsigned char)b.data[i] >> 4], 1);
					fx_buf_add(&h, &digits[(unsigned char)b.data[i] & 15], 1);
				}
				set_text(o, "ssidHex", h.data ? h.data : "", h.len);
				fx_buf_release(&h);
			}
		} else if ((raw = axml_unhex(v, vn, &len)) != NULL) {
			set_text(o, "ssidHex", v, vn);
			if (axml_utf8_ok((const char *)raw, len))
				set_text(o, "ssid", (const char *)raw, len);
			free(raw);
		} else {
			set_text(o, "ssid", v, vn);
		}
	} else if (strcmp(key, "psk") == 0) {
		set_text(o, "psk", v, vn);
		if (q && v[0] == '"')
			set_text(o, "passphrase", b.data, b.len);
	} else if (strcmp(key, "scan_ssid") == 0 || strcmp(key, "disabled") == 0) {
		if (axml_parse_int(b.data, 10, &num) == 0)
			json_object_set_new(o, key[0] == 's' ? "hidden" : "disabled",
					    json_boolean(num != 0));
	} else if (strcmp(key, "priority") == 0 || strcmp(key, "wep_tx_keyidx") == 0) {
		if (axml_parse_int(b.data, 10, &num) == 0)
			json_object_set_new(o, key[0] == 'p' ? "priority" : "wepTxKeyIndex",
					    json_integer(num));
	} else if (strncmp(key, "wep_key", 7) == 0 && key[7] >= '0' && key[7] <= '3' && !key[8]) {
		json_t *keys = json_object_get(o, "wepKeys");

		if (!keys) {
			keys = json_array();
			json_object_set_new(o, "wepKeys", keys);
		}
		json_array_append_new(keys, axml_string(b.data, b.len, 0));
	} else {
		for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
			if (strcmp(key, plain[i].wpa) == 0)
				set_text(o, plain[i].key, b.data, b.len);
	}
	fx_buf_release(&b);
}

json_t *fx_android_wpa_supplicant(const char *text, size_t len)
{
	json_t *out, *net = NULL;
	size_t pos = 0, lineno = 0;

	if (!text && len > 0) {
		fx_error("cannot read wpa_supplicant.conf: no data");
		return NULL;
	}
	out = json_array();
	while (pos < len) {
		const char *line = text + pos, *eq, *end;
		size_t n, i, from;
		int first_quote = 0;

		end = memchr(line, '\n', len - pos);
		n = end ? (size_t)(end - line) : len - pos;
		pos += n + (end ? 1 : 0);
		lineno++;
		while (n > 0 && is_space(line[0])) {
			line++;
			n--;
		}
		/*
		 * A '#' starts a comment unless it is quoted; as wpa_supplicant
		 * reads it, the comment can only start after the last quote.
		 */
		from = 0;
		for (i = 0; i < n; i++)
			if (line[i] == '"') {
				if (!first_quote)
					first_quote = 1;
				else
					from = i;
			}
		for (i = from; i < n && line[i] != '#'; i++)
			;
		n = i;
		while (n > 0 && is_space(line[n - 1]))
			n--;
		if (n == 0)
			continue;
		if (!net) {
			/* "network={", with any blanks around '=' */
			size_t k = 7;

			if (n < 9 || memcmp(line, "network", 7) != 0)
				continue;
			while (k < n && is_space(line[k]))
				k++;
			if (k >= n || line[k++] != '=')
				continue;
			while (k < n && is_space(line[k]))
				k++;
			if (k + 1 != n || line[k] != '{')
				continue;
			net = json_object();
			json_object_set_new(net, "line", json_integer((json_int_t)lineno));
			continue;
		}
		if (n == 1 && line[0] == '}') {
			json_array_append_new(out, net);
			net = NULL;
			continue;
		}
		if ((eq = memchr(line, '=', n)) == NULL || eq == line)
			continue;
		wpa_field(net, line, (size_t)(eq - line), eq + 1, n - (size_t)(eq - line) - 1);
	}
	if (net) {
		json_object_set_new(net, "incomplete", json_true());
		json_array_append_new(out, net);
	}
	return out;
}
