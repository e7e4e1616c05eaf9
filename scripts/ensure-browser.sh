#!/usr/bin/env bash
# Installs Debian's Chromium when missing: the dashboard test (DashboardBrowserIT) opens the report in
# a real headless browser. Debian/Ubuntu as root or with sudo; quiet when it is there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
exec "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "Chromium at /usr/bin/chromium for the dashboard test" chromium
