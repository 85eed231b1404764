/*
 * fx_opt.h - options every program shares: --help/-h, --version/-V,
 * --quiet/-q, --case/-C DIR (default $FX_CASE).
 *
 *	static const struct option longopts[] = {
 *		FX_OPT_COMMON_LONG,
 *		{ "type", required_argument, NULL, 't' },
 *		{ NULL, 0, NULL, 0 }
 *	};
 *	while ((c = getopt_long(argc, argv, FX_OPT_COMMON_SHORT "t:",
 *				longopts, NULL)) != -1)
 *		switch (c) {
 *		case 't': ...; break;
 *		default: fx_opt_common(c, &common, &usage);  // h V q C ?
 *		}
 */
#ifndef FX_OPT_H
#define FX_OPT_H

#include <getopt.h>

#define FX_OPT_COMMON_SHORT "+hVqC:"
#define FX_OPT_COMMON_LONG                                  \
	{ "help", no_argument, NULL, 'h' },                 \
	{ "version", no_argument, NULL, 'V' },              \
	{ "quiet", no_argument, NULL, 'q' },                \
	{ "case", required_argument, NULL, 'C' }

struct fx_common {
	int quiet;
	const char *case_dir; /* --case, else $FX_CASE, else NULL */
};

/*
 * What --help prints: the synopsis lines and the option lines, both
 * NULL-terminated. The common options are appended by fx_opt_help().
 */
struct fx_usage {
	const char *const *synopsis;
	const char *summary;
	const char *const *options;
};

/* Sets defaults, taking case_dir from $FX_CASE. */
void fx_common_init(struct fx_common *c);

/*
 * Handles the common options: h prints help and exits 0, V the version and
 * exits 0, q sets quiet, C the case dir. Anything else prints a short usage
 * with "Try 'prog --help'" and exits 2.
 */
void fx_opt_common(int c, struct fx_common *common, const struct fx_usage *u);

void fx_opt_help(const struct fx_usage *u);
/* Short usage on stderr and exit 2; msg (may be NULL) comes first. */
void fx_opt_usage_error(const struct fx_usage *u, const char *msg)
	__attribute__((noreturn));

/* The case dir or die with a usage error naming --case and FX_CASE. */
/*
 * The arguments after the command (argv[optind..]) behind argv[0], as a new
 * NULL-terminated vector for a second getopt pass; *n gets their count. A
 * copy, because getopt permutes what it parses and the custody log keeps
 * the argument vector as it was given. The vector is fx_opt's, valid until
 * the next call.
 */
char **fx_opt_rest(int argc, char **argv, int *n);

const char *fx_opt_need_case(const struct fx_common *c, const struct fx_usage *u);

#endif
