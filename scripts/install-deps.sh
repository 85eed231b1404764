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
libqrencode-dev
libzbar-dev
libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim
ffmpeg
python3-pil fonts-dejavu-core fonts-roboto-unhinted fonts-wqy-microhei qrencode
bats bats-support bats-assert
mandoc
jq zip tar gzip bzip2 xz-utils zstd xxd tmux procps time python3 util-linux
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

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
