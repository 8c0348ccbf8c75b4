"""A misprinted digit on a scanned statement comes back as a suspect, end to end: page image ->
OCR -> extraction -> reconciliation, the number itself unchanged."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import reportlab
from PIL import ImageDraw, ImageFont

from docproc.pipeline.read.reader import read_document
from docproc.pipeline.statements import extract_statement
from docproc.pipeline.statements.amounts import parse_amount
from docproc.pipeline.statements.reconcile import reconcile
from tests.generator import generate

DPI = 200
SWAPS = {"8": "3", "3": "8", "1": "7", "7": "1", "6": "5", "5": "6"}
FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


def test_a_balance_printed_with_a_confused_digit_is_suspected_with_its_true_value() -> None:
    statement = generate("us_checking", 21, rows=10)
    truth = statement.truth.transactions
    layer = read_document(statement.pdf).pages[0]
    # A row in the middle whose printed balance has a digit OCR confuses.
    for index in range(3, len(truth) - 2):
        balance = truth[index].balance
        words = [
            w
            for w in layer.words
            if balance is not None
            and (amount := parse_amount(w.text)) is not None
            and abs(amount.value) == abs(balance)
        ]
        if len(words) == 1 and any(c in SWAPS for c in words[0].text):
            break
    else:
        raise AssertionError("no row to misprint")
    (word,) = words
    position = next(i for i, c in enumerate(word.text) if c in SWAPS)
    misprint = word.text[:position] + SWAPS[word.text[position]] + word.text[position + 1 :]

    page = pdfium.PdfDocument(statement.pdf)[0]
    image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    scale = DPI / 72
    box = (word.x0 * scale, word.top * scale, word.x1 * scale, word.bottom * scale)
    draw = ImageDraw.Draw(image)
    draw.rectangle((box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2), fill=255)
    font = ImageFont.truetype(str(FONT), size=round((box[3] - box[1]) * 1.05))
    draw.text((box[2], box[3]), misprint, font=font, fill=0, anchor="rd")  # right-aligned
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))

    found = extract_statement(read_document(buffer.getvalue()))
    assert found.transactions[index].balance == Decimal(
        str(parse_amount(misprint).value)  # type: ignore[union-attr]
    ).copy_sign(balance)  # the page is read as printed ...
    suspects = reconcile(found)["suspected_ocr_errors"]
    assert [(s["index"], s["field"], s["candidate"]) for s in suspects] == [
        (index, "balance", str(balance))  # ... and the true value is offered, on that row only
    ]
    assert suspects[0]["confidence"] is not None
