"""A broker apart from the job store's Redis: the task is published by Celery itself."""

from __future__ import annotations

from redis import Redis

from tests.integration.documents import text_pdf
from tests.stack import RedisServer, running_stack


def test_separate_broker_database_carries_the_jobs(redis_server: RedisServer) -> None:
    broker = redis_server.url.rsplit("/", 1)[0] + "/5"
    with (
        running_stack(redis_server, {"CELERY_BROKER_URL": broker}) as stack,
        stack.http() as client,
    ):
        store_queue = stack.queue_length()
        job_id = stack.submit(client, text_pdf(2))
        assert Redis.from_url(broker).llen("celery") == 1
        assert stack.queue_length() == store_queue  # nothing queued in the job store's database
        stack.start_worker()
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
    assert final["status"] == "completed", final
    assert final["result"]["extracted_data"]["page_count"] == 2
