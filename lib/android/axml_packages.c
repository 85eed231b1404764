/*
 * axml_packages.c - fx_axml_packages(): the installed packages of
 * /data/system/packages.xml, as Settings.writePackageLPr() (and
 * PackageSignatures.writeXml()) write them, from a document of either
 * encoding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fx_axml.h"
#include "fx_err.h"
#include "fx_hash.h"
#include "axml_int.h"
#include "fx_banned.h"

#define FLAG_SYSTEM 1 /* ApplicationInfo.FLAG_SYSTEM */

static void put_str(json_t *o, const char *key, const json_t *el, const char *attr)
{
	const char *s = fx_axml_attr_str(el, attr);

	if (s)
		json_object_set_new(o, key, json_string(s));
}

static void put_int(json_t *o, const char *key, const json_t *el, const char *attr)
{
	long long v;

	if (fx_axml_attr_int(el, attr, 10, &v) == 0)
		json_object_set_new(o, key, json_integer(v));
}

static void put_bool(json_t *o, const char *key, const json_t *el, const char *attr)
{
	const json_t *v = json_object_get(json_object_get(el, "attrs"), attr);
	const char *s = json_string_value(v);

	if (json_is_boolean(v))
		json_object_set_new(o, key, json_boolean(json_is_true(v)));
	else if (s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0))
		json_object_set_new(o, key, json_boolean(s[0] == 't'));
}

/* A time in hex ms (ft, it, ut); 0 means unset. */
static void put_time(json_t *o, const char *key, const json_t *el, const char *attr)
{
	long long v;

	if (fx_axml_attr_int(el, attr, 16, &v) == 0 && v > 0)
		json_object_set_new(o, key, json_integer(v));
}

/* SHA-256 (hex) of a <cert key>: ABX bytes ({"hex":...}) or a text hex string. */
static int cert_sha256(const json_t *cert, char hex[FX_SHA256_HEX])
{
	const json_t *v = json_object_get(json_object_get(cert, "attrs"), "key");
	const char *s = json_string_value(json_object_get(v, "hex"));
	uint8_t md[FX_SHA256_LEN];
	unsigned char *der;
	size_t n;

	if (!s)
		s = json_string_value(v);
	if (!s || !*s || !(der = axml_unhex(s, strlen(s), &n)))
		return -1;
	fx_sha256(der, n, md);
	free(der);
	fx_hex(md, sizeof(md), hex);
	return 0;
}

/*
 * Android writes each distinct signing certificate once, with its key, and
 * refers to it by index afterwards (in any <sigs>, <pastSigs> or
 * <install-initiator-sigs>). Maps index (decimal string) to SHA-256.
 */
static json_t *cert_table(const json_t *root)
{
	struct axml_walk w;
	const json_t *el;
	json_t *table = json_object();
	char hex[FX_SHA256_HEX], key[32];
	long long index;

	axml_walk_init(&w, root);
	while ((el = axml_walk_next(&w)) != NULL) {
		if (strcmp(axml_tag(el), "cert") != 0 ||
		    fx_axml_attr_int(el, "index", 10, &index) < 0 || cert_sha256(el, hex) < 0)
			continue;
		snprintf(key, sizeof(key), "%lld", index);
		if (!json_object_get(table, key))
			json_object_set_new(table, key, json_string(hex));
	}
	axml_walk_release(&w);
	return table;
}

/* The certificates of a <sigs> or <pastSigs>: an array of SHA-256, or NULL if none. */
static json_t *certs(const json_t *sigs, const json_t *table)
{
	const json_t *children = json_object_get(sigs, "children"), *c, *known;
	json_t *out = json_array();
	char hex[FX_SHA256_HEX], key[32];
	long long index;
	size_t i;

	json_array_foreach(children, i, c) {
		if (strcmp(axml_tag(c), "cert") != 0)
			continue;
		if (cert_sha256(c, hex) == 0) {
			json_array_append_new(out, json_string(hex));
		} else if (fx_axml_attr_int(c, "index", 10, &index) == 0) {
			snprintf(key, sizeof(key), "%lld", index);
			if ((known = json_object_get(table, key)) != NULL)
				json_array_append_new(out, json_string(json_string_value(known)));
		}
	}
	if (json_array_size(out) == 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *package(const json_t *el, const json_t *table)
{
	json_t *o = json_object(), *a;
	const json_t *sigs, *past;
	long long flags, scheme;

	json_object_set_new(o, "element", json_string(axml_tag(el)));
	put_str(o, "name", el, "name");
	put_str(o, "realName", el, "realName");
	put_str(o, "codePath", el, "codePath");
	put_str(o, "nativeLibraryPath", el, "nativeLibraryPath");
	put_str(o, "primaryCpuAbi", el, "primaryCpuAbi");
	put_str(o, "volumeUuid", el, "volumeUuid");
	put_str(o, "installer", el, "installer");
	put_int(o, "installerUid", el, "installerUid");
	put_str(o, "installInitiator", el, "installInitiator");
	put_bool(o, "installInitiatorUninstalled", el, "installInitiatorUninstalled");
	put_str(o, "installOriginator", el, "installOriginator");
	put_str(o, "updateOwner", el, "updateOwner");
	put_str(o, "installerAttributionTag", el, "installerAttributionTag");
	put_int(o, "packageSource", el, "packageSource");
	put_bool(o, "isOrphaned", el, "isOrphaned");
	put_str(o, "appMetadataFilePath", el, "appMetadataFilePath");
	put_int(o, "version", el, "version");
	put_int(o, "targetSdkVersion", el, "targetSdkVersion");
	put_int(o, "userId", el, "userId");
	put_int(o, "sharedUserId", el, "sharedUserId");
	/* Before Android 6 one "flags" held the public and private flags. */
	if (fx_axml_attr_int(el, "publicFlags", 10, &flags) == 0 ||
	    fx_axml_attr_int(el, "flags", 10, &flags) == 0) {
		json_object_set_new(o, "flags", json_integer(flags));
		json_object_set_new(o, "system", json_boolean(flags & FLAG_SYSTEM));
	}
	put_int(o, "privateFlags", el, "privateFlags");
	put_time(o, "lastModifiedTime", el, "ft");
	if (!json_object_get(o, "lastModifiedTime")) {
		long long ts;

		/* Older files: "ts", decimal. */
		if (fx_axml_attr_int(el, "ts", 10, &ts) == 0 && ts > 0)
			json_object_set_new(o, "lastModifiedTime", json_integer(ts));
	}
	put_time(o, "firstInstallTime", el, "it");
	put_time(o, "lastUpdateTime", el, "ut");
	if ((sigs = axml_child(el, "sigs")) != NULL) {
		if (fx_axml_attr_int(sigs, "schemeVersion", 10, &scheme) == 0)
			json_object_set_new(o, "signatureScheme", json_integer(scheme));
		if ((a = certs(sigs, table)) != NULL)
			json_object_set_new(o, "certificates", a);
		if ((past = axml_child(sigs, "pastSigs")) != NULL && (a = certs(past, table)) != NULL)
			json_object_set_new(o, "pastCertificates", a);
	}
	return o;
}

json_t *fx_axml_packages(const json_t *doc)
{
	const json_t *root = fx_axml_root(doc), *children, *el;
	json_t *out, *table;
	size_t i;

	if (!root) {
		fx_error("cannot read packages: not an XML document");
		return NULL;
	}
	table = cert_table(root);
	out = json_array();
	children = json_object_get(root, "children");
	json_array_foreach(children, i, el) {
		const char *tag = axml_tag(el);

		if (strcmp(tag, "package") == 0 || strcmp(tag, "updated-package") == 0)
			json_array_append_new(out, package(el, table));
	}
	json_decref(table);
	return out;
}
