/*
 * fx_link.h - indicators and the association graph (lib/link/).
 *
 * Indicators are the identifiers found in the text of records: URLs,
 * domains, IP addresses, e-mail addresses, phone numbers (E.164), bank
 * cards (Luhn), cryptocurrency addresses (checksums verified), messaging
 * and payment account ids (only next to a label) and payment QR payloads.
 * net.c describes the network ones offline (public suffix, IP class,
 * country). graph.c streams a case's records into nodes and scored edges
 * and stores them as `indicator` and `link` records; query.c walks them.
 */
#ifndef FX_LINK_H
#define FX_LINK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct fx_case;

/* Indicator kinds, in the order their names are listed by fx_ind_name(). */
enum fx_ind_kind {
	FX_IND_URL,
	FX_IND_DOMAIN,
	FX_IND_IP,
	FX_IND_EMAIL,
	FX_IND_PHONE,
	FX_IND_CARD,
	FX_IND_CRYPTO,
	FX_IND_ACCOUNT,
	FX_IND_PAYQR,
	FX_IND_COUNT
};

/* "url", "domain", "ip", … Borrowed (static). */
const char *fx_ind_name(enum fx_ind_kind k);

#define FX_IND_MAX 320 /* longest normalised value kept, NUL included */

/* One indicator found in a text. */
struct fx_ind {
	enum fx_ind_kind kind;
	char value[FX_IND_MAX];  /* normalised: E.164, lowercase host, … */
	const char *detail;      /* static: "mobile", "visa", "bitcoin", … or NULL */
	size_t off, len;         /* the raw span in the text, in bytes */
};

/* Options of extraction. */
struct fx_link_opts {
	const char *region; /* default region of national phone numbers: "CN" */
};

/*
 * Calls fn with every indicator in text[0..n) (UTF-8; other bytes are
 * only skipped), in order of position; the URL's host and an e-mail
 * address's domain also come as domain (or ip) indicators. Stops when fn
 * returns non-zero and returns that; else 0.
 */
int fx_link_extract(const char *text, size_t n, const struct fx_link_opts *o,
		    int (*fn)(const struct fx_ind *ind, void *ctx), void *ctx);

/* ---- single-family checks, each exported for tests and for graph.c ---- */


/*
 * Normalises a phone number to E.164 ("+8613800138000") into out, with
 * region the default for a national number. With lenient, a short
 * service number (95588) is kept as its digits. detail gets "mobile",
 * "landline", "service" or "other". Returns 0, or -1 when s is not a
 * valid number.
 */
int fx_phone_norm(const char *s, size_t n, const char *region, int lenient,
		  char out[32], const char **detail);
/* The ISO 3166 region of an E.164 number ("CN"), or NULL. Static. */
const char *fx_phone_region(const char *e164);

/* Card brand from the IIN and length ("visa", …), or NULL when none fits. */
const char *fx_card_brand(const char *digits, size_t n);

/*
 * Checks a cryptocurrency address: Bitcoin base58check (P2PKH, P2SH) and
 * bech32/bech32m segwit, TRON base58check, Ethereum (EIP-55 when mixed
 * case). Returns the chain ("bitcoin", "tron", "ethereum"), or NULL.
 */
const char *fx_crypto_check(const char *s, size_t n);

/* Keccak-256 (the pre-standard SHA-3 Ethereum uses). */
void fx_keccak256(const void *data, size_t n, uint8_t out[32]);

/* EMVCo merchant-presented QR: TLV layout and CRC16 (tag 63) both right. */
int fx_emvco_ok(const char *s, size_t n);
/* CRC-16/CCITT-FALSE, as EMVCo QR codes use. */
unsigned fx_crc16_ccitt(const void *data, size_t n);

/* ---- network description ---- */

struct fx_net;

/*
 * Opens the offline sources: libpsl's built-in list, and the GeoIP
 * database geoip (a MaxMind .mmdb, or the legacy GeoIP.dat/GeoIPv6.dat of
 * Debian's geoip-database; NULL: the Debian files when present). Returns
 * a new fx_net (fx_net_free()), or NULL after reporting.
 */
struct fx_net *fx_net_open(const char *geoip);
void fx_net_free(struct fx_net *n);

/*
 * Adds what is known offline about an indicator to obj (borrowed):
 * domains: registrable, suffix; IPs: ip_class, country; URLs and e-mail
 * addresses: their host's. Returns 0.
 */
int fx_net_describe(struct fx_net *n, enum fx_ind_kind kind, const char *value, json_t *obj);

/* "private", "loopback", "link-local", "reserved", "shared", "multicast",
 * "documentation" or "public" for an address in text form; NULL if not one. */
const char *fx_ip_class(const char *ip);

/* The country (ISO 3166 alpha-2) of ip, or NULL. Static or borrowed. */
const char *fx_net_country(struct fx_net *n, const char *ip);

/* ---- the graph ---- */

struct fx_link_build {
	struct fx_link_opts opts;
	const char *geoip;   /* see fx_net_open() */
	int64_t window_ms;   /* events this close in time are linked; 0: 10 min */
	int quiet;
	FILE *out;           /* the records made, as JSON Lines; NULL: none */
	/* results */
	uint64_t records, indicators, links, added, withdrawn;
};

/*
 * Builds the graph of c (open for writing): reads every live record
 * (fx-link's own aside), stores one `indicator` record per identifier and
 * one `link` record per edge, in one change with its custody entry. The
 * records made from the same input have the same ids; those of an earlier
 * build over other input are withdrawn. Returns 0 or -1 (reported).
 */
int fx_link_build(struct fx_case *c, struct fx_link_build *b);

/* Node keys are "kind:value"; makes one from what a user typed. Caller frees. */
char *fx_link_node_key(const char *s, const struct fx_link_opts *o);

/*
 * Writes to out the stored link records within depth edges of node
 * (breadth first, each once), at most limit (0: no limit). Returns the
 * number written, or -1 (reported).
 */
long fx_link_around(struct fx_case *c, const char *node, int depth, unsigned long limit,
		    FILE *out);

/*
 * Writes the link records of a shortest path from a to b, in order, at
 * most max_depth edges long. Returns 1 found, 0 none, -1 (reported).
 */
int fx_link_path(struct fx_case *c, const char *a, const char *b, int max_depth, FILE *out);

/* Writes the limit best-scored link records, best first. Returns 0 or -1. */
int fx_link_top(struct fx_case *c, unsigned long limit, FILE *out);

#endif
