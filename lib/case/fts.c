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
 * Copies s, putting a space before and after every CJK character; with
 * quote, each run of CJK characters is also wrapped in double quotes.
 */
static char *space_out(const char *s, int quote)
{
	const unsigned char *p = (const unsigned char *)s;
	struct fx_buf b = FX_BUF_INIT;
	int in_run = 0;
	unsigned cp;
	size_t n;

	while (*p) {
		n = utf8_next(p, &cp);
		if (is_cjk(cp)) {
			fx_buf_add(&b, in_run ? " " : (quote ? " \"" : " "), in_run ? 1 : (quote ? 2 : 1));
			in_run = 1;
			fx_buf_add(&b, p, n);
		} else {
			if (in_run)
				fx_buf_add(&b, quote ? "\" " : " ", quote ? 2 : 1);
			in_run = 0;
			fx_buf_add(&b, p, n);
		}
		p += n;
	}
	if (in_run)
		fx_buf_add(&b, quote ? "\"" : " ", 1);
	return b.data ? b.data : fx_xstrdup("");
}

char *fx_case_fts_text(const char *text)
{
	return space_out(text, 0);
}

char *fx_case_fts_query(const char *query)
{
	/* Inside a phrase the user quoted, spaces alone make the characters a phrase. */
	return space_out(query, strchr(query, '"') == NULL);
}
