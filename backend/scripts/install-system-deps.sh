#!/usr/bin/env bash
# System packages docproc needs beyond pip: Tesseract's English and orientation data for OCR.
# Idempotent: installs only what is missing. Called by `make install`; safe to run by hand.
set -euo pipefail

BACKEND="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${BACKEND}/.venv/bin/python"

have_tessdata() {
    for dir in "${TESSDATA_PREFIX:-}" /usr/share/tesseract-ocr/*/tessdata /usr/share/tessdata \
        /usr/local/share/tessdata /opt/homebrew/share/tessdata; do
        [ -n "$dir" ] && [ -f "$dir/eng.traineddata" ] && [ -f "$dir/osd.traineddata" ] && return 0
    done
    return 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "install-system-deps: need root to run: $*" >&2; return 1
    fi
}

apt_install() {
    local missing=()
    for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "install-system-deps: apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

if ! have_tessdata; then
    if command -v apt-get >/dev/null; then
        apt_install tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd
    elif command -v brew >/dev/null; then
        brew install tesseract
    else
        echo "install-system-deps: install Tesseract with English data (eng.traineddata) yourself" >&2
        exit 1
    fi
fi

# tesserocr ships manylinux wheels with libtesseract inside; where pip had to build it from
# source instead, it needs the headers.
if [ -x "$PY" ] && ! "$PY" -c "import tesserocr" 2>/dev/null; then
    if command -v apt-get >/dev/null; then
        apt_install libtesseract-dev libleptonica-dev pkg-config g++
    fi
    "$PY" -m pip install --quiet "$(grep -i '^tesserocr==' "$BACKEND/requirements.txt")"
fi

have_tessdata && echo "install-system-deps: Tesseract data present"
