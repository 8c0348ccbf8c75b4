"""Golden tests on the shared corpus of real statements (skipped when ../shared is absent)."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from bench.accuracy import score_document
from docproc.models import BankStatement
from docproc.pipeline.read.reader import read_document
from docproc.pipeline.statements import extract_statement
from docproc.pipeline.statements.reconcile import reconcile

SHARED = Path(__file__).resolve().parents[5] / "shared"
REAL = SHARED / "corpus" / "real"

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus is not present")


def _truth(name: str) -> BankStatement:
    raw = json.loads((REAL / name / "truth.json").read_text())
    for tx in raw["transactions"]:
        tx.setdefault("page", 1)
    return BankStatement.model_validate(raw)


def test_credit_card_text_layer_does_not_reconcile() -> None:
    """The corpus README: its summary adds up, but its line items do not match the summary."""
    statement = extract_statement(
        read_document((REAL / "anycompany-credit-card" / "statement.pdf").read_bytes())
    )
    assert len(statement.transactions) == 12
    assert statement.transactions[0].date == dt.date(2021, 5, 17)
    assert statement.transactions[0].amount == Decimal("-85.06")  # a purchase: money out
    payment = next(t for t in statement.transactions if t.description.startswith("Payment"))
    assert payment.amount == Decimal("6000.55")  # a payment to the card: money in
    assert statement.model_dump()["account_type"] == "credit_card"
    assert statement.bank_name == "Anycompany Bank USA"
    assert {t.page for t in statement.transactions} == {1}
    assert statement.opening_balance == Decimal("4133.15")
    assert statement.closing_balance == Decimal("4782.16")
    assert statement.period.start == dt.date(2021, 6, 7)
    assert statement.period.end == dt.date(2021, 7, 7)
    assert statement.currency == "USD"
    report = reconcile(statement)
    assert report["status"] == "unbalanced"
    assert report["difference"] != "0.00"


@pytest.mark.parametrize(
    ("name", "filename"),
    [("wells-fargo-scanned", "statement.pdf"), ("anycompany-photo", "statement.jpg")],
)
def test_scanned_statements_when_ocr_reads_them(name: str, filename: str) -> None:
    document = read_document((REAL / name / filename).read_bytes())
    if not any(page.words for page in document.pages):
        pytest.skip("no OCR engine installed: the pages have no words")
    truth = _truth(name)
    found = extract_statement(document)
    score = score_document(found, truth)
    assert score.f1 >= 0.9, (score.matched, score.extracted, score.expected)
    assert found.opening_balance == truth.opening_balance
    assert found.closing_balance == truth.closing_balance
    assert all(t.confidence is not None for t in found.transactions)
