#include <unistd.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "harness.h"

static struct fx_case *new_case(void)
{
	char *dir = fx_path_join(t_tmpdir(), "case");
	json_t *info = json_pack("{s:s}", "title", "unit");
	struct fx_case *c = fx_case_create(dir, "2026-1", info, NULL);

	json_decref(info);
	free(dir);
	return c;
}

static json_t *note(const char *text)
{
	json_t *rec = fx_record_new("note", "2026-1", "unit");

	json_object_set_new(json_object_get(rec, "data"), "text", json_string(text));
	return rec;
}

static int count_lines(const char *line, void *ctx)
{
	(void)line;
	(*(int *)ctx)++;
	return 0;
}

FX_TEST(test_case_create_add_verify)
{
	struct fx_case *c = new_case();
	json_t *rec, *res = NULL;
	int added, n = 0;
	struct fx_case_query q = { 0 };

	CHECK(c != NULL);
	CHECK_STR(fx_case_id(c), "2026-1");
	CHECK(fx_case_begin(c, "add") == 0);
	rec = note("one");
	CHECK(fx_case_add_record(c, rec, "unit", &added) == 0 && added == 1);
	CHECK(fx_case_add_record(c, rec, "unit", &added) == 0 && added == 0);
	json_decref(rec);
	CHECK(fx_case_commit(c, NULL, NULL) == 0);
	CHECK(fx_case_list(c, &q, count_lines, &n) == 0);
	CHECK_INT(n, 2); /* the case record and the note */
	CHECK_INT(fx_case_verify(c, 1, &res), 0);
	json_decref(res);
	fx_case_free(c);
}

FX_TEST(test_case_objects_are_recorded_and_checked)
{
	struct fx_case *c = new_case();
	char hex[FX_SHA256_HEX], *path, *cmd;
	json_t *rec, *res = NULL;
	int existed;

	CHECK(fx_case_begin(c, "pull") == 0);
	CHECK(fx_store_put_buf(fx_case_store(c), "evidence bytes", 14, hex, &existed) == 0);
	fx_case_note_object(c, hex);
	rec = note("from the file");
	json_object_set_new(rec, "src", json_pack("{s:s,s:s}", "sha256", hex, "path", "a.txt"));
	CHECK(fx_case_add_record(c, rec, "unit", NULL) == 0);
	json_decref(rec);
	CHECK(fx_case_commit(c, NULL, NULL) == 0);
	CHECK_INT(fx_case_verify(c, 1, &res), 0);
	json_decref(res);

	/* one flipped byte in the object is found and named */
	path = fx_store_path(fx_case_store(c), hex);
	cmd = fx_xasprintf("chmod u+w '%s' && printf 'E' | dd of='%s' bs=1 seek=0 conv=notrunc 2>/dev/null",
			   path, path);
	CHECK(system(cmd) == 0);
	CHECK_INT(fx_case_verify(c, 1, &res), 1);
	CHECK(strstr(json_string_value(json_array_get(json_object_get(res, "problems"), 0)),
		     hex) != NULL);
	json_decref(res);

	/* a removed object is named too */
	unlink(path);
	CHECK_INT(fx_case_verify(c, 1, &res), 1);
	{
		char *text = json_dumps(json_object_get(res, "problems"), 0);

		CHECK(text && strstr(text, "is missing") != NULL);
		free(text);
	}
	json_decref(res);
	free(cmd);
	free(path);
	fx_case_free(c);
}

FX_TEST(test_case_head_matches_merkle_root_of_leaves)
{
	struct fx_case *c = new_case();
	fx_mhash root, want, *leaves;
	uint64_t size, n = 0;
	json_t *rec;
	int i;
	char text[32];

	for (i = 0; i < 37; i++) {
		CHECK(fx_case_begin(c, "add") == 0);
		snprintf(text, sizeof(text), "n%d", i);
		rec = note(text);
		fx_case_add_record(c, rec, "unit", NULL);
		json_decref(rec);
		CHECK(fx_case_commit(c, NULL, NULL) == 0);
	}
	CHECK(fx_case_head(c, &size, root) == 0);
	CHECK_INT(size, 38);
	leaves = fx_case_leaves(c, &n);
	CHECK_INT(n, 38);
	fx_merkle_root(leaves, n, want);
	CHECK(memcmp(root, want, 32) == 0);
	free(leaves);
	fx_case_free(c);
}

FX_TEST(test_case_rollback_leaves_no_trace)
{
	struct fx_case *c = new_case();
	json_t *rec, *res = NULL;
	uint64_t size;
	fx_mhash root;

	CHECK(fx_case_begin(c, "add") == 0);
	rec = note("never");
	fx_case_add_record(c, rec, "unit", NULL);
	json_decref(rec);
	fx_case_rollback(c);
	CHECK(fx_case_head(c, &size, root) == 0);
	CHECK_INT(size, 1);
	CHECK_INT(fx_case_verify(c, 1, &res), 0);
	json_decref(res);
	fx_case_free(c);
}

FX_TEST(test_case_fts_cjk)
{
	struct fx_case *c = new_case();
	struct fx_case_query q = { 0 };
	json_t *rec;
	int n = 0;

	CHECK(fx_case_begin(c, "add") == 0);
	rec = note("对方要求转账5000元到银行卡");
	fx_case_add_record(c, rec, "unit", NULL);
	json_decref(rec);
	CHECK(fx_case_commit(c, NULL, NULL) == 0);
	q.text = "转账";
	CHECK(fx_case_list(c, &q, count_lines, &n) == 0);
	CHECK_INT(n, 1);
	n = 0;
	q.text = "银行卡";
	fx_case_list(c, &q, count_lines, &n);
	CHECK_INT(n, 1);
	n = 0;
	q.text = "账转";
	fx_case_list(c, &q, count_lines, &n);
	CHECK_INT(n, 0);
	fx_case_free(c);
}

FX_TEST(test_case_prepare_changes_nothing_store_dedupes)
{
	struct fx_case *c = new_case();
	struct fx_case_prep p = FX_CASE_PREP_INIT;
	char hex[FX_SHA256_HEX];
	json_t *rec = note("prepared"), *other, *res = NULL;
	int added;

	json_object_set_new(rec, "device", json_string("imei:1"));
	json_object_set_new(rec, "time", json_string("2021-04-08T11:14:07.692+02:00"));
	CHECK(fx_case_prepare_record(c, rec, "unit", &p) == 0);
	CHECK(json_object_get(rec, "id") == NULL);
	CHECK(fx_record_id(rec, hex) == 0);
	CHECK(strstr(p.line, hex) != NULL);
	CHECK_INT(p.len, strlen(p.line));
	CHECK_STR(p.type, "note");
	CHECK_STR(p.device, "imei:1");
	CHECK_STR(p.text, "prepared");
	CHECK(p.timed && p.ms == 1617873247692LL);
	/* storing needs an open change; the same prep stored twice is one record */
	t_mute_stderr();
	CHECK(fx_case_store_record(c, &p, "unit", &added) == -1);
	t_unmute_stderr();
	CHECK(fx_case_begin(c, "add") == 0);
	CHECK(fx_case_store_record(c, &p, "unit", &added) == 0 && added == 1);
	CHECK(fx_case_store_record(c, &p, "unit", &added) == 0 && added == 0);
	CHECK(fx_case_commit(c, NULL, NULL) == 0);
	/* one prep reused for another record */
	other = fx_record_new("note", "2026-2", "unit");
	json_object_set_new(json_object_get(other, "data"), "text", json_string("x"));
	t_mute_stderr();
	CHECK(fx_case_prepare_record(c, other, "unit", &p) == -1);
	json_object_set_new(other, "case", json_string("2026-1"));
	json_object_set_new(other, "id", json_string(hex));
	CHECK(fx_case_prepare_record(c, other, "unit", &p) == -1);
	t_unmute_stderr();
	json_object_del(other, "id");
	CHECK(fx_case_prepare_record(c, other, "unit", &p) == 0);
	CHECK(p.device == NULL && !p.timed);
	CHECK_INT(fx_case_verify(c, 1, &res), 0);
	json_decref(res);
	json_decref(other);
	json_decref(rec);
	fx_case_prep_release(&p);
	fx_case_free(c);
}

/* The index key of an id, as lib/case/open.c defines it. */
static long long key_of(const uint8_t id[32])
{
	unsigned long long k = 0;
	int i;

	for (i = 0; i < 8; i++)
		k = k << 8 | id[i];
	return (long long)(k ^ 0x8000000000000000ULL);
}

/*
 * Two ids whose first 64 bits are the same cannot be made on purpose:
 * give a stored record the key of the next one instead, as if they were.
 */
FX_TEST(test_case_ids_sharing_a_key_are_both_kept)
{
	struct fx_case *c = new_case();
	struct fx_case_prep a = FX_CASE_PREP_INIT, b = FX_CASE_PREP_INIT;
	char *db = fx_path_join(t_tmpdir(), "case/case.db"), *sql, hex[FX_SHA256_HEX];
	json_t *ra = note("first"), *rb = note("second"), *got, *res = NULL;
	sqlite3 *h;
	int added;

	CHECK(fx_case_prepare_record(c, ra, "unit", &a) == 0);
	CHECK(fx_case_prepare_record(c, rb, "unit", &b) == 0);
	CHECK(fx_case_begin(c, "add") == 0);
	CHECK(fx_case_store_record(c, &a, "unit", &added) == 0 && added == 1);
	CHECK(fx_case_commit(c, NULL, NULL) == 0);
	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	sql = sqlite3_mprintf("UPDATE records SET idk = %lld WHERE n = 2",
			      key_of(b.id));
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_close(h);

	CHECK(fx_case_begin(c, "add") == 0);
	CHECK(fx_case_store_record(c, &b, "unit", &added) == 0 && added == 1);
	CHECK(fx_case_store_record(c, &b, "unit", &added) == 0 && added == 0);
	CHECK(fx_case_store_record(c, &a, "unit", &added) == 0 && added == 1);
	CHECK(fx_case_commit(c, NULL, NULL) == 0);
	/* b is found by its id although another record holds its key */
	got = fx_case_get(c, fx_hex(b.id, 32, hex));
	CHECK_STR(json_string_value(json_object_get(json_object_get(got, "data"), "text")),
		  "second");
	json_decref(got);
	/* only the tampered key is a problem: the keyless record is right */
	CHECK_INT(fx_case_verify(c, 1, &res), 1);
	CHECK_INT(json_array_size(json_object_get(res, "problems")), 1);
	CHECK(strstr(json_string_value(json_array_get(json_object_get(res, "problems"), 0)),
		     "(row 2): its index key was changed") != NULL);
	json_decref(res);
	fx_case_prep_release(&a);
	fx_case_prep_release(&b);
	json_decref(ra);
	json_decref(rb);
	free(db);
	fx_case_free(c);
}

static int count_added(const json_t *e, void *ctx)
{
	const char *action = json_string_value(json_object_get(e, "action"));

	if (action && strcmp(action, "add") == 0)
		(*(int *)ctx)++;
	return 0;
}

FX_TEST(test_case_ingest_batches_and_counts)
{
	struct fx_case *c = new_case();
	struct fx_case_ingest in = { 0 };
	struct fx_case_query q = { 0 };
	char *path = fx_path_join(t_tmpdir(), "in.jsonl");
	json_t *res = NULL;
	FILE *f = fopen(path, "w");
	int i, n = 0;

	for (i = 0; i < 1000; i++)
		fprintf(f, "{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":\"n %d\"}}\n", i);
	fputs("not json\n", f);
	fclose(f);
	in.batch = 64;
	in.quiet = 1;
	t_mute_stderr();
	CHECK_INT(fx_case_ingest(c, path, &in), 1);
	CHECK_INT(fx_case_ingest(c, path, &in), 1);
	t_unmute_stderr();
	CHECK_INT(in.added, 1000);
	CHECK_INT(in.duplicates, 1000);
	CHECK_INT(in.rejected, 2);
	CHECK(fx_case_log(c, 0, count_added, &n) == 0);
	CHECK_INT(n, 2 * 16); /* 1001 lines in batches of 64 */
	n = 0;
	CHECK(fx_case_list(c, &q, count_lines, &n) == 0);
	CHECK_INT(n, 1001);
	CHECK_INT(fx_case_verify(c, 1, &res), 0);
	json_decref(res);
	t_mute_stderr();
	CHECK_INT(fx_case_ingest(c, "/nonexistent/in.jsonl", &in), 1);
	t_unmute_stderr();
	free(path);
	fx_case_free(c);
}

/* A full chunk stored at once: duplicates in it and before it, and a key taken. */
FX_TEST(test_case_store_records_many_at_once)
{
	struct fx_case *c = new_case();
	struct fx_case_prep *p = calloc(FX_CASE_STORE_MANY, sizeof(*p));
	struct fx_case_prep init = FX_CASE_PREP_INIT;
	char *db = fx_path_join(t_tmpdir(), "case/case.db"), *sql, text[32], hex[FX_SHA256_HEX];
	struct fx_case_query q = { 0 };
	json_t *rec, *got;
	sqlite3 *h;
	size_t i;
	int n = 0;

	for (i = 0; i < FX_CASE_STORE_MANY; i++) {
		p[i] = init;
		snprintf(text, sizeof(text), "many %zu", i == 9 ? (size_t)3 : i);
		rec = note(text);
		CHECK(fx_case_prepare_record(c, rec, "unit", &p[i]) == 0);
		json_decref(rec);
	}
	/* all new, one of them twice (3 and 9), after one stored alone (row 2) */
	CHECK(fx_case_begin(c, "add") == 0);
	rec = note("outsider");
	CHECK(fx_case_add_record(c, rec, "unit", NULL) == 0);
	json_decref(rec);
	CHECK(fx_case_store_records(c, p, FX_CASE_STORE_MANY) == 0);
	CHECK_INT(fx_case_added(c), FX_CASE_STORE_MANY);
	CHECK_INT(fx_case_duplicates(c), 1);
	CHECK(fx_case_commit(c, NULL, NULL) == 0);
	/* in input order: row 3 is p[0], row 8 p[5] */
	got = fx_case_get(c, fx_hex(p[5].id, 32, hex));
	CHECK_STR(json_string_value(json_object_get(json_object_get(got, "data"), "text")), "many 5");
	json_decref(got);
	/* p[5] gone, and its key held by the outsider: p[5] comes back keyless */
	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	sql = sqlite3_mprintf("DELETE FROM records WHERE n = 8; UPDATE records SET idk = %lld"
			      " WHERE n = 2", key_of(p[5].id));
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_close(h);
	CHECK(fx_case_begin(c, "add") == 0);
	CHECK(fx_case_store_records(c, p, FX_CASE_STORE_MANY) == 0);
	CHECK_INT(fx_case_added(c), 1);
	CHECK_INT(fx_case_duplicates(c), FX_CASE_STORE_MANY - 1);
	CHECK(fx_case_commit(c, NULL, NULL) == 0);
	got = fx_case_get(c, fx_hex(p[5].id, 32, hex));
	CHECK_STR(json_string_value(json_object_get(json_object_get(got, "data"), "text")), "many 5");
	json_decref(got);
	CHECK(fx_case_list(c, &q, count_lines, &n) == 0);
	CHECK_INT(n, 1 + FX_CASE_STORE_MANY);
	for (i = 0; i < FX_CASE_STORE_MANY; i++)
		fx_case_prep_release(&p[i]);
	free(p);
	free(db);
	fx_case_free(c);
}
