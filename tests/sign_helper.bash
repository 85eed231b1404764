# Loaded by tests/fx-sign.bats: a throw-away CA made in the test, a TSA
# served on 127.0.0.1 by tests/fixtures/sign/tsa-server.py through
# `openssl ts -reply`, and a SoftHSM2 token.

SIGN_FIXTURES="$FX_ROOT/tests/fixtures/sign"

# make_ca: ca/ca.key, ca/ca.crt and the files `openssl ca` needs.
make_ca() {
	mkdir -p ca/new
	: >ca/index.txt
	echo 1000 >ca/serial
	cat >ca/ca.cnf <<-CNF
	[ ca ]
	default_ca = test
	[ test ]
	dir = $PWD/ca
	database = \$dir/index.txt
	new_certs_dir = \$dir/new
	serial = \$dir/serial
	certificate = \$dir/ca.crt
	private_key = \$dir/ca.key
	default_md = sha256
	policy = any
	unique_subject = no
	copy_extensions = none
	crlnumber = \$dir/crlnumber
	default_crl_days = 30
	[ any ]
	commonName = supplied
	organizationName = optional
	[ tsa_ext ]
	basicConstraints = critical,CA:FALSE
	keyUsage = critical,digitalSignature,nonRepudiation
	extendedKeyUsage = critical,timeStamping
	[ signer_ext ]
	basicConstraints = critical,CA:FALSE
	keyUsage = critical,digitalSignature,nonRepudiation
	CNF
	echo 01 >ca/crlnumber
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout ca/ca.key -out ca/ca.crt -subj "/CN=Test CA" -days 36500 \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# issue NAME EXT [START END]: NAME.key and NAME.crt signed by the CA, valid
# from START to END (YYYYMMDDHHMMSSZ) when given.
issue() {
	local name=$1 ext=$2
	shift 2
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$name.key" -out "$name.csr" -subj "/CN=$name/O=Test Lab" 2>/dev/null
	if [ $# -eq 2 ]; then
		openssl ca -batch -config ca/ca.cnf -extensions "$ext" -in "$name.csr" \
			-out "$name.crt" -startdate "$1" -enddate "$2" -notext 2>/dev/null
	else
		openssl ca -batch -config ca/ca.cnf -extensions "$ext" -in "$name.csr" \
			-out "$name.crt" -days 365 -notext 2>/dev/null
	fi
}

# tsa_conf NAME: NAME.cnf, an `openssl ts -reply` configuration signing with
# NAME.crt (ESSCertIDv2 with SHA-256, as RFC 5816 has it).
tsa_conf() {
	local name=$1
	echo 01 >"$name.serial"
	cat >"$name.cnf" <<-CNF
	[ tsa ]
	default_tsa = tsa_config
	[ tsa_config ]
	serial = $PWD/$name.serial
	crypto_device = builtin
	signer_cert = $PWD/$name.crt
	certs = $PWD/ca/ca.crt
	signer_key = $PWD/$name.key
	signer_digest = sha256
	default_policy = 1.3.6.1.4.1.99999.1
	digests = sha256
	accuracy = secs:1
	ordering = yes
	tsa_name = yes
	ess_cert_id_chain = no
	ess_cert_id_alg = sha256
	CNF
}

# start_tsa NAME [MODE]: serves NAME.cnf; sets TSA_URL. Stopped by teardown.
start_tsa() {
	local name=$1 mode=${2:-ok} i
	rm -f "$name.port"
	python3 "$SIGN_FIXTURES/tsa-server.py" "$PWD/$name.cnf" "$PWD/$name.port" "$mode" \
		3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/servers"
	for i in $(seq 100); do
		[ -s "$name.port" ] && break
		sleep 0.1
	done
	TSA_URL="http://127.0.0.1:$(cat "$name.port")/"
}

stop_servers() {
	local pid
	[ -f "$BATS_TEST_TMPDIR/servers" ] || return 0
	while read -r pid; do
		kill "$pid" 2>/dev/null || true
	done <"$BATS_TEST_TMPDIR/servers"
	rm -f "$BATS_TEST_TMPDIR/servers"
}

# A CA, a TSA certificate and a running TSA: the usual setting.
with_tsa() {
	make_ca
	issue tsa tsa_ext
	tsa_conf tsa
	start_tsa tsa
	export FX_TSA="$TSA_URL" FX_TSA_CERT="$PWD/tsa.crt"
	fx-sign trust ca/ca.crt
}

# flip FILE OFFSET: inverts every bit of the byte at OFFSET.
flip() {
	local file=$1 off=$2 byte
	byte=$(od -An -tu1 -j "$off" -N1 "$file" | tr -d ' ')
	printf "$(printf '\\%03o' $((byte ^ 255)))" |
		dd of="$file" bs=1 seek="$off" conv=notrunc status=none
}

# obj CASE HASH: the path of a case object.
obj() {
	echo "$1/objects/${2:0:2}/${2:2}"
}
