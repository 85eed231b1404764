/*
 * test_pair.c - pairing: frames (limits, replay), tokens (single use,
 * expiry), the pairing URI, consent codes (MAC, short code, forgery),
 * categories, and share-root confinement ("..", absolute names, links).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "fx_pair.h"

FX_TEST(test_pair_frame_roundtrip_and_replay)
{
	struct fx_pair_io a, b;
	unsigned char raw[64], buf[FX_PAIR_MAX_CHUNK];
	json_t *m, *got = NULL;
	size_t n = 0;
	int sv[2], r;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	fx_pair_io_init(&a, NULL, sv[0], "a");
	fx_pair_io_init(&b, NULL, sv[1], "b");
	m = json_pack("{s:s}", "op", "status");
	CHECK(fx_pair_send(&a, m) == 0);
	CHECK(fx_pair_recv(&b, &got, buf, sizeof(buf), &n) == 1);
	CHECK_STR(json_string_value(json_object_get(got, "op")), "status");
	json_decref(got);
	CHECK(fx_pair_send_data(&a, "hello", 5) == 0);
	CHECK(fx_pair_recv(&b, &got, buf, sizeof(buf), &n) == 2);
	CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
	/* The same message again (same id and nonce) is a replay. */
	{
		char *s = json_dumps(m, JSON_COMPACT);
		size_t len = strlen(s);

		raw[0] = 0;
		raw[1] = 0;
		raw[2] = (unsigned char)(len >> 8);
		raw[3] = (unsigned char)len;
		CHECK(write(sv[0], raw, 4) == 4);
		CHECK(write(sv[0], s, len) == (ssize_t)len);
		free(s);
	}
	r = fx_pair_recv(&b, &got, buf, sizeof(buf), &n);
	CHECK(r == -1 && got == NULL);
	json_decref(m);
	fx_pair_io_release(&a);
	fx_pair_io_release(&b);
	close(sv[0]);
	close(sv[1]);
}

FX_TEST(test_pair_frame_limits)
{
	unsigned char h[4] = {0, 0, 0, 0};
	const char *why = NULL;
	size_t len;

	CHECK(fx_pair_frame_header(h, &len, &why) == -1);
	h[2] = 1;
	CHECK(fx_pair_frame_header(h, &len, &why) == 1 && len == 256);
	h[0] = 0x7f;
	CHECK(fx_pair_frame_header(h, &len, &why) == -1);
	CHECK_STR(why, "frame too large");
	h[0] = 0x80;
	h[1] = 0x04;
	h[2] = 0;
	CHECK(fx_pair_frame_header(h, &len, &why) == 2 && len == FX_PAIR_MAX_CHUNK);
	h[3] = 1;
	CHECK(fx_pair_frame_header(h, &len, &why) == -1);
}

FX_TEST(test_pair_frame_malformed_json)
{
	struct fx_pair_io b;
	unsigned char hdr[4] = {0, 0, 0, 5};
	json_t *got = NULL;
	int sv[2];

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	fx_pair_io_init(&b, NULL, sv[1], "b");
	CHECK(write(sv[0], hdr, 4) == 4 && write(sv[0], "[1,2]", 5) == 5);
	CHECK(fx_pair_recv(&b, &got, NULL, 0, NULL) == -1 && !got);
	CHECK(write(sv[0], hdr, 4) == 4 && write(sv[0], "{\"a\":", 5) == 5);
	CHECK(fx_pair_recv(&b, &got, NULL, 0, NULL) == -1 && !got);
	/* A header promising more than arrives, then the end. */
	CHECK(write(sv[0], hdr, 4) == 4 && write(sv[0], "{}", 2) == 2);
	close(sv[0]);
	CHECK(fx_pair_recv(&b, &got, NULL, 0, NULL) == -1 && !got);
	fx_pair_io_release(&b);
	close(sv[1]);
}

FX_TEST(test_pair_token_single_use_and_expiry)
{
	struct fx_pair_token t;
	char copy[FX_PAIR_TOKEN_HEX];

	CHECK(fx_pair_token_new(&t, 1000, 60) == 0);
	memcpy(copy, t.value, sizeof(copy));
	CHECK_STR(fx_pair_token_use(&t, "00000000000000000000000000000000", 1001), "wrong token");
	CHECK(fx_pair_token_use(&t, copy, 1001) == NULL);
	CHECK_STR(fx_pair_token_use(&t, copy, 1002), "token already used");
	CHECK(fx_pair_token_new(&t, 1000, 60) == 0);
	CHECK_STR(fx_pair_token_use(&t, t.value, 1060), "token expired");
	CHECK_STR(fx_pair_token_use(&t, NULL, 1001), "wrong token");
}

FX_TEST(test_pair_uri_roundtrip)
{
	const char *fp = "900a3da4a76d7a3030a59985b86545acc35aef79caebb2350455c813f7b637bc";
	struct fx_pair_uri u;
	const char *why;
	char *s = fx_pair_uri_make("192.168.1.20", 4433, fp, "4d0b6db8127f9b0acaca321dd93e93ac",
				   1795459538, "2026/113 a&b");

	CHECK(fx_pair_uri_parse(s, &u, &why) == 0);
	CHECK_STR(u.host, "192.168.1.20");
	CHECK(u.port == 4433 && u.expires == 1795459538);
	CHECK_STR(u.fp, fp);
	CHECK_STR(u.case_id, "2026/113 a&b");
	free(s);
	CHECK(fx_pair_uri_parse("http://x:1/?v=1", &u, &why) == -1);
	CHECK(fx_pair_uri_parse("fxpair://x:99999/?v=1", &u, &why) == -1);
	CHECK(fx_pair_uri_parse("fxpair://x:1/?v=1&fp=zz&t=1&exp=1&case=c", &u, &why) == -1);
}

FX_TEST(test_pair_consent_mac)
{
	uint8_t key[FX_PAIR_KEY_LEN], other[FX_PAIR_KEY_LEN];
	char code[FX_PAIR_SHORT_LEN], *uri, *forged;

	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	uri = fx_pair_consent_uri(key, "chat", "2026-113", "abcd");
	CHECK(fx_pair_consent_check(key, "chat", "2026-113", "abcd", uri) == NULL);
	/* Another session's key, category, case or nonce: refused. */
	CHECK(fx_pair_consent_check(other, "chat", "2026-113", "abcd", uri) != NULL);
	CHECK(fx_pair_consent_check(key, "payment", "2026-113", "abcd", uri) != NULL);
	CHECK(fx_pair_consent_check(key, "chat", "2026-114", "abcd", uri) != NULL);
	CHECK(fx_pair_consent_check(key, "chat", "2026-113", "abce", uri) != NULL);
	forged = fx_xstrdup(uri);
	forged[strlen(forged) - 1] = forged[strlen(forged) - 1] == '0' ? '1' : '0';
	CHECK(fx_pair_consent_check(key, "chat", "2026-113", "abcd", forged) != NULL);
	fx_pair_consent_short(key, "chat", "2026-113", "abcd", code);
	CHECK(strlen(code) == 8);
	CHECK(fx_pair_consent_check(key, "chat", "2026-113", "abcd", code) == NULL);
	CHECK(fx_pair_consent_check(other, "chat", "2026-113", "abcd", code) != NULL);
	CHECK(fx_pair_consent_check(key, "chat", "2026-113", "abcd", "1234567") != NULL);
	CHECK(fx_pair_consent_check(key, "chat", "2026-113", "abcd", NULL) != NULL);
	free(uri);
	free(forged);
}

FX_TEST(test_pair_categories)
{
	const struct fx_pair_category *sms = fx_pair_category_find("sms");
	const struct fx_pair_category *files = fx_pair_category_find("files");
	const struct fx_pair_category *chat = fx_pair_category_find("chat");

	CHECK(sms && files && chat && !fx_pair_category_find("everything"));
	CHECK(!sms->active && chat->active);
	CHECK(fx_pair_category_match(
		sms, "data/data/com.android.providers.telephony/databases/mmssms.db"));
	CHECK(fx_pair_category_match(
		sms, "data/data/com.android.providers.telephony/databases/mmssms.db-wal"));
	CHECK(!fx_pair_category_match(sms, "data/media/0/Download/mmssms.txt"));
	CHECK(fx_pair_category_match(files, "data/media/0/Download/report.pdf"));
	CHECK(fx_pair_category_match(files, "report.pdf"));
	/* "files" takes neither another category's items nor private app data. */
	CHECK(!fx_pair_category_match(files, "data/media/0/WhatsApp/Media/a.jpg"));
	CHECK(!fx_pair_category_match(files, "data/data/com.example/files/secret"));
	CHECK(fx_pair_category_match(chat, "data/media/0/WhatsApp/Media/a.jpg"));
}

FX_TEST(test_pair_root_confinement)
{
	char dir[] = "/tmp/fx-pair-root-XXXXXX", *p;
	const char *why;
	int root, fd;

	CHECK(mkdtemp(dir) != NULL);
	p = fx_xasprintf("mkdir -p %s/root/a %s/outside && echo secret > %s/outside/s && "
			 "echo ok > %s/root/a/f && ln -s ../outside %s/root/link && "
			 "ln -s /etc/passwd %s/root/a/pw && mkfifo %s/root/fifo",
			 dir, dir, dir, dir, dir, dir, dir);
	CHECK(system(p) == 0);
	free(p);
	p = fx_path_join(dir, "root");
	root = open(p, O_RDONLY | O_DIRECTORY);
	free(p);
	CHECK(root >= 0);
	fd = fx_pair_open_under(root, "a/f", &why);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK(fx_pair_open_under(root, "../outside/s", &why) < 0);
	CHECK(fx_pair_open_under(root, "a/../../outside/s", &why) < 0);
	CHECK(fx_pair_open_under(root, "/etc/passwd", &why) < 0);
	CHECK(fx_pair_open_under(root, "link/s", &why) < 0);
	CHECK(fx_pair_open_under(root, "a/pw", &why) < 0);
	CHECK(fx_pair_open_under(root, "a//f", &why) < 0);
	CHECK(fx_pair_open_under(root, "./a/f", &why) < 0);
	CHECK(fx_pair_open_under(root, "a", &why) < 0);
	CHECK(fx_pair_open_under(root, "fifo", &why) < 0);
	CHECK(fx_pair_open_under(root, "", &why) < 0);
	close(root);
	p = fx_xasprintf("rm -rf %s", dir);
	CHECK(system(p) == 0);
	free(p);
}
