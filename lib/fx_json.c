/*
 * The canonical JSON encoder behind record ids. It follows RFC 8785
 * (JSON Canonicalization Scheme) where records need it: no white space,
 * object keys sorted (by byte value; record keys are ASCII, where this
 * equals JCS's UTF-16 order), strings with only the escapes JSON
 * requires, integers as integers, and reals in the shortest form that
 * reads back to the same double. jansson's own dump writes reals with 17
 * digits ("0.10000000000000001"), which is why fx has its own encoder.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fx_err.h"
#include "fx_json.h"
#include "fx_banned.h"

static void addc(struct fx_buf *b, char c)
{
	fx_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

static void put_string(struct fx_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	unsigned char c;

	addc(b, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fx_buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': fx_buf_add(b, "\\\"", 2); break;
		case '\\': fx_buf_add(b, "\\\\", 2); break;
		case '\b': fx_buf_add(b, "\\b", 2); break;
		case '\f': fx_buf_add(b, "\\f", 2); break;
		case '\n': fx_buf_add(b, "\\n", 2); break;
		case '\r': fx_buf_add(b, "\\r", 2); break;
		case '\t': fx_buf_add(b, "\\t", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			fx_buf_add(b, u, 6);
		}
		}
	}
	fx_buf_add(b, s + run, n - run);
	addc(b, '"');
}

static int put_real(struct fx_buf *b, double d)
{
	char tmp[40];
	int prec;

	if (!isfinite(d))
		return -1;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	fx_buf_add(b, tmp, strlen(tmp));
	/* Keep it a real when read back: 1.0, not 1. */
	if (!strpbrk(tmp, ".eEn"))
		fx_buf_add(b, ".0", 2);
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts keys by byte value: insertion sort for the few keys most objects have. */
static void sort_keys(const char **keys, size_t n)
{
	const char *k;
	size_t i, j;

	if (n > 16) {
		qsort(keys, n, sizeof(*keys), cmp_keys);
		return;
	}
	for (i = 1; i < n; i++) {
		k = keys[i];
		for (j = i; j > 0 && strcmp(keys[j - 1], k) > 0; j--)
			keys[j] = keys[j - 1];
		keys[j] = k;
	}
}

/* Appends v in decimal. */
static void put_int(struct fx_buf *b, json_int_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	fx_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static int put_value(struct fx_buf *b, const json_t *v, const char *skip,
		     size_t *skip_at);

static int put_object(struct fx_buf *b, const json_t *v, const char *skip,
		      size_t *skip_at)
{
	const char *small[16], **keys = small;
	size_t n = json_object_size(v), i, k = 0;
	const char *key;
	json_t *val;
	int ret = 0, first = 1;

	if (n > 16)
		keys = fx_xmalloc(n * sizeof(*keys));
	json_object_foreach((json_t *)v, key, val)
		keys[k++] = key;
	sort_keys(keys, k);
	addc(b, '{');
	for (i = 0; i < k; i++) {
		if (skip && strcmp(keys[i], skip) == 0)
			continue;
		if (skip && skip_at && *skip_at == (size_t)-1 && strcmp(keys[i], skip) > 0)
			*skip_at = b->len;
		if (!first)
			addc(b, ',');
		first = 0;
		put_string(b, keys[i], strlen(keys[i]));
		addc(b, ':');
		if (put_value(b, json_object_get(v, keys[i]), NULL, NULL) < 0) {
			ret = -1;
			break;
		}
	}
	if (skip && skip_at && *skip_at == (size_t)-1)
		*skip_at = b->len;
	addc(b, '}');
	if (keys != small)
		free(keys);
	return ret;
}

static int put_value(struct fx_buf *b, const json_t *v, const char *skip,
		     size_t *skip_at)
{
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return put_object(b, v, skip, skip_at);
	case JSON_ARRAY:
		addc(b, '[');
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				addc(b, ',');
			if (put_value(b, json_array_get(v, i), NULL, NULL) < 0)
				return -1;
		}
		addc(b, ']');
		return 0;
	case JSON_STRING:
		put_string(b, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_INTEGER:
		put_int(b, json_integer_value(v));
		return 0;
	case JSON_REAL:
		return put_real(b, json_real_value(v));
	case JSON_TRUE:
		fx_buf_add(b, "true", 4);
		return 0;
	case JSON_FALSE:
		fx_buf_add(b, "false", 5);
		return 0;
	case JSON_NULL:
		fx_buf_add(b, "null", 4);
		return 0;
	}
	return -1;
}

int fx_json_canon(struct fx_buf *b, const json_t *v, const char *skip,
		  size_t *skip_at)
{
	if (skip_at)
		*skip_at = (size_t)-1;
	return put_value(b, v, skip, skip_at);
}
