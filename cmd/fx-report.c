/*
 * fx-report - fill a form template from the case into an HTML folder and
 * a PDF, stored in the case (lib/report/); list the forms; write the
 * case's positions as KML.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fx.h"
#include "fx_report.h"

static const char *const synopsis[] = {
	"[-q] [-C DIR] FORM [--lang L] [--format html|pdf] [--set KEY=VALUE]..."
	" [--image ROLE=FILE]... [--rows N] [--templates DIR]",
	"[-q] [-C DIR] kml --out FILE",
	"forms [--templates DIR]",
	NULL,
};

static const char *const options[] = {
	"  FORM: case, collection, analysis, appraisal, transcript, or any form in the",
	"        template folder (fx-report forms lists them); prints the report record",
	"      --lang L        zh-CN (default) or en",
	"      --format F      html: the HTML folder only; pdf: the HTML and report.pdf (default)",
	"      --set KEY=VALUE a field of the form ({{form.KEY}}); repeatable",
	"      --image ROLE=FILE  an image shown in the form ({{images.ROLE}}), such as",
	"                      signature=sig.png or seal=seal.png; stored in the case",
	"      --rows N        table rows per HTML page (default 2000)",
	"      --templates DIR the template folder (default: $FX_DATADIR/templates)",
	"  kml: every position in the case as KML",
	"      --out FILE      where to write it",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Fill a form from the case: a self-contained HTML folder and a PDF under\n"
	"CASE/reports/, stored in the case and logged in custody.",
	options,
};

enum { OPT_LANG = 256, OPT_FORMAT, OPT_SET, OPT_IMAGE, OPT_ROWS, OPT_TEMPLATES, OPT_OUT };

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "set", required_argument, NULL, OPT_SET },
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	{ "out", required_argument, NULL, OPT_OUT },
	{ NULL, 0, NULL, 0 },
};

static void key_value(json_t *into, const char *arg, const char *opt)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg)
		fx_opt_usage_error(&usage, fx_xasprintf("%s takes KEY=VALUE, not '%s'", opt, arg));
	json_object_setn_new(into, arg, (size_t)(eq - arg), json_string(eq + 1));
	if (!json_object_getn(into, arg, (size_t)(eq - arg)))
		fx_opt_usage_error(&usage, fx_xasprintf("%s: '%s' is not UTF-8", opt, arg));
}

static int cmd_forms(const char *tdir)
{
	char *dir = fx_report_tmpl_dir(tdir);
	json_t *forms = fx_report_forms(dir), *f;
	char *line;
	size_t i;
	int ret = FX_EXIT_OK;

	json_array_foreach(forms, i, f) {
		line = fx_json_dump(f);
		if (!line || puts(line) == EOF)
			ret = FX_EXIT_USAGE;
		free(line);
	}
	if (!json_array_size(forms)) {
		fx_error("no forms in '%s'", dir);
		ret = FX_EXIT_USAGE;
	}
	json_decref(forms);
	free(dir);
	return ret;
}

static int cmd_kml(struct fx_case *c, const char *out, int quiet)
{
	unsigned long n = 0;
	FILE *f = fopen(out, "w");
	int ret;

	if (!f) {
		fx_error_errno("cannot write '%s'", out);
		return FX_EXIT_USAGE;
	}
	ret = fx_report_kml(c, f, &n);
	if (fclose(f) != 0 && ret == 0)
		ret = fx_error_errno("cannot write '%s'", out);
	if (ret == 0 && !quiet)
		fprintf(stderr, "%s: %lu positions written to '%s'\n", fx_progname(), n, out);
	return ret ? FX_EXIT_USAGE : FX_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct fx_actor who = { "fx-report", argc, argv };
	struct fx_report_opts o = { 0 };
	struct fx_common common;
	const char *format = "pdf", *tdir = NULL, *out = NULL, *cmd;
	json_t *fields = json_object(), *images = json_object(), *rec = NULL;
	unsigned long rows;
	struct fx_case *c;
	char *end, **sub;
	int ch, subc, ret;

	fx_init(argc, argv);
	signal(SIGXFSZ, SIG_IGN);
	fx_common_init(&common);
	o.lang = "zh-CN";
	if (argc < 2 || argv[1][0] == '-') {
		while ((ch = getopt_long(argc, argv, FX_OPT_COMMON_SHORT, longopts, NULL)) != -1)
			fx_opt_common(ch, &common, &usage);
	}
	if (optind >= argc)
		fx_opt_usage_error(&usage, "no form given");
	cmd = argv[optind++];
	/* Options after the form, parsed from a copy: custody keeps argv as given. */
	sub = fx_opt_rest(argc, argv, &subc);
	optind = 1;
	while ((ch = getopt_long(subc, sub, "hVqC:", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_LANG:
			o.lang = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "html") != 0 && strcmp(optarg, "pdf") != 0)
				fx_opt_usage_error(&usage, "--format is html or pdf");
			format = optarg;
			break;
		case OPT_SET:
			key_value(fields, optarg, "--set");
			break;
		case OPT_IMAGE:
			key_value(images, optarg, "--image");
			break;
		case OPT_ROWS:
			errno = 0;
			rows = strtoul(optarg, &end, 10);
			if (errno || *end || rows < 1 || rows > 1000000 || *optarg == '-')
				fx_opt_usage_error(&usage, "--rows must be a whole number from 1");
			o.rows = (unsigned)rows;
			break;
		case OPT_TEMPLATES:
			tdir = optarg;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		default:
			fx_opt_common(ch, &common, &usage);
		}
	}
	if (optind < subc)
		fx_opt_usage_error(&usage, fx_xasprintf("unexpected argument '%s'", sub[optind]));
	if (strcmp(cmd, "forms") == 0) {
		ret = cmd_forms(tdir);
		goto done;
	}
	if (strchr(cmd, '/') || strchr(cmd, '.') || strchr(o.lang, '/'))
		fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a form name", cmd));
	if (strcmp(cmd, "kml") == 0 && !out)
		fx_opt_usage_error(&usage, "kml needs --out FILE");
	c = fx_case_open(fx_opt_need_case(&common, &usage),
			 strcmp(cmd, "kml") == 0 ? FX_CASE_READ : FX_CASE_WRITE, &who);
	if (!c) {
		ret = FX_EXIT_USAGE;
		goto done;
	}
	if (strcmp(cmd, "kml") == 0) {
		ret = cmd_kml(c, out, common.quiet);
	} else {
		o.c = c;
		o.form = cmd;
		o.html = 1;
		o.pdf = strcmp(format, "pdf") == 0;
		o.tmpl_dir = tdir;
		o.fields = fields;
		o.images = images;
		o.quiet = common.quiet;
		ret = fx_report_run(&o, &rec) < 0 ? FX_EXIT_USAGE : FX_EXIT_OK;
		if (rec) {
			if (fx_record_write(stdout, rec) < 0)
				ret = FX_EXIT_USAGE;
			if (!common.quiet)
				fprintf(stderr, "%s: report in '%s/reports/%s'\n", fx_progname(),
					fx_case_dir(c),
					json_string_value(json_object_get(json_object_get(rec, "data"),
									  "dir")));
		}
		json_decref(rec);
	}
	fx_case_free(c);
done:
	fx_report_cleanup();
	json_decref(fields);
	json_decref(images);
	if (fx_close_stdout() < 0 && ret == FX_EXIT_OK)
		ret = FX_EXIT_USAGE;
	return ret;
}
