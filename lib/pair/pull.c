#define _XOPEN_SOURCE 700 /* nftw */
/*
 * fx-pull device: a thin client of the pairing session. The session
 * receives the consented, selected items into CASE/incoming/NAME/ (each
 * hashed on arrival and compared with the agent's hash); this side then
 * acquires that tree exactly as fx-pull android does, checks that every
 * stored object has the hash the item arrived with, and removes the tree.
 */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_pair.h"
#include "fx_pull.h"
#include "fx_banned.h"

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* A monotonic clock for the transfer rate: FX_NOW may hold the wall clock still. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int unsafe_nocheck(void)
{
	const char *t = getenv("FX_PAIR_UNSAFE_TEST");

	return t && strstr(t, "nocheck") != NULL;
}

/* Asks the session for one category. Returns items received, or -1. *bad counts refusals. */
static int fetch(const struct fx_pull_opts *o, const char *category, const char *staging,
		 json_t *arrived, uint64_t *bad)
{
	struct fx_pair_io io;
	const char *ev, *err;
	long long resumed;
	double t0 = now_s();
	uint64_t bytes = 0;
	double secs;
	char num[32];
	json_t *req, *m = NULL;
	int fd, n = 0, done = 0;

	fd = fx_pair_control_connect(fx_case_dir(o->c));
	if (fd < 0)
		return -1;
	fx_pair_io_init(&io, NULL, fd, "the pairing session");
	io.timeout_ms = 0;
	req = json_pack("{s:s,s:s,s:s}", "op", "pull", "category", category, "staging", staging);
	if (fx_pair_send(&io, req) < 0)
		n = -1;
	json_decref(req);
	while (n >= 0 && !done && fx_pair_recv_msg(&io, &m) == 0) {
		ev = json_string_value(json_object_get(m, "event"));
		err = json_string_value(json_object_get(m, "error"));
		if (!json_is_true(json_object_get(m, "ok"))) {
			fx_error("%s: %s", category, err ? err : "refused");
			n = -1;
		} else if (ev && !strcmp(ev, "item")) {
			resumed = json_integer_value(json_object_get(m, "resumed_at"));
			snprintf(num, sizeof(num), "%lld", (long long)resumed);
			json_object_set(arrived, json_string_value(json_object_get(m, "path")), m);
			if (!o->quiet)
				fprintf(stderr, "%s: received '%s' (%lld bytes, sha256 %s)%s%s\n",
					fx_progname(),
					json_string_value(json_object_get(m, "path")),
					(long long)json_integer_value(json_object_get(m, "size")),
					json_string_value(json_object_get(m, "sha256")),
					resumed ? ", resumed at " : "", resumed ? num : "");
			n++;
			bytes += (uint64_t)json_integer_value(json_object_get(m, "size"));
		} else if (ev && !strcmp(ev, "refused")) {
			fx_error("refused '%s' from the device: %s",
				 json_string_value(json_object_get(m, "path")), err ? err : "?");
			(*bad)++;
		} else if (ev && !strcmp(ev, "done")) {
			done = 1;
			secs = now_s() - t0;
			if (!o->quiet)
				fprintf(stderr,
					"%s: %s: %d items, %llu bytes received in %.3f s "
					"(%.0f MB/s)\n",
					fx_progname(), category, n, (unsigned long long)bytes, secs,
					secs > 0 ? (double)bytes / secs / 1e6 : 0.0);
		}
		json_decref(m);
		m = NULL;
	}
	if (n >= 0 && !done) {
		fx_error("%s: the pairing session ended the transfer early", category);
		n = -1;
	}
	fx_pair_io_release(&io);
	close(fd);
	return n;
}

int fx_pull_device(const struct fx_pull_opts *o, const char *const *types, size_t ntypes,
		   struct fx_pull_stats *st)
{
	char *staging_name, *staging;
	json_t *arrived, *it, *rec = NULL;
	const char *path;
	struct fx_pull_opts mine = *o;
	struct fx_pair_io io;
	char *key = NULL;
	uint64_t bad = 0;
	size_t i;
	int r, got = 0, ret = 0, fd;

	if (!o->c)
		return fx_error("fx-pull device needs a case (--case DIR)");
	for (i = 0; i < ntypes; i++) {
		if (!fx_pair_category_find(types[i]))
			return fx_error("'%s': not a consent category (see fx-auth(1))", types[i]);
		r = fx_pair_consent_state(o->c, types[i], &rec);
		json_decref(rec);
		if (r < 0)
			return -1;
		if (r == 0 && !unsafe_nocheck())
			return fx_error("'%s': no consent in effect for this category; ask with "
					"fx-auth request --type %s",
					types[i], types[i]);
	}
	/* The session must be there, and names the device the items come from. */
	fd = fx_pair_control_connect(fx_case_dir(o->c));
	if (fd < 0)
		return -1;
	fx_pair_io_init(&io, NULL, fd, "the pairing session");
	rec = json_pack("{s:s}", "op", "status");
	r = fx_pair_send(&io, rec);
	json_decref(rec);
	rec = NULL;
	if (r == 0 && fx_pair_recv_msg(&io, &rec) == 0 &&
	    json_string_value(json_object_get(rec, "device")) && !o->device)
		key = fx_xstrdup(json_string_value(json_object_get(rec, "device")));
	json_decref(rec);
	fx_pair_io_release(&io);
	close(fd);
	if (key)
		mine.device = key;
	o = &mine;
	arrived = json_object();
	staging_name = fx_xstrdup("device");
	staging = fx_xasprintf("%s/incoming/%s", fx_case_dir(o->c), staging_name);
	/* Left by a run that died: received again below. */
	nftw(staging, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < ntypes; i++) {
		r = fetch(o, types[i], staging_name, arrived, &bad);
		if (r < 0)
			ret = 1;
		else
			got += r;
	}
	st->problems += bad;
	if (bad)
		ret = 1;
	if (got > 0) {
		r = fx_pull_android(o, staging, st);
		if (r < 0)
			ret = -1;
		else if (r > 0)
			ret = 1;
		/* The stored object of each item must be what arrived. */
		json_object_foreach(arrived, path, it)
		{
			if (!fx_store_has(fx_case_store(o->c),
					  json_string_value(json_object_get(it, "sha256")))) {
				fx_error("'%s': not stored with the hash it arrived with", path);
				ret = ret < 0 ? ret : 1;
			}
		}
	}
	nftw(staging, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(staging);
	free(staging_name);
	free(key);
	json_decref(arrived);
	return ret;
}
