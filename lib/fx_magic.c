#include <string.h>

#include "fx_magic.h"
#include "fx_banned.h"

struct magic {
	size_t off, len;
	const char *bytes;
	const char *type;
};

/* Signatures from the formats' own specifications; the first match wins. */
static const struct magic magics[] = {
	{ 0, 16, "SQLite format 3\0", "application/vnd.sqlite3" },
	{ 0, 3, "\xff\xd8\xff", "image/jpeg" },
	{ 0, 8, "\x89PNG\r\n\x1a\n", "image/png" },
	{ 0, 6, "GIF87a", "image/gif" },
	{ 0, 6, "GIF89a", "image/gif" },
	{ 8, 4, "WEBP", "image/webp" },
	{ 4, 8, "ftypheic", "image/heic" },
	{ 4, 8, "ftypheix", "image/heic" },
	{ 4, 8, "ftypmif1", "image/heif" },
	{ 4, 8, "ftypavif", "image/avif" },
	{ 4, 8, "ftyp3gp", "video/3gpp" },
	{ 4, 8, "ftypqt  ", "video/quicktime" },
	{ 4, 4, "ftyp", "video/mp4" },
	{ 0, 4, "ABX\0", "application/vnd.android.abx" },
	{ 0, 5, "<?xml", "text/xml" },
	{ 0, 4, "PK\x03\x04", "application/zip" },
	{ 0, 5, "%PDF-", "application/pdf" },
	{ 0, 2, "\x1f\x8b", "application/gzip" },
	{ 0, 4, "\x7f" "ELF", "application/x-elf" },
	{ 0, 4, "dex\n", "application/vnd.android.dex" },
	{ 0, 4, "OggS", "audio/ogg" },
	{ 0, 3, "ID3", "audio/mpeg" },
	{ 0, 9, "#!AMR-WB\n", "audio/amr-wb" },
	{ 0, 6, "#!AMR\n", "audio/amr" },
	{ 0, 4, "RIFF", "application/x-riff" },
	{ 0, 8, "\xd9\xd5\x05\xf9\x20\xa1\x63\xd7", "application/vnd.sqlite3-journal" },
	{ 0, 4, "\x37\x7f\x06\x82", "application/vnd.sqlite3-wal" },
	{ 0, 4, "\x37\x7f\x06\x83", "application/vnd.sqlite3-wal" },
	{ 0, 6, "7z\xbc\xaf\x27\x1c", "application/x-7z-compressed" },
	{ 0, 4, "\x28\xb5\x2f\xfd", "application/zstd" },
	{ 0, 6, "\xfd" "7zXZ\0", "application/x-xz" },
	{ 257, 5, "ustar", "application/x-tar" },
};

const char *fx_magic_type(const void *head, size_t len)
{
	const unsigned char *p = head;
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		const struct magic *m = &magics[i];

		if (m->off + m->len <= len && memcmp(p + m->off, m->bytes, m->len) == 0)
			return m->type;
	}
	/* No signature: text when the start has no control bytes but white space. */
	if (len > FX_MAGIC_LEN)
		len = FX_MAGIC_LEN;
	for (i = 0; i < len; i++)
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return NULL;
	return len ? "text/plain" : NULL;
}
