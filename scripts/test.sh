#!/usr/bin/env bash
# The README's test command: installs the toolchain when missing, runs the whole Java suite (unit tests
# and Spark tests against a real local Iceberg catalog) in one Maven build, then the Airflow DAG's tests
# (scripts/test-python.sh: its own Python environment, prepared while Maven runs, then pytest; they use
# the jar Maven just built).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$HERE/scripts/ensure-toolchain.sh"
"$HERE/scripts/ensure-browser.sh"
cd "$HERE"
# The Python environment (a first install downloads Airflow: about a minute, mostly waiting on the
# network) is prepared while Maven builds and tests; test-python.sh then finds it ready.
python_env_log="$(mktemp)"
"$HERE/scripts/python-env.sh" >"$python_env_log" 2>&1 &
python_env_pid=$!
status=0
mvn -B -ntp verify "$@" || status=$?
python_env_status=0
wait "$python_env_pid" || python_env_status=$?
cat "$python_env_log" >&2
rm -f "$python_env_log"
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ "$python_env_status" -ne 0 ]; then
  echo "test: preparing the Python environment failed (exit $python_env_status), see above" >&2
  exit "$python_env_status"
fi
exec "$HERE/scripts/test-python.sh"
