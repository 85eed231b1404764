/*
 * link_int.h - what the files of lib/link/ share and nothing else includes.
 */
#ifndef FX_LINK_INT_H
#define FX_LINK_INT_H

#include <stddef.h>

#include "fx_link.h"

/* Whether c is an ASCII letter or digit. */
static inline int link_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int link_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Whether host[0..n) is a domain name under a public suffix of the ICANN
 * list, with a registrable part (so "photo.jpg" and "com.cn" are not).
 */
int link_domain_ok(const char *host, size_t n);

/* Parses an IPv4 or IPv6 address in s[0..n) into its normal text form. */
int link_ip_norm(const char *s, size_t n, char out[64]);

#endif
