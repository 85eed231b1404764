/*
 * --expect: a run's output against a saved one, for labs that keep sample
 * databases with known deleted content in CI. Records are compared
 * without their id and src.path, so that a sample can move.
 */
#include <stdlib.h>
#include <string.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_banned.h"

#define SHOW 5 /* differences of each kind shown */

struct lines {
	char **s;
	size_t n, cap;
};

/* A line as compared: a record canonical without id and src.path, else as it is. */
static char *normal(const char *line, size_t len)
{
	json_t *v = json_loadb(line, len, JSON_ALLOW_NUL, NULL), *src;
	char *out;

	if (!json_is_object(v)) {
		json_decref(v);
		out = fx_xmalloc(len + 1);
		memcpy(out, line, len);
		out[len] = '\0';
		return out;
	}
	json_object_del(v, FX_KEY_ID);
	src = json_object_get(v, FX_KEY_SRC);
	if (json_is_object(src))
		json_object_del(src, FX_SRC_PATH);
	out = fx_json_dump(v);
	json_decref(v);
	return out ? out : fx_xstrdup(line);
}

static int read_lines(FILE *fp, const char *name, struct lines *l)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, fp)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 256;
			l->s = fx_xrealloc(l->s, l->cap * sizeof(*l->s));
		}
		l->s[l->n++] = normal(line, (size_t)n);
	}
	free(line);
	if (ferror(fp))
		return fx_error_errno("cannot read '%s'", name);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void release(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->s[i]);
	free(l->s);
}

int fx_carve_expect(FILE *got, const char *want_path)
{
	struct lines g = {NULL, 0, 0}, w = {NULL, 0, 0};
	FILE *fp = fopen(want_path, "r");
	size_t i = 0, j = 0, missing = 0, extra = 0;
	int c, ret = 0, order = 0;

	if (!fp)
		return fx_error_errno("cannot open '%s'", want_path);
	rewind(got);
	if (read_lines(fp, want_path, &w) < 0 || read_lines(got, "the output", &g) < 0) {
		fclose(fp);
		release(&g);
		release(&w);
		return -1;
	}
	fclose(fp);
	for (i = 0; i < g.n && i < w.n && !order; i++)
		order = strcmp(g.s[i], w.s[i]) != 0;
	qsort(g.s, g.n, sizeof(*g.s), cmp_str);
	qsort(w.s, w.n, sizeof(*w.s), cmp_str);
	for (i = 0, j = 0; i < w.n || j < g.n;) {
		c = i >= w.n ? 1 : j >= g.n ? -1 : strcmp(w.s[i], g.s[j]);
		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			if (missing++ < SHOW)
				fprintf(stderr, "%s: missing: %s\n", fx_progname(), w.s[i]);
			i++;
		} else {
			if (extra++ < SHOW)
				fprintf(stderr, "%s: unexpected: %s\n", fx_progname(), g.s[j]);
			j++;
		}
	}
	if (missing || extra) {
		fx_error("the output differs from '%s': %zu expected lines missing, %zu unexpected",
			 want_path, missing, extra);
		ret = 1;
	} else if (order || g.n != w.n) {
		fx_error("the output has the lines of '%s' in another order", want_path);
		ret = 1;
	}
	release(&g);
	release(&w);
	return ret;
}
