/*
 * fx_pull.h - acquisition: evidence bytes read from a source, hashed while
 * they are stored in the case, and described by records.
 */
#ifndef FX_PULL_H
#define FX_PULL_H

#include <stdint.h>
#include <stdio.h>

#include "fx_case.h"

struct fx_pull_opts {
	struct fx_case *c;  /* store into this case; NULL: hash and describe only */
	FILE *out;          /* records go here (may be NULL) */
	const char *device; /* device key for the records, or NULL */
	unsigned batch;     /* files per transaction and custody entry */
	int quiet;
	/*
	 * Called for each file stored, with its safe path, hash, size and
	 * modification time (ms); for the parsers that run after the walk.
	 */
	void (*on_file)(void *ctx, const char *path, const char *sha256, uint64_t size,
			int64_t mtime_ms);
	void *on_file_ctx;
};

struct fx_pull_stats {
	uint64_t files, bytes, stored, problems;
};

/*
 * Acquires every member of src (a file, a directory, a tar or a zip, see
 * fx_walk.h): each regular file is hashed while it is stored as an object,
 * each symbolic link's target is kept, and a `file` record describes each.
 * Problems (unreadable members, a truncated archive) are reported naming
 * the source and member, counted, and the rest is still acquired. Returns
 * 0, 1 when some members could not be acquired, or -1 when nothing could.
 */
int fx_pull_files(const struct fx_pull_opts *o, const char *src,
		  struct fx_pull_stats *st);

/*
 * Acquires an Android file system (a folder, tar or zip of one, at any
 * depth and layout) into the case: every file as fx_pull_files() does,
 * then the device's details and every artifact the parsers of lib/android/
 * recognise, as records. Needs a case (o->c). Returns as fx_pull_files().
 */
int fx_pull_android(const struct fx_pull_opts *o, const char *src,
		    struct fx_pull_stats *st);

/*
 * Acquires a phone attached by USB with debugging enabled, through the
 * adb found on PATH (serial: which phone; NULL when only one is
 * attached): its properties (getprop), SMS, contacts and call log
 * through `content query` on their providers (logical, no root), shared
 * storage (DCIM, Pictures, Download, Movies, messaging apps' media) by
 * `exec-out tar`, and the package list. Every output is hashed as it
 * arrives and stored; the rows become records as fx_pull_android()'s
 * parsers would make them. Returns as fx_pull_files().
 */
int fx_pull_adb(const struct fx_pull_opts *o, const char *serial, struct fx_pull_stats *st);

#endif
