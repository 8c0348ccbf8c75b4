"""OFX export: an OFX 2.2 bank statement download (XML), as GnuCash, ofxparse and ofxtools read it.

The file is plain ASCII: OFX defines no character references and ofxparse reads an OFX 2 file as
ASCII whatever its XML declaration says, so accents are folded (`Café` -> `Cafe`, `€` -> `EUR`).
The other exports keep the exact text.

OFX requires a few things a printed statement may not show; where one is missing we write the
neutral value OFX allows and say so in docs/reports.md: BANKID `000000000`, ACCTID `UNKNOWN`,
CURDEF `XXX` (ISO 4217 "no currency"), LEDGERBAL the last known running balance (or 0).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from docproc.models import ProcessingResult, Transaction
from docproc.money import format_money
from docproc.pipeline.export.export import Export, StatementView, printable, statement_view

HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n'
)
NAME_LENGTH = 32
MEMO_LENGTH = 255
ACCTID_LENGTH = 22
# A category that says more than CREDIT/DEBIT maps to the OFX transaction type for it.
TRNTYPE_BY_CATEGORY = {"cash_withdrawal": "ATM", "fees_interest": "FEE", "transfers": "XFER"}
# Characters that Unicode decomposition does not bring to ASCII.
ASCII_SPELLING = str.maketrans(
    {
        "€": "EUR",
        "£": "GBP",
        "¥": "JPY",
        "₹": "INR",
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Ø": "O",
        "ø": "o",
        "Œ": "OE",
        "œ": "oe",
        "Đ": "D",
        "đ": "d",
        "Ł": "L",
        "ł": "l",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
    }
)


def ascii_text(text: str) -> str:
    """`text` in ASCII: spelled out, accents dropped, anything else as '?'."""
    decomposed = unicodedata.normalize("NFKD", printable(text).translate(ASCII_SPELLING))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.encode("ascii", "replace").decode("ascii")


def _add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = ascii_text(text)
    return element


def _ofx_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d") + "120000"


def _status(parent: ET.Element) -> None:
    status = _add(parent, "STATUS")
    _add(status, "CODE", "0")
    _add(status, "SEVERITY", "INFO")


def fitids(transactions: Sequence[Transaction]) -> list[str]:
    """Ids that stay the same when the row shows up again (overlapping statements), so importers
    skip it; the n-th identical row of a day gets its own."""
    seen: Counter[str] = Counter()
    ids = []
    for txn in transactions:
        key = f"{txn.date}|{format_money(txn.amount)}|{' '.join(txn.description.split())}"
        seen[key] += 1
        ids.append(hashlib.sha1(f"{key}|{seen[key]}".encode()).hexdigest()[:24].upper())
    return ids


def _trntype(txn: Transaction, category: str) -> str:
    if category == "fees_interest":
        return "FEE" if txn.amount < 0 else "INT"
    return TRNTYPE_BY_CATEGORY.get(category, "CREDIT" if txn.amount >= 0 else "DEBIT")


def _transaction(
    parent: ET.Element, fitid: str, txn: Transaction, category: str, name: str
) -> None:
    element = _add(parent, "STMTTRN")
    _add(element, "TRNTYPE", _trntype(txn, category))
    _add(element, "DTPOSTED", _ofx_date(txn.date))
    _add(element, "TRNAMT", format_money(txn.amount))
    _add(element, "FITID", fitid)
    _add(element, "NAME", (name or txn.description)[:NAME_LENGTH].strip() or "UNKNOWN")
    _add(element, "MEMO", txn.description[:MEMO_LENGTH])


def _dates(view: StatementView) -> tuple[dt.date, dt.date]:
    statement = view.statement
    dates = [t.date for t in statement.transactions]
    today = dt.datetime.now(dt.UTC).date()
    start = statement.period.start or min(dates, default=today)
    end = statement.period.end or max(dates, default=today)
    return start, end


def _ledger_balance(view: StatementView) -> Decimal:
    if view.statement.closing_balance is not None:
        return view.statement.closing_balance
    known = [b for b in view.running_balances if b is not None]
    return known[-1] if known else view.statement.opening_balance or Decimal("0.00")


def _statement(parent: ET.Element, view: StatementView) -> None:
    statement = view.statement
    rs = _add(parent, "STMTRS")
    _add(rs, "CURDEF", (statement.currency or "XXX").upper())
    account = _add(rs, "BANKACCTFROM")
    _add(account, "BANKID", "000000000")
    account_id = "".join((statement.account_number or "UNKNOWN").split())[-ACCTID_LENGTH:]
    _add(account, "ACCTID", account_id)
    _add(account, "ACCTTYPE", "CHECKING")
    start, end = _dates(view)
    transactions = _add(rs, "BANKTRANLIST")
    _add(transactions, "DTSTART", _ofx_date(start))
    _add(transactions, "DTEND", _ofx_date(end))
    ids = fitids(statement.transactions)
    for fitid, (txn, category, counterparty, _) in zip(ids, view.rows, strict=True):
        _transaction(transactions, fitid, txn, category, counterparty)
    ledger = _add(rs, "LEDGERBAL")
    _add(ledger, "BALAMT", format_money(_ledger_balance(view)))
    _add(ledger, "DTASOF", _ofx_date(end))


def export_ofx(result: ProcessingResult) -> Export:
    view = statement_view(result, "ofx")
    root = ET.Element("OFX")
    signon = _add(_add(root, "SIGNONMSGSRSV1"), "SONRS")
    _status(signon)
    _add(signon, "DTSERVER", dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S"))
    _add(signon, "LANGUAGE", "ENG")
    transaction_response = _add(_add(root, "BANKMSGSRSV1"), "STMTTRNRS")
    _add(transaction_response, "TRNUID", "0")
    _status(transaction_response)
    _statement(transaction_response, view)
    ET.indent(root)
    body = HEADER.encode() + ET.tostring(root, encoding="us-ascii") + b"\n"
    return Export(body, "application/x-ofx", "ofx")
