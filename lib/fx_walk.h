/*
 * fx_walk.h - one interface over an evidence source: a directory, a tar
 * (plain, gzip, bzip2, xz, zstd), or a zip. Members come out in one pass
 * with their metadata and a byte stream; nothing is extracted.
 *
 * Names are never trusted: a member's path is made relative, '.' and
 * '..' are resolved inside the tree (never above it), and a name that is
 * not valid UTF-8 is shown with the bad bytes as %XX while the raw name
 * is kept in hex. Symbolic links are reported, never followed.
 */
#ifndef FX_WALK_H
#define FX_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum fx_walk_kind {
	FX_WALK_FILE,
	FX_WALK_DIR,
	FX_WALK_SYMLINK,
	FX_WALK_HARDLINK,
	FX_WALK_OTHER, /* device, fifo, socket */
};

enum fx_walk_format {
	FX_WALK_FORMAT_DIR,
	FX_WALK_FORMAT_TAR,
	FX_WALK_FORMAT_ZIP,
	FX_WALK_FORMAT_FILE, /* a single plain file */
};

/* Flags in fx_walk_entry.flags: why a name was changed. */
#define FX_WALK_NAME_ABSOLUTE 0x1 /* leading '/' removed */
#define FX_WALK_NAME_DOTDOT   0x2 /* '..' that would climb out was dropped */
#define FX_WALK_NAME_UTF8     0x4 /* bytes not valid UTF-8 escaped as %XX */
#define FX_WALK_LINK_OUTSIDE  0x8 /* link target points outside the tree */

/* One member. Every pointer is borrowed until the next fx_walk_next(). */
struct fx_walk_entry {
	const char *path;        /* safe relative path, UTF-8, '/'-separated */
	const char *raw_hex;     /* the raw name in hex when flags & NAME_*; else NULL */
	const char *link;        /* link target for SYMLINK/HARDLINK; else NULL */
	enum fx_walk_kind kind;
	unsigned flags;
	uint64_t size;           /* bytes the stream will yield (logical size) */
	mode_t mode;             /* permission bits and type, as recorded */
	int64_t mtime_ms;        /* modification time, ms since the Unix epoch */
	int sparse;              /* archive member stored sparse (holes read as 0) */
	uint64_t offset;         /* member header offset in an archive; 0 for dirs */
};

struct fx_walk;

/*
 * Opens src, detecting a directory, an archive (by content, not by name),
 * or a single plain file. Returns a new walker (caller fx_walk_free()s),
 * or NULL after reporting why.
 */
struct fx_walk *fx_walk_open(const char *src);
enum fx_walk_format fx_walk_format(const struct fx_walk *w);

/*
 * Advances to the next member. Returns 1 with *e set, 0 at the end, or -1
 * after reporting a problem that names the source and member/offset. After
 * -1 the caller may call again: a directory walk goes on with the next
 * entry; an archive that cannot be read further then returns 0.
 * fx_walk_errors() counts the problems reported so far.
 */
int fx_walk_next(struct fx_walk *w, struct fx_walk_entry **e);
unsigned fx_walk_errors(const struct fx_walk *w);

/*
 * Reads the current member's bytes, zero-copy where the source allows:
 * sets *buf to at most a block of data owned by the walker (valid until the
 * next call). Returns the byte count, 0 at the end of the member, or -1
 * after reporting a read error or a truncated member.
 */
ssize_t fx_walk_read(struct fx_walk *w, const void **buf);

void fx_walk_free(struct fx_walk *w);

#endif
