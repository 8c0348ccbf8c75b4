"""Celery's result backend on PostgreSQL (`CELERY_RESULT_BACKEND=db+postgresql://...`)."""

from __future__ import annotations

import os

import pytest
import sqlalchemy

from docproc.config import Settings
from docproc.jobs.celery_app import create_celery, use_psycopg2_for_postgresql
from tests.integration.documents import text_pdf
from tests.stack import Stack

POSTGRES = os.environ.get("DOCPROC_TEST_POSTGRES_URL", "postgresql://postgres@localhost/test")


@pytest.fixture(scope="module")
def postgres_url() -> str:
    use_psycopg2_for_postgresql()
    try:
        with sqlalchemy.create_engine(POSTGRES).connect() as connection:
            connection.execute(sqlalchemy.text("select 1"))
    except sqlalchemy.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES} (.ci/run starts it): {exc}")
    return POSTGRES


def test_postgresql_result_backend_stores_the_task_result(stack: Stack, postgres_url: str) -> None:
    backend = f"db+{postgres_url}"
    stack.start_worker(env={"CELERY_RESULT_BACKEND": backend})
    with stack.http() as client:
        job_id = stack.submit(client, text_pdf(2))
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
    assert final["status"] == "completed", final

    settings = Settings(redis_url=stack.redis_url, celery_result_backend=backend)
    result = create_celery(settings).AsyncResult(job_id)
    assert result.state == "SUCCESS"
    assert result.get(timeout=10)["extracted_data"]["page_count"] == 2
    with sqlalchemy.create_engine(POSTGRES).connect() as connection:
        status = connection.execute(
            sqlalchemy.text("select status from celery_taskmeta where task_id = :id"),
            {"id": job_id},
        ).scalar_one()
    assert status == "SUCCESS"
