"""Where uploads wait: Redis by default, a shared directory as the option."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.documents import text_pdf
from tests.stack import RedisServer, Stack, running_stack, wait_until


def test_redis_upload_has_a_lifetime_and_is_deleted_after_the_job(stack: Stack) -> None:
    with stack.http() as client:
        job_id = stack.submit(client, text_pdf(1))
        redis = stack.redis.client()
        ttl = redis.ttl(f"docproc:upload:{job_id}")
        assert 0 < ttl <= 7 * 24 * 3600
        stored = redis.get(f"docproc:upload:{job_id}")
        assert isinstance(stored, bytes) and stored.startswith(b"%PDF-")
        stack.start_worker()
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
    assert final["status"] == "completed", final
    # deleted just after the result is stored (a worker at idle priority may lag behind)
    wait_until(lambda: not redis.exists(f"docproc:upload:{job_id}"), 30, "the upload's deletion")
    assert redis.ttl(f"docproc:result:{job_id}") > 0


@pytest.fixture(scope="module")
def directory_stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[tuple[Stack, Path]]:
    uploads = tmp_path_factory.mktemp("uploads")
    settings = {"DOCPROC_STORAGE_BACKEND": "directory", "DOCPROC_STORAGE_DIR": str(uploads)}
    with running_stack(redis_server, settings) as stack:
        yield stack, uploads


def test_directory_backend_names_files_by_job_id_only(
    directory_stack: tuple[Stack, Path],
) -> None:
    stack, uploads = directory_stack
    with stack.http() as client:
        response = client.post(
            "/process",
            files={"file": ("../../../tmp/evil name.pdf", text_pdf(2), "application/pdf")},
            data={"document_type": "generic"},
        )
        assert response.status_code == 202, response.text
        job_id = response.json()["job_id"]
        assert response.json()["filename"] == "evil name.pdf"
        assert [p.name for p in uploads.iterdir()] == [job_id]
        assert not stack.redis.client().exists(f"docproc:upload:{job_id}")
        stack.start_worker()
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
        wait_until(lambda: not list(uploads.iterdir()), 30, "the upload's deletion")
        stack.stop_workers()
    assert final["status"] == "completed", final
    assert final["result"]["extracted_data"]["page_count"] == 2


def test_storage_read_error_is_retried_with_backoff(directory_stack: tuple[Stack, Path]) -> None:
    # A real transient failure: the upload cannot be read (a directory stands in its place)
    # until the test puts it back; the task retries instead of failing the job.
    stack, uploads = directory_stack
    with stack.http() as client:
        job_id = stack.submit(client, text_pdf(1))
        upload = uploads / job_id
        kept = upload.read_bytes()
        upload.unlink()
        upload.mkdir()
        stack.start_worker()
        retrying = wait_until(
            lambda: _retrying(client, job_id), 30, "the job to be queued again for a retry"
        )
        assert retrying["status"] == "queued" and retrying["attempts"] == 1
        upload.rmdir()
        upload.write_bytes(kept)
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
        stack.stop_workers()
    assert final["status"] == "completed", final
    assert final["attempts"] == 2


def _retrying(client: httpx.Client, job_id: str) -> dict[str, Any] | None:
    status: dict[str, Any] = client.get(f"/job/{job_id}/status").json()
    return status if "transient error" in status["message"] else None
