/*
 * What can be said about a network indicator without the internet: its
 * registrable domain and public suffix (libpsl), its address class
 * (RFC 1918, 6890 and friends), and its country from an offline GeoIP
 * database. Debian ships the legacy GeoIP.dat/GeoIPv6.dat country files
 * (geoip-database), read here by a small reader of the published binary
 * tree layout; a MaxMind .mmdb a user supplies is read with libmaxminddb.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpsl.h>
#include <maxminddb.h>

#include "link_int.h"
#include "fx_err.h"
#include "fx_io.h"
#include "fx_banned.h"

#define GEOIP_DAT "/usr/share/GeoIP/GeoIP.dat"
#define GEOIP_DAT6 "/usr/share/GeoIP/GeoIPv6.dat"
#define COUNTRY_BEGIN 16776960u

/* The legacy database's country numbering (GeoIP country edition). */
static const char codes[][3] = {
	"--", "AP", "EU", "AD", "AE", "AF", "AG", "AI", "AL", "AM", "CW", "AO", "AQ", "AR",
	"AS", "AT", "AU", "AW", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ",
	"BM", "BN", "BO", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF",
	"CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CX", "CY", "CZ",
	"DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI",
	"FJ", "FK", "FM", "FO", "FR", "SX", "GA", "GB", "GD", "GE", "GF", "GH", "GI", "GL",
	"GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR",
	"HT", "HU", "ID", "IE", "IL", "IN", "IO", "IQ", "IR", "IS", "IT", "JM", "JO", "JP",
	"KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
	"LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "MG", "MH", "MK",
	"ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY",
	"MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM",
	"PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
	"QA", "RE", "RO", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ",
	"SK", "SL", "SM", "SN", "SO", "SR", "ST", "SV", "SY", "SZ", "TC", "TD", "TF", "TG",
	"TH", "TJ", "TK", "TM", "TN", "TO", "TL", "TR", "TT", "TV", "TW", "TZ", "UA", "UG",
	"UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE",
	"YT", "RS", "ZA", "ZM", "ME", "ZW", "A1", "A2", "O1", "AX", "GG", "IM", "JE", "BL",
	"MF", "BQ", "SS", "O1",
};

struct fx_net {
	psl_ctx_t *psl_own; /* when the built-in list is missing */
	const psl_ctx_t *psl;
	char *dat4, *dat6;  /* legacy databases, whole */
	size_t len4, len6;
	MMDB_s mmdb;
	int has_mmdb;
	char country[8];    /* the last country looked up in the .mmdb */
};

/* The country databases are a few MiB: read whole, once per build. */
static char *load(const char *path, size_t *len)
{
	return fx_read_file(path, len, (size_t)256 << 20);
}

struct fx_net *fx_net_open(const char *geoip)
{
	struct fx_net *n = fx_xcalloc(1, sizeof(*n));
	size_t l = geoip ? strlen(geoip) : 0;

	n->psl = psl_builtin();
	if (!n->psl)
		n->psl = n->psl_own = psl_latest(NULL);
	if (geoip && l > 5 && strcmp(geoip + l - 5, ".mmdb") == 0) {
		int rc = MMDB_open(geoip, MMDB_MODE_MMAP, &n->mmdb);

		if (rc != MMDB_SUCCESS) {
			fx_error("cannot open GeoIP database '%s': %s", geoip, MMDB_strerror(rc));
			fx_net_free(n);
			return NULL;
		}
		n->has_mmdb = 1;
	} else if (geoip) {
		n->dat4 = load(geoip, &n->len4);
		if (!n->dat4) {
			fx_net_free(n);
			return NULL;
		}
	} else {
		if (access(GEOIP_DAT, R_OK) == 0)
			n->dat4 = load(GEOIP_DAT, &n->len4);
		if (access(GEOIP_DAT6, R_OK) == 0)
			n->dat6 = load(GEOIP_DAT6, &n->len6);
	}
	return n;
}

void fx_net_free(struct fx_net *n)
{
	if (!n)
		return;
	if (n->has_mmdb)
		MMDB_close(&n->mmdb);
	psl_free(n->psl_own);
	free(n->dat4);
	free(n->dat6);
	free(n);
}

/*
 * The legacy country database is a binary tree over the address bits:
 * each node two 3-byte little-endian records (bit clear, bit set); a
 * record at or past COUNTRY_BEGIN is a leaf holding the country index.
 */
static const char *dat_country(const char *db, size_t len, const uint8_t *addr, int bits)
{
	const uint8_t *p;
	uint32_t off = 0, x;
	int depth;

	for (depth = 0; depth < bits; depth++) {
		int bit = addr[depth / 8] >> (7 - depth % 8) & 1;

		if ((size_t)off * 6 + 6 > len)
			return NULL;
		p = (const uint8_t *)db + (size_t)off * 6 + (size_t)bit * 3;
		x = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
		if (x >= COUNTRY_BEGIN) {
			x -= COUNTRY_BEGIN;
			if (x == 0 || x >= sizeof(codes) / sizeof(codes[0]))
				return NULL;
			return codes[x];
		}
		off = x;
	}
	return NULL;
}

const char *fx_net_country(struct fx_net *n, const char *ip)
{
	uint8_t a[16];
	int v6;

	if (!n || !ip)
		return NULL;
	v6 = strchr(ip, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, ip, a) != 1)
		return NULL;
	if (n->has_mmdb) {
		int gai, mmerr;
		MMDB_lookup_result_s r = MMDB_lookup_string(&n->mmdb, ip, &gai, &mmerr);
		MMDB_entry_data_s d;

		if (gai || mmerr != MMDB_SUCCESS || !r.found_entry)
			return NULL;
		if (MMDB_get_value(&r.entry, &d, "country", "iso_code", NULL) != MMDB_SUCCESS ||
		    !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING ||
		    d.data_size >= sizeof(n->country))
			return NULL;
		memcpy(n->country, d.utf8_string, d.data_size);
		n->country[d.data_size] = '\0';
		return n->country;
	}
	if (!v6)
		return n->dat4 ? dat_country(n->dat4, n->len4, a, 32) : NULL;
	return n->dat6 ? dat_country(n->dat6, n->len6, a, 128) : NULL;
}

static int in4(const uint8_t *a, unsigned net, int bits)
{
	uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	uint32_t mask = bits ? 0xffffffffu << (32 - bits) : 0;

	return (v & mask) == (net & mask);
}

const char *fx_ip_class(const char *ip)
{
	uint8_t a[16];

	if (inet_pton(AF_INET, ip, a) == 1) {
		if (in4(a, 0x0a000000, 8) || in4(a, 0xac100000, 12) || in4(a, 0xc0a80000, 16))
			return "private";
		if (in4(a, 0x7f000000, 8))
			return "loopback";
		if (in4(a, 0xa9fe0000, 16))
			return "link-local";
		if (in4(a, 0x64400000, 10))
			return "shared";
		if (in4(a, 0xe0000000, 4))
			return "multicast";
		if (in4(a, 0xc0000200, 24) || in4(a, 0xc6336400, 24) || in4(a, 0xcb007100, 24))
			return "documentation";
		if (in4(a, 0, 8) || in4(a, 0xf0000000, 4) || in4(a, 0xc0000000, 24) ||
		    in4(a, 0xc6120000, 15))
			return "reserved";
		return "public";
	}
	if (inet_pton(AF_INET6, ip, a) == 1) {
		static const uint8_t zero[16];

		if (memcmp(a, zero, 15) == 0 && a[15] <= 1)
			return a[15] ? "loopback" : "reserved";
		if ((a[0] & 0xfe) == 0xfc)
			return "private";
		if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
			return "link-local";
		if (a[0] == 0xff)
			return "multicast";
		if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
			return "documentation";
		if ((a[0] & 0xe0) != 0x20)
			return "reserved";
		return "public";
	}
	return NULL;
}

/* The host of a URL or an e-mail address, into out. */
static int host_of(enum fx_ind_kind kind, const char *v, char *out, size_t cap)
{
	const char *h, *e;

	if (kind == FX_IND_EMAIL) {
		h = strrchr(v, '@');
		if (!h)
			return -1;
		h++;
		e = h + strlen(h);
	} else {
		h = strstr(v, "://");
		if (!h)
			return -1;
		h += 3;
		for (e = h; *e && !strchr("/?#", *e); e++)
			if (*e == '@')
				h = e + 1;
		if (*h == '[') {
			const char *r = memchr(h, ']', (size_t)(e - h));

			if (!r)
				return -1;
			h++;
			e = r;
		} else {
			const char *c = memchr(h, ':', (size_t)(e - h));

			if (c)
				e = c;
		}
	}
	if ((size_t)(e - h) >= cap || e == h)
		return -1;
	memcpy(out, h, (size_t)(e - h));
	out[e - h] = '\0';
	return 0;
}

int fx_net_describe(struct fx_net *n, enum fx_ind_kind kind, const char *value, json_t *obj)
{
	char host[256];
	const char *cls, *cc, *reg, *suf;

	if (kind == FX_IND_URL || kind == FX_IND_EMAIL) {
		if (host_of(kind, value, host, sizeof(host)) < 0)
			return 0;
		json_object_set_new(obj, "host", json_string(host));
		value = host;
		kind = fx_ip_class(host) ? FX_IND_IP : FX_IND_DOMAIN;
	}
	if (kind == FX_IND_DOMAIN && n && n->psl) {
		reg = psl_registrable_domain(n->psl, value);
		suf = psl_unregistrable_domain(n->psl, value);
		if (reg)
			json_object_set_new(obj, "registrable", json_string(reg));
		if (suf)
			json_object_set_new(obj, "suffix", json_string(suf));
	} else if (kind == FX_IND_IP) {
		cls = fx_ip_class(value);
		if (cls)
			json_object_set_new(obj, "ip_class", json_string(cls));
		cc = cls && strcmp(cls, "public") == 0 ? fx_net_country(n, value) : NULL;
		if (cc)
			json_object_set_new(obj, "country", json_string(cc));
	}
	return 0;
}
