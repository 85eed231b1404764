/*
 * test_axml.c - Android system XML: ABX and text XML into one JSON shape,
 * the packages.xml, WifiConfigStore.xml and wpa_supplicant.conf
 * extractors, and hostile or damaged input.
 *
 * tests/fixtures/axml/ holds hand-written text fixtures in the formats
 * AOSP writes and their ABX twins from scripts/make-axml-fixtures.py; the
 * bad inputs are built here, byte by byte.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "fx_axml.h"
#include "fx_buf.h"
#include "harness.h" /* last: it brings fx_banned.h */

#define FIXTURES "tests/fixtures/axml/"

/* SHA-256 of the DER certificates in the fixtures (sha256sum of the bytes). */
#define SHA_PLATFORM "c6fa282a16be796262e0fe16c9431e429169054f42cd92a2aa7136a7030b0c7b"
#define SHA_TENCENT  "a3fd2ee11f01825c1402417dc81eb08db87134098aca84758e7263430c90c50e"
#define SHA_GMS      "b15f440b479473c8ab6c114324f23c14dcf2b4dbe7e907e4a26bd2ac60a8b97c"
#define SHA_TELEGRAM "86cebe3e91bdc5644e63298b623fa6f41e35ba86df095a5669ddb9335f567783"
#define SHA_WHATSAPP "9ef99c9fa8a04cfa12822c977bef3d28262b12891238a559be8582a3527b8f71"
#define SHA_GMS_OLD  "1a033d8c4895b53f678c022da8ff2c2107c78c5da47b76695941be720c3cbf8f"

static char *fixture(const char *name, size_t *len)
{
	char *path = fx_xasprintf(FIXTURES "%s", name);
	char *data = fx_read_file(path, len, 0);

	if (!data)
		fprintf(stderr, "  cannot read fixture %s (run from the top of the tree)\n", path);
	free(path);
	return data;
}

static json_t *parse_fixture(const char *name)
{
	size_t len;
	char *data = fixture(name, &len);
	json_t *doc;

	if (!data)
		return NULL;
	doc = fx_axml_parse(data, len, name);
	free(data);
	return doc;
}

/* Runs fx_axml_parse() with stderr captured into err (caller frees). */
static json_t *parse_captured(const void *buf, size_t len, const char *name, char **err)
{
	char *path = fx_xasprintf("%s/stderr", t_tmpdir());
	int saved, fd;
	json_t *doc;
	size_t n;

	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	doc = fx_axml_parse(buf, len, name);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*err = fx_read_file(path, &n, 0);
	free(path);
	return doc;
}

static const json_t *attr(const json_t *el, const char *name)
{
	return json_object_get(json_object_get(el, "attrs"), name);
}

static const json_t *child(const json_t *el, size_t i)
{
	return json_array_get(json_object_get(el, "children"), i);
}

/* The object of an array whose key has that string value. */
static const json_t *find(const json_t *arr, const char *key, const char *value)
{
	const json_t *o;
	size_t i;

	json_array_foreach(arr, i, o) {
		const char *s = json_string_value(json_object_get(o, key));

		if (s && strcmp(s, value) == 0)
			return o;
	}
	return NULL;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : -999999;
}

/*
 * Is an ABX attribute value the same as the text XML's string for it?
 * Text XML spells numbers in decimal or hex (ft, ut), booleans as
 * true/false and bytes as hex or base64.
 */
static int same_value(const json_t *abx, const json_t *txt)
{
	const char *s = json_string_value(txt), *h;
	long long v;

	if (!s)
		return 0;
	if (json_is_string(abx))
		return strcmp(json_string_value(abx), s) == 0;
	if (json_is_integer(abx)) {
		char *end;

		v = json_integer_value(abx);
		if (strspn(s, "-0123456789") == strlen(s) && strtoll(s, &end, 10) == v && !*end)
			return 1;
		return *s && (long long)strtoull(s, &end, 16) == v && !*end; /* ft="18c..." */
	}
	if (json_is_true(abx))
		return strcmp(s, "true") == 0;
	if (json_is_false(abx))
		return strcmp(s, "false") == 0;
	if (json_is_real(abx))
		return (float)strtod(s, NULL) == (float)json_real_value(abx);
	if ((h = json_string_value(json_object_get(abx, "hex"))) != NULL)
		return strcasecmp(h, s) == 0;
	if ((h = json_string_value(json_object_get(abx, "base64"))) != NULL)
		return strcmp(h, s) == 0;
	return 0;
}

/* The same tree, attribute values compared by same_value(). (Recursive: fixtures only.) */
static int same_element(const json_t *a, const json_t *t)
{
	const json_t *aa = json_object_get(a, "attrs"), *ta = json_object_get(t, "attrs");
	const json_t *ac = json_object_get(a, "children"), *tc = json_object_get(t, "children");
	const char *key;
	const json_t *v;
	size_t i;

	if (!json_equal(json_object_get(a, "tag"), json_object_get(t, "tag")) ||
	    (json_object_get(a, "text") == NULL) != (json_object_get(t, "text") == NULL) ||
	    (json_object_get(a, "text") &&
	     !json_equal(json_object_get(a, "text"), json_object_get(t, "text"))) ||
	    json_object_size(aa) != json_object_size(ta) ||
	    json_array_size(ac) != json_array_size(tc)) {
		fprintf(stderr, "  <%s> differs from <%s>\n", str(a, "tag"), str(t, "tag"));
		return 0;
	}
	json_object_foreach((json_t *)aa, key, v)
		if (!same_value(v, json_object_get(ta, key))) {
			fprintf(stderr, "  <%s %s> differs\n", str(a, "tag"), key);
			return 0;
		}
	for (i = 0; i < json_array_size(ac); i++)
		if (!same_element(json_array_get(ac, i), json_array_get(tc, i)))
			return 0;
	return 1;
}

/* Nesting depth of an element tree, without recursion. */
static size_t tree_depth(const json_t *root)
{
	const json_t *el = root;
	size_t d = 0;

	while (el) {
		d++;
		el = child(el, 0);
	}
	return d;
}

FX_TEST(test_axml_packages_text)
{
	json_t *doc = parse_fixture("packages.xml"), *pk;
	const json_t *p;

	CHECK(doc != NULL);
	CHECK_STR(str(doc, "encoding"), "xml");
	CHECK(json_object_get(doc, "damaged") == NULL);
	CHECK_STR(str(fx_axml_root(doc), "tag"), "packages");
	pk = fx_axml_packages(doc);
	CHECK_INT(json_array_size(pk), 6);

	p = find(pk, "name", "com.tencent.mm");
	CHECK(p != NULL);
	CHECK_STR(str(p, "element"), "package");
	CHECK_STR(str(p, "codePath"),
		  "/data/app/~~Xq3v0aBcDeFgHiJkLmNoPw==/com.tencent.mm-Q1w2E3r4T5y6U7i8O9p0Aa==");
	CHECK_STR(str(p, "installer"), "com.android.vending");
	CHECK_STR(str(p, "installInitiator"), "com.android.vending");
	CHECK_INT(num(p, "installerUid"), 10131);
	CHECK_INT(num(p, "packageSource"), 2);
	CHECK_INT(num(p, "lastModifiedTime"), 1702117800000LL); /* 2023-12-09T10:30:00Z */
	CHECK_INT(num(p, "lastUpdateTime"), 1702117800000LL);
	CHECK(json_object_get(p, "firstInstallTime") == NULL);
	CHECK_INT(num(p, "version"), 2200);
	CHECK_INT(num(p, "targetSdkVersion"), 28);
	CHECK_INT(num(p, "userId"), 10234);
	CHECK_INT(num(p, "flags"), 952647236);
	CHECK(json_is_false(json_object_get(p, "system")));
	CHECK_INT(num(p, "signatureScheme"), 2);
	CHECK_STR(json_string_value(json_array_get(json_object_get(p, "certificates"), 0)),
		  SHA_TENCENT);

	p = find(pk, "name", "org.telegram.messenger.web");
	CHECK_STR(str(p, "installer"), "com.google.android.packageinstaller");
	CHECK_STR(str(p, "installInitiator"), "com.google.android.apps.nbu.files");
	CHECK_STR(str(p, "installOriginator"), "com.android.chrome");
	CHECK_INT(num(p, "lastModifiedTime"), 1706775342123LL); /* 2024-02-01T08:15:42.123Z */
	CHECK_INT(num(p, "lastUpdateTime"), 1710097331456LL);   /* 2024-03-10T19:02:11.456Z */
	CHECK_STR(json_string_value(json_array_get(json_object_get(p, "certificates"), 0)),
		  SHA_TELEGRAM);

	/* <cert index="0" /> refers to the platform certificate written once, earlier. */
	p = find(pk, "name", "com.android.phone");
	CHECK_INT(num(p, "sharedUserId"), 1001);
	CHECK(json_is_true(json_object_get(p, "system")));
	CHECK_INT(num(p, "privateFlags"), -1946152952LL);
	CHECK_INT(num(p, "lastModifiedTime"), 1230768000000LL);
	CHECK_INT(json_array_size(json_object_get(p, "certificates")), 1);
	CHECK_STR(json_string_value(json_array_get(json_object_get(p, "certificates"), 0)),
		  SHA_PLATFORM);

	/* The updated GMS and its key rotation; the factory version after it. */
	p = json_array_get(pk, 4);
	CHECK_STR(str(p, "name"), "com.google.android.gms");
	CHECK_STR(str(p, "element"), "package");
	CHECK_INT(num(p, "version"), 240913038);
	CHECK_STR(json_string_value(json_array_get(json_object_get(p, "certificates"), 0)), SHA_GMS);
	CHECK_INT(json_array_size(json_object_get(p, "pastCertificates")), 2);
	CHECK_STR(json_string_value(json_array_get(json_object_get(p, "pastCertificates"), 0)),
		  SHA_GMS_OLD);
	CHECK_STR(json_string_value(json_array_get(json_object_get(p, "pastCertificates"), 1)),
		  SHA_GMS);
	p = json_array_get(pk, 5);
	CHECK_STR(str(p, "element"), "updated-package");
	CHECK_STR(str(p, "codePath"), "/product/priv-app/PrebuiltGmsCore");
	CHECK_INT(num(p, "version"), 223616044);
	CHECK(json_object_get(p, "certificates") == NULL);
	json_decref(pk);
	json_decref(doc);
}

FX_TEST(test_axml_packages_legacy)
{
	json_t *doc = parse_fixture("packages-legacy.abx"), *pk;
	const json_t *p;

	CHECK(doc != NULL);
	CHECK_STR(str(doc, "encoding"), "abx");
	pk = fx_axml_packages(doc);
	CHECK_INT(json_array_size(pk), 3);
	p = find(pk, "name", "com.whatsapp");
	CHECK_INT(num(p, "firstInstallTime"), 1478191510500LL); /* 2016-11-03T16:45:10.500Z */
	CHECK_INT(num(p, "lastModifiedTime"), 1478191510500LL);
	CHECK_INT(num(p, "lastUpdateTime"), 1496309415250LL);   /* 2017-06-01T09:30:15.250Z */
	CHECK_INT(num(p, "version"), 452316);
	CHECK_STR(str(p, "installer"), "com.android.vending");
	CHECK(json_object_get(p, "signatureScheme") == NULL);
	/* Written in lower case before Android 12, as bytes in ABX: the same digest. */
	CHECK_STR(json_string_value(json_array_get(json_object_get(p, "certificates"), 0)),
		  SHA_WHATSAPP);
	p = find(pk, "name", "com.android.settings");
	CHECK(json_is_true(json_object_get(p, "isOrphaned")));
	CHECK_STR(str(p, "nativeLibraryPath"), "/system/priv-app/Settings/lib");
	p = find(pk, "name", "com.tencent.mm");
	CHECK_INT(num(p, "firstInstallTime"), 1495281600000LL); /* 2017-05-20T12:00:00Z */
	CHECK_STR(json_string_value(json_array_get(json_object_get(p, "certificates"), 0)),
		  SHA_TENCENT);
	json_decref(pk);
	json_decref(doc);
}

/* ABX keeps Android's types; the text twin has strings; the records agree exactly. */
FX_TEST(test_axml_abx_and_text_agree)
{
	static const char *names[] = { "packages", "packages-legacy", "WifiConfigStore-legacy",
				       "WifiConfigStore-apex" };
	const json_t *tencent, *cert, *key;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *xn = fx_xasprintf("%s.xml", names[i]), *an = fx_xasprintf("%s.abx", names[i]);
		json_t *x = parse_fixture(xn), *a = parse_fixture(an), *rx, *ra;
		int wifi = names[i][0] == 'W';

		CHECK(x != NULL && a != NULL);
		CHECK_STR(str(a, "encoding"), "abx");
		CHECK(json_object_get(a, "damaged") == NULL && json_object_get(x, "damaged") == NULL);
		CHECK(json_object_get(a, "trailing") == NULL);
		CHECK(same_element(fx_axml_root(a), fx_axml_root(x)));
		rx = wifi ? fx_axml_wifi(x) : fx_axml_packages(x);
		ra = wifi ? fx_axml_wifi(a) : fx_axml_packages(a);
		CHECK(json_array_size(rx) > 0);
		CHECK(json_equal(rx, ra));
		if (!json_equal(rx, ra)) {
			char *sx = json_dumps(rx, JSON_COMPACT), *sa = json_dumps(ra, JSON_COMPACT);

			fprintf(stderr, "  %s:\n  xml %s\n  abx %s\n", names[i], sx, sa);
			free(sx);
			free(sa);
		}
		json_decref(rx);
		json_decref(ra);
		if (i == 0) {
			/* The typed values themselves. */
			tencent = child(fx_axml_root(a), 6);
			CHECK_STR(json_string_value(attr(tencent, "name")), "com.tencent.mm");
			CHECK(json_is_integer(attr(tencent, "ft")));
			CHECK_INT(json_integer_value(attr(tencent, "ft")), 1702117800000LL);
			CHECK_INT(json_integer_value(attr(tencent, "userId")), 10234);
			CHECK(json_is_real(attr(tencent, "loadingProgress")));
			CHECK(json_real_value(attr(tencent, "loadingProgress")) == 1.0);
			CHECK_STR(json_string_value(attr(child(fx_axml_root(x), 6), "ft")), "18c4e207840");
			cert = child(child(tencent, 0), 0);
			key = attr(cert, "key");
			CHECK(json_is_object(key));
			CHECK(strncmp(json_string_value(json_object_get(key, "hex")), "3082", 4) == 0);
			CHECK(json_is_integer(attr(cert, "index")));
			key = attr(child(child(child(fx_axml_root(a), 13), 0), 0), "value");
			CHECK(strncmp(json_string_value(json_object_get(key, "base64")), "MFkwEwYHKoZIzj0C",
				      16) == 0);
		}
		free(xn);
		free(an);
		json_decref(x);
		json_decref(a);
	}
}

FX_TEST(test_axml_wifi_legacy)
{
	json_t *doc = parse_fixture("WifiConfigStore-legacy.xml"), *nets;
	const json_t *n, *a;

	CHECK(doc != NULL);
	nets = fx_axml_wifi(doc);
	CHECK_INT(json_array_size(nets), 5);

	n = json_array_get(nets, 0);
	CHECK_STR(str(n, "ssid"), "home");
	CHECK_STR(str(n, "psk"), "\"correct horse battery staple\"");
	CHECK_STR(str(n, "passphrase"), "correct horse battery staple");
	CHECK_STR(str(n, "configKey"), "\"home\"WPA_PSK");
	CHECK_STR(str(n, "security"), "WPA_PSK");
	CHECK_STR(json_string_value(json_array_get(json_object_get(n, "keyMgmt"), 0)), "WPA_PSK");
	CHECK(json_is_false(json_object_get(n, "hidden")));
	CHECK_STR(str(n, "creationTimeText"), "time=03-14 18:22:05.311");
	CHECK(json_object_get(n, "creationTime") == NULL);
	CHECK_INT(num(n, "numAssociation"), 42);
	CHECK_STR(str(n, "defaultGwMacAddress"), "a0:63:91:2b:4c:11");
	CHECK_STR(str(n, "creatorName"), "android.uid.system:1000");
	CHECK(json_is_true(json_object_get(n, "hasEverConnected")));
	CHECK(json_object_get(n, "connectChoiceTime") == NULL); /* -1: never */
	CHECK(json_object_get(n, "bssid") == NULL);             /* <null name="BSSID" /> */
	CHECK_STR(str(n, "ipAssignment"), "DHCP");

	n = json_array_get(nets, 1);
	CHECK_STR(str(n, "ssid"), "Büro-5G");
	CHECK_STR(str(n, "psk"), "5ba8c2b7e1f94d2a63c0e8f71b4d9a2c6e3f05d18a7b94c2e1f60d3a8b5c7e94");
	CHECK(json_object_get(n, "passphrase") == NULL);
	CHECK(json_is_true(json_object_get(n, "hidden")));
	CHECK_STR(str(n, "ipAssignment"), "STATIC");
	CHECK_STR(str(n, "linkAddress"), "192.168.10.23");
	CHECK_INT(num(n, "linkPrefixLength"), 24);
	CHECK_STR(str(n, "gatewayAddress"), "192.168.10.1");
	a = json_object_get(n, "dnsServers");
	CHECK_INT(json_array_size(a), 2);
	CHECK_STR(json_string_value(json_array_get(a, 1)), "9.9.9.9");
	CHECK_STR(str(n, "proxySettings"), "STATIC");
	CHECK_STR(str(n, "proxyHost"), "proxy.buero.example");
	CHECK_INT(num(n, "proxyPort"), 3128);
	CHECK_STR(str(n, "connectChoice"), "\"home\"WPA_PSK");
	CHECK_INT(num(n, "connectChoiceTime"), 1660475552000LL); /* 2022-08-14T11:12:32Z */

	n = json_array_get(nets, 2);
	CHECK_STR(str(n, "ssid"), "Starbucks WiFi");
	CHECK_STR(str(n, "security"), "NONE");
	CHECK(json_object_get(n, "psk") == NULL);
	CHECK_STR(str(n, "selectionStatus"), "NETWORK_SELECTION_TEMPORARY_DISABLED");

	/* "caf\xe9" (Latin-1) is not UTF-8: Android stored it as hex, and so do we. */
	n = json_array_get(nets, 3);
	CHECK_STR(str(n, "ssidHex"), "636166e9");
	CHECK(json_object_get(n, "ssid") == NULL);
	CHECK_STR(str(n, "security"), "WPA_PSK");
	CHECK_STR(str(n, "passphrase"), "motdepasse");

	n = json_array_get(nets, 4);
	CHECK_STR(str(n, "ssid"), "eduroam");
	CHECK_STR(str(n, "security"), "WPA_EAP");
	a = json_object_get(n, "keyMgmt");
	CHECK_INT(json_array_size(a), 2);
	CHECK_STR(json_string_value(json_array_get(a, 0)), "WPA_EAP");
	CHECK_STR(json_string_value(json_array_get(a, 1)), "IEEE8021X");
	CHECK_STR(str(n, "identity"), "jdoe@example.edu");
	CHECK_STR(str(n, "anonymousIdentity"), "anonymous@example.edu");
	CHECK_STR(str(n, "eapPassword"), "s3cr3t&pass");
	CHECK_STR(str(n, "domainSuffixMatch"), "radius.example.edu");
	CHECK_INT(num(n, "eapMethod"), 0);
	CHECK_INT(num(n, "phase2Method"), 3);
	CHECK(json_object_get(n, "realm") == NULL); /* empty */
	json_decref(nets);
	json_decref(doc);
}

FX_TEST(test_axml_wifi_apex)
{
	json_t *doc = parse_fixture("WifiConfigStore-apex.abx"), *nets;
	const json_t *n, *a;

	CHECK(doc != NULL);
	CHECK_STR(str(doc, "encoding"), "abx");
	nets = fx_axml_wifi(doc);
	CHECK_INT(json_array_size(nets), 4);

	n = json_array_get(nets, 0);
	CHECK_STR(str(n, "ssid"), "home");
	CHECK_STR(str(n, "passphrase"), "correct horse battery staple");
	a = json_object_get(n, "securityTypes");
	CHECK_INT(json_array_size(a), 2);
	CHECK_STR(json_string_value(json_array_get(a, 0)), "PSK");
	CHECK_STR(json_string_value(json_array_get(a, 1)), "SAE");
	CHECK(json_is_true(json_object_get(n, "isMostRecentlyConnected")));
	CHECK_INT(num(n, "macRandomizationSetting"), 3);

	/* Outside the BMP: a 4-byte sequence in ABX. */
	n = json_array_get(nets, 1);
	CHECK_STR(str(n, "ssid"), "Café ☕🏠");
	CHECK_STR(str(n, "psk"), "\"pässwörd 🔑\"");
	CHECK_STR(str(n, "passphrase"), "pässwörd 🔑");
	CHECK_STR(str(n, "security"), "SAE");
	CHECK_STR(json_string_value(json_array_get(json_object_get(n, "keyMgmt"), 0)), "SAE");
	CHECK(json_is_true(json_object_get(n, "hidden")));
	CHECK(json_is_false(json_object_get(n, "shared")));
	CHECK_STR(str(n, "creatorName"), "com.android.settings");
	CHECK_INT(num(n, "creatorUid"), 10157);
	CHECK_STR(str(n, "proxySettings"), "PAC");
	CHECK_STR(str(n, "proxyPac"), "http://wpad.cafe.example/wpad.dat");

	n = json_array_get(nets, 2);
	CHECK_STR(str(n, "ssid"), "Galaxy_Home_5G");
	CHECK_STR(str(n, "passphrase"), "Tr0ub4dor&3");
	CHECK_INT(num(n, "creationTime"), 1685602800000LL);     /* 2023-06-01T07:00:00Z */
	CHECK_INT(num(n, "updateTime"), 1705354805777LL);       /* 2024-01-15T21:40:05.777Z */
	CHECK_INT(num(n, "lastConnectedTime"), 1705354805777LL);

	n = json_array_get(nets, 3);
	CHECK_STR(str(n, "ssid"), "CorpGuest");
	CHECK(json_is_true(json_object_get(n, "pskEncrypted")));
	CHECK(json_object_get(n, "psk") == NULL);
	CHECK(json_is_false(json_object_get(n, "autoJoin")));
	CHECK_STR(str(n, "disableReason"), "NETWORK_SELECTION_DISABLED_BY_WRONG_PASSWORD");
	CHECK(json_is_false(json_object_get(n, "hasEverConnected")));
	json_decref(nets);
	json_decref(doc);
}

FX_TEST(test_axml_wpa_supplicant)
{
	size_t len;
	char *text = fixture("wpa_supplicant.conf", &len);
	json_t *nets = fx_android_wpa_supplicant(text, len);
	const json_t *n, *a;

	CHECK_INT(json_array_size(nets), 6);
	n = json_array_get(nets, 0);
	CHECK_INT(num(n, "line"), 16);
	CHECK_STR(str(n, "ssid"), "home");
	CHECK_STR(str(n, "psk"), "\"correct horse battery staple\"");
	CHECK_STR(str(n, "passphrase"), "correct horse battery staple");
	CHECK_STR(str(n, "security"), "WPA-PSK");
	CHECK_INT(num(n, "priority"), 3);
	CHECK_STR(str(n, "idStr"),
		  "%7B%22creatorUid%22%3A%221000%22%2C%22configKey%22%3A%22%5C%22home%5C%22WPA_PSK%22%7D");
	CHECK(json_object_get(n, "incomplete") == NULL);

	/* ssid=6869: unquoted is hex. */
	n = json_array_get(nets, 1);
	CHECK_STR(str(n, "ssid"), "hi");
	CHECK_STR(str(n, "ssidHex"), "6869");
	CHECK(json_is_true(json_object_get(n, "hidden")));
	CHECK_STR(str(n, "psk"), "5ba8c2b7e1f94d2a63c0e8f71b4d9a2c6e3f05d18a7b94c2e1f60d3a8b5c7e94");
	CHECK(json_object_get(n, "passphrase") == NULL);

	n = json_array_get(nets, 2);
	CHECK_STR(str(n, "ssid"), "Starbucks WiFi");
	CHECK_STR(str(n, "security"), "NONE");
	CHECK(json_is_true(json_object_get(n, "disabled")));
	CHECK_INT(num(n, "priority"), 2);

	n = json_array_get(nets, 3);
	CHECK_STR(str(n, "ssidHex"), "636166e9");
	CHECK(json_object_get(n, "ssid") == NULL);

	/* '#' inside quotes is not a comment. */
	n = json_array_get(nets, 4);
	CHECK_STR(str(n, "eapPassword"), "s3cr3t#pass");
	CHECK_STR(str(n, "security"), "WPA-EAP IEEE8021X");
	CHECK_STR(str(n, "eap"), "PEAP");
	CHECK_STR(str(n, "anonymousIdentity"), "anonymous@example.edu");
	CHECK_STR(str(n, "phase2"), "auth=MSCHAPV2");
	CHECK_STR(str(n, "caCert"), "keystore://CACERT_eduroam");

	n = json_array_get(nets, 5);
	CHECK_STR(str(n, "ssid"), "tab\there \"quoted\"");
	a = json_object_get(n, "wepKeys");
	CHECK_INT(json_array_size(a), 2);
	CHECK_STR(json_string_value(json_array_get(a, 0)), "abcde");
	CHECK_STR(json_string_value(json_array_get(a, 1)), "0102030405");
	CHECK_INT(num(n, "wepTxKeyIndex"), 1);
	json_decref(nets);
	free(text);

	/* A block cut off by the end of the file; comments; globals only. */
	nets = fx_android_wpa_supplicant("update_config=1\nnetwork={\n\tssid=\"cut\"\n\tpsk=\"abc",
					 48);
	CHECK_INT(json_array_size(nets), 1);
	n = json_array_get(nets, 0);
	CHECK_STR(str(n, "ssid"), "cut");
	CHECK(json_is_true(json_object_get(n, "incomplete")));
	CHECK_INT(num(n, "line"), 2);
	json_decref(nets);
	nets = fx_android_wpa_supplicant("# nothing\nctrl_interface=wlan0\n", 31);
	CHECK_INT(json_array_size(nets), 0);
	json_decref(nets);
	nets = fx_android_wpa_supplicant(NULL, 0);
	CHECK_INT(json_array_size(nets), 0);
	json_decref(nets);
}

/* Building ABX by hand. */

static void b8(struct fx_buf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	fx_buf_add(b, &c, 1);
}

static void b16(struct fx_buf *b, unsigned v)
{
	b8(b, v >> 8);
	b8(b, v & 0xff);
}

static void b32(struct fx_buf *b, unsigned long v)
{
	b16(b, (unsigned)(v >> 16) & 0xffff);
	b16(b, (unsigned)v & 0xffff);
}

/* A length-prefixed string of raw bytes. */
static void bstr(struct fx_buf *b, const char *s, size_t n)
{
	b16(b, (unsigned)n);
	fx_buf_add(b, s, n);
}

/* A new interned string. */
static void bnew(struct fx_buf *b, const char *s)
{
	b16(b, 0xffff);
	bstr(b, s, strlen(s));
}

static void add(struct fx_buf *b, const char *s)
{
	fx_buf_add(b, s, strlen(s));
}

static void babx(struct fx_buf *b)
{
	fx_buf_add(b, "ABX\0", 4);
	b8(b, 0x10); /* START_DOCUMENT */
}

FX_TEST(test_axml_abx_types)
{
	/* surrogates joined, C0 80 is NUL, 0xff is U+FFFD, entities resolved or kept */
	static const char want[] = "A\xf0\x9f\x98\x80" "B\0C\xf0\x9f\x8f\xa0" "D\xef\xbf\xbd"
				   "&\xc3\xa9&custom;<cd>";
	struct fx_buf b = FX_BUF_INIT;
	const json_t *root, *a, *c;
	json_t *doc;
	char *err;

	babx(&b);
	b8(&b, 0x32); bnew(&b, "r");                        /* <r  interned 0 */
	b8(&b, 0x2f); bnew(&b, "s"); bstr(&b, "plain", 5);   /* STRING */
	b8(&b, 0x3f); bnew(&b, "i"); b16(&b, 0);             /* STRING_INTERNED: "r" */
	b8(&b, 0x4f); bnew(&b, "h"); bstr(&b, "\x01\xab", 2); /* BYTES_HEX */
	b8(&b, 0x5f); bnew(&b, "b"); bstr(&b, "\xff\xfe", 2); /* BYTES_BASE64 */
	b8(&b, 0x6f); bnew(&b, "n"); b32(&b, 0xfffffffeUL);  /* INT -2 */
	b8(&b, 0x7f); bnew(&b, "x"); b32(&b, 0x7fffffffUL);  /* INT_HEX */
	b8(&b, 0x8f); bnew(&b, "l"); b32(&b, 0x80000000UL); b32(&b, 0); /* LONG min */
	b8(&b, 0x9f); bnew(&b, "ft"); b32(&b, 0x18c); b32(&b, 0x4e207840UL); /* LONG_HEX */
	b8(&b, 0xaf); bnew(&b, "f"); b32(&b, 0x7fc00000UL);  /* FLOAT NaN */
	b8(&b, 0xbf); bnew(&b, "d"); b32(&b, 0x3ff80000UL); b32(&b, 0); /* DOUBLE 1.5 */
	b8(&b, 0xcf); bnew(&b, "t");                         /* BOOLEAN_TRUE */
	b8(&b, 0xdf); bnew(&b, "z");                         /* BOOLEAN_FALSE */
	b8(&b, 0x1f); bnew(&b, "u");                         /* NULL */
	b8(&b, 0x2f); b16(&b, 1); bstr(&b, "second", 6);      /* "s" again: the first stands */
	/* Text: CESU-8 surrogates, C0 80, a 4-byte sequence, a stray byte, entities. */
	b8(&b, 0x24); bstr(&b, "A\xed\xa0\xbd\xed\xb8\x80" "B\xc0\x80" "C\xf0\x9f\x8f\xa0" "D\xff", 17);
	b8(&b, 0x26); bstr(&b, "amp", 3);                     /* ENTITY_REF &amp; */
	b8(&b, 0x26); bstr(&b, "#233", 4);                    /* &#233; */
	b8(&b, 0x26); bstr(&b, "custom", 6);                  /* kept as written */
	b8(&b, 0x29); bstr(&b, "a comment", 9);               /* COMMENT: skipped */
	b8(&b, 0x27); bstr(&b, "  ", 2);                      /* IGNORABLE_WHITESPACE */
	b8(&b, 0x25); bstr(&b, "<cd>", 4);                    /* CDSECT */
	b8(&b, 0x32); bnew(&b, "e");                          /* <e/> */
	b8(&b, 0x33); b16(&b, 0x0e);                          /* interned "e": index 14 */
	b8(&b, 0x33); b16(&b, 0);                             /* </r> */
	b8(&b, 0x11);                                         /* END_DOCUMENT */
	fx_buf_add(&b, "slack", 5);

	doc = parse_captured(b.data, b.len, "types.abx", &err);
	CHECK(doc != NULL);
	CHECK_STR(err, "");
	CHECK(json_object_get(doc, "damaged") == NULL);
	CHECK_INT(num(doc, "trailing"), 5);
	root = fx_axml_root(doc);
	CHECK_STR(str(root, "tag"), "r");
	a = json_object_get(root, "attrs");
	CHECK_INT(json_object_size(a), 13);
	CHECK_STR(json_string_value(json_object_get(a, "s")), "plain");
	CHECK_STR(json_string_value(json_object_get(a, "i")), "r");
	CHECK_STR(str(json_object_get(a, "h"), "hex"), "01AB");
	CHECK_STR(str(json_object_get(a, "b"), "base64"), "//4=");
	CHECK_INT(json_integer_value(json_object_get(a, "n")), -2);
	CHECK_INT(json_integer_value(json_object_get(a, "x")), 2147483647);
	CHECK_INT(json_integer_value(json_object_get(a, "l")), (-9223372036854775807LL - 1));
	CHECK_INT(json_integer_value(json_object_get(a, "ft")), 1702117800000LL);
	CHECK_STR(json_string_value(json_object_get(a, "f")), "NaN");
	CHECK(json_real_value(json_object_get(a, "d")) == 1.5);
	CHECK(json_is_true(json_object_get(a, "t")));
	CHECK(json_is_false(json_object_get(a, "z")));
	CHECK(json_is_null(json_object_get(a, "u")));
	CHECK_STR(str(root, "text"), "A😀B");
	CHECK(json_string_length(json_object_get(root, "text")) == sizeof(want) - 1);
	CHECK(memcmp(json_string_value(json_object_get(root, "text")), want, sizeof(want) - 1) == 0);
	c = child(root, 0);
	CHECK_STR(str(c, "tag"), "e");
	CHECK(json_object_get(c, "text") == NULL && json_object_get(c, "children") == NULL);
	CHECK_INT(json_object_size(json_object_get(c, "attrs")), 0);
	free(err);
	json_decref(doc);
	fx_buf_release(&b);
}

FX_TEST(test_axml_abx_truncated)
{
	size_t len, n;
	char *data = fixture("packages.abx", &len), *err;
	json_t *doc, *pk;
	char want[64];

	CHECK(data != NULL);
	if (!data)
		return;
	/* Cut in the middle: what came before is kept, the damage is named. */
	n = len * 6 / 10;
	doc = parse_captured(data, n, "packages.abx", &err);
	CHECK(doc != NULL);
	CHECK(json_is_true(json_object_get(doc, "damaged")));
	CHECK(num(doc, "offset") > 0 && (size_t)num(doc, "offset") <= n);
	snprintf(want, sizeof(want), "at offset %lld: ", num(doc, "offset"));
	CHECK(strstr(err, "damaged ABX in 'packages.abx' ") != NULL);
	CHECK(strstr(err, want) != NULL);
	CHECK(strstr(str(doc, "error"), "truncated") != NULL || strstr(str(doc, "error"), "end of data"));
	pk = fx_axml_packages(doc);
	CHECK(json_array_size(pk) >= 2);
	CHECK_STR(str(json_array_get(pk, 0), "name"), "com.android.settings");
	CHECK_STR(str(json_array_get(pk, 1), "name"), "com.tencent.mm");
	CHECK_INT(num(json_array_get(pk, 1), "lastModifiedTime"), 1702117800000LL);
	json_decref(pk);
	json_decref(doc);
	free(err);

	/* Every cut: nothing read (NULL) or damaged; without END_DOCUMENT only, complete. */
	t_mute_stderr();
	for (n = 4; n < len; n++) {
		doc = fx_axml_parse(data, n, "packages.abx");
		if (n == len - 1)
			CHECK(doc && json_object_get(doc, "damaged") == NULL);
		else if (doc && !json_is_true(json_object_get(doc, "damaged")))
			CHECK(!"a cut document not marked damaged");
		json_decref(doc);
	}
	/* Every byte overwritten: reported or not, never a crash (ASan watches). */
	for (n = 4; n < len; n++) {
		char saved = data[n];

		data[n] = (char)(n & 1 ? 0xff : 0x3f);
		json_decref(fx_axml_parse(data, len, "packages.abx"));
		data[n] = saved;
	}
	t_unmute_stderr();
	free(data);
}

FX_TEST(test_axml_abx_bad_interned_index)
{
	struct fx_buf b = FX_BUF_INIT;
	const json_t *root;
	json_t *doc;
	char *err;

	babx(&b);
	b8(&b, 0x32); bnew(&b, "a");      /* offset 5: <a>, interned 0 */
	b8(&b, 0x32); b16(&b, 5);          /* offset 11: <?> by index 5 of 1 */
	b8(&b, 0x33); b16(&b, 0);
	doc = parse_captured(b.data, b.len, "bad.abx", &err);
	CHECK(doc != NULL);
	CHECK(json_is_true(json_object_get(doc, "damaged")));
	CHECK_INT(num(doc, "offset"), 11);
	CHECK(strstr(err, "damaged ABX in 'bad.abx' at offset 11: "
			  "interned string index 5 out of range (1 defined)") != NULL);
	root = fx_axml_root(doc);
	CHECK_STR(str(root, "tag"), "a");
	free(err);
	json_decref(doc);

	/* An attribute value by a bad index, after a good attribute. */
	fx_buf_truncate(&b, 0);
	babx(&b);
	b8(&b, 0x32); bnew(&b, "a");
	b8(&b, 0x2f); bnew(&b, "ok"); bstr(&b, "yes", 3);
	b8(&b, 0x3f); b16(&b, 1); b16(&b, 0xfffe); /* name "ok", value index 65534 */
	doc = parse_captured(b.data, b.len, "bad2.abx", &err);
	CHECK(json_is_true(json_object_get(doc, "damaged")));
	CHECK_STR(json_string_value(attr(fx_axml_root(doc), "ok")), "yes");
	CHECK(strstr(err, "index 65534 out of range (2 defined)") != NULL);
	free(err);
	json_decref(doc);

	/* Nothing read: the first name is out of range; unknown version; no data. */
	fx_buf_truncate(&b, 0);
	babx(&b);
	b8(&b, 0x32); b16(&b, 0);
	doc = parse_captured(b.data, b.len, "none.abx", &err);
	CHECK(doc == NULL);
	CHECK(strstr(err, "cannot parse 'none.abx' as ABX: offset 5: interned string index 0") != NULL);
	free(err);
	doc = parse_captured("ABX\x01\x10", 5, "v1.abx", &err);
	CHECK(doc == NULL);
	CHECK(strstr(err, "unknown ABX version 1") != NULL);
	free(err);
	doc = parse_captured("", 0, "empty", &err);
	CHECK(doc == NULL);
	free(err);
	/* An unknown token and an attribute outside a start tag. */
	fx_buf_truncate(&b, 0);
	babx(&b);
	b8(&b, 0x32); bnew(&b, "a");
	b8(&b, 0x24); bstr(&b, "t", 1);
	b8(&b, 0xcf); b16(&b, 0);
	doc = parse_captured(b.data, b.len, "attr.abx", &err);
	CHECK(json_is_true(json_object_get(doc, "damaged")));
	CHECK(strstr(err, "at offset 15: an attribute outside a start tag") != NULL);
	CHECK_STR(str(fx_axml_root(doc), "text"), "t");
	free(err);
	json_decref(doc);
	/* END_DOCUMENT with an element open; an END_TAG for another element. */
	fx_buf_truncate(&b, 0);
	babx(&b);
	b8(&b, 0x32); bnew(&b, "a");
	b8(&b, 0x32); bnew(&b, "b");
	b8(&b, 0x33); b16(&b, 0);      /* offset 17: </a> closing <b> */
	doc = parse_captured(b.data, b.len, "mismatch.abx", &err);
	CHECK(json_is_true(json_object_get(doc, "damaged")));
	CHECK(strstr(err, "at offset 17: an end tag </a> for <b>") != NULL);
	CHECK_STR(str(child(fx_axml_root(doc), 0), "tag"), "b");
	free(err);
	json_decref(doc);
	fx_buf_truncate(&b, b.len - 3);
	b8(&b, 0x11);                  /* offset 17: END_DOCUMENT */
	doc = parse_captured(b.data, b.len, "open.abx", &err);
	CHECK(json_is_true(json_object_get(doc, "damaged")));
	CHECK(strstr(err, "at offset 17: end of document inside an element, 2 still open") != NULL);
	free(err);
	json_decref(doc);
	fx_buf_release(&b);
}

FX_TEST(test_axml_deep_nesting)
{
	struct fx_buf b = FX_BUF_INIT;
	json_t *doc;
	char *err;
	size_t i;

	/* ABX: 100000 open elements. */
	babx(&b);
	b8(&b, 0x32); bnew(&b, "a");
	for (i = 1; i < 100000; i++) {
		b8(&b, 0x32);
		b16(&b, 0);
	}
	doc = parse_captured(b.data, b.len, "deep.abx", &err);
	CHECK(doc != NULL);
	CHECK(json_is_true(json_object_get(doc, "damaged")));
	CHECK_INT(tree_depth(fx_axml_root(doc)), FX_AXML_MAX_DEPTH);
	CHECK_INT(num(doc, "offset"), 5 + 6 + 3 * (FX_AXML_MAX_DEPTH - 1));
	CHECK(strstr(err, "elements nested deeper than 256") != NULL);
	free(err);
	json_decref(doc);

	/* Text XML: the same, and closed again. */
	fx_buf_truncate(&b, 0);
	for (i = 0; i < 100000; i++)
		add(&b, "<a>");
	for (i = 0; i < 100000; i++)
		add(&b, "</a>");
	doc = parse_captured(b.data, b.len, "deep.xml", &err);
	CHECK(doc != NULL);
	CHECK(json_is_true(json_object_get(doc, "damaged")));
	CHECK(tree_depth(fx_axml_root(doc)) <= FX_AXML_MAX_DEPTH);
	CHECK(tree_depth(fx_axml_root(doc)) > 100);
	CHECK_INT(num(doc, "line"), 1);
	CHECK(strstr(err, "damaged XML in 'deep.xml' at line 1: ") != NULL);
	free(err);
	json_decref(doc);
	fx_buf_release(&b);
}

FX_TEST(test_axml_text_entities_not_expanded)
{
	char *secret = fx_xasprintf("%s/secret.txt", t_tmpdir()), *xml, *err;
	FILE *f = fopen(secret, "w");
	const json_t *root;
	json_t *doc;
	struct fx_buf b = FX_BUF_INIT;
	clock_t t0;
	int i;

	CHECK(f != NULL);
	fputs("TOPSECRET", f);
	fclose(f);

	/* External general and parameter entities, an internal one. */
	xml = fx_xasprintf("<?xml version=\"1.0\"?>\n"
			   "<!DOCTYPE packages [\n"
			   "  <!ENTITY xxe SYSTEM \"file://%s\">\n"
			   "  <!ENTITY %% pe SYSTEM \"file://%s\">\n"
			   "  %%pe;\n"
			   "  <!ENTITY net SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
			   "  <!ENTITY in \"inner\">\n"
			   "]>\n"
			   "<packages a=\"x&amp;y\">&xxe;|&net;|&in;|&lt;&#65;</packages>\n",
			   secret, secret);
	doc = parse_captured(xml, strlen(xml), "xxe.xml", &err);
	CHECK(doc != NULL);
	CHECK(json_object_get(doc, "damaged") == NULL);
	root = fx_axml_root(doc);
	CHECK_STR(str(root, "text"), "&xxe;|&net;|&in;|<A");
	CHECK_STR(json_string_value(attr(root, "a")), "x&y");
	{
		char *dump = json_dumps(doc, JSON_COMPACT);

		CHECK(dump && strstr(dump, "TOPSECRET") == NULL);
		free(dump);
	}
	CHECK(err && strstr(err, "TOPSECRET") == NULL);
	free(err);
	free(xml);
	json_decref(doc);

	/* An external entity in an attribute is refused, not read. */
	xml = fx_xasprintf("<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://%s\">]>\n<r a=\"&xxe;\"/>",
			   secret);
	doc = parse_captured(xml, strlen(xml), "attr.xml", &err);
	CHECK(doc == NULL || json_is_true(json_object_get(doc, "damaged")));
	CHECK(err && strstr(err, "cannot parse 'attr.xml' as XML: line 2: ") != NULL);
	free(err);
	free(xml);
	json_decref(doc);

	/* Billion laughs: refused quickly, nothing expanded. */
	add(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
	for (i = 1; i < 10; i++) {
		char *decl = fx_xasprintf("<!ENTITY lol%d \"", i);

		/* lolN is lolN-1 ten times: 10^9 "lol" in the end */
		add(&b, decl);
		free(decl);
		for (int k = 0; k < 10; k++) {
			char *ref = i == 1 ? fx_xstrdup("&lol;") : fx_xasprintf("&lol%d;", i - 1);

			add(&b, ref);
			free(ref);
		}
		add(&b, "\">");
	}
	add(&b, "]>\n<lolz>&lol9;</lolz>\n");
	t0 = clock();
	doc = parse_captured(b.data, b.len, "lol.xml", &err);
	CHECK((clock() - t0) / CLOCKS_PER_SEC < 5);
	if (doc) {
		char *dump = json_dumps(doc, JSON_COMPACT);

		CHECK(strlen(dump) < 10000);
		free(dump);
	}
	CHECK(err && *err); /* reported */
	free(err);
	json_decref(doc);
	fx_buf_release(&b);
	free(secret);
}

FX_TEST(test_axml_text_damaged)
{
	size_t len, n;
	char *data = fixture("packages.xml", &len), *err;
	json_t *doc, *pk;

	CHECK(data != NULL);
	if (!data)
		return;
	doc = parse_captured(data, len * 6 / 10, "packages.xml", &err);
	CHECK(doc != NULL);
	CHECK(json_is_true(json_object_get(doc, "damaged")));
	CHECK(num(doc, "line") > 10);
	CHECK(strstr(err, "damaged XML in 'packages.xml' at line ") != NULL);
	pk = fx_axml_packages(doc);
	CHECK(json_array_size(pk) >= 1);
	CHECK_STR(str(json_array_get(pk, 0), "name"), "com.android.settings");
	json_decref(pk);
	json_decref(doc);
	free(err);

	/* Not XML at all: nothing read. */
	doc = parse_captured("\x89PNG\r\n\x1a\n\0\0", 10, "photo.png", &err);
	CHECK(doc == NULL);
	CHECK(strstr(err, "cannot parse 'photo.png' as XML: line ") != NULL);
	free(err);
	/* A mismatched end tag: everything up to it, even in the same line. */
	doc = parse_captured("<a><b x=\"1\">t</c></a>", 21, "m.xml", &err);
	CHECK(doc != NULL && json_is_true(json_object_get(doc, "damaged")));
	CHECK_STR(str(child(fx_axml_root(doc), 0), "tag"), "b");
	CHECK_STR(json_string_value(attr(child(fx_axml_root(doc), 0), "x")), "1");
	CHECK_STR(str(child(fx_axml_root(doc), 0), "text"), "t");
	CHECK(strstr(err, "damaged XML in 'm.xml' at line 1: Opening and ending tag mismatch") != NULL);
	free(err);
	json_decref(doc);

	/* Cuts and overwritten bytes all through the file: reported, never a crash. */
	t_mute_stderr();
	for (n = 1; n + 1 < len; n += 13) {
		doc = fx_axml_parse(data, n, "packages.xml");
		CHECK(!doc || json_is_true(json_object_get(doc, "damaged")));
		json_decref(doc);
	}
	for (n = 0; n < len; n += 7) {
		char saved = data[n];

		data[n] = (char)(n & 1 ? '<' : 0xff);
		json_decref(fx_axml_parse(data, len, "packages.xml"));
		data[n] = saved;
	}
	t_unmute_stderr();
	free(data);
}

FX_TEST(test_axml_shape_is_the_same)
{
	/* A document whose ABX attributes are all strings gives identical JSON. */
	static const char xml[] = "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n"
				  "<map>\n    <string name=\"k\">v &amp; w</string>\n"
				  "    <empty a=\"1\" />\n</map>\n";
	struct fx_buf b = FX_BUF_INIT;
	json_t *x, *a;

	babx(&b);
	b8(&b, 0x32); bnew(&b, "map");
	b8(&b, 0x32); bnew(&b, "string");
	b8(&b, 0x2f); bnew(&b, "name"); bstr(&b, "k", 1);
	b8(&b, 0x24); bstr(&b, "v ", 2);
	b8(&b, 0x26); bstr(&b, "amp", 3);
	b8(&b, 0x24); bstr(&b, " w", 2);
	b8(&b, 0x33); b16(&b, 1);
	b8(&b, 0x32); bnew(&b, "empty");
	b8(&b, 0x2f); bnew(&b, "a"); bstr(&b, "1", 1);
	b8(&b, 0x33); b16(&b, 3);
	b8(&b, 0x33); b16(&b, 0);
	b8(&b, 0x11);
	x = fx_axml_parse(xml, strlen(xml), "map.xml");
	a = fx_axml_parse(b.data, b.len, "map.abx");
	CHECK(x && a);
	CHECK(json_equal(fx_axml_root(x), fx_axml_root(a)));
	CHECK_STR(str(child(fx_axml_root(x), 0), "text"), "v & w");
	CHECK(json_object_get(fx_axml_root(x), "text") == NULL); /* indentation dropped */
	json_decref(x);
	json_decref(a);
	fx_buf_release(&b);
}

FX_TEST(test_axml_attr_int)
{
	json_t *el = json_pack("{s:{s:s,s:s,s:s,s:s,s:s,s:I,s:s}}", "attrs", "ft", "18c4e207840",
			       "neg", "ffffffffffffffff", "sneg", "-1a", "big", "10000000000000000",
			       "dec", "9223372036854775808", "typed", (json_int_t)42, "junk", "12x");
	long long v;

	CHECK(fx_axml_attr_int(el, "ft", 16, &v) == 0 && v == 1702117800000LL);
	CHECK(fx_axml_attr_int(el, "neg", 16, &v) == 0 && v == -1);
	CHECK(fx_axml_attr_int(el, "sneg", 16, &v) == 0 && v == -26);
	CHECK(fx_axml_attr_int(el, "big", 16, &v) == -1);
	CHECK(fx_axml_attr_int(el, "dec", 10, &v) == -1);
	CHECK(fx_axml_attr_int(el, "typed", 16, &v) == 0 && v == 42);
	CHECK(fx_axml_attr_int(el, "junk", 10, &v) == -1);
	CHECK(fx_axml_attr_int(el, "missing", 10, &v) == -1);
	CHECK_STR(fx_axml_attr_str(el, "ft"), "18c4e207840");
	CHECK(fx_axml_attr_str(el, "typed") == NULL);
	CHECK(fx_axml_root(el) == NULL);
	t_mute_stderr();
	CHECK(fx_axml_packages(el) == NULL);
	CHECK(fx_axml_wifi(NULL) == NULL);
	t_unmute_stderr();
	json_decref(el);
}
