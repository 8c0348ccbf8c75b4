"""Drawing a statement with reportlab, and writing down exactly what was drawn (the truth)."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from docproc.models import BankStatement, StatementPeriod, Transaction
from tests.generator.content import Content, Row
from tests.generator.formats import DATE_STYLES, format_signed
from tests.generator.layouts import LayoutSpec
from tests.generator.locales import CURRENCY_WORDS, LOCALES

SYMBOLS = {
    "USD": "$",
    "GBP": "£",
    "EUR": "€",
    "AUD": "A$",
    "CAD": "C$",
    "NZD": "NZ$",
    "INR": "Rs.",
    "CHF": "CHF ",
    "ZAR": "R ",
}
AMOUNT_ROLES = ("debit", "credit", "amount", "balance")
WIDTHS = {
    "date": 62.0,
    "value_date": 58.0,
    "reference": 58.0,
    "debit": 72.0,
    "credit": 72.0,
    "amount": 78.0,
    "balance": 82.0,
}
MARGIN = 40.0


@dataclass
class TableRow:
    cells: dict[str, list[str]]  # role -> lines
    row: Row | None = None  # None for forward/total rows
    balance_printed: bool = False


@dataclass
class Sheet:
    spec: LayoutSpec
    rng: random.Random
    canvas: Canvas
    width: float
    height: float
    columns: dict[str, tuple[float, float]] = field(default_factory=dict)  # role -> (x0, x1)

    def pick(self, options: list[str]) -> str:
        return options[self.spec.label_choice % len(options)]

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float | None = None,
        bold: bool = False,
        align: str = "left",
    ) -> None:
        font = self.spec.font + ("-Bold" if bold and self.spec.font != "Times-Roman" else "")
        if bold and self.spec.font == "Times-Roman":
            font = "Times-Bold"
        size = size or self.spec.font_size
        self.canvas.setFont(font, size)
        top = self.height - y
        if align == "right":
            self.canvas.drawRightString(x, top, s)
        elif align == "center":
            self.canvas.drawCentredString(x, top, s)
        else:
            self.canvas.drawString(x, top, s)


def money(sheet: Sheet, value: Decimal, *, balance: bool = False, symbol: bool = False) -> str:
    spec = sheet.spec
    sym = SYMBOLS[spec.currency] if symbol else ""
    style = spec.balance_sign if balance else spec.sign_style
    return format_signed(value, spec.number_style, style, sym)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def column_widths(spec: LayoutSpec) -> dict[str, float]:
    """Fixed widths, widened where this layout's dates or amounts would not fit."""
    widths = dict(WIDTHS)
    samples = [
        DATE_STYLES[spec.date_style](dt.date(2025, m, d))
        for m in range(1, 13)
        for d in (2, 3, 22, 23, 28)
    ]
    date_width = max(stringWidth(d, spec.font, spec.font_size) for d in samples) + 8
    widths["date"] = widths["value_date"] = max(WIDTHS["date"], date_width)
    if spec.tight_dates:  # the next column starts one space after the longest date or label
        space = stringWidth(" ", spec.font, spec.font_size)
        labels = LOCALES[spec.locale]["columns"]["date"]
        label = labels[spec.label_choice % len(labels)]
        bold = "Times-Bold" if spec.font == "Times-Roman" else spec.font + "-Bold"
        label_width = stringWidth(label, bold, spec.font_size) + 8
        widths["date"] = max(date_width, label_width) - 8 + space - 8
    samples = [
        format_signed(Decimal("-88888.88"), spec.number_style, style, "NZ$")
        for style in (spec.sign_style, spec.balance_sign)
    ]
    money_width = max(stringWidth(x, spec.font, spec.font_size) for x in samples) + 10
    for role in AMOUNT_ROLES:
        widths[role] = max(widths[role], money_width)
    return widths


def fit_font(spec: LayoutSpec) -> LayoutSpec:
    """A smaller font where the columns would leave the description too little room."""
    page_width = (A4 if spec.page_size == "a4" else letter)[0]
    words = LOCALES[spec.locale]
    labels = [
        *words["opening"],
        *words["closing"],
        words["brought"],
        words["carried"],
        words["page_total"],
    ]
    while spec.font_size > 6:
        widths = column_widths(spec)
        fixed = sum(widths[r] for r in spec.columns if r != "description")
        longest = max(stringWidth(label, spec.font, spec.font_size) for label in labels)
        if page_width - 2 * MARGIN - fixed - 8 * len(spec.columns) >= max(120, longest + 6):
            break
        spec = replace(spec, font_size=spec.font_size - 0.5)
    return spec


def layout_columns(sheet: Sheet) -> None:
    spec = sheet.spec
    widths = column_widths(spec)
    desc = stringWidth("M" * spec.desc_chars, spec.font, spec.font_size) * 0.62
    words = LOCALES[spec.locale]
    labels = [
        *words["opening"],
        *words["closing"],
        words["brought"],
        words["carried"],
        words["page_total"],
    ]
    desc = max(desc, max(stringWidth(x, spec.font, spec.font_size) for x in labels) + 6)
    fixed = sum(widths[r] for r in spec.columns if r != "description")
    desc = min(desc, sheet.width - 2 * MARGIN - fixed - 8 * len(spec.columns))
    x = MARGIN
    for role in spec.columns:
        w = desc if role == "description" else widths[role]
        sheet.columns[role] = (x, x + w)
        x += w + 8


def symbol_everywhere(spec: LayoutSpec) -> bool:
    return spec.currency_shown == "symbol" or spec.symbol_in_amounts


def table_rows(sheet: Sheet, content: Content) -> list[TableRow]:
    spec = sheet.spec
    font = spec.font
    x0, x1 = sheet.columns["description"]
    out: list[TableRow] = []
    rows = content.rows
    if spec.sections:  # money in first, then money out, each under its own title
        rows = [r for r in rows if r.amount > 0] + [r for r in rows if r.amount < 0]
    if spec.newest_first:
        rows = rows[::-1]
    for i, row in enumerate(rows):
        cells: dict[str, list[str]] = {}
        same_day_before = i > 0 and rows[i - 1].date == row.date
        if not (spec.date_first_row_only and same_day_before):
            cells["date"] = [DATE_STYLES[spec.date_style](row.date)]
        if "value_date" in spec.columns:
            cells["value_date"] = [DATE_STYLES[spec.date_style](row.date)]
        cells["description"] = wrap(row.description, font, spec.font_size, x1 - x0)
        if "reference" in spec.columns and row.reference:
            cells["reference"] = [row.reference]
        sym = symbol_everywhere(spec)
        if spec.sections:
            cells["amount"] = [
                format_signed(
                    -row.amount if row.amount < 0 else row.amount,
                    spec.number_style,
                    "minus",
                    SYMBOLS[spec.currency] if sym else "",
                )
            ]
        elif "amount" in spec.columns:
            cells["amount"] = [money(sheet, row.amount, symbol=sym)]
        elif row.amount < 0:
            cells["debit"] = [
                format_signed(
                    -row.amount, spec.number_style, "minus", SYMBOLS[spec.currency] if sym else ""
                )
            ]
        else:
            cells["credit"] = [
                format_signed(
                    row.amount, spec.number_style, "minus", SYMBOLS[spec.currency] if sym else ""
                )
            ]
        last_of_day = i + 1 == len(rows) or rows[i + 1].date != row.date
        printed = "balance" in spec.columns and (spec.balance_rows == "every" or last_of_day)
        if printed:
            cells["balance"] = [money(sheet, row.balance, balance=True, symbol=sym)]
        out.append(TableRow(cells, row, printed))
    return out


def forward_row(sheet: Sheet, label: str, value: Decimal) -> TableRow:
    spec = sheet.spec
    sym = symbol_everywhere(spec)
    if "balance" in spec.columns:
        return TableRow(
            {"description": [label], "balance": [money(sheet, value, balance=True, symbol=sym)]}
        )
    if "amount" in spec.columns:
        return TableRow({"description": [label], "amount": [money(sheet, value, symbol=sym)]})
    role = "credit" if value >= 0 else "debit"
    return TableRow(
        {"description": [label], role: [format_signed(abs(value), spec.number_style, "minus")]}
    )


def total_row(sheet: Sheet, label: str, rows: list[TableRow]) -> TableRow:
    spec = sheet.spec
    moved = [r.row.amount for r in rows if r.row]
    cells: dict[str, list[str]] = {"description": [label]}
    if "amount" in spec.columns:
        cells["amount"] = [money(sheet, sum(moved, Decimal(0)))]
    else:
        cells["debit"] = [
            format_signed(-sum((a for a in moved if a < 0), Decimal(0)), spec.number_style, "minus")
        ]
        cells["credit"] = [
            format_signed(sum((a for a in moved if a > 0), Decimal(0)), spec.number_style, "minus")
        ]
    return TableRow(cells)


def statement_truth(
    spec: LayoutSpec, content: Content, pages: list[list[TableRow]], account_text: str | None
) -> BankStatement:
    shown_balances = spec.summary != "none" or spec.forward_rows
    currency = None
    if spec.currency_shown in ("code", "words") or symbol_everywhere(spec):
        currency = spec.currency
    transactions = [
        Transaction(
            date=r.row.date,
            description=r.row.description,
            amount=r.row.amount,
            balance=r.row.balance if r.balance_printed else None,
            page=number,
        )
        for number, page in enumerate(pages, start=1)
        for r in page
        if r.row
    ]
    return BankStatement(
        bank_name=content.bank if spec.show_bank else None,
        account_holder=content.holder if spec.holder_shown != "none" else None,
        account_number=account_text,
        currency=currency,
        period=StatementPeriod(start=content.start, end=content.end)
        if spec.show_period
        else StatementPeriod(),
        opening_balance=content.opening if shown_balances else None,
        closing_balance=content.closing if shown_balances else None,
        transactions=transactions,
    )


def account_text(spec: LayoutSpec, number: str) -> str:
    style = spec.account_style % 4
    if style == 1:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    if style == 2:
        return "XXXXXX" + number[-4:]
    if style == 3:
        return f"{number[:3]}-{number[3:6]}-{number[6:]}"
    return number


def new_canvas(spec: LayoutSpec) -> tuple[Canvas, io.BytesIO, float, float]:
    size = A4 if spec.page_size == "a4" else letter
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=1)
    return canvas, buffer, size[0], size[1]


__all__ = [
    "CURRENCY_WORDS",
    "LOCALES",
    "Sheet",
    "TableRow",
    "account_text",
    "forward_row",
    "layout_columns",
    "money",
    "new_canvas",
    "statement_truth",
    "table_rows",
    "total_row",
]
