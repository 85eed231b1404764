/*
 * Walking the stored graph: the link records of a node are found through
 * the case's full-text index (a node key is a phrase of its tokens) and
 * checked exactly, so a walk reads only the edges it follows.
 */
#include <stdlib.h>
#include <string.h>

#include "link_int.h"
#include "fx_case.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_banned.h"

#define MAX_VISIT 100000 /* nodes a walk may reach before it stops */

static const char *const node_kinds[] = { "url", "domain", "ip", "email", "phone", "card",
					  "crypto", "account", "payqr", "device", "person",
					  NULL };

struct one {
	char key[FX_IND_MAX + 16];
	int n;
};

static int one_ind(const struct fx_ind *ind, void *ctx)
{
	struct one *o = ctx;

	if (o->n++ == 0)
		snprintf(o->key, sizeof(o->key), "%s:%s", fx_ind_name(ind->kind), ind->value);
	return 0;
}

char *fx_link_node_key(const char *s, const struct fx_link_opts *opts)
{
	struct one o = { "", 0 };
	const char *colon = strchr(s, ':'), *detail;
	char out[32];
	size_t i;

	for (i = 0; colon && node_kinds[i]; i++)
		if ((size_t)(colon - s) == strlen(node_kinds[i]) &&
		    strncmp(s, node_kinds[i], strlen(node_kinds[i])) == 0)
			return fx_xstrdup(s);
	if (strncmp(s, "imei:", 5) == 0 || strncmp(s, "serial:", 7) == 0 ||
	    strncmp(s, "gen:", 4) == 0)
		return fx_xasprintf("device:%s", s);
	if (fx_phone_norm(s, strlen(s), opts && opts->region ? opts->region : "CN", 1, out,
			  &detail) == 0)
		return fx_xasprintf("phone:%s", out);
	fx_link_extract(s, strlen(s), opts, one_ind, &o);
	if (o.n)
		return fx_xstrdup(o.key);
	return fx_xasprintf("person:%s", s);
}

/* ---- the edges of one node ---- */

struct edge {
	char *line;
	char *other;
	double score;
};

struct edges {
	const char *node;
	struct edge *v;
	size_t n, cap;
};

static double score_of(const char *line)
{
	const char *p = strstr(line, "\"score\":");

	return p ? strtod(p + 8, NULL) : 0;
}

static int edge_cb(const char *line, void *ctx)
{
	struct edges *e = ctx;
	json_t *rec = json_loads(line, JSON_ALLOW_NUL, NULL), *data;
	const char *a, *b, *other = NULL;

	data = json_object_get(rec, FX_KEY_DATA);
	a = json_string_value(json_object_get(data, "a"));
	b = json_string_value(json_object_get(data, "b"));
	if (a && b && strcmp(a, e->node) == 0)
		other = b;
	else if (a && b && strcmp(b, e->node) == 0)
		other = a;
	if (other) {
		if (e->n == e->cap) {
			e->cap = e->cap ? 2 * e->cap : 16;
			e->v = fx_xrealloc(e->v, e->cap * sizeof(*e->v));
		}
		e->v[e->n].line = fx_xstrdup(line);
		e->v[e->n].other = fx_xstrdup(other);
		e->v[e->n].score = score_of(line);
		e->n++;
	}
	json_decref(rec);
	return 0;
}

static int by_score(const void *x, const void *y)
{
	const struct edge *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return strcmp(a->line, b->line);
}

/* The live link records of node, best first. */
static int edges_of(struct fx_case *c, const char *node, struct edges *e)
{
	struct fx_case_query q = { 0 };
	struct fx_buf phrase = FX_BUF_INIT;
	const char *p;
	int rc;

	e->node = node;
	e->n = 0;
	fx_buf_add(&phrase, "\"", 1);
	for (p = node; *p; p++)
		fx_buf_add(&phrase, p, *p == '"' ? 0 : 1);
	fx_buf_add(&phrase, "\"", 1);
	q.type = "link";
	q.text = phrase.data;
	rc = fx_case_list(c, &q, edge_cb, e);
	fx_buf_release(&phrase);
	if (e->n)
		qsort(e->v, e->n, sizeof(*e->v), by_score);
	return rc ? -1 : 0;
}

static void edges_clear(struct edges *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->v[i].line);
		free(e->v[i].other);
	}
	e->n = 0;
}

/* ---- a set of strings: open addressing over FNV-1a ---- */

struct set {
	char **slot;
	size_t cap, n;
};

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Adds s; returns 1 when added, 0 when it was there. */
static int set_put(struct set *st, const char *s)
{
	size_t i;

	if (2 * (st->n + 1) > st->cap) {
		struct set bigger = { NULL, st->cap ? 2 * st->cap : 64, 0 };

		bigger.slot = fx_xcalloc(bigger.cap, sizeof(char *));
		for (i = 0; i < st->cap; i++)
			if (st->slot[i]) {
				size_t j = fnv(st->slot[i]) & (bigger.cap - 1);

				while (bigger.slot[j])
					j = (j + 1) & (bigger.cap - 1);
				bigger.slot[j] = st->slot[i];
				bigger.n++;
			}
		free(st->slot);
		*st = bigger;
	}
	for (i = fnv(s) & (st->cap - 1); st->slot[i]; i = (i + 1) & (st->cap - 1))
		if (strcmp(st->slot[i], s) == 0)
			return 0;
	st->slot[i] = fx_xstrdup(s);
	st->n++;
	return 1;
}

static void set_free(struct set *st)
{
	size_t i;

	for (i = 0; i < st->cap; i++)
		free(st->slot[i]);
	free(st->slot);
}

static int put_line(FILE *out, const char *line)
{
	if (fputs(line, out) == EOF || fputc('\n', out) == EOF)
		return fx_error_errno("cannot write records");
	return 0;
}

/* ---- around ---- */

long fx_link_around(struct fx_case *c, const char *node, int depth, unsigned long limit,
		    FILE *out)
{
	struct set seen = { 0 }, printed = { 0 };
	struct edges e = { 0 };
	char **front = NULL, **next = NULL;
	size_t nfront = 0, nnext = 0, cap = 0, i, j;
	long written = 0;
	int d;

	set_put(&seen, node);
	front = fx_xmalloc(sizeof(char *));
	front[nfront++] = fx_xstrdup(node);
	for (d = 0; d < depth && nfront && written >= 0; d++) {
		for (i = 0; i < nfront && written >= 0; i++) {
			if (edges_of(c, front[i], &e) < 0) {
				written = -1;
				break;
			}
			for (j = 0; j < e.n; j++) {
				if (limit && (unsigned long)written >= limit)
					break;
				if (!set_put(&printed, e.v[j].line))
					continue;
				if (put_line(out, e.v[j].line) < 0) {
					written = -1;
					break;
				}
				written++;
				if (seen.n < MAX_VISIT && set_put(&seen, e.v[j].other)) {
					if (nnext == cap) {
						cap = cap ? 2 * cap : 16;
						next = fx_xrealloc(next, cap * sizeof(char *));
					}
					next[nnext++] = fx_xstrdup(e.v[j].other);
				}
			}
			edges_clear(&e);
		}
		for (i = 0; i < nfront; i++)
			free(front[i]);
		free(front);
		front = next;
		nfront = nnext;
		next = NULL;
		nnext = cap = 0;
	}
	for (i = 0; i < nfront; i++)
		free(front[i]);
	free(front);
	edges_clear(&e);
	free(e.v);
	set_free(&seen);
	set_free(&printed);
	return written;
}

/* ---- path ---- */

struct visit {
	char *node;
	char *line;   /* the edge it was reached by */
	size_t from;  /* index of the node it was reached from */
};

int fx_link_path(struct fx_case *c, const char *a, const char *b, int max_depth, FILE *out)
{
	struct visit *v = fx_xmalloc(sizeof(*v));
	struct set seen = { 0 };
	struct edges e = { 0 };
	size_t n = 1, cap = 1, head = 0, level_end = 1, i, found = 0, *order;
	int d = 0, ret = 0, k;

	v[0].node = fx_xstrdup(a);
	v[0].line = NULL;
	v[0].from = 0;
	set_put(&seen, a);
	if (strcmp(a, b) == 0)
		found = 0, ret = 1;
	while (!ret && head < n && d < max_depth && n < MAX_VISIT) {
		if (edges_of(c, v[head].node, &e) < 0) {
			ret = -1;
			break;
		}
		for (i = 0; i < e.n && !ret; i++) {
			if (!set_put(&seen, e.v[i].other))
				continue;
			if (n == cap) {
				cap *= 2;
				v = fx_xrealloc(v, cap * sizeof(*v));
			}
			v[n].node = fx_xstrdup(e.v[i].other);
			v[n].line = fx_xstrdup(e.v[i].line);
			v[n].from = head;
			if (strcmp(e.v[i].other, b) == 0) {
				found = n;
				ret = 1;
			}
			n++;
		}
		edges_clear(&e);
		if (++head == level_end) {
			level_end = n;
			d++;
		}
	}
	if (ret == 1 && found) {
		/* Walk back from b, then print from a. */
		order = fx_xmalloc(sizeof(*order) * (size_t)(max_depth + 1));
		for (k = 0, i = found; i && k <= max_depth; i = v[i].from)
			order[k++] = i;
		while (k-- > 0)
			if (put_line(out, v[order[k]].line) < 0)
				ret = -1;
		free(order);
	}
	for (i = 0; i < n; i++) {
		free(v[i].node);
		free(v[i].line);
	}
	free(v);
	free(e.v);
	set_free(&seen);
	return ret;
}

/* ---- top ---- */

struct top {
	struct edge *v;
	size_t n, limit;
};

static int top_cb(const char *line, void *ctx)
{
	struct top *t = ctx;
	struct edge x = { NULL, NULL, score_of(line) };
	size_t i;

	x.line = (char *)line;
	if (t->n == t->limit && by_score(&x, &t->v[t->n - 1]) >= 0)
		return 0;
	if (t->n == t->limit)
		free(t->v[--t->n].line);
	for (i = t->n; i > 0 && by_score(&x, &t->v[i - 1]) < 0; i--)
		t->v[i] = t->v[i - 1];
	t->v[i].line = fx_xstrdup(line);
	t->v[i].other = NULL;
	t->v[i].score = x.score;
	t->n++;
	return 0;
}

int fx_link_top(struct fx_case *c, unsigned long limit, FILE *out)
{
	struct fx_case_query q = { 0 };
	struct top t = { NULL, 0, limit ? limit : 20 };
	size_t i;
	int ret;

	t.v = fx_xcalloc(t.limit, sizeof(*t.v));
	q.type = "link";
	ret = fx_case_list(c, &q, top_cb, &t);
	for (i = 0; i < t.n; i++) {
		if (!ret && put_line(out, t.v[i].line) < 0)
			ret = -1;
		free(t.v[i].line);
	}
	free(t.v);
	return ret ? -1 : 0;
}
