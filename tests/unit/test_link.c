/*
 * lib/link: each indicator family with valid identifiers and the
 * look-alikes that must not match.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "fx_check.h"
#include "fx_link.h"

struct acc {
	char s[2048];
};

static int add_ind(const struct fx_ind *ind, void *ctx)
{
	struct acc *a = ctx;
	size_t n = strlen(a->s);

	snprintf(a->s + n, sizeof(a->s) - n, "%s%s=%s", n ? " " : "", fx_ind_name(ind->kind),
		 ind->value);
	return 0;
}

/* The indicators of text as "kind=value kind=value …". Static buffer per call. */
static const char *ex(const char *text, struct acc *a)
{
	struct fx_link_opts o = { "CN" };

	a->s[0] = '\0';
	fx_link_extract(text, strlen(text), &o, add_ind, a);
	return a->s;
}

FX_TEST(test_link_url_and_host)
{
	struct acc a;

	CHECK_STR(ex("您好，请点击 http://kuaidi-cn.top/p?id=88 领取", &a),
		  "url=http://kuaidi-cn.top/p?id=88 domain=kuaidi-cn.top");
	CHECK_STR(ex("see HTTPS://WWW.Example.co.uk/A/B.", &a),
		  "url=https://www.example.co.uk/A/B domain=www.example.co.uk");
	CHECK_STR(ex("go to www.baidu.com now", &a), "url=http://www.baidu.com domain=www.baidu.com");
	CHECK_STR(ex("http://[2001:db8::1]:8080/x", &a), "url=http://[2001:db8::1]:8080/x ip=2001:db8::1");
	CHECK_STR(ex("http://8.8.8.8/dns", &a), "url=http://8.8.8.8/dns ip=8.8.8.8");
	/* not a URL: unknown suffix, file names, package names */
	CHECK_STR(ex("http://intranet/x photo.jpg com.tencent.mm readme.md", &a), "");
	CHECK_STR(ex("visit taobao.com or 淘宝.com", &a), "domain=taobao.com");
}

FX_TEST(test_link_ip)
{
	struct acc a;

	CHECK_STR(ex("from 203.0.113.7 and 10.1.2.3", &a), "ip=203.0.113.7 ip=10.1.2.3");
	CHECK_STR(ex("fe80::1ff:fe23:4567:890a up", &a), "ip=fe80::1ff:fe23:4567:890a");
	/* versions, longer dotted runs, bad octets, times, MAC addresses */
	CHECK_STR(ex("version 1.2.3.4, v10.0.0.1, 版本 2.0.1.5", &a), "");
	CHECK_STR(ex("1.3.6.1.4.1 256.1.1.1 01.02.03.04 12:30:45 5c:cb:99:12:34:56", &a), "");
	CHECK_STR(fx_ip_class("192.168.1.1"), "private");
	CHECK_STR(fx_ip_class("8.8.8.8"), "public");
	CHECK_STR(fx_ip_class("127.0.0.1"), "loopback");
	CHECK_STR(fx_ip_class("100.64.1.1"), "shared");
	CHECK_STR(fx_ip_class("240.0.0.1"), "reserved");
	CHECK_STR(fx_ip_class("fd00::1"), "private");
	CHECK_STR(fx_ip_class("2001:db8::1"), "documentation");
	CHECK_STR(fx_ip_class("2400:3200::1"), "public");
}

FX_TEST(test_link_email)
{
	struct acc a;

	CHECK_STR(ex("邮箱：Zhang.Wei@Example.com。", &a),
		  "email=zhang.wei@example.com domain=example.com");
	CHECK_STR(ex("user@localhost @handle a@b.c x@y.jpg", &a), "");
}

FX_TEST(test_link_phone)
{
	struct acc a;
	char out[32];
	const char *d;

	CHECK_STR(ex("电话 13800138000，或 +86 139 0013 9000", &a),
		  "phone=+8613800138000 phone=+8613900139000");
	CHECK_STR(ex("call 010-62345678 or 0755-8765 4321", &a),
		  "phone=+861062345678 phone=+8675587654321");
	CHECK_STR(ex("+41 78 690 91 09 and 0041786909109", &a), "phone=+41786909109 phone=+41786909109");
	/* dates, times, amounts, ids, order numbers */
	CHECK_STR(ex("2021-04-08 20210408 2021.04.08 09:14:07 5000.00元 110101199003071234", &a), "");
	CHECK_STR(ex("订单ORD13800138000X 单号 138001380001234 12345678", &a), "");
	CHECK(fx_phone_norm("95588", 5, "CN", 1, out, &d) == 0);
	CHECK_STR(out, "95588");
	CHECK(fx_phone_norm("95588", 5, "CN", 0, out, &d) < 0);
	CHECK(fx_phone_norm("(415) 555-2671", 14, "US", 0, out, &d) == 0);
	CHECK_STR(out, "+14155552671");
	CHECK_STR(fx_phone_region("+8613800138000"), "CN");
	CHECK_STR(fx_phone_region("+41786909109"), "CH");
}

FX_TEST(test_link_card)
{
	struct acc a;

	CHECK(fx_luhn_valid("4111111111111111", 16));
	CHECK(!fx_luhn_valid("4111111111111112", 16));
	CHECK_STR(ex("卡号 6222 0212 3456 7894，4111-1111-1111-1111 和 378282246310005", &a),
		  "card=6222021234567894 card=4111111111111111 card=378282246310005");
	/* Luhn wrong; right Luhn but no network's range or length */
	CHECK_STR(ex("6222 0212 3456 7895 4111111111111112 0000000000000000", &a), "");
	CHECK_STR(fx_card_brand("5555555555554444", 16), "mastercard");
}

FX_TEST(test_link_crypto)
{
	struct acc a;
	uint8_t h[32];
	char hex[65];

	fx_keccak256("", 0, h);
	CHECK_STR(fx_hex(h, 32, hex), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
	CHECK_STR(ex("BTC 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", &a),
		  "crypto=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 crypto=3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
	CHECK_STR(ex("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 "
		     "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", &a),
		  "crypto=bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 "
		  "crypto=bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0");
	CHECK_STR(ex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed T9yED5xMV5ARV98BexN97aLZ1UUq7eKSxm", &a),
		  "crypto=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed crypto=T9yED5xMV5ARV98BexN97aLZ1UUq7eKSxm");
	/* one character changed: every checksum fails */
	CHECK_STR(ex("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3 bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5 "
		     "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD T9yED5xMV5ARV98BexN97aLZ1UUq7eKSxn", &a), "");
	CHECK_STR(fx_crypto_check("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", 42), "ethereum");
}

FX_TEST(test_link_accounts)
{
	struct acc a;

	CHECK_STR(ex("加我微信号：zhangwei_88 谢谢", &a), "account=wechat:zhangwei_88");
	CHECK_STR(ex("QQ: 123456789, 支付宝账号 li.na@example.com", &a),
		  "account=qq:123456789 email=li.na@example.com "
		  "account=alipay:li.na@example.com domain=example.com");
	CHECK_STR(ex("wxid_8k2j3h4g5f6d", &a), "account=wechat:wxid_8k2j3h4g5f6d");
	/* no label, or a label with nothing that fits after it */
	CHECK_STR(ex("订单 123456789 qqmail QQ群 微信支付", &a), "");
}

FX_TEST(test_link_payqr)
{
	struct acc a;
	const char *emv = "00020101021229300012D156000000000510A93FO3230Q31280012D1560000000103081234"
			  "5678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输"
			  "0202北京540523.7253031565502016233030412340603***0708A60086670902ME9132"
			  "0016A0112233449988770708123456786304A13A";
	char buf[512];

	CHECK_INT(fx_crc16_ccitt("123456789", 9), 0x29b1);
	CHECK(fx_emvco_ok(emv, strlen(emv)));
	snprintf(buf, sizeof(buf), "付款码 %s", emv);
	CHECK(strncmp(ex(buf, &a), "payqr=000201", 12) == 0);
	buf[strlen(buf) - 1] = 'B';
	CHECK_STR(ex(buf, &a), "");
	CHECK_STR(ex("wxp://f2f0abc123", &a), "payqr=wxp://f2f0abc123");
	CHECK_STR(ex("https://qr.alipay.com/fkx17623hwdrmwzh6ltkq3c", &a),
		  "url=https://qr.alipay.com/fkx17623hwdrmwzh6ltkq3c "
		  "payqr=https://qr.alipay.com/fkx17623hwdrmwzh6ltkq3c domain=qr.alipay.com");
}

FX_TEST(test_link_describe)
{
	struct fx_net *n = fx_net_open(NULL);
	json_t *o = json_object();

	CHECK(n != NULL);
	fx_net_describe(n, FX_IND_URL, "http://www.example.co.uk/x", o);
	CHECK_STR(json_string_value(json_object_get(o, "registrable")), "example.co.uk");
	CHECK_STR(json_string_value(json_object_get(o, "suffix")), "co.uk");
	CHECK_STR(json_string_value(json_object_get(o, "host")), "www.example.co.uk");
	json_decref(o);
	o = json_object();
	fx_net_describe(n, FX_IND_IP, "10.0.0.1", o);
	CHECK_STR(json_string_value(json_object_get(o, "ip_class")), "private");
	CHECK(json_object_get(o, "country") == NULL);
	json_decref(o);
	fx_net_free(n);
}
