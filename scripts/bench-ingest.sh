#!/usr/bin/env bash
# Ingest benchmark: generates about N events (default 1,000,000) with the standard fault rates, then
# ingests them into a fresh local lake twice -- once into an empty table, once again on top (every line
# then a duplicate, the worst case for the event_id anti-join) -- and prints lines/s for both runs.
# Usage: scripts/bench-ingest.sh [EVENTS]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EVENTS="${1:-1000000}"
WEEKS=4
# The generator's default mix yields about 345 events per user over 4 weeks.
USERS=$(( EVENTS / 345 ))
DATA="$HERE/datasets/generated/bench-$EVENTS"
LAKE="$HERE/target/bench-lake-$EVENTS"

cd "$HERE"
if [ ! -f "$DATA/generation-summary.json" ]; then
  ./goodhart generate --out "$DATA" --seed 1 --users "$USERS" --weeks "$WEEKS" --start 2026-10-05
fi
rm -rf "$LAKE"
CONF=(--conf "goodhart.lake.dir=$LAKE")

run() {
  local label="$1"
  local start end
  start=$(date +%s.%N)
  ./goodhart ingest --input "$DATA/events" "${CONF[@]}" | tail -1
  end=$(date +%s.%N)
  echo "$label: wall time including JVM start $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s"
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM"
run "first ingest (empty table)"
run "re-ingest (all duplicates)"
