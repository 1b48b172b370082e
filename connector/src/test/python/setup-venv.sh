#!/usr/bin/env bash
# Kept for callers of the old path: the repository has one Python environment script,
# examples/python/setup-venv.sh (pyarrow, numpy, duckdb, CPU torch, pytest in .venv).
set -euo pipefail
exec bash "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)/examples/python/setup-venv.sh" "$@"
