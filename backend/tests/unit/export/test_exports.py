"""Exports read back with real readers (csv, openpyxl, ofxparse, ofxtools) equal the JSON result."""

from __future__ import annotations

import csv
import io
import json
import warnings
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docproc.errors import UnsupportedExport
from docproc.models import BankStatement, ProcessingResult
from docproc.pipeline.export import FORMATS, export_result
from docproc.pipeline.export.ofx import ascii_text
from docproc.pipeline.reports import build_reports
from docproc.pipeline.reports.categories import builtin_rules
from tests.unit.reports.statements import overdrawn, statement, two_months, txn

from .browser import open_in_browser


def result_of(s: BankStatement, with_reports: bool = True) -> ProcessingResult:
    reports = build_reports(s, category_rules=builtin_rules()) if with_reports else {}
    return ProcessingResult(
        document_type="bank_statement",
        filename="statement.pdf",
        extracted_data=s.model_dump(mode="json"),
        reports=reports,
    )


STATEMENTS = {
    "two_months": two_months,
    "overdrawn": overdrawn,
    "no_balances": lambda: statement(
        [
            txn("2025-06-01", 'TARGET "STORE", AUSTIN & CO <1>', "-20.00"),
            txn("2025-06-02", "=1+2", "-1.00"),
            txn("2025-06-03", "Überweisung Café Zoë €", "5"),
        ]
    ),
    "empty": BankStatement,
}


@pytest.fixture(params=sorted(STATEMENTS))
def result(request: pytest.FixtureRequest) -> ProcessingResult:
    return result_of(STATEMENTS[request.param]())


def expected_rows(result: ProcessingResult) -> list[dict[str, str]]:
    """What every tabular export must say, from the JSON result."""
    data = json.loads(export_result(result, "json").content)
    txns = data["extracted_data"]["transactions"]
    reports = data["reports"]
    return [
        {
            "date": t["date"],
            "description": t["description"],
            "counterparty": reports["counterparties"]["by_transaction"][i],
            "category": reports["categories"]["by_transaction"][i],
            "amount": t["amount"],
            "balance": t["balance"] or "",
            "running_balance": reports["balances"]["by_transaction"][i] or "",
        }
        for i, t in enumerate(txns)
    ]


def test_json_is_the_result(result: ProcessingResult) -> None:
    exported = export_result(result, "json")
    assert (exported.media_type, exported.extension) == ("application/json", "json")
    assert json.loads(exported.content) == result.model_dump(mode="json")


def test_csv_reads_back_equal(result: ProcessingResult) -> None:
    exported = export_result(result, "csv")
    assert exported.extension == "csv" and exported.media_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8"), newline="")))
    keys = (
        "date",
        "description",
        "counterparty",
        "category",
        "amount",
        "balance",
        "running_balance",
    )
    assert [{k: row[k] for k in keys} for row in rows] == expected_rows(result)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and not isinstance(value, str):
        return value.date().isoformat()  # type: ignore[attr-defined]
    return str(value)


def test_xlsx_reads_back_equal(result: ProcessingResult) -> None:
    exported = export_result(result, "xlsx")
    assert exported.extension == "xlsx"
    book = load_workbook(io.BytesIO(exported.content))
    assert book.sheetnames == ["Transactions", "Summary"]
    sheet = book["Transactions"]
    header = [c.value for c in sheet[1]]
    rows = []
    for values in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(header, values, strict=True))
        rows.append(row)
    expected = expected_rows(result)
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert _cell_text(row["date"]) == want["date"]
        assert (row["description"], row["category"], row["counterparty"]) == (
            want["description"],
            want["category"],
            want["counterparty"],
        )
        for key in ("amount", "balance", "running_balance"):
            got = None if row[key] is None else Decimal(str(row[key]))
            assert got == (Decimal(want[key]) if want[key] else None), key
    # Text that looks like a formula stays text.
    assert all(cell.data_type == "s" for cell in sheet["B"][1:])
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert Decimal(str(summary["money_in"])) == Decimal(result.reports["summary"]["money_in"])
    assert summary["transaction_count"] == result.reports["summary"]["transaction_count"]


def test_ofx_reads_back_equal_with_ofxparse_and_ofxtools(result: ProcessingResult) -> None:
    import ofxparse
    from ofxtools.Parser import OFXTree

    exported = export_result(result, "ofx")
    assert (exported.extension, exported.media_type) == ("ofx", "application/x-ofx")
    expected = expected_rows(result)

    exported.content.decode("ascii")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = ofxparse.OfxParser.parse(io.BytesIO(exported.content))
    txns = parsed.account.statement.transactions
    assert [(t.date.date().isoformat(), t.amount, t.memo) for t in txns] == [
        (w["date"], Decimal(w["amount"]), ascii_text(w["description"])) for w in expected
    ]
    assert len({t.id for t in txns}) == len(txns)

    tree = OFXTree()
    tree.parse(io.BytesIO(exported.content))
    ofx = tree.convert()
    stmt = ofx.statements[0]
    assert [(t.dtposted.date().isoformat(), t.trnamt, t.memo) for t in stmt.transactions] == [
        (w["date"], Decimal(w["amount"]), ascii_text(w["description"])) for w in expected
    ]
    closing = result.extracted_data["closing_balance"]
    if closing is not None:
        assert stmt.ledgerbal.balamt == Decimal(closing)
        assert parsed.account.statement.balance == Decimal(closing)
    assert stmt.curdef == (result.extracted_data["currency"] or "XXX")


def test_html_report_is_standalone(result: ProcessingResult) -> None:
    page = export_result(result, "html").content.decode("utf-8")
    assert page.count("<svg") == 3
    assert "<script" not in page and "src=" not in page and "<link" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    for row in result.extracted_data["transactions"]:
        assert row["amount"] in page


def test_html_report_opens_in_chromium_without_errors(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(export_result(result_of(two_months()), "html").content)
    problems, dom = open_in_browser(path)
    assert problems == []
    assert "Spending by category" in dom and dom.count("<svg") == 3


def test_browser_check_catches_a_broken_page(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><body><script>console.error('boom'); missing();</script></body></html>")
    problems, _ = open_in_browser(path)
    assert any("boom" in p for p in problems)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ofx", "html"])
def test_exports_of_an_empty_statement_without_reports(fmt: str) -> None:
    assert export_result(result_of(BankStatement(), with_reports=False), fmt).content


def test_exports_build_missing_reports() -> None:
    bare = result_of(two_months(), with_reports=False)
    rows = list(csv.DictReader(io.StringIO(export_result(bare, "csv").content.decode())))
    assert [r["category"] for r in rows] == [
        "income",
        "groceries",
        "subscriptions",
        "cash_withdrawal",
        "fees_interest",
    ]


def test_unknown_format_and_generic_documents() -> None:
    with pytest.raises(UnsupportedExport) as caught:
        export_result(result_of(two_months()), "pdf")
    assert caught.value.details["known"] == list(FORMATS)
    generic = ProcessingResult(
        document_type="generic",
        filename="a.pdf",
        extracted_data={"page_count": 1, "pages": [{"page": 1, "text": "hi", "source": "text"}]},
    )
    assert json.loads(export_result(generic, "json").content)["document_type"] == "generic"
    for fmt in ("csv", "xlsx", "ofx", "html"):
        with pytest.raises(UnsupportedExport):
            export_result(generic, fmt)


def test_control_characters_do_not_break_xml_formats() -> None:
    from ofxtools.Parser import OFXTree

    result = result_of(statement([txn("2025-01-02", "SHOP\x0cONE\x07", "-3.00")]))
    tree = OFXTree()
    tree.parse(io.BytesIO(export_result(result, "ofx").content))
    assert tree.convert().statements[0].transactions[0].memo == "SHOP ONE"
    book = load_workbook(io.BytesIO(export_result(result, "xlsx").content))
    assert book["Transactions"]["B2"].value == "SHOP ONE "


def test_ofx_text_is_ascii_with_accents_folded() -> None:
    assert ascii_text("Überweisung Café Zoë € ß\x07") == "Uberweisung Cafe Zoe EUR ss "
    assert ascii_text("東京") == "??"


def test_html_report_says_why_a_statement_does_not_reconcile() -> None:
    pytest.importorskip("docproc.pipeline.statements.reconcile")
    broken = two_months().model_copy(update={"closing_balance": Decimal("2700.00")})
    page = export_result(result_of(broken), "html").content.decode()
    assert 'class="status status-unbalanced">unbalanced' in page
    assert "prints 2700.00 (difference" in page


def test_html_report_names_rows_that_could_not_be_read() -> None:
    unread = [{"page": 2, "text": "BOOKS -5OO0"}, {"page": 1, "text": "RENT l59O!3"}]
    statement = two_months().model_copy(update={"closing_balance": Decimal("2700.00")})
    result = result_of(
        BankStatement.model_validate({**statement.model_dump(), "unread_rows": unread})
    )
    assert result.reports["reconciliation"]["unread_rows"] == unread
    page = export_result(result, "html").content.decode()
    assert "2 row(s) could not be read (page 1, 2): not in the sums" in page


def test_ofx_ids_survive_overlapping_statements() -> None:
    from docproc.pipeline.export.ofx import fitids

    rows = [
        txn("2025-01-02", "COFFEE", "-3.00"),
        txn("2025-01-02", "COFFEE", "-3.00"),
        txn("2025-01-03", "TAXI", "-9.00"),
    ]
    first = fitids(rows)
    assert len(set(first)) == 3  # two identical rows on one day are two transactions
    later = fitids([txn("2025-01-01", "RENT", "-900.00"), *rows])
    assert later[1:] == first  # the same rows in a later, overlapping statement keep their ids
