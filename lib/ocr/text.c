/*
 * Tesseract through its C API. A page is read once with the English
 * model, which is quick and reads digits, codes and addresses best; only
 * the words it reads with little confidence are read again with the
 * Chinese one, and kept when that finds Chinese with more confidence.
 * Tesseract's own "eng+chi_sim" tries the second model on every word it
 * is unsure of, serial numbers and MAC addresses too, for half as much
 * time again and no better result on these pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr_int.h"
#include "fx_buf.h"
#include "fx_err.h"
#include "fx_banned.h"

/* Below this, a word read by eng is read again by chi_sim. */
#define RETRY_CONF 80
/* Resolution told to tesseract: the images are scaled to its liking already. */
#define PPI 300

static TessBaseAPI *api_new(const char *lang, TessPageSegMode psm)
{
	TessBaseAPI *api = TessBaseAPICreate();

	if (!api)
		return NULL;
	/* Tesseract's chatter (tprintf) goes to debug_file: not to our stderr. */
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	if (TessBaseAPIInit2(api, NULL, lang, OEM_LSTM_ONLY) != 0) {
		TessBaseAPIDelete(api);
		return NULL;
	}
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	/* Dark mode is inverted before: tesseract's own try doubles the work on unsure lines. */
	TessBaseAPISetVariable(api, "tessedit_do_invert", "0");
	/*
	 * The page: Sauvola's local thresholds, as photos need. A word or a
	 * line: Otsu's, Sauvola's window (a third of an inch) being larger
	 * than the word.
	 */
	TessBaseAPISetVariable(api, "thresholding_method", psm == PSM_SPARSE_TEXT ? "2" : "0");
	TessBaseAPISetPageSegMode(api, psm);
	return api;
}

struct fx_ocr *fx_ocr_new(void)
{
	struct fx_ocr *o = fx_xcalloc(1, sizeof(*o));
	const char *miss = NULL;

	if (!(o->eng = api_new("eng", PSM_SPARSE_TEXT)))
		miss = "eng";
	else if (!(o->zh = api_new("chi_sim", PSM_SINGLE_LINE)))
		miss = "chi_sim";
	else if (!(o->line = api_new("eng", PSM_SINGLE_LINE)))
		miss = "eng";
	if (miss) {
		fx_error("cannot load tesseract's '%s' model: install tesseract-ocr-%s or set "
			 "TESSDATA_PREFIX",
			 miss, strcmp(miss, "eng") == 0 ? "eng" : "chi-sim");
		fx_ocr_free(o);
		return NULL;
	}
	return o;
}

void fx_ocr_free(struct fx_ocr *o)
{
	if (!o)
		return;
	if (o->eng) {
		TessBaseAPIEnd(o->eng);
		TessBaseAPIDelete(o->eng);
	}
	if (o->zh) {
		TessBaseAPIEnd(o->zh);
		TessBaseAPIDelete(o->zh);
	}
	if (o->line) {
		TessBaseAPIEnd(o->line);
		TessBaseAPIDelete(o->line);
	}
	if (o->zhpage) {
		TessBaseAPIEnd(o->zhpage);
		TessBaseAPIDelete(o->zhpage);
	}
	free(o);
}

int ocr_has_cjk(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;

	for (; *p; p++) {
		/* Three-byte UTF-8 sequences E4 80 80 .. E9 BF BF: U+4E00 to U+9FFF. */
		if (*p >= 0xe4 && *p <= 0xe9 && p[1] && p[2]) {
			cp = (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 |
			     (p[2] & 0x3f);
			if (cp >= 0x4e00 && cp <= 0x9fff)
				return 1;
		}
	}
	return 0;
}

size_t ocr_page_add_line(struct fx_ocr_page *p, int x, int y, int w, int h, const char *lang)
{
	struct fx_ocr_line *l;

	p->lines = fx_xrealloc(p->lines, sizeof(*p->lines) * (p->nlines + 1));
	l = &p->lines[p->nlines];
	memset(l, 0, sizeof(*l));
	l->x = x;
	l->y = y;
	l->w = w;
	l->h = h;
	l->word = p->nwords;
	l->lang = lang;
	return p->nlines++;
}

void ocr_page_add_word(struct fx_ocr_page *p, const char *text, int conf, int x, int y, int w,
		       int h)
{
	struct fx_ocr_word *wd;

	p->words = fx_xrealloc(p->words, sizeof(*p->words) * (p->nwords + 1));
	wd = &p->words[p->nwords++];
	wd->text = fx_xstrdup(text);
	wd->conf = conf < 0 ? 0 : conf > 100 ? 100 : conf;
	wd->x = x;
	wd->y = y;
	wd->w = w;
	wd->h = h;
	wd->line = p->nlines ? p->nlines - 1 : 0;
	if (p->nlines)
		p->lines[p->nlines - 1].nwords++;
}

void ocr_page_finish(struct fx_ocr_page *p)
{
	struct fx_buf b = FX_BUF_INIT;
	struct fx_ocr_line *l;
	size_t i, k;

	for (i = 0; i < p->nlines; i++) {
		l = &p->lines[i];
		b.len = 0;
		fx_buf_add(&b, "", 0);
		l->conf = l->nwords ? 100 : 0;
		for (k = 0; k < l->nwords; k++) {
			const struct fx_ocr_word *w = &p->words[l->word + k];

			if (k)
				fx_buf_add(&b, " ", 1);
			fx_buf_add(&b, w->text, strlen(w->text));
			if (w->conf < l->conf)
				l->conf = w->conf;
		}
		free(l->text);
		l->text = fx_xstrdup(b.data);
	}
	fx_buf_release(&b);
}

void fx_ocr_page_release(struct fx_ocr_page *p)
{
	size_t i;

	for (i = 0; i < p->nwords; i++)
		free(p->words[i].text);
	for (i = 0; i < p->nlines; i++)
		free(p->lines[i].text);
	free(p->words);
	free(p->lines);
	memset(p, 0, sizeof(*p));
}

/* Trims white space; returns 1 when anything is left. */
static int trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')
		i++;
	memmove(s, s + i, n - i + 1);
	return s[0] != '\0';
}

/*
 * Reads a word's box again with the Chinese model. Returns its text
 * (caller frees) and confidence, or NULL.
 */
static char *read_zh(struct fx_ocr *o, const struct ocr_image *im, int x, int y, int w, int h,
		     int *conf)
{
	char *t, *out;
	BOX *box;
	PIX *cut;

	/*
	 * The word cut out, not a rectangle of the page: tesseract then
	 * thresholds the word by itself, and reads it as the word it is (a
	 * rectangle of a dark page came out as 正本地直 for 蓝牙地址).
	 */
	box = boxCreate(x, y, w, h);
	cut = box ? pixClipRectangle(im->work, box, NULL) : NULL;
	boxDestroy(&box);
	if (!cut)
		return NULL;
	/* One word: read as a line, a short Chinese word is often taken for noise. */
	TessBaseAPISetPageSegMode(o->zh, PSM_SINGLE_WORD);
	TessBaseAPISetImage2(o->zh, cut);
	TessBaseAPISetSourceResolution(o->zh, PPI);
	t = TessBaseAPIRecognize(o->zh, NULL) == 0 ? TessBaseAPIGetUTF8Text(o->zh) : NULL;
	*conf = t ? TessBaseAPIMeanTextConf(o->zh) : 0;
	TessBaseAPIClear(o->zh);
	pixDestroy(&cut);
	if (!t)
		return NULL;
	out = fx_xstrdup(t);
	TessDeleteText(t);
	/* One line read as several by chance: keep it one word. */
	for (t = out; *t; t++)
		if (*t == '\n')
			*t = ' ';
	if (!trim(out)) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * The word's text rebuilt from its symbols, with O and 0 told apart by
 * their shape: in the sans-serif faces phones use, a zero is a narrow oval
 * (0.6 to 0.7 as wide as high, a little more when blurred) and the letter
 * O a round one (0.8 and more), which tesseract's models, trained mostly on words, do not
 * weigh: they read the zeros of NOH-AN00 as letters. A box wider than high
 * holds more than the symbol (a chevron, a speck): then its neighbours
 * decide, a digit beside it making it a zero. Other symbols as read.
 * Caller frees.
 */
#define MAX_SYMS 128

/*
 * The width over the height of the symbol's ink: the tallest connected
 * component of its binary image (an O or a 0 is one closed stroke). The
 * LSTM's own symbol boxes are estimates, too loose to measure by. -1 when
 * there is none as tall as half the box.
 */
static double ink_ratio(TessPageIterator *sp, int box_h)
{
	PIX *bin = TessPageIteratorGetBinaryImage(sp, RIL_SYMBOL);
	BOXA *boxa = bin ? pixConnCompBB(bin, 8) : NULL;
	int i, n = boxa ? boxaGetCount(boxa) : 0, x, y, w, h, top = 0, best_h = 0, best_w = 0;

	/* The tallest; of those about as tall, the widest: the box may take in a P beside an O. */
	for (i = 0; i < n; i++)
		if (boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h) == 0 && h > top)
			top = h;
	for (i = 0; i < n; i++)
		if (boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h) == 0 && h * 10 >= top * 9 &&
		    w > best_w) {
			best_w = w;
			best_h = h;
		}
	boxaDestroy(&boxa);
	pixDestroy(&bin);
	return best_h * 2 >= box_h && best_h > 0 ? (double)best_w / best_h : -1;
}
static char *word_text(TessResultIterator *ri, const char *fallback)
{
	TessResultIterator *si = TessResultIteratorCopy(ri);
	TessPageIterator *sp = TessResultIteratorGetPageIterator(si);
	struct fx_buf b = FX_BUF_INIT;
	char *sym[MAX_SYMS];
	double ratio[MAX_SYMS];
	int x1, y1, x2, y2, n = 0, i, round, digit_by, others = 0;
	double zero_below;

	do {
		sym[n] = TessResultIteratorGetUTF8Text(si, RIL_SYMBOL);
		if (!sym[n])
			break;
		ratio[n] = -1;
		if ((strcmp(sym[n], "O") == 0 || strcmp(sym[n], "0") == 0) &&
		    TessPageIteratorBoundingBox(sp, RIL_SYMBOL, &x1, &y1, &x2, &y2))
			ratio[n] = ink_ratio(sp, y2 - y1);
		n++;
		if (TessPageIteratorIsAtFinalElement(sp, RIL_WORD, RIL_SYMBOL))
			break;
	} while (n < MAX_SYMS && TessResultIteratorNext(si, RIL_SYMBOL));
	TessResultIteratorDelete(si);
	if (!n)
		return fx_xstrdup(fallback);
	fx_buf_add(&b, "", 0);
	/* Digits in the word, O and 0 aside: then an oval is more likely a zero. */
	for (i = 0; i < n; i++)
		others += sym[i][0] >= '1' && sym[i][0] <= '9' && !sym[i][1];
	for (i = 0; i < n; i++) {
		if (strcmp(sym[i], "O") == 0 || strcmp(sym[i], "0") == 0) {
			int pair = (i > 0 && ratio[i - 1] >= 0) || (i + 1 < n && ratio[i + 1] >= 0);

			digit_by = (i > 0 && sym[i - 1][0] >= '0' && sym[i - 1][0] <= '9' &&
				    !sym[i - 1][1]) ||
				   (i + 1 < n && sym[i + 1][0] >= '0' && sym[i + 1][0] <= '9' &&
				    !sym[i + 1][1]);
			zero_below = others || pair ? 0.755 : 0.70;
			round = ratio[i] < 0            ? -1
				: ratio[i] < zero_below ? 0
				: ratio[i] < 0.80       ? (others || pair ? -1 : 1)
				: ratio[i] <= 1.05      ? 1
							: -1;
			if (round == 0 || (round < 0 && digit_by))
				sym[i][0] = '0';
			else if (round == 1)
				sym[i][0] = 'O';
		}
		fx_buf_add(&b, sym[i], strlen(sym[i]));
	}
	/* Freed last: the neighbours of each are looked at. */
	for (i = 0; i < n; i++)
		TessDeleteText(sym[i]);
	return b.data;
}

/* A word as eng read it, before the second looks. */
struct raw_word {
	char *text;
	int conf, x, y, w, h, retry;
	size_t line;
};

/*
 * Chinese labels mix with Latin (WLAN MAC 地址, Android 版本), and eng
 * can read a Chinese word as a short Latin one with confidence (蓝牙 as
 * "He"). So in a line where Chinese was found, each other short word
 * without digits (values have them) is read again with chi_sim, and
 * replaced when that finds Chinese with more confidence.
 */
static void second_look(struct fx_ocr *o, const struct ocr_image *im, struct fx_ocr_page *page)
{
	size_t i, k;
	int zconf, pad, has;
	char *z;

	for (i = 0; i < page->nlines; i++) {
		struct fx_ocr_line *l = &page->lines[i];

		for (has = 0, k = 0; k < l->nwords; k++)
			has |= ocr_has_cjk(page->words[l->word + k].text);
		if (!has)
			continue;
		for (k = 0; k < l->nwords; k++) {
			struct fx_ocr_word *w = &page->words[l->word + k];

			if (ocr_has_cjk(w->text) || strlen(w->text) > 4 ||
			    strpbrk(w->text, "0123456789"))
				continue;
			pad = w->h / 2;
			z = read_zh(o, im, w->x - pad / 2 < 0 ? 0 : w->x - pad / 2,
				    w->y - pad < 0 ? 0 : w->y - pad, w->w + pad, w->h + 2 * pad,
				    &zconf);
			if (z && ocr_has_cjk(z) && zconf > w->conf - 10) {
				free(w->text);
				w->text = z;
				w->conf = zconf;
			} else {
				free(z);
			}
		}
	}
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The median height of the words eng read with confidence, or 0. */
static int median_height(const struct raw_word *rw, size_t n)
{
	int *h = fx_xmalloc(sizeof(*h) * (n + 1)), med = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (rw[i].conf >= RETRY_CONF)
			h[k++] = rw[i].h;
	if (k) {
		qsort(h, k, sizeof(*h), cmp_int);
		med = h[k / 2];
	}
	free(h);
	return med;
}

/*
 * Reads a run of words [a, b) of one line again with chi_sim, as one box
 * with room above and below (tesseract's boxes are tight, and a short
 * word without it is taken for noise) but little to the sides, where the
 * next word is. Returns the text when it is Chinese and surer than eng's.
 */
static char *retry_run(struct fx_ocr *o, const struct ocr_image *im, const struct raw_word *rw,
		       size_t a, size_t b, int typical_h, int *zconf)
{
	int x0 = rw[a].x, x1 = rw[a].x + rw[a].w, conf = rw[a].conf, padv, padh, y0, y1;
	size_t i, wide = a;
	char *z;

	/*
	 * Across: all the run. Up and down: its widest word's, for eng cuts
	 * unknown glyphs into pieces of odd heights (a label read as "HF" and,
	 * within it, "hb" and "ht" reaching into the next row).
	 */
	for (i = a + 1; i < b; i++) {
		x0 = rw[i].x < x0 ? rw[i].x : x0;
		x1 = rw[i].x + rw[i].w > x1 ? rw[i].x + rw[i].w : x1;
		conf = rw[i].conf < conf ? rw[i].conf : conf;
		if (rw[i].w > rw[wide].w)
			wide = i;
	}
	y0 = rw[wide].y;
	y1 = rw[wide].y + rw[wide].h;
	/* No taller than a line of the page's usual words: eng's box may take in the next row. */
	if (typical_h && y1 - y0 > typical_h * 13 / 10) {
		int c = (y0 + y1) / 2;

		y0 = c - typical_h * 13 / 20;
		y1 = c + typical_h * 13 / 20;
	}
	padv = (y1 - y0) / 2;
	padh = (y1 - y0) / 4;
	x0 = x0 - padh < 0 ? 0 : x0 - padh;
	y0 = y0 - padv < 0 ? 0 : y0 - padv;
	z = read_zh(o, im, x0, y0, x1 - x0 + padh, y1 - y0 + padv, zconf);
	if (z && (!ocr_has_cjk(z) || *zconf < conf)) {
		free(z);
		z = NULL;
	}
	return z;
}

int ocr_read(struct fx_ocr *o, const struct ocr_image *im, unsigned flags, struct fx_ocr_page *page,
	     const char **why)
{
	int zh_first = (flags & FX_OCR_CHINESE) != 0;
	TessBaseAPI *api = o->eng;
	TessResultIterator *ri;
	TessPageIterator *pi;
	struct raw_word *rw = NULL;
	int(*lines)[4] = NULL; /* the lines' boxes: a line goes to the page with its first word */
	size_t n = 0, cap = 0, nl = 0, i, j, k;
	int x1, y1, x2, y2, conf, zconf, first, typical_h;
	int lx[4];
	char *t, *z;

	if (zh_first) {
		if (!o->zhpage && !(o->zhpage = api_new("chi_sim", PSM_SPARSE_TEXT))) {
			*why = "tesseract's chi_sim model cannot be loaded";
			return -1;
		}
		api = o->zhpage;
	}
	TessBaseAPISetImage2(api, im->work);
	TessBaseAPISetSourceResolution(api, PPI);
	if (TessBaseAPIRecognize(api, NULL) != 0) {
		*why = "tesseract cannot read the image";
		TessBaseAPIClear(api);
		return -1;
	}
	ri = TessBaseAPIGetIterator(api);
	if (!ri) {
		/* No text at all. */
		TessBaseAPIClear(api);
		return 0;
	}
	pi = TessResultIteratorGetPageIterator(ri);
	do {
		first = TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE);
		if (first &&
		    TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &lx[0], &lx[1], &lx[2], &lx[3])) {
			lines = fx_xrealloc(lines, sizeof(*lines) * (nl + 1));
			memcpy(lines[nl++], lx, sizeof(lx));
		}
		if (!nl || !TessPageIteratorBoundingBox(pi, RIL_WORD, &x1, &y1, &x2, &y2))
			continue;
		t = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
		conf = (int)(TessResultIteratorConfidence(ri, RIL_WORD) + 0.5f);
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			rw = fx_xrealloc(rw, sizeof(*rw) * cap);
		}
		if (t && trim(t)) {
			rw[n].text = word_text(ri, t);
		} else {
			/* Nothing eng could name: Chinese, most likely. */
			rw[n].text = fx_xstrdup("");
			conf = 0;
		}
		if (t)
			TessDeleteText(t);
		rw[n].conf = conf;
		rw[n].x = x1;
		rw[n].y = y1;
		rw[n].w = x2 - x1;
		rw[n].h = y2 - y1;
		rw[n].line = nl - 1;
		/*
		 * Unsure words are read again with chi_sim; so is a line's first
		 * word when short and without digits: a Chinese label eng read as
		 * Latin with confidence (型号 as "HS").
		 */
		rw[n].retry = !zh_first && (conf < RETRY_CONF ||
					    (first && strlen(rw[n].text) <= 3 &&
					     !strpbrk(rw[n].text, "0123456789") && conf < 97));
		n++;
	} while (TessResultIteratorNext(ri, RIL_WORD));
	TessResultIteratorDelete(ri);
	TessBaseAPIClear(api);
	typical_h = median_height(rw, n);
	/* Line by line; each run of words to retry is read again as one. */
	for (i = 0; i < n; i = j) {
		size_t li = rw[i].line, line_at = page->nlines;
		int added = 0;

		for (j = i; j < n && rw[j].line == li; j++)
			;
		ocr_page_add_line(page, lines[li][0], lines[li][1], lines[li][2] - lines[li][0],
				  lines[li][3] - lines[li][1], zh_first ? "chi_sim" : "eng");
		for (k = i; k < j;) {
			size_t e = k;

			if (rw[k].retry) {
				for (e = k; e < j && rw[e].retry; e++)
					;
				z = retry_run(o, im, rw, k, e, typical_h, &zconf);
				if (z) {
					int bx = rw[k].x, by = rw[k].y,
					    bx1 = rw[e - 1].x + rw[e - 1].w;
					int by1 = rw[k].y + rw[k].h;
					size_t q;

					for (q = k; q < e; q++) {
						by = rw[q].y < by ? rw[q].y : by;
						by1 = rw[q].y + rw[q].h > by1 ? rw[q].y + rw[q].h
									      : by1;
					}
					ocr_page_add_word(page, z, zconf, bx, by, bx1 - bx,
							  by1 - by);
					page->lines[line_at].lang = "chi_sim";
					added++;
					free(z);
					k = e;
					continue;
				}
				e = k;
			}
			if (*rw[k].text) {
				ocr_page_add_word(page, rw[k].text, rw[k].conf, rw[k].x, rw[k].y,
						  rw[k].w, rw[k].h);
				added++;
			}
			k = e + 1;
		}
		if (!added)
			page->nlines--;
	}
	for (i = 0; i < n; i++)
		free(rw[i].text);
	free(rw);
	free(lines);
	if (!zh_first)
		second_look(o, im, page);
	ocr_page_finish(page);
	return 0;
}

char *ocr_read_line(struct fx_ocr *o, PIX *pix, int zh, const char *whitelist, int *conf)
{
	TessBaseAPI *api = zh ? o->zh : o->line;

	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	struct fx_buf b = FX_BUF_INIT;
	TessResultIterator *ri = NULL;
	char *t, *w;
	int c;

	*conf = 100;
	if (whitelist)
		TessBaseAPISetVariable(api, "tessedit_char_whitelist", whitelist);
	TessBaseAPISetImage2(api, pix);
	TessBaseAPISetSourceResolution(api, PPI);
	if (TessBaseAPIRecognize(api, NULL) == 0)
		ri = TessBaseAPIGetIterator(api);
	fx_buf_add(&b, "", 0);
	if (ri) {
		do {
			t = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
			if (!t)
				continue;
			if (trim(t)) {
				w = word_text(ri, t);
				if (b.len)
					fx_buf_add(&b, " ", 1);
				fx_buf_add(&b, w, strlen(w));
				free(w);
				c = (int)(TessResultIteratorConfidence(ri, RIL_WORD) + 0.5f);
				*conf = c < *conf ? c : *conf;
			}
			TessDeleteText(t);
		} while (TessResultIteratorNext(ri, RIL_WORD));
		TessResultIteratorDelete(ri);
	}
	TessBaseAPIClear(api);
	if (whitelist)
		TessBaseAPISetVariable(api, "tessedit_char_whitelist", "");
	if (!b.len) {
		fx_buf_release(&b);
		*conf = 0;
		return NULL;
	}
	return b.data;
}

int fx_ocr_read_image(struct fx_ocr *o, const void *img, size_t len, unsigned flags,
		      struct fx_ocr_page *page, const char **why)
{
	struct ocr_image im;
	l_int32 old;
	int ret;

	memset(page, 0, sizeof(*page));
	if (ocr_image_load(&im, img, len, why) < 0) {
		page->width = im.width;
		page->height = im.height;
		return -1;
	}
	ocr_page_geometry(page, &im);
	/* Tesseract calls leptonica, which would complain on stderr of small regions. */
	old = setMsgSeverity(L_SEVERITY_NONE);
	ret = ocr_read(o, &im, flags, page, why);
	setMsgSeverity(old);
	ocr_image_release(&im);
	return ret;
}
