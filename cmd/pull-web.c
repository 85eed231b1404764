/*
 * fx-pull web: the options of the web subcommand, parsed here so that
 * cmd/fx-pull.c only dispatches to it. The logic is in lib/web/.
 */
#include <stdlib.h>
#include <string.h>

#include "fx.h"
#include "fx_web.h"

int fx_pull_web_main(int argc, char **argv, struct fx_common *common, const struct fx_usage *usage,
		     const struct fx_actor *who);

enum {
	OPT_VERIFY = 300,
	OPT_CA_FILE,
	OPT_RESOLVE,
	OPT_MAX_SIZE,
	OPT_MAX_RESOURCES,
	OPT_TIMEOUT,
	OPT_USER_AGENT,
	OPT_NO_SCREENSHOT,
};

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{"verify", required_argument, NULL, OPT_VERIFY},
	{"ca-file", required_argument, NULL, OPT_CA_FILE},
	{"resolve", required_argument, NULL, OPT_RESOLVE},
	{"max-size", required_argument, NULL, OPT_MAX_SIZE},
	{"max-resources", required_argument, NULL, OPT_MAX_RESOURCES},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"user-agent", required_argument, NULL, OPT_USER_AGENT},
	{"no-screenshot", no_argument, NULL, OPT_NO_SCREENSHOT},
	{NULL, 0, NULL, 0},
};

/* A size with an optional K, M or G (powers of 1024). 0 when invalid. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s)
		return 0;
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		end++;
		break;
	default:
		break;
	}
	return *end ? 0 : (uint64_t)v;
}

/* HOST:PORT:ADDR, as libcurl's CURLOPT_RESOLVE takes it. */
static int valid_resolve(const char *s)
{
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	char *end;

	if (!c1 || c1 == s || !c2 || !c2[1])
		return 0;
	strtoul(c1 + 1, &end, 10);
	return end == c2 && end > c1 + 1;
}

int fx_pull_web_main(int argc, char **argv, struct fx_common *common, const struct fx_usage *usage,
		     const struct fx_actor *who)
{
	struct fx_web_opts o;
	const char *verify = NULL;
	const char **resolve;
	char **sub, *end;
	int c, i, subc, nres = 0, r, ret = FX_EXIT_OK;

	fx_web_opts_init(&o);
	o.out = stdout;
	resolve = fx_xcalloc((size_t)argc + 1, sizeof(*resolve));
	/* Parsed from a copy: custody records the argument vector as given. */
	sub = fx_xmalloc(sizeof(*sub) * (size_t)(argc + 2));
	sub[0] = (char *)fx_progname();
	for (subc = 1, i = 0; i < argc; i++)
		sub[subc++] = argv[i];
	sub[subc] = NULL;
	optind = 1;
	while ((c = getopt_long(subc, sub, "hVqC:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_VERIFY:
			verify = optarg;
			break;
		case OPT_CA_FILE:
			o.ca_file = optarg;
			break;
		case OPT_RESOLVE:
			if (!valid_resolve(optarg))
				fx_opt_usage_error(
					usage, fx_xasprintf("--resolve '%s': give HOST:PORT:ADDR",
							    optarg));
			resolve[nres++] = optarg;
			break;
		case OPT_MAX_SIZE:
			o.max_size = parse_size(optarg);
			if (!o.max_size)
				fx_opt_usage_error(
					usage,
					"--max-size must be a size in bytes (K, M, G allowed)");
			break;
		case OPT_MAX_RESOURCES:
			o.max_resources = (unsigned)strtoul(optarg, &end, 10);
			if (*end || !*optarg)
				fx_opt_usage_error(usage, "--max-resources must be a whole number");
			break;
		case OPT_TIMEOUT:
			o.timeout_ms = (long)(strtod(optarg, &end) * 1000);
			if (*end || o.timeout_ms <= 0)
				fx_opt_usage_error(usage, "--timeout must be a number of seconds");
			break;
		case OPT_USER_AGENT:
			o.user_agent = optarg;
			break;
		case OPT_NO_SCREENSHOT:
			o.screenshot = 0;
			break;
		default:
			fx_opt_common(c, common, usage);
		}
	}
	o.resolve = resolve;
	o.quiet = common->quiet;
	if (verify && subc - optind != 1)
		fx_opt_usage_error(usage, "web --verify needs a CAPTURE and one PAGE or URL");
	if (!verify && optind >= subc)
		fx_opt_usage_error(usage, "web needs at least one URL");
	if (!verify && !common->case_dir)
		fx_opt_usage_error(usage, "web needs a case: give --case DIR or set FX_CASE");
	if (common->case_dir) {
		o.c = fx_case_open(common->case_dir, FX_CASE_WRITE, who);
		if (!o.c) {
			ret = FX_EXIT_USAGE;
			goto out;
		}
	}
	if (verify) {
		r = fx_web_verify(&o, verify, sub[optind]);
		ret = r < 0 ? FX_EXIT_USAGE : r > 0 ? FX_EXIT_FAIL : FX_EXIT_OK;
	} else {
		for (i = optind; i < subc; i++) {
			r = fx_web_capture(&o, sub[i]);
			if (r < 0 && ret == FX_EXIT_OK)
				ret = FX_EXIT_USAGE;
			else if (r > 0 && ret == FX_EXIT_OK)
				ret = FX_EXIT_FAIL;
		}
	}
out:
	fx_case_free(o.c);
	free(sub);
	free(resolve);
	if (fx_close_stdout() < 0 && ret == FX_EXIT_OK)
		ret = FX_EXIT_USAGE;
	return ret;
}
