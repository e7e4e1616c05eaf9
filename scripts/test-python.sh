#!/usr/bin/env bash
# The Python half of the test command: the interop tests (src/test/python: pyiceberg and DuckDB read the
# lake) and the Airflow DAG in orchestration/, tested in real Airflow
# (a DagBag import, the operator against fake commands, and `airflow dags test` runs, one of them of the
# real nightly on the bundled sample). Needs target/goodhart.jar, which the Maven build before it makes.
# Extra arguments go to pytest, e.g. scripts/test-python.sh -k sample; --only DIR runs one of the two folders.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

start=$SECONDS
VENV="$("$HERE/scripts/python-env.sh")"
echo "test-python: Python environment ready in $((SECONDS - start)) s ($VENV)"

# goodhart processes started by the tests (through ./goodhart) are short-lived: C1 only, and a modest
# heap, as GoodhartJar gives the Java integration tests (see there for why).
export GOODHART_JAVA_OPTS="${GOODHART_JAVA_OPTS:--XX:MaxRAMPercentage=25 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m}"

start=$SECONDS
cd "$HERE"
status=0
paths=(orchestration/tests src/test/python)
if [ "${1:-}" = "--only" ]; then
  paths=("$2")
  shift 2
fi
"$VENV/bin/python" -m pytest "${paths[@]}" -p no:cacheprovider --durations=5 "$@" || status=$?
echo "test-python: pytest took $((SECONDS - start)) s"
exit "$status"
