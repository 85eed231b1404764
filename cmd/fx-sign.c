/*
 * fx-sign - keys, multi-party CMS signatures, RFC 3161 timestamps and
 * signed custody checkpoints, and their verification. A CLI over
 * lib/sign/.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fx.h"

static const char *const synopsis[] = {
	"[-q] keygen [--key NAME] [--algo ed25519|p256|rsa3072] [--subject DN] [--days N]"
	" [--passphrase-file FILE]",
	"[-q] import [--key NAME] (--cert FILE (--private-key FILE | --pkcs11 URI [--module LIB])"
	" | --pkcs12 FILE) [--chain FILE] [--passphrase-file FILE]",
	"keys",
	"trust FILE...",
	"[-q] [-C DIR] sign --role signer|certifier|verifier [--key NAME] [--ink IMAGE --signer NAME]"
	" [--tsa URL] [FILE]...",
	"[-q] [-C DIR] stamp [--tsa URL] [--tsa-cert FILE] [--timeout S] [FILE]...",
	"[-q] -C DIR checkpoint [--cosign] [--key NAME] [--tsa URL]",
	"[-q] -C DIR renew [--within DAYS] [--tsa URL]",
	"[-q] -C DIR prove [--size N] (ENTRY | --from N)",
	"[-q] [-C DIR] verify [--ca FILE]... [--crl FILE]... [FILE]...",
	NULL,
};

static const char *const options[] = {
	"  keygen: make a key and a self-signed certificate in $FX_HOME/keys",
	"      --algo ALG      ed25519, p256 (default) or rsa3072",
	"      --subject DN    certificate subject, /CN=name/O=agency (default: the key name)",
	"      --days N        certificate validity (default 1095)",
	"  import: a certificate and key issued by the examiner's CA",
	"      --cert FILE     the certificate (PEM or DER)",
	"      --private-key FILE  its private key (PEM)",
	"      --pkcs12 FILE   certificate and key in one PKCS#12 file",
	"      --pkcs11 URI    the key on a PKCS#11 token (pkcs11:token=…;object=…)",
	"      --module LIB    the token's PKCS#11 library",
	"      --chain FILE    intermediate certificates to send with signatures",
	"  keys: list the keys; trust: add CA certificates to the trust anchors",
	"  sign: a detached CMS over each FILE, or the case's newest checkpoint",
	"      --role ROLE     signer, certifier or verifier",
	"      --ink IMAGE     a handwritten signature image to bind to the document",
	"      --signer NAME   whose handwriting --ink is",
	"  stamp: RFC 3161 timestamps of each FILE, or of the case's signatures",
	"  checkpoint: sign the custody log's tree head (C2SP tlog-checkpoint)",
	"      --cosign        add this key's signature to the newest checkpoint",
	"  renew: re-stamp tokens and signatures whose certificates expire soon",
	"      --within DAYS   those expiring within DAYS (default 90)",
	"  prove: an inclusion proof of custody entry ENTRY in a checkpoint",
	"      --size N        in the checkpoint of N entries (default: the newest)",
	"      --from N        a consistency proof from the checkpoint of N entries instead",
	"  verify: every signature, token and checkpoint of the case, and each FILE",
	"      --ca FILE       trust anchors (PEM), besides $FX_HOME/trust",
	"      --crl FILE      certificate revocation lists",
	"  keys and TSA:",
	"      --key NAME      the key to use (default: $FX_SIGN_KEY, or the only one)",
	"      --passphrase-file FILE  the key's passphrase or the token's PIN (else $FX_PASSPHRASE)",
	"      --tsa URL       the timestamp authority (else $FX_TSA)",
	"      --tsa-cert FILE the TSA's certificate, pinned (else $FX_TSA_CERT)",
	"      --timeout S     seconds to wait for the TSA (default 30)",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Sign evidence by several parties (detached CMS, CAdES-BES), timestamp it\n"
	"(RFC 3161), sign checkpoints of the custody log, and verify all of it;\n"
	"fx-sign(1) shows how to check each artifact with openssl alone.",
	options,
};

enum {
	OPT_KEY = 256, OPT_ALGO, OPT_SUBJECT, OPT_DAYS, OPT_PASS, OPT_CERT, OPT_PRIV, OPT_P12,
	OPT_P11, OPT_MODULE, OPT_CHAIN, OPT_ROLE, OPT_INK, OPT_SIGNER, OPT_TSA, OPT_TSACERT,
	OPT_TIMEOUT, OPT_COSIGN, OPT_WITHIN, OPT_SIZE, OPT_FROM, OPT_CA, OPT_CRL,
};

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{ "key", required_argument, NULL, OPT_KEY },
	{ "algo", required_argument, NULL, OPT_ALGO },
	{ "subject", required_argument, NULL, OPT_SUBJECT },
	{ "days", required_argument, NULL, OPT_DAYS },
	{ "passphrase-file", required_argument, NULL, OPT_PASS },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "private-key", required_argument, NULL, OPT_PRIV },
	{ "pkcs12", required_argument, NULL, OPT_P12 },
	{ "pkcs11", required_argument, NULL, OPT_P11 },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "chain", required_argument, NULL, OPT_CHAIN },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "ink", required_argument, NULL, OPT_INK },
	{ "signer", required_argument, NULL, OPT_SIGNER },
	{ "tsa", required_argument, NULL, OPT_TSA },
	{ "tsa-cert", required_argument, NULL, OPT_TSACERT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "cosign", no_argument, NULL, OPT_COSIGN },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "ca", required_argument, NULL, OPT_CA },
	{ "crl", required_argument, NULL, OPT_CRL },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct fx_common common;
	struct fx_sign s;
	const char *algo, *subject, *cert, *priv, *p12, *p11, *module, *chain;
	long days, within;
	unsigned long long size, from;
	int cosign;
	const char **ca, **crl;
	int nca, ncrl;
};

static unsigned long long number(const char *s, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		fx_opt_usage_error(&usage, fx_xasprintf("%s must be a whole number, not '%s'",
							what, s));
	return v;
}

static void parse(struct opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, FX_OPT_COMMON_SHORT, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_KEY: o->s.key = optarg; break;
		case OPT_ALGO: o->algo = optarg; break;
		case OPT_SUBJECT: o->subject = optarg; break;
		case OPT_DAYS: o->days = (long)number(optarg, "--days"); break;
		case OPT_PASS: o->s.passphrase_file = optarg; break;
		case OPT_CERT: o->cert = optarg; break;
		case OPT_PRIV: o->priv = optarg; break;
		case OPT_P12: o->p12 = optarg; break;
		case OPT_P11: o->p11 = optarg; break;
		case OPT_MODULE: o->module = optarg; break;
		case OPT_CHAIN: o->chain = optarg; break;
		case OPT_ROLE: o->s.role = optarg; break;
		case OPT_INK: o->s.ink = optarg; break;
		case OPT_SIGNER: o->s.ink_signer = optarg; break;
		case OPT_TSA: o->s.tsa_url = optarg; break;
		case OPT_TSACERT: o->s.tsa_cert = optarg; break;
		case OPT_TIMEOUT:
			o->s.timeout = (long)number(optarg, "--timeout");
			if (!o->s.timeout)
				fx_opt_usage_error(&usage, "--timeout must be at least 1");
			break;
		case OPT_COSIGN: o->cosign = 1; break;
		case OPT_WITHIN: o->within = (long)number(optarg, "--within"); break;
		case OPT_SIZE: o->size = number(optarg, "--size"); break;
		case OPT_FROM: o->from = number(optarg, "--from"); break;
		case OPT_CA:
			o->ca = fx_xrealloc(o->ca, sizeof(*o->ca) * (size_t)(o->nca + 2));
			o->ca[o->nca++] = optarg;
			o->ca[o->nca] = NULL;
			break;
		case OPT_CRL:
			o->crl = fx_xrealloc(o->crl, sizeof(*o->crl) * (size_t)(o->ncrl + 2));
			o->crl[o->ncrl++] = optarg;
			o->crl[o->ncrl] = NULL;
			break;
		default:
			fx_opt_common(c, &o->common, &usage);
		}
	}
}

static int run(struct opts *o, const char *cmd, int nargs, char **args)
{
	struct fx_sign *s = &o->s;
	const char *name = s->key ? s->key : "default";
	char *end;
	unsigned long long seq = 0;

	if (strcmp(cmd, "keygen") == 0 && !nargs)
		return fx_sign_keygen(s, name, o->algo ? o->algo : "p256", o->subject,
				      o->days ? (int)o->days : 1095);
	if (strcmp(cmd, "import") == 0 && !nargs)
		return fx_sign_import(s, name, o->cert, o->priv, o->p12, o->p11, o->module, o->chain);
	if (strcmp(cmd, "keys") == 0 && !nargs)
		return fx_sign_keys(s);
	if (strcmp(cmd, "trust") == 0 && nargs)
		return fx_sign_trust(s, args, nargs);
	if (strcmp(cmd, "sign") == 0)
		return fx_sign_sign(s, args, nargs);
	if (strcmp(cmd, "stamp") == 0)
		return fx_sign_stamp(s, args, nargs);
	if (strcmp(cmd, "checkpoint") == 0 && !nargs)
		return fx_sign_checkpoint(s, o->cosign);
	if (strcmp(cmd, "renew") == 0 && !nargs)
		return fx_sign_renew(s, o->within ? (int)o->within : 90);
	if (strcmp(cmd, "prove") == 0 && nargs <= 1 && (nargs == 1) != (o->from > 0)) {
		if (nargs) {
			errno = 0;
			seq = strtoull(args[0], &end, 10);
			if (errno || end == args[0] || *end || *args[0] == '-')
				fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a custody entry"
									" number", args[0]));
		}
		return fx_sign_prove(s, seq, o->size, o->from);
	}
	if (strcmp(cmd, "verify") == 0)
		return fx_sign_verify(s, args, nargs);
	fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a command, or not with those"
						" arguments", cmd));
}

int main(int argc, char **argv)
{
	struct opts o;
	const char *cmd;
	char **args;
	int nargs, ret;

	fx_init(argc, argv);
	signal(SIGXFSZ, SIG_IGN);
	memset(&o, 0, sizeof(o));
	fx_common_init(&o.common);
	parse(&o, argc, argv);
	if (optind >= argc)
		fx_opt_usage_error(&usage, "no command given");
	cmd = argv[optind++];
	/* Options may also follow the command. */
	args = fx_xmalloc(sizeof(*args) * (size_t)(argc + 1));
	nargs = 0;
	while (optind < argc) {
		parse(&o, argc, argv);
		if (optind > 1 && strcmp(argv[optind - 1], "--") == 0) {
			while (optind < argc)
				args[nargs++] = argv[optind++];
			break;
		}
		while (optind < argc && (argv[optind][0] != '-' || !argv[optind][1]))
			args[nargs++] = argv[optind++];
	}
	o.s.case_dir = o.common.case_dir;
	o.s.quiet = o.common.quiet;
	o.s.out = stdout;
	o.s.who.tool = "fx-sign";
	o.s.who.argc = argc;
	o.s.who.argv = argv;
	o.s.ca = o.ca;
	o.s.crl = o.crl;
	ret = run(&o, cmd, nargs, args);
	free(args);
	free(o.ca);
	free(o.crl);
	if (fx_close_stdout() < 0 && ret == 0)
		ret = -1;
	return ret < 0 ? FX_EXIT_USAGE : ret ? FX_EXIT_FAIL : FX_EXIT_OK;
}
