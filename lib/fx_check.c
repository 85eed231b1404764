/*
 * Check digits. Luhn: ISO/IEC 7812-1 annex B, as 3GPP TS 23.003 uses it for
 * the IMEI. MOD 11-2: ISO 7064, as GB 11643-1999 uses it for identity
 * numbers.
 */
#include <string.h>

#include "fx_check.h"
#include "fx_hash.h"
#include "fx_banned.h"

/* The Luhn sum of n digits, the rightmost counted as position 1 (not doubled) when odd. */
static int luhn_sum(const char *s, size_t n, int double_last)
{
	int sum = 0, d;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[n - 1 - i] < '0' || s[n - 1 - i] > '9')
			return -1;
		d = s[n - 1 - i] - '0';
		if ((i % 2 == 0) == double_last) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum;
}

int fx_luhn_valid(const char *s, size_t n)
{
	int sum;

	if (n < 2)
		return 0;
	sum = luhn_sum(s, n, 0);
	return sum >= 0 && sum % 10 == 0;
}

char fx_luhn_digit(const char *s, size_t n)
{
	/* The digits without their check: the rightmost of them is doubled. */
	int sum = luhn_sum(s, n, 1);

	return sum < 0 ? 0 : (char)('0' + (10 - sum % 10) % 10);
}

int fx_imei_valid(const char *s)
{
	return s && strlen(s) == 15 && fx_luhn_valid(s, 15);
}

char fx_meid_check(const char *s)
{
	int sum = 0, i, d;

	for (i = 0; i < 14; i++)
		if (fx_hexval(s[i]) < 0)
			return 0;
	if (s[14])
		return 0;
	/* From the right: the last digit doubled, then every second; digits summed. */
	for (i = 13; i >= 0; i--) {
		d = fx_hexval(s[i]);
		if ((13 - i) % 2 == 0) {
			d *= 2;
			d = d / 16 + d % 16;
		}
		sum += d;
	}
	return "0123456789ABCDEF"[(16 - sum % 16) % 16];
}

char fx_mod11_2_char(const char *s)
{
	/* 2^(17-i) mod 11 for i = 0..16, the weights of GB 11643. */
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0, i;

	for (i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		sum += (s[i] - '0') * w[i];
	}
	return "10X98765432"[sum % 11];
}

int fx_prc_id_valid(const char *s)
{
	char c;

	if (!s || strlen(s) != 18)
		return 0;
	c = fx_mod11_2_char(s);
	return c && (s[17] == c || (c == 'X' && s[17] == 'x'));
}
