/*
 * Record layouts from CREATE statements: the column names, declared
 * affinities and NOT NULL constraints of a table, which column aliases the
 * rowid, and the key columns of an index. Only what a carver needs: the
 * statement is tokenised, its column list read, and the rest skipped.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_banned.h"

enum tok_kind { T_END, T_ID, T_STR, T_NUM, T_PUNCT };

struct tok {
	int kind;
	const char *s; /* in the statement */
	size_t n;
	char *val; /* identifiers and strings unquoted (malloc'd) */
};

struct lexer {
	const char *p, *end;
	struct tok *t;
	size_t n, cap, i;
};

static char *unquote(const char *s, size_t n)
{
	char q = s[0], close = q == '[' ? ']' : q, *out = fx_xmalloc(n + 1), *o = out;
	size_t i;

	if (q != '"' && q != '\'' && q != '`' && q != '[') {
		memcpy(out, s, n);
		out[n] = '\0';
		return out;
	}
	for (i = 1; i + 1 < n; i++) {
		*o++ = s[i];
		if (s[i] == close && close != ']' && i + 2 < n && s[i + 1] == close)
			i++;
	}
	*o = '\0';
	return out;
}

static void push(struct lexer *lx, int kind, const char *s, size_t n)
{
	struct tok *t;

	if (lx->n == lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 64;
		lx->t = fx_xrealloc(lx->t, lx->cap * sizeof(*lx->t));
	}
	t = &lx->t[lx->n++];
	t->kind = kind;
	t->s = s;
	t->n = n;
	t->val = kind == T_ID || kind == T_STR ? unquote(s, n) : NULL;
}

static int is_idchar(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Tokenises sql; returns -1 for an unterminated quote or comment. */
static int lex(struct lexer *lx, const char *sql)
{
	const char *p = sql, *end = sql + strlen(sql), *q;
	char close;

	memset(lx, 0, sizeof(*lx));
	while (p < end) {
		unsigned char c = (unsigned char)*p;

		if (isspace(c)) {
			p++;
		} else if (c == '-' && p + 1 < end && p[1] == '-') {
			while (p < end && *p != '\n')
				p++;
		} else if (c == '/' && p + 1 < end && p[1] == '*') {
			q = strstr(p + 2, "*/");
			if (!q)
				return -1;
			p = q + 2;
		} else if (c == '"' || c == '\'' || c == '`' || c == '[') {
			close = c == '[' ? ']' : (char)c;
			for (q = p + 1;; q++) {
				if (q >= end)
					return -1;
				if (*q == close) {
					if (close != ']' && q + 1 < end && q[1] == close) {
						q++;
						continue;
					}
					break;
				}
			}
			push(lx, c == '\'' ? T_STR : T_ID, p, (size_t)(q + 1 - p));
			p = q + 1;
		} else if (isdigit(c) ||
			   (c == '.' && p + 1 < end && isdigit((unsigned char)p[1]))) {
			for (q = p; q < end && (isalnum((unsigned char)*q) || *q == '.'); q++)
				;
			push(lx, T_NUM, p, (size_t)(q - p));
			p = q;
		} else if (is_idchar(c)) {
			for (q = p; q < end && is_idchar((unsigned char)*q); q++)
				;
			push(lx, T_ID, p, (size_t)(q - p));
			p = q;
		} else {
			push(lx, T_PUNCT, p, 1);
			p++;
		}
	}
	push(lx, T_END, end, 0);
	return 0;
}

static void lex_free(struct lexer *lx)
{
	size_t i;

	for (i = 0; i < lx->n; i++)
		free(lx->t[i].val);
	free(lx->t);
}

static const struct tok *peek(struct lexer *lx)
{
	return &lx->t[lx->i];
}

static const struct tok *next(struct lexer *lx)
{
	const struct tok *t = &lx->t[lx->i];

	if (t->kind != T_END)
		lx->i++;
	return t;
}

/* An unquoted keyword (a quoted word is a name, never a keyword). */
static int kw(const struct tok *t, const char *word)
{
	return t->kind == T_ID && t->s[0] != '"' && t->s[0] != '[' && t->s[0] != '`' &&
	       strlen(word) == t->n && strncasecmp(t->s, word, t->n) == 0;
}

static int punct(const struct tok *t, char c)
{
	return t->kind == T_PUNCT && t->s[0] == c;
}

static int accept_kw(struct lexer *lx, const char *word)
{
	if (kw(peek(lx), word)) {
		next(lx);
		return 1;
	}
	return 0;
}

/* Skips a balanced parenthesised group whose "(" is the next token. */
static void skip_group(struct lexer *lx)
{
	int depth = 0;
	const struct tok *t;

	do {
		t = next(lx);
		if (punct(t, '('))
			depth++;
		else if (punct(t, ')'))
			depth--;
	} while (depth > 0 && t->kind != T_END);
}

int cv_affinity(const char *type, size_t n)
{
	char *up = fx_xmalloc(n + 1);
	size_t i;
	int aff;

	for (i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)type[i]);
	up[n] = '\0';
	/* SQLite's rules, in its order (the "Determination Of Column Affinity"). */
	if (strstr(up, "INT"))
		aff = CV_AFF_INTEGER;
	else if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
		aff = CV_AFF_TEXT;
	else if (n == 0 || strstr(up, "BLOB"))
		aff = CV_AFF_BLOB;
	else if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
		aff = CV_AFF_REAL;
	else
		aff = CV_AFF_NUMERIC;
	free(up);
	return aff;
}

/* A column while parsing. */
struct pcol {
	char *name;
	char *type; /* declared type as written, spaces collapsed */
	int aff, notnull, pk, pk_desc, virt;
};

/* A PRIMARY KEY or UNIQUE constraint: table column numbers. */
struct pcons {
	int pk;
	int n;
	int *c;
};

struct ptable {
	struct pcol *col;
	int ncol, capcol;
	struct pcons *cons;
	int ncons, capcons;
	int without_rowid;
};

static void ptable_free(struct ptable *pt)
{
	int i;

	for (i = 0; i < pt->ncol; i++) {
		free(pt->col[i].name);
		free(pt->col[i].type);
	}
	for (i = 0; i < pt->ncons; i++)
		free(pt->cons[i].c);
	free(pt->col);
	free(pt->cons);
}

static int col_index(const struct ptable *pt, const char *name)
{
	int i;

	for (i = 0; i < pt->ncol; i++)
		if (strcasecmp(pt->col[i].name, name) == 0)
			return i;
	return -1;
}

static void add_cons(struct ptable *pt, int pk, int *c, int n)
{
	if (pt->ncons == pt->capcons) {
		pt->capcons = pt->capcons ? pt->capcons * 2 : 4;
		pt->cons = fx_xrealloc(pt->cons, (size_t)pt->capcons * sizeof(*pt->cons));
	}
	pt->cons[pt->ncons].pk = pk;
	pt->cons[pt->ncons].c = c;
	pt->cons[pt->ncons].n = n;
	pt->ncons++;
}

/* "( name [COLLATE x] [ASC|DESC], ... )": table column numbers, or NULL. */
static int *column_list(struct lexer *lx, const struct ptable *pt, int *n, int *desc)
{
	int *c = NULL, k = 0, i;
	const struct tok *t;

	if (!punct(next(lx), '('))
		return NULL;
	for (;;) {
		t = next(lx);
		if (t->kind != T_ID && t->kind != T_STR) {
			free(c);
			return NULL;
		}
		i = col_index(pt, t->val);
		c = fx_xrealloc(c, (size_t)(k + 1) * sizeof(*c));
		c[k++] = i;
		while (!punct(peek(lx), ',') && !punct(peek(lx), ')') && peek(lx)->kind != T_END) {
			if (kw(peek(lx), "DESC") && desc)
				*desc = 1;
			if (punct(peek(lx), '('))
				skip_group(lx);
			else
				next(lx);
		}
		t = next(lx);
		if (punct(t, ')'))
			break;
		if (!punct(t, ',')) {
			free(c);
			return NULL;
		}
	}
	*n = k;
	return c;
}

static int is_constraint_start(const struct tok *t)
{
	static const char *const words[] = {"CONSTRAINT", "PRIMARY",   "NOT",     "NULL",
					    "UNIQUE",     "CHECK",     "DEFAULT", "COLLATE",
					    "REFERENCES", "GENERATED", "AS",      NULL};
	int i;

	for (i = 0; words[i]; i++)
		if (kw(t, words[i]))
			return 1;
	return 0;
}

static int table_constraint(struct lexer *lx, struct ptable *pt)
{
	int *c, n = 0, desc = 0;

	if (accept_kw(lx, "CONSTRAINT"))
		next(lx);
	if (accept_kw(lx, "PRIMARY")) {
		if (!accept_kw(lx, "KEY"))
			return -1;
		c = column_list(lx, pt, &n, &desc);
		if (!c)
			return -1;
		add_cons(pt, 1, c, n);
		if (n == 1 && c[0] >= 0)
			pt->col[c[0]].pk = 1;
	} else if (accept_kw(lx, "UNIQUE")) {
		c = column_list(lx, pt, &n, NULL);
		if (!c)
			return -1;
		add_cons(pt, 0, c, n);
	}
	/* CHECK, FOREIGN KEY and the rest of this one: skipped. */
	while (!punct(peek(lx), ',') && !punct(peek(lx), ')') && peek(lx)->kind != T_END) {
		if (punct(peek(lx), '('))
			skip_group(lx);
		else
			next(lx);
	}
	return 0;
}

static int column_def(struct lexer *lx, struct ptable *pt)
{
	const struct tok *t = next(lx);
	struct pcol *c;
	size_t tl = 0;
	int *one;

	if (t->kind != T_ID && t->kind != T_STR)
		return -1;
	if (pt->ncol == pt->capcol) {
		pt->capcol = pt->capcol ? pt->capcol * 2 : 16;
		pt->col = fx_xrealloc(pt->col, (size_t)pt->capcol * sizeof(*pt->col));
	}
	c = &pt->col[pt->ncol++];
	memset(c, 0, sizeof(*c));
	c->name = fx_xstrdup(t->val);
	c->type = fx_xstrdup("");
	/* The type: names and parenthesised sizes up to the first constraint. */
	while (!is_constraint_start(peek(lx)) && !punct(peek(lx), ',') && !punct(peek(lx), ')') &&
	       peek(lx)->kind != T_END) {
		if (punct(peek(lx), '(')) {
			skip_group(lx);
			continue;
		}
		t = next(lx);
		c->type = fx_xrealloc(c->type, tl + t->n + 2);
		if (tl)
			c->type[tl++] = ' ';
		memcpy(c->type + tl, t->kind == T_ID ? t->val : t->s,
		       t->kind == T_ID ? strlen(t->val) : t->n);
		tl += t->kind == T_ID ? strlen(t->val) : t->n;
		c->type[tl] = '\0';
	}
	c->aff = cv_affinity(c->type, tl);
	while (!punct(peek(lx), ',') && !punct(peek(lx), ')') && peek(lx)->kind != T_END) {
		t = next(lx);
		if (kw(t, "PRIMARY") && accept_kw(lx, "KEY")) {
			c->pk = 1;
			if (kw(peek(lx), "DESC"))
				c->pk_desc = 1;
			one = fx_xmalloc(sizeof(*one));
			one[0] = pt->ncol - 1;
			add_cons(pt, 1, one, 1);
		} else if (kw(t, "NOT") && accept_kw(lx, "NULL")) {
			c->notnull = 1;
		} else if (kw(t, "UNIQUE")) {
			one = fx_xmalloc(sizeof(*one));
			one[0] = pt->ncol - 1;
			add_cons(pt, 0, one, 1);
		} else if (kw(t, "AS")) {
			/* A generated column: only STORED ones are in the record. */
			if (punct(peek(lx), '('))
				skip_group(lx);
			c->virt = !accept_kw(lx, "STORED");
		} else if (punct(t, '(')) {
			lx->i--;
			skip_group(lx);
		}
	}
	return 0;
}

static struct cv_schema *schema_new(const char *name, const char *tbl, const char *sql,
				    uint32_t root, int kind, int n)
{
	struct cv_schema *s = fx_xcalloc(1, sizeof(*s));

	s->name = fx_xstrdup(name);
	s->table = fx_xstrdup(tbl);
	s->sql = fx_xstrdup(sql ? sql : "");
	s->root = root;
	s->kind = kind;
	s->nrec = n;
	s->col = fx_xcalloc((size_t)n + 1, sizeof(*s->col));
	s->aff = fx_xcalloc((size_t)n + 1, 1);
	s->notnull = fx_xcalloc((size_t)n + 1, 1);
	s->tcol = fx_xcalloc((size_t)n + 1, sizeof(*s->tcol));
	s->ipk = -1;
	s->min_live = 1 << 30; /* lowered by the live walk */
	return s;
}

void cv_schema_free(struct cv_schema *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->nrec; i++)
		free(s->col[i]);
	free(s->col);
	free(s->aff);
	free(s->notnull);
	free(s->tcol);
	free(s->name);
	free(s->table);
	free(s->sql);
	free(s);
}

/* The declared type is exactly INTEGER: what makes an rowid alias. */
static int is_integer_type(const char *type)
{
	return strcasecmp(type, "INTEGER") == 0;
}

static struct cv_schema *table_from(struct ptable *pt, const char *name, const char *sql,
				    uint32_t root)
{
	struct cv_schema *s;
	int i, k = 0, n = 0, j, *pk = NULL, npk = 0, ipk = -1;

	for (i = 0; i < pt->ncons; i++)
		if (pt->cons[i].pk) {
			pk = pt->cons[i].c;
			npk = pt->cons[i].n;
			break;
		}
	for (i = 0; i < pt->ncol; i++)
		n += !pt->col[i].virt;
	if (!pt->without_rowid && npk == 1 && pk[0] >= 0 && is_integer_type(pt->col[pk[0]].type) &&
	    !(pt->col[pk[0]].pk_desc))
		ipk = pk[0];
	s = schema_new(name, name, sql, root, pt->without_rowid ? CV_K_WITHOUT_ROWID : CV_K_TABLE,
		       n);
	if (pt->without_rowid) {
		/* The key first: the primary key's columns, then the others. */
		for (j = 0; j < npk; j++)
			if (pk[j] >= 0 && !pt->col[pk[j]].virt) {
				s->col[k] = fx_xstrdup(pt->col[pk[j]].name);
				s->aff[k] = (uint8_t)pt->col[pk[j]].aff;
				s->notnull[k] = 1;
				s->tcol[k++] = pk[j];
			}
		s->npk = k;
		for (i = 0; i < pt->ncol && k < n; i++) {
			for (j = 0; j < npk; j++)
				if (pk[j] == i)
					break;
			if (j < npk || pt->col[i].virt)
				continue;
			s->col[k] = fx_xstrdup(pt->col[i].name);
			s->aff[k] = (uint8_t)pt->col[i].aff;
			s->notnull[k] = (uint8_t)pt->col[i].notnull;
			s->tcol[k++] = i;
		}
		s->nrec = k;
		return s;
	}
	for (i = 0; i < pt->ncol; i++) {
		if (pt->col[i].virt)
			continue;
		if (i == ipk)
			s->ipk = k;
		s->col[k] = fx_xstrdup(pt->col[i].name);
		s->aff[k] = (uint8_t)pt->col[i].aff;
		s->notnull[k] = (uint8_t)(pt->col[i].notnull && i != ipk);
		s->tcol[k++] = i;
	}
	return s;
}

static int parse_table(struct lexer *lx, struct ptable *pt)
{
	const struct tok *t;

	if (!punct(next(lx), '('))
		return -1;
	for (;;) {
		t = peek(lx);
		if (kw(t, "CONSTRAINT") || kw(t, "PRIMARY") || kw(t, "UNIQUE") || kw(t, "CHECK") ||
		    kw(t, "FOREIGN")) {
			if (table_constraint(lx, pt) < 0)
				return -1;
		} else if (column_def(lx, pt) < 0) {
			return -1;
		}
		t = next(lx);
		if (punct(t, ')'))
			break;
		if (!punct(t, ','))
			return -1;
	}
	/* Table options: WITHOUT ROWID, STRICT. */
	while (peek(lx)->kind != T_END) {
		t = next(lx);
		if (kw(t, "WITHOUT") && accept_kw(lx, "ROWID"))
			pt->without_rowid = 1;
	}
	return pt->ncol > 0 ? 0 : -1;
}

/* CREATE [TEMP] TABLE|INDEX [IF NOT EXISTS] [schema.]name: leaves lx after the name. */
static int create_head(struct lexer *lx, const char **what, int *unique)
{
	if (!accept_kw(lx, "CREATE"))
		return -1;
	if (!accept_kw(lx, "TEMP"))
		accept_kw(lx, "TEMPORARY");
	*unique = accept_kw(lx, "UNIQUE");
	if (accept_kw(lx, "TABLE"))
		*what = "table";
	else if (accept_kw(lx, "INDEX"))
		*what = "index";
	else
		return -1; /* views, triggers, virtual tables: no b-tree of their own */
	if (accept_kw(lx, "IF")) {
		if (!accept_kw(lx, "NOT") || !accept_kw(lx, "EXISTS"))
			return -1;
	}
	if (peek(lx)->kind != T_ID && peek(lx)->kind != T_STR)
		return -1;
	next(lx);
	if (punct(peek(lx), '.')) {
		next(lx);
		next(lx);
	}
	return 0;
}

/* The record columns after an index's key: the rowid, or a WITHOUT ROWID table's key. */
static struct cv_schema *index_of(const struct cv_schema *t, const char *name, const char *tbl,
				  const char *sql, uint32_t root, int nkey, const int *key,
				  char **keyname)
{
	struct cv_schema *s;
	int i, j, k = 0, n = nkey, npk = 0;

	if (t && t->kind == CV_K_WITHOUT_ROWID) {
		/* The key columns of the table (those first in its records) not already in. */
		npk = t->npk;
		for (i = 0; i < npk; i++) {
			for (j = 0; j < nkey; j++)
				if (key[j] == i)
					break;
			n += j == nkey;
		}
	} else {
		n++;
	}
	s = schema_new(name, tbl, sql, root, CV_K_INDEX, n);
	for (j = 0; j < nkey; j++) {
		if (t && key[j] >= 0 && key[j] < t->nrec) {
			s->col[k] = fx_xstrdup(t->col[key[j]]);
			s->aff[k] = t->aff[key[j]];
		} else {
			s->col[k] = fx_xstrdup(keyname && keyname[j] ? keyname[j] : "expr");
			s->aff[k] = CV_AFF_BLOB;
		}
		s->tcol[k++] = key[j];
	}
	if (t && t->kind == CV_K_WITHOUT_ROWID) {
		for (i = 0; i < npk; i++) {
			for (j = 0; j < nkey; j++)
				if (key[j] == i)
					break;
			if (j < nkey)
				continue;
			s->col[k] = fx_xstrdup(t->col[i]);
			s->aff[k] = t->aff[i];
			s->notnull[k] = 1;
			s->tcol[k++] = i;
		}
	} else {
		s->col[k] = fx_xstrdup("rowid");
		s->aff[k] = CV_AFF_INTEGER;
		s->notnull[k] = 1;
		s->tcol[k++] = -1;
	}
	s->nrec = k;
	return s;
}

/* A table column's record position in t, by name; -1 when none. */
static int rec_col(const struct cv_schema *t, const char *name)
{
	int i;

	if (!t)
		return -1;
	for (i = 0; i < t->nrec; i++)
		if (strcasecmp(t->col[i], name) == 0)
			return i;
	return -1;
}

static struct cv_schema *parse_index(struct lexer *lx, const char *name, const char *tbl,
				     const char *sql, uint32_t root, const struct cv_schema *t)
{
	struct cv_schema *s;
	const struct tok *tk;
	int *key = NULL, nkey = 0, depth, start, i;
	char **names = NULL;

	if (!accept_kw(lx, "ON"))
		return NULL;
	next(lx);
	if (!punct(next(lx), '('))
		return NULL;
	for (;;) {
		/* One indexed column: a name, or an expression (up to ",", ")" at depth 0). */
		start = (int)lx->i;
		depth = 0;
		while (peek(lx)->kind != T_END) {
			tk = peek(lx);
			if (depth == 0 && (punct(tk, ',') || punct(tk, ')')))
				break;
			if (punct(tk, '('))
				depth++;
			if (punct(tk, ')'))
				depth--;
			next(lx);
		}
		key = fx_xrealloc(key, (size_t)(nkey + 1) * sizeof(*key));
		names = fx_xrealloc(names, (size_t)(nkey + 1) * sizeof(*names));
		tk = &lx->t[start];
		names[nkey] = NULL;
		key[nkey] = -1;
		/* "name", "name COLLATE x", "name ASC|DESC" are the column itself. */
		if ((tk->kind == T_ID || tk->kind == T_STR) &&
		    ((int)lx->i == start + 1 || kw(&lx->t[start + 1], "COLLATE") ||
		     kw(&lx->t[start + 1], "ASC") || kw(&lx->t[start + 1], "DESC"))) {
			key[nkey] = rec_col(t, tk->val);
			names[nkey] = fx_xstrdup(tk->val);
		}
		nkey++;
		tk = next(lx);
		if (punct(tk, ')'))
			break;
		if (!punct(tk, ',') || nkey > CV_MAX_COLS) {
			for (i = 0; i < nkey; i++)
				free(names[i]);
			free(names);
			free(key);
			return NULL;
		}
	}
	s = index_of(t, name, tbl, sql, root, nkey, key, names);
	for (i = 0; i < nkey; i++)
		free(names[i]);
	free(names);
	free(key);
	return s;
}

struct cv_schema *cv_schema_parse(const char *sql, const char *name, const char *tbl, uint32_t root,
				  const struct cv_schema *t)
{
	struct lexer lx;
	struct ptable pt;
	struct cv_schema *s = NULL;
	const char *what = NULL;
	int unique;

	if (!sql || lex(&lx, sql) < 0) {
		if (sql)
			lex_free(&lx);
		return NULL;
	}
	memset(&pt, 0, sizeof(pt));
	if (create_head(&lx, &what, &unique) == 0) {
		if (strcmp(what, "table") == 0) {
			if (!kw(peek(&lx), "AS") && parse_table(&lx, &pt) == 0)
				s = table_from(&pt, name, sql, root);
		} else {
			s = parse_index(&lx, name, tbl, sql, root, t);
		}
	}
	ptable_free(&pt);
	lex_free(&lx);
	return s;
}

/*
 * sqlite_autoindex_T_N is the N-th PRIMARY KEY or UNIQUE constraint of T
 * that needed an index of its own, in the order the statement gives them:
 * a rowid alias and a WITHOUT ROWID table's key need none.
 */
struct cv_schema *cv_schema_autoindex(const struct cv_schema *t, const char *name, uint32_t root)
{
	struct lexer lx;
	struct ptable pt;
	struct cv_schema *s = NULL;
	const char *what, *us;
	int unique, want, i, j, k, seen = 0, *key;

	us = strrchr(name, '_');
	if (!t || !us || !us[1])
		return NULL;
	want = atoi(us + 1);
	if (want < 1 || lex(&lx, t->sql) < 0)
		return NULL;
	memset(&pt, 0, sizeof(pt));
	if (create_head(&lx, &what, &unique) == 0 && strcmp(what, "table") == 0 &&
	    parse_table(&lx, &pt) == 0) {
		for (i = 0; i < pt.ncons && !s; i++) {
			const struct pcons *c = &pt.cons[i];

			if (c->pk && (t->kind == CV_K_WITHOUT_ROWID ||
				      (c->n == 1 && c->c[0] >= 0 && t->ipk >= 0 &&
				       t->tcol[t->ipk] == c->c[0])))
				continue;
			if (++seen != want)
				continue;
			key = fx_xmalloc((size_t)c->n * sizeof(*key));
			for (j = 0; j < c->n; j++) {
				key[j] = -1;
				for (k = 0; k < t->nrec; k++)
					if (t->tcol[k] == c->c[j])
						key[j] = k;
			}
			s = index_of(t, name, t->name, NULL, root, c->n, key, NULL);
			free(key);
		}
	}
	ptable_free(&pt);
	lex_free(&lx);
	return s;
}

struct cv_schema *cv_schema_master(void)
{
	static const char *const names[] = {"type", "name", "tbl_name", "rootpage", "sql"};
	struct cv_schema *s = schema_new("sqlite_master", "sqlite_master",
					 "CREATE TABLE sqlite_master(type text, name text, "
					 "tbl_name text, rootpage int, sql text)",
					 1, CV_K_TABLE, 5);
	int i;

	for (i = 0; i < 5; i++) {
		s->col[i] = fx_xstrdup(names[i]);
		s->aff[i] = i == 3 ? CV_AFF_INTEGER : CV_AFF_TEXT;
		s->notnull[i] = i < 4; /* SQLite always writes type, names and root page */
		s->tcol[i] = i;
	}
	s->live = 1;
	s->master = 1;
	return s;
}
