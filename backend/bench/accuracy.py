"""Statement extraction accuracy and speed on generated statements (`make bench`).

For N seeds per generator layout: transaction F1 (date and amount exact, description at least
0.85 similar), header-field accuracy, share of perfect documents; then the in-process pipeline's
milliseconds per page beside raw pypdfium2 text extraction, and peak memory for a 500-page
statement. The `randomized` layout draws column order, spellings, fonts and conventions per seed,
so its figures measure layouts the extractor was not tuned on.
"""

from __future__ import annotations

import argparse
import difflib
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from docproc.models import BankStatement, Transaction
from docproc.pipeline.read.reader import read_document
from docproc.pipeline.statements import extract_statement

SEED_BASE = 50_000  # seeds no test and no tuning session looked at
HEADER_FIELDS = (
    "opening_balance",
    "closing_balance",
    "period",
    "currency",
    "account_number",
    "account_holder",
    "bank_name",
)


@dataclass
class Score:
    docs: int = 0
    perfect: int = 0
    matched: int = 0
    extracted: int = 0
    expected: int = 0
    fields: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: Score) -> None:
        for name in ("docs", "perfect", "matched", "extracted", "expected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, value in other.fields.items():
            self.fields[key] += value

    @property
    def f1(self) -> float:
        if not self.extracted and not self.expected:
            return 1.0
        precision = self.matched / self.extracted if self.extracted else 0.0
        recall = self.matched / self.expected if self.expected else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def same_transaction(a: Transaction, b: Transaction) -> bool:
    return (
        a.date == b.date
        and a.amount == b.amount
        and difflib.SequenceMatcher(None, a.description, b.description).ratio() >= 0.85
    )


def matched_count(found: list[Transaction], truth: list[Transaction]) -> int:
    """Greedy one-to-one matching in order (rows are compared as a multiset)."""
    remaining = list(truth)
    count = 0
    for tx in found:
        for index, expected in enumerate(remaining):
            if same_transaction(tx, expected):
                count += 1
                del remaining[index]
                break
    return count


def score_document(found: BankStatement, truth: BankStatement) -> Score:
    score = Score(docs=1, extracted=len(found.transactions), expected=len(truth.transactions))
    score.matched = matched_count(found.transactions, truth.transactions)
    for name in HEADER_FIELDS:
        score.fields[name] += int(getattr(found, name) == getattr(truth, name))
    all_rows = score.matched == score.expected == score.extracted
    balances = (
        found.opening_balance == truth.opening_balance
        and found.closing_balance == truth.closing_balance
    )
    score.perfect = int(all_rows and balances)
    return score


def accuracy(layouts: list[str], seeds: int, *, verbose: bool = False) -> dict[str, Score]:
    from tests.generator import generate

    scores: dict[str, Score] = {}
    for layout in layouts:
        total = Score()
        for seed in range(seeds):
            generated = generate(layout, SEED_BASE + seed)
            found = extract_statement(read_document(generated.pdf))
            doc = score_document(found, generated.truth)
            if verbose and not doc.perfect:
                print(f"  imperfect: {layout} seed {SEED_BASE + seed}", file=sys.stderr)
            total.add(doc)
        scores[layout] = total
    return scores


def print_accuracy(scores: dict[str, Score]) -> None:
    names = ["layout", "docs", "F1", "perfect", *(n.replace("_balance", "") for n in HEADER_FIELDS)]
    print(" | ".join(names))
    overall = Score()
    for layout, score in [*scores.items(), ("overall", overall)]:
        if layout != "overall":
            overall.add(score)
        cells = [layout, str(score.docs), f"{score.f1:.4f}", f"{score.perfect / score.docs:.1%}"]
        cells += [f"{score.fields[n] / score.docs:.0%}" for n in HEADER_FIELDS]
        print(" | ".join(cells))


def speed(layouts: list[str]) -> None:
    from tests.generator import generate

    pdfs = [generate(layout, 7).pdf for layout in layouts]
    pages = sum(len(pdfium.PdfDocument(p)) for p in pdfs)
    extract_statement(read_document(pdfs[0]))  # warm up: tables loaded, patterns compiled
    start = time.perf_counter()
    for data in pdfs:
        extract_statement(read_document(data))
    pipeline = (time.perf_counter() - start) * 1000 / pages
    start = time.perf_counter()
    for data in pdfs:
        pdf = pdfium.PdfDocument(data)
        for page in pdf:
            page.get_textpage().get_text_range()
    raw = (time.perf_counter() - start) * 1000 / pages
    print(
        f"speed: {pages} pages, pipeline {pipeline:.1f} ms/page, raw pypdfium2 text "
        f"{raw:.1f} ms/page"
    )


def big_statement_memory(pages: int = 500) -> None:
    """Peak RSS of reading and extracting a ~`pages`-page statement, in a fresh process."""
    code = (
        "import resource, sys\n"
        "from tests.generator import generate\n"
        "from docproc.pipeline.read.reader import read_document\n"
        "from docproc.pipeline.read.reader import ReadLimits\n"
        "from docproc.pipeline.statements import extract_statement\n"
        f"g = generate('us_checking', 3, rows={pages * 27})\n"
        "doc = read_document(g.pdf, limits=ReadLimits(max_pages=100000))\n"
        "s = extract_statement(doc)\n"
        "print(len(doc.pages), len(s.transactions), "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    if out.returncode:
        print(f"memory: failed: {out.stderr.strip().splitlines()[-1:]}")
        return
    count, rows, peak = out.stdout.split()
    print(f"memory: {count}-page statement ({rows} transactions), peak RSS {peak} MB")


def main(argv: list[str] | None = None) -> None:
    from tests.generator import LAYOUTS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10, help="documents per named layout")
    parser.add_argument("--random-seeds", type=int, default=100, help="randomized documents")
    parser.add_argument("--layout", action="append")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv if argv is not None else [])
    layouts = args.layout or list(LAYOUTS)
    scores = accuracy([x for x in layouts if x != "randomized"], args.seeds, verbose=args.verbose)
    if "randomized" in layouts:
        scores.update(accuracy(["randomized"], args.random_seeds, verbose=args.verbose))
    print_accuracy(scores)
    if not args.no_speed:
        speed(list(LAYOUTS))
        big_statement_memory()
    print(f"(bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10} MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
