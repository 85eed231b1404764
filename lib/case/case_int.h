/*
 * case_int.h - what the files of lib/case/ share: the open case and the
 * statements they prepare. Nothing outside lib/case/ includes this.
 */
#ifndef FX_CASE_INT_H
#define FX_CASE_INT_H

#include <sqlite3.h>

#include "fx_case.h"
#include "fx_hash.h"
#include "fx_json.h"

/* A digest over a run of ids or hashes, kept while a change is open. */
struct digest {
	struct fx_hash *hash;
	uint64_t count;
};

struct fx_case {
	char *dir;
	char *db_path;
	char *id;
	sqlite3 *db;
	struct fx_store *store;
	json_t *record; /* the case record */
	int writable;
	struct fx_actor who;

	/* the open change */
	int in_change;
	char *action;
	int64_t seq;     /* the seq its custody entry will have */
	char prev[FX_SHA256_HEX];
	json_t *inputs, *outputs;
	struct digest records, objects, withdrawn;
	uint64_t added, duplicates;
	char last_object[FX_SHA256_HEX]; /* one-entry cache for object checks */

	sqlite3_stmt *ins_record, *ins_text, *ins_object, *find_key, *find_nokey;
	sqlite3_stmt *ins_many, *text_many; /* FX_CASE_STORE_MANY rows at once */
};

/*
 * The index key of a record id: its first 8 bytes, big-endian, with the
 * top bit flipped so that signed integer order is the ids' byte order.
 */
int64_t fx_case_idk(const uint8_t id[32]);

/* Reports an SQLite failure on c's database with what was being done. */
int fx_case_db_error(struct fx_case *c, const char *what);
/* Runs SQL with no results. Returns 0 or -1 (reported). */
int fx_case_exec(struct fx_case *c, const char *sql);
/* Prepares sql. Returns NULL after reporting. */
sqlite3_stmt *fx_case_prepare(struct fx_case *c, const char *sql);

/*
 * Full-text search of Chinese, Japanese and Korean text, which has no
 * spaces between words: every CJK character is indexed as a token of its
 * own, and a CJK run in a query becomes a phrase of those characters, so
 * any substring (a two-character word like 转账 too) is found.
 * fx_case_fts_add() appends n bytes of text to index to b, spaced out;
 * fx_case_fts_text() does the same into a new string and
 * fx_case_fts_query() rewrites a query (both malloc'd; caller frees).
 */
void fx_case_fts_add(struct fx_buf *b, const char *s, size_t n);
char *fx_case_fts_text(const char *text);
char *fx_case_fts_query(const char *query);

/*
 * A new case in dir with the schema and store but no entry, record or
 * case id in meta yet (fx_case_create, fx_case_import_begin). NULL after
 * reporting.
 */
struct fx_case *fx_case_create_empty(const char *dir, const char *case_id,
				     const struct fx_actor *who);
/* Loads the case id and record from the database. Returns 0 or -1. */
int fx_case_load_record(struct fx_case *c);

/* meta table */
char *fx_case_meta_get(struct fx_case *c, const char *key);
int fx_case_meta_set(struct fx_case *c, const char *key, const char *value);

/* The custody head accumulator, as kept in meta. */
int fx_case_acc_load(struct fx_case *c, struct fx_merkle_acc *acc);
int fx_case_acc_store(struct fx_case *c, const struct fx_merkle_acc *acc);

/* The canonical custody entry bytes hashed for the chain and the leaf. */
void fx_case_entry_hashes(const char *canon, size_t len, uint8_t hash[32], fx_mhash leaf);

#endif
