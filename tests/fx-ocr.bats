#!/usr/bin/env bats
# tests/fx-ocr.bats - fx-ocr on the images of tests/fixtures/ocr (drawn by
# scripts/make-ocr-fixtures.py): the values asserted are the ones drawn,
# read from truth.jsonl and idcard.json.
load test_helper

OCR="$FIXTURES/ocr"

# The value of FIELD drawn on IMAGE.
truth() {
	jq -r --arg f "$1" --arg k "$2" 'select(.file == $f) | .fields[$k] // empty' "$OCR/truth.jsonl"
}

# The device record's data of IMAGE (run from the fixtures, so that paths are short).
device_of() {
	(cd "$OCR" && fx-ocr -q device "$1") | jq -c 'select(.type == "device") | .data'
}

@test "fx-ocr: device reads an English About page: IMEIs, model, serial, MACs" {
	run -0 --separate-stderr device_of about-en.png
	for f in imei imei2 model serial android_version wifi_mac bt_mac phone brand; do
		[ "$(jq -r --arg f "$f" '.[$f]' <<<"$output")" = "$(truth about-en.png "$f")" ] ||
			fail "$f: $(jq -r --arg f "$f" '.[$f]' <<<"$output"), drawn $(truth about-en.png "$f")"
	done
	[ "$(jq -r .key <<<"$output")" = "imei:$(truth about-en.png imei)" ]
	[ "$(jq '.confidence.imei >= 80' <<<"$output")" = true ]
}

@test "fx-ocr: device reads a Chinese two-column page: both IMEIs and the MEID" {
	run -0 --separate-stderr device_of about-zh.png
	for f in imei imei2 meid model brand android_version phone; do
		[ "$(jq -r --arg f "$f" '.[$f]' <<<"$output")" = "$(truth about-zh.png "$f")" ] ||
			fail "$f: $(jq -r --arg f "$f" '.[$f]' <<<"$output"), drawn $(truth about-zh.png "$f")"
	done
}

@test "fx-ocr: device reads photographed pages, turned, blurred and in dark mode" {
	for img in about-en-photo.jpg about-zh-dark-photo.jpg; do
		run -0 --separate-stderr device_of "$img"
		[ "$(jq -r .imei <<<"$output")" = "$(truth "$img" imei)" ] || fail "$img: imei $output"
		[ "$(jq -r .imei2 <<<"$output")" = "$(truth "$img" imei2)" ] || fail "$img: imei2 $output"
		[ "$(jq -r .model <<<"$output")" = "$(truth "$img" model)" ] || fail "$img: model $output"
	done
}

@test "fx-ocr: device records name the image's SHA-256 and path" {
	run -0 --separate-stderr fx-ocr -q device "$OCR/about-en.png"
	[ "$(jq -r .src.sha256 <<<"$output")" = "$(sha256sum "$OCR/about-en.png" | cut -d' ' -f1)" ]
	[ "$(jq -r .src.path <<<"$output")" = "$OCR/about-en.png" ]
	[ "$(jq -r .data.sources[0].sha256 <<<"$output")" = "$(jq -r .src.sha256 <<<"$output")" ]
	[ "$(jq -r .device <<<"$output")" = "imei:$(truth about-en.png imei)" ]
}

@test "fx-ocr: device --case stores the photo and merges the device, keyed by IMEI" {
	make_case
	imei=$(truth about-en.png imei)
	# A device the case knows already, by its second IMEI: the photo's details go to it.
	printf '%s\n' '{"v":1,"type":"device","case":"2026-113","tool":"test","device":"serial:X1","data":{"key":"serial:X1","imei2":"'"$imei"'","os":"Android 10"}}' >dev.jsonl
	run -0 --separate-stderr fx-case -q -C case add dev.jsonl
	run -0 --separate-stderr fx-ocr -q -C case device "$OCR/about-en.png"
	[ "$(jq -r .type <<<"$output" | paste -sd,)" = file,device ]
	[ "$(jq -r 'select(.type == "device") | .data.key' <<<"$output")" = serial:X1 ]
	h=$(sha256sum "$OCR/about-en.png" | cut -d' ' -f1)
	[ -f "case/objects/${h:0:2}/${h:2}" ]
	run -0 --separate-stderr fx-case -C case info
	[ "$(jq -r '.devices[] | select(.key == "serial:X1") | .imei' <<<"$output")" = "$imei" ]
	[ "$(jq -r '.devices[] | select(.key == "serial:X1") | .os' <<<"$output")" = "Android 10" ]
	run -0 --separate-stderr fx-case -q -C case verify
	[ "$(jq -r .data.ok <<<"$output")" = true ]
	# The custody entry names the image.
	run -0 --separate-stderr fx-case -C case log
	[ "$(jq -r 'select(.data.action == "ocr") | .data.detail.sha256' <<<"$output")" = "$h" ]
}

@test "fx-ocr: device --device sets the key" {
	run -0 --separate-stderr fx-ocr -q device --device serial:R58M12ABCDE "$OCR/about-zh.png"
	[ "$(jq -r .device <<<"$output")" = serial:R58M12ABCDE ]
	[ "$(jq -r .data.key <<<"$output")" = serial:R58M12ABCDE ]
}

@test "fx-ocr: bad inputs are named, exit 1, and the rest is read" {
	run -1 --separate-stderr fx-ocr device "$OCR/not-an-image.png" "$OCR/truncated.png" \
		"$OCR/about-zh.png" "$OCR/no-text.png" missing.png
	[ "$(jq -r .data.imei <<<"$output")" = "$(truth about-zh.png imei)" ]
	[[ "$stderr" == *"fx-ocr: error: '$OCR/not-an-image.png': not an image format that can be decoded"* ]]
	[[ "$stderr" == *"fx-ocr: error: '$OCR/truncated.png': the image is truncated or its structure is damaged"* ]]
	[[ "$stderr" == *"fx-ocr: error: '$OCR/no-text.png': no text found in the image"* ]]
	[[ "$stderr" == *"fx-ocr: error: cannot open 'missing.png': No such file or directory"* ]]
	[[ "$stderr" == *"fx-ocr: 4 images read, 4 could not be"* ]]
}

@test "fx-ocr: a 20000 x 20000 image is refused from its header, in bounded memory" {
	# 600 MB of address space: decoding it would take 1.6 GB. (Not under
	# AddressSanitizer, which reserves terabytes of address space.)
	lim="ulimit -v 600000;"
	grep -q san "$FX_ROOT/bin/.variant" 2>/dev/null && lim=""
	run -1 --separate-stderr bash -c "$lim fx-ocr text '$OCR/huge.png' '$OCR/big.jpg'"
	[[ "$stderr" == *"fx-ocr: error: '$OCR/huge.png': 20000 x 20000 pixels, more than 40 million: refused before decoding"* ]]
	# A large JPEG is decoded smaller, and read.
	[ "$(jq -r .data.text <<<"$output")" = "IMEI 356938035643809" ]
	[ "$(jq -r .data.preprocess.reduction <<<"$output")" = 2 ]
	[ "$(jq -r .data.image_width <<<"$output")" = 8000 ]
}

@test "fx-ocr: text writes an ocr record with lines, word boxes and confidences" {
	run -0 --separate-stderr fx-ocr -q text "$OCR/about-en.png"
	[ "$(jq -r .type <<<"$output")" = ocr ]
	jq -e '.data.text | contains("About phone")' <<<"$output"
	jq -e --arg i "$(truth about-en.png imei)" '.data.words | map(select(.text == $i)) | length == 1' <<<"$output"
	# Boxes are in the image's pixels, inside it.
	jq -e '.data.words | all(.box[0] >= 0 and .box[0] + .box[2] <= 720 and .conf >= 0 and .conf <= 100)' <<<"$output"
	jq -e '.data.image_width == 720 and (.data.lines | length) > 10' <<<"$output"
}

@test "fx-ocr: codes decodes the payment code, with its symbology and place" {
	run -0 --separate-stderr fx-ocr -q codes "$OCR/pay-qr.png"
	[ "$(jq -r .type <<<"$output")" = code ]
	[ "$(jq -r .data.symbology <<<"$output")" = QR-Code ]
	[ "$(jq -r .data.payload <<<"$output")" = 'wxp://f2f0Zq8pLm3RtY7aBcD' ]
	jq -e '.data.box.x > 100 and .data.box.w > 300 and (.data.polygon | length) == 4' <<<"$output"
}

@test "fx-ocr: codes writes the code records fx-pull writes for the same image" {
	run -0 --separate-stderr fx-ocr -q codes "$FIXTURES/codes/qr-wxp.png"
	[ "$(jq -c .data <<<"$output")" = "$(jq -c 'del(.user) | .data' "$FIXTURES/records/code.jsonl")" ]
}

@test "fx-ocr: idcard reads the number, checks it, and reads the name and address" {
	run -0 --separate-stderr fx-ocr -q idcard "$OCR/idcard.png"
	for f in number name sex nation birth address; do
		[ "$(jq -r --arg f "$f" '.data[$f]' <<<"$output")" = "$(jq -r --arg f "$f" '.[$f]' "$OCR/idcard.json")" ] ||
			fail "$f: $(jq -r --arg f "$f" '.data[$f]' <<<"$output")"
	done
	jq -e '.data.number_valid and .data.consistent' <<<"$output"
}

@test "fx-ocr: prompt-check finds each step in order, names its frame and time" {
	run -0 --separate-stderr fx-ocr prompt-check --steps "$OCR/steps.json" "$OCR"/frames-ok/*.png
	[ "$(jq -r .type <<<"$output")" = verdict ]
	[ "$(jq -r .data.result <<<"$output")" = match ]
	[ "$(jq -c '[.data.steps[] | [.step, .time, (.frame | split("/") | last)]]' <<<"$output")" = \
	  '[[1,0,"frame-00000.png"],[2,1.5,"frame-01500.png"]]' ]
	# The window: from the end of the last prompt (1.5 + 1 s) for 2 s; the home screen is after it.
	[ "$(jq -c '[.data.evidence[].time]' <<<"$output")" = '[2.5,3,3.5]' ]
	[ "$(jq -r .src.sha256 <<<"$output")" = "$(sha256sum "$OCR/steps.json" | cut -d' ' -f1)" ]
	[[ "$stderr" == *"match"* ]]
}

@test "fx-ocr: prompt-check names the step and frame of a no-match, exit 1" {
	run -1 --separate-stderr fx-ocr prompt-check --steps "$OCR/steps.json" "$OCR"/frames-bad/*.png
	[ "$(jq -r .data.result <<<"$output")" = no-match ]
	[ "$(jq -r .data.failed_step <<<"$output")" = 2 ]
	[ "$(jq -r .data.failed_frame <<<"$output")" = "$OCR/frames-bad/frame-01500.png" ]
	[[ "$stderr" == *"fx-ocr: error: no match at step 2, frame '$OCR/frames-bad/frame-01500.png'"* ]]
}

@test "fx-ocr: prompt-check --case stores the frames of the capture window" {
	make_case
	run -0 --separate-stderr fx-ocr -q -C case prompt-check --steps "$OCR/steps.json" "$OCR"/frames-ok/*.png
	for f in frame-00000 frame-01500 frame-02500 frame-03000 frame-03500; do
		h=$(sha256sum "$OCR/frames-ok/$f.png" | cut -d' ' -f1)
		[ -f "case/objects/${h:0:2}/${h:2}" ] || fail "$f not stored"
	done
	h=$(sha256sum "$OCR/frames-ok/frame-09000.png" | cut -d' ' -f1)
	[ ! -e "case/objects/${h:0:2}/${h:2}" ]
	run -0 --separate-stderr fx-case -C case list --type verdict
	[ "$(jq -r .data.result <<<"$output")" = match ]
	run -0 --separate-stderr fx-case -q -C case verify
}

@test "fx-ocr: prompt-check reads a video with ffmpeg" {
	command -v ffmpeg >/dev/null || skip "ffmpeg is not installed"
	# The frames as a video: each shown until the next one's time.
	prev=""
	for f in "$OCR"/frames-ok/*.png; do
		t=$(basename "$f" .png); t=$((10#${t#frame-}))
		[ -n "$prev" ] && echo "duration $(awk -v a="$t" -v b="$pt" 'BEGIN { print (a - b) / 1000 }')"
		echo "file '$f'"
		prev=$f pt=$t
	done >list.txt
	printf "duration 0.5\nfile '%s'\n" "$prev" >>list.txt
	ffmpeg -v error -f concat -safe 0 -i list.txt -vf fps=10,format=yuv420p -c:v mpeg4 -q:v 2 rec.mp4
	make_case
	run -0 --separate-stderr fx-ocr -C case prompt-check --steps "$OCR/steps.json" rec.mp4
	[ "$(jq -r .data.result <<<"$output")" = match ]
	[ "$(jq -c '[.data.steps[].time]' <<<"$output")" = '[0,1.5]' ]
	[ "$(jq -r .data.video.sha256 <<<"$output")" = "$(sha256sum rec.mp4 | cut -d' ' -f1)" ]
	# 4 frames a second from 2.5 s to 4.5 s, stored as PNG.
	[ "$(jq -c '[.data.evidence[].time]' <<<"$output")" = '[2.5,2.75,3,3.25,3.5,3.75,4,4.25,4.5]' ]
	h=$(jq -r .data.evidence[0].sha256 <<<"$output")
	[ "$(head -c 4 "case/objects/${h:0:2}/${h:2}" | tail -c 3)" = PNG ]
}

@test "fx-ocr: a malformed steps file is named with its line, exit 1" {
	run -1 --separate-stderr fx-ocr prompt-check --steps "$OCR/steps-bad.json" "$OCR"/frames-ok/*.png
	assert_output ''
	[[ "$stderr" == "fx-ocr: error: '$OCR/steps-bad.json': line 3: invalid JSON:"* ]]
	printf '{"steps":[{"text":"x","display":1}]}\n' >nowindow.json
	run -1 --separate-stderr fx-ocr prompt-check --steps nowindow.json "$OCR"/frames-ok/*.png
	[[ "$stderr" == *"'nowindow.json': \"window\" must be"* ]]
}

@test "fx-ocr: usage errors exit 2 with a hint" {
	run -2 --separate-stderr fx-ocr
	[[ "$stderr" == *"Try 'fx-ocr --help'"* ]]
	run -2 --separate-stderr fx-ocr scan x.png
	[[ "$stderr" == *"'scan' is not a command"* ]]
	run -2 --separate-stderr fx-ocr prompt-check "$OCR/frames-ok/frame-00000.png"
	[[ "$stderr" == *"prompt-check needs --steps FILE"* ]]
	run -2 --separate-stderr fx-ocr device
	run -2 --separate-stderr fx-ocr text --fps 4 x.png
	run -0 --separate-stderr fx-ocr --help
	[[ "$output" == *"prompt-check --steps FILE"* ]]
}
