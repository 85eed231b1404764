#!/usr/bin/env bats
# tests/fx-report.bats - forms filled from a real case (fx-case init,
# fx-pull android on the generated Android 12 tree, notes) and checked as
# a reader sees them: pdftotext for the words, pdftoppm for the pages,
# headless Chromium for the HTML when it is installed.
load test_helper

A12="$FIXTURES/android-gen/a12"

# A case with the Android 12 tree, a note and a reporter, in ./case.
android_case() {
	fx-case -q -C case init 2026-113 --title "网络诈骗案" --location "北京市朝阳区" \
		--party reporter="李娜" >/dev/null
	fx-pull -q -C case android "$A12" >/dev/null
	fx-case -q -C case note "手机由报案人当面交来，已开机" >/dev/null
}

# A small PNG (a checkerboard) for a handwritten signature.
make_png() {
	python3 -c '
import struct, sys, zlib
w, h = 120, 40
raw = b"".join(b"\0" + bytes(v for x in range(w) for v in (3 * [0 if (x // 6 + y // 6) % 2 else 255])) for y in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))' >"$1"
}

# The folder of the only report in the case.
report_dir() {
	ls -d case/reports/*/ | head -1
}

@test "fx-report: the collection report in Chinese has the labels, the items' hashes and page numbers" {
	android_case
	make_png sig.png
	run -0 --separate-stderr fx-report -C case collection --set place="朝阳派出所" \
		--image signature=sig.png
	[ "$(jq -r .type <<<"$output")" = report ]
	dir=$(report_dir)
	[ -f "$dir/index.html" ] && [ -f "$dir/report.pdf" ]
	pdftotext -layout "$dir/report.pdf" text.txt
	for label in 电子数据取证报告 取证时间 取证地点 朝阳派出所 取证人 数据来源 设备信息 \
		授权同意 证据清单 报案人签名 李娜 SM-G991B; do
		grep -qF "$label" text.txt || fail "the PDF does not show '$label'"
	done
	# A page number at the foot of each page.
	pages=$(pdfinfo "$dir/report.pdf" | awk '/^Pages:/ { print $2 }')
	[ "$(grep -cE '第 ?[0-9]+ ?页' text.txt)" -eq "$pages" ]
	grep -qE "第 ?$pages ?页" text.txt
	# Every item's hash is in the PDF (in drawing order, so that a hash
	# wrapped in its cell comes out whole without the line breaks).
	pdftotext -raw "$dir/report.pdf" - | tr -d ' \n' >flat.txt
	for h in $(fx-case -C case list --type file | jq -r .data.sha256); do
		grep -qF "$h" flat.txt || fail "the PDF lacks the hash $h"
	done
	# The handwritten signature is drawn into the PDF.
	[ "$(pdfimages -list "$dir/report.pdf" | tail -n +3 | wc -l)" -ge 1 ]
}

@test "fx-report: the PDF's pages render, none blank" {
	android_case
	run -0 --separate-stderr fx-report -C case analysis
	dir=$(report_dir)
	pages=$(pdfinfo "$dir/report.pdf" | awk '/^Pages:/ { print $2 }')
	[ "$pages" -ge 2 ]
	[ "$(jq -r .data.pages <<<"$output")" = "$pages" ]
	pdftoppm -r 20 -gray -f 1 -l 3 "$dir/report.pdf" page
	for p in page-*.pgm; do
		# Pixels that are not white: text and lines were drawn.
		dark=$(tail -c +20 "$p" | tr -d '\377' | wc -c)
		[ "$dark" -gt 500 ] || fail "$p looks blank ($dark dark bytes)"
	done
}

@test "fx-report: the analysis report has the timeline, the graph, the map and a KML of the photo positions" {
	android_case
	run -0 --separate-stderr fx-report -C case analysis --lang en --format html
	dir=$(report_dir)
	for f in charts/timeline.svg charts/graph.svg charts/map.svg locations.kml; do
		[ -s "$dir/$f" ] || fail "no $f"
	done
	[ ! -e "$dir/report.pdf" ]
	grep -q 'src="charts/timeline.svg"' "$dir/index.html"
	grep -q '<Placemark>' "$dir/locations.kml"
	run -0 xmllint --noout "$dir/locations.kml"
	# The KML has one placemark per photo with a position.
	want=$(fx-case -C case list --type photo | jq -s 'map(select(.data.latitude != null)) | length')
	[ "$want" -ge 1 ]
	[ "$(grep -o '<Placemark>' "$dir/locations.kml" | wc -l)" -eq "$want" ]
	run -0 --separate-stderr fx-report -C case kml --out all.kml
	cmp all.kml "$dir/locations.kml"
}

@test "fx-report: every report is stored in the case, hashed and logged in custody" {
	android_case
	run -0 --separate-stderr fx-report -C case case --lang en
	rec=$output
	dir=$(report_dir)
	# Each file is an object of the case, under its hash.
	while read -r path sha; do
		[ "$(sha256sum "$dir/$path" | cut -d' ' -f1)" = "$sha" ] || fail "$path: wrong hash"
		[ -f "case/objects/${sha:0:2}/${sha:2}" ] || fail "$path: not stored"
	done < <(jq -r '.data.files[] | "\(.path) \(.sha256)"' <<<"$rec")
	[ "$(jq -r .data.sha256 <<<"$rec")" = "$(sha256sum "$dir/report.pdf" | cut -d' ' -f1)" ]
	run -0 --separate-stderr fx-case -C case list --type report
	[ "$(jq -r .id <<<"$output")" = "$(jq -r .id <<<"$rec")" ]
	fx-case -C case log | tail -1 | jq -e '.data.action == "report" and (.data.outputs | length) > 5'
	run -0 --separate-stderr fx-case -C case verify
}

@test "fx-report: tables are paged, with an index per type and links that resolve" {
	make_case
	synth_records 250 | fx-case -q -C case add
	run -0 --separate-stderr fx-report -C case case --lang en --rows 100 --format html
	dir=$(report_dir)
	[ -f "$dir/records/note-1.html" ] && [ -f "$dir/records/note-3.html" ]
	[ ! -e "$dir/records/note-4.html" ]
	[ "$(grep -c '<tr id=' "$dir/records/note-1.html")" -eq 100 ]
	[ "$(grep -c '<tr id=' "$dir/records/note-3.html")" -eq 50 ]
	grep -q 'href="note-2.html" rel="next"' "$dir/records/note-1.html"
	grep -q 'href="records/note-1.html">note<' "$dir/index.html"
	# Every relative link of every page names a file that is there.
	bad=""
	for page in "$dir"/index.html "$dir"/records/*.html; do
		for link in $(grep -oE '(href|src)="[^"#:]+' "$page" | sed 's/^[a-z]*="//' | sort -u); do
			[ -e "$(dirname "$page")/$link" ] || bad+="$page: $link"$'\n'
		done
	done
	[ -z "$bad" ] || fail "links that do not resolve:"$'\n'"$bad"
}

@test "fx-report: the HTML renders in headless Chromium" {
	command -v chromium >/dev/null || skip "chromium is not installed"
	android_case
	run -0 --separate-stderr fx-report -C case analysis --format html
	dir=$(cd "$(report_dir)" && pwd)
	run timeout 120 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$dir/index.html"
	assert_output --partial "电子数据分析报告"
	assert_output --partial "charts/timeline.svg"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --window-size=1000,1400 \
		--screenshot="$BATS_TEST_TMPDIR/shot.png" "file://$dir/records/file-1.html" 2>/dev/null
	[ "$(stat -c %s shot.png)" -gt 10000 ]
}

@test "fx-report: the appraisal opinion shows the appraisers, their licences and the seal" {
	android_case
	make_png seal.png
	run -0 --separate-stderr fx-report -C case appraisal --lang en --set commissioner="Chaoyang PSB" \
		--set appraiser1="Zhang San" --set licence1="110105012345" --set opinion="The transfer is on the phone" \
		--image seal=seal.png
	pdftotext -layout "$(report_dir)/report.pdf" text.txt
	for label in "Judicial appraisal opinion" "Commissioning party" "Chaoyang PSB" "Zhang San" \
		110105012345 "The transfer is on the phone" "Institution (seal)" "Page 1"; do
		grep -qF "$label" text.txt || fail "the PDF does not show '$label'"
	done
}

@test "fx-report: each form renders in both languages" {
	android_case
	for form in case collection analysis appraisal transcript; do
		for lang in zh-CN en; do
			FX_NOW=2026-11-23T10:00:0$((n++ % 10))Z run -0 --separate-stderr \
				fx-report -q -C case "$form" --lang "$lang" --format html
		done
	done
	[ "$(ls case/reports | wc -l)" -eq 10 ]
	grep -q "询问笔录" case/reports/transcript-zh-CN-*/index.html
	grep -q "手机由报案人当面交来" case/reports/transcript-zh-CN-*/index.html
}

@test "fx-report: the same case gives the same report, byte for byte" {
	android_case
	cp -a case case2
	FX_NOW=2026-11-23T09:00:00Z fx-report -q -C case collection >/dev/null
	FX_NOW=2026-11-23T09:00:00Z fx-report -q -C case2 collection >/dev/null
	diff -r case/reports case2/reports
}

@test "fx-report: a form added to a template folder is used without recompiling" {
	make_case
	mkdir tpl
	cp "$FX_DATADIR"/templates/page.en.html "$FX_DATADIR"/templates/head.html \
		"$FX_DATADIR"/templates/fields.html tpl/
	printf '%s\n' '<!DOCTYPE html>' '<html><body><h1>Receipt for {{case.id}}</h1>' \
		'{{#case.parties}}<p>{{role}}: {{name}}</p>{{/case.parties}}<p>{{form.item}}</p></body></html>' \
		>tpl/receipt.en.html
	run -0 --separate-stderr fx-report forms --templates tpl
	assert_output '{"file":"receipt.en.html","form":"receipt","lang":"en"}'
	run -0 --separate-stderr fx-report -C case receipt --lang en --templates tpl --set item="a phone"
	pdftotext "$(report_dir)/report.pdf" - | grep -q "Receipt for 2026-113"
	grep -q "reporter: Li" "$(report_dir)/index.html"
	grep -q "a phone" "$(report_dir)/index.html"
}

@test "fx-report: a missing or broken template is named, and nothing is stored" {
	make_case
	run -2 --separate-stderr fx-report -C case nosuchform
	[[ "$stderr" == *"nosuchform.zh-CN.html"* ]]
	mkdir tpl
	cp "$FX_DATADIR"/templates/page.en.html "$FX_DATADIR"/templates/head.html tpl/
	printf '<!DOCTYPE html>\n<p>\n{{#case}}\n' >tpl/bad.en.html
	run -2 --separate-stderr fx-report -C case bad --lang en --templates tpl
	[[ "$stderr" == *"bad.en.html: section 'case' is not closed"* ]]
	[ -z "$(ls case/reports)" ]
	[ "$(fx-case -C case list --type report | wc -l)" -eq 0 ]
}

@test "fx-report: usage errors exit 2 with a hint" {
	run -2 --separate-stderr fx-report
	[[ "$stderr" == *"Try 'fx-report --help'"* ]]
	run -2 --separate-stderr fx-report -C case case --format doc
	[[ "$stderr" == *"--format is html or pdf"* ]]
	run -2 --separate-stderr fx-report -C case case --set novalue
	run -2 --separate-stderr fx-report -C nocase case
	[[ "$stderr" == *"no case at 'nocase'"* ]]
	run -0 --separate-stderr fx-report --help
	assert_output --partial "--image ROLE=FILE"
}
