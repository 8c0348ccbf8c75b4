"""Shared helpers for the reading tests: corpus location and truth loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docproc.models import BankStatement

SHARED = Path(__file__).resolve().parents[4].parent / "shared"
REAL = SHARED / "corpus" / "real"


def corpus_file(name: str, filename: str) -> Path:
    path = REAL / name / filename
    if not path.is_file():
        pytest.skip(f"{path} is not there")
    return path


def corpus_truth(name: str) -> BankStatement:
    """The sample's truth.json as a statement (the corpus files carry no page numbers)."""
    raw = json.loads(corpus_file(name, "truth.json").read_text())
    for tx in raw["transactions"]:
        tx.setdefault("page", 1)
    return BankStatement.model_validate(raw)
