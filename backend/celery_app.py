"""`celery -A celery_app worker --loglevel=info --concurrency=2` (run from backend/)."""

from docproc.config import settings_or_exit
from docproc.jobs.celery_app import create_celery

app = create_celery(settings_or_exit())
celery = app
