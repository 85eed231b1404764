# Loaded by every .bats file: PATH to the built tools, fixtures, assertions,
# and a fresh working directory per test.
bats_require_minimum_version 1.5.0
FX_ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
PATH="$FX_ROOT/bin:$PATH"
FIXTURES="$FX_ROOT/tests/fixtures"
ANDROID="$FIXTURES/android"
export FX_DATADIR="$FX_ROOT/share"
export FX_EXAMINER="Test Examiner"
unset FX_CASE FX_NOW
# Under SANITIZE=1, leaks inside system libraries (see the file) are not fx's.
export LSAN_OPTIONS="suppressions=$FX_ROOT/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

setup() {
	cd "$BATS_TEST_TMPDIR" || exit 1
	export FX_HOME="$BATS_TEST_TMPDIR/home"
}

# A case with a few notes, in ./case.
make_case() {
	fx-case -q -C case init 2026-113 --title "Test case" --party reporter=Li >/dev/null
}

# n synthetic note records of case 2026-113 on stdout.
synth_records() {
	local n=$1
	awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"v\":1,\"type\":\"note\",\"case\":\"2026-113\",\"tool\":\"test\",\"time\":\"2021-04-08T09:14:%02d.000Z\",\"data\":{\"text\":\"note number %d\"}}\n", i % 60, i }'
}
