/*
 * fx_axml.h - Android's system XML files as evidence: the binary XML
 * (ABX) of Android 12 and later and plain text XML, read into one JSON
 * shape, and the extractors that turn packages.xml, WifiConfigStore.xml
 * and wpa_supplicant.conf into flat objects ready to become records.
 *
 * The document. fx_axml_parse() returns an object:
 *
 *   {"encoding":"abx",             "abx" or "xml"
 *    "root":{element},             the root element
 *    "damaged":true,               only when the input is damaged; then
 *    "error":"...",                what, and where: "offset" (ABX, the
 *    "offset":1234,                byte offset of the damaged token) or
 *    "line":12,                    "line" (text XML)
 *    "trailing":8}                 ABX bytes after END_DOCUMENT, if any
 *
 * An element:
 *
 *   {"tag":"package",
 *    "attrs":{"name":"com.tencent.mm","ft":1702117800000,"isOrphaned":true},
 *    "children":[{element},...],   only when it has child elements
 *    "text":"..."}                 only when it has text
 *
 * "attrs" is always there, in document order; a repeated name keeps its
 * first value (as Android's reader does). Text XML gives every attribute
 * as a string. ABX gives the type it was written with: STRING and
 * STRING_INTERNED as strings, INT, INT_HEX, LONG and LONG_HEX as integers
 * (the _HEX types only say how the text form spells the number), FLOAT
 * and DOUBLE as reals ("NaN", "Infinity", "-Infinity" as strings, which
 * JSON cannot hold otherwise), BOOLEAN_TRUE/FALSE as true/false, NULL as
 * null, BYTES_HEX as {"hex":"0A1B..."} (upper case, as Android's text form
 * writes it) and BYTES_BASE64 as {"base64":"..."}.
 *
 * "text" joins the element's own text, CDATA and entity references, in
 * order. White space between child elements (indentation) is dropped;
 * the text of an element without children is kept as it is. Predefined
 * entities (&lt; &#65; ...) are resolved; any other entity reference is
 * kept literally as "&name;": nothing is ever fetched or expanded, so a
 * hostile DOCTYPE (external entities, "billion laughs") cannot reach
 * outside the buffer or blow up. Comments, processing instructions and
 * the DOCTYPE are left out. Strings are UTF-8; bytes that do not decode
 * (from ABX's modified UTF-8) become U+FFFD.
 *
 * Limits: input up to FX_AXML_MAX_SIZE bytes, elements nested at most
 * FX_AXML_MAX_DEPTH deep (no recursion follows the input's depth: the
 * tree is built with an explicit stack) and at most FX_AXML_MAX_ITEMS
 * elements, attributes and text runs. Passing a limit is damage.
 */
#ifndef FX_AXML_H
#define FX_AXML_H

#include <stddef.h>

#include <jansson.h>

#define FX_AXML_MAX_SIZE  (64u * 1024 * 1024)
#define FX_AXML_MAX_DEPTH 256
#define FX_AXML_MAX_ITEMS 2000000

/*
 * Parses buf (len bytes) as ABX when it starts with "ABX\0", else as text
 * XML; name is the file's name, for messages only (NULL: "(buffer)").
 * Returns a new reference to the document (caller json_decref()s). When
 * the input is damaged the document holds everything read before the
 * damage, "damaged" is true, and the damage was reported with fx_error()
 * ("damaged ABX in 'packages.xml' at offset 1234: ..." or "damaged XML in
 * 'x.xml' at line 12: ..."), so the caller should fail at the end. Returns
 * NULL (reported) when nothing could be read: no root element, too big,
 * an unknown ABX version.
 */
json_t *fx_axml_parse(const void *buf, size_t len, const char *name);

/*
 * The root element of a document from fx_axml_parse(), or el itself when
 * it is already an element. Borrowed; NULL if neither.
 */
const json_t *fx_axml_root(const json_t *doc);

/*
 * An attribute of an element as a string: its string value, or NULL when
 * it is missing or not a string (an ABX int, say). Borrowed.
 */
const char *fx_axml_attr_str(const json_t *el, const char *name);

/*
 * An attribute as a 64-bit integer, whichever encoding it came from: an
 * ABX integer as it is, a text value parsed in base 10 or 16 (as Android
 * writes it: "ft" is hex, "version" decimal; a hex value of 16 digits is
 * two's complement, as Long.toHexString() writes negative numbers).
 * Returns 0 and sets *out, or -1 when the attribute is missing or is not
 * such a number.
 */
int fx_axml_attr_int(const json_t *el, const char *name, int base, long long *out);

/*
 * The <package> and <updated-package> entries of /data/system/packages.xml
 * (either encoding). Returns a new reference to an array of flat objects,
 * in document order (empty when there are none), or NULL (reported) when
 * doc is not a document. Keys, present only when the file has them:
 *
 *   "element"            "package", or "updated-package" for the factory
 *                        version of an updated system app
 *   "name", "realName", "codePath", "nativeLibraryPath", "primaryCpuAbi",
 *   "volumeUuid", "installer", "installInitiator", "installOriginator",
 *   "updateOwner", "installerAttributionTag", "appMetadataFilePath"
 *                        strings, as written
 *   "installerUid", "packageSource", "version", "targetSdkVersion",
 *   "userId", "sharedUserId", "flags", "privateFlags"
 *                        integers ("flags": publicFlags, or the single
 *                        "flags" of files before Android 6)
 *   "system"             (flags & FLAG_SYSTEM) != 0
 *   "isOrphaned", "installInitiatorUninstalled"
 *                        booleans
 *   "lastModifiedTime"   "ft": the package's timestamp (its APK's
 *                        modification time; "ts", decimal, in the oldest
 *                        files); ms since 1970
 *   "firstInstallTime"   "it", in files before Android 13 (which moved it
 *                        per user to package-restrictions.xml); ms
 *   "lastUpdateTime"     "ut"; ms
 *   "signatureScheme"    <sigs schemeVersion>
 *   "certificates"       SHA-256 (lower-case hex) of each signing
 *                        certificate in <sigs>, resolving <cert index>
 *                        references to the certificates written once, with
 *                        their key, earlier in the file
 *   "pastCertificates"   the same for <pastSigs> (key rotation)
 *
 * Times that are 0 (unset) are left out. The caller formats times.
 */
json_t *fx_axml_packages(const json_t *doc);

/*
 * The saved networks of WifiConfigStore.xml, both the layout of
 * /data/misc/wifi/ (Android 8 to 11) and of
 * /data/misc/apexdata/com.android.wifi/ (12 and later), in either
 * encoding: every <Network>, wherever it is. Returns a new reference to an
 * array of flat objects (empty when there are none), or NULL (reported)
 * when doc is not a document. Keys, present only when the file has them:
 *
 *   "ssid"               the SSID without its quotes; an SSID stored as
 *                        hex (as Android stores one that is not UTF-8) is
 *                        decoded only if its bytes are UTF-8 without NUL
 *   "ssidHex"            the hex form, when the SSID was stored so
 *   "configKey", "bssid", "defaultGwMacAddress", "randomizedMacAddress",
 *   "creatorName", "lastUpdateName", "fqdn", "providerFriendlyName"
 *                        strings, as written
 *   "psk"                PreSharedKey exactly as stored: a passphrase in
 *                        its quotes, or 64 hex digits
 *   "passphrase"         the passphrase without quotes, when quoted
 *   "pskEncrypted"       true when the key is Keystore-encrypted
 *                        (<EncryptedData>): it is not in the file
 *   "wepKeys"            the non-empty WEP keys, as stored
 *   "security"           the security type ending the ConfigKey
 *                        ("WPA_PSK", "SAE", "NONE", "WEP", "WPA_EAP", ...)
 *   "securityTypes"      names of the <SecurityParams> types ("PSK", "SAE"...)
 *   "keyMgmt"            names of the AllowedKeyMgmt bits ("WPA_PSK"...)
 *   "hidden", "shared", "autoJoin", "validatedInternetAccess",
 *   "meteredHint", "isMostRecentlyConnected"
 *                        booleans
 *   "creatorUid", "lastUpdateUid", "lastConnectUid", "numAssociation",
 *   "priority", "macRandomizationSetting", "status"
 *                        integers
 *   "creationTime"       ms since 1970 (Samsung's semCreationTime)
 *   "creationTimeText"   AOSP's CreationTime string ("time=03-14
 *                        18:22:05.311": local time without a year, so it
 *                        is not converted)
 *   "updateTime"         ms (Samsung's semUpdateTime)
 *   "lastConnectedTime"  ms (LastConnectedTime, where the vendor keeps it)
 *   "selectionStatus", "disableReason", "connectChoice"
 *                        <NetworkStatus> strings
 *   "hasEverConnected"   <NetworkStatus> boolean
 *   "connectChoiceTime"  ms (ConnectChoiceTimeStamp, Android 8 to 10)
 *   "ipAssignment", "proxySettings", "linkAddress", "gatewayAddress",
 *   "proxyHost", "proxyPac", "proxyExclusionList"
 *                        <IpConfiguration> strings
 *   "linkPrefixLength", "proxyPort"
 *                        integers
 *   "dnsServers"         array of strings
 *   "eapMethod", "phase2Method"
 *                        integers (<WifiEnterpriseConfiguration>)
 *   "identity", "anonymousIdentity", "eapPassword", "caCert", "realm",
 *   "domainSuffixMatch"  strings
 *
 * <null> values, empty strings and times that are 0 or negative (unset)
 * are left out.
 */
json_t *fx_axml_wifi(const json_t *doc);

/*
 * The network={...} blocks of an older wpa_supplicant.conf
 * (/data/misc/wifi/wpa_supplicant.conf, Android 7 and before), text of len
 * bytes (it need not be NUL-terminated). Returns a new reference to an
 * array of flat objects in file order, using the keys of fx_axml_wifi()
 * where they mean the same:
 *
 *   "line"               line number of "network={"
 *   "ssid"               quoted: the text; P"...": with escapes undone;
 *                        hex (ssid=6869): decoded, when valid UTF-8
 *                        without NUL
 *   "ssidHex"            the hex form, when the SSID was written so (or
 *                        when a quoted SSID is not UTF-8)
 *   "psk"                exactly as written: "..." with its quotes, or 64
 *                        hex digits
 *   "passphrase"         the passphrase without quotes, when quoted
 *   "security"           key_mgmt as written ("WPA-PSK", "NONE"...)
 *   "hidden"             scan_ssid=1
 *   "disabled"           disabled=1
 *   "priority"           integer
 *   "bssid", "eap", "identity", "anonymousIdentity", "eapPassword",
 *   "phase2", "caCert", "idStr", "wepKeys" (array), "wepTxKeyIndex"
 *                        as written, without quotes
 *   "incomplete"         true for a block cut off by the end of the file
 *
 * Global settings and comments are skipped. Never fails (returns an empty
 * array for text without networks), except for text == NULL with len > 0,
 * which returns NULL (reported).
 */
json_t *fx_android_wpa_supplicant(const char *text, size_t len);

#endif
