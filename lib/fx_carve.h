/*
 * fx_carve.h - recovering deleted SQLite records from the bytes of a
 * database, its write-ahead log and its rollback journal, without SQLite.
 *
 * A database is read page by page (pread, read-only, never through
 * libsqlite3, never written). Its live b-trees are walked from
 * sqlite_master first, so that every live page and every live row is
 * known; then every place that can still hold deleted rows is searched:
 * freeblocks and unallocated space of live pages, freelist pages, pages
 * nothing references any more (dropped tables), overflow chains of
 * deleted cells, older page images in WAL frames and journal records, and
 * deleted keys of index b-trees. Each row found is one "carved" record
 * (fx-record(5)) on the output, in a fixed order: the database's pages,
 * then the WAL's frames, then the journal's records, each by offset.
 *
 * Every input is hashed (SHA-256) while it is read; the hash names the
 * bytes in each record's src.sha256.
 */
#ifndef FX_CARVE_H
#define FX_CARVE_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fx_hash.h"

enum fx_carve_format { FX_CARVE_JSONL, FX_CARVE_CSV };

/* One input: a file to read and the name its records give it. */
struct fx_carve_file {
	const char *path;   /* what to open; NULL: no such input */
	const char *name;   /* src.path and messages (NULL: path) */
	const char *sha256; /* the hash the bytes must have (a case object), or NULL */
};

/* A database with its companions. */
struct fx_carve_input {
	struct fx_carve_file db;
	struct fx_carve_file wal;     /* path NULL: none */
	struct fx_carve_file journal; /* path NULL: none */
	const json_t *like;           /* case and device are copied from it (borrowed), or NULL */
};

/* Where records go; _init/_release pair, lives with the caller. */
struct fx_carve_out {
	FILE *fp; /* records as lines (borrowed) */
	enum fx_carve_format format;
	const char *case_id; /* the records' case, or NULL */
	int quiet;
	/* counts, added to by every run */
	uint64_t records, databases;
	/* private */
	int header_done;
};

void fx_carve_out_init(struct fx_carve_out *o, FILE *fp, enum fx_carve_format format);

/*
 * Carves one database (with its WAL and journal when given) to o.
 * Anything that cannot be read is reported, naming the file and the page
 * or offset, and the rest is still carved. Returns 0, 1 when some input
 * could not be read (reported), or -1 when the output could not be
 * written (reported).
 */
int fx_carve_run(const struct fx_carve_input *in, struct fx_carve_out *o);

/*
 * The sibling companion of a database path: path + "-wal" or "-journal"
 * when such a regular file exists. Returns a malloc'd path (caller
 * frees) or NULL.
 */
char *fx_carve_sibling(const char *db_path, const char *suffix);

/*
 * Case mode: reads records (JSON Lines) from path ("-": standard input),
 * passes every one through to o->fp unchanged (JSON Lines output only),
 * and carves each `file` record whose object in the case at case_dir is
 * an SQLite database, with the objects of the -wal and -journal files of
 * the same path in the stream. Carved records follow all the records
 * passed through, database by database in input order; they take their
 * case and device from the database's file record. Returns 0, 1 (some
 * input reported as unreadable), or -1 (the output failed).
 */
int fx_carve_case(const char *case_dir, const char *path, struct fx_carve_out *o);

/*
 * Compares the records in the file got (what a run wrote) with those in
 * the file want, ignoring each record's id and src.path (a sample may be
 * moved). Differences go to stderr, at most a few lines of each kind.
 * Returns 0 when they agree, 1 when they differ, -1 when a file cannot
 * be read (reported). Lines that are not JSON are compared as text, so
 * CSV output can be checked too.
 */
int fx_carve_expect(FILE *got, const char *want_path);

/* ---- pieces with unit tests (lib/carve/record.c) ---- */

/*
 * Reads an SQLite varint from p (at most n bytes). Returns its length
 * (1 to 9), or 0 when n bytes do not hold a whole one.
 */
int fx_carve_varint(const uint8_t *p, size_t n, uint64_t *v);
/* The length of v as an SQLite varint (1 to 9). */
int fx_carve_varint_len(uint64_t v);
/* The number of body bytes of a serial type, or -1 for 10 and 11. */
int64_t fx_carve_serial_size(uint64_t st);
/*
 * The bytes a table b-tree cell (index 0) or index cell (index 1) keeps
 * on its page for a payload of p bytes with usable page size u.
 */
uint32_t fx_carve_local(uint64_t p, uint32_t u, int index);

#endif
