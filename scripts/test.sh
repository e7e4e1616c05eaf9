#!/usr/bin/env bash
# The README's test command: installs the toolchain when missing, runs the whole Java suite (unit tests
# and Spark tests against a real local Iceberg catalog) in one Maven build, then the Airflow DAG's tests
# (scripts/test-python.sh: its own Python environment, then pytest; they use the jar Maven just built).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$HERE/scripts/ensure-toolchain.sh"
"$HERE/scripts/ensure-browser.sh"
cd "$HERE"
mvn -B -ntp verify "$@"
exec "$HERE/scripts/test-python.sh"
