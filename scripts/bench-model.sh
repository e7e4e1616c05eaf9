#!/usr/bin/env bash
# Padding model benchmark: generates USERS x WEEKS (default 5,000 x 8), ingests it, computes the weekly
# features, then times training (goodhart train) and scoring (goodhart classify) and prints the model's
# quality against the generator's ground truth (goodhart evaluate).
# Usage: scripts/bench-model.sh [USERS] [WEEKS]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
USERS="${1:-5000}"
WEEKS="${2:-8}"
START=2026-08-03
DATA="$HERE/datasets/generated/model-$USERS-$WEEKS"
LAKE="$HERE/target/bench-model-$USERS-$WEEKS"
LAST=$(date -d "$START + $((WEEKS * 7 - 1)) days" +%F)
cd "$HERE"
./goodhart --help >/dev/null   # builds the jar once, outside the timings
if [ ! -f "$DATA/generation-summary.json" ]; then
  ./goodhart generate --out "$DATA" --seed 11 --users "$USERS" --weeks "$WEEKS" --start "$START"
fi
rm -rf "$LAKE"
CONF=(--conf "goodhart.lake.dir=$LAKE")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM; $USERS users x $WEEKS weeks"
./goodhart load-directory --input "$DATA/directory.csv" "${CONF[@]}"
./goodhart ingest --input "$DATA/events" "${CONF[@]}" | tail -1
./goodhart features --date "$LAST" "${CONF[@]}" | tail -1
./goodhart train --date "$LAST" "${CONF[@]}" | grep -E "trained"
./goodhart classify --date "$LAST" "${CONF[@]}" | grep -E "published"
./goodhart evaluate --labels "$DATA/ground_truth.csv" "${CONF[@]}"
