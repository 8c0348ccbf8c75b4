"""Where the transaction table is: spans of lines under each header (several per page when a
statement has sections such as "Deposits" and "Withdrawals"), or, without any header, from the
first line that reads as a transaction."""

from __future__ import annotations

from dataclasses import dataclass

from docproc.pipeline.statements.amounts import parse_amount
from docproc.pipeline.statements.cells import Line
from docproc.pipeline.statements.columns import (
    Columns,
    header_columns,
    inferred_columns,
    money_cells,
    refine_money_columns,
    right_edge_groups,
    transaction_blocks,
)
from docproc.pipeline.statements.conventions import MONEY_ROLES, conventions
from docproc.pipeline.statements.table import ROW_REACH, RowBuilder, Table, line_kind

TITLE_REACH = 3  # lines above a header searched for a section title
PAGE_SHIFT = 10.0  # points a scanned page's columns may sit off the page before's


@dataclass(slots=True)
class Span:
    lines: list[Line]
    columns: Columns
    section: int = 0  # sign a section title gives unsigned amounts (-1 out, +1 in)


def read_table(pages: list[list[Line]]) -> Table:
    """Rows of the statement's transaction table across all pages."""
    builder = RowBuilder()
    header_ids: set[int] = set()
    by_page: list[list[Span]] = []
    for lines in pages:
        previous = next((found[-1] for found in reversed(by_page) if found), None)
        by_page.append(_page_spans(lines, previous, header_ids))
    first = next((found[0] for found in by_page if found), None)
    for number, found in enumerate(by_page):
        if found or first is None:
            break
        # pages before the first header we can read (OCR garbled it): read with the next one's
        by_page[number] = [_continued(pages[number], first)]
    spans = [span for found in by_page for span in found]
    if not spans:
        inferred = inferred_columns([ln for lines in pages for ln in lines])
        spans = _headerless_spans(pages, inferred) if inferred else []
    refined = _refined(spans)
    for span in spans:
        builder.section = span.section
        columns = refined[span.columns.signature]
        for index, line in enumerate(span.lines):
            if not builder.feed(line, columns, span.lines[index + 1 : index + 1 + ROW_REACH]):
                break
        builder.close()
    last = refined[spans[-1].columns.signature] if spans else None
    return Table(builder.rows, builder.marks, header_ids, builder.mark_lines, last, builder.unread)


def _page_spans(lines: list[Line], previous: Span | None, header_ids: set[int]) -> list[Span]:
    """One span per header on the page; a page without one continues the last table."""
    heads: list[tuple[int, int, Columns]] = []
    index = 0
    while index < len(lines):
        found = header_columns(lines, index)
        if found:
            heads.append((index, found[1], found[0]))
            header_ids.update(id(ln) for ln in lines[index : index + found[1]])
            index += found[1]
        else:
            index += 1
    if not heads:
        return [_continued(lines, previous)] if previous is not None else []
    spans = []
    for number, (start, used, columns) in enumerate(heads):
        end = heads[number + 1][0] if number + 1 < len(heads) else len(lines)
        if number + 1 < len(heads):
            end -= _title_lines(
                lines[max(start + used, end - TITLE_REACH) : end], heads[number + 1][2]
            )
        title = lines[max(0, start - TITLE_REACH) : start]
        spans.append(Span(lines[start + used : end], columns, section_sign(title)))
    return spans


def _continued(lines: list[Line], table: Span) -> Span:
    """A page without a header we can read, as more of `table`'s rows."""
    return Span(lines[_first_row(lines, _money_edges(table.lines)) :], table.columns)


def _first_row(lines: list[Line], edges: list[float]) -> int:
    """Where a page that continues the table without a header we can read (none printed, or
    its labels misread) starts: at its first row whose money stands in the table's money
    columns (or the dated line that row wraps from). The letterhead, an unread header, or
    another table with its money elsewhere are not rows."""
    for index, line in enumerate(lines):
        if any(abs(c.x1 - e) < PAGE_SHIFT for c in money_cells(line) for e in edges):
            for block in transaction_blocks(lines[max(0, index - ROW_REACH) : index + 1]):
                if block[-1] is line:
                    return lines.index(block[0])
            return index
    return len(lines)


def _money_edges(lines: list[Line]) -> list[float]:
    """Right edges the money of these lines stands on (a column has two numbers or more)."""
    groups = right_edge_groups([c for line in lines for c in money_cells(line)])
    return [group[len(group) // 2].x1 for group in groups if len(group) >= 2]


def _title_lines(above: list[Line], columns: Columns) -> int:
    """How many lines right above a header are its title: short, money-free, and naming a
    section or standing left of the description column (a wrapped description does not)."""
    starts = [c.x0 for c in columns.columns if c.role == "description"]
    count = 0
    for line in reversed(above):
        if money_cells(line) or len(line.words) > 6:
            break
        outdented = bool(starts) and line.cells[0].x0 < starts[0] - line.height
        if not (section_sign([line]) or outdented):
            break
        count += 1
    return count


def section_sign(lines: list[Line]) -> int:
    """-1 when a title above the header names money out ("Withdrawals"), +1 money in."""
    table = conventions().sections
    for line in reversed(lines):
        if money_cells(line) or len(line.words) > 6:
            return 0  # a summary or a sentence, not a section title
        text = line.text.lower()
        if any(w in text for w in table.money_out):
            return -1
        if any(w in text for w in table.money_in):
            return 1
    return 0


def _refined(spans: list[Span]) -> dict[tuple[object, ...], Columns]:
    """Each distinct header's money columns re-placed where its numbers actually stand."""
    groups: dict[tuple[object, ...], tuple[Columns, list[Line]]] = {}
    for span in spans:
        groups.setdefault(span.columns.signature, (span.columns, []))[1].extend(span.lines)
    return {key: refine_money_columns(cols, lines) for key, (cols, lines) in groups.items()}


def _headerless_spans(pages: list[list[Line]], columns: Columns) -> list[Span]:
    """Without a header the table starts at a page's first line that reads as a transaction;
    after the first such page, a line of money in the money columns (a day's later row) will do."""
    spans: list[Span] = []
    edges = [c.x1 for c in columns.columns if c.role in MONEY_ROLES]
    for lines in pages:
        blocks = transaction_blocks(lines)
        start = lines.index(blocks[0][0]) if blocks else len(lines)
        if spans:
            for index, line in enumerate(lines[:start]):
                aligned = any(abs(c.x1 - e) < 2.5 for c in money_cells(line) for e in edges)
                text = " ".join(c.text for c in line.cells if not parse_amount(c.text))
                if aligned and line_kind(text) is None:
                    start = index
                    break
        spans.append(Span(lines[start:], columns))
    return spans
