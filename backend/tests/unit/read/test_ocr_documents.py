"""OCR end to end: generated scans, images (EXIF, multi-page TIFF), mixed PDFs, real samples.

OCR costs about a second a page, so these tests read a handful of pages; the wide measurement
is `bench/ocr.py` (`make bench`).
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image

from bench.accuracy import score_document
from docproc.pipeline.read.reader import read_document
from docproc.pipeline.statements import extract_statement
from tests.generator import generate
from tests.generator.scan import scan_pages, scanned_pdf
from tests.unit.read.conftest import corpus_file, corpus_truth

MIN_F1 = 0.95


def test_a_generated_scan_reads_like_its_truth() -> None:
    statement = generate("au_everyday", 3)
    messages: list[str] = []
    document = read_document(
        scanned_pdf(statement.pdf, 3), progress=lambda _p, message: messages.append(message)
    )
    assert [page.source for page in document.pages] == ["ocr"]
    assert messages == ["OCR page 1 of 1"]
    assert all(0 <= w.confidence <= 1 for w in document.pages[0].words if w.confidence is not None)
    found = extract_statement(document)
    score = score_document(found, statement.truth)
    assert score.f1 >= MIN_F1
    assert found.opening_balance == statement.truth.opening_balance
    assert found.closing_balance == statement.truth.closing_balance
    assert all(tx.confidence is not None for tx in found.transactions)


def test_a_multi_page_tiff_is_read_page_by_page() -> None:
    statement = generate("uk_current", 3)
    pages = scan_pages(statement.pdf, 3)
    assert len(pages) > 1
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:], dpi=(200, 200))
    document = read_document(buffer.getvalue())
    assert len(document.pages) == len(pages)
    assert document.media_type == "image/tiff"
    original = pdfium.PdfDocument(statement.pdf)[0].get_width()
    assert abs(document.pages[0].width - original) < 2  # 200 dpi pixels back to the page's points
    assert score_document(extract_statement(document), statement.truth).f1 >= MIN_F1


def test_exif_orientation_is_honoured() -> None:
    statement = generate("crdr_amounts", 3)
    (upright,) = scan_pages(statement.pdf, 3)
    # Stored sideways, with the EXIF tag that tells viewers to turn it back (a phone photo).
    sideways = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    buffer = io.BytesIO()
    sideways.save(buffer, format="JPEG", exif=exif, dpi=(200, 200))
    document = read_document(buffer.getvalue())
    page = document.pages[0]
    assert page.height > page.width
    assert score_document(extract_statement(document), statement.truth).f1 >= MIN_F1


def test_an_upside_down_scan_is_turned_upright() -> None:
    statement = generate("us_checking", 3)
    pages = [p.rotate(180) for p in scan_pages(statement.pdf, 3)[:1]]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PNG", dpi=(200, 200))
    text = read_document(buffer.getvalue()).pages[0].text
    assert statement.truth.transactions[0].description.split()[0] in text


def test_a_mixed_pdf_reads_text_pages_from_the_layer_and_scanned_pages_by_ocr() -> None:
    statement = generate("us_checking", 3)
    scanned = pdfium.PdfDocument(scanned_pdf(statement.pdf, 3))
    mixed = pdfium.PdfDocument(statement.pdf)
    mixed.del_page(1)
    mixed.import_pages(scanned, [1])
    buffer = io.BytesIO()
    mixed.save(buffer)
    messages: list[str] = []
    document = read_document(buffer.getvalue(), progress=lambda _p, m: messages.append(m))
    assert [page.source for page in document.pages] == ["text", "ocr"]
    assert messages == ["Reading page 1 of 2", "OCR page 2 of 2"]
    assert score_document(extract_statement(document), statement.truth).f1 >= MIN_F1


@pytest.mark.parametrize(
    ("name", "filename"),
    [("anycompany-photo", "statement.jpg"), ("wells-fargo-scanned", "statement.pdf")],
)
def test_real_scans_match_their_truth(name: str, filename: str) -> None:
    document = read_document(corpus_file(name, filename).read_bytes())
    assert {page.source for page in document.pages} == {"ocr"}
    found = extract_statement(document)
    truth = corpus_truth(name)
    assert score_document(found, truth).f1 >= MIN_F1
    assert found.opening_balance == truth.opening_balance
    assert found.closing_balance == truth.closing_balance
