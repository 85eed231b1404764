/*
 * fx_report.h - the forms a case ends in: templates (share/templates,
 * fx_tmpl.h) filled from the case into a self-contained HTML folder and a
 * PDF, with charts (timeline, association graph, map of GPS points) and
 * a KML file of the locations. Every rendered file is stored in the case,
 * hashed, named in the custody entry, and described by a `report` record.
 */
#ifndef FX_REPORT_H
#define FX_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "fx_buf.h"
#include "fx_case.h"

#define FX_REPORT_ROWS 2000 /* table rows per HTML page */

struct fx_report_opts {
	struct fx_case *c;    /* open for writing */
	const char *form;     /* case, collection, analysis, appraisal, transcript, … */
	const char *lang;     /* zh-CN or en */
	int html, pdf;        /* which outputs (the HTML folder is always made) */
	const char *tmpl_dir; /* NULL: $FX_DATADIR/templates */
	const json_t *fields; /* form fields given on the command line (borrowed) */
	const json_t *images; /* role -> image file to store and show (borrowed) */
	unsigned rows;        /* rows per page; 0: FX_REPORT_ROWS */
	int quiet;
};

/*
 * Renders the form into CASE/reports/FORM-LANG-TIME/ (index.html, records/,
 * charts/, images/, locations.kml, report.pdf), stores every file in the
 * case in one change ("report") and adds the report record. *report gets
 * a new reference to it. Returns 0, or -1 after reporting (the change is
 * then rolled back; a half-written folder is removed).
 */
int fx_report_run(const struct fx_report_opts *o, json_t **report);

/* The forms (templates FORM.LANG.html) in the template folder, as an array. New reference. */
json_t *fx_report_forms(const char *tmpl_dir);

/* The template folder in use: dir, else $FX_DATADIR/templates. Caller frees. */
char *fx_report_tmpl_dir(const char *dir);

/*
 * Writes a KML document of every live record with a position
 * (data.latitude and data.longitude) to out. *n gets the placemarks.
 * Returns 0 or -1 (reported).
 */
int fx_report_kml(struct fx_case *c, FILE *out, unsigned long *n);

/*
 * Frees what cairo, pango and fontconfig keep for the life of the process
 * (font maps, caches), so that a leak checker sees only fx's own memory.
 * Call it once, last; no report can be drawn after it.
 */
void fx_report_cleanup(void);

/* ---- lib/report internals shared with the tests ---- */

/*
 * Lays out the HTML document html (a subset: headings, paragraphs, lists,
 * tables with repeated headers, images, page breaks) into pages of an A4
 * PDF at out, with a CJK-capable font and a page number on each page.
 * Images are resolved from base; a .svg image is taken from the .png
 * beside it. Several documents may be appended: call
 * fx_report_pdf_add() for each, then fx_report_pdf_close(). Returns 0 or
 * -1 (reported).
 */
struct fx_report_pdf;
struct fx_report_pdf *fx_report_pdf_open(const char *out, const char *footer,
					 const char *page_label);
int fx_report_pdf_add(struct fx_report_pdf *p, const char *html, size_t len,
		      const char *base);
int fx_report_pdf_close(struct fx_report_pdf *p, unsigned *pages);

#endif
