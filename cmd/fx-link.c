/*
 * fx-link - indicators and the association graph of a case: build,
 * around, path, top; extract as a filter over records. A CLI over
 * lib/link/.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fx.h"
#include "fx_link.h"

static const char *const synopsis[] = {
	"[-q] [-C DIR] build [--region CC] [--window SECONDS] [--geoip FILE]",
	"[-q] [-C DIR] around NODE [--depth N] [--limit N]",
	"[-q] [-C DIR] path NODE NODE [--depth N]",
	"[-q] [-C DIR] top [--limit N]",
	"[-q] extract [--region CC] [FILE]...",
	NULL,
};

static const char *const options[] = {
	"  build: find the indicators in every record of the case and store them,",
	"         with the edges between them, as indicator and link records",
	"      --region CC     default region of national phone numbers (default CN)",
	"      --window SECONDS  events on one device this close are linked (default 300)",
	"      --geoip FILE    a MaxMind .mmdb or legacy GeoIP.dat (default: Debian's)",
	"  around: the link records within --depth edges of NODE, best first",
	"  path: the link records of a shortest path between two nodes",
	"      --depth N       edges to walk (around: default 1; path: default 6)",
	"      --limit N       at most N records (top: default 20)",
	"  top: the best-scored link records",
	"  extract: the indicators of each record read (JSON Lines), one",
	"         indicator record per identifier and record; no case needed",
	"  NODE is kind:value (phone:+8613800138000, domain:…, device:serial:…,",
	"  person:NAME) or an identifier as written (+86 138 0013 8000)",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Find identifiers (URLs, domains, IPs, e-mail, phone numbers, cards,\n"
	"wallets, accounts, payment codes) across all evidence of a case and\n"
	"build the graph of what connects them; walk it.",
	options,
};

enum { OPT_REGION = 256, OPT_WINDOW, OPT_GEOIP, OPT_DEPTH, OPT_LIMIT };

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{ "region", required_argument, NULL, OPT_REGION },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "geoip", required_argument, NULL, OPT_GEOIP },
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ NULL, 0, NULL, 0 },
};

static unsigned long number(const char *s, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		fx_opt_usage_error(&usage, fx_xasprintf("%s must be a whole number, not '%s'",
							what, s));
	return v;
}

/* ---- extract: a filter ---- */

struct ex {
	const json_t *rec;
	const char *id;
	FILE *out;
	int ret;
};

static int put_ind(const struct fx_ind *ind, void *ctx)
{
	struct ex *x = ctx;
	json_t *rec = fx_record_new("indicator", json_string_value(json_object_get(x->rec,
								    FX_KEY_CASE)), "fx-link");
	json_t *data = json_object_get(rec, FX_KEY_DATA);
	char *node = fx_xasprintf("%s:%s", fx_ind_name(ind->kind), ind->value);

	json_object_set_new(data, "kind", json_string(fx_ind_name(ind->kind)));
	json_object_set_new(data, "value", json_string(ind->value));
	json_object_set_new(data, "node", json_string(node));
	if (ind->detail)
		json_object_set_new(data, "detail", json_string(ind->detail));
	json_object_set_new(data, "count", json_integer(1));
	json_object_set_new(data, "sources", json_integer(1));
	json_object_set_new(rec, FX_KEY_SRC, json_pack("{s:[s]}", FX_SRC_RECORDS, x->id));
	if (fx_record_write(x->out, rec) < 0)
		x->ret = -1;
	free(node);
	json_decref(rec);
	return 0;
}

static void extract_strings(const json_t *v, const struct fx_link_opts *o, struct ex *x)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_string(v))
		fx_link_extract(json_string_value(v), json_string_length(v), o, put_ind, x);
	else if (json_is_object(v) && !json_object_get(v, FX_KEY_HEX))
		json_object_foreach((json_t *)v, k, e)
			extract_strings(e, o, x);
	else if (json_is_array(v))
		json_array_foreach(v, i, e)
			extract_strings(e, o, x);
}

static int cmd_extract(const struct fx_link_opts *o, int nargs, char **args)
{
	struct fx_reader r;
	char hex[FX_SHA256_HEX];
	json_t *rec;
	int i, n, ret = 0;

	for (i = 0; i < (nargs ? nargs : 1); i++) {
		if (fx_reader_open(&r, nargs ? args[i] : "-") < 0) {
			ret = 1;
			continue;
		}
		while ((n = fx_reader_next(&r, &rec)) != 0) {
			struct ex x = { rec, hex, stdout, 0 };

			if (n < 0) {
				ret = 1;
				continue;
			}
			if (fx_record_id(rec, hex) == 0)
				extract_strings(json_object_get(rec, FX_KEY_DATA), o, &x);
			if (x.ret < 0)
				ret = 2;
			json_decref(rec);
			if (ret == 2)
				break;
		}
		fx_reader_close(&r);
		if (ret == 2)
			break;
	}
	return ret;
}

static struct fx_case *open_case(struct fx_common *common, unsigned flags, int argc,
				 char **argv)
{
	struct fx_actor who = { "fx-link", argc, argv };
	struct fx_case *c = fx_case_open(fx_opt_need_case(common, &usage), flags, &who);

	if (!c)
		exit(FX_EXIT_USAGE);
	return c;
}

int main(int argc, char **argv)
{
	struct fx_link_build b = { 0 };
	struct fx_common common;
	struct fx_case *c;
	const char *cmd;
	char **sub, *ka, *kb;
	unsigned long depth = 0, limit = 0;
	int ch, subc, nargs, ret = FX_EXIT_OK;
	long n;

	fx_init(argc, argv);
	signal(SIGXFSZ, SIG_IGN);
	fx_common_init(&common);
	b.opts.region = "CN";
	while ((ch = getopt_long(argc, argv, FX_OPT_COMMON_SHORT, longopts, NULL)) != -1)
		fx_opt_common(ch, &common, &usage);
	if (optind >= argc)
		fx_opt_usage_error(&usage, "no command given");
	cmd = argv[optind++];
	/* Options after the command, parsed from a copy: custody keeps argv as given. */
	sub = fx_opt_rest(argc, argv, &subc);
	/* 0, not 1: glibc then starts afresh, permuting (the first pass did not). */
	optind = 0;
	while ((ch = getopt_long(subc, sub, "hVqC:", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_REGION:
			if (strlen(optarg) != 2)
				fx_opt_usage_error(&usage, "--region takes a two-letter code");
			b.opts.region = optarg;
			break;
		case OPT_WINDOW:
			b.window_ms = (int64_t)number(optarg, "--window") * 1000;
			if (!b.window_ms)
				fx_opt_usage_error(&usage, "--window must be at least 1");
			break;
		case OPT_GEOIP:
			b.geoip = optarg;
			break;
		case OPT_DEPTH:
			depth = number(optarg, "--depth");
			if (!depth || depth > 64)
				fx_opt_usage_error(&usage, "--depth must be from 1 to 64");
			break;
		case OPT_LIMIT:
			limit = number(optarg, "--limit");
			break;
		default:
			fx_opt_common(ch, &common, &usage);
		}
	}
	nargs = subc - optind;
	b.quiet = common.quiet;
	if (strcmp(cmd, "extract") == 0) {
		ret = cmd_extract(&b.opts, nargs, sub + optind);
	} else if (strcmp(cmd, "build") == 0 && nargs == 0) {
		c = open_case(&common, FX_CASE_WRITE, argc, argv);
		b.out = stdout;
		if (fx_link_build(c, &b) < 0)
			ret = FX_EXIT_USAGE;
		else if (!common.quiet)
			fprintf(stderr, "%s: %llu records read: %llu indicators, %llu links"
				" (%llu new), %llu withdrawn\n", fx_progname(),
				(unsigned long long)b.records, (unsigned long long)b.indicators,
				(unsigned long long)b.links, (unsigned long long)b.added,
				(unsigned long long)b.withdrawn);
		fx_case_free(c);
	} else if (strcmp(cmd, "around") == 0 && nargs == 1) {
		c = open_case(&common, FX_CASE_READ, argc, argv);
		ka = fx_link_node_key(sub[optind], &b.opts);
		n = fx_link_around(c, ka, depth ? (int)depth : 1, limit, stdout);
		if (n < 0)
			ret = FX_EXIT_USAGE;
		else if (n == 0)
			ret = FX_EXIT_FAIL;
		if (n == 0 && !common.quiet)
			fprintf(stderr, "%s: no links of '%s'\n", fx_progname(), ka);
		free(ka);
		fx_case_free(c);
	} else if (strcmp(cmd, "path") == 0 && nargs == 2) {
		c = open_case(&common, FX_CASE_READ, argc, argv);
		ka = fx_link_node_key(sub[optind], &b.opts);
		kb = fx_link_node_key(sub[optind + 1], &b.opts);
		n = fx_link_path(c, ka, kb, depth ? (int)depth : 6, stdout);
		if (n < 0)
			ret = FX_EXIT_USAGE;
		else if (n == 0) {
			ret = FX_EXIT_FAIL;
			if (!common.quiet)
				fprintf(stderr, "%s: no path from '%s' to '%s'\n", fx_progname(),
					ka, kb);
		}
		free(ka);
		free(kb);
		fx_case_free(c);
	} else if (strcmp(cmd, "top") == 0 && nargs == 0) {
		c = open_case(&common, FX_CASE_READ, argc, argv);
		if (fx_link_top(c, limit, stdout) < 0)
			ret = FX_EXIT_USAGE;
		fx_case_free(c);
	} else {
		fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a command, or has the wrong"
							" number of arguments", cmd));
	}
	if (fx_close_stdout() < 0 && ret == FX_EXIT_OK)
		ret = FX_EXIT_USAGE;
	return ret;
}
