/*
 * report_int.h - what the files of lib/report/ share.
 */
#ifndef FX_REPORT_INT_H
#define FX_REPORT_INT_H

#include <jansson.h>

/*
 * The charts, each drawn once with cairo onto an SVG surface (for the
 * HTML) and once onto a PNG at twice the size (for the PDF). base is the
 * path without extension. Return 0 or -1 (reported).
 *
 * timeline: {"TYPE":{"YYYY-MM-DD":N,…},…} events per type and day.
 * graph: [{"a":…,"b":…,"n":N,"ka":kind,"kb":kind},…] weighted edges.
 * points: [{"lat":…,"lon":…,"label":…},…] positions in decimal degrees.
 */
int fx_chart_timeline(const json_t *timeline, const char *base, const char *title);
int fx_chart_graph(const json_t *edges, const char *base, const char *title);
int fx_chart_map(const json_t *points, const char *base, const char *title);

/* A thumbnail (JPEG, at most px wide) of the image at src into dst. Returns 0 or -1, quietly. */
int fx_report_thumb(const char *src, const char *dst, int px);

#endif
