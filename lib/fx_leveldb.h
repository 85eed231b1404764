/*
 * fx_leveldb.h - a forensic reader of LevelDB folders, such as Chromium's
 * "Local Storage/leveldb" and "Session Storage" in Android app data.
 *
 * The files are read as raw bytes, read-only: the database is never
 * opened with the LevelDB library, which would write LOCK and LOG files,
 * replay the log and compact. Every key/value found is reported, not only
 * the live ones: the deletion tombstones and the older, overwritten values
 * that are still in .log files and in .ldb/.sst tables come out too, each
 * with its provenance (file, offset, sequence number, type) and whether it
 * is the newest state of its key among the files read.
 *
 * Formats (LevelDB's doc/log_format.md and doc/table_format.md):
 *   - NNNNNN.log: 32 KiB blocks of records (masked CRC32C, length, type
 *     FULL/FIRST/MIDDLE/LAST) whose payloads are WriteBatches: a sequence
 *     number, a count, then entries (1: value, with key and value; 0:
 *     deletion, with key); the n-th entry has the batch's sequence + n.
 *   - NNNNNN.ldb or .sst: sorted tables. The footer (magic
 *     0xdb4775248b80fb57) points to the index block, whose entries point
 *     to the data blocks; each block ends in a compression type (0 none,
 *     1 snappy) and a masked CRC32C, which is verified. Keys are internal
 *     keys: the user key then 8 bytes of (sequence << 8 | type).
 *   - MANIFEST-NNNNNN, CURRENT, LOCK, LOG, LOG.old: listed, not read for
 *     data.
 *
 * Damage is reported with fx_error(), naming the file and the offset, and
 * skipped: a block or record whose checksum is wrong, a truncated record,
 * a batch or block entry that does not parse. What is left of the file
 * is still read, and the function returns 1 at the end.
 *
 * Limits, against absurd or hostile input: a file larger than
 * FX_LEVELDB_MAX_FILE is not read (reported); a block that would
 * decompress to more than FX_LEVELDB_MAX_BLOCK is skipped (reported); and
 * a read that collects more than FX_LEVELDB_MAX_MEMORY of entries (keys,
 * values and bookkeeping) stops with an error and returns -1. Every
 * length and offset read from a file is checked against the bytes there;
 * nothing recurses.
 */
#ifndef FX_LEVELDB_H
#define FX_LEVELDB_H

#include <stddef.h>
#include <stdint.h>

#define FX_LEVELDB_MAX_FILE ((size_t)256 << 20)
#define FX_LEVELDB_MAX_BLOCK ((size_t)64 << 20)
#define FX_LEVELDB_MAX_MEMORY ((size_t)512 << 20)

enum fx_leveldb_kind {
	FX_LEVELDB_LOG,      /* NNNNNN.log: WriteBatches */
	FX_LEVELDB_TABLE,    /* NNNNNN.ldb, NNNNNN.sst: a sorted table */
	FX_LEVELDB_MANIFEST, /* MANIFEST-NNNNNN: the version history */
	FX_LEVELDB_CURRENT,  /* CURRENT: names the live MANIFEST */
	FX_LEVELDB_OTHER,    /* LOCK, LOG, LOG.old, *.dbtmp, anything else */
};

/* One file of a LevelDB folder, as fx_leveldb_list() finds it. */
struct fx_leveldb_file {
	char *name;                /* base name; owned by the list */
	enum fx_leveldb_kind kind; /* from the name */
	uint64_t number;           /* the file number in the name; 0 if none */
	uint64_t size;             /* st_size */
};

/*
 * Lists the regular files of dir (symbolic links and subfolders are left
 * out, never followed) in the order fx_leveldb_read() reads them: by file
 * number, which LevelDB hands out in increasing order, so logs and tables
 * come in the order they were created; files without a number after
 * those, by name (bytewise). Sets *files to a malloc'd array (caller
 * fx_leveldb_files_free()s it, also when the count is 0) and returns the
 * count, or -1 after reporting that dir cannot be read.
 */
long fx_leveldb_list(const char *dir, struct fx_leveldb_file **files);
void fx_leveldb_files_free(struct fx_leveldb_file *files, long n);

/*
 * One key/value (or tombstone) found. Every pointer is borrowed for the
 * duration of the callback.
 *
 * offset: for a table, the file offset of the data block that holds the
 * entry; for a log, the file offset of the header of the log record (its
 * first fragment, when it spans blocks) that holds the WriteBatch.
 * pos: the entry's byte offset inside that block once decompressed, or
 * inside the WriteBatch once its fragments are joined (the batch header
 * is 12 bytes, so the first entry is at 12).
 *
 * live: seq is the highest sequence number seen for this key in the files
 * read, so the entry is the key's current state; for a tombstone that
 * means the key is deleted. A copy of the same entry in two files (a log
 * LevelDB had not yet removed after writing its table) is live in both.
 * Entries that LevelDB compacted away leave no trace, so "live" is as
 * good as the files at hand: a stale table left behind could make an
 * old value look live if its newer tombstone was compacted away.
 */
struct fx_leveldb_entry {
	const char *file;          /* base name of the file */
	enum fx_leveldb_kind kind; /* FX_LEVELDB_LOG or FX_LEVELDB_TABLE */
	uint64_t offset;
	uint32_t pos;
	uint64_t seq; /* 56-bit sequence number */
	int deleted;  /* 1: deletion tombstone (no value) */
	int live;
	const unsigned char *key;
	size_t key_len;
	const unsigned char *value; /* NULL for a tombstone */
	size_t value_len;
};

/*
 * Called once per entry, in the order read: files in fx_leveldb_list()
 * order, entries in file order. Returns 0 to go on; any other value stops
 * the read, which then returns -1 (the callback reports why, if it
 * should).
 */
typedef int (*fx_leveldb_fn)(const struct fx_leveldb_entry *e, void *ctx);

/*
 * Reads every .log, .ldb and .sst file of dir and calls fn for each entry
 * found. The entries are collected first (live needs all of them), then
 * handed out. Returns 0 when everything read cleanly, 1 when some parts
 * were damaged or some files unreadable (each reported; the rest was
 * read), or -1 after reporting when nothing could be read: dir cannot be
 * listed, holds no LevelDB file at all (no CURRENT, MANIFEST, log or
 * table), none of its logs and tables can be read, the memory limit was
 * hit, or fn stopped the read. A folder with only CURRENT and a MANIFEST
 * (an empty database) returns 0 without calling fn.
 */
int fx_leveldb_read(const char *dir, fx_leveldb_fn fn, void *ctx);

/*
 * As fx_leveldb_read(), for one file given by path; e->file is its base
 * name and live is computed within that file alone. The format comes from
 * the name (.log; .ldb or .sst), else from the content: a file that ends
 * in the table magic number is a table, anything else is read as a log.
 * A MANIFEST, CURRENT or other non-data name with no table magic is read
 * as a log too, so pass data files only. Returns 0, 1 or -1 as above.
 */
int fx_leveldb_read_file(const char *path, fx_leveldb_fn fn, void *ctx);

/*
 * Chromium's DOM storage keys.
 *
 * Local Storage ("Local Storage/leveldb"):
 *   "VERSION"              value "1"
 *   "META:<origin>"        protobuf: 1 last_modified (base::Time, µs since
 *                          1601, FX_TIME_WEBKIT_US), 2 size_bytes
 *   "METAACCESS:<origin>"  protobuf: 1 last_accessed (µs since 1601)
 *   "_<origin>\0<key>"     the script key and the value each begin with
 *                          one byte for their encoding: 0 UTF-16LE,
 *                          1 Latin-1 (ISO-8859-1)
 * Session Storage ("Session Storage"):
 *   "version", "next-map-id"             value: a number as text
 *   "namespace-<36-char id>-<origin>"    value: the map number as text
 *   "map-<number>-<key>"                 key UTF-8; value UTF-16LE,
 *                                        without an encoding byte
 * Origins are serialized origins ("https://example.com"; in Session
 * Storage often with a trailing '/').
 */
enum fx_leveldb_chromium_type {
	FX_LEVELDB_CR_OTHER,          /* none of the below; nothing decoded */
	FX_LEVELDB_CR_LS_VERSION,     /* value */
	FX_LEVELDB_CR_LS_META,        /* origin, last_modified, size */
	FX_LEVELDB_CR_LS_METAACCESS,  /* origin, last_accessed */
	FX_LEVELDB_CR_LS_ITEM,        /* origin, key, value */
	FX_LEVELDB_CR_SS_VERSION,     /* value */
	FX_LEVELDB_CR_SS_NEXT_MAP_ID, /* value */
	FX_LEVELDB_CR_SS_NAMESPACE,   /* namespace_id, origin, map_id (from the value) */
	FX_LEVELDB_CR_SS_ITEM,        /* map_id, key, value */
};

/* Flags in fx_leveldb_chromium.hex: which strings are hex, not text. */
#define FX_LEVELDB_CR_ORIGIN_HEX 0x1
#define FX_LEVELDB_CR_KEY_HEX 0x2
#define FX_LEVELDB_CR_VALUE_HEX 0x4

/*
 * A decoded key (and value). Strings are malloc'd UTF-8, NUL-terminated,
 * or NULL when the key type has no such part (value is NULL for a
 * tombstone). A part that cannot be decoded (an unknown encoding byte,
 * an odd UTF-16 length, an unpaired surrogate, bytes that are not UTF-8)
 * is kept as the lowercase hex of its raw bytes, encoding byte included,
 * and its FX_LEVELDB_CR_*_HEX flag is set. The has_* fields say whether
 * the protobuf held that field. fx_leveldb_chromium_release() frees.
 */
struct fx_leveldb_chromium {
	enum fx_leveldb_chromium_type type;
	unsigned hex;
	char *origin;
	char *key;
	char *value;
	char *namespace_id;
	char *map_id;
	int has_last_modified, has_size, has_last_accessed;
	int64_t last_modified; /* µs since 1601-01-01 UTC (FX_TIME_WEBKIT_US) */
	uint64_t size;         /* size_bytes: the origin's total storage */
	int64_t last_accessed; /* µs since 1601-01-01 UTC */
};

/*
 * Decodes a Chromium DOM storage key and its value (value may be NULL, as
 * for a tombstone) into *out, which the caller then releases. Never
 * fails: a key of no known layout is FX_LEVELDB_CR_OTHER with every
 * string NULL. Returns out->type.
 */
int fx_leveldb_chromium_key(const unsigned char *key, size_t key_len, const unsigned char *value,
			    size_t value_len, struct fx_leveldb_chromium *out);
void fx_leveldb_chromium_release(struct fx_leveldb_chromium *c);

#endif
