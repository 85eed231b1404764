/*
 * fx_io.h - small I/O helpers: full writes, whole-file reads, atomic
 * replacement of a file, and the stdout check every pipe tool ends with.
 */
#ifndef FX_IO_H
#define FX_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* write() until all of buf is written or an error; returns 0 or -1 (errno set). */
int fx_write_all(int fd, const void *buf, size_t len);
/* The same with pwrite() at off. */
int fx_pwrite_all(int fd, const void *buf, size_t len, uint64_t off);

/*
 * Reads a whole file into a malloc'd buffer with a NUL after the data;
 * caller frees. Returns NULL after reporting. max bounds the size (0: none).
 */
char *fx_read_file(const char *path, size_t *len, size_t max);

/*
 * Reads path from start to end in blocks of up to 1 MiB, calling fn with
 * each; fn returns 0 to go on or -1 (having reported) to stop. *size gets
 * the bytes read. Returns 0, or -1 after reporting a failure to open or
 * read that names the file and the offset.
 */
int fx_read_blocks(const char *path, int (*fn)(const void *buf, size_t n, void *ctx),
		   void *ctx, uint64_t *size);

/*
 * Writes data to path atomically: a temporary file beside it, fsync,
 * rename, fsync of the directory. Returns 0 or -1 (reported; nothing is
 * left behind).
 */
int fx_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* mkdir -p; returns 0 or -1 (reported). */
int fx_mkdirs(const char *path, mode_t mode);

/*
 * Flushes and closes stdout, reporting a failed write (a full disk, a
 * closed pipe). Returns 0 or -1. Every tool calls it before exiting.
 */
int fx_close_stdout(void);

/* Joins a directory and a name into a malloc'd path; caller frees. */
char *fx_path_join(const char *dir, const char *name);

/*
 * The directory that holds fx's data (templates): $FX_DATADIR if set, else
 * the compiled-in FX_DATADIR. Borrowed.
 */
const char *fx_datadir(void);

/* $FX_HOME, else $XDG_CONFIG_HOME/fx, else ~/.config/fx. Caller frees. */
char *fx_home(void);

#endif
