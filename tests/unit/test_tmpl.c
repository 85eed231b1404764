#include <stdlib.h>

#include "harness.h"
#include "fx_tmpl.h"

/* Renders tmpl with the JSON text data; returns a malloc'd string or NULL. */
static char *render(const char *tmpl, const char *data, fx_tmpl_loader load)
{
	struct fx_tmpl *t = fx_tmpl_parse(tmpl, strlen(tmpl), "test");
	struct fx_buf out = FX_BUF_INIT;
	json_t *d = json_loads(data, 0, NULL);
	int rc;

	if (!t || !d) {
		fx_tmpl_free(t);
		json_decref(d);
		return NULL;
	}
	rc = fx_tmpl_render(t, d, load, NULL, &out);
	fx_tmpl_free(t);
	json_decref(d);
	if (rc < 0) {
		fx_buf_release(&out);
		return NULL;
	}
	return out.data;
}

#define CHECK_RENDER(tmpl, data, want)                  \
	do {                                            \
		char *got_ = render(tmpl, data, loader); \
		CHECK_STR(got_, want);                  \
		free(got_);                             \
	} while (0)

static char *loader(const char *name, void *ctx)
{
	(void)ctx;
	if (strcmp(name, "row") == 0)
		return fx_xstrdup("<td>{{name}}</td>\n");
	if (strcmp(name, "self") == 0)
		return fx_xstrdup("x{{>self}}");
	if (strcmp(name, "bad") == 0)
		return fx_xstrdup("{{#open}}");
	return NULL;
}

FX_TEST(test_tmpl_variables_are_escaped)
{
	CHECK_RENDER("Hi {{name}}!", "{\"name\":\"<b>&\\\"'\"}",
		     "Hi &lt;b&gt;&amp;&quot;&#39;!");
	CHECK_RENDER("{{{name}}} {{& name}}", "{\"name\":\"<b>\"}", "<b> <b>");
	CHECK_RENDER("{{n}} {{r}} {{t}} {{f}} [{{none}}] [{{z}}]",
		     "{\"n\":42,\"r\":1.5,\"t\":true,\"f\":false,\"z\":null}",
		     "42 1.5 true false [] []");
	CHECK_RENDER("中文 {{名}}", "{\"名\":\"证据\"}", "中文 证据");
}

FX_TEST(test_tmpl_dotted_names_and_context)
{
	CHECK_RENDER("{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "deep");
	CHECK_RENDER("{{#l.0}}has {{l.1.v}}{{/l.0}}{{^e.0}} none{{/e.0}}",
		     "{\"l\":[{\"v\":1},{\"v\":2}],\"e\":[]}", "has 2 none");
	CHECK_RENDER("{{a.x.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "");
	/* A name not in the inner context is found outside it. */
	CHECK_RENDER("{{#inner}}{{outer}}-{{v}}{{/inner}}",
		     "{\"outer\":\"O\",\"inner\":{\"v\":\"I\"}}", "O-I");
	CHECK_RENDER("{{#list}}{{.}},{{/list}}", "{\"list\":[1,\"two\",3]}", "1,two,3,");
}

FX_TEST(test_tmpl_sections_and_inverted)
{
	const char *t = "{{#x}}yes{{/x}}{{^x}}no{{/x}}";

	CHECK_RENDER(t, "{\"x\":true}", "yes");
	CHECK_RENDER(t, "{\"x\":false}", "no");
	CHECK_RENDER(t, "{\"x\":null}", "no");
	CHECK_RENDER(t, "{}", "no");
	CHECK_RENDER(t, "{\"x\":[]}", "no");
	CHECK_RENDER(t, "{\"x\":\"\"}", "no");
	CHECK_RENDER(t, "{\"x\":0}", "no");
	CHECK_RENDER(t, "{\"x\":\"s\"}", "yes");
	CHECK_RENDER(t, "{\"x\":{}}", "yes");
	CHECK_RENDER("{{#x}}{{.}}{{/x}}", "{\"x\":\"s\"}", "s");
}

FX_TEST(test_tmpl_loops_with_index)
{
	CHECK_RENDER("{{#rows}}{{@index}}:{{n}}{{^@last}}, {{/@last}}{{/rows}}",
		     "{\"rows\":[{\"n\":\"a\"},{\"n\":\"b\"},{\"n\":\"c\"}]}", "1:a, 2:b, 3:c");
	CHECK_RENDER("{{#rows}}{{#@first}}[{{/@first}}{{.}}{{/rows}}]",
		     "{\"rows\":[1,2]}", "[12]");
	/* Nested loops: the inner index is the inner element's. */
	CHECK_RENDER("{{#a}}{{#b}}{{@index}}{{/b}};{{/a}}",
		     "{\"a\":[{\"b\":[0,0]},{\"b\":[0]}]}", "12;1;");
}

FX_TEST(test_tmpl_standalone_lines)
{
	CHECK_RENDER("<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n",
		     "{\"items\":[\"a\",\"b\"]}", "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	CHECK_RENDER("a\n{{! a comment }}\nb", "{}", "a\nb");
	/* Not standalone: text on the same line stays. */
	CHECK_RENDER("a {{#x}}b{{/x}} c\n", "{\"x\":true}", "a b c\n");
	CHECK_RENDER("a\r\n{{#x}}\r\nb\r\n{{/x}}\r\n", "{\"x\":true}", "a\r\nb\r\n");
}

FX_TEST(test_tmpl_partials)
{
	CHECK_RENDER("<tr>{{>row}}</tr>", "{\"name\":\"<x>\"}", "<tr><td>&lt;x&gt;</td>\n</tr>");
	CHECK_RENDER("<tr>\n  {{>row}}\n</tr>", "{\"name\":\"n\"}",
		     "<tr>\n  <td>n</td>\n</tr>");
	CHECK_RENDER("[{{>missing}}]", "{}", "[]");
	CHECK(render("{{>self}}", "{}", loader) == NULL);
	CHECK(render("{{>bad}}", "{}", loader) == NULL);
}

FX_TEST(test_tmpl_parse_errors)
{
	const char *bad[] = { "{{#a}}x", "{{/a}}", "{{#a}}{{/b}}", "{{name", "{{=<% %>=}}",
			      "{{}}", NULL };
	struct fx_tmpl *t;
	int i;

	for (i = 0; bad[i]; i++) {
		t = fx_tmpl_parse(bad[i], strlen(bad[i]), "bad");
		CHECK(t == NULL);
		fx_tmpl_free(t);
	}
}
