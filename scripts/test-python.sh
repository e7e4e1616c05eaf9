#!/usr/bin/env bash
# The Python half of the test command: the interop tests (src/test/python: pyiceberg and DuckDB read the
# lake) and the Airflow DAG in orchestration/, tested in real Airflow
# (a DagBag import, the operator against fake commands, and `airflow dags test` runs, one of them of the
# real nightly on the bundled sample). Needs target/goodhart.jar, which the Maven build before it makes.
# Extra arguments go to pytest, e.g. scripts/test-python.sh -k sample
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

start=$SECONDS
VENV="$("$HERE/scripts/python-env.sh")"
echo "test-python: Python environment ready in $((SECONDS - start)) s ($VENV)"

start=$SECONDS
cd "$HERE"
status=0
"$VENV/bin/python" -m pytest orchestration/tests src/test/python -p no:cacheprovider --durations=5 "$@" || status=$?
echo "test-python: pytest took $((SECONDS - start)) s"
exit "$status"
