"""The app's routes: every operation but /health needs a key, POST /process too (it is outside
the router-level guard: it authenticates in its single Redis call), and POST /process still
documents its form for the docs and the fuzz test."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from docproc.api.app import create_app
from docproc.config import Settings


@pytest.fixture(scope="module")
def app() -> FastAPI:
    # Keys on; the Redis it names is never reached (a missing key is refused before any I/O).
    settings = Settings(_env_file=None, redis_url="redis://127.0.0.1:1/0",  # type: ignore[call-arg]
                        api_keys="alice:alice-secret-key-0001")
    return create_app(settings)


def test_every_operation_but_health_refuses_a_request_without_a_key(app: FastAPI) -> None:
    """Including POST /process, which is outside the app's router-level guard."""
    http = TestClient(app, raise_server_exceptions=False)
    operations = [(method.upper(), path) for path, item in app.openapi()["paths"].items()
                  for method in item]
    assert ("POST", "/process") in operations and len(operations) >= 10
    for method, path in operations:
        answer = http.request(method, re.sub(r"\{[^}]+\}", "x", path))
        expected = 200 if path == "/health" else 401
        assert answer.status_code == expected, (method, path, answer.text)


def test_process_documents_its_form_and_header(app: FastAPI) -> None:
    operation = app.openapi()["paths"]["/process"]["post"]
    schema = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["file"] == {
        "type": "string", "format": "binary", "description": "the document (PDF or image)"
    }
    assert {"document_type", "password", "callback_url"} <= set(schema["properties"])
    header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["schema"]["maxLength"] == 200
    assert {"202", "401", "413", "415", "422", "429"} <= set(operation["responses"])
