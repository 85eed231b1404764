#!/bin/sh
# make check: the libfx unit tests, then every bats file; one total at the end.
set -u
cd "$(dirname "$0")/.." || exit 2
unit=${UNIT_BIN:-build/rel/unit-tests}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== unit tests"
"$unit" | tee "$log"
u_pass=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -1)
u_fail=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -1)
[ -n "$u_pass" ] || { u_pass=0; u_fail=1; }

echo "== bats"
bats --tap ${BATS_JOBS:+--jobs "$BATS_JOBS"} tests/ | tee "$log"
b_pass=$(grep -c '^ok ' "$log")
b_fail=$(grep -c '^not ok ' "$log")
b_plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -1)
# A bats run that died before its plan was met counts the missing tests as failed.
if [ -n "$b_plan" ] && [ $((b_pass + b_fail)) -lt "$b_plan" ]; then
	b_fail=$((b_plan - b_pass))
fi
[ -n "$b_plan" ] || b_fail=$((b_fail + 1))

passed=$((u_pass + b_pass))
failed=$((u_fail + b_fail))
echo "unit: $u_pass passed, $u_fail failed; bats: $b_pass passed, $b_fail failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
