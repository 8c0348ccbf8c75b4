#!/usr/bin/env bash
# Start a Celery worker from backend/ with the settings in the environment or backend/.env.
# Extra arguments go to celery, e.g. ./start_celery_worker.sh --concurrency=4 -n w2@%h
set -euo pipefail
cd "$(dirname "$0")"
if [ -x .venv/bin/celery ]; then CELERY=.venv/bin/celery; else CELERY=celery; fi
exec "$CELERY" -A celery_app worker --loglevel="${LOGLEVEL:-info}" \
    --concurrency="${CONCURRENCY:-2}" "$@"
