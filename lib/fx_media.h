/*
 * fx_media.h - what a photo or a video says about itself: its format and
 * size, its EXIF (libexif: maker, model, software, when it was taken and
 * in which time zone, where, which way up), or a video's creation time,
 * length and place. The fields are those of the photo record
 * (fx-record(5)); fx-pull's Android parser writes them, fx-ocr can too.
 *
 * Formats: JPEG (APP1 EXIF), PNG (eXIf), WebP (EXIF chunk), GIF and BMP
 * (size only), HEIF/HEIC/AVIF (the Exif item of the meta box), and ISO base
 * media files: MP4, QuickTime, 3GP (mvhd, tkhd, udta/(c)xyz).
 *
 * Times: EXIF DateTimeOriginal is local wall-clock time. With its
 * OffsetTimeOriginal it becomes UTC; without, it stays local time of an
 * unknown zone (taken_local, taken_zone "unknown") and no UTC time is made
 * up. The raw strings are kept either way.
 */
#ifndef FX_MEDIA_H
#define FX_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "fx_time.h"

/* The EXIF block read at most (JPEG allows 64 KiB; HEIF and PNG more). */
#define FX_MEDIA_MAX_EXIF (4u << 20)

/*
 * The media format the first bytes of a file (head, len of them; 32 are
 * enough) announce: "jpeg", "png", "webp", "gif", "bmp", "heic", "heif",
 * "avif", "mp4", "mov", "3gp"; NULL for none of them. *video (when not
 * NULL) gets 1 for a video format, else 0. Static string.
 */
const char *fx_media_sniff(const void *head, size_t len, int *video);

/*
 * Reads the metadata of the media file open on fd, size bytes long, with
 * pread() only and a few kilobytes at a time whatever the size. data (an
 * object, borrowed) gets the photo record's fields: kind, format, width,
 * height, make, model, taken_raw, latitude, duration, …; time the UTC time
 * the photo or video was taken when that is known, else "".
 *
 * Returns 1 when all went well, 0 when the bytes are no format this knows
 * (data untouched), -1 when the file is such a format but damaged (a
 * broken EXIF block, a segment or box that runs past the end): data has
 * what could be read, with its "problem" field set, and problem (plen
 * bytes) says what is wrong and at which file offset. Reports nothing.
 */
int fx_media_read(int fd, uint64_t size, json_t *data, char time[FX_TIME_LEN], char *problem,
		  size_t plen);

/*
 * Reads an EXIF block: tiff (len bytes, borrowed) starts at its TIFF
 * header ("II*\0" or "MM\0*"); base is its offset in the file, for
 * messages. Sets the EXIF fields of data and time as fx_media_read()
 * does. Returns 0, or -1 when the block is damaged: what could be read is
 * set all the same, and problem says what is wrong.
 */
int fx_media_exif(const void *tiff, size_t len, uint64_t base, json_t *data,
		  char time[FX_TIME_LEN], char *problem, size_t plen);

/*
 * Parses an ISO 6709 point as videos carry it ("+39.9042+116.4074/",
 * altitude optional: "+39.9042+116.4074+044.500/"). Returns the number of
 * values read (2 or 3), or -1 when s is not in that form.
 */
int fx_media_iso6709(const char *s, double *lat, double *lon, double *alt);

#endif
