/*
 * fx-export - seal a case into a BagIt package that is verified without
 * fx; verify one; import one as a new case; the case as CASE/UCO JSON-LD;
 * a restore script for an Android emulator. Logic in lib/export/.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fx.h"
#include "fx_export.h"

static const char *const synopsis[] = {
	"[-q] [-C DIR] bag [--format tar|zip|dir] [--out PATH] [--sign PROG]",
	"[-q] verify PACKAGE",
	"[-q] import PACKAGE --case DIR",
	"[-q] [-C DIR] jsonld",
	"[-q] [-C DIR] restore-script --device ID [--out FILE]",
	NULL,
};

static const char *const options[] = {
	"  bag: seal the case into a BagIt 1.0 package (default CASE/exports/ID-TIME.tar)",
	"      --format F      tar (default), zip or dir",
	"      --out PATH      where to write the package",
	"      --sign PROG     the program that signs the tag manifest (default fx-sign)",
	"  verify: check a package without the case or keys; exit 1 naming each failure",
	"  import: continue the case of a package in a new case DIR",
	"  jsonld: print the case in CASE/UCO 1.4.0 JSON-LD",
	"  restore-script: an adb script restoring a device's apps and data to an emulator",
	"      --device ID     the device (its key, as in fx-case info)",
	"      --out FILE      write the script there (default: standard output)",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Seal a case into a package anyone can verify (BagIt, RFC 8493), with the\n"
	"case in CASE/UCO JSON-LD; verify and import packages.",
	options,
};

enum { OPT_FORMAT = 256, OPT_OUT, OPT_SIGN, OPT_DEVICE };

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "sign", required_argument, NULL, OPT_SIGN },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ NULL, 0, NULL, 0 },
};

static int print_json(const json_t *v)
{
	char *s = fx_json_dump(v);
	int ret = 0;

	if (!s || puts(s) == EOF)
		ret = fx_error_errno("cannot write to standard output");
	free(s);
	return ret;
}

int main(int argc, char **argv)
{
	struct fx_actor who = { "fx-export", argc, argv };
	struct fx_export_opts eo = { 0 };
	struct fx_common common;
	const char *cmd, *out = NULL, *device = NULL, *format = "tar";
	json_t *result = NULL;
	struct fx_case *c;
	/* Static: a usage error may exit while they are in use. */
	static char **args;
	char **sub;
	int ch, subc, nargs = 0, ret = FX_EXIT_OK, r;

	fx_init(argc, argv);
	signal(SIGXFSZ, SIG_IGN);
	fx_common_init(&common);
	if (argc < 2 || argv[1][0] == '-') {
		while ((ch = getopt_long(argc, argv, FX_OPT_COMMON_SHORT, longopts, NULL)) != -1)
			fx_opt_common(ch, &common, &usage);
	}
	if (optind >= argc)
		fx_opt_usage_error(&usage, "no command given");
	cmd = argv[optind++];
	/* Options after the command, parsed from a copy: custody keeps argv as given. */
	sub = fx_opt_rest(argc, argv, &subc);
	args = fx_xmalloc(sizeof(*args) * (size_t)(argc + 1));
	/* 0, not 1: glibc then also forgets the '+' ordering of the first parse. */
	optind = 0;
	while (optind < subc) {
		while ((ch = getopt_long(subc, sub, "-hVqC:", longopts, NULL)) != -1) {
			if (optind == 0)
				break;
			switch (ch) {
			case 1:
				args[nargs++] = optarg;
				break;
			case OPT_FORMAT:
				format = optarg;
				break;
			case OPT_OUT:
				out = optarg;
				break;
			case OPT_SIGN:
				eo.sign = optarg;
				break;
			case OPT_DEVICE:
				device = optarg;
				break;
			default:
				fx_opt_common(ch, &common, &usage);
			}
		}
		while (optind < subc)
			args[nargs++] = sub[optind++];
	}
	if (strcmp(cmd, "bag") == 0 && !nargs) {
		if (strcmp(format, "tar") == 0)
			eo.format = FX_EXPORT_TAR;
		else if (strcmp(format, "zip") == 0)
			eo.format = FX_EXPORT_ZIP;
		else if (strcmp(format, "dir") == 0)
			eo.format = FX_EXPORT_DIR;
		else
			fx_opt_usage_error(&usage, "--format is tar, zip or dir");
		c = fx_case_open(fx_opt_need_case(&common, &usage), FX_CASE_WRITE, &who);
		if (!c) {
			ret = FX_EXIT_USAGE;
			goto done;
		}
		eo.c = c;
		eo.out = out;
		eo.quiet = common.quiet;
		if (fx_export_bag(&eo, &result) < 0 || print_json(result) < 0)
			ret = FX_EXIT_USAGE;
		else if (!common.quiet)
			fprintf(stderr, "%s: sealed %lld files, %lld bytes into '%s'\n",
				fx_progname(),
				(long long)json_integer_value(json_object_get(result, "files")),
				(long long)json_integer_value(json_object_get(result, "bytes")),
				json_string_value(json_object_get(result, "path")));
		fx_case_free(c);
	} else if (strcmp(cmd, "verify") == 0 && nargs == 1) {
		r = fx_export_verify(args[0], 0, &result);
		if (r < 0)
			ret = FX_EXIT_USAGE;
		else {
			ret = r ? FX_EXIT_FAIL : FX_EXIT_OK;
			if (print_json(result) < 0)
				ret = FX_EXIT_USAGE;
			if (!common.quiet && r == 0)
				fprintf(stderr, "%s: '%s' verified: payload %s (bytes.files), custody root %s\n",
					fx_progname(), args[0],
					json_string_value(json_object_get(result, "oxum")),
					json_string_value(json_object_get(json_object_get(result,
								"custody"), "root")));
		}
	} else if (strcmp(cmd, "import") == 0 && nargs == 1) {
		r = fx_export_import(args[0], fx_opt_need_case(&common, &usage), &who,
				     common.quiet, &result);
		ret = r < 0 ? FX_EXIT_USAGE : r ? FX_EXIT_FAIL : FX_EXIT_OK;
		if (r == 0 && print_json(result) < 0)
			ret = FX_EXIT_USAGE;
	} else if (strcmp(cmd, "jsonld") == 0 && !nargs) {
		struct fx_buf b = FX_BUF_INIT;

		c = fx_case_open(fx_opt_need_case(&common, &usage), FX_CASE_READ, &who);
		if (!c) {
			ret = FX_EXIT_USAGE;
			goto done;
		}
		if (fx_export_jsonld(c, &b) < 0 || fwrite(b.data, 1, b.len, stdout) != b.len)
			ret = FX_EXIT_USAGE;
		fx_buf_release(&b);
		fx_case_free(c);
	} else if (strcmp(cmd, "restore-script") == 0 && !nargs) {
		FILE *f = stdout;

		if (!device)
			fx_opt_usage_error(&usage, "restore-script needs --device ID");
		c = fx_case_open(fx_opt_need_case(&common, &usage), FX_CASE_READ, &who);
		if (!c) {
			ret = FX_EXIT_USAGE;
			goto done;
		}
		if (out && !(f = fopen(out, "w"))) {
			fx_error_errno("cannot write '%s'", out);
			ret = FX_EXIT_USAGE;
		} else {
			r = fx_export_restore_script(c, device, f);
			if (r < 0)
				ret = FX_EXIT_USAGE;
			else if (!common.quiet)
				fprintf(stderr, "%s: %d apps to restore\n", fx_progname(), r);
			if (out && fclose(f) != 0) {
				fx_error_errno("cannot write '%s'", out);
				ret = FX_EXIT_USAGE;
			}
		}
		fx_case_free(c);
	} else {
		fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a command, or has the wrong"
							" arguments", cmd));
	}
done:
	json_decref(result);
	free(args);
	if (fx_close_stdout() < 0 && ret == FX_EXIT_OK)
		ret = FX_EXIT_USAGE;
	return ret;
}
