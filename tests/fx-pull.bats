#!/usr/bin/env bats
# fx-pull files: acquisition of plain files, folders and archives.
load test_helper

sample_tree() {
	mkdir -p src/sdcard/DCIM src/data/data/app/databases
	printf 'hello' >src/sdcard/DCIM/a.txt
	head -c 300000 /dev/urandom >src/data/data/app/databases/big.bin
	cp "$ANDROID/exif-samples/data/media/0/DCIM/Camera/jolla.jpg" src/sdcard/DCIM/
}

@test "files: every file is hashed, stored and described, the source untouched" {
	make_case
	sample_tree
	find src -type f -exec sha256sum {} + | sort >before
	run --separate-stderr fx-pull -C case files src
	assert_success
	[ "$(wc -l <<<"$output")" -eq 3 ]
	[ "$(jq -r 'select(.data.path == "sdcard/DCIM/a.txt") | .data.sha256' <<<"$output")" = \
		"$(printf hello | sha256sum | cut -d' ' -f1)" ]
	# each object is in the store under its hash, read-only, byte-identical
	while read -r sha path; do
		obj="case/objects/${sha:0:2}/${sha:2}"
		[ -f "$obj" ] && [ ! -w "$obj" ] || [ "$(id -u)" -eq 0 ]
		cmp "$obj" "src/$path"
	done < <(jq -r '.data.sha256 + " " + .data.path' <<<"$output")
	find src -type f -exec sha256sum {} + | sort >after
	cmp before after
	[ "$(fx-case -C case list --type file | wc -l)" -eq 3 ]
	fx-case -q -C case verify >/dev/null
}

@test "files: a tar, a tar.gz and a zip of the same tree give the same files" {
	sample_tree
	(cd src && tar -cf ../t.tar . && tar -czf ../t.tgz . && zip -qr ../t.zip .)
	for s in src t.tar t.tgz t.zip; do
		fx-pull -q files "$s" | jq -r '.data.sha256 + " " + .data.path' | sed 's# \./# #' | sort >"$s.list"
	done
	cmp src.list t.tar.list
	cmp src.list t.tgz.list
	cmp src.list t.zip.list
}

@test "files: hostile names are made safe and the raw name kept" {
	python3 - <<'PY'
import tarfile, io
with tarfile.open("evil.tar", "w") as t:
    for name in ["../../etc/passwd", "/abs/file", "ok/bad\xff.txt".encode("latin-1").decode("utf-8", "surrogateescape")]:
        data = b"x"
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
PY
	make_case
	run --separate-stderr fx-pull -C case files evil.tar
	assert_success
	paths=$(jq -r .data.path <<<"$output" | sort | paste -sd,)
	[ "$paths" = "abs/file,etc/passwd,ok/bad%FF.txt" ] || { echo "$paths"; false; }
	[ "$(jq -r 'select(.data.path == "etc/passwd") | .data.name_flags' <<<"$output")" = 2 ]
	[ "$(jq -r 'select(.data.path == "ok/bad%FF.txt") | .data.raw_path.hex' <<<"$output")" = \
		"$(printf 'ok/bad\xff.txt' | xxd -p)" ]
	[ ! -e etc ] && [ ! -e /abs/file ]
}

@test "files: a truncated tar.gz is reported, what came before is stored, exit 1" {
	sample_tree
	head -c 2000000 /dev/urandom >src/zz-last.bin
	(cd src && tar -czf ../t.tgz .)
	head -c $(( $(stat -c %s t.tgz) - 100000 )) t.tgz >cut.tgz
	make_case
	run --separate-stderr fx-pull -C case files cut.tgz
	assert_failure 1
	[[ "$stderr" == *"cut.tgz"* ]]
	[ "$(wc -l <<<"$output")" -ge 1 ]
	fx-case -q -C case verify >/dev/null
}

@test "files: a tampered object is found by verify" {
	make_case
	sample_tree
	sha=$(fx-pull -q -C case files src/sdcard/DCIM/a.txt | jq -r .data.sha256)
	chmod u+w "case/objects/${sha:0:2}/${sha:2}"
	printf 'J' | dd of="case/objects/${sha:0:2}/${sha:2}" bs=1 seek=0 conv=notrunc 2>/dev/null
	run --separate-stderr fx-case -C case verify
	assert_failure 1
	[[ "$stderr" == *"object $sha was changed"* ]]
}

@test "files: without a case, files are hashed and described only" {
	sample_tree
	run --separate-stderr fx-pull files src/sdcard/DCIM/a.txt
	assert_success
	[ "$(jq -r .data.path <<<"$output")" = a.txt ]
	[ "$(jq -r .case <<<"$output")" = null ]
}

@test "usage: unknown command and missing path exit 2" {
	run -2 --separate-stderr fx-pull bogus
	[[ "$stderr" == *"'bogus' is not a command"* ]]
	run -2 --separate-stderr fx-pull files
	[[ "$stderr" == *"files needs at least one PATH"* ]]
}

@test "files: the custody entry records the argument vector as given and the objects" {
	make_case
	sample_tree
	fx-pull -q -C case files --device serial:X1 src >/dev/null
	run --separate-stderr fx-case -C case log
	entry=$(tail -1 <<<"$output")
	[ "$(jq -c .data.argv <<<"$entry")" = '["fx-pull","-q","-C","case","files","--device","serial:X1","src"]' ]
	[ "$(jq -r .data.objects.count <<<"$entry")" = 3 ]
	[ "$(jq -r .data.records.count <<<"$entry")" = 3 ]
	[ "$(fx-case -C case list --device serial:X1 | wc -l)" -eq 3 ]
}

@test "android: the plaso mmssms.db gives its 9 SMS, the first exactly as stored" {
	make_case
	run --separate-stderr fx-pull -C case android "$ANDROID"
	# the plaso contacts2.db has no raw_contacts: named, the rest still parsed, exit 1
	assert_failure 1
	[[ "$stderr" == *"plaso/data/data/com.android.providers.contacts/databases/contacts2.db: no raw_contacts, data and mimetypes tables"* ]]
	sms=$(jq -c 'select(.type == "sms")' <<<"$output")
	[ "$(wc -l <<<"$sms")" -eq 9 ]
	first=$(jq -c 'select(.src.rowid == 1)' <<<"$sms")
	[ "$(jq -r .data.address <<<"$first")" = "1 555-521-5554" ]
	[ "$(jq -r .time <<<"$first")" = "2013-10-29T16:56:28.038Z" ]
	[ "$(jq -r .data.time_raw <<<"$first")" = 1383065788038 ]
	[ "$(jq -r .data.body <<<"$first")" = "Yo Fred this is my new number." ]
	[ "$(jq -r .data.direction <<<"$first")" = out ]
	[ "$(jq -r 'select(.data.direction == "out")' <<<"$sms" | jq -s length)" -eq 5 ]
	[ "$(jq -r 'select(.data.direction == "in")' <<<"$sms" | jq -s length)" -eq 4 ]
	[ "$(jq -r 'select(.src.rowid == 9) | .data.body' <<<"$sms")" = "Guess the emulator was not happy with a long message" ]
	# provenance: the object of the database, its table and row
	sha=$(sha256sum "$ANDROID/plaso/data/data/com.android.providers.telephony/databases/mmssms.db" | cut -d' ' -f1)
	[ "$(jq -r .src.sha256 <<<"$first")" = "$sha" ]
	[ "$(jq -r .src.table <<<"$first")" = sms ]
	fx-case -q -C case verify >/dev/null
}

@test "android: call logs from contacts2.db (before 7) and calllog.db (7 and later)" {
	make_case
	run --separate-stderr fx-pull -C case android "$ANDROID"
	calls=$(jq -c 'select(.type == "call")' <<<"$output")
	[ "$(wc -l <<<"$calls")" -eq 4 ]
	barney=$(jq -c 'select(.src.rowid == 715)' <<<"$calls")
	[ "$(jq -r '[.data.number, .data.duration, .data.direction, .time] | join(" ")' <<<"$barney")" = \
		"5404561685 126 out 2013-11-06T21:18:53.283Z" ]
	[ "$(jq -r 'select(.src.rowid == 714) | .data.direction + " " + .data.name' <<<"$calls")" = "missed Barney" ]
	vimes=$(jq -c 'select(.src.path | endswith("calllog.db"))' <<<"$calls")
	[ "$(jq -r '[.data.number, .data.name, .data.direction, .time[0:10]] | join("|")' <<<"$vimes")" = \
		"+441234567890|Samuel Vimes|out|2020-05-07" ]
}

@test "android: a generated Android 12 tree: device, SMS, MMS with its part, contacts, calls, user 95" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/a12"
	assert_success
	dev=$(jq -c 'select(.type == "device")' <<<"$output")
	[ "$(jq -r '.data | [.key, .model, .brand, .android_version, .bt_name] | join("|")' <<<"$dev")" = \
		"serial:R58R12ABCDE|SM-G991B|samsung|12|Galaxy S21 5G" ]
	# every artifact record names the device
	[ "$(jq -r 'select(.type != "file") | .device' <<<"$output" | sort -u)" = serial:R58R12ABCDE ]
	[ "$(jq -r 'select(.type == "sms" and .data.address == "95588") | .data.body' <<<"$output")" = \
		"【工商银行】您尾号6222的卡于04月08日转出5000.00元。" ]
	# a body that is not UTF-8 is kept as hex, not dropped
	[ "$(jq -r 'select(.type == "sms" and .data.address == "10086") | .data.body.hex' <<<"$output")" = \
		"$(printf 'bad \xff\xfe bytes' | xxd -p)" ]
	mms=$(jq -c 'select(.type == "mms")' <<<"$output")
	[ "$(jq -r '[.data.from, .data.subject, .data.body, .time] | join("|")' <<<"$mms")" = \
		"+8613800138000|付款码|扫码付款|2021-04-08T09:15:00.000Z" ]
	part=$(jq -c '.data.parts[] | select(.content_type == "image/jpeg")' <<<"$mms")
	[ "$(jq -r .sha256 <<<"$part")" = \
		"$(sha256sum "$FIXTURES/android-gen/a12/data/user_de/0/com.android.providers.telephony/app_parts/PART_1617873300000" | cut -d' ' -f1)" ]
	[ "$(jq -r 'select(.type == "contact" and .data.name == "张伟") | .data.phones[0].number + " " + .data.organizations[0].company + " " + .data.account' <<<"$output")" = \
		"+86 138 0013 8000 顺丰速运 li.na@example.com" ]
	[ "$(jq -r 'select(.type == "contact" and .data.name == "Old Friend") | .data.deleted' <<<"$output")" = true ]
	[ "$(jq -r 'select(.type == "contact" and .data.user == 95) | .data.name' <<<"$output")" = "王芳 (分身)" ]
	[ "$(jq -r 'select(.type == "call" and .data.number == "95588") | .data.direction' <<<"$output")" = missed ]
	# and the case can find them
	[ "$(fx-case -C case list --query '转出' | jq -r .data.address)" = 95588 ]
	[ "$(fx-case -C case info | jq -r '.devices[0].model')" = SM-G991B ]
}

@test "android: an Android 6 tree under a prefix: call log inside contacts2.db, old account columns" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/a6"
	assert_success
	[ "$(jq -r 'select(.type == "device") | .data.key + " " + .data.android_id' <<<"$output")" = \
		"serial:03a8c0b2f0e1d5c4 9774d56d682e549c" ]
	[ "$(jq -r 'select(.type == "call") | [.data.number, .data.duration, .data.location] | join("|")' <<<"$output")" = \
		"+41786909109|42|Zürich" ]
	[ "$(jq -r 'select(.type == "contact") | .data.account + " " + .data.emails[0].address' <<<"$output")" = \
		"li.na@example.com anna@example.ch" ]
}

@test "android: a directory, tar, tar.gz and zip of the same tree give identical artifact records" {
	(cd "$FIXTURES/android-gen/a12" && tar -cf "$OLDPWD/t.tar" . && tar -czf "$OLDPWD/t.tgz" . && zip -qr "$OLDPWD/t.zip" .)
	for s in "$FIXTURES/android-gen/a12" t.tar t.tgz t.zip; do
		rm -rf c && fx-case -q -C c init 2026-113 >/dev/null
		fx-pull -q -C c android "$s" | jq -r 'select(.type != "file") | .id' | sort >"$(basename "$s").ids"
	done
	[ "$(wc -l <a12.ids)" -ge 11 ]
	cmp a12.ids t.tar.ids
	cmp a12.ids t.tgz.ids
	cmp a12.ids t.zip.ids
}

@test "android: a corrupt database is named, the rest of the source is still parsed" {
	cp -r "$FIXTURES/android-gen/a12" tree
	db=tree/data/data/com.android.providers.contacts/databases/calllog.db
	chmod u+w "$db"
	head -c 2048 /dev/urandom | dd of="$db" bs=1 seek=0 conv=notrunc 2>/dev/null
	make_case
	run --separate-stderr fx-pull -C case android tree
	assert_failure 1
	[[ "$stderr" == *"data/data/com.android.providers.contacts/databases/calllog.db: cannot read as an SQLite database"* ]]
	[ "$(jq -r 'select(.type == "sms")' <<<"$output" | jq -s length)" -eq 4 ]
	fx-case -q -C case verify >/dev/null
}

@test "android: the evidence databases are never opened in place" {
	cp -r "$ANDROID/andriller" tree
	find tree -type f -exec sha256sum {} + | sort >before
	make_case
	fx-pull -q -C case android tree >/dev/null
	find tree -type f -exec sha256sum {} + | sort >after
	cmp before after
	# the scratch copies are gone
	[ -z "$(ls case/objects/tmp)" ]
}

@test "android: needs a case" {
	run -2 --separate-stderr fx-pull android "$ANDROID"
	[[ "$stderr" == *"android needs a case"* ]]
}

@test "android: installed apps from an ABX packages.xml (Android 12+) and packages.list" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/a12"
	assert_success
	apps=$(jq -c 'select(.type == "app" and .data.encoding == "abx")' <<<"$output")
	wechat=$(jq -c 'select(.data.name == "com.tencent.mm" and .data.element == "package")' <<<"$apps")
	[ "$(jq -r '[.data.installer, .data.last_update, .data.system] | join("|")' <<<"$wechat")" = \
		"com.android.vending|2023-12-09T10:30:00.000Z|false" ]
	[ "$(jq -r '.data.certificates | length' <<<"$wechat")" -ge 1 ]
	[ "$(jq -r 'select(.type == "app" and .data.uid == 10235) | .data.name + " " + .data.data_dir' <<<"$output")" = \
		"com.eg.android.AlipayGphone /data/user/0/com.eg.android.AlipayGphone" ]
}

@test "android: Wi-Fi networks from an ABX WifiConfigStore.xml and a wpa_supplicant.conf, keys as stored" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/a12"
	assert_success
	[ "$(jq -r 'select(.type == "wifi" and .data.ssid == "Galaxy_Home_5G") | [.data.psk, .time] | join("|")' <<<"$output")" = \
		'"Tr0ub4dor&3"|2023-06-01T07:00:00.000Z' ]
	[ "$(jq -r 'select(.type == "wifi" and .data.psk_encrypted) | .data.psk // "none"' <<<"$output")" = none ]
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/a6"
	assert_success
	[ "$(jq -r 'select(.type == "wifi" and .data.ssid == "hi") | .data.psk' <<<"$output")" = \
		5ba8c2b7e1f94d2a63c0e8f71b4d9a2c6e3f05d18a7b94c2e1f60d3a8b5c7e94 ]
	[ "$(jq -r 'select(.type == "wifi" and .data.ssid == "hi") | .src.line' <<<"$output")" -gt 0 ]
	[ "$(jq -r 'select(.type == "app" and .data.name == "com.whatsapp") | .data.first_install' <<<"$output")" = \
		2016-11-03T16:45:10.500Z ]
}

@test "android: a damaged ABX file is named with its offset, what came before is kept" {
	cp -r "$FIXTURES/android-gen/a12" tree
	f=tree/data/system/packages.xml
	chmod u+w "$f"
	head -c 2000 "$FIXTURES/axml/packages.abx" >"$f"
	make_case
	run --separate-stderr fx-pull -C case android tree
	assert_failure 1
	[[ "$stderr" == *"data/system/packages.xml"*"offset"* ]]
	[ "$(jq -r 'select(.type == "sms")' <<<"$output" | jq -s length)" -eq 4 ]
}

# ---- browsers and web storage ----

@test "android: plaso's Chrome History: its visit with the transition decoded, its download" {
	make_case
	run --separate-stderr fx-pull -C case android "$ANDROID"
	hist=$(grep '"path":"plaso/data/data/com.android.chrome/app_chrome/Default/History"' <<<"$output")
	visit=$(jq -c 'select(.type == "visit")' <<<"$hist")
	[ "$(wc -l <<<"$visit")" -eq 1 ]
	[ "$(jq -r '[.data.url, .data.visit_count, .data.transition, .data.transition_core, (.data.transition_qualifiers | join(","))] | join("|")' <<<"$visit")" = \
		"https://raw.githubusercontent.com/dfirlabs/chrome-specimens/master/generate-specimens.sh|1|805306374|auto_toplevel|chain_start,chain_end" ]
	# 13161017332037692 µs since 1601, kept exactly (jq would round it)
	grep -q '"time_raw":13161017332037692,"time_unit":"webkit_us"' <<<"$visit"
	[ "$(jq -r '.time + " " + .src.table + " " + (.src.rowid | tostring) + " " + .data.browser' <<<"$visit")" = \
		"2018-01-21T14:08:52.037Z visits 1 Chrome" ]
	dl=$(jq -c 'select(.type == "download")' <<<"$hist")
	[ "$(jq -r '[.data.target_path, .data.received_bytes, .data.total_bytes, .data.state, .data.state_raw] | join("|")' <<<"$dl")" = \
		"/home/ubuntu/Downloads/plaso-20171231.1.win32.msi|3080192|3080192|complete|1" ]
	[ "$(jq -r .data.tab_url <<<"$dl")" = \
		"https://raw.githubusercontent.com/log2timeline/l2tbinaries/master/win32/plaso-20171231.1.win32.msi" ]
	[ "$(jq -r '.data.url_chain | length' <<<"$dl")" -eq 1 ]
	[ "$(jq -r .src.sha256 <<<"$dl")" = \
		"$(sha256sum "$ANDROID/plaso/data/data/com.android.chrome/app_chrome/Default/History" | cut -d' ' -f1)" ]
}

@test "android: plaso's Chrome Cookies and Web Data: 5 cookies kept encrypted, 3 autofill entries" {
	make_case
	run --separate-stderr fx-pull -C case android "$ANDROID"
	cookies=$(jq -c 'select(.type == "cookie" and .data.browser == "Chrome")' <<<"$output")
	[ "$(jq -r '.data.host + " " + .data.name' <<<"$cookies" | sort | paste -sd,)" = \
		".fbi.gov __cfduid,.google.com __utma,.twitter.com dnt,.twitter.com guest_id,projects.fivethirtyeight.com repeatUser" ]
	# value empty: the encrypted value is kept, as hex ("v11" and the ciphertext)
	[ "$(jq -r 'select(.data.value != null)' <<<"$cookies")" = "" ]
	[ "$(jq -r '.data.encrypted_value.hex[0:6]' <<<"$cookies" | sort -u)" = 763131 ]
	fbi=$(grep '"name":"__cfduid"' <<<"$cookies")
	[ "$(jq -r '[.data.httponly, .data.secure, .data.path, .time, .data.expires] | join(" ")' <<<"$fbi")" = \
		"true false / 2018-08-20T17:19:53.134Z 2019-08-20T17:19:53.134Z" ]
	grep -q '"rowid":19487' <<<"$fbi"
	af=$(jq -c 'select(.type == "autofill" and .data.kind == "entry")' <<<"$output")
	[ "$(jq -r '[.data.kind, .data.name, .data.value, .data.count, .data.time_raw, .time] | join("|")' <<<"$af")" = \
		"entry|identifier|name@example.com|2|1534259242|2018-08-14T15:07:22.000Z
entry|repo|log2timeline/plaso|1|1534534551|2018-08-17T19:35:51.000Z
entry|q|timesketch|1|1534801088|2018-08-20T21:38:08.000Z" ]
	[ "$(jq -r .data.last_used <<<"$af" | head -1)" = 2018-08-14T20:21:34.000Z ]
}

@test "android: plaso's legacy webview.db and webviewCache.db: cookies, form data, cache index" {
	make_case
	run --separate-stderr fx-pull -C case android "$ANDROID"
	wv=$(grep '"path":"plaso/data/data/unknown.package/databases/webview.db"' <<<"$output")
	[ "$(jq -c 'select(.type == "cookie")' <<<"$wv" | wc -l)" -eq 8 ]
	sc=$(jq -c 'select(.type == "cookie" and .src.rowid == 1)' <<<"$wv")
	[ "$(jq -r '[.data.name, .data.host, .data.path, .data.expires, .data.expires_raw, .data.secure, .data.browser] | join("|")' <<<"$sc")" = \
		"SC|.skype.com|/|2014-03-05T15:04:44.000Z|1394031884000|false|WebView" ]
	[ "$(jq -r 'select(.type == "login")' <<<"$wv")" = "" ]
	[ "$(jq -r 'select(.type == "autofill") | .data.kind + " " + .data.name + " " + .data.value' <<<"$wv")" = \
		"form email hanklivingston11@gmail.com
form email livingstonhank11@gmail.com" ]
	cache=$(jq -c 'select(.type == "webcache")' <<<"$output")
	[ "$(wc -l <<<"$cache")" -eq 10 ]
	[ "$(jq -r 'select(.src.rowid == 1) | [.data.url, .data.expires, .data.content_length, .data.status, .data.mime] | join("|")' <<<"$cache")" = \
		"https://apps.skypeassets.com/static/skype.skypeloginstatic/css/print.css?_version=1.15|2013-03-28T09:48:18.000Z|1821|200|text/css" ]
}

@test "android: generated Chromium data: transitions, a synced visit, a search, a redirected download, logins, autofill, bookmarks" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/web"
	assert_success
	[ -z "$(ls case/objects/tmp)" ]
	chrome=$(jq -c 'select(.type != "file" and .data.package == "com.android.chrome")' <<<"$output")
	v=$(jq -c 'select(.type == "visit" and .data.visit_id == 1)' <<<"$chrome")
	[ "$(jq -r '[.data.title, .data.transition_core, (.data.transition_qualifiers | join(",")), .data.visit_duration, .data.source, .time] | join("|")' <<<"$v")" = \
		"快递_百度搜索|typed|from_address_bar,chain_start,chain_end|5000000|browsed|2021-04-08T09:20:00.000Z" ]
	[ "$(jq -r 'select(.type == "visit" and .data.visit_id == 2) | [.data.from_visit, .data.transition_core] | join(" ")' <<<"$chrome")" = "1 link" ]
	[ "$(jq -r 'select(.type == "visit" and .data.visit_id == 3) | [.data.source, .data.transition_core, (.data.transition_qualifiers | index("forward_back") != null)] | join(" ")' <<<"$chrome")" = \
		"synced reload true" ]
	# a page whose visits expired: its last visit, from urls
	[ "$(jq -r 'select(.type == "visit" and .src.table == "urls") | .data.url + " " + .time' <<<"$chrome")" = \
		"https://old.example.org/ 2020-12-29T09:20:00.000Z" ]
	[ "$(jq -r 'select(.type == "search") | [.data.term, .data.url, .time] | join("|")' <<<"$chrome")" = \
		"快递|https://www.baidu.com/s?wd=%E5%BF%AB%E9%80%92|2021-04-08T09:20:00.000Z" ]
	dl=$(jq -c 'select(.type == "download")' <<<"$chrome")
	[ "$(jq -r '[.data.url, (.data.url_chain | join(">")), .data.danger, .data.state, .time, .data.end] | join("|")' <<<"$dl")" = \
		"http://cdn.kuaidi-cn.top/kuaidi.apk|http://kuaidi-cn.top/app>http://cdn.kuaidi-cn.top/kuaidi.apk|dangerous_content|complete|2021-04-08T09:23:00.000Z|2021-04-08T09:23:05.000Z" ]
	[ "$(jq -r 'select(.type == "cookie" and .data.name == "sid") | [.data.value, .data.httponly, .data.expires] | join(" ")' <<<"$chrome")" = \
		"a1b2c3 true 2021-05-08T09:20:00.000Z" ]
	[ "$(jq -r 'select(.type == "cookie" and .data.name == "BAIDUID") | [.data.value // "none", .data.encrypted_value.hex] | join(" ")' <<<"$chrome")" = \
		"none 7631300102fe" ]
	[ "$(jq -r 'select(.type == "login") | [.data.origin, .data.username, .data.password.hex, .data.times_used, .time] | join("|")' <<<"$chrome")" = \
		"http://kuaidi-cn.top/login|13800138000|7631308a01736563726574|2|2021-04-08T09:21:30.000Z" ]
	[ "$(jq -r 'select(.type == "autofill" and .data.kind == "entry") | [.data.name, .data.value, .data.count, .time] | join("|")' <<<"$chrome")" = \
		"phone|13800138000|3|2021-04-08T09:21:35.000Z" ]
	[ "$(jq -r 'select(.type == "autofill" and .data.kind == "profile") | [.data.fields.names[0].full_name, .data.fields.emails[0].email, .data.fields.company_name] | join("|")' <<<"$chrome")" = \
		"张伟|zhang.wei@example.com|顺丰速运" ]
	[ "$(jq -r 'select(.type == "autofill" and .data.kind == "card") | [.data.name, .data.card_number.hex, .data.fields.expiration_year] | join("|")' <<<"$chrome")" = \
		"ZHANG WEI|7631300063617264ff|2026" ]
	bm=$(jq -c 'select(.type == "bookmark")' <<<"$chrome")
	[ "$(jq -r '[.data.title, .data.folder, .time, .src.region] | join("|")' <<<"$bm")" = \
		"工商银行|Bookmarks bar|2021-04-07T09:20:00.000Z|/roots/bookmark_bar/children/0
快递查询|Bookmarks bar/Work|2021-04-08T09:22:10.000Z|/roots/bookmark_bar/children/1/children/0" ]
	# Samsung Internet and an app's WebView
	[ "$(jq -r 'select(.type == "visit" and .data.package == "com.sec.android.app.sbrowser") | .data.browser + " " + .data.url' <<<"$output")" = \
		"Samsung Internet https://m.jd.com/" ]
	[ "$(jq -r 'select(.type == "cookie" and .data.package == "com.example.shop") | .data.browser + " " + .data.name' <<<"$output")" = \
		"WebView cart" ]
	[ "$(jq -r 'select(.type == "webcache") | .data.file_sha256' <<<"$output")" = \
		"$(sha256sum "$FIXTURES/android-gen/web/data/data/com.example.shop/cache/webviewCache/5a1b2c3d" | cut -d' ' -f1)" ]
	fx-case -q -C case verify >/dev/null
}

@test "android: localStorage and sessionStorage: live, overwritten and deleted keys, with file and offset" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/web"
	assert_success
	ls=$(jq -c 'select(.type == "storage" and .data.store == "leveldb" and .data.kind == "local")' <<<"$output")
	[ "$(wc -l <<<"$ls")" -eq 8 ]
	dir="$FIXTURES/android-gen/web/data/data/com.android.chrome/app_chrome/Default/Local Storage/leveldb"
	# the token: its old value, overwritten, in the table; its deletion, live, in the log
	old=$(jq -c 'select(.data.key == "token" and .data.deleted == false)' <<<"$ls")
	[ "$(jq -r '[.data.origin, .data.value, .data.live, .data.seq, .src.region, .src.offset] | join("|")' <<<"$old")" = \
		"https://example.com|abc123|false|3|table|0" ]
	[ "$(jq -r .src.sha256 <<<"$old")" = "$(sha256sum "$dir/000005.ldb" | cut -d' ' -f1)" ]
	[[ "$(jq -r .src.path <<<"$old")" == */"Local Storage/leveldb/000005.ldb" ]]
	del=$(jq -c 'select(.data.key == "token" and .data.deleted == true)' <<<"$ls")
	[ "$(jq -r '[.data.live, .data.seq, .src.region, .src.offset, (.data.value // "none")] | join("|")' <<<"$del")" = "true|7|log|61|none" ]
	[ "$(jq -r .src.sha256 <<<"$del")" = "$(sha256sum "$dir/000006.log" | cut -d' ' -f1)" ]
	[ "$(jq -r 'select(.data.key == "名字") | .data.value + " " + (.data.live | tostring)' <<<"$ls")" = "张伟 true" ]
	[ "$(jq -r 'select(.data.key == "café") | .data.value' <<<"$ls")" = "crème" ]
	# an unpaired surrogate is kept as hex, encoding byte included
	[ "$(jq -r 'select(.data.key == "bad") | .data.value.hex' <<<"$ls")" = 0000d8 ]
	[ "$(jq -r 'select(.data.entry == "meta") | [.data.origin, .data.size, .time] | join("|")' <<<"$ls")" = \
		"https://example.com|42|2024-01-17T21:20:00.000Z" ]
	ss=$(jq -c 'select(.type == "storage" and .data.kind == "session" and .data.entry == "item")' <<<"$output")
	[ "$(jq -r '[.data.key, .data.value, .data.origin, .data.namespace, .data.map_id] | join("|")' <<<"$ss")" = \
		"greeting|hello €|https://example.com/|dabc53e1_8291_4de5_824f_dab8aa69c846|0" ]
	# the legacy SQLite file of an app's WebView
	[ "$(jq -r 'select(.type == "storage" and .data.store == "sqlite") | [.data.origin, .data.key, (.data.value | if type == "object" then .hex else . end)] | join("|")' <<<"$output")" = \
		"https://shop.example.com|token|eyJhbGciOi令牌
https://shop.example.com|broken|00d8" ]
}

@test "android: the stock browser, QQ Browser and UC Browser" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/web"
	assert_success
	stock=$(jq -c 'select(.data.browser == "Android Browser")' <<<"$output")
	[ "$(jq -r 'select(.type == "visit") | [.data.title, .data.visit_count, .time, .data.created] | join("|")' <<<"$stock")" = \
		"招商银行|4|2018-07-13T09:20:05.000Z|2018-07-13T09:20:00.500Z" ]
	[ "$(jq -r 'select(.type == "bookmark") | [.data.title, .data.folder, .data.deleted] | join("|")' <<<"$stock")" = \
		"招商银行|Bookmarks/Banks|false
Removed|Bookmarks|true" ]
	[ "$(jq -r 'select(.type == "search") | .data.term' <<<"$stock")" = "信用卡 额度" ]
	qq=$(jq -c 'select(.data.browser == "QQ Browser")' <<<"$output")
	[ "$(jq -r '[.type, (.data.title // .data.term // .data.filename), .time, .data.time_unit] | join("|")' <<<"$qq")" = \
		"visit|QQ邮箱|2021-04-08T09:28:20.000Z|unix_ms
bookmark|腾讯新闻|2021-04-08T09:28:30.000Z|unix_ms
search|兼职 刷单|2021-04-08T09:28:40.000Z|unix_ms
download|shuadan.apk|2021-04-08T09:28:50.000Z|unix_ms" ]
	uc=$(jq -c 'select(.data.browser == "UC Browser")' <<<"$output")
	[ "$(jq -r 'select(.type == "search") | .data.term + " " + .time' <<<"$uc")" = "贷款 秒批 2021-04-08T09:30:00.000Z" ]
	[ "$(jq -r 'select(.type == "visit" and .src.rowid == 2) | [.data.title, .data.original_url, .data.visit_count] | join("|")' <<<"$uc")" = \
		"秒批贷款 - 首页|https://t.cn/abc|2" ]
	[ "$(jq -r 'select(.type == "bookmark") | .data.folder + "/" + .data.title' <<<"$uc")" = "金融/秒批贷款" ]
}

@test "android: a browser database of another layout is named, the rest is still parsed" {
	cp -r "$FIXTURES/android-gen/web" tree
	chmod -R u+w tree
	h=tree/data/data/com.android.chrome/app_chrome/Default/History
	rm "$h"
	sqlite3 "$h" 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ("x");'
	make_case
	run --separate-stderr fx-pull -C case android tree
	assert_failure 1
	[[ "$stderr" == *"data/data/com.android.chrome/app_chrome/Default/History: no urls, visits or downloads table: not a Chromium History database"* ]]
	[ "$(jq -r 'select(.type == "visit" and .data.package == "com.android.chrome")' <<<"$output")" = "" ]
	[ "$(jq -r 'select(.type == "cookie" and .data.package == "com.android.chrome")' <<<"$output" | jq -s length)" -eq 2 ]
	fx-case -q -C case verify >/dev/null
}

@test "android: a damaged LevelDB log is named, the rest of it and the table are read, exit 1" {
	cp -r "$FIXTURES/android-gen/web" tree
	chmod -R u+w tree
	log="tree/data/data/com.android.chrome/app_chrome/Default/Local Storage/leveldb/000006.log"
	# a byte of the first record's payload: its checksum no longer matches
	printf '\377' | dd of="$log" bs=1 seek=20 conv=notrunc 2>/dev/null
	make_case
	run --separate-stderr fx-pull -C case android tree
	assert_failure 1
	[[ "$stderr" == *"data/data/com.android.chrome/app_chrome/Default/Local Storage/leveldb/000006.log: damaged LevelDB log"* ]]
	ls=$(jq -c 'select(.type == "storage" and .data.store == "leveldb" and .data.kind == "local")' <<<"$output")
	# the first record (METAACCESS, seq 6) is lost; the table and the second record are not
	[ "$(jq -r .data.seq <<<"$ls" | sort -n | paste -sd,)" = 1,2,3,4,5,7,8 ]
	[ "$(jq -r 'select(.data.key == "token" and .data.deleted) | .data.live' <<<"$ls")" = true ]
	[ -z "$(ls case/objects/tmp)" ]
	fx-case -q -C case verify >/dev/null
}

@test "android: the web tree from a directory, a tar and a zip gives identical records" {
	(cd "$FIXTURES/android-gen/web" && tar -cf "$OLDPWD/t.tar" . && zip -qr "$OLDPWD/t.zip" .)
	for s in "$FIXTURES/android-gen/web" t.tar t.zip; do
		rm -rf c && fx-case -q -C c init 2026-113 >/dev/null
		fx-pull -q -C c android "$s" | jq -r 'select(.type != "file") | .id' | sort >"$(basename "$s").ids"
	done
	[ "$(wc -l <web.ids)" -eq 43 ]
	cmp web.ids t.tar.ids
	cmp web.ids t.zip.ids
}

@test "android: photos: EXIF of real phone photos, made UTC only where the zone is known" {
	make_case
	run --separate-stderr fx-pull -C case android "$ANDROID/exif-samples"
	assert_success
	nokia=$(jq -c 'select(.type == "photo" and (.src.path | endswith("HMD_Nokia_8.3_5G.jpg")))' <<<"$output")
	[ "$(jq -r '.data | [.make, .model, .software, .taken_raw, .taken_offset, .taken_zone] | join("|")' <<<"$nokia")" = \
		"HMD Global|Nokia 8.3 5G|00WW_3_380_SP02|2022:08:14 14:12:31|+03:00|offset" ]
	# 14:12:31 at +03:00 is 11:12:31 UTC; GPS time is UTC by definition
	[ "$(jq -r '[.time, .data.gps_time] | join(" ")' <<<"$nokia")" = "2022-08-14T11:12:31.000Z 2022-08-14T11:12:32.000Z" ]
	[ "$(jq -r '.data | [(.latitude * 1e6 | round), (.longitude * 1e6 | round)] | join(" ")' <<<"$nokia")" = "60146706 24906772" ]
	[ "$(jq -r '.data | [.latitude_raw, .longitude_raw, .width, .height, .orientation, .kind, .format] | join("|")' <<<"$nokia")" = \
		"60/1 8/1 4814/100 N|24/1 54/1 2438/100 E|4608|1976|1|image|jpeg" ]
	[ "$(jq -r .src.sha256 <<<"$nokia")" = \
		"$(sha256sum "$ANDROID/exif-samples/data/media/0/DCIM/Camera/HMD_Nokia_8.3_5G.jpg" | cut -d' ' -f1)" ]
	# no OffsetTimeOriginal: local time of an unknown zone, kept raw, not passed off as UTC
	jolla=$(jq -c 'select(.type == "photo" and (.src.path | endswith("jolla.jpg")))' <<<"$output")
	[ "$(jq -r '.time // "none"' <<<"$jolla")" = none ]
	[ "$(jq -r '.data | [.make, .model, .taken_raw, .taken_local, .taken_zone, (.latitude // "no gps")] | join("|")' <<<"$jolla")" = \
		"Jolla|Jolla|2014:09:21 16:00:56|2014-09-21T16:00:56|unknown|no gps" ]
	[ "$(jq -r 'select(.type == "code")' <<<"$output")" = "" ]
	fx-case -q -C case verify >/dev/null
}

@test "android: photos: a broken EXIF block is named, the photo still gets a record, exit 1" {
	mkdir -p tree/data/media/0/DCIM/Camera
	cp "$ANDROID/exif-samples/data/media/0/DCIM/Camera/jolla.jpg" tree/data/media/0/DCIM/Camera/
	# the Exif IFD pointer of IFD0 (file offset 102) sent far past the end of the block
	printf '\000\000\377\000' | dd of=tree/data/media/0/DCIM/Camera/jolla.jpg bs=1 seek=102 conv=notrunc 2>/dev/null
	make_case
	run --separate-stderr fx-pull -C case android tree
	assert_failure 1
	[[ "$stderr" == *"tree: data/media/0/DCIM/Camera/jolla.jpg: broken EXIF: Exif IFD at offset 16711680 lies outside the 400-byte EXIF block"* ]]
	photo=$(jq -c 'select(.type == "photo")' <<<"$output")
	# what IFD0 holds is still read; DateTimeOriginal was in the lost IFD
	[ "$(jq -r '.data | [.make, .model, .modified_raw, .width, (.taken_raw // "lost")] | join("|")' <<<"$photo")" = \
		"Jolla|Jolla|2014:09:21 16:00:56|3264|lost" ]
	[[ "$(jq -r .data.problem <<<"$photo")" == "broken EXIF: Exif IFD at offset 16711680"* ]]
}

@test "android: codes: QR codes and barcodes in WeChat images, a screenshot, downloads and an MMS part" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/a12"
	assert_success
	codes=$(jq -c 'select(.type == "code")' <<<"$output")
	[ "$(wc -l <<<"$codes")" -eq 7 ]
	payload() { jq -r --arg p "$1" 'select(.src.path | endswith($p)) | .data.symbology + " " + (.data.payload | if type == "string" then . else "hex:" + .hex end)' <<<"$codes"; }
	[ "$(payload Pictures/WeiXin/mmqrcode1617873500000.png)" = "QR-Code wxp://f2f0abc123" ]
	[ "$(payload Pictures/WeiXin/wx_camera_1617873600000.webp)" = "QR-Code https://weixin.qq.com/g/AbCdEf123456" ]
	[ "$(jq -r 'select(.type == "photo" and .data.format == "webp") | [.data.width, .data.height, .data.codes] | join(" ")' <<<"$output")" = "296 296 1" ]
	[ "$(payload Download/收款码.PNG)" = "QR-Code 向张伟付款88.00元，备注：货款" ]
	# GBK bytes are not UTF-8: kept exactly, as hex
	[ "$(payload Tencent/QQ_Images/qr_gbk.png)" = "QR-Code hex:b8b6bfeec2eb" ]
	[ "$(payload Pictures/Taobao/barcode.png)" = "EAN-13 6901234567892" ]
	# small and off-centre in a 720x1520 screenshot: where it is
	shot=$(jq -c 'select(.src.path | endswith("Screenshot_20210408-172100.png"))' <<<"$codes")
	[ "$(jq -r .data.payload <<<"$shot")" = "https://qr.alipay.com/fkx17623hwdrmwzh6ltkq3c" ]
	[ "$(jq -r '.data | [.image_width, .image_height, (.polygon | length)] | join(" ")' <<<"$shot")" = "720 1520 4" ]
	[ "$(jq -r '.data.box | .x > 160 and .x < 180 and .y > 1090 and .y < 1110 and .w < 120 and .h < 120' <<<"$shot")" = true ]
	# an MMS part has no extension: known by its bytes; the code names the part's object
	mms=$(jq -c 'select(.src.path | endswith("app_parts/PART_1617873300000"))' <<<"$codes")
	[ "$(jq -r .data.payload <<<"$mms")" = "https://qr.alipay.com/fkx0a1b2c3d4e5f6g7h8" ]
	[ "$(jq -r .src.sha256 <<<"$mms")" = \
		"$(sha256sum "$FIXTURES/android-gen/a12/data/user_de/0/com.android.providers.telephony/app_parts/PART_1617873300000" | cut -d' ' -f1)" ]
	[ "$(jq -r 'select(.type == "photo" and (.src.path | endswith("PART_1617873300000"))) | [.data.format, .data.codes] | join(" ")' <<<"$output")" = "jpeg 1" ]
	[ "$(fx-case -C case list --type code --query 'wxp' | jq -r .data.payload)" = "wxp://f2f0abc123" ]
}

@test "android: photos: a HEIC's EXIF and an MP4's creation time, length and place" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/a12"
	assert_success
	heic=$(jq -c 'select(.type == "photo" and .data.format == "heic")' <<<"$output")
	[ "$(jq -r '[.time, .data.make, .data.model, .data.taken_local, .data.taken_offset, .data.latitude, .data.longitude, .data.altitude, .data.width, .data.height, .data.orientation] | join("|")' <<<"$heic")" = \
		"2021-04-08T09:20:00.250Z|samsung|SM-G991B|2021-04-08T17:20:00.250|+08:00|39.9042|116.4074|44.5|4032|3024|6" ]
	mp4=$(jq -c 'select(.type == "photo" and .data.format == "mp4")' <<<"$output")
	[ "$(jq -r '[.time, .data.kind, .data.duration, .data.width, .data.height, .data.location_raw, .data.latitude, .data.longitude, .data.created_raw] | join("|")' <<<"$mp4")" = \
		"2021-04-08T09:25:00.000Z|video|12.345|1920|1080|+39.9042+116.4074/|39.9042|116.4074|3700718700" ]
}

@test "android: photos: a truncated image is named, what it says is still recorded, exit 1" {
	mkdir -p tree/data/media/0/Pictures/WeiXin
	head -c 600 "$FIXTURES/codes/qr-wxp.png" >tree/data/media/0/Pictures/WeiXin/cut.png
	make_case
	run --separate-stderr fx-pull -C case android tree
	assert_failure 1
	[[ "$stderr" == *"tree: data/media/0/Pictures/WeiXin/cut.png: PNG chunk 'IDAT' at offset 54 (870 bytes) runs past the end of the file (600 bytes)"* ]]
	[[ "$stderr" == *"tree: data/media/0/Pictures/WeiXin/cut.png: cannot scan for codes: the image is truncated"* ]]
	[ "$(jq -r 'select(.type == "photo") | [.data.width, .data.height] | join("x")' <<<"$output")" = 264x264 ]
}

@test "android: accounts: accounts_ce.db and accounts_de.db (7 and later), accounts.db (before)" {
	make_case
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/a12"
	assert_success
	acc=$(jq -c 'select(.type == "account")' <<<"$output")
	[ "$(wc -l <<<"$acc")" -eq 6 ]
	ce=$(jq -c 'select(.data.store == "ce" and .data.account_id == 1)' <<<"$acc")
	[ "$(jq -r '.data | [.name, .type, .password, .authtokens, .extras, (.authtoken_types | join(","))] | join("|")' <<<"$ce")" = \
		"li.na@example.com|com.google|aas_et/AKppINa3fakeMasterToken==|2|2|SID,oauth2:https://www.googleapis.com/auth/gmail.readonly" ]
	# token values are counted, never copied
	[[ "$ce" != *"ya29."* ]]
	[ "$(jq -r 'select(.data.store == "ce" and .data.type == "com.whatsapp") | .data.password | length' <<<"$acc")" -eq 0 ]
	de=$(jq -c 'select(.data.store == "de" and .data.account_id == 1)' <<<"$acc")
	[ "$(jq -r '[.time, .data.time_raw, .data.grants[0].uid, (.data.visibility | map(.package) | join(",")), .data.history[1].action] | join("|")' <<<"$de")" = \
		"2021-04-07T12:53:20.000Z|1617800000000|10123|com.google.android.gm,com.tencent.mm|action_account_add" ]
	[ "$(jq -r 'select(.data.store == "de" and .data.account_id == 3) | .data.previous_name' <<<"$acc")" = "+86 138 0013 8000" ]
	# last authenticated 0 is Android's "never": no time
	[ "$(jq -r 'select(.data.store == "de" and .data.account_id == 2) | .time // "none"' <<<"$acc")" = none ]
	run --separate-stderr fx-pull -C case android "$FIXTURES/android-gen/a6"
	assert_success
	[ "$(jq -r 'select(.type == "account") | [.data.store, .src.path, .data.name, .data.password] | join("|")' <<<"$output")" = \
		"legacy|filesystem1/data/system/users/0/accounts.db|anna@example.ch|aas_et/legacyFakeToken"$'\n'"legacy|filesystem1/data/system/users/0/accounts.db|anna.muster|Sommer2016!" ]
}

@test "android: andriller's locksettings table exists only once its WAL is applied: 12 settings" {
	make_case
	run --separate-stderr fx-pull -C case android "$ANDROID/andriller"
	assert_success
	settings=$(jq -c 'select(.type == "setting")' <<<"$output")
	[ "$(wc -l <<<"$settings")" -eq 12 ]
	[ "$(jq -r 'select(.data.name == "lockscreen.password_type") | .data.value' <<<"$settings")" = 65536 ]
	[ "$(jq -r 'select(.data.name == "lockscreen.password_salt") | .data.value' <<<"$settings")" = 403022939438383098 ]
	# without its WAL the same database has no such table: named, exit 1
	mkdir -p nowal/data/system
	cp "$ANDROID/andriller/data/system/locksettings.db" nowal/data/system/
	run --separate-stderr fx-pull -C case android nowal
	assert_failure 1
	[[ "$stderr" == *"data/system/locksettings.db: no locksettings table"* ]]
}

@test "files: the type is told from the content, not the name" {
	mkdir src
	cp "$ANDROID/plaso/data/data/com.android.providers.telephony/databases/mmssms.db" src/notes.txt
	cp "$ANDROID/exif-samples/data/media/0/DCIM/Camera/jolla.jpg" src/renamed.db
	printf 'plain words\n' >src/readme
	head -c 100 /dev/zero >src/zeros.jpg
	run --separate-stderr fx-pull files src
	assert_success
	[ "$(jq -r 'select(.data.path == "notes.txt") | .data.mime' <<<"$output")" = application/vnd.sqlite3 ]
	[ "$(jq -r 'select(.data.path == "renamed.db") | .data.mime' <<<"$output")" = image/jpeg ]
	[ "$(jq -r 'select(.data.path == "readme") | .data.mime' <<<"$output")" = text/plain ]
	[ "$(jq -r 'select(.data.path == "zeros.jpg") | .data.mime // "unknown"' <<<"$output")" = unknown ]
}
