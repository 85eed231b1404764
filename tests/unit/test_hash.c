#include <stdlib.h>
#include "harness.h"

/* FIPS 180-2 / RFC 1321 / RFC 3174 test vectors for "abc". */
FX_TEST(test_hash_vectors)
{
	static const struct {
		enum fx_hash_algo algo;
		const char *hex;
	} v[] = {
		{ FX_HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ FX_HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ FX_HASH_MD5, "900150983cd24fb0d6963f7d28e17f72" },
	};
	uint8_t md[32];
	char hex[65];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct fx_hash *h = fx_hash_new(v[i].algo);

		/* in pieces, to exercise streaming */
		fx_hash_update(h, "a", 1);
		fx_hash_update(h, "bc", 2);
		fx_hash_final(h, md);
		CHECK_STR(fx_hex(md, fx_hash_len(v[i].algo), hex), v[i].hex);
		/* the context is reset after final */
		fx_hash_update(h, "abc", 3);
		fx_hash_final(h, md);
		CHECK_STR(fx_hex(md, fx_hash_len(v[i].algo), hex), v[i].hex);
		fx_hash_free(h);
	}
	CHECK_STR(fx_hash_name(FX_HASH_MD5), "md5");
}

FX_TEST(test_hash_million_a)
{
	/* FIPS 180-2: one million 'a' */
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	char block[1000], hex[65];
	uint8_t md[32];
	int i;

	memset(block, 'a', sizeof(block));
	for (i = 0; i < 1000; i++)
		fx_hash_update(h, block, sizeof(block));
	fx_hash_final(h, md);
	CHECK_STR(fx_hex(md, 32, hex),
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	fx_hash_free(h);
}

FX_TEST(test_hash_hex_helpers)
{
	uint8_t b[4];

	CHECK(fx_unhex("00ff10Ab", b, 4) == 0);
	CHECK(b[0] == 0 && b[1] == 0xff && b[2] == 0x10 && b[3] == 0xab);
	CHECK(fx_unhex("00ff10a", b, 4) < 0);
	CHECK(fx_unhex("00ff10abcd", b, 4) < 0);
	CHECK(fx_unhex("zzff10ab", b, 4) < 0);
	CHECK(fx_is_sha256_hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	CHECK(!fx_is_sha256_hex("BA7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	CHECK(!fx_is_sha256_hex("ba7816bf"));
}

FX_TEST(test_hash_file_streams)
{
	char *path = fx_path_join(t_tmpdir(), "f"), hex[FX_SHA256_HEX];
	uint64_t size = 0;
	FILE *f = fopen(path, "w");

	fputs("abc", f);
	fclose(f);
	CHECK(fx_sha256_file(path, hex, &size) == 0);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_INT(size, 3);
	t_mute_stderr();
	CHECK(fx_sha256_file("/nonexistent/x", hex, &size) < 0);
	t_unmute_stderr();
	free(path);
}
