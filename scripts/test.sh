#!/usr/bin/env bash
# The README's test command: installs the toolchain when missing, then
#   1. the Maven build with the JUnit suite (unit tests and Spark tests against a real local Iceberg
#      catalog) and the jars, while the Python environment is prepared in the background;
#   2. at the same time, the integration tests (failsafe: the packaged CLI in real processes) and the
#      Airflow DAG's tests (scripts/test-python.sh on orchestration/tests), both using the jar of step 1:
#      each spends much of its time starting JVMs one after the other, so together they finish sooner;
#   3. the interop tests (pyiceberg and DuckDB read the sample lake that DashboardBrowserIT loaded).
# Extra arguments go to Maven. Exits with the first failure's code.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$HERE/scripts/ensure-toolchain.sh"
"$HERE/scripts/ensure-browser.sh"
cd "$HERE"

python_env_log="$(mktemp)"
it_log="$(mktemp)"
trap 'rm -f "$python_env_log" "$it_log"' EXIT
"$HERE/scripts/python-env.sh" >"$python_env_log" 2>&1 &
python_env_pid=$!

status=0
mvn -B -ntp verify -DskipITs "$@" || status=$?
python_env_status=0
wait "$python_env_pid" || python_env_status=$?
cat "$python_env_log" >&2
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ "$python_env_status" -ne 0 ]; then
  echo "test: preparing the Python environment failed (exit $python_env_status), see above" >&2
  exit "$python_env_status"
fi

echo "test: integration tests (output below when they end) and Airflow tests, side by side"
mvn -B -ntp failsafe:integration-test failsafe:verify "$@" >"$it_log" 2>&1 &
it_pid=$!
airflow_status=0
"$HERE/scripts/test-python.sh" --only orchestration/tests || airflow_status=$?
it_status=0
wait "$it_pid" || it_status=$?
cat "$it_log"
if [ "$it_status" -ne 0 ]; then
  exit "$it_status"
fi
if [ "$airflow_status" -ne 0 ]; then
  exit "$airflow_status"
fi
exec "$HERE/scripts/test-python.sh" --only src/test/python
