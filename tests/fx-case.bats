#!/usr/bin/env bats
# fx-case: the case store, its custody log and its checks, driven as a user would.
load test_helper

@test "init: makes the case and writes its case record" {
	run --separate-stderr fx-case -C case init 2026-113 --title "Fraud report" \
		--agency "City PSB" --location "Desk 3" --party reporter=Li --party suspect=Wang court=Haidian
	assert_success
	[ "$(jq -r .type <<<"$output")" = case ]
	[ "$(jq -r .case <<<"$output")" = 2026-113 ]
	[ "$(jq -r .data.title <<<"$output")" = "Fraud report" ]
	[ "$(jq -r .data.examiner <<<"$output")" = "Test Examiner" ]
	[ "$(jq -r '.data.parties[1].role + ":" + .data.parties[1].name' <<<"$output")" = suspect:Wang ]
	[ "$(jq -r .data.fields.court <<<"$output")" = Haidian ]
	[ -f case/case.db ] && [ -d case/objects ] && [ -d case/reports ] && [ -d case/exports ]
	[[ "$stderr" == *"made case '2026-113'"* ]]
}

@test "init: the record id is the sha256 of the canonical record without id" {
	run --separate-stderr fx-case -q -C case init 2026-113
	assert_success
	want=$(jq -r .id <<<"$output")
	got=$(jq -cS 'del(.id)' <<<"$output" | tr -d '\n' | sha256sum | cut -d' ' -f1)
	[ "$want" = "$got" ]
}

@test "init: FX_CASE names the case when --case is not given" {
	FX_CASE="$PWD/envcase" run --separate-stderr fx-case -q init 2026-7
	assert_success
	[ -f envcase/case.db ]
}

@test "init: refuses a directory that is not empty" {
	mkdir case && touch case/precious
	run --separate-stderr fx-case -C case init 2026-113
	assert_failure 2
	[[ "$stderr" == *"'case' already exists and is not an empty directory"* ]]
	[ -f case/precious ]
}

@test "init: without a case id is a usage error" {
	run -2 --separate-stderr fx-case -C case init
	[[ "$stderr" == *"init needs a case id"* ]]
	[[ "$stderr" == *"Try 'fx-case --help'"* ]]
}

@test "usage: no case given exits 2 naming --case and FX_CASE" {
	run -2 --separate-stderr fx-case list
	[[ "$stderr" == *"give --case DIR or set FX_CASE"* ]]
	assert_output ''
}

@test "usage: a case directory that is not a case exits 2" {
	mkdir empty
	run -2 --separate-stderr fx-case -C empty list
	[[ "$stderr" == "fx-case: error: no case at 'empty' (fx-case init makes one)"* ]]
}

@test "usage: unknown option exits 2 with a hint on stderr" {
	run -2 --separate-stderr fx-case --bogus
	assert_output ''
	[[ "$stderr" == *"Try 'fx-case --help'"* ]]
}

@test "usage: --help and --version go to stdout and exit 0" {
	run --separate-stderr fx-case --help
	assert_success
	[[ "$output" == "usage: fx-case"* ]]
	run --separate-stderr fx-case --version
	assert_success
	[[ "$output" == "fx-case (fx) "* ]]
}

@test "info: counts records per type and shows the custody head" {
	make_case
	fx-case -q -C case note "first note"
	run --separate-stderr fx-case -C case info
	assert_success
	[ "$(jq -r .case <<<"$output")" = 2026-113 ]
	[ "$(jq -r .types.note.records <<<"$output")" = 1 ]
	[ "$(jq -r .custody.size <<<"$output")" = 2 ]
	[[ "$(jq -r .custody.root <<<"$output")" =~ ^[0-9a-f]{64}$ ]]
}

@test "add: ingests records, one custody entry per batch, with the hash of its lines" {
	make_case
	# A blank line inside the first batch and two at the end: they are part
	# of the batches' line ranges and hashes, and of the file's hash.
	{ synth_records 25 | sed '4a\\'; echo; echo; } >in.jsonl
	[ "$(wc -l <in.jsonl)" -eq 28 ]
	run --separate-stderr fx-case -C case add --batch 10 in.jsonl
	assert_success
	[[ "$stderr" == *"added 25 records, 0 already in the case, 0 rejected"* ]]
	[ "$(fx-case -C case list --type note | wc -l)" -eq 25 ]
	fx-case -C case log | jq -c 'select(.data.action == "add") | .data.inputs[0]' >adds
	[ "$(wc -l <adds)" -eq 3 ]
	[ "$(jq -r .lines adds | paste -sd,)" = 1-11,12-21,22-28 ]
	[ "$(sed -n 1p adds | jq -r .sha256)" = "$(sed -n 1,11p in.jsonl | sha256sum | cut -d' ' -f1)" ]
	[ "$(sed -n 2p adds | jq -r .sha256)" = "$(sed -n 12,21p in.jsonl | sha256sum | cut -d' ' -f1)" ]
	[ "$(sed -n 3p adds | jq -r .sha256)" = "$(sed -n 22,28p in.jsonl | sha256sum | cut -d' ' -f1)" ]
	[ "$(sed -n 1,2p adds | jq -r .file_sha256 | paste -sd,)" = null,null ]
	[ "$(sed -n 3p adds | jq -r .file_sha256)" = "$(sha256sum <in.jsonl | cut -d' ' -f1)" ]
}

@test "add: the hashes are of the input's bytes exactly: no final newline, a full last batch" {
	make_case
	# No newline at the end: none is added to the hashes.
	synth_records 3 | head -c -1 >a.jsonl
	# Exactly two batches: the second is the last, and names the file's hash.
	synth_records 20 | sed 's/note number/other note/' >b.jsonl
	run --separate-stderr fx-case -C case add --batch 10 a.jsonl b.jsonl
	assert_success
	[[ "$stderr" == *"added 23 records"* ]]
	fx-case -C case log | jq -c 'select(.data.action == "add") | .data.inputs[0]' >adds
	[ "$(jq -r '.path + ":" + .lines' adds | paste -sd,)" = a.jsonl:1-3,b.jsonl:1-10,b.jsonl:11-20 ]
	[ "$(sed -n 1p adds | jq -r .sha256)" = "$(sha256sum <a.jsonl | cut -d' ' -f1)" ]
	[ "$(sed -n 1p adds | jq -r .file_sha256)" = "$(sha256sum <a.jsonl | cut -d' ' -f1)" ]
	[ "$(sed -n 3p adds | jq -r .sha256)" = "$(sed -n 11,20p b.jsonl | sha256sum | cut -d' ' -f1)" ]
	[ "$(sed -n 3p adds | jq -r .file_sha256)" = "$(sha256sum <b.jsonl | cut -d' ' -f1)" ]
	# Standard input is hashed the same way.
	synth_records 2 | sed 's/note number/stdin note/' | head -c -1 >c.jsonl
	fx-case -q -C case add <c.jsonl
	[ "$(fx-case -C case log | tail -1 | jq -r '.data.inputs[0] | .path + " " + .file_sha256')" = "stdin $(sha256sum <c.jsonl | cut -d' ' -f1)" ]
	run fx-case -q -C case verify
	assert_success
}

@test "add: an input with only blank lines changes nothing" {
	make_case
	printf '\n \n\n' >blank.jsonl
	run --separate-stderr fx-case -C case add blank.jsonl
	assert_success
	[ "$(fx-case -C case log | wc -l)" -eq 1 ]
}

@test "add: a rerun adds nothing twice (dedupe by id)" {
	make_case
	synth_records 50 >in.jsonl
	fx-case -q -C case add <in.jsonl
	run --separate-stderr fx-case -C case add in.jsonl
	assert_success
	[[ "$stderr" == *"added 0 records, 50 already in the case"* ]]
	[ "$(fx-case -C case list --type note | wc -l)" -eq 50 ]
}

@test "add: bad lines are named file:line, the rest is stored, exit 1" {
	make_case
	{
		synth_records 2
		echo 'not json'
		echo '{"v":2,"type":"note","tool":"t","data":{"text":"x"}}'
		echo '{"v":1,"type":"nosuchtype","tool":"t","data":{}}'
		echo '{"v":1,"type":"note","tool":"t","data":{}}'
		echo '{"v":1,"type":"note","tool":"t","data":{"text":"right"},"id":"0000000000000000000000000000000000000000000000000000000000000000"}'
		echo '[1,2]'
		echo '{"v":1,"type":"note","case":"other","tool":"t","data":{"text":"x"}}'
		echo '{"v":1,"type":"note","tool":"t","data":{"text":"last good"}}'
		printf '%s' '{"v":1,"type":"note","tool":"t","data":{"te'
	} >in.jsonl
	run --separate-stderr fx-case -C case add in.jsonl
	assert_failure 1
	[[ "$stderr" == *"in.jsonl:3: invalid JSON"* ]]
	[[ "$stderr" == *"in.jsonl:4: format version 2 is not supported"* ]]
	[[ "$stderr" == *"in.jsonl:5: unknown record type 'nosuchtype'"* ]]
	[[ "$stderr" == *"in.jsonl:6: note record: data.text is missing"* ]]
	[[ "$stderr" == *"in.jsonl:7: id does not match the record's content"* ]]
	[[ "$stderr" == *"in.jsonl:8: not a JSON object"* ]]
	[[ "$stderr" == *"in.jsonl:9: record belongs to case 'other', not '2026-113'"* ]]
	[[ "$stderr" == *"in.jsonl:11: truncated line"* ]]
	[[ "$stderr" == *"added 3 records, 0 already in the case, 8 rejected"* ]]
	[ "$(fx-case -C case list --query 'last good' | jq -r .data.text)" = "last good" ]
	run fx-case -q -C case verify
	assert_success
}

@test "add: refuses a record whose source object is not in the case" {
	make_case
	echo '{"v":1,"type":"note","tool":"t","src":{"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","path":"x"},"data":{"text":"orphan"}}' >in.jsonl
	run --separate-stderr fx-case -C case add in.jsonl
	assert_failure 1
	[[ "$stderr" == *"in.jsonl:1: the source object e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 is not in the case"* ]]
	[ -z "$(fx-case -C case list --query orphan)" ]
}

@test "add: text is kept exactly: Chinese, emoji, escapes, invalid UTF-8 as hex" {
	make_case
	printf '%s\n' '{"v":1,"type":"note","tool":"t","data":{"text":"转账 5000 元 😀 \"quoted\" tab\tend"}}' \
		'{"v":1,"type":"note","tool":"t","data":{"text":{"hex":"ff00fe"}}}' >in.jsonl
	fx-case -q -C case add in.jsonl
	run --separate-stderr fx-case -C case list --type note
	assert_success
	[ "$(sed -n 1p <<<"$output" | jq -r .data.text)" = "$(printf '转账 5000 元 😀 "quoted" tab\tend')" ]
	[ "$(sed -n 2p <<<"$output" | jq -r .data.text.hex)" = ff00fe ]
	run fx-case -C case list --query '转账'
	[[ "$(jq -r .data.text <<<"$output")" == "转账 5000"* ]]
}

@test "list: filters by type, device, time range and text, in time order" {
	make_case
	printf '%s\n' \
		'{"v":1,"type":"note","tool":"t","device":"imei:356938035643809","time":"2021-04-08T09:00:00.000Z","data":{"text":"alpha transfer"}}' \
		'{"v":1,"type":"note","tool":"t","device":"serial:R58M","time":"2021-04-07T09:00:00.000Z","data":{"text":"beta"}}' \
		'{"v":1,"type":"note","tool":"t","time":"2021-04-09T09:00:00.000Z","data":{"text":"gamma transfer"}}' >in.jsonl
	fx-case -q -C case add in.jsonl
	[ "$(fx-case -C case list --type note | wc -l)" -eq 3 ]
	[ "$(fx-case -C case list --device serial:R58M | jq -r .data.text)" = beta ]
	run fx-case -C case list --type note --since 2021-04-08 --until 2021-04-09T00:00:00Z
	[ "$(jq -r .data.text <<<"$output")" = "alpha transfer" ]
	run fx-case -C case list --query transfer --by-time
	[ "$(jq -r .data.text <<<"$output" | paste -sd,)" = "alpha transfer,gamma transfer" ]
	run fx-case -C case list --type note --by-time --limit 1
	[ "$(jq -r .data.text <<<"$output")" = beta ]
	run -2 --separate-stderr fx-case -C case list --since yesterday
	[[ "$stderr" == *"--since must be an RFC 3339 time, not 'yesterday'"* ]]
}

@test "show: finds a record by a unique id prefix" {
	make_case
	id=$(fx-case -q -C case note "find me" | jq -r .id)
	run --separate-stderr fx-case -C case show "${id:0:12}"
	assert_success
	[ "$(jq -r .data.text <<<"$output")" = "find me" ]
	run -1 --separate-stderr fx-case -C case show 00000000
	[[ "$stderr" == *"no record '00000000' in case '2026-113'"* ]]
}

@test "log: custody entries chain by hash and carry who, tool, argv" {
	make_case
	fx-case -q -C case note one >/dev/null
	fx-case -q -C case note two >/dev/null
	run --separate-stderr fx-case -C case log
	assert_success
	[ "$(wc -l <<<"$output")" -eq 3 ]
	[ "$(jq -r .data.action <<<"$output" | paste -sd,)" = init,note,note ]
	[ "$(sed -n 2p <<<"$output" | jq -r .data.prev)" = "$(sed -n 1p <<<"$output" | jq -r .data.hash)" ]
	[ "$(sed -n 3p <<<"$output" | jq -r .data.prev)" = "$(sed -n 2p <<<"$output" | jq -r .data.hash)" ]
	[ "$(sed -n 3p <<<"$output" | jq -r .data.who)" = "Test Examiner" ]
	[ "$(sed -n 3p <<<"$output" | jq -c .data.argv)" = '["fx-case","-q","-C","case","note","two"]' ]
	# Each entry's hash is the sha256 of its canonical form without hash and leaf.
	e=$(sed -n 2p <<<"$output" | jq -cS '.data | del(.hash, .leaf)' | tr -d '\n' | sha256sum | cut -d' ' -f1)
	[ "$e" = "$(sed -n 2p <<<"$output" | jq -r .data.hash)" ]
}

@test "note: goes into custody and the records" {
	make_case
	run --separate-stderr fx-case -C case note "reporter arrived 09:10"
	assert_success
	[ "$(jq -r .data.text <<<"$output")" = "reporter arrived 09:10" ]
	[ "$(fx-case -C case log | tail -1 | jq -r .data.detail.text)" = "reporter arrived 09:10" ]
}

@test "reset: withdraws a category, kept for audit, still verifies" {
	make_case
	synth_records 5 | sed 's/"tool":"test"/"tool":"test","device":"imei:1"/' >a.jsonl
	synth_records 3 | sed 's/note number/other device/; s/"tool":"test"/"tool":"test","device":"imei:2"/' >b.jsonl
	fx-case -q -C case add a.jsonl b.jsonl
	run --separate-stderr fx-case -C case reset --type note --device imei:1 --reason "consent withdrawn"
	assert_success
	[ "$(jq -r .data.detail.count <<<"$output")" = 5 ]
	[ "$(jq -r .data.withdrawn.count <<<"$output")" = 5 ]
	[ "$(fx-case -C case list --type note | wc -l)" -eq 3 ]
	[ "$(fx-case -C case list --type note --withdrawn | wc -l)" -eq 5 ]
	[ "$(fx-case -C case list --type note --all | wc -l)" -eq 8 ]
	run fx-case -q -C case verify
	assert_success
	# Re-acquisition after a reset: the same records come back as new evidence.
	run -2 --separate-stderr fx-case -C case reset --type case
	[[ "$stderr" == *"records of type 'case' cannot be withdrawn"* ]]
}

@test "verify: a clean case passes and prints a verification record" {
	make_case
	synth_records 30 | fx-case -q -C case add
	run --separate-stderr fx-case -C case verify
	assert_success
	[ "$(jq -r .type <<<"$output")" = verification ]
	[ "$(jq -r .data.ok <<<"$output")" = true ]
	[ "$(jq -r .data.records <<<"$output")" = 31 ]
	[ "$(jq -r .data.entries <<<"$output")" = 2 ]
}

@test "verify: a changed record is found and named" {
	make_case
	synth_records 10 | fx-case -q -C case add
	id=$(fx-case -C case list --query 'note number 7' | jq -r .id)
	sqlite3 case/case.db "UPDATE records SET line = replace(line, 'note number 7', 'note number 8') WHERE hex(id) = upper('$id')"
	run --separate-stderr fx-case -C case verify
	assert_failure 1
	[[ "$stderr" == *"record $id (row 8) was changed"* ]]
	[ "$(jq -r .data.ok <<<"$output")" = false ]
}

@test "verify: a record changed with its id recomputed still breaks the custody digest" {
	make_case
	synth_records 3 | fx-case -q -C case add
	line=$(fx-case -C case list --query 'note number 2')
	new=$(jq -c '.data.text = "forged" | del(.id)' <<<"$line")
	newid=$(jq -cS . <<<"$new" | tr -d '\n' | sha256sum | cut -d' ' -f1)
	newline=$(jq -cS --arg id "$newid" '.id = $id' <<<"$new")
	oldid=$(jq -r .id <<<"$line")
	sqlite3 case/case.db "UPDATE records SET id = unhex('$newid'), line = '$newline' WHERE hex(id) = upper('$oldid')" 2>/dev/null ||
		sqlite3 case/case.db "UPDATE records SET id = x'$newid', line = '$newline' WHERE hex(id) = upper('$oldid')"
	run --separate-stderr fx-case -C case verify
	assert_failure 1
	[[ "$stderr" == *"custody entry 1: the records it added were changed"* ]]
}

@test "verify: a changed custody entry is found and named" {
	make_case
	fx-case -q -C case note one >/dev/null
	fx-case -q -C case note two >/dev/null
	sqlite3 case/case.db "UPDATE custody SET entry = replace(entry, '\"who\":\"Test Examiner\"', '\"who\":\"Someone Else\"') WHERE seq = 1"
	run --separate-stderr fx-case -C case verify
	assert_failure 1
	[[ "$stderr" == *"custody entry 1: its content does not match its hash"* ]]
}

@test "verify: a removed custody entry breaks the chain and the head" {
	make_case
	fx-case -q -C case note one >/dev/null
	fx-case -q -C case note two >/dev/null
	sqlite3 case/case.db "DELETE FROM custody WHERE seq = 2; DELETE FROM records WHERE entry = 2"
	run --separate-stderr fx-case -C case verify
	assert_failure 1
	[[ "$stderr" == *"the custody tree head (3 entries) does not match the log (2 entries)"* ]]
}

@test "verify: a corrupt case.db is reported, not trusted" {
	make_case
	synth_records 200 | fx-case -q -C case add
	# Overwrite a page in the middle of the database file with garbage.
	size=$(stat -c %s case/case.db)
	page=$(sqlite3 case/case.db "PRAGMA page_size")
	dd if=/dev/urandom of=case/case.db bs="$page" seek=$((size / page / 2)) count=1 conv=notrunc 2>/dev/null
	run --separate-stderr fx-case -C case verify
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"case.db"* ]]
}

@test "verify: an object no custody entry names is a warning, not a failure" {
	make_case
	# What a kill -9 between storing an object and committing leaves behind.
	printf 'stray evidence' >stray
	h=$(sha256sum <stray | cut -d' ' -f1)
	mkdir -p "case/objects/${h:0:2}" && cp stray "case/objects/${h:0:2}/${h:2}"
	run --separate-stderr fx-case -C case verify
	assert_success
	[[ "$stderr" == *"warning: case: object $h is not named by any custody entry"* ]]
	[ "$(jq -r .data.ok <<<"$output")" = true ]
	[ "$(jq -r .data.unreferenced <<<"$output")" = 1 ]
	[ "$(jq -r .data.objects <<<"$output")" = 1 ]
	# A changed one is still a problem.
	chmod u+w "case/objects/${h:0:2}/${h:2}" && echo x >>"case/objects/${h:0:2}/${h:2}"
	run --separate-stderr fx-case -C case verify
	assert_failure 1
	[[ "$stderr" == *"object $h was changed"* ]]
}

@test "verify: an index column that disagrees with its record is named" {
	make_case
	synth_records 3 | fx-case -q -C case add
	sqlite3 case/case.db "UPDATE records SET ms = ms + 1 WHERE n = 3"
	run --separate-stderr fx-case -C case verify
	assert_failure 1
	[[ "$stderr" == *"(row 3): its index columns were changed"* ]]
	sqlite3 case/case.db "UPDATE records SET ms = ms - 1 WHERE n = 3; UPDATE records SET idk = idk + 1 WHERE n = 2"
	run --separate-stderr fx-case -C case verify
	assert_failure 1
	[[ "$stderr" == *"(row 2): its index key was changed"* ]]
}

@test "verify: a file that is not a database exits 2 naming it" {
	make_case
	rm -f case/case.db-wal case/case.db-shm
	echo "garbage" >case/case.db
	run -2 --separate-stderr fx-case -C case list
	[[ "$stderr" == *"case/case.db"* ]]
}

@test "read-only: a read-only case can be read and verified but not changed" {
	# As root, file modes do not bind: act as an unprivileged user instead.
	as_user=()
	dir=$PWD
	if [ "$(id -u)" -eq 0 ]; then
		dir=$(mktemp -d /tmp/fx-ro.XXXXXX)
		chmod 755 "$dir"
		as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	fi
	fx-case -q -C "$dir/case" init 2026-113 >/dev/null
	fx-case -q -C "$dir/case" note "before" >/dev/null
	chmod -R a+rX,a-w "$dir/case"
	run --separate-stderr "${as_user[@]}" fx-case -C "$dir/case" list --type note
	assert_success
	[ "$(jq -r .data.text <<<"$output")" = before ]
	run --separate-stderr "${as_user[@]}" fx-case -C "$dir/case" verify
	assert_success
	run --separate-stderr "${as_user[@]}" fx-case -C "$dir/case" note x
	assert_failure 2
	[[ "$stderr" == *"case directory '$dir/case' is read-only"* ]]
	chmod -R u+w "$dir/case"
	[ "$dir" = "$PWD" ] || rm -rf "$dir"
}

@test "read-only: a case on a read-only mount is read and verified, never written" {
	unshare -m true 2>/dev/null || skip "no mount namespace here to make a read-only mount"
	make_case
	fx-case -q -C case note one >/dev/null
	sha256sum case/case.db >before
	run --separate-stderr unshare -m bash -c '
		mount --bind case case && mount -o remount,bind,ro case || exit 9
		fx-case -q -C case verify >/dev/null || exit 3
		[ "$(fx-case -C case list --type note | jq -r .data.text)" = one ] || exit 4
		fx-case -C case note two'
	assert_failure 2
	[[ "$stderr" == *"case directory 'case' is read-only"* ]]
	sha256sum -c before
}

@test "faults: a full disk mid-add leaves a case that verifies, and a rerun completes" {
	make_case
	synth_records 20000 >in.jsonl
	size=$(stat -c %s case/case.db)
	# Let the database grow a little, then fail writes (SIGXFSZ is ignored: EFBIG).
	run --separate-stderr bash -c "ulimit -f $(( (size + 1500000) / 1024 )); fx-case -C case add --batch 1000 in.jsonl"
	assert_failure
	[[ "$stderr" == *"were not stored"* ]]
	run fx-case -q -C case verify
	assert_success
	run --separate-stderr fx-case -C case add --batch 1000 in.jsonl
	assert_success
	[ "$(fx-case -C case list --type note | wc -l)" -eq 20000 ]
	run fx-case -q -C case verify
	assert_success
}

@test "faults: kill -9 in the middle of a large add, the case verifies, a rerun completes" {
	make_case
	synth_records 200000 >in.jsonl
	fx-case -q -C case add --batch 2000 in.jsonl &
	pid=$!
	# Wait until some batches are in, then kill without warning.
	for i in $(seq 100); do
		n=$(sqlite3 -readonly case/case.db "SELECT count(*) FROM custody" 2>/dev/null || echo 0)
		[ "${n:-0}" -ge 5 ] && break
		sleep 0.05
	done
	kill -9 $pid
	wait $pid || true
	run --separate-stderr fx-case -C case verify
	assert_success
	before=$(fx-case -C case list --type note | wc -l)
	[ "$before" -lt 200000 ]
	run --separate-stderr fx-case -C case add --batch 2000 in.jsonl
	assert_success
	[ "$(fx-case -C case list --type note | wc -l)" -eq 200000 ]
	run fx-case -q -C case verify
	assert_success
}

@test "types: lists every record type with its fields" {
	run --separate-stderr fx-case types
	assert_success
	[ "$(jq -r .type <<<"$output" | paste -sd,)" = "$(jq -r .type <<<"$output" | LC_ALL=C sort | paste -sd,)" ]
	[ "$(jq -r 'select(.type == "file") | .fields[] | select(.required) | .name' <<<"$output" | paste -sd,)" = path,sha256,size ]
}

@test "types: every type has an example record that fx-case accepts" {
	make_case
	for t in $(fx-case types | jq -r .type); do
		[ -f "$FIXTURES/records/$t.jsonl" ] || { echo "no example for $t"; false; }
	done
	# Every example passes the schema. Those naming objects are refused, and
	# only for that, until stand-ins for their objects are planted.
	sed 's/"case":"[^"]*"/"case":"2026-113"/' "$FIXTURES"/records/*.jsonl >all.jsonl
	run --separate-stderr fx-case -C case add all.jsonl
	assert_failure 1
	refs=$(jq -r '[.src.sha256?, .data.sha256?] | map(select(type == "string")) | length' all.jsonl | grep -vc '^0$')
	[ "$(grep -c 'error:' <<<"$stderr")" -eq "$refs" ]
	[ "$(grep -c 'error:.* is not in the case' <<<"$stderr")" -eq "$refs" ]
	for h in $(jq -r '.src.sha256?, .data.sha256? | select(type == "string")' all.jsonl); do
		mkdir -p "case/objects/${h:0:2}"
		: >"case/objects/${h:0:2}/${h:2}"
	done
	run --separate-stderr fx-case -C case add all.jsonl
	assert_success
}

@test "read-only: a read-only copy taken with a write-ahead log pending is refused, not read stale" {
	unshare -m true 2>/dev/null || skip "no mount namespace here to make a read-only mount"
	make_case
	fx-case -q -C case note one >/dev/null
	# A copy taken while a writer had the database open keeps the WAL.
	python3 - <<'PY'
import sqlite3, shutil
con = sqlite3.connect("case/case.db")
con.execute("PRAGMA wal_autocheckpoint = 0")
con.execute("INSERT INTO meta VALUES ('probe', 'x')")
con.commit()
shutil.copytree("case", "copy")
con.close()
PY
	[ -s copy/case.db-wal ]
	run --separate-stderr unshare -m bash -c 'mount --bind copy copy && mount -o remount,bind,ro copy || exit 9
		fx-case -C copy list'
	assert_failure 2
	[[ "$stderr" == *"copy/case.db: on read-only media with a write-ahead log still to apply"* ]]
}
