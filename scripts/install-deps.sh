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
libsnappy-dev
libcurl4-openssl-dev zlib1g-dev
libpsl-dev publicsuffix
libmaxminddb-dev geoip-database
softhsm2 libengine-pkcs11-openssl
libqrencode-dev
libzbar-dev
libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim
libcairo2-dev libpango1.0-dev fonts-noto-cjk
ffmpeg
python3-pil fonts-dejavu-core fonts-roboto-unhinted fonts-wqy-microhei qrencode
bats bats-support bats-assert
mandoc
poppler-utils libxml2-utils chromium nodejs
jq zip unzip tar gzip bzip2 xz-utils zstd xxd tmux procps time python3 util-linux iproute2
wget
"

cd "$(dirname "$0")/.."

# The npm packages the tests use, at the versions each package-lock.json
# pins: the SHACL validator (tests/shacl) and the WARC reader (tests/warc).
npm_deps() {
	for dir in tests/shacl tests/warc; do
		[ -d "$dir/node_modules" ] && continue
		command -v npm >/dev/null 2>&1 ||
			{ echo "install-deps: npm is missing: the tests of $dir will fail" >&2; continue; }
		echo "install-deps: npm ci in $dir" >&2
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
	done
}

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	npm_deps
	exit 0
fi

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
# Debian's nodejs comes without npm (NodeSource's has it).
command -v npm >/dev/null 2>&1 || $SUDO apt-get install -y -qq --no-install-recommends npm >&2
npm_deps
