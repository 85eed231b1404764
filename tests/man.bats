#!/usr/bin/env bats
# tests/man.bats - the man pages are lint-clean and say what the programs do:
# each tool's page names the same long options as its --help (git's t0450,
# simplified), fx-record(5) lists the record types and fields of
# "fx-case types" with a valid example of each, and fx(7) names every tool.
load test_helper

MAN="$FX_ROOT/man"

# A page as plain text: rendered wide enough that no line is broken, with
# the overstrike of bold and underline removed.
man_text() {
	mandoc -Tutf8 -O width=1000 "$1" 2>/dev/null | perl -CSD -pe 's/.\x08//g'
}

# The sorted, unique long options (--name) in stdin.
long_options() {
	grep -oE -- '--[a-z][a-z0-9-]*' | LC_ALL=C sort -u
}

# "TYPE FIELD FIELDTYPE required|optional" for every field of every record
# type, from the registry and from the page (see the comment at the top of
# man/fx-record.5 for its layout).
registry_fields() {
	fx-case types | jq -r '.type as $t | .fields[] |
		"\($t) \(.name) \(.type) \(if .required then "required" else "optional" end)"' |
		LC_ALL=C sort
}
page_fields() {
	awk '/^\.Sh / { insec = ($0 == ".Sh RECORD TYPES"); t = "" }
	     insec && /^\.Ss / { t = $2 }
	     insec && t != "" && /^\.It Cm / { print t, $3, $5, $7 }' "$MAN/fx-record.5" |
		LC_ALL=C sort
}

# "TYPE<TAB>LINE" for each example record line of the RECORD TYPES section.
page_examples() {
	awk '/^\.Sh / { insec = ($0 == ".Sh RECORD TYPES"); t = "" }
	     insec && /^\.Ss / { t = $2 }
	     /^\.Bd -literal/ { lit = 1; next }
	     /^\.Ed/ { lit = 0 }
	     insec && lit && /^\{/ { print t "\t" $0 }' "$MAN/fx-record.5"
}

@test "man: every page is lint-clean" {
	local page n=0 bad=""

	for page in "$MAN"/*.[1-9]; do
		[ -e "$page" ] || continue
		n=$((n + 1))
		run mandoc -Tlint -W warning "$page"
		if [ "$status" -ne 0 ] || [ -n "$output" ]; then
			bad+="${page##*/} (exit $status):"$'\n'"$output"$'\n'
		fi
	done
	[ "$n" -ge 3 ] || fail "expected at least fx.7, fx-record.5 and fx-case.1, found $n pages"
	[ -z "$bad" ] || fail "mandoc -Tlint -W warning is not clean:"$'\n'"$bad"
}

@test "man: every program has a page with the sections convention 13 asks for" {
	local prog name sec bad=""

	for prog in "$FX_ROOT"/bin/fx-*; do
		[ -x "$prog" ] || continue
		name=${prog##*/}
		if [ ! -f "$MAN/$name.1" ]; then
			bad+="$name: no man/$name.1"$'\n'
			continue
		fi
		grep -qx ".Dt $(echo "$name" | tr '[:lower:]' '[:upper:]') 1" "$MAN/$name.1" ||
			bad+="$name.1: no '.Dt ${name^^} 1'"$'\n'
		grep -qx ".Nm $name" "$MAN/$name.1" || bad+="$name.1: no '.Nm $name'"$'\n'
		for sec in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES "SEE ALSO"; do
			grep -qx ".Sh $sec" "$MAN/$name.1" || bad+="$name.1: no section $sec"$'\n'
		done
	done
	[ -z "$bad" ] || fail "$bad"
}

@test "man: every program's page lists exactly the long options of its --help" {
	local prog name help page bad="" n=0

	for prog in "$FX_ROOT"/bin/fx-*; do
		[ -x "$prog" ] || continue
		name=${prog##*/}
		n=$((n + 1))
		[ -f "$MAN/$name.1" ] || { bad+="$name: no man/$name.1"$'\n'; continue; }
		run -0 --separate-stderr "$prog" --help
		help=$(long_options <<<"$output")
		[ -n "$help" ] || { bad+="$name --help lists no long options"$'\n'; continue; }
		page=$(man_text "$MAN/$name.1" | long_options)
		if [ "$help" != "$page" ]; then
			bad+="$name: '<' only in --help, '>' only in man/$name.1:"$'\n'
			bad+="$(diff <(echo "$help") <(echo "$page") | grep '^[<>]')"$'\n'
		fi
	done
	[ "$n" -ge 1 ] || fail "no programs in bin/ (run make first)"
	[ -z "$bad" ] || fail "$bad"
}

@test "man: fx-record.5 documents exactly the types fx-case types lists" {
	local want got

	want=$(fx-case types | jq -r .type | LC_ALL=C sort)
	got=$(awk '/^\.Sh / { insec = ($0 == ".Sh RECORD TYPES") }
		   insec && /^\.Ss / { print $2 }' "$MAN/fx-record.5" | LC_ALL=C sort)
	[ -n "$want" ]
	run diff <(echo "$want") <(echo "$got")
	assert_success
}

@test "man: fx-record.5 documents each type's fields, with their types and requiredness" {
	[ -n "$(registry_fields)" ]
	run diff <(registry_fields) <(page_fields)
	assert_success
}

@test "man: fx-record.5 has one example per type, a record of that type in canonical form" {
	local types t line id h bad=""

	page_examples >examples.tsv
	types=$(fx-case types | jq -r .type)
	for t in $types; do
		[ "$(awk -F '\t' -v t="$t" '$1 == t' examples.tsv | wc -l)" -eq 1 ] ||
			bad+="$t: not exactly one example line"$'\n'
	done
	[ -z "$bad" ] || fail "$bad"

	make_case
	cut -f 2 examples.tsv >examples.jsonl
	run -0 jq -e -s 'all(.v == 1 and (.id | test("^[0-9a-f]{64}$")))' examples.jsonl
	# The example's type is its section's, and its data has no undocumented keys.
	while IFS=$'\t' read -r -u 3 t line; do
		[ "$(jq -r .type <<<"$line")" = "$t" ] || bad+="$t: example is of type $(jq -r .type <<<"$line")"$'\n'
		run jq -r --argjson reg "$(fx-case types | jq -c --arg t "$t" 'select(.type == $t)')" \
			'.data | keys[] | select(. as $k | $reg.fields | map(.name) | index($k) | not)' <<<"$line"
		[ -z "$output" ] || bad+="$t: example has undocumented data keys: $output"$'\n'
		# The objects a record needs must be in the case: plant stand-ins.
		for h in $(jq -r '.src.sha256?, .data.sha256? | select(type == "string")' <<<"$line"); do
			mkdir -p "case/objects/${h:0:2}"
			: >"case/objects/${h:0:2}/${h:2}"
		done
	done 3<examples.tsv
	[ -z "$bad" ] || fail "$bad"

	# fx-case checks each example against the registry and its id.
	run --separate-stderr fx-case -C case add examples.jsonl
	[ "$status" -eq 0 ] || fail "fx-case add refused an example: $stderr"
	# Stored and printed back, each example is the same bytes: canonical form.
	while IFS=$'\t' read -r -u 3 t line; do
		id=$(jq -r .id <<<"$line")
		run -0 --separate-stderr fx-case -C case show "$id"
		[ "$output" = "$line" ] || bad+="$t: example is not in canonical form; fx writes:"$'\n'"$output"$'\n'
	done 3<examples.tsv
	[ -z "$bad" ] || fail "$bad"
}

@test "man: fx.7 cross-references every program in bin/" {
	local prog name text bad=""

	text=$(man_text "$MAN/fx.7")
	for prog in "$FX_ROOT"/bin/fx-*; do
		[ -x "$prog" ] || continue
		name=${prog##*/}
		grep -qF "$name(1)" <<<"$text" || bad+="fx.7 does not name $name(1)"$'\n'
	done
	[ -z "$bad" ] || fail "$bad"
}

@test "man: cross-references to fx pages point at pages that exist" {
	local ref bad=""

	for ref in $(cat "$MAN"/*.[1-9] | grep -oE 'Xr fx[a-z0-9-]* [1-9]' |
		     awk '{ print $2 "." $3 }' | LC_ALL=C sort -u); do
		[ -f "$MAN/$ref" ] || bad+="no man/$ref"$'\n'
	done
	[ -z "$bad" ] || fail "$bad"
}
