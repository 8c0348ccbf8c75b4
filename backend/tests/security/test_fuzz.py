"""Fuzz the API from its own OpenAPI schema (schemathesis): no request ever gets a 5xx,
and every refusal carries `error` and `error_type`.

Bounded: DOCPROC_FUZZ_EXAMPLES (default 25) generated requests per operation.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.security.conftest import ALICE
from tests.stack import Stack

EXAMPLES = int(os.environ.get("DOCPROC_FUZZ_EXAMPLES", "25"))


def test_no_request_from_the_schema_gets_a_5xx(secured: Stack) -> None:
    schema = schemathesis.openapi.from_url(f"{secured.api_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5, "the schema lost its operations"
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case: Any) -> None:
            response = case.call(headers={"X-API-Key": ALICE}, timeout=30)
            # /ready answers 503 by design when no worker is alive (documented in the schema).
            problem = None if case.formatted_path == "/ready" else _problem(response)
            if problem:
                failures.append(f"{case.method} {case.formatted_path}: {problem}")

        call()
    assert not failures, "\n".join(failures[:20])


def _problem(response: Any) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code}: {response.text[:300]}"
    if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
        body = response.json()
        if not (isinstance(body, dict) and body.get("error") and body.get("error_type")):
            return f"{response.status_code} without error/error_type: {str(body)[:300]}"
    return None
