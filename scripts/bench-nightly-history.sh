#!/usr/bin/env bash
# Nightly cost against history: builds lakes holding 1 and 8 weeks of history at the same daily volume,
# then times one nightly run (ingest of the day's delivery + directory refresh + curated jobs) on each.
# An incremental nightly should cost the same on both. Prints one line per history size.
# Usage: scripts/bench-nightly-history.sh [USERS] [HISTORY_WEEKS...]   (default: 1500 users, 1 and 8 weeks)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
USERS="${1:-1500}"
shift || true
SIZES=(1 8)
if [ $# -gt 0 ]; then SIZES=("$@"); fi
START=2026-08-03   # a Monday
cd "$HERE"
./goodhart --help >/dev/null   # builds the jar once, outside the timings

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM; $USERS users"
for WEEKS in "${SIZES[@]}"; do
  DATA="$HERE/datasets/generated/history-$USERS-$WEEKS"
  LAKE="$HERE/target/bench-history-$USERS-$WEEKS"
  STAGE="$HERE/target/bench-history-stage-$USERS-$WEEKS"
  # History weeks, then the measured week: the measured night is its Wednesday.
  NIGHT=$(date -d "$START + $((WEEKS * 7 + 2)) days" +%F)
  if [ ! -f "$DATA/generation-summary.json" ]; then
    ./goodhart generate --out "$DATA" --seed 3 --users "$USERS" --weeks $((WEEKS + 1)) --start "$START" >/dev/null
  fi
  rm -rf "$LAKE" "$STAGE"
  mkdir -p "$STAGE"
  for folder in "$DATA"/events/date=*; do
    day="${folder##*date=}"
    if [[ "$day" < "$NIGHT" ]]; then ln -s "$folder" "$STAGE/"; fi
  done
  CONF=(--conf "goodhart.lake.dir=$LAKE")
  ./goodhart load-directory --input "$DATA/directory.csv" "${CONF[@]}" >/dev/null
  ./goodhart ingest --input "$STAGE" "${CONF[@]}" | tail -1
  ./goodhart nightly --date "$(date -d "$NIGHT - 1 day" +%F)" "${CONF[@]}" >/dev/null
  events=$(./goodhart sql -e "SELECT count(*) FROM lake.raw.usage_events" "${CONF[@]}" 2>/dev/null | sed -n 4p | tr -d '| ')
  start=$(date +%s.%N)
  ./goodhart nightly --date "$NIGHT" --input "$DATA/events" --directory "$DATA/directory.csv" "${CONF[@]}" \
    > "$LAKE.night.log"
  end=$(date +%s.%N)
  steps=$(grep -E "published|lines read" "$LAKE.night.log" | sed -E 's/.*\[([0-9.]+) s.*/\1/' | paste -sd' ')
  printf "history %d week(s), %s events in the lake: nightly %s wall %.1f s (JVM start included); step seconds: %s\n" \
    "$WEEKS" "$events" "$NIGHT" "$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')" "$steps"
done
