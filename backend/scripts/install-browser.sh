#!/usr/bin/env bash
# The browser the page tests (tests/e2e) and the HTML-report test drive: Debian's chromium.
# Idempotent: does nothing when a chromium is already on the PATH. Playwright (the Python
# package, pinned in requirements.txt) drives this system browser; it never downloads one.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser.sh: no apt-get here; install Chromium yourself (the e2e tests skip without it)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-browser.sh: not root and no sudo; install the chromium package yourself" >&2
    exit 0
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
