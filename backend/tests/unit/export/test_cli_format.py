"""`docproc process FILE --format ...` writes the same exports as the API."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from docproc.cli import app
from tests.generator import generate


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "march.pdf"
    path.write_bytes(generate("us_checking", 11).pdf)
    return path


def test_csv_to_stdout_matches_json(pdf: Path) -> None:
    runner = CliRunner()
    as_json = runner.invoke(app, ["process", str(pdf)])
    as_csv = runner.invoke(app, ["process", str(pdf), "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    import json

    txns = json.loads(as_json.stdout)["extracted_data"]["transactions"]
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert txns and [r["amount"] for r in rows] == [t["amount"] for t in txns]


def test_formats_to_out_dir(pdf: Path, tmp_path: Path) -> None:
    for fmt in ("xlsx", "ofx", "html", "json"):
        done = CliRunner().invoke(app, ["process", str(pdf), "-f", fmt, "--out", str(tmp_path)])
        assert done.exit_code == 0, done.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "march.html",
        "march.json",
        "march.ofx",
        "march.xlsx",
    ]
    assert load_workbook(tmp_path / "march.xlsx").sheetnames == ["Transactions", "Summary"]


def test_bad_format_and_several_files_without_out(pdf: Path) -> None:
    bad = CliRunner().invoke(app, ["process", str(pdf), "--format", "pdf"])
    assert bad.exit_code == 1 and "unknown --format 'pdf'" in bad.stderr
    several = CliRunner().invoke(app, ["process", str(pdf), str(pdf), "--format", "ofx"])
    assert several.exit_code == 1 and "needs --out DIR" in several.stderr


def test_account_combines_files_into_one_result(pdf: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app, ["process", str(pdf), str(pdf), "--account", "-f", "csv", "--out", str(tmp_path)]
    )
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "account.csv").read_text())))
    single = CliRunner().invoke(app, ["process", str(pdf), "--format", "csv"])
    assert len(rows) == 2 * len(list(csv.DictReader(io.StringIO(single.stdout))))


def test_account_refuses_different_accounts(pdf: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pdf"
    other.write_bytes(generate("uk_current", 5).pdf)
    done = CliRunner().invoke(app, ["process", str(pdf), str(other), "--account"])
    assert done.exit_code == 1 and "different accounts" in done.stderr
