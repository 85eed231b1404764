/*
 * fx_check.h - check digits of the identifiers evidence carries: the Luhn
 * digit of IMEIs (and payment cards), the ISO 7064 MOD 11-2 character of
 * PRC resident identity numbers. A value whose check fails is a misread
 * or a forgery, never the identifier: callers do not report it as one.
 */
#ifndef FX_CHECK_H
#define FX_CHECK_H

#include <stddef.h>

/*
 * True when the n digits of s (ASCII '0'-'9' only, n >= 2) end in their
 * Luhn check digit: from the right, every second digit doubled, the digit
 * sums added, the total a multiple of 10.
 */
int fx_luhn_valid(const char *s, size_t n);

/* The Luhn check digit ('0'-'9') for the n digits of s, or 0 for a non-digit. */
char fx_luhn_digit(const char *s, size_t n);

/* True when s is exactly 15 digits whose last is their Luhn digit (an IMEI). */
int fx_imei_valid(const char *s);

/*
 * The check digit of a MEID of 14 hex digits (either case): Luhn in base
 * 16, as 3GPP2 S.R0048 gives it ('0'-'9', 'A'-'F'), or 0 when s is not
 * 14 hex digits. Pages show it after the MEID, or not at all.
 */
char fx_meid_check(const char *s);

/*
 * The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the 17 digits
 * of s, or 0 when they are not 17 digits: the sum of each digit times
 * 2^(17-i) mod 11, and the character that makes the total 1 mod 11.
 */
char fx_mod11_2_char(const char *s);

/*
 * True when s is an 18-character PRC resident identity number whose last
 * character (a digit, or 'X' / 'x') is the MOD 11-2 check of the 17
 * digits before it.
 */
int fx_prc_id_valid(const char *s);

#endif
