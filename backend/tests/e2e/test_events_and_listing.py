"""`GET /job/{id}/events` (server-sent events) and `GET /jobs` against the real stack."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.generator import generate
from tests.integration.documents import text_pdf
from tests.stack import Stack

pytestmark = pytest.mark.integration


def _events(client: httpx.Client, job_id: str, on_first: Any = None) -> list[dict[str, Any]]:
    """Every status object of the stream, read until the server ends it."""
    events: list[dict[str, Any]] = []
    with client.stream("GET", f"/job/{job_id}/events", timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line.removeprefix("data: ")))
                if len(events) == 1 and on_first is not None:
                    on_first()
    return events


def test_event_stream_follows_a_job_to_its_end(stack: Stack) -> None:
    made = generate("us_checking", 5)
    with stack.http() as client:
        job_id = stack.submit(client, made.pdf, document_type="bank_statement")
        # No worker yet: the stream starts with the queued record, then follows the worker.
        events = _events(client, job_id, on_first=lambda: stack.start_worker(concurrency=1))
        assert events[0]["status"] == "queued" and events[0]["job_id"] == job_id
        assert any(e["status"] == "processing" and 0 < e["progress"] < 100 for e in events)
        progress = [e["progress"] for e in events if e["status"] == "processing"]
        assert progress == sorted(progress)
        assert events[-1]["status"] == "completed" and events[-1]["progress"] == 100
        assert "result" not in events[-1]

        # A finished job: one event, then the stream ends.
        again = _events(client, job_id)
        assert [e["status"] for e in again] == ["completed"]

        missing = client.get("/job/never-issued/events")
        assert missing.status_code == 404
        assert missing.json()["error_type"] == "job_not_found"


def test_jobs_are_listed_newest_first_a_page_at_a_time(stack: Stack) -> None:
    with stack.http() as client:
        mine = [stack.submit(client, text_pdf(label=f"Doc {n}")) for n in range(3)]
        listed = client.get("/jobs", params={"limit": 100}).json()
        ids = [job["job_id"] for job in listed["jobs"]]
        assert [i for i in ids if i in mine] == mine[::-1]
        assert ids[0] == mine[-1]
        assert all("result" not in job and "password" not in job for job in listed["jobs"])

        paged: list[str] = []
        offset: int | None = 0
        while offset is not None:
            page = client.get("/jobs", params={"limit": 2, "offset": offset}).json()
            assert len(page["jobs"]) <= 2
            paged += [job["job_id"] for job in page["jobs"]]
            offset = page["next_offset"]
        assert paged == ids
        assert client.get("/jobs", params={"limit": 0}).status_code == 422
