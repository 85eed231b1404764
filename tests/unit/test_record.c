#include <stdlib.h>

#include "harness.h"
#include "fx_json.h"

static char *canon(const char *json)
{
	json_t *v = json_loads(json, JSON_ALLOW_NUL, NULL);
	char *s = v ? fx_json_dump(v) : NULL;

	json_decref(v);
	return s;
}

FX_TEST(test_json_canonical_form)
{
	char *s;

	s = canon("{ \"b\" : 1, \"a\" : [true, false, null], \"c\": {\"z\":\"x\", \"y\": 2} }");
	CHECK_STR(s, "{\"a\":[true,false,null],\"b\":1,\"c\":{\"y\":2,\"z\":\"x\"}}");
	free(s);
	/* RFC 8785: only the required escapes; / and non-ASCII stay as they are */
	s = canon("{\"s\":\"a/b \\u00e9\\u4e2d \\\"q\\\" \\\\ \\n\\t\\u0001 \\u007f\"}");
	CHECK_STR(s, "{\"s\":\"a/b é中 \\\"q\\\" \\\\ \\n\\t\\u0001 \x7f\"}");
	free(s);
	/* shortest round-trip reals, still reals */
	s = canon("{\"a\":0.1,\"b\":60.146706,\"c\":1.0,\"d\":1e300,\"e\":-0.0,\"f\":123456789012}");
	CHECK_STR(s, "{\"a\":0.1,\"b\":60.146706,\"c\":1.0,\"d\":1e+300,\"e\":-0.0,\"f\":123456789012}");
	free(s);
	/* a NUL inside a string survives */
	s = canon("{\"a\":\"x\\u0000y\"}");
	CHECK_STR(s, "{\"a\":\"x\\u0000y\"}");
	free(s);
	/* integers at both ends of their range */
	s = canon("[0,-1,9,10,-9223372036854775808,9223372036854775807]");
	CHECK_STR(s, "[0,-1,9,10,-9223372036854775808,9223372036854775807]");
	free(s);
	/* keys in byte order, more than the 16 sorted without qsort too */
	s = canon("{\"q\":1,\"p\":1,\"o\":1,\"n\":1,\"m\":1,\"l\":1,\"k\":1,\"j\":1,\"i\":1,"
		  "\"h\":1,\"g\":1,\"f\":1,\"e\":1,\"d\":1,\"c\":1,\"b\":1,\"a\":1,\"B\":1,\"é\":1}");
	CHECK_STR(s, "{\"B\":1,\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,"
		  "\"i\":1,\"j\":1,\"k\":1,\"l\":1,\"m\":1,\"n\":1,\"o\":1,\"p\":1,\"q\":1,\"é\":1}");
	free(s);
	s = canon("{\"zz\":1,\"z\":2,\"a\":{\"y\":1,\"x\":2},\"\":0}");
	CHECK_STR(s, "{\"\":0,\"a\":{\"x\":2,\"y\":1},\"z\":2,\"zz\":1}");
	free(s);
}

FX_TEST(test_json_canonical_is_fixed_point)
{
	const char *in = "{\"v\":1,\"x\":[1.5,2.25e-7,{\"k\":\"\\u2028\"}],\"emoji\":\"😀\"}";
	char *a = canon(in), *b = canon(a);

	CHECK_STR(a, b);
	free(a);
	free(b);
}

FX_TEST(test_record_id_is_sha256_of_canonical_without_id)
{
	json_t *rec = fx_record_new("note", "2026-113", "test");
	char hex[FX_SHA256_HEX], *c;
	uint8_t md[32];
	char want[FX_SHA256_HEX];
	size_t len;

	json_object_set_new(json_object_get(rec, "data"), "text", json_string("hi"));
	c = fx_record_canonical(rec, &len);
	CHECK_STR(c, "{\"case\":\"2026-113\",\"data\":{\"text\":\"hi\"},\"tool\":\"test\","
		     "\"type\":\"note\",\"v\":1}");
	fx_sha256(c, len, md);
	fx_hex(md, 32, want);
	CHECK(fx_record_id(rec, hex) == 0);
	CHECK_STR(hex, want);
	/* the id itself is not part of what it hashes */
	CHECK(fx_record_seal(rec) == 0);
	CHECK(fx_record_id(rec, hex) == 0);
	CHECK_STR(hex, want);
	CHECK(fx_record_check(rec, "test") == 0);
	free(c);
	json_decref(rec);
}

FX_TEST(test_record_line_splices_id_in_sorted_place)
{
	json_t *rec = fx_record_new("note", "c", "t"), *back;
	char hex[FX_SHA256_HEX], *line, *again;

	json_object_set_new(json_object_get(rec, "data"), "text", json_string("x"));
	line = fx_record_line(rec, NULL, hex);
	back = json_loads(line, 0, NULL);
	CHECK(back != NULL);
	CHECK_STR(json_string_value(json_object_get(back, "id")), hex);
	/* the written line is itself canonical */
	again = fx_json_dump(back);
	CHECK_STR(line, again);
	free(again);
	free(line);
	json_decref(back);
	json_decref(rec);

	/* id first and last in key order too */
	rec = json_pack("{s:i}", "zz", 1);
	line = fx_record_line(rec, NULL, hex);
	CHECK(line && line[1] == '"' && line[2] == 'i' && line[3] == 'd');
	back = json_loads(line, 0, NULL);
	CHECK(back != NULL);
	json_decref(back);
	free(line);
	json_decref(rec);
	rec = json_pack("{s:i}", "a", 1);
	line = fx_record_line(rec, NULL, hex);
	back = json_loads(line, 0, NULL);
	CHECK(back != NULL && json_object_size(back) == 2);
	json_decref(back);
	free(line);
	json_decref(rec);
}

FX_TEST(test_record_check_rejects)
{
	static const char *const bad[] = {
		"[]",
		"{\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":\"x\"}}",
		"{\"v\":2,\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":\"x\"}}",
		"{\"v\":1,\"type\":\"bogus\",\"tool\":\"t\",\"data\":{}}",
		"{\"v\":1,\"type\":\"note\",\"data\":{\"text\":\"x\"}}",
		"{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"data\":{}}",
		"{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":5}}",
		"{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"time\":\"08/04/2021\",\"data\":{\"text\":\"x\"}}",
		"{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"src\":{\"sha256\":\"ABC\"},\"data\":{\"text\":\"x\"}}",
		"{\"v\":1,\"type\":\"file\",\"tool\":\"t\",\"data\":{\"path\":\"a\",\"size\":1,\"sha256\":\"no\"}}",
		"{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":\"x\"},\"id\":\"00\"}",
		NULL,
	};
	const char *const *p;
	json_t *v;

	/* The messages are expected: keep them out of the test output. */
	t_mute_stderr();
	for (p = bad; *p; p++) {
		v = json_loads(*p, 0, NULL);
		CHECK(v != NULL);
		if (fx_record_check(v, "unit") == 0)
			fprintf(stdout, "  accepted: %s\n", *p), t_failed++;
		json_decref(v);
	}
	t_unmute_stderr();
}

FX_TEST(test_json_text_keeps_bytes)
{
	json_t *v;

	v = fx_json_text("中文 ok", strlen("中文 ok"));
	CHECK(json_is_string(v));
	json_decref(v);
	v = fx_json_text("\xff\xfe", 2);
	CHECK_STR(json_string_value(json_object_get(v, "hex")), "fffe");
	json_decref(v);
	/* overlong, surrogate, truncated sequences are not UTF-8 */
	v = fx_json_text("\xc0\xaf", 2);
	CHECK(json_is_object(v));
	json_decref(v);
	v = fx_json_text("\xed\xa0\x80", 3);
	CHECK(json_is_object(v));
	json_decref(v);
	v = fx_json_text("ab\xe4\xb8", 4);
	CHECK(json_is_object(v));
	json_decref(v);
	v = fx_json_text("\xf0\x9f\x98\x80", 4);
	CHECK(json_is_string(v));
	json_decref(v);
}

FX_TEST(test_reader_names_lines_and_goes_on)
{
	char path[4096];
	struct fx_reader r;
	json_t *rec;
	FILE *f;
	int n, good = 0, bad = 0;

	snprintf(path, sizeof(path), "%s/in.jsonl", t_tmpdir());
	f = fopen(path, "w");
	fputs("{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":\"a\"}}\n"
	      "\n"
	      "{broken\n"
	      "{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":\"b\"}}\n"
	      "{\"v\":1,\"type\":\"note\"", f);
	fclose(f);
	t_mute_stderr();
	CHECK(fx_reader_open(&r, path) == 0);
	while ((n = fx_reader_next(&r, &rec)) != 0) {
		if (n < 0) {
			bad++;
			continue;
		}
		good++;
		json_decref(rec);
	}
	t_unmute_stderr();
	CHECK_INT(good, 2);
	CHECK_INT(bad, 2);
	CHECK_INT(r.line, 5);
	CHECK_INT(r.bad, 2);
	fx_reader_close(&r);
}

static void hex_of(struct fx_hash *h, char hex[FX_SHA256_HEX])
{
	uint8_t md[32];

	fx_hash_final(h, md);
	fx_hex(md, 32, hex);
}

static void sha_of(const char *s, size_t n, char hex[FX_SHA256_HEX])
{
	uint8_t md[32];

	fx_sha256(s, n, md);
	fx_hex(md, 32, hex);
}

FX_TEST(test_reader_hashes_every_byte)
{
	static const char text[] = "{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":\"a\"}}\n"
				   "\n"
				   " \t\r\n"
				   "{broken\n"
				   "{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":\"b\"}}";
	char path[4096], got[FX_SHA256_HEX], want[FX_SHA256_HEX];
	struct fx_reader r;
	json_t *rec = NULL;
	FILE *f;
	const char *third;

	snprintf(path, sizeof(path), "%s/h.jsonl", t_tmpdir());
	f = fopen(path, "w");
	fwrite(text, 1, sizeof(text) - 1, f);
	fclose(f);
	CHECK(fx_reader_open(&r, path) == 0);
	r.hash[0] = fx_hash_new(FX_HASH_SHA256);
	r.hash[1] = fx_hash_new(FX_HASH_SHA256);
	CHECK_INT(fx_reader_next(&r, &rec), 1);
	json_decref(rec);
	CHECK_STR(r.buf, "{\"v\":1,\"type\":\"note\",\"tool\":\"t\",\"data\":{\"text\":\"a\"}}");
	t_mute_stderr();
	CHECK_INT(fx_reader_next(&r, &rec), -1);
	t_unmute_stderr();
	/* Line 4 was just returned: the digests have seen lines 1 to 3 exactly. */
	CHECK_INT(r.line, 4);
	third = strstr(text, "{broken");
	hex_of(r.hash[1], got);
	sha_of(text, (size_t)(third - text), want);
	CHECK_STR(got, want);
	CHECK_INT(fx_reader_next(&r, &rec), 1);
	json_decref(rec);
	CHECK_INT(r.len, strlen(r.buf));
	CHECK_INT(fx_reader_next(&r, &rec), 0);
	/* Lines 4 and 5, the last without a newline: none is made up. */
	hex_of(r.hash[1], got);
	sha_of(third, strlen(third), want);
	CHECK_STR(got, want);
	hex_of(r.hash[0], got);
	sha_of(text, sizeof(text) - 1, want);
	CHECK_STR(got, want);
	CHECK_INT(r.line, 5);
	fx_hash_free(r.hash[0]);
	fx_hash_free(r.hash[1]);
	fx_reader_close(&r);
}

FX_TEST(test_reader_lines_across_blocks)
{
	char path[4096], got[FX_SHA256_HEX], want[FX_SHA256_HEX];
	struct fx_buf all = FX_BUF_INIT;
	struct fx_reader r;
	json_t *rec;
	FILE *f;
	char line[1200];
	int i, n = 0, ok = 1;

	/* Lines of many lengths, so that some straddle the 256 KiB read blocks. */
	for (i = 0; i < 2000; i++) {
		int k = snprintf(line, sizeof(line), "{\"v\":1,\"type\":\"note\",\"tool\":\"t\","
				 "\"data\":{\"text\":\"%d %0*d\"}}\n", i, i % 1000, 0);

		fx_buf_add(&all, line, (size_t)k);
	}
	snprintf(path, sizeof(path), "%s/long.jsonl", t_tmpdir());
	f = fopen(path, "w");
	fwrite(all.data, 1, all.len, f);
	fclose(f);
	CHECK(fx_reader_open(&r, path) == 0);
	r.hash[0] = fx_hash_new(FX_HASH_SHA256);
	while (fx_reader_next(&r, &rec) == 1) {
		snprintf(line, sizeof(line), "%d ", n);
		if (strncmp(json_string_value(json_object_get(json_object_get(rec, "data"), "text")),
			    line, strlen(line)) != 0)
			ok = 0;
		n++;
		json_decref(rec);
	}
	CHECK(ok);
	CHECK_INT(n, 2000);
	hex_of(r.hash[0], got);
	sha_of(all.data, all.len, want);
	CHECK_STR(got, want);
	fx_hash_free(r.hash[0]);
	fx_reader_close(&r);
	fx_buf_release(&all);
}

FX_TEST(test_record_line_buf_appends_and_leaves_rec_alone)
{
	json_t *rec = fx_record_new("note", "c", "t");
	struct fx_buf b = FX_BUF_INIT;
	uint8_t id[32];
	char hex[FX_SHA256_HEX], want[FX_SHA256_HEX], *line;

	json_object_set_new(json_object_get(rec, "data"), "text", json_string("x"));
	fx_buf_add(&b, "prefix", 6);
	CHECK(fx_record_line_buf(rec, &b, id) == 0);
	CHECK(json_object_get(rec, "id") == NULL);
	CHECK(fx_record_id(rec, want) == 0);
	CHECK_STR(fx_hex(id, 32, hex), want);
	line = fx_record_line(rec, NULL, hex);
	CHECK_STR(b.data + 6, line);
	CHECK(strncmp(b.data, "prefix", 6) == 0);
	free(line);
	fx_buf_release(&b);
	json_decref(rec);
}

FX_TEST(test_types_registry_sorted_and_complete)
{
	const struct fx_type *t;
	size_t n, i;

	t = fx_types(&n);
	CHECK(n >= 6);
	for (i = 1; i < n; i++)
		CHECK(strcmp(t[i - 1].name, t[i].name) < 0);
	for (i = 0; i < n; i++)
		CHECK(fx_type_find(t[i].name) == &t[i]);
	CHECK(fx_type_find("nosuch") == NULL);
}
