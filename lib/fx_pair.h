/*
 * fx_pair.h - pairing the workstation with a device agent over TLS 1.3,
 * per-category consent, and acquisition of only the consented items.
 * The wire protocol is written down in fx-pair(1), section PROTOCOL.
 *
 * Frames: a 4-byte big-endian header, then the payload. The header's top
 * bit clear: a JSON object of at most FX_PAIR_MAX_JSON bytes; set: raw
 * file data, at most FX_PAIR_MAX_CHUNK bytes, belonging to the transfer
 * under way. Anything else is refused and ends the connection.
 */
#ifndef FX_PAIR_H
#define FX_PAIR_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <openssl/ssl.h>

#include "fx_case.h"
#include "fx_hash.h"

#define FX_PAIR_VERSION 1
#define FX_PAIR_MAX_JSON (64u * 1024)
#define FX_PAIR_MAX_CHUNK (256u * 1024)
#define FX_PAIR_DATA_BIT 0x80000000u
#define FX_PAIR_TOKEN_HEX 33 /* 16 random bytes in hex, NUL */
#define FX_PAIR_NONCE_HEX 33
#define FX_PAIR_KEY_LEN 32
#define FX_PAIR_SHORT_LEN 9 /* 8 digits and a NUL */

/* ---- frames ---- */

/*
 * One end of a framed connection: over TLS when ssl is set, else over the
 * plain descriptor fd (the control socket, unit tests). Messages sent get
 * "v", an increasing "id" and a fresh "nonce"; messages received must
 * carry the version, an id above the last one and a nonce never seen on
 * this connection (replay), else they are refused.
 */
struct fx_pair_io {
	SSL *ssl;
	int fd;
	int timeout_ms;   /* per read and write; 0: none */
	const char *peer; /* names the other end in messages */
	uint64_t next_id, last_id;
	int check; /* enforce version, id and nonce on receive */
	/* private */
	char (*seen)[FX_PAIR_NONCE_HEX];
	size_t nseen, capseen;
	unsigned char *out;
};

/* Sets up io over ssl (may be NULL) and fd. _init/_release pair. */
void fx_pair_io_init(struct fx_pair_io *io, SSL *ssl, int fd, const char *peer);
void fx_pair_io_release(struct fx_pair_io *io);

/*
 * Sends msg (borrowed; "v", "id" and "nonce" are set in it). Returns 0, or
 * -1 after reporting (too large, write failed or timed out).
 */
int fx_pair_send(struct fx_pair_io *io, json_t *msg);
/* Sends n (<= FX_PAIR_MAX_CHUNK) bytes of file data. Returns 0 or -1. */
int fx_pair_send_data(struct fx_pair_io *io, const void *buf, size_t n);

/*
 * Receives one frame: 1 with *msg a new reference (a JSON object), 2 with
 * *n bytes of file data in buf (cap >= FX_PAIR_MAX_CHUNK), 0 when the
 * other end closed cleanly, -1 after reporting a malformed, oversized or
 * replayed frame, a timeout or a broken connection.
 */
int fx_pair_recv(struct fx_pair_io *io, json_t **msg, void *buf, size_t cap, size_t *n);

/* As fx_pair_recv(), but a data frame is an error: for request/answer. */
int fx_pair_recv_msg(struct fx_pair_io *io, json_t **msg);

/*
 * Checks a frame header: 1 JSON of *len bytes, 2 data of *len bytes, or
 * -1 (with *why) when the length is zero or over the limit.
 */
int fx_pair_frame_header(const unsigned char hdr[4], size_t *len, const char **why);

/* Sends {"ok":false,"error":why,"re":id}. */
int fx_pair_send_error(struct fx_pair_io *io, json_int_t re, const char *why);

/* ---- random values, tokens ---- */

/* hex gets 2*n hex digits of n random bytes (n <= 32). Returns 0 or -1. */
int fx_pair_random_hex(char *hex, size_t n);

/* A single-use pairing token with an expiry. */
struct fx_pair_token {
	char value[FX_PAIR_TOKEN_HEX];
	time_t expires;
	int used;
};
/* A fresh token valid for ttl seconds from now. Returns 0 or -1. */
int fx_pair_token_new(struct fx_pair_token *t, time_t now, unsigned ttl);
/*
 * Checks a presented token against t at time now, comparing in constant
 * time, and marks t used when it passes. Returns NULL when accepted, else
 * a static reason ("token already used", "token expired", "wrong token").
 */
const char *fx_pair_token_use(struct fx_pair_token *t, const char *given, time_t now);

/* ---- the pairing URI ---- */

/*
 * fxpair://HOST:PORT/?v=1&fp=SHA256&t=TOKEN&exp=UNIX&case=ID, case id
 * percent-encoded. Caller frees.
 */
char *fx_pair_uri_make(const char *host, unsigned port, const char *fp_hex, const char *token,
		       time_t expires, const char *case_id);
struct fx_pair_uri {
	char host[256];
	unsigned port;
	char fp[FX_SHA256_HEX];
	char token[FX_PAIR_TOKEN_HEX];
	time_t expires;
	char case_id[256];
};
/* Parses a pairing URI. Returns 0, or -1 with *why set. */
int fx_pair_uri_parse(const char *uri, struct fx_pair_uri *u, const char **why);

/* ---- consent codes ---- */

/*
 * The consent key: 32 bytes exported from the TLS session (RFC 8446
 * section 7.5, label "EXPORTER-fx-consent"), the same on both ends of
 * this session and on no other. Returns 0 or -1.
 */
int fx_pair_session_key(SSL *ssl, uint8_t key[FX_PAIR_KEY_LEN]);

/* HMAC-SHA256 under key of "fx-consent|1|category|case|nonce", in hex. */
void fx_pair_consent_mac(const uint8_t key[FX_PAIR_KEY_LEN], const char *category,
			 const char *case_id, const char *nonce, char hex[FX_SHA256_HEX]);
/* The 8-digit short code of the same consent, for typing. */
void fx_pair_consent_short(const uint8_t key[FX_PAIR_KEY_LEN], const char *category,
			   const char *case_id, const char *nonce, char code[FX_PAIR_SHORT_LEN]);
/* fxconsent:?v=1&type=T&case=C&n=NONCE&mac=HEX. Caller frees. */
char *fx_pair_consent_uri(const uint8_t key[FX_PAIR_KEY_LEN], const char *category,
			  const char *case_id, const char *nonce);
/*
 * Checks what the holder gave (a consent URI decoded from the code, or the
 * short code typed) against the consent asked for. Returns NULL when it
 * matches, else a static reason ("forged consent code", …).
 */
const char *fx_pair_consent_check(const uint8_t key[FX_PAIR_KEY_LEN], const char *category,
				  const char *case_id, const char *nonce, const char *given);

/* ---- categories ---- */

struct fx_pair_category {
	const char *name;
	int active;                  /* consent by code (1) or by confirmation (0) */
	const char *const *patterns; /* fnmatch() patterns of the paths it covers */
	const char *const *types;    /* record types whose reset revokes it */
	const char *doc;
};
/* The category called name, or NULL. */
const struct fx_pair_category *fx_pair_category_find(const char *name);
/* All categories; *n gets the count. */
const struct fx_pair_category *fx_pair_categories(size_t *n);
/* True when path (relative, '/'-separated) belongs to category. */
int fx_pair_category_match(const struct fx_pair_category *cat, const char *path);

/*
 * The consent in effect for category in case c, from the custody log:
 * the last consent entry for it, unless a revocation or a reset of one of
 * its record types (or of consent) came after. Returns 1 with *record (a
 * new reference, may be NULL) the consent record, 0 when none is in
 * effect, -1 after reporting.
 */
int fx_pair_consent_state(struct fx_case *c, const char *category, json_t **record);

/* ---- the share root ---- */

/*
 * Opens rel (relative, '/'-separated) under the directory rootfd for
 * reading, one component at a time with openat(O_NOFOLLOW): a name that
 * is absolute, empty, holds "." or ".." components, or passes through a
 * symbolic link is refused. Returns the descriptor of a regular file, or
 * -1 with *why set (nothing reported).
 */
int fx_pair_open_under(int rootfd, const char *rel, const char **why);

/* ---- TLS ---- */

/*
 * The server context of a case: TLS 1.3 only, its self-signed P-256 key
 * and certificate kept under CASE/pair/ (made on first use, key mode
 * 0600). fp gets the certificate's SHA-256 fingerprint. Returns a new
 * context (caller SSL_CTX_free()s) or NULL after reporting.
 */
SSL_CTX *fx_pair_tls_server(const char *case_dir, char fp[FX_SHA256_HEX]);
/* A TLS 1.3 client context; the peer is checked by fingerprint instead of by CA. */
SSL_CTX *fx_pair_tls_client(void);
/* SHA-256 of the peer's certificate (DER) into fp. Returns 0 or -1. */
int fx_pair_peer_fingerprint(SSL *ssl, char fp[FX_SHA256_HEX]);

/* ---- terminal and image codes ---- */

/* Prints text as a QR code of UTF-8 half blocks to f. Returns 0 or -1. */
int fx_pair_qr_print(FILE *f, const char *text);
/* Writes text as a QR code to a PNG file. Returns 0 or -1 (reported). */
int fx_pair_qr_png(const char *path, const char *text);
/*
 * The first QR code in the image file at path whose text starts with
 * prefix: a malloc'd string (caller frees), or NULL after reporting.
 */
char *fx_pair_qr_read(const char *path, const char *prefix);

/* ---- the control socket ---- */

/* CASE/pair/control.sock. Caller frees. */
char *fx_pair_control_path(const char *case_dir);
/* Connects to the control socket of the session serving case_dir. Returns fd or -1. */
int fx_pair_control_connect(const char *case_dir);

/* As fx_pair_control_connect(), reporting nothing. */
int fx_pair_control_connect_quiet(const char *case_dir);

/* ---- the two ends ---- */

struct fx_pair_listen_opts {
	struct fx_case *c;    /* the case served (open for writing) */
	FILE *out;            /* records written go here too (may be NULL) */
	const char *bind;     /* ADDR:PORT; NULL: 0.0.0.0, any free port */
	const char *host;     /* the address put in the code; NULL: from bind */
	const char *png;      /* also write the pairing code here (may be NULL) */
	unsigned ttl;         /* seconds a pairing token is valid */
	unsigned timeout;     /* seconds to wait for the agent's answers */
	unsigned resume_wait; /* seconds to wait for a cut device to come back */
	int quiet;
};
/*
 * Serves one pairing session for the case until SIGINT or SIGTERM: shows
 * the pairing code, accepts one device agent, and answers fx-auth and
 * fx-pull on the control socket. Returns 0, or -1 when it could not start.
 */
int fx_pair_listen(const struct fx_pair_listen_opts *o);

struct fx_pair_agent_opts {
	const char *uri;                   /* the pairing URI, or NULL and: */
	const char *qr;                    /* an image of the pairing code */
	const char *share;                 /* ROOT: the folder the holder offers */
	const char *consent_file;          /* scripted answers; NULL: ask on the terminal */
	const char *model, *serial, *imei; /* identity; NULL: from ROOT's build.prop */
	unsigned retries;                  /* reconnections after a cut */
	int quiet;
};
/*
 * The device end: pairs, then answers the workstation's requests, sending
 * only what its user consented to and selected, from under ROOT only.
 * Returns 0 when the session ended normally, 1 when it was refused or
 * lost, -1 when it could not start.
 */
int fx_pair_agent(const struct fx_pair_agent_opts *o);

/* ---- acquisition ---- */

struct fx_pull_opts;
struct fx_pull_stats;
/*
 * fx-pull device: for each category in types (consented in the case, see
 * fx_pair_consent_state), asks the session serving the case for the
 * items the holder selects, received into CASE/incoming/, then acquires
 * them as fx_pull_android() does. Returns 0, 1 when something was
 * refused or failed (the rest was kept), -1 when nothing could be done.
 */
int fx_pull_device(const struct fx_pull_opts *o, const char *const *types, size_t ntypes,
		   struct fx_pull_stats *st);

#endif
