#!/usr/bin/env bats
# tests/fx-pair.bats - fx-pair listen and agent on 127.0.0.1, fx-auth
# consent, fx-pull device and adb; every security property its own test.
load test_helper

# A phone's tree: SMS and contacts databases, downloads, chat media, a screenshot.
make_phone() {
	local d=phone/data/data p=phone/data/media/0
	mkdir -p "$d/com.android.providers.telephony/databases" \
		"$d/com.android.providers.contacts/databases" "$p/Download" \
		"$p/WhatsApp/Media" "$p/Pictures/Screenshots"
	cp "$ANDROID/plaso/data/data/com.android.providers.telephony/databases/mmssms.db" \
		"$d/com.android.providers.telephony/databases/"
	cp "$ANDROID/plaso/data/data/com.android.providers.contacts/databases/contacts2.db" \
		"$d/com.android.providers.contacts/databases/"
	head -c 300000 /dev/urandom >"$p/Download/report.pdf"
	echo "chat one" >"$p/WhatsApp/Media/one.txt"
	echo "chat two" >"$p/WhatsApp/Media/two.txt"
	echo "png" >"$p/Pictures/Screenshots/Screenshot_1.png"
}

# Starts fx-pair listen for ./case on a free port of 127.0.0.1.
start_listen() {
	make_case
	fx-pair -C case listen --bind 127.0.0.1:0 "$@" >listen.out 2>listen.err 3>&- &
	LISTEN_PID=$!
	for _ in $(seq 100); do
		[ -S case/pair/control.sock ] && [ -s case/pair/pairing.uri ] && return 0
		sleep 0.05
	done
	cat listen.err
	return 1
}

# Waits until the session reports a connected agent (or its absence with "false").
wait_connected() {
	local want=${1:-true}
	for _ in $(seq 100); do
		fx-pair -C case status 2>/dev/null | grep -q "\"connected\":$want" && return 0
		sleep 0.05
	done
	return 1
}

# Starts an agent on ./phone with the consent file ./consent.txt.
start_agent() {
	fx-pair agent --uri "$(cat case/pair/pairing.uri)" --share phone \
		--consent-file consent.txt --model "Pixel 7" --serial ABC123 "$@" \
		>agent.out 2>agent.err 3>&- &
	AGENT_PID=$!
	wait_connected true || { cat agent.err listen.err; return 1; }
}

teardown() {
	[ -n "${AGENT_PID:-}" ] && kill "$AGENT_PID" 2>/dev/null
	[ -n "${LISTEN_PID:-}" ] && kill "$LISTEN_PID" 2>/dev/null
	tmux kill-session -t "fxpair$$" 2>/dev/null
	wait 2>/dev/null
	# Both ends left cleanly: no sanitizer report (make check SANITIZE=1).
	if grep -l 'Sanitizer\|runtime error' listen.err agent.err 2>/dev/null; then
		cat listen.err agent.err
		return 1
	fi
	true
}

@test "fx-pair: pairs over TLS and records the device and the pairing" {
	make_phone
	start_listen
	printf 'sms yes\n' >consent.txt
	start_agent
	run --separate-stderr fx-pair -C case status
	assert_success
	[[ "$output" == *'"device":"serial:ABC123"'* ]]
	[[ "$output" == *'"paired":true'* ]]
	run fx-case -C case list --type pairing
	[[ "$output" == *'"fingerprint":"'* ]]
	[[ "$output" == *'"model":"Pixel 7"'* ]]
	run fx-case -C case list --type device
	[[ "$output" == *'"key":"serial:ABC123"'* ]]
	grep -q '^fxpair://127.0.0.1:[0-9]*/?v=1&fp=[0-9a-f]\{64\}&t=[0-9a-f]\{32\}&exp=[0-9]*&case=2026-113$' \
		case/pair/pairing.uri
	[ "$(stat -c %a case/pair/control.sock)" = 600 ]
}

@test "fx-pair: the agent decodes the pairing code from an image" {
	make_phone
	start_listen --png code.png
	printf 'sms yes\n' >consent.txt
	fx-pair agent --qr code.png --share phone --consent-file consent.txt --serial QR1 \
		>agent.out 2>agent.err 3>&- &
	AGENT_PID=$!
	wait_connected true
	run fx-pair -C case status
	[[ "$output" == *'"device":"serial:QR1"'* ]]
}

@test "fx-pair: a wrong certificate fingerprint (a man in the middle) is refused" {
	make_phone
	start_listen
	printf 'sms yes\n' >consent.txt
	uri=$(sed 's/fp=[0-9a-f]*/fp=0000000000000000000000000000000000000000000000000000000000000000/' \
		case/pair/pairing.uri)
	run -1 --separate-stderr fx-pair agent --uri "$uri" --share phone --consent-file consent.txt
	[[ "$stderr" == *"is not the one in the pairing code"* ]]
	run fx-pair -C case status
	[[ "$output" == *'"paired":false'* ]]
}

@test "fx-pair: a reused token is refused" {
	make_phone
	start_listen
	printf 'sms yes\n' >consent.txt
	old=$(cat case/pair/pairing.uri)
	start_agent
	kill "$AGENT_PID"; wait "$AGENT_PID" || true; AGENT_PID=
	wait_connected false
	run -1 --separate-stderr fx-pair agent --uri "$old" --share phone --consent-file consent.txt
	[[ "$stderr" == *"refused the pairing: token already used"* ]] || { echo "$stderr"; cat listen.err; false; }
}

@test "fx-pair: an expired token is refused" {
	make_phone
	start_listen --ttl 1
	printf 'sms yes\n' >consent.txt
	sleep 1.2
	run -1 --separate-stderr fx-pair agent --uri "$(cat case/pair/pairing.uri)" --share phone \
		--consent-file consent.txt
	[[ "$stderr" == *"refused the pairing: token expired"* ]]
}

@test "fx-pair: a second device cannot join a paired session" {
	make_phone
	start_listen
	printf 'sms yes\n' >consent.txt
	start_agent
	run -1 --separate-stderr fx-pair agent --uri "$(cat case/pair/pairing.uri)" --share phone \
		--consent-file consent.txt --serial OTHER
	[[ "$stderr" == *"a device is already paired with this session"* ]]
	run fx-pair -C case status
	[[ "$output" == *'"device":"serial:ABC123"'* ]]
}

@test "fx-auth: the holder confirms a passive category on the agent's terminal (y/N)" {
	make_phone
	start_listen
	tmux new-session -d -s "fxpair$$" -x 200 -y 50 \
		"fx-pair agent --uri '$(cat case/pair/pairing.uri)' --share phone --serial TTY1; sleep 30"
	wait_connected true
	fx-auth -C case request --type sms >auth.out 2>auth.err 3>&- &
	auth=$!
	for _ in $(seq 100); do
		tmux capture-pane -p -t "fxpair$$" | grep -q 'Share your SMS and MMS' && break
		sleep 0.05
	done
	tmux send-keys -t "fxpair$$" y Enter
	wait "$auth"
	grep -q '"type":"consent"' auth.out
	grep -q '"state":"granted"' auth.out
	run fx-auth -C case list
	[[ "$output" == *'"category":"sms"'* ]]
	run fx-case -C case log
	[[ "$output" == *'"action":"consent"'* ]]
}

@test "fx-auth: a refused passive category is recorded and exits 1" {
	make_phone
	start_listen
	printf 'sms no\n' >consent.txt
	start_agent
	run -1 --separate-stderr fx-auth -C case request --type sms
	[[ "$output" == *'"state":"refused"'* ]]
	run fx-auth -C case list
	assert_output ''
}

@test "fx-auth: active consent by the code's image, then a subset of the chat is pulled" {
	make_phone
	start_listen
	printf 'chat qr consent.png\nselect chat *one.txt\n' >consent.txt
	start_agent
	run --separate-stderr fx-auth -C case request --type chat --png consent.png
	assert_success
	[[ "$output" == *'"method":"code"'* ]]
	run --separate-stderr fx-pull -C case device --type chat
	assert_success
	[[ "$output" == *'WhatsApp/Media/one.txt'* ]]
	[[ "$output" != *'two.txt'* ]]
}

@test "fx-auth: a forged consent code is refused" {
	make_phone
	start_listen
	fx-pair -q qr --png forged.png \
		"fxconsent:?v=1&type=chat&case=2026-113&n=00000000000000000000000000000000&mac=$(printf '%064d' 0)"
	printf 'chat qr forged.png\nfiles code 12345678\n' >consent.txt
	start_agent
	run -1 --separate-stderr fx-auth -C case request --type chat
	[[ "$stderr" == *"forged consent code"* ]]
	run -1 --separate-stderr fx-auth -C case request --type files
	[[ "$stderr" == *"wrong or forged consent code"* ]]
	run fx-auth -C case list
	assert_output ''
}

@test "fx-auth: revoke, and fx-case reset --type, mean consent must be asked again" {
	make_phone
	start_listen
	printf 'sms yes\ncontacts yes\n' >consent.txt
	start_agent
	fx-auth -q -C case request --type sms,contacts >/dev/null
	run fx-auth -C case list
	[ "${#lines[@]}" -eq 2 ]
	fx-auth -q -C case revoke --type contacts >/dev/null
	run fx-auth -C case list
	[ "${#lines[@]}" -eq 1 ]
	fx-case -q -C case reset --type sms >/dev/null
	run fx-auth -C case list
	assert_output ''
	run -2 --separate-stderr fx-pull -C case device --type sms
	[[ "$stderr" == *"no consent in effect"* ]]
}

@test "fx-pull: device acquires consented SMS, hashed on arrival, parsed like android" {
	make_phone
	start_listen
	printf 'sms yes\n' >consent.txt
	start_agent
	fx-auth -q -C case request --type sms >/dev/null
	run --separate-stderr fx-pull -C case device --type sms
	assert_success
	want=$(sha256sum phone/data/data/com.android.providers.telephony/databases/mmssms.db | cut -c1-64)
	[[ "$output" == *"\"sha256\":\"$want\""* ]]
	[[ "$output" == *'"type":"sms"'* ]]
	[[ "$output" == *'"device":"serial:ABC123"'* ]]
	[[ "$stderr" == *"sha256 $want"* ]]
	[ ! -e case/incoming/device ]
	run fx-case -C case verify
	assert_success
}

@test "fx-pull: device refuses a category without consent, before asking the device" {
	make_phone
	start_listen
	printf 'sms yes\ncalls yes\n' >consent.txt
	start_agent
	run -2 --separate-stderr fx-pull -C case device --type calls
	[[ "$stderr" == *"'calls': no consent in effect"* ]]
	! grep -q 'items of' agent.err
}

@test "fx-pair: the agent refuses a request for an unconsented category" {
	make_phone
	FX_PAIR_UNSAFE_TEST=nocheck start_listen
	printf 'calls yes\n' >consent.txt
	start_agent
	run -1 --separate-stderr env FX_PAIR_UNSAFE_TEST=nocheck fx-pull -C case device --type calls
	[[ "$stderr" == *"category not consented by the holder"* ]]
	grep -q 'refused: calls: category not consented' agent.err
	run fx-case -C case list --type file
	assert_output ''
}

@test "fx-pair: the workstation refuses items of a category it did not request" {
	make_phone
	start_listen
	printf 'sms yes\n' >consent.txt
	FX_PAIR_UNSAFE_TEST=rogue start_agent
	fx-auth -q -C case request --type sms >/dev/null
	run -1 --separate-stderr fx-pull -C case device --type sms
	[[ "$stderr" == *"refused 'data/media/0/Download/report.pdf' from the device: not of the category requested"* ]]
	[[ "$stderr" == *"contacts2.db' from the device: not of the category requested"* ]]
	run fx-case -C case list --type file
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *mmssms.db* ]]
}

@test "fx-pair: the agent cannot be made to read outside ROOT" {
	make_phone
	echo secret >outside.txt
	ln -s ../../../../outside.txt phone/data/media/0/Download/link.txt
	ln -s "$PWD" phone/data/media/0/Download/up
	for bad in ../outside.txt "$PWD/outside.txt" data/media/0/Download/link.txt \
		data/media/0/Download/up/outside.txt data/media/0/Download/../../../../../outside.txt; do
		rm -rf case; LISTEN_PID=
		FX_PAIR_UNSAFE_TEST="nocheck ask=$bad" start_listen
		printf 'sms yes\n' >consent.txt
		FX_PAIR_UNSAFE_TEST=rogue start_agent
		run --separate-stderr env FX_PAIR_UNSAFE_TEST=nocheck fx-pull -C case device --type sms
		[[ "$stderr" == *"refused '$bad' from the device"* ]]
		! grep -rq secret case/objects
		kill "$AGENT_PID" "$LISTEN_PID"; wait "$AGENT_PID" "$LISTEN_PID" || true
		AGENT_PID= LISTEN_PID=
	done
}

@test "fx-pair: malformed and oversized frames are refused without crashing either end" {
	make_phone
	start_listen
	printf 'sms yes\n' >consent.txt
	port=$(sed 's|fxpair://127.0.0.1:\([0-9]*\)/.*|\1|' case/pair/pairing.uri)
	python3 - "$port" case/pair/control.sock <<'PY'
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
for payload in (b'\x7f\xff\xff\xff', b'\x00\x00\x00\x05[1,2]', b'\x00\x00\x00\x00', b'\xff\xff\xff\xff'):
    s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1]))))
    s.sendall(payload); s.settimeout(5)
    try: s.recv(100)
    except Exception: pass
    s.close()
    u = socket.socket(socket.AF_UNIX); u.connect(sys.argv[2]); u.sendall(payload); u.settimeout(5)
    try: u.recv(100)
    except Exception: pass
    u.close()
PY
	grep -q 'frame too large' listen.err
	grep -q 'not a JSON object' listen.err
	kill -0 "$LISTEN_PID"
	# The session still pairs a real agent afterwards.
	start_agent
	# And an agent given garbage by a fake workstation ends with an error, not a crash.
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=x \
		-keyout k.pem -out c.pem -days 1 2>/dev/null
	fp=$(openssl x509 -in c.pem -outform DER | sha256sum | cut -c1-64)
	python3 - >fake.port <<'PY' &
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain('c.pem', 'k.pem')
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1)
print(l.getsockname()[1], flush=True)
c, _ = l.accept(); s = ctx.wrap_socket(c, server_side=True)
s.recv(4096); s.sendall(b'\x7f\xff\xff\xff' + b'x' * 100)
try: s.recv(10)
except Exception: pass
PY
	fake=$!
	for _ in $(seq 100); do [ -s fake.port ] && break; sleep 0.05; done
	run -1 --separate-stderr fx-pair agent --share phone --consent-file consent.txt --uri \
		"fxpair://127.0.0.1:$(cat fake.port)/?v=1&fp=$fp&t=00000000000000000000000000000000&exp=9999999999&case=2026-113"
	[[ "$stderr" == *"frame too large"* ]]
	wait "$fake" || true
}

@test "fx-pair: a transfer cut mid-file resumes and ends with identical hashes" {
	make_phone
	start_listen
	printf 'files qr c.png\n' >consent.txt
	FX_PAIR_UNSAFE_TEST=cut=100000 start_agent
	fx-auth -q -C case request --type files --png c.png >/dev/null
	run --separate-stderr fx-pull -C case device --type files
	assert_success
	grep -q 'cutting the connection mid-file' agent.err
	grep -q "transfer of 'data/media/0/Download/report.pdf' cut" listen.err
	want=$(sha256sum phone/data/media/0/Download/report.pdf | cut -c1-64)
	[[ "$stderr" == *"received 'data/media/0/Download/report.pdf' (300000 bytes, sha256 $want), resumed at "* ]]
	[[ "$output" == *"\"sha256\":\"$want\""* ]]
	[ "$(sha256sum <"case/objects/${want:0:2}/${want:2}" | cut -c1-64)" = "$want" ]
}

# Exactly one record of $output matches the filter $1, and it satisfies $2.
one() {
	jq -e -s "[.[] | select($1)] | length == 1 and (.[0] | $2)" <<<"$output" >/dev/null ||
		fail "no single record with $1 and $2"
}

@test "fx-pull: adb acquires a recorded phone: properties, SMS, calls, contacts, apps, storage" {
	make_case
	export FAKE_ADB_LOG=$PWD/adb.log
	run --separate-stderr env PATH="$FIXTURES/adb:$PATH" fx-pull -C case adb
	assert_success
	[ "$(jq -r 'select(.type == "device") | .data.model' <<<"$output")" = "Pixel 7" ]
	[ "$(jq -c 'select(.type == "sms")' <<<"$output" | wc -l)" -eq 3 ]
	# A body with commas and a newline stays whole.
	one '.type == "sms" and .src.rowid == 3' '.data.body ==
		"Please pay 500 CHF, today, to the account below:\nCH93 0076 2011 6238 5295 7"'
	one '.type == "sms" and .src.rowid == 3' \
		'.time == "2021-04-08T09:14:07.692Z" and .device == "serial:28011FDH2000KX"'
	one '.type == "call" and .src.rowid == 2' \
		'.data.direction == "missed" and .data.name == "Unknown, caller"'
	one '.type == "contact" and .src.rowid == 8' '.data.name == "Bank, Zurich branch"'
	[ "$(jq -c 'select(.type == "app")' <<<"$output" | wc -l)" -eq 3 ]
	one '.type == "file" and .data.path == "Download/receipt.txt"' '.data.size == 28'
	# Every output was hashed on arrival: the objects are what adb printed.
	want=$(sha256sum <"$FIXTURES/adb/phone/sms.txt" | cut -c1-64)
	one '.type == "file" and .data.path == "adb/content://sms"' ".data.sha256 == \"$want\""
	grep -q '^28011FDH2000KX shell content query --uri content://sms' adb.log
	run fx-case -C case verify
	assert_success
}

@test "fx-pull: adb names a phone that is not attached, and exits 1 with the rest kept" {
	make_case
	run --separate-stderr env PATH="$FIXTURES/adb:$PATH" fx-pull -C case adb --serial NOPE
	assert_failure 1
	[[ "$stderr" == *"adb getprop: exit status 1"* ]]
}
