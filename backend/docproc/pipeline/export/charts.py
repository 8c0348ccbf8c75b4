"""Inline SVG charts for the HTML report: no script, no network, scaled with Decimal."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from html import escape

WIDTH = Decimal(720)
ROW = Decimal(26)
LABEL_WIDTH = Decimal(170)
PLOT_HEIGHT = Decimal(220)
MARGIN = Decimal(40)
COLOURS = {"in": "#2e7d32", "out": "#c62828", "net": "#1565c0", "line": "#1565c0"}


def _n(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN), "f")


def _whole(value: Decimal) -> str:
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN):,}"


def _svg(height: Decimal, body: str, title: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {_n(WIDTH)} {_n(height)}" '
        f'width="100%" aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>'
    )


def empty_chart(title: str, message: str) -> str:
    body = f'<text x="10" y="30" class="note">{escape(message)}</text>'
    return _svg(Decimal(50), body, title)


def bar_chart(title: str, bars: Sequence[tuple[str, Decimal, str]]) -> str:
    """Horizontal bars: (label, value >= 0, shown value)."""
    if not bars:
        return empty_chart(title, "Nothing to show")
    top = max(value for _, value, _ in bars) or Decimal(1)
    span = WIDTH - LABEL_WIDTH - Decimal(110)
    parts = []
    for i, (label, value, shown) in enumerate(bars):
        y = ROW * i + Decimal(6)
        width = span * value / top
        parts.append(
            f'<text x="{_n(LABEL_WIDTH - 6)}" y="{_n(y + 14)}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{_n(LABEL_WIDTH)}" y="{_n(y)}" width="{_n(width)}" height="18" '
            f'fill="{COLOURS["out"]}"><title>{escape(label)}: {escape(shown)}</title></rect>'
            f'<text x="{_n(LABEL_WIDTH + width + 6)}" y="{_n(y + 14)}">{escape(shown)}</text>'
        )
    return _svg(ROW * len(bars) + Decimal(12), "".join(parts), title)


def _y(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return MARGIN + PLOT_HEIGHT - PLOT_HEIGHT * (value - low) / ((high - low) or Decimal(1))


def _rule(y: Decimal, css: str) -> str:
    x1, x2 = _n(MARGIN * 2), _n(WIDTH - 10)
    return f'<line x1="{x1}" x2="{x2}" y1="{_n(y)}" y2="{_n(y)}" class="{css}"/>'


def _axis(low: Decimal, high: Decimal) -> str:
    parts = []
    for value in (low, (low + high) / 2, high):
        y = _y(value, low, high)
        parts.append(
            _rule(y, "grid")
            + f'<text x="{_n(MARGIN * 2 - 4)}" y="{_n(y + 4)}" text-anchor="end">'
            + f"{_whole(value)}</text>"
        )
    if low < 0 < high:
        parts.append(_rule(_y(Decimal(0), low, high), "zero"))
    return "".join(parts)


def column_chart(title: str, groups: Sequence[tuple[str, dict[str, Decimal]]]) -> str:
    """Grouped columns per period: money in, money out, net (keys 'in', 'out', 'net')."""
    if not groups:
        return empty_chart(title, "Nothing to show")
    values = [v for _, g in groups for v in g.values()]
    low, high = min(Decimal(0), *values), max(Decimal(0), *values)
    slot = (WIDTH - MARGIN * 2 - 10) / len(groups)
    bar = slot / 4
    parts = [_axis(low, high)]
    for i, (label, group) in enumerate(groups):
        x0 = MARGIN * 2 + slot * i + bar / 2
        for j, key in enumerate(("in", "out", "net")):
            top, bottom = sorted((_y(group[key], low, high), _y(Decimal(0), low, high)))
            parts.append(
                f'<rect x="{_n(x0 + bar * j)}" y="{_n(top)}" width="{_n(bar)}" '
                f'height="{_n(bottom - top)}" fill="{COLOURS[key]}">'
                f"<title>{escape(label)} {key}: {_n(group[key])}</title></rect>"
            )
        parts.append(
            f'<text x="{_n(x0 + bar * Decimal("1.5"))}" y="{_n(MARGIN + PLOT_HEIGHT + 18)}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    legend = "".join(
        f'<rect x="{_n(MARGIN * 2 + 90 * i)}" y="8" width="12" height="12" fill="{COLOURS[k]}"/>'
        f'<text x="{_n(MARGIN * 2 + 90 * i + 16)}" y="18">{k}</text>'
        for i, k in enumerate(("in", "out", "net"))
    )
    return _svg(MARGIN + PLOT_HEIGHT + 30, legend + "".join(parts), title)


def line_chart(title: str, points: Sequence[tuple[str, Decimal]]) -> str:
    """A line through (label, value) points, e.g. the daily balance."""
    if not points:
        return empty_chart(title, "No balances to show")
    values = [v for _, v in points]
    low, high = min(Decimal(0), *values), max(Decimal(0), *values)
    step = (WIDTH - MARGIN * 2 - 10) / max(len(points) - 1, 1)
    xy = [(MARGIN * 2 + step * i, _y(v, low, high)) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{_n(x)},{_n(y)}" for x, y in xy)
    last = len(points) - 1
    # The first and last labels are anchored inward so they stay inside the picture.
    anchors = {0: "start", last // 2: "middle", last: "end"}
    labels = "".join(
        f'<text x="{_n(xy[i][0])}" y="{_n(MARGIN + PLOT_HEIGHT + 18)}" text-anchor="{anchor}">'
        f"{escape(points[i][0])}</text>"
        for i, anchor in sorted(anchors.items())
    )
    body = (
        _axis(low, high)
        + f'<polyline points="{path}" fill="none" stroke="{COLOURS["line"]}" stroke-width="2"/>'
        + labels
    )
    return _svg(MARGIN + PLOT_HEIGHT + 30, body, title)
