#!/usr/bin/env bats
# fx-carve: deleted SQLite records, scored against the truth of the
# generated databases in tests/fixtures/carve/ (scripts/make-carve-fixtures.py).
load test_helper

CARVE="$FIXTURES/carve"
SCORE="$FX_ROOT/scripts/carve-score.py"

# carve NAME: carves the scenario's database into NAME.carved.jsonl.
carve() {
	fx-carve -q "$CARVE/$1.db" >"$1.carved.jsonl"
}

@test "fx-carve: every scenario recovers >= 99 % of what survives, >= 99 % precise" {
	local t n bad=""

	for t in "$CARVE"/*.truth.jsonl; do
		n=$(basename "$t" .truth.jsonl)
		[ "$n" = secure-delete ] && continue
		run carve "$n"
		[ "$status" -le 1 ] || bad+="$n: fx-carve exited $status"$'\n'
		run python3 "$SCORE" "$t" "$n.carved.jsonl" --min-recall 99 --min-precision 99
		[ "$status" -eq 0 ] || bad+="$output"$'\n'
	done
	[ -z "$bad" ] || fail "$bad"
}

@test "fx-carve: nothing is reported from a secure_delete=ON database" {
	run -0 --separate-stderr fx-carve "$CARVE/secure-delete.db"
	assert_output ''
	[[ "$stderr" == *"0 records carved"* ]]
}

@test "fx-carve: live rows are never reported" {
	local n

	for n in scattered wal mixed-real-app journal updates; do
		carve "$n"
		run -0 python3 "$SCORE" "$CARVE/$n.truth.jsonl" "$n.carved.jsonl"
		[[ "$output" == *"live-reported 0"* ]] || fail "$n: $output"
	done
}

@test "fx-carve: records are valid carved records, in file order, the same on every run" {
	run -0 fx-carve -q "$CARVE/mixed-real-app.db"
	echo "$output" >a.jsonl
	fx-carve -q "$CARVE/mixed-real-app.db" >b.jsonl
	cmp a.jsonl b.jsonl
	# db first, then wal, each by offset
	jq -r '[(if .data.file == "db" then 0 elif .data.file == "wal" then 1 else 2 end), .data.offset] | @tsv' a.jsonl >order
	sort -n -k1,1 -k2,2 -s order | cmp - order
	jq -e -s 'all(.type == "carved" and .tool == "fx-carve" and (.id | length == 64) and
		(.src.sha256 | length == 64) and (.data.columns | type == "array"))' a.jsonl
	# WAL records name their frame, salts and standing
	jq -e -s '[.[] | select(.data.file == "wal")] | length > 0 and
		all(.data.wal_frame >= 1 and (.data.wal_salt | length == 2) and .data.wal_state != null)' a.jsonl
	[ "$(jq -r .src.sha256 a.jsonl | sort -u | wc -l)" -eq 2 ]
	grep -q "$(sha256sum "$CARVE/mixed-real-app.db-wal" | cut -d' ' -f1)" a.jsonl
}

@test "fx-carve: the evidence is not changed and nothing is written beside it" {
	cp "$CARVE/wal.db" "$CARVE/wal.db-wal" .
	chmod a-w wal.db wal.db-wal
	sha256sum wal.db wal.db-wal >before
	ls --full-time wal.db* >lsbefore
	run -0 --separate-stderr fx-carve wal.db
	[ -n "$output" ]
	sha256sum -c before
	# no -shm, no -journal, no new mode or time
	ls --full-time wal.db* | cmp - lsbefore
}

@test "fx-carve: the WAL and journal are found beside the database, or named" {
	cp "$CARVE/journal-persist.db" db
	cp "$CARVE/journal-persist.db-journal" elsewhere.journal
	run -0 --separate-stderr fx-carve --no-siblings db
	[ -z "$(jq -r 'select(.data.file == "journal")' <<<"$output")" ]
	run -0 --separate-stderr fx-carve --journal elsewhere.journal db
	[ -n "$(jq -r 'select(.data.file == "journal")' <<<"$output")" ]
	echo "$output" >carved.jsonl
	run -0 python3 "$SCORE" "$CARVE/journal-persist.truth.jsonl" carved.jsonl --min-recall 99
}

@test "fx-carve: --format csv gives a header and one row per record" {
	run -0 --separate-stderr fx-carve --format csv "$CARVE/scattered.db"
	[ "${lines[0]}" = "file,path,offset,page,region,table,table_confidence,confidence,partial,rowid,wal_frame,values" ]
	[ "${#lines[@]}" -eq "$(($(fx-carve -q "$CARVE/scattered.db" | wc -l) + 1))" ]
	[[ "${lines[1]}" == db,*,sms,*"body="* ]]
	python3 -c 'import csv, sys; rows = list(csv.reader(open(sys.argv[1]))); sys.exit(len(rows) < 2)' \
		<(fx-carve -q --format csv "$CARVE/scattered.db")
}

@test "fx-carve: --expect passes on the saved output and fails on a difference" {
	cp "$CARVE/scattered.db" sample.db
	fx-carve -q sample.db >expected.jsonl
	# the sample moved: still the same records
	mkdir moved && mv sample.db moved/
	run -0 --separate-stderr fx-carve --expect expected.jsonl moved/sample.db
	assert_output ''
	[[ "$stderr" == *"as in 'expected.jsonl'"* ]]
	# one record lost, one changed
	sed -e '1d' -e '2s/"value":1617/"value":2617/' expected.jsonl >changed.jsonl
	run -1 --separate-stderr fx-carve --expect changed.jsonl moved/sample.db
	[[ "$stderr" == *"missing:"* ]] && [[ "$stderr" == *"unexpected:"* ]]
	[[ "$stderr" == *"fx-carve: error: the output differs from 'changed.jsonl'"* ]]
}

@test "fx-carve: --case carves the databases of file records and passes every record through" {
	make_case
	mkdir src
	cp "$CARVE/wal.db" "$CARVE/wal.db-wal" src/
	echo 'not a database' >src/note.txt
	fx-pull -q -C case files src >files.jsonl
	printf '%s\n' '{"v":1,"type":"note","case":"2026-113","tool":"test","data":{"text":"kept"}}' >>files.jsonl
	run -0 --separate-stderr fx-carve -C case <files.jsonl
	echo "$output" >out.jsonl
	# what came in goes out unchanged, first
	[ "$(head -n "$(wc -l <files.jsonl)" out.jsonl)" = "$(cat files.jsonl)" ]
	[ "$(jq -r 'select(.type == "carved") | .case' out.jsonl | sort -u)" = 2026-113 ]
	run -0 python3 "$SCORE" "$CARVE/wal.truth.jsonl" out.jsonl --min-recall 99 --min-precision 99
	# and the case takes the carved records: their bytes are its objects
	run -0 --separate-stderr fx-case -C case add out.jsonl
	[[ "$stderr" == *"0 rejected"* ]]
}

@test "fx-carve: bad files are named with exit 1, and the others are still carved" {
	: >empty.db
	echo 'just text' >text.db
	head -c 100 "$CARVE/scattered.db" >header.db
	head -c 6000 "$CARVE/scattered.db" >truncated.db
	mkdir dir.db
	run -1 --separate-stderr fx-carve empty.db text.db header.db truncated.db dir.db missing.db \
		"$CARVE/scattered.db"
	[[ "$stderr" == *"fx-carve: error: 'empty.db': empty file: not an SQLite database"* ]]
	[[ "$stderr" == *"fx-carve: error: 'text.db': offset 0: not an SQLite database"* ]]
	[[ "$stderr" == *"fx-carve: error: 'header.db': offset 100: the file ends inside page 1 (truncated)"* ]]
	[[ "$stderr" == *"fx-carve: error: 'truncated.db': offset 6000: the file ends inside page 2 (truncated)"* ]]
	[[ "$stderr" == *"fx-carve: error: 'dir.db': not a regular file"* ]]
	[[ "$stderr" == *"fx-carve: error: cannot open 'missing.db': No such file or directory"* ]]
	# the good database gives all its records
	[ "$(jq -r .src.path <<<"$output" | grep -c scattered.db)" -eq "$(fx-carve -q "$CARVE/scattered.db" | wc -l)" ]
}

@test "fx-carve: hostile pages (loops, lying sizes, wild pointers) end with a message, never a hang" {
	local f

	for f in "$FX_ROOT"/tests/fuzz/corpus/carve_page/*; do
		run timeout 60 fx-carve -q "$f"
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || fail "$(basename "$f"): exit $status"
	done
	run -1 --separate-stderr fx-carve "$FX_ROOT/tests/fuzz/corpus/carve_page/child-loop"
	[[ "$stderr" == *"page 2 offset 8: child page 2 of 'sms' is already part of a tree"* ]]
	run -1 --separate-stderr fx-carve "$FX_ROOT/tests/fuzz/corpus/carve_page/bad-page-size"
	[[ "$stderr" == *"offset 16: page size 1000 is not one SQLite uses"* ]]
}

@test "fx-carve: usage errors exit 2 with a hint" {
	run -2 --separate-stderr fx-carve
	assert_output ''
	[[ "$stderr" == *"Try 'fx-carve --help'"* ]]
	run -2 --separate-stderr fx-carve --format xml "$CARVE/scattered.db"
	[[ "$stderr" == *"--format is jsonl or csv, not 'xml'"* ]]
	run -2 --separate-stderr fx-carve --wal x a.db b.db
	[[ "$stderr" == *"--wal and --journal go with exactly one DB"* ]]
}
