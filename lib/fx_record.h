/*
 * fx_record.h - the JSON record every fx program reads and writes: one
 * compact object per line. This header is the only place the envelope's
 * key names and the format version are spelled; man/fx-record.5 is the
 * same list for people, and lib/fx_types.c lists the record types.
 *
 *   {"v":1,"type":"sms","id":"<64 hex>","case":"2026-113",
 *    "device":"imei:356938035643809","tool":"fx-pull",
 *    "time":"2021-04-08T09:14:07.692Z",
 *    "src":{"sha256":"…","path":"…","table":"sms","rowid":12},
 *    "data":{…}}
 *
 * The id is the SHA-256 of the record's canonical form without "id":
 * keys sorted by byte value, no white space, UTF-8 as it is.
 */
#ifndef FX_RECORD_H
#define FX_RECORD_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fx_hash.h"

#define FX_RECORD_VERSION 1

#define FX_KEY_V      "v"
#define FX_KEY_TYPE   "type"
#define FX_KEY_ID     "id"
#define FX_KEY_CASE   "case"
#define FX_KEY_DEVICE "device"
#define FX_KEY_TOOL   "tool"
#define FX_KEY_TIME   "time"
#define FX_KEY_SRC    "src"
#define FX_KEY_DATA   "data"

/* Provenance keys inside "src". */
#define FX_SRC_SHA256 "sha256"
#define FX_SRC_PATH   "path"
#define FX_SRC_TABLE  "table"
#define FX_SRC_ROWID  "rowid"
#define FX_SRC_PAGE   "page"
#define FX_SRC_OFFSET "offset"
#define FX_SRC_REGION "region"
#define FX_SRC_LINE   "line"
#define FX_SRC_MEMBER "member"
#define FX_SRC_RECORDS "records" /* ids of the records a finding was derived from */

/* A binary value: {"hex":"…"}. */
#define FX_KEY_HEX "hex"

/* The largest record line a reader accepts. */
#define FX_RECORD_MAX_LINE (64u << 20)

/* ---- field types of the record registry (lib/fx_types.c) ---- */

enum fx_field_type {
	FX_F_STRING,  /* a JSON string */
	FX_F_TEXT,    /* a string, or {"hex":…} for bytes that are not UTF-8 */
	FX_F_INT,     /* an integer */
	FX_F_NUMBER,  /* an integer or a real */
	FX_F_BOOL,
	FX_F_TIME,    /* RFC 3339 UTC string */
	FX_F_SHA256,  /* 64 lowercase hex digits */
	FX_F_OBJECT,
	FX_F_ARRAY,
	FX_F_ANY,
};

struct fx_field {
	const char *name;
	enum fx_field_type type;
	int required;
	const char *doc;
};

struct fx_type {
	const char *name;
	const char *doc;
	const struct fx_field *fields; /* ends with a NULL name */
};

/* The registered type called name, or NULL. Borrowed (static). */
const struct fx_type *fx_type_find(const char *name);
/* All registered types in name order; *n gets the count. Borrowed. */
const struct fx_type *fx_types(size_t *n);
const char *fx_field_type_name(enum fx_field_type t);

/* ---- records ---- */

/*
 * Returns a new record (caller json_decref()s) with v, type, tool, an
 * empty data object, and case when case_id is not NULL.
 */
json_t *fx_record_new(const char *type, const char *case_id, const char *tool);

/*
 * Checks the envelope and the data fields against the type registry.
 * Problems are reported prefixed with where ("in.jsonl:12"). Returns 0 or
 * -1. An id, when present, must match the content (unless the flag
 * FX_CHECK_NO_ID is given, for callers that recompute it anyway).
 */
#define FX_CHECK_NO_ID 0x1
int fx_record_check(const json_t *rec, const char *where);
int fx_record_check_flags(const json_t *rec, const char *where, unsigned flags);

/*
 * The canonical form of rec without its id: a malloc'd NUL-terminated
 * string (caller frees), or NULL when rec cannot be encoded.
 */
char *fx_record_canonical(const json_t *rec, size_t *len);

/* Computes the id of rec into hex. Returns 0 or -1. */
int fx_record_id(const json_t *rec, char hex[FX_SHA256_HEX]);

/* Sets rec's id from its content. Returns 0 or -1. */
int fx_record_seal(json_t *rec);

/*
 * Seals rec and puts its canonical line, id included and without a
 * newline, into a malloc'd string (caller frees); hex gets the id.
 * Returns NULL after reporting a record that cannot be encoded.
 */
char *fx_record_line(json_t *rec, size_t *len, char hex[FX_SHA256_HEX]);

struct fx_buf;

/*
 * Appends rec's canonical line, with the id its content hashes to and
 * without a newline, to b; id gets the id's 32 bytes. rec is borrowed and
 * left as it is (an "id" it carries is not copied: compare it with id).
 * Returns 0, or -1 (nothing appended) for a record JSON cannot encode
 * (a number that is not finite); nothing is reported.
 */
int fx_record_line_buf(const json_t *rec, struct fx_buf *b, uint8_t id[FX_SHA256_LEN]);

/*
 * Seals rec and writes it as one canonical line. Borrows rec. Returns 0,
 * or -1 after reporting a failed write.
 */
int fx_record_write(FILE *out, json_t *rec);

/* Sets rec's time from a raw value (data gets raw and unit). Returns 0/-1. */
int fx_record_set_time_raw(json_t *rec, long long raw, int unit);

/* ---- JSON helpers ---- */

/*
 * A JSON value for bytes that should be text: a string when they are
 * valid UTF-8, else {"hex":…}. Returns a new reference.
 */
json_t *fx_json_text(const void *bytes, size_t len);
/* {"hex":…} of bytes. New reference. */
json_t *fx_json_hex(const void *bytes, size_t len);

/* Compact dump with sorted keys. Caller frees; NULL on failure. */
char *fx_json_dump(const json_t *v);

/*
 * Calls fn with every text string under v, recursively, in order
 * ({"hex":…} values and SHA-256 hex strings skipped): what full-text
 * search indexes. The strings are borrowed from v.
 */
void fx_json_text_each(const json_t *v, void (*fn)(const char *s, size_t n, void *ctx),
		       void *ctx);

/* The strings of fx_json_text_each(), newline-separated. Caller frees. */
char *fx_json_text_of(const json_t *v);

/* ---- reading JSON Lines ---- */

/*
 * A line reader that names file:line in every message and goes on after
 * a bad line. _open/_close pair; the struct lives with the caller.
 *
 * The optional digests in hash[] (set by the caller, borrowed) see every
 * byte of the input exactly once, blank and bad lines included, each line
 * with its newline when it has one: a line is fed to them when the reader
 * moves past it, a blank line as it is skipped and a returned line on the
 * next call. So between two calls a caller can finish one digest and start
 * the next to hash a range of lines (1 to r->line - 1 when a line was just
 * returned; after the call that returns 0, every line: the whole input).
 */
#define FX_READER_HASHES 2
struct fx_reader {
	FILE *fp;
	const char *name;      /* "stdin" or the path; borrowed */
	unsigned long line;    /* number of the line just read */
	char *buf;             /* the raw line, without its newline, NUL-terminated */
	size_t len;
	unsigned long bad;     /* bad lines reported so far */
	struct fx_hash *hash[FX_READER_HASHES];
	/* private */
	char *blk;             /* bytes read and not yet returned start at blk + pos */
	size_t blk_cap, blk_len, pos;
	const char *pending;   /* the returned line, not yet fed to hash[] */
	size_t pending_len;
	int pending_nl;        /* it ended with a newline (now its NUL) */
	int own, eof, done;
};

/* path "-" reads stdin. Returns 0 or -1 (reported). */
int fx_reader_open(struct fx_reader *r, const char *path);
void fx_reader_close(struct fx_reader *r);

/*
 * Reads the next record: 1 with *rec a new reference (envelope checked,
 * see fx_record_check), 0 at the end, -1 after reporting a bad line
 * (call again to go on). Blank lines are skipped.
 */
int fx_reader_next(struct fx_reader *r, json_t **rec);

/* As fx_reader_next(), but checks only that the line is a JSON object. */
int fx_reader_next_raw(struct fx_reader *r, json_t **rec);

#endif
