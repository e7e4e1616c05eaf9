#!/usr/bin/env bash
# Installs what goodhart builds and runs with (a Java 17 JDK and Maven) when the machine lacks them.
# Debian/Ubuntu as root, or with sudo; elsewhere it says what to install. Quiet when all is there.
set -euo pipefail

java_ok() {
  command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 \
    && [ "$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)" -ge 17 ]
}

if java_ok && command -v mvn >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "goodhart needs a Java 17+ JDK and Maven 3.8+ on the PATH; please install them." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "goodhart: installing a Java 17 JDK and Maven with apt-get ..." >&2
$SUDO apt-get update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >&2
java_ok || { echo "goodhart: Java 17+ still not found after installing" >&2; exit 1; }
