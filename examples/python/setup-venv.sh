#!/usr/bin/env bash
# Creates (or reuses) the repository's one Python environment, .venv, for every Python check in the repo: the
# connector's independent readers (pyarrow, numpy, duckdb) and the PyTorch loader, model and tests (torch, pytest).
# Packages come from the machine's configured pip index with no retries, so an unreachable index fails fast.
# torch is pinned to the CPU build (TORCH_SPEC overrides it): the unpinned name resolves to the CUDA wheel, which
# pulls gigabytes of nvidia-* packages; TRAINING_INPUTS_NO_TORCH=1 leaves torch and pytest out (the connector's reader
# check needs only pyarrow, numpy and duckdb). Exit status is non-zero when the environment cannot be made.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"
torch_spec="${TORCH_SPEC:-torch==2.13.0+cpu}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import pyarrow, numpy, duckdb" 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet --retries 0 pyarrow numpy duckdb
fi
if [ "${TRAINING_INPUTS_NO_TORCH:-0}" != "1" ]; then
  if ! "$venv/bin/python" -c "import torch, pytest" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --retries 0 "$torch_spec" pytest
  fi
  # the loader as a package (examples/python/pyproject.toml), installed as a user would install it; reinstalled
  # every time, so the venv holds the sources of this checkout
  "$venv/bin/python" -m pip install --quiet --retries 0 --no-build-isolation --no-deps --force-reinstall \
    "$root/examples/python"
fi
"$venv/bin/python" - <<'PY'
import importlib
found = []
for name in ("pyarrow", "numpy", "duckdb", "torch", "pytest", "training_inputs_torch"):
    try:
        found.append(f"{name} {importlib.import_module(name).__version__}")
    except ImportError:
        found.append(f"{name} absent")
print(", ".join(found))
PY
