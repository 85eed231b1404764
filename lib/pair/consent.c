/*
 * Consent codes (HMAC-SHA256 under a key exported from the TLS session)
 * and the consent in effect, read from the custody log.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "fx_err.h"
#include "fx_pair.h"
#include "fx_banned.h"

int fx_pair_session_key(SSL *ssl, uint8_t key[FX_PAIR_KEY_LEN])
{
	static const char label[] = "EXPORTER-fx-consent";

	if (SSL_export_keying_material(ssl, key, FX_PAIR_KEY_LEN, label, sizeof(label) - 1, NULL, 0,
				       0) != 1)
		return fx_error("cannot derive the consent key from the TLS session");
	return 0;
}

static void mac_raw(const uint8_t key[FX_PAIR_KEY_LEN], const char *what, const char *category,
		    const char *case_id, const char *nonce, uint8_t md[32])
{
	char *msg = fx_xasprintf("fx-consent|%d|%s|%s|%s|%s", FX_PAIR_VERSION, what, category,
				 case_id, nonce);
	unsigned int len = 32;

	HMAC(EVP_sha256(), key, FX_PAIR_KEY_LEN, (const unsigned char *)msg, strlen(msg), md, &len);
	free(msg);
}

void fx_pair_consent_mac(const uint8_t key[FX_PAIR_KEY_LEN], const char *category,
			 const char *case_id, const char *nonce, char hex[FX_SHA256_HEX])
{
	uint8_t md[32];

	mac_raw(key, "code", category, case_id, nonce, md);
	fx_hex(md, 32, hex);
}

void fx_pair_consent_short(const uint8_t key[FX_PAIR_KEY_LEN], const char *category,
			   const char *case_id, const char *nonce, char code[FX_PAIR_SHORT_LEN])
{
	uint8_t md[32];
	uint64_t v = 0;
	int i;

	/* A separate MAC, so that the short code tells nothing of the long one. */
	mac_raw(key, "short", category, case_id, nonce, md);
	for (i = 0; i < 8; i++)
		v = v << 8 | md[i];
	snprintf(code, FX_PAIR_SHORT_LEN, "%08llu", (unsigned long long)(v % 100000000ull));
}

char *fx_pair_consent_uri(const uint8_t key[FX_PAIR_KEY_LEN], const char *category,
			  const char *case_id, const char *nonce)
{
	char mac[FX_SHA256_HEX];

	fx_pair_consent_mac(key, category, case_id, nonce, mac);
	return fx_xasprintf("fxconsent:?v=%d&type=%s&case=%s&n=%s&mac=%s", FX_PAIR_VERSION,
			    category, case_id, nonce, mac);
}

const char *fx_pair_consent_check(const uint8_t key[FX_PAIR_KEY_LEN], const char *category,
				  const char *case_id, const char *nonce, const char *given)
{
	char want[FX_PAIR_SHORT_LEN];
	char *uri;
	size_t n;
	int bad;

	if (!given)
		return "no consent code given";
	n = strlen(given);
	if (strncmp(given, "fxconsent:", 10) != 0) {
		fx_pair_consent_short(key, category, case_id, nonce, want);
		if (n != 8 || CRYPTO_memcmp(given, want, 8) != 0)
			return "wrong or forged consent code";
		return NULL;
	}
	/*
	 * The whole text must be the one the workstation made: its type, case
	 * and nonce are those asked for, and only the session key makes the MAC.
	 */
	uri = fx_pair_consent_uri(key, category, case_id, nonce);
	bad = strlen(uri) != n || CRYPTO_memcmp(uri, given, n) != 0;
	free(uri);
	return bad ? "forged consent code (its MAC, type, case or nonce do not match)" : NULL;
}

/* ---- the consent in effect ---- */

struct state {
	const struct fx_pair_category *cat;
	char record[FX_SHA256_HEX]; /* the consent record in effect, or "" */
};

static int on_entry(const json_t *e, void *ctx)
{
	struct state *s = ctx;
	const char *action = json_string_value(json_object_get(e, "action"));
	const json_t *d = json_object_get(e, "detail");
	const char *cat = json_string_value(json_object_get(d, "category"));
	const char *state = json_string_value(json_object_get(d, "state"));
	const char *rec = json_string_value(json_object_get(d, "record"));
	const char *type = json_string_value(json_object_get(d, "type"));
	const char *const *t;

	if (!action)
		return 0;
	if (strcmp(action, "consent") == 0 && cat && strcmp(cat, s->cat->name) == 0) {
		if (state && strcmp(state, "granted") == 0 && rec && fx_is_sha256_hex(rec))
			memcpy(s->record, rec, FX_SHA256_HEX);
		else
			s->record[0] = '\0';
	} else if (strcmp(action, "reset") == 0 && type) {
		/* Withdrawn evidence, or withdrawn consent, must be consented again. */
		if (strcmp(type, "consent") == 0 || strcmp(type, s->cat->name) == 0)
			s->record[0] = '\0';
		for (t = s->cat->types; *t; t++)
			if (strcmp(type, *t) == 0)
				s->record[0] = '\0';
	}
	return 0;
}

int fx_pair_consent_state(struct fx_case *c, const char *category, json_t **record)
{
	struct state s = {fx_pair_category_find(category), ""};

	if (record)
		*record = NULL;
	if (!s.cat)
		return fx_error("'%s': not a consent category", category);
	if (fx_case_log(c, 0, on_entry, &s) < 0)
		return -1;
	if (!s.record[0])
		return 0;
	if (record)
		*record = fx_case_get(c, s.record);
	return 1;
}
