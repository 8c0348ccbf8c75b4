"""End to end on the statement generator: PDF -> pipeline -> every export, read back equal.

The pipeline's own extraction is judged elsewhere; here the truth of each generated statement is
also exported, so the exports are exercised on every layout's conventions (one-decimal amounts,
rollover dates, overdrafts, rows without balances) whatever the extraction finds.
"""

from __future__ import annotations

import csv
import io
import json
import warnings

import pytest

from docproc.models import BankStatement, ProcessingResult
from docproc.pipeline.export import FORMATS, export_result
from docproc.pipeline.reports import build_reports
from docproc.pipeline.reports.categories import builtin_rules
from docproc.pipeline.runner import run

generator = pytest.importorskip("tests.generator", reason="the statement generator is not there")


def _check_exports(result: ProcessingResult) -> None:
    data = json.loads(export_result(result, "json").content)
    txns = data["extracted_data"]["transactions"]
    rows = list(csv.DictReader(io.StringIO(export_result(result, "csv").content.decode())))
    assert [(r["date"], r["description"], r["amount"]) for r in rows] == [
        (t["date"], t["description"], t["amount"]) for t in txns
    ]
    from ofxtools.Parser import OFXTree

    tree = OFXTree()
    tree.parse(io.BytesIO(export_result(result, "ofx").content))
    parsed = tree.convert().statements[0].transactions
    assert [str(t.trnamt) for t in parsed] == [t["amount"] for t in txns]
    import ofxparse

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ofx = ofxparse.OfxParser.parse(io.BytesIO(export_result(result, "ofx").content))
    assert len(ofx.account.statement.transactions) == len(txns)
    for export_format in FORMATS:
        assert export_result(result, export_format).content


@pytest.mark.parametrize("layout", generator.LAYOUTS)
def test_generated_statement_exports(layout: str) -> None:
    made = generator.generate(layout, 7)
    truth: BankStatement = made.truth
    from_truth = ProcessingResult(
        document_type="bank_statement",
        filename=f"{layout}.pdf",
        extracted_data=truth.model_dump(mode="json"),
        reports=build_reports(truth, category_rules=builtin_rules()),
    )
    _check_exports(from_truth)
    summary = from_truth.reports["summary"]
    assert summary["transaction_count"] == len(truth.transactions)
    assert len(from_truth.reports["categories"]["by_transaction"]) == len(truth.transactions)
    if truth.opening_balance is not None and truth.closing_balance is not None:
        # The generator's truth balances, so the derived series ends on the printed closing.
        assert from_truth.reports["balances"]["by_transaction"][-1] == summary["closing_balance"]

    from_pipeline = run(made.pdf, "bank_statement", filename=f"{layout}.pdf")
    _check_exports(from_pipeline)
