/*
 * fx_walk.h - one interface over an evidence source: a directory, a tar
 * (plain, gzip, bzip2, xz, zstd), or a zip. Members come out in one pass
 * with their metadata and a byte stream; nothing is extracted.
 *
 * Names are never trusted: a member's path is made relative, '.' and
 * '..' are resolved inside the tree (never above it), and a name that is
 * not valid UTF-8 is shown with the bad bytes as %XX while the raw name
 * is kept in hex. Symbolic links are reported, never followed.
 *
 * The name rules, in order:
 *   - a leading '/' is dropped (FX_WALK_NAME_ABSOLUTE);
 *   - empty and '.' components are dropped, so "a//./b/" is "a/b"
 *     (not flagged);
 *   - '..' removes the component before it, lexically; a '..' with
 *     nothing left to remove would climb above the root and is dropped
 *     (FX_WALK_NAME_DOTDOT);
 *   - %XX escaping (FX_WALK_NAME_UTF8), per component: each byte that
 *     does not begin a valid UTF-8 sequence (RFC 3629: no overlong forms,
 *     no surrogates, nothing above U+10FFFF) becomes '%' and two
 *     uppercase hex digits, and a '%' followed by two hex digits becomes
 *     "%25"; any other '%' stays as it is. Decoding "%XX" (X hex) as a
 *     byte and every other '%' as itself gives back the raw bytes;
 *   - a name that comes to nothing ("/", "..", "./") is named "." (the
 *     root), with the flags that say why. A directory walk never yields
 *     its root; an archive may hold "." members (tar -C dir .).
 * raw_hex is the raw name in lowercase hex (in a directory walk, the raw
 * path relative to the root), set whenever a FX_WALK_NAME_* flag is.
 *
 * Names inside archives are taken as raw bytes, whatever the caller's
 * locale: a tar is read in the C locale, where libarchive keeps the raw
 * bytes of pax UTF-8 names; a zip in a UTF-8 locale, as libarchive can
 * give a zip name marked UTF-8 in no other way (such names come out NFC
 * normalized). The locale is set for the calling thread only, around the
 * libarchive calls. A zip name libarchive cannot decode at all (marked
 * UTF-8, but not) is named "%00unnamed-N", N the member's number from 1,
 * with FX_WALK_NAME_UTF8, raw_hex "" and a warning: "%00" cannot come
 * from a real name.
 *
 * The format is found by content, never by name: a tar under any filter
 * libarchive reads, then a zip, else one plain file (FX_WALK_FORMAT_FILE,
 * its member named by the basename of src). A compressed file that holds
 * no tar is a plain file, its compressed bytes the stream. So that no
 * bytes of a source go unwalked, these are plain files too: an archive
 * without a member (libarchive takes anything that starts with a zero
 * block, like many disk images, for an empty tar), text holding a
 * uuencoded tar, and a zip that does not start at the first byte (a
 * self-extracting zip, or an image whose last file is a zip).
 *
 * Sources are opened read-only, with O_NOATIME where permitted. A
 * directory is walked with openat() from directory descriptors, never
 * following a symbolic link (src itself may be one), depth first, each
 * directory's names in bytewise order: the same tree walks in the same
 * order every time. Memory is bounded by the depth and the widest
 * directory, not by the tree; the member stream is read into one 1 MiB
 * buffer owned by the walker.
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
#define FX_WALK_NAME_UTF8     0x4 /* bytes escaped as %XX (rule above) */
#define FX_WALK_LINK_OUTSIDE  0x8 /* link target points outside the tree */

/*
 * One member. Every pointer is borrowed until the next fx_walk_next().
 *
 * link: for a SYMLINK, the target as recorded, only %XX-escaped (never
 * resolved); FX_WALK_LINK_OUTSIDE when it is absolute or, resolved
 * lexically from the link's directory, climbs above the root. For a tar
 * HARDLINK, the target member's name under the name rules (so it matches
 * that member's path); FX_WALK_LINK_OUTSIDE when the recorded target was
 * absolute or climbed above the root.
 *
 * size: the bytes the stream yields. A directory member's size is its
 * st_size when listed (a file that grew is read up to it; one that shrank
 * is an error); directories, links and devices yield nothing, size 0.
 * An archive member's size is the recorded (logical) size: holes of a
 * sparse member read as zeros, and a member that holds more or less data
 * than recorded is an error. sparse is also set when holes turn up while
 * reading.
 *
 * offset: for a tar, the member header's offset in the uncompressed
 * stream; for a zip, libarchive's read position when it took the member
 * (not always its local header); 0 for a directory or a plain file.
 */
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
 * or NULL after reporting why (src missing or unreadable, or neither a
 * directory nor a regular file).
 */
struct fx_walk *fx_walk_open(const char *src);
enum fx_walk_format fx_walk_format(const struct fx_walk *w);

/*
 * Advances to the next member, skipping what is left of the current one.
 * Returns 1 with *e set, 0 at the end, or -1 after reporting a problem
 * that names the source and member/offset. After -1 the caller may call
 * again: a directory walk goes on with the next entry; a tar with a
 * damaged header goes on from the next good header (one report for the
 * damaged stretch); an archive that cannot be read further then returns
 * 0. The offsets in messages are in the uncompressed stream, with the
 * offset in the file as "input offset" for a compressed tar.
 * fx_walk_errors() counts the problems reported so far.
 */
int fx_walk_next(struct fx_walk *w, struct fx_walk_entry **e);
unsigned fx_walk_errors(const struct fx_walk *w);

/*
 * Reads the current member's bytes, zero-copy where the source allows:
 * sets *buf to at most a block of data owned by the walker (valid until the
 * next call). Returns the byte count, 0 at the end of the member, or -1
 * after reporting a read error or a truncated member. Blocks are at most
 * 1 MiB. After -1 the member is over (later calls return 0); the bytes
 * already returned stay as they were. A truncated tar ends the walk; a
 * zip goes on with its next member.
 */
ssize_t fx_walk_read(struct fx_walk *w, const void **buf);

void fx_walk_free(struct fx_walk *w);

#endif
