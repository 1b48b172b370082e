#!/usr/bin/env bash
# Writes the small outputs the PyTorch tests read, with the CLI: synthetic raw inputs, then three runs of the job
# over them: stock Parquet (what Spark reads back is the reference), Arrow rows, Arrow normalized.
# Usage: write-cli-outputs.sh DIR  ->  DIR/raw, DIR/parquet-rows, DIR/arrow-rows, DIR/arrow-normalized
set -euo pipefail
out="$1"
cli="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bin/training-inputs"
"$cli" generate --out "$out/raw" --customers 150 --days 3 --history-days 60 --items 400 --seed 7 >/dev/null
common=(--impressions "$out/raw/impressions" --clicks "$out/raw/clicks" --atc "$out/raw/atc"
  --orders "$out/raw/orders" --max-actions 40 --train-days 3)
"$cli" run "${common[@]}" --out "$out/parquet-rows" >/dev/null
"$cli" run "${common[@]}" --out "$out/arrow-rows" --format arrow --layout rows >/dev/null
"$cli" run "${common[@]}" --out "$out/arrow-normalized" --format arrow --layout normalized >/dev/null
