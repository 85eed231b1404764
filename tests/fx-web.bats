#!/usr/bin/env bats
# fx-pull web: capture of web pages with their address and link data, the
# judgement, and --verify. Real HTTPS servers on 127.0.0.1 (tests/web/
# server.py) with certificates from a throw-away CA made here; names are
# mapped to 127.0.0.1 with --resolve, never through /etc/hosts.
load test_helper
load sign_helper

# A certificate for the names in $2 (comma-separated), signed by the test
# CA, valid for $3 days (-1: already expired).
make_cert() {
	local name=$1 sans=$2 days=$3 san="" n
	for n in ${sans//,/ }; do san+="${san:+,}DNS:$n"; done
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$name.key" -out "$name.csr" -subj "/CN=${sans%%,*}" 2>/dev/null
	printf 'subjectAltName=%s\n' "$san" >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -set_serial "$RANDOM" \
		-days "$days" -extfile "$name.ext" -out "$name.pem" 2>/dev/null
}

setup_file() {
	local i
	export WEB="$BATS_FILE_TMPDIR/web"
	mkdir -p "$WEB/root"
	cd "$WEB" || return 1
	LOOK=$(python3 -c 'print("sh\u043ep.test".encode("idna").decode())')
	export LOOK
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout ca.key -out ca.pem -days 30 -subj "/CN=fx test CA" 2>/dev/null
	make_cert good "shop.test,www.shop.test,cdn.jsdelivr.net,tracker.test,other.test,loop.test,$LOOK" 30
	make_cert expired expired.test -1
	python3 "$FX_ROOT/tests/web/server.py" root ports good.pem:good.key \
		expired.pem:expired.key plain >server.log 2>&1 3>&- &
	echo $! >server.pid
	for i in $(seq 100); do [ -s ports ] && break; sleep 0.1; done
	{ read -r GOOD; read -r EXPIRED; read -r PLAIN; } <ports
	export GOOD EXPIRED PLAIN
	RESOLVE=""
	for n in shop.test www.shop.test cdn.jsdelivr.net tracker.test other.test loop.test "$LOOK"; do
		RESOLVE+=" --resolve $n:$GOOD:127.0.0.1"
	done
	RESOLVE+=" --resolve expired.test:$EXPIRED:127.0.0.1 --resolve plain.test:$PLAIN:127.0.0.1"
	export RESOLVE

	# A shop: a redirect to another host, resources of every kind, a 404,
	# a CDN, a third party, and a login form that posts elsewhere.
	mkdir -p root/shop.test root/www.shop.test/img root/cdn.jsdelivr.net root/other.test \
		root/loop.test root/expired.test "root/$LOOK"
	echo "https://www.shop.test:$GOOD/" >root/shop.test/index.html.redirect
	cat >root/www.shop.test/index.html <<HTML
<!DOCTYPE html>
<html><head><title>Best Shop</title>
<link rel="stylesheet" href="/style.css"><link rel="icon" href="favicon.ico">
<style>.hero { background: url('img/hero.jpg') }</style>
<script src="https://cdn.jsdelivr.net:$GOOD/npm/lib.js"></script>
</head><body>
<h1>Best Shop</h1><p>Pay by bank transfer only.</p>
<img src="img/logo.png" srcset="img/logo.png 1x, img/logo@2x.png 2x">
<div style="background-image:url(img/bg.png)"></div>
<video poster="img/poster.jpg"><source src="media/clip.mp4"></video>
<iframe src="https://other.test:$GOOD/widget.html"></iframe>
<img src="img/missing.png">
<form action="https://tracker.test:$GOOD/collect" method="post">
<input name="user"><input type="password" name="pass"></form>
</body></html>
HTML
	echo 'body { font-family: x; } @font-face { src: url("fonts/shop.woff2") }' >root/www.shop.test/style.css
	echo 'Strict-Transport-Security: max-age=31536000' >root/www.shop.test/.headers
	mkdir -p root/www.shop.test/media root/www.shop.test/fonts root/cdn.jsdelivr.net/npm
	for f in favicon.ico img/hero.jpg img/logo.png img/logo@2x.png img/bg.png img/poster.jpg \
		media/clip.mp4 fonts/shop.woff2; do
		head -c 2000 /dev/urandom >"root/www.shop.test/$f"
	done
	echo 'console.log(1)' >root/cdn.jsdelivr.net/npm/lib.js
	echo '<p>widget</p>' >root/other.test/widget.html
	# A page for --verify, changed by the tests that need it.
	printf '<html><body><h1>Order 1</h1><p>Total: 100 EUR</p><img src="img/logo.png"><img src="img/hero.jpg"></body></html>\n' \
		>root/www.shop.test/change.html
	echo "/b" >root/loop.test/a.redirect
	echo "/a" >root/loop.test/b.redirect
	echo '<html><body><h1>Login</h1></body></html>' >"root/$LOOK/index.html"
	echo '<html><body>expired</body></html>' >root/expired.test/index.html
	head -c $((3 << 20)) /dev/zero | tr '\0' 'a' >root/www.shop.test/big.html
	# 2 MiB of text and 200 resources.
	python3 - root/www.shop.test <<'PY'
import os, sys
d = sys.argv[1]
os.makedirs(os.path.join(d, "many"), exist_ok=True)
parts = ["<!DOCTYPE html><html><head><title>Many</title></head><body>"]
for i in range(200):
    with open(os.path.join(d, "many", "r%03d.png" % i), "wb") as f:
        f.write(os.urandom(1000 + i))
    parts.append('<p>%s</p><img src="many/r%03d.png">' % ("lorem ipsum " * 880, i))
parts.append("</body></html>")
with open(os.path.join(d, "many.html"), "w") as f:
    f.write("\n".join(parts))
PY
}

teardown_file() {
	[ -f "$WEB/server.pid" ] && kill "$(cat "$WEB/server.pid")" 2>/dev/null
	return 0
}

# fx-pull web against the test servers, trusting the test CA.
web() {
	# shellcheck disable=SC2086
	fx-pull -C case web --no-screenshot --ca-file "$WEB/ca.pem" $RESOLVE "$@"
}

obj() {
	echo "case/objects/${1:0:2}/${1:2}"
}

need_node() {
	command -v node >/dev/null || skip "node is not installed"
	[ -d "$FX_ROOT/tests/warc/node_modules/warcio" ] ||
		(cd "$FX_ROOT/tests/warc" && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
		skip "warcio could not be installed (npm ci in tests/warc)"
}

@test "fx-pull web: captures a page across a cross-host redirect with each hop's address data" {
	make_case
	run --separate-stderr web "https://shop.test:$GOOD/"
	assert_success
	[ "$(wc -l <<<"$output")" -eq 1 ]
	echo "$output" >rec.jsonl
	run -0 jq -e --arg p "$GOOD" '.type == "capture" and (.data.hops | length) == 2 and
		.data.hops[0].status == 302 and .data.hops[0].location == "https://www.shop.test:\($p)/" and
		.data.hops[1].status == 200 and .data.final_url == "https://www.shop.test:\($p)/" and
		.data.complete and .data.title == "Best Shop" and .src.path == "archive/data.warc.gz" and
		all(.data.hops[]; .ip == "127.0.0.1" and .port == ($p | tonumber) and
			.dns.answers == ["127.0.0.1"] and .dns.source == "resolve option" and
			(.tls.version | test("^TLSv1\\.[23]$")) and (.tls.cipher | length) > 0 and
			.tls.verified and .tls.host_match and (.tls.chain | length) >= 1 and .tls.age_days == 0 and
			.tls.issuer == "CN=fx test CA")' rec.jsonl
	# The WACZ, the WARC and each certificate (DER) are objects of the case.
	for h in $(jq -r '.data.wacz_sha256, .data.warc_sha256, .data.hops[].tls.chain[]' rec.jsonl); do
		[ -f "$(obj "$h")" ]
	done
	openssl x509 -inform der -in "$(obj "$(jq -r '.data.hops[1].tls.chain[0]' rec.jsonl)")" \
		-noout -subject | grep -q 'shop.test'
	[ "$(fx-case -C case list --type capture | wc -l)" -eq 1 ]
	fx-case -q -C case verify >/dev/null
	[[ "$stderr" == *"captured, 2 hops"* ]]
}

@test "fx-pull web: fetches every linked resource, style sheets' url()s and the 404 included" {
	make_case
	run -0 --separate-stderr web "https://www.shop.test:$GOOD/"
	b="https://www.shop.test:$GOOD"
	want=$(printf '%s\n' "$b/style.css" "$b/favicon.ico" "$b/img/hero.jpg" \
		"https://cdn.jsdelivr.net:$GOOD/npm/lib.js" "$b/img/logo.png" "$b/img/logo@2x.png" \
		"$b/img/bg.png" "$b/img/poster.jpg" "$b/media/clip.mp4" \
		"https://other.test:$GOOD/widget.html" "$b/img/missing.png" "$b/fonts/shop.woff2" | sort)
	echo "$output" >rec.jsonl
	got=$(jq -r '.data.resources[].url' rec.jsonl | sort)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); false; }
	run -0 jq -e '.data.resources_failed == 1 and
		(.data.resources[] | select(.url | endswith("/missing.png")) | .status == 404) and
		(.data.resources[] | select(.url | endswith("/lib.js")) | .class == "cdn") and
		(.data.resources[] | select(.url | endswith("/widget.html")) | .class == "third-party") and
		(.data.resources[] | select(.url | endswith("/logo.png")) | .class == "same-site") and
		(.data.reasons | map(.code) | index("resource-failed"))' <<<"$output"
	# Each resource's hash is of the bytes the server holds.
	[ "$(jq -r '.data.resources[] | select(.url | endswith("/img/bg.png")) | .sha256' rec.jsonl)" = \
		"$(sha256sum <"$WEB/root/www.shop.test/img/bg.png" | cut -d' ' -f1)" ]
}

@test "fx-pull web: the WARC reads back with warcio, every block and payload digest right" {
	need_node
	make_case
	run -0 --separate-stderr web "https://shop.test:$GOOD/"
	node "$FX_ROOT/tests/warc/check.mjs" "$(obj "$(jq -r .data.warc_sha256 <<<"$output")")" >recs.jsonl
	run -0 jq -s -e 'length > 40 and all(.[]; .version == "WARC/1.1" and .block_ok) and
		all(.[] | select(.type == "response"); .payload_ok and .ip == "127.0.0.1") and
		(map(.type) | unique) == ["metadata", "request", "resource", "response", "warcinfo"] and
		(map(select(.type == "response")) | length) == 14 and
		(map(select(.type == "metadata" and .json.tls.chain_der)) | length) == 14 and
		(map(.id) | all(test("^<urn:uuid:[0-9a-f-]{36}>$"))) and
		(map(select(.type == "response" and .status == 404)) | length) == 1' recs.jsonl
	# The request heads are those libcurl sent.
	run -0 jq -s -e 'map(select(.type == "request")) | length == 14' recs.jsonl
}

@test "fx-pull web: the WACZ holds the WARC, index, pages and a datapackage whose hashes match" {
	make_case
	run -0 --separate-stderr web "https://shop.test:$GOOD/"
	cp "$(obj "$(jq -r .data.wacz_sha256 <<<"$output")")" cap.wacz
	mkdir x && (cd x && unzip -q ../cap.wacz)
	[ -f x/archive/data.warc.gz ] && [ -f x/pages/pages.jsonl ] && [ -f x/indexes/index.cdx ]
	[ "$(sha256sum <x/archive/data.warc.gz | cut -d' ' -f1)" = "$(jq -r .data.warc_sha256 <<<"$output")" ]
	jq -r '.resources[] | (.hash | sub("^sha256:"; "")) + "  x/" + .path' x/datapackage.json | sha256sum -c --quiet
	[ "$(jq -r .wacz_version x/datapackage.json)" = 1.1.1 ]
	[ "$(jq -r .hash x/datapackage-digest.json)" = "sha256:$(sha256sum <x/datapackage.json | cut -d' ' -f1)" ]
	[ "$(sed -n 2p x/pages/pages.jsonl | jq -r .url)" = "https://shop.test:$GOOD/" ]
	grep -q '^test,shop:'"$GOOD"')/style.css ' x/indexes/index.cdx
}

@test "fx-pull web: a form posting to another domain makes the verdict suspicious" {
	make_case
	run -0 --separate-stderr web "https://www.shop.test:$GOOD/"
	run -0 jq -e '.data.verdict == "suspicious" and
		(.data.reasons[] | select(.code == "form-cross-domain") | .severity == "suspicious" and (.text | test("tracker.test"))) and
		(.data.forms[0] | .cross_domain and .password and .method == "post" and .host == "tracker.test") and
		(.data.reasons[] | select(.code == "hsts") | .severity == "info") and
		(.data.reasons[] | select(.code == "private-address") | .severity == "caution") and
		(.data.reasons[] | select(.code == "certificate-new")) and
		.data.domain.registrable == "shop.test"' <<<"$output"
}

@test "fx-pull web: a look-alike domain (punycode, mixed scripts, confusable) is flagged" {
	make_case
	run -0 --separate-stderr web "https://$LOOK:$GOOD/"
	run -0 jq -e '.data.verdict == "suspicious" and .data.domain.punycode and
		.data.domain.mixed_scripts and .data.domain.confusable and
		.data.domain.skeleton == "shop.test" and .data.domain.unicode == "sh\u043ep.test" and
		.data.domain.scripts == "Latin,Cyrillic" and
		(.data.reasons | map(.code) | contains(["punycode", "mixed-scripts", "confusable"]))' <<<"$output"
}

@test "fx-pull web: an expired certificate is captured and judged untrusted" {
	make_case
	run -0 --separate-stderr web "https://expired.test:$EXPIRED/"
	run -0 jq -e '.data.complete and .data.verdict == "suspicious" and
		(.data.hops[0].tls | .verified == false and .verify_result == "certificate has expired" and .host_match) and
		(.data.reasons[] | select(.code == "certificate-untrusted") | .text | test("expired"))' <<<"$output"
}

@test "fx-pull web: a certificate not chained to the trust store is untrusted" {
	make_case
	# The system trust store does not know the test CA.
	run -0 --separate-stderr fx-pull -C case web --no-screenshot $RESOLVE "https://www.shop.test:$GOOD/change.html"
	run -0 jq -e '.data.hops[0].tls.verified == false and
		(.data.reasons | map(.code) | index("certificate-untrusted"))' <<<"$output"
}

@test "fx-pull web: a plain HTTP page is captured and judged as fetched without TLS" {
	make_case
	mkdir -p "$WEB/root/plain.test"
	echo '<html><body><img src="a.png"></body></html>' >"$WEB/root/plain.test/index.html"
	run -0 --separate-stderr web "http://plain.test:$PLAIN/"
	run -0 jq -e '.data.complete and .data.verdict == "caution" and (.data.hops[0] | has("tls") | not) and
		(.data.reasons | map(.code) | index("plain-http")) and .data.resources[0].status == 404' <<<"$output"
	# An HTTPS page that sends its visitor on to plain HTTP is suspicious.
	echo "http://plain.test:$PLAIN/" >"$WEB/root/www.shop.test/down.html.redirect"
	run -0 --separate-stderr web "https://www.shop.test:$GOOD/down.html"
	rm "$WEB/root/www.shop.test/down.html.redirect"
	run -0 jq -e '.data.verdict == "suspicious" and
		(.data.reasons[] | select(.code == "redirect-downgrade") | .severity == "suspicious")' <<<"$output"
}

@test "fx-pull web: --verify confirms a page with the captured bytes (exit 0)" {
	make_case
	run -0 --separate-stderr web "https://www.shop.test:$GOOD/change.html"
	id=$(jq -r .id <<<"$output")
	cp "$(obj "$(jq -r .data.wacz_sha256 <<<"$output")")" cap.wacz
	# A saved file, against the WACZ file.
	run -0 --separate-stderr fx-pull web --verify cap.wacz "$WEB/root/www.shop.test/change.html"
	run -0 jq -e '.type == "comparison" and .data.result == "identical" and
		.data.offered_kind == "file" and .data.captured_sha256 == .data.offered_sha256' <<<"$output"
	[[ "$stderr" == *"the capture confirms it"* ]]
	# The live URL, against the capture named by its record id in the case.
	# shellcheck disable=SC2086
	run -0 --separate-stderr fx-pull -C case web --verify "${id:0:12}" --ca-file "$WEB/ca.pem" \
		$RESOLVE "https://www.shop.test:$GOOD/change.html"
	[ "$(jq -r .data.result <<<"$output")" = identical ]
	# With a case, the comparison and the page offered are kept in it.
	[ "$(fx-case -C case list --type comparison | jq -r .data.result)" = identical ]
	[ -f "$(obj "$(jq -r .data.offered_sha256 <<<"$output")")" ]
	fx-case -q -C case verify >/dev/null
}

@test "fx-pull web: --verify tells a page changed since the capture: text and resources with hashes (exit 1)" {
	make_case
	run -0 --separate-stderr web "https://www.shop.test:$GOOD/change.html"
	wacz=$(obj "$(jq -r .data.wacz_sha256 <<<"$output")")
	logo=$(sha256sum <"$WEB/root/www.shop.test/img/logo.png" | cut -d' ' -f1)
	page=$WEB/root/www.shop.test/change.html
	cp "$page" page.orig
	cp "$WEB/root/www.shop.test/img/hero.jpg" hero.orig
	printf '<html><body><h1>Order 1</h1><p>Total: 900 EUR</p><img src="img/hero.jpg"><img src="img/bg.png"></body></html>\n' >"$page"
	head -c 500 /dev/urandom >"$WEB/root/www.shop.test/img/hero.jpg"
	# shellcheck disable=SC2086
	run -1 --separate-stderr fx-pull web --verify "$wacz" --ca-file "$WEB/ca.pem" $RESOLVE \
		"https://www.shop.test:$GOOD/change.html"
	cp page.orig "$page"
	cp hero.orig "$WEB/root/www.shop.test/img/hero.jpg"
	b="https://www.shop.test:$GOOD"
	run -0 jq -e --arg b "$b" --arg logo "$logo" '.data.result == "different" and .data.text_changed and
		.data.text_removed == ["Total: 100 EUR"] and .data.text_added == ["Total: 900 EUR"] and
		.data.resources_added[0].url == "\($b)/img/bg.png" and (.data.resources_added[0].offered_sha256 | length) == 64 and
		.data.resources_removed == [{"url": "\($b)/img/logo.png", "captured_sha256": $logo}] and
		(.data.resources_changed[0] | .url == "\($b)/img/hero.jpg" and .captured_sha256 != .offered_sha256)' <<<"$output"
	[[ "$stderr" == *"differs from the capture"* ]]
}

@test "fx-pull web: a 2 MiB page with 200 resources is captured whole" {
	make_case
	[ "$(stat -c %s "$WEB/root/www.shop.test/many.html")" -ge $((2 << 20)) ]
	run -0 --separate-stderr web "https://www.shop.test:$GOOD/many.html"
	run -0 jq -e '.data.complete and .data.resource_count == 200 and .data.resources_failed == 0 and
		.data.hops[0].size >= 2097152' <<<"$output"
	fx-case -q -C case verify >/dev/null
}

@test "fx-pull web: resources over --max-resources are left out, said, and the capture marked incomplete" {
	make_case
	run -1 --separate-stderr web --max-resources 5 "https://www.shop.test:$GOOD/many.html"
	[[ "$stderr" == *"195 more resources were not fetched: over --max-resources 5"* ]]
	run -0 jq -e '.data.complete == false and .data.resource_count == 5' <<<"$output"
}

@test "fx-pull web: without --resolve the DNS answers are the system resolver's" {
	make_case
	mkdir -p "$WEB/root/localhost"
	echo '<html><body>local</body></html>' >"$WEB/root/localhost/index.html"
	run -0 --separate-stderr fx-pull -C case web --no-screenshot --ca-file "$WEB/ca.pem" "https://localhost:$GOOD/"
	run -0 jq -e '.data.hops[0].dns.source == "resolver" and (.data.hops[0].dns.answers | index("127.0.0.1")) and
		.data.hops[0].tls.host_match == false and
		(.data.reasons | map(.code) | index("certificate-host"))' <<<"$output"
}

@test "fx-pull web: an invalid URL is refused with a clear message and nothing stored" {
	make_case
	run -2 --separate-stderr web "not a url"
	assert_output ''
	[ "$stderr" = "fx-pull: error: 'not a url': not a URL" ]
	run -2 --separate-stderr web "ftp://shop.test/"
	[[ "$stderr" == *"'ftp://shop.test/': only http and https URLs can be captured"* ]]
	[ "$(fx-case -C case list --type capture | wc -l)" -eq 0 ]
}

@test "fx-pull web: an unreachable host is reported, the attempt kept and marked incomplete" {
	make_case
	run -1 --separate-stderr web "https://127.0.0.1:1/"
	[[ "$stderr" == "fx-pull: error: 'https://127.0.0.1:1/': "*"onnect"* ]]
	run -0 jq -e '.data.complete == false and .data.verdict == "failed" and
		(.data.problems[0].problem | test("onnect")) and .data.hops[0].dns.source == "literal"' <<<"$output"
	[ "$(fx-case -C case list --type capture | wc -l)" -eq 1 ]
}

@test "fx-pull web: a TLS failure is reported, the attempt kept and marked incomplete" {
	make_case
	run -1 --separate-stderr web "https://plain.test:$PLAIN/"
	[[ "$stderr" == "fx-pull: error: 'https://plain.test:$PLAIN/': TLS failure: "* ]]
	run -0 jq -e '.data.complete == false and .data.verdict == "failed" and
		(.data.hops[0].error | startswith("TLS failure"))' <<<"$output"
}

@test "fx-pull web: a body over --max-size is cut, kept and marked truncated" {
	need_node
	make_case
	run -1 --separate-stderr web --max-size 1M "https://www.shop.test:$GOOD/big.html"
	[[ "$stderr" == *"'https://www.shop.test:$GOOD/big.html': body larger than the limit of 1048576 bytes"* ]]
	echo "$output" >rec.jsonl
	run -0 jq -e '.data.complete == false and .data.hops[0].truncated and .data.hops[0].size == 1048576' rec.jsonl
	node "$FX_ROOT/tests/warc/check.mjs" "$(obj "$(jq -r .data.warc_sha256 rec.jsonl)")" >recs.jsonl
	run -0 jq -s -e 'map(select(.type == "response"))[0] | .truncated == "length" and .block_ok' recs.jsonl
}

@test "fx-pull web: a redirect loop is stopped, reported and the hops kept" {
	make_case
	run -1 --separate-stderr web "https://loop.test:$GOOD/a"
	[[ "$stderr" == *"redirect loop: 'https://loop.test:$GOOD/a' again after 2 redirects"* ]]
	run -0 jq -e '.data.complete == false and (.data.hops | length) == 2 and
		all(.data.hops[]; .status == 302) and .data.verdict == "failed"' <<<"$output"
}

@test "fx-pull web: a screenshot is taken when a headless Chromium is installed" {
	command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
		skip "no headless Chromium: the capture notes the screenshot as skipped"
	make_case
	# shellcheck disable=SC2086
	run -0 --separate-stderr fx-pull -C case web --ca-file "$WEB/ca.pem" $RESOLVE \
		"https://www.shop.test:$GOOD/change.html"
	png=$(obj "$(jq -r .data.screenshot_sha256 <<<"$output")")
	[ "$(head -c 8 "$png" | xxd -p)" = 89504e470d0a1a0a ]
}

@test "fx-pull web: without Chromium the screenshot is skipped with a note" {
	make_case
	# shellcheck disable=SC2086
	run -0 --separate-stderr env PATH="$FX_ROOT/bin:/nonexistent" "$FX_ROOT/bin/fx-pull" -C case web \
		--ca-file "$WEB/ca.pem" $RESOLVE "https://www.shop.test:$GOOD/change.html"
	[ "$(jq -r .data.screenshot <<<"$output")" = "skipped: no headless Chromium installed" ]
}

@test "fx-pull web: the WACZ is signed and timestamped by fx-sign when the examiner has a key" {
	make_case
	run -0 --separate-stderr web "https://www.shop.test:$GOOD/change.html"
	[ "$(jq -r .data.sign <<<"$output")" = "skipped: no signing key (fx-sign keygen or import)" ]
	fx-sign -q keygen --key examiner --subject "/CN=Test Examiner/O=Test Lab" >/dev/null
	with_tsa
	run -0 --separate-stderr web "https://www.shop.test:$GOOD/change.html"
	[ "$(jq -r .data.sign <<<"$output")" = "handed to fx-sign to sign and timestamp" ]
	wacz=$(jq -r .data.wacz_sha256 <<<"$output")
	run -0 fx-case -C case list --type signature
	jq -e --arg h "$wacz" 'select(.data | tostring | contains($h))' <<<"$output" >/dev/null
	run -0 fx-case -C case list --type timestamp
	jq -e --arg h "$wacz" 'select(.data | tostring | contains($h))' <<<"$output" >/dev/null
	fx-sign -q -C case verify >/dev/null
	stop_servers
}

@test "fx-pull web: usage errors exit 2" {
	run -2 --separate-stderr fx-pull web "https://shop.test/"
	[[ "$stderr" == *"web needs a case"* ]]
	make_case
	run -2 --separate-stderr fx-pull -C case web --resolve nonsense "https://shop.test/"
	[[ "$stderr" == *"--resolve 'nonsense': give HOST:PORT:ADDR"* ]]
	run -2 --separate-stderr fx-pull web --verify cap.wacz
	[[ "$stderr" == *"--verify needs a CAPTURE and one PAGE or URL"* ]]
	run -2 --separate-stderr fx-pull web --verify missing.wacz page.html
	[[ "$stderr" == "fx-pull: error: cannot open 'missing.wacz': no such file"* ]]
}
