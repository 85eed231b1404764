/*
 * A fuzz target for fx-carve's page parser: the input is a database file
 * image, carved whole (header, live trees, freelist, every page) with the
 * output thrown away. Built two ways:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilib \
 *       tests/fuzz/carve_page.c lib/libfx.a $(pkg-config --libs ...) \
 *       -o carve_page && ./carve_page tests/fuzz/corpus/carve_page
 *
 * or, as `make check` does, with tests/fuzz/driver.c instead of libFuzzer,
 * running it once over each file of the seed corpus.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fx.h"
#include "fx_carve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct fx_carve_input in = {
		{NULL, "fuzz.db", NULL}, {NULL, NULL, NULL}, {NULL, NULL, NULL}, NULL};
	struct fx_carve_out out;
	char path[64];
	int fd;

	if (!null)
		null = fopen("/dev/null", "w");
	fd = memfd_create("fuzz.db", 0);
	if (fd < 0 || !null)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	in.db.path = path;
	fx_carve_out_init(&out, null, FX_CARVE_JSONL);
	out.quiet = 1;
	fx_carve_run(&in, &out);
	close(fd);
	return 0;
}
