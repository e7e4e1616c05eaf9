#!/usr/bin/env bash
# The README's test command: installs the toolchain when missing, then runs the whole suite
# (unit tests and Spark tests against a real local Iceberg catalog) in one Maven build.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$HERE/scripts/ensure-toolchain.sh"
cd "$HERE"
exec mvn -B -ntp verify "$@"
