"""The page and `GET /jobs` with API keys on: the page asks for a key; a key sees its own jobs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.documents import text_pdf
from tests.stack import Stack, running_stack, start_redis

pytestmark = pytest.mark.integration
expect = pytest.importorskip("playwright.sync_api").expect

ALICE, BOB = "alice-page-key-0001", "bob-page-key-0002"


@pytest.fixture(scope="module")
def keyed() -> Iterator[Stack]:
    redis = start_redis()
    try:
        with running_stack(redis, {"DOCPROC_API_KEYS": f"alice:{ALICE},bob:{BOB}"}) as stack:
            yield stack
    finally:
        redis.stop()


def _submit(stack: Stack, key: str, label: str) -> str:
    with httpx.Client(base_url=stack.api_url, headers={"X-API-Key": key}) as client:
        return stack.submit(client, text_pdf(label=label))


def test_each_key_lists_and_follows_only_its_own_jobs(keyed: Stack) -> None:
    bob_job = _submit(keyed, BOB, "Bob")
    alice_job = [_submit(keyed, ALICE, f"Alice {n}") for n in range(3)][-1]
    with httpx.Client(base_url=keyed.api_url, headers={"X-API-Key": BOB}) as bob:
        # Alice's newer jobs are skipped, not counted against Bob's page.
        listed = bob.get("/jobs", params={"limit": 1}).json()
        assert [job["job_id"] for job in listed["jobs"]] == [bob_job]
        assert listed["has_more"] is False
        assert bob.get(f"/job/{alice_job}/events").status_code == 404
    assert httpx.get(f"{keyed.api_url}/jobs").status_code == 401
    assert httpx.get(f"{keyed.api_url}/").status_code == 200  # the page itself is open


def test_page_asks_for_the_key_then_uses_it(keyed: Stack, page: Any) -> None:
    alice_job = _submit(keyed, ALICE, "Alice")
    page.goto(keyed.api_url + "/")
    expect(page.locator("#recent-empty")).to_contain_text("needs an API key")
    page.locator("summary", has_text="API key").click()
    page.get_by_label("API key").fill(ALICE)
    page.get_by_label("API key").press("Tab")  # `change` stores it and reloads the list
    page.locator("#recent-table tbody tr").first.wait_for()
    rows = page.locator("#recent-table tbody tr")
    assert rows.count() >= 1
    page.get_by_role("button", name="Open").first.click()
    # No worker here: the job stays queued and the page follows it by polling with the key.
    card = page.locator(f'li.job[data-job-id="{alice_job}"][data-status="queued"]')
    card.wait_for()
    page.reload()  # the key is remembered in this browser
    page.locator("#recent-table tbody tr").first.wait_for()
