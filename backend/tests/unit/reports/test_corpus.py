"""Reports on the real statements' truth in shared/corpus (skipped when shared/ is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docproc.models import BankStatement
from docproc.pipeline.reports import build_reports
from docproc.pipeline.reports.categories import builtin_rules

SHARED = Path(__file__).resolve().parents[4].parent / "shared"
REAL = SHARED / "corpus" / "real"


def truth(name: str) -> BankStatement:
    path = REAL / name / "truth.json"
    if not path.exists():
        pytest.skip(f"{path} is not there")
    data = json.loads(path.read_text())
    for row in data["transactions"]:
        row.setdefault("page", 1)
    return BankStatement.model_validate(data)


def test_wells_fargo_daily_balances_are_the_printed_ones() -> None:
    statement = truth("wells-fargo-scanned")
    balances = build_reports(statement, category_rules=builtin_rules())["balances"]
    daily = {d["date"]: d["balance"] for d in balances["daily"]}
    # Wells Fargo prints the balance on each day's last row only.
    printed = {t.date.isoformat(): str(t.balance) for t in statement.transactions if t.balance}
    assert {day: daily[day] for day in printed} == printed
    assert balances["minimum"] == {"date": "2019-07-29", "balance": "1477.61"}
    assert balances["days_below_zero"] == 0
    assert balances["daily"][-1]["balance"] == "4863.69"


def test_wells_fargo_atm_fee_is_a_fee_not_an_overdraft() -> None:
    reports = build_reports(truth("wells-fargo-scanned"), category_rules=builtin_rules())
    categories = reports["categories"]["by_transaction"]
    assert categories[20] == "fees_interest"  # Non-Wells Fargo ATM Transaction Fee
    assert categories[17] == "cash_withdrawal"
    assert reports["balances"]["fee_events"] == []
    assert reports["summary"]["money_out"] == "22313.54"


def test_rows_out_of_date_order_still_end_on_the_closing_balance() -> None:
    statement = truth("anycompany-photo")  # 10/25 is printed before 10/24
    balances = build_reports(statement, category_rules=builtin_rules())["balances"]
    assert balances["source"] == "derived"
    assert balances["daily"][-1]["balance"] == str(statement.closing_balance)
