/*
 * fx_check and lib/ocr: check digits, the forms of device fields, labels
 * and values found on pages made from text (fx_ocr_page_from_text: no
 * OCR), identity cards, the steps file, text matching and frame
 * similarity. tests/fx-ocr.bats reads real images.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "fx_check.h"
#include "fx_ocr.h"

FX_TEST(test_ocr_luhn)
{
	/* 3GPP TS 23.003 annex B's example IMEI, and the GSMA test IMEI. */
	CHECK(fx_luhn_valid("490154203237518", 15));
	CHECK(fx_luhn_valid("356938035643809", 15));
	CHECK(fx_luhn_digit("49015420323751", 14) == '8');
	CHECK(fx_luhn_digit("35693803564380", 14) == '9');
	/* Every single wrong digit is caught. */
	CHECK(!fx_luhn_valid("356938035643808", 15));
	CHECK(!fx_luhn_valid("356938035645809", 15));
	/* Two neighbours swapped: caught (but 09/90, which Luhn cannot see). */
	CHECK(!fx_luhn_valid("356983035643809", 15));
	CHECK(!fx_luhn_valid("35693803564380x", 15));
	CHECK(!fx_luhn_valid("0", 1));
	CHECK(fx_luhn_digit("12a", 3) == 0);
	/* A payment card number: Luhn too. */
	CHECK(fx_luhn_valid("4111111111111111", 16));
}

FX_TEST(test_ocr_imei_valid)
{
	CHECK(fx_imei_valid("356938035643809"));
	CHECK(!fx_imei_valid("35693803564380"));
	CHECK(!fx_imei_valid("3569380356438090"));
	CHECK(!fx_imei_valid("356938035643808"));
	CHECK(!fx_imei_valid(NULL));
}

FX_TEST(test_ocr_meid_check)
{
	/* 3GPP2 S.R0048's example: AF 01 23 45 0A BC DE, check digit C. */
	CHECK(fx_meid_check("AF0123450ABCDE") == 'C');
	CHECK(fx_meid_check("af0123450abcde") == 'C');
	CHECK(fx_meid_check("AF0123450ABCD") == 0);
	CHECK(fx_meid_check("AF0123450ABCDG") == 0);
}

FX_TEST(test_ocr_mod11_2)
{
	/* GB 11643-1999's own example, and one whose check is X. */
	CHECK(fx_mod11_2_char("11010519491231002") == 'X');
	CHECK(fx_mod11_2_char("44052418800101001") == '4');
	CHECK(fx_prc_id_valid("11010519491231002X"));
	CHECK(fx_prc_id_valid("11010519491231002x"));
	CHECK(fx_prc_id_valid("440524188001010014"));
	CHECK(!fx_prc_id_valid("440524188001010015"));
	CHECK(!fx_prc_id_valid("110105194912310021"));
	CHECK(!fx_prc_id_valid("11010519491231002"));
	CHECK(!fx_prc_id_valid("1101051949123100XX"));
	CHECK(fx_mod11_2_char("1101051949123100a") == 0);
}

FX_TEST(test_ocr_normalize_forms)
{
	char v[64];

	/* IMEIs: spaces and slashes as pages print them; letters read for digits. */
	CHECK(fx_ocr_normalize(FX_OCR_IMEI, "35 693803 564380 9", v, sizeof(v)));
	CHECK_STR(v, "356938035643809");
	CHECK(fx_ocr_normalize(FX_OCR_IMEI, "3569380356438O9 >", v, sizeof(v)));
	CHECK_STR(v, "356938035643809");
	CHECK(!fx_ocr_normalize(FX_OCR_IMEI, "356938035643808", v, sizeof(v)));
	/* An IMEISV (16 digits) is no IMEI. */
	CHECK(!fx_ocr_normalize(FX_OCR_IMEI, "3569380356438091", v, sizeof(v)));
	CHECK(!fx_ocr_normalize(FX_OCR_IMEI2, "unknown", v, sizeof(v)));
	/* MAC addresses: any separator and case, ¢ for c. */
	CHECK(fx_ocr_normalize(FX_OCR_WIFI_MAC, "A4:50:46:12:AB:CD", v, sizeof(v)));
	CHECK_STR(v, "a4:50:46:12:ab:cd");
	CHECK(fx_ocr_normalize(FX_OCR_BT_MAC, "1\xc2\xa2-cc-93-fc-6f-bf", v, sizeof(v)));
	CHECK_STR(v, "1c:cc:93:fc:6f:bf");
	CHECK(!fx_ocr_normalize(FX_OCR_WIFI_MAC, "02:00:00:00:00:00", v, sizeof(v)));
	CHECK(!fx_ocr_normalize(FX_OCR_WIFI_MAC, "a4:50:46:12:ab", v, sizeof(v)));
	/* Phone numbers keep their + and drop the rest. */
	CHECK(fx_ocr_normalize(FX_OCR_PHONE, "+86 138 0013 8000", v, sizeof(v)));
	CHECK_STR(v, "+8613800138000");
	CHECK(fx_ocr_normalize(FX_OCR_PHONE, "+1 650-555-0123", v, sizeof(v)));
	CHECK_STR(v, "+16505550123");
	CHECK(fx_ocr_normalize(FX_OCR_PHONE, "138 0013 8000", v, sizeof(v)));
	CHECK_STR(v, "13800138000");
	CHECK(!fx_ocr_normalize(FX_OCR_PHONE, "Unknown", v, sizeof(v)));
	/* Android versions. */
	CHECK(fx_ocr_normalize(FX_OCR_ANDROID, "Android 13", v, sizeof(v)));
	CHECK_STR(v, "13");
	CHECK(fx_ocr_normalize(FX_OCR_ANDROID, "8.1.0", v, sizeof(v)));
	CHECK_STR(v, "8.1.0");
	CHECK(!fx_ocr_normalize(FX_OCR_ANDROID, "TQ3A.230805.001", v, sizeof(v)));
	/* MEIDs: 14 hex digits, A0 to FF or 99 first. */
	CHECK(fx_ocr_normalize(FX_OCR_MEID, "a0000049b7f3c2", v, sizeof(v)));
	CHECK_STR(v, "A0000049B7F3C2");
	CHECK(!fx_ocr_normalize(FX_OCR_MEID, "12345678901234", v, sizeof(v)));
	/* A 15th character must be the check digit: else it is a misread. */
	CHECK(fx_ocr_normalize(FX_OCR_MEID, "AF0123450ABCDEC", v, sizeof(v)));
	CHECK_STR(v, "AF0123450ABCDE");
	CHECK(!fx_ocr_normalize(FX_OCR_MEID, "AF0123450ABCDE5", v, sizeof(v)));
	/* Serials: letters and digits. */
	CHECK(fx_ocr_normalize(FX_OCR_SERIAL, "R58M 12ABCDE", v, sizeof(v)));
	CHECK_STR(v, "R58M12ABCDE");
	CHECK(!fx_ocr_normalize(FX_OCR_SERIAL, "R58-M12", v, sizeof(v)));
	/* A colon between label and value is not the value's. */
	CHECK(fx_ocr_normalize(FX_OCR_MODEL, "\xef\xbc\x9aSM-G991B", v, sizeof(v)));
	CHECK_STR(v, "SM-G991B");
}

/* The value of field id found in text, or NULL (a static copy). */
static const char *found(const char *text, enum fx_ocr_field_id id, int *rejected)
{
	static char buf[128];
	struct fx_ocr_page p;
	struct fx_ocr_device d;

	fx_ocr_page_from_text(&p, text);
	fx_ocr_device_parse(&p, &d);
	buf[0] = '\0';
	if (d.f[id].value)
		snprintf(buf, sizeof(buf), "%s", d.f[id].value);
	if (rejected)
		*rejected = d.rejected_imeis;
	fx_ocr_device_release(&d);
	fx_ocr_page_release(&p);
	return buf[0] ? buf : NULL;
}

FX_TEST(test_ocr_device_stacked_english)
{
	const char *page = "9:41 85%\n< About phone\nDevice name\nLi Wei's phone\n"
			   "Model\nSM-G991B\nIMEI (SIM slot 1)\n356938035643809\nIMEI SV\n12\n"
			   "IMEI (SIM slot 2)\n490154203237518\nSerial number\nR58M12ABCDE\n"
			   "Android version\n13\nBuild number\nTQ3A.230805.001\n"
			   "Wi-Fi MAC address\na4:50:46:12:ab:cd\nBluetooth address\n"
			   "A4:50:46:12:AB:CE\nPhone number\n+86 138 0013 8000\n";

	CHECK_STR(found(page, FX_OCR_MODEL, NULL), "SM-G991B");
	CHECK_STR(found(page, FX_OCR_IMEI, NULL), "356938035643809");
	CHECK_STR(found(page, FX_OCR_IMEI2, NULL), "490154203237518");
	CHECK_STR(found(page, FX_OCR_SERIAL, NULL), "R58M12ABCDE");
	CHECK_STR(found(page, FX_OCR_ANDROID, NULL), "13");
	CHECK_STR(found(page, FX_OCR_WIFI_MAC, NULL), "a4:50:46:12:ab:cd");
	CHECK_STR(found(page, FX_OCR_BT_MAC, NULL), "a4:50:46:12:ab:ce");
	CHECK_STR(found(page, FX_OCR_PHONE, NULL), "+8613800138000");
	CHECK(found(page, FX_OCR_MEID, NULL) == NULL);
	CHECK(found(page, FX_OCR_BRAND, NULL) == NULL);
}

FX_TEST(test_ocr_device_columns_chinese)
{
	/* Two columns, labels in Chinese; 版本号 (the build) is not Android 版本. */
	const char *page = "关于手机\n版本号\tV14.0.6.0.TKHCNXM\n设备型号\tRedmi K40\n"
			   "品牌\tRedmi\nIMEI1\t490154203237518\nIMEI2\t356938035643809\n"
			   "MEID\tA0000049B7F3C2\n序列号\ta1b2c3d4\nAndroid 版本\t13\n"
			   "蓝牙地址\t0c:2a:3b:4c:5d:6e\n本机号码\t+86 139 0000 1234\n";

	CHECK_STR(found(page, FX_OCR_MODEL, NULL), "Redmi K40");
	CHECK_STR(found(page, FX_OCR_BRAND, NULL), "Redmi");
	CHECK_STR(found(page, FX_OCR_IMEI, NULL), "490154203237518");
	CHECK_STR(found(page, FX_OCR_IMEI2, NULL), "356938035643809");
	CHECK_STR(found(page, FX_OCR_MEID, NULL), "A0000049B7F3C2");
	CHECK_STR(found(page, FX_OCR_SERIAL, NULL), "a1b2c3d4");
	CHECK_STR(found(page, FX_OCR_ANDROID, NULL), "13");
	CHECK_STR(found(page, FX_OCR_BT_MAC, NULL), "0c:2a:3b:4c:5d:6e");
	CHECK_STR(found(page, FX_OCR_PHONE, NULL), "+8613900001234");
	CHECK(found(page, FX_OCR_WIFI_MAC, NULL) == NULL);
}

FX_TEST(test_ocr_device_same_line_and_misread_labels)
{
	/* Label and value on one line; labels with a letter misread. */
	const char *page = "IMEI: 356938035643809\nSeria1 number R58M12ABCDE\n"
			   "Mode1\nPixel 7\nIME] 2 490154203237518\n型号：Mi 11 Ultra\n";

	CHECK_STR(found(page, FX_OCR_IMEI, NULL), "356938035643809");
	CHECK_STR(found(page, FX_OCR_IMEI2, NULL), "490154203237518");
	CHECK_STR(found(page, FX_OCR_SERIAL, NULL), "R58M12ABCDE");
	/* "Mode1" is one letter off a five-letter label: too short to guess. */
	CHECK(found("Mode1\nPixel 7\n", FX_OCR_MODEL, NULL) == NULL);
}

FX_TEST(test_ocr_device_never_a_bad_imei)
{
	int rejected = 0;

	/* One digit misread: the check fails, nothing is reported, and it is counted. */
	CHECK(found("IMEI\n356938035643808\n", FX_OCR_IMEI, &rejected) == NULL);
	CHECK_INT(rejected, 1);
	/* The IMEI SV and other numbers are never taken for the IMEI. */
	CHECK(found("IMEI SV\n356938035643809\n", FX_OCR_IMEI, NULL) == NULL);
	CHECK(found("IMSI\n460001234567890\n", FX_OCR_IMEI, NULL) == NULL);
	/* Two unnumbered IMEI labels are slots 1 and 2. */
	CHECK_STR(found("IMEI\n490154203237518\nIMEI\n356938035643809\n", FX_OCR_IMEI2, NULL),
		  "356938035643809");
}

FX_TEST(test_ocr_idcard_fields)
{
	struct fx_ocr_page p;
	struct fx_ocr_idcard c;
	json_t *j;

	fx_ocr_page_from_text(
		&p, "姓名\t张三丰\n性别 男 民族 汉\n出生\t1949年12月31日\n"
		    "住址\t北京市朝阳区\n\t建国路88号\n公民身份号码 110105194912310038\n");
	CHECK(fx_ocr_idcard_parse(&p, &c));
	CHECK_STR(c.number, "110105194912310038");
	CHECK(c.number_valid);
	CHECK_STR(c.name, "张三丰");
	CHECK_STR(c.sex, "男");
	CHECK_STR(c.nation, "汉");
	CHECK_STR(c.birth, "1949-12-31");
	CHECK_STR(c.address, "北京市朝阳区建国路88号");
	j = fx_ocr_idcard_json(&c);
	CHECK_STR(json_string_value(json_object_get(j, "number_birth")), "1949-12-31");
	CHECK_STR(json_string_value(json_object_get(j, "number_sex")), "男");
	CHECK_STR(json_string_value(json_object_get(j, "region_code")), "110105");
	CHECK(json_is_true(json_object_get(j, "consistent")));
	json_decref(j);
	fx_ocr_idcard_release(&c);
	fx_ocr_page_release(&p);

	/* A number that fails its check is kept, said to fail. */
	fx_ocr_page_from_text(&p, "公民身份号码 110105194912310039\n");
	CHECK(fx_ocr_idcard_parse(&p, &c));
	CHECK(!c.number_valid);
	fx_ocr_idcard_release(&c);
	fx_ocr_page_release(&p);
	fx_ocr_page_from_text(&p, "no number here 12345\n");
	CHECK(!fx_ocr_idcard_parse(&p, &c));
	fx_ocr_idcard_release(&c);
	fx_ocr_page_release(&p);
}

FX_TEST(test_ocr_contains)
{
	CHECK(fx_ocr_contains("请 打 开 钱 包\nOpen wallet", "请打开钱包"));
	/* Full-width forms and case are folded. */
	CHECK(fx_ocr_contains("用户ＩＤ： 10086", "用户id:10086"));
	/* Short strings must be exact: an id is an id. */
	CHECK(!fx_ocr_contains("用户ID: 10087", "用户ID: 10086"));
	/* One misread character in ten is allowed. */
	CHECK(fx_ocr_contains("please open the wa1let now", "open the wallet"));
	CHECK(!fx_ocr_contains("please open the wa11et now", "open the wallet"));
	CHECK(!fx_ocr_contains("", "x"));
}

FX_TEST(test_ocr_similarity)
{
	unsigned char a[100], b[100];

	memset(a, 200, sizeof(a));
	memcpy(b, a, sizeof(b));
	CHECK(fx_ocr_similarity(a, b, sizeof(a)) == 1.0);
	/* Noise below 24 levels is the same picture. */
	b[3] = 220;
	CHECK(fx_ocr_similarity(a, b, sizeof(a)) == 1.0);
	memset(b, 20, 10);
	CHECK(fx_ocr_similarity(a, b, sizeof(a)) == 0.9);
}

static int steps_from(const char *json, struct fx_ocr_steps *s)
{
	char *path = fx_path_join(t_tmpdir(), "steps.json");
	int r;

	CHECK(fx_write_file_atomic(path, json, strlen(json), 0644) == 0);
	t_mute_stderr();
	r = fx_ocr_steps_load(path, s);
	t_unmute_stderr();
	free(path);
	return r;
}

FX_TEST(test_ocr_steps_file)
{
	struct fx_ocr_steps s;

	CHECK(steps_from("{\"steps\":[{\"text\":\"ID 10086\",\"display\":3},"
			 "{\"text\":\"请打开钱包\",\"display\":2.5}],\"window\":10}",
			 &s) == 0);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.steps[1].text, "请打开钱包");
	CHECK(s.steps[1].display == 2.5);
	CHECK(s.window == 10);
	CHECK(s.similarity == 0.995);
	CHECK(s.tolerance == 1.0);
	fx_ocr_steps_release(&s);
	/* Malformed: not JSON, no steps, a step without text, a display that is no number. */
	CHECK(steps_from("{\"steps\": [", &s) < 0);
	CHECK(steps_from("{\"window\": 3}", &s) < 0);
	CHECK(steps_from("{\"steps\":[{\"display\":1}],\"window\":3}", &s) < 0);
	CHECK(steps_from("{\"steps\":[{\"text\":\"a\",\"display\":\"soon\"}],\"window\":3}", &s) <
	      0);
	CHECK(steps_from("{\"steps\":[{\"text\":\"a\",\"display\":1}]}", &s) < 0);
	CHECK(steps_from("{\"steps\":[{\"text\":\"a\",\"display\":1}],\"window\":3,"
			 "\"similarity\":2}",
			 &s) < 0);
}
