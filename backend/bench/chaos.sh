#!/usr/bin/env bash
# The chaos tests at full size: 100 jobs, 10 whole-worker SIGKILLs, then a Redis restart burst
# and the scale-out worker in a network namespace. Prints pytest's summary; run from anywhere.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DOCPROC_CHAOS_BURST="${DOCPROC_CHAOS_BURST:-100}" DOCPROC_CHAOS_KILLS="${DOCPROC_CHAOS_KILLS:-10}" \
    exec .venv/bin/python -m pytest -q tests/chaos "$@"
