#!/usr/bin/env bats
# tests/fx-export.bats - packages sealed from a real case (fx-case init,
# fx-pull android on the generated Android 12 tree, a report), verified as
# another lab would: by fx-export verify, by hand with sha256sum, after
# every kind of tampering; imported; the JSON-LD validated against the
# CASE/UCO shapes; the restore script run against a fake adb.
load test_helper
load sign_helper

teardown() {
	stop_servers
}

A12="$FIXTURES/android-gen/a12"
UCO="${FX_UCO_DIR:-$FX_ROOT/../shared/reference/case-uco}"

android_case() {
	fx-case -q -C case init 2026-113 --title "网络诈骗案" --agency "朝阳分局" \
		--party reporter="李娜" >/dev/null
	fx-pull -q -C case android "$A12" >/dev/null
	fx-case -q -C case note "手机由报案人当面交来" >/dev/null
}

# A dir bag of the case in ./bag.
dir_bag() {
	fx-export -q -C case bag --format dir --out bag >/dev/null
}

@test "fx-export: a tar bag verifies, by fx-export and by hand with sha256sum" {
	android_case
	fx-report -q -C case collection --format html >/dev/null
	run -0 --separate-stderr fx-export -C case bag
	pkg=$(jq -r .path <<<"$output")
	[[ "$pkg" == case/exports/2026-113-*.tar ]]
	[ "$(jq -r .sha256 <<<"$output")" = "$(sha256sum "$pkg" | cut -d' ' -f1)" ]
	[[ "$stderr" == *"not signed: fx-sign could not sign (no keys configured?)"* ]]
	run -0 --separate-stderr fx-export verify "$pkg"
	jq -e '.ok and .records > 60 and .custody.size > 3 and (.problems | length) == 0' <<<"$output"
	# By hand, as the README inside says.
	mkdir x && tar -C x -xf "$pkg"
	cd x/*/
	sha256sum -c --quiet tagmanifest-sha256.txt
	sha256sum -c --quiet manifest-sha256.txt
	sha512sum -c --quiet manifest-sha512.txt
	grep -q "sha256sum -c manifest-sha256.txt" README.txt
	grep -qx "BagIt-Version: 1.0" bagit.txt
	# Evidence per device, under its original path; reports; records and custody.
	[ -f data/evidence/serial_R58R12ABCDE/data/user_de/0/com.android.providers.telephony/databases/mmssms.db ]
	[ -f data/evidence/serial_R58R12ABCDE/data/media/0/Download/收款码.PNG ]
	ls data/reports/collection-zh-CN-*/index.html
	[ "$(wc -l <data/records/records.jsonl)" -eq "$(fx-case -C ../../case list --all | wc -l)" ]
	jq -e '.size > 0 and (.inclusion | length) == .size' data/custody/proofs.json
	grep -q "^Payload-Oxum: [0-9]*\.[0-9]*$" bag-info.txt
}

@test "fx-export: zip, tar and dir packages round-trip through verify and import" {
	android_case
	for fmt in zip tar dir; do
		run -0 --separate-stderr fx-export -q -C case bag --format "$fmt" --out "pkg.$fmt"
		run -0 --separate-stderr fx-export -q verify "pkg.$fmt"
		run -0 --separate-stderr fx-export -q import "pkg.$fmt" --case "imp-$fmt"
		run -0 --separate-stderr fx-case -C "imp-$fmt" verify
	done
	unzip -tq pkg.zip
	tar -tf pkg.tar | grep -q '^pkg/bagit.txt$'
}

@test "fx-export: import of an export reproduces the record ids and continues the custody log" {
	android_case
	fx-case -q -C case reset --type wifi --reason "consent withdrawn" >/dev/null
	fx-export -q -C case bag --out pkg.tar >/dev/null
	n=$(fx-case -C case log | wc -l)
	run -0 --separate-stderr fx-export import pkg.tar --case other
	jq -e '.records > 60' <<<"$output"
	diff <(fx-case -C case list --all | jq -r .id) <(fx-case -C other list --all | jq -r .id)
	diff <(fx-case -C case list --withdrawn | jq -r .id) <(fx-case -C other list --withdrawn | jq -r .id)
	# The same entries, hash for hash (the export's own entry came after the package)...
	diff <(fx-case -C case log | head -n $((n - 1)) | jq -r .data.hash) \
		<(fx-case -C other log | head -n $((n - 1)) | jq -r .data.hash)
	# ...then the import, recorded.
	fx-case -C other log | tail -1 | jq -e '.data.action == "import" and .data.tool == "fx-export"'
	run -0 --separate-stderr fx-case -C other verify
	[[ "$stderr" != *"not named by any custody entry"* ]]
	# Another lab goes on working on it.
	run -0 --separate-stderr fx-case -C other note "received from the first lab"
}

@test "fx-export: verify names a flipped byte in every file of the bag" {
	android_case
	dir_bag
	bad=""
	while IFS= read -r -d '' f; do
		rel=${f#bag/}
		rm -rf t && cp -a bag t
		size=$(stat -c %s "t/$rel")
		[ "$size" -gt 0 ] || continue
		# Flip the last bit of the middle byte.
		off=$((size / 2))
		byte=$(od -An -tu1 -j "$off" -N1 "t/$rel" | tr -d ' ')
		printf "$(printf '\\%03o' $((byte ^ 1)))" | dd of="t/$rel" bs=1 seek="$off" conv=notrunc 2>/dev/null
		run --separate-stderr fx-export verify t
		if [ "$status" -ne 1 ] || [[ "$stderr" != *"$rel"* ]]; then
			bad+="$rel: exit $status, stderr: ${stderr:0:300}"$'\n'
		fi
	done < <(find bag -type f -print0)
	[ -z "$bad" ] || fail "not named:"$'\n'"$bad"
}

@test "fx-export: verify names a removed file, an added file and an edited manifest" {
	android_case
	dir_bag
	f=$(cd bag && ls data/evidence/*/data/user_de/0/com.android.providers.telephony/databases/mmssms.db)
	cp -a bag t1 && rm "t1/$f"
	run -1 --separate-stderr fx-export verify t1
	[[ "$stderr" == *"$f: listed in manifest-sha256.txt but missing"* ]]
	[[ "$stderr" == *"Payload-Oxum"* ]]
	cp -a bag t2 && echo planted >t2/data/evidence/planted.txt
	run -1 --separate-stderr fx-export verify t2
	[[ "$stderr" == *"data/evidence/planted.txt: not in manifest-sha256.txt"* ]]
	cp -a bag t3 && echo "extra" >t3/extra-tag.txt
	run -1 --separate-stderr fx-export verify t3
	[[ "$stderr" == *"extra-tag.txt: not in tagmanifest-sha256.txt"* ]]
	# A manifest edited to match a changed file is caught by the tag manifest,
	# and the changed evidence by the custody log's object list.
	cp -a bag t4
	echo tampered >>"t4/$f"
	new=$(sha256sum "t4/$f" | cut -d' ' -f1)
	sed -i "s|^[0-9a-f]*  $f\$|$new  $f|" t4/manifest-sha256.txt
	run -1 --separate-stderr fx-export verify t4
	[[ "$stderr" == *"manifest-sha256.txt: its SHA-256 does not match tagmanifest-sha256.txt"* ]]
	[[ "$stderr" == *"$f: its bytes are not the object"* ]]
	# A record removed from the records, manifests redone by hand: custody says so.
	cp -a bag t5
	sed -i '$d' t5/data/records/records.jsonl
	(cd t5 && find data -type f | sort | xargs sha256sum >manifest-sha256.txt &&
		find data -type f | sort | xargs sha512sum >manifest-sha512.txt &&
		sha256sum README.txt bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt >tagmanifest-sha256.txt)
	run -1 --separate-stderr fx-export verify t5
	[[ "$stderr" == *"custody entry"*"records"* ]]
	[[ "$stderr" == *"Payload-Oxum"* ]]
}

@test "fx-export: a tampered tar is named by member, and import refuses it" {
	android_case
	fx-export -q -C case bag --out pkg.tar >/dev/null
	# Change a byte inside the SMS database's member.
	off=$(grep -boa 'SQLite format 3' pkg.tar | head -1 | cut -d: -f1)
	printf 'X' | dd of=pkg.tar bs=1 seek=$((off + 200)) conv=notrunc 2>/dev/null
	run -1 --separate-stderr fx-export verify pkg.tar
	[[ "$stderr" == *"data/evidence/"*": its SHA-256 does not match manifest-sha256.txt"* ]]
	run -1 --separate-stderr fx-export import pkg.tar --case other
	[[ "$stderr" == *"does not verify: nothing imported"* ]]
	[ ! -e other ]
}

@test "fx-export: the same case gives byte-identical manifests and JSON-LD" {
	android_case
	cp -a case case2
	cp -a case case3
	cp -a case case4
	export FX_NOW=2026-11-23T12:00:00Z
	mkdir a b
	fx-export -q -C case bag --out a/p.tar >/dev/null
	fx-export -q -C case2 bag --out b/p.tar >/dev/null
	cmp a/p.tar b/p.tar
	fx-export -q -C case3 bag --format dir --out b1 >/dev/null
	fx-export -q -C case4 bag --format dir --out b2 >/dev/null
	for f in manifest-sha256.txt manifest-sha512.txt tagmanifest-sha256.txt bag-info.txt data/case.jsonld; do
		cmp "b1/$f" "b2/$f" || fail "$f differs"
	done
}

@test "fx-export: case.jsonld conforms to the CASE/UCO 1.4.0 shapes, with no blank nodes and no shared facets" {
	android_case
	run -0 --separate-stderr fx-export -C case jsonld
	echo "$output" >case.jsonld
	# What the writer guarantees: every node has an IRI ending in a UUID, no facet is shared.
	jq -e '[.["@graph"][] | .. | objects | select(has("@type") and (has("@value") | not))] |
		all(has("@id"))' case.jsonld
	jq -e '[.["@graph"][] | .. | objects | select(has("@type") and (has("@value") | not)) | .["@id"]] |
		all(test("-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))' case.jsonld
	jq -e '[.["@graph"][] | .["core:hasFacet"][]? | .["@id"]] | length == (unique | length)' case.jsonld
	jq -e '[.["@graph"][] | .. | objects | select(.["@type"] == "types:Hash")] |
		length > 0 and all(.["types:hashMethod"] == "SHA256")' case.jsonld
	for t in investigation:InvestigativeAction investigation:ProvenanceRecord investigation:Investigation \
		observable:File observable:SMSMessage observable:Call observable:Contact \
		observable:DigitalAccount observable:MobileDevice location:Location identity:Person tool:AnalyticTool; do
		jq -e --arg t "$t" '[.["@graph"][] | select(.["@type"] == $t)] | length > 0' case.jsonld >/dev/null ||
			fail "no $t in case.jsonld"
	done
	command -v node >/dev/null || skip "node is not installed: SHACL validation skipped"
	[ -d "$FX_ROOT/tests/shacl/node_modules/shacl-engine" ] ||
		fail "tests/shacl/node_modules is missing: run scripts/install-deps.sh"
	[ -f "$UCO/case-1.4.0.ttl" ] || fail "no CASE/UCO ontology at $UCO"
	run node "$FX_ROOT/tests/shacl/validate.mjs" case.jsonld "$UCO/case-1.4.0.ttl" \
		"$UCO/case-1.4.0-subclasses.ttl"
	[ "$status" -eq 0 ] || fail "$output"
	assert_output --partial "conforms: true"
}

@test "fx-export: the tag manifest is signed and timestamped through fx-sign when it is configured" {
	android_case
	fx-sign -q keygen --key examiner --subject "/CN=Test Examiner/O=Test Lab" >/dev/null
	with_tsa
	run -0 --separate-stderr fx-export -C case bag --out pkg.tar
	jq -e '.signing.signed and .signing.timestamped' <<<"$output"
	run -0 --separate-stderr fx-export verify pkg.tar
	jq -e '.signed and .timestamped and (.signer | test("Test Examiner"))' <<<"$output"
	# By hand with openssl, as the README in the bag says.
	mkdir x && tar -C x -xf pkg.tar
	openssl cms -verify -binary -inform DER -in x/pkg/tagmanifest-sha256.txt.p7s \
		-content x/pkg/tagmanifest-sha256.txt -noverify -out /dev/null 2>/dev/null
	openssl ts -verify -token_in -data x/pkg/tagmanifest-sha256.txt \
		-in x/pkg/tagmanifest-sha256.txt.tst -CAfile ca/ca.crt -untrusted tsa.crt >/dev/null 2>&1
	# fx-sign checks it too, beside the package's tag manifest.
	fx-sign -q verify x/pkg/tagmanifest-sha256.txt >/dev/null
	# A changed tag manifest no longer matches its signature or its timestamp.
	fx-export -q -C case bag --format dir --out d >/dev/null
	sed -i 's/^\(.\)/0/' d/tagmanifest-sha256.txt
	run -1 --separate-stderr fx-export verify d
	[[ "$stderr" == *"tagmanifest-sha256.txt.p7s: the signature over tagmanifest-sha256.txt does not verify"* ]]
	[[ "$stderr" == *"tagmanifest-sha256.txt.tst: the timestamp is not over this tag manifest"* ]]
	# No TSA: signed, not timestamped, and it says why.
	FX_TSA= run -0 --separate-stderr fx-export -C case bag --out pkg3.tar
	jq -e '.signing.signed and (.signing.timestamped | not)' <<<"$output"
	[[ "$stderr" == *"no timestamp authority configured"* ]]
	# No key: the bag is made, unsigned, and says so.
	rm -rf "$FX_HOME/keys"
	run -0 --separate-stderr fx-export -C case bag --out pkg2.tar
	[[ "$stderr" == *"not signed: fx-sign could not sign (no keys configured?)"* ]]
	run -0 --separate-stderr fx-export verify pkg2.tar
}

@test "fx-export: the restore script installs the apps and pushes their databases and shared_prefs" {
	cp -r "$A12" phone && chmod -R u+w phone
	mkdir -p phone/data/app/~~Zx1/com.example.chat-Qw2 phone/data/data/com.example.chat/databases \
		phone/data/data/com.example.chat/shared_prefs
	printf 'PK\003\004 an apk' >phone/data/app/~~Zx1/com.example.chat-Qw2/base.apk
	printf 'SQLite format 3\000 chats' >phone/data/data/com.example.chat/databases/chat.db
	printf '<map><string name="user">li</string></map>' >phone/data/data/com.example.chat/shared_prefs/user.xml
	fx-case -q -C case init 2026-113 >/dev/null
	fx-pull -q -C case android phone >/dev/null
	dev=$(fx-case -C case list --type device | jq -r .data.key | head -1)
	run -0 --separate-stderr fx-export -C case restore-script --device "$dev" --out restore.sh
	mkdir fakebin
	printf '#!/bin/sh\necho "$*" >>"%s/adb.log"\n' "$PWD" >fakebin/adb
	chmod +x fakebin/adb
	ADB="$PWD/fakebin/adb" run -0 sh restore.sh
	apk=$(sha256sum phone/data/app/~~Zx1/com.example.chat-Qw2/base.apk | cut -d' ' -f1)
	db=$(sha256sum phone/data/data/com.example.chat/databases/chat.db | cut -d' ' -f1)
	prefs=$(sha256sum phone/data/data/com.example.chat/shared_prefs/user.xml | cut -d' ' -f1)
	grep -qx "root" adb.log
	grep -qx "install -r -g $(cd case && pwd)/objects/${apk:0:2}/${apk:2}" adb.log
	grep -qx "push $(cd case && pwd)/objects/${db:0:2}/${db:2} /data/data/com.example.chat/databases/chat.db" adb.log
	grep -qx "push $(cd case && pwd)/objects/${prefs:0:2}/${prefs:2} /data/data/com.example.chat/shared_prefs/user.xml" adb.log
	grep -q "chown -R" adb.log
	# The pushed files are the evidence, unchanged.
	cmp "case/objects/${db:0:2}/${db:2}" phone/data/data/com.example.chat/databases/chat.db
	run -2 --separate-stderr fx-export -C case restore-script --device imei:000000000000000
	[[ "$stderr" == *"no device 'imei:000000000000000'"* ]]
}

@test "fx-export: usage errors exit 2 with a hint" {
	run -2 --separate-stderr fx-export
	[[ "$stderr" == *"Try 'fx-export --help'"* ]]
	run -2 --separate-stderr fx-export -C case bag --format rar
	[[ "$stderr" == *"--format is tar, zip or dir"* ]]
	run -2 --separate-stderr fx-export verify
	run -2 --separate-stderr fx-export verify nosuchpackage
	run -2 --separate-stderr fx-export restore-script -C case
	[[ "$stderr" == *"--device"* ]]
	run -0 --separate-stderr fx-export --help
	assert_output --partial "restore-script"
}
