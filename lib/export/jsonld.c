/*
 * jsonld.c - the case in CASE/UCO 1.4.0 JSON-LD: one investigative action
 * per custody entry (performer, instrument: the fx program and version,
 * start and end time, results), a provenance record of what each entry
 * added, and the evidence as UCO observables: files with their SHA-256,
 * messages, calls, contacts, accounts, devices, browser history,
 * locations, Wi-Fi networks.
 *
 * What the SHACL shapes cannot check, the writer guarantees: every node
 * has an IRI (no blank nodes), every IRI ends in a UUID (version 5,
 * derived from the case id and the node's key, so the same case gives the
 * same document), and every facet belongs to one object only (its IRI is
 * derived from its object's).
 */
#include <stdlib.h>
#include <string.h>

#include "export_int.h"
#include "fx_err.h"
#include "fx_export.h"
#include "fx_hash.h"
#include "fx_record.h"
#include "fx_banned.h"

/* fx's namespace for its name-based UUIDs (RFC 4122 section 4.3). */
static const uint8_t fx_ns[16] = { 0x3f, 0x1c, 0x7a, 0x52, 0x8b, 0x1e, 0x4d, 0x6a,
				   0x9c, 0x3e, 0x5a, 0x2f, 0x0b, 0x7d, 0x9e, 0x41 };

struct ld {
	struct fx_buf *out;
	const char *case_id;
	int first;
	json_t *seen;     /* ids of shared nodes already written */
	json_t *by_entry; /* "seq" -> [ids the entry added] */
	json_t *history;  /* browser -> [URLHistoryEntry nodes] */
};

/* "kb:KIND-UUID", the UUID from the case id, kind and key. Caller frees. */
static char *node_id(const struct ld *l, const char *kind, const char *key)
{
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA1);
	uint8_t md[20];

	fx_hash_update(h, fx_ns, sizeof(fx_ns));
	fx_hash_update(h, l->case_id, strlen(l->case_id));
	fx_hash_update(h, "\n", 1);
	fx_hash_update(h, kind, strlen(kind));
	fx_hash_update(h, "\n", 1);
	fx_hash_update(h, key, strlen(key));
	fx_hash_final(h, md);
	fx_hash_free(h);
	md[6] = (uint8_t)((md[6] & 0x0f) | 0x50); /* version 5 */
	md[8] = (uint8_t)((md[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	return fx_xasprintf("kb:%s-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			    "%02x%02x%02x%02x%02x%02x",
			    kind, md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8],
			    md[9], md[10], md[11], md[12], md[13], md[14], md[15]);
}

/* Writes a node (stolen) into the graph. */
static void emit(struct ld *l, json_t *node)
{
	char *s = fx_json_dump(node);

	json_decref(node);
	if (!s)
		return;
	if (!l->first)
		fx_buf_add(l->out, ",", 1);
	l->first = 0;
	fx_buf_add(l->out, s, strlen(s));
	free(s);
}

static json_t *ref(const char *id)
{
	return json_pack("{s:s}", "@id", id);
}

static json_t *typed(const char *type, const char *value)
{
	return json_pack("{s:s,s:s}", "@type", type, "@value", value);
}

static json_t *integer(json_int_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)v);
	return typed("xsd:integer", num);
}

/* A node of type with its id (stolen id). */
static json_t *node(char *id, const char *type)
{
	json_t *n = json_pack("{s:s,s:s}", "@id", id, "@type", type);

	free(id);
	return n;
}

/* A facet of the object owner: its id follows from the owner's, so none is shared. */
static json_t *facet(struct ld *l, const char *owner, const char *type)
{
	const char *colon = strchr(type, ':');
	char *key = fx_xasprintf("%s/%s", owner, colon ? colon + 1 : type);
	json_t *f = node(node_id(l, "facet", key), type);

	free(key);
	return f;
}

static void set_str(json_t *o, const char *key, const json_t *v)
{
	if (json_is_string(v) && json_string_length(v))
		json_object_set(o, key, (json_t *)v);
}

static void set_time(json_t *o, const char *key, const json_t *v)
{
	if (json_is_string(v))
		json_object_set_new(o, key, typed("xsd:dateTime", json_string_value(v)));
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A shared node, written once: a phone number's account, a person, a tool. */
static char *shared(struct ld *l, const char *kind, const char *key, json_t *(*make)(struct ld *, const char *, const char *))
{
	char *id = node_id(l, kind, key);

	if (!json_object_get(l->seen, id)) {
		json_object_set_new(l->seen, id, json_true());
		emit(l, make(l, id, key));
	}
	return id;
}

static json_t *make_phone(struct ld *l, const char *id, const char *number)
{
	json_t *n = json_pack("{s:s,s:s}", "@id", id, "@type", "observable:PhoneAccount");
	json_t *f = facet(l, id, "observable:PhoneAccountFacet");

	json_object_set_new(f, "observable:phoneNumber", json_string(number));
	json_object_set_new(n, "core:hasFacet", json_pack("[o]", f));
	return n;
}

static json_t *make_person(struct ld *l, const char *id, const char *name)
{
	(void)l;
	return json_pack("{s:s,s:s,s:s}", "@id", id, "@type", "identity:Person", "core:name", name);
}

static json_t *make_org(struct ld *l, const char *id, const char *name)
{
	(void)l;
	return json_pack("{s:s,s:s,s:s}", "@id", id, "@type", "identity:Organization", "core:name",
			 name);
}

static json_t *make_tool(struct ld *l, const char *id, const char *key)
{
	const char *sp = strchr(key, ' ');
	json_t *n = json_pack("{s:s,s:s,s:s%,s:s}", "@id", id, "@type", "tool:AnalyticTool",
			      "core:name", key, (size_t)(sp ? sp - key : (ptrdiff_t)strlen(key)),
			      "tool:toolType", "forensic");

	(void)l;
	if (sp)
		json_object_set_new(n, "tool:version", json_string(sp + 1));
	return n;
}

static json_t *make_url(struct ld *l, const char *id, const char *url)
{
	json_t *n = json_pack("{s:s,s:s}", "@id", id, "@type", "observable:URL");
	json_t *f = facet(l, id, "observable:URLFacet");

	json_object_set_new(f, "observable:fullValue", json_string(url));
	json_object_set_new(n, "core:hasFacet", json_pack("[o]", f));
	return n;
}

/* Remembers that the custody entry seq added node id. */
static void added_by(struct ld *l, int64_t seq, const char *id)
{
	char key[32];
	json_t *a;

	snprintf(key, sizeof(key), "%lld", (long long)seq);
	a = json_object_get(l->by_entry, key);
	if (!a) {
		a = json_array();
		json_object_set_new(l->by_entry, key, a);
	}
	json_array_append_new(a, ref(id));
}

static json_t *hash_node(struct ld *l, const char *owner, const char *hex)
{
	char *key = fx_xasprintf("%s/sha256", owner);
	json_t *h = node(node_id(l, "hash", key), "types:Hash");

	free(key);
	json_object_set_new(h, "types:hashMethod", json_string("SHA256"));
	json_object_set_new(h, "types:hashValue", typed("xsd:hexBinary", hex));
	return h;
}

/* The sender and receiver of a message or call, by direction. */
static void parties(struct ld *l, json_t *f, const char *dir, const char *number)
{
	char *acct;

	if (!number || !*number)
		return;
	acct = shared(l, "phone", number, make_phone);
	json_object_set_new(f, dir && strcmp(dir, "out") == 0 ? "observable:to" : "observable:from",
			    dir && strcmp(dir, "out") == 0 ? json_pack("[o]", ref(acct))
							   : ref(acct));
	free(acct);
}

static int on_record(const char *line, int64_t entry, int64_t withdrawn, void *ctx)
{
	struct ld *l = ctx;
	json_t *rec, *d, *n = NULL, *f, *f2, *facets;
	const char *type, *id;
	char *nid;

	if (withdrawn >= 0)
		return 0;
	rec = json_loads(line, JSON_ALLOW_NUL, NULL);
	if (!rec)
		return fx_error("a stored record cannot be read (run fx-case verify)");
	type = str(rec, FX_KEY_TYPE);
	id = str(rec, FX_KEY_ID);
	d = json_object_get(rec, FX_KEY_DATA);
	facets = json_array();
	if (strcmp(type, "file") == 0 && json_is_string(json_object_get(d, "sha256"))) {
		nid = node_id(l, "file", id);
		n = node(fx_xstrdup(nid), "observable:File");
		f = facet(l, nid, "observable:FileFacet");
		if (json_is_string(json_object_get(d, "path"))) {
			const char *p = str(d, "path"), *slash = strrchr(p, '/');

			json_object_set_new(f, "observable:filePath", json_string(p));
			json_object_set_new(f, "observable:fileName", json_string(slash ? slash + 1 : p));
		}
		if (json_is_integer(json_object_get(d, "size")))
			json_object_set_new(f, "observable:sizeInBytes",
					    integer(json_integer_value(json_object_get(d, "size"))));
		set_time(f, "observable:modifiedTime", json_object_get(d, "mtime"));
		json_object_set_new(f, "observable:isDirectory", json_false());
		json_array_append_new(facets, f);
		f2 = facet(l, nid, "observable:ContentDataFacet");
		json_object_set_new(f2, "observable:hash", json_pack("[o]", hash_node(l, nid,
							 str(d, "sha256"))));
		if (json_is_integer(json_object_get(d, "size")))
			json_object_set_new(f2, "observable:sizeInBytes",
					    integer(json_integer_value(json_object_get(d, "size"))));
		set_str(f2, "observable:mimeType", json_object_get(d, "mime"));
		json_array_append_new(facets, f2);
		free(nid);
	} else if (strcmp(type, "sms") == 0 || strcmp(type, "mms") == 0) {
		nid = node_id(l, "message", id);
		n = node(fx_xstrdup(nid), strcmp(type, "sms") == 0 ? "observable:SMSMessage"
								  : "observable:Message");
		f = facet(l, nid, "observable:MessageFacet");
		set_str(f, "observable:messageText", json_object_get(d, "body"));
		set_time(f, "observable:sentTime", json_object_get(rec, FX_KEY_TIME));
		json_object_set_new(f, "observable:messageType", json_string(type));
		parties(l, f, str(d, "direction"),
			strcmp(type, "sms") == 0 ? str(d, "address") : str(d, "from"));
		json_array_append_new(facets, f);
		if (strcmp(type, "sms") == 0 && json_is_boolean(json_object_get(d, "read"))) {
			f2 = facet(l, nid, "observable:SMSMessageFacet");
			json_object_set(f2, "observable:isRead", json_object_get(d, "read"));
			json_array_append_new(facets, f2);
		}
		free(nid);
	} else if (strcmp(type, "call") == 0) {
		nid = node_id(l, "call", id);
		n = node(fx_xstrdup(nid), "observable:Call");
		f = facet(l, nid, "observable:CallFacet");
		set_str(f, "observable:callType", json_object_get(d, "direction"));
		set_time(f, "observable:startTime", json_object_get(rec, FX_KEY_TIME));
		if (json_is_integer(json_object_get(d, "duration")))
			json_object_set_new(f, "observable:duration",
					    integer(json_integer_value(json_object_get(d, "duration"))));
		parties(l, f, str(d, "direction"), str(d, "number"));
		json_array_append_new(facets, f);
		free(nid);
	} else if (strcmp(type, "contact") == 0) {
		nid = node_id(l, "contact", id);
		n = node(fx_xstrdup(nid), "observable:Contact");
		f = facet(l, nid, "observable:ContactFacet");
		set_str(f, "observable:displayName", json_object_get(d, "name"));
		if (json_is_integer(json_object_get(d, "times_contacted")))
			json_object_set_new(f, "observable:numberTimesContacted",
					    integer(json_integer_value(json_object_get(d, "times_contacted"))));
		json_array_append_new(facets, f);
		free(nid);
	} else if (strcmp(type, "account") == 0) {
		nid = node_id(l, "account", id);
		n = node(fx_xstrdup(nid), "observable:DigitalAccount");
		f = facet(l, nid, "observable:AccountFacet");
		set_str(f, "observable:accountIdentifier", json_object_get(d, "name"));
		/* Android's account types are not in UCO's AccountTypeVocab: said in words. */
		if (str(d, "type"))
			json_object_set_new(n, "core:description",
					    json_pack("s+", "Android account of type ", str(d, "type")));
		json_array_append_new(facets, f);
		free(nid);
	} else if (strcmp(type, "wifi") == 0) {
		nid = node_id(l, "wifi", id);
		n = node(fx_xstrdup(nid), "observable:WirelessNetworkConnection");
		f = facet(l, nid, "observable:WirelessNetworkConnectionFacet");
		set_str(f, "observable:ssid", json_object_get(d, "ssid"));
		set_str(f, "observable:baseStation", json_object_get(d, "bssid"));
		json_array_append_new(facets, f);
		free(nid);
	} else if (strcmp(type, "visit") == 0 && json_is_string(json_object_get(d, "url"))) {
		/* Visits become entries of their browser's history, written at the end. */
		const char *browser = str(d, "browser") ? str(d, "browser") : "browser";
		char *hid = node_id(l, "history", browser), *url, *eid;
		json_t *e, *list = json_object_get(l->history, browser);

		url = shared(l, "url", str(d, "url"), make_url);
		eid = node_id(l, "visit", id);
		e = node(fx_xstrdup(eid), "observable:URLHistoryEntry");
		json_object_set_new(e, "observable:url", ref(url));
		set_str(e, "observable:pageTitle", json_object_get(d, "title"));
		set_time(e, "observable:lastVisit", json_object_get(rec, FX_KEY_TIME));
		if (json_is_integer(json_object_get(d, "visit_count")))
			json_object_set_new(e, "observable:visitCount",
					    integer(json_integer_value(json_object_get(d, "visit_count"))));
		if (!list) {
			list = json_array();
			json_object_set_new(l->history, browser, list);
			added_by(l, entry, hid);
		}
		json_array_append_new(list, e);
		free(url);
		free(eid);
		free(hid);
	} else if (json_is_number(json_object_get(d, "latitude")) &&
		   json_is_number(json_object_get(d, "longitude"))) {
		char num[64];

		nid = node_id(l, "location", id);
		n = node(fx_xstrdup(nid), "location:Location");
		f = facet(l, nid, "location:LatLongCoordinatesFacet");
		snprintf(num, sizeof(num), "%.7f", json_number_value(json_object_get(d, "latitude")));
		json_object_set_new(f, "location:latitude", typed("xsd:decimal", num));
		snprintf(num, sizeof(num), "%.7f", json_number_value(json_object_get(d, "longitude")));
		json_object_set_new(f, "location:longitude", typed("xsd:decimal", num));
		json_array_append_new(facets, f);
		json_object_set_new(n, "core:description", json_pack("s+", type, " position"));
		free(nid);
	}
	if (n) {
		json_object_set_new(n, "core:hasFacet", facets);
		facets = NULL;
		added_by(l, entry, str(n, "@id"));
		emit(l, n);
	}
	json_decref(facets);
	json_decref(rec);
	return 0;
}

static void devices(struct ld *l, const json_t *list)
{
	const json_t *d;
	json_t *n, *f, *f2, *facets;
	const char *key;
	char *nid, *org;
	size_t i;

	json_array_foreach(list, i, d) {
		key = str(d, "key");
		if (!key)
			continue;
		nid = node_id(l, "device", key);
		n = node(fx_xstrdup(nid), "observable:MobileDevice");
		json_object_set_new(n, "core:name", json_string(key));
		facets = json_array();
		f = facet(l, nid, "observable:DeviceFacet");
		set_str(f, "observable:model", json_object_get(d, "model"));
		set_str(f, "observable:serialNumber", json_object_get(d, "serial"));
		json_object_set_new(f, "observable:deviceType", json_string("phone"));
		if (str(d, "manufacturer")) {
			org = shared(l, "organization", str(d, "manufacturer"), make_org);
			json_object_set_new(f, "observable:manufacturer", ref(org));
			free(org);
		}
		json_array_append_new(facets, f);
		if (str(d, "imei") || str(d, "bt_name")) {
			f2 = facet(l, nid, "observable:MobileDeviceFacet");
			set_str(f2, "observable:IMEI", json_object_get(d, "imei"));
			set_str(f2, "observable:bluetoothDeviceName", json_object_get(d, "bt_name"));
			json_array_append_new(facets, f2);
		}
		json_object_set_new(n, "core:hasFacet", facets);
		emit(l, n);
		free(nid);
	}
}

struct actions {
	struct ld *l;
	json_t *ids;
};

/* One investigative action per custody entry, and the provenance of what it added. */
static int on_entry(const json_t *e, void *ctx)
{
	struct actions *a = ctx;
	struct ld *l = a->l;
	char key[32], *aid, *pid, *who, *tool, *tk;
	json_t *n, *added, *p;

	snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(e, "seq")));
	aid = node_id(l, "action", key);
	n = node(fx_xstrdup(aid), "investigation:InvestigativeAction");
	json_object_set_new(n, "core:name", json_pack("s", str(e, "action") ? str(e, "action") : ""));
	json_object_set_new(n, "core:description",
			    json_pack("s+", "custody entry ", key));
	set_time(n, "action:startTime", json_object_get(e, "at"));
	set_time(n, "action:endTime", json_object_get(e, "at"));
	json_object_set_new(n, "action:actionStatus", json_string("Complete/Finish"));
	if (str(e, "who")) {
		who = shared(l, "person", str(e, "who"), make_person);
		json_object_set_new(n, "action:performer", ref(who));
		free(who);
	}
	tk = fx_xasprintf("%s %s", str(e, "tool") ? str(e, "tool") : "fx",
			  str(e, "version") ? str(e, "version") : "");
	tool = shared(l, "tool", tk, make_tool);
	json_object_set_new(n, "action:instrument", ref(tool));
	free(tool);
	free(tk);
	added = json_object_get(l->by_entry, key);
	if (json_array_size(added)) {
		pid = node_id(l, "provenance", key);
		p = node(fx_xstrdup(pid), "investigation:ProvenanceRecord");
		tk = fx_xasprintf("%s/%s", l->case_id, key);
		json_object_set_new(p, "investigation:exhibitNumber", json_string(tk));
		free(tk);
		json_object_set(p, "core:object", added);
		emit(l, p);
		json_object_set_new(n, "action:result", json_pack("[o]", ref(pid)));
		json_array_append_new(a->ids, ref(pid));
		free(pid);
	}
	emit(l, n);
	json_array_append_new(a->ids, ref(aid));
	free(aid);
	return 0;
}

static const char context[] =
	"{\"@context\":{"
	"\"kb\":\"urn:fx:kb:\","
	"\"action\":\"https://ontology.unifiedcyberontology.org/uco/action/\","
	"\"core\":\"https://ontology.unifiedcyberontology.org/uco/core/\","
	"\"identity\":\"https://ontology.unifiedcyberontology.org/uco/identity/\","
	"\"investigation\":\"https://ontology.caseontology.org/case/investigation/\","
	"\"location\":\"https://ontology.unifiedcyberontology.org/uco/location/\","
	"\"observable\":\"https://ontology.unifiedcyberontology.org/uco/observable/\","
	"\"tool\":\"https://ontology.unifiedcyberontology.org/uco/tool/\","
	"\"types\":\"https://ontology.unifiedcyberontology.org/uco/types/\","
	"\"vocabulary\":\"https://ontology.unifiedcyberontology.org/uco/vocabulary/\","
	"\"xsd\":\"http://www.w3.org/2001/XMLSchema#\""
	"},\"@graph\":[";

int fx_export_jsonld(struct fx_case *c, struct fx_buf *out)
{
	struct ld l;
	struct actions a;
	json_t *info = fx_case_info(c), *inv, *v;
	const json_t *cd = json_object_get(fx_case_record(c), FX_KEY_DATA);
	const char *browser;
	char *hid, *s;
	int ret = 0;

	memset(&l, 0, sizeof(l));
	l.out = out;
	l.case_id = fx_case_id(c);
	l.first = 1;
	l.seen = json_object();
	l.by_entry = json_object();
	l.history = json_object();
	fx_buf_add(out, context, strlen(context));
	devices(&l, json_object_get(info, "devices"));
	if (fx_case_each_record(c, on_record, &l) != 0)
		ret = -1;
	/* Each browser's history, with its visits. */
	json_object_foreach(l.history, browser, v) {
		json_t *n, *f;

		hid = node_id(&l, "history", browser);
		n = node(fx_xstrdup(hid), "observable:URLHistory");
		json_object_set_new(n, "core:name", json_string(browser));
		f = facet(&l, hid, "observable:URLHistoryFacet");
		json_object_set(f, "observable:urlHistoryEntry", v);
		json_object_set_new(n, "core:hasFacet", json_pack("[o]", f));
		emit(&l, n);
		free(hid);
	}
	a.l = &l;
	a.ids = json_array();
	if (ret == 0 && fx_case_log(c, 0, on_entry, &a) != 0)
		ret = -1;
	/* The investigation, holding every action and provenance record. */
	inv = node(node_id(&l, "investigation", l.case_id), "investigation:Investigation");
	json_object_set_new(inv, "core:name", json_string(l.case_id));
	set_str(inv, "core:description", json_object_get(cd, "title"));
	json_object_set_new(inv, "investigation:focus", json_string("electronic evidence"));
	set_time(inv, "investigation:startTime", json_object_get(cd, "created"));
	json_object_set_new(inv, "core:object", a.ids);
	if (str(cd, "agency")) {
		s = shared(&l, "organization", str(cd, "agency"), make_org);
		free(s);
	}
	emit(&l, inv);
	fx_buf_add(out, "]}\n", 3);
	json_decref(l.seen);
	json_decref(l.by_entry);
	json_decref(l.history);
	json_decref(info);
	return ret;
}
