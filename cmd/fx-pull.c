/*
 * fx-pull - acquire evidence into a case: plain files and folders, and tar
 * and zip archives of them (`files`); Android file systems (`android`);
 * a paired device's consented items (`device`); a phone on USB (`adb`);
 * web pages (`web`, in cmd/pull-web.c).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fx.h"
#include "fx_pair.h"
#include "fx_pull.h"

static const char *const synopsis[] = {
	"[-q] [-C DIR] files [--device KEY] [--batch N] PATH...",
	"[-q] -C DIR android [--device KEY] [--batch N] SOURCE...",
	"[-q] -C DIR web [--ca-file FILE] [--resolve HOST:PORT:ADDR] [--max-size N]\n"
	"         [--max-resources N] [--timeout S] [--user-agent UA] [--no-screenshot] URL...",
	"[-q] [-C DIR] web --verify CAPTURE PAGE|URL",
	"[-q] -C DIR device --type T... [--batch N]",
	"[-q] -C DIR adb [--serial S] [--batch N]",
	NULL,
};

static const char *const options[] = {
	"  files: hash and store every file under each PATH (a file, a folder, a tar",
	"         or a zip), one `file` record per file on stdout",
	"  android: acquire an Android file system (a folder, tar or zip, any layout):",
	"         every file as with files, then the device and its artifacts as records",
	"  device: the consented items the paired device's holder selects (fx-pair(1))",
	"      --type T        a consent category (fx-auth(1)); repeat or use commas",
	"  adb: a phone on USB with debugging on: properties, SMS, contacts, calls,",
	"         shared storage and the package list, as with android",
	"      --serial S      the phone's adb serial, when more than one is attached",
	"      --device KEY    the device the files came from (imei:…, serial:…)",
	"      --batch N       files per transaction and custody entry (default 10000)",
	"  web: capture each URL with its redirects, address data (DNS, peer, TLS chain",
	"         and its verification) and linked resources into a WARC and a WACZ,",
	"         judged in a `capture` record; --verify compares a page with a capture",
	"      --verify CAPTURE    compare PAGE (a file) or URL with CAPTURE (a WACZ,",
	"                          or in the case a capture id); exit 1 if different",
	"      --ca-file FILE      trust store to verify TLS chains (default: the system's)",
	"      --resolve HOST:PORT:ADDR  connect to ADDR for HOST:PORT (repeatable)",
	"      --max-size N        largest body kept, bytes, K/M/G (default 32M)",
	"      --max-resources N   linked resources fetched at most (default 500)",
	"      --timeout S         seconds per transfer (default 60)",
	"      --user-agent UA     User-Agent header sent",
	"      --no-screenshot     do not ask a headless Chromium for a screenshot",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Acquire evidence: every byte is hashed while it is stored in the case,\n"
	"and described by records on stdout. Sources are only ever read.",
	options,
};

enum { OPT_DEVICE = 256, OPT_BATCH, OPT_TYPE, OPT_SERIAL };

/* cmd/pull-web.c */
int fx_pull_web_main(int argc, char **argv, struct fx_common *common,
		     const struct fx_usage *usage, const struct fx_actor *who);

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "serial", required_argument, NULL, OPT_SERIAL },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	struct fx_actor who = { "fx-pull", argc, argv };
	struct fx_pull_opts po = { 0 };
	struct fx_pull_stats st = { 0 };
	struct fx_common common;
	const char *cmd, *serial = NULL, **types = NULL;
	char *end, **sub, *tok, *save, **copies = NULL;
	size_t ntypes = 0, ncopies = 0, k;
	int c, i, r, subc, ret = FX_EXIT_OK;

	fx_init(argc, argv);
	signal(SIGXFSZ, SIG_IGN);
	fx_common_init(&common);
	po.batch = 10000;
	po.out = stdout;
	if (argc < 2 || argv[1][0] == '-') {
		while ((c = getopt_long(argc, argv, FX_OPT_COMMON_SHORT, longopts, NULL)) != -1)
			fx_opt_common(c, &common, &usage);
	}
	if (optind >= argc)
		fx_opt_usage_error(&usage, "no command given");
	cmd = argv[optind++];
	if (strcmp(cmd, "web") == 0)
		return fx_pull_web_main(argc - optind, argv + optind, &common, &usage, &who);
	if (strcmp(cmd, "files") != 0 && strcmp(cmd, "android") != 0 &&
	    strcmp(cmd, "device") != 0 && strcmp(cmd, "adb") != 0)
		fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a command", cmd));
	/*
	 * Options after the command, in GNU order, parsed from a copy: the
	 * custody log records the argument vector as it was given.
	 */
	sub = fx_opt_rest(argc, argv, &subc);
	optind = 1;
	while ((c = getopt_long(subc, sub, "hVqC:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DEVICE:
			po.device = optarg;
			break;
		case OPT_BATCH:
			po.batch = (unsigned)strtoul(optarg, &end, 10);
			if (*end || !po.batch)
				fx_opt_usage_error(&usage, "--batch must be a whole number from 1");
			break;
		case OPT_TYPE:
			/* Split a copy: custody keeps the argument vector as given. */
			optarg = fx_xstrdup(optarg);
			copies = fx_xrealloc(copies, (ncopies + 1) * sizeof(*copies));
			copies[ncopies++] = optarg;
			for (tok = strtok_r(optarg, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				types = fx_xrealloc(types, (ntypes + 1) * sizeof(*types));
				types[ntypes++] = tok;
			}
			break;
		case OPT_SERIAL:
			serial = optarg;
			break;
		default:
			fx_opt_common(c, &common, &usage);
		}
	}
	if (!strcmp(cmd, "device") || !strcmp(cmd, "adb")) {
		if (optind != subc)
			fx_opt_usage_error(&usage, fx_xasprintf("%s takes no operands", cmd));
		if (!strcmp(cmd, "device") && !ntypes)
			fx_opt_usage_error(&usage, "device needs --type T");
		fx_opt_need_case(&common, &usage);
		po.quiet = common.quiet;
		po.c = fx_case_open(common.case_dir, FX_CASE_WRITE, &who);
		if (!po.c)
			return FX_EXIT_USAGE;
		r = !strcmp(cmd, "device") ? fx_pull_device(&po, types, ntypes, &st)
					   : fx_pull_adb(&po, serial, &st);
		ret = r < 0 ? FX_EXIT_USAGE : r > 0 ? FX_EXIT_FAIL : FX_EXIT_OK;
		goto done;
	}
	if (optind >= subc)
		fx_opt_usage_error(&usage, fx_xasprintf("%s needs at least one PATH", cmd));
	if (strcmp(cmd, "android") == 0 && !common.case_dir)
		fx_opt_usage_error(&usage, "android needs a case: give --case DIR or set FX_CASE");
	po.quiet = common.quiet;
	if (common.case_dir) {
		po.c = fx_case_open(common.case_dir, FX_CASE_WRITE, &who);
		if (!po.c)
			return FX_EXIT_USAGE;
	}
	for (i = optind; i < subc; i++) {
		r = strcmp(cmd, "android") == 0 ? fx_pull_android(&po, sub[i], &st)
						 : fx_pull_files(&po, sub[i], &st);
		if (r < 0) {
			ret = FX_EXIT_USAGE;
			break;
		}
		if (r > 0)
			ret = FX_EXIT_FAIL;
	}
done:
	if (!common.quiet)
		fprintf(stderr, "%s: %llu files, %llu bytes%s, %llu problems\n", fx_progname(),
			(unsigned long long)st.files, (unsigned long long)st.bytes,
			po.c ? " stored" : "", (unsigned long long)st.problems);
	fx_case_free(po.c);
	free(types);
	for (k = 0; k < ncopies; k++)
		free(copies[k]);
	free(copies);
	if (fx_close_stdout() < 0 && ret == FX_EXIT_OK)
		ret = FX_EXIT_USAGE;
	return ret;
}
