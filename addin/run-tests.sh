#!/usr/bin/env bash
# The add-in's JavaScript tests: npm ci from the committed lockfile (registry only at install time), then
# Node's test runner; the tests start the real mail-lint service with $PYTHON (default: the repo's .venv).
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${PYTHON:-}" ] && [ -x ../.venv/bin/python ]; then
  export PYTHON="$PWD/../.venv/bin/python"
fi
if [ ! -d node_modules/office-addin-mock ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node --test test/
