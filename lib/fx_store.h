/*
 * fx_store.h - the case's object store: evidence bytes content-addressed
 * by SHA-256 under CASE/objects/ab/cdef… (the first two hex digits name
 * the folder), written once and made read-only.
 *
 * An object is hashed while it is written (one pass), into a temporary
 * file under objects/tmp/, then renamed into place unless an object with
 * that hash is already there (dedupe). Large objects are written by a
 * second thread while the caller hashes and reads the next block, so a
 * store uses both cores. Durability is batched: fx_store_sync() flushes
 * everything put so far and is called before the case database commits
 * the records that name those objects.
 */
#ifndef FX_STORE_H
#define FX_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "fx_hash.h"

struct fx_store;
struct fx_store_put;

/*
 * Opens the store under case_dir/objects (created when writable is set).
 * Returns a new store (caller fx_store_free()s) or NULL after reporting.
 */
struct fx_store *fx_store_open(const char *case_dir, int writable);
void fx_store_free(struct fx_store *s);

/* Starts an object. Returns a new put, or NULL after reporting. */
struct fx_store_put *fx_store_put_begin(struct fx_store *s);
/* Hashes and writes len bytes. Returns 0 or -1 (reported; abort the put). */
int fx_store_put_write(struct fx_store_put *p, const void *buf, size_t len);
/*
 * Finishes the object: hex gets its SHA-256, *size its length, *existed 1
 * if the store already had it. Frees p. Returns 0 or -1 (reported;
 * nothing is left under that hash).
 */
int fx_store_put_commit(struct fx_store_put *p, char hex[FX_SHA256_HEX],
			uint64_t *size, int *existed);
/* Drops an unfinished object and frees p. */
void fx_store_put_abort(struct fx_store_put *p);

/* Stores a whole file (streamed). Returns 0 or -1 (reported). */
int fx_store_put_file(struct fx_store *s, const char *path,
		      char hex[FX_SHA256_HEX], uint64_t *size, int *existed);
/* Stores a buffer. Returns 0 or -1 (reported). */
int fx_store_put_buf(struct fx_store *s, const void *buf, size_t len,
		     char hex[FX_SHA256_HEX], int *existed);

/* Makes every object put so far durable (one syncfs). Returns 0 or -1. */
int fx_store_sync(struct fx_store *s);

/* True when the store holds an object with this hash. */
int fx_store_has(const struct fx_store *s, const char *hex);
/* The object's path (it may not exist). Caller frees. */
char *fx_store_path(const struct fx_store *s, const char *hex);

/*
 * Calls fn for every object file (hex name and size), in hash order.
 * Stops early if fn returns non-zero and returns that; else 0 or -1.
 */
int fx_store_foreach(const struct fx_store *s,
		     int (*fn)(const char *hex, uint64_t size, void *ctx), void *ctx);

#endif
