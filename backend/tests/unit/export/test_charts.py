"""The inline SVG charts are drawn to scale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from docproc.pipeline.export.charts import bar_chart, column_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bars_are_proportional() -> None:
    svg = bar_chart(
        "t", [("Rent", Decimal("1200.00"), "1200.00"), ("Food", Decimal("300.00"), "300.00")]
    )
    widths = [Decimal(r.get("width", "0")) for r in ET.fromstring(svg).iter(f"{SVG}rect")]
    assert widths[0] == 4 * widths[1] > 0


def test_columns_go_below_the_zero_line_for_money_out() -> None:
    svg = column_chart(
        "t", [("2025-01", {"in": Decimal(100), "out": Decimal(-50), "net": Decimal(50)})]
    )
    rects = [r for r in ET.fromstring(svg).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    keys = [(r.findtext(f"{SVG}title") or "").split()[1].rstrip(":") for r in rects]
    tops = {k: Decimal(r.get("y", "0")) for k, r in zip(keys, rects, strict=True)}
    heights = {k: Decimal(r.get("height", "0")) for k, r in zip(keys, rects, strict=True)}
    # Coordinates are rounded to 0.1.
    assert abs(heights["in"] - 2 * heights["out"]) <= Decimal("0.2")
    assert heights["out"] == heights["net"] > 0
    assert tops["out"] > tops["in"]  # drawn from the zero line downwards


def test_line_and_empty_charts_are_well_formed() -> None:
    svg = line_chart("t", [("2025-01-01", Decimal("-5")), ("2025-01-02", Decimal("10"))])
    line = ET.fromstring(svg).find(f"{SVG}polyline")
    assert line is not None
    assert len(re.findall(r"[\d.]+,[\d.]+", line.get("points", ""))) == 2
    assert "No balances to show" in line_chart("t", [])
    assert "Nothing to show" in bar_chart("t", [])
