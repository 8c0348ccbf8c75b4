"""Layout specifications: what varies between banks, as data; named ones and a randomised one."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from tests.generator.formats import DATE_STYLES, YEARLESS

BalanceRows = str  # "every" | "day_last" | "none"


@dataclass(frozen=True, slots=True)
class LayoutSpec:
    name: str
    locale: str  # key of locales.LOCALES
    columns: tuple[str, ...]  # roles left to right
    date_style: str
    number_style: str
    sign_style: str = "minus"  # how a signed amount column prints negatives
    balance_sign: str = "minus"  # how an overdrawn balance prints
    balance_rows: BalanceRows = "every"
    date_first_row_only: bool = False
    header_row: bool = True
    page_totals: bool = False
    forward_rows: bool = False  # brought/carried forward rows inside the table
    summary: str = "lines"  # "box" | "lines" | "none"
    period_date_style: str = "mdy_slash"
    currency: str = "USD"
    currency_shown: str = "code"  # "code" | "words" | "symbol" | "none"
    symbol_in_amounts: bool = False
    show_bank: bool = True
    holder_shown: str = "label"  # "label" | "address" | "none"
    show_account: bool = True
    account_style: int = 0
    label_choice: int = 0  # which spelling of each label
    font: str = "Helvetica"
    font_size: float = 8.5
    desc_chars: int = 34  # wrap width of the description column
    rows: tuple[int, int] = (12, 30)
    overdraft: bool = False
    rollover: bool = False
    page_size: str = "letter"
    headers_two_lines: bool = False
    show_period: bool = True
    amounts_last_line: bool = False  # money on the last line of a wrapped description
    unknown_labels: tuple[str, ...] = ()  # roles whose header label is not a known word
    sections: bool = False  # deposits, then withdrawals, each titled, amounts unsigned
    newest_first: bool = False  # rows printed from the newest date to the oldest
    tight_dates: bool = False  # dates printed a space away from the next column
    amount_header_align: str = "right"  # "right" | "center" | "left"


NAMED: dict[str, LayoutSpec] = {
    "us_checking": LayoutSpec(
        "us_checking",
        "en",
        ("date", "reference", "description", "debit", "credit", "balance"),
        "md_slash",
        "us",
        balance_rows="day_last",
        summary="box",
        currency_shown="symbol",
        holder_shown="address",
        rows=(20, 70),
        period_date_style="mon_d_yyyy",
    ),
    "uk_current": LayoutSpec(
        "uk_current",
        "en",
        ("date", "description", "debit", "credit", "balance"),
        "d_mon_yy",
        "us",
        balance_rows="day_last",
        date_first_row_only=True,
        forward_rows=True,
        summary="none",
        currency="GBP",
        currency_shown="symbol",
        label_choice=2,
        period_date_style="d_month_yyyy",
        page_size="a4",
        rows=(25, 80),
        font="Times-Roman",
    ),
    "de_giro": LayoutSpec(
        "de_giro",
        "de",
        ("date", "value_date", "description", "amount"),
        "dm_dot",
        "eu",
        sign_style="minus",
        balance_rows="none",
        summary="lines",
        currency="EUR",
        period_date_style="dmy_dot",
        page_size="a4",
        label_choice=1,
    ),
    "fr_releve": LayoutSpec(
        "fr_releve",
        "fr",
        ("date", "description", "value_date", "debit", "credit"),
        "dmy_slash",
        "fr",
        balance_rows="none",
        summary="lines",
        currency="EUR",
        currency_shown="words",
        period_date_style="dmy_slash",
        page_size="a4",
        forward_rows=True,
        page_totals=True,
        rows=(20, 60),
    ),
    "in_savings": LayoutSpec(
        "in_savings",
        "en",
        ("date", "description", "reference", "value_date", "debit", "credit", "balance"),
        "dmy_short",
        "in",
        summary="box",
        currency="INR",
        period_date_style="dmy_slash",
        label_choice=4,
        page_size="a4",
        font_size=7.5,
        desc_chars=30,
        rows=(15, 45),
    ),
    "au_everyday": LayoutSpec(
        "au_everyday",
        "en",
        ("date", "description", "debit", "credit", "balance"),
        "d_mon_yy",
        "us",
        balance_sign="crdr",
        summary="lines",
        currency="AUD",
        currency_shown="words",
        period_date_style="d_mon_yyyy_dash",
        label_choice=3,
        page_size="a4",
        overdraft=True,
    ),
    "crdr_amounts": LayoutSpec(
        "crdr_amounts",
        "en",
        ("date", "description", "amount", "balance"),
        "dmy_slash",
        "us",
        sign_style="crdr",
        balance_sign="d_suffix",
        summary="box",
        currency="ZAR",
        period_date_style="dmy_slash",
        overdraft=True,
        holder_shown="address",
        label_choice=1,
    ),
    "no_header": LayoutSpec(
        "no_header",
        "en",
        ("date", "description", "amount", "balance"),
        "mdy_slash",
        "us",
        header_row=False,
        summary="lines",
        currency_shown="none",
        show_bank=False,
        period_date_style="mdy_slash",
    ),
    "parens_negatives": LayoutSpec(
        "parens_negatives",
        "en",
        ("description", "date", "amount", "balance"),
        "mdy_short",
        "us",
        sign_style="parens",
        balance_sign="parens",
        summary="lines",
        currency="CAD",
        period_date_style="mon_d_yyyy",
        overdraft=True,
        holder_shown="none",
        font="Courier",
        font_size=8,
        desc_chars=30,
    ),
    "month_names_rollover": LayoutSpec(
        "month_names_rollover",
        "en",
        ("date", "description", "amount", "balance"),
        "mon_d",
        "us",
        sign_style="trailing",
        rollover=True,
        summary="box",
        period_date_style="mon_d_yyyy",
        currency_shown="code",
        show_account=True,
        account_style=2,
    ),
    "us_sectioned": LayoutSpec(
        "us_sectioned",
        "en",
        ("date", "description", "amount"),
        "md_slash",
        "us",
        balance_rows="none",
        summary="box",
        currency_shown="symbol",
        sections=True,
        period_date_style="mdy_slash",
        rows=(15, 60),
        holder_shown="address",
    ),
    "multi_page_totals": LayoutSpec(
        "multi_page_totals",
        "en",
        ("date", "description", "reference", "debit", "credit", "balance"),
        "dmy_slash",
        "us",
        page_totals=True,
        forward_rows=True,
        summary="none",
        currency="GBP",
        currency_shown="code",
        rows=(90, 160),
        font_size=8,
        period_date_style="dmy_slash",
        headers_two_lines=True,
    ),
}
"""Hand-designed layouts, each a family of bank statements seen in the wild."""

RANDOM_LAYOUT = "randomized"
"""A held-out family: every seed draws its own column order, spellings, fonts and conventions."""

_COLUMN_SETS = (
    ("date", "description", "debit", "credit", "balance"),
    ("date", "description", "amount", "balance"),
    ("date", "value_date", "description", "debit", "credit", "balance"),
    ("date", "reference", "description", "amount", "balance"),
    ("description", "date", "debit", "credit", "balance"),
    ("date", "description", "reference", "debit", "credit"),
    ("date", "description", "amount"),
    ("date", "description", "credit", "debit", "balance"),
)
_LOCALE_NUMBERS = {
    "en": ("us", "in", "plain", "ch"),
    "de": ("eu", "plain_comma"),
    "fr": ("fr", "fr_space", "eu"),
}
_LOCALE_CURRENCIES = {
    "en": ("USD", "GBP", "AUD", "INR", "CAD", "NZD", "CHF"),
    "de": ("EUR", "CHF"),
    "fr": ("EUR", "CHF"),
}


def _unknown_labels(rng: random.Random, columns: tuple[str, ...]) -> tuple[str, ...]:
    """Now and then one header label no table knows; money only where a balance can sign it."""
    if rng.random() > 0.2:
        return ()
    roles = ["description", "reference"]
    if "balance" in columns:
        roles += ["debit", "credit", "amount"]
    present = [r for r in roles if r in columns]
    return (rng.choice(present),) if present else ()


def random_spec(rng: random.Random) -> LayoutSpec:
    """A layout drawn at random: the honest test of an extractor tuned on the named ones."""
    locale = rng.choice(("en", "en", "en", "de", "fr"))
    columns = rng.choice(_COLUMN_SETS)
    signed = "amount" in columns
    day_first = locale != "en" or rng.random() < 0.5
    date_styles = [s for s in DATE_STYLES if s != "mdy_slash" or not day_first]
    if day_first:
        date_styles = [s for s in date_styles if not s.startswith("md")]
    else:
        date_styles = [s for s in date_styles if not s.startswith("dm")]
    has_balance = "balance" in columns
    spec = LayoutSpec(
        name=RANDOM_LAYOUT,
        locale=locale,
        columns=columns,
        date_style=rng.choice(date_styles),
        number_style=rng.choice(_LOCALE_NUMBERS[locale]),
        sign_style=rng.choice(("minus", "trailing", "parens", "crdr", "crdr_mixed", "minus_space"))
        if signed
        else "minus",
        balance_sign=rng.choice(("minus", "crdr", "d_suffix", "parens", "trailing")),
        balance_rows=rng.choice(("every", "every", "day_last")) if has_balance else "none",
        header_row=rng.random() < 0.85 or not signed,
        page_totals=rng.random() < 0.3,
        forward_rows=rng.random() < 0.4,
        summary=rng.choice(("box", "lines", "lines", "none")),
        period_date_style=rng.choice([s for s in date_styles if s not in YEARLESS]),
        currency=rng.choice(_LOCALE_CURRENCIES[locale]),
        currency_shown=rng.choice(("code", "words", "symbol", "none")),
        symbol_in_amounts=rng.random() < 0.2,
        show_bank=rng.random() < 0.85,
        holder_shown=rng.choice(("label", "address", "none")),
        show_account=rng.random() < 0.9,
        account_style=rng.randrange(4),
        label_choice=rng.randrange(8),
        font=rng.choice(("Helvetica", "Times-Roman", "Courier")),
        font_size=rng.choice((7.5, 8.0, 8.5, 9.0, 10.0)),
        desc_chars=rng.randint(26, 44),
        rows=(8, rng.choice((30, 60, 120))),
        overdraft=rng.random() < 0.25,
        rollover=rng.random() < 0.15,
        page_size=rng.choice(("letter", "a4")),
        headers_two_lines=rng.random() < 0.2,
        amounts_last_line=rng.random() < 0.2,
        date_first_row_only=rng.random() < 0.2,
        unknown_labels=_unknown_labels(rng, columns),
        newest_first=rng.random() < 0.15,
        tight_dates=rng.random() < 0.15,
        show_period=rng.random() < 0.9,
        amount_header_align=rng.choice(("right", "right", "center", "left")),
    )
    if spec.newest_first:
        spec = replace(
            spec,
            date_first_row_only=False,
            forward_rows=False,
            page_totals=False,
            balance_rows="every" if spec.balance_rows != "none" else "none",
        )
    if spec.amounts_last_line and spec.date_first_row_only:
        spec = replace(spec, date_first_row_only=False)  # no row would say where it starts
    money_unknown = set(spec.unknown_labels) & {"debit", "credit", "amount"}
    if money_unknown and (spec.balance_rows != "every" or not spec.header_row):
        spec = replace(spec, unknown_labels=())
    if spec.date_style in YEARLESS:
        spec = replace(spec, show_period=True)
    return spec
