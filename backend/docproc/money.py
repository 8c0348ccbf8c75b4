"""Money and dates as the result contract writes them: exact decimals as plain strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer


def format_money(value: Decimal) -> str:
    """`Decimal` to the contract's string: `.` decimal point, no grouping, leading `-`."""
    text = format(value, "f")
    return "0" + text[1:] if text.startswith("-0") and Decimal(text) == 0 else text


Money = Annotated[Decimal, PlainSerializer(format_money, return_type=str, when_used="json")]
"""A `Decimal` that serialises to the contract's money string in JSON."""
