/*
 * The device details of an "About phone" page (or Status, or 关于手机 /
 * 状态信息): labels found in the lines read, each value taken beside its
 * label, after it on the same line, or on the line below, and kept only
 * when it has the form of its field. Makers word the labels their own way
 * and OCR misreads some letters, so English labels are matched with one
 * wrong letter in six allowed; Chinese ones as they are.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr_int.h"
#include "fx_buf.h"
#include "fx_check.h"
#include "fx_err.h"
#include "fx_banned.h"

static const char *const field_names[FX_OCR_NFIELDS] = {
	"imei",  "imei2",           "meid",  "serial",   "model",
	"brand", "android_version", "phone", "wifi_mac", "bt_mac",
};

/* A label: its key (lowercase, no spaces or punctuation) and what it names. */
struct label {
	const char *key;
	int field; /* enum fx_ocr_field_id, or -1: a label of something else */
};

/*
 * Labels, keyed. The "something else" ones matter as much: IMEI SV is not
 * an IMEI, 版本号 (the build) is not Android 版本, the device name is not
 * the model. Slot numbers of IMEIs are taken from the key's end.
 */
static const struct label labels[] = {
	{"imei", FX_OCR_IMEI},
	{"imeisv", -1},
	{"imeisvn", -1},
	{"meid", FX_OCR_MEID},
	{"serialnumber", FX_OCR_SERIAL},
	{"serialno", FX_OCR_SERIAL},
	{"serial", FX_OCR_SERIAL},
	{"序列号", FX_OCR_SERIAL},
	{"设备序列号", FX_OCR_SERIAL},
	{"model", FX_OCR_MODEL},
	{"modelnumber", FX_OCR_MODEL},
	{"modelname", -1},
	{"型号", FX_OCR_MODEL},
	{"设备型号", FX_OCR_MODEL},
	{"手机型号", FX_OCR_MODEL},
	{"产品型号", FX_OCR_MODEL},
	{"认证型号", FX_OCR_MODEL},
	{"brand", FX_OCR_BRAND},
	{"品牌", FX_OCR_BRAND},
	{"manufacturer", FX_OCR_BRAND},
	{"androidversion", FX_OCR_ANDROID},
	{"android版本", FX_OCR_ANDROID},
	{"安卓版本", FX_OCR_ANDROID},
	{"phonenumber", FX_OCR_PHONE},
	{"myphonenumber", FX_OCR_PHONE},
	{"本机号码", FX_OCR_PHONE},
	{"手机号码", FX_OCR_PHONE},
	{"电话号码", FX_OCR_PHONE},
	{"wifimacaddress", FX_OCR_WIFI_MAC},
	{"wlanmacaddress", FX_OCR_WIFI_MAC},
	{"macaddress", FX_OCR_WIFI_MAC},
	{"wlanmac地址", FX_OCR_WIFI_MAC},
	{"wifimac地址", FX_OCR_WIFI_MAC},
	{"mac地址", FX_OCR_WIFI_MAC},
	{"无线局域网mac地址", FX_OCR_WIFI_MAC},
	{"bluetoothaddress", FX_OCR_BT_MAC},
	{"bluetoothmacaddress", FX_OCR_BT_MAC},
	{"蓝牙地址", FX_OCR_BT_MAC},
	{"蓝牙mac地址", FX_OCR_BT_MAC},
	/* Others that sit next to them. */
	{"devicename", -1},
	{"设备名称", -1},
	{"buildnumber", -1},
	{"版本号", -1},
	{"basebandversion", -1},
	{"基带版本", -1},
	{"kernelversion", -1},
	{"内核版本", -1},
	{"ipaddress", -1},
	{"ip地址", -1},
	{"processor", -1},
	{"处理器", -1},
	{"ram", -1},
	{"运行内存", -1},
	{"storage", -1},
	{"机身存储", -1},
	{"androidsecurityupdate", -1},
	{"androidsecuritypatchlevel", -1},
	{"安全补丁级别", -1},
	{"uptime", -1},
	{"imsi", -1},
	{"iccid", -1},
};

void fx_ocr_device_release(struct fx_ocr_device *d)
{
	int i;

	for (i = 0; i < FX_OCR_NFIELDS; i++)
		free(d->f[i].value);
	memset(d, 0, sizeof(*d));
}

/* ---- text helpers ---- */

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
static size_t u8len(unsigned char c)
{
	return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/*
 * A label key: ASCII letters lowercased, digits kept, everything else
 * ASCII dropped (spaces, punctuation, brackets), other characters kept,
 * full-width forms (Ａ, （) folded to ASCII first. Returns a malloc'd string.
 */
static char *keyof(const char *s)
{
	struct fx_buf b = FX_BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;
	size_t n;
	char c;

	fx_buf_add(&b, "", 0);
	while (*p) {
		n = u8len(*p);
		/* U+FF01..U+FF5E are ASCII 0x21..0x7E at full width. */
		if (n == 3 && p[0] == 0xef && (p[1] == 0xbc || p[1] == 0xbd) && p[2]) {
			cp = (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 |
			     (p[2] & 0x3f);
			if (cp >= 0xff01 && cp <= 0xff5e) {
				c = (char)(cp - 0xff01 + 0x21);
				if (isalnum((unsigned char)c)) {
					c = (char)tolower((unsigned char)c);
					fx_buf_add(&b, &c, 1);
				}
				p += 3;
				continue;
			}
		}
		if (n == 1) {
			/* IME] and IME| are IMEI: a bar after a letter is an I. */
			if ((*p == ']' || *p == '|' || *p == '[') && b.len &&
			    isalpha((unsigned char)b.data[b.len - 1])) {
				fx_buf_add(&b, "i", 1);
				p++;
				continue;
			}
			if (isalnum(*p)) {
				c = (char)tolower(*p);
				fx_buf_add(&b, &c, 1);
			}
			p++;
			continue;
		}
		/* Ideographic punctuation (U+3000..U+303F: 、。「」：) is punctuation too. */
		if (n == 3 && p[0] == 0xe3 && p[1] == 0x80) {
			p += 3;
			continue;
		}
		while (n-- && *p)
			fx_buf_add(&b, p++, 1);
	}
	return b.data;
}

/* Decodes UTF-8 into at most max code points; returns the count. */
static size_t codepoints(const char *s, unsigned *cp, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, k, i;

	while (*p && n < max) {
		k = u8len(*p);
		cp[n] = k == 1 ? *p : (unsigned)(*p & (0xff >> (k + 1)));
		for (i = 1; i < k && p[i]; i++)
			cp[n] = cp[n] << 6 | (p[i] & 0x3f);
		p += i;
		n++;
	}
	return n;
}

/* Edit distance of a and b in characters, at most max + 1. */
static int distance(const char *a, const char *b, int max)
{
	unsigned ca[64], cb[64];
	size_t la = codepoints(a, ca, 64), lb = codepoints(b, cb, 64), i, j;
	int prev[65], cur[65], best, d;

	if ((la > lb ? la - lb : lb - la) > (size_t)max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (int)i;
		best = cur[0];
		for (j = 1; j <= lb; j++) {
			d = prev[j - 1] + (ca[i - 1] != cb[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > max)
			return max + 1;
		memcpy(prev, cur, sizeof(int) * (lb + 1));
	}
	return prev[lb] > max ? max + 1 : prev[lb];
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/*
 * The label key names: its field (or -1 for another label) with *slot the
 * IMEI slot (1, 2; 0 when not said), or -2 when key is no label.
 */
static int label_of(const char *key, int *slot)
{
	char buf[64];
	size_t n = strlen(key), i, best_i = 0;
	int d, best = 99, max;

	*slot = 0;
	if (!n || n >= sizeof(buf))
		return -2;
	memcpy(buf, key, n + 1);
	/*
	 * IMEI 1, IMEI (SIM slot 2), IMEI1（卡槽1）, IMEI 号: the slot is the
	 * last digit; what is left must be imei with at most "simslot" / "slot"
	 * / 卡槽 / 卡 / 号 / 码 around it.
	 */
	/* I misread as l or 1 at either end of IMEI. */
	if (n >= 4 && strchr("il1", buf[0]) && buf[1] == 'm' && buf[2] == 'e' &&
	    strchr("il1j", buf[3])) {
		const char *rest = buf + 4;
		char r[64];
		size_t k = 0;

		if (strncmp(rest, "sv", 2) == 0)
			return -1;
		for (; *rest && k + 1 < sizeof(r); rest++) {
			if (*rest == '1' || *rest == '2')
				*slot = *rest - '0';
			else
				r[k++] = *rest;
		}
		r[k] = '\0';
		if (!k || strcmp(r, "simslot") == 0 || strcmp(r, "slot") == 0 ||
		    strcmp(r, "卡槽") == 0 || strcmp(r, "卡") == 0 || strcmp(r, "号") == 0 ||
		    strcmp(r, "码") == 0 || strcmp(r, "sim") == 0)
			return FX_OCR_IMEI;
		return -2;
	}
	/*
	 * "(SIM slot 2)" after a few letters OCR could not make out: only
	 * IMEIs are numbered by slot this way on these pages, and the value
	 * must still be an IMEI whose reads agree.
	 */
	{
		const char *sl = strstr(buf, "slot");

		if (sl && n >= 5 && (buf[n - 1] == '1' || buf[n - 1] == '2') && sl + 5 == buf + n &&
		    sl - buf <= 7) {
			*slot = buf[n - 1] - '0';
			return FX_OCR_IMEI;
		}
	}
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strcmp(key, labels[i].key) == 0)
			return labels[i].field;
		/* English: one wrong letter in six (Seria1 number, Wi-Fi MAC adress). */
		if (!is_ascii(labels[i].key))
			continue;
		max = (int)strlen(labels[i].key) / 6;
		if (!max)
			continue;
		d = distance(key, labels[i].key, max);
		if (d <= max && d < best) {
			best = d;
			best_i = i;
		}
	}
	if (best < 99)
		return labels[best_i].field;
	/* Chinese labels of four characters and more, one of them misread (设各型号). */
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		unsigned cp[64];

		if (is_ascii(labels[i].key) || codepoints(labels[i].key, cp, 64) < 4)
			continue;
		if (distance(key, labels[i].key, 1) <= 1)
			return labels[i].field;
	}
	return -2;
}

/* ---- values ---- */

/* The digit OCR may have read as this letter, or 0. */
static char as_digit(char c)
{
	switch (c) {
	case 'O':
	case 'o':
	case 'D':
	case 'Q':
		return '0';
	case 'I':
	case 'l':
	case 'i':
	case '|':
	case '!':
	case 'L':
	case ']':
	case '[':
		return '1';
	case 'Z':
	case 'z':
		return '2';
	case 'S':
	case 's':
		return '5';
	case 'B':
		return '8';
	case 'G':
	case 'b':
		return '6';
	case 'g':
	case 'q':
		return '9';
	case 'T':
		return '7';
	case 'A':
		return '4';
	default:
		return isdigit((unsigned char)c) ? c : 0;
	}
}

/* A hex digit (lowercase) OCR may have read as c, or 0. */
static char as_hex(char c)
{
	if (isxdigit((unsigned char)c))
		return (char)tolower((unsigned char)c);
	switch (c) {
	case 'O':
	case 'o':
	case 'Q':
		return '0';
	case 'I':
	case 'l':
	case 'i':
	case '|':
	case '!':
	case 'L':
		return '1';
	case 'Z':
	case 'z':
		return '2';
	case 'S':
	case 's':
		return '5';
	case 'g':
	case 'q':
		return '9';
	case 'G':
		return '6';
	default:
		return 0;
	}
}

/* ¢ (C2 A2): a c with a bar, as OCR reads a c next to a colon. */
static void fold_cent(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if ((unsigned char)r[0] == 0xc2 && (unsigned char)r[1] == 0xa2) {
			*w++ = 'c';
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

static int is_sep(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == ':' || c == '/' || c == ',' || c == ';';
}

/* Trims spaces and what a row's chevron reads as (> 〉 ›) from the end. */
static void trim_value(char *s)
{
	size_t n = strlen(s), i = 0;

	for (;;) {
		while (n && (s[n - 1] == ' ' || s[n - 1] == '>' || s[n - 1] == ')' ||
			     s[n - 1] == '|' || s[n - 1] == '}'))
			n--;
		/* › (E2 80 BA) and 〉 (E3 80 89) */
		if (n >= 3 && (unsigned char)s[n - 3] == 0xe2 && (unsigned char)s[n - 2] == 0x80 &&
		    (unsigned char)s[n - 1] == 0xba) {
			n -= 3;
			continue;
		}
		if (n >= 3 && (unsigned char)s[n - 3] == 0xe3 && (unsigned char)s[n - 2] == 0x80 &&
		    (unsigned char)s[n - 1] == 0x89) {
			n -= 3;
			continue;
		}
		break;
	}
	s[n] = '\0';
	/* A colon between label and value (型号：, Model: ) is not the value's. */
	while (s[i] == ' ' || s[i] == ':')
		i++;
	if ((unsigned char)s[i] == 0xef && (unsigned char)s[i + 1] == 0xbc &&
	    (unsigned char)s[i + 2] == 0x9a)
		i += 3;
	while (s[i] == ' ')
		i++;
	memmove(s, s + i, strlen(s + i) + 1);
}

/* Copies what is left of a value of digits; returns the count, or -1 for another character. */
static int digits_of(const char *raw, char *out, size_t n, int plus_ok, int *plus)
{
	size_t k = 0;
	const char *p;
	char d;

	*plus = 0;
	for (p = raw; *p; p++) {
		if (is_sep(*p) || *p == '(' || *p == ')')
			continue;
		if (*p == '+' && plus_ok && k == 0 && !*plus) {
			*plus = 1;
			continue;
		}
		d = as_digit(*p);
		if (!d || k + 1 >= n)
			return -1;
		out[k++] = d;
	}
	out[k] = '\0';
	return (int)k;
}

int fx_ocr_normalize(enum fx_ocr_field_id id, const char *raw, char *out, size_t n)
{
	char buf[128], tmp[128];
	const char *p;
	size_t k = 0, i;
	int plus, nd;

	if (!raw || strlen(raw) >= sizeof(buf) || n < 2)
		return 0;
	memcpy(buf, raw, strlen(raw) + 1);
	fold_cent(buf);
	trim_value(buf);
	out[0] = '\0';
	switch (id) {
	case FX_OCR_IMEI:
	case FX_OCR_IMEI2:
		/* 15 digits; a 16th and 17th would be an IMEISV or two numbers. */
		if (digits_of(buf, tmp, sizeof(tmp), 0, &plus) != 15 || !fx_imei_valid(tmp) ||
		    n < 16)
			return 0;
		memcpy(out, tmp, 16);
		return 1;
	case FX_OCR_MEID:
		/* 14 hex digits, written in capitals (its check digit, when shown, left off). */
		for (p = buf; *p && k + 1 < sizeof(tmp); p++) {
			char h;

			if (is_sep(*p))
				continue;
			h = as_hex(*p);
			if (!h)
				return 0;
			tmp[k++] = (char)toupper((unsigned char)h);
		}
		if (k != 14 && k != 15)
			return 0;
		/* A 15th character is the check digit, or a misread: it must check. */
		if (k == 15) {
			char check = tmp[14];

			tmp[14] = '\0';
			if (fx_meid_check(tmp) != check)
				return 0;
		}
		tmp[14] = '\0';
		/* The regional code: A0 to FF for MEIDs; 99 for those made from an IMEI. */
		if (!(tmp[0] >= 'A' || (tmp[0] == '9' && tmp[1] == '9')) || n < 15)
			return 0;
		memcpy(out, tmp, 15);
		return 1;
	case FX_OCR_WIFI_MAC:
	case FX_OCR_BT_MAC:
		for (p = buf; *p && k < 12; p++) {
			char h;

			if (is_sep(*p))
				continue;
			h = as_hex(*p);
			if (!h)
				return 0;
			tmp[k++] = h;
		}
		if (k != 12 || *p || n < 18)
			return 0;
		for (i = 0; i < 6; i++) {
			out[3 * i] = tmp[2 * i];
			out[3 * i + 1] = tmp[2 * i + 1];
			out[3 * i + 2] = i < 5 ? ':' : '\0';
		}
		/* Unavailable, all zeros: no address. */
		return strcmp(out, "00:00:00:00:00:00") != 0 &&
		       strcmp(out, "02:00:00:00:00:00") != 0;
	case FX_OCR_PHONE:
		nd = digits_of(buf, tmp, sizeof(tmp), 1, &plus);
		if (nd < 5 || nd > 15 || (size_t)nd + 2 > n)
			return 0;
		out[0] = '+';
		memcpy(out + plus, tmp, (size_t)nd + 1);
		return 1;
	case FX_OCR_ANDROID:
		/* 13, 8.1.0, Android 13 */
		p = buf;
		if (strncmp(p, "Android", 7) == 0 || strncmp(p, "android", 7) == 0)
			p += 7;
		while (*p == ' ')
			p++;
		for (; *p && k + 1 < sizeof(tmp); p++) {
			char d = *p == '.' ? '.' : as_digit(*p);

			if (!d)
				return 0;
			tmp[k++] = d;
		}
		tmp[k] = '\0';
		if (!k || !isdigit((unsigned char)tmp[0]) || tmp[k - 1] == '.' || k > 8 ||
		    atoi(tmp) < 1 || atoi(tmp) > 30 || k + 1 > n)
			return 0;
		memcpy(out, tmp, k + 1);
		return 1;
	case FX_OCR_SERIAL:
		/* Letters and digits, 6 to 20 of them; spaces OCR put in left out. */
		for (p = buf; *p; p++) {
			if (*p == ' ')
				continue;
			if (!isalnum((unsigned char)*p) || k + 1 >= sizeof(tmp))
				return 0;
			tmp[k++] = *p;
		}
		tmp[k] = '\0';
		if (k < 6 || k > 20 || k + 1 > n)
			return 0;
		memcpy(out, tmp, k + 1);
		return 1;
	case FX_OCR_MODEL:
	case FX_OCR_BRAND:
		/* Free text, one line; not a label and not empty. */
		k = strlen(buf);
		if (!k || k + 1 > n || k > 64)
			return 0;
		for (p = buf; *p; p++)
			if ((unsigned char)*p < 0x20)
				return 0;
		memcpy(out, buf, k + 1);
		return 1;
	default:
		return 0;
	}
}

/* How much of raw looks like a value of field id: its characters of the right kind. */
static int form_score(int id, const char *raw)
{
	int n = 0;

	for (; *raw; raw++) {
		switch (id) {
		case FX_OCR_IMEI:
		case FX_OCR_IMEI2:
		case FX_OCR_PHONE:
		case FX_OCR_ANDROID:
			n += isdigit((unsigned char)*raw) != 0;
			break;
		case FX_OCR_MEID:
		case FX_OCR_WIFI_MAC:
		case FX_OCR_BT_MAC:
			n += isxdigit((unsigned char)*raw) != 0;
			break;
		default:
			n += isalnum((unsigned char)*raw) != 0;
		}
	}
	return n;
}

/* ---- labels and values on the page ---- */

/* A label found: the first words of a line (word w0 up to, not with, wv). */
struct found_label {
	size_t line, word, wv; /* its line; its words [word, wv) */
	int field, slot;
};

/* The text of words [from, to) of the page, joined by spaces. Caller frees. */
static char *words_text(const struct fx_ocr_page *p, size_t from, size_t to)
{
	struct fx_buf b = FX_BUF_INIT;
	size_t i;

	fx_buf_add(&b, "", 0);
	for (i = from; i < to; i++) {
		if (i > from)
			fx_buf_add(&b, " ", 1);
		fx_buf_add(&b, p->words[i].text, strlen(p->words[i].text));
	}
	return b.data;
}

/*
 * Does the line start with a label? Tries its first one to five words
 * (a label may be read as several: "Serial number", "IMEI (SIM slot 1)"),
 * longest first, then one word cut at a colon ("型号:SM-G991B").
 */
static int line_label(const struct fx_ocr_page *p, size_t li, struct found_label *fl)
{
	const struct fx_ocr_line *l = &p->lines[li];
	size_t k, n, skip, first;
	int field, slot;
	char *t, *key;

	/* A speck read as a word before the label (和 IMEI) is passed over. */
	for (skip = 0; skip < 2 && skip < l->nwords; skip++) {
		first = l->word + skip;
		if (skip &&
		    !(p->words[first - 1].conf < 40 && strlen(p->words[first - 1].text) <= 3))
			break;
		n = l->nwords - skip < 5 ? l->nwords - skip : 5;
		for (k = n; k >= 1; k--) {
			t = words_text(p, first, first + k);
			key = keyof(t);
			free(t);
			field = label_of(key, &slot);
			free(key);
			if (field != -2) {
				fl->line = li;
				fl->word = first;
				fl->wv = first + k;
				fl->field = field;
				fl->slot = slot;
				return 1;
			}
		}
	}
	return 0;
}

/* A place a value may be: up to four runs of words, read in order. */
#define MAX_RUNS 4
#define MAX_CANDIDATES (MAX_RUNS + 3)
struct candidate {
	size_t from[MAX_RUNS], to[MAX_RUNS];
	int n;
};

/* The vertical centre of a line, and where a label's words end. */
static int cy(const struct fx_ocr_line *l)
{
	return l->y + l->h / 2;
}

static int label_end(const struct fx_ocr_page *p, const struct found_label *fl)
{
	return p->words[fl->wv - 1].x + p->words[fl->wv - 1].w;
}

/* A label's line height: its label words', a steadier measure than the whole line's. */
static int label_h(const struct fx_ocr_page *p, const struct found_label *fl)
{
	const struct fx_ocr_line *l = &p->lines[fl->line];
	size_t i;
	int h = 0;

	for (i = fl->word; i < fl->wv; i++)
		h = p->words[i].h > h ? p->words[i].h : h;
	return h ? h : l->h;
}

/*
 * A line that is no value: no letter or digit (a row's chevron, a rule),
 * or a few characters read with little confidence (the edge of the phone,
 * the desk's grain).
 */
static int is_junk(const struct fx_ocr_line *l)
{
	const char *s = l->text;

	if (l->conf < 35 && strlen(s) <= 4)
		return 1;
	for (; *s; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/*
 * Two columns: each line to the right of labels goes to the label whose
 * row it is nearest (centre to centre, within a line height and a half:
 * a photo taken at an angle tilts the rows, and the value is far across
 * the screen), so that no value is given to two labels and a value read as
 * two pieces stays one. owner[i] gets the label of line i, or (size_t)-1.
 */
static void pair_right(const struct fx_ocr_page *p, const struct found_label *fl, size_t nl,
		       const unsigned char *is_label, size_t *owner)
{
	size_t k, i;
	int lh, dy, best;

	for (i = 0; i < p->nlines; i++) {
		const struct fx_ocr_line *o = &p->lines[i];

		owner[i] = (size_t)-1;
		if (is_label[i] || !o->nwords || is_junk(o))
			continue;
		best = 1 << 30;
		for (k = 0; k < nl; k++) {
			const struct fx_ocr_line *l = &p->lines[fl[k].line];

			lh = label_h(p, &fl[k]);
			if (i == fl[k].line || o->x < label_end(p, &fl[k]) + lh / 2)
				continue;
			dy = abs(cy(o) - cy(l));
			if (dy <= lh * 3 / 2 && dy < best) {
				best = dy;
				owner[i] = k;
			}
		}
	}
}

/*
 * Where the value of a label may be, best first: after the label on its
 * line; the lines paired with it to its right, left to right (two columns,
 * read as separate blocks); the line just below, starting near the
 * label's left edge (label above value). Lines that are labels themselves
 * are not values. Returns the count.
 */
static int candidates(const struct fx_ocr_page *p, size_t k, const struct found_label *fl,
		      const size_t *owner, const unsigned char *is_label, struct candidate *c)
{
	const struct fx_ocr_line *l = &p->lines[fl->line], *o;
	size_t i, j, below = (size_t)-1, runs[MAX_RUNS], t;
	int n = 0, nr = 0, lx = p->words[fl->word].x, lh = label_h(p, fl), dy, best_dy = 1 << 30;

	memset(c, 0, MAX_CANDIDATES * sizeof(*c));
	if (fl->wv < l->word + l->nwords) {
		c[n].from[0] = fl->wv;
		c[n].to[0] = l->word + l->nwords;
		c[n++].n = 1;
	}
	for (i = 0; i < p->nlines; i++) {
		if (owner[i] == k && nr < MAX_RUNS)
			runs[nr++] = i;
		if (i == fl->line || is_label[i] || !p->lines[i].nwords || is_junk(&p->lines[i]))
			continue;
		o = &p->lines[i];
		dy = o->y - (l->y + l->h);
		/* Below: within two line heights, its left edge within three of the label's. */
		if (dy > -lh / 3 && dy < 2 * lh && abs(o->x - lx) < 3 * lh && dy < best_dy &&
		    abs(cy(o) - cy(l)) > lh * 2 / 3) {
			best_dy = dy;
			below = i;
		}
	}
	/* Each piece alone, nearest the label's row first; then all of them, left to right. */
	for (i = 1; i < (size_t)nr; i++)
		for (j = i; j > 0 && abs(cy(&p->lines[runs[j]]) - cy(l)) <
					     abs(cy(&p->lines[runs[j - 1]]) - cy(l));
		     j--) {
			t = runs[j];
			runs[j] = runs[j - 1];
			runs[j - 1] = t;
		}
	for (i = 0; i < (size_t)nr; i++) {
		c[n].from[0] = p->lines[runs[i]].word;
		c[n].to[0] = c[n].from[0] + p->lines[runs[i]].nwords;
		c[n++].n = 1;
	}
	if (nr > 1) {
		for (i = 1; i < (size_t)nr; i++)
			for (j = i; j > 0 && p->lines[runs[j]].x < p->lines[runs[j - 1]].x; j--) {
				t = runs[j];
				runs[j] = runs[j - 1];
				runs[j - 1] = t;
			}
		for (i = 0; i < (size_t)nr; i++) {
			c[n].from[i] = p->lines[runs[i]].word;
			c[n].to[i] = c[n].from[i] + p->lines[runs[i]].nwords;
		}
		c[n++].n = nr;
	}
	if (below != (size_t)-1) {
		c[n].from[0] = p->lines[below].word;
		c[n].to[0] = c[n].from[0] + p->lines[below].nwords;
		c[n++].n = 1;
	}
	return n;
}

/* Fields with no form to check: free text. */
static int free_form(int id)
{
	return id == FX_OCR_MODEL || id == FX_OCR_BRAND || id == FX_OCR_SERIAL;
}

/* The lowest word confidence of a candidate. */
static int candidate_conf(const struct fx_ocr_page *p, const struct candidate *c)
{
	int conf = 100, r;
	size_t i;

	for (r = 0; r < c->n; r++)
		for (i = c->from[r]; i < c->to[r]; i++)
			conf = p->words[i].conf < conf ? p->words[i].conf : conf;
	return conf;
}

/* The text of a candidate's runs, joined by spaces. Caller frees. */
static char *candidate_text(const struct fx_ocr_page *p, const struct candidate *c)
{
	struct fx_buf b = FX_BUF_INIT;
	char *t;
	int i;

	fx_buf_add(&b, "", 0);
	for (i = 0; i < c->n; i++) {
		t = words_text(p, c->from[i], c->to[i]);
		if (i)
			fx_buf_add(&b, " ", 1);
		fx_buf_add(&b, t, strlen(t));
		free(t);
	}
	return b.data;
}

static void set_field(struct fx_ocr_device *d, int id, const char *value,
		      const struct fx_ocr_page *p, const struct candidate *c)
{
	struct fx_ocr_field *f = &d->f[id];
	int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1, conf = 100, r;
	size_t i;

	for (r = 0; r < c->n; r++)
		for (i = c->from[r]; i < c->to[r]; i++) {
			const struct fx_ocr_word *w = &p->words[i];

			x0 = w->x < x0 ? w->x : x0;
			y0 = w->y < y0 ? w->y : y0;
			x1 = w->x + w->w > x1 ? w->x + w->w : x1;
			y1 = w->y + w->h > y1 ? w->y + w->h : y1;
			conf = w->conf < conf ? w->conf : conf;
		}
	free(f->value);
	f->value = value ? fx_xstrdup(value) : NULL;
	f->conf = value ? conf : 0;
	f->has_box = 1;
	f->reads = value ? 1 : 0;
	f->x = x0;
	f->y = y0;
	f->w = x1 - x0;
	f->h = y1 - y0;
}

static void guess_places(const struct fx_ocr_page *p, const struct found_label *fl,
			 struct fx_ocr_field *f)
{
	const struct fx_ocr_line *l = &p->lines[fl->line];
	int lh = label_h(p, fl), x = p->words[fl->word].x - lh / 2, end = label_end(p, fl);

	f->has_box = 1;
	f->x = x < 0 ? 0 : x;
	f->y = l->y + l->h;
	f->w = (p->work_w ? p->work_w : x + 20 * lh) - f->x;
	f->h = lh * 9 / 5;
	f->alt = 1;
	f->ax = end + lh;
	f->ay = cy(l) - lh * 9 / 10 < 0 ? 0 : cy(l) - lh * 9 / 10;
	f->aw = (p->work_w ? p->work_w : end + 20 * lh) - f->ax;
	f->ah = lh * 9 / 5;
	if (f->w <= 0 || f->aw <= 0)
		f->has_box = f->alt = 0;
}

int fx_ocr_device_parse(const struct fx_ocr_page *p, struct fx_ocr_device *d)
{
	struct found_label *fl = fx_xcalloc(p->nlines + 1, sizeof(*fl));
	unsigned char *is_label = fx_xcalloc(p->nlines + 1, 1);
	struct candidate c[MAX_CANDIDATES];
	size_t i, nl = 0, *right;
	char val[128], *raw;
	int k, n, id, count = 0, unslotted = 0, best_k, best_score;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < FX_OCR_NFIELDS; i++)
		d->f[i].name = field_names[i];
	for (i = 0; i < p->nlines; i++)
		if (p->lines[i].nwords && line_label(p, i, &fl[nl])) {
			is_label[i] = 1;
			nl++;
		}
	right = fx_xcalloc(p->nlines + 1, sizeof(*right));
	pair_right(p, fl, nl, is_label, right);
	/* IMEI, IMEI: two unnumbered IMEI labels are slots 1 and 2 in reading order. */
	for (i = 0; i < nl; i++)
		if (fl[i].field == FX_OCR_IMEI && fl[i].slot == 0)
			fl[i].slot = ++unslotted;
	for (i = 0; i < nl; i++) {
		id = fl[i].field;
		if (id < 0)
			continue;
		if (id == FX_OCR_IMEI && fl[i].slot == 2)
			id = FX_OCR_IMEI2;
		if (d->f[id].value)
			continue;
		n = candidates(p, i, &fl[i], right, is_label, c);
		best_k = -1;
		best_score = 0;
		for (k = 0; k < n; k++) {
			raw = candidate_text(p, &c[k]);
			if (fx_ocr_normalize((enum fx_ocr_field_id)id, raw, val, sizeof(val)) &&
			    (!free_form(id) ||
			     (strlen(val) >= 2 && candidate_conf(p, &c[k]) >= 40))) {
				set_field(d, id, val, p, &c[k]);
				free(raw);
				count++;
				break;
			}
			if (id == FX_OCR_IMEI || id == FX_OCR_IMEI2) {
				int plus;
				char tmp[64];

				/* 15 digit-like characters that fail the check: a misread. */
				if (digits_of(raw, tmp, sizeof(tmp), 0, &plus) == 15)
					d->rejected_imeis++;
			}
			if (form_score(id, raw) > best_score) {
				best_score = form_score(id, raw);
				best_k = k;
			}
			free(raw);
		}
		/* None had the form: where it most likely is, for a second read. */
		if (!d->f[id].value && best_k >= 0 && !d->f[id].has_box)
			set_field(d, id, NULL, p, &c[best_k]);
		/*
		 * Nothing like a value read near the label (a faint value the page
		 * read missed): the places a value would be, under the label and
		 * beside it, for a second read.
		 */
		if (!d->f[id].value && !d->f[id].has_box)
			guess_places(p, &fl[i], &d->f[id]);
	}
	free(right);
	free(fl);
	free(is_label);
	return count;
}

/* ---- a page from plain text (tests) ---- */

void fx_ocr_page_from_text(struct fx_ocr_page *p, const char *text)
{
	const char *s = text, *e;
	int row = 0, col, x;
	char *line, *w, *save, *t;

	memset(p, 0, sizeof(*p));
	while (*s) {
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		line = fx_xmalloc((size_t)(e - s) + 1);
		memcpy(line, s, (size_t)(e - s));
		line[e - s] = '\0';
		/* Columns are tab-separated: each starts a line 500 pixels further right. */
		for (col = 0, t = line; t; col++) {
			char *tab = strchr(t, '\t');

			if (tab)
				*tab = '\0';
			x = 20 + 500 * col;
			ocr_page_add_line(p, x, 20 + 40 * row, 10, 30, "eng");
			for (w = strtok_r(t, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
				int wl = (int)strlen(w) * 15;

				ocr_page_add_word(p, w, 90, x, 20 + 40 * row, wl, 30);
				x += wl + 15;
			}
			p->lines[p->nlines - 1].w = x - 15 - p->lines[p->nlines - 1].x;
			t = tab ? tab + 1 : NULL;
		}
		free(line);
		row++;
		s = *e ? e + 1 : e;
	}
	p->width = p->work_w = 1000;
	p->height = p->work_h = 40 * row + 40;
	p->scale = 1.0;
	p->reduction = 1;
	ocr_page_finish(p);
}
