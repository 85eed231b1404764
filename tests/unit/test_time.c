#include "harness.h"

FX_TEST(test_time_android_ms)
{
	char t[FX_TIME_LEN];

	/* plaso's mmssms.db row 1: 1383065788038 = 2013-10-29T16:56:28.038Z */
	CHECK(fx_time_convert(1383065788038LL, FX_TIME_UNIX_MS, t) == 0);
	CHECK_STR(t, "2013-10-29T16:56:28.038Z");
	CHECK(fx_time_convert(0, FX_TIME_UNIX_MS, t) == 0);
	CHECK_STR(t, "1970-01-01T00:00:00.000Z");
	CHECK(fx_time_convert(-1, FX_TIME_UNIX_MS, t) == 0);
	CHECK_STR(t, "1969-12-31T23:59:59.999Z");
}

FX_TEST(test_time_unix_seconds_and_us)
{
	char t[FX_TIME_LEN];

	CHECK(fx_time_convert(1617873247, FX_TIME_UNIX_S, t) == 0);
	CHECK_STR(t, "2021-04-08T09:14:07.000Z");
	CHECK(fx_time_convert(1617873247692123LL, FX_TIME_UNIX_US, t) == 0);
	CHECK_STR(t, "2021-04-08T09:14:07.692Z");
	/* leap day */
	CHECK(fx_time_convert(951782400, FX_TIME_UNIX_S, t) == 0);
	CHECK_STR(t, "2000-02-29T00:00:00.000Z");
}

FX_TEST(test_time_webkit)
{
	char t[FX_TIME_LEN];

	/* plaso's Chrome 59 History: last_visit_time 13161017332037692 */
	CHECK(fx_time_convert(13161017332037692LL, FX_TIME_WEBKIT_US, t) == 0);
	CHECK_STR(t, "2018-01-21T14:08:52.037Z");
	CHECK(fx_time_convert(0, FX_TIME_WEBKIT_US, t) == 0);
	CHECK_STR(t, "1601-01-01T00:00:00.000Z");
}

FX_TEST(test_time_apple_and_filetime)
{
	char t[FX_TIME_LEN];

	CHECK(fx_time_convert(0, FX_TIME_APPLE_S, t) == 0);
	CHECK_STR(t, "2001-01-01T00:00:00.000Z");
	CHECK(fx_time_convert(639565200, FX_TIME_APPLE_S, t) == 0);
	CHECK_STR(t, "2021-04-08T09:00:00.000Z");
	CHECK(fx_time_convert(639565200123456789LL, FX_TIME_APPLE_NS, t) == 0);
	CHECK_STR(t, "2021-04-08T09:00:00.123Z");
	/* FILETIME of the Unix epoch */
	CHECK(fx_time_convert(116444736000000000LL, FX_TIME_FILETIME, t) == 0);
	CHECK_STR(t, "1970-01-01T00:00:00.000Z");
	CHECK(fx_time_convert(132624000000000000LL, FX_TIME_FILETIME, t) == 0);
	CHECK_STR(t, "2021-04-09T00:00:00.000Z");
}

FX_TEST(test_time_out_of_range)
{
	char t[FX_TIME_LEN];

	CHECK(fx_time_convert(INT64_MAX, FX_TIME_UNIX_MS, t) < 0);
	CHECK_STR(t, "");
	CHECK(fx_time_convert(INT64_MAX, FX_TIME_UNIX_S, t) < 0);
	CHECK(fx_time_convert(INT64_MIN, FX_TIME_UNIX_S, t) < 0);
	CHECK(fx_time_convert(253402300800LL, FX_TIME_UNIX_S, t) < 0);
	CHECK(fx_time_convert(253402300799LL, FX_TIME_UNIX_S, t) == 0);
	CHECK_STR(t, "9999-12-31T23:59:59.000Z");
}

FX_TEST(test_time_parse)
{
	int64_t ms;

	CHECK(fx_time_parse("2021-04-08T09:14:07.692Z", &ms) == 0);
	CHECK_INT(ms, 1617873247692LL);
	CHECK(fx_time_parse("2021-04-08T11:14:07.692+02:00", &ms) == 0);
	CHECK_INT(ms, 1617873247692LL);
	CHECK(fx_time_parse("2021-04-08T09:14:07Z", &ms) == 0);
	CHECK_INT(ms, 1617873247000LL);
	CHECK(fx_time_parse("2021-04-08T09:14:07.6923456Z", &ms) == 0);
	CHECK_INT(ms, 1617873247692LL);
	CHECK(fx_time_parse("2021-04-08", &ms) == 0);
	CHECK_INT(ms, 1617840000000LL);
	CHECK(fx_time_parse("2021-02-29", &ms) < 0);
	CHECK(fx_time_parse("2021-04-08T25:00:00Z", &ms) < 0);
	CHECK(fx_time_parse("2021-04-08T09:14:07", &ms) < 0);
	CHECK(fx_time_parse("yesterday", &ms) < 0);
	CHECK(fx_time_parse("2021-04-08T09:14:07Zjunk", &ms) < 0);
}

FX_TEST(test_time_roundtrip)
{
	char t[FX_TIME_LEN];
	int64_t ms, back;

	for (ms = -62135596800000LL; ms < 253402300799999LL; ms += 7777777777777LL) {
		CHECK(fx_time_format(ms, t) == 0);
		CHECK(fx_time_parse(t, &back) == 0);
		CHECK_INT(back, ms);
	}
}

FX_TEST(test_time_now_fixed)
{
	char t[FX_TIME_LEN];

	setenv("FX_NOW", "2026-11-23T08:00:00.000Z", 1);
	fx_time_now(t);
	unsetenv("FX_NOW");
	CHECK_STR(t, "2026-11-23T08:00:00.000Z");
}
