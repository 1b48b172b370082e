#!/usr/bin/env bash
# Creates (or reuses) the repository's Python environment .venv with the independent readers the connector's
# checks use: pyarrow, numpy, duckdb. Packages come from the machine's configured pip index; no retries, so an
# unreachable index fails fast. Exit status is non-zero when the environment cannot be made.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import pyarrow, numpy, duckdb" 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet --retries 0 pyarrow numpy duckdb
fi
"$venv/bin/python" -c "import pyarrow, numpy, duckdb; print('pyarrow', pyarrow.__version__, 'numpy', \
numpy.__version__, 'duckdb', duckdb.__version__)"
