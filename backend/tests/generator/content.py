"""The facts of a generated statement: who, which bank, when, and every transaction, exactly."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

BANKS = (
    "First Harbor Bank",
    "Northgate Building Society",
    "Sparkasse Oberland",
    "Banque du Rivage",
    "Kaveri Bank Ltd",
    "Southern Cross Bank",
    "Maple Credit Union",
    "Banco del Sol",
    "Union Savings Bank",
    "Lakeshore Trust Bank",
    "Volksbank Mittelrhein",
    "Crédit Alpin",
)
FIRST_NAMES = ("JORDAN", "Amelia", "Lukas", "Chloé", "Priya", "Oliver", "Mei", "Sofia", "Noah")
LAST_NAMES = ("MILLER", "Hughes", "Schneider", "Martin", "Sharma", "Brown", "Tanaka", "Rossi")
STREETS = ("12 High Street", "400 Elm Avenue", "Hauptstraße 5", "8 rue des Lilas", "21 MG Road")
CITIES = ("Austin TX 78701", "Leeds LS1 4AP", "80331 München", "69002 Lyon", "Pune 411001")

MERCHANTS = (
    "WHOLE FOODS MARKET",
    "Tesco Stores",
    "REWE Markt",
    "Carrefour City",
    "Big Bazaar",
    "Woolworths",
    "SHELL OIL",
    "Amazon Marketplace",
    "Netflix.com",
    "Uber Trip",
    "Starbucks",
    "City Water Utility",
    "Deutsche Bahn",
    "SNCF Voyages",
    "Airtel Recharge",
    "Telstra Mobile",
    "Costco Gas #0188",
)
DEBIT_KINDS = (
    "POS PURCHASE",
    "Card payment",
    "Direct Debit",
    "Lastschrift",
    "Prélèvement",
    "UPI/DR",
    "Purchase authorized on {md}",
    "BILL PAYMENT",
    "ATM WITHDRAWAL",
    "Standing order",
)
CREDIT_KINDS = (
    "Salary",
    "DIRECT DEP PAYROLL",
    "Gehalt",
    "Virement reçu",
    "NEFT CR",
    "Transfer from savings",
    "Refund",
    "Interest paid",
    "Mobile deposit",
)
PLACES = ("AUSTIN TX", "LONDON GB", "BERLIN DE", "PARIS FR", "MUMBAI IN", "SYDNEY AU", "")


@dataclass(frozen=True, slots=True)
class Row:
    date: dt.date
    description: str
    amount: Decimal
    balance: Decimal  # the running balance after this row, always known to the generator
    reference: str | None


@dataclass(frozen=True, slots=True)
class Content:
    bank: str
    holder: str
    street: str
    city: str
    account_number: str
    start: dt.date
    end: dt.date
    opening: Decimal
    rows: list[Row]

    @property
    def closing(self) -> Decimal:
        return self.rows[-1].balance if self.rows else self.opening


def cents(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(rng.randint(int(low * 100), int(high * 100))).scaleb(-2)


def _description(rng: random.Random, credit: bool, day: dt.date, long_share: float) -> str:
    kind = rng.choice(CREDIT_KINDS if credit else DEBIT_KINDS)
    kind = kind.replace("{md}", f"{day.month:02d}/{day.day:02d}")
    words = [
        kind,
        rng.choice(MERCHANTS)
        if not credit
        else rng.choice(("ACME CORP", "Globex GmbH", "", "Initech Ltd")),
    ]
    if rng.random() < long_share:
        words += [
            rng.choice(PLACES),
            f"REF {rng.randint(10**7, 10**9)}",
            f"Card{rng.randint(1000, 9999)}",
        ]
    return " ".join(w for w in words if w)


def _days(rng: random.Random, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    span = (end - start).days
    picks = sorted(rng.randint(0, span) for _ in range(count))
    return [start + dt.timedelta(days=d) for d in picks]


def make_content(
    rng: random.Random,
    *,
    rows: int,
    long_share: float = 0.3,
    overdraft: bool = False,
    rollover: bool = False,
    account_digits: int = 10,
) -> Content:
    """Random but consistent statement facts: balances follow exactly from the amounts."""
    year = rng.randint(2019, 2026)
    if rollover:
        start = dt.date(year, 12, rng.randint(1, 20))
    else:
        start = dt.date(year, rng.randint(1, 11), rng.randint(1, 28))
    end = start + dt.timedelta(days=rng.randint(27, 33))
    opening = cents(rng, -300, 400) if overdraft else cents(rng, 200, 9000)
    balance = opening
    out: list[Row] = []
    for day in _days(rng, start, end, rows):
        credit = rng.random() < 0.3
        big = rng.random() < 0.15
        amount = cents(rng, 500, 4200) if credit or big else cents(rng, 1, 480)
        if not credit:
            amount = -amount
        balance += amount
        ref = str(rng.randint(100000, 999999)) if rng.random() < 0.5 else None
        out.append(Row(day, _description(rng, credit, day, long_share), amount, balance, ref))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    holder = f"{first} {last}"
    if first.isupper():
        holder = f"{first} A {last}"
    elif rng.random() < 0.3:
        holder = holder.upper()
    number = "".join(str(rng.randint(0, 9)) for _ in range(account_digits))
    city_index = rng.randrange(len(CITIES))
    return Content(
        bank=rng.choice(BANKS),
        holder=holder,
        street=STREETS[city_index],
        city=CITIES[city_index],
        account_number=number,
        start=start,
        end=end,
        opening=opening,
        rows=out,
    )
