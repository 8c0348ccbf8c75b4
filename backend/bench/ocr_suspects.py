"""Suspected OCR slips against the truth: how many real misreads are flagged, how many flags are
false (`reconciliation.suspected_ocr_errors`, `docproc/pipeline/statements/ocr_suspects.py`).

Scans: generated statements are 'scanned' (`tests/generator/scan.py`), read and extracted as
`POST /process` does, rows aligned with the truth by date and description; a printed number read
differently from the truth on an aligned row (or the opening/closing balance) is a real misread.
A suspect is right when its candidate is the true value at its place, false otherwise.

Injected (`--injected N`, no OCR, seconds): N statements read from their text layer are marked as
OCR'd and one number is changed by one slip of each kind (recall per kind), or by a change no
single slip makes — a row left out, an amount off by a random sum — where any suspect is false.
Beside the right reading, a break can list other single-slip readings that close it as well
(another row, the opening balance): counted, they are what a person checks in vain.

    python -m bench.ocr_suspects --layout randomized --seeds 10 --first-seed 7000
    python -m bench.ocr_suspects --injected 200
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
from collections import Counter
from decimal import Decimal
from typing import Any

from docproc.models import BankStatement, Transaction
from docproc.pipeline.read.reader import read_document
from docproc.pipeline.statements import extract_statement
from docproc.pipeline.statements.ocr_suspects import suspected_ocr_errors


def misreads(found: BankStatement, truth: BankStatement) -> dict[tuple[Any, str], Decimal | None]:
    """(row index or None, field) -> true value, for every printed number read differently."""
    out: dict[tuple[Any, str], Decimal | None] = {}

    def key(tx: Transaction) -> tuple[str, str]:
        return tx.date.isoformat(), tx.description[:12].lower()

    rows, expected = found.transactions, truth.transactions
    matcher = difflib.SequenceMatcher(None, [key(t) for t in rows], [key(t) for t in expected])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                for field in ("amount", "balance"):
                    if getattr(rows[i], field) != getattr(expected[j], field):
                        out[(i, field)] = getattr(expected[j], field)
    for field in ("opening_balance", "closing_balance"):
        if getattr(found, field) != getattr(truth, field):
            out[(None, field)] = getattr(truth, field)
    return out


def tally(found: BankStatement, truth: BankStatement, counts: Counter[str], label: str) -> None:
    wrong = misreads(found, truth)
    unread = {
        place
        for place in wrong
        if getattr(found if place[0] is None else found.transactions[place[0]], place[1]) is None
    }
    counts["printed numbers not read at all"] += len(unread)
    counts["misread numbers"] += len(wrong) - len(unread)
    flagged: set[tuple[Any, str]] = set()
    for suspect in suspected_ocr_errors(found):
        place = (suspect["index"], suspect["field"])
        truth_value = wrong.get(place)
        if truth_value is not None and Decimal(suspect["candidate"]) == truth_value:
            flagged.add(place)
        else:
            counts["false suspects"] += 1
            print(f"  {label}: false suspect {suspect}", file=sys.stderr)
    counts["flagged right"] += len(flagged)
    for (index, field), value in wrong.items():
        if (index, field) not in flagged | unread:
            read = getattr(found if index is None else found.transactions[index], field)
            print(
                f"  {label}: not flagged row {index} {field} {read} (truth {value})",
                file=sys.stderr,
            )


def scans(layouts: list[str], seeds: range) -> Counter[str]:
    from tests.generator import generate
    from tests.generator.scan import scanned_pdf

    counts: Counter[str] = Counter()
    for layout in layouts:
        for seed in seeds:
            statement = generate(layout, seed)
            found = extract_statement(read_document(scanned_pdf(statement.pdf, seed)))
            counts["documents"] += 1
            tally(found, statement.truth, counts, f"{layout} seed {seed}")
    return counts


# One slip of each kind, as (kind, what turns the true text into the one read).
def _slip(kind: str, value: Decimal, rng: random.Random) -> Decimal | None:
    text = f"{abs(value):.2f}"
    whole, cents = text.split(".")
    sign = "-" if value < 0 else ""
    if kind == "glyph":
        swaps = {"8": "3", "3": "8", "1": "7", "7": "1", "5": "6", "6": "5", "0": "8"}
        places = [i for i, c in enumerate(text) if c in swaps]
        if not places:
            return None
        i = rng.choice(places)
        return Decimal(sign + text[:i] + swaps[text[i]] + text[i + 1 :])
    if kind == "minus":
        return -value
    if kind == "dropped digit" and len(whole) >= 2:
        i = rng.randrange(len(whole))
        return Decimal(sign + whole[:i] + whole[i + 1 :] + "." + cents)
    if kind == "spurious digit":
        i = rng.randrange(len(whole) + 1)
        return Decimal(sign + whole[:i] + str(rng.randrange(1, 10)) + whole[i:] + "." + cents)
    if kind == "lost leading group" and len(whole) >= 4:
        return Decimal(sign + whole[-3:] + "." + cents)
    return None


KINDS = ("glyph", "minus", "dropped digit", "spurious digit", "lost leading group")


def injected(count: int) -> dict[str, Counter[str]]:
    from tests.generator import LAYOUTS, generate

    rng = random.Random("suspects")
    results: dict[str, Counter[str]] = {kind: Counter() for kind in (*KINDS, "no slip")}
    layouts = [name for name in LAYOUTS if name != "randomized"] + ["randomized"] * 4
    for number in range(count):
        statement = generate(rng.choice(layouts), 9000 + number)
        truth = statement.truth.model_copy(deep=True)
        for tx in truth.transactions:
            tx.confidence = 0.9
        if len(truth.transactions) < 3:
            continue
        for kind in (*KINDS, "no slip"):
            _inject(kind, truth, rng, results[kind])
    return results


def _inject(kind: str, truth: BankStatement, rng: random.Random, counts: Counter[str]) -> None:
    copy = truth.model_copy(deep=True)
    index = rng.randrange(len(copy.transactions))
    tx = copy.transactions[index]
    if kind == "no slip":
        if rng.random() < 0.5:
            del copy.transactions[index]  # a row left out
        else:
            tx.amount += Decimal(rng.randrange(-50_000, 50_000)) / 100
        counts["cases"] += 1
        counts["false suspects"] += len(suspected_ocr_errors(copy))
        return
    field = "balance" if tx.balance is not None and rng.random() < 0.5 else "amount"
    true_value = getattr(tx, field)
    read = _slip(kind, true_value, rng)
    if read is None or read == true_value:
        return
    setattr(tx, field, read)
    counts["cases"] += 1
    found = suspected_ocr_errors(copy)
    right = [s for s in found if (s["index"], s["field"]) == (index, field)]
    counts["flagged"] += int(any(Decimal(s["candidate"]) == true_value for s in right))
    counts["others"] += sum(1 for s in found if s not in right)
    counts["first"] += int(bool(found) and found[0] in right)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--layout", action="append")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=7000)
    parser.add_argument("--injected", type=int, default=0, help="statements with injected slips")
    args = parser.parse_args(argv if argv is not None else [])
    if args.injected:
        print("injected           | cases | flagged | listed first | other readings listed")
        for kind, c in injected(args.injected).items():
            print(
                f"{kind:18} | {c['cases']:5} | {c['flagged']:7} | {c['first']:12} | "
                f"{c['false suspects'] + c['others']:5}"
            )
        return
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    counts = scans(args.layout or ["randomized"], seeds)
    print(", ".join(f"{name}: {value}" for name, value in counts.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
