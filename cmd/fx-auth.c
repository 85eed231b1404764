/*
 * fx-auth - the reporter's consent, per category of evidence: asked
 * through the pairing session (`request`), shown (`list`), withdrawn
 * (`revoke`). Each answer is a consent record and a custody entry.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fx.h"
#include "fx_pair.h"

static const char *const synopsis[] = {
	"[-q] -C DIR request --type T... [--png FILE]",
	"[-q] -C DIR list",
	"[-q] -C DIR revoke --type T...",
	"[-q] categories",
	NULL,
};

static const char *const options[] = {
	"  request: ask the paired device's holder; passive categories (sms, calls,",
	"           contacts, device-info) are confirmed on the device; active ones",
	"           (chat, payment, screenshots, screen-recordings, files) by scanning",
	"           the consent code shown here, or typing its short code",
	"      --type T        a category; repeat or separate with commas",
	"      --png FILE      also write the consent code as a PNG",
	"  list: the consent records in effect, one per category",
	"  revoke: withdraw consent for the categories",
	"  categories: the categories, as JSON",
	NULL,
};

static const struct fx_usage usage = {
	synopsis,
	"Ask, list and withdraw the reporter's consent per category of evidence.",
	options,
};

enum { OPT_TYPE = 256, OPT_PNG };

static const struct option longopts[] = {
	FX_OPT_COMMON_LONG,
	{"type", required_argument, NULL, OPT_TYPE},
	{"png", required_argument, NULL, OPT_PNG},
	{NULL, 0, NULL, 0},
};

/* Writes a consent record and its custody entry, and prints the record. */
static int record(struct fx_case *c, const char *category, const char *state, json_t *ans)
{
	json_t *rec = fx_record_new("consent", fx_case_id(c), "fx-auth");
	json_t *data = json_object_get(rec, FX_KEY_DATA), *detail, *v;
	char t[FX_TIME_LEN], id[FX_SHA256_HEX];
	const char *dev = ans ? json_string_value(json_object_get(ans, "device")) : NULL;
	int ret = -1;

	fx_time_now(t);
	json_object_set_new(rec, FX_KEY_TIME, json_string(t));
	if (dev)
		json_object_set_new(rec, FX_KEY_DEVICE, json_string(dev));
	json_object_set_new(data, "category", json_string(category));
	json_object_set_new(data, "state", json_string(state));
	json_object_set_new(data, "at", json_string(t));
	if (ans) {
		if ((v = json_object_get(ans, "method")))
			json_object_set(data, "method", v);
		if ((v = json_object_get(ans, "nonce")))
			json_object_set(data, "nonce", v);
		if ((v = json_object_get(ans, "identity")) && json_is_object(v))
			json_object_set(data, "identity", v);
		if ((v = json_object_get(ans, "confirmation")) && json_is_object(v)) {
			v = json_deep_copy(v);
			json_object_del(v, "v");
			json_object_del(v, "id");
			json_object_del(v, "re");
			json_object_del(v, "ok");
			json_object_set_new(data, "confirmation", v);
		}
	}
	if (fx_case_begin(c, "consent") < 0)
		goto out;
	if (fx_case_add_record(c, rec, category, NULL) < 0) {
		fx_case_rollback(c);
		goto out;
	}
	if (fx_record_id(rec, id) < 0)
		goto out;
	detail = json_pack("{s:s,s:s,s:s}", "category", category, "state", state, "record", id);
	ret = fx_case_commit(c, detail, NULL);
	json_decref(detail);
	if (ret == 0)
		ret = fx_record_write(stdout, rec);
out:
	json_decref(rec);
	return ret;
}

/* Reads the session's next message. Returns 0 or -1. */
static int next(struct fx_pair_io *io, json_t **m)
{
	return fx_pair_recv_msg(io, m);
}

/* Asks for one category. Returns 0 granted, 1 refused, -1 trouble. */
static int request(struct fx_case *c, const char *category, const char *png, int quiet)
{
	struct fx_pair_io io;
	json_t *m = NULL, *shown;
	const char *err;
	int fd, ret = -1;

	fd = fx_pair_control_connect(fx_case_dir(c));
	if (fd < 0)
		return -1;
	fx_pair_io_init(&io, NULL, fd, "the pairing session");
	io.timeout_ms = 0;
	m = json_pack("{s:s,s:s}", "op", "consent", "category", category);
	if (fx_pair_send(&io, m) < 0 || (json_decref(m), m = NULL, next(&io, &m) < 0))
		goto out;
	if (json_is_true(json_object_get(m, "ok")) &&
	    json_string_value(json_object_get(m, "event")) &&
	    !strcmp(json_string_value(json_object_get(m, "event")), "code")) {
		/* Active consent: the holder scans this, or types the short code. */
		fprintf(stderr, "%s: consent code for '%s': scan it with the device, or type %s\n",
			fx_progname(), category, json_string_value(json_object_get(m, "short")));
		if (!quiet)
			fx_pair_qr_print(stderr, json_string_value(json_object_get(m, "uri")));
		if (png && fx_pair_qr_png(png, json_string_value(json_object_get(m, "uri"))) < 0)
			goto out;
		json_decref(m);
		m = NULL;
		shown = json_pack("{s:s}", "op", "shown");
		if (fx_pair_send(&io, shown) < 0) {
			json_decref(shown);
			goto out;
		}
		json_decref(shown);
		if (next(&io, &m) < 0)
			goto out;
	}
	if (!json_is_true(json_object_get(m, "ok"))) {
		err = json_string_value(json_object_get(m, "error"));
		fx_error("'%s': consent not given: %s", category, err ? err : "refused");
		/* A refused or forged code is on the record too. */
		ret = record(c, category, "refused", NULL) < 0 ? -1 : 1;
		goto out;
	}
	if (json_is_true(json_object_get(m, "granted"))) {
		ret = record(c, category, "granted", m);
		if (!quiet && ret == 0)
			fprintf(stderr, "%s: consent given for '%s'\n", fx_progname(), category);
	} else {
		fx_error("'%s': the holder refused", category);
		ret = record(c, category, "refused", m) < 0 ? -1 : 1;
	}
out:
	json_decref(m);
	fx_pair_io_release(&io);
	close(fd);
	return ret;
}

static int revoke_one(struct fx_case *c, const char *category)
{
	struct fx_pair_io io;
	json_t *m;
	int fd;

	if (record(c, category, "revoked", NULL) < 0)
		return -1;
	/* Tell a running session too; without one there is nothing more to stop. */
	if (fx_pair_control_connect_quiet(fx_case_dir(c)) < 0)
		return 0;
	fd = fx_pair_control_connect(fx_case_dir(c));
	if (fd < 0)
		return 0;
	fx_pair_io_init(&io, NULL, fd, "the pairing session");
	m = json_pack("{s:s,s:s}", "op", "revoke", "category", category);
	if (fx_pair_send(&io, m) == 0) {
		json_decref(m);
		m = NULL;
		fx_pair_recv_msg(&io, &m);
	}
	json_decref(m);
	fx_pair_io_release(&io);
	close(fd);
	return 0;
}

static int list(struct fx_case *c)
{
	const struct fx_pair_category *cats;
	json_t *rec;
	size_t n, i;
	int r, ret = 0;

	cats = fx_pair_categories(&n);
	for (i = 0; i < n; i++) {
		r = fx_pair_consent_state(c, cats[i].name, &rec);
		if (r < 0)
			ret = -1;
		else if (r > 0 && rec && fx_record_write(stdout, rec) < 0)
			ret = -1;
		json_decref(rec);
	}
	return ret;
}

static int categories(void)
{
	const struct fx_pair_category *cats;
	json_t *o;
	size_t n, i;

	cats = fx_pair_categories(&n);
	for (i = 0; i < n; i++) {
		o = json_pack("{s:s,s:s,s:s}", "category", cats[i].name, "consent",
			      cats[i].active ? "active" : "passive", "doc", cats[i].doc);
		json_dumpf(o, stdout, JSON_COMPACT | JSON_SORT_KEYS);
		fputc('\n', stdout);
		json_decref(o);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct fx_actor who = {"fx-auth", argc, argv};
	struct fx_common common;
	const char *cmd, *png = NULL;
	char **sub, *tok, *save, *copy;
	const char **types = NULL;
	size_t ntypes = 0, i;
	struct fx_case *c;
	int ch, subc, r, ret = FX_EXIT_OK;

	fx_init(argc, argv);
	fx_common_init(&common);
	if (argc < 2 || argv[1][0] == '-') {
		while ((ch = getopt_long(argc, argv, FX_OPT_COMMON_SHORT, longopts, NULL)) != -1)
			fx_opt_common(ch, &common, &usage);
	}
	if (optind >= argc)
		fx_opt_usage_error(&usage, "no command given");
	cmd = argv[optind++];
	if (strcmp(cmd, "request") && strcmp(cmd, "list") && strcmp(cmd, "revoke") &&
	    strcmp(cmd, "categories"))
		fx_opt_usage_error(&usage, fx_xasprintf("'%s' is not a command", cmd));
	sub = fx_opt_rest(argc, argv, &subc);
	optind = 1;
	while ((ch = getopt_long(subc, sub, "hVqC:", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_TYPE:
			copy = fx_xstrdup(optarg);
			save = NULL;
			for (tok = strtok_r(copy, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (!fx_pair_category_find(tok))
					fx_opt_usage_error(
						&usage,
						fx_xasprintf("'%s' is not a consent category",
							     tok));
				types = fx_xrealloc(types, (ntypes + 1) * sizeof(*types));
				types[ntypes++] = fx_pair_category_find(tok)->name;
			}
			free(copy);
			break;
		case OPT_PNG:
			png = optarg;
			break;
		default:
			fx_opt_common(ch, &common, &usage);
		}
	}
	if (optind != subc)
		fx_opt_usage_error(&usage, fx_xasprintf("%s takes no operands", cmd));
	if (!strcmp(cmd, "categories")) {
		categories();
		return fx_close_stdout() < 0 ? FX_EXIT_USAGE : FX_EXIT_OK;
	}
	if (strcmp(cmd, "list") && !ntypes)
		fx_opt_usage_error(&usage, fx_xasprintf("%s needs --type T", cmd));
	fx_opt_need_case(&common, &usage);
	c = fx_case_open(common.case_dir, strcmp(cmd, "list") ? FX_CASE_WRITE : FX_CASE_READ, &who);
	if (!c)
		return FX_EXIT_USAGE;
	for (i = 0; i < ntypes || (!strcmp(cmd, "list") && i == 0); i++) {
		if (!strcmp(cmd, "list"))
			r = list(c);
		else if (!strcmp(cmd, "revoke"))
			r = revoke_one(c, types[i]);
		else
			r = request(c, types[i], png, common.quiet);
		if (r < 0)
			ret = FX_EXIT_USAGE;
		else if (r > 0 && ret == FX_EXIT_OK)
			ret = FX_EXIT_FAIL;
		if (!strcmp(cmd, "list"))
			break;
	}
	fx_case_free(c);
	free(types);
	if (fx_close_stdout() < 0)
		ret = FX_EXIT_USAGE;
	return ret;
}
