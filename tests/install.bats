#!/usr/bin/env bats
# make install: programs, man pages and share/ land under PREFIX and work there.
load test_helper

@test "install: PREFIX gets the programs, the man pages and share/" {
	run make -s -C "$FX_ROOT" install PREFIX="$PWD/usr" DESTDIR=
	assert_success
	[ -x usr/bin/fx-case ] && [ -x usr/bin/fx-pull ]
	[ -f usr/share/man/man1/fx-case.1 ] && [ -f usr/share/man/man5/fx-record.5 ] && [ -f usr/share/man/man7/fx.7 ]
	[ -f usr/share/fx/templates/README.md ]
	run --separate-stderr usr/bin/fx-case --version
	assert_success
	[[ "$output" == "fx-case (fx) "* ]]
	run mandoc -Tutf8 usr/share/man/man1/fx-case.1
	assert_success
	[[ "$output" == *"fx-case"* ]]
}
