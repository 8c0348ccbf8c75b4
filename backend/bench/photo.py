"""Phone photos of generated statements, read with and without perspective correction.

Every page of a generated statement is 'photographed' (`tests/generator/photo.py`: on a table,
corners moved by up to 6% of the page, a shadow, a vignette, JPEG), read by OCR page by page as
`POST /process` reads an image, and the pages are extracted together; the scorer is the
statements bench's. The same photos are read twice: as uploaded, and with the page outline found
and warped flat (`docproc/pipeline/read/perspective.py`); beside them, the same statements as
flat scans (`tests/generator/scan.py`), the best a corrected photo can hope for. Seconds are CPU
seconds of this one process per page, outline search and warp included.

    python -m bench.photo --seeds 3 --layout us_checking --layout randomized
"""

from __future__ import annotations

import argparse
import sys
import time

from bench.accuracy import Score, score_document
from bench.ocr import EngineRun, score_cells
from docproc.models import BankStatement
from docproc.pipeline.read.document import Document, Page
from docproc.pipeline.read.images import image_dpi, image_frames
from docproc.pipeline.read.ocr import ocr_page
from docproc.pipeline.read.reader import read_document
from docproc.pipeline.statements import extract_statement

MAX_PIXELS = 120_000_000
DEFAULT_LAYOUTS = ("us_checking", "uk_current", "au_everyday", "randomized")
# The page finder was developed on photos of seeds below 4000; the bench reports seeds it never saw.
FIRST_SEED = 8000


def read_photos(jpegs: list[bytes], *, straighten: bool) -> Document:
    """Each photo as one page, read as an uploaded image is (with or without the warp)."""
    pages: list[Page] = []
    for number, data in enumerate(jpegs, start=1):
        frames = image_frames(data, max_pixels=MAX_PIXELS, max_pages=1, straighten=straighten)
        for frame in frames:
            read = ocr_page(frame, image_dpi(frame) / 72)
            pages.append(Page(number, read.width, read.height, read.words, source="ocr"))
    return Document(pages=pages, media_type="image/jpeg")


def record(run: EngineRun, document: Document, truth: BankStatement, label: str) -> None:
    run.pages += len(document.pages)
    try:
        found = extract_statement(document)
    except Exception as exc:  # a failed extraction scores zero, the bench goes on
        print(f"  {label}: extraction failed: {exc!r}", file=sys.stderr)
        run.score.add(Score(docs=1, expected=len(truth.transactions)))
        run.failures += 1
        return
    score = score_document(found, truth)
    run.score.add(score)
    balances = (found.opening_balance, found.closing_balance)
    run.balances_right += int(balances == (truth.opening_balance, truth.closing_balance))
    print(f"  {label}: F1 {score.f1:.3f}", file=sys.stderr)


def measure(layouts: list[str], seeds: int, first: int) -> dict[str, EngineRun]:
    """The same statements as flat scans (the baseline), as shot and corrected."""
    from tests.generator import generate
    from tests.generator.photo import photo_pages
    from tests.generator.scan import scanned_pdf

    runs = {"flat scan": EngineRun(), "as shot": EngineRun(), "corrected": EngineRun()}
    for layout in layouts:
        for seed in range(first, first + seeds):
            statement = generate(layout, seed)
            jpegs = [photo.jpeg for photo in photo_pages(statement.pdf, seed)]
            for label in runs:
                started = time.process_time()
                if label == "flat scan":
                    document = read_document(scanned_pdf(statement.pdf, seed))
                else:
                    document = read_photos(jpegs, straighten=label == "corrected")
                runs[label].cpu_seconds += time.process_time() - started
                record(runs[label], document, statement.truth, f"{layout} seed {seed} {label}")
    return runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--layout", action="append")
    parser.add_argument("--first-seed", type=int, default=FIRST_SEED)
    args = parser.parse_args(argv if argv is not None else [])
    runs = measure(args.layout or list(DEFAULT_LAYOUTS), args.seeds, args.first_seed)
    print("photos          | docs | pages | F1     | balances | perfect | s/page | pages/s")
    for label, run in runs.items():
        print(" | ".join([f"{label:15}", *score_cells(run)]))


if __name__ == "__main__":
    main(sys.argv[1:])
