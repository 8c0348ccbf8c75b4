"""How a layout prints dates and money: the generator's side of the conventions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "en_full": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "fr": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
}


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


DATE_STYLES: dict[str, Callable[[dt.date], str]] = {
    "mdy_slash": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "mdy_short": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
    "md_slash": lambda d: f"{d.month}/{d.day}",
    "dmy_slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "dmy_short": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
    "dmy_dot": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "dm_dot": lambda d: f"{d.day:02d}.{d.month:02d}.",
    "dmy_dash": lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    "iso": lambda d: d.isoformat(),
    "d_mon_yy": lambda d: f"{d.day:02d} {MONTHS['en'][d.month - 1]} {d.year % 100:02d}",
    "d_mon_yyyy_dash": lambda d: f"{d.day:02d}-{MONTHS['en'][d.month - 1]}-{d.year}",
    "mon_d_yyyy": lambda d: f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}",
    "mon_d": lambda d: f"{MONTHS['en'][d.month - 1]} {d.day}",
    "d_mon": lambda d: f"{d.day:02d} {MONTHS['en'][d.month - 1]}",
    "ordinal_mon": lambda d: f"{_ordinal(d.day)} {MONTHS['en'][d.month - 1]}",
    "d_month_yyyy": lambda d: f"{d.day} {MONTHS['en_full'][d.month - 1]} {d.year}",
    "d_mon_fr": lambda d: f"{d.day:02d} {MONTHS['fr'][d.month - 1]}",
    "d_mon_de_yyyy": lambda d: f"{d.day:02d}. {MONTHS['de'][d.month - 1]} {d.year}",
}
"""Date styles; those without a year rely on the printed statement period."""

YEARLESS = {"md_slash", "dm_dot", "mon_d", "d_mon", "ordinal_mon", "d_mon_fr"}


# number style -> (thousands separator, decimal separator, indian grouping)
NUMBER_STYLES: dict[str, tuple[str, str, bool]] = {
    "us": (",", ".", False),
    "eu": (".", ",", False),
    "fr": ("\u00a0", ",", False),
    "fr_space": (" ", ",", False),
    "ch": ("'", ".", False),
    "in": (",", ".", True),
    "plain": ("", ".", False),
    "plain_comma": ("", ",", False),
}


def _group(digits: str, sep: str, indian: bool) -> str:
    if not sep or len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    size = 2 if indian else 3
    groups = []
    while head:
        groups.insert(0, head[-size:])
        head = head[:-size]
    return sep.join([*groups, tail])


def format_number(value: Decimal, style: str) -> str:
    """The magnitude of `value` as the style prints it (sign handled by `format_signed`)."""
    sep, point, indian = NUMBER_STYLES[style]
    text = f"{abs(value):.2f}"
    whole, frac = text.split(".")
    return f"{_group(whole, sep, indian)}{point}{frac}"


# sign style -> how a negative / positive magnitude is printed
SIGN_STYLES: dict[str, tuple[str, str]] = {
    "minus": ("-{n}", "{n}"),
    "trailing": ("{n}-", "{n}"),
    "parens": ("({n})", "{n}"),
    "crdr": ("{n} DR", "{n} CR"),
    "crdr_mixed": ("{n} Dr", "{n} Cr"),
    "d_suffix": ("{n}D", "{n}"),
    "plus_minus": ("-{n}", "+{n}"),
    "minus_space": ("- {n}", "{n}"),
}


def format_signed(value: Decimal, number_style: str, sign_style: str, symbol: str = "") -> str:
    negative, positive = SIGN_STYLES[sign_style]
    number = symbol + format_number(value, number_style)
    return (negative if value < 0 else positive).format(n=number)
