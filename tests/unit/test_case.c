#include <unistd.h>
#include <stdlib.h>

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
