"""Exports of a job processed end to end: the API, a real Redis and a real Celery worker."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.generator import generate
from tests.stack import Stack

pytestmark = pytest.mark.integration


def test_processed_statement_exports_and_report(stack: Stack) -> None:
    stack.start_worker(concurrency=1)
    made = generate("us_checking", 3)
    with stack.http() as client:
        job_id = stack.submit(client, made.pdf, document_type="bank_statement")
        stack.wait_for_status(client, job_id, {"completed"}, timeout=90)
        result = client.get(f"/job/{job_id}/result").json()

        exported = client.get(f"/job/{job_id}/export", params={"format": "csv"})
        assert exported.status_code == 200
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        txns = result["extracted_data"]["transactions"]
        assert txns, "the pipeline found no transactions in a generated statement"
        assert [(r["date"], r["amount"]) for r in rows] == [(t["date"], t["amount"]) for t in txns]
        assert [r["category"] for r in rows] == result["reports"]["categories"]["by_transaction"]

        as_json = client.get(f"/job/{job_id}/export", params={"format": "json"})
        assert json.loads(as_json.content) == result
        for fmt in ("xlsx", "ofx"):
            assert client.get(f"/job/{job_id}/export", params={"format": fmt}).status_code == 200

        report = client.get(f"/job/{job_id}/report")
        assert report.status_code == 200 and report.text.count("<svg") == 3
        assert client.get("/job/never-issued/export").status_code == 404
