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
