"""Where uploads wait: Redis by default, a shared directory as the option."""

from __future__ import annotations

from pathlib import Path

from tests.integration.documents import text_pdf
from tests.stack import RedisServer, Stack, running_stack


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
    assert not redis.exists(f"docproc:upload:{job_id}")
    assert redis.ttl(f"docproc:result:{job_id}") > 0


def test_directory_backend_names_files_by_job_id_only(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    uploads = tmp_path / "uploads"
    settings = {"DOCPROC_STORAGE_BACKEND": "directory", "DOCPROC_STORAGE_DIR": str(uploads)}
    with running_stack(redis_server, settings) as stack, stack.http() as client:
        response = client.post(
            "/process",
            files={"file": ("../../../tmp/evil name.pdf", text_pdf(2), "application/pdf")},
            data={"document_type": "generic"},
        )
        assert response.status_code == 202, response.text
        job_id = response.json()["job_id"]
        assert response.json()["filename"] == "evil name.pdf"
        assert [p.name for p in uploads.iterdir()] == [job_id]
        assert not redis_server.client().exists(f"docproc:upload:{job_id}")
        stack.start_worker()
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
    assert final["status"] == "completed", final
    assert final["result"]["extracted_data"]["page_count"] == 2
    assert list(uploads.iterdir()) == []
