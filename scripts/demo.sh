#!/usr/bin/env bash
# make demo: an intake on the bundled sample, start to finish, with what
# exists so far: open a case, acquire a phone extraction (a tar.gz of the
# Android sample in tests/fixtures/android), note, query, verify, and show
# that one changed byte is caught.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/bin:$PATH"
export FX_EXAMINER=${FX_EXAMINER:-"Demo Examiner"}
OUT=${DEMO_DIR:-$ROOT/build/demo}
CASE=$OUT/case

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

chmod -R u+w "$OUT" 2>/dev/null || true
rm -rf "$OUT"
mkdir -p "$OUT"

step "the evidence: an Android extraction as it arrives from the lab (tar.gz)"
tar -C tests/fixtures/android -czf "$OUT/extraction.tar.gz" .
sha256sum "$OUT/extraction.tar.gz"

step "open the case"
fx-case -C "$CASE" init DEMO-2026-001 --title "Online shopping fraud" \
	--agency "City Police, Economic Crime Unit" --location "Intake desk 2" \
	--party reporter="Li Na" --party suspect=unknown report_no=HD-2026-0042 | jq .

step "acquire: every file hashed while it is stored, one record each"
fx-pull -C "$CASE" files --device serial:DEMO0001 "$OUT/extraction.tar.gz" >"$OUT/files.jsonl"
jq -r '"\(.data.sha256[0:16])  \(.data.size | tostring | (" " * (8 - length)) + .)  \(.data.path)"' "$OUT/files.jsonl"

step "an examiner's note, into the custody log"
fx-case -q -C "$CASE" note "extraction received sealed, bag no. 0042" | jq -c .data

step "query: the SQLite databases in the extraction"
fx-case -C "$CASE" list --type file --query databases | jq -r '.data.path'

step "the custody log: who did what, chained by hash"
fx-case -C "$CASE" log | jq -r '.data | [.seq, .at, .who, .action, (.argv | join(" "))[0:60], .hash[0:16]] | @tsv'

step "verify: every object re-hashed, every record id recomputed, the chain and its Merkle root"
fx-case -C "$CASE" verify | jq -c .data

step "tamper with a copy: one byte of one object changed"
cp -a "$CASE" "$OUT/tampered"
obj=$(find "$OUT/tampered/objects" -type f -size +1k | sort | head -1)
chmod u+w "$obj"
printf 'X' | dd of="$obj" bs=1 seek=100 conv=notrunc 2>/dev/null
if fx-case -C "$OUT/tampered" verify >/dev/null; then
	echo "demo: the tampered copy verified, which it must not" >&2
	exit 1
fi
echo "(verify exited 1 and named the object, as it should)"

step "where everything is"
echo "case:        $CASE"
echo "objects:     $CASE/objects ($(find "$CASE/objects" -path "$CASE/objects/tmp" -prune -o -type f -print | wc -l) files)"
echo "records:     $(fx-case -C "$CASE" info | jq -r .records)"
echo "custody:     $(fx-case -C "$CASE" info | jq -r '.custody | "\(.size) entries, root \(.root)"')"
