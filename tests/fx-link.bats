#!/usr/bin/env bats
# tests/fx-link.bats - indicators and the association graph, on a case made
# of the generated Android 12 tree plus a few added records.
load test_helper

A12="$FIXTURES/android-gen/a12"
DEV="device:serial:R58R12ABCDE"

# ./case: the Android 12 tree acquired, and calls and notes added.
link_case() {
	make_case
	fx-pull -q -C case android "$A12" >/dev/null
	cat >added.jsonl <<'EOF'
{"v":1,"type":"call","case":"2026-113","device":"serial:R58R12ABCDE","tool":"test","time":"2021-04-09T10:00:00.000Z","data":{"number":"+86 139 1234 5678","direction":"out","duration":30}}
{"v":1,"type":"call","case":"2026-113","device":"serial:R58R12ABCDE","tool":"test","time":"2021-04-09T10:02:00.000Z","data":{"number":"021-62345678","direction":"in","duration":60}}
{"v":1,"type":"note","case":"2026-113","tool":"test","time":"2021-04-09T12:00:00.000Z","data":{"text":"收款人微信号：pay_agent_88，钱包 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2，服务器 8.8.8.8"}}
{"v":1,"type":"note","case":"2026-113","tool":"test","time":"2021-04-09T12:05:00.000Z","data":{"text":"look-alikes: 卡 6222021234567895, 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3, version 1.2.3.4, 2021-04-08, 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"}}
EOF
	fx-case -q -C case add added.jsonl
}

# The ids of the live records of TYPE whose line contains TEXT, sorted.
ids_of() {
	fx-case -C case list --type "$1" | grep -F -- "$2" | jq -r .id | LC_ALL=C sort
}

@test "build: a number in an SMS, the call log and a contact is one indicator naming each record" {
	link_case
	run --separate-stderr fx-link -C case build
	assert_success
	[[ "$stderr" == "fx-link: "*" indicators, "*" links"* ]]
	ind=$(fx-case -C case list --type indicator | jq -c 'select(.data.node == "phone:+8613800138000")')
	[ "$(jq -r '.data.seen_in | join(",")' <<<"$ind")" = "account,call,contact,mms,sms" ]
	[ "$(jq -r .data.sources <<<"$ind")" -eq 5 ]
	[ "$(jq -r .data.region <<<"$ind")" = CN ]
	[ "$(jq -r .data.detail <<<"$ind")" = mobile ]
	# the contact wrote it "+86 138 0013 8000"
	jq -e '.data.raw | index("+86 138 0013 8000") != null' <<<"$ind"
	for id in $(ids_of sms '"address":"+8613800138000"') $(ids_of call '"number":"+8613800138000"') \
		  $(ids_of contact '+86 138 0013 8000'); do
		jq -e --arg id "$id" '.src.records | index($id)' <<<"$ind" >/dev/null ||
			fail "record $id is not in the indicator's src.records"
	done
}

@test "build: the device and the number are linked by their SMS, MMS and calls, with those records" {
	link_case
	fx-link -q -C case build >/dev/null
	edge=$(fx-case -C case list --type link |
	       jq -c --arg d "$DEV" 'select(.data.a == $d and .data.b == "phone:+8613800138000")')
	[ "$(jq -r '.data.kinds | join(",")' <<<"$edge")" = communication ]
	want=$( (ids_of sms '"address":"+8613800138000"'; ids_of call '"number":"+8613800138000"';
		 ids_of mms '"from":"+8613800138000"') | LC_ALL=C sort)
	[ "$(jq -r '.src.records[]' <<<"$edge")" = "$want" ]
	[ "$(jq -r .data.count <<<"$edge")" -eq "$(wc -l <<<"$want")" ]
	# three came in, one went out; SMS and MMS share a database: two sources with the call log
	[ "$(jq -r .data.in <<<"$edge")" -eq 3 ]
	[ "$(jq -r .data.out <<<"$edge")" -eq 1 ]
	[ "$(jq -r .data.sources <<<"$edge")" -eq 2 ]
}

@test "build: a contact ties the person to the number and the address" {
	link_case
	fx-link -q -C case build >/dev/null
	run -0 fx-link -C case around person:张伟
	assert_line --partial '"a":"person:张伟","b":"phone:+8613800138000"'
	assert_line --partial '"a":"email:zhang.wei@example.com"'
	jq -s -e 'map(select(.data.b == "phone:+8613800138000"))[0] | .data.kinds == ["contact"]' <<<"$output"
}

@test "build: calls two minutes apart link the two numbers, scored by how close" {
	link_case
	fx-link -q -C case build >/dev/null
	edge=$(fx-case -C case list --type link | jq -c 'select(.data.kinds == ["time"])')
	[ "$(jq -r .data.a <<<"$edge")" = "phone:+8613912345678" ]
	[ "$(jq -r .data.b <<<"$edge")" = "phone:+862162345678" ]
	[ "$(jq -r .data.gap_ms <<<"$edge")" -eq 120000 ]
	[ "$(jq -r '.src.records | length' <<<"$edge")" -eq 2 ]
	# ln(3) + 1 source + (1 - 120/300)
	[ "$(jq -r .data.score <<<"$edge")" = 2.699 ]
}

@test "build: wallets, accounts and addresses are indicators, look-alikes are not" {
	link_case
	fx-link -q -C case build >/dev/null
	run -0 bash -c "fx-case -C case list --type indicator | jq -r .data.node | LC_ALL=C sort"
	assert_line "account:wechat:pay_agent_88"
	assert_line "crypto:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
	assert_line "ip:8.8.8.8"
	refute_line --partial "6222021234567895"
	refute_line --partial "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"
	refute_line --partial "1.2.3.4"
	refute_line --partial "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"
	refute_line --partial "20210408"
	refute_line --partial "com.tencent"
}

@test "build: network indicators are described offline" {
	link_case
	fx-link -q -C case build >/dev/null
	run -0 bash -c "fx-case -C case list --type indicator | jq -c 'select(.data.kind == \"url\" or .data.kind == \"ip\")'"
	jq -s -e 'map(select(.data.node == "url:http://kuaidi-cn.top/p?id=88"))[0] |
	       .data.registrable == "kuaidi-cn.top" and .data.suffix == "top" and .data.host == "kuaidi-cn.top"' <<<"$output"
	jq -s -e 'map(select(.data.node == "ip:8.8.8.8"))[0] | .data.ip_class == "public"' <<<"$output"
	if [ -r /usr/share/GeoIP/GeoIP.dat ]; then
		jq -s -e 'map(select(.data.node == "ip:8.8.8.8"))[0] | .data.country == "US"' <<<"$output"
	fi
}

@test "build: a rerun adds nothing and writes the same records" {
	link_case
	fx-link -q -C case build >first.jsonl
	run --separate-stderr fx-link -C case build
	assert_success
	[ "$output" = "$(cat first.jsonl)" ]
	[[ "$stderr" == *"(0 new), 0 withdrawn" ]]
	[ "$(fx-case -C case log | jq -r .data.action | grep -c '^link$')" -eq 2 ]
}

@test "build: new evidence gives a new graph and withdraws the old one" {
	link_case
	fx-link -q -C case build >first.jsonl
	n=$(wc -l <first.jsonl)
	fx-case -q -C case note '嫌疑人电话 13800138000'
	run --separate-stderr fx-link -C case build
	assert_success
	[[ "$stderr" == *", $n withdrawn" ]]
	[ "$(fx-case -C case list --type indicator --withdrawn | wc -l)" -gt 0 ]
	ind=$(fx-case -C case list --type indicator | jq -c 'select(.data.node == "phone:+8613800138000")')
	[ "$(jq -r .data.count <<<"$ind")" -eq 8 ]
	run -0 fx-case -q -C case verify
}

@test "build: one custody entry names the input and what was made" {
	link_case
	fx-link -q -C case build >out.jsonl
	entry=$(fx-case -C case log | tail -1)
	[ "$(jq -r .data.action <<<"$entry")" = link ]
	[ "$(jq -r .data.tool <<<"$entry")" = fx-link ]
	[ "$(jq -r .data.records.count <<<"$entry")" -eq "$(wc -l <out.jsonl)" ]
	[ "$(jq -r .data.detail.links <<<"$entry")" -eq "$(grep -c '"type":"link"' out.jsonl)" ]
	[ "$(jq -r '.data.inputs[0].basis' <<<"$entry")" = "$(head -1 out.jsonl | jq -r .data.basis)" ]
}

@test "around: depth 2 reaches from a number written as dialled to the contact's e-mail" {
	link_case
	fx-link -q -C case build >/dev/null
	run -0 --separate-stderr fx-link -C case around '+86 138 0013 8000'
	refute_output --partial 'email:zhang.wei@example.com","b":"person'
	run -0 --separate-stderr fx-link -C case around '+86 138 0013 8000' --depth 2
	assert_output --partial '"a":"email:zhang.wei@example.com","b":"person:张伟"'
	# best first among the number's own edges
	[ "$(head -1 <<<"$output" | jq -r .data.a)" = "$DEV" ]
}

@test "path: from the bank's service number to a contact, edge by edge" {
	link_case
	fx-link -q -C case build >/dev/null
	run -0 --separate-stderr fx-link -C case path 95588 person:张伟
	[ "$(jq -r '[.data.a, .data.b] | join(" ")' <<<"$output")" = "$DEV phone:95588
$DEV phone:+8613800138000
person:张伟 phone:+8613800138000" ]
}

@test "path: no path exits 1 with a note" {
	link_case
	fx-link -q -C case build >/dev/null
	run -1 --separate-stderr fx-link -C case path 95588 person:nobody
	assert_output ''
	[[ "$stderr" == "fx-link: no path from 'phone:95588' to 'person:nobody'" ]]
}

@test "top: the best-scored edges first, at most --limit" {
	link_case
	fx-link -q -C case build >/dev/null
	run -0 fx-link -C case top --limit 3
	[ "${#lines[@]}" -eq 3 ]
	jq -s -e '[.[].data.score] as $s | $s == ($s | sort | reverse)' <<<"$output"
	[ "$(head -1 <<<"$output" | jq -r .data.b)" = "phone:+8613800138000" ]
}

@test "extract: a filter over records, without a case" {
	printf '%s\n' '{"v":1,"type":"note","tool":"t","data":{"text":"mail a@example.com, call 13800138000"}}' \
		'not json' >in.jsonl
	run -1 --separate-stderr fx-link extract in.jsonl
	[ "$(jq -r .data.node <<<"$output" | tr '\n' ' ')" = "email:a@example.com domain:example.com phone:+8613800138000 " ]
	[[ "$stderr" == "fx-link: error: in.jsonl:2: invalid JSON"* ]]
}

@test "usage: an unknown command or option exits 2 with a hint" {
	run -2 --separate-stderr fx-link frobnicate
	[[ "$stderr" == *"Try 'fx-link --help'"* ]]
	run -2 --separate-stderr fx-link top --bogus
	[[ "$stderr" == *"Try 'fx-link --help'"* ]]
	run -2 --separate-stderr fx-link -C nowhere build
	[[ "$stderr" == "fx-link: error: "* ]]
}

@test "extract: precision and recall of at least 99 % on the labelled corpus" {
	run -0 fx-link extract "$FIXTURES/link/corpus.jsonl"
	printf '%s\n' "$output" >found.jsonl
	run -0 python3 "$FX_ROOT/scripts/score-link.py" "$FIXTURES/link/truth.jsonl" found.jsonl
	assert_line --regexp '^  phone +[0-9]+ +0 +0 +100\.00% +100\.00%$'
	refute_output --partial 'under 99 %'
}

@test "build: what a web capture recorded about a host describes its domain" {
	make_case
	printf '%s\n' '{"v":1,"type":"visit","case":"2026-113","tool":"test","time":"2021-04-08T09:20:00.000Z","data":{"url":"https://kuaidi-cn.top/p?id=88","browser":"capture","server":"nginx/1.18.0","x_powered_by":"PHP/7.4.3","cert_issuer":"R3"}}' |
		fx-case -q -C case add
	fx-link -q -C case build >/dev/null
	ind=$(fx-case -C case list --type indicator | jq -c 'select(.data.node == "domain:kuaidi-cn.top")')
	[ "$(jq -c .data.web <<<"$ind")" = '{"cert_issuer":["R3"],"server":["nginx/1.18.0"],"x_powered_by":["PHP/7.4.3"]}' ]
}
