#!/usr/bin/env bash
# make bench: fx against the standard tool on the same input, in the same
# run. Prints throughput, the ratio to the standard tool, and peak RSS.
#   BENCH_RECORDS  records for fx-case add (default 1000000)
#   BENCH_TAR_MB   size of the tar for the walker (default 1024)
#   BENCH_SIGN_MB  size of the evidence file fx-sign signs (default 1024)
#   BENCH_ENTRIES  custody entries for the checkpoint and proofs (default 1000000)
#   BENCH_SHM      where that log is built (default /dev/shm)
#   BENCH_PAIR_MB  files moved by fx-pair (default 1024)
#   BENCH_CARVE_MB size of the database for fx-carve (default 1024)
#   BENCH_TMP      where the inputs are made (default: a folder in /tmp)
#   BENCH_REPORT_RECORDS  records in the case fx-report renders (default 100000)
#   BENCH_BAG_MB   size of the case fx-export seals (default 2048)
#   BENCH_ONLY     the sections to run, of: add walker android carve sign report bag link web pair ocr (default all)
#   BENCH_OCR_IMAGES  generated About pages for fx-ocr device (default 240)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/bin
BENCH_DIR=${BENCH_DIR:-build/rel/bench}
RECORDS=${BENCH_RECORDS:-1000000}
TAR_MB=${BENCH_TAR_MB:-1024}
TMP=$(mktemp -d "${BENCH_TMP:-/tmp}/fx-bench.XXXXXX")
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
export FX_EXAMINER=bench
export FX_DATADIR=${FX_DATADIR:-$ROOT/share}

# measure NAME CMD...: best wall time of $RUNS runs; sets WALL, RSS_MB, CPU.
measure() {
	local name=$1 best="" w m p
	shift
	for _ in $(seq "${RUNS:-3}"); do
		[ -n "${BEFORE:-}" ] && eval "$BEFORE"
		# Each run starts with no earlier run's writes still going to disk.
		sync
		/usr/bin/time -o "$TMP/time" -f '%e %M %P' "$@" >/dev/null 2>"$TMP/err" ||
			{ echo "bench: $name failed:"; cat "$TMP/err"; exit 1; }
		read -r w m p <"$TMP/time"
		if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$w; RSS_MB=$(awk -v k="$m" 'BEGIN { printf "%.1f", k / 1024 }'); CPU=$p
		fi
	done
	WALL=$best
}

# want SECTION: whether BENCH_ONLY asks for it.
want() { [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $1 "* ]]; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
# mb SECONDS: MB/s of $bytes in that time.
mb() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }

echo "fx bench on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo

# ---- fx-ocr device (defined here, run last) ----
# Generated About pages (half screenshots, half photographed), read by
# fx-ocr device pinned to one core and by the plain tesseract CLI plus a
# regular expression per field, on the other core at the same time; the
# per-image times are CPU seconds (user + system), which other work on
# the machine does not inflate.
ocr_bench() {
	local n=${BENCH_OCR_IMAGES:-240} dir=$TMP/ocr fx_cpu base_cpu fx_wall base_wall
	echo "== fx-ocr device: $n generated About pages, clean and photographed (goals: IMEI >= 98 % and no wrong IMEI, every field >= 95 %, <= 1.5 s per image on one core)"
	scripts/make-ocr-fixtures.py about --seed 1 --count "$n" "$dir"
	mkdir -p "$dir/text"
	export OMP_THREAD_LIMIT=1
	/usr/bin/time -o "$TMP/time.fx" -f '%e %U %S %M' taskset -c 0 \
		"$BIN/fx-ocr" -q device "$dir"/about-*.* >"$dir/fx.jsonl" 2>"$dir/fx.err" &
	local pid=$!
	/usr/bin/time -o "$TMP/time.base" -f '%e %U %S %M' taskset -c 1 sh -c '
		for f in "$1"/about-*.*; do
			b=${f##*/}
			tesseract "$f" "$1/text/$b" -l eng+chi_sim >/dev/null 2>&1 || exit 1
		done' sh "$dir"
	wait "$pid" || true
	scripts/ocr-bench.py baseline "$dir/text" >"$dir/base.jsonl"
	scripts/ocr-bench.py score "$dir/truth.jsonl" "$dir/fx.jsonl" "$dir/base.jsonl"
	# The last line: time puts "Command exited with non-zero status" before it.
	read -r fx_wall fx_cpu fx_sys fx_rss < <(tail -n 1 "$TMP/time.fx")
	read -r base_wall base_cpu base_sys base_rss < <(tail -n 1 "$TMP/time.base")
	printf '  fx-ocr device        %6.3f s CPU per image  (%.0f s wall for %s, peak RSS %s MiB)\n' \
		"$(awk -v u="$fx_cpu" -v s="$fx_sys" -v n="$n" 'BEGIN { print (u + s) / n }')" \
		"$fx_wall" "$n" "$(awk -v k="$fx_rss" 'BEGIN { printf "%.0f", k / 1024 }')"
	printf '  tesseract + regex    %6.3f s CPU per image  (%.0f s wall, a process per image)\n' \
		"$(awk -v u="$base_cpu" -v s="$base_sys" -v n="$n" 'BEGIN { print (u + s) / n }')" \
		"$base_wall"
	rm -rf "$dir"
}

# ---- fx-case add ----
if want add; then
echo "== fx-case add: $RECORDS synthetic records (goal >= 100000 records/s, RSS < 64 MiB)"
awk -v n="$RECORDS" 'BEGIN { for (i = 1; i <= n; i++)
	printf "{\"v\":1,\"type\":\"note\",\"case\":\"bench\",\"tool\":\"bench\",\"device\":\"imei:35693803564380%d\",\"time\":\"2021-04-08T09:%02d:%02d.%03dZ\",\"data\":{\"text\":\"message %d from +8613800%06d about the transfer of %d yuan\"}}\n",
		i % 10, (i / 60) % 60, i % 60, i % 1000, i, i, i * 7 % 100000 }' >"$TMP/records.jsonl"
RUNS=1 BEFORE="rm -rf '$TMP/case'; '$BIN/fx-case' -q -C '$TMP/case' init bench >/dev/null" \
	measure add "$BIN/fx-case" -q -C "$TMP/case" add "$TMP/records.jsonl"
add_wall=$WALL add_rss=$RSS_MB add_cpu=$CPU
RUNS=1 BEFORE="rm -f '$TMP/plain.db'" measure sqlite3 sqlite3 "$TMP/plain.db" \
	"CREATE TABLE t(line TEXT)" ".mode ascii" '.separator "\037" "\n"' ".import '$TMP/records.jsonl' t"
printf '  fx-case add          %8.2f s  %9s records/s  peak RSS %6s MiB  CPU %s\n' \
	"$add_wall" "$(rate "$RECORDS" "$add_wall")" "$add_rss" "$add_cpu"
printf '  sqlite3 .import      %8.2f s  %9s lines/s    peak RSS %6s MiB  (raw lines, no parsing, ids or index)\n' \
	"$WALL" "$(rate "$RECORDS" "$WALL")" "$RSS_MB"
printf '  fx-case add / sqlite3 .import time: %sx\n' "$(ratio "$add_wall" "$WALL")"
rm -rf "$TMP/case" "$TMP/plain.db" "$TMP/records.jsonl"
echo
fi

# ---- walker ----
if want walker; then
echo "== walker: every member of a ${TAR_MB} MiB tar (hash goal >= 0.9x openssl, store goal >= 0.6x, RSS < 64 MiB)"
mkdir -p "$TMP/tree"
files=$(( TAR_MB / 5 ))
for i in $(seq "$files"); do
	head -c $(( 5 * 1024 * 1024 - i * 97 )) /dev/urandom >"$TMP/tree/f$i.bin"
done
tar -C "$TMP" -cf "$TMP/ev.tar" tree
rm -rf "$TMP/tree"
bytes=$(stat -c %s "$TMP/ev.tar")

measure openssl openssl dgst -sha256 "$TMP/ev.tar"
ossl=$WALL
printf '  openssl dgst -sha256 %8.2f s  %6s MB/s  peak RSS %6s MiB\n' "$WALL" "$(mb "$WALL")" "$RSS_MB"
measure walk-hash "$BENCH_DIR/walk-hash" "$TMP/ev.tar"
printf '  fx walk + sha256     %8.2f s  %6s MB/s  peak RSS %6s MiB  %sx openssl\n' \
	"$WALL" "$(mb "$WALL")" "$RSS_MB" "$(ratio "$ossl" "$WALL")"
RUNS=2 BEFORE="chmod -R u+w '$TMP/case' 2>/dev/null || true; rm -rf '$TMP/case'; '$BIN/fx-case' -q -C '$TMP/case' init bench >/dev/null" \
	measure store "$BIN/fx-pull" -q -C "$TMP/case" files "$TMP/ev.tar"
printf '  fx-pull files (store)%8.2f s  %6s MB/s  peak RSS %6s MiB  %sx openssl  CPU %s\n' \
	"$WALL" "$(mb "$WALL")" "$RSS_MB" "$(ratio "$ossl" "$WALL")" "$CPU"
measure tar-x bash -c "rm -rf '$TMP/x' && mkdir '$TMP/x' && tar -C '$TMP/x' -xf '$TMP/ev.tar' && find '$TMP/x' -type f -exec sha256sum {} + >/dev/null"
printf '  tar -x + sha256sum   %8.2f s  %6s MB/s  peak RSS %6s MiB  (the by-hand way)\n' \
	"$WALL" "$(mb "$WALL")" "$RSS_MB"
rm -rf "$TMP/ev.tar" "$TMP/x" "$TMP/case"
echo
fi

# ---- fx-pull android ----
if want android; then
ANDROID_MB=${BENCH_ANDROID_MB:-2048}
echo "== fx-pull android: a ${ANDROID_MB} MiB extraction tar (goal <= 1.5x openssl's time, faster than tar -x + sha256sum, RSS < 100 MiB)"
tree=$TMP/phone
cp -r tests/fixtures/android-gen/a12 "$tree"
chmod -R u+w "$tree"
# A few thousand database rows: the generated messages, contacts and calls, multiplied.
sqlite3 "$tree/data/user_de/0/com.android.providers.telephony/databases/mmssms.db" \
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 3000)
	 INSERT INTO sms (thread_id, address, date, read, type, body)
	 SELECT i % 40, '+86138' || printf('%08d', i), 1617873247692 + i * 60000, 1, 1 + i % 2,
	        'message ' || i || ' 转账 ' || (i * 37 % 10000) || ' 元' FROM n"
sqlite3 "$tree/data/data/com.android.providers.contacts/databases/calllog.db" \
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 2000)
	 INSERT INTO calls (number, date, duration, type, new, is_read)
	 SELECT '+86139' || printf('%08d', i), 1617873247692 + i * 90000, i % 600, 1 + i % 3, 0, 1 FROM n"
db_only=$TMP/phone-db.tar
tar -C "$tree" -cf "$db_only" .
# Mostly media-sized files of random content (not images, so that nothing decodes them).
mkdir -p "$tree/data/media/0/Download"
for i in $(seq $(( ANDROID_MB / 8 ))); do
	head -c $(( 8 * 1024 * 1024 - i * 131 )) /dev/urandom >"$tree/data/media/0/Download/blob$i.bin"
done
tar -C "$tree" -cf "$TMP/phone.tar" .
rm -rf "$tree"
bytes=$(stat -c %s "$TMP/phone.tar")

measure openssl openssl dgst -sha256 "$TMP/phone.tar"
ossl=$WALL
printf '  openssl dgst -sha256 %8.2f s  %6s MB/s  peak RSS %6s MiB\n' "$WALL" "$(mb "$WALL")" "$RSS_MB"
RUNS=2 BEFORE="chmod -R u+w '$TMP/case' 2>/dev/null || true; rm -rf '$TMP/case'; '$BIN/fx-case' -q -C '$TMP/case' init bench >/dev/null" \
	measure android "$BIN/fx-pull" -q -C "$TMP/case" android "$TMP/phone.tar"
printf '  fx-pull android      %8.2f s  %6s MB/s  peak RSS %6s MiB  %sx openssl time  CPU %s\n' \
	"$WALL" "$(mb "$WALL")" "$RSS_MB" "$(ratio "$WALL" "$ossl")" "$CPU"
fxa=$WALL
RUNS=1 measure tar-x bash -c "rm -rf '$TMP/x' && mkdir '$TMP/x' && tar -C '$TMP/x' -xf '$TMP/phone.tar' && find '$TMP/x' -type f -exec sha256sum {} + >/dev/null"
printf '  tar -x + sha256sum   %8.2f s  %6s MB/s  peak RSS %6s MiB  (fx-pull android is %sx faster)\n' \
	"$WALL" "$(mb "$WALL")" "$RSS_MB" "$(ratio "$WALL" "$fxa")"
rm -rf "$TMP/x"
# The parse stage alone: the same databases without the media.
rm -rf "$TMP/case"; "$BIN/fx-case" -q -C "$TMP/case" init bench >/dev/null
records=$("$BIN/fx-pull" -q -C "$TMP/case" android "$db_only" | jq -r 'select(.type != "file") | .type' | wc -l)
RUNS=3 BEFORE="rm -rf '$TMP/case'; '$BIN/fx-case' -q -C '$TMP/case' init bench >/dev/null" \
	measure parse "$BIN/fx-pull" -q -C "$TMP/case" android "$db_only"
printf '  parse stage          %8.2f s  %9s records/s (%s artifact records from the databases alone)\n' \
	"$WALL" "$(rate "$records" "$WALL")" "$records"
rm -rf "$TMP/case" "$TMP/phone.tar" "$db_only"
echo
fi

# ---- fx-sign ----
if want sign; then
SIGN_MB=${BENCH_SIGN_MB:-1024}
ENTRIES=${BENCH_ENTRIES:-1000000}
export FX_HOME=$TMP/home
"$BIN/fx-sign" -q keygen --key bench >/dev/null
echo "== fx-sign: hash and sign a ${SIGN_MB} MiB evidence file (goal >= 0.95x openssl dgst -sha256)"
head -c $(( SIGN_MB * 1024 * 1024 )) /dev/urandom >"$TMP/evidence.bin"
bytes=$(stat -c %s "$TMP/evidence.bin")
measure openssl openssl dgst -sha256 "$TMP/evidence.bin"
ossl=$WALL
printf '  openssl dgst -sha256 %8.2f s  %6s MB/s  peak RSS %6s MiB\n' "$WALL" "$(mb "$WALL")" "$RSS_MB"
BEFORE="rm -f '$TMP/evidence.bin.p7s'" measure sign "$BIN/fx-sign" -q sign --role signer "$TMP/evidence.bin"
printf '  fx-sign sign         %8.2f s  %6s MB/s  peak RSS %6s MiB  %sx openssl\n' \
	"$WALL" "$(mb "$WALL")" "$RSS_MB" "$(ratio "$ossl" "$WALL")"
rm -f "$TMP/evidence.bin" "$TMP/evidence.bin.p7s"
echo

# A million single-entry changes: on tmpfs when there is one, as each
# change is a transaction the disk would make durable one at a time.
SHM=${BENCH_SHM:-/dev/shm}
[ -d "$SHM" ] && [ -w "$SHM" ] || SHM=$TMP
LOG=$(mktemp -d "$SHM/fx-bench-log.XXXXXX")
trap 'chmod -R u+w "$TMP" "$LOG" 2>/dev/null; rm -rf "$TMP" "$LOG"' EXIT
echo "== fx-sign: checkpoint and proofs on a custody log of $ENTRIES entries (goal: proofs in milliseconds)"
RUNS=1 BEFORE="rm -rf '$LOG/case'" measure log "$BENCH_DIR/custody-log" "$LOG/case" "$ENTRIES"
printf '  build the log        %8.2f s  %9s entries/s (begin + commit each, tests/bench/custody-log)\n' \
	"$WALL" "$(rate "$ENTRIES" "$WALL")"
RUNS=1 measure checkpoint "$BIN/fx-sign" -q -C "$LOG/case" checkpoint --key bench
printf '  first checkpoint     %8.2f s  peak RSS %6s MiB  (reads every leaf once, stores the block roots)\n' \
	"$WALL" "$RSS_MB"
"$BIN/fx-case" -q -C "$LOG/case" note "one more entry" >/dev/null
RUNS=1 measure checkpoint2 "$BIN/fx-sign" -q -C "$LOG/case" checkpoint --key bench
printf '  next checkpoint      %8.2f s  peak RSS %6s MiB  (from the last one'"'"'s blocks)\n' "$WALL" "$RSS_MB"
proofs=100
seq 0 $(( ENTRIES / proofs )) $(( ENTRIES - 1 )) | head -n $proofs >"$TMP/entries"
measure prove bash -c "while read -r i; do '$BIN/fx-sign' -q -C '$LOG/case' prove \"\$i\" >'$TMP/proof.json'; done <'$TMP/entries'"
printf '  fx-sign prove        %8.2f ms a proof, process start included  peak RSS %6s MiB\n' \
	"$(awk -v w="$WALL" -v n="$proofs" 'BEGIN { print w * 1000 / n }')" "$RSS_MB"
"$BIN/fx-sign" -q -C "$LOG/case" prove $(( ENTRIES / 2 )) >"$TMP/proof.json"
measure check "$BIN/fx-sign" -q verify --ca "$FX_HOME/keys/bench/cert.pem" "$TMP/proof.json"
printf '  verify one proof     %8.2f s  (%s hashes in it)\n' "$WALL" "$(jq '.hashes | length' "$TMP/proof.json")"
measure true true
printf '  (a process that does nothing: %.3f s)\n' "$WALL"
rm -rf "$LOG"
fi

# ---- fx-report ----
if want report; then
REPORT_RECORDS=${BENCH_REPORT_RECORDS:-100000}
echo "== fx-report: a case of $REPORT_RECORDS records (HTML in seconds; pages of 2000 rows)"
"$BIN/fx-case" -q -C "$TMP/case" init bench --title "bench" --party reporter=bench >/dev/null
# Messages, calls and notes over a year, from ten devices.
awk -v n="$REPORT_RECORDS" 'BEGIN { for (i = 1; i <= n; i++) {
	t = sprintf("2021-%02d-%02dT%02d:%02d:%02d.000Z", 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60)
	d = sprintf("imei:35693803564380%d", i % 10)
	if (i % 3 == 0)
		printf "{\"v\":1,\"type\":\"sms\",\"case\":\"bench\",\"tool\":\"bench\",\"device\":\"%s\",\"time\":\"%s\",\"data\":{\"address\":\"+8613800%06d\",\"body\":\"message %d about the transfer of %d yuan 转账\",\"direction\":\"in\"}}\n", d, t, i % 5000, i, i * 7 % 100000
	else if (i % 3 == 1)
		printf "{\"v\":1,\"type\":\"call\",\"case\":\"bench\",\"tool\":\"bench\",\"device\":\"%s\",\"time\":\"%s\",\"data\":{\"number\":\"+8613900%06d\",\"direction\":\"out\",\"duration\":%d}}\n", d, t, i % 3000, i % 600
	else
		printf "{\"v\":1,\"type\":\"note\",\"case\":\"bench\",\"tool\":\"bench\",\"time\":\"%s\",\"data\":{\"text\":\"note %d\"}}\n", t, i }}' |
	"$BIN/fx-case" -q -C "$TMP/case" add
RUNS=1 measure report-html "$BIN/fx-report" -q -C "$TMP/case" analysis --lang en --format html
printf '  fx-report (HTML)     %8.2f s  %9s records/s  peak RSS %6s MiB\n' \
	"$WALL" "$(rate "$REPORT_RECORDS" "$WALL")" "$RSS_MB"
RUNS=1 measure report-pdf "$BIN/fx-report" -q -C "$TMP/case" analysis --format pdf
pdf=$(ls -t "$TMP"/case/reports/analysis-zh-CN-*/report.pdf | head -1)
printf '  fx-report (HTML+PDF) %8.2f s  %9s records/s  peak RSS %6s MiB  (%s PDF pages)\n' \
	"$WALL" "$(rate "$REPORT_RECORDS" "$WALL")" "$RSS_MB" "$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')"
rm -rf "$TMP/case"
echo
fi

# ---- fx-export bag ----
if want bag; then
BAG_MB=${BENCH_BAG_MB:-2048}
echo "== fx-export bag: a ${BAG_MB} MiB case (goal <= 1.3x tar + sha256sum of the same files)"
mkdir -p "$TMP/tree"
for i in $(seq $(( BAG_MB / 8 ))); do
	head -c $(( 8 * 1024 * 1024 - i * 131 )) /dev/urandom >"$TMP/tree/f$i.bin"
done
"$BIN/fx-case" -q -C "$TMP/case" init bench >/dev/null
"$BIN/fx-pull" -q -C "$TMP/case" files "$TMP/tree" >/dev/null
rm -rf "$TMP/tree"
RUNS=2 BEFORE="rm -f '$TMP/bench.tar'" measure by-hand bash -c \
	"tar -C '$TMP/case' -cf '$TMP/bench.tar' objects && find '$TMP/case/objects' -type f -exec sha256sum {} + >/dev/null"
hand=$WALL
printf '  tar + sha256sum      %8.2f s  peak RSS %6s MiB\n' "$WALL" "$RSS_MB"
RUNS=2 BEFORE="rm -f '$TMP/bag.tar'" measure bag "$BIN/fx-export" -q -C "$TMP/case" bag --out "$TMP/bag.tar"
printf '  fx-export bag (tar)  %8.2f s  peak RSS %6s MiB  %sx tar + sha256sum  CPU %s\n' \
	"$WALL" "$RSS_MB" "$(ratio "$WALL" "$hand")" "$CPU"
RUNS=1 measure verify "$BIN/fx-export" -q verify "$TMP/bag.tar"
printf '  fx-export verify     %8.2f s  peak RSS %6s MiB\n' "$WALL" "$RSS_MB"
rm -rf "$TMP/case" "$TMP/bag.tar" "$TMP/bench.tar"
echo
fi

# ---- fx-link ----
if want link; then
CORPUS=${BENCH_CORPUS:-20000}
echo "== fx-link extract: $CORPUS labelled messages (goal: precision and recall >= 99 % for url, email, ip, phone)"
python3 scripts/make-link-corpus.py "$CORPUS" "$TMP/corpus"
measure extract "$BIN/fx-link" extract "$TMP/corpus/corpus.jsonl"
"$BIN/fx-link" extract "$TMP/corpus/corpus.jsonl" >"$TMP/corpus/found.jsonl"
python3 scripts/score-link.py "$TMP/corpus/truth.jsonl" "$TMP/corpus/found.jsonl" || true
printf '  fx-link extract      %8.2f s  %9s records/s  peak RSS %6s MiB\n' \
	"$WALL" "$(rate "$CORPUS" "$WALL")" "$RSS_MB"
rm -rf "$TMP/corpus"

# Ten phones' messages, calls and notes over three years: numbers from a pool
# of 20,000, a third of the messages with a link and a call-back number.
link_records() {
	awk -v n="$1" 'BEGIN { srand(42); split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " ")
	for (i = 1; i <= n; i++) {
		t = 1609459200 + int(i * 95 + rand() * 60); d = i % 10; num = int(rand() * 20000)
		day = int(t / 86400); sec = t % 86400
		for (y = 1970; ; y++) { yd = (y % 4 == 0) ? 366 : 365; if (day < yd) break; day -= yd }
		ml[2] = (yd == 366) ? 29 : 28
		for (m = 1; day >= ml[m]; m++) day -= ml[m]
		ts = sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, day + 1, int(sec / 3600),
			     int(sec % 3600 / 60), sec % 60, i % 1000)
		env = sprintf("\"case\":\"bench\",\"tool\":\"bench\",\"device\":\"imei:35693803564380%d\",\"time\":\"%s\"", d, ts)
		r = rand(); dir = rand() < 0.5 ? "in" : "out"
		if (rand() < 0.3)
			body = sprintf("请点击 http://pay%d.top/r?id=%d 退款，客服 1390000%04d", num % 500, i, num % 7000)
		else
			body = sprintf("message %d, %d 元", i, i * 7 % 10000)
		if (r < 0.4)
			printf "{\"v\":1,\"type\":\"sms\",%s,\"data\":{\"address\":\"+86138%08d\",\"body\":\"%s\",\"direction\":\"%s\"}}\n", env, num, body, dir
		else if (r < 0.8)
			printf "{\"v\":1,\"type\":\"call\",%s,\"data\":{\"number\":\"+86138%08d\",\"direction\":\"%s\",\"duration\":%d}}\n", env, num, dir, int(rand() * 600)
		else
			printf "{\"v\":1,\"type\":\"note\",%s,\"data\":{\"text\":\"note %d: +86 138 %04d %04d wrote to user%d@mail%d.com\"}}\n", env, i, int(num / 10000), num % 10000, num, num % 50
	} }'
}

for n in $(( RECORDS / 10 )) "$RECORDS"; do
	echo "== fx-link build: the graph of $n records (goal for 1,000,000: < 60 s, memory bounded whatever the size)"
	link_records "$n" >"$TMP/link.jsonl"
	rm -rf "$TMP/case"
	"$BIN/fx-case" -q -C "$TMP/case" init bench >/dev/null
	"$BIN/fx-case" -q -C "$TMP/case" add "$TMP/link.jsonl"
	rm -f "$TMP/link.jsonl"
	RUNS=1 measure build "$BIN/fx-link" -C "$TMP/case" build
	made=$(sed -n 's/.*records read: \([0-9]*\) indicators, \([0-9]*\) links.*/\1 indicators, \2 links/p' "$TMP/err")
	printf '  fx-link build        %8.2f s  %9s records/s  peak RSS %6s MiB  CPU %s  (%s)\n' \
		"$WALL" "$(rate "$n" "$WALL")" "$RSS_MB" "$CPU" "$made"
	node=$("$BIN/fx-link" -C "$TMP/case" top --limit 1 | jq -r .data.b)
	RUNS=1 measure around "$BIN/fx-link" -C "$TMP/case" around "$node" --depth 2 --limit 1000
	printf '  fx-link around -d 2  %8.2f s  peak RSS %6s MiB  (%s)\n' "$WALL" "$RSS_MB" "$node"
	RUNS=1 measure top "$BIN/fx-link" -C "$TMP/case" top --limit 20
	printf '  fx-link top          %8.2f s  peak RSS %6s MiB\n' "$WALL" "$RSS_MB"
done
rm -rf "$TMP/case"
echo
fi

# ---- fx-pull web ----
if want web; then
WEB_RES=${BENCH_WEB_RESOURCES:-200}
echo "== fx-pull web: a local HTTPS page with $WEB_RES resources (goal: faster than wget --page-requisites --warc-file, with the address data wget does not record)"
web=$TMP/web
mkdir -p "$web/root/www.bench.test/r"
# A throw-away CA and a certificate for the name and for 127.0.0.1 (wget has no --resolve).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$web/ca.key" \
	-out "$web/ca.pem" -days 2 -subj "/CN=fx bench CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$web/site.key" \
	-out "$web/site.csr" -subj "/CN=www.bench.test" 2>/dev/null
printf 'subjectAltName=DNS:www.bench.test,IP:127.0.0.1\n' >"$web/site.ext"
openssl x509 -req -in "$web/site.csr" -CA "$web/ca.pem" -CAkey "$web/ca.key" -set_serial 1 -days 2 \
	-extfile "$web/site.ext" -out "$web/site.pem" 2>/dev/null
{
	echo '<!DOCTYPE html><html><head><title>bench</title><link rel="stylesheet" href="r/s.css"></head><body>'
	for i in $(seq "$WEB_RES"); do
		[ "$i" -eq 1 ] && continue
		printf '<p>item %d</p><img src="r/i%03d.png">\n' "$i" "$i"
		head -c $(( 8000 + i * 97 )) /dev/urandom >"$web/root/www.bench.test/r/$(printf 'i%03d.png' "$i")"
	done
	echo '</body></html>'
} >"$web/root/www.bench.test/index.html"
echo 'body { margin: 0 }' >"$web/root/www.bench.test/r/s.css"
ln -s www.bench.test "$web/root/127.0.0.1"
python3 "$ROOT/tests/web/server.py" --workers 2 "$web/root" "$web/ports" "$web/site.pem:$web/site.key" 2>/dev/null &
srv=$!
trap 'kill "$srv" 2>/dev/null; chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$web/ports" ] && break; sleep 0.1; done
port=$(head -1 "$web/ports")
RUNS=5 BEFORE="chmod -R u+w '$web/case' 2>/dev/null || true; rm -rf '$web/case'; '$BIN/fx-case' -q -C '$web/case' init bench >/dev/null" \
	measure fx-pull-web "$BIN/fx-pull" -q -C "$web/case" web --no-screenshot --ca-file "$web/ca.pem" \
	--resolve "www.bench.test:$port:127.0.0.1" "https://www.bench.test:$port/"
fxw=$WALL fxw_rss=$RSS_MB
got=$("$BIN/fx-case" -C "$web/case" list --type capture | jq -r '.data.resource_count')
printf '  fx-pull web          %8.2f s  %4s resources  peak RSS %6s MiB  CPU %s\n' "$fxw" "$got" "$fxw_rss" "$CPU"
RUNS=3 BEFORE="rm -rf '$web/wget' '$web/wget.warc.gz'" measure wget wget -q --page-requisites \
	-e robots=off --ca-certificate="$web/ca.pem" --warc-file="$web/wget" -P "$web/wget" "https://127.0.0.1:$port/"
printf '  wget -p --warc-file  %8.2f s  %4s resources  peak RSS %6s MiB  CPU %s\n' "$WALL" \
	"$(( $(find "$web/wget" -type f | wc -l) - 1 ))" "$RSS_MB" "$CPU"
wg=$WALL
# fx-pull makes its case durable (syncfs, fdatasync) before it returns; wget does not.
RUNS=3 BEFORE="rm -rf '$web/wget' '$web/wget.warc.gz'" measure wget-sync bash -c "wget -q --page-requisites \
	-e robots=off --ca-certificate='$web/ca.pem' --warc-file='$web/wget' -P '$web/wget' 'https://127.0.0.1:$port/' && sync"
printf '  wget -p, then sync   %8.2f s  (the durability fx-pull gives its case)\n' "$WALL"
printf '  wget / fx-pull web time: %sx; with sync: %sx (above 1: fx-pull is faster)\n' "$(ratio "$wg" "$fxw")" "$(ratio "$WALL" "$fxw")"
warc=$("$BIN/fx-case" -C "$web/case" list --type capture | jq -r '.data.warc_sha256')
printf '  address data: fx-pull %s metadata records with peer, DNS, TLS version, cipher, chain (DER) and its verification; wget %s (WARC-IP-Address only)\n' \
	"$(zcat "$web/case/objects/${warc:0:2}/${warc:2}" | grep -c '"chain_der"')" \
	"$(zcat "$web/wget.warc.gz" | grep -ac '^WARC-IP-Address')"
kill "$srv" 2>/dev/null
echo
fi

# ---- fx-pair ----
if want pair; then
PAIR_MB=${BENCH_PAIR_MB:-1024}
echo "== fx-pair: ${PAIR_MB} MiB of files from the agent to the workstation on loopback (goal >= 0.8x openssl s_server/s_client)"
mkdir -p "$TMP/share/Download"
for i in $(seq $(( PAIR_MB / 16 ))); do
	head -c $(( 16 * 1024 * 1024 )) /dev/urandom >"$TMP/share/Download/f$i.bin"
done
bytes=$(( PAIR_MB / 16 * 16 * 1024 * 1024 ))
pcase=$TMP/pcase
"$BIN/fx-case" -q -C "$pcase" init bench >/dev/null
"$BIN/fx-pair" -q -C "$pcase" listen --bind 127.0.0.1:0 >/dev/null 2>"$TMP/listen.err" &
listen=$!
agent=
trap 'kill $agent $listen 2>/dev/null; chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
until [ -S "$pcase/pair/control.sock" ] && [ -s "$pcase/pair/pairing.uri" ]; do sleep 0.05; done
printf 'files qr %s\n' "$TMP/consent.png" >"$TMP/consent.txt"
connected() { "$BIN/fx-pair" -C "$pcase" status 2>/dev/null | grep -q "\"connected\":$1"; }
# Pairing time: agent started to paired (TLS, pin, token), best of 3; an agent
# that leaves ends its pairing, so each run scans a fresh code.
best_ms=""
for run in 1 2 3; do
	t0=$(date +%s%N)
	"$BIN/fx-pair" -q agent --uri "$(cat "$pcase/pair/pairing.uri")" --share "$TMP/share" \
		--consent-file "$TMP/consent.txt" --serial BENCH >/dev/null 2>"$TMP/agent.err" &
	agent=$!
	until connected true; do sleep 0.005; done
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	{ [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; } && best_ms=$ms
	[ "$run" -eq 3 ] && break
	kill "$agent"; wait "$agent" || true
	until connected false; do sleep 0.01; done
done
"$BIN/fx-auth" -q -C "$pcase" request --type files --png "$TMP/consent.png" >/dev/null 2>&1
# Each run receives everything again: the stored objects are removed before it.
RUNS=2 BEFORE="chmod -R u+w '$pcase/objects'; rm -rf '$pcase'/objects/[0-9a-f][0-9a-f]" \
	measure device "$BIN/fx-pull" -C "$pcase" device --type files
fx_wall=$WALL fx_rss=$RSS_MB
fx_xfer=$(sed -n 's/.* received in \([0-9.]*\) s .*/\1/p' "$TMP/err" | tail -1)
rss_of() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
listen_rss=$(rss_of "$listen") agent_rss=$(rss_of "$agent")
kill "$agent" "$listen"; wait "$agent" "$listen" || true
agent= listen=
# The same bytes through openssl: s_client sends them, s_server receives them.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=bench \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 1 2>/dev/null
cat >"$TMP/ossl.sh" <<'SH'
#!/usr/bin/env bash
# s_server reads its stdin for sending: a FIFO held open keeps it from ending early.
set -e
dir=$1 port=$2 out=$3; shift 3
rm -f "$dir/hold"; mkfifo "$dir/hold"
openssl s_server -quiet -naccept 1 -accept "127.0.0.1:$port" -cert "$dir/cert.pem" \
	-key "$dir/key.pem" <"$dir/hold" >"$out" 2>"$dir/srv.err" &
srv=$!
exec 9>"$dir/hold"
until ss -Hltn "sport = :$port" | grep -q .; do sleep 0.01; done
cat "$@" | openssl s_client -quiet -nocommands -no_ign_eof -connect "127.0.0.1:$port" \
	>/dev/null 2>"$dir/cli.err"
wait "$srv"
SH
port=$(( 20000 + RANDOM % 20000 ))
RUNS=2 measure openssl bash "$TMP/ossl.sh" "$TMP" "$port" /dev/null "$TMP"/share/Download/f*.bin
ossl=$WALL
# And kept, as fx keeps them: written to a file.
RUNS=2 BEFORE="rm -f '$TMP/received'" measure openssl-file bash "$TMP/ossl.sh" "$TMP" "$(( port + 1 ))" \
	"$TMP/received" "$TMP"/share/Download/f*.bin
ossl_file=$WALL
rm -f "$TMP/received"
printf '  openssl s_server/s_client %6.2f s  %6s MB/s  (the bytes moved, nothing kept)\n' "$ossl" "$(mb "$ossl")"
printf '  openssl, kept in a file   %6.2f s  %6s MB/s\n' "$ossl_file" "$(mb "$ossl_file")"
printf '  fx-pair transfer          %6.2f s  %6s MB/s  %sx openssl, %sx openssl kept  (hashed on both ends, kept)\n' \
	"$fx_xfer" "$(mb "$fx_xfer")" "$(ratio "$ossl" "$fx_xfer")" "$(ratio "$ossl_file" "$fx_xfer")"
printf '  fx-pull device, stored    %6.2f s  %6s MB/s  %sx openssl  (transfer, then stored and parsed into the case)\n' \
	"$fx_wall" "$(mb "$fx_wall")" "$(ratio "$ossl" "$fx_wall")"
printf '  pairing time              %6s ms (agent start to paired: TCP, TLS 1.3, pin, token; best of 3)\n' "$best_ms"
printf '  peak RSS: listen %s MiB, agent %s MiB, fx-pull device %s MiB\n' "$listen_rss" "$agent_rss" "$fx_rss"
rm -rf "$TMP/share" "$pcase"
echo
fi

# ---- fx-carve ----
if want carve; then
CARVE_MB=${BENCH_CARVE_MB:-1024}
echo "== fx-carve: deleted rows of every generated scenario (goal recall >= 99 %, precision >= 99 %, nothing on secure-delete)"
mkdir -p "$TMP/carve"
python3 scripts/make-carve-fixtures.py "$TMP/carve" >/dev/null
for db in "$TMP"/carve/*.db; do
	n=$(basename "$db" .db)
	"$BIN/fx-carve" -q "$db" >"$TMP/carve/$n.carved.jsonl" 2>/dev/null || [ $? -eq 1 ]
done
python3 scripts/carve-score.py --all "$TMP/carve" | sed 's/^/  /'
rm -rf "$TMP/carve"
echo

echo "== fx-carve: a ${CARVE_MB} MiB database (goal >= 200 MB/s, memory bounded)"
python3 scripts/make-carve-fixtures.py --big "$TMP/big.db" --size-mib "$CARVE_MB" | sed 's/^/  /'
bytes=$(stat -c %s "$TMP/big.db")
measure sha256sum sha256sum "$TMP/big.db"
sha=$WALL
printf '  sha256sum            %8.2f s  %6s MB/s  peak RSS %6s MiB  (reads and hashes every byte)\n' \
	"$WALL" "$(mb "$WALL")" "$RSS_MB"
measure fx-carve "$BIN/fx-carve" -q "$TMP/big.db"
printf '  fx-carve             %8.2f s  %6s MB/s  peak RSS %6s MiB  %sx sha256sum time  CPU %s\n' \
	"$WALL" "$(mb "$WALL")" "$RSS_MB" "$(ratio "$WALL" "$sha")" "$CPU"
"$BIN/fx-carve" -q "$TMP/big.db" >"$TMP/big.carved.jsonl"
python3 scripts/carve-score.py "$TMP/big.truth.jsonl" "$TMP/big.carved.jsonl" --scenario "big (${CARVE_MB} MiB)" |
	sed 's/^/  /'
rm -f "$TMP/big.db" "$TMP/big.truth.jsonl" "$TMP/big.carved.jsonl"
echo
fi

# ---- fx-ocr ----
if want ocr; then
ocr_bench
echo
fi
