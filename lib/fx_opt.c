#include <stdio.h>
#include <stdlib.h>

#include "fx_err.h"
#include "fx_opt.h"
#include "fx_banned.h"

static const char *const common_options[] = {
	"  -C, --case DIR      the case directory (default: $FX_CASE)",
	"  -q, --quiet         no progress or notes on stderr",
	"  -h, --help          show this help and exit",
	"  -V, --version       show the version and exit",
	NULL,
};

void fx_common_init(struct fx_common *c)
{
	const char *env = getenv("FX_CASE");

	c->quiet = 0;
	c->case_dir = env && *env ? env : NULL;
}

void fx_opt_help(const struct fx_usage *u)
{
	const char *const *p;
	int first = 1;

	for (p = u->synopsis; p && *p; p++) {
		printf("%s %s %s\n", first ? "usage:" : "   or:", fx_progname(), *p);
		first = 0;
	}
	if (u->summary)
		printf("\n%s\n", u->summary);
	printf("\noptions:\n");
	for (p = u->options; p && *p; p++)
		printf("%s\n", *p);
	for (p = common_options; *p; p++)
		printf("%s\n", *p);
}

void fx_opt_usage_error(const struct fx_usage *u, const char *msg)
{
	const char *const *p;
	int first = 1;

	if (msg)
		fprintf(stderr, "%s: %s\n", fx_progname(), msg);
	for (p = u->synopsis; p && *p; p++) {
		fprintf(stderr, "%s %s %s\n", first ? "usage:" : "   or:", fx_progname(), *p);
		first = 0;
	}
	fprintf(stderr, "Try '%s --help' for more information.\n", fx_progname());
	exit(2);
}

void fx_opt_common(int c, struct fx_common *common, const struct fx_usage *u)
{
	switch (c) {
	case 'h':
		fx_opt_help(u);
		exit(fflush(stdout) == 0 ? 0 : 2);
	case 'V':
		printf("%s (fx) %s\n", fx_progname(), FX_VERSION);
		exit(fflush(stdout) == 0 ? 0 : 2);
	case 'q':
		common->quiet = 1;
		return;
	case 'C':
		common->case_dir = optarg;
		return;
	default:
		fx_opt_usage_error(u, NULL);
	}
}

const char *fx_opt_need_case(const struct fx_common *c, const struct fx_usage *u)
{
	if (!c->case_dir)
		fx_opt_usage_error(u, "no case: give --case DIR or set FX_CASE");
	return c->case_dir;
}

/* Kept here, not by the caller: a usage error may exit while it is in use. */
static char **rest;

char **fx_opt_rest(int argc, char **argv, int *n)
{
	char **sub;
	int i;

	free(rest);
	sub = rest = fx_xmalloc(sizeof(*sub) * (size_t)(argc - optind + 2));
	sub[0] = argv[0];
	*n = 1;
	for (i = optind; i < argc; i++)
		sub[(*n)++] = argv[i];
	sub[*n] = NULL;
	return sub;
}
