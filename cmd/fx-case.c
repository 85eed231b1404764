/*
 * fx-case - create and query a case: init, info, add, list, show, log,
 * verify, note, reset, types. A CLI over lib/case/.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fx.h"

static const char *const synopsis[] = {
	"[-q] [-C DIR] init CASE-ID [--title T] [--examiner NAME] [--agency A]"
	" [--location L] [--party ROLE=NAME]... [KEY=VALUE]...",
	"[-q] [-C DIR] info",
	"[-q] [-C DIR] add [--batch N] [FILE]...",
	"[-q] [-C DIR] list [--type T] [--device D] [--since TIME] [--until TIME]"
	" [--query TEXT] [--withdrawn | --all] [--by-time] [--limit N]",
	"[-q] [-C DIR] show ID",
	"[-q] [-C DIR] log [--from SEQ]",
	"[-q] [-C DIR] verify",
	"[-q] [-C DIR] note TEXT",
	"[-q] [-C DIR] reset --type T [--device D] [--reason TEXT]",
	"types",
	NULL,
};

static const char *const options[] = {
	"  init: make a case in DIR (which must not exist or be empty)",
	"      --title T       title of the case",
	"      --examiner NAME examiner in charge (default: $FX_EXAMINER or login)",
	"      --agency A      agency or institution",
	"      --location L    where the case is opened",
	"      --party ROLE=NAME  a party (reporter, suspect, witness…); repeatable",
	"  add: ingest records (JSON Lines) from FILEs or stdin",
	"      --batch N       records per transaction and custody entry (default 10000)",
	"  list: print stored records",
	"      --type T        only records of type T",
	"      --device D      only records of device D",
	"      --since TIME    only events at or after TIME (RFC 3339)",
	"      --until TIME    only events before TIME",
	"      --query TEXT    full-text search of the records' text (FTS5 syntax)",
	"      --withdrawn     only withdrawn records",
	"      --all           live and withdrawn records",
	"      --by-time       in event-time order (default: the order they were added)",
	"      --limit N       at most N records",
	"  log: print the custody log as custody records",
	"      --from SEQ      start at entry SEQ",
	"  reset: withdraw a category's evidence (kept for audit)",
	"      --type T        the record type to withdraw",
	"      --device D      only that device's",
	"      --reason TEXT   why, for the custody log",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Create a case, ingest records, query them, and check the case and its\n"
	"custody log. Records are JSON Lines on stdout; messages go to stderr.",
	options,
};

enum {
	OPT_TITLE = 256, OPT_EXAMINER, OPT_AGENCY, OPT_LOCATION, OPT_PARTY, OPT_BATCH,
	OPT_TYPE, OPT_DEVICE, OPT_SINCE, OPT_UNTIL, OPT_QUERY, OPT_WITHDRAWN, OPT_ALL,
	OPT_BYTIME, OPT_LIMIT, OPT_FROM, OPT_REASON,
};

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "examiner", required_argument, NULL, OPT_EXAMINER },
	{ "agency", required_argument, NULL, OPT_AGENCY },
	{ "location", required_argument, NULL, OPT_LOCATION },
	{ "party", required_argument, NULL, OPT_PARTY },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "query", required_argument, NULL, OPT_QUERY },
	{ "withdrawn", no_argument, NULL, OPT_WITHDRAWN },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "by-time", no_argument, NULL, OPT_BYTIME },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct fx_common common;
	unsigned long seen; /* bit (c - OPT_TITLE) for each command option given */
	json_t *info;    /* init: case data */
	json_t *parties; /* init */
	unsigned long batch;
	struct fx_case_query q;
	uint64_t from;
	const char *reason;
	const char *type, *device;
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

static const char *time_arg(const char *s, const char *what)
{
	char out[FX_TIME_LEN];
	int64_t ms;

	if (fx_time_parse(s, &ms) < 0 || fx_time_format(ms, out) < 0)
		fx_opt_usage_error(&usage, fx_xasprintf("%s must be an RFC 3339 time, not '%s'",
							what, s));
	return fx_xstrdup(out);
}

static void parse(struct opts *o, int argc, char **argv)
{
	const char *eq;
	int c;

	while ((c = getopt_long(argc, argv, FX_OPT_COMMON_SHORT, longopts, NULL)) != -1) {
		if (c >= OPT_TITLE)
			o->seen |= 1UL << (c - OPT_TITLE);
		switch (c) {
		case OPT_TITLE:
		case OPT_EXAMINER:
		case OPT_AGENCY:
		case OPT_LOCATION: {
			static const char *const keys[] = { "title", "examiner", "agency", "location" };

			json_object_set_new(o->info, keys[c - OPT_TITLE],
					    json_string(optarg));
			break;
		}
		case OPT_PARTY:
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1])
				fx_opt_usage_error(&usage, "--party takes ROLE=NAME");
			json_array_append_new(o->parties,
					      json_pack("{s:s%,s:s}", "role", optarg,
							(size_t)(eq - optarg), "name", eq + 1));
			break;
		case OPT_BATCH:
			o->batch = (unsigned long)number(optarg, "--batch");
			if (!o->batch)
				fx_opt_usage_error(&usage, "--batch must be at least 1");
			break;
		case OPT_TYPE:
			o->q.type = o->type = optarg;
			break;
		case OPT_DEVICE:
			o->q.device = o->device = optarg;
			break;
		case OPT_SINCE:
			o->q.since = time_arg(optarg, "--since");
			break;
		case OPT_UNTIL:
			o->q.until = time_arg(optarg, "--until");
			break;
		case OPT_QUERY:
			o->q.text = optarg;
			break;
		case OPT_WITHDRAWN:
			o->q.withdrawn = 1;
			break;
		case OPT_ALL:
			o->q.withdrawn = 2;
			break;
		case OPT_BYTIME:
			o->q.by_time = 1;
			break;
		case OPT_LIMIT:
			o->q.limit = number(optarg, "--limit");
			break;
		case OPT_FROM:
			o->from = number(optarg, "--from");
			break;
		case OPT_REASON:
			o->reason = optarg;
			break;
		default:
			fx_opt_common(c, &o->common, &usage);
		}
	}
}

static struct fx_case *open_case(struct opts *o, unsigned flags, int argc, char **argv)
{
	struct fx_actor who = { "fx-case", argc, argv };
	const char *dir = fx_opt_need_case(&o->common, &usage);
	struct fx_case *c = fx_case_open(dir, flags, &who);

	if (!c)
		exit(FX_EXIT_USAGE);
	return c;
}

static int write_json_line(const json_t *v)
{
	char *s = fx_json_dump(v);
	int ret = 0;

	if (!s || puts(s) == EOF)
		ret = fx_error_errno("cannot write to standard output");
	free(s);
	return ret;
}

/* ---- init ---- */

static int cmd_init(struct opts *o, int argc, char **argv, int nargs, char **args)
{
	struct fx_actor who = { "fx-case", argc, argv };
	const char *dir = fx_opt_need_case(&o->common, &usage);
	json_t *fields = json_object(), *rec;
	struct fx_case *c;
	const char *eq;
	int i, ret;

	if (nargs < 1)
		fx_opt_usage_error(&usage, "init needs a case id");
	for (i = 1; i < nargs; i++) {
		eq = strchr(args[i], '=');
		if (!eq || eq == args[i])
			fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not KEY=VALUE", args[i]));
		json_object_setn_new(fields, args[i], (size_t)(eq - args[i]), json_string(eq + 1));
	}
	if (!json_object_get(o->info, "examiner")) {
		char *e = fx_examiner();

		json_object_set_new(o->info, "examiner", json_string(e));
		free(e);
	}
	if (json_array_size(o->parties))
		json_object_set(o->info, "parties", o->parties);
	if (json_object_size(fields))
		json_object_set(o->info, "fields", fields);
	json_decref(fields);
	c = fx_case_create(dir, args[0], o->info, &who);
	if (!c)
		return FX_EXIT_USAGE;
	rec = json_deep_copy(fx_case_record(c));
	ret = fx_record_write(stdout, rec) < 0 ? FX_EXIT_USAGE : FX_EXIT_OK;
	json_decref(rec);
	if (!o->common.quiet)
		fprintf(stderr, "%s: made case '%s' in '%s'\n", fx_progname(), args[0], dir);
	fx_case_free(c);
	return ret;
}

/* ---- add ---- */

static int cmd_add(struct opts *o, int argc, char **argv, int nargs, char **args)
{
	struct fx_case *c = open_case(o, FX_CASE_WRITE, argc, argv);
	struct fx_case_ingest in = { 0 };
	int i, ret = 0, r;

	in.batch = o->batch;
	in.quiet = o->common.quiet;
	for (i = 0; i < (nargs ? nargs : 1); i++) {
		r = fx_case_ingest(c, nargs ? args[i] : "-", &in);
		if (r != 0)
			ret = 1;
		if (r < 0)
			break;
	}
	if (!o->common.quiet)
		fprintf(stderr, "%s: added %llu records, %llu already in the case, %llu rejected\n",
			fx_progname(), (unsigned long long)in.added,
			(unsigned long long)in.duplicates, (unsigned long long)in.rejected);
	fx_case_free(c);
	return ret ? FX_EXIT_FAIL : FX_EXIT_OK;
}

/* ---- list, show, log, info, types ---- */

static int print_line(const char *line, void *ctx)
{
	(void)ctx;
	if (fputs(line, stdout) == EOF || putchar('\n') == EOF)
		return fx_error_errno("cannot write to standard output");
	return 0;
}

static int cmd_list(struct opts *o, int argc, char **argv)
{
	struct fx_case *c = open_case(o, FX_CASE_READ, argc, argv);
	int ret = fx_case_list(c, &o->q, print_line, NULL);

	fx_case_free(c);
	return ret ? FX_EXIT_USAGE : FX_EXIT_OK;
}

static int cmd_show(struct opts *o, int argc, char **argv, int nargs, char **args)
{
	struct fx_case *c;
	json_t *rec;
	char *line;
	int ret;

	if (nargs != 1)
		fx_opt_usage_error(&usage, "show needs one record id");
	c = open_case(o, FX_CASE_READ, argc, argv);
	rec = fx_case_get(c, args[0]);
	fx_case_free(c);
	if (!rec)
		return FX_EXIT_FAIL;
	line = fx_json_dump(rec);
	ret = print_line(line, NULL) ? FX_EXIT_USAGE : FX_EXIT_OK;
	free(line);
	json_decref(rec);
	return ret;
}

struct log_ctx {
	const char *case_id;
};

static json_t *custody_record(const char *case_id, const json_t *entry)
{
	json_t *rec = fx_record_new("custody", case_id, "fx-case");

	json_object_set(rec, FX_KEY_TIME, json_object_get(entry, "at"));
	json_object_set(rec, FX_KEY_DATA, (json_t *)entry);
	return rec;
}

static int print_entry(const json_t *entry, void *ctx)
{
	struct log_ctx *l = ctx;
	json_t *rec = custody_record(l->case_id, entry);
	int ret = fx_record_write(stdout, rec);

	json_decref(rec);
	return ret;
}

static int cmd_log(struct opts *o, int argc, char **argv)
{
	struct fx_case *c = open_case(o, FX_CASE_READ, argc, argv);
	struct log_ctx l = { fx_case_id(c) };
	int ret = fx_case_log(c, o->from, print_entry, &l);

	fx_case_free(c);
	return ret ? FX_EXIT_USAGE : FX_EXIT_OK;
}

static int cmd_info(struct opts *o, int argc, char **argv)
{
	struct fx_case *c = open_case(o, FX_CASE_READ, argc, argv);
	json_t *info = fx_case_info(c);
	int ret = write_json_line(info);

	json_decref(info);
	fx_case_free(c);
	return ret ? FX_EXIT_USAGE : FX_EXIT_OK;
}

static int cmd_types(void)
{
	const struct fx_type *t;
	const struct fx_field *f;
	json_t *j, *fields;
	size_t n, i;
	int ret = 0;

	t = fx_types(&n);
	for (i = 0; i < n && !ret; i++) {
		fields = json_array();
		for (f = t[i].fields; f->name; f++)
			json_array_append_new(fields, json_pack("{s:s,s:s,s:b,s:s}", "name", f->name,
					      "type", fx_field_type_name(f->type), "required",
					      f->required, "doc", f->doc));
		j = json_pack("{s:s,s:s,s:o}", "type", t[i].name, "doc", t[i].doc, "fields", fields);
		ret = write_json_line(j);
		json_decref(j);
	}
	return ret ? FX_EXIT_USAGE : FX_EXIT_OK;
}

/* ---- verify, note, reset ---- */

static int cmd_verify(struct opts *o, int argc, char **argv)
{
	struct fx_case *c;
	json_t *result, *rec;
	int ret;

	c = open_case(o, FX_CASE_READ, argc, argv);
	ret = fx_case_verify(c, 0, &result);
	rec = fx_record_new("verification", fx_case_id(c), "fx-case");
	{
		char t[FX_TIME_LEN];

		fx_time_now(t);
		json_object_set_new(rec, FX_KEY_TIME, json_string(t));
	}
	json_object_set_new(rec, FX_KEY_DATA, result);
	if (fx_record_write(stdout, rec) < 0)
		ret = -1;
	if (!o->common.quiet && ret == 0)
		fprintf(stderr, "%s: case '%s' verified: custody root %s\n", fx_progname(),
			fx_case_id(c), json_string_value(json_object_get(result, "root")));
	json_decref(rec);
	fx_case_free(c);
	return ret < 0 ? FX_EXIT_USAGE : ret;
}

static int cmd_note(struct opts *o, int argc, char **argv, int nargs, char **args)
{
	struct fx_case *c;
	char t[FX_TIME_LEN];
	json_t *rec, *detail;
	int ret = FX_EXIT_OK;

	if (nargs != 1 || !*args[0])
		fx_opt_usage_error(&usage, "note needs one TEXT argument");
	c = open_case(o, FX_CASE_WRITE, argc, argv);
	rec = fx_record_new("note", fx_case_id(c), "fx-case");
	fx_time_now(t);
	json_object_set_new(rec, FX_KEY_TIME, json_string(t));
	json_object_set_new(json_object_get(rec, FX_KEY_DATA), "text", json_string(args[0]));
	detail = json_pack("{s:s}", "text", args[0]);
	if (fx_case_begin(c, "note") < 0 || fx_case_add_record(c, rec, "note", NULL) < 0 ||
	    fx_case_commit(c, detail, NULL) < 0 || fx_record_write(stdout, rec) < 0)
		ret = FX_EXIT_USAGE;
	json_decref(detail);
	json_decref(rec);
	fx_case_free(c);
	return ret;
}

static int cmd_reset(struct opts *o, int argc, char **argv, int nargs)
{
	struct fx_case *c;
	json_t *detail, *entry = NULL, *rec;
	uint64_t n = 0;
	int ret = FX_EXIT_OK;

	if (!o->type || nargs)
		fx_opt_usage_error(&usage, "reset needs --type T and nothing else");
	if (strcmp(o->type, "case") == 0 || strcmp(o->type, "custody") == 0)
		fx_opt_usage_error(&usage, fx_xasprintf("records of type '%s' cannot be withdrawn",
							o->type));
	c = open_case(o, FX_CASE_WRITE, argc, argv);
	detail = json_pack("{s:s}", "type", o->type);
	if (o->device)
		json_object_set_new(detail, "device", json_string(o->device));
	if (o->reason)
		json_object_set_new(detail, "reason", json_string(o->reason));
	if (fx_case_begin(c, "reset") < 0 || fx_case_withdraw(c, o->type, o->device, &n) < 0) {
		ret = FX_EXIT_USAGE;
	} else {
		json_object_set_new(detail, "count", json_integer((json_int_t)n));
		if (fx_case_commit(c, detail, &entry) < 0) {
			ret = FX_EXIT_USAGE;
		} else {
			rec = custody_record(fx_case_id(c), entry);
			if (fx_record_write(stdout, rec) < 0)
				ret = FX_EXIT_USAGE;
			json_decref(rec);
			json_decref(entry);
			if (!o->common.quiet)
				fprintf(stderr, "%s: withdrew %llu %s records\n", fx_progname(),
					(unsigned long long)n, o->type);
		}
	}
	json_decref(detail);
	fx_case_free(c);
	return ret;
}

#define BIT(opt) (1UL << ((opt) - OPT_TITLE))

/* The options each command takes; any other is a usage error. */
static const struct {
	const char *cmd;
	unsigned long allowed;
} command_options[] = {
	{ "init", BIT(OPT_TITLE) | BIT(OPT_EXAMINER) | BIT(OPT_AGENCY) | BIT(OPT_LOCATION) |
		  BIT(OPT_PARTY) },
	{ "add", BIT(OPT_BATCH) },
	{ "list", BIT(OPT_TYPE) | BIT(OPT_DEVICE) | BIT(OPT_SINCE) | BIT(OPT_UNTIL) |
		  BIT(OPT_QUERY) | BIT(OPT_WITHDRAWN) | BIT(OPT_ALL) | BIT(OPT_BYTIME) |
		  BIT(OPT_LIMIT) },
	{ "log", BIT(OPT_FROM) },
	{ "reset", BIT(OPT_TYPE) | BIT(OPT_DEVICE) | BIT(OPT_REASON) },
};

static void check_options(const struct opts *o, const char *cmd)
{
	unsigned long allowed = 0, stray;
	size_t i;
	int bit;

	for (i = 0; i < sizeof(command_options) / sizeof(command_options[0]); i++)
		if (strcmp(cmd, command_options[i].cmd) == 0)
			allowed = command_options[i].allowed;
	stray = o->seen & ~allowed;
	if (!stray)
		return;
	for (bit = 0; !(stray >> bit & 1); bit++)
		;
	for (i = 0; longopts[i].name; i++)
		if (longopts[i].val == OPT_TITLE + bit)
			fx_opt_usage_error(&usage, fx_xasprintf("--%s does not go with '%s'",
								longopts[i].name, cmd));
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	const char *cmd;
	char **args;
	int nargs, ret;

	fx_init(argc, argv);
	/* A full disk must be an error we report, not a signal that kills us. */
	signal(SIGXFSZ, SIG_IGN);
	fx_common_init(&o.common);
	o.info = json_object();
	o.parties = json_array();
	o.batch = FX_CASE_BATCH;
	parse(&o, argc, argv);
	if (optind >= argc)
		fx_opt_usage_error(&usage, "no command given");
	cmd = argv[optind++];
	/* Options may also follow the command: parse what is after it. */
	args = fx_xmalloc(sizeof(*args) * (size_t)(argc + 1));
	nargs = 0;
	while (optind < argc) {
		parse(&o, argc, argv);
		/* After "--" (which getopt has just consumed) everything is an argument. */
		if (optind > 1 && strcmp(argv[optind - 1], "--") == 0) {
			while (optind < argc)
				args[nargs++] = argv[optind++];
			break;
		}
		while (optind < argc && (argv[optind][0] != '-' || !argv[optind][1]))
			args[nargs++] = argv[optind++];
	}
	check_options(&o, cmd);
	if (strcmp(cmd, "init") == 0)
		ret = cmd_init(&o, argc, argv, nargs, args);
	else if (strcmp(cmd, "info") == 0 && !nargs)
		ret = cmd_info(&o, argc, argv);
	else if (strcmp(cmd, "add") == 0)
		ret = cmd_add(&o, argc, argv, nargs, args);
	else if (strcmp(cmd, "list") == 0 && !nargs)
		ret = cmd_list(&o, argc, argv);
	else if (strcmp(cmd, "show") == 0)
		ret = cmd_show(&o, argc, argv, nargs, args);
	else if (strcmp(cmd, "log") == 0 && !nargs)
		ret = cmd_log(&o, argc, argv);
	else if (strcmp(cmd, "verify") == 0 && !nargs)
		ret = cmd_verify(&o, argc, argv);
	else if (strcmp(cmd, "note") == 0)
		ret = cmd_note(&o, argc, argv, nargs, args);
	else if (strcmp(cmd, "reset") == 0)
		ret = cmd_reset(&o, argc, argv, nargs);
	else if (strcmp(cmd, "types") == 0 && !nargs)
		ret = cmd_types();
	else
		fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a command, or takes no"
							" arguments", cmd));
	free(args);
	json_decref(o.info);
	json_decref(o.parties);
	if (fx_close_stdout() < 0 && ret == FX_EXIT_OK)
		ret = FX_EXIT_USAGE;
	return ret;
}
