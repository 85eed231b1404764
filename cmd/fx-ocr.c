/*
 * fx-ocr - text in images (tesseract), the device details of an "About
 * phone" photo, QR codes and barcodes (zbar), PRC identity cards, and the
 * check of a prompted screen recording. Options here; lib/ocr/ does it.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fx.h"

static const char *const synopsis[] = {
	"[-q] [-C DIR] text IMAGE...",
	"[-q] [-C DIR] device [--device KEY] IMAGE...",
	"[-q] [-C DIR] codes IMAGE...",
	"[-q] [-C DIR] idcard IMAGE...",
	"[-q] [-C DIR] prompt-check --steps FILE [--fps RATE] FRAME...|VIDEO",
	NULL,
};

static const char *const options[] = {
	"  text: the text of each image, with word boxes and confidences (ocr records)",
	"  device: IMEIs, MEID, serial, model, brand, Android version, phone number and",
	"         MAC addresses of an \"About phone\" page (a device record; with a case,",
	"         merged into the case's device and the photo stored)",
	"  codes: every QR code and barcode (code records)",
	"  idcard: a PRC resident identity card: number (checked), name, address",
	"  prompt-check: frames (or a video, with ffmpeg) show the steps' strings in",
	"         order; the frames of the capture window are stored (a verdict record)",
	"      --device KEY    the device key for the records (imei:…, serial:…)",
	"      --steps FILE    prompt-check: the steps, display times and capture window",
	"      --fps RATE      prompt-check: frames a second (frame times for images without",
	"                      a time in their names; the sampling rate of a video)",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Read images: each is hashed as it is read, and with a case stored as\n"
	"evidence with what was read from it. Records on stdout.",
	options,
};

enum { OPT_DEVICE = 256, OPT_STEPS, OPT_FPS };

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{"device", required_argument, NULL, OPT_DEVICE},
	{"steps", required_argument, NULL, OPT_STEPS},
	{"fps", required_argument, NULL, OPT_FPS},
	{NULL, 0, NULL, 0},
};

static const char *const commands[] = {"text", "device", "codes", "idcard", "prompt-check", NULL};

int main(int argc, char **argv)
{
	struct fx_actor who = {"fx-ocr", argc, argv};
	struct fx_ocr_run run = {0};
	struct fx_common common;
	const char *cmd, *steps = NULL;
	char *end, **sub;
	int c, i, r, subc, ret = FX_EXIT_OK;

	fx_init(argc, argv);
	signal(SIGPIPE, SIG_DFL);
	fx_common_init(&common);
	run.out = stdout;
	if (argc < 2 || argv[1][0] == '-') {
		while ((c = getopt_long(argc, argv, FX_OPT_COMMON_SHORT, longopts, NULL)) != -1)
			fx_opt_common(c, &common, &usage);
	}
	if (optind >= argc)
		fx_opt_usage_error(&usage, "no command given");
	cmd = argv[optind++];
	for (i = 0; commands[i] && strcmp(commands[i], cmd) != 0; i++)
		;
	if (!commands[i])
		fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a command", cmd));
	/*
	 * Options after the command, in GNU order, parsed from a copy: the
	 * custody log records the argument vector as it was given.
	 */
	sub = fx_xmalloc(sizeof(*sub) * (size_t)(argc - optind + 2));
	sub[0] = argv[0];
	subc = 1;
	for (i = optind; i < argc; i++)
		sub[subc++] = argv[i];
	sub[subc] = NULL;
	optind = 1;
	while ((c = getopt_long(subc, sub, "hVqC:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DEVICE:
			run.device = optarg;
			break;
		case OPT_STEPS:
			steps = optarg;
			break;
		case OPT_FPS:
			run.fps = strtod(optarg, &end);
			if (*end || !(run.fps > 0 && run.fps <= 240))
				fx_opt_usage_error(&usage,
						   "--fps must be a number above 0, up to 240");
			break;
		default:
			fx_opt_common(c, &common, &usage);
		}
	}
	if (optind >= subc)
		fx_opt_usage_error(&usage, fx_xasprintf("%s needs at least one %s", cmd,
							strcmp(cmd, "prompt-check") == 0
								? "FRAME or a VIDEO"
								: "IMAGE"));
	if (strcmp(cmd, "prompt-check") == 0 && !steps)
		fx_opt_usage_error(&usage, "prompt-check needs --steps FILE");
	if (strcmp(cmd, "prompt-check") != 0 && (steps || run.fps))
		fx_opt_usage_error(&usage, "--steps and --fps are prompt-check's");
	if (run.device && strcmp(cmd, "device") != 0 && strcmp(cmd, "text") != 0 &&
	    strcmp(cmd, "codes") != 0 && strcmp(cmd, "idcard") != 0)
		fx_opt_usage_error(&usage, "--device is for the commands that read images");
	run.quiet = common.quiet;
	if (common.case_dir) {
		run.c = fx_case_open(common.case_dir, FX_CASE_WRITE, &who);
		if (!run.c)
			return FX_EXIT_USAGE;
	}
	if (strcmp(cmd, "prompt-check") == 0) {
		r = fx_ocr_prompt_check(&run, steps, sub + optind, (size_t)(subc - optind));
		ret = r < 0 ? FX_EXIT_USAGE : r > 0 ? FX_EXIT_FAIL : FX_EXIT_OK;
	} else {
		for (i = optind; i < subc; i++) {
			if (strcmp(cmd, "text") == 0)
				r = fx_ocr_text(&run, sub[i]);
			else if (strcmp(cmd, "device") == 0)
				r = fx_ocr_device(&run, sub[i]);
			else if (strcmp(cmd, "codes") == 0)
				r = fx_ocr_codes(&run, sub[i]);
			else
				r = fx_ocr_idcard(&run, sub[i]);
			if (r < 0) {
				ret = FX_EXIT_USAGE;
				break;
			}
			if (r > 0)
				ret = FX_EXIT_FAIL;
		}
		if (ret == FX_EXIT_OK && run.negative)
			ret = FX_EXIT_FAIL;
		if (!common.quiet)
			fprintf(stderr, "%s: %llu images read, %llu could not be\n", fx_progname(),
				(unsigned long long)run.images, (unsigned long long)run.problems);
	}
	fx_ocr_run_release(&run);
	fx_case_free(run.c);
	free(sub);
	if (fx_close_stdout() < 0 && ret == FX_EXIT_OK)
		ret = FX_EXIT_USAGE;
	return ret;
}
