#!/usr/bin/env bash
# make bench: fx against the standard tool on the same input, in the same
# run. Prints throughput, the ratio to the standard tool, and peak RSS.
#   BENCH_RECORDS  records for fx-case add (default 1000000)
#   BENCH_TAR_MB   size of the tar for the walker (default 1024)
#   BENCH_TMP      where the inputs are made (default: a folder in /tmp)
#   BENCH_OCR_IMAGES  generated About pages for fx-ocr device (default 240)
#   BENCH_ONLY     "ocr": only the fx-ocr section
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

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
if [ "${BENCH_ONLY:-}" = ocr ]; then
	ocr_bench
	exit 0
fi

# ---- fx-case add ----
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

# ---- walker ----
echo "== walker: every member of a ${TAR_MB} MiB tar (hash goal >= 0.9x openssl, store goal >= 0.6x, RSS < 64 MiB)"
mkdir -p "$TMP/tree"
files=$(( TAR_MB / 5 ))
for i in $(seq "$files"); do
	head -c $(( 5 * 1024 * 1024 - i * 97 )) /dev/urandom >"$TMP/tree/f$i.bin"
done
tar -C "$TMP" -cf "$TMP/ev.tar" tree
rm -rf "$TMP/tree"
bytes=$(stat -c %s "$TMP/ev.tar")
mb() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }

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

# ---- fx-pull android ----
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
echo
ocr_bench
