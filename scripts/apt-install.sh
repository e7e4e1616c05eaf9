#!/usr/bin/env bash
# Installs Debian packages for the toolchain scripts: apt-install.sh "what it is for" PACKAGE...
# Debian/Ubuntu as root, or with sudo; elsewhere it says what to install and fails.
set -euo pipefail
why="$1"
shift
if ! command -v apt-get >/dev/null 2>&1; then
  echo "goodhart needs $why (Debian packages: $*); please install it." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "goodhart: installing $why with apt-get ($*) ..." >&2
$SUDO apt-get update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
