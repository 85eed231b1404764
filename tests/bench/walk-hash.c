/*
 * walk-hash - the throughput benchmark of lib/fx_walk.c: walks a source
 * (directory, tar of any compression, zip, or plain file) and SHA-256
 * hashes every member's stream.
 *
 *   walk-hash [-v] SOURCE
 *
 * With -v, one line per member on stdout, "sha256  path" (the hash of the
 * member's stream: empty for directories and links). A summary goes to
 * stderr: members, bytes, seconds, MB/s (10^6 bytes) and errors. Exits 0,
 * 1 when the walk reported problems, 2 on a usage error or when the
 * source cannot be opened.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fx.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct fx_walk_entry *e;
	struct fx_walk *w;
	struct fx_hash *h;
	uint8_t md[FX_SHA256_LEN];
	char hex[FX_SHA256_HEX];
	unsigned long long members = 0, bytes = 0;
	const void *buf;
	ssize_t n;
	double t0, secs;
	int verbose = 0, c, r, failed = 0;

	fx_init(argc, argv);
	while ((c = getopt(argc, argv, "v")) != -1) {
		if (c == 'v') {
			verbose = 1;
		} else {
			fprintf(stderr, "usage: %s [-v] SOURCE\n", fx_progname());
			return FX_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: %s [-v] SOURCE\n", fx_progname());
		return FX_EXIT_USAGE;
	}
	t0 = now();
	if (!(w = fx_walk_open(argv[optind])))
		return FX_EXIT_USAGE;
	h = fx_hash_new(FX_HASH_SHA256);
	while ((r = fx_walk_next(w, &e)) != 0) {
		if (r < 0)
			continue;
		members++;
		while ((n = fx_walk_read(w, &buf)) > 0) {
			fx_hash_update(h, buf, (size_t)n);
			bytes += (unsigned long long)n;
		}
		fx_hash_final(h, md);
		if (n < 0)
			failed = 1; /* the hash covers a partial stream */
		if (verbose)
			printf("%s  %s\n", fx_hex(md, sizeof(md), hex), e->path);
	}
	secs = now() - t0;
	fprintf(stderr, "%s: %llu members, %llu bytes, %.3f s, %.1f MB/s, "
		"%u errors\n", fx_progname(), members, bytes, secs,
		secs > 0 ? (double)bytes / 1e6 / secs : 0.0, fx_walk_errors(w));
	if (fx_walk_errors(w))
		failed = 1;
	fx_hash_free(h);
	fx_walk_free(w);
	if (fx_close_stdout() < 0)
		failed = 1;
	return failed ? FX_EXIT_FAIL : FX_EXIT_OK;
}
