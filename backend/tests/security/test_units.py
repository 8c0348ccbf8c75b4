"""Pure parts of the trust area, without services: key parsing, signatures, redaction, metrics."""

from __future__ import annotations

import json
import logging
import time

import pytest

from docproc.jobs.webhooks import sign, verify
from docproc.observability.logs import JsonFormatter, redact
from docproc.observability.metrics import HISTOGRAMS, _bucket_index, _histograms
from docproc.observability.sweeper import message_job_id
from docproc.security.keys import digest, key_id, parse_keys


def test_keys_are_parsed_named_and_kept_only_as_digests() -> None:
    keys = parse_keys("alice:alice-key-123, bob:bob-key-4567,bare-key-89")
    assert keys[digest("alice-key-123")] == "alice"
    assert keys[digest("bare-key-89")] == key_id(digest("bare-key-89"))
    assert not any("key-" in d for d in keys)
    with pytest.raises(ValueError, match="8 characters"):
        parse_keys("carol:short")


def test_signature_verifies_only_the_same_body_secret_and_a_recent_time() -> None:
    body = b'{"job_id": "1", "status": "completed"}'
    header = sign(b"secret", body)
    assert verify(b"secret", body, header)
    assert not verify(b"other", body, header)
    assert not verify(b"secret", body + b" ", header)
    old = sign(b"secret", body, timestamp=int(time.time()) - 3600)
    assert not verify(b"secret", body, old)
    assert not verify(b"secret", body, "garbage")


@pytest.mark.parametrize(
    ("text", "hidden"),
    [("account 1234567890 balance", "1234567890"), ("card 4111 1111 1111 1111", "4111 1111"),
     ("X-API-Key: abcdefsecret", "abcdefsecret"), ("password=hunter2xyz", "hunter2xyz")],
)
def test_redaction_hides_numbers_and_secrets(text: str, hidden: str) -> None:
    assert hidden not in redact(text)


def test_json_log_line_carries_job_id_and_drops_celery_task_results() -> None:
    record = logging.LogRecord(
        "celery.app.trace", logging.INFO, __file__, 1,
        "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s",
        ({"name": "t", "id": "j1", "runtime": 0.1,
          "return_value": {"transactions": ["SALARY ACME 1234567890"]}},), None,
    )
    record.job_id = "j1"
    line = json.loads(JsonFormatter().format(record))
    assert line["job_id"] == "j1" and "SALARY" not in json.dumps(line)


def test_histogram_buckets_are_cumulative() -> None:
    bounds = HISTOGRAMS["processing"][1]
    assert _bucket_index(bounds, 0.05) == 0 and _bucket_index(bounds, 10_000) == len(bounds)
    values = {"processing:b0": 2.0, "processing:b3": 1.0, "processing:sum": 1.5}
    family = next(f for f in _histograms(values) if f.name == "docproc_job_processing_seconds")
    buckets = [s.value for s in family.samples if s.name.endswith("_bucket")]
    assert buckets == sorted(buckets) and buckets[-1] == 3.0


def test_sweeper_reads_the_job_id_and_eta_of_a_kombu_message() -> None:
    payload = json.dumps([{"headers": {"id": "abc", "eta": "2030-01-01T00:00:00+00:00"}},
                          "", "celery"]).encode()
    job_id, eta = message_job_id(payload)
    assert job_id == "abc" and eta is not None and eta > time.time()
    assert message_job_id(b"not json") == (None, None)
