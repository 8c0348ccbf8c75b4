"""Reports and exports: time per statement and how many rows the category rules name.

`python -m bench reports`. Statements come from the generator (every layout, a few seeds, and one
long statement); figures are medians of a few runs on this machine.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from docproc.models import BankStatement, ProcessingResult
from docproc.pipeline.export import FORMATS, export_result
from docproc.pipeline.reports import build_reports
from docproc.pipeline.reports.categories import builtin_rules
from tests.generator import LAYOUTS, generate

SEEDS = range(3)
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real"
LONG_ROWS = 2000


def _median_ms(action: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _result(statement: BankStatement) -> ProcessingResult:
    return ProcessingResult(
        document_type="bank_statement",
        filename="bench.pdf",
        extracted_data=statement.model_dump(mode="json"),
        reports=build_reports(statement, category_rules=builtin_rules()),
    )


def category_coverage() -> tuple[int, int]:
    """(rows categorised other than 'other', rows) over the generator's layouts and seeds."""
    named = rows = 0
    for layout in LAYOUTS:
        for seed in SEEDS:
            truth = generate(layout, seed).truth
            categories = _result(truth).reports["categories"]["by_transaction"]
            named += sum(c != "other" for c in categories)
            rows += len(categories)
    return named, rows


def corpus_coverage() -> tuple[int, int]:
    """The same over shared/corpus truth. Not held out: some keywords came from these rows."""
    named = rows = 0
    for truth_file in sorted(CORPUS.glob("*/truth.json")):
        data = json.loads(truth_file.read_text())
        for row in data["transactions"]:
            row.setdefault("page", 1)
        categories = _result(BankStatement.model_validate(data)).reports["categories"]
        named += sum(c != "other" for c in categories["by_transaction"])
        rows += len(categories["by_transaction"])
    return named, rows


def main() -> None:
    rules = builtin_rules()
    named, rows = category_coverage()
    share = 100 * named / rows
    print(f"category rules name {named}/{rows} generated rows ({share:.1f} %, merchants known)")
    named, rows = corpus_coverage()
    if rows:
        share = 100 * named / rows
        print(f"category rules name {named}/{rows} real corpus rows ({share:.1f} %, not held out)")
    long = generate("us_checking", 1, rows=LONG_ROWS).truth
    print(f"long statement: {len(long.transactions)} rows")
    reports_ms = _median_ms(lambda: build_reports(long, category_rules=rules))
    print(f"  build_reports: {reports_ms:.0f} ms")
    result = _result(long)
    for export_format in FORMATS:
        size = len(export_result(result, export_format).content)
        ms = _median_ms(lambda fmt=export_format: export_result(result, fmt))  # type: ignore[misc]
        print(f"  export {export_format:>4}: {ms:6.0f} ms, {size / 1024:7.0f} KiB")


if __name__ == "__main__":
    main()
