/*
 * kml.c - the positions in a case as KML 2.2, for mapping tools: one
 * Placemark per record with data.latitude and data.longitude, named by
 * its type and time, with the record id and source in its description.
 */
#include <stdlib.h>
#include <string.h>

#include "fx_err.h"
#include "fx_record.h"
#include "fx_report.h"
#include "fx_tmpl.h"
#include "fx_banned.h"

struct kml {
	FILE *out;
	unsigned long n;
	struct fx_buf b;
};

static void esc(struct kml *k, const char *s)
{
	if (s)
		fx_tmpl_escape(&k->b, s, strlen(s));
}

static void add(struct kml *k, const char *s)
{
	fx_buf_add(&k->b, s, strlen(s));
}

static int placemark(const char *line, void *ctx)
{
	struct kml *k = ctx;
	json_t *rec, *data, *lat, *lon, *alt;
	const char *path;
	char num[128];

	/* Most records have no position: skip them before parsing. */
	if (!strstr(line, "\"latitude\""))
		return 0;
	rec = json_loads(line, JSON_ALLOW_NUL, NULL);
	data = json_object_get(rec, FX_KEY_DATA);
	lat = json_object_get(data, "latitude");
	lon = json_object_get(data, "longitude");
	alt = json_object_get(data, "altitude");
	if (json_is_number(lat) && json_is_number(lon)) {
		k->b.len = 0;
		add(k, "<Placemark><name>");
		esc(k, json_string_value(json_object_get(rec, FX_KEY_TYPE)));
		add(k, " ");
		esc(k, json_string_value(json_object_get(rec, FX_KEY_TIME)));
		add(k, "</name>");
		if (json_string_value(json_object_get(rec, FX_KEY_TIME))) {
			add(k, "<TimeStamp><when>");
			esc(k, json_string_value(json_object_get(rec, FX_KEY_TIME)));
			add(k, "</when></TimeStamp>");
		}
		add(k, "<description>record ");
		esc(k, json_string_value(json_object_get(rec, FX_KEY_ID)));
		path = json_string_value(json_object_get(json_object_get(rec, FX_KEY_SRC), "path"));
		if (path) {
			add(k, " from ");
			esc(k, path);
		}
		add(k, "</description><Point><coordinates>");
		snprintf(num, sizeof(num), "%.7f,%.7f", json_number_value(lon), json_number_value(lat));
		add(k, num);
		if (json_is_number(alt)) {
			snprintf(num, sizeof(num), ",%.1f", json_number_value(alt));
			add(k, num);
		}
		add(k, "</coordinates></Point></Placemark>\n");
		fwrite(k->b.data, 1, k->b.len, k->out);
		k->n++;
	}
	json_decref(rec);
	return 0;
}

int fx_report_kml(struct fx_case *c, FILE *out, unsigned long *n)
{
	struct fx_case_query q;
	struct kml k = { out, 0, FX_BUF_INIT };
	int ret;

	memset(&q, 0, sizeof(q));
	q.by_time = 1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>", out);
	k.b.len = 0;
	esc(&k, fx_case_id(c));
	fwrite(k.b.data, 1, k.b.len, out);
	fputs("</name>\n", out);
	ret = fx_case_list(c, &q, placemark, &k);
	fputs("</Document></kml>\n", out);
	fx_buf_release(&k.b);
	if (n)
		*n = k.n;
	if (ferror(out))
		return fx_error_errno("cannot write the KML");
	return ret ? -1 : 0;
}
