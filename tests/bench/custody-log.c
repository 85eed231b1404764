/*
 * custody-log - builds a case whose custody log has N entries, each one
 * a real change through the case's change API (begin, a note record,
 * commit), for the checkpoint and proof benchmark of fx-sign. fx-case
 * note would make the same entries, one process each, which at a million
 * entries takes hours.
 *
 *   custody-log CASE N
 *
 * Prints entries per second on stderr. Exits 0, or 2 on trouble.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fx.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct fx_actor who = { "custody-log", argc, argv };
	struct fx_case *c;
	json_t *info, *detail;
	unsigned long long n, i;
	double t0;

	fx_init(argc, argv);
	if (argc != 3 || (n = strtoull(argv[2], NULL, 10)) < 1) {
		fprintf(stderr, "usage: custody-log CASE N\n");
		return FX_EXIT_USAGE;
	}
	info = json_pack("{s:s}", "title", "custody benchmark");
	c = fx_case_create(argv[1], "bench", info, &who);
	json_decref(info);
	if (!c)
		return FX_EXIT_USAGE;
	t0 = now();
	for (i = 1; i < n; i++) {
		detail = json_pack("{s:I}", "n", (json_int_t)i);
		if (fx_case_begin(c, "bench") < 0 || fx_case_commit(c, detail, NULL) < 0) {
			json_decref(detail);
			fx_case_free(c);
			return FX_EXIT_USAGE;
		}
		json_decref(detail);
	}
	fprintf(stderr, "custody-log: %llu entries in %.1f s, %.0f entries/s\n", n, now() - t0,
		(double)(n - 1) / (now() - t0));
	fx_case_free(c);
	return FX_EXIT_OK;
}
