#!/usr/bin/env bash
# The Python environment of orchestration/ (Airflow, its standard provider, pytest, PyYAML): creates a venv
# with orchestration/requirements.txt installed under orchestration/constraints.txt, or reuses the one
# already made from the same two files, and prints its folder on stdout (everything else goes to stderr).
#
#   VENV="$(scripts/python-env.sh)" && "$VENV/bin/airflow" version
#   scripts/python-env.sh --refresh-constraints   # after editing requirements.txt: re-resolve from PyPI
#
# Where: ${GOODHART_VENV_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/goodhart}/venv-<hash>, the hash being of the
# two files and the Python version. Outside the clone so that every clone and worktree on a machine (and
# CI, which starts from a clean clone) shares it; keyed by content so that a changed pin gets a new venv
# and never a half-upgraded one. A venv counts as made only once its stamp file is written, after pip
# succeeded, so an interrupted install is redone.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQ="$HERE/orchestration/requirements.txt"
CON="$HERE/orchestration/constraints.txt"
PY="${GOODHART_PYTHON:-python3}"

command -v "$PY" >/dev/null 2>&1 || { echo "python-env: $PY not found; install Python 3.11+ (or set GOODHART_PYTHON)" >&2; exit 1; }
"$PY" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
  || { echo "python-env: $PY must be Python 3.10+ with the venv module (Debian: apt-get install python3-venv)" >&2; exit 1; }

if [ "${1:-}" = "--refresh-constraints" ]; then
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  "$PY" -m venv "$TMP/venv" >&2
  "$TMP/venv/bin/pip" install -q --disable-pip-version-check -r "$REQ" >&2
  { sed -n '/^#/p' "$CON"; "$TMP/venv/bin/pip" freeze; } > "$TMP/constraints.txt"
  mv "$TMP/constraints.txt" "$CON"
  echo "python-env: wrote $CON from a fresh resolve of $REQ; commit both" >&2
  exit 0
fi

HASH="$( { cat "$REQ" "$CON"; "$PY" -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-16)"
ROOT="${GOODHART_VENV_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/goodhart}"
VENV="$ROOT/venv-$HASH"
STAMP="$VENV/.goodhart-installed"
mkdir -p "$ROOT"

exec 9>"$ROOT/venv-$HASH.lock"
flock 9   # two builds on one machine wait for each other instead of installing into the same folder
if [ -f "$STAMP" ]; then
  echo "python-env: reusing $VENV" >&2
else
  echo "python-env: creating $VENV ..." >&2
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ" -c "$CON" >&2
  "$VENV/bin/pip" check >&2
  date -u +%FT%TZ > "$STAMP"
fi
echo "$VENV"
