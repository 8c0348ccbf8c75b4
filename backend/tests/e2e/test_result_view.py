"""The result view of a statement that does not balance: breaks and OCR suspects are marked.

The record is written straight into the stack's Redis (a real API and Redis, no worker): the
generator's statements always balance, and this is about what the page shows for one that does not.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from docproc.jobs.store import JobStore
from docproc.pipeline.runner import run
from tests.generator import generate
from tests.stack import Stack

pytestmark = pytest.mark.integration


def _unbalanced_result() -> dict[str, Any]:
    made = generate("us_checking", 3)
    result: dict[str, Any] = json.loads(
        run(made.pdf, "bank_statement", filename="june.pdf").model_dump_json()
    )
    rows = result["extracted_data"]["transactions"]
    broken = next(i for i, row in enumerate(rows) if row["balance"] is not None and i > 0)
    result["reports"]["reconciliation"].update(
        status="unbalanced",
        difference="-90.00",
        balance_chain={
            "checked": len(rows),
            "breaks": [
                {
                    "index": broken,
                    "page": 1,
                    "date": rows[broken]["date"],
                    "printed_balance": rows[broken]["balance"],
                    "expected_balance": "1.00",
                    "difference": "-90.00",
                }
            ],
        },
        suspected_ocr_errors=[
            {
                "index": broken + 1,
                "page": 1,
                "date": rows[broken + 1]["date"],
                "field": "amount",
                "printed": rows[broken + 1]["amount"],
                "candidate": "12.34",
                "slip": "8→3",
                "confidence": 0.61,
            }
        ],
    )
    rows[0]["confidence"] = 0.42
    return result


def test_unbalanced_statement_marks_breaks_and_suspects(stack: Stack, page: Any) -> None:
    result = _unbalanced_result()
    breaks = result["reports"]["reconciliation"]["balance_chain"]["breaks"]
    broken = breaks[0]["index"]
    store = JobStore(stack.redis.client(), result_ttl=600, record_ttl=600)
    pipe = store.redis.pipeline()
    store.create(pipe, "unbalanced-1", filename="june.pdf", document_type="bank_statement")
    pipe.execute()
    store.complete("unbalanced-1", json.dumps(result).encode())

    page.goto(stack.api_url + "/#job=unbalanced-1")
    badge = page.locator("#rec-badge")
    badge.wait_for()
    assert badge.inner_text().strip().endswith("Does not balance")
    # Opened by hand: focus moves to the result, so a screen reader starts reading there.
    assert page.evaluate("document.activeElement.id") == "result"
    assert "off by −90.00" in page.locator(".reconciliation .breaks").inner_text()

    broken_row = page.locator(f"#txn-{broken}")
    assert "break" in (broken_row.get_attribute("class") or "")
    assert "balance break" in broken_row.inner_text()
    suspect_text = page.locator(f"#txn-{broken + 1}").inner_text()
    assert "check" in suspect_text and "may be 12.34 (8→3)" in suspect_text
    assert "check" in page.locator("#txn-0").inner_text()  # low OCR confidence
    assert page.locator("table.txns tbody tr.suspect").count() == 2

    # Sorting by amount puts the largest payment first; filtering by category narrows the rows.
    page.locator("table.txns thead button", has_text="Amount").focus()
    page.keyboard.press("Enter")  # sorting works from the keyboard
    sorted_by = page.locator("table.txns thead th", has_text="Amount")
    assert sorted_by.get_attribute("aria-sort") == "ascending"
    amounts = [Decimal(r["amount"]) for r in result["extracted_data"]["transactions"]]
    first = page.locator("table.txns tbody tr").first.locator("td").nth(4).inner_text()
    assert Decimal(first.replace(",", "").replace("−", "-")) == min(amounts)
    category = result["reports"]["categories"]["by_transaction"][0]
    page.select_option("#txn-category", category)
    expected = result["reports"]["categories"]["by_transaction"].count(category)
    assert page.locator("table.txns tbody tr").count() == expected
