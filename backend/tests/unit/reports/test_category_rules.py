"""The category rules table: built-in, extended or replaced by a user file, checked when loaded."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docproc.errors import CategoryRulesError
from docproc.pipeline.reports import build_reports
from docproc.pipeline.reports.categories import Categoriser, builtin_rules, load_category_rules

from .statements import statement, txn


def category(rules_path: Path | None, description: str, amount: str = "-1.00") -> str:
    categoriser = Categoriser(load_category_rules(rules_path))
    return categoriser.category(description, description.upper(), Decimal(amount))


def test_builtin_table_has_the_issue_categories() -> None:
    labels = set(builtin_rules().labels)
    assert {
        "income",
        "transfers",
        "groceries",
        "dining",
        "transport",
        "fuel",
        "shopping",
        "utilities",
        "rent_mortgage",
        "loans",
        "insurance",
        "health",
        "subscriptions",
        "cash_withdrawal",
        "fees_interest",
        "taxes",
        "other",
    } <= labels


@pytest.mark.parametrize(
    ("description", "amount", "expected"),
    [
        ("STARBUCKS STORE 0423", "-4.50", "dining"),
        ("SHELL OIL 57444", "-40.00", "fuel"),
        ("UBER TRIP HELP.UBER.COM", "-12.00", "transport"),
        ("GEICO AUTO", "-90.00", "insurance"),
        ("CVS/PHARMACY #0123", "-9.00", "health"),
        ("IRS USATAXPYMT", "-500.00", "taxes"),
        ("ATM WITHDRAWAL 123 MAIN ST", "-60.00", "cash_withdrawal"),
        ("NON-WELLS FARGO ATM TRANSACTION FEE", "-2.50", "fees_interest"),
        ("INTEREST PAYMENT", "0.12", "fees_interest"),
        ("UNKNOWN THING", "-1.00", "other"),
        ("REFUND FROM SHOP", "10.00", "income"),
        ("Gehalt ACME CORP", "3040.70", "income"),
        ("Virement reçu Initech Ltd", "900.00", "income"),
        ("Prélèvement Carrefour City", "-23.10", "groceries"),
        ("Lastschrift Deutsche Bahn", "-79.00", "transport"),
        ("UPI/DR Airtel Recharge", "-299.00", "utilities"),
        ("Card payment Tesco Stores", "-12.00", "groceries"),
    ],
)
def test_builtin_rules(description: str, amount: str, expected: str) -> None:
    assert category(None, description, amount) == expected


def test_user_file_extends_builtin_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        'mode = "extend"\n[labels]\npets = "Pets"\n'
        '[[rules]]\ncategory = "pets"\nkeywords = ["PETCO", "CHEWY"]\n'
    )
    assert category(path, "PETCO 1234") == "pets"
    assert category(path, "STARBUCKS") == "dining"
    s = statement([txn("2025-01-01", "CHEWY.COM", "-30.00")])
    reports = build_reports(s, category_rules=path)
    assert reports["categories"]["by_category"][0]["label"] == "Pets"


def test_user_json_file_replaces_builtin_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(
        '{"mode": "replace", "labels": {"coffee": "Coffee", "other": "Everything else"},'
        ' "rules": [{"category": "coffee", "keywords": ["STARBUCKS"], "direction": "out"}]}'
    )
    assert category(path, "STARBUCKS") == "coffee"
    assert category(path, "SHELL OIL") == "other"


@pytest.mark.parametrize(
    "text",
    [
        'mode = "replace"\n[labels]\nother = "Other"\n'
        '[[rules]]\ncategory = "x"\nkeywords = ["A"]\n',
        '[[rules]]\ncategory = "Bad Name"\nkeywords = ["A"]\n',
        'mode = "extend"\n[[rules]]\ncategory = "x"\nkeywords = []\n',
        'mode = "extend"\n[[rules]]\ncategory = "x"\nkeywords = ["A"]\ndirection = "up"\n',
        'mode = "extend"\n[[rules]]\ncategory = "x"\nkeywords = ["A"]\n',
        "this is = not toml [",
    ],
)
def test_invalid_rules_are_rejected_when_loaded(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    with pytest.raises(CategoryRulesError):
        load_category_rules(path)


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(CategoryRulesError, match="Cannot read"):
        load_category_rules(tmp_path / "absent.toml")


def test_setting_names_the_rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docproc.config import get_settings

    path = tmp_path / "rules.toml"
    path.write_text(
        'mode = "extend"\n[labels]\npets = "Pets"\n'
        '[[rules]]\ncategory = "pets"\nkeywords = ["PETCO"]\n'
    )
    monkeypatch.setenv("DOCPROC_CATEGORY_RULES", str(path))
    get_settings.cache_clear()
    try:
        reports = build_reports(statement([txn("2025-01-01", "PETCO", "-3.00")]))
    finally:
        get_settings.cache_clear()
    assert reports["categories"]["by_transaction"] == ["pets"]


def test_bad_rules_file_stops_start_up_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docproc.config import get_settings, settings_or_exit

    path = tmp_path / "rules.toml"
    path.write_text('mode = "extend"\n[[rules]]\ncategory = "x"\nkeywords = []\n')
    monkeypatch.setenv("DOCPROC_CATEGORY_RULES", str(path))
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            settings_or_exit()
    finally:
        get_settings.cache_clear()
    message = str(stopped.value)
    assert "DOCPROC_CATEGORY_RULES" in message and "rules.0.keywords" in message
    assert "\n" not in message
