/*
 * fx_time.h - timestamps of evidence converted to RFC 3339 UTC with
 * milliseconds ("2021-04-08T09:14:07.692Z"). Every converter takes the
 * raw value in its own unit and epoch; the caller keeps the raw value in
 * the record when a conversion happened.
 */
#ifndef FX_TIME_H
#define FX_TIME_H

#include <stdint.h>

#define FX_TIME_LEN 64 /* room for any formatted time and its NUL */

enum fx_time_unit {
	FX_TIME_UNIX_MS,    /* Android, Java: ms since 1970 */
	FX_TIME_UNIX_S,     /* Unix, MMS: seconds since 1970 */
	FX_TIME_UNIX_US,    /* µs since 1970 */
	FX_TIME_WEBKIT_US,  /* Chrome/WebKit: µs since 1601-01-01 */
	FX_TIME_APPLE_S,    /* Cocoa/Core Data: seconds since 2001-01-01 */
	FX_TIME_APPLE_NS,   /* newer Apple: ns since 2001-01-01 */
	FX_TIME_FILETIME,   /* Windows FILETIME: 100 ns since 1601-01-01 */
};

/* The unit's name as written in records ("unix_ms", "webkit_us", …). */
const char *fx_time_unit_name(enum fx_time_unit unit);

/* Converts raw in unit to ms since 1970. Returns 0, or -1 on overflow. */
int fx_time_to_ms(int64_t raw, enum fx_time_unit unit, int64_t *ms);

/*
 * Formats ms since 1970 as RFC 3339 UTC with ms into out. Returns 0, or -1
 * for a time outside years 0001–9999 (out is then "").
 */
int fx_time_format(int64_t ms, char out[FX_TIME_LEN]);

/* fx_time_to_ms() then fx_time_format(). */
int fx_time_convert(int64_t raw, enum fx_time_unit unit, char out[FX_TIME_LEN]);

/*
 * Parses RFC 3339 ("2021-04-08T09:14:07Z", fraction and offset optional,
 * or a bare date "2021-04-08") into ms since 1970. Returns 0 or -1.
 */
int fx_time_parse(const char *s, int64_t *ms);

/*
 * Now, in ms since 1970. $FX_NOW (RFC 3339) overrides the clock so that
 * a replayed pipeline produces the same bytes.
 */
int64_t fx_time_now_ms(void);
void fx_time_now(char out[FX_TIME_LEN]);

#endif
