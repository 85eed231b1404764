/*
 * fx_tmpl.h - the report template language: Mustache over JSON (jansson
 * values), so that users add and change forms without recompiling.
 *
 *   {{name}}          the value, HTML-escaped (& < > " ' become entities)
 *   {{{name}}}        the value as it is; {{& name}} likewise
 *   {{a.b.c}}         a dotted name: a is looked up from the innermost
 *                     context outwards, then b and c inside it
 *   {{list.0}}        an array element by its position, from 0 ({{#list.0}}
 *                     is the usual test for a list that is not empty)
 *   {{.}}             the current context
 *   {{#name}}…{{/name}}  a section: skipped when the value is false, null,
 *                     0, "" or an empty array; repeated for each element of
 *                     an array (each pushed as the context); rendered once
 *                     with an object, string or number pushed; once for true
 *   {{^name}}…{{/name}}  an inverted section: rendered only when the
 *                     section would be skipped
 *   {{> name}}        a partial: another template, loaded by name through
 *                     the caller's loader, rendered in the current context
 *                     and indented like a standalone tag
 *   {{! text}}        a comment
 *   {{@index}}        inside an array section: the element's number from 1;
 *                     {{#@first}} and {{#@last}} are true on the first and
 *                     the last element
 *
 * A section, inverted section, closing tag, comment or partial alone on its
 * line (but for white space) takes the whole line with it, as the Mustache
 * specification says. Changing the delimiters ({{=<% %>=}}) is not
 * supported: such a tag is an error.
 */
#ifndef FX_TMPL_H
#define FX_TMPL_H

#include <stddef.h>

#include <jansson.h>

#include "fx_buf.h"

struct fx_tmpl;

/*
 * Parses a template. name is used in messages ("case.en.html:12: …").
 * Returns a new template (caller fx_tmpl_free()s) or NULL after
 * reporting the first problem with its line.
 */
struct fx_tmpl *fx_tmpl_parse(const char *text, size_t len, const char *name);
void fx_tmpl_free(struct fx_tmpl *t);

/*
 * Loads the text of the partial called name: a malloc'd NUL-terminated
 * string (caller frees) or NULL when there is none (the partial then
 * renders as nothing, as the specification says).
 */
typedef char *(*fx_tmpl_loader)(const char *name, void *ctx);

/*
 * Renders t with data (borrowed) as the outermost context, appending to
 * out. load (may be NULL) finds partials. Returns 0, or -1 after reporting
 * a partial that does not parse or partials nested too deep.
 */
int fx_tmpl_render(const struct fx_tmpl *t, const json_t *data, fx_tmpl_loader load,
		   void *ctx, struct fx_buf *out);

/* Appends s (n bytes) HTML-escaped to out. */
void fx_tmpl_escape(struct fx_buf *out, const char *s, size_t n);

/*
 * A template file under dir: reads and parses dir/name. Returns NULL after
 * reporting (a missing file or a parse error).
 */
struct fx_tmpl *fx_tmpl_load(const char *dir, const char *name);

#endif
