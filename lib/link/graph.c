/*
 * The association graph of a case. Every live record is read once
 * through the query API; its identifiers become nodes, and what ties
 * them becomes edge occurrences: a communication (an SMS, MMS or call
 * between the device's owner and a number), a contact (a person and
 * their numbers and addresses), co-occurrence in one record, and events
 * close in time on one device. Occurrences go to a scratch SQLite
 * database (a private temporary file, not the case) whose sorter groups
 * them with bounded memory whatever the case's size; the groups are then
 * written back as `indicator` and `link` records in one change.
 *
 * An edge's score: ln(1 + records) + independent sources (different
 * source files) + time proximity (1 - gap / window, for time edges).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "link_int.h"
#include "fx_case.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

#define MAX_NODES 24      /* nodes taken from one record */
#define MAX_SRC_IDS 64    /* record ids listed in a finding's src */
#define MAX_DISTINCT 32   /* types, devices, raw forms kept per node */
#define MAX_SOURCES 1024  /* independent sources counted per node or edge */
#define DEFAULT_WINDOW (5 * 60 * 1000)

enum edge_kind {
	E_COMM = 1, E_CONTACT = 2, E_COOCCUR = 4, E_TIME = 8,
};

static const char *const edge_names[] = { "communication", "contact", "cooccurrence", "time" };

struct node {
	char key[FX_IND_MAX + 16]; /* "kind:value" */
	const char *raw;            /* as written (borrowed), or NULL */
	size_t raw_len;
	const char *detail;
	int ind;                    /* an indicator (not a device or a person) */
	int party;                  /* the other party of a communication */
};

struct build {
	struct fx_case *c;
	struct fx_link_build *b;
	struct fx_net *net;
	sqlite3 *db;
	sqlite3_stmt *ins_occ, *ins_pair, *ins_ev, *ins_info;
	struct fx_hash *basis;
	char basis_hex[FX_SHA256_HEX];
	/* the record being read */
	struct node nodes[MAX_NODES];
	size_t nnodes;
	const char *id, *type, *device, *field;
	uint8_t rid[32]; /* its id, raw: the scratch tables keep ids as 32 bytes */
	int64_t src;     /* its source, as a number: see source_of() */
	int64_t ms;
	int timed, comm;
	const char *dir;
	char owner[FX_IND_MAX + 16]; /* device node or owner phone */
	uint64_t bad;
	int failed;
	struct fx_progress prog;
};

/* ---- scratch database ---- */

static int scratch_exec(struct build *g, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(g->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fx_error("scratch database: %s", err ? err : "failed");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static sqlite3_stmt *scratch_prepare(struct build *g, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(g->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fx_error("scratch database: %s", sqlite3_errmsg(g->db));
		return NULL;
	}
	return st;
}

static int scratch_open(struct build *g)
{
	/* "": a private on-disk database, deleted when closed. */
	if (sqlite3_open_v2("", &g->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		return fx_error("cannot open a scratch database: %s", sqlite3_errmsg(g->db));
	if (scratch_exec(g, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
			    " PRAGMA temp_store=FILE; PRAGMA cache_size=-16384;"
			    " CREATE TABLE occ(node TEXT, rec BLOB, src INTEGER, ms INTEGER,"
			    "  raw TEXT, type TEXT, detail TEXT, device TEXT);"
			    " CREATE TABLE pair(a TEXT, b TEXT, kind INTEGER, rec BLOB,"
			    "  src INTEGER,"
			    "  ms INTEGER, gap INTEGER, dir TEXT);"
			    " CREATE TABLE ev(device TEXT, ms INTEGER, node TEXT, rec BLOB,"
			    "  src INTEGER);"
			    " CREATE TABLE info(node TEXT, key TEXT, value TEXT,"
			    "  UNIQUE(node, key, value));"
			    " BEGIN") < 0)
		return -1;
	g->ins_occ = scratch_prepare(g, "INSERT INTO occ VALUES(?,?,?,?,?,?,?,?)");
	g->ins_pair = scratch_prepare(g, "INSERT INTO pair VALUES(?,?,?,?,?,?,?,?)");
	g->ins_ev = scratch_prepare(g, "INSERT INTO ev VALUES(?,?,?,?,?)");
	g->ins_info = scratch_prepare(g, "INSERT OR IGNORE INTO info VALUES(?,?,?)");
	return g->ins_occ && g->ins_pair && g->ins_ev && g->ins_info ? 0 : -1;
}

static void scratch_close(struct build *g)
{
	sqlite3_finalize(g->ins_occ);
	sqlite3_finalize(g->ins_pair);
	sqlite3_finalize(g->ins_ev);
	sqlite3_finalize(g->ins_info);
	sqlite3_close(g->db);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s, int n)
{
	if (s)
		sqlite3_bind_text(st, i, s, n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int step(struct build *g, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		g->failed = 1;
		return fx_error("scratch database: %s", sqlite3_errmsg(g->db));
	}
	return 0;
}

/* ---- reading one record ---- */

static void add_node(struct build *g, const char *kind, const char *value, const char *raw,
		     size_t raw_len, const char *detail, int ind)
{
	struct node *nd;
	char key[sizeof(nd->key)];
	size_t i;

	if (snprintf(key, sizeof(key), "%s:%s", kind, value) >= (int)sizeof(key))
		return;
	for (i = 0; i < g->nnodes; i++)
		if (strcmp(g->nodes[i].key, key) == 0)
			return;
	if (g->nnodes == MAX_NODES)
		return;
	nd = &g->nodes[g->nnodes++];
	memcpy(nd->key, key, strlen(key) + 1);
	nd->raw = raw;
	nd->raw_len = raw_len;
	nd->detail = detail;
	nd->ind = ind;
	nd->party = 0;
}

static int on_ind(const struct fx_ind *ind, void *ctx)
{
	struct build *g = ctx;
	const char *base;

	base = (const char *)g->field; /* the text the offsets are in */
	add_node(g, fx_ind_name(ind->kind), ind->value, base + ind->off, ind->len, ind->detail, 1);
	return 0;
}

/* Data keys whose strings are not free text: names of things, codes, secrets. */
static const char *const skip_keys[] = {
	/* a contact's or a call's account is the device's own (sync account, SIM) */
	"account", "account_type", "authtoken_types", "grants", "history", "visibility",
	"service_center",
	"browser", "certificates", "code_path", "creator", "data_dir", "direction", "element",
	"encoding", "encrypted_value", "entry", "guid", "installer", "install_initiator",
	"kind", "mime", "orientation", "package", "password", "store", "symbology",
	"time_unit", "type", "state", "danger", NULL,
};

static int skip_key(const char *k)
{
	size_t i;

	for (i = 0; skip_keys[i]; i++)
		if (strcmp(k, skip_keys[i]) == 0)
			return 1;
	return 0;
}

static void walk_text(struct build *g, const json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		g->field = s;
		fx_link_extract(s, json_string_length(v), &g->b->opts, on_ind, g);
	} else if (json_is_object(v) && !json_object_get(v, FX_KEY_HEX)) {
		json_object_foreach((json_t *)v, k, x)
			if (!skip_key(k))
				walk_text(g, x);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			walk_text(g, x);
	}
}

/* A phone number from a structured field: service numbers are kept too. */
static void phone_field(struct build *g, const json_t *v, int party)
{
	const char *s = json_string_value(v), *detail;
	char out[32];

	if (!s || fx_phone_norm(s, strlen(s), g->b->opts.region, 1, out, &detail) < 0)
		return;
	add_node(g, "phone", out, s, strlen(s), detail, 1);
	if (party) {
		size_t i;
		char key[48];

		snprintf(key, sizeof(key), "phone:%s", out);
		for (i = 0; i < g->nnodes; i++)
			if (strcmp(g->nodes[i].key, key) == 0)
				g->nodes[i].party = 1;
	}
}

/* The platform of an Android account type, by the names accounts use. */
static const char *platform(const char *type)
{
	static const char *const map[][2] = {
		{ "com.tencent.mm.account", "wechat" }, { "com.tencent.mobileqq.account", "qq" },
		{ "com.eg.android.AlipayGphone", "alipay" }, { "com.whatsapp", "whatsapp" },
		{ "org.telegram.messenger", "telegram" }, { "com.google", "google" },
		{ "com.ss.android.ugc.aweme", "douyin" }, { "com.sina.weibo", "weibo" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(type, map[i][0]) == 0)
			return map[i][1];
	return type;
}

static void structured(struct build *g, const json_t *data)
{
	const char *t = g->type, *s, *at;
	json_t *x;
	size_t i;

	if (strcmp(t, "sms") == 0 || strcmp(t, "call") == 0) {
		phone_field(g, json_object_get(data, strcmp(t, "sms") == 0 ? "address" : "number"),
			    1);
		g->comm = 1;
	} else if (strcmp(t, "mms") == 0) {
		phone_field(g, json_object_get(data, "from"), 1);
		json_array_foreach(json_object_get(data, "to"), i, x)
			phone_field(g, json_is_object(x) ? json_object_get(x, "address") : x, 1);
		g->comm = 1;
	} else if (strcmp(t, "contact") == 0) {
		s = json_string_value(json_object_get(data, "name"));
		if (s && *s)
			add_node(g, "person", s, NULL, 0, NULL, 0);
		json_array_foreach(json_object_get(data, "phones"), i, x)
			phone_field(g, json_object_get(x, "number"), 0);
	} else if (strcmp(t, "account") == 0) {
		const char *type = json_string_value(json_object_get(data, "type"));
		char v[FX_IND_MAX];

		s = json_string_value(json_object_get(data, "name"));
		if (!s || !type)
			return;
		at = platform(type);
		if (snprintf(v, sizeof(v), "%s:%s", at, s) < (int)sizeof(v))
			add_node(g, "account", v, s, strlen(s), at, 1);
	} else if (strcmp(t, "device") == 0) {
		phone_field(g, json_object_get(data, "phone"), 0);
	}
}

/* What a web capture recorded about a host: kept for its domain's indicator. */
static void web_info(struct build *g, const json_t *data)
{
	static const char *const keys[] = { "server", "x_powered_by", "powered_by",
					    "generator", "frameworks", "cert_issuer",
					    "tls_issuer", "issuer", NULL };
	const char *host = NULL;
	char node[300];
	json_t *x, *y;
	size_t i, j;

	for (i = 0; i < g->nnodes; i++)
		if (strncmp(g->nodes[i].key, "domain:", 7) == 0 ||
		    strncmp(g->nodes[i].key, "ip:", 3) == 0) {
			host = g->nodes[i].key;
			break;
		}
	if (!host || snprintf(node, sizeof(node), "%s", host) >= (int)sizeof(node))
		return;
	for (i = 0; keys[i]; i++) {
		x = json_object_get(data, keys[i]);
		if (json_is_string(x)) {
			sqlite3_bind_text(g->ins_info, 1, node, -1, SQLITE_STATIC);
			sqlite3_bind_text(g->ins_info, 2, keys[i], -1, SQLITE_STATIC);
			sqlite3_bind_text(g->ins_info, 3, json_string_value(x), -1, SQLITE_STATIC);
			step(g, g->ins_info);
		} else if (json_is_array(x)) {
			json_array_foreach(x, j, y) {
				if (!json_is_string(y))
					continue;
				sqlite3_bind_text(g->ins_info, 1, node, -1, SQLITE_STATIC);
				sqlite3_bind_text(g->ins_info, 2, keys[i], -1, SQLITE_STATIC);
				sqlite3_bind_text(g->ins_info, 3, json_string_value(y), -1,
						  SQLITE_STATIC);
				step(g, g->ins_info);
			}
		}
	}
}

static void add_pair(struct build *g, const char *a, const char *b, int kind,
		     const uint8_t *rec, int64_t src, int64_t ms, int timed, int64_t gap,
		     const char *dir)
{
	sqlite3_stmt *st = g->ins_pair;

	if (strcmp(a, b) > 0) {
		const char *t = a;

		a = b;
		b = t;
	}
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, kind);
	sqlite3_bind_blob(st, 4, rec, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, src);
	timed ? sqlite3_bind_int64(st, 6, ms) : sqlite3_bind_null(st, 6);
	gap >= 0 ? sqlite3_bind_int64(st, 7, gap) : sqlite3_bind_null(st, 7);
	bind_text_or_null(st, 8, dir, -1);
	step(g, st);
}

static const char *direction(const char *d)
{
	if (!d)
		return NULL;
	if (strcmp(d, "in") == 0 || strcmp(d, "missed") == 0 || strcmp(d, "rejected") == 0 ||
	    strcmp(d, "blocked") == 0 || strcmp(d, "voicemail") == 0)
		return "in";
	if (strcmp(d, "out") == 0 || strcmp(d, "outbox") == 0 || strcmp(d, "failed") == 0 ||
	    strcmp(d, "queued") == 0)
		return "out";
	return NULL;
}

/*
 * Records that describe things rather than say something: files, apps,
 * settings, saved networks, pictures' metadata, and fx's own bookkeeping.
 * They are part of the basis, but their strings are names, not messages.
 */
static int skip_type(const char *t)
{
	static const char *const types[] = { "app", "custody", "file", "photo", "setting",
					     "verification", "wifi", NULL };
	size_t i;

	for (i = 0; types[i]; i++)
		if (strcmp(t, types[i]) == 0)
			return 1;
	return 0;
}

/*
 * Independent sources are different files: a record's source is its
 * src.sha256 (its first 8 bytes, as a number); a record without one is
 * its own kind of source, by tool and type (FNV-1a of their names).
 */
static int64_t source_of(const json_t *rec)
{
	const char *sha = json_string_value(json_object_get(json_object_get(rec, FX_KEY_SRC),
							    FX_SRC_SHA256));
	const char *parts[2] = { json_string_value(json_object_get(rec, FX_KEY_TOOL)),
				 json_string_value(json_object_get(rec, FX_KEY_TYPE)) };
	uint8_t b[8];
	uint64_t h = 1469598103934665603ULL;
	const char *p;
	int i;

	if (sha && fx_is_sha256_hex(sha)) {
		char first[17];

		memcpy(first, sha, 16);
		first[16] = '\0';
		fx_unhex(first, b, 8);
		for (i = 0; i < 8; i++)
			h = h << 8 | b[i];
		return (int64_t)(h >> 1);
	}
	for (i = 0; i < 2; i++) {
		for (p = parts[i] ? parts[i] : ""; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		h = (h ^ '/') * 1099511628211ULL;
	}
	/* odd values: never the same as a file's, which are shifted right */
	return (int64_t)(h >> 1) | 1;
}

static int read_record(const char *line, void *ctx)
{
	struct build *g = ctx;
	json_t *rec, *data;
	const char *t, *person = NULL;
	size_t i, j;

	rec = json_loads(line, JSON_ALLOW_NUL, NULL);
	if (!rec) {
		g->bad++;
		return 0;
	}
	g->type = json_string_value(json_object_get(rec, FX_KEY_TYPE));
	g->id = json_string_value(json_object_get(rec, FX_KEY_ID));
	if (!g->type || !g->id) {
		json_decref(rec);
		g->bad++;
		return 0;
	}
	t = g->type;
	if (strcmp(t, "indicator") == 0 || strcmp(t, "link") == 0) {
		json_decref(rec);
		return 0;
	}
	/* The basis: which records, in which order, the graph was made from. */
	fx_hash_update(g->basis, g->id, strlen(g->id));
	if (++g->b->records % 4096 == 0)
		fx_progress(&g->prog, "fx-link: %llu records read",
			    (unsigned long long)g->b->records);
	if (skip_type(t)) {
		json_decref(rec);
		return 0;
	}
	data = json_object_get(rec, FX_KEY_DATA);
	g->device = json_string_value(json_object_get(rec, FX_KEY_DEVICE));
	if (fx_unhex(g->id, g->rid, 32) < 0) {
		json_decref(rec);
		g->bad++;
		return 0;
	}
	g->src = source_of(rec);
	g->timed = json_string_value(json_object_get(rec, FX_KEY_TIME)) &&
		   fx_time_parse(json_string_value(json_object_get(rec, FX_KEY_TIME)), &g->ms) == 0;
	g->nnodes = 0;
	g->comm = 0;
	g->dir = direction(json_string_value(json_object_get(data, "direction")));
	structured(g, data);
	walk_text(g, data);
	if (g->device)
		snprintf(g->owner, sizeof(g->owner), "device:%s", g->device);
	else
		g->owner[0] = '\0';
	if (strcmp(t, "device") == 0) {
		const char *key = json_string_value(json_object_get(data, "key"));

		if (key)
			snprintf(g->owner, sizeof(g->owner), "device:%s", key);
	}
	if (strcmp(t, "contact") == 0 && g->nnodes && strncmp(g->nodes[0].key, "person:", 7) == 0)
		person = g->nodes[0].key;
	web_info(g, data);
	/* occurrences of the identifiers */
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = &g->nodes[i];
		sqlite3_stmt *st = g->ins_occ;

		if (!n->ind)
			continue;
		sqlite3_bind_text(st, 1, n->key, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, g->rid, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, g->src);
		g->timed ? sqlite3_bind_int64(st, 4, g->ms) : sqlite3_bind_null(st, 4);
		bind_text_or_null(st, 5, n->raw, n->raw ? (int)n->raw_len : 0);
		sqlite3_bind_text(st, 6, t, -1, SQLITE_STATIC);
		bind_text_or_null(st, 7, n->detail, -1);
		bind_text_or_null(st, 8, g->device, -1);
		step(g, st);
	}
	/* edges: the owner and each party; a person and their identifiers; the rest */
	for (i = 0; i < g->nnodes; i++) {
		const char *a = g->nodes[i].key;

		if (g->comm && g->nodes[i].party && g->owner[0]) {
			add_pair(g, g->owner, a, E_COMM, g->rid, g->src, g->ms, g->timed, -1,
				 strcmp(g->owner, a) < 0 ? g->dir
				 : g->dir ? (strcmp(g->dir, "in") == 0 ? "out" : "in") : NULL);
			if (g->timed) {
				sqlite3_bind_text(g->ins_ev, 1, g->owner, -1, SQLITE_STATIC);
				sqlite3_bind_int64(g->ins_ev, 2, g->ms);
				sqlite3_bind_text(g->ins_ev, 3, a, -1, SQLITE_STATIC);
				sqlite3_bind_blob(g->ins_ev, 4, g->rid, 32, SQLITE_STATIC);
				sqlite3_bind_int64(g->ins_ev, 5, g->src);
				step(g, g->ins_ev);
			}
		}
		if (strcmp(t, "device") == 0 && g->owner[0] && g->nodes[i].ind)
			add_pair(g, g->owner, a, E_COOCCUR, g->rid, g->src, g->ms, g->timed, -1,
				 NULL);
		for (j = i + 1; j < g->nnodes; j++) {
			const char *b = g->nodes[j].key;
			int kind = person && (a == person || b == person) ? E_CONTACT : E_COOCCUR;

			/* a URL and its own host say nothing more together */
			if (strncmp(a, "url:", 4) == 0 || strncmp(b, "url:", 4) == 0) {
				const char *u = strncmp(a, "url:", 4) == 0 ? a : b;
				const char *o = u == a ? b : a;

				if ((strncmp(o, "domain:", 7) == 0 && strstr(u, o + 7)) ||
				    (strncmp(o, "ip:", 3) == 0 && strstr(u, o + 3)) ||
				    (strncmp(o, "payqr:", 6) == 0 && strcmp(o + 6, u + 4) == 0))
					continue;
			}
			if (strncmp(a, "email:", 6) == 0 && strncmp(b, "domain:", 7) == 0 &&
			    strstr(a, b + 7))
				continue;
			if (strncmp(b, "email:", 6) == 0 && strncmp(a, "domain:", 7) == 0 &&
			    strstr(b, a + 7))
				continue;
			add_pair(g, a, b, kind, g->rid, g->src, g->ms, g->timed, -1, NULL);
		}
	}
	json_decref(rec);
	return g->failed ? -1 : 0;
}

/* ---- events close in time ---- */

static int time_edges(struct build *g)
{
	sqlite3_stmt *st;
	char prev_dev[FX_IND_MAX + 16] = "", prev_node[FX_IND_MAX + 16] = "";
	uint8_t prev_rec[32] = { 0 };
	int64_t prev_ms = 0, prev_src = 0, ms,
		window = g->b->window_ms ? g->b->window_ms : DEFAULT_WINDOW;
	int rc;

	/* Each event is tied to the one before it on the same device, when close enough. */
	st = scratch_prepare(g, "SELECT device, ms, node, rec, src FROM ev"
				" ORDER BY device, ms, rec");
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *dev = (const char *)sqlite3_column_text(st, 0),
			   *node = (const char *)sqlite3_column_text(st, 2);
		const uint8_t *rec = sqlite3_column_blob(st, 3);
		int64_t src = sqlite3_column_int64(st, 4);

		ms = sqlite3_column_int64(st, 1);
		if (sqlite3_column_bytes(st, 3) != 32)
			continue;
		if (strcmp(dev, prev_dev) == 0 && strcmp(node, prev_node) != 0 &&
		    ms - prev_ms <= window) {
			add_pair(g, prev_node, node, E_TIME, prev_rec, prev_src, prev_ms, 1,
				 ms - prev_ms, NULL);
			add_pair(g, prev_node, node, E_TIME, rec, src, ms, 1, ms - prev_ms, NULL);
		}
		snprintf(prev_dev, sizeof(prev_dev), "%s", dev);
		snprintf(prev_node, sizeof(prev_node), "%s", node);
		memcpy(prev_rec, rec, 32);
		prev_src = src;
		prev_ms = ms;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || g->failed)
		return fx_error("scratch database: %s", sqlite3_errmsg(g->db));
	return 0;
}

/* ---- writing the results ---- */

/* A small set of distinct strings (first MAX_DISTINCT kept; count goes on). */
struct strset {
	char *v[MAX_DISTINCT];
	size_t n;
	uint64_t total;
};

static void set_add(struct strset *s, const char *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], v) == 0)
			return;
	s->total++;
	if (s->n < MAX_DISTINCT)
		s->v[s->n++] = fx_xstrdup(v);
}

static json_t *set_json(const struct strset *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < s->n; i++)
		json_array_append_new(a, json_string(s->v[i]));
	return a;
}

static void set_clear(struct strset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
	s->total = 0;
}

static int set_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What a group of rows (one node or one edge) adds up to. */
struct group {
	char key[2 * (FX_IND_MAX + 16)];
	uint64_t count;
	uint8_t last_rec[32];
	int has_last;
	int64_t src[MAX_SOURCES]; /* distinct sources */
	size_t nsrc;
	json_t *ids; /* the first MAX_SRC_IDS record ids */
	struct fx_hash *all;
	struct strset types, devices, raws, details;
	int64_t first, last, gap;
	int timed, has_gap, kinds;
	uint64_t in, out;
};

static void group_start(struct group *gr, const char *key)
{
	snprintf(gr->key, sizeof(gr->key), "%s", key);
	gr->count = 0;
	gr->has_last = 0;
	gr->nsrc = 0;
	json_decref(gr->ids);
	gr->ids = json_array();
	if (!gr->all)
		gr->all = fx_hash_new(FX_HASH_SHA256);
	set_clear(&gr->types);
	set_clear(&gr->devices);
	set_clear(&gr->raws);
	set_clear(&gr->details);
	gr->timed = gr->has_gap = gr->kinds = 0;
	gr->in = gr->out = 0;
}

static void group_add(struct group *gr, const uint8_t *rec, int64_t src, int timed, int64_t ms)
{
	char hex[FX_SHA256_HEX];
	size_t i;

	if (!gr->has_last || memcmp(rec, gr->last_rec, 32) != 0) {
		/* rows come sorted by record: a new id is a new supporting record */
		fx_hex(rec, 32, hex);
		gr->count++;
		if (json_array_size(gr->ids) < MAX_SRC_IDS)
			json_array_append_new(gr->ids, json_string(hex));
		fx_hash_update(gr->all, hex, 64);
		memcpy(gr->last_rec, rec, 32);
		gr->has_last = 1;
	}
	for (i = 0; i < gr->nsrc && gr->src[i] != src; i++)
		;
	if (i == gr->nsrc && gr->nsrc < MAX_SOURCES)
		gr->src[gr->nsrc++] = src;
	if (timed) {
		if (!gr->timed || ms < gr->first)
			gr->first = ms;
		if (!gr->timed || ms > gr->last)
			gr->last = ms;
		gr->timed = 1;
	}
}

static void group_release(struct group *gr)
{
	set_clear(&gr->types);
	set_clear(&gr->devices);
	set_clear(&gr->raws);
	set_clear(&gr->details);
	if (gr->all)
		fx_hash_free(gr->all);
	json_decref(gr->ids);
}

/* Fills the fields every finding has and returns the record (new reference). */
static json_t *finding(struct build *g, struct group *gr, const char *type, json_t *data)
{
	json_t *rec = fx_record_new(type, fx_case_id(g->c), "fx-link");
	uint8_t md[32];
	char hex[FX_SHA256_HEX], t[FX_TIME_LEN];

	fx_hash_final(gr->all, md);
	json_object_set_new(data, "count", json_integer((json_int_t)gr->count));
	json_object_set_new(data, "sources", json_integer((json_int_t)gr->nsrc));
	json_object_set_new(data, "records_sha256", json_string(fx_hex(md, 32, hex)));
	json_object_set_new(data, "basis", json_string(g->basis_hex));
	if (gr->timed && fx_time_format(gr->first, t) == 0)
		json_object_set_new(data, "first_seen", json_string(t));
	if (gr->timed && fx_time_format(gr->last, t) == 0)
		json_object_set_new(data, "last_seen", json_string(t));
	json_object_set_new(rec, FX_KEY_DATA, data);
	json_object_set_new(rec, FX_KEY_SRC, json_pack("{s:O}", FX_SRC_RECORDS, gr->ids));
	return rec;
}

/* Output: prepared records stored FX_CASE_STORE_MANY at a time. */
struct out {
	struct fx_case_prep p[FX_CASE_STORE_MANY];
	size_t n;
};

static int out_flush(struct build *g, struct out *o)
{
	int rc = fx_case_store_records(g->c, o->p, o->n);

	o->n = 0;
	return rc;
}

static int out_add(struct build *g, struct out *o, json_t *rec)
{
	int rc = fx_case_prepare_record(g->c, rec, "fx-link", &o->p[o->n]);

	if (rc == 0 && g->b->out) {
		if (fputs(o->p[o->n].line, g->b->out) == EOF || fputc('\n', g->b->out) == EOF)
			rc = fx_error_errno("cannot write records");
	}
	json_decref(rec);
	if (rc < 0)
		return -1;
	if (++o->n == FX_CASE_STORE_MANY)
		return out_flush(g, o);
	return 0;
}

static void add_web(struct build *g, const char *node, json_t *data)
{
	sqlite3_stmt *st = scratch_prepare(g, "SELECT key, value FROM info WHERE node = ?"
					      " ORDER BY key, value");
	json_t *web = json_object(), *a;

	if (!st)
		return;
	sqlite3_bind_text(st, 1, node, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);

		a = json_object_get(web, k);
		if (!a)
			json_object_set_new(web, k, a = json_array());
		json_array_append_new(a, json_string((const char *)sqlite3_column_text(st, 1)));
	}
	sqlite3_finalize(st);
	if (json_object_size(web))
		json_object_set_new(data, "web", web);
	else
		json_decref(web);
}

static int emit_indicator(struct build *g, struct out *o, struct group *gr)
{
	const char *colon = strchr(gr->key, ':'), *region;
	json_t *data = json_object();
	enum fx_ind_kind k;
	char kind[16];

	if (!colon || (size_t)(colon - gr->key) >= sizeof(kind)) {
		json_decref(data);
		return 0;
	}
	memcpy(kind, gr->key, (size_t)(colon - gr->key));
	kind[colon - gr->key] = '\0';
	for (k = 0; k < FX_IND_COUNT; k++)
		if (strcmp(fx_ind_name(k), kind) == 0)
			break;
	json_object_set_new(data, "kind", json_string(kind));
	json_object_set_new(data, "value", json_string(colon + 1));
	json_object_set_new(data, "node", json_string(gr->key));
	if (gr->details.n)
		json_object_set_new(data, "detail", json_string(gr->details.v[0]));
	qsort(gr->types.v, gr->types.n, sizeof(char *), set_cmp);
	qsort(gr->devices.v, gr->devices.n, sizeof(char *), set_cmp);
	qsort(gr->raws.v, gr->raws.n, sizeof(char *), set_cmp);
	json_object_set_new(data, "seen_in", set_json(&gr->types));
	if (gr->devices.n)
		json_object_set_new(data, "devices", set_json(&gr->devices));
	if (gr->raws.n > 1 || (gr->raws.n == 1 && strcmp(gr->raws.v[0], colon + 1) != 0))
		json_object_set_new(data, "raw", set_json(&gr->raws));
	if (k < FX_IND_COUNT)
		fx_net_describe(g->net, k, colon + 1, data);
	if (k == FX_IND_PHONE && (region = fx_phone_region(colon + 1)))
		json_object_set_new(data, "region", json_string(region));
	if (k == FX_IND_DOMAIN || k == FX_IND_IP)
		add_web(g, gr->key, data);
	g->b->indicators++;
	return out_add(g, o, finding(g, gr, "indicator", data));
}

static int indicators(struct build *g, struct out *o)
{
	struct group gr = { 0 };
	sqlite3_stmt *st;
	int rc, started = 0, ret = 0;

	st = scratch_prepare(g, "SELECT node, rec, src, ms, raw, type, detail, device FROM occ"
				" ORDER BY node, rec");
	if (!st)
		return -1;
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *node = (const char *)sqlite3_column_text(st, 0);

		if (!started || strcmp(node, gr.key) != 0) {
			if (started && emit_indicator(g, o, &gr) < 0) {
				ret = -1;
				break;
			}
			group_start(&gr, node);
			started = 1;
		}
		if (sqlite3_column_bytes(st, 1) != 32)
			continue;
		group_add(&gr, sqlite3_column_blob(st, 1), sqlite3_column_int64(st, 2),
			  sqlite3_column_type(st, 3) != SQLITE_NULL, sqlite3_column_int64(st, 3));
		if (gr.raws.n < 8)
			set_add(&gr.raws, (const char *)sqlite3_column_text(st, 4));
		set_add(&gr.types, (const char *)sqlite3_column_text(st, 5));
		set_add(&gr.details, (const char *)sqlite3_column_text(st, 6));
		set_add(&gr.devices, (const char *)sqlite3_column_text(st, 7));
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fx_error("scratch database: %s", sqlite3_errmsg(g->db));
	if (!ret && started)
		ret = emit_indicator(g, o, &gr);
	sqlite3_finalize(st);
	group_release(&gr);
	return ret;
}

static int emit_link(struct build *g, struct out *o, struct group *gr)
{
	json_t *data = json_object(), *kinds = json_array();
	const char *tab = strchr(gr->key, '\t');
	int64_t window = g->b->window_ms ? g->b->window_ms : DEFAULT_WINDOW;
	double score;
	size_t i;

	json_object_set_new(data, "a", json_stringn(gr->key, (size_t)(tab - gr->key)));
	json_object_set_new(data, "b", json_string(tab + 1));
	for (i = 0; i < 4; i++)
		if (gr->kinds & 1 << i)
			json_array_append_new(kinds, json_string(edge_names[i]));
	json_object_set_new(data, "kinds", kinds);
	score = log(1.0 + (double)gr->count) + (double)gr->nsrc;
	if (gr->has_gap) {
		json_object_set_new(data, "gap_ms", json_integer((json_int_t)gr->gap));
		score += 1.0 - (double)gr->gap / (double)window;
	}
	if (gr->in)
		json_object_set_new(data, "in", json_integer((json_int_t)gr->in));
	if (gr->out)
		json_object_set_new(data, "out", json_integer((json_int_t)gr->out));
	/* Rounded, so that the id does not hang on the last bit of a double. */
	json_object_set_new(data, "score", json_real(round(score * 1000.0) / 1000.0));
	g->b->links++;
	return out_add(g, o, finding(g, gr, "link", data));
}

static int links(struct build *g, struct out *o)
{
	struct group gr = { 0 };
	char key[sizeof(gr.key)];
	sqlite3_stmt *st;
	int rc, started = 0, ret = 0;

	st = scratch_prepare(g, "SELECT a, b, kind, rec, src, ms, gap, dir FROM pair"
				" ORDER BY a, b, rec");
	if (!st)
		return -1;
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *dir = (const char *)sqlite3_column_text(st, 7);

		snprintf(key, sizeof(key), "%s\t%s", sqlite3_column_text(st, 0),
			 sqlite3_column_text(st, 1));
		if (!started || strcmp(key, gr.key) != 0) {
			if (started && emit_link(g, o, &gr) < 0) {
				ret = -1;
				break;
			}
			group_start(&gr, key);
			started = 1;
		}
		if (sqlite3_column_bytes(st, 3) != 32)
			continue;
		if (dir && (!gr.has_last ||
			    memcmp(sqlite3_column_blob(st, 3), gr.last_rec, 32) != 0))
			*(strcmp(dir, "in") == 0 ? &gr.in : &gr.out) += 1;
		group_add(&gr, sqlite3_column_blob(st, 3), sqlite3_column_int64(st, 4),
			  sqlite3_column_type(st, 5) != SQLITE_NULL, sqlite3_column_int64(st, 5));
		gr.kinds |= sqlite3_column_int(st, 2);
		if (sqlite3_column_type(st, 6) != SQLITE_NULL &&
		    (!gr.has_gap || sqlite3_column_int64(st, 6) < gr.gap)) {
			gr.gap = sqlite3_column_int64(st, 6);
			gr.has_gap = 1;
		}
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fx_error("scratch database: %s", sqlite3_errmsg(g->db));
	if (!ret && started)
		ret = emit_link(g, o, &gr);
	sqlite3_finalize(st);
	group_release(&gr);
	return ret;
}

/* The basis of the live graph records of c, or "" when there are none. */
static int old_basis_cb(const char *line, void *ctx)
{
	json_t *rec = json_loads(line, JSON_ALLOW_NUL, NULL);
	const char *b = json_string_value(json_object_get(json_object_get(rec, FX_KEY_DATA),
							  "basis"));

	snprintf(ctx, FX_SHA256_HEX, "%s", b ? b : "");
	json_decref(rec);
	return 1;
}

static int withdraw_old(struct build *g)
{
	static const char *const types[] = { "indicator", "link" };
	struct fx_case_query q = { 0 };
	char old[FX_SHA256_HEX];
	uint64_t n;
	int i;

	for (i = 0; i < 2; i++) {
		old[0] = '\0';
		q.type = types[i];
		q.limit = 1;
		if (fx_case_list(g->c, &q, old_basis_cb, old) < 0)
			return -1;
		/* Built before from the same input: the same records, nothing to withdraw. */
		if (!old[0] || strcmp(old, g->basis_hex) == 0)
			continue;
		if (fx_case_withdraw(g->c, types[i], NULL, &n) < 0)
			return -1;
		g->b->withdrawn += n;
	}
	return 0;
}

int fx_link_build(struct fx_case *c, struct fx_link_build *b)
{
	struct fx_case_query q = { 0 };
	struct build *g = fx_xcalloc(1, sizeof(*g));
	struct out *o = fx_xcalloc(1, sizeof(*o));
	json_t *detail = NULL, *input;
	uint8_t md[32];
	char opt[128];
	size_t i;
	int ret = -1, rc;

	g->c = c;
	g->b = b;
	if (!b->opts.region)
		b->opts.region = "CN";
	for (i = 0; i < FX_CASE_STORE_MANY; i++) {
		struct fx_case_prep init = FX_CASE_PREP_INIT;

		o->p[i] = init;
	}
	g->net = fx_net_open(b->geoip);
	if (!g->net || scratch_open(g) < 0)
		goto out;
	if (fx_case_begin(c, "link") < 0)
		goto out;
	/* Inside the change: no one else can add records between reading and writing. */
	g->basis = fx_hash_new(FX_HASH_SHA256);
	q.withdrawn = 0;
	fx_progress_init(&g->prog, b->quiet);
	rc = fx_case_list(c, &q, read_record, g);
	fx_progress_done(&g->prog);
	if (rc != 0 || g->failed)
		goto fail;
	/* The options that change the result are part of the basis too. */
	snprintf(opt, sizeof(opt), "fx-link %s region=%s window=%lld geoip=%s", FX_VERSION,
		 b->opts.region, (long long)(b->window_ms ? b->window_ms : DEFAULT_WINDOW),
		 b->geoip ? b->geoip : "");
	fx_hash_update(g->basis, opt, strlen(opt));
	fx_hash_final(g->basis, md);
	fx_hex(md, 32, g->basis_hex);
	if (time_edges(g) < 0 || scratch_exec(g, "COMMIT") < 0)
		goto fail;
	if (withdraw_old(g) < 0)
		goto fail;
	if (indicators(g, o) < 0 || links(g, o) < 0 || out_flush(g, o) < 0)
		goto fail;
	input = json_pack("{s:I,s:s}", "records", (json_int_t)b->records, "basis", g->basis_hex);
	fx_case_note_input(c, input);
	json_decref(input);
	detail = json_pack("{s:I,s:I,s:s,s:I}", "indicators", (json_int_t)b->indicators, "links",
			   (json_int_t)b->links, "region", b->opts.region, "window_ms",
			   (json_int_t)(b->window_ms ? b->window_ms : DEFAULT_WINDOW));
	b->added = fx_case_added(c);
	if (fx_case_commit(c, detail, NULL) < 0)
		goto out;
	ret = 0;
	goto out;
fail:
	fx_case_rollback(c);
out:
	json_decref(detail);
	if (g->basis)
		fx_hash_free(g->basis);
	if (g->db)
		scratch_close(g);
	fx_net_free(g->net);
	for (i = 0; i < FX_CASE_STORE_MANY; i++)
		fx_case_prep_release(&o->p[i]);
	free(o);
	free(g);
	return ret;
}
