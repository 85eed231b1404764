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
	[ "$(jq -r 'select(.type == "device") | .data.key' <<<"$output")" = serial:03a8c0b2f0e1d5c4 ]
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
