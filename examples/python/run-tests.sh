#!/usr/bin/env bash
# The PyTorch loader's checks, for CI: creates .venv (examples/python/setup-venv.sh), writes a small output with
# the CLI (raw inputs -> stock Parquet run, Arrow rows run, Arrow normalized run), then runs pytest over
# examples/python/tests: loader vs. what Spark wrote, exactly-once sharding, training steps. Exits non-zero on
# failure; pytest prints the closing "N passed, N failed" line.
#
# Environment: TRAINING_INPUTS_CLI_OUTPUTS=DIR reuses outputs written earlier by this script (DIR/parquet-rows,
# DIR/arrow-rows, DIR/arrow-normalized) instead of running the CLI.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bash "$here/setup-venv.sh"

if [ -z "${TRAINING_INPUTS_CLI_OUTPUTS:-}" ]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/training-inputs-pytorch.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  cli="$root/bin/training-inputs"
  export SPARK_MASTER="${SPARK_MASTER:-local[2]}" TRAINING_INPUTS_DRIVER_MEMORY="${TRAINING_INPUTS_DRIVER_MEMORY:-2g}"
  "$here/write-cli-outputs.sh" "$work"
  export TRAINING_INPUTS_CLI_OUTPUTS="$work"
fi
# from tests/: the package is imported as installed in .venv, not from the source folder
cd "$here/tests"
exec "$root/.venv/bin/python" -m pytest -q -p no:cacheprovider .
