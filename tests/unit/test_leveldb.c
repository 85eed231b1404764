/*
 * test_leveldb.c - the forensic LevelDB reader against databases written
 * by the real LevelDB (tests/fixtures/leveldb, see its README), damaged
 * copies made here, and Chromium's DOM storage key layouts.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "fx_leveldb.h"

/* Run from the top of the tree, as `make unit` does. */
#define FIXT "tests/fixtures/leveldb"

struct got {
	char file[32];
	enum fx_leveldb_kind kind;
	uint64_t offset, seq;
	uint32_t pos;
	int deleted, live;
	unsigned char *key, *value; /* NUL-terminated copies; value NULL if deleted */
	size_t key_len, value_len;
};

struct col {
	struct got *v;
	size_t n;
	int stop_after; /* return non-zero from the callback after this many; 0: never */
};

static int collect(const struct fx_leveldb_entry *e, void *ctx)
{
	struct col *c = ctx;
	struct got *g;

	c->v = fx_xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	g = &c->v[c->n++];
	snprintf(g->file, sizeof(g->file), "%s", e->file);
	g->kind = e->kind;
	g->offset = e->offset;
	g->pos = e->pos;
	g->seq = e->seq;
	g->deleted = e->deleted;
	g->live = e->live;
	g->key = fx_xmalloc(e->key_len + 1);
	memcpy(g->key, e->key, e->key_len);
	g->key[e->key_len] = '\0';
	g->key_len = e->key_len;
	g->value = NULL;
	g->value_len = e->value_len;
	if (e->value) {
		g->value = fx_xmalloc(e->value_len + 1);
		memcpy(g->value, e->value, e->value_len);
		g->value[e->value_len] = '\0';
	}
	return c->stop_after && (int)c->n >= c->stop_after;
}

static void col_free(struct col *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* The entry with this key (text keys only) and sequence number, or NULL. */
static const struct got *find(const struct col *c, const char *key, uint64_t seq)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].key_len == strlen(key) && !memcmp(c->v[i].key, key, c->v[i].key_len) &&
		    c->v[i].seq == seq)
			return &c->v[i];
	return NULL;
}

/* Checks one entry in full; value NULL for a tombstone. */
static void check_entry(const struct got *g, const char *file, uint64_t offset, uint32_t pos,
			uint64_t seq, const char *key, const char *value, int live)
{
	CHECK(g != NULL);
	if (!g)
		return;
	CHECK_STR(g->file, file);
	CHECK_INT(g->offset, offset);
	CHECK_INT(g->pos, pos);
	CHECK_INT(g->seq, seq);
	CHECK_STR((const char *)g->key, key);
	CHECK_INT(g->deleted, value == NULL);
	if (value)
		CHECK_STR((const char *)g->value, value);
	else
		CHECK(g->value == NULL && g->value_len == 0);
	CHECK_INT(g->live, live);
}

/* Copies a fixture folder to <tmp>/name; returns the malloc'd path. */
static char *copy_fixture(const char *name)
{
	char *dst = fx_xasprintf("%s/%s", t_tmpdir(), name);
	char *cmd = fx_xasprintf("cp -R '%s/%s' '%s' && chmod -R u+w '%s'", FIXT, name, dst, dst);

	CHECK(system(cmd) == 0);
	free(cmd);
	return dst;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	unsigned char *b = (unsigned char *)fx_read_file(path, len, 0);

	CHECK(b != NULL);
	return b;
}

/* A plain write: the mutation test writes thousands of files, no fsync wanted. */
static void spit(const char *path, const unsigned char *b, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(len == 0 || fwrite(b, 1, len, f) == len);
	CHECK(fclose(f) == 0);
}

/* stderr into a file, to check the messages; end returns them (caller frees). */
static void capture_begin(int *saved, char **path)
{
	*path = fx_xasprintf("%s/stderr.txt", t_tmpdir());
	fflush(stderr);
	*saved = dup(2);
	CHECK(freopen(*path, "w", stderr) != NULL);
}

static char *capture_end(int saved, char *path)
{
	size_t len;
	char *text;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	text = fx_read_file(path, &len, 0);
	free(path);
	return text ? text : fx_xstrdup("");
}

/* LevelDB's masked CRC32C, to repair checksums after a deliberate edit. */
static uint32_t t_crc(const unsigned char *p, size_t n, uint32_t crc)
{
	uint32_t c = ~crc;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78U : c >> 1;
	}
	return ~c;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t t_mask(uint32_t crc)
{
	return ((crc >> 15) | (crc << 17)) + 0xa282ead8U;
}

/* Recomputes the trailer checksum of the table block [off, off + size). */
static void fix_block_crc(unsigned char *b, size_t off, size_t size)
{
	put_le32(b + off + size + 1, t_mask(t_crc(b + off + size, 1, t_crc(b + off, size, 0))));
}

/* Recomputes the checksum of the log record at off (its length cut to len). */
static void fix_record_crc(unsigned char *b, size_t len, size_t off)
{
	size_t n = (size_t)b[off + 4] | (size_t)b[off + 5] << 8;

	if (n > len - off - 7)
		n = len - off - 7;
	put_le32(b + off, t_mask(t_crc(b + off + 7, n, t_crc(b + off + 6, 1, 0))));
}

FX_TEST(test_leveldb_plain_every_version_with_provenance)
{
	struct col c = {0};

	CHECK_INT(fx_leveldb_read(FIXT "/plain", collect, &c), 0);
	CHECK_INT(c.n, 10);
	if (c.n != 10)
		goto out;
	/* session 1, flushed to a table on reopen: all older versions now */
	check_entry(&c.v[0], "000005.ldb", 0, 0, 1, "a", "1", 0);
	check_entry(&c.v[1], "000005.ldb", 0, 13, 2, "b", "2", 0);
	check_entry(&c.v[2], "000005.ldb", 0, 26, 3, "c", "3", 0);
	check_entry(&c.v[3], "000005.ldb", 0, 39, 4, "d", "4", 0);
	check_entry(&c.v[4], "000005.ldb", 0, 52, 5, "e", "5", 1);
	/* session 2: an overwrite and a tombstone, in the second table */
	check_entry(&c.v[5], "000008.ldb", 0, 0, 6, "a", "1b", 1);
	check_entry(&c.v[6], "000008.ldb", 0, 14, 7, "b", NULL, 1);
	/* session 3, still in the log: one batch per record */
	check_entry(&c.v[7], "000009.log", 0, 12, 8, "c", "3c", 1);
	check_entry(&c.v[8], "000009.log", 25, 12, 9, "d", NULL, 1);
	check_entry(&c.v[9], "000009.log", 25, 15, 10, "f", "6", 1);
	CHECK_INT(c.v[0].kind, FX_LEVELDB_TABLE);
	CHECK_INT(c.v[9].kind, FX_LEVELDB_LOG);
out:
	col_free(&c);
}

FX_TEST(test_leveldb_snappy_compacted_table_and_long_log_record)
{
	struct col c = {0};
	const struct got *g;
	size_t i, live = 0;
	char want[113];

	CHECK_INT(fx_leveldb_read(FIXT "/snappy", collect, &c), 0);
	/* 40 keys less key07 (its tombstone went in the compaction), and 3 log entries */
	CHECK_INT(c.n, 42);
	for (i = 0; i < c.n; i++)
		live += c.v[i].live;
	CHECK_INT(live, 39); /* each key's newest: 36 in the table, 3 in the log */
	memset(want, 'x', sizeof(want));
	memcpy(want, "value-key00-", 12);
	want[112] = '\0';
	check_entry(find(&c, "key00", 1), "000009.ldb", 0, 0, 1, "key00", want, 1);
	/* the compaction kept key05's second value (41), dropped the first (6) */
	memset(want, 'y', sizeof(want));
	memcpy(want, "new-", 4);
	want[104] = '\0';
	check_entry(find(&c, "key05", 41), "000009.ldb", 0, 628, 41, "key05", want, 0);
	CHECK(find(&c, "key05", 6) == NULL);
	CHECK(find(&c, "key07", 8) == NULL);
	check_entry(find(&c, "key05", 45), "000011.log", 33062, 12, 45, "key05", "newest", 1);
	/* a later compressed block, and keys in it rebuilt from shared prefixes */
	g = find(&c, "key11", 12);
	CHECK(g && g->offset == 194 && g->pos == 128 && !g->live && !g->deleted);
	g = find(&c, "key39", 40);
	CHECK(g && g->offset == 767 && g->pos == 252 && g->live);
	check_entry(find(&c, "key11", 44), "000011.log", 33036, 12, 44, "key11", NULL, 1);
	/* a 33000-byte value: a FIRST record in block 0, its LAST in block 1 */
	g = find(&c, "key10", 43);
	CHECK(g && g->offset == 0 && g->live && g->value_len == 33000);
	if (g)
		for (i = 0; i < g->value_len; i++)
			if (g->value[i] != 'z')
				break;
	CHECK(g && i == 33000);
	col_free(&c);
}

FX_TEST(test_leveldb_list_orders_files_by_number)
{
	struct fx_leveldb_file *f;
	long n = fx_leveldb_list(FIXT "/plain", &f);

	CHECK_INT(n, 5);
	if (n == 5) {
		CHECK_STR(f[0].name, "000005.ldb");
		CHECK_INT(f[0].kind, FX_LEVELDB_TABLE);
		CHECK_INT(f[0].number, 5);
		CHECK_INT(f[0].size, 166);
		CHECK_STR(f[1].name, "MANIFEST-000007");
		CHECK_INT(f[1].kind, FX_LEVELDB_MANIFEST);
		CHECK_INT(f[1].number, 7);
		CHECK_STR(f[2].name, "000008.ldb");
		CHECK_STR(f[3].name, "000009.log");
		CHECK_INT(f[3].kind, FX_LEVELDB_LOG);
		CHECK_INT(f[3].number, 9);
		CHECK_STR(f[4].name, "CURRENT");
		CHECK_INT(f[4].kind, FX_LEVELDB_CURRENT);
	}
	fx_leveldb_files_free(f, n);
}

FX_TEST(test_leveldb_list_skips_links_and_folders)
{
	char *dir = copy_fixture("plain"), *cmd;
	struct fx_leveldb_file *f;
	struct col c = {0};
	long n;

	cmd = fx_xasprintf("cd '%s' && : >LOCK && echo x >LOG && mkdir lost && "
			   "ln -s 000009.log 000010.log",
			   dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	n = fx_leveldb_list(dir, &f);
	CHECK_INT(n, 7);
	if (n == 7) {
		CHECK_STR(f[3].name, "000009.log");
		CHECK_STR(f[4].name, "CURRENT");
		CHECK_STR(f[5].name, "LOCK");
		CHECK_INT(f[5].kind, FX_LEVELDB_OTHER);
		CHECK_STR(f[6].name, "LOG");
		CHECK_INT(f[6].kind, FX_LEVELDB_OTHER);
		CHECK_INT(f[6].size, 2);
	}
	fx_leveldb_files_free(f, n);
	/* the link is not followed: the log is read once */
	CHECK_INT(fx_leveldb_read(dir, collect, &c), 0);
	CHECK_INT(c.n, 10);
	col_free(&c);
	free(dir);
}

FX_TEST(test_leveldb_read_file_by_name_and_by_content)
{
	struct col c = {0};
	char *dst = fx_xasprintf("%s/0123abcd", t_tmpdir());
	unsigned char *b;
	size_t len;

	/* one table: live within that file alone */
	CHECK_INT(fx_leveldb_read_file(FIXT "/plain/000005.ldb", collect, &c), 0);
	CHECK_INT(c.n, 5);
	if (c.n == 5)
		check_entry(&c.v[0], "000005.ldb", 0, 0, 1, "a", "1", 1);
	col_free(&c);

	/* named by hash: a table is known by its magic number */
	b = slurp(FIXT "/plain/000008.ldb", &len);
	spit(dst, b, len);
	free(b);
	CHECK_INT(fx_leveldb_read_file(dst, collect, &c), 0);
	CHECK_INT(c.n, 2);
	if (c.n == 2)
		check_entry(&c.v[1], "0123abcd", 0, 14, 7, "b", NULL, 1);
	col_free(&c);

	/* ... and anything else is read as a log */
	b = slurp(FIXT "/plain/000009.log", &len);
	spit(dst, b, len);
	free(b);
	CHECK_INT(fx_leveldb_read_file(dst, collect, &c), 0);
	CHECK_INT(c.n, 3);
	if (c.n == 3)
		check_entry(&c.v[2], "0123abcd", 25, 15, 10, "f", "6", 1);
	col_free(&c);
	free(dst);
}

FX_TEST(test_leveldb_bad_table_block_is_reported_and_skipped)
{
	char *dir = copy_fixture("snappy"), *path, *err, *saved_path;
	struct col c = {0};
	unsigned char *b;
	size_t len;
	int saved;

	path = fx_xasprintf("%s/000009.ldb", dir);
	b = slurp(path, &len);
	b[200] ^= 0x40; /* inside the compressed data block at offset 194 */
	spit(path, b, len);
	free(b);
	capture_begin(&saved, &saved_path);
	CHECK_INT(fx_leveldb_read(dir, collect, &c), 1);
	err = capture_end(saved, saved_path);
	CHECK(strstr(err, "000009.ldb': offset 194: bad block checksum; block skipped") != NULL);
	CHECK(strstr(err, "error: '") != NULL);
	/* the 9 entries of that block are gone, the rest is read */
	CHECK_INT(c.n, 42 - 9);
	CHECK(find(&c, "key09", 10) != NULL);
	CHECK(find(&c, "key12", 13) == NULL);
	CHECK(find(&c, "key19", 20) != NULL);
	CHECK(find(&c, "key10", 43) && find(&c, "key10", 43)->live);
	free(err);
	col_free(&c);

	/* a block whose snappy header claims 128 MiB is not decompressed */
	free(path);
	path = fx_xasprintf("%s/000005.ldb", t_tmpdir());
	b = slurp(FIXT "/plain/000005.ldb", &len);
	memcpy(b, "\x80\x80\x80\x40", 4);
	b[73] = 1;
	fix_block_crc(b, 0, 73);
	spit(path, b, len);
	free(b);
	capture_begin(&saved, &saved_path);
	CHECK_INT(fx_leveldb_read_file(path, collect, &c), 1);
	err = capture_end(saved, saved_path);
	CHECK(strstr(err, "000005.ldb': offset 0: block would decompress to 134217728 bytes") !=
	      NULL);
	CHECK_INT(c.n, 0);
	free(err);
	free(path);
	free(dir);
	col_free(&c);
}

FX_TEST(test_leveldb_truncated_log_keeps_what_is_whole)
{
	char *dir = copy_fixture("plain"), *path, *err, *saved_path;
	struct col c = {0};
	unsigned char *b;
	size_t len;
	int saved;

	path = fx_xasprintf("%s/000009.log", dir);
	b = slurp(path, &len);
	CHECK_INT(len, 52);
	spit(path, b, 40); /* the second record (at 25, 20 bytes of payload) is cut */
	free(b);
	capture_begin(&saved, &saved_path);
	CHECK_INT(fx_leveldb_read(dir, collect, &c), 1);
	err = capture_end(saved, saved_path);
	CHECK(strstr(err, "000009.log': offset 25: record of 20 bytes is truncated") != NULL);
	CHECK_INT(c.n, 8);
	check_entry(find(&c, "c", 8), "000009.log", 0, 12, 8, "c", "3c", 1);
	/* without the tombstone, d's value in the table is the live one */
	check_entry(find(&c, "d", 4), "000005.ldb", 0, 39, 4, "d", "4", 1);
	CHECK(find(&c, "f", 10) == NULL);
	free(err);
	free(path);
	free(dir);
	col_free(&c);
}

FX_TEST(test_leveldb_log_cut_between_fragments)
{
	char *dir = copy_fixture("snappy"), *path, *err, *saved_path;
	struct col c = {0};
	unsigned char *b;
	size_t len;
	int saved;

	path = fx_xasprintf("%s/000011.log", dir);
	b = slurp(path, &len);
	spit(path, b, 32768); /* the FIRST fragment whole, its LAST gone */
	free(b);
	capture_begin(&saved, &saved_path);
	CHECK_INT(fx_leveldb_read(dir, collect, &c), 1);
	err = capture_end(saved, saved_path);
	CHECK(strstr(err, "000011.log': offset 0: record is missing its last fragment") != NULL);
	CHECK_INT(c.n, 39);
	CHECK(find(&c, "key10", 11) && find(&c, "key10", 11)->live);
	free(err);
	free(path);
	free(dir);
	col_free(&c);
}

FX_TEST(test_leveldb_bad_log_record_skipped_alone)
{
	char *dir = copy_fixture("plain"), *path, *err, *saved_path;
	struct col c = {0};
	unsigned char *b, *big;
	size_t len;
	int saved;

	path = fx_xasprintf("%s/000009.log", dir);
	b = slurp(path, &len);
	b[7 + 14] ^= 1; /* key "c" of the first batch becomes "b" */
	spit(path, b, len);
	capture_begin(&saved, &saved_path);
	CHECK_INT(fx_leveldb_read(dir, collect, &c), 1);
	err = capture_end(saved, saved_path);
	CHECK(strstr(err, "000009.log': offset 0: bad record checksum; record skipped") != NULL);
	CHECK_INT(c.n, 9);
	CHECK(find(&c, "c", 8) == NULL);
	CHECK(find(&c, "c", 3) && find(&c, "c", 3)->live);
	CHECK(find(&c, "f", 10) != NULL);
	free(err);
	col_free(&c);

	/* the same edit with its checksum repaired reads cleanly */
	fix_record_crc(b, len, 0);
	spit(path, b, len);
	CHECK_INT(fx_leveldb_read(dir, collect, &c), 0);
	check_entry(find(&c, "b", 8), "000009.log", 0, 12, 8, "b", "3c", 1);
	col_free(&c);

	/* preallocated zeros after the last record are no damage */
	big = fx_xcalloc(1, len + 40000);
	memcpy(big, b, len);
	spit(path, big, len + 40000);
	CHECK_INT(fx_leveldb_read(dir, collect, &c), 0);
	CHECK_INT(c.n, 10);
	col_free(&c);
	free(big);
	free(b);
	free(path);
	free(dir);
}

FX_TEST(test_leveldb_nothing_readable_is_an_error)
{
	char *dir = fx_xasprintf("%s/db", t_tmpdir()), *path;
	struct col c = {0};

	t_mute_stderr();
	CHECK_INT(fx_leveldb_read(FIXT "/no-such-folder", collect, &c), -1);
	CHECK(mkdir(dir, 0755) == 0);
	CHECK_INT(fx_leveldb_read(dir, collect, &c), -1); /* holds no LevelDB files */
	path = fx_xasprintf("%s/000001.ldb", dir);
	spit(path, (const unsigned char *)"not a table", 11);
	CHECK_INT(fx_leveldb_read(dir, collect, &c), -1);
	CHECK_INT(fx_leveldb_read_file(path, collect, &c), -1);
	free(path);
	path = fx_xasprintf("%s/CURRENT", dir);
	spit(path, (const unsigned char *)"MANIFEST-000002\n", 16);
	CHECK_INT(fx_leveldb_read(dir, collect, &c), -1); /* the table is still bad */
	free(path);
	path = fx_xasprintf("%s/000001.ldb", dir);
	CHECK(unlink(path) == 0);
	t_unmute_stderr();
	CHECK_INT(fx_leveldb_read(dir, collect, &c), 0); /* an empty database */
	CHECK_INT(c.n, 0);
	free(path);
	free(dir);
	col_free(&c);
}

FX_TEST(test_leveldb_callback_stops_the_read)
{
	struct col c = {0};

	c.stop_after = 2;
	CHECK_INT(fx_leveldb_read(FIXT "/plain", collect, &c), -1);
	CHECK_INT(c.n, 2);
	col_free(&c);
}

FX_TEST(test_leveldb_chromium_local_storage)
{
	struct col c = {0};
	struct fx_leveldb_chromium cr;
	const struct got *g;

	CHECK_INT(fx_leveldb_read(FIXT "/localstorage", collect, &c), 0);
	CHECK_INT(c.n, 8);

	g = find(&c, "VERSION", 1);
	CHECK(g != NULL);
	if (g) {
		CHECK_INT(fx_leveldb_chromium_key(g->key, g->key_len, g->value, g->value_len, &cr),
			  FX_LEVELDB_CR_LS_VERSION);
		CHECK_STR(cr.value, "1");
		fx_leveldb_chromium_release(&cr);
	}

	g = find(&c, "META:https://example.com", 2);
	CHECK(g != NULL);
	if (g) {
		CHECK_INT(fx_leveldb_chromium_key(g->key, g->key_len, g->value, g->value_len, &cr),
			  FX_LEVELDB_CR_LS_META);
		CHECK_STR(cr.origin, "https://example.com");
		CHECK(cr.has_last_modified && cr.has_size && !cr.has_last_accessed);
		CHECK_INT(cr.last_modified, 13350000000000000LL);
		CHECK_INT(cr.size, 42);
		CHECK_INT(cr.hex, 0);
		fx_leveldb_chromium_release(&cr);
	}

	g = find(&c, "METAACCESS:https://example.com", 6);
	CHECK(g != NULL && g->live && g->kind == FX_LEVELDB_LOG);
	if (g) {
		CHECK_INT(fx_leveldb_chromium_key(g->key, g->key_len, g->value, g->value_len, &cr),
			  FX_LEVELDB_CR_LS_METAACCESS);
		CHECK_STR(cr.origin, "https://example.com");
		CHECK(cr.has_last_accessed && !cr.has_last_modified);
		CHECK_INT(cr.last_accessed, 13350000001000000LL);
		fx_leveldb_chromium_release(&cr);
	}
	col_free(&c);
}

/* The items: keys hold a NUL, so they are looked up by sequence number. */
static const struct got *by_seq(const struct col *c, uint64_t seq)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].seq == seq)
			return &c->v[i];
	return NULL;
}

static void check_item(const struct got *g, const char *key, const char *value, unsigned hex)
{
	struct fx_leveldb_chromium cr;

	CHECK(g != NULL);
	if (!g)
		return;
	CHECK_INT(fx_leveldb_chromium_key(g->key, g->key_len, g->value, g->value_len, &cr),
		  FX_LEVELDB_CR_LS_ITEM);
	CHECK_STR(cr.origin, "https://example.com");
	CHECK_STR(cr.key, key);
	if (value)
		CHECK_STR(cr.value, value);
	else
		CHECK(cr.value == NULL);
	CHECK_INT(cr.hex, hex);
	fx_leveldb_chromium_release(&cr);
}

FX_TEST(test_leveldb_chromium_local_storage_items)
{
	struct col c = {0};

	CHECK_INT(fx_leveldb_read(FIXT "/localstorage", collect, &c), 0);
	/* Latin-1 key and value, later deleted: the value stays in the table */
	check_item(by_seq(&c, 3), "token", "abc123", 0);
	CHECK(by_seq(&c, 3) && !by_seq(&c, 3)->live && by_seq(&c, 3)->offset == 0 &&
	      by_seq(&c, 3)->pos == 129 && !strcmp(by_seq(&c, 3)->file, "000005.ldb"));
	check_item(by_seq(&c, 7), "token", NULL, 0);
	CHECK(by_seq(&c, 7) && by_seq(&c, 7)->live && by_seq(&c, 7)->deleted &&
	      !strcmp(by_seq(&c, 7)->file, "000006.log") && by_seq(&c, 7)->offset == 61);
	/* UTF-16LE Chinese key and value */
	check_item(by_seq(&c, 4), "名字", "张伟", 0);
	/* Latin-1 bytes above 0x7f */
	check_item(by_seq(&c, 5), "café", "crème", 0);
	/* an unpaired surrogate: the raw bytes, encoding byte included, in hex */
	check_item(by_seq(&c, 8), "bad", "0000d8", FX_LEVELDB_CR_VALUE_HEX);
	col_free(&c);
}

FX_TEST(test_leveldb_chromium_session_storage)
{
	struct col c = {0};
	struct fx_leveldb_chromium cr;
	const struct got *g;

	CHECK_INT(fx_leveldb_read(FIXT "/sessionstorage", collect, &c), 0);
	CHECK_INT(c.n, 4);
	g = by_seq(&c, 3);
	CHECK(g != NULL);
	if (g) {
		CHECK_INT(fx_leveldb_chromium_key(g->key, g->key_len, g->value, g->value_len, &cr),
			  FX_LEVELDB_CR_SS_NAMESPACE);
		CHECK_STR(cr.namespace_id, "dabc53e1_8291_4de5_824f_dab8aa69c846");
		CHECK_STR(cr.origin, "https://example.com/");
		CHECK_STR(cr.map_id, "0");
		fx_leveldb_chromium_release(&cr);
	}
	g = by_seq(&c, 4);
	CHECK(g != NULL);
	if (g) {
		CHECK_INT(fx_leveldb_chromium_key(g->key, g->key_len, g->value, g->value_len, &cr),
			  FX_LEVELDB_CR_SS_ITEM);
		CHECK_STR(cr.map_id, "0");
		CHECK_STR(cr.key, "greeting");
		CHECK_STR(cr.value, "hello €");
		fx_leveldb_chromium_release(&cr);
	}
	g = by_seq(&c, 2);
	CHECK(g != NULL);
	if (g) {
		CHECK_INT(fx_leveldb_chromium_key(g->key, g->key_len, g->value, g->value_len, &cr),
			  FX_LEVELDB_CR_SS_NEXT_MAP_ID);
		CHECK_STR(cr.value, "1");
		fx_leveldb_chromium_release(&cr);
	}
	col_free(&c);
}

static int cr(const char *key, size_t klen, const char *val, size_t vlen,
	      struct fx_leveldb_chromium *out)
{
	return fx_leveldb_chromium_key((const unsigned char *)key, klen, (const unsigned char *)val,
				       vlen, out);
}

FX_TEST(test_leveldb_chromium_key_odd_inputs)
{
	struct fx_leveldb_chromium c;

	CHECK_INT(cr("foo", 3, "bar", 3, &c), FX_LEVELDB_CR_OTHER);
	CHECK(!c.origin && !c.key && !c.value);
	fx_leveldb_chromium_release(&c);
	CHECK_INT(cr("_no-separator", 13, "\1x", 2, &c), FX_LEVELDB_CR_OTHER);
	fx_leveldb_chromium_release(&c);
	CHECK_INT(cr("", 0, NULL, 0, &c), FX_LEVELDB_CR_OTHER);
	fx_leveldb_chromium_release(&c);

	/* a surrogate pair, an empty key (just its encoding byte) */
	CHECK_INT(cr("_o\0\1", 4, "\0\x3d\xd8\x00\xde", 5, &c), FX_LEVELDB_CR_LS_ITEM);
	CHECK_STR(c.origin, "o");
	CHECK_STR(c.key, "");
	CHECK_STR(c.value, "\xf0\x9f\x98\x80");
	CHECK_INT(c.hex, 0);
	fx_leveldb_chromium_release(&c);

	/* unknown encoding byte, odd UTF-16 length, no encoding byte at all */
	CHECK_INT(cr("_o\0\2k", 5, "\0abc", 4, &c), FX_LEVELDB_CR_LS_ITEM);
	CHECK_STR(c.key, "026b");
	CHECK_STR(c.value, "00616263");
	CHECK_INT(c.hex, FX_LEVELDB_CR_KEY_HEX | FX_LEVELDB_CR_VALUE_HEX);
	fx_leveldb_chromium_release(&c);
	CHECK_INT(cr("_\xff\0", 3, "", 0, &c), FX_LEVELDB_CR_LS_ITEM);
	CHECK_STR(c.origin, "ff");
	CHECK_STR(c.key, "");
	CHECK_STR(c.value, "");
	CHECK_INT(c.hex,
		  FX_LEVELDB_CR_ORIGIN_HEX | FX_LEVELDB_CR_KEY_HEX | FX_LEVELDB_CR_VALUE_HEX);
	fx_leveldb_chromium_release(&c);

	/* multi-byte UTF-8 stays as it is; an overlong form is not UTF-8 */
	CHECK_INT(cr("map-3-\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 15, "a\0", 2, &c),
		  FX_LEVELDB_CR_SS_ITEM);
	CHECK_STR(c.key, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	CHECK_STR(c.value, "a");
	fx_leveldb_chromium_release(&c);
	CHECK_INT(cr("META:\xc0\xaf", 7, NULL, 0, &c), FX_LEVELDB_CR_LS_META);
	CHECK_STR(c.origin, "c0af");
	CHECK_INT(c.hex, FX_LEVELDB_CR_ORIGIN_HEX);
	fx_leveldb_chromium_release(&c);

	/* a META value cut inside a varint, and one with other fields first */
	CHECK_INT(cr("META:o", 6, "\x08\x80", 2, &c), FX_LEVELDB_CR_LS_META);
	CHECK(!c.has_last_modified && !c.has_size);
	fx_leveldb_chromium_release(&c);
	CHECK_INT(cr("META:o", 6, "\x1a\x02hi\x25\1\2\3\4\x10\x07", 11, &c), FX_LEVELDB_CR_LS_META);
	CHECK(!c.has_last_modified && c.has_size && c.size == 7);
	fx_leveldb_chromium_release(&c);

	/* Session Storage: a map key must have a number; an old refcount entry */
	CHECK_INT(cr("map-x-k", 7, "", 0, &c), FX_LEVELDB_CR_OTHER);
	fx_leveldb_chromium_release(&c);
	CHECK_INT(cr("map-12-", 7, "2", 1, &c), FX_LEVELDB_CR_SS_ITEM);
	CHECK_STR(c.map_id, "12");
	CHECK_STR(c.key, "");
	CHECK_STR(c.value, "32");
	CHECK_INT(c.hex, FX_LEVELDB_CR_VALUE_HEX);
	fx_leveldb_chromium_release(&c);
	CHECK_INT(cr("namespace-short", 15, "1", 1, &c), FX_LEVELDB_CR_OTHER);
	fx_leveldb_chromium_release(&c);
}

/* Appends a log record at *off: header with checksum, then the payload. */
static void put_record(unsigned char *b, size_t *off, unsigned type, const void *p, size_t n)
{
	b[*off + 4] = (unsigned char)n;
	b[*off + 5] = (unsigned char)(n >> 8);
	b[*off + 6] = (unsigned char)type;
	memcpy(b + *off + 7, p, n);
	put_le32(b + *off, t_mask(t_crc(b + *off + 7, n, t_crc(b + *off + 6, 1, 0))));
	*off += 7 + n;
}

/* A WriteBatch of one entry: value (vlen bytes of 'v') or, if vlen < 0, deletion. */
static size_t make_batch(unsigned char *p, uint64_t seq, const char *key, long vlen)
{
	size_t n = 12, k;

	for (k = 0; k < 8; k++)
		p[k] = (unsigned char)(seq >> (8 * k));
	put_le32(p + 8, 1);
	p[n++] = vlen < 0 ? 0 : 1;
	p[n++] = (unsigned char)strlen(key);
	memcpy(p + n, key, strlen(key));
	n += strlen(key);
	if (vlen >= 0) {
		/* a varint of up to 3 bytes */
		size_t v = (size_t)vlen;

		while (v >= 0x80) {
			p[n++] = (unsigned char)(v | 0x80);
			v >>= 7;
		}
		p[n++] = (unsigned char)v;
		memset(p + n, 'v', (size_t)vlen);
		n += (size_t)vlen;
	}
	return n;
}

/*
 * Block edges LevelDB's writer produces rarely: a record that leaves
 * fewer than 7 bytes in its block (the rest is padding), fragments, and
 * damage between them: an orphan fragment, an unknown record type.
 */
FX_TEST(test_leveldb_log_block_edges)
{
	char *path = fx_xasprintf("%s/000001.log", t_tmpdir()), *err, *saved_path;
	unsigned char *b = fx_xcalloc(1, 70000), *batch = fx_xmalloc(40000);
	struct col c = {0};
	size_t off = 0, n;
	int saved;

	/* 7 + 12 + 1 + 1 + 2 + 3 (varint) + vlen = 32765 */
	n = make_batch(batch, 100, "k1", 32765 - 26);
	CHECK_INT(n, 32765 - 7);
	put_record(b, &off, 1, batch, n);
	CHECK_INT(off, 32765);
	off = 32768; /* three bytes of padding */
	n = make_batch(batch, 101, "k2", 2);
	put_record(b, &off, 2, batch, 5);
	put_record(b, &off, 3, batch + 5, 5);
	put_record(b, &off, 4, batch + 10, n - 10);
	put_record(b, &off, 3, "orphan", 6);
	put_record(b, &off, 9, "odd", 3);
	n = make_batch(batch, 102, "k1", -1);
	put_record(b, &off, 1, batch, n);
	spit(path, b, off);

	capture_begin(&saved, &saved_path);
	CHECK_INT(fx_leveldb_read_file(path, collect, &c), 1);
	err = capture_end(saved, saved_path);
	CHECK(strstr(err, "record fragment without its first part; skipped") != NULL);
	CHECK(strstr(err, "unknown record type 9; record skipped") != NULL);
	CHECK_INT(c.n, 3);
	if (c.n == 3) {
		CHECK_INT(c.v[0].offset, 0);
		CHECK_INT(c.v[0].value_len, 32765 - 26);
		CHECK_INT(c.v[0].live, 0);
		check_entry(&c.v[1], "000001.log", 32768, 12, 101, "k2", "vv", 1);
		check_entry(&c.v[2], "000001.log", 32768 + 3 * 7 + 19 + 13 + 10, 12, 102, "k1",
			    NULL, 1);
	}
	free(err);
	col_free(&c);
	free(batch);
	free(b);
	free(path);
}

/* A small deterministic generator for the mutation tests. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static int count_only(const struct fx_leveldb_entry *e, void *ctx)
{
	(void)e;
	(*(int *)ctx)++;
	return 0;
}

/*
 * Mutations with their checksums repaired, so that the parsers behind the
 * checks see garbage: nothing may crash or read out of bounds (run under
 * SANITIZE=1), and every run returns 0, 1 or -1.
 */
FX_TEST(test_leveldb_mutations_do_not_crash)
{
	char *path = fx_xasprintf("%s/000001.ldb", t_tmpdir());
	char *lpath = fx_xasprintf("%s/000002.log", t_tmpdir());
	unsigned char *tab, *log, *b, *stab, *sb;
	size_t tlen, llen, stlen, i;
	uint32_t seed = 12345;
	int n, rc, bad = 0;

	tab = slurp(FIXT "/plain/000005.ldb", &tlen);
	log = slurp(FIXT "/plain/000009.log", &llen);
	stab = slurp(FIXT "/snappy/000009.ldb", &stlen);
	sb = fx_xmalloc(stlen);
	b = fx_xmalloc(tlen > llen ? tlen : llen);
	t_mute_stderr();
	for (i = 0; i < 3000; i++) {
		size_t at, k, flips = 1 + rnd(&seed) % 3;

		/* the data block of 000005.ldb: [0, 73), trailer at 73 */
		memcpy(b, tab, tlen);
		for (k = 0; k < flips; k++) {
			at = rnd(&seed) % 73;
			b[at] = (unsigned char)rnd(&seed);
		}
		fix_block_crc(b, 0, 73);
		spit(path, b, i % 7 ? tlen : rnd(&seed) % tlen);
		n = 0;
		rc = fx_leveldb_read_file(path, count_only, &n);
		bad += rc < -1 || rc > 1;

		/* its index block: [91, 113), trailer (compression type) at 113 */
		memcpy(b, tab, tlen);
		for (k = 0; k < flips; k++) {
			at = 91 + rnd(&seed) % 23;
			b[at] = (unsigned char)rnd(&seed);
		}
		if (i % 3 == 0) /* the data block "compressed" with anything */
			b[73] = (unsigned char)(rnd(&seed) % 3);
		fix_block_crc(b, 0, 73);
		fix_block_crc(b, 91, 22);
		spit(path, b, tlen);
		rc = fx_leveldb_read_file(path, count_only, &n);
		bad += rc < -1 || rc > 1;

		/* a snappy block of the compacted table: [0, 189) */
		memcpy(sb, stab, stlen);
		for (k = 0; k < flips; k++) {
			at = rnd(&seed) % 189;
			sb[at] = (unsigned char)rnd(&seed);
		}
		fix_block_crc(sb, 0, 189);
		spit(path, sb, stlen);
		rc = fx_leveldb_read_file(path, count_only, &n);
		bad += rc < -1 || rc > 1;

		/* the batch of the log's first record: [7, 25) */
		memcpy(b, log, llen);
		for (k = 0; k < flips; k++) {
			at = 7 + rnd(&seed) % 18;
			b[at] = (unsigned char)rnd(&seed);
		}
		if (i % 5 == 0)
			b[4] = (unsigned char)rnd(&seed); /* the record length */
		if (i % 4 == 0)
			b[6] = (unsigned char)(rnd(&seed) % 6); /* the record type */
		fix_record_crc(b, llen, 0);
		spit(lpath, b, llen);
		n = 0;
		rc = fx_leveldb_read_file(lpath, count_only, &n);
		bad += rc < -1 || rc > 1;
	}
	/* whole files of noise, read as a table and as a log */
	for (i = 0; i < 200; i++) {
		size_t k, len = 48 + rnd(&seed) % 100;

		for (k = 0; k < len; k++)
			b[k % tlen] = (unsigned char)rnd(&seed);
		memcpy(b + tlen - 8, tab + tlen - 8, 8); /* keep the magic */
		spit(path, b, tlen);
		rc = fx_leveldb_read_file(path, count_only, &n);
		bad += rc < -1 || rc > 1;
		spit(lpath, b, tlen);
		rc = fx_leveldb_read_file(lpath, count_only, &n);
		bad += rc < -1 || rc > 1;
	}
	t_unmute_stderr();
	CHECK_INT(bad, 0);
	free(sb);
	free(stab);
	free(b);
	free(tab);
	free(log);
	free(path);
	free(lpath);
}
