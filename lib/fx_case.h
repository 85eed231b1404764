/*
 * fx_case.h - the case: a directory holding case.db (SQLite, WAL), the
 * object store, reports/ and exports/. lib/case/ is the only code that
 * includes <sqlite3.h>.
 *
 * Every change to a case is one SQLite transaction and one custody
 * entry: fx_case_begin(), the changes, fx_case_commit(). The custody log
 * is append-only; each entry carries who, when, the tool and version, the
 * argument vector, the hashes of inputs and outputs, and the hash of the
 * entry before it. Entry hashes are the leaves of an RFC 9162 Merkle tree
 * whose head is kept with the case.
 */
#ifndef FX_CASE_H
#define FX_CASE_H

#include <stdint.h>

#include <jansson.h>

#include "fx_hash.h"
#include "fx_json.h"
#include "fx_merkle.h"
#include "fx_store.h"

#define FX_CASE_SCHEMA_VERSION 1
#define FX_CASE_DB "case.db"

struct fx_case;

/* Flags for fx_case_open(). */
#define FX_CASE_READ  0x0
#define FX_CASE_WRITE 0x1

/*
 * Who acts on a case, for the custody log: tool, version and argv. The
 * examiner is taken from $FX_EXAMINER, else the "name" in
 * $FX_HOME/identity.json, else the login name.
 */
struct fx_actor {
	const char *tool;
	int argc;
	char **argv;
};

/*
 * Creates a case in dir (which must not exist, or be empty). info is the
 * case's data: {"title":…,"examiner":…,"agency":…,"location":…,
 * "parties":[…],"fields":{…}} (borrowed). Writes the init custody entry
 * and the case record. Returns the open case (caller fx_case_free()s),
 * or NULL after reporting.
 */
struct fx_case *fx_case_create(const char *dir, const char *case_id,
			       const json_t *info, const struct fx_actor *who);

/*
 * Opens an existing case; FX_CASE_WRITE to change it (a read-only case
 * directory is then refused with a clear message). Migrates an older
 * schema when writing. Returns a new case or NULL after reporting.
 */
struct fx_case *fx_case_open(const char *dir, unsigned flags,
			     const struct fx_actor *who);
void fx_case_free(struct fx_case *c);

const char *fx_case_id(const struct fx_case *c);
const char *fx_case_dir(const struct fx_case *c);
struct fx_store *fx_case_store(struct fx_case *c);
/* The case record. Borrowed. */
const json_t *fx_case_record(const struct fx_case *c);

/* ---- changing a case ---- */

/* Starts a change (BEGIN IMMEDIATE). action names it in custody ("add"). */
int fx_case_begin(struct fx_case *c, const char *action);

/*
 * Adds a record in the open change: fx_case_prepare_record() then
 * fx_case_store_record(). On success rec gets its id. *added is 0 for a
 * record already there. Returns 0 or -1 (reported, with where).
 */
int fx_case_add_record(struct fx_case *c, json_t *rec, const char *where,
		       int *added);

/*
 * A record made ready to store: checked, sealed, encoded, with nothing
 * borrowed from the JSON it came from. _INIT/_release pair; one prep can
 * be prepared again and again, reusing its memory.
 */
struct fx_case_prep {
	const char *line;   /* the canonical line, id included, no newline */
	size_t len;
	const char *type;
	const char *device; /* NULL when the record has none */
	const char *text;   /* what the full-text index gets */
	int64_t ms;         /* the event time in ms since 1970, when timed */
	int timed;
	uint8_t id[FX_SHA256_LEN];
	/* private */
	size_t text_at;
	char known[FX_SHA256_HEX]; /* the last object found in the store */
	struct fx_buf buf;         /* holds the strings above */
};
#define FX_CASE_PREP_INIT { NULL, 0, NULL, NULL, NULL, 0, 0, { 0 }, 0, "", FX_BUF_INIT }
void fx_case_prep_release(struct fx_case_prep *p);

/*
 * Prepares rec (borrowed, not changed) for storing in c: checks it against
 * the type registry (fx_record_check), refuses a record of another case
 * or one whose objects (src.sha256, data.sha256) are not in the store,
 * computes its id (an id it carries must be that one) and canonical line.
 * Changes nothing in c: it may run in another thread than the one that
 * changes c. Problems are reported prefixed with where. Returns 0 or -1.
 */
int fx_case_prepare_record(const struct fx_case *c, const json_t *rec, const char *where,
			   struct fx_case_prep *p);

/*
 * Stores a prepared record in the open change, with its full-text index,
 * unless a record with its id is already there (*added is then 0).
 * Device records also update the case's device list. where (may be NULL)
 * names the record in messages. Returns 0 or -1 (reported).
 */
int fx_case_store_record(struct fx_case *c, const struct fx_case_prep *p, const char *where,
			 int *added);

/*
 * Stores n prepared records in order, as fx_case_store_record() on each
 * would, but when n is FX_CASE_STORE_MANY with one statement for all,
 * which is much cheaper. Returns 0 or -1 (reported).
 */
#define FX_CASE_STORE_MANY 256
int fx_case_store_records(struct fx_case *c, const struct fx_case_prep *p, size_t n);

/* Options and counts of fx_case_ingest(). */
struct fx_case_ingest {
	unsigned long batch; /* lines per change; 0 for FX_CASE_BATCH */
	int quiet;           /* no progress line on stderr */
	/* each call adds to these */
	uint64_t added, duplicates, rejected;
};
#define FX_CASE_BATCH 10000

/*
 * Adds the records of one JSON Lines input (path, or "-" for standard
 * input) to c. Every batch of lines is one change ("add": one
 * transaction, one custody entry), whose entry names the input, the range
 * of lines and the SHA-256 of exactly those bytes; the last batch's entry
 * also has the SHA-256 of the whole input (file_sha256). Blank lines are
 * part of the ranges and hashes, and are otherwise skipped. Each line is
 * prepared (fx_case_prepare_record) and stored (fx_case_store_record); a bad one is
 * reported as path:line and skipped. A second thread reads and prepares
 * while this one stores, in input order, with a bounded queue between.
 * Returns 0; 1 when the input could not be opened or lines were rejected
 * (the rest was stored); -1 when a batch could not be stored (reported:
 * the batches before it stay, nothing after it is read).
 */
int fx_case_ingest(struct fx_case *c, const char *path, struct fx_case_ingest *in);

/* Notes an input or output of the change for its custody entry. */
void fx_case_note_input(struct fx_case *c, const json_t *what);
void fx_case_note_output(struct fx_case *c, const json_t *what);
/* Notes an object stored by the change (hex borrowed, copied). */
void fx_case_note_object(struct fx_case *c, const char *hex);

/*
 * Ends the change: syncs the store, appends the custody entry (detail
 * borrowed, may be NULL), updates the tree head and commits. On failure
 * everything is rolled back. Returns 0 or -1 (reported). *entry, when
 * not NULL, gets a new reference to the custody entry.
 */
int fx_case_commit(struct fx_case *c, const json_t *detail, json_t **entry);
void fx_case_rollback(struct fx_case *c);

/* Records added / already present in the open (or last) change. */
uint64_t fx_case_added(const struct fx_case *c);
uint64_t fx_case_duplicates(const struct fx_case *c);

/*
 * Marks every live record of type (and device, when not NULL) withdrawn
 * by the open change; they stay for audit. *n gets the count.
 */
int fx_case_withdraw(struct fx_case *c, const char *type, const char *device,
		     uint64_t *n);

/* Inserts or merges a device's data under its key (imei:…, serial:…). */
int fx_case_device_merge(struct fx_case *c, const char *key, const json_t *data);

/* ---- reading a case ---- */

struct fx_case_query {
	const char *type;   /* NULL: any */
	const char *device; /* NULL: any */
	const char *since;  /* RFC 3339 (fx_time_parse), inclusive; NULL: open */
	const char *until;  /* RFC 3339, exclusive; NULL: open */
	const char *text;   /* FTS5 query over text fields; NULL: none */
	int withdrawn;      /* 0 live only, 1 withdrawn only, 2 both */
	int by_time;        /* order by event time instead of insertion */
	uint64_t limit;     /* 0: no limit */
};

/*
 * Calls fn with each matching record's stored line (borrowed), in order.
 * Stops when fn returns non-zero. Returns 0, fn's value, or -1 (reported).
 */
int fx_case_list(struct fx_case *c, const struct fx_case_query *q,
		 int (*fn)(const char *line, void *ctx), void *ctx);

/*
 * The record whose id is or starts with idprefix (at least 8 hex digits):
 * a new reference, or NULL after reporting none or several.
 */
json_t *fx_case_get(struct fx_case *c, const char *idprefix);

/* A summary: case data, counts per type, objects, custody size and head. New reference. */
json_t *fx_case_info(struct fx_case *c);

/* Calls fn with every custody entry (a borrowed object with seq and hash), in order. */
int fx_case_log(struct fx_case *c, uint64_t from,
		int (*fn)(const json_t *entry, void *ctx), void *ctx);

/*
 * Calls fn with every record, live and withdrawn, in the order they were
 * added: its stored line (borrowed), the custody entry that added it, and
 * the one that withdrew it (-1: live). Stops when fn returns non-zero.
 * Returns 0, fn's value, or -1 (reported).
 */
int fx_case_each_record(struct fx_case *c,
			int (*fn)(const char *line, int64_t entry, int64_t withdrawn, void *ctx),
			void *ctx);

/*
 * Calls fn with every object the custody log names, in the order stored:
 * its hash, size and entry. Returns 0, fn's value, or -1 (reported).
 */
int fx_case_each_object(struct fx_case *c,
			int (*fn)(const char *hex, uint64_t size, int64_t entry, void *ctx),
			void *ctx);

/* The custody tree head: size and root. Returns 0 or -1. */
int fx_case_head(struct fx_case *c, uint64_t *size, fx_mhash root);

/*
 * Leaf hashes of the first n custody entries (n = 0: all); *n gets the
 * count. Caller frees. For proofs and checkpoints.
 */
fx_mhash *fx_case_leaves(struct fx_case *c, uint64_t *n);

/*
 * The leaf hashes of the n custody entries from seq from on, into out
 * (n of them). Returns 0, or -1 (reported) when they are not all there.
 */
int fx_case_leaf_range(struct fx_case *c, uint64_t from, uint64_t n, fx_mhash *out);

/*
 * Checks the whole case: database integrity, every object re-hashed,
 * every record id recomputed, the custody chain, per-entry digests and
 * the Merkle head. Each problem is reported; the result (a new
 * reference) summarises. Returns 0 when all is well, 1 when something
 * is broken, -1 when the check could not run.
 */
int fx_case_verify(struct fx_case *c, int quiet, json_t **result);

/* ---- continuing another case (fx-export import) ---- */

/*
 * Creates an empty case in dir (which must not exist, or be empty) with
 * the id case_id and no custody entry, and opens a transaction in which
 * the other case's log, objects and records are appended exactly as they
 * were, with fx_case_import_entry(), _object() and _record(), in their
 * order. fx_case_import_end() commits them; the caller then records the
 * import as a change of its own. Returns the case or NULL after reporting.
 */
struct fx_case *fx_case_import_begin(const char *dir, const char *case_id,
				     const struct fx_actor *who);

/*
 * Appends a custody entry as the other case logged it (borrowed; with its
 * "hash" and "leaf", which must be those of its canonical form) and chains
 * it to the one before. Returns 0 or -1 (reported).
 */
int fx_case_import_entry(struct fx_case *c, const json_t *entry);

/* Lists an object (already put into the store) as stored by entry. */
int fx_case_import_object(struct fx_case *c, const char *hex, uint64_t size, int64_t entry);

/*
 * Stores a record line as added by entry, withdrawn by the entry
 * withdrawn (-1: live). The line is checked as fx_case_add_record()
 * checks it; its id must be right. Returns 0 or -1 (reported, with where).
 */
int fx_case_import_record(struct fx_case *c, const char *line, size_t len, int64_t entry,
			  int64_t withdrawn, const char *where);

/* Commits what was imported (the head checked against the entries). Returns 0 or -1. */
int fx_case_import_end(struct fx_case *c);

/* The examiner acting, for custody. Caller frees. */
char *fx_examiner(void);

#endif
