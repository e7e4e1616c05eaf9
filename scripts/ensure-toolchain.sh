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
"$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "a Java 17+ JDK and Maven 3.8+" openjdk-17-jdk-headless maven
java_ok || { echo "goodhart: Java 17+ still not found after installing" >&2; exit 1; }
