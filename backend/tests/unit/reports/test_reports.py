"""Every report figure against hand-computed statements (see statements.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from docproc.models import BankStatement
from docproc.pipeline.reports import build_reports, build_reports_for_account
from docproc.pipeline.reports.categories import builtin_rules

from .statements import monthly_account, overdrawn, statement, two_months, txn

RULES = builtin_rules()


def reports_of(s: BankStatement) -> dict:
    return build_reports(s, category_rules=RULES)


def test_summary_of_two_month_statement() -> None:
    summary = reports_of(two_months())["summary"]
    assert summary == {
        "currency": "USD",
        "opening_balance": "1000.00",
        "closing_balance": "2728.76",
        "money_in": "2000.00",
        "money_out": "271.24",
        "net_change": "1728.76",
        "transaction_count": 5,
        "first_date": "2025-01-30",
        "last_date": "2025-02-02",
        "days_covered": 4,
    }


def test_cash_flow_splits_calendar_months_and_weeks() -> None:
    flow = reports_of(two_months())["cash_flow"]
    assert flow["months"] == [
        {
            "month": "2025-01",
            "money_in": "2000.00",
            "money_out": "150.25",
            "net": "1849.75",
            "count": 2,
        },
        {
            "month": "2025-02",
            "money_in": "0.00",
            "money_out": "120.99",
            "net": "-120.99",
            "count": 3,
        },
    ]
    # 2025-01-30 is a Thursday and 2025-02-02 a Sunday: one ISO week.
    assert [(w["week"], w["week_start"], w["count"]) for w in flow["weeks"]] == [
        ("2025-W05", "2025-01-27", 5)
    ]


def test_every_transaction_gets_a_category_with_totals() -> None:
    categories = reports_of(two_months())["categories"]
    assert categories["by_transaction"] == [
        "income",
        "groceries",
        "subscriptions",
        "cash_withdrawal",
        "fees_interest",
    ]
    by_name = {c["category"]: c for c in categories["by_category"]}
    assert by_name["groceries"]["money_out"] == "150.25"
    assert by_name["income"]["money_in"] == "2000.00"
    assert sum(c["count"] for c in categories["by_category"]) == 5


def test_balances_daily_series_and_average() -> None:
    balances = reports_of(two_months())["balances"]
    assert balances["available"] is True
    assert balances["source"] == "mixed"
    assert [(d["date"], d["balance"]) for d in balances["daily"]] == [
        ("2025-01-30", "3000.00"),
        ("2025-01-31", "2849.75"),
        ("2025-02-01", "2733.76"),
        ("2025-02-02", "2728.76"),
    ]
    # (3000.00 + 2849.75 + 2733.76 + 2728.76) / 4 = 2828.0675
    assert balances["average_daily_balance"] == "2828.07"
    assert balances["minimum"] == {"date": "2025-02-02", "balance": "2728.76"}
    assert balances["days_below_zero"] == 0
    assert balances["by_transaction"] == ["3000.00", "2849.75", "2833.76", "2733.76", "2728.76"]
    assert balances["fee_events"] == []


def test_negative_balance_and_fee_events() -> None:
    balances = reports_of(overdrawn())["balances"]
    assert [d["balance"] for d in balances["daily"]] == ["-65.00", "-100.00", "100.00"]
    assert balances["average_daily_balance"] == "-21.67"  # -65 / 3
    assert balances["minimum"] == {"date": "2025-03-02", "balance": "-100.00"}
    assert balances["days_below_zero"] == 2
    assert [(e["index"], e["kind"]) for e in balances["fee_events"]] == [
        (1, "overdraft_fee"),
        (2, "nsf_returned"),
    ]
    assert (balances["overdraft_fee_count"], balances["nsf_returned_count"]) == (1, 1)
    assert balances["fees_total"] == "70.00"


def test_one_transaction_derives_opening_from_printed_balance() -> None:
    reports = reports_of(statement([txn("2025-05-10", "ZELLE FROM JOHN SMITH", "25.00", "125.00")]))
    assert reports["summary"]["days_covered"] == 1
    assert reports["summary"]["opening_balance"] is None
    assert reports["balances"]["opening_balance"] == "100.00"
    assert reports["balances"]["daily"] == [{"date": "2025-05-10", "balance": "125.00"}]
    assert reports["balances"]["average_daily_balance"] == "125.00"
    assert reports["categories"]["by_transaction"] == ["transfers"]
    assert reports["cash_flow"]["months"][0]["net"] == "25.00"
    assert reports["recurring"]["streams"] == []


def test_no_balances_anywhere_means_no_series() -> None:
    s = statement(
        [txn("2025-06-01", "TARGET STORE", "-20.00"), txn("2025-06-03", "TARGET", "-5.00")]
    )
    balances = reports_of(s)["balances"]
    assert balances["available"] is False
    assert balances["daily"] == [] and balances["average_daily_balance"] is None
    assert balances["by_transaction"] == [None, None]


def test_derived_series_when_rows_are_out_of_date_order() -> None:
    s = statement(
        [
            txn("2025-06-02", "A", "-10.00", "90.00"),
            txn("2025-06-01", "B", "5.00", "95.00"),
        ],
        opening="100.00",
        period=("2025-06-01", "2025-06-02"),
    )
    balances = reports_of(s)["balances"]
    assert balances["source"] == "derived"
    assert [d["balance"] for d in balances["daily"]] == ["105.00", "95.00"]


def test_empty_statement() -> None:
    reports = reports_of(BankStatement())
    assert reports["summary"]["transaction_count"] == 0
    assert reports["summary"]["days_covered"] == 0
    assert reports["summary"]["money_in"] == "0.00"
    assert reports["cash_flow"] == {"months": [], "weeks": []}
    assert reports["categories"]["by_category"] == []
    assert reports["balances"]["available"] is False
    assert reports["income"]["total"] == "0.00"
    assert reports["notable"] == {"largest_out": [], "largest_in": [], "unusual": []}
    assert "status" in reports["reconciliation"]


def test_counterparties_totals_and_top_lists() -> None:
    s = statement(
        [
            txn("2025-01-02", "POS PURCHASE WHOLE FOODS MARKET #10234 AUSTIN TX", "-40.00"),
            txn("2025-01-09", "POS PURCHASE WHOLE FOODS MARKET #10555 AUSTIN TX", "-60.00"),
            txn("2025-01-10", "SQ *BLUE BOTTLE COFFEE SAN FRANCISCO CA", "-5.00"),
            txn("2025-01-15", "ACME CORP PAYROLL 012345", "1000.00"),
        ]
    )
    parties = reports_of(s)["counterparties"]
    assert parties["by_transaction"] == [
        "WHOLE FOODS MARKET",
        "WHOLE FOODS MARKET",
        "BLUE BOTTLE COFFEE",
        "ACME CORP PAYROLL",
    ]
    assert parties["by_counterparty"][0] == {
        "name": "WHOLE FOODS MARKET",
        "count": 2,
        "money_in": "0.00",
        "money_out": "100.00",
        "net": "-100.00",
    }
    assert parties["top_spenders"][0] == {"name": "WHOLE FOODS MARKET", "total": "100.00"}
    assert parties["top_payers"] == [{"name": "ACME CORP PAYROLL", "total": "1000.00"}]


def test_recurring_across_statements_of_one_account() -> None:
    reports = build_reports_for_account(monthly_account(), category_rules=RULES)
    streams = {s["counterparty"]: s for s in reports["recurring"]["streams"]}
    rent = streams["RENT PAYMENT OAK PROPERTY MGMT"]
    assert (rent["interval"], rent["occurrences"], rent["direction"]) == ("monthly", 3, "out")
    assert rent["typical_amount"] == "-1200.00"
    assert rent["next_expected_date"] == "2025-04-01"
    pay = streams["ACME CORP PAYROLL"]
    assert (pay["interval"], pay["typical_amount"], pay["next_expected_date"]) == (
        "monthly",
        "2500.00",
        "2025-04-15",
    )
    gym = streams["PLANET FITNESS"]
    assert (gym["interval"], gym["next_expected_date"]) == ("weekly", "2025-01-27")
    assert reports["statement_count"] == 3
    assert reports["summary"]["opening_balance"] == "500.00"
    assert reports["summary"]["closing_balance"] == "4320.00"
    # Rent 1200 monthly + gym 10 x 52 / 12.
    assert reports["recurring"]["monthly_outgoing_estimate"] == "1243.33"


def test_income_regular_total_and_monthly_average() -> None:
    income = build_reports_for_account(monthly_account(), category_rules=RULES)["income"]
    assert income["total"] == "7500.00"
    assert income["count"] == 3
    # 90 days are 90 / 30.4375 months: 7500.00 * 30.4375 / 90 = 2536.458...
    assert income["monthly_average"] == "2536.46"
    assert [s["counterparty"] for s in income["regular"]] == ["ACME CORP PAYROLL"]


def test_one_statement_alone_shows_no_monthly_stream() -> None:
    reports = reports_of(monthly_account()[0])
    assert [s["counterparty"] for s in reports["recurring"]["streams"]] == ["PLANET FITNESS"]


def test_notable_largest_and_unusual() -> None:
    amounts = ["-4.50", "-5.00", "-4.75", "-5.25", "-48.00"]
    s = statement([txn(f"2025-04-0{i + 1}", "COFFEE HOUSE", a) for i, a in enumerate(amounts)])
    notable = reports_of(s)["notable"]
    assert [r["amount"] for r in notable["largest_out"]] == [
        "-48.00",
        "-5.25",
        "-5.00",
        "-4.75",
        "-4.50",
    ]
    assert [(r["index"], r["compared_with"], r["typical_amount"]) for r in notable["unusual"]] == [
        (4, "counterparty", "5.00")
    ]
    # 0.6745 * (48.00 - 5.00) / MAD 0.25
    assert Decimal(notable["unusual"][0]["score"]) == Decimal("116.01")


def test_reports_are_json_ready_strings() -> None:
    import json

    reports = reports_of(overdrawn())
    text = json.dumps(reports)
    assert "Decimal" not in text
    assert json.loads(text) == reports


@pytest.mark.parametrize(
    ("description", "name"),
    [
        ("POS PURCHASE WHOLE FOODS MARKET #10234 AUSTIN TX", "WHOLE FOODS MARKET"),
        (
            "Purchase authorized on 07/12 Costco Gas #0188 Atlanta GA P00389193798471348 Card6065",
            "COSTCO GAS",
        ),
        ("SQ *BLUE BOTTLE COFFEE SAN FRANCISCO CA", "BLUE BOTTLE COFFEE"),
        ("PAYPAL *SPOTIFY", "SPOTIFY"),
        ("AMZN MKTP US*2K4L81 AMZN.COM/BILL WA", "AMZN"),
        ("CARD 1234 TESCO STORES 3344 LONDON", "TESCO STORES LONDON"),
        ("Online Transfer Ref #Ib06Jvky5K to Mortgage xxxxxx1215 on 07/15/19", "MORTGAGE"),
        ("NETFLIX.COM 866-579-7172 CA", "NETFLIX.COM"),
        ("12345", "12345"),
        ("Prélèvement Carrefour City REF 47112233", "CARREFOUR CITY"),
        ("Virement reçu ACME CORP PARIS FR", "ACME CORP"),
        ("UPI/DR Airtel Recharge MUMBAI IN REF 73780011", "AIRTEL RECHARGE"),
    ],
)
def test_counterparty_name(description: str, name: str) -> None:
    from docproc.pipeline.reports.counterparties import counterparty_name

    assert counterparty_name(description) == name


@pytest.mark.parametrize(
    ("days", "interval", "next_date"),
    [
        # The 15th and the month's end: gaps 16, 15, 13, 15 (mean 14.75).
        (["01-15", "01-31", "02-15", "02-28", "03-15"], "semimonthly", "2025-03-31"),
        # Early days 15 and 14: the median 14.5 rounds half-even to 14.
        (["01-15", "01-31", "02-14", "02-28"], "semimonthly", "2025-03-14"),
        (["01-14", "01-30", "02-14", "02-27", "03-14"], "semimonthly", "2025-03-30"),
        # Every other Friday: gaps of 14 (one moved a day by a holiday).
        (["01-03", "01-17", "01-31", "02-13", "02-28"], "fortnightly", "2025-03-14"),
        (["01-03", "01-10", "01-17"], "weekly", "2025-01-24"),
    ],
)
def test_recurring_intervals(days: list[str], interval: str, next_date: str) -> None:
    s = statement([txn(f"2025-{d}", "ACME CORP PAYROLL", "1500.00") for d in days])
    [stream] = reports_of(s)["recurring"]["streams"]
    assert (stream["interval"], stream["next_expected_date"]) == (interval, next_date)


def test_irregular_or_dissimilar_payments_are_not_recurring() -> None:
    irregular = statement(
        [txn(d, "CORNER SHOP", "-10.00") for d in ("2025-01-01", "2025-01-04", "2025-01-20")]
    )
    assert reports_of(irregular)["recurring"]["streams"] == []
    # Weekly dates, but one amount is far off: only two similar ones remain.
    dissimilar = statement(
        [
            txn(d, "CORNER SHOP", a)
            for d, a in (
                ("2025-01-01", "-10.00"),
                ("2025-01-08", "-80.00"),
                ("2025-01-15", "-10.50"),
            )
        ]
    )
    assert reports_of(dissimilar)["recurring"]["streams"] == []


def test_reconciliation_is_the_statements_areas() -> None:
    pytest.importorskip("docproc.pipeline.statements.reconcile")
    assert reports_of(two_months())["reconciliation"]["status"] == "balanced"
    broken = two_months().model_copy(update={"closing_balance": Decimal("2700.00")})
    assert reports_of(broken)["reconciliation"]["status"] == "unbalanced"
    account = build_reports_for_account(monthly_account(), category_rules=RULES)
    assert account["reconciliation"]["status"] == "per_statement"
    assert len(account["reconciliation"]["statements"]) == 3


def test_unusual_falls_back_to_the_category() -> None:
    # Five grocery shops, one row each: judged against the groceries category (median 20.00,
    # MAD 1.00 -> 0.6745 * 100.00 / 1.00 = 67.45).
    shops = [
        ("ALDI", "-19.00"),
        ("LIDL", "-20.00"),
        ("KROGER", "-21.00"),
        ("SAFEWAY", "-20.00"),
        ("PUBLIX", "-120.00"),
    ]
    s = statement([txn(f"2025-04-0{i + 1}", n, a) for i, (n, a) in enumerate(shops)])
    [row] = reports_of(s)["notable"]["unusual"]
    assert (row["index"], row["compared_with"], row["typical_amount"], row["score"]) == (
        4,
        "category",
        "20.00",
        "67.45",
    )


def test_a_misread_year_does_not_make_a_century_of_daily_balances() -> None:
    s = statement(
        [txn("1925-01-02", "OCR MISREAD", "-1.00"), txn("2025-01-03", "SHOP", "-2.00")],
        opening="10.00",
    )
    balances = reports_of(s)["balances"]
    assert balances["available"] is False and balances["daily"] == []
    assert "more than ten years" in balances["reason"]
    assert balances["by_transaction"] == ["9.00", "7.00"]
    months = reports_of(s)["cash_flow"]["months"]
    assert [m["month"] for m in months] == ["1925-01", "2025-01"]
