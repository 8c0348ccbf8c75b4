"""The export routes, on a FastAPI app holding only them; the job store is an in-memory stand-in
with the two methods the routes read (the real store is exercised by the integration tests)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from docproc.api.deps import get_store
from docproc.api.errors import install_error_handlers
from docproc.api.routes import exports
from docproc.jobs.store import JobStatus
from docproc.models import ProcessingResult
from docproc.pipeline.reports import build_reports
from docproc.pipeline.reports.categories import builtin_rules
from tests.unit.reports.statements import two_months


class StoreStandIn:
    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.results: dict[str, bytes] = {}

    def get(self, job_id: str) -> dict[str, Any] | None:
        return self.records.get(job_id)

    def result_json(self, job_id: str) -> bytes | None:
        return self.results.get(job_id)


@pytest.fixture
def client() -> TestClient:
    store = StoreStandIn()
    statement = two_months()
    result = ProcessingResult(
        document_type="bank_statement",
        filename="März statement.pdf",
        extracted_data=statement.model_dump(mode="json"),
        reports=build_reports(statement, category_rules=builtin_rules()),
    )
    store.records["done"] = {"job_id": "done", "status": JobStatus.COMPLETED.value}
    store.results["done"] = result.model_dump_json().encode()
    store.records["busy"] = {"job_id": "busy", "status": JobStatus.PROCESSING.value}
    generic = ProcessingResult(
        document_type="generic",
        filename="a.pdf",
        extracted_data={"page_count": 0, "pages": []},
    )
    store.records["generic"] = {"job_id": "generic", "status": JobStatus.COMPLETED.value}
    store.results["generic"] = generic.model_dump_json().encode()
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(exports.router)
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app)


def test_csv_export(client: TestClient) -> None:
    answer = client.get("/job/done/export", params={"format": "csv"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="M_rz statement.csv"' in answer.headers["content-disposition"]
    assert "filename*=UTF-8''M%C3%A4rz%20statement.csv" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["amount"] for r in rows] == ["2000.00", "-150.25", "-15.99", "-100.00", "-5.00"]


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("json", "application/json"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("ofx", "application/x-ofx"),
        ("html", "text/html; charset=utf-8"),
    ],
)
def test_every_format(client: TestClient, fmt: str, media_type: str) -> None:
    answer = client.get("/job/done/export", params={"format": fmt})
    assert (answer.status_code, answer.headers["content-type"]) == (200, media_type)
    assert answer.headers["content-disposition"].startswith("attachment;")


def test_default_format_is_json(client: TestClient) -> None:
    answer = client.get("/job/done/export")
    assert answer.json()["reports"]["summary"]["money_in"] == "2000.00"


def test_report_is_inline_html(client: TestClient) -> None:
    answer = client.get("/job/done/report")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("inline;")
    assert answer.text.count("<svg") == 3


def test_unknown_job_busy_job_bad_format(client: TestClient) -> None:
    assert client.get("/job/nope/export").status_code == 404
    assert client.get("/job/nope/report").json()["error_type"] == "job_not_found"
    busy = client.get("/job/busy/export", params={"format": "csv"})
    assert (busy.status_code, busy.json()["status"]) == (409, "processing")
    assert client.get("/job/busy/report").status_code == 409
    bad = client.get("/job/done/export", params={"format": "pdf"})
    assert (bad.status_code, bad.json()["error_type"]) == (422, "unsupported_export")
    assert client.get("/job/generic/export", params={"format": "csv"}).status_code == 422
    assert client.get("/job/generic/export").status_code == 200
