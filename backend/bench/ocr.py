"""OCR accuracy and speed on generated scans and the real scanned samples (`make bench`).

Every generator layout is printed, 'scanned' at 200 dpi with skew, blur, noise and JPEG artefacts
(`tests/generator/scan.py`), read by OCR and extracted; the scorer is the statements bench's
(transaction F1 with date and amount exact, description >= 0.85 similar). Seconds per page are
CPU seconds of this one process: the engines and OpenCV are held to one thread, so that is one core.
`--compare` adds RapidOCR beside Tesseract (slow: several seconds a page).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.accuracy import Score, score_document
from docproc.models import BankStatement
from docproc.pipeline.read.document import Document, Page
from docproc.pipeline.read.images import image_dpi, image_frames
from docproc.pipeline.read.ocr import ocr_page
from docproc.pipeline.read.pdf import open_pdf
from docproc.pipeline.read.reader import render_scale
from docproc.pipeline.statements import extract_statement

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REAL_SCANS = (("wells-fargo-scanned", "statement.pdf"), ("anycompany-photo", "statement.jpg"))
MAX_PIXELS = 120_000_000
# Seeds from 2000 are what OCR changes were tuned on; seeds from 7000 were kept out of tuning and
# are the ones to report.
TUNING_SEED = 2000
EVALUATION_SEED = 7000


@dataclass
class EngineRun:
    score: Score = field(default_factory=Score)
    balances_right: int = 0
    failures: int = 0
    pages: int = 0
    cpu_seconds: float = 0.0


def ocr_document(data: bytes, engine: str) -> Document:
    """Every page by OCR with `engine` (what `read_document` does for scans, engine chosen)."""
    pages: list[Page] = []
    if data.startswith(b"%PDF"):
        with open_pdf(data) as pdf:
            for index in range(len(pdf)):
                page = pdf[index]
                scale = render_scale(page, MAX_PIXELS)
                image = page.render(scale=scale, grayscale=True).to_pil()
                read = ocr_page(image, scale, engine)
                pages.append(Page(index + 1, read.width, read.height, read.words, "ocr"))
    else:
        for index, frame in enumerate(image_frames(data, max_pixels=MAX_PIXELS, max_pages=500)):
            read = ocr_page(frame, image_dpi(frame) / 72, engine)
            pages.append(Page(index + 1, read.width, read.height, read.words, "ocr"))
    return Document(pages=pages)


def measure(run: EngineRun, data: bytes, truth: BankStatement, engine: str, label: str) -> None:
    started = time.process_time()
    document = ocr_document(data, engine)
    run.cpu_seconds += time.process_time() - started
    run.pages += len(document.pages)
    try:
        found = extract_statement(document)
    except Exception as exc:  # the extractor's failure is a result here, not a crash
        print(f"  extraction failed on {label}: {exc!r}", file=sys.stderr)
        run.failures += 1
        run.score.add(Score(docs=1, expected=len(truth.transactions)))
        return
    doc = score_document(found, truth)
    run.score.add(doc)
    right = (found.opening_balance, found.closing_balance) == (
        truth.opening_balance,
        truth.closing_balance,
    )
    run.balances_right += int(right)
    if not doc.perfect:
        print(f"  imperfect: {label} F1 {doc.f1:.3f} balances {'ok' if right else 'WRONG'}")


def generated_scans(engine: str, layouts: list[str], seeds: range) -> EngineRun:
    from tests.generator import generate
    from tests.generator.scan import scanned_pdf

    run = EngineRun()
    for layout in layouts:
        for seed in seeds:
            statement = generate(layout, seed)
            scan = scanned_pdf(statement.pdf, seed)
            measure(run, scan, statement.truth, engine, f"{layout} seed {seed}")
    return run


def text_layer_baseline(layouts: list[str], seeds: range) -> EngineRun:
    """The same statements read from their text layer: what the extractor alone achieves."""
    from docproc.pipeline.read.reader import read_document
    from tests.generator import generate

    run = EngineRun()
    for layout in layouts:
        for seed in seeds:
            statement = generate(layout, seed)
            document = read_document(statement.pdf)
            found = extract_statement(document)
            run.score.add(score_document(found, statement.truth))
            run.pages += len(document.pages)
            right = (found.opening_balance, found.closing_balance) == (
                statement.truth.opening_balance,
                statement.truth.closing_balance,
            )
            run.balances_right += int(right)
    return run


def real_scans(engine: str) -> EngineRun | None:
    from tests.unit.read.conftest import corpus_truth

    run = EngineRun()
    for name, filename in REAL_SCANS:
        path = SHARED / "corpus" / "real" / name / filename
        if not path.is_file():
            return None
        measure(run, path.read_bytes(), corpus_truth(name), engine, name)
    return run


def print_row(engine: str, label: str, run: EngineRun) -> None:
    print(" | ".join([f"{engine:10}", f"{label:15}", *score_cells(run)]))


def score_cells(run: EngineRun) -> list[str]:
    """docs | pages | F1 | balances | perfect | s/page | pages/s, as the tables print them."""
    docs = max(run.score.docs, 1)
    per_page = run.cpu_seconds / max(run.pages, 1)
    return [
        f"{run.score.docs:4}",
        f"{run.pages:5}",
        f"{run.score.f1:.4f}",
        f"{run.balances_right / docs:8.0%}",
        f"{run.score.perfect / docs:7.0%}",
        f"{per_page:6.2f}" if run.cpu_seconds else f"{'-':>6}",
        f"{1 / per_page:7.2f}" if run.cpu_seconds else f"{'-':>7}",
    ]


def main(argv: list[str] | None = None) -> None:
    from tests.generator import LAYOUTS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=2, help="documents per layout")
    parser.add_argument(
        "--first-seed",
        type=int,
        default=TUNING_SEED,
        help=f"{TUNING_SEED} is the tuning set; {EVALUATION_SEED} the held-out evaluation set",
    )
    parser.add_argument("--layout", action="append")
    parser.add_argument("--compare", action="store_true", help="also measure RapidOCR")
    args = parser.parse_args(argv if argv is not None else [])
    engines = ["tesseract", "rapidocr"] if args.compare else ["tesseract"]
    layouts = args.layout or list(LAYOUTS)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    rows: list[tuple[str, str, EngineRun]] = [
        ("text layer", "same documents", text_layer_baseline(layouts, seeds))
    ]
    for engine in engines:
        rows.append((engine, "generated scans", generated_scans(engine, layouts, seeds)))
        real = real_scans(engine)
        if real is not None:
            rows.append((engine, "real scans", real))
    header = ["engine    ", "documents      ", "docs", "pages", "F1    ", "balances"]
    print(" | ".join([*header, "perfect", "s/page", "pages/s"]))
    for engine, label, run in rows:
        print_row(engine, label, run)


if __name__ == "__main__":
    main(sys.argv[1:])
