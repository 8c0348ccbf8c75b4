"""Page composition: the header block, the summary, the table across pages, the footer."""

from __future__ import annotations

from decimal import Decimal

from reportlab.pdfbase.pdfmetrics import stringWidth

from tests.generator.content import Content
from tests.generator.formats import DATE_STYLES
from tests.generator.locales import CURRENCY_WORDS, LOCALES, UNKNOWN_LABELS
from tests.generator.render import (
    AMOUNT_ROLES,
    MARGIN,
    SYMBOLS,
    Sheet,
    TableRow,
    forward_row,
    money,
    total_row,
)


def draw_header_block(sheet: Sheet, content: Content, account: str | None) -> float:
    """Bank, holder, account, period, currency and summary; returns the y where the table starts."""
    spec, rng = sheet.spec, sheet.rng
    words = LOCALES[spec.locale]
    y = MARGIN + 10
    right = sheet.width / 2 + 30
    if spec.show_bank:
        sheet.text(MARGIN if rng.random() < 0.7 else right, y, content.bank, size=16, bold=True)
        y += 22
    sheet.text(MARGIN, y, sheet.pick(words["title"]), size=12, bold=True)
    info_y = y + 18
    if spec.holder_shown == "address":
        for line in (
            content.holder,
            content.street,
            content.city,
        ):
            sheet.text(MARGIN, info_y, line)
            info_y += spec.font_size + 3
    side: list[str] = []
    if spec.holder_shown == "label":
        side.append(sheet.pick(words["holder"]).format(h=content.holder))
    if account:
        side.append(sheet.pick(words["account"]).format(n=account))
    if spec.show_period:
        fmt = DATE_STYLES[spec.period_date_style]
        side.append(
            sheet.pick(words["period"]).format(start=fmt(content.start), end=fmt(content.end))
        )
    if spec.currency_shown in ("code", "words"):
        side.append(
            sheet.pick(words["currency"]).format(
                code=spec.currency, words=CURRENCY_WORDS[spec.currency]
            )
        )
    side_y = y + 18
    x = right if spec.holder_shown == "address" else MARGIN
    for line in side:
        sheet.text(x, side_y, line)
        side_y += spec.font_size + 4
    y = max(info_y, side_y) + 10
    return draw_summary(sheet, content, y)


def draw_summary(sheet: Sheet, content: Content, y: float) -> float:
    spec = sheet.spec
    words = LOCALES[spec.locale]
    symbol = spec.currency_shown == "symbol" or spec.symbol_in_amounts
    debits = -sum((r.amount for r in content.rows if r.amount < 0), Decimal(0))
    credits = sum((r.amount for r in content.rows if r.amount > 0), Decimal(0))
    items = [
        (sheet.pick(words["opening"]), money(sheet, content.opening, balance=True, symbol=symbol)),
        ("Total debits" if spec.locale == "en" else "Total", money(sheet, -debits, symbol=symbol)),
        ("Total credits" if spec.locale == "en" else "Total", money(sheet, credits, symbol=symbol)),
        (sheet.pick(words["closing"]), money(sheet, content.closing, balance=True, symbol=symbol)),
    ]
    if spec.summary == "box":
        x = MARGIN
        sheet.canvas.rect(
            MARGIN - 4,
            sheet.height - y - 2 * spec.font_size - 10,
            sheet.width - 2 * MARGIN + 8,
            2 * spec.font_size + 18,
        )
        step = (sheet.width - 2 * MARGIN) / 4
        bold = "Times-Bold" if spec.font == "Times-Roman" else spec.font + "-Bold"
        size = spec.font_size
        while size > 5 and max(stringWidth(lb, bold, size) for lb, _ in items) > step - 20:
            size -= 0.5
        for label, value in items:
            sheet.text(x + step - 12, y, label, size=size, bold=True, align="right")
            sheet.text(x + step - 12, y + spec.font_size + 5, value, align="right")
            x += step
        return y + 2 * spec.font_size + 24
    if spec.summary == "lines":
        for label, value in (items[0], items[3]):
            sheet.text(MARGIN, y, label)
            sheet.text(MARGIN + 260, y, value, align="right")
            y += spec.font_size + 4
        return y + 12
    return y + 6


def header_parts(sheet: Sheet, label: str, width: float) -> tuple[list[str], float]:
    """A header label on one line, or two when it does not fit its column; smaller if need be."""
    spec = sheet.spec
    font = "Times-Bold" if spec.font == "Times-Roman" else spec.font + "-Bold"
    parts = [label]
    if (
        spec.headers_two_lines or stringWidth(label, font, spec.font_size) > width
    ) and " " in label:
        parts = label.split(" ", 1)
    size = spec.font_size
    while size > 5 and max(stringWidth(p, font, size) for p in parts) > width:
        size -= 0.5
    return parts, size


def draw_table_header(sheet: Sheet, y: float) -> float:
    spec = sheet.spec
    labels = LOCALES[spec.locale]["columns"]
    lines_needed = 1
    for role, (x0, x1) in sheet.columns.items():
        label = UNKNOWN_LABELS[role] if role in spec.unknown_labels else sheet.pick(labels[role])
        parts, size = header_parts(sheet, label, x1 - x0)
        lines_needed = max(lines_needed, len(parts))
        for i, part in enumerate(parts):
            yy = y + i * (spec.font_size + 2)
            if role in AMOUNT_ROLES and spec.amount_header_align == "right":
                sheet.text(x1, yy, part, size=size, bold=True, align="right")
            elif role in AMOUNT_ROLES and spec.amount_header_align == "center":
                sheet.text((x0 + x1) / 2, yy, part, size=size, bold=True, align="center")
            else:
                sheet.text(x0, yy, part, size=size, bold=True)
    y += lines_needed * (spec.font_size + 2) + 1
    sheet.canvas.line(MARGIN, sheet.height - y, sheet.width - MARGIN, sheet.height - y)
    return y + spec.font_size + 4


def draw_row(sheet: Sheet, row: TableRow, y: float) -> float:
    spec = sheet.spec
    height = 0
    last = max(len(lines) for lines in row.cells.values()) - 1
    for role, lines in row.cells.items():
        x0, x1 = sheet.columns[role]
        for i, line in enumerate(lines):
            if role in AMOUNT_ROLES:
                at = last if spec.amounts_last_line and row.row else i  # Wells Fargo style
                sheet.text(x1, y + at * (spec.font_size + 2), line, align="right")
            else:
                sheet.text(x0, y + i * (spec.font_size + 2), line)
        height = max(height, len(lines))
    return y + height * (spec.font_size + 2) + 3


def row_height(sheet: Sheet, row: TableRow) -> float:
    return max(len(lines) for lines in row.cells.values()) * (sheet.spec.font_size + 2) + 3


def paginate(sheet: Sheet, rows: list[TableRow], first_top: float) -> list[list[TableRow]]:
    """Split rows into pages, leaving room for forward and total rows and the footer."""
    spec = sheet.spec
    reserve = 3 * (spec.font_size + 5) + 60
    pages: list[list[TableRow]] = [[]]
    y = first_top + 2 * (spec.font_size + 5) + 20
    for row in rows:
        h = row_height(sheet, row)
        if y + h > sheet.height - reserve and pages[-1]:
            pages.append([])
            y = MARGIN + 60 + 2 * (spec.font_size + 5) + 20
        pages[-1].append(row)
        y += h
    return pages


def draw_footer(sheet: Sheet, number: int, count: int) -> None:
    spec = sheet.spec
    lines = LOCALES[spec.locale]["disclaimer"]
    y = sheet.height - 48
    sheet.text(MARGIN, y, lines[(number + spec.label_choice) % len(lines)], size=6.5)
    sheet.text(sheet.width - MARGIN, y + 12, f"Page {number} of {count}", size=7, align="right")


SECTION_TITLES = {True: "Deposits and other credits", False: "Withdrawals and other debits"}


def draw_pages(sheet: Sheet, content: Content, pages: list[list[TableRow]], top: float) -> None:
    spec = sheet.spec
    words = LOCALES[spec.locale]
    balance = content.opening
    for number, rows in enumerate(pages, start=1):
        y = top if number == 1 else MARGIN + 40
        if number > 1 and spec.show_bank:
            sheet.text(MARGIN, MARGIN + 10, content.bank, size=9, bold=True)
        if spec.header_row and not spec.sections:
            y = draw_table_header(sheet, y)
        if spec.forward_rows:
            label = sheet.pick(words["opening"]) if number == 1 else words["brought"]
            y = draw_row(sheet, forward_row(sheet, label, balance), y)
        section = None
        for row in rows:
            if spec.sections and row.row and (row.row.amount > 0) is not section:
                section = row.row.amount > 0
                title = SECTION_TITLES[section]
                sheet.text(MARGIN, y + 4, title, size=spec.font_size + 1.5, bold=True)
                y = draw_table_header(sheet, y + spec.font_size + 10)
            y = draw_row(sheet, row, y)
            if row.row:
                balance = row.row.balance
        if spec.page_totals:
            y = draw_row(sheet, total_row(sheet, words["page_total"], rows), y + 2)
        if spec.forward_rows:
            label = words["carried"] if number < len(pages) else sheet.pick(words["closing"])
            draw_row(sheet, forward_row(sheet, label, balance), y)
        draw_footer(sheet, number, len(pages))
        sheet.canvas.showPage()


__all__ = ["SYMBOLS", "draw_header_block", "draw_pages", "paginate"]
