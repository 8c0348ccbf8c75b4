"""A bank-statement generator for tests and benchmarks: PDFs of many layouts with exact truth.

`generate(layout, seed)` draws a statement's facts (`content.py`), lays them out by a layout
specification (`layouts.py`: column order, header words, date/number/sign conventions, fonts,
pages) and renders them with reportlab (`render.py`, `pages.py`). The truth is written from what
was drawn, so it is exact: a balance the page does not print is `None` there too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from docproc.models import BankStatement
from tests.generator.content import make_content
from tests.generator.layouts import NAMED, RANDOM_LAYOUT, LayoutSpec, random_spec
from tests.generator.pages import draw_header_block, draw_pages, paginate
from tests.generator.render import (
    Sheet,
    account_text,
    fit_font,
    layout_columns,
    new_canvas,
    statement_truth,
    table_rows,
)

LAYOUTS: tuple[str, ...] = (*NAMED, RANDOM_LAYOUT)
"""Every layout name `generate` accepts; `randomized` draws a new layout for every seed."""


@dataclass(frozen=True, slots=True)
class GeneratedStatement:
    pdf: bytes
    truth: BankStatement
    layout: str
    spec: LayoutSpec | None = None


def layout_spec(layout: str, rng: random.Random) -> LayoutSpec:
    if layout == RANDOM_LAYOUT:
        return random_spec(rng)
    if layout not in NAMED:
        raise KeyError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    return NAMED[layout]


def generate(layout: str, seed: int, *, rows: int | None = None) -> GeneratedStatement:
    """A statement PDF of `layout` and its exact truth; same (layout, seed), same PDF."""
    rng = random.Random(f"{layout}:{seed}")
    spec = layout_spec(layout, rng)
    count = rows if rows is not None else rng.randint(*spec.rows)
    content = make_content(
        rng,
        rows=count,
        overdraft=spec.overdraft,
        rollover=spec.rollover,
        account_digits=rng.choice((8, 10, 12)),
    )
    spec = fit_font(spec)
    canvas, buffer, width, height = new_canvas(spec)
    sheet = Sheet(spec, rng, canvas, width, height)
    layout_columns(sheet)
    account = account_text(spec, content.account_number) if spec.show_account else None
    top = draw_header_block(sheet, content, account)
    pages = paginate(sheet, table_rows(sheet, content), top)
    draw_pages(sheet, content, pages, top)
    canvas.save()
    truth = statement_truth(spec, content, pages, account)
    return GeneratedStatement(buffer.getvalue(), truth, layout, spec)


__all__ = ["LAYOUTS", "GeneratedStatement", "LayoutSpec", "generate"]
