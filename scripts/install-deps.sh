#!/bin/sh
# Install the Debian packages fx needs to build, test and run its demo.
# Idempotent: installs only what is missing; uses sudo only when not root.
set -eu

PKGS="
build-essential pkg-config
libsqlite3-dev sqlite3
libssl-dev openssl
libjansson-dev
libarchive-dev
libexif-dev
libxml2-dev
libcurl4-openssl-dev libpsl-dev zlib1g-dev
libsnappy-dev
libqrencode-dev
libzbar-dev
libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim
bats bats-support bats-assert
mandoc
jq zip tar gzip bzip2 xz-utils zstd xxd tmux procps time python3 util-linux unzip
wget
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

# The web tests read WARCs back with warcio, pinned in tests/warc.
warcio() {
	command -v npm >/dev/null || return 0
	[ -d tests/warc/node_modules/warcio ] && return 0
	(cd tests/warc && npm ci --no-audit --no-fund --loglevel=error >&2) ||
		echo "install-deps: npm ci in tests/warc failed: the web tests will skip the WARC reader" >&2
}
cd "$(dirname "$0")/.."

[ -z "$missing" ] && { warcio; exit 0; }

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
else
	SUDO="sudo"
fi

echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
warcio
