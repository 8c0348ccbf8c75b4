"""The web page in a real headless Chromium against the real stack (Redis, worker, API)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import OUTPUT
from tests.generator import generate
from tests.integration.documents import text_pdf
from tests.stack import Stack

pytestmark = pytest.mark.integration
expect = pytest.importorskip("playwright.sync_api").expect


def _choose(page: Any, name: str, data: bytes, mime: str, document_type: str) -> None:
    page.select_option("#document-type", document_type)
    page.set_input_files("#file-input", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.get_by_role("button", name="Upload", exact=True).click()


def test_statement_upload_progress_result_and_csv(
    stack: Stack, page: Any, page_problems: list[str]
) -> None:
    stack.start_worker(concurrency=1)
    made = generate("us_checking", 3)
    event_streams: list[str] = []
    page.on("request", lambda r: event_streams.append(r.url) if "/events" in r.url else None)
    page.goto(stack.api_url + "/")
    _choose(page, "march.pdf", made.pdf, "application/pdf", "bank_statement")

    card = page.locator("li.job", has_text="march.pdf")
    card.locator("progress").wait_for()
    page.locator('li.job[data-status="completed"]').wait_for(timeout=90_000)
    assert card.locator("progress").get_attribute("value") == "100"
    assert card.locator(".pct").inner_text() == "100%"
    # Screen readers hear the milestones through the aria-live region.
    expect(page.locator("#announcer")).to_have_text("march.pdf: Done, 100%")
    job_id = card.get_attribute("data-job-id")
    assert job_id and any(f"/job/{job_id}/events" in url for url in event_streams)

    with stack.http() as client:
        result = client.get(f"/job/{job_id}/result").json()
    transactions = result["extracted_data"]["transactions"]
    assert result["reports"]["reconciliation"]["status"] == "balanced"

    page.locator("#rec-badge").wait_for()
    assert page.locator("#rec-badge").inner_text().strip().endswith("Balanced")
    rows = page.locator("table.txns tbody tr")
    assert rows.count() == len(transactions)
    first_description = rows.nth(0).locator("td").nth(2).inner_text()
    assert first_description == transactions[0]["description"]
    assert page.locator(".chart svg").count() == 3
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('input, select, button')]"
        ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
        " && !e.textContent.trim()).map(e => e.outerHTML)"
    )
    assert unlabelled == []
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "e2e-result.png"), full_page=True)

    with page.expect_download() as waiting:
        page.locator('button[data-format="csv"]').click()
    assert waiting.value.suggested_filename == "march.csv"
    downloaded = Path(waiting.value.path()).read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(downloaded.splitlines()))
    assert [(r["date"], r["amount"]) for r in exported] == [
        (t["date"], t["amount"]) for t in transactions
    ]

    with page.expect_popup() as opened:
        page.locator('button[data-format="html"]').click()
    report = opened.value
    report.wait_for_load_state()
    assert report.url.endswith(f"/job/{job_id}/report")
    assert report.locator("svg").count() == 3
    report.close()

    # Filtering narrows the table; the recent list and the open result survive a reload.
    page.fill("#txn-search", transactions[0]["description"])
    assert 1 <= rows.count() < len(transactions)
    page.reload()
    page.locator("#recent-table tbody tr", has_text="march.pdf").wait_for()
    page.locator("#rec-badge").wait_for()
    assert page_problems == []


_DROP = """(zone, files) => {
  const data = new DataTransfer();
  for (const f of files) data.items.add(new File([f.text], f.name, {type: f.type}));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
}"""


def test_dropped_non_pdf_and_empty_files_show_their_errors_in_plain_words(
    stack: Stack, page: Any, page_problems: list[str]
) -> None:
    page.goto(stack.api_url + "/")
    dropped = [
        {"name": "notes.txt", "text": "just some notes, not a statement", "type": "text/plain"},
        {"name": "empty.pdf", "text": "", "type": "application/pdf"},
    ]
    page.locator("#drop-zone").evaluate(_DROP, dropped)
    notes = page.locator('li.job[data-status="failed"]', has_text="notes.txt")
    notes.wait_for()
    assert "not a PDF or an image" in notes.locator(".advice").inner_text()
    assert notes.locator(".error-text").inner_text().strip()
    assert notes.locator("form.retry").is_hidden()
    empty = page.locator('li.job[data-status="failed"]', has_text="empty.pdf")
    empty.wait_for()
    assert "The file is empty" in empty.locator(".advice").inner_text()
    assert stack.queue_length() == 0
    assert [p for p in page_problems if "page error" in p or "off the machine" in p] == []


def test_locked_pdf_asks_for_its_password_and_retries(stack: Stack, page: Any) -> None:
    page.goto(stack.api_url + "/")
    _choose(page, "locked.pdf", text_pdf(password="s3cret"), "application/pdf", "generic")
    card = page.locator("li.job", has_text="locked.pdf")
    card.locator("form.retry").wait_for()
    assert card.get_attribute("data-status") == "failed"
    assert "locked" in card.locator(".advice").inner_text()
    card.get_by_label("Password for this PDF").fill("s3cret")
    card.get_by_role("button", name="Retry").click()
    page.locator('li.job[data-job-id][data-status="queued"]', has_text="locked.pdf").wait_for()
    assert card.locator(".job-error").is_hidden()
    assert stack.queue_length() == 1

    # No worker here, so it waits: cancelling deletes the job.
    job_id = card.get_attribute("data-job-id")
    card.get_by_role("button", name="Cancel locked.pdf").click()
    page.locator('li.job[data-status="cancelled"]', has_text="locked.pdf").wait_for()
    with stack.http() as client:
        assert client.get(f"/job/{job_id}/status").status_code == 404


def test_many_files_at_once_each_get_a_job_and_finish(stack: Stack, page: Any) -> None:
    stack.start_worker(concurrency=2)
    streams: list[str] = []
    page.on("request", lambda r: streams.append(r.url) if r.url.endswith("/events") else None)
    page.goto(stack.api_url + "/")
    files = [
        {"name": f"statement-{seed}.pdf", "mimeType": "application/pdf", "buffer": pdf}
        for seed, pdf in ((seed, generate("us_checking", seed).pdf) for seed in range(10, 15))
    ]
    page.set_input_files("#file-input", files=files)
    page.get_by_role("button", name="Upload", exact=True).click()
    cards = page.locator("li.job")
    expect(cards).to_have_count(len(files))
    expect(page.locator('li.job[data-status="completed"]')).to_have_count(
        len(files), timeout=90_000
    )
    # Some follow the event stream, the rest poll: the page never holds too many connections.
    assert 1 <= len(set(streams)) <= 3
    assert page.locator("#rec-badge").is_visible()


def test_file_over_the_upload_limit_is_explained(stack: Stack, page: Any) -> None:
    page.goto(stack.api_url + "/")
    too_big = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)  # the test stack allows 2 MiB
    _choose(page, "huge.pdf", too_big, "application/pdf", "bank_statement")
    card = page.locator('li.job[data-status="failed"]', has_text="huge.pdf")
    card.wait_for()
    assert "larger than the upload limit" in card.locator(".advice").inner_text()
    assert stack.queue_length() == 0
