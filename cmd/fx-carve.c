/*
 * fx-carve - recover deleted SQLite records: freeblocks, unallocated
 * space, the freelist, dropped tables, overflow chains, WAL frames,
 * rollback journals and index b-trees. Options here; the carver is
 * lib/carve/ (lib/fx_carve.h).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fx.h"
#include "fx_carve.h"

static const char *const synopsis[] = {
	"[-q] [--format jsonl|csv] [--expect FILE] [--wal FILE] [--journal FILE]"
	" [--no-siblings] DB...",
	"[-q] -C DIR [--format jsonl|csv] [--expect FILE] < RECORDS",
	NULL,
};

static const char *const options[] = {
	"  DB...               SQLite databases; each one's DB-wal and DB-journal are read",
	"                      with it when they exist",
	"      --wal FILE      the write-ahead log of the (one) DB, wherever it is",
	"      --journal FILE  the rollback journal of the (one) DB",
	"      --no-siblings   do not look for DB-wal and DB-journal",
	"      --format F      jsonl (carved records, the default) or csv (for people)",
	"      --expect FILE   compare the output with FILE (a saved output) instead of",
	"                      printing it: exit 1 on any difference",
	"  With --case and no DB, `file` records are read from stdin and passed through,",
	"  and every SQLite database among their objects is carved, with its -wal and",
	"  -journal when the stream has them.",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Recover deleted rows from SQLite databases, reading their pages (never\n"
	"through SQLite, never writing): one carved record per row, in file order.",
	options,
};

enum { OPT_WAL = 256, OPT_JOURNAL, OPT_NO_SIBLINGS, OPT_FORMAT, OPT_EXPECT };

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{"wal", required_argument, NULL, OPT_WAL},
	{"journal", required_argument, NULL, OPT_JOURNAL},
	{"no-siblings", no_argument, NULL, OPT_NO_SIBLINGS},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"expect", required_argument, NULL, OPT_EXPECT},
	{NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	struct fx_common common;
	struct fx_carve_out out;
	enum fx_carve_format format = FX_CARVE_JSONL;
	const char *wal = NULL, *journal = NULL, *expect = NULL;
	int c, i, r, no_siblings = 0, ret = FX_EXIT_OK;
	FILE *fp = stdout;

	fx_init(argc, argv);
	fx_common_init(&common);
	while ((c = getopt_long(argc, argv, "hVqC:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_WAL:
			wal = optarg;
			break;
		case OPT_JOURNAL:
			journal = optarg;
			break;
		case OPT_NO_SIBLINGS:
			no_siblings = 1;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "jsonl") == 0)
				format = FX_CARVE_JSONL;
			else if (strcmp(optarg, "csv") == 0)
				format = FX_CARVE_CSV;
			else
				fx_opt_usage_error(&usage, fx_xasprintf("--format is jsonl or csv, "
									"not '%s'",
									optarg));
			break;
		case OPT_EXPECT:
			expect = optarg;
			break;
		default:
			fx_opt_common(c, &common, &usage);
		}
	}
	if ((wal || journal) && argc - optind != 1)
		fx_opt_usage_error(&usage, "--wal and --journal go with exactly one DB");
	if (optind >= argc && !common.case_dir)
		fx_opt_usage_error(&usage, "no DB given, and no case to read file records for");
	if (expect) {
		/* The output is kept aside and compared, not printed. */
		fp = tmpfile();
		if (!fp)
			fx_die_errno("cannot make a temporary file");
	}
	fx_carve_out_init(&out, fp, format);
	out.quiet = common.quiet;
	if (optind >= argc) {
		r = fx_carve_case(common.case_dir, "-", &out);
		ret = r < 0 ? FX_EXIT_USAGE : r > 0 ? FX_EXIT_FAIL : FX_EXIT_OK;
	}
	for (i = optind; i < argc; i++) {
		struct fx_carve_input in;
		char *w = NULL, *j = NULL;

		memset(&in, 0, sizeof(in));
		in.db.path = argv[i];
		if (wal)
			in.wal.path = wal;
		else if (!no_siblings)
			in.wal.path = w = fx_carve_sibling(argv[i], "-wal");
		if (journal)
			in.journal.path = journal;
		else if (!no_siblings)
			in.journal.path = j = fx_carve_sibling(argv[i], "-journal");
		r = fx_carve_run(&in, &out);
		free(w);
		free(j);
		if (r < 0) {
			ret = FX_EXIT_USAGE;
			break;
		}
		if (r > 0)
			ret = FX_EXIT_FAIL;
	}
	if (expect && ret != FX_EXIT_USAGE) {
		fflush(fp);
		r = fx_carve_expect(fp, expect);
		if (r < 0)
			ret = FX_EXIT_USAGE;
		else if (r > 0)
			ret = FX_EXIT_FAIL;
		else if (!common.quiet)
			fprintf(stderr, "%s: the output is as in '%s'\n", fx_progname(), expect);
		fclose(fp);
	}
	if (fx_close_stdout() < 0 && ret == FX_EXIT_OK)
		ret = FX_EXIT_USAGE;
	return ret;
}
