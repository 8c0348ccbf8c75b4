"""HTML export: one standalone page (inline CSS and SVG charts, no script, no network)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from importlib import resources
from string import Template
from typing import Any

from docproc.models import ProcessingResult
from docproc.money import format_money
from docproc.pipeline.export.charts import bar_chart, column_chart, line_chart
from docproc.pipeline.export.export import Export, StatementView, statement_view

CHART_POINTS = 120


def _cell(value: Any) -> str:
    if value is None:
        return "<td></td>"
    text = escape(str(value))
    if isinstance(value, int | Decimal) or (isinstance(value, str) and _is_money(value)):
        negative = ' class="num neg"' if text.startswith("-") else ' class="num"'
        return f"<td{negative}>{text}</td>"
    return f"<td>{text}</td>"


def _is_money(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return "." in text and text.replace("-", "").replace(".", "").isdigit()


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if not rows:
        return "<p>None.</p>"
    numeric = {"Count", "Times", "Money in", "Money out", "Amount", "Balance", "Typical amount"}
    head = "".join(
        f'<th class="num">{escape(h)}</th>' if h in numeric else f"<th>{escape(h)}</th>"
        for h in header
    )
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cards(reports: dict[str, Any]) -> str:
    summary, balances = reports["summary"], reports["balances"]
    figures = [
        ("Opening", summary["opening_balance"]),
        ("Closing", summary["closing_balance"]),
        ("Money in", summary["money_in"]),
        ("Money out", summary["money_out"]),
        ("Net change", summary["net_change"]),
        ("Transactions", summary["transaction_count"]),
        ("Average daily balance", balances["average_daily_balance"]),
        ("Days below zero", balances["days_below_zero"]),
        ("Income / month", reports["income"]["monthly_average"]),
    ]
    return "".join(
        f'<div class="card">{escape(label)}<b>{escape("—" if v is None else str(v))}</b></div>'
        for label, v in figures
    )


def _charts(reports: dict[str, Any]) -> dict[str, str]:
    spending = [
        (c["label"], Decimal(c["money_out"]), c["money_out"])
        for c in reports["categories"]["by_category"]
        if Decimal(c["money_out"]) > 0
    ]
    months = [
        (
            m["month"],
            {
                "in": Decimal(m["money_in"]),
                "out": -Decimal(m["money_out"]),
                "net": Decimal(m["net"]),
            },
        )
        for m in reports["cash_flow"]["months"]
    ]
    daily = reports["balances"]["daily"]
    stride = max(1, -(-len(daily) // CHART_POINTS))
    points = [(d["date"], Decimal(d["balance"])) for d in daily[::stride]]
    if daily and points[-1][0] != daily[-1]["date"]:
        points.append((daily[-1]["date"], Decimal(daily[-1]["balance"])))
    return {
        "category_chart": bar_chart("Spending by category", spending),
        "cash_flow_chart": column_chart("Monthly cash flow", months),
        "balance_chart": line_chart("Balance over time", points),
    }


def _tables(view: StatementView) -> dict[str, str]:
    reports = view.reports
    notable = reports["notable"]
    unusual = {row["index"] for row in notable["unusual"]}
    return {
        "category_table": _table(
            ["Category", "Count", "Money in", "Money out"],
            [
                [c["label"], c["count"], c["money_in"], c["money_out"]]
                for c in reports["categories"]["by_category"]
            ],
        ),
        "recurring_table": _table(
            ["Counterparty", "Direction", "Interval", "Typical amount", "Times", "Next expected"],
            [
                [
                    s["counterparty"],
                    s["direction"],
                    s["interval"],
                    s["typical_amount"],
                    s["occurrences"],
                    s["next_expected_date"],
                ]
                for s in reports["recurring"]["streams"]
            ],
        ),
        "notable_table": _table(
            ["Date", "Description", "Amount", "Why"],
            [
                [r["date"], r["description"], r["amount"], "largest"]
                for r in notable["largest_out"][:3]
            ]
            + [
                [r["date"], r["description"], r["amount"], f"unusual (score {r['score']})"]
                for r in notable["unusual"]
            ],
        ),
        "transactions_table": _table(
            ["Date", "Description", "Category", "Amount", "Balance"],
            [
                [
                    t.date.isoformat(),
                    t.description + (" ⚑" if i in unusual else ""),
                    category,
                    format_money(t.amount),
                    None if running is None else format_money(running),
                ]
                for i, (t, category, _, running) in enumerate(view.rows)
            ],
        ),
    }


def _reconciliation_note(reconciliation: dict[str, Any]) -> str:
    """One line on why: the difference, the broken balance-chain rows, suspected OCR misreads."""
    parts = [str(reconciliation["reason"])] if reconciliation.get("reason") else []
    statements = reconciliation.get("statements") or []
    if statements:
        statuses = [str(r.get("status")) for r in statements]
        counts = ", ".join(f"{statuses.count(s)} {s}" for s in sorted(set(statuses)))
        parts.append(f"{len(statuses)} statements: {counts}")
    if reconciliation.get("status") == "unbalanced" and reconciliation.get("difference"):
        parts.append(
            f"opening plus transactions gives {reconciliation.get('expected_closing')}, the "
            f"statement prints {reconciliation.get('closing_balance')} "
            f"(difference {reconciliation['difference']})"
        )
    breaks = (reconciliation.get("balance_chain") or {}).get("breaks") or []
    if breaks:
        parts.append(f"{len(breaks)} printed running balance(s) do not follow from the row before")
    suspects = reconciliation.get("suspected_ocr_errors") or []
    if suspects:
        parts.append(f"{len(suspects)} amount(s) may have been misread")
    unread = reconciliation.get("unread_rows") or []
    if unread:
        pages = ", ".join(sorted({str(row["page"]) for row in unread}, key=int))
        parts.append(f"{len(unread)} row(s) could not be read (page {pages}): not in the sums")
    return "; ".join(parts)


def _balance_note(balances: dict[str, Any]) -> str:
    if not balances["available"]:
        return "No balance series: " + str(balances.get("reason", ""))
    lowest = balances["minimum"]
    return (
        f"Minimum {lowest['balance']} on {lowest['date']}; {balances['overdraft_fee_count']} "
        f"overdraft and {balances['nsf_returned_count']} NSF/returned-payment events."
    )


def render_report(view: StatementView, filename: str) -> str:
    statement, reports = view.statement, view.reports
    reconciliation = reports.get("reconciliation", {})
    period = statement.period
    meta = " · ".join(
        escape(str(part))
        for part in (
            statement.bank_name,
            statement.account_holder,
            statement.account_number,
            statement.currency,
            f"{period.start} – {period.end}" if period.start or period.end else None,
        )
        if part
    )
    balances = reports["balances"]
    template = Template(resources.files(__package__).joinpath("report.html").read_text("utf-8"))
    return template.substitute(
        title=escape(f"Statement report: {filename}"),
        meta=meta or "No account details were printed.",
        status=escape(str(reconciliation.get("status", "unverifiable"))),
        status_note=escape(_reconciliation_note(reconciliation)),
        cards=_cards(reports),
        balance_note=escape(_balance_note(balances)),
        **_charts(reports),
        **_tables(view),
    )


def export_html(result: ProcessingResult) -> Export:
    view = statement_view(result, "html")
    page = render_report(view, result.filename)
    return Export(page.encode("utf-8"), "text/html; charset=utf-8", "html")
