/*
 * fx_walk.c - one walker over an evidence source: a directory (openat,
 * never following a link), a tar or a zip (libarchive, detected by
 * content), or a single plain file. See fx_walk.h for the rules.
 */
#define _GNU_SOURCE /* O_NOATIME */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "fx_buf.h"
#include "fx_walk.h"
#include "fx_err.h"
#include "fx_hash.h"
#include "fx_banned.h"

#ifndef O_NOATIME
#define O_NOATIME 0
#endif

/* Reads from a file, and the input blocks handed to libarchive. */
#define BLOCK ((size_t)1 << 20)

/* One open directory of a directory walk. */
struct frame {
	int fd;
	char *names;   /* the entries' names, each NUL-terminated */
	char **sorted; /* pointers into names, in bytewise order */
	size_t n, next;
	size_t rawlen; /* raw relative path of the directory, with its '/' */
};

struct fx_walk {
	char *src;
	enum fx_walk_format format;
	unsigned errors;
	int done; /* no more members */
	struct fx_walk_entry ent;
	struct fx_buf path, hex, link, raw, tmp;
	unsigned char *buf;   /* BLOCK bytes: file reads, or archive input */
	unsigned char *zeros; /* BLOCK zero bytes for sparse holes, lazily */
	int fd;               /* the archive or plain file; -1 for a directory */
	off_t fsize;
	int io_errno; /* a read error seen under libarchive */

	/* The current member's stream. */
	int m_live; /* more bytes may come */
	int m_size_known;
	uint64_t m_pos; /* bytes yielded so far */
	int m_fd;       /* directory walk: opened on the first read */
	dev_t m_dev;
	ino_t m_ino;

	/* Archives. */
	struct archive *a;
	locale_t loc;
	struct archive_entry *peek_ae; /* the first header, read by arc_try() */
	int peek, peek_r;
	int resync;     /* skipping damaged headers, reported once */
	int data_fatal; /* zip: the last member's data failed fatally */
	int64_t fail_pos;
	uint64_t index; /* members read so far */
	int have_pend;  /* a data block not yet yielded in full */
	const unsigned char *pend;
	size_t pend_len;
	uint64_t pend_off;

	/* Directories. */
	struct frame *stk;
	size_t depth, stk_cap;
	int descend; /* the last entry was a directory to enter */
};

/* Names. */

/* Length of the valid UTF-8 sequence at s (n > 0 bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0; /* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90; /* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/*
 * Appends n raw bytes with the %XX rule of fx_walk.h: a byte that does not
 * start a valid UTF-8 sequence becomes %XX, and so does a '%' followed by
 * two hex digits, so that decoding is unambiguous. Returns 1 when anything
 * was escaped.
 */
static int put_escaped(struct fx_buf *b, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3] = { '%', 0, 0 };
	size_t i = 0, k;
	int changed = 0;

	while (i < n) {
		if (s[i] == '%' && i + 2 < n && is_hex(s[i + 1]) &&
		    is_hex(s[i + 2])) {
			fx_buf_add(b, "%25", 3);
			changed = 1;
			i++;
			continue;
		}
		k = utf8_len(s + i, n - i);
		if (k) {
			fx_buf_add(b, s + i, k);
			i += k;
			continue;
		}
		esc[1] = hex[s[i] >> 4];
		esc[2] = hex[s[i] & 15];
		fx_buf_add(b, esc, 3);
		changed = 1;
		i++;
	}
	return changed;
}

/*
 * Makes a safe relative path of a raw name: leading '/' dropped, empty and
 * '.' components dropped, '..' resolved lexically and dropped where it
 * would climb above the root, bytes escaped. An empty result is ".".
 * Returns FX_WALK_NAME_* flags.
 */
static unsigned sanitize(struct fx_buf *out, const char *raw, size_t n)
{
	const unsigned char *p = (const unsigned char *)raw, *end = p + n, *q;
	unsigned flags = 0;
	size_t cut;

	fx_buf_truncate(out, 0);
	if (n && *p == '/')
		flags |= FX_WALK_NAME_ABSOLUTE;
	while (p < end) {
		if (*p == '/') {
			p++;
			continue;
		}
		for (q = p; q < end && *q != '/'; q++)
			;
		if (q - p == 1 && p[0] == '.') {
			/* nothing */
		} else if (q - p == 2 && p[0] == '.' && p[1] == '.') {
			if (out->len == 0) {
				flags |= FX_WALK_NAME_DOTDOT;
			} else {
				cut = out->len;
				while (cut > 0 && out->data[cut - 1] != '/')
					cut--;
				fx_buf_truncate(out, cut ? cut - 1 : 0);
			}
		} else {
			if (out->len)
				fx_buf_add(out, "/", 1);
			if (put_escaped(out, p, (size_t)(q - p)))
				flags |= FX_WALK_NAME_UTF8;
		}
		p = q;
	}
	if (out->len == 0)
		fx_buf_add(out, ".", 1);
	return flags;
}

/*
 * True when a symbolic link at the safe path member, pointing to target,
 * leads outside the tree: target is absolute or its '..' climb above the
 * root, resolved lexically from the link's directory.
 */
static int link_outside(const char *member, const char *target)
{
	const char *p, *q;
	long depth = 0;

	if (target[0] == '/')
		return 1;
	if (strcmp(member, ".") != 0)
		for (p = member; *p; p++)
			depth += *p == '/';
	for (p = target; *p; p = q) {
		if (*p == '/') {
			q = p + 1;
			continue;
		}
		q = strchr(p, '/');
		if (!q)
			q = p + strlen(p);
		if (q - p == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return 1;
		} else if (!(q - p == 1 && p[0] == '.')) {
			depth++;
		}
	}
	return 0;
}

/* Sets ent.path, flags and raw_hex (lowercase) from a raw name. */
static void set_name(struct fx_walk *w, const char *raw, size_t n)
{
	w->ent.flags = sanitize(&w->path, raw, n);
	w->ent.path = w->path.data;
	w->ent.raw_hex = NULL;
	if (!w->ent.flags)
		return;
	fx_buf_truncate(&w->hex, 0);
	fx_buf_grow(&w->hex, 2 * n);
	fx_hex((const uint8_t *)raw, n, w->hex.data);
	w->hex.len = 2 * n;
	w->ent.raw_hex = w->hex.data;
}

/* Sets a symbolic link's target: escaped, checked against the root. */
static void set_symlink(struct fx_walk *w, const char *target, size_t n)
{
	fx_buf_truncate(&w->link, 0);
	put_escaped(&w->link, (const unsigned char *)target, n);
	w->ent.link = w->link.data;
	if (link_outside(w->ent.path, w->link.data))
		w->ent.flags |= FX_WALK_LINK_OUTSIDE;
}

static int64_t ms_of(int64_t sec, long nsec)
{
	return sec * 1000 + nsec / 1000000;
}

/* Errors: each one reported is counted. */

static int walk_error(struct fx_walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int walk_error(struct fx_walk *w, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->errors++;
	return fx_error("%s", msg);
}

/* "src/" or "src" when it already ends in '/'. */
static const char *src_sep(const struct fx_walk *w)
{
	size_t n = strlen(w->src);

	return n && w->src[n - 1] == '/' ? "" : "/";
}

/* " (input offset N)" for a compressed archive, else "". */
static const char *input_offset(struct fx_walk *w, char *buf, size_t size)
{
	buf[0] = '\0';
	if (w->a && archive_filter_count(w->a) > 1)
		snprintf(buf, size, " (input offset %lld)",
			 (long long)archive_filter_bytes(w->a, -1));
	return buf;
}

/* A problem with the current member's data. */
static int member_error(struct fx_walk *w, const char *why)
{
	char in[64];

	w->m_live = 0;
	if (w->format == FX_WALK_FORMAT_DIR)
		return walk_error(w, "cannot read '%s%s%s' at offset %llu: %s",
				  w->src, src_sep(w), w->ent.path,
				  (unsigned long long)w->m_pos, why);
	if (w->format == FX_WALK_FORMAT_FILE)
		return walk_error(w, "cannot read '%s' at offset %llu: %s",
				  w->src, (unsigned long long)w->m_pos, why);
	return walk_error(w, "cannot read '%s': member '%s' at offset %llu%s: "
			  "byte %llu of the member: %s", w->src, w->ent.path,
			  (unsigned long long)w->ent.offset,
			  input_offset(w, in, sizeof(in)),
			  (unsigned long long)w->m_pos, why);
}

/* Archives. */

static ssize_t cb_read(struct archive *a, void *data, const void **buf)
{
	struct fx_walk *w = data;
	ssize_t n;

	do
		n = read(w->fd, w->buf, BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		w->io_errno = errno;
		archive_set_error(a, errno, "%s", strerror(errno));
	}
	*buf = w->buf;
	return n;
}

static la_int64_t cb_skip(struct archive *a, void *data, la_int64_t req)
{
	struct fx_walk *w = data;
	off_t cur = lseek(w->fd, 0, SEEK_CUR);

	(void)a;
	/* Skipping past the end would hide a truncation: read up to it. */
	if (cur < 0 || req <= 0 || cur >= w->fsize)
		return 0;
	if (req > w->fsize - cur)
		req = w->fsize - cur;
	if (lseek(w->fd, req, SEEK_CUR) < 0)
		return 0;
	return req;
}

static la_int64_t cb_seek(struct archive *a, void *data, la_int64_t off,
			  int whence)
{
	struct fx_walk *w = data;
	off_t r = lseek(w->fd, off, whence);

	if (r < 0) {
		archive_set_error(a, errno, "cannot seek: %s", strerror(errno));
		return ARCHIVE_FATAL;
	}
	return r;
}

/*
 * libarchive converts some names (pax headers, zip names marked UTF-8)
 * from UTF-8 to the charset of the calling thread's locale. A tar is read
 * in the C locale, where every such conversion fails and libarchive keeps
 * the raw bytes. A zip needs a UTF-8 locale, or its UTF-8 names are lost;
 * they come out normalized to NFC. The locale is set for this thread
 * only, around each call that may convert.
 */
static locale_t walk_locale(int utf8)
{
	static const char *const names[] = { "C.UTF-8", "C.utf8",
					     "en_US.UTF-8" };
	locale_t l;
	size_t i;

	for (i = 0; utf8 && i < sizeof(names) / sizeof(names[0]); i++)
		if ((l = newlocale(LC_ALL_MASK, names[i], (locale_t)0)))
			return l;
	return newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/*
 * True when the file starts like a zip: a local file header, or the
 * marker of a split zip before one. A zip is only taken from its first
 * byte: libarchive would also find one at the end of anything (a disk
 * image whose last file is a zip), and so walk that zip, not the image.
 */
static int zip_magic(struct fx_walk *w)
{
	unsigned char m[4];

	if (pread(w->fd, m, sizeof(m), 0) != (ssize_t)sizeof(m))
		return 0;
	return m[0] == 'P' && m[1] == 'K' &&
	       ((m[2] == 3 && m[3] == 4) || (m[2] == 7 && m[3] == 8));
}

/* True when libarchive unwrapped uuencoded text to find the archive. */
static int uudecoded(struct archive *a)
{
	int i;

	for (i = 0; i < archive_filter_count(a); i++)
		if (archive_filter_code(a, i) == ARCHIVE_FILTER_UU)
			return 1;
	return 0;
}

/*
 * Opens the source as a tar (any filter) or as a zip, and reads the
 * first header. Returns 1 when it is one, 0 when it is not, -1 after
 * reporting a read error. *why gets libarchive's complaint when it was
 * not a plain "unrecognized format".
 *
 * An archive without a single member is not taken for one: libarchive
 * takes anything that starts with a zero block for an empty tar (a disk
 * image often does), and the walk would yield nothing of it. Nor is text
 * that holds a uuencoded archive: the text around it would be lost.
 */
static int arc_try(struct fx_walk *w, int zip, char *why, size_t size)
{
	struct archive *a;
	locale_t old;
	int r;

	if (zip && !zip_magic(w))
		return 0;
	if (lseek(w->fd, 0, SEEK_SET) < 0)
		return walk_error(w, "cannot seek in '%s': %s", w->src,
				  strerror(errno));
	if (w->loc)
		freelocale(w->loc);
	w->loc = walk_locale(zip);
	a = w->loc ? archive_read_new() : NULL;
	if (!a)
		return walk_error(w, "cannot read '%s': out of memory", w->src);
	if (zip) {
		archive_read_support_format_zip(a);
	} else {
		archive_read_support_format_tar(a);
		archive_read_support_filter_all(a);
	}
	archive_read_set_callback_data(a, w);
	archive_read_set_read_callback(a, cb_read);
	archive_read_set_skip_callback(a, cb_skip);
	archive_read_set_seek_callback(a, cb_seek);
	w->io_errno = 0;
	old = uselocale(w->loc);
	r = archive_read_open1(a);
	if ((r == ARCHIVE_OK || r == ARCHIVE_WARN) && !uudecoded(a)) {
		w->peek_r = archive_read_next_header(a, &w->peek_ae);
		uselocale(old);
		if (w->peek_r != ARCHIVE_EOF) {
			w->peek = 1;
			w->a = a;
			return 1;
		}
		archive_read_free(a);
		return 0;
	}
	uselocale(old);
	if (r == ARCHIVE_OK || r == ARCHIVE_WARN) {
		archive_read_free(a);
		return 0;
	}
	if (w->io_errno) {
		walk_error(w, "cannot read '%s': %s", w->src,
			   strerror(w->io_errno));
		archive_read_free(a);
		return -1;
	}
	/* libarchive's ARCHIVE_ERRNO_FILE_FORMAT: EFTYPE where it exists. */
#ifdef EFTYPE
	if (archive_errno(a) != EFTYPE && why && size &&
#else
	if (archive_errno(a) != EILSEQ && why && size &&
#endif
	    archive_error_string(a))
		snprintf(why, size, "%s", archive_error_string(a));
	archive_read_free(a);
	return 0;
}

/*
 * A zip whose member data failed fatally may leave libarchive unable to
 * go on; the zip reader seeks by the central directory, so reopen and
 * skip the members already seen.
 */
static int zip_resume(struct fx_walk *w)
{
	struct archive_entry *ae;
	locale_t old;
	uint64_t i;
	int r = ARCHIVE_OK;

	archive_read_free(w->a);
	w->a = NULL;
	if (arc_try(w, 1, NULL, 0) != 1)
		return -1;
	/* arc_try() read the first header. */
	w->peek = 0;
	r = w->peek_r;
	old = uselocale(w->loc);
	for (i = 1; i < w->index && (r == ARCHIVE_OK || r == ARCHIVE_WARN); i++)
		r = archive_read_next_header(w->a, &ae);
	uselocale(old);
	return r == ARCHIVE_OK || r == ARCHIVE_WARN ? 0 : -1;
}

static void arc_fill(struct fx_walk *w, struct archive_entry *ae)
{
	const char *name = archive_entry_pathname(ae);
	const char *target;
	int64_t pos;
	unsigned f;
	char alt[64];

	w->index++;
	if (name) {
		set_name(w, name, strlen(name));
	} else {
		/*
		 * libarchive could not decode the name (a zip name marked
		 * UTF-8 that is not). "%00" cannot come from a real name.
		 */
		snprintf(alt, sizeof(alt), "%%00unnamed-%llu",
			 (unsigned long long)w->index);
		fx_buf_truncate(&w->path, 0);
		fx_buf_add(&w->path, alt, strlen(alt));
		fx_buf_truncate(&w->hex, 0);
		w->ent.path = w->path.data;
		w->ent.raw_hex = w->hex.data;
		w->ent.flags = FX_WALK_NAME_UTF8;
		fx_warn("'%s': member %llu: name cannot be decoded; naming it '%s'",
			w->src, (unsigned long long)w->index, alt);
	}
	w->ent.mode = archive_entry_mode(ae);
	if ((target = archive_entry_hardlink(ae))) {
		w->ent.kind = FX_WALK_HARDLINK;
		f = sanitize(&w->link, target, strlen(target));
		w->ent.link = w->link.data;
		if (f & (FX_WALK_NAME_ABSOLUTE | FX_WALK_NAME_DOTDOT))
			w->ent.flags |= FX_WALK_LINK_OUTSIDE;
	} else {
		switch (archive_entry_filetype(ae)) {
		case AE_IFREG:
			w->ent.kind = FX_WALK_FILE;
			break;
		case AE_IFDIR:
			w->ent.kind = FX_WALK_DIR;
			break;
		case AE_IFLNK:
			w->ent.kind = FX_WALK_SYMLINK;
			target = archive_entry_symlink(ae);
			if (!target)
				target = "";
			set_symlink(w, target, strlen(target));
			break;
		default:
			w->ent.kind = FX_WALK_OTHER;
			break;
		}
	}
	if (archive_entry_mtime_is_set(ae))
		w->ent.mtime_ms = ms_of(archive_entry_mtime(ae),
				       archive_entry_mtime_nsec(ae));
	w->m_size_known = archive_entry_size_is_set(ae) != 0;
	if (w->m_size_known && archive_entry_size(ae) > 0)
		w->ent.size = (uint64_t)archive_entry_size(ae);
	w->ent.sparse = archive_entry_sparse_count(ae) > 0;
	pos = archive_read_header_position(w->a);
	w->ent.offset = pos > 0 ? (uint64_t)pos : 0;
}

static int arc_next(struct fx_walk *w)
{
	struct archive_entry *ae;
	locale_t old;
	int64_t pos;
	int r;
	char in[64];

	for (;;) {
		if (w->done)
			return 0;
		if (w->peek) {
			w->peek = 0;
			r = w->peek_r;
			ae = w->peek_ae;
		} else {
			old = uselocale(w->loc);
			r = archive_read_next_header(w->a, &ae);
			uselocale(old);
		}
		if (r == ARCHIVE_OK || r == ARCHIVE_WARN)
			break;
		if (r == ARCHIVE_EOF) {
			w->done = 1;
			return 0;
		}
		if (r == ARCHIVE_FATAL && w->data_fatal) {
			w->data_fatal = 0;
			if (zip_resume(w) == 0)
				continue;
			w->done = 1;
			return walk_error(w, "cannot read '%s': cannot go on after "
					  "member %llu", w->src,
					  (unsigned long long)w->index);
		}
		if (r == ARCHIVE_RETRY && w->resync)
			continue;
		pos = archive_read_header_position(w->a);
		if (pos < 0)
			pos = archive_filter_bytes(w->a, 0);
		/* No progress since the last failure: give up. */
		if (r == ARCHIVE_FATAL || pos == w->fail_pos)
			w->done = 1;
		else
			w->resync = 1;
		w->fail_pos = pos;
		/* w->path still names the member before, if any. */
		return walk_error(w, "cannot read '%s': header at offset %lld%s%s%s%s: "
				  "%s%s", w->src, (long long)pos,
				  input_offset(w, in, sizeof(in)),
				  w->index ? " after member '" : "",
				  w->index ? w->path.data : "", w->index ? "'" : "",
				  archive_error_string(w->a) ?
				  archive_error_string(w->a) : "unknown error",
				  w->done ? "" : "; skipping to the next header");
	}
	w->resync = 0;
	w->data_fatal = 0;
	arc_fill(w, ae);
	w->m_live = 1;
	return 1;
}

/* Yields up to n zero bytes of a hole. */
static ssize_t yield_zeros(struct fx_walk *w, const void **buf, uint64_t n)
{
	if (!w->zeros)
		w->zeros = fx_xcalloc(1, BLOCK);
	if (n > BLOCK)
		n = BLOCK;
	w->ent.sparse = 1;
	w->m_pos += n;
	*buf = w->zeros;
	return (ssize_t)n;
}

static ssize_t arc_read(struct fx_walk *w, const void **buf)
{
	const void *b;
	size_t n;
	la_int64_t off;
	uint64_t room, skip;
	int r;
	char why[128];

	while (w->m_live) {
		if (w->have_pend) {
			/* Drop what overlaps bytes already yielded. */
			if (w->pend_off <= w->m_pos &&
			    w->m_pos - w->pend_off >= w->pend_len) {
				w->have_pend = 0;
				continue;
			}
			room = w->m_size_known ? w->ent.size - w->m_pos : UINT64_MAX;
			if (room == 0) {
				snprintf(why, sizeof(why), "more data than the "
					 "recorded size of %llu bytes",
					 (unsigned long long)w->ent.size);
				return member_error(w, why);
			}
			/* A hole before the block reads as zeros. */
			if (w->pend_off > w->m_pos)
				return yield_zeros(w, buf, w->pend_off - w->m_pos < room ?
						   w->pend_off - w->m_pos : room);
			skip = w->m_pos - w->pend_off;
			n = w->pend_len - skip;
			if (n > room)
				n = (size_t)room;
			w->m_pos += n;
			*buf = w->pend + skip;
			return (ssize_t)n;
		}
		r = archive_read_data_block(w->a, &b, &n, &off);
		if (r == ARCHIVE_EOF) {
			if (w->m_size_known && w->m_pos < w->ent.size) {
				if (w->ent.sparse)
					return yield_zeros(w, buf,
							   w->ent.size - w->m_pos);
				snprintf(why, sizeof(why), "member ends early, "
					 "%llu bytes short",
					 (unsigned long long)(w->ent.size - w->m_pos));
				return member_error(w, why);
			}
			w->m_live = 0;
			return 0;
		}
		if (r != ARCHIVE_OK) {
			if (r == ARCHIVE_FATAL) {
				if (w->format == FX_WALK_FORMAT_ZIP)
					w->data_fatal = 1;
				else
					w->done = 1;
			}
			snprintf(why, sizeof(why), "%s", archive_error_string(w->a) ?
				 archive_error_string(w->a) : "unknown error");
			return member_error(w, why);
		}
		w->have_pend = 1;
		w->pend = b;
		w->pend_len = n;
		w->pend_off = off < 0 ? w->m_pos : (uint64_t)off;
	}
	return 0;
}

/* Directories and plain files. */

/* open(2) read-only, without updating the access time where permitted. */
static int open_ro(int dirfd, const char *name, int flags)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOATIME | flags);

	if (fd < 0 && errno == EPERM && O_NOATIME)
		fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | flags);
	return fd;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the directory open on fd (taken) and pushes it. */
static int dir_push(struct fx_walk *w, int fd, size_t rawlen)
{
	struct frame *f;
	struct dirent *de;
	DIR *d;
	size_t i, n = 0, len;
	int dfd, err = 0;

	/* A duplicate for readdir; fd stays open for openat(). */
	dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d) {
		err = errno;
		if (dfd >= 0)
			close(dfd);
		close(fd);
		return walk_error(w, "cannot read directory '%s%s%s': %s", w->src,
				  rawlen ? src_sep(w) : "", rawlen ? w->path.data : "",
				  strerror(err));
	}
	fx_buf_truncate(&w->tmp, 0);
	for (;;) {
		errno = 0;
		if (!(de = readdir(d))) {
			err = errno;
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		fx_buf_add(&w->tmp, de->d_name, strlen(de->d_name) + 1);
		n++;
	}
	closedir(d);
	if (w->depth == w->stk_cap) {
		w->stk_cap = w->stk_cap ? 2 * w->stk_cap : 16;
		w->stk = fx_xrealloc(w->stk, w->stk_cap * sizeof(*w->stk));
	}
	f = &w->stk[w->depth++];
	f->fd = fd;
	f->n = n;
	f->next = 0;
	f->rawlen = rawlen;
	f->names = fx_xmalloc(w->tmp.len + 1);
	memcpy(f->names, w->tmp.data, w->tmp.len + 1);
	f->sorted = fx_xmalloc((n ? n : 1) * sizeof(*f->sorted));
	for (i = 0, len = 0; i < n; i++) {
		f->sorted[i] = f->names + len;
		len += strlen(f->names + len) + 1;
	}
	qsort(f->sorted, n, sizeof(*f->sorted), cmp_names);
	if (w->tmp.cap > 4 * BLOCK)
		fx_buf_release(&w->tmp); /* do not keep a huge directory's list */
	if (err)
		return walk_error(w, "cannot read directory '%s%s%s': %s", w->src,
				  rawlen ? src_sep(w) : "", rawlen ? w->path.data : "",
				  strerror(err));
	return 0;
}

static void dir_pop(struct fx_walk *w)
{
	struct frame *f = &w->stk[--w->depth];

	close(f->fd);
	free(f->names);
	free(f->sorted);
}

static void member_close(struct fx_walk *w)
{
	if (w->m_fd >= 0 && w->m_fd != w->fd)
		close(w->m_fd);
	w->m_fd = -1;
	w->m_live = 0;
	w->have_pend = 0;
}

static int dir_next(struct fx_walk *w)
{
	struct frame *f;
	struct stat st;
	const char *name;
	ssize_t n;
	int fd;

	if (w->descend) {
		w->descend = 0;
		f = &w->stk[w->depth - 1];
		fd = open_ro(f->fd, f->sorted[f->next - 1],
			     O_DIRECTORY | O_NOFOLLOW);
		if (fd < 0)
			return walk_error(w, "cannot open directory '%s%s%s': %s",
					  w->src, src_sep(w), w->path.data,
					  strerror(errno));
		if (fstat(fd, &st) < 0 || st.st_dev != w->m_dev ||
		    st.st_ino != w->m_ino) {
			close(fd);
			return walk_error(w, "cannot open directory '%s%s%s': "
					  "it changed during the walk", w->src,
					  src_sep(w), w->path.data);
		}
		fx_buf_add(&w->raw, "/", 1);
		if (dir_push(w, fd, w->raw.len) < 0)
			return -1;
	}
	while (w->depth) {
		f = &w->stk[w->depth - 1];
		if (f->next == f->n) {
			dir_pop(w);
			continue;
		}
		name = f->sorted[f->next++];
		fx_buf_truncate(&w->raw, f->rawlen);
		fx_buf_add(&w->raw, name, strlen(name));
		set_name(w, w->raw.data, w->raw.len);
		if (fstatat(f->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return walk_error(w, "cannot stat '%s%s%s': %s", w->src,
					  src_sep(w), w->ent.path, strerror(errno));
		w->ent.mode = st.st_mode;
		w->ent.mtime_ms = ms_of(st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		w->m_dev = st.st_dev;
		w->m_ino = st.st_ino;
		if (S_ISREG(st.st_mode)) {
			w->ent.kind = FX_WALK_FILE;
			w->ent.size = (uint64_t)st.st_size;
			w->m_live = 1;
		} else if (S_ISDIR(st.st_mode)) {
			w->ent.kind = FX_WALK_DIR;
			w->descend = 1;
		} else if (S_ISLNK(st.st_mode)) {
			w->ent.kind = FX_WALK_SYMLINK;
			fx_buf_grow(&w->tmp, st.st_size > 0 ? (size_t)st.st_size + 1 : 256);
			for (;;) {
				n = readlinkat(f->fd, name, w->tmp.data, w->tmp.cap);
				if (n < 0)
					return walk_error(w, "cannot read link '%s%s%s': %s",
							  w->src, src_sep(w), w->ent.path,
							  strerror(errno));
				if ((size_t)n < w->tmp.cap)
					break;
				w->tmp.len = 0;
				fx_buf_grow(&w->tmp, 2 * w->tmp.cap);
			}
			set_symlink(w, w->tmp.data, (size_t)n);
		} else {
			w->ent.kind = FX_WALK_OTHER;
		}
		return 1;
	}
	w->done = 1;
	return 0;
}

static int file_next(struct fx_walk *w)
{
	struct stat st;
	size_t end = strlen(w->src), start;

	if (w->done)
		return 0;
	w->done = 1;
	while (end > 1 && w->src[end - 1] == '/')
		end--;
	for (start = end; start > 0 && w->src[start - 1] != '/'; start--)
		;
	set_name(w, w->src + start, end - start);
	if (fstat(w->fd, &st) < 0 || lseek(w->fd, 0, SEEK_SET) < 0)
		return walk_error(w, "cannot read '%s': %s", w->src,
				  strerror(errno));
	w->ent.kind = FX_WALK_FILE;
	w->ent.mode = st.st_mode;
	w->ent.mtime_ms = ms_of(st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	w->ent.size = (uint64_t)st.st_size;
	w->m_fd = w->fd;
	w->m_live = 1;
	return 1;
}

/* Reads a directory member or the plain file into the walker's buffer. */
static ssize_t fd_read(struct fx_walk *w, const void **buf)
{
	struct frame *f;
	struct stat st;
	size_t want;
	ssize_t n;
	char why[160];

	if (!w->m_live)
		return 0;
	if (w->m_fd < 0) {
		f = &w->stk[w->depth - 1];
		w->m_fd = open_ro(f->fd, f->sorted[f->next - 1],
				  O_NOFOLLOW | O_NONBLOCK);
		if (w->m_fd < 0) {
			w->m_live = 0;
			return walk_error(w, "cannot open '%s%s%s': %s", w->src,
					  src_sep(w), w->ent.path, strerror(errno));
		}
		if (fstat(w->m_fd, &st) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_dev != w->m_dev || st.st_ino != w->m_ino)
			return member_error(w, "it changed during the walk");
		posix_fadvise(w->m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	if (w->m_pos >= w->ent.size) {
		member_close(w);
		return 0;
	}
	want = w->ent.size - w->m_pos < BLOCK ? (size_t)(w->ent.size - w->m_pos) :
						 BLOCK;
	do
		n = read(w->m_fd, w->buf, want);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return member_error(w, strerror(errno));
	if (n == 0) {
		snprintf(why, sizeof(why), "file ends early, %llu bytes short "
			 "of the %llu seen when listed",
			 (unsigned long long)(w->ent.size - w->m_pos),
			 (unsigned long long)w->ent.size);
		return member_error(w, why);
	}
	w->m_pos += (uint64_t)n;
	*buf = w->buf;
	return n;
}

/* The interface. */

struct fx_walk *fx_walk_open(const char *src)
{
	struct fx_walk *w = fx_xcalloc(1, sizeof(*w));
	struct stat st;
	char why[256] = "";
	int r;

	w->src = fx_xstrdup(src);
	w->m_fd = -1;
	w->fail_pos = -1;
	w->fd = open_ro(AT_FDCWD, src, O_NONBLOCK);
	if (w->fd < 0) {
		fx_error_errno("cannot open '%s'", src);
		goto fail;
	}
	if (fstat(w->fd, &st) < 0) {
		fx_error_errno("cannot stat '%s'", src);
		goto fail;
	}
	w->buf = fx_xmalloc(BLOCK);
	if (S_ISDIR(st.st_mode)) {
		w->format = FX_WALK_FORMAT_DIR;
		r = w->fd;
		w->fd = -1;
		if (dir_push(w, r, 0) < 0)
			goto fail;
		return w;
	}
	if (!S_ISREG(st.st_mode)) {
		fx_error("cannot walk '%s': not a directory or a regular file", src);
		goto fail;
	}
	w->fsize = st.st_size;
	/*
	 * A tar first: a tar whose last member is a zip would otherwise be
	 * taken for that zip.
	 */
	if ((r = arc_try(w, 0, why, sizeof(why))) < 0)
		goto fail;
	if (r) {
		w->format = FX_WALK_FORMAT_TAR;
		return w;
	}
	if ((r = arc_try(w, 1, NULL, 0)) < 0)
		goto fail;
	if (r) {
		w->format = FX_WALK_FORMAT_ZIP;
		return w;
	}
	if (why[0])
		fx_warn("'%s': read as a plain file: %s", src, why);
	w->format = FX_WALK_FORMAT_FILE;
	return w;
fail:
	fx_walk_free(w);
	return NULL;
}

enum fx_walk_format fx_walk_format(const struct fx_walk *w)
{
	return w->format;
}

unsigned fx_walk_errors(const struct fx_walk *w)
{
	return w->errors;
}

int fx_walk_next(struct fx_walk *w, struct fx_walk_entry **e)
{
	int r;

	member_close(w);
	memset(&w->ent, 0, sizeof(w->ent));
	w->m_pos = 0;
	switch (w->format) {
	case FX_WALK_FORMAT_DIR:
		r = dir_next(w);
		break;
	case FX_WALK_FORMAT_FILE:
		r = file_next(w);
		break;
	default:
		r = arc_next(w);
		break;
	}
	if (r == 1)
		*e = &w->ent;
	else
		member_close(w);
	return r;
}

ssize_t fx_walk_read(struct fx_walk *w, const void **buf)
{
	if (!w->m_live)
		return 0;
	if (w->format == FX_WALK_FORMAT_TAR || w->format == FX_WALK_FORMAT_ZIP)
		return arc_read(w, buf);
	return fd_read(w, buf);
}

void fx_walk_free(struct fx_walk *w)
{
	if (!w)
		return;
	member_close(w);
	while (w->depth)
		dir_pop(w);
	free(w->stk);
	if (w->a)
		archive_read_free(w->a);
	if (w->loc)
		freelocale(w->loc);
	if (w->fd >= 0)
		close(w->fd);
	fx_buf_release(&w->path);
	fx_buf_release(&w->hex);
	fx_buf_release(&w->link);
	fx_buf_release(&w->raw);
	fx_buf_release(&w->tmp);
	free(w->buf);
	free(w->zeros);
	free(w->src);
	free(w);
}
