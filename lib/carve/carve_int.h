/*
 * carve_int.h - the inside of fx-carve (lib/fx_carve.h): one database's
 * state while it is carved, page images, candidate cells and schemas.
 *
 * Offsets in a page are uint32_t and always checked against the usable
 * size before bytes are read; every chain (b-tree children, freeblocks,
 * freelist, overflow, WAL frames) is bounded by a visited bitmap or a
 * step count, so hostile files cannot make a read go out of bounds or a
 * walk loop.
 */
#ifndef CARVE_INT_H
#define CARVE_INT_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fx_carve.h"
#include "fx_buf.h"
#include "fx_hash.h"

#define CV_MAX_COLS 4096           /* more serial types than this: not a record */
#define CV_MAX_DEPTH 64            /* b-tree depth beyond which a tree is corrupt */
#define CV_MAX_PAYLOAD (64u << 20) /* overflow payload reassembled at most */
#define CV_MIN_CONF 0.5            /* candidates below this are not reported */

enum cv_role { CV_DB, CV_WAL, CV_JOURNAL };

/* Text encodings, as the header's field 56 numbers them. */
enum cv_enc { CV_UTF8 = 1, CV_UTF16LE = 2, CV_UTF16BE = 3 };

/* Column affinities. */
enum cv_aff { CV_AFF_BLOB, CV_AFF_TEXT, CV_AFF_NUMERIC, CV_AFF_INTEGER, CV_AFF_REAL };

/* B-tree page types. */
#define CV_INDEX_INTERIOR 2
#define CV_TABLE_INTERIOR 5
#define CV_INDEX_LEAF 10
#define CV_TABLE_LEAF 13

/* What a page of the database (its current version) is. */
enum cv_pstate {
	CV_P_UNREACHED = 0, /* nothing references it */
	CV_P_BTREE,         /* a live b-tree page */
	CV_P_OVERFLOW,      /* a live overflow page */
	CV_P_TRUNK,         /* a freelist trunk page */
	CV_P_FREE,          /* a freelist leaf page */
	CV_P_PTRMAP,        /* a pointer-map page */
	CV_P_LOCK,          /* the lock-byte page, never used */
};

/* Where a record's bytes were: data.region. */
enum cv_region {
	CV_R_FREEBLOCK,
	CV_R_UNALLOCATED,
	CV_R_CELL,
	CV_R_FREELIST,
	CV_R_UNREACHABLE,
	CV_R_INDEX,
};
const char *cv_region_name(int r);

/* The kinds of schema. */
enum cv_kind { CV_K_TABLE, CV_K_INDEX, CV_K_WITHOUT_ROWID };

/*
 * A table's or index's record layout, parsed from its CREATE statement
 * (lib/carve/schema.c). Strings are UTF-8, owned by the schema.
 */
struct cv_schema {
	char *name;  /* the table or index */
	char *table; /* the table the records belong to */
	char *sql;
	uint32_t root; /* root page, 0 unknown */
	int kind;
	int live;   /* 1 from the live sqlite_master, 0 found deleted */
	int nrec;   /* columns in a record (an index's include the rowid) */
	char **col; /* their names */
	uint8_t *aff;
	uint8_t *notnull;
	int ipk;           /* the record column that aliases the rowid, or -1 */
	int npk;           /* WITHOUT ROWID: the key's columns, first in a record */
	int master;        /* sqlite_master itself */
	int min_live;      /* fewest columns of a live row (nrec when none is shorter) */
	uint64_t nlive;    /* live rows (tables) */
	int64_t max_rowid; /* their largest rowid */
	int *tcol;         /* index: the table column each key column is, -1 expr/rowid */
};

/*
 * Parses a CREATE TABLE or CREATE INDEX statement. For an index, t is its
 * table's schema (NULL when unknown: columns get generic names). Returns
 * a new schema (cv_schema_free) or NULL when sql is not one SQLite
 * would have stored, or describes no b-tree (views, virtual tables).
 */
struct cv_schema *cv_schema_parse(const char *sql, const char *name, const char *tbl, uint32_t root,
				  const struct cv_schema *t);
/* The schema of an automatic index (sqlite_autoindex_T_N) of table t, or NULL. */
struct cv_schema *cv_schema_autoindex(const struct cv_schema *t, const char *name, uint32_t root);
/* The built-in schema of sqlite_master. */
struct cv_schema *cv_schema_master(void);
void cv_schema_free(struct cv_schema *s);
/* The affinity of a declared type, by SQLite's rules. */
int cv_affinity(const char *type, size_t n);

/* ---- varints and serial types, inline: the scans call them at every byte ---- */

static inline int cv_varint(const uint8_t *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < 8; i++) {
		if (i >= n)
			return 0;
		x = (x << 7) | (p[i] & 0x7f);
		if (!(p[i] & 0x80)) {
			*v = x;
			return (int)i + 1;
		}
	}
	if (n < 9)
		return 0;
	*v = (x << 8) | p[8];
	return 9;
}

static inline int64_t cv_st_size(uint64_t st)
{
	static const int8_t fixed[12] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0, -1, -1};

	return st < 12 ? fixed[st] : (int64_t)((st - 12) / 2);
}

/* ---- files ---- */

struct cv_file {
	const char *path;
	const char *name;
	const char *want; /* expected sha256, or NULL */
	int fd;
	uint64_t size;
	int role;
	char sha256[FX_SHA256_HEX];
	int hashed; /* the hash is final and good */
	pthread_t th;
	int thread_on;
	int hash_failed;
};

int cv_file_open(struct cv_file *f, const struct fx_carve_file *in, int role);
void cv_file_close(struct cv_file *f);
/* Starts hashing f in a second thread; cv_file_hash_wait() joins it. */
void cv_file_hash_start(struct cv_file *f);
int cv_file_hash_wait(struct cv_file *f);
/* pread until n bytes or the end; returns bytes read, -1 on error (reported). */
ssize_t cv_pread(struct cv_file *f, void *buf, size_t n, uint64_t off);

/* ---- a WAL frame ---- */

struct cv_frame {
	uint32_t pgno;
	uint32_t commit; /* db size after commit, 0 for other frames */
	uint32_t salt1, salt2;
	uint8_t state; /* CV_W_* */
};
enum { CV_W_COMMITTED, CV_W_UNCOMMITTED, CV_W_STALE };

/* ---- the live set: one 64-bit key per live row ---- */

/*
 * Kept in 256 buckets by their top byte, each sorted on its own once the
 * walk is done: sorting needs no second array as large as all of them.
 */
#define CV_KEY_BUCKETS 256
struct cv_keys {
	struct {
		uint64_t *k;
		size_t n, cap;
	} b[CV_KEY_BUCKETS];
	int sorted;
};
void cv_keys_add(struct cv_keys *ks, uint64_t key);
/* Sorts the keys for cv_keys_has(); call once, after the walk. */
void cv_keys_sort(struct cv_keys *ks);
void cv_keys_release(struct cv_keys *ks);

/* An open-addressing set of non-zero keys. */
struct cv_set {
	uint64_t *k;
	size_t n, cap;
};
/* Adds key; returns 1 when it was new. */
int cv_set_add(struct cv_set *s, uint64_t key);
void cv_set_release(struct cv_set *s);

/* Records a worker wrote aside: each one's dedupe key and place in its file. */
struct cv_side {
	FILE *fp;
	struct {
		uint64_t key;
		long off, len;
	} * r;
	size_t n, cap;
};

/* ---- one database being carved ---- */

struct cv_db {
	struct cv_file f[3]; /* CV_DB, CV_WAL, CV_JOURNAL; fd < 0 when absent */
	struct fx_carve_out *out;
	const json_t *like;

	uint32_t page_size, usable;
	int enc;
	int schema_format;
	uint32_t npages;     /* pages of the current view */
	uint32_t file_pages; /* whole pages in the database file */
	uint32_t free_head, free_count;
	int autovacuum;
	uint32_t lock_page; /* the lock-byte page, or 0 */

	uint8_t *state;   /* [npages + 1] enum cv_pstate */
	int32_t *owner;   /* [npages + 1] schema index, -1 none */
	uint8_t *visited; /* bitmap scratch for walks */

	/* WAL */
	struct cv_frame *frames;
	uint32_t nframes;
	uint32_t *cur_frame; /* [npages + 1] frame index + 1 holding the current page, 0 */
	uint32_t wal_page_size;
	uint32_t wal_salt1, wal_salt2;

	/* schemas: [0] is sqlite_master; live ones, then those found deleted */
	struct cv_schema **sch;
	int nsch, capsch;

	struct cv_keys live; /* keys of live rows */
	struct cv_set emitted;
	uint64_t dedupe; /* the key of the record being emitted, 0 for a partial one */
	/* A second thread's share: its records, kept aside with their keys. */
	struct cv_side *side;

	uint8_t *buf[4];     /* page buffers */
	struct fx_buf line;  /* the record being written */
	uint8_t *icache;     /* interior pages lookups pass through: slots of page_size */
	uint32_t *icache_pg; /* the page in each slot, 0 none */
	uint32_t icache_n;
	int failed; /* something could not be read */
	int out_failed;
	int problems; /* corruption messages printed so far */
};

/* Reports a problem reading db's file role at page/offset; sets failed. */
void cv_problem(struct cv_db *db, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Notes a problem that is not a failure (a warning). */
void cv_warn(struct cv_db *db, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The current version of page pgno (1-based): from the WAL when a
 * committed frame holds it, else from the database file. Reads into buf
 * (page_size bytes, zero-filled past the end of a file). Returns buf, or
 * NULL when the page is outside both.
 */
const uint8_t *cv_page(struct cv_db *db, uint32_t pgno, uint8_t *buf);

int cv_header(struct cv_db *db);           /* db.c: file header, sizes */
int cv_wal_read(struct cv_db *db);         /* wal.c: frames and the overlay */
int cv_walk_live(struct cv_db *db);        /* btree.c */
void cv_walk_freelist(struct cv_db *db);   /* freelist.c */
void cv_mark_special(struct cv_db *db);    /* freelist.c: ptrmap, lock page */
void cv_harvest_schemas(struct cv_db *db); /* freelist.c: old CREATE statements */
void cv_harvest_wal(struct cv_db *db);     /* wal.c: the same in WAL frames */
void cv_harvest_journal(struct cv_db *db); /* journal.c: and in journal pages */
/* Looks for sqlite_master rows in one page image (any file); adds the schemas found. */
void cv_harvest_page(struct cv_db *db, const uint8_t *p, uint32_t pgno, int role, uint64_t foff);
void cv_walk_old_trees(struct cv_db *db); /* freelist.c: dropped trees from old roots */
void cv_carve_db(struct cv_db *db);       /* carve.c: every page of the file, two threads */
/* freelist.c: the database file's pages first..last. */
void cv_carve_pages(struct cv_db *db, uint32_t first, uint32_t last);
void cv_carve_wal(struct cv_db *db);     /* wal.c */
void cv_carve_journal(struct cv_db *db); /* journal.c */

int cv_schema_add(struct cv_db *db, struct cv_schema *s); /* btree.c; takes s */

/*
 * Looks rowid up in the live table b-tree rooted at root, reading pages
 * into pagebuf (page_size bytes); *key gets the live row's key. Returns
 * 1 found, 0 not, -1 unreadable.
 */
int cv_lookup(struct cv_db *db, uint32_t root, int64_t rowid, uint64_t *key, uint8_t *pagebuf);
/* The key of live cell bytes of a table leaf (for lookups). Returns 0 or -1. */
int cv_cell_key(struct cv_db *db, const uint8_t *pg, uint32_t off, int index, uint64_t *key);

/* ---- keys of records ---- */

uint64_t cv_hash(const void *p, size_t n, uint64_t seed);
/*
 * A record's key: the high half hashes the serial types, the payload size
 * and the first 32 body bytes, the low half all the local body; so a
 * record cut short can still be matched on its high half.
 */
uint64_t cv_rec_key(const uint64_t *st, int n, uint64_t payload, const uint8_t *body,
		    uint32_t body_local);
#define CV_KEY_PREFIX 16
int cv_keys_has(const struct cv_keys *ks, uint64_t key);
int cv_keys_has_prefix(const struct cv_keys *ks, uint32_t hi);

/* ---- a page image being carved (lib/carve/page.c) ---- */

struct cv_cand {
	uint32_t off, len; /* the cell's local bytes in the page */
	uint32_t pay;      /* where its payload (record header) starts */
	uint32_t body;     /* where the record body starts */
	uint32_t local;    /* payload bytes kept locally */
	uint32_t avail;    /* of these, bytes present (less: partial) */
	uint64_t payload;  /* the payload size */
	int64_t rowid;
	uint32_t hdr_len;
	uint32_t st_at; /* serial types in the page's stv */
	uint32_t ovfl;  /* first overflow page, 0 none */
	int n;          /* columns */
	unsigned lost;  /* bit i: column i's type was guessed, its value not sure */
	int schema;     /* -1 when no schema fits */
	float score;    /* 0..1: how sure the bytes are this record */
	float tconf;    /* 0..1: how sure the table is */
	float bits;     /* evidence that the bytes are a record (see page.c) */
	uint8_t has_rowid, index_fmt, partial, rebuilt, confirm, region, selected;
	uint8_t exact; /* rebuilt to end exactly where a freeblock (header) says */
};

struct cv_img {
	const uint8_t *p; /* page_size bytes */
	uint32_t pgno;
	int role;
	uint64_t foff; /* file offset of p[0] */
	int current;   /* the current version of the page */
	int pstate;    /* for current images: enum cv_pstate */
	int owner;     /* schema index of the tree it belongs to, -1 */
	float owner_conf;
	uint32_t frame; /* WAL frame number (1-based), 0 */
	const struct cv_frame *fr;
	int schema_only; /* only look for sqlite_master rows (harvest) */
	void (*found)(struct cv_db *db, const struct cv_img *im, const struct cv_cand *c,
		      const uint64_t *st); /* harvest callback; NULL: emit */
};

/* Carves one page image: finds its candidates and emits the good ones. */
void cv_carve_image(struct cv_db *db, const struct cv_img *im);

/* ---- reading records (lib/carve/record.c) ---- */

/* 2 clean text, 1 valid with control characters, 0 not valid in enc. */
int cv_text_ok(int enc, const uint8_t *p, size_t n);
/* 1 when a float's bytes are one SQLite could have stored. */
int cv_float_ok(const uint8_t *p);
int64_t cv_int_value(uint64_t st, const uint8_t *p);
/*
 * The JSON value of a column (new reference): null, integer, real, text
 * (converted from UTF-16; {"hex":…} when not valid) or {"hex":…} for a
 * blob. *type gets "null", "integer", "real", "text" or "blob".
 */
json_t *cv_value_json(int enc, uint64_t st, const uint8_t *p, size_t n, const char **type);
/*
 * Text of a column in UTF-8 (converted from enc), NUL-terminated, *len
 * (may be NULL) its length: malloc'd, caller frees; NULL when not valid.
 */
char *cv_text_utf8(int enc, const uint8_t *p, size_t n, size_t *len);
/* Per-column compatibility of a serial type with an affinity: 2 good, 1 possible, 0 no. */
int cv_compat(int aff, uint64_t st);

/* ---- emitting (lib/carve/emit.c) ---- */

/*
 * Emits candidate c of image im: decodes its values (following its
 * overflow chain), builds the carved record and writes it.
 */
void cv_emit(struct cv_db *db, const struct cv_img *im, const struct cv_cand *c,
	     const uint64_t *st);
/*
 * The candidate's payload: its local bytes, then its overflow pages while
 * they can still be its own (free or unreferenced pages, each once).
 * *have gets the bytes recovered (the payload size when whole), *broken 1
 * when the chain ended early, *npages (may be NULL) the overflow pages
 * read. Returns a malloc'd buffer (caller frees).
 */
uint8_t *cv_cand_payload(struct cv_db *db, const struct cv_img *im, const struct cv_cand *c,
			 uint32_t *have, int *broken, uint32_t *npages);
/* The CSV header line, once per output. */
void cv_csv_header(struct fx_carve_out *o);

#endif
