/*
 * fx-pair - pair the workstation with the reporter's device over the LAN:
 * `listen` on the workstation (TLS 1.3, a QR code to scan), `agent` on
 * the device, `status` of a session, `qr` to show any text as a code.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fx.h"
#include "fx_pair.h"

static const char *const synopsis[] = {
	"[-q] -C DIR listen [--bind ADDR:PORT] [--host ADDR] [--png FILE] [--ttl S]"
	" [--timeout S]",
	"[-q] agent (--qr IMAGE | --uri URI) --share ROOT [--consent-file FILE]"
	" [--model M] [--serial S] [--imei N] [--retries N]",
	"[-q] -C DIR status",
	"[-q] qr --png FILE TEXT",
	NULL,
};

static const char *const options[] = {
	"  listen: serve a pairing session for the case; shows the pairing code",
	"      --bind ADDR:PORT  where to listen (default 0.0.0.0, a free port)",
	"      --host ADDR       the address put in the code (default: from --bind)",
	"      --png FILE        also write the code as a PNG, for a second screen",
	"      --ttl S           seconds the pairing token is valid (default 300)",
	"      --timeout S       seconds to wait for the holder's answers (default 600)",
	"  agent: the device end; answers only with what its user consents to",
	"      --qr IMAGE        a photo or screenshot of the pairing code",
	"      --uri URI         the pairing URI itself",
	"      --share ROOT      the folder the holder offers (a phone's tree, a folder)",
	"      --consent-file FILE  scripted answers instead of asking on the terminal",
	"      --model M, --serial S, --imei N  the device's identity",
	"      --retries N       reconnections after a cut connection (default 30)",
	"  status: the session serving the case, as JSON",
	"  qr: show TEXT as a QR code on the terminal and write it to --png FILE",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Pair the workstation with a device agent over TLS 1.3 by QR code; the\n"
	"agent then sends only what its holder consents to (see fx-auth(1)).",
	options,
};

enum {
	OPT_BIND = 256,
	OPT_HOST,
	OPT_PNG,
	OPT_TTL,
	OPT_TIMEOUT,
	OPT_QR,
	OPT_URI,
	OPT_SHARE,
	OPT_CONSENT,
	OPT_MODEL,
	OPT_SERIAL,
	OPT_IMEI,
	OPT_RETRIES,
};

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{"bind", required_argument, NULL, OPT_BIND},
	{"host", required_argument, NULL, OPT_HOST},
	{"png", required_argument, NULL, OPT_PNG},
	{"ttl", required_argument, NULL, OPT_TTL},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"qr", required_argument, NULL, OPT_QR},
	{"uri", required_argument, NULL, OPT_URI},
	{"share", required_argument, NULL, OPT_SHARE},
	{"consent-file", required_argument, NULL, OPT_CONSENT},
	{"model", required_argument, NULL, OPT_MODEL},
	{"serial", required_argument, NULL, OPT_SERIAL},
	{"imei", required_argument, NULL, OPT_IMEI},
	{"retries", required_argument, NULL, OPT_RETRIES},
	{NULL, 0, NULL, 0},
};

static unsigned number(const char *s, const char *opt)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*end || !*s || v > 86400)
		fx_opt_usage_error(&usage, fx_xasprintf("%s must be a whole number to 86400", opt));
	return (unsigned)v;
}

static int cmd_status(const char *case_dir)
{
	struct fx_pair_io io;
	json_t *m;
	int fd = fx_pair_control_connect(case_dir), ret = FX_EXIT_FAIL;

	if (fd < 0)
		return FX_EXIT_FAIL;
	fx_pair_io_init(&io, NULL, fd, "the pairing session");
	m = json_pack("{s:s}", "op", "status");
	if (fx_pair_send(&io, m) == 0) {
		json_decref(m);
		if (fx_pair_recv_msg(&io, &m) == 0) {
			json_object_del(m, "v");
			json_object_del(m, "id");
			json_object_del(m, "nonce");
			json_dumpf(m, stdout, JSON_COMPACT | JSON_SORT_KEYS);
			fputc('\n', stdout);
			ret = FX_EXIT_OK;
		}
	}
	json_decref(m);
	fx_pair_io_release(&io);
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	struct fx_actor who = {"fx-pair", argc, argv};
	struct fx_pair_listen_opts lo = {0};
	struct fx_pair_agent_opts ao = {0};
	struct fx_common common;
	const char *cmd;
	char **sub;
	int c, subc, r;

	fx_init(argc, argv);
	fx_common_init(&common);
	lo.ttl = 300;
	lo.timeout = 600;
	lo.resume_wait = 30;
	lo.out = stdout;
	ao.retries = 30;
	if (argc < 2 || argv[1][0] == '-') {
		while ((c = getopt_long(argc, argv, FX_OPT_COMMON_SHORT, longopts, NULL)) != -1)
			fx_opt_common(c, &common, &usage);
	}
	if (optind >= argc)
		fx_opt_usage_error(&usage, "no command given");
	cmd = argv[optind++];
	if (strcmp(cmd, "listen") && strcmp(cmd, "agent") && strcmp(cmd, "status") &&
	    strcmp(cmd, "qr"))
		fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a command", cmd));
	/* Options after the command, from a copy: custody keeps argv as given. */
	sub = fx_opt_rest(argc, argv, &subc);
	optind = 1;
	while ((c = getopt_long(subc, sub, "hVqC:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_BIND:
			lo.bind = optarg;
			break;
		case OPT_HOST:
			lo.host = optarg;
			break;
		case OPT_PNG:
			lo.png = optarg;
			break;
		case OPT_TTL:
			lo.ttl = number(optarg, "--ttl");
			break;
		case OPT_TIMEOUT:
			lo.timeout = number(optarg, "--timeout");
			break;
		case OPT_QR:
			ao.qr = optarg;
			break;
		case OPT_URI:
			ao.uri = optarg;
			break;
		case OPT_SHARE:
			ao.share = optarg;
			break;
		case OPT_CONSENT:
			ao.consent_file = optarg;
			break;
		case OPT_MODEL:
			ao.model = optarg;
			break;
		case OPT_SERIAL:
			ao.serial = optarg;
			break;
		case OPT_IMEI:
			ao.imei = optarg;
			break;
		case OPT_RETRIES:
			ao.retries = number(optarg, "--retries");
			break;
		default:
			fx_opt_common(c, &common, &usage);
		}
	}
	lo.quiet = ao.quiet = common.quiet;
	if (!strcmp(cmd, "qr")) {
		if (optind + 1 != subc || !lo.png)
			fx_opt_usage_error(&usage, "qr needs --png FILE and one TEXT");
		r = fx_pair_qr_png(lo.png, sub[optind]);
		if (r == 0 && !common.quiet)
			fx_pair_qr_print(stderr, sub[optind]);
		return r < 0 ? FX_EXIT_USAGE : FX_EXIT_OK;
	}
	if (optind != subc)
		fx_opt_usage_error(&usage, fx_xasprintf("%s takes no operands", cmd));
	if (!strcmp(cmd, "agent")) {
		if (!ao.qr == !ao.uri || !ao.share)
			fx_opt_usage_error(&usage,
					   "agent needs --qr IMAGE or --uri URI, and --share ROOT");
		r = fx_pair_agent(&ao);
		return r < 0 ? FX_EXIT_USAGE : r;
	}
	fx_opt_need_case(&common, &usage);
	if (!strcmp(cmd, "status")) {
		return cmd_status(common.case_dir);
	}
	if (!lo.ttl)
		fx_opt_usage_error(&usage, "--ttl must be at least 1");
	lo.c = fx_case_open(common.case_dir, FX_CASE_WRITE, &who);
	if (!lo.c)
		return FX_EXIT_USAGE;
	r = fx_pair_listen(&lo);
	fx_case_free(lo.c);
	if (fx_close_stdout() < 0)
		r = -1;
	return r < 0 ? FX_EXIT_USAGE : FX_EXIT_OK;
}
