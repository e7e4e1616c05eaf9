#!/usr/bin/env bash
# Installs Debian's Chromium when missing: the dashboard test (DashboardBrowserIT) opens the report in
# a real headless browser. Debian/Ubuntu as root or with sudo; quiet when it is there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "goodhart tests need Chromium at /usr/bin/chromium (Debian package chromium); please install it." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "goodhart: installing Chromium with apt-get for the dashboard test ..." >&2
$SUDO apt-get update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
