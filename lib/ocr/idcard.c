/*
 * The front of a PRC resident identity card (GB 11643 number; 姓名, 性别,
 * 民族, 出生, 住址 printed beside their labels), for intakes without a
 * card reader. The number is the one thing with a check: its last
 * character is the ISO 7064 MOD 11-2 check of the 17 digits before it,
 * and the birth date and sex it encodes are compared with those printed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ocr_int.h"
#include "fx_buf.h"
#include "fx_check.h"
#include "fx_err.h"
#include "fx_banned.h"

void fx_ocr_idcard_release(struct fx_ocr_idcard *c)
{
	free(c->number);
	free(c->name);
	free(c->sex);
	free(c->nation);
	free(c->birth);
	free(c->address);
	memset(c, 0, sizeof(*c));
}

/* A line's text without white space. Caller frees. */
static char *squeeze(const char *s)
{
	char *out = fx_xmalloc(strlen(s) + 1), *w = out;

	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			*w++ = *s;
	*w = '\0';
	return out;
}

/* The digit a character of the number may be, 'X' for the check, or 0. */
static char id_char(char c, int last)
{
	if (isdigit((unsigned char)c))
		return c;
	if (last && (c == 'X' || c == 'x'))
		return 'X';
	switch (c) {
	case 'O':
	case 'o':
	case 'D':
		return '0';
	case 'I':
	case 'l':
	case '|':
		return '1';
	case 'Z':
		return '2';
	case 'S':
		return '5';
	case 'B':
		return '8';
	default:
		return 0;
	}
}

/*
 * Looks for an identity number in s: 18 characters in a row that read as
 * 17 digits and a digit or X. Returns 2 with out set when one is valid,
 * 1 when one was found that fails its check, else 0.
 */
static int find_number(const char *s, char out[19])
{
	size_t n = strlen(s), i, k;
	char cand[19];
	int found = 0;

	for (i = 0; i + 18 <= n; i++) {
		for (k = 0; k < 18; k++) {
			cand[k] = id_char(s[i + k], k == 17);
			if (!cand[k])
				break;
		}
		if (k < 18)
			continue;
		/* Not part of a longer run of digits. */
		if ((i > 0 && isdigit((unsigned char)s[i - 1])) ||
		    (i + 18 < n && isalnum((unsigned char)s[i + 18])))
			continue;
		cand[18] = '\0';
		if (fx_prc_id_valid(cand)) {
			memcpy(out, cand, 19);
			return 2;
		}
		if (!found) {
			memcpy(out, cand, 19);
			found = 1;
		}
	}
	return found;
}

static const char *const labels[] = {"姓名", "性别", "民族", "出生", "住址", "公民身份号码"};
enum { L_NAME, L_SEX, L_NATION, L_BIRTH, L_ADDRESS, L_NUMBER, NLABELS };

/* Where each label is in s (or NULL). */
static void find_labels(const char *s, const char *at[NLABELS])
{
	int i;

	for (i = 0; i < NLABELS; i++)
		at[i] = strstr(s, labels[i]);
}

/* The value after label i in s: up to the next label on the line. Caller frees. */
static char *value_after(const char *s, const char *at[NLABELS], int i)
{
	const char *start = at[i] + strlen(labels[i]), *end = s + strlen(s);
	int k;

	for (k = 0; k < NLABELS; k++)
		if (at[k] && at[k] > at[i] && at[k] < end)
			end = at[k];
	/* A colon after the label (：) is not the value's. */
	if (end - start >= 3 && memcmp(start, "\xef\xbc\x9a", 3) == 0)
		start += 3;
	if (start < end && *start == ':')
		start++;
	if (start >= end)
		return NULL;
	{
		char *v = fx_xmalloc((size_t)(end - start) + 1);

		memcpy(v, start, (size_t)(end - start));
		v[end - start] = '\0';
		return v;
	}
}

/* 1949年12月31日 (as read) as 1949-12-31, or NULL. Caller frees. */
static char *birth_date(const char *s)
{
	int y = 0, m = 0, d = 0, part = 0, digits = 0;

	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			int *v = part == 0 ? &y : part == 1 ? &m : &d;

			*v = *v * 10 + (*s - '0');
			digits++;
		} else if (digits) {
			part++;
			digits = 0;
			if (part > 2)
				break;
		}
	}
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31)
		return NULL;
	return fx_xasprintf("%04d-%02d-%02d", y, m, d);
}

/* The confidence of the word of line i with the most digits: the number's. */
static int number_conf(const struct fx_ocr_page *p, size_t i)
{
	const struct fx_ocr_line *l = &p->lines[i];
	int best = -1, conf = 0, n;
	size_t k;
	const char *t;

	for (k = l->word; k < l->word + l->nwords; k++) {
		for (n = 0, t = p->words[k].text; *t; t++)
			n += isdigit((unsigned char)*t) != 0;
		if (n > best) {
			best = n;
			conf = p->words[k].conf;
		}
	}
	return conf;
}

/* Vertical centre of a line. */
static int mid(const struct fx_ocr_line *l)
{
	return l->y + l->h / 2;
}

/*
 * The line to the right of line i on its row, nearest first: read in
 * sparse mode, a label and its value are lines of their own. (size_t)-1
 * when there is none.
 */
static size_t right_of(const struct fx_ocr_page *p, size_t i, const unsigned char *is_label)
{
	const struct fx_ocr_line *l = &p->lines[i];
	size_t k, best = (size_t)-1;
	int dx, best_dx = 1 << 30;

	for (k = 0; k < p->nlines; k++) {
		const struct fx_ocr_line *o = &p->lines[k];

		if (k == i || is_label[k] || o->x <= l->x + l->w / 2 ||
		    abs(mid(o) - mid(l)) * 2 > (l->h > o->h ? l->h : o->h))
			continue;
		dx = o->x - (l->x + l->w);
		if (dx < best_dx) {
			best_dx = dx;
			best = k;
		}
	}
	return best;
}

int fx_ocr_idcard_parse(const struct fx_ocr_page *page, struct fx_ocr_idcard *c)
{
	const char *at[NLABELS];
	char num[19], **sq, *v, **slot;
	unsigned char *is_label;
	size_t i, k, addr_line = (size_t)-1;
	int best = 0, r, lab;

	memset(c, 0, sizeof(*c));
	sq = fx_xcalloc(page->nlines + 1, sizeof(*sq));
	is_label = fx_xcalloc(page->nlines + 1, 1);
	for (i = 0; i < page->nlines; i++) {
		sq[i] = squeeze(page->lines[i].text);
		find_labels(sq[i], at);
		for (lab = 0; lab < NLABELS; lab++)
			is_label[i] |= at[lab] != NULL;
		r = find_number(sq[i], num);
		if (r > best) {
			best = r;
			free(c->number);
			c->number = fx_xstrdup(num);
			c->number_valid = r == 2;
			c->conf = number_conf(page, i);
		}
	}
	for (i = 0; i < page->nlines; i++) {
		if (!is_label[i])
			continue;
		find_labels(sq[i], at);
		for (lab = 0; lab < NLABELS; lab++) {
			if (!at[lab] || lab == L_NUMBER)
				continue;
			slot = lab == L_NAME     ? &c->name
			       : lab == L_SEX    ? &c->sex
			       : lab == L_NATION ? &c->nation
			       : lab == L_BIRTH  ? &c->birth
						 : &c->address;
			if (*slot)
				continue;
			v = value_after(sq[i], at, lab);
			k = i;
			if (!v) {
				/* The last label of its line: the value is the line to its right. */
				for (r = 0; r < NLABELS; r++)
					if (at[r] && at[r] > at[lab])
						break;
				if (r < NLABELS || (k = right_of(page, i, is_label)) == (size_t)-1)
					continue;
				v = fx_xstrdup(sq[k]);
			}
			if (lab == L_BIRTH) {
				*slot = birth_date(v);
				free(v);
			} else {
				*slot = v;
			}
			if (lab == L_ADDRESS)
				addr_line = k;
		}
	}
	/* The address runs on over the lines below it that start where it starts. */
	while (c->address && addr_line != (size_t)-1) {
		const struct fx_ocr_line *a = &page->lines[addr_line];
		size_t next = (size_t)-1;

		for (k = 0; k < page->nlines; k++) {
			const struct fx_ocr_line *o = &page->lines[k];

			if (k == addr_line || is_label[k] || find_number(sq[k], num) ||
			    abs(o->x - a->x) > a->h || o->y <= a->y + a->h / 2 ||
			    o->y > a->y + a->h * 2)
				continue;
			next = k;
			break;
		}
		if (next == (size_t)-1)
			break;
		v = fx_xasprintf("%s%s", c->address, sq[next]);
		free(c->address);
		c->address = v;
		addr_line = next;
	}
	for (i = 0; i < page->nlines; i++)
		free(sq[i]);
	free(sq);
	free(is_label);
	return c->number != NULL;
}

json_t *fx_ocr_idcard_json(const struct fx_ocr_idcard *c)
{
	json_t *data = json_object();
	char birth[11];

	json_object_set_new(data, "number", json_string(c->number));
	json_object_set_new(data, "number_valid", json_boolean(c->number_valid));
	json_object_set_new(data, "confidence", json_integer(c->conf));
	if (c->name)
		json_object_set_new(data, "name", fx_json_text(c->name, strlen(c->name)));
	if (c->sex)
		json_object_set_new(data, "sex", fx_json_text(c->sex, strlen(c->sex)));
	if (c->nation)
		json_object_set_new(data, "nation", fx_json_text(c->nation, strlen(c->nation)));
	if (c->birth)
		json_object_set_new(data, "birth", json_string(c->birth));
	if (c->address)
		json_object_set_new(data, "address", fx_json_text(c->address, strlen(c->address)));
	if (c->number_valid) {
		/* What the number says: the region of registration, birth date, sex. */
		json_object_set_new(data, "region_code", json_stringn(c->number, 6));
		memcpy(birth, c->number + 6, 4);
		birth[4] = '-';
		memcpy(birth + 5, c->number + 10, 2);
		birth[7] = '-';
		memcpy(birth + 8, c->number + 12, 2);
		birth[10] = '\0';
		json_object_set_new(data, "number_birth", json_string(birth));
		json_object_set_new(data, "number_sex",
				    json_string((c->number[16] - '0') % 2 ? "男" : "女"));
		if (c->birth || c->sex)
			json_object_set_new(
				data, "consistent",
				json_boolean((!c->birth || strcmp(c->birth, birth) == 0) &&
					     (!c->sex || strcmp(c->sex, (c->number[16] - '0') % 2
										? "男"
										: "女") == 0)));
	}
	return data;
}
