#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fx_time.h"
#include "fx_banned.h"

/* Offsets of the other epochs from 1970-01-01, in ms. */
#define MS_1601_TO_1970 11644473600000LL
#define MS_1970_TO_2001 978307200000LL

/* Years 0001-01-01 .. 9999-12-31 in ms since 1970. */
#define MS_MIN -62135596800000LL
#define MS_MAX 253402300799999LL

const char *fx_time_unit_name(enum fx_time_unit unit)
{
	switch (unit) {
	case FX_TIME_UNIX_MS: return "unix_ms";
	case FX_TIME_UNIX_S: return "unix_s";
	case FX_TIME_UNIX_US: return "unix_us";
	case FX_TIME_WEBKIT_US: return "webkit_us";
	case FX_TIME_APPLE_S: return "apple_s";
	case FX_TIME_APPLE_NS: return "apple_ns";
	case FX_TIME_FILETIME: return "filetime";
	}
	return "unknown";
}

/* Floor division, so that times before an epoch round towards the past. */
static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int fx_time_to_ms(int64_t raw, enum fx_time_unit unit, int64_t *ms)
{
	int64_t v;

	switch (unit) {
	case FX_TIME_UNIX_MS:
		v = raw;
		break;
	case FX_TIME_UNIX_S:
		if (raw > MS_MAX / 1000 || raw < MS_MIN / 1000)
			return -1;
		v = raw * 1000;
		break;
	case FX_TIME_UNIX_US:
		v = floordiv(raw, 1000);
		break;
	case FX_TIME_WEBKIT_US:
		v = floordiv(raw, 1000) - MS_1601_TO_1970;
		break;
	case FX_TIME_APPLE_S:
		if (raw > MS_MAX / 1000 || raw < MS_MIN / 1000)
			return -1;
		v = raw * 1000 + MS_1970_TO_2001;
		break;
	case FX_TIME_APPLE_NS:
		v = floordiv(raw, 1000000) + MS_1970_TO_2001;
		break;
	case FX_TIME_FILETIME:
		v = floordiv(raw, 10000) - MS_1601_TO_1970;
		break;
	default:
		return -1;
	}
	if (v < MS_MIN || v > MS_MAX)
		return -1;
	*ms = v;
	return 0;
}

/*
 * Days since 1970-01-01 to a civil date, and back (the proleptic Gregorian
 * calendar; H. Hinnant's published algorithms), so that no libc time zone
 * state is involved.
 */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floordiv(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floordiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int fx_time_format(int64_t ms, char out[FX_TIME_LEN])
{
	int64_t days, rem;
	int y, mo, d;

	out[0] = '\0';
	if (ms < MS_MIN || ms > MS_MAX)
		return -1;
	days = floordiv(ms, 86400000);
	rem = ms - days * 86400000;
	civil_from_days(days, &y, &mo, &d);
	snprintf(out, FX_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d,
		 (int)(rem / 3600000), (int)(rem / 60000 % 60),
		 (int)(rem / 1000 % 60), (int)(rem % 1000));
	return 0;
}

int fx_time_convert(int64_t raw, enum fx_time_unit unit, char out[FX_TIME_LEN])
{
	int64_t ms;

	out[0] = '\0';
	if (fx_time_to_ms(raw, unit, &ms) < 0)
		return -1;
	return fx_time_format(ms, out);
}

static int digits(const char **s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		*v = *v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

int fx_time_parse(const char *s, int64_t *ms)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, oh, om, sign, n;
	int64_t v;

	if (digits(&s, 4, &y) < 0 || *s++ != '-' || digits(&s, 2, &mo) < 0 ||
	    *s++ != '-' || digits(&s, 2, &d) < 0)
		return -1;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	v = days_from_civil(y, mo, d) * 86400000;
	if (*s == '\0') {
		*ms = v;
		return 0;
	}
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (digits(&s, 2, &h) < 0 || *s++ != ':' || digits(&s, 2, &mi) < 0 ||
	    *s++ != ':' || digits(&s, 2, &sec) < 0)
		return -1;
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	if (*s == '.') {
		s++;
		for (n = 0; *s >= '0' && *s <= '9'; s++, n++)
			if (n < 3)
				frac = frac * 10 + (*s - '0');
		if (n == 0)
			return -1;
		for (; n < 3; n++)
			frac *= 10;
	}
	v += (int64_t)h * 3600000 + mi * 60000 + sec * 1000 + frac;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (digits(&s, 2, &oh) < 0 || *s++ != ':' || digits(&s, 2, &om) < 0 ||
		    oh > 23 || om > 59)
			return -1;
		v -= sign * ((int64_t)oh * 3600000 + om * 60000);
	} else {
		return -1;
	}
	if (*s != '\0')
		return -1;
	*ms = v;
	return 0;
}

int64_t fx_time_now_ms(void)
{
	const char *fixed = getenv("FX_NOW");
	struct timespec ts;
	int64_t ms;

	if (fixed && *fixed && fx_time_parse(fixed, &ms) == 0)
		return ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void fx_time_now(char out[FX_TIME_LEN])
{
	fx_time_format(fx_time_now_ms(), out);
}
