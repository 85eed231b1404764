#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static int count_cb(const char *hex, uint64_t size, void *ctx)
{
	(void)hex;
	(void)size;
	(*(int *)ctx)++;
	return 0;
}

FX_TEST(test_store_put_dedupe_readonly)
{
	struct fx_store *s = fx_store_open(t_tmpdir(), 1);
	char hex[FX_SHA256_HEX], hex2[FX_SHA256_HEX], *path;
	struct stat st;
	int existed = -1, n = 0;

	CHECK(s != NULL);
	CHECK(fx_store_put_buf(s, "abc", 3, hex, &existed) == 0);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_INT(existed, 0);
	CHECK(fx_store_put_buf(s, "abc", 3, hex2, &existed) == 0);
	CHECK_STR(hex2, hex);
	CHECK_INT(existed, 1);
	CHECK(fx_store_has(s, hex));
	CHECK(!fx_store_has(s, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	path = fx_store_path(s, hex);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0444);
	CHECK(strstr(path, "/objects/ba/7816bf") != NULL);
	free(path);
	CHECK(fx_store_sync(s) == 0);
	fx_store_foreach(s, count_cb, &n);
	CHECK_INT(n, 1);
	fx_store_free(s);
}

FX_TEST(test_store_large_object_uses_writer_and_hashes_right)
{
	struct fx_store *s = fx_store_open(t_tmpdir(), 1);
	struct fx_store_put *p = fx_store_put_begin(s);
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	char hex[FX_SHA256_HEX], want[FX_SHA256_HEX], got[FX_SHA256_HEX], *path;
	unsigned char *buf = fx_xmalloc(300000);
	uint8_t md[32];
	uint64_t size = 0, fsize = 0;
	int i, existed;

	for (i = 0; i < 300000; i++)
		buf[i] = (unsigned char)(i * 7 + i / 1000);
	/* 40 blocks of odd sizes: about 12 MB, past the synchronous limit */
	for (i = 0; i < 40; i++) {
		CHECK(fx_store_put_write(p, buf, 300000 - (size_t)i) == 0);
		fx_hash_update(h, buf, 300000 - (size_t)i);
	}
	fx_hash_final(h, md);
	fx_hex(md, 32, want);
	CHECK(fx_store_put_commit(p, hex, &size, &existed) == 0);
	CHECK_STR(hex, want);
	CHECK_INT(size, 40 * 300000 - 780);
	path = fx_store_path(s, hex);
	CHECK(fx_sha256_file(path, got, &fsize) == 0);
	CHECK_STR(got, want);
	CHECK_INT(fsize, size);
	free(path);
	free(buf);
	fx_hash_free(h);
	fx_store_free(s);
}

FX_TEST(test_store_abort_leaves_nothing)
{
	struct fx_store *s = fx_store_open(t_tmpdir(), 1);
	struct fx_store_put *p = fx_store_put_begin(s);
	char *cmd;
	int n = 0;

	fx_store_put_write(p, "partial", 7);
	fx_store_put_abort(p);
	fx_store_foreach(s, count_cb, &n);
	CHECK_INT(n, 0);
	cmd = fx_xasprintf("test -z \"$(ls -A '%s/objects/tmp')\"", t_tmpdir());
	CHECK(system(cmd) == 0);
	free(cmd);
	fx_store_free(s);
}

FX_TEST(test_store_replaces_a_short_object)
{
	struct fx_store *s = fx_store_open(t_tmpdir(), 1);
	char hex[FX_SHA256_HEX], got[FX_SHA256_HEX], *path, *dir;
	FILE *f;
	int existed;

	/* A lost write left an empty file under the name of "abc". */
	dir = fx_xasprintf("%s/objects/ba", t_tmpdir());
	mkdir(dir, 0755);
	path = fx_xasprintf("%s/7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", dir);
	f = fopen(path, "w");
	fclose(f);
	CHECK(fx_store_put_buf(s, "abc", 3, hex, &existed) == 0);
	CHECK_INT(existed, 0);
	CHECK(fx_sha256_file(path, got, NULL) == 0);
	CHECK_STR(got, hex);
	free(path);
	free(dir);
	fx_store_free(s);
}

FX_TEST(test_store_readonly_refuses_puts)
{
	struct fx_store *s;

	fx_store_free(fx_store_open(t_tmpdir(), 1));
	s = fx_store_open(t_tmpdir(), 0);
	CHECK(s != NULL);
	t_mute_stderr();
	CHECK(fx_store_put_begin(s) == NULL);
	t_unmute_stderr();
	fx_store_free(s);
}

/* Stores n pattern bytes (seeded) through p in blocks of step; want gets the hash. */
static void put_pattern(struct fx_store_put *p, size_t n, size_t step, unsigned seed,
			char want[FX_SHA256_HEX])
{
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	unsigned char *buf = fx_xmalloc(step);
	uint8_t md[32];
	size_t done = 0, k, i;

	while (done < n) {
		k = n - done < step ? n - done : step;
		for (i = 0; i < k; i++)
			buf[i] = (unsigned char)((done + i) * seed + (done + i) / 4099);
		CHECK(fx_store_put_write(p, buf, k) == 0);
		fx_hash_update(h, buf, k);
		done += k;
	}
	fx_hash_final(h, md);
	fx_hex(md, 32, want);
	fx_hash_free(h);
	free(buf);
}

static void check_object(struct fx_store *s, const char *hex, uint64_t size)
{
	char *path = fx_store_path(s, hex), got[FX_SHA256_HEX];
	uint64_t fsize = 0;

	CHECK(fx_sha256_file(path, got, &fsize) == 0);
	CHECK_STR(got, hex);
	CHECK_INT(fsize, size);
	free(path);
}

FX_TEST(test_store_sizes_at_every_boundary_come_back_exact)
{
	/* Around the inline limit (1 MiB), the direct-I/O block (4 KiB) and slots. */
	static const size_t sizes[] = { 0, 1, 4095, 4096, 1048575, 1048576, 1048577,
					1052672, 2097152, 2097153, 5 * 1048576 + 4095,
					9 * 1048576 + 1 };
	static const size_t steps[] = { 4097, 65536, 1048576, 3000001 };
	struct fx_store *s = fx_store_open(t_tmpdir(), 1);
	char want[FX_SHA256_HEX], hex[FX_SHA256_HEX];
	uint64_t size;
	size_t i, j;
	int existed;

	for (i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		for (j = 0; j < sizeof(steps) / sizeof(*steps); j++) {
			struct fx_store_put *p = fx_store_put_begin(s);

			put_pattern(p, sizes[i], steps[j], 7 + (unsigned)i, want);
			CHECK(fx_store_put_commit(p, hex, &size, &existed) == 0);
			CHECK_STR(hex, want);
			CHECK_INT(size, sizes[i]);
			check_object(s, hex, size);
		}
	}
	CHECK(fx_store_sync(s) == 0);
	fx_store_free(s);
}

FX_TEST(test_store_nested_and_aborted_large_objects_stay_apart)
{
	struct fx_store *s = fx_store_open(t_tmpdir(), 1);
	struct fx_store_put *outer = fx_store_put_begin(s), *inner, *gone;
	char w1[FX_SHA256_HEX], w2[FX_SHA256_HEX], w3[FX_SHA256_HEX], hex[FX_SHA256_HEX];
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	unsigned char *buf = fx_xmalloc(3 << 20);
	uint8_t md[32];
	uint64_t size;
	size_t i;
	int existed, n = 0;

	for (i = 0; i < (3u << 20); i++)
		buf[i] = (unsigned char)(i % 251);
	/* The outer object is mid-slot when another large one starts and ends. */
	CHECK(fx_store_put_write(outer, buf, (3u << 20) - 5) == 0);
	fx_hash_update(h, buf, (3u << 20) - 5);
	inner = fx_store_put_begin(s);
	put_pattern(inner, 6u << 20, 1000003, 13, w2);
	gone = fx_store_put_begin(s);
	put_pattern(gone, 4u << 20, 777777, 17, w3);
	fx_store_put_abort(gone);
	CHECK(fx_store_put_commit(inner, hex, &size, &existed) == 0);
	CHECK_STR(hex, w2);
	check_object(s, hex, size);
	CHECK(fx_store_put_write(outer, buf, 3u << 20) == 0);
	fx_hash_update(h, buf, 3u << 20);
	fx_hash_final(h, md);
	fx_hex(md, 32, w1);
	CHECK(fx_store_put_commit(outer, hex, &size, &existed) == 0);
	CHECK_STR(hex, w1);
	CHECK_INT(size, (6u << 20) - 5);
	check_object(s, hex, size);
	fx_store_foreach(s, count_cb, &n);
	CHECK_INT(n, 2);
	free(buf);
	fx_hash_free(h);
	fx_store_free(s);
}
