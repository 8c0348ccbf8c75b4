"""Logs never contain document text, account numbers, passwords or keys.

Real jobs through a real worker (a generated statement, a locked PDF with its password, a
document that fails), every endpoint that shows a job's data called, then the captured output
of the API (at DEBUG) and of the worker scanned for the secrets and the document's words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from tests.generator import generate
from tests.integration.documents import BODY_LINE, text_pdf
from tests.security.conftest import ALICE, BOB, SECURED_ENV, WEBHOOK_SECRET, client
from tests.stack import Stack, running_stack, start_redis, wait_until

PASSWORD = "pdf-password-7f3e"


@pytest.fixture(scope="module")
def verbose() -> Iterator[Stack]:
    redis = start_redis()
    try:
        with running_stack(redis, {**SECURED_ENV, "DOCPROC_LOG_LEVEL": "DEBUG"}) as stack:
            stack.start_worker(concurrency=1)
            yield stack
    finally:
        redis.stop()


def test_no_document_text_account_number_password_or_key_reaches_a_log(verbose: Stack) -> None:
    made = generate("us_checking", 5)
    account = made.truth.account_number
    assert account and len(re.sub(r"\D", "", account)) >= 8
    with client(verbose, ALICE) as http:
        jobs = {
            verbose.submit(http, made.pdf, document_type="bank_statement"): "completed",
            verbose.submit(http, text_pdf(1, password=PASSWORD), password=PASSWORD): "completed",
            # A page of prose read as a statement (finds no table; its words must stay out too).
            verbose.submit(http, text_pdf(1), document_type="bank_statement"): "completed",
        }
        finals = {j: verbose.wait_for_status(http, j, {"completed", "failed"}, timeout=90)
                  for j in jobs}
        statement = next(iter(jobs))
        result = http.get(f"/job/{statement}/result").json()
        for path in ("export?format=csv", "export?format=json", "report", "events"):
            assert http.get(f"/job/{statement}/{path}").status_code == 200, path
        assert http.get("/jobs").status_code == 200
    assert {j: f["status"] for j, f in finals.items()} == jobs
    # The statement was really read: what must stay out of the logs is in its result.
    found = result["extracted_data"]
    assert re.sub(r"\D", "", found["account_number"] or "") == re.sub(r"\D", "", account)
    descriptions = {t.description for t in made.truth.transactions if len(t.description) >= 10}
    assert descriptions & {t["description"] for t in found["transactions"]}

    # The logs are there and say something: every job's lines carry its id. (The pool process
    # writes its last line just after the job's status says it ended: wait for it.)
    wait_until(lambda: _job_ids(verbose.workers[0].output()) >= set(jobs), 30,
               "every job's id in the worker's log")
    api_log = (verbose.logs / "api.log").read_text(errors="replace")
    worker_log = verbose.workers[0].output()
    secrets = {"account number": account, "account digits": re.sub(r"\D", "", account),
               "password": PASSWORD, "alice's key": ALICE, "bob's key": BOB,
               "webhook secret": WEBHOOK_SECRET, "document text": BODY_LINE,
               "holder": made.truth.account_holder or "(none)"}
    secrets.update({f"description {d!r}": d for d in descriptions})
    for name, log in (("API", api_log), ("worker", worker_log)):
        leaked = [what for what, value in secrets.items() if value in log]
        assert not leaked, f"the {name} log contains {leaked}"
    assert _job_ids(worker_log) >= set(jobs), worker_log[-3000:]


def _job_ids(log: str) -> set[str | None]:
    return {json.loads(x).get("job_id") for x in log.splitlines() if x.startswith("{")}
