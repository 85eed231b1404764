#include <stdlib.h>
#include <string.h>

#include "case_int.h"
#include "fx_err.h"
#include "fx_banned.h"

/* Decodes one UTF-8 sequence at s; returns its length (1 for a stray byte). */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0 && (s[1] & 0xc0) == 0x80) {
		*cp = (s[0] & 0x1fu) << 6 | (s[1] & 0x3fu);
		return 2;
	}
	if ((s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		*cp = (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 | (s[2] & 0x3fu);
		return 3;
	}
	if ((s[0] & 0xf8) == 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	    (s[3] & 0xc0) == 0x80) {
		*cp = (s[0] & 0x07u) << 18 | (s[1] & 0x3fu) << 12 | (s[2] & 0x3fu) << 6 |
		      (s[3] & 0x3fu);
		return 4;
	}
	*cp = 0xfffd;
	return 1;
}

static int is_cjk(unsigned cp)
{
	return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
	       (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xffef) ||
	       (cp >= 0x20000 && cp <= 0x3ffff);
}

/*
 * Appends s[0..n) to b, putting a space before and after every CJK
 * character; with quote, each run of CJK characters is also wrapped in
 * double quotes.
 */
static void space_out(struct fx_buf *b, const char *s, size_t n, int quote)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run;
	int in_run = 0;
	unsigned cp;
	size_t k;

	while (p < end) {
		/* Most text is ASCII: copy a run of it at once. */
		for (run = p; p < end && *p < 0x80; p++)
			;
		if (p > run) {
			if (in_run)
				fx_buf_add(b, quote ? "\" " : " ", quote ? 2 : 1);
			in_run = 0;
			fx_buf_add(b, run, (size_t)(p - run));
			continue;
		}
		/* utf8_next() reads at most 4 bytes and stops at one that does not continue. */
		if (end - p >= 4) {
			k = utf8_next(p, &cp);
		} else {
			unsigned char tail[5] = { 0 };

			memcpy(tail, p, (size_t)(end - p));
			k = utf8_next(tail, &cp);
		}
		if (is_cjk(cp)) {
			fx_buf_add(b, in_run ? " " : (quote ? " \"" : " "), in_run ? 1 : (quote ? 2 : 1));
			in_run = 1;
		} else if (in_run) {
			fx_buf_add(b, quote ? "\" " : " ", quote ? 2 : 1);
			in_run = 0;
		}
		fx_buf_add(b, p, k);
		p += k;
	}
	if (in_run)
		fx_buf_add(b, quote ? "\"" : " ", 1);
}

void fx_case_fts_add(struct fx_buf *b, const char *s, size_t n)
{
	space_out(b, s, n, 0);
}

char *fx_case_fts_text(const char *text)
{
	struct fx_buf b = FX_BUF_INIT;

	space_out(&b, text, strlen(text), 0);
	return b.data ? b.data : fx_xstrdup("");
}

char *fx_case_fts_query(const char *query)
{
	struct fx_buf b = FX_BUF_INIT;

	/* Inside a phrase the user quoted, spaces alone make the characters a phrase. */
	space_out(&b, query, strlen(query), strchr(query, '"') == NULL);
	return b.data ? b.data : fx_xstrdup("");
}
